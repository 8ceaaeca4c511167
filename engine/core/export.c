/* Stored results as CSV files, from the read-side model. */
#include "core/export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/import.h"
#include "io/csvio.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include "util/banned.h"

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

const char *export_file_name(size_t i)
{
    return i < F_N ? file_names[i] : NULL;
}

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

/* The rubric and document identification every row starts with. */
static void lead(struct csvio_writer *w, const struct model *m,
                 const struct model_entry *e)
{
    csvio_text(w, model_rubric_name(m));
    csvio_text(w, model_rubric_version(m));
    csvio_text(w, e->iso3);
    csvio_text(w, e->country);
    csvio_text(w, e->sha256);
}

struct export
{
    struct outfile *f;
    size_t n_documents;
};

/* scores.csv, pillars.csv and indicators.csv rows of one document. */
static int export_doc(void *ctx, const struct model *m,
                      const struct model_entry *e, const struct store_score *sc,
                      struct cw_error *err)
{
    struct export *x = ctx;
    const struct rubric *r = model_rubric(m);
    const int dec = model_decimals(m);
    (void)err;
    x->n_documents++;

    struct csvio_writer *w = &x->f[F_SCORES].w;
    lead(w, m, e);
    csvio_text(w, model_rubric_sha256(m));
    csvio_text(w, e->title);
    csvio_text(w, e->path);
    csvio_text(w, e->edition_date);
    precision_csv(w, e->scores.overall, dec);
    csvio_num(w, e->scores.points, 2);
    csvio_num(w, e->scores.max_points, 2);
    precision_csv(w, e->scores.overall_min, dec);
    precision_csv(w, e->scores.overall_max, dec);
    csvio_int(w, (long long)e->scores.coverage);
    csvio_int(w, (long long)e->scores.n_counted);
    csvio_text(w, e->has_overrides ? "yes" : "no");
    precision_csv(w, sc->coverage ? sc->overall : NAN, dec);
    csvio_end_row(w);

    w = &x->f[F_PILLARS].w;
    for (size_t p = 0; p < r->n_pillars; p++) {
        size_t k, n;
        model_coverage(m, e, p, &k, &n);
        lead(w, m, e);
        csvio_text(w, r->pillars[p].id);
        csvio_text(w, r->pillars[p].name);
        csvio_int(w, r->pillars[p].in_overall);
        precision_csv(w, e->scores.pillars[p], dec);
        precision_csv(w, e->scores.pillar_min[p], dec);
        precision_csv(w, e->scores.pillar_max[p], dec);
        csvio_int(w, (long long)n);
        csvio_int(w, (long long)k);
        if (p < sc->n_pillars && sc->pillars[p].n_stated)
            precision_csv(w, sc->pillars[p].score, dec);
        else
            csvio_empty(w);
        csvio_end_row(w);
    }

    w = &x->f[F_INDICATORS].w;
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct store_indicator *si = model_indicator(m, sc, i);
        const struct store_override *o = e->overrides ? e->overrides[i] : NULL;
        lead(w, m, e);
        csvio_text(w, r->indicators[i].id);
        csvio_text(w, r->indicators[i].name);
        csvio_text(w, r->pillars[r->indicators[i].pillar].id);
        csvio_text(w, si->section);
        csvio_text(w, cw_state_name(e->states[i]));
        csvio_text(w, cw_state_name(e->computed[i]));
        csvio_num(w, r->points[e->states[i]], 2);
        csvio_num(w, r->indicators[i].weight, 4);
        if (si->line)
            csvio_int(w, si->line);
        else
            csvio_empty(w);
        csvio_text(w, si->cue);
        csvio_text(w, si->evidence);
        csvio_text(w, si->reason);
        csvio_text(w, o ? o->author : NULL);
        csvio_text(w, o ? o->date : NULL);
        csvio_text(w, o ? o->reason : NULL);
        csvio_end_row(w);
    }
    return CW_OK;
}

static void write_ranks(struct export *x, const struct model *m)
{
    struct csvio_writer *w = &x->f[F_RANKS].w;
    const int dec = model_decimals(m);
    size_t n_r, n_u;
    const size_t *ranked = model_ranked(m, &n_r);
    const size_t *unranked = model_unranked(m, &n_u);
    for (size_t k = 0; k < n_r + n_u; k++) {
        const struct model_entry *e =
            model_entry(m, k < n_r ? ranked[k] : unranked[k - n_r]);
        lead(w, m, e);
        csvio_text(w, compare_ties_name(model_ties(m)));
        csvio_int(w, dec);
        csvio_int(w, (long long)model_min_coverage(m));
        csvio_text(w, e->is_ranked ? "yes" : "no");
        if (e->is_ranked) {
            csvio_int(w, (long long)e->rank);
            csvio_int(w, (long long)e->rank_best);
            csvio_int(w, (long long)e->rank_worst);
        } else {
            csvio_empty(w);
            csvio_empty(w);
            csvio_empty(w);
        }
        precision_csv(w, e->scores.overall, dec);
        csvio_int(w, (long long)e->scores.coverage);
        csvio_int(w, (long long)e->scores.n_counted);
        csvio_text(w, e->has_overrides ? "yes" : "no");
        csvio_end_row(w);
    }
}

static void write_overrides(struct export *x, const struct model *m)
{
    struct csvio_writer *w = &x->f[F_OVERRIDES].w;
    const struct store_overrides *all = model_overrides(m);
    for (size_t k = 0; k < all->n; k++) {
        const struct store_override *o = &all->items[k];
        size_t i = 0;
        const struct model_entry *e = model_override_entry(m, o, &i);
        csvio_text(w, "override");
        csvio_text(w, o->iso3);
        csvio_text(w, o->indicator);
        csvio_text(w, o->status);
        csvio_text(w, o->reason);
        csvio_text(w, o->author);
        csvio_text(w, o->date);
        csvio_text(w, model_rubric_name(m));
        csvio_text(w, model_rubric_version(m));
        csvio_text(w, e ? e->sha256 : NULL);
        csvio_text(w, e ? cw_state_name(e->computed[i]) : NULL);
        csvio_text(w, e && e->overrides[i] == o ? "yes" : "no");
        csvio_text(w, o->source_file);
        csvio_int(w, o->source_line);
        csvio_text(w, o->imported_at);
        csvio_end_row(w);
    }
}

/* Published figures are data, not computed: written as read. */
static void num(struct csvio_writer *w, double v, int decimals)
{
    if (isnan(v))
        csvio_empty(w);
    else
        csvio_num(w, v, decimals);
}

static void write_reference(struct export *x, const struct model *m,
                            const struct store_references *refs)
{
    struct csvio_writer *w = &x->f[F_REFERENCE].w;
    const char *edition = model_edition(m);
    const int dec = model_decimals(m);
    for (size_t i = 0; i < refs->n; i++) {
        const struct store_reference *r = &refs->items[i];
        long k = model_find(m, r->iso3);
        const struct model_entry *e =
            k >= 0 && edition && !strcmp(r->edition, edition)
                ? model_entry(m, (size_t)k)
                : NULL;
        csvio_text(w, "reference");
        csvio_text(w, r->edition);
        csvio_text(w, r->iso3);
        csvio_text(w, r->country);
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
        csvio_text(w, model_rubric_name(m));
        csvio_text(w, model_rubric_version(m));
        csvio_text(w, e ? "yes" : "no");
        csvio_text(w, e ? e->sha256 : NULL);
        precision_csv(w, e ? e->scores.overall : NAN, dec);
        if (e)
            csvio_int(w, (long long)e->scores.coverage);
        else
            csvio_empty(w);
        csvio_text(w, e ? (e->is_ranked ? "yes" : "no") : NULL);
        csvio_end_row(w);
    }
}

static void write_headers(struct export *x)
{
    static const char *const scores[] = {
        "rubric",       "rubric_version",  "iso3",     "country",
        "sha256",       "rubric_sha256",   "title",    "document",
        "edition_date", "overall",         "points",   "max_points",
        "overall_min",  "overall_max",     "coverage", "indicators_counted",
        "overridden",   "overall_computed"};
    static const char *const pillars[] = {
        "rubric", "rubric_version", "iso3",      "country",
        "sha256", "pillar",         "name",      "in_overall",
        "score",  "score_min",      "score_max", "indicators",
        "stated", "score_computed"};
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
                                             "computed_status",
                                             "points",
                                             "weight",
                                             "line",
                                             "cue",
                                             "evidence",
                                             "reason",
                                             "override_author",
                                             "override_date",
                                             "override_reason"};
    static const char *const ranks[] = {
        "rubric",    "rubric_version", "iso3",
        "country",   "sha256",         "ties",
        "decimals",  "min_coverage",   "ranked",
        "rank",      "rank_best",      "rank_worst",
        "overall",   "coverage",       "indicators_counted",
        "overridden"};
    /* overrides.csv and reference.csv start with the import columns. */
    static const char *const overrides[] = {
        "rubric",  "rubric_version", "sha256",      "computed_status",
        "applied", "source_file",    "source_line", "imported_at"};
    static const char *const reference[] = {
        "rubric",           "rubric_version", "compared", "sha256",
        "computed_overall", "coverage",       "ranked"};
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

/* Data rows of dir/scores.csv as a previous export left it (0 when there
 * is none or it cannot be read). */
static size_t previous_documents(const char *dir)
{
    struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
    struct cw_error e;
    size_t n = 0;
    strbuf_addf(&path, "%s/%s", dir, file_names[F_SCORES]);
    if (!fileio_read(path.buf, (size_t)1 << 30, &data, &e))
        for (size_t i = 0; i < data.len; i++)
            n += data.buf[i] == '\n';
    strbuf_release(&path);
    strbuf_release(&data);
    return n > 0 ? n - 1 : 0; /* less the header */
}

/*
 * An export that found no document: a damaged database can look empty
 * (a table's root page turned into an empty leaf), so check it; and never
 * replace an export that holds documents with an empty one without being
 * told (issue 15, D16).
 */
static int check_empty_export(struct store *s, const char *dir,
                              const char *rubric, struct cw_error *err)
{
    int status = store_check(s, err);
    if (status)
        return status;
    size_t n_prev = previous_documents(dir);
    if (n_prev == 0)
        return CW_OK;
    return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                     "no documents to export under %s from '%s': not "
                     "replacing the %zu document%s exported in '%s' with "
                     "none (remove that folder first to export nothing)",
                     rubric, store_path(s), n_prev, n_prev == 1 ? "" : "s",
                     dir);
}

int export_csv(struct store *s, const struct model_opts *o, const char *dir,
               struct export_summary *out, struct cw_error *err)
{
    struct outfile files[F_N];
    memset(files, 0, sizeof files);
    memset(out, 0, sizeof *out);
    struct export x = {files, 0};
    struct model *m = NULL;
    struct store_references refs = {0};
    struct model_opts mo = *o;
    mo.has_evidence = true;
    int status = fileio_mkdirs(dir, err);
    for (size_t i = 0; !status && i < F_N; i++)
        status = outfile_open(&files[i], dir, file_names[i], err);
    if (status)
        goto out;
    write_headers(&x);
    m = model_load(s, &mo, export_doc, &x, err);
    if (!m) {
        status = err->code;
        goto out;
    }
    status = store_references_get(s, NULL, NULL, &refs, err);
    if (status)
        goto out;
    if (x.n_documents == 0) {
        status = check_empty_export(s, dir, model_rubric_label(m), err);
        if (status)
            goto out;
    }
    write_ranks(&x, m);
    write_overrides(&x, m);
    write_reference(&x, m, &refs);
    /* Every file complete before any is renamed: a full disk leaves the
     * previous export whole, not a mix. */
    for (size_t i = 0; !status && i < F_N; i++)
        status = outfile_flush(&files[i], err);
    for (size_t i = 0; !status && i < F_N; i++)
        status = outfile_close(&files[i], true, err);
    if (!status) {
        out->n_documents = x.n_documents;
        snprintf(out->rubric, sizeof out->rubric, "%s", model_rubric_label(m));
    }
out:
    for (size_t i = 0; i < F_N; i++)
        outfile_close(&files[i], false, NULL);
    store_references_release(&refs);
    model_free(m);
    return status;
}
