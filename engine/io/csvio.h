/*
 * csvio: the only code that talks to libcsv. Reading calls back once per
 * record with copied fields and the line the record starts on; writing
 * produces RFC 4180 CSV with spreadsheet-formula cells neutralised.
 */
#ifndef CYBERWELL_IO_CSVIO_H
#define CYBERWELL_IO_CSVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/diag.h"

#define CSVIO_MAX_FIELD  65536                      /* bytes in one field */
#define CSVIO_MAX_FIELDS 64                         /* fields in one record */
#define CSVIO_MAX_BYTES  ((size_t)64 * 1024 * 1024) /* whole file */

/*
 * Called once per record. fields are borrowed until the callback returns.
 * line is the line the record starts on. Return CW_OK to go on, or an error
 * code (after filling err) to stop reading; csvio_read returns that code.
 */
typedef int (*csvio_row_fn)(void *ctx, char **fields, size_t n_fields,
                            unsigned line, struct cw_error *err);

/*
 * Parse CSV from data (name is used in messages). Unbalanced quotes, a
 * field over CSVIO_MAX_FIELD or a record over CSVIO_MAX_FIELDS fields are
 * CW_ERR_PARSE/CW_ERR_LIMIT with line and column (column = field number).
 * Empty lines are skipped. Line ends are LF or CRLF; a file whose first
 * line ends with a lone CR is CW_ERR_PARSE at line 1 (saying so).
 */
int csvio_parse(const char *name, const char *data, size_t len, csvio_row_fn fn,
                void *ctx, struct cw_error *err);

/* Read path (cap CSVIO_MAX_BYTES) and parse it. */
int csvio_read(const char *path, csvio_row_fn fn, void *ctx,
               struct cw_error *err);

/* A CSV writer on a borrowed FILE. */
struct csvio_writer {
    FILE *fp;     /* borrowed */
    size_t n_col; /* cells written in the current row */
    bool is_failed;
};

void csvio_writer_init(struct csvio_writer *w, FILE *fp);
/* A text cell, always quoted; one that starts with = + - @ TAB or CR gets a
 * leading ' so that a spreadsheet shows it instead of evaluating it. NULL
 * writes an empty cell. */
void csvio_text(struct csvio_writer *w, const char *s);
/* A number computed by cyberwell: written bare with `decimals` digits. */
void csvio_num(struct csvio_writer *w, double v, int decimals);
void csvio_int(struct csvio_writer *w, long long v);
void csvio_empty(struct csvio_writer *w);
void csvio_end_row(struct csvio_writer *w);
/* CW_OK, or CW_ERR_IO if any write failed. */
int csvio_writer_status(const struct csvio_writer *w);

/* libcsv's version, "MAJOR.MINOR.RELEASE" (static). */
const char *csvio_version(void);

/* True when a cell starting with s would be run by a spreadsheet. */
bool csvio_is_formula(const char *s);

#endif
