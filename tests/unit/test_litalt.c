/*
 * Cues written out as literal alternatives (util/litalt.h) must decide
 * exactly as glibc's regexec does: checked on hand-made patterns and edge
 * strings, on every sentence of the bundled profiles, the fixtures, the
 * real profiles (CW_SHARED_DIR) and, with the genprofiles program as
 * argument, a generated corpus: for every cue that expands, on the whole
 * text and on ranges; and every document scored with the alternatives is
 * scored exactly as with regexec alone (the reference path).
 */
#include <dirent.h>
#include <regex.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "test.h"
#include "util/litalt.h"

#include "util/banned.h"

extern char **environ;

#define MAX_OCC 4096

static size_t n_texts, n_checks, n_docs;

/* regexec's answer for pattern re on str[s, e) (REG_STARTEND from text +
 * s, as score.c asks it). */
static bool re_within(const regex_t *re, const char *text, size_t len, size_t s,
                      size_t e)
{
    regmatch_t m;
    m.rm_so = 0;
    m.rm_eo = (regoff_t)(e - s);
    int flags = REG_STARTEND | (e < len ? REG_NOTEOL : 0);
    return regexec(re, text + s, 1, &m, flags) == 0;
}

/* Every expanded cue of r against text: whole and on ranges. */
static void check_text(const struct rubric *r, const char *text)
{
    size_t len = strlen(text);
    unsigned char *hit = calloc(r->lits.n + 1, 1);
    struct litscan_occ *occ = malloc(MAX_OCC * sizeof *occ);
    size_t n_occ = litscan_find(&r->lits, text, len, hit, occ, MAX_OCC);
    n_texts++;
    if (n_occ == SIZE_MAX) {
        free(hit);
        free(occ);
        return;
    }
    for (size_t i = 0; i < r->n_cues; i++) {
        const struct rubric_cue *c = &r->cues[i];
        if (!c->alts.n)
            continue;
        bool want = regexec(&c->re, text, 0, NULL, 0) == 0;
        bool got = rubric_alts_within(r, c, text, len, occ, n_occ, 0, len);
        n_checks++;
        if (got != want) {
            fprintf(stderr, "cue %s on '%s': regexec %d, alternatives %d\n",
                    c->id, text, want, got);
            CHECK(got == want);
        }
        /* Ranges cut at a few places, both ends. */
        for (size_t s = 0; s < len; s += 1 + len / 3)
            for (size_t e = len; e > s;
                 e -= e - s > 1 + len / 3 ? 1 + len / 3 : e - s) {
                bool w = re_within(&c->re, text, len, s, e);
                bool g = rubric_alts_within(r, c, text, len, occ, n_occ, s, e);
                n_checks++;
                if (g != w) {
                    fprintf(stderr,
                            "cue %s on '%s' [%zu, %zu): regexec %d, "
                            "alternatives %d\n",
                            c->id, text, s, e, w, g);
                    CHECK(g == w);
                }
            }
    }
    free(hit);
    free(occ);
}

/* Score d with the alternatives and without: the same in every field. */
static void check_doc(const struct rubric *fast, const struct rubric *slow,
                      const struct doc *d)
{
    struct score_result a, b;
    score_document(fast, d, &a);
    score_document(slow, d, &b);
    n_docs++;
    for (size_t i = 0; i < fast->n_indicators; i++) {
        const struct score_indicator *x = &a.indicators[i],
                                     *y = &b.indicators[i];
        bool same =
            x->state == y->state && x->evidence == y->evidence &&
            (x->cue ? y->cue && !strcmp(x->cue->id, y->cue->id) : !y->cue) &&
            (x->negation
                 ? y->negation && !strcmp(x->negation->id, y->negation->id)
                 : !y->negation) &&
            !strcmp(x->reason, y->reason);
        if (!same)
            fprintf(stderr, "%s: indicator %s differs: %s (%s) vs %s (%s)\n",
                    d->path, fast->indicators[i].id, cw_state_name(x->state),
                    x->reason, cw_state_name(y->state), y->reason);
        CHECK(same);
    }
    CHECK_DBL_EQ(a.overall, b.overall, 0);
    score_release(&a);
    score_release(&b);
    for (size_t s = 0; s < d->n_sections; s++)
        for (size_t u = 0; u < d->sections[s].n_units; u++)
            check_text(fast, d->sections[s].units[u].norm);
}

static void check_file(const struct rubric *fast, const struct rubric *slow,
                       const char *path)
{
    struct cw_error err;
    struct doc *d = doc_load(path, &err);
    if (!d)
        return; /* fixtures that must fail to parse */
    check_doc(fast, slow, d);
    doc_free(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.txt of dir (not recursive), in name order. */
static void check_dir(const struct rubric *fast, const struct rubric *slow,
                      const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        size_t sz = strlen(dir) + l + 2;
        names[n] = malloc(sz);
        snprintf(names[n++], sz, "%s/%s", dir, e->d_name);
    }
    closedir(dp);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        check_file(fast, slow, names[i]);
        free(names[i]);
    }
    free(names);
}

static struct rubric *load(const char *path)
{
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r = rubric_load(path, errs);
    if (!r)
        fprintf(stderr, "%s: %s\n", path, errs->n ? errs->e[0].msg : "?");
    free(errs);
    return r;
}

static bool expands(const char *pattern, size_t want_n)
{
    struct litalt_set s;
    bool ok = litalt_expand(pattern, 512, &s);
    bool right = ok ? s.n == want_n : want_n == 0;
    litalt_set_release(&s);
    return right;
}

static void test_expand(void)
{
    CHECK(expands("\\b(does|do|did) not (have|possess)\\b", 6));
    CHECK(expands("recogni[sz]ed", 2));
    CHECK(expands("x[a-c]?y", 4));
    CHECK(expands("^(none|nil)\\.?$", 4));
    CHECK(expands("a.b", 0));
    CHECK(expands("ab*", 0));
    CHECK(expands("a{2}", 0));
    CHECK(expands("[^a]b", 0));
    CHECK(expands("[[:alpha:]]", 0));
    CHECK(expands("\\w", 0));
    CHECK(expands("(a|)", 0)); /* may match the empty string */
    CHECK(expands("a)", 0));
}

/* Hand-made patterns on edge strings: word edges, anchors, '_'. */
static void test_edges(void)
{
    static const char *const patterns[] = {
        "\\bnot\\b",    "\\bno (doubt|exception)\\b",
        "^no [a-c]",    "nil\\.?$",
        "\\Bab",        "\\<ab\\>",
        "eu |eu-",      "x\\b y",
        "(a|ab)(c|bcd)"};
    static const char *const texts[] = {
        "not",      "knot",      "not_",          "_not", "a not b", "not.",
        "no doubt", "no doubts", "no exception.", "no a", "xno a",   "nil",
        "nil.",     "nil. ",     "cab",           "ab",   "ab cd",   "eu x",
        "eu-x",     "eux",       "x y",           "xx y", "abcd",    "abc",
        "acd",      "zabcd"};
    char csv[2048];
    for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++) {
        snprintf(csv, sizeof csv,
                 "kind,id,name,target,weight,match,scope,note\n"
                 "meta,name,edges,,,,,\nmeta,version,1,,,,,\n"
                 "pillar,legal,Legal,overall,1,,,\n"
                 "level,absent,absent,,0,,,\nlevel,partial,partial,,1,,,\n"
                 "level,present,present,,2,,,\n"
                 "indicator,1.1.1,Criminal legislation,legal,1,1.1.1,,\n"
                 "cue,c,present,*,,\"%s\",any,\n",
                 patterns[p]);
        struct cw_errors *errs = calloc(1, sizeof *errs);
        struct rubric *r = rubric_parse("edges", csv, strlen(csv), errs);
        CHECK(r != NULL);
        if (r) {
            CHECK(r->cues[0].alts.n > 0);
            for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
                check_text(r, texts[t]);
        }
        rubric_free(r);
        free(errs);
    }
}

/* Run argv (a program and its arguments); true when it exits 0. */
static bool run(char **argv)
{
    pid_t pid;
    int status = 1;
    if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) == 0)
        waitpid(pid, &status, 0);
    return status == 0;
}

/* Run genprofiles into a fresh folder (its name into dir); returns the
 * documents' folder (owned) or NULL. */
static char *generate(const char *genprofiles, char *tmpl)
{
    if (!mkdtemp(tmpl))
        return NULL;
    size_t sz = strlen(tmpl) + 8;
    char *docs = malloc(sz);
    snprintf(docs, sz, "%s/docs", tmpl);
    char home[64];
    snprintf(home, sizeof home, "%s/home", tmpl);
    char *argv[] = {(char *)genprofiles,
                    (char *)"--seed",
                    (char *)"5",
                    (char *)"--home",
                    home,
                    (char *)"120",
                    docs,
                    NULL};
    if (!run(argv)) {
        free(docs);
        return NULL;
    }
    return docs;
}

int main(int argc, char **argv)
{
    test_expand();
    test_edges();
    struct rubric *fast = load(SRC("rubric/gci2014.csv"));
    struct rubric *slow = load(SRC("rubric/gci2014.csv"));
    CHECK(fast && slow);
    if (!fast || !slow)
        return test_summary();
    CHECK(fast->use_alts);
    slow->use_alts = false;
    if (argc > 1) {
        char tmpl[] = "/tmp/cwlitalt.XXXXXX";
        char *docs = generate(argv[1], tmpl);
        CHECK(docs != NULL);
        if (docs)
            check_dir(fast, slow, docs);
        free(docs);
        char *rm[] = {(char *)"rm", (char *)"-rf", tmpl, NULL};
        CHECK(run(rm));
    } else {
        check_file(fast, slow, SRC("data/profiles/bel.txt"));
        check_dir(fast, slow, SRC("tests/fixtures/layouts"));
        check_dir(fast, slow, SRC("tests/fixtures/negation"));
        check_dir(fast, slow, SRC("tests/fixtures/profiles"));
        check_dir(fast, slow, CW_SHARED_DIR "/data/itu-profiles");
    }
    printf("%zu documents, %zu texts, %zu cue checks\n", n_docs, n_texts,
           n_checks);
    CHECK(n_docs > 0);
    rubric_free(fast);
    rubric_free(slow);
    return test_summary();
}
