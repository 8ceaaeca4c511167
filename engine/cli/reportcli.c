/* Options and the run shared by the chart and report commands. */
#include "cli/reportcli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmputil.h"
#include "core/robust.h"
#include "io/plot.h"

#include "util/banned.h"

enum {
    OPT_PEERS = 0x200,
    OPT_GROUP,
    OPT_OUT,
    OPT_GNUPLOT,
    OPT_DRAWS,
    OPT_SEED,
    OPT_UNCERTAINTY
};

int reportcli_number(const char *cmd, const char *opt, const char *arg,
                     unsigned long long min, unsigned long long max,
                     unsigned long long *out)
{
    unsigned long long v = 0;
    char *end = NULL;
    errno = 0;
    if (*arg && strspn(arg, "0123456789") == strlen(arg))
        v = strtoull(arg, &end, 10);
    if (!end || *end || errno || v < min || v > max)
        return cmd_usage_error(cmd, "%s takes a number from %llu to %llu", opt,
                               min, max);
    *out = v;
    return CW_OK;
}

const char *reportcli_uncertainty_path(const struct cw_ctx *ctx,
                                       const char *rubric, char *buf,
                                       size_t cap)
{
    if (!*rubric ||
        strspn(rubric,
               "abcdefghijklmnopqrstuvwxyz"
               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(rubric) ||
        rubric[0] == '.' || strlen(rubric) > 100)
        return NULL;
    /* cli_data_path may return its argument: keep it in the caller's
     * buffer, never in this frame. */
    char rel[160];
    snprintf(rel, sizeof rel, "rubric/%s-uncertainty.csv", rubric);
    const char *path = cli_data_path(ctx, rel, buf, cap);
    if (path == rel)
        snprintf(buf, cap, "%s", rel);
    return buf;
}

/* Append arg to the command line, single-quoted for a shell if needed. */
static void add_arg(struct strbuf *sb, const char *arg)
{
    bool is_plain = *arg != '\0';
    for (const char *p = arg; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789._,/=:+-@",
                    *p))
            is_plain = false;
    strbuf_addch(sb, ' ');
    if (is_plain) {
        strbuf_adds(sb, arg);
        return;
    }
    strbuf_addch(sb, '\'');
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            strbuf_adds(sb, "'\\''");
        else
            strbuf_addch(sb, *p);
    }
    strbuf_addch(sb, '\'');
}

int reportcli_parse(const char *cmd, int argc, char **argv, size_t n_args,
                    const char **args, struct reportcli *o)
{
    static const struct option opts[] = {
        {"peers", required_argument, NULL, OPT_PEERS},
        {"group", required_argument, NULL, OPT_GROUP},
        {"out", required_argument, NULL, OPT_OUT},
        {"gnuplot", required_argument, NULL, OPT_GNUPLOT},
        {"draws", required_argument, NULL, OPT_DRAWS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"uncertainty", required_argument, NULL, OPT_UNCERTAINTY},
        CMPUTIL_MODEL_OPTIONS,
        CMPUTIL_EDITION_OPTION,
        {NULL, 0, NULL, 0}};
    struct cmputil_opts co = CMPUTIL_OPTS_INIT;
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->report.draws = REPORT_DEFAULT_DRAWS;
    o->report.seed = 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->report.threads = cpus < 1                    ? 1
                        : cpus > ROBUST_MAX_THREADS ? ROBUST_MAX_THREADS
                                                    : (unsigned)cpus;
    strbuf_init(&o->command);
    strbuf_adds(&o->command, "cyberwell");
    for (int i = 0; i < argc; i++)
        add_arg(&o->command, argv[i]);
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        int rc = cmputil_option(cmd, c, optarg, &co);
        if (rc < 0)
            return rc;
        if (rc)
            continue;
        switch (c) {
        case OPT_PEERS:
            o->report.peers = optarg;
            break;
        case OPT_GROUP:
            o->report.group = optarg;
            break;
        case OPT_OUT:
            o->out = optarg;
            break;
        case OPT_GNUPLOT:
            o->gnuplot = optarg;
            break;
        case OPT_DRAWS: {
            unsigned long long v = 0;
            if (reportcli_number(cmd, "--draws", optarg, 0, ROBUST_MAX_DRAWS,
                                 &v))
                return CW_ERR_USAGE;
            o->report.draws = (size_t)v;
            break;
        }
        case OPT_SEED: {
            unsigned long long v = 0;
            if (reportcli_number(cmd, "--seed", optarg, 0, ~0ull, &v))
                return CW_ERR_USAGE;
            o->report.seed = v;
            break;
        }
        case OPT_UNCERTAINTY:
            o->uncertainty = optarg;
            break;
        case ':':
            return cmd_usage_error(cmd, "option '%s' needs a value",
                                   argv[optind - 1]);
        default:
            return cmd_usage_error(cmd, "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (o->report.peers && o->report.group)
        return cmd_usage_error(cmd, "--peers and --group cannot be combined");
    if ((size_t)(argc - optind) < n_args)
        return cmd_usage_error(cmd, n_args == 2 ? "expected KIND and ISO3"
                                                : "expected ISO3");
    if ((size_t)(argc - optind) > n_args)
        return cmd_usage_error(cmd, "unexpected argument '%s'",
                               argv[optind + (int)n_args]);
    for (size_t i = 0; i < n_args; i++)
        args[i] = argv[optind + (int)i];
    if (!cmputil_iso3(args[n_args - 1], o->iso3))
        return cmd_usage_error(cmd, "'%s' is not an ISO3 country code",
                               args[n_args - 1]);
    o->report.iso3 = o->iso3;
    o->report.model = co.model;
    return CW_OK;
}

void reportcli_release(struct reportcli *o)
{
    strbuf_release(&o->command);
}

static void print_files(const struct plot_job *job, const struct report *r,
                        bool is_rendered, bool is_card)
{
    const char *dir = plot_job_dir(job);
    for (size_t i = 0; i < plot_job_count(job); i++) {
        const char *stem = plot_job_stem(job, i);
        if (is_rendered)
            printf("%s/%s.png\n%s/%s.svg\n", dir, stem, dir, stem);
        printf("%s/%s.gp\n%s/%s.dat\n", dir, stem, dir, stem);
    }
    if (!is_card)
        return;
    const char *name;
    for (size_t i = 0; (name = report_table_name(r, i)) != NULL; i++)
        printf("%s/%s\n", dir, name);
    printf("%s/index.html\n", dir);
}

int reportcli_run(struct cw_ctx *ctx, struct reportcli *o,
                  const enum report_kind *kinds, size_t n_kinds, bool is_card)
{
    struct cw_error err;
    struct report *r = NULL;
    struct plot_job *job = NULL;
    struct strbuf dir = STRBUF_INIT;
    struct strbuf note_bufs[REPORT_N_KINDS + 1];
    const char *notes[REPORT_N_KINDS + 1];
    size_t n_notes = 0;
    int status = CW_OK, rc;

    struct store *s = cmputil_store(ctx, &status);
    if (!s)
        return status;
    o->report.command = o->command.buf;
    o->report.db_path = ctx->db_path;
    r = report_load(s, &o->report, &err);
    if (!r) {
        if (err.code == CW_ERR_USAGE)
            cmd_usage_error(o->cmd, "%s", err.msg);
        else
            cli_print_error(&err);
        status = err.code;
        goto out;
    }
    char ubuf[4096];
    if (o->uncertainty)
        report_set_uncertainty(r, o->uncertainty, false);
    else
        report_set_uncertainty(r,
                               reportcli_uncertainty_path(ctx,
                                                          report_rubric_name(r),
                                                          ubuf, sizeof ubuf),
                               true);
    if (o->out) {
        strbuf_adds(&dir, o->out);
    } else {
        char name[PLOT_MAX_STEM + 1];
        strbuf_addf(&dir, "%s/reports/%s", ctx->datadir ? ctx->datadir : ".",
                    plot_country_file_name(report_iso3(r), report_country(r),
                                           name, sizeof name));
    }
    job = plot_job_new(dir.buf, &err);
    if (!job) {
        cli_print_error(&err);
        status = err.code;
        goto out;
    }
    /* The card is written last: its old index.html goes first, so that a
     * run killed half way leaves a folder without a card rather than an
     * old card beside new tables and images (issue 15, D14). */
    if (is_card) {
        struct strbuf index = STRBUF_INIT;
        strbuf_addf(&index, "%s/index.html", dir.buf);
        if (unlink(index.buf) != 0 && errno != ENOENT) {
            cw_errorf(&err, CW_ERR_IO, CW_LOC_NONE, "cannot remove '%s': %s",
                      index.buf, strerror(errno));
            cli_print_error(&err);
            status = err.code;
        }
        strbuf_release(&index);
        if (status)
            goto out;
    }
    for (size_t i = 0; i < n_kinds; i++) {
        /* --draws 0 on a card: asked for, so no note (the provenance
         * says it) */
        if (is_card && kinds[i] == REPORT_ROBUSTNESS && !o->report.draws)
            continue;
        rc = report_chart(r, job, kinds[i], &err);
        /* A chart with nothing to draw, or too much (over the plot
         * limits: issue 15, D18), is a note on the card, not a failure. */
        if ((rc == CW_ERR_NOTFOUND || rc == CW_ERR_LIMIT) && is_card) {
            fprintf(stderr, "cyberwell: note: no %s chart: %s\n",
                    report_kind_name(kinds[i]), err.msg);
            strbuf_init(&note_bufs[n_notes]);
            strbuf_addf(&note_bufs[n_notes], "No %s chart: %s.",
                        report_kind_name(kinds[i]), err.msg);
            notes[n_notes] = note_bufs[n_notes].buf;
            n_notes++;
        } else if (rc) {
            cli_print_error(&err);
            status = rc;
            goto out;
        }
    }
    if (is_card) {
        rc = report_tables(r, job, &err);
        if (rc) {
            cli_print_error(&err);
            status = rc;
            goto out;
        }
    }
    rc = plot_render(job, o->gnuplot, &err);
    bool is_rendered = rc == CW_OK;
    if (rc) {
        cli_print_error(&err);
        fprintf(stderr,
                "cyberwell: the scripts and data are in '%s'; "
                "re-render with: cd '%s' && gnuplot NAME.gp\n",
                dir.buf, dir.buf);
        status = rc;
        strbuf_init(&note_bufs[n_notes]);
        strbuf_addf(&note_bufs[n_notes], "Charts not rendered: %s.", err.msg);
        notes[n_notes] = note_bufs[n_notes].buf;
        n_notes++;
    }
    if (is_card) {
        rc = report_card(r, job, is_rendered, notes, n_notes, &err);
        if (rc) {
            cli_print_error(&err);
            status = rc;
            goto out;
        }
    }
    print_files(job, r, is_rendered, is_card);
out:
    for (size_t i = 0; i < n_notes; i++)
        strbuf_release(&note_bufs[i]);
    plot_job_free(job);
    report_free(r);
    strbuf_release(&dir);
    cmputil_done(ctx);
    return status;
}
