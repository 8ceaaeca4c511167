/* cyberwell export --csv DIR: stored results as CSV files. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "cli/exitcode.h"
#include "core/import.h"
#include "core/ingest.h"
#include "io/csvio.h"
#include "store/store.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include "util/banned.h"

const char usage_export[] =
    "usage: cyberwell export --csv DIR [options]\n"
    "\n"
    "Write the stored results as RFC 4180 CSV files (UTF-8, a header\n"
    "row, one row per fact) into DIR, created if needed:\n"
    "  scores.csv      overall score, points, range and coverage\n"
    "  pillars.csv     pillar scores\n"
    "  indicators.csv  indicator statuses with their evidence sentence\n"
    "  ranks.csv       dense (1,2,2,3) and competition (1,2,2,4) ranks\n"
    "  overrides.csv   analyst overrides and the computed status beside\n"
    "  reference.csv   published reference scores beside computed ones\n"
    "Every row carries the rubric name and version and the document's\n"
    "SHA-256. Cells a spreadsheet would run (starting with = + - @, tab\n"
    "or CR) get a leading '. Each file is replaced atomically.\n"
    "\n"
    "options:\n"
    "  --csv DIR         output folder\n"
    "  --rubric NAME         rubric name (default: the first registered)\n"
    "  --rubric-version V    that version of it (default: the newest)\n"
    "  --as-of DATE          each country's latest document dated no\n"
    "                        later than DATE (YYYY, YYYY-MM, YYYY-MM-DD)\n"
    "  --all-versions        every stored document, not only each\n"
    "                        country's latest\n";

enum {
    F_SCORES,
    F_PILLARS,
    F_INDICATORS,
    F_RANKS,
    F_OVERRIDES,
    F_REFERENCE,
    F_N
};

static const char *const file_names[F_N] = {"scores.csv",     "pillars.csv",
                                            "indicators.csv", "ranks.csv",
                                            "overrides.csv",  "reference.csv"};

/* A CSV file written to a temporary name and renamed when complete. */
struct outfile {
    char *path; /* owned: final name */
    char *tmp;  /* owned: temporary name */
    FILE *fp;
    struct csvio_writer w;
};

static int outfile_open(struct outfile *o, const char *dir, const char *name,
                        struct cw_error *err)
{
    size_t n = strlen(dir) + strlen(name) + 16;
    o->path = xmalloc(n);
    snprintf(o->path, n, "%s/%s", dir, name);
    struct strbuf tmp = STRBUF_INIT;
    int fd = fileio_tmp_create(dir, name, &tmp, err); /* cleans stale ones */
    o->tmp = strbuf_detach(&tmp, NULL);
    if (fd < 0)
        return CW_ERR_IO;
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        close(fd);
        unlink(o->tmp);
        return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot write '%s': %s",
                         o->path, strerror(errno));
    }
    csvio_writer_init(&o->w, o->fp);
    return CW_OK;
}

/* Write out what is buffered and sync it, keeping the temporary name. */
static int outfile_flush(struct outfile *o, struct cw_error *err)
{
    if (csvio_writer_status(&o->w) == CW_OK && fflush(o->fp) == 0 &&
        fsync(fileno(o->fp)) == 0)
        return CW_OK;
    return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot write '%s': %s",
                     o->path, strerror(errno));
}

/* Finish (keep = rename into place) or abandon the file. */
static int outfile_close(struct outfile *o, bool keep, struct cw_error *err)
{
    int status = CW_OK;
    if (o->fp) {
        bool ok = csvio_writer_status(&o->w) == CW_OK && fflush(o->fp) == 0 &&
                  fsync(fileno(o->fp)) == 0;
        int e = errno;
        if (fclose(o->fp) != 0 && ok) {
            ok = false;
            e = errno;
        }
        o->fp = NULL;
        if (keep && !ok)
            status = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                               "cannot write '%s': %s", o->path, strerror(e));
        if (keep && ok && rename(o->tmp, o->path) != 0)
            status = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                               "cannot rename into '%s': %s", o->path,
                               strerror(errno));
        if (!keep || status)
            unlink(o->tmp);
    }
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    return status;
}

/* Header cells, without ending the row. */
static void header_cells(struct csvio_writer *w, const char *const *cols,
                         size_t n)
{
    for (size_t i = 0; i < n; i++)
        csvio_text(w, cols[i]);
}

static void header(struct csvio_writer *w, const char *const *cols, size_t n)
{
    header_cells(w, cols, n);
    csvio_end_row(w);
}

#define HEADER(w, cols) header((w), (cols), sizeof(cols) / sizeof *(cols))

/* Number of a computed figure; NAN gives an empty cell. */
static void num(struct csvio_writer *w, double v, int decimals)
{
    if (isnan(v))
        csvio_empty(w);
    else
        csvio_num(w, v, decimals);
}

struct rank_item {
    char iso3[4];
    char *country;
    char sha256[65];
    double overall;
    double overall_overridden;
};

struct export
{
    struct outfile *f;
    const struct ingest_overrides *ov; /* borrowed */
    char **ov_status;  /* owned, per override: computed status or NULL */
    char(*ov_sha)[65]; /* owned, per override: the document it applied to */
    struct rank_item *ranks;
    size_t n_ranks, cap_ranks;
};

/* The rubric and document identification every row starts with. */
static void lead(struct csvio_writer *w, const struct store_scores *h,
                 const struct store_score *sc)
{
    csvio_text(w, h->rubric_name);
    csvio_text(w, h->rubric_version);
    csvio_text(w, sc->iso3);
    csvio_text(w, sc->country);
    csvio_text(w, sc->sha256);
}

static int export_one(void *ctx, const struct store_scores *h,
                      struct store_score *sc, struct cw_error *err)
{
    struct export *x = ctx;
    (void)err;
    ingest_overrides_apply(x->ov, sc);

    struct csvio_writer *w = &x->f[F_SCORES].w;
    lead(w, h, sc);
    csvio_text(w, h->rubric_sha256);
    csvio_text(w, sc->title);
    csvio_text(w, sc->path);
    csvio_text(w, sc->edition_date);
    num(w, sc->overall, 4);
    num(w, sc->points, 2);
    num(w, sc->max_points, 2);
    num(w, sc->overall_min, 4);
    num(w, sc->overall_max, 4);
    csvio_int(w, sc->coverage);
    csvio_int(w, sc->n_counted);
    num(w, sc->overall_overridden, 4);
    csvio_end_row(w);

    w = &x->f[F_PILLARS].w;
    for (size_t p = 0; p < sc->n_pillars; p++) {
        const struct store_pillar *sp = &sc->pillars[p];
        lead(w, h, sc);
        csvio_text(w, sp->id);
        csvio_text(w, sp->name);
        csvio_int(w, sp->in_overall);
        num(w, sp->score, 4);
        num(w, sp->points, 2);
        num(w, sp->max_points, 2);
        num(w, sp->score_min, 4);
        num(w, sp->score_max, 4);
        csvio_int(w, sp->n_indicators);
        csvio_int(w, sp->n_stated);
        num(w, sp->score_overridden, 4);
        csvio_end_row(w);
    }

    w = &x->f[F_INDICATORS].w;
    for (size_t i = 0; i < sc->n_indicators; i++) {
        const struct store_indicator *si = &sc->indicators[i];
        const struct store_override *o = si->override;
        lead(w, h, sc);
        csvio_text(w, si->id);
        csvio_text(w, si->name);
        csvio_text(w, si->pillar);
        csvio_text(w, si->section);
        csvio_text(w, si->status);
        num(w, si->points, 2);
        num(w, si->weight, 4);
        if (si->line)
            csvio_int(w, si->line);
        else
            csvio_empty(w);
        csvio_text(w, si->cue);
        csvio_text(w, si->evidence);
        csvio_text(w, si->reason);
        csvio_text(w, o ? o->status : NULL);
        csvio_text(w, o ? o->author : NULL);
        csvio_text(w, o ? o->date : NULL);
        csvio_text(w, o ? o->reason : NULL);
        csvio_end_row(w);
    }

    /* Remember the computed status beside each applied override. */
    const struct store_overrides *all = ingest_overrides_list(x->ov);
    for (size_t i = 0; i < sc->n_indicators; i++) {
        const struct store_override *o = sc->indicators[i].override;
        if (!o)
            continue;
        size_t k = (size_t)(o - all->items);
        free(x->ov_status[k]);
        x->ov_status[k] = xstrdup(sc->indicators[i].status);
        memcpy(x->ov_sha[k], sc->sha256, sizeof x->ov_sha[k]);
    }

    CW_GROW(x->ranks, x->n_ranks + 1, x->cap_ranks);
    struct rank_item *r = &x->ranks[x->n_ranks++];
    memcpy(r->iso3, sc->iso3, sizeof r->iso3);
    r->country = xstrdup(sc->country);
    memcpy(r->sha256, sc->sha256, sizeof r->sha256);
    r->overall = sc->overall;
    r->overall_overridden = sc->overall_overridden;
    return CW_OK;
}

static int cmp_rank(const void *a, const void *b)
{
    const struct rank_item *x = a, *y = b;
    if (x->overall > y->overall)
        return -1;
    if (x->overall < y->overall)
        return 1;
    return strcmp(x->iso3, y->iso3);
}

/* Scores within this distance share a rank (they print the same). */
#define RANK_EPS 1e-9

static void write_ranks(struct export *x, const char *rubric,
                        const char *version)
{
    struct csvio_writer *w = &x->f[F_RANKS].w;
    qsort(x->ranks, x->n_ranks, sizeof *x->ranks, cmp_rank);
    long dense = 0, competition = 0;
    for (size_t i = 0; i < x->n_ranks; i++) {
        const struct rank_item *r = &x->ranks[i];
        if (i == 0 || fabs(r->overall - x->ranks[i - 1].overall) > RANK_EPS) {
            dense++;
            competition = (long)i + 1;
        }
        csvio_text(w, rubric);
        csvio_text(w, version);
        csvio_text(w, r->iso3);
        csvio_text(w, r->country);
        csvio_text(w, r->sha256);
        num(w, r->overall, 4);
        csvio_int(w, dense);
        csvio_int(w, competition);
        num(w, r->overall_overridden, 4);
        csvio_end_row(w);
    }
}

static void write_reference(struct export *x,
                            const struct store_references *refs,
                            const char *rubric, const char *version)
{
    struct csvio_writer *w = &x->f[F_REFERENCE].w;
    for (size_t i = 0; i < refs->n; i++) {
        const struct store_reference *r = &refs->items[i];
        const struct rank_item *mine = NULL;
        for (size_t k = 0; k < x->n_ranks && !mine; k++)
            if (!strcmp(x->ranks[k].iso3, r->iso3))
                mine = &x->ranks[k];
        csvio_text(w, "reference");
        csvio_text(w, r->edition);
        csvio_text(w, r->iso3);
        csvio_text(w, r->country);
        /* Published figures are data, not computed: written as numbers. */
        num(w, r->overall, 6);
        num(w, r->rank, 0);
        csvio_text(w, r->tier);
        num(w, r->legal, 6);
        num(w, r->technical, 6);
        num(w, r->organizational, 6);
        num(w, r->capacity_building, 6);
        num(w, r->cooperation, 6);
        num(w, r->scale, 0);
        csvio_text(w, r->rank_method);
        csvio_text(w, r->source_url);
        csvio_text(w, rubric);
        csvio_text(w, version);
        csvio_text(w, mine ? mine->sha256 : NULL);
        if (mine)
            num(w, mine->overall, 4);
        else
            csvio_empty(w);
        csvio_end_row(w);
    }
}

static void write_overrides(struct export *x, const char *rubric,
                            const char *version)
{
    struct csvio_writer *w = &x->f[F_OVERRIDES].w;
    const struct store_overrides *all = ingest_overrides_list(x->ov);
    for (size_t k = 0; k < all->n; k++) {
        const struct store_override *o = &all->items[k];
        /* An older override of the same indicator shows the same
         * document and computed status as the one applied. */
        size_t at = k;
        for (size_t j = 0; j < all->n; j++)
            if (x->ov_status[j] && !strcmp(all->items[j].iso3, o->iso3) &&
                !strcmp(all->items[j].indicator, o->indicator))
                at = j;
        bool applied = x->ov_status[at] != NULL;
        csvio_text(w, "override");
        csvio_text(w, o->iso3);
        csvio_text(w, o->indicator);
        csvio_text(w, o->status);
        csvio_text(w, o->reason);
        csvio_text(w, o->author);
        csvio_text(w, o->date);
        csvio_text(w, rubric);
        csvio_text(w, version);
        csvio_text(w, applied ? x->ov_sha[at] : NULL);
        csvio_text(w, applied ? x->ov_status[at] : NULL);
        csvio_text(w, o->source_file);
        csvio_int(w, o->source_line);
        csvio_text(w, o->imported_at);
        csvio_end_row(w);
    }
}

static void write_headers(struct export *x)
{
    static const char *const scores[] = {"rubric",
                                         "rubric_version",
                                         "iso3",
                                         "country",
                                         "sha256",
                                         "rubric_sha256",
                                         "title",
                                         "document",
                                         "edition_date",
                                         "overall",
                                         "points",
                                         "max_points",
                                         "overall_min",
                                         "overall_max",
                                         "coverage",
                                         "indicators_counted",
                                         "overall_with_overrides"};
    static const char *const pillars[] = {
        "rubric",    "rubric_version", "iso3",       "country",
        "sha256",    "pillar",         "name",       "in_overall",
        "score",     "points",         "max_points", "score_min",
        "score_max", "indicators",     "stated",     "score_with_overrides"};
    static const char *const indicators[] = {"rubric",
                                             "rubric_version",
                                             "iso3",
                                             "country",
                                             "sha256",
                                             "indicator",
                                             "name",
                                             "pillar",
                                             "section",
                                             "status",
                                             "points",
                                             "weight",
                                             "line",
                                             "cue",
                                             "evidence",
                                             "reason",
                                             "override_status",
                                             "override_author",
                                             "override_date",
                                             "override_reason"};
    static const char *const ranks[] = {
        "rubric",     "rubric_version",   "iso3",
        "country",    "sha256",           "overall",
        "rank_dense", "rank_competition", "overall_with_overrides"};
    /* overrides.csv and reference.csv start with the import columns. */
    static const char *const overrides[] = {
        "rubric",      "rubric_version", "sha256",     "computed_status",
        "source_file", "source_line",    "imported_at"};
    static const char *const reference[] = {"rubric", "rubric_version",
                                            "sha256", "computed_overall"};
    HEADER(&x->f[F_SCORES].w, scores);
    HEADER(&x->f[F_PILLARS].w, pillars);
    HEADER(&x->f[F_INDICATORS].w, indicators);
    HEADER(&x->f[F_RANKS].w, ranks);
    size_t n;
    const char *const *cols = import_columns(IMPORT_OVERRIDES, &n);
    header_cells(&x->f[F_OVERRIDES].w, cols, n);
    HEADER(&x->f[F_OVERRIDES].w, overrides);
    cols = import_columns(IMPORT_REFERENCE, &n);
    header_cells(&x->f[F_REFERENCE].w, cols, n);
    HEADER(&x->f[F_REFERENCE].w, reference);
}

int cmd_export(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"csv", required_argument, NULL, 'c'},
        {"rubric", required_argument, NULL, 'r'},
        {"rubric-version", required_argument, NULL, 'V'},
        {"as-of", required_argument, NULL, 'o'},
        {"all-versions", no_argument, NULL, 'a'},
        {NULL, 0, NULL, 0}};
    struct store_query q = STORE_QUERY_INIT;
    const char *dir = NULL;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            dir = optarg;
            break;
        case 'r':
            q.rubric = optarg;
            break;
        case 'V':
            q.version = optarg;
            break;
        case 'o':
            if (cli_check_date("export", "--as-of", optarg))
                return CW_ERR_USAGE;
            q.as_of = optarg;
            break;
        case 'a':
            q.is_all_versions = true;
            break;
        case ':':
            return cmd_usage_error("export", "option '%s' needs an argument",
                                   argv[optind - 1]);
        default:
            return cmd_usage_error("export", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error("export", "unexpected argument '%s'",
                               argv[optind]);
    if (!dir)
        return cmd_usage_error("export", "no --csv DIR given");

    struct cw_error err;
    struct outfile files[F_N];
    memset(files, 0, sizeof files);
    struct export x = {files, NULL, NULL, NULL, NULL, 0, 0};
    struct ingest_overrides *ov = NULL;
    struct store_references refs = {0};
    struct store_rubric rub = {0};
    int status = CW_OK;
    if (!cmputil_store(ctx, &status)) /* read-only, after the options */
        return status;
    status = fileio_mkdirs(dir, &err);
    if (!status)
        status = store_rubric_find(ctx->store, q.rubric, q.version, &rub, &err);
    if (!status) {
        ov = ingest_overrides_new(ctx->store, rub.id, &err);
        if (!ov)
            status = err.code;
    }
    if (!status)
        status = store_references_get(ctx->store, NULL, NULL, &refs, &err);
    for (size_t i = 0; !status && i < F_N; i++)
        status = outfile_open(&files[i], dir, file_names[i], &err);
    if (status)
        goto out;
    x.ov = ov;
    size_t n_ov = ingest_overrides_list(ov)->n;
    x.ov_status = xcalloc(n_ov + 1, sizeof *x.ov_status);
    x.ov_sha = xcalloc(n_ov + 1, sizeof *x.ov_sha);
    write_headers(&x);
    status = store_scores_each(ctx->store, &q, export_one, &x, &err);
    if (status)
        goto out;
    write_ranks(&x, rub.name, rub.version);
    write_overrides(&x, rub.name, rub.version);
    write_reference(&x, &refs, rub.name, rub.version);
    /* Every file complete before any is renamed: a full disk leaves the
     * previous export whole, not a mix. */
    for (size_t i = 0; !status && i < F_N; i++)
        status = outfile_flush(&files[i], &err);
    for (size_t i = 0; !status && i < F_N; i++)
        status = outfile_close(&files[i], true, &err);
    if (!status)
        printf("exported %zu documents under %s %s to %s/{%s,%s,%s,%s,%s,%s}\n",
               x.n_ranks, rub.name, rub.version, dir, file_names[0],
               file_names[1], file_names[2], file_names[3], file_names[4],
               file_names[5]);
out:
    if (status)
        cli_print_error(&err);
    for (size_t i = 0; i < F_N; i++)
        outfile_close(&files[i], false, NULL);
    for (size_t i = 0; i < x.n_ranks; i++)
        free(x.ranks[i].country);
    free(x.ranks);
    if (x.ov_status)
        for (size_t i = 0; i < ingest_overrides_list(ov)->n; i++)
            free(x.ov_status[i]);
    free(x.ov_status);
    free(x.ov_sha);
    store_references_release(&refs);
    store_rubric_release(&rub);
    ingest_overrides_free(ov);
    return status;
}
