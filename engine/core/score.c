/* Decide each indicator's status from cues, then aggregate. */
#include "core/score.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* Occurrences of literals listed per text, at most: a text with more is
 * decided by regexec alone. */
#define MAX_OCC 256

/*
 * What one pass of the rubric's literals (rubric.lits) over a text found:
 * which literals occur (for the prefilters), where (for the cues written
 * out as literal alternatives), and which of those cues match the whole
 * text. Filled by scan_text; the scratch of score_document.
 */
struct scan {
    unsigned char *hit;     /* rubric.lits.n bytes: literal i occurs */
    unsigned char *cue_yes; /* rubric.n_cues bytes: cue i matches the text
                               (read only for cues with alternatives) */
    bool is_decided;        /* occ and cue_yes are valid */
    size_t n_occ;
    struct litscan_occ occ[MAX_OCC];
};

/* Scan text (len bytes, no NUL) for the literals of r into sc. */
static void scan_text(const struct rubric *r, struct scan *sc, const char *text,
                      size_t len)
{
    sc->n_occ = litscan_find(&r->lits, text, len, sc->hit, sc->occ, MAX_OCC);
    sc->is_decided = r->use_alts && sc->n_occ != SIZE_MAX;
    if (!sc->is_decided)
        return;
    memset(sc->cue_yes, 0, r->n_cues);
    for (size_t i = 0; i < sc->n_occ; i++) {
        uint32_t id = sc->occ[i].id;
        for (uint32_t u = r->lit_use_start[id]; u < r->lit_use_start[id + 1];
             u++) {
            const struct rubric_lit_use *lu = &r->lit_uses[u];
            if (!sc->cue_yes[lu->cue] &&
                litalt_holds(&r->cues[lu->cue].alts.alts[lu->alt], text, len,
                             sc->occ[i].at, 0))
                sc->cue_yes[lu->cue] = 1;
        }
    }
}

/* Whether cue c matches the whole text sc scanned (what regexec(&c->re,
 * text, 0, NULL, 0) answers). */
static bool cue_matches(const struct rubric *r, const struct rubric_cue *c,
                        const char *text, const struct scan *sc)
{
    if (sc->is_decided && c->alts.n)
        return sc->cue_yes[c - r->cues];
    return rubric_prefilter_may_match(&c->prefilter, sc->hit) &&
           regexec(&c->re, text, 0, NULL, 0) == 0;
}

/* Clause boundaries of text (whose literals are in hit): offsets where a
 * clause row matches. *opens_with is set when a clause row matches at the
 * very start: the text itself begins with a caveat ("However, ..."). */
#define MAX_CLAUSES 16

static size_t split_clauses(const struct rubric *r, const char *text,
                            size_t len, const unsigned char *hit,
                            size_t *starts, bool *opens_with)
{
    size_t n = 1;
    starts[0] = 0;
    *opens_with = false;
    for (size_t k = 0; k < r->n_clauses; k++) {
        if (!rubric_prefilter_may_match(&r->clauses[k].prefilter, hit))
            continue;
        size_t pos = 0;
        regmatch_t m;
        while (pos < len && n < MAX_CLAUSES &&
               regexec(&r->clauses[k].re, text + pos, 1, &m,
                       pos ? REG_NOTBOL : 0) == 0) {
            size_t start = pos + (size_t)m.rm_so;
            if (start > 0)
                starts[n++] = start;
            else
                *opens_with = true;
            pos += m.rm_eo > m.rm_so ? (size_t)m.rm_eo : (size_t)m.rm_so + 1;
        }
    }
    /* Sort starts ascending and drop duplicates. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && starts[j - 1] > starts[j]; j--) {
            size_t t = starts[j];
            starts[j] = starts[j - 1];
            starts[j - 1] = t;
        }
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || starts[u - 1] != starts[i])
            starts[u++] = starts[i];
    return u;
}

/* Which cue scopes a clause may be read with. */
enum clause_role {
    ROLE_LEAD,  /* no lead yet: lead and any cues */
    ROLE_LATER, /* after the lead: any and caveat cues */
    ROLE_BULLET /* a bullet under a positive list lead-in: bullet cues */
};

static bool scope_allowed(enum cue_scope s, enum clause_role role)
{
    switch (role) {
    case ROLE_LEAD:
        return s == CUE_LEAD || s == CUE_ANY;
    case ROLE_LATER:
        return s == CUE_ANY || s == CUE_CAVEAT;
    case ROLE_BULLET:
        return s == CUE_BULLET;
    }
    return false;
}

/* What one clause says: the first cue that matches it and, when a negation
 * turned that cue, the negation and the status it gave. */
struct verdict {
    const struct rubric_cue *cue;      /* NULL: no cue matched */
    const struct rubric_negation *neg; /* NULL: not negated */
    enum cw_state state;               /* the cue's, or the negation's */
};

/* A span [so, eo) of a clause. */
struct span {
    size_t so, eo;
};

#define MAX_KEYS 32 /* matches of a cue looked at for negations */
#define FAKE_REACH                                                             \
    100 /* bytes around a negation searched for a false one covering it */

static bool is_word_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80 ||
           (u >= 'A' && u <= 'Z');
}

/* Whether c ends a negation's scope. */
static bool is_scope_end(char c)
{
    return c == ';' || c == ':';
}

/* Words in text[from, to): runs of letters and digits (any byte of a
 * multi-byte UTF-8 character counts as a letter). A ';' or ':' between
 * them ends the scope: SIZE_MAX. */
static size_t words_between(const char *text, size_t from, size_t to)
{
    size_t n = 0;
    bool in_word = false;
    for (size_t i = from; i < to; i++) {
        if (is_scope_end(text[i]))
            return SIZE_MAX;
        bool w = is_word_byte(text[i]);
        if (w && !in_word)
            n++;
        in_word = w;
    }
    return n;
}

/* The offset n words before pos (0 at the latest), stopping after a ';'
 * or ':'. */
static size_t words_back(const char *text, size_t pos, size_t n)
{
    size_t i = pos;
    while (i > 0 && !is_scope_end(text[i - 1])) {
        if (is_word_byte(text[i - 1]) && (i == 1 || !is_word_byte(text[i - 2])))
            if (n-- == 0)
                break;
        i--;
    }
    return i;
}

/* The offset n words after pos (len at the latest), stopping at a ';' or
 * ':'. */
static size_t words_ahead(const char *text, size_t pos, size_t n, size_t len)
{
    size_t i = pos;
    while (i < len && !is_scope_end(text[i])) {
        if (is_word_byte(text[i]) &&
            (i + 1 == len || !is_word_byte(text[i + 1])))
            if (n-- == 0)
                break;
        i++;
    }
    return i;
}

/* The first match of re (compiled to report positions) within text[from,
 * to) (text is len bytes) into *m, in offsets of text; false when none. */
static bool match_within(const regex_t *re, const char *text, size_t len,
                         size_t from, size_t to, struct span *m)
{
    regmatch_t rm;
    rm.rm_so = (regoff_t)from;
    rm.rm_eo = (regoff_t)to;
    if (from >= to || regexec(re, text, 1, &rm,
                              REG_STARTEND | (to < len ? REG_NOTEOL : 0)) != 0)
        return false;
    m->so = (size_t)rm.rm_so;
    m->eo = (size_t)rm.rm_eo;
    return true;
}

/* Whether the text of span g occurs in pattern: a negation the cue spells
 * out ("not yet operational") is the cue's own wording. */
static bool is_spelled_out(const char *text, const struct span *g,
                           const char *pattern)
{
    size_t n = g->eo - g->so;
    for (const char *p = pattern; n && (p = strchr(p, text[g->so])); p++)
        if (!strncmp(p, text + g->so, n))
            return true;
    return false;
}

/* Whether negation neg, matched at g, stands within its scope of key term
 * k, a match of the cue whose pattern is given. */
static bool in_scope(const struct rubric_negation *neg, const char *text,
                     const struct span *g, const struct span *k,
                     const char *pattern)
{
    if (g->so < k->eo && k->so < g->eo) /* inside the key term */
        return !is_spelled_out(text, g, pattern);
    if (neg->scope == NEG_CLAUSE)
        return true;
    if (neg->scope == NEG_BEFORE)
        return g->eo <= k->so &&
               words_between(text, g->eo, k->so) <= neg->window;
    return g->so >= k->eo && words_between(text, k->eo, g->so) <= neg->window;
}

/* The first word end at or after p in text (len bytes), or len. */
static size_t word_end_from(const char *text, size_t p, size_t len)
{
    while (p < len &&
           !(p > 0 && is_word_byte(text[p - 1]) && !is_word_byte(text[p])))
        p++;
    return p;
}

/* The first word start at or after p in text, or len. */
static size_t word_start_from(const char *text, size_t p, size_t len)
{
    while (p < len &&
           !(is_word_byte(text[p]) && (p == 0 || !is_word_byte(text[p - 1]))))
        p++;
    return p;
}

/*
 * Whether cue c matches within text[s, e) (text is len bytes), with its
 * own yes/no regex: run from text + s (so that an anchored "^.*(P)" may
 * match anywhere in the range) up to e. s and e sit at word edges, where
 * the ends of the range read as the text around them does for \b. A cue
 * that begins with ^ matches only at the start of the clause.
 */
static bool cue_within(const struct rubric *r, const struct rubric_cue *c,
                       const struct scan *sc, const char *text, size_t len,
                       size_t s, size_t e)
{
    if (c->pattern[0] == '^' && s > 0)
        return false;
    if (sc->is_decided && c->alts.n)
        return rubric_alts_within(r, c, text, len, sc->occ, sc->n_occ, s, e);
    regmatch_t m;
    m.rm_so = 0;
    m.rm_eo = (regoff_t)(e - s);
    int flags = REG_STARTEND | (e < len ? REG_NOTEOL : 0);
    return regexec(&c->re, text + s, 1, &m, flags) == 0;
}

/*
 * The matches of cue c in text (its key terms), at most MAX_KEYS, into
 * keys; returns their count, or SIZE_MAX when there are more. From each
 * position: the earliest word end e such that c matches within the range
 * up to e, then the latest word start s such that it still matches within
 * [s, e); both by bisection. The cue's yes/no regex does it all, so no
 * regex reporting positions is compiled for the cues; this runs only where
 * the prefilter found a negation word.
 */
static size_t cue_keys(const struct rubric *r, const struct rubric_cue *c,
                       const struct scan *sc, const char *text,
                       struct span *keys)
{
    size_t len = strlen(text), n = 0, from = 0;
    while (from < len && cue_within(r, c, sc, text, len, from, len)) {
        if (n == MAX_KEYS)
            return SIZE_MAX;
        size_t lo = from, hi = len;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cue_within(r, c, sc, text, len, from,
                           word_end_from(text, mid, len)))
                hi = mid;
            else
                lo = mid + 1;
        }
        size_t end = word_end_from(text, lo, len);
        size_t start = from;
        for (size_t a = from + 1, b = end; a < b;) {
            size_t mid = a + (b - a) / 2;
            size_t st = word_start_from(text, mid, len);
            if (st < end && cue_within(r, c, sc, text, len, st, end)) {
                start = st;
                a = st + 1;
            } else {
                b = mid;
            }
        }
        keys[n].so = start;
        keys[n++].eo = end;
        from = end > from ? end : from + 1;
    }
    return n;
}

/* Whether negation row g applies to ind and may match the text whose
 * literals are marked in hit. */
static bool may_apply(const struct rubric_negation *g,
                      const struct rubric_indicator *ind,
                      const unsigned char *hit)
{
    return (!g->target || rubric_targets(g->target, ind->id)) &&
           rubric_prefilter_may_match(&g->prefilter, hit);
}

/* Whether any negation row (is_false: false negation) may apply. */
static bool may_have_negation(const struct rubric *r,
                              const struct rubric_indicator *ind,
                              const unsigned char *hit, bool is_false)
{
    for (size_t i = 0; i < r->n_negations; i++)
        if (r->negations[i].is_false == is_false &&
            may_apply(&r->negations[i], ind, hit))
            return true;
    return false;
}

/* Whether a false negation covers text[m->so, m->eo) (covering it whole,
 * or only overlapping it when is_overlap). */
static bool is_faked(const struct rubric *r, const struct rubric_indicator *ind,
                     const char *text, size_t len, const unsigned char *hit,
                     const struct span *m, bool is_overlap)
{
    size_t from = m->so > FAKE_REACH ? m->so - FAKE_REACH : 0;
    size_t to = m->eo + FAKE_REACH < len ? m->eo + FAKE_REACH : len;
    for (size_t i = 0; i < r->n_negations; i++) {
        const struct rubric_negation *g = &r->negations[i];
        if (!g->is_false || !may_apply(g, ind, hit))
            continue;
        struct span f;
        for (size_t pos = from; match_within(&g->re, text, len, pos, to, &f);
             pos = f.eo > f.so ? f.eo : f.so + 1)
            if (is_overlap ? f.so < m->eo && m->so < f.eo
                           : f.so <= m->so && m->eo <= f.eo)
                return true;
    }
    return false;
}

/* The negation that stands within its scope of key term k of cue c, not
 * hidden by a false negation, or NULL. */
static const struct rubric_negation *
negation_of(const struct rubric *r, const struct rubric_indicator *ind,
            const struct rubric_cue *c, const char *text, size_t len,
            const unsigned char *hit, const struct span *k)
{
    for (size_t i = 0; i < r->n_negations; i++) {
        const struct rubric_negation *g = &r->negations[i];
        if (g->is_false || !may_apply(g, ind, hit))
            continue;
        /* Where a negation in scope can be: its window, with room for a
         * negation of a few words. */
        size_t from = 0, to = len;
        if (g->scope == NEG_BEFORE) {
            from = words_back(text, k->so, g->window + 4);
            to = k->eo;
        } else if (g->scope == NEG_AFTER) {
            from = k->so;
            to = words_ahead(text, k->eo, g->window + 4, len);
        }
        struct span m;
        for (size_t pos = from; match_within(&g->re, text, len, pos, to, &m);
             pos = m.eo > m.so ? m.eo : m.so + 1)
            if (in_scope(g, text, &m, k, c->pattern) &&
                !is_faked(r, ind, text, len, hit, &m, false))
                return g;
    }
    return NULL;
}

/*
 * The negation that turns present or partial cue c in text, or NULL: every
 * match of c must have a negation in scope (one un-negated match keeps the
 * cue). The regexes run only when the prefilters (hit) find a negation.
 */
static const struct rubric_negation *
negated_by(const struct rubric *r, const struct rubric_indicator *ind,
           const struct rubric_cue *c, const char *text, const struct scan *sc)
{
    const unsigned char *hit = sc->hit;
    if (!may_have_negation(r, ind, hit, false))
        return NULL;
    struct span keys[MAX_KEYS];
    size_t n_keys = cue_keys(r, c, sc, text, keys);
    if (n_keys == SIZE_MAX) /* too many matches to read: the cue stands */
        return NULL;
    size_t len = strlen(text);
    const struct rubric_negation *first = NULL;
    for (size_t k = 0; k < n_keys; k++) {
        const struct rubric_negation *by =
            negation_of(r, ind, c, text, len, hit, &keys[k]);
        if (!by)
            return NULL; /* this match of the cue stands */
        if (!first)
            first = by;
    }
    return first;
}

/* Whether every match of absent cue c in text overlaps a false negation
 * ("there is no doubt"): then the cue does not count. */
static bool is_false_negative(const struct rubric *r,
                              const struct rubric_indicator *ind,
                              const struct rubric_cue *c, const char *text,
                              const struct scan *sc)
{
    const unsigned char *hit = sc->hit;
    if (!may_have_negation(r, ind, hit, true))
        return false;
    struct span keys[MAX_KEYS];
    size_t n_keys = cue_keys(r, c, sc, text, keys);
    if (n_keys == SIZE_MAX || n_keys == 0)
        return false;
    size_t len = strlen(text);
    for (size_t k = 0; k < n_keys; k++)
        if (!is_faked(r, ind, text, len, hit, &keys[k], true))
            return false;
    return true;
}

/* The verdict on text (whose literals are marked in hit) for a clause of
 * the given role: the first of the rubric's first n_cues cues, in file
 * order, of an allowed scope that matches it, then whether a negation turns
 * it. A neutral cue ends the search with no verdict. */
static struct verdict clause_verdict(const struct rubric *r,
                                     const struct rubric_indicator *ind,
                                     const char *text, const struct scan *sc,
                                     enum clause_role role, size_t n_cues)
{
    struct verdict v = {NULL, NULL, CW_UNKNOWN};
    for (size_t i = 0; i < n_cues; i++) {
        const struct rubric_cue *c = &r->cues[i];
        if (!scope_allowed(c->scope, role) ||
            (c->target && !rubric_targets(c->target, ind->id)) ||
            !cue_matches(r, c, text, sc))
            continue;
        if (c->is_neutral)
            return v;
        if (c->status == CW_ABSENT && is_false_negative(r, ind, c, text, sc))
            continue;
        v.cue = c;
        v.state = c->status;
        if (c->status == CW_PRESENT || c->status == CW_PARTIAL)
            v.neg = negated_by(r, ind, c, text, sc);
        if (v.neg)
            v.state = v.neg->status;
        return v;
    }
    return v;
}

static bool title_matches(const struct rubric_indicator *ind,
                          const struct doc_section *s)
{
    for (size_t a = 0; a < ind->n_aliases; a++)
        if (!strcmp(ind->aliases[a], s->title_key))
            return true;
    return false;
}

/*
 * The indicator's section: by number; else, by a title alias, a section
 * whose number no indicator of the rubric reads (a renumbered or misnumbered
 * heading), so that a section is never read twice.
 */
static const struct doc_section *
find_section(const struct rubric *r, const struct doc *d,
             const struct rubric_indicator *ind)
{
    const struct doc_section *s = doc_find_section(d, ind->section);
    if (s)
        return s;
    for (size_t i = 0; i < d->n_sections; i++) {
        const struct doc_section *c = &d->sections[i];
        if (!title_matches(ind, c))
            continue;
        bool is_read = false;
        for (size_t k = 0; k < r->n_indicators && !is_read; k++)
            is_read = !strcmp(r->indicators[k].section, c->number);
        if (!is_read)
            return c;
    }
    return NULL;
}

/* The decision being built for one indicator. */
struct decision {
    struct score_indicator *out;
    bool has_lead;
    enum cw_state lead; /* the lead clause's status, as later clauses left it */
};

/* Record verdict v on unit as the indicator's status, with reason. A
 * negated cue's reason names the cue and the negation. */
static void set_status(struct score_indicator *out, const struct verdict *v,
                       enum cw_state state, const struct doc_unit *unit,
                       const char *reason)
{
    out->state = state;
    out->evidence = unit;
    out->cue = v->cue;
    out->negation = v->neg;
    out->reason = reason;
    if (v->neg) {
        snprintf(out->why, sizeof out->why,
                 "%s; cue %s negated by %s (rubric line %u): %s", reason,
                 v->cue->id, v->neg->id, v->neg->line,
                 cw_state_name(v->neg->status));
        out->reason = out->why;
    }
}

/* Whether units[b] of sec is a bullet. */
static bool has_bullets(const struct doc_section *sec, size_t b)
{
    return b < sec->n_units && sec->units[b].kind == DOC_BULLET;
}

/*
 * Decide a positive lead-in followed directly by bullets (units[b] is the
 * first of them): the best bullet status, if not present.
 */
static void decide_bullets(const struct rubric *r,
                           const struct rubric_indicator *ind,
                           const struct doc_section *sec, size_t b,
                           struct scan *sc, struct score_indicator *out)
{
    enum cw_state best = CW_ABSENT;
    struct verdict best_v = {NULL, NULL, CW_ABSENT};
    const struct doc_unit *best_unit = NULL;
    for (; b < sec->n_units && sec->units[b].kind == DOC_BULLET; b++) {
        const char *bt = sec->units[b].norm;
        scan_text(r, sc, bt, strlen(bt));
        struct verdict v =
            clause_verdict(r, ind, bt, sc, ROLE_BULLET, r->n_cues);
        enum cw_state s = v.cue ? v.state : CW_PRESENT;
        if (s > CW_PRESENT)
            s = CW_ABSENT;
        if (!best_unit || s > best) {
            best = s;
            best_unit = &sec->units[b];
            best_v = v;
        }
    }
    if (best != CW_PRESENT)
        set_status(out, &best_v, best, best_unit,
                   best == CW_ABSENT ? "the list lead-in is positive but no "
                                       "bullet names a measure in force"
                                     : "the list lead-in is positive but its "
                                       "best bullet is partial");
}

/*
 * What a clause after the lead does to it (the rules are listed in
 * score.h). Returns true when the decision is final.
 */
static bool apply_later(struct decision *d, const struct verdict *v,
                        bool is_caveat, const struct doc_unit *unit)
{
    if (!v->cue)
        return false;
    /* A caveat cue of status absent: the caveat changes nothing. */
    if (v->cue->scope == CUE_CAVEAT && v->state == CW_ABSENT)
        return false;
    switch (d->lead) {
    case CW_ABSENT:
        if (v->state == CW_PARTIAL) {
            set_status(d->out, v, CW_PARTIAL, unit,
                       "a negative lead softened by a later clause");
            return true;
        }
        if (v->state == CW_PRESENT && is_caveat) {
            set_status(d->out, v, CW_PARTIAL, unit,
                       "a negative lead with a caveat naming a step on "
                       "the measure");
            return true;
        }
        if (v->state == CW_UNKNOWN) {
            set_status(d->out, v, CW_UNKNOWN, unit,
                       "a negative lead, then a clause saying the figures "
                       "are not known");
            return true;
        }
        return false;
    case CW_PRESENT:
        if (v->state == CW_PARTIAL && v->cue->scope == CUE_CAVEAT) {
            set_status(d->out, v, CW_PARTIAL, unit,
                       "a positive lead qualified by a caveat as not yet "
                       "in place");
            return true;
        }
        if (v->state == CW_ABSENT && is_caveat && !v->neg) {
            set_status(d->out, v, CW_PARTIAL, unit,
                       "a positive lead with a caveat saying part is "
                       "missing");
            return true;
        }
        return false;
    case CW_PARTIAL:
        if (v->state == CW_PRESENT) {
            set_status(d->out, v, CW_PRESENT, unit,
                       "work under way next to a measure in place");
            return true;
        }
        return false;
    case CW_UNKNOWN:
        if (v->state != CW_UNKNOWN) {
            set_status(d->out, v, v->state, unit,
                       "the lead clause does not say; a later clause does");
            d->lead = v->state;
            return v->state == CW_PRESENT;
        }
        return false;
    default:
        return true;
    }
}

/*
 * How many of the rubric's cues, in file order, a clause after the lead
 * must be tried with: up to the last one whose verdict apply_later would
 * act on (a later cue can only be shadowed). Speed only: the verdicts that
 * count are the same.
 */
static size_t cues_that_matter(const struct rubric *r,
                               const struct rubric_indicator *ind,
                               const struct decision *d, bool is_caveat,
                               const unsigned char *hit)
{
    bool has_partial_neg = false; /* a present cue may read partial */
    for (size_t i = 0; i < r->n_negations && !has_partial_neg; i++) {
        const struct rubric_negation *g = &r->negations[i];
        has_partial_neg =
            !g->is_false && g->status == CW_PARTIAL && may_apply(g, ind, hit);
    }
    for (size_t n = r->n_cues; n > 0; n--) {
        const struct rubric_cue *c = &r->cues[n - 1];
        if (c->scope == CUE_BULLET || c->scope == CUE_LEAD || c->is_neutral)
            continue;
        bool matters = false;
        switch (d->lead) {
        case CW_ABSENT:
            matters =
                c->status == CW_PARTIAL || c->status == CW_UNKNOWN ||
                (c->status == CW_PRESENT && (is_caveat || has_partial_neg));
            break;
        case CW_PRESENT:
            matters = (c->status == CW_PARTIAL && c->scope == CUE_CAVEAT) ||
                      (c->status == CW_ABSENT && is_caveat);
            break;
        case CW_PARTIAL:
            matters = c->status == CW_PRESENT;
            break;
        default:
            matters = true;
            break;
        }
        if (matters)
            return n;
    }
    return 0;
}

/* sc: scratch for the literals of each text read. */
static void decide(const struct rubric *r, const struct rubric_indicator *ind,
                   const struct doc_section *sec, struct scan *sc,
                   struct score_indicator *out)
{
    struct strbuf clause = STRBUF_INIT;
    size_t starts[MAX_CLAUSES];
    out->state = CW_UNKNOWN;
    out->evidence = sec->n_units ? &sec->units[0] : NULL;
    out->cue = NULL;
    out->negation = NULL;
    out->reason = sec->n_units ? "no cue matched the section's text"
                               : "the section has no text";
    struct decision d = {out, false, CW_UNKNOWN};
    for (size_t u = 0; u < sec->n_units; u++) {
        const struct doc_unit *unit = &sec->units[u];
        size_t len = strlen(unit->norm);
        scan_text(r, sc, unit->norm, len);
        const unsigned char *hit = sc->hit;
        bool opens_with;
        size_t n = split_clauses(r, unit->norm, len, hit, starts, &opens_with);
        size_t skip_to = u + 1; /* the next unit to read */
        for (size_t k = 0; k < n; k++) {
            /* A single clause is the unit, whose literals are in hit. */
            const char *text = unit->norm;
            if (n > 1) {
                size_t to = k + 1 < n ? starts[k + 1] : len;
                strbuf_reset(&clause);
                strbuf_add(&clause, unit->norm + starts[k], to - starts[k]);
                text = clause.buf;
                scan_text(r, sc, clause.buf, clause.len);
            }
            bool is_caveat = k > 0 || opens_with;
            if (d.has_lead) {
                size_t n_cues = cues_that_matter(r, ind, &d, is_caveat, hit);
                struct verdict v =
                    clause_verdict(r, ind, text, sc, ROLE_LATER, n_cues);
                if (apply_later(&d, &v, is_caveat, unit))
                    goto out;
                continue;
            }
            struct verdict v =
                clause_verdict(r, ind, text, sc, ROLE_LEAD, r->n_cues);
            if (!v.cue)
                continue;
            d.has_lead = true;
            d.lead = v.state;
            set_status(out, &v, v.state, unit,
                       "the lead clause matched this cue");
            if (v.state == CW_PRESENT && has_bullets(sec, u + 1)) {
                /* A list lead-in is decided by its bullets. */
                decide_bullets(r, ind, sec, u + 1, sc, out);
                goto out;
            }
            /* Other bullets right under the lead belong to it. */
            while (skip_to < sec->n_units &&
                   sec->units[skip_to].kind == DOC_BULLET)
                skip_to++;
        }
        if (skip_to > u + 1)
            u = skip_to - 1;
    }
out:
    strbuf_release(&clause);
}

static double points_of(const struct rubric *r, enum cw_state s)
{
    return r->points[s];
}

/* Shared arithmetic: pillar scores and overall from per-indicator points. */
static double aggregate(const struct rubric *r, const double *pts,
                        double *pillar_scores, double *points_out,
                        double *max_out)
{
    double total = 0, total_max = 0, wsum = 0, wscore = 0;
    for (size_t p = 0; p < r->n_pillars; p++) {
        double pp = 0, pm = 0;
        for (size_t i = 0; i < r->n_indicators; i++) {
            const struct rubric_indicator *ind = &r->indicators[i];
            if (ind->pillar != p)
                continue;
            pp += ind->weight * pts[i];
            pm += ind->weight * r->max_points;
        }
        double ps = pm > 0 ? pp / pm : 0;
        if (pillar_scores)
            pillar_scores[p] = ps;
        if (!r->pillars[p].in_overall)
            continue;
        total += pp;
        total_max += pm;
        wsum += r->pillars[p].weight;
        wscore += r->pillars[p].weight * ps;
    }
    if (points_out)
        *points_out = total;
    if (max_out)
        *max_out = total_max;
    if (r->aggregate == RUBRIC_AGG_PILLARS)
        return wsum > 0 ? wscore / wsum : 0;
    return total_max > 0 ? total / total_max : 0;
}

double score_from_states(const struct rubric *r, const enum cw_state *states,
                         double *pillar_scores)
{
    double *pts = xcalloc(r->n_indicators, sizeof *pts);
    for (size_t i = 0; i < r->n_indicators; i++)
        pts[i] = points_of(r, states[i]);
    double v = aggregate(r, pts, pillar_scores, NULL, NULL);
    free(pts);
    return v;
}

void score_contributions(const struct rubric *r, const enum cw_state *states,
                         double *contrib)
{
    double total_max = 0, wsum = 0;
    double *pmax = xcalloc(r->n_pillars, sizeof *pmax);
    for (size_t i = 0; i < r->n_indicators; i++)
        pmax[r->indicators[i].pillar] +=
            r->indicators[i].weight * r->max_points;
    for (size_t p = 0; p < r->n_pillars; p++)
        if (r->pillars[p].in_overall) {
            total_max += pmax[p];
            wsum += r->pillars[p].weight;
        }
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        const struct rubric_pillar *pil = &r->pillars[ind->pillar];
        double wp = ind->weight * points_of(r, states[i]);
        contrib[i] = 0;
        if (!pil->in_overall)
            continue;
        if (r->aggregate == RUBRIC_AGG_PILLARS)
            contrib[i] = (wsum > 0 && pmax[ind->pillar] > 0)
                             ? pil->weight / wsum * wp / pmax[ind->pillar]
                             : 0;
        else
            contrib[i] = total_max > 0 ? wp / total_max : 0;
    }
    free(pmax);
}

static void tally(const struct rubric *r, struct score_result *out);

void score_document(const struct rubric *r, const struct doc *d,
                    struct score_result *out)
{
    memset(out, 0, sizeof *out);
    out->rubric = r;
    out->doc = d;
    out->indicators =
        xcalloc(r->n_indicators ? r->n_indicators : 1, sizeof *out->indicators);
    out->pillars =
        xcalloc(r->n_pillars ? r->n_pillars : 1, sizeof *out->pillars);
    struct scan *sc = xmalloc(sizeof *sc);
    sc->hit = xcalloc(r->lits.n + 1, 1);
    sc->cue_yes = xcalloc(r->n_cues + 1, 1);
    sc->is_decided = false;
    sc->n_occ = 0;

    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        struct score_indicator *si = &out->indicators[i];
        const struct doc_section *sec = find_section(r, d, ind);
        si->section = sec;
        if (!sec) {
            si->state = CW_UNSTATED;
            si->reason = "the document has no such section";
        } else {
            decide(r, ind, sec, sc, si);
        }
    }
    free(sc->hit);
    free(sc->cue_yes);
    free(sc);
    tally(r, out);
}

/* Points, pillar scores, the overall, its range and the coverage of the
 * statuses decided in out->indicators. */
static void tally(const struct rubric *r, struct score_result *out)
{
    double *pts = xcalloc(r->n_indicators + 1, sizeof *pts);
    double *lo = xcalloc(r->n_indicators + 1, sizeof *lo);
    double *hi = xcalloc(r->n_indicators + 1, sizeof *hi);
    double *ps = xcalloc(r->n_pillars + 1, sizeof *ps);
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        struct score_indicator *si = &out->indicators[i];
        si->points = points_of(r, si->state);
        pts[i] = si->points;
        bool open = si->state == CW_UNKNOWN || si->state == CW_UNSTATED;
        lo[i] = open ? r->min_points : si->points;
        hi[i] = open ? r->max_points : si->points;
        struct score_pillar *sp = &out->pillars[ind->pillar];
        sp->n_indicators++;
        if (!open)
            sp->n_stated++;
        if (r->pillars[ind->pillar].in_overall) {
            out->n_counted++;
            if (!open)
                out->coverage++;
        }
    }
    out->overall = aggregate(r, pts, ps, &out->points, &out->max_points);
    for (size_t p = 0; p < r->n_pillars; p++)
        out->pillars[p].score = ps[p];
    out->overall_min = aggregate(r, lo, ps, NULL, NULL);
    for (size_t p = 0; p < r->n_pillars; p++)
        out->pillars[p].min_score = ps[p];
    out->overall_max = aggregate(r, hi, ps, NULL, NULL);
    for (size_t p = 0; p < r->n_pillars; p++)
        out->pillars[p].max_score = ps[p];
    /* Weighted points per pillar, for display. */
    for (size_t i = 0; i < r->n_indicators; i++) {
        const struct rubric_indicator *ind = &r->indicators[i];
        out->pillars[ind->pillar].points += ind->weight * pts[i];
        out->pillars[ind->pillar].max += ind->weight * r->max_points;
    }
    free(pts);
    free(lo);
    free(hi);
    free(ps);
}

void score_states(const struct rubric *r, const enum cw_state *states,
                  struct score_result *out)
{
    memset(out, 0, sizeof *out);
    out->rubric = r;
    out->indicators =
        xcalloc(r->n_indicators ? r->n_indicators : 1, sizeof *out->indicators);
    out->pillars =
        xcalloc(r->n_pillars ? r->n_pillars : 1, sizeof *out->pillars);
    for (size_t i = 0; i < r->n_indicators; i++) {
        out->indicators[i].state = states[i];
        out->indicators[i].reason = "status given";
    }
    tally(r, out);
}

void score_release(struct score_result *res)
{
    free(res->indicators);
    free(res->pillars);
    memset(res, 0, sizeof *res);
}
