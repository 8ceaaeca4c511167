/*
 * The SQLite store: opening and migrating the database, cached prepared
 * statements, transactions, and the read and write API of store.h.
 */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/schema.h"
#include "util/arena.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* Bytes per page of a new database: a generated profile's text (3 to 6
 * KB) and its indicator rows then take fewer pages, and the write-ahead
 * log half as many writes, as with SQLite's default of 4096 (ingest of
 * 10,000 generated profiles: 25 % less system time). */
#define STORE_PAGE_SIZE "8192"

/* Pages in the write-ahead log after which a commit checkpoints (SQLite's
 * default). */
#define STORE_WAL_AUTOCHECKPOINT 1000

/* Cached statements, prepared on first use and reused. */
enum st {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_META_GET,
    ST_META_SET,
    ST_COUNTRY_PUT,
    ST_ALIAS_PUT,
    ST_ALIAS_OWNER,
    ST_GROUP_PUT,
    ST_DOC_FIND,
    ST_COUNTRY_HAS_DOCS,
    ST_DOC_INSERT,
    ST_TEXT_INSERT,
    ST_DOC_DELETE,
    ST_RESULT_DELETE,
    ST_RESULT_INSERT,
    ST_DOC_TEXT,
    ST_PART_SECTIONS,
    ST_PART_UNITS,
    ST_SCORE_PILLARS,
    ST_SCORE_INDICATORS,
    ST_OVERRIDE_ADD,
    ST_REFERENCE_PUT,
    ST_N
};

/* A document that is not a reference assessment (SQL condition on
 * documents, unaliased). */
#define NOT_REFERENCE "coalesce(source_kind, '') <> 'reference'"

static const char *const st_sql[ST_N] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT cw_doc",
    [ST_RELEASE] = "RELEASE cw_doc",
    [ST_ROLLBACK_TO] = "ROLLBACK TO cw_doc",
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_SET] = "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [ST_COUNTRY_PUT] =
        "INSERT INTO countries(iso3, name, region) VALUES(?1, ?2, ?3) "
        "ON CONFLICT(iso3) DO UPDATE SET name = excluded.name, "
        "region = excluded.region",
    [ST_ALIAS_PUT] = "INSERT INTO country_aliases(alias_key, iso3) "
                     "VALUES(?1, ?2) ON CONFLICT(alias_key) DO NOTHING",
    [ST_ALIAS_OWNER] = "SELECT iso3 FROM country_aliases WHERE alias_key = ?1",
    [ST_GROUP_PUT] = "INSERT OR IGNORE INTO groups(name, iso3) VALUES(?1, ?2)",
    [ST_COUNTRY_HAS_DOCS] = "SELECT 1 FROM documents WHERE iso3 = ?1 LIMIT 1",
    [ST_DOC_FIND] = "SELECT id, iso3 FROM documents WHERE sha256 = ?1 "
                    "AND " NOT_REFERENCE,
    [ST_DOC_INSERT] =
        "INSERT INTO documents(iso3, path, sha256, title, size, population, "
        "population_source, population_date, internet_pct, internet_source, "
        "internet_date, last_updated, edition_date, ingested_at, encoding, "
        "source_kind, profile_sha256) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?17)",
    [ST_TEXT_INSERT] =
        "INSERT INTO document_texts(document_id, text) VALUES(?1, ?2)",
    [ST_DOC_DELETE] = "DELETE FROM documents WHERE id = ?1",
    [ST_RESULT_DELETE] =
        "DELETE FROM results WHERE document_id = ?1 AND rubric_id = ?2",
    [ST_RESULT_INSERT] =
        "INSERT INTO results(document_id, rubric_id, overall, points, "
        "max_points, overall_min, overall_max, coverage, n_counted, "
        "scored_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [ST_DOC_TEXT] = "SELECT d.path, d.sha256, t.text FROM documents d "
                    "LEFT JOIN document_texts t ON t.document_id = d.id "
                    "WHERE d.id = ?1",
    [ST_PART_SECTIONS] = "SELECT id, number, title, line FROM sections "
                         "WHERE document_id = ?1 ORDER BY seq",
    [ST_PART_UNITS] = "SELECT kind, line, text FROM units "
                      "WHERE section_id = ?1 ORDER BY seq",
    [ST_SCORE_PILLARS] =
        "SELECT pillar, name, in_overall, score, points, max_points, "
        "score_min, score_max, n_indicators, n_stated FROM pillar_scores "
        "WHERE document_id = ?1 AND rubric_id = ?2 ORDER BY seq",
    [ST_SCORE_INDICATORS] =
        "SELECT indicator, name, pillar, section, status, points, weight, "
        "line, cue, evidence, reason FROM indicator_results "
        "WHERE document_id = ?1 AND rubric_id = ?2 ORDER BY seq",
    [ST_OVERRIDE_ADD] =
        "INSERT INTO overrides(iso3, indicator, status, reason, author, date, "
        "source_file, source_line, imported_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [ST_REFERENCE_PUT] =
        "INSERT OR REPLACE INTO reference_scores(edition, iso3, country, "
        "overall, rank, tier, legal, technical, organizational, "
        "capacity_building, cooperation, scale, rank_method, source_url) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
};

/*
 * The rows of a result are inserted several at a time, one statement per
 * STORE_ROWS_MAX rows or fewer: per row, a statement's own cost (run,
 * reset, its statement journal) is then shared.
 */
#define STORE_ROWS_MAX 32

enum rows_table { ROWS_PILLARS, ROWS_INDICATORS, ROWS_N };

static const struct {
    const char *head; /* INSERT ... VALUES */
    int n_cols;
} rows_sql[ROWS_N] = {
    [ROWS_PILLARS] = {"INSERT INTO pillar_scores(document_id, rubric_id, seq, "
                      "pillar, name, in_overall, score, points, max_points, "
                      "score_min, score_max, n_indicators, n_stated) VALUES",
                      13},
    [ROWS_INDICATORS] = {"INSERT INTO indicator_results(document_id, "
                         "rubric_id, seq, indicator, name, pillar, section, "
                         "status, points, weight, line, cue, evidence, "
                         "reason) VALUES",
                         14},
};

struct store {
    sqlite3 *db;
    char *path;                /* owned copy */
    sqlite3_stmt *stmts[ST_N]; /* owned; NULL until first use */
    /* owned; rows[t][n] inserts n rows into table t, NULL until used */
    sqlite3_stmt *rows[ROWS_N][STORE_ROWS_MAX + 1];
    bool has_savepoint;
    bool is_wal;     /* journal_mode is WAL (not ":memory:") */
    bool is_opening; /* errors read "cannot open database" */
    char now[32];    /* ISO 8601 UTC time of the current transaction */
};

/* ---- helpers ------------------------------------------------------------ */

/* The operating system's reason behind an I/O failure, " (File too
 * large)", or "": SQLite's "disk I/O error" alone does not say. SQLite
 * does not keep the errno of a failed WAL write: then errno, read right
 * after the failing call (sys_errno), tells. */
static const char *os_cause(sqlite3 *db, int sys_errno, char *buf, size_t cap)
{
    int primary = sqlite3_extended_errcode(db) & 0xff;
    int e = sqlite3_system_errno(db);
    if (!e && primary == SQLITE_IOERR)
        e = sys_errno;
    buf[0] = '\0';
    if (e && (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
              primary == SQLITE_FULL))
        snprintf(buf, cap, " (%s)", strerror(e));
    return buf;
}

static int fail(struct store *s, int rc, const char *what, struct cw_error *err)
{
    int sys_errno = errno;
    char cause[128];
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return cw_errorf(err, CW_ERR_BUSY, CW_LOC_NONE,
                         "database is busy: another cyberwell process is "
                         "writing '%s'",
                         s->path);
    os_cause(s->db, sys_errno, cause, sizeof cause);
    if (s->is_opening)
        return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                         "cannot open database '%s': %s%s", s->path,
                         sqlite3_errmsg(s->db), cause);
    return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE, "cannot %s in '%s': %s%s",
                     what, s->path, sqlite3_errmsg(s->db), cause);
}

static void set_now(struct store *s)
{
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(s->now, sizeof s->now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(s->now, sizeof s->now, "%lld", (long long)t);
}

/* The cached statement id, reset and with its bindings cleared; NULL after
 * filling err. */
static sqlite3_stmt *stmt(struct store *s, enum st id, struct cw_error *err)
{
    sqlite3_stmt *st = s->stmts[id];
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    int rc = sqlite3_prepare_v3(s->db, st_sql[id], -1,
                                SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        fail(s, rc, "prepare a statement", err);
        return NULL;
    }
    s->stmts[id] = st;
    return st;
}

/* A one-off statement (finalize it); NULL after filling err. */
static sqlite3_stmt *prepare(struct store *s, const char *sql,
                             struct cw_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        fail(s, rc, "prepare a statement", err);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* The cached statement that inserts n rows (1..STORE_ROWS_MAX) into
 * table t, reset; NULL after filling err. Every parameter is bound anew
 * before each run. */
static sqlite3_stmt *rows_stmt(struct store *s, enum rows_table t, size_t n,
                               struct cw_error *err)
{
    sqlite3_stmt *st = s->rows[t][n];
    if (st) {
        sqlite3_reset(st);
        return st;
    }
    struct strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, rows_sql[t].head);
    for (size_t r = 0; r < n; r++) {
        strbuf_adds(&sql, r ? ",(" : "(");
        for (int c = 0; c < rows_sql[t].n_cols; c++)
            strbuf_adds(&sql, c ? ",?" : "?");
        strbuf_addch(&sql, ')');
    }
    int rc = sqlite3_prepare_v3(s->db, sql.buf, (int)sql.len,
                                SQLITE_PREPARE_PERSISTENT, &st, NULL);
    strbuf_release(&sql);
    if (rc != SQLITE_OK) {
        fail(s, rc, "prepare a statement", err);
        return NULL;
    }
    s->rows[t][n] = st;
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

/* Step a statement that returns no rows, then reset it. */
static int step_done(struct store *s, sqlite3_stmt *st, const char *what,
                     struct cw_error *err)
{
    int rc = sqlite3_step(st);
    int status = CW_OK;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        status = fail(s, rc, what, err);
    sqlite3_reset(st);
    return status;
}

/* Owned copy of a text column, or NULL when it is NULL. */
static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

/* Owned copy of a text column, "" when it is NULL. */
static char *col_dup0(sqlite3_stmt *st, int i)
{
    char *t = col_dup(st, i);
    return t ? t : xstrdup("");
}

static double col_real(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NAN;
    return sqlite3_column_double(st, i);
}

static void col_fixed(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

/* Run SQL without results (set-up only; no user data in sql). */
static int exec(struct store *s, const char *sql, const char *what,
                struct cw_error *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(s, rc, what, err);
    return CW_OK;
}

/* ---- opening ------------------------------------------------------------ */

/* CW_ERR_IO when the folder that would hold path does not exist, or is
 * read-only: SQLite creates the -wal and -shm files beside the database,
 * even to read it. */
static int check_folder(const char *path, struct cw_error *err)
{
    if (!strcmp(path, ":memory:") || !strncmp(path, "file:", 5) || !*path)
        return CW_OK;
    const char *slash = strrchr(path, '/');
    size_t n = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
    char *dir = xstrndup(slash ? path : ".", n);
    struct stat sb;
    int status = CW_OK;
    if (stat(dir, &sb) != 0)
        status = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                           "cannot open database '%s': folder '%s': %s", path,
                           dir, strerror(errno));
    else if (!S_ISDIR(sb.st_mode))
        status = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                           "cannot open database '%s': '%s' is not a folder",
                           path, dir);
    else if (access(dir, W_OK) != 0)
        status = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                           "cannot open database '%s': folder '%s' is not "
                           "writable: %s",
                           path, dir, strerror(errno));
    free(dir);
    return status;
}

/*
 * The database file itself, before SQLite opens it (opened O_NONBLOCK and
 * checked with fstat, so that a FIFO never blocks): a device, FIFO or
 * socket is refused (SQLite would write /dev/null-journal beside
 * /dev/null); a missing file is refused when is_readonly (a read never
 * creates a database). A folder is left to SQLite, which says so.
 */
static int check_file(const char *path, bool is_readonly, struct cw_error *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT && is_readonly)
            return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                             "database '%s' does not exist (run 'cyberwell "
                             "ingest' first to create it)",
                             path);
        if (e == ENXIO && stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
            return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                             "cannot open database '%s': not a regular file "
                             "(%s)",
                             path, fileio_mode_name(sb.st_mode));
        return CW_OK; /* SQLite reports it (or creates the file) */
    }
    int rc = fstat(fd, &sb);
    close(fd);
    if (rc == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
        return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                         "cannot open database '%s': not a regular file (%s)",
                         path, fileio_mode_name(sb.st_mode));
    return CW_OK;
}

/* For STORE_PERSISTENT: names under which SQLite keeps nothing, or reads
 * options from the name. */
static int check_persistent(const char *path, struct cw_error *err)
{
    if (!*path || !strcmp(path, ":memory:"))
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "cannot use database '%s': SQLite would keep it in "
                         "memory and nothing would be stored; name a file",
                         path);
    if (!strncmp(path, "file:", 5))
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "cannot use database '%s': SQLite URIs are not "
                         "accepted; name a file (write './%s' for a file "
                         "whose name starts with 'file:')",
                         path, path);
    return CW_OK;
}

static int set_wal(struct store *s, struct cw_error *err)
{
    sqlite3_stmt *st = prepare(s, "PRAGMA journal_mode", err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    int rc = sqlite3_step(st);
    bool is_wal = false, is_memory = false;
    if (rc == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        is_wal = m && !strcmp(m, "wal");
        is_memory = m && !strcmp(m, "memory");
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return fail(s, rc, "read the journal mode", err);
    s->is_wal = is_wal;
    if (is_wal || is_memory)
        return CW_OK;
    /* Switching to WAL needs an exclusive lock, and SQLite does not call
     * the busy handler for it: retry until the busy timeout. */
    struct timespec pause = {0, 10L * 1000 * 1000};
    for (int waited = 0;; waited += 10) {
        rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc != SQLITE_BUSY || waited >= STORE_BUSY_TIMEOUT_MS)
            break;
        nanosleep(&pause, NULL);
    }
    if (rc != SQLITE_OK)
        return fail(s, rc, "set the journal mode", err);
    s->is_wal = true;
    return CW_OK;
}

struct store *store_open(const char *path, unsigned flags, struct cw_error *err)
{
    bool is_readonly = flags & STORE_READONLY;
    bool is_file = flags & STORE_PERSISTENT;
    if (is_file && check_persistent(path, err))
        return NULL;
    if (check_folder(path, err))
        return NULL;
    if (is_file && check_file(path, is_readonly, err))
        return NULL;
    struct store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->is_opening = true;
    int oflags = is_readonly ? SQLITE_OPEN_READONLY
                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (!is_file)
        oflags |= SQLITE_OPEN_URI;
    /* One connection per store, used by one thread: no SQLite mutexes,
     * and no memory statistics (their global mutex costs on every
     * allocation). sqlite3_config is refused once SQLite is initialised,
     * which is harmless. */
    static bool is_configured;
    if (!is_configured) {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        is_configured = true;
    }
    int rc = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        int sys_errno = errno;
        char cause[128];
        if (s->db)
            cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                      "cannot open database '%s': %s%s", path,
                      sqlite3_errmsg(s->db),
                      os_cause(s->db, sys_errno, cause, sizeof cause));
        else
            cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                      "cannot open database '%s': %s", path,
                      sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    set_now(s);
    if (exec(s, "PRAGMA foreign_keys=ON", "enable foreign keys", err))
        goto fail;
    /* Refuse a database that is not ours, or newer, before writing
     * anything (even the WAL). */
    int version = 0;
    /* One snapshot: another process may be creating the schema. */
    if (exec(s, "BEGIN", "open", err))
        goto fail;
    if (schema_check(s->db, s->path, &version, err)) {
        int sql_rc = sqlite3_errcode(s->db);
        if (sql_rc != SQLITE_OK && sql_rc != SQLITE_ROW &&
            sql_rc != SQLITE_DONE)
            fail(s, sql_rc, "open", err); /* SQLite's reason, with errno */
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        goto fail;
    }
    if (exec(s, "COMMIT", "open", err))
        goto fail;
    if (!is_readonly) {
        /* A new database gets pages of STORE_PAGE_SIZE bytes (a no-op for
         * an existing one). */
        if (exec(s, "PRAGMA page_size=" STORE_PAGE_SIZE, "set the page size",
                 err))
            goto fail;
        if (set_wal(s, err))
            goto fail;
        /* WAL + synchronous=NORMAL survives a killed process; only a power
         * failure may lose the last commits. */
        if (exec(s,
                 "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192;"
                 "PRAGMA temp_store=MEMORY",
                 "set pragmas", err))
            goto fail;
        if (schema_migrate(s->db, s->path, NULL, err))
            goto fail;
    } else if (version == 0) {
        cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                  "database '%s' is empty (run 'cyberwell ingest' first)",
                  path);
        goto fail;
    } else if (version < STORE_SCHEMA_VERSION) {
        /* A read neither creates nor upgrades. */
        cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                  "database '%s' has schema version %d, older than this "
                  "cyberwell's (%d): run a command that stores (such as "
                  "'cyberwell import' or 'cyberwell ingest') to upgrade it",
                  path, version, STORE_SCHEMA_VERSION);
        goto fail;
    }
    s->is_opening = false;
    return s;
fail:
    store_close(s);
    return NULL;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->db && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    for (size_t i = 0; i < ST_N; i++)
        sqlite3_finalize(s->stmts[i]);
    for (size_t t = 0; t < ROWS_N; t++)
        for (size_t n = 0; n <= STORE_ROWS_MAX; n++)
            sqlite3_finalize(s->rows[t][n]);
    sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

const char *store_path(const struct store *s)
{
    return s->path;
}

const char *store_sqlite_version(void)
{
    return sqlite3_libversion();
}

/* ---- transactions ------------------------------------------------------- */

static int run(struct store *s, enum st id, const char *what,
               struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, id, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    return step_done(s, st, what, err);
}

int store_begin(struct store *s, struct cw_error *err)
{
    if (!sqlite3_get_autocommit(s->db))
        CW_BUG("store_begin inside a transaction");
    set_now(s);
    return run(s, ST_BEGIN, "begin a transaction", err);
}

int store_commit(struct store *s, struct cw_error *err)
{
    int status = run(s, ST_COMMIT, "commit", err);
    if (status && !sqlite3_get_autocommit(s->db))
        store_rollback(s);
    return status;
}

void store_rollback(struct store *s)
{
    s->has_savepoint = false;
    if (!sqlite3_get_autocommit(s->db))
        run(s, ST_ROLLBACK, "roll back", NULL);
}

int store_savepoint(struct store *s, struct cw_error *err)
{
    if (s->has_savepoint)
        CW_BUG("nested store_savepoint");
    int status = run(s, ST_SAVEPOINT, "start a savepoint", err);
    if (!status)
        s->has_savepoint = true;
    return status;
}

int store_savepoint_release(struct store *s, struct cw_error *err)
{
    s->has_savepoint = false;
    return run(s, ST_RELEASE, "release a savepoint", err);
}

void store_savepoint_rollback(struct store *s)
{
    if (!s->has_savepoint)
        return;
    s->has_savepoint = false;
    /* After some errors SQLite has rolled back the whole transaction. */
    if (sqlite3_get_autocommit(s->db))
        return;
    run(s, ST_ROLLBACK_TO, "roll back a savepoint", NULL);
    run(s, ST_RELEASE, "release a savepoint", NULL);
}

bool store_in_transaction(const struct store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

/* ---- checkpoints on another thread -------------------------------------- */

struct store_checkpointer {
    struct store *s; /* borrowed: the writing connection */
    sqlite3 *db;     /* owned: the checkpointing connection */
};

struct store_checkpointer *store_checkpointer_new(struct store *s)
{
    const char *file = sqlite3_db_filename(s->db, "main");
    if (!file || !*file || !s->is_wal)
        return NULL;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) !=
            SQLITE_OK) {
        sqlite3_close_v2(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
    struct store_checkpointer *c = xcalloc(1, sizeof *c);
    c->s = s;
    c->db = db;
    sqlite3_wal_autocheckpoint(s->db, 0);
    return c;
}

bool store_checkpointer_run(struct store_checkpointer *c, size_t *log_pages)
{
    /* A failure (the log busy, say) leaves the pages for the next run or
     * for the last connection's close, which checkpoints everything. */
    int n_log = -1, n_done = -1;
    int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                       &n_log, &n_done);
    *log_pages = n_log > 0 ? (size_t)n_log : 0;
    return rc == SQLITE_OK && n_log >= 0 && n_log == n_done;
}

void store_checkpointer_free(struct store_checkpointer *c)
{
    if (!c)
        return;
    sqlite3_close_v2(c->db);
    sqlite3_wal_autocheckpoint(c->s->db, STORE_WAL_AUTOCHECKPOINT);
    free(c);
}

/* ---- meta --------------------------------------------------------------- */

bool store_meta_get(struct store *s, const char *key, struct strbuf *out,
                    struct cw_error *err)
{
    strbuf_reset(out);
    sqlite3_stmt *st = stmt(s, ST_META_GET, err);
    if (!st)
        return false;
    bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    bool found = false;
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        strbuf_adds(out, v ? (const char *)v : "");
        found = true;
    } else if (rc != SQLITE_DONE) {
        fail(s, rc, "read meta", err);
    }
    sqlite3_reset(st);
    return found;
}

int store_meta_set(struct store *s, const char *key, const char *value,
                   struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_META_SET, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return step_done(s, st, "write meta", err);
}

/* ---- countries and groups ----------------------------------------------- */

int store_countries_clear(struct store *s, struct cw_error *err)
{
    return exec(s,
                "DELETE FROM groups; DELETE FROM country_aliases; "
                "DELETE FROM countries WHERE iso3 NOT IN "
                "(SELECT iso3 FROM documents UNION SELECT iso3 FROM overrides)",
                "clear the countries", err);
}

int store_country_put(struct store *s, const char *iso3, const char *name,
                      const char *region, struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_COUNTRY_PUT, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, iso3);
    bind_text(st, 2, name);
    bind_text(st, 3, region ? region : "");
    return step_done(s, st, "store a country", err);
}

int store_alias_put(struct store *s, const char *iso3, const char *alias_key,
                    char owner[4], struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_ALIAS_PUT, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, alias_key);
    bind_text(st, 2, iso3);
    int status = step_done(s, st, "store a country alias", err);
    if (status)
        return status;
    st = stmt(s, ST_ALIAS_OWNER, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, alias_key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        col_fixed(st, 0, owner, 4);
    else
        status = fail(s, rc, "read a country alias", err);
    sqlite3_reset(st);
    return status;
}

int store_group_put(struct store *s, const char *group, const char *iso3,
                    struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_GROUP_PUT, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, group);
    bind_text(st, 2, iso3);
    return step_done(s, st, "store a group member", err);
}

int store_countries_get(struct store *s, struct store_countries *out,
                        struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        prepare(s,
                "SELECT c.iso3, c.name, c.region, "
                "(SELECT count(*) FROM documents d WHERE d.iso3 = c.iso3) "
                "FROM countries c ORDER BY c.iso3",
                err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(out->items, out->n + 1, cap);
        struct store_country *c = &out->items[out->n++];
        col_fixed(st, 0, c->iso3, sizeof c->iso3);
        c->name = col_dup0(st, 1);
        c->region = col_dup0(st, 2);
        c->n_documents = (long)sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_countries_release(out);
        return fail(s, rc, "read the countries", err);
    }
    return CW_OK;
}

void store_countries_release(struct store_countries *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].name);
        free(c->items[i].region);
    }
    free(c->items);
    memset(c, 0, sizeof *c);
}

int store_country_get(struct store *s, const char *iso3,
                      struct store_country *c, struct cw_error *err)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st =
        prepare(s,
                "SELECT c.iso3, c.name, c.region, "
                "(SELECT count(*) FROM documents d WHERE d.iso3 = c.iso3) "
                "FROM countries c WHERE c.iso3 = upper(?1)",
                err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, iso3);
    int rc = sqlite3_step(st);
    int status = CW_OK;
    if (rc == SQLITE_ROW) {
        col_fixed(st, 0, c->iso3, sizeof c->iso3);
        c->name = col_dup0(st, 1);
        c->region = col_dup0(st, 2);
        c->n_documents = (long)sqlite3_column_int64(st, 3);
    } else if (rc == SQLITE_DONE) {
        status = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                           "unknown country '%s'", iso3);
    } else {
        status = fail(s, rc, "read a country", err);
    }
    sqlite3_finalize(st);
    return status;
}

int store_aliases_get(struct store *s, struct store_aliases *out,
                      struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prepare(s,
                               "SELECT alias_key, iso3 FROM country_aliases "
                               "ORDER BY length(alias_key) DESC, alias_key",
                               err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(out->items, out->n + 1, cap);
        struct store_alias *a = &out->items[out->n++];
        a->key = col_dup0(st, 0);
        col_fixed(st, 1, a->iso3, sizeof a->iso3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_aliases_release(out);
        return fail(s, rc, "read the country aliases", err);
    }
    return CW_OK;
}

void store_aliases_release(struct store_aliases *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->items[i].key);
    free(a->items);
    memset(a, 0, sizeof *a);
}

/* Collect column 0 of every row of st (bound by the caller), finalize. */
static int collect_strings(struct store *s, sqlite3_stmt *st,
                           struct store_strings *out, const char *what,
                           struct cw_error *err)
{
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(out->items, out->n + 1, cap);
        out->items[out->n++] = col_dup0(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_strings_release(out);
        return fail(s, rc, what, err);
    }
    return CW_OK;
}

int store_group_members(struct store *s, const char *group,
                        struct store_strings *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prepare(
        s, "SELECT iso3 FROM groups WHERE name = ?1 ORDER BY iso3", err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, group);
    int status = collect_strings(s, st, out, "read a group", err);
    if (!status && out->n == 0)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "unknown group '%s'", group);
    return status;
}

int store_country_groups(struct store *s, const char *iso3,
                         struct store_strings *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prepare(
        s, "SELECT name FROM groups WHERE iso3 = upper(?1) ORDER BY name", err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, iso3);
    return collect_strings(s, st, out, "read the groups of a country", err);
}

int store_groups_get(struct store *s, struct store_strings *out,
                     struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        prepare(s, "SELECT DISTINCT name FROM groups ORDER BY name", err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    return collect_strings(s, st, out, "read the groups", err);
}

void store_strings_release(struct store_strings *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- rubrics ------------------------------------------------------------ */

#define RUBRIC_COLS "id, name, version, sha256, path, content, registered_at"

static void rubric_row(sqlite3_stmt *st, struct store_rubric *r)
{
    r->id = sqlite3_column_int64(st, 0);
    r->name = col_dup0(st, 1);
    r->version = col_dup0(st, 2);
    col_fixed(st, 3, r->sha256, sizeof r->sha256);
    r->path = col_dup0(st, 4);
    const void *blob = sqlite3_column_blob(st, 5);
    size_t len = (size_t)sqlite3_column_bytes(st, 5);
    r->content = xmalloc(len + 1);
    if (len)
        memcpy(r->content, blob, len);
    r->content[len] = '\0';
    r->content_len = len;
    r->registered_at = col_dup0(st, 6);
}

int store_rubric_register(struct store *s, const char *name,
                          const char *version, const char *sha256,
                          const char *path, const char *content,
                          size_t content_len, int64_t *id, bool *is_new,
                          char other_sha256[65], struct cw_error *err)
{
    sqlite3_stmt *st = prepare(s,
                               "SELECT id, sha256 FROM rubrics WHERE name = "
                               "?1 AND version = ?2 ORDER BY sha256 = ?3 "
                               "DESC, id DESC LIMIT 1",
                               err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, name);
    bind_text(st, 2, version);
    bind_text(st, 3, sha256);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char stored[65];
        col_fixed(st, 1, stored, sizeof stored);
        int64_t found = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (strcmp(stored, sha256) != 0) {
            if (other_sha256)
                memcpy(other_sha256, stored, sizeof stored);
            return cw_errorf(err, CW_ERR_PARSE, CW_LOC_NONE,
                             "rubric '%s' version '%s' is already registered "
                             "with sha256 %.12s; '%s' has sha256 %.12s",
                             name, version, stored, path, sha256);
        }
        *id = found;
        if (is_new)
            *is_new = false;
        return CW_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "read the rubrics", err);
    st = prepare(s,
                 "INSERT INTO rubrics(name, version, sha256, path, content, "
                 "registered_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                 err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    set_now(s);
    bind_text(st, 1, name);
    bind_text(st, 2, version);
    bind_text(st, 3, sha256);
    bind_text(st, 4, path);
    sqlite3_bind_blob(st, 5, content, (int)content_len, SQLITE_STATIC);
    bind_text(st, 6, s->now);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "register a rubric", err);
    *id = sqlite3_last_insert_rowid(s->db);
    if (is_new)
        *is_new = true;
    return CW_OK;
}

/* The meta key naming the current registration of a rubric name. */
static void current_key(const char *name, struct strbuf *key)
{
    strbuf_reset(key);
    strbuf_addf(key, "rubric.current.%s", name);
}

int store_rubric_select(struct store *s, int64_t id, struct cw_error *err)
{
    struct store_rubric r;
    int status = store_rubric_get(s, id, &r, err);
    if (status)
        return status;
    struct strbuf key = STRBUF_INIT, value = STRBUF_INIT;
    current_key(r.name, &key);
    strbuf_addf(&value, "%lld", (long long)id);
    status = store_meta_set(s, key.buf, value.buf, err);
    strbuf_release(&key);
    strbuf_release(&value);
    store_rubric_release(&r);
    return status;
}

int store_rubrics_get(struct store *s, struct store_rubrics *out,
                      struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        prepare(s, "SELECT " RUBRIC_COLS " FROM rubrics ORDER BY id", err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(out->items, out->n + 1, cap);
        rubric_row(st, &out->items[out->n++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_rubrics_release(out);
        return fail(s, rc, "read the rubrics", err);
    }
    return CW_OK;
}

int store_rubric_find(struct store *s, const char *name, const char *version,
                      struct store_rubric *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        prepare(s,
                "SELECT " RUBRIC_COLS " FROM rubrics WHERE name = "
                "coalesce(?1, (SELECT name FROM rubrics ORDER BY id LIMIT 1)) "
                "AND (?2 IS NULL OR version = ?2) ORDER BY id = (SELECT "
                "CAST(value AS INTEGER) FROM meta WHERE key = "
                "'rubric.current.' || rubrics.name) DESC, id DESC LIMIT 1",
                err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, name);
    bind_text(st, 2, version);
    int rc = sqlite3_step(st);
    int status = CW_OK;
    if (rc == SQLITE_ROW) {
        rubric_row(st, out);
    } else if (rc == SQLITE_DONE) {
        if (!name && !version)
            status = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                               "no rubric registered in '%s' (run "
                               "'cyberwell ingest' first)",
                               s->path);
        else if (!name)
            status = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                               "no rubric of version '%s' is registered in "
                               "'%s'",
                               version, s->path);
        else if (version)
            status =
                cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                          "unknown rubric '%s' version '%s'", name, version);
        else
            status = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                               "unknown rubric '%s'", name);
    } else {
        status = fail(s, rc, "read the rubrics", err);
    }
    sqlite3_finalize(st);
    return status;
}

int store_rubric_get(struct store *s, int64_t id, struct store_rubric *out,
                     struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        prepare(s, "SELECT " RUBRIC_COLS " FROM rubrics WHERE id = ?1", err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int status = CW_OK;
    if (rc == SQLITE_ROW)
        rubric_row(st, out);
    else if (rc == SQLITE_DONE)
        status = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                           "no rubric %lld in '%s'", (long long)id, s->path);
    else
        status = fail(s, rc, "read a rubric", err);
    sqlite3_finalize(st);
    return status;
}

void store_rubric_release(struct store_rubric *r)
{
    free(r->name);
    free(r->version);
    free(r->path);
    free(r->content);
    free(r->registered_at);
    memset(r, 0, sizeof *r);
}

void store_rubrics_release(struct store_rubrics *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_rubric_release(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- documents and results ---------------------------------------------- */

bool store_doc_find(struct store *s, const char *sha256, int64_t *id,
                    char iso3[4], struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_DOC_FIND, err);
    if (!st)
        return false;
    bind_text(st, 1, sha256);
    int rc = sqlite3_step(st);
    bool found = false;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        if (iso3)
            col_fixed(st, 1, iso3, 4);
        found = true;
    } else if (rc != SQLITE_DONE) {
        fail(s, rc, "look up a document", err);
    }
    sqlite3_reset(st);
    return found;
}

int store_doc_hashes(struct store *s, bool (*fn)(void *ctx, const char *sha256),
                     void *ctx, struct cw_error *err)
{
    sqlite3_stmt *st =
        prepare(s, "SELECT sha256 FROM documents WHERE " NOT_REFERENCE, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_text(st, 0);
        if (h && !fn(ctx, (const char *)h)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "read the documents", err);
    return CW_OK;
}

int store_country_has_documents(struct store *s, const char *iso3,
                                bool *has_docs, struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_COUNTRY_HAS_DOCS, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, iso3);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(s, rc, "look up a country's documents", err);
    *has_docs = rc == SQLITE_ROW;
    return CW_OK;
}

int store_doc_insert(struct store *s, const struct store_doc_in *d, int64_t *id,
                     struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_DOC_INSERT, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, d->iso3);
    bind_text(st, 2, d->path);
    bind_text(st, 3, d->sha256);
    bind_text(st, 4, d->title);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)d->size);
    bind_real(st, 6, d->population.value);
    bind_text(st, 7, d->population.source);
    bind_text(st, 8, d->population.date);
    bind_real(st, 9, d->internet.value);
    bind_text(st, 10, d->internet.source);
    bind_text(st, 11, d->internet.date);
    bind_text(st, 12, d->last_updated);
    bind_text(st, 13, d->edition_date);
    bind_text(st, 14, s->now);
    bind_text(st, 15, d->encoding);
    bind_text(st, 16, d->source_kind);
    bind_text(st, 17, d->profile_sha256);
    int status = step_done(s, st, "store a document", err);
    if (status)
        return status;
    int64_t doc_id = sqlite3_last_insert_rowid(s->db);
    *id = doc_id;
    if (!d->text && d->source_kind && !strcmp(d->source_kind, "reference"))
        return CW_OK; /* a reference assessment has no text */
    st = stmt(s, ST_TEXT_INSERT, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, doc_id);
    sqlite3_bind_text64(st, 2, d->text ? d->text : "",
                        d->text ? d->text_len : 0, SQLITE_STATIC, SQLITE_UTF8);
    return step_done(s, st, "store a document's text", err);
}

int store_doc_delete(struct store *s, int64_t id, struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_DOC_DELETE, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    return step_done(s, st, "delete a document", err);
}

int store_country_docs(struct store *s, const char *iso3,
                       struct store_doc_rows *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prepare(
        s,
        "SELECT d.id, d.iso3, d.sha256, d.path, d.edition_date, "
        "d.ingested_at, (SELECT count(*) FROM results r WHERE "
        "r.document_id = d.id) FROM documents d WHERE d.iso3 = upper(?1) "
        "ORDER BY coalesce(d.edition_date, '') DESC, d.id DESC",
        err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, iso3);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(out->items, out->n + 1, cap);
        struct store_doc_row *d = &out->items[out->n++];
        d->id = sqlite3_column_int64(st, 0);
        col_fixed(st, 1, d->iso3, sizeof d->iso3);
        col_fixed(st, 2, d->sha256, sizeof d->sha256);
        d->path = col_dup0(st, 3);
        d->edition_date = col_dup(st, 4);
        d->ingested_at = col_dup0(st, 5);
        d->n_results = (long)sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_doc_rows_release(out);
        return fail(s, rc, "read the documents", err);
    }
    return CW_OK;
}

void store_doc_rows_release(struct store_doc_rows *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].edition_date);
        free(l->items[i].ingested_at);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

int store_override_count(struct store *s, const char *iso3, long *n,
                         struct cw_error *err)
{
    *n = 0;
    sqlite3_stmt *st = prepare(
        s, "SELECT count(*) FROM overrides WHERE iso3 = upper(?1)", err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, iso3);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return fail(s, rc, "count the overrides", err);
    return CW_OK;
}

/* Bind row i of a result's pillars or indicators to the parameters
 * from base + 1 on. */
typedef void bind_row_fn(sqlite3_stmt *st, int base,
                         const struct store_result_in *r, size_t i);

static void bind_pillar(sqlite3_stmt *st, int b,
                        const struct store_result_in *r, size_t i)
{
    const struct store_pillar_in *p = &r->pillars[i];
    sqlite3_bind_int64(st, b + 1, r->doc_id);
    sqlite3_bind_int64(st, b + 2, r->rubric_id);
    sqlite3_bind_int64(st, b + 3, (sqlite3_int64)i);
    bind_text(st, b + 4, p->id);
    bind_text(st, b + 5, p->name);
    sqlite3_bind_int(st, b + 6, p->in_overall);
    sqlite3_bind_double(st, b + 7, p->score);
    sqlite3_bind_double(st, b + 8, p->points);
    sqlite3_bind_double(st, b + 9, p->max_points);
    sqlite3_bind_double(st, b + 10, p->score_min);
    sqlite3_bind_double(st, b + 11, p->score_max);
    sqlite3_bind_int64(st, b + 12, p->n_indicators);
    sqlite3_bind_int64(st, b + 13, p->n_stated);
}

static void bind_indicator(sqlite3_stmt *st, int b,
                           const struct store_result_in *r, size_t i)
{
    const struct store_indicator_in *x = &r->indicators[i];
    sqlite3_bind_int64(st, b + 1, r->doc_id);
    sqlite3_bind_int64(st, b + 2, r->rubric_id);
    sqlite3_bind_int64(st, b + 3, (sqlite3_int64)i);
    bind_text(st, b + 4, x->id);
    bind_text(st, b + 5, x->name);
    bind_text(st, b + 6, x->pillar);
    bind_text(st, b + 7, x->section);
    bind_text(st, b + 8, x->status);
    sqlite3_bind_double(st, b + 9, x->points);
    sqlite3_bind_double(st, b + 10, x->weight);
    if (x->line)
        sqlite3_bind_int64(st, b + 11, x->line);
    else
        sqlite3_bind_null(st, b + 11);
    bind_text(st, b + 12, x->cue);
    bind_text(st, b + 13, x->evidence);
    bind_text(st, b + 14, x->reason ? x->reason : "");
}

/* Insert rows 0..n-1 of a result into table t, STORE_ROWS_MAX at a time. */
static int insert_rows(struct store *s, enum rows_table t,
                       const struct store_result_in *r, size_t n,
                       bind_row_fn *bind, const char *what,
                       struct cw_error *err)
{
    for (size_t i = 0; i < n;) {
        size_t k = n - i < STORE_ROWS_MAX ? n - i : STORE_ROWS_MAX;
        sqlite3_stmt *st = rows_stmt(s, t, k, err);
        if (!st)
            return err ? err->code : CW_ERR_DB;
        for (int b = 0; k; k--, i++, b += rows_sql[t].n_cols)
            bind(st, b, r, i);
        int status = step_done(s, st, what, err);
        if (status)
            return status;
    }
    return CW_OK;
}

int store_result_put(struct store *s, const struct store_result_in *r,
                     struct cw_error *err)
{
    sqlite3_stmt *st;
    int status;
    if (!r->is_first) {
        st = stmt(s, ST_RESULT_DELETE, err);
        if (!st)
            return err ? err->code : CW_ERR_DB;
        sqlite3_bind_int64(st, 1, r->doc_id);
        sqlite3_bind_int64(st, 2, r->rubric_id);
        status = step_done(s, st, "replace a result", err);
        if (status)
            return status;
    }

    st = stmt(s, ST_RESULT_INSERT, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, r->doc_id);
    sqlite3_bind_int64(st, 2, r->rubric_id);
    sqlite3_bind_double(st, 3, r->overall);
    sqlite3_bind_double(st, 4, r->points);
    sqlite3_bind_double(st, 5, r->max_points);
    sqlite3_bind_double(st, 6, r->overall_min);
    sqlite3_bind_double(st, 7, r->overall_max);
    sqlite3_bind_int64(st, 8, r->coverage);
    sqlite3_bind_int64(st, 9, r->n_counted);
    bind_text(st, 10, s->now);
    status = step_done(s, st, "store a result", err);
    if (status)
        return status;

    status = insert_rows(s, ROWS_PILLARS, r, r->n_pillars, bind_pillar,
                         "store a pillar score", err);
    if (status)
        return status;
    return insert_rows(s, ROWS_INDICATORS, r, r->n_indicators, bind_indicator,
                       "store an indicator result", err);
}

int store_ref_sections_put(struct store *s, int64_t doc_id,
                           const struct store_ref_section *secs, size_t n,
                           struct cw_error *err)
{
    sqlite3_stmt *st = prepare(s,
                               "INSERT INTO reference_sections(document_id, "
                               "seq, section, status, line, origin, note) "
                               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                               err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    int status = CW_OK;
    for (size_t i = 0; !status && i < n; i++) {
        sqlite3_bind_int64(st, 1, doc_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, secs[i].section);
        bind_text(st, 4, secs[i].status);
        if (secs[i].line)
            sqlite3_bind_int64(st, 5, secs[i].line);
        else
            sqlite3_bind_null(st, 5);
        bind_text(st, 6, secs[i].origin);
        bind_text(st, 7, secs[i].note ? secs[i].note : "");
        status = step_done(s, st, "store a reference section", err);
    }
    sqlite3_finalize(st);
    return status;
}

int store_ref_doc_get(struct store *s, int64_t doc_id, bool *is_reference,
                      struct store_ref_doc *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    *is_reference = false;
    sqlite3_stmt *st = prepare(s,
                               "SELECT coalesce(source_kind, '') = "
                               "'reference' FROM documents WHERE id = ?1",
                               err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, doc_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *is_reference = sqlite3_column_int(st, 0) != 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(s, rc, "read a document", err);
    if (!*is_reference)
        return CW_OK;
    st = prepare(s,
                 "SELECT section, status, coalesce(line, 0), origin, note "
                 "FROM reference_sections WHERE document_id = ?1 "
                 "ORDER BY seq",
                 err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, doc_id);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(out->items, out->n + 1, cap);
        struct store_ref_section *r = &out->items[out->n++];
        r->section = col_dup0(st, 0);
        r->status = col_dup0(st, 1);
        r->line = (unsigned)sqlite3_column_int64(st, 2);
        r->origin = col_dup0(st, 3);
        r->note = col_dup0(st, 4);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_ref_doc_release(out);
        return fail(s, rc, "read a reference assessment", err);
    }
    return CW_OK;
}

void store_ref_doc_release(struct store_ref_doc *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free((char *)r->items[i].section);
        free((char *)r->items[i].status);
        free((char *)r->items[i].origin);
        free((char *)r->items[i].note);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}

int store_ref_docs_of(struct store *s, const char *iso3, int64_t **ids,
                      char (**keys)[65], size_t *n, struct cw_error *err)
{
    *ids = NULL;
    *keys = NULL;
    *n = 0;
    sqlite3_stmt *st = prepare(s,
                               "SELECT id, sha256 FROM documents WHERE iso3 "
                               "= upper(?1) AND source_kind = 'reference' "
                               "ORDER BY id",
                               err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, iso3);
    size_t cap = 0, kcap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(*ids, *n + 1, cap);
        CW_GROW(*keys, *n + 1, kcap);
        (*ids)[*n] = sqlite3_column_int64(st, 0);
        col_fixed(st, 1, (*keys)[*n], 65);
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*ids);
        free(*keys);
        *ids = NULL;
        *keys = NULL;
        *n = 0;
        return fail(s, rc, "read the reference assessments", err);
    }
    return CW_OK;
}

/* ---- reading documents back --------------------------------------------- */

int store_doc_ids(struct store *s, int64_t **ids, size_t *n,
                  struct cw_error *err)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st = prepare(s, "SELECT id FROM documents ORDER BY id", err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(*ids, *n + 1, cap);
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return fail(s, rc, "read the documents", err);
    }
    return CW_OK;
}

int store_doc_text(struct store *s, int64_t doc_id, struct strbuf *path,
                   struct strbuf *text, char sha256[65], bool *has_text,
                   struct cw_error *err)
{
    strbuf_reset(path);
    strbuf_reset(text);
    *has_text = false;
    sqlite3_stmt *st = stmt(s, ST_DOC_TEXT, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, doc_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_text(st, 0);
        strbuf_adds(path, p ? (const char *)p : "");
        col_fixed(st, 1, sha256, 65);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            const char *t = (const char *)sqlite3_column_text(st, 2);
            strbuf_add(text, t ? t : "", (size_t)sqlite3_column_bytes(st, 2));
            *has_text = true;
        }
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "no document %lld in '%s'", (long long)doc_id,
                         s->path);
    if (rc != SQLITE_ROW)
        return fail(s, rc, "read a document", err);
    return CW_OK;
}

int store_doc_parts(struct store *s, int64_t doc_id, store_part_fn fn,
                    void *ctx, struct cw_error *err)
{
    int rc = SQLITE_DONE;
    sqlite3_stmt *sec = stmt(s, ST_PART_SECTIONS, err);
    if (!sec)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(sec, 1, doc_id);
    int status = CW_OK;
    while (!status && (rc = sqlite3_step(sec)) == SQLITE_ROW) {
        struct store_part p = {0};
        p.is_section = true;
        p.number = (const char *)sqlite3_column_text(sec, 1);
        p.title = (const char *)sqlite3_column_text(sec, 2);
        p.line = (unsigned)sqlite3_column_int64(sec, 3);
        status = fn(ctx, &p, err);
        if (status)
            break;
        sqlite3_stmt *un = stmt(s, ST_PART_UNITS, err);
        if (!un) {
            status = err ? err->code : CW_ERR_DB;
            break;
        }
        sqlite3_bind_int64(un, 1, sqlite3_column_int64(sec, 0));
        int urc;
        while ((urc = sqlite3_step(un)) == SQLITE_ROW) {
            struct store_part u = {0};
            u.kind = sqlite3_column_int(un, 0);
            u.line = (unsigned)sqlite3_column_int64(un, 1);
            u.text = (const char *)sqlite3_column_text(un, 2);
            status = fn(ctx, &u, err);
            if (status)
                break;
        }
        if (!status && urc != SQLITE_DONE)
            status = fail(s, urc, "read a document's sentences", err);
        sqlite3_reset(un);
    }
    if (!status && rc != SQLITE_DONE)
        status = fail(s, rc, "read a document's sections", err);
    sqlite3_reset(sec);
    return status;
}

/* ---- reading scores ----------------------------------------------------- */

/*
 * String storage of a result set: repeated strings (ids, names, statuses,
 * reasons, dates) are stored once in a hash set; all of it lives in one
 * arena freed with the set.
 */
struct store_mem {
    struct arena arena;
    const char **slots; /* open addressing; NULL = empty */
    size_t cap, n;
};

static struct store_mem *mem_new(void)
{
    struct store_mem *m = xcalloc(1, sizeof *m);
    arena_init(&m->arena);
    m->cap = 256;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    return m;
}

static void mem_free(struct store_mem *m)
{
    if (!m)
        return;
    arena_release(&m->arena);
    free(m->slots);
    free(m);
}

static size_t str_hash(const char *t)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *t; t++)
        h = (h ^ (unsigned char)*t) * 1099511628211u;
    return h;
}

/* The pooled copy of text column i, or NULL when it is NULL. */
static char *mem_col(struct store_mem *m, sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    if (!t)
        return NULL;
    if (m->n * 2 >= m->cap) {
        size_t cap = m->cap * 2;
        const char **slots = xcalloc(cap, sizeof *slots);
        for (size_t k = 0; k < m->cap; k++)
            if (m->slots[k]) {
                size_t j = str_hash(m->slots[k]) & (cap - 1);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = m->slots[k];
            }
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    size_t j = str_hash(t) & (m->cap - 1);
    while (m->slots[j]) {
        if (!strcmp(m->slots[j], t))
            return (char *)m->slots[j];
        j = (j + 1) & (m->cap - 1);
    }
    char *copy = arena_strdup(&m->arena, t);
    m->slots[j] = copy;
    m->n++;
    return copy;
}

static char *mem_col0(struct store_mem *m, sqlite3_stmt *st, int i)
{
    char *t = mem_col(m, st, i);
    return t ? t : (char *)"";
}

/* An unshared copy of text column i in arena a, or NULL. */
static char *arena_col(struct arena *a, sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? arena_strdup(a, t) : NULL;
}

static void score_release_one(struct store_score *sc)
{
    free(sc->pillars);
    free(sc->indicators);
}

void store_scores_free(struct store_scores *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        score_release_one(&set->items[i]);
    free(set->items);
    free(set->rubric_name);
    free(set->rubric_version);
    mem_free(set->mem);
    free(set);
}

/* Load the pillar and indicator rows of sc under rubric_id; repeated
 * strings go to m, evidence sentences to uniq (none when brief). */
static int score_details(struct store *s, int64_t rubric_id,
                         struct store_mem *m, struct arena *uniq, bool brief,
                         struct store_score *sc, struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_SCORE_PILLARS, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, sc->doc_id);
    sqlite3_bind_int64(st, 2, rubric_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(sc->pillars, sc->n_pillars + 1, cap);
        struct store_pillar *p = &sc->pillars[sc->n_pillars++];
        p->id = mem_col0(m, st, 0);
        p->name = mem_col0(m, st, 1);
        p->in_overall = sqlite3_column_int(st, 2) != 0;
        p->score = sqlite3_column_double(st, 3);
        p->points = sqlite3_column_double(st, 4);
        p->max_points = sqlite3_column_double(st, 5);
        p->score_min = sqlite3_column_double(st, 6);
        p->score_max = sqlite3_column_double(st, 7);
        p->n_indicators = (long)sqlite3_column_int64(st, 8);
        p->n_stated = (long)sqlite3_column_int64(st, 9);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "read pillar scores", err);

    st = stmt(s, ST_SCORE_INDICATORS, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, sc->doc_id);
    sqlite3_bind_int64(st, 2, rubric_id);
    cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(sc->indicators, sc->n_indicators + 1, cap);
        struct store_indicator *x = &sc->indicators[sc->n_indicators++];
        memset(x, 0, sizeof *x);
        x->id = mem_col0(m, st, 0);
        x->name = mem_col0(m, st, 1);
        x->pillar = mem_col0(m, st, 2);
        x->section = mem_col(m, st, 3);
        x->status = mem_col0(m, st, 4);
        x->points = sqlite3_column_double(st, 5);
        x->weight = sqlite3_column_double(st, 6);
        x->line = (unsigned)sqlite3_column_int64(st, 7);
        x->cue = mem_col(m, st, 8);
        x->evidence = brief ? NULL : arena_col(uniq, st, 9);
        x->reason = mem_col0(m, st, 10);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "read indicator results", err);
    return CW_OK;
}

/* Fill the rubric description of a result set for q (fills out). */
static int scores_head(struct store *s, const struct store_query *q,
                       struct store_scores *out, struct cw_error *err)
{
    struct store_rubric rub;
    memset(out, 0, sizeof *out);
    int status = store_rubric_find(s, q->rubric, q->version, &rub, err);
    if (status)
        return status;
    out->rubric_id = rub.id;
    out->rubric_name = rub.name;
    out->rubric_version = rub.version;
    rub.name = rub.version = NULL;
    memcpy(out->rubric_sha256, rub.sha256, sizeof out->rubric_sha256);
    store_rubric_release(&rub);
    if (q->group) {
        struct store_strings members;
        status = store_group_members(s, q->group, &members, err);
        store_strings_release(&members);
    }
    return status;
}

static void scores_head_release(struct store_scores *h)
{
    free(h->rubric_name);
    free(h->rubric_version);
}

/* Documents and overall results: the latest per country (rn = 1) unless
 * every version is asked for. Which document is a country's latest is
 * decided here and only here: the latest edition date; on the same date a
 * document read from its text (or PDF) wins over a reference assessment
 * (so ingesting a profile's text brings its sentences as evidence), then
 * the last stored. Every version is listed in the same order, oldest
 * first. The window runs over narrow rows (id, iso3,
 * date) and the wide columns are joined to the rows kept, so that sorting
 * 100,000 documents does not hold their titles and paths in memory. */
static const char scores_sql[] =
    "WITH sel AS (SELECT d.id AS doc_id, d.iso3 AS iso3, "
    "coalesce(d.edition_date, '') AS ed, "
    "(coalesce(d.source_kind, '') = 'reference') AS is_ref, "
    "row_number() OVER (PARTITION BY d.iso3 ORDER BY "
    "coalesce(d.edition_date, '') DESC, "
    "(coalesce(d.source_kind, '') = 'reference') ASC, d.id DESC) AS rn "
    "FROM results r JOIN documents d ON d.id = r.document_id "
    "WHERE r.rubric_id = ?1 AND (?2 IS NULL OR d.iso3 = upper(?2)) "
    "AND (?3 IS NULL OR d.iso3 IN "
    "(SELECT g.iso3 FROM groups g WHERE g.name = ?3)) "
    "AND (?4 IS NULL OR "
    "substr(coalesce(d.edition_date, ''), 1, length(?4)) <= ?4)) "
    "SELECT d.id, d.iso3, c.name, c.region, d.title, d.path, "
    "coalesce(d.profile_sha256, d.sha256), "
    "d.edition_date, d.last_updated, d.ingested_at, r.overall, r.points, "
    "r.max_points, r.overall_min, r.overall_max, r.coverage, r.n_counted "
    "FROM sel JOIN documents d ON d.id = sel.doc_id "
    "JOIN results r ON r.document_id = d.id AND r.rubric_id = ?1 "
    "JOIN countries c ON c.iso3 = d.iso3 "
    "WHERE ?5 OR sel.rn = 1 "
    "ORDER BY sel.iso3, sel.ed, sel.is_ref DESC, sel.doc_id";

/*
 * Run the selection of q under head's rubric; call fn with each document.
 * Strings go to m (shared) and, when per_doc, to an arena released after
 * each callback, else to m's arena.
 */
static int scores_run(struct store *s, const struct store_query *q,
                      const struct store_scores *head, struct store_mem *m,
                      bool per_doc, store_score_fn fn, void *ctx,
                      struct cw_error *err)
{
    struct store_score sc;
    struct arena doc_arena = ARENA_INIT;
    struct arena *uniq = per_doc ? &doc_arena : &m->arena;
    sqlite3_stmt *st = prepare(s, scores_sql, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    sqlite3_bind_int64(st, 1, head->rubric_id);
    bind_text(st, 2, q->iso3);
    bind_text(st, 3, q->group);
    bind_text(st, 4, q->as_of);
    sqlite3_bind_int(st, 5, q->is_all_versions);
    int status = CW_OK, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&sc, 0, sizeof sc);
        sc.doc_id = sqlite3_column_int64(st, 0);
        col_fixed(st, 1, sc.iso3, sizeof sc.iso3);
        sc.country = mem_col0(m, st, 2);
        sc.region = mem_col0(m, st, 3);
        sc.title = arena_col(uniq, st, 4);
        sc.path = arena_col(uniq, st, 5);
        if (!sc.path)
            sc.path = (char *)"";
        col_fixed(st, 6, sc.sha256, sizeof sc.sha256);
        sc.edition_date = mem_col(m, st, 7);
        sc.last_updated = mem_col(m, st, 8);
        sc.ingested_at = mem_col0(m, st, 9);
        sc.overall = sqlite3_column_double(st, 10);
        sc.points = sqlite3_column_double(st, 11);
        sc.max_points = sqlite3_column_double(st, 12);
        sc.overall_min = sqlite3_column_double(st, 13);
        sc.overall_max = sqlite3_column_double(st, 14);
        sc.coverage = (long)sqlite3_column_int64(st, 15);
        sc.n_counted = (long)sqlite3_column_int64(st, 16);
        status =
            score_details(s, head->rubric_id, m, uniq, q->is_brief, &sc, err);
        if (!status)
            status = fn(ctx, head, &sc, err);
        score_release_one(&sc);
        if (per_doc) {
            arena_release(&doc_arena);
            arena_init(&doc_arena);
        }
        if (status)
            break;
    }
    if (!status && rc != SQLITE_DONE)
        status = fail(s, rc, "read scores", err);
    sqlite3_finalize(st);
    arena_release(&doc_arena);
    return status;
}

int store_scores_each(struct store *s, const struct store_query *q,
                      store_score_fn fn, void *ctx, struct cw_error *err)
{
    struct store_scores head;
    int status = scores_head(s, q, &head, err);
    if (!status) {
        struct store_mem *m = mem_new();
        status = scores_run(s, q, &head, m, true, fn, ctx, err);
        mem_free(m);
    }
    scores_head_release(&head);
    return status;
}

struct collect {
    struct store_scores *set;
    size_t cap;
};

/* Keep sc in the set: its arrays move in, its strings stay in set->mem. */
static int collect_score(void *ctx, const struct store_scores *head,
                         struct store_score *sc, struct cw_error *err)
{
    struct collect *c = ctx;
    (void)head;
    (void)err;
    CW_GROW(c->set->items, c->set->n + 1, c->cap);
    c->set->items[c->set->n++] = *sc;
    sc->pillars = NULL;
    sc->indicators = NULL;
    return CW_OK;
}

struct store_scores *store_scores_get(struct store *s,
                                      const struct store_query *q,
                                      struct cw_error *err)
{
    struct store_scores *set = xcalloc(1, sizeof *set);
    if (scores_head(s, q, set, err)) {
        store_scores_free(set);
        return NULL;
    }
    set->mem = mem_new();
    struct collect c = {set, 0};
    if (scores_run(s, q, set, set->mem, false, collect_score, &c, err)) {
        store_scores_free(set);
        return NULL;
    }
    return set;
}

/* ---- overrides ---------------------------------------------------------- */

int store_override_add(struct store *s, const struct store_override_in *o,
                       struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_OVERRIDE_ADD, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, o->iso3);
    bind_text(st, 2, o->indicator);
    bind_text(st, 3, o->status);
    bind_text(st, 4, o->reason ? o->reason : "");
    bind_text(st, 5, o->author ? o->author : "");
    bind_text(st, 6, o->date ? o->date : "");
    bind_text(st, 7, o->source_file ? o->source_file : "");
    sqlite3_bind_int64(st, 8, o->source_line);
    bind_text(st, 9, s->now);
    return step_done(s, st, "store an override", err);
}

void store_override_release(struct store_override *o)
{
    free(o->indicator);
    free(o->status);
    free(o->reason);
    free(o->author);
    free(o->date);
    free(o->source_file);
    free(o->imported_at);
    memset(o, 0, sizeof *o);
}

int store_overrides_get(struct store *s, const char *iso3,
                        struct store_overrides *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        prepare(s,
                "SELECT id, iso3, indicator, status, reason, author, date, "
                "source_file, source_line, imported_at FROM overrides "
                "WHERE ?1 IS NULL OR iso3 = upper(?1) "
                "ORDER BY iso3, indicator, id",
                err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, iso3);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(out->items, out->n + 1, cap);
        struct store_override *o = &out->items[out->n++];
        o->id = sqlite3_column_int64(st, 0);
        col_fixed(st, 1, o->iso3, sizeof o->iso3);
        o->indicator = col_dup0(st, 2);
        o->status = col_dup0(st, 3);
        o->reason = col_dup0(st, 4);
        o->author = col_dup0(st, 5);
        o->date = col_dup0(st, 6);
        o->source_file = col_dup0(st, 7);
        o->source_line = (unsigned)sqlite3_column_int64(st, 8);
        o->imported_at = col_dup0(st, 9);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_overrides_release(out);
        return fail(s, rc, "read the overrides", err);
    }
    return CW_OK;
}

void store_overrides_release(struct store_overrides *o)
{
    for (size_t i = 0; i < o->n; i++)
        store_override_release(&o->items[i]);
    free(o->items);
    memset(o, 0, sizeof *o);
}

/* ---- reference series --------------------------------------------------- */

int store_reference_put(struct store *s, const struct store_reference_in *r,
                        struct cw_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_REFERENCE_PUT, err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, r->edition);
    bind_text(st, 2, r->iso3);
    bind_text(st, 3, r->country ? r->country : "");
    bind_real(st, 4, r->overall);
    bind_real(st, 5, r->rank);
    bind_text(st, 6, r->tier ? r->tier : "");
    bind_real(st, 7, r->legal);
    bind_real(st, 8, r->technical);
    bind_real(st, 9, r->organizational);
    bind_real(st, 10, r->capacity_building);
    bind_real(st, 11, r->cooperation);
    bind_real(st, 12, r->scale);
    bind_text(st, 13, r->rank_method ? r->rank_method : "");
    bind_text(st, 14, r->source_url ? r->source_url : "");
    return step_done(s, st, "store a reference score", err);
}

int store_references_get(struct store *s, const char *edition, const char *iso3,
                         struct store_references *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prepare(
        s,
        "SELECT edition, iso3, country, overall, rank, tier, legal, "
        "technical, organizational, capacity_building, cooperation, scale, "
        "rank_method, source_url FROM reference_scores "
        "WHERE (?1 IS NULL OR edition = ?1) AND (?2 IS NULL OR iso3 = "
        "upper(?2)) ORDER BY edition, rank IS NULL, rank, iso3",
        err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    bind_text(st, 1, edition);
    bind_text(st, 2, iso3);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CW_GROW(out->items, out->n + 1, cap);
        struct store_reference *r = &out->items[out->n++];
        r->edition = col_dup0(st, 0);
        col_fixed(st, 1, r->iso3, sizeof r->iso3);
        r->country = col_dup0(st, 2);
        r->overall = col_real(st, 3);
        r->rank = col_real(st, 4);
        r->tier = col_dup0(st, 5);
        r->legal = col_real(st, 6);
        r->technical = col_real(st, 7);
        r->organizational = col_real(st, 8);
        r->capacity_building = col_real(st, 9);
        r->cooperation = col_real(st, 10);
        r->scale = col_real(st, 11);
        r->rank_method = col_dup0(st, 12);
        r->source_url = col_dup0(st, 13);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_references_release(out);
        return fail(s, rc, "read the reference scores", err);
    }
    return CW_OK;
}

void store_references_release(struct store_references *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct store_reference *x = &r->items[i];
        free(x->edition);
        free(x->country);
        free(x->tier);
        free(x->rank_method);
        free(x->source_url);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}

/* ---- statistics --------------------------------------------------------- */

int store_stats_get(struct store *s, struct store_stats *out,
                    struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prepare(
        s,
        "SELECT (SELECT count(*) FROM countries), "
        "(SELECT count(*) FROM documents), (SELECT count(*) FROM rubrics), "
        "(SELECT count(*) FROM results), (SELECT count(*) FROM overrides), "
        "(SELECT count(*) FROM reference_scores)",
        err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->countries = (long)sqlite3_column_int64(st, 0);
        out->documents = (long)sqlite3_column_int64(st, 1);
        out->rubrics = (long)sqlite3_column_int64(st, 2);
        out->results = (long)sqlite3_column_int64(st, 3);
        out->overrides = (long)sqlite3_column_int64(st, 4);
        out->references = (long)sqlite3_column_int64(st, 5);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return fail(s, rc, "count rows", err);
    return CW_OK;
}

int store_check(struct store *s, struct cw_error *err)
{
    sqlite3_stmt *st = prepare(s, "PRAGMA integrity_check", err);
    if (!st)
        return err ? err->code : CW_ERR_DB;
    int rc = sqlite3_step(st);
    int status = CW_OK;
    if (rc == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        if (!m || strcmp(m, "ok") != 0)
            status =
                cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                          "database '%s' is damaged: %s", s->path, m ? m : "?");
    } else {
        status = fail(s, rc, "check", err);
    }
    sqlite3_finalize(st);
    if (!status) {
        st = prepare(s, "PRAGMA foreign_key_check", err);
        if (!st)
            return err ? err->code : CW_ERR_DB;
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            status = cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                               "database '%s' is damaged: a row of '%s' "
                               "refers to a missing row",
                               s->path, sqlite3_column_text(st, 0));
        else if (rc != SQLITE_DONE)
            status = fail(s, rc, "check", err);
        sqlite3_finalize(st);
    }
    return status;
}
