/* --version and the common set-up around a command. */
#include "cli/version.h"

#include <stdio.h>

#include "io/csvio.h"
#include "util/banned.h"

void cli_print_version(void)
{
    printf("cyberwell %s\n", CYBERWELL_VERSION);
    printf("sqlite %s\n", "(not linked yet)");
    printf("libcsv %s\n", csvio_version());
}

int cli_run(const struct cmd *cmd, int argc, char **argv, struct cw_ctx *ctx)
{
    return cmd->fn(argc, argv, ctx);
}
