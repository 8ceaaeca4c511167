/*
 * schema: the database schema and its numbered migrations. Internal to
 * store/; the README's "Database schema" section documents the tables.
 */
#ifndef CYBERWELL_STORE_SCHEMA_H
#define CYBERWELL_STORE_SCHEMA_H

#include "util/diag.h"

struct sqlite3;

/*
 * Bring the database db (opened from path, used in messages) to
 * STORE_SCHEMA_VERSION inside one BEGIN IMMEDIATE transaction: apply each
 * migration after the database's user_version in turn. A user_version
 * newer than this code knows is CW_ERR_DB; a lock held past the busy
 * timeout is CW_ERR_BUSY. *version (may be NULL) gets the final version.
 */
int schema_migrate(struct sqlite3 *db, const char *path, int *version,
                   struct cw_error *err);

/*
 * Read the database's user_version into *version and check that the
 * database is cyberwell's, before anything is written: CW_ERR_DB when the
 * version is negative (no cyberwell writes one), newer than this code
 * knows, 0 on a database that already holds tables (another program's),
 * or set while cyberwell's tables are missing. The message says what the
 * database is. Call it inside a read transaction (BEGIN), so that the
 * version and the tables come from one snapshot. When a SQLite call
 * fails, sqlite3_errcode(db) still holds its code on return.
 */
int schema_check(struct sqlite3 *db, const char *path, int *version,
                 struct cw_error *err);

/* Number of migrations this code knows (= STORE_SCHEMA_VERSION). */
int schema_latest(void);

#endif
