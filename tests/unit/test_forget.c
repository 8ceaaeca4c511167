/* Unit tests for core/forget: choosing the documents of a country and
 * deleting them with their results, all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/forget.h"
#include "core/ingest.h"
#include "store/store.h"
#include "test.h"

#include "util/banned.h"

/* BEL twice (2015 and 2013) and LUX, scored under gci2014. */
static struct store *fill_store(void)
{
    struct cw_error err;
    struct store *s = store_open(":memory:", 0, &err);
    if (!s)
        return NULL;
    int st = country_sync(s, SRC("data/countries.csv"), SRC("data/groups.csv"),
                          NULL, &err);
    struct ingest *in = st ? NULL : ingest_new(s, 0, 0, &err);
    struct cw_errors *errs = calloc(1, sizeof *errs);
    if (!in ||
        ingest_add_rubric(in, SRC("rubric/gci2014.csv"), NULL, NULL, errs)) {
        ingest_free(in);
        free(errs);
        store_close(s);
        return NULL;
    }
    static const char *const files[] = {"data/profiles/bel.txt",
                                        "tests/fixtures/report/bel-2013.txt",
                                        "tests/fixtures/profiles/lux.txt"};
    for (size_t i = 0; !st && i < sizeof files / sizeof *files; i++) {
        char path[512];
        enum ingest_outcome outcome;
        snprintf(path, sizeof path, "%s/%s", CW_SOURCE_DIR, files[i]);
        st = ingest_file(in, path, NULL, &outcome, NULL, &err);
        if (st)
            fprintf(stderr, "ingest_file %s: %s\n", path, err.msg);
    }
    if (!st)
        st = ingest_commit(in, &err);
    ingest_free(in);
    free(errs);
    if (st) {
        store_close(s);
        return NULL;
    }
    return s;
}

static long count(struct store *s, bool is_results)
{
    struct store_stats st;
    struct cw_error err;
    if (store_stats_get(s, &st, &err))
        return -1;
    return is_results ? st.results : st.documents;
}

static void test_latest(struct store *s)
{
    struct cw_error err;
    struct forget_plan p;
    CHECK_INT_EQ(forget_plan(s, "bel", NULL, false, &p, &err), CW_OK);
    CHECK_STR_EQ(p.iso3, "BEL");
    CHECK_INT_EQ(p.docs.n, 2);
    CHECK_INT_EQ(p.n_gone, 1);
    CHECK(p.is_gone[0] && !p.is_gone[1]);
    CHECK_STR_EQ(p.docs.items[0].edition_date, "2015-02-02");
    CHECK_INT_EQ(p.n_results, 1);
    int64_t gone = p.docs.items[0].id;
    CHECK_INT_EQ(forget_apply(s, &p, &err), CW_OK);
    forget_plan_release(&p);
    CHECK_INT_EQ(count(s, false), 2);
    CHECK_INT_EQ(count(s, true), 2);
    struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
    char sha[65];
    bool has_text;
    CHECK_INT_EQ(store_doc_text(s, gone, &path, &text, sha, &has_text, &err),
                 CW_ERR_NOTFOUND);
    strbuf_release(&path);
    strbuf_release(&text);
    /* a stale plan deletes nothing */
    CHECK_INT_EQ(forget_plan(s, "BEL", NULL, true, &p, &err), CW_OK);
    CHECK_INT_EQ(p.n_gone, 1);
    p.docs.items[0].id += 1000;
    CHECK_INT_EQ(forget_apply(s, &p, &err), CW_ERR_NOTFOUND);
    forget_plan_release(&p);
    CHECK_INT_EQ(count(s, false), 2);
    CHECK(!store_in_transaction(s));
}

static void test_choose(struct store *s)
{
    struct cw_error err;
    struct forget_plan p;
    CHECK_INT_EQ(forget_plan(s, "BEL", NULL, true, &p, &err), CW_OK);
    CHECK_INT_EQ(p.n_gone, 2);
    char prefix[9];
    snprintf(prefix, sizeof prefix, "%.8s", p.docs.items[1].sha256);
    forget_plan_release(&p);
    CHECK_INT_EQ(forget_plan(s, "BEL", prefix, false, &p, &err), CW_OK);
    CHECK_INT_EQ(p.n_gone, 1);
    CHECK(p.is_gone[1]);
    forget_plan_release(&p);
    CHECK_INT_EQ(forget_plan(s, "BEL", "abc", false, &p, &err),
                 CW_ERR_NOTFOUND);
    forget_plan_release(&p);
    CHECK_INT_EQ(forget_plan(s, "DEU", NULL, false, &p, &err), CW_ERR_NOTFOUND);
    CHECK_STR_EQ(err.msg, "no document of DEU is stored in ':memory:'");
    forget_plan_release(&p);
    /* every version, then nothing is left of BEL; LUX stays */
    CHECK_INT_EQ(forget_plan(s, "BEL", NULL, true, &p, &err), CW_OK);
    CHECK_INT_EQ(forget_apply(s, &p, &err), CW_OK);
    forget_plan_release(&p);
    CHECK_INT_EQ(count(s, false), 1);
    CHECK_INT_EQ(count(s, true), 1);
}

/* Run one test on a fresh store. */
static void run(void (*test)(struct store *s))
{
    struct store *s = fill_store();
    CHECK(s != NULL);
    if (s)
        test(s);
    store_close(s);
}

int main(void)
{
    run(test_latest);
    run(test_choose);
    return test_summary();
}
