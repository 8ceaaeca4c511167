/*
 * libFuzzer harness for the rubric loader: rubric_parse on the input and,
 * when it loads, score_document of the Belgium profile (data/profiles/bel.txt,
 * parsed once) under it. Checks that a failure reports at least one error
 * with a known code and that a loaded rubric is consistent: bounded
 * weights, a maximum above 0 and an overall score in [0, 1].
 */
#include <math.h>
#include <string.h>

#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "fuzz_common.h"

#include "util/banned.h"

static struct doc *belgium;
static struct cw_errors errs; /* ~16 KB: not on the stack */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct cw_error err;
    (void)argc;
    (void)argv;
    belgium = doc_load(FUZZ_SRC("data/profiles/bel.txt"), &err);
    if (!belgium) {
        fprintf(stderr, "fuzz_rubric: cannot load bel.txt: %s\n", err.msg);
        abort();
    }
    return 0;
}

/* Every id of a cue's target list ("1.5.1|1.5.2") names an indicator
 * (NULL: every indicator). */
static bool targets_known(const struct rubric *r, const char *targets)
{
    if (!targets)
        return true;
    char id[64];
    for (const char *t = targets;;) {
        size_t n = strcspn(t, "|");
        if (n == 0 || n >= sizeof id)
            return false;
        memcpy(id, t, n);
        id[n] = '\0';
        if (rubric_find_indicator(r, id) < 0)
            return false;
        if (!t[n])
            return true;
        t += n + 1;
    }
}

static void check_rubric(const struct rubric *r)
{
    FUZZ_ASSERT(r->name && r->version);
    FUZZ_ASSERT(r->n_pillars > 0 && r->n_indicators > 0);
    FUZZ_ASSERT(r->max_points > 0 && r->max_points <= RUBRIC_MAX_WEIGHT);
    for (size_t p = 0; p < r->n_pillars; p++)
        FUZZ_ASSERT(r->pillars[p].weight >= 0 &&
                    r->pillars[p].weight <= RUBRIC_MAX_WEIGHT);
    for (size_t i = 0; i < r->n_indicators; i++) {
        FUZZ_ASSERT(r->indicators[i].pillar < r->n_pillars);
        FUZZ_ASSERT(r->indicators[i].weight >= 0 &&
                    r->indicators[i].weight <= RUBRIC_MAX_WEIGHT);
        FUZZ_ASSERT(r->indicators[i].section != NULL);
    }
    for (size_t i = 0; i < r->n_cues; i++) {
        FUZZ_ASSERT(r->cues[i].literal != NULL);
        FUZZ_ASSERT(targets_known(r, r->cues[i].target));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rubric *r =
        rubric_parse("fuzz.csv", (const char *)data, size, &errs);
    if (!r) {
        FUZZ_ASSERT(errs.n > 0);
        FUZZ_ASSERT(errs.n <= CW_MAX_ERRORS);
        for (size_t i = 0; i < errs.n; i++) {
            int c = errs.e[i].code;
            FUZZ_ASSERT(c == CW_ERR_PARSE || c == CW_ERR_LIMIT ||
                        c == CW_ERR_IO);
            FUZZ_ASSERT(errs.e[i].msg[0] != '\0');
        }
        return 0;
    }
    FUZZ_ASSERT(errs.n == 0);
    check_rubric(r);
    struct score_result res;
    score_document(r, belgium, &res);
    /* Bounded weights and a maximum above 0: a score in [0, 1]. */
    FUZZ_ASSERT(isfinite(res.overall) && res.overall >= 0 &&
                res.overall <= 1 + 1e-9);
    FUZZ_ASSERT(res.overall_min <= res.overall + 1e-9 &&
                res.overall <= res.overall_max + 1e-9);
    FUZZ_ASSERT(res.coverage <= res.n_counted);
    for (size_t i = 0; i < r->n_indicators; i++)
        FUZZ_ASSERT((unsigned)res.indicators[i].state < CW_N_STATES);
    score_release(&res);
    rubric_free(r);
    return 0;
}
