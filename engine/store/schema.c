/*
 * The database schema as numbered migrations, applied in order by
 * PRAGMA user_version. A migration is never edited once released: a change
 * is a new migration appended to migrations[].
 */
#include "store/schema.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"

#include "util/banned.h"

/* Migration 1: the first schema. */
static const char *const migration_1[] = {
    "CREATE TABLE meta(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ") WITHOUT ROWID;\n",
    "CREATE TABLE countries(\n"
    "  iso3 TEXT PRIMARY KEY CHECK(length(iso3) = 3),\n"
    "  name TEXT NOT NULL,\n"
    "  region TEXT NOT NULL DEFAULT ''\n"
    ") WITHOUT ROWID;\n",
    "CREATE TABLE country_aliases(\n"
    "  alias_key TEXT PRIMARY KEY,\n"
    "  iso3 TEXT NOT NULL REFERENCES countries(iso3) ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n",
    "CREATE INDEX country_aliases_iso3 ON country_aliases(iso3);\n",
    "CREATE TABLE groups(\n"
    "  name TEXT NOT NULL,\n"
    "  iso3 TEXT NOT NULL REFERENCES countries(iso3) ON DELETE CASCADE,\n"
    "  PRIMARY KEY(name, iso3)\n"
    ") WITHOUT ROWID;\n",
    "CREATE INDEX groups_iso3 ON groups(iso3);\n",
    "CREATE TABLE documents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  iso3 TEXT NOT NULL REFERENCES countries(iso3),\n"
    "  path TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL UNIQUE,\n"
    "  title TEXT,\n"
    "  size INTEGER NOT NULL,\n"
    "  population REAL,\n"
    "  population_source TEXT,\n"
    "  population_date TEXT,\n"
    "  internet_pct REAL,\n"
    "  internet_source TEXT,\n"
    "  internet_date TEXT,\n"
    "  last_updated TEXT,\n"
    "  edition_date TEXT,\n"
    "  ingested_at TEXT NOT NULL\n"
    ");\n",
    "CREATE INDEX documents_iso3 ON documents(iso3, edition_date);\n",
    "CREATE TABLE sections(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL\n"
    "    REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,\n"
    "  number TEXT NOT NULL,\n"
    "  title TEXT NOT NULL,\n"
    "  line INTEGER NOT NULL,\n"
    "  UNIQUE(document_id, seq)\n"
    ");\n",
    "CREATE TABLE units(\n"
    "  section_id INTEGER NOT NULL\n"
    "    REFERENCES sections(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,\n"
    "  kind INTEGER NOT NULL,\n"
    "  line INTEGER NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  PRIMARY KEY(section_id, seq)\n"
    ") WITHOUT ROWID;\n",
    "CREATE TABLE rubrics(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  version TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  path TEXT NOT NULL,\n"
    "  content BLOB NOT NULL,\n"
    "  registered_at TEXT NOT NULL,\n"
    "  UNIQUE(name, version, sha256)\n"
    ");\n",
    "CREATE TABLE results(\n"
    "  document_id INTEGER NOT NULL\n"
    "    REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  rubric_id INTEGER NOT NULL REFERENCES rubrics(id) ON DELETE CASCADE,\n"
    "  overall REAL NOT NULL,\n"
    "  points REAL NOT NULL,\n"
    "  max_points REAL NOT NULL,\n"
    "  overall_min REAL NOT NULL,\n"
    "  overall_max REAL NOT NULL,\n"
    "  coverage INTEGER NOT NULL,\n"
    "  n_counted INTEGER NOT NULL,\n"
    "  scored_at TEXT NOT NULL,\n"
    "  PRIMARY KEY(document_id, rubric_id)\n"
    ") WITHOUT ROWID;\n",
    "CREATE INDEX results_rubric ON results(rubric_id);\n",
    "CREATE TABLE pillar_scores(\n"
    "  document_id INTEGER NOT NULL,\n"
    "  rubric_id INTEGER NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  pillar TEXT NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  in_overall INTEGER NOT NULL,\n"
    "  score REAL NOT NULL,\n"
    "  points REAL NOT NULL,\n"
    "  max_points REAL NOT NULL,\n"
    "  score_min REAL NOT NULL,\n"
    "  score_max REAL NOT NULL,\n"
    "  n_indicators INTEGER NOT NULL,\n"
    "  n_stated INTEGER NOT NULL,\n"
    "  PRIMARY KEY(document_id, rubric_id, seq),\n"
    "  FOREIGN KEY(document_id, rubric_id)\n"
    "    REFERENCES results(document_id, rubric_id) ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n",
    "CREATE TABLE indicator_results(\n"
    "  document_id INTEGER NOT NULL,\n"
    "  rubric_id INTEGER NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  indicator TEXT NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  pillar TEXT NOT NULL,\n"
    "  section TEXT,\n"
    "  status TEXT NOT NULL,\n"
    "  points REAL NOT NULL,\n"
    "  weight REAL NOT NULL,\n"
    "  line INTEGER,\n"
    "  cue TEXT,\n"
    "  evidence TEXT,\n"
    "  reason TEXT NOT NULL,\n"
    "  PRIMARY KEY(document_id, rubric_id, seq),\n"
    "  FOREIGN KEY(document_id, rubric_id)\n"
    "    REFERENCES results(document_id, rubric_id) ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n",
    "CREATE TABLE overrides(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  iso3 TEXT NOT NULL REFERENCES countries(iso3),\n"
    "  indicator TEXT NOT NULL,\n"
    "  status TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL,\n"
    "  author TEXT NOT NULL,\n"
    "  date TEXT NOT NULL,\n"
    "  source_file TEXT NOT NULL,\n"
    "  source_line INTEGER NOT NULL,\n"
    "  imported_at TEXT NOT NULL\n"
    ");\n",
    "CREATE INDEX overrides_iso3 ON overrides(iso3, indicator);\n",
    "CREATE TABLE reference_scores(\n"
    "  edition TEXT NOT NULL,\n"
    "  iso3 TEXT NOT NULL,\n"
    "  country TEXT NOT NULL,\n"
    "  overall REAL,\n"
    "  rank REAL,\n"
    "  tier TEXT NOT NULL DEFAULT '',\n"
    "  legal REAL,\n"
    "  technical REAL,\n"
    "  organizational REAL,\n"
    "  capacity_building REAL,\n"
    "  cooperation REAL,\n"
    "  scale REAL,\n"
    "  rank_method TEXT NOT NULL DEFAULT '',\n"
    "  source_url TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY(edition, iso3)\n"
    ") WITHOUT ROWID;\n",
    NULL};

/*
 * Migration 2: a document's text is stored once (document_texts), as the
 * parser read it, instead of a row per section and per sentence;
 * `rescore` parses it again. The sections and units of documents stored
 * before stay, and rescore reads those documents from them. How each
 * document's bytes were read (issue 10) is kept with it: the encoding they
 * were decoded from ("WINDOWS-1252", "UTF-8" ...) and whether they were
 * text or a PDF; NULL for documents stored before. A reference assessment
 * (`cyberwell import` of data/reference/profiles.csv, issue 11) is a
 * document of source_kind 'reference' without text: its sha256 is the
 * hash of its rows as imported (its identity: a re-import finds it),
 * profile_sha256 the hash of the profile it assesses, and its sections'
 * statuses are in reference_sections, from which rescore scores it.
 */
static const char *const migration_2[] = {
    "ALTER TABLE documents ADD COLUMN encoding TEXT;\n",
    "ALTER TABLE documents ADD COLUMN source_kind TEXT\n"
    "  CHECK(source_kind IN ('text', 'pdf', 'reference'));\n",
    "ALTER TABLE documents ADD COLUMN profile_sha256 TEXT;\n",
    "CREATE TABLE reference_sections(\n"
    "  document_id INTEGER NOT NULL\n"
    "    REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,\n"
    "  section TEXT NOT NULL,\n"
    "  status TEXT NOT NULL,\n"
    "  line INTEGER,\n"
    "  origin TEXT NOT NULL,\n"
    "  note TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY(document_id, seq)\n"
    ") WITHOUT ROWID;\n",
    "CREATE TABLE document_texts(\n"
    "  document_id INTEGER PRIMARY KEY\n"
    "    REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  text TEXT NOT NULL\n"
    ");\n",
    NULL};

static const char *const *const migrations[] = {migration_1, migration_2};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

_Static_assert(sizeof migrations / sizeof *migrations == STORE_SCHEMA_VERSION,
               "STORE_SCHEMA_VERSION must equal the number of migrations");

int schema_latest(void)
{
    return N_MIGRATIONS;
}

static int fail(sqlite3 *db, int rc, const char *path, const char *what,
                struct cw_error *err)
{
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return cw_errorf(err, CW_ERR_BUSY, CW_LOC_NONE,
                         "database is busy: another cyberwell process is "
                         "writing '%s'",
                         path);
    return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE, "cannot %s '%s': %s", what,
                     path, sqlite3_errmsg(db));
}

static int exec(sqlite3 *db, const char *sql, const char *path,
                const char *what, struct cw_error *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(db, rc, path, what, err);
    return CW_OK;
}

/* A user_version no cyberwell writes: the file is another program's, or
 * damaged. Checked before the version is used as an index. */
static int invalid_version_error(const char *path, int v, struct cw_error *err)
{
    return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                     "database '%s' has schema version %d, which no "
                     "cyberwell writes: it is not a cyberwell database, or "
                     "it is damaged",
                     path, v);
}

static int read_version(sqlite3 *db, const char *path, int *out,
                        struct cw_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    if (rc != SQLITE_OK) {
        int code = fail(db, rc, path, "read the schema version of", err);
        sqlite3_finalize(st);
        return code;
    }
    sqlite3_finalize(st);
    if (*out < 0)
        return invalid_version_error(path, *out, err);
    return CW_OK;
}

/*
 * The tables of db: their number in *n and the first few names, for
 * messages, in names (cap bytes, "a, b, c"); whether cyberwell's meta and
 * documents tables are among them in *is_ours.
 */
static int list_tables(sqlite3 *db, const char *path, int *n, char *names,
                       size_t cap, bool *is_ours, struct cw_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT name FROM sqlite_master WHERE type = "
                                "'table' AND name NOT LIKE 'sqlite_%' "
                                "ORDER BY name",
                                -1, &st, NULL);
    int has = 0;
    size_t len = 0;
    *n = 0;
    *is_ours = false;
    names[0] = '\0';
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (!t)
            t = "";
        has += !strcmp(t, "meta") + !strcmp(t, "documents");
        if (*n < 3) {
            snprintf(names + len, cap - len, "%s%s", *n ? ", " : "", t);
            len = strlen(names);
        }
        (*n)++;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_OK) {
        int code = fail(db, rc, path, "read the tables of", err);
        sqlite3_finalize(st);
        return code;
    }
    sqlite3_finalize(st);
    if (*n > 3)
        snprintf(names + len, cap - len, ", ...");
    *is_ours = has == 2;
    return CW_OK;
}

static int newer_error(const char *path, int v, struct cw_error *err)
{
    return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                     "database '%s' has schema version %d, newer than this "
                     "cyberwell knows (%d): use a newer cyberwell",
                     path, v, N_MIGRATIONS);
}

int schema_check(struct sqlite3 *db, const char *path, int *version,
                 struct cw_error *err)
{
    int v = 0, n_tables = 0;
    char names[160];
    bool is_ours = false;
    int status = read_version(db, path, &v, err);
    if (!status)
        status = list_tables(db, path, &n_tables, names, sizeof names, &is_ours,
                             err);
    if (status)
        return status;
    if (version)
        *version = v;
    if (v > N_MIGRATIONS)
        return newer_error(path, v, err);
    /* Version 0 is a new, empty database; anything in it is another
     * program's. A version of ours needs our tables. */
    if (v == 0 && n_tables > 0)
        return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                         "database '%s' is not a cyberwell database: it has "
                         "schema version 0 and holds %d table%s (%s), or "
                         "its version was reset",
                         path, n_tables, n_tables == 1 ? "" : "s", names);
    if (v > 0 && !is_ours)
        return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                         "database '%s' is not a cyberwell database: it has "
                         "schema version %d but not cyberwell's tables (%s)",
                         path, v, n_tables ? names : "no tables");
    return CW_OK;
}

int schema_migrate(struct sqlite3 *db, const char *path, int *version,
                   struct cw_error *err)
{
    int v = 0;
    int status = read_version(db, path, &v, err);
    if (status)
        return status;
    if (v > N_MIGRATIONS)
        return newer_error(path, v, err);
    if (v == N_MIGRATIONS)
        goto out;

    status = exec(db, "BEGIN IMMEDIATE", path, "lock", err);
    if (status)
        return status;
    /* Another process may have migrated while we waited for the lock. */
    status = read_version(db, path, &v, err);
    if (status)
        goto rollback;
    if (v > N_MIGRATIONS) {
        status = newer_error(path, v, err);
        goto rollback;
    }
    for (; v < N_MIGRATIONS; v++) {
        for (const char *const *sql = migrations[v]; *sql; sql++) {
            status = exec(db, *sql, path, "create the schema of", err);
            if (status)
                goto rollback;
        }
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        status = exec(db, pragma, path, "set the schema version of", err);
        if (status)
            goto rollback;
    }
    status = exec(db, "COMMIT", path, "commit the schema of", err);
    if (status)
        goto rollback;
out:
    if (version)
        *version = v;
    return CW_OK;
rollback:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return status;
}
