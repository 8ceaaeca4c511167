/* The command table, help printing and error reporting for the CLI. */
#include "cli/commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/exitcode.h"
#include "core/doc.h"
#include "io/decode.h"
#include "store/store.h"
#include "util/editdist.h"
#include "util/isodate.h"
#include "util/strbuf.h"

#include "util/banned.h"

const struct cmd commands[] = {
    {"agreement", cmd_agreement, CMD_NEEDS_DB,
     "set computed scores beside published GCI scores of the same edition",
     usage_agreement},
    {"chart", cmd_chart, CMD_NEEDS_DB,
     "draw one benchmark chart of a country with gnuplot", usage_chart},
    {"compare", cmd_compare, CMD_NEEDS_DB,
     "compare a country with its peers, pillar by pillar", usage_compare},
    {"explain", cmd_explain, CMD_NEEDS_DB,
     "explain why two countries' scores differ", usage_explain},
    {"export", cmd_export, CMD_NEEDS_DB,
     "write scores, pillars, indicators and ranks as CSV files", usage_export},
    {"forget", cmd_forget, CMD_NEEDS_DB, "delete a document and its results",
     usage_forget},
    {"help", cmd_help, 0, "show help for a command", usage_help},
    {"import", cmd_import, CMD_NEEDS_DB | CMD_WRITES,
     "import analyst overrides or published reference scores from CSV",
     usage_import},
    {"ingest", cmd_ingest, CMD_NEEDS_DB | CMD_WRITES,
     "parse, score and store profiles in the database", usage_ingest},
    {"parse", cmd_parse, 0, "show what the parser reads in profiles",
     usage_parse},
    {"rank", cmd_rank, CMD_NEEDS_DB,
     "rank countries by overall score, with ties and rank ranges", usage_rank},
    {"report", cmd_report, CMD_NEEDS_DB,
     "write a country's report card: charts, CSV tables, index.html",
     usage_report},
    {"rescore", cmd_rescore, CMD_NEEDS_DB | CMD_WRITES,
     "re-score stored documents after a rubric change", usage_rescore},
    {"robustness", cmd_robustness, CMD_NEEDS_DB,
     "uncertainty and sensitivity analysis of ranks", usage_robustness},
    {"score", cmd_score, 0, "score profiles against a rubric", usage_score},
};
const size_t n_commands = sizeof commands / sizeof *commands;

const struct cmd *cmd_find(const char *name)
{
    for (size_t i = 0; i < n_commands; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

void cmd_print_help(const struct cmd *c)
{
    fputs(c->usage, stdout);
}

static const struct cw_ctx *current_ctx;

void cli_set_ctx(const struct cw_ctx *ctx)
{
    current_ctx = ctx;
}

/* Offer each option of a usage text ("  --name ..." or "  -x, --name")
 * to b; the names are copied into names (cap of them, each up to 40
 * bytes), which must outlive the search. */
static void offer_usage_options(struct editdist_best *b, const char *usage,
                                char (*names)[40], size_t cap)
{
    size_t n = 0;
    for (const char *p = usage; p && *p && n < cap;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *o = p + 2;
        if (len > 4 && !strncmp(p, "  -", 3)) {
            if (o[1] != '-' && !strncmp(o + 2, ", --", 4))
                o += 4; /* "-q, --quiet": the long name */
            size_t olen = strspn(o, "-abcdefghijklmnopqrstuvwxyz0123456789");
            if (olen > 2 && olen < sizeof names[0] && o[0] == '-' &&
                o[1] == '-') {
                memcpy(names[n], o, olen);
                names[n][olen] = '\0';
                editdist_best_offer(b, names[n]);
                n++;
            }
        }
        p = eol ? eol + 1 : NULL;
    }
}

/*
 * A "did you mean" for an error message of these forms, into out (empty
 * when nothing is close): "unknown option 'X'" (the options of cmd's
 * --help), "unknown global option 'X'", "'X' is not a cyberwell command",
 * "unknown country 'X'" (codes and names of the open database's
 * countries), "unknown group 'X'" (its groups).
 */
static void suggest(const char *cmd, const char *msg, char *out, size_t cap)
{
    static const char *const globals[] = {"--db", "--help", "--version"};
    enum { NONE, OPTION, GLOBAL, COMMAND, COUNTRY, GROUP } kind = NONE;
    const char *word = NULL;
    char w[EDITDIST_MAX_LEN + 1];
    out[0] = '\0';
    if (!strncmp(msg, "unknown option '", 16))
        kind = OPTION, word = msg + 16;
    else if (!strncmp(msg, "unknown global option '", 23))
        kind = GLOBAL, word = msg + 23;
    else if (msg[0] == '\'' && strstr(msg, "' is not a cyberwell command"))
        kind = COMMAND, word = msg + 1;
    else if (!strncmp(msg, "unknown country '", 17))
        kind = COUNTRY, word = msg + 17;
    else if (msg[0] == '\'' && strstr(msg, "' is not an ISO 3166 alpha-3"))
        kind = COUNTRY, word = msg + 1; /* a name where a code goes */
    else if (!strncmp(msg, "unknown group '", 15))
        kind = GROUP, word = msg + 15;
    if (kind == NONE)
        return;
    size_t len = strcspn(word, kind == OPTION || kind == GLOBAL ? "'=" : "'");
    if (len == 0 || len >= sizeof w)
        return;
    memcpy(w, word, len);
    w[len] = '\0';

    struct editdist_best b;
    editdist_best_init(&b, w);
    char names[64][40];
    struct store *s = current_ctx ? current_ctx->store : NULL;
    struct store *own = NULL;
    struct cw_error err;
    /* Before a command opens its database: read-only, never created. */
    if ((kind == COUNTRY || kind == GROUP) && !s && current_ctx &&
        current_ctx->db_path && access(current_ctx->db_path, F_OK) == 0)
        s = own = store_open(current_ctx->db_path,
                             STORE_PERSISTENT | STORE_READONLY, &err);
    if (kind == COMMAND) {
        for (size_t i = 0; i < n_commands; i++)
            editdist_best_offer(&b, commands[i].name);
    } else if (kind == GLOBAL) {
        for (size_t i = 0; i < sizeof globals / sizeof *globals; i++)
            editdist_best_offer(&b, globals[i]);
    } else if (kind == OPTION) {
        const struct cmd *c = cmd ? cmd_find(cmd) : NULL;
        if (c)
            offer_usage_options(&b, c->usage, names,
                                sizeof names / sizeof *names);
    } else if (kind == COUNTRY && s) {
        struct store_countries cs = {0};
        if (!store_countries_get(s, &cs, &err)) {
            const struct store_country *hit = NULL;
            for (size_t i = 0; i < cs.n; i++)
                if (editdist_best_offer(&b, cs.items[i].iso3) ||
                    editdist_best_offer(&b, cs.items[i].name))
                    hit = &cs.items[i];
            if (hit)
                snprintf(out, cap, "; did you mean '%s' (%s)?", hit->iso3,
                         hit->name);
        }
        store_countries_release(&cs);
        store_close(own);
        return;
    } else if (kind == GROUP && s) {
        struct store_strings gs = {0};
        if (!store_groups_get(s, &gs, &err) && gs.n) {
            for (size_t i = 0; i < gs.n; i++)
                editdist_best_offer(&b, gs.items[i]);
            if (b.best)
                snprintf(out, cap, "; did you mean '%s'?", b.best);
        }
        store_strings_release(&gs);
        store_close(own);
        return;
    }
    if (b.best)
        snprintf(out, cap, "; did you mean '%s'?", b.best);
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    struct strbuf msg = STRBUF_INIT;
    char hint[256];
    va_start(ap, fmt);
    strbuf_vaddf(&msg, fmt, ap);
    va_end(ap);
    suggest(cmd, msg.buf, hint, sizeof hint);
    fprintf(stderr, "cyberwell: %s%s\n", msg.buf, hint);
    strbuf_release(&msg);
    if (cmd)
        fprintf(stderr, "try 'cyberwell %s --help'\n", cmd);
    else
        fputs("try 'cyberwell --help'\n", stderr);
    return CW_ERR_USAGE;
}

void cli_print_error(const struct cw_error *e)
{
    char hint[256];
    suggest(NULL, e->msg, hint, sizeof hint);
    if (e->file[0]) {
        fputs(e->file, stderr);
        if (e->line) {
            fprintf(stderr, ":%u", e->line);
            if (e->col)
                fprintf(stderr, ":%u", e->col);
        }
        fprintf(stderr, ": error: %s%s\n", e->msg, hint);
    } else {
        fprintf(stderr, "cyberwell: error: %s%s\n", e->msg, hint);
    }
    if (e->src[0]) {
        fprintf(stderr, "  %s\n", e->src);
    }
}

void cli_print_errors(const struct cw_errors *errs)
{
    for (size_t i = 0; i < errs->n; i++)
        cli_print_error(&errs->e[i]);
    if (errs->n_dropped)
        fprintf(stderr, "cyberwell: %zu more errors not shown\n",
                errs->n_dropped);
}

int cli_input_option(const char *cmd, int c, const char *arg,
                     struct doc_read_opts *o)
{
    switch (c) {
    case CLI_OPT_ENCODING:
        if (!decode_is_known(arg) || strlen(arg) >= DECODE_NAME_MAX)
            return cmd_usage_error(cmd,
                                   "unknown encoding '%s' (iconv -l lists "
                                   "the names iconv knows)",
                                   arg);
        o->encoding = arg;
        return 1;
    case CLI_OPT_PDFTOTEXT:
        o->pdftotext = arg;
        return 1;
    default:
        return 0;
    }
}

void cli_print_decode_warning(const char *path, const struct decode_info *i)
{
    struct strbuf sb = STRBUF_INIT;
    if (decode_warning(i, &sb))
        fprintf(stderr, "%s: warning: %s\n", path, sb.buf);
    strbuf_release(&sb);
}

int cli_parse_batch(const char *cmd, const char *arg, size_t *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (end == arg || *end || v < 1 || v > 1000000)
        return cmd_usage_error(cmd, "--batch takes a number from 1 to 1000000");
    *out = (size_t)v;
    return CW_OK;
}

int cli_check_date(const char *cmd, const char *opt, const char *arg)
{
    struct cw_error e;
    if (isodate_parse(arg, ISODATE_ANY, NULL, CW_LOC_NONE, &e))
        return cmd_usage_error(cmd, "%s: %s", opt, e.msg);
    return CW_OK;
}

const char *cli_data_path(const struct cw_ctx *ctx, const char *rel, char *buf,
                          size_t cap)
{
    if (access(rel, F_OK) == 0 || rel[0] == '/' || !ctx->datadir)
        return rel;
    snprintf(buf, cap, "%s/%s", ctx->datadir, rel);
    return buf;
}

int cw_exit_code(int status)
{
    switch (status) {
    case CW_OK:
        return CW_EXIT_OK;
    case CW_STATUS_BELOW:
        return CW_EXIT_BELOW;
    case CW_ERR_USAGE:
        return CW_EXIT_USAGE;
    case CW_ERR_PARSE:
    case CW_ERR_LIMIT:
        return CW_EXIT_INPUT;
    case CW_ERR_DB:
    case CW_ERR_BUSY:
        return CW_EXIT_DB;
    case CW_ERR_TOOL:
        return CW_EXIT_TOOL;
    default:
        return CW_EXIT_FAIL;
    }
}
