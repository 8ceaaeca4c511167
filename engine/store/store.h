/*
 * store: the SQLite database of countries, documents, scores, overrides and
 * reference figures. The only module that includes <sqlite3.h>; it knows no
 * core/ types and takes and returns plain values (the glue that turns a
 * struct doc or struct score_result into store calls is core/ingest.h).
 * The schema is documented in the README ("Database schema").
 *
 * Ownership: store_open returns an owned handle (store_close). Every
 * string argument is borrowed for the duration of the call. Result sets
 * (struct store_scores, store_overrides, ...) are owned by the caller and
 * freed with their *_free function; every pointer inside a result set is
 * owned by the set and valid until that call.
 *
 * Errors: CW_ERR_DB for SQLite failures (the message names the database and
 * carries sqlite3_errmsg), CW_ERR_BUSY when another process holds the write
 * lock past the busy timeout, CW_ERR_NOTFOUND for an unknown rubric or
 * country, CW_ERR_IO when the database's folder does not exist.
 */
#ifndef CYBERWELL_STORE_STORE_H
#define CYBERWELL_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/strbuf.h"

/* The schema version this code writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 2
/* Milliseconds a writer waits for another process's lock. */
#define STORE_BUSY_TIMEOUT_MS 5000

struct store;

/* ---- opening ---------------------------------------------------------- */

enum store_open_flags {
    /* Open with SQLITE_OPEN_READONLY: never create, migrate or write (no
     * WAL switch either). A missing file is CW_ERR_NOTFOUND, an empty
     * one (version 0) CW_ERR_NOTFOUND, an older schema CW_ERR_DB (a
     * command that stores upgrades it). */
    STORE_READONLY = 1 << 0,
    /* path must name a file: ":memory:", "" and "file:" URIs are
     * CW_ERR_USAGE (what a command stores would vanish or go elsewhere),
     * and a FIFO, device or socket CW_ERR_IO. */
    STORE_PERSISTENT = 1 << 1
};

/*
 * Open (creating if needed, unless STORE_READONLY) the database at path
 * (":memory:" and URIs work without STORE_PERSISTENT) and migrate it to
 * STORE_SCHEMA_VERSION. Sets foreign_keys=ON, journal_mode=WAL and a busy
 * timeout of STORE_BUSY_TIMEOUT_MS. A missing or read-only parent folder
 * is CW_ERR_IO naming it; a file that is not a database, not cyberwell's
 * (see schema_check: another program's tables, a negative or newer
 * user_version) is CW_ERR_DB, refused before anything is written.
 * Returns an owned handle or NULL after filling err.
 */
struct store *store_open(const char *path, unsigned flags,
                         struct cw_error *err);
/* Finalize cached statements and close; store_close(NULL) is a no-op. An
 * open transaction is rolled back. */
void store_close(struct store *s);

/* The path given to store_open (borrowed from s). */
const char *store_path(const struct store *s);
/* The SQLite library version, "3.40.1" (static). */
const char *store_sqlite_version(void);

/* ---- transactions ----------------------------------------------------- */

/* BEGIN IMMEDIATE: take the write lock now (waiting up to the busy
 * timeout, then CW_ERR_BUSY). Transactions do not nest. */
int store_begin(struct store *s, struct cw_error *err);
int store_commit(struct store *s, struct cw_error *err);
/* Roll back the open transaction, if any. Never fails. */
void store_rollback(struct store *s);
/* A savepoint inside the open transaction (one document's writes). */
int store_savepoint(struct store *s, struct cw_error *err);
int store_savepoint_release(struct store *s, struct cw_error *err);
/* Undo everything since store_savepoint and drop the savepoint. */
void store_savepoint_rollback(struct store *s);
bool store_in_transaction(const struct store *s);

/* ---- checkpoints on another thread ----------------------------------- */

/*
 * A second connection to the database of s, owned by the caller, that
 * copies committed pages from the write-ahead log back into the database
 * (a checkpoint) on a thread of its own, so that the thread writing
 * through s does not. While it exists, commits through s do not
 * checkpoint. Returns NULL when the database has no write-ahead log
 * (":memory:") or the connection cannot be opened: s then checkpoints as
 * usual. Create and free it on the thread that uses s.
 */
struct store_checkpointer;
struct store_checkpointer *store_checkpointer_new(struct store *s);
/* Copy what is committed (a passive checkpoint: it never waits for a
 * lock, and leaves what it cannot copy yet for the next call). Fills
 * *log_pages with the pages the log holds (0 when unknown). True when the
 * whole log is then in the database: the next write transaction that
 * begins after that restarts the log from its start, which keeps it from
 * growing. Only its own thread calls it. */
bool store_checkpointer_run(struct store_checkpointer *c, size_t *log_pages);
/* Close it; commits through s checkpoint again. NULL is a no-op. */
void store_checkpointer_free(struct store_checkpointer *c);

/* ---- meta (key/value) ------------------------------------------------- */

/* Fill out (reset first) with the value of key; false when not set. */
bool store_meta_get(struct store *s, const char *key, struct strbuf *out,
                    struct cw_error *err);
int store_meta_set(struct store *s, const char *key, const char *value,
                   struct cw_error *err);

/* ---- countries and groups --------------------------------------------- */

/* Delete every alias and group, and every country that no document or
 * override refers to (call inside a transaction, then put the countries
 * back). */
int store_countries_clear(struct store *s, struct cw_error *err);
/* Insert a country, or update the name and region of a stored one. */
int store_country_put(struct store *s, const char *iso3, const char *name,
                      const char *region, struct cw_error *err);
/* alias_key is a folded name (see core/country.h), unique: when another
 * country already holds it nothing is written. Fills owner with the iso3
 * that holds the key after the call (iso3 itself unless taken). */
int store_alias_put(struct store *s, const char *iso3, const char *alias_key,
                    char owner[4], struct cw_error *err);
int store_group_put(struct store *s, const char *group, const char *iso3,
                    struct cw_error *err);

struct store_country {
    char iso3[4];
    char *name;       /* short name, "Belgium" */
    char *region;     /* ITU region, may be "" */
    long n_documents; /* documents stored for it */
};

struct store_countries {
    struct store_country *items; /* owned, sorted by iso3 */
    size_t n;
};

/* Every country (fills out). */
int store_countries_get(struct store *s, struct store_countries *out,
                        struct cw_error *err);
void store_countries_release(struct store_countries *c);
/* Fill c for one iso3 (case-insensitive); CW_ERR_NOTFOUND when unknown.
 * c->name and c->region are owned: free() them (or use the release above
 * on a one-item set). */
int store_country_get(struct store *s, const char *iso3,
                      struct store_country *c, struct cw_error *err);

/* One (alias key, iso3) pair, for title matching. */
struct store_alias {
    char *key; /* folded name or alias */
    char iso3[4];
};

struct store_aliases {
    struct store_alias *items; /* owned, longest key first */
    size_t n;
};

int store_aliases_get(struct store *s, struct store_aliases *out,
                      struct cw_error *err);
void store_aliases_release(struct store_aliases *a);

struct store_strings {
    char **items; /* owned, each owned */
    size_t n;
};

/* Members (iso3, sorted) of a group; CW_ERR_NOTFOUND when no such group. */
int store_group_members(struct store *s, const char *group,
                        struct store_strings *out, struct cw_error *err);
/* Groups a country belongs to (sorted; may be empty). */
int store_country_groups(struct store *s, const char *iso3,
                         struct store_strings *out, struct cw_error *err);
/* Every group name (sorted). */
int store_groups_get(struct store *s, struct store_strings *out,
                     struct cw_error *err);
void store_strings_release(struct store_strings *l);

/* ---- rubrics ---------------------------------------------------------- */

struct store_rubric {
    int64_t id;
    char *name;
    char *version;
    char sha256[65];
    char *path;    /* the file it was registered from */
    char *content; /* the whole file, so rescoring never needs it */
    size_t content_len;
    char *registered_at; /* ISO 8601 UTC */
};

/*
 * Register a rubric's file content (idempotent on name+version+sha256).
 * Fills *id; *is_new tells whether a row was added. The identity of a
 * rubric is its content: a name and version already registered with
 * another sha256 is refused (CW_ERR_PARSE, nothing written) and, when
 * other_sha256 is not NULL, it gets the stored hash (a variant is
 * registered under a version of its own: core/ingest.h).
 */
int store_rubric_register(struct store *s, const char *name,
                          const char *version, const char *sha256,
                          const char *path, const char *content,
                          size_t content_len, int64_t *id, bool *is_new,
                          char other_sha256[65], struct cw_error *err);
/*
 * Make rubric id the current registration of its name: the one read
 * commands and ingest use when no version is asked for (kept in meta as
 * "rubric.current.NAME"). Registering or rescoring under a rubric file
 * selects it, so rescoring with an earlier file brings its results back.
 */
int store_rubric_select(struct store *s, int64_t id, struct cw_error *err);

struct store_rubrics {
    struct store_rubric *items; /* owned, in registration order */
    size_t n;
};

/* Every registered rubric (all versions), oldest first. */
int store_rubrics_get(struct store *s, struct store_rubrics *out,
                      struct cw_error *err);
/*
 * The current registration of rubric `name` (NULL: the name of the first
 * rubric ever registered, normally gci2014): the one last selected
 * (store_rubric_select), else the newest; with `version` not NULL, the
 * registration with exactly that version (of several, which a database
 * written before rubrics were identified by content may hold, the
 * current one, else the newest). Fills out (release with store_rubric_release);
 * CW_ERR_NOTFOUND when none.
 */
int store_rubric_find(struct store *s, const char *name, const char *version,
                      struct store_rubric *out, struct cw_error *err);
/* The rubric registered with this id (fills out); CW_ERR_NOTFOUND. */
int store_rubric_get(struct store *s, int64_t id, struct store_rubric *out,
                     struct cw_error *err);
void store_rubric_release(struct store_rubric *r);
void store_rubrics_release(struct store_rubrics *l);

/* ---- writing documents and results (used by core/ingest.c) ------------ */

/* One section of a reference assessment: a status given, not read from a
 * stored text. */
struct store_ref_section {
    const char *section; /* section number, "1.2.1" */
    const char *status;  /* cw_state_name(): "present" ... "not stated" */
    unsigned line;       /* the deciding sentence's line in the profile, 0
                            when none (no text, or nothing stated) */
    const char *origin;  /* "read", "corrected", "disputed", "held-back" */
    const char *note;    /* why, in words; may be "" */
};

/* A background figure; value is NAN when the document gives none. */
struct store_figure {
    double value;
    const char *source; /* borrowed, may be NULL */
    const char *date;   /* borrowed, may be NULL */
};

struct store_doc_in {
    const char *iso3; /* must be a stored country */
    const char *path;
    const char *sha256; /* of the file's bytes: 64 lowercase hex digits,
                           unique */
    const char *title;  /* as printed, may be NULL */
    size_t size;        /* bytes of the file */
    struct store_figure population;
    struct store_figure internet;
    const char *last_updated;   /* ISO date or NULL */
    const char *edition_date;   /* last_updated, else the latest source date,
                                   else NULL */
    const char *encoding;       /* what the bytes were read as ("UTF-8",
                                   "WINDOWS-1252" ...), or NULL */
    const char *source_kind;    /* "text", "pdf" or "reference", or NULL */
    const char *profile_sha256; /* reference only: the hash of the profile
                                   assessed (sha256 is then the identity of
                                   the assessment's rows); else NULL */
    const char *text; /* the UTF-8 text the parser read, text_len bytes:
                         rescore parses it again */
    size_t text_len;
};

/* The id and country (iso3, may be NULL) of the document with this
 * content hash: true when stored. Reference assessments are not looked
 * at: a profile's text is a document of its own beside the assessment of
 * it. */
bool store_doc_find(struct store *s, const char *sha256, int64_t *id,
                    char iso3[4], struct cw_error *err);
/* Call fn with the SHA-256 (hex) of each stored document (reference
 * assessments left out, as in store_doc_find), in no particular order,
 * until fn returns false. */
int store_doc_hashes(struct store *s, bool (*fn)(void *ctx, const char *sha256),
                     void *ctx, struct cw_error *err);
/* Fills *has_docs: whether any document of iso3 is stored. */
int store_country_has_documents(struct store *s, const char *iso3,
                                bool *has_docs, struct cw_error *err);
/* Insert a document row and its text; fills *id as soon as the row is in
 * (also when storing the text then fails: see store_doc_delete). */
int store_doc_insert(struct store *s, const struct store_doc_in *d, int64_t *id,
                     struct cw_error *err);
/* Delete a document and everything stored of it (its text, sections and
 * results). */
int store_doc_delete(struct store *s, int64_t id, struct cw_error *err);

/* A stored document as forget shows it. */
struct store_doc_row {
    int64_t id;
    char iso3[4];
    char sha256[65];
    char *path;
    char *edition_date; /* may be NULL */
    char *ingested_at;
    long n_results; /* rubrics it has a result under */
};

struct store_doc_rows {
    struct store_doc_row *items; /* owned; latest first (edition date,
                                    then ingestion), as the read side
                                    orders them */
    size_t n;
};

/* Every document of iso3 (any case; fills out, possibly empty). */
int store_country_docs(struct store *s, const char *iso3,
                       struct store_doc_rows *out, struct cw_error *err);
void store_doc_rows_release(struct store_doc_rows *l);
/* Number of overrides stored for iso3. */
int store_override_count(struct store *s, const char *iso3, long *n,
                         struct cw_error *err);

struct store_pillar_in {
    const char *id, *name;
    bool in_overall;
    double score, points, max_points, score_min, score_max;
    long n_indicators, n_stated;
};

struct store_indicator_in {
    const char *id, *name, *pillar; /* pillar id */
    const char *section;            /* section number read, "1.2.1", or NULL */
    const char *status; /* cw_state_name(): "present" ... "not stated" */
    double points;      /* level points, unweighted */
    double weight;
    unsigned line;        /* evidence line, 0 when none */
    const char *cue;      /* cue id or NULL */
    const char *evidence; /* deciding sentence or NULL */
    const char *reason;   /* why, in words */
};

struct store_result_in {
    int64_t doc_id, rubric_id;
    bool is_first; /* no result of this document is stored yet (it was
                      just inserted): nothing to replace */
    double overall, points, max_points, overall_min, overall_max;
    long coverage, n_counted;
    const struct store_pillar_in *pillars; /* borrowed, n_pillars */
    size_t n_pillars;
    const struct store_indicator_in *indicators; /* borrowed */
    size_t n_indicators;
};

/* Store (replacing any earlier) the result of one document under one
 * rubric with its pillar scores and indicator results. */
int store_result_put(struct store *s, const struct store_result_in *r,
                     struct cw_error *err);

/* Store the sections of the reference assessment doc_id (n rows, in
 * order; strings borrowed for the call). */
int store_ref_sections_put(struct store *s, int64_t doc_id,
                           const struct store_ref_section *secs, size_t n,
                           struct cw_error *err);

/* A reference assessment read back. */
struct store_ref_doc {
    struct store_ref_section *items; /* owned, in stored order; strings
                                        owned (freed by the release) */
    size_t n;
};

/*
 * Fills *is_reference (whether doc_id is a reference assessment) and,
 * when it is, out with its sections; else out is empty. Release out with
 * store_ref_doc_release either way.
 */
int store_ref_doc_get(struct store *s, int64_t doc_id, bool *is_reference,
                      struct store_ref_doc *out, struct cw_error *err);
void store_ref_doc_release(struct store_ref_doc *r);

/* The reference assessments stored for iso3: their ids and identities
 * (the sha256 column), oldest first. ids and keys are owned (free(); keys
 * holds n hashes of SHA256 hex length + 1 bytes each). */
int store_ref_docs_of(struct store *s, const char *iso3, int64_t **ids,
                      char (**keys)[65], size_t *n, struct cw_error *err);

/* ---- reading documents back (rescore) --------------------------------- */

/* Every stored document id, oldest first (fills ids, owned: free()). */
int store_doc_ids(struct store *s, int64_t **ids, size_t *n,
                  struct cw_error *err);

/*
 * The text of the stored document doc_id, as the parser read it: fills
 * text and path (each reset first) and sha256 (the file's hash), and sets
 * *has_text. A document stored before schema 2 has no text
 * (*has_text false): read it with store_doc_parts. CW_ERR_NOTFOUND when
 * there is no such document.
 */
int store_doc_text(struct store *s, int64_t doc_id, struct strbuf *path,
                   struct strbuf *text, char sha256[65], bool *has_text,
                   struct cw_error *err);

/* One section or unit of a document stored before schema 2, in document
 * order. */
struct store_part {
    bool is_section;
    const char *number; /* section only; borrowed for the callback */
    const char *title;  /* section only */
    int kind;           /* unit only: 0 sentence, 1 bullet */
    const char *text;   /* unit only */
    unsigned line;
};

typedef int (*store_part_fn)(void *ctx, const struct store_part *p,
                             struct cw_error *err);

/* Call fn for each section then its units, in order (none for a document
 * stored with its text). */
int store_doc_parts(struct store *s, int64_t doc_id, store_part_fn fn,
                    void *ctx, struct cw_error *err);

/* ---- reading scores --------------------------------------------------- */

/* Plain rows as stored: the computed statuses and scores. Analyst
 * overrides and everything derived from them are core/model.h's.
 * The strings of a result set are shared (equal strings may be one
 * copy): read them, never write through them. */
struct store_pillar {
    char *id;
    char *name;
    bool in_overall;
    double score; /* 0..1 */
    double points, max_points;
    double score_min, score_max; /* range over unknown/unstated */
    long n_indicators, n_stated;
};

struct store_indicator {
    char *id;
    char *name;
    char *pillar;  /* pillar id */
    char *section; /* section number read, or NULL */
    char *status;  /* computed: "present", "partial", "absent", "unknown",
                      "not stated" */
    double points; /* level points */
    double weight;
    unsigned line;  /* evidence line, 0 when none */
    char *cue;      /* or NULL */
    char *evidence; /* or NULL */
    char *reason;
};

/* One document under one rubric. */
struct store_score {
    int64_t doc_id;
    char iso3[4];
    char *country; /* short name */
    char *region;
    char *title; /* as printed, may be NULL */
    char *path;
    char sha256[65];
    char *edition_date; /* may be NULL */
    char *last_updated; /* may be NULL */
    char *ingested_at;  /* ISO 8601 UTC */
    double overall, points, max_points, overall_min, overall_max;
    long coverage, n_counted;
    struct store_pillar *pillars; /* owned, rubric order */
    size_t n_pillars;
    struct store_indicator *indicators; /* owned, rubric order */
    size_t n_indicators;
};

struct store_override {
    int64_t id;
    char iso3[4];
    char *indicator; /* rubric indicator id */
    char *status;    /* "present", "partial", "absent", "unknown" */
    char *reason;
    char *author;
    char *date;        /* ISO date */
    char *source_file; /* CSV it was imported from */
    unsigned source_line;
    char *imported_at; /* ISO 8601 UTC */
};

struct store_mem; /* string storage of a result set (store.c) */

struct store_scores {
    struct store_mem *mem; /* owned: every string of items lives here */
    /* the rubric the scores were computed under */
    int64_t rubric_id;
    char *rubric_name;
    char *rubric_version;
    char rubric_sha256[65];
    struct store_score *items; /* owned; sorted by iso3, then edition */
    size_t n;
};

struct store_query {
    const char *rubric;  /* name; NULL: see store_rubric_find */
    const char *version; /* NULL: the current registration of that name */
    const char *iso3;    /* NULL: every country */
    const char *group;   /* NULL: no filter; else members of that group */
    /* NULL: each country's latest document (by edition_date, then
     * ingestion). Else "YYYY", "YYYY-MM" or "YYYY-MM-DD": the latest
     * document whose edition date is not after it (a prefix compares
     * as the whole period). */
    const char *as_of;
    bool is_all_versions; /* every document, oldest first (a trend) */
    bool is_brief;        /* leave evidence sentences out (NULL): less memory */
};

#define STORE_QUERY_INIT                                                       \
    {                                                                          \
        NULL, NULL, NULL, NULL, NULL, false, false                             \
    }

/*
 * Scores of the documents q selects under the rubric q names. Returns an
 * owned set (store_scores_free), possibly empty, or NULL after filling err
 * (CW_ERR_NOTFOUND for an unknown rubric or group; an unknown iso3 gives
 * an empty set). Documents stored before the rubric was registered and not
 * rescored since have no result and are left out.
 */
struct store_scores *store_scores_get(struct store *s,
                                      const struct store_query *q,
                                      struct cw_error *err);
void store_scores_free(struct store_scores *set);

/*
 * Called once per selected document, in set order. sc and everything it
 * points to are borrowed until the callback returns. rubric describes the
 * rubric (its items are empty). Return CW_OK to go on, or an error to
 * stop.
 */
typedef int (*store_score_fn)(void *ctx, const struct store_scores *rubric,
                              struct store_score *sc, struct cw_error *err);

/*
 * The same selection as store_scores_get, streamed one document at a time
 * (memory stays flat however many documents are stored).
 */
int store_scores_each(struct store *s, const struct store_query *q,
                      store_score_fn fn, void *ctx, struct cw_error *err);

/* ---- overrides -------------------------------------------------------- */

struct store_override_in {
    const char *iso3, *indicator, *status, *reason, *author, *date;
    const char *source_file;
    unsigned source_line;
};

int store_override_add(struct store *s, const struct store_override_in *o,
                       struct cw_error *err);

struct store_overrides {
    struct store_override *items; /* owned; by iso3, indicator, then the
                                     latest import last */
    size_t n;
};

/* Every override, or those of one country (iso3 not NULL). */
int store_overrides_get(struct store *s, const char *iso3,
                        struct store_overrides *out, struct cw_error *err);
void store_overrides_release(struct store_overrides *o);
/* Free the strings of one override (fields of o; o itself is not freed). */
void store_override_release(struct store_override *o);

/* ---- reference series (published index figures) ----------------------- */

/* Numbers are NAN when the source did not publish them. */
struct store_reference_in {
    const char *edition, *iso3, *country;
    double overall, rank;
    const char *tier; /* may be NULL */
    double legal, technical, organizational, capacity_building, cooperation,
        scale;
    const char *rank_method, *source_url;
};

/* Insert or replace the row of (edition, iso3). */
int store_reference_put(struct store *s, const struct store_reference_in *r,
                        struct cw_error *err);

struct store_reference {
    char *edition;
    char iso3[4];
    char *country;
    double overall, rank; /* NAN when not published */
    char *tier;           /* "" when not published */
    double legal, technical, organizational, capacity_building, cooperation;
    double scale; /* the scale the scores are on (1 or 100); NAN if none */
    char *rank_method;
    char *source_url;
};

struct store_references {
    struct store_reference *items; /* owned; by edition, then rank */
    size_t n;
};

/* Rows of one edition (NULL: all) and country (NULL: all). */
int store_references_get(struct store *s, const char *edition, const char *iso3,
                         struct store_references *out, struct cw_error *err);
void store_references_release(struct store_references *r);

/* ---- statistics ------------------------------------------------------- */

struct store_stats {
    long countries, documents, rubrics, results, overrides, references;
};

int store_stats_get(struct store *s, struct store_stats *out,
                    struct cw_error *err);

/* Run PRAGMA integrity_check; CW_ERR_DB with its first message when the
 * database is damaged. */
int store_check(struct store *s, struct cw_error *err);

#endif
