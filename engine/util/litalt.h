/*
 * litalt: a POSIX extended regular expression whose language is a small
 * finite set of strings, written out as those strings ("alternatives"),
 * each with the anchors and word-boundary assertions that stand between
 * its bytes. "\b(does|do) not (have|own)\b" is 4 alternatives,
 * "does not have" with a word boundary before its first byte and after its
 * last, and so on. Such a pattern is decided by finding its alternatives
 * in the text (with litscan, which the scorer runs anyway) and checking
 * their assertions, instead of running regexec: the rubric's cues are
 * mostly of this kind (score.c).
 *
 * The match it decides is glibc's in the C locale (the program never
 * calls setlocale): word bytes are [A-Za-z0-9_]; "\b" holds where the
 * bytes before and after differ in being word bytes, "\B" where they do
 * not, "\<" before a word, "\>" after one; outside the string counts as
 * not a word byte; "^" holds only at the start of the string unless
 * LITALT_NOTBOL, "$" only at its end unless LITALT_NOTEOL (no REG_NEWLINE).
 *
 * What expands: bytes, escaped punctuation, groups, '|', '?', and bracket
 * expressions of plain bytes and ranges (no negation, no classes). A
 * pattern with '.', '*', '+', an interval, a back-reference or any other
 * escape, or whose expansion is over the given cap or holds an empty
 * string, does not expand: regexec keeps deciding it.
 *
 * Ownership: a litalt_set owns its alternatives; litalt_set_release frees
 * them.
 */
#ifndef CYBERWELL_UTIL_LITALT_H
#define CYBERWELL_UTIL_LITALT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Assertions at one place of an alternative (between two bytes). */
enum litalt_assert {
    LITALT_EDGE = 1 << 0,       /* \b */
    LITALT_NOT_EDGE = 1 << 1,   /* \B */
    LITALT_WORD_START = 1 << 2, /* \< */
    LITALT_WORD_END = 1 << 3,   /* \> */
    LITALT_BOL = 1 << 4,        /* ^ */
    LITALT_EOL = 1 << 5         /* $ */
};

/* Flags of litalt_holds, as regexec's REG_NOTBOL and REG_NOTEOL. */
enum litalt_flags { LITALT_NOTBOL = 1 << 0, LITALT_NOTEOL = 1 << 1 };

struct litalt {
    char *lit;        /* the bytes, NUL-terminated (never empty) */
    size_t len;       /* strlen(lit) */
    uint8_t *asserts; /* len + 1 masks of enum litalt_assert: asserts[i]
                         holds before lit[i] (asserts[len]: after it) */
};

struct litalt_set {
    struct litalt *alts;
    size_t n, cap;
};

void litalt_set_init(struct litalt_set *s);
void litalt_set_release(struct litalt_set *s);

/*
 * Expand pattern (as regcomp is given it: the rubric lowers it first) into
 * s (initialised, empty), at most max_alts alternatives. Returns false,
 * with s left empty, when it does not expand (see above).
 */
bool litalt_expand(const char *pattern, size_t max_alts, struct litalt_set *s);

/*
 * Whether alternative a, found at offset at of the string str of len
 * bytes (at + a->len <= len), has its assertions hold there, under flags
 * (enum litalt_flags).
 */
bool litalt_holds(const struct litalt *a, const char *str, size_t len,
                  size_t at, unsigned flags);

#endif
