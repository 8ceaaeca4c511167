/*
 * cyberwell report ISO3: every chart, the CSV tables and index.html;
 * cyberwell report --all: the offline site of every country (core/site.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "cli/reportcli.h"
#include "core/site.h"

#include "util/banned.h"

const char usage_report[] =
    "usage: cyberwell report ISO3 [--peers ISO3,...|--group G] [options]\n"
    "       cyberwell report --all --out DIR [--countries ISO3,...|--group G]\n"
    "                        [--jobs N] [options]\n"
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
    "\n"
    "With --all, write an offline site into DIR (no network, relative\n"
    "links, a print stylesheet): index.html, the world ranking with rank\n"
    "ranges and coverage (sortable in the browser) and a heatmap of the\n"
    "pillars; countries/ISO3/index.html, each country's report card as\n"
    "above; groups/NAME.html, each group's members ranked among\n"
    "themselves; and data/*.csv, the files of 'cyberwell export'. A\n"
    "country none of whose groups has another scored member (or whose\n"
    "groups have over 63) is compared with its neighbours in the ranking.\n"
    "  --all              build the site (needs --out; no ISO3, --peers)\n"
    "  --countries LIST   cards for these ISO3 codes only (the index and\n"
    "                     group pages still rank every country)\n"
    "  --group G          with --all: cards for G's members only\n"
    "  --jobs N           cards drawn by N processes at once (1-8,\n"
    "                     default 2)\n"
    "Prints the index page and a summary line.\n"
    "\n"
    "exit status: 0 ok, 1 unknown country, rubric or group, or no peer,\n"
    "2 usage, 4 database, 5 gnuplot missing or failed (scripts, data,\n"
    "tables and index.html are still written).\n";

#define SITE_MAX_JOBS 8

enum {
    OPT_ALL = 0x300,
    OPT_OUT,
    OPT_COUNTRIES,
    OPT_GROUP,
    OPT_JOBS,
    OPT_GNUPLOT
};

/* Draw the cards plan[from], plan[from + step], ...; print each error.
 * Returns the first failure, CW_ERR_TOOL when only gnuplot failed. */
static int draw_cards(struct store *s, const struct site_opts *so,
                      const struct site_plan *plan, size_t from, size_t step)
{
    int status = CW_OK;
    for (size_t i = from; i < plan->n; i += step) {
        struct cw_error err;
        int rc = site_country(s, so, &plan->cards[i], &err);
        if (rc) {
            fprintf(stderr, "cyberwell: error: card %s: %s\n",
                    plan->cards[i].iso3, err.msg);
            if (!status || status == CW_ERR_TOOL)
                status = rc;
        }
    }
    return status;
}

/* Draw every card of the plan with n_jobs processes. */
static int draw_all(struct cw_ctx *ctx, const struct site_opts *so,
                    const struct site_plan *plan, size_t n_jobs)
{
    int status = CW_OK;
    if (n_jobs > plan->n)
        n_jobs = plan->n;
    if (n_jobs <= 1) {
        struct store *s = cmputil_store(ctx, &status);
        if (!s)
            return status;
        status = draw_cards(s, so, plan, 0, 1);
        cmputil_done(ctx);
        return status;
    }
    pid_t pids[SITE_MAX_JOBS];
    size_t n_started = 0;
    fflush(NULL);
    for (size_t j = 0; j < n_jobs; j++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("cyberwell: fork");
            status = CW_ERR_IO;
            break;
        }
        if (pid == 0) {
            /* the child opens its own connection: none crosses fork */
            int rc = CW_OK;
            struct store *s = cmputil_store(ctx, &rc);
            if (s)
                rc = draw_cards(s, so, plan, j, n_jobs);
            cmputil_done(ctx);
            fflush(NULL);
            _exit(rc == CW_OK ? 0 : rc == CW_ERR_TOOL ? 5 : 1);
        }
        pids[n_started++] = pid;
    }
    for (size_t j = 0; j < n_started; j++) {
        int ws;
        if (waitpid(pids[j], &ws, 0) < 0 || !WIFEXITED(ws) ||
            WEXITSTATUS(ws) == 1) {
            status = CW_ERR_IO;
        } else if (WEXITSTATUS(ws) == 5 && !status) {
            status = CW_ERR_TOOL;
        }
    }
    return status;
}

static int build_site(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"all", no_argument, NULL, OPT_ALL},
        {"out", required_argument, NULL, OPT_OUT},
        {"countries", required_argument, NULL, OPT_COUNTRIES},
        {"group", required_argument, NULL, OPT_GROUP},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"gnuplot", required_argument, NULL, OPT_GNUPLOT},
        CMPUTIL_MODEL_OPTIONS,
        CMPUTIL_EDITION_OPTION,
        {NULL, 0, NULL, 0}};
    struct cmputil_opts co = CMPUTIL_OPTS_INIT;
    struct site_opts so;
    memset(&so, 0, sizeof so);
    size_t n_jobs = 2;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        int rc = cmputil_option("report", c, optarg, &co);
        if (rc < 0)
            return rc;
        if (rc)
            continue;
        switch (c) {
        case OPT_ALL:
            break;
        case OPT_OUT:
            so.dir = optarg;
            break;
        case OPT_COUNTRIES:
            so.countries = optarg;
            break;
        case OPT_GROUP:
            so.group = optarg;
            break;
        case OPT_JOBS: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > SITE_MAX_JOBS)
                return cmd_usage_error("report",
                                       "--jobs takes a number from 1 to %d",
                                       SITE_MAX_JOBS);
            n_jobs = (size_t)v;
            break;
        }
        case OPT_GNUPLOT:
            so.gnuplot = optarg;
            break;
        case ':':
            return cmd_usage_error("report", "option '%s' needs a value",
                                   argv[optind - 1]);
        default:
            return cmd_usage_error("report", "unknown option '%s' with --all",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error("report",
                               "unexpected argument '%s' with --all "
                               "(name countries with --countries)",
                               argv[optind]);
    if (!so.dir)
        return cmd_usage_error("report", "--all needs --out DIR");
    so.model = co.model;
    so.db_path = ctx->db_path;
    struct strbuf command = STRBUF_INIT;
    strbuf_adds(&command, "cyberwell report");
    for (int i = 1; i < argc; i++)
        strbuf_addf(&command, " %s", argv[i]);
    so.command = command.buf;

    struct cw_error err;
    struct site_plan plan = {NULL, 0};
    struct site_summary sum;
    int status = CW_OK;
    struct store *s = cmputil_store(ctx, &status);
    if (!s)
        goto out;
    status = site_plan(s, &so, &plan, &err);
    cmputil_done(ctx);
    if (status) {
        if (status == CW_ERR_USAGE)
            cmd_usage_error("report", "%s", err.msg);
        else
            cli_print_error(&err);
        goto out;
    }
    int drawn = draw_all(ctx, &so, &plan, n_jobs);
    s = cmputil_store(ctx, &status);
    if (!s)
        goto out;
    status = site_pages(s, &so, &sum, &err);
    cmputil_done(ctx);
    if (status) {
        cli_print_error(&err);
        goto out;
    }
    printf("%s/index.html\n", so.dir);
    printf("site: %zu countries (%zu ranked), %zu of %zu cards, %zu group "
           "pages in %s\n",
           sum.n_countries, sum.n_ranked, sum.n_cards, plan.n, sum.n_groups,
           so.dir);
    status = drawn;
out:
    site_plan_release(&plan);
    strbuf_release(&command);
    return status;
}

int cmd_report(int argc, char **argv, struct cw_ctx *ctx)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (!strcmp(argv[i], "--all"))
            return build_site(argc, argv, ctx);

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
