/*
 * doc: the Cyberwellness Profile parser. It turns the bytes of one profile,
 * in any of the layouts real conversions produce (line-broken, collapsed onto
 * one line, hard-wrapped with hyphenation and page furniture, CRLF, UTF-8
 * punctuation), into a title, background figures, an optional "Last updated"
 * date and the numbered sections with their sentences and bullets, each with
 * the line it starts on. It knows nothing of rubrics or scores.
 *
 * The bytes are first decoded to UTF-8 (io/decode.h), or, for a PDF, its
 * text is extracted (io/pdf.h); the document's hash is that of the bytes.
 *
 * Ownership: a struct doc owns everything it points to (one arena); free it
 * with doc_free(). All strings are UTF-8, NUL-terminated.
 */
#ifndef CYBERWELL_CORE_DOC_H
#define CYBERWELL_CORE_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "io/decode.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"

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
    struct decode_info encoding; /* how its bytes were read as text */
    bool is_pdf; /* its text was extracted from a PDF (hash and size are
                    the PDF's; line numbers refer to the extracted text) */
};

/* How a document's bytes are read. */
struct doc_read_opts {
    const char *encoding;  /* force this encoding (an iconv name), or NULL
                              to detect it (see io/decode.h) */
    bool allow_pdf;        /* extract a PDF's text with pdftotext; without
                              it a PDF is refused */
    const char *pdftotext; /* the program (see pdf_program), or NULL */
};

/* The text the parser reads in a document's bytes. */
struct doc_text {
    struct decode_result dec; /* dec.text, dec.len: UTF-8; dec.info */
    struct strbuf extracted;  /* a PDF's text, which dec.text borrows */
    bool is_pdf;
};

void doc_text_init(struct doc_text *t);
void doc_text_release(struct doc_text *t);

/*
 * The text of len bytes of data under o (NULL: detect the encoding, refuse
 * PDFs): a PDF (recognised by its signature, see pdf_is_pdf) through
 * pdftotext, anything else decoded to UTF-8. t must be initialised; its
 * text may borrow data, which must then outlive it. Errors as
 * decode_buffer and pdf_extract, and CW_ERR_PARSE for a PDF without text.
 */
int doc_text_read(const char *path, const char *data, size_t len,
                  const struct doc_read_opts *o, struct doc_text *t,
                  struct cw_error *err);

/*
 * Read len bytes of data (need not be NUL-terminated) as doc_text_read
 * does under o (may be NULL), and parse the text. path is used for
 * messages and copied; hash is the data's SHA-256 (sha256_hex), which a
 * caller that looked the content up first has already computed, or NULL.
 * Returns an owned doc, or NULL after filling err: CW_ERR_PARSE (empty,
 * binary, undecodable, no numbered sections, a section repeated) or
 * CW_ERR_LIMIT, with the line and column of the fault; with o, also the
 * errors of doc_text_read (CW_ERR_USAGE, CW_ERR_TOOL, CW_ERR_IO).
 */
struct doc *doc_read(const char *path, const char *data, size_t len,
                     const char *hash, const struct doc_read_opts *o,
                     struct cw_error *err);
/* doc_read that also copies the UTF-8 text it parsed into text_out (reset
 * first; left alone on failure): what ingest stores for rescore. */
struct doc *doc_read_keep(const char *path, const char *data, size_t len,
                          const char *hash, const struct doc_read_opts *o,
                          struct strbuf *text_out, struct cw_error *err);
/* doc_read with the encoding detected and PDFs refused. */
struct doc *doc_parse(const char *path, const char *data, size_t len,
                      struct cw_error *err);
struct doc *doc_parse_hashed(const char *path, const char *data, size_t len,
                             const char *hash, struct cw_error *err);

/* Read path (cap DOC_MAX_BYTES) and doc_read it under o (may be NULL). */
struct doc *doc_load_opts(const char *path, const struct doc_read_opts *o,
                          struct cw_error *err);
/* doc_load_opts with o NULL. */
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
