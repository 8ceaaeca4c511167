/*
 * Unit tests for core/robust and core/uncertainty: the generators against
 * published and closed-form values, the sampler against exact enumeration
 * of small cases (computed here with score_from_states and compare_rank,
 * not with robust.c's arithmetic), the nominal index with every choice off,
 * determinism, and the uncertainty file's errors.
 */
#include "core/robust.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/compare.h"
#include "core/score.h"
#include "core/uncertainty.h"
#include "test.h"
#include "util/xalloc.h"

static struct rubric *load_rubric(const char *path)
{
    struct cw_errors errs;
    struct rubric *r = rubric_load(path, &errs);
    if (!r)
        fprintf(stderr, "cannot load %s: %s\n", path, errs.e[0].msg);
    return r;
}

static struct uncertainty *parse_unc(const char *text, struct cw_errors *errs)
{
    return uncertainty_parse(SRC("rubric/test.csv"), text, strlen(text), errs);
}

/* The shipped uncertainty file (owned: uncertainty_free). */
static struct uncertainty *shipped(void)
{
    struct cw_errors errs;
    return uncertainty_load(SRC("rubric/gci2014-uncertainty.csv"), &errs);
}

/* ---- generators --------------------------------------------------------- */

static void test_splitmix_xoshiro(void)
{
    uint64_t x = 0;
    /* The first output of splitmix64 from 0, as published with it. */
    CHECK(robust_splitmix64(&x) == 0xe220a8397b1dcdafull);
    /* xoshiro256** seeded as robust.h says (checked against a separate
     * implementation of the published algorithm). */
    struct robust_rng g;
    robust_rng_seed(&g, 1, 0);
    CHECK(robust_rng_next(&g) == 0xb3f2af6d0fc710c5ull);
    CHECK(robust_rng_next(&g) == 0x853b559647364ceaull);
    CHECK(robust_rng_next(&g) == 0x92f89756082a4514ull);
    robust_rng_seed(&g, 1, 5);
    CHECK(robust_rng_next(&g) == 0xf2cace19b707b7d4ull);
    CHECK(robust_rng_next(&g) == 0x4952fd714c300742ull);
    double sum = 0;
    int n = 200000;
    int n_out = 0;
    robust_rng_seed(&g, 7, 0);
    for (int i = 0; i < n; i++) {
        double u = robust_rng_uniform(&g);
        n_out += !(u >= 0 && u < 1);
        sum += u;
    }
    CHECK_INT_EQ(n_out, 0);
    /* mean 1/2, sd of the mean sqrt(1/12 / n) */
    CHECK_DBL_EQ(sum / n, 0.5, 4 * sqrt(1.0 / 12 / n));
}

static void test_gamma_p(void)
{
    double xs[] = {0.05, 0.7, 1, 3.2, 9, 15, 40};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        double x = xs[i];
        CHECK_DBL_EQ(robust_gamma_p(1, x), 1 - exp(-x), 1e-10);
        CHECK_DBL_EQ(robust_gamma_p(0.5, x), erf(sqrt(x)), 1e-10);
        /* integer a: 1 - Poisson(x) CDF at a - 1 */
        for (int a = 2; a <= 12; a += 5) {
            double t = 1, s = 0;
            for (int k = 0; k < a; k++) {
                s += t;
                t *= x / (k + 1);
            }
            CHECK_DBL_EQ(robust_gamma_p(a, x), 1 - exp(-x) * s, 1e-10);
        }
    }
    CHECK(robust_gamma_p(2, 0) == 0);
}

static void test_gamma_dirichlet(void)
{
    struct robust_rng g;
    robust_rng_seed(&g, 42, 3);
    double as[] = {0.3, 1, 4.5};
    int n = 200000;
    for (size_t k = 0; k < 3; k++) {
        double a = as[k], s = 0, s2 = 0;
        for (int i = 0; i < n; i++) {
            double x = robust_rng_gamma(&g, a);
            s += x;
            s2 += x * x;
        }
        double mean = s / n, var = s2 / n - mean * mean;
        /* Gamma(a): mean a, variance a, fourth central moment 3a^2 + 6a */
        CHECK_DBL_EQ(mean, a, 4 * sqrt(a / n));
        CHECK_DBL_EQ(var, a, 4 * sqrt((2 * a * a + 6 * a) / n));
    }
    /* Dirichlet(alpha): mean alpha_i / a0, variance
     * alpha_i (a0 - alpha_i) / (a0^2 (a0 + 1)); the tolerance of the
     * variance is 4 standard errors of it, estimated from the sample. */
    double alpha[3] = {0.5, 2, 3.5}, a0 = 6;
    double *x = xmalloc((size_t)n * 3 * sizeof *x);
    double worst = 0;
    for (int i = 0; i < n; i++) {
        robust_rng_dirichlet(&g, alpha, 3, x + i * 3);
        double d = fabs(x[i * 3] + x[i * 3 + 1] + x[i * 3 + 2] - 1);
        worst = d > worst ? d : worst;
    }
    CHECK(worst < 1e-12);
    for (int j = 0; j < 3; j++) {
        double m = 0, v = 0, v4 = 0;
        for (int i = 0; i < n; i++)
            m += x[i * 3 + j];
        m /= n;
        for (int i = 0; i < n; i++) {
            double d = x[i * 3 + j] - m;
            v += d * d;
            v4 += d * d * d * d;
        }
        v /= n;
        v4 /= n;
        double want_m = alpha[j] / a0;
        double want_v = alpha[j] * (a0 - alpha[j]) / (a0 * a0 * (a0 + 1));
        CHECK_DBL_EQ(m, want_m, 4 * sqrt(want_v / n));
        CHECK_DBL_EQ(v, want_v, 4 * sqrt((v4 - v * v) / n));
    }
    free(x);
}

/* ---- a reference index, from score.c and compare.c ---------------------- */

struct scenario {
    const struct rubric *r;     /* the rubric drawn */
    int aggregate;              /* enum rubric_aggregate */
    double partial;             /* fraction absent..present */
    int missing;                /* enum uncertainty_missing, or -1: rubric */
    const enum cw_state *cells; /* drawn level per open cell, or NULL */
};

/*
 * Ranks (and scores) of n countries under a scenario: a copy of the
 * rubric with the scenario's levels and aggregation, each country's
 * statuses remapped to it by indicator id, scored by score_from_states and
 * ranked by compare_rank. Open cells are numbered in (country, nominal
 * indicator) order.
 */
static void ref_rank(const struct rubric *nom, const enum cw_state *states,
                     size_t n, const struct scenario *sc, int decimals,
                     enum compare_ties ties, size_t *ranks, double *scores)
{
    struct rubric r = *sc->r; /* read-only copy: points and aggregation */
    r.aggregate = (enum rubric_aggregate)sc->aggregate;
    double lo = r.points[CW_ABSENT], hi = r.points[CW_PRESENT];
    if (sc->partial >= 0)
        r.points[CW_PARTIAL] = lo + sc->partial * (hi - lo);
    if (sc->missing == UNCERTAINTY_MISSING_ABSENT)
        r.points[CW_UNKNOWN] = r.points[CW_UNSTATED] = lo;
    else if (sc->missing == UNCERTAINTY_MISSING_MIDPOINT)
        r.points[CW_UNKNOWN] = r.points[CW_UNSTATED] = (lo + hi) / 2;
    size_t k = nom->n_indicators, cell = 0;
    enum cw_state *own = xmalloc(k * sizeof *own);
    enum cw_state *mapped = xmalloc(r.n_indicators * sizeof *mapped);
    double *v = scores ? scores : xmalloc(n * sizeof *v);
    for (size_t c = 0; c < n; c++) {
        for (size_t i = 0; i < k; i++) {
            own[i] = states[c * k + i];
            if (own[i] == CW_UNKNOWN || own[i] == CW_UNSTATED) {
                if (sc->missing == UNCERTAINTY_MISSING_DRAWN)
                    own[i] = sc->cells[cell];
                cell++;
            }
        }
        for (size_t i = 0; i < r.n_indicators; i++)
            mapped[i] = own[rubric_find_indicator(nom, r.indicators[i].id)];
        v[c] = score_from_states(&r, mapped, NULL);
    }
    compare_rank(v, n, decimals, ties, ranks);
    free(own);
    free(mapped);
    if (!scores)
        free(v);
}

/* Exact distribution of the outputs, accumulated over scenarios. */
#define MAXC 8
#define MAXB 64
struct exact {
    size_t n;
    double dist[MAXC][MAXC + 1]; /* P(rank = r) */
    double mean[MAXC], sq[MAXC];
    double top[MAXC], above[MAXC];
    /* per factor f, bin b: probability and E[rank] * probability */
    double pb[4][MAXB], rb[4][MAXB][MAXC];
    double shift, shift2;
};

static void exact_add(struct exact *e, const size_t *ranks,
                      const size_t *nominal, double p, const size_t *bins,
                      size_t n_factors, size_t top_k, size_t focus)
{
    double shift = 0;
    for (size_t c = 0; c < e->n; c++) {
        double r = (double)ranks[c];
        e->dist[c][ranks[c]] += p;
        e->mean[c] += p * r;
        e->sq[c] += p * r * r;
        e->top[c] += ranks[c] <= top_k ? p : 0;
        e->above[c] += ranks[c] < ranks[focus] ? p : 0;
        shift += fabs(r - (double)nominal[c]);
        for (size_t f = 0; f < n_factors; f++)
            e->rb[f][bins[f]][c] += p * r;
    }
    for (size_t f = 0; f < n_factors; f++)
        e->pb[f][bins[f]] += p;
    e->shift += p * shift;
    e->shift2 += p * shift * shift;
}

/* Exact first-order index of factor f for country c. */
static double exact_s(const struct exact *e, size_t f, size_t c)
{
    double var = e->sq[c] - e->mean[c] * e->mean[c], v = 0;
    for (size_t b = 0; b < MAXB; b++) {
        if (e->pb[f][b] <= 0)
            continue;
        double m = e->rb[f][b][c] / e->pb[f][b] - e->mean[c];
        v += e->pb[f][b] * m * m;
    }
    return var > 1e-12 ? v / var : 0;
}

/* The exact quantile q of country c is consistent with a Monte Carlo one
 * within tol: F(q) >= p - tol and F(q - 1) < p + tol. */
static bool quantile_ok(const struct exact *e, size_t c, size_t q, double p,
                        double tol)
{
    double below = 0;
    for (size_t r = 1; r < q; r++)
        below += e->dist[c][r];
    return below + e->dist[c][q] >= p - tol && below < p + tol;
}

/* Monte Carlo against the exact figures: probabilities and mean ranks
 * within 4 standard errors (plus a grid's own error bound). */
static void check_against(const struct exact *e, const struct robust_result *m,
                          double grid_err)
{
    double N = (double)m->n_draws;
    for (size_t c = 0; c < e->n; c++) {
        const struct robust_country *rc = &m->countries[c];
        double var = e->sq[c] - e->mean[c] * e->mean[c];
        double ps[2] = {e->top[c], e->above[c]};
        double ms[2] = {rc->p_top, rc->p_above};
        for (int i = 0; i < 2; i++)
            CHECK_DBL_EQ(ms[i], ps[i],
                         4 * sqrt(ps[i] * (1 - ps[i]) / N) + grid_err + 1e-12);
        CHECK_DBL_EQ(rc->mean_rank, e->mean[c],
                     4 * sqrt(var / N) + grid_err * (double)e->n + 1e-12);
        double tol = 4 * sqrt(0.25 / N) + grid_err;
        CHECK(quantile_ok(e, c, rc->median, 0.5, tol));
        CHECK(quantile_ok(e, c, rc->p05, 0.05, tol));
        CHECK(quantile_ok(e, c, rc->p95, 0.95, tol));
    }
    double sv = e->shift2 - e->shift * e->shift;
    CHECK_DBL_EQ(m->mean_shift * (double)e->n, e->shift,
                 4 * sqrt(sv / N) + grid_err * (double)(e->n * e->n) + 1e-12);
}

/*
 * First-order indices over n_seeds independent runs: their mean must be
 * within 4 standard errors of the mean (plus slack) of the exact value.
 */
static void check_s(const struct exact *e, const struct robust_input *in,
                    struct robust_options o, const size_t *factor_of,
                    size_t n_f, int n_seeds, double slack)
{
    enum { MAX_SEEDS = 64 };
    double s[MAX_SEEDS][4][MAXC];
    const int SEEDS = n_seeds < MAX_SEEDS ? n_seeds : MAX_SEEDS;
    for (int k = 0; k < SEEDS; k++) {
        o.seed = 1000 + (uint64_t)k;
        struct cw_error err;
        struct robust_result *m = robust_run(in, &o, &err);
        CHECK(m != NULL);
        if (!m)
            return;
        for (size_t f = 0; f < n_f; f++)
            for (size_t c = 0; c < e->n; c++)
                s[k][f][c] = m->countries[c].s[factor_of[f]];
        robust_result_free(m);
    }
    for (size_t f = 0; f < n_f; f++)
        for (size_t c = 0; c < e->n; c++) {
            double mean = 0, v = 0;
            for (int k = 0; k < SEEDS; k++)
                mean += s[k][f][c] / SEEDS;
            for (int k = 0; k < SEEDS; k++)
                v += (s[k][f][c] - mean) * (s[k][f][c] - mean) / (SEEDS - 1);
            double want = exact_s(e, f, c);
            CHECK_DBL_EQ(mean, want, 4 * sqrt(v / SEEDS) + slack);
        }
}

/* A status matrix: n countries, statuses drawn with the given weights. */
static enum cw_state *random_states(size_t n, size_t k, uint64_t seed,
                                    const double *w)
{
    struct robust_rng g;
    robust_rng_seed(&g, seed, 0);
    double cdf[CW_N_STATES], sum = 0;
    for (int s = 0; s < CW_N_STATES; s++)
        cdf[s] = (sum += w[s]);
    enum cw_state *st = xmalloc(n * k * sizeof *st);
    for (size_t i = 0; i < n * k; i++) {
        double u = robust_rng_uniform(&g) * sum;
        int s = 0;
        while (s + 1 < CW_N_STATES && u >= cdf[s])
            s++;
        st[i] = (enum cw_state)s;
    }
    return st;
}

static size_t find_factor(const struct robust_result *m, const char *id)
{
    for (size_t f = 0; f < m->n_factors; f++)
        if (!strcmp(m->factors[f].id, id))
            return f;
    fprintf(stderr, "no factor %s\n", id);
    return 0;
}

/*
 * Exact enumeration of discrete choices: 5 countries, rubric (gci2014 or
 * binary-equal), aggregation, and missing (absent, midpoint or drawn, with
 * two open cells whose 9 level pairs are enumerated with their hot-deck
 * probabilities).
 */
static void test_enumeration_discrete(const struct rubric *nom,
                                      const struct rubric *alt)
{
    enum { N = 5 };
    size_t k = nom->n_indicators;
    static const double w[CW_N_STATES] = {1, 1, 1, 0, 0};
    enum cw_state *st = random_states(N, k, 11, w);
    /* Two open cells: country 1's 1.3.2 and country 3's 2.4. */
    size_t i1 = (size_t)rubric_find_indicator(nom, "1.3.2");
    size_t i2 = (size_t)rubric_find_indicator(nom, "2.4");
    st[1 * k + i1] = CW_UNKNOWN;
    st[3 * k + i2] = CW_UNSTATED;
    const char *text = "kind,id,value,low,high,note\n"
                       "missing,absent,0.5,,,\n"
                       "missing,midpoint,0.2,,,\n"
                       "missing,drawn,0.3,,,\n"
                       "aggregation,points,0.35,,,\n"
                       "aggregation,pillars,0.65,,,\n"
                       "rubric,binary-equal.csv,0.4,,,\n";
    struct cw_errors errs;
    struct uncertainty *u = parse_unc(text, &errs);
    CHECK(u != NULL);
    if (!u) {
        fprintf(stderr, "%s\n", errs.e[0].msg);
        free(st);
        return;
    }
    /* Hot-deck probabilities of the two open indicators. */
    double hot[2][3] = {{0}};
    size_t ind[2] = {i1, i2};
    for (int j = 0; j < 2; j++) {
        double tot = 0;
        for (size_t c = 0; c < N; c++)
            if (st[c * k + ind[j]] <= CW_PRESENT) {
                hot[j][st[c * k + ind[j]]]++;
                tot++;
            }
        for (int l = 0; l < 3; l++)
            hot[j][l] /= tot;
    }
    struct scenario nominal_sc = {nom, nom->aggregate, -1, -1, NULL};
    size_t nominal[N], ranks[N];
    ref_rank(nom, st, N, &nominal_sc, 3, COMPARE_TIES_DENSE, nominal, NULL);
    struct exact e;
    memset(&e, 0, sizeof e);
    e.n = N;
    const struct rubric *rubrics[2] = {nom, alt};
    double prub[2] = {0.6, 0.4}, pagg[2] = {0.35, 0.65};
    double pmis[3] = {0.5, 0.2, 0.3};
    for (int ri = 0; ri < 2; ri++)
        for (int a = 0; a < 2; a++)
            for (int m = 0; m < 3; m++)
                for (int l = 0; l < (m == 2 ? 9 : 1); l++) {
                    enum cw_state cells[2] = {(enum cw_state)(l / 3),
                                              (enum cw_state)(l % 3)};
                    double p = prub[ri] * pagg[a] * pmis[m];
                    if (m == 2)
                        p *= hot[0][l / 3] * hot[1][l % 3];
                    struct scenario sc = {rubrics[ri], a, -1, m, cells};
                    ref_rank(nom, st, N, &sc, 3, COMPARE_TIES_DENSE, ranks,
                             NULL);
                    /* factors in robust.h's order: missing, aggregation,
                     * rubric */
                    size_t bins[3] = {(size_t)m, (size_t)a, (size_t)ri};
                    exact_add(&e, ranks, nominal, p, bins, 3, 2, 0);
                }
    struct robust_input in = {nom, st, N, u};
    struct robust_options o = ROBUST_OPTIONS_INIT;
    o.n_draws = 40000;
    o.top_k = 2;
    o.focus = 0;
    o.seed = 5;
    struct cw_error err;
    struct robust_result *m = robust_run(&in, &o, &err);
    CHECK(m != NULL);
    if (m) {
        CHECK_INT_EQ(m->n_factors, 3);
        for (size_t c = 0; c < N; c++)
            CHECK_INT_EQ(m->countries[c].rank, nominal[c]);
        check_against(&e, m, 0);
        size_t fo[3] = {find_factor(m, "missing"),
                        find_factor(m, "aggregation"),
                        find_factor(m, "rubric")};
        o.n_draws = 10000;
        check_s(&e, &in, o, fo, 3, 24, 5e-4);
        robust_result_free(m);
    }
    uncertainty_free(u);
    free(st);
}

/*
 * A continuous choice: the worth of partial, U(0, 1), with missing absent
 * or midpoint, over 4 countries. The exact figures come from a grid of
 * G midpoints in t; a rank changes at no more than 6 values of t per
 * missing choice (one per pair of countries), each misplacing at most
 * 1/G of the probability, which bounds the grid's error. The sensitivity
 * index of partial is checked against what its estimator targets: the
 * variance of E[rank | bin] over the same equal-probability bins; with 50
 * bins and 10,000 draws the ratio without its bias correction would be
 * ~0.004 too high, which 64 seeds tell apart.
 */
static void test_enumeration_partial(const struct rubric *nom)
{
    enum { N = 4, G = 20000 };
    size_t k = nom->n_indicators;
    static const double w[CW_N_STATES] = {1, 2, 1, 0.3, 0.2};
    enum cw_state *st = random_states(N, k, 23, w);
    const char *text = "kind,id,value,low,high,note\n"
                       "level,partial,,0,1,\n"
                       "missing,absent,0.6,,,\n"
                       "missing,midpoint,0.4,,,\n";
    struct cw_errors errs;
    struct uncertainty *u = parse_unc(text, &errs);
    CHECK(u != NULL);
    if (!u) {
        free(st);
        return;
    }
    struct robust_input in = {nom, st, N, u};
    struct robust_options o = ROBUST_OPTIONS_INIT;
    o.n_draws = 40000;
    o.top_k = 1;
    o.focus = 2;
    o.seed = 99;
    struct cw_error err;
    struct robust_result *m = robust_run(&in, &o, &err);
    CHECK(m != NULL);
    if (!m) {
        uncertainty_free(u);
        free(st);
        return;
    }
    size_t f_partial = find_factor(m, "partial");
    size_t bins = m->factors[f_partial].n_bins;
    CHECK_INT_EQ(bins, 50);
    struct scenario nominal_sc = {nom, nom->aggregate, -1, -1, NULL};
    size_t nominal[N], ranks[N];
    ref_rank(nom, st, N, &nominal_sc, 3, COMPARE_TIES_DENSE, nominal, NULL);
    struct exact e;
    memset(&e, 0, sizeof e);
    e.n = N;
    double pmis[2] = {0.6, 0.4};
    for (int mi = 0; mi < 2; mi++)
        for (int gi = 0; gi < G; gi++) {
            double t = (gi + 0.5) / G;
            struct scenario sc = {nom, nom->aggregate, t, mi, NULL};
            ref_rank(nom, st, N, &sc, 3, COMPARE_TIES_DENSE, ranks, NULL);
            size_t b[2] = {(size_t)gi * bins / G, (size_t)mi};
            exact_add(&e, ranks, nominal, pmis[mi] / G, b, 2, 1, 2);
        }
    check_against(&e, m, 6.0 / G);
    size_t fo[2] = {f_partial, find_factor(m, "missing")};
    o.n_draws = 10000;
    check_s(&e, &in, o, fo, 2, 64, 5e-4);
    robust_result_free(m);
    uncertainty_free(u);
    free(st);
}

/*
 * Weights: A has only its Legal indicators, B only its Technical ones,
 * under points aggregation (nominal shares 4/34 and 6/34), at 9 decimals
 * (ties have probability ~1e-9). A ranks above B iff 4 m_L > 6 m_T.
 *  - range 0.5-1.5: P = P(m_L > 1.5 m_T) = 3/16, and the first-order
 *    index of the Legal weight is Var(h(m_L)) / (p (1 - p)) with
 *    h(m) = max(0, 2m/3 - 1/2): 0.02734375 / 0.15234375;
 *  - Dirichlet with concentration 17: alphas 2 and 3, so
 *    P = P(Beta(2, 3) > 1/2) = 5/16, and E[rank of A | G_L] =
 *    2 - F3(G_L) (F3: the Gamma(3) CDF), whose variance over G_L ~ Gamma(2)
 *    is computed here by quadrature.
 */
static void test_weights(const struct rubric *nom)
{
    size_t k = nom->n_indicators;
    enum cw_state *st = xmalloc(2 * k * sizeof *st);
    for (size_t i = 0; i < k; i++) {
        const char *pil = nom->pillars[nom->indicators[i].pillar].id;
        st[i] = strcmp(pil, "legal") ? CW_ABSENT : CW_PRESENT;
        st[k + i] = strcmp(pil, "technical") ? CW_ABSENT : CW_PRESENT;
    }
    const char *texts[2] = {"kind,id,value,low,high,note\n"
                            "weights,range,,0.5,1.5,\n",
                            "kind,id,value,low,high,note\n"
                            "weights,dirichlet,17,,,\n"};
    double want[2] = {3.0 / 16, 5.0 / 16};
    double s_legal[2] = {0.02734375 / 0.15234375, 0};
    double e1 = 0, e2 = 0, dx = 1e-3;
    for (double x = dx / 2; x < 80; x += dx) {
        double f3 = 1 - exp(-x) * (1 + x + x * x / 2);
        e1 += f3 * x * exp(-x) * dx; /* Gamma(2) density: x e^-x */
        e2 += f3 * f3 * x * exp(-x) * dx;
    }
    CHECK_DBL_EQ(e1, 5.0 / 16, 1e-6);
    s_legal[1] = (e2 - e1 * e1) / (want[1] * (1 - want[1]));
    for (int t = 0; t < 2; t++) {
        struct cw_errors errs;
        struct uncertainty *u = parse_unc(texts[t], &errs);
        CHECK(u != NULL);
        if (!u)
            continue;
        struct robust_input in = {nom, st, 2, u};
        struct robust_options o = ROBUST_OPTIONS_INIT;
        o.n_draws = 100000;
        o.decimals = 9;
        o.top_k = 1;
        o.focus = 1;
        o.n_threads = 2;
        struct cw_error err;
        struct robust_result *m = robust_run(&in, &o, &err);
        CHECK(m != NULL);
        if (m) {
            double p = want[t], N = (double)o.n_draws;
            CHECK_INT_EQ(m->n_factors, 5);
            CHECK_DBL_EQ(m->countries[0].p_above, p, 4 * sqrt(p * (1 - p) / N));
            CHECK_DBL_EQ(m->countries[0].p_top, p, 4 * sqrt(p * (1 - p) / N));
            CHECK_DBL_EQ(m->countries[1].p_top, 1 - p,
                         4 * sqrt(p * (1 - p) / N));
            /* The other pillars' weights cannot move the pair. */
            const char *others[3] = {"weight.organizational", "weight.capacity",
                                     "weight.cooperation"};
            for (int j = 0; j < 3; j++)
                CHECK(m->countries[0].s[find_factor(m, others[j])] < 0.01);
            {
                /* 0.02: about 4 standard errors of the estimate at 100,000
                 * draws; 50 bins lose ~1e-4 of it. */
                double s = m->countries[0].s[find_factor(m, "weight.legal")];
                CHECK_DBL_EQ(s, s_legal[t], 0.02);
                CHECK(m->countries[0].most ==
                          (long)find_factor(m, "weight.legal") ||
                      m->countries[0].most ==
                          (long)find_factor(m, "weight.technical"));
            }
            robust_result_free(m);
        }
        uncertainty_free(u);
    }
    free(st);
}

/*
 * With every choice off, or each declared at the nominal value, each draw
 * is the nominal index: scores equal score_from_states (to 1e-12) and
 * ranks equal compare_rank, ties included, in every draw.
 */
static void test_nominal(const struct rubric *nom)
{
    enum { N = 60 };
    size_t k = nom->n_indicators;
    static const double w[CW_N_STATES] = {3, 2, 3, 1, 1};
    enum cw_state *st = random_states(N, k, 3, w);
    struct cw_errors errs;
    struct uncertainty *file = shipped();
    CHECK(file != NULL);
    struct uncertainty *degenerate = parse_unc("kind,id,value,low,high,note\n"
                                               "weights,range,,1,1,\n"
                                               "level,partial,,0.5,0.5,\n"
                                               "missing,absent,1,,,\n"
                                               "aggregation,points,1,,,\n",
                                               &errs);
    CHECK(degenerate != NULL);
    struct {
        const struct uncertainty *u;
        unsigned choices;
    } runs[3] = {{file, 0}, {NULL, ROBUST_ALL}, {degenerate, ROBUST_ALL}};
    /* Both tie conventions, at precisions that take each ranking path:
     * counting (0-3 decimals) and the radix sort (5 and 9). */
    static const int decs[4] = {0, 3, 5, 9};
    for (int t = 0; t < 8; t++) {
        enum compare_ties ties =
            t % 2 ? COMPARE_TIES_COMPETITION : COMPARE_TIES_DENSE;
        int dec = decs[t / 2];
        double v[N];
        size_t want[N];
        for (size_t c = 0; c < N; c++)
            v[c] = score_from_states(nom, st + c * k, NULL);
        compare_rank(v, N, dec, ties, want);
        size_t n_tied = 0;
        for (size_t c = 0; c + 1 < N; c++)
            for (size_t d = c + 1; d < N; d++)
                n_tied += want[c] == want[d];
        CHECK(n_tied > 0); /* the case has ties */
        for (int r = 0; r < 3; r++) {
            struct robust_input in = {nom, st, N, runs[r].u};
            struct robust_options o = ROBUST_OPTIONS_INIT;
            o.choices = runs[r].choices;
            o.n_draws = 1500;
            o.ties = ties;
            o.decimals = dec;
            o.n_threads = 2;
            struct cw_error err;
            struct robust_result *m = robust_run(&in, &o, &err);
            CHECK(m != NULL);
            if (!m)
                continue;
            CHECK_INT_EQ(m->choices, r == 2 ? ROBUST_ALL & ~ROBUST_RUBRICS : 0);
            for (size_t c = 0; c < N; c++) {
                const struct robust_country *rc = &m->countries[c];
                CHECK_INT_EQ(rc->rank, want[c]);
                CHECK_INT_EQ(rc->best, want[c]);
                CHECK_INT_EQ(rc->worst, want[c]);
                CHECK_INT_EQ(rc->median, want[c]);
                CHECK_DBL_EQ(rc->score, v[c], 0);
                CHECK_DBL_EQ(rc->score_min, v[c], 1e-12);
                CHECK_DBL_EQ(rc->score_max, v[c], 1e-12);
                CHECK(rc->most == -1);
            }
            CHECK_DBL_EQ(m->mean_shift, 0, 0);
            robust_result_free(m);
        }
    }
    uncertainty_free(file);
    uncertainty_free(degenerate);
    free(st);
}

/* The same seed gives the same results whatever the thread count; another
 * seed gives others. ~195 countries, the shipped choices. */
static void test_determinism(const struct rubric *nom)
{
    enum { N = 195 };
    size_t k = nom->n_indicators;
    static const double w[CW_N_STATES] = {3, 2, 3, 1, 1};
    enum cw_state *st = random_states(N, k, 8, w);
    struct uncertainty *u = shipped();
    CHECK(u != NULL);
    if (!u) {
        free(st);
        return;
    }
    struct robust_input in = {nom, st, N, u};
    struct robust_result *m[4];
    unsigned threads[4] = {1, 2, 3, 1};
    for (int i = 0; i < 4; i++) {
        struct robust_options o = ROBUST_OPTIONS_INIT;
        o.n_draws = 3000;
        o.n_threads = threads[i];
        o.seed = i == 3 ? 2 : 1;
        o.focus = 17;
        struct cw_error err;
        m[i] = robust_run(&in, &o, &err);
        CHECK(m[i] != NULL);
    }
    if (m[0] && m[1] && m[2] && m[3]) {
        size_t hist = N * (N + 1) * sizeof *m[0]->rank_hist;
        CHECK_INT_EQ(m[0]->n_factors, 9);
        for (int i = 1; i < 3; i++) {
            CHECK(memcmp(m[0]->rank_hist, m[i]->rank_hist, hist) == 0);
            CHECK(m[0]->mean_shift == m[i]->mean_shift);
            for (size_t c = 0; c < N; c++) {
                CHECK(m[0]->countries[c].p_above == m[i]->countries[c].p_above);
                CHECK(m[0]->countries[c].score_min ==
                      m[i]->countries[c].score_min);
                CHECK(memcmp(m[0]->countries[c].s, m[i]->countries[c].s,
                             m[0]->n_factors * sizeof(double)) == 0);
            }
        }
        CHECK(memcmp(m[0]->rank_hist, m[3]->rank_hist, hist) != 0);
        /* Quantiles: the smallest rank whose cumulative share reaches
         * 5 %, 50 %, 95 %, recomputed from the histogram. */
        for (size_t c = 0; c < N; c++) {
            const uint64_t *h = m[0]->rank_hist + c * (N + 1);
            const struct robust_country *rc = &m[0]->countries[c];
            double cum = 0, total = 3000;
            size_t q[3] = {0, 0, 0};
            double ps[3] = {0.05, 0.5, 0.95};
            for (size_t r = 1; r <= N; r++) {
                cum += (double)h[r];
                for (int j = 0; j < 3; j++)
                    if (!q[j] && cum >= ps[j] * total - 1e-9)
                        q[j] = r;
            }
            CHECK_INT_EQ(rc->p05, q[0]);
            CHECK_INT_EQ(rc->median, q[1]);
            CHECK_INT_EQ(rc->p95, q[2]);
        }
        CHECK(m[0]->mean_shift > 0);
    }
    for (int i = 0; i < 4; i++)
        robust_result_free(m[i]);
    uncertainty_free(u);
    free(st);
}

/* ---- the analyst's next questions -------------------------------------- */

static void test_path_up(const struct rubric *nom)
{
    size_t k = nom->n_indicators;
    /* A: 10 present; B: 8 present; C: 6 present, 2 partial (in the
     * overall, 17 indicators; points / 34). */
    enum cw_state *st = xmalloc(3 * k * sizeof *st);
    size_t j = 0;
    for (size_t i = 0; i < k; i++) {
        bool in = nom->pillars[nom->indicators[i].pillar].in_overall;
        st[i] = in && j < 10 ? CW_PRESENT : CW_ABSENT;
        st[k + i] = in && j < 8 ? CW_PRESENT : CW_ABSENT;
        st[2 * k + i] = !in      ? CW_ABSENT
                        : j < 6  ? CW_PRESENT
                        : j < 8  ? CW_PARTIAL
                        : j == 8 ? CW_UNKNOWN
                                 : CW_ABSENT;
        j += in;
    }
    struct robust_path p;
    /* C (14/34, rank 3) to rank 2 (B, 16/34): one partial -> present adds
     * 1/34 (15/34), not enough; an absent -> present adds 2/34. */
    robust_path_up(nom, st, 3, 2, ROBUST_GOAL_UP_ONE, 0, 3, COMPARE_TIES_DENSE,
                   &p);
    CHECK(!p.is_already);
    CHECK(p.is_reachable);
    CHECK_INT_EQ(p.n_steps, 1);
    if (p.n_steps) {
        CHECK_INT_EQ(p.steps[0].from, CW_ABSENT);
        CHECK_DBL_EQ(p.steps[0].gain, 2.0 / 34, 1e-12);
        /* the first absent indicator in the overall, in rubric order;
         * 7 others are worth as much (9 absent, 1 unknown not counted) */
        CHECK(st[2 * k + p.steps[0].indicator] == CW_ABSENT);
        CHECK_INT_EQ(p.n_equal, 7);
    }
    CHECK_DBL_EQ(p.score, 16.0 / 34, 1e-12);
    CHECK_INT_EQ(p.rank, 2);
    CHECK_DBL_EQ(p.goal_score, 0.471, 1e-12);
    robust_path_release(&p);
    /* To a score of 0.74 (25.16 of 34 points): 12 more points, six
     * absent -> present (five give 24). */
    robust_path_up(nom, st, 3, 2, ROBUST_GOAL_SCORE, 0.74, 3,
                   COMPARE_TIES_DENSE, &p);
    CHECK(p.is_reachable);
    CHECK_INT_EQ(p.n_steps, 6);
    CHECK_DBL_EQ(p.score, 26.0 / 34, 1e-12);
    CHECK_INT_EQ(p.rank, 1);
    robust_path_release(&p);
    /* A is first already; nothing reaches 0.99. */
    robust_path_up(nom, st, 3, 0, ROBUST_GOAL_UP_ONE, 0, 3, COMPARE_TIES_DENSE,
                   &p);
    CHECK(p.is_already);
    CHECK_INT_EQ(p.n_steps, 0);
    CHECK_INT_EQ(p.rank, 1);
    robust_path_release(&p);
    robust_path_up(nom, st, 3, 2, ROBUST_GOAL_SCORE, 0.99, 3,
                   COMPARE_TIES_DENSE, &p);
    CHECK(!p.is_reachable);
    CHECK_INT_EQ(p.n_steps, 0);
    CHECK_INT_EQ(p.n_open, 1);
    robust_path_release(&p);
    free(st);
}

static void test_chart_summary(const struct rubric *nom)
{
    enum { N = 30 };
    size_t k = nom->n_indicators;
    static const double w[CW_N_STATES] = {3, 2, 3, 1, 1};
    enum cw_state *st = random_states(N, k, 4, w);
    struct uncertainty *u = shipped();
    struct robust_input in = {nom, st, N, u};
    struct robust_options o = ROBUST_OPTIONS_INIT;
    o.n_draws = 2000;
    o.focus = 4;
    struct cw_error err;
    struct robust_result *m = robust_run(&in, &o, &err);
    CHECK(m != NULL);
    if (m) {
        struct robust_chart_row rows[N];
        size_t peers[2] = {7, 9};
        robust_chart_rows(m, peers, 2, rows);
        size_t n_focus = 0, n_peer = 0;
        for (size_t i = 0; i < N; i++) {
            const struct robust_country *rc = &m->countries[rows[i].country];
            CHECK_INT_EQ(rows[i].median, rc->median);
            CHECK(rows[i].p05 <= rows[i].median &&
                  rows[i].median <= rows[i].p95);
            if (i)
                CHECK(rows[i - 1].median <= rows[i].median);
            n_focus += rows[i].is_focus;
            n_peer += rows[i].is_peer;
            CHECK(rows[i].is_focus == (rows[i].country == 4));
        }
        CHECK_INT_EQ(n_focus, 1);
        CHECK_INT_EQ(n_peer, 2);
        const struct robust_country *rc = &m->countries[4];
        CHECK(rc->coverage >= 0.9);
        struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
        robust_summary(m, 4, "Testland", &sb);
        strbuf_addf(&want,
                    "Testland's rank stays between %zu and %zu in %d %% "
                    "of 2,000 draws; %s moves it most.",
                    rc->p05, rc->p95, (int)floor(rc->coverage * 100 + 1e-9),
                    m->factors[rc->most].label);
        CHECK(rc->p05 < rc->p95 && rc->most >= 0);
        CHECK_STR_EQ(sb.buf, want.buf);
        strbuf_release(&sb);
        strbuf_release(&want);
        robust_result_free(m);
    }
    o.choices = 0;
    m = robust_run(&in, &o, &err);
    if (m) {
        struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
        robust_summary(m, 4, "Testland", &sb);
        strbuf_addf(&want, "Testland's rank is %zu in all 2,000 draws.",
                    m->countries[4].rank);
        CHECK_STR_EQ(sb.buf, want.buf);
        strbuf_release(&sb);
        strbuf_release(&want);
        robust_result_free(m);
    }
    m = robust_run(&in, &o, &err);
    if (m) {
        struct strbuf sb = STRBUF_INIT;
        robust_summary(m, 4, "Netherlands", &sb);
        CHECK(!strncmp(sb.buf, "Netherlands' rank is ", 21));
        strbuf_release(&sb);
        robust_result_free(m);
    }
    struct strbuf sb = STRBUF_INIT;
    robust_add_count(&sb, 1234567);
    strbuf_adds(&sb, " ");
    robust_add_count(&sb, 100);
    CHECK_STR_EQ(sb.buf, "1,234,567 100");
    strbuf_release(&sb);
    uncertainty_free(u);
    free(st);
}

/* ---- the uncertainty file ----------------------------------------------- */

static void check_error(const char *text, int code, unsigned line, unsigned col,
                        const char *msg)
{
    struct cw_errors errs;
    struct uncertainty *u = parse_unc(text, &errs);
    CHECK(u == NULL);
    uncertainty_free(u);
    if (!errs.n) {
        CHECK(errs.n > 0);
        return;
    }
    CHECK_INT_EQ(errs.e[0].code, code);
    CHECK_INT_EQ(errs.e[0].line, line);
    CHECK_INT_EQ(errs.e[0].col, col);
    CHECK_STR_EQ(errs.e[0].msg, msg);
}

static void test_uncertainty_file(const struct rubric *nom)
{
    const char *h = "kind,id,value,low,high,note\n";
    char buf[4096];
    struct cw_errors errs;
    struct uncertainty *u = shipped();
    CHECK(u != NULL);
    if (u) {
        CHECK_INT_EQ(u->weights, UNCERTAINTY_WEIGHTS_RANGE);
        CHECK_DBL_EQ(u->low, 0.75, 0);
        CHECK(u->has_partial && u->has_missing && u->has_aggregation);
        CHECK_INT_EQ(u->n_rubrics, 1);
        CHECK_DBL_EQ(u->nominal_probability, 0.75, 1e-12);
        CHECK_STR_EQ(u->rubrics[0].rubric->name, "binary-equal");
        CHECK_INT_EQ(strlen(u->hash), 64);
        uncertainty_free(u);
    }
    check_error("kind,id,p,low,high,note\n", CW_ERR_PARSE, 1, 3,
                "header column 3 is 'p', expected 'value' (header: "
                "kind,id,value,low,high,note)");
    check_error("", CW_ERR_PARSE, 0, 0,
                "uncertainty file is empty (expected the header "
                "kind,id,value,low,high,note)");
    snprintf(buf, sizeof buf, "%s# comment \"quoted\n\nweigths,range,,1,2,\n",
             h);
    check_error(buf, CW_ERR_PARSE, 4, 1,
                "unknown row kind 'weigths' (expected meta, weights, weight, "
                "level, missing, aggregation or rubric)");
    snprintf(buf, sizeof buf, "%smissing,absent,0.5,,,\nmissing,drawn,0.4,,,\n",
             h);
    check_error(buf, CW_ERR_PARSE, 3, 3,
                "the probabilities of the 'missing' rows add up to 0.9, not 1");
    snprintf(buf, sizeof buf, "%slevel,present,,0,1,\n", h);
    check_error(buf, CW_ERR_PARSE, 2, 2,
                "only the worth of 'partial' can vary, not of 'present': "
                "absent and present are the two ends of the scale, and "
                "unknown and not stated are set by 'missing' rows");
    snprintf(buf, sizeof buf, "%slevel,partial,,0.2,1.5,\n", h);
    check_error(buf, CW_ERR_PARSE, 2, 5, "level partial: high 1.5 is above 1");
    snprintf(buf, sizeof buf, "%sweights,dirichlet,abc,,,\n", h);
    check_error(buf, CW_ERR_PARSE, 2, 3,
                "weights dirichlet: value 'abc' is not a number");
    snprintf(buf, sizeof buf, "%sweights,dirichlet,0,,,\n", h);
    check_error(buf, CW_ERR_PARSE, 2, 3,
                "weights dirichlet: concentration 0 is outside (0, 1e+06]");
    snprintf(buf, sizeof buf, "%sweights,dirichlet,5,,,\nweight,legal,,1,2,\n",
             h);
    check_error(buf, CW_ERR_PARSE, 3, 1,
                "a 'weight' row needs a 'weights,range' row (the weights are "
                "drawn from a Dirichlet)");
    snprintf(buf, sizeof buf, "%sweights,range,,1,2,\nweights,dirichlet,5,,,\n",
             h);
    check_error(buf, CW_ERR_PARSE, 3, 1,
                "duplicate 'weights' row (first at line 2)");
    snprintf(buf, sizeof buf, "%saggregation,mean,1,,,\n", h);
    check_error(buf, CW_ERR_PARSE, 2, 2,
                "unknown aggregation 'mean' (expected points or pillars)");
    snprintf(buf, sizeof buf, "%srubric,no-such.csv,0.5,,,\n", h);
    snprintf(buf + 1000, 1000,
             "rubric 'no-such.csv' does not load: cannot open rubric "
             "'%s/rubric/no-such.csv': No such file or directory",
             CW_SOURCE_DIR);
    check_error(buf, CW_ERR_IO, 2, 2, buf + 1000);
    snprintf(buf, sizeof buf,
             "%srubric,binary-equal.csv,0.7,,,\nrubric,gci2014.csv,0.5,,,\n",
             h);
    check_error(buf, CW_ERR_PARSE, 3, 3,
                "the probabilities of the 'rubric' rows add up to 1.2, over 1 "
                "(the stored rubric takes what they leave)");
    snprintf(buf, sizeof buf, "%smissing,absent,1,2,,\n", h);
    check_error(buf, CW_ERR_PARSE, 2, 4, "missing takes no low (found '2')");
    /* Too many rows: a cap, with its location. */
    struct strbuf big = STRBUF_INIT;
    strbuf_adds(&big, h);
    for (int i = 0; i < UNCERTAINTY_MAX_ROWS + 5; i++)
        strbuf_adds(&big, ",,,,,\n");
    u = parse_unc(big.buf, &errs);
    CHECK(u == NULL);
    CHECK_INT_EQ(errs.n, 1);
    CHECK_INT_EQ(errs.e[0].code, CW_ERR_LIMIT);
    CHECK_INT_EQ(errs.e[0].line, UNCERTAINTY_MAX_ROWS + 1); /* header counts */
    CHECK_STR_EQ(errs.e[0].msg, "more than 1000 rows");
    strbuf_release(&big);
    /* A weight row for a pillar no rubric has: found when the file meets
     * the stored rubric. */
    snprintf(buf, sizeof buf, "%sweights,range,,1,2,\nweight,legl,,1,2,\n", h);
    u = parse_unc(buf, &errs);
    CHECK(u != NULL);
    if (u) {
        enum cw_state st[64] = {CW_ABSENT};
        struct robust_input in = {nom, st, 1, u};
        struct robust_options o = ROBUST_OPTIONS_INIT;
        struct cw_error err;
        struct robust_result *m = robust_run(&in, &o, &err);
        CHECK(m == NULL);
        robust_result_free(m);
        CHECK_INT_EQ(err.code, CW_ERR_PARSE);
        CHECK_INT_EQ(err.line, 3);
        CHECK_INT_EQ(err.col, 2);
        CHECK_STR_EQ(err.msg,
                     "no rubric has pillar 'legl' in its overall score");
        uncertainty_free(u);
    }
}

int main(void)
{
    test_splitmix_xoshiro();
    test_gamma_p();
    test_gamma_dirichlet();
    struct rubric *nom = load_rubric(SRC("rubric/gci2014.csv"));
    struct rubric *alt = load_rubric(SRC("rubric/binary-equal.csv"));
    CHECK(nom && alt);
    if (nom && alt) {
        test_uncertainty_file(nom);
        test_nominal(nom);
        test_determinism(nom);
        test_enumeration_discrete(nom, alt);
        test_enumeration_partial(nom);
        test_weights(nom);
        test_path_up(nom);
        test_chart_summary(nom);
    }
    rubric_free(nom);
    rubric_free(alt);
    return test_summary();
}
