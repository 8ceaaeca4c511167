/*
 * decode converts single-byte encodings through a table it makes with
 * iconv (io/decode.c: sb_table): the text must be iconv's own, byte for
 * byte, for every byte of every encoding the detector names, and a byte
 * iconv refuses must be refused at the same offset.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/decode.h"
#include "test.h"
#include "util/strbuf.h"

#include "util/banned.h"

/* iconv's strict conversion of data: true with its text in out, or false
 * with *bad the offset where it stopped. */
static bool by_iconv(const char *name, const char *data, size_t len,
                     struct strbuf *out, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return false;
    strbuf_reset(out);
    strbuf_grow(out, 4 * len + 16);
    char *in = (char *)data, *o = out->buf;
    size_t in_left = len, o_left = out->cap - 1;
    size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    bool ok =
        r != (size_t)-1 && iconv(cd, NULL, NULL, &o, &o_left) != (size_t)-1;
    strbuf_setlen(out, (size_t)(o - out->buf));
    *bad = (size_t)(in - data);
    iconv_close(cd);
    return ok;
}

static void check_encoding(const char *name)
{
    /* Every byte but NUL, twice, in two orders. */
    char data[512];
    size_t n = 0;
    for (int b = 1; b < 256; b++)
        data[n++] = (char)b;
    for (int b = 255; b >= 1; b--)
        data[n++] = (char)b;
    struct strbuf want = STRBUF_INIT;
    struct decode_result got;
    decode_result_init(&got);
    /* Each byte alone, then the whole. */
    for (size_t i = 0; i <= 255; i++) {
        const char *d = i < 255 ? data + i : data;
        size_t len = i < 255 ? 1 : n;
        size_t bad = 0;
        bool ok = by_iconv(name, d, len, &want, &bad);
        struct cw_error err;
        int rc = decode_buffer("t", d, len, name, &got, &err);
        if (ok != (rc == 0))
            fprintf(stderr, "%s byte %zu: iconv %d, decode %d\n", name, i, ok,
                    rc);
        CHECK(ok == (rc == 0));
        if (ok && rc == 0) {
            bool same =
                got.len == want.len && !memcmp(got.text, want.buf, want.len);
            if (!same)
                fprintf(stderr, "%s byte %zu: texts differ\n", name, i);
            CHECK(same);
        } else if (!ok && rc) {
            char at[64];
            snprintf(at, sizeof at, "offset %zu", bad);
            CHECK(strstr(err.msg, at) != NULL);
        }
    }
    decode_result_release(&got);
    strbuf_release(&want);
}

int main(void)
{
    static const char *const names[] = {
        "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1253",
        "WINDOWS-1254", "WINDOWS-1255", "WINDOWS-1256", "WINDOWS-1257",
        "WINDOWS-1258", "ISO-8859-1",   "ISO-8859-2",   "ISO-8859-5",
        "ISO-8859-7",   "ISO-8859-9",   "ISO-8859-13",  "ISO-8859-15",
        "IBM852",       "IBM866",       "KOI8-R",       "MAC-CENTRALEUROPE",
        "MAC-CYRILLIC", "CP1252",       "GBK"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        check_encoding(names[i]);
    return test_summary();
}
