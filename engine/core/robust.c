/* Monte Carlo uncertainty and sensitivity analysis of scores and ranks. */
#include "core/robust.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/score.h"
#include "util/xalloc.h"

#include "util/banned.h"

#define GOLDEN_GAMMA    0x9e3779b97f4a7c15ull
#define RANK_COUNT_MAX  4096 /* key ranges ranked by counting */
#define RANK_INDEX_BITS 10   /* bits of a country index in a sort key */
_Static_assert(ROBUST_MAX_COUNTRIES <= 1 << RANK_INDEX_BITS,
               "a country index must fit in RANK_INDEX_BITS");
#define N_LEVELS CW_N_STATES

/* ---- random numbers ---------------------------------------------------- */

uint64_t robust_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += GOLDEN_GAMMA);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void robust_rng_seed(struct robust_rng *g, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed + 4 * stream * GOLDEN_GAMMA;
    for (int i = 0; i < 4; i++)
        g->s[i] = robust_splitmix64(&x);
    if (!(g->s[0] | g->s[1] | g->s[2] | g->s[3]))
        g->s[0] = GOLDEN_GAMMA;
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t robust_rng_next(struct robust_rng *g)
{
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double robust_rng_uniform(struct robust_rng *g)
{
    return (double)(robust_rng_next(g) >> 11) * 0x1.0p-53;
}

/* Standard normal (Marsaglia's polar method; the second value is dropped
 * so that a draw's stream does not depend on earlier calls). */
static double normal(struct robust_rng *g)
{
    for (;;) {
        double u = 2 * robust_rng_uniform(g) - 1;
        double v = 2 * robust_rng_uniform(g) - 1;
        double q = u * u + v * v;
        if (q > 0 && q < 1)
            return u * sqrt(-2 * log(q) / q);
    }
}

double robust_rng_gamma(struct robust_rng *g, double a)
{
    if (a < 1) {
        /* Gamma(a) = Gamma(a + 1) * U^(1/a) */
        double x = robust_rng_gamma(g, a + 1);
        double u;
        do
            u = robust_rng_uniform(g);
        while (u <= 0);
        return x * pow(u, 1 / a);
    }
    double d = a - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x, v;
        do {
            x = normal(g);
            v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        double u = robust_rng_uniform(g);
        if (u < 1 - 0.0331 * x * x * x * x)
            return d * v;
        if (u > 0 && log(u) < 0.5 * x * x + d * (1 - v + log(v)))
            return d * v;
    }
}

void robust_rng_dirichlet(struct robust_rng *g, const double *alpha, size_t n,
                          double *out)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = robust_rng_gamma(g, alpha[i]);
        sum += out[i];
    }
    for (size_t i = 0; i < n; i++)
        out[i] = sum > 0 ? out[i] / sum : 1.0 / (double)n;
}

/*
 * P(a, x) with lga = lgamma(a) given (lgamma is not thread-safe: it sets
 * signgam). Series for x < a + 1, else the continued fraction of Q(a, x)
 * by the modified Lentz method; relative precision ~1e-12.
 */
static double gamma_p(double a, double lga, double x)
{
    if (!(x > 0))
        return 0;
    double front = exp(-x + a * log(x) - lga);
    if (x < a + 1) {
        double term = 1 / a, sum = term;
        for (int k = 1; k < 1000; k++) {
            term *= x / (a + k);
            sum += term;
            if (term < sum * 1e-13)
                break;
        }
        double p = front * sum;
        return p < 1 ? p : 1;
    }
    const double tiny = 1e-300;
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int k = 1; k < 1000; k++) {
        double an = -k * (k - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-13)
            break;
    }
    double q = front * h;
    return q > 1 ? 0 : 1 - q;
}

double robust_gamma_p(double a, double x)
{
    return gamma_p(a, lgamma(a), x);
}

/* ---- the plan: everything a draw reads, built once ---------------------- */

/* An unknown or not-stated indicator of one country, for drawn levels. */
struct cell {
    uint32_t pillar;    /* index among the rubric's overall pillars */
    uint32_t indicator; /* nominal indicator, for its hot-deck levels */
    double weight;
};

/* One rubric as the draws use it. */
struct plan_rubric {
    const struct rubric *r;
    size_t n_pillars;      /* pillars in the overall */
    size_t *wfactor;       /* weight factor of each (index into plan.wf) */
    const char **ids;      /* pillar ids */
    double *wsum;          /* sum of indicator weights in each pillar */
    double *share[2];      /* nominal shares by aggregation */
    double *alpha[2];      /* Dirichlet parameters by aggregation */
    double *lga[2];        /* lgamma of alpha */
    double frac[N_LEVELS]; /* worth of each status: points / max points */
    enum rubric_aggregate aggregate;
    double *w;          /* (n_pillars x N_LEVELS) x n: weight of the
                           indicators of each pillar in each status, a
                           column of countries per (pillar, status) */
    bool *has_w;        /* n_pillars x N_LEVELS: the column is not 0 */
    size_t *cell_start; /* n + 1: cells of country c */
    struct cell *cells;
};

/* A weight factor: one pillar id across the rubrics. */
struct weight_factor {
    const char *id;
    double low, high; /* range multipliers */
};

struct plan {
    size_t n;
    unsigned choices;
    enum uncertainty_weights weights;
    size_t n_rubrics;
    struct plan_rubric *rubrics;
    double *rubric_cdf; /* n_rubrics */
    double agg_cdf[2];
    double missing_cdf[UNCERTAINTY_N_MISSING];
    double partial_low, partial_high;
    double (*hot)[3]; /* per nominal indicator: cumulative P of absent,
                         partial, present among the countries stating it */
    struct weight_factor *wf;
    size_t n_wf;
    size_t max_pillars;
    /* factor index of each kind (-1: not drawn) and of weight factor 0 */
    long f_partial, f_missing, f_aggregation, f_rubric, f_weight0;
    size_t n_factors;
    size_t *n_bins;    /* per factor */
    size_t *bin_start; /* per factor: first bin in the flat bin arrays */
    size_t n_bins_all;
    size_t cont_bins; /* bins of a continuous factor */
    size_t *nominal_rank;
    long focus;
    size_t top_k;
    int decimals;
    enum compare_ties ties;
};

static void plan_rubric_release(struct plan_rubric *pr)
{
    free(pr->wfactor);
    // NOLINTNEXTLINE(bugprone-multi-level-implicit-pointer-conversion)
    free(pr->ids);
    free(pr->wsum);
    for (int a = 0; a < 2; a++) {
        free(pr->share[a]);
        free(pr->alpha[a]);
        free(pr->lga[a]);
    }
    free(pr->w);
    free(pr->has_w);
    free(pr->cell_start);
    free(pr->cells);
}

static void plan_release(struct plan *p)
{
    for (size_t i = 0; i < p->n_rubrics; i++)
        plan_rubric_release(&p->rubrics[i]);
    free(p->rubrics);
    free(p->rubric_cdf);
    free(p->hot);
    free(p->wf);
    free(p->n_bins);
    free(p->bin_start);
    free(p->nominal_rank);
}

static long find_wf(const struct plan *p, const char *id)
{
    for (size_t j = 0; j < p->n_wf; j++)
        if (!strcmp(p->wf[j].id, id))
            return (long)j;
    return -1;
}

/*
 * Prepare rubric r for the draws: its overall pillars, their nominal
 * shares, and each country's weight per pillar and status. map[i] is the
 * nominal indicator read by r's indicator i.
 */
static void plan_rubric_init(struct plan *p, struct plan_rubric *pr,
                             const struct rubric *r, const size_t *map,
                             const enum cw_state *states, size_t n_nominal,
                             double concentration)
{
    size_t n = p->n;
    memset(pr, 0, sizeof *pr);
    pr->r = r;
    pr->aggregate = r->aggregate;
    long *pindex = xmalloc((r->n_pillars + 1) * sizeof *pindex);
    for (size_t q = 0; q < r->n_pillars; q++)
        pindex[q] = r->pillars[q].in_overall ? (long)pr->n_pillars++ : -1;
    size_t np = pr->n_pillars ? pr->n_pillars : 1;
    pr->wfactor = xcalloc(np, sizeof *pr->wfactor);
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    pr->ids = xcalloc(np, sizeof *pr->ids);
    pr->wsum = xcalloc(np, sizeof *pr->wsum);
    for (int a = 0; a < 2; a++) {
        pr->share[a] = xcalloc(np, sizeof *pr->share[a]);
        pr->alpha[a] = xcalloc(np, sizeof *pr->alpha[a]);
        pr->lga[a] = xcalloc(np, sizeof *pr->lga[a]);
    }
    double wtotal = 0, ptotal = 0;
    for (size_t q = 0; q < r->n_pillars; q++) {
        if (pindex[q] < 0)
            continue;
        size_t k = (size_t)pindex[q];
        pr->ids[k] = r->pillars[q].id;
        ptotal += r->pillars[q].weight;
        for (size_t i = 0; i < r->n_indicators; i++)
            if (r->indicators[i].pillar == q)
                pr->wsum[k] += r->indicators[i].weight;
        wtotal += pr->wsum[k];
        long j = find_wf(p, pr->ids[k]);
        if (j < 0) {
            j = (long)p->n_wf++;
            p->wf[j].id = pr->ids[k];
        }
        pr->wfactor[k] = (size_t)j;
    }
    for (size_t q = 0; q < r->n_pillars; q++) {
        if (pindex[q] < 0)
            continue;
        size_t k = (size_t)pindex[q];
        pr->share[RUBRIC_AGG_POINTS][k] = wtotal > 0 ? pr->wsum[k] / wtotal : 0;
        pr->share[RUBRIC_AGG_PILLARS][k] =
            ptotal > 0 ? r->pillars[q].weight / ptotal : 0;
    }
    for (int a = 0; a < 2; a++)
        for (size_t k = 0; k < pr->n_pillars; k++) {
            pr->alpha[a][k] = concentration * pr->share[a][k];
            pr->lga[a][k] = pr->alpha[a][k] > 0 ? lgamma(pr->alpha[a][k]) : 0;
        }
    for (int s = 0; s < N_LEVELS; s++)
        pr->frac[s] = r->max_points > 0 ? r->points[s] / r->max_points : 0;

    /* Each country's weights per pillar and status; its open cells. */
    pr->w = xcalloc(n * np * N_LEVELS, sizeof *pr->w);
    pr->has_w = xcalloc(np * N_LEVELS, sizeof *pr->has_w);
    pr->cell_start = xcalloc(n + 1, sizeof *pr->cell_start);
    size_t n_cells = 0, cap = 0;
    for (size_t c = 0; c < n; c++) {
        const enum cw_state *st = states + c * n_nominal;
        pr->cell_start[c] = n_cells;
        for (size_t i = 0; i < r->n_indicators; i++) {
            long k = pindex[r->indicators[i].pillar];
            if (k < 0)
                continue;
            enum cw_state s = st[map[i]];
            double w = r->indicators[i].weight;
            size_t col = (size_t)k * N_LEVELS + s;
            pr->w[col * n + c] += w;
            pr->has_w[col] = pr->has_w[col] || w != 0;
            if (s == CW_UNKNOWN || s == CW_UNSTATED) {
                CW_GROW(pr->cells, n_cells + 1, cap);
                pr->cells[n_cells++] =
                    (struct cell){(uint32_t)k, (uint32_t)map[i], w};
            }
        }
    }
    pr->cell_start[n] = n_cells;
    free(pindex);
}

/* Probabilities p[0..n) as a cumulative table (the last entry is 1). */
static void make_cdf(const double *p, size_t n, double *cdf)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += p[i];
        cdf[i] = sum;
    }
    for (size_t i = 0; i < n; i++)
        cdf[i] = sum > 0 ? cdf[i] / sum : (double)(i + 1) / (double)n;
    cdf[n - 1] = 1;
}

/* Index drawn from a cumulative table by u in [0, 1). */
static inline size_t pick(const double *cdf, size_t n, double u)
{
    size_t i = 0;
    while (i + 1 < n && u >= cdf[i])
        i++;
    return i;
}

/* Map rubric alt's indicators to nominal ones; error at the file's line. */
static int map_rubric(const struct rubric *nominal,
                      const struct uncertainty_rubric *ur, size_t *map,
                      const char *file, struct cw_error *err)
{
    const struct rubric *r = ur->rubric;
    for (size_t i = 0; i < r->n_indicators; i++) {
        long k = rubric_find_indicator(nominal, r->indicators[i].id);
        if (k < 0 && r->pillars[r->indicators[i].pillar].in_overall)
            return cw_errorf(err, CW_ERR_PARSE,
                             ((struct cw_loc){file, ur->line, 2}),
                             "rubric '%s' scores indicator '%s', which the "
                             "stored rubric '%s' does not: no status to "
                             "score it with",
                             ur->path, r->indicators[i].id, nominal->name);
        map[i] = k < 0 ? 0 : (size_t)k;
    }
    return CW_OK;
}

static size_t add_factor(struct plan *p, size_t bins)
{
    size_t f = p->n_factors++;
    p->n_bins[f] = bins;
    p->bin_start[f] = p->n_bins_all;
    p->n_bins_all += bins;
    return f;
}

static int plan_init(struct plan *p, const struct robust_input *in,
                     const struct robust_options *o, struct cw_error *err)
{
    /* No file: nothing declared, the stored rubric only. */
    static const struct uncertainty none = {.nominal_probability = 1};
    const struct uncertainty *u = in->unc ? in->unc : &none;
    const struct rubric *nom = in->rubric;
    size_t n = in->n, k = nom->n_indicators;
    memset(p, 0, sizeof *p);
    p->n = n;
    p->focus = o->focus;
    p->top_k = o->top_k;
    p->decimals = o->decimals;
    p->ties = o->ties;
    unsigned declared = 0;
    declared |= u->weights != UNCERTAINTY_WEIGHTS_NONE ? ROBUST_WEIGHTS : 0;
    declared |= u->has_partial ? ROBUST_LEVELS : 0;
    declared |= u->has_missing ? ROBUST_MISSING : 0;
    declared |= u->has_aggregation ? ROBUST_AGGREGATION : 0;
    declared |= u->n_rubrics ? ROBUST_RUBRICS : 0;
    p->choices = declared & o->choices;
    p->weights =
        p->choices & ROBUST_WEIGHTS ? u->weights : UNCERTAINTY_WEIGHTS_NONE;

    /* Rubrics: the nominal one, then the alternatives when drawn. Weight
     * factors are the overall pillars of every rubric the file names. */
    size_t n_alt = u->n_rubrics;
    size_t max_p = 0;
    for (size_t q = 0; q < nom->n_pillars; q++)
        max_p++;
    for (size_t a = 0; a < n_alt; a++)
        max_p += u->rubrics[a].rubric->n_pillars;
    p->wf = xcalloc(max_p + 1, sizeof *p->wf);
    p->n_rubrics = p->choices & ROBUST_RUBRICS ? 1 + n_alt : 1;
    p->rubrics = xcalloc(p->n_rubrics, sizeof *p->rubrics);
    p->rubric_cdf = xcalloc(p->n_rubrics, sizeof *p->rubric_cdf);
    double kappa = u->concentration;
    size_t *map = xmalloc((k + 1) * sizeof *map);
    for (size_t i = 0; i < k; i++)
        map[i] = i;
    plan_rubric_init(p, &p->rubrics[0], nom, map, in->states, k, kappa);
    free(map);
    for (size_t a = 0; a < n_alt; a++) {
        const struct rubric *r = u->rubrics[a].rubric;
        map = xmalloc((r->n_indicators + 1) * sizeof *map);
        int rc = map_rubric(nom, &u->rubrics[a], map, u->path, err);
        if (!rc && a + 1 < p->n_rubrics)
            plan_rubric_init(p, &p->rubrics[a + 1], r, map, in->states, k,
                             kappa);
        free(map);
        if (rc)
            return rc;
    }
    /* Weight factors seen only in alternatives that are not drawn still
     * validate the file's weight rows, but are not drawn. */
    for (size_t a = p->n_rubrics - 1; a < n_alt; a++) {
        const struct rubric *r = u->rubrics[a].rubric;
        for (size_t q = 0; q < r->n_pillars; q++)
            if (r->pillars[q].in_overall && find_wf(p, r->pillars[q].id) < 0)
                p->wf[p->n_wf++].id = r->pillars[q].id;
    }
    for (size_t i = 0; i < u->n_ranges; i++)
        if (find_wf(p, u->ranges[i].pillar) < 0)
            return cw_errorf(err, CW_ERR_PARSE,
                             ((struct cw_loc){u->path, u->ranges[i].line, 2}),
                             "no rubric has pillar '%s' in its overall score",
                             u->ranges[i].pillar);
    /* Keep only the weight factors of the rubrics drawn. */
    size_t n_drawn_wf = 0;
    for (size_t r = 0; r < p->n_rubrics; r++)
        for (size_t q = 0; q < p->rubrics[r].n_pillars; q++)
            if (p->rubrics[r].wfactor[q] + 1 > n_drawn_wf)
                n_drawn_wf = p->rubrics[r].wfactor[q] + 1;
    p->n_wf = n_drawn_wf;
    for (size_t j = 0; j < p->n_wf; j++)
        uncertainty_pillar_range(u, p->wf[j].id, &p->wf[j].low, &p->wf[j].high);
    for (size_t r = 0; r < p->n_rubrics; r++)
        if (p->rubrics[r].n_pillars > p->max_pillars)
            p->max_pillars = p->rubrics[r].n_pillars;

    double probs[UNCERTAINTY_MAX_RUBRICS + 1] = {0};
    probs[0] = u->nominal_probability;
    for (size_t a = 0; a < n_alt && a + 1 < p->n_rubrics; a++)
        probs[a + 1] = u->rubrics[a].probability;
    make_cdf(probs, p->n_rubrics, p->rubric_cdf);
    if (p->choices & ROBUST_AGGREGATION)
        make_cdf(u->aggregation, 2, p->agg_cdf);
    if (p->choices & ROBUST_MISSING)
        make_cdf(u->missing, UNCERTAINTY_N_MISSING, p->missing_cdf);
    if (p->choices & ROBUST_LEVELS) {
        p->partial_low = u->partial_low;
        p->partial_high = u->partial_high;
    }

    /* Hot deck: each indicator's stated levels across the countries. */
    p->hot = xcalloc(k + 1, sizeof *p->hot);
    for (size_t i = 0; i < k; i++) {
        double cnt[3] = {0, 0, 0};
        for (size_t c = 0; c < n; c++) {
            enum cw_state s = in->states[c * k + i];
            if (s <= CW_PRESENT)
                cnt[s]++;
        }
        make_cdf(cnt, 3, p->hot[i]);
    }

    /* Factors, in output order, with their bins. */
    p->cont_bins = o->n_draws / 200;
    if (p->cont_bins > ROBUST_BINS)
        p->cont_bins = ROBUST_BINS;
    if (p->cont_bins < 2)
        p->cont_bins = 2;
    size_t max_f = p->n_wf + 4;
    p->n_bins = xcalloc(max_f, sizeof *p->n_bins);
    p->bin_start = xcalloc(max_f, sizeof *p->bin_start);
    p->f_partial = p->f_missing = p->f_aggregation = p->f_rubric = -1;
    p->f_weight0 = -1;
    if (p->weights != UNCERTAINTY_WEIGHTS_NONE)
        for (size_t j = 0; j < p->n_wf; j++) {
            size_t f = add_factor(p, p->cont_bins);
            if (!j)
                p->f_weight0 = (long)f;
        }
    if (p->choices & ROBUST_LEVELS)
        p->f_partial = (long)add_factor(p, p->cont_bins);
    if (p->choices & ROBUST_MISSING)
        p->f_missing = (long)add_factor(p, UNCERTAINTY_N_MISSING);
    if (p->choices & ROBUST_AGGREGATION)
        p->f_aggregation = (long)add_factor(p, 2);
    if (p->choices & ROBUST_RUBRICS)
        p->f_rubric = (long)add_factor(p, p->n_rubrics);
    return CW_OK;
}

/* ---- one draw ----------------------------------------------------------- */

/* Per-thread counts and scratch: allocated before the draws start. */
struct acc {
    uint32_t *rank_hist;  /* n x (n + 1) */
    uint32_t *score_hist; /* n x (ROBUST_SCORE_STEPS + 1) */
    uint32_t *above;      /* n */
    uint64_t *fsum;       /* n_bins_all x n: sum of ranks per bin */
    uint32_t *bsum;       /* the same over the current block only (fits:
                             ROBUST_BLOCK x ROBUST_MAX_COUNTRIES < 2^32),
                             added to fsum at the end of each block */
    uint64_t *fcnt;       /* n_bins_all: draws per bin */
    uint64_t *fshift;     /* n_bins_all: sum of shifts per bin */
    uint64_t shift_sum, shift_sq;
    double *smin, *smax; /* n */
    /* scratch */
    double *score;
    long long *key;
    uint64_t *sort, *sort2; /* radix sort buffers */
    uint32_t *rank, *cnt;
    uint64_t *bits, *above_bits; /* RANK_COUNT_MAX / 64 words */
    size_t *bin;                 /* per factor: the bin of this draw */
    double *share, *coef, *g, *mult;
};

static void acc_init(struct acc *a, const struct plan *p)
{
    size_t n = p->n, nb = p->n_bins_all ? p->n_bins_all : 1;
    size_t np = p->max_pillars ? p->max_pillars : 1;
    memset(a, 0, sizeof *a);
    a->rank_hist = xcalloc(n * (n + 1), sizeof *a->rank_hist);
    a->score_hist =
        xcalloc(n * (ROBUST_SCORE_STEPS + 1), sizeof *a->score_hist);
    a->above = xcalloc(n, sizeof *a->above);
    a->fsum = xcalloc(nb * n, sizeof *a->fsum);
    a->bsum = xcalloc(nb * n, sizeof *a->bsum);
    a->fcnt = xcalloc(nb, sizeof *a->fcnt);
    a->fshift = xcalloc(nb, sizeof *a->fshift);
    a->smin = xmalloc(n * sizeof *a->smin);
    a->smax = xmalloc(n * sizeof *a->smax);
    for (size_t c = 0; c < n; c++) {
        a->smin[c] = HUGE_VAL;
        a->smax[c] = -HUGE_VAL;
    }
    a->score = xmalloc(n * sizeof *a->score);
    a->key = xmalloc(n * sizeof *a->key);
    a->sort = xmalloc(n * sizeof *a->sort);
    a->sort2 = xmalloc(n * sizeof *a->sort2);
    a->rank = xmalloc(n * sizeof *a->rank);
    a->cnt = xmalloc(RANK_COUNT_MAX * sizeof *a->cnt);
    a->bits = xmalloc(RANK_COUNT_MAX / 64 * sizeof *a->bits);
    a->above_bits = xmalloc(RANK_COUNT_MAX / 64 * sizeof *a->above_bits);
    a->bin = xcalloc(p->n_factors + 1, sizeof *a->bin);
    a->share = xmalloc(np * sizeof *a->share);
    a->coef = xmalloc(np * sizeof *a->coef);
    a->g = xmalloc(np * N_LEVELS * sizeof *a->g);
    a->mult = xmalloc((p->n_wf + 1) * sizeof *a->mult);
}

static void acc_release(struct acc *a)
{
    free(a->rank_hist);
    free(a->score_hist);
    free(a->above);
    free(a->fsum);
    free(a->bsum);
    free(a->fcnt);
    free(a->fshift);
    free(a->smin);
    free(a->smax);
    free(a->score);
    free(a->key);
    free(a->sort);
    free(a->sort2);
    free(a->rank);
    free(a->cnt);
    free(a->bits);
    free(a->above_bits);
    free(a->bin);
    free(a->share);
    free(a->coef);
    free(a->g);
    free(a->mult);
}

/* Bits set in x. */
static inline uint64_t popcount(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (x * 0x0101010101010101ull) >> 56;
}

/*
 * Ranks of keys[0..n) (higher is better; the smallest is kmin, the
 * largest kmax) under ties, into a->rank: the same ranks as compare_rank
 * on the same keys, in O(n + range) time. Keys spanning fewer than
 * RANK_COUNT_MAX values are marked in a bitmap (dense ranks) or counted
 * (competition ranks); wider ones (more than 3 decimals) are sorted by an
 * LSD radix sort, one pass per byte of their range, carrying the country
 * in the low RANK_INDEX_BITS bits (compare_key keeps |key| below 1e15, so
 * the range fits in the other 54).
 */
static void rank_keys(const long long *key, size_t n, long long kmin,
                      long long kmax, enum compare_ties ties, struct acc *a)
{
    uint64_t range = (uint64_t)kmax - (uint64_t)kmin;
    if (range < RANK_COUNT_MAX && ties == COMPARE_TIES_DENSE) {
        /* Dense ranks: 1 + the number of distinct keys above, counted in
         * a bitmap of the key values present. */
        uint64_t *bits = a->bits, *above = a->above_bits;
        size_t nw = (size_t)(range >> 6) + 1;
        memset(bits, 0, nw * sizeof *bits);
        for (size_t i = 0; i < n; i++) {
            uint64_t o = (uint64_t)(key[i] - kmin);
            bits[o >> 6] |= 1ull << (o & 63);
        }
        uint64_t sum = 0;
        for (size_t w = nw; w-- > 0;) {
            above[w] = sum;
            sum += popcount(bits[w]);
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t o = (uint64_t)(key[i] - kmin);
            uint64_t higher = (bits[o >> 6] >> (o & 63)) >> 1;
            a->rank[i] = (uint32_t)(1 + above[o >> 6] + popcount(higher));
        }
        return;
    }
    if (range < RANK_COUNT_MAX) {
        /* Competition ranks: 1 + the number of countries above. */
        uint32_t *cnt = a->cnt;
        memset(cnt, 0, (range + 1) * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[key[i] - kmin]++;
        uint32_t above = 0;
        for (size_t j = range + 1; j-- > 0;) {
            uint32_t v = cnt[j];
            cnt[j] = above + 1;
            above += v;
        }
        for (size_t i = 0; i < n; i++)
            a->rank[i] = cnt[key[i] - kmin];
        return;
    }
    uint64_t *src = a->sort, *dst = a->sort2;
    for (size_t i = 0; i < n; i++)
        src[i] = (uint64_t)(key[i] - kmin) << RANK_INDEX_BITS | i;
    for (int shift = RANK_INDEX_BITS;
         shift < 64 && (range >> (shift - RANK_INDEX_BITS)); shift += 8) {
        uint32_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xff]++;
        uint32_t sum = 0;
        for (size_t b = 0; b < 256; b++) {
            uint32_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    /* src is ascending: walk it from the best. */
    uint32_t r = 0, distinct = 0;
    uint64_t prev = 0;
    for (size_t j = n; j-- > 0;) {
        uint64_t k = src[j] >> RANK_INDEX_BITS;
        size_t pos = n - 1 - j; /* countries before this one */
        if (pos == 0 || k != prev) {
            distinct++;
            r = ties == COMPARE_TIES_DENSE ? distinct : (uint32_t)pos + 1;
            prev = k;
        }
        a->rank[src[j] & ((1u << RANK_INDEX_BITS) - 1)] = r;
    }
}

static void draw(const struct plan *p, struct robust_rng *g, struct acc *a)
{
    size_t n = p->n;
    /* Rubric and aggregation. */
    size_t ri = 0;
    if (p->f_rubric >= 0) {
        ri = pick(p->rubric_cdf, p->n_rubrics, robust_rng_uniform(g));
        a->bin[p->f_rubric] = ri;
    }
    const struct plan_rubric *pr = &p->rubrics[ri];
    size_t np = pr->n_pillars;
    int agg = (int)pr->aggregate;
    if (p->f_aggregation >= 0) {
        agg = (int)pick(p->agg_cdf, 2, robust_rng_uniform(g));
        a->bin[p->f_aggregation] = (size_t)agg;
    }
    /* Pillar shares. */
    memcpy(a->share, pr->share[agg], np * sizeof *a->share);
    if (p->weights == UNCERTAINTY_WEIGHTS_RANGE) {
        for (size_t j = 0; j < p->n_wf; j++) {
            double u = robust_rng_uniform(g);
            a->mult[j] = p->wf[j].low + (p->wf[j].high - p->wf[j].low) * u;
            a->bin[(size_t)p->f_weight0 + j] =
                (size_t)(u * (double)p->cont_bins);
        }
        for (size_t q = 0; q < np; q++)
            a->share[q] *= a->mult[pr->wfactor[q]];
    } else if (p->weights == UNCERTAINTY_WEIGHTS_DIRICHLET) {
        /* Each weight factor's quantile: its gamma's CDF, or a dummy
         * uniform when this rubric lacks the pillar. */
        for (size_t j = 0; j < p->n_wf; j++)
            a->mult[j] = -1;
        for (size_t q = 0; q < np; q++) {
            double al = pr->alpha[agg][q];
            if (!(al > 0))
                continue;
            double x = robust_rng_gamma(g, al);
            a->share[q] = x;
            a->mult[pr->wfactor[q]] = gamma_p(al, pr->lga[agg][q], x);
        }
        for (size_t j = 0; j < p->n_wf; j++) {
            double u = a->mult[j] >= 0 ? a->mult[j] : robust_rng_uniform(g);
            size_t b = (size_t)(u * (double)p->cont_bins);
            a->bin[(size_t)p->f_weight0 + j] =
                b < p->cont_bins ? b : p->cont_bins - 1;
        }
    }
    if (p->weights != UNCERTAINTY_WEIGHTS_NONE) {
        double sum = 0;
        for (size_t q = 0; q < np; q++)
            sum += a->share[q];
        for (size_t q = 0; q < np; q++)
            a->share[q] = sum > 0 ? a->share[q] / sum : pr->share[agg][q];
    }
    /* The worth of each status. */
    double f[N_LEVELS];
    memcpy(f, pr->frac, sizeof f);
    if (p->f_partial >= 0) {
        double u = robust_rng_uniform(g);
        double t = p->partial_low + (p->partial_high - p->partial_low) * u;
        f[CW_PARTIAL] = f[CW_ABSENT] + t * (f[CW_PRESENT] - f[CW_ABSENT]);
        a->bin[p->f_partial] = (size_t)(u * (double)p->cont_bins);
    }
    size_t missing = UNCERTAINTY_N_MISSING; /* the rubric's own points */
    if (p->f_missing >= 0) {
        missing =
            pick(p->missing_cdf, UNCERTAINTY_N_MISSING, robust_rng_uniform(g));
        a->bin[p->f_missing] = missing;
        double v = missing == UNCERTAINTY_MISSING_ABSENT ? f[CW_ABSENT]
                   : missing == UNCERTAINTY_MISSING_MIDPOINT
                       ? (f[CW_ABSENT] + f[CW_PRESENT]) / 2
                       : 0; /* drawn: per cell below */
        f[CW_UNKNOWN] = f[CW_UNSTATED] = v;
    }
    for (size_t q = 0; q < np; q++) {
        a->coef[q] = pr->wsum[q] > 0 ? a->share[q] / pr->wsum[q] : 0;
        for (int s = 0; s < N_LEVELS; s++)
            a->g[q * N_LEVELS + s] = a->coef[q] * f[s];
    }
    /* Scores: a column of countries per (pillar, status) worth anything,
     * then the drawn levels of open cells; and their keys. */
    double *score = a->score;
    memset(score, 0, n * sizeof *score);
    for (size_t k = 0; k < np * N_LEVELS; k++) {
        double gk = a->g[k];
        if (gk == 0 || !pr->has_w[k])
            continue;
        const double *col = pr->w + k * n;
        for (size_t c = 0; c < n; c++)
            score[c] += col[c] * gk;
    }
    if (missing == UNCERTAINTY_MISSING_DRAWN)
        for (size_t c = 0; c < n; c++)
            for (size_t e = pr->cell_start[c]; e < pr->cell_start[c + 1]; e++) {
                const struct cell *ce = &pr->cells[e];
                size_t lvl =
                    pick(p->hot[ce->indicator], 3, robust_rng_uniform(g));
                score[c] += a->coef[ce->pillar] * ce->weight * f[lvl];
            }
    long long kmin = 0, kmax = 0;
    for (size_t c = 0; c < n; c++) {
        long long key = precision_key(score[c], p->decimals);
        a->key[c] = key;
        kmin = !c || key < kmin ? key : kmin;
        kmax = !c || key > kmax ? key : kmax;
        long long sk = p->decimals == 3 ? key : precision_key(score[c], 3);
        sk = sk < 0 ? 0 : sk > ROBUST_SCORE_STEPS ? ROBUST_SCORE_STEPS : sk;
        a->score_hist[c * (ROBUST_SCORE_STEPS + 1) + (size_t)sk]++;
        a->smin[c] = score[c] < a->smin[c] ? score[c] : a->smin[c];
        a->smax[c] = score[c] > a->smax[c] ? score[c] : a->smax[c];
    }
    rank_keys(a->key, n, kmin, kmax, p->ties, a);
    /* Counts. */
    const uint32_t *rank = a->rank;
    uint64_t shift = 0;
    uint32_t focus_rank = p->focus >= 0 ? rank[p->focus] : 0;
    for (size_t c = 0; c < n; c++) {
        uint32_t r = rank[c];
        a->rank_hist[c * (n + 1) + r]++;
        a->above[c] += r < focus_rank;
        size_t r0 = p->nominal_rank[c];
        shift += r > r0 ? r - r0 : r0 - r;
    }
    a->shift_sum += shift;
    a->shift_sq += shift * shift;
    for (size_t fi = 0; fi < p->n_factors; fi++) {
        size_t b = p->bin_start[fi] + a->bin[fi];
        uint32_t *sum = a->bsum + b * n;
        for (size_t c = 0; c < n; c++)
            sum[c] += rank[c];
        a->fcnt[b]++;
        a->fshift[b] += shift;
    }
}

/* ---- threads ------------------------------------------------------------ */

struct worker {
    const struct plan *plan;
    struct acc acc;
    size_t n_draws;
    uint64_t seed;
    size_t first, stride; /* blocks first, first + stride, ... */
    pthread_t thread;
    bool is_started;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    size_t n_blocks = (w->n_draws + ROBUST_BLOCK - 1) / ROBUST_BLOCK;
    for (size_t b = w->first; b < n_blocks; b += w->stride) {
        struct robust_rng g;
        robust_rng_seed(&g, w->seed, b);
        size_t end = (b + 1) * ROBUST_BLOCK;
        if (end > w->n_draws)
            end = w->n_draws;
        for (size_t d = b * ROBUST_BLOCK; d < end; d++)
            draw(w->plan, &g, &w->acc);
        size_t len = w->plan->n_bins_all * w->plan->n;
        for (size_t i = 0; i < len; i++) {
            w->acc.fsum[i] += w->acc.bsum[i];
            w->acc.bsum[i] = 0;
        }
    }
    return NULL;
}

/* ---- results ------------------------------------------------------------ */

/* Smallest r with cum(r) * den >= num * N (a quantile of a histogram). */
static size_t quantile(const uint64_t *hist, size_t n_values, uint64_t total,
                       uint64_t num, uint64_t den)
{
    uint64_t cum = 0;
    for (size_t r = 0; r < n_values; r++) {
        cum += hist[r];
        if (hist[r] && cum * den >= num * total)
            return r;
    }
    return n_values - 1;
}

/*
 * First-order index from per-bin sums: bins[b] draws with outcome sum
 * sums[b * stride]; total sum and sum of squares over all N draws.
 */
static double first_order(const uint64_t *counts, const uint64_t *sums,
                          size_t stride, size_t n_bins, long double total,
                          long double sq, uint64_t n_draws)
{
    long double N = (long double)n_draws;
    long double sst = sq - total * total / N;
    if (!(sst > 0) || n_draws < 3)
        return 0;
    long double ssb = 0;
    size_t k = 0;
    for (size_t b = 0; b < n_bins; b++) {
        if (!counts[b])
            continue;
        long double s = (long double)sums[b * stride];
        ssb += s * s / (long double)counts[b];
        k++;
    }
    ssb -= total * total / N;
    if (k < 2 || (long double)k >= N)
        return 0;
    long double ssw = sst - ssb;
    long double v =
        (ssb - (long double)(k - 1) * ssw / (N - (long double)k)) / sst;
    return v < 0 ? 0 : v > 1 ? 1 : (double)v;
}

/* Names of the factors, owned by the result (in one allocation each). */
static void name_factors(struct robust_result *res, const struct plan *p)
{
    struct strbuf id = STRBUF_INIT, label = STRBUF_INIT;
    for (size_t f = 0; f < p->n_factors; f++) {
        struct robust_factor *rf = &res->factors[f];
        rf->n_bins = p->n_bins[f];
        strbuf_reset(&id);
        strbuf_reset(&label);
        if (p->f_weight0 >= 0 && (long)f >= p->f_weight0 &&
            f < (size_t)p->f_weight0 + p->n_wf) {
            const char *pid = p->wf[f - (size_t)p->f_weight0].id;
            const char *name = pid;
            for (size_t r = p->n_rubrics; r-- > 0;) {
                long q = rubric_find_pillar(p->rubrics[r].r, pid);
                if (q >= 0)
                    name = p->rubrics[r].r->pillars[q].name;
            }
            rf->kind = ROBUST_F_WEIGHT;
            strbuf_addf(&id, "weight.%s", pid);
            strbuf_addf(&label, "the weight of the %s pillar", name);
        } else if ((long)f == p->f_partial) {
            rf->kind = ROBUST_F_PARTIAL;
            strbuf_adds(&id, "partial");
            strbuf_adds(&label, "the worth of partial");
        } else if ((long)f == p->f_missing) {
            rf->kind = ROBUST_F_MISSING;
            strbuf_adds(&id, "missing");
            strbuf_adds(&label,
                        "the treatment of unknown and not-stated indicators");
        } else if ((long)f == p->f_aggregation) {
            rf->kind = ROBUST_F_AGGREGATION;
            strbuf_adds(&id, "aggregation");
            strbuf_adds(&label, "the aggregation");
        } else {
            rf->kind = ROBUST_F_RUBRIC;
            strbuf_adds(&id, "rubric");
            strbuf_adds(&label, "the choice of rubric");
        }
        rf->id = xstrdup(id.buf);
        rf->label = xstrdup(label.buf);
    }
    strbuf_release(&id);
    strbuf_release(&label);
}

static void summarise(struct robust_result *res, const struct plan *p,
                      const struct acc *sum)
{
    size_t n = p->n, N = res->n_draws, nf = p->n_factors;
    uint64_t *hist = res->rank_hist;
    uint64_t *sh = xcalloc(ROBUST_SCORE_STEPS + 1, sizeof *sh);
    for (size_t c = 0; c < n; c++) {
        struct robust_country *rc = &res->countries[c];
        uint64_t *h = hist + c * (n + 1);
        for (size_t r = 0; r <= n; r++)
            h[r] = sum->rank_hist[c * (n + 1) + r];
        rc->p05 = quantile(h, n + 1, N, 5, 100);
        rc->median = quantile(h, n + 1, N, 1, 2);
        rc->p95 = quantile(h, n + 1, N, 95, 100);
        long double t = 0, sq = 0;
        uint64_t top = 0, cover = 0;
        rc->best = 0;
        for (size_t r = 1; r <= n; r++) {
            if (!h[r])
                continue;
            if (!rc->best)
                rc->best = r;
            rc->worst = r;
            t += (long double)h[r] * (long double)r;
            sq += (long double)h[r] * (long double)r * (long double)r;
            if (r <= p->top_k)
                top += h[r];
            if (r >= rc->p05 && r <= rc->p95)
                cover += h[r];
        }
        rc->mean_rank = (double)(t / (long double)N);
        long double var =
            sq / (long double)N - (t / (long double)N) * (t / (long double)N);
        rc->sd_rank = var > 0 ? (double)sqrtl(var) : 0;
        rc->p_top = (double)top / (double)N;
        rc->coverage = (double)cover / (double)N;
        rc->p_above = (double)sum->above[c] / (double)N;
        for (size_t s = 0; s <= ROBUST_SCORE_STEPS; s++)
            sh[s] = sum->score_hist[c * (ROBUST_SCORE_STEPS + 1) + s];
        double step = 1.0 / ROBUST_SCORE_STEPS;
        rc->score_p05 =
            (double)quantile(sh, ROBUST_SCORE_STEPS + 1, N, 5, 100) * step;
        rc->score_median =
            (double)quantile(sh, ROBUST_SCORE_STEPS + 1, N, 1, 2) * step;
        rc->score_p95 =
            (double)quantile(sh, ROBUST_SCORE_STEPS + 1, N, 95, 100) * step;
        rc->score_min = sum->smin[c];
        rc->score_max = sum->smax[c];
        rc->s = xcalloc(nf ? nf : 1, sizeof *rc->s);
        rc->most = -1;
        bool moves = rc->best != rc->worst;
        for (size_t f = 0; f < nf && moves; f++) {
            const uint64_t *cnt = sum->fcnt + p->bin_start[f];
            const uint64_t *s = sum->fsum + p->bin_start[f] * n + c;
            rc->s[f] = first_order(cnt, s, n, p->n_bins[f], t, sq, N);
            if (rc->s[f] > 0 && (rc->most < 0 || rc->s[f] > rc->s[rc->most]))
                rc->most = (long)f;
        }
    }
    free(sh);
    res->mean_shift = (double)sum->shift_sum / ((double)N * (double)n);
    res->shift_s = xcalloc(nf ? nf : 1, sizeof *res->shift_s);
    for (size_t f = 0; f < nf; f++)
        res->shift_s[f] = first_order(sum->fcnt + p->bin_start[f],
                                      sum->fshift + p->bin_start[f], 1,
                                      p->n_bins[f], (long double)sum->shift_sum,
                                      (long double)sum->shift_sq, N);
}

/* Add the counts of b into a (a's arrays are the totals). */
static void acc_merge(struct acc *a, const struct acc *b, const struct plan *p)
{
    size_t n = p->n, nb = p->n_bins_all;
    for (size_t i = 0; i < n * (n + 1); i++)
        a->rank_hist[i] += b->rank_hist[i];
    for (size_t i = 0; i < n * (ROBUST_SCORE_STEPS + 1); i++)
        a->score_hist[i] += b->score_hist[i];
    for (size_t c = 0; c < n; c++) {
        a->above[c] += b->above[c];
        if (b->smin[c] < a->smin[c])
            a->smin[c] = b->smin[c];
        if (b->smax[c] > a->smax[c])
            a->smax[c] = b->smax[c];
    }
    for (size_t i = 0; i < nb * n; i++)
        a->fsum[i] += b->fsum[i];
    for (size_t i = 0; i < nb; i++) {
        a->fcnt[i] += b->fcnt[i];
        a->fshift[i] += b->fshift[i];
    }
    a->shift_sum += b->shift_sum;
    a->shift_sq += b->shift_sq;
}

struct robust_result *robust_run(const struct robust_input *in,
                                 const struct robust_options *o,
                                 struct cw_error *err)
{
    if (o->n_draws < 1 || o->n_draws > ROBUST_MAX_DRAWS) {
        cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                  "the number of draws must be 1 to %d, not %zu",
                  ROBUST_MAX_DRAWS, o->n_draws);
        return NULL;
    }
    if (o->decimals < 0 || o->decimals > PRECISION_MAX || o->n_threads < 1 ||
        o->n_threads > ROBUST_MAX_THREADS || o->focus >= (long)in->n ||
        !in->n) {
        cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                  "robustness options out of range (decimals %d, threads "
                  "%u, focus %ld of %zu countries)",
                  o->decimals, o->n_threads, o->focus, in->n);
        return NULL;
    }
    if (in->n > ROBUST_MAX_COUNTRIES) {
        cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                  "%zu countries, over the limit of %d", in->n,
                  ROBUST_MAX_COUNTRIES);
        return NULL;
    }
    struct plan p;
    if (plan_init(&p, in, o, err) < 0) {
        plan_release(&p);
        return NULL;
    }
    size_t n = in->n, k = in->rubric->n_indicators;
    struct robust_result *res = xcalloc(1, sizeof *res);
    res->n = n;
    res->n_draws = o->n_draws;
    res->seed = o->seed;
    res->choices = p.choices;
    res->decimals = o->decimals;
    res->ties = o->ties;
    res->top_k = o->top_k;
    res->focus = o->focus;
    res->countries = xcalloc(n, sizeof *res->countries);
    res->rank_hist = xcalloc(n * (n + 1), sizeof *res->rank_hist);
    res->n_factors = p.n_factors;
    res->factors = xcalloc(p.n_factors + 1, sizeof *res->factors);
    res->rubric_p = xcalloc(p.n_rubrics + UNCERTAINTY_MAX_RUBRICS + 1,
                            sizeof *res->rubric_p);
    for (size_t r = 0; r < p.n_rubrics; r++)
        res->rubric_p[r] = p.rubric_cdf[r] - (r ? p.rubric_cdf[r - 1] : 0);
    name_factors(res, &p);

    /* The nominal index, exactly as `rank` computes it. */
    double *v = xmalloc(n * sizeof *v);
    size_t *rk = xmalloc(n * sizeof *rk);
    for (size_t c = 0; c < n; c++)
        v[c] = score_from_states(in->rubric, in->states + c * k, NULL);
    compare_rank(v, n, o->decimals, o->ties, rk);
    p.nominal_rank = rk;
    for (size_t c = 0; c < n; c++) {
        res->countries[c].score = v[c];
        res->countries[c].rank = rk[c];
    }
    free(v);

    size_t n_blocks = (o->n_draws + ROBUST_BLOCK - 1) / ROBUST_BLOCK;
    size_t n_threads = o->n_threads < n_blocks ? o->n_threads : n_blocks;
    struct worker *w = xcalloc(n_threads, sizeof *w);
    for (size_t t = 0; t < n_threads; t++) {
        w[t].plan = &p;
        w[t].n_draws = o->n_draws;
        w[t].seed = o->seed;
        w[t].first = t;
        w[t].stride = n_threads;
        acc_init(&w[t].acc, &p);
    }
    /* Thread 0 is this one; a thread that cannot start has its blocks run
     * here instead (the results are the same). */
    for (size_t t = 1; t < n_threads; t++)
        w[t].is_started = pthread_create(&w[t].thread, NULL, work, &w[t]) == 0;
    work(&w[0]);
    for (size_t t = 1; t < n_threads; t++) {
        if (w[t].is_started)
            pthread_join(w[t].thread, NULL);
        else
            work(&w[t]);
        acc_merge(&w[0].acc, &w[t].acc, &p);
        acc_release(&w[t].acc);
    }
    summarise(res, &p, &w[0].acc);
    acc_release(&w[0].acc);
    free(w);
    plan_release(&p);
    return res;
}

void robust_result_free(struct robust_result *r)
{
    if (!r)
        return;
    for (size_t c = 0; c < r->n; c++)
        free(r->countries[c].s);
    for (size_t f = 0; f < r->n_factors; f++) {
        free((char *)r->factors[f].id);
        free((char *)r->factors[f].label);
    }
    free(r->factors);
    free(r->countries);
    free(r->rank_hist);
    free(r->shift_s);
    free(r->rubric_p);
    free(r);
}

/* ---- what the analyst asks next ---------------------------------------- */

struct candidate {
    size_t indicator;
    double gain;
};

static int cmp_candidate(const void *a, const void *b)
{
    const struct candidate *x = a, *y = b;
    if (x->gain != y->gain)
        return x->gain < y->gain ? 1 : -1;
    return (x->indicator > y->indicator) - (x->indicator < y->indicator);
}

void robust_path_up(const struct rubric *r, const enum cw_state *states,
                    size_t n, size_t self, enum robust_goal goal_kind,
                    double goal, int decimals, enum compare_ties ties,
                    struct robust_path *out)
{
    size_t k = r->n_indicators;
    const enum cw_state *mine = states + self * k;
    memset(out, 0, sizeof *out);
    double *v = xmalloc(n * sizeof *v), *hi = xmalloc(n * sizeof *hi);
    size_t *best = xmalloc(n * sizeof *best),
           *worst = xmalloc(n * sizeof *worst);
    for (size_t c = 0; c < n; c++)
        v[c] = hi[c] = score_from_states(r, states + c * k, NULL);
    long long own = precision_key(v[self], decimals), target = own;
    if (goal_kind == ROBUST_GOAL_UP_ONE) {
        bool found = false;
        for (size_t c = 0; c < n; c++) {
            long long kc = precision_key(v[c], decimals);
            if (c != self && kc > own && (!found || kc < target)) {
                target = kc;
                found = true;
            }
        }
        out->is_already = !found; /* first already */
    } else {
        target = precision_key(goal, decimals);
        out->is_already = own >= target;
    }
    static const double scale[PRECISION_MAX + 1] = {1e0, 1e1, 1e2, 1e3, 1e4,
                                                    1e5, 1e6, 1e7, 1e8, 1e9};
    out->goal_score = (double)target / scale[decimals];
    out->score = v[self];

    /* Gains: each absent or partial indicator in the overall raised. */
    enum cw_state *trial = xmalloc((k + 1) * sizeof *trial);
    double *now = xcalloc(k + 1, sizeof *now), *up = xcalloc(k + 1, sizeof *up);
    memcpy(trial, mine, k * sizeof *trial);
    for (size_t i = 0; i < k; i++) {
        if (mine[i] == CW_ABSENT || mine[i] == CW_PARTIAL)
            trial[i] = CW_PRESENT;
        else if (mine[i] != CW_PRESENT &&
                 r->pillars[r->indicators[i].pillar].in_overall)
            out->n_open++;
    }
    score_contributions(r, mine, now);
    score_contributions(r, trial, up);
    struct candidate *cand = xmalloc((k + 1) * sizeof *cand);
    size_t n_cand = 0;
    for (size_t i = 0; i < k; i++)
        if (trial[i] != mine[i] && up[i] - now[i] > 0)
            cand[n_cand++] = (struct candidate){i, up[i] - now[i]};
    qsort(cand, n_cand, sizeof *cand, cmp_candidate);
    memcpy(trial, mine, k * sizeof *trial);
    size_t taken = 0;
    double score = v[self];
    if (!out->is_already) {
        while (taken < n_cand && precision_key(score, decimals) < target) {
            trial[cand[taken++].indicator] = CW_PRESENT;
            score = score_from_states(r, trial, NULL);
        }
        out->is_reachable = precision_key(score, decimals) >= target;
    } else {
        out->is_reachable = true;
    }
    if (out->is_reachable && taken) {
        out->steps = xmalloc(taken * sizeof *out->steps);
        for (size_t s = 0; s < taken; s++)
            out->steps[s] = (struct robust_step){
                cand[s].indicator, mine[cand[s].indicator], cand[s].gain};
        out->n_steps = taken;
        for (size_t s = taken; s < n_cand; s++)
            out->n_equal += cand[s].gain == cand[taken - 1].gain;
    }
    out->score = score;
    hi[self] = score > v[self] ? score : v[self];
    compare_rank_range(v, v, hi, n, decimals, ties, best, worst);
    out->rank = best[self];
    free(trial);
    free(now);
    free(up);
    free(cand);
    free(v);
    free(hi);
    free(best);
    free(worst);
}

void robust_path_release(struct robust_path *p)
{
    free(p->steps);
    memset(p, 0, sizeof *p);
}

static int cmp_chart(const void *a, const void *b)
{
    const struct robust_chart_row *x = a, *y = b;
    size_t kx[5] = {x->median, x->p05, x->p95, x->nominal, x->country};
    size_t ky[5] = {y->median, y->p05, y->p95, y->nominal, y->country};
    for (int i = 0; i < 5; i++)
        if (kx[i] != ky[i])
            return kx[i] < ky[i] ? -1 : 1;
    return 0;
}

void robust_chart_rows(const struct robust_result *res, const size_t *peers,
                       size_t n_peers, struct robust_chart_row *rows)
{
    for (size_t c = 0; c < res->n; c++) {
        const struct robust_country *rc = &res->countries[c];
        rows[c] = (struct robust_chart_row){
            c,    rc->median, rc->p05, rc->p95, rc->rank, res->focus == (long)c,
            false};
        for (size_t i = 0; i < n_peers; i++)
            rows[c].is_peer = rows[c].is_peer || peers[i] == c;
    }
    qsort(rows, res->n, sizeof *rows, cmp_chart);
}

void robust_add_count(struct strbuf *out, uint64_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            strbuf_addch(out, ',');
        strbuf_addch(out, digits[i]);
    }
}

void robust_summary(const struct robust_result *res, size_t c, const char *name,
                    struct strbuf *out)
{
    const struct robust_country *rc = &res->countries[c];
    /* "the Netherlands' rank", "Belgium's rank" */
    size_t len = strlen(name);
    strbuf_addf(out, "%s'%s rank ", name,
                len && name[len - 1] == 's' ? "" : "s");
    if (rc->best == rc->worst) {
        strbuf_addf(out, "is %zu in all ", rc->best);
        robust_add_count(out, res->n_draws);
        strbuf_adds(out, res->n_draws == 1 ? " draw." : " draws.");
        return;
    }
    /* Rounded down, so that the sentence never claims more. */
    int pct = (int)floor(rc->coverage * 100 + 1e-9);
    if (rc->p05 == rc->p95)
        strbuf_addf(out, "is %zu in %d %% of ", rc->p05, pct);
    else
        strbuf_addf(out, "stays between %zu and %zu in %d %% of ", rc->p05,
                    rc->p95, pct);
    robust_add_count(out, res->n_draws);
    strbuf_adds(out, " draws");
    if (rc->most >= 0)
        strbuf_addf(out, "; %s moves it most", res->factors[rc->most].label);
    strbuf_adds(out, ".");
}
