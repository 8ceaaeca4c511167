/*
 * rediff: what a rescore changed. Compares the read-side model before a
 * rescore (the rubric of that name that was current) with the model
 * after it (the rubric rescored under), country by country (each
 * country's latest document, as rank shows it):
 *  - statuses: per indicator of the rubric after, the computed status
 *    before and after (what the rubric decided; an analyst override
 *    that holds the status is named);
 *  - scores: the overall and each pillar, with overrides applied, as
 *    shown (core/precision.h at the after model's decimals); a change
 *    smaller than the precision is no change;
 *  - ranks: the rank before and after (0: not ranked).
 * Only what changed is kept; a country with no result before is "new"
 * and keeps only its overall score. docs/reproducibility.md says how to
 * read it.
 *
 * Ownership: rediff_build fills a struct rediff whose arrays are owned
 * (rediff_release); its strings are borrowed from the two models, which
 * must outlive it.
 */
#ifndef CYBERWELL_CORE_REDIFF_H
#define CYBERWELL_CORE_REDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"
#include "util/diag.h"

/* A status that changed. before is CW_N_STATES when the indicator was not
 * in the rubric before. */
struct rediff_status {
    size_t indicator;        /* index into the after rubric's indicators */
    enum cw_state before;    /* computed */
    enum cw_state after;     /* computed */
    const char *override_to; /* the status an override holds, or NULL */
};

/* A pillar (or the overall) whose shown score changed. */
struct rediff_score {
    size_t measure; /* pillar index of the after rubric; n_pillars: overall */
    double before;  /* NAN: n/a (or no result before) */
    double after;
};

/* One country where something changed. */
struct rediff_country {
    const struct model_entry *entry;  /* after (borrowed) */
    const struct model_entry *before; /* NULL: no result before */
    size_t rank_before, rank_after;   /* 0: not ranked */
    struct rediff_status *statuses;   /* into rediff.statuses */
    size_t n_statuses;
    struct rediff_score *scores; /* into rediff.scores; overall last */
    size_t n_scores;
};

struct rediff {
    const struct model *before;       /* borrowed, may be NULL */
    const struct model *after;        /* borrowed */
    size_t n_compared;                /* countries with a result after */
    size_t n_new;                     /* of them, with no result before */
    size_t n_score_changes;           /* countries whose overall changed */
    size_t n_rank_moves;              /* countries whose rank changed */
    struct rediff_country *countries; /* owned, by iso3 */
    size_t n_countries;
    struct rediff_status *statuses; /* owned: every status change */
    size_t n_statuses;
    struct rediff_score *scores; /* owned: every score change */
    size_t n_scores;
};

/* Compare after with before (NULL: nothing was scored under that rubric
 * name before: every country is new). Fills out. */
void rediff_build(const struct model *before, const struct model *after,
                  struct rediff *out);
void rediff_release(struct rediff *d);

/* Whether a country's rank moved (not ranked counts as a place). */
bool rediff_rank_moved(const struct rediff_country *c);

#endif
