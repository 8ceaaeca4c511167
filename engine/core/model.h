/*
 * model: the read side's one model. model_load reads once what the read
 * commands (rank, compare, explain, export, report, chart, agreement) show
 * and computes every figure they show; the commands render it and compute
 * nothing of their own:
 *  - the rubric, parsed once from the content stored with the scores;
 *  - each country's latest document (or latest as of a date): its
 *    statuses as enum cw_state, analyst overrides applied once;
 *  - scores, pillar scores, coverage and score ranges
 *    (compare_scores_build), a value with no basis being NAN ("n/a");
 *  - which documents are ranked (coverage at least the rubric's
 *    min_coverage, or every one with include_incomplete), their ranks and
 *    joint rank ranges (compare_rank, compare_rank_range; docs/ranking.md);
 *  - the published figures of one edition: the one the rubric declares
 *    (option edition), or the one asked for.
 * Numbers are formatted by core/precision.h, statuses by
 * model_status_text.
 *
 * Memory: documents are streamed from the store (store_scores_each); each
 * country keeps a compact entry (statuses, scores, names) and no evidence
 * sentence. model_details loads the evidence of one entry when a command
 * shows it.
 *
 * Ownership: model_load returns an owned model (model_free); every pointer
 * it hands out (entries, their strings and arrays, overrides, published
 * figures) is owned by the model and valid until model_free. The store is
 * used only during the call that takes it.
 */
#ifndef CYBERWELL_CORE_MODEL_H
#define CYBERWELL_CORE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compare.h"
#include "core/rubric.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"

/* What to load and how to rank. Strings are borrowed for model_load. */
struct model_opts {
    const char *rubric;  /* name; NULL: the first registered (gci2014) */
    const char *version; /* NULL: the current registration of that name
                            (store_rubric_find) */
    const char *as_of;   /* NULL: latest documents; else YYYY[-MM[-DD]] */
    const char *group;   /* NULL: every country; else the group's members */
    const char *edition; /* published edition; NULL: the rubric's own */
    enum compare_ties ties;
    int decimals;            /* precision of ties and of every score shown */
    bool is_computed;        /* ignore analyst overrides */
    bool include_incomplete; /* rank documents below min_coverage too */
    bool is_all_versions;    /* stream every document to the callback;
                                entries stay one per country (its latest) */
    bool has_evidence;       /* the callback gets evidence sentences */
};

#define MODEL_OPTS_INIT                                                        \
    {                                                                          \
        NULL, NULL, NULL, NULL, NULL, COMPARE_TIES_DENSE, PRECISION_DEFAULT,   \
            false, false, false, false                                         \
    }

/* A published overall score of the model's edition. */
struct model_published {
    const struct store_reference *row; /* as imported, with its source */
    double value;                      /* row->overall / scale: 0 to 1 */
    double scale; /* what the published overall is out of (1 or 100) */
};

/* One country: its document and what the model computed from it. */
struct model_entry {
    int64_t doc_id;
    char iso3[4];
    char sha256[65];
    const char *country;      /* short name */
    const char *path;         /* the document as ingested */
    const char *title;        /* as printed, or NULL */
    const char *edition_date; /* or NULL */
    const char *ingested_at;
    enum cw_state *states;   /* rubric->n_indicators, rubric order: the
                                status used (override, else computed) */
    enum cw_state *computed; /* the statuses the scorer decided */
    /* NULL when no override applies; else per indicator the override
     * applied (NULL for the others) */
    const struct store_override **overrides;
    bool has_overrides;
    /* From states. pillars[p] is NAN when the document states none of the
     * pillar's indicators; overall is NAN when it states none at all. */
    struct compare_scores scores;
    bool is_ranked;   /* coverage >= min_coverage (or all included) */
    size_t rank;      /* among ranked entries; 0 when not ranked */
    size_t rank_best; /* joint rank range; 0 when not ranked */
    size_t rank_worst;
    const struct model_published *published; /* NULL when none */
    char *strings; /* owned by the model: one block with the strings above */
};

struct model;

/*
 * Called with each streamed document (every version with
 * o->is_all_versions), in iso3 then date order, before ranks are known: e
 * is the document's entry (its rank fields are 0), sc the stored row (with
 * evidence when o->has_evidence). Both are borrowed for the call. Return
 * CW_OK to go on, or an error to stop the load.
 */
typedef int (*model_doc_fn)(void *ctx, const struct model *m,
                            const struct model_entry *e,
                            const struct store_score *sc, struct cw_error *err);

/*
 * Load the documents o selects and compute the model; fn (may be NULL)
 * sees each streamed document. Returns an owned model, possibly with no
 * entry, or NULL after filling err: the store's errors (CW_ERR_NOTFOUND for
 * an unknown rubric or group), CW_ERR_PARSE when the stored rubric no
 * longer loads, CW_ERR_DB when a stored result does not fit its rubric,
 * fn's errors.
 */
struct model *model_load(struct store *s, const struct model_opts *o,
                         model_doc_fn fn, void *ctx, struct cw_error *err);
void model_free(struct model *m);

/* ---- what was loaded ---------------------------------------------------- */

const struct rubric *model_rubric(const struct model *m);
/* The options the model was loaded with (its strings are not kept). */
enum compare_ties model_ties(const struct model *m);
int model_decimals(const struct model *m);
bool model_is_computed(const struct model *m);
bool model_includes_incomplete(const struct model *m);
/* The --as-of date documents were chosen by, or NULL (borrowed). */
const char *model_as_of(const struct model *m);
/* Name, version and SHA-256 of the rubric as registered (borrowed). */
const char *model_rubric_name(const struct model *m);
const char *model_rubric_version(const struct model *m);
const char *model_rubric_sha256(const struct model *m);
/* "gci2014 1.0.0 sha256:3f2a9c1b7d44" (borrowed): model_label_of. */
const char *model_rubric_label(const struct model *m);

/* Hex digits of a rubric's SHA-256 that identify it in outputs (and are
 * appended to a variant's version, core/ingest.h). */
#define MODEL_SHORT_HASH 12
/* Append how every output names a rubric: name, version and short hash,
 * "gci2014 1.0.0 sha256:3f2a9c1b7d44" (the one writer of that wording). */
void model_label_of(const char *name, const char *version, const char *sha256,
                    struct strbuf *out);

/* Entries, one per country, sorted by iso3. */
size_t model_count(const struct model *m);
const struct model_entry *model_entry(const struct model *m, size_t k);
/* Index of iso3's entry (any case), or -1. */
long model_find(const struct model *m, const char *iso3);

/* Ranked entries best first (ties in iso3 order): fills *n. */
const size_t *model_ranked(const struct model *m, size_t *n);
/* Entries not ranked, by coverage (highest first) then iso3: fills *n. */
const size_t *model_unranked(const struct model *m, size_t *n);
/* Indicators in the overall, and how many a document must state to be
 * ranked (the rubric's min_coverage; all of them by default). */
size_t model_n_counted(const struct model *m);
size_t model_min_coverage(const struct model *m);

/* ---- figures of one entry ---------------------------------------------- */

/*
 * Measure m_id of an entry: pillar m_id (< rubric->n_pillars) or the
 * overall (m_id == rubric->n_pillars): its value (NAN when nothing of it
 * is stated), whether it has a basis for comparisons (the overall: the
 * entry is ranked; a pillar: some indicator stated and no more left
 * unresolved than a ranked document may leave, n_counted - min_coverage,
 * or any with include_incomplete) and its coverage.
 */
double model_value(const struct model *m, const struct model_entry *e,
                   size_t m_id);
bool model_has_basis(const struct model *m, const struct model_entry *e,
                     size_t m_id);
void model_coverage(const struct model *m, const struct model_entry *e,
                    size_t m_id, size_t *stated, size_t *of);
/* Append the value with its coverage when incomplete: "0.500",
 * "0.333 (2/3)", "n/a". */
void model_value_text(const struct model *m, const struct model_entry *e,
                      size_t m_id, struct strbuf *out);
/* Append "rank 3", "rank 3=", or "not ranked: coverage 9 of 17" (the
 * wording of an entry's place in the ranking). */
void model_place_text(const struct model *m, const struct model_entry *e,
                      struct strbuf *out);
/* Append "2-5" or "3" (the joint rank range), or "-" when not ranked. */
void model_range_text(const struct model *m, const struct model_entry *e,
                      struct strbuf *out);
/* Whether another ranked entry shares e's rank. */
bool model_is_tied(const struct model *m, const struct model_entry *e);

enum model_status_form {
    MODEL_STATUS_PLAIN, /* "present" */
    MODEL_STATUS_MARK,  /* "present*" when overridden */
    MODEL_STATUS_NOTE,  /* "present (override; computed absent)" */
    MODEL_STATUS_LONG   /* ... "; by AUTHOR on DATE: REASON)" */
};

/* Append the status of indicator i of e in the given form: the one
 * writer of a status's wording. */
void model_status_text(const struct model *m, const struct model_entry *e,
                       size_t i, enum model_status_form form,
                       struct strbuf *out);

/* ---- subsets: a country and its peers ---------------------------------- */

/*
 * Ranks among the entries idx[0..n) that are ranked, with the same
 * function, precision and ties as the model's ranking: fills rank, best
 * and worst (n each; 0 for an entry not ranked) and *n_ranked.
 */
void model_rank_subset(const struct model *m, const size_t *idx, size_t n,
                       size_t *rank, size_t *best, size_t *worst,
                       size_t *n_ranked);

/* Peer statistics of measure m_id over the entries idx[0..n) that have a
 * basis for it (model_has_basis); best_index indexes idx. */
void model_stats(const struct model *m, const size_t *idx, size_t n,
                 size_t m_id, struct compare_stat *out);

enum model_peers_from {
    MODEL_PEERS_LIST,  /* --peers */
    MODEL_PEERS_GROUP, /* --group */
    MODEL_PEERS_GROUPS /* every group the country belongs to */
};

struct model_peers {
    size_t *idx; /* owned: entry indices */
    size_t n;
    enum model_peers_from from;
    const char *group;           /* borrowed: --group, or NULL */
    struct store_strings groups; /* owned: the groups, for GROUPS */
};

#define MODEL_PEERS_MAX_LIST 500 /* codes in a --peers list */

/*
 * The peers of entry self: the codes of list ("NLD,LUX") when given, else
 * the members of group, else the members of every group the country
 * belongs to; only countries with an entry, never self, each once; in the
 * order given for a list, else by iso3. Fills out (release with
 * model_peers_release). Errors: CW_ERR_USAGE (a malformed code, self
 * listed), CW_ERR_LIMIT (over MODEL_PEERS_MAX_LIST codes),
 * CW_ERR_NOTFOUND (an unknown or unscored peer, a group with no other
 * member with an entry, no peer at all), or the store's.
 */
int model_choose_peers(const struct model *m, struct store *s, size_t self,
                       const char *list, const char *group,
                       struct model_peers *out, struct cw_error *err);
void model_peers_release(struct model_peers *p);
/* Append where the peers come from: "--peers", "group Benelux", "groups
 * Benelux, EU". */
void model_peers_source(const struct model_peers *p, struct strbuf *out);

/*
 * Why iso3 has no entry, as an error: "unknown ROLE 'XXX'" or "ROLE 'XXX'
 * (Name) has no document scored under rubric 'R' in the database"; role
 * is "country" or "peer". Returns CW_ERR_NOTFOUND, or the store's error.
 */
int model_missing(const struct model *m, struct store *s, const char *iso3,
                  const char *role, struct cw_error *err);

/* ---- details, history, overrides --------------------------------------- */

/*
 * The stored row of entry k with its evidence sentences: an owned set of
 * one item (store_scores_free), or NULL after filling err.
 */
struct store_scores *model_details(const struct model *m, struct store *s,
                                   size_t k, struct cw_error *err);
/* The stored indicator of rubric indicator i in sc, or NULL. */
const struct store_indicator *
model_indicator(const struct model *m, const struct store_score *sc, size_t i);

/* Every dated document of one country, converted as the entries are. */
struct model_history {
    struct model_entry *items; /* owned, oldest first */
    size_t n;
    struct arena arena; /* owned: the items' arrays */
};

/* Fills out with iso3's documents that have an edition date, oldest
 * first (release with model_history_release). */
int model_history_load(const struct model *m, struct store *s, const char *iso3,
                       struct model_history *out, struct cw_error *err);
void model_history_release(struct model_history *h);

/* Every stored override, as imported (borrowed). */
const struct store_overrides *model_overrides(const struct model *m);
/* The entry (or NULL) whose indicator (*indicator) override o concerns:
 * the latest override of an indicator is the one applied. */
const struct model_entry *model_override_entry(const struct model *m,
                                               const struct store_override *o,
                                               size_t *indicator);

/* ---- published figures ------------------------------------------------- */

/* The published edition compared with ("2014"), or NULL when there is
 * none: the rubric declares none and none was asked for. */
const char *model_edition(const struct model *m);
/* Append which edition and why: "GCI 2014 (the edition with the structure
 * of rubric gci2014)" or "GCI 2017 (asked for; rubric gci2014 has the
 * structure of GCI 2014)"; or why there is none. */
void model_edition_text(const struct model *m, struct strbuf *out);
/* Digits the edition's overall scores are published with (at their
 * scale), and the scale. */
int model_published_decimals(const struct model *m);
double model_published_scale(const struct model *m);
/* Every row of the edition, ranked and published order (borrowed). */
const struct store_references *model_references(const struct model *m);

/* Computed against published for the entries that have both. */
struct model_agreement {
    struct compare_agreement stats;
    size_t *entries; /* owned: entry indices, largest |difference| first */
    double *diffs;   /* owned: computed - published (0 to 1), same order */
    size_t n;
    size_t n_left_out; /* with a published score but not ranked (below
                          min_coverage), left out unless include_incomplete */
};

/* Fills out (release with model_agreement_release); n == 0 when there is
 * no edition or no country with both. */
void model_agreement_build(const struct model *m, struct model_agreement *out);
void model_agreement_release(struct model_agreement *a);

/*
 * Append the indicators that could explain a difference d (computed -
 * published) of entry e: when the profile gives more, the indicators it
 * credits (present or partial); when less, those it leaves unresolved or
 * absent; and the published pillar scores where the edition has them.
 */
void model_difference_text(const struct model *m, const struct model_entry *e,
                           double d, struct strbuf *out);

#endif
