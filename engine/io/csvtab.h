/*
 * csvtab: what a file of "kind,..." rows read through csvio needs around
 * its rows (uncertainty files today; rubric.c has its own copies of the
 * same steps and can move here): lines starting with '#' as comments, a
 * fixed header, cells trimmed of the spaces spreadsheets leave, and errors
 * that carry their source line.
 */
#ifndef CYBERWELL_IO_CSVTAB_H
#define CYBERWELL_IO_CSVTAB_H

#include <stddef.h>

#include "io/csvio.h"
#include "util/diag.h"
#include "util/strbuf.h"

/*
 * csvio_parse on a copy of data whose lines starting with '#' are blanked
 * (so that libcsv never sees their quotes; line numbers are kept).
 */
int csvtab_parse(const char *name, const char *data, size_t len,
                 csvio_row_fn fn, void *ctx, struct cw_error *err);

/*
 * Read path (cap max_bytes) into out (fills); a file that cannot be opened
 * is "cannot open WHAT 'PATH': REASON" (what: "rubric", "uncertainty file").
 */
int csvtab_read(const char *path, const char *what, size_t max_bytes,
                struct strbuf *out, struct cw_error *err);

/*
 * The n_cols cells of a row: fields[0..n) with leading and trailing spaces
 * removed in place, "" (static) past n. f is filled; its pointers are
 * borrowed from fields until the row callback returns.
 */
void csvtab_cells(char **fields, size_t n, char **f, size_t n_cols);

/*
 * Check the header row f[0..n) against names: 0 when it matches, else the
 * 1-based column of the first mismatch, with err filled ("header column
 * 3 is 'p', expected 'value' (header: a,b,value)") at loc's file and line.
 */
unsigned csvtab_header(char *const *f, const char *const *names, size_t n,
                       struct cw_loc loc, struct cw_error *err);

/* Attach line e->line of data[0..len) to e as its source line. */
void csvtab_error_src(struct cw_error *e, const char *data, size_t len);

#endif
