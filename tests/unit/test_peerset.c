/* Unit tests for core/peerset: stored results made ready for comparison,
 * with and without analyst overrides, on an in-memory database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/compare.h"
#include "core/country.h"
#include "core/ingest.h"
#include "core/peerset.h"
#include "store/store.h"
#include "test.h"

#include "util/banned.h"

static struct store *fill_store(void)
{
    struct cw_error err;
    struct store *s = store_open(":memory:", 0, &err);
    if (!s) {
        fprintf(stderr, "store_open: %s\n", err.msg);
        return NULL;
    }
    if (country_sync(s, SRC("data/countries.csv"), SRC("data/groups.csv"), NULL,
                     &err)) {
        fprintf(stderr, "country_sync: %s\n", err.msg);
        goto fail;
    }
    struct ingest *in = ingest_new(s, 0, 0, &err);
    if (!in) {
        fprintf(stderr, "ingest_new: %s\n", err.msg);
        goto fail;
    }
    struct cw_errors *errs = calloc(1, sizeof *errs);
    int st = ingest_add_rubric(in, SRC("rubric/gci2014.csv"), NULL, NULL, errs);
    if (st)
        fprintf(stderr, "ingest_add_rubric: %s\n", errs->e[0].msg);
    free(errs);
    static const char *const files[] = {"bel", "lux", "nld", "gbr"};
    for (size_t i = 0; !st && i < sizeof files / sizeof *files; i++) {
        char path[512];
        enum ingest_outcome outcome;
        snprintf(path, sizeof path, "%s/data/profiles/%s.txt", CW_SOURCE_DIR,
                 files[i]);
        st = ingest_file(in, path, NULL, &outcome, NULL, &err);
        if (st)
            fprintf(stderr, "ingest_file: %s\n", err.msg);
    }
    if (!st && (st = ingest_commit(in, &err)))
        fprintf(stderr, "ingest_commit: %s\n", err.msg);
    ingest_free(in);
    if (st)
        goto fail;
    return s;
fail:
    store_close(s);
    return NULL;
}

static long indicator(const struct peerset *ps, const char *id)
{
    return rubric_find_indicator(ps->rubric, id);
}

static void test_load(struct store *s)
{
    struct cw_error err;
    struct store_query q = STORE_QUERY_INIT;
    struct peerset *ps = peerset_load(s, &q, 0, &err);
    CHECK(ps != NULL);
    if (!ps)
        return;
    CHECK_INT_EQ(ps->n, 4);
    CHECK_STR_EQ(ps->rubric->name, "gci2014");
    CHECK_INT_EQ(peerset_find(ps, "bel"), 0);
    CHECK_INT_EQ(peerset_find(ps, "NLD"), 3);
    CHECK_INT_EQ(peerset_find(ps, "DEU"), -1);
    /* without overrides, the recomputed scores are the stored ones */
    for (size_t k = 0; k < ps->n; k++) {
        const struct peerset_entry *e = &ps->entries[k];
        CHECK(!e->has_overrides);
        CHECK_DBL_EQ(e->scores.overall, e->score->overall, 1e-12);
        CHECK_DBL_EQ(e->scores.overall_min, e->score->overall_min, 1e-12);
        CHECK_DBL_EQ(e->scores.overall_max, e->score->overall_max, 1e-12);
        CHECK_INT_EQ(e->scores.coverage, e->score->coverage);
        for (size_t p = 0; p < ps->rubric->n_pillars; p++)
            CHECK_DBL_EQ(e->scores.pillars[p], e->score->pillars[p].score,
                         1e-12);
        for (size_t i = 0; i < ps->rubric->n_indicators; i++) {
            CHECK(e->states[i] == e->computed[i]);
            CHECK_STR_EQ(e->indicators[i]->id, ps->rubric->indicators[i].id);
        }
    }
    double v[4], lo[4], hi[4];
    size_t idx[2] = {3, 0};
    peerset_values(ps, idx, 2, v, lo, hi);
    CHECK_DBL_EQ(v[0], 12.0 / 34.0, 1e-12);
    CHECK_DBL_EQ(v[1], 24.0 / 34.0, 1e-12);
    CHECK(lo[1] <= v[1] && v[1] <= hi[1]);
    peerset_pillar_values(ps, NULL, 4, 0, v);
    CHECK_DBL_EQ(v[0], 1.0, 1e-12);
    peerset_free(ps);

    q.group = "Benelux";
    ps = peerset_load(s, &q, 0, &err);
    CHECK(ps && ps->n == 3 && peerset_find(ps, "GBR") < 0);
    peerset_free(ps);

    q.group = "Atlantis";
    ps = peerset_load(s, &q, 0, &err);
    CHECK(ps == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_NOTFOUND);

    struct store_query bad = STORE_QUERY_INIT;
    bad.rubric = "nosuch";
    ps = peerset_load(s, &bad, 0, &err);
    CHECK(ps == NULL);
    CHECK_INT_EQ(err.code, CW_ERR_NOTFOUND);
}

static void test_overrides(struct store *s)
{
    struct cw_error err;
    struct store_override_in o = {"BEL",     "1.3.2",      "present", "roadmap",
                                  "analyst", "2015-03-01", "t.csv",   2};
    CHECK_INT_EQ(store_override_add(s, &o, &err), CW_OK);
    struct store_query q = STORE_QUERY_INIT;
    struct peerset *ps = peerset_load(s, &q, 0, &err);
    CHECK(ps != NULL);
    if (!ps)
        return;
    const struct peerset_entry *bel = &ps->entries[peerset_find(ps, "BEL")];
    long i = indicator(ps, "1.3.2");
    CHECK(ps->is_overridden);
    CHECK(bel->has_overrides);
    CHECK(bel->states[i] == CW_PRESENT);
    CHECK(bel->computed[i] == CW_ABSENT);
    CHECK(bel->indicators[i]->override != NULL);
    CHECK_DBL_EQ(bel->scores.overall, 26.0 / 34.0, 1e-12);
    CHECK_DBL_EQ(bel->score->overall, 24.0 / 34.0, 1e-12); /* as stored */
    const struct peerset_entry *nld = &ps->entries[peerset_find(ps, "NLD")];
    CHECK(!nld->has_overrides);
    struct compare_explanation e;
    compare_explain(ps->rubric, bel->states, nld->states, &e);
    CHECK_DBL_EQ(e.difference, 14.0 / 34.0, 1e-12);
    CHECK_DBL_EQ(e.sum, e.difference, 1e-12);
    compare_explanation_release(&e);
    peerset_free(ps);

    ps = peerset_load(s, &q, PEERSET_NO_OVERRIDES, &err);
    CHECK(ps != NULL);
    if (!ps)
        return;
    bel = &ps->entries[peerset_find(ps, "BEL")];
    CHECK(!ps->is_overridden);
    CHECK(!bel->has_overrides);
    CHECK(bel->states[i] == CW_ABSENT);
    CHECK_DBL_EQ(bel->scores.overall, 24.0 / 34.0, 1e-12);
    peerset_free(ps);
}

int main(void)
{
    struct store *s = fill_store();
    if (!s) {
        test_failed++;
        return test_summary();
    }
    test_load(s);
    test_overrides(s);
    store_close(s);
    return test_summary();
}
