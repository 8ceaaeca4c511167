/* JSON string escaping (RFC 8259) and numbers. */
#include "util/json.h"

#include <math.h>

#include "util/banned.h"

void json_str(struct strbuf *sb, const char *s)
{
    if (!s) {
        strbuf_adds(sb, "null");
        return;
    }
    strbuf_addch(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"':
            strbuf_adds(sb, "\\\"");
            break;
        case '\\':
            strbuf_adds(sb, "\\\\");
            break;
        case '\n':
            strbuf_adds(sb, "\\n");
            break;
        case '\r':
            strbuf_adds(sb, "\\r");
            break;
        case '\t':
            strbuf_adds(sb, "\\t");
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                strbuf_addf(sb, "\\u%04x", c);
            else
                strbuf_addch(sb, c);
        }
    }
    strbuf_addch(sb, '"');
}

void json_num(struct strbuf *sb, double v, int decimals)
{
    if (!isfinite(v))
        strbuf_adds(sb, "null");
    else
        strbuf_addf(sb, "%.*f", decimals, v);
}
