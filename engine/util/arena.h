/*
 * struct arena: a bump allocator for parse trees. Everything allocated from
 * an arena is freed at once by arena_release(); nothing is freed singly.
 */
#ifndef CYBERWELL_UTIL_ARENA_H
#define CYBERWELL_UTIL_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head; /* owned list of blocks, newest first */
    size_t used;              /* bytes handed out, for statistics */
};

#define ARENA_INIT                                                             \
    {                                                                          \
        NULL, 0                                                                \
    }

void arena_init(struct arena *a);
void arena_release(struct arena *a);
/* Memory valid until arena_release; aligned for any object; never NULL. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* Copy of s[0..n) with a NUL, in the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);

#endif
