/*
 * import: load a CSV file of analyst overrides or of published reference
 * scores into the store. The kind is told by the header row. Every row is
 * checked before anything is written; one bad row and nothing from the
 * file is stored. The formats are in the README ("Importing CSV").
 */
#ifndef CYBERWELL_CORE_IMPORT_H
#define CYBERWELL_CORE_IMPORT_H

#include <stddef.h>

#include "store/store.h"
#include "util/diag.h"

enum import_kind {
    IMPORT_OVERRIDES, /* kind,iso3,indicator,status,reason,author,date */
    IMPORT_REFERENCE, /* kind,edition,iso3,country,overall,rank,tier,... */
    IMPORT_PROFILES   /* kind,iso3,country,section,status,line,... : the
                         reference assessments of the world's profiles
                         (data/reference/profiles.csv) */
};

struct import_summary {
    enum import_kind kind;
    size_t n_rows;      /* data rows in the file */
    size_t n_stored;    /* rows written; profiles: countries stored (new or
                           replaced) */
    size_t n_existing;  /* overrides, or countries' assessments, already
                           stored identically: skipped */
    size_t n_replaced;  /* profiles: countries whose stored assessment the
                           file changed (replaced) */
    char replaced[256]; /* profiles: their codes, space-separated ("..."
                           when they do not fit) */
};

/* Options of import_csv_opts. */
struct import_opts {
    /* Profiles only: the rubric file registered and scored under when the
     * database has no rubric yet (NULL: none; the assessments are then
     * stored without results until a rubric is added and rescored). */
    const char *default_rubric;
};

/*
 * Import path into s in one transaction. Fills out. Errors (up to
 * CW_MAX_ERRORS, each FILE:LINE:COL with what is wrong) go to errs and
 * the return is CW_ERR_PARSE (or CW_ERR_LIMIT/CW_ERR_IO); a store failure
 * is errs->e[0] with CW_ERR_DB or CW_ERR_BUSY.
 */
int import_csv(struct store *s, const char *path, struct import_summary *out,
               struct cw_errors *errs);
/*
 * import_csv with options (o may be NULL). A profiles file stores one
 * reference assessment (core/ingest.h, ingest_reference) per country, with
 * results under every registered rubric; a country's assessment already
 * stored with the same rows is left as it is, a changed one replaced.
 */
int import_csv_opts(struct store *s, const char *path,
                    const struct import_opts *o, struct import_summary *out,
                    struct cw_errors *errs);

/* What n rows of kind k are: "override" or "overrides", "reference
 * score(s)", "reference profile(s)". */
const char *import_kind_name(enum import_kind k, size_t n);

/* The header columns an import file of kind k starts with (static); n
 * (fills) gets their count. export writes them first, so that its
 * overrides.csv and reference.csv import again. */
const char *const *import_columns(enum import_kind k, size_t *n);

#endif
