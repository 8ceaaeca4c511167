/* Unit tests for core/model: the read side's one model, on an in-memory
 * database with four bundled profiles, overrides and published scores. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/import.h"
#include "core/ingest.h"
#include "core/model.h"
#include "core/precision.h"
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
    static const char *const files[] = {"bel", "lux", "nld", "gbr"};
    for (size_t i = 0; !st && i < sizeof files / sizeof *files; i++) {
        char path[512];
        enum ingest_outcome outcome;
        snprintf(path, sizeof path, "%s/%s/%s.txt", CW_SOURCE_DIR,
                 strcmp(files[i], "bel") ? "tests/fixtures/profiles"
                                         : "data/profiles",
                 files[i]);
        st = ingest_file(in, path, NULL, &outcome, NULL, &err);
        if (st)
            fprintf(stderr, "ingest_file: %s\n", err.msg);
    }
    if (!st && (st = ingest_commit(in, &err)))
        fprintf(stderr, "ingest_commit: %s\n", err.msg);
    ingest_free(in);
    struct import_summary sum;
    if (!st && (st = import_csv(s, SRC("data/reference/gci-published.csv"),
                                &sum, errs)))
        fprintf(stderr, "import: %s\n", errs->e[0].msg);
    free(errs);
    if (st)
        goto fail;
    return s;
fail:
    store_close(s);
    return NULL;
}

static struct model *load(struct store *s, const struct model_opts *o)
{
    struct cw_error err;
    struct model *m = model_load(s, o, NULL, NULL, &err);
    if (!m)
        fprintf(stderr, "model_load: %s\n", err.msg);
    return m;
}

static const struct model_entry *find(const struct model *m, const char *iso3)
{
    long k = model_find(m, iso3);
    return k < 0 ? NULL : model_entry(m, (size_t)k);
}

static size_t ind(const struct model *m, const char *id)
{
    return (size_t)rubric_find_indicator(model_rubric(m), id);
}

static size_t pil(const struct model *m, const char *id)
{
    return (size_t)rubric_find_pillar(model_rubric(m), id);
}

/* Statuses as enums, scores from them, coverage, who is ranked. */
static void test_load(struct store *s)
{
    struct model_opts o = MODEL_OPTS_INIT;
    struct model *m = load(s, &o);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK_INT_EQ(model_count(m), 4);
    CHECK_STR_EQ(model_rubric_name(m), "gci2014");
    /* name, version and the first 12 hex digits of the content's hash */
    char label[64];
    snprintf(label, sizeof label, "gci2014 1.1.0 sha256:%.12s",
             model_rubric_sha256(m));
    CHECK_STR_EQ(model_rubric_label(m), label);
    CHECK_INT_EQ(strlen(model_rubric_sha256(m)), 64);
    CHECK_INT_EQ(model_find(m, "bel"), 0);
    CHECK_INT_EQ(model_find(m, "NLD"), 3);
    CHECK_INT_EQ(model_find(m, "DEU"), -1);
    CHECK_INT_EQ(model_n_counted(m), 17);
    CHECK_INT_EQ(model_min_coverage(m), 16);

    const struct model_entry *bel = find(m, "BEL"), *gbr = find(m, "GBR");
    const struct model_entry *nld = find(m, "NLD");
    CHECK(bel && gbr && nld);
    if (!bel || !gbr || !nld)
        goto out;
    /* the stored statuses, parsed once */
    CHECK_INT_EQ(bel->states[ind(m, "1.4.3")], CW_UNKNOWN);
    CHECK_INT_EQ(bel->states[ind(m, "1.2.3")], CW_ABSENT);
    CHECK_INT_EQ(gbr->states[ind(m, "1.5.1")], CW_UNSTATED);
    CHECK(!bel->has_overrides && bel->overrides == NULL);
    /* the scores, from the statuses, as the scorer computed them */
    CHECK_DBL_EQ(bel->scores.overall, 24.0 / 34, 1e-12);
    CHECK_DBL_EQ(bel->scores.overall_max, 26.0 / 34, 1e-12);
    CHECK_DBL_EQ(bel->scores.points, 24, 1e-12);
    CHECK_INT_EQ(bel->scores.coverage, 16);
    CHECK_INT_EQ(bel->scores.pillar_stated[pil(m, "capacity")], 3);
    /* a pillar nothing of which is stated has no value, never 0 */
    CHECK(isnan(gbr->scores.pillars[pil(m, "cooperation")]));
    CHECK(isnan(model_value(m, gbr, pil(m, "capacity"))));
    CHECK(!model_has_basis(m, gbr, pil(m, "capacity")));
    CHECK_DBL_EQ(gbr->scores.pillar_max[pil(m, "cooperation")], 1, 1e-12);
    /* one unresolved indicator in a pillar, as a ranked profile may leave:
     * still a basis for a peer median */
    CHECK_INT_EQ(nld->scores.pillar_stated[pil(m, "organizational")], 3);
    CHECK(model_has_basis(m, nld, pil(m, "organizational")));
    /* only Belgium states 16 of the 17 */
    CHECK(bel->is_ranked && bel->rank == 1);
    CHECK(!gbr->is_ranked && gbr->rank == 0 && gbr->rank_best == 0);
    CHECK(!model_has_basis(m, gbr, model_rubric(m)->n_pillars));
    size_t n;
    const size_t *un = model_unranked(m, &n);
    CHECK_INT_EQ(n, 3); /* GBR and LUX state 9, NLD 8 */
    if (n == 3) {
        CHECK_STR_EQ(model_entry(m, un[0])->iso3, "GBR");
        CHECK_STR_EQ(model_entry(m, un[1])->iso3, "LUX");
        CHECK_STR_EQ(model_entry(m, un[2])->iso3, "NLD");
    }
    struct strbuf sb = STRBUF_INIT;
    model_place_text(m, nld, &sb);
    CHECK_STR_EQ(sb.buf, "not ranked: coverage 8 of 17");
    strbuf_reset(&sb);
    model_value_text(m, bel, pil(m, "capacity"), &sb);
    CHECK_STR_EQ(sb.buf, "0.500 (3/4)");
    strbuf_reset(&sb);
    model_value_text(m, gbr, pil(m, "capacity"), &sb);
    CHECK_STR_EQ(sb.buf, "n/a");
    strbuf_reset(&sb);
    model_range_text(m, gbr, &sb);
    CHECK_STR_EQ(sb.buf, "-");
    strbuf_release(&sb);
out:
    model_free(m);
}

/* --include-incomplete ranks every document; ranks and joint ranges are
 * the ranking function's on the model's scores. */
static void test_include_incomplete(struct store *s)
{
    struct model_opts o = MODEL_OPTS_INIT;
    o.include_incomplete = true;
    struct model *m = load(s, &o);
    if (!m) {
        test_failed++;
        return;
    }
    size_t n;
    const size_t *ranked = model_ranked(m, &n);
    CHECK_INT_EQ(n, 4);
    double v[4], lo[4], hi[4];
    size_t rank[4], best[4], worst[4];
    for (size_t k = 0; k < 4; k++) {
        const struct model_entry *e = model_entry(m, k);
        v[k] = e->scores.overall;
        lo[k] = e->scores.overall_min;
        hi[k] = e->scores.overall_max;
    }
    compare_rank(v, 4, 3, COMPARE_TIES_DENSE, rank);
    compare_rank_range(v, lo, hi, 4, 3, COMPARE_TIES_DENSE, best, worst);
    for (size_t k = 0; k < 4; k++) {
        const struct model_entry *e = model_entry(m, k);
        CHECK(e->is_ranked);
        CHECK_INT_EQ(e->rank, rank[k]);
        CHECK_INT_EQ(e->rank_best, best[k]);
        CHECK_INT_EQ(e->rank_worst, worst[k]);
    }
    /* BEL 0.706, GBR 0.500, LUX = NLD 0.353 (tied, in iso3 order) */
    static const char *const order[] = {"BEL", "GBR", "LUX", "NLD"};
    for (size_t k = 0; k < n && k < 4; k++)
        CHECK_STR_EQ(model_entry(m, ranked[k])->iso3, order[k]);
    CHECK(model_is_tied(m, find(m, "LUX")));
    CHECK(!model_is_tied(m, find(m, "GBR")));
    /* the three others at their best could all pass Belgium */
    CHECK_INT_EQ(find(m, "BEL")->rank_worst, 4);
    /* a subset ranks with the same function */
    size_t idx[2] = {(size_t)model_find(m, "LUX"),
                     (size_t)model_find(m, "NLD")},
           r2[2], b2[2], w2[2], n_r;
    model_rank_subset(m, idx, 2, r2, b2, w2, &n_r);
    CHECK_INT_EQ(n_r, 2);
    CHECK(r2[0] == 1 && r2[1] == 1);
    model_free(m);
}

/* Overrides apply once, to the statuses every figure comes from. */
static void test_overrides(struct store *s)
{
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct import_summary sum;
    CHECK_INT_EQ(import_csv(s, SRC("tests/fixtures/compare/overrides-bel.csv"),
                            &sum, errs),
                 CW_OK);
    free(errs);
    struct model_opts o = MODEL_OPTS_INIT;
    struct model *m = load(s, &o);
    o.is_computed = true;
    struct model *c = load(s, &o);
    if (!m || !c) {
        test_failed++;
        goto out;
    }
    const struct model_entry *bel = find(m, "BEL");
    size_t i = ind(m, "1.3.2");
    CHECK(bel->has_overrides && bel->overrides && bel->overrides[i]);
    CHECK_INT_EQ(bel->states[i], CW_PRESENT);
    CHECK_INT_EQ(bel->computed[i], CW_ABSENT);
    CHECK_DBL_EQ(bel->scores.overall, 26.0 / 34, 1e-12);
    CHECK_DBL_EQ(bel->scores.pillars[pil(m, "organizational")], 0.75, 1e-12);
    CHECK(bel->overrides[ind(m, "1.1.2")] == NULL);
    /* an override of a statement the document lacks adds to coverage */
    const struct model_entry *nld = find(m, "NLD");
    CHECK_INT_EQ(nld->states[ind(m, "1.4.1")], CW_ABSENT);
    CHECK_INT_EQ(nld->scores.coverage, 9);
    /* one writer of a status's wording, four forms */
    struct strbuf sb = STRBUF_INIT;
    model_status_text(m, bel, i, MODEL_STATUS_PLAIN, &sb);
    CHECK_STR_EQ(sb.buf, "present");
    strbuf_reset(&sb);
    model_status_text(m, bel, i, MODEL_STATUS_MARK, &sb);
    CHECK_STR_EQ(sb.buf, "present*");
    strbuf_reset(&sb);
    model_status_text(m, bel, i, MODEL_STATUS_NOTE, &sb);
    CHECK_STR_EQ(sb.buf, "present (override; computed absent)");
    strbuf_reset(&sb);
    model_status_text(m, bel, i, MODEL_STATUS_LONG, &sb);
    CHECK_STR_EQ(sb.buf, "present (override; computed absent; by analyst on "
                         "2015-03-01: roadmap set out in the 2012 Cyber "
                         "Security Strategy)");
    strbuf_reset(&sb);
    model_status_text(m, bel, ind(m, "1.1.2"), MODEL_STATUS_LONG, &sb);
    CHECK_STR_EQ(sb.buf, "present");
    strbuf_release(&sb);
    size_t at = 0;
    const struct store_overrides *all = model_overrides(m);
    CHECK_INT_EQ(all->n, 2);
    CHECK(all->n == 2 && model_override_entry(m, &all->items[0], &at) == bel &&
          at == i);
    /* --no-overrides: the computed statuses */
    const struct model_entry *cb = find(c, "BEL");
    CHECK(!cb->has_overrides);
    CHECK_INT_EQ(cb->states[i], CW_ABSENT);
    CHECK_DBL_EQ(cb->scores.overall, 24.0 / 34, 1e-12);
out:
    model_free(m);
    model_free(c);
}

/* Peers, their statistics over those with a basis, evidence, history. */
static void test_peers(struct store *s)
{
    struct cw_error err;
    struct model_opts o = MODEL_OPTS_INIT;
    struct model *m = load(s, &o);
    if (!m) {
        test_failed++;
        return;
    }
    struct model_peers p;
    CHECK_INT_EQ(model_choose_peers(m, s, 0, NULL, NULL, &p, &err), CW_OK);
    CHECK_INT_EQ(p.n, 3); /* GBR (EU), LUX, NLD (Benelux) */
    struct strbuf sb = STRBUF_INIT;
    model_peers_source(&p, &sb);
    CHECK_STR_EQ(sb.buf, "groups Benelux, EU, EU28-2015, ITU-Europe");
    /* cooperation: no peer states it; legal: all three do */
    struct compare_stat st;
    model_stats(m, p.idx, p.n, pil(m, "cooperation"), &st);
    CHECK_INT_EQ(st.n, 0);
    CHECK(isnan(st.median) && isnan(st.best));
    model_stats(m, p.idx, p.n, pil(m, "legal"), &st);
    CHECK_INT_EQ(st.n, 3);
    /* the overall over ranked peers only: none */
    model_stats(m, p.idx, p.n, model_rubric(m)->n_pillars, &st);
    CHECK_INT_EQ(st.n, 0);
    model_peers_release(&p);
    CHECK_INT_EQ(model_choose_peers(m, s, 0, "BEL", NULL, &p, &err),
                 CW_ERR_USAGE);
    CHECK_STR_EQ(err.msg, "--peers lists BEL itself");
    CHECK_INT_EQ(model_choose_peers(m, s, 0, "DEU", NULL, &p, &err),
                 CW_ERR_NOTFOUND);
    CHECK_STR_EQ(err.msg, "peer 'DEU' (Germany) has no document scored under "
                          "rubric 'gci2014' in the database");
    CHECK_INT_EQ(model_choose_peers(m, s, 0, "nld,lux", NULL, &p, &err), CW_OK);
    CHECK(p.n == 2 && !strcmp(model_entry(m, p.idx[0])->iso3, "NLD"));
    model_peers_release(&p);

    struct store_scores *d = model_details(m, s, 0, &err);
    CHECK(d && d->n >= 1);
    if (d) {
        const struct store_indicator *x =
            model_indicator(m, &d->items[0], ind(m, "1.2.1"));
        CHECK(x && x->evidence && strstr(x->evidence, "CERT.be"));
        CHECK_INT_EQ(d->items[0].doc_id, model_entry(m, 0)->doc_id);
    }
    store_scores_free(d);
    struct model_history h;
    CHECK_INT_EQ(model_history_load(m, s, "BEL", &h, &err), CW_OK);
    CHECK_INT_EQ(h.n, 1);
    CHECK(h.n == 1 && !strcmp(h.items[0].edition_date, "2015-02-02"));
    model_history_release(&h);
    strbuf_release(&sb);
    model_free(m);
}

/* The edition of the rubric's structure, and the agreement with it. */
static void test_published(struct store *s)
{
    struct model_opts o = MODEL_OPTS_INIT;
    o.include_incomplete = true;
    o.is_computed = true;
    struct model *m = load(s, &o);
    o.edition = "2017";
    struct model *m17 = load(s, &o);
    if (!m || !m17) {
        test_failed++;
        goto out;
    }
    CHECK_STR_EQ(model_edition(m), "2014");
    CHECK_INT_EQ(model_published_decimals(m), 3);
    CHECK_DBL_EQ(model_published_scale(m), 1, 0);
    const struct model_entry *bel = find(m, "BEL");
    CHECK(bel->published && bel->published->value == 0.441);
    CHECK_DBL_EQ(bel->published->row->rank, 14, 0);
    struct strbuf sb = STRBUF_INIT;
    model_edition_text(m, &sb);
    CHECK_STR_EQ(sb.buf, "GCI 2014 (the edition with the structure of rubric "
                         "gci2014)");
    strbuf_reset(&sb);
    model_edition_text(m17, &sb);
    CHECK_STR_EQ(sb.buf, "GCI 2017 (asked for; rubric gci2014 has the "
                         "structure of GCI 2014, not of this edition)");
    struct model_agreement a;
    model_agreement_build(m, &a);
    CHECK_INT_EQ(a.n, 4);
    CHECK_INT_EQ(a.n_left_out, 0);
    /* largest difference first: NLD 0.353 against 0.676 */
    CHECK(a.n && !strcmp(model_entry(m, a.entries[0])->iso3, "NLD"));
    CHECK_DBL_EQ(a.diffs[0], 12.0 / 34 - 0.676, 1e-12);
    strbuf_reset(&sb);
    model_difference_text(m, bel, 24.0 / 34 - 0.441, &sb);
    CHECK_STR_EQ(sb.buf, "credited in the profile (present or partial): 1.1.1 "
                         "1.1.2 1.2.1 1.2.2 1.3.1 1.3.3 1.4.1 1.4.2 1.5.1 "
                         "1.5.2 1.5.3 1.5.4");
    model_agreement_release(&a);
    strbuf_release(&sb);
out:
    model_free(m);
    model_free(m17);
}

int main(void)
{
    struct store *s = fill_store();
    if (!s) {
        fprintf(stderr, "cannot build the test database\n");
        return 1;
    }
    test_load(s);
    test_include_incomplete(s);
    test_peers(s);
    test_published(s);
    test_overrides(s); /* last: it adds an override */
    store_close(s);
    return test_summary();
}
