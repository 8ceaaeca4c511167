/* Decide each indicator's status from cues, then aggregate. */
#include "core/score.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* Clause boundaries of text (whose literals are in hit): offsets where a
 * clause row matches. */
#define MAX_CLAUSES 16

static size_t split_clauses(const struct rubric *r, const char *text,
                            size_t len, const unsigned char *hit,
                            size_t *starts)
{
    size_t n = 1;
    starts[0] = 0;
    for (size_t k = 0; k < r->n_clauses; k++) {
        if (!rubric_prefilter_may_match(&r->clauses[k].prefilter, hit))
            continue;
        size_t pos = 0;
        regmatch_t m;
        while (pos < len && n < MAX_CLAUSES &&
               regexec(&r->clauses[k].re, text + pos, 1, &m,
                       pos ? REG_NOTBOL : 0) == 0) {
            size_t start = pos + (size_t)m.rm_so;
            if (start > 0)
                starts[n++] = start;
            pos += m.rm_eo > m.rm_so ? (size_t)m.rm_eo : (size_t)m.rm_so + 1;
        }
    }
    /* Sort starts ascending and drop duplicates. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && starts[j - 1] > starts[j]; j--) {
            size_t t = starts[j];
            starts[j] = starts[j - 1];
            starts[j - 1] = t;
        }
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || starts[u - 1] != starts[i])
            starts[u++] = starts[i];
    return u;
}

static bool cue_applies(const struct rubric_cue *c,
                        const struct rubric_indicator *ind)
{
    return !c->target || !strcmp(c->target, ind->id);
}

/* First cue (file order) of an allowed scope matching text, whose literals
 * are marked in hit, or NULL. */
static const struct rubric_cue *
first_cue(const struct rubric *r, const struct rubric_indicator *ind,
          const char *text, const unsigned char *hit, bool bullet_scope)
{
    for (size_t i = 0; i < r->n_cues; i++) {
        const struct rubric_cue *c = &r->cues[i];
        if ((c->scope == CUE_BULLET) != bullet_scope)
            continue;
        if (!cue_applies(c, ind))
            continue;
        if (rubric_prefilter_may_match(&c->prefilter, hit) &&
            regexec(&c->re, text, 0, NULL, 0) == 0)
            return c;
    }
    return NULL;
}

static bool title_matches(const struct rubric_indicator *ind,
                          const struct doc_section *s)
{
    for (size_t a = 0; a < ind->n_aliases; a++)
        if (!strcmp(ind->aliases[a], s->title_key))
            return true;
    return false;
}

/*
 * The indicator's section: by number; else, by a title alias, a section
 * whose number no indicator of the rubric reads (a renumbered or misnumbered
 * heading), so that a section is never read twice.
 */
static const struct doc_section *
find_section(const struct rubric *r, const struct doc *d,
             const struct rubric_indicator *ind)
{
    const struct doc_section *s = doc_find_section(d, ind->section);
    if (s)
        return s;
    for (size_t i = 0; i < d->n_sections; i++) {
        const struct doc_section *c = &d->sections[i];
        if (!title_matches(ind, c))
            continue;
        bool is_read = false;
        for (size_t k = 0; k < r->n_indicators && !is_read; k++)
            is_read = !strcmp(r->indicators[k].section, c->number);
        if (!is_read)
            return c;
    }
    return NULL;
}

/* hit: scratch of r->lits.n bytes, for the literals of each text read. */
static void decide(const struct rubric *r, const struct rubric_indicator *ind,
                   const struct doc_section *sec, unsigned char *hit,
                   struct score_indicator *out)
{
    struct strbuf clause = STRBUF_INIT;
    size_t starts[MAX_CLAUSES];
    out->state = CW_UNKNOWN;
    out->evidence = sec->n_units ? &sec->units[0] : NULL;
    out->cue = NULL;
    out->reason = sec->n_units ? "no cue matched the section's text"
                               : "the section has no text";
    bool have_lead = false;
    for (size_t u = 0; u < sec->n_units; u++) {
        const struct doc_unit *unit = &sec->units[u];
        size_t len = strlen(unit->norm);
        litscan_run(&r->lits, unit->norm, len, hit);
        size_t n = split_clauses(r, unit->norm, len, hit, starts);
        for (size_t k = 0; k < n; k++) {
            /* A single clause is the unit, whose literals are in hit. */
            const char *text = unit->norm;
            if (n > 1) {
                size_t to = k + 1 < n ? starts[k + 1] : len;
                strbuf_reset(&clause);
                strbuf_add(&clause, unit->norm + starts[k], to - starts[k]);
                text = clause.buf;
                litscan_run(&r->lits, clause.buf, clause.len, hit);
            }
            const struct rubric_cue *c = first_cue(r, ind, text, hit, false);
            if (!have_lead) {
                if (!c)
                    continue;
                have_lead = true;
                out->state = c->status;
                out->evidence = unit;
                out->cue = c;
                out->reason = "the lead clause matched this cue";
                if (c->status == CW_PRESENT) {
                    /* A list lead-in is decided by its bullets. */
                    size_t b = u + 1;
                    if (b < sec->n_units && sec->units[b].kind == DOC_BULLET) {
                        enum cw_state best = CW_ABSENT;
                        const struct doc_unit *best_unit = NULL;
                        const struct rubric_cue *best_cue = NULL;
                        for (; b < sec->n_units &&
                               sec->units[b].kind == DOC_BULLET;
                             b++) {
                            const char *bt = sec->units[b].norm;
                            litscan_run(&r->lits, bt, strlen(bt), hit);
                            const struct rubric_cue *bc =
                                first_cue(r, ind, bt, hit, true);
                            enum cw_state s = bc ? bc->status : CW_PRESENT;
                            if (s > CW_PRESENT)
                                s = CW_ABSENT;
                            if (!best_unit || s > best) {
                                best = s;
                                best_unit = &sec->units[b];
                                best_cue = bc;
                            }
                        }
                        if (best != CW_PRESENT) {
                            out->state = best;
                            out->evidence = best_unit;
                            out->cue = best_cue;
                            out->reason = best == CW_ABSENT
                                              ? "the list lead-in is "
                                                "positive but no bullet "
                                                "names a measure in force"
                                              : "the list lead-in is "
                                                "positive but its best "
                                                "bullet is partial";
                        }
                    }
                    goto out;
                }
                if (c->status != CW_ABSENT)
                    goto out;
                continue;
            }
            /* After a negative lead only a partial cue of scope any counts. */
            if (c && c->status == CW_PARTIAL && c->scope == CUE_ANY) {
                out->state = CW_PARTIAL;
                out->evidence = unit;
                out->cue = c;
                out->reason = "a negative lead softened by a later clause";
                goto out;
            }
        }
    }
out:
    strbuf_release(&clause);
}

static double points_of(const struct rubric *r, enum cw_state s)
{
    return r->points[s];
}

/* Shared arithmetic: pillar scores and overall from per-indicator points. */
static double aggregate(const struct rubric *r, const double *pts,
                        double *pillar_scores, double *points_out,
                        double *max_out)
{
    double total = 0, total_max = 0, wsum = 0, wscore = 0;
    for (size_t p = 0; p < r->n_pillars; p++) {
        double pp = 0, pm = 0;
        for (size_t i = 0; i < r->n_indicators; i++) {
            const struct rubric_indicator *ind = &r->indicators[i];
            if (ind->pillar != p)
                continue;
            pp += ind->weight * pts[i];
            pm += ind->weight * r->max_points;
        }
        double ps = pm > 0 ? pp / pm : 0;
        if (pillar_scores)
            pillar_scores[p] = ps;
        if (!r->pillars[p].in_overall)
            continue;
        total += pp;
        total_max += pm;
        wsum += r->pillars[p].weight;
        wscore += r->pillars[p].weight * ps;
    }
    if (points_out)
        *points_out = total;
    if (max_out)
        *max_out = total_max;
    if (r->aggregate == RUBRIC_AGG_PILLARS)
        return wsum > 0 ? wscore / wsum : 0;
    return total_max > 0 ? total / total_max : 0;
}

double score_from_states(const struct rubric *r, const enum cw_state *states,
                         double *pillar_scores)
{
    double *pts = xcalloc(r->n_indicators, sizeof *pts);
    for (size_t i = 0; i < r->n_indicators; i++)
        pts[i] = points_of(r, states[i]);
    double v = aggregate(r, pts, pillar_scores, NULL, NULL);
    free(pts);
    return v;
}

void score_contributions(const struct rubric *r, const enum cw_state *states,
                         double *contrib)
{
    double total_max = 0, wsum = 0;
    double *pmax = xcalloc(r->n_pillars, sizeof *pmax);
    for (size_t i = 0; i < r->n_indicators; i++)
        pmax[r->indicators[i].pillar] +=
            r->indicators[i].weight * r->max_points;
    for (size_t p = 0; p < r->n_pillars; p++)
        if (r->pillars[p].in_overall) {
            total_max += pmax[p];
            wsum += r->pillars[p].weight;
        }
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        const struct rubric_pillar *pil = &r->pillars[ind->pillar];
        double wp = ind->weight * points_of(r, states[i]);
        contrib[i] = 0;
        if (!pil->in_overall)
            continue;
        if (r->aggregate == RUBRIC_AGG_PILLARS)
            contrib[i] = (wsum > 0 && pmax[ind->pillar] > 0)
                             ? pil->weight / wsum * wp / pmax[ind->pillar]
                             : 0;
        else
            contrib[i] = total_max > 0 ? wp / total_max : 0;
    }
    free(pmax);
}

void score_document(const struct rubric *r, const struct doc *d,
                    struct score_result *out)
{
    memset(out, 0, sizeof *out);
    out->rubric = r;
    out->doc = d;
    out->indicators =
        xcalloc(r->n_indicators ? r->n_indicators : 1, sizeof *out->indicators);
    out->pillars =
        xcalloc(r->n_pillars ? r->n_pillars : 1, sizeof *out->pillars);
    double *pts = xcalloc(r->n_indicators + 1, sizeof *pts);
    double *lo = xcalloc(r->n_indicators + 1, sizeof *lo);
    double *hi = xcalloc(r->n_indicators + 1, sizeof *hi);
    double *ps = xcalloc(r->n_pillars + 1, sizeof *ps);
    unsigned char *hit = xcalloc(r->lits.n + 1, 1);

    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        struct score_indicator *si = &out->indicators[i];
        const struct doc_section *sec = find_section(r, d, ind);
        si->section = sec;
        if (!sec) {
            si->state = CW_UNSTATED;
            si->reason = "the document has no such section";
        } else {
            decide(r, ind, sec, hit, si);
        }
        si->points = points_of(r, si->state);
        pts[i] = si->points;
        bool open = si->state == CW_UNKNOWN || si->state == CW_UNSTATED;
        lo[i] = open ? r->min_points : si->points;
        hi[i] = open ? r->max_points : si->points;
        struct score_pillar *sp = &out->pillars[ind->pillar];
        sp->n_indicators++;
        if (!open)
            sp->n_stated++;
        if (r->pillars[ind->pillar].in_overall) {
            out->n_counted++;
            if (!open)
                out->coverage++;
        }
    }
    out->overall = aggregate(r, pts, ps, &out->points, &out->max_points);
    for (size_t p = 0; p < r->n_pillars; p++)
        out->pillars[p].score = ps[p];
    out->overall_min = aggregate(r, lo, ps, NULL, NULL);
    for (size_t p = 0; p < r->n_pillars; p++)
        out->pillars[p].min_score = ps[p];
    out->overall_max = aggregate(r, hi, ps, NULL, NULL);
    for (size_t p = 0; p < r->n_pillars; p++)
        out->pillars[p].max_score = ps[p];
    /* Weighted points per pillar, for display. */
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        out->pillars[ind->pillar].points += ind->weight * pts[i];
        out->pillars[ind->pillar].max += ind->weight * r->max_points;
    }
    free(pts);
    free(lo);
    free(hi);
    free(ps);
    free(hit);
}

void score_release(struct score_result *res)
{
    free(res->indicators);
    free(res->pillars);
    memset(res, 0, sizeof *res);
}
