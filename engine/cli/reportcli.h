/*
 * reportcli: what the chart and report commands share: their options,
 * the output folder, and the run (load, draw, tables, one gnuplot, page).
 */
#ifndef CYBERWELL_CLI_REPORTCLI_H
#define CYBERWELL_CLI_REPORTCLI_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "core/report.h"
#include "util/strbuf.h"

/* Parsed options; strings borrowed from argv. */
struct reportcli {
    const char *cmd; /* "chart" or "report" */
    struct report_opts report;
    const char *out;         /* --out DIR, or NULL: reports/ISO3 */
    const char *gnuplot;     /* --gnuplot PATH, or NULL */
    const char *uncertainty; /* --uncertainty FILE, or NULL: the rubric's */
    char iso3[4];            /* the country, upper case */
    struct strbuf command;   /* the command line, for the card */
};

/* Help lines of the options both commands take. */
#define REPORTCLI_OPTIONS_HELP                                                 \
    "  --peers LIST       peers: comma-separated ISO3 codes\n"                 \
    "  --group G          peers: the other members of group G; the\n"          \
    "                     ranking then covers the group "                      \
    "only\n" CMPUTIL_MODEL_HELP CMPUTIL_EDITION_HELP                           \
    "  --out DIR          output folder (default: reports/ISO3 in the\n"       \
    "                     project folder)\n"                                   \
    "  --gnuplot PATH     gnuplot program (default: $CYBERWELL_GNUPLOT,\n"     \
    "                     else gnuplot on PATH)\n"                             \
    "  --draws N          draws of the rank-interval chart, 0 to 10000000\n"   \
    "                     (default 2000; 0: no chart)\n"                       \
    "  --seed S           seed of the draws (default 1)\n"                     \
    "  --uncertainty FILE the uncertain choices (default\n"                    \
    "                     rubric/RUBRIC-uncertainty.csv)\n"

/*
 * Parse argv for command cmd ("chart" or "report"), which takes n_args
 * operands (KIND ISO3, or ISO3), stored in args[]. Prints usage errors;
 * returns CW_OK or CW_ERR_USAGE. Release o with reportcli_release.
 */
int reportcli_parse(const char *cmd, int argc, char **argv, size_t n_args,
                    const char **args, struct reportcli *o);
void reportcli_release(struct reportcli *o);

/*
 * Draw kinds[0..n_kinds) for o's country into the output folder and run
 * gnuplot once; with is_card, skip charts that have nothing to show
 * (noted on stderr and on the page) and also write the CSV tables and
 * index.html. Prints every file written on stdout and every error on
 * stderr. Returns CW_OK, or the first failure (CW_ERR_TOOL when only
 * gnuplot failed: everything else is written).
 */
int reportcli_run(struct cw_ctx *ctx, struct reportcli *o,
                  const enum report_kind *kinds, size_t n_kinds, bool is_card);

/*
 * The default uncertainty file of rubric: rubric/RUBRIC-uncertainty.csv
 * (in the data folder when not found as given), written into buf; NULL
 * when the name is not a plain file name.
 */
const char *reportcli_uncertainty_path(const struct cw_ctx *ctx,
                                       const char *rubric, char *buf,
                                       size_t cap);

/* Parse a count option (decimal digits, min to max) of command cmd into
 * *out: CW_OK or a usage error naming opt. */
int reportcli_number(const char *cmd, const char *opt, const char *arg,
                     unsigned long long min, unsigned long long max,
                     unsigned long long *out);

#endif
