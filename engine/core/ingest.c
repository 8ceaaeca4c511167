/*
 * Ingest: parse, identify, score and store documents in batched
 * transactions with a savepoint per document; rescore stored documents.
 */
#include "core/ingest.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/doc.h"
#include "core/model.h"
#include "core/rubric.h"
#include "core/score.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* Bytes of a reference indicator's reason (ref_reason). */
#define INGEST_REASON_LEN 320
/* A document buffer larger than this is freed after use, not kept. */
#define INGEST_KEEP_BYTES ((size_t)1 << 20)

struct ingest_rubric {
    struct rubric *rubric; /* owned */
    int64_t id;            /* rubrics.id */
    char *version;         /* owned: as registered (a variant's has its
                              hash appended) */
};

struct ingest {
    struct store *s; /* borrowed */
    size_t batch;
    size_t n_pending;   /* documents written since the last commit */
    size_t n_committed; /* documents whose commit completed */
    size_t n_commits;   /* commits done */
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
    const struct doc_read_opts *read_opts; /* borrowed, may be NULL */
    bool is_variant_ok;                    /* ingest_allow_variants */
};

void ingest_set_read_opts(struct ingest *in, const struct doc_read_opts *o)
{
    in->read_opts = o;
}

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

/* Add a session rubric, or replace the one of the same name; takes r,
 * copies version. Returns its index. */
static size_t session_rubric(struct ingest *in, struct rubric *r, int64_t id,
                             const char *version)
{
    size_t i = 0;
    while (i < in->n_rubrics &&
           strcmp(in->rubrics[i].rubric->name, r->name) != 0)
        i++;
    if (i == in->n_rubrics) {
        if (in->n_rubrics == INGEST_MAX_RUBRICS)
            CW_BUG("more than %d rubric names", INGEST_MAX_RUBRICS);
        in->n_rubrics++;
    } else {
        rubric_free(in->rubrics[i].rubric);
        free(in->rubrics[i].version);
    }
    in->rubrics[i].rubric = r;
    in->rubrics[i].id = id;
    in->rubrics[i].version = xstrdup(version);
    return i;
}

/* Load the current registration (store_rubric_find) of every registered
 * rubric name. */
static int load_stored_rubrics(struct ingest *in, struct cw_error *err)
{
    struct store_rubrics all;
    int status = store_rubrics_get(in->s, &all, err);
    if (status)
        return status;
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    for (size_t i = 0; i < all.n && in->n_rubrics < INGEST_MAX_RUBRICS; i++) {
        bool is_seen = false;
        for (size_t k = 0; k < i && !is_seen; k++)
            is_seen = !strcmp(all.items[k].name, all.items[i].name);
        if (is_seen)
            continue;
        struct store_rubric sr;
        status = store_rubric_find(in->s, all.items[i].name, NULL, &sr, err);
        if (status)
            break;
        errs->n = errs->n_dropped = 0;
        struct rubric *r =
            rubric_parse(sr.path, sr.content, sr.content_len, errs);
        if (!r) {
            status = cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                               "stored rubric '%s' %s no longer loads: %s",
                               sr.name, sr.version,
                               errs->n ? errs->e[0].msg : "unknown error");
            store_rubric_release(&sr);
            break;
        }
        session_rubric(in, r, sr.id, sr.version);
        store_rubric_release(&sr);
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
    for (size_t i = 0; i < in->n_rubrics; i++) {
        rubric_free(in->rubrics[i].rubric);
        free(in->rubrics[i].version);
    }
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
    *version = in->rubrics[i].version;
    *sha256 = r->hash;
}

void ingest_allow_variants(struct ingest *in, bool is_ok)
{
    in->is_variant_ok = is_ok;
}

/* Register r (its file's bytes in data) and make it current: under its
 * own version, or, when that is taken by other content and variants are
 * allowed, under VERSION+HASH (version filled either way). */
static int register_rubric(struct ingest *in, const struct rubric *r,
                           const char *path, const struct strbuf *data,
                           int64_t *id, bool *fresh, struct strbuf *version,
                           struct cw_error *e)
{
    char other[65] = "";
    strbuf_reset(version);
    strbuf_adds(version, r->version);
    int status =
        store_rubric_register(in->s, r->name, r->version, r->hash, path,
                              data->buf, data->len, id, fresh, other, e);
    if (status == CW_ERR_PARSE && *other && in->is_variant_ok) {
        strbuf_addf(version, "+%.*s", MODEL_SHORT_HASH, r->hash);
        status =
            store_rubric_register(in->s, r->name, version->buf, r->hash, path,
                                  data->buf, data->len, id, fresh, NULL, e);
    } else if (status == CW_ERR_PARSE && *other) {
        e->code = 0;
        return cw_errorf(
            e, CW_ERR_PARSE, CW_LOC_NONE,
            "rubric '%s' version '%s' is already registered with other "
            "content (sha256 %.*s; '%s' has sha256 %.*s): bump its "
            "'meta,version', or register it as a variant with --variant",
            r->name, r->version, MODEL_SHORT_HASH, other, path,
            MODEL_SHORT_HASH, r->hash);
    }
    if (!status)
        status = store_rubric_select(in->s, *id, e);
    return status;
}

int ingest_add_rubric(struct ingest *in, const char *path, bool *is_new,
                      size_t *index, struct cw_errors *errs)
{
    struct strbuf data = STRBUF_INIT, version = STRBUF_INIT;
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
        status = register_rubric(in, r, path, &data, &id, &fresh, &version, &e);
    if (own_txn && !status)
        status = store_commit(in->s, &e);
    else if (own_txn)
        store_rollback(in->s);
    if (status) {
        rubric_free(r);
        cw_errors_add(errs, &e);
        goto out;
    }
    bool is_known = false;
    for (size_t i = 0; i < in->n_rubrics; i++)
        is_known = is_known || !strcmp(in->rubrics[i].rubric->name, r->name);
    if (!is_known && in->n_rubrics == INGEST_MAX_RUBRICS) {
        rubric_free(r);
        e.code = 0;
        status = cw_errorf(&e, CW_ERR_LIMIT, CW_LOC_NONE,
                           "more than %d rubrics", INGEST_MAX_RUBRICS);
        cw_errors_add(errs, &e);
        goto out;
    }
    if (is_new)
        *is_new = fresh;
    size_t at = session_rubric(in, r, id, version.buf);
    if (index)
        *index = at;
out:
    strbuf_release(&data);
    strbuf_release(&version);
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
    in->n_commits++;
    if (in->hook)
        in->hook(in->hook_ctx, in->n_committed);
    return CW_OK;
}

/* ---- one document's way ------------------------------------------------- */

/*
 * A document goes through three steps: prepare (the writer's thread),
 * work (read the file and hash it, then parse and score: the worker
 * thread, when there is one) and finish (the writer's thread: look the
 * content up under the write lock, store the document and report).
 * ingest_buffer and ingest_rescore run the steps in turn; ingest_files and
 * ingest_rescore_all overlap the work of the next documents with the
 * finishing of the current one.
 */
struct job {
    size_t index;           /* position in the caller's list */
    const char *path;       /* the caller's path, or path_buf.buf */
    struct strbuf path_buf; /* rescore: the stored path */
    struct strbuf data;     /* the bytes read (file or stored text) */
    const char *text;       /* what is parsed: data.buf or the caller's; after
                               parsing a new document, utf8.buf (stored) */
    size_t text_len;
    struct strbuf utf8;  /* the UTF-8 text of a new document (decoded, or
                            a PDF's text), which is stored */
    bool is_stored_text; /* rescore: text is stored UTF-8 text */
    char hash[SHA256_HEX_LEN + 1]; /* of the file's bytes; "" when unread */
    int64_t doc_id;                /* rescore: the stored document */
    bool to_read;        /* work reads the file at path and hashes it */
    bool to_parse;       /* work parses text */
    bool is_known;       /* stored when the run began: not parsed */
    bool is_looked_up;   /* looked up, not found, under the lock held */
    bool is_unchanged;   /* the content is stored: nothing to do */
    int status;          /* CW_OK or the document's error, in err */
    struct cw_error err; /* the document's error */
    char iso3[4];        /* the stored or identified country */
    char title_iso3[4];  /* the country the title names, when iso3 was
                            forced and they differ; "" otherwise */
    struct doc *d;       /* owned: parsed, or rebuilt (schema 1) */
    struct score_result res[INGEST_MAX_RUBRICS]; /* one per session rubric */
    size_t n_res;                                /* filled entries of res */
    /* A reference assessment: its sections (borrowed from ref_doc or from
     * the caller of ingest_reference), scored from their statuses. */
    const struct store_ref_section *ref;
    size_t n_ref;
    bool is_reference;
    struct store_ref_doc ref_doc; /* owned: rescore reads it back */
};

static void job_init(struct job *j)
{
    memset(j, 0, sizeof *j);
    strbuf_init(&j->path_buf);
    strbuf_init(&j->data);
    strbuf_init(&j->utf8);
}

/* Drop what one document left in j, keeping its buffers for the next. */
static void job_reset(struct job *j)
{
    for (size_t k = 0; k < j->n_res; k++)
        score_release(&j->res[k]);
    store_ref_doc_release(&j->ref_doc);
    doc_free(j->d);
    struct strbuf path_buf = j->path_buf, data = j->data, utf8 = j->utf8;
    /* Keep memory flat: drop an unusually large buffer. */
    if (data.cap > INGEST_KEEP_BYTES)
        strbuf_release(&data);
    if (utf8.cap > INGEST_KEEP_BYTES)
        strbuf_release(&utf8);
    strbuf_reset(&data);
    strbuf_reset(&utf8);
    strbuf_reset(&path_buf);
    memset(j, 0, sizeof *j);
    j->path_buf = path_buf;
    j->data = data;
    j->utf8 = utf8;
}

static void job_release(struct job *j)
{
    job_reset(j);
    strbuf_release(&j->path_buf);
    strbuf_release(&j->data);
    strbuf_release(&j->utf8);
}

/* Fail j with the error in j->err (code: its status). */
static void job_fail(struct job *j, int code)
{
    j->status = code ? code : CW_ERR_PARSE;
    if (!j->err.code)
        j->err.code = j->status;
    j->to_parse = false;
}

/* ---- the contents stored when a run begins --------------------------------
 */

/*
 * The first 64 bits of the SHA-256 of every document stored when
 * ingest_files began, sorted: the worker does not parse a file found here
 * (finish looks it up under the lock, and parses it after all in the
 * unlikely case that it is not stored). Capped at INGEST_KNOWN_MAX: past
 * it, the rest are parsed and found stored by finish.
 */
#define INGEST_KNOWN_MAX ((size_t)1 << 22)

struct known {
    uint64_t *keys; /* owned, sorted */
    size_t n, cap;
};

static uint64_t hash_key(const char *hex)
{
    uint64_t k = 0;
    for (size_t i = 0; i < 16 && hex[i]; i++) {
        char c = hex[i];
        k = k << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return k;
}

static bool known_add(void *ctx, const char *sha256)
{
    struct known *k = ctx;
    if (k->n == INGEST_KNOWN_MAX)
        return false;
    CW_GROW(k->keys, k->n + 1, k->cap);
    k->keys[k->n++] = hash_key(sha256);
    return true;
}

static int cmp_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Load the keys of the stored documents (fills k); a failure leaves k
 * empty, which only costs parsing. */
static void known_load(struct ingest *in, struct known *k)
{
    struct cw_error err;
    memset(k, 0, sizeof *k);
    if (store_doc_hashes(in->s, known_add, k, &err))
        k->n = 0;
    if (k->n)
        qsort(k->keys, k->n, sizeof *k->keys, cmp_key);
}

static bool known_has(const struct known *k, const char *hex)
{
    if (!k || !k->n)
        return false;
    uint64_t key = hash_key(hex);
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < k->n && k->keys[lo] == key;
}

/* ---- working and finishing ---------------------------------------------- */

/* Begin a batch transaction (the write lock) when none is open. */
static int txn_begin(struct ingest *in, struct cw_error *err)
{
    if (store_in_transaction(in->s))
        return CW_OK;
    int status = store_begin(in->s, err);
    if (status)
        return status;
    in->n_pending = 0;
    return CW_OK;
}

/* Free the write lock when nothing of the open transaction is kept. */
static void txn_drop_empty(struct ingest *in)
{
    if (in->n_pending == 0 && store_in_transaction(in->s))
        store_rollback(in->s);
}

/* Whether the content hashed `hash` is stored; fills iso3. A lookup runs
 * under the write lock, so that a document another process stored
 * meanwhile is "unchanged", not a UNIQUE failure. */
static int lookup(struct ingest *in, const char *hash, bool *found,
                  char iso3[4], struct cw_error *err)
{
    int64_t id;
    *found = false;
    int status = txn_begin(in, err);
    if (status)
        return status;
    cw_error_clear(err);
    *found = store_doc_find(in->s, hash, &id, iso3, err);
    return err->code ? err->code : CW_OK;
}

struct rebuild {
    struct doc *d;
    struct doc_section *sec; /* the last section added */
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

/* The reference section of indicator ind (matched by its section number,
 * which every rubric shares, else its id), or NULL. */
static const struct store_ref_section *
ref_section(const struct rubric_indicator *ind,
            const struct store_ref_section *secs, size_t n)
{
    const char *want = ind->section ? ind->section : ind->id;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(secs[i].section, want))
            return &secs[i];
    return NULL;
}

/* Score the reference sections secs[0..n) (borrowed by j) under every
 * session rubric: a section the set does not give is not stated. */
static void ref_score(const struct ingest *in, struct job *j,
                      const struct store_ref_section *secs, size_t n)
{
    j->ref = secs;
    j->n_ref = n;
    j->is_reference = true;
    for (size_t k = 0; k < in->n_rubrics; k++) {
        const struct rubric *r = in->rubrics[k].rubric;
        enum cw_state *states =
            xcalloc(r->n_indicators ? r->n_indicators : 1, sizeof *states);
        for (size_t i = 0; i < r->n_indicators; i++) {
            const struct store_ref_section *rs =
                ref_section(&r->indicators[i], secs, n);
            if (!rs || !cw_state_parse(rs->status, &states[i]))
                states[i] = CW_UNSTATED;
        }
        score_states(r, states, &j->res[k]);
        free(states);
    }
    j->n_res = in->n_rubrics;
}

/* Why a reference section has its status, in words (fills buf). */
static void ref_reason(const struct store_ref_section *rs, char *buf,
                       size_t cap)
{
    const char *o = rs ? rs->origin : "";
    const char *note = rs && rs->note ? rs->note : "";
    if (!rs)
        snprintf(buf, cap, "reference set: the section is not given");
    else if (!strcmp(o, "read"))
        snprintf(buf, cap, "reference set: cyberwell reading");
    else if (!strcmp(o, "corrected"))
        snprintf(buf, cap, "reference set: corrected by careful readers: %s",
                 note);
    else if (!strcmp(o, "disputed"))
        snprintf(buf, cap,
                 "reference set: disputed, cyberwell reading kept: %s", note);
    else if (!strcmp(o, "held-back"))
        snprintf(buf, cap,
                 "reference set: careful readers' status (text held back)%s%s",
                 *note ? ": " : "", note);
    else
        snprintf(buf, cap, "reference set: %s%s%s", o, *note ? ": " : "", note);
}

/* Prepare j to rescore the stored document doc_id: its text, or for a
 * document stored before schema 2 its sections and units. */
static void job_prepare_stored(struct ingest *in, struct job *j, int64_t doc_id)
{
    bool has_text = false;
    j->doc_id = doc_id;
    int status = store_ref_doc_get(in->s, doc_id, &j->is_reference, &j->ref_doc,
                                   &j->err);
    if (!status && j->is_reference) {
        /* Scored from its stored statuses, never parsed. */
        ref_score(in, j, j->ref_doc.items, j->ref_doc.n);
        return;
    }
    if (status) {
        job_fail(j, status);
        return;
    }
    status = store_doc_text(in->s, doc_id, &j->path_buf, &j->data, j->hash,
                            &has_text, &j->err);
    j->path = j->path_buf.buf;
    if (!status && has_text) {
        j->text = j->data.buf;
        j->text_len = j->data.len;
        j->to_parse = true;
        j->is_stored_text = true;
    } else if (!status) {
        struct rebuild rb = {doc_new("-"), NULL};
        j->d = rb.d;
        status = store_doc_parts(in->s, doc_id, rebuild_part, &rb, &j->err);
    }
    if (status)
        job_fail(j, status);
}

/* Read j's file and hash it (when asked); unless its content was stored
 * when the run began (known, may be NULL), parse it (when asked) and
 * score the document under every session rubric. Touches only j and
 * reads the session's rubrics and known: safe on the worker thread while
 * the writer finishes other jobs. */
static void job_work(const struct ingest *in, const struct known *known,
                     struct job *j)
{
    if (j->to_read) {
        int status = fileio_read(j->path, DOC_MAX_BYTES, &j->data, &j->err);
        if (status) {
            job_fail(j, status);
            return;
        }
        j->text = j->data.buf;
        j->text_len = j->data.len;
        sha256_hex(j->text, j->text_len, j->hash);
        if (known_has(known, j->hash)) {
            j->is_known = true;
            return;
        }
        j->to_parse = true;
    }
    if (j->to_parse && j->is_stored_text) {
        j->d =
            doc_parse_hashed(j->path, j->text, j->text_len, j->hash, &j->err);
    } else if (j->to_parse) {
        /* A new document: decoded (or a PDF's text extracted) under the
         * session's read options; its UTF-8 text is what is stored. */
        j->d = doc_read_keep(j->path, j->text, j->text_len, j->hash,
                             in->read_opts, &j->utf8, &j->err);
        if (j->d) {
            j->text = j->utf8.buf;
            j->text_len = j->utf8.len;
        }
    }
    if (j->to_parse && !j->d) {
        job_fail(j, j->err.code);
        return;
    }
    if (!j->d || j->status)
        return;
    for (size_t k = 0; k < in->n_rubrics; k++)
        score_document(in->rubrics[k].rubric, j->d, &j->res[k]);
    j->n_res = in->n_rubrics;
}

/* A document is kept: count it in the batch, committed every `batch`. */
static int doc_kept(struct ingest *in, struct cw_error *err)
{
    in->n_pending++;
    if (in->n_pending >= in->batch)
        return ingest_commit(in, err);
    return CW_OK;
}

/* Open a savepoint for one rescored document, beginning a batch if
 * needed. */
static int doc_begin(struct ingest *in, struct cw_error *err)
{
    int status = txn_begin(in, err);
    return status ? status : store_savepoint(in->s, err);
}

/* Close a rescored document's savepoint: keep it (status 0) or undo it.
 * A failure that lost the whole transaction loses the batch. */
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
    return doc_kept(in, err);
}

/* Undo a new document whose storing failed (doc_id 0: its row was not
 * stored) by deleting it: every row of it refers to its row, with
 * ON DELETE CASCADE. A savepoint per document would do the same, at a
 * cost on every document (a fifth of ingest's elapsed time). When the
 * delete fails too, or SQLite has rolled the transaction back itself,
 * the batch is lost (n_pending 0): ingest_n_committed tells. */
static void doc_undo(struct ingest *in, int64_t doc_id)
{
    struct cw_error e;
    if (doc_id && store_in_transaction(in->s) &&
        store_doc_delete(in->s, doc_id, &e) != CW_OK)
        store_rollback(in->s);
    if (!store_in_transaction(in->s))
        in->n_pending = 0;
}

/* Store the scores of j (computed by job_work) as the results of doc_id;
 * is_first: the document was just inserted (no earlier result to
 * replace). */
static int store_scores(struct ingest *in, int64_t doc_id, struct job *j,
                        bool is_first, struct cw_error *err)
{
    char(*why)[INGEST_REASON_LEN] = NULL;
    int status = CW_OK;
    for (size_t k = 0; !status && k < j->n_res; k++) {
        const struct rubric *r = in->rubrics[k].rubric;
        const struct score_result *res = &j->res[k];
        if (j->is_reference) {
            free(why);
            why = xcalloc(r->n_indicators ? r->n_indicators : 1, sizeof *why);
        }
        CW_GROW(in->pillars, r->n_pillars, in->cap_pillars);
        CW_GROW(in->indicators, r->n_indicators, in->cap_indicators);
        for (size_t p = 0; p < r->n_pillars; p++) {
            const struct score_pillar *sp = &res->pillars[p];
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
            const struct score_indicator *si = &res->indicators[i];
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
            if (j->is_reference) {
                const struct store_ref_section *rs =
                    ref_section(ri, j->ref, j->n_ref);
                in->indicators[i].line = rs ? rs->line : 0;
                ref_reason(rs, why[i], sizeof why[i]);
                in->indicators[i].reason = why[i];
            }
        }
        struct store_result_in ri = {.doc_id = doc_id,
                                     .rubric_id = in->rubrics[k].id,
                                     .is_first = is_first,
                                     .overall = res->overall,
                                     .points = res->points,
                                     .max_points = res->max_points,
                                     .overall_min = res->overall_min,
                                     .overall_max = res->overall_max,
                                     .coverage = (long)res->coverage,
                                     .n_counted = (long)res->n_counted,
                                     .pillars = in->pillars,
                                     .n_pillars = r->n_pillars,
                                     .indicators = in->indicators,
                                     .n_indicators = r->n_indicators};
        status = store_result_put(in->s, &ri, err);
    }
    free(why);
    return status;
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

/* Store j's document and its results, all or nothing (doc_undo). */
static int store_doc(struct ingest *in, struct job *j, struct cw_error *err)
{
    const struct doc *d = j->d;
    struct store_doc_in row = {
        .iso3 = j->iso3,
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
        .encoding = d->encoding.encoding,
        .source_kind = d->is_pdf ? "pdf" : "text",
        .text = j->text,
        .text_len = j->text_len};
    int64_t doc_id = 0;
    int status = store_doc_insert(in->s, &row, &doc_id, err);
    if (!status)
        status = store_scores(in, doc_id, j, true, err);
    if (status)
        doc_undo(in, doc_id);
    return status;
}

/* Which country a document is about; CW_ERR_PARSE naming the title.
 * When iso3 forces it and the title names another country, that one goes
 * to title_iso3 (else ""). */
static int identify(struct ingest *in, const struct doc *d, const char *iso3,
                    char out[4], char title_iso3[4], struct cw_error *err)
{
    title_iso3[0] = '\0';
    if (iso3) {
        if (!country_iso3_norm(iso3, out))
            return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                             "'%s' is not an ISO 3166 alpha-3 code", iso3);
        if (country_index_has(in->countries, out)) {
            char named[4];
            if (d->title &&
                country_index_match(in->countries, d->title, named) &&
                strcmp(named, out) != 0)
                memcpy(title_iso3, named, sizeof named);
            return CW_OK;
        }
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

/* Store the document of j (worked): look its content up under the write
 * lock, identify its country (iso3 may force it) and write it in a
 * savepoint of the batch. Fills *outcome; on failure j->status and j->err
 * say why. */
static void job_finish_ingest(struct ingest *in, struct job *j,
                              const char *iso3, enum ingest_outcome *outcome)
{
    struct cw_error *err = &j->err;
    int status = j->status;
    if (!status && *j->hash && !j->is_looked_up) {
        bool found = false;
        status = lookup(in, j->hash, &found, j->iso3, err);
        j->is_unchanged = found;
    }
    if (!status && j->is_unchanged) {
        *outcome = INGEST_UNCHANGED;
        goto out;
    }
    if (!status && j->is_known) {
        /* Its key was among the stored ones, yet the content is not
         * stored (64 bits of two hashes alike): parse it after all. */
        j->is_known = false;
        j->to_parse = true;
        job_work(in, NULL, j);
        status = j->status;
    }
    if (!status)
        status = identify(in, j->d, iso3, j->iso3, j->title_iso3, err);
    bool has_docs = false;
    if (!status)
        status = store_country_has_documents(in->s, j->iso3, &has_docs, err);
    if (!status)
        status = store_doc(in, j, err);
    if (!status)
        status = doc_kept(in, err);
    if (!status)
        *outcome = has_docs ? INGEST_NEW_VERSION : INGEST_STORED;
out:
    j->status = status;
    /* Nothing of this document was kept: free the lock at once. */
    txn_drop_empty(in);
}

/* Store the new results of the stored document of j. */
static void job_finish_rescore(struct ingest *in, struct job *j)
{
    int status = j->status;
    if (!status)
        status = doc_begin(in, &j->err);
    if (!status)
        status = doc_end(in, store_scores(in, j->doc_id, j, false, &j->err),
                         &j->err);
    j->status = status;
}

/* The status and error of a finished job, for the caller. */
static int job_result(const struct job *j, struct cw_error *err)
{
    if (j->status && err)
        *err = j->err;
    else if (err)
        cw_error_clear(err);
    return j->status;
}

int ingest_buffer(struct ingest *in, const char *path, const char *data,
                  size_t len, const char *iso3, enum ingest_outcome *outcome,
                  char iso3_out[4], struct cw_error *err)
{
    struct job *j = xmalloc(sizeof *j);
    job_init(j);
    j->path = path;
    j->text = data;
    j->text_len = len;
    if (len <= DOC_MAX_BYTES) /* else doc_parse refuses it */
        sha256_hex(data, len, j->hash);
    /* Content already stored is not parsed again. */
    if (*j->hash) {
        bool found = false;
        int status = lookup(in, j->hash, &found, j->iso3, &j->err);
        if (status)
            job_fail(j, status);
        j->is_looked_up = true;
        j->is_unchanged = found;
    }
    if (!j->status && !j->is_unchanged) {
        j->to_parse = true;
        job_work(in, NULL, j);
    }
    job_finish_ingest(in, j, iso3, outcome);
    if (iso3_out)
        memcpy(iso3_out, j->iso3, 4);
    int status = job_result(j, err);
    job_release(j);
    free(j);
    return status;
}

int ingest_file(struct ingest *in, const char *path, const char *iso3,
                enum ingest_outcome *outcome, char iso3_out[4],
                struct cw_error *err)
{
    int status = fileio_read(path, DOC_MAX_BYTES, &in->data, err);
    if (status)
        return status;
    status = ingest_buffer(in, path, in->data.buf, in->data.len, iso3, outcome,
                           iso3_out, err);
    /* Keep memory flat: drop an unusually large buffer. */
    if (in->data.cap > INGEST_KEEP_BYTES)
        strbuf_release(&in->data);
    return status;
}

int ingest_rescore(struct ingest *in, int64_t doc_id, struct cw_error *err)
{
    struct job *j = xmalloc(sizeof *j);
    job_init(j);
    job_prepare_stored(in, j, doc_id);
    job_work(in, NULL, j);
    job_finish_rescore(in, j);
    int status = job_result(j, err);
    job_release(j);
    free(j);
    return status;
}

/* ---- the pipeline -------------------------------------------------------- */

/*
 * Three threads: the writer (the caller's thread) prepares up to
 * INGEST_WINDOW jobs ahead and finishes them in order; the worker works
 * them in order (reads, hashes, parses, scores), holding at most
 * INGEST_WINDOW_BYTES of text that the writer has not finished (and always
 * the job the writer waits for); the checkpointer copies the write-ahead
 * log into the database after each commit (store_checkpointer_new), so
 * that the writer does not. Jobs live in a ring: job seq is
 * jobs[seq % INGEST_WINDOW]. The worker touches a job only between its
 * submission and its completion (n_submitted > seq >= n_done); the writer
 * touches it otherwise. Each side wakes the other only when it has
 * INGEST_WAKE jobs for it or is about to wait itself, which spares most
 * thread switches. Without a worker thread (pthread_create failed) the
 * writer works each job itself.
 *
 * The log restarts from its start only when a write transaction begins
 * after a checkpoint copied all of it, and the writer begins the next
 * batch as soon as it commits one: so when the log has grown past
 * INGEST_LOG_PAGES, the writer waits after a commit for that commit's
 * checkpoint (while the worker goes on), and the log then restarts
 * instead of growing with the whole run (1 GB for 100,000 profiles).
 */
#define INGEST_WAKE      4
#define INGEST_LOG_PAGES 8192

struct pipe {
    struct ingest *in;
    const struct known *known; /* borrowed, may be NULL */
    struct job jobs[INGEST_WINDOW];
    pthread_mutex_t mu;
    pthread_cond_t ready;     /* jobs for the worker, or stop */
    pthread_cond_t done;      /* jobs for the writer */
    pthread_cond_t ckpt_want; /* a commit to checkpoint, or stop */
    /* guarded by mu: */
    size_t n_submitted, n_done;
    size_t head;  /* the job the writer finishes next */
    size_t bytes; /* text of worked jobs not yet finished */
    bool is_worker_waiting, is_writer_waiting;
    size_t n_ckpt_wanted, n_ckpt_done;
    size_t log_pages;    /* the log's size at the last checkpoint */
    bool is_log_whole;   /* the last checkpoint copied all of it */
    bool is_restart_due; /* the writer waited for a whole checkpoint: its
                            next commit restarts the log */
    bool is_stopping;
    /* threads */
    bool has_worker;
    pthread_t worker;
    struct store_checkpointer *ckpt; /* owned, may be NULL */
    bool has_ckpt_thread;
    pthread_t ckpt_thread;
};

/* Whether the worker may work job n_done now (mu held). */
static bool worker_can_work(const struct pipe *p)
{
    return p->n_done < p->n_submitted &&
           (p->bytes <= INGEST_WINDOW_BYTES || p->n_done == p->head);
}

static void *pipe_worker(void *arg)
{
    struct pipe *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!worker_can_work(p) && !p->is_stopping) {
            if (p->is_writer_waiting)
                pthread_cond_signal(&p->done);
            p->is_worker_waiting = true;
            pthread_cond_wait(&p->ready, &p->mu);
            p->is_worker_waiting = false;
        }
        if (p->is_stopping)
            break;
        size_t seq = p->n_done;
        pthread_mutex_unlock(&p->mu);
        struct job *j = &p->jobs[seq % INGEST_WINDOW];
        job_work(p->in, p->known, j);
        pthread_mutex_lock(&p->mu);
        p->n_done = seq + 1;
        p->bytes += j->text_len;
        if (p->is_writer_waiting &&
            (p->n_done - p->head >= INGEST_WAKE || !worker_can_work(p)))
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void *pipe_checkpointer(void *arg)
{
    struct pipe *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->n_ckpt_done == p->n_ckpt_wanted && !p->is_stopping)
            pthread_cond_wait(&p->ckpt_want, &p->mu);
        if (p->is_stopping)
            break;
        size_t wanted = p->n_ckpt_wanted;
        pthread_mutex_unlock(&p->mu);
        size_t log_pages = 0;
        bool is_whole = store_checkpointer_run(p->ckpt, &log_pages);
        pthread_mutex_lock(&p->mu);
        p->n_ckpt_done = wanted;
        p->log_pages = log_pages;
        p->is_log_whole = is_whole;
        pthread_cond_broadcast(&p->ckpt_want);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static struct pipe *pipe_new(struct ingest *in, const struct known *known)
{
    struct pipe *p = xcalloc(1, sizeof *p);
    p->in = in;
    p->known = known;
    for (size_t i = 0; i < INGEST_WINDOW; i++)
        job_init(&p->jobs[i]);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready, NULL);
    pthread_cond_init(&p->done, NULL);
    pthread_cond_init(&p->ckpt_want, NULL);
    p->has_worker = pthread_create(&p->worker, NULL, pipe_worker, p) == 0;
    p->ckpt = store_checkpointer_new(in->s);
    if (p->ckpt) {
        p->has_ckpt_thread =
            pthread_create(&p->ckpt_thread, NULL, pipe_checkpointer, p) == 0;
        if (!p->has_ckpt_thread) {
            store_checkpointer_free(p->ckpt);
            p->ckpt = NULL;
        }
    }
    return p;
}

/* Stop the threads (work not begun is dropped) and free everything. */
static void pipe_free(struct pipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->is_stopping = true;
    pthread_cond_signal(&p->ready);
    pthread_cond_signal(&p->ckpt_want);
    pthread_mutex_unlock(&p->mu);
    if (p->has_worker)
        pthread_join(p->worker, NULL);
    if (p->has_ckpt_thread)
        pthread_join(p->ckpt_thread, NULL);
    store_checkpointer_free(p->ckpt);
    for (size_t i = 0; i < INGEST_WINDOW; i++)
        job_release(&p->jobs[i]);
    pthread_cond_destroy(&p->ckpt_want);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->ready);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

/* Hand the prepared jobs before n to the worker. */
static void pipe_submit(struct pipe *p, size_t n)
{
    if (!p->has_worker) {
        for (; p->n_submitted < n; p->n_submitted++, p->n_done++) {
            struct job *j = &p->jobs[p->n_done % INGEST_WINDOW];
            job_work(p->in, p->known, j);
            p->bytes += j->text_len;
        }
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->n_submitted = n;
    if (p->is_worker_waiting && worker_can_work(p) &&
        p->n_submitted - p->n_done >= INGEST_WAKE)
        pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->mu);
}

/* Wait until the worker has worked job seq (= head); returns it. */
static struct job *pipe_wait(struct pipe *p, size_t seq)
{
    if (p->has_worker) {
        pthread_mutex_lock(&p->mu);
        while (p->n_done <= seq) {
            if (p->is_worker_waiting && worker_can_work(p))
                pthread_cond_signal(&p->ready);
            p->is_writer_waiting = true;
            pthread_cond_wait(&p->done, &p->mu);
            p->is_writer_waiting = false;
        }
        pthread_mutex_unlock(&p->mu);
    }
    return &p->jobs[seq % INGEST_WINDOW];
}

/* The writer finished job head (of text_len bytes); after a commit, wake
 * the checkpointer. */
static void pipe_finished(struct pipe *p, size_t text_len, bool has_committed)
{
    pthread_mutex_lock(&p->mu);
    p->head++;
    p->bytes -= text_len;
    if (p->is_worker_waiting && worker_can_work(p) &&
        (p->n_submitted - p->n_done >= INGEST_WAKE || p->n_done == p->head))
        pthread_cond_signal(&p->ready);
    if (has_committed && p->ckpt) {
        p->n_ckpt_wanted++;
        pthread_cond_broadcast(&p->ckpt_want);
        if (p->is_restart_due) {
            p->is_restart_due = false; /* this commit restarted the log */
            p->log_pages = 0;
        } else if (p->log_pages >= INGEST_LOG_PAGES) {
            /* before the next batch begins: see above */
            while (p->n_ckpt_done < p->n_ckpt_wanted)
                pthread_cond_wait(&p->ckpt_want, &p->mu);
            p->is_restart_due = p->is_log_whole;
        }
    }
    pthread_mutex_unlock(&p->mu);
}

/* What a pipeline run does with each of its n items. */
struct pipe_ops {
    /* prepare job j for item i (the writer's thread) */
    void (*prepare)(void *ctx, struct ingest *in, struct job *j, size_t i);
    /* finish and report job j; CW_OK to go on, else the status to stop
     * with */
    int (*finish)(void *ctx, struct ingest *in, struct job *j);
};

static int pipe_run(struct ingest *in, const struct known *known, size_t n,
                    const struct pipe_ops *ops, void *ctx)
{
    struct pipe *p = pipe_new(in, known);
    size_t head = 0, next = 0;
    int status = CW_OK;
    while (!status && head < n) {
        if (next < n && next - head < INGEST_WINDOW) {
            for (; next < n && next - head < INGEST_WINDOW; next++) {
                struct job *j = &p->jobs[next % INGEST_WINDOW];
                j->index = next;
                ops->prepare(ctx, in, j, next);
            }
            pipe_submit(p, next);
        }
        struct job *j = pipe_wait(p, head);
        size_t n_commits = in->n_commits;
        status = ops->finish(ctx, in, j);
        size_t text_len = j->text_len;
        job_reset(j);
        pipe_finished(p, text_len, in->n_commits != n_commits);
        head++;
    }
    pipe_free(p);
    return status;
}

struct files_run {
    char *const *paths;
    const char *iso3;
    ingest_report_fn fn;
    void *ctx;
};

static void files_prepare(void *ctx, struct ingest *in, struct job *j, size_t i)
{
    const struct files_run *run = ctx;
    (void)in;
    j->path = run->paths[i];
    j->to_read = true;
}

static int files_finish(void *ctx, struct ingest *in, struct job *j)
{
    const struct files_run *run = ctx;
    struct ingest_report r = {.index = j->index,
                              .path = run->paths[j->index],
                              .outcome = INGEST_STORED};
    job_finish_ingest(in, j, run->iso3, &r.outcome);
    r.status = j->status;
    r.read = j->d && !j->is_stored_text ? &j->d->encoding : NULL;
    r.is_pdf = j->d && j->d->is_pdf;
    r.err = j->status ? &j->err : NULL;
    memcpy(r.iso3, j->iso3, sizeof r.iso3);
    memcpy(r.title_iso3, j->title_iso3, sizeof r.title_iso3);
    r.title = j->d && *r.title_iso3 ? j->d->title : NULL;
    return run->fn(run->ctx, &r);
}

int ingest_files(struct ingest *in, char *const *paths, size_t n,
                 const char *iso3, ingest_report_fn fn, void *ctx)
{
    static const struct pipe_ops ops = {files_prepare, files_finish};
    struct files_run run = {paths, iso3, fn, ctx};
    struct known known;
    known_load(in, &known);
    int status = pipe_run(in, &known, n, &ops, &run);
    free(known.keys);
    return status;
}

struct rescore_run {
    const int64_t *ids;
    struct cw_error *err;
};

static void rescore_prepare(void *ctx, struct ingest *in, struct job *j,
                            size_t i)
{
    const struct rescore_run *run = ctx;
    job_prepare_stored(in, j, run->ids[i]);
}

static int rescore_finish(void *ctx, struct ingest *in, struct job *j)
{
    const struct rescore_run *run = ctx;
    job_finish_rescore(in, j);
    return job_result(j, run->err);
}

int ingest_rescore_all(struct ingest *in, const int64_t *ids, size_t n,
                       struct cw_error *err)
{
    static const struct pipe_ops ops = {rescore_prepare, rescore_finish};
    struct rescore_run run = {ids, err};
    return pipe_run(in, NULL, n, &ops, &run);
}

int ingest_reference(struct ingest *in, const struct ingest_ref *ref,
                     enum ingest_outcome *outcome, struct cw_error *err)
{
    int64_t *ids = NULL;
    char(*keys)[65] = NULL;
    size_t n = 0;
    struct job *j = xmalloc(sizeof *j);
    job_init(j);
    int status = txn_begin(in, err);
    if (!status)
        status = store_ref_docs_of(in->s, ref->iso3, &ids, &keys, &n, err);
    if (status)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(keys[i], ref->key)) {
            *outcome = INGEST_UNCHANGED;
            txn_drop_empty(in);
            goto out;
        }
    status = doc_begin(in, err);
    if (status)
        goto out;
    /* The new assessment replaces the earlier ones of the country. */
    for (size_t i = 0; !status && i < n; i++)
        status = store_doc_delete(in->s, ids[i], err);
    struct store_doc_in row = {.iso3 = ref->iso3,
                               .path = ref->path,
                               .sha256 = ref->key,
                               .population = {NAN, NULL, NULL},
                               .internet = {NAN, NULL, NULL},
                               .last_updated = ref->edition_date,
                               .edition_date = ref->edition_date,
                               .source_kind = "reference",
                               .profile_sha256 = ref->profile_sha256};
    int64_t doc_id = 0;
    if (!status)
        status = store_doc_insert(in->s, &row, &doc_id, err);
    if (!status)
        status = store_ref_sections_put(in->s, doc_id, ref->sections,
                                        ref->n_sections, err);
    if (!status) {
        ref_score(in, j, ref->sections, ref->n_sections);
        status = store_scores(in, doc_id, j, true, err);
    }
    status = doc_end(in, status, err);
    if (!status)
        *outcome = n ? INGEST_NEW_VERSION : INGEST_STORED;
out:
    free(ids);
    free(keys);
    job_release(j);
    free(j);
    return status;
}
