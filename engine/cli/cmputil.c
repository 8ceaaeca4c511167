/* Options, loading and labels shared by rank, compare and explain. */
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
    switch (c) {
    case CMPUTIL_OPT_RUBRIC:
        o->rubric = arg;
        return 1;
    case CMPUTIL_OPT_RUBRIC_VERSION:
        o->version = arg;
        return 1;
    case CMPUTIL_OPT_AS_OF:
        if (cli_check_date(cmd, "--as-of", arg))
            return CW_ERR_USAGE;
        o->as_of = arg;
        return 1;
    case CMPUTIL_OPT_NO_OVERRIDES:
        o->is_computed = true;
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
        o->decimals = arg[0] - '0';
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

struct peerset *cmputil_load(struct cw_ctx *ctx, const struct cmputil_opts *o,
                             const char *group, int *status)
{
    struct store *s = cmputil_store(ctx, status);
    if (!s)
        return NULL;
    struct store_query q = STORE_QUERY_INIT;
    q.rubric = o->rubric;
    q.version = o->version;
    q.group = group;
    q.as_of = o->as_of;
    q.is_brief = o->is_brief;
    struct cw_error err;
    struct peerset *ps =
        peerset_load(s, &q, o->is_computed ? PEERSET_NO_OVERRIDES : 0, &err);
    if (!ps) {
        cli_print_error(&err);
        *status = err.code;
    }
    return ps;
}

int cmputil_not_found(struct cw_ctx *ctx, const struct peerset *ps,
                      const char *iso3, const char *role)
{
    struct cw_error err;
    int status = CW_OK;
    struct store *s = cmputil_store(ctx, &status);
    if (!s)
        return status;
    status = peerset_missing(ps, s, iso3, role, &err);
    cli_print_error(&err);
    return status;
}

void cmputil_status(const struct peerset_entry *e, size_t i, bool is_long,
                    struct strbuf *out)
{
    const struct store_override *ov = e->indicators[i]->override;
    strbuf_adds(out, cw_state_name(e->states[i]));
    if (!ov)
        return;
    strbuf_addf(out, " (override; computed %s", cw_state_name(e->computed[i]));
    if (is_long)
        strbuf_addf(out, "; by %s on %s: %s", ov->author ? ov->author : "?",
                    ov->date ? ov->date : "?", ov->reason ? ov->reason : "");
    strbuf_addch(out, ')');
}

const char *cmputil_rubric_name(const struct peerset *ps)
{
    return ps->set->rubric_name;
}

void cmputil_json_rubric(const struct peerset *ps, struct strbuf *out)
{
    strbuf_adds(out, "\"rubric\":{\"name\":");
    json_str(out, ps->set->rubric_name);
    strbuf_adds(out, ",\"version\":");
    json_str(out, ps->set->rubric_version);
    strbuf_adds(out, ",\"sha256\":");
    json_str(out, ps->set->rubric_sha256);
    strbuf_addch(out, '}');
}
