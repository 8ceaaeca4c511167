/*
 * score: apply a rubric to a parsed document.
 *
 * How an indicator's status is decided (the cue semantics):
 *  1. The indicator's section is found by number, else by a title alias.
 *     No section: "not stated". A section with no text: "unknown".
 *  2. Each sentence and bullet is split into clauses where a `clause` row
 *     matches (e.g. "however", "but"); a clause that begins with one is a
 *     caveat on what came before.
 *  3. A clause's verdict is the first cue, in file order, of a scope the
 *     clause may be read with, that matches it; a neutral cue (status
 *     "none") gives no verdict. A present or partial cue is negated when a
 *     `negation` row matches within its scope of the text the cue matched
 *     (its key term) in the same clause, for every match of the cue: the
 *     verdict then takes the negation's status (absent, or partial) and
 *     keeps the cue and the negation. Negations inside a false negation's
 *     match ("not only") do not count, nor one the cue's own pattern
 *     spells out; an absent cue whose every match holds a false negation
 *     ("there is no doubt") does not match.
 *  4. The lead is the first clause, in document order, with a verdict from
 *     a lead or any cue. No verdict anywhere: "unknown" (the engine does
 *     not guess). A positive lead followed directly by bullets is decided
 *     by its bullets: each bullet takes the status of the first bullet cue
 *     that matches it ("None." absent, "(Draft)" partial), else present;
 *     the indicator takes the best bullet status. Other bullets right
 *     under the lead belong to it and are not read again.
 *  5. Each later clause is read with any and caveat cues, and changes the
 *     lead's status so:
 *     - absent lead: a partial verdict makes it partial; a present verdict
 *       in a caveat clause makes it partial (a national step on the
 *       measure); an unknown verdict makes it unknown (the figures asked
 *       for are not known);
 *     - present lead: a partial verdict of a caveat cue (not yet in place,
 *       limited) makes it partial; an absent verdict in a caveat clause,
 *       not from a negation, makes it partial (part is missing);
 *     - partial lead: a present verdict makes it present (a measure in
 *       place next to work under way);
 *     - unknown lead: the first other verdict takes its place.
 *     A caveat cue of status absent (something regional) changes nothing.
 * Every result keeps the deciding sentence, its line, the cue and, when a
 * negation turned it, the negation; the reason names both.
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
    /* borrowed; the negation that turned cue, or NULL */
    const struct rubric_negation *negation;
    const char *reason; /* why, in words: static text or why[] (borrowed:
                           valid until score_release) */
    char why[192];      /* a reason naming the cue and its negation */
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
 * The result of statuses given rather than read (a reference assessment:
 * one per rubric indicator), with score_document's arithmetic: out->doc is
 * NULL, and no indicator has a section, evidence or cue. Fills out
 * (score_release).
 */
void score_states(const struct rubric *r, const enum cw_state *states,
                  struct score_result *out);

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
