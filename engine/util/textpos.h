/*
 * textpos: where a byte of a text file is, as line and column, under the one
 * line-numbering rule every message and every evidence line follows.
 *
 * A line ends at LF, at CR LF, or at a CR on its own (old Mac files). A
 * file most of whose line ends are CR CR LF (a converter that wrote CRLF
 * text in text mode: many of the real profiles) is "doubled-CR": there
 * CR CR LF is one line end, so that line numbers are those of `grep -n`,
 * `sed -n Np` and editors; elsewhere it is two (a CR, then a CR LF). A form
 * feed is not a line end. Columns count UTF-8 characters, from 1.
 */
#ifndef CYBERWELL_UTIL_TEXTPOS_H
#define CYBERWELL_UTIL_TEXTPOS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether [text, text + len) is doubled-CR: at least half of its LFs
 * end a CR CR LF. */
bool textpos_doubled_cr(const char *text, size_t len);

/* Bytes of the line end that starts at p (0 when none), p < end. */
static inline size_t textpos_eol_len(const char *p, const char *end,
                                     bool is_doubled_cr)
{
    if (*p == '\n')
        return 1;
    if (*p != '\r')
        return 0;
    if (p + 1 < end && p[1] == '\n')
        return 2;
    if (is_doubled_cr && p + 2 < end && p[1] == '\r' && p[2] == '\n')
        return 3;
    return 1;
}

struct textpos {
    unsigned line;          /* 1-based */
    unsigned col;           /* 1-based, in characters */
    const char *line_start; /* borrowed: the first byte of that line */
};

/* The location of byte off of [text, text + len). */
struct textpos textpos_locate(const char *text, size_t len, size_t off);

#endif
