/*
 * Unit tests for core/score: Belgium's figures under gci2014.csv, in bel.txt
 * and in every layout fixture; Belgium under binary-equal.csv, computed by
 * hand; the cue semantics on small documents; contributions that add up to
 * the overall score.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "test.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

static struct rubric *load_rubric(const char *path)
{
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r = rubric_load(path, errs);
    CHECK(r != NULL);
    for (size_t i = 0; i < errs->n; i++)
        fprintf(stderr, "  %s:%u: %s\n", path, errs->e[i].line, errs->e[i].msg);
    free(errs);
    return r;
}

static const struct score_indicator *ind_of(const struct score_result *res,
                                            const char *id)
{
    long i = rubric_find_indicator(res->rubric, id);
    CHECK(i >= 0);
    return i >= 0 ? &res->indicators[i] : NULL;
}

static enum cw_state state_of(const struct score_result *res, const char *id)
{
    const struct score_indicator *si = ind_of(res, id);
    return si ? si->state : CW_N_STATES;
}

static const struct score_pillar *pillar_of(const struct score_result *res,
                                            const char *id)
{
    long p = rubric_find_pillar(res->rubric, id);
    CHECK(p >= 0);
    return p >= 0 ? &res->pillars[p] : NULL;
}

/* Belgium's statuses under gci2014.csv (issue 2). */
static const struct {
    const char *id;
    enum cw_state state;
} bel_states[] = {
    {"1.1.1", CW_PRESENT}, {"1.1.2", CW_PRESENT}, {"1.2.1", CW_PRESENT},
    {"1.2.2", CW_PRESENT}, {"1.2.3", CW_ABSENT},  {"1.3.1", CW_PRESENT},
    {"1.3.2", CW_ABSENT},  {"1.3.3", CW_PRESENT}, {"1.3.4", CW_ABSENT},
    {"1.4.1", CW_PRESENT}, {"1.4.2", CW_PRESENT}, {"1.4.3", CW_UNKNOWN},
    {"1.4.4", CW_ABSENT},  {"1.5.1", CW_PRESENT}, {"1.5.2", CW_PRESENT},
    {"1.5.3", CW_PRESENT}, {"1.5.4", CW_PRESENT}, {"2.1", CW_PRESENT},
    {"2.2", CW_PRESENT},   {"2.3", CW_ABSENT},    {"2.4", CW_PRESENT},
};

/* The overall equals the sum of the contributions and score_from_states,
 * and the pillar scores agree. */
static void check_consistent(const struct score_result *res)
{
    const struct rubric *r = res->rubric;
    enum cw_state *states = xcalloc(r->n_indicators, sizeof *states);
    double *contrib = xcalloc(r->n_indicators, sizeof *contrib);
    double *ps = xcalloc(r->n_pillars, sizeof *ps);
    for (size_t i = 0; i < r->n_indicators; i++)
        states[i] = res->indicators[i].state;
    score_contributions(r, states, contrib);
    double sum = 0;
    for (size_t i = 0; i < r->n_indicators; i++) {
        sum += contrib[i];
        if (!r->pillars[r->indicators[i].pillar].in_overall)
            CHECK_DBL_EQ(contrib[i], 0, 0);
    }
    CHECK_DBL_EQ(sum, res->overall, 1e-12);
    CHECK_DBL_EQ(score_from_states(r, states, ps), res->overall, 1e-12);
    for (size_t p = 0; p < r->n_pillars; p++)
        CHECK_DBL_EQ(ps[p], res->pillars[p].score, 1e-12);
    free(states);
    free(contrib);
    free(ps);
}

/* Every figure of issue 2 for a Belgium document under gci2014.csv. */
static void check_belgium_gci(const struct rubric *r, const char *path)
{
    struct cw_error err;
    struct doc *d = doc_load(path, &err);
    CHECK(d != NULL);
    if (!d) {
        fprintf(stderr, "  %s: %s\n", path, err.msg);
        return;
    }
    int failed_before = test_failed;
    struct score_result res;
    score_document(r, d, &res);
    for (size_t i = 0; i < N_OF(bel_states); i++) {
        enum cw_state s = state_of(&res, bel_states[i].id);
        CHECK_INT_EQ(s, bel_states[i].state);
        if (s != bel_states[i].state)
            fprintf(stderr, "  indicator %s\n", bel_states[i].id);
        const struct score_indicator *si = ind_of(&res, bel_states[i].id);
        CHECK_DBL_EQ(si ? si->points : -1, r->points[bel_states[i].state], 0);
        CHECK(si && si->section != NULL);
    }
    CHECK_DBL_EQ(res.points, 24, 0);
    CHECK_DBL_EQ(res.max_points, 34, 0);
    CHECK_DBL_EQ(res.overall, 24.0 / 34.0, 1e-12);
    CHECK_INT_EQ((int)(res.overall * 1000 + 0.5), 706);
    CHECK_DBL_EQ(res.overall_min, 24.0 / 34.0, 1e-12);
    CHECK_DBL_EQ(res.overall_max, 26.0 / 34.0, 1e-12);
    CHECK_INT_EQ(res.coverage, 16);
    CHECK_INT_EQ(res.n_counted, 17);

    static const struct {
        const char *id;
        double points, max, score;
        size_t n, stated;
    } pillars[] = {
        {"legal", 4, 4, 1.0, 2, 2},
        {"technical", 4, 6, 4.0 / 6.0, 3, 3},
        {"organizational", 4, 8, 0.5, 4, 4},
        {"capacity", 4, 8, 0.5, 4, 3},
        {"cooperation", 8, 8, 1.0, 4, 4},
        {"cop", 6, 8, 0.75, 4, 4},
    };
    for (size_t p = 0; p < N_OF(pillars); p++) {
        const struct score_pillar *sp = pillar_of(&res, pillars[p].id);
        if (!sp)
            continue;
        CHECK_DBL_EQ(sp->points, pillars[p].points, 0);
        CHECK_DBL_EQ(sp->max, pillars[p].max, 0);
        CHECK_DBL_EQ(sp->score, pillars[p].score, 1e-12);
        CHECK_INT_EQ(sp->n_indicators, pillars[p].n);
        CHECK_INT_EQ(sp->n_stated, pillars[p].stated);
    }
    /* 1.4.3 could add 2 points to Capacity Building. */
    CHECK_DBL_EQ(pillar_of(&res, "capacity")->min_score, 0.5, 1e-12);
    CHECK_DBL_EQ(pillar_of(&res, "capacity")->max_score, 0.75, 1e-12);
    CHECK_DBL_EQ(pillar_of(&res, "legal")->max_score, 1.0, 1e-12);

    /* The evidence behind two decisions. */
    const struct score_indicator *si = ind_of(&res, "1.4.3");
    CHECK_STR_EQ(si && si->cue ? si->cue->id : NULL, "unk-exact-number");
    CHECK(si && si->evidence &&
          !strncmp(si->evidence->text, "Belgium does not have the exact", 31));
    si = ind_of(&res, "1.3.2");
    CHECK_STR_EQ(si && si->cue ? si->cue->id : NULL, "abs-no-information");
    si = ind_of(&res, "1.1.1");
    CHECK_STR_EQ(si && si->cue ? si->cue->id : NULL, "pre-enacted");
    check_consistent(&res);
    if (test_failed != failed_before)
        fprintf(stderr, "  (in %s)\n", path);
    score_release(&res);
    doc_free(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_belgium(const struct rubric *r)
{
    check_belgium_gci(r, SRC("data/profiles/bel.txt"));
    /* Line numbers of the evidence in bel.txt. */
    struct cw_error err;
    struct doc *d = doc_load(SRC("data/profiles/bel.txt"), &err);
    struct score_result res;
    score_document(r, d, &res);
    CHECK_INT_EQ(ind_of(&res, "1.4.3")->evidence->line, 82);
    CHECK_INT_EQ(ind_of(&res, "1.1.2")->evidence->line, 31);
    CHECK_INT_EQ(ind_of(&res, "2.4")->evidence->line, 126);
    score_release(&res);
    doc_free(d);

    /* Every layout fixture gives the same figures. */
    DIR *dir = opendir(SRC("tests/fixtures/layouts"));
    CHECK(dir != NULL);
    if (!dir)
        return;
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n < N_OF(names)) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".txt"))
            names[n++] = xstrdup(e->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_str);
    CHECK(n >= 7);
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SRC("tests/fixtures/layouts"),
                 names[i]);
        check_belgium_gci(r, path);
        free(names[i]);
    }
}

/*
 * Belgium under rubric/binary-equal.csv, by hand. The statuses are those of
 * gci2014 (the same cues); points are present 1, everything else 0; the
 * child-online-protection sections sit in the pillars.
 *
 *   Legal           1.1.1 P, 1.1.2 P, 2.1 P                  3/3 = 1.00
 *   Technical       1.2.1 P, 1.2.2 P, 1.2.3 A, 2.4 P         3/4 = 0.75
 *   Organizational  1.3.1 P, 1.3.2 A, 1.3.3 P, 1.3.4 A, 2.3 A 2/5 = 0.40
 *   Capacity        1.4.1 P, 1.4.2 P, 1.4.3 U, 1.4.4 A       2/4 = 0.50
 *   Cooperation     1.5.1 P, 1.5.2 P, 1.5.3 P, 1.5.4 P, 2.2 P 5/5 = 1.00
 *
 *   overall = mean of the five = (1 + 0.75 + 0.40 + 0.50 + 1) / 5 = 0.73
 *   points 15 of 21; coverage 20 of 21 (1.4.3 unknown)
 *   range: 1.4.3 present would make Capacity 3/4 = 0.75, so the overall
 *   could reach (1 + 0.75 + 0.40 + 0.75 + 1) / 5 = 0.78
 *   a present indicator of a pillar of n indicators contributes 1/(5n):
 *   2.4 adds 1/20 = 0.05, 2.3 (absent) adds 0.
 */
static void test_binary_equal(void)
{
    struct rubric *r = load_rubric(SRC("rubric/binary-equal.csv"));
    struct cw_error err;
    struct doc *d = doc_load(SRC("data/profiles/bel.txt"), &err);
    CHECK(d != NULL);
    if (!r || !d) {
        rubric_free(r);
        doc_free(d);
        return;
    }
    struct score_result res;
    score_document(r, d, &res);
    for (size_t i = 0; i < N_OF(bel_states); i++)
        CHECK_INT_EQ(state_of(&res, bel_states[i].id), bel_states[i].state);
    static const struct {
        const char *id;
        double points, max, score;
    } pillars[] = {
        {"legal", 3, 3, 1.00},          {"technical", 3, 4, 0.75},
        {"organizational", 2, 5, 0.40}, {"capacity", 2, 4, 0.50},
        {"cooperation", 5, 5, 1.00},
    };
    CHECK_INT_EQ(r->n_pillars, N_OF(pillars));
    for (size_t p = 0; p < N_OF(pillars); p++) {
        const struct score_pillar *sp = pillar_of(&res, pillars[p].id);
        CHECK_DBL_EQ(sp ? sp->points : -1, pillars[p].points, 0);
        CHECK_DBL_EQ(sp ? sp->max : -1, pillars[p].max, 0);
        CHECK_DBL_EQ(sp ? sp->score : -1, pillars[p].score, 1e-12);
    }
    CHECK_DBL_EQ(res.overall, 0.73, 1e-12);
    CHECK_DBL_EQ(res.points, 15, 0);
    CHECK_DBL_EQ(res.max_points, 21, 0);
    CHECK_INT_EQ(res.coverage, 20);
    CHECK_INT_EQ(res.n_counted, 21);
    CHECK_DBL_EQ(res.overall_min, 0.73, 1e-12);
    CHECK_DBL_EQ(res.overall_max, 0.78, 1e-12);
    CHECK_DBL_EQ(pillar_of(&res, "capacity")->max_score, 0.75, 1e-12);

    enum cw_state states[64];
    double contrib[64];
    CHECK(r->n_indicators <= N_OF(states));
    for (size_t i = 0; i < r->n_indicators; i++)
        states[i] = res.indicators[i].state;
    score_contributions(r, states, contrib);
    CHECK_DBL_EQ(contrib[rubric_find_indicator(r, "2.4")], 0.05, 1e-12);
    CHECK_DBL_EQ(contrib[rubric_find_indicator(r, "2.3")], 0, 0);
    CHECK_DBL_EQ(contrib[rubric_find_indicator(r, "1.1.1")], 1.0 / 15, 1e-12);
    check_consistent(&res);
    score_release(&res);
    doc_free(d);
    rubric_free(r);
}

/* Score one section's text under r; the result is for indicator id. */
struct one {
    enum cw_state state;
    const char *cue;      /* id, or NULL */
    const char *evidence; /* text, or NULL */
    const char *reason;
};

static struct one score_text(const struct rubric *r, const char *text,
                             const char *id)
{
    struct one o = {CW_N_STATES, NULL, NULL, NULL};
    static char cue[64], evidence[512], reason[256];
    struct cw_error err;
    struct doc *d = doc_parse("t.txt", text, strlen(text), &err);
    CHECK(d != NULL);
    if (!d) {
        fprintf(stderr, "  parse error: %s\n", err.msg);
        return o;
    }
    struct score_result res;
    score_document(r, d, &res);
    const struct score_indicator *si = ind_of(&res, id);
    if (si) {
        o.state = si->state;
        /* The reason may live in the result (a negation's): copy it. */
        snprintf(reason, sizeof reason, "%s", si->reason);
        o.reason = reason;
        if (si->cue) {
            snprintf(cue, sizeof cue, "%s", si->cue->id);
            o.cue = cue;
        }
        if (si->evidence) {
            snprintf(evidence, sizeof evidence, "%s", si->evidence->text);
            o.evidence = evidence;
        }
    }
    score_release(&res);
    doc_free(d);
    return o;
}

#define CHECK_CUE(r, text, id, want_state, want_cue)                           \
    do {                                                                       \
        struct one o_ = score_text(r, text, id);                               \
        CHECK_STR_EQ(cw_state_name(o_.state), cw_state_name(want_state));      \
        CHECK_STR_EQ(o_.cue, want_cue);                                        \
    } while (0)

static void test_cues(const struct rubric *r)
{
    /* A negative with a "However ... will make ... available" caveat stays
     * absent. */
    CHECK_CUE(r,
              "1.2.2 STANDARDS\nThere is no officially approved national "
              "framework for implementing standards. However, the National "
              "Cyber Security Centre will make a framework available in "
              "2016.\n",
              "1.2.2", CW_ABSENT, "abs-there-is-no");
    /* A negative softened in the same sentence: partial. */
    struct one o = score_text(r,
                              "1.2.1 CIRT\nTrinidad and Tobago does not have "
                              "an officially recognized national CIRT; "
                              "however it is in the process of establishing "
                              "one.\n",
                              "1.2.1");
    CHECK_INT_EQ(o.state, CW_PARTIAL);
    CHECK_STR_EQ(o.cue, "par-in-process");
    CHECK_STR_EQ(o.reason, "a negative lead softened by a later clause");
    /* ... and in the next sentence. */
    CHECK_CUE(r,
              "1.3.1 POLICY\nLibya does not have an officially recognized "
              "national cybersecurity strategy. However, the ministry is "
              "currently developing one.\n",
              "1.3.1", CW_PARTIAL, "par-developing");
    /* A caveat naming a related non-cyber strategy keeps it absent. */
    CHECK_CUE(r,
              "1.3.1 POLICY\nMacedonia does not have an officially "
              "recognized national cybersecurity strategy. But it has a "
              "strategy for personal data protection.\n",
              "1.3.1", CW_ABSENT, "abs-not-have");

    /* A positive list lead-in decided by its bullets. */
    static const char lead[] = "1.1.1 CRIMINAL LEGISLATION\nSpecific "
                               "legislation on cybercrime has been enacted "
                               "through the following instruments:\n";
    char text[1024];
    snprintf(text, sizeof text, "%s- None.\n", lead);
    o = score_text(r, text, "1.1.1");
    CHECK_INT_EQ(o.state, CW_ABSENT);
    CHECK_STR_EQ(o.cue, "bul-none");
    CHECK_STR_EQ(o.evidence, "None.");
    snprintf(text, sizeof text, "%s-None.\n", lead);
    CHECK_CUE(r, text, "1.1.1", CW_ABSENT, "bul-none");
    snprintf(text, sizeof text,
             "%s- Computer Misuse Act 2001 (revoked in 2012)\n", lead);
    CHECK_CUE(r, text, "1.1.1", CW_ABSENT, "bul-revoked");
    snprintf(text, sizeof text,
             "%s- Cybercrime Bill (Draft)\n- Electronic Evidence Bill "
             "(Draft)\n",
             lead);
    o = score_text(r, text, "1.1.1");
    CHECK_INT_EQ(o.state, CW_PARTIAL);
    CHECK_STR_EQ(o.cue, "bul-draft");
    CHECK_STR_EQ(o.reason, "the list lead-in is positive but its best "
                           "bullet is partial");
    /* One instrument in force is enough. */
    snprintf(text, sizeof text,
             "%s- Cybercrime Bill (Draft)\n- Penal Code\n- None.\n", lead);
    CHECK_CUE(r, text, "1.1.1", CW_PRESENT, "pre-enacted");
    /* A collapsed lead-in with inline bullets. */
    CHECK_CUE(r,
              "1.1.1 CRIMINAL LEGISLATION Specific legislation on cybercrime "
              "has been enacted through the following instrument: - None. "
              "1.1.2 REGULATION AND COMPLIANCE",
              "1.1.1", CW_ABSENT, "bul-none");

    /* "does not have the exact number" is unknown, not absent. */
    o = score_text(r,
                   "1.4.3 PROFESSIONAL CERTIFICATION\nBelgium does not have "
                   "the exact number of public sector professionals "
                   "certified.\n",
                   "1.4.3");
    CHECK_INT_EQ(o.state, CW_UNKNOWN);
    CHECK_STR_EQ(o.cue, "unk-exact-number");

    /* "There is a" / "There is an" are positive, "There is no" negative. */
    CHECK_CUE(r,
              "1.3.2 ROADMAP FOR GOVERNANCE\nThere is a national governance "
              "roadmap for cybersecurity.\n",
              "1.3.2", CW_PRESENT, "pre-there-is-a");
    CHECK_CUE(r,
              "1.3.2 ROADMAP FOR GOVERNANCE\nThere is an officially "
              "recognized national governance roadmap through the Plan.\n",
              "1.3.2", CW_PRESENT, "pre-officially");
    CHECK_CUE(r,
              "1.3.2 ROADMAP FOR GOVERNANCE\nThere is no national governance "
              "roadmap for cybersecurity in Ukraine.\n",
              "1.3.2", CW_ABSENT, "abs-there-is-no");
    CHECK_CUE(r,
              "1.3.2 ROADMAP FOR GOVERNANCE\nLebanon does have a national "
              "governance roadmap.\n",
              "1.3.2", CW_PRESENT, "pre-does-have");
    /* A positive sentence about a strategy that is not a cyber one. */
    CHECK_CUE(r,
              "1.3.1 POLICY\nUkraine has an officially recognized National "
              "Security Strategy.\n",
              "1.3.1", CW_PARTIAL, "par-noncyber-strategy");
    /* Upper-case text matches the same cues. */
    CHECK_CUE(r,
              "1.2.1 CIRT\nBELGIUM HAS AN OFFICIALLY RECOGNIZED NATIONAL "
              "CIRT.\n",
              "1.2.1", CW_PRESENT, "pre-officially");

    /* No cue matches: unknown, with the first sentence as evidence. */
    o = score_text(r, "1.2.2 STANDARDS\nThe weather is fine. It rains.\n",
                   "1.2.2");
    CHECK_INT_EQ(o.state, CW_UNKNOWN);
    CHECK(o.cue == NULL);
    CHECK_STR_EQ(o.reason, "no cue matched the section's text");
    CHECK_STR_EQ(o.evidence, "The weather is fine.");
    /* A section with no text: unknown. */
    o = score_text(r, "1.2.2 STANDARDS\n1.2.3 CERTIFICATION\nNone.\n", "1.2.2");
    CHECK_INT_EQ(o.state, CW_UNKNOWN);
    CHECK_STR_EQ(o.reason, "the section has no text");
    CHECK(o.evidence == NULL);
    /* No such section: not stated, 0 points. */
    o = score_text(r, "1.2.2 STANDARDS\nThere is none.\n", "1.4.4");
    CHECK_INT_EQ(o.state, CW_UNSTATED);
    CHECK_STR_EQ(o.reason, "the document has no such section");
    CHECK(o.evidence == NULL && o.cue == NULL);
    /* A section found by its title when its number differs. */
    CHECK_CUE(r,
              "1.2.7 CERT\nBelgium has an officially recognized national "
              "CERT.\n",
              "1.2.1", CW_PRESENT, "pre-officially");
}

/*
 * Negation by scope, on a small rubric made for it: one present cue ("member
 * of" / "ratified"), one absent cue ("there is no"), one partial cue; the
 * negations and false negations of gci2014.csv in miniature.
 */
static const char neg_rubric[] =
    "kind,id,name,target,weight,match,scope,note\n"
    "meta,name,neg,,,,,\n"
    "meta,version,1,,,,,\n"
    "pillar,p,P,overall,1,,,\n"
    "level,absent,absent,,0,,,\n"
    "level,partial,partial,,1,,,\n"
    "level,present,present,,2,,,\n"
    "indicator,1.1.1,x,p,1,1.1.1,,\n"
    "indicator,1.1.2,y,p,1,1.1.2,,\n"
    "clause,but,,,,\\bbut\\b,,\n"
    "negation,not,absent,*,,\\bnot\\b|n't\\b,before 3,\n"
    "negation,no-longer,absent,*,,\\bno longer\\b,before 3,\n"
    "negation,revoked,absent,*,,\\b(revoked|repealed)\\b,after 4,\n"
    "negation,yet-to-be,partial,*,,\\byet to be\\b,before 3,\n"
    "negation,only-y,absent,1.1.2,,\\bnever\\b,before 3,\n"
    "negation,f-not-only,none,*,,\\bnot only\\b,,\n"
    "negation,f-whether,none,*,,\\bwhether or not\\b,,\n"
    "negation,f-no-doubt,none,*,,\\bno doubt\\b,,\n"
    "cue,abs,absent,*,,\\bthere is no\\b,any,\n"
    "cue,par,partial,*,,\\bnot yet operational\\b,any,\n"
    "cue,pre,present,*,,\\bmember of\\b|\\bratified\\b,any,\n";

/* Check the status of sentence (case number line) as the text of section
 * id under r, and the negation's id ("-": none). */
static void check_neg(const struct rubric *r, const char *sentence,
                      const char *id, enum cw_state want, const char *want_neg,
                      int line)
{
    char text[1024];
    snprintf(text, sizeof text, "%s X\n%s\n", id, sentence);
    struct cw_error err;
    struct doc *d = doc_parse("t.txt", text, strlen(text), &err);
    CHECK(d != NULL);
    if (!d)
        return;
    struct score_result res;
    score_document(r, d, &res);
    const struct score_indicator *si = ind_of(&res, id);
    const char *neg = si && si->negation ? si->negation->id : "-";
    if (!si || si->state != want || strcmp(neg, want_neg) != 0) {
        test_failed++;
        fprintf(stderr,
                "%s: case %d \"%s\": got %s (negation %s), expected %s "
                "(%s)\n",
                __FILE__, line, sentence, si ? cw_state_name(si->state) : "?",
                neg, cw_state_name(want), want_neg);
    } else {
        test_passed++;
    }
    score_release(&res);
    doc_free(d);
}

static void test_negation_scope(void)
{
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r =
        rubric_parse("neg.csv", neg_rubric, strlen(neg_rubric), errs);
    CHECK(r != NULL);
    for (size_t i = 0; i < errs->n; i++)
        fprintf(stderr, "  neg.csv:%u: %s\n", errs->e[i].line, errs->e[i].msg);
    free(errs);
    if (!r)
        return;
    CHECK_INT_EQ(r->n_negations, 8);
    CHECK_INT_EQ(r->negations[0].scope, NEG_BEFORE);
    CHECK_INT_EQ(r->negations[0].window, 3);
    CHECK_INT_EQ(r->negations[2].scope, NEG_AFTER);
    CHECK(r->negations[5].is_false);

    static const struct {
        const char *sentence, *id;
        enum cw_state want;
        const char *negation; /* id, or "-" */
    } cases[] = {
        /* Without a negation the cue stands; with one just before its key
         * term, in the same clause, it is absent. */
        {"Freedonia is a member of FIRST.", "1.1.1", CW_PRESENT, "-"},
        {"Freedonia is not a member of FIRST.", "1.1.1", CW_ABSENT, "not"},
        {"Freedonia isn't a member of FIRST.", "1.1.1", CW_ABSENT, "not"},
        {"Freedonia is no longer a member of FIRST.", "1.1.1", CW_ABSENT,
         "no-longer"},
        /* The window: three words between them, not four. */
        {"Freedonia has not yet formally ratified it.", "1.1.1", CW_ABSENT,
         "not"},
        {"Freedonia has not yet, as of 2014, ratified it.", "1.1.1", CW_PRESENT,
         "-"},
        /* A ';' or ':' ends the scope. */
        {"It did not sign; it ratified the convention.", "1.1.1", CW_PRESENT,
         "-"},
        /* A "before" negation after the key term does not count... */
        {"Freedonia is a member of FIRST and does not pay.", "1.1.1",
         CW_PRESENT, "-"},
        /* ... but an "after" one does, within its window. */
        {"The treaty was ratified in 2010 and later revoked.", "1.1.1",
         CW_ABSENT, "revoked"},
        {"The treaty was ratified in 2010 by the two houses of parliament and "
         "revoked.",
         "1.1.1", CW_PRESENT, "-"},
        /* A negation in another clause or sentence is out of scope. */
        {"It is a member of FIRST but not of TF-CSIRT.", "1.1.1", CW_PRESENT,
         "-"},
        {"It does not pay. It is a member of FIRST.", "1.1.1", CW_PRESENT, "-"},
        /* One match of the cue that no negation reaches keeps it. */
        {"It is a member of A, and not a member of B.", "1.1.1", CW_PRESENT,
         "-"},
        /* False negations. */
        {"Freedonia is not only a member of FIRST.", "1.1.1", CW_PRESENT, "-"},
        {"Whether or not a member of FIRST, it reports.", "1.1.1", CW_PRESENT,
         "-"},
        {"There is no doubt that it is a member of FIRST.", "1.1.1", CW_PRESENT,
         "-"},
        {"There is no CIRT.", "1.1.1", CW_ABSENT, "-"},
        {"It is a member of a non-governmental forum.", "1.1.1", CW_PRESENT,
         "-"},
        {"Its notable team is a member of FIRST.", "1.1.1", CW_PRESENT, "-"},
        /* A negation with the status partial. */
        {"The CIRT (yet to be established) is a member of FIRST.", "1.1.1",
         CW_PARTIAL, "yet-to-be"},
        /* A negation the cue spells out is its own wording. */
        {"The CIRT is not yet operational.", "1.1.1", CW_PARTIAL, "-"},
        /* A negation limited to one indicator. */
        {"It has never ratified it.", "1.1.2", CW_ABSENT, "only-y"},
        {"It has never ratified it.", "1.1.1", CW_PRESENT, "-"},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        check_neg(r, cases[i].sentence, cases[i].id, cases[i].want,
                  cases[i].negation, (int)i);
    /* Many negations before: the one right before the key term counts
     * (regression: only the first 32 of a clause were once read). */
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 60; i++)
        strbuf_adds(&sb, "not ");
    strbuf_adds(&sb, "a member of FIRST.");
    check_neg(r, sb.buf, "1.1.1", CW_ABSENT, "not", 100);
    strbuf_reset(&sb);
    for (int i = 0; i < 60; i++)
        strbuf_adds(&sb, "whether or not ");
    strbuf_adds(&sb, "a member of FIRST.");
    check_neg(r, sb.buf, "1.1.1", CW_PRESENT, "-", 101);
    strbuf_release(&sb);
    rubric_free(r);
}

/* The three sentences of issue 10 under gci2014.csv, and the reason that
 * names the cue and the negation. */
static void test_negation_gci(const struct rubric *r)
{
    struct one o = score_text(r,
                              "1.5.4 INTERNATIONAL COOPERATION\nFreedonia "
                              "has not ratified the Budapest Convention.\n",
                              "1.5.4");
    CHECK_INT_EQ(o.state, CW_ABSENT);
    CHECK_STR_EQ(o.cue, "pre-member");
    CHECK(o.reason && strstr(o.reason, "cue pre-member negated by neg-not"));
    CHECK_CUE(r,
              "1.5.4 INTERNATIONAL COOPERATION\nFreedonia has ratified the "
              "Budapest Convention.\n",
              "1.5.4", CW_PRESENT, "pre-member");
    o = score_text(r,
                   "1.2.1 CIRT\nThe national CIRT is not officially "
                   "recognized.\n",
                   "1.2.1");
    CHECK_INT_EQ(o.state, CW_ABSENT);
    CHECK_STR_EQ(o.cue, "pre-officially");
    CHECK(o.reason &&
          strstr(o.reason, "cue pre-officially negated by neg-not"));
    CHECK_CUE(r, "1.2.1 CIRT\nThe national CIRT is officially recognized.\n",
              "1.2.1", CW_PRESENT, "pre-officially");
    CHECK_CUE(r,
              "1.1.1 CRIMINAL LEGISLATION\nCybercrime legislation was "
              "repealed in 2014.\n",
              "1.1.1", CW_ABSENT, "abs-repealed");
    o = score_text(r,
                   "1.1.1 CRIMINAL LEGISLATION\nThe Data Act has been "
                   "enacted and later repealed.\n",
                   "1.1.1");
    CHECK_INT_EQ(o.state, CW_ABSENT);
    CHECK(o.reason &&
          strstr(o.reason, "cue pre-enacted negated by neg-repealed"));
    CHECK_CUE(r,
              "1.5.4 INTERNATIONAL COOPERATION\nFreedonia is no longer a "
              "member of FIRST.\n",
              "1.5.4", CW_ABSENT, "pre-member");
    CHECK_CUE(r,
              "1.2.1 CIRT\nFreedonia operates without an officially "
              "recognized national CIRT.\n",
              "1.2.1", CW_ABSENT, "pre-officially");
    CHECK_CUE(r,
              "1.5.4 INTERNATIONAL COOPERATION\nFreedonia does not "
              "participate in any international initiative.\n",
              "1.5.4", CW_ABSENT, "pre-member");
    CHECK_CUE(r,
              "1.5.4 INTERNATIONAL COOPERATION\nFreedonia not only "
              "participates in FIRST but also hosts a regional forum.\n",
              "1.5.4", CW_PRESENT, "pre-member");
}

/* The caveat rules of labelling.md under gci2014.csv. */
static void test_caveats(const struct rubric *r)
{
    static const char no_cirt[] = "1.2.1 CIRT\nFreedonia does not have an "
                                  "officially recognized national CIRT. ";
    char text[1024];
    /* Naming something regional keeps absent... */
    snprintf(text, sizeof text,
             "%sHowever it is a member of the Pacific regional CERT.\n",
             no_cirt);
    CHECK_CUE(r, text, "1.2.1", CW_ABSENT, "abs-not-have");
    /* ... a national step on the measure makes it partial, even with help
     * from abroad ... */
    snprintf(text, sizeof text,
             "%sHowever the ministry is setting one up with technical "
             "expertise from ITU.\n",
             no_cirt);
    CHECK_CUE(r, text, "1.2.1", CW_PARTIAL, "cav-national-step");
    snprintf(text, sizeof text,
             "%sHowever the telecom regulator provides incident response "
             "services.\n",
             no_cirt);
    struct one o = score_text(r, text, "1.2.1");
    CHECK_INT_EQ(o.state, CW_PARTIAL);
    CHECK_STR_EQ(o.reason, "a negative lead with a caveat naming a step on "
                           "the measure");
    /* ... and the same step outside a caveat changes nothing. */
    snprintf(text, sizeof text,
             "%sThe telecom regulator provides incident response services.\n",
             no_cirt);
    CHECK_CUE(r, text, "1.2.1", CW_ABSENT, "abs-not-have");
    /* A positive lead: a caveat saying it is not yet in place or limited
     * makes it partial; a regional one changes nothing. */
    static const char has_cirt[] = "1.2.1 CIRT\nFreedonia has an officially "
                                   "recognized national CIRT (FR-CERT). ";
    snprintf(text, sizeof text, "%sHowever FR-CERT is at a formative stage.\n",
             has_cirt);
    CHECK_CUE(r, text, "1.2.1", CW_PARTIAL, "cav-unfinished");
    snprintf(text, sizeof text,
             "%sIts links with the private sector are limited and "
             "informal.\n",
             has_cirt);
    CHECK_CUE(r, text, "1.2.1", CW_PARTIAL, "cav-limited");
    snprintf(text, sizeof text,
             "%sHowever it is also a member of a regional CERT.\n", has_cirt);
    CHECK_CUE(r, text, "1.2.1", CW_PRESENT, "pre-officially");
    snprintf(text, sizeof text, "%sFR-CERT is still developing its website.\n",
             has_cirt);
    CHECK_CUE(r, text, "1.2.1", CW_PRESENT, "pre-officially");
    /* Work under way next to a measure in place: present. */
    CHECK_CUE(r,
              "1.3.1 POLICY\nFreedonia is in the process of drafting a "
              "national cybersecurity strategy. In 2012 a national "
              "information security programme was approved.\n",
              "1.3.1", CW_PRESENT, "pre-passive");
    /* A neutral readiness assessment is no lead. */
    o = score_text(r,
                   "1.2.1 CIRT\nITU conducted a CIRT readiness assessment for "
                   "Freedonia in 2012. Freedonia does not have an officially "
                   "recognized national CIRT.\n",
                   "1.2.1");
    CHECK_INT_EQ(o.state, CW_ABSENT);
    CHECK(o.evidence && !strncmp(o.evidence, "Freedonia does not", 18));
    /* "No exact number" says nothing; a count said next to it does. */
    CHECK_CUE(r,
              "1.4.3 PROFESSIONAL CERTIFICATION\nFreedonia does not have the "
              "exact number of certified professionals. However there are "
              "at least four in FR-CERT.\n",
              "1.4.3", CW_PRESENT, "pre-count");
    /* A negative, then a clause saying the figures are not known. */
    CHECK_CUE(r,
              "1.4.3 PROFESSIONAL CERTIFICATION\nFreedonia does not have a "
              "body that certifies professionals. There is no record of how "
              "many professionals are certified.\n",
              "1.4.3", CW_UNKNOWN, "unk-how-many");
}

/* A document missing most sections: not stated counts 0, and the range
 * spans what they could be. */
static void test_unstated(const struct rubric *r)
{
    struct cw_error err;
    static const char text[] = "1.1.1 CRIMINAL LEGISLATION\nThere is no law.\n"
                               "1.1.2 REGULATION AND COMPLIANCE\nIt has "
                               "been enacted through the Act.\n";
    struct doc *d = doc_parse("t.txt", text, strlen(text), &err);
    CHECK(d != NULL);
    if (!d)
        return;
    struct score_result res;
    score_document(r, d, &res);
    CHECK_INT_EQ(res.coverage, 2);
    CHECK_DBL_EQ(res.points, 2, 0);
    CHECK_DBL_EQ(res.overall, 2.0 / 34, 1e-12);
    CHECK_DBL_EQ(res.overall_min, 2.0 / 34, 1e-12);
    CHECK_DBL_EQ(res.overall_max, 32.0 / 34, 1e-12);
    CHECK_INT_EQ(pillar_of(&res, "technical")->n_stated, 0);
    CHECK_INT_EQ(state_of(&res, "1.5.4"), CW_UNSTATED);
    check_consistent(&res);
    score_release(&res);
    doc_free(d);
}

/* Weighted pillars and indicators: contributions still add up exactly. */
static void test_weighted(void)
{
    static const char csv[] = "kind,id,name,target,weight,match,scope,note\n"
                              "meta,name,weighted,,,,,\n"
                              "meta,version,1,,,,,\n"
                              "option,aggregate,pillars,,,,,\n"
                              "pillar,a,A,overall,3,,,\n"
                              "pillar,b,B,overall,1,,,\n"
                              "pillar,c,C,apart,1,,,\n"
                              "level,absent,absent,,0,,,\n"
                              "level,partial,partial,,1,,,\n"
                              "level,present,present,,4,,,\n"
                              "indicator,1.1.1,x,a,2,1.1.1,,\n"
                              "indicator,1.1.2,y,a,1,1.1.2,,\n"
                              "indicator,1.2.1,z,b,1,1.2.1,,\n"
                              "indicator,2.1,w,c,1,2.1,,\n"
                              "cue,pre,present,*,,\\bhas\\b,any,\n"
                              "cue,par,partial,*,,\\bdraft\\b,any,\n";
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r = rubric_parse("weighted.csv", csv, strlen(csv), errs);
    CHECK(r != NULL);
    free(errs);
    if (!r)
        return;
    static const char text[] = "1.1.1 CRIMINAL LEGISLATION\nIt has one.\n"
                               "1.1.2 REGULATION AND COMPLIANCE\nA draft.\n"
                               "1.2.1 CIRT\nNothing to say.\n"
                               "2.1 NATIONAL LEGISLATION\nIt has one.\n";
    struct cw_error err;
    struct doc *d = doc_parse("t.txt", text, strlen(text), &err);
    struct score_result res;
    score_document(r, d, &res);
    /* A: (2*4 + 1*1) / (3*4) = 0.75; B: 0 (unknown); C apart: 1.
     * overall = (3*0.75 + 1*0) / 4 = 0.5625 */
    CHECK_DBL_EQ(res.pillars[0].score, 0.75, 1e-12);
    CHECK_DBL_EQ(res.pillars[1].score, 0, 0);
    CHECK_DBL_EQ(res.pillars[2].score, 1, 1e-12);
    CHECK_DBL_EQ(res.overall, 0.5625, 1e-12);
    /* B could reach 1: (3*0.75 + 1) / 4 = 0.8125. */
    CHECK_DBL_EQ(res.overall_max, 0.8125, 1e-12);
    check_consistent(&res);
    enum cw_state all[4] = {CW_PRESENT, CW_PRESENT, CW_PRESENT, CW_ABSENT};
    double contrib[4];
    CHECK_DBL_EQ(score_from_states(r, all, NULL), 1, 1e-12);
    score_contributions(r, all, contrib);
    CHECK_DBL_EQ(contrib[0] + contrib[1] + contrib[2] + contrib[3], 1, 1e-12);
    CHECK_DBL_EQ(contrib[0], 0.5, 1e-12);
    CHECK_DBL_EQ(contrib[2], 0.25, 1e-12);
    score_release(&res);
    doc_free(d);
    rubric_free(r);
}

int main(void)
{
    struct rubric *r = load_rubric(SRC("rubric/gci2014.csv"));
    if (!r)
        return test_summary();
    test_belgium(r);
    test_binary_equal();
    test_cues(r);
    test_negation_scope();
    test_negation_gci(r);
    test_caveats(r);
    test_unstated(r);
    test_weighted();
    rubric_free(r);
    return test_summary();
}
