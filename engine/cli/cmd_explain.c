/* cyberwell explain ISO3 --vs ISO3: why two overall scores differ. */
#include <getopt.h>
#include <math.h>
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

#include "util/banned.h"

// clang-format off
const char usage_explain[] =
    "usage: cyberwell explain ISO3 --vs ISO3 [options]\n"
    "\n"
    "Explain why the overall scores of two countries differ under one\n"
    "rubric (each by its latest document): for every indicator whose\n"
    "status differs, its weighted contribution to the first country's\n"
    "score minus its contribution to the second's, in score units and in\n"
    "weighted points, largest first. The parts add up to the difference;\n"
    "the last line prints their sum and checks it against the difference\n"
    "(to 1e-12).\n"
    "\n"
    "options:\n"
    "  --vs ISO3          the country to explain the difference against\n"
    CMPUTIL_OPTIONS_HELP
    "\n"
    "exit status: 0 ok, 1 unknown country or rubric, 2 usage error,\n"
    "4 database error.\n";
// clang-format on

#define SUM_TOLERANCE 1e-12

static void status_label(const struct peerset_entry *e, size_t i,
                         struct strbuf *out)
{
    strbuf_adds(out, cw_state_name(e->states[i]));
    if (e->indicators[i]->override)
        strbuf_addch(out, '*');
}

/* Every override applied to x, listed (they change its score even where
 * the two countries end up alike). */
static void print_overrides(const struct rubric *r,
                            const struct peerset_entry *x)
{
    for (size_t i = 0; i < r->n_indicators; i++) {
        if (!x->indicators[i]->override)
            continue;
        struct strbuf sb = STRBUF_INIT;
        cmputil_status(x, i, true, &sb);
        printf("override: %s %s %s: %s\n", x->score->iso3, r->indicators[i].id,
               r->indicators[i].name, sb.buf);
        strbuf_release(&sb);
    }
}

static void print_text(const struct peerset *ps, const struct peerset_entry *a,
                       const struct peerset_entry *b,
                       const struct compare_explanation *e, double err)
{
    const struct rubric *r = ps->rubric;
    const char *ia = a->score->iso3, *ib = b->score->iso3;
    bool any_override = false;
    printf("explain %s (%s) vs %s (%s) under rubric %s %s\n", ia,
           a->score->country, ib, b->score->country, r->name, r->version);
    printf("%s %.6f (%g points)  %s %.6f (%g points)\n", ia, e->overall_a,
           e->points_a, ib, e->overall_b, e->points_b);
    printf("difference %s - %s = %+.6f (%+g points)\n\n", ia, ib, e->difference,
           e->points_a - e->points_b);
    printf("%10s %8s  %-36s %-17s %-11s %s\n", "score", "points", "indicator",
           "pillar", ia, ib);
    for (size_t k = 0; k < e->n_diffs; k++) {
        const struct compare_diff *d = &e->diffs[k];
        const struct rubric_indicator *ind = &r->indicators[d->indicator];
        char label[64];
        struct strbuf sa = STRBUF_INIT, sb = STRBUF_INIT;
        status_label(a, d->indicator, &sa);
        status_label(b, d->indicator, &sb);
        any_override = any_override || a->indicators[d->indicator]->override ||
                       b->indicators[d->indicator]->override;
        snprintf(label, sizeof label, "%s %s", ind->id, ind->name);
        printf("%+10.6f %+8g  %-36.36s %-17.17s %-11s %s\n", d->score,
               d->points, label, r->pillars[ind->pillar].name, sa.buf, sb.buf);
        strbuf_release(&sa);
        strbuf_release(&sb);
    }
    if (!e->n_diffs)
        printf("(no indicator differs)\n");
    printf("\nsum of parts %+.6f (%+g points) = difference %+.6f (%+g "
           "points); check |sum - difference| = %.1e %s 1e-12: %s\n",
           e->sum, e->points_sum, e->difference, e->points_a - e->points_b, err,
           err <= SUM_TOLERANCE ? "<=" : ">",
           err <= SUM_TOLERANCE ? "ok" : "FAILED");
    if (any_override)
        printf("*: analyst override\n");
    print_overrides(r, a);
    print_overrides(r, b);
}

static void csv_row(struct csvio_writer *w, const struct peerset *ps,
                    const struct peerset_entry *a,
                    const struct peerset_entry *b, const char *kind)
{
    csvio_text(w, ps->set->rubric_name);
    csvio_text(w, ps->set->rubric_version);
    csvio_text(w, a->score->iso3);
    csvio_text(w, b->score->iso3);
    csvio_text(w, kind);
}

static void print_csv(const struct peerset *ps, const struct peerset_entry *a,
                      const struct peerset_entry *b,
                      const struct compare_explanation *e)
{
    const struct rubric *r = ps->rubric;
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
                                       "points"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csvio_text(&w, head[i]);
    csvio_end_row(&w);
    for (size_t k = 0; k < e->n_diffs; k++) {
        const struct compare_diff *d = &e->diffs[k];
        const struct rubric_indicator *ind = &r->indicators[d->indicator];
        csv_row(&w, ps, a, b, "indicator");
        csvio_text(&w, ind->id);
        csvio_text(&w, ind->name);
        csvio_text(&w, r->pillars[ind->pillar].id);
        csvio_text(&w, cw_state_name(d->a));
        csvio_text(&w, cw_state_name(d->b));
        csvio_text(&w, a->indicators[d->indicator]->override ? "yes" : "no");
        csvio_text(&w, b->indicators[d->indicator]->override ? "yes" : "no");
        csvio_num(&w, d->contrib_a, 12);
        csvio_num(&w, d->contrib_b, 12);
        csvio_num(&w, d->score, 12);
        csvio_num(&w, d->points, 6);
        csvio_end_row(&w);
    }
    for (int k = 0; k < 2; k++) {
        csv_row(&w, ps, a, b, k ? "difference" : "sum");
        for (int c = 0; c < 7; c++)
            csvio_empty(&w);
        if (k) {
            csvio_num(&w, e->overall_a, 12);
            csvio_num(&w, e->overall_b, 12);
        } else {
            csvio_empty(&w);
            csvio_empty(&w);
        }
        csvio_num(&w, k ? e->difference : e->sum, 12);
        csvio_num(&w, k ? e->points_a - e->points_b : e->points_sum, 6);
        csvio_end_row(&w);
    }
}

static void json_side(struct strbuf *sb, const struct peerset_entry *x,
                      double overall, double points)
{
    strbuf_adds(sb, "{\"iso3\":");
    json_str(sb, x->score->iso3);
    strbuf_adds(sb, ",\"name\":");
    json_str(sb, x->score->country);
    strbuf_adds(sb, ",\"overall\":");
    json_num(sb, overall, 12);
    strbuf_adds(sb, ",\"points\":");
    json_num(sb, points, 6);
    strbuf_adds(sb, ",\"document_sha256\":");
    json_str(sb, x->score->sha256);
    strbuf_addch(sb, '}');
}

static void print_json(const struct peerset *ps, const struct peerset_entry *a,
                       const struct peerset_entry *b,
                       const struct compare_explanation *e, double err)
{
    const struct rubric *r = ps->rubric;
    struct strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    cmputil_json_rubric(ps, &sb);
    strbuf_adds(&sb, ",\"a\":");
    json_side(&sb, a, e->overall_a, e->points_a);
    strbuf_adds(&sb, ",\"b\":");
    json_side(&sb, b, e->overall_b, e->points_b);
    strbuf_adds(&sb, ",\"difference\":");
    json_num(&sb, e->difference, 12);
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
                    a->indicators[d->indicator]->override ? "true" : "false",
                    b->indicators[d->indicator]->override ? "true" : "false");
        strbuf_adds(&sb, ",\"score\":");
        json_num(&sb, d->score, 12);
        strbuf_adds(&sb, ",\"points\":");
        json_num(&sb, d->points, 6);
        strbuf_addch(&sb, '}');
    }
    strbuf_adds(&sb, "],\"sum\":");
    json_num(&sb, e->sum, 12);
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
    struct peerset *ps = cmputil_load(ctx, &o, NULL, &status);
    if (!ps)
        goto out;
    long ka = peerset_find(ps, ia), kb = peerset_find(ps, ib);
    if (ka < 0 || kb < 0) {
        status = cmputil_not_found(ctx, ps, ka < 0 ? ia : ib, "country");
        goto out;
    }
    const struct peerset_entry *a = &ps->entries[ka], *b = &ps->entries[kb];
    compare_explain(ps->rubric, a->states, b->states, &e);
    double err = fabs(e.sum - e.difference);
    if (o.format == CMPUTIL_TEXT)
        print_text(ps, a, b, &e, err);
    else if (o.format == CMPUTIL_CSV)
        print_csv(ps, a, b, &e);
    else
        print_json(ps, a, b, &e, err);
    if (err > SUM_TOLERANCE) {
        fprintf(stderr,
                "cyberwell: error: the parts sum to %.17g, not the "
                "difference %.17g\n",
                e.sum, e.difference);
        status = CW_ERR_IO;
    }
out:
    compare_explanation_release(&e);
    peerset_free(ps);
    cmputil_done(ctx);
    return status;
}
