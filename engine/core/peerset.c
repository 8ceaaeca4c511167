/* Stored results of several countries, prepared for comparison. */
#include "core/peerset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ingest.h"
#include "util/banned.h"
#include "util/xalloc.h"

/* Parse the stored content of the rubric the set was scored under. */
static struct rubric *load_rubric(struct store *s,
                                  const struct store_scores *set,
                                  struct cw_error *err)
{
    struct store_rubrics all = {0};
    struct rubric *r = NULL;
    if (store_rubrics_get(s, &all, err) < 0)
        return NULL;
    const struct store_rubric *sr = NULL;
    for (size_t i = 0; i < all.n; i++)
        if (all.items[i].id == set->rubric_id)
            sr = &all.items[i];
    if (!sr) {
        cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                  "rubric '%s' %s is not registered in the database",
                  set->rubric_name, set->rubric_version);
        goto out;
    }
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    r = rubric_parse(sr->path ? sr->path : sr->name, sr->content,
                     sr->content_len, errs);
    if (!r)
        cw_errorf(err, CW_ERR_PARSE, CW_LOC_NONE,
                  "stored rubric '%s' %s does not load: %s", sr->name,
                  sr->version, errs->n ? errs->e[0].msg : "unknown error");
    free(errs);
out:
    store_rubrics_release(&all);
    return r;
}

/* The stored indicator of rubric indicator i, or NULL. */
static const struct store_indicator *
find_indicator(const struct store_score *sc, const char *id, size_t i)
{
    if (i < sc->n_indicators && !strcmp(sc->indicators[i].id, id))
        return &sc->indicators[i];
    for (size_t k = 0; k < sc->n_indicators; k++)
        if (!strcmp(sc->indicators[k].id, id))
            return &sc->indicators[k];
    return NULL;
}

static int prepare_entry(const struct rubric *r, const struct store_score *sc,
                         unsigned flags, struct peerset_entry *e,
                         struct cw_error *err)
{
    size_t n = r->n_indicators ? r->n_indicators : 1;
    e->score = sc;
    e->states = xcalloc(n, sizeof *e->states);
    e->computed = xcalloc(n, sizeof *e->computed);
    // an array of pointers, one per indicator (not of structs)
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    e->indicators = xcalloc(n, sizeof *e->indicators);
    for (size_t i = 0; i < r->n_indicators; i++) {
        const char *id = r->indicators[i].id;
        const struct store_indicator *ind = find_indicator(sc, id, i);
        if (!ind)
            return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                             "stored result of '%s' has no indicator '%s' "
                             "of rubric '%s'",
                             sc->iso3, id, r->name);
        e->indicators[i] = ind;
        if (!cw_state_parse(ind->status, &e->computed[i]))
            return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                             "stored result of '%s' has an unknown status "
                             "'%s' for indicator '%s'",
                             sc->iso3, ind->status, id);
        e->states[i] = e->computed[i];
        if (flags & PEERSET_NO_OVERRIDES || !ind->override)
            continue;
        if (!cw_state_parse(ind->override->status, &e->states[i]))
            return cw_errorf(err, CW_ERR_DB, CW_LOC_NONE,
                             "override of '%s' has an unknown status '%s' "
                             "for indicator '%s'",
                             sc->iso3, ind->override->status, id);
        e->has_overrides = true;
    }
    compare_scores_build(r, e->states, &e->scores);
    return CW_OK;
}

struct peerset *peerset_load(struct store *s, const struct store_query *q,
                             unsigned flags, struct cw_error *err)
{
    struct peerset *ps = xcalloc(1, sizeof *ps);
    ps->set = store_scores_get(s, q, err);
    if (!ps->set)
        goto fail;
    ps->rubric = load_rubric(s, ps->set, err);
    if (!ps->rubric)
        goto fail;
    if (!(flags & PEERSET_NO_OVERRIDES)) {
        if (ingest_apply_overrides(s, ps->set, err) < 0)
            goto fail;
        ps->is_overridden = true;
    }
    ps->entries = xcalloc(ps->set->n ? ps->set->n : 1, sizeof *ps->entries);
    for (size_t k = 0; k < ps->set->n; k++) {
        ps->n = k + 1; /* so that peerset_free releases a half-built one */
        if (prepare_entry(ps->rubric, &ps->set->items[k], flags,
                          &ps->entries[k], err) < 0)
            goto fail;
    }
    ps->n = ps->set->n;
    return ps;
fail:
    peerset_free(ps);
    return NULL;
}

void peerset_free(struct peerset *ps)
{
    if (!ps)
        return;
    for (size_t k = 0; k < ps->n; k++) {
        free(ps->entries[k].states);
        free(ps->entries[k].computed);
        free(ps->entries[k].indicators);
        compare_scores_release(&ps->entries[k].scores);
    }
    free(ps->entries);
    store_scores_free(ps->set);
    rubric_free(ps->rubric);
    free(ps);
}

long peerset_find(const struct peerset *ps, const char *iso3)
{
    for (size_t k = 0; k < ps->n; k++)
        if (!strcasecmp(ps->entries[k].score->iso3, iso3))
            return (long)k;
    return -1;
}

void peerset_values(const struct peerset *ps, const size_t *idx, size_t n,
                    double *overall, double *min, double *max)
{
    for (size_t k = 0; k < n; k++) {
        const struct compare_scores *sc = &ps->entries[idx ? idx[k] : k].scores;
        if (overall)
            overall[k] = sc->overall;
        if (min)
            min[k] = sc->overall_min;
        if (max)
            max[k] = sc->overall_max;
    }
}

void peerset_pillar_values(const struct peerset *ps, const size_t *idx,
                           size_t n, size_t p, double *pillar)
{
    for (size_t k = 0; k < n; k++)
        pillar[k] = ps->entries[idx ? idx[k] : k].scores.pillars[p];
}
