/* rediff: what a rescore changed (see rediff.h). */
#include "core/rediff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/precision.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* Index of the pillar or indicator called id in before's rubric, or
 * SIZE_MAX. */
static size_t find_pillar(const struct rubric *r, const char *id)
{
    for (size_t p = 0; p < r->n_pillars; p++)
        if (!strcmp(r->pillars[p].id, id))
            return p;
    return SIZE_MAX;
}

static size_t find_indicator(const struct rubric *r, const char *id)
{
    for (size_t i = 0; i < r->n_indicators; i++)
        if (!strcmp(r->indicators[i].id, id))
            return i;
    return SIZE_MAX;
}

/* Whether two shown scores differ (NAN equals only NAN). */
static bool score_changed(double a, double b, int decimals)
{
    if (isnan(a) || isnan(b))
        return isnan(a) != isnan(b);
    return precision_key(a, decimals) != precision_key(b, decimals);
}

/* Compare one country; append its rows. True when anything changed. */
static bool compare_entry(struct rediff *d, const struct model_entry *a,
                          size_t *cap_st, size_t *cap_sc)
{
    const struct model *ma = d->after, *mb = d->before;
    const struct rubric *ra = model_rubric(ma);
    const struct rubric *rb = mb ? model_rubric(mb) : NULL;
    long kb = mb ? model_find(mb, a->iso3) : -1;
    const struct model_entry *b = kb >= 0 ? model_entry(mb, (size_t)kb) : NULL;
    int dec = model_decimals(ma);
    size_t n0 = d->n_statuses, s0 = d->n_scores;
    /* A new country: its overall only, not every status and pillar. */
    for (size_t i = 0; b && i < ra->n_indicators; i++) {
        size_t ib = find_indicator(rb, ra->indicators[i].id);
        enum cw_state before = ib == SIZE_MAX ? CW_N_STATES : b->computed[ib];
        if (before == a->computed[i])
            continue;
        CW_GROW(d->statuses, d->n_statuses + 1, *cap_st);
        struct rediff_status *st = &d->statuses[d->n_statuses++];
        st->indicator = i;
        st->before = before;
        st->after = a->computed[i];
        st->override_to =
            a->overrides && a->overrides[i] ? a->overrides[i]->status : NULL;
    }
    for (size_t m = b ? 0 : ra->n_pillars; m <= ra->n_pillars; m++) {
        size_t mbi = SIZE_MAX;
        if (b)
            mbi = m == ra->n_pillars ? rb->n_pillars
                                     : find_pillar(rb, ra->pillars[m].id);
        double before = mbi == SIZE_MAX ? NAN : model_value(mb, b, mbi);
        double after = model_value(ma, a, m);
        if (!score_changed(before, after, dec))
            continue;
        CW_GROW(d->scores, d->n_scores + 1, *cap_sc);
        struct rediff_score *sc = &d->scores[d->n_scores++];
        sc->measure = m;
        sc->before = before;
        sc->after = after;
    }
    size_t rank_before = b ? b->rank : 0;
    bool changed =
        d->n_statuses > n0 || d->n_scores > s0 || rank_before != a->rank || !b;
    return changed;
}

void rediff_build(const struct model *before, const struct model *after,
                  struct rediff *out)
{
    memset(out, 0, sizeof *out);
    out->before = before;
    out->after = after;
    size_t cap_c = 0, cap_st = 0, cap_sc = 0;
    const struct rubric *ra = model_rubric(after);
    for (size_t k = 0; k < model_count(after); k++) {
        const struct model_entry *a = model_entry(after, k);
        size_t st0 = out->n_statuses, sc0 = out->n_scores;
        out->n_compared++;
        if (!compare_entry(out, a, &cap_st, &cap_sc))
            continue;
        CW_GROW(out->countries, out->n_countries + 1, cap_c);
        struct rediff_country *c = &out->countries[out->n_countries];
        out->n_countries++;
        long kb = before ? model_find(before, a->iso3) : -1;
        c->entry = a;
        c->before = kb >= 0 ? model_entry(before, (size_t)kb) : NULL;
        c->rank_before = c->before ? c->before->rank : 0;
        c->rank_after = a->rank;
        c->n_statuses = out->n_statuses - st0;
        c->n_scores = out->n_scores - sc0;
        out->n_new += !c->before;
        out->n_rank_moves += rediff_rank_moved(c);
        if (c->n_scores &&
            out->scores[out->n_scores - 1].measure == ra->n_pillars)
            out->n_score_changes++;
    }
    /* The arrays no longer move: point each country at its rows, which
     * follow one another in country order. */
    size_t at_st = 0, at_sc = 0;
    for (size_t k = 0; k < out->n_countries; k++) {
        struct rediff_country *c = &out->countries[k];
        c->statuses = c->n_statuses ? out->statuses + at_st : NULL;
        c->scores = c->n_scores ? out->scores + at_sc : NULL;
        at_st += c->n_statuses;
        at_sc += c->n_scores;
    }
}

bool rediff_rank_moved(const struct rediff_country *c)
{
    return c->before && c->rank_before != c->rank_after;
}

void rediff_release(struct rediff *d)
{
    free(d->countries);
    free(d->statuses);
    free(d->scores);
    memset(d, 0, sizeof *d);
}
