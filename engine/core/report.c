/*
 * Report assembly: peers, ranks and peer statistics from the database,
 * turned into chart specs (io/plot), CSV tables (io/csvio) and the card
 * (io/html).
 */
#include "core/report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/peerset.h"
#include "io/csvio.h"
#include "io/html.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

#ifndef CYBERWELL_VERSION
#define CYBERWELL_VERSION "unknown"
#endif

#define MAX_LIST 1000 /* codes in a --peers list */
/* Peers drawn one by one; with more, the radar and the bars show the
 * peers' median and best only. */
#define RADAR_MAX_PEERS 4
#define BARS_MAX_PEERS  8

struct report {
    struct store *store;     /* borrowed */
    struct report_opts opts; /* strings borrowed */
    struct peerset *ps;      /* owned */
    size_t focus;            /* entry index of the country */
    size_t *peers;           /* owned, entry indices, by iso3 */
    size_t n_peers;
    size_t *ranked; /* owned, entry indices of the ranking, by iso3 */
    size_t n_ranked;
    struct strbuf peer_source; /* "groups Benelux, EU" */
    struct strbuf rubric;      /* "gci2014 1.0.0" */
    size_t *pillars;           /* owned: indices of pillars in the overall */
    size_t n_pillars;
    bool is_written[REPORT_N_KINDS];
    /* computed versus published, filled by the published chart */
    struct store_references refs; /* owned */
    bool has_refs;
    const char *edition; /* borrowed from refs */
    /* the country's dated documents, filled by the trend chart */
    struct store_scores *history; /* owned */
};

static const char *const kind_names[REPORT_N_KINDS] = {
    "radar", "ranking", "pillars", "heatmap", "published", "trend"};

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

static const struct peerset_entry *entry(const struct report *r, size_t k)
{
    return &r->ps->entries[k];
}

const char *report_country(const struct report *r)
{
    return entry(r, r->focus)->score->country;
}

const char *report_iso3(const struct report *r)
{
    return entry(r, r->focus)->score->iso3;
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

static void add_index(size_t **arr, size_t *n, size_t *cap, size_t k)
{
    for (size_t i = 0; i < *n; i++)
        if ((*arr)[i] == k)
            return;
    CW_GROW(*arr, *n + 1, *cap);
    (*arr)[(*n)++] = k;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Members of group with scores (entry indices) into arr; focus is left
 * out when skip_focus. */
static int group_entries(struct report *r, const char *group, bool skip_focus,
                         size_t **arr, size_t *n, size_t *cap,
                         struct cw_error *err)
{
    struct store_strings members = {NULL, 0};
    int rc = store_group_members(r->store, group, &members, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < members.n; i++) {
        long k = peerset_find(r->ps, members.items[i]);
        if (k >= 0 && (!skip_focus || (size_t)k != r->focus))
            add_index(arr, n, cap, (size_t)k);
    }
    store_strings_release(&members);
    return CW_OK;
}

static int choose_peers(struct report *r, struct cw_error *err)
{
    const struct report_opts *o = &r->opts;
    struct store_strings groups = {NULL, 0};
    int rc = peerset_choose_peers(r->ps, r->store, r->focus, o->peers, o->group,
                                  &r->peers, &r->n_peers, &groups, err);
    if (rc)
        return rc;
    if (o->peers) {
        strbuf_adds(&r->peer_source, "--peers");
    } else if (o->group) {
        strbuf_addf(&r->peer_source, "group %s", o->group);
    } else {
        strbuf_adds(&r->peer_source, groups.n == 1 ? "group " : "groups ");
        for (size_t g = 0; g < groups.n; g++)
            strbuf_addf(&r->peer_source, "%s%s", g ? ", " : "",
                        groups.items[g]);
    }
    store_strings_release(&groups);
    if (r->n_peers > REPORT_MAX_PEERS)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "%zu peers, over the limit of %d a report can "
                         "draw; name fewer with --peers or --group",
                         r->n_peers, REPORT_MAX_PEERS);
    return CW_OK;
}

static int choose_ranked(struct report *r, struct cw_error *err)
{
    size_t cap = 0;
    if (r->opts.group) {
        int rc = group_entries(r, r->opts.group, false, &r->ranked,
                               &r->n_ranked, &cap, err);
        if (rc)
            return rc;
        add_index(&r->ranked, &r->n_ranked, &cap, r->focus);
    } else {
        for (size_t k = 0; k < r->ps->n; k++)
            add_index(&r->ranked, &r->n_ranked, &cap, k);
    }
    if (r->n_ranked > PLOT_MAX_ROWS)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "%zu countries to rank, over the limit of %d",
                         r->n_ranked, PLOT_MAX_ROWS);
    qsort(r->ranked, r->n_ranked, sizeof *r->ranked, cmp_size);
    return CW_OK;
}

struct report *report_load(struct store *s, const struct report_opts *o,
                           struct cw_error *err)
{
    struct report *r = xcalloc(1, sizeof *r);
    r->store = s;
    r->opts = *o;
    strbuf_init(&r->peer_source);
    strbuf_init(&r->rubric);
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
    struct store_query q = STORE_QUERY_INIT;
    q.rubric = o->rubric;
    q.version = o->version;
    q.as_of = o->as_of;
    r->ps = peerset_load(s, &q, o->is_computed ? PEERSET_NO_OVERRIDES : 0, err);
    if (!r->ps)
        goto fail;
    strbuf_addf(&r->rubric, "%s %s", r->ps->set->rubric_name,
                r->ps->set->rubric_version);
    long k = peerset_find(r->ps, iso3);
    if (k < 0) {
        peerset_missing(r->ps, r->store, iso3, "country", err);
        goto fail;
    }
    r->focus = (size_t)k;
    if (choose_peers(r, err) || choose_ranked(r, err))
        goto fail;
    const struct rubric *rb = r->ps->rubric;
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
    peerset_free(r->ps);
    free(r->peers);
    free(r->ranked);
    free(r->pillars);
    strbuf_release(&r->peer_source);
    strbuf_release(&r->rubric);
    if (r->has_refs)
        store_references_release(&r->refs);
    store_scores_free(r->history);
    free(r);
}

/* ---- shared figures --------------------------------------------------- */

/* The focus first, then the peers (entry indices, n_peers + 1). */
static size_t *focus_and_peers(const struct report *r)
{
    size_t *idx = xcalloc(r->n_peers + 1, sizeof *idx);
    idx[0] = r->focus;
    memcpy(idx + 1, r->peers, r->n_peers * sizeof *idx);
    return idx;
}

/* Pillar p (a rubric index) of the peers, or the overall when p is
 * SIZE_MAX: statistics into st. */
static void peer_stat(const struct report *r, size_t p, struct compare_stat *st)
{
    double *v = xcalloc(r->n_peers, sizeof *v);
    if (p == SIZE_MAX)
        peerset_values(r->ps, r->peers, r->n_peers, v, NULL, NULL);
    else
        peerset_pillar_values(r->ps, r->peers, r->n_peers, p, v);
    compare_stats(v, r->n_peers, r->opts.decimals, st);
    free(v);
}

/* Ranks of idx[0..n) under the options: rank, best, worst (each n). */
static void rank_entries(const struct report *r, const size_t *idx, size_t n,
                         size_t *rank, size_t *best, size_t *worst)
{
    double *v = xcalloc(n, sizeof *v), *lo = xcalloc(n, sizeof *lo),
           *hi = xcalloc(n, sizeof *hi);
    peerset_values(r->ps, idx, n, v, lo, hi);
    compare_rank(v, n, r->opts.decimals, r->opts.ties, rank);
    if (best && worst)
        compare_rank_range(v, lo, hi, n, r->opts.decimals, r->opts.ties, best,
                           worst);
    free(v);
    free(lo);
    free(hi);
}

static bool is_tied(const size_t *rank, size_t n, size_t i)
{
    for (size_t j = 0; j < n; j++)
        if (j != i && rank[j] == rank[i])
            return true;
    return false;
}

/* Date of the data of entries idx[0..n): one date, or "A to B". */
static void data_date(const struct report *r, const size_t *idx, size_t n,
                      struct strbuf *out)
{
    const char *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *d = entry(r, idx[i])->score->edition_date;
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
    if (r->opts.as_of)
        strbuf_addf(out, " (as of %s)", r->opts.as_of);
}

static void peer_median_label(const struct report *r, struct strbuf *out)
{
    strbuf_reset(out);
    strbuf_addf(out, "peer median (%zu peer%s)", r->n_peers,
                r->n_peers == 1 ? "" : "s");
}

/* The country, the peer median, and each peer (up to max_peers) or else
 * the peers' best, over the pillars of the overall. */
static int pillar_table(const struct report *r, size_t max_peers,
                        const char *title, struct plot_meta *m,
                        enum report_kind k, struct plot_job *job,
                        struct cw_error *err)
{
    const struct rubric *rb = r->ps->rubric;
    bool is_each = r->n_peers <= max_peers;
    size_t n_rows = 2 + (is_each ? r->n_peers : 1);
    size_t n_cols = r->n_pillars;
    const char **rows = xcalloc(n_rows, sizeof *rows);
    const char **cols = xcalloc(n_cols ? n_cols : 1, sizeof *cols);
    double *values = xcalloc(n_rows * (n_cols ? n_cols : 1), sizeof *values);
    struct strbuf median = STRBUF_INIT;
    peer_median_label(r, &median);
    rows[0] = entry(r, r->focus)->score->country;
    rows[1] = median.buf;
    if (is_each)
        for (size_t j = 0; j < r->n_peers; j++)
            rows[2 + j] = entry(r, r->peers[j])->score->country;
    else
        rows[2] = "best peer per pillar";
    for (size_t c = 0; c < n_cols; c++) {
        size_t p = r->pillars[c];
        struct compare_stat st;
        cols[c] = rb->pillars[p].name;
        values[c] = entry(r, r->focus)->scores.pillars[p];
        peer_stat(r, p, &st);
        values[n_cols + c] = st.median;
        if (is_each)
            for (size_t j = 0; j < r->n_peers; j++)
                values[(2 + j) * n_cols + c] =
                    entry(r, r->peers[j])->scores.pillars[p];
        else
            values[2 * n_cols + c] = st.best;
    }
    struct plot_table t = {rows, cols, values, n_rows, n_cols, 0, 1};
    m->title = title;
    int rc = k == REPORT_RADAR
                 ? plot_radar(job, report_kind_name(k), m, &t, err)
                 : plot_pillars(job, report_kind_name(k), m, &t, err);
    free(rows);
    free(cols);
    free(values);
    strbuf_release(&median);
    return rc;
}

/* ---- the charts ------------------------------------------------------- */

static int chart_ranking(struct report *r, struct plot_job *job,
                         struct plot_meta *m, struct cw_error *err)
{
    size_t n = r->n_ranked;
    double *v = xcalloc(n, sizeof *v);
    size_t *order = xcalloc(n, sizeof *order);
    size_t *rank = xcalloc(n, sizeof *rank);
    struct plot_bar *bars = xcalloc(n, sizeof *bars);
    peerset_values(r->ps, r->ranked, n, v, NULL, NULL);
    compare_order(v, n, r->opts.decimals, order);
    rank_entries(r, r->ranked, n, rank, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        size_t j = order[i];
        bars[i].label = entry(r, r->ranked[j])->score->country;
        bars[i].value = v[j];
        bars[i].rank = (unsigned)rank[j];
        bars[i].is_tied = is_tied(rank, n, j);
        bars[i].is_focus = r->ranked[j] == r->focus;
    }
    struct compare_stat st;
    peer_stat(r, SIZE_MAX, &st);
    struct strbuf title = STRBUF_INIT, median = STRBUF_INIT;
    if (r->opts.group)
        strbuf_addf(&title,
                    "%s in group %s: overall score ranking (%zu "
                    "countries)",
                    report_country(r), r->opts.group, n);
    else
        strbuf_addf(&title,
                    "%s among all %zu countries with scores: "
                    "overall score ranking",
                    report_country(r), n);
    peer_median_label(r, &median);
    struct plot_ranking pr = {bars, n, st.median, median.buf,
                              compare_ties_name(r->opts.ties)};
    m->title = title.buf;
    int rc = plot_ranking(job, "ranking", m, &pr, err);
    strbuf_release(&title);
    strbuf_release(&median);
    free(v);
    free(order);
    free(rank);
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
    const struct rubric *rb = r->ps->rubric;
    size_t n_rows = rb->n_indicators, n_cols = r->n_peers + 1;
    size_t *idx = focus_and_peers(r);
    const char **rows = xcalloc(n_rows ? n_rows : 1, sizeof *rows);
    const char **cols = xcalloc(n_cols, sizeof *cols);
    enum plot_status *cells = xcalloc(n_rows * n_cols + 1, sizeof *cells);
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
        const struct peerset_entry *e = entry(r, idx[c]);
        cols[c] = e->score->iso3;
        for (size_t i = 0; i < n_rows; i++)
            cells[i * n_cols + c] = plot_state(e->states[i]);
    }
    struct strbuf title = STRBUF_INIT;
    strbuf_addf(&title,
                "Indicator status: %s and its peers (* not in the "
                "overall score)",
                report_country(r));
    struct plot_heatmap h = {rows, cols, cells, n_rows, n_cols, 0};
    m->title = title.buf;
    int rc = plot_heatmap(job, "heatmap", m, &h, err);
    strbuf_release(&title);
    for (size_t i = 0; i < n_rows; i++)
        strbuf_release(&labels[i]);
    free(labels);
    free(rows);
    free(cols);
    free(cells);
    free(idx);
    return rc;
}

/* A published overall on the 0..1 scale, or NAN. */
static double published_score(const struct store_reference *ref)
{
    if (isnan(ref->overall))
        return NAN;
    double scale = ref->scale;
    if (isnan(scale) || scale <= 0)
        scale = ref->overall > 1 ? 100 : 1;
    return ref->overall / scale;
}

static long ranked_find(const struct report *r, const char *iso3)
{
    long k = peerset_find(r->ps, iso3);
    if (k < 0)
        return -1;
    for (size_t i = 0; i < r->n_ranked; i++)
        if (r->ranked[i] == (size_t)k)
            return k;
    return -1;
}

/* Load the reference rows and choose the edition: the one asked for, else
 * the one with published overall scores for the most ranked countries. */
static int load_refs(struct report *r, struct cw_error *err)
{
    if (r->has_refs)
        return CW_OK;
    int rc =
        store_references_get(r->store, r->opts.edition, NULL, &r->refs, err);
    if (rc)
        return rc;
    r->has_refs = true;
    size_t best = 0;
    for (size_t i = 0; i < r->refs.n; i++) {
        const char *ed = r->refs.items[i].edition;
        size_t count = 0;
        for (size_t j = 0; j < r->refs.n; j++) {
            const struct store_reference *ref = &r->refs.items[j];
            if (!strcmp(ref->edition, ed) && !isnan(published_score(ref)) &&
                ranked_find(r, ref->iso3) >= 0)
                count++;
        }
        if (count > best ||
            (count == best && count && strcmp(ed, r->edition) > 0)) {
            best = count;
            r->edition = ed;
        }
    }
    if (!best) {
        if (r->opts.edition)
            return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                             "no published overall score of edition '%s' "
                             "for a country with scores",
                             r->opts.edition);
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "no published overall score for a country with "
                         "scores; import them with 'cyberwell import --csv "
                         "data/reference/gci-published.csv'");
    }
    return CW_OK;
}

static int chart_published(struct report *r, struct plot_job *job,
                           struct plot_meta *m, struct cw_error *err)
{
    int rc = load_refs(r, err);
    if (rc)
        return rc;
    struct plot_xy *pts = xcalloc(r->refs.n, sizeof *pts);
    size_t n = 0;
    for (size_t i = 0; i < r->refs.n; i++) {
        const struct store_reference *ref = &r->refs.items[i];
        long k = ranked_find(r, ref->iso3);
        double y = published_score(ref);
        if (strcmp(ref->edition, r->edition) != 0 || k < 0 || isnan(y))
            continue;
        pts[n].label = entry(r, (size_t)k)->score->iso3;
        pts[n].x = entry(r, (size_t)k)->scores.overall;
        pts[n].y = y;
        pts[n].is_focus = (size_t)k == r->focus;
        n++;
    }
    struct strbuf title = STRBUF_INIT, xt = STRBUF_INIT, yt = STRBUF_INIT;
    strbuf_addf(&title, "Computed against published GCI %s overall scores",
                r->edition);
    strbuf_addf(&xt, "computed overall (%s)", r->rubric.buf);
    strbuf_addf(&yt, "published GCI %s overall (0 to 1)", r->edition);
    struct plot_scatter s = {pts, n, xt.buf, yt.buf};
    m->title = title.buf;
    rc = plot_scatter(job, "published", m, &s, err);
    strbuf_release(&title);
    strbuf_release(&xt);
    strbuf_release(&yt);
    free(pts);
    return rc;
}

/* The country's documents with a valid edition date, oldest first. */
static int load_history(struct report *r, struct cw_error *err)
{
    if (r->history)
        return CW_OK;
    struct store_query q = STORE_QUERY_INIT;
    q.rubric = r->ps->set->rubric_name;
    q.version = r->ps->set->rubric_version;
    q.iso3 = report_iso3(r);
    q.is_all_versions = true;
    r->history = store_scores_get(r->store, &q, err);
    return r->history ? CW_OK : err->code;
}

static int chart_trend(struct report *r, struct plot_job *job,
                       struct plot_meta *m, struct cw_error *err)
{
    int rc = load_history(r, err);
    if (rc)
        return rc;
    const struct rubric *rb = r->ps->rubric;
    const struct store_scores *h = r->history;
    size_t n_cols = r->n_pillars + 1, n_rows = 0;
    const char **rows = xcalloc(h->n + 1, sizeof *rows);
    const char **cols = xcalloc(n_cols, sizeof *cols);
    double *values = xcalloc((h->n + 1) * n_cols, sizeof *values);
    cols[0] = "Overall";
    for (size_t c = 1; c < n_cols; c++)
        cols[c] = rb->pillars[r->pillars[c - 1]].name;
    for (size_t i = 0; i < h->n; i++) {
        const struct store_score *sc = &h->items[i];
        if (!sc->edition_date || !*sc->edition_date ||
            sc->n_pillars != rb->n_pillars)
            continue;
        rows[n_rows] = sc->edition_date;
        values[n_rows * n_cols] = sc->overall;
        for (size_t c = 1; c < n_cols; c++)
            values[n_rows * n_cols + c] = sc->pillars[r->pillars[c - 1]].score;
        n_rows++;
    }
    if (n_rows < 2) {
        rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                       "%s has %zu dated document%s under %s; a trend needs "
                       "two or more",
                       report_iso3(r), n_rows, n_rows == 1 ? "" : "s",
                       r->rubric.buf);
    } else {
        struct strbuf title = STRBUF_INIT, date = STRBUF_INIT;
        strbuf_addf(&title, "%s: computed scores of its %zu dated documents",
                    report_country(r), n_rows);
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

int report_chart(struct report *r, struct plot_job *job, enum report_kind k,
                 struct cw_error *err)
{
    struct strbuf date = STRBUF_INIT, title = STRBUF_INIT;
    struct plot_meta m = {NULL, r->rubric.buf, NULL};
    size_t *idx = focus_and_peers(r);
    int rc;
    data_date(r, k == REPORT_RANKING || k == REPORT_PUBLISHED ? r->ranked : idx,
              k == REPORT_RANKING || k == REPORT_PUBLISHED ? r->n_ranked
                                                           : r->n_peers + 1,
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

static void csv_num(struct csvio_writer *w, double v, int decimals)
{
    if (isnan(v))
        csvio_empty(w);
    else
        csvio_num(w, v, decimals);
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
    for (size_t j = 0; j < r->n_peers; j++)
        if (r->peers[j] == k)
            return "peer";
    return "other";
}

static void table_scores(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {
        "rubric",    "rubric_version", "ties",        "rank",
        "rank_best", "rank_worst",     "iso3",        "country",
        "role",      "overall",        "overall_min", "overall_max"};
    static const char *const tail[] = {"coverage", "indicators_counted",
                                       "overridden", "document_sha256",
                                       "edition_date"};
    const struct rubric *rb = r->ps->rubric;
    size_t n = r->n_ranked;
    size_t *rank = xcalloc(n, sizeof *rank), *best = xcalloc(n, sizeof *best),
           *worst = xcalloc(n, sizeof *worst),
           *order = xcalloc(n, sizeof *order);
    double *v = xcalloc(n, sizeof *v);
    rank_entries(r, r->ranked, n, rank, best, worst);
    peerset_values(r->ps, r->ranked, n, v, NULL, NULL);
    compare_order(v, n, r->opts.decimals, order);
    csv_header(w, head, sizeof head / sizeof *head);
    for (size_t p = 0; p < rb->n_pillars; p++)
        csvio_text(w, rb->pillars[p].id);
    csv_header(w, tail, sizeof tail / sizeof *tail);
    csvio_end_row(w);
    for (size_t i = 0; i < n; i++) {
        size_t j = order[i];
        const struct peerset_entry *e = entry(r, r->ranked[j]);
        csvio_text(w, r->ps->set->rubric_name);
        csvio_text(w, r->ps->set->rubric_version);
        csvio_text(w, compare_ties_name(r->opts.ties));
        csvio_int(w, (long long)rank[j]);
        csvio_int(w, (long long)best[j]);
        csvio_int(w, (long long)worst[j]);
        csvio_text(w, e->score->iso3);
        csvio_text(w, e->score->country);
        csvio_text(w, role_of(r, r->ranked[j]));
        csv_num(w, e->scores.overall, 6);
        csv_num(w, e->scores.overall_min, 6);
        csv_num(w, e->scores.overall_max, 6);
        for (size_t p = 0; p < rb->n_pillars; p++)
            csv_num(w, e->scores.pillars[p], 6);
        csvio_int(w, (long long)e->scores.coverage);
        csvio_int(w, (long long)e->scores.n_counted);
        csvio_text(w, e->has_overrides ? "yes" : "no");
        csvio_text(w, e->score->sha256);
        csvio_text(w, e->score->edition_date);
        csvio_end_row(w);
    }
    free(rank);
    free(best);
    free(worst);
    free(order);
    free(v);
}

/* "NLD" or "NLD+2": the first peer tying for best, and how many more. */
static void best_by(const struct report *r, const struct compare_stat *st,
                    struct strbuf *out)
{
    strbuf_reset(out);
    if (!st->n)
        return;
    strbuf_adds(out, entry(r, r->peers[st->best_index])->score->iso3);
    if (st->n_best > 1)
        strbuf_addf(out, "+%zu", st->n_best - 1);
}

static void table_pillars(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {
        "rubric",      "rubric_version", "iso3",  "pillar",
        "pillar_name", "in_overall",     "score", "peer_median",
        "peer_best",   "best_peer",      "peers"};
    const struct rubric *rb = r->ps->rubric;
    struct strbuf by = STRBUF_INIT;
    csv_header(w, head, sizeof head / sizeof *head);
    csvio_end_row(w);
    for (size_t p = 0; p <= rb->n_pillars; p++) {
        bool is_overall = p == rb->n_pillars;
        struct compare_stat st;
        peer_stat(r, is_overall ? SIZE_MAX : p, &st);
        best_by(r, &st, &by);
        csvio_text(w, r->ps->set->rubric_name);
        csvio_text(w, r->ps->set->rubric_version);
        csvio_text(w, report_iso3(r));
        csvio_text(w, is_overall ? "overall" : rb->pillars[p].id);
        csvio_text(w, is_overall ? "Overall" : rb->pillars[p].name);
        csvio_text(w, is_overall || rb->pillars[p].in_overall ? "yes" : "no");
        csv_num(w,
                is_overall ? entry(r, r->focus)->scores.overall
                           : entry(r, r->focus)->scores.pillars[p],
                6);
        csv_num(w, st.median, 6);
        csv_num(w, st.best, 6);
        csvio_text(w, by.buf);
        csvio_int(w, (long long)st.n);
        csvio_end_row(w);
    }
    strbuf_release(&by);
}

static void table_indicators(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {
        "iso3",     "role",   "indicator",       "indicator_name",
        "pillar",   "status", "computed_status", "line",
        "evidence", "reason"};
    const struct rubric *rb = r->ps->rubric;
    size_t *idx = focus_and_peers(r);
    csv_header(w, head, sizeof head / sizeof *head);
    csvio_end_row(w);
    for (size_t c = 0; c <= r->n_peers; c++) {
        const struct peerset_entry *e = entry(r, idx[c]);
        for (size_t i = 0; i < rb->n_indicators; i++) {
            const struct store_indicator *ind = e->indicators[i];
            csvio_text(w, e->score->iso3);
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
        xcalloc(r->n_peers ? r->n_peers : 1, sizeof *peer_states);
    for (size_t j = 0; j < r->n_peers; j++)
        peer_states[j] = entry(r, r->peers[j])->states;
    compare_findings_build(r->ps->rubric, entry(r, r->focus)->states,
                           peer_states, r->n_peers, 0, f);
    free(peer_states);
}

/* "NLD, LUX" for the peers of finding f. */
static void finding_peers(const struct report *r,
                          const struct compare_finding *f, struct strbuf *out)
{
    strbuf_reset(out);
    for (size_t j = 0; j < f->n_peers; j++)
        strbuf_addf(out, "%s%s", j ? ", " : "",
                    entry(r, r->peers[f->peers[j]])->score->iso3);
}

static void table_findings(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {
        "iso3",  "kind",    "indicator",  "indicator_name", "pillar",  "status",
        "peers", "n_peers", "n_compared", "line",           "evidence"};
    const struct rubric *rb = r->ps->rubric;
    const struct peerset_entry *me = entry(r, r->focus);
    struct compare_findings f;
    struct strbuf peers = STRBUF_INIT;
    findings_build(r, &f);
    csv_header(w, head, sizeof head / sizeof *head);
    csvio_end_row(w);
    for (size_t i = 0; i < f.n_items; i++) {
        const struct compare_finding *fi = &f.items[i];
        const struct store_indicator *ind = me->indicators[fi->indicator];
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
    static const char *const head[] = {
        "iso3",     "country",     "role",      "rubric", "rubric_version",
        "computed", "edition",     "published", "scale",  "published_score",
        "rank",     "rank_method", "source_url"};
    csv_header(w, head, sizeof head / sizeof *head);
    csvio_end_row(w);
    for (size_t i = 0; i < r->refs.n; i++) {
        const struct store_reference *ref = &r->refs.items[i];
        long k = ranked_find(r, ref->iso3);
        if (strcmp(ref->edition, r->edition) != 0 || k < 0 ||
            isnan(published_score(ref)))
            continue;
        const struct peerset_entry *e = entry(r, (size_t)k);
        csvio_text(w, e->score->iso3);
        csvio_text(w, e->score->country);
        csvio_text(w, role_of(r, (size_t)k));
        csvio_text(w, r->ps->set->rubric_name);
        csvio_text(w, r->ps->set->rubric_version);
        csv_num(w, e->scores.overall, 6);
        csvio_text(w, ref->edition);
        csv_num(w, ref->overall, 6);
        csv_num(w, ref->scale, 0);
        csv_num(w, published_score(ref), 6);
        csv_num(w, ref->rank, 0);
        csvio_text(w, ref->rank_method);
        csvio_text(w, ref->source_url);
        csvio_end_row(w);
    }
}

static void table_trend(const struct report *r, struct csvio_writer *w)
{
    static const char *const head[] = {"iso3", "edition_date", "path",
                                       "document_sha256", "overall"};
    const struct rubric *rb = r->ps->rubric;
    csv_header(w, head, sizeof head / sizeof *head);
    for (size_t p = 0; p < rb->n_pillars; p++)
        csvio_text(w, rb->pillars[p].id);
    csvio_end_row(w);
    for (size_t i = 0; i < r->history->n; i++) {
        const struct store_score *sc = &r->history->items[i];
        if (sc->n_pillars != rb->n_pillars)
            continue;
        csvio_text(w, sc->iso3);
        csvio_text(w, sc->edition_date);
        csvio_text(w, sc->path);
        csvio_text(w, sc->sha256);
        csv_num(w, sc->overall, 6);
        for (size_t p = 0; p < rb->n_pillars; p++)
            csv_num(w, sc->pillars[p].score, 6);
        csvio_end_row(w);
    }
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

/* A status with its override: "present (override; computed absent)". */
static void status_text(const struct peerset_entry *e, size_t i,
                        struct strbuf *out)
{
    strbuf_reset(out);
    strbuf_adds(out, cw_state_name(e->states[i]));
    if (e->states[i] != e->computed[i])
        strbuf_addf(out, " (analyst override; computed %s)",
                    cw_state_name(e->computed[i]));
}

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

static const char *rank_text(struct card_text *ct, size_t rank, bool tied,
                             size_t of)
{
    return keepf(ct, "%zu%s of %zu", rank, tied ? "=" : "", of);
}

static const char *const chart_captions[REPORT_N_KINDS] = {
    "Pillar radar: the country against its peers' median",
    "Ranking by overall score; ties share a rank",
    "Pillar scores, clustered by pillar",
    "Indicator status of the country (framed) and its peers",
    "Computed overall scores against published GCI scores",
    "The country's computed scores over its dated documents"};

static void card_findings(struct report *r, const struct compare_findings *f,
                          size_t from, size_t to, struct html_finding *out,
                          struct card_text *ct)
{
    const struct rubric *rb = r->ps->rubric;
    const struct peerset_entry *me = entry(r, r->focus);
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = from; i < to; i++) {
        const struct compare_finding *fi = &f->items[i];
        const struct rubric_indicator *ind = &rb->indicators[fi->indicator];
        const struct store_indicator *si = me->indicators[fi->indicator];
        struct html_finding *h = &out[i - from];
        h->indicator = keepf(ct, "%s %s", ind->id, ind->name);
        h->pillar = rb->pillars[ind->pillar].name;
        status_text(me, fi->indicator, &sb);
        h->status = keep(ct, &sb);
        finding_peers(r, fi, &sb);
        strbuf_addf(&sb, " (%zu of %zu peers compared)", fi->n_peers,
                    fi->n_compared);
        h->peers = keep(ct, &sb);
        h->evidence = si ? si->evidence : NULL;
        h->line = si ? si->line : 0;
    }
    strbuf_release(&sb);
}

int report_card(struct report *r, struct plot_job *job, bool is_rendered,
                const char *const *notes, size_t n_notes, struct cw_error *err)
{
    const struct rubric *rb = r->ps->rubric;
    const struct peerset_entry *me = entry(r, r->focus);
    const struct store_score *sc = me->score;
    const int dec = r->opts.decimals;
    struct card_text ct = {NULL, 0, 0};
    struct html_card c;
    memset(&c, 0, sizeof c);
    struct strbuf sb = STRBUF_INIT, page = STRBUF_INIT;

    c.country = sc->country;
    c.iso3 = sc->iso3;
    strbuf_addf(
        &sb, "Rubric %s; profile dated %s; peers from %s: ", r->rubric.buf,
        sc->edition_date ? sc->edition_date : "(none)", r->peer_source.buf);
    for (size_t j = 0; j < r->n_peers; j++)
        strbuf_addf(&sb, "%s%s", j ? ", " : "",
                    entry(r, r->peers[j])->score->iso3);
    c.subtitle = keep(&ct, &sb);
    c.score = keepf(&ct, "%.*f", dec, me->scores.overall);
    if (me->has_overrides)
        c.score_note = keepf(&ct, "with analyst overrides (computed %.*f)", dec,
                             sc->overall);
    else
        c.score_note =
            keepf(&ct, "%g of %g points", sc->points, sc->max_points);

    /* Ranks among the peers and in the ranking, with their ranges. */
    size_t n_fp = r->n_peers + 1;
    size_t *idx = focus_and_peers(r);
    size_t *rank = xcalloc(n_fp, sizeof *rank),
           *best = xcalloc(n_fp, sizeof *best),
           *worst = xcalloc(n_fp, sizeof *worst);
    rank_entries(r, idx, n_fp, rank, best, worst);
    struct html_kv figures[8];
    size_t n_fig = 0;
    figures[n_fig].key =
        keepf(&ct, "Rank among peers (%s)", compare_ties_name(r->opts.ties));
    figures[n_fig++].value =
        rank_text(&ct, rank[0], is_tied(rank, n_fp, 0), n_fp);
    size_t peer_best = best[0], peer_worst = worst[0];
    free(rank);
    free(best);
    free(worst);
    size_t n_rk = r->n_ranked, me_at = 0;
    rank = xcalloc(n_rk, sizeof *rank);
    best = xcalloc(n_rk, sizeof *best);
    worst = xcalloc(n_rk, sizeof *worst);
    rank_entries(r, r->ranked, n_rk, rank, best, worst);
    for (size_t i = 0; i < n_rk; i++)
        if (r->ranked[i] == r->focus)
            me_at = i;
    figures[n_fig].key = r->opts.group
                             ? keepf(&ct, "Rank in group %s", r->opts.group)
                             : "Rank among all countries";
    figures[n_fig++].value =
        rank_text(&ct, rank[me_at], is_tied(rank, n_rk, me_at), n_rk);
    figures[n_fig].key = "Possible rank among peers";
    figures[n_fig++].value =
        peer_best == peer_worst
            ? keepf(&ct, "%zu whatever the unknowns", peer_best)
            : keepf(&ct, "%zu to %zu", peer_best, peer_worst);
    free(rank);
    free(best);
    free(worst);
    figures[n_fig].key = "Score range";
    figures[n_fig++].value =
        keepf(&ct, "%.*f to %.*f", dec, me->scores.overall_min, dec,
              me->scores.overall_max);
    figures[n_fig].key = "Coverage";
    figures[n_fig++].value = keepf(&ct, "%zu of %zu indicators stated",
                                   me->scores.coverage, me->scores.n_counted);
    struct compare_stat st;
    peer_stat(r, SIZE_MAX, &st);
    best_by(r, &st, &sb);
    figures[n_fig].key = "Peer median / best";
    figures[n_fig++].value =
        keepf(&ct, "%.*f / %.*f %s", dec, st.median, dec, st.best, sb.buf);
    c.figures = figures;
    c.n_figures = n_fig;

    struct html_pillar *pillars =
        xcalloc(rb->n_pillars ? rb->n_pillars : 1, sizeof *pillars);
    for (size_t p = 0; p < rb->n_pillars; p++) {
        peer_stat(r, p, &st);
        best_by(r, &st, &sb);
        pillars[p].name = rb->pillars[p].name;
        pillars[p].score = me->scores.pillars[p];
        pillars[p].median = st.n ? st.median : NAN;
        pillars[p].best = st.n ? st.best : NAN;
        pillars[p].best_by = keep(&ct, &sb);
        pillars[p].in_overall = rb->pillars[p].in_overall;
    }
    c.pillars = pillars;
    c.n_pillars = rb->n_pillars;
    c.decimals = dec;

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
        sc->country, sc->country);
    compare_findings_release(&f);

    struct html_indicator *inds =
        xcalloc(rb->n_indicators ? rb->n_indicators : 1, sizeof *inds);
    for (size_t i = 0; i < rb->n_indicators; i++) {
        const struct store_indicator *si = me->indicators[i];
        inds[i].id = rb->indicators[i].id;
        inds[i].name = rb->indicators[i].name;
        inds[i].pillar = rb->pillars[rb->indicators[i].pillar].name;
        status_text(me, i, &sb);
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
            keepf(&ct, "%s chart for %s", kind_names[k], sc->country);
        n_charts++;
    }
    c.charts = charts;
    c.n_charts = n_charts;
    c.is_rendered = is_rendered;
    c.notes = notes;
    c.n_notes = n_notes;

    struct html_kv prov[16];
    size_t n_prov = 0;
    prov[n_prov].key = "Rubric";
    prov[n_prov++].value = r->rubric.buf;
    prov[n_prov].key = "Rubric SHA-256";
    prov[n_prov++].value = r->ps->set->rubric_sha256;
    prov[n_prov].key = "Profile";
    prov[n_prov++].value = sc->path;
    prov[n_prov].key = "Profile SHA-256";
    prov[n_prov++].value = sc->sha256;
    prov[n_prov].key = "Profile date";
    prov[n_prov++].value = sc->edition_date ? sc->edition_date : "(none)";
    prov[n_prov].key = "Stored";
    prov[n_prov++].value = sc->ingested_at;
    prov[n_prov].key = "Peers";
    strbuf_reset(&sb);
    for (size_t j = 0; j < r->n_peers; j++) {
        const struct store_score *ps = entry(r, r->peers[j])->score;
        strbuf_addf(&sb, "%s%s %s", j ? "; " : "", ps->iso3, ps->sha256);
    }
    prov[n_prov++].value = keep(&ct, &sb);
    prov[n_prov].key = "Ranks";
    prov[n_prov++].value = keepf(&ct, "%s ties at %d decimals",
                                 compare_ties_name(r->opts.ties), dec);
    prov[n_prov].key = "Analyst overrides";
    prov[n_prov++].value =
        r->opts.is_computed ? "ignored (--no-overrides)" : "applied";
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
    free(idx);
    free(pillars);
    free(fs);
    free(inds);
    strbuf_release(&sb);
    strbuf_release(&page);
    card_text_release(&ct);
    return rc;
}
