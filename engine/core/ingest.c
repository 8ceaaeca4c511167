/*
 * Ingest: parse, identify, score and store documents in batched
 * transactions with a savepoint per document; rescore stored documents;
 * apply analyst overrides to stored results for display.
 */
#include "core/ingest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include "util/banned.h"

struct ingest_rubric {
    struct rubric *rubric; /* owned */
    int64_t id;            /* rubrics.id */
};

struct ingest {
    struct store *s; /* borrowed */
    size_t batch;
    size_t n_pending;   /* documents written since the last commit */
    size_t n_committed; /* documents whose commit completed */
    struct ingest_rubric rubrics[INGEST_MAX_RUBRICS];
    size_t n_rubrics;
    struct store_aliases aliases;
    struct country_index *countries; /* over aliases */
    struct strbuf data;              /* the current file, reused */
    struct store_pillar_in *pillars;
    size_t cap_pillars;
    struct store_indicator_in *indicators;
    size_t cap_indicators;
    void (*hook)(void *ctx, size_t n_committed);
    void *hook_ctx;
};

const char *ingest_outcome_name(enum ingest_outcome o)
{
    switch (o) {
    case INGEST_STORED:
        return "stored";
    case INGEST_NEW_VERSION:
        return "new version";
    case INGEST_UNCHANGED:
        return "unchanged";
    }
    return "?";
}

const char *ingest_edition_date(const char *last_updated,
                                const char *population_date,
                                const char *internet_date)
{
    if (last_updated && *last_updated)
        return last_updated;
    const char *best =
        population_date && *population_date ? population_date : NULL;
    if (internet_date && *internet_date &&
        (!best || strcmp(internet_date, best) > 0))
        best = internet_date;
    return best;
}

/* ---- rubrics ------------------------------------------------------------ */

/* Add or replace (same name: the newer registration wins) a session
 * rubric; takes r. Returns its index. */
static size_t session_rubric(struct ingest *in, struct rubric *r, int64_t id)
{
    for (size_t i = 0; i < in->n_rubrics; i++) {
        if (in->rubrics[i].id == id) {
            rubric_free(r);
            return i;
        }
        if (!strcmp(in->rubrics[i].rubric->name, r->name)) {
            if (in->rubrics[i].id > id) {
                rubric_free(r);
                return i;
            }
            rubric_free(in->rubrics[i].rubric);
            in->rubrics[i].rubric = r;
            in->rubrics[i].id = id;
            return i;
        }
    }
    if (in->n_rubrics == INGEST_MAX_RUBRICS)
        CW_BUG("more than %d rubric names", INGEST_MAX_RUBRICS);
    in->rubrics[in->n_rubrics].rubric = r;
    in->rubrics[in->n_rubrics].id = id;
    return in->n_rubrics++;
}

static int load_stored_rubrics(struct ingest *in, struct cw_error *err)
{
    struct store_rubrics all;
    int status = store_rubrics_get(in->s, &all, err);
    if (status)
        return status;
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    for (size_t i = 0; i < all.n && in->n_rubrics < INGEST_MAX_RUBRICS; i++) {
        const struct store_rubric *sr = &all.items[i];
        errs->n = errs->n_dropped = 0;
        struct rubric *r =
            rubric_parse(sr->path, sr->content, sr->content_len, errs);
        if (!r) {
            status = cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                               "stored rubric '%s' %s no longer loads: %s",
                               sr->name, sr->version,
                               errs->n ? errs->e[0].msg : "unknown error");
            break;
        }
        session_rubric(in, r, sr->id);
    }
    free(errs);
    store_rubrics_release(&all);
    return status;
}

struct ingest *ingest_new(struct store *s, size_t batch, unsigned flags,
                          struct cw_error *err)
{
    struct ingest *in = xcalloc(1, sizeof *in);
    in->s = s;
    in->batch = batch ? batch : INGEST_BATCH_DEFAULT;
    strbuf_init(&in->data);
    if ((!(flags & INGEST_NO_STORED_RUBRICS) && load_stored_rubrics(in, err)) ||
        store_aliases_get(s, &in->aliases, err)) {
        ingest_free(in);
        return NULL;
    }
    in->countries = country_index_new(&in->aliases);
    return in;
}

void ingest_free(struct ingest *in)
{
    if (!in)
        return;
    if (in->n_pending)
        store_rollback(in->s);
    for (size_t i = 0; i < in->n_rubrics; i++)
        rubric_free(in->rubrics[i].rubric);
    country_index_free(in->countries);
    store_aliases_release(&in->aliases);
    strbuf_release(&in->data);
    free(in->pillars);
    free(in->indicators);
    free(in);
}

size_t ingest_n_rubrics(const struct ingest *in)
{
    return in->n_rubrics;
}

void ingest_rubric_info(const struct ingest *in, size_t i, const char **name,
                        const char **version, const char **sha256)
{
    const struct rubric *r = in->rubrics[i].rubric;
    *name = r->name;
    *version = r->version;
    *sha256 = r->hash;
}

int ingest_add_rubric(struct ingest *in, const char *path, bool *is_new,
                      size_t *index, struct cw_errors *errs)
{
    struct strbuf data = STRBUF_INIT;
    struct cw_error e;
    int status = fileio_read(path, (size_t)RUBRIC_MAX_BYTES, &data, &e);
    if (status) {
        cw_errors_add(errs, &e);
        goto out;
    }
    struct rubric *r = rubric_parse(path, data.buf, data.len, errs);
    if (!r) {
        status = errs->n ? errs->e[0].code : CW_ERR_PARSE;
        goto out;
    }
    int64_t id;
    bool fresh = false;
    bool own_txn = !store_in_transaction(in->s);
    status = own_txn ? store_begin(in->s, &e) : CW_OK;
    if (!status)
        status =
            store_rubric_register(in->s, r->name, r->version, r->hash, path,
                                  data.buf, data.len, &id, &fresh, &e);
    if (own_txn && !status)
        status = store_commit(in->s, &e);
    else if (own_txn)
        store_rollback(in->s);
    if (status) {
        rubric_free(r);
        cw_errors_add(errs, &e);
        goto out;
    }
    if (in->n_rubrics == INGEST_MAX_RUBRICS) {
        rubric_free(r);
        e.code = 0;
        status = cw_errorf(&e, CW_ERR_LIMIT, CW_LOC_NONE,
                           "more than %d rubrics", INGEST_MAX_RUBRICS);
        cw_errors_add(errs, &e);
        goto out;
    }
    if (is_new)
        *is_new = fresh;
    size_t at = session_rubric(in, r, id);
    if (index)
        *index = at;
out:
    strbuf_release(&data);
    return status;
}

/* ---- batches ------------------------------------------------------------ */

void ingest_set_commit_hook(struct ingest *in,
                            void (*fn)(void *ctx, size_t n_committed),
                            void *ctx)
{
    in->hook = fn;
    in->hook_ctx = ctx;
}

size_t ingest_n_committed(const struct ingest *in)
{
    return in->n_committed;
}

int ingest_commit(struct ingest *in, struct cw_error *err)
{
    if (!store_in_transaction(in->s)) {
        in->n_pending = 0;
        return CW_OK;
    }
    int status = store_commit(in->s, err);
    if (status) {
        in->n_pending = 0;
        return status;
    }
    in->n_committed += in->n_pending;
    in->n_pending = 0;
    if (in->hook)
        in->hook(in->hook_ctx, in->n_committed);
    return CW_OK;
}

/* Open a savepoint for one document, beginning a batch if needed. */
static int doc_begin(struct ingest *in, struct cw_error *err)
{
    if (!store_in_transaction(in->s)) {
        int status = store_begin(in->s, err);
        if (status)
            return status;
        in->n_pending = 0;
    }
    return store_savepoint(in->s, err);
}

/* Close a document's savepoint: keep it (status 0) or undo it. A failure
 * that lost the whole transaction loses the batch: that is reported. */
static int doc_end(struct ingest *in, int status, struct cw_error *err)
{
    if (status) {
        store_savepoint_rollback(in->s);
        if (!store_in_transaction(in->s))
            in->n_pending = 0;
        return status;
    }
    status = store_savepoint_release(in->s, err);
    if (status) {
        store_savepoint_rollback(in->s);
        return status;
    }
    in->n_pending++;
    if (in->n_pending >= in->batch)
        return ingest_commit(in, err);
    return CW_OK;
}

/* ---- scoring and storing ------------------------------------------------ */

/* Score d under every session rubric and store the results; is_first:
 * the document was just inserted (no earlier result to replace). */
static int store_scores(struct ingest *in, int64_t doc_id, const struct doc *d,
                        bool is_first, struct cw_error *err)
{
    for (size_t k = 0; k < in->n_rubrics; k++) {
        const struct rubric *r = in->rubrics[k].rubric;
        struct score_result res;
        score_document(r, d, &res);
        CW_GROW(in->pillars, r->n_pillars, in->cap_pillars);
        CW_GROW(in->indicators, r->n_indicators, in->cap_indicators);
        for (size_t p = 0; p < r->n_pillars; p++) {
            const struct score_pillar *sp = &res.pillars[p];
            in->pillars[p] =
                (struct store_pillar_in){.id = r->pillars[p].id,
                                         .name = r->pillars[p].name,
                                         .in_overall = r->pillars[p].in_overall,
                                         .score = sp->score,
                                         .points = sp->points,
                                         .max_points = sp->max,
                                         .score_min = sp->min_score,
                                         .score_max = sp->max_score,
                                         .n_indicators = (long)sp->n_indicators,
                                         .n_stated = (long)sp->n_stated};
        }
        for (size_t i = 0; i < r->n_indicators; i++) {
            const struct rubric_indicator *ri = &r->indicators[i];
            const struct score_indicator *si = &res.indicators[i];
            in->indicators[i] = (struct store_indicator_in){
                .id = ri->id,
                .name = ri->name,
                .pillar = r->pillars[ri->pillar].id,
                .section = si->section ? si->section->number : ri->section,
                .status = cw_state_name(si->state),
                .points = si->points,
                .weight = ri->weight,
                .line = si->evidence ? si->evidence->line : 0,
                .cue = si->cue ? si->cue->id : NULL,
                .evidence = si->evidence ? si->evidence->text : NULL,
                .reason = si->reason};
        }
        struct store_result_in ri = {.doc_id = doc_id,
                                     .rubric_id = in->rubrics[k].id,
                                     .is_first = is_first,
                                     .overall = res.overall,
                                     .points = res.points,
                                     .max_points = res.max_points,
                                     .overall_min = res.overall_min,
                                     .overall_max = res.overall_max,
                                     .coverage = (long)res.coverage,
                                     .n_counted = (long)res.n_counted,
                                     .pillars = in->pillars,
                                     .n_pillars = r->n_pillars,
                                     .indicators = in->indicators,
                                     .n_indicators = r->n_indicators};
        int status = store_result_put(in->s, &ri, err);
        score_release(&res);
        if (status)
            return status;
    }
    return CW_OK;
}

static struct store_figure figure(const struct doc_figure *f)
{
    struct store_figure out = {NAN, NULL, NULL};
    if (f->is_set) {
        out.value = f->value;
        out.source = f->source;
        out.date = f->date;
    }
    return out;
}

/* Store d, parsed from text (len bytes), and its results. */
static int store_doc(struct ingest *in, const struct doc *d, const char *iso3,
                     const char *text, size_t len, struct cw_error *err)
{
    struct store_doc_in row = {
        .iso3 = iso3,
        .path = d->path,
        .sha256 = d->hash,
        .title = d->title,
        .size = d->size,
        .population = figure(&d->population),
        .internet = figure(&d->internet),
        .last_updated = d->last_updated,
        .edition_date = ingest_edition_date(
            d->last_updated, d->population.is_set ? d->population.date : NULL,
            d->internet.is_set ? d->internet.date : NULL),
        .encoding = NULL, /* TODO(#10): the encoding the text was decoded
                             from, once ingest decodes non-UTF-8 files */
        .text = text,
        .text_len = len};
    int64_t doc_id;
    int status = store_doc_insert(in->s, &row, &doc_id, err);
    if (!status)
        status = store_scores(in, doc_id, d, true, err);
    return status;
}

/* Which country a document is about; CW_ERR_PARSE naming the title. */
static int identify(struct ingest *in, const struct doc *d, const char *iso3,
                    char out[4], struct cw_error *err)
{
    if (iso3) {
        if (!country_iso3_norm(iso3, out))
            return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                             "'%s' is not an ISO 3166 alpha-3 code", iso3);
        if (country_index_has(in->countries, out))
            return CW_OK;
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "unknown country '%s' (not in data/countries.csv)",
                         out);
    }
    if (!d->title)
        return cw_errorf(err, CW_ERR_PARSE, (struct cw_loc){d->path, 1, 1},
                         "the document has no title naming its country; "
                         "give --country ISO3");
    if (!country_index_match(in->countries, d->title, out))
        return cw_errorf(err, CW_ERR_PARSE,
                         (struct cw_loc){d->path, d->title_line, 1},
                         "title '%s' matches no country in "
                         "data/countries.csv; give --country ISO3",
                         d->title);
    return CW_OK;
}

int ingest_buffer(struct ingest *in, const char *path, const char *data,
                  size_t len, const char *iso3, enum ingest_outcome *outcome,
                  char iso3_out[4], struct cw_error *err)
{
    char code[4] = "";
    char hash[SHA256_HEX_LEN + 1] = "";
    struct doc *d = NULL;
    int status = CW_OK;
    int64_t id;
    if (len <= DOC_MAX_BYTES) /* else doc_parse refuses it */
        sha256_hex(data, len, hash);
    cw_error_clear(err);
    /* Look the content up under the write lock: a document that another
     * process stored meanwhile is then "unchanged", not a UNIQUE failure.
     * Content already stored is not parsed again. */
    bool is_lookup_txn = !store_in_transaction(in->s);
    if (is_lookup_txn) {
        status = store_begin(in->s, err);
        if (status)
            goto out;
        in->n_pending = 0;
    }
    if (*hash && store_doc_find(in->s, hash, &id, code, err)) {
        *outcome = INGEST_UNCHANGED;
        goto out;
    }
    if (err && err->code) {
        status = err->code;
        goto out;
    }
    d = doc_parse_hashed(path, data, len, hash, err);
    if (!d) {
        status = err ? err->code : CW_ERR_PARSE;
        goto out;
    }
    status = identify(in, d, iso3, code, err);
    if (status)
        goto out;
    bool has_docs = false;
    status = store_country_has_documents(in->s, code, &has_docs, err);
    if (status)
        goto out;
    status = doc_begin(in, err);
    if (status)
        goto out;
    status = doc_end(in, store_doc(in, d, code, data, len, err), err);
    if (!status)
        *outcome = has_docs ? INGEST_NEW_VERSION : INGEST_STORED;
out:
    /* Nothing of this document was kept: free the lock at once. */
    if (is_lookup_txn && in->n_pending == 0 && store_in_transaction(in->s))
        store_rollback(in->s);
    if (iso3_out)
        memcpy(iso3_out, code, 4);
    doc_free(d);
    return status;
}

int ingest_file(struct ingest *in, const char *path, const char *iso3,
                enum ingest_outcome *outcome, char iso3_out[4],
                struct cw_error *err)
{
    int status = fileio_read(path, (size_t)DOC_MAX_BYTES, &in->data, err);
    if (status)
        return status;
    status = ingest_buffer(in, path, in->data.buf, in->data.len, iso3, outcome,
                           iso3_out, err);
    /* Keep memory flat: drop an unusually large buffer. */
    if (in->data.cap > (1u << 20))
        strbuf_release(&in->data);
    return status;
}

/* ---- rescoring ---------------------------------------------------------- */

struct rebuild {
    struct doc *d;
    struct doc_section *sec; /* the last section added */
    size_t n_units;
};

static int rebuild_part(void *ctx, const struct store_part *p,
                        struct cw_error *err)
{
    struct rebuild *rb = ctx;
    if (p->is_section) {
        if (rb->d->n_sections >= DOC_MAX_SECTIONS)
            return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                             "stored document '%s' has more than %d "
                             "sections",
                             rb->d->path, DOC_MAX_SECTIONS);
        rb->sec = doc_add_section(rb->d, p->number ? p->number : "", p->title,
                                  p->line);
        return CW_OK;
    }
    if (!rb->sec)
        CW_BUG("a stored unit before any section");
    doc_add_unit(rb->d, rb->sec, p->kind ? DOC_BULLET : DOC_SENTENCE,
                 p->text ? p->text : "", p->line);
    return CW_OK;
}

int ingest_rescore(struct ingest *in, int64_t doc_id, struct cw_error *err)
{
    struct strbuf path = STRBUF_INIT;
    struct strbuf text = STRBUF_INIT;
    char sha[SHA256_HEX_LEN + 1];
    bool has_text = false;
    struct doc *d = NULL;
    int status = doc_begin(in, err);
    if (status)
        goto out;
    status = store_doc_text(in->s, doc_id, &path, &text, sha, &has_text, err);
    if (!status && has_text) {
        /* The stored text parses as it did when it was ingested. */
        d = doc_parse_hashed(path.buf, text.buf, text.len, sha, err);
        if (!d)
            status = err ? err->code : CW_ERR_PARSE;
    } else if (!status) {
        /* A document stored before schema 2: its sections and units. */
        struct rebuild rb = {doc_new("-"), NULL, 0};
        d = rb.d;
        status = store_doc_parts(in->s, doc_id, rebuild_part, &rb, err);
    }
    if (!status)
        status = store_scores(in, doc_id, d, false, err);
    status = doc_end(in, status, err);
out:
    doc_free(d);
    strbuf_release(&text);
    strbuf_release(&path);
    return status;
}

/* ---- overrides ---------------------------------------------------------- */

struct ingest_overrides {
    struct store_overrides list; /* owned */
    struct rubric *rubric;       /* owned; NULL when there is no override */
};

struct ingest_overrides *
ingest_overrides_new(struct store *s, int64_t rubric_id, struct cw_error *err)
{
    struct ingest_overrides *o = xcalloc(1, sizeof *o);
    struct store_rubric sr = {0};
    int status = store_overrides_get(s, NULL, &o->list, err);
    if (status || o->list.n == 0)
        goto out;
    status = store_rubric_get(s, rubric_id, &sr, err);
    if (status)
        goto out;
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    o->rubric = rubric_parse(sr.path, sr.content, sr.content_len, errs);
    if (!o->rubric)
        status =
            cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                      "stored rubric '%s' %s no longer loads: %s", sr.name,
                      sr.version, errs->n ? errs->e[0].msg : "unknown error");
    free(errs);
out:
    store_rubric_release(&sr);
    if (status) {
        ingest_overrides_free(o);
        return NULL;
    }
    return o;
}

void ingest_overrides_free(struct ingest_overrides *o)
{
    if (!o)
        return;
    store_overrides_release(&o->list);
    rubric_free(o->rubric);
    free(o);
}

const struct store_overrides *
ingest_overrides_list(const struct ingest_overrides *o)
{
    return &o->list;
}

/* Recompute the overridden scores of one document under r. */
static void rescore_overridden(const struct rubric *r, struct store_score *sc)
{
    size_t n = r->n_indicators;
    enum cw_state *states = xcalloc(n ? n : 1, sizeof *states);
    double *pillars = xcalloc(r->n_pillars ? r->n_pillars : 1, sizeof *pillars);
    for (size_t i = 0; i < n; i++) {
        states[i] = CW_UNSTATED;
        for (size_t k = 0; k < sc->n_indicators; k++) {
            const struct store_indicator *x = &sc->indicators[k];
            if (strcmp(x->id, r->indicators[i].id) != 0)
                continue;
            const char *st = x->override ? x->override->status : x->status;
            if (!cw_state_parse(st, &states[i]))
                states[i] = CW_UNKNOWN;
            break;
        }
    }
    sc->overall_overridden = score_from_states(r, states, pillars);
    for (size_t p = 0; p < sc->n_pillars && p < r->n_pillars; p++)
        sc->pillars[p].score_overridden = pillars[p];
    free(states);
    free(pillars);
}

void ingest_overrides_apply(const struct ingest_overrides *o,
                            struct store_score *sc)
{
    sc->has_overrides = false;
    sc->overall_overridden = sc->overall;
    for (size_t p = 0; p < sc->n_pillars; p++)
        sc->pillars[p].score_overridden = sc->pillars[p].score;
    for (size_t i = 0; i < sc->n_indicators; i++) {
        struct store_indicator *x = &sc->indicators[i];
        x->override = NULL;
        /* Sorted by iso3, indicator, id: the last match is the newest. */
        for (size_t k = 0; k < o->list.n; k++) {
            const struct store_override *so = &o->list.items[k];
            if (!strcmp(so->iso3, sc->iso3) && !strcmp(so->indicator, x->id))
                x->override = so;
        }
        if (x->override)
            sc->has_overrides = true;
    }
    if (sc->has_overrides && o->rubric)
        rescore_overridden(o->rubric, sc);
}

int ingest_apply_overrides(struct store *s, struct store_scores *set,
                           struct cw_error *err)
{
    struct ingest_overrides *o = ingest_overrides_new(s, set->rubric_id, err);
    if (!o)
        return err ? err->code : CW_ERR_DB;
    /* The set takes the overrides (replacing an earlier application). */
    for (size_t i = 0; i < set->n_overrides; i++)
        store_override_release(&set->overrides[i]);
    free(set->overrides);
    set->overrides = o->list.items;
    set->n_overrides = o->list.n;
    for (size_t k = 0; k < set->n; k++)
        ingest_overrides_apply(o, &set->items[k]);
    o->list.items = NULL;
    o->list.n = 0;
    ingest_overrides_free(o);
    return CW_OK;
}

void ingest_status_text(const struct store_indicator *ind, struct strbuf *out)
{
    strbuf_adds(out, ind->status);
    const struct store_override *o = ind->override;
    if (!o)
        return;
    strbuf_addf(out, " (override: %s by %s on %s", o->status,
                o->author[0] ? o->author : "unknown",
                o->date[0] ? o->date : "unknown date");
    if (o->reason[0])
        strbuf_addf(out, ": %s", o->reason);
    strbuf_addch(out, ')');
}
