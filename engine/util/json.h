/* Minimal JSON output helpers: escaped strings and numbers into a strbuf. */
#ifndef CYBERWELL_UTIL_JSON_H
#define CYBERWELL_UTIL_JSON_H

#include "util/strbuf.h"

/* Append s as a JSON string literal (quoted, escaped); NULL gives null. */
void json_str(struct strbuf *sb, const char *s);
/* Append a number with `decimals` digits; non-finite values give null. */
void json_num(struct strbuf *sb, double v, int decimals);

#endif
