/*
 * Report assembly: the read-side model rendered into chart specs
 * (io/plot), CSV tables (io/csvio) and the card (io/html).
 */
#include "core/report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/robust.h"
#include "core/uncertainty.h"
#include "io/csvio.h"
#include "io/html.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

#ifndef CYBERWELL_VERSION
#define CYBERWELL_VERSION "unknown"
#endif

/* Peers drawn one by one; with more, the radar and the bars show the
 * peers' median and best only. */
#define RADAR_MAX_PEERS 4
#define BARS_MAX_PEERS  8

struct report {
    struct store *store;     /* borrowed */
    struct report_opts opts; /* strings borrowed */
    struct model *m;         /* owned */
    size_t focus;            /* entry index of the country */
    struct model_peers peers;
    /* the ranking: every entry, or the group's members and the country */
    size_t *pop; /* owned, entry indices by iso3 */
    size_t n_pop;
    size_t *rank, *best, *worst; /* owned, by pop position; 0: not ranked */
    size_t n_ranked;
    size_t focus_at;               /* the country's pop position */
    struct store_scores **details; /* owned: the country, then each peer */
    struct strbuf peer_source;     /* "groups Benelux, EU" */
    size_t *pillars;               /* owned: pillars in the overall */
    size_t n_pillars;
    bool is_written[REPORT_N_KINDS];
    struct model_agreement agree; /* filled by the published chart */
    bool has_agree;
    struct model_history history; /* filled by the trend chart */
    bool has_history;
    /* filled by the rank-interval chart */
    struct uncertainty *unc;       /* owned */
    struct robust_result *robust;  /* owned */
    size_t robust_at;              /* the country's row in robust */
    struct strbuf robust_sentence; /* how stable its rank is */
};

static const char *const kind_names[REPORT_N_KINDS] = {
    "radar",     "ranking", "pillars",   "heatmap",
    "published", "trend",   "robustness"};

const char *report_kind_name(enum report_kind k)
{
    return (unsigned)k < REPORT_N_KINDS ? kind_names[k] : "?";
}

bool report_kind_parse(const char *name, enum report_kind *out)
{
    for (size_t k = 0; k < REPORT_N_KINDS; k++) {
        if (!strcmp(name, kind_names[k])) {
            *out = (enum report_kind)k;
            return true;
        }
    }
    return false;
}

static const struct model_entry *entry(const struct report *r, size_t k)
{
    return model_entry(r->m, k);
}

const char *report_country(const struct report *r)
{
    return entry(r, r->focus)->country;
}

const char *report_iso3(const struct report *r)
{
    return entry(r, r->focus)->iso3;
}

const char *report_rubric_name(const struct report *r)
{
    return model_rubric_name(r->m);
}

void report_set_uncertainty(struct report *r, const char *path, bool is_default)
{
    r->opts.uncertainty = path;
    r->opts.is_default_uncertainty = is_default;
}

static int dec(const struct report *r)
{
    return model_decimals(r->m);
}

/* Three ASCII letters into upper-case iso3. */
static bool parse_code(const char *s, size_t len, char iso3[4])
{
    if (len != 3)
        return false;
    for (size_t i = 0; i < 3; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            return false;
        iso3[i] = c;
    }
    iso3[3] = '\0';
    return true;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The entries of the ranking and their ranks (model_rank_subset). */
static int choose_population(struct report *r, struct cw_error *err)
{
    size_t n = model_count(r->m);
    r->pop = xcalloc(n + 1, sizeof *r->pop);
    if (r->opts.group) {
        struct store_strings members = {NULL, 0};
        int rc = store_group_members(r->store, r->opts.group, &members, err);
        if (rc)
            return rc;
        bool has_focus = false;
        for (size_t i = 0; i < members.n; i++) {
            long k = model_find(r->m, members.items[i]);
            if (k < 0)
                continue;
            r->pop[r->n_pop++] = (size_t)k;
            has_focus = has_focus || (size_t)k == r->focus;
        }
        store_strings_release(&members);
        if (!has_focus)
            r->pop[r->n_pop++] = r->focus;
        qsort(r->pop, r->n_pop, sizeof *r->pop, cmp_size);
    } else {
        for (size_t k = 0; k < n; k++)
            r->pop[r->n_pop++] = k;
    }
    r->rank = xcalloc(r->n_pop + 1, sizeof *r->rank);
    r->best = xcalloc(r->n_pop + 1, sizeof *r->best);
    r->worst = xcalloc(r->n_pop + 1, sizeof *r->worst);
    model_rank_subset(r->m, r->pop, r->n_pop, r->rank, r->best, r->worst,
                      &r->n_ranked);
    for (size_t i = 0; i < r->n_pop; i++)
        if (r->pop[i] == r->focus)
            r->focus_at = i;
    /* More countries than a chart can draw is the ranking chart's limit
     * (a note on the card), not the report's (issue 15, D18). */
    return CW_OK;
}

static int load_details(struct report *r, struct cw_error *err)
{
    // an array of pointers, one per document (not of structs)
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    r->details = xcalloc(r->peers.n + 1, sizeof *r->details);
    for (size_t j = 0; j <= r->peers.n; j++) {
        r->details[j] = model_details(r->m, r->store,
                                      j ? r->peers.idx[j - 1] : r->focus, err);
        if (!r->details[j])
            return err->code;
    }
    return CW_OK;
}

struct report *report_load(struct store *s, const struct report_opts *o,
                           struct cw_error *err)
{
    struct report *r = xcalloc(1, sizeof *r);
    r->store = s;
    r->opts = *o;
    strbuf_init(&r->peer_source);
    strbuf_init(&r->robust_sentence);
    char iso3[4];
    if (!o->iso3 || !parse_code(o->iso3, strlen(o->iso3), iso3)) {
        cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                  "'%.40s' is not an ISO 3166 alpha-3 code (three letters)",
                  o->iso3 ? o->iso3 : "");
        goto fail;
    }
    if (o->peers && o->group) {
        cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                  "--peers and --group cannot be combined");
        goto fail;
    }
    struct model_opts mo = o->model;
    mo.group = NULL;
    r->m = model_load(s, &mo, NULL, NULL, err);
    if (!r->m)
        goto fail;
    long k = model_find(r->m, iso3);
    if (k < 0) {
        model_missing(r->m, r->store, iso3, "country", err);
        goto fail;
    }
    r->focus = (size_t)k;
    if (model_choose_peers(r->m, s, r->focus, o->peers, o->group, &r->peers,
                           err))
        goto fail;
    model_peers_source(&r->peers, &r->peer_source);
    /* Titles and the card name no command-line flag (issue 13): a list
     * of peers is the analyst's. */
    if (o->peers) {
        strbuf_reset(&r->peer_source);
        strbuf_adds(&r->peer_source, "the analyst's list");
    }
    if (r->peers.n > REPORT_MAX_PEERS) {
        cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                  "%zu peers, over the limit of %d a report can draw; name "
                  "fewer with --peers or --group",
                  r->peers.n, REPORT_MAX_PEERS);
        goto fail;
    }
    if (choose_population(r, err) || load_details(r, err))
        goto fail;
    const struct rubric *rb = model_rubric(r->m);
    r->pillars = xcalloc(rb->n_pillars + 1, sizeof *r->pillars);
    for (size_t p = 0; p < rb->n_pillars; p++)
        if (rb->pillars[p].in_overall)
            r->pillars[r->n_pillars++] = p;
    return r;
fail:
    report_free(r);
    return NULL;
}

void report_free(struct report *r)
{
    if (!r)
        return;
    if (r->details)
        for (size_t j = 0; j <= r->peers.n; j++)
            store_scores_free(r->details[j]);
    free(r->details);
    model_peers_release(&r->peers);
    free(r->pop);
    free(r->rank);
    free(r->best);
    free(r->worst);
    free(r->pillars);
    strbuf_release(&r->peer_source);
    if (r->has_agree)
        model_agreement_release(&r->agree);
    if (r->has_history)
        model_history_release(&r->history);
    robust_result_free(r->robust);
    uncertainty_free(r->unc);
    strbuf_release(&r->robust_sentence);
    model_free(r->m);
    free(r);
}

/* ---- shared figures --------------------------------------------------- */

/* The focus first, then the peers (entry indices, n_peers + 1). */
static size_t *focus_and_peers(const struct report *r)
{
    size_t *idx = xcalloc(r->peers.n + 1, sizeof *idx);
    idx[0] = r->focus;
    memcpy(idx + 1, r->peers.idx, r->peers.n * sizeof *idx);
    return idx;
}

/* Whether entry k of the population shares its rank with another. */
static bool is_tied(const struct report *r, size_t at)
{
    if (!r->rank[at])
        return false;
    for (size_t j = 0; j < r->n_pop; j++)
        if (j != at && r->rank[j] == r->rank[at])
            return true;
    return false;
}

/* Population positions in ranking order: ranked best first (ties by
 * iso3), then the others by iso3. Owned; n_pop items. */
static size_t *ranking_order(const struct report *r)
{
    size_t *order = xcalloc(r->n_pop + 1, sizeof *order);
    size_t n = 0;
    for (size_t rk = 1; n < r->n_ranked; rk++)
        for (size_t i = 0; i < r->n_pop; i++)
            if (r->rank[i] == rk)
                order[n++] = i;
    for (size_t i = 0; i < r->n_pop; i++)
        if (!r->rank[i])
            order[n++] = i;
    return order;
}

/* Date of the data of entries idx[0..n): one date, or "A to B". */
static void data_date(const struct report *r, const size_t *idx, size_t n,
                      struct strbuf *out)
{
    const char *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *d = entry(r, idx[i])->edition_date;
        if (!d || !*d)
            continue;
        if (!lo || strcmp(d, lo) < 0)
            lo = d;
        if (!hi || strcmp(d, hi) > 0)
            hi = d;
    }
    strbuf_reset(out);
    if (!lo)
        strbuf_adds(out, "undated documents");
    else if (!strcmp(lo, hi))
        strbuf_adds(out, lo);
    else
        strbuf_addf(out, "%s to %s", lo, hi);
    if (r->opts.model.as_of)
        strbuf_addf(out, " (as of %s)", r->opts.model.as_of);
}

/* "Belgium (16/17)": a country (its name, or its code) with its
 * coverage; always, or only when incomplete. */
static void label_with_coverage(const struct model_entry *e, bool is_code,
                                bool always, struct strbuf *out)
{
    strbuf_reset(out);
    strbuf_adds(out, is_code ? e->iso3 : e->country);
    if (always || e->scores.coverage < e->scores.n_counted)
        strbuf_addf(out, " (%zu/%zu)", e->scores.coverage, e->scores.n_counted);
}

/* "NLD" or "NLD+2": the first peer tying for best, and how many more. */
static void best_by(const struct report *r, const struct compare_stat *st,
                    struct strbuf *out)
{
    strbuf_reset(out);
    if (!st->n)
        return;
    strbuf_adds(out, entry(r, r->peers.idx[st->best_index])->iso3);
    if (st->n_best > 1)
        strbuf_addf(out, "+%zu", st->n_best - 1);
}

/* A pillar score as the charts draw it: only with a basis (a bar for a
 * pillar left mostly unresolved would show missing text as a score). */
static double chart_value(const struct report *r, const struct model_entry *e,
                          size_t p)
{
    return model_has_basis(r->m, e, p) ? model_value(r->m, e, p) : NAN;
}

/* The country, the peer median, and each peer (up to max_peers) or else
 * the peers' best, over the pillars of the overall. */
static int pillar_table(const struct report *r, size_t max_peers,
                        const char *title, struct plot_meta *m,
                        enum report_kind k, struct plot_job *job,
                        struct cw_error *err)
{
    const struct rubric *rb = model_rubric(r->m);
    bool is_each = r->peers.n <= max_peers;
    size_t n_rows = 2 + (is_each ? r->peers.n : 1);
    size_t n_cols = r->n_pillars;
    const char **rows = xcalloc(n_rows, sizeof *rows);
    const char **cols = xcalloc(n_cols ? n_cols : 1, sizeof *cols);
    struct strbuf *labels = xcalloc(n_rows, sizeof *labels);
    double *values = xcalloc(n_rows * (n_cols ? n_cols : 1), sizeof *values);
    for (size_t i = 0; i < n_rows; i++)
        strbuf_init(&labels[i]);
    label_with_coverage(entry(r, r->focus), false, true, &labels[0]);
    strbuf_adds(&labels[1], "peer median");
    if (is_each)
        for (size_t j = 0; j < r->peers.n; j++)
            label_with_coverage(entry(r, r->peers.idx[j]), false, true,
                                &labels[2 + j]);
    else
        strbuf_adds(&labels[2], "best peer per pillar");
    for (size_t i = 0; i < n_rows; i++)
        rows[i] = labels[i].buf;
    for (size_t c = 0; c < n_cols; c++) {
        size_t p = r->pillars[c];
        struct compare_stat st;
        cols[c] = rb->pillars[p].name;
        values[c] = chart_value(r, entry(r, r->focus), p);
        model_stats(r->m, r->peers.idx, r->peers.n, p, &st);
        values[n_cols + c] = st.median;
        if (is_each)
            for (size_t j = 0; j < r->peers.n; j++)
                values[(2 + j) * n_cols + c] =
                    chart_value(r, entry(r, r->peers.idx[j]), p);
        else
            values[2 * n_cols + c] = st.best;
    }
    struct plot_table t = {rows, cols, values, n_rows, n_cols, 0, 1};
    m->title = title;
    /* A radar polygon needs every vertex: when no series has a score for
     * every pillar there is no chart to draw, which a report card says in
     * a note instead of failing. */
    size_t n_whole = 0;
    for (size_t i = 0; i < n_rows; i++) {
        bool is_whole = true;
        for (size_t c = 0; c < n_cols; c++)
            is_whole &= !isnan(values[i * n_cols + c]);
        n_whole += is_whole;
    }
    int rc;
    if (k == REPORT_RADAR && !n_whole)
        rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                       "no country has a score for every pillar (a pillar "
                       "score needs at most %zu unresolved indicators)",
                       model_n_counted(r->m) - model_min_coverage(r->m));
    else
        rc = k == REPORT_RADAR
                 ? plot_radar(job, report_kind_name(k), m, &t, err)
                 : plot_pillars(job, report_kind_name(k), m, &t, err);
    for (size_t i = 0; i < n_rows; i++)
        strbuf_release(&labels[i]);
    free(labels);
    free(rows);
    free(cols);
    free(values);
    return rc;
}

/* ---- the charts ------------------------------------------------------- */

/* "ranked: 5; not ranked: 17 (coverage below 16 of 17)" */
static void ranked_text(const struct report *r, struct strbuf *out)
{
    size_t n_out = r->n_pop - r->n_ranked;
    strbuf_addf(out, "%zu ranked", r->n_ranked);
    if (n_out)
        strbuf_addf(out, ", %zu not ranked (coverage below %zu of %zu)", n_out,
                    model_min_coverage(r->m), model_n_counted(r->m));
}

static int chart_ranking(struct report *r, struct plot_job *job,
                         struct plot_meta *m, struct cw_error *err)
{
    size_t n = r->n_ranked;
    if (!n)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "no country is ranked: every document states "
                         "fewer than %zu of the %zu indicators "
                         "(--include-incomplete ranks them)",
                         model_min_coverage(r->m), model_n_counted(r->m));
    size_t *order = ranking_order(r);
    struct plot_bar *bars = xcalloc(n, sizeof *bars);
    struct strbuf *texts = xcalloc(2 * n, sizeof *texts);
    for (size_t i = 0; i < n; i++) {
        size_t at = order[i];
        const struct model_entry *e = entry(r, r->pop[at]);
        strbuf_init(&texts[i]);
        strbuf_init(&texts[n + i]);
        precision_score(&texts[i], e->scores.overall, dec(r));
        label_with_coverage(e, false, false, &texts[n + i]);
        bars[i].label = texts[n + i].buf;
        bars[i].value = e->scores.overall;
        bars[i].value_text = texts[i].buf;
        bars[i].rank = (unsigned)r->rank[at];
        bars[i].is_tied = is_tied(r, at);
        bars[i].is_focus = r->pop[at] == r->focus;
    }
    struct compare_stat st;
    model_stats(r->m, r->peers.idx, r->peers.n, model_rubric(r->m)->n_pillars,
                &st);
    struct strbuf title = STRBUF_INIT, median = STRBUF_INIT;
    if (r->opts.group)
        strbuf_addf(&title, "%s in group %s: overall score ranking (",
                    report_country(r), r->opts.group);
    else
        strbuf_addf(&title, "%s among all countries: overall score ranking (",
                    report_country(r));
    ranked_text(r, &title);
    strbuf_addch(&title, ')');
    if (!entry(r, r->focus)->is_ranked) {
        strbuf_addf(&title, "; %s is not ranked: coverage %zu of %zu",
                    report_country(r), entry(r, r->focus)->scores.coverage,
                    entry(r, r->focus)->scores.n_counted);
    }
    strbuf_addf(&median, "peer median ");
    precision_score(&median, st.median, dec(r));
    strbuf_addf(&median, " (%zu ranked peer%s)", st.n, st.n == 1 ? "" : "s");
    struct plot_ranking pr = {bars, n, st.median, median.buf,
                              compare_ties_name(model_ties(r->m))};
    m->title = title.buf;
    int rc = plot_ranking(job, "ranking", m, &pr, err);
    strbuf_release(&title);
    strbuf_release(&median);
    for (size_t i = 0; i < 2 * n; i++)
        strbuf_release(&texts[i]);
    free(texts);
    free(order);
    free(bars);
    return rc;
}

static enum plot_status plot_state(enum cw_state s)
{
    switch (s) {
    case CW_ABSENT:
        return PLOT_ABSENT;
    case CW_PARTIAL:
        return PLOT_PARTIAL;
    case CW_PRESENT:
        return PLOT_PRESENT;
    case CW_UNSTATED:
        return PLOT_UNSTATED;
    default:
        return PLOT_UNKNOWN;
    }
}

static int chart_heatmap(struct report *r, struct plot_job *job,
                         struct plot_meta *m, struct cw_error *err)
{
    const struct rubric *rb = model_rubric(r->m);
    size_t n_rows = rb->n_indicators, n_cols = r->peers.n + 1;
    size_t *idx = focus_and_peers(r);
    const char **rows = xcalloc(n_rows ? n_rows : 1, sizeof *rows);
    const char **cols = xcalloc(n_cols, sizeof *cols);
    enum plot_status *cells = xcalloc(n_rows * n_cols + 1, sizeof *cells);
    bool *over = xcalloc(n_rows * n_cols + 1, sizeof *over);
    struct strbuf *labels = xcalloc(n_rows ? n_rows : 1, sizeof *labels);
    for (size_t i = 0; i < n_rows; i++) {
        strbuf_init(&labels[i]);
        strbuf_addf(&labels[i], "%s %s", rb->indicators[i].id,
                    rb->indicators[i].name);
        if (!rb->pillars[rb->indicators[i].pillar].in_overall)
            strbuf_adds(&labels[i], " *");
        rows[i] = labels[i].buf;
    }
    for (size_t c = 0; c < n_cols; c++) {
        const struct model_entry *e = entry(r, idx[c]);
        cols[c] = e->iso3;
        for (size_t i = 0; i < n_rows; i++) {
            cells[i * n_cols + c] = plot_state(e->states[i]);
            over[i * n_cols + c] = e->overrides && e->overrides[i];
        }
    }
    struct strbuf title = STRBUF_INIT;
    strbuf_addf(&title,
                "Indicator status: %s and its peers (* not in the "
                "overall score)",
                report_country(r));
    struct plot_heatmap h = {rows, cols, cells, n_rows, n_cols, 0, over};
    m->title = title.buf;
    int rc = plot_heatmap(job, "heatmap", m, &h, err);
    strbuf_release(&title);
    for (size_t i = 0; i < n_rows; i++)
        strbuf_release(&labels[i]);
    free(labels);
    free(rows);
    free(cols);
    free(cells);
    free(over);
    free(idx);
    return rc;
}

/* The agreement of computed and published scores (built once). */
static int load_agreement(struct report *r, struct cw_error *err)
{
    if (!r->has_agree) {
        model_agreement_build(r->m, &r->agree);
        r->has_agree = true;
    }
    if (!model_edition(r->m)) {
        struct strbuf sb = STRBUF_INIT;
        model_edition_text(r->m, &sb);
        cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                  "no published edition to compare with: %s", sb.buf);
        strbuf_release(&sb);
        return CW_ERR_NOTFOUND;
    }
    if (!r->agree.n)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "no ranked country has a published GCI %s overall "
                         "score; import them with 'cyberwell import --csv "
                         "data/reference/gci-published.csv'",
                         model_edition(r->m));
    return CW_OK;
}

/* "n = 20 (ranked, k/n: stated); equal: 2; mean |d| 0.150; max 0.735
 * VEN; Spearman 0.92" (the figures of the agreement). */
static void agreement_text(const struct report *r, struct strbuf *out)
{
    const struct compare_agreement *a = &r->agree.stats;
    strbuf_addf(out, "n = %zu %s; equal: %zu; mean |d| ", a->n,
                model_includes_incomplete(r->m) ? "(k/n: stated)"
                                                : "ranked (k/n: stated)",
                a->n_exact);
    precision_score(out, a->mean_abs, dec(r));
    strbuf_adds(out, "; max ");
    precision_score(out, a->max_abs, dec(r));
    if (a->n)
        strbuf_addf(out, " %s", entry(r, r->agree.entries[0])->iso3);
    strbuf_adds(out, "; Spearman ");
    precision_correlation(out, a->spearman);
}

static int chart_published(struct report *r, struct plot_job *job,
                           struct plot_meta *m, struct cw_error *err)
{
    int rc = load_agreement(r, err);
    if (rc)
        return rc;
    struct plot_xy *pts = xcalloc(r->agree.n, sizeof *pts);
    struct strbuf *labels = xcalloc(r->agree.n + 1, sizeof *labels);
    for (size_t i = 0; i < r->agree.n; i++) {
        const struct model_entry *e = entry(r, r->agree.entries[i]);
        strbuf_init(&labels[i]);
        label_with_coverage(e, true, false, &labels[i]);
        pts[i].label = labels[i].buf;
        pts[i].x = e->scores.overall;
        pts[i].y = e->published->value;
        pts[i].is_focus = r->agree.entries[i] == r->focus;
    }
    struct strbuf title = STRBUF_INIT, xt = STRBUF_INIT, yt = STRBUF_INIT,
                  note = STRBUF_INIT;
    const char *own = model_rubric(r->m)->edition;
    strbuf_addf(&title, "Computed against published GCI %s overall",
                model_edition(r->m));
    if (own && !strcmp(own, model_edition(r->m)))
        strbuf_addf(&title, " (same structure as %s)", model_rubric_name(r->m));
    else
        strbuf_addf(&title, " (asked for; not the structure of %s)",
                    model_rubric_name(r->m));
    strbuf_addf(&xt, "computed overall (%s)", model_rubric_label(r->m));
    strbuf_addf(&yt, "published GCI %s overall (0 to 1)", model_edition(r->m));
    agreement_text(r, &note);
    struct plot_scatter s = {pts, r->agree.n, xt.buf, yt.buf, note.buf};
    m->title = title.buf;
    rc = plot_scatter(job, "published", m, &s, err);
    strbuf_release(&title);
    strbuf_release(&xt);
    strbuf_release(&yt);
    strbuf_release(&note);
    for (size_t i = 0; i < r->agree.n; i++)
        strbuf_release(&labels[i]);
    free(labels);
    free(pts);
    return rc;
}

static int load_history(struct report *r, struct cw_error *err)
{
    if (r->has_history)
        return CW_OK;
    int rc =
        model_history_load(r->m, r->store, report_iso3(r), &r->history, err);
    r->has_history = rc == CW_OK;
    return rc;
}

static int chart_trend(struct report *r, struct plot_job *job,
                       struct plot_meta *m, struct cw_error *err)
{
    int rc = load_history(r, err);
    if (rc)
        return rc;
    const struct rubric *rb = model_rubric(r->m);
    const struct model_history *h = &r->history;
    size_t n_cols = r->n_pillars + 1, n_rows = h->n;
    const char **rows = xcalloc(h->n + 1, sizeof *rows);
    const char **cols = xcalloc(n_cols, sizeof *cols);
    double *values = xcalloc((h->n + 1) * n_cols, sizeof *values);
    cols[0] = "Overall";
    for (size_t c = 1; c < n_cols; c++)
        cols[c] = rb->pillars[r->pillars[c - 1]].name;
    for (size_t i = 0; i < h->n; i++) {
        const struct model_entry *e = &h->items[i];
        rows[i] = e->edition_date;
        values[i * n_cols] = e->scores.overall;
        for (size_t c = 1; c < n_cols; c++)
            values[i * n_cols + c] = chart_value(r, e, r->pillars[c - 1]);
    }
    if (n_rows < 2) {
        rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                       "%s has %zu dated document%s under %s; a trend needs "
                       "two or more",
                       report_iso3(r), n_rows, n_rows == 1 ? "" : "s",
                       model_rubric_label(r->m));
    } else {
        struct strbuf title = STRBUF_INIT, date = STRBUF_INIT;
        strbuf_addf(&title,
                    "%s: computed scores of its %zu dated documents "
                    "(indicators stated:",
                    report_country(r), n_rows);
        for (size_t i = 0; i < h->n; i++)
            strbuf_addf(&title, "%s %zu/%zu", i ? "," : "",
                        h->items[i].scores.coverage,
                        h->items[i].scores.n_counted);
        strbuf_addch(&title, ')');
        strbuf_addf(&date, "%s to %s", rows[0], rows[n_rows - 1]);
        struct plot_table t = {rows, cols, values, n_rows, n_cols, -1, -1};
        m->title = title.buf;
        m->date = date.buf;
        rc = plot_trend(job, "trend", m, &t, err);
        strbuf_release(&title);
        strbuf_release(&date);
    }
    free(rows);
    free(cols);
    free(values);
    return rc;
}

/* Load the uncertainty file (once). */
static int load_uncertainty(struct report *r, struct cw_error *err)
{
    if (r->unc)
        return CW_OK;
    if (!r->opts.uncertainty)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "rubric '%s' has no uncertainty file (give one "
                         "with --uncertainty)",
                         model_rubric_name(r->m));
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    r->unc = uncertainty_load(r->opts.uncertainty, errs);
    int rc = CW_OK;
    if (!r->unc) {
        *err = errs->e[0];
        rc = err->code;
        if (rc == CW_ERR_IO && r->opts.is_default_uncertainty)
            rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                           "no uncertainty file for rubric '%s' ('%s' cannot "
                           "be read; give one with --uncertainty)",
                           model_rubric_name(r->m), r->opts.uncertainty);
    }
    free(errs);
    return rc;
}

/* The Monte Carlo run behind the rank intervals (once): every ranked
 * country's statuses, as `cyberwell robustness --vs ISO3` draws them. */
static int run_robustness(struct report *r, struct cw_error *err)
{
    if (r->robust)
        return CW_OK;
    if (!r->opts.draws)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "switched off (--draws 0)");
    if (!entry(r, r->focus)->is_ranked)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "%s is not ranked: coverage %zu of %zu",
                         report_country(r), entry(r, r->focus)->scores.coverage,
                         entry(r, r->focus)->scores.n_counted);
    int rc = load_uncertainty(r, err);
    if (rc)
        return rc;
    const struct rubric *rb = model_rubric(r->m);
    size_t k = rb->n_indicators, n = 0;
    enum cw_state *states = xcalloc(model_count(r->m) * k + 1, sizeof *states);
    for (size_t e = 0; e < model_count(r->m); e++) {
        const struct model_entry *me = entry(r, e);
        if (!me->is_ranked)
            continue;
        if (e == r->focus)
            r->robust_at = n;
        memcpy(states + n * k, me->states, k * sizeof *states);
        n++;
    }
    struct robust_input in = {rb, states, n, r->unc};
    struct robust_options o = ROBUST_OPTIONS_INIT;
    o.n_draws = r->opts.draws;
    o.seed = r->opts.seed;
    o.n_threads = r->opts.threads ? r->opts.threads : 1;
    o.decimals = dec(r);
    o.ties = model_ties(r->m);
    o.focus = (long)r->robust_at;
    r->robust = robust_run(&in, &o, err);
    free(states);
    if (!r->robust)
        return err->code;
    robust_summary(r->robust, r->robust_at, report_country(r),
                   &r->robust_sentence);
    return CW_OK;
}

/* Row in the robustness run of model entry e, or -1 when not drawn. */
static long robust_row(const struct report *r, size_t e)
{
    if (!entry(r, e)->is_ranked)
        return -1;
    long row = 0;
    for (size_t i = 0; i < e; i++)
        row += entry(r, i)->is_ranked;
    return row;
}

/* The chart rows of the run (robust_chart_rows, the peers marked) and the
 * model entry of each run row, both owned, r->robust->n items. */
static void robust_rows(const struct report *r, struct robust_chart_row **rows,
                        size_t **entry_of)
{
    const struct robust_result *res = r->robust;
    size_t *peers = xcalloc(r->peers.n + 1, sizeof *peers), n_peers = 0;
    for (size_t j = 0; j < r->peers.n; j++) {
        long row = robust_row(r, r->peers.idx[j]);
        if (row >= 0)
            peers[n_peers++] = (size_t)row;
    }
    *rows = xcalloc(res->n, sizeof **rows);
    robust_chart_rows(res, peers, n_peers, *rows);
    free(peers);
    /* run row c is the c-th ranked entry */
    *entry_of = xcalloc(res->n, sizeof **entry_of);
    size_t n = 0;
    for (size_t e = 0; e < model_count(r->m) && n < res->n; e++)
        if (entry(r, e)->is_ranked)
            (*entry_of)[n++] = e;
}

static int chart_robustness(struct report *r, struct plot_job *job,
                            struct plot_meta *m, struct cw_error *err)
{
    int rc = run_robustness(r, err);
    if (rc)
        return rc;
    const struct robust_result *res = r->robust;
    if (res->n > PLOT_MAX_ROWS)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "%zu countries in the rank intervals, over the "
                         "limit of %d",
                         res->n, PLOT_MAX_ROWS);
    struct robust_chart_row *rows;
    size_t *entry_of;
    robust_rows(r, &rows, &entry_of);
    struct plot_interval *iv = xcalloc(res->n, sizeof *iv);
    for (size_t i = 0; i < res->n; i++) {
        iv[i].label = entry(r, entry_of[rows[i].country])->iso3;
        iv[i].median = (double)rows[i].median;
        iv[i].low = (double)rows[i].p05;
        iv[i].high = (double)rows[i].p95;
        iv[i].nominal = (double)rows[i].nominal;
        iv[i].is_focus = rows[i].is_focus;
        iv[i].is_peer = rows[i].is_peer;
    }
    struct strbuf title = STRBUF_INIT, xt = STRBUF_INIT;
    strbuf_addf(&title, "Rank intervals: %s among the %zu ranked countries",
                report_country(r), res->n);
    strbuf_addf(&xt, "countries, sorted by median rank; bars: 5th to 95th "
                     "percentile of the rank over ");
    robust_add_count(&xt, res->n_draws);
    strbuf_addf(&xt, " draws (seed %llu)", (unsigned long long)res->seed);
    struct plot_intervals pv = {iv, res->n, report_country(r), xt.buf};
    m->title = title.buf;
    rc = plot_intervals(job, "robustness", m, &pv, err);
    strbuf_release(&title);
    strbuf_release(&xt);
    free(entry_of);
    free(iv);
    free(rows);
    return rc;
}

int report_chart(struct report *r, struct plot_job *job, enum report_kind k,
                 struct cw_error *err)
{
    struct strbuf date = STRBUF_INIT, title = STRBUF_INIT;
    struct plot_meta m = {NULL, model_rubric_label(r->m), NULL};
    size_t *idx = focus_and_peers(r);
    int rc;
    bool is_wide =
        k == REPORT_RANKING || k == REPORT_PUBLISHED || k == REPORT_ROBUSTNESS;
    data_date(r, is_wide ? r->pop : idx, is_wide ? r->n_pop : r->peers.n + 1,
              &date);
    m.date = date.buf;
    switch (k) {
    case REPORT_RADAR:
    case REPORT_PILLARS:
        strbuf_addf(&title, "%s: pillar scores against peers (%s)",
                    report_country(r), r->peer_source.buf);
        rc = pillar_table(r,
                          k == REPORT_RADAR ? RADAR_MAX_PEERS : BARS_MAX_PEERS,
                          title.buf, &m, k, job, err);
        break;
    case REPORT_RANKING:
        rc = chart_ranking(r, job, &m, err);
        break;
    case REPORT_HEATMAP:
        rc = chart_heatmap(r, job, &m, err);
        break;
    case REPORT_PUBLISHED:
        rc = chart_published(r, job, &m, err);
        break;
    case REPORT_TREND:
        rc = chart_trend(r, job, &m, err);
        break;
    case REPORT_ROBUSTNESS:
        rc = chart_robustness(r, job, &m, err);
        break;
    default:
        CW_BUG("unknown chart kind %d", (int)k);
    }
    if (!rc)
        r->is_written[k] = true;
    strbuf_release(&date);
    strbuf_release(&title);
    free(idx);
    return rc;
}

/* ---- CSV tables ------------------------------------------------------- */

struct table {
    FILE *fp;
    char *buf; /* owned by the stream until fclose, then by us */
    size_t len;
    struct csvio_writer w;
};

static int table_open(struct table *t, struct cw_error *err)
{
    t->buf = NULL;
    t->len = 0;
    t->fp = open_memstream(&t->buf, &t->len);
    if (!t->fp)
        return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                         "cannot build a CSV table: %s", strerror(errno));
    csvio_writer_init(&t->w, t->fp);
    return CW_OK;
}

/* Close t and write it as name into job. */
static int table_close(struct table *t, struct plot_job *job, const char *name,
                       struct cw_error *err)
{
    int rc = csvio_writer_status(&t->w);
    if (fclose(t->fp) != 0 && !rc)
        rc = CW_ERR_IO;
    if (rc)
        rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                       "cannot build the table '%s'", name);
    else
        rc = plot_job_write(job, name, t->buf, t->len, err);
    free(t->buf);
    return rc;
}

static void csv_header(struct csvio_writer *w, const char *const *cols,
                       size_t n)
{
    for (size_t i = 0; i < n; i++)
        csvio_text(w, cols[i]);
}

static const char *role_of(const struct report *r, size_t k)
{
    if (k == r->focus)
        return "country";
    for (size_t j = 0; j < r->peers.n; j++)
        if (r->peers.idx[j] == k)
            return "peer";
    return "other";
}

static void table_scores(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {
        "rubric",  "rubric_version", "ties",      "decimals",    "min_coverage",
        "ranked",  "rank",           "rank_best", "rank_worst",  "iso3",
        "country", "role",           "overall",   "overall_min", "overall_max"};
    static const char *const tail[] = {"coverage", "indicators_counted",
                                       "overridden", "document_sha256",
                                       "edition_date"};
    const struct rubric *rb = model_rubric(r->m);
    size_t *order = ranking_order(r);
    csv_header(w, head, sizeof head / sizeof *head);
    for (size_t p = 0; p < rb->n_pillars; p++)
        csvio_text(w, rb->pillars[p].id);
    for (size_t p = 0; p < rb->n_pillars; p++) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, "%s_stated", rb->pillars[p].id);
        csvio_text(w, sb.buf);
        strbuf_release(&sb);
    }
    csv_header(w, tail, sizeof tail / sizeof *tail);
    csvio_end_row(w);
    for (size_t i = 0; i < r->n_pop; i++) {
        size_t at = order[i];
        const struct model_entry *e = entry(r, r->pop[at]);
        csvio_text(w, model_rubric_name(r->m));
        csvio_text(w, model_rubric_version(r->m));
        csvio_text(w, compare_ties_name(model_ties(r->m)));
        csvio_int(w, dec(r));
        csvio_int(w, (long long)model_min_coverage(r->m));
        csvio_text(w, r->rank[at] ? "yes" : "no");
        if (r->rank[at]) {
            csvio_int(w, (long long)r->rank[at]);
            csvio_int(w, (long long)r->best[at]);
            csvio_int(w, (long long)r->worst[at]);
        } else {
            csvio_empty(w);
            csvio_empty(w);
            csvio_empty(w);
        }
        csvio_text(w, e->iso3);
        csvio_text(w, e->country);
        csvio_text(w, role_of(r, r->pop[at]));
        precision_csv(w, e->scores.overall, dec(r));
        precision_csv(w, e->scores.overall_min, dec(r));
        precision_csv(w, e->scores.overall_max, dec(r));
        for (size_t p = 0; p < rb->n_pillars; p++)
            precision_csv(w, e->scores.pillars[p], dec(r));
        for (size_t p = 0; p < rb->n_pillars; p++)
            csvio_int(w, (long long)e->scores.pillar_stated[p]);
        csvio_int(w, (long long)e->scores.coverage);
        csvio_int(w, (long long)e->scores.n_counted);
        csvio_text(w, e->has_overrides ? "yes" : "no");
        csvio_text(w, e->sha256);
        csvio_text(w, e->edition_date);
        csvio_end_row(w);
    }
    free(order);
}

static void table_pillars(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {
        "rubric",           "rubric_version", "iso3",      "pillar",
        "pillar_name",      "in_overall",     "score",     "stated",
        "indicators",       "peer_median",    "peer_best", "best_peer",
        "peers_with_basis", "peers"};
    const struct rubric *rb = model_rubric(r->m);
    const struct model_entry *me = entry(r, r->focus);
    struct strbuf by = STRBUF_INIT;
    csv_header(w, head, sizeof head / sizeof *head);
    csvio_end_row(w);
    for (size_t p = 0; p <= rb->n_pillars; p++) {
        bool is_overall = p == rb->n_pillars;
        struct compare_stat st;
        size_t k, n;
        model_stats(r->m, r->peers.idx, r->peers.n, p, &st);
        model_coverage(r->m, me, p, &k, &n);
        best_by(r, &st, &by);
        csvio_text(w, model_rubric_name(r->m));
        csvio_text(w, model_rubric_version(r->m));
        csvio_text(w, report_iso3(r));
        csvio_text(w, is_overall ? "overall" : rb->pillars[p].id);
        csvio_text(w, is_overall ? "Overall" : rb->pillars[p].name);
        csvio_text(w, is_overall || rb->pillars[p].in_overall ? "yes" : "no");
        precision_csv(w, model_value(r->m, me, p), dec(r));
        csvio_int(w, (long long)k);
        csvio_int(w, (long long)n);
        precision_csv(w, st.median, dec(r));
        precision_csv(w, st.best, dec(r));
        csvio_text(w, by.buf);
        csvio_int(w, (long long)st.n);
        csvio_int(w, (long long)r->peers.n);
        csvio_end_row(w);
    }
    strbuf_release(&by);
}

/* The stored indicator i of the country (j == 0) or of peer j - 1. */
static const struct store_indicator *detail(const struct report *r, size_t j,
                                            size_t i)
{
    return model_indicator(r->m, &r->details[j]->items[0], i);
}

static void table_indicators(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {
        "iso3",     "role",   "indicator",       "indicator_name",
        "pillar",   "status", "computed_status", "line",
        "evidence", "reason"};
    const struct rubric *rb = model_rubric(r->m);
    size_t *idx = focus_and_peers(r);
    csv_header(w, head, sizeof head / sizeof *head);
    csvio_end_row(w);
    for (size_t c = 0; c <= r->peers.n; c++) {
        const struct model_entry *e = entry(r, idx[c]);
        for (size_t i = 0; i < rb->n_indicators; i++) {
            const struct store_indicator *ind = detail(r, c, i);
            csvio_text(w, e->iso3);
            csvio_text(w, c ? "peer" : "country");
            csvio_text(w, rb->indicators[i].id);
            csvio_text(w, rb->indicators[i].name);
            csvio_text(w, rb->pillars[rb->indicators[i].pillar].id);
            csvio_text(w, cw_state_name(e->states[i]));
            csvio_text(w, cw_state_name(e->computed[i]));
            if (ind && ind->line)
                csvio_int(w, ind->line);
            else
                csvio_empty(w);
            csvio_text(w, ind ? ind->evidence : NULL);
            csvio_text(w, ind ? ind->reason : NULL);
            csvio_end_row(w);
        }
    }
    free(idx);
}

static void findings_build(const struct report *r, struct compare_findings *f)
{
    const enum cw_state **peer_states =
        xcalloc(r->peers.n ? r->peers.n : 1, sizeof *peer_states);
    for (size_t j = 0; j < r->peers.n; j++)
        peer_states[j] = entry(r, r->peers.idx[j])->states;
    compare_findings_build(model_rubric(r->m), entry(r, r->focus)->states,
                           peer_states, r->peers.n, 0, f);
    free(peer_states);
}

/* "NLD, LUX" for the peers of finding f. */
static void finding_peers(const struct report *r,
                          const struct compare_finding *f, struct strbuf *out)
{
    strbuf_reset(out);
    for (size_t j = 0; j < f->n_peers; j++)
        strbuf_addf(out, "%s%s", j ? ", " : "",
                    entry(r, r->peers.idx[f->peers[j]])->iso3);
}

static void table_findings(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {
        "iso3",  "kind",    "indicator",  "indicator_name", "pillar",  "status",
        "peers", "n_peers", "n_compared", "line",           "evidence"};
    const struct rubric *rb = model_rubric(r->m);
    const struct model_entry *me = entry(r, r->focus);
    struct compare_findings f;
    struct strbuf peers = STRBUF_INIT;
    findings_build(r, &f);
    csv_header(w, head, sizeof head / sizeof *head);
    csvio_end_row(w);
    for (size_t i = 0; i < f.n_items; i++) {
        const struct compare_finding *fi = &f.items[i];
        const struct store_indicator *ind = detail(r, 0, fi->indicator);
        finding_peers(r, fi, &peers);
        csvio_text(w, report_iso3(r));
        csvio_text(w, fi->kind == COMPARE_GAP ? "gap" : "strength");
        csvio_text(w, rb->indicators[fi->indicator].id);
        csvio_text(w, rb->indicators[fi->indicator].name);
        csvio_text(w, rb->pillars[rb->indicators[fi->indicator].pillar].id);
        csvio_text(w, cw_state_name(me->states[fi->indicator]));
        csvio_text(w, peers.buf);
        csvio_int(w, (long long)fi->n_peers);
        csvio_int(w, (long long)fi->n_compared);
        if (ind && ind->line)
            csvio_int(w, ind->line);
        else
            csvio_empty(w);
        csvio_text(w, ind ? ind->evidence : NULL);
        csvio_end_row(w);
    }
    strbuf_release(&peers);
    compare_findings_release(&f);
}

static void table_published(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {"iso3",
                                       "country",
                                       "role",
                                       "rubric",
                                       "rubric_version",
                                       "computed",
                                       "coverage",
                                       "edition",
                                       "published",
                                       "scale",
                                       "published_score",
                                       "difference",
                                       "equal_at_published_precision",
                                       "rank",
                                       "rank_method",
                                       "source_url",
                                       "could_explain"};
    int pd = model_published_decimals(r->m);
    double scale = model_published_scale(r->m);
    struct strbuf why = STRBUF_INIT;
    csv_header(w, head, sizeof head / sizeof *head);
    csvio_end_row(w);
    for (size_t i = 0; i < r->agree.n; i++) {
        size_t k = r->agree.entries[i];
        const struct model_entry *e = entry(r, k);
        const struct store_reference *ref = e->published->row;
        csvio_text(w, e->iso3);
        csvio_text(w, e->country);
        csvio_text(w, role_of(r, k));
        csvio_text(w, model_rubric_name(r->m));
        csvio_text(w, model_rubric_version(r->m));
        precision_csv(w, e->scores.overall, dec(r));
        csvio_int(w, (long long)e->scores.coverage);
        csvio_text(w, ref->edition);
        csvio_num(w, ref->overall, pd);
        csvio_num(w, scale, 0);
        precision_csv(w, e->published->value, dec(r));
        precision_csv(w,
                      precision_difference(e->scores.overall,
                                           e->published->value, dec(r)),
                      dec(r));
        csvio_text(w, precision_key(e->scores.overall * scale, pd) ==
                              precision_key(ref->overall, pd)
                          ? "yes"
                          : "no");
        if (isnan(ref->rank))
            csvio_empty(w);
        else
            csvio_num(w, ref->rank, 0);
        csvio_text(w, ref->rank_method);
        csvio_text(w, ref->source_url);
        strbuf_reset(&why);
        model_difference_text(r->m, e, r->agree.diffs[i], &why);
        csvio_text(w, why.buf);
        csvio_end_row(w);
    }
    strbuf_release(&why);
}

static void table_trend(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {"iso3",    "edition_date",
                                       "path",    "document_sha256",
                                       "overall", "coverage"};
    const struct rubric *rb = model_rubric(r->m);
    csv_header(w, head, sizeof head / sizeof *head);
    for (size_t p = 0; p < rb->n_pillars; p++)
        csvio_text(w, rb->pillars[p].id);
    csvio_end_row(w);
    for (size_t i = 0; i < r->history.n; i++) {
        const struct model_entry *e = &r->history.items[i];
        csvio_text(w, e->iso3);
        csvio_text(w, e->edition_date);
        csvio_text(w, e->path);
        csvio_text(w, e->sha256);
        precision_csv(w, e->scores.overall, dec(r));
        csvio_int(w, (long long)e->scores.coverage);
        for (size_t p = 0; p < rb->n_pillars; p++)
            precision_csv(w, e->scores.pillars[p], dec(r));
        csvio_end_row(w);
    }
}

/* The rank intervals: one row per ranked country, by median rank, with
 * the run's draws, seed and uncertainty file on every row. */
static void table_robustness(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {
        "iso3",     "role",     "nominal_rank",      "median_rank",
        "rank_p05", "rank_p95", "p_above_focus",     "score",
        "draws",    "seed",     "uncertainty_sha256"};
    const struct robust_result *res = r->robust;
    csv_header(w, head, sizeof head / sizeof *head);
    csvio_end_row(w);
    struct robust_chart_row *rows;
    size_t *entry_of;
    robust_rows(r, &rows, &entry_of);
    char seed[24];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)res->seed);
    for (size_t i = 0; i < res->n; i++) {
        const struct robust_country *rc = &res->countries[rows[i].country];
        csvio_text(w, entry(r, entry_of[rows[i].country])->iso3);
        csvio_text(w, rows[i].is_focus  ? "country"
                      : rows[i].is_peer ? "peer"
                                        : "other");
        csvio_int(w, (long long)rc->rank);
        csvio_int(w, (long long)rc->median);
        csvio_int(w, (long long)rc->p05);
        csvio_int(w, (long long)rc->p95);
        if (rows[i].is_focus)
            csvio_empty(w);
        else
            csvio_num(w, rc->p_above, 4);
        precision_csv(w, rc->score, dec(r));
        csvio_int(w, (long long)res->n_draws);
        csvio_text(w, seed);
        csvio_text(w, r->unc->hash);
        csvio_end_row(w);
    }
    free(entry_of);
    free(rows);
}

typedef void (*table_fn)(const struct report *r, struct csvio_writer *w);

static const struct {
    const char *name;
    table_fn fn;
    int needs; /* a chart that must have been written, or -1 */
} tables[] = {
    {"scores.csv", table_scores, -1},
    {"pillars.csv", table_pillars, -1},
    {"indicators.csv", table_indicators, -1},
    {"findings.csv", table_findings, -1},
    {"published.csv", table_published, REPORT_PUBLISHED},
    {"trend.csv", table_trend, REPORT_TREND},
    {"robustness.csv", table_robustness, REPORT_ROBUSTNESS},
};
#define N_TABLES (sizeof tables / sizeof *tables)

const char *report_table_name(const struct report *r, size_t i)
{
    for (size_t t = 0; t < N_TABLES; t++) {
        if (tables[t].needs >= 0 && !r->is_written[tables[t].needs])
            continue;
        if (i-- == 0)
            return tables[t].name;
    }
    return NULL;
}

int report_tables(struct report *r, struct plot_job *job, struct cw_error *err)
{
    for (size_t i = 0; i < N_TABLES; i++) {
        if (tables[i].needs >= 0 && !r->is_written[tables[i].needs])
            continue;
        struct table t;
        int rc = table_open(&t, err);
        if (rc)
            return rc;
        tables[i].fn(r, &t.w);
        rc = table_close(&t, job, tables[i].name, err);
        if (rc)
            return rc;
    }
    return CW_OK;
}

/* ---- the card --------------------------------------------------------- */

/* Strings the card points to, owned here until the page is written. */
struct card_text {
    struct strbuf *bufs;
    size_t n, cap;
};

static const char *keep(struct card_text *ct, struct strbuf *sb)
{
    CW_GROW(ct->bufs, ct->n + 1, ct->cap);
    ct->bufs[ct->n] = *sb;
    strbuf_init(sb);
    return ct->bufs[ct->n++].buf;
}

static const char *keepf(struct card_text *ct, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *keepf(struct card_text *ct, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&sb, fmt, ap);
    va_end(ap);
    return keep(ct, &sb);
}

static void card_text_release(struct card_text *ct)
{
    for (size_t i = 0; i < ct->n; i++)
        strbuf_release(&ct->bufs[i]);
    free(ct->bufs);
}

/* One literal in two pieces, named so that the list below has no string
 * concatenation a missing comma could hide in. */
static const char robustness_caption[] =
    "Rank of every ranked country over alternative but defensible versions "
    "of the index (weights, worth of partial, missing data, aggregation, "
    "rubric): bar 5th to 95th percentile, dot median, cross nominal rank";

static const char *const chart_captions[REPORT_N_KINDS] = {
    "Pillar radar: the country against its peers' median",
    "Ranking of the ranked countries by overall score; ties share a rank",
    "Pillar scores, clustered by pillar",
    "Indicator status of the country (framed) and its peers",
    "Computed overall scores against published GCI scores, same edition",
    "The country's computed scores over its dated documents",
    robustness_caption};

static void card_findings(struct report *r, const struct compare_findings *f,
                          size_t from, size_t to, struct html_finding *out,
                          struct card_text *ct)
{
    const struct rubric *rb = model_rubric(r->m);
    const struct model_entry *me = entry(r, r->focus);
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = from; i < to; i++) {
        const struct compare_finding *fi = &f->items[i];
        const struct rubric_indicator *ind = &rb->indicators[fi->indicator];
        const struct store_indicator *si = detail(r, 0, fi->indicator);
        struct html_finding *h = &out[i - from];
        h->indicator = keepf(ct, "%s %s", ind->id, ind->name);
        h->pillar = rb->pillars[ind->pillar].name;
        model_status_text(r->m, me, fi->indicator, MODEL_STATUS_NOTE, &sb);
        h->status = keep(ct, &sb);
        finding_peers(r, fi, &sb);
        strbuf_addf(&sb, " (%zu of %zu peer%s compared)", fi->n_peers,
                    fi->n_compared, fi->n_compared == 1 ? "" : "s");
        h->peers = keep(ct, &sb);
        h->evidence = si ? si->evidence : NULL;
        h->line = si ? si->line : 0;
    }
    strbuf_release(&sb);
}

/* The rank figures of the card: among all (or the group), the range, and
 * among the ranked peers. */
static size_t card_ranks(struct report *r, struct html_kv *fig,
                         struct card_text *ct)
{
    const struct model_entry *me = entry(r, r->focus);
    size_t n = 0, at = r->focus_at, n_out = r->n_pop - r->n_ranked;
    struct strbuf sb = STRBUF_INIT;
    const char *ties = compare_ties_name(model_ties(r->m));
    fig[n].key = r->opts.group
                     ? keepf(ct, "Rank in group %s (%s)", r->opts.group, ties)
                     : keepf(ct, "Rank among ranked countries (%s)", ties);
    if (r->rank[at]) {
        strbuf_addf(&sb, "%zu%s of %zu", r->rank[at], is_tied(r, at) ? "=" : "",
                    r->n_ranked);
        if (n_out)
            strbuf_addf(&sb, " (%zu not ranked)", n_out);
    } else {
        model_place_text(r->m, me, &sb);
        strbuf_addf(&sb, " (ranked from %zu)", model_min_coverage(r->m));
    }
    fig[n++].value = keep(ct, &sb);
    fig[n].key = "Possible rank (joint range)";
    fig[n++].value =
        !r->rank[at] ? PRECISION_NA
        : r->best[at] == r->worst[at]
            ? keepf(ct, "%zu whatever the unresolved indicators", r->best[at])
            : keepf(ct, "%zu to %zu", r->best[at], r->worst[at]);
    /* among the country and its ranked peers */
    size_t *idx = focus_and_peers(r);
    size_t np = r->peers.n + 1, n_r;
    size_t *rk = xcalloc(np, sizeof *rk), *b = xcalloc(np, sizeof *b),
           *w = xcalloc(np, sizeof *w);
    model_rank_subset(r->m, idx, np, rk, b, w, &n_r);
    fig[n].key = "Rank among ranked peers";
    if (rk[0]) {
        bool tied = false;
        for (size_t j = 1; j < np; j++)
            tied = tied || rk[j] == rk[0];
        strbuf_addf(&sb, "%zu%s of %zu", rk[0], tied ? "=" : "", n_r);
        if (np - n_r)
            strbuf_addf(&sb, " (%zu peer%s not ranked)", np - n_r,
                        np - n_r == 1 ? "" : "s");
        fig[n++].value = keep(ct, &sb);
    } else {
        fig[n++].value = PRECISION_NA;
    }
    free(idx);
    free(rk);
    free(b);
    free(w);
    strbuf_release(&sb);
    return n;
}

/* The published figure of the country, with its edition. */
static const char *card_published(struct report *r, struct card_text *ct)
{
    const struct model_entry *me = entry(r, r->focus);
    if (!model_edition(r->m))
        return "no edition compared (the rubric declares none)";
    if (!me->published)
        return keepf(ct, "none for %s in GCI %s", me->iso3,
                     model_edition(r->m));
    const struct store_reference *ref = me->published->row;
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%.*f", model_published_decimals(r->m), ref->overall);
    if (!isnan(ref->rank))
        strbuf_addf(&sb, ", rank %g (%s)", ref->rank, ref->rank_method);
    strbuf_adds(&sb, "; computed ");
    precision_score(&sb, me->scores.overall, dec(r));
    return keep(ct, &sb);
}

int report_card(struct report *r, struct plot_job *job, bool is_rendered,
                const char *const *notes, size_t n_notes, struct cw_error *err)
{
    const struct rubric *rb = model_rubric(r->m);
    const struct model_entry *me = entry(r, r->focus);
    const struct store_score *sc = &r->details[0]->items[0];
    struct card_text ct = {NULL, 0, 0};
    struct html_card c;
    memset(&c, 0, sizeof c);
    struct strbuf sb = STRBUF_INIT, page = STRBUF_INIT;

    c.country = me->country;
    c.iso3 = me->iso3;
    c.home = r->opts.home;
    strbuf_addf(&sb, "Rubric %s; profile dated %s; peers from %s: ",
                model_rubric_label(r->m),
                me->edition_date ? me->edition_date : "(none)",
                r->peer_source.buf);
    for (size_t j = 0; j < r->peers.n; j++) {
        const struct model_entry *pe = entry(r, r->peers.idx[j]);
        strbuf_addf(&sb, "%s%s (coverage %zu/%zu%s)", j ? ", " : "", pe->iso3,
                    pe->scores.coverage, pe->scores.n_counted,
                    pe->is_ranked ? "" : ", not ranked");
    }
    c.subtitle = keep(&ct, &sb);
    precision_score(&sb, me->scores.overall, dec(r));
    c.score = keep(&ct, &sb);
    strbuf_addf(&sb, "%g of %g points; %zu of %zu indicators stated",
                me->scores.points, me->scores.max_points, me->scores.coverage,
                me->scores.n_counted);
    if (me->has_overrides) {
        strbuf_adds(&sb, "; with analyst overrides (computed ");
        precision_score(&sb, sc->overall, dec(r));
        strbuf_addch(&sb, ')');
    }
    c.score_note = keep(&ct, &sb);

    struct html_kv figures[10];
    size_t n_fig = card_ranks(r, figures, &ct);
    figures[n_fig].key = "Score range";
    precision_score(&sb, me->scores.overall_min, dec(r));
    strbuf_adds(&sb, " to ");
    precision_score(&sb, me->scores.overall_max, dec(r));
    figures[n_fig++].value = keep(&ct, &sb);
    figures[n_fig].key = "Coverage";
    figures[n_fig++].value = keepf(
        &ct, "%zu of %zu indicators stated (ranked from %zu)",
        me->scores.coverage, me->scores.n_counted, model_min_coverage(r->m));
    struct compare_stat st;
    model_stats(r->m, r->peers.idx, r->peers.n, rb->n_pillars, &st);
    figures[n_fig].key = "Ranked peers' median / best";
    if (st.n) {
        struct strbuf by = STRBUF_INIT;
        best_by(r, &st, &by);
        precision_score(&sb, st.median, dec(r));
        strbuf_adds(&sb, " / ");
        precision_score(&sb, st.best, dec(r));
        strbuf_addf(&sb, " %s (%zu of %zu peer%s ranked)", by.buf, st.n,
                    r->peers.n, r->peers.n == 1 ? "" : "s");
        strbuf_release(&by);
        figures[n_fig++].value = keep(&ct, &sb);
    } else {
        figures[n_fig++].value =
            r->peers.n == 1 ? "n/a: the peer is not ranked"
                            : keepf(&ct, "n/a: none of the %zu peers is ranked",
                                    r->peers.n);
    }
    figures[n_fig].key = model_edition(r->m) ? keepf(&ct, "Published GCI %s",
                                                     model_edition(r->m))
                                             : "Published GCI";
    figures[n_fig].value = card_published(r, &ct);
    n_fig++;
    if (r->robust) {
        const struct robust_country *rc = &r->robust->countries[r->robust_at];
        figures[n_fig].key = "Rank under uncertainty (median, 5-95 %)";
        strbuf_addf(&sb, "%zu (%zu to %zu) over ", rc->median, rc->p05,
                    rc->p95);
        robust_add_count(&sb, r->robust->n_draws);
        strbuf_adds(&sb, " draws");
        figures[n_fig++].value = keep(&ct, &sb);
        c.robustness = r->robust_sentence.buf;
    }
    c.figures = figures;
    c.n_figures = n_fig;

    struct html_pillar *pillars =
        xcalloc(rb->n_pillars ? rb->n_pillars : 1, sizeof *pillars);
    for (size_t p = 0; p < rb->n_pillars; p++) {
        model_stats(r->m, r->peers.idx, r->peers.n, p, &st);
        pillars[p].name = rb->pillars[p].name;
        model_value_text(r->m, me, p, &sb);
        pillars[p].score = keep(&ct, &sb);
        precision_score(&sb, st.median, dec(r));
        pillars[p].median = keep(&ct, &sb);
        precision_score(&sb, st.best, dec(r));
        pillars[p].best = keep(&ct, &sb);
        best_by(r, &st, &sb);
        pillars[p].best_by = keep(&ct, &sb);
        pillars[p].in_overall = rb->pillars[p].in_overall;
        pillars[p].peers = keepf(&ct, "%zu of %zu", st.n, r->peers.n);
    }
    c.pillars = pillars;
    c.n_pillars = rb->n_pillars;
    c.pillars_note =
        "Peer median and best are taken over the peers that leave no more "
        "of the pillar unresolved than a ranked profile may (the peers "
        "column); n/a: no peer does. (k/n): the indicators of the pillar the "
        "profile states.";

    struct compare_findings f;
    findings_build(r, &f);
    struct html_finding *fs = xcalloc(f.n_items ? f.n_items : 1, sizeof *fs);
    card_findings(r, &f, 0, f.n_gaps, fs, &ct);
    card_findings(r, &f, f.n_gaps, f.n_items, fs + f.n_gaps, &ct);
    c.gaps = fs;
    c.n_gaps = f.n_gaps;
    c.strengths = fs + f.n_gaps;
    c.n_strengths = f.n_strengths;
    c.findings_note = keepf(
        &ct,
        "A gap: a peer has the indicator (present or partial) and %s lacks "
        "it (absent); a strength: the reverse. A pair counts only when both "
        "documents state the indicator; the sentence is %s's.",
        me->country, me->country);
    compare_findings_release(&f);

    struct html_indicator *inds =
        xcalloc(rb->n_indicators ? rb->n_indicators : 1, sizeof *inds);
    for (size_t i = 0; i < rb->n_indicators; i++) {
        const struct store_indicator *si = detail(r, 0, i);
        inds[i].id = rb->indicators[i].id;
        inds[i].name = rb->indicators[i].name;
        inds[i].pillar = rb->pillars[rb->indicators[i].pillar].name;
        model_status_text(r->m, me, i, MODEL_STATUS_NOTE, &sb);
        inds[i].status = keep(&ct, &sb);
        inds[i].evidence = si ? si->evidence : NULL;
        inds[i].line = si ? si->line : 0;
        inds[i].reason = si ? si->reason : NULL;
    }
    c.indicators = inds;
    c.n_indicators = rb->n_indicators;

    struct html_chart charts[REPORT_N_KINDS];
    size_t n_charts = 0;
    for (size_t k = 0; k < REPORT_N_KINDS; k++) {
        if (!r->is_written[k])
            continue;
        charts[n_charts].stem = kind_names[k];
        charts[n_charts].caption = chart_captions[k];
        charts[n_charts].alt =
            keepf(&ct, "%s chart for %s", kind_names[k], me->country);
        n_charts++;
    }
    c.charts = charts;
    c.n_charts = n_charts;
    c.is_rendered = is_rendered;
    c.notes = notes;
    c.n_notes = n_notes;

    struct html_kv prov[18];
    size_t n_prov = 0;
    prov[n_prov].key = "Rubric";
    prov[n_prov++].value = model_rubric_label(r->m);
    prov[n_prov].key = "Rubric SHA-256";
    prov[n_prov++].value = model_rubric_sha256(r->m);
    prov[n_prov].key = "Profile";
    prov[n_prov++].value = me->path;
    prov[n_prov].key = "Profile SHA-256";
    prov[n_prov++].value = me->sha256;
    prov[n_prov].key = "Profile date";
    prov[n_prov++].value = me->edition_date ? me->edition_date : "(none)";
    prov[n_prov].key = "Stored";
    prov[n_prov++].value = me->ingested_at;
    prov[n_prov].key = "Peers";
    for (size_t j = 0; j < r->peers.n; j++) {
        const struct model_entry *pe = entry(r, r->peers.idx[j]);
        strbuf_addf(&sb, "%s%s %s", j ? "; " : "", pe->iso3, pe->sha256);
    }
    prov[n_prov++].value = keep(&ct, &sb);
    prov[n_prov].key = "Ranks";
    prov[n_prov++].value = keepf(&ct, "%s ties at %d decimals; ranked: %s",
                                 compare_ties_name(model_ties(r->m)), dec(r),
                                 model_includes_incomplete(r->m)
                                     ? "every document (--include-incomplete)"
                                     : "documents stating at least the "
                                       "rubric's min_coverage");
    prov[n_prov].key = "Published edition";
    model_edition_text(r->m, &sb);
    prov[n_prov++].value = keep(&ct, &sb);
    prov[n_prov].key = "Analyst overrides";
    prov[n_prov++].value =
        model_is_computed(r->m) ? "ignored (--no-overrides)" : "applied";
    prov[n_prov].key = "Robustness";
    if (r->robust) {
        robust_add_count(&sb, r->robust->n_draws);
        strbuf_addf(&sb, " draws, seed %llu, uncertainty file %s (SHA-256 %s)",
                    (unsigned long long)r->robust->seed, r->unc->path,
                    r->unc->hash);
        prov[n_prov++].value = keep(&ct, &sb);
    } else if (!r->opts.draws) {
        prov[n_prov++].value = "not run (--draws 0)";
    } else {
        prov[n_prov++].value = "not run (see the note at the top)";
    }
    prov[n_prov].key = "Engine";
    prov[n_prov++].value = "cyberwell " CYBERWELL_VERSION;
    if (r->opts.db_path) {
        prov[n_prov].key = "Database";
        prov[n_prov++].value = r->opts.db_path;
    }
    if (r->opts.command) {
        prov[n_prov].key = "Command";
        prov[n_prov++].value = r->opts.command;
    }
    c.provenance = prov;
    c.n_provenance = n_prov;

    const char *files[N_TABLES];
    size_t n_files = 0;
    for (size_t i = 0; i < N_TABLES; i++)
        if (tables[i].needs < 0 || r->is_written[tables[i].needs])
            files[n_files++] = tables[i].name;
    c.files = files;
    c.n_files = n_files;

    html_card_render(&c, &page);
    int rc = plot_job_write(job, "index.html", page.buf, page.len, err);
    free(pillars);
    free(fs);
    free(inds);
    strbuf_release(&sb);
    strbuf_release(&page);
    card_text_release(&ct);
    return rc;
}
