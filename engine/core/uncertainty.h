/*
 * uncertainty: the file that declares which choices behind an index are
 * uncertain and how to draw them (pillar weights, the worth of "partial",
 * the treatment of unknown and not-stated indicators, the aggregation, and
 * alternative rubrics), for `cyberwell robustness` (core/robust.h). The
 * format is in docs/robustness.md; rubric/gci2014-uncertainty.csv is the
 * shipped example.
 *
 * Ownership: uncertainty_load returns an owned object (uncertainty_free);
 * every pointer inside it, the alternative rubrics included, is owned by it
 * and valid until uncertainty_free.
 */
#ifndef CYBERWELL_CORE_UNCERTAINTY_H
#define CYBERWELL_CORE_UNCERTAINTY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rubric.h"
#include "util/arena.h"
#include "util/diag.h"

#define UNCERTAINTY_MAX_BYTES         ((size_t)1024 * 1024)
#define UNCERTAINTY_MAX_ROWS          1000
#define UNCERTAINTY_MAX_RUBRICS       8    /* alternative rubrics */
#define UNCERTAINTY_MAX_RANGES        64   /* per-pillar weight ranges */
#define UNCERTAINTY_MAX_PATH          1024 /* bytes in a rubric path */
#define UNCERTAINTY_MAX_CONCENTRATION 1e6

/* How pillar weights are drawn. */
enum uncertainty_weights {
    UNCERTAINTY_WEIGHTS_NONE,     /* no weights row: the rubric's weights */
    UNCERTAINTY_WEIGHTS_RANGE,    /* each pillar's share x U(low, high) */
    UNCERTAINTY_WEIGHTS_DIRICHLET /* shares ~ Dirichlet(concentration x
                                     nominal shares) */
};

/* How an unknown or not-stated indicator is scored. */
enum uncertainty_missing {
    UNCERTAINTY_MISSING_ABSENT,   /* as absent */
    UNCERTAINTY_MISSING_MIDPOINT, /* halfway between absent and present */
    UNCERTAINTY_MISSING_DRAWN,    /* a level drawn per indicator and
                                     country (hot deck, see robust.h) */
    UNCERTAINTY_N_MISSING
};

/* "absent", "midpoint", "drawn". */
const char *uncertainty_missing_name(enum uncertainty_missing m);

/* One pillar's own multiplier range (weights range only). */
struct uncertainty_range {
    const char *pillar; /* pillar id */
    double low, high;   /* 0 <= low <= high, high > 0 */
    unsigned line;
};

/* One alternative rubric. */
struct uncertainty_rubric {
    const char *path;      /* as written in the file */
    const char *resolved;  /* relative to the uncertainty file's folder */
    double probability;    /* > 0 */
    struct rubric *rubric; /* owned */
    unsigned line;
};

struct uncertainty {
    struct arena arena;
    const char *path;                         /* the file, as given */
    char hash[65];                            /* SHA-256 of its bytes */
    const char *name, *version, *description; /* meta rows, or NULL */

    enum uncertainty_weights weights;
    double concentration; /* dirichlet: > 0 */
    double low, high;     /* range: every pillar's multiplier bounds */
    unsigned weights_line;
    struct uncertainty_range *ranges; /* per-pillar overrides of low, high */
    size_t n_ranges;

    bool has_partial;                 /* a level,partial row */
    double partial_low, partial_high; /* 0 <= low <= high <= 1: the worth
                                         of partial as a fraction of the way
                                         from absent to present */
    unsigned partial_line;

    bool has_missing;                      /* missing rows */
    double missing[UNCERTAINTY_N_MISSING]; /* probabilities, sum 1 */
    unsigned missing_line[UNCERTAINTY_N_MISSING];

    bool has_aggregation;
    double aggregation[2]; /* by enum rubric_aggregate; sum 1 */
    unsigned aggregation_line[2];

    struct uncertainty_rubric *rubrics; /* alternatives, in file order */
    size_t n_rubrics;
    double nominal_probability; /* 1 - the alternatives' probabilities */
};

/*
 * Load and check an uncertainty file (CSV with the header
 * kind,id,value,low,high,note; '#' lines are comments). Alternative rubric
 * paths are resolved against the file's folder and loaded. On failure
 * returns NULL with every error found (up to CW_MAX_ERRORS, each with
 * file:line:col) in errs; errs->e[0].code is CW_ERR_IO, CW_ERR_PARSE or
 * CW_ERR_LIMIT.
 */
struct uncertainty *uncertainty_load(const char *path, struct cw_errors *errs);
/* The same from a buffer; name is used for messages and to resolve
 * rubric paths. */
struct uncertainty *uncertainty_parse(const char *name, const char *data,
                                      size_t len, struct cw_errors *errs);
void uncertainty_free(struct uncertainty *u);

/* Multiplier bounds of pillar id under a range: its own row, else the
 * weights row's. */
void uncertainty_pillar_range(const struct uncertainty *u, const char *pillar,
                              double *low, double *high);

#endif
