/* Ranks with ties, rank ranges, peer statistics, gaps and explanations. */
#include "core/compare.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/score.h"
#include "util/xalloc.h"

#include "util/banned.h"

const char *compare_ties_name(enum compare_ties t)
{
    return t == COMPARE_TIES_COMPETITION ? "competition" : "dense";
}

bool compare_ties_parse(const char *name, enum compare_ties *out)
{
    if (!strcmp(name, "dense")) {
        *out = COMPARE_TIES_DENSE;
        return true;
    }
    if (!strcmp(name, "competition")) {
        *out = COMPARE_TIES_COMPETITION;
        return true;
    }
    return false;
}

/* Descending order of keys. */
static int cmp_key_desc(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x < y) - (x > y);
}

/*
 * The keys of n values, sorted best first, and their distinct values:
 * what every rank question is answered from by binary search.
 */
struct key_table {
    long long *sorted; /* owned, n keys, descending */
    size_t n;
    long long *distinct; /* owned, n_distinct keys, descending */
    size_t n_distinct;
};

static void key_table_init(struct key_table *t, const double *values, size_t n,
                           int decimals)
{
    t->n = n;
    t->sorted = xmalloc((n ? n : 1) * sizeof *t->sorted);
    t->distinct = xmalloc((n ? n : 1) * sizeof *t->distinct);
    for (size_t i = 0; i < n; i++)
        t->sorted[i] = precision_key(values[i], decimals);
    qsort(t->sorted, n, sizeof *t->sorted, cmp_key_desc);
    t->n_distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (!t->n_distinct || t->distinct[t->n_distinct - 1] != t->sorted[i])
            t->distinct[t->n_distinct++] = t->sorted[i];
}

static void key_table_release(struct key_table *t)
{
    free(t->sorted);
    free(t->distinct);
}

/* Number of entries of the descending array a[0..n) greater than k. */
static size_t count_above(const long long *a, size_t n, long long k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] > k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Entries of the descending array a[0..n) equal to k. */
static size_t count_equal(const long long *a, size_t n, long long k)
{
    size_t above = count_above(a, n, k);
    size_t lo = above, hi = n;
    while (lo < hi) { /* first entry below k */
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] >= k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - above;
}

/*
 * The rank that score key k would take among all n keys of t except one
 * entry whose key is self (the country being placed is not its own rival).
 * Pass has_self = false to rank k against all of them.
 */
static size_t rank_among(const struct key_table *t, long long k, bool has_self,
                         long long self, enum compare_ties ties)
{
    bool self_above = has_self && self > k;
    if (ties == COMPARE_TIES_COMPETITION)
        return 1 + count_above(t->sorted, t->n, k) - (self_above ? 1 : 0);
    size_t above = count_above(t->distinct, t->n_distinct, k);
    /* self's key stops counting only when no other country shares it */
    if (self_above && count_equal(t->sorted, t->n, self) == 1)
        above--;
    return 1 + above;
}

void compare_rank(const double *values, size_t n, int decimals,
                  enum compare_ties ties, size_t *ranks)
{
    struct key_table t;
    key_table_init(&t, values, n, decimals);
    for (size_t i = 0; i < n; i++)
        ranks[i] =
            rank_among(&t, precision_key(values[i], decimals), false, 0, ties);
    key_table_release(&t);
}

struct order_item {
    long long key;
    size_t index;
};

static int cmp_order(const void *a, const void *b)
{
    const struct order_item *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

void compare_order(const double *values, size_t n, int decimals, size_t *order)
{
    struct order_item *items = xmalloc((n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++) {
        items[i].key = precision_key(values[i], decimals);
        items[i].index = i;
    }
    qsort(items, n, sizeof *items, cmp_order);
    for (size_t i = 0; i < n; i++)
        order[i] = items[i].index;
    free(items);
}

void compare_rank_range(const double *values, const double *mins,
                        const double *maxs, size_t n, int decimals,
                        enum compare_ties ties, size_t *best, size_t *worst)
{
    struct key_table lo, hi;
    key_table_init(&lo, mins, n, decimals);
    key_table_init(&hi, maxs, n, decimals);
    size_t *rank = xmalloc((n ? n : 1) * sizeof *rank);
    compare_rank(values, n, decimals, ties, rank);
    for (size_t i = 0; i < n; i++) {
        long long k_lo = precision_key(mins[i], decimals);
        long long k_hi = precision_key(maxs[i], decimals);
        /* i at its best against every other at its worst, and back */
        best[i] = rank_among(&lo, k_hi, true, k_lo, ties);
        worst[i] = rank_among(&hi, k_lo, true, k_hi, ties);
        /* a dense rank counts distinct scores: other resolutions can merge
         * or split them, so the scenarios may miss the rank itself */
        if (best[i] > rank[i])
            best[i] = rank[i];
        if (worst[i] < rank[i])
            worst[i] = rank[i];
    }
    free(rank);
    key_table_release(&lo);
    key_table_release(&hi);
}

static int cmp_double_asc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void compare_stats(const double *values, size_t n_values, int decimals,
                   struct compare_stat *out)
{
    memset(out, 0, sizeof *out);
    out->median = out->best = NAN;
    out->best_index = n_values;
    double *v = xmalloc((n_values ? n_values : 1) * sizeof *v);
    for (size_t i = 0; i < n_values; i++)
        if (!isnan(values[i]))
            v[out->n++] = values[i];
    size_t n = out->n;
    if (n) {
        qsort(v, n, sizeof *v, cmp_double_asc);
        out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        out->best = v[n - 1];
        long long best_key = precision_key(out->best, decimals);
        for (size_t i = 0; i < n_values; i++) {
            if (isnan(values[i]) ||
                precision_key(values[i], decimals) != best_key)
                continue;
            if (out->best_index == n_values)
                out->best_index = i;
            out->n_best++;
        }
    }
    free(v);
}

static bool is_open(enum cw_state s)
{
    return s == CW_UNKNOWN || s == CW_UNSTATED;
}

/* The stated level (absent, partial, present) worth `points`. */
static enum cw_state level_worth(const struct rubric *r, double points)
{
    for (int s = CW_ABSENT; s <= CW_PRESENT; s++)
        if (r->points[s] == points)
            return (enum cw_state)s;
    CW_BUG("no level of rubric '%s' is worth %g points", r->name, points);
}

void compare_scores_build(const struct rubric *r, const enum cw_state *states,
                          struct compare_scores *out)
{
    size_t n = r->n_indicators;
    enum cw_state *lo = xmalloc((n ? n : 1) * sizeof *lo);
    enum cw_state *hi = xmalloc((n ? n : 1) * sizeof *hi);
    enum cw_state worst = level_worth(r, r->min_points);
    enum cw_state best = level_worth(r, r->max_points);
    out->points = out->max_points = 0;
    out->coverage = out->n_counted = 0;
    for (size_t p = 0; p < r->n_pillars; p++)
        out->pillar_stated[p] = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        bool open = is_open(states[i]);
        lo[i] = open ? worst : states[i];
        hi[i] = open ? best : states[i];
        if (!open)
            out->pillar_stated[ind->pillar]++;
        if (!r->pillars[ind->pillar].in_overall)
            continue;
        out->n_counted++;
        out->coverage += !open;
        out->points += ind->weight * r->points[states[i]];
        out->max_points += ind->weight * r->max_points;
    }
    out->overall_min = score_from_states(r, lo, out->pillar_min);
    out->overall_max = score_from_states(r, hi, out->pillar_max);
    out->overall = score_from_states(r, states, out->pillars);
    free(lo);
    free(hi);
}

struct value_at {
    double v;
    size_t index;
};

static int cmp_value_at(const void *a, const void *b)
{
    const struct value_at *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

void compare_fractional_ranks(const double *v, size_t n, double *rank)
{
    struct value_at *s = xmalloc((n ? n : 1) * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        s[i].v = v[i];
        s[i].index = i;
    }
    qsort(s, n, sizeof *s, cmp_value_at);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && s[b].v == s[a].v)
            b++;
        double mean = (double)(a + 1 + b) / 2.0; /* of ranks a+1 .. b */
        for (size_t k = a; k < b; k++)
            rank[s[k].index] = mean;
        a = b;
    }
    free(s);
}

/* Pearson's correlation of x and y, or NAN when either is constant. */
static double pearson(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0 || syy <= 0)
        return NAN;
    return sxy / sqrt(sxx * syy);
}

void compare_agreement(const double *x, const double *y, size_t n, double scale,
                       int decimals, struct compare_agreement *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->mean_abs = out->max_abs = out->spearman = NAN;
    if (!n)
        return;
    double sum = 0;
    out->max_abs = -1;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(x[i] - y[i]);
        sum += d;
        if (d > out->max_abs) {
            out->max_abs = d;
            out->max_index = i;
        }
        if (precision_key(x[i] * scale, decimals) ==
            precision_key(y[i] * scale, decimals))
            out->n_exact++;
    }
    out->mean_abs = sum / (double)n;
    if (n < 3)
        return;
    /* rank both series as the published precision shows them, so that
     * published ties stay ties */
    double *rx = xmalloc(n * sizeof *rx), *ry = xmalloc(n * sizeof *ry);
    double *kx = xmalloc(n * sizeof *kx), *ky = xmalloc(n * sizeof *ky);
    for (size_t i = 0; i < n; i++) {
        kx[i] = (double)precision_key(x[i] * scale, decimals);
        ky[i] = (double)precision_key(y[i] * scale, decimals);
    }
    compare_fractional_ranks(kx, n, rx);
    compare_fractional_ranks(ky, n, ry);
    out->spearman = pearson(rx, ry, n);
    free(rx);
    free(ry);
    free(kx);
    free(ky);
}

int compare_pair(enum cw_state mine, enum cw_state peer, unsigned flags)
{
    if (flags & COMPARE_UNSTATED_AS_ABSENT) {
        if (is_open(mine))
            mine = CW_ABSENT;
        if (is_open(peer))
            peer = CW_ABSENT;
    }
    if (is_open(mine) || is_open(peer))
        return 0;
    bool has_mine = mine != CW_ABSENT, has_peer = peer != CW_ABSENT;
    if (has_peer && !has_mine)
        return -1;
    if (has_mine && !has_peer)
        return 1;
    return 0;
}

/* Whether the pair of statuses takes part in the comparison at all. */
static bool pair_counts(enum cw_state mine, enum cw_state peer, unsigned flags)
{
    if (flags & COMPARE_UNSTATED_AS_ABSENT)
        return true;
    return !is_open(mine) && !is_open(peer);
}

static void add_finding(struct compare_findings *f, size_t *cap,
                        enum compare_finding_kind kind, size_t indicator,
                        const enum cw_state *mine,
                        const enum cw_state *const *peers, size_t n_peers,
                        unsigned flags)
{
    int want = kind == COMPARE_GAP ? -1 : 1;
    size_t n_side = 0, n_compared = 0;
    for (size_t p = 0; p < n_peers; p++) {
        if (pair_counts(mine[indicator], peers[p][indicator], flags))
            n_compared++;
        if (compare_pair(mine[indicator], peers[p][indicator], flags) == want)
            n_side++;
    }
    if (!n_side)
        return;
    CW_GROW(f->items, f->n_items + 1, *cap);
    struct compare_finding *it = &f->items[f->n_items++];
    it->kind = kind;
    it->indicator = indicator;
    it->n_peers = 0;
    it->n_compared = n_compared;
    it->peers = xmalloc(n_side * sizeof *it->peers);
    for (size_t p = 0; p < n_peers; p++)
        if (compare_pair(mine[indicator], peers[p][indicator], flags) == want)
            it->peers[it->n_peers++] = p;
}

void compare_findings_build(const struct rubric *r, const enum cw_state *mine,
                            const enum cw_state *const *peers, size_t n_peers,
                            unsigned flags, struct compare_findings *out)
{
    size_t cap = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < r->n_indicators; i++)
        add_finding(out, &cap, COMPARE_GAP, i, mine, peers, n_peers, flags);
    out->n_gaps = out->n_items;
    for (size_t i = 0; i < r->n_indicators; i++)
        add_finding(out, &cap, COMPARE_STRENGTH, i, mine, peers, n_peers,
                    flags);
    out->n_strengths = out->n_items - out->n_gaps;
}

void compare_findings_release(struct compare_findings *f)
{
    for (size_t i = 0; i < f->n_items; i++)
        free(f->items[i].peers);
    free(f->items);
    memset(f, 0, sizeof *f);
}

static int cmp_diff(const void *a, const void *b)
{
    const struct compare_diff *x = a, *y = b;
    double ax = fabs(x->score), ay = fabs(y->score);
    if (ax != ay)
        return ax < ay ? 1 : -1;
    return (x->indicator > y->indicator) - (x->indicator < y->indicator);
}

void compare_explain(const struct rubric *r, const enum cw_state *a,
                     const enum cw_state *b, struct compare_explanation *out)
{
    size_t n = r->n_indicators;
    double *ca = xcalloc(n ? n : 1, sizeof *ca);
    double *cb = xcalloc(n ? n : 1, sizeof *cb);
    memset(out, 0, sizeof *out);
    score_contributions(r, a, ca);
    score_contributions(r, b, cb);
    out->diffs = xcalloc(n ? n : 1, sizeof *out->diffs);
    for (size_t i = 0; i < n; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        if (!r->pillars[ind->pillar].in_overall)
            continue;
        double pa = ind->weight * r->points[a[i]];
        double pb = ind->weight * r->points[b[i]];
        out->points_a += pa;
        out->points_b += pb;
        if (a[i] == b[i] && ca[i] == cb[i])
            continue;
        struct compare_diff *d = &out->diffs[out->n_diffs++];
        d->indicator = i;
        d->a = a[i];
        d->b = b[i];
        d->contrib_a = ca[i];
        d->contrib_b = cb[i];
        d->score = ca[i] - cb[i];
        d->points = pa - pb;
    }
    qsort(out->diffs, out->n_diffs, sizeof *out->diffs, cmp_diff);
    for (size_t k = 0; k < out->n_diffs; k++) {
        out->sum += out->diffs[k].score;
        out->points_sum += out->diffs[k].points;
    }
    out->overall_a = score_from_states(r, a, NULL);
    out->overall_b = score_from_states(r, b, NULL);
    out->difference = out->overall_a - out->overall_b;
    free(ca);
    free(cb);
}

void compare_explanation_release(struct compare_explanation *e)
{
    free(e->diffs);
    memset(e, 0, sizeof *e);
}
