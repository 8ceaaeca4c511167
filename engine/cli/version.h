/* --version, and command running with database set-up. */
#ifndef CYBERWELL_CLI_VERSION_H
#define CYBERWELL_CLI_VERSION_H

#include <stdbool.h>

#include "cli/commands.h"

/* Print "cyberwell X.Y.Z" and the SQLite and libcsv versions to stdout. */
void cli_print_version(void);

/*
 * Run the command. For a CMD_WRITES command, open the database first
 * (created and migrated when needed) and load the country lists into it;
 * a command that only reads opens it later with cli_store_open. Closes
 * whatever database is open at the end.
 */
int cli_run(const struct cmd *cmd, int argc, char **argv, struct cw_ctx *ctx);

/*
 * Open ctx->db_path into ctx->store: read-only (never created or written;
 * a note says when the country lists changed since they were loaded) or
 * read-write (created, migrated, country lists loaded). Refuses
 * ":memory:", URIs and non-regular files. Prints errors; returns the
 * status.
 */
int cli_store_open(struct cw_ctx *ctx, bool is_readonly);

#endif
