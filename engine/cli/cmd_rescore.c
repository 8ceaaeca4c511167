/* cyberwell rescore: score stored documents again, without re-parsing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "core/ingest.h"
#include "store/store.h"
#include "util/xalloc.h"

#include "util/banned.h"

const char usage_rescore[] =
    "usage: cyberwell rescore [--rubric PATH]...\n"
    "\n"
    "Score every stored document again from its stored text, parsed\n"
    "again (no file is re-read; a document stored before schema 2 is\n"
    "read from its stored sections and sentences). With --rubric, under\n"
    "that rubric file only, registering it as a new version when its\n"
    "content changed; without, under the newest version of every\n"
    "registered rubric. Earlier results of the same rubric version are\n"
    "replaced; results of other versions are kept.\n"
    "\n"
    "options:\n"
    "  --rubric PATH   rubric file to score under (repeatable)\n"
    "  --batch N       documents per commit (default 500)\n"
    "  -q, --quiet     print nothing on success\n";

int cmd_rescore(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"rubric", required_argument, NULL, 'r'},
        {"batch", required_argument, NULL, 'b'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0}};
    const char **rubrics = xcalloc((size_t)argc + 1, sizeof *rubrics);
    size_t n_rubrics = 0, batch = 0;
    bool quiet = false;
    struct ingest *in = NULL;
    struct cw_errors *errs = NULL;
    struct cw_error err;
    int64_t *ids = NULL;
    size_t n_ids = 0;
    int status = CW_OK;
    int c;
    while ((c = getopt_long(argc, argv, ":q", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            rubrics[n_rubrics++] = optarg;
            break;
        case 'b':
            status = cli_parse_batch("rescore", optarg, &batch);
            if (status)
                goto out;
            break;
        case 'q':
            quiet = true;
            break;
        case ':':
            status = cmd_usage_error("rescore", "option '%s' needs an argument",
                                     argv[optind - 1]);
            goto out;
        default:
            status = cmd_usage_error("rescore", "unknown option '%s'",
                                     argv[optind - 1]);
            goto out;
        }
    }
    if (optind < argc) {
        status = cmd_usage_error("rescore", "unexpected argument '%s'",
                                 argv[optind]);
        goto out;
    }
    in = ingest_new(ctx->store, batch, n_rubrics ? INGEST_NO_STORED_RUBRICS : 0,
                    &err);
    if (!in) {
        cli_print_error(&err);
        status = err.code;
        goto out;
    }
    errs = xcalloc(1, sizeof *errs);
    for (size_t i = 0; i < n_rubrics; i++) {
        bool is_new = false;
        size_t at = 0;
        errs->n = errs->n_dropped = 0;
        status = ingest_add_rubric(in, rubrics[i], &is_new, &at, errs);
        if (status) {
            cli_print_errors(errs);
            goto out;
        }
        const char *name, *version, *sha;
        ingest_rubric_info(in, at, &name, &version, &sha);
        if (!quiet && is_new)
            printf("registered rubric %s %s (sha256 %.12s) from %s\n", name,
                   version, sha, rubrics[i]);
    }
    if (ingest_n_rubrics(in) == 0) {
        err.code = 0;
        status = cw_errorf(&err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                           "no rubric registered in '%s' (run 'cyberwell "
                           "ingest' first, or give --rubric)",
                           store_path(ctx->store));
        cli_print_error(&err);
        goto out;
    }
    status = store_doc_ids(ctx->store, &ids, &n_ids, &err);
    if (status) {
        cli_print_error(&err);
        goto out;
    }
    status = ingest_rescore_all(in, ids, n_ids, &err);
    if (status) {
        cli_print_error(&err);
        goto out;
    }
    status = ingest_commit(in, &err);
    if (status) {
        cli_print_error(&err);
        goto out;
    }
    if (!quiet)
        for (size_t k = 0; k < ingest_n_rubrics(in); k++) {
            const char *name, *version, *sha;
            ingest_rubric_info(in, k, &name, &version, &sha);
            printf("rescored %zu documents under %s %s (sha256 %.12s)\n", n_ids,
                   name, version, sha);
        }
out:
    free(ids);
    ingest_free(in);
    free(errs);
    free(rubrics);
    return status;
}
