/*
 * html: the country report card, a self-contained index.html (inline CSS
 * with a print stylesheet, no script, no network: a Content-Security-Policy
 * forbids both) whose charts are the SVG files beside it.
 *
 * Security (STYLE.md section 8): every string of a card may come from a
 * document or the database and is written through html_escape (& < > " '
 * become entities; control characters and invalid UTF-8 are replaced).
 *
 * Ownership: every pointer in a struct html_card is borrowed for the call;
 * html_card_render only appends to the caller's strbuf.
 */
#ifndef CYBERWELL_IO_HTML_H
#define CYBERWELL_IO_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* A labelled value (key figures, provenance). */
struct html_kv {
    const char *key;
    const char *value;
};

/* One pillar row: the country against its peers. The figures come
 * formatted by the caller ("0.500 (3/4)", "n/a"): the page writes no
 * number of its own. */
struct html_pillar {
    const char *name;
    const char *score;   /* the country's, with its coverage */
    const char *median;  /* the peers' median */
    const char *best;    /* the peers' best */
    const char *best_by; /* "NLD", "NLD+1" when tied, or NULL */
    bool in_overall;     /* false: reported apart (child online protection) */
    const char *peers;   /* peers with a basis: "5 of 7" */
};

/* A gap or a strength: the indicator and the sentence behind it. */
struct html_finding {
    const char *indicator; /* "1.2.3 Certification" */
    const char *pillar;    /* "Technical" */
    const char *status;    /* the country's status, override noted */
    const char *peers;     /* "NLD, LUX (2 of 3 peers compared)" */
    const char *evidence;  /* the deciding sentence, or NULL */
    unsigned line;         /* its line in the document, 0 when none */
};

/* One indicator of the country, with its evidence. */
struct html_indicator {
    const char *id;
    const char *name;
    const char *pillar;
    const char *status;   /* "present", ... (override noted) */
    const char *evidence; /* or NULL */
    unsigned line;        /* 0 when none */
    const char *reason;   /* why, in words, or NULL */
};

/* A chart beside index.html. */
struct html_chart {
    const char *stem;    /* "radar": radar.svg, radar.png, radar.gp */
    const char *caption; /* what it shows */
    const char *alt;     /* text alternative for the image */
};

struct html_card {
    const char *country;           /* "Belgium" */
    const char *iso3;              /* "BEL" */
    const char *subtitle;          /* "against its peers in Benelux, EU, ..." */
    const char *score;             /* "0.706" (formatted by the caller) */
    const char *score_note;        /* "24 of 34 points" */
    const struct html_kv *figures; /* key figures beside the score */
    size_t n_figures;
    const struct html_pillar *pillars;
    size_t n_pillars;
    const char *pillars_note; /* how the table's figures are taken */
    const struct html_finding *gaps;
    size_t n_gaps;
    const struct html_finding *strengths;
    size_t n_strengths;
    const char *findings_note; /* how gaps and strengths are decided */
    const struct html_indicator *indicators;
    size_t n_indicators;
    const struct html_chart *charts;
    size_t n_charts;
    bool is_rendered;         /* false: the images are missing (see notes) */
    const char *const *notes; /* shown at the top: skipped charts, errors */
    size_t n_notes;
    const struct html_kv *provenance; /* rubric, hashes, engine version */
    size_t n_provenance;
    const char *const *files; /* CSV tables beside index.html */
    size_t n_files;
    const char *robustness; /* how stable the rank is: one sentence shown
                               with the "robustness" chart, or NULL */
    const char *home;       /* href of a site index to link back to, or NULL */
};

/* Append s with & < > " ' as entities, control characters as spaces and
 * invalid UTF-8 as U+FFFD. NULL appends nothing. */
void html_escape(struct strbuf *sb, const char *s);

/* Append the start of every page cyberwell writes, up to and including
 * "<title>": doctype, charset, viewport and a Content-Security-Policy
 * that allows no network, inline style, and the scripts of script_src
 * (a CSP source list such as "'sha256-...'", or NULL: no script). */
void html_page_start(struct strbuf *sb, const char *script_src);

/* Append the whole page for card c to out. */
void html_card_render(const struct html_card *c, struct strbuf *out);

#endif
