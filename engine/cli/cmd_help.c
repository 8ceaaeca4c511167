/* cyberwell help [COMMAND] */
#include <stdio.h>

#include "cli/commands.h"

#include "util/banned.h"

const char usage_help[] =
    "usage: cyberwell help [COMMAND]\n"
    "\n"
    "Show the list of commands, or the options of COMMAND.\n";

int cmd_help(int argc, char **argv, struct cw_ctx *ctx)
{
    (void)ctx;
    if (argc > 2)
        return cmd_usage_error("help", "too many arguments");
    if (argc < 2) {
        fputs("usage: cyberwell [--db PATH] <command> [options] [args]\n\n"
              "commands:\n",
              stdout);
        for (size_t i = 0; i < n_commands; i++)
            printf("  %-10s %s\n", commands[i].name, commands[i].summary);
        return 0;
    }
    const struct cmd *c = cmd_find(argv[1]);
    if (!c)
        /* the list of commands is what helps: 'cyberwell --help' */
        return cmd_usage_error(NULL, "'%s' is not a cyberwell command",
                               argv[1]);
    cmd_print_help(c);
    return 0;
}
