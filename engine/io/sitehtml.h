/*
 * sitehtml: the index and group pages of the offline site (core/site.h):
 * a ranking table that sorts in the browser (one small inline script,
 * allowed by its hash in the page's Content-Security-Policy; no network,
 * no external file), a heatmap of the pillars as a coloured table, links
 * to the country cards and the CSV files, and a print stylesheet.
 *
 * Security (STYLE.md section 8): every string of a page, links included,
 * is written through html_escape (io/html.h). Every figure comes formatted
 * by the caller: the page writes no number of its own but the sort keys.
 *
 * Ownership: every pointer in a struct sitehtml_page is borrowed for the
 * call; sitehtml_render only appends to the caller's strbuf.
 */
#ifndef CYBERWELL_IO_SITEHTML_H
#define CYBERWELL_IO_SITEHTML_H

#include <stdbool.h>
#include <stddef.h>

#include "io/html.h"
#include "util/strbuf.h"

/* One country of a ranking. */
struct sitehtml_row {
    const char *iso3;
    const char *name;
    const char *href;           /* its card, relative to the page; NULL: none */
    const char *rank;           /* "3", "3=", or "-" when not ranked */
    const char *range;          /* joint rank range "2-5", or "-" */
    const char *overall;        /* "0.706", "n/a" */
    const char *coverage;       /* "16/17" */
    const char *place;          /* "rank 3=", "not ranked: coverage 9 of 17" */
    double rank_key;            /* sort key: the rank, large when not ranked */
    double overall_key;         /* sort key: the score, -1 when none */
    double coverage_key;        /* sort key: indicators stated */
    const char *const *pillars; /* n_pillars pillar scores with their
                                   coverage: "0.750 (3/4)", "n/a" */
    const char *const *cells;   /* n_pillars heatmap cells: "0.750" */
    const double *pillar_values; /* n_pillars, 0..1, NAN: none (colour) */
    const bool *is_partial;      /* n_pillars: the pillar partly stated */
    bool is_ranked;
};

/* A link (text, href relative to the page). */
struct sitehtml_link {
    const char *text;
    const char *href;
    const char *note; /* shown after the link, or NULL */
};

struct sitehtml_page {
    const char *title;  /* <title> and <h1> */
    const char *kicker; /* line above the title */
    const char *intro;  /* paragraph under the title, or NULL */
    const char *home;   /* href of the site index, NULL on the index */
    const char *const *pillar_names; /* n_pillars column heads */
    const bool *pillar_apart;        /* n_pillars: not in the overall */
    size_t n_pillars;
    const struct sitehtml_row *rows; /* ranked first, best first */
    size_t n_rows;
    const char *rows_note;      /* under the ranking: how ranks are taken */
    const char *const *missing; /* members without a document (groups) */
    size_t n_missing;
    const struct sitehtml_link *groups; /* the groups' pages */
    size_t n_groups;
    const struct sitehtml_link *files; /* CSV downloads */
    size_t n_files;
    const struct html_kv *provenance; /* rubric, hashes, engine, command */
    size_t n_provenance;
};

/* Append the whole page p to out. */
void sitehtml_render(const struct sitehtml_page *p, struct strbuf *out);

/* The sorting script the pages carry (static), and the CSP source that
 * allows it: "'sha256-BASE64'" appended to out. */
const char *sitehtml_script(void);
void sitehtml_script_hash(struct strbuf *out);

#endif
