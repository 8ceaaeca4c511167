/* --version, and command running with database set-up. */
#ifndef CYBERWELL_CLI_VERSION_H
#define CYBERWELL_CLI_VERSION_H

#include "cli/commands.h"

/* Print "cyberwell X.Y.Z" and the SQLite and libcsv versions to stdout. */
void cli_print_version(void);

/* Open the database when the command needs it, run it, close. */
int cli_run(const struct cmd *cmd, int argc, char **argv, struct cw_ctx *ctx);

#endif
