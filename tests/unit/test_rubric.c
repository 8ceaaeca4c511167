/*
 * Unit tests for core/rubric: the shipped rubrics load with the expected
 * structure; every kind of mistake is refused with file:line:col and its
 * message, all of them listed (tests/fixtures/rubrics/); the required
 * literal of several patterns.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rubric.h"
#include "test.h"
#include "util/fileio.h"
#include "util/strbuf.h"

#include "util/banned.h"

#define N_OF(a)       (sizeof(a) / sizeof *(a))
#define FIXTURE(name) SRC("tests/fixtures/rubrics/" name)

struct want_err {
    unsigned line, col;
    const char *msg;
};

/* Load path, which must fail with exactly the errors in want (in order)
 * and n_dropped more. */
static void check_errors(const char *path, const struct want_err *want,
                         size_t n_want, size_t n_dropped)
{
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r = rubric_load(path, errs);
    CHECK(r == NULL);
    rubric_free(r);
    CHECK_INT_EQ(errs->n, n_want);
    CHECK_INT_EQ(errs->n_dropped, n_dropped);
    for (size_t i = 0; i < n_want && i < errs->n; i++) {
        const struct cw_error *e = &errs->e[i];
        CHECK_INT_EQ(e->code, CW_ERR_PARSE);
        CHECK_STR_EQ(e->file, path);
        CHECK_INT_EQ(e->line, want[i].line);
        CHECK_INT_EQ(e->col, want[i].col);
        CHECK_STR_EQ(e->msg, want[i].msg);
    }
    if (errs->n != n_want)
        for (size_t i = 0; i < errs->n; i++)
            fprintf(stderr, "  got %u:%u: %s\n", errs->e[i].line,
                    errs->e[i].col, errs->e[i].msg);
    free(errs);
}

#define CHECK_ERRORS(name, dropped, ...)                                       \
    do {                                                                       \
        static const struct want_err w_[] = {__VA_ARGS__};                     \
        check_errors(FIXTURE(name), w_, N_OF(w_), dropped);                    \
    } while (0)

static struct rubric *load_ok(const char *path)
{
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r = rubric_load(path, errs);
    CHECK(r != NULL);
    CHECK_INT_EQ(errs->n, 0);
    for (size_t i = 0; i < errs->n; i++)
        fprintf(stderr, "  %s:%u:%u: %s\n", path, errs->e[i].line,
                errs->e[i].col, errs->e[i].msg);
    free(errs);
    return r;
}

static const struct rubric_cue *find_cue(const struct rubric *r, const char *id)
{
    for (size_t i = 0; i < r->n_cues; i++)
        if (!strcmp(r->cues[i].id, id))
            return &r->cues[i];
    return NULL;
}

/* The pillar of each indicator of the 2014-2015 series in gci2014.csv. */
static const struct {
    const char *id, *pillar;
} gci_indicators[] = {
    {"1.1.1", "legal"},
    {"1.1.2", "legal"},
    {"1.2.1", "technical"},
    {"1.2.2", "technical"},
    {"1.2.3", "technical"},
    {"1.3.1", "organizational"},
    {"1.3.2", "organizational"},
    {"1.3.3", "organizational"},
    {"1.3.4", "organizational"},
    {"1.4.1", "capacity"},
    {"1.4.2", "capacity"},
    {"1.4.3", "capacity"},
    {"1.4.4", "capacity"},
    {"1.5.1", "cooperation"},
    {"1.5.2", "cooperation"},
    {"1.5.3", "cooperation"},
    {"1.5.4", "cooperation"},
    {"2.1", "cop"},
    {"2.2", "cop"},
    {"2.3", "cop"},
    {"2.4", "cop"},
};

static void test_gci2014(void)
{
    struct rubric *r = load_ok(SRC("rubric/gci2014.csv"));
    if (!r)
        return;
    CHECK_STR_EQ(r->name, "gci2014");
    CHECK_STR_EQ(r->version, "1.1.0");
    CHECK_INT_EQ(r->aggregate, RUBRIC_AGG_POINTS);

    static const char *const pillars[] = {"legal",          "technical",
                                          "organizational", "capacity",
                                          "cooperation",    "cop"};
    CHECK_INT_EQ(r->n_pillars, 6);
    for (size_t p = 0; p < N_OF(pillars) && p < r->n_pillars; p++) {
        CHECK_STR_EQ(r->pillars[p].id, pillars[p]);
        CHECK_DBL_EQ(r->pillars[p].weight, 1, 0);
        CHECK(r->pillars[p].in_overall == (p < 5));
    }
    CHECK_STR_EQ(r->pillars[3].name, "Capacity Building");

    /* 17 scored indicators and 4 child-online-protection ones. */
    CHECK_INT_EQ(r->n_indicators, N_OF(gci_indicators));
    size_t scored = 0, cop = 0;
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        CHECK_STR_EQ(ind->id, gci_indicators[i].id);
        CHECK_STR_EQ(ind->section, gci_indicators[i].id);
        CHECK_STR_EQ(r->pillars[ind->pillar].id, gci_indicators[i].pillar);
        CHECK_DBL_EQ(ind->weight, 1, 0);
        if (r->pillars[ind->pillar].in_overall)
            scored++;
        else
            cop++;
    }
    CHECK_INT_EQ(scored, 17);
    CHECK_INT_EQ(cop, 4);
    CHECK_INT_EQ(rubric_find_indicator(r, "1.4.3"), 11);
    CHECK_INT_EQ(rubric_find_indicator(r, "1.6.1"), -1);
    CHECK_INT_EQ(rubric_find_pillar(r, "cop"), 5);
    CHECK_INT_EQ(rubric_find_pillar(r, "Legal"), -1);

    /* Title aliases in doc_title_key form. */
    const struct rubric_indicator *cirt =
        &r->indicators[rubric_find_indicator(r, "1.2.1")];
    static const char *const cirt_aliases[] = {"CIRT", "CERT", "CSIRT",
                                               "CIRT & RCC", "CIRT AND RCC"};
    CHECK_INT_EQ(cirt->n_aliases, N_OF(cirt_aliases));
    for (size_t a = 0; a < N_OF(cirt_aliases) && a < cirt->n_aliases; a++)
        CHECK_STR_EQ(cirt->aliases[a], cirt_aliases[a]);
    const struct rubric_indicator *pp =
        &r->indicators[rubric_find_indicator(r, "1.5.3")];
    CHECK_INT_EQ(pp->n_aliases, 2);
    CHECK_STR_EQ(pp->aliases[1], "PUBLIC PRIVATE PARTNERSHIP");

    /* Levels 0/1/2; unknown and not stated count 0. */
    for (int s = 0; s < CW_N_STATES; s++)
        CHECK(r->has_level[s]);
    CHECK_DBL_EQ(r->points[CW_ABSENT], 0, 0);
    CHECK_DBL_EQ(r->points[CW_PARTIAL], 1, 0);
    CHECK_DBL_EQ(r->points[CW_PRESENT], 2, 0);
    CHECK_DBL_EQ(r->points[CW_UNKNOWN], 0, 0);
    CHECK_DBL_EQ(r->points[CW_UNSTATED], 0, 0);
    CHECK_DBL_EQ(r->max_points, 2, 0);
    CHECK_DBL_EQ(r->min_points, 0, 0);

    /* Ranked from 16 of the 17 indicators; compared with GCI 2014. */
    CHECK_INT_EQ(r->min_coverage, 16);
    CHECK_STR_EQ(r->edition, "2014");

    /* Clauses and cues. */
    CHECK_INT_EQ(r->n_clauses, 3);
    CHECK_STR_EQ(r->clauses[0].id, "however");
    CHECK_INT_EQ(r->n_cues, 61);
    CHECK_STR_EQ(r->cues[0].id, "unk-exact-number");
    CHECK_INT_EQ(r->cues[0].status, CW_UNKNOWN);
    CHECK_INT_EQ(r->cues[0].line, 69);
    const struct rubric_cue *c = find_cue(r, "pre-cyber-strategy");
    CHECK(c && c->status == CW_PRESENT && c->scope == CUE_LEAD && c->target &&
          !strcmp(c->target, "1.3.1"));
    c = find_cue(r, "bul-none");
    CHECK(c && c->status == CW_ABSENT && c->scope == CUE_BULLET &&
          c->target == NULL);
    c = find_cue(r, "par-draft");
    CHECK(c && c->status == CW_PARTIAL && c->scope == CUE_ANY);
    CHECK_STR_EQ(c ? c->literal : NULL, "draft");
    c = find_cue(r, "neu-assessment");
    CHECK(c && c->is_neutral);
    c = find_cue(r, "cav-regional");
    CHECK(c && c->status == CW_ABSENT && c->scope == CUE_CAVEAT);
    /* Negations: "not" before a cue's key term; false negations. */
    CHECK_INT_EQ(r->n_negations, 13);
    CHECK_STR_EQ(r->negations[0].id, "neg-not");
    CHECK(r->negations[0].scope == NEG_BEFORE && r->negations[0].window == 3);
    CHECK(r->negations[r->n_negations - 1].is_false);
    /* Every cue compiles to a regex that works on lower-case text. */
    c = find_cue(r, "abs-there-is-no");
    CHECK(c && regexec(&c->re, "there is still no agency", 0, NULL, 0) == 0);
    CHECK(c && regexec(&c->re, "there is a roadmap", 0, NULL, 0) != 0);
    rubric_free(r);
}

static void test_binary_equal(void)
{
    struct rubric *r = load_ok(SRC("rubric/binary-equal.csv"));
    struct rubric *g = load_ok(SRC("rubric/gci2014.csv"));
    if (!r || !g) {
        rubric_free(r);
        rubric_free(g);
        return;
    }
    CHECK_STR_EQ(r->name, "binary-equal");
    CHECK_INT_EQ(r->aggregate, RUBRIC_AGG_PILLARS);
    CHECK_INT_EQ(r->min_coverage, 20); /* of 21 */
    CHECK(r->edition == NULL);         /* no published edition shares it */
    CHECK_INT_EQ(r->n_pillars, 5);
    for (size_t p = 0; p < r->n_pillars; p++) {
        CHECK(r->pillars[p].in_overall);
        CHECK_DBL_EQ(r->pillars[p].weight, 1, 0);
        CHECK_STR_EQ(r->pillars[p].id, g->pillars[p].id);
    }
    CHECK_DBL_EQ(r->points[CW_PRESENT], 1, 0);
    CHECK_DBL_EQ(r->points[CW_PARTIAL], 0, 0);
    CHECK_DBL_EQ(r->points[CW_ABSENT], 0, 0);
    CHECK_DBL_EQ(r->points[CW_UNKNOWN], 0, 0);
    CHECK_DBL_EQ(r->points[CW_UNSTATED], 0, 0);
    CHECK_DBL_EQ(r->max_points, 1, 0);

    /* The same indicators; child online protection inside the pillars. */
    static const struct {
        const char *id, *pillar;
    } cop[] = {{"2.1", "legal"},
               {"2.2", "cooperation"},
               {"2.3", "organizational"},
               {"2.4", "technical"}};
    CHECK_INT_EQ(r->n_indicators, g->n_indicators);
    for (size_t i = 0; i < r->n_indicators && i < g->n_indicators; i++) {
        const struct rubric_indicator *a = &r->indicators[i];
        const struct rubric_indicator *b = &g->indicators[i];
        CHECK_STR_EQ(a->id, b->id);
        CHECK_STR_EQ(a->section, b->section);
        CHECK_INT_EQ(a->n_aliases, b->n_aliases);
        const char *want = g->pillars[b->pillar].id;
        for (size_t k = 0; k < N_OF(cop); k++)
            if (!strcmp(a->id, cop[k].id))
                want = cop[k].pillar;
        CHECK_STR_EQ(r->pillars[a->pillar].id, want);
    }
    /* Clause, negation and cue rows copied unchanged. */
    CHECK_INT_EQ(r->n_clauses, g->n_clauses);
    for (size_t k = 0; k < r->n_clauses && k < g->n_clauses; k++)
        CHECK_STR_EQ(r->clauses[k].pattern, g->clauses[k].pattern);
    CHECK_INT_EQ(r->n_cues, g->n_cues);
    for (size_t k = 0; k < r->n_cues && k < g->n_cues; k++) {
        CHECK_STR_EQ(r->cues[k].id, g->cues[k].id);
        CHECK_STR_EQ(r->cues[k].pattern, g->cues[k].pattern);
        CHECK_INT_EQ(r->cues[k].status, g->cues[k].status);
        CHECK_INT_EQ(r->cues[k].scope, g->cues[k].scope);
        CHECK_STR_EQ(r->cues[k].target, g->cues[k].target);
        CHECK_INT_EQ(r->cues[k].is_neutral, g->cues[k].is_neutral);
    }
    CHECK_INT_EQ(r->n_negations, g->n_negations);
    for (size_t k = 0; k < r->n_negations && k < g->n_negations; k++) {
        const struct rubric_negation *a = &r->negations[k];
        const struct rubric_negation *b = &g->negations[k];
        CHECK_STR_EQ(a->id, b->id);
        CHECK_STR_EQ(a->pattern, b->pattern);
        CHECK_INT_EQ(a->status, b->status);
        CHECK_INT_EQ(a->is_false, b->is_false);
        CHECK_INT_EQ(a->scope, b->scope);
        CHECK_INT_EQ(a->window, b->window);
        CHECK_STR_EQ(a->target, b->target);
    }
    rubric_free(r);
    rubric_free(g);
}

static void test_fixture_valid(void)
{
    struct rubric *r = load_ok(FIXTURE("valid.csv"));
    CHECK(r && r->n_pillars == 1 && r->n_indicators == 1 && r->n_cues == 2 &&
          r->n_clauses == 1);
    CHECK(r && !r->has_level[CW_UNKNOWN] && r->points[CW_UNKNOWN] == 0);
    rubric_free(r);

    /* The same saved by a spreadsheet: BOM, CRLF, spaces around cells. */
    struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
    struct cw_error e;
    CHECK_INT_EQ(fileio_read(FIXTURE("valid.csv"), 1 << 20, &in, &e), CW_OK);
    strbuf_adds(&out, "\xef\xbb\xbf");
    for (size_t i = 0; i < in.len; i++) {
        if (in.buf[i] == '\n')
            strbuf_addch(&out, '\r');
        else if (in.buf[i] == ',' && i > 0 && in.buf[i - 1] == 'l')
            strbuf_addch(&out, ' '); /* "legal ," */
        strbuf_addch(&out, in.buf[i]);
    }
    struct cw_errors *errs = calloc(1, sizeof *errs);
    r = rubric_parse("crlf.csv", out.buf, out.len, errs);
    CHECK(r != NULL);
    CHECK_INT_EQ(errs->n, 0);
    CHECK(r && r->n_pillars == 1 && !strcmp(r->pillars[0].id, "legal"));
    CHECK_STR_EQ(r ? r->path : NULL, "crlf.csv");
    CHECK_STR_EQ(r ? r->cues[1].target : NULL, "1.1.1");
    rubric_free(r);
    free(errs);
    strbuf_release(&in);
    strbuf_release(&out);
}

static void test_mistakes(void)
{
    CHECK_ERRORS("unknown-pillar.csv", 0,
                 {9, 4, "indicator '1.1.2' names unknown pillar 'legl'"});
    CHECK_ERRORS("duplicate-indicator.csv", 0,
                 {9, 2, "duplicate indicator '1.1.1' (first at line 8)"});
    CHECK_ERRORS("negative-weight.csv", 0, {9, 5, "weight -0.5 is negative"});
    /* The pillar with the bad weight is kept: its indicator is not
     * reported as naming an unknown pillar. */
    CHECK_ERRORS("nonnumeric-weight.csv", 0,
                 {4, 5, "weight 'heavy' is not a number"});
    CHECK_ERRORS("bad-regex.csv", 0,
                 {9, 6,
                  "pattern '\\bhas (been' does not compile: Unmatched ( or "
                  "\\("});
    /* "a**" (or PCRE's lazy "*?"): undefined in POSIX, seconds of regcomp
     * in glibc when many are stacked. */
    CHECK_ERRORS("stacked-repetition.csv", 0,
                 {12, 6,
                  "pattern repeats a repetition ('*?' at character 14 of the "
                  "pattern): write one of *, +, ? or {n,m}"});
    CHECK_ERRORS("section-twice.csv", 0,
                 {9, 6,
                  "section 1.1.1 is read twice: by '1.1.1' (line 8) and "
                  "'crime2'"});
    CHECK_ERRORS("unknown-kind.csv", 0,
                 {9, 1,
                  "unknown row kind 'indicatr' (expected meta, option, "
                  "pillar, level, indicator, cue, clause or negation)"});
    /* A bad header stops the reading: nothing after it is reported. */
    CHECK_ERRORS("bad-header.csv", 0,
                 {1, 6,
                  "header column 6 is 'regex', expected 'match' (header: "
                  "kind,id,name,target,weight,match,scope,note)"});
    CHECK_ERRORS("unknown-status.csv", 0,
                 {9, 3,
                  "cue status 'maybe' is not present, partial, absent, "
                  "unknown or none"});
    CHECK_ERRORS("bad-options.csv", 0,
                 {4, 3,
                  "min_coverage 'most' is not 'all' or a number of "
                  "indicators"},
                 {5, 3, "edition 'GCI 2014' is not a year"});
    CHECK_ERRORS("min-coverage-too-high.csv", 0,
                 {4, 3,
                  "min_coverage 2 is more than the 1 indicators in the "
                  "overall"});
    CHECK_ERRORS("unknown-cue-target.csv", 0,
                 {9, 4, "cue 'lost' targets unknown indicator '9.9.9'"});
    /* Missing levels: one error each, and no "0/0" error on top. */
    CHECK_ERRORS("missing-levels.csv", 0, {0, 0, "no 'level,absent' row"},
                 {0, 0, "no 'level,partial' row"},
                 {0, 0, "no 'level,present' row"});
    CHECK_ERRORS("empty.csv", 0,
                 {0, 0,
                  "rubric is empty (expected the header "
                  "kind,id,name,target,weight,match,scope,note)"});
    /* A CSV syntax error after a row error: both are listed. */
    CHECK_ERRORS("csv-syntax.csv", 0, {9, 5, "weight -1 is negative"},
                 {10, 0,
                  "malformed CSV: error parsing data while strict checking "
                  "enabled"});

    /* Every mistake of one file: row errors in file order, then the checks
     * that need the whole file. */
    CHECK_ERRORS(
        "all-errors.csv", 0,
        {5, 2, "unknown meta 'colour' (expected name, version or description)"},
        {6, 3, "aggregate 'median' is not 'points' or 'pillars'"},
        {8, 2, "duplicate pillar 'legal' (first at line 7)"},
        {9, 5, "weight -2 is negative"},
        {13, 5, "weight 'two' is not a number"},
        {14, 2,
         "unknown level 'sometimes' (expected present, partial, absent, "
         "unknown or unstated)"},
        {16, 2, "duplicate indicator '1.1.1' (first at line 15)"},
        {17, 6,
         "section 1.1.1 is read twice: by '1.1.1' (line 15) and "
         "'1.1.3'"},
        {19, 5, "weight 'x' is not a number"},
        {20, 6,
         "indicator '1.2.3' reads section 'one.two', which is not a section "
         "number like 1.2.1"},
        {21, 6, "pattern '\\bhas (been' does not compile: Unmatched ( or \\("},
        {22, 3,
         "cue status 'maybe' is not present, partial, absent, unknown or "
         "none"},
        {23, 7, "cue scope 'everywhere' is not lead, any, bullet or caveat"},
        {25, 2, "duplicate cue 'c4' (first at line 24)"},
        {26, 1,
         "unknown row kind 'frobnicate' (expected meta, option, pillar, "
         "level, indicator, cue, clause or negation)"},
        {18, 4, "indicator '1.2.1' names unknown pillar 'tech'"},
        {24, 4, "cue 'c4' targets unknown indicator '7.7.7'"},
        {9, 2, "pillar 'technical' has no indicators"},
        {10, 2, "pillar 'empty' has no indicators"});

    /* More than 20 errors: the first 20 are kept, the rest counted. */
    struct cw_errors *errs = calloc(1, sizeof *errs);
    CHECK(rubric_load(FIXTURE("too-many-errors.csv"), errs) == NULL);
    CHECK_INT_EQ(errs->n, CW_MAX_ERRORS);
    CHECK_INT_EQ(errs->n_dropped, 5);
    CHECK_INT_EQ(errs->e[0].line, 9);
    CHECK_INT_EQ(errs->e[19].line, 28);
    CHECK_STR_EQ(errs->e[19].msg,
                 "unknown row kind 'oops' (expected meta, option, pillar, "
                 "level, indicator, cue, clause or negation)");
    /* Each error carries its source line. */
    CHECK_STR_EQ(errs->e[0].src, "oops,0,,,,,,");

    /* A file that cannot be read; a path holding ':' keeps its reason. */
    CHECK(rubric_load(SRC("tests/fixtures/rubrics/no:such.csv"), errs) == NULL);
    CHECK_INT_EQ(errs->n, 1);
    CHECK_INT_EQ(errs->e[0].code, CW_ERR_IO);
    CHECK_STR_EQ(errs->e[0].msg,
                 "cannot open rubric '" SRC(
                     "tests/fixtures/rubrics/no:such.csv") "': No such file "
                                                           "or directory");
    free(errs);
}

static void test_required_literal(void)
{
    static const struct {
        const char *pattern, *literal, *sample;
    } cases[] = {
        {"\\bhowever\\b", "however", "however it is"},
        {"\\b(does|do) not (currently |yet |presently )?(have|possess)\\b",
         " not ", "it does not currently have"},
        {"a|b", "", "a"},
        {"^(none|nil)\\.?$", "", "none."},
        {"there (is|are) (still )?no\\b", "there ", "there is still no"},
        {"ab*c", "a", "ac"},
        {"colou?r", "colo", "color"},
        {"cyber[a-z ]*(strateg|polic)", "cyber", "cyber security policy"},
        {"x\\.y", "x.y", "x.y"},
        {"[|]abc", "abc", "|abc"},
        {"DRAFT", "draft", "a draft bill"},
        {"a{2,3}bcd", "bcd", "aabcd"},
        {"(foo)+bar", "bar", "foofoobar"},
        {"\\bin the (process|course) of\\b", "in the ", "in the course of"},
        /* A ']' first in a bracket inside a group is a member: the group
         * ends at the second ')'. */
        {"([])]|b)c", "c", "bc"},
        {"[^]x]yz", "yz", "ayz"},
        {"", "", "anything"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        char out[64];
        rubric_required_literal(cases[i].pattern, out, sizeof out);
        CHECK_STR_EQ(out, cases[i].literal);
        /* The literal really is in a text the pattern matches. */
        regex_t re;
        if (!*cases[i].pattern)
            continue;
        CHECK_INT_EQ(regcomp(&re, cases[i].pattern,
                             REG_EXTENDED | REG_ICASE | REG_NOSUB),
                     0);
        CHECK_INT_EQ(regexec(&re, cases[i].sample, 0, NULL, 0), 0);
        CHECK(strstr(cases[i].sample, out) != NULL);
        regfree(&re);
    }
    char small[4];
    rubric_required_literal("however", small, sizeof small);
    CHECK_STR_EQ(small, "how");
}

static void test_state_names(void)
{
    enum cw_state s;
    CHECK_STR_EQ(cw_state_name(CW_UNSTATED), "not stated");
    CHECK_STR_EQ(cw_state_name(CW_PARTIAL), "partial");
    CHECK_STR_EQ(cw_state_name((enum cw_state)9), "?");
    CHECK(cw_state_parse("unknown", &s) && s == CW_UNKNOWN);
    CHECK(cw_state_parse("missing", &s) && s == CW_UNSTATED);
    CHECK(cw_state_parse("not stated", &s) && s == CW_UNSTATED);
    CHECK(!cw_state_parse("Present", &s));
}

/*
 * Patterns that glibc compiles slowly once anchored as ^.*(P) are refused
 * with a message that says where; their harmless neighbours load.
 */
static void test_slow_patterns(void)
{
    static const struct {
        const char *pattern;
        const char *msg; /* NULL: the pattern loads */
    } cases[] = {
        {"(a*)*", "pattern repeats a group that can match nothing ('(a*)*' "
                  "at character 1 of the pattern)"},
        {"x(a|)+y", "('(a|)+' at character 2 of the pattern)"},
        {"(\\b)*", "('(\\b)*' at character 1"},
        {"no((yet )?)*x", "('((yet )?)*' at character 3"},
        {"(a{0,2})?b", "('(a{0,2})?' at character 1"},
        {"(a*b*)*(a*b*)*(a*b*)*(a*b*)*(a*b*)*(a*b*)*(a*b*)*(a*b*)*",
         "('(a*b*)*' at character 1"},
        {"a**", "pattern repeats a repetition ('**' at character 2 of the "
                "pattern)"},
        {"(been )+?x", "('+?' at character 8"},
        {"(yet )?", NULL},
        {"(still |yet )?no\\b", NULL},
        {"(a|b)*c", NULL},
        {"(a+)*c", NULL},
        {"(a{1,2})?b", NULL},
        {"[(]*x", NULL},
        {"\\(a*\\)*", NULL},
    };
    char *base = NULL;
    size_t base_len = 0;
    struct strbuf in = STRBUF_INIT;
    struct cw_error e;
    CHECK_INT_EQ(fileio_read(FIXTURE("valid.csv"), 1 << 20, &in, &e), CW_OK);
    base = in.buf;
    base_len = in.len;
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_add(&sb, base, base_len);
        strbuf_addf(&sb, "cue,slow,present,*,,\"%s\",any,\n", cases[i].pattern);
        struct cw_errors *errs = calloc(1, sizeof *errs);
        struct rubric *r = rubric_parse("slow.csv", sb.buf, sb.len, errs);
        if (!cases[i].msg) {
            if (!r)
                fprintf(stderr, "'%s' refused: %s\n", cases[i].pattern,
                        errs->n ? errs->e[0].msg : "?");
            CHECK(r != NULL);
        } else {
            CHECK(r == NULL);
            CHECK(errs->n == 1);
            bool found = errs->n && strstr(errs->e[0].msg, cases[i].msg);
            if (!found)
                fprintf(stderr, "'%s': got '%s'\n", cases[i].pattern,
                        errs->n ? errs->e[0].msg : "(no error)");
            CHECK(found);
        }
        rubric_free(r);
        free(errs);
        strbuf_release(&sb);
    }
    strbuf_release(&in);
}

/* Negation rows, caveat and neutral cues, target lists (issue 10). */
static void test_negations(void)
{
    struct rubric *r = load_ok(FIXTURE("negations.csv"));
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT_EQ(r->n_negations, 4);
    const struct rubric_negation *g = &r->negations[0];
    CHECK_STR_EQ(g->id, "not");
    CHECK(g->status == CW_ABSENT && !g->is_false && g->scope == NEG_BEFORE &&
          g->window == 3 && g->target == NULL && g->line == 10);
    g = &r->negations[1];
    CHECK(g->scope == NEG_AFTER && g->window == 6);
    CHECK_STR_EQ(g->target, "1.1.1|1.1.2");
    g = &r->negations[2];
    CHECK(g->status == CW_PARTIAL && g->scope == NEG_CLAUSE);
    CHECK(r->negations[3].is_false);
    /* A negation reports where it matched. */
    regmatch_t m;
    CHECK(regexec(&r->negations[0].re, "it has not signed", 1, &m, 0) == 0 &&
          m.rm_so == 7 && m.rm_eo == 10);
    CHECK(r->cues[0].is_neutral && r->cues[0].status == CW_UNKNOWN);
    CHECK(!r->cues[2].is_neutral);
    CHECK_INT_EQ(r->cues[1].scope, CUE_CAVEAT);
    CHECK_STR_EQ(r->cues[2].target, "1.1.1|1.1.2");
    CHECK(rubric_targets(r->cues[2].target, "1.1.2"));
    CHECK(rubric_targets(r->cues[2].target, "1.1.1"));
    CHECK(!rubric_targets(r->cues[2].target, "1.1"));
    CHECK(!rubric_targets(r->cues[2].target, "1.1.12"));
    CHECK(rubric_targets(NULL, "2.4"));
    rubric_free(r);

    CHECK_ERRORS(
        "negation-errors.csv", 0,
        {9, 3, "negation status 'present' is not absent, partial or none"},
        {10, 7,
         "negation scope 'before three' is not 'before N', 'after N' (N "
         "words, 0 to 50) or 'clause'"},
        {11, 7,
         "negation scope 'before 51' is not 'before N', 'after N' (N words, "
         "0 to 50) or 'clause'"},
        {12, 7,
         "negation scope 'around 3' is not 'before N', 'after N' (N words, 0 "
         "to 50) or 'clause'"},
        {13, 2,
         "negation id 'n 5' is empty or has characters other than letters, "
         "digits, '_', '-' and '.'"},
        {14, 6, "pattern '\\bnot (' does not compile: Unmatched ( or \\("},
        {16, 2, "duplicate negation 'n7' (first at line 15)"},
        {18, 4, "cue 'c1' targets unknown indicator '1.1.9'"},
        {17, 4, "negation 'n8' targets unknown indicator '9.9.9'"});
}

int main(void)
{
    test_gci2014();
    test_binary_equal();
    test_fixture_valid();
    test_mistakes();
    test_required_literal();
    test_slow_patterns();
    test_state_names();
    test_negations();
    return test_summary();
}
