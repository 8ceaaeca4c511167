/* cyberwell rank: every country (or a group) by overall score, with ties. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "core/compare.h"
#include "core/peerset.h"
#include "io/csvio.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

// clang-format off
const char usage_rank[] =
    "usage: cyberwell rank [--group G] [--ties dense|competition] [options]\n"
    "\n"
    "Rank every country in the database (or the members of group G from\n"
    "data/groups.csv) by overall score under one rubric, with pillar\n"
    "scores, coverage (indicators the document states) and the rank range.\n"
    "Each country's latest document is used.\n"
    "\n"
    "Ties: scores are compared rounded to --decimals digits (default 3);\n"
    "tied countries share a rank. Dense ranks (the ITU's GCI convention,\n"
    "the default) give 1, 2, 3, 3, 4; competition ranks give 1, 2, 3, 3, 5.\n"
    "\n"
    "Rank range: the best rank is the one the country would take with\n"
    "every unknown or not-stated indicator at the best level, the worst\n"
    "with all of them at the worst level, each against the current scores\n"
    "of the other countries, under the same tie convention.\n"
    "\n"
    "options:\n"
    "  --group G          rank only the members of group G\n"
    "  --ties T           dense (default) or competition\n"
    CMPUTIL_OPTIONS_HELP
    "\n"
    "exit status: 0 ok, 1 unknown rubric or group, or nothing to rank,\n"
    "2 usage error, 4 database error.\n";
// clang-format on

/* The rows of one ranking, in display order. */
struct ranking {
    size_t n;
    size_t *order; /* owned: entry indices, best first */
    size_t *rank;  /* owned: by entry index */
    size_t *best, *worst;
};

static void ranking_build(const struct peerset *ps, int decimals,
                          enum compare_ties ties, struct ranking *rk)
{
    size_t n = ps->n;
    double *v = xmalloc(n * sizeof *v), *lo = xmalloc(n * sizeof *lo);
    double *hi = xmalloc(n * sizeof *hi);
    peerset_values(ps, NULL, n, v, lo, hi);
    rk->n = n;
    rk->order = xmalloc(n * sizeof *rk->order);
    rk->rank = xmalloc(n * sizeof *rk->rank);
    rk->best = xmalloc(n * sizeof *rk->best);
    rk->worst = xmalloc(n * sizeof *rk->worst);
    compare_order(v, n, decimals, rk->order);
    compare_rank(v, n, decimals, ties, rk->rank);
    compare_rank_range(v, lo, hi, n, decimals, ties, rk->best, rk->worst);
    free(v);
    free(lo);
    free(hi);
}

static void ranking_release(struct ranking *rk)
{
    free(rk->order);
    free(rk->rank);
    free(rk->best);
    free(rk->worst);
}

static const char *ties_label(enum compare_ties t)
{
    return t == COMPARE_TIES_DENSE ? "dense (ITU style: 1, 2, 3, 3, 4)"
                                   : "competition (1, 2, 3, 3, 5)";
}

/* Width of pillar p's column: its id (and '*' when apart) or a score. */
static int column_width(const struct rubric *r, size_t p, int dec)
{
    size_t len = strlen(r->pillars[p].id) + !r->pillars[p].in_overall;
    int w = len > 40 ? 40 : (int)len;
    return w < dec + 2 ? dec + 2 : w;
}

static void print_text(const struct peerset *ps, const struct ranking *rk,
                       const char *group, enum compare_ties ties, int dec)
{
    const struct rubric *r = ps->rubric;
    bool has_apart = false, has_override = false;
    printf("rank: %zu countries%s%s under rubric %s %s\n", rk->n,
           group ? " of group " : "", group ? group : "", r->name, r->version);
    printf("ranks: %s; scores tie at %d decimals\n", ties_label(ties), dec);
    printf("%4s  %-7s  %-4s  %-22s  %7s", "rank", "range", "iso3", "country",
           "overall");
    for (size_t p = 0; p < r->n_pillars; p++) {
        char label[128];
        snprintf(label, sizeof label, "%s%s", r->pillars[p].id,
                 r->pillars[p].in_overall ? "" : "*");
        printf("  %*s", column_width(r, p, dec), label);
        has_apart = has_apart || !r->pillars[p].in_overall;
    }
    printf("  %s\n", "coverage");
    for (size_t k = 0; k < rk->n; k++) {
        size_t e_i = rk->order[k];
        const struct peerset_entry *e = &ps->entries[e_i];
        char range[32];
        if (rk->best[e_i] == rk->worst[e_i])
            snprintf(range, sizeof range, "%zu", rk->best[e_i]);
        else
            snprintf(range, sizeof range, "%zu-%zu", rk->best[e_i],
                     rk->worst[e_i]);
        printf("%4zu  %-7s  %-4s  %-22.22s  %7.*f", rk->rank[e_i], range,
               e->score->iso3, e->score->country, dec, e->scores.overall);
        for (size_t p = 0; p < r->n_pillars; p++)
            printf("  %*.*f", column_width(r, p, dec), dec,
                   e->scores.pillars[p]);
        printf("  %5zu/%zu%s\n", e->scores.coverage, e->scores.n_counted,
               e->has_overrides ? "  override" : "");
        has_override = has_override || e->has_overrides;
    }
    printf("range: best-worst rank if the unknown and not-stated indicators "
           "were resolved\n");
    if (has_apart)
        printf("*: not in the overall score\n");
    if (has_override)
        printf("override: an analyst override changes a status (see "
               "'cyberwell compare')\n");
}

static void print_csv(const struct peerset *ps, const struct ranking *rk,
                      const char *group, enum compare_ties ties, int dec)
{
    const struct rubric *r = ps->rubric;
    struct csvio_writer w;
    csvio_writer_init(&w, stdout);
    static const char *const head[] = {
        "rubric",   "rubric_version", "rubric_sha256", "group",      "ties",
        "decimals", "rank",           "rank_best",     "rank_worst", "iso3",
        "country",  "overall",        "overall_min",   "overall_max"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csvio_text(&w, head[i]);
    for (size_t p = 0; p < r->n_pillars; p++)
        csvio_text(&w, r->pillars[p].id);
    csvio_text(&w, "coverage");
    csvio_text(&w, "indicators_counted");
    csvio_text(&w, "overridden");
    csvio_text(&w, "document_sha256");
    csvio_text(&w, "edition_date");
    csvio_end_row(&w);
    for (size_t k = 0; k < rk->n; k++) {
        size_t e_i = rk->order[k];
        const struct peerset_entry *e = &ps->entries[e_i];
        csvio_text(&w, ps->set->rubric_name);
        csvio_text(&w, ps->set->rubric_version);
        csvio_text(&w, ps->set->rubric_sha256);
        csvio_text(&w, group);
        csvio_text(&w, compare_ties_name(ties));
        csvio_int(&w, dec);
        csvio_int(&w, (long long)rk->rank[e_i]);
        csvio_int(&w, (long long)rk->best[e_i]);
        csvio_int(&w, (long long)rk->worst[e_i]);
        csvio_text(&w, e->score->iso3);
        csvio_text(&w, e->score->country);
        csvio_num(&w, e->scores.overall, 6);
        csvio_num(&w, e->scores.overall_min, 6);
        csvio_num(&w, e->scores.overall_max, 6);
        for (size_t p = 0; p < r->n_pillars; p++)
            csvio_num(&w, e->scores.pillars[p], 6);
        csvio_int(&w, (long long)e->scores.coverage);
        csvio_int(&w, (long long)e->scores.n_counted);
        csvio_text(&w, e->has_overrides ? "yes" : "no");
        csvio_text(&w, e->score->sha256);
        csvio_text(&w, e->score->edition_date);
        csvio_end_row(&w);
    }
}

static void print_json(const struct peerset *ps, const struct ranking *rk,
                       const char *group, enum compare_ties ties, int dec)
{
    const struct rubric *r = ps->rubric;
    struct strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    cmputil_json_rubric(ps, &sb);
    strbuf_adds(&sb, ",\"group\":");
    json_str(&sb, group);
    strbuf_adds(&sb, ",\"ties\":");
    json_str(&sb, compare_ties_name(ties));
    strbuf_addf(&sb, ",\"decimals\":%d,\"countries\":[", dec);
    for (size_t k = 0; k < rk->n; k++) {
        size_t e_i = rk->order[k];
        const struct peerset_entry *e = &ps->entries[e_i];
        strbuf_addf(&sb, "%s{\"rank\":%zu,\"rank_range\":[%zu,%zu],\"iso3\":",
                    k ? "," : "", rk->rank[e_i], rk->best[e_i], rk->worst[e_i]);
        json_str(&sb, e->score->iso3);
        strbuf_adds(&sb, ",\"country\":");
        json_str(&sb, e->score->country);
        strbuf_adds(&sb, ",\"overall\":");
        json_num(&sb, e->scores.overall, 6);
        strbuf_adds(&sb, ",\"overall_range\":[");
        json_num(&sb, e->scores.overall_min, 6);
        strbuf_addch(&sb, ',');
        json_num(&sb, e->scores.overall_max, 6);
        strbuf_adds(&sb, "],\"pillars\":{");
        for (size_t p = 0; p < r->n_pillars; p++) {
            strbuf_adds(&sb, p ? "," : "");
            json_str(&sb, r->pillars[p].id);
            strbuf_addch(&sb, ':');
            json_num(&sb, e->scores.pillars[p], 6);
        }
        strbuf_addf(&sb,
                    "},\"coverage\":%zu,\"indicators_counted\":%zu,"
                    "\"overridden\":%s,\"document\":{\"sha256\":",
                    e->scores.coverage, e->scores.n_counted,
                    e->has_overrides ? "true" : "false");
        json_str(&sb, e->score->sha256);
        strbuf_adds(&sb, ",\"path\":");
        json_str(&sb, e->score->path);
        strbuf_adds(&sb, ",\"edition_date\":");
        json_str(&sb, e->score->edition_date);
        strbuf_adds(&sb, "}}");
    }
    strbuf_adds(&sb, "]}\n");
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

int cmd_rank(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"group", required_argument, NULL, 'g'},
        {"ties", required_argument, NULL, 't'},
        CMPUTIL_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    struct cmputil_opts o = CMPUTIL_OPTS_INIT;
    o.is_brief = true; /* a ranking shows no evidence: save the memory */
    const char *group = NULL;
    enum compare_ties ties = COMPARE_TIES_DENSE;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int used = cmputil_option("rank", c, optarg, &o);
        if (used < 0)
            return used;
        if (used)
            continue;
        switch (c) {
        case 'g':
            group = optarg;
            break;
        case 't':
            if (!compare_ties_parse(optarg, &ties))
                return cmd_usage_error(
                    "rank", "--ties takes dense or competition, not '%s'",
                    optarg);
            break;
        default:
            return cmd_usage_error("rank", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error("rank", "unexpected argument '%s'",
                               argv[optind]);

    int status = CW_OK;
    struct peerset *ps = cmputil_load(ctx, &o, group, &status);
    if (!ps)
        goto out;
    if (!ps->n) {
        if (o.as_of)
            fprintf(stderr,
                    "cyberwell: error: no document dated %s or earlier%s%s%s "
                    "has scores under rubric '%s'\n",
                    o.as_of, group ? " (group " : "", group ? group : "",
                    group ? ")" : "", cmputil_rubric_name(ps));
        else if (group)
            fprintf(stderr,
                    "cyberwell: error: group '%s' has no country with "
                    "scores under rubric '%s'\n",
                    group, cmputil_rubric_name(ps));
        else
            fprintf(stderr,
                    "cyberwell: error: no scores under rubric '%s' in "
                    "the database; run 'cyberwell ingest data/profiles' "
                    "first\n",
                    cmputil_rubric_name(ps));
        status = CW_ERR_NOTFOUND;
        goto out;
    }
    struct ranking rk;
    ranking_build(ps, o.decimals, ties, &rk);
    if (o.format == CMPUTIL_TEXT)
        print_text(ps, &rk, group, ties, o.decimals);
    else if (o.format == CMPUTIL_CSV)
        print_csv(ps, &rk, group, ties, o.decimals);
    else
        print_json(ps, &rk, group, ties, o.decimals);
    ranking_release(&rk);
out:
    peerset_free(ps);
    cmputil_done(ctx);
    return status;
}
