/*
 * decode: a document's bytes, in whatever encoding a user met them, as UTF-8
 * text. The only includer of <uchardet.h> and the only user of iconv.
 *
 * Without a forced encoding: a byte-order mark decides (UTF-8, UTF-16LE/BE,
 * UTF-32LE/BE); else pure ASCII and strictly valid UTF-8 are taken as they
 * are (no copy, no detector: the fast path every ordinary profile takes);
 * else UTF-16 without a mark is recognised by its NUL bytes; else each
 * candidate decoding (the detector's answer, WINDOWS-1252 and GBK) is made
 * with iconv, strictly, and weighed by plausibility (decode_plausibility),
 * and the most plausible wins. The detector's first answer is not trusted:
 * Debian 12's uchardet 0.0.7 names GBK profiles WINDOWS-1258 or IBM852.
 *
 * Ownership: a struct decode_result owns its buffer; release it with
 * decode_result_release. Its text may be borrowed from the input instead,
 * which must then outlive it.
 */
#ifndef CYBERWELL_IO_DECODE_H
#define CYBERWELL_IO_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/strbuf.h"

#define DECODE_NAME_MAX 32 /* bytes of an encoding name, with the NUL */

/* What was decided about one document's encoding. */
struct decode_info {
    char encoding[DECODE_NAME_MAX]; /* "ASCII", "UTF-8", "UTF-16LE",
                                       "WINDOWS-1252", "GBK", or the
                                       forced name, upper case */
    char detected[DECODE_NAME_MAX]; /* the detector's answer; "" when it
                                       was not asked or had none */
    bool has_bom;       /* a byte-order mark was read (and dropped) */
    bool is_transcoded; /* the text was converted to UTF-8 */
    bool is_unsure;     /* a guess: the detector was overruled, had no
                           answer, or another reading came close */
    bool is_forced;     /* the encoding was given (--encoding) */
};

struct decode_result {
    const char *text;  /* UTF-8, without a byte-order mark; borrowed from
                          the input or from buf */
    size_t len;        /* bytes of text */
    struct strbuf buf; /* owns text when it was converted */
    struct decode_info info;
};

void decode_result_init(struct decode_result *r);
void decode_result_release(struct decode_result *r);

/*
 * Decode len bytes of data (need not be NUL-terminated) into out (which
 * must be initialised; its previous text is dropped). encoding forces an
 * encoding iconv knows (NULL or "" to detect). path names the input in
 * messages. The decoded text is at most 4 * len + 4 bytes.
 *
 * Errors: CW_ERR_USAGE for a forced encoding iconv does not know;
 * CW_ERR_PARSE, at the line and column of the first byte that cannot be
 * read, with its byte offset in the message and the line up to it as the
 * error's source, when the forced encoding does not fit the data or, with
 * none forced, when neither UTF-8 nor any candidate reads it plausibly.
 * NUL bytes are passed on (the parser refuses them with their location).
 */
int decode_buffer(const char *path, const char *data, size_t len,
                  const char *encoding, struct decode_result *out,
                  struct cw_error *err);

/* The detector's (uchardet's) answer for data, upper case, into out; ""
 * when it has none. decode_buffer asks it only for text that is neither
 * marked nor UTF-8; this is for measuring it. */
void decode_detect(const char *data, size_t len, char out[DECODE_NAME_MAX]);

/* True when iconv can convert from name to UTF-8. */
bool decode_is_known(const char *name);

/*
 * How plausible len bytes of UTF-8 text are as a profile in English or
 * French: typographic punctuation (’ “ ” – § •) and the accented letters
 * of Western European languages count for it; mojibake runs ("¡ì",
 * "â€™"), isolated CJK or Greek characters glued to Latin words, control
 * characters and rare symbols count against it. ASCII counts for nothing.
 * A reading is accepted only when its score is above 0.
 */
long decode_plausibility(const char *text, size_t len);

/* Append a one-line account of info: "WINDOWS-1252 (transcoded to UTF-8;
 * a guess: the detector said WINDOWS-1258)". */
void decode_describe(const struct decode_info *info, struct strbuf *out);

/* Append the warning a user gets about info, and return true; or return
 * false (appending nothing) when the text was read as it is. */
bool decode_warning(const struct decode_info *info, struct strbuf *out);

/* Append info as the JSON object {"name":…,"bom":…,"transcoded":…,
 * "detected":…,"unsure":…,"forced":…}. */
void decode_json(const struct decode_info *info, struct strbuf *out);

#endif
