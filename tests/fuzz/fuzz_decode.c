/*
 * libFuzzer harness for the decoder: decode_buffer on the input, with the
 * encoding detected or, by the first byte, forced to one of a few; then
 * decode_plausibility on what it read. Checks that a failure carries a
 * usage, parse or limit code, a message and a location, and that a success
 * is valid UTF-8 without NUL bytes, within the size bound, with an
 * encoding name.
 */
#include <string.h>

#include "fuzz_common.h"
#include "io/decode.h"
#include "util/utf8.h"

#include "util/banned.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* NULL: detect. The rest exercise forced readings and their errors. */
static const char *const forced[] = {NULL,     NULL,       "UTF-8",       "GBK",
                                     "UTF-16", "UTF-16LE", "WINDOWS-1252"};

static void check_text(const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    FUZZ_ASSERT(copy != NULL);
    memcpy(copy, text, len);
    copy[len] = '\0';
    FUZZ_ASSERT(strlen(copy) == len); /* no NUL byte */
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len((const unsigned char *)copy + i);
        FUZZ_ASSERT(n > 0);
        i += n;
    }
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *encoding =
        size ? forced[data[0] % (sizeof forced / sizeof *forced)] : NULL;
    struct decode_result r;
    struct cw_error err;
    memset(&err, 0, sizeof err);
    decode_result_init(&r);
    int rc =
        decode_buffer("fuzz.txt", (const char *)data, size, encoding, &r, &err);
    if (rc) {
        FUZZ_ASSERT(rc == err.code);
        FUZZ_ASSERT(rc == CW_ERR_PARSE || rc == CW_ERR_LIMIT);
        FUZZ_ASSERT(err.msg[0] != '\0');
        FUZZ_ASSERT(rc != CW_ERR_PARSE || err.line >= 1);
    } else {
        FUZZ_ASSERT(r.info.encoding[0] != '\0');
        FUZZ_ASSERT(r.len <= 4 * size + 16);
        check_text(r.text, r.len);
        (void)decode_plausibility(r.text, r.len);
        struct strbuf sb = STRBUF_INIT;
        decode_describe(&r.info, &sb);
        decode_json(&r.info, &sb);
        strbuf_release(&sb);
    }
    decode_result_release(&r);
    return 0;
}
