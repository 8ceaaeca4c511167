/* editdist: edit distance and the closest word, for "did you mean". */
#include "util/editdist.h"

#include <string.h>

#include "util/banned.h"

static unsigned char fold(char c)
{
    unsigned char u = (unsigned char)c;
    return u >= 'A' && u <= 'Z' ? (unsigned char)(u | 0x20) : u;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t editdist(const char *a, const char *b, size_t max)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > EDITDIST_MAX_LEN || lb > EDITDIST_MAX_LEN)
        return max + 1;
    if ((la > lb ? la - lb : lb - la) > max)
        return max + 1;
    /* Three rows of the dynamic programme: i - 2, i - 1 and i. */
    size_t rows[3][EDITDIST_MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++)
        rows[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t *prev2 = rows[(i + 1) % 3], *prev = rows[(i + 2) % 3],
               *cur = rows[i % 3];
        size_t row_min = cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
            if (cur[j] < row_min)
                row_min = cur[j];
        }
        if (row_min > max)
            return max + 1;
    }
    size_t d = rows[la % 3][lb];
    return d > max ? max + 1 : d;
}

void editdist_best_init(struct editdist_best *b, const char *word)
{
    size_t len = strlen(word);
    b->word = word;
    b->best = NULL;
    b->max = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    b->dist = b->max + 1;
}

int editdist_best_offer(struct editdist_best *b, const char *cand)
{
    size_t d = editdist(b->word, cand, b->max);
    if (d == 0 || d >= b->dist)
        return 0;
    b->best = cand;
    b->dist = d;
    return 1;
}
