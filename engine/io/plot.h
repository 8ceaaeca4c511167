/*
 * plot: benchmark charts drawn by gnuplot; the only code that runs gnuplot.
 * Each chart writes, into a job's output folder, a tab-separated data file
 * STEM.dat and a script STEM.gp that draws STEM.png (pngcairo) and STEM.svg.
 * plot_render then runs ONE gnuplot process over every script of the job.
 *
 * Security (STYLE.md section 8): text that may come from documents (country
 * names, indicator and pillar names, rubric names, dates) reaches gnuplot
 * only inside the data file (read with xticlabels/ytic/columnhead/key) or as
 * a single-quoted string built by plot_quote (' doubled, control characters
 * replaced); every terminal and text is `noenhanced`. gnuplot is started
 * with fork and execve and an argv array, never through a shell, and is
 * killed when cyberwell dies (PR_SET_PDEATHSIG).
 *
 * Ownership: every pointer in a spec is borrowed for the duration of the
 * call. plot_job_new returns an owned job (plot_job_free).
 *
 * The chart builders (plot_*_build) are pure: they fill two strbufs and
 * touch no file, so scripts are tested against golden files without
 * gnuplot. The plot_* writers build, then write both files into the job.
 */
#ifndef CYBERWELL_IO_PLOT_H
#define CYBERWELL_IO_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/strbuf.h"

#define PLOT_MAX_LABEL  80  /* bytes of one data-file label */
#define PLOT_MAX_TEXT   200 /* bytes of one quoted title or axis text */
#define PLOT_MAX_ROWS   500 /* rows (countries, dates, indicators) */
#define PLOT_MAX_COLS   64  /* columns (pillars, countries in a heatmap) */
#define PLOT_MAX_SERIES 12  /* polygons in a radar, bars in a cluster */
#define PLOT_MAX_CHARTS 32  /* charts in one job */
#define PLOT_MAX_STEM   48  /* bytes of a file name stem */

/* The message part that says what to install when gnuplot is missing. */
#define PLOT_INSTALL_HINT                                                      \
    "install gnuplot-nox (apt-get install -y gnuplot-nox) or name the "        \
    "program with --gnuplot or CYBERWELL_GNUPLOT"

/* What every chart names in its title. Strings borrowed; NULL allowed. */
struct plot_meta {
    const char *title;  /* first title line: "Belgium: pillar scores" */
    const char *rubric; /* "gci2014 1.0.0" */
    const char *date;   /* date of the data: "2015-02-02", "2013-2015" */
};

/* Indicator status in a heatmap (io does not know core's enum cw_state). */
enum plot_status {
    PLOT_ABSENT = 0,
    PLOT_PARTIAL = 1,
    PLOT_PRESENT = 2,
    PLOT_UNKNOWN = 3,
    PLOT_UNSTATED = 4,
    PLOT_N_STATUS = 5
};

/* Legend name of a status: "absent" ... "not stated" (static). */
const char *plot_status_name(enum plot_status s);

/*
 * A table of numbers with labelled rows and columns, row-major; NAN is
 * "no value". focus and reference are row indices (-1: none): the focus
 * country is drawn strongest, the reference row (a peer median) dashed.
 */
struct plot_table {
    const char *const *rows; /* borrowed, n_rows labels */
    const char *const *cols; /* borrowed, n_cols labels */
    const double *values;    /* borrowed, n_rows * n_cols */
    size_t n_rows, n_cols;
    long focus;
    long reference;
};

/* One bar of a ranking, given best first. */
struct plot_bar {
    const char *label; /* country name */
    double value;      /* overall score, 0..1 */
    unsigned rank;     /* 1-based, as computed by the caller */
    bool is_tied;      /* another bar shares the rank: drawn "3=" */
    bool is_focus;
    const char *value_text; /* the value as the caller shows it ("0.706");
                               NULL: "no score" */
};

struct plot_ranking {
    const struct plot_bar *bars; /* borrowed, n_bars, best first */
    size_t n_bars;
    double median;            /* peer median line; NAN: none */
    const char *median_label; /* key text of the line, with its value as
                                 the caller shows it: "peer median 0.530" */
    const char *method;       /* "competition" or "dense", for the key */
};

/* Indicators (rows, drawn top to bottom) by countries (columns). */
struct plot_heatmap {
    const char *const *rows;       /* borrowed, indicator labels */
    const char *const *cols;       /* borrowed, country labels (ISO3 codes) */
    const enum plot_status *cells; /* borrowed, n_rows * n_cols */
    size_t n_rows, n_cols;
    long focus;             /* column of the focus country, -1: none */
    const bool *overridden; /* borrowed, n_rows * n_cols: the status is an
                               analyst's override (marked); NULL: none */
};

/* One point of the computed-versus-published scatter. */
struct plot_xy {
    const char *label; /* short label drawn next to the point (ISO3) */
    double x, y;       /* computed and published, both 0..1 */
    bool is_focus;
};

struct plot_scatter {
    const struct plot_xy *points; /* borrowed, n_points */
    size_t n_points;
    const char *x_title; /* "computed overall (gci2014 1.0.0)" */
    const char *y_title; /* "published GCI 2014 overall" */
    const char *note;    /* figures written in a corner (the caller's:
                            "n = 10, ..."), or NULL */
};

/* One country of the rank-interval chart. */
struct plot_interval {
    const char *label; /* ISO3 code, drawn for the focus and peers */
    double median;     /* median rank over the draws */
    double low, high;  /* 5th and 95th percentile ranks */
    double nominal;    /* rank of the nominal index */
    bool is_focus, is_peer;
};

/* Rank intervals, given sorted by median rank (best first). */
struct plot_intervals {
    const struct plot_interval *rows; /* borrowed, n_rows */
    size_t n_rows;
    const char *focus_label; /* key text of the focus ("Belgium") */
    const char *x_title;     /* "196 countries ..., 2,000 draws" */
};

/*
 * Append s to sb as a gnuplot single-quoted string: ' doubled, control
 * characters (C0, DEL, C1) and invalid UTF-8 replaced, cut to
 * PLOT_MAX_TEXT bytes on a character boundary ("..." marks a cut). NULL
 * gives ''.
 */
void plot_quote(struct strbuf *sb, const char *s);

/*
 * Append s to sb as one text field of a tab-separated data file: the same
 * replacements as plot_quote plus '"' -> '\'' (gnuplot ends a field at a
 * double quote), cut to PLOT_MAX_LABEL bytes; NULL or "" gives "-".
 */
void plot_field(struct strbuf *sb, const char *s);

/*
 * A file-name-safe form of name in out (cap >= 2 bytes): bytes outside
 * [A-Za-z0-9._-] become '_', a leading '.' or '-' becomes '_', at most
 * cap - 1 and PLOT_MAX_STEM bytes; "" or NULL gives "_". Returns out.
 */
char *plot_safe_name(const char *name, char *out, size_t cap);

/*
 * The file name for a country: iso3 upper-cased when it is three ASCII
 * letters, else plot_safe_name(name). Returns out.
 */
char *plot_country_file_name(const char *iso3, const char *name, char *out,
                             size_t cap);

/*
 * Chart builders: fill gp (the script) and dat (the data file), both reset
 * first, for a chart whose files are STEM.{dat,gp,png,svg}. Fail with
 * CW_ERR_USAGE (an empty chart: no rows or columns), CW_ERR_LIMIT (over
 * PLOT_MAX_ROWS/COLS) or CW_ERR_PARSE (a trend date that is not ISO 8601).
 */

/* Pillar radar (spiderplot): one polygon per row (at most
 * PLOT_MAX_SERIES), one axis per column (at least 3), values 0..1. */
int plot_radar_build(const char *stem, const struct plot_meta *m,
                     const struct plot_table *t, struct strbuf *gp,
                     struct strbuf *dat, struct cw_error *err);
/* Horizontal ranking bars, best on top; ties drawn "3=". */
int plot_ranking_build(const char *stem, const struct plot_meta *m,
                       const struct plot_ranking *r, struct strbuf *gp,
                       struct strbuf *dat, struct cw_error *err);
/* Clustered bars: a cluster per column (pillar), a bar per row (at most
 * PLOT_MAX_SERIES). */
int plot_pillars_build(const char *stem, const struct plot_meta *m,
                       const struct plot_table *t, struct strbuf *gp,
                       struct strbuf *dat, struct cw_error *err);
/* Indicator heatmap with a status legend. */
int plot_heatmap_build(const char *stem, const struct plot_meta *m,
                       const struct plot_heatmap *h, struct strbuf *gp,
                       struct strbuf *dat, struct cw_error *err);
/* Computed (x) versus published (y) with labelled points and y = x. */
int plot_scatter_build(const char *stem, const struct plot_meta *m,
                       const struct plot_scatter *s, struct strbuf *gp,
                       struct strbuf *dat, struct cw_error *err);
/* Trend: rows are ISO dates ("2015", "2015-02", "2015-02-02"), columns
 * the series (overall first, drawn thickest). */
int plot_trend_build(const char *stem, const struct plot_meta *m,
                     const struct plot_table *t, struct strbuf *gp,
                     struct strbuf *dat, struct cw_error *err);

/* Rank intervals: for each country (x, sorted by median rank) the 5th to
 * 95th percentile of its rank as a bar, its median as a dot and its
 * nominal rank as a cross; the focus and its peers coloured and labelled.
 * At most PLOT_MAX_ROWS countries. */
int plot_intervals_build(const char *stem, const struct plot_meta *m,
                         const struct plot_intervals *v, struct strbuf *gp,
                         struct strbuf *dat, struct cw_error *err);

/* ---- a job: charts written into one folder, rendered by one gnuplot ---- */

struct plot_job;

/*
 * Create dir (and parents) and return an owned job writing into it, or
 * NULL after filling err: CW_ERR_IO when dir cannot be created or its name
 * holds control characters.
 */
struct plot_job *plot_job_new(const char *dir, struct cw_error *err);
void plot_job_free(struct plot_job *job);

/* The folder (borrowed from job). */
const char *plot_job_dir(const struct plot_job *job);

/*
 * Write a file of the job: DIR/NAME, where name is sanitised with
 * plot_safe_name (so it never leaves DIR). Used for the CSV tables and the
 * HTML page beside the charts. CW_ERR_IO on failure.
 */
int plot_job_write(struct plot_job *job, const char *name, const char *data,
                   size_t len, struct cw_error *err);

/*
 * The chart writers: build, remove stale STEM.png/.svg, write STEM.dat and
 * STEM.gp into the job's folder and remember STEM for plot_render. Errors
 * as the builders, CW_ERR_IO for a failed write, CW_ERR_LIMIT after
 * PLOT_MAX_CHARTS charts.
 */
int plot_radar(struct plot_job *job, const char *stem,
               const struct plot_meta *m, const struct plot_table *t,
               struct cw_error *err);
int plot_ranking(struct plot_job *job, const char *stem,
                 const struct plot_meta *m, const struct plot_ranking *r,
                 struct cw_error *err);
int plot_pillars(struct plot_job *job, const char *stem,
                 const struct plot_meta *m, const struct plot_table *t,
                 struct cw_error *err);
int plot_heatmap(struct plot_job *job, const char *stem,
                 const struct plot_meta *m, const struct plot_heatmap *h,
                 struct cw_error *err);
int plot_scatter(struct plot_job *job, const char *stem,
                 const struct plot_meta *m, const struct plot_scatter *s,
                 struct cw_error *err);
int plot_trend(struct plot_job *job, const char *stem,
               const struct plot_meta *m, const struct plot_table *t,
               struct cw_error *err);

int plot_intervals(struct plot_job *job, const char *stem,
                   const struct plot_meta *m, const struct plot_intervals *v,
                   struct cw_error *err);

/* Charts written so far, and the stem of the i-th (borrowed from job). */
size_t plot_job_count(const struct plot_job *job);
const char *plot_job_stem(const struct plot_job *job, size_t i);

/*
 * The gnuplot program: program when not NULL or "", else
 * $CYBERWELL_GNUPLOT when set and not empty, else "gnuplot" (found on
 * PATH). Returns a borrowed string.
 */
const char *plot_program(const char *program);

/*
 * Render every chart of the job with one gnuplot process, started by
 * fork and execve as `PROGRAM A.gp B.gp ...` in DIR (a descriptor of the
 * folder, opened by the engine, is the child's working directory: no path
 * is passed to gnuplot, so none is ever cleaned or rewritten), with stdin
 * and stdout on /dev/null and stderr in DIR/gnuplot.log (a new file: a
 * symbolic link there is replaced, not followed). program as for
 * plot_program; a relative program or PATH entry is resolved from the
 * current folder first. Fails with CW_ERR_TOOL when gnuplot cannot be
 * started (the message says what to install), exits non-zero or leaves an
 * image unwritten; the scripts and data stay in place either way.
 */
int plot_render(struct plot_job *job, const char *program,
                struct cw_error *err);

#endif
