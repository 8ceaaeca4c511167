/*
 * The command table: one cmd_<name> per subcommand, dispatched by main.c.
 * Adding a command: engine/cli/cmd_foo.c, a declaration here, a row in
 * commands[] (commands.c), help text, its section in man/cyberwell.1
 * (the test man.options checks it against the help) and tests/cases.
 */
#ifndef CYBERWELL_CLI_COMMANDS_H
#define CYBERWELL_CLI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

struct store;
struct doc_read_opts;
struct decode_info;

/* State shared by main and the commands. */
struct cw_ctx {
    const char *db_path; /* --db, CYBERWELL_DB, or the default */
    const char *datadir; /* project folder holding rubric/ and data/ */
    struct store *store; /* open database, or NULL (see enum cmd_flags) */
};

enum cmd_flags {
    /* the command uses the database: alone, it opens it read-only
     * (cmputil_store) after reading its options, never creating,
     * migrating or writing it (no WAL switch either) */
    CMD_NEEDS_DB = 1 << 0,
    /* the command stores: cli_run opens the database read-write first,
     * creating and migrating it when needed, and loads the country lists */
    CMD_WRITES = 1 << 1
};

typedef int (*cmd_fn)(int argc, char **argv, struct cw_ctx *ctx);

struct cmd {
    const char *name;
    cmd_fn fn;
    unsigned flags;
    const char *summary;
    const char *usage; /* full help text, printed by --help */
};

/* Sorted by name. */
extern const struct cmd commands[];
extern const size_t n_commands;

const struct cmd *cmd_find(const char *name);

/* Print help for a command to stdout. */
void cmd_print_help(const struct cmd *c);
/* The context whose open database suggests countries and groups for a
 * misspelt one (borrowed until the command ends; main sets it). */
void cli_set_ctx(const struct cw_ctx *ctx);
/* A usage error: one line on stderr plus "try 'cyberwell CMD --help'".
 * Returns CW_ERR_USAGE. The line ends "; did you mean 'X'?" when the
 * message is "unknown option 'O'" and O is close to an option of CMD's
 * usage text, or is one of the messages cli_print_error completes. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print an error as "file:line:col: error: msg" with the source line and a
 * caret, or "cyberwell: error: msg" when it has no file. A message
 * "unknown country 'X'" or "unknown group 'X'" ends "; did you mean
 * 'Y'?" when the open database (cli_set_ctx) has a country code, name or
 * group close to X; "'X' is not a cyberwell command" and "unknown global
 * option 'X'" likewise with the commands and global options. */
void cli_print_error(const struct cw_error *e);
void cli_print_errors(const struct cw_errors *errs);
/* Read --batch N (1 to 1000000) into out; a usage error naming cmd
 * otherwise (returns CW_ERR_USAGE). */
int cli_parse_batch(const char *cmd, const char *arg, size_t *out);
/* The options by which score, parse and ingest read documents: their
 * struct option rows (after the command's own), their help lines, and
 * their handler. */
enum cli_input_opt { CLI_OPT_ENCODING = 0x200, CLI_OPT_PDFTOTEXT };
// clang-format off
#define CLI_INPUT_LONG_OPTIONS                                                 \
    {"encoding", required_argument, NULL, CLI_OPT_ENCODING},                   \
    {"pdftotext", required_argument, NULL, CLI_OPT_PDFTOTEXT}
// clang-format on
#define CLI_INPUT_OPTIONS_HELP                                                 \
    "  --encoding NAME    read every FILE in this encoding (an iconv name:\n"  \
    "                     WINDOWS-1252, GBK, UTF-16 ...) instead of\n"         \
    "                     detecting it\n"                                      \
    "  --pdftotext PROG   the pdftotext program that reads PDF files\n"        \
    "                     (default: $CYBERWELL_PDFTOTEXT, else on PATH)\n"

/*
 * Apply input option c (with arg) of command cmd to o. Returns 1 when c
 * was an input option, 0 when it is not one, or CW_ERR_USAGE after
 * printing the usage error (an encoding iconv does not know).
 */
int cli_input_option(const char *cmd, int c, const char *arg,
                     struct doc_read_opts *o);

/* On stderr, "PATH: warning: read as ..." when a document was transcoded
 * or its encoding is a guess (decode_warning); nothing otherwise. */
void cli_print_decode_warning(const char *path, const struct decode_info *i);

/* Check arg of option opt (YYYY, YYYY-MM or YYYY-MM-DD, a real day):
 * CW_OK, or a usage error naming cmd (returns CW_ERR_USAGE). */
int cli_check_date(const char *cmd, const char *opt, const char *arg);
/* Resolve a path relative to ctx->datadir when it does not exist as given. */
const char *cli_data_path(const struct cw_ctx *ctx, const char *rel, char *buf,
                          size_t cap);

int cmd_agreement(int argc, char **argv, struct cw_ctx *ctx);
int cmd_chart(int argc, char **argv, struct cw_ctx *ctx);
int cmd_compare(int argc, char **argv, struct cw_ctx *ctx);
int cmd_explain(int argc, char **argv, struct cw_ctx *ctx);
int cmd_export(int argc, char **argv, struct cw_ctx *ctx);
int cmd_forget(int argc, char **argv, struct cw_ctx *ctx);
int cmd_help(int argc, char **argv, struct cw_ctx *ctx);
int cmd_import(int argc, char **argv, struct cw_ctx *ctx);
int cmd_ingest(int argc, char **argv, struct cw_ctx *ctx);
int cmd_parse(int argc, char **argv, struct cw_ctx *ctx);
int cmd_rank(int argc, char **argv, struct cw_ctx *ctx);
int cmd_report(int argc, char **argv, struct cw_ctx *ctx);
int cmd_rescore(int argc, char **argv, struct cw_ctx *ctx);
int cmd_robustness(int argc, char **argv, struct cw_ctx *ctx);
int cmd_score(int argc, char **argv, struct cw_ctx *ctx);

extern const char usage_help[], usage_parse[], usage_score[], usage_forget[];
extern const char usage_compare[], usage_explain[], usage_rank[];
extern const char usage_export[], usage_import[], usage_ingest[],
    usage_rescore[];
extern const char usage_chart[], usage_report[], usage_agreement[],
    usage_robustness[];

#endif
