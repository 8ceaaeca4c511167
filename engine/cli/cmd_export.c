/* cyberwell export --csv DIR: stored results as CSV files. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "core/export.h"

#include "util/banned.h"

// clang-format off
const char usage_export[] =
    "usage: cyberwell export --csv DIR [options]\n"
    "\n"
    "Write the stored results as RFC 4180 CSV files (UTF-8, a header\n"
    "row, one row per fact) into DIR, created if needed:\n"
    "  scores.csv      overall score, points, range and coverage\n"
    "  pillars.csv     pillar scores with their coverage\n"
    "  indicators.csv  indicator statuses with their evidence sentence\n"
    "  ranks.csv       the ranking of 'cyberwell rank': rank and joint\n"
    "                  range, or not ranked (coverage below min_coverage)\n"
    "  overrides.csv   analyst overrides and the computed status beside\n"
    "  reference.csv   published reference scores, with the computed one\n"
    "                  beside those of the edition compared with\n"
    "Scores carry analyst overrides (unless --no-overrides) and are\n"
    "written at --decimals digits, as every other command shows them.\n"
    "Every row carries the rubric name and version and the document's\n"
    "SHA-256. Cells a spreadsheet would run (starting with = + - @, tab\n"
    "or CR) get a leading '. Each file is replaced atomically.\n"
    "\n"
    "options:\n"
    "  --csv DIR          output folder\n"
    "  --all-versions     every stored document in scores, pillars and\n"
    "                     indicators, not only each country's latest\n"
    CMPUTIL_MODEL_HELP
    CMPUTIL_EDITION_HELP;
// clang-format on

int cmd_export(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"csv", required_argument, NULL, 'c'},
        {"all-versions", no_argument, NULL, 'a'},
        CMPUTIL_MODEL_OPTIONS,
        CMPUTIL_EDITION_OPTION,
        {NULL, 0, NULL, 0}};
    struct cmputil_opts o = CMPUTIL_OPTS_INIT;
    const char *dir = NULL;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        int used = cmputil_option("export", c, optarg, &o);
        if (used < 0)
            return used;
        if (used)
            continue;
        switch (c) {
        case 'c':
            dir = optarg;
            break;
        case 'a':
            o.model.is_all_versions = true;
            break;
        case ':':
            return cmd_usage_error("export", "option '%s' needs an argument",
                                   argv[optind - 1]);
        default:
            return cmd_usage_error("export", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error("export", "unexpected argument '%s'",
                               argv[optind]);
    if (!dir)
        return cmd_usage_error("export", "no --csv DIR given");
    if (!*dir)
        return cmd_usage_error("export",
                               "--csv needs a folder name, not an empty one");

    struct cw_error err;
    struct export_summary sum;
    int status = CW_OK;
    struct store *s = cmputil_store(ctx, &status); /* read-only */
    if (!s)
        return status;
    status = export_csv(s, &o.model, dir, &sum, &err);
    if (status) {
        cli_print_error(&err);
        return status;
    }
    printf("exported %zu documents under %s to %s/{", sum.n_documents,
           sum.rubric, dir);
    for (size_t i = 0; export_file_name(i); i++)
        printf("%s%s", i ? "," : "", export_file_name(i));
    printf("}\n");
    return CW_OK;
}
