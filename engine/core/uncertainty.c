/* Uncertainty file loader: CSV rows -> checked choices and their draws. */
#include "core/uncertainty.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csvtab.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* Probabilities of one kind may miss 1 by this much (0.333333 x 3). */
#define SUM_TOLERANCE 1e-6
/* Largest weight multiplier: a pillar 1000 times its weight is a typo. */
#define MAX_MULTIPLIER 1000

enum col { COL_KIND, COL_ID, COL_VALUE, COL_LOW, COL_HIGH, COL_NOTE, N_COLS };

static const char *const col_names[N_COLS] = {"kind", "id",   "value",
                                              "low",  "high", "note"};

static const char *const missing_names[UNCERTAINTY_N_MISSING] = {
    "absent", "midpoint", "drawn"};

/* By enum rubric_aggregate. */
static const char *const aggregation_names[2] = {"points", "pillars"};

const char *uncertainty_missing_name(enum uncertainty_missing m)
{
    return (unsigned)m < UNCERTAINTY_N_MISSING ? missing_names[m] : "?";
}

struct loader {
    struct uncertainty *u;
    struct cw_errors *errs;
    const char *name;
    const char *data;
    size_t len;
    bool seen_header;
    size_t n_rows;
    size_t cap_ranges, cap_rubrics;
    unsigned meta_line[3];
    unsigned last_missing, last_aggregation, last_rubric;
};

static void add_err(struct loader *L, int code, unsigned line, unsigned col,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_err(struct loader *L, int code, unsigned line, unsigned col,
                    const char *fmt, ...)
{
    struct cw_error e;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cw_errorf(&e, code, ((struct cw_loc){L->name, line, col}), "%s", msg);
    csvtab_error_src(&e, L->data, L->len);
    cw_errors_add(L->errs, &e);
}

/* A finite number filling the whole cell. */
static bool parse_number(const char *s, double *out)
{
    char *end;
    if (!*s)
        return false;
    double v = strtod(s, &end);
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Read column col of f as a number; reports and returns false on error. */
static bool read_number(struct loader *L, char **f, int col, unsigned line,
                        const char *what, double *out)
{
    if (!*f[col]) {
        add_err(L, CW_ERR_PARSE, line, (unsigned)col + 1,
                "%s: the %s column is empty", what, col_names[col]);
        return false;
    }
    if (!parse_number(f[col], out)) {
        add_err(L, CW_ERR_PARSE, line, (unsigned)col + 1,
                "%s: %s '%s' is not a number", what, col_names[col], f[col]);
        return false;
    }
    return true;
}

/* Columns that a row kind does not use must be empty. */
static bool check_empty(struct loader *L, char **f, int col, unsigned line,
                        const char *what)
{
    if (!*f[col])
        return true;
    add_err(L, CW_ERR_PARSE, line, (unsigned)col + 1,
            "%s takes no %s (found '%s')", what, col_names[col], f[col]);
    return false;
}

/* low and high columns: bounds with min <= low <= high <= max. */
static bool read_bounds(struct loader *L, char **f, unsigned line,
                        const char *what, double min, double max, double *low,
                        double *high)
{
    if (!check_empty(L, f, COL_VALUE, line, what) ||
        !read_number(L, f, COL_LOW, line, what, low) ||
        !read_number(L, f, COL_HIGH, line, what, high))
        return false;
    if (*low < min || *low > max) {
        add_err(L, CW_ERR_PARSE, line, COL_LOW + 1, "%s: low %s is %s %g", what,
                f[COL_LOW], *low < min ? "below" : "above",
                *low < min ? min : max);
        return false;
    }
    if (*high < *low) {
        add_err(L, CW_ERR_PARSE, line, COL_HIGH + 1,
                "%s: high %s is below low %s", what, f[COL_HIGH], f[COL_LOW]);
        return false;
    }
    if (*high > max) {
        add_err(L, CW_ERR_PARSE, line, COL_HIGH + 1, "%s: high %s is above %g",
                what, f[COL_HIGH], max);
        return false;
    }
    return true;
}

/* value column: a probability, 0 to 1. */
static bool read_probability(struct loader *L, char **f, unsigned line,
                             const char *what, double *p)
{
    if (!read_number(L, f, COL_VALUE, line, what, p) ||
        !check_empty(L, f, COL_LOW, line, what) ||
        !check_empty(L, f, COL_HIGH, line, what))
        return false;
    if (*p < 0 || *p > 1) {
        add_err(L, CW_ERR_PARSE, line, COL_VALUE + 1,
                "%s: probability %s is outside 0 to 1", what, f[COL_VALUE]);
        return false;
    }
    return true;
}

static void row_meta(struct loader *L, char **f, unsigned line)
{
    static const char *const ids[] = {"name", "version", "description"};
    for (size_t k = 0; k < 3; k++) {
        if (strcmp(f[COL_ID], ids[k]) != 0)
            continue;
        if (L->meta_line[k]) {
            add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                    "duplicate 'meta,%s' row (first at line %u)", ids[k],
                    L->meta_line[k]);
            return;
        }
        L->meta_line[k] = line;
        const char *v = arena_strdup(&L->u->arena, f[COL_VALUE]);
        if (k == 0)
            L->u->name = v;
        else if (k == 1)
            L->u->version = v;
        else
            L->u->description = v;
        return;
    }
    add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
            "unknown meta '%s' (expected name, version or description)",
            f[COL_ID]);
}

static void row_weights(struct loader *L, char **f, unsigned line)
{
    struct uncertainty *u = L->u;
    if (u->weights_line) {
        add_err(L, CW_ERR_PARSE, line, COL_KIND + 1,
                "duplicate 'weights' row (first at line %u)", u->weights_line);
        return;
    }
    if (!strcmp(f[COL_ID], "range")) {
        if (!read_bounds(L, f, line, "weights range", 0, MAX_MULTIPLIER,
                         &u->low, &u->high))
            return;
        if (u->high <= 0) {
            add_err(L, CW_ERR_PARSE, line, COL_HIGH + 1,
                    "weights range: high must be above 0");
            return;
        }
        u->weights = UNCERTAINTY_WEIGHTS_RANGE;
    } else if (!strcmp(f[COL_ID], "dirichlet")) {
        double k;
        if (!read_number(L, f, COL_VALUE, line, "weights dirichlet", &k) ||
            !check_empty(L, f, COL_LOW, line, "weights dirichlet") ||
            !check_empty(L, f, COL_HIGH, line, "weights dirichlet"))
            return;
        if (!(k > 0) || k > UNCERTAINTY_MAX_CONCENTRATION) {
            add_err(L, CW_ERR_PARSE, line, COL_VALUE + 1,
                    "weights dirichlet: concentration %s is outside (0, %g]",
                    f[COL_VALUE], UNCERTAINTY_MAX_CONCENTRATION);
            return;
        }
        u->weights = UNCERTAINTY_WEIGHTS_DIRICHLET;
        u->concentration = k;
    } else {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "unknown weights draw '%s' (expected range or dirichlet)",
                f[COL_ID]);
        return;
    }
    u->weights_line = line;
}

static void row_weight(struct loader *L, char **f, unsigned line)
{
    struct uncertainty *u = L->u;
    if (!*f[COL_ID]) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "weight row has no pillar id in the id column");
        return;
    }
    for (size_t i = 0; i < u->n_ranges; i++)
        if (!strcmp(u->ranges[i].pillar, f[COL_ID])) {
            add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                    "duplicate weight of pillar '%s' (first at line %u)",
                    f[COL_ID], u->ranges[i].line);
            return;
        }
    if (u->n_ranges == UNCERTAINTY_MAX_RANGES) {
        add_err(L, CW_ERR_LIMIT, line, COL_ID + 1, "more than %d 'weight' rows",
                UNCERTAINTY_MAX_RANGES);
        return;
    }
    double low, high;
    if (!read_bounds(L, f, line, "weight", 0, MAX_MULTIPLIER, &low, &high))
        return;
    CW_GROW(u->ranges, u->n_ranges + 1, L->cap_ranges);
    struct uncertainty_range *r = &u->ranges[u->n_ranges++];
    r->pillar = arena_strdup(&u->arena, f[COL_ID]);
    r->low = low;
    r->high = high;
    r->line = line;
}

static void row_level(struct loader *L, char **f, unsigned line)
{
    struct uncertainty *u = L->u;
    enum cw_state s;
    if (!cw_state_parse(f[COL_ID], &s)) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "unknown level '%s' (expected partial)", f[COL_ID]);
        return;
    }
    if (s != CW_PARTIAL) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "only the worth of 'partial' can vary, not of '%s': absent "
                "and present are the two ends of the scale, and unknown and "
                "not stated are set by 'missing' rows",
                f[COL_ID]);
        return;
    }
    if (u->has_partial) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "duplicate 'level,partial' row (first at line %u)",
                u->partial_line);
        return;
    }
    if (!read_bounds(L, f, line, "level partial", 0, 1, &u->partial_low,
                     &u->partial_high))
        return;
    u->has_partial = true;
    u->partial_line = line;
}

/* A row giving one alternative of a discrete choice its probability: id
 * is one of names[0..n); p, lines and *last are the choice's. */
static void row_choice(struct loader *L, char **f, unsigned line,
                       const char *kind, const char *const *names, size_t n,
                       double *p, unsigned *lines, unsigned *last)
{
    size_t k = 0;
    while (k < n && strcmp(f[COL_ID], names[k]) != 0)
        k++;
    if (k == n) {
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < n; i++)
            strbuf_addf(&sb, "%s%s", i ? (i + 1 < n ? ", " : " or ") : "",
                        names[i]);
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "unknown %s '%s' (expected %s)", kind, f[COL_ID], sb.buf);
        strbuf_release(&sb);
        return;
    }
    if (lines[k]) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "duplicate '%s,%s' row (first at line %u)", f[COL_KIND],
                f[COL_ID], lines[k]);
        return;
    }
    if (read_probability(L, f, line, f[COL_KIND], &p[k])) {
        lines[k] = line;
        *last = line;
    }
}

/* path resolved against the folder of the uncertainty file name. */
static char *resolve(struct arena *a, const char *name, const char *path)
{
    const char *slash = strrchr(name, '/');
    if (path[0] == '/' || !slash)
        return arena_strdup(a, path);
    struct strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, name, (size_t)(slash - name) + 1);
    strbuf_adds(&sb, path);
    char *s = arena_strdup(a, sb.buf);
    strbuf_release(&sb);
    return s;
}

static void row_rubric(struct loader *L, char **f, unsigned line)
{
    struct uncertainty *u = L->u;
    const char *path = f[COL_ID];
    if (!*path) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "rubric row has no path in the id column");
        return;
    }
    if (strlen(path) > UNCERTAINTY_MAX_PATH) {
        add_err(L, CW_ERR_LIMIT, line, COL_ID + 1,
                "rubric path is %zu bytes, over the limit of %d", strlen(path),
                UNCERTAINTY_MAX_PATH);
        return;
    }
    if (u->n_rubrics == UNCERTAINTY_MAX_RUBRICS) {
        add_err(L, CW_ERR_LIMIT, line, COL_KIND + 1,
                "more than %d alternative rubrics", UNCERTAINTY_MAX_RUBRICS);
        return;
    }
    for (size_t i = 0; i < u->n_rubrics; i++)
        if (!strcmp(u->rubrics[i].path, path)) {
            add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                    "duplicate rubric '%s' (first at line %u)", path,
                    u->rubrics[i].line);
            return;
        }
    double p;
    if (!read_probability(L, f, line, "rubric", &p))
        return;
    if (p <= 0) {
        add_err(L, CW_ERR_PARSE, line, COL_VALUE + 1,
                "rubric: probability must be above 0 (drop the row instead)");
        return;
    }
    char *resolved = resolve(&u->arena, L->name, path);
    struct cw_errors *rerrs = xcalloc(1, sizeof *rerrs);
    struct rubric *r = rubric_load(resolved, rerrs);
    if (!r) {
        const struct cw_error *e = &rerrs->e[0];
        if (e->line)
            add_err(L, e->code, line, COL_ID + 1,
                    "rubric '%s' does not load: %s:%u: %s", path, e->file,
                    e->line, e->msg);
        else
            add_err(L, e->code, line, COL_ID + 1,
                    "rubric '%s' does not load: %s", path, e->msg);
        free(rerrs);
        return;
    }
    free(rerrs);
    CW_GROW(u->rubrics, u->n_rubrics + 1, L->cap_rubrics);
    struct uncertainty_rubric *ur = &u->rubrics[u->n_rubrics++];
    ur->path = arena_strdup(&u->arena, path);
    ur->resolved = resolved;
    ur->probability = p;
    ur->rubric = r;
    ur->line = line;
    L->last_rubric = line;
}

static int on_row(void *ctx, char **fields, size_t n, unsigned line,
                  struct cw_error *err)
{
    struct loader *L = ctx;
    (void)err;
    if (++L->n_rows > UNCERTAINTY_MAX_ROWS) {
        add_err(L, CW_ERR_LIMIT, line, 0, "more than %d rows",
                UNCERTAINTY_MAX_ROWS);
        return CW_ERR_LIMIT;
    }
    char *f[N_COLS];
    csvtab_cells(fields, n, f, N_COLS);
    if (!L->seen_header) {
        L->seen_header = true;
        struct cw_error e;
        if (!csvtab_header(f, col_names, N_COLS,
                           (struct cw_loc){L->name, line, 0}, &e))
            return CW_OK;
        csvtab_error_src(&e, L->data, L->len);
        cw_errors_add(L->errs, &e);
        return CW_ERR_PARSE;
    }
    if (n > N_COLS) {
        add_err(L, CW_ERR_PARSE, line, N_COLS + 1,
                "row has %zu fields, expected at most %d", n, N_COLS);
        return CW_OK;
    }
    const char *kind = f[COL_KIND];
    if (!*kind)
        return CW_OK;
    if (!strcmp(kind, "meta"))
        row_meta(L, f, line);
    else if (!strcmp(kind, "weights"))
        row_weights(L, f, line);
    else if (!strcmp(kind, "weight"))
        row_weight(L, f, line);
    else if (!strcmp(kind, "level"))
        row_level(L, f, line);
    else if (!strcmp(kind, "missing"))
        row_choice(L, f, line, "treatment of missing indicators", missing_names,
                   UNCERTAINTY_N_MISSING, L->u->missing, L->u->missing_line,
                   &L->last_missing);
    else if (!strcmp(kind, "aggregation"))
        row_choice(L, f, line, "aggregation", aggregation_names, 2,
                   L->u->aggregation, L->u->aggregation_line,
                   &L->last_aggregation);
    else if (!strcmp(kind, "rubric"))
        row_rubric(L, f, line);
    else
        add_err(L, CW_ERR_PARSE, line, COL_KIND + 1,
                "unknown row kind '%s' (expected meta, weights, weight, "
                "level, missing, aggregation or rubric)",
                kind);
    return CW_OK;
}

/* Probabilities p[0..n) (0 where no row) must add up to 1; rescale them
 * exactly onto 1. */
static void check_sum(struct loader *L, const char *kind, double *p, size_t n,
                      unsigned last_line)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += p[i];
    if (fabs(sum - 1) > SUM_TOLERANCE) {
        add_err(L, CW_ERR_PARSE, last_line, COL_VALUE + 1,
                "the probabilities of the '%s' rows add up to %g, not 1", kind,
                sum);
        return;
    }
    for (size_t i = 0; i < n; i++)
        p[i] /= sum;
}

static void finish(struct loader *L)
{
    struct uncertainty *u = L->u;
    if (u->n_ranges && u->weights != UNCERTAINTY_WEIGHTS_RANGE)
        add_err(L, CW_ERR_PARSE, u->ranges[0].line, COL_KIND + 1,
                "a 'weight' row needs a 'weights,range' row (%s)",
                u->weights == UNCERTAINTY_WEIGHTS_DIRICHLET
                    ? "the weights are drawn from a Dirichlet"
                    : "there is none");
    u->has_missing = L->last_missing != 0;
    u->has_aggregation = L->last_aggregation != 0;
    if (u->has_missing)
        check_sum(L, "missing", u->missing, UNCERTAINTY_N_MISSING,
                  L->last_missing);
    if (u->has_aggregation)
        check_sum(L, "aggregation", u->aggregation, 2, L->last_aggregation);
    double alt = 0;
    for (size_t i = 0; i < u->n_rubrics; i++)
        alt += u->rubrics[i].probability;
    if (alt > 1 + SUM_TOLERANCE)
        add_err(L, CW_ERR_PARSE, L->last_rubric, COL_VALUE + 1,
                "the probabilities of the 'rubric' rows add up to %g, over 1 "
                "(the stored rubric takes what they leave)",
                alt);
    u->nominal_probability = alt >= 1 ? 0 : 1 - alt;
    if (alt > 1)
        for (size_t i = 0; i < u->n_rubrics; i++)
            u->rubrics[i].probability /= alt;
}

struct uncertainty *uncertainty_parse(const char *name, const char *data,
                                      size_t len, struct cw_errors *errs)
{
    struct uncertainty *u = xcalloc(1, sizeof *u);
    arena_init(&u->arena);
    u->path = arena_strdup(&u->arena, name);
    u->nominal_probability = 1;
    sha256_hex(data, len, u->hash);
    struct loader L = {0};
    L.u = u;
    L.errs = errs;
    L.name = u->path;
    L.data = data;
    L.len = len;
    errs->n = 0;
    errs->n_dropped = 0;
    struct cw_error e;
    cw_error_clear(&e);
    int rc = csvtab_parse(name, data, len, on_row, &L, &e);
    if (rc && e.code)
        cw_errors_add(errs, &e);
    if (!L.seen_header && errs->n == 0)
        add_err(&L, CW_ERR_PARSE, 0, 0,
                "uncertainty file is empty (expected the header "
                "kind,id,value,low,high,note)");
    if (errs->n == 0)
        finish(&L);
    if (errs->n || errs->n_dropped) {
        uncertainty_free(u);
        return NULL;
    }
    return u;
}

struct uncertainty *uncertainty_load(const char *path, struct cw_errors *errs)
{
    struct strbuf sb = STRBUF_INIT;
    struct cw_error e;
    errs->n = 0;
    errs->n_dropped = 0;
    if (csvtab_read(path, "uncertainty file", UNCERTAINTY_MAX_BYTES, &sb, &e) !=
        CW_OK) {
        cw_errors_add(errs, &e);
        strbuf_release(&sb);
        return NULL;
    }
    struct uncertainty *u = uncertainty_parse(path, sb.buf, sb.len, errs);
    strbuf_release(&sb);
    return u;
}

void uncertainty_free(struct uncertainty *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n_rubrics; i++)
        rubric_free(u->rubrics[i].rubric);
    free(u->rubrics);
    free(u->ranges);
    arena_release(&u->arena);
    free(u);
}

void uncertainty_pillar_range(const struct uncertainty *u, const char *pillar,
                              double *low, double *high)
{
    *low = u->low;
    *high = u->high;
    for (size_t i = 0; i < u->n_ranges; i++)
        if (!strcmp(u->ranges[i].pillar, pillar)) {
            *low = u->ranges[i].low;
            *high = u->ranges[i].high;
        }
}
