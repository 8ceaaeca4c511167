/*
 * report: the benchmark charts, CSV tables and report card of one country
 * against its peers. It renders the read-side model (core/model.h: scores,
 * coverage, ranks, published figures, all computed there) into chart specs
 * (io/plot.h), CSV tables (io/csvio.h) and the card (io/html.h); it runs
 * nothing itself.
 *
 * Peers (as `cyberwell compare`): the listed codes (--peers), else the
 * other members of a group (--group), else the members of every group the
 * country belongs to; only countries with scores count, never the country
 * itself. The ranking covers every ranked country, or the group's ranked
 * members (and the country) with --group.
 *
 * Ownership: report_load returns an owned report (report_free); it
 * borrows the store and the strings of its options until report_free.
 */
#ifndef CYBERWELL_CORE_REPORT_H
#define CYBERWELL_CORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "io/plot.h"
#include "store/store.h"
#include "util/diag.h"

#define REPORT_MAX_PEERS 63 /* peers in one report (heatmap columns - 1) */
/* Draws of the rank-interval chart unless asked otherwise: about 0.1 s
 * for the world (docs/robustness.md). */
#define REPORT_DEFAULT_DRAWS 2000

/* The charts, in report order; the file stem is the name. */
enum report_kind {
    REPORT_RADAR,
    REPORT_RANKING,
    REPORT_PILLARS,
    REPORT_HEATMAP,
    REPORT_PUBLISHED,
    REPORT_TREND,
    REPORT_ROBUSTNESS,
    REPORT_N_KINDS
};

/* "radar", "ranking", "pillars", "heatmap", "published", "trend",
 * "robustness". */
const char *report_kind_name(enum report_kind k);
/* Inverse of report_kind_name; false for any other name. */
bool report_kind_parse(const char *name, enum report_kind *out);

struct report_opts {
    const char *iso3;  /* the country: three ASCII letters, any case */
    const char *peers; /* comma-separated codes, or NULL */
    const char *group; /* a group name, or NULL */
    /* rubric, version, as-of, edition, ties, decimals, overrides and
     * include_incomplete (its group stays NULL: the model holds every
     * country, the group only chooses peers and the ranking) */
    struct model_opts model;
    /* The rank-interval chart (core/robust.h over every ranked country,
     * as `cyberwell robustness --vs ISO3`): draws (0: no chart), seed,
     * threads (results do not depend on them) and the uncertainty file. */
    size_t draws;
    uint64_t seed;
    unsigned threads;
    const char *uncertainty;     /* path; NULL: no file, no chart */
    bool is_default_uncertainty; /* a missing file is then a note */
    const char *command; /* the command line, for the card's provenance */
    const char *db_path; /* shown in the provenance, may be NULL */
    const char *home;    /* href of the site index the card links back
                            to (core/site.h), or NULL */
};

struct report;

/*
 * Load the scores of every country under the rubric and choose the peers.
 * Returns an owned report, or NULL after filling err: CW_ERR_NOTFOUND for
 * an unknown country, rubric or group, a country without scores, a listed
 * peer without scores, or no peer at all; CW_ERR_USAGE for a malformed
 * code or a country listed as its own peer; the store's errors otherwise.
 */
struct report *report_load(struct store *s, const struct report_opts *o,
                           struct cw_error *err);
void report_free(struct report *r);

/* "Belgium" and "BEL" (borrowed from r). */
const char *report_country(const struct report *r);
const char *report_iso3(const struct report *r);
/* Name of the rubric the report scores under (borrowed from r). */
const char *report_rubric_name(const struct report *r);

/* Set the uncertainty file of the rank-interval chart after report_load
 * (path borrowed until report_free; NULL: none); is_default as in
 * report_opts. */
void report_set_uncertainty(struct report *r, const char *path,
                            bool is_default);

/*
 * Write chart k into job (stem: its name). CW_ERR_NOTFOUND when the chart
 * has nothing to show: no ranked country, no published figure of the
 * edition for any ranked country, fewer than two dated documents of the
 * country for a trend, or for the rank intervals: draws switched off, the
 * country not ranked, or the default uncertainty file missing. The rank
 * intervals also fail with the errors of uncertainty_load (the first) and
 * robust_run. Errors of io/plot.h and the store otherwise.
 */
int report_chart(struct report *r, struct plot_job *job, enum report_kind k,
                 struct cw_error *err);

/*
 * Write the CSV tables behind the charts into job: scores.csv,
 * pillars.csv, indicators.csv, findings.csv, and published.csv and
 * trend.csv when report_chart wrote those charts. Text cells are
 * neutralised against spreadsheet formulas (io/csvio.h).
 */
int report_tables(struct report *r, struct plot_job *job, struct cw_error *err);

/* Name of the i-th table report_tables writes ("scores.csv"), or NULL
 * past the last (static). */
const char *report_table_name(const struct report *r, size_t i);

/*
 * Write index.html into job: the card with every chart report_chart wrote.
 * is_rendered tells whether gnuplot drew the images; notes (borrowed, may
 * be empty) are shown at the top (skipped charts, a failed render).
 */
int report_card(struct report *r, struct plot_job *job, bool is_rendered,
                const char *const *notes, size_t n_notes, struct cw_error *err);

#endif
