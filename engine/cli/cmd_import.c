/* cyberwell import --csv FILE: overrides or reference scores from CSV. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "core/import.h"
#include "store/store.h"
#include "util/xalloc.h"

#include "util/banned.h"

const char usage_import[] =
    "usage: cyberwell import --csv FILE\n"
    "\n"
    "Import a CSV file into the database. Its header row tells the kind:\n"
    "  analyst overrides:  kind,iso3,indicator,status,reason,author,date\n"
    "                      (kind is \"override\"; status present, partial,\n"
    "                      absent or unknown; date YYYY-MM-DD)\n"
    "  reference scores:   kind,edition,iso3,country,overall,rank,tier,\n"
    "                      legal,technical,organizational,capacity_building,\n"
    "                      cooperation,scale,rank_method,source_url\n"
    "                      (kind is \"reference\"; numbers may be empty)\n"
    "  reference profiles: kind,iso3,country,section,status,line,\n"
    "                      profile_date,profile_sha256,source_url,origin,note\n"
    "                      (kind is \"profile\"; data/reference/profiles.csv:\n"
    "                      one assessment per country, stored as a document\n"
    "                      without text and scored under every registered\n"
    "                      rubric, rubric/gci2014.csv when there is none)\n"
    "Further columns after these (as 'cyberwell export' writes) are\n"
    "ignored. Every row is checked first: a bad row is reported as\n"
    "FILE:LINE:COL and nothing from the file is stored (exit 3).\n"
    "Overrides are kept beside the computed results, never replacing\n"
    "them; an override already stored identically is skipped. A reference\n"
    "row replaces the stored row of the same edition and country. A\n"
    "country's reference profile already stored with the same rows is\n"
    "kept; a changed one replaces it.\n"
    "\n"
    "options:\n"
    "  --csv FILE   the file to import\n";

int cmd_import(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {{"csv", required_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    const char *path = NULL;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            path = optarg;
            break;
        case ':':
            return cmd_usage_error("import", "option '%s' needs an argument",
                                   argv[optind - 1]);
        default:
            return cmd_usage_error("import", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error("import", "unexpected argument '%s'",
                               argv[optind]);
    if (!path)
        return cmd_usage_error("import", "no --csv FILE given");
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    struct import_summary sum;
    char buf[4096];
    struct import_opts o = {
        cli_data_path(ctx, "rubric/gci2014.csv", buf, sizeof buf)};
    int status = import_csv_opts(ctx->store, path, &o, &sum, errs);
    if (status) {
        cli_print_errors(errs);
        if (errs->n && (status == CW_ERR_PARSE || status == CW_ERR_LIMIT))
            fprintf(stderr, "cyberwell: nothing imported from '%s'\n", path);
    } else {
        printf("imported %zu %s from %s", sum.n_stored,
               import_kind_name(sum.kind, sum.n_stored), path);
        if (sum.n_existing)
            printf(" (%zu already stored)", sum.n_existing);
        putchar('\n');
        if (sum.n_replaced)
            printf("replaced the reference profiles of %zu countr%s: %s\n",
                   sum.n_replaced, sum.n_replaced == 1 ? "y" : "ies",
                   sum.replaced);
    }
    free(errs);
    return status;
}
