/*
 * score: apply a rubric to a parsed document.
 *
 * How an indicator's status is decided (the cue semantics):
 *  1. The indicator's section is found by number, else by a title alias.
 *     No section: "not stated". A section with no text: "unknown".
 *  2. Each sentence and bullet is split into clauses where a `clause` row
 *     matches (e.g. "however", "but").
 *  3. The lead is the first clause, in document order, that a lead or any
 *     cue matches; cues are tried in file order and the first match wins.
 *     No cue matches anywhere: "unknown" (the engine does not guess).
 *  4. A negative lead ("absent") becomes "partial" when a later clause
 *     matches a partial cue of scope any ("However ... is in the process
 *     of ..."); no other later clause changes it.
 *  5. A positive lead ("present") followed directly by bullets is decided
 *     by its bullets: each bullet takes the status of the first bullet cue
 *     that matches it ("None." absent, "(Draft)" partial), else present;
 *     the indicator takes the best bullet status.
 * Every result keeps the deciding sentence, its line and the cue.
 *
 * Ownership: a score_result borrows the rubric and document it was computed
 * from and must be released (score_release) before either is freed.
 */
#ifndef CYBERWELL_CORE_SCORE_H
#define CYBERWELL_CORE_SCORE_H

#include <stddef.h>

#include "core/doc.h"
#include "core/rubric.h"

struct score_indicator {
    enum cw_state state;
    double points;                     /* level points (unweighted) */
    const struct doc_section *section; /* borrowed; NULL when not stated */
    const struct doc_unit *evidence;   /* borrowed; NULL when none */
    const struct rubric_cue *cue;      /* borrowed; NULL when no cue decided */
    const char *reason;                /* static text: why, in words */
};

struct score_pillar {
    double points;               /* weighted points */
    double max;                  /* weighted maximum */
    double score;                /* points / max, 0..1 */
    double min_score, max_score; /* range over unknown/unstated indicators */
    size_t n_indicators;
    size_t n_stated; /* present, partial or absent */
};

struct score_result {
    const struct rubric *rubric;        /* borrowed */
    const struct doc *doc;              /* borrowed */
    struct score_indicator *indicators; /* owned, rubric->n_indicators */
    struct score_pillar *pillars;       /* owned, rubric->n_pillars */
    double points, max_points;       /* weighted, pillars in the overall only */
    double overall;                  /* 0..1 */
    double overall_min, overall_max; /* if unknown/unstated were resolved */
    size_t coverage;  /* indicators in the overall that the text states */
    size_t n_counted; /* indicators in the overall */
};

/* Score d under r into out (fills). Never fails on valid inputs. */
void score_document(const struct rubric *r, const struct doc *d,
                    struct score_result *out);
void score_release(struct score_result *res);

/*
 * Overall score that results when indicator statuses are `states` (one per
 * rubric indicator): the same arithmetic as score_document, for ranges,
 * overrides and what-if comparisons.
 */
double score_from_states(const struct rubric *r, const enum cw_state *states,
                         double *pillar_scores);

/*
 * Each indicator's contribution to the overall score under states: the
 * overall is exactly the sum of contrib[] (n_indicators entries).
 */
void score_contributions(const struct rubric *r, const enum cw_state *states,
                         double *contrib);

#endif
