/* cyberwell rank: every country (or a group) by overall score, with ties. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "core/model.h"
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
    "scores, coverage (indicators the document states) and the joint rank\n"
    "range. Each country's latest document is used.\n"
    "\n"
    "Ranked: documents that state at least the rubric's min_coverage of\n"
    "the indicators in the overall (gci2014: 16 of 17); the others are\n"
    "listed apart as 'not ranked: coverage k of n' with the range their\n"
    "score could take, unless --include-incomplete.\n"
    "\n"
    "Ties: scores are shown and compared at --decimals digits (default 3);\n"
    "tied countries share a rank. Dense ranks (the ITU's GCI convention,\n"
    "the default) give 1, 2, 3, 3, 4; competition ranks give 1, 2, 3, 3, 5.\n"
    "\n"
    "Rank range (joint): the best rank puts the country's unknown and\n"
    "not-stated indicators at the best level and every other ranked\n"
    "country's at the worst; the worst rank the reverse (docs/ranking.md).\n"
    "\n"
    "options:\n"
    "  --group G          rank only the members of group G\n"
    CMPUTIL_OPTIONS_HELP
    "\n"
    "exit status: 0 ok, 1 unknown rubric or group, or nothing to rank,\n"
    "2 usage error, 4 database error.\n";
// clang-format on

/* Width of measure p's column: its id (and '*' when apart) or a score
 * with its coverage "(k/n)". */
static int column_width(const struct model *m, size_t p)
{
    const struct rubric *r = model_rubric(m);
    size_t len = strlen(r->pillars[p].id) + !r->pillars[p].in_overall;
    size_t n = 0;
    for (size_t i = 0; i < r->n_indicators; i++)
        n += r->indicators[i].pillar == p;
    size_t digits = n >= 100 ? 3 : n >= 10 ? 2 : 1;
    size_t cell = (size_t)model_decimals(m) + 2 + 4 + 2 * digits;
    if (len < cell)
        len = cell;
    return len > 40 ? 40 : (int)len;
}

static void print_row(const struct model *m, const struct model_entry *e,
                      const int *width)
{
    const struct rubric *r = model_rubric(m);
    struct strbuf sb = STRBUF_INIT;
    char rank[24] = "-";
    if (e->is_ranked)
        snprintf(rank, sizeof rank, "%zu", e->rank);
    model_range_text(m, e, &sb);
    printf("%4s  %-7s  %-4s  %-22.22s  ", rank, sb.buf, e->iso3, e->country);
    strbuf_reset(&sb);
    precision_score(&sb, e->scores.overall, model_decimals(m));
    printf("%7s", sb.buf);
    for (size_t p = 0; p < r->n_pillars; p++) {
        strbuf_reset(&sb);
        model_value_text(m, e, p, &sb);
        printf("  %*s", width[p], sb.buf);
    }
    printf("  %5zu/%zu%s\n", e->scores.coverage, e->scores.n_counted,
           e->has_overrides ? "  override" : "");
    strbuf_release(&sb);
}

static void print_text(const struct model *m, const char *group)
{
    const struct rubric *r = model_rubric(m);
    size_t n_r, n_u;
    const size_t *ranked = model_ranked(m, &n_r);
    const size_t *unranked = model_unranked(m, &n_u);
    bool has_apart = false, has_override = false;
    int *width = xcalloc(r->n_pillars + 1, sizeof *width);
    printf("rank: %zu countries%s%s under rubric %s: %zu ranked, %zu not "
           "ranked\n",
           model_count(m), group ? " of group " : "", group ? group : "",
           model_rubric_label(m), n_r, n_u);
    cmputil_print_basis(m);
    printf("%4s  %-7s  %-4s  %-22s  %7s", "rank", "range", "iso3", "country",
           "overall");
    for (size_t p = 0; p < r->n_pillars; p++) {
        char label[128];
        width[p] = column_width(m, p);
        snprintf(label, sizeof label, "%s%s", r->pillars[p].id,
                 r->pillars[p].in_overall ? "" : "*");
        printf("  %*s", width[p], label);
        has_apart = has_apart || !r->pillars[p].in_overall;
    }
    printf("  %s\n", "coverage");
    for (size_t k = 0; k < n_r + n_u; k++) {
        const struct model_entry *e =
            model_entry(m, k < n_r ? ranked[k] : unranked[k - n_r]);
        if (k == n_r)
            printf("not ranked (coverage below %zu of %zu; "
                   "--include-incomplete ranks them):\n",
                   model_min_coverage(m), model_n_counted(m));
        print_row(m, e, width);
        has_override = has_override || e->has_overrides;
    }
    printf("range: joint rank range, best with the country's unresolved "
           "indicators at the best level and every other's at the worst, "
           "worst the reverse\n");
    printf("(k/n): the pillar's indicators the document states; n/a: it "
           "states none\n");
    if (has_apart)
        printf("*: not in the overall score\n");
    if (has_override)
        printf("override: an analyst override changes a status (see "
               "'cyberwell compare')\n");
    free(width);
}

static void print_csv(const struct model *m, const char *group)
{
    const struct rubric *r = model_rubric(m);
    const int dec = model_decimals(m);
    size_t n_r, n_u;
    const size_t *ranked = model_ranked(m, &n_r);
    const size_t *unranked = model_unranked(m, &n_u);
    struct csvio_writer w;
    csvio_writer_init(&w, stdout);
    static const char *const head[] = {
        "rubric",  "rubric_version", "rubric_sha256", "group",
        "ties",    "decimals",       "min_coverage",  "ranked",
        "rank",    "rank_best",      "rank_worst",    "iso3",
        "country", "overall",        "overall_min",   "overall_max"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csvio_text(&w, head[i]);
    for (size_t p = 0; p < r->n_pillars; p++)
        csvio_text(&w, r->pillars[p].id);
    for (size_t p = 0; p < r->n_pillars; p++) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, "%s_stated", r->pillars[p].id);
        csvio_text(&w, sb.buf);
        strbuf_release(&sb);
    }
    csvio_text(&w, "coverage");
    csvio_text(&w, "indicators_counted");
    csvio_text(&w, "overridden");
    csvio_text(&w, "document_sha256");
    csvio_text(&w, "edition_date");
    csvio_end_row(&w);
    for (size_t k = 0; k < n_r + n_u; k++) {
        const struct model_entry *e =
            model_entry(m, k < n_r ? ranked[k] : unranked[k - n_r]);
        csvio_text(&w, model_rubric_name(m));
        csvio_text(&w, model_rubric_version(m));
        csvio_text(&w, model_rubric_sha256(m));
        csvio_text(&w, group);
        csvio_text(&w, compare_ties_name(model_ties(m)));
        csvio_int(&w, dec);
        csvio_int(&w, (long long)model_min_coverage(m));
        csvio_text(&w, e->is_ranked ? "yes" : "no");
        if (e->is_ranked) {
            csvio_int(&w, (long long)e->rank);
            csvio_int(&w, (long long)e->rank_best);
            csvio_int(&w, (long long)e->rank_worst);
        } else {
            csvio_empty(&w);
            csvio_empty(&w);
            csvio_empty(&w);
        }
        csvio_text(&w, e->iso3);
        csvio_text(&w, e->country);
        precision_csv(&w, e->scores.overall, dec);
        precision_csv(&w, e->scores.overall_min, dec);
        precision_csv(&w, e->scores.overall_max, dec);
        for (size_t p = 0; p < r->n_pillars; p++)
            precision_csv(&w, e->scores.pillars[p], dec);
        for (size_t p = 0; p < r->n_pillars; p++)
            csvio_int(&w, (long long)e->scores.pillar_stated[p]);
        csvio_int(&w, (long long)e->scores.coverage);
        csvio_int(&w, (long long)e->scores.n_counted);
        csvio_text(&w, e->has_overrides ? "yes" : "no");
        csvio_text(&w, e->sha256);
        csvio_text(&w, e->edition_date);
        csvio_end_row(&w);
    }
}

static void json_entry(const struct model *m, const struct model_entry *e,
                       struct strbuf *sb)
{
    const struct rubric *r = model_rubric(m);
    const int dec = model_decimals(m);
    strbuf_adds(sb, "{");
    if (e->is_ranked)
        strbuf_addf(sb, "\"rank\":%zu,\"rank_range\":[%zu,%zu],", e->rank,
                    e->rank_best, e->rank_worst);
    strbuf_adds(sb, "\"iso3\":");
    json_str(sb, e->iso3);
    strbuf_adds(sb, ",\"country\":");
    json_str(sb, e->country);
    strbuf_adds(sb, ",\"overall\":");
    precision_json(sb, e->scores.overall, dec);
    strbuf_adds(sb, ",\"overall_range\":[");
    precision_json(sb, e->scores.overall_min, dec);
    strbuf_addch(sb, ',');
    precision_json(sb, e->scores.overall_max, dec);
    strbuf_adds(sb, "],\"pillars\":{");
    for (size_t p = 0; p < r->n_pillars; p++) {
        size_t k, n;
        model_coverage(m, e, p, &k, &n);
        strbuf_adds(sb, p ? "," : "");
        json_str(sb, r->pillars[p].id);
        strbuf_adds(sb, ":{\"score\":");
        precision_json(sb, e->scores.pillars[p], dec);
        strbuf_addf(sb, ",\"stated\":%zu,\"indicators\":%zu}", k, n);
    }
    strbuf_addf(sb,
                "},\"coverage\":%zu,\"indicators_counted\":%zu,"
                "\"overridden\":%s,\"document\":{\"sha256\":",
                e->scores.coverage, e->scores.n_counted,
                e->has_overrides ? "true" : "false");
    json_str(sb, e->sha256);
    strbuf_adds(sb, ",\"path\":");
    json_str(sb, e->path);
    strbuf_adds(sb, ",\"edition_date\":");
    json_str(sb, e->edition_date);
    strbuf_adds(sb, "}}");
}

static void print_json(const struct model *m, const char *group)
{
    size_t n_r, n_u;
    const size_t *ranked = model_ranked(m, &n_r);
    const size_t *unranked = model_unranked(m, &n_u);
    struct strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    cmputil_json_rubric(m, &sb);
    strbuf_adds(&sb, ",\"group\":");
    json_str(&sb, group);
    strbuf_adds(&sb, ",\"countries\":[");
    for (size_t k = 0; k < n_r; k++) {
        strbuf_adds(&sb, k ? "," : "");
        json_entry(m, model_entry(m, ranked[k]), &sb);
    }
    strbuf_adds(&sb, "],\"not_ranked\":[");
    for (size_t k = 0; k < n_u; k++) {
        strbuf_adds(&sb, k ? "," : "");
        json_entry(m, model_entry(m, unranked[k]), &sb);
    }
    strbuf_adds(&sb, "]}\n");
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

int cmd_rank(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"group", required_argument, NULL, 'g'},
        CMPUTIL_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    struct cmputil_opts o = CMPUTIL_OPTS_INIT;
    const char *group = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int used = cmputil_option("rank", c, optarg, &o);
        if (used < 0)
            return used;
        if (used)
            continue;
        if (c == 'g') {
            group = optarg;
            continue;
        }
        return cmd_usage_error("rank", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind < argc)
        return cmd_usage_error("rank", "unexpected argument '%s'",
                               argv[optind]);
    o.model.group = group;

    int status = CW_OK;
    struct model *m = cmputil_load(ctx, &o, NULL, NULL, &status);
    if (!m)
        goto out;
    if (!model_count(m)) {
        const char *rubric = model_rubric_name(m);
        if (o.model.as_of)
            fprintf(stderr,
                    "cyberwell: error: no document dated %s or earlier%s%s%s "
                    "has scores under rubric '%s'\n",
                    o.model.as_of, group ? " (group " : "", group ? group : "",
                    group ? ")" : "", rubric);
        else if (group)
            fprintf(stderr,
                    "cyberwell: error: group '%s' has no country with "
                    "scores under rubric '%s'\n",
                    group, rubric);
        else
            fprintf(stderr,
                    "cyberwell: error: no scores under rubric '%s' in "
                    "the database; run 'cyberwell ingest data/profiles' "
                    "first\n",
                    rubric);
        status = CW_ERR_NOTFOUND;
        goto out;
    }
    if (o.format == CMPUTIL_TEXT)
        print_text(m, group);
    else if (o.format == CMPUTIL_CSV)
        print_csv(m, group);
    else
        print_json(m, group);
out:
    model_free(m);
    cmputil_done(ctx);
    return status;
}
