/* Unit tests for core/compare: ranks, ties, rank ranges, statistics, gaps
 * and strengths, and explanations that add up. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/compare.h"
#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "test.h"

#include "util/banned.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* Point s's arrays at caller storage for up to 16 pillars. */
#define SCORES_STORAGE(s)                                                      \
    double s##_pil[16], s##_min[16], s##_max[16];                              \
    size_t s##_stated[16];                                                     \
    struct compare_scores s = {0};                                             \
    s.pillars = s##_pil;                                                       \
    s.pillar_min = s##_min;                                                    \
    s.pillar_max = s##_max;                                                    \
    s.pillar_stated = s##_stated

static void test_key(void)
{
    /* equal in exact arithmetic, computed two ways */
    CHECK(precision_key(24.0 / 34.0, 3) == precision_key(12.0 / 17.0, 3));
    CHECK_INT_EQ(precision_key(24.0 / 34.0, 3), 706);
    CHECK_INT_EQ(precision_key(0.0005, 3), 1); /* half up */
    CHECK_INT_EQ(precision_key(0.0004999, 3), 0);
    CHECK_INT_EQ(precision_key(0.1 + 0.2, 1), 3);
    CHECK_INT_EQ(precision_key(0.7061, 3), precision_key(0.7059, 3));
    CHECK(precision_key(0.7061, 4) != precision_key(0.7059, 4));
    CHECK_INT_EQ(precision_key(1.0, 0), 1);
    CHECK_INT_EQ(precision_key(0.0, 9), 0);
    enum compare_ties t;
    CHECK(compare_ties_parse("dense", &t) && t == COMPARE_TIES_DENSE);
    CHECK(compare_ties_parse("competition", &t) &&
          t == COMPARE_TIES_COMPETITION);
    CHECK(!compare_ties_parse("olympic", &t));
    CHECK_STR_EQ(compare_ties_name(COMPARE_TIES_DENSE), "dense");
    CHECK_STR_EQ(compare_ties_name(COMPARE_TIES_COMPETITION), "competition");
}

static void check_ranks(const double *v, size_t n, int decimals,
                        enum compare_ties ties, const size_t *want, int line)
{
    size_t got[16];
    compare_rank(v, n, decimals, ties, got);
    for (size_t i = 0; i < n; i++) {
        if (got[i] != want[i]) {
            test_failed++;
            fprintf(stderr, "%s:%d: rank[%zu]: got %zu, expected %zu\n",
                    __FILE__, line, i, got[i], want[i]);
        } else {
            test_passed++;
        }
    }
}

static void test_rank(void)
{
    /* 1, 2, 3, 3, 4 (dense) and 1, 2, 3, 3, 5 (competition) */
    const double a[] = {0.9, 0.8, 0.7, 0.7, 0.6};
    const size_t a_dense[] = {1, 2, 3, 3, 4}, a_comp[] = {1, 2, 3, 3, 5};
    check_ranks(a, N_OF(a), 3, COMPARE_TIES_DENSE, a_dense, __LINE__);
    check_ranks(a, N_OF(a), 3, COMPARE_TIES_COMPETITION, a_comp, __LINE__);
    /* 1, 2, 2, 4 (competition); input order does not matter */
    const double b[] = {0.7, 0.8, 0.9, 0.8};
    const size_t b_dense[] = {3, 2, 1, 2}, b_comp[] = {4, 2, 1, 2};
    check_ranks(b, N_OF(b), 3, COMPARE_TIES_DENSE, b_dense, __LINE__);
    check_ranks(b, N_OF(b), 3, COMPARE_TIES_COMPETITION, b_comp, __LINE__);
    /* ties depend on the precision */
    const double c[] = {0.7061, 0.7059, 0.5};
    const size_t c3[] = {1, 1, 3}, c4[] = {1, 2, 3};
    check_ranks(c, N_OF(c), 3, COMPARE_TIES_COMPETITION, c3, __LINE__);
    check_ranks(c, N_OF(c), 4, COMPARE_TIES_COMPETITION, c4, __LINE__);
    /* all tied; one value; none */
    const double d[] = {0.25, 0.25, 0.25};
    const size_t d_all[] = {1, 1, 1};
    check_ranks(d, N_OF(d), 3, COMPARE_TIES_DENSE, d_all, __LINE__);
    check_ranks(d, N_OF(d), 3, COMPARE_TIES_COMPETITION, d_all, __LINE__);
    check_ranks(d, 1, 3, COMPARE_TIES_DENSE, d_all, __LINE__);
    compare_rank(NULL, 0, 3, COMPARE_TIES_DENSE, NULL);

    size_t order[5];
    const double e[] = {0.3, 0.9, 0.3, 0.95, 0.3001};
    compare_order(e, N_OF(e), 3, order);
    CHECK_INT_EQ(order[0], 3);
    CHECK_INT_EQ(order[1], 1);
    CHECK_INT_EQ(order[2], 0); /* 0.3 = 0.3001 at 3 decimals: input order */
    CHECK_INT_EQ(order[3], 2);
    CHECK_INT_EQ(order[4], 4);
}

static void test_rank_range(void)
{
    /* A 0.5 [0.5, 0.9]; B 0.7 fixed; C 0.7 [0.6, 0.7]; D 0.4 [0.3, 0.75].
     * Best: the country at its max, every other at its min; worst: the
     * reverse. */
    const double v[] = {0.5, 0.7, 0.7, 0.4};
    const double lo[] = {0.5, 0.7, 0.6, 0.3};
    const double hi[] = {0.9, 0.7, 0.7, 0.75};
    size_t best[4], worst[4], rank[4];
    compare_rank_range(v, lo, hi, 4, 3, COMPARE_TIES_COMPETITION, best, worst);
    compare_rank(v, 4, 3, COMPARE_TIES_COMPETITION, rank);
    CHECK_INT_EQ(rank[0], 3);
    CHECK_INT_EQ(best[0], 1);  /* 0.9 above 0.7, 0.6, 0.3 */
    CHECK_INT_EQ(worst[0], 4); /* 0.5 below 0.7, 0.7, 0.75 */
    CHECK_INT_EQ(best[1], 1);  /* 0.7 against 0.5, 0.6, 0.3 */
    CHECK_INT_EQ(worst[1], 3); /* A's 0.9 and D's 0.75 above; C ties */
    CHECK_INT_EQ(best[2], 1);  /* 0.7 ties B's 0.7 */
    CHECK_INT_EQ(worst[2], 4); /* 0.6 below 0.9, 0.7, 0.75 */
    CHECK_INT_EQ(best[3], 1);  /* 0.75 above 0.5, 0.7, 0.6 */
    CHECK_INT_EQ(worst[3], 4);
    compare_rank_range(v, lo, hi, 4, 3, COMPARE_TIES_DENSE, best, worst);
    compare_rank(v, 4, 3, COMPARE_TIES_DENSE, rank);
    CHECK_INT_EQ(rank[0], 2);
    CHECK_INT_EQ(worst[0], 3); /* 0.5 below 0.7, 0.7, 0.75: 2 scores */
    CHECK_INT_EQ(worst[2], 4); /* 0.6 below 0.9, 0.7, 0.75: 3 distinct */
    CHECK_INT_EQ(best[3], 1);

    /* dense: a country whose own score is unique must not count itself */
    const double v2[] = {0.8, 0.6};
    const double lo2[] = {0.5, 0.6};
    const double hi2[] = {0.8, 0.6};
    compare_rank_range(v2, lo2, hi2, 2, 3, COMPARE_TIES_DENSE, best, worst);
    CHECK_INT_EQ(best[0], 1);
    CHECK_INT_EQ(worst[0], 2);
    CHECK_INT_EQ(best[1], 1); /* the other at its worst, 0.5 */
    CHECK_INT_EQ(worst[1], 2);

    /* dense: other countries at their best can tie and count once, so a
     * scenario can fall short of the rank itself; the range takes it in */
    const double v3[] = {0.5, 0.7, 0.9};
    const double lo3[] = {0.5, 0.7, 0.9};
    const double hi3[] = {0.5, 0.9, 0.9};
    compare_rank_range(v3, lo3, hi3, 3, 3, COMPARE_TIES_DENSE, best, worst);
    compare_rank(v3, 3, 3, COMPARE_TIES_DENSE, rank);
    CHECK_INT_EQ(rank[0], 3);
    CHECK_INT_EQ(best[0], 3);
    CHECK_INT_EQ(worst[0], 3); /* the scenario {0.9, 0.9} alone gives 2 */
}

/* ---- joint rank ranges against brute-force enumeration ----------------- */

static unsigned brute_seed = 20261203u;

static unsigned brute_rand(unsigned n)
{
    brute_seed = brute_seed * 1103515245u + 12345u;
    return (brute_seed >> 8) % n;
}

#define BF_MAX_C 5 /* countries */
#define BF_MAX_I 5 /* indicators */

/* A random rubric: 1-3 pillars, 2-5 indicators with awkward weights,
 * three levels, unknown and not stated worth a level's points. */
static struct rubric *random_rubric(void)
{
    static const char *const weights[] = {"1", "1.001", "0.5", "2", "3"};
    static const char *const partial[] = {"0", "0.5", "1"};
    char buf[4096];
    size_t n_p = 1 + brute_rand(3), n_i = 2 + brute_rand(BF_MAX_I - 1);
    if (n_i < n_p)
        n_i = n_p;
    /* unknown and not stated score as a level does (gci2014: as absent),
     * so that the score as ranked is itself one of the resolutions */
    const char *part = partial[brute_rand(3)];
    const char *unk = brute_rand(2) ? "0" : part;
    int len = snprintf(buf, sizeof buf,
                       "kind,id,name,target,weight,match,scope,note\n"
                       "meta,name,random,,,,,\nmeta,version,1,,,,,\n"
                       "option,aggregate,%s,,,,,\n",
                       brute_rand(2) ? "points" : "pillars");
    for (size_t p = 0; p < n_p; p++)
        len += snprintf(buf + len, sizeof buf - (size_t)len,
                        "pillar,p%zu,P%zu,overall,%s,,,\n", p, p,
                        weights[brute_rand(N_OF(weights))]);
    len += snprintf(buf + len, sizeof buf - (size_t)len,
                    "level,absent,absent,,0,,,\nlevel,partial,partial,,%s,,,\n"
                    "level,present,present,,2,,,\n"
                    "level,unknown,unknown,,%s,,,\n"
                    "level,unstated,not stated,,%s,,,\n",
                    part, unk, unk);
    for (size_t i = 0; i < n_i; i++)
        len += snprintf(buf + len, sizeof buf - (size_t)len,
                        "indicator,i%zu,I%zu,p%zu,%s,1.%zu,,\n", i, i,
                        i < n_p ? i : brute_rand((unsigned)n_p),
                        weights[brute_rand(N_OF(weights))], i + 1);
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r = rubric_parse("random", buf, (size_t)len, errs);
    if (!r)
        fprintf(stderr, "random rubric: %s\n%s", errs->e[0].msg, buf);
    free(errs);
    return r;
}

/* The rank of country i among v[0..n) by the definitions, written the
 * slow, obvious way. */
static size_t brute_rank(const long long *key, size_t n, size_t i,
                         enum compare_ties ties)
{
    size_t above = 0;
    for (size_t j = 0; j < n; j++) {
        if (key[j] <= key[i])
            continue;
        bool seen = false; /* dense: each score once */
        for (size_t m = 0; m < j && ties == COMPARE_TIES_DENSE; m++)
            seen = seen || key[m] == key[j];
        above += !seen;
    }
    return 1 + above;
}

static bool is_open_state(enum cw_state s)
{
    return s == CW_UNKNOWN || s == CW_UNSTATED;
}

/* The key of the overall of states under r at dec digits. */
static long long key_of(const struct rubric *r, const enum cw_state *st,
                        int dec)
{
    return precision_key(score_from_states(r, st, NULL), dec);
}

/*
 * One random case: every joint resolution of every country's unknown and
 * not-stated indicators (absent, partial or present each) is enumerated;
 * compare_rank_range must give exactly the best and worst rank over them
 * under competition ranks, and under dense ranks the two scenarios of its
 * definition widened to the rank itself, inside the enumerated range.
 */
static void brute_force_case(void)
{
    struct rubric *r = random_rubric();
    if (!r) {
        test_failed++;
        return;
    }
    size_t n_c = 2 + brute_rand(BF_MAX_C - 1), n_i = r->n_indicators;
    int dec = 1 + (int)brute_rand(3);
    enum cw_state st[BF_MAX_C][BF_MAX_I], cur[BF_MAX_C][BF_MAX_I];
    size_t open_c[BF_MAX_C * BF_MAX_I], open_i[BF_MAX_C * BF_MAX_I], n_open = 0;
    for (size_t c = 0; c < n_c; c++)
        for (size_t i = 0; i < n_i; i++) {
            st[c][i] = (enum cw_state)brute_rand(CW_N_STATES);
            if (is_open_state(st[c][i]) && n_open < 8) {
                open_c[n_open] = c;
                open_i[n_open++] = i;
            } else if (is_open_state(st[c][i])) {
                st[c][i] = CW_ABSENT; /* keep 3^n small */
            }
        }
    /* the model's inputs: each country's score and its range */
    double v[BF_MAX_C], lo[BF_MAX_C], hi[BF_MAX_C];
    for (size_t c = 0; c < n_c; c++) {
        SCORES_STORAGE(s);
        compare_scores_build(r, st[c], &s);
        v[c] = s.overall;
        lo[c] = s.overall_min;
        hi[c] = s.overall_max;
    }
    for (int t = 0; t < 2; t++) {
        enum compare_ties ties =
            t ? COMPARE_TIES_COMPETITION : COMPARE_TIES_DENSE;
        size_t rank[BF_MAX_C], best[BF_MAX_C], worst[BF_MAX_C];
        compare_rank(v, n_c, dec, ties, rank);
        compare_rank_range(v, lo, hi, n_c, dec, ties, best, worst);
        /* every joint resolution */
        size_t tmin[BF_MAX_C], tmax[BF_MAX_C];
        for (size_t c = 0; c < n_c; c++) {
            tmin[c] = SIZE_MAX;
            tmax[c] = 0;
        }
        size_t n_comb = 1;
        for (size_t k = 0; k < n_open; k++)
            n_comb *= 3;
        for (size_t comb = 0; comb < n_comb; comb++) {
            memcpy(cur, st, sizeof cur);
            size_t x = comb;
            for (size_t k = 0; k < n_open; k++, x /= 3)
                cur[open_c[k]][open_i[k]] = (enum cw_state)(x % 3);
            long long key[BF_MAX_C];
            for (size_t c = 0; c < n_c; c++)
                key[c] = key_of(r, cur[c], dec);
            for (size_t c = 0; c < n_c; c++) {
                size_t rk = brute_rank(key, n_c, c, ties);
                tmin[c] = rk < tmin[c] ? rk : tmin[c];
                tmax[c] = rk > tmax[c] ? rk : tmax[c];
            }
        }
        long long now[BF_MAX_C];
        for (size_t c = 0; c < n_c; c++)
            now[c] = precision_key(v[c], dec);
        for (size_t c = 0; c < n_c; c++) {
            CHECK_INT_EQ(rank[c], brute_rank(now, n_c, c, ties));
            CHECK(best[c] <= rank[c] && rank[c] <= worst[c]);
            CHECK(tmin[c] <= best[c] && worst[c] <= tmax[c]);
            if (ties == COMPARE_TIES_COMPETITION) {
                CHECK_INT_EQ(best[c], tmin[c]);
                CHECK_INT_EQ(worst[c], tmax[c]);
                continue;
            }
            /* dense: the two scenarios of the definition, by brute force */
            long long kb[BF_MAX_C], kw[BF_MAX_C];
            for (size_t d = 0; d < n_c; d++) {
                kb[d] = precision_key(d == c ? hi[d] : lo[d], dec);
                kw[d] = precision_key(d == c ? lo[d] : hi[d], dec);
            }
            size_t sb = brute_rank(kb, n_c, c, ties);
            size_t sw = brute_rank(kw, n_c, c, ties);
            CHECK_INT_EQ(best[c], sb < rank[c] ? sb : rank[c]);
            CHECK_INT_EQ(worst[c], sw > rank[c] ? sw : rank[c]);
        }
    }
    rubric_free(r);
}

static void test_joint_range_brute_force(void)
{
    for (int round = 0; round < 400; round++)
        brute_force_case();
}

static void test_stats(void)
{
    struct compare_stat s;
    const double odd[] = {0.3, 0.9, 0.5};
    compare_stats(odd, 3, 3, &s);
    CHECK_INT_EQ(s.n, 3);
    CHECK_DBL_EQ(s.median, 0.5, 1e-15);
    CHECK_DBL_EQ(s.best, 0.9, 1e-15);
    CHECK_INT_EQ(s.best_index, 1);
    CHECK_INT_EQ(s.n_best, 1);
    const double even[] = {0.2, 0.8, 0.4, 0.80001};
    compare_stats(even, 4, 3, &s);
    CHECK_DBL_EQ(s.median, 0.6, 1e-15);
    CHECK_DBL_EQ(s.best, 0.80001, 1e-15);
    CHECK_INT_EQ(s.best_index, 1); /* ties with index 3 at 3 decimals */
    CHECK_INT_EQ(s.n_best, 2);
    compare_stats(NULL, 0, 3, &s);
    CHECK_INT_EQ(s.n, 0);
    CHECK(isnan(s.median) && isnan(s.best)); /* no basis: n/a, never 0 */
    /* values with no basis are left out, not counted as 0 */
    const double gaps[] = {NAN, 0.25, NAN, 0.75, 0.5};
    compare_stats(gaps, 5, 3, &s);
    CHECK_INT_EQ(s.n, 3);
    CHECK_DBL_EQ(s.median, 0.5, 1e-15);
    CHECK_DBL_EQ(s.best, 0.75, 1e-15);
    CHECK_INT_EQ(s.best_index, 3);
    const double none[] = {NAN, NAN};
    compare_stats(none, 2, 3, &s);
    CHECK_INT_EQ(s.n, 0);
    CHECK(isnan(s.median) && isnan(s.best));
    CHECK_INT_EQ(s.best_index, 2);
}

static void test_agreement(void)
{
    /* ties at their mean rank: 1, 2.5, 2.5, 4 */
    double r[4];
    const double v[] = {0.1, 0.5, 0.5, 0.9};
    compare_fractional_ranks(v, 4, r);
    CHECK_DBL_EQ(r[0], 1, 0);
    CHECK_DBL_EQ(r[1], 2.5, 0);
    CHECK_DBL_EQ(r[2], 2.5, 0);
    CHECK_DBL_EQ(r[3], 4, 0);

    /* 24/34 against a published 0.706: equal at 3 decimals */
    struct compare_agreement a;
    const double x[] = {24.0 / 34, 15.0 / 34, 7.0 / 34, 32.0 / 34};
    const double y[] = {0.706, 0.441, 0.206, 0.206};
    compare_agreement(x, y, 4, 1, 3, &a);
    CHECK_INT_EQ(a.n, 4);
    CHECK_INT_EQ(a.n_exact, 3);
    CHECK_DBL_EQ(a.max_abs, 32.0 / 34 - 0.206, 1e-12);
    CHECK_INT_EQ(a.max_index, 3);
    CHECK_DBL_EQ(a.mean_abs,
                 (fabs(24.0 / 34 - 0.706) + fabs(15.0 / 34 - 0.441) +
                  fabs(7.0 / 34 - 0.206) + (32.0 / 34 - 0.206)) /
                     4,
                 1e-12);
    /* Spearman by hand: x ranks 3, 2, 1, 4; y ranks 4, 3, 1.5, 1.5 */
    const double rx[] = {3, 2, 1, 4}, ry[] = {4, 3, 1.5, 1.5};
    double mx = 2.5, my = 2.5, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < 4; i++) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    CHECK_DBL_EQ(a.spearman, sxy / sqrt(sxx * syy), 1e-12);
    /* a 0-100 scale: 70.59 is 24/34 at two decimals */
    const double y100[] = {0.7059};
    compare_agreement(x, y100, 1, 100, 2, &a);
    CHECK_INT_EQ(a.n_exact, 1);
    CHECK(isnan(a.spearman)); /* fewer than 3 pairs */
    /* a constant series has no rank correlation */
    const double flat[] = {0.5, 0.5, 0.5, 0.5};
    compare_agreement(x, flat, 4, 1, 3, &a);
    CHECK(isnan(a.spearman));
    compare_agreement(NULL, NULL, 0, 1, 3, &a);
    CHECK_INT_EQ(a.n, 0);
    CHECK(isnan(a.mean_abs));
}

static struct rubric *load_rubric(const char *path)
{
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r = rubric_load(path, errs);
    if (!r)
        fprintf(stderr, "cannot load %s: %s\n", path, errs->e[0].msg);
    free(errs);
    return r;
}

static const char *const profiles[] = {"bel", "gbr", "irl", "irn", "ita", "jpn",
                                       "lbn", "lby", "lux", "mex", "mkd", "mus",
                                       "nld", "omn", "phl", "png", "pol", "pry",
                                       "tha", "tto", "ukr", "ury"};
#define N_PROFILES N_OF(profiles)

/* Statuses of every profile under r: states[k][i]. */
static enum cw_state **score_profiles(const struct rubric *r,
                                      struct score_result *res,
                                      struct doc **docs)
{
    enum cw_state **states = calloc(N_PROFILES, sizeof *states);
    for (size_t k = 0; k < N_PROFILES; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s/%s.txt", CW_SOURCE_DIR,
                 strcmp(profiles[k], "bel") ? "tests/fixtures/profiles"
                                            : "data/profiles",
                 profiles[k]);
        struct cw_error err;
        docs[k] = doc_load(path, &err);
        if (!docs[k]) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
        score_document(r, docs[k], &res[k]);
        states[k] = calloc(r->n_indicators, sizeof **states);
        for (size_t i = 0; i < r->n_indicators; i++)
            states[k][i] = res[k].indicators[i].state;
    }
    return states;
}

static void free_profiles(enum cw_state **states, struct score_result *res,
                          struct doc **docs)
{
    for (size_t k = 0; k < N_PROFILES; k++) {
        free(states[k]);
        score_release(&res[k]);
        doc_free(docs[k]);
    }
    free(states);
}

/* compare_scores_build agrees with score_document on real profiles, and
 * every explanation adds up. */
static void test_real_profiles(const struct rubric *r)
{
    struct score_result res[N_PROFILES];
    struct doc *docs[N_PROFILES];
    enum cw_state **states = score_profiles(r, res, docs);
    for (size_t k = 0; k < N_PROFILES; k++) {
        SCORES_STORAGE(s);
        compare_scores_build(r, states[k], &s);
        CHECK_DBL_EQ(s.overall, res[k].overall, 1e-15);
        CHECK_DBL_EQ(s.overall_min, res[k].overall_min, 1e-15);
        CHECK_DBL_EQ(s.overall_max, res[k].overall_max, 1e-15);
        CHECK_INT_EQ(s.coverage, res[k].coverage);
        CHECK_INT_EQ(s.n_counted, res[k].n_counted);
        CHECK_DBL_EQ(s.points, res[k].points, 1e-12);
        CHECK_DBL_EQ(s.max_points, res[k].max_points, 1e-12);
        for (size_t p = 0; p < r->n_pillars; p++) {
            CHECK_DBL_EQ(s.pillars[p], res[k].pillars[p].score, 1e-15);
            CHECK_DBL_EQ(s.pillar_min[p], res[k].pillars[p].min_score, 1e-15);
            CHECK_DBL_EQ(s.pillar_max[p], res[k].pillars[p].max_score, 1e-15);
            CHECK_INT_EQ(s.pillar_stated[p], res[k].pillars[p].n_stated);
        }
    }
    for (size_t a = 0; a < N_PROFILES; a++) {
        for (size_t b = 0; b < N_PROFILES; b++) {
            struct compare_explanation e;
            compare_explain(r, states[a], states[b], &e);
            CHECK_DBL_EQ(e.overall_a, res[a].overall, 1e-15);
            CHECK_DBL_EQ(e.overall_b, res[b].overall, 1e-15);
            CHECK_DBL_EQ(e.sum, e.difference, 1e-12);
            CHECK_DBL_EQ(e.points_sum, e.points_a - e.points_b, 1e-12);
            if (r->aggregate == RUBRIC_AGG_POINTS)
                CHECK_DBL_EQ(e.points_a - e.points_b,
                             res[a].points - res[b].points, 1e-12);
            for (size_t k = 1; k < e.n_diffs; k++)
                CHECK(fabs(e.diffs[k - 1].score) >= fabs(e.diffs[k].score));
            if (a == b)
                CHECK_INT_EQ(e.n_diffs, 0);
            compare_explanation_release(&e);
        }
    }
    free_profiles(states, res, docs);
}

static void test_explain_bel_nld(const struct rubric *r)
{
    struct score_result res[N_PROFILES];
    struct doc *docs[N_PROFILES];
    enum cw_state **states = score_profiles(r, res, docs);
    size_t bel = 0, nld = 12;
    CHECK_STR_EQ(profiles[nld], "nld");
    struct compare_explanation e;
    compare_explain(r, states[bel], states[nld], &e);
    /* 24 vs 12 points of 34 */
    CHECK_DBL_EQ(e.difference, 12.0 / 34.0, 1e-12);
    CHECK_DBL_EQ(e.points_sum, 12.0, 1e-12);
    CHECK(e.n_diffs > 0);
    double total = 0;
    for (size_t k = 0; k < e.n_diffs; k++) {
        const struct compare_diff *d = &e.diffs[k];
        CHECK_DBL_EQ(d->score, d->contrib_a - d->contrib_b, 0);
        CHECK_DBL_EQ(d->score, d->points / 34.0, 1e-15);
        CHECK(d->a != d->b);
        total += d->score;
    }
    CHECK_DBL_EQ(total, e.difference, 1e-12);
    CHECK(fabs(e.diffs[0].points) == 2.0); /* largest first */
    compare_explanation_release(&e);
    free_profiles(states, res, docs);
}

/* A rubric that aggregates unequal pillar weights and indicator weights. */
static const char weighted_rubric[] =
    "kind,id,name,target,weight,match,scope,note\n"
    "meta,name,weighted,,,,,\n"
    "meta,version,0.1,,,,,\n"
    "option,aggregate,pillars,,,,,\n"
    "pillar,legal,Legal,overall,3,,,\n"
    "pillar,technical,Technical,overall,1,,,\n"
    "pillar,organizational,Organizational,overall,0.5,,,\n"
    "pillar,capacity,Capacity Building,overall,2,,,\n"
    "pillar,cooperation,Cooperation,overall,1,,,\n"
    "pillar,cop,Child Online Protection,apart,1,,,\n"
    "level,absent,absent,,0,,,\n"
    "level,partial,partial,,1,,,\n"
    "level,present,present,,3,,,\n"
    "level,unknown,unknown,,0,,,\n"
    "level,unstated,not stated,,0,,,\n"
    "indicator,1.1.1,Criminal legislation,legal,2,1.1.1,,\n"
    "indicator,1.1.2,Regulation and compliance,legal,1,1.1.2,,\n"
    "indicator,1.2.1,CIRT,technical,3,1.2.1,,\n"
    "indicator,1.2.2,Standards,technical,1,1.2.2,,\n"
    "indicator,1.3.1,Policy,organizational,1,1.3.1,,\n"
    "indicator,1.3.2,Roadmap,organizational,0.25,1.3.2,,\n"
    "indicator,1.4.1,Standardisation,capacity,1,1.4.1,,\n"
    "indicator,1.4.2,Manpower,capacity,0.7,1.4.2,,\n"
    "indicator,1.5.1,Intra-state,cooperation,1,1.5.1,,\n"
    "indicator,1.5.4,International,cooperation,1.3,1.5.4,,\n"
    "indicator,2.1,COP legislation,cop,1,2.1,,\n"
    "cue,abs-not-have,absent,*,,\\b(does|do) not have\\b,any,\n"
    "cue,par-draft,partial,*,,\\bdraft\\b,any,\n"
    "cue,pre-has,present,*,,\\b(has|have|is|are)\\b,any,\n";

static void test_weighted(void)
{
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r = rubric_parse("weighted.csv", weighted_rubric,
                                    strlen(weighted_rubric), errs);
    if (!r) {
        fprintf(stderr, "weighted rubric: %s (line %u)\n", errs->e[0].msg,
                errs->e[0].line);
        test_failed++;
        free(errs);
        return;
    }
    free(errs);
    CHECK(r->aggregate == RUBRIC_AGG_PILLARS);
    test_real_profiles(r);
    /* hand-made statuses in every combination of two indicators */
    size_t n = r->n_indicators;
    enum cw_state *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
    for (int x = 0; x < CW_N_STATES * CW_N_STATES; x++) {
        for (size_t i = 0; i < n; i++) {
            a[i] = (enum cw_state)((x + (int)i) % CW_N_STATES);
            b[i] =
                (enum cw_state)((x / CW_N_STATES + 2 * (int)i) % CW_N_STATES);
        }
        struct compare_explanation e;
        compare_explain(r, a, b, &e);
        CHECK_DBL_EQ(e.sum, e.difference, 1e-12);
        for (size_t k = 0; k < e.n_diffs; k++)
            CHECK(r->pillars[r->indicators[e.diffs[k].indicator].pillar]
                      .in_overall);
        compare_explanation_release(&e);
    }
    free(a);
    free(b);
    rubric_free(r);
}

static void test_pairs(void)
{
    CHECK_INT_EQ(compare_pair(CW_ABSENT, CW_PRESENT, 0), -1);
    CHECK_INT_EQ(compare_pair(CW_ABSENT, CW_PARTIAL, 0), -1);
    CHECK_INT_EQ(compare_pair(CW_PARTIAL, CW_ABSENT, 0), 1);
    CHECK_INT_EQ(compare_pair(CW_PRESENT, CW_ABSENT, 0), 1);
    CHECK_INT_EQ(compare_pair(CW_PRESENT, CW_PARTIAL, 0), 0);
    CHECK_INT_EQ(compare_pair(CW_ABSENT, CW_ABSENT, 0), 0);
    CHECK_INT_EQ(compare_pair(CW_UNSTATED, CW_PRESENT, 0), 0);
    CHECK_INT_EQ(compare_pair(CW_PRESENT, CW_UNKNOWN, 0), 0);
    CHECK_INT_EQ(
        compare_pair(CW_UNSTATED, CW_PRESENT, COMPARE_UNSTATED_AS_ABSENT), -1);
    CHECK_INT_EQ(
        compare_pair(CW_PARTIAL, CW_UNKNOWN, COMPARE_UNSTATED_AS_ABSENT), 1);
    CHECK_INT_EQ(
        compare_pair(CW_UNKNOWN, CW_UNSTATED, COMPARE_UNSTATED_AS_ABSENT), 0);
}

static void test_findings(const struct rubric *r)
{
    size_t n = r->n_indicators;
    enum cw_state *me = calloc(n, sizeof *me);
    enum cw_state *p1 = calloc(n, sizeof *p1);
    enum cw_state *p2 = calloc(n, sizeof *p2);
    for (size_t i = 0; i < n; i++)
        me[i] = p1[i] = p2[i] = CW_PRESENT;
    me[0] = CW_ABSENT; /* gap against both */
    me[1] = CW_ABSENT; /* gap against p2 only: p1 unstated */
    p1[1] = CW_UNSTATED;
    p2[1] = CW_PARTIAL;
    me[2] = CW_UNKNOWN; /* gap only with the option */
    p1[3] = CW_ABSENT;  /* strength against p1 */
    p1[4] = CW_ABSENT;  /* both: gap against p2 */
    me[4] = CW_ABSENT;
    p2[5] = CW_UNKNOWN; /* strength only with the option */
    const enum cw_state *const peers[] = {p1, p2};

    struct compare_findings f;
    compare_findings_build(r, me, peers, 2, 0, &f);
    CHECK_INT_EQ(f.n_gaps, 3);
    CHECK_INT_EQ(f.n_strengths, 1);
    CHECK_INT_EQ(f.n_items, 4);
    CHECK_INT_EQ(f.items[0].indicator, 0);
    CHECK_INT_EQ(f.items[0].kind, COMPARE_GAP);
    CHECK_INT_EQ(f.items[0].n_peers, 2);
    CHECK_INT_EQ(f.items[0].n_compared, 2);
    CHECK_INT_EQ(f.items[1].indicator, 1);
    CHECK_INT_EQ(f.items[1].n_peers, 1);
    CHECK_INT_EQ(f.items[1].peers[0], 1);
    CHECK_INT_EQ(f.items[1].n_compared, 1);
    CHECK_INT_EQ(f.items[2].indicator, 4);
    CHECK_INT_EQ(f.items[2].peers[0], 1);
    CHECK_INT_EQ(f.items[3].kind, COMPARE_STRENGTH);
    CHECK_INT_EQ(f.items[3].indicator, 3);
    CHECK_INT_EQ(f.items[3].peers[0], 0);
    compare_findings_release(&f);
    CHECK_INT_EQ(f.n_items, 0);

    compare_findings_build(r, me, peers, 2, COMPARE_UNSTATED_AS_ABSENT, &f);
    CHECK_INT_EQ(f.n_gaps, 4);           /* + indicator 2 */
    CHECK_INT_EQ(f.items[1].n_peers, 1); /* p1 unstated = absent: no gap */
    CHECK_INT_EQ(f.items[1].n_compared, 2);
    CHECK_INT_EQ(f.items[2].indicator, 2);
    CHECK_INT_EQ(f.n_strengths, 2); /* + indicator 5 against p2 */
    CHECK_INT_EQ(f.items[5].indicator, 5);
    CHECK_INT_EQ(f.items[5].peers[0], 1);
    compare_findings_release(&f);

    compare_findings_build(r, me, peers, 0, 0, &f);
    CHECK_INT_EQ(f.n_items, 0);
    compare_findings_release(&f);
    free(me);
    free(p1);
    free(p2);
}

int main(void)
{
    test_key();
    test_rank();
    test_rank_range();
    test_joint_range_brute_force();
    test_stats();
    test_agreement();
    test_pairs();
    test_weighted();
    struct rubric *r = load_rubric(SRC("rubric/gci2014.csv"));
    if (r) {
        test_real_profiles(r);
        test_explain_bel_nld(r);
        test_findings(r);
        rubric_free(r);
    } else {
        test_failed++;
    }
    return test_summary();
}
