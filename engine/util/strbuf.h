/*
 * struct strbuf: the one growable string type.
 * Invariants: buf is never NULL and always NUL-terminated; len excludes the
 * NUL; buf == strbuf_empty (static, never written) until the first growth.
 */
#ifndef CYBERWELL_UTIL_STRBUF_H
#define CYBERWELL_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *buf;  /* owned unless it points at strbuf_empty */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated; 0 while buf is strbuf_empty */
};

extern char strbuf_empty[];
#define STRBUF_INIT                                                            \
    {                                                                          \
        strbuf_empty, 0, 0                                                     \
    }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* Hand the buffer to the caller (owned, free()); sb is re-initialised. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
/* Inline: the parsers append one character at a time. */
static inline void strbuf_addch(struct strbuf *sb, int c)
{
    if (sb->len + 1 >= sb->cap)
        strbuf_grow(sb, 1);
    sb->buf[sb->len++] = (char)c;
    sb->buf[sb->len] = '\0';
}
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void strbuf_setlen(struct strbuf *sb, size_t len);
/* Remove trailing ASCII white space. */
void strbuf_rtrim(struct strbuf *sb);

#endif
