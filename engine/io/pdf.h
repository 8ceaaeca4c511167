/*
 * pdf: the text of a PDF, extracted by poppler's pdftotext; the only code
 * that runs pdftotext.
 *
 * The PDF's bytes go to pdftotext's standard input and its text (UTF-8)
 * comes back through a pipe, so the text is that of exactly the bytes the
 * caller hashed. pdftotext runs without a shell (fork and execve with an
 * argv array), in its own process group, with a wall-clock time limit
 * (after which the group is killed), a CPU-time limit, an address-space
 * limit, no core file and no file writes, and its output is capped.
 */
#ifndef CYBERWELL_IO_PDF_H
#define CYBERWELL_IO_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/strbuf.h"

#define PDF_TIMEOUT_DEFAULT 30 /* seconds of wall clock, by default */
#define PDF_TIMEOUT_MAX     3600
#define PDF_CPU_SECONDS     60 /* CPU time, whatever the wall clock */
#define PDF_MEMORY_BYTES    ((size_t)1 << 30) /* address space of pdftotext */
#define PDF_MAX_TEXT        ((size_t)16 * 1024 * 1024) /* bytes of text */
#define PDF_SIGNATURE_SPAN  1024 /* "%PDF-" must start within these bytes */

/* The message part that says what to install when pdftotext is missing. */
#define PDF_INSTALL_HINT                                                       \
    "install poppler-utils (apt-get install -y poppler-utils) or name the "    \
    "program with --pdftotext or CYBERWELL_PDFTOTEXT"

/* True when data is a PDF: "%PDF-" within its first PDF_SIGNATURE_SPAN
 * bytes, as PDF readers accept it. The name of the file plays no part. */
bool pdf_is_pdf(const char *data, size_t len);

/*
 * The pdftotext program: program when not NULL or "", else
 * $CYBERWELL_PDFTOTEXT when set and not empty, else "pdftotext" (found on
 * PATH). Returns a borrowed string.
 */
const char *pdf_program(const char *program);

/* The wall-clock limit in seconds: $CYBERWELL_PDF_TIMEOUT when it is a
 * whole number from 1 to PDF_TIMEOUT_MAX, else PDF_TIMEOUT_DEFAULT. */
unsigned pdf_timeout(void);

/*
 * Extract the text of the PDF in [data, data + len) into text (reset
 * first; fills) with `pdftotext -raw` (the order in which the PDF draws
 * its text: the reading order, list items of side-by-side columns whole),
 * page breaks as form feeds. program as for pdf_program. path names the
 * PDF in messages. (docs/input.md compares -raw, -layout and the default
 * on PDFs with two-column bullet lists.)
 *
 * Errors: CW_ERR_TOOL when pdftotext cannot be found or started, or
 * crashes; CW_ERR_PARSE when it refuses the PDF (damaged, encrypted,
 * copying forbidden), with its message; CW_ERR_LIMIT when it runs over
 * the time or CPU limit or its text over PDF_MAX_TEXT; CW_ERR_IO when a
 * pipe or process cannot be made.
 */
int pdf_extract(const char *path, const char *data, size_t len,
                const char *program, struct strbuf *text, struct cw_error *err);

#endif
