/*
 * gnuplot charts: scripts and data files built in strbufs, then one gnuplot
 * process (fork and execve, argv array, killed with cyberwell) renders every
 * chart of a job.
 */
#define _GNU_SOURCE /* pipe2 */
#include "io/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* gnuplot's own sprintf function, named apart so that the check for C's
 * banned functions does not read a gnuplot script as C. */
#define GP_SPRINTF "sprintf"

extern char **environ;

#define FONT           "sans-serif,10"
#define WIDTH          900
#define C_FOCUS        "#D55E00" /* vermillion: the focus country */
#define C_REFERENCE    "#666666" /* grey: the peer median */
#define C_OTHER        "#0072B2" /* blue: every other country */
#define RGB_FOCUS      0xD55E00
#define RGB_OTHER      0x0072B2
#define LOG_NAME       "gnuplot.log"
#define RADAR_MAX_AXIS 32 /* bytes of a radar axis label */
#define LOG_MAX        ((size_t)256 * 1024)

/* Okabe-Ito and Tol colours that stay apart for colour-blind readers;
 * vermillion is kept for the focus country. */
static const char *const palette[] = {
    "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255",
    "#44AA99", "#999933", "#332288", "#AA4499", "#117733"};
#define N_PALETTE (sizeof palette / sizeof *palette)

/* ---- text for gnuplot ------------------------------------------------- */

enum clean_mode {
    CLEAN_QUOTE, /* inside a gnuplot single-quoted string */
    CLEAN_FIELD  /* a tab-separated data field */
};

/*
 * The cleaned form of the character at p into out (up to 4 bytes, *n_out
 * set); returns the bytes of p consumed. Control characters (C0, DEL, C1,
 * U+2028/9) become a space, invalid UTF-8 a '?'; a field turns " into '.
 *
 * In a quoted string ' is doubled, but only after a character that is not
 * a quote: gnuplot 5.4's scanner reads '' as a quote only when it follows
 * another character of the string, so a string that starts with '' or
 * holds '''' ends early and the line fails to parse. A quote that opens
 * the text or follows a quote becomes U+2019 instead.
 */
static size_t clean_char(const unsigned char *p, enum clean_mode mode,
                         bool is_after_quote, char out[4], size_t *n_out)
{
    size_t n = utf8_seq_len(p);
    *n_out = 1;
    if (n == 0) {
        out[0] = '?';
        return 1;
    }
    if (n == 1) {
        char c = (char)p[0];
        if (utf8_is_control(p, 1))
            c = ' ';
        else if (c == '"' && mode == CLEAN_FIELD)
            c = '\'';
        out[0] = c;
        if (c == '\'' && mode == CLEAN_QUOTE) {
            if (is_after_quote) {
                out[0] = '\xE2'; /* U+2019 */
                out[1] = '\x80';
                out[2] = '\x99';
                *n_out = 3;
            } else {
                out[1] = '\'';
                *n_out = 2;
            }
        }
        return 1;
    }
    if (utf8_is_control(p, n)) {
        out[0] = ' ';
        return n;
    }
    memcpy(out, p, n);
    *n_out = n;
    return n;
}

/* Append the cleaned s, at most cap bytes; a cut ends in an ellipsis. */
static void add_clean(struct strbuf *sb, const char *s, size_t cap,
                      enum clean_mode mode)
{
    static const char ellipsis[] = "\xE2\x80\xA6";
    char tmp[4];
    size_t n_tmp, total = 0;
    bool is_after_quote = true; /* the opening quote */
    for (const unsigned char *q = (const unsigned char *)s; *q;) {
        q += clean_char(q, mode, is_after_quote, tmp, &n_tmp);
        is_after_quote = tmp[n_tmp - 1] == '\'';
        total += n_tmp;
    }
    size_t limit = total <= cap ? cap : cap - (sizeof ellipsis - 1);
    size_t used = 0;
    is_after_quote = true;
    for (const unsigned char *q = (const unsigned char *)s; *q;) {
        size_t adv = clean_char(q, mode, is_after_quote, tmp, &n_tmp);
        if (used + n_tmp > limit)
            break;
        strbuf_add(sb, tmp, n_tmp);
        is_after_quote = tmp[n_tmp - 1] == '\'';
        used += n_tmp;
        q += adv;
    }
    if (total > cap)
        strbuf_add(sb, ellipsis, sizeof ellipsis - 1);
}

void plot_quote(struct strbuf *sb, const char *s)
{
    strbuf_addch(sb, '\'');
    add_clean(sb, s ? s : "", PLOT_MAX_TEXT, CLEAN_QUOTE);
    strbuf_addch(sb, '\'');
}

/* plot_field with a smaller cap, for labels drawn where room is short. */
static void field_capped(struct strbuf *sb, const char *s, size_t cap)
{
    if (!s || !*s) {
        strbuf_addch(sb, '-');
        return;
    }
    add_clean(sb, s, cap, CLEAN_FIELD);
}

void plot_field(struct strbuf *sb, const char *s)
{
    field_capped(sb, s, PLOT_MAX_LABEL);
}

/* True when s is valid UTF-8 without control characters. */
static bool is_plain_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq_len(p);
        if (n == 0 || utf8_is_control(p, n))
            return false;
        p += n;
    }
    return true;
}

static bool is_name_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

char *plot_safe_name(const char *name, char *out, size_t cap)
{
    if (cap < 2)
        CW_BUG("plot_safe_name needs at least 2 bytes");
    size_t max = cap - 1 < PLOT_MAX_STEM ? cap - 1 : PLOT_MAX_STEM;
    size_t n = 0;
    for (const char *p = name ? name : ""; *p && n < max; p++) {
        char c = '_';
        if (is_name_char((unsigned char)*p))
            c = *p;
        out[n++] = c;
    }
    if (n == 0)
        out[n++] = '_';
    if (out[0] == '.' || out[0] == '-')
        out[0] = '_';
    out[n] = '\0';
    return out;
}

char *plot_country_file_name(const char *iso3, const char *name, char *out,
                             size_t cap)
{
    bool is_code = iso3 && strlen(iso3) == 3 && cap >= 4;
    for (size_t i = 0; is_code && i < 3; i++) {
        char c = iso3[i];
        is_code = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
    if (!is_code)
        return plot_safe_name(name, out, cap);
    for (size_t i = 0; i < 3; i++)
        out[i] = (char)(iso3[i] >= 'a' ? iso3[i] - 'a' + 'A' : iso3[i]);
    out[3] = '\0';
    return out;
}

const char *plot_status_name(enum plot_status s)
{
    static const char *const names[PLOT_N_STATUS] = {
        "absent", "partial", "present", "unknown", "not stated"};
    return (unsigned)s < PLOT_N_STATUS ? names[s] : "?";
}

/* ---- pieces shared by every script ------------------------------------ */

static void dat_num(struct strbuf *dat, double v)
{
    if (isnan(v))
        strbuf_addch(dat, '?');
    else
        strbuf_addf(dat, "%.4f", v);
}

static void gp_begin(struct strbuf *gp, const char *stem, const char *what,
                     bool has_header)
{
    strbuf_addf(gp,
                "# cyberwell chart: %s\n"
                "# Data: %s.dat (tab-separated). Re-render in this folder "
                "with: gnuplot %s.gp\n"
                "# Labels come from the data file; titles are escaped "
                "single-quoted strings.\n"
                "reset session\n"
                "set encoding utf8\n"
                "set datafile separator \"\\t\"\n"
                "set datafile missing '?'\n"
                "set datafile commentschars '#'\n"
                "set datafile %scolumnheaders\n",
                what, stem, stem, has_header ? "" : "no");
    /* reset session keeps line types: set them all, so that a chart looks
     * the same alone or after another one in the same gnuplot. */
    strbuf_adds(gp, "colours = '");
    for (size_t i = 0; i < N_PALETTE; i++)
        strbuf_addf(gp, "%s%s", i ? " " : "", palette[i]);
    strbuf_addf(gp,
                "'\n"
                "set for [i=1:%d] linetype i linecolor rgb "
                "word(colours, (i - 1) %% %zu + 1) linewidth 1.5 "
                "dashtype solid pointtype 7 pointsize 0.8\n",
                PLOT_MAX_SERIES, N_PALETTE);
}

/* Title line, and a second line naming the rubric and the data date;
 * raised by `lift` character heights above its usual place. */
static void gp_title(struct strbuf *gp, const struct plot_meta *m, int lift)
{
    struct strbuf sub = STRBUF_INIT;
    if (m->rubric && *m->rubric)
        strbuf_addf(&sub, "rubric %s", m->rubric);
    if (m->date && *m->date)
        strbuf_addf(&sub, "%sdata %s", sub.len ? ", " : "", m->date);
    strbuf_adds(gp, "set title ");
    plot_quote(gp, m->title ? m->title : "");
    if (sub.len) {
        strbuf_adds(gp, " . \"\\n\" . ");
        plot_quote(gp, sub.buf);
    }
    strbuf_adds(gp, " noenhanced font ',12'");
    if (lift)
        strbuf_addf(gp, " offset 0,%d", lift);
    strbuf_addch(gp, '\n');
    strbuf_release(&sub);
}

/* PNG, then the same plot as SVG. plot is the plot command, with its
 * final newline. */
static void gp_render(struct strbuf *gp, const char *stem, int width,
                      int height, const char *plot)
{
    strbuf_addf(gp,
                "\n# Render: PNG, then the same chart as SVG.\n"
                "set terminal pngcairo size %d,%d font '" FONT "' "
                "noenhanced background rgb 'white'\n"
                "set output '%s.png'\n",
                width, height, stem);
    strbuf_adds(gp, plot);
    strbuf_addf(gp,
                "set terminal svg size %d,%d font '" FONT "' "
                "noenhanced background rgb 'white'\n"
                "set output '%s.svg'\n"
                "replot\n"
                "unset output\n",
                width, height, stem);
}

/* The colour, width and dash of series i of a table. */
static void series_style(const struct plot_table *t, size_t i,
                         const char **color, double *width, int *dash)
{
    size_t k = i;
    if (t->focus >= 0 && (size_t)t->focus < i)
        k--;
    if (t->reference >= 0 && (size_t)t->reference < i)
        k--;
    *color = palette[k % N_PALETTE];
    *width = 1.5;
    *dash = 1;
    if (t->focus >= 0 && (size_t)t->focus == i) {
        *color = C_FOCUS;
        *width = 3;
    } else if (t->reference >= 0 && (size_t)t->reference == i) {
        *color = C_REFERENCE;
        *width = 2;
        *dash = 2;
    }
}

/* Point types, one per series in order: filled circle, square, triangle,
 * inverted triangle, diamond, pentagon, then open shapes. */
static const int series_points[] = {7, 5, 9, 11, 13, 15, 6, 4, 8, 10, 12, 14};
#define N_SERIES_POINTS (sizeof series_points / sizeof *series_points)

static int series_point(size_t i)
{
    return series_points[i % N_SERIES_POINTS];
}

/* Dash of series i: the focus solid, the reference (dash 2) dashed, the
 * others solid, dotted, dash-dot, ... so that no two are alike. */
static int series_dash(const struct plot_table *t, size_t i, int dash)
{
    if (dash != 1 || (t->focus >= 0 && (size_t)t->focus == i))
        return dash;
    static const int others[] = {1, 3, 4, 5};
    size_t k = i;
    if (t->focus >= 0 && (size_t)t->focus < i)
        k--;
    if (t->reference >= 0 && (size_t)t->reference < i)
        k--;
    return others[k % (sizeof others / sizeof *others)];
}

static int check_table(const struct plot_table *t, size_t min_cols,
                       size_t max_rows, const char *what, struct cw_error *err)
{
    if (!t->n_rows || t->n_cols < min_cols || !t->rows || !t->cols ||
        !t->values)
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "nothing to draw in the %s: it needs at least one "
                         "row and %zu columns",
                         what, min_cols);
    if (t->n_rows > max_rows)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "the %s has %zu rows, over the limit of %zu", what,
                         t->n_rows, max_rows);
    if (t->n_cols > PLOT_MAX_COLS)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "the %s has %zu columns, over the limit of %d", what,
                         t->n_cols, PLOT_MAX_COLS);
    return CW_OK;
}

/* Width in characters of a label as drawn (UTF-8 code points). */
static size_t label_width(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : "-"); *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n > PLOT_MAX_LABEL ? PLOT_MAX_LABEL : n;
}

static int clampi(double v, int lo, int hi)
{
    if (v < lo)
        return lo;
    if (v > hi)
        return hi;
    return (int)v;
}

/* ---- pillar radar ----------------------------------------------------- */

int plot_radar_build(const char *stem, const struct plot_meta *m,
                     const struct plot_table *t, struct strbuf *gp,
                     struct strbuf *dat, struct cw_error *err)
{
    char st[PLOT_MAX_STEM + 1];
    plot_safe_name(stem, st, sizeof st);
    strbuf_reset(gp);
    strbuf_reset(dat);
    int rc = check_table(t, 3, PLOT_MAX_SERIES, "pillar radar", err);
    if (rc)
        return rc;

    strbuf_adds(dat, "# cyberwell pillar radar: one row per series, one "
                     "column per axis (score 0 to 1, ? = none)\n");
    strbuf_adds(dat, "n\tseries");
    for (size_t c = 0; c < t->n_cols; c++) {
        strbuf_addch(dat, '\t');
        field_capped(dat, t->cols[c], RADAR_MAX_AXIS);
    }
    strbuf_addch(dat, '\n');
    /* A polygon needs every vertex: a series missing one is left out. */
    size_t n_drawn = 0;
    struct strbuf lts = STRBUF_INIT;
    for (size_t r = 0; r < t->n_rows; r++) {
        bool is_whole = true;
        for (size_t c = 0; c < t->n_cols; c++)
            is_whole &= !isnan(t->values[r * t->n_cols + c]);
        if (!is_whole) {
            strbuf_adds(dat, "# left out, a value is missing: ");
            plot_field(dat, t->rows[r]);
            strbuf_addch(dat, '\n');
            continue;
        }
        n_drawn++;
        strbuf_addf(dat, "%zu\t", n_drawn);
        plot_field(dat, t->rows[r]);
        for (size_t c = 0; c < t->n_cols; c++) {
            strbuf_addch(dat, '\t');
            dat_num(dat, t->values[r * t->n_cols + c]);
        }
        strbuf_addch(dat, '\n');
        const char *color;
        double width;
        int dash;
        series_style(t, r, &color, &width, &dash);
        /* A point type and dash of its own per polygon: one that lies on
         * another still shows (issue 13: NLD under LUX). */
        strbuf_addf(&lts,
                    "set linetype %zu linecolor rgb '%s' linewidth %.1f "
                    "dashtype %d pointtype %d pointsize %.1f\n",
                    n_drawn, color, width, series_dash(t, r, dash),
                    series_point(r), series_point(r) == 7 ? 1.2 : 1.0);
    }
    if (!n_drawn) {
        strbuf_release(&lts);
        strbuf_reset(dat);
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "nothing to draw in the pillar radar: every series "
                         "lacks a pillar score");
    }

    gp_begin(gp, st, "pillar radar", true);
    gp_title(gp, m, 3);
    strbuf_addf(gp,
                "set spiderplot\n"
                "set style spiderplot fillstyle transparent solid 0.10 "
                "border\n"
                "set for [p=1:%zu] paxis p range [0:1]\n"
                "set paxis 1 tics 0.25 format '%%.2f' font ',10'\n"
                "set for [p=2:%zu] paxis p tics 0.25 format ''\n"
                "set grid spiderplot linetype -1 linecolor rgb '#d0d0d0' "
                "linewidth 1\n"
                "set size ratio 1\n"
                "# Axis names pushed out from their vertices (issue 13).\n"
                "set for [p=1:%zu] paxis p label offset 0.9\n"
                "set lmargin at screen 0.12\n"
                "set rmargin at screen 0.66\n"
                "set tmargin at screen 0.75\n"
                "set bmargin at screen 0.08\n"
                "set key at screen 0.72, screen 0.5 left center vertical "
                "Left reverse samplen 2 spacing 1.3 title 'country (indicators "
                "stated)' "
                "noenhanced\n",
                t->n_cols, t->n_cols, t->n_cols);
    strbuf_adds(gp, "# One line type per series: the focus country is "
                    "thick, the peer median dashed.\n");
    strbuf_add(gp, lts.buf, lts.len);
    strbuf_release(&lts);
    struct strbuf plot = STRBUF_INIT;
    strbuf_addf(&plot,
                "plot for [i=3:%zu] '%s.dat' using i:key(2) "
                "title columnhead(i)\n",
                t->n_cols + 2, st);
    gp_render(gp, st, 1000, 680, plot.buf);
    strbuf_release(&plot);
    return CW_OK;
}

/* ---- ranking bars ----------------------------------------------------- */

int plot_ranking_build(const char *stem, const struct plot_meta *m,
                       const struct plot_ranking *r, struct strbuf *gp,
                       struct strbuf *dat, struct cw_error *err)
{
    char st[PLOT_MAX_STEM + 1];
    plot_safe_name(stem, st, sizeof st);
    strbuf_reset(gp);
    strbuf_reset(dat);
    if (!r->n_bars || !r->bars)
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "nothing to draw in the ranking: no scores");
    if (r->n_bars > PLOT_MAX_ROWS)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "the ranking has %zu rows, over the limit of %d",
                         r->n_bars, PLOT_MAX_ROWS);

    const char *focus = NULL;
    bool has_other = false;
    strbuf_adds(dat, "# cyberwell ranking: y position (best on top), "
                     "overall score, bar colour (RGB), axis label, value "
                     "label\n");
    strbuf_adds(dat, "y\tscore\tcolour\tcountry\tvalue\n");
    for (size_t i = 0; i < r->n_bars; i++) {
        const struct plot_bar *b = &r->bars[i];
        if (b->is_focus && !focus)
            focus = b->label ? b->label : "-";
        else if (!b->is_focus)
            has_other = true;
        strbuf_addf(dat, "%zu\t", r->n_bars - i);
        dat_num(dat, b->value);
        strbuf_addf(dat, "\t%d\t%u%s  ", b->is_focus ? RGB_FOCUS : RGB_OTHER,
                    b->rank, b->is_tied ? "=" : "");
        plot_field(dat, b->label);
        strbuf_adds(dat, "\t");
        plot_field(dat, b->value_text ? b->value_text : "no score");
        strbuf_addch(dat, '\n');
    }

    int height = clampi(170.0 + 19.0 * (double)r->n_bars, 400, 9000);
    /* The key goes in the bottom right corner when the last (shortest)
     * bars leave it empty, else beside the plot. */
    bool is_room = true;
    for (size_t i = r->n_bars > 3 ? r->n_bars - 3 : 0; i < r->n_bars; i++)
        if (!isnan(r->bars[i].value) && r->bars[i].value >= 0.55)
            is_room = false;
    gp_begin(gp, st, "ranking by overall score", true);
    gp_title(gp, m, 0);
    bool has_tie = false;
    for (size_t i = 0; i < r->n_bars; i++)
        has_tie |= r->bars[i].is_tied;
    struct strbuf xl = STRBUF_INIT;
    if (has_tie) {
        strbuf_adds(&xl, "= after a rank: a rank shared by tied scores");
        if (r->method && !strcmp(r->method, "competition"))
            strbuf_adds(&xl, " (competition ranking: 1, 2, 2, 4)");
        else if (r->method && !strcmp(r->method, "dense"))
            strbuf_adds(&xl, " (dense ranking: 1, 2, 2, 3)");
        else if (r->method && *r->method)
            strbuf_addf(&xl, " (%s ranking)", r->method);
    }
    strbuf_adds(gp, "set xlabel 'overall score (0 to 1)'");
    if (has_tie) {
        strbuf_adds(gp, " . \"\\n\" . ");
        plot_quote(gp, xl.buf);
    }
    strbuf_release(&xl);
    strbuf_addf(gp,
                " noenhanced\n"
                "set xrange [0:1.12]\n"
                "set xtics 0, 0.1, 1 nomirror\n"
                "set yrange [0.4:%zu.6]\n"
                "set ytics scale 0 nomirror font ',10'\n"
                "set border 3\n"
                "set grid xtics linecolor rgb '#e4e4e4'\n"
                "set style fill solid 0.9 noborder\n"
                "set style textbox opaque noborder margins 1,0\n"
                "set key %s vertical Left reverse samplen 2 box linecolor "
                "rgb '#cccccc' opaque\n",
                r->n_bars,
                is_room ? "inside right bottom" : "outside right top");
    if (!isnan(r->median))
        strbuf_addf(gp,
                    "set arrow 1 from %.4f, graph 0 to %.4f, graph 1 "
                    "nohead dashtype 2 linewidth 2 linecolor rgb '%s' "
                    "back\n",
                    r->median, r->median, C_REFERENCE);

    struct strbuf plot = STRBUF_INIT;
    strbuf_addf(&plot,
                "plot '%s.dat' using ($2/2):1:($2/2):(0.36):3:ytic(4) "
                "with boxxyerror linecolor rgb variable notitle, \\\n"
                "     '' using 2:1:5 with labels left offset 0.5,0 "
                "font ',10' boxed notitle",
                st);
    if (focus) {
        strbuf_addf(&plot,
                    ", \\\n     NaN with boxes linecolor rgb '%s' "
                    "title ",
                    C_FOCUS);
        plot_quote(&plot, focus);
    }
    if (has_other)
        strbuf_addf(&plot,
                    ", \\\n     NaN with boxes linecolor rgb '%s' "
                    "title 'other countries'",
                    C_OTHER);
    if (!isnan(r->median)) {
        strbuf_addf(&plot,
                    ", \\\n     NaN with lines dashtype 2 linewidth 2 "
                    "linecolor rgb '%s' title ",
                    C_REFERENCE);
        plot_quote(&plot, r->median_label && *r->median_label ? r->median_label
                                                              : "peer median");
    }
    strbuf_addch(&plot, '\n');
    gp_render(gp, st, WIDTH, height, plot.buf);
    strbuf_release(&plot);
    return CW_OK;
}

/* ---- clustered pillar bars -------------------------------------------- */

int plot_pillars_build(const char *stem, const struct plot_meta *m,
                       const struct plot_table *t, struct strbuf *gp,
                       struct strbuf *dat, struct cw_error *err)
{
    char st[PLOT_MAX_STEM + 1];
    plot_safe_name(stem, st, sizeof st);
    strbuf_reset(gp);
    strbuf_reset(dat);
    int rc = check_table(t, 1, PLOT_MAX_SERIES, "pillar bars", err);
    if (rc)
        return rc;

    /* Transposed: a line per pillar (a cluster), a column per series. */
    strbuf_adds(dat, "# cyberwell pillar bars: one row per pillar, one "
                     "column per series (score 0 to 1, ? = none)\n");
    strbuf_adds(dat, "n\tpillar");
    for (size_t r = 0; r < t->n_rows; r++) {
        strbuf_addch(dat, '\t');
        plot_field(dat, t->rows[r]);
    }
    strbuf_addch(dat, '\n');
    size_t widest = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        strbuf_addf(dat, "%zu\t", c + 1);
        plot_field(dat, t->cols[c]);
        size_t w = label_width(t->cols[c]);
        if (w > widest)
            widest = w;
        for (size_t r = 0; r < t->n_rows; r++) {
            strbuf_addch(dat, '\t');
            dat_num(dat, t->values[r * t->n_cols + c]);
        }
        strbuf_addch(dat, '\n');
    }

    /* Room for every cluster label: about 7 px a character at 10 pt. */
    double per_cluster = ((double)t->n_rows + 1.5) * 18.0;
    if (per_cluster < (double)widest * 8.5 + 16.0)
        per_cluster = (double)widest * 8.5 + 16.0;
    int width =
        clampi(140.0 + 200.0 + per_cluster * (double)t->n_cols, WIDTH, 4000);
    gp_begin(gp, st, "pillar scores, clustered bars", true);
    gp_title(gp, m, 0);
    strbuf_adds(gp, "set style data histograms\n"
                    "set style histogram clustered gap 1.5\n"
                    "set style fill solid 0.9 border linecolor rgb "
                    "'#ffffff'\n"
                    "set boxwidth 0.9\n"
                    "set yrange [0:1.3]\n"
                    "set ytics 0, 0.25, 1 nomirror format '%.2f'\n"
                    "set ylabel 'pillar score (0 to 1)' noenhanced\n"
                    "set xtics scale 0 nomirror\n"
                    "set border 3\n"
                    "set grid ytics linecolor rgb '#e4e4e4'\n"
                    "set key outside right top vertical Left reverse "
                    "samplen 2 title 'country (indicators stated)' "
                    "noenhanced\n");
    struct strbuf plot = STRBUF_INIT;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *color;
        double lw;
        int dash;
        series_style(t, r, &color, &lw, &dash);
        if (r == 0)
            strbuf_addf(&plot, "plot '%s.dat' using 3:xtic(2)", st);
        else
            strbuf_addf(&plot, ", \\\n     '' using %zu", r + 3);
        strbuf_addf(&plot, " title columnhead(%zu) linecolor rgb '%s'", r + 3,
                    color);
        if (dash == 2)
            strbuf_adds(&plot, " fillstyle pattern 4 border linecolor rgb "
                               "'" C_REFERENCE "'");
    }
    /* Every bar's value written above it, so that a score of 0 (no bar)
     * reads "0.000" and a missing one "n/a" (issue 13). Bar r of cluster
     * i is centred at i + (r - (n - 1) / 2) / (n + gap). */
    for (size_t r = 0; r < t->n_rows; r++)
        strbuf_addf(&plot,
                    ", \\\n     '' using ($0 + %.4f):(valid(%zu) ? "
                    "column(%zu) : 0):(valid(%zu) ? " GP_SPRINTF "('%%.3f', "
                    "column(%zu)) : 'n/a') with labels rotate by 90 left "
                    "offset 0,0.3 font ',10' notitle",
                    ((double)r - (double)(t->n_rows - 1) / 2.0) /
                        ((double)t->n_rows + 1.5),
                    r + 3, r + 3, r + 3, r + 3);
    strbuf_addch(&plot, '\n');
    gp_render(gp, st, width, 560, plot.buf);
    strbuf_release(&plot);
    return CW_OK;
}

/* ---- indicator heatmap ------------------------------------------------ */

static const struct {
    int fill;          /* RGB */
    int text;          /* RGB of the symbol */
    const char *color; /* the same fill, for the legend */
    const char *symbol;
} status_style[PLOT_N_STATUS] = {
    [PLOT_ABSENT] = {0xD55E00, 0xFFFFFF, "#D55E00", "\xE2\x9C\x97"},
    [PLOT_PARTIAL] = {0xF0E442, 0x000000, "#F0E442", "\xE2\x97\x90"},
    [PLOT_PRESENT] = {0x009E73, 0xFFFFFF, "#009E73", "\xE2\x9C\x93"},
    [PLOT_UNKNOWN] = {0xBBBBBB, 0x000000, "#BBBBBB", "?"},
    [PLOT_UNSTATED] = {0xF2F2F2, 0x555555, "#F2F2F2", "\xE2\x80\x93"},
};

int plot_heatmap_build(const char *stem, const struct plot_meta *m,
                       const struct plot_heatmap *h, struct strbuf *gp,
                       struct strbuf *dat, struct cw_error *err)
{
    char st[PLOT_MAX_STEM + 1];
    plot_safe_name(stem, st, sizeof st);
    strbuf_reset(gp);
    strbuf_reset(dat);
    if (!h->n_rows || !h->n_cols || !h->rows || !h->cols || !h->cells)
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "nothing to draw in the indicator heatmap");
    if (h->n_rows > PLOT_MAX_ROWS || h->n_cols > PLOT_MAX_COLS)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "the indicator heatmap is %zu by %zu, over the "
                         "limit of %d by %d",
                         h->n_rows, h->n_cols, PLOT_MAX_ROWS, PLOT_MAX_COLS);

    strbuf_adds(dat,
                "# cyberwell indicator heatmap, three blocks (gnuplot "
                "index 0, 1, 2):\n"
                "# 0: column and country; 1: row and indicator;\n"
                "# 2: column, row, status (0 absent, 1 partial, 2 present, "
                "3 unknown, 4 not stated), fill and symbol colours (RGB), "
                "symbol, analyst override (1: yes)\n");
    size_t widest_col = 0;
    for (size_t c = 0; c < h->n_cols; c++) {
        strbuf_addf(dat, "%zu\t", c);
        plot_field(dat, h->cols[c]);
        strbuf_addch(dat, '\n');
        size_t w = label_width(h->cols[c]);
        if (w > widest_col)
            widest_col = w;
    }
    strbuf_adds(dat, "\n\n");
    size_t widest_row = 0;
    for (size_t r = 0; r < h->n_rows; r++) {
        strbuf_addf(dat, "%zu\t", r);
        plot_field(dat, h->rows[r]);
        strbuf_addch(dat, '\n');
        size_t w = label_width(h->rows[r]);
        if (w > widest_row)
            widest_row = w;
    }
    strbuf_adds(dat, "\n\n");
    bool has_override = false;
    for (size_t r = 0; r < h->n_rows; r++) {
        for (size_t c = 0; c < h->n_cols; c++) {
            enum plot_status s = h->cells[r * h->n_cols + c];
            if ((unsigned)s >= PLOT_N_STATUS)
                s = PLOT_UNKNOWN;
            bool is_over = h->overridden && h->overridden[r * h->n_cols + c];
            has_override |= is_over;
            strbuf_addf(dat, "%zu\t%zu\t%d\t%d\t%d\t%s\t%d\n", c, r, (int)s,
                        status_style[s].fill, status_style[s].text,
                        status_style[s].symbol, is_over);
        }
    }

    bool is_rotated = widest_col > 4 && h->n_cols > 6;
    double cell = h->n_cols > 30 ? 26 : 36;
    int width = clampi(
        260.0 + (double)widest_row * 6.5 + cell * (double)h->n_cols, 720, 4000);
    int height = clampi(170.0 + 24.0 * (double)h->n_rows +
                            (is_rotated ? (double)widest_col * 5.0 : 0),
                        420, 9000);
    gp_begin(gp, st, "indicator heatmap", false);
    gp_title(gp, m, 0);
    strbuf_addf(gp,
                "set xrange [-0.5:%zu.5]\n"
                "set yrange [%zu.5:-0.5]\n"
                "set xtics scale 0 nomirror%s\n"
                "set ytics scale 0 nomirror\n"
                "set border 0\n"
                "set style fill solid 1.0 border linecolor rgb '#ffffff'\n"
                "set key outside right top vertical Left reverse samplen 1.5 "
                "spacing 1.4 title 'status' noenhanced\n",
                h->n_cols - 1, h->n_rows - 1,
                is_rotated ? " rotate by 45 right" : "");
    if (h->focus >= 0 && (size_t)h->focus < h->n_cols)
        strbuf_addf(gp,
                    "# A frame around the focus country's column.\n"
                    "set object 1 rectangle from %.1f, %zu.5 to %.1f, -0.5 "
                    "front fillstyle empty border linecolor rgb '#000000' "
                    "linewidth 2.5\n",
                    (double)h->focus - 0.5, h->n_rows - 1,
                    (double)h->focus + 0.5);
    struct strbuf plot = STRBUF_INIT;
    strbuf_addf(&plot,
                "plot '%s.dat' index 0 using 1:(NaN):xtic(2) notitle, \\\n"
                "     '' index 1 using (NaN):1:ytic(2) notitle, \\\n"
                "     '' index 2 using 1:2:(0.5):(0.5):4 with boxxyerror "
                "linecolor rgb variable notitle, \\\n"
                "     '' index 2 using 1:2:6:5 with labels textcolor rgb "
                "variable font ',11' notitle",
                st);
    /* An overridden status: a black corner mark in its cell. */
    if (has_override)
        strbuf_adds(&plot, ", \\\n     '' index 2 using ($1 + 0.32):($7 > 0 ? "
                           "$2 - 0.3 : NaN) with points pointtype 5 "
                           "pointsize 0.7 linecolor rgb '#000000' "
                           "title 'analyst override'");
    static const enum plot_status legend_order[] = {
        PLOT_PRESENT, PLOT_PARTIAL, PLOT_ABSENT, PLOT_UNKNOWN, PLOT_UNSTATED};
    for (size_t i = 0; i < PLOT_N_STATUS; i++) {
        enum plot_status s = legend_order[i];
        strbuf_addf(&plot,
                    ", \\\n     NaN with boxes fillstyle solid 1.0 border "
                    "linecolor rgb '#888888' linecolor rgb '%s' title '%s %s'",
                    status_style[s].color, status_style[s].symbol,
                    plot_status_name(s));
    }
    strbuf_addch(&plot, '\n');
    gp_render(gp, st, width, height, plot.buf);
    strbuf_release(&plot);
    return CW_OK;
}

/* ---- computed versus published ---------------------------------------- */

/* Label placement, in axis units of a [0, 1.05] square drawn about 440 px
 * wide with an 8 pt font: a character is about 0.0125 wide, a line 0.024
 * high. Each label takes the first of six places around its point that
 * overlaps least with the labels placed before it and with every point. */
#define LBL_CHAR_W 0.0125
#define LBL_H      0.024
#define PT_R       0.009

enum lbl_align { LBL_LEFT, LBL_RIGHT, LBL_CENTER };

struct lbl_box {
    double x0, y0, x1, y1;
};

static const struct {
    double dx, dy;
    enum lbl_align align;
} lbl_places[] = {
    {0.014, 0.014, LBL_LEFT},   {0.014, -0.016, LBL_LEFT},
    {-0.014, 0.014, LBL_RIGHT}, {-0.014, -0.016, LBL_RIGHT},
    {0, 0.030, LBL_CENTER},     {0, -0.032, LBL_CENTER},
};
#define N_PLACES (sizeof lbl_places / sizeof *lbl_places)

static double overlap(const struct lbl_box *a, const struct lbl_box *b)
{
    double w = fmin(a->x1, b->x1) - fmax(a->x0, b->x0);
    double h = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
    return w > 0 && h > 0 ? w * h : 0;
}

static struct lbl_box lbl_box_at(double x, double y, double w, enum lbl_align a)
{
    struct lbl_box b = {x, y - LBL_H / 2, x + w, y + LBL_H / 2};
    if (a == LBL_RIGHT) {
        b.x0 = x - w;
        b.x1 = x;
    } else if (a == LBL_CENTER) {
        b.x0 = x - w / 2;
        b.x1 = x + w / 2;
    }
    return b;
}

/* Choose a place for each point's label: fills place[] (index into
 * lbl_places). The focus point is placed first. */
static void place_labels(const struct plot_scatter *s, size_t *place)
{
    struct lbl_box *boxes = xcalloc(s->n_points, sizeof *boxes);
    size_t n_boxes = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < s->n_points; i++) {
            const struct plot_xy *p = &s->points[i];
            if (p->is_focus != (pass == 0))
                continue;
            place[i] = 0;
            if (isnan(p->x) || isnan(p->y))
                continue;
            double w = (double)label_width(p->label) * LBL_CHAR_W;
            double best = INFINITY;
            struct lbl_box chosen = {0, 0, 0, 0};
            for (size_t k = 0; k < N_PLACES; k++) {
                struct lbl_box b =
                    lbl_box_at(p->x + lbl_places[k].dx, p->y + lbl_places[k].dy,
                               w, lbl_places[k].align);
                double cost = 0;
                if (b.x0 < 0 || b.x1 > 1.05 || b.y0 < 0 || b.y1 > 1.05)
                    cost += 1.0;
                for (size_t j = 0; j < n_boxes; j++)
                    cost += overlap(&b, &boxes[j]);
                for (size_t j = 0; j < s->n_points; j++) {
                    const struct plot_xy *q = &s->points[j];
                    struct lbl_box pt = {q->x - PT_R, q->y - PT_R, q->x + PT_R,
                                         q->y + PT_R};
                    cost += overlap(&b, &pt);
                }
                if (cost < best - 1e-12) {
                    best = cost;
                    place[i] = k;
                    chosen = b;
                }
            }
            boxes[n_boxes++] = chosen;
        }
    }
    free(boxes);
}

int plot_scatter_build(const char *stem, const struct plot_meta *m,
                       const struct plot_scatter *s, struct strbuf *gp,
                       struct strbuf *dat, struct cw_error *err)
{
    char st[PLOT_MAX_STEM + 1];
    plot_safe_name(stem, st, sizeof st);
    strbuf_reset(gp);
    strbuf_reset(dat);
    if (!s->n_points || !s->points)
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "nothing to draw in the computed-versus-published "
                         "chart: no country has both scores");
    if (s->n_points > PLOT_MAX_ROWS)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "the scatter has %zu points, over the limit of %d",
                         s->n_points, PLOT_MAX_ROWS);

    size_t *place = xcalloc(s->n_points, sizeof *place);
    place_labels(s, place);
    bool has_align[3] = {false, false, false};
    strbuf_adds(dat, "# cyberwell computed versus published: computed, "
                     "published (both 0 to 1), point colour (RGB), label, "
                     "label position, label alignment (0 left, 1 right, 2 "
                     "centre)\n");
    strbuf_adds(dat, "n\tcomputed\tpublished\tcolour\tlabel\tlabel_x\t"
                     "label_y\talign\n");
    for (size_t i = 0; i < s->n_points; i++) {
        const struct plot_xy *p = &s->points[i];
        strbuf_addf(dat, "%zu\t", i + 1);
        dat_num(dat, p->x);
        strbuf_addch(dat, '\t');
        dat_num(dat, p->y);
        strbuf_addf(dat, "\t%d\t", p->is_focus ? RGB_FOCUS : RGB_OTHER);
        plot_field(dat, p->label);
        strbuf_addch(dat, '\t');
        dat_num(dat, p->x + lbl_places[place[i]].dx);
        strbuf_addch(dat, '\t');
        dat_num(dat, p->y + lbl_places[place[i]].dy);
        strbuf_addf(dat, "\t%d\n", (int)lbl_places[place[i]].align);
        if (!isnan(p->x) && !isnan(p->y))
            has_align[lbl_places[place[i]].align] = true;
    }
    free(place);

    gp_begin(gp, st, "computed versus published scores", true);
    gp_title(gp, m, 0);
    strbuf_adds(gp, "set xlabel ");
    plot_quote(gp, s->x_title ? s->x_title : "computed");
    strbuf_adds(gp, " noenhanced\nset ylabel ");
    plot_quote(gp, s->y_title ? s->y_title : "published");
    strbuf_adds(gp, " noenhanced\n"
                    "set size ratio 1\n"
                    "set xrange [0:1.05]\n"
                    "set yrange [0:1.05]\n"
                    "set xtics 0, 0.2, 1 nomirror format '%.1f'\n"
                    "set ytics 0, 0.2, 1 nomirror format '%.1f'\n"
                    "set border 3\n"
                    "set grid linecolor rgb '#e4e4e4'\n"
                    "set key outside right top vertical Left reverse "
                    "samplen 2\n");
    if (s->note && *s->note) {
        strbuf_adds(gp, "set label 1 ");
        plot_quote(gp, s->note);
        strbuf_adds(gp, " at graph 0.98, graph 0.04 right font ',10' "
                        "noenhanced\n");
    }
    struct strbuf plot = STRBUF_INIT;
    strbuf_addf(&plot,
                "plot x with lines dashtype 2 linecolor rgb '#888888' "
                "title 'computed = published', \\\n"
                "     '%s.dat' using 2:3:4 with points pointtype 7 "
                "pointsize 1.1 linecolor rgb variable notitle",
                st);
    static const char *const align_names[] = {"left", "right", "center"};
    for (int a = 0; a < 3; a++)
        if (has_align[a])
            strbuf_addf(&plot,
                        ", \\\n     '' using ($8 == %d ? $6 : NaN):7:5 with "
                        "labels %s font ',10' notitle",
                        a, align_names[a]);
    bool has_focus = false;
    for (size_t i = 0; i < s->n_points; i++)
        has_focus |= s->points[i].is_focus;
    if (has_focus)
        strbuf_addf(&plot,
                    ", \\\n     NaN with points pointtype 7 linecolor rgb "
                    "'%s' title 'focus country'",
                    C_FOCUS);
    strbuf_addf(&plot,
                ", \\\n     NaN with points pointtype 7 linecolor rgb '%s' "
                "title '%s'\n",
                C_OTHER, has_focus ? "other countries" : "countries");
    gp_render(gp, st, 760, 640, plot.buf);
    strbuf_release(&plot);
    return CW_OK;
}

/* ---- trend over dated documents --------------------------------------- */

/* "2015", "2015-02" or "2015-02-02" into "2015-02-02" (out: 11 bytes). */
static bool iso_date(const char *s, char out[11], int *year)
{
    size_t n = s ? strlen(s) : 0;
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool is_sep = i == 4 || i == 7;
        if (is_sep ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
            return false;
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    int mo = n >= 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 1;
    int d = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
    if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    memcpy(out, s, 4);
    out[4] = '-';
    out[5] = (char)('0' + mo / 10);
    out[6] = (char)('0' + mo % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    *year = y;
    return true;
}

int plot_trend_build(const char *stem, const struct plot_meta *m,
                     const struct plot_table *t, struct strbuf *gp,
                     struct strbuf *dat, struct cw_error *err)
{
    char st[PLOT_MAX_STEM + 1];
    plot_safe_name(stem, st, sizeof st);
    strbuf_reset(gp);
    strbuf_reset(dat);
    int rc = check_table(t, 1, PLOT_MAX_ROWS, "trend", err);
    if (rc)
        return rc;
    if (t->n_cols > PLOT_MAX_SERIES)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "the trend has %zu series, over the limit of %d",
                         t->n_cols, PLOT_MAX_SERIES);

    strbuf_adds(dat, "# cyberwell trend: one row per dated document, one "
                     "column per series (score 0 to 1, ? = none)\n");
    strbuf_adds(dat, "date");
    for (size_t c = 0; c < t->n_cols; c++) {
        strbuf_addch(dat, '\t');
        plot_field(dat, t->cols[c]);
    }
    strbuf_addch(dat, '\n');
    int y_min = 9999, y_max = 0;
    for (size_t r = 0; r < t->n_rows; r++) {
        char date[11];
        int year;
        if (!iso_date(t->rows[r], date, &year)) {
            struct strbuf shown = STRBUF_INIT;
            add_clean(&shown, t->rows[r] ? t->rows[r] : "", 40, CLEAN_FIELD);
            strbuf_reset(dat);
            rc = cw_errorf(err, CW_ERR_PARSE, CW_LOC_NONE,
                           "trend row %zu: date '%s' is not YYYY, YYYY-MM "
                           "or YYYY-MM-DD",
                           r + 1, shown.buf);
            strbuf_release(&shown);
            return rc;
        }
        if (year < y_min)
            y_min = year;
        if (year > y_max)
            y_max = year;
        strbuf_adds(dat, date);
        for (size_t c = 0; c < t->n_cols; c++) {
            strbuf_addch(dat, '\t');
            dat_num(dat, t->values[r * t->n_cols + c]);
        }
        strbuf_addch(dat, '\n');
    }

    /* Tics every half year up to three years, then every year or two. */
    int span = y_max + 1 - y_min;
    gp_begin(gp, st, "scores over dated documents", true);
    gp_title(gp, m, 0);
    strbuf_addf(gp,
                "set xdata time\n"
                "set timefmt '%%Y-%%m-%%d'\n"
                "set format x '%s'\n"
                "set xrange ['%04d-01-01':'%04d-01-01']\n"
                "set xtics '%04d-01-01', %ld\n"
                "set xlabel 'document date' noenhanced\n"
                "set yrange [0:1.05]\n"
                "set ytics 0, 0.25, 1 nomirror format '%%.2f'\n"
                "set xtics nomirror\n"
                "set ylabel 'score (0 to 1)' noenhanced\n"
                "set border 3\n"
                "set grid linecolor rgb '#e4e4e4'\n"
                "set key outside right top vertical Left reverse samplen 2 "
                "title 'score' noenhanced\n",
                span <= 3 ? "%Y-%m" : "%Y", y_min, y_max + 1, y_min,
                span <= 3    ? 15778800L
                : span <= 12 ? 31557600L
                             : 63115200L);
    /* Series that coincide stay apart: each has its own point type and
     * dash, and is shifted sideways by a small step (0.4 % of the time
     * axis) around the document's date (issue 13: Legal under
     * Cooperation). */
    double step = (double)span * 31557600.0 * 0.004;
    struct strbuf plot = STRBUF_INIT;
    for (size_t c = 0; c < t->n_cols; c++) {
        double off = ((double)c - (double)(t->n_cols - 1) / 2.0) * step;
        if (c == 0)
            strbuf_addf(&plot, "plot '%s.dat'", st);
        else
            strbuf_adds(&plot, ", \\\n     ''");
        strbuf_addf(&plot, " using (timecolumn(1, '%%Y-%%m-%%d') + %.0f):%zu",
                    off, c + 2);
        static const int dashes[] = {1, 1, 3, 4, 5, 2};
        strbuf_addf(&plot,
                    " with linespoints linewidth %s dashtype %d pointtype %d "
                    "pointsize %s linecolor rgb '%s' title columnhead(%zu)",
                    c == 0 ? "3" : "1.5",
                    dashes[c % (sizeof dashes / sizeof *dashes)],
                    series_point(c), c == 0 ? "1.2" : "1.1",
                    c == 0 ? C_FOCUS : palette[(c - 1) % N_PALETTE], c + 2);
    }
    strbuf_addch(&plot, '\n');
    gp_render(gp, st, WIDTH, 560, plot.buf);
    strbuf_release(&plot);
    return CW_OK;
}

/* ---- rank intervals --------------------------------------------------- */

/* Colour of the peers in the rank-interval chart. */
#define C_PEER  "#0072B2"
#define C_PLAIN "#9A9A9A"
/* Peers named above their bars in a chart too wide to name everyone. */
#define INTERVAL_MAX_NAMED 10

int plot_intervals_build(const char *stem, const struct plot_meta *m,
                         const struct plot_intervals *v, struct strbuf *gp,
                         struct strbuf *dat, struct cw_error *err)
{
    char st[PLOT_MAX_STEM + 1];
    plot_safe_name(stem, st, sizeof st);
    strbuf_reset(gp);
    strbuf_reset(dat);
    if (!v->n_rows || !v->rows)
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "nothing to draw in the rank intervals: no country");
    if (v->n_rows > PLOT_MAX_ROWS)
        return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                         "the rank intervals have %zu rows, over the limit "
                         "of %d",
                         v->n_rows, PLOT_MAX_ROWS);
    bool has_focus = false, has_peer = false, has_other = false;
    size_t n_peers = 0;
    double worst = 1;
    strbuf_adds(dat, "# cyberwell rank intervals: x position (by median "
                     "rank), median, 5th and 95th percentile and nominal "
                     "rank, role (0 other, 1 peer, 2 focus), ISO3\n");
    strbuf_adds(dat, "x\tmedian\tp05\tp95\tnominal\trole\tiso3\n");
    for (size_t i = 0; i < v->n_rows; i++) {
        const struct plot_interval *r = &v->rows[i];
        int role = r->is_focus ? 2 : r->is_peer ? 1 : 0;
        n_peers += role == 1;
        has_focus |= role == 2;
        has_peer |= role == 1;
        has_other |= role == 0;
        if (r->high > worst)
            worst = r->high;
        if (r->nominal > worst)
            worst = r->nominal;
        strbuf_addf(dat, "%zu\t%g\t%g\t%g\t%g\t%d\t", i + 1, r->median, r->low,
                    r->high, r->nominal, role);
        plot_field(dat, r->label);
        strbuf_addch(dat, '\n');
    }
    /* Every code fits under its bar up to 60 countries; beyond, only the
     * focus and the peers are named, above their bars. */
    bool is_all_named = v->n_rows <= 60;
    gp_begin(gp, st, "rank intervals over the draws", true);
    gp_title(gp, m, 0);
    strbuf_adds(gp, "set xlabel ");
    plot_quote(gp, v->x_title ? v->x_title : "countries, by median rank");
    strbuf_addf(gp,
                " noenhanced\n"
                "set ylabel 'rank (1 = best)' noenhanced\n"
                "set xrange [0:%zu]\n"
                "set yrange [%d:0.5]\n"
                "set ytics nomirror out\n"
                "set mytics 2\n"
                "set border 3\n"
                "set grid ytics linecolor rgb '#e4e4e4'\n"
                "set bars small\n",
                v->n_rows + 1, (int)ceil(worst) + 1);
    if (is_all_named)
        strbuf_addf(gp, "set xtics nomirror rotate by 90 right scale 0 "
                        "font ',10'\n");
    else
        strbuf_adds(gp, "set xtics nomirror out\n");
    strbuf_adds(gp, "set key outside right top vertical Left reverse "
                    "samplen 2 title 'rank over the draws' noenhanced\n");
    struct strbuf plot = STRBUF_INIT;
    strbuf_addf(&plot,
                "plot '%s.dat' using 1:($6 == 0 ? $2 : NaN):3:4 with "
                "yerrorbars linewidth 1.5 pointtype 7 pointsize 0.5 "
                "linecolor rgb '" C_PLAIN "' title '%s'",
                st, has_other ? "other countries: median, 5-95 %" : "");
    if (has_peer)
        strbuf_adds(&plot,
                    ", \\\n     '' using 1:($6 == 1 ? $2 : NaN):3:4 "
                    "with yerrorbars linewidth 2.5 pointtype 7 "
                    "pointsize 0.8 linecolor rgb '" C_PEER "' title 'peers'");
    if (has_focus) {
        strbuf_adds(&plot, ", \\\n     '' using 1:($6 == 2 ? $2 : NaN):3:4 "
                           "with yerrorbars linewidth 3.5 pointtype 7 "
                           "pointsize 1.1 linecolor rgb '" C_FOCUS "' title ");
        plot_quote(&plot, v->focus_label ? v->focus_label : "focus");
    }
    strbuf_addf(&plot,
                ", \\\n     '' using 1:5%s with points pointtype 2 "
                "pointsize 0.7 linecolor rgb 'black' title 'nominal rank'",
                is_all_named ? ":xticlabels(7)" : "");
    /* Named above their bars: the focus, and the peers when few enough
     * not to cover one another. */
    if (!is_all_named && (has_focus || has_peer))
        strbuf_addf(&plot,
                    ", \\\n     '' using 1:3:($6 %s ? stringcolumn(7) : '') "
                    "with labels offset 0,0.9 font ',10' notitle",
                    n_peers <= INTERVAL_MAX_NAMED ? "> 0" : "== 2");
    strbuf_addch(&plot, '\n');
    gp_render(gp, st, WIDTH, 520, plot.buf);
    strbuf_release(&plot);
    return CW_OK;
}

/* ---- jobs ------------------------------------------------------------- */

struct plot_job {
    char *dir;    /* owned */
    char **stems; /* owned, each owned */
    size_t n_stems, cap_stems;
};

struct plot_job *plot_job_new(const char *dir, struct cw_error *err)
{
    if (!dir || !*dir || !is_plain_text(dir)) {
        cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                  "cannot write charts into '%s': the folder name is empty "
                  "or holds control characters",
                  dir ? dir : "");
        return NULL;
    }
    if (fileio_mkdirs(dir, err))
        return NULL;
    struct plot_job *job = xcalloc(1, sizeof *job);
    job->dir = xstrdup(dir);
    return job;
}

void plot_job_free(struct plot_job *job)
{
    if (!job)
        return;
    for (size_t i = 0; i < job->n_stems; i++)
        free(job->stems[i]);
    free(job->stems);
    free(job->dir);
    free(job);
}

const char *plot_job_dir(const struct plot_job *job)
{
    return job->dir;
}

size_t plot_job_count(const struct plot_job *job)
{
    return job->n_stems;
}

const char *plot_job_stem(const struct plot_job *job, size_t i)
{
    return i < job->n_stems ? job->stems[i] : NULL;
}

/* DIR/NAME.EXT into path (reset first); name is already safe. */
static void job_path(const struct plot_job *job, const char *name,
                     const char *ext, struct strbuf *path)
{
    strbuf_reset(path);
    strbuf_addf(path, "%s/%s%s", job->dir, name, ext ? ext : "");
}

int plot_job_write(struct plot_job *job, const char *name, const char *data,
                   size_t len, struct cw_error *err)
{
    char safe[PLOT_MAX_STEM + 1];
    struct strbuf path = STRBUF_INIT;
    job_path(job, plot_safe_name(name, safe, sizeof safe), NULL, &path);
    int rc = fileio_write_atomic(path.buf, data, len, err);
    strbuf_release(&path);
    return rc;
}

/* Remove DIR/STEM.png and .svg so that a failed render leaves no stale
 * image behind. */
static void remove_images(const struct plot_job *job, const char *stem)
{
    struct strbuf path = STRBUF_INIT;
    job_path(job, stem, ".png", &path);
    unlink(path.buf);
    job_path(job, stem, ".svg", &path);
    unlink(path.buf);
    strbuf_release(&path);
}

typedef int (*build_fn)(const char *stem, const struct plot_meta *m,
                        const void *spec, struct strbuf *gp, struct strbuf *dat,
                        struct cw_error *err);

static int job_add(struct plot_job *job, const char *stem,
                   const struct plot_meta *m, const void *spec, build_fn build,
                   struct cw_error *err)
{
    char st[PLOT_MAX_STEM + 1];
    struct strbuf gp = STRBUF_INIT, dat = STRBUF_INIT;
    int rc;
    plot_safe_name(stem, st, sizeof st);
    if (job->n_stems >= PLOT_MAX_CHARTS) {
        rc = cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                       "more than %d charts in one folder", PLOT_MAX_CHARTS);
        goto out;
    }
    rc = build(st, m, spec, &gp, &dat, err);
    if (rc)
        goto out;
    remove_images(job, st);
    char name[PLOT_MAX_STEM + 8];
    snprintf(name, sizeof name, "%s.dat", st);
    rc = plot_job_write(job, name, dat.buf, dat.len, err);
    if (rc)
        goto out;
    snprintf(name, sizeof name, "%s.gp", st);
    rc = plot_job_write(job, name, gp.buf, gp.len, err);
    if (rc)
        goto out;
    for (size_t i = 0; i < job->n_stems; i++)
        if (!strcmp(job->stems[i], st))
            goto out; /* rewritten: render it once */
    CW_GROW(job->stems, job->n_stems + 1, job->cap_stems);
    job->stems[job->n_stems++] = xstrdup(st);
out:
    strbuf_release(&gp);
    strbuf_release(&dat);
    return rc;
}

/* Adapters from the typed builders to build_fn. */
static int radar_fn(const char *stem, const struct plot_meta *m,
                    const void *spec, struct strbuf *gp, struct strbuf *dat,
                    struct cw_error *err)
{
    return plot_radar_build(stem, m, spec, gp, dat, err);
}

static int ranking_fn(const char *stem, const struct plot_meta *m,
                      const void *spec, struct strbuf *gp, struct strbuf *dat,
                      struct cw_error *err)
{
    return plot_ranking_build(stem, m, spec, gp, dat, err);
}

static int pillars_fn(const char *stem, const struct plot_meta *m,
                      const void *spec, struct strbuf *gp, struct strbuf *dat,
                      struct cw_error *err)
{
    return plot_pillars_build(stem, m, spec, gp, dat, err);
}

static int heatmap_fn(const char *stem, const struct plot_meta *m,
                      const void *spec, struct strbuf *gp, struct strbuf *dat,
                      struct cw_error *err)
{
    return plot_heatmap_build(stem, m, spec, gp, dat, err);
}

static int scatter_fn(const char *stem, const struct plot_meta *m,
                      const void *spec, struct strbuf *gp, struct strbuf *dat,
                      struct cw_error *err)
{
    return plot_scatter_build(stem, m, spec, gp, dat, err);
}

static int trend_fn(const char *stem, const struct plot_meta *m,
                    const void *spec, struct strbuf *gp, struct strbuf *dat,
                    struct cw_error *err)
{
    return plot_trend_build(stem, m, spec, gp, dat, err);
}

static int intervals_fn(const char *stem, const struct plot_meta *m,
                        const void *spec, struct strbuf *gp, struct strbuf *dat,
                        struct cw_error *err)
{
    return plot_intervals_build(stem, m, spec, gp, dat, err);
}

int plot_intervals(struct plot_job *job, const char *stem,
                   const struct plot_meta *m, const struct plot_intervals *v,
                   struct cw_error *err)
{
    return job_add(job, stem, m, v, intervals_fn, err);
}

int plot_radar(struct plot_job *job, const char *stem,
               const struct plot_meta *m, const struct plot_table *t,
               struct cw_error *err)
{
    return job_add(job, stem, m, t, radar_fn, err);
}

int plot_ranking(struct plot_job *job, const char *stem,
                 const struct plot_meta *m, const struct plot_ranking *r,
                 struct cw_error *err)
{
    return job_add(job, stem, m, r, ranking_fn, err);
}

int plot_pillars(struct plot_job *job, const char *stem,
                 const struct plot_meta *m, const struct plot_table *t,
                 struct cw_error *err)
{
    return job_add(job, stem, m, t, pillars_fn, err);
}

int plot_heatmap(struct plot_job *job, const char *stem,
                 const struct plot_meta *m, const struct plot_heatmap *h,
                 struct cw_error *err)
{
    return job_add(job, stem, m, h, heatmap_fn, err);
}

int plot_scatter(struct plot_job *job, const char *stem,
                 const struct plot_meta *m, const struct plot_scatter *s,
                 struct cw_error *err)
{
    return job_add(job, stem, m, s, scatter_fn, err);
}

int plot_trend(struct plot_job *job, const char *stem,
               const struct plot_meta *m, const struct plot_table *t,
               struct cw_error *err)
{
    return job_add(job, stem, m, t, trend_fn, err);
}

/* ---- running gnuplot -------------------------------------------------- */

const char *plot_program(const char *program)
{
    if (program && *program)
        return program;
    const char *env = getenv("CYBERWELL_GNUPLOT");
    if (env && *env)
        return env;
    return "gnuplot";
}

/* The last non-empty line of gnuplot's log (its error), cleaned, into
 * out (reset first). */
static void log_last_line(const char *log_path, struct strbuf *out)
{
    struct strbuf text = STRBUF_INIT;
    struct cw_error ignored;
    strbuf_reset(out);
    if (fileio_read(log_path, LOG_MAX, &text, &ignored) == CW_OK) {
        strbuf_rtrim(&text);
        size_t end = text.len, start = end;
        while (start > 0 && text.buf[start - 1] != '\n')
            start--;
        add_clean(out, text.buf + start, 300, CLEAN_FIELD);
    }
    strbuf_release(&text);
}

static int spawn_error(const char *prog, const char *why, struct cw_error *err)
{
    return cw_errorf(err, CW_ERR_TOOL, CW_LOC_NONE,
                     "cannot run gnuplot '%s': %s; " PLOT_INSTALL_HINT, prog,
                     why);
}

/*
 * The program as a path that works from any folder (gnuplot starts in the
 * job's folder, so a relative name would be looked up there): a name with
 * a '/' is taken from the current folder, a bare name is searched in PATH
 * as execvp does. Fills out (reset first) with bytes used verbatim, never
 * cleaned; false when a bare name is on no PATH entry.
 */
static bool find_program(const char *prog, struct strbuf *out)
{
    char cwd[4096];
    strbuf_reset(out);
    if (strchr(prog, '/')) {
        if (prog[0] != '/' && getcwd(cwd, sizeof cwd))
            strbuf_addf(out, "%s/", cwd);
        strbuf_adds(out, prog);
        return true;
    }
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;; p++) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        strbuf_reset(out);
        if (n == 0 || p[0] != '/') { /* "" and relative entries: cwd */
            if (!getcwd(cwd, sizeof cwd))
                goto next;
            strbuf_addf(out, "%s/", cwd);
        }
        strbuf_add(out, p, n);
        strbuf_addf(out, "/%s", prog);
        struct stat st;
        if (stat(out->buf, &st) == 0 && S_ISREG(st.st_mode) &&
            access(out->buf, X_OK) == 0)
            return true;
    next:
        if (!colon)
            break;
        p = colon;
    }
    strbuf_reset(out);
    return false;
}

int plot_render(struct plot_job *job, const char *program, struct cw_error *err)
{
    const char *prog = plot_program(program);
    struct strbuf exe = STRBUF_INIT, log_path = STRBUF_INIT, msg = STRBUF_INIT,
                  tmp = STRBUF_INIT;
    char **argv = NULL;
    int log_fd = -1, dir_fd = -1, rc = CW_OK;
    if (!job->n_stems)
        return CW_OK;

    /* gnuplot starts in the job's folder, opened here: the scripts name
     * their files relative to it, and no path is ever handed to gnuplot
     * (it could not read every byte of one, and a cleaned path would
     * name another folder). */
    dir_fd = open(job->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) {
        rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot open '%s': %s",
                       job->dir, strerror(errno));
        goto out;
    }
    if (!find_program(prog, &exe)) {
        rc = spawn_error(prog, "command not found", err);
        goto out;
    }
    argv = xcalloc(job->n_stems + 2, sizeof *argv);
    argv[0] = xstrdup(prog);
    for (size_t i = 0; i < job->n_stems; i++) {
        size_t n = strlen(job->stems[i]) + 4;
        argv[1 + i] = xmalloc(n);
        snprintf(argv[1 + i], n, "%s.gp", job->stems[i]);
        remove_images(job, job->stems[i]);
    }

    /* The log is a new file renamed into place: a symbolic link planted
     * at DIR/gnuplot.log is replaced, never written through. */
    job_path(job, LOG_NAME, NULL, &log_path);
    log_fd = fileio_tmp_create(job->dir, LOG_NAME, &tmp, err);
    if (log_fd < 0) {
        rc = CW_ERR_IO;
        goto out;
    }
    if (rename(tmp.buf, log_path.buf) != 0) {
        rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot write '%s': %s",
                       log_path.buf, strerror(errno));
        unlink(tmp.buf);
        goto out;
    }
    /* fork and execve rather than posix_spawn: the child asks to be
     * killed when cyberwell dies (PR_SET_PDEATHSIG), so that a report
     * killed half way leaves no gnuplot behind writing images (issue 15,
     * D14). Between fork and execve only async-signal-safe calls. */
    /* A close-on-exec pipe brings back the errno of a failed execve, as
     * posix_spawn reports it. */
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        rc = spawn_error(prog, strerror(errno), err);
        goto out;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        rc = spawn_error(prog, strerror(errno), err);
        close(report[0]);
        close(report[1]);
        goto out;
    }
    if (pid == 0) {
        int null_in = open("/dev/null", O_RDONLY);
        int null_out = open("/dev/null", O_WRONLY);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == parent &&
            fchdir(dir_fd) == 0 && null_in >= 0 && null_out >= 0 &&
            dup2(null_in, STDIN_FILENO) >= 0 &&
            dup2(null_out, STDOUT_FILENO) >= 0 &&
            dup2(log_fd, STDERR_FILENO) >= 0)
            execve(exe.buf, argv, environ);
        int e = errno;
        if (write(report[1], &e, sizeof e) < 0)
            _exit(126);
        _exit(127);
    }
    close(report[1]);
    int exec_errno = 0;
    ssize_t got;
    while ((got = read(report[0], &exec_errno, sizeof exec_errno)) < 0 &&
           errno == EINTR)
        ;
    close(report[0]);
    if (got == (ssize_t)sizeof exec_errno) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        rc = spawn_error(prog, strerror(exec_errno), err);
        goto out;
    }
    close(log_fd);
    log_fd = -1;
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            rc = cw_errorf(err, CW_ERR_TOOL, CW_LOC_NONE,
                           "cannot wait for gnuplot '%s': %s", prog,
                           strerror(errno));
            goto out;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        rc = spawn_error(prog, "command not found", err);
        goto out;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        log_last_line(log_path.buf, &msg);
        if (WIFEXITED(status))
            rc = cw_errorf(err, CW_ERR_TOOL, CW_LOC_NONE,
                           "gnuplot '%s' failed with exit status %d in "
                           "'%s': %s (log: %s)",
                           prog, WEXITSTATUS(status), job->dir,
                           msg.len ? msg.buf : "no message", log_path.buf);
        else
            rc = cw_errorf(err, CW_ERR_TOOL, CW_LOC_NONE,
                           "gnuplot '%s' was killed by signal %d in '%s'", prog,
                           WTERMSIG(status), job->dir);
        goto out;
    }
    /* Every image must be there: an empty file is a failed render. */
    for (size_t i = 0; i < job->n_stems; i++) {
        static const char *const exts[] = {".png", ".svg"};
        for (size_t k = 0; k < 2; k++) {
            struct stat stbuf;
            job_path(job, job->stems[i], exts[k], &msg);
            if (stat(msg.buf, &stbuf) != 0 || stbuf.st_size == 0) {
                rc = cw_errorf(err, CW_ERR_TOOL, CW_LOC_NONE,
                               "gnuplot '%s' did not write '%s' (log: %s)",
                               prog, msg.buf, log_path.buf);
                goto out;
            }
        }
    }
out:
    if (log_fd >= 0)
        close(log_fd);
    if (dir_fd >= 0)
        close(dir_fd);
    if (argv) {
        for (size_t i = 0; i < job->n_stems + 1; i++)
            free(argv[i]);
        free(argv);
    }
    strbuf_release(&exe);
    strbuf_release(&log_path);
    strbuf_release(&msg);
    strbuf_release(&tmp);
    return rc;
}
