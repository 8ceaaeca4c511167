/*
 * Fuzzing regressions: every input kept in tests/fixtures/fuzz-regressions/
 * <harness>/ goes through the code path of its libFuzzer harness
 * (tests/fuzz/fuzz_<harness>.c) and must come back with a result or a clean
 * error (under the ASan+UBSan build a memory error fails the test); an
 * optional <input>.expect says which. Documents that used to take quadratic
 * time are generated here and must parse and score in linear time.
 */
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "io/csvio.h"
#include "test.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

#define REGRESSIONS SRC("tests/fixtures/fuzz-regressions")
#define MAX_INPUT   (64u * 1024u * 1024u)

/* CPU seconds one generated megabyte may take, sanitizers and -O0
 * included (the bug threshold is 1 s/MB in an optimised build; a Debug
 * ASan+UBSan build takes up to 1.5 s/MB; the quadratic cases took
 * minutes). */
#define SLOW_LIMIT_PER_MB 6.0

static struct rubric *gci;    /* rubric/gci2014.csv */
static struct doc *belgium;   /* data/profiles/bel.txt */
static struct cw_errors errs; /* large: not on the stack */

/* What <path>.expect asks for: "" when there is no such file. */
static void read_expect(const char *path, char *out, size_t cap)
{
    struct strbuf name = STRBUF_INIT, sb = STRBUF_INIT;
    struct cw_error err;
    strbuf_addf(&name, "%s.expect", path);
    out[0] = '\0';
    if (fileio_read(name.buf, 4096, &sb, &err) == CW_OK) {
        strbuf_rtrim(&sb);
        snprintf(out, cap, "%s", sb.buf);
    }
    strbuf_release(&name);
    strbuf_release(&sb);
}

/* An expectation met by a success (ok) or by a first error message. */
static void check_expect(const char *path, const char *expect, bool is_ok,
                         const char *msg)
{
    if (!expect[0])
        return;
    if (strcmp(expect, "ok") == 0) {
        CHECK(is_ok);
        if (!is_ok)
            fprintf(stderr, "  %s: expected success, got: %s\n", path, msg);
        return;
    }
    CHECK(!is_ok && strstr(msg, expect) != NULL);
    if (is_ok || !strstr(msg, expect))
        fprintf(stderr, "  %s: expected an error containing '%s', got: %s\n",
                path, expect, is_ok ? "success" : msg);
}

/* ---- the three harness paths ---- */

static bool run_doc(const char *name, const char *data, size_t len, char *msg,
                    size_t cap)
{
    struct cw_error err;
    memset(&err, 0, sizeof err);
    struct doc *d = doc_parse(name, data, len, &err);
    if (!d) {
        CHECK(err.code == CW_ERR_PARSE || err.code == CW_ERR_LIMIT);
        CHECK(err.msg[0] != '\0');
        snprintf(msg, cap, "%s", err.msg);
        return false;
    }
    CHECK(d->n_sections > 0 && d->n_sections <= DOC_MAX_SECTIONS);
    /* As fuzz_doc checks: a unit is never before its section's heading. */
    for (size_t i = 0; i < d->n_sections; i++)
        for (size_t u = 0; u < d->sections[i].n_units; u++)
            CHECK(d->sections[i].units[u].line >= d->sections[i].line);
    struct score_result res;
    score_document(gci, d, &res);
    CHECK(res.overall >= 0 && res.overall <= 1);
    CHECK(res.overall_min <= res.overall + 1e-9);
    CHECK(res.overall <= res.overall_max + 1e-9);
    CHECK(res.coverage <= res.n_counted);
    score_release(&res);
    doc_free(d);
    return true;
}

static bool run_rubric(const char *name, const char *data, size_t len,
                       char *msg, size_t cap)
{
    struct rubric *r = rubric_parse(name, data, len, &errs);
    if (!r) {
        CHECK(errs.n > 0);
        for (size_t i = 0; i < errs.n; i++) {
            int c = errs.e[i].code;
            CHECK(c == CW_ERR_PARSE || c == CW_ERR_LIMIT || c == CW_ERR_IO);
            CHECK(errs.e[i].msg[0] != '\0');
        }
        snprintf(msg, cap, "%s", errs.n ? errs.e[0].msg : "");
        return false;
    }
    CHECK(r->n_pillars > 0 && r->n_indicators > 0);
    struct score_result res;
    score_document(r, belgium, &res);
    CHECK(!isnan(res.overall));
    CHECK(res.coverage <= res.n_counted);
    score_release(&res);
    rubric_free(r);
    return true;
}

struct csv_ctx {
    unsigned max_line, last_line;
    size_t checksum;
};

static int on_csv_record(void *p, char **fields, size_t n, unsigned line,
                         struct cw_error *err)
{
    struct csv_ctx *c = p;
    (void)err;
    CHECK(n >= 1 && n <= CSVIO_MAX_FIELDS);
    CHECK(line >= 1 && line <= c->max_line && line >= c->last_line);
    c->last_line = line;
    for (size_t i = 0; i < n; i++) {
        CHECK(fields[i] != NULL);
        if (!fields[i])
            continue;
        for (const char *s = fields[i]; *s; s++)
            c->checksum += (unsigned char)*s;
    }
    return CW_OK;
}

static bool run_csv(const char *name, const char *data, size_t len, char *msg,
                    size_t cap)
{
    struct csv_ctx c = {1, 0, 0};
    struct cw_error err;
    memset(&err, 0, sizeof err);
    for (size_t i = 0; i < len; i++)
        c.max_line += data[i] == '\n';
    int rc = csvio_parse(name, data, len, on_csv_record, &c, &err);
    if (rc != CW_OK) {
        CHECK(rc == CW_ERR_PARSE || rc == CW_ERR_LIMIT);
        CHECK(err.code == rc && err.msg[0] != '\0');
        CHECK(err.line >= 1 && err.line <= c.max_line);
        snprintf(msg, cap, "%s", err.msg);
        return false;
    }
    return true;
}

typedef bool (*run_fn)(const char *name, const char *data, size_t len,
                       char *msg, size_t cap);

/* Every input file of fuzz-regressions/<harness>/. Returns the count. */
static size_t run_dir(const char *harness, run_fn fn)
{
    struct strbuf dir = STRBUF_INIT;
    strbuf_addf(&dir, "%s/%s", REGRESSIONS, harness);
    DIR *dp = opendir(dir.buf);
    size_t n = 0;
    if (!dp) {
        strbuf_release(&dir);
        return 0;
    }
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        const char *fn_name = de->d_name;
        size_t nl = strlen(fn_name);
        if (fn_name[0] == '.' ||
            (nl > 7 && strcmp(fn_name + nl - 7, ".expect") == 0))
            continue;
        struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
        struct cw_error err;
        strbuf_addf(&path, "%s/%s", dir.buf, fn_name);
        if (fileio_read(path.buf, MAX_INPUT, &data, &err) == CW_OK) {
            char expect[256], msg[512] = "";
            read_expect(path.buf, expect, sizeof expect);
            bool is_ok = fn(path.buf, data.buf, data.len, msg, sizeof msg);
            check_expect(path.buf, expect, is_ok, msg);
            n++;
        } else {
            CHECK(false && "cannot read a regression input");
            fprintf(stderr, "  %s\n", err.msg);
        }
        strbuf_release(&path);
        strbuf_release(&data);
    }
    closedir(dp);
    strbuf_release(&dir);
    return n;
}

/* ---- generated slow documents ---- */

struct slow_doc {
    const char *name;
    const char *unit;   /* repeated to about 1 MB */
    size_t break_every; /* a blank line after this many bytes; 0: never */
};

/* Each of these took quadratic time before its fix (see docs-draft/fuzz.md). */
static const struct slow_doc slow_docs[] = {
    /* match_upper_run scanned to the end of a long line from every number */
    {"upper-run-digits", "1AB ", 250000},
    {"upper-run-glued", "1.1AB ", 250000},
    /* display_text searched for ']' or '>' from every '[' or '<' */
    {"open-brackets", "[", 60000},
    {"open-angles", "<", 60000},
    {"brackets-open-paren", "[a](", 60000},
    /* an unanchored cue retried from every byte of a long sentence */
    {"cue-number-of", "number of ", 60000},
    {"cue-mandated", "has been mandated ", 60000},
    {"cue-completed", "completed a ", 60000},
};

/* Under valgrind (ctest -T memcheck) time means nothing and 1 MB takes
 * minutes: the documents are still checked, smaller and untimed. */
static bool under_valgrind(void)
{
    const char *pre = getenv("LD_PRELOAD");
    return pre && strstr(pre, "vgpreload") != NULL;
}

static void check_slow_docs(void)
{
    bool is_timed = !under_valgrind();
    size_t size = is_timed ? 1024 * 1024 : 64 * 1024;
    for (size_t i = 0; i < sizeof slow_docs / sizeof *slow_docs; i++) {
        const struct slow_doc *s = &slow_docs[i];
        struct strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, "1. LEGAL MEASURES\n1.1.1 CRIMINAL LEGISLATION\n");
        size_t since = 0, ul = strlen(s->unit);
        while (sb.len < size) {
            strbuf_add(&sb, s->unit, ul);
            since += ul;
            if (s->break_every && since >= s->break_every) {
                strbuf_adds(&sb, "\n\n");
                since = 0;
            }
        }
        char msg[512];
        clock_t t0 = clock();
        run_doc(s->name, sb.buf, sb.len, msg, sizeof msg);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        double per_mb = secs / ((double)sb.len / (1024.0 * 1024.0));
        printf("slow doc %-20s %.3f s/MB\n", s->name, per_mb);
        if (is_timed)
            CHECK(per_mb < SLOW_LIMIT_PER_MB);
        strbuf_release(&sb);
    }
}

int main(void)
{
    struct cw_error err;
    gci = rubric_load(SRC("rubric/gci2014.csv"), &errs);
    belgium = doc_load(SRC("data/profiles/bel.txt"), &err);
    CHECK(gci != NULL);
    CHECK(belgium != NULL);
    if (!gci || !belgium)
        return test_summary();

    size_t n_doc = run_dir("doc", run_doc);
    size_t n_rubric = run_dir("rubric", run_rubric);
    size_t n_csv = run_dir("csv", run_csv);
    printf("regression inputs: %zu doc, %zu rubric, %zu csv\n", n_doc, n_rubric,
           n_csv);
    CHECK(n_doc + n_rubric + n_csv > 0);
    check_slow_docs();

    doc_free(belgium);
    rubric_free(gci);
    return test_summary();
}
