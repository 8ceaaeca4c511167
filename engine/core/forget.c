/* forget: remove documents and their results (see forget.h). */
#include "core/forget.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#include "util/banned.h"

/* Whether s is FORGET_MIN_PREFIX to 64 hex digits. */
static bool is_hash_prefix(const char *s)
{
    size_t n = strlen(s);
    if (n < FORGET_MIN_PREFIX || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Mark the documents of p that document names. */
static int choose(struct forget_plan *p, const char *document,
                  struct cw_error *err)
{
    size_t n_hash = 0, len = strlen(document);
    bool is_hash = is_hash_prefix(document);
    for (size_t i = 0; i < p->docs.n; i++) {
        const struct store_doc_row *d = &p->docs.items[i];
        bool is_match = !strcmp(d->path, document);
        if (!is_match && is_hash)
            for (size_t k = 0; k <= len; k++) {
                if (k == len) {
                    is_match = true;
                    n_hash++;
                    break;
                }
                if (tolower((unsigned char)document[k]) != d->sha256[k])
                    break;
            }
        if (is_match && !p->is_gone[i]) {
            p->is_gone[i] = true;
            p->n_gone++;
        }
    }
    if (n_hash > 1)
        return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                         "document '%s' matches %zu documents of %s: give "
                         "more of the hash",
                         document, n_hash, p->iso3);
    if (!p->n_gone)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "no document of %s has the path or a SHA-256 "
                         "beginning '%s'%s",
                         p->iso3, document,
                         is_hash || strlen(document) >= FORGET_MIN_PREFIX
                             ? ""
                             : " (a hash prefix needs 6 hex digits or more)");
    return CW_OK;
}

int forget_plan(struct store *s, const char *iso3, const char *document,
                bool is_all, struct forget_plan *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < 3 && iso3[i]; i++)
        out->iso3[i] = (char)toupper((unsigned char)iso3[i]);
    int status = store_country_docs(s, out->iso3, &out->docs, err);
    if (status)
        return status;
    if (!out->docs.n)
        return cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                         "no document of %s is stored in '%s'", out->iso3,
                         store_path(s));
    out->is_gone = xcalloc(out->docs.n, sizeof *out->is_gone);
    if (document) {
        status = choose(out, document, err);
        if (status)
            return status;
    } else {
        for (size_t i = 0; i < out->docs.n && (is_all || i < 1); i++)
            out->is_gone[i] = true;
        out->n_gone = is_all ? out->docs.n : 1;
    }
    for (size_t i = 0; i < out->docs.n; i++)
        if (out->is_gone[i])
            out->n_results += out->docs.items[i].n_results;
    return store_override_count(s, out->iso3, &out->n_overrides, err);
}

void forget_plan_release(struct forget_plan *p)
{
    store_doc_rows_release(&p->docs);
    free(p->is_gone);
    memset(p, 0, sizeof *p);
}

/* Whether document id of the plan is still among now. */
static bool is_stored(const struct store_doc_rows *now, int64_t id,
                      const char *sha256)
{
    for (size_t i = 0; i < now->n; i++)
        if (now->items[i].id == id && !strcmp(now->items[i].sha256, sha256))
            return true;
    return false;
}

int forget_apply(struct store *s, const struct forget_plan *p,
                 struct cw_error *err)
{
    struct store_doc_rows now = {0};
    int status = store_begin(s, err);
    if (status)
        return status;
    status = store_country_docs(s, p->iso3, &now, err);
    for (size_t i = 0; i < p->docs.n && !status; i++) {
        const struct store_doc_row *d = &p->docs.items[i];
        if (!p->is_gone[i])
            continue;
        if (!is_stored(&now, d->id, d->sha256))
            status = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                               "document %.12s of %s is no longer stored in "
                               "'%s' (changed meanwhile): nothing forgotten",
                               d->sha256, p->iso3, store_path(s));
        else
            status = store_doc_delete(s, d->id, err);
    }
    store_doc_rows_release(&now);
    if (!status)
        return store_commit(s, err);
    store_rollback(s);
    return status;
}
