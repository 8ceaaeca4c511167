/* Options, loading and shared lines of the read commands. */
#include "cli/cmputil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/version.h"
#include "store/store.h"
#include "util/json.h"

#include "util/banned.h"

/* The store cmputil_store opened itself (main had not), or NULL. */
static struct store *own_store;

int cmputil_option(const char *cmd, int c, const char *arg,
                   struct cmputil_opts *o)
{
    struct model_opts *mo = &o->model;
    switch (c) {
    case CMPUTIL_OPT_RUBRIC:
        mo->rubric = arg;
        return 1;
    case CMPUTIL_OPT_RUBRIC_VERSION:
        mo->version = arg;
        return 1;
    case CMPUTIL_OPT_AS_OF:
        if (cli_check_date(cmd, "--as-of", arg))
            return CW_ERR_USAGE;
        mo->as_of = arg;
        return 1;
    case CMPUTIL_OPT_NO_OVERRIDES:
        mo->is_computed = true;
        return 1;
    case CMPUTIL_OPT_INCLUDE_INCOMPLETE:
        mo->include_incomplete = true;
        return 1;
    case CMPUTIL_OPT_EDITION:
        mo->edition = arg;
        return 1;
    case CMPUTIL_OPT_TIES:
        if (!compare_ties_parse(arg, &mo->ties))
            return cmd_usage_error(cmd,
                                   "--ties takes dense or competition, "
                                   "not '%s'",
                                   arg);
        return 1;
    case CMPUTIL_OPT_FORMAT:
        if (!strcmp(arg, "text"))
            o->format = CMPUTIL_TEXT;
        else if (!strcmp(arg, "csv"))
            o->format = CMPUTIL_CSV;
        else if (!strcmp(arg, "json"))
            o->format = CMPUTIL_JSON;
        else
            return cmd_usage_error(cmd, "unknown format '%s'", arg);
        return 1;
    case CMPUTIL_OPT_DECIMALS:
        if (!(arg[0] >= '0' && arg[0] <= '9' && !arg[1]))
            return cmd_usage_error(cmd, "--decimals takes a digit, 0 to 9");
        mo->decimals = arg[0] - '0';
        return 1;
    default:
        return 0;
    }
}

bool cmputil_iso3(const char *arg, char iso3[4])
{
    for (int i = 0; i < 3; i++) {
        if (!isalpha((unsigned char)arg[i]) || (unsigned char)arg[i] > 127)
            return false;
        iso3[i] = (char)toupper((unsigned char)arg[i]);
    }
    iso3[3] = '\0';
    return arg[3] == '\0';
}

struct store *cmputil_store(struct cw_ctx *ctx, int *status)
{
    if (ctx->store)
        return ctx->store;
    int rc = cli_store_open(ctx, true); /* read-only: commands that store
                                         * have it opened by cli_run */
    if (rc) {
        *status = rc;
        return NULL;
    }
    own_store = ctx->store;
    return ctx->store;
}

void cmputil_done(struct cw_ctx *ctx)
{
    if (own_store && ctx->store == own_store) {
        store_close(own_store);
        ctx->store = NULL;
    }
    own_store = NULL;
}

struct model *cmputil_load(struct cw_ctx *ctx, const struct cmputil_opts *o,
                           model_doc_fn fn, void *fn_ctx, int *status)
{
    struct store *s = cmputil_store(ctx, status);
    if (!s)
        return NULL;
    struct cw_error err;
    struct model *m = model_load(s, &o->model, fn, fn_ctx, &err);
    if (!m) {
        cli_print_error(&err);
        *status = err.code;
    }
    return m;
}

int cmputil_not_found(struct cw_ctx *ctx, const struct model *m,
                      const char *iso3, const char *role)
{
    struct cw_error err;
    int status = CW_OK;
    struct store *s = cmputil_store(ctx, &status);
    if (!s)
        return status;
    status = model_missing(m, s, iso3, role, &err);
    cli_print_error(&err);
    return status;
}

void cmputil_json_rubric_id(const struct model *m, struct strbuf *out)
{
    strbuf_adds(out, "{\"name\":");
    json_str(out, model_rubric_name(m));
    strbuf_adds(out, ",\"version\":");
    json_str(out, model_rubric_version(m));
    strbuf_adds(out, ",\"sha256\":");
    json_str(out, model_rubric_sha256(m));
    strbuf_adds(out, "}");
}

void cmputil_json_rubric(const struct model *m, struct strbuf *out)
{
    strbuf_adds(out, "\"rubric\":");
    cmputil_json_rubric_id(m, out);
    strbuf_addf(out, ",\"decimals\":%d,\"ties\":", model_decimals(m));
    json_str(out, compare_ties_name(model_ties(m)));
    strbuf_addf(out, ",\"min_coverage\":%zu,\"indicators_counted\":%zu",
                model_min_coverage(m), model_n_counted(m));
    strbuf_adds(out, ",\"as_of\":");
    if (model_as_of(m))
        json_str(out, model_as_of(m));
    else
        strbuf_adds(out, "null");
}

void cmputil_print_basis(const struct model *m)
{
    printf("rubric %s; scores shown and tied at %d decimals; ranks %s\n",
           model_rubric_label(m), model_decimals(m),
           model_ties(m) == COMPARE_TIES_DENSE
               ? "dense (ITU style: 1, 2, 3, 3, 4)"
               : "competition (1, 2, 3, 3, 5)");
    if (model_includes_incomplete(m))
        printf("ranked: every document that states an indicator "
               "(--include-incomplete)\n");
    else
        printf("ranked: documents stating at least %zu of the %zu "
               "indicators (rubric min_coverage)\n",
               model_min_coverage(m), model_n_counted(m));
    if (model_as_of(m))
        printf("as of %s: each country's latest document dated %s or "
               "earlier; countries with none are left out\n",
               model_as_of(m), model_as_of(m));
}
