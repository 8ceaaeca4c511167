/* Finite regular expressions as literal alternatives; see litalt.h. */
#include "util/litalt.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#include "util/banned.h"

/* Bytes of one alternative, at most: longer ones do not expand. */
#define LITALT_MAX_LEN 200

void litalt_set_init(struct litalt_set *s)
{
    memset(s, 0, sizeof *s);
}

static void alt_release(struct litalt *a)
{
    free(a->lit);
    free(a->asserts);
}

void litalt_set_release(struct litalt_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        alt_release(&s->alts[i]);
    free(s->alts);
    litalt_set_init(s);
}

/* Append an alternative of len bytes (lit may be NULL when len is 0) with
 * its len + 1 masks; takes nothing, copies both. */
static void set_add(struct litalt_set *s, const char *lit, size_t len,
                    const uint8_t *asserts)
{
    CW_GROW(s->alts, s->n + 1, s->cap);
    struct litalt *a = &s->alts[s->n++];
    a->lit = xmalloc(len + 1);
    if (len)
        memcpy(a->lit, lit, len);
    a->lit[len] = '\0';
    a->len = len;
    a->asserts = xmalloc(len + 1);
    memcpy(a->asserts, asserts, len + 1);
}

/* The set holding only the empty string with assertion mask m. */
static void set_of_empty(struct litalt_set *s, uint8_t m)
{
    set_add(s, NULL, 0, &m);
}

struct parser {
    const char *p;
    size_t max;
    bool is_bad;
};

/* a := a followed by b (every pair), or is_bad when over the cap. */
static void concat(struct parser *P, struct litalt_set *a,
                   const struct litalt_set *b)
{
    if (P->is_bad)
        return;
    if (a->n * b->n > P->max) {
        P->is_bad = true;
        return;
    }
    struct litalt_set r;
    litalt_set_init(&r);
    char lit[2 * LITALT_MAX_LEN + 1];
    uint8_t as[2 * LITALT_MAX_LEN + 2];
    for (size_t i = 0; i < a->n && !P->is_bad; i++)
        for (size_t j = 0; j < b->n; j++) {
            const struct litalt *x = &a->alts[i], *y = &b->alts[j];
            size_t n = x->len + y->len;
            if (n > LITALT_MAX_LEN) {
                P->is_bad = true;
                break;
            }
            memcpy(lit, x->lit, x->len);
            memcpy(lit + x->len, y->lit, y->len);
            memcpy(as, x->asserts, x->len + 1);
            as[x->len] |= y->asserts[0];
            memcpy(as + x->len + 1, y->asserts + 1, y->len);
            set_add(&r, lit, n, as);
        }
    litalt_set_release(a);
    *a = r;
}

/* a := a or b (b emptied). */
static void unite(struct parser *P, struct litalt_set *a, struct litalt_set *b)
{
    if (a->n + b->n > P->max) {
        P->is_bad = true;
        litalt_set_release(b);
        return;
    }
    for (size_t i = 0; i < b->n; i++) {
        CW_GROW(a->alts, a->n + 1, a->cap);
        a->alts[a->n++] = b->alts[i];
    }
    free(b->alts);
    litalt_set_init(b);
}

static void parse_alt(struct parser *P, struct litalt_set *out);

/* A bracket expression after its '[': each byte it names. */
static void parse_bracket(struct parser *P, struct litalt_set *out)
{
    bool in[256] = {false};
    const unsigned char *p = (const unsigned char *)P->p;
    bool first = true;
    if (*p == '^') {
        P->is_bad = true;
        return;
    }
    while (*p && (first || *p != ']')) {
        unsigned char lo = *p;
        if (lo == '[' || lo == '\\' || lo >= 0x80) {
            P->is_bad = true; /* classes, collating elements, escapes */
            return;
        }
        unsigned char hi = lo;
        if (p[1] == '-' && p[2] && p[2] != ']') {
            hi = p[2];
            if (hi == '[' || hi == '\\' || hi >= 0x80 || hi < lo) {
                P->is_bad = true;
                return;
            }
            p += 2;
        }
        for (unsigned c = lo; c <= hi; c++)
            in[c] = true;
        p++;
        first = false;
    }
    if (*p != ']') {
        P->is_bad = true;
        return;
    }
    P->p = (const char *)p + 1;
    uint8_t none[2] = {0, 0};
    for (unsigned c = 0; c < 256 && !P->is_bad; c++) {
        if (!in[c])
            continue;
        if (out->n + 1 > P->max) {
            P->is_bad = true;
            break;
        }
        char ch = (char)c;
        set_add(out, &ch, 1, none);
    }
}

/* One atom into out (empty on failure). */
static void parse_atom(struct parser *P, struct litalt_set *out)
{
    char c = *P->p;
    uint8_t none[2] = {0, 0};
    switch (c) {
    case '(':
        P->p++;
        parse_alt(P, out);
        if (*P->p != ')')
            P->is_bad = true;
        else
            P->p++;
        return;
    case '[':
        P->p++;
        parse_bracket(P, out);
        return;
    case '^':
        P->p++;
        set_of_empty(out, LITALT_BOL);
        return;
    case '$':
        P->p++;
        set_of_empty(out, LITALT_EOL);
        return;
    case '\\': {
        char e = P->p[1];
        P->p += 2;
        switch (e) {
        case 'b':
            set_of_empty(out, LITALT_EDGE);
            return;
        case 'B':
            set_of_empty(out, LITALT_NOT_EDGE);
            return;
        case '<':
            set_of_empty(out, LITALT_WORD_START);
            return;
        case '>':
            set_of_empty(out, LITALT_WORD_END);
            return;
        default:
            break;
        }
        if (e && strchr(".[]()*+?{}|^$\\/- ", e)) {
            set_add(out, &e, 1, none);
            return;
        }
        P->is_bad = true;
        return;
    }
    case '.':
    case '*':
    case '+':
    case '?':
    case '{':
    case '}':
    case ']':
    case '\0':
        P->is_bad = true;
        return;
    default:
        P->p++;
        set_add(out, &c, 1, none);
        return;
    }
}

/* A branch: atoms, each maybe followed by '?'. */
static void parse_seq(struct parser *P, struct litalt_set *out)
{
    set_of_empty(out, 0);
    while (!P->is_bad && *P->p && *P->p != '|' && *P->p != ')') {
        struct litalt_set atom;
        litalt_set_init(&atom);
        parse_atom(P, &atom);
        if (!P->is_bad && *P->p == '?') {
            P->p++;
            struct litalt_set e;
            litalt_set_init(&e);
            set_of_empty(&e, 0);
            unite(P, &atom, &e);
        }
        if (!P->is_bad && *P->p && strchr("*+{?", *P->p))
            P->is_bad = true;
        concat(P, out, &atom);
        litalt_set_release(&atom);
    }
}

static void parse_alt(struct parser *P, struct litalt_set *out)
{
    parse_seq(P, out);
    while (!P->is_bad && *P->p == '|') {
        P->p++;
        struct litalt_set b;
        litalt_set_init(&b);
        parse_seq(P, &b);
        unite(P, out, &b);
        litalt_set_release(&b);
    }
}

bool litalt_expand(const char *pattern, size_t max_alts, struct litalt_set *s)
{
    struct parser P = {pattern, max_alts, false};
    litalt_set_init(s);
    parse_alt(&P, s);
    if (*P.p) /* an unmatched ')' */
        P.is_bad = true;
    for (size_t i = 0; i < s->n && !P.is_bad; i++)
        if (!s->alts[i].len)
            P.is_bad = true; /* it may match the empty string */
    if (P.is_bad)
        litalt_set_release(s);
    return !P.is_bad;
}

static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

bool litalt_holds(const struct litalt *a, const char *str, size_t len,
                  size_t at, unsigned flags)
{
    for (size_t i = 0; i <= a->len; i++) {
        uint8_t m = a->asserts[i];
        if (!m)
            continue;
        size_t pos = at + i;
        bool prev_word = pos > 0 && is_word(str[pos - 1]);
        bool next_word = pos < len && is_word(str[pos]);
        if ((m & LITALT_EDGE) && prev_word == next_word)
            return false;
        if ((m & LITALT_NOT_EDGE) && prev_word != next_word)
            return false;
        if ((m & LITALT_WORD_START) && (prev_word || !next_word))
            return false;
        if ((m & LITALT_WORD_END) && (!prev_word || next_word))
            return false;
        if ((m & LITALT_BOL) && (pos != 0 || (flags & LITALT_NOTBOL)))
            return false;
        if ((m & LITALT_EOL) && (pos != len || (flags & LITALT_NOTEOL)))
            return false;
    }
    return true;
}
