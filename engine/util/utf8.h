/*
 * utf8: validating one UTF-8 sequence, for code that must not pass broken
 * text on (gnuplot scripts, HTML).
 */
#ifndef CYBERWELL_UTIL_UTF8_H
#define CYBERWELL_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Bytes of the valid UTF-8 sequence at p (1 to 4), or 0 when p does not
 * start one (a stray continuation byte, an overlong form, a surrogate, a
 * value over U+10FFFF, or a sequence cut by the end of the string). p must
 * be NUL-terminated; nothing past the NUL is read.
 */
size_t utf8_seq_len(const unsigned char *p);

/* True when the valid sequence at p (of n bytes, from utf8_seq_len) is a
 * control character: C0, DEL, C1, or U+2028/U+2029. */
bool utf8_is_control(const unsigned char *p, size_t n);

#endif
