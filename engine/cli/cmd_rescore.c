/* cyberwell rescore: score stored documents again, without re-parsing,
 * and report what changed (core/rediff.h). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "cli/exitcode.h"
#include "core/ingest.h"
#include "core/precision.h"
#include "core/rediff.h"
#include "io/csvio.h"
#include "store/store.h"
#include "util/json.h"
#include "util/xalloc.h"

#include "util/banned.h"

const char usage_rescore[] =
    "usage: cyberwell rescore [--rubric PATH]... [--variant] [--format FMT]\n"
    "\n"
    "Score every stored document again from its stored text, parsed\n"
    "again (no file is re-read; a document stored before schema 2 is\n"
    "read from its stored sections and sentences), then report what\n"
    "changed. With --rubric, under that rubric file only, registering\n"
    "it when its content is new and making it the current registration\n"
    "of its name (what read commands use without --rubric-version), so\n"
    "rescoring with an earlier file brings its results back; without,\n"
    "under the current registration of every registered rubric name.\n"
    "Earlier results of the same registration are replaced; results of\n"
    "other registrations are kept.\n"
    "\n"
    "A rubric is identified by its content (SHA-256): a file whose name\n"
    "and version are registered with other content is refused (exit 3);\n"
    "bump its 'meta,version', or give --variant to register it as\n"
    "version VERSION+HASH (its first 12 hex digits).\n"
    "\n"
    "What changed compares each country's latest document under the\n"
    "rubric of that name that was current before the run with the\n"
    "rubric rescored under: computed statuses per indicator, overall\n"
    "and pillar scores (overrides applied, as rank shows them) and\n"
    "ranks. Text gives a summary line then one block per country that\n"
    "changed; csv one row per change (kind status, pillar, overall,\n"
    "rank or new); json the same as objects.\n"
    "\n"
    "options:\n"
    "  --rubric PATH   rubric file to score under (repeatable)\n"
    "  --variant       register a changed rubric whose name and version\n"
    "                  are taken as a variant instead of refusing it\n"
    "  --format FMT    text (default), csv or json\n"
    "  --batch N       documents per commit (default 500)\n"
    "  -q, --quiet     print nothing on success\n";

/* The model of each rubric name before the run, to compare with. */
struct before {
    char **names;          /* owned */
    struct model **models; /* owned; NULL when it did not load */
    size_t n;
};

static void before_release(struct before *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->names[i]);
        model_free(b->models[i]);
    }
    free(b->names);
    free(b->models);
}

/* Load the current model of every registered rubric name. */
static int before_load(struct store *s, struct before *b, struct cw_error *err)
{
    struct store_rubrics all;
    int status = store_rubrics_get(s, &all, err);
    if (status)
        return status;
    b->names = xcalloc(all.n + 1, sizeof *b->names);
    b->models = xcalloc(all.n + 1, sizeof(struct model *));
    for (size_t i = 0; i < all.n && !status; i++) {
        bool is_seen = false;
        for (size_t k = 0; k < b->n && !is_seen; k++)
            is_seen = !strcmp(b->names[k], all.items[i].name);
        if (is_seen)
            continue;
        struct model_opts o = MODEL_OPTS_INIT;
        o.rubric = all.items[i].name;
        b->names[b->n] = xstrdup(all.items[i].name);
        /* A stored rubric that no longer loads has nothing to compare
         * with: the rescore itself says why. */
        b->models[b->n++] = model_load(s, &o, NULL, NULL, err);
    }
    store_rubrics_release(&all);
    return status;
}

static const struct model *before_find(const struct before *b, const char *name)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->names[i], name))
            return b->models[i];
    return NULL;
}

/* "3" or "-" (not ranked). */
static void rank_text(size_t rank, struct strbuf *out)
{
    if (rank)
        strbuf_addf(out, "%zu", rank);
    else
        strbuf_adds(out, "-");
}

static const char *state_text(enum cw_state s)
{
    return s == CW_N_STATES ? "-" : cw_state_name(s);
}

static const char *measure_id(const struct rubric *r, size_t m)
{
    return m == r->n_pillars ? "overall" : r->pillars[m].id;
}

/* "0.529 -> 0.618 (+0.089)". */
static void score_change_text(const struct rediff_score *sc, int dec,
                              struct strbuf *out)
{
    precision_score(out, sc->before, dec);
    strbuf_adds(out, " -> ");
    precision_score(out, sc->after, dec);
    strbuf_adds(out, " (");
    precision_diff(out, sc->after, sc->before, dec);
    strbuf_adds(out, ")");
}

static void print_text(const struct rediff *d, size_t n_docs)
{
    const struct model *ma = d->after;
    const struct rubric *r = model_rubric(ma);
    int dec = model_decimals(ma);
    struct strbuf sb = STRBUF_INIT;
    printf("rescored %zu document%s under %s", n_docs, n_docs == 1 ? "" : "s",
           model_rubric_label(ma));
    if (d->before)
        printf(" (compared with %s)\n", model_rubric_label(d->before));
    else
        printf(" (nothing scored under '%s' before)\n", r->name);
    if (!d->n_countries) {
        printf("no change in statuses, scores or ranks (%zu countr%s "
               "compared)\n",
               d->n_compared, d->n_compared == 1 ? "y" : "ies");
        strbuf_release(&sb);
        return;
    }
    printf("changed: %zu status%s, %zu overall score%s, %zu rank move%s; "
           "%zu of %zu countr%s changed",
           d->n_statuses, d->n_statuses == 1 ? "" : "es", d->n_score_changes,
           d->n_score_changes == 1 ? "" : "s", d->n_rank_moves,
           d->n_rank_moves == 1 ? "" : "s", d->n_countries, d->n_compared,
           d->n_compared == 1 ? "y" : "ies");
    if (d->n_new)
        printf(" (%zu new)", d->n_new);
    printf("\n");
    for (size_t k = 0; k < d->n_countries; k++) {
        const struct rediff_country *c = &d->countries[k];
        printf("%s %s:%s", c->entry->iso3, c->entry->country,
               c->before ? "" : " new");
        for (size_t j = 0; j < c->n_scores; j++) {
            const struct rediff_score *sc = &c->scores[j];
            if (sc->measure != r->n_pillars)
                continue;
            strbuf_reset(&sb);
            score_change_text(sc, dec, &sb);
            printf(" overall %s", sb.buf);
        }
        if (rediff_rank_moved(c)) {
            strbuf_reset(&sb);
            rank_text(c->rank_before, &sb);
            strbuf_adds(&sb, " -> ");
            rank_text(c->rank_after, &sb);
            printf(" rank %s", sb.buf);
        }
        printf("\n");
        for (size_t j = 0; j < c->n_statuses; j++) {
            const struct rediff_status *st = &c->statuses[j];
            const struct rubric_indicator *ind = &r->indicators[st->indicator];
            printf("  %s %s: %s -> %s", ind->id, ind->name,
                   state_text(st->before), cw_state_name(st->after));
            if (st->override_to)
                printf(" (overridden: %s)", st->override_to);
            printf("\n");
        }
        for (size_t j = 0; j < c->n_scores; j++) {
            const struct rediff_score *sc = &c->scores[j];
            if (sc->measure == r->n_pillars)
                continue;
            strbuf_reset(&sb);
            score_change_text(sc, dec, &sb);
            printf("  pillar %s: %s\n", r->pillars[sc->measure].id, sb.buf);
        }
    }
    strbuf_release(&sb);
}

static const char *const csv_head[] = {
    "rubric",        "rubric_version", "rubric_sha256", "before_version",
    "before_sha256", "iso3",           "country",       "kind",
    "item",          "before",         "after",         "change"};

/* The first cells of a CSV row: the rubric, the one before, the country
 * and the kind and item. */
static void csv_lead(struct csvio_writer *w, const struct rediff *d,
                     const struct rediff_country *c, const char *kind,
                     const char *item)
{
    csvio_text(w, model_rubric_name(d->after));
    csvio_text(w, model_rubric_version(d->after));
    csvio_text(w, model_rubric_sha256(d->after));
    csvio_text(w, d->before ? model_rubric_version(d->before) : "");
    csvio_text(w, d->before ? model_rubric_sha256(d->before) : "");
    csvio_text(w, c->entry->iso3);
    csvio_text(w, c->entry->country);
    csvio_text(w, kind);
    csvio_text(w, item);
}

static void csv_rank(struct csvio_writer *w, size_t rank)
{
    if (rank)
        csvio_int(w, (long long)rank);
    else
        csvio_empty(w);
}

static void print_csv(struct csvio_writer *w, const struct rediff *d)
{
    const struct rubric *r = model_rubric(d->after);
    int dec = model_decimals(d->after);
    for (size_t k = 0; k < d->n_countries; k++) {
        const struct rediff_country *c = &d->countries[k];
        if (!c->before) {
            csv_lead(w, d, c, "new", "");
            csvio_empty(w);
            csvio_empty(w);
            csvio_empty(w);
            csvio_end_row(w);
        }
        for (size_t j = 0; j < c->n_statuses; j++) {
            const struct rediff_status *st = &c->statuses[j];
            csv_lead(w, d, c, "status", r->indicators[st->indicator].id);
            csvio_text(
                w, st->before == CW_N_STATES ? "" : cw_state_name(st->before));
            csvio_text(w, cw_state_name(st->after));
            csvio_text(w, st->override_to ? st->override_to : "");
            csvio_end_row(w);
        }
        for (size_t j = 0; j < c->n_scores; j++) {
            const struct rediff_score *sc = &c->scores[j];
            csv_lead(w, d, c,
                     sc->measure == r->n_pillars ? "overall" : "pillar",
                     measure_id(r, sc->measure));
            precision_csv(w, sc->before, dec);
            precision_csv(w, sc->after, dec);
            precision_csv(w, precision_difference(sc->after, sc->before, dec),
                          dec);
            csvio_end_row(w);
        }
        if (rediff_rank_moved(c)) {
            csv_lead(w, d, c, "rank", "");
            csv_rank(w, c->rank_before);
            csv_rank(w, c->rank_after);
            if (c->rank_before && c->rank_after)
                csvio_int(w,
                          (long long)c->rank_before - (long long)c->rank_after);
            else
                csvio_empty(w);
            csvio_end_row(w);
        }
    }
}

static void json_rank(struct strbuf *out, size_t rank)
{
    if (rank)
        strbuf_addf(out, "%zu", rank);
    else
        strbuf_adds(out, "null");
}

static void print_json(struct strbuf *out, const struct rediff *d,
                       size_t n_docs)
{
    const struct rubric *r = model_rubric(d->after);
    int dec = model_decimals(d->after);
    strbuf_addf(out, "{\"documents\":%zu,\"rubric\":", n_docs);
    cmputil_json_rubric_id(d->after, out);
    strbuf_adds(out, ",\"before\":");
    if (d->before)
        cmputil_json_rubric_id(d->before, out);
    else
        strbuf_adds(out, "null");
    strbuf_addf(out,
                ",\"decimals\":%d,\"compared\":%zu,\"new\":%zu,"
                "\"status_changes\":%zu,\"score_changes\":%zu,"
                "\"rank_moves\":%zu,\"countries\":[",
                dec, d->n_compared, d->n_new, d->n_statuses, d->n_score_changes,
                d->n_rank_moves);
    for (size_t k = 0; k < d->n_countries; k++) {
        const struct rediff_country *c = &d->countries[k];
        strbuf_adds(out, k ? ",{\"iso3\":" : "{\"iso3\":");
        json_str(out, c->entry->iso3);
        strbuf_adds(out, ",\"country\":");
        json_str(out, c->entry->country);
        strbuf_addf(out, ",\"new\":%s,\"rank\":{\"before\":",
                    c->before ? "false" : "true");
        json_rank(out, c->rank_before);
        strbuf_adds(out, ",\"after\":");
        json_rank(out, c->rank_after);
        strbuf_adds(out, "},\"statuses\":[");
        for (size_t j = 0; j < c->n_statuses; j++) {
            const struct rediff_status *st = &c->statuses[j];
            strbuf_adds(out, j ? ",{\"indicator\":" : "{\"indicator\":");
            json_str(out, r->indicators[st->indicator].id);
            strbuf_adds(out, ",\"before\":");
            if (st->before == CW_N_STATES)
                strbuf_adds(out, "null");
            else
                json_str(out, cw_state_name(st->before));
            strbuf_adds(out, ",\"after\":");
            json_str(out, cw_state_name(st->after));
            strbuf_adds(out, ",\"override\":");
            if (st->override_to)
                json_str(out, st->override_to);
            else
                strbuf_adds(out, "null");
            strbuf_adds(out, "}");
        }
        strbuf_adds(out, "],\"scores\":[");
        for (size_t j = 0; j < c->n_scores; j++) {
            const struct rediff_score *sc = &c->scores[j];
            strbuf_adds(out, j ? ",{\"measure\":" : "{\"measure\":");
            json_str(out, measure_id(r, sc->measure));
            strbuf_adds(out, ",\"before\":");
            precision_json(out, sc->before, dec);
            strbuf_adds(out, ",\"after\":");
            precision_json(out, sc->after, dec);
            strbuf_adds(out, ",\"change\":");
            precision_json(
                out, precision_difference(sc->after, sc->before, dec), dec);
            strbuf_adds(out, "}");
        }
        strbuf_adds(out, "]}");
    }
    strbuf_adds(out, "]}");
}

/* Compare and print the session rubrics' results with before. */
static int report(struct cw_ctx *ctx, struct ingest *in, const struct before *b,
                  enum cmputil_format format, size_t n_docs)
{
    struct csvio_writer w;
    struct strbuf json = STRBUF_INIT;
    struct cw_error err;
    int status = CW_OK;
    if (format == CMPUTIL_CSV) {
        csvio_writer_init(&w, stdout);
        for (size_t i = 0; i < sizeof csv_head / sizeof *csv_head; i++)
            csvio_text(&w, csv_head[i]);
        csvio_end_row(&w);
    }
    strbuf_adds(&json, "[");
    for (size_t k = 0; k < ingest_n_rubrics(in) && !status; k++) {
        const char *name, *version, *sha;
        ingest_rubric_info(in, k, &name, &version, &sha);
        struct model_opts o = MODEL_OPTS_INIT;
        o.rubric = name;
        o.version = version;
        struct model *after = model_load(ctx->store, &o, NULL, NULL, &err);
        if (!after) {
            cli_print_error(&err);
            status = err.code;
            break;
        }
        struct rediff d;
        rediff_build(before_find(b, name), after, &d);
        if (format == CMPUTIL_TEXT) {
            print_text(&d, n_docs);
        } else if (format == CMPUTIL_CSV) {
            print_csv(&w, &d);
        } else {
            if (k)
                strbuf_adds(&json, ",");
            print_json(&json, &d, n_docs);
        }
        rediff_release(&d);
        model_free(after);
    }
    if (!status && format == CMPUTIL_JSON)
        printf("%s]\n", json.buf);
    if (!status && format == CMPUTIL_CSV)
        status = csvio_writer_status(&w);
    strbuf_release(&json);
    return status;
}

int cmd_rescore(int argc, char **argv, struct cw_ctx *ctx)
{
    enum { OPT_VARIANT = 'V' };
    static const struct option opts[] = {
        {"rubric", required_argument, NULL, 'r'},
        {"variant", no_argument, NULL, OPT_VARIANT},
        CMPUTIL_FORMAT_OPTION,
        {"batch", required_argument, NULL, 'b'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0}};
    const char **rubrics = xcalloc((size_t)argc + 1, sizeof *rubrics);
    size_t n_rubrics = 0, batch = 0;
    bool quiet = false, is_variant_ok = false;
    struct cmputil_opts o = CMPUTIL_OPTS_INIT;
    struct ingest *in = NULL;
    struct cw_errors *errs = NULL;
    struct cw_error err;
    struct before before = {0};
    int64_t *ids = NULL;
    size_t n_ids = 0;
    int status = CW_OK;
    int c;
    while ((c = getopt_long(argc, argv, ":q", opts, NULL)) != -1) {
        int shared = cmputil_option("rescore", c, optarg, &o);
        if (shared < 0) {
            status = shared;
            goto out;
        }
        if (shared)
            continue;
        switch (c) {
        case 'r':
            rubrics[n_rubrics++] = optarg;
            break;
        case OPT_VARIANT:
            is_variant_ok = true;
            break;
        case 'b':
            status = cli_parse_batch("rescore", optarg, &batch);
            if (status)
                goto out;
            break;
        case 'q':
            quiet = true;
            break;
        case ':':
            status = cmd_usage_error("rescore", "option '%s' needs an argument",
                                     argv[optind - 1]);
            goto out;
        default:
            status = cmd_usage_error("rescore", "unknown option '%s'",
                                     argv[optind - 1]);
            goto out;
        }
    }
    if (optind < argc) {
        status = cmd_usage_error("rescore", "unexpected argument '%s'",
                                 argv[optind]);
        goto out;
    }
    if (!quiet) {
        status = before_load(ctx->store, &before, &err);
        if (status) {
            cli_print_error(&err);
            goto out;
        }
    }
    in = ingest_new(ctx->store, batch, n_rubrics ? INGEST_NO_STORED_RUBRICS : 0,
                    &err);
    if (!in) {
        cli_print_error(&err);
        status = err.code;
        goto out;
    }
    ingest_allow_variants(in, is_variant_ok);
    errs = xcalloc(1, sizeof *errs);
    for (size_t i = 0; i < n_rubrics; i++) {
        bool is_new = false;
        size_t at = 0;
        errs->n = errs->n_dropped = 0;
        status = ingest_add_rubric(in, rubrics[i], &is_new, &at, errs);
        if (status) {
            cli_print_errors(errs);
            goto out;
        }
        const char *name, *version, *sha;
        ingest_rubric_info(in, at, &name, &version, &sha);
        if (!quiet && is_new) {
            struct strbuf label = STRBUF_INIT;
            model_label_of(name, version, sha, &label);
            /* csv and json keep stdout for the answer */
            fprintf(o.format == CMPUTIL_TEXT ? stdout : stderr,
                    "registered rubric %s from %s\n", label.buf, rubrics[i]);
            strbuf_release(&label);
        }
    }
    if (ingest_n_rubrics(in) == 0) {
        err.code = 0;
        status = cw_errorf(&err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                           "no rubric registered in '%s' (run 'cyberwell "
                           "ingest' first, or give --rubric)",
                           store_path(ctx->store));
        cli_print_error(&err);
        goto out;
    }
    status = store_doc_ids(ctx->store, &ids, &n_ids, &err);
    if (status) {
        cli_print_error(&err);
        goto out;
    }
    status = ingest_rescore_all(in, ids, n_ids, &err);
    if (status) {
        cli_print_error(&err);
        goto out;
    }
    status = ingest_commit(in, &err);
    if (status) {
        cli_print_error(&err);
        goto out;
    }
    if (!quiet)
        status = report(ctx, in, &before, o.format, n_ids);
out:
    before_release(&before);
    free(ids);
    ingest_free(in);
    free(errs);
    free(rubrics);
    return status;
}
