/*
 * doc: the Cyberwellness Profile parser. It turns the bytes of one profile,
 * in any of the layouts real conversions produce (line-broken, collapsed onto
 * one line, hard-wrapped with hyphenation and page furniture, CRLF, UTF-8
 * punctuation), into a title, background figures, an optional "Last updated"
 * date and the numbered sections with their sentences and bullets, each with
 * the line it starts on. It knows nothing of rubrics or scores.
 *
 * Ownership: a struct doc owns everything it points to (one arena); free it
 * with doc_free(). All strings are UTF-8, NUL-terminated.
 */
#ifndef CYBERWELL_CORE_DOC_H
#define CYBERWELL_CORE_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/diag.h"

/* Size caps (input-driven growth); exceeding one is CW_ERR_LIMIT. */
#define DOC_MAX_BYTES         ((size_t)16 * 1024 * 1024) /* whole document */
#define DOC_MAX_SECTIONS      400                        /* numbered headings */
#define DOC_MAX_UNITS         2000 /* sentences + bullets, per section */
#define DOC_MAX_UNIT_LEN      ((size_t)65536) /* bytes in one sentence or bullet */
#define DOC_MAX_LINE_LEN      (4 * DOC_MAX_UNIT_LEN) /* bytes in one line */
#define DOC_MAX_BARE_WARNINGS 20   /* warnings for numbers with no title */
#define DOC_MAX_POPULATION    1e10 /* a larger total population is an error */

enum doc_unit_kind {
    DOC_SENTENCE, /* a sentence of body text */
    DOC_BULLET    /* a list item */
};

struct doc_unit {
    enum doc_unit_kind kind;
    const char *text; /* as printed: spaces collapsed, [link](url) -> link */
    const char *norm; /* text with ASCII letters lowercased, for cue matching */
    unsigned line;    /* line of the original file where the unit starts */
};

struct doc_section {
    const char *number;    /* "1.2.1", no trailing dot */
    const char *title;     /* as printed, spaces collapsed; may be "" */
    const char *title_key; /* upper case, punctuation folded: "PUBLIC PRIVATE
                              PARTNERSHIP" */
    unsigned depth;        /* 1 for "1.", 2 for "1.2", 3 for "1.2.1" */
    unsigned line;         /* line of the heading */
    struct doc_unit *units;
    size_t n_units;
    const char **links; /* texts of [links](...) in the body */
    size_t n_links;
};

/* A background figure and its "(data source: ...)" parenthetical. */
struct doc_figure {
    bool is_set;
    double value;       /* population: a whole number; internet: a percentage */
    const char *source; /* "United Nations Statistics Division", or NULL */
    const char *date;   /* ISO 8601 "2012-12" or "2013", or NULL */
    const char *source_text; /* the parenthetical's text as printed, or NULL */
    unsigned line;           /* line of the figure */
};

struct doc_warning {
    unsigned line;
    const char *msg; /* lowercase, no final period */
};

struct doc {
    struct arena arena;
    const char *path;  /* as given to the parser */
    char hash[65];     /* SHA-256 of the bytes, lowercase hex */
    size_t size;       /* bytes */
    const char *title; /* country as titled ("BELGIUM"), NULL when absent */
    unsigned title_line;
    bool is_collapsed; /* most text sat on very few lines */
    struct doc_figure population;
    struct doc_figure internet;
    const char *last_updated;      /* ISO date "2015-02-02", or NULL */
    const char *last_updated_text; /* as printed, or NULL */
    struct doc_section *sections;  /* in document order */
    size_t n_sections;
    struct doc_warning *warnings; /* things the parser could not decide */
    size_t n_warnings;
};

/*
 * Parse len bytes of data (need not be NUL-terminated). path is used for
 * messages and copied. Returns an owned doc, or NULL after filling err:
 * CW_ERR_PARSE (empty, binary, not UTF-8, no numbered sections, a section
 * repeated) or CW_ERR_LIMIT, with the line and column of the fault.
 */
struct doc *doc_parse(const char *path, const char *data, size_t len,
                      struct cw_error *err);
/* The same, given hash, the data's SHA-256 (sha256_hex), which a caller
 * that looked the content up first has already computed. */
struct doc *doc_parse_hashed(const char *path, const char *data, size_t len,
                             const char *hash, struct cw_error *err);

/* Read path (cap DOC_MAX_BYTES) and parse it. */
struct doc *doc_load(const char *path, struct cw_error *err);

void doc_free(struct doc *d);

/* The section with this number, or NULL. Borrowed from d. */
const struct doc_section *doc_find_section(const struct doc *d,
                                           const char *number);

/*
 * Fold a heading title for comparison: upper case, every run of characters
 * other than letters, digits and '&' becomes one space, trimmed. Writes at
 * most cap bytes including the NUL.
 */
void doc_title_key(const char *title, char *out, size_t cap);

/*
 * Building a doc from stored parts (the store rebuilds documents without
 * re-reading files). doc_new returns an empty owned doc; the add functions
 * copy their strings into the doc's arena and return borrowed pointers.
 */
struct doc *doc_new(const char *path);
struct doc_section *doc_add_section(struct doc *d, const char *number,
                                    const char *title, unsigned line);
void doc_add_unit(struct doc *d, struct doc_section *s, enum doc_unit_kind kind,
                  const char *text, unsigned line);

#endif
