/*
 * editdist: how far a misspelt word is from the words it could have
 * meant, for "did you mean" suggestions (commands, options, country codes
 * and names, groups).
 */
#ifndef CYBERWELL_UTIL_EDITDIST_H
#define CYBERWELL_UTIL_EDITDIST_H

#include <stddef.h>

/* Words longer than this are not compared (editdist returns max + 1). */
#define EDITDIST_MAX_LEN 64

/*
 * The optimal-string-alignment distance between a and b (insertions,
 * deletions, substitutions and swaps of two neighbours count 1), ASCII
 * letters compared without case, or max + 1 when it is more than max or a
 * word is over EDITDIST_MAX_LEN bytes. a and b are borrowed.
 */
size_t editdist(const char *a, const char *b, size_t max);

/*
 * The closest candidate to a word, offered one at a time. The largest
 * distance taken is 1 for words of up to 3 bytes (ISO codes), 2 up to 6,
 * else 3; a candidate equal to the word (ignoring case) is never
 * suggested; among equally close candidates the first offered wins.
 */
struct editdist_best {
    const char *word; /* borrowed: the misspelt word */
    const char *best; /* borrowed from the offer, or NULL: none close */
    size_t dist;      /* best's distance */
    size_t max;       /* the largest distance taken */
};

/* Start a search for word (borrowed until the search ends). */
void editdist_best_init(struct editdist_best *b, const char *word);
/* Offer cand (borrowed: it must outlive the search). Returns whether it
 * is now the best. */
int editdist_best_offer(struct editdist_best *b, const char *cand);

#endif
