/*
 * io/plot without gnuplot: text escaping, file names, golden scripts and
 * data files (tests/fixtures/plot/), the hostile title, size limits, and
 * the missing-gnuplot path. CW_UPDATE_GOLDEN=1 rewrites the golden files.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/plot.h"
#include "plot_samples.h"
#include "test.h"
#include "util/fileio.h"
#include "util/strbuf.h"

#include "util/banned.h"

#define GOLDEN_DIR SRC("tests/fixtures/plot")

static bool is_update(void)
{
    const char *u = getenv("CW_UPDATE_GOLDEN");
    return u && *u == '1';
}

/* Compare text with the golden file NAME (or rewrite it). */
static void check_golden(const char *name, const struct strbuf *text)
{
    struct strbuf path = STRBUF_INIT, want = STRBUF_INIT;
    struct cw_error err;
    strbuf_addf(&path, "%s/%s", GOLDEN_DIR, name);
    if (is_update()) {
        CHECK_INT_EQ(fileio_write_atomic(path.buf, text->buf, text->len, &err),
                     0);
    } else if (fileio_read(path.buf, 1u << 20, &want, &err) != CW_OK) {
        fprintf(stderr, "%s: %s (run with CW_UPDATE_GOLDEN=1)\n", name,
                err.msg);
        CHECK(false);
    } else if (strcmp(want.buf, text->buf) != 0) {
        fprintf(stderr, "%s differs from the golden file; got:\n%s\n", name,
                text->buf);
        CHECK(false);
    } else {
        CHECK(true);
    }
    strbuf_release(&path);
    strbuf_release(&want);
}

/*
 * The text of a script outside string constants and comments, scanned the
 * way gnuplot 5.4's scanner does (src/scanner.c): in a single-quoted string
 * a character followed by '' takes them in; the first other quote ends it.
 * Backquotes, macros and system() are only dangerous out here.
 */
static void outside_strings(const char *s, struct strbuf *out)
{
    strbuf_reset(out);
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\'') {
            size_t j = i;
            for (;;) {
                j++;
                if (!s[j] || s[j] == '\'')
                    break;
                if (s[j + 1] == '\'' && s[j + 2] == '\'')
                    j += 2;
            }
            if (!s[j])
                break;
            i = j;
            strbuf_adds(out, "''");
        } else if (s[i] == '"') {
            size_t j = i + 1;
            while (s[j] && s[j] != '"') {
                if (s[j] == '\\' && s[j + 1])
                    j++;
                j++;
            }
            if (!s[j])
                break;
            i = j;
            strbuf_adds(out, "\"\"");
        } else if (s[i] == '#') {
            while (s[i + 1] && s[i + 1] != '\n')
                i++;
        } else {
            strbuf_addch(out, s[i]);
        }
    }
}

/* No document text can act in the script; count the quoted strings. */
static void check_script_is_inert(const char *name, const struct strbuf *gp)
{
    struct strbuf out = STRBUF_INIT;
    outside_strings(gp->buf, &out);
    bool ok = !strchr(out.buf, '`') && !strchr(out.buf, '@') &&
              !strstr(out.buf, "system") && !strstr(out.buf, "touch") &&
              !strstr(out.buf, "Evil") && !strstr(out.buf, "\n!");
    if (!ok)
        fprintf(stderr, "%s: text outside strings:\n%s\n", name, out.buf);
    CHECK(ok);
    /* Every line of the script is a command: no raw control character. */
    bool is_clean = true;
    for (const unsigned char *p = (const unsigned char *)gp->buf; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p == 0x7F)
            is_clean = false;
    CHECK(is_clean);
    strbuf_release(&out);
}

/* Data lines: tab-separated, no double quote, no control character. */
static void check_data_is_inert(const struct strbuf *dat)
{
    bool ok = !strchr(dat->buf, '"');
    for (const unsigned char *p = (const unsigned char *)dat->buf; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F)
            ok = false;
    CHECK(ok);
}

static void test_quote(void)
{
    struct strbuf sb = STRBUF_INIT;
    plot_quote(&sb, "Côte d'Ivoire");
    CHECK_STR_EQ(sb.buf, "'Côte d''Ivoire'");
    strbuf_reset(&sb);
    plot_quote(&sb, NULL);
    CHECK_STR_EQ(sb.buf, "''");
    /* Leading quote and runs of quotes: gnuplot cannot read '' there. */
    strbuf_reset(&sb);
    plot_quote(&sb, "'s-Hertogenbosch");
    CHECK_STR_EQ(sb.buf, "'\xE2\x80\x99s-Hertogenbosch'");
    strbuf_reset(&sb);
    plot_quote(&sb, "a''b'");
    CHECK_STR_EQ(sb.buf, "'a''\xE2\x80\x99"
                         "b'''");
    /* Control characters, DEL, C1 controls, U+2028 and bad UTF-8. */
    strbuf_reset(&sb);
    plot_quote(&sb, "a\nb\tc\x7f"
                    "d\xC2\x85"
                    "e\xE2\x80\xA8"
                    "f\xFF"
                    "g\xC3");
    CHECK_STR_EQ(sb.buf, "'a b c d e f?g?'");
    /* Backquotes, macros and double quotes stay, inside the quotes. */
    strbuf_reset(&sb);
    plot_quote(&sb, "`id` @m \"x\" system(\"ls\")");
    CHECK_STR_EQ(sb.buf, "'`id` @m \"x\" system(\"ls\")'");
    /* A long title is cut on a character boundary with an ellipsis. */
    struct strbuf longs = STRBUF_INIT;
    for (int i = 0; i < 150; i++)
        strbuf_adds(&longs, "é");
    strbuf_reset(&sb);
    plot_quote(&sb, longs.buf);
    CHECK(sb.len <= PLOT_MAX_TEXT + 2);
    CHECK(!strcmp(sb.buf + sb.len - 4, "\xE2\x80\xA6'"));
    CHECK(!memcmp(sb.buf + sb.len - 6, "é", 2));
    strbuf_release(&longs);
    strbuf_release(&sb);
}

static void test_field(void)
{
    struct strbuf sb = STRBUF_INIT;
    plot_field(&sb, "A \"quoted\"\tname\n#x");
    CHECK_STR_EQ(sb.buf, "A 'quoted' name #x");
    strbuf_reset(&sb);
    plot_field(&sb, "");
    CHECK_STR_EQ(sb.buf, "-");
    strbuf_reset(&sb);
    plot_field(&sb, NULL);
    CHECK_STR_EQ(sb.buf, "-");
    strbuf_reset(&sb);
    plot_field(&sb, "Côte d'Ivoire");
    CHECK_STR_EQ(sb.buf, "Côte d'Ivoire");
    strbuf_release(&sb);
}

static void test_names(void)
{
    char out[PLOT_MAX_STEM + 1];
    CHECK_STR_EQ(plot_safe_name("radar", out, sizeof out), "radar");
    CHECK_STR_EQ(plot_safe_name("../../etc/passwd", out, sizeof out),
                 "_._.._etc_passwd");
    CHECK_STR_EQ(plot_safe_name(".hidden", out, sizeof out), "_hidden");
    CHECK_STR_EQ(plot_safe_name("-rf", out, sizeof out), "_rf");
    CHECK_STR_EQ(plot_safe_name("..", out, sizeof out), "_.");
    CHECK_STR_EQ(plot_safe_name("", out, sizeof out), "_");
    CHECK_STR_EQ(plot_safe_name(NULL, out, sizeof out), "_");
    CHECK_STR_EQ(plot_safe_name("Côte d'Ivoire", out, sizeof out),
                 "C__te_d_Ivoire");
    CHECK_STR_EQ(plot_safe_name("a/b\\c\nd`e$(f)", out, sizeof out),
                 "a_b_c_d_e__f_");
    char small[6];
    CHECK_STR_EQ(plot_safe_name("abcdefgh", small, sizeof small), "abcde");
    struct strbuf longs = STRBUF_INIT;
    for (int i = 0; i < 100; i++)
        strbuf_addch(&longs, 'x');
    CHECK_INT_EQ(strlen(plot_safe_name(longs.buf, out, sizeof out)),
                 PLOT_MAX_STEM);
    strbuf_release(&longs);
    CHECK_STR_EQ(plot_country_file_name("bel", "Belgium", out, sizeof out),
                 "BEL");
    CHECK_STR_EQ(plot_country_file_name(NULL, "../Evil Land", out, sizeof out),
                 "_._Evil_Land");
    CHECK_STR_EQ(plot_country_file_name("B/L", "Bad", out, sizeof out), "Bad");
    CHECK_STR_EQ(plot_country_file_name("BELG", "Belgium", out, sizeof out),
                 "Belgium");
}

typedef int (*build_fn)(const char *stem, const struct plot_meta *m,
                        const void *spec, struct strbuf *gp, struct strbuf *dat,
                        struct cw_error *err);

static int radar_b(const char *s, const struct plot_meta *m, const void *x,
                   struct strbuf *gp, struct strbuf *dat, struct cw_error *e)
{
    return plot_radar_build(s, m, x, gp, dat, e);
}
static int ranking_b(const char *s, const struct plot_meta *m, const void *x,
                     struct strbuf *gp, struct strbuf *dat, struct cw_error *e)
{
    return plot_ranking_build(s, m, x, gp, dat, e);
}
static int pillars_b(const char *s, const struct plot_meta *m, const void *x,
                     struct strbuf *gp, struct strbuf *dat, struct cw_error *e)
{
    return plot_pillars_build(s, m, x, gp, dat, e);
}
static int heatmap_b(const char *s, const struct plot_meta *m, const void *x,
                     struct strbuf *gp, struct strbuf *dat, struct cw_error *e)
{
    return plot_heatmap_build(s, m, x, gp, dat, e);
}
static int scatter_b(const char *s, const struct plot_meta *m, const void *x,
                     struct strbuf *gp, struct strbuf *dat, struct cw_error *e)
{
    return plot_scatter_build(s, m, x, gp, dat, e);
}
static int trend_b(const char *s, const struct plot_meta *m, const void *x,
                   struct strbuf *gp, struct strbuf *dat, struct cw_error *e)
{
    return plot_trend_build(s, m, x, gp, dat, e);
}

static int intervals_b(const char *s, const struct plot_meta *m, const void *x,
                       struct strbuf *gp, struct strbuf *dat,
                       struct cw_error *e)
{
    return plot_intervals_build(s, m, x, gp, dat, e);
}

static void golden(const char *stem, build_fn fn, const struct plot_meta *m,
                   const void *spec)
{
    struct strbuf gp = STRBUF_INIT, dat = STRBUF_INIT, name = STRBUF_INIT;
    struct cw_error err;
    int rc = fn(stem, m, spec, &gp, &dat, &err);
    CHECK_INT_EQ(rc, 0);
    if (rc)
        fprintf(stderr, "%s: %s\n", stem, err.msg);
    strbuf_addf(&name, "%s.gp", stem);
    check_golden(name.buf, &gp);
    strbuf_reset(&name);
    strbuf_addf(&name, "%s.dat", stem);
    check_golden(name.buf, &dat);
    check_script_is_inert(stem, &gp);
    check_data_is_inert(&dat);
    /* Every script writes its own PNG and SVG and nothing else. */
    strbuf_reset(&name);
    strbuf_addf(&name, "set output '%s.png'\n", stem);
    CHECK(strstr(gp.buf, name.buf) != NULL);
    strbuf_reset(&name);
    strbuf_addf(&name, "set output '%s.svg'\n", stem);
    CHECK(strstr(gp.buf, name.buf) != NULL);
    CHECK(strstr(gp.buf, "noenhanced") != NULL);
    strbuf_release(&gp);
    strbuf_release(&dat);
    strbuf_release(&name);
}

static void test_goldens(void)
{
    golden("radar", radar_b, &sample_meta, &sample_table);
    golden("ranking", ranking_b, &sample_meta, &sample_ranking);
    golden("pillars", pillars_b, &sample_meta, &sample_table);
    golden("heatmap", heatmap_b, &sample_meta, &sample_heatmap);
    golden("published", scatter_b, &sample_meta, &sample_scatter);
    golden("trend", trend_b, &sample_meta, &sample_trend);
    golden("robustness", intervals_b, &sample_meta, &sample_intervals);
    golden("hostile", radar_b, &hostile_meta, &hostile_table);
}

/* Rank intervals for the world: past 60 countries only the focus and the
 * peers are named (above their bars), every code otherwise; an empty
 * chart and one over the row limit are refused. */
static void test_intervals(void)
{
    enum { N = 195 };
    static struct plot_interval rows[PLOT_MAX_ROWS + 1];
    static char labels[PLOT_MAX_ROWS + 1][8];
    for (size_t i = 0; i <= PLOT_MAX_ROWS; i++) {
        snprintf(labels[i], sizeof labels[i], "C%zu", i);
        rows[i].label = labels[i];
        rows[i].median = rows[i].nominal = (double)(i + 1);
        rows[i].low = (double)(i + 1);
        rows[i].high = (double)(i + 3);
        rows[i].is_focus = i == 20;
        rows[i].is_peer = i == 30 || i == 40;
    }
    struct plot_intervals v = {rows, N, "Belgium", NULL};
    struct strbuf gp = STRBUF_INIT, dat = STRBUF_INIT;
    struct cw_error err;
    CHECK_INT_EQ(
        plot_intervals_build("robustness", &sample_meta, &v, &gp, &dat, &err),
        0);
    CHECK(strstr(gp.buf, "xticlabels") == NULL);
    CHECK(strstr(gp.buf, "stringcolumn(7)") != NULL);
    CHECK(strstr(gp.buf, "set yrange [198:0.5]") != NULL);
    CHECK(strstr(gp.buf, "title 'rank over the draws'") != NULL);
    CHECK(strstr(dat.buf, "21\t21\t21\t23\t21\t2\tC20\n") != NULL);
    CHECK(strstr(gp.buf, "($6 > 0 ? stringcolumn(7)") != NULL);
    /* Too many peers to name: only the focus is. */
    for (size_t i = 50; i < 62; i++)
        rows[i].is_peer = true;
    CHECK_INT_EQ(
        plot_intervals_build("robustness", &sample_meta, &v, &gp, &dat, &err),
        0);
    CHECK(strstr(gp.buf, "($6 == 2 ? stringcolumn(7)") != NULL);
    v.n_rows = 0;
    CHECK_INT_EQ(
        plot_intervals_build("robustness", &sample_meta, &v, &gp, &dat, &err),
        CW_ERR_USAGE);
    v.n_rows = PLOT_MAX_ROWS + 1;
    CHECK_INT_EQ(
        plot_intervals_build("robustness", &sample_meta, &v, &gp, &dat, &err),
        CW_ERR_LIMIT);
    strbuf_release(&gp);
    strbuf_release(&dat);
}

/* Count the lines of s that start with prefix and are unique from their
 * first space after prefix on (their style, without the series number). */
static size_t count_alike(const char *s, const char *prefix, size_t *n_lines)
{
    const char *seen[PLOT_MAX_SERIES * 2];
    size_t lens[PLOT_MAX_SERIES * 2], n = 0, n_same = 0;
    size_t plen = strlen(prefix);
    for (const char *p = s; p && *p;
         p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, prefix, plen) != 0)
            continue;
        const char *style = strchr(p + plen, ' ');
        const char *end = strchr(p, '\n');
        if (!style || !end || n >= PLOT_MAX_SERIES * 2)
            continue;
        size_t len = (size_t)(end - style);
        for (size_t i = 0; i < n; i++)
            if (lens[i] == len && !strncmp(seen[i], style, len))
                n_same++;
        seen[n] = style;
        lens[n++] = len;
    }
    *n_lines = n;
    return n_same;
}

/* The chart defects of issue 13, each caught if it comes back: no legend
 * titled "series"; radar axis names pushed off their vertices; no two
 * radar polygons or trend lines drawn alike; a
 * pillar bar's value written (0.000, n/a) so zero shows; overrides
 * marked on the heatmap. */
static void test_chart_defects(void)
{
    struct strbuf gp = STRBUF_INIT, dat = STRBUF_INIT;
    struct cw_error err;
    size_t n;
    CHECK_INT_EQ(
        plot_radar_build("radar", &sample_meta, &sample_table, &gp, &dat, &err),
        0);
    CHECK(strstr(gp.buf, "'series'") == NULL);
    /* axis names off their vertices */
    CHECK(strstr(gp.buf, "set for [p=1:5] paxis p label offset 0.9\n") != NULL);
    CHECK_INT_EQ(count_alike(gp.buf, "set linetype ", &n), 0);
    size_t n_left = 0; /* polygons left out for a missing vertex */
    for (const char *p = strstr(dat.buf, "# left out"); p;
         p = strstr(p + 1, "# left out"))
        n_left++;
    CHECK_INT_EQ(n + n_left, sample_table.n_rows);
    CHECK(n >= 3);
    CHECK_INT_EQ(
        plot_trend_build("trend", &sample_meta, &sample_trend, &gp, &dat, &err),
        0);
    CHECK(strstr(gp.buf, "'series'") == NULL);
    /* each series: its own offset, dash and point type */
    struct strbuf clauses = STRBUF_INIT;
    for (const char *p = strstr(gp.buf, "using (timecolumn"); p;
         p = strstr(p + 1, "using (timecolumn")) {
        const char *end = strstr(p, " title ");
        strbuf_adds(&clauses, "C ");
        if (end)
            strbuf_add(&clauses, p, (size_t)(end - p));
        strbuf_addch(&clauses, '\n');
    }
    CHECK_INT_EQ(count_alike(clauses.buf, "C", &n), 0);
    CHECK_INT_EQ(n, sample_trend.n_cols);
    strbuf_release(&clauses);
    CHECK_INT_EQ(plot_pillars_build("pillars", &sample_meta, &sample_table, &gp,
                                    &dat, &err),
                 0);
    CHECK(strstr(gp.buf, "'series'") == NULL);
    CHECK(strstr(gp.buf, "sprintf('%.3f', column(3)) : 'n/a') with labels") !=
          NULL);
    CHECK_INT_EQ(plot_heatmap_build("heatmap", &sample_meta, &sample_heatmap,
                                    &gp, &dat, &err),
                 0);
    CHECK(strstr(gp.buf, "title 'analyst override'") != NULL);
    /* Belgium's 1.1.2, present, overridden */
    CHECK(strstr(dat.buf, "0\t1\t2\t40563\t16777215\t\xE2\x9C\x93\t1\n") !=
          NULL);
    struct plot_heatmap plain = sample_heatmap;
    plain.overridden = NULL;
    CHECK_INT_EQ(
        plot_heatmap_build("heatmap", &sample_meta, &plain, &gp, &dat, &err),
        0);
    CHECK(strstr(gp.buf, "analyst override") == NULL);
    strbuf_release(&gp);
    strbuf_release(&dat);
}

/* The hostile name is in the data file only; the title is quoted. */
static void test_hostile(void)
{
    struct strbuf gp = STRBUF_INIT, dat = STRBUF_INIT;
    struct cw_error err;
    CHECK_INT_EQ(plot_radar_build("hostile", &hostile_meta, &hostile_table, &gp,
                                  &dat, &err),
                 0);
    CHECK(strstr(dat.buf, "Evil''`touch /tmp/cyberwell-plot-pwned` 'q' 'dq' "
                          "@x system('touch") != NULL);
    /* The series name appears in the script only inside the title. */
    const char *title = strstr(gp.buf, "set title '");
    CHECK(title != NULL);
    CHECK(strstr(gp.buf, "Evil") == strstr(gp.buf, "set title ") + 14);
    /* An axis name with a quote, a backquote: data file only. */
    CHECK(strstr(gp.buf, "Tech") == NULL);
    CHECK(strstr(dat.buf, "Tech`id`nical\tOrgani'zational\tCo'op") != NULL);

    /* A ranking bar, a heatmap row, a scatter label: the same. */
    struct plot_bar bars[] = {
        {SAMPLE_HOSTILE, 0.5, 1, false, true, SAMPLE_HOSTILE},
        {"Other", 0.4, 2, false, false, NULL}};
    struct plot_ranking r = {bars, 2, 0.45, SAMPLE_HOSTILE, "dense"};
    CHECK_INT_EQ(plot_ranking_build("r", &hostile_meta, &r, &gp, &dat, &err),
                 0);
    check_script_is_inert("hostile ranking", &gp);
    check_data_is_inert(&dat);
    const char *const rows[] = {SAMPLE_HOSTILE};
    const char *const cols[] = {SAMPLE_HOSTILE, "`id`"};
    const enum plot_status cells[] = {PLOT_PRESENT, 99};
    struct plot_heatmap h = {rows, cols, cells, 1, 2, 1, NULL};
    CHECK_INT_EQ(plot_heatmap_build("h", &hostile_meta, &h, &gp, &dat, &err),
                 0);
    check_script_is_inert("hostile heatmap", &gp);
    check_data_is_inert(&dat);
    /* An out-of-range status is drawn as unknown. */
    CHECK(strstr(dat.buf, "1\t0\t3\t") != NULL);
    struct plot_xy pts[] = {{SAMPLE_HOSTILE, 0.5, 0.6, true}};
    struct plot_scatter sc = {pts, 1, SAMPLE_HOSTILE, SAMPLE_HOSTILE,
                              SAMPLE_HOSTILE};
    CHECK_INT_EQ(plot_scatter_build("s", &hostile_meta, &sc, &gp, &dat, &err),
                 0);
    check_script_is_inert("hostile scatter", &gp);
    check_data_is_inert(&dat);
    const char *const dates[] = {"2015"};
    const char *const series[] = {SAMPLE_HOSTILE};
    const double vals[] = {0.5};
    struct plot_table t = {dates, series, vals, 1, 1, -1, -1};
    CHECK_INT_EQ(plot_trend_build("t", &hostile_meta, &t, &gp, &dat, &err), 0);
    check_script_is_inert("hostile trend", &gp);
    check_data_is_inert(&dat);
    CHECK_INT_EQ(
        plot_pillars_build("p", &hostile_meta, &hostile_table, &gp, &dat, &err),
        0);
    check_script_is_inert("hostile pillars", &gp);
    check_data_is_inert(&dat);
    /* A hostile stem cannot leave the folder or reach the script raw. */
    CHECK_INT_EQ(plot_radar_build("../x`id`", &sample_meta, &sample_table, &gp,
                                  &dat, &err),
                 0);
    CHECK(strstr(gp.buf, "set output '_._x_id_.png'") != NULL);
    strbuf_release(&gp);
    strbuf_release(&dat);
}

static void test_errors(void)
{
    struct strbuf gp = STRBUF_INIT, dat = STRBUF_INIT;
    struct cw_error err;
    struct plot_table empty = {NULL, NULL, NULL, 0, 0, -1, -1};
    CHECK_INT_EQ(plot_radar_build("x", &sample_meta, &empty, &gp, &dat, &err),
                 CW_ERR_USAGE);
    CHECK_STR_EQ(err.msg, "nothing to draw in the pillar radar: it needs at "
                          "least one row and 3 columns");
    struct plot_table two = sample_table;
    two.n_cols = 2;
    CHECK_INT_EQ(plot_radar_build("x", &sample_meta, &two, &gp, &dat, &err),
                 CW_ERR_USAGE);
    struct plot_table many = sample_table;
    many.n_rows = PLOT_MAX_SERIES + 1;
    CHECK_INT_EQ(plot_pillars_build("x", &sample_meta, &many, &gp, &dat, &err),
                 CW_ERR_LIMIT);
    CHECK_STR_EQ(err.msg, "the pillar bars has 13 rows, over the limit of 12");
    /* A radar whose every series lacks a value draws nothing. */
    const double nans[] = {NAN, 1, 1};
    const char *const one[] = {"A"};
    struct plot_table holes = {one, sample_pillars, nans, 1, 3, 0, -1};
    CHECK_INT_EQ(plot_radar_build("x", &sample_meta, &holes, &gp, &dat, &err),
                 CW_ERR_USAGE);
    struct plot_ranking none = {NULL, 0, NAN, NULL, NULL};
    CHECK_INT_EQ(plot_ranking_build("x", &sample_meta, &none, &gp, &dat, &err),
                 CW_ERR_USAGE);
    struct plot_scatter nopts = {NULL, 0, NULL, NULL, NULL};
    CHECK_INT_EQ(plot_scatter_build("x", &sample_meta, &nopts, &gp, &dat, &err),
                 CW_ERR_USAGE);
    const char *const bad_dates[] = {"2015-02-02", "02/2015\n`id`"};
    const double v2[] = {0.5, 0.6};
    const char *const s1[] = {"Overall"};
    struct plot_table bad = {bad_dates, s1, v2, 2, 1, -1, -1};
    CHECK_INT_EQ(plot_trend_build("x", &sample_meta, &bad, &gp, &dat, &err),
                 CW_ERR_PARSE);
    CHECK_STR_EQ(err.msg, "trend row 2: date '02/2015 `id`' is not YYYY, "
                          "YYYY-MM or YYYY-MM-DD");
    const char *const bad_month[] = {"2015-13"};
    struct plot_table bad2 = {bad_month, s1, v2, 1, 1, -1, -1};
    CHECK_INT_EQ(plot_trend_build("x", &sample_meta, &bad2, &gp, &dat, &err),
                 CW_ERR_PARSE);
    strbuf_release(&gp);
    strbuf_release(&dat);
}

/* Files land in the job's folder; a missing gnuplot is CW_ERR_TOOL with
 * the install hint, and the scripts and data stay. */
static void test_job(void)
{
    char dir[] = "/tmp/cw-test-plot-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct strbuf sub = STRBUF_INIT, path = STRBUF_INIT;
    strbuf_addf(&sub, "%s/out/BEL", dir);
    struct cw_error err;
    struct plot_job *job = plot_job_new(sub.buf, &err);
    CHECK(job != NULL);
    if (!job)
        return;
    CHECK_INT_EQ(plot_radar(job, "radar", &sample_meta, &sample_table, &err),
                 0);
    CHECK_INT_EQ(plot_trend(job, "trend", &sample_meta, &sample_trend, &err),
                 0);
    CHECK_INT_EQ(plot_radar(job, "radar", &sample_meta, &sample_table, &err),
                 0);
    CHECK_INT_EQ(plot_job_count(job), 2);
    CHECK_STR_EQ(plot_job_stem(job, 1), "trend");
    CHECK_INT_EQ(plot_job_write(job, "../escape.csv", "x\n", 2, &err), 0);
    strbuf_addf(&path, "%s/_._escape.csv", sub.buf);
    CHECK(access(path.buf, F_OK) == 0);
    strbuf_reset(&path);
    strbuf_addf(&path, "%s/out/escape.csv", dir);
    CHECK(access(path.buf, F_OK) != 0);

    int rc = plot_render(job, "/nonexistent/gnuplot", &err);
    CHECK_INT_EQ(rc, CW_ERR_TOOL);
    /* posix_spawnp reports the missing program itself, or (under
     * valgrind, which forks) through the child's exit status 127. */
    if (strcmp(err.msg, "cannot run gnuplot '/nonexistent/gnuplot': command "
                        "not found; " PLOT_INSTALL_HINT) != 0)
        CHECK_STR_EQ(err.msg,
                     "cannot run gnuplot '/nonexistent/gnuplot': No such file "
                     "or directory; " PLOT_INSTALL_HINT);
    static const char *const kept[] = {"radar.gp", "radar.dat", "trend.gp",
                                       "trend.dat"};
    for (size_t i = 0; i < 4; i++) {
        strbuf_reset(&path);
        strbuf_addf(&path, "%s/%s", sub.buf, kept[i]);
        CHECK(access(path.buf, F_OK) == 0);
    }
    /* A gnuplot that fails: exit status and the last line of its log. */
    rc = plot_render(job, "false", &err);
    CHECK_INT_EQ(rc, CW_ERR_TOOL);
    CHECK(strstr(err.msg, "gnuplot 'false' failed with exit status 1") ==
          err.msg);
    /* A program that exits 0 but draws nothing. */
    rc = plot_render(job, "true", &err);
    CHECK_INT_EQ(rc, CW_ERR_TOOL);
    CHECK(strstr(err.msg, "did not write") != NULL);
    plot_job_free(job);
    plot_job_free(NULL);

    /* Two quotes in a row in the folder's name: no path is passed to
     * gnuplot (it starts in the folder), so only the program matters. */
    strbuf_reset(&path);
    strbuf_addf(&path, "%s/a''b", dir);
    struct plot_job *quoted = plot_job_new(path.buf, &err);
    CHECK(quoted != NULL);
    if (quoted) {
        CHECK_INT_EQ(
            plot_radar(quoted, "radar", &sample_meta, &sample_table, &err), 0);
        CHECK_INT_EQ(plot_render(quoted, "/nonexistent/gnuplot", &err),
                     CW_ERR_TOOL);
        CHECK(strstr(err.msg, "cannot run gnuplot '/nonexistent/gnuplot': No "
                              "such file or directory") == err.msg);
        plot_job_free(quoted);
    }

    /* Folder names with control characters are refused. */
    CHECK(plot_job_new("a\nb", &err) == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_IO);
    /* A folder that cannot be created. */
    strbuf_reset(&path);
    strbuf_addf(&path, "%s/_._escape.csv/sub", sub.buf);
    CHECK(plot_job_new(path.buf, &err) == NULL);

    /* The program: argument, then CYBERWELL_GNUPLOT, then "gnuplot". */
    setenv("CYBERWELL_GNUPLOT", "/opt/gp", 1);
    CHECK_STR_EQ(plot_program("/x/gnuplot"), "/x/gnuplot");
    CHECK_STR_EQ(plot_program(NULL), "/opt/gp");
    CHECK_STR_EQ(plot_program(""), "/opt/gp");
    setenv("CYBERWELL_GNUPLOT", "", 1);
    CHECK_STR_EQ(plot_program(NULL), "gnuplot");
    unsetenv("CYBERWELL_GNUPLOT");
    CHECK_STR_EQ(plot_program(NULL), "gnuplot");

    strbuf_reset(&path);
    strbuf_addf(&path, "rm -rf -- '%s'", dir);
    CHECK_INT_EQ(system(path.buf), 0);
    strbuf_release(&sub);
    strbuf_release(&path);
}

int main(void)
{
    test_quote();
    test_field();
    test_names();
    test_goldens();
    test_intervals();
    test_chart_defects();
    test_hostile();
    test_errors();
    test_job();
    return test_summary();
}
