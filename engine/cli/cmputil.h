/*
 * cmputil: what the rank, compare and explain commands share: their
 * common options (--rubric, --format, --decimals, --as-of,
 * --no-overrides), country-code checks, loading a peer set with its error
 * messages, and status labels that mark analyst overrides.
 */
#ifndef CYBERWELL_CLI_CMPUTIL_H
#define CYBERWELL_CLI_CMPUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/commands.h"
#include "core/peerset.h"
#include "util/strbuf.h"

enum cmputil_format { CMPUTIL_TEXT, CMPUTIL_CSV, CMPUTIL_JSON };

/* Options every comparing command takes. */
struct cmputil_opts {
    const char *rubric;  /* --rubric NAME, or NULL (the first registered) */
    const char *version; /* --rubric-version V, or NULL (the newest) */
    const char *as_of;   /* --as-of DATE, or NULL (latest documents) */
    enum cmputil_format format;
    int decimals;     /* --decimals N, COMPARE_DECIMALS by default */
    bool is_computed; /* --no-overrides */
    bool is_brief;    /* load no evidence sentences (rank needs none) */
};

#define CMPUTIL_OPTS_INIT                                                      \
    {                                                                          \
        NULL, NULL, NULL, CMPUTIL_TEXT, COMPARE_DECIMALS, false, false         \
    }

/* getopt_long values of the shared options (above any short option). */
enum cmputil_opt {
    CMPUTIL_OPT_RUBRIC = 0x100,
    CMPUTIL_OPT_RUBRIC_VERSION,
    CMPUTIL_OPT_FORMAT,
    CMPUTIL_OPT_DECIMALS,
    CMPUTIL_OPT_AS_OF,
    CMPUTIL_OPT_NO_OVERRIDES
};

/* The struct option rows of the shared options, for a command's table. */
// clang-format off
#define CMPUTIL_LONG_OPTIONS                                                   \
    {"rubric", required_argument, NULL, CMPUTIL_OPT_RUBRIC},                   \
    {"rubric-version", required_argument, NULL, CMPUTIL_OPT_RUBRIC_VERSION},   \
    {"format", required_argument, NULL, CMPUTIL_OPT_FORMAT},                   \
    {"decimals", required_argument, NULL, CMPUTIL_OPT_DECIMALS},               \
    {"as-of", required_argument, NULL, CMPUTIL_OPT_AS_OF},                     \
    {"no-overrides", no_argument, NULL, CMPUTIL_OPT_NO_OVERRIDES}
// clang-format on

/* Help lines of the shared options. */
#define CMPUTIL_OPTIONS_HELP                                                   \
    "  --rubric NAME      rubric to compare under (default: the first\n"       \
    "                     registered, normally gci2014)\n"                     \
    "  --rubric-version V that version of it (default: the newest)\n"          \
    "  --as-of DATE       each country's latest document dated no later\n"     \
    "                     than DATE (YYYY, YYYY-MM or YYYY-MM-DD)\n"           \
    "  --decimals N       precision at which scores tie (0-9, default 3)\n"    \
    "  --no-overrides     ignore analyst overrides (computed statuses)\n"      \
    "  --format FMT       text (default), csv or json\n"

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
 * Load the latest results (or as of o->as_of) under o's rubric, limited to
 * group (may be NULL). Prints every error; returns an owned set or NULL
 * with *status set (CW_ERR_NOTFOUND for an unknown rubric or group: exit 1).
 */
struct peerset *cmputil_load(struct cw_ctx *ctx, const struct cmputil_opts *o,
                             const char *group, int *status);

/*
 * Why a country has no scores, printed on stderr: an unknown code, or a
 * known country without a document under the set's rubric. role names it
 * ("country", "peer"). Returns CW_ERR_NOTFOUND (or the store's error).
 */
int cmputil_not_found(struct cw_ctx *ctx, const struct peerset *ps,
                      const char *iso3, const char *role);

/*
 * Append the status of indicator i of entry e: the status used, followed,
 * when an analyst override applies, by " (override; computed STATUS)"
 * (with is_long, also the override's author, date and reason).
 */
void cmputil_status(const struct peerset_entry *e, size_t i, bool is_long,
                    struct strbuf *out);

/* "gci2014 1.0.0" (borrowed from ps). */
const char *cmputil_rubric_name(const struct peerset *ps);

/* Append the JSON member "rubric":{"name":…,"version":…,"sha256":…} of
 * ps's rubric, that opens every JSON answer of the comparing commands. */
void cmputil_json_rubric(const struct peerset *ps, struct strbuf *out);

#endif
