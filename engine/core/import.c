/* Importing overrides and reference scores from CSV: check all, then store. */
#include "core/import.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/ingest.h"
#include "core/rubric.h"
#include "io/csvio.h"
#include "util/fileio.h"
#include "util/isodate.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

#define IMPORT_MAX_ROWS 1000000

static const char *const override_cols[] = {
    "kind", "iso3", "indicator", "status", "reason", "author", "date"};
#define N_OVERRIDE_COLS (sizeof override_cols / sizeof *override_cols)

static const char *const reference_cols[] = {"kind",
                                             "edition",
                                             "iso3",
                                             "country",
                                             "overall",
                                             "rank",
                                             "tier",
                                             "legal",
                                             "technical",
                                             "organizational",
                                             "capacity_building",
                                             "cooperation",
                                             "scale",
                                             "rank_method",
                                             "source_url"};
#define N_REFERENCE_COLS (sizeof reference_cols / sizeof *reference_cols)

static const char *const profile_cols[] = {
    "kind",         "iso3",           "country",    "section", "status", "line",
    "profile_date", "profile_sha256", "source_url", "origin",  "note"};
#define N_PROFILE_COLS (sizeof profile_cols / sizeof *profile_cols)
/* Columns of profile_cols by position. */
enum {
    PC_ISO3 = 1,
    PC_COUNTRY,
    PC_SECTION,
    PC_STATUS,
    PC_LINE,
    PC_DATE,
    PC_SHA256,
    PC_URL,
    PC_ORIGIN,
    PC_NOTE
};
/* A deciding line above this is no profile's. */
#define IMPORT_MAX_LINE 10000000L

struct row {
    char **f; /* owned fields */
    size_t n;
    unsigned line;
};

struct reader {
    const char *path;
    bool has_header;
    enum import_kind kind;
    size_t n_cols; /* fields in the header: the known ones, maybe more */
    struct row *rows;
    size_t n_rows, cap_rows;
};

const char *const *import_columns(enum import_kind k, size_t *n)
{
    if (k == IMPORT_OVERRIDES) {
        *n = N_OVERRIDE_COLS;
        return override_cols;
    }
    if (k == IMPORT_PROFILES) {
        *n = N_PROFILE_COLS;
        return profile_cols;
    }
    *n = N_REFERENCE_COLS;
    return reference_cols;
}

const char *import_kind_name(enum import_kind k, size_t n)
{
    bool one = n == 1;
    switch (k) {
    case IMPORT_OVERRIDES:
        return one ? "override" : "overrides";
    case IMPORT_REFERENCE:
        return one ? "reference score" : "reference scores";
    case IMPORT_PROFILES:
        return one ? "reference profile" : "reference profiles";
    }
    return "?";
}

/* The header starts with cols (extra columns, as export adds, are kept
 * but not read). */
static bool header_is(char **f, size_t n, const char *const *cols,
                      size_t n_cols)
{
    if (n < n_cols)
        return false;
    for (size_t i = 0; i < n_cols; i++)
        if (strcmp(f[i], cols[i]) != 0)
            return false;
    return true;
}

static int on_row(void *ctx, char **f, size_t n, unsigned line,
                  struct cw_error *err)
{
    struct reader *r = ctx;
    if (!r->has_header) {
        r->has_header = true;
        if (header_is(f, n, override_cols, N_OVERRIDE_COLS))
            r->kind = IMPORT_OVERRIDES;
        else if (header_is(f, n, reference_cols, N_REFERENCE_COLS))
            r->kind = IMPORT_REFERENCE;
        else if (header_is(f, n, profile_cols, N_PROFILE_COLS))
            r->kind = IMPORT_PROFILES;
        else
            return cw_errorf(err, CW_ERR_PARSE,
                             (struct cw_loc){r->path, line, 1},
                             "unrecognised header: expected overrides "
                             "(kind,iso3,indicator,status,reason,author,date), "
                             "reference scores (kind,edition,iso3,country,"
                             "overall,rank,...) or reference profiles "
                             "(kind,iso3,country,section,status,line,...)");
        r->n_cols = n;
        return CW_OK;
    }
    if (r->n_rows >= IMPORT_MAX_ROWS)
        return cw_errorf(err, CW_ERR_LIMIT, (struct cw_loc){r->path, line, 1},
                         "more than %d rows", IMPORT_MAX_ROWS);
    CW_GROW(r->rows, r->n_rows + 1, r->cap_rows);
    struct row *row = &r->rows[r->n_rows++];
    row->f = xcalloc(n ? n : 1, sizeof *row->f);
    row->n = n;
    row->line = line;
    for (size_t i = 0; i < n; i++)
        row->f[i] = xstrdup(f[i]);
    return CW_OK;
}

static void reader_release(struct reader *r)
{
    for (size_t i = 0; i < r->n_rows; i++) {
        for (size_t k = 0; k < r->rows[i].n; k++)
            free(r->rows[i].f[k]);
        free(r->rows[i].f);
    }
    free(r->rows);
}

/* Record one error at a row's column. */
static void bad(struct cw_errors *errs, const char *path, unsigned line,
                unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void bad(struct cw_errors *errs, const char *path, unsigned line,
                unsigned col, const char *fmt, ...)
{
    struct cw_error e;
    va_list ap;
    va_start(ap, fmt);
    cw_verrorf(&e, CW_ERR_PARSE, (struct cw_loc){path, line, col}, fmt, ap);
    va_end(ap);
    cw_errors_add(errs, &e);
}

/* A number cell: empty gives NAN; else must parse whole and be finite. */
static bool parse_num(const char *s, double *out)
{
    if (!*s) {
        *out = NAN;
        return true;
    }
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Add the indicator ids of r to ids, or with sections their section
 * numbers (an indicator without one: its id). */
static void add_indicators(const struct rubric *r, bool sections, char ***ids,
                           size_t *n, size_t *cap)
{
    for (size_t k = 0; k < r->n_indicators; k++) {
        const struct rubric_indicator *ind = &r->indicators[k];
        CW_GROW(*ids, *n + 1, *cap);
        (*ids)[(*n)++] =
            xstrdup(sections && ind->section ? ind->section : ind->id);
    }
}

/* Indicator ids (or section numbers) of every registered rubric (fills
 * ids; NULL-free). */
static int rubric_indicators(struct store *s, bool sections, char ***ids,
                             size_t *n, struct cw_error *err)
{
    struct store_rubrics all;
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    int status = store_rubrics_get(s, &all, err);
    if (status)
        return status;
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    for (size_t i = 0; i < all.n; i++) {
        errs->n = errs->n_dropped = 0;
        struct rubric *r = rubric_parse(all.items[i].path, all.items[i].content,
                                        all.items[i].content_len, errs);
        if (!r)
            continue;
        add_indicators(r, sections, ids, n, &cap);
        rubric_free(r);
    }
    free(errs);
    store_rubrics_release(&all);
    return CW_OK;
}

static bool in_list(char **l, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i], s))
            return true;
    return false;
}

static bool known_country(const struct store_countries *c, const char *iso3)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->items[i].iso3, iso3))
            return true;
    return false;
}

/* The field count and kind column of a row; false when the count is
 * wrong (the row's other fields are then not checked). */
static bool check_row_head(const struct reader *r, const struct row *row,
                           const char *kind, struct cw_errors *errs)
{
    if (row->n != r->n_cols) {
        bad(errs, r->path, row->line, (unsigned)row->n + 1,
            "expected %zu fields, found %zu", r->n_cols, row->n);
        return false;
    }
    if (strcmp(row->f[0], kind) != 0)
        bad(errs, r->path, row->line, 1, "kind is '%s', expected '%s'",
            row->f[0], kind);
    return true;
}

static void check_overrides(struct reader *r, const struct store_countries *c,
                            char **ids, size_t n_ids, struct cw_errors *errs)
{
    for (size_t i = 0; i < r->n_rows; i++) {
        struct row *row = &r->rows[i];
        const char *p = r->path;
        unsigned ln = row->line;
        if (!check_row_head(r, row, "override", errs))
            continue;
        char **f = row->f;
        char iso3[4];
        if (!country_iso3_norm(f[1], iso3))
            bad(errs, p, ln, 2, "'%s' is not an ISO 3166 alpha-3 code", f[1]);
        else if (!known_country(c, iso3))
            bad(errs, p, ln, 2,
                "unknown country '%s' (not in data/countries.csv)", iso3);
        else
            memcpy(f[1], iso3, 4);
        if (!f[2][0])
            bad(errs, p, ln, 3, "empty indicator");
        else if (n_ids && !in_list(ids, n_ids, f[2]))
            bad(errs, p, ln, 3,
                "unknown indicator '%s' (in no registered rubric)", f[2]);
        enum cw_state st;
        for (char *q = f[3]; *q; q++)
            if (*q >= 'A' && *q <= 'Z')
                *q = (char)(*q - 'A' + 'a');
        if (!cw_state_parse(f[3], &st) || st == CW_UNSTATED)
            bad(errs, p, ln, 4,
                "status '%s' is not one of present, partial, absent, "
                "unknown",
                f[3]);
        else {
            free(f[3]);
            f[3] = xstrdup(cw_state_name(st));
        }
        if (!f[4][0])
            bad(errs, p, ln, 5,
                "empty reason: say why the status is overridden");
        if (!f[5][0])
            bad(errs, p, ln, 6, "empty author");
        struct cw_error de;
        if (isodate_parse(f[6], ISODATE_DAY, NULL, (struct cw_loc){p, ln, 7},
                          &de))
            cw_errors_add(errs, &de);
    }
}

static void check_reference(struct reader *r, struct cw_errors *errs)
{
    for (size_t i = 0; i < r->n_rows; i++) {
        struct row *row = &r->rows[i];
        const char *p = r->path;
        unsigned ln = row->line;
        if (!check_row_head(r, row, "reference", errs))
            continue;
        char **f = row->f;
        size_t el = strlen(f[1]);
        bool year = el == 4;
        for (size_t k = 0; year && k < 4; k++)
            year = f[1][k] >= '0' && f[1][k] <= '9';
        if (!year)
            bad(errs, p, ln, 2, "edition '%s' is not a year", f[1]);
        char iso3[4];
        if (!country_iso3_norm(f[2], iso3))
            bad(errs, p, ln, 3, "'%s' is not an ISO 3166 alpha-3 code", f[2]);
        else
            memcpy(f[2], iso3, 4);
        if (!f[3][0])
            bad(errs, p, ln, 4, "empty country name");
        double v[N_REFERENCE_COLS];
        for (size_t k = 0; k < N_REFERENCE_COLS; k++)
            v[k] = NAN;
        static const size_t num_cols[] = {4, 5, 7, 8, 9, 10, 11, 12};
        for (size_t k = 0; k < sizeof num_cols / sizeof *num_cols; k++) {
            size_t col = num_cols[k];
            if (!parse_num(f[col], &v[col]))
                bad(errs, p, ln, (unsigned)col + 1, "%s '%s' is not a number",
                    reference_cols[col], f[col]);
            else if (!isnan(v[col]) && v[col] < 0)
                bad(errs, p, ln, (unsigned)col + 1, "%s '%s' is negative",
                    reference_cols[col], f[col]);
        }
        /* (a negative rank is reported once, above) */
        if (f[5][0] && !isnan(v[5]) && v[5] >= 0 &&
            (v[5] < 1 || v[5] != floor(v[5])))
            bad(errs, p, ln, 6, "rank '%s' is not a whole number from 1", f[5]);
        if (f[12][0] && !isnan(v[12]) && v[12] == 0) /* <0: above */
            bad(errs, p, ln, 13, "scale '%s' must be above 0", f[12]);
        if (f[4][0] && f[12][0] && !isnan(v[4]) && !isnan(v[12]) && v[12] > 0 &&
            v[4] > v[12])
            bad(errs, p, ln, 5, "overall '%s' exceeds the scale %s", f[4],
                f[12]);
        if (!f[4][0] && !f[5][0] && !f[6][0])
            bad(errs, p, ln, 5,
                "no overall score, rank or tier: nothing to import");
        if (f[13][0] && strcmp(f[13], "dense") != 0 &&
            strcmp(f[13], "competition") != 0 && strcmp(f[13], "tier") != 0)
            bad(errs, p, ln, 14,
                "rank_method '%s' is not dense, competition or tier", f[13]);
        /* the same edition and country twice */
        for (size_t j = 0; j < i; j++)
            if (r->rows[j].n == r->n_cols && !strcmp(r->rows[j].f[1], f[1]) &&
                !strcmp(r->rows[j].f[2], f[2])) {
                bad(errs, p, ln, 3,
                    "edition %s of '%s' is already on an "
                    "earlier line",
                    f[1], f[2]);
                break;
            }
    }
}

/* The six fields of a stored override in the order of an import row's
 * fields 1 to 6, for comparing the two. */
static void override_fields(const struct store_override *o, const char *f[6])
{
    f[0] = o->iso3;
    f[1] = o->indicator;
    f[2] = o->status;
    f[3] = o->reason;
    f[4] = o->author;
    f[5] = o->date;
}

static int cmp_fields(const char *const *a, const char *const *b)
{
    for (size_t i = 0; i < 6; i++) {
        int c = strcmp(a[i], b[i]);
        if (c)
            return c;
    }
    return 0;
}

static int cmp_override(const void *a, const void *b)
{
    const char *fa[6], *fb[6];
    override_fields(*(const struct store_override *const *)a, fa);
    override_fields(*(const struct store_override *const *)b, fb);
    return cmp_fields(fa, fb);
}

/* A row (fields 1 to 6) as the key of a bsearch among sorted overrides. */
static int cmp_row_override(const void *key, const void *elem)
{
    const char *fo[6];
    override_fields(*(const struct store_override *const *)elem, fo);
    return cmp_fields(key, fo);
}

static int write_rows(struct store *s, struct reader *r,
                      struct import_summary *out, struct cw_error *err)
{
    int status = CW_OK;
    struct store_overrides existing = {0};
    /* The stored overrides sorted, so that each row is looked up in log
     * time (a linear scan per row made re-importing 100k overrides take
     * minutes: issue 15, D17). */
    const struct store_override **sorted = NULL;
    if (r->kind == IMPORT_OVERRIDES) {
        status = store_overrides_get(s, NULL, &existing, err);
        if (status)
            return status;
        sorted = xcalloc(existing.n + 1, sizeof(const struct store_override *));
        for (size_t k = 0; k < existing.n; k++)
            sorted[k] = &existing.items[k];
        if (existing.n)
            qsort(sorted, existing.n, sizeof(const struct store_override *),
                  cmp_override);
    }
    for (size_t i = 0; !status && i < r->n_rows; i++) {
        char **f = r->rows[i].f;
        if (r->kind == IMPORT_OVERRIDES) {
            bool dup =
                existing.n && bsearch(f + 1, sorted, existing.n,
                                      sizeof(const struct store_override *),
                                      cmp_row_override);
            if (dup) {
                out->n_existing++;
                continue;
            }
            struct store_override_in o = {f[1], f[2], f[3],    f[4],
                                          f[5], f[6], r->path, r->rows[i].line};
            status = store_override_add(s, &o, err);
        } else {
            double v[N_REFERENCE_COLS];
            for (size_t k = 0; k < N_REFERENCE_COLS; k++)
                v[k] = NAN;
            static const size_t num_cols[] = {4, 5, 7, 8, 9, 10, 11, 12};
            for (size_t k = 0; k < sizeof num_cols / sizeof *num_cols; k++)
                parse_num(f[num_cols[k]], &v[num_cols[k]]);
            struct store_reference_in ref = {.edition = f[1],
                                             .iso3 = f[2],
                                             .country = f[3],
                                             .overall = v[4],
                                             .rank = v[5],
                                             .tier = f[6],
                                             .legal = v[7],
                                             .technical = v[8],
                                             .organizational = v[9],
                                             .capacity_building = v[10],
                                             .cooperation = v[11],
                                             .scale = v[12],
                                             .rank_method = f[13],
                                             .source_url = f[14]};
            status = store_reference_put(s, &ref, err);
        }
        if (!status)
            out->n_stored++;
    }
    free(sorted);
    store_overrides_release(&existing);
    return status;
}

/* ---- reference profiles ------------------------------------------------ */

static bool is_hex64(const char *h)
{
    size_t i = 0;
    for (; h[i]; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
            return false;
    return i == SHA256_HEX_LEN;
}

/* A deciding line: empty (0) or a whole number from 1. */
static bool parse_line(const char *f, unsigned *out)
{
    *out = 0;
    if (!*f)
        return true;
    long v = 0;
    for (const char *q = f; *q; q++) {
        if (*q < '0' || *q > '9')
            return false;
        v = v * 10 + (*q - '0');
        if (v > IMPORT_MAX_LINE)
            return false;
    }
    if (v < 1)
        return false;
    *out = (unsigned)v;
    return true;
}

static const char *const origins[] = {"read", "corrected", "disputed",
                                      "held-back"};

/* The first earlier row (index) of the same country, or i itself. */
static size_t first_of_country(const struct reader *r, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (r->rows[j].n == r->n_cols &&
            !strcmp(r->rows[j].f[PC_ISO3], r->rows[i].f[PC_ISO3]))
            return j;
    return i;
}

static void check_profiles(struct reader *r, const struct store_countries *c,
                           char **secs, size_t n_secs, struct cw_errors *errs)
{
    for (size_t i = 0; i < r->n_rows; i++) {
        struct row *row = &r->rows[i];
        const char *p = r->path;
        unsigned ln = row->line;
        if (!check_row_head(r, row, "profile", errs))
            continue;
        char **f = row->f;
        char iso3[4];
        if (!country_iso3_norm(f[PC_ISO3], iso3))
            bad(errs, p, ln, PC_ISO3 + 1,
                "'%s' is not an ISO 3166 alpha-3 code", f[PC_ISO3]);
        else if (!known_country(c, iso3))
            bad(errs, p, ln, PC_ISO3 + 1,
                "unknown country '%s' (not in data/countries.csv)", iso3);
        else
            memcpy(f[PC_ISO3], iso3, 4);
        if (!f[PC_COUNTRY][0])
            bad(errs, p, ln, PC_COUNTRY + 1, "empty country name");
        if (!f[PC_SECTION][0])
            bad(errs, p, ln, PC_SECTION + 1, "empty section");
        else if (n_secs && !in_list(secs, n_secs, f[PC_SECTION]))
            bad(errs, p, ln, PC_SECTION + 1,
                "unknown section '%s' (in no registered rubric)",
                f[PC_SECTION]);
        enum cw_state st = CW_UNKNOWN;
        bool has_state = cw_state_parse(f[PC_STATUS], &st);
        if (!has_state)
            bad(errs, p, ln, PC_STATUS + 1,
                "status '%s' is not one of present, partial, absent, "
                "unknown, not stated",
                f[PC_STATUS]);
        else {
            free(f[PC_STATUS]);
            f[PC_STATUS] = xstrdup(cw_state_name(st));
        }
        unsigned line;
        if (!parse_line(f[PC_LINE], &line))
            bad(errs, p, ln, PC_LINE + 1,
                "line '%s' is not a whole number from 1 to %ld", f[PC_LINE],
                IMPORT_MAX_LINE);
        else if (line && has_state && st == CW_UNSTATED)
            bad(errs, p, ln, PC_LINE + 1,
                "line '%s' given for a section that is not stated", f[PC_LINE]);
        struct cw_error de;
        if (isodate_parse(f[PC_DATE], ISODATE_ANY, NULL,
                          (struct cw_loc){p, ln, PC_DATE + 1}, &de))
            cw_errors_add(errs, &de);
        if (!is_hex64(f[PC_SHA256]))
            bad(errs, p, ln, PC_SHA256 + 1,
                "profile_sha256 '%s' is not 64 lower-case hex digits",
                f[PC_SHA256]);
        if (!f[PC_URL][0])
            bad(errs, p, ln, PC_URL + 1, "empty source_url");
        bool known_origin = false;
        for (size_t k = 0; k < sizeof origins / sizeof *origins; k++)
            known_origin |= !strcmp(f[PC_ORIGIN], origins[k]);
        if (!known_origin)
            bad(errs, p, ln, PC_ORIGIN + 1,
                "origin '%s' is not one of read, corrected, disputed, "
                "held-back",
                f[PC_ORIGIN]);
        else if (strcmp(f[PC_ORIGIN], "read") != 0 && !f[PC_NOTE][0] &&
                 strcmp(f[PC_ORIGIN], "held-back") != 0)
            bad(errs, p, ln, PC_NOTE + 1,
                "empty note: say why the status is %s", f[PC_ORIGIN]);
        /* One profile per country: the same date, hash and source. */
        size_t first = first_of_country(r, i);
        if (first != i) {
            char **g = r->rows[first].f;
            static const int same[] = {PC_DATE, PC_SHA256, PC_URL};
            for (size_t k = 0; k < sizeof same / sizeof *same; k++)
                if (strcmp(f[same[k]], g[same[k]]) != 0)
                    bad(errs, p, ln, (unsigned)same[k] + 1,
                        "%s '%s' differs from line %u of the same country",
                        profile_cols[same[k]], f[same[k]], r->rows[first].line);
        }
        for (size_t j = first; j < i; j++)
            if (r->rows[j].n == r->n_cols &&
                !strcmp(r->rows[j].f[PC_ISO3], f[PC_ISO3]) &&
                !strcmp(r->rows[j].f[PC_SECTION], f[PC_SECTION])) {
                bad(errs, p, ln, PC_SECTION + 1,
                    "section %s of '%s' is already on line %u", f[PC_SECTION],
                    f[PC_ISO3], r->rows[j].line);
                break;
            }
    }
}

/* Note a replaced country in out->replaced. */
static void note_replaced(struct import_summary *out, const char *iso3)
{
    size_t len = strlen(out->replaced);
    if (len + 8 >= sizeof out->replaced) {
        if (len + 4 < sizeof out->replaced && !strstr(out->replaced, "..."))
            snprintf(out->replaced + len, sizeof out->replaced - len, " ...");
        return;
    }
    snprintf(out->replaced + len, sizeof out->replaced - len, "%s%s",
             len ? " " : "", iso3);
}

/* Store one country's rows rows[from..] (those of its iso3). */
static int write_country(struct ingest *in, const struct reader *r, size_t from,
                         struct import_summary *out, struct cw_error *err)
{
    char **g = r->rows[from].f;
    struct store_ref_section *secs = NULL;
    size_t n = 0, cap = 0;
    struct strbuf key_text = STRBUF_INIT;
    for (size_t i = from; i < r->n_rows; i++) {
        char **f = r->rows[i].f;
        if (strcmp(f[PC_ISO3], g[PC_ISO3]) != 0)
            continue;
        unsigned line = 0;
        parse_line(f[PC_LINE], &line);
        CW_GROW(secs, n + 1, cap);
        secs[n++] = (struct store_ref_section){f[PC_SECTION], f[PC_STATUS],
                                               line, f[PC_ORIGIN], f[PC_NOTE]};
        /* The identity of the assessment: every field but the kind. */
        for (size_t k = PC_ISO3; k <= PC_NOTE; k++) {
            strbuf_adds(&key_text, f[k]);
            strbuf_addch(&key_text, k == PC_NOTE ? '\n' : '\x1f');
        }
    }
    char key[SHA256_HEX_LEN + 1];
    sha256_hex(key_text.buf, key_text.len, key);
    struct ingest_ref ref = {.iso3 = g[PC_ISO3],
                             .key = key,
                             .profile_sha256 = g[PC_SHA256],
                             .path = g[PC_URL],
                             .edition_date = g[PC_DATE],
                             .sections = secs,
                             .n_sections = n};
    enum ingest_outcome o = INGEST_UNCHANGED;
    int status = ingest_reference(in, &ref, &o, err);
    if (!status && o == INGEST_UNCHANGED)
        out->n_existing++;
    else if (!status) {
        out->n_stored++;
        if (o == INGEST_NEW_VERSION) {
            out->n_replaced++;
            note_replaced(out, g[PC_ISO3]);
        }
    }
    free(secs);
    strbuf_release(&key_text);
    return status;
}

/* Store every country's assessment in one transaction. */
static int write_profiles(struct store *s, const struct reader *r,
                          const struct import_opts *o,
                          struct import_summary *out, struct cw_errors *errs)
{
    struct cw_error e;
    struct ingest *in = ingest_new(s, r->n_rows + 1, 0, &e);
    if (!in) {
        cw_errors_add(errs, &e);
        return e.code;
    }
    int status = store_begin(s, &e);
    if (status) {
        cw_errors_add(errs, &e);
        ingest_free(in);
        return status;
    }
    if (ingest_n_rubrics(in) == 0 && o && o->default_rubric) {
        status = ingest_add_rubric(in, o->default_rubric, NULL, NULL, errs);
        if (status)
            goto out;
    }
    for (size_t i = 0; !status && i < r->n_rows; i++)
        if (first_of_country(r, i) == i)
            status = write_country(in, r, i, out, &e);
    if (!status)
        status = ingest_commit(in, &e);
    if (status)
        cw_errors_add(errs, &e);
out:
    if (status) {
        store_rollback(s);
        out->n_stored = out->n_existing = out->n_replaced = 0;
        out->replaced[0] = '\0';
    }
    ingest_free(in);
    return status;
}

/* Section numbers of the registered rubrics, else of the rubric file
 * default_rubric (may be NULL: then none, and sections are not checked). */
static int profile_sections(struct store *s, const char *default_rubric,
                            char ***secs, size_t *n, struct cw_errors *errs)
{
    struct cw_error e;
    int status = rubric_indicators(s, true, secs, n, &e);
    if (status) {
        cw_errors_add(errs, &e);
        return status;
    }
    if (*n || !default_rubric)
        return CW_OK;
    struct strbuf data = STRBUF_INIT;
    status = fileio_read(default_rubric, (size_t)RUBRIC_MAX_BYTES, &data, &e);
    if (status) {
        cw_errors_add(errs, &e);
    } else {
        struct rubric *r =
            rubric_parse(default_rubric, data.buf, data.len, errs);
        size_t cap = 0;
        if (r)
            add_indicators(r, true, secs, n, &cap);
        else
            status = errs->n ? errs->e[0].code : CW_ERR_PARSE;
        rubric_free(r);
    }
    strbuf_release(&data);
    return status;
}

int import_csv(struct store *s, const char *path, struct import_summary *out,
               struct cw_errors *errs)
{
    return import_csv_opts(s, path, NULL, out, errs);
}

int import_csv_opts(struct store *s, const char *path,
                    const struct import_opts *o, struct import_summary *out,
                    struct cw_errors *errs)
{
    struct reader r = {path, false, IMPORT_OVERRIDES, 0, NULL, 0, 0};
    struct store_countries countries = {0};
    char **ids = NULL;
    size_t n_ids = 0;
    struct cw_error e;
    memset(out, 0, sizeof *out);
    int status = csvio_read(path, on_row, &r, &e);
    if (status) {
        cw_errors_add(errs, &e);
        goto out;
    }
    if (!r.has_header) {
        cw_errorf(&e, CW_ERR_PARSE, (struct cw_loc){path, 1, 1},
                  "empty file: expected a header row");
        cw_errors_add(errs, &e);
        status = CW_ERR_PARSE;
        goto out;
    }
    out->kind = r.kind;
    out->n_rows = r.n_rows;
    if (r.kind == IMPORT_OVERRIDES) {
        status = store_countries_get(s, &countries, &e);
        if (!status)
            status = rubric_indicators(s, false, &ids, &n_ids, &e);
        if (status) {
            cw_errors_add(errs, &e);
            goto out;
        }
        check_overrides(&r, &countries, ids, n_ids, errs);
    } else if (r.kind == IMPORT_PROFILES) {
        status = store_countries_get(s, &countries, &e);
        if (status) {
            cw_errors_add(errs, &e);
            goto out;
        }
        status = profile_sections(s, o ? o->default_rubric : NULL, &ids, &n_ids,
                                  errs);
        if (status)
            goto out;
        check_profiles(&r, &countries, ids, n_ids, errs);
    } else {
        check_reference(&r, errs);
    }
    if (errs->n) {
        status = CW_ERR_PARSE;
        goto out;
    }
    if (r.kind == IMPORT_PROFILES) {
        status = write_profiles(s, &r, o, out, errs);
        goto out;
    }
    status = store_begin(s, &e);
    if (!status)
        status = write_rows(s, &r, out, &e);
    if (!status)
        status = store_commit(s, &e);
    else
        store_rollback(s);
    if (status) {
        out->n_stored = out->n_existing = 0;
        cw_errors_add(errs, &e);
    }
out:
    for (size_t i = 0; i < n_ids; i++)
        free(ids[i]);
    free(ids);
    store_countries_release(&countries);
    reader_release(&r);
    return status;
}
