/*
 * Allocation wrappers that abort on failure, and a growth helper for arrays.
 * Callers never test the result of x*alloc: out of memory ends the process.
 */
#ifndef CYBERWELL_UTIL_XALLOC_H
#define CYBERWELL_UTIL_XALLOC_H

#include <stddef.h>

/* Each returns owned memory (free with free()); never NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Grow the array `arr` (element count `n`, capacity `cap`) so that it can hold
 * at least `need` elements. The array may move; old pointers are invalid.
 */
#define CW_GROW(arr, need, cap)                                                \
    do {                                                                       \
        if ((need) > (cap)) {                                                  \
            size_t cw_grow_new_ = (cap) ? (cap)*2 : 8;                         \
            while (cw_grow_new_ < (need))                                      \
                cw_grow_new_ *= 2;                                             \
            (arr) = xrealloc((arr), cw_grow_new_ * sizeof(*(arr)));            \
            (cap) = cw_grow_new_;                                              \
        }                                                                      \
    } while (0)

#endif
