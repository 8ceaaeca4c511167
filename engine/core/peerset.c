/* Stored results of several countries, prepared for comparison. */
#include "core/peerset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ingest.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include "util/banned.h"

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

int peerset_missing(const struct peerset *ps, struct store *s, const char *iso3,
                    const char *role, struct cw_error *err)
{
    struct store_country c = {{0}, NULL, NULL, 0};
    int rc = store_country_get(s, iso3, &c, err);
    if (rc == CW_ERR_NOTFOUND)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE, "unknown %s '%s'",
                         role, iso3);
    if (rc)
        return rc;
    rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                   "%s '%s' (%s) has no document scored under rubric '%s' "
                   "in the database",
                   role, iso3, c.name ? c.name : "?", ps->set->rubric_name);
    free(c.name);
    free(c.region);
    return rc;
}

static void add_peer(size_t **arr, size_t *n, size_t *cap, size_t k)
{
    for (size_t i = 0; i < *n; i++)
        if ((*arr)[i] == k)
            return;
    CW_GROW(*arr, *n + 1, *cap);
    (*arr)[(*n)++] = k;
}

/* Members of group with scores, other than self. */
static int add_group(const struct peerset *ps, struct store *s, size_t self,
                     const char *group, size_t **arr, size_t *n, size_t *cap,
                     struct cw_error *err)
{
    struct store_strings members = {NULL, 0};
    int rc = store_group_members(s, group, &members, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < members.n; i++) {
        long k = peerset_find(ps, members.items[i]);
        if (k >= 0 && (size_t)k != self)
            add_peer(arr, n, cap, (size_t)k);
    }
    store_strings_release(&members);
    return CW_OK;
}

static int cmp_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int peers_from_list(const struct peerset *ps, struct store *s,
                           size_t self, const char *list, size_t **arr,
                           size_t *n, size_t *cap, struct cw_error *err)
{
    size_t n_codes = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        char iso3[4];
        bool ok = len == 3;
        for (size_t i = 0; ok && i < 3; i++) {
            char c = p[i];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            ok = c >= 'A' && c <= 'Z';
            iso3[i] = c;
        }
        iso3[3] = '\0';
        if (!ok)
            return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                             "--peers takes ISO3 codes separated by commas, "
                             "not '%.*s'",
                             (int)(len > 40 ? 40 : len), p);
        if (++n_codes > PEERSET_MAX_LIST)
            return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                             "--peers lists more than %d codes",
                             PEERSET_MAX_LIST);
        long k = peerset_find(ps, iso3);
        if (k < 0)
            return peerset_missing(ps, s, iso3, "peer", err);
        if ((size_t)k == self)
            return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                             "--peers lists %s itself", iso3);
        add_peer(arr, n, cap, (size_t)k);
        p += len;
        if (*p == ',')
            p++;
    }
    return CW_OK;
}

int peerset_choose_peers(const struct peerset *ps, struct store *s, size_t self,
                         const char *list, const char *group, size_t **peers,
                         size_t *n_peers, struct store_strings *groups,
                         struct cw_error *err)
{
    size_t *arr = NULL, n = 0, cap = 0;
    struct store_strings own = {NULL, 0};
    const char *iso3 = ps->entries[self].score->iso3;
    int rc = CW_OK;
    if (list) {
        rc = peers_from_list(ps, s, self, list, &arr, &n, &cap, err);
    } else if (group) {
        rc = add_group(ps, s, self, group, &arr, &n, &cap, err);
        if (!rc && !n)
            rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                           "group '%s' has no country other than %s with "
                           "scores under rubric '%s'",
                           group, iso3, ps->set->rubric_name);
    } else {
        rc = store_country_groups(s, iso3, &own, err);
        for (size_t g = 0; !rc && g < own.n; g++)
            rc = add_group(ps, s, self, own.items[g], &arr, &n, &cap, err);
        if (!rc && !n)
            rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                           "no peer for %s: %s; name peers with --peers or "
                           "--group",
                           iso3,
                           own.n ? "no other member of its groups has scores"
                                 : "it belongs to no group");
    }
    if (rc) {
        free(arr);
        store_strings_release(&own);
        return rc;
    }
    if (!list && n > 1)
        qsort(arr, n, sizeof *arr, cmp_index);
    *peers = arr;
    *n_peers = n;
    if (groups)
        *groups = own;
    else
        store_strings_release(&own);
    return CW_OK;
}
