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
    IMPORT_REFERENCE  /* kind,edition,iso3,country,overall,rank,tier,... */
};

struct import_summary {
    enum import_kind kind;
    size_t n_rows;     /* data rows in the file */
    size_t n_stored;   /* rows written */
    size_t n_existing; /* overrides already stored identically: skipped */
};

/*
 * Import path into s in one transaction. Fills out. Errors (up to
 * CW_MAX_ERRORS, each FILE:LINE:COL with what is wrong) go to errs and
 * the return is CW_ERR_PARSE (or CW_ERR_LIMIT/CW_ERR_IO); a store failure
 * is errs->e[0] with CW_ERR_DB or CW_ERR_BUSY.
 */
int import_csv(struct store *s, const char *path, struct import_summary *out,
               struct cw_errors *errs);

/* "overrides" or "reference scores". */
const char *import_kind_name(enum import_kind k);

/* The header columns an import file of kind k starts with (static); n
 * (fills) gets their count. export writes them first, so that its
 * overrides.csv and reference.csv import again. */
const char *const *import_columns(enum import_kind k, size_t *n);

#endif
