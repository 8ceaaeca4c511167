/*
 * struct litscan: which of a fixed set of literal strings occur in a text,
 * found in one pass over the text. The rubric's cue prefilters use it, so
 * that a sentence is read once for all the cues' literals rather than once
 * per literal with strstr.
 *
 * The literals are compiled into an Aho-Corasick automaton (a DFA over the
 * bytes that occur in some literal), so a text costs one table step per
 * byte whatever the number of literals. A set too large for
 * LITSCAN_MAX_STATES states or LITSCAN_MAX_CELLS transitions is not
 * compiled: litscan_run then reports every literal as present, which a
 * prefilter reads as "run the regex".
 *
 * Use: litscan_add each literal (duplicates share an id), litscan_build
 * once, then litscan_run any number of times. Matching is byte-exact (the
 * caller lowers both sides) and stops at the first NUL of the text, as
 * strstr does.
 *
 * Ownership: a litscan owns copies of its literals and its automaton;
 * litscan_release frees them.
 */
#ifndef CYBERWELL_UTIL_LITSCAN_H
#define CYBERWELL_UTIL_LITSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LITSCAN_MAX_STATES 65535u     /* a state fits in 16 bits */
#define LITSCAN_MAX_CELLS  (1u << 20) /* transitions: 2 MB of table */
#define LITSCAN_NONE       UINT32_MAX

struct litscan {
    char **lit;  /* owned copies, NUL-terminated */
    size_t *len; /* strlen of each */
    size_t n;    /* literals; their ids are 0 .. n-1 */
    size_t cap;
    uint32_t *slot; /* open-addressing set of id + 1 (0: empty) */
    size_t n_slots; /* a power of two, at least twice n */
    /* Built by litscan_build: */
    bool all_hit;           /* too large to compile: every literal counts */
    unsigned char cls[256]; /* byte -> class; 0 for bytes in no literal */
    size_t n_classes;
    size_t n_states;     /* state 0 is the start */
    uint16_t *next;      /* n_states x n_classes: the DFA */
    uint32_t *emit;      /* per state: first state whose ids it reports */
    uint32_t *out_link;  /* per state: next state whose ids it reports */
    uint32_t *out_start; /* n_states + 1 offsets into out_ids */
    uint32_t *out_ids;   /* ids of the literals ending at each state */
    uint32_t empty_id;   /* id of "", or LITSCAN_NONE */
};

#define LITSCAN_INIT                                                           \
    {                                                                          \
        .empty_id = LITSCAN_NONE                                               \
    }

void litscan_init(struct litscan *ls);
void litscan_release(struct litscan *ls);
/* The id of lit, added if it is new. Not after litscan_build. */
uint32_t litscan_add(struct litscan *ls, const char *lit);
/* Compile the literals; call once, after the last litscan_add. */
void litscan_build(struct litscan *ls);
/*
 * Set hit[id] to 1 for every literal that occurs in text (up to its first
 * NUL, at most len bytes) and to 0 for every other; hit holds ls->n bytes.
 * The empty literal occurs in every text. When ls->all_hit (or before
 * litscan_build), every hit[id] is 1.
 */
void litscan_run(const struct litscan *ls, const char *text, size_t len,
                 unsigned char *hit);

/* One occurrence of a literal: where it starts in the text, and its id. */
struct litscan_occ {
    uint32_t at;
    uint32_t id;
};

/*
 * litscan_run that also lists, in occ (cap entries), every occurrence of
 * every non-empty literal, in the order their ends are reached. Returns
 * their count, or SIZE_MAX when there are more than cap, when the text is
 * over UINT32_MAX bytes, or when ls->all_hit (no automaton to find them
 * with): the caller then cannot tell where the literals are.
 */
size_t litscan_find(const struct litscan *ls, const char *text, size_t len,
                    unsigned char *hit, struct litscan_occ *occ, size_t cap);

#endif
