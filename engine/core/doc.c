/*
 * Profile parser. Four passes over the text:
 *   1. validate (empty, NUL, UTF-8) and normalise into a "flow": LF line
 *      ends, ASCII punctuation, page furniture dropped, hyphenated line
 *      breaks joined; a line map keeps original line numbers;
 *   2. find numbered headings anywhere in the flow (inline or on their own
 *      line), trusting known ITU titles to delimit inline headings;
 *   3. pick out the title, the background figures and "Last updated", and
 *      blank them so that they do not leak into section bodies;
 *   4. cut each section body into sentences and bullets.
 */
#include "core/doc.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/pdf.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/textpos.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* Heading titles of the 2014-2015 profile series and their known variants,
 * used to tell where an inline heading ends and the body begins. A title is
 * known only at its own depth, so that running text such as "has 2 CERT
 * teams" or "version 2.1 standards" is not taken for a heading. */
struct known_title {
    const char *title;
    unsigned depth; /* 1 for "1.", 2 for "1.1", 3 for "1.1.1" */
};
static const struct known_title known_titles[] = {
    {"CYBERSECURITY", 1},
    {"CHILD ONLINE PROTECTION", 1},
    {"LEGAL MEASURES", 2},
    {"TECHNICAL MEASURES", 2},
    {"ORGANIZATION MEASURES", 2},
    {"ORGANIZATIONAL MEASURES", 2},
    {"ORGANISATION MEASURES", 2},
    {"ORGANISATIONAL MEASURES", 2},
    {"CAPACITY BUILDING", 2},
    {"COOPERATION", 2},
    {"NATIONAL LEGISLATION", 2},
    {"NATIONAL LEGISLATION AND STRATEGY", 2},
    {"UN CONVENTION AND PROTOCOL", 2},
    {"INSTITUTIONAL SUPPORT", 2},
    {"REPORTING MECHANISM", 2},
    {"CRIMINAL LEGISLATION", 3},
    {"REGULATION AND COMPLIANCE", 3},
    {"CIRT & RCC", 3},
    {"CIRT AND RCC", 3},
    {"CIRT", 3},
    {"CERT", 3},
    {"CSIRT", 3},
    {"STANDARDS", 3},
    {"CERTIFICATION", 3},
    {"POLICY", 3},
    {"ROADMAP FOR GOVERNANCE", 3},
    {"RESPONSIBLE AGENCY", 3},
    {"NATIONAL BENCHMARKING", 3},
    {"STANDARDISATION DEVELOPMENT", 3},
    {"STANDARDIZATION DEVELOPMENT", 3},
    {"MANPOWER DEVELOPMENT", 3},
    {"PROFESSIONAL CERTIFICATION", 3},
    {"AGENCY CERTIFICATION", 3},
    {"INTRA-STATE COOPERATION", 3},
    {"INTRA-AGENCY COOPERATION", 3},
    {"PUBLIC SECTOR PARTNERSHIP", 3},
    {"PUBLIC-PRIVATE PARTNERSHIP", 3},
    {"INTERNATIONAL COOPERATION", 3}};

/* Short words a title-case heading leaves in lower case. */
static const char *const title_small_words[] = {
    "a",    "an", "and", "as", "at",  "by", "for", "from", "in",
    "into", "of", "on",  "or", "the", "to", "via", "with"};

/* Lines of conversion boilerplate, dropped wherever they appear. */
static const char *const boilerplate[] = {"advertisement",   "download as pdf",
                                          "you are on page", "page 1 of",
                                          "page 2 of",       "page 3 of"};

/* ---- the flow: normalised text plus a map to original lines ---- */

struct flow {
    struct strbuf text;
    size_t *offs;    /* flow offset where each mapped line starts */
    unsigned *lines; /* original line number for offs[i] */
    size_t n_map, cap_map;
};

static void flow_mark(struct flow *f, unsigned line)
{
    if (f->n_map + 1 > f->cap_map) {
        CW_GROW(f->offs, f->n_map + 1, f->cap_map);
        f->lines = xrealloc(f->lines, f->cap_map * sizeof(*f->lines));
    }
    f->offs[f->n_map] = f->text.len;
    f->lines[f->n_map] = line;
    f->n_map++;
}

/* Original line of flow offset off. */
static unsigned flow_line(const struct flow *f, size_t off)
{
    size_t lo = 0, hi = f->n_map;
    if (!hi)
        return 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f->offs[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return f->lines[lo];
}

static void flow_release(struct flow *f)
{
    strbuf_release(&f->text);
    free(f->offs);
    free(f->lines);
}

/* ---- helpers ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\n';
}

/* Eight bytes at p, for the scans below that skip text a word at a time
 * (the classic "has a byte less than / between" tests, exact for
 * telling whether any byte of the word qualifies). */
static uint64_t word_at(const char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

#define BYTES(x) (UINT64_C(0x0101010101010101) * (x))

/* Whether some byte of w is below 0x20 or above 0x7e (not printable
 * ASCII). */
static bool has_unprintable(uint64_t w)
{
    uint64_t below = (w - BYTES(0x20)) & ~w & BYTES(0x80);
    uint64_t above = ((w + BYTES(0x01)) | w) & BYTES(0x80);
    return (below | above) != 0;
}

/* Whether some byte of w is a digit '1' to '9'. */
static bool has_digit19(uint64_t w)
{
    uint64_t low7 = w & BYTES(0x7f);
    return ((BYTES(127 + '9' + 1) - low7) & ~w & (low7 + BYTES(127 - '1' + 1)) &
            BYTES(0x80)) != 0;
}

/* Bytes that end a run of plain text for display_text and
 * emit_paragraph: 1 for '\n', '[', '<' and ' ' (display_text), 2 for
 * ':', '.', '?' and '!' (emit_paragraph). */
static const unsigned char stop_byte[256] = {
    ['\n'] = 1, ['['] = 1, ['<'] = 1, [' '] = 1,
    [':'] = 2,  ['.'] = 2, ['?'] = 2, ['!'] = 2};

/* Case mapping of ASCII letters only: the parser's notion of case never
 * depends on the locale, and these cost no library call. */
static char ascii_lower(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c;
}

static char ascii_upper(char c)
{
    if (c >= 'a' && c <= 'z')
        return (char)(c - 'a' + 'A');
    return c;
}

static bool ci_prefix(const char *s, const char *end, const char *lit)
{
    for (; *lit; lit++, s++)
        if (s >= end || ascii_lower(*s) != *lit)
            return false;
    return true;
}

/* First c in [s, end), or end. */
static const char *find_char(const char *s, const char *end, char c)
{
    const char *p = memchr(s, c, (size_t)(end - s));
    return p ? p : end;
}

/* Bytes ci_find looks ahead for a candidate at a time. */
#define CI_FIND_BLOCK 256

/*
 * First case-insensitive occurrence of lit (lowercase, not empty) in
 * [s, end). Candidates, the places of its first character in either case,
 * are found with memchr within a block of CI_FIND_BLOCK bytes: a search
 * never reads far past its answer, so callers that search again from the
 * next byte stay linear.
 */
static const char *ci_find(const char *s, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    if (s > end || (size_t)(end - s) < n)
        return NULL;
    const char *stop = end - n + 1; /* a match starts before stop */
    char lo = lit[0], up = ascii_upper(lit[0]);
    while (s < stop) {
        const char *block =
            (size_t)(stop - s) > CI_FIND_BLOCK ? s + CI_FIND_BLOCK : stop;
        const char *c = find_char(s, block, lo);
        c = find_char(s, c, up);
        if (c == block) {
            s = block;
            continue;
        }
        if (ci_prefix(c, end, lit))
            return c;
        s = c + 1;
    }
    return NULL;
}

/* [s, end) with every run of spaces and line breaks made one space,
 * trimmed; in the arena. */
static char *collapse(struct arena *a, const char *s, const char *end)
{
    /* The result is never longer than the input. */
    char *r = arena_alloc(a, s < end ? (size_t)(end - s) + 1 : 1);
    size_t n = 0;
    bool pending = false;
    for (; s < end; s++) {
        if (is_space(*s)) {
            pending = n > 0;
            continue;
        }
        if (pending)
            r[n++] = ' ';
        pending = false;
        r[n++] = *s;
    }
    r[n] = '\0';
    return r;
}

static void add_warning(struct doc *d, size_t *cap, unsigned line,
                        const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_warning(struct doc *d, size_t *cap, unsigned line,
                        const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    CW_GROW(d->warnings, d->n_warnings + 1, *cap);
    d->warnings[d->n_warnings].line = line;
    d->warnings[d->n_warnings].msg = arena_strdup(&d->arena, msg);
    d->n_warnings++;
}

/* ---- pass 1: validation and normalisation ---- */

/* Length of the valid UTF-8 sequence at p, or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end,
                       uint32_t *cp)
{
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if ((c & 0xe0) == 0xc0) {
        n = 2;
        v = c & 0x1f;
        min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        v = c & 0x0f;
        min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

/* ASCII replacement for typographic code points, or NULL to keep. */
static const char *ascii_for(uint32_t cp)
{
    switch (cp) {
    case 0x2018:
    case 0x2019:
    case 0x201a:
    case 0x201b:
    case 0x2032:
        return "'";
    case 0x201c:
    case 0x201d:
    case 0x201e:
    case 0x2033:
        return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0x2022: /* bullets */
    case 0x25cf:
    case 0x25aa:
    case 0x25e6:
    case 0x2023:
    case 0x2043:
    case 0x00b7:
    case 0xf0b7:
        return "-";
    case 0x00a0:
    case 0x2002:
    case 0x2003:
    case 0x2007:
    case 0x2009:
    case 0x200a:
    case 0x202f:
    case 0x3000:
        return " ";
    case 0x00ad:
    case 0x200b:
    case 0xfeff:
        return ""; /* soft hyphen, zero-width space, BOM */
    case 0x2026:
        return "...";
    default:
        return NULL;
    }
}

static bool line_is_page_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    while (i < n && s[i] == ' ')
        i++;
    while (i < n && isdigit((unsigned char)s[i])) {
        i++;
        digits++;
    }
    while (i < n && s[i] == ' ')
        i++;
    return i == n && digits >= 1 && digits <= 3;
}

/*
 * Page furniture of converted PDFs: a page marker such as
 * "----------------------- Page 2-----------------------", or a rule of
 * five or more '-', '_' or '=' and nothing else.
 */
static bool line_is_page_marker(const char *s, size_t n)
{
    size_t i = 0, rule = 0;
    while (i < n && s[i] == ' ')
        i++;
    while (i < n && (s[i] == '-' || s[i] == '_' || s[i] == '=')) {
        i++;
        rule++;
    }
    while (i < n && s[i] == ' ')
        i++;
    if (i == n)
        return rule >= 5;
    if (rule < 3 || !ci_prefix(s + i, s + n, "page"))
        return false;
    i += 4;
    while (i < n && s[i] == ' ')
        i++;
    size_t digits = 0;
    while (i < n && isdigit((unsigned char)s[i])) {
        i++;
        digits++;
    }
    while (i < n && (s[i] == '-' || s[i] == ' '))
        i++;
    return digits >= 1 && digits <= 4 && i == n;
}

/* The first page marker ("---- Page 2----") in [s, end): its bounds in
 * *ms and *me. */
static bool find_page_marker(const char *s, const char *end, const char **ms,
                             const char **me)
{
    for (const char *p = ci_find(s, end, "page"); p;
         p = ci_find(p + 1, end, "page")) {
        const char *a = p;
        while (a > s && a[-1] == ' ')
            a--;
        const char *d = a;
        while (d > s && d[-1] == '-')
            d--;
        if (a - d < 3)
            continue;
        const char *q = p + 4;
        while (q < end && *q == ' ')
            q++;
        const char *digits = q;
        while (q < end && isdigit((unsigned char)*q))
            q++;
        if (q == digits || q - digits > 4)
            continue;
        const char *z = q;
        while (z < end && *z == '-')
            z++;
        if (z - q < 3)
            continue;
        *ms = d;
        *me = z;
        return true;
    }
    return false;
}

static bool line_is_boilerplate(const char *s, size_t n)
{
    while (n && *s == ' ') {
        s++;
        n--;
    }
    for (size_t i = 0; i < sizeof boilerplate / sizeof *boilerplate; i++)
        if (ci_prefix(s, s + n, boilerplate[i]))
            return true;
    return false;
}

/* True when c ends a sentence, a lead-in or a clause. */
static bool ends_clause(char c)
{
    return c == '.' || c == ':' || c == ';' || c == '!' || c == '?';
}

/*
 * Append the text line s (original line lineno) to the flow, joined to
 * the text before it where a converter broke it:
 * - a word hyphenated across the line break is joined: one hyphenated at
 *   a syllable ("legis-" + "lation") loses the hyphen; a compound broken
 *   at its own hyphen ("B-" + "CCENTRE", "CERT-" + "RO", "e-" +
 *   "government") keeps it;
 * - a sentence that blank lines, a page break or page furniture
 *   interrupt (the text before them does not end a clause and s starts in
 *   lower case) goes on: the blank lines between are dropped, so that
 *   they do not end its paragraph.
 */
static void flow_add_line(struct flow *f, const char *s, size_t n,
                          unsigned lineno)
{
    size_t tl = f->text.len;
    const char *t = f->text.buf;
    size_t k = tl; /* end of the last text line */
    while (k && t[k - 1] == '\n')
        k--;
    if (k && tl - k >= 2 && islower((unsigned char)*s) &&
        !ends_clause(t[k - 1])) {
        strbuf_setlen(&f->text, k + 1);
        while (f->n_map && f->offs[f->n_map - 1] > k)
            f->n_map--;
        tl = k + 1;
    }
    bool after_hyphen = tl >= 3 && t[tl - 1] == '\n' && t[tl - 2] == '-' &&
                        isalnum((unsigned char)t[tl - 3]) &&
                        isalpha((unsigned char)*s);
    bool one_letter =
        after_hyphen && (tl == 3 || !isalnum((unsigned char)t[tl - 4]));
    bool syllable = after_hyphen && !one_letter &&
                    islower((unsigned char)t[tl - 3]) &&
                    islower((unsigned char)*s);
    if (after_hyphen)
        strbuf_setlen(&f->text, syllable ? tl - 2 : tl - 1);
    flow_mark(f, lineno);
    strbuf_add(&f->text, s, n);
    strbuf_addch(&f->text, '\n');
}

/* ---- two-column bullet lists ---- */

#define COLS_MAX   8 /* columns side by side on one line, at most */
#define COL_GUTTER 3 /* spaces between two columns, at least */
#define COL_SLACK                                                              \
    6 /* a column's later lines may start this far right of                    \
         its bullet (the bullet's indent) */

/* A part of a line that belongs to a column after the first. */
struct colpart {
    unsigned col;  /* column, 1 to COLS_MAX - 1 */
    unsigned line; /* original line */
    size_t off;    /* in columns.text */
    size_t len;
};

/*
 * An open block of lines laid out in columns, as converters write two
 * bullet lists side by side ("- A        - B"): where each column after the
 * first starts (in characters), and their text, kept until the block ends,
 * because in reading order they follow the first column.
 */
struct columns {
    unsigned n;          /* columns of the open block; 0 when none */
    size_t at[COLS_MAX]; /* at[k]: the character column where k starts */
    struct strbuf text;  /* the parts of columns 1.. */
    struct colpart *parts;
    size_t n_parts, cap_parts;
};

/* A run of COL_GUTTER or more spaces inside a line. */
struct gutter {
    size_t from, to; /* characters: first space, first text after */
    size_t byte_from, byte_to;
};

#define GUTTERS_MAX 64

/* The gutters of s (n bytes, no trailing spaces), at most GUTTERS_MAX;
 * *lead is the character column of the first text. */
static size_t find_gutters(const char *s, size_t n, struct gutter *g,
                           size_t *lead)
{
    size_t n_g = 0, col = 0, i = 0;
    while (i < n && s[i] == ' ') {
        i++;
        col++;
    }
    *lead = col;
    while (i < n) {
        if (s[i] != ' ') {
            if (((unsigned char)s[i] & 0xC0) != 0x80)
                col++;
            i++;
            continue;
        }
        size_t bi = i, c0 = col;
        while (i < n && s[i] == ' ') {
            i++;
            col++;
        }
        if (col - c0 >= COL_GUTTER && n_g < GUTTERS_MAX)
            g[n_g++] = (struct gutter){c0, col, bi, i};
    }
    return n_g;
}

/* A bullet marker ('-' or '*', as normalise wrote it) then text at s. */
static bool starts_bullet(const char *s, const char *end)
{
    return s + 1 < end && (*s == '-' || *s == '*') &&
           (s[1] == ' ' || isalnum((unsigned char)s[1]));
}

/* Characters (not bytes) of [s, s + n). */
static size_t n_chars(const char *s, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++)
        col += ((unsigned char)s[i] & 0xC0) != 0x80;
    return col;
}

/*
 * Append the text of a line to the flow: leading spaces, a rule glued to
 * the text ("-----DISCLAIMER:") and page markers inside it ("... policy.
 * ---- Page 2----1.3.4 ...", which end the text before them) dropped.
 */
static void flow_add_text(struct flow *f, const char *s, size_t n,
                          unsigned lineno)
{
    const char *t = s, *te = s + n, *ms, *me;
    while (t < te && *t == ' ')
        t++;
    size_t rule = 0;
    while (t + rule < te && strchr("-_=", t[rule]))
        rule++;
    if (rule >= 5)
        t += rule;
    while (find_page_marker(t, te, &ms, &me)) {
        const char *pe = ms;
        while (pe > t && pe[-1] == ' ')
            pe--;
        if (pe > t)
            flow_add_line(f, t, (size_t)(pe - t), lineno);
        t = me;
        while (t < te && *t == ' ')
            t++;
    }
    if (t < te)
        flow_add_line(f, t, (size_t)(te - t), lineno);
}

static void columns_keep(struct columns *c, unsigned col, unsigned line,
                         const char *s, size_t n)
{
    while (n && *s == ' ') {
        s++;
        n--;
    }
    if (!n)
        return;
    CW_GROW(c->parts, c->n_parts + 1, c->cap_parts);
    c->parts[c->n_parts++] = (struct colpart){col, line, c->text.len, n};
    strbuf_add(&c->text, s, n);
}

/* End the open block: its kept columns follow the first, in order. */
static void columns_flush(struct flow *f, struct columns *c)
{
    for (unsigned k = 1; k < c->n; k++)
        for (size_t i = 0; i < c->n_parts; i++)
            if (c->parts[i].col == k)
                flow_add_text(f, c->text.buf + c->parts[i].off, c->parts[i].len,
                              c->parts[i].line);
    c->n = 0;
    c->n_parts = 0;
    strbuf_reset(&c->text);
}

static void columns_release(struct columns *c)
{
    strbuf_release(&c->text);
    free(c->parts);
}

/* True when [s, s + n) has a number that may start a heading: one or two
 * digits at a word's start, then '.' or a space ("1.2.1", "2. CHILD",
 * "2 CHILD"). */
static bool may_hold_heading(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '1' || s[i] > '9')
            continue;
        /* Not inside a word or a number ("Art.4", "8,137/1990"); after a
         * dash it may be "-1.5.2". */
        char before = ' ';
        if (i)
            before = s[i - 1];
        if (isalnum((unsigned char)before) || before == '.' || before == ',' ||
            before == '/')
            continue;
        size_t j = i + 1;
        if (j < n && isdigit((unsigned char)s[j]))
            j++;
        if (j < n && (s[j] == '.' || s[j] == ' '))
            return true;
    }
    return false;
}

/*
 * Cut line s (n bytes) at the open block's columns: part k is [start[k],
 * stop[k]). False when the line does not fit the block: it has text
 * across a column's start instead of a gutter.
 */
static bool split_columns(const struct columns *c, const char *s, size_t n,
                          const struct gutter *g, size_t n_g, size_t lead,
                          size_t start[COLS_MAX], size_t stop[COLS_MAX])
{
    size_t end_col = n_chars(s, n);
    for (unsigned k = 0; k < c->n; k++)
        start[k] = stop[k] = n;
    start[0] = 0;
    for (unsigned k = 1; k < c->n; k++) {
        size_t at = c->at[k];
        if (lead + 1 >= at) { /* nothing before column k */
            stop[k - 1] = start[k - 1];
            start[k] = 0;
            continue;
        }
        if (end_col + 2 <= at) { /* nothing from column k on */
            stop[k - 1] = n;
            return true;
        }
        size_t i = 0;
        while (i < n_g && !(g[i].from < at && g[i].to + 1 >= at &&
                            g[i].to <= at + COL_SLACK))
            i++;
        if (i == n_g)
            return false;
        stop[k - 1] = g[i].byte_from;
        start[k] = g[i].byte_to;
    }
    stop[c->n - 1] = n;
    return true;
}

/*
 * Add line s (n bytes, its leading spaces kept) to the flow through the
 * column block. A line that opens a block (a bullet, a gutter, another
 * bullet) or continues the open one (its gutters fall where the block's
 * columns start) gives its first column to the flow at once and keeps the
 * others; any other line ends the block before it is added.
 */
static void add_columns_line(struct flow *f, struct columns *c, const char *s,
                             size_t n, unsigned lineno)
{
    struct gutter g[GUTTERS_MAX];
    size_t lead = strspn(s, " ");
    size_t start[COLS_MAX] = {0}, stop[COLS_MAX] = {0};
    /* Only a bullet opens a block: other lines outside one go at once. A
     * line that may hold a heading ends the block, so that no column kept
     * for later crosses into the next section. */
    bool is_plain = !c->n && !starts_bullet(s + lead, s + n);
    if (is_plain || may_hold_heading(s, n)) {
        columns_flush(f, c);
        flow_add_text(f, s, n, lineno);
        return;
    }
    size_t n_g = find_gutters(s, n, g, &lead);
    if (c->n && !split_columns(c, s, n, g, n_g, lead, start, stop))
        columns_flush(f, c);
    if (!c->n) {
        unsigned k = 1;
        if (starts_bullet(s + lead, s + n))
            for (size_t i = 0; i < n_g && k < COLS_MAX; i++)
                if (starts_bullet(s + g[i].byte_to, s + n))
                    c->at[k++] = g[i].to;
        if (k == 1) {
            flow_add_text(f, s, n, lineno);
            return;
        }
        c->n = k;
        c->at[0] = 0;
        if (!split_columns(c, s, n, g, n_g, lead, start, stop))
            CW_BUG("a line does not fit the columns it opened");
    }
    if (stop[0] > start[0])
        flow_add_text(f, s + start[0], stop[0] - start[0], lineno);
    for (unsigned k = 1; k < c->n; k++)
        if (stop[k] > start[k])
            columns_keep(c, k, lineno, s + start[k], stop[k] - start[k]);
}

/*
 * Validate and normalise data into f. Drops page numbers on their own line,
 * boilerplate, and repeated page headers ("CYBERWELLNESS PROFILE ..." after
 * the first); joins "word-" + "continuation" across a line break.
 */
static int normalise(const char *path, const char *data, size_t len,
                     struct flow *f, struct cw_error *err)
{
    const unsigned char *p = (const unsigned char *)data;
    const unsigned char *end = p + len;
    struct strbuf line = STRBUF_INIT;
    unsigned lineno = 1;
    bool seen_title = false;
    bool any_text = false;
    bool is_doubled_cr = textpos_doubled_cr(data, len);
    struct columns cols = {0, {0}, STRBUF_INIT, NULL, 0, 0};
    int rc = CW_OK;

    while (p <= end) {
        /* Collect one input line into `line`, normalised. */
        strbuf_reset(&line);
        while (p < end && *p != '\n' && *p != '\r' && *p != '\f') {
            /* Fast path: a run of printable ASCII is copied as it is. */
            const unsigned char *run = p;
            while (end - p >= 8 && !has_unprintable(word_at((const char *)p)))
                p += 8;
            while (p < end && *p >= 0x20 && *p < 0x7f)
                p++;
            if (p > run) {
                strbuf_add(&line, run, (size_t)(p - run));
                if (line.len <= DOC_MAX_LINE_LEN)
                    continue;
                rc = cw_errorf(err, CW_ERR_LIMIT,
                               ((struct cw_loc){path, lineno, 0}),
                               "line longer than %zu bytes", DOC_MAX_LINE_LEN);
                goto out;
            }
            if (*p == '\n' || *p == '\r' || *p == '\f')
                break;
            /* decode_buffer passed valid UTF-8 without NUL bytes. */
            uint32_t cp;
            size_t n = utf8_len(p, end, &cp);
            if (n == 0)
                CW_BUG("invalid UTF-8 byte 0x%02x at line %u past the "
                       "decoder",
                       *p, lineno);
            const char *rep = ascii_for(cp);
            if (rep)
                strbuf_adds(&line, rep);
            else if (cp == '\t' || cp == '\v' || (cp < 0x20) || cp == 0x7f)
                strbuf_addch(&line, ' ');
            else
                strbuf_add(&line, p, n);
            p += n;
            if (line.len > DOC_MAX_LINE_LEN) {
                rc = cw_errorf(err, CW_ERR_LIMIT,
                               ((struct cw_loc){path, lineno, 0}),
                               "line longer than %zu bytes", DOC_MAX_LINE_LEN);
                goto out;
            }
        }
        strbuf_rtrim(&line);

        bool keep = true;
        if (line.len == 0) {
            keep = true; /* blank: a paragraph break */
        } else if (line_is_page_number(line.buf, line.len) ||
                   line_is_page_marker(line.buf, line.len) ||
                   line_is_boilerplate(line.buf, line.len)) {
            keep = false;
        } else {
            const char *s = line.buf;
            while (*s == ' ')
                s++;
            if (ci_prefix(s, line.buf + line.len, "cyberwellness profile")) {
                if (seen_title)
                    keep = false; /* a page header repeating the title */
                seen_title = true;
            }
        }
        if (keep && line.len) {
            any_text = true;
            add_columns_line(f, &cols, line.buf, line.len, lineno);
        } else {
            columns_flush(f, &cols);
            if (keep) {
                flow_mark(f, lineno);
                strbuf_addch(&f->text, '\n');
            }
        }

        if (p >= end)
            break;
        if (*p == '\f') {
            p++; /* a page break within a line: not a line end */
            continue;
        }
        p += textpos_eol_len((const char *)p, (const char *)end, is_doubled_cr);
        lineno++;
    }
    columns_flush(f, &cols);
    if (!any_text)
        rc = cw_errorf(err, CW_ERR_PARSE, ((struct cw_loc){path, 0, 0}),
                       "document is empty");
out:
    columns_release(&cols);
    strbuf_release(&line);
    return rc;
}

/* ---- pass 2: headings ---- */

struct heading {
    size_t start;     /* flow offset of the number */
    size_t title_end; /* flow offset just after the title */
    unsigned parts[3];
    unsigned depth;
    char number[16];
    char *title; /* heap, collapsed */
    bool is_known;
};

/* Length of a known title of this depth matched at s (flexible
 * separators), or 0. */
static size_t match_known(const char *s, const char *end, unsigned depth,
                          bool *is_known)
{
    size_t best = 0;
    char first = '\0'; /* the only titles tried start with it */
    if (s < end)
        first = ascii_upper(*s);
    for (size_t i = 0; i < sizeof known_titles / sizeof *known_titles; i++) {
        if (known_titles[i].depth != depth || known_titles[i].title[0] != first)
            continue;
        const char *t = known_titles[i].title;
        const char *q = s;
        bool ok = true;
        while (*t) {
            if (*t == ' ' || *t == '-') {
                if (q >= end || !(*q == ' ' || *q == '\n' || *q == '-')) {
                    ok = false;
                    break;
                }
                while (q < end && (*q == ' ' || *q == '\n' || *q == '-'))
                    q++;
                t++;
                continue;
            }
            if (q >= end || ascii_upper(*q) != *t) {
                ok = false;
                break;
            }
            q++;
            t++;
        }
        if (!ok)
            continue;
        if (q < end && isalnum((unsigned char)*q))
            continue;
        if ((size_t)(q - s) > best)
            best = (size_t)(q - s);
    }
    *is_known = best > 0;
    return best;
}

/*
 * True when every word of [s, e) starts with a capital or a digit, short
 * words ("of", "and") aside: "Legal Measures" reads as a title, "1.5 million
 * internet users" and a numbered list item "2. Law on data protection" do
 * not.
 */
static bool is_title_case(const char *s, const char *e)
{
    while (s < e) {
        while (s < e && (is_space(*s) || ispunct((unsigned char)*s)))
            s++;
        const char *w = s;
        while (s < e && !is_space(*s))
            s++;
        if (w == s || !islower((unsigned char)*w))
            continue;
        size_t n = 0;
        while (w + n < s && isalpha((unsigned char)w[n]))
            n++;
        bool small = false;
        for (size_t k = 0;
             k < sizeof title_small_words / sizeof *title_small_words; k++)
            small = small || (strlen(title_small_words[k]) == n &&
                              !strncmp(w, title_small_words[k], n));
        if (!small)
            return false;
    }
    return true;
}

/* Bytes match_upper_run looks at: a title is short, and scanning a whole
 * long upper-case line from every number on it is quadratic. */
#define UPPER_RUN_MAX 160

/* Length of a run of upper-case words at s (not crossing a line, at most
 * UPPER_RUN_MAX bytes), or 0. */
static size_t match_upper_run(const char *s, const char *end)
{
    const char *q = s, *last_end = s;
    size_t letters = 0;
    const char *lim =
        (size_t)(end - s) > UPPER_RUN_MAX ? s + UPPER_RUN_MAX : end;
    while (q < lim && *q != '\n') {
        const char *w = q;
        size_t wl = 0, up = 0;
        while (q < lim && !is_space(*q)) {
            if (islower((unsigned char)*q))
                return letters >= 4 ? (size_t)(last_end - s) : 0;
            if (isupper((unsigned char)*q))
                up++;
            q++;
            wl++;
        }
        if (wl == 0 || (q == lim && q < end && !is_space(*q)))
            break; /* empty, or cut by the cap */
        /* "&" and "-" may stand alone between words. */
        if (up < 2 && !(wl == 1 && (*w == '&' || *w == '-')))
            break;
        letters += up;
        last_end = q;
        while (q < lim && *q == ' ')
            q++;
    }
    return letters >= 4 ? (size_t)(last_end - s) : 0;
}

static int cmp_parts(const struct heading *a, const struct heading *b)
{
    for (unsigned i = 0; i < 3; i++) {
        unsigned x = i < a->depth ? a->parts[i] : 0;
        unsigned y = i < b->depth ? b->parts[i] : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

static bool same_number(const struct heading *a, const struct heading *b)
{
    return a->depth == b->depth && cmp_parts(a, b) == 0;
}

/* Try to read a heading at flow offset i. */
static bool read_heading(const char *buf, size_t len, size_t i,
                         struct heading *h)
{
    const char *s = buf + i, *end = buf + len;
    const char *q = s;
    memset(h, 0, sizeof *h);
    if (!(*q >= '1' && *q <= '9'))
        return false;
    bool trailing_dot = false;
    while (h->depth < 3) {
        if (!isdigit((unsigned char)*q) || *q == '0')
            return false;
        unsigned v = 0;
        size_t nd = 0;
        while (q < end && isdigit((unsigned char)*q) && nd < 2) {
            v = v * 10 + (unsigned)(*q - '0');
            q++;
            nd++;
        }
        if (q < end && isdigit((unsigned char)*q))
            return false;
        h->parts[h->depth++] = v;
        if (q < end && *q == '.' && q + 1 < end &&
            isdigit((unsigned char)q[1]) && h->depth < 3) {
            q++;
            continue;
        }
        if (q < end && *q == '.') {
            trailing_dot = true;
            q++;
        }
        break;
    }
    if (q < end && isdigit((unsigned char)*q))
        return false;
    if (h->depth == 1 && h->parts[0] > 9)
        return false;
    bool at_line_start = i == 0 || buf[i - 1] == '\n';
    /* Skip separators; up to 3 line breaks for double-spaced layouts. */
    unsigned breaks = 0;
    while (q < end && is_space(*q)) {
        if (*q == '\n')
            breaks++;
        q++;
    }
    if (breaks > 3)
        return false;
    bool is_known = false;
    size_t tl = match_known(q, end, h->depth, &is_known);
    if (!tl && breaks == 0)
        tl = match_upper_run(q, end);
    if (!tl && breaks == 0 && at_line_start) {
        /* A mixed-case unknown title alone on its line. */
        const char *e = q;
        while (e < end && *e != '\n')
            e++;
        if (e > q && e - q <= 60 && e[-1] != '.' && e[-1] != ':' &&
            isalpha((unsigned char)*q) && is_title_case(q, e))
            tl = (size_t)(e - q);
    }
    if (!tl)
        return false;
    /* "2 CHILD ..." without its dot only with a known title, and inside a
     * line only as printed in capitals: "Policy Thrust 3 Cybersecurity
     * Technology Framework" is running text. */
    if (h->depth == 1 && !trailing_dot && !is_known)
        return false;
    if (h->depth == 1 && !trailing_dot && !at_line_start)
        for (size_t k = 0; k < tl; k++)
            if (islower((unsigned char)q[k]))
                return false;
    h->is_known = is_known;
    h->start = i;
    h->title_end = (size_t)(q - buf) + tl;
    /* The number without its trailing dot; each part is 1 to 99. */
    char *o = h->number;
    for (unsigned k = 0; k < h->depth; k++) {
        if (k)
            *o++ = '.';
        if (h->parts[k] >= 10)
            *o++ = (char)('0' + h->parts[k] / 10);
        *o++ = (char)('0' + h->parts[k] % 10);
    }
    *o = '\0';
    return true;
}

/*
 * The length of a section number alone on its line at buf[i] ("1.2.1",
 * "1.2."), or 0. With no title it is not a heading; the caller warns,
 * because the section it numbers is then read as text of the one before.
 */
static size_t bare_number_len(const char *buf, size_t len, size_t i)
{
    if (i && buf[i - 1] != '\n')
        return 0;
    size_t q = i;
    unsigned parts = 0;
    bool has_dot = false;
    while (q < len && parts < 3) {
        size_t nd = 0;
        while (q + nd < len && isdigit((unsigned char)buf[q + nd]))
            nd++;
        if (nd == 0 && has_dot)
            break; /* "1.2." */
        if (nd == 0 || nd > 2)
            return 0;
        q += nd;
        parts++;
        if (q >= len || buf[q] != '.')
            break;
        q++;
        has_dot = true;
    }
    size_t n = q - i;
    while (q < len && buf[q] == ' ')
        q++;
    return has_dot && (q == len || buf[q] == '\n') ? n : 0;
}

/* ---- pass 3: title, background, last updated ---- */

static void blank(struct flow *f, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < f->text.len; i++)
        if (f->text.buf[i] != '\n')
            f->text.buf[i] = ' ';
}

static const char *const months[] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

/* Month number for a word at s, or 0. Accepts 3-letter abbreviations. */
static int month_at(const char *s, const char *end, size_t *used)
{
    for (int m = 0; m < 12; m++) {
        size_t n = strlen(months[m]);
        if (ci_prefix(s, end, months[m]) &&
            !(s + n < end && isalpha((unsigned char)s[n]))) {
            *used = n;
            return m + 1;
        }
        char abbr[4] = {months[m][0], months[m][1], months[m][2], 0};
        if (ci_prefix(s, end, abbr) &&
            !(s + 3 < end && isalpha((unsigned char)s[3]))) {
            *used = 3;
            return m + 1;
        }
    }
    return 0;
}

/*
 * Parse a date in [s, end): "2nd February 2015", "February 2, 2015",
 * "December 2012", "2013". Writes ISO 8601 into out ("2015-02-02",
 * "2012-12", "2013"); returns the bytes consumed, or 0.
 */
/* Days in month (1-12) of year, Gregorian. */
static int days_in_month(int month, int year)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

static size_t parse_date(const char *s, const char *end, char *out, size_t cap)
{
    const char *q = s;
    int day = 0, month = 0, year = 0;
    bool has_day = false; /* a day was written (so 0 is not "none") */
    size_t used;
    while (q < end && (*q == ' ' || *q == ','))
        q++;
    if (q < end && isdigit((unsigned char)*q)) {
        int v = 0, nd = 0;
        while (q < end && isdigit((unsigned char)*q) && nd < 5) {
            v = v * 10 + (*q - '0');
            q++;
            nd++;
        }
        if (nd == 4) {
            year = v;
        } else if (nd <= 2) {
            day = v;
            has_day = true;
            if (ci_prefix(q, end, "st") || ci_prefix(q, end, "nd") ||
                ci_prefix(q, end, "rd") || ci_prefix(q, end, "th"))
                q += 2;
            while (q < end && (*q == ' ' || *q == '.'))
                q++;
        } else {
            return 0;
        }
    }
    if (!year) {
        month = month_at(q, end, &used);
        if (!month)
            return 0;
        q += used;
        while (q < end && (*q == ' ' || *q == '.'))
            q++;
        if (!day && q < end && isdigit((unsigned char)*q) &&
            !(q + 4 <= end && isdigit((unsigned char)q[1]) &&
              isdigit((unsigned char)q[2]) && isdigit((unsigned char)q[3]))) {
            int nd_day = 0;
            while (q < end && isdigit((unsigned char)*q) && nd_day < 2) {
                day = day * 10 + (*q++ - '0');
                nd_day++;
            }
            has_day = true;
            if (q < end && isdigit((unsigned char)*q))
                return 0; /* "February 123": not a day */
            if (ci_prefix(q, end, "st") || ci_prefix(q, end, "nd") ||
                ci_prefix(q, end, "rd") || ci_prefix(q, end, "th"))
                q += 2;
            while (q < end && (*q == ' ' || *q == ','))
                q++;
        }
        int nd = 0;
        while (q < end && isdigit((unsigned char)*q) && nd < 4) {
            year = year * 10 + (*q++ - '0');
            nd++;
        }
        if (nd != 4)
            return 0;
    }
    if (year < 1900 || year > 2999)
        return 0;
    /* "31 February", "0 March": not a date, rather than a wrong one. */
    if (has_day && (!month || day < 1 || day > days_in_month(month, year)))
        return 0;
    if (day && month)
        snprintf(out, cap, "%04d-%02d-%02d", year, month, day);
    else if (month)
        snprintf(out, cap, "%04d-%02d", year, month);
    else
        snprintf(out, cap, "%04d", year);
    return (size_t)(q - s);
}

/*
 * Read a number like "10 788 000", "10,788,000", "90, 800", "82.17",
 * "63:80". A whole number's digits may be grouped by a space, a comma, or
 * a comma and a space; a later group of other than three digits ("2 44
 * 769 000", "315 791 00", as some conversions print them) sets
 * *is_irregular, and the digits are read as printed.
 */
static bool read_number(const char *s, const char *end, bool is_percent,
                        double *value, const char **after, bool *is_irregular)
{
    const char *q = s;
    *is_irregular = false;
    while (q < end && is_space(*q))
        q++;
    if (q >= end || !isdigit((unsigned char)*q))
        return false;
    double v = 0;
    while (q < end) {
        if (isdigit((unsigned char)*q)) {
            v = v * 10 + (*q - '0');
            q++;
            continue;
        }
        if (is_percent || !(*q == ' ' || *q == ','))
            break;
        const char *g = q + 1;
        if (*q == ',' && g < end && *g == ' ')
            g++;
        size_t nd = 0;
        while (g + nd < end && isdigit((unsigned char)g[nd]))
            nd++;
        if (nd == 0 || nd > 3)
            break;
        *is_irregular = *is_irregular || nd != 3;
        q = g;
    }
    if (is_percent && q < end && (*q == '.' || *q == ':' || *q == ',') &&
        q + 1 < end && isdigit((unsigned char)q[1])) {
        double scale = 0.1;
        q++;
        while (q < end && isdigit((unsigned char)*q)) {
            v += (*q - '0') * scale;
            scale /= 10;
            q++;
        }
    }
    *value = v;
    *after = q;
    return true;
}

/*
 * First c in [q, e), or NULL. *memo (NULL at first) keeps the last answer,
 * valid while q does not pass it, so that a long run of '[' or '<' without
 * a closer is scanned once rather than once per opener.
 */
static const char *find_memo(const char *q, const char *e, char c,
                             const char **memo)
{
    if (!*memo || *memo < q) {
        const char *p = memchr(q, c, (size_t)(e - q));
        *memo = p ? p : e;
    }
    return *memo == e ? NULL : *memo;
}

/*
 * Display text of [s, e): spaces collapsed, "[text](url)" unwrapped to text
 * (recorded as a link of sec when sec is not NULL) and "<http...>" to its
 * address.
 */
static void display_text(struct doc *d, struct doc_section *sec,
                         size_t *cap_links, const char *s, const char *e,
                         struct strbuf *sb)
{
    bool pending = false;
    const char *memo_bracket = NULL, *memo_paren = NULL, *memo_angle = NULL;
    for (const char *q = s; q < e; q++) {
        if (is_space(*q)) {
            pending = sb->len > 0;
            continue;
        }
        if (*q == '[') {
            const char *close = find_memo(q, e, ']', &memo_bracket);
            if (close && close + 1 < e && close[1] == '(') {
                const char *rp = find_memo(close, e, ')', &memo_paren);
                if (rp) {
                    if (pending)
                        strbuf_addch(sb, ' ');
                    pending = false;
                    char *lt = collapse(&d->arena, q + 1, close);
                    strbuf_adds(sb, lt);
                    if (sec) {
                        CW_GROW(sec->links, sec->n_links + 1, *cap_links);
                        sec->links[sec->n_links++] = lt;
                    }
                    q = rp;
                    continue;
                }
            }
        }
        if (*q == '<') {
            const char *close = find_memo(q, e, '>', &memo_angle);
            if (close && (ci_prefix(q + 1, close, "http") ||
                          ci_prefix(q + 1, close, "www"))) {
                if (pending)
                    strbuf_addch(sb, ' ');
                pending = false;
                strbuf_add(sb, q + 1, (size_t)(close - q - 1));
                q = close;
                continue;
            }
        }
        /* Plain text up to a line break, a double space, a possible link
         * or the end is copied as it is: its single spaces stay. */
        const char *r = q + 1;
        for (;; r++) {
            while (r < e && stop_byte[(unsigned char)*r] != 1)
                r++;
            if (r >= e || *r != ' ' || r + 1 == e || is_space(r[1]))
                break;
        }
        if (pending)
            strbuf_addch(sb, ' ');
        pending = false;
        strbuf_add(sb, q, (size_t)(r - q));
        q = r - 1;
    }
}

/* Split "(data source: X, December 2012)" into source and date. */
static void read_source(struct doc *d, struct flow *f, size_t open,
                        struct doc_figure *fig)
{
    const char *buf = f->text.buf, *end = buf + f->text.len;
    const char *s = buf + open;
    const char *close = NULL;
    int depth = 0;
    for (const char *q = s; q < end && q - s < 400; q++) {
        if (*q == '(')
            depth++;
        else if (*q == ')' && --depth == 0) {
            close = q;
            break;
        }
    }
    if (!close)
        return;
    const char *colon = memchr(s, ':', (size_t)(close - s));
    const char *body = colon ? colon + 1 : s + 1;
    struct strbuf sb = STRBUF_INIT;
    display_text(d, NULL, NULL, body, close, &sb);
    char *text = arena_strndup(&d->arena, sb.buf, sb.len);
    strbuf_release(&sb);
    fig->source_text = text;
    /* The date is the longest tail that parses as a date. */
    size_t n = strlen(text);
    char iso[32];
    for (size_t i = 0; i < n; i++) {
        if (i && text[i - 1] != ' ' && text[i - 1] != ',')
            continue;
        size_t used = parse_date(text + i, text + n, iso, sizeof iso);
        if (used && i + used == n) {
            size_t k = i;
            while (k && (text[k - 1] == ' ' || text[k - 1] == ','))
                k--;
            fig->source = arena_strndup(&d->arena, text, k);
            fig->date = arena_strdup(&d->arena, iso);
            break;
        }
    }
    if (!fig->source)
        fig->source = text;
    blank(f, open, (size_t)(close - buf) + 1);
}

/*
 * Cut what follows the country's name in an upper-case title: the
 * leftovers of the flag image a converter keeps beside it ("http://...
 * Flag_of_X.svg.png", "Flag of X.svg", "Flagge Südafrikas", "Drapeau des
 * États-Unis", "A flag featuring ..."). The name is the run of words
 * without a lower-case ASCII letter before the first word with one or
 * the first address; a one-letter word at its end starts the caption.
 * A title that does not start in upper case is left as it is.
 */
static void cut_title(char *title)
{
    char *p = title, *kept = title, *last_word = title;
    while (*p) {
        char *w = p;
        bool has_lower = false;
        while (*p && *p != ' ') {
            has_lower = has_lower || (*p >= 'a' && *p <= 'z');
            p++;
        }
        if (has_lower || ci_prefix(w, p, "http") || ci_prefix(w, p, "www.")) {
            if (w == title)
                return; /* a mixed-case title: not ours to cut */
            break;
        }
        last_word = w;
        kept = p;
        while (*p == ' ')
            p++;
    }
    if (*p && kept - last_word == 1 && last_word > title)
        kept = last_word - 1; /* "HONG KONG A flag with ..." */
    *kept = '\0';
}

static void read_front(struct doc *d, struct flow *f, size_t first_heading,
                       size_t *cap_warn)
{
    char *buf = f->text.buf;
    const char *end = buf + f->text.len;

    /* Title: after "CYBERWELLNESS PROFILE", up to BACKGROUND / figures. */
    const char *t = ci_find(buf, buf + first_heading, "cyberwellness profile");
    if (t) {
        const char *s = t + strlen("cyberwellness profile");
        const char *stop = buf + first_heading;
        const char *b = ci_find(s, stop, "background");
        if (b && b < stop)
            stop = b;
        b = ci_find(s, stop, "backround"); /* a typo of real profiles */
        if (b && b < stop)
            stop = b;
        b = ci_find(s, stop, "total population");
        if (b && b < stop)
            stop = b;
        char *title = collapse(&d->arena, s, stop);
        cut_title(title);
        if (*title) {
            d->title = title;
            d->title_line = flow_line(f, (size_t)(t - buf));
        }
        blank(f, (size_t)(t - buf), (size_t)(stop - buf));
        if (stop < end && ci_prefix(stop, end, "background"))
            blank(f, (size_t)(stop - buf),
                  (size_t)(stop - buf) + strlen("background"));
    }

    /* Figures may sit anywhere (reading-order errors): search it all, but
     * only for the labels as printed ("Total Population:", "Internet
     * users, percentage of population:"), so that body text that mentions
     * internet users or the population is left alone. */
    const char *p;
    for (p = ci_find(buf, end, "total population"); p;
         p = ci_find(p + 1, end, "total population")) {
        const char *q = p + strlen("total population");
        while (q < end && *q == ' ')
            q++;
        if (q >= end || *q != ':')
            continue;
        q++;
        while (q < end && *q == ' ')
            q++;
        if (q < end && *q == ':')
            q++; /* "Total Population:  : 33 397 000" */
        double v;
        const char *after;
        bool is_irregular;
        if (read_number(q, end, false, &v, &after, &is_irregular)) {
            if (v > DOC_MAX_POPULATION) {
                /* A figure no country has: say so, keep none. */
                const char *num = q;
                int shown = after - num > 24 ? 24 : (int)(after - num);
                add_warning(d, cap_warn, flow_line(f, (size_t)(p - buf)),
                            "total population '%.*s%s' is over %.0f; ignored",
                            shown, num, after - num > shown ? "..." : "",
                            DOC_MAX_POPULATION);
                blank(f, (size_t)(p - buf), (size_t)(after - buf));
                break;
            }
            d->population.is_set = true;
            d->population.value = v;
            d->population.line = flow_line(f, (size_t)(p - buf));
            if (is_irregular)
                add_warning(d, cap_warn, d->population.line,
                            "total population '%.*s' has its digits grouped "
                            "irregularly; read as %.0f",
                            (int)(after - q), q, v);
            blank(f, (size_t)(p - buf), (size_t)(after - buf));
            break;
        }
    }
    for (p = ci_find(buf, end, "internet users"); p;
         p = ci_find(p + 1, end, "internet users")) {
        const char *q = p + strlen("internet users");
        const char *c = q;
        while (c < end && c - q < 60 &&
               (isalpha((unsigned char)*c) || is_space(*c) || *c == ',' ||
                *c == '(' || *c == ')'))
            c++;
        double v;
        const char *after;
        bool is_irregular; /* whole numbers only */
        if (c < end && *c == ':' &&
            read_number(c + 1, end, true, &v, &after, &is_irregular)) {
            if (after < end && *after == '%')
                after++;
            if (v > 100) {
                add_warning(d, cap_warn, flow_line(f, (size_t)(p - buf)),
                            "internet users %.4g%% is over 100%%; ignored", v);
                blank(f, (size_t)(p - buf), (size_t)(after - buf));
                break;
            }
            d->internet.is_set = true;
            d->internet.value = v;
            d->internet.line = flow_line(f, (size_t)(p - buf));
            blank(f, (size_t)(p - buf), (size_t)(after - buf));
            break;
        }
    }
    /* Data sources in order: the first belongs to the population figure. */
    struct doc_figure *figs[2] = {&d->population, &d->internet};
    size_t k = 0;
    const char *s = buf;
    while (k < 2 && (s = ci_find(s, end, "(data source")) != NULL) {
        read_source(d, f, (size_t)(s - buf), figs[k++]);
        s++;
    }

    /* "Last updated on 2nd February 2015". */
    for (p = ci_find(buf, end, "last updated"); p && !d->last_updated;
         p = ci_find(p + 1, end, "last updated")) {
        const char *q = p + strlen("last updated");
        while (q < end && (*q == ' ' || *q == ':'))
            q++;
        if (ci_prefix(q, end, "on "))
            q += 3;
        char iso[32];
        size_t used = parse_date(q, end, iso, sizeof iso), n_month;
        if (used) {
            d->last_updated = arena_strdup(&d->arena, iso);
            d->last_updated_text = collapse(&d->arena, p, q + used);
            blank(f, (size_t)(p - buf), (size_t)(q + used - buf));
        } else if (q < end &&
                   (isdigit((unsigned char)*q) || month_at(q, end, &n_month))) {
            /* It looks like a date but is none ("31 February 2015"): say
             * so rather than leave the document undated in silence. */
            const char *e = q;
            while (e < end && *e != '\n' && e - q < 40)
                e++;
            add_warning(d, cap_warn, flow_line(f, (size_t)(p - buf)),
                        "'last updated' is followed by '%.*s', which is not "
                        "a date; the document's date is unknown",
                        (int)(e - q), q);
        }
    }
}

/* ---- pass 4: section bodies ---- */

static const char *const abbreviations[] = {
    "st",  "no",   "nr",   "mr",  "mrs", "ms",  "dr",  "art",    "arts",
    "e.g", "i.e",  "a.o",  "etc", "vs",  "inc", "ltd", "co",     "jr",
    "sr",  "prof", "dept", "u.s", "u.k", "fig", "vol", "approx", "ref"};

static bool ends_with_abbreviation(const char *start, const char *dot)
{
    const char *w = dot;
    while (w > start && !is_space(w[-1]) && w[-1] != '(')
        w--;
    size_t n = (size_t)(dot - w);
    if (n == 1 && isalpha((unsigned char)*w))
        return true; /* an initial */
    for (size_t i = 0; i < sizeof abbreviations / sizeof *abbreviations; i++)
        if (strlen(abbreviations[i]) == n &&
            ci_prefix(w, dot, abbreviations[i]))
            return true;
    return false;
}

/* A bullet marker at p: "-", "--", "*" followed by text. Returns its length. */
static size_t bullet_marker(const char *p, const char *end)
{
    const char *q = p;
    if (q < end && *q == '*') {
        q++;
    } else {
        size_t n = 0;
        while (q < end && *q == '-' && n < 2) {
            q++;
            n++;
        }
        if (!n)
            return 0;
    }
    if (q >= end || *q == '-')
        return 0;
    while (q < end && *q == ' ')
        q++;
    if (q >= end || *q == '\n')
        return 0;
    return (size_t)(q - p);
}

struct builder {
    struct doc *d;
    struct flow *f;
    struct doc_section *sec;
    size_t cap_links;
    const char *path;
    struct cw_error *err;
    int rc;
    struct strbuf *text; /* scratch for the unit being built */
};

/* Add one unit from flow range [s, e). */
static void emit(struct builder *b, enum doc_unit_kind kind, const char *s,
                 const char *e)
{
    struct doc *d = b->d;
    if (b->rc)
        return;
    while (s < e && is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        e--;
    if (s == e)
        return;
    /* A lone page number is not a sentence. */
    if (e - s <= 3) {
        bool digits = true;
        for (const char *q = s; q < e; q++)
            digits = digits && isdigit((unsigned char)*q);
        if (digits)
            return;
    }
    unsigned line = flow_line(b->f, (size_t)(s - b->f->text.buf));
    if ((size_t)(e - s) > DOC_MAX_UNIT_LEN) {
        b->rc =
            cw_errorf(b->err, CW_ERR_LIMIT, ((struct cw_loc){b->path, line, 0}),
                      "sentence longer than %zu bytes in section %s",
                      DOC_MAX_UNIT_LEN, b->sec->number);
        return;
    }
    if (b->sec->n_units >= DOC_MAX_UNITS) {
        b->rc =
            cw_errorf(b->err, CW_ERR_LIMIT, ((struct cw_loc){b->path, line, 0}),
                      "section %s has more than %u sentences and bullets",
                      b->sec->number, DOC_MAX_UNITS);
        return;
    }
    strbuf_reset(b->text);
    display_text(d, b->sec, &b->cap_links, s, e, b->text);
    if (b->text->len) {
        doc_add_unit(d, b->sec, kind, b->text->buf, line);
    }
}

/* Split text after a list lead-in into bullets at inline markers. */
static void emit_bullets(struct builder *b, const char *s, const char *e)
{
    while (s < e && is_space(*s))
        s++;
    size_t m = bullet_marker(s, e);
    if (m)
        s += m;
    const char *start = s;
    for (const char *q = s; q < e; q++) {
        if (is_space(*q) && q + 1 < e && (q[1] == '-' || q[1] == '*')) {
            size_t mk = bullet_marker(q + 1, e);
            /* An inline marker must be followed by the start of an item:
             * a dash before a lower-case word is a dash inside a sentence
             * ("Article 282 - forbids ..."). */
            if (mk && q + 1 + mk < e &&
                (isupper((unsigned char)q[1 + mk]) ||
                 isdigit((unsigned char)q[1 + mk]) || q[1 + mk] == '[' ||
                 q[1 + mk] == '"' || q[1 + mk] == '(' || q[2] == '-')) {
                emit(b, DOC_BULLET, start, q);
                start = q + 1 + mk;
                q = start - 1;
            }
        }
    }
    emit(b, DOC_BULLET, start, e);
}

/* Sentences of a paragraph [s, e); a lead-in ending with ':' followed by
 * bullet markers turns the rest into bullets. */
static void emit_paragraph(struct builder *b, const char *s, const char *e)
{
    const char *start = s;
    for (const char *q = s; q < e; q++) {
        while (q < e && stop_byte[(unsigned char)*q] != 2)
            q++;
        if (q >= e)
            break;
        if (*q == ':') {
            const char *r = q + 1;
            while (r < e && is_space(*r))
                r++;
            if (r < e && bullet_marker(r, e)) {
                emit(b, DOC_SENTENCE, start, q + 1);
                emit_bullets(b, r, e);
                return;
            }
            continue;
        }
        if (*q != '.' && *q != '?' && *q != '!')
            continue;
        const char *r = q + 1;
        while (r < e && (*r == '"' || *r == '\'' || *r == ')'))
            r++;
        if (r >= e || !is_space(*r))
            continue;
        while (r < e && is_space(*r))
            r++;
        if (r >= e)
            continue;
        if (!(isupper((unsigned char)*r) || isdigit((unsigned char)*r) ||
              *r == '"' || *r == '[' || *r == '(' || (unsigned char)*r >= 0x80))
            continue;
        if (*q == '.' && ends_with_abbreviation(start, q))
            continue;
        emit(b, DOC_SENTENCE, start, r);
        start = r;
        q = r - 1;
    }
    emit(b, DOC_SENTENCE, start, e);
}

/* Cut a body [s, e) into paragraphs and bullets. */
static void build_body(struct builder *b, const char *s, const char *e)
{
    /* Trailer text ends the body. */
    const char *t = ci_find(s, e, "disclaimer:");
    if (t)
        e = t;
    t = ci_find(s, e, "more information is available on itu");
    if (t)
        e = t;

    /* A stray page number between a heading and its body. */
    const char *n = s;
    while (n < e && is_space(*n))
        n++;
    const char *digits = n;
    while (n < e && isdigit((unsigned char)*n))
        n++;
    if (n - digits == 1 && n + 1 < e && is_space(*n) &&
        isupper((unsigned char)n[1]))
        s = n;

    const char *para = NULL;
    bool para_is_bullet = false;
    const char *q = s;
    while (q < e) {
        const char *nl = memchr(q, '\n', (size_t)(e - q));
        const char *le = nl ? nl : e;
        const char *ls = q;
        while (ls < le && *ls == ' ')
            ls++;
        bool blank_line = ls == le;
        size_t mk = blank_line ? 0 : bullet_marker(ls, le);
        /* A list item that ends a sentence, then a line that starts one
         * with no blank line between (PDF text often has none): the list
         * is over. The line before is q[-2] (q[-1] is its '\n'). */
        bool ends_list =
            para && para_is_bullet && !mk && !blank_line && q - para >= 2 &&
            q[-2] == '.' &&
            (isupper((unsigned char)*ls) || (unsigned char)*ls >= 0x80);
        if (ends_list) {
            emit_bullets(b, para, ls);
            para = ls;
            para_is_bullet = false;
        } else if (blank_line || mk) {
            if (para) {
                if (para_is_bullet)
                    emit_bullets(b, para, ls);
                else
                    emit_paragraph(b, para, ls);
            }
            para = blank_line ? NULL : ls;
            para_is_bullet = mk > 0;
        } else if (!para) {
            para = ls;
            para_is_bullet = false;
        }
        q = nl ? nl + 1 : e;
    }
    if (para) {
        if (para_is_bullet)
            emit_bullets(b, para, e);
        else
            emit_paragraph(b, para, e);
    }
}

/* ---- public API ---- */

static struct doc *parse_text(const char *path, const char *data, size_t len,
                              struct cw_error *err);

void doc_title_key(const char *title, char *out, size_t cap)
{
    size_t n = 0;
    bool pending = false;
    if (!cap)
        return;
    for (const char *p = title; *p && n + 2 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c == '&' || c >= 0x80) {
            if (pending && n)
                out[n++] = ' ';
            pending = false;
            out[n++] = ascii_upper((char)c);
        } else {
            pending = true;
        }
    }
    out[n] = '\0';
}

struct doc *doc_new(const char *path)
{
    struct doc *d = xcalloc(1, sizeof *d);
    arena_init(&d->arena);
    d->path = arena_strdup(&d->arena, path ? path : "-");
    return d;
}

/*
 * The arrays of a doc grow by doubling and their capacity is not stored: it
 * is the smallest power of two >= 8 that holds n, so a larger block is due
 * exactly when n is 0 or a power of two >= 8.
 */
static void *grow_doubling(void *p, size_t n, size_t elem)
{
    if (n == 0)
        return xrealloc(p, 8 * elem);
    if (n >= 8 && (n & (n - 1)) == 0)
        return xrealloc(p, 2 * n * elem);
    return p;
}

struct doc_section *doc_add_section(struct doc *d, const char *number,
                                    const char *title, unsigned line)
{
    d->sections =
        grow_doubling(d->sections, d->n_sections, sizeof *d->sections);
    struct doc_section *s = &d->sections[d->n_sections++];
    memset(s, 0, sizeof *s);
    s->number = arena_strdup(&d->arena, number);
    s->title = arena_strdup(&d->arena, title ? title : "");
    char key[256];
    doc_title_key(s->title, key, sizeof key);
    s->title_key = arena_strdup(&d->arena, key);
    s->depth = 1;
    for (const char *p = number; *p; p++)
        if (*p == '.')
            s->depth++;
    s->line = line;
    return s;
}

void doc_add_unit(struct doc *d, struct doc_section *s, enum doc_unit_kind kind,
                  const char *text, unsigned line)
{
    s->units = grow_doubling(s->units, s->n_units, sizeof *s->units);
    struct doc_unit *u = &s->units[s->n_units++];
    u->kind = kind;
    u->text = arena_strdup(&d->arena, text);
    size_t n = strlen(text);
    char *norm = arena_alloc(&d->arena, n + 1);
    for (size_t i = 0; i <= n; i++)
        norm[i] = ascii_lower(text[i]);
    u->norm = norm;
    u->line = line;
}

void doc_free(struct doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_sections; i++) {
        free(d->sections[i].units);
        free(d->sections[i].links);
    }
    free(d->sections);
    free(d->warnings);
    arena_release(&d->arena);
    free(d);
}

const struct doc_section *doc_find_section(const struct doc *d,
                                           const char *number)
{
    for (size_t i = 0; i < d->n_sections; i++)
        if (strcmp(d->sections[i].number, number) == 0)
            return &d->sections[i];
    return NULL;
}

void doc_text_init(struct doc_text *t)
{
    decode_result_init(&t->dec);
    strbuf_init(&t->extracted);
    t->is_pdf = false;
}

void doc_text_release(struct doc_text *t)
{
    decode_result_release(&t->dec);
    strbuf_release(&t->extracted);
    t->is_pdf = false;
}

/* True when [s, s + n) holds nothing but white space. */
static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
              s[i] == '\t'))
            return false;
    return true;
}

int doc_text_read(const char *path, const char *data, size_t len,
                  const struct doc_read_opts *o, struct doc_text *t,
                  struct cw_error *err)
{
    decode_result_release(&t->dec);
    strbuf_reset(&t->extracted);
    t->is_pdf = pdf_is_pdf(data, len);
    if (!t->is_pdf)
        return decode_buffer(path, data, len, o ? o->encoding : NULL, &t->dec,
                             err);
    if (!o || !o->allow_pdf)
        return cw_errorf(err, CW_ERR_PARSE, ((struct cw_loc){path, 0, 0}),
                         "this is a PDF; only the score, parse and ingest "
                         "commands read PDFs");
    int rc = pdf_extract(path, data, len, o->pdftotext, &t->extracted, err);
    if (rc)
        return rc;
    if (is_blank(t->extracted.buf, t->extracted.len))
        return cw_errorf(err, CW_ERR_PARSE, ((struct cw_loc){path, 0, 0}),
                         "this PDF has no text to read (a scanned image "
                         "without a text layer?); make its text with OCR "
                         "first");
    /* The form feed and line end after the last page are not text. */
    while (t->extracted.len &&
           strchr("\f\n ", t->extracted.buf[t->extracted.len - 1]))
        strbuf_setlen(&t->extracted, t->extracted.len - 1);
    /* pdftotext writes UTF-8: nothing is guessed. */
    rc = decode_buffer(path, t->extracted.buf, t->extracted.len, "UTF-8",
                       &t->dec, err);
    t->dec.info.is_forced = false;
    memcpy(t->dec.info.encoding, "UTF-8", sizeof "UTF-8");
    return rc;
}

struct doc *doc_parse(const char *path, const char *data, size_t len,
                      struct cw_error *err)
{
    return doc_read(path, data, len, NULL, NULL, err);
}

struct doc *doc_parse_hashed(const char *path, const char *data, size_t len,
                             const char *hash, struct cw_error *err)
{
    return doc_read(path, data, len, hash, NULL, err);
}

struct doc *doc_read(const char *path, const char *data, size_t len,
                     const char *hash, const struct doc_read_opts *o,
                     struct cw_error *err)
{
    return doc_read_keep(path, data, len, hash, o, NULL, err);
}

struct doc *doc_read_keep(const char *path, const char *data, size_t len,
                          const char *hash, const struct doc_read_opts *o,
                          struct strbuf *text_out, struct cw_error *err)
{
    char own_hash[SHA256_HEX_LEN + 1] = "";
    struct doc_text text;
    doc_text_init(&text);
    if (len > DOC_MAX_BYTES) {
        cw_errorf(err, CW_ERR_LIMIT, ((struct cw_loc){path, 0, 0}),
                  "document is %zu bytes, over the limit of %zu bytes", len,
                  DOC_MAX_BYTES);
        return NULL;
    }
    if (!hash) {
        sha256_hex(data, len, own_hash);
        hash = own_hash;
    }
    if (doc_text_read(path, data, len, o, &text, err)) {
        doc_text_release(&text);
        return NULL;
    }
    struct doc *d = parse_text(path, text.dec.text, text.dec.len, err);
    if (d) {
        d->size = len;
        memcpy(d->hash, hash, sizeof d->hash);
        d->encoding = text.dec.info;
        d->is_pdf = text.is_pdf;
        if (text_out) {
            strbuf_reset(text_out);
            strbuf_add(text_out, text.dec.text, text.dec.len);
        }
    }
    doc_text_release(&text);
    return d;
}

/* Parse len bytes of UTF-8 text. */
static struct doc *parse_text(const char *path, const char *data, size_t len,
                              struct cw_error *err)
{
    struct flow f = {STRBUF_INIT, NULL, NULL, 0, 0};
    struct strbuf unit = STRBUF_INIT;
    struct heading *hs = NULL;
    size_t n_hs = 0, cap_hs = 0, cap_warn = 0, n_bare = 0;
    struct doc *d = doc_new(path);
    int rc;

    rc = normalise(path, data, len, &f, err);
    if (rc)
        goto fail;

    /* Pass 2: headings. */
    const char *buf = f.text.buf;
    /* Lines with text, counted only as far as is_collapsed needs. */
    size_t n_lines_text = 0;
    for (const char *nl = buf; n_lines_text <= 3; nl++) {
        nl = memchr(nl, '\n', f.text.len - (size_t)(nl - buf));
        if (!nl)
            break;
        if (nl > buf && nl[-1] != '\n')
            n_lines_text++;
    }
    for (size_t i = 0; i < f.text.len; i++) {
        if (f.text.len - i >= 8 && !has_digit19(word_at(buf + i))) {
            i += 7;
            continue;
        }
        if (!(buf[i] >= '1' && buf[i] <= '9'))
            continue;
        /* "-1.5.2" at a line start: a converter glued an empty bullet to
         * the number; taken only with a known title. */
        bool after_dash =
            i >= 1 && buf[i - 1] == '-' && (i == 1 || buf[i - 2] == '\n');
        if (i && !is_space(buf[i - 1]) && !after_dash)
            continue;
        struct heading h;
        bool is_heading = read_heading(buf, f.text.len, i, &h);
        if (after_dash) {
            if (!is_heading || !h.is_known)
                continue;
            h.start = i - 1;
        } else if (!is_heading) {
            size_t bn = bare_number_len(buf, f.text.len, i);
            if (bn && n_bare++ < DOC_MAX_BARE_WARNINGS)
                add_warning(d, &cap_warn, flow_line(&f, i),
                            "'%.*s' alone on its line has no title: read as "
                            "text, not as a section heading",
                            (int)bn, buf + i);
            continue;
        }
        /* A known heading overrules the unknown-titled ones just before it
         * that it does not follow: those were numbers in running text. */
        while (h.is_known && n_hs && !hs[n_hs - 1].is_known &&
               cmp_parts(&h, &hs[n_hs - 1]) <= 0)
            n_hs--;
        const struct heading *twin = NULL;
        for (size_t k = 0; k < n_hs && !twin; k++)
            if (same_number(&hs[k], &h))
                twin = &hs[k];
        if (twin && !h.is_known)
            continue; /* a number in running text */
        if (twin) {
            rc = cw_errorf(err, CW_ERR_PARSE,
                           ((struct cw_loc){path, flow_line(&f, i), 0}),
                           "section %s appears twice (first at line %u)",
                           h.number, flow_line(&f, twin->start));
            cw_error_set_src(err, buf + i, f.text.len - i);
            goto fail;
        }
        if (n_hs) {
            struct heading *last = &hs[n_hs - 1];
            int c = cmp_parts(&h, last);
            if (c < 0 && !h.is_known)
                continue; /* a number in running text */
            if (c < 0)
                add_warning(d, &cap_warn, flow_line(&f, i),
                            "section %s is out of order (after %s)", h.number,
                            last->number);
        }
        if (n_hs >= DOC_MAX_SECTIONS) {
            rc = cw_errorf(err, CW_ERR_LIMIT,
                           ((struct cw_loc){path, flow_line(&f, i), 0}),
                           "more than %u numbered sections", DOC_MAX_SECTIONS);
            goto fail;
        }
        CW_GROW(hs, n_hs + 1, cap_hs);
        hs[n_hs++] = h;
        i = h.title_end - 1;
    }
    if (n_hs == 0) {
        rc = cw_errorf(err, CW_ERR_PARSE, ((struct cw_loc){path, 0, 0}),
                       "no numbered sections found; a Cyberwellness Profile "
                       "has headings such as '1.1.1 CRIMINAL LEGISLATION'");
        goto fail;
    }
    d->is_collapsed = n_lines_text <= 3 && f.text.len > 400;
    /* Titles are read before pass 3 blanks anything. */
    for (size_t k = 0; k < n_hs; k++) {
        const char *s = buf + hs[k].start;
        while (*s && !is_space(*s) && !isalpha((unsigned char)*s))
            s++;
        char *title = collapse(&d->arena, s, buf + hs[k].title_end);
        doc_add_section(d, hs[k].number, title, flow_line(&f, hs[k].start));
    }

    /* Pass 3. */
    read_front(d, &f, hs[0].start, &cap_warn);
    if (!d->title)
        add_warning(d, &cap_warn, 1,
                    "no 'CYBERWELLNESS PROFILE <COUNTRY>' title found");
    for (size_t k = 0; k < n_hs; k++)
        if (!hs[k].is_known)
            add_warning(d, &cap_warn, d->sections[k].line,
                        "heading '%s %s' is not a known profile heading",
                        d->sections[k].number, d->sections[k].title);

    /* Pass 4. */
    struct builder b = {d, &f, NULL, 0, path, err, CW_OK, &unit};
    for (size_t k = 0; k < n_hs; k++) {
        b.sec = &d->sections[k];
        b.cap_links = 0;
        size_t from = hs[k].title_end;
        size_t to = k + 1 < n_hs ? hs[k + 1].start : f.text.len;
        build_body(&b, f.text.buf + from, f.text.buf + to);
        if (b.rc) {
            rc = b.rc;
            goto fail;
        }
        if (b.sec->depth == 3 && b.sec->n_units == 0)
            add_warning(d, &cap_warn, b.sec->line, "section %s has no text",
                        b.sec->number);
    }
    free(hs);
    flow_release(&f);
    strbuf_release(&unit);
    return d;
fail:
    free(hs);
    flow_release(&f);
    strbuf_release(&unit);
    doc_free(d);
    (void)rc;
    return NULL;
}

struct doc *doc_load_opts(const char *path, const struct doc_read_opts *o,
                          struct cw_error *err)
{
    struct strbuf sb = STRBUF_INIT;
    struct doc *d = NULL;
    if (fileio_read(path, DOC_MAX_BYTES, &sb, err) == CW_OK)
        d = doc_read(path, sb.buf, sb.len, NULL, o, err);
    strbuf_release(&sb);
    return d;
}

struct doc *doc_load(const char *path, struct cw_error *err)
{
    return doc_load_opts(path, NULL, err);
}
