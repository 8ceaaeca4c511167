/*
 * Errors: status codes, source locations and struct cw_error, which carries
 * one message without allocating. Lower layers fill a cw_error and return
 * its code; only cli/ prints.
 */
#ifndef CYBERWELL_UTIL_DIAG_H
#define CYBERWELL_UTIL_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cw_status {
    CW_OK = 0,
    CW_ERR_IO = -1,      /* a file or system call failed */
    CW_ERR_USAGE = -2,   /* the command line is wrong */
    CW_ERR_PARSE = -3,   /* a document, rubric or CSV is malformed */
    CW_ERR_LIMIT = -4,   /* input exceeds a documented size cap */
    CW_ERR_DB = -5,      /* SQLite failed */
    CW_ERR_TOOL = -6,    /* gnuplot or pdftotext missing or failed */
    CW_ERR_BUSY = -7,    /* the database is locked by another process */
    CW_ERR_NOTFOUND = -8 /* a named country, rubric or record is unknown */
};

/* A position in an input file; 1-based, 0 when unknown. file is borrowed. */
struct cw_loc {
    const char *file;
    unsigned line;
    unsigned col;
};

#define CW_LOC_NONE ((struct cw_loc){NULL, 0, 0})

/*
 * One error. All storage is inline, so a cw_error may outlive the objects
 * that produced it. src holds the offending source line (may be empty);
 * when col > 0 the CLI prints a caret under it.
 */
struct cw_error {
    int code;       /* enum cw_status, 0 when no error */
    char file[256]; /* copied from the location, may be empty */
    unsigned line;  /* 1-based, 0 when unknown */
    unsigned col;   /* 1-based, 0 when unknown */
    char msg[512];  /* lowercase, no final period */
    char src[256];  /* the source line, possibly truncated, or "" */
};

#define CW_MAX_ERRORS 20

/* Up to CW_MAX_ERRORS errors, collected by loaders that report them all. */
struct cw_errors {
    size_t n;         /* errors stored in e[] */
    size_t n_dropped; /* errors seen after e[] was full */
    struct cw_error e[CW_MAX_ERRORS];
};

void cw_error_clear(struct cw_error *err);

/*
 * Fill err (may be NULL) and return code. A message longer than msg[] is
 * shortened in its %s arguments (paths, names), each cut in the middle
 * with "...", so that the words of fmt (the reason) survive; only when
 * the arguments cannot shrink enough is the end cut. A file name longer
 * than file[] is cut in its middle the same way.
 */
int cw_errorf(struct cw_error *err, int code, struct cw_loc loc,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int cw_verrorf(struct cw_error *err, int code, struct cw_loc loc,
               const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/*
 * Format into out (cap bytes, cap >= 1) as vsnprintf does, but shorten the
 * %s arguments in their middle first when the whole does not fit (see
 * cw_errorf). Returns the length written. Allocates nothing.
 */
size_t cw_vformat_fit(char *out, size_t cap, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Attach the source line (up to a newline) starting at line_start. */
void cw_error_set_src(struct cw_error *err, const char *line_start,
                      size_t max_len);

/* Append a copy of err to errs, counting it as dropped when full. */
void cw_errors_add(struct cw_errors *errs, const struct cw_error *err);

/* Human name of a status ("parse error"), for summaries. */
const char *cw_status_name(int code);

/* ---- text for a terminal ---------------------------------------------- */

struct strbuf;

/*
 * Append len bytes of s to out with every control character made visible,
 * so that no text read from input (a CSV cell, a country or rubric name, a
 * profile's sentence, a path) can drive the terminal it is printed on:
 * C0 controls other than tab and newline, DEL and bytes that are not UTF-8
 * become \xHH; C1 controls (U+0080-U+009F) and U+2028/U+2029 become
 * \uHHHH (the same escape JSON reads). A CR is kept only before a newline
 * (CSV's CRLF). When is_final is false an incomplete UTF-8 sequence or a
 * CR at the end is left for the next call; returns the bytes consumed.
 * The one escaping function of every text output (see cw_escaping_stream).
 */
size_t cw_escape_text(struct strbuf *out, const char *s, size_t len,
                      bool is_final);

/*
 * A stream that writes what it is given to descriptor fd through
 * cw_escape_text (fully buffered, or unbuffered when is_unbuffered).
 * A failed write(2) sets the stream's error flag with errno; fclose
 * closes fd and reports its error. main puts stdout and stderr behind one
 * each, so that every command's text output is escaped in one place.
 * Returns an owned stream or NULL with errno set.
 */
FILE *cw_escaping_stream(int fd, bool is_unbuffered);

/* Print file and line of a broken invariant and abort. */
#define CW_BUG(...) cw_bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void cw_bug(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
