/* cyberwell explain ISO3 --vs ISO3: why two overall scores differ. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "core/compare.h"
#include "core/model.h"
#include "io/csvio.h"
#include "util/json.h"
#include "util/strbuf.h"

#include "util/banned.h"

// clang-format off
const char usage_explain[] =
    "usage: cyberwell explain ISO3 --vs ISO3 [options]\n"
    "\n"
    "Explain why the overall scores of two countries differ under one\n"
    "rubric (each by its latest document): for every indicator whose\n"
    "status differs, its weighted contribution to the first country's\n"
    "score minus its contribution to the second's, in score units (with\n"
    "three more digits than scores) and in weighted points, largest\n"
    "first. The parts add up to the difference; the last line prints\n"
    "their sum and checks it against the difference (to 1e-12).\n"
    "\n"
    "options:\n"
    "  --vs ISO3          the country to explain the difference against\n"
    CMPUTIL_OPTIONS_HELP
    "\n"
    "exit status: 0 ok, 1 unknown country or rubric, 2 usage error,\n"
    "4 database error.\n";
// clang-format on

#define SUM_TOLERANCE 1e-12

/* Every override applied to x, listed (they change its score even where
 * the two countries end up alike). */
static void print_overrides(const struct model *m, const struct model_entry *x)
{
    const struct rubric *r = model_rubric(m);
    for (size_t i = 0; x->overrides && i < r->n_indicators; i++) {
        if (!x->overrides[i])
            continue;
        struct strbuf sb = STRBUF_INIT;
        model_status_text(m, x, i, MODEL_STATUS_LONG, &sb);
        printf("override: %s %s %s: %s\n", x->iso3, r->indicators[i].id,
               r->indicators[i].name, sb.buf);
        strbuf_release(&sb);
    }
}

static bool is_overridden(const struct model_entry *e, size_t i)
{
    return e->overrides && e->overrides[i];
}

/* "BEL 0.706 (24 points; coverage 16/17; rank 1)" */
static void side_text(const struct model *m, const struct model_entry *x,
                      double points, struct strbuf *out)
{
    strbuf_addf(out, "%s ", x->iso3);
    precision_score(out, x->scores.overall, model_decimals(m));
    strbuf_addf(out, " (%g points; coverage %zu/%zu; ", points,
                x->scores.coverage, x->scores.n_counted);
    if (x->is_ranked)
        model_place_text(m, x, out);
    else
        strbuf_adds(out, "not ranked");
    strbuf_addch(out, ')');
}

static void print_text(const struct model *m, const struct model_entry *a,
                       const struct model_entry *b,
                       const struct compare_explanation *e, double err)
{
    const struct rubric *r = model_rubric(m);
    const int dec = model_decimals(m);
    bool any_override = false;
    struct strbuf sb = STRBUF_INIT, sc = STRBUF_INIT;
    printf("explain %s (%s) vs %s (%s) under rubric %s\n", a->iso3, a->country,
           b->iso3, b->country, model_rubric_label(m));
    side_text(m, a, e->points_a, &sb);
    side_text(m, b, e->points_b, &sc);
    printf("%s  %s\n", sb.buf, sc.buf);
    strbuf_reset(&sb);
    precision_diff(&sb, a->scores.overall, b->scores.overall, dec);
    printf("difference %s - %s = %s (%+g points)\n\n", a->iso3, b->iso3, sb.buf,
           e->points_a - e->points_b);
    int pw = dec + PRECISION_PART_EXTRA + 4;
    printf("%*s %8s  %-36s %-17s %-11s %s\n", pw, "score", "points",
           "indicator", "pillar", a->iso3, b->iso3);
    for (size_t k = 0; k < e->n_diffs; k++) {
        const struct compare_diff *d = &e->diffs[k];
        const struct rubric_indicator *ind = &r->indicators[d->indicator];
        char label[64];
        strbuf_reset(&sb);
        strbuf_reset(&sc);
        struct strbuf part = STRBUF_INIT;
        model_status_text(m, a, d->indicator, MODEL_STATUS_MARK, &sb);
        model_status_text(m, b, d->indicator, MODEL_STATUS_MARK, &sc);
        precision_part(&part, d->score, dec);
        any_override = any_override || is_overridden(a, d->indicator) ||
                       is_overridden(b, d->indicator);
        snprintf(label, sizeof label, "%s %s", ind->id, ind->name);
        printf("%*s %+8g  %-36.36s %-17.17s %-11s %s\n", pw, part.buf,
               d->points, label, r->pillars[ind->pillar].name, sb.buf, sc.buf);
        strbuf_release(&part);
    }
    if (!e->n_diffs)
        printf("(no indicator differs)\n");
    strbuf_reset(&sb);
    strbuf_reset(&sc);
    precision_part(&sb, e->sum, dec);
    precision_part(&sc, e->difference, dec);
    printf("\nsum of parts %s (%+g points) = difference %s (%+g "
           "points); check |sum - difference| = %.1e %s 1e-12: %s\n",
           sb.buf, e->points_sum, sc.buf, e->points_a - e->points_b, err,
           err <= SUM_TOLERANCE ? "<=" : ">",
           err <= SUM_TOLERANCE ? "ok" : "FAILED");
    if (any_override)
        printf("*: analyst override\n");
    print_overrides(m, a);
    print_overrides(m, b);
    strbuf_release(&sb);
    strbuf_release(&sc);
}

static void csv_row(struct csvio_writer *w, const struct model *m,
                    const struct model_entry *a, const struct model_entry *b,
                    const char *kind)
{
    csvio_text(w, model_rubric_name(m));
    csvio_text(w, model_rubric_version(m));
    csvio_text(w, a->iso3);
    csvio_text(w, b->iso3);
    csvio_text(w, kind);
}

static void print_csv(const struct model *m, const struct model_entry *a,
                      const struct model_entry *b,
                      const struct compare_explanation *e)
{
    const struct rubric *r = model_rubric(m);
    const int dec = model_decimals(m);
    struct csvio_writer w;
    csvio_writer_init(&w, stdout);
    static const char *const head[] = {"rubric",
                                       "rubric_version",
                                       "a",
                                       "b",
                                       "kind",
                                       "indicator",
                                       "name",
                                       "pillar",
                                       "status_a",
                                       "status_b",
                                       "overridden_a",
                                       "overridden_b",
                                       "contribution_a",
                                       "contribution_b",
                                       "score",
                                       "points",
                                       "coverage_a",
                                       "coverage_b"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csvio_text(&w, head[i]);
    csvio_end_row(&w);
    for (size_t k = 0; k < e->n_diffs; k++) {
        const struct compare_diff *d = &e->diffs[k];
        const struct rubric_indicator *ind = &r->indicators[d->indicator];
        csv_row(&w, m, a, b, "indicator");
        csvio_text(&w, ind->id);
        csvio_text(&w, ind->name);
        csvio_text(&w, r->pillars[ind->pillar].id);
        csvio_text(&w, cw_state_name(d->a));
        csvio_text(&w, cw_state_name(d->b));
        csvio_text(&w, is_overridden(a, d->indicator) ? "yes" : "no");
        csvio_text(&w, is_overridden(b, d->indicator) ? "yes" : "no");
        precision_csv_part(&w, d->contrib_a, dec);
        precision_csv_part(&w, d->contrib_b, dec);
        precision_csv_part(&w, d->score, dec);
        csvio_num(&w, d->points, 6);
        csvio_empty(&w);
        csvio_empty(&w);
        csvio_end_row(&w);
    }
    for (int k = 0; k < 2; k++) {
        csv_row(&w, m, a, b, k ? "difference" : "sum");
        for (int c = 0; c < 7; c++)
            csvio_empty(&w);
        if (k) {
            precision_csv(&w, e->overall_a, dec);
            precision_csv(&w, e->overall_b, dec);
        } else {
            csvio_empty(&w);
            csvio_empty(&w);
        }
        precision_csv_part(&w, k ? e->difference : e->sum, dec);
        csvio_num(&w, k ? e->points_a - e->points_b : e->points_sum, 6);
        if (k) { /* the scores' coverage, beside them */
            csvio_int(&w, (long long)a->scores.coverage);
            csvio_int(&w, (long long)b->scores.coverage);
        } else {
            csvio_empty(&w);
            csvio_empty(&w);
        }
        csvio_end_row(&w);
    }
}

static void json_side(struct strbuf *sb, const struct model *m,
                      const struct model_entry *x, double points)
{
    strbuf_adds(sb, "{\"iso3\":");
    json_str(sb, x->iso3);
    strbuf_adds(sb, ",\"name\":");
    json_str(sb, x->country);
    strbuf_adds(sb, ",\"overall\":");
    precision_json(sb, x->scores.overall, model_decimals(m));
    strbuf_adds(sb, ",\"points\":");
    json_num(sb, points, 6);
    strbuf_addf(sb, ",\"coverage\":%zu,\"indicators_counted\":%zu",
                x->scores.coverage, x->scores.n_counted);
    if (x->is_ranked)
        strbuf_addf(sb, ",\"rank\":%zu", x->rank);
    strbuf_adds(sb, ",\"document_sha256\":");
    json_str(sb, x->sha256);
    strbuf_addch(sb, '}');
}

static void print_json(const struct model *m, const struct model_entry *a,
                       const struct model_entry *b,
                       const struct compare_explanation *e, double err)
{
    const struct rubric *r = model_rubric(m);
    const int dec = model_decimals(m);
    struct strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    cmputil_json_rubric(m, &sb);
    strbuf_adds(&sb, ",\"a\":");
    json_side(&sb, m, a, e->points_a);
    strbuf_adds(&sb, ",\"b\":");
    json_side(&sb, m, b, e->points_b);
    strbuf_adds(&sb, ",\"difference\":");
    precision_json_part(&sb, e->difference, dec);
    strbuf_adds(&sb, ",\"points_difference\":");
    json_num(&sb, e->points_a - e->points_b, 6);
    strbuf_adds(&sb, ",\"parts\":[");
    for (size_t k = 0; k < e->n_diffs; k++) {
        const struct compare_diff *d = &e->diffs[k];
        const struct rubric_indicator *ind = &r->indicators[d->indicator];
        strbuf_adds(&sb, k ? ",{\"indicator\":" : "{\"indicator\":");
        json_str(&sb, ind->id);
        strbuf_adds(&sb, ",\"name\":");
        json_str(&sb, ind->name);
        strbuf_adds(&sb, ",\"pillar\":");
        json_str(&sb, r->pillars[ind->pillar].id);
        strbuf_adds(&sb, ",\"status_a\":");
        json_str(&sb, cw_state_name(d->a));
        strbuf_adds(&sb, ",\"status_b\":");
        json_str(&sb, cw_state_name(d->b));
        strbuf_addf(&sb, ",\"overridden_a\":%s,\"overridden_b\":%s",
                    is_overridden(a, d->indicator) ? "true" : "false",
                    is_overridden(b, d->indicator) ? "true" : "false");
        strbuf_adds(&sb, ",\"score\":");
        precision_json_part(&sb, d->score, dec);
        strbuf_adds(&sb, ",\"points\":");
        json_num(&sb, d->points, 6);
        strbuf_addch(&sb, '}');
    }
    strbuf_adds(&sb, "],\"sum\":");
    precision_json_part(&sb, e->sum, dec);
    strbuf_adds(&sb, ",\"points_sum\":");
    json_num(&sb, e->points_sum, 6);
    strbuf_addf(&sb,
                ",\"check\":{\"abs_error\":%.3g,\"tolerance\":1e-12,"
                "\"ok\":%s}}\n",
                err, err <= SUM_TOLERANCE ? "true" : "false");
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

int cmd_explain(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {{"vs", required_argument, NULL, 'v'},
                                         CMPUTIL_LONG_OPTIONS,
                                         {NULL, 0, NULL, 0}};
    struct cmputil_opts o = CMPUTIL_OPTS_INIT;
    const char *vs = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int used = cmputil_option("explain", c, optarg, &o);
        if (used < 0)
            return used;
        if (used)
            continue;
        if (c == 'v') {
            vs = optarg;
            continue;
        }
        return cmd_usage_error("explain", "unknown option '%s'",
                               argv[optind - 1]);
    }
    char ia[4], ib[4];
    if (optind >= argc)
        return cmd_usage_error("explain", "no country given");
    if (optind + 1 < argc)
        return cmd_usage_error("explain", "unexpected argument '%s'",
                               argv[optind + 1]);
    if (!cmputil_iso3(argv[optind], ia))
        return cmd_usage_error(
            "explain", "'%s' is not an ISO 3166 alpha-3 code", argv[optind]);
    if (!vs)
        return cmd_usage_error("explain", "--vs ISO3 is required");
    if (!cmputil_iso3(vs, ib))
        return cmd_usage_error("explain",
                               "'%s' is not an ISO 3166 alpha-3 code", vs);
    if (!strcmp(ia, ib))
        return cmd_usage_error("explain", "--vs must name another country");

    int status = CW_OK;
    struct compare_explanation e = {0};
    struct model *m = cmputil_load(ctx, &o, NULL, NULL, &status);
    if (!m)
        goto out;
    long ka = model_find(m, ia), kb = model_find(m, ib);
    if (ka < 0 || kb < 0) {
        status = cmputil_not_found(ctx, m, ka < 0 ? ia : ib, "country");
        goto out;
    }
    const struct model_entry *a = model_entry(m, (size_t)ka);
    const struct model_entry *b = model_entry(m, (size_t)kb);
    compare_explain(model_rubric(m), a->states, b->states, &e);
    double err = fabs(e.sum - e.difference);
    if (o.format == CMPUTIL_TEXT)
        print_text(m, a, b, &e, err);
    else if (o.format == CMPUTIL_CSV)
        print_csv(m, a, b, &e);
    else
        print_json(m, a, b, &e, err);
    if (err > SUM_TOLERANCE) {
        fprintf(stderr,
                "cyberwell: error: the parts sum to %.17g, not the "
                "difference %.17g\n",
                e.sum, e.difference);
        status = CW_ERR_IO;
    }
out:
    compare_explanation_release(&e);
    model_free(m);
    cmputil_done(ctx);
    return status;
}
