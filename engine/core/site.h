/*
 * site: an offline static site of the read-side model (core/model.h), in
 * one folder that opens from file:// with no network:
 *   index.html               the world ranking (rank ranges, coverage),
 *                            sortable in the browser, and a heatmap of
 *                            the pillars (io/sitehtml.h)
 *   countries/ISO3/index.html  each country's report card, written by
 *                            core/report.h (charts, tables, the card),
 *                            with a link back to the index
 *   groups/NAME.html         each group (data/groups.csv): its members
 *                            ranked among themselves, with coverage
 *   data/NAME.csv             the export CSV files (core/export.h)
 *
 * A build is three steps so that the cards, the slow part (gnuplot), can
 * be drawn by several processes: site_plan chooses the countries and
 * their peers; site_country writes one card (any process, any order);
 * site_pages writes the index, group pages and CSV files.
 *
 * Peers of a card are report_load's (the country's groups); a country
 * none of whose groups has another scored member is compared with its
 * neighbours in the world ranking (up to SITE_NEIGHBOURS), as its card
 * says.
 *
 * Ownership: strings of struct site_opts are borrowed for each call; a
 * plan is filled by site_plan and released with site_plan_release.
 */
#ifndef CYBERWELL_CORE_SITE_H
#define CYBERWELL_CORE_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"
#include "store/store.h"
#include "util/diag.h"

#define SITE_NEIGHBOURS  8   /* fallback peers: neighbours in the ranking */
#define SITE_MAX_LIST    500 /* codes in a --countries list */
#define SITE_COUNTRY_DIR "countries"
#define SITE_GROUP_DIR   "groups"
#define SITE_DATA_DIR    "data"

struct site_opts {
    const char *dir;         /* output folder, created when needed */
    struct model_opts model; /* its group stays NULL */
    const char *countries;   /* comma-separated ISO3 codes, or NULL */
    const char *group;       /* cards for this group's members only */
    const char *gnuplot;     /* program, as plot_render takes it */
    const char *command;     /* the command line, for the provenance */
    const char *db_path;     /* for the provenance, may be NULL */
};

/* One card to write. */
struct site_card {
    char iso3[4];
    char *peers; /* owned: fallback peer list ("NLD,LUX"), or NULL */
};

struct site_plan {
    struct site_card *cards; /* owned, in ranking order */
    size_t n;
};

/*
 * Choose the cards: every country with a document under the rubric, or
 * those of o->countries, or o->group's members that have one. Errors:
 * CW_ERR_USAGE (a malformed code), CW_ERR_LIMIT (over SITE_MAX_LIST
 * codes), CW_ERR_NOTFOUND (an unknown group, a listed country without a
 * document, nothing to build), the model's.
 */
int site_plan(struct store *s, const struct site_opts *o, struct site_plan *out,
              struct cw_error *err);
void site_plan_release(struct site_plan *p);

/* The folder of a card inside o->dir: "countries/BEL" appended to out. */
void site_card_dir(const char *iso3, struct strbuf *out);

/*
 * Write card c into DIR/countries/ISO3/ as `cyberwell report` does: every
 * chart with something to show (the others are noted on the page), the
 * CSV tables, one gnuplot run and index.html. Returns CW_OK; CW_ERR_TOOL
 * when only gnuplot failed (the page says so and everything else is
 * written); report_load's and the writers' errors otherwise.
 */
int site_country(struct store *s, const struct site_opts *o,
                 const struct site_card *c, struct cw_error *err);

/* What site_pages wrote. */
struct site_summary {
    size_t n_countries; /* rows of the world ranking */
    size_t n_ranked;
    size_t n_cards;  /* cards linked (their index.html exists) */
    size_t n_groups; /* group pages */
};

/*
 * Write index.html, a page per group and the CSV files into o->dir,
 * linking the cards that exist. Fills out. Errors: CW_ERR_IO, the model's
 * and the store's.
 */
int site_pages(struct store *s, const struct site_opts *o,
               struct site_summary *out, struct cw_error *err);

#endif
