/*
 * peerset: the stored results of a set of countries under one rubric, made
 * ready for comparison: the rubric parsed back from its stored content,
 * each country's effective indicator statuses (analyst overrides applied,
 * unless asked not to) and the scores recomputed from them (core/compare.h).
 * Shared by the rank, compare and explain commands and by charts.
 *
 * Ownership: peerset_load returns an owned set (peerset_free); every
 * pointer inside it is owned by it and valid until peerset_free. The store
 * it was loaded from is only used during peerset_load.
 */
#ifndef CYBERWELL_CORE_PEERSET_H
#define CYBERWELL_CORE_PEERSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compare.h"
#include "core/rubric.h"
#include "store/store.h"
#include "util/diag.h"

/* One country's latest (or as_of) result. */
struct peerset_entry {
    const struct store_score *score; /* borrowed from the set: names,
                                        document, evidence per indicator */
    enum cw_state *states;   /* owned, rubric->n_indicators, in rubric order:
                                the status used (override, else computed) */
    enum cw_state *computed; /* owned: the statuses the scorer decided */
    const struct store_indicator **indicators; /* owned array of borrowed
                               pointers into score, in rubric order */
    bool has_overrides;           /* some status comes from an override */
    struct compare_scores scores; /* from states */
};

struct peerset {
    struct rubric *rubric;         /* owned, parsed from the stored content */
    struct store_scores *set;      /* owned, as store_scores_get returned it */
    struct peerset_entry *entries; /* owned, one per set item, by iso3 */
    size_t n;
    bool is_overridden; /* overrides were applied */
};

enum peerset_flags {
    PEERSET_NO_OVERRIDES = 1 << 0 /* use the computed statuses only */
};

/*
 * Load the results q selects (see store_scores_get; q->is_all_versions
 * must be false) and prepare them. Returns an owned set, possibly empty,
 * or NULL after filling err: the store's errors (CW_ERR_NOTFOUND for an
 * unknown rubric or group), CW_ERR_PARSE when the stored rubric no longer
 * loads, CW_ERR_DB when a stored result does not fit its rubric.
 */
struct peerset *peerset_load(struct store *s, const struct store_query *q,
                             unsigned flags, struct cw_error *err);
void peerset_free(struct peerset *ps);

/* Index of the entry of iso3 (case-insensitive), or -1. */
long peerset_find(const struct peerset *ps, const char *iso3);

/*
 * Convenience arrays over entries idx[0..n) (all entries when idx is
 * NULL): overall, overall_min, overall_max into the caller's arrays of n
 * doubles (fills; any may be NULL), and pillar p's scores into pillar
 * (fills, may be NULL; p < rubric->n_pillars).
 */
void peerset_values(const struct peerset *ps, const size_t *idx, size_t n,
                    double *overall, double *min, double *max);
void peerset_pillar_values(const struct peerset *ps, const size_t *idx,
                           size_t n, size_t p, double *pillar);

#define PEERSET_MAX_LIST 500 /* codes in a --peers list */

/*
 * The peers of entry `self`, as `compare`, `chart` and `report` choose
 * them: the codes of `list` ("NLD,LUX") when given, else the members of
 * `group`, else the members of every group the country belongs to; only
 * countries with scores in ps, never self, each once; in the order given
 * for a list, else sorted by entry index (that is, by ISO3). peers (owned,
 * free()) and n_peers are filled; groups (fills, may be NULL; release with
 * store_strings_release) gets the group names used. Errors: CW_ERR_USAGE (a
 * malformed code, self listed), CW_ERR_LIMIT (over PEERSET_MAX_LIST codes),
 * CW_ERR_NOTFOUND (an unknown or unscored peer, a group with no other scored
 * member, no peer at all), or the store's errors.
 */
int peerset_choose_peers(const struct peerset *ps, struct store *s, size_t self,
                         const char *list, const char *group, size_t **peers,
                         size_t *n_peers, struct store_strings *groups,
                         struct cw_error *err);

/*
 * Why iso3 has no entry in ps, as an error: "unknown ROLE 'XXX'" or
 * "ROLE 'XXX' (Name) has no document scored under rubric 'R' in the
 * database"; role is "country" or "peer". Returns CW_ERR_NOTFOUND, or the
 * store's error.
 */
int peerset_missing(const struct peerset *ps, struct store *s, const char *iso3,
                    const char *role, struct cw_error *err);

#endif
