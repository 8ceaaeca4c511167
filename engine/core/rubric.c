/* Rubric loader: CSV rows -> checked pillars, indicators, levels, cues. */
#include "core/rubric.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "io/csvio.h"
#include "io/csvtab.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include "util/banned.h"

static const char *const state_names[CW_N_STATES] = {
    "absent", "partial", "present", "unknown", "not stated"};

const char *cw_state_name(enum cw_state s)
{
    return (unsigned)s < CW_N_STATES ? state_names[s] : "?";
}

bool cw_state_parse(const char *name, enum cw_state *out)
{
    for (int i = 0; i < CW_N_STATES; i++)
        if (strcmp(name, state_names[i]) == 0) {
            *out = (enum cw_state)i;
            return true;
        }
    if (!strcmp(name, "unstated") || !strcmp(name, "not_stated") ||
        !strcmp(name, "missing")) {
        *out = CW_UNSTATED;
        return true;
    }
    return false;
}

enum col {
    COL_KIND,
    COL_ID,
    COL_NAME,
    COL_TARGET,
    COL_WEIGHT,
    COL_MATCH,
    COL_SCOPE,
    COL_NOTE,
    N_COLS
};

static const char *const col_names[N_COLS] = {
    "kind", "id", "name", "target", "weight", "match", "scope", "note"};

/* Rows are kept until all are read, so references may point forward. */
struct pending_ind {
    char *pillar;
    unsigned line;
};
struct pending_cue {
    char *target;
    unsigned line;
};
struct pending_neg {
    char *target;
    unsigned line;
};

struct loader {
    struct rubric *r;
    struct cw_errors *errs;
    const char *name;
    const char *data;
    size_t len;
    bool seen_header;
    size_t n_rows;
    size_t cap_p, cap_i, cap_c, cap_k, cap_n;
    struct pending_ind *pind;
    struct pending_cue *pcue;
    struct pending_neg *pneg;
    unsigned level_line[CW_N_STATES];
    unsigned meta_line_name, meta_line_version, meta_line_description;
    unsigned min_coverage_line;
    unsigned budget_line; /* the pattern that exhausts the compile budget
                           * (then nothing is compiled), or 0 */
    size_t alt_bytes;     /* bytes of the cues' literal alternatives */
};

/* Alternatives of one cue, and their bytes in a rubric, at most: beyond
 * them a cue is left to regexec. */
#define CUE_MAX_ALTS         96
#define RUBRIC_MAX_ALT_BYTES 40000

static void add_err(struct loader *L, int code, unsigned line, unsigned col,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Attach source line e->line of the rubric to e. */
static void set_src_line(const struct loader *L, struct cw_error *e)
{
    if (!e->line || !L->data)
        return;
    const char *p = L->data, *end = L->data + L->len;
    for (unsigned k = 1; k < e->line && p < end; k++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    if (p < end)
        cw_error_set_src(e, p, (size_t)(end - p));
}

static void add_err(struct loader *L, int code, unsigned line, unsigned col,
                    const char *fmt, ...)
{
    struct cw_error e;
    va_list ap;
    va_start(ap, fmt);
    cw_verrorf(&e, code, ((struct cw_loc){L->name, line, col}), fmt, ap);
    va_end(ap);
    set_src_line(L, &e);
    cw_errors_add(L->errs, &e);
}

/* A decimal number ("2", "0.25", "1e3", "-1"): strtod alone would also
 * take "inf", "nan" and hexadecimal ("0x1p1023"). */
static bool parse_weight(const char *s, double *out)
{
    char *end;
    if (!*s)
        return false;
    for (const char *q = s; *q; q++)
        if (!(isdigit((unsigned char)*q) || strchr(".eE+- ", *q)))
            return false;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool valid_id(const char *s)
{
    if (!*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' ||
              *s == '.'))
            return false;
    return true;
}

static bool valid_section(const char *s)
{
    int parts = 0;
    while (*s) {
        if (!isdigit((unsigned char)*s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
        parts++;
        if (*s == '.') {
            s++;
            if (!*s)
                return false;
        }
    }
    return parts >= 1 && parts <= 3;
}

static char *dup(struct loader *L, const char *s)
{
    return arena_strdup(&L->r->arena, s);
}

/* Weight column: empty means 1; otherwise a number from 0 to
 * RUBRIC_MAX_WEIGHT (points of a level too). */
static bool read_weight(struct loader *L, char **f, unsigned line, double *out)
{
    if (!*f[COL_WEIGHT]) {
        *out = 1;
        return true;
    }
    if (!parse_weight(f[COL_WEIGHT], out)) {
        add_err(L, CW_ERR_PARSE, line, COL_WEIGHT + 1,
                "weight '%s' is not a number", f[COL_WEIGHT]);
        return false;
    }
    if (*out < 0) {
        add_err(L, CW_ERR_PARSE, line, COL_WEIGHT + 1, "weight %s is negative",
                f[COL_WEIGHT]);
        return false;
    }
    /* Sums of weights times points stay exact enough and finite. */
    if (*out > RUBRIC_MAX_WEIGHT) {
        add_err(L, CW_ERR_LIMIT, line, COL_WEIGHT + 1,
                "weight %s is over the limit of %d", f[COL_WEIGHT],
                RUBRIC_MAX_WEIGHT);
        return false;
    }
    return true;
}

/* The ']' closing the bracket expression that opens at p, or NULL. */
static const char *bracket_close(const char *p)
{
    p++;
    if (*p == '^')
        p++;
    if (*p == ']')
        p++;
    for (; *p && *p != ']'; p++) {
        /* [:class:], [.coll.] and [=equiv=] may hold ']'. */
        if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
            char close[3] = {p[1], ']', '\0'};
            const char *c = strstr(p + 2, close);
            if (!c)
                return NULL;
            p = c + 1;
        }
    }
    return *p ? p : NULL;
}

/* Matching ')' of the group opening at p, or NULL. */
static const char *group_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '[') {
            p = bracket_close(p);
            if (!p)
                return NULL;
        } else if (*p == '(')
            depth++;
        else if (*p == ')' && --depth == 0)
            return p;
    }
    return NULL;
}

/* Last byte of the atom at p: the escaped byte of "\\x", the ']' of a
 * bracket expression, else p itself; NULL for an unterminated bracket. */
static const char *atom_end(const char *p)
{
    if (*p == '\\' && p[1])
        return p + 1;
    if (*p == '[')
        return bracket_close(p);
    return p;
}

static void free_branches(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/*
 * The top-level branches of pat (split at each '|' outside groups and
 * bracket expressions): *out is an owned array of owned strings
 * (free_branches). Returns their count, or 0 (and *out NULL) when a
 * bracket expression is not closed.
 */
static size_t split_branches(const char *pat, char ***out)
{
    size_t n = 0, cap = 0;
    char **v = NULL;
    const char *start = pat;
    int depth = 0;
    for (const char *p = pat;; p++) {
        if (*p && !(*p == '|' && depth == 0)) {
            if (*p == '(')
                depth++;
            else if (*p == ')' && depth > 0) /* else an ordinary ')' */
                depth--;
            else if (!(p = atom_end(p))) {
                free_branches(v, n);
                *out = NULL;
                return 0;
            }
            continue;
        }
        CW_GROW(v, n + 1, cap);
        v[n++] = xstrndup(start, (size_t)(p - start));
        if (!*p)
            break;
        start = p + 1;
    }
    *out = v;
    return n;
}

/* Whether a quantifier starts at p: *, +, ? or an interval {n...}. */
static bool is_quantifier(const char *p)
{
    return *p == '*' || *p == '+' || *p == '?' ||
           (*p == '{' && isdigit((unsigned char)p[1]));
}

/*
 * Whether the regex [p, end) can match the empty string: one of its
 * branches is empty or made only of optional items, zero-width assertions
 * (^, $, \b, \<, \>) and groups that can. Bounded by group nesting, which
 * compile caps first.
 */
static bool can_be_empty(const char *p, const char *end)
{
    bool branch = true; /* every item of the current branch so far */
    while (p < end) {
        if (*p == '|') {
            if (branch)
                return true;
            branch = true;
            p++;
            continue;
        }
        const char *e; /* last byte of the item */
        bool empty;
        if (*p == '(') {
            e = group_end(p);
            if (!e || e >= end)
                return false;
            empty = can_be_empty(p + 1, e);
        } else if (*p == '^' || *p == '$') {
            e = p;
            empty = true;
        } else if (*p == '\\' && p + 1 < end) {
            e = p + 1;
            empty = strchr("b<>`'", p[1]) != NULL;
        } else {
            e = atom_end(p);
            if (!e || e >= end)
                return false;
            empty = false;
        }
        p = e + 1;
        if (p < end && is_quantifier(p)) {
            /* x*, x? and x{0,...} may match nothing; x+ as x does. */
            if (*p != '+' && !(*p == '{' && p[1] != '0'))
                empty = true;
            if (*p == '{') {
                while (p < end && *p != '}')
                    p++;
            }
            p++;
        }
        branch = branch && empty;
    }
    return branch;
}

/*
 * Offset in pat of the first repeated group that can match the empty
 * string ("(a*)*", "(a|)+"), or -1. glibc's regcomp takes time exponential
 * in the number of such loops once the pattern is anchored as "^.*(P)".
 */
static long empty_loop_at(const char *pat)
{
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '[') {
            if (!(p = bracket_close(p)))
                return -1;
        } else if (*p == '(') {
            const char *e = group_end(p);
            if (e && is_quantifier(e + 1) && can_be_empty(p + 1, e))
                return (long)(p - pat);
        }
    }
    return -1;
}

/* What a pattern asks of glibc's regcomp, for the caps in rubric.h. */
struct pattern_shape {
    int depth;       /* deepest group nesting (RUBRIC_MAX_NESTING + 1: more) */
    double size;     /* items, with each interval x{n,m} written out m times */
    bool is_plain;   /* parentheses pair up, no back-reference */
    bool is_bounded; /* no *, + or {n,}: a match is as long as the pattern */
    long stacked;    /* offset of a repetition of a repetition ("a**"), or -1 */
    long backref;    /* offset of a back-reference \1 to \9, or -1 */
};

static void pattern_shape(const char *pat, struct pattern_shape *sh)
{
    /* Per open group: its size so far and the size of its last item. */
    double total[RUBRIC_MAX_NESTING + 1] = {0}, last[RUBRIC_MAX_NESTING + 1];
    int d = 0;
    sh->depth = 0;
    sh->is_plain = true;
    sh->is_bounded = true;
    sh->stacked = -1;
    sh->backref = -1;
    last[0] = 0;
    bool after_rep = false; /* the previous item was *, +, ? or {n,m} */
    for (const char *p = pat; *p; p++) {
        double item = 1;
        bool is_rep = is_quantifier(p);
        if (is_rep && after_rep && sh->stacked < 0)
            sh->stacked = (long)(p - pat);
        after_rep = is_rep;
        if (*p == '\\') {
            if (!p[1] || isdigit((unsigned char)p[1]))
                sh->is_plain = false;
            if (p[1] >= '1' && p[1] <= '9' && sh->backref < 0)
                sh->backref = (long)(p - pat);
            if (p[1])
                p++;
        } else if (*p == '[') {
            const char *c = bracket_close(p);
            if (!c) {
                sh->is_plain = false;
                break;
            }
            p = c;
        } else if (*p == '(') {
            if (d == RUBRIC_MAX_NESTING) {
                sh->depth = d + 1;
                break;
            }
            if (++d > sh->depth)
                sh->depth = d;
            total[d] = last[d] = 0;
            continue;
        } else if (*p == ')' && d > 0) {
            item = total[d--] + 1;
        } else if (*p == ')') {
            sh->is_plain = false; /* a lone ')' is an ordinary character */
        } else if (*p == '|') {
            last[d] = 0;
            continue;
        } else if (*p == '{' && isdigit((unsigned char)p[1])) {
            /* x{n}, x{n,}, x{n,m}: regcomp copies x up to m (or n+1) times. */
            double m = 0, v = 0;
            const char *q = p + 1;
            for (; isdigit((unsigned char)*q) || *q == ','; q++) {
                v = *q == ',' ? 0 : v * 10 + (*q - '0');
                if (v > m)
                    m = v;
            }
            if (q[-1] == ',') {
                m++;
                sh->is_bounded = false;
            }
            if (*q == '}') {
                total[d] += last[d] * (m > 1 ? m - 1 : 0);
                last[d] *= m > 1 ? m : 1;
                p = q;
                continue;
            }
        } else if (*p == '+') {
            total[d] += last[d]; /* x+ is built as xx* */
            last[d] *= 2;
            sh->is_bounded = false;
            continue;
        } else if (*p == '*' || *p == '?') {
            sh->is_bounded = sh->is_bounded && *p == '?';
            continue;
        }
        total[d] += item;
        last[d] = item;
    }
    if (d > 0 && sh->depth <= RUBRIC_MAX_NESTING)
        sh->is_plain = false;
    sh->size = 0;
    for (int k = 0; k <= d; k++)
        sh->size += total[k];
}

/*
 * Bytes glibc's regcomp keeps for a pattern of this size (items with
 * intervals written out, struct pattern_shape): about 8 size^2 (the
 * closure sets of its automaton) + 512 size + 32 KiB, measured on glibc
 * 2.36 ("e.{0,900}z": 6.6 MB; "e.{0,10}z": 40 KB).
 */
static double compile_bytes(double size)
{
    return 8 * size * size + 512 * size + 32768;
}

/* The compile budget, summed over the cue and clause rows before the
 * rubric is loaded. */
struct budget {
    bool seen_header;
    double bytes;  /* estimated so far */
    unsigned line; /* the row that crossed RUBRIC_MAX_COMPILE_MB, or 0 */
};

/* Whether the cell s, without the spaces around it, is word. */
static bool cell_is(const char *s, const char *word)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(word);
    if (strncmp(s, word, n) != 0)
        return false;
    for (s += n; *s == ' '; s++)
        ;
    return !*s;
}

static int budget_row(void *ctx, char **f, size_t n, unsigned line,
                      struct cw_error *err)
{
    struct budget *b = ctx;
    (void)err;
    if (!b->seen_header) {
        b->seen_header = true;
        return CW_OK;
    }
    if (b->line || n <= COL_MATCH || !f[COL_MATCH] ||
        !(cell_is(f[COL_KIND], "cue") || cell_is(f[COL_KIND], "clause") ||
          cell_is(f[COL_KIND], "negation")) ||
        strlen(f[COL_MATCH]) > RUBRIC_MAX_PATTERN)
        return CW_OK;
    struct pattern_shape sh;
    pattern_shape(f[COL_MATCH], &sh);
    if (sh.depth > RUBRIC_MAX_NESTING || sh.size > RUBRIC_MAX_PATTERN_SIZE)
        return CW_OK; /* refused on its own */
    b->bytes += compile_bytes(sh.size);
    if (b->bytes > RUBRIC_MAX_COMPILE_MB * 1048576.0)
        b->line = line;
    return CW_OK;
}

/* The pattern as compiled: its letters lowered, escapes (\\B) kept.
 * Owned: free it. */
static char *lowered(const char *pattern)
{
    char *low = xstrdup(pattern);
    for (char *p = low; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        *p = (char)tolower((unsigned char)*p);
    }
    return low;
}

static bool compile(struct loader *L, regex_t *re, const char *pattern,
                    unsigned line, int flags)
{
    if (!*pattern) {
        add_err(L, CW_ERR_PARSE, line, COL_MATCH + 1, "empty pattern");
        return false;
    }
    /* glibc's regcomp recurses once per group level and copies a group
     * once per repetition: cap what a rubric can ask of it. */
    size_t plen = strlen(pattern);
    if (plen > RUBRIC_MAX_PATTERN) {
        add_err(L, CW_ERR_LIMIT, line, COL_MATCH + 1,
                "pattern is %zu bytes, over the limit of %d", plen,
                RUBRIC_MAX_PATTERN);
        return false;
    }
    struct pattern_shape sh;
    pattern_shape(pattern, &sh);
    /* POSIX leaves "a**" undefined; glibc nests one loop in another, and
     * a run of them makes regcomp take seconds ("(a|b)" and 60 stars). */
    if (sh.stacked >= 0) {
        add_err(L, CW_ERR_PARSE, line, COL_MATCH + 1,
                "pattern repeats a repetition ('%.2s' at character %ld of the "
                "pattern): write one of *, +, ? or {n,m}",
                pattern + sh.stacked - 1, sh.stacked);
        return false;
    }
    /* glibc matches a back-reference by backtracking: "(.*)(.*)\\2\\1x"
     * takes minutes on one sentence. */
    if (sh.backref >= 0) {
        add_err(L, CW_ERR_PARSE, line, COL_MATCH + 1,
                "pattern uses a back-reference ('%.2s' at character %ld of "
                "the pattern), whose matching time can grow exponentially "
                "with the text: write the words themselves",
                pattern + sh.backref, sh.backref + 1);
        return false;
    }
    long loop = empty_loop_at(pattern);
    if (loop >= 0) {
        const char *e = group_end(pattern + loop);
        int n = (int)(e - (pattern + loop)) + 2; /* the group and its '*' */
        add_err(L, CW_ERR_PARSE, line, COL_MATCH + 1,
                "pattern repeats a group that can match nothing ('%.*s%s' at "
                "character %ld of the pattern): drop the inner or the outer "
                "repetition",
                n > 40 ? 40 : n, pattern + loop, n > 40 ? "..." : "", loop + 1);
        return false;
    }
    if (sh.depth > RUBRIC_MAX_NESTING) {
        add_err(L, CW_ERR_LIMIT, line, COL_MATCH + 1,
                "pattern nests groups more than %d deep", RUBRIC_MAX_NESTING);
        return false;
    }
    if (sh.size > RUBRIC_MAX_PATTERN_SIZE) {
        add_err(L, CW_ERR_LIMIT, line, COL_MATCH + 1,
                "pattern repeats too much: %.0f items with its intervals "
                "written out, over the limit of %d",
                sh.size, RUBRIC_MAX_PATTERN_SIZE);
        return false;
    }
    /* Over the rubric's budget (reported once, at its line): check
     * every pattern, compile none. */
    if (L->budget_line)
        return false;
    /* Case-insensitive by lowering the pattern's letters (escapes such as
     * \B keep their case): the text is matched in lower case, and glibc's
     * REG_ICASE would copy every text into upper case on each match. */
    char *low = lowered(pattern);
    /*
     * A yes/no pattern (cues) P with an unbounded repetition runs as
     * "^.*(P)": the same answer, but glibc tries an anchored pattern from
     * the first byte only, while a failing unanchored one is retried from
     * every byte, which is quadratic in the text ("number of .* not known"
     * against a long sentence repeating "number of"). A bounded pattern
     * (word alternatives, "{0,5}") stays unanchored: a retry reads at most
     * the pattern's length, and the DFA of "^.*(P)" for a long list of
     * words costs glibc far more states to build. Should the anchored form
     * not compile, P itself is compiled, for its error message.
     */
    if ((flags & REG_NOSUB) && sh.is_plain && !sh.is_bounded) {
        size_t n = plen + sizeof "^.*()";
        char *a = xmalloc(n);
        snprintf(a, n, "^.*(%s)", low);
        int arc = regcomp(re, a, REG_EXTENDED | flags);
        free(a);
        if (arc == 0) {
            free(low);
            return true;
        }
    }
    int rc = regcomp(re, low, REG_EXTENDED | flags);
    free(low);
    if (rc != 0) {
        char msg[256];
        regerror(rc, re, msg, sizeof msg);
        add_err(L, CW_ERR_PARSE, line, COL_MATCH + 1,
                "pattern '%s' does not compile: %s", pattern, msg);
        return false;
    }
    return true;
}

#define PREFILTER_MAX   64  /* alternatives in one required group */
#define PREFILTER_IDS   256 /* literals in one pattern's prefilter */
#define PREFILTER_CANDS 16  /* candidate requirements of one branch */
#define PREFILTER_KEEP  2   /* requirements kept per branch */

/*
 * A prefilter being built: branches of requirements of literal ids (see
 * struct rubric_prefilter). Dropping a requirement only makes the filter
 * let more through, so what does not fit is dropped, and of a branch's
 * candidate requirements only the PREFILTER_KEEP with the longest shortest
 * literal are kept: "ha" or "s" would cost more to look for than they
 * filter.
 */
struct pf_cand {
    char lit[PREFILTER_MAX][64];
    size_t k;   /* alternatives: one of lit[0..k) is in every match */
    size_t min; /* length of the shortest */
};

struct pf_build {
    struct litscan *lits;
    uint32_t ids[PREFILTER_IDS];
    uint32_t req_end[PREFILTER_IDS];
    uint32_t branch_end[PREFILTER_IDS];
    size_t n_ids, n_reqs, n_branches;
    bool has_none; /* some branch has no requirement: no prefilter */
    struct pf_cand cand[PREFILTER_CANDS]; /* the current branch's */
    size_t n_cand;
};

/* An empty pf_build (owned: free). Its arrays are written before they are
 * read, so only the counts are set: zeroing 68 KB per pattern group was
 * most of a rubric's loading time. */
static struct pf_build *pf_build_new(struct litscan *lits)
{
    struct pf_build *b = xmalloc(sizeof *b);
    b->lits = lits;
    b->n_ids = b->n_reqs = b->n_branches = 0;
    b->has_none = false;
    b->n_cand = 0;
    return b;
}

/* A candidate requirement of the current branch: one of lit[0..k). */
static void pf_candidate(struct pf_build *b, char lit[][64], size_t k)
{
    if (!k || b->n_cand == PREFILTER_CANDS)
        return;
    struct pf_cand *c = &b->cand[b->n_cand++];
    memcpy(c->lit, lit, k * sizeof *lit);
    c->k = k;
    c->min = SIZE_MAX;
    for (size_t i = 0; i < k; i++)
        if (strlen(lit[i]) < c->min)
            c->min = strlen(lit[i]);
}

/* each_run callback: a literal run is a candidate requirement. */
static void pf_run(void *ctx, const char *run, size_t n)
{
    char lit[1][64];
    (void)n;
    snprintf(lit[0], sizeof lit[0], "%.63s", run); /* a prefix still holds */
    pf_candidate(ctx, lit, 1);
}

/* The untaken candidate with the longest shortest literal (the first on a
 * tie: runs before groups) among those of at most room literals, or NULL. */
static struct pf_cand *pf_best(struct pf_build *b, size_t room)
{
    struct pf_cand *best = NULL;
    for (size_t i = 0; i < b->n_cand; i++)
        if (b->cand[i].k && b->cand[i].k <= room &&
            (!best || b->cand[i].min > best->min))
            best = &b->cand[i];
    return best;
}

static void each_run(const char *pat,
                     void (*fn)(void *ctx, const char *run, size_t n),
                     void *ctx);
static size_t any_of_literals(const char *pat, const char *end, char out[][64]);

/*
 * The candidate requirements of a branch (a pattern without top-level
 * '|') into b->cand: its literal runs outside groups, and for each group
 * not made optional by ?, * or {, one of the group's literals. tmp is
 * scratch of PREFILTER_MAX literals.
 */
static void pf_branch(struct pf_build *b, const char *branch, char tmp[][64])
{
    b->n_cand = 0;
    each_run(branch, pf_run, b);
    for (const char *q = branch; *q; q++) {
        const char *e = *q == '(' ? group_end(q) : atom_end(q);
        if (!e)
            break;
        if (*q == '(' && e[1] != '?' && e[1] != '*' && e[1] != '{')
            pf_candidate(b, tmp, any_of_literals(q + 1, e, tmp));
        q = e;
    }
}

/*
 * Literals of [pat, end) such that every match contains one of them: per
 * top-level branch, the alternatives of its best candidate requirement
 * ("ha(s|ve) (adopted|set up)" -> adopted, set up). Returns the count
 * written to out (at most PREFILTER_MAX), or 0 when some branch has none
 * (any text might match). Used for the groups of a prefilter.
 */
static size_t any_of_literals(const char *pat, const char *end, char out[][64])
{
    char *group = xstrndup(pat, (size_t)(end - pat));
    char **branches;
    size_t n_branches = split_branches(group, &branches);
    free(group);
    struct pf_build *b = pf_build_new(NULL);
    char(*tmp)[64] = xmalloc(PREFILTER_MAX * sizeof *tmp);
    size_t n = 0;
    for (size_t bi = 0; bi < n_branches; bi++) {
        pf_branch(b, branches[bi], tmp);
        const struct pf_cand *c = pf_best(b, PREFILTER_MAX - n);
        if (!c) {
            n = 0;
            break;
        }
        memcpy(out + n, c->lit, c->k * sizeof *c->lit);
        n += c->k;
    }
    free(tmp);
    free(b);
    free_branches(branches, n_branches);
    return n;
}

/* Keep the branch's best candidates as its requirements and close it. */
static void pf_end_branch(struct pf_build *b)
{
    size_t first = b->n_reqs;
    for (size_t kept = 0; kept < PREFILTER_KEEP; kept++) {
        struct pf_cand *best = pf_best(b, PREFILTER_IDS - b->n_ids);
        if (!best)
            break;
        for (size_t i = 0; i < best->k; i++)
            b->ids[b->n_ids++] = litscan_add(b->lits, best->lit[i]);
        b->req_end[b->n_reqs++] = (uint32_t)b->n_ids;
        best->k = 0; /* taken */
    }
    if (b->n_reqs == first || b->n_branches == PREFILTER_IDS)
        b->has_none = true;
    else
        b->branch_end[b->n_branches++] = (uint32_t)b->n_reqs;
}

/*
 * The prefilter of a cue or clause pattern: for each top-level branch, the
 * best of what every match of that branch contains (pf_branch).
 * "\bha(s|ve) not (yet )?(been )?(established|adopted)" needs " not " and
 * one of "established", "adopted".
 */
static void set_prefilter(struct loader *L, const char *pattern,
                          struct rubric_prefilter *pf)
{
    struct pf_build *b = pf_build_new(&L->r->lits);
    char(*tmp)[64] = xmalloc(PREFILTER_MAX * sizeof *tmp);
    char **branches;
    size_t n_branches = split_branches(pattern, &branches);
    b->has_none = n_branches == 0; /* regcomp refused it already */
    for (size_t bi = 0; bi < n_branches; bi++) {
        pf_branch(b, branches[bi], tmp);
        pf_end_branch(b);
    }
    free_branches(branches, n_branches);
    memset(pf, 0, sizeof *pf);
    if (!b->has_none && b->n_branches) {
        struct arena *a = &L->r->arena;
        uint32_t *ids = arena_calloc(a, b->n_ids, sizeof *ids);
        uint32_t *req_end = arena_calloc(a, b->n_reqs, sizeof *req_end);
        uint32_t *branch_end =
            arena_calloc(a, b->n_branches, sizeof *branch_end);
        memcpy(ids, b->ids, b->n_ids * sizeof *ids);
        memcpy(req_end, b->req_end, b->n_reqs * sizeof *req_end);
        memcpy(branch_end, b->branch_end, b->n_branches * sizeof *branch_end);
        pf->ids = ids;
        pf->req_end = req_end;
        pf->branch_end = branch_end;
        pf->n_branches = b->n_branches;
    }
    free(tmp);
    free(b);
}

static void row_meta(struct loader *L, char **f, unsigned line)
{
    struct rubric *r = L->r;
    const char *id = f[COL_ID];
    unsigned *first = !strcmp(id, "name")          ? &L->meta_line_name
                      : !strcmp(id, "version")     ? &L->meta_line_version
                      : !strcmp(id, "description") ? &L->meta_line_description
                                                   : NULL;
    /* Two versions (or names) would make the rubric's identity depend on
     * the row order. */
    if (first && *first) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "duplicate meta '%s' (first at line %u)", id, *first);
        return;
    }
    if (first)
        *first = line;
    if (!strcmp(id, "name")) {
        r->name = dup(L, f[COL_NAME]);
    } else if (!strcmp(id, "version")) {
        r->version = dup(L, f[COL_NAME]);
    } else if (!strcmp(id, "description")) {
        r->description = dup(L, f[COL_NAME]);
    } else {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "unknown meta '%s' (expected name, version or description)",
                id);
    }
}

static void row_option(struct loader *L, char **f, unsigned line)
{
    if (!strcmp(f[COL_ID], "aggregate")) {
        if (!strcmp(f[COL_NAME], "points"))
            L->r->aggregate = RUBRIC_AGG_POINTS;
        else if (!strcmp(f[COL_NAME], "pillars"))
            L->r->aggregate = RUBRIC_AGG_PILLARS;
        else
            add_err(L, CW_ERR_PARSE, line, COL_NAME + 1,
                    "aggregate '%s' is not 'points' or 'pillars'", f[COL_NAME]);
        return;
    }
    if (!strcmp(f[COL_ID], "min_coverage")) {
        const char *v = f[COL_NAME];
        size_t k = 0, len = strlen(v);
        bool ok = len > 0 && len <= 4 && strspn(v, "0123456789") == len;
        for (size_t i = 0; ok && i < len; i++)
            k = k * 10 + (size_t)(v[i] - '0');
        if (!strcmp(v, "all"))
            L->r->min_coverage = RUBRIC_COVERAGE_ALL;
        else if (ok)
            L->r->min_coverage = k;
        else
            add_err(L, CW_ERR_PARSE, line, COL_NAME + 1,
                    "min_coverage '%s' is not 'all' or a number of "
                    "indicators",
                    v);
        L->min_coverage_line = line;
        return;
    }
    if (!strcmp(f[COL_ID], "edition")) {
        const char *v = f[COL_NAME];
        if (strlen(v) == 4 && strspn(v, "0123456789") == 4)
            L->r->edition = dup(L, v);
        else
            add_err(L, CW_ERR_PARSE, line, COL_NAME + 1,
                    "edition '%s' is not a year", v);
        return;
    }
    add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
            "unknown option '%s' (expected aggregate, min_coverage or "
            "edition)",
            f[COL_ID]);
}

static void row_pillar(struct loader *L, char **f, unsigned line)
{
    struct rubric *r = L->r;
    if (!valid_id(f[COL_ID])) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "pillar id '%s' is empty or has characters other than "
                "letters, digits, '_', '-' and '.'",
                f[COL_ID]);
        return;
    }
    long k = rubric_find_pillar(r, f[COL_ID]);
    if (k >= 0) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "duplicate pillar '%s' (first at line %u)", f[COL_ID],
                r->pillars[k].line);
        return;
    }
    /* A bad weight or target is reported but the pillar is kept, so that
     * the indicators naming it are not reported too. */
    double w;
    if (!read_weight(L, f, line, &w))
        w = 1;
    bool in_overall = true;
    if (!strcmp(f[COL_TARGET], "apart"))
        in_overall = false;
    else if (*f[COL_TARGET] && strcmp(f[COL_TARGET], "overall") != 0)
        add_err(L, CW_ERR_PARSE, line, COL_TARGET + 1,
                "pillar target '%s' is not 'overall' or 'apart'",
                f[COL_TARGET]);
    CW_GROW(r->pillars, r->n_pillars + 1, L->cap_p);
    struct rubric_pillar *p = &r->pillars[r->n_pillars++];
    p->id = dup(L, f[COL_ID]);
    p->name = dup(L, *f[COL_NAME] ? f[COL_NAME] : f[COL_ID]);
    p->weight = w;
    p->in_overall = in_overall;
    p->line = line;
}

static void row_level(struct loader *L, char **f, unsigned line)
{
    enum cw_state s;
    if (!cw_state_parse(f[COL_ID], &s)) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "unknown level '%s' (expected present, partial, absent, "
                "unknown or unstated)",
                f[COL_ID]);
        return;
    }
    if (L->r->has_level[s]) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "duplicate level '%s' (first at line %u)", f[COL_ID],
                L->level_line[s]);
        return;
    }
    /* Points that are missing or wrong are reported but the level is kept,
     * so that it is not reported missing too. */
    double w = 0;
    if (!*f[COL_WEIGHT])
        add_err(L, CW_ERR_PARSE, line, COL_WEIGHT + 1,
                "level '%s' has no points in the weight column", f[COL_ID]);
    else if (!read_weight(L, f, line, &w))
        w = 0;
    L->r->has_level[s] = true;
    L->r->points[s] = w;
    L->level_line[s] = line;
}

static void row_indicator(struct loader *L, char **f, unsigned line)
{
    struct rubric *r = L->r;
    if (!valid_id(f[COL_ID])) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "indicator id '%s' is empty or has characters other than "
                "letters, digits, '_', '-' and '.'",
                f[COL_ID]);
        return;
    }
    long k = rubric_find_indicator(r, f[COL_ID]);
    if (k >= 0) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "duplicate indicator '%s' (first at line %u)", f[COL_ID],
                r->indicators[k].line);
        return;
    }
    /* A bad weight is reported but the indicator is kept, so that the
     * cues targeting it are not reported too. */
    double w;
    if (!read_weight(L, f, line, &w))
        w = 1;
    if (!*f[COL_TARGET]) {
        add_err(L, CW_ERR_PARSE, line, COL_TARGET + 1,
                "indicator '%s' names no pillar in the target column",
                f[COL_ID]);
        return;
    }
    /* match: "1.2.1|CIRT|CERT": the section, then title aliases. */
    char *m = f[COL_MATCH];
    char *bar = strchr(m, '|');
    char *section = xstrndup(m, bar ? (size_t)(bar - m) : strlen(m));
    size_t sl = strlen(section);
    while (sl && section[sl - 1] == ' ')
        section[--sl] = '\0';
    if (!valid_section(section)) {
        add_err(L, CW_ERR_PARSE, line, COL_MATCH + 1,
                "indicator '%s' reads section '%s', which is not a section "
                "number like 1.2.1",
                f[COL_ID], section);
        free(section);
        return;
    }
    for (size_t i = 0; i < r->n_indicators; i++)
        if (!strcmp(r->indicators[i].section, section)) {
            add_err(L, CW_ERR_PARSE, line, COL_MATCH + 1,
                    "section %s is read twice: by '%s' (line %u) and '%s'",
                    section, r->indicators[i].id, r->indicators[i].line,
                    f[COL_ID]);
            free(section);
            return;
        }
    CW_GROW(r->indicators, r->n_indicators + 1, L->cap_i);
    L->pind = xrealloc(L->pind, L->cap_i * sizeof *L->pind);
    struct rubric_indicator *ind = &r->indicators[r->n_indicators];
    memset(ind, 0, sizeof *ind);
    ind->id = dup(L, f[COL_ID]);
    ind->name = dup(L, *f[COL_NAME] ? f[COL_NAME] : f[COL_ID]);
    ind->section = dup(L, section);
    ind->weight = w;
    ind->line = line;
    free(section);
    size_t n_alias = 0;
    for (char *p = bar; p; p = strchr(p + 1, '|'))
        n_alias++;
    ind->aliases =
        arena_calloc(&r->arena, n_alias ? n_alias : 1, sizeof *ind->aliases);
    for (char *p = bar; p; p = strchr(p, '|')) {
        p++;
        char *next = strchr(p, '|');
        char *a = xstrndup(p, next ? (size_t)(next - p) : strlen(p));
        char key[256];
        doc_title_key(a, key, sizeof key);
        if (*key)
            ind->aliases[ind->n_aliases++] = dup(L, key);
        free(a);
    }
    L->pind[r->n_indicators].pillar = dup(L, f[COL_TARGET]);
    L->pind[r->n_indicators].line = line;
    r->n_indicators++;
}

/* Write cue c's pattern out as literal alternatives when it is finite
 * and small, within the rubric's budget of such bytes (the automaton of
 * rubric.lits stays small). */
static void expand_cue(struct loader *L, struct rubric_cue *c)
{
    litalt_set_init(&c->alts);
    c->alt_ids = NULL;
    char *low = lowered(c->pattern);
    struct litalt_set set;
    bool ok = litalt_expand(low, CUE_MAX_ALTS, &set);
    free(low);
    if (!ok)
        return;
    size_t bytes = 0;
    for (size_t i = 0; i < set.n; i++)
        bytes += set.alts[i].len;
    if (L->alt_bytes + bytes > RUBRIC_MAX_ALT_BYTES) {
        litalt_set_release(&set);
        return;
    }
    L->alt_bytes += bytes;
    c->alts = set;
    c->alt_ids = xmalloc(set.n * sizeof *c->alt_ids);
    for (size_t i = 0; i < set.n; i++)
        c->alt_ids[i] = litscan_add(&L->r->lits, set.alts[i].lit);
}

static void row_cue(struct loader *L, char **f, unsigned line)
{
    struct rubric *r = L->r;
    if (!valid_id(f[COL_ID])) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "cue id '%s' is empty or has characters other than letters, "
                "digits, '_', '-' and '.'",
                f[COL_ID]);
        return;
    }
    for (size_t i = 0; i < r->n_cues; i++)
        if (!strcmp(r->cues[i].id, f[COL_ID])) {
            add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                    "duplicate cue '%s' (first at line %u)", f[COL_ID],
                    r->cues[i].line);
            return;
        }
    enum cw_state s = CW_UNKNOWN;
    bool is_neutral = !strcmp(f[COL_NAME], "none");
    if (!is_neutral && (!cw_state_parse(f[COL_NAME], &s) || s == CW_UNSTATED)) {
        add_err(L, CW_ERR_PARSE, line, COL_NAME + 1,
                "cue status '%s' is not present, partial, absent, unknown or "
                "none",
                f[COL_NAME]);
        return;
    }
    enum cue_scope scope = CUE_ANY;
    if (!strcmp(f[COL_SCOPE], "lead"))
        scope = CUE_LEAD;
    else if (!strcmp(f[COL_SCOPE], "bullet"))
        scope = CUE_BULLET;
    else if (!strcmp(f[COL_SCOPE], "caveat"))
        scope = CUE_CAVEAT;
    else if (*f[COL_SCOPE] && strcmp(f[COL_SCOPE], "any") != 0) {
        add_err(L, CW_ERR_PARSE, line, COL_SCOPE + 1,
                "cue scope '%s' is not lead, any, bullet or caveat",
                f[COL_SCOPE]);
        return;
    }
    regex_t re;
    if (!compile(L, &re, f[COL_MATCH], line, REG_NOSUB))
        return;
    CW_GROW(r->cues, r->n_cues + 1, L->cap_c);
    L->pcue = xrealloc(L->pcue, L->cap_c * sizeof *L->pcue);
    struct rubric_cue *c = &r->cues[r->n_cues];
    c->id = dup(L, f[COL_ID]);
    c->status = s;
    c->is_neutral = is_neutral;
    c->scope = scope;
    c->pattern = dup(L, f[COL_MATCH]);
    char lit[256];
    rubric_required_literal(c->pattern, lit, sizeof lit);
    c->literal = dup(L, lit);
    set_prefilter(L, c->pattern, &c->prefilter);
    c->re = re;
    c->line = line;
    c->target = NULL;
    expand_cue(L, c);
    L->pcue[r->n_cues].target =
        (*f[COL_TARGET] && strcmp(f[COL_TARGET], "*") != 0)
            ? dup(L, f[COL_TARGET])
            : NULL;
    L->pcue[r->n_cues].line = line;
    r->n_cues++;
}

static void row_clause(struct loader *L, char **f, unsigned line)
{
    struct rubric *r = L->r;
    regex_t re;
    if (!compile(L, &re, f[COL_MATCH], line, 0))
        return;
    CW_GROW(r->clauses, r->n_clauses + 1, L->cap_k);
    struct rubric_clause *k = &r->clauses[r->n_clauses++];
    k->id = dup(L, *f[COL_ID] ? f[COL_ID] : "clause");
    k->pattern = dup(L, f[COL_MATCH]);
    set_prefilter(L, k->pattern, &k->prefilter);
    k->re = re;
    k->line = line;
}

/*
 * A negation's scope column: "before N" or "after N" (N words, 0 to
 * RUBRIC_MAX_WINDOW), or "clause". Returns false on anything else.
 */
static bool parse_negation_scope(const char *s, enum negation_scope *scope,
                                 unsigned *window)
{
    *window = 0;
    if (!strcmp(s, "clause")) {
        *scope = NEG_CLAUSE;
        return true;
    }
    size_t n;
    if (!strncmp(s, "before ", 7)) {
        *scope = NEG_BEFORE;
        n = 7;
    } else if (!strncmp(s, "after ", 6)) {
        *scope = NEG_AFTER;
        n = 6;
    } else {
        return false;
    }
    s += n;
    if (!isdigit((unsigned char)*s))
        return false;
    unsigned w = 0;
    for (; isdigit((unsigned char)*s); s++) {
        w = w * 10 + (unsigned)(*s - '0');
        if (w > RUBRIC_MAX_WINDOW)
            return false;
    }
    *window = w;
    return *s == '\0';
}

/* negation,ID,absent|partial|none,TARGET,,PATTERN,before N|after N|clause */
static void row_negation(struct loader *L, char **f, unsigned line)
{
    struct rubric *r = L->r;
    if (!valid_id(f[COL_ID])) {
        add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                "negation id '%s' is empty or has characters other than "
                "letters, digits, '_', '-' and '.'",
                f[COL_ID]);
        return;
    }
    for (size_t i = 0; i < r->n_negations; i++)
        if (!strcmp(r->negations[i].id, f[COL_ID])) {
            add_err(L, CW_ERR_PARSE, line, COL_ID + 1,
                    "duplicate negation '%s' (first at line %u)", f[COL_ID],
                    r->negations[i].line);
            return;
        }
    enum cw_state s = CW_ABSENT;
    bool is_false = !strcmp(f[COL_NAME], "none");
    if (!is_false && (!cw_state_parse(f[COL_NAME], &s) ||
                      (s != CW_ABSENT && s != CW_PARTIAL))) {
        add_err(L, CW_ERR_PARSE, line, COL_NAME + 1,
                "negation status '%s' is not absent, partial or none",
                f[COL_NAME]);
        return;
    }
    enum negation_scope scope = NEG_CLAUSE;
    unsigned window = 0;
    if (!is_false && !parse_negation_scope(f[COL_SCOPE], &scope, &window)) {
        add_err(L, CW_ERR_PARSE, line, COL_SCOPE + 1,
                "negation scope '%s' is not 'before N', 'after N' (N words, "
                "0 to %d) or 'clause'",
                f[COL_SCOPE], RUBRIC_MAX_WINDOW);
        return;
    }
    regex_t re;
    if (!compile(L, &re, f[COL_MATCH], line, 0))
        return;
    CW_GROW(r->negations, r->n_negations + 1, L->cap_n);
    L->pneg = xrealloc(L->pneg, L->cap_n * sizeof *L->pneg);
    struct rubric_negation *g = &r->negations[r->n_negations];
    g->id = dup(L, f[COL_ID]);
    g->status = s;
    g->is_false = is_false;
    g->target = NULL;
    g->scope = scope;
    g->window = window;
    g->pattern = dup(L, f[COL_MATCH]);
    set_prefilter(L, g->pattern, &g->prefilter);
    g->re = re;
    g->line = line;
    L->pneg[r->n_negations].target =
        (*f[COL_TARGET] && strcmp(f[COL_TARGET], "*") != 0)
            ? dup(L, f[COL_TARGET])
            : NULL;
    L->pneg[r->n_negations].line = line;
    r->n_negations++;
}

static int on_row(void *ctx, char **fields, size_t n, unsigned line,
                  struct cw_error *err)
{
    struct loader *L = ctx;
    (void)err;
    if (++L->n_rows > RUBRIC_MAX_ROWS) {
        add_err(L, CW_ERR_LIMIT, line, 0, "more than %d rows", RUBRIC_MAX_ROWS);
        return CW_ERR_LIMIT;
    }
    char *empty = (char *)"";
    char *f[N_COLS];
    for (size_t i = 0; i < N_COLS; i++)
        f[i] = i < n && fields[i] ? fields[i] : empty;
    /* Trim spaces that spreadsheets leave around cells (not in match). */
    for (size_t i = 0; i < N_COLS; i++) {
        if (i == COL_MATCH || f[i] == empty)
            continue;
        char *s = f[i];
        while (*s == ' ')
            s++;
        size_t l = strlen(s);
        while (l && s[l - 1] == ' ')
            s[--l] = '\0';
        f[i] = s;
    }
    if (!L->seen_header) {
        L->seen_header = true;
        for (size_t i = 0; i < N_COLS; i++)
            if (strcmp(f[i], col_names[i]) != 0) {
                add_err(L, CW_ERR_PARSE, line, (unsigned)i + 1,
                        "header column %zu is '%s', expected '%s' (header: "
                        "kind,id,name,target,weight,match,scope,note)",
                        i + 1, f[i], col_names[i]);
                return CW_ERR_PARSE;
            }
        return CW_OK;
    }
    if (n > N_COLS) {
        add_err(L, CW_ERR_PARSE, line, N_COLS + 1,
                "row has %zu fields, expected at most %d", n, N_COLS);
        return CW_OK;
    }
    const char *kind = f[COL_KIND];
    if (!*kind || kind[0] == '#')
        return CW_OK;
    if (!strcmp(kind, "meta"))
        row_meta(L, f, line);
    else if (!strcmp(kind, "option"))
        row_option(L, f, line);
    else if (!strcmp(kind, "pillar"))
        row_pillar(L, f, line);
    else if (!strcmp(kind, "level"))
        row_level(L, f, line);
    else if (!strcmp(kind, "indicator"))
        row_indicator(L, f, line);
    else if (!strcmp(kind, "cue"))
        row_cue(L, f, line);
    else if (!strcmp(kind, "clause"))
        row_clause(L, f, line);
    else if (!strcmp(kind, "negation"))
        row_negation(L, f, line);
    else
        add_err(L, CW_ERR_PARSE, line, COL_KIND + 1,
                "unknown row kind '%s' (expected meta, option, pillar, level, "
                "indicator, cue, clause or negation)",
                kind);
    return CW_OK;
}

/* Whether every id of a target list ("1.5.1|1.5.2") names an indicator;
 * reports each that does not. */
static bool check_targets(struct loader *L, const char *what, const char *id,
                          const char *targets, unsigned line)
{
    bool is_ok = true;
    for (const char *p = targets;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        char *t = xstrndup(p, n);
        if (rubric_find_indicator(L->r, t) < 0) {
            add_err(L, CW_ERR_PARSE, line, COL_TARGET + 1,
                    "%s '%s' targets unknown indicator '%s'", what, id, t);
            is_ok = false;
        }
        free(t);
        if (!bar)
            break;
        p = bar + 1;
    }
    return is_ok;
}

/*
 * Every score is points over a maximum: refuse a rubric where one would be
 * 0 (all-zero weights), as every score would then be 0/0 (once "overall
 * 0.000 (24 of 34 points)"). Called when the levels earn points.
 */
static void check_maximum(struct loader *L)
{
    struct rubric *r = L->r;
    double weight_sum = 0; /* pillars counted in the overall */
    bool has_overall = false;
    for (size_t p = 0; p < r->n_pillars; p++) {
        double w = 0;
        bool has_ind = false;
        for (size_t i = 0; i < r->n_indicators; i++)
            if (r->indicators[i].pillar == p) {
                w += r->indicators[i].weight;
                has_ind = true;
            }
        if (has_ind && w <= 0)
            add_err(L, CW_ERR_PARSE, r->pillars[p].line, COL_ID + 1,
                    "pillar '%s' can earn no points: each of its indicators "
                    "has weight 0",
                    r->pillars[p].id);
        if (r->pillars[p].in_overall) {
            has_overall = true;
            weight_sum += r->pillars[p].weight;
        }
    }
    if (!has_overall)
        add_err(L, CW_ERR_PARSE, 0, 0,
                "no pillar counts in the overall (every one is 'apart'): "
                "every overall score would be 0/0");
    else if (r->aggregate == RUBRIC_AGG_PILLARS && weight_sum <= 0)
        add_err(L, CW_ERR_PARSE, 0, 0,
                "every pillar counted in the overall has weight 0: every "
                "overall score would be 0/0");
}

/* Resolve forward references and check the whole. */
static void finish(struct loader *L)
{
    struct rubric *r = L->r;
    for (size_t i = 0; i < r->n_indicators; i++) {
        long p = rubric_find_pillar(r, L->pind[i].pillar);
        if (p < 0)
            add_err(L, CW_ERR_PARSE, L->pind[i].line, COL_TARGET + 1,
                    "indicator '%s' names unknown pillar '%s'",
                    r->indicators[i].id, L->pind[i].pillar);
        else
            r->indicators[i].pillar = (size_t)p;
    }
    for (size_t i = 0; i < r->n_cues; i++) {
        const char *t = L->pcue[i].target;
        if (t && check_targets(L, "cue", r->cues[i].id, t, L->pcue[i].line))
            r->cues[i].target = t;
    }
    for (size_t i = 0; i < r->n_negations; i++) {
        const char *t = L->pneg[i].target;
        if (t && check_targets(L, "negation", r->negations[i].id, t,
                               L->pneg[i].line))
            r->negations[i].target = t;
    }
    if (!L->seen_header)
        return;
    if (!r->name)
        add_err(L, CW_ERR_PARSE, 0, 0, "no 'meta,name' row");
    if (!r->version)
        add_err(L, CW_ERR_PARSE, 0, 0, "no 'meta,version' row");
    if (!r->n_pillars)
        add_err(L, CW_ERR_PARSE, 0, 0, "no pillar rows");
    if (!r->n_indicators)
        add_err(L, CW_ERR_PARSE, 0, 0, "no indicator rows");
    for (int s = CW_ABSENT; s <= CW_PRESENT; s++)
        if (!r->has_level[s])
            add_err(L, CW_ERR_PARSE, 0, 0, "no 'level,%s' row",
                    cw_state_name((enum cw_state)s));
    for (size_t p = 0; p < r->n_pillars; p++) {
        bool used = false;
        for (size_t i = 0; i < r->n_indicators; i++)
            used = used || r->indicators[i].pillar == p;
        if (!used)
            add_err(L, CW_ERR_PARSE, r->pillars[p].line, COL_ID + 1,
                    "pillar '%s' has no indicators", r->pillars[p].id);
    }
    size_t n_counted = 0;
    for (size_t i = 0; i < r->n_indicators; i++)
        n_counted += r->indicators[i].pillar < r->n_pillars &&
                     r->pillars[r->indicators[i].pillar].in_overall;
    if (r->min_coverage != RUBRIC_COVERAGE_ALL && r->min_coverage > n_counted)
        add_err(L, CW_ERR_PARSE, L->min_coverage_line, COL_NAME + 1,
                "min_coverage %zu is more than the %zu indicators in the "
                "overall",
                r->min_coverage, n_counted);
    r->max_points = r->points[CW_ABSENT];
    r->min_points = r->points[CW_ABSENT];
    for (int s = CW_ABSENT; s <= CW_PRESENT; s++) {
        if (r->points[s] > r->max_points)
            r->max_points = r->points[s];
        if (r->points[s] < r->min_points)
            r->min_points = r->points[s];
    }
    bool has_levels = r->has_level[CW_ABSENT] && r->has_level[CW_PARTIAL] &&
                      r->has_level[CW_PRESENT];
    if (r->n_indicators && has_levels && r->max_points <= 0)
        add_err(L, CW_ERR_PARSE, L->level_line[CW_PRESENT], COL_WEIGHT + 1,
                "no level earns points: every score would be 0/0");
    else if (r->n_indicators && has_levels)
        check_maximum(L);
    /* Unknown and not stated are scored within the range of the known
     * statuses: else a score would leave [0, 1] and its range would not
     * hold it. */
    for (int s = CW_UNKNOWN; has_levels && s <= CW_UNSTATED; s++)
        if (r->has_level[s] &&
            (r->points[s] > r->max_points || r->points[s] < r->min_points))
            add_err(L, CW_ERR_PARSE, L->level_line[s], COL_WEIGHT + 1,
                    "level '%s' earns %g points, outside the %g to %g of "
                    "absent, partial and present",
                    cw_state_name((enum cw_state)s), r->points[s],
                    r->min_points, r->max_points);
}

static void index_alts(struct rubric *r);

struct rubric *rubric_parse(const char *name, const char *data, size_t len,
                            struct cw_errors *errs)
{
    struct rubric *r = xcalloc(1, sizeof *r);
    arena_init(&r->arena);
    r->path = arena_strdup(&r->arena, name);
    r->aggregate = RUBRIC_AGG_POINTS;
    r->min_coverage = RUBRIC_COVERAGE_ALL;
    sha256_hex(data, len, r->hash);
    struct loader L = {0};
    L.r = r;
    L.errs = errs;
    L.name = r->path;
    L.data = data;
    L.len = len;
    errs->n = 0;
    errs->n_dropped = 0;
    struct cw_error e;
    cw_error_clear(&e);
    /* Lines starting with '#' are comments: blank them (keeping the line
     * count) so that libcsv never sees their quotes. */
    char *copy = xmalloc(len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    for (size_t i = 0; i < len; i++) {
        if ((i == 0 || copy[i - 1] == '\n') && copy[i] == '#')
            while (i < len && copy[i] != '\n')
                copy[i++] = ' ';
    }
    /* The compile budget first: a rubric over it compiles nothing. */
    struct budget b = {false, 0, 0};
    csvio_parse(name, copy, len, budget_row, &b, &e);
    cw_error_clear(&e);
    if (b.line) {
        L.budget_line = b.line;
        add_err(&L, CW_ERR_LIMIT, b.line, COL_MATCH + 1,
                "the patterns up to this one would take about %.0f MB to "
                "compile, over the rubric's budget of %d MB: make their "
                "intervals ({n,m}) smaller, or write fewer patterns",
                b.bytes / 1048576.0, RUBRIC_MAX_COMPILE_MB);
    }
    int rc = csvio_parse(name, copy, len, on_row, &L, &e);
    free(copy);
    /* csvio fills e only for its own errors (a CSV syntax error, a field
     * over its cap); row errors went to errs. List it after them. */
    if (rc && e.code) {
        set_src_line(&L, &e);
        cw_errors_add(errs, &e);
    }
    if (!L.seen_header && errs->n == 0)
        add_err(&L, CW_ERR_PARSE, 0, 0,
                "rubric is empty (expected the header "
                "kind,id,name,target,weight,match,scope,note)");
    if (errs->n == 0 || rc == CW_OK)
        finish(&L);
    free(L.pind);
    free(L.pcue);
    free(L.pneg);
    if (errs->n || errs->n_dropped) {
        rubric_free(r);
        return NULL;
    }
    litscan_build(&r->lits);
    index_alts(r);
    return r;
}

/* rubric.lit_uses, once rubric.lits is built. */
static void index_alts(struct rubric *r)
{
    size_t n_lits = r->lits.n;
    r->lit_use_start = xcalloc(n_lits + 1, sizeof *r->lit_use_start);
    size_t n_uses = 0;
    for (size_t c = 0; c < r->n_cues; c++)
        for (size_t a = 0; a < r->cues[c].alts.n; a++) {
            r->lit_use_start[r->cues[c].alt_ids[a] + 1]++;
            n_uses++;
        }
    for (size_t i = 0; i < n_lits; i++)
        r->lit_use_start[i + 1] += r->lit_use_start[i];
    r->lit_uses = xmalloc((n_uses + 1) * sizeof *r->lit_uses);
    uint32_t *fill = xmalloc((n_lits + 1) * sizeof *fill);
    memcpy(fill, r->lit_use_start, (n_lits + 1) * sizeof *fill);
    for (size_t c = 0; c < r->n_cues; c++)
        for (size_t a = 0; a < r->cues[c].alts.n; a++)
            r->lit_uses[fill[r->cues[c].alt_ids[a]]++] =
                (struct rubric_lit_use){(uint32_t)c, (uint32_t)a};
    free(fill);
    r->use_alts = !r->lits.all_hit;
}

bool rubric_alts_within(const struct rubric *r, const struct rubric_cue *c,
                        const char *text, size_t len,
                        const struct litscan_occ *occ, size_t n_occ, size_t s,
                        size_t e)
{
    uint32_t ci = (uint32_t)(c - r->cues);
    unsigned flags = e < len ? LITALT_NOTEOL : 0;
    for (size_t i = 0; i < n_occ; i++) {
        uint32_t id = occ[i].id, at = occ[i].at;
        if (at < s || at + r->lits.len[id] > e)
            continue;
        for (uint32_t u = r->lit_use_start[id]; u < r->lit_use_start[id + 1];
             u++)
            if (r->lit_uses[u].cue == ci &&
                litalt_holds(&c->alts.alts[r->lit_uses[u].alt], text + s, e - s,
                             at - s, flags))
                return true;
    }
    return false;
}

struct rubric *rubric_load(const char *path, struct cw_errors *errs)
{
    struct strbuf sb = STRBUF_INIT;
    struct cw_error e;
    errs->n = 0;
    errs->n_dropped = 0;
    if (csvtab_read(path, "rubric", RUBRIC_MAX_BYTES, &sb, &e) != CW_OK) {
        cw_errors_add(errs, &e);
        strbuf_release(&sb);
        return NULL;
    }
    struct rubric *r = rubric_parse(path, sb.buf, sb.len, errs);
    strbuf_release(&sb);
    return r;
}

void rubric_free(struct rubric *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_cues; i++) {
        regfree(&r->cues[i].re);
        litalt_set_release(&r->cues[i].alts);
        free(r->cues[i].alt_ids);
    }
    free(r->lit_use_start);
    free(r->lit_uses);
    for (size_t i = 0; i < r->n_clauses; i++)
        regfree(&r->clauses[i].re);
    for (size_t i = 0; i < r->n_negations; i++)
        regfree(&r->negations[i].re);
    free(r->pillars);
    free(r->indicators);
    free(r->cues);
    free(r->clauses);
    free(r->negations);
    litscan_release(&r->lits);
    arena_release(&r->arena);
    free(r);
}

bool rubric_targets(const char *targets, const char *id)
{
    if (!targets)
        return true;
    for (const char *t = targets;;) {
        const char *a = id;
        while (*t && *t != '|' && *t == *a) {
            t++;
            a++;
        }
        if (!*a && (!*t || *t == '|'))
            return true;
        while (*t && *t != '|')
            t++;
        if (!*t)
            return false;
        t++;
    }
}

long rubric_find_indicator(const struct rubric *r, const char *id)
{
    for (size_t i = 0; i < r->n_indicators; i++)
        if (!strcmp(r->indicators[i].id, id))
            return (long)i;
    return -1;
}

long rubric_find_pillar(const struct rubric *r, const char *id)
{
    for (size_t i = 0; i < r->n_pillars; i++)
        if (!strcmp(r->pillars[i].id, id))
            return (long)i;
    return -1;
}

/*
 * Call fn on each literal run of pat outside groups (lowercased, at most
 * 255 bytes, NUL-terminated): when pat has no top-level alternation, every
 * match contains each of them.
 */
static void each_run(const char *pat,
                     void (*fn)(void *ctx, const char *run, size_t n),
                     void *ctx)
{
    char cur[256];
    size_t n = 0;
#define FLUSH()                                                                \
    do {                                                                       \
        if (n) {                                                               \
            cur[n] = '\0';                                                     \
            fn(ctx, cur, n);                                                   \
        }                                                                      \
        n = 0;                                                                 \
    } while (0)
    int depth = 0;
    for (const char *p = pat; *p; p++) {
        char c = *p;
        bool is_lit = false;
        if (depth > 0) {
            if (c == '\\' && p[1])
                p++;
            else if (c == '(')
                depth++;
            else if (c == ')')
                depth--;
            else if (c == '[' && !(p = bracket_close(p)))
                break;
            continue;
        }
        if (c == '\\' && p[1]) {
            char e = p[1];
            if (strchr(".[]()*+?{}|^$\\/-", e)) {
                c = e;
                p++;
                is_lit = true;
            } else {
                p++;
                FLUSH(); /* \b, \w, \< ...: not a literal */
                continue;
            }
        } else if (strchr(".[](*+?{}|^$", c)) {
            /* (At this depth a ')' closes nothing: it is a literal.) */
            if (c == '*' || c == '?' || c == '{') {
                if (n)
                    n--; /* the previous character was optional */
                if (c == '{')
                    while (p[1] && *p != '}')
                        p++;
            }
            if (c == '(')
                depth++;
            if (c == '[') {
                p = bracket_close(p);
                if (!p)
                    break;
            }
            FLUSH();
            continue;
        } else {
            is_lit = true;
        }
        if (is_lit && n + 1 < sizeof cur)
            cur[n++] = (char)tolower((unsigned char)c);
        /* A literal followed by a quantifier is handled on the next turn. */
    }
    FLUSH();
#undef FLUSH
}

/* each_run callback: keep the first longest run. */
static void keep_longest(void *ctx, const char *run, size_t n)
{
    char *best = ctx;
    if (n > strlen(best))
        memcpy(best, run, n + 1);
}

void rubric_required_literal(const char *pat, char *out, size_t cap)
{
    char best[256] = "";
    /* A top-level alternation means no single literal is required. */
    int depth = 0;
    for (const char *p = pat; *p; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0) /* else an ordinary ')' */
            depth--;
        else if (*p == '|' && depth == 0) {
            if (cap)
                out[0] = '\0';
            return;
        } else if (!(p = atom_end(p)))
            break;
    }
    each_run(pat, keep_longest, best);
    snprintf(out, cap, "%s", best);
}
