/* --version and the common set-up around a command. */
#include "cli/version.h"

#include <stdbool.h>
#include <stdio.h>

#include "core/country.h"
#include "io/csvio.h"
#include "store/store.h"

#include "util/banned.h"

void cli_print_version(void)
{
    printf("cyberwell %s\n", CYBERWELL_VERSION);
    printf("sqlite %s\n", store_sqlite_version());
    printf("libcsv %s\n", csvio_version());
}

/*
 * Load data/countries.csv and data/groups.csv when they changed since the
 * database last saw them. Missing files are an error only while the
 * database has no countries yet. A command that only reads (is_readonly)
 * loads nothing: it says when the files changed since.
 */
static int sync_countries(struct cw_ctx *ctx, bool is_readonly,
                          struct cw_error *err)
{
    char cbuf[4096], gbuf[4096];
    const char *cpath =
        cli_data_path(ctx, "data/countries.csv", cbuf, sizeof cbuf);
    const char *gpath =
        cli_data_path(ctx, "data/groups.csv", gbuf, sizeof gbuf);
    if (is_readonly) {
        bool is_current = true;
        if (!country_check(ctx->store, cpath, gpath, &is_current, err) &&
            !is_current)
            fprintf(stderr,
                    "cyberwell: note: '%s' or '%s' changed since the "
                    "database loaded them; a command that stores (ingest, "
                    "import, rescore) loads them\n",
                    cpath, gpath);
        return CW_OK;
    }
    int status = country_sync(ctx->store, cpath, gpath, NULL, err);
    if (status == CW_ERR_IO) {
        struct store_stats st;
        struct cw_error e2;
        if (!store_stats_get(ctx->store, &st, &e2) && st.countries > 0)
            return CW_OK;
    }
    return status;
}

int cli_store_open(struct cw_ctx *ctx, bool is_readonly)
{
    struct cw_error err;
    ctx->store =
        store_open(ctx->db_path,
                   STORE_PERSISTENT | (is_readonly ? STORE_READONLY : 0), &err);
    if (!ctx->store) {
        cli_print_error(&err);
        return err.code;
    }
    int status = sync_countries(ctx, is_readonly, &err);
    if (status) {
        cli_print_error(&err);
        store_close(ctx->store);
        ctx->store = NULL;
    }
    return status;
}

int cli_run(const struct cmd *cmd, int argc, char **argv, struct cw_ctx *ctx)
{
    /* A command that only reads opens the database itself, read-only,
     * once its options are read (cmputil_store): a usage error comes
     * before "database does not exist". */
    if (!(cmd->flags & CMD_NEEDS_DB))
        return cmd->fn(argc, argv, ctx);
    int status = CW_OK;
    if (cmd->flags & CMD_WRITES)
        status = cli_store_open(ctx, false);
    if (!status)
        status = cmd->fn(argc, argv, ctx);
    store_close(ctx->store); /* whoever opened it */
    ctx->store = NULL;
    return status;
}
