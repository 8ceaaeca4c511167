/*
 * rubric: the scoring rules, loaded from a CSV file an analyst can edit.
 * A rubric declares pillars, indicators (each reading one profile section),
 * the points of each status, the cues (regular expressions) that decide an
 * indicator's status from the section's text, the clause splitters and the
 * negations that turn a cue. The file format is in the README ("Rubric
 * files"); the semantics of cues and negations are in score.h.
 *
 * Ownership: rubric_load returns an owned rubric (rubric_free); every
 * pointer inside it is owned by it and valid until rubric_free.
 */
#ifndef CYBERWELL_CORE_RUBRIC_H
#define CYBERWELL_CORE_RUBRIC_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/diag.h"
#include "util/litalt.h"
#include "util/litscan.h"

#define RUBRIC_MAX_BYTES        ((size_t)4 * 1024 * 1024)
#define RUBRIC_MAX_ROWS         5000
#define RUBRIC_MAX_PATTERN      1024 /* bytes in one cue or clause pattern */
#define RUBRIC_MAX_NESTING      16   /* group nesting in one pattern */
#define RUBRIC_MAX_PATTERN_SIZE 2000 /* items, intervals written out */
#define RUBRIC_COVERAGE_ALL     ((size_t)-1) /* min_coverage: every one */
#define RUBRIC_MAX_WINDOW       50           /* words in a negation's scope */
/* What all the patterns of a rubric may ask of glibc's regcomp, estimated
 * from their sizes (see rubric.c: compile_bytes): a rubric over it is
 * refused at the pattern that crosses it, before any is compiled. */
#define RUBRIC_MAX_COMPILE_MB 64
/* A pillar or indicator weight, or a level's points: 0 to this. */
#define RUBRIC_MAX_WEIGHT 1000

/* The status of one indicator in one document. Order matters: the first
 * three are ranked absent < partial < present. */
enum cw_state {
    CW_ABSENT = 0,
    CW_PARTIAL = 1,
    CW_PRESENT = 2,
    CW_UNKNOWN = 3,  /* the section is there but does not say */
    CW_UNSTATED = 4, /* the document has no such section */
    CW_N_STATES = 5
};

/* "absent", "partial", "present", "unknown", "not stated". */
const char *cw_state_name(enum cw_state s);
/* Inverse of cw_state_name; also accepts "unstated", "not_stated" and
 * "missing". Returns false when name is none of them. */
bool cw_state_parse(const char *name, enum cw_state *out);

enum rubric_aggregate {
    RUBRIC_AGG_POINTS, /* overall = points / maximum over all indicators */
    RUBRIC_AGG_PILLARS /* overall = weighted mean of pillar scores */
};

enum cue_scope {
    CUE_LEAD,   /* may decide the lead clause only */
    CUE_ANY,    /* the lead clause, or a later clause (see score.h) */
    CUE_BULLET, /* classifies a bullet under a positive list lead-in */
    CUE_CAVEAT  /* a later clause only: what it does to the lead */
};

/* Where a negation must stand relative to the text a cue matched (its key
 * term) to negate it. */
enum negation_scope {
    NEG_BEFORE, /* ends at most `window` words before the key term */
    NEG_AFTER,  /* starts at most `window` words after the key term */
    NEG_CLAUSE  /* anywhere in the clause */
};

struct rubric_pillar {
    const char *id;
    const char *name;
    double weight;   /* >= 0, used by aggregate=pillars */
    bool in_overall; /* false: reported apart (e.g. child online protection) */
    unsigned line;
};

struct rubric_indicator {
    const char *id;
    const char *name;
    size_t pillar;        /* index into rubric.pillars */
    const char *section;  /* profile section number read, "1.2.1" */
    const char **aliases; /* title keys (doc_title_key form) to fall back on */
    size_t n_aliases;
    double weight; /* >= 0 */
    unsigned line;
};

/*
 * What every match of a pattern contains, to skip the regex on texts that
 * cannot match: the pattern may match only if, for some branch, each of the
 * branch's requirements has one of its literals in the text. Literals are
 * ids in rubric.lits; requirement r holds ids[req_end[r-1] .. req_end[r])
 * and branch b the requirements req_end[branch_end[b-1] .. branch_end[b]).
 */
struct rubric_prefilter {
    const uint32_t *ids;
    const uint32_t *req_end;
    const uint32_t *branch_end;
    size_t n_branches; /* 0: no prefilter, the regex always runs */
};

/* Whether a text whose literals (rubric.lits) are marked in hit may match.
 * Inline: the scorer asks it for every cue of every clause. */
static inline bool rubric_prefilter_may_match(const struct rubric_prefilter *pf,
                                              const unsigned char *hit)
{
    if (!pf->n_branches)
        return true;
    uint32_t r = 0; /* first requirement of the branch */
    for (size_t br = 0; br < pf->n_branches; r = pf->branch_end[br++]) {
        bool all = true;
        for (; all && r < pf->branch_end[br]; r++) {
            bool any = false;
            for (uint32_t i = r ? pf->req_end[r - 1] : 0;
                 !any && i < pf->req_end[r]; i++)
                any = hit[pf->ids[i]];
            all = any;
        }
        if (all)
            return true;
    }
    return false;
}

struct rubric_cue {
    const char *id;
    enum cw_state status; /* present, partial, absent or unknown */
    bool is_neutral;      /* status "none": the clause says neither way */
    /* indicator ids it is limited to ("1.5.1|1.5.2"), or NULL (all) */
    const char *target;
    enum cue_scope scope;
    const char *pattern; /* POSIX extended regex; matched case-insensitively
                          * (the text and the pattern's letters are lower
                          * case) */
    const char *literal; /* lowercase text every match contains, or "" */
    struct rubric_prefilter prefilter;
    regex_t re; /* yes/no matching; with REG_STARTEND, within a range */
    /* The pattern written out as literal alternatives (util/litalt.h),
     * which decide it exactly from where litscan finds them, instead of
     * re; alts.n == 0 when it does not expand. alt_ids[i]: the id in
     * rubric.lits of alts.alts[i].lit. */
    struct litalt_set alts;
    uint32_t *alt_ids;
    unsigned line;
};

/* A use of a literal by a cue's alternative (rubric.lit_uses). */
struct rubric_lit_use {
    uint32_t cue; /* index into rubric.cues */
    uint32_t alt; /* index into that cue's alts */
};

/*
 * A negation: a pattern ("not", "no longer", "was repealed") that, standing
 * within its scope of the text a present or partial cue matched in the same
 * clause, turns that cue's status into its own (absent, or partial for
 * "not yet fully"). A false negation (is_false: "not only", "whether or
 * not") negates nothing and hides the negations inside its matches.
 */
struct rubric_negation {
    const char *id;
    enum cw_state status; /* absent or partial; unused when is_false */
    bool is_false;
    const char *target; /* as a cue's target */
    enum negation_scope scope;
    unsigned window; /* words allowed between it and the key term */
    const char *pattern;
    struct rubric_prefilter prefilter;
    regex_t re; /* reports where it matched */
    unsigned line;
};

/* A clause splitter: each match starts a new clause ("however", "but"). */
struct rubric_clause {
    const char *id;
    const char *pattern;
    struct rubric_prefilter prefilter;
    regex_t re;
    unsigned line;
};

struct rubric {
    struct arena arena;
    const char *path;
    const char *name;
    const char *version;
    const char *description;
    char hash[65]; /* SHA-256 of the file */
    enum rubric_aggregate aggregate;
    /* option min_coverage: indicators in the overall a document must state
     * (present, partial or absent) to be ranked; RUBRIC_COVERAGE_ALL (the
     * default) for all of them */
    size_t min_coverage;
    /* option edition: the published GCI edition with this structure, to
     * compare computed scores with ("2014"), or NULL */
    const char *edition;
    double points[CW_N_STATES]; /* points of each status */
    bool has_level[CW_N_STATES];
    double max_points; /* best points of present/partial/absent */
    double min_points; /* worst points of present/partial/absent */
    struct rubric_pillar *pillars;
    size_t n_pillars;
    struct rubric_indicator *indicators;
    size_t n_indicators;
    struct rubric_cue *cues;
    size_t n_cues;
    struct rubric_clause *clauses;
    size_t n_clauses;
    struct rubric_negation *negations;
    size_t n_negations;
    struct litscan lits; /* every prefilter literal and every cue's
                            alternative, to find in one pass */
    /* The cues' alternatives by literal: those of literal id i are
     * lit_uses[lit_use_start[i] .. lit_use_start[i + 1]]. */
    uint32_t *lit_use_start;
    struct rubric_lit_use *lit_uses;
    /* Decide the cues that expand by their alternatives (true after
     * loading when lits compiled); false: by regexec alone, the reference
     * path the tests compare with. */
    bool use_alts;
};

/*
 * Load and check a rubric. On failure returns NULL with every error found
 * (up to CW_MAX_ERRORS, each with file:line:col) in errs; errs->e[0].code
 * is CW_ERR_IO, CW_ERR_PARSE or CW_ERR_LIMIT.
 */
struct rubric *rubric_load(const char *path, struct cw_errors *errs);
/* The same from a buffer; name is used for messages. */
struct rubric *rubric_parse(const char *name, const char *data, size_t len,
                            struct cw_errors *errs);
void rubric_free(struct rubric *r);

/* Whether a cue's or negation's target (NULL: all, or ids separated by
 * '|') includes indicator id. */
bool rubric_targets(const char *targets, const char *id);

/*
 * Whether cue c (with alternatives: c->alts.n > 0) matches within
 * text[s, e) as regexec with REG_STARTEND reads the string text + s of
 * e - s bytes (REG_NOTEOL when e < len), given the n_occ occurrences of
 * rubric.lits in the text of len bytes (litscan_find).
 */
bool rubric_alts_within(const struct rubric *r, const struct rubric_cue *c,
                        const char *text, size_t len,
                        const struct litscan_occ *occ, size_t n_occ, size_t s,
                        size_t e);

/* Index of the indicator with this id, or -1. */
long rubric_find_indicator(const struct rubric *r, const char *id);
long rubric_find_pillar(const struct rubric *r, const char *id);

/* The lowercase literal that every match of an ERE contains ("" when none
 * can be told), written into out (cap bytes). Exposed for tests. */
void rubric_required_literal(const char *pattern, char *out, size_t cap);

#endif
