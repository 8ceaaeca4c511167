/* Line and column of a byte offset, under textpos.h's line rule. */
#include "util/textpos.h"

#include <string.h>

#include "util/banned.h"

bool textpos_doubled_cr(const char *text, size_t len)
{
    size_t n_lf = 0, n_doubled = 0;
    const char *p = text, *end = text + len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n_lf++;
        if (p - text >= 2 && p[-1] == '\r' && p[-2] == '\r')
            n_doubled++;
        p++;
    }
    return n_lf > 0 && 2 * n_doubled >= n_lf;
}

struct textpos textpos_locate(const char *text, size_t len, size_t off)
{
    struct textpos tp = {1, 1, text};
    bool doubled = textpos_doubled_cr(text, len);
    const char *p = text, *end = text + (off < len ? off : len);
    while (p < end) {
        size_t n = textpos_eol_len(p, text + len, doubled);
        if (n && p + n <= end) {
            p += n;
            tp.line++;
            tp.line_start = p;
            continue;
        }
        if (n)
            break; /* off is inside this line end */
        p++;
    }
    for (const char *q = tp.line_start; q < end; q++)
        if (((unsigned char)*q & 0xc0) != 0x80)
            tp.col++;
    return tp;
}
