/*
 * Decoding documents to UTF-8: byte-order marks, the UTF-8 fast path, and
 * candidate decodings made with iconv and weighed by plausibility.
 */
#include "io/decode.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uchardet.h>

#include "util/json.h"
#include "util/textpos.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* Readings a legacy (non-UTF-8) document is tried in besides the
 * detector's answer; on equal plausibility the earlier wins. */
static const char *const fallbacks[] = {"WINDOWS-1252", "GBK"};
#define N_CANDIDATES 3 /* the fallbacks and the detector's answer */

/* A winner closer than this to a reading with other text is a guess. */
#define UNSURE_MARGIN 3

/* Bytes of the UTF-16 sample looked at for a document without a mark. */
#define UTF16_SAMPLE 4096

void decode_result_init(struct decode_result *r)
{
    memset(r, 0, sizeof *r);
    strbuf_init(&r->buf);
    r->text = r->buf.buf;
}

void decode_result_release(struct decode_result *r)
{
    strbuf_release(&r->buf);
    decode_result_init(r);
}

/* ---- UTF-8 ----------------------------------------------------------------
 */

/* Bytes of the valid UTF-8 sequence at p (avail bytes readable), or 0 when
 * none starts there; fills *cp. The rules of util/utf8.c: no overlong
 * form, no surrogate, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *p, size_t avail, uint32_t *cp)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (avail < n || p[1] < lo || p[1] > hi)
        return 0;
    v = v << 6 | (p[1] & 0x3F);
    for (size_t i = 2; i < n; i++) {
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
        v = v << 6 | (p[i] & 0x3F);
    }
    *cp = v;
    return n;
}

/* Bytes of the longest valid UTF-8 prefix of [p, p + len). *has_high says
 * whether a byte above 0x7F came before that point. ASCII is skipped eight
 * bytes at a time: this is the cost every ordinary profile pays. */
static size_t utf8_prefix(const unsigned char *p, size_t len, bool *has_high)
{
    size_t i = 0;
    *has_high = false;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, sizeof w);
            if (!(w & UINT64_C(0x8080808080808080))) {
                i += 8;
                continue;
            }
        }
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_seq(p + i, len - i, &cp);
        if (!n)
            break;
        *has_high = true;
        i += n;
    }
    return i;
}

/* ---- plausibility ----------------------------------------------------- */

enum cp_class {
    CL_PUNCT,  /* typographic punctuation: ’ “ ” – § • NBSP ... */
    CL_LETTER, /* a letter of Western European languages */
    CL_LETTER_EXT, /* other Latin letters (Central European names) */
    CL_RARE,       /* Latin-1 letters a profile hardly holds: ÿ þ ð ý */
    CL_SYMBOL,     /* ¡ ¯ ¤ ± ‰ † and other signs */
    CL_CONTROL,    /* C1 controls */
    CL_SCRIPT,     /* a letter of another script (see script_of) */
    CL_OTHER
};

enum script {
    SC_NONE,
    SC_GREEK,
    SC_CYRILLIC,
    SC_HEBREW,
    SC_ARABIC,
    SC_THAI,
    SC_CJK
};

static enum script script_of(uint32_t cp)
{
    if (cp >= 0x370 && cp <= 0x3FF)
        return SC_GREEK;
    if (cp >= 0x400 && cp <= 0x52F)
        return SC_CYRILLIC;
    if (cp >= 0x590 && cp <= 0x5FF)
        return SC_HEBREW;
    if (cp >= 0x600 && cp <= 0x6FF)
        return SC_ARABIC;
    if (cp >= 0xE00 && cp <= 0xE7F)
        return SC_THAI;
    if ((cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
        (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x20000 && cp <= 0x2FFFF))
        return SC_CJK;
    return SC_NONE;
}

static enum cp_class class_of(uint32_t cp, enum script *sc)
{
    *sc = SC_NONE;
    switch (cp) {
    case 0x2018: /* ‘ ’ “ ” */
    case 0x2019:
    case 0x201C:
    case 0x201D:
    case 0x2013: /* – — • … */
    case 0x2014:
    case 0x2022:
    case 0x2026:
    case 0x00A0: /* NBSP § ° « » © ® £ € ™ */
    case 0x00A7:
    case 0x00B0:
    case 0x00AB:
    case 0x00BB:
    case 0x00A9:
    case 0x00AE:
    case 0x00A3:
    case 0x20AC:
    case 0x2122:
        return CL_PUNCT;
    case 0x0152: /* Œ œ */
    case 0x0153:
        return CL_LETTER;
    case 0x00AA: /* ª º: "nº" in Spanish and Portuguese law numbers */
    case 0x00BA:
        return CL_LETTER_EXT;
    case 0x00D0: /* Ð Ý Þ ð ý þ ÿ Ÿ */
    case 0x00DD:
    case 0x00DE:
    case 0x00F0:
    case 0x00FD:
    case 0x00FE:
    case 0x00FF:
    case 0x0178:
        return CL_RARE;
    case 0x00D7: /* × ÷ */
    case 0x00F7:
        return CL_SYMBOL;
    default:
        break;
    }
    if (cp >= 0x80 && cp <= 0x9F)
        return CL_CONTROL;
    if (cp >= 0xC0 && cp <= 0xFF)
        return CL_LETTER;
    if (cp >= 0xA1 && cp <= 0xBF)
        return CL_SYMBOL;
    if (cp >= 0x100 && cp <= 0x24F)
        return CL_LETTER_EXT;
    if ((cp >= 0x2C6 && cp <= 0x2DD) || (cp >= 0x2000 && cp <= 0x2BFF) ||
        cp == 0x192)
        return CL_SYMBOL;
    *sc = script_of(cp);
    return *sc != SC_NONE ? CL_SCRIPT : CL_OTHER;
}

static bool is_upper_letter(uint32_t cp)
{
    return (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || cp == 0x152 ||
           (cp >= 0x100 && cp <= 0x17F && cp % 2 == 0);
}

static bool is_ascii_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Longest run of non-ASCII characters looked at one by one. */
#define RUN_MAX 16

/* Score of a run of n non-ASCII characters (the first RUN_MAX in cps)
 * between the ASCII bytes before and after (0 at either end). */
static long score_run(const uint32_t *cps, size_t n, int before, int after)
{
    enum script sc0;
    enum cp_class c0 = class_of(cps[0], &sc0);
    if (n == 1) {
        uint32_t cp = cps[0];
        switch (c0) {
        case CL_PUNCT: {
            long s = 3;
            /* An apostrophe inside a word, a dash between spaces. */
            if (cp == 0x2019 && is_ascii_alpha(before) && is_ascii_alpha(after))
                s += 2;
            if ((cp == 0x2013 || cp == 0x2014) && before == ' ' && after == ' ')
                s += 2;
            return s;
        }
        case CL_LETTER:
        case CL_LETTER_EXT: {
            long s = c0 == CL_LETTER ? 2 : 1;
            /* A capital right after a lower-case letter: "xÃ". */
            if (is_upper_letter(cp) && before >= 'a' && before <= 'z')
                s -= 4;
            return s;
        }
        case CL_RARE:
        case CL_SYMBOL:
            return -2;
        case CL_CONTROL:
            return -10;
        case CL_SCRIPT:
            return sc0 == SC_CJK ? -6 : -3;
        case CL_OTHER:
            return -3;
        }
        return -3;
    }
    size_t k = n < RUN_MAX ? n : RUN_MAX;
    bool all_punct = true, all_script = true, all_latin = true;
    for (size_t i = 0; i < k; i++) {
        enum script sc;
        enum cp_class c = class_of(cps[i], &sc);
        all_punct = all_punct && c == CL_PUNCT;
        all_script = all_script && c == CL_SCRIPT && sc == sc0;
        all_latin = all_latin && (c == CL_LETTER || c == CL_LETTER_EXT);
    }
    if (n <= RUN_MAX && all_punct)
        return 3 * (long)n; /* "§§", "’”" */
    if (all_script && n <= RUN_MAX)
        return (long)n; /* a word of Greek, Cyrillic, Chinese ... */
    if (all_latin && n == 2)
        return 0;        /* "créée" */
    return -4 * (long)n; /* mojibake: "¡ì", "â€™", "Ã©" */
}

long decode_plausibility(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    const unsigned char *end = p + len;
    long score = 0;
    int before = 0;
    while (p < end) {
        if (*p < 0x80) {
            before = *p++;
            continue;
        }
        uint32_t cps[RUN_MAX];
        size_t n = 0;
        while (p < end && *p >= 0x80) {
            uint32_t cp;
            size_t k = utf8_seq(p, (size_t)(end - p), &cp);
            if (!k) {
                cp = 0xFFFD;
                k = 1;
            }
            if (n < RUN_MAX)
                cps[n] = cp;
            n++;
            p += k;
        }
        int after = p < end ? *p : 0;
        score += score_run(cps, n, before, after);
        before = 0;
    }
    return score;
}

/* ---- iconv ------------------------------------------------------------ */

/* Why a conversion stopped. */
enum conv_status {
    CONV_OK,
    CONV_UNKNOWN,
    CONV_INVALID,
    CONV_TRUNCATED,
    CONV_TOO_BIG
};

/*
 * Convert [data, data + len) from `from` to UTF-8 into out (reset first),
 * strictly: an invalid or incomplete sequence stops it, with *bad the
 * offset of its first byte (out then holds the text before it).
 */
/*
 * A stateless single-byte encoding as a table of each byte's UTF-8, made
 * with iconv itself one byte at a time, so that converting through it
 * gives iconv's text, byte for byte, at a fraction of its cost. Made once
 * per encoding and kept (a few at most: the candidates of take_best).
 */
struct sb_table {
    char name[DECODE_NAME_MAX];
    bool is_usable;         /* every byte read alone, nothing held back */
    unsigned char len[256]; /* bytes of UTF-8; 0: the byte is invalid */
    char utf8[256][4];
};

#define SB_TABLES 16

static struct sb_table *sb_tables[SB_TABLES];
static size_t n_sb_tables;
static pthread_mutex_t sb_lock = PTHREAD_MUTEX_INITIALIZER;

/* Encodings that may be single-byte and stateless; the table is still
 * refused when a byte is incomplete alone or iconv holds it back (as the
 * Vietnamese encodings do, to compose accents). */
static bool may_be_single_byte(const char *name)
{
    static const char *const prefixes[] = {"WINDOWS-125", "ISO-8859-", "IBM",
                                           "CP",          "KOI8-",     "MAC"};
    if (strstr(name, "1258"))
        return false;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
            return true;
    return false;
}

static void sb_fill(struct sb_table *t, iconv_t cd)
{
    t->is_usable = true;
    for (unsigned b = 0; b < 256 && t->is_usable; b++) {
        char in_byte = (char)b, outb[16];
        char *in = &in_byte, *o = outb;
        size_t in_left = 1, o_left = sizeof outb;
        iconv(cd, NULL, NULL, NULL, NULL);
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        if (r == (size_t)-1) {
            t->is_usable = errno == EILSEQ;
            t->len[b] = 0;
            continue;
        }
        size_t n = sizeof outb - o_left;
        char *o2 = o;
        size_t o2_left = o_left;
        iconv(cd, NULL, NULL, &o2, &o2_left);
        if (in_left || n == 0 || n > 4 || o2 != o) {
            t->is_usable = false;
            continue;
        }
        t->len[b] = (unsigned char)n;
        memcpy(t->utf8[b], outb, n);
    }
}

/* The table of encoding from, or NULL when it has none. */
static const struct sb_table *sb_table(const char *from)
{
    if (!may_be_single_byte(from) || strlen(from) >= DECODE_NAME_MAX)
        return NULL;
    const struct sb_table *found = NULL;
    pthread_mutex_lock(&sb_lock);
    size_t i = 0;
    for (; i < n_sb_tables && strcmp(sb_tables[i]->name, from) != 0; i++)
        ;
    if (i < n_sb_tables) {
        found = sb_tables[i];
    } else if (n_sb_tables < SB_TABLES) {
        iconv_t cd = iconv_open("UTF-8", from);
        if (cd != (iconv_t)-1) {
            struct sb_table *t = xcalloc(1, sizeof *t);
            memcpy(t->name, from, strlen(from) + 1);
            sb_fill(t, cd);
            iconv_close(cd);
            sb_tables[n_sb_tables++] = t;
            found = t;
        }
    }
    pthread_mutex_unlock(&sb_lock);
    return found && found->is_usable ? found : NULL;
}

/* convert() through table t. */
static enum conv_status convert_sb(const struct sb_table *t, const char *data,
                                   size_t len, struct strbuf *out, size_t *bad)
{
    strbuf_grow(out, 4 * len + 4);
    char *o = out->buf + out->len;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)data[i];
        if (!t->len[b]) {
            strbuf_setlen(out, (size_t)(o - out->buf));
            *bad = i;
            return CONV_INVALID;
        }
        memcpy(o, t->utf8[b], 4);
        o += t->len[b];
    }
    strbuf_setlen(out, (size_t)(o - out->buf));
    return CONV_OK;
}

static enum conv_status convert(const char *from, const char *data, size_t len,
                                struct strbuf *out, size_t *bad)
{
    const struct sb_table *t = sb_table(from);
    strbuf_reset(out);
    *bad = 0;
    if (t)
        return convert_sb(t, data, len, out, bad);
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return CONV_UNKNOWN;
    size_t cap = 4 * len + 16;
    strbuf_grow(out, len + len / 2 + 16);
    char *in = (char *)data; /* iconv's prototype is not const-correct */
    size_t in_left = len;
    bool is_flushing = false; /* all input read: write the shift state */
    enum conv_status st = CONV_OK;
    for (;;) {
        if (out->cap - out->len < 8)
            strbuf_grow(out, 64);
        char *o = out->buf + out->len;
        size_t o_left = out->cap - out->len - 1;
        size_t r = is_flushing ? iconv(cd, NULL, NULL, &o, &o_left)
                               : iconv(cd, &in, &in_left, &o, &o_left);
        int e = errno;
        strbuf_setlen(out, (size_t)(o - out->buf));
        if (r != (size_t)-1) {
            if (is_flushing)
                break;
            is_flushing = true;
            continue;
        }
        if (e == E2BIG) {
            if (out->len > cap) {
                st = CONV_TOO_BIG;
                break;
            }
            strbuf_grow(out, out->cap);
            continue;
        }
        st = e == EINVAL ? CONV_TRUNCATED : CONV_INVALID;
        *bad = (size_t)(in - data);
        break;
    }
    iconv_close(cd);
    return st;
}

bool decode_is_known(const char *name)
{
    if (!name || !*name)
        return false;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return false;
    iconv_close(cd);
    return true;
}

/* ---- the decision ----------------------------------------------------- */

static void set_name(char dst[DECODE_NAME_MAX], const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < DECODE_NAME_MAX; i++) {
        char c = src[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - ('a' - 'A'));
        dst[i] = c;
    }
    dst[i] = '\0';
}

void decode_detect(const char *data, size_t len, char out[DECODE_NAME_MAX])
{
    out[0] = '\0';
    uchardet_t ud = uchardet_new();
    if (!ud)
        return;
    if (uchardet_handle_data(ud, data, len) == 0) {
        uchardet_data_end(ud);
        const char *cs = uchardet_get_charset(ud);
        if (cs)
            set_name(out, cs);
    }
    uchardet_delete(ud);
}

/* Fill err for a byte that cannot be read, located in text, the readable
 * text before it (text_len bytes). */
static int unreadable(const char *path, const char *text, size_t text_len,
                      struct cw_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int unreadable(const char *path, const char *text, size_t text_len,
                      struct cw_error *err, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct textpos tp = textpos_locate(text, text_len, text_len);
    int rc = cw_errorf(err, CW_ERR_PARSE,
                       ((struct cw_loc){path, tp.line, tp.col}), "%s", msg);
    cw_error_set_src(err, tp.line_start,
                     (size_t)(text + text_len - tp.line_start));
    return rc;
}

/* "0x92 0x20" for the bytes at off (at most 4, fewer at the end). */
static void show_bytes(const char *data, size_t len, size_t off, char *out,
                       size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = off; i < len && i < off + 2 && n + 6 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s0x%02x", i > off ? " " : "",
                              (unsigned char)data[i]);
}

struct bom {
    const char *bytes;
    size_t len;
    const char *name;
};

/* Longest first: FF FE 00 00 is UTF-32LE, not UTF-16LE. */
static const struct bom boms[] = {{"\xFF\xFE\x00\x00", 4, "UTF-32LE"},
                                  {"\x00\x00\xFE\xFF", 4, "UTF-32BE"},
                                  {"\xEF\xBB\xBF", 3, "UTF-8"},
                                  {"\xFF\xFE", 2, "UTF-16LE"},
                                  {"\xFE\xFF", 2, "UTF-16BE"}};

static const struct bom *find_bom(const char *data, size_t len)
{
    for (size_t i = 0; i < sizeof boms / sizeof *boms; i++)
        if (len >= boms[i].len && !memcmp(data, boms[i].bytes, boms[i].len))
            return &boms[i];
    return NULL;
}

/* "UTF-16LE" or "UTF-16BE" when data looks like UTF-16 without a mark
 * (most high or low bytes NUL, the others not), else NULL. */
static const char *utf16_without_bom(const char *data, size_t len)
{
    size_t n = len < UTF16_SAMPLE ? len : UTF16_SAMPLE;
    n -= n % 2;
    if (n < 8)
        return NULL;
    size_t even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        even += data[i] == 0;
        odd += data[i + 1] == 0;
    }
    size_t pairs = n / 2;
    if (odd * 10 >= pairs * 4 && even * 20 < pairs)
        return "UTF-16LE";
    if (even * 10 >= pairs * 4 && odd * 20 < pairs)
        return "UTF-16BE";
    return NULL;
}

/* Strictly valid UTF-8 (after any mark): borrow it. Else the error. */
static int take_utf8(const char *path, const char *data, size_t len,
                     size_t skip, struct decode_result *out,
                     struct cw_error *err)
{
    bool has_high;
    size_t ok =
        utf8_prefix((const unsigned char *)data + skip, len - skip, &has_high);
    if (skip + ok < len)
        return unreadable(path, data + skip, ok, err,
                          "invalid UTF-8 byte 0x%02x at byte offset %zu",
                          (unsigned char)data[skip + ok], skip + ok);
    out->text = data + skip;
    out->len = len - skip;
    set_name(out->info.encoding, has_high || skip ? "UTF-8" : "ASCII");
    out->info.has_bom = skip > 0;
    return CW_OK;
}

/* Convert with a known encoding (from a mark, or forced). */
static int take_converted(const char *path, const char *data, size_t len,
                          size_t skip, const char *name,
                          struct decode_result *out, struct cw_error *err)
{
    size_t bad;
    char shown[32];
    enum conv_status st =
        convert(name, data + skip, len - skip, &out->buf, &bad);
    switch (st) {
    case CONV_OK:
        break;
    case CONV_UNKNOWN:
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "unknown encoding '%s': iconv cannot convert it "
                         "to UTF-8",
                         name);
    case CONV_TOO_BIG:
        return cw_errorf(err, CW_ERR_LIMIT, ((struct cw_loc){path, 0, 0}),
                         "the document read as %s is over %zu bytes", name,
                         4 * len + 16);
    case CONV_TRUNCATED:
        return unreadable(path, out->buf.buf, out->buf.len, err,
                          "incomplete %s sequence at the end (byte offset "
                          "%zu)",
                          name, skip + bad);
    case CONV_INVALID:
        show_bytes(data, len, skip + bad, shown, sizeof shown);
        return unreadable(path, out->buf.buf, out->buf.len, err,
                          "invalid %s byte sequence %s at byte offset %zu",
                          name, shown, skip + bad);
    }
    /* A mark the conversion kept (forced "UTF-16LE" on marked text). */
    size_t drop = 0;
    if (out->buf.len >= 3 && !memcmp(out->buf.buf, "\xEF\xBB\xBF", 3)) {
        drop = 3;
        out->info.has_bom = true;
    }
    out->text = out->buf.buf + drop;
    out->len = out->buf.len - drop;
    set_name(out->info.encoding, name);
    out->info.has_bom = out->info.has_bom || skip > 0;
    out->info.is_transcoded =
        !(out->len == len - skip && !memcmp(out->text, data + skip, out->len));
    return CW_OK;
}

struct candidate {
    const char *name;
    struct strbuf text;
    bool is_ok;
    long score;
};

/* Neither UTF-8 nor marked: weigh the candidate readings. */
static int take_best(const char *path, const char *data, size_t len,
                     struct decode_result *out, struct cw_error *err)
{
    struct candidate cands[N_CANDIDATES];
    size_t n = 0;
    int rc = CW_OK;
    decode_detect(data, len, out->info.detected);
    const char *det = out->info.detected;
    bool det_useful =
        *det && strcmp(det, "ASCII") != 0 && strcmp(det, "UTF-8") != 0;
    /* The fallbacks in order, the detector's answer after the first. */
    const char *names[N_CANDIDATES] = {fallbacks[0], NULL, fallbacks[1]};
    if (det_useful && strcmp(det, fallbacks[0]) != 0 &&
        strcmp(det, fallbacks[1]) != 0)
        names[1] = det;
    for (size_t i = 0; i < N_CANDIDATES; i++) {
        if (!names[i])
            continue;
        struct candidate *c = &cands[n++];
        size_t bad;
        c->name = names[i];
        strbuf_init(&c->text);
        c->is_ok = convert(c->name, data, len, &c->text, &bad) == CONV_OK;
        c->score = c->is_ok ? decode_plausibility(c->text.buf, c->text.len) : 0;
    }
    struct candidate *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (cands[i].is_ok && cands[i].score > 0 &&
            (!best || cands[i].score > best->score))
            best = &cands[i];
    if (!best) {
        bool has_high;
        size_t ok = utf8_prefix((const unsigned char *)data, len, &has_high);
        rc = unreadable(path, data, ok, err,
                        "cannot read the document: byte 0x%02x at byte "
                        "offset %zu is not UTF-8, and no other encoding "
                        "(WINDOWS-1252, GBK, the detector's guess) reads it "
                        "plausibly; give --encoding NAME",
                        (unsigned char)data[ok], ok);
        goto out;
    }
    bool is_unsure = !det_useful;
    for (size_t i = 0; i < n; i++) {
        struct candidate *c = &cands[i];
        bool same = c->is_ok && c->text.len == best->text.len &&
                    !memcmp(c->text.buf, best->text.buf, c->text.len);
        if (same)
            continue;
        if (det_useful && !strcmp(c->name, det))
            is_unsure = true; /* the detector was overruled */
        if (c->is_ok && c->score > 0 && best->score - c->score < UNSURE_MARGIN)
            is_unsure = true; /* another reading came close */
    }
    set_name(out->info.encoding, best->name);
    out->info.is_transcoded = true;
    out->info.is_unsure = is_unsure;
    strbuf_release(&out->buf);
    out->buf = best->text;
    strbuf_init(&best->text);
    out->text = out->buf.buf;
    out->len = out->buf.len;
out:
    for (size_t i = 0; i < n; i++)
        strbuf_release(&cands[i].text);
    return rc;
}

/* Refuse text holding a NUL byte: binary data, not a document. */
static int refuse_nul(const char *path, const char *text, size_t len,
                      struct cw_error *err)
{
    const char *nul = memchr(text, 0, len);
    if (!nul)
        return CW_OK;
    return unreadable(path, text, (size_t)(nul - text), err,
                      "binary data: NUL byte; a profile must be text");
}

/* No mark and nothing forced: UTF-16 without a mark, binary data, ASCII
 * or UTF-8 as it is, or the most plausible legacy reading. */
static int take_unmarked(const char *path, const char *data, size_t len,
                         struct decode_result *out, struct cw_error *err)
{
    bool has_high;
    size_t ok = utf8_prefix((const unsigned char *)data, len, &has_high);
    bool has_nul = memchr(data, 0, len) != NULL;
    const char *u16 = has_nul || ok < len ? utf16_without_bom(data, len) : NULL;
    struct cw_error ignored;
    if (u16 &&
        take_converted(path, data, len, 0, u16, out, &ignored) == CW_OK) {
        out->info.is_unsure = true;
        return refuse_nul(path, out->text, out->len, err);
    }
    decode_result_release(out);
    if (has_nul)
        return refuse_nul(path, data, len, err);
    if (ok == len) {
        out->text = data;
        out->len = len;
        set_name(out->info.encoding, has_high ? "UTF-8" : "ASCII");
        return CW_OK;
    }
    return take_best(path, data, len, out, err);
}

int decode_buffer(const char *path, const char *data, size_t len,
                  const char *encoding, struct decode_result *out,
                  struct cw_error *err)
{
    int rc;
    const struct bom *b = find_bom(data, len);
    decode_result_release(out);
    if (encoding && *encoding) {
        char name[DECODE_NAME_MAX];
        if (strlen(encoding) >= sizeof name || !decode_is_known(encoding))
            return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                             "unknown encoding '%s': iconv cannot convert "
                             "it to UTF-8",
                             encoding);
        set_name(name, encoding);
        if (!strcmp(name, "UTF-8") || !strcmp(name, "UTF8"))
            rc = take_utf8(path, data, len,
                           b && !strcmp(b->name, "UTF-8") ? b->len : 0, out,
                           err);
        else
            rc = take_converted(path, data, len, 0, name, out, err);
        out->info.is_forced = true;
    } else if (b && !strcmp(b->name, "UTF-8")) {
        rc = take_utf8(path, data, len, b->len, out, err);
    } else if (b) {
        rc = take_converted(path, data, len, b->len, b->name, out, err);
    } else {
        rc = take_unmarked(path, data, len, out, err);
    }
    if (!rc)
        rc = refuse_nul(path, out->text, out->len, err);
    if (rc)
        decode_result_release(out);
    return rc;
}

/* ---- reporting -------------------------------------------------------- */

void decode_describe(const struct decode_info *info, struct strbuf *out)
{
    strbuf_adds(out, info->encoding[0] ? info->encoding : "UTF-8");
    const char *sep = " (";
    if (info->has_bom) {
        strbuf_addf(out, "%sbyte-order mark", sep);
        sep = "; ";
    }
    if (info->is_transcoded) {
        strbuf_addf(out, "%stranscoded to UTF-8", sep);
        sep = "; ";
    }
    if (info->is_forced) {
        strbuf_addf(out, "%sgiven with --encoding", sep);
        sep = "; ";
    }
    if (info->is_unsure) {
        strbuf_addf(out, "%sa guess", sep);
        sep = "; ";
        if (info->detected[0])
            strbuf_addf(out, ": the detector said %s", info->detected);
    }
    if (strcmp(sep, " (") != 0)
        strbuf_addch(out, ')');
}

bool decode_warning(const struct decode_info *info, struct strbuf *out)
{
    if (!info->is_transcoded && !info->is_unsure)
        return false;
    strbuf_adds(out, "read as ");
    decode_describe(info, out);
    if (info->is_unsure)
        strbuf_adds(out, "; check the text (cyberwell parse) or give "
                         "--encoding NAME");
    return true;
}

void decode_json(const struct decode_info *info, struct strbuf *out)
{
    strbuf_adds(out, "{\"name\":");
    json_str(out, info->encoding[0] ? info->encoding : "UTF-8");
    strbuf_addf(out, ",\"bom\":%s,\"transcoded\":%s,\"detected\":",
                info->has_bom ? "true" : "false",
                info->is_transcoded ? "true" : "false");
    json_str(out, info->detected[0] ? info->detected : NULL);
    strbuf_addf(out, ",\"unsure\":%s,\"forced\":%s}",
                info->is_unsure ? "true" : "false",
                info->is_forced ? "true" : "false");
}
