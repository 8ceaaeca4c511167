/* cyberwell score FILE...: score profiles against a rubric. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "core/doc.h"
#include "core/precision.h"
#include "core/rubric.h"
#include "core/score.h"
#include "io/csvio.h"
#include "io/decode.h"
#include "util/json.h"

#include "util/banned.h"

const char usage_score[] =
    "usage: cyberwell score [options] FILE...\n"
    "\n"
    "Score each profile under a rubric and print the overall score, the\n"
    "pillar scores, every indicator's status and points, the coverage\n"
    "(indicators the document states) and the range the score could take\n"
    "if its unknown and unstated indicators were resolved. FILE may be -,\n"
    "and may be a PDF (its text is extracted with pdftotext; evidence\n"
    "lines refer to that text, which 'cyberwell parse --text' shows).\n"
    "\n"
    "options:\n"
    "  --rubric PATH      rubric file (default rubric/gci2014.csv)\n"
    "  --format FMT       text (default), csv or json\n"
    "  --explain          show the sentence, its line and the cue behind\n"
    "                     every indicator (text only: csv and json always\n"
    "                     carry them)\n"
    "  --fail-under X     exit 6 when an overall score is below X (0..1),\n"
    "                     naming each such document on "
    "stderr\n" CLI_INPUT_OPTIONS_HELP;

#define DEFAULT_RUBRIC "rubric/gci2014.csv"

enum fmt { FMT_TEXT, FMT_CSV, FMT_JSON };

static const char *country_of(const struct doc *d)
{
    return d->title ? d->title : d->path;
}

static void print_text(const struct score_result *res, bool explain)
{
    const struct rubric *r = res->rubric;
    const struct doc *d = res->doc;
    printf("%s  (%s)\n", country_of(d), d->path);
    printf("rubric %s %s (%s)\n", r->name, r->version, r->path);
    printf("document sha256 %s\n", d->hash);
    printf("overall %.3f  (%g of %g points)  range %.3f-%.3f  coverage "
           "%zu of %zu indicators stated\n",
           res->overall, res->points, res->max_points, res->overall_min,
           res->overall_max, res->coverage, res->n_counted);
    printf("\n%-26s %6s %9s %s\n", "pillar", "score", "points", "stated");
    for (size_t p = 0; p < r->n_pillars; p++) {
        const struct score_pillar *sp = &res->pillars[p];
        char pts[32];
        snprintf(pts, sizeof pts, "%g/%g", sp->points, sp->max);
        printf("%-26s %6.2f %9s %zu/%zu%s\n", r->pillars[p].name, sp->score,
               pts, sp->n_stated, sp->n_indicators,
               r->pillars[p].in_overall ? "" : "  (not in overall)");
    }
    printf("\n%-8s %-34s %-10s %6s\n", "section", "indicator", "status",
           "points");
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        const struct score_indicator *si = &res->indicators[i];
        printf("%-8s %-34.34s %-10s %6g\n", ind->section, ind->name,
               cw_state_name(si->state), si->points);
        if (!explain)
            continue;
        if (si->evidence)
            printf("         line %u: \"%s\"\n", si->evidence->line,
                   si->evidence->text);
        if (si->cue)
            printf("         cue %s (%s, rubric line %u): %s\n", si->cue->id,
                   cw_state_name(si->cue->status), si->cue->line, si->reason);
        else
            printf("         %s\n", si->reason);
    }
    for (size_t i = 0; i < d->n_warnings; i++)
        printf("warning: %s:%u: %s\n", d->path, d->warnings[i].line,
               d->warnings[i].msg);
}

static void csv_header(struct csvio_writer *w)
{
    static const char *const cols[] = {
        "document",   "sha256", "country", "rubric", "rubric_version",
        "level",      "id",     "name",    "status", "points",
        "max_points", "score",  "line",    "cue",    "evidence"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        csvio_text(w, cols[i]);
    csvio_end_row(w);
}

static void csv_lead(struct csvio_writer *w, const struct score_result *res,
                     const char *level)
{
    csvio_text(w, res->doc->path);
    csvio_text(w, res->doc->hash);
    csvio_text(w, country_of(res->doc));
    csvio_text(w, res->rubric->name);
    csvio_text(w, res->rubric->version);
    csvio_text(w, level);
}

static void print_csv(struct csvio_writer *w, const struct score_result *res)
{
    const struct rubric *r = res->rubric;
    csv_lead(w, res, "overall");
    csvio_text(w, "overall");
    csvio_text(w, "Overall");
    csvio_empty(w);
    csvio_num(w, res->points, 2);
    csvio_num(w, res->max_points, 2);
    csvio_num(w, res->overall, 4);
    csvio_empty(w);
    csvio_empty(w);
    csvio_empty(w);
    csvio_end_row(w);
    for (size_t p = 0; p < r->n_pillars; p++) {
        csv_lead(w, res, "pillar");
        csvio_text(w, r->pillars[p].id);
        csvio_text(w, r->pillars[p].name);
        csvio_empty(w);
        csvio_num(w, res->pillars[p].points, 2);
        csvio_num(w, res->pillars[p].max, 2);
        csvio_num(w, res->pillars[p].score, 4);
        csvio_empty(w);
        csvio_empty(w);
        csvio_empty(w);
        csvio_end_row(w);
    }
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct score_indicator *si = &res->indicators[i];
        csv_lead(w, res, "indicator");
        csvio_text(w, r->indicators[i].id);
        csvio_text(w, r->indicators[i].name);
        csvio_text(w, cw_state_name(si->state));
        csvio_num(w, si->points, 2);
        csvio_num(w, r->max_points, 2);
        csvio_empty(w);
        if (si->evidence)
            csvio_int(w, si->evidence->line);
        else
            csvio_empty(w);
        csvio_text(w, si->cue ? si->cue->id : NULL);
        csvio_text(w, si->evidence ? si->evidence->text : NULL);
        csvio_end_row(w);
    }
}

static void print_json(const struct score_result *res, bool first)
{
    const struct rubric *r = res->rubric;
    const struct doc *d = res->doc;
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, first ? "" : ",\n");
    strbuf_adds(&sb, "{\"document\":");
    json_str(&sb, d->path);
    strbuf_adds(&sb, ",\"sha256\":");
    json_str(&sb, d->hash);
    strbuf_adds(&sb,
                d->is_pdf ? ",\"source\":\"pdf\"" : ",\"source\":\"text\"");
    strbuf_adds(&sb, ",\"encoding\":");
    decode_json(&d->encoding, &sb);
    strbuf_adds(&sb, ",\"country\":");
    json_str(&sb, d->title);
    strbuf_adds(&sb, ",\"rubric\":{\"name\":");
    json_str(&sb, r->name);
    strbuf_adds(&sb, ",\"version\":");
    json_str(&sb, r->version);
    strbuf_adds(&sb, ",\"sha256\":");
    json_str(&sb, r->hash);
    strbuf_adds(&sb, "},\"overall\":");
    json_num(&sb, res->overall, 4);
    strbuf_adds(&sb, ",\"points\":");
    json_num(&sb, res->points, 2);
    strbuf_adds(&sb, ",\"max_points\":");
    json_num(&sb, res->max_points, 2);
    strbuf_adds(&sb, ",\"range\":[");
    json_num(&sb, res->overall_min, 4);
    strbuf_addch(&sb, ',');
    json_num(&sb, res->overall_max, 4);
    strbuf_addf(&sb, "],\"coverage\":%zu,\"indicators_counted\":%zu",
                res->coverage, res->n_counted);
    strbuf_adds(&sb, ",\"pillars\":[");
    for (size_t p = 0; p < r->n_pillars; p++) {
        strbuf_adds(&sb, p ? ",{\"id\":" : "{\"id\":");
        json_str(&sb, r->pillars[p].id);
        strbuf_adds(&sb, ",\"name\":");
        json_str(&sb, r->pillars[p].name);
        strbuf_adds(&sb, ",\"score\":");
        json_num(&sb, res->pillars[p].score, 4);
        strbuf_adds(&sb, ",\"points\":");
        json_num(&sb, res->pillars[p].points, 2);
        strbuf_adds(&sb, ",\"max_points\":");
        json_num(&sb, res->pillars[p].max, 2);
        strbuf_addf(&sb, ",\"in_overall\":%s}",
                    r->pillars[p].in_overall ? "true" : "false");
    }
    strbuf_adds(&sb, "],\"indicators\":[");
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct score_indicator *si = &res->indicators[i];
        strbuf_adds(&sb, i ? ",{\"id\":" : "{\"id\":");
        json_str(&sb, r->indicators[i].id);
        strbuf_adds(&sb, ",\"section\":");
        json_str(&sb, r->indicators[i].section);
        strbuf_adds(&sb, ",\"pillar\":");
        json_str(&sb, r->pillars[r->indicators[i].pillar].id);
        strbuf_adds(&sb, ",\"status\":");
        json_str(&sb, cw_state_name(si->state));
        strbuf_adds(&sb, ",\"points\":");
        json_num(&sb, si->points, 2);
        strbuf_adds(&sb, ",\"evidence\":");
        json_str(&sb, si->evidence ? si->evidence->text : NULL);
        strbuf_adds(&sb, ",\"line\":");
        if (si->evidence)
            strbuf_addf(&sb, "%u", si->evidence->line);
        else
            strbuf_adds(&sb, "null");
        strbuf_adds(&sb, ",\"cue\":");
        json_str(&sb, si->cue ? si->cue->id : NULL);
        strbuf_adds(&sb, ",\"reason\":");
        json_str(&sb, si->reason);
        strbuf_addch(&sb, '}');
    }
    strbuf_adds(&sb, "]}");
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

int cmd_score(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"rubric", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'},
        {"explain", no_argument, NULL, 'e'},
        {"fail-under", required_argument, NULL, 'u'},
        CLI_INPUT_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    struct doc_read_opts ro = {NULL, true, NULL};
    const char *rubric_path = NULL;
    enum fmt fmt = FMT_TEXT;
    bool explain = false;
    double fail_under = -1;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        int in = cli_input_option("score", c, optarg, &ro);
        if (in < 0)
            return in;
        if (in)
            continue;
        switch (c) {
        case 'r':
            rubric_path = optarg;
            break;
        case 'f':
            if (!strcmp(optarg, "text"))
                fmt = FMT_TEXT;
            else if (!strcmp(optarg, "csv"))
                fmt = FMT_CSV;
            else if (!strcmp(optarg, "json"))
                fmt = FMT_JSON;
            else
                return cmd_usage_error("score", "unknown format '%s'", optarg);
            break;
        case 'e':
            explain = true;
            break;
        case 'u': {
            char *end;
            fail_under = strtod(optarg, &end);
            if (end == optarg || *end || !(fail_under >= 0 && fail_under <= 1))
                return cmd_usage_error(
                    "score", "--fail-under takes a number from 0 to 1");
            break;
        }
        case ':':
            return cmd_usage_error("score", "option '%s' needs an argument",
                                   argv[optind - 1]);
        default:
            return cmd_usage_error("score", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cmd_usage_error("score", "no profile given");
    if (explain && fmt != FMT_TEXT)
        return cmd_usage_error("score",
                               "--explain is for text output: csv and json "
                               "always carry the line, cue and evidence of "
                               "each indicator");

    char buf[4096];
    if (!rubric_path)
        rubric_path = cli_data_path(ctx, DEFAULT_RUBRIC, buf, sizeof buf);
    struct cw_errors *errs = calloc(1, sizeof *errs);
    if (!errs)
        return CW_ERR_IO;
    struct rubric *r = rubric_load(rubric_path, errs);
    if (!r) {
        cli_print_errors(errs);
        int code = errs->e[0].code;
        free(errs);
        return code;
    }
    free(errs);

    int status = CW_OK;
    bool below = false;
    struct csvio_writer w;
    csvio_writer_init(&w, stdout);
    if (fmt == FMT_CSV)
        csv_header(&w);
    if (fmt == FMT_JSON)
        fputs("[", stdout);
    bool first = true;
    for (int i = optind; i < argc; i++) {
        struct cw_error err;
        struct doc *d = doc_load_opts(argv[i], &ro, &err);
        if (!d) {
            cli_print_error(&err);
            if (!status)
                status = err.code;
            continue;
        }
        cli_print_decode_warning(d->path, &d->encoding);
        struct score_result res;
        score_document(r, d, &res);
        if (fmt == FMT_TEXT) {
            if (!first)
                fputc('\n', stdout);
            print_text(&res, explain);
        } else if (fmt == FMT_CSV) {
            print_csv(&w, &res);
        } else {
            print_json(&res, first);
        }
        first = false;
        if (fail_under >= 0 && res.overall < fail_under) {
            /* exit 6 is not an error, but it says why */
            struct strbuf sb = STRBUF_INIT;
            precision_score(&sb, res.overall, PRECISION_DEFAULT);
            fprintf(stderr,
                    "cyberwell: '%s' scores %s, below --fail-under %g\n",
                    d->path, sb.buf, fail_under);
            strbuf_release(&sb);
            below = true;
        }
        score_release(&res);
        doc_free(d);
    }
    if (fmt == FMT_JSON)
        fputs("]\n", stdout);
    rubric_free(r);
    if (!status && below)
        status = CW_STATUS_BELOW;
    return status;
}
