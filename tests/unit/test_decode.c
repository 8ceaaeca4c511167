/*
 * Decoding: byte-order marks, the UTF-8 fast path, legacy encodings chosen
 * by plausibility, forced encodings and their errors; then, when the real
 * profiles are beside the project, the detector alone and the chooser on
 * all of them against tests/fixtures/decode/itu-encodings.csv.
 */
#include <stdlib.h>
#include <string.h>

#include "io/csvio.h"
#include "io/decode.h"
#include "test.h"
#include "util/fileio.h"
#include "util/xalloc.h"

/* Decode data (n bytes) with encoding (NULL: detect); the result's text
 * as a NUL-terminated copy in out, or NULL with err filled. */
static char *dec(const char *data, size_t n, const char *encoding,
                 struct decode_info *info, struct cw_error *err)
{
    struct decode_result r;
    decode_result_init(&r);
    memset(err, 0, sizeof *err);
    int rc = decode_buffer("t.txt", data, n, encoding, &r, err);
    char *out = NULL;
    if (!rc) {
        out = xmalloc(r.len + 1);
        memcpy(out, r.text, r.len);
        out[r.len] = '\0';
        *info = r.info;
    }
    decode_result_release(&r);
    return out;
}

static void test_fast_path(void)
{
    struct decode_result r;
    struct cw_error err;
    decode_result_init(&r);
    static const char ascii[] = "1.1.1 CRIMINAL LEGISLATION\nA law.\n";
    CHECK_INT_EQ(decode_buffer("a", ascii, sizeof ascii - 1, NULL, &r, &err),
                 CW_OK);
    CHECK(r.text == ascii); /* borrowed: no copy */
    CHECK_STR_EQ(r.info.encoding, "ASCII");
    CHECK(!r.info.is_transcoded && !r.info.is_unsure && !r.info.has_bom);
    CHECK_STR_EQ(r.info.detected, ""); /* the detector was not asked */

    static const char utf8[] = "Côte d’Ivoire – § 5";
    CHECK_INT_EQ(decode_buffer("u", utf8, sizeof utf8 - 1, NULL, &r, &err),
                 CW_OK);
    CHECK(r.text == utf8);
    CHECK_STR_EQ(r.info.encoding, "UTF-8");
    CHECK(!r.info.is_transcoded);

    static const char bom[] = "\xEF\xBB\xBFok";
    CHECK_INT_EQ(decode_buffer("b", bom, 5, NULL, &r, &err), CW_OK);
    CHECK(r.text == bom + 3 && r.len == 2);
    CHECK_STR_EQ(r.info.encoding, "UTF-8");
    CHECK(r.info.has_bom && !r.info.is_transcoded);

    decode_result_release(&r);
    /* NUL bytes that are not UTF-16: binary data, located. */
    static const char nul[] = "ab\ncd\0ef gh\xFF ijkl";
    CHECK_INT_EQ(decode_buffer("n", nul, sizeof nul - 1, NULL, &r, &err),
                 CW_ERR_PARSE);
    CHECK_INT_EQ(err.line, 2);
    CHECK_INT_EQ(err.col, 3);
    CHECK_STR_EQ(err.msg, "binary data: NUL byte; a profile must be text");
    CHECK_STR_EQ(err.src, "cd");
    /* Also when a byte-order mark said UTF-16. */
    static const char nul16[] = "\xFF\xFE"
                                "a\0\0\0";
    CHECK_INT_EQ(decode_buffer("n", nul16, sizeof nul16 - 1, NULL, &r, &err),
                 CW_ERR_PARSE);
    CHECK_STR_EQ(err.msg, "binary data: NUL byte; a profile must be text");
}

static void test_unicode_marks(void)
{
    struct decode_info info;
    struct cw_error err;
    /* "Aé’" in UTF-16LE, UTF-16BE, UTF-32LE with their marks. */
    static const char le[] = "\xFF\xFE"
                             "A\0\xE9\0\x19\x20";
    char *t = dec(le, sizeof le - 1, NULL, &info, &err);
    CHECK_STR_EQ(t, "Aé’");
    CHECK_STR_EQ(info.encoding, "UTF-16LE");
    CHECK(info.has_bom && info.is_transcoded && !info.is_unsure);
    free(t);
    static const char be[] = "\xFE\xFF\0A\0\xE9\x20\x19";
    t = dec(be, sizeof be - 1, NULL, &info, &err);
    CHECK_STR_EQ(t, "Aé’");
    CHECK_STR_EQ(info.encoding, "UTF-16BE");
    free(t);
    static const char le32[] = "\xFF\xFE\0\0A\0\0\0\xE9\0\0\0";
    t = dec(le32, sizeof le32 - 1, NULL, &info, &err);
    CHECK_STR_EQ(t, "Aé");
    CHECK_STR_EQ(info.encoding, "UTF-32LE");
    free(t);
    /* UTF-16LE without a mark: recognised by its NUL bytes, a guess. */
    static const char bare[] = "1\0.\0\x31\0 \0L\0A\0W\0S\0\n\0";
    t = dec(bare, sizeof bare - 1, NULL, &info, &err);
    CHECK_STR_EQ(t, "1.1 LAWS\n");
    CHECK_STR_EQ(info.encoding, "UTF-16LE");
    CHECK(!info.has_bom && info.is_transcoded && info.is_unsure);
    free(t);
    /* A lone surrogate in marked UTF-16: the line and offset. */
    static const char bad16[] = "\xFF\xFE"
                                "a\0\n\0b\0\x00\xD8"
                                "c\0";
    t = dec(bad16, sizeof bad16 - 1, NULL, &info, &err);
    CHECK(t == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_PARSE);
    CHECK_INT_EQ(err.line, 2);
    CHECK_INT_EQ(err.col, 2);
    CHECK_STR_EQ(err.msg,
                 "invalid UTF-16LE byte sequence 0x00 0xd8 at byte offset 8");
    CHECK_STR_EQ(err.src, "b");
}

static void test_legacy(void)
{
    struct decode_info info;
    struct cw_error err;
    /* Windows-1252 punctuation. */
    static const char w[] = "Spain\x92s \x93national\x94 plan \x96 2013";
    char *t = dec(w, sizeof w - 1, NULL, &info, &err);
    CHECK_STR_EQ(t, "Spain’s “national” plan – 2013");
    CHECK_STR_EQ(info.encoding, "WINDOWS-1252");
    CHECK(info.is_transcoded);
    free(t);
    /* GBK punctuation, which Windows-1252 reads as "¡ì" and "¡¯". */
    static const char g[] = "- 18 USC, \xA1\xEC 1029\n- the Children\xA1\xAFs "
                            "Act \xA1\xB0"
                            "COPPA\xA1\xB1";
    t = dec(g, sizeof g - 1, NULL, &info, &err);
    CHECK_STR_EQ(t, "- 18 USC, § 1029\n- the Children’s Act “COPPA”");
    CHECK_STR_EQ(info.encoding, "GBK");
    free(t);
    /* Latin-1 letters (no 0x80-0x9F byte): read as Windows-1252. */
    static const char l[] =
        "CYBERWELLNESS PROFILE C\xD4TE D'IVOIRE\nLa c\xF4te";
    t = dec(l, sizeof l - 1, NULL, &info, &err);
    CHECK_STR_EQ(t, "CYBERWELLNESS PROFILE CÔTE D'IVOIRE\nLa côte");
    CHECK_STR_EQ(info.encoding, "WINDOWS-1252");
    free(t);
    /* Windows-1251: a Russian text the detector knows. */
    static const char r[] =
        "\xCD\xE0\xF6\xE8\xEE\xED\xE0\xEB\xFC\xED\xE0\xFF \xF1\xF2\xF0\xE0"
        "\xF2\xE5\xE3\xE8\xFF \xEA\xE8\xE1\xE5\xF0\xE1\xE5\xE7\xEE\xEF\xE0"
        "\xF1\xED\xEE\xF1\xF2\xE8 \xEF\xF0\xE8\xED\xFF\xF2\xE0 \xE2 2013 "
        "\xE3\xEE\xE4\xF3. \xCD\xE0\xF6\xE8\xEE\xED\xE0\xEB\xFC\xED\xFB\xE9 "
        "\xF6\xE5\xED\xF2\xF0 \xF0\xE5\xE0\xE3\xE8\xF0\xEE\xE2\xE0\xED\xE8"
        "\xFF \xED\xE0 \xEA\xEE\xEC\xEF\xFC\xFE\xF2\xE5\xF0\xED\xFB\xE5 "
        "\xE8\xED\xF6\xE8\xE4\xE5\xED\xF2\xFB.";
    t = dec(r, sizeof r - 1, NULL, &info, &err);
    CHECK(t && strstr(t, "Национальная стратегия кибербезопасности"));
    CHECK_STR_EQ(info.encoding, "WINDOWS-1251");
    free(t);
}

static void check_refused(const char *data, size_t n, unsigned line,
                          unsigned col, unsigned byte, size_t offset)
{
    struct decode_info info;
    struct cw_error err;
    char *t = dec(data, n, NULL, &info, &err);
    CHECK(t == NULL);
    free(t);
    CHECK_INT_EQ(err.code, CW_ERR_PARSE);
    CHECK_STR_EQ(err.file, "t.txt");
    CHECK_INT_EQ(err.line, line);
    CHECK_INT_EQ(err.col, col);
    char msg[240];
    snprintf(msg, sizeof msg,
             "cannot read the document: byte 0x%02x at byte offset %zu is "
             "not UTF-8, and no other encoding (WINDOWS-1252, GBK, the "
             "detector's guess) reads it plausibly; give --encoding NAME",
             byte, offset);
    CHECK_STR_EQ(err.msg, msg);
}

static void test_refused(void)
{
    /* Broken UTF-8 reads as mojibake in every legacy encoding. */
    check_refused("x\xC3", 2, 1, 2, 0xc3, 1);
    check_refused("ok\n\xC0\xAF", 5, 2, 1, 0xc0, 3);
    /* CR CR LF ends one line; the column counts characters. */
    static const char crcrlf[] = "a\r\r\ncafé \xFF";
    check_refused(crcrlf, sizeof crcrlf - 1, 2, 6, 0xff, 10);
    struct decode_info info;
    struct cw_error err;
    static const char cafe[] = "ok caf\xC3\xA9 \xFF";
    char *t = dec(cafe, sizeof cafe - 1, NULL, &info, &err);
    CHECK(t == NULL);
    free(t);
    CHECK_STR_EQ(err.src, "ok café ");
}

static void test_forced(void)
{
    struct decode_info info;
    struct cw_error err;
    static const char w[] = "a\nSpain\x92s";
    char *t = dec(w, sizeof w - 1, "windows-1252", &info, &err);
    CHECK_STR_EQ(t, "a\nSpain’s");
    CHECK_STR_EQ(info.encoding, "WINDOWS-1252");
    CHECK(info.is_forced && info.is_transcoded && !info.is_unsure);
    free(t);
    /* The same bytes forced as GBK: 0x92 0x73 is a Chinese character,
     * which is what was asked for. */
    t = dec(w, sizeof w - 1, "GBK", &info, &err);
    CHECK(t && !strstr(t, "’"));
    free(t);
    /* Forced UTF-8 on Windows-1252: the first bad byte. */
    t = dec(w, sizeof w - 1, "UTF-8", &info, &err);
    CHECK(t == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_PARSE);
    CHECK_INT_EQ(err.line, 2);
    CHECK_INT_EQ(err.col, 6);
    CHECK_STR_EQ(err.msg, "invalid UTF-8 byte 0x92 at byte offset 7");
    free(t);
    /* GBK refuses 0xFF. */
    t = dec("ab\n\xFF\x30", 5, "GBK", &info, &err);
    CHECK(t == NULL);
    CHECK_INT_EQ(err.line, 2);
    CHECK_INT_EQ(err.col, 1);
    CHECK_STR_EQ(err.msg, "invalid GBK byte sequence 0xff 0x30 at byte "
                          "offset 3");
    /* An encoding iconv does not know is a usage error. */
    t = dec("ab", 2, "KLINGON-8", &info, &err);
    CHECK(t == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_USAGE);
    CHECK_STR_EQ(err.msg,
                 "unknown encoding 'KLINGON-8': iconv cannot convert it to "
                 "UTF-8");
    CHECK(decode_is_known("gbk") && !decode_is_known("KLINGON-8"));
}

static void test_plausibility(void)
{
    CHECK(decode_plausibility("plain ASCII", 11) == 0);
    CHECK(decode_plausibility("Spain’s", strlen("Spain’s")) > 0);
    CHECK(decode_plausibility("§ 1029", strlen("§ 1029")) > 0);
    CHECK(decode_plausibility("¡ì 1029", strlen("¡ì 1029")) < 0);
    CHECK(decode_plausibility("Spainâ€™s", strlen("Spainâ€™s")) < 0);
    CHECK(decode_plausibility("créée", strlen("créée")) >= 0);
    CHECK(decode_plausibility("Spain乭 ", strlen("Spain乭 ")) < 0);
    CHECK(decode_plausibility("\xC2\x92", 2) < 0); /* a C1 control */
    /* The reading of a Windows-1252 apostrophe beats Mac Central
     * European's "í" by a clear margin. */
    CHECK(decode_plausibility("Spain’s", strlen("Spain’s")) -
              decode_plausibility("Spainís", strlen("Spainís")) >=
          3);
}

static void test_describe(void)
{
    struct decode_info info = {0};
    struct strbuf sb = STRBUF_INIT;
    memcpy(info.encoding, "ASCII", 6);
    decode_describe(&info, &sb);
    CHECK_STR_EQ(sb.buf, "ASCII");
    strbuf_reset(&sb);
    CHECK(!decode_warning(&info, &sb));
    CHECK_STR_EQ(sb.buf, "");
    memcpy(info.encoding, "GBK", 4);
    memcpy(info.detected, "WINDOWS-1258", 13);
    info.is_transcoded = info.is_unsure = true;
    CHECK(decode_warning(&info, &sb));
    CHECK_STR_EQ(sb.buf, "read as GBK (transcoded to UTF-8; a guess: the "
                         "detector said WINDOWS-1258); check the text "
                         "(cyberwell parse) or give --encoding NAME");
    strbuf_reset(&sb);
    decode_json(&info, &sb);
    CHECK_STR_EQ(sb.buf, "{\"name\":\"GBK\",\"bom\":false,\"transcoded\":true,"
                         "\"detected\":\"WINDOWS-1258\",\"unsure\":true,"
                         "\"forced\":false}");
    strbuf_release(&sb);
}

/* ---- the real profiles ---------------------------------------------- */

struct truth {
    char file[32];
    char encoding[DECODE_NAME_MAX];
};

struct truths {
    struct truth *v;
    size_t n, cap;
};

static int on_truth(void *ctx, char **f, size_t n, unsigned line,
                    struct cw_error *err)
{
    struct truths *ts = ctx;
    (void)err;
    if (line == 1 || n < 2)
        return CW_OK;
    CW_GROW(ts->v, ts->n + 1, ts->cap);
    snprintf(ts->v[ts->n].file, sizeof ts->v[ts->n].file, "%s", f[0]);
    snprintf(ts->v[ts->n].encoding, sizeof ts->v[ts->n].encoding, "%s", f[1]);
    ts->n++;
    return CW_OK;
}

/* Whether the detector's name means the true encoding. */
static bool same_name(const char *truth, const char *said)
{
    if (!strcmp(truth, said))
        return true;
    return !strcmp(truth, "GBK") &&
           (!strcmp(said, "GB18030") || !strcmp(said, "CP936"));
}

/* Whether decoding with name gives the text of the true reading. */
static bool same_text(const char *data, size_t len, const char *name,
                      const struct decode_result *truth)
{
    struct decode_result r;
    struct cw_error err;
    decode_result_init(&r);
    bool ok = *name && decode_buffer("x", data, len, name, &r, &err) == 0 &&
              r.len == truth->len && !memcmp(r.text, truth->text, r.len);
    decode_result_release(&r);
    return ok;
}

static void test_corpus(void)
{
    const char *dir = CW_SHARED_DIR "/data/itu-profiles";
    if (!fileio_is_dir(dir)) {
        printf("SKIP: corpus part: %s is absent\n", dir);
        return;
    }
    struct truths ts = {0};
    struct cw_error err;
    CHECK_INT_EQ(csvio_read(SRC("tests/fixtures/decode/itu-encodings.csv"),
                            on_truth, &ts, &err),
                 CW_OK);
    CHECK_INT_EQ(ts.n, 161);
    static const char *const kinds[] = {"ASCII", "UTF-8", "WINDOWS-1252",
                                        "GBK"};
    size_t files[4] = {0}, det_name[4] = {0}, det_text[4] = {0},
           chosen[4] = {0};
    for (size_t i = 0; i < ts.n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, ts.v[i].file);
        struct strbuf data = STRBUF_INIT;
        CHECK_INT_EQ(fileio_read(path, 1 << 24, &data, &err), CW_OK);
        size_t k = 0;
        while (k < 4 && strcmp(kinds[k], ts.v[i].encoding))
            k++;
        CHECK(k < 4);
        if (k == 4) {
            strbuf_release(&data);
            continue;
        }
        files[k]++;
        /* The true reading. */
        struct decode_result truth, got;
        decode_result_init(&truth);
        decode_result_init(&got);
        CHECK_INT_EQ(decode_buffer(path, data.buf, data.len,
                                   k == 0 ? "UTF-8" : ts.v[i].encoding, &truth,
                                   &err),
                     CW_OK);
        /* The detector alone. */
        char said[DECODE_NAME_MAX];
        decode_detect(data.buf, data.len, said);
        det_name[k] += same_name(ts.v[i].encoding, said);
        det_text[k] += same_text(data.buf, data.len, said, &truth);
        /* The chooser. */
        int rc = decode_buffer(path, data.buf, data.len, NULL, &got, &err);
        bool right = rc == 0 && !strcmp(got.info.encoding, ts.v[i].encoding) &&
                     got.len == truth.len &&
                     !memcmp(got.text, truth.text, got.len);
        if (!right)
            fprintf(stderr, "%s: read as %s, truly %s\n", ts.v[i].file,
                    rc ? err.msg : got.info.encoding, ts.v[i].encoding);
        CHECK(right);
        chosen[k] += right;
        decode_result_release(&truth);
        decode_result_release(&got);
        strbuf_release(&data);
    }
    printf("%-13s %5s %14s %14s %8s\n", "encoding", "files", "uchardet name",
           "uchardet text", "chooser");
    for (size_t k = 0; k < 4; k++)
        printf("%-13s %5zu %14zu %14zu %8zu\n", kinds[k], files[k], det_name[k],
               det_text[k], chosen[k]);
    free(ts.v);
}

int main(void)
{
    test_fast_path();
    test_unicode_marks();
    test_legacy();
    test_refused();
    test_forced();
    test_plausibility();
    test_describe();
    test_corpus();
    return test_summary();
}
