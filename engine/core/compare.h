/*
 * compare: the one ranking function (ranks with ties at the precision of
 * core/precision.h, display order, joint rank ranges), peer statistics that
 * leave out values with no basis, the agreement of two series of scores,
 * gaps and strengths, and the indicator-by-indicator explanation of a
 * score difference. Pure functions on in-memory values and indicator
 * statuses; no I/O, no database.
 *
 * Ties. Scores are compared as the precision policy shows them: two scores
 * tie when their precision_key at `decimals` digits are equal. Higher
 * scores rank better.
 *  - dense ranks (the ITU's convention): 1, 2, 3, 3, 4; a country's rank is
 *    1 + the number of distinct rounded scores above its own;
 *  - competition ranks: 1, 2, 2, 4; 1 + the number of countries whose
 *    rounded score is above its own.
 *
 * Ownership: every pointer an argument receives is borrowed for the call;
 * structs filled by a *_build or compare_explain call own their arrays and
 * are released with the matching *_release.
 */
#ifndef CYBERWELL_CORE_COMPARE_H
#define CYBERWELL_CORE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/precision.h"
#include "core/rubric.h"

enum compare_ties {
    COMPARE_TIES_DENSE,      /* 1, 2, 3, 3, 4 (ITU) */
    COMPARE_TIES_COMPETITION /* 1, 2, 2, 4 */
};

/* "dense" or "competition". */
const char *compare_ties_name(enum compare_ties t);
/* Inverse of compare_ties_name; false when name is neither. */
bool compare_ties_parse(const char *name, enum compare_ties *out);

/*
 * Rank n finite values (higher is better) at `decimals` digits under
 * `ties`: fills ranks[0..n) (1-based). O(n log n).
 */
void compare_rank(const double *values, size_t n, int decimals,
                  enum compare_ties ties, size_t *ranks);

/*
 * Display order: fills order[0..n) with the indices of values sorted by
 * rounded score, best first; ties keep their input order (stable).
 */
void compare_order(const double *values, size_t n, int decimals, size_t *order);

/*
 * Joint rank range (docs/ranking.md). Country i's score can lie anywhere
 * from mins[i] to maxs[i] (its unresolved indicators at the worst and at
 * the best level); values[i] is its score as ranked, mins[i] <= values[i]
 * <= maxs[i]. The best rank is the rank of maxs[i] among mins[j] of every
 * other country j (i at its best, every other country at its worst); the
 * worst rank is the rank of mins[i] among maxs[j] (the reverse). Under
 * competition ranks these are exactly the best and the worst rank over
 * every joint resolution. Under dense ranks, which count distinct scores,
 * a scenario is widened when needed to take in compare_rank's rank of
 * values[i], so that best[i] <= rank[i] <= worst[i] always holds.
 * O(n log n).
 */
void compare_rank_range(const double *values, const double *mins,
                        const double *maxs, size_t n, int decimals,
                        enum compare_ties ties, size_t *best, size_t *worst);

/* Peer statistics of one measure (a pillar score or the overall). */
struct compare_stat {
    size_t n;          /* values with a basis (not NAN) summarised */
    double median;     /* middle value; mean of the two middle ones when n
                          is even; NAN when n == 0 */
    double best;       /* highest value; NAN when n == 0 */
    size_t best_index; /* index (into the input) of the first value whose
                          rounded score equals the best; the input's
                          length when n == 0 */
    size_t n_best;     /* values that tie with the best at `decimals` */
};

/* Summarise the values of values[0..n_values) that are not NAN: a value
 * with no basis is left out, never counted as 0. Fills out. */
void compare_stats(const double *values, size_t n_values, int decimals,
                   struct compare_stat *out);

/*
 * Scores computed from indicator statuses with the scorer's arithmetic
 * (score_from_states): for a document's own statuses they equal its
 * score_result. The four arrays are the caller's, rubric->n_pillars each.
 */
struct compare_scores {
    double overall;        /* unknown/unstated at their own points */
    double overall_min;    /* unknown/unstated at the worst level */
    double overall_max;    /* unknown/unstated at the best level */
    double points;         /* weighted points, pillars in the overall only */
    double max_points;     /* their maximum */
    size_t coverage;       /* indicators in the overall that are stated */
    size_t n_counted;      /* indicators in the overall */
    double *pillars;       /* fills: pillar scores */
    double *pillar_min;    /* fills: unresolved at the worst level */
    double *pillar_max;    /* fills: unresolved at the best level */
    size_t *pillar_stated; /* fills: indicators of the pillar stated */
};

/* Score `states` (rubric->n_indicators statuses) under r into out, whose
 * arrays the caller has pointed at storage of rubric->n_pillars items. */
void compare_scores_build(const struct rubric *r, const enum cw_state *states,
                          struct compare_scores *out);

/* How far two series of scores agree (computed against published). */
struct compare_agreement {
    size_t n;         /* pairs compared */
    size_t n_exact;   /* pairs equal at the published precision */
    double mean_abs;  /* mean |x - y|; NAN when n == 0 */
    double max_abs;   /* largest |x - y|; NAN when n == 0 */
    size_t max_index; /* the first pair with the largest |x - y| */
    double spearman;  /* Spearman's rank correlation with ties at their
                         mean rank; NAN when n < 3 or a series is
                         constant */
};

/*
 * Agreement of x[0..n) (computed, 0 to 1) with y[0..n) (published, 0 to
 * 1). A pair is exact when x * scale and y * scale are equal at the
 * published `decimals` (scale: what the published figures are out of, 1
 * or 100). Fills out.
 */
void compare_agreement(const double *x, const double *y, size_t n, double scale,
                       int decimals, struct compare_agreement *out);

/* Ranks of v[0..n) from 1 (lowest), ties at their mean rank, into rank
 * (fills n). Exposed for tests. */
void compare_fractional_ranks(const double *v, size_t n, double *rank);

enum compare_flags {
    /* Count "unknown" and "not stated" as "absent" in gaps and strengths
     * (default: such an indicator is left out of the pair). */
    COMPARE_UNSTATED_AS_ABSENT = 1 << 0
};

/*
 * One pair of statuses: -1 when the peer has the indicator (present or
 * partial) and the country lacks it (absent): a gap; +1 for the reverse: a
 * strength; 0 otherwise (both have it, both lack it, or either is unknown
 * or not stated without COMPARE_UNSTATED_AS_ABSENT).
 */
int compare_pair(enum cw_state mine, enum cw_state peer, unsigned flags);

enum compare_finding_kind {
    COMPARE_GAP,     /* peers have it, the country lacks it */
    COMPARE_STRENGTH /* the country has it, peers lack it */
};

/* One indicator on which the country differs from at least one peer. */
struct compare_finding {
    enum compare_finding_kind kind;
    size_t indicator;  /* index into rubric->indicators */
    size_t n_peers;    /* peers on the other side */
    size_t n_compared; /* peers for which the pair counts (both stated,
                          or any with COMPARE_UNSTATED_AS_ABSENT) */
    size_t *peers;     /* owned by the findings: indices into the peer
                          array, n_peers entries, in input order */
};

struct compare_findings {
    struct compare_finding *items; /* owned; gaps first, then strengths,
                                      each in rubric order */
    size_t n_items;
    size_t n_gaps;      /* items[0..n_gaps) are gaps */
    size_t n_strengths; /* items[n_gaps..n_items) are strengths */
};

/*
 * Gaps and strengths of `mine` (rubric->n_indicators statuses) against
 * peers[0..n_peers) (each rubric->n_indicators statuses), by compare_pair
 * under flags, on every rubric indicator. An indicator may be both a gap
 * (against some peers) and a strength (against others). Release with
 * compare_findings_release.
 */
void compare_findings_build(const struct rubric *r, const enum cw_state *mine,
                            const enum cw_state *const *peers, size_t n_peers,
                            unsigned flags, struct compare_findings *out);
void compare_findings_release(struct compare_findings *f);

/* One indicator's part in the difference between two results. */
struct compare_diff {
    size_t indicator;   /* index into rubric->indicators */
    enum cw_state a, b; /* statuses of the two countries */
    double contrib_a;   /* its contribution to a's overall score */
    double contrib_b;
    double score;  /* contrib_a - contrib_b, in overall-score units */
    double points; /* weight * (points of a - points of b) */
};

struct compare_explanation {
    struct compare_diff *diffs; /* owned; every indicator in the overall
                                   whose status or contribution differs,
                                   by |score| largest first, then rubric
                                   order */
    size_t n_diffs;
    double overall_a, overall_b; /* as score_from_states */
    double difference;           /* overall_a - overall_b */
    double sum;                  /* sum of diffs[].score, in the order of
                                    diffs; equals difference to ~1e-15 */
    double points_a, points_b;   /* weighted points in the overall */
    double points_sum;           /* sum of diffs[].points = points_a -
                                    points_b */
};

/*
 * Explain why the overall score of statuses a differs from that of b under
 * r, from score_contributions: each indicator's difference of
 * contributions, so that the parts add up to the overall difference.
 * Indicators of pillars outside the overall are left out (they contribute
 * nothing). Release with compare_explanation_release.
 */
void compare_explain(const struct rubric *r, const enum cw_state *a,
                     const enum cw_state *b, struct compare_explanation *out);
void compare_explanation_release(struct compare_explanation *e);

#endif
