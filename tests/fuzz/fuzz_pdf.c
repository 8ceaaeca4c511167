/*
 * libFuzzer harness for the PDF path: doc_read with PDFs allowed, so that
 * an input with the PDF signature goes to poppler's pdftotext (through
 * pdf_extract: no shell, a process group, time, CPU and memory limits,
 * its text capped) and its text to the decoder and the profile parser;
 * a parsed document is scored under rubric/gci2014.csv (loaded once), so a
 * PDF whose text is a hostile profile goes the whole way. Inputs without
 * the signature are skipped (fuzz_doc covers text). pdftotext is not
 * instrumented: the coverage is that of our side of the pipe, and the
 * findings are what the engine does with what poppler says or does.
 *
 * Checks that a failure carries a parse or limit code (poppler refusing
 * or choking on the PDF, a PDF without text, text over the cap) or, when
 * pdftotext itself crashes, the tool code with "crashed" in the message,
 * always with a message; and that a parsed document and its score are
 * well formed. CYBERWELL_PDF_TIMEOUT is set to 5 s (libFuzzer's -timeout
 * in run.sh is 10 s).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "fuzz_common.h"
#include "io/pdf.h"

#include "util/banned.h"

static struct rubric *rubric;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static struct cw_errors errs;
    (void)argc;
    (void)argv;
    setenv("CYBERWELL_PDF_TIMEOUT", "5", 1);
    rubric = rubric_load(FUZZ_SRC("rubric/gci2014.csv"), &errs);
    if (!rubric) {
        fprintf(stderr, "fuzz_pdf: cannot load rubric: %s\n",
                errs.n ? errs.e[0].msg : "?");
        abort();
    }
    return 0;
}

static void check_doc(const struct doc *d)
{
    FUZZ_ASSERT(d->is_pdf);
    FUZZ_ASSERT(strlen(d->hash) == 64);
    FUZZ_ASSERT(d->n_sections > 0 && d->n_sections <= DOC_MAX_SECTIONS);
    for (size_t i = 0; i < d->n_sections; i++) {
        const struct doc_section *s = &d->sections[i];
        FUZZ_ASSERT(s->number && s->title && s->title_key);
        FUZZ_ASSERT(s->line >= 1);
        FUZZ_ASSERT(s->n_units <= DOC_MAX_UNITS);
        for (size_t u = 0; u < s->n_units; u++) {
            const struct doc_unit *un = &s->units[u];
            FUZZ_ASSERT(un->text && un->norm && un->text[0] != '\0');
            FUZZ_ASSERT(un->line >= s->line);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pdf_is_pdf((const char *)data, size))
        return 0;
    struct cw_error err;
    memset(&err, 0, sizeof err);
    const struct doc_read_opts opts = {NULL, true, NULL};
    struct doc *d =
        doc_read("fuzz.pdf", (const char *)data, size, NULL, &opts, &err);
    if (!d) {
        FUZZ_ASSERT(err.msg[0] != '\0');
        FUZZ_ASSERT(err.code == CW_ERR_PARSE || err.code == CW_ERR_LIMIT ||
                    (err.code == CW_ERR_TOOL && strstr(err.msg, "crashed")));
        return 0;
    }
    check_doc(d);
    struct score_result res;
    score_document(rubric, d, &res);
    FUZZ_ASSERT(isfinite(res.overall));
    FUZZ_ASSERT(res.overall >= 0 && res.overall <= 1);
    FUZZ_ASSERT(res.coverage <= res.n_counted);
    score_release(&res);
    doc_free(d);
    return 0;
}
