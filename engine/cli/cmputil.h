/*
 * cmputil: what the read commands (rank, compare, explain, export,
 * agreement, chart, report) share: their common options, country-code
 * checks, and loading the read-side model (core/model.h) with its error
 * messages.
 */
#ifndef CYBERWELL_CLI_CMPUTIL_H
#define CYBERWELL_CLI_CMPUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/commands.h"
#include "core/model.h"
#include "util/strbuf.h"

enum cmputil_format { CMPUTIL_TEXT, CMPUTIL_CSV, CMPUTIL_JSON };

/* Options every read command takes (the model's, and the output format). */
struct cmputil_opts {
    struct model_opts model;
    enum cmputil_format format;
};

#define CMPUTIL_OPTS_INIT                                                      \
    {                                                                          \
        MODEL_OPTS_INIT, CMPUTIL_TEXT                                          \
    }

/* getopt_long values of the shared options (above any short option). */
enum cmputil_opt {
    CMPUTIL_OPT_RUBRIC = 0x100,
    CMPUTIL_OPT_RUBRIC_VERSION,
    CMPUTIL_OPT_FORMAT,
    CMPUTIL_OPT_DECIMALS,
    CMPUTIL_OPT_AS_OF,
    CMPUTIL_OPT_NO_OVERRIDES,
    CMPUTIL_OPT_TIES,
    CMPUTIL_OPT_INCLUDE_INCOMPLETE,
    CMPUTIL_OPT_EDITION
};

/* The struct option rows of the options that shape the model. */
// clang-format off
#define CMPUTIL_MODEL_OPTIONS                                                  \
    {"rubric", required_argument, NULL, CMPUTIL_OPT_RUBRIC},                   \
    {"rubric-version", required_argument, NULL, CMPUTIL_OPT_RUBRIC_VERSION},   \
    {"decimals", required_argument, NULL, CMPUTIL_OPT_DECIMALS},               \
    {"as-of", required_argument, NULL, CMPUTIL_OPT_AS_OF},                     \
    {"no-overrides", no_argument, NULL, CMPUTIL_OPT_NO_OVERRIDES},             \
    {"ties", required_argument, NULL, CMPUTIL_OPT_TIES},                       \
    {"include-incomplete", no_argument, NULL, CMPUTIL_OPT_INCLUDE_INCOMPLETE}
/* ... and of --format and --edition. */
#define CMPUTIL_FORMAT_OPTION                                                  \
    {"format", required_argument, NULL, CMPUTIL_OPT_FORMAT}
#define CMPUTIL_EDITION_OPTION                                                 \
    {"edition", required_argument, NULL, CMPUTIL_OPT_EDITION}
#define CMPUTIL_LONG_OPTIONS CMPUTIL_MODEL_OPTIONS, CMPUTIL_FORMAT_OPTION
// clang-format on

/* Help lines of the options that shape the model. */
#define CMPUTIL_MODEL_HELP                                                     \
    "  --rubric NAME      rubric to compare under (default: the first\n"       \
    "                     registered, normally gci2014)\n"                     \
    "  --rubric-version V that version of it (default: the one last\n"         \
    "                     registered or rescored under)\n"                     \
    "  --as-of DATE       each country's latest document dated no later\n"     \
    "                     than DATE (YYYY, YYYY-MM or YYYY-MM-DD)\n"           \
    "  --decimals N       digits scores are shown and tie at (0-9,\n"          \
    "                     default 3)\n"                                        \
    "  --ties T           dense (default, as the ITU) or competition\n"        \
    "  --include-incomplete\n"                                                 \
    "                     also rank documents that state fewer indicators\n"   \
    "                     than the rubric's min_coverage\n"                    \
    "  --no-overrides     ignore analyst overrides (computed statuses)\n"
#define CMPUTIL_FORMAT_HELP "  --format FMT       text (default), csv or json\n"
#define CMPUTIL_EDITION_HELP                                                   \
    "  --edition YEAR     published GCI edition to compare with (default:\n"   \
    "                     the one the rubric declares: GCI 2014 for\n"         \
    "                     gci2014)\n"
#define CMPUTIL_OPTIONS_HELP CMPUTIL_MODEL_HELP CMPUTIL_FORMAT_HELP

/*
 * Handle one shared option c (with optarg) for command cmd. Returns 1 when
 * c was a shared option and was applied, 0 when c is not a shared option,
 * or CW_ERR_USAGE after printing the usage error.
 */
int cmputil_option(const char *cmd, int c, const char *arg,
                   struct cmputil_opts *o);

/*
 * Check a country code: three ASCII letters, any case. Fills iso3 (upper
 * case) and returns true, or false when arg is not a code.
 */
bool cmputil_iso3(const char *arg, char iso3[4]);

/*
 * The database: ctx->store when open (commands that store have it opened
 * by cli_run); else it is opened here read-only (cli_store_open) and
 * closed by cmputil_done. Prints errors; NULL with *status set on
 * failure. Borrowed.
 */
struct store *cmputil_store(struct cw_ctx *ctx, int *status);
/* Close the database if cmputil_store opened it. */
void cmputil_done(struct cw_ctx *ctx);

/*
 * Load the model o describes; fn (may be NULL) sees each document as it
 * is streamed (model_load). Prints every error; returns an owned model or
 * NULL with *status set (CW_ERR_NOTFOUND for an unknown rubric or group:
 * exit 1).
 */
struct model *cmputil_load(struct cw_ctx *ctx, const struct cmputil_opts *o,
                           model_doc_fn fn, void *fn_ctx, int *status);

/*
 * Why a country has no entry, printed on stderr: an unknown code, or a
 * known country without a document under the model's rubric. role names
 * it ("country", "peer"). Returns CW_ERR_NOTFOUND (or the store's error).
 */
int cmputil_not_found(struct cw_ctx *ctx, const struct model *m,
                      const char *iso3, const char *role);

/* Append the JSON object {"name":…,"version":…,"sha256":…} that
 * identifies the model's rubric. */
void cmputil_json_rubric_id(const struct model *m, struct strbuf *out);
/* Append the JSON member "rubric":{"name":…,"version":…,"sha256":…} of
 * the model's rubric, that opens every JSON answer of the read commands,
 * then ,"decimals":N,"ties":"…". */
void cmputil_json_rubric(const struct model *m, struct strbuf *out);

/* Print the lines every text answer of a read command opens with: the
 * rubric, the precision and ties, and who is ranked. */
void cmputil_print_basis(const struct model *m);

#endif
