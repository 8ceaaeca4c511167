/* cyberwell forget: delete documents ingested by mistake, and their
 * results, after showing what will go (core/forget.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "cli/exitcode.h"
#include "core/forget.h"
#include "store/store.h"

#include "util/banned.h"

const char usage_forget[] =
    "usage: cyberwell forget ISO3 [--document HASH|PATH | --all-versions]\n"
    "                        [--dry-run | --yes]\n"
    "\n"
    "Delete stored documents of the country ISO3 with everything stored\n"
    "of them (their text and their results under every rubric), in one\n"
    "transaction: on any error nothing is deleted. Without --document\n"
    "or --all-versions, the country's latest document goes (the one the\n"
    "read commands show); an earlier one, if any, is then the latest.\n"
    "\n"
    "What will go is shown first. Then, with --yes, it is deleted; on a\n"
    "terminal without --yes, forget asks; otherwise (a script, a pipe)\n"
    "it refuses (exit 2) and deletes nothing. --dry-run only shows.\n"
    "\n"
    "Analyst overrides belong to the country, not to a document: they\n"
    "are kept and apply to whichever document of ISO3 is then the\n"
    "latest, or again when one is ingested (the listing counts them).\n"
    "Registered rubrics and the country itself are kept too.\n"
    "\n"
    "options:\n"
    "  --document D     the document whose SHA-256 begins with D (6 hex\n"
    "                   digits or more, as ingest and export show it) or\n"
    "                   whose stored path is D\n"
    "  --all-versions   every document of ISO3\n"
    "  -n, --dry-run    show what would go; delete nothing\n"
    "  -y, --yes        delete without asking\n";

static void print_plan(const struct forget_plan *p, bool is_dry)
{
    printf("%s %s: %zu of %zu document%s, with %ld result%s\n",
           is_dry ? "would forget" : "forget", p->iso3, p->n_gone, p->docs.n,
           p->docs.n == 1 ? "" : "s", p->n_results,
           p->n_results == 1 ? "" : "s");
    const struct store_doc_row *latest = NULL;
    size_t n_kept = 0;
    for (size_t i = 0; p->docs.items && i < p->docs.n; i++) {
        const struct store_doc_row *d = &p->docs.items[i];
        if (!p->is_gone[i]) {
            n_kept++;
            if (!latest)
                latest = d;
            continue;
        }
        printf("  document %.12s %s (edition %s, ingested %s; results "
               "under %ld rubric%s)\n",
               d->sha256, d->path, d->edition_date ? d->edition_date : "n/a",
               d->ingested_at, d->n_results, d->n_results == 1 ? "" : "s");
    }
    if (latest)
        printf("kept: %zu document%s of %s; the latest is then %.12s %s\n",
               n_kept, n_kept == 1 ? "" : "s", p->iso3, latest->sha256,
               latest->path);
    else
        printf("kept: no document of %s\n", p->iso3);
    if (p->n_overrides)
        printf("kept: %ld override%s of %s (%s)\n", p->n_overrides,
               p->n_overrides == 1 ? "" : "s", p->iso3,
               latest ? "they apply to the latest document"
                      : "they apply again when a document is ingested");
}

/* Ask on the terminal; true when the answer is y or yes. */
static bool confirm(void)
{
    char line[16];
    fprintf(stderr, "forget these? [y/N] ");
    fflush(stderr);
    if (!fgets(line, sizeof line, stdin))
        return false;
    line[strcspn(line, "\n")] = '\0';
    return !strcmp(line, "y") || !strcmp(line, "Y") || !strcmp(line, "yes");
}

int cmd_forget(int argc, char **argv, struct cw_ctx *ctx)
{
    enum { OPT_DOCUMENT = 0x100, OPT_ALL };
    static const struct option opts[] = {
        {"document", required_argument, NULL, OPT_DOCUMENT},
        {"all-versions", no_argument, NULL, OPT_ALL},
        {"dry-run", no_argument, NULL, 'n'},
        {"yes", no_argument, NULL, 'y'},
        {NULL, 0, NULL, 0}};
    const char *document = NULL;
    bool is_all = false, is_dry = false, is_yes = false;
    int c;
    while ((c = getopt_long(argc, argv, ":ny", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DOCUMENT:
            document = optarg;
            break;
        case OPT_ALL:
            is_all = true;
            break;
        case 'n':
            is_dry = true;
            break;
        case 'y':
            is_yes = true;
            break;
        case ':':
            return cmd_usage_error("forget", "option '%s' needs an argument",
                                   argv[optind - 1]);
        default:
            return cmd_usage_error("forget", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    char iso3[4];
    if (optind >= argc)
        return cmd_usage_error("forget", "no country given");
    if (optind + 1 < argc)
        return cmd_usage_error("forget", "unexpected argument '%s'",
                               argv[optind + 1]);
    if (!cmputil_iso3(argv[optind], iso3))
        return cmd_usage_error("forget", "'%s' is not an ISO 3166 alpha-3 code",
                               argv[optind]);
    if (document && is_all)
        return cmd_usage_error("forget",
                               "--document and --all-versions exclude "
                               "each other");
    if (is_dry && is_yes)
        return cmd_usage_error("forget",
                               "--dry-run and --yes exclude each other");

    int status = CW_OK;
    struct forget_plan plan = {0};
    struct cw_error err;
    struct store *s = cmputil_store(ctx, &status); /* read-only */
    if (!s)
        return status;
    status = forget_plan(s, iso3, document, is_all, &plan, &err);
    cmputil_done(ctx);
    if (status) {
        cli_print_error(&err);
        goto out;
    }
    print_plan(&plan, is_dry);
    if (is_dry)
        goto out;
    if (!is_yes) {
        if (!isatty(STDIN_FILENO)) {
            status = cmd_usage_error("forget",
                                     "not forgetting without --yes (standard "
                                     "input is not a terminal); nothing "
                                     "deleted");
            goto out;
        }
        if (!confirm()) {
            fprintf(stderr, "cyberwell: nothing forgotten\n");
            goto out;
        }
    }
    ctx->store = store_open(ctx->db_path, STORE_PERSISTENT, &err);
    if (!ctx->store) {
        cli_print_error(&err);
        status = err.code;
        goto out;
    }
    status = forget_apply(ctx->store, &plan, &err);
    if (status) {
        cli_print_error(&err);
        goto out;
    }
    printf("forgot %zu document%s of %s and %ld result%s\n", plan.n_gone,
           plan.n_gone == 1 ? "" : "s", plan.iso3, plan.n_results,
           plan.n_results == 1 ? "" : "s");
out:
    forget_plan_release(&plan);
    return status;
}
