/* cyberwell agreement: computed scores beside published GCI scores. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "core/model.h"
#include "io/csvio.h"
#include "util/json.h"
#include "util/strbuf.h"

#include "util/banned.h"

// clang-format off
const char usage_agreement[] =
    "usage: cyberwell agreement [--edition YEAR] [--top N] [options]\n"
    "\n"
    "Set the scores cyberwell computes from the profiles beside the\n"
    "published GCI scores of the edition with the rubric's structure\n"
    "(gci2014: GCI 2014), for every ranked country that has both: how many\n"
    "are equal at the published precision, the mean and the largest\n"
    "absolute difference, Spearman's rank correlation (tied scores at\n"
    "their mean rank), and the countries with the largest differences with\n"
    "the indicators that could explain them.\n"
    "\n"
    "The profiles were revised after the index's survey, so a difference\n"
    "is a finding to read side by side, not a fault of the scorer\n"
    "(docs/agreement-published.md). Another edition (--edition) has\n"
    "another questionnaire and method; every output names the edition.\n"
    "\n"
    "options:\n"
    "  --top N            countries listed with their difference (text;\n"
    "                     default 10, 0 for all)\n"
    CMPUTIL_EDITION_HELP
    CMPUTIL_OPTIONS_HELP
    "\n"
    "Import the published scores first: cyberwell import --csv\n"
    "data/reference/gci-published.csv\n"
    "exit status: 0 ok, 1 unknown rubric, no published edition, or no\n"
    "country with both scores, 2 usage error, 4 database error.\n";
// clang-format on

#define DEFAULT_TOP 10

static void stat_line(const char *label, double v, int dec)
{
    struct strbuf sb = STRBUF_INIT;
    precision_score(&sb, v, dec);
    printf("%-44s %s\n", label, sb.buf);
    strbuf_release(&sb);
}

static void print_text(const struct model *m, const struct model_agreement *a,
                       size_t top)
{
    const int dec = model_decimals(m);
    const struct compare_agreement *s = &a->stats;
    struct strbuf sb = STRBUF_INIT;
    model_edition_text(m, &sb);
    printf("agreement: computed (rubric %s) against published %s\n",
           model_rubric_label(m), sb.buf);
    printf("compared: %zu ranked countr%s with both scores", a->n,
           a->n == 1 ? "y" : "ies");
    if (a->n_left_out)
        printf("; %zu with a published score left out (not ranked: "
               "coverage below %zu of %zu; --include-incomplete adds them)",
               a->n_left_out, model_min_coverage(m), model_n_counted(m));
    printf("\npublished precision: %d decimals, on a 0 to %g scale; computed "
           "at %d decimals, on 0 to 1\n",
           model_published_decimals(m), model_published_scale(m), dec);
    printf("%-44s %zu of %zu\n",
           "equal at the published precision:", s->n_exact, s->n);
    stat_line("mean |computed - published|:", s->mean_abs, dec);
    stat_line("largest |computed - published|:", s->max_abs, dec);
    strbuf_reset(&sb);
    precision_correlation(&sb, s->spearman);
    printf("%-44s %s%s\n", "Spearman's rank correlation:", sb.buf,
           isnan(s->spearman)
               ? " (needs 3 or more countries, neither series constant)"
               : "");
    printf("a difference is read side by side: the profiles were revised "
           "after the index's survey (docs/agreement-published.md)\n");
    size_t n = top && top < a->n ? top : a->n;
    if (n)
        printf("\nlargest differences (%zu of %zu):\n%-4s  %-22s  %8s  %9s  "
               "%10s  %8s  %s\n",
               n, a->n, "iso3", "country", "computed", "published",
               "difference", "coverage", "could explain it");
    for (size_t i = 0; i < n; i++) {
        const struct model_entry *e = model_entry(m, a->entries[i]);
        struct strbuf c = STRBUF_INIT, p = STRBUF_INIT, d = STRBUF_INIT,
                      why = STRBUF_INIT;
        precision_score(&c, e->scores.overall, dec);
        precision_score(&p, e->published->value, dec);
        precision_diff(&d, e->scores.overall, e->published->value, dec);
        model_difference_text(m, e, a->diffs[i], &why);
        printf("%-4s  %-22.22s  %8s  %9s  %10s  %5zu/%zu  %s\n", e->iso3,
               e->country, c.buf, p.buf, d.buf, e->scores.coverage,
               e->scores.n_counted, why.buf);
        strbuf_release(&c);
        strbuf_release(&p);
        strbuf_release(&d);
        strbuf_release(&why);
    }
    strbuf_release(&sb);
}

static void print_csv(const struct model *m, const struct model_agreement *a)
{
    const int dec = model_decimals(m);
    int pd = model_published_decimals(m);
    double scale = model_published_scale(m);
    struct csvio_writer w;
    csvio_writer_init(&w, stdout);
    static const char *const head[] = {"rubric",
                                       "rubric_version",
                                       "edition",
                                       "iso3",
                                       "country",
                                       "computed",
                                       "coverage",
                                       "indicators_counted",
                                       "published",
                                       "scale",
                                       "published_score",
                                       "difference",
                                       "equal_at_published_precision",
                                       "published_rank",
                                       "rank_method",
                                       "source_url",
                                       "could_explain"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csvio_text(&w, head[i]);
    csvio_end_row(&w);
    struct strbuf why = STRBUF_INIT;
    for (size_t i = 0; i < a->n; i++) {
        const struct model_entry *e = model_entry(m, a->entries[i]);
        const struct store_reference *ref = e->published->row;
        csvio_text(&w, model_rubric_name(m));
        csvio_text(&w, model_rubric_version(m));
        csvio_text(&w, model_edition(m));
        csvio_text(&w, e->iso3);
        csvio_text(&w, e->country);
        precision_csv(&w, e->scores.overall, dec);
        csvio_int(&w, (long long)e->scores.coverage);
        csvio_int(&w, (long long)e->scores.n_counted);
        csvio_num(&w, ref->overall, pd);
        csvio_num(&w, scale, 0);
        precision_csv(&w, e->published->value, dec);
        precision_csv(
            &w,
            precision_difference(e->scores.overall, e->published->value, dec),
            dec);
        csvio_text(&w, precision_key(e->scores.overall * scale, pd) ==
                               precision_key(ref->overall, pd)
                           ? "yes"
                           : "no");
        if (isnan(ref->rank))
            csvio_empty(&w);
        else
            csvio_num(&w, ref->rank, 0);
        csvio_text(&w, ref->rank_method);
        csvio_text(&w, ref->source_url);
        strbuf_reset(&why);
        model_difference_text(m, e, a->diffs[i], &why);
        csvio_text(&w, why.buf);
        csvio_end_row(&w);
    }
    strbuf_release(&why);
}

static void print_json(const struct model *m, const struct model_agreement *a)
{
    const int dec = model_decimals(m);
    const struct compare_agreement *s = &a->stats;
    struct strbuf sb = STRBUF_INIT, t = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    cmputil_json_rubric(m, &sb);
    strbuf_adds(&sb, ",\"edition\":");
    json_str(&sb, model_edition(m));
    model_edition_text(m, &t);
    strbuf_adds(&sb, ",\"edition_note\":");
    json_str(&sb, t.buf);
    strbuf_addf(&sb,
                ",\"published_decimals\":%d,\"published_scale\":%g,"
                "\"compared\":%zu,\"left_out_not_ranked\":%zu,"
                "\"equal_at_published_precision\":%zu,\"mean_abs_difference\":",
                model_published_decimals(m), model_published_scale(m), s->n,
                a->n_left_out, s->n_exact);
    precision_json(&sb, s->mean_abs, dec);
    strbuf_adds(&sb, ",\"max_abs_difference\":");
    precision_json(&sb, s->max_abs, dec);
    strbuf_adds(&sb, ",\"spearman\":");
    precision_json_correlation(&sb, s->spearman);
    strbuf_adds(&sb, ",\"countries\":[");
    for (size_t i = 0; i < a->n; i++) {
        const struct model_entry *e = model_entry(m, a->entries[i]);
        strbuf_adds(&sb, i ? ",{\"iso3\":" : "{\"iso3\":");
        json_str(&sb, e->iso3);
        strbuf_adds(&sb, ",\"computed\":");
        precision_json(&sb, e->scores.overall, dec);
        strbuf_addf(&sb,
                    ",\"coverage\":%zu,\"published\":", e->scores.coverage);
        precision_json(&sb, e->published->value, dec);
        strbuf_adds(&sb, ",\"difference\":");
        precision_json(
            &sb,
            precision_difference(e->scores.overall, e->published->value, dec),
            dec);
        strbuf_reset(&t);
        model_difference_text(m, e, a->diffs[i], &t);
        strbuf_adds(&sb, ",\"could_explain\":");
        json_str(&sb, t.buf);
        strbuf_adds(&sb, "}");
    }
    strbuf_adds(&sb, "]}\n");
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
    strbuf_release(&t);
}

int cmd_agreement(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {{"top", required_argument, NULL, 'n'},
                                         CMPUTIL_LONG_OPTIONS,
                                         CMPUTIL_EDITION_OPTION,
                                         {NULL, 0, NULL, 0}};
    struct cmputil_opts o = CMPUTIL_OPTS_INIT;
    size_t top = DEFAULT_TOP;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int used = cmputil_option("agreement", c, optarg, &o);
        if (used < 0)
            return used;
        if (used)
            continue;
        if (c == 'n') {
            size_t len = strlen(optarg);
            if (!len || len > 4 || strspn(optarg, "0123456789") != len)
                return cmd_usage_error("agreement",
                                       "--top takes a number, 0 to 9999");
            top = 0;
            for (size_t i = 0; i < len; i++)
                top = top * 10 + (size_t)(optarg[i] - '0');
            continue;
        }
        return cmd_usage_error("agreement", "unknown option '%s'",
                               argv[optind - 1]);
    }
    if (optind < argc)
        return cmd_usage_error("agreement", "unexpected argument '%s'",
                               argv[optind]);

    int status = CW_OK;
    struct model_agreement a = {0};
    struct model *m = cmputil_load(ctx, &o, NULL, NULL, &status);
    if (!m)
        goto out;
    model_agreement_build(m, &a);
    if (!model_edition(m)) {
        struct strbuf sb = STRBUF_INIT;
        model_edition_text(m, &sb);
        fprintf(stderr,
                "cyberwell: error: no published edition to compare "
                "with: %s\n",
                sb.buf);
        strbuf_release(&sb);
        status = CW_ERR_NOTFOUND;
        goto out;
    }
    if (!model_references(m)->n) {
        fprintf(stderr,
                "cyberwell: error: no published GCI %s score in the "
                "database; import them with 'cyberwell import --csv "
                "data/reference/gci-published.csv'\n",
                model_edition(m));
        status = CW_ERR_NOTFOUND;
        goto out;
    }
    if (o.format == CMPUTIL_TEXT)
        print_text(m, &a, top);
    else if (o.format == CMPUTIL_CSV)
        print_csv(m, &a);
    else
        print_json(m, &a);
out:
    model_agreement_release(&a);
    model_free(m);
    cmputil_done(ctx);
    return status;
}
