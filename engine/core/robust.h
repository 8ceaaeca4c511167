/*
 * robust: uncertainty and sensitivity analysis of scores and ranks (Monte
 * Carlo over the choices an uncertainty file declares, core/uncertainty.h).
 * Pure computation on a status matrix: no I/O, no database. The method is
 * in docs/robustness.md; in short:
 *
 * Every draw picks a rubric (nominal or an alternative), an aggregation,
 * pillar weights, the worth of "partial" and a treatment of unknown and
 * not-stated indicators, scores every country as
 *     overall = sum over pillars p of share_p x pillar score_p,
 *     pillar score_p = sum of w_i x worth(state_i) / sum of w_i,
 * with worth(absent) = 0 and worth(present) = 1 on each rubric's own scale
 * (its points over its best level), share_p = the pillar's share of all
 * indicator weight under "points" aggregation (GCI 2014: points / maximum)
 * or its pillar weight over all pillar weights under "pillars" (mean of
 * pillar scores), and ranks them exactly as `rank` does (compare_key,
 * dense or competition ties). With every choice switched off each draw is
 * the nominal index: score_from_states and compare_rank under the stored
 * rubric.
 *
 * Randomness: xoshiro256** (Blackman and Vigna, 2018). Draws come in
 * blocks of ROBUST_BLOCK; block b's generator state is outputs 4b+1 to
 * 4b+4 of splitmix64 started at the seed, so a draw depends on the seed and
 * its index only, and results (integer counts merged by addition) do not
 * depend on the number of threads.
 *
 * Sensitivity: the first-order index of choice X for a country's rank R is
 * S = Var(E[R | X]) / Var(R), estimated from the same draws by conditioning
 * on X: on its category for a discrete choice, on (up to) ROBUST_BINS equal-
 * probability bins of the uniform variable that drives it for a continuous
 * one (for Dirichlet weights, the gamma variable's CDF value). The
 * estimator is the bias-corrected correlation ratio (epsilon squared):
 * S = (SSB - (k - 1) SSW / (N - k)) / SST, clipped to [0, 1].
 *
 * Ownership: robust_run returns an owned result (robust_result_free);
 * every pointer inside it is owned by it. Inputs are borrowed for the call.
 */
#ifndef CYBERWELL_CORE_ROBUST_H
#define CYBERWELL_CORE_ROBUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compare.h"
#include "core/precision.h"
#include "core/rubric.h"
#include "core/uncertainty.h"
#include "util/diag.h"
#include "util/strbuf.h"

#define ROBUST_DEFAULT_DRAWS 10000
#define ROBUST_MAX_DRAWS     10000000
#define ROBUST_MAX_COUNTRIES 1024
#define ROBUST_MAX_THREADS   64
/* Draws per generator stream. */
#define ROBUST_BLOCK 512
/* Bins of a continuous choice: draws / 200, at least 2, at most this. */
#define ROBUST_BINS 50
/* Score quantiles are at 1 / ROBUST_SCORE_STEPS. */
#define ROBUST_SCORE_STEPS 1000

/* The uncertain choices, to switch each off. */
enum robust_choice {
    ROBUST_WEIGHTS = 1 << 0,     /* pillar weights */
    ROBUST_LEVELS = 1 << 1,      /* the worth of partial */
    ROBUST_MISSING = 1 << 2,     /* unknown and not stated */
    ROBUST_AGGREGATION = 1 << 3, /* points or pillars */
    ROBUST_RUBRICS = 1 << 4,     /* alternative rubrics */
    ROBUST_ALL = (1 << 5) - 1
};

/* ---- random numbers (exposed for tests and the benchmark) ------------ */

/* xoshiro256** state; never all zero. */
struct robust_rng {
    uint64_t s[4];
};

/* splitmix64: advance *state by the golden gamma and return the mix. */
uint64_t robust_splitmix64(uint64_t *state);
/* Stream `stream` of seed: state = splitmix64 outputs 4*stream+1 .. +4. */
void robust_rng_seed(struct robust_rng *g, uint64_t seed, uint64_t stream);
uint64_t robust_rng_next(struct robust_rng *g);
/* Uniform on [0, 1), 53 random bits. */
double robust_rng_uniform(struct robust_rng *g);
/* Gamma(a, 1), a > 0 (Marsaglia and Tsang; a < 1 by boosting). */
double robust_rng_gamma(struct robust_rng *g, double a);
/* Dirichlet(alpha[0..n)) into out (fills n); alpha[i] > 0. */
void robust_rng_dirichlet(struct robust_rng *g, const double *alpha, size_t n,
                          double *out);
/* Regularised lower incomplete gamma P(a, x), a > 0: the Gamma(a, 1) CDF. */
double robust_gamma_p(double a, double x);

/* ---- the analysis ------------------------------------------------------ */

struct robust_input {
    const struct rubric *rubric;   /* the nominal (stored) rubric */
    const enum cw_state *states;   /* n x rubric->n_indicators, row-major:
                                      each country's statuses in rubric
                                      order, overrides applied */
    size_t n;                      /* countries */
    const struct uncertainty *unc; /* the declared choices, or NULL */
};

struct robust_options {
    unsigned choices; /* enum robust_choice: those allowed to vary */
    size_t n_draws;   /* 1 .. ROBUST_MAX_DRAWS */
    uint64_t seed;
    unsigned n_threads; /* 1 .. ROBUST_MAX_THREADS; results do not depend
                           on it */
    int decimals;       /* precision at which scores tie (compare.h) */
    enum compare_ties ties;
    size_t top_k; /* P(rank <= top_k) */
    long focus;   /* country index for P(ranked above it), or -1 */
};

#define ROBUST_OPTIONS_INIT                                                    \
    {                                                                          \
        ROBUST_ALL, ROBUST_DEFAULT_DRAWS, 1, 1, PRECISION_DEFAULT,             \
            COMPARE_TIES_DENSE, 10, -1                                         \
    }

enum robust_factor_kind {
    ROBUST_F_WEIGHT,      /* one pillar's weight */
    ROBUST_F_PARTIAL,     /* the worth of partial */
    ROBUST_F_MISSING,     /* treatment of unknown / not stated */
    ROBUST_F_AGGREGATION, /* points or pillars */
    ROBUST_F_RUBRIC       /* which rubric */
};

/* One uncertain input of the sensitivity analysis. */
struct robust_factor {
    enum robust_factor_kind kind;
    const char *id;    /* "weight.technical", "partial", "missing",
                          "aggregation", "rubric" (owned by the result) */
    const char *label; /* "the weight of the Technical pillar" */
    size_t n_bins;     /* categories, or bins of its driving uniform */
};

struct robust_country {
    double score; /* nominal: score_from_states under the stored rubric */
    size_t rank;  /* nominal: compare_rank */
    size_t median, p05, p95; /* rank quantiles: the smallest rank r with
                                P(rank <= r) >= 0.5, 0.05, 0.95 */
    size_t best, worst;      /* best and worst rank drawn */
    double mean_rank, sd_rank;
    double coverage; /* share of draws with p05 <= rank <= p95 */
    double score_median, score_p05, score_p95; /* at 0.001 */
    double score_min, score_max;               /* exact */
    double p_top;                              /* P(rank <= top_k) */
    double p_above; /* P(rank < the focus's rank); 0 without a focus */
    double *s;      /* first-order index of each factor, 0..1 (owned by the
                       result; all 0 when the rank never moves) */
    long most;      /* factor with the largest index, -1 when none is
                       above 0 (the rank never moves, or no choice explains
                       any of its moves on its own) */
};

struct robust_result {
    size_t n; /* countries */
    size_t n_draws;
    uint64_t seed;
    unsigned choices; /* declared in the file and not switched off */
    int decimals;
    enum compare_ties ties;
    size_t top_k;
    long focus;
    struct robust_factor *factors; /* owned; in the order weights, partial,
                                      missing, aggregation, rubric */
    size_t n_factors;
    struct robust_country *countries; /* owned, n, in input order */
    uint64_t *rank_hist; /* owned, n x (n + 1): draws in which country c
                            took rank r is rank_hist[c * (n + 1) + r] */
    double mean_shift;   /* mean over draws and countries of |rank -
                            nominal rank| (the Handbook's average shift in
                            ranks) */
    double *shift_s;     /* owned: first-order index of each factor for the
                            mean shift of a draw */
    double *rubric_p;    /* owned, 1 + unc->n_rubrics: probability of the
                            nominal rubric and of each alternative drawn */
};

/*
 * Run the analysis. Errors: CW_ERR_USAGE (options out of range),
 * CW_ERR_LIMIT (more than ROBUST_MAX_COUNTRIES countries), CW_ERR_PARSE
 * located in the uncertainty file (a weight row naming a pillar that no
 * rubric has; an alternative rubric scoring an indicator the stored rubric
 * does not).
 */
struct robust_result *robust_run(const struct robust_input *in,
                                 const struct robust_options *o,
                                 struct cw_error *err);
void robust_result_free(struct robust_result *r);

/* ---- what the analyst asks next ---------------------------------------- */

/* One indicator raised to present. */
struct robust_step {
    size_t indicator;   /* index into rubric->indicators */
    enum cw_state from; /* absent or partial */
    double gain;        /* overall score it adds (score_contributions) */
};

struct robust_path {
    bool is_already;   /* the goal holds without any change */
    bool is_reachable; /* raising every absent/partial indicator suffices */
    double goal_score; /* the score to reach (rounded to decimals) */
    struct robust_step *steps; /* owned, the smallest set, largest gain
                                  first (ties in rubric order) */
    size_t n_steps;
    size_t n_equal; /* other indicators worth exactly the last step's
                       gain: any of them would do instead */
    double score;   /* overall score after the steps */
    size_t rank;    /* rank after the steps, the others unchanged */
    size_t n_open;  /* indicators in the overall that are unknown or
                       not stated (never raised: nothing says they are
                       missing) */
};

enum robust_goal {
    ROBUST_GOAL_UP_ONE, /* a better rank than now */
    ROBUST_GOAL_SCORE   /* a score that ties or beats goal */
};

/*
 * The smallest set of indicators of country `self` (in the overall, now
 * absent or partial) whose change to present reaches the goal under the
 * nominal rubric r, the other countries unchanged: ROBUST_GOAL_UP_ONE
 * (reach the next better score, so a better rank under either tie
 * convention) or ROBUST_GOAL_SCORE (a score that is not below `goal`
 * at `decimals`). Scores add up per indicator, so the set is the largest
 * gains first. states is n x r->n_indicators as in robust_input. Fills
 * out; release with robust_path_release.
 */
void robust_path_up(const struct rubric *r, const enum cw_state *states,
                    size_t n, size_t self, enum robust_goal goal_kind,
                    double goal, int decimals, enum compare_ties ties,
                    struct robust_path *out);
void robust_path_release(struct robust_path *p);

/* One row of the rank-interval chart. */
struct robust_chart_row {
    size_t country; /* index into the result's countries */
    size_t median, p05, p95, nominal;
    bool is_focus, is_peer;
};

/*
 * The rank-interval chart's data: every country, sorted by median rank
 * (then 5th and 95th percentile, nominal rank, input order), with its
 * interval and whether it is the focus (res->focus) or one of peers[0..
 * n_peers). Fills rows[0..res->n).
 */
void robust_chart_rows(const struct robust_result *res, const size_t *peers,
                       size_t n_peers, struct robust_chart_row *rows);

/*
 * One sentence on how stable country c's rank is, appended to out:
 * "Belgium's rank stays between 10 and 14 in 93 % of 10,000 draws; the
 * weight of the Technical pillar moves it most." (name is borrowed).
 */
void robust_summary(const struct robust_result *res, size_t c, const char *name,
                    struct strbuf *out);

/* "10,000": n with thousands separators, appended to out. */
void robust_add_count(struct strbuf *out, uint64_t n);

#endif
