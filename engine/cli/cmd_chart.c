/* cyberwell chart KIND ISO3: one benchmark chart, drawn by gnuplot. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/reportcli.h"

#include "util/banned.h"

const char usage_chart[] =
    "usage: cyberwell chart KIND ISO3 [--peers ISO3,...|--group G] "
    "[options]\n"
    "\n"
    "Draw one benchmark chart of a country from the database, as PNG and\n"
    "SVG, with the gnuplot script (KIND.gp) and the data (KIND.dat) it\n"
    "reads, so that it can be restyled and re-run by hand:\n"
    "  cd reports/ISO3 && gnuplot KIND.gp\n"
    "\n"
    "KIND:\n"
    "  radar      pillar scores against the peers' median (and each peer,\n"
    "             up to 4, else the peers' best)\n"
    "  ranking    every ranked country (or the group's) by overall score,\n"
    "             the country highlighted, the peer median as a line, ties\n"
    "             as 3=\n"
    "  pillars    clustered bars of the pillar scores\n"
    "  heatmap    indicator status of the country and its peers\n"
    "  published  computed against published GCI overall scores of the\n"
    "             edition with the rubric's structure (GCI 2014 for\n"
    "             gci2014; --edition for another), with the figures of\n"
    "             'cyberwell agreement' (import them first: cyberwell\n"
    "             import --csv data/reference/gci-published.csv)\n"
    "  trend      the country's scores over its dated documents (two or\n"
    "             more)\n"
    "  robustness every ranked country's rank interval over --draws\n"
    "             alternative versions of the index, sorted by median\n"
    "             rank, the country and its peers highlighted (as\n"
    "             'cyberwell robustness --vs ISO3')\n"
    "\n"
    "Peers, as for 'cyberwell compare': --peers, else --group, else the\n"
    "members of every group the country belongs to.\n"
    "\n"
    "options:\n" REPORTCLI_OPTIONS_HELP "\n"
    "Prints the files written, one per line.\n"
    "exit status: 0 ok, 1 unknown country, rubric or group, no peer, or\n"
    "nothing to draw, 2 usage, 4 database, 5 gnuplot missing or failed\n"
    "(the script and data are still written).\n";

int cmd_chart(int argc, char **argv, struct cw_ctx *ctx)
{
    struct reportcli o;
    const char *args[2];
    int status = reportcli_parse("chart", argc, argv, 2, args, &o);
    enum report_kind kind;
    if (!status && !report_kind_parse(args[0], &kind))
        status = cmd_usage_error("chart",
                                 "unknown chart '%s' (radar, ranking, "
                                 "pillars, heatmap, published or trend)",
                                 args[0]);
    if (!status)
        status = reportcli_run(ctx, &o, &kind, 1, false);
    reportcli_release(&o);
    return status;
}
