/* cyberwell report ISO3: every chart, the CSV tables and index.html. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/reportcli.h"

#include "util/banned.h"

const char usage_report[] =
    "usage: cyberwell report ISO3 [--peers ISO3,...|--group G] [options]\n"
    "\n"
    "Write a country's report card into reports/ISO3/ (or --out DIR): every\n"
    "chart of 'cyberwell chart' as PNG and SVG with its gnuplot script and\n"
    "data, the CSV tables behind them (scores, pillars, indicators,\n"
    "findings, published, trend, robustness) and index.html, a page that\n"
    "opens offline in a browser and prints: the score, its rank with\n"
    "ties, coverage and score range, the pillars against the peers, the\n"
    "gaps and strengths with the sentence behind each indicator, and the\n"
    "rubric, hashes and engine version that reproduce it. One gnuplot\n"
    "process draws every chart. A chart with nothing to show (no\n"
    "published scores, fewer than two dated documents, a country that is\n"
    "not ranked) is left out with a note.\n"
    "\n"
    "How stable the rank is: the card's rank-interval chart and sentence\n"
    "come from 'cyberwell robustness --vs ISO3' over every ranked country\n"
    "(--draws, --seed and the uncertainty file's hash are on the card;\n"
    "--draws 0 leaves them out).\n"
    "\n"
    "Peers, as for 'cyberwell compare': --peers, else --group, else the\n"
    "members of every group the country belongs to.\n"
    "\n"
    "options:\n" REPORTCLI_OPTIONS_HELP "\n"
    "Prints the files written, one per line.\n"
    "exit status: 0 ok, 1 unknown country, rubric or group, or no peer,\n"
    "2 usage, 4 database, 5 gnuplot missing or failed (scripts, data,\n"
    "tables and index.html are still written).\n";

int cmd_report(int argc, char **argv, struct cw_ctx *ctx)
{
    static const enum report_kind kinds[] = {
        REPORT_RADAR,     REPORT_RANKING, REPORT_PILLARS,   REPORT_HEATMAP,
        REPORT_PUBLISHED, REPORT_TREND,   REPORT_ROBUSTNESS};
    struct reportcli o;
    const char *args[1];
    int status = reportcli_parse("report", argc, argv, 1, args, &o);
    if (!status)
        status =
            reportcli_run(ctx, &o, kinds, sizeof kinds / sizeof *kinds, true);
    reportcli_release(&o);
    return status;
}
