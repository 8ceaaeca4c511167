/* One-pass search for a fixed set of literals; see litscan.h. */
#include "util/litscan.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#include "util/banned.h"

void litscan_init(struct litscan *ls)
{
    memset(ls, 0, sizeof *ls);
    ls->empty_id = LITSCAN_NONE;
}

void litscan_release(struct litscan *ls)
{
    for (size_t i = 0; i < ls->n; i++)
        free(ls->lit[i]);
    free(ls->lit);
    free(ls->len);
    free(ls->slot);
    free(ls->next);
    free(ls->emit);
    free(ls->out_link);
    free(ls->out_start);
    free(ls->out_ids);
    litscan_init(ls);
}

/* FNV-1a, for the set of literals (a rubric may hold many thousands). */
static size_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of lit in the set: where it is, or the empty slot it would go. */
static size_t find_slot(const struct litscan *ls, const char *lit)
{
    size_t mask = ls->n_slots - 1;
    size_t i = hash(lit) & mask;
    while (ls->slot[i] && strcmp(ls->lit[ls->slot[i] - 1], lit) != 0)
        i = (i + 1) & mask;
    return i;
}

static void grow_set(struct litscan *ls)
{
    free(ls->slot);
    ls->n_slots = ls->n_slots ? ls->n_slots * 2 : 64;
    ls->slot = xcalloc(ls->n_slots, sizeof *ls->slot);
    for (size_t i = 0; i < ls->n; i++)
        ls->slot[find_slot(ls, ls->lit[i])] = (uint32_t)i + 1;
}

uint32_t litscan_add(struct litscan *ls, const char *lit)
{
    if (2 * (ls->n + 1) > ls->n_slots)
        grow_set(ls);
    size_t s = find_slot(ls, lit);
    if (ls->slot[s])
        return ls->slot[s] - 1;
    if (ls->n == ls->cap) {
        size_t cap = ls->cap;
        CW_GROW(ls->lit, ls->n + 1, cap);
        ls->len = xrealloc(ls->len, cap * sizeof *ls->len);
        ls->cap = cap;
    }
    ls->lit[ls->n] = xstrdup(lit);
    ls->len[ls->n] = strlen(lit);
    ls->slot[s] = (uint32_t)ls->n + 1;
    return (uint32_t)ls->n++;
}

/*
 * The automaton: a trie of the literals over byte classes, whose missing
 * transitions are then filled from each state's failure state (the longest
 * proper suffix of its path that is also a trie path), in breadth-first
 * order, so that every transition is one table lookup.
 */
void litscan_build(struct litscan *ls)
{
    ls->empty_id = LITSCAN_NONE;
    size_t total = 1;
    memset(ls->cls, 0, sizeof ls->cls);
    ls->n_classes = 1;
    for (size_t i = 0; i < ls->n; i++) {
        total += ls->len[i];
        if (!ls->len[i])
            ls->empty_id = (uint32_t)i;
        for (const unsigned char *p = (const unsigned char *)ls->lit[i]; *p;
             p++)
            if (!ls->cls[*p])
                ls->cls[*p] = (unsigned char)ls->n_classes++;
    }
    size_t k = ls->n_classes;
    if (total > LITSCAN_MAX_STATES || total > LITSCAN_MAX_CELLS / k) {
        ls->all_hit = true;
        return;
    }
    /* The trie; 0 is the start state, so 0 also means "no child". */
    uint16_t *next = xcalloc(total * k, sizeof *next);
    uint32_t *term = xmalloc(ls->n * sizeof *term + 1); /* id -> its state */
    size_t n_states = 1;
    for (size_t i = 0; i < ls->n; i++) {
        uint32_t st = 0;
        for (const unsigned char *p = (const unsigned char *)ls->lit[i]; *p;
             p++) {
            uint16_t *to = &next[st * k + ls->cls[*p]];
            if (!*to)
                *to = (uint16_t)n_states++;
            st = *to;
        }
        term[i] = st;
    }
    /* The ids ending at each state (the start's: only ""). */
    uint32_t *start = xcalloc(n_states + 1, sizeof *start);
    uint32_t *ids = xmalloc(ls->n * sizeof *ids + 1);
    for (size_t i = 0; i < ls->n; i++)
        if (ls->len[i])
            start[term[i] + 1]++;
    for (size_t st = 0; st < n_states; st++)
        start[st + 1] += start[st];
    uint32_t *fill = xmalloc(n_states * sizeof *fill);
    memcpy(fill, start, n_states * sizeof *fill);
    for (size_t i = 0; i < ls->n; i++)
        if (ls->len[i])
            ids[fill[term[i]]++] = (uint32_t)i;
    free(term);
    /* Breadth first: failure states, DFA transitions, output links. */
    uint32_t *fail = xcalloc(n_states, sizeof *fail);
    uint32_t *link = xmalloc(n_states * sizeof *link);
    uint32_t *emit = xmalloc(n_states * sizeof *emit);
    uint32_t *queue = fill; /* reused: each state is queued once */
    size_t head = 0, tail = 0;
    link[0] = LITSCAN_NONE;
    emit[0] = LITSCAN_NONE;
    for (size_t c = 0; c < k; c++)
        if (next[c]) {
            fail[next[c]] = 0;
            queue[tail++] = next[c];
        }
    while (head < tail) {
        uint32_t st = queue[head++];
        uint32_t f = fail[st];
        link[st] = start[f] < start[f + 1] ? f : link[f];
        emit[st] = start[st] < start[st + 1] ? st : link[st];
        for (size_t c = 0; c < k; c++) {
            uint16_t *to = &next[st * k + c];
            if (*to) {
                fail[*to] = next[f * k + c];
                queue[tail++] = *to;
            } else {
                *to = next[f * k + c];
            }
        }
    }
    free(fail);
    free(fill);
    ls->n_states = n_states;
    ls->next = xrealloc(next, n_states * k * sizeof *next);
    ls->out_start = start;
    ls->out_ids = ids;
    ls->out_link = link;
    ls->emit = emit;
}

void litscan_run(const struct litscan *ls, const char *text, size_t len,
                 unsigned char *hit)
{
    if (!ls->n)
        return;
    if (ls->all_hit || !ls->next) {
        memset(hit, 1, ls->n);
        return;
    }
    memset(hit, 0, ls->n);
    if (ls->empty_id != LITSCAN_NONE)
        hit[ls->empty_id] = 1;
    const unsigned char *t = (const unsigned char *)text;
    size_t k = ls->n_classes;
    uint32_t st = 0;
    for (size_t i = 0; i < len && t[i]; i++) {
        st = ls->next[st * k + ls->cls[t[i]]];
        for (uint32_t o = ls->emit[st]; o != LITSCAN_NONE; o = ls->out_link[o])
            for (uint32_t j = ls->out_start[o]; j < ls->out_start[o + 1]; j++)
                hit[ls->out_ids[j]] = 1;
    }
}

size_t litscan_find(const struct litscan *ls, const char *text, size_t len,
                    unsigned char *hit, struct litscan_occ *occ, size_t cap)
{
    if (!ls->n)
        return 0;
    if (ls->all_hit || !ls->next || len > UINT32_MAX) {
        litscan_run(ls, text, len, hit);
        return SIZE_MAX;
    }
    memset(hit, 0, ls->n);
    if (ls->empty_id != LITSCAN_NONE)
        hit[ls->empty_id] = 1;
    const unsigned char *t = (const unsigned char *)text;
    size_t k = ls->n_classes, n = 0;
    uint32_t st = 0;
    for (size_t i = 0; i < len && t[i]; i++) {
        st = ls->next[st * k + ls->cls[t[i]]];
        for (uint32_t o = ls->emit[st]; o != LITSCAN_NONE; o = ls->out_link[o])
            for (uint32_t j = ls->out_start[o]; j < ls->out_start[o + 1]; j++) {
                uint32_t id = ls->out_ids[j];
                hit[id] = 1;
                if (n < cap)
                    occ[n] = (struct litscan_occ){
                        (uint32_t)(i + 1 - ls->len[id]), id};
                n++;
            }
    }
    return n > cap ? SIZE_MAX : n;
}
