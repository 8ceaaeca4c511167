/*
 * Unit tests of the store (store/), country identity (core/country),
 * ingest and overrides (core/ingest) and CSV import (core/import), on
 * :memory: databases and temporary files.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/country.h"
#include "core/import.h"
#include "core/ingest.h"
#include "store/store.h"
#include "test.h"
#include "util/fileio.h"

#include "util/banned.h"

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cw-test-store.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(1);
    }
}

static void tmp_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

/* A store with the bundled countries and groups loaded. */
static struct store *open_loaded(const char *path)
{
    struct cw_error err;
    struct store *s = store_open(path, 0, &err);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    bool changed = false;
    int rc = country_sync(s, SRC("data/countries.csv"), SRC("data/groups.csv"),
                          &changed, &err);
    CHECK_INT_EQ(rc, CW_OK);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    return s;
}

static void test_open(void)
{
    struct cw_error err;
    struct store *s = store_open(":memory:", 0, &err);
    CHECK(s != NULL);
    struct store_stats st;
    CHECK_INT_EQ(store_stats_get(s, &st, &err), CW_OK);
    CHECK_INT_EQ(st.documents, 0);
    CHECK_INT_EQ(store_check(s, &err), CW_OK);
    CHECK(strlen(store_sqlite_version()) > 0);
    CHECK_STR_EQ(store_path(s), ":memory:");
    store_close(s);
    store_close(NULL);

    /* a missing folder names it */
    s = store_open("/nonexistent-cw/dir/x.db", 0, &err);
    CHECK(s == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_IO);
    CHECK_STR_EQ(err.msg, "cannot open database '/nonexistent-cw/dir/x.db': "
                          "folder '/nonexistent-cw/dir': No such file or "
                          "directory");

    /* a file that is not a database */
    char path[512];
    tmp_path(path, sizeof path, "garbage.db");
    write_file(path, "this is not a database, only text long enough to "
                     "look like a header of one hundred bytes or so.....");
    s = store_open(path, 0, &err);
    CHECK(s == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_DB);
    CHECK(strstr(err.msg, "file is not a database") != NULL);
    CHECK(strstr(err.msg, "cannot open database '") == err.msg);
}

/* Patch the user_version field of a SQLite file header (offset 60). */
static void set_user_version(const char *path, unsigned v)
{
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (!f)
        return;
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    fseek(f, 60, SEEK_SET);
    fwrite(b, 1, 4, f);
    fclose(f);
}

static void test_versions(void)
{
    struct cw_error err;
    char path[512], want[1024];
    tmp_path(path, sizeof path, "versions.db");
    struct store *s = store_open(path, 0, &err);
    CHECK(s != NULL);
    store_close(s); /* the last close checkpoints the WAL into the file */
    /* reopening an up-to-date database migrates nothing */
    s = store_open(path, 0, &err);
    CHECK(s != NULL);
    store_close(s);
    set_user_version(path, 99);
    s = store_open(path, 0, &err);
    CHECK(s == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_DB);
    snprintf(want, sizeof want,
             "database '%s' has schema version 99, newer than this "
             "cyberwell knows (%d): use a newer cyberwell",
             path, STORE_SCHEMA_VERSION);
    CHECK_STR_EQ(err.msg, want);
}

static void test_country_key(void)
{
    char k[COUNTRY_KEY_MAX];
    country_key("St. Kitts & Nevis", k, sizeof k);
    CHECK_STR_EQ(k, "ST KITTS AND NEVIS");
    country_key("  Sudan (Republic of the) ", k, sizeof k);
    CHECK_STR_EQ(k, "SUDAN REPUBLIC OF THE");
    country_key("Côte d'Ivoire", k, sizeof k);
    CHECK_STR_EQ(k, "COTE D IVOIRE");
    country_key("TÜRKIYE", k, sizeof k);
    CHECK_STR_EQ(k, "TURKIYE");
    country_key("België ×2", k, sizeof k);
    CHECK_STR_EQ(k, "BELGIE 2");
    country_key("AT&T", k, sizeof k);
    CHECK_STR_EQ(k, "AT AND T");
    country_key("", k, sizeof k);
    CHECK_STR_EQ(k, "");
    char small[6];
    country_key("Netherlands", small, sizeof small);
    CHECK_STR_EQ(small, "NETHE");
    char up[4];
    CHECK(country_iso3_norm("bel", up));
    CHECK_STR_EQ(up, "BEL");
    CHECK(!country_iso3_norm("BE", up));
    CHECK(!country_iso3_norm("B3L", up));
}

static void test_countries(void)
{
    struct cw_error err;
    struct store *s = open_loaded(":memory:");
    bool changed = true;
    /* unchanged files are not loaded again */
    CHECK_INT_EQ(country_sync(s, SRC("data/countries.csv"),
                              SRC("data/groups.csv"), &changed, &err),
                 CW_OK);
    CHECK(!changed);

    struct store_country c;
    CHECK_INT_EQ(store_country_get(s, "bel", &c, &err), CW_OK);
    CHECK_STR_EQ(c.iso3, "BEL");
    CHECK_STR_EQ(c.name, "Belgium");
    CHECK_STR_EQ(c.region, "Europe");
    free(c.name);
    free(c.region);
    CHECK_INT_EQ(store_country_get(s, "XXX", &c, &err), CW_ERR_NOTFOUND);

    struct store_strings l;
    CHECK_INT_EQ(store_group_members(s, "Benelux", &l, &err), CW_OK);
    CHECK_INT_EQ(l.n, 3);
    if (l.n == 3) {
        CHECK_STR_EQ(l.items[0], "BEL");
        CHECK_STR_EQ(l.items[1], "LUX");
        CHECK_STR_EQ(l.items[2], "NLD");
    }
    store_strings_release(&l);
    CHECK_INT_EQ(store_group_members(s, "Atlantis", &l, &err), CW_ERR_NOTFOUND);
    CHECK_STR_EQ(err.msg, "unknown group 'Atlantis'");
    CHECK_INT_EQ(store_country_groups(s, "NLD", &l, &err), CW_OK);
    bool has_benelux = false;
    for (size_t i = 0; i < l.n; i++)
        has_benelux |= !strcmp(l.items[i], "Benelux");
    CHECK(has_benelux);
    store_strings_release(&l);

    struct store_aliases a;
    CHECK_INT_EQ(store_aliases_get(s, &a, &err), CW_OK);
    static const char *const titles[][2] = {
        {"BELGIUM", "BEL"},
        {"THE NETHERLANDS", "NLD"},
        {"SUDAN (REPUBLIC OF)", "SDN"},
        {"SUDAN (REPUBLIC OF THE)", "SDN"},
        {"KINGDOM OF SAUDI ARABIA", "SAU"},
        {"St. Kitts and Nevis", "KNA"},
        {"ST KITTS & NEVIS", "KNA"},
        {"IRAN (ISLAMIC REPUBLIC OF)", "IRN"},
        {"REPUBLIC OF MACEDONIA", "MKD"},
        {"REPUBLIC OF POLAND", "POL"},
        {"TRINIDAD AND TOBAGO", "TTO"},
        {"PAPUA NEW GUINEA", "PNG"},
        {"EQUATORIAL GUINEA", "GNQ"},
        {"the kingdom of thailand", "THA"},
        /* wrappers dropped only when needed */
        {"GRAND DUCHY OF LUXEMBOURG", "LUX"},
        {"SULTANATE OF OMAN", "OMN"},
        /* a name inside a longer title; the longest alias wins */
        {"CYBERWELLNESS PROFILE UNITED KINGDOM 2014", "GBR"},
        {"DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", "PRK"}};
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        char iso3[4] = "";
        bool ok = country_match(&a, titles[i][0], iso3);
        if (!ok || strcmp(iso3, titles[i][1]) != 0)
            fprintf(stderr, "title '%s': got '%s'\n", titles[i][0], iso3);
        CHECK(ok);
        CHECK_STR_EQ(iso3, titles[i][1]);
    }
    char iso3[4];
    CHECK(!country_match(&a, "ATLANTIS", iso3));
    CHECK(!country_match(&a, "", iso3));
    CHECK(!country_match(&a, NULL, iso3));
    struct country_index *ix = country_index_new(&a);
    CHECK(country_index_has(ix, "BEL"));
    CHECK(!country_index_has(ix, "XXX"));
    country_index_free(ix);
    store_aliases_release(&a);
    store_close(s);
}

static void test_country_files(void)
{
    struct cw_error err;
    char cpath[512], gpath[512];
    tmp_path(cpath, sizeof cpath, "countries.csv");
    tmp_path(gpath, sizeof gpath, "groups.csv");
    struct store *s = store_open(":memory:", 0, &err);
    write_file(cpath, "iso3,name,region,aliases\n"
                      "AAA,Aland,Test,Alandia\n"
                      "BBB,Bland,Test,Alandia\n");
    write_file(gpath, "group,iso3\n");
    CHECK_INT_EQ(country_sync(s, cpath, gpath, NULL, &err), CW_ERR_PARSE);
    CHECK_INT_EQ(err.line, 3);
    CHECK_INT_EQ(err.col, 4);
    CHECK_STR_EQ(err.msg, "name 'Alandia' of 'BBB' is already a name of 'AAA'");
    /* nothing of the failed load remains */
    struct store_countries all;
    CHECK_INT_EQ(store_countries_get(s, &all, &err), CW_OK);
    CHECK_INT_EQ(all.n, 0);
    store_countries_release(&all);

    write_file(cpath, "iso3,name,region,aliases\nAAA,Aland,Test,\n");
    write_file(gpath, "group,iso3\nG1,AAA\nG1,ZZZ\n");
    CHECK_INT_EQ(country_sync(s, cpath, gpath, NULL, &err), CW_ERR_PARSE);
    CHECK_INT_EQ(err.line, 3);
    CHECK_INT_EQ(err.col, 2);
    CHECK_STR_EQ(err.msg, "unknown country 'ZZZ' in group 'G1'");

    write_file(cpath, "code,name\nAAA,Aland\n");
    CHECK_INT_EQ(country_sync(s, cpath, gpath, NULL, &err), CW_ERR_PARSE);
    CHECK_STR_EQ(err.msg, "expected column 'iso3' in the header");
    store_close(s);
}

static struct ingest *new_session(struct store *s)
{
    struct cw_error err;
    struct ingest *in = ingest_new(s, 0, 0, &err);
    CHECK(in != NULL);
    struct cw_errors *errs = calloc(1, sizeof *errs);
    bool is_new = false;
    CHECK_INT_EQ(
        ingest_add_rubric(in, SRC("rubric/gci2014.csv"), &is_new, NULL, errs),
        CW_OK);
    free(errs);
    return in;
}

static void test_ingest(void)
{
    struct cw_error err;
    struct store *s = open_loaded(":memory:");
    struct ingest *in = new_session(s);
    CHECK_INT_EQ(ingest_n_rubrics(in), 1);
    enum ingest_outcome o;
    char iso3[4];

    CHECK_INT_EQ(
        ingest_file(in, SRC("data/profiles/bel.txt"), NULL, &o, iso3, &err),
        CW_OK);
    CHECK_INT_EQ(o, INGEST_STORED);
    CHECK_STR_EQ(iso3, "BEL");
    CHECK_INT_EQ(
        ingest_file(in, SRC("data/profiles/bel.txt"), NULL, &o, iso3, &err),
        CW_OK);
    CHECK_INT_EQ(o, INGEST_UNCHANGED);
    CHECK_STR_EQ(iso3, "BEL");

    /* a bad document leaves nothing behind */
    const char *bad = "no numbered sections here\n";
    CHECK(ingest_buffer(in, "bad.txt", bad, strlen(bad), NULL, &o, iso3,
                        &err) != CW_OK);
    /* an unknown title is an input error naming it */
    struct strbuf doc = STRBUF_INIT;
    CHECK_INT_EQ(fileio_read(SRC("tests/fixtures/store/atlantis.txt"), 1 << 20,
                             &doc, &err),
                 CW_OK);
    CHECK_INT_EQ(ingest_buffer(in, "atlantis.txt", doc.buf, doc.len, NULL, &o,
                               iso3, &err),
                 CW_ERR_PARSE);
    CHECK_STR_EQ(err.msg, "title 'ATLANTIS' matches no country in "
                          "data/countries.csv; give --country ISO3");
    CHECK_STR_EQ(err.file, "atlantis.txt");
    CHECK_INT_EQ(err.line, 5);
    /* ... unless the country is given */
    CHECK_INT_EQ(ingest_buffer(in, "atlantis.txt", doc.buf, doc.len, "lux", &o,
                               iso3, &err),
                 CW_OK);
    CHECK_INT_EQ(o, INGEST_STORED);
    CHECK_STR_EQ(iso3, "LUX");
    strbuf_release(&doc);

    /* a changed document of a known country is a new version */
    CHECK_INT_EQ(ingest_file(in, SRC("tests/fixtures/store/bel-2016.txt"), NULL,
                             &o, iso3, &err),
                 CW_OK);
    CHECK_INT_EQ(o, INGEST_NEW_VERSION);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    CHECK_INT_EQ(ingest_n_committed(in), 3);

    struct store_stats st;
    CHECK_INT_EQ(store_stats_get(s, &st, &err), CW_OK);
    CHECK_INT_EQ(st.documents, 3);
    CHECK_INT_EQ(st.results, 3);
    CHECK_INT_EQ(store_check(s, &err), CW_OK);

    /* the latest document per country */
    struct store_query q = STORE_QUERY_INIT;
    struct store_scores *set = store_scores_get(s, &q, &err);
    CHECK(set != NULL);
    if (!set)
        exit(test_summary());
    CHECK_STR_EQ(set->rubric_name, "gci2014");
    CHECK_INT_EQ(set->n, 2);
    double bel_2016 = 0;
    if (set->n == 2) {
        CHECK_STR_EQ(set->items[0].iso3, "BEL");
        CHECK_STR_EQ(set->items[0].country, "Belgium");
        CHECK_STR_EQ(set->items[0].edition_date, "2016-03-03");
        CHECK_INT_EQ(set->items[0].n_indicators, 21);
        CHECK_INT_EQ(set->items[0].n_pillars, 6);
        CHECK_STR_EQ(set->items[1].iso3, "LUX");
        bel_2016 = set->items[0].overall;
        const struct store_indicator *x = &set->items[0].indicators[0];
        CHECK_STR_EQ(x->id, "1.1.1");
        CHECK_STR_EQ(x->status, "present");
        CHECK_INT_EQ(x->line, 25);
        CHECK(x->evidence && !strncmp(x->evidence, "Specific legislation", 20));
    }
    store_scores_free(set);

    /* one country over time, and as of a date */
    q.iso3 = "bel";
    q.is_all_versions = true;
    set = store_scores_get(s, &q, &err);
    CHECK(set && set->n == 2);
    if (set && set->n == 2) {
        CHECK_STR_EQ(set->items[0].edition_date, "2015-02-02");
        CHECK_STR_EQ(set->items[1].edition_date, "2016-03-03");
        /* the roadmap changed from absent to present: +2 of 34 points */
        CHECK_DBL_EQ(set->items[1].overall - set->items[0].overall, 2.0 / 34,
                     1e-9);
    }
    store_scores_free(set);
    q.is_all_versions = false;
    q.as_of = "2015";
    q.is_brief = true;
    set = store_scores_get(s, &q, &err);
    CHECK(set && set->n == 1);
    if (set && set->n == 1) {
        CHECK_STR_EQ(set->items[0].edition_date, "2015-02-02");
        CHECK(set->items[0].indicators[0].evidence == NULL);
    }
    store_scores_free(set);

    /* a group filter, an unknown group, an unknown rubric */
    q = (struct store_query)STORE_QUERY_INIT;
    q.group = "Benelux";
    set = store_scores_get(s, &q, &err);
    CHECK(set && set->n == 2);
    store_scores_free(set);
    q.group = "Atlantis";
    CHECK(store_scores_get(s, &q, &err) == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_NOTFOUND);
    q.group = NULL;
    q.rubric = "nope";
    CHECK(store_scores_get(s, &q, &err) == NULL);
    CHECK_STR_EQ(err.msg, "unknown rubric 'nope'");

    /* rescoring from the stored sections gives the same scores */
    int64_t *ids = NULL;
    size_t n_ids = 0;
    CHECK_INT_EQ(store_doc_ids(s, &ids, &n_ids, &err), CW_OK);
    CHECK_INT_EQ(n_ids, 3);
    for (size_t i = 0; i < n_ids; i++)
        CHECK_INT_EQ(ingest_rescore(in, ids[i], &err), CW_OK);
    free(ids);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    q = (struct store_query)STORE_QUERY_INIT;
    set = store_scores_get(s, &q, &err);
    CHECK(set && set->n == 2);
    if (set && set->n == 2)
        CHECK_DBL_EQ(set->items[0].overall, bel_2016, 1e-12);
    store_scores_free(set);
    ingest_free(in);
    store_close(s);
}

struct reports {
    struct ingest_report items[16];
    char codes[16][4];
    size_t n;
    size_t stop_at; /* stop (CW_ERR_DB) at this report; 0: never */
};

static int record(void *ctx, const struct ingest_report *r)
{
    struct reports *rs = ctx;
    if (rs->n < 16) {
        rs->items[rs->n] = *r;
        rs->items[rs->n].err = NULL;
        memcpy(rs->codes[rs->n], r->iso3, 4);
    }
    rs->n++;
    return rs->stop_at && rs->n == rs->stop_at ? CW_ERR_DB : CW_OK;
}

/* ingest_files stores and reports, in order, what ingest_file would: the
 * same content twice in its window (and across a commit) is unchanged
 * the second time, a failure is reported and the next goes on. */
static void test_ingest_files(void)
{
    struct cw_error err;
    struct store *s = open_loaded(":memory:");
    struct ingest *in = ingest_new(s, 2, 0, &err); /* commit every 2 */
    struct cw_errors *errs = calloc(1, sizeof *errs);
    CHECK_INT_EQ(
        ingest_add_rubric(in, SRC("rubric/gci2014.csv"), NULL, NULL, errs),
        CW_OK);
    char *paths[] = {(char *)SRC("data/profiles/bel.txt"),
                     (char *)SRC("tests/fixtures/profiles/nld.txt"),
                     (char *)SRC("data/profiles/bel.txt"),
                     (char *)SRC("tests/fixtures/store/missing.txt"),
                     (char *)SRC("tests/fixtures/store/atlantis.txt"),
                     (char *)SRC("tests/fixtures/profiles/lux.txt"),
                     (char *)SRC("tests/fixtures/profiles/nld.txt"),
                     (char *)SRC("tests/fixtures/store/bel-2016.txt"),
                     (char *)SRC("tests/fixtures/profiles/lux.txt")};
    size_t n = sizeof paths / sizeof *paths;
    struct reports rs = {0};
    CHECK_INT_EQ(ingest_files(in, paths, n, NULL, record, &rs), CW_OK);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    CHECK_INT_EQ(rs.n, n);
    static const struct {
        int status;
        enum ingest_outcome outcome;
        const char *iso3;
    } want[] = {
        {CW_OK, INGEST_STORED, "BEL"},     {CW_OK, INGEST_STORED, "NLD"},
        {CW_OK, INGEST_UNCHANGED, "BEL"},  {CW_ERR_IO, INGEST_STORED, ""},
        {CW_ERR_PARSE, INGEST_STORED, ""}, {CW_OK, INGEST_STORED, "LUX"},
        {CW_OK, INGEST_UNCHANGED, "NLD"},  {CW_OK, INGEST_NEW_VERSION, "BEL"},
        {CW_OK, INGEST_UNCHANGED, "LUX"}};
    for (size_t i = 0; i < n && i < rs.n; i++) {
        CHECK_INT_EQ(rs.items[i].index, i);
        CHECK_INT_EQ(rs.items[i].status, want[i].status);
        if (want[i].status == CW_OK) {
            CHECK_INT_EQ(rs.items[i].outcome, want[i].outcome);
            CHECK_STR_EQ(rs.codes[i], want[i].iso3);
        }
    }
    struct store_stats st;
    CHECK_INT_EQ(store_stats_get(s, &st, &err), CW_OK);
    CHECK_INT_EQ(st.documents, 4);
    CHECK_INT_EQ(st.results, 4);
    CHECK_INT_EQ(store_check(s, &err), CW_OK);

    /* rescoring every document on the worker thread gives the same */
    struct store_query q = STORE_QUERY_INIT;
    q.is_all_versions = true;
    struct store_scores *before = store_scores_get(s, &q, &err);
    int64_t *ids = NULL;
    size_t n_ids = 0;
    CHECK_INT_EQ(store_doc_ids(s, &ids, &n_ids, &err), CW_OK);
    CHECK_INT_EQ(ingest_rescore_all(in, ids, n_ids, &err), CW_OK);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    free(ids);
    struct store_scores *after = store_scores_get(s, &q, &err);
    CHECK(before && after && before->n == 4 && after->n == 4);
    for (size_t i = 0; before && after && i < before->n && i < after->n; i++) {
        CHECK_DBL_EQ(after->items[i].overall, before->items[i].overall, 0);
        for (size_t k = 0; k < after->items[i].n_indicators; k++) {
            const struct store_indicator *a = &after->items[i].indicators[k];
            const struct store_indicator *b = &before->items[i].indicators[k];
            CHECK_STR_EQ(a->status, b->status);
            CHECK_INT_EQ(a->line, b->line);
            CHECK(!a->evidence == !b->evidence);
            if (a->evidence && b->evidence)
                CHECK_STR_EQ(a->evidence, b->evidence);
        }
    }
    store_scores_free(before);
    store_scores_free(after);

    /* again: content stored when the run began is unchanged */
    memset(&rs, 0, sizeof rs);
    CHECK_INT_EQ(ingest_files(in, paths, 3, NULL, record, &rs), CW_OK);
    CHECK_INT_EQ(rs.n, 3);
    for (size_t i = 0; i < 3 && i < rs.n; i++) {
        CHECK_INT_EQ(rs.items[i].status, CW_OK);
        CHECK_INT_EQ(rs.items[i].outcome, INGEST_UNCHANGED);
        CHECK_STR_EQ(rs.codes[i], i == 1 ? "NLD" : "BEL");
    }

    /* a report that stops the run: nothing after it is stored */
    memset(&rs, 0, sizeof rs);
    rs.stop_at = 2;
    char *more[] = {(char *)SRC("tests/fixtures/profiles/ita.txt"),
                    (char *)SRC("tests/fixtures/profiles/jpn.txt"),
                    (char *)SRC("tests/fixtures/profiles/mex.txt"),
                    (char *)SRC("tests/fixtures/profiles/omn.txt")};
    CHECK_INT_EQ(ingest_files(in, more, 4, NULL, record, &rs), CW_ERR_DB);
    CHECK_INT_EQ(rs.n, 2);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    CHECK_INT_EQ(store_stats_get(s, &st, &err), CW_OK);
    CHECK_INT_EQ(st.documents, 6);
    ingest_free(in);
    store_close(s);

    /* the same content twice in one window and one transaction */
    s = open_loaded(":memory:");
    in = ingest_new(s, 0, 0, &err);
    errs->n = 0;
    CHECK_INT_EQ(
        ingest_add_rubric(in, SRC("rubric/gci2014.csv"), NULL, NULL, errs),
        CW_OK);
    char *twins[] = {(char *)SRC("tests/fixtures/profiles/nld.txt"),
                     (char *)SRC("tests/fixtures/profiles/nld.txt")};
    memset(&rs, 0, sizeof rs);
    CHECK_INT_EQ(ingest_files(in, twins, 2, NULL, record, &rs), CW_OK);
    CHECK_INT_EQ(rs.n, 2);
    CHECK_INT_EQ(rs.items[0].status, CW_OK);
    CHECK_INT_EQ(rs.items[0].outcome, INGEST_STORED);
    CHECK_INT_EQ(rs.items[1].status, CW_OK);
    CHECK_INT_EQ(rs.items[1].outcome, INGEST_UNCHANGED);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    free(errs);
    ingest_free(in);
    store_close(s);
}

/* A result with more rows than one insert statement takes, then replaced
 * by a smaller one: every row back, in order. */
static void test_result_rows(void)
{
    struct cw_error err;
    struct store *s = open_loaded(":memory:");
    int64_t rubric_id = 0, doc_id = 0;
    CHECK_INT_EQ(store_begin(s, &err), CW_OK);
    CHECK_INT_EQ(store_rubric_register(s, "wide", "1", "00", "wide.csv", "x", 1,
                                       &rubric_id, NULL, NULL, &err),
                 CW_OK);
    struct store_doc_in d = {.iso3 = "BEL",
                             .path = "wide.txt",
                             .sha256 = "ab",
                             .size = 4,
                             .population = {NAN, NULL, NULL},
                             .internet = {NAN, NULL, NULL},
                             .text = "text",
                             .text_len = 4};
    CHECK_INT_EQ(store_doc_insert(s, &d, &doc_id, &err), CW_OK);
    enum { N_PILLARS = 40, N_INDICATORS = 70 };
    struct store_pillar_in pillars[N_PILLARS];
    struct store_indicator_in inds[N_INDICATORS];
    char ids[N_INDICATORS][8], texts[N_INDICATORS][32];
    for (size_t i = 0; i < N_PILLARS; i++)
        pillars[i] = (struct store_pillar_in){
            .id = "p", .name = "P", .score = (double)i / 100};
    for (size_t i = 0; i < N_INDICATORS; i++) {
        snprintf(ids[i], sizeof ids[i], "i%zu", i);
        snprintf(texts[i], sizeof texts[i], "sentence %zu.", i);
        inds[i] = (struct store_indicator_in){.id = ids[i],
                                              .name = "N",
                                              .pillar = "p",
                                              .status = "present",
                                              .points = 2,
                                              .weight = 1,
                                              .line = (unsigned)i,
                                              .evidence = texts[i],
                                              .reason = "r"};
    }
    struct store_result_in r = {.doc_id = doc_id,
                                .rubric_id = rubric_id,
                                .is_first = true,
                                .pillars = pillars,
                                .n_pillars = N_PILLARS,
                                .indicators = inds,
                                .n_indicators = N_INDICATORS};
    CHECK_INT_EQ(store_result_put(s, &r, &err), CW_OK);
    CHECK_INT_EQ(store_commit(s, &err), CW_OK);
    struct store_query q = STORE_QUERY_INIT;
    q.rubric = "wide";
    struct store_scores *set = store_scores_get(s, &q, &err);
    CHECK(set && set->n == 1);
    if (set && set->n == 1) {
        const struct store_score *sc = &set->items[0];
        CHECK_INT_EQ(sc->n_pillars, N_PILLARS);
        CHECK_INT_EQ(sc->n_indicators, N_INDICATORS);
        for (size_t i = 0; i < sc->n_pillars; i++)
            CHECK_DBL_EQ(sc->pillars[i].score, (double)i / 100, 0);
        for (size_t i = 0; i < sc->n_indicators; i++) {
            CHECK_STR_EQ(sc->indicators[i].id, ids[i]);
            CHECK_STR_EQ(sc->indicators[i].evidence, texts[i]);
            CHECK_INT_EQ(sc->indicators[i].line, i);
        }
    }
    store_scores_free(set);
    /* replaced, not added to */
    r.is_first = false;
    r.n_pillars = 1;
    r.n_indicators = 3;
    CHECK_INT_EQ(store_begin(s, &err), CW_OK);
    CHECK_INT_EQ(store_result_put(s, &r, &err), CW_OK);
    CHECK_INT_EQ(store_commit(s, &err), CW_OK);
    set = store_scores_get(s, &q, &err);
    CHECK(set && set->n == 1);
    if (set && set->n == 1) {
        CHECK_INT_EQ(set->items[0].n_pillars, 1);
        CHECK_INT_EQ(set->items[0].n_indicators, 3);
    }
    store_scores_free(set);
    CHECK_INT_EQ(store_check(s, &err), CW_OK);
    store_close(s);
}

/* Run sql on the database file at path through a connection of its own
 * (the tests' way to break a store on purpose). */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    CHECK_INT_EQ(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
    CHECK_INT_EQ(rc, SQLITE_OK);
    sqlite3_free(msg);
    sqlite3_close(db);
}

static long raw_count(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* A document whose storing fails halfway (a trigger refuses its pillar
 * rows, after its document, text and result rows are in) is undone
 * alone; when undoing it fails too, the batch is rolled back. */
static void test_ingest_undo(void)
{
    struct cw_error err;
    char path[512];
    tmp_path(path, sizeof path, "undo.db");
    struct store *s = open_loaded(path);
    struct ingest *in = new_session(s);
    enum ingest_outcome o;
    CHECK_INT_EQ(
        ingest_file(in, SRC("data/profiles/bel.txt"), NULL, &o, NULL, &err),
        CW_OK);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    raw_exec(path, "CREATE TRIGGER refuse BEFORE INSERT ON pillar_scores "
                   "WHEN (SELECT iso3 FROM documents WHERE id = "
                   "NEW.document_id) = 'NLD' "
                   "BEGIN SELECT RAISE(ABORT, 'refused'); END");
    char *paths[] = {(char *)SRC("tests/fixtures/profiles/lux.txt"),
                     (char *)SRC("tests/fixtures/profiles/nld.txt"),
                     (char *)SRC("tests/fixtures/profiles/pol.txt")};
    struct reports rs = {0};
    CHECK_INT_EQ(ingest_files(in, paths, 3, NULL, record, &rs), CW_OK);
    CHECK_INT_EQ(rs.n, 3);
    CHECK_INT_EQ(rs.items[0].status, CW_OK);
    CHECK_INT_EQ(rs.items[1].status, CW_ERR_DB);
    CHECK_INT_EQ(rs.items[2].status, CW_OK);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    CHECK_INT_EQ(ingest_n_committed(in), 3);
    CHECK_INT_EQ(store_check(s, &err), CW_OK);
    CHECK_INT_EQ(raw_count(path, "SELECT count(*) FROM documents"), 3);
    CHECK_INT_EQ(raw_count(path, "SELECT count(*) FROM documents "
                                 "WHERE iso3 = 'NLD'"),
                 0);
    CHECK_INT_EQ(raw_count(path, "SELECT count(*) FROM document_texts"), 3);
    CHECK_INT_EQ(raw_count(path, "SELECT count(*) FROM results"), 3);
    CHECK_INT_EQ(raw_count(path, "SELECT count(*) FROM indicator_results"),
                 3 * 21);

    /* undoing fails too: the batch (ITA, then NLD) is rolled back */
    raw_exec(path, "CREATE TRIGGER keep BEFORE DELETE ON documents "
                   "BEGIN SELECT RAISE(ABORT, 'kept'); END");
    char *more[] = {(char *)SRC("tests/fixtures/profiles/ita.txt"),
                    (char *)SRC("tests/fixtures/profiles/nld.txt")};
    memset(&rs, 0, sizeof rs);
    CHECK_INT_EQ(ingest_files(in, more, 2, NULL, record, &rs), CW_OK);
    CHECK_INT_EQ(rs.n, 2);
    CHECK_INT_EQ(rs.items[0].status, CW_OK);
    CHECK_INT_EQ(rs.items[1].status, CW_ERR_DB);
    CHECK(!store_in_transaction(s));
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    CHECK_INT_EQ(ingest_n_committed(in), 3);
    CHECK_INT_EQ(raw_count(path, "SELECT count(*) FROM documents"), 3);
    CHECK_INT_EQ(store_check(s, &err), CW_OK);
    ingest_free(in);
    store_close(s);
}

static void test_overrides(void)
{
    struct cw_error err;
    struct store *s = open_loaded(":memory:");
    struct ingest *in = new_session(s);
    enum ingest_outcome o;
    CHECK_INT_EQ(
        ingest_file(in, SRC("data/profiles/bel.txt"), NULL, &o, NULL, &err),
        CW_OK);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    ingest_free(in);

    CHECK_INT_EQ(store_begin(s, &err), CW_OK);
    struct store_override_in ov = {
        "BEL",        "1.1.1",      "absent", "repealed",
        "A. Analyst", "2016-01-02", "ov.csv", 2};
    CHECK_INT_EQ(store_override_add(s, &ov, &err), CW_OK);
    CHECK_INT_EQ(store_commit(s, &err), CW_OK);

    /* The store returns plain rows: the computed status stays, the
     * override is a row of its own (core/model.h applies it). */
    struct store_query q = STORE_QUERY_INIT;
    struct store_scores *set = store_scores_get(s, &q, &err);
    CHECK(set && set->n == 1);
    if (!set || set->n != 1)
        return;
    CHECK_STR_EQ(set->items[0].indicators[0].status, "present");
    struct store_overrides all;
    CHECK_INT_EQ(store_overrides_get(s, "bel", &all, &err), CW_OK);
    CHECK_INT_EQ(all.n, 1);
    if (all.n == 1) {
        CHECK_STR_EQ(all.items[0].indicator, "1.1.1");
        CHECK_STR_EQ(all.items[0].status, "absent");
        CHECK_STR_EQ(all.items[0].author, "A. Analyst");
    }
    store_overrides_release(&all);
    store_scores_free(set);
    store_close(s);
}

static void test_import(void)
{
    struct cw_error err;
    struct store *s = open_loaded(":memory:");
    struct ingest *in = new_session(s); /* registers the rubric */
    ingest_free(in);
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct import_summary sum;
    char path[512];

    CHECK_INT_EQ(
        import_csv(s, SRC("data/reference/gci-published.csv"), &sum, errs),
        CW_OK);
    CHECK_INT_EQ(sum.kind, IMPORT_REFERENCE);
    CHECK_INT_EQ(sum.n_stored, 972);
    struct store_references refs;
    CHECK_INT_EQ(store_references_get(s, "2014", "usa", &refs, &err), CW_OK);
    CHECK_INT_EQ(refs.n, 1);
    if (refs.n == 1) {
        CHECK_DBL_EQ(refs.items[0].rank, 1, 0);
        CHECK_DBL_EQ(refs.items[0].overall, 0.824, 0);
        CHECK_STR_EQ(refs.items[0].rank_method, "dense");
    }
    store_references_release(&refs);

    tmp_path(path, sizeof path, "ov.csv");
    write_file(path, "kind,iso3,indicator,status,reason,author,date\n"
                     "override,bel,1.4.1,Present,why,A. Analyst,2016-03-01\n");
    CHECK_INT_EQ(import_csv(s, path, &sum, errs), CW_OK);
    CHECK_INT_EQ(sum.kind, IMPORT_OVERRIDES);
    CHECK_INT_EQ(sum.n_stored, 1);
    CHECK_INT_EQ(import_csv(s, path, &sum, errs), CW_OK); /* again */
    CHECK_INT_EQ(sum.n_stored, 0);
    CHECK_INT_EQ(sum.n_existing, 1);
    struct store_overrides ov;
    CHECK_INT_EQ(store_overrides_get(s, "BEL", &ov, &err), CW_OK);
    CHECK_INT_EQ(ov.n, 1);
    if (ov.n == 1) {
        CHECK_STR_EQ(ov.items[0].status, "present");
        CHECK_INT_EQ(ov.items[0].source_line, 2);
    }
    store_overrides_release(&ov);

    /* one bad row: nothing from the file is stored */
    write_file(path, "kind,iso3,indicator,status,reason,author,date\n"
                     "override,NLD,1.4.1,absent,ok,A. Analyst,2016-03-01\n"
                     "override,NLD,1.4.1,maybe,ok,A. Analyst,2016-3-1\n");
    errs->n = 0;
    CHECK_INT_EQ(import_csv(s, path, &sum, errs), CW_ERR_PARSE);
    CHECK_INT_EQ(errs->n, 2);
    if (errs->n == 2) {
        CHECK_INT_EQ(errs->e[0].line, 3);
        CHECK_INT_EQ(errs->e[0].col, 4);
        CHECK_STR_EQ(errs->e[0].msg, "status 'maybe' is not one of present, "
                                     "partial, absent, unknown");
        CHECK_INT_EQ(errs->e[1].col, 7);
    }
    CHECK_INT_EQ(store_overrides_get(s, "NLD", &ov, &err), CW_OK);
    CHECK_INT_EQ(ov.n, 0);
    store_overrides_release(&ov);

    write_file(path, "a,b,c\n1,2,3\n");
    errs->n = 0;
    CHECK_INT_EQ(import_csv(s, path, &sum, errs), CW_ERR_PARSE);
    CHECK_INT_EQ(errs->e[0].line, 1);
    free(errs);
    store_close(s);
}

static void test_rubrics(void)
{
    struct cw_error err;
    struct store *s = store_open(":memory:", 0, &err);
    int64_t id1, id2, id3 = 0, id4;
    bool is_new;
    char other[65] = "";
    CHECK_INT_EQ(store_begin(s, &err), CW_OK);
    CHECK_INT_EQ(store_rubric_register(s, "r", "1", "aa", "r.csv", "x", 1, &id1,
                                       &is_new, NULL, &err),
                 CW_OK);
    CHECK(is_new);
    CHECK_INT_EQ(store_rubric_register(s, "r", "1", "aa", "r.csv", "x", 1, &id2,
                                       &is_new, NULL, &err),
                 CW_OK);
    CHECK(!is_new);
    CHECK_INT_EQ(id1, id2);
    /* the same name and version with other content: refused */
    CHECK_INT_EQ(store_rubric_register(s, "r", "1", "bb", "r2.csv", "y", 1,
                                       &id3, &is_new, other, &err),
                 CW_ERR_PARSE);
    CHECK_STR_EQ(other, "aa");
    CHECK_STR_EQ(err.msg, "rubric 'r' version '1' is already registered with "
                          "sha256 aa; 'r2.csv' has sha256 bb");
    CHECK_INT_EQ(id3, 0);
    CHECK_INT_EQ(store_rubric_register(s, "r", "2", "bb", "r2.csv", "y", 1,
                                       &id3, &is_new, NULL, &err),
                 CW_OK);
    CHECK_INT_EQ(store_rubric_register(s, "r", "3", "cc", "r3.csv", "z", 1,
                                       &id4, &is_new, NULL, &err),
                 CW_OK);
    CHECK_INT_EQ(store_commit(s, &err), CW_OK);
    struct store_rubric r;
    CHECK_INT_EQ(store_rubric_find(s, NULL, NULL, &r, &err), CW_OK);
    CHECK_INT_EQ(r.id, id4); /* nothing selected: the newest registration */
    CHECK_STR_EQ(r.content, "z");
    store_rubric_release(&r);
    /* a version asked for is that version, not the newest */
    CHECK_INT_EQ(store_rubric_find(s, "r", "1", &r, &err), CW_OK);
    CHECK_INT_EQ(r.id, id1);
    store_rubric_release(&r);
    /* the selected registration wins over the newest */
    CHECK_INT_EQ(store_rubric_select(s, id3, &err), CW_OK);
    CHECK_INT_EQ(store_rubric_find(s, "r", NULL, &r, &err), CW_OK);
    CHECK_INT_EQ(r.id, id3);
    store_rubric_release(&r);
    CHECK_INT_EQ(store_rubric_find(s, "r", "3", &r, &err), CW_OK);
    CHECK_INT_EQ(r.id, id4);
    store_rubric_release(&r);
    CHECK_INT_EQ(store_rubric_get(s, id1, &r, &err), CW_OK);
    CHECK_STR_EQ(r.sha256, "aa");
    store_rubric_release(&r);
    CHECK_INT_EQ(store_rubric_find(s, "r", "9", &r, &err), CW_ERR_NOTFOUND);
    CHECK_STR_EQ(err.msg, "unknown rubric 'r' version '9'");
    store_close(s);
}

int main(void)
{
    make_tmpdir();
    test_open();
    test_versions();
    test_country_key();
    test_countries();
    test_country_files();
    test_rubrics();
    test_ingest();
    test_ingest_files();
    test_result_rows();
    test_ingest_undo();
    test_overrides();
    test_import();
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    return test_summary();
}
