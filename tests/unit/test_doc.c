/*
 * Unit tests for core/doc: the Belgium profile read field by field, every
 * layout fixture read to the same sections and units, bad input refused
 * with its location, and regression tests for the parser traps.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/doc.h"
#include "test.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* The sections of the Belgium profile, in order, with their heading line. */
static const struct {
    const char *number, *title;
    unsigned line;
} bel_sections[] = {
    {"1", "CYBERSECURITY", 19},
    {"1.1", "LEGAL MEASURES", 21},
    {"1.1.1", "CRIMINAL LEGISLATION", 23},
    {"1.1.2", "REGULATION AND COMPLIANCE", 29},
    {"1.2", "TECHNICAL MEASURES", 38},
    {"1.2.1", "CIRT", 40},
    {"1.2.2", "STANDARDS", 44},
    {"1.2.3", "CERTIFICATION", 48},
    {"1.3", "ORGANIZATION MEASURES", 52},
    {"1.3.1", "POLICY", 54},
    {"1.3.2", "ROADMAP FOR GOVERNANCE", 58},
    {"1.3.3", "RESPONSIBLE AGENCY", 62},
    {"1.3.4", "NATIONAL BENCHMARKING", 66},
    {"1.4", "CAPACITY BUILDING", 70},
    {"1.4.1", "STANDARDISATION DEVELOPMENT", 72},
    {"1.4.2", "MANPOWER DEVELOPMENT", 76},
    {"1.4.3", "PROFESSIONAL CERTIFICATION", 80},
    {"1.4.4", "AGENCY CERTIFICATION", 84},
    {"1.5", "COOPERATION", 88},
    {"1.5.1", "INTRA-STATE COOPERATION", 90},
    {"1.5.2", "INTRA-AGENCY COOPERATION", 94},
    {"1.5.3", "PUBLIC SECTOR PARTNERSHIP", 98},
    {"1.5.4", "INTERNATIONAL COOPERATION", 102},
    {"2", "CHILD ONLINE PROTECTION", 106},
    {"2.1", "NATIONAL LEGISLATION", 108},
    {"2.2", "UN CONVENTION AND PROTOCOL", 114},
    {"2.3", "INSTITUTIONAL SUPPORT", 120},
    {"2.4", "REPORTING MECHANISM", 124},
};

/* Heading titles a layout fixture changes on purpose (README.md there). */
static const struct {
    const char *file, *number, *title;
} changed_titles[] = {
    {"bel-headings.txt", "1.1", "Legal Measures"},
    {"bel-headings.txt", "1.2.1", "CERT"},
    {"bel-headings.txt", "1.3", "ORGANIZATIONAL MEASURES"},
    {"bel-headings.txt", "1.3.4", "national benchmarking"},
    {"bel-headings.txt", "1.4.1", "Standardisation Development"},
    {"bel-headings.txt", "1.5.3", "PUBLIC-PRIVATE PARTNERSHIP"},
    {"bel-doublespaced.txt", "1.2.1", "CIRT & RCC"},
};

/* Fixtures that keep bel.txt's line structure, so every line must match. */
static const char *const same_lines[] = {
    "bel-crlf.txt",     "bel-utf8.txt",          "bel-headings.txt",
    "bel-utf8-bom.txt", "bel-utf16le.txt",       "bel-utf16be.txt",
    "bel-cp1252.txt",   "bel-utf16le-nobom.txt", "bel-gbk.txt"};

/* Parse text that must fail; err gets the error. */
static bool parse_refused(const char *text, struct cw_error *err)
{
    struct doc *d = doc_parse("t.txt", text, strlen(text), err);
    doc_free(d);
    return d == NULL;
}

/* Parse text that must parse; NULL (and a failed check) otherwise. */
static struct doc *parse_ok(const char *text)
{
    struct cw_error err;
    struct doc *d = doc_parse("t.txt", text, strlen(text), &err);
    CHECK(d != NULL);
    if (!d)
        fprintf(stderr, "  unexpected error: %d:%d: %s\n", err.line, err.col,
                err.msg);
    return d;
}

/* The error of text that must fail. */
static void parse_fails(const char *text, size_t len, int code, unsigned line,
                        unsigned col, const char *msg)
{
    struct cw_error err;
    cw_error_clear(&err);
    struct doc *d = doc_parse("bad.txt", text, len, &err);
    CHECK(d == NULL);
    doc_free(d);
    CHECK_INT_EQ(err.code, code);
    CHECK_STR_EQ(err.file, "bad.txt");
    CHECK_INT_EQ(err.line, line);
    CHECK_INT_EQ(err.col, col);
    CHECK_STR_EQ(err.msg, msg);
}

static const char *unit_text(const struct doc *d, const char *number, size_t k)
{
    const struct doc_section *s = doc_find_section(d, number);
    if (!s || k >= s->n_units)
        return NULL;
    return s->units[k].text;
}

/* True when some unit of the section contains needle. */
static bool section_has(const struct doc *d, const char *number,
                        const char *needle)
{
    const struct doc_section *s = d ? doc_find_section(d, number) : NULL;
    for (size_t k = 0; s && k < s->n_units; k++)
        if (strstr(s->units[k].text, needle))
            return true;
    return false;
}

static size_t n_units(const struct doc *d, const char *number)
{
    const struct doc_section *s = doc_find_section(d, number);
    return s ? s->n_units : (size_t)-1;
}

static void test_belgium(void)
{
    struct cw_error err;
    struct doc *d = doc_load(SRC("data/profiles/bel.txt"), &err);
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_STR_EQ(d->title, "BELGIUM");
    CHECK_INT_EQ(d->title_line, 5);
    CHECK(!d->is_collapsed);
    CHECK_STR_EQ(d->hash, "a044c3979a39310438dca87842d2fad0eb2497f6312111001"
                          "e1a58912f05b377");

    CHECK(d->population.is_set);
    CHECK_DBL_EQ(d->population.value, 10788000, 0);
    CHECK_STR_EQ(d->population.source, "United Nations Statistics Division");
    CHECK_STR_EQ(d->population.date, "2012-12");
    CHECK_STR_EQ(d->population.source_text,
                 "United Nations Statistics Division, December 2012");
    CHECK_INT_EQ(d->population.line, 11);
    CHECK(d->internet.is_set);
    CHECK_DBL_EQ(d->internet.value, 82.17, 1e-9);
    CHECK_STR_EQ(d->internet.source, "ITU Statistics");
    CHECK_STR_EQ(d->internet.date, "2013-12");
    CHECK_INT_EQ(d->internet.line, 15);
    CHECK_STR_EQ(d->last_updated, "2015-02-02");
    CHECK_STR_EQ(d->last_updated_text, "Last updated on 2nd February 2015");
    CHECK_INT_EQ(d->n_warnings, 0);

    CHECK_INT_EQ(d->n_sections, N_OF(bel_sections));
    for (size_t i = 0; i < N_OF(bel_sections) && i < d->n_sections; i++) {
        const struct doc_section *s = &d->sections[i];
        CHECK_STR_EQ(s->number, bel_sections[i].number);
        CHECK_STR_EQ(s->title, bel_sections[i].title);
        CHECK_INT_EQ(s->line, bel_sections[i].line);
        unsigned depth = 1;
        for (const char *p = s->number; *p; p++)
            depth += *p == '.';
        CHECK_INT_EQ(s->depth, depth);
        /* Headings of depth 1 and 2 have no body in this profile. */
        if (depth < 3 && strcmp(s->number, "2.1") && strcmp(s->number, "2.2") &&
            strcmp(s->number, "2.3") && strcmp(s->number, "2.4"))
            CHECK_INT_EQ(s->n_units, 0);
    }
    CHECK_STR_EQ(doc_find_section(d, "1.5.3")->title_key,
                 "PUBLIC SECTOR PARTNERSHIP");
    CHECK(doc_find_section(d, "1.6") == NULL);
    CHECK(doc_find_section(d, "3") == NULL);

    /* Sentences and their lines. */
    const struct doc_section *s = doc_find_section(d, "1.1.1");
    CHECK_INT_EQ(s->n_units, 2);
    CHECK_INT_EQ(s->units[0].kind, DOC_SENTENCE);
    CHECK_STR_EQ(s->units[0].text, "Specific legislation on cybercrime has "
                                   "been enacted through the following "
                                   "instrument:");
    CHECK_INT_EQ(s->units[0].line, 25);
    CHECK_INT_EQ(s->units[1].kind, DOC_BULLET);
    CHECK_STR_EQ(s->units[1].text, "Penal Code.");
    CHECK_INT_EQ(s->units[1].line, 27);
    CHECK_INT_EQ(s->n_links, 1);
    CHECK_STR_EQ(s->links[0], "Penal Code");

    s = doc_find_section(d, "1.1.2");
    static const char *const bullets[] = {
        "Electronic Communications Act",
        "Law on Electronic Signatures and certification services",
        "Law on Certain legal aspects of the Information Society",
        ("Law on the protection of private life with regard to the "
         "processing of personal data.")};
    CHECK_INT_EQ(s->n_units, 5);
    CHECK_INT_EQ(s->units[0].kind, DOC_SENTENCE);
    CHECK_INT_EQ(s->units[0].line, 31);
    for (size_t k = 0; k < 4 && k + 1 < s->n_units; k++) {
        CHECK_INT_EQ(s->units[k + 1].kind, DOC_BULLET);
        CHECK_STR_EQ(s->units[k + 1].text, bullets[k]);
        CHECK_INT_EQ(s->units[k + 1].line, 33 + k);
    }
    CHECK_INT_EQ(s->n_links, 0);

    s = doc_find_section(d, "1.2.1");
    CHECK_INT_EQ(s->n_units, 1);
    CHECK_INT_EQ(s->units[0].line, 42);
    CHECK_STR_EQ(s->units[0].text,
                 "Belgium has an officially recognized national CIRT known as "
                 "CERT.be formerly Belnet CERT (both CERTs have since merged) "
                 "and it is operated by Belnet, the Belgian national research "
                 "network, on behalf of Fedict.");
    CHECK_STR_EQ(s->units[0].norm,
                 "belgium has an officially recognized national cirt known as "
                 "cert.be formerly belnet cert (both certs have since merged) "
                 "and it is operated by belnet, the belgian national research "
                 "network, on behalf of fedict.");
    static const char *const links[] = {"CERT.be", "Belnet CERT", "Belnet",
                                        "Fedict"};
    CHECK_INT_EQ(s->n_links, 4);
    for (size_t k = 0; k < 4 && k < s->n_links; k++)
        CHECK_STR_EQ(s->links[k], links[k]);

    s = doc_find_section(d, "1.3.3");
    CHECK_INT_EQ(s->n_links, 3);
    CHECK_STR_EQ(s->links[2], "CCSB");
    CHECK_STR_EQ(s->units[0].text,
                 "The CERT.be, Fedict and the Centre Cyber Security Belgique "
                 "(CCSB) monitor and coordinate the implementation of the "
                 "national cybersecurity strategy and policy.");

    CHECK_INT_EQ(doc_find_section(d, "1.4.3")->units[0].line, 82);
    /* "a.o." does not end the sentence. */
    CHECK_INT_EQ(n_units(d, "1.5.1"), 1);
    /* "articles 2 and 3" is running text, not headings 2 and 3. */
    s = doc_find_section(d, "2.2");
    CHECK_INT_EQ(s->n_units, 2);
    CHECK_INT_EQ(s->units[0].line, 116);
    CHECK_INT_EQ(s->units[1].line, 118);
    CHECK(strstr(s->units[1].text, "to articles 2 and 3, to the Optional") !=
          NULL);
    s = doc_find_section(d, "2.1");
    CHECK_INT_EQ(s->n_units, 2);
    CHECK_STR_EQ(s->units[1].text,
                 "Articles 383, 383bis, 385, 386 and 387* of the Criminal "
                 "Code.");
    CHECK_INT_EQ(s->n_links, 2);
    /* The trailer (disclaimer, "more information", last updated) is not
     * part of 2.4. */
    s = doc_find_section(d, "2.4");
    CHECK_INT_EQ(s->n_units, 1);
    CHECK_STR_EQ(s->units[0].text, "Online child abuse images can be reported "
                                   "www.stopchildporno.be.");
    CHECK_INT_EQ(s->units[0].line, 126);
    doc_free(d);
}

static const char *changed_title(const char *file, const char *number)
{
    for (size_t i = 0; i < N_OF(changed_titles); i++)
        if (!strcmp(changed_titles[i].file, file) &&
            !strcmp(changed_titles[i].number, number))
            return changed_titles[i].title;
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compare one layout fixture with bel.txt, section by section, unit by
 * unit. */
static void compare_layout(const struct doc *ref, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SRC("tests/fixtures/layouts"), name);
    struct cw_error err;
    struct doc *d = doc_load(path, &err);
    CHECK(d != NULL);
    if (!d) {
        fprintf(stderr, "  %s: %s\n", name, err.msg);
        return;
    }
    size_t failed_before = (size_t)test_failed;
    bool lines_too = false;
    for (size_t i = 0; i < N_OF(same_lines); i++)
        lines_too = lines_too || !strcmp(same_lines[i], name);

    CHECK_STR_EQ(d->title, "BELGIUM");
    CHECK_DBL_EQ(d->population.value, 10788000, 0);
    CHECK_STR_EQ(d->population.source, "United Nations Statistics Division");
    CHECK_STR_EQ(d->population.date, "2012-12");
    CHECK_DBL_EQ(d->internet.value, 82.17, 1e-9);
    CHECK_STR_EQ(d->internet.source, "ITU Statistics");
    CHECK_STR_EQ(d->internet.date, "2013-12");
    CHECK_STR_EQ(d->last_updated, "2015-02-02");
    CHECK_INT_EQ(d->n_sections, ref->n_sections);
    for (size_t i = 0; i < ref->n_sections && i < d->n_sections; i++) {
        const struct doc_section *a = &ref->sections[i], *b = &d->sections[i];
        CHECK_STR_EQ(b->number, a->number);
        const char *want = changed_title(name, a->number);
        CHECK_STR_EQ(b->title, want ? want : a->title);
        CHECK_INT_EQ(b->n_units, a->n_units);
        for (size_t k = 0; k < a->n_units && k < b->n_units; k++) {
            CHECK_INT_EQ(b->units[k].kind, a->units[k].kind);
            CHECK_STR_EQ(b->units[k].text, a->units[k].text);
            if (lines_too)
                CHECK_INT_EQ(b->units[k].line, a->units[k].line);
        }
        CHECK_INT_EQ(b->n_links, a->n_links);
        if (lines_too)
            CHECK_INT_EQ(b->line, a->line);
    }
    if ((size_t)test_failed != failed_before)
        fprintf(stderr, "  (in layout fixture %s)\n", name);
    doc_free(d);
}

static void test_layouts(void)
{
    struct cw_error err;
    struct doc *ref = doc_load(SRC("data/profiles/bel.txt"), &err);
    CHECK(ref != NULL);
    DIR *dir = opendir(SRC("tests/fixtures/layouts"));
    CHECK(dir != NULL);
    if (!ref || !dir) {
        doc_free(ref);
        if (dir)
            closedir(dir);
        return;
    }
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n < N_OF(names)) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".txt"))
            names[n++] = xstrdup(e->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_str);
    CHECK(n >= 7); /* README.md there lists seven */
    for (size_t i = 0; i < n; i++) {
        compare_layout(ref, names[i]);
        free(names[i]);
    }
    /* Layout flags. */
    struct doc *c =
        doc_load(SRC("tests/fixtures/layouts/bel-collapsed.txt"), &err);
    CHECK(c && c->is_collapsed);
    doc_free(c);
    doc_free(ref);
}

static void test_bad_input(void)
{
    parse_fails("", 0, CW_ERR_PARSE, 0, 0, "document is empty");
    parse_fails(" \n\t\n   \r\n\f\n", 11, CW_ERR_PARSE, 0, 0,
                "document is empty");
    /* A page number alone is no text either. */
    parse_fails("\n 1 \n", 5, CW_ERR_PARSE, 0, 0, "document is empty");

    static const char nul[] = "1.1.1 CRIMINAL LEGISLATION\n\nab\0cd\n";
    parse_fails(nul, sizeof nul - 1, CW_ERR_PARSE, 3, 3,
                "binary data: NUL byte; a profile must be text");
    /* Bytes that no encoding reads plausibly (the decoder's own tests
     * cover the readings that succeed). The column counts characters. */
    parse_fails("1.1 LEGAL MEASURES\ncaf\xc3\xa9 \xff", 26, CW_ERR_PARSE, 2, 6,
                "cannot read the document: byte 0xff at byte offset 25 is "
                "not UTF-8, and no other encoding (WINDOWS-1252, GBK, the "
                "detector's guess) reads it plausibly; give --encoding NAME");
    parse_fails("x\xc3", 2, CW_ERR_PARSE, 1, 2,
                "cannot read the document: byte 0xc3 at byte offset 1 is "
                "not UTF-8, and no other encoding (WINDOWS-1252, GBK, the "
                "detector's guess) reads it plausibly; give --encoding NAME");
    parse_fails("\xc0\xaf", 2, CW_ERR_PARSE, 1, 1, /* overlong '/' */
                "cannot read the document: byte 0xc0 at byte offset 0 is "
                "not UTF-8, and no other encoding (WINDOWS-1252, GBK, the "
                "detector's guess) reads it plausibly; give --encoding NAME");
    parse_fails("\xed\xa0\x80", 3, CW_ERR_PARSE, 1, 1, /* a surrogate */
                "cannot read the document: byte 0xed at byte offset 0 is "
                "not UTF-8, and no other encoding (WINDOWS-1252, GBK, the "
                "detector's guess) reads it plausibly; give --encoding NAME");
    parse_fails("\r\n\r\n\xfe", 5, CW_ERR_PARSE, 3, 1,
                "cannot read the document: byte 0xfe at byte offset 4 is "
                "not UTF-8, and no other encoding (WINDOWS-1252, GBK, the "
                "detector's guess) reads it plausibly; give --encoding NAME");
    /* The message carries the line up to the fault. */
    struct cw_error err;
    CHECK(parse_refused("ok caf\xc3\xa9 \xff", &err));
    CHECK_STR_EQ(err.src, "ok caf\xc3\xa9 ");

    static const char *const no_sections =
        "CYBERWELLNESS PROFILE BELGIUM\nJust some text about 2013.\n";
    parse_fails(no_sections, strlen(no_sections), CW_ERR_PARSE, 0, 0,
                "no numbered sections found; a Cyberwellness Profile has "
                "headings such as '1.1.1 CRIMINAL LEGISLATION'");

    static const char *const twice = "1.1.1 CRIMINAL LEGISLATION\nA law.\n"
                                     "1.1.2 REGULATION AND COMPLIANCE\nB.\n"
                                     "1.1.1 CRIMINAL LEGISLATION\nC.\n";
    parse_fails(twice, strlen(twice), CW_ERR_PARSE, 5, 0,
                "section 1.1.1 appears twice (first at line 1)");
    CHECK(parse_refused(twice, &err));
    CHECK_STR_EQ(err.src, "1.1.1 CRIMINAL LEGISLATION");
}

static void test_limits(void)
{
    /* The whole document, through doc_parse and doc_load. */
    size_t big = DOC_MAX_BYTES + 1;
    char *buf = malloc(big);
    CHECK(buf != NULL);
    if (buf) {
        memset(buf, 'a', big);
        parse_fails(buf, big, CW_ERR_LIMIT, 0, 0,
                    "document is 16777217 bytes, over the limit of 16777216 "
                    "bytes");
        free(buf);
    }
    char path[] = "/tmp/cyberwell-test-docXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK_INT_EQ(ftruncate(fd, (off_t)big), 0);
        close(fd);
        struct cw_error err;
        CHECK(doc_load(path, &err) == NULL);
        CHECK_INT_EQ(err.code, CW_ERR_LIMIT);
        CHECK_STR_EQ(err.file, path);
        CHECK_STR_EQ(err.msg, "file is 16777217 bytes, over the limit of "
                              "16777216 bytes");
        unlink(path);
    }

    /* One sentence: DOC_MAX_UNIT_LEN bytes pass, one more does not. */
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "1.1.1 CRIMINAL LEGISLATION\n");
    for (size_t i = 0; i < DOC_MAX_UNIT_LEN; i++)
        strbuf_addch(&sb, 'a');
    struct doc *d = parse_ok(sb.buf);
    CHECK(d && d->sections[0].n_units == 1 &&
          strlen(d->sections[0].units[0].text) == DOC_MAX_UNIT_LEN);
    doc_free(d);
    strbuf_addch(&sb, 'a');
    parse_fails(sb.buf, sb.len, CW_ERR_LIMIT, 2, 0,
                "sentence longer than 65536 bytes in section 1.1.1");

    /* One line, before any sentence is cut. */
    strbuf_reset(&sb);
    strbuf_adds(&sb, "1.1.1 CRIMINAL LEGISLATION\nA.\n");
    for (size_t i = 0; i <= DOC_MAX_LINE_LEN; i++)
        strbuf_adds(&sb, i % 2 ? "." : "A");
    parse_fails(sb.buf, sb.len, CW_ERR_LIMIT, 3, 0,
                "line longer than 262144 bytes");

    /* Units in one section. */
    strbuf_reset(&sb);
    strbuf_adds(&sb, "1.1.1 CRIMINAL LEGISLATION\n");
    for (size_t i = 0; i < DOC_MAX_UNITS; i++)
        strbuf_adds(&sb, "A law. ");
    d = parse_ok(sb.buf);
    CHECK(d && d->sections[0].n_units == DOC_MAX_UNITS);
    doc_free(d);
    strbuf_adds(&sb, "One more.");
    parse_fails(sb.buf, sb.len, CW_ERR_LIMIT, 2, 0,
                "section 1.1.1 has more than 2000 sentences and bullets");

    /* Sections: 400 pass, the 401st is over the cap. */
    strbuf_reset(&sb);
    unsigned n = 0;
    for (unsigned a = 1; a <= 9 && n <= DOC_MAX_SECTIONS; a++)
        for (unsigned b = 1; b <= 99 && n <= DOC_MAX_SECTIONS; b++, n++)
            strbuf_addf(&sb, "1.%u.%u SOME PART\nText.\n", a, b);
    const char *last = strstr(sb.buf, "1.5.5 SOME PART"); /* the 401st */
    CHECK(last != NULL);
    size_t keep = last ? (size_t)(last - sb.buf) : 0;
    d = doc_parse("t.txt", sb.buf, keep, NULL);
    CHECK(d && d->n_sections == DOC_MAX_SECTIONS);
    doc_free(d);
    parse_fails(sb.buf, sb.len, CW_ERR_LIMIT, 801, 0,
                "more than 400 numbered sections");
    strbuf_release(&sb);
}

/* Regression tests for the traps of real conversions. */
static void test_traps(void)
{
    /* "1.5 million" starting a wrapped line is not a heading 1.5. */
    struct doc *d = parse_ok("1.1.1 CRIMINAL LEGISLATION\n"
                             "Belgium counts\n"
                             "1.5 million internet users in 2013\n"
                             "and more.\n"
                             "1.1.2 REGULATION AND COMPLIANCE\n"
                             "It has a law.\n");
    CHECK(d && d->n_sections == 2 && !doc_find_section(d, "1.5"));
    CHECK(d && d->n_warnings == 1); /* no title; no "out of order" */
    CHECK_STR_EQ(d ? unit_text(d, "1.1.1", 0) : NULL,
                 "Belgium counts 1.5 million internet users in 2013 and "
                 "more.");
    doc_free(d);

    /* "articles 2 and 3" at the start of a line, and numbers inline. */
    d = parse_ok("2.2 UN CONVENTION AND PROTOCOL\n"
                 "Belgium has acceded, with no reservations to articles\n"
                 "2 and 3, to the Protocol. It has 1.5 million users and\n"
                 "82.17% of them are online.\n");
    CHECK(d && d->n_sections == 1 && n_units(d, "2.2") == 2);
    CHECK_STR_EQ(d ? unit_text(d, "2.2", 1) : NULL,
                 "It has 1.5 million users and 82.17% of them are online.");
    doc_free(d);

    /* Known titles only at their depth: "2 CERT teams" and "version 2.1
     * standards" in collapsed text are not sections 2 and 2.1, so the real
     * ones are not duplicates. */
    d = parse_ok("1. CYBERSECURITY 1.1 LEGAL MEASURES 1.1.1 CRIMINAL "
                 "LEGISLATION Belgium has 2 CERT teams. 1.1.2 REGULATION AND "
                 "COMPLIANCE Under ISO 27001 version 2.1 standards were "
                 "adopted. 2. CHILD ONLINE PROTECTION 2.1 NATIONAL "
                 "LEGISLATION A law.");
    CHECK(d && d->n_sections == 6 && d->n_warnings == 1);
    CHECK_STR_EQ(d ? unit_text(d, "1.1.1", 0) : NULL,
                 "Belgium has 2 CERT teams.");
    CHECK_STR_EQ(d ? unit_text(d, "1.1.2", 0) : NULL,
                 "Under ISO 27001 version 2.1 standards were adopted.");
    CHECK_STR_EQ(d ? doc_find_section(d, "2")->title : NULL,
                 "CHILD ONLINE PROTECTION");
    doc_free(d);

    /* A numbered list inside a section is not a run of headings, in
     * sentence case or in title case (a known heading overrules it). */
    d = parse_ok("1.1.1 CRIMINAL LEGISLATION\n"
                 "The following laws apply:\n"
                 "1. Penal Code\n"
                 "2. Law on data protection\n"
                 "1.1.2 REGULATION AND COMPLIANCE\n"
                 "2. Law On Data Protection\n"
                 "2. CHILD ONLINE PROTECTION\n"
                 "2.1 NATIONAL LEGISLATION\n"
                 "Text.\n");
    CHECK(d && d->n_sections == 4);
    CHECK(d && d->n_warnings == 1); /* no title; nothing out of order */
    CHECK_STR_EQ(d ? doc_find_section(d, "2")->title : NULL,
                 "CHILD ONLINE PROTECTION");
    CHECK(section_has(d, "1.1.1", "Law on data protection"));
    CHECK(section_has(d, "1.1.2", "Law On Data Protection"));
    doc_free(d);

    /* An unknown title-case heading alone on its line is still one. */
    d = parse_ok("1.1.1 CRIMINAL LEGISLATION\nA law.\n"
                 "1.1.2 Rules of the Road\nText.\n");
    CHECK_STR_EQ(d && d->n_sections == 2 ? d->sections[1].title : NULL,
                 "Rules of the Road");
    doc_free(d);

    /* A duplicated heading after a lower one is still a duplicate. */
    struct cw_error err;
    CHECK(parse_refused("1.2 TECHNICAL MEASURES\n1.1 LEGAL MEASURES\n"
                        "1.2 TECHNICAL MEASURES\n",
                        &err));
    CHECK_INT_EQ(err.line, 3);
    CHECK_STR_EQ(err.msg, "section 1.2 appears twice (first at line 1)");
    /* Out of order but not twice: a warning. */
    d = parse_ok("1.2 TECHNICAL MEASURES\n1.1 LEGAL MEASURES\n");
    CHECK(d && d->n_warnings == 2);
    CHECK_STR_EQ(d ? d->warnings[0].msg : NULL,
                 "section 1.1 is out of order (after 1.2)");
    CHECK_INT_EQ(d ? d->warnings[0].line : 0, 2);
    doc_free(d);

    /* A stray page number between a heading and its body, on its own line
     * and inline. */
    d = parse_ok("1.3.4 NATIONAL BENCHMARKING\n1\nBelgium does not have any "
                 "benchmarking.\n 2 \n1.4 CAPACITY BUILDING\n");
    CHECK(d && n_units(d, "1.3.4") == 1);
    CHECK_STR_EQ(d ? unit_text(d, "1.3.4", 0) : NULL,
                 "Belgium does not have any benchmarking.");
    CHECK_INT_EQ(d ? doc_find_section(d, "1.3.4")->units[0].line : 0, 3);
    doc_free(d);
    d = parse_ok("1.3.3 RESPONSIBLE AGENCY Fedict does. 1 1.3.4 NATIONAL "
                 "BENCHMARKING 1 Belgium does not have any benchmarking. "
                 "1.4 CAPACITY BUILDING");
    CHECK(d && d->n_sections == 3);
    CHECK_STR_EQ(d ? unit_text(d, "1.3.3", 0) : NULL, "Fedict does.");
    CHECK_INT_EQ(n_units(d, "1.3.3"), 1);
    CHECK_STR_EQ(d ? unit_text(d, "1.3.4", 0) : NULL,
                 "Belgium does not have any benchmarking.");
    doc_free(d);

    /* "There is a" and "There is no" are both kept whole. */
    d = parse_ok("1.3.2 ROADMAP FOR GOVERNANCE\nThere is a national roadmap. "
                 "There is no agency.\n");
    CHECK_STR_EQ(d ? unit_text(d, "1.3.2", 0) : NULL,
                 "There is a national roadmap.");
    CHECK_STR_EQ(d ? d->sections[0].units[1].norm : NULL,
                 "there is no agency.");
    doc_free(d);

    /* Hyphenation: a syllable break is joined without the hyphen; a
     * compound broken at its own hyphen keeps it; the sentence keeps the
     * line it starts on. */
    d = parse_ok("1.5.1 INTRA-STATE COOPERATION\n"
                 "Intro.\n"
                 "The legis-\n"
                 "lation names the B-\n"
                 "CCENTRE, CERT-\n"
                 "RO and the e-\n"
                 "government portal, sector-\n"
                 "specific.\n");
    CHECK_STR_EQ(d ? unit_text(d, "1.5.1", 1) : NULL,
                 "The legislation names the B-CCENTRE, CERT-RO and the "
                 "e-government portal, sectorspecific.");
    CHECK_INT_EQ(d ? d->sections[0].units[1].line : 0, 3);
    doc_free(d);

    /* "St. Kitts", initials and "a.o." do not end a sentence. */
    d = parse_ok("1.5.4 INTERNATIONAL COOPERATION\nThe CIRT of St. Kitts and "
                 "Nevis works with J. Smith, a.o. Partners. It is a member "
                 "of FIRST. Is it? Yes! Done.\n");
    CHECK_INT_EQ(n_units(d, "1.5.4"), 5);
    CHECK_STR_EQ(d ? unit_text(d, "1.5.4", 0) : NULL,
                 "The CIRT of St. Kitts and Nevis works with J. Smith, a.o. "
                 "Partners.");
    CHECK_STR_EQ(d ? unit_text(d, "1.5.4", 3) : NULL, "Yes!");
    doc_free(d);

    /* Data sources back to back after both figures; the wording varies. */
    d = parse_ok("CYBERWELLNESS PROFILE SAINT KITTS AND NEVIS\nBACKGROUND\n"
                 "Total Population: 54 000\n"
                 "Internet users, percentage of population: 80.00%\n"
                 "(data source: United Nations Statistics Division , December "
                 "2012)\n"
                 "(data source: ITU Statistics,2013)\n"
                 "1. CYBERSECURITY\n");
    CHECK_STR_EQ(d ? d->title : NULL, "SAINT KITTS AND NEVIS");
    CHECK_DBL_EQ(d ? d->population.value : 0, 54000, 0);
    CHECK_INT_EQ(d ? d->population.line : 0, 3);
    CHECK_STR_EQ(d ? d->population.source : NULL,
                 "United Nations Statistics Division");
    CHECK_STR_EQ(d ? d->population.date : NULL, "2012-12");
    CHECK_DBL_EQ(d ? d->internet.value : 0, 80.0, 1e-9);
    CHECK_STR_EQ(d ? d->internet.source : NULL, "ITU Statistics");
    CHECK_STR_EQ(d ? d->internet.date : NULL, "2013");
    CHECK_INT_EQ(d ? n_units(d, "1") : 1, 0);
    CHECK(d && d->last_updated == NULL);
    doc_free(d);

    /* Both figures and sources on one line; four decimals; "ITU Statistics
     * 2013" without a comma; a colon typo for the decimal point. */
    d = parse_ok("CYBERWELLNESS PROFILE JAPAN Total Population: 127 250 000 "
                 "(data source: United Nations Statistics Division, December "
                 "2012) Internet users, percentage of population: 86.2500% "
                 "(data source: ITU Statistics 2013)\n1. CYBERSECURITY\n");
    CHECK_STR_EQ(d ? d->title : NULL, "JAPAN");
    CHECK_DBL_EQ(d ? d->population.value : 0, 127250000, 0);
    CHECK_DBL_EQ(d ? d->internet.value : 0, 86.25, 1e-9);
    CHECK_STR_EQ(d ? d->internet.source : NULL, "ITU Statistics");
    CHECK_STR_EQ(d ? d->internet.date : NULL, "2013");
    doc_free(d);
    d = parse_ok("Internet users, percentage of population: 63:80%\n"
                 "1. CYBERSECURITY\n");
    CHECK_DBL_EQ(d ? d->internet.value : 0, 63.8, 1e-9);
    doc_free(d);

    /* Figures no country can have are reported and left unset (a long run
     * of digits was once stored as infinity). */
    struct strbuf big = STRBUF_INIT;
    strbuf_adds(&big, "Total Population: ");
    for (int i = 0; i < 400; i++)
        strbuf_addch(&big, '9');
    strbuf_adds(&big, "\nInternet users, percentage of population: 182.5%\n"
                      "1. CYBERSECURITY\n");
    d = parse_ok(big.buf);
    CHECK(d && !d->population.is_set && !d->internet.is_set);
    CHECK_INT_EQ(d ? d->n_warnings : 0, 3); /* and section 1 has no text */
    CHECK_STR_EQ(d && d->n_warnings ? d->warnings[0].msg : NULL,
                 "total population '999999999999999999999999...' is over "
                 "10000000000; ignored");
    CHECK_INT_EQ(d && d->n_warnings ? d->warnings[0].line : 0, 1);
    CHECK_STR_EQ(d && d->n_warnings > 1 ? d->warnings[1].msg : NULL,
                 "internet users 182.5% is over 100%; ignored");
    CHECK_INT_EQ(d && d->n_warnings > 1 ? d->warnings[1].line : 0, 2);
    doc_free(d);
    strbuf_release(&big);

    /* The internet line displaced after the 1.1.1 heading (reading-order
     * error) is read as the figure and kept out of 1.1.1's text. */
    d = parse_ok("CYBERWELLNESS PROFILE BELGIUM\nBACKGROUND\n"
                 "Total Population: 10 788 000\n"
                 "(data source: United Nations Statistics Division, December "
                 "2012)\n"
                 "1. CYBERSECURITY\n1.1 LEGAL MEASURES\n"
                 "1.1.1 CRIMINAL LEGISLATION\n"
                 "Internet users, percentage of population: 82.17%\n"
                 "(data source: ITU Statistics, December 2013)\n"
                 "Specific legislation on cybercrime has been enacted through "
                 "the following instrument:\n"
                 "- Penal Code.\n");
    CHECK_DBL_EQ(d ? d->internet.value : 0, 82.17, 1e-9);
    CHECK_INT_EQ(d ? d->internet.line : 0, 8);
    CHECK_STR_EQ(d ? d->internet.date : NULL, "2013-12");
    CHECK_STR_EQ(d ? d->population.date : NULL, "2012-12");
    CHECK_INT_EQ(n_units(d, "1.1.1"), 2);
    CHECK_STR_EQ(d ? unit_text(d, "1.1.1", 0) : NULL,
                 "Specific legislation on cybercrime has been enacted "
                 "through the following instrument:");
    CHECK_INT_EQ(d ? doc_find_section(d, "1.1.1")->units[0].line : 0, 10);
    doc_free(d);

    /* Body text that mentions internet users, the total population or a
     * last update is not a background figure and keeps its words; the
     * labels as printed still are, wherever they sit. */
    d = parse_ok("1.4.2 MANPOWER DEVELOPMENT\n"
                 "Courses reach the total population 2 000 times a year and "
                 "target internet users. The topics are: 1. privacy.\n"
                 "The guide was last updated by the ministry.\n"
                 "2.4 REPORTING MECHANISM\n"
                 "Internet users, percentage of\npopulation: 55.5%\n"
                 "Last updated on 3 March 2015\n");
    CHECK(d && !d->population.is_set);
    CHECK(d && d->internet.is_set);
    CHECK_DBL_EQ(d ? d->internet.value : 0, 55.5, 1e-9);
    CHECK_INT_EQ(d ? d->internet.line : 0, 5);
    CHECK_STR_EQ(d ? d->last_updated : NULL, "2015-03-03");
    CHECK_STR_EQ(d ? unit_text(d, "1.4.2", 0) : NULL,
                 "Courses reach the total population 2 000 times a year and "
                 "target internet users.");
    CHECK_STR_EQ(d ? unit_text(d, "1.4.2", 2) : NULL,
                 "The guide was last updated by the ministry.");
    CHECK_INT_EQ(n_units(d, "2.4"), 0);
    doc_free(d);

    /* Bullets: "-", "--", "*", "•", no space, several on a line. */
    d = parse_ok("1.1.2 REGULATION AND COMPLIANCE\nEnacted through the "
                 "following instruments:\n-One\n-- Two\n* Three\n"
                 "\xe2\x80\xa2 Four - Five -Six\n");
    static const char *const items[] = {"One",  "Two",  "Three",
                                        "Four", "Five", "Six"};
    CHECK_INT_EQ(n_units(d, "1.1.2"), 7);
    for (size_t k = 0; k < N_OF(items); k++) {
        CHECK_STR_EQ(d ? unit_text(d, "1.1.2", k + 1) : NULL, items[k]);
        CHECK(d && d->sections[0].n_units > k + 1 &&
              d->sections[0].units[k + 1].kind == DOC_BULLET);
    }
    doc_free(d);

    /* A dash (en dash) before a lower-case word inside a bullet is part of
     * the bullet, not a new one (nga.txt 2.1, hti.txt 2.1). */
    d = parse_ok("2.1 NATIONAL LEGISLATION\nEnacted through the following "
                 "instruments:\n- Chapter 21A of the Criminal Code \xe2\x80\x93"
                 " does not explicitly criminalize it.\n- Act 2 - Other.\n");
    CHECK_INT_EQ(n_units(d, "2.1"), 4);
    CHECK_STR_EQ(d ? unit_text(d, "2.1", 1) : NULL,
                 "Chapter 21A of the Criminal Code - does not explicitly "
                 "criminalize it.");
    CHECK_STR_EQ(d ? unit_text(d, "2.1", 2) : NULL, "Act 2");
    CHECK_STR_EQ(d ? unit_text(d, "2.1", 3) : NULL, "Other.");
    doc_free(d);

    /* Dates of "Last updated" in several spellings; a nonsense day is not
     * a date (and no longer overflows), nor is a day the month does not
     * have, and a date that is none is reported. */
    static const struct {
        const char *text, *iso;
        bool warns; /* a warning names the text that is not a date */
    } dates[] = {
        {"Last updated on 2nd February 2015", "2015-02-02", false},
        {"Last updated: February 2, 2015", "2015-02-02", false},
        {"Last updated on 14 Feb. 2015", "2015-02-14", false},
        {"Last updated March 2014", "2014-03", false},
        {"Last updated on 29 February 2016", "2016-02-29", false},
        {"Last updated on 31 December 2015", "2015-12-31", false},
        {"Last updated on 29 February 2000", "2000-02-29", false},
        {"Last updated on February 99999999999 2015", NULL, true},
        {"Last updated on 29 February 2015", NULL, true},
        {"Last updated on 29 February 1900", NULL, true},
        {"Last updated on 31 April 2015", NULL, true},
        {"Last updated on February 30, 2015", NULL, true},
        {"Last updated on 0 February 2015", NULL, true},
        {"Last updated on 2nd Foo 2015", NULL, true},
        {"It was last updated by the ministry.", NULL, false},
    };
    for (size_t i = 0; i < N_OF(dates); i++) {
        char text[256];
        snprintf(text, sizeof text, "1. CYBERSECURITY\n%s\n", dates[i].text);
        d = parse_ok(text);
        CHECK_STR_EQ(d ? d->last_updated : NULL, dates[i].iso);
        bool warned = false;
        for (size_t k = 0; d && k < d->n_warnings; k++)
            warned = warned || strstr(d->warnings[k].msg,
                                      "'last updated' is followed by") != NULL;
        if (warned != dates[i].warns)
            fprintf(stderr, "date '%s': warning %s\n", dates[i].text,
                    warned ? "given" : "missing");
        CHECK(warned == dates[i].warns);
        doc_free(d);
    }

    /* A glued number and title; the double-spaced "1.1" + "LEGAL ...". */
    d = parse_ok("1.2.2STANDARDS\nBelgium has one.\n\n1.3\n\nORGANIZATION "
                 "MEASURES\n\n1.3.1\n\nPOLICY\n\nIt has one.\n");
    CHECK(d && d->n_sections == 3);
    CHECK_STR_EQ(d ? d->sections[1].title : NULL, "ORGANIZATION MEASURES");
    CHECK_INT_EQ(d ? d->sections[2].line : 0, 8);
    CHECK_STR_EQ(d ? unit_text(d, "1.3.1", 0) : NULL, "It has one.");
    doc_free(d);
}

static void test_title_key(void)
{
    char key[64];
    doc_title_key("Public-Private  partnership", key, sizeof key);
    CHECK_STR_EQ(key, "PUBLIC PRIVATE PARTNERSHIP");
    doc_title_key(" CIRT & RCC ", key, sizeof key);
    CHECK_STR_EQ(key, "CIRT & RCC");
    doc_title_key("", key, sizeof key);
    CHECK_STR_EQ(key, "");
    doc_title_key("ABCDEFGHIJ", key, 5); /* truncated, NUL-terminated */
    CHECK(strlen(key) < 5);
}

static void test_builder(void)
{
    struct doc *d = doc_new(NULL);
    CHECK_STR_EQ(d->path, "-");
    for (int i = 0; i < 20; i++) {
        char num[16];
        snprintf(num, sizeof num, "1.1.%d", i + 1);
        struct doc_section *s = doc_add_section(d, num, "Some Title", 1);
        for (int k = 0; k < 17; k++)
            doc_add_unit(d, s, DOC_SENTENCE, "A Sentence.", (unsigned)k);
    }
    CHECK_INT_EQ(d->n_sections, 20);
    CHECK_STR_EQ(doc_find_section(d, "1.1.20")->title_key, "SOME TITLE");
    CHECK_INT_EQ(doc_find_section(d, "1.1.20")->depth, 3);
    CHECK_INT_EQ(doc_find_section(d, "1.1.7")->n_units, 17);
    CHECK_STR_EQ(doc_find_section(d, "1.1.7")->units[16].norm, "a sentence.");
    doc_free(d);
    doc_free(NULL);
}

/* The layouts of the real profiles (../shared/data/itu-profiles), in
 * small texts of our own; bel-itu.txt has them all in one document. */
static void test_real_layouts(void)
{
    /* Leftovers of the flag image after the title. */
    static const struct {
        const char *text, *title;
    } titles[] = {
        {"CYBERWELLNESS PROFILE GHANA http://upload.wikimedia.org/x/125px-"
         "Flag_of_Ghana.svg.png\n",
         "GHANA"},
        {"CYBERWELLNESS PROFILE\nSOUTH AFRICA\nFlagge Südafrikas\n",
         "SOUTH AFRICA"},
        {"CYBERWELLNESS PROFILE HONG KONG A flag with a flower\n", "HONG KONG"},
        {"CYBERWELLNESS PROFILE MICRONESIA (FEDERAL STATES OF) Micronesia "
         "Flag\n",
         "MICRONESIA (FEDERAL STATES OF)"},
        {"CYBERWELLNESS PROFILE UNITED STATES Drapeau des états-Unis\n",
         "UNITED STATES"},
        {"CYBERWELLNESS PROFILE LAO PEOPLE'S DEMOCRATIC REPUBLIC BACKROUND\n",
         "LAO PEOPLE'S DEMOCRATIC REPUBLIC"},
        {"CYBERWELLNESS PROFILE Freedonia\n", "Freedonia"}, /* mixed case */
    };
    char text[512];
    for (size_t i = 0; i < N_OF(titles); i++) {
        snprintf(text, sizeof text,
                 "%s1.1.1 CRIMINAL LEGISLATION\nThere is no law.\n",
                 titles[i].text);
        struct doc *d = parse_ok(text);
        CHECK_STR_EQ(d ? d->title : NULL, titles[i].title);
        doc_free(d);
    }

    /* "Total Population:  :", digits grouped irregularly, "90, 800". */
    struct doc *d = parse_ok("Total Population:  : 33 397 000\n1.1.1 CRIMINAL "
                             "LEGISLATION\nThere is no law.\n");
    CHECK_DBL_EQ(d ? d->population.value : 0, 33397000, 0);
    CHECK_INT_EQ(d ? d->n_warnings : 1, 1); /* only: no title */
    doc_free(d);
    d = parse_ok("Total Population: 2 44 769 000\n1.1.1 CRIMINAL "
                 "LEGISLATION\nThere is no law.\n");
    CHECK_DBL_EQ(d ? d->population.value : 0, 244769000, 0);
    CHECK_STR_EQ(d && d->n_warnings ? d->warnings[0].msg : NULL,
                 "total population '2 44 769 000' has its digits grouped "
                 "irregularly; read as 244769000");
    doc_free(d);
    d = parse_ok("Total Population: 90, 800\n1.1.1 CRIMINAL LEGISLATION\n"
                 "There is no law.\n");
    CHECK_DBL_EQ(d ? d->population.value : 0, 90800, 0);
    doc_free(d);

    /* Page markers, a footer number and blank lines inside a sentence;
     * a rule glued to the disclaimer; a marker inside a line. */
    d = parse_ok("1.2.1 CIRT\nThe national CIRT is run by the\n\n2\n"
                 "----------------------- Page 2-----------------------\n\n"
                 "research network.\n1.2.2 STANDARDS\nNone. "
                 "---------- Page 3----------1.2.3 CERTIFICATION\nNone.\n"
                 "----------------------------------DISCLAIMER: x\n");
    CHECK_INT_EQ(n_units(d, "1.2.1"), 1);
    CHECK_STR_EQ(d ? unit_text(d, "1.2.1", 0) : NULL,
                 "The national CIRT is run by the research network.");
    CHECK_INT_EQ(n_units(d, "1.2.2"), 1);
    CHECK_STR_EQ(d ? unit_text(d, "1.2.3", 0) : NULL, "None.");
    CHECK_INT_EQ(n_units(d, "1.2.3"), 1);
    doc_free(d);

    /* Two bullet lists side by side, their items wrapped in columns. */
    d = parse_ok("1.1.2 REGULATION AND COMPLIANCE\nThrough the following:\n"
                 "- Alpha Act on the data                 - Beta law on "
                 "trade\n"
                 "of persons                              and commerce\n"
                 "- Gamma Act                             - Delta Act\n\n"
                 "1.2.1 CIRT\nNone.\n");
    static const char *const items[] = {
        "Alpha Act on the data of persons", "Gamma Act",
        "Beta law on trade and commerce", "Delta Act"};
    CHECK_INT_EQ(n_units(d, "1.1.2"), 5);
    for (size_t k = 0; k < N_OF(items); k++)
        CHECK_STR_EQ(d ? unit_text(d, "1.1.2", k + 1) : NULL, items[k]);
    doc_free(d);

    /* "-1.5.2": an empty bullet glued to a known heading; a longer known
     * title; "3 Cybersecurity" inside a sentence is no heading. */
    d = parse_ok("1.5.1 INTRA-STATE COOPERATION\nWith:\n- FIRST\n-1.5.2\n\n"
                 "INTRA-AGENCY COOPERATION\nNone.\n"
                 "2.1 NATIONAL LEGISLATION AND STRATEGY\nA law.\n"
                 "2.2 UN CONVENTION AND PROTOCOL\nThe Policy Thrust 3 "
                 "Cybersecurity Framework applies.\n");
    CHECK_INT_EQ(d ? d->n_sections : 0, 4);
    CHECK_INT_EQ(n_units(d, "1.5.1"), 2);
    CHECK_STR_EQ(d ? doc_find_section(d, "1.5.2")->title : NULL,
                 "INTRA-AGENCY COOPERATION");
    CHECK_STR_EQ(d ? doc_find_section(d, "2.1")->title : NULL,
                 "NATIONAL LEGISLATION AND STRATEGY");
    CHECK_STR_EQ(d ? unit_text(d, "2.1", 0) : NULL, "A law.");
    CHECK_INT_EQ(n_units(d, "2.2"), 1);
    doc_free(d);

    /* CR CR LF line ends, where they are the file's: one line each. */
    d = parse_ok("1.1.1 CRIMINAL LEGISLATION\r\r\nThe law on\r\r\n"
                 "computer crime.\r\r\n1.1.2 REGULATION AND COMPLIANCE\r\r\n"
                 "None.\r\r\n");
    CHECK_INT_EQ(d ? doc_find_section(d, "1.1.2")->line : 0, 4);
    CHECK_STR_EQ(d ? unit_text(d, "1.1.1", 0) : NULL,
                 "The law on computer crime.");
    doc_free(d);
}

int main(void)
{
    test_belgium();
    test_layouts();
    test_bad_input();
    test_limits();
    test_traps();
    test_title_key();
    test_builder();
    test_real_layouts();
    return test_summary();
}
