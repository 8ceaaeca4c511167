/* The read side's one model: load once, apply overrides once, score, rank. */
#include "core/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/arena.h"
#include "util/xalloc.h"

#include "util/banned.h"

struct model {
    enum compare_ties ties;
    int decimals;
    bool is_computed, include_incomplete;
    struct rubric *rubric; /* owned, parsed from the stored content */
    int64_t rubric_id;
    char *rubric_name, *rubric_version; /* owned */
    char *as_of;                        /* owned: o->as_of, or NULL */
    char rubric_sha256[65];
    struct strbuf label;         /* model_label_of */
    struct arena arena;          /* entry arrays, published figures */
    struct model_entry *entries; /* owned, by iso3 */
    size_t n, cap;
    size_t *ranked, n_ranked;     /* owned, best first */
    size_t *unranked, n_unranked; /* owned */
    bool *is_tied;                /* owned, by entry */
    size_t n_counted, min_coverage;
    struct store_overrides overrides;       /* owned */
    char *edition;                          /* owned, or NULL */
    struct store_references refs;           /* owned: the edition's rows */
    const struct store_reference **by_iso3; /* owned array: refs by iso3 */
    int pub_decimals;
    double pub_scale;
    /* while loading */
    model_doc_fn fn;
    void *ctx;
};

const struct rubric *model_rubric(const struct model *m)
{
    return m->rubric;
}

enum compare_ties model_ties(const struct model *m)
{
    return m->ties;
}

int model_decimals(const struct model *m)
{
    return m->decimals;
}

bool model_is_computed(const struct model *m)
{
    return m->is_computed;
}

bool model_includes_incomplete(const struct model *m)
{
    return m->include_incomplete;
}

const char *model_rubric_name(const struct model *m)
{
    return m->rubric_name;
}

const char *model_rubric_version(const struct model *m)
{
    return m->rubric_version;
}

const char *model_rubric_sha256(const struct model *m)
{
    return m->rubric_sha256;
}

const char *model_as_of(const struct model *m)
{
    return m->as_of;
}

const char *model_rubric_label(const struct model *m)
{
    return m->label.buf;
}

void model_label_of(const char *name, const char *version, const char *sha256,
                    struct strbuf *out)
{
    strbuf_addf(out, "%s %s sha256:%.*s", name, version, MODEL_SHORT_HASH,
                sha256);
}

size_t model_count(const struct model *m)
{
    return m->n;
}

const struct model_entry *model_entry(const struct model *m, size_t k)
{
    return &m->entries[k];
}

long model_find(const struct model *m, const char *iso3)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) { /* entries are sorted by iso3 */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcasecmp(m->entries[mid].iso3, iso3);
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const size_t *model_ranked(const struct model *m, size_t *n)
{
    *n = m->n_ranked;
    return m->ranked;
}

const size_t *model_unranked(const struct model *m, size_t *n)
{
    *n = m->n_unranked;
    return m->unranked;
}

size_t model_n_counted(const struct model *m)
{
    return m->n_counted;
}

size_t model_min_coverage(const struct model *m)
{
    return m->min_coverage;
}

const struct store_overrides *model_overrides(const struct model *m)
{
    return &m->overrides;
}

const char *model_edition(const struct model *m)
{
    return m->edition;
}

int model_published_decimals(const struct model *m)
{
    return m->pub_decimals;
}

double model_published_scale(const struct model *m)
{
    return m->pub_scale;
}

const struct store_references *model_references(const struct model *m)
{
    return &m->refs;
}

/* ---- loading ------------------------------------------------------------ */

/* Parse the stored content of the rubric q names (fills the model's
 * rubric fields). */
static int load_rubric(struct model *m, struct store *s,
                       const struct model_opts *o, struct cw_error *err)
{
    struct store_rubric sr = {0};
    int rc = store_rubric_find(s, o->rubric, o->version, &sr, err);
    if (rc)
        return rc;
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    m->rubric = rubric_parse(sr.path ? sr.path : sr.name, sr.content,
                             sr.content_len, errs);
    if (!m->rubric)
        rc = cw_errorf(err, CW_ERR_PARSE, CW_LOC_NONE,
                       "stored rubric '%s' %s does not load: %s", sr.name,
                       sr.version, errs->n ? errs->e[0].msg : "unknown error");
    free(errs);
    m->rubric_id = sr.id;
    m->rubric_name = sr.name;
    m->rubric_version = sr.version;
    sr.name = sr.version = NULL;
    memcpy(m->rubric_sha256, sr.sha256, sizeof m->rubric_sha256);
    model_label_of(m->rubric_name, m->rubric_version, m->rubric_sha256,
                   &m->label);
    store_rubric_release(&sr);
    return rc;
}

static int cmp_ref_iso3(const void *a, const void *b)
{
    const struct store_reference *x = *(const struct store_reference *const *)a;
    const struct store_reference *y = *(const struct store_reference *const *)b;
    return strcmp(x->iso3, y->iso3);
}

/* The digits the overall values of refs are published with (at most 6). */
static int published_decimals(const struct store_references *refs)
{
    int d = 0;
    for (size_t i = 0; i < refs->n; i++) {
        double v = refs->items[i].overall;
        if (isnan(v))
            continue;
        while (d < 6) {
            double q = v * pow(10, d);
            if (fabs(q - floor(q + 0.5)) < 1e-6)
                break;
            d++;
        }
    }
    return d;
}

/* The published rows of the edition to compare with. */
static int load_references(struct model *m, struct store *s,
                           const struct model_opts *o, struct cw_error *err)
{
    const char *ed = o->edition ? o->edition : m->rubric->edition;
    m->pub_scale = 1;
    if (!ed)
        return CW_OK;
    m->edition = xstrdup(ed);
    int rc = store_references_get(s, ed, NULL, &m->refs, err);
    if (rc)
        return rc;
    // an array of pointers, one per row (not of structs)
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    m->by_iso3 = xcalloc(m->refs.n + 1, sizeof *m->by_iso3);
    for (size_t i = 0; i < m->refs.n; i++)
        m->by_iso3[i] = &m->refs.items[i];
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    qsort(m->by_iso3, m->refs.n, sizeof *m->by_iso3, cmp_ref_iso3);
    m->pub_decimals = published_decimals(&m->refs);
    for (size_t i = 0; i < m->refs.n; i++) {
        const struct store_reference *r = &m->refs.items[i];
        if (!isnan(r->scale) && r->scale > 0) {
            m->pub_scale = r->scale;
            break;
        }
        if (!isnan(r->overall) && r->overall > 1)
            m->pub_scale = 100;
    }
    return CW_OK;
}

static const struct store_reference *find_reference(const struct model *m,
                                                    const char *iso3)
{
    size_t lo = 0, hi = m->refs.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->by_iso3[mid]->iso3, iso3);
        if (!c)
            return m->by_iso3[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The stored indicator of rubric indicator i, or NULL. */
const struct store_indicator *
model_indicator(const struct model *m, const struct store_score *sc, size_t i)
{
    const char *id = m->rubric->indicators[i].id;
    if (i < sc->n_indicators && !strcmp(sc->indicators[i].id, id))
        return &sc->indicators[i];
    for (size_t k = 0; k < sc->n_indicators; k++)
        if (!strcmp(sc->indicators[k].id, id))
            return &sc->indicators[k];
    return NULL;
}

/* The first override of iso3 (the list is sorted by iso3), or n. */
static size_t first_override(const struct model *m, const char *iso3)
{
    size_t lo = 0, hi = m->overrides.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(m->overrides.items[mid].iso3, iso3) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* One block holding the strings of an entry. */
static void pack_strings(struct model_entry *e, const struct store_score *sc)
{
    const char *src[5] = {sc->country ? sc->country : "", sc->path, sc->title,
                          sc->edition_date, sc->ingested_at};
    size_t len = 0;
    for (size_t i = 0; i < 5; i++)
        len += src[i] ? strlen(src[i]) + 1 : 0;
    free(e->strings);
    e->strings = xmalloc(len ? len : 1);
    char *p = e->strings;
    const char **dst[5] = {&e->country, &e->path, &e->title, &e->edition_date,
                           &e->ingested_at};
    for (size_t i = 0; i < 5; i++) {
        *dst[i] = NULL;
        if (!src[i])
            continue;
        size_t n = strlen(src[i]) + 1;
        memcpy(p, src[i], n);
        *dst[i] = p;
        p += n;
    }
    if (!e->path)
        e->path = "";
    if (!e->ingested_at)
        e->ingested_at = "";
}

/*
 * Turn a stored row into an entry: statuses parsed once, the overrides
 * applied, the scores computed. Arrays come from a (reused when e already
 * has them).
 */
static int entry_fill(const struct model *m, struct arena *a,
                      const struct store_score *sc, struct model_entry *e,
                      struct cw_error *err)
{
    const struct rubric *r = m->rubric;
    size_t n = r->n_indicators, np = r->n_pillars;
    if (!e->states) {
        e->states = arena_calloc(a, n + 1, sizeof *e->states);
        e->computed = arena_calloc(a, n + 1, sizeof *e->computed);
        e->scores.pillars = arena_calloc(a, np + 1, sizeof(double));
        e->scores.pillar_min = arena_calloc(a, np + 1, sizeof(double));
        e->scores.pillar_max = arena_calloc(a, np + 1, sizeof(double));
        e->scores.pillar_stated = arena_calloc(a, np + 1, sizeof(size_t));
    }
    e->doc_id = sc->doc_id;
    memcpy(e->iso3, sc->iso3, sizeof e->iso3);
    memcpy(e->sha256, sc->sha256, sizeof e->sha256);
    pack_strings(e, sc);
    for (size_t i = 0; i < n; i++) {
        const struct store_indicator *ind = model_indicator(m, sc, i);
        if (!ind)
            return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                             "stored result of '%s' has no indicator '%s' "
                             "of rubric '%s'",
                             sc->iso3, r->indicators[i].id, r->name);
        if (!cw_state_parse(ind->status, &e->computed[i]))
            return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                             "stored result of '%s' has an unknown status "
                             "'%s' for indicator '%s'",
                             sc->iso3, ind->status, r->indicators[i].id);
        e->states[i] = e->computed[i];
    }
    /* The overrides: sorted by iso3, indicator, id, so the last one of an
     * indicator is its newest. */
    e->has_overrides = false;
    e->overrides = NULL;
    for (size_t k = first_override(m, sc->iso3);
         !m->is_computed && k < m->overrides.n &&
         !strcmp(m->overrides.items[k].iso3, sc->iso3);
         k++) {
        const struct store_override *o = &m->overrides.items[k];
        long i = rubric_find_indicator(r, o->indicator);
        enum cw_state st;
        if (i < 0)
            continue;
        if (!cw_state_parse(o->status, &st))
            return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                             "override of '%s' has an unknown status '%s' "
                             "for indicator '%s'",
                             o->iso3, o->status, o->indicator);
        if (!e->overrides)
            // an array of pointers, one per indicator (not of structs)
            // NOLINTNEXTLINE(bugprone-sizeof-expression)
            e->overrides = arena_calloc(a, n + 1, sizeof *e->overrides);
        e->overrides[i] = o;
        e->states[i] = st;
        e->has_overrides = true;
    }
    compare_scores_build(r, e->states, &e->scores);
    for (size_t p = 0; p < np; p++)
        if (!e->scores.pillar_stated[p])
            e->scores.pillars[p] = NAN;
    if (!e->scores.coverage)
        e->scores.overall = NAN;
    e->is_ranked = false;
    e->rank = e->rank_best = e->rank_worst = 0;
    e->published = NULL;
    const struct store_reference *ref =
        m->edition ? find_reference(m, sc->iso3) : NULL;
    if (ref && !isnan(ref->overall)) {
        struct model_published *p = arena_calloc(a, 1, sizeof *p);
        p->row = ref;
        p->scale = m->pub_scale;
        p->value = ref->overall / m->pub_scale;
        e->published = p;
    }
    return CW_OK;
}

/* Keep each country's last streamed document (its latest) as its entry. */
static int on_score(void *ctx, const struct store_scores *head,
                    struct store_score *sc, struct cw_error *err)
{
    struct model *m = ctx;
    if (head->rubric_id != m->rubric_id)
        CW_BUG("scores of rubric %lld streamed for rubric %lld",
               (long long)head->rubric_id, (long long)m->rubric_id);
    struct model_entry *e = NULL;
    if (m->n && !strcmp(m->entries[m->n - 1].iso3, sc->iso3)) {
        e = &m->entries[m->n - 1]; /* a later version: replaces it */
    } else {
        CW_GROW(m->entries, m->n + 1, m->cap);
        e = &m->entries[m->n++];
        memset(e, 0, sizeof *e);
    }
    int rc = entry_fill(m, &m->arena, sc, e, err);
    if (!rc && m->fn)
        rc = m->fn(m->ctx, m, e, sc, err);
    return rc;
}

struct unranked_at {
    size_t coverage, entry;
};

/* Highest coverage first, then iso3 (the entries' order). */
static int cmp_unranked(const void *a, const void *b)
{
    const struct unranked_at *x = a, *y = b;
    if (x->coverage != y->coverage)
        return x->coverage > y->coverage ? -1 : 1;
    return (x->entry > y->entry) - (x->entry < y->entry);
}

static void sort_unranked(const struct model *m, size_t *idx, size_t n)
{
    struct unranked_at *u = xmalloc((n ? n : 1) * sizeof *u);
    for (size_t i = 0; i < n; i++) {
        u[i].coverage = m->entries[idx[i]].scores.coverage;
        u[i].entry = idx[i];
    }
    qsort(u, n, sizeof *u, cmp_unranked);
    for (size_t i = 0; i < n; i++)
        idx[i] = u[i].entry;
    free(u);
}

static bool is_rankable(const struct model *m, const struct model_entry *e)
{
    if (isnan(e->scores.overall))
        return false;
    return m->include_incomplete || e->scores.coverage >= m->min_coverage;
}

/* Which entries are ranked, their ranks and ranges, and the two lists. */
static void rank_all(struct model *m)
{
    size_t n = m->n, n_r = 0;
    size_t *idx = xmalloc((n ? n : 1) * sizeof *idx);
    m->unranked = xmalloc((n ? n : 1) * sizeof *m->unranked);
    m->is_tied = xcalloc(n ? n : 1, sizeof *m->is_tied);
    for (size_t k = 0; k < n; k++) {
        m->entries[k].is_ranked = is_rankable(m, &m->entries[k]);
        if (m->entries[k].is_ranked)
            idx[n_r++] = k;
        else
            m->unranked[m->n_unranked++] = k;
    }
    size_t *rank = xmalloc((n_r ? n_r : 1) * sizeof *rank);
    size_t *best = xmalloc((n_r ? n_r : 1) * sizeof *best);
    size_t *worst = xmalloc((n_r ? n_r : 1) * sizeof *worst);
    size_t *order = xmalloc((n_r ? n_r : 1) * sizeof *order);
    size_t dummy;
    model_rank_subset(m, idx, n_r, rank, best, worst, &dummy);
    double *v = xmalloc((n_r ? n_r : 1) * sizeof *v);
    for (size_t i = 0; i < n_r; i++) {
        struct model_entry *e = &m->entries[idx[i]];
        e->rank = rank[i];
        e->rank_best = best[i];
        e->rank_worst = worst[i];
        v[i] = e->scores.overall;
    }
    compare_order(v, n_r, m->decimals, order);
    m->ranked = xmalloc((n_r ? n_r : 1) * sizeof *m->ranked);
    for (size_t i = 0; i < n_r; i++)
        m->ranked[i] = idx[order[i]];
    m->n_ranked = n_r;
    for (size_t i = 0; i + 1 < n_r; i++)
        if (m->entries[m->ranked[i]].rank == m->entries[m->ranked[i + 1]].rank)
            m->is_tied[m->ranked[i]] = m->is_tied[m->ranked[i + 1]] = true;
    sort_unranked(m, m->unranked, m->n_unranked);
    free(v);
    free(idx);
    free(rank);
    free(best);
    free(worst);
    free(order);
}

struct model *model_load(struct store *s, const struct model_opts *o,
                         model_doc_fn fn, void *ctx, struct cw_error *err)
{
    struct model *m = xcalloc(1, sizeof *m);
    m->ties = o->ties;
    m->decimals = o->decimals;
    m->is_computed = o->is_computed;
    m->include_incomplete = o->include_incomplete;
    m->fn = fn;
    m->ctx = ctx;
    strbuf_init(&m->label);
    arena_init(&m->arena);
    if (load_rubric(m, s, o, err))
        goto fail;
    const struct rubric *r = m->rubric;
    for (size_t i = 0; i < r->n_indicators; i++)
        m->n_counted += r->pillars[r->indicators[i].pillar].in_overall;
    m->min_coverage =
        r->min_coverage == RUBRIC_COVERAGE_ALL || r->min_coverage > m->n_counted
            ? m->n_counted
            : r->min_coverage;
    /* listed even when not applied (export's overrides.csv) */
    if (store_overrides_get(s, NULL, &m->overrides, err))
        goto fail;
    if (load_references(m, s, o, err))
        goto fail;
    struct store_query q = STORE_QUERY_INIT;
    q.rubric = m->rubric_name;
    q.version = m->rubric_version;
    q.group = o->group;
    q.as_of = o->as_of;
    m->as_of = o->as_of ? xstrdup(o->as_of) : NULL;
    q.is_all_versions = o->is_all_versions;
    q.is_brief = !o->has_evidence;
    if (store_scores_each(s, &q, on_score, m, err))
        goto fail;
    m->fn = NULL;
    m->ctx = NULL;
    rank_all(m);
    return m;
fail:
    model_free(m);
    return NULL;
}

void model_free(struct model *m)
{
    if (!m)
        return;
    for (size_t k = 0; k < m->n; k++)
        free(m->entries[k].strings);
    free(m->entries);
    free(m->ranked);
    free(m->unranked);
    free(m->is_tied);
    store_overrides_release(&m->overrides);
    store_references_release(&m->refs);
    free(m->by_iso3);
    free(m->edition);
    rubric_free(m->rubric);
    free(m->rubric_name);
    free(m->rubric_version);
    free(m->as_of);
    strbuf_release(&m->label);
    arena_release(&m->arena);
    free(m);
}

/* ---- figures of one entry ----------------------------------------------- */

double model_value(const struct model *m, const struct model_entry *e,
                   size_t m_id)
{
    return m_id < m->rubric->n_pillars ? e->scores.pillars[m_id]
                                       : e->scores.overall;
}

bool model_has_basis(const struct model *m, const struct model_entry *e,
                     size_t m_id)
{
    if (m_id >= m->rubric->n_pillars)
        return e->is_ranked;
    size_t stated, of;
    model_coverage(m, e, m_id, &stated, &of);
    if (!stated)
        return false;
    /* no more unresolved than a ranked document may leave */
    return m->include_incomplete ||
           of - stated <= m->n_counted - m->min_coverage;
}

void model_coverage(const struct model *m, const struct model_entry *e,
                    size_t m_id, size_t *stated, size_t *of)
{
    const struct rubric *r = m->rubric;
    if (m_id >= r->n_pillars) {
        *stated = e->scores.coverage;
        *of = e->scores.n_counted;
        return;
    }
    *stated = e->scores.pillar_stated[m_id];
    *of = 0;
    for (size_t i = 0; i < r->n_indicators; i++)
        *of += r->indicators[i].pillar == m_id;
}

void model_value_text(const struct model *m, const struct model_entry *e,
                      size_t m_id, struct strbuf *out)
{
    size_t k, n;
    double v = model_value(m, e, m_id);
    precision_score(out, v, m->decimals);
    model_coverage(m, e, m_id, &k, &n);
    if (!isnan(v) && k < n)
        strbuf_addf(out, " (%zu/%zu)", k, n);
}

void model_place_text(const struct model *m, const struct model_entry *e,
                      struct strbuf *out)
{
    if (e->is_ranked) {
        strbuf_addf(out, "rank %zu%s", e->rank,
                    m->is_tied[e - m->entries] ? "=" : "");
        return;
    }
    strbuf_addf(out, "not ranked: coverage %zu of %zu", e->scores.coverage,
                e->scores.n_counted);
}

void model_range_text(const struct model *m, const struct model_entry *e,
                      struct strbuf *out)
{
    (void)m;
    if (!e->is_ranked)
        strbuf_adds(out, "-");
    else if (e->rank_best == e->rank_worst)
        strbuf_addf(out, "%zu", e->rank_best);
    else
        strbuf_addf(out, "%zu-%zu", e->rank_best, e->rank_worst);
}

bool model_is_tied(const struct model *m, const struct model_entry *e)
{
    return m->is_tied[e - m->entries];
}

void model_status_text(const struct model *m, const struct model_entry *e,
                       size_t i, enum model_status_form form,
                       struct strbuf *out)
{
    (void)m;
    const struct store_override *o = e->overrides ? e->overrides[i] : NULL;
    strbuf_adds(out, cw_state_name(e->states[i]));
    if (!o || form == MODEL_STATUS_PLAIN)
        return;
    if (form == MODEL_STATUS_MARK) {
        strbuf_addch(out, '*');
        return;
    }
    strbuf_addf(out, " (override; computed %s", cw_state_name(e->computed[i]));
    if (form == MODEL_STATUS_LONG)
        strbuf_addf(out, "; by %s on %s: %s", *o->author ? o->author : "?",
                    *o->date ? o->date : "?", o->reason);
    strbuf_addch(out, ')');
}

/* ---- subsets ------------------------------------------------------------ */

void model_rank_subset(const struct model *m, const size_t *idx, size_t n,
                       size_t *rank, size_t *best, size_t *worst,
                       size_t *n_ranked)
{
    size_t n_r = 0, *at = xmalloc((n ? n : 1) * sizeof *at);
    double *v = xmalloc((n ? n : 1) * sizeof *v);
    double *lo = xmalloc((n ? n : 1) * sizeof *lo);
    double *hi = xmalloc((n ? n : 1) * sizeof *hi);
    for (size_t i = 0; i < n; i++) {
        const struct model_entry *e = &m->entries[idx[i]];
        rank[i] = best[i] = worst[i] = 0;
        if (!is_rankable(m, e))
            continue;
        at[n_r] = i;
        v[n_r] = e->scores.overall;
        lo[n_r] = e->scores.overall_min;
        hi[n_r] = e->scores.overall_max;
        n_r++;
    }
    size_t *r = xmalloc((n_r ? n_r : 1) * sizeof *r);
    size_t *b = xmalloc((n_r ? n_r : 1) * sizeof *b);
    size_t *w = xmalloc((n_r ? n_r : 1) * sizeof *w);
    compare_rank(v, n_r, m->decimals, m->ties, r);
    compare_rank_range(v, lo, hi, n_r, m->decimals, m->ties, b, w);
    for (size_t k = 0; k < n_r; k++) {
        rank[at[k]] = r[k];
        best[at[k]] = b[k];
        worst[at[k]] = w[k];
    }
    *n_ranked = n_r;
    free(at);
    free(v);
    free(lo);
    free(hi);
    free(r);
    free(b);
    free(w);
}

void model_stats(const struct model *m, const size_t *idx, size_t n,
                 size_t m_id, struct compare_stat *out)
{
    double *v = xmalloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        const struct model_entry *e = &m->entries[idx[i]];
        v[i] = model_has_basis(m, e, m_id) ? model_value(m, e, m_id) : NAN;
    }
    compare_stats(v, n, m->decimals, out);
    free(v);
}

/* ---- peers -------------------------------------------------------------- */

int model_missing(const struct model *m, struct store *s, const char *iso3,
                  const char *role, struct cw_error *err)
{
    struct store_country c = {{0}, NULL, NULL, 0};
    int rc = store_country_get(s, iso3, &c, err);
    if (rc == CW_ERR_NOTFOUND)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE, "unknown %s '%s'",
                         role, iso3);
    if (rc)
        return rc;
    rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                   "%s '%s' (%s) has no document scored under rubric '%s' "
                   "in the database",
                   role, iso3, c.name ? c.name : "?", m->rubric_name);
    free(c.name);
    free(c.region);
    return rc;
}

static void add_peer(size_t **arr, size_t *n, size_t *cap, size_t k)
{
    for (size_t i = 0; i < *n; i++)
        if ((*arr)[i] == k)
            return;
    CW_GROW(*arr, *n + 1, *cap);
    (*arr)[(*n)++] = k;
}

/* Members of group with an entry, other than self. */
static int add_group(const struct model *m, struct store *s, size_t self,
                     const char *group, size_t **arr, size_t *n, size_t *cap,
                     struct cw_error *err)
{
    struct store_strings members = {NULL, 0};
    int rc = store_group_members(s, group, &members, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < members.n; i++) {
        long k = model_find(m, members.items[i]);
        if (k >= 0 && (size_t)k != self)
            add_peer(arr, n, cap, (size_t)k);
    }
    store_strings_release(&members);
    return CW_OK;
}

static int cmp_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int peers_from_list(const struct model *m, struct store *s, size_t self,
                           const char *list, size_t **arr, size_t *n,
                           size_t *cap, struct cw_error *err)
{
    size_t n_codes = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        char iso3[4];
        bool ok = len == 3;
        for (size_t i = 0; ok && i < 3; i++) {
            char c = p[i];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            ok = c >= 'A' && c <= 'Z';
            iso3[i] = c;
        }
        iso3[3] = '\0';
        if (!ok)
            return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                             "--peers takes ISO3 codes separated by commas, "
                             "not '%.*s'",
                             (int)(len > 40 ? 40 : len), p);
        if (++n_codes > MODEL_PEERS_MAX_LIST)
            return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                             "--peers lists more than %d codes",
                             MODEL_PEERS_MAX_LIST);
        long k = model_find(m, iso3);
        if (k < 0)
            return model_missing(m, s, iso3, "peer", err);
        if ((size_t)k == self)
            return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                             "--peers lists %s itself", iso3);
        add_peer(arr, n, cap, (size_t)k);
        p += len;
        if (*p == ',')
            p++;
    }
    return CW_OK;
}

int model_choose_peers(const struct model *m, struct store *s, size_t self,
                       const char *list, const char *group,
                       struct model_peers *out, struct cw_error *err)
{
    size_t *arr = NULL, n = 0, cap = 0;
    const char *iso3 = m->entries[self].iso3;
    int rc = CW_OK;
    memset(out, 0, sizeof *out);
    out->group = group;
    if (list) {
        out->from = MODEL_PEERS_LIST;
        rc = peers_from_list(m, s, self, list, &arr, &n, &cap, err);
    } else if (group) {
        out->from = MODEL_PEERS_GROUP;
        rc = add_group(m, s, self, group, &arr, &n, &cap, err);
        if (!rc && !n)
            rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                           "group '%s' has no country other than %s with "
                           "scores under rubric '%s'",
                           group, iso3, m->rubric_name);
    } else {
        out->from = MODEL_PEERS_GROUPS;
        rc = store_country_groups(s, iso3, &out->groups, err);
        for (size_t g = 0; !rc && g < out->groups.n; g++)
            rc = add_group(m, s, self, out->groups.items[g], &arr, &n, &cap,
                           err);
        if (!rc && !n)
            rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                           "no peer for %s: %s; name peers with --peers or "
                           "--group",
                           iso3,
                           out->groups.n
                               ? "no other member of its groups has scores"
                               : "it belongs to no group");
    }
    if (rc) {
        free(arr);
        model_peers_release(out);
        return rc;
    }
    if (!list && n > 1)
        qsort(arr, n, sizeof *arr, cmp_index);
    out->idx = arr;
    out->n = n;
    return CW_OK;
}

void model_peers_release(struct model_peers *p)
{
    free(p->idx);
    p->idx = NULL;
    p->n = 0;
    store_strings_release(&p->groups);
}

void model_peers_source(const struct model_peers *p, struct strbuf *out)
{
    if (p->from == MODEL_PEERS_LIST) {
        strbuf_adds(out, "--peers");
        return;
    }
    if (p->from == MODEL_PEERS_GROUP) {
        strbuf_addf(out, "group %s", p->group);
        return;
    }
    strbuf_adds(out, p->groups.n == 1 ? "group " : "groups ");
    for (size_t g = 0; g < p->groups.n; g++)
        strbuf_addf(out, "%s%s", g ? ", " : "", p->groups.items[g]);
}

/* ---- details, history, overrides ---------------------------------------- */

struct store_scores *model_details(const struct model *m, struct store *s,
                                   size_t k, struct cw_error *err)
{
    const struct model_entry *e = &m->entries[k];
    struct store_query q = STORE_QUERY_INIT;
    q.rubric = m->rubric_name;
    q.version = m->rubric_version;
    q.iso3 = e->iso3;
    q.is_all_versions = true;
    struct store_scores *set = store_scores_get(s, &q, err);
    if (!set)
        return NULL;
    /* keep the entry's document only */
    size_t at = set->n;
    for (size_t i = 0; i < set->n; i++)
        if (set->items[i].doc_id == e->doc_id)
            at = i;
    if (at == set->n) {
        store_scores_free(set);
        cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                  "the document of '%s' is no longer in the database", e->iso3);
        return NULL;
    }
    if (at) {
        struct store_score t = set->items[0];
        set->items[0] = set->items[at];
        set->items[at] = t;
    }
    return set;
}

struct history_load {
    const struct model *m;
    struct model_history *h;
    size_t cap;
};

static int on_history(void *ctx, const struct store_scores *head,
                      struct store_score *sc, struct cw_error *err)
{
    struct history_load *hl = ctx;
    (void)head;
    if (!sc->edition_date || !*sc->edition_date)
        return CW_OK;
    CW_GROW(hl->h->items, hl->h->n + 1, hl->cap);
    struct model_entry *e = &hl->h->items[hl->h->n++];
    memset(e, 0, sizeof *e);
    return entry_fill(hl->m, &hl->h->arena, sc, e, err);
}

int model_history_load(const struct model *m, struct store *s, const char *iso3,
                       struct model_history *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->arena);
    struct store_query q = STORE_QUERY_INIT;
    q.rubric = m->rubric_name;
    q.version = m->rubric_version;
    q.iso3 = iso3;
    q.is_all_versions = true;
    q.is_brief = true;
    struct history_load hl = {m, out, 0};
    int rc = store_scores_each(s, &q, on_history, &hl, err);
    if (rc)
        model_history_release(out);
    return rc;
}

void model_history_release(struct model_history *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->items[i].strings);
    free(h->items);
    arena_release(&h->arena);
    memset(h, 0, sizeof *h);
}

const struct model_entry *model_override_entry(const struct model *m,
                                               const struct store_override *o,
                                               size_t *indicator)
{
    long k = model_find(m, o->iso3);
    long i = rubric_find_indicator(m->rubric, o->indicator);
    if (k < 0 || i < 0)
        return NULL;
    const struct model_entry *e = &m->entries[k];
    if (!e->overrides || !e->overrides[i])
        return NULL;
    *indicator = (size_t)i;
    return e;
}

/* ---- published figures -------------------------------------------------- */

void model_edition_text(const struct model *m, struct strbuf *out)
{
    const char *own = m->rubric->edition;
    if (!m->edition) {
        strbuf_addf(out,
                    "none: rubric %s declares no published edition with its "
                    "structure (option edition); name one with --edition",
                    m->rubric_name);
        return;
    }
    strbuf_addf(out, "GCI %s ", m->edition);
    if (own && !strcmp(own, m->edition))
        strbuf_addf(out, "(the edition with the structure of rubric %s)",
                    m->rubric_name);
    else if (own)
        strbuf_addf(out,
                    "(asked for; rubric %s has the structure of GCI %s, not "
                    "of this edition)",
                    m->rubric_name, own);
    else
        strbuf_addf(out,
                    "(asked for; rubric %s declares no published edition "
                    "with its structure)",
                    m->rubric_name);
}

struct diff_at {
    size_t entry;
    double d;
};

static int cmp_diff_at(const void *a, const void *b)
{
    const struct diff_at *x = a, *y = b;
    double ax = fabs(x->d), ay = fabs(y->d);
    if (ax != ay)
        return ax < ay ? 1 : -1;
    return (x->entry > y->entry) - (x->entry < y->entry);
}

void model_agreement_build(const struct model *m, struct model_agreement *out)
{
    memset(out, 0, sizeof *out);
    struct diff_at *d = xmalloc((m->n ? m->n : 1) * sizeof *d);
    size_t n = 0;
    for (size_t k = 0; k < m->n; k++) {
        const struct model_entry *e = &m->entries[k];
        if (!e->published)
            continue;
        if (!e->is_ranked) {
            out->n_left_out++;
            continue;
        }
        d[n].entry = k;
        d[n].d = e->scores.overall - e->published->value;
        n++;
    }
    qsort(d, n, sizeof *d, cmp_diff_at);
    out->n = n;
    out->entries = xmalloc((n ? n : 1) * sizeof *out->entries);
    out->diffs = xmalloc((n ? n : 1) * sizeof *out->diffs);
    double *x = xmalloc((n ? n : 1) * sizeof *x);
    double *y = xmalloc((n ? n : 1) * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        const struct model_entry *e = &m->entries[d[i].entry];
        out->entries[i] = d[i].entry;
        out->diffs[i] = d[i].d;
        x[i] = e->scores.overall;
        y[i] = e->published->value;
    }
    compare_agreement(x, y, n, m->pub_scale, m->pub_decimals, &out->stats);
    free(d);
    free(x);
    free(y);
}

void model_agreement_release(struct model_agreement *a)
{
    free(a->entries);
    free(a->diffs);
    memset(a, 0, sizeof *a);
}

/* A published pillar score matching rubric pillar id, or NAN. */
static double published_pillar(const struct store_reference *r, const char *id)
{
    if (!strcmp(id, "legal"))
        return r->legal;
    if (!strcmp(id, "technical"))
        return r->technical;
    if (!strcmp(id, "organizational"))
        return r->organizational;
    if (!strcmp(id, "capacity") || !strcmp(id, "capacity_building"))
        return r->capacity_building;
    if (!strcmp(id, "cooperation"))
        return r->cooperation;
    return NAN;
}

/* Append the ids of e's indicators in the overall whose status is in
 * `set` (a bit per enum cw_state); returns how many. */
static size_t list_indicators(const struct model *m,
                              const struct model_entry *e, unsigned set,
                              struct strbuf *out)
{
    const struct rubric *r = m->rubric;
    size_t n = 0;
    for (size_t i = 0; i < r->n_indicators; i++) {
        if (!r->pillars[r->indicators[i].pillar].in_overall ||
            !(set & (1u << e->states[i])))
            continue;
        strbuf_addf(out, "%s%s", n ? " " : "", r->indicators[i].id);
        n++;
    }
    return n;
}

void model_difference_text(const struct model *m, const struct model_entry *e,
                           double d, struct strbuf *out)
{
    const struct rubric *r = m->rubric;
    size_t mark = out->len;
    if (d > 0) {
        strbuf_adds(out, "credited in the profile (present or partial): ");
        if (!list_indicators(m, e, 1u << CW_PRESENT | 1u << CW_PARTIAL, out))
            strbuf_adds(out, "none");
    } else if (d < 0) {
        strbuf_adds(out, "unresolved in the profile: ");
        if (!list_indicators(m, e, 1u << CW_UNKNOWN | 1u << CW_UNSTATED, out))
            strbuf_adds(out, "none");
        strbuf_adds(out, "; absent: ");
        if (!list_indicators(m, e, 1u << CW_ABSENT, out))
            strbuf_adds(out, "none");
    }
    if (!e->published)
        return;
    bool first = true;
    for (size_t p = 0; p < r->n_pillars; p++) {
        double pub = published_pillar(e->published->row, r->pillars[p].id);
        if (isnan(pub) || !r->pillars[p].in_overall)
            continue;
        strbuf_adds(out, out->len > mark && first ? "; " : "");
        strbuf_addf(out, "%s%s published %g, computed ", first ? "" : ", ",
                    r->pillars[p].id, pub);
        precision_score(out, e->scores.pillars[p], m->decimals);
        first = false;
    }
}
