/*
 * export: the stored results as CSV files, written from the read-side
 * model (core/model.h), so that every score, status and rank in them is
 * the one `rank`, `compare` and `report` show:
 *   scores.csv      one row per document: scores, range, coverage
 *   pillars.csv     one row per document and pillar
 *   indicators.csv  one row per document and indicator, with evidence
 *   ranks.csv       one row per country: rank and joint range, or not
 *                   ranked (the ranking of `cyberwell rank`)
 *   overrides.csv   every stored override and the status it replaced
 *   reference.csv   every published figure, with the computed score beside
 *                   those of the edition compared with
 * Documents are streamed: memory stays flat however many are stored. Each
 * file goes to a temporary name and is renamed into place only when all
 * six are complete, so a failure leaves the previous export whole.
 */
#ifndef CYBERWELL_CORE_EXPORT_H
#define CYBERWELL_CORE_EXPORT_H

#include <stddef.h>

#include "core/model.h"
#include "store/store.h"
#include "util/diag.h"

#define EXPORT_N_FILES 6

/* "scores.csv", ... in the order above (static); NULL past the last. */
const char *export_file_name(size_t i);

struct export_summary {
    size_t n_documents; /* documents written to scores.csv */
    char rubric[160];   /* "gci2014 1.0.0" */
};

/*
 * Write the six files into dir (created if needed) for the documents o
 * selects (every version with o->is_all_versions; ranks.csv always ranks
 * each country's latest). Fills out. Errors: CW_ERR_IO naming the file,
 * the model's errors.
 */
int export_csv(struct store *s, const struct model_opts *o, const char *dir,
               struct export_summary *out, struct cw_error *err);

#endif
