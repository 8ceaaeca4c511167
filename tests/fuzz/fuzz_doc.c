/*
 * libFuzzer harness for the profile parser: doc_parse on the input, then
 * score_document of the result under rubric/gci2014.csv (loaded once).
 * Checks that a failure carries a parse/limit code and a message, and that
 * a parsed document and its score are well formed.
 */
#include <math.h>
#include <string.h>

#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "fuzz_common.h"

#include "util/banned.h"

static struct rubric *rubric;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static struct cw_errors errs;
    (void)argc;
    (void)argv;
    rubric = rubric_load(FUZZ_SRC("rubric/gci2014.csv"), &errs);
    if (!rubric) {
        fprintf(stderr, "fuzz_doc: cannot load rubric: %s\n",
                errs.n ? errs.e[0].msg : "?");
        abort();
    }
    return 0;
}

static void check_doc(const struct doc *d, size_t size)
{
    FUZZ_ASSERT(d->size == size);
    FUZZ_ASSERT(strlen(d->hash) == 64);
    FUZZ_ASSERT(d->n_sections > 0 && d->n_sections <= DOC_MAX_SECTIONS);
    for (size_t i = 0; i < d->n_sections; i++) {
        const struct doc_section *s = &d->sections[i];
        FUZZ_ASSERT(s->number && s->title && s->title_key);
        FUZZ_ASSERT(s->depth >= 1 && s->depth <= 3);
        FUZZ_ASSERT(s->line >= 1);
        FUZZ_ASSERT(s->n_units <= DOC_MAX_UNITS);
        for (size_t u = 0; u < s->n_units; u++) {
            const struct doc_unit *un = &s->units[u];
            FUZZ_ASSERT(un->text && un->norm);
            FUZZ_ASSERT(un->text[0] != '\0');
            FUZZ_ASSERT(strlen(un->text) == strlen(un->norm));
            FUZZ_ASSERT(un->line >= s->line);
        }
        for (size_t k = 0; k < s->n_links; k++)
            FUZZ_ASSERT(s->links[k] != NULL);
    }
    for (size_t w = 0; w < d->n_warnings; w++)
        FUZZ_ASSERT(d->warnings[w].msg != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cw_error err;
    memset(&err, 0, sizeof err);
    struct doc *d = doc_parse("fuzz.txt", (const char *)data, size, &err);
    if (!d) {
        FUZZ_ASSERT(err.code == CW_ERR_PARSE || err.code == CW_ERR_LIMIT);
        FUZZ_ASSERT(err.msg[0] != '\0');
        return 0;
    }
    check_doc(d, size);
    struct score_result res;
    score_document(rubric, d, &res);
    FUZZ_ASSERT(isfinite(res.overall));
    FUZZ_ASSERT(res.overall >= 0 && res.overall <= 1);
    FUZZ_ASSERT(res.overall_min <= res.overall + 1e-9);
    FUZZ_ASSERT(res.overall <= res.overall_max + 1e-9);
    FUZZ_ASSERT(res.coverage <= res.n_counted);
    for (size_t i = 0; i < rubric->n_indicators; i++)
        FUZZ_ASSERT((unsigned)res.indicators[i].state < CW_N_STATES);
    score_release(&res);
    doc_free(d);
    return 0;
}
