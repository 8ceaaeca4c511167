/*
 * Country identity: name folding, title matching and loading the bundled
 * country and group lists into the store.
 */
#include "core/country.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csvio.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include "util/banned.h"

#define COUNTRY_MAX_ROWS 100000 /* rows in countries.csv or groups.csv */

static bool is_ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* ASCII for the letters of U+00C0..U+00FF (UTF-8 C3 80..C3 BF), upper
 * case; "" for the two signs (multiplication, division). */
static const char *const latin1[64] = {
    "A", "A", "A", "A", "A",  "A",  "AE", "C", "E", "E", "E",  "E", "I",
    "I", "I", "I", "D", "N",  "O",  "O",  "O", "O", "O", "",   "O", "U",
    "U", "U", "U", "Y", "TH", "SS", "A",  "A", "A", "A", "A",  "A", "AE",
    "C", "E", "E", "E", "E",  "I",  "I",  "I", "I", "D", "N",  "O", "O",
    "O", "O", "O", "",  "O",  "U",  "U",  "U", "U", "Y", "TH", "Y"};

void country_key(const char *name, char *out, size_t cap)
{
    size_t n = 0;
    bool pending_space = false;
    if (cap == 0)
        return;
    for (const unsigned char *p = (const unsigned char *)name; p && *p; p++) {
        const char *add = NULL;
        char one[2] = {0, 0};
        if (*p == '&') {
            add = "AND";
            pending_space = true;
        } else if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            add = latin1[p[1] - 0x80]; /* accents folded: "Ô" -> "O" */
            p++;
            if (!*add) {
                pending_space = true;
                continue;
            }
        } else if (is_ascii_alnum(*p) || *p >= 0x80) {
            one[0] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
            add = one;
        } else {
            pending_space = true;
            continue;
        }
        size_t len = strlen(add);
        if (pending_space && n > 0)
            len++;
        if (n + len + 1 > cap)
            break;
        if (pending_space && n > 0)
            out[n++] = ' ';
        pending_space = *p == '&'; /* a space after "AND" */
        memcpy(out + n, add, strlen(add));
        n += strlen(add);
    }
    out[n] = '\0';
}

/* Formal wrappers dropped from the start or the end of a folded title. */
static const char *const wrappers[] = {"ISLAMIC REPUBLIC OF",
                                       "FEDERAL REPUBLIC OF",
                                       "PEOPLE S REPUBLIC OF",
                                       "DEMOCRATIC REPUBLIC OF",
                                       "UNITED REPUBLIC OF",
                                       "SOCIALIST REPUBLIC OF",
                                       "REPUBLIC OF",
                                       "KINGDOM OF",
                                       "GRAND DUCHY OF",
                                       "PRINCIPALITY OF",
                                       "SULTANATE OF",
                                       "STATE OF",
                                       "COMMONWEALTH OF",
                                       "FEDERATION OF",
                                       "EMIRATE OF",
                                       "REPUBLIC",
                                       "KINGDOM",
                                       "THE"};

/* Drop "THE" and formal wrappers at either end of a folded key, in place
 * ("SUDAN REPUBLIC OF THE" -> "SUDAN"); true when anything was dropped. */
static bool strip_wrappers(char *key)
{
    bool changed = false, again = true;
    while (again) {
        again = false;
        for (size_t i = 0; i < sizeof wrappers / sizeof *wrappers; i++) {
            const char *w = wrappers[i];
            size_t wl = strlen(w), kl = strlen(key);
            if (kl <= wl + 1)
                continue;
            if (!strncmp(key, w, wl) && key[wl] == ' ') {
                memmove(key, key + wl + 1, kl - wl);
                again = changed = true;
                break;
            }
            if (!strcmp(key + kl - wl, w) && key[kl - wl - 1] == ' ') {
                key[kl - wl - 1] = '\0';
                again = changed = true;
                break;
            }
        }
    }
    return changed;
}

struct country_index {
    const struct store_aliases *a;      /* borrowed, longest key first */
    const struct store_alias **by_key;  /* owned array, sorted by key */
    const struct store_alias **by_iso3; /* owned array, sorted by iso3 */
};

static int cmp_key(const void *x, const void *y)
{
    const struct store_alias *const *p = x, *const *q = y;
    return strcmp((*p)->key, (*q)->key);
}

static int cmp_iso3(const void *x, const void *y)
{
    const struct store_alias *const *p = x, *const *q = y;
    return strcmp((*p)->iso3, (*q)->iso3);
}

struct country_index *country_index_new(const struct store_aliases *a)
{
    struct country_index *ix = xcalloc(1, sizeof *ix);
    size_t n = a->n ? a->n : 1;
    ix->a = a;
    ix->by_key = xcalloc(n, sizeof(const struct store_alias *));
    ix->by_iso3 = xcalloc(n, sizeof(const struct store_alias *));
    for (size_t i = 0; i < a->n; i++)
        ix->by_key[i] = ix->by_iso3[i] = &a->items[i];
    qsort(ix->by_key, a->n, sizeof(const struct store_alias *), cmp_key);
    qsort(ix->by_iso3, a->n, sizeof(const struct store_alias *), cmp_iso3);
    return ix;
}

void country_index_free(struct country_index *ix)
{
    if (!ix)
        return;
    free(ix->by_key);
    free(ix->by_iso3);
    free(ix);
}

static const struct store_alias *find_exact(const struct country_index *ix,
                                            const char *key)
{
    struct store_alias probe = {(char *)key, ""};
    const struct store_alias *pp = &probe;
    const struct store_alias **hit = bsearch(
        &pp, ix->by_key, ix->a->n, sizeof(const struct store_alias *), cmp_key);
    return hit ? *hit : NULL;
}

bool country_index_has(const struct country_index *ix, const char *iso3)
{
    struct store_alias probe = {NULL, ""};
    snprintf(probe.iso3, sizeof probe.iso3, "%s", iso3);
    const struct store_alias *pp = &probe;
    return bsearch(&pp, ix->by_iso3, ix->a->n,
                   sizeof(const struct store_alias *), cmp_iso3) != NULL;
}

/* True when word (a folded key) occurs in key on word boundaries. */
static bool has_words(const char *key, const char *word)
{
    size_t wl = strlen(word);
    if (wl == 0)
        return false;
    for (const char *p = strstr(key, word); p; p = strstr(p + 1, word)) {
        bool starts = p == key || p[-1] == ' ';
        bool ends = p[wl] == '\0' || p[wl] == ' ';
        if (starts && ends)
            return true;
    }
    return false;
}

bool country_index_match(const struct country_index *ix, const char *title,
                         char iso3[4])
{
    char key[COUNTRY_KEY_MAX];
    if (!title)
        return false;
    country_key(title, key, sizeof key);
    if (!key[0])
        return false;
    const struct store_alias *hit = find_exact(ix, key);
    if (!hit) {
        char stripped[COUNTRY_KEY_MAX];
        memcpy(stripped, key, sizeof stripped);
        if (strip_wrappers(stripped) && stripped[0])
            hit = find_exact(ix, stripped);
    }
    /* The aliases come longest first: the first one found wins. */
    for (size_t i = 0; !hit && i < ix->a->n; i++)
        if (has_words(key, ix->a->items[i].key))
            hit = &ix->a->items[i];
    if (!hit)
        return false;
    memcpy(iso3, hit->iso3, 4);
    return true;
}

bool country_match(const struct store_aliases *a, const char *title,
                   char iso3[4])
{
    struct country_index *ix = country_index_new(a);
    bool found = country_index_match(ix, title, iso3);
    country_index_free(ix);
    return found;
}

bool country_iso3_norm(const char *s, char up[4])
{
    if (!s || strlen(s) != 3)
        return false;
    for (size_t i = 0; i < 3; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            return false;
        up[i] = (char)c;
    }
    up[3] = '\0';
    return true;
}

/* ---- loading the CSV files ---------------------------------------------- */

struct sync_ctx {
    struct store *s;
    const char *path;
    char (*codes)[4]; /* countries read so far */
    size_t n_codes, cap_codes;
    size_t n_rows;
};

static bool has_code(const struct sync_ctx *c, const char *iso3)
{
    for (size_t i = 0; i < c->n_codes; i++)
        if (!strcmp(c->codes[i], iso3))
            return true;
    return false;
}

static int header_check(const struct sync_ctx *c, char **fields, size_t n,
                        const char *const *want, size_t n_want, unsigned line,
                        struct cw_error *err)
{
    for (size_t i = 0; i < n_want; i++)
        if (i >= n || strcmp(fields[i], want[i]) != 0)
            return cw_errorf(err, CW_ERR_PARSE,
                             (struct cw_loc){c->path, line, (unsigned)i + 1},
                             "expected column '%s' in the header", want[i]);
    return CW_OK;
}

static int put_alias(struct sync_ctx *c, const char *iso3, const char *name,
                     unsigned line, unsigned col, struct cw_error *err)
{
    char key[COUNTRY_KEY_MAX], owner[4];
    country_key(name, key, sizeof key);
    if (!key[0])
        return CW_OK;
    int status = store_alias_put(c->s, iso3, key, owner, err);
    if (status)
        return status;
    if (strcmp(owner, iso3) != 0)
        return cw_errorf(err, CW_ERR_PARSE, (struct cw_loc){c->path, line, col},
                         "name '%s' of '%s' is already a name of '%s'", name,
                         iso3, owner);
    return CW_OK;
}

static int country_row(void *ctx, char **f, size_t n, unsigned line,
                       struct cw_error *err)
{
    struct sync_ctx *c = ctx;
    static const char *const cols[] = {"iso3", "name", "region", "aliases"};
    if (c->n_rows++ == 0)
        return header_check(c, f, n, cols, 2, line, err);
    if (c->n_rows > COUNTRY_MAX_ROWS)
        return cw_errorf(err, CW_ERR_LIMIT, (struct cw_loc){c->path, line, 1},
                         "more than %d countries", COUNTRY_MAX_ROWS);
    char iso3[4];
    if (!country_iso3_norm(f[0], iso3))
        return cw_errorf(err, CW_ERR_PARSE, (struct cw_loc){c->path, line, 1},
                         "'%s' is not an ISO 3166 alpha-3 code", f[0]);
    if (n < 2 || !f[1][0])
        return cw_errorf(err, CW_ERR_PARSE, (struct cw_loc){c->path, line, 2},
                         "country '%s' has no name", iso3);
    if (has_code(c, iso3))
        return cw_errorf(err, CW_ERR_PARSE, (struct cw_loc){c->path, line, 1},
                         "country '%s' is listed twice", iso3);
    CW_GROW(c->codes, c->n_codes + 1, c->cap_codes);
    memcpy(c->codes[c->n_codes++], iso3, 4);
    int status = store_country_put(c->s, iso3, f[1], n > 2 ? f[2] : "", err);
    if (status)
        return status;
    status = put_alias(c, iso3, f[1], line, 2, err);
    if (status || n < 4)
        return status;
    /* aliases: separated by '|' */
    const char *p = f[3];
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        char *alias = xstrndup(p, len);
        status = put_alias(c, iso3, alias, line, 4, err);
        free(alias);
        if (status)
            return status;
        p += len;
        if (*p == '|')
            p++;
    }
    return CW_OK;
}

static int group_row(void *ctx, char **f, size_t n, unsigned line,
                     struct cw_error *err)
{
    struct sync_ctx *c = ctx;
    static const char *const cols[] = {"group", "iso3"};
    if (c->n_rows++ == 0)
        return header_check(c, f, n, cols, 2, line, err);
    if (c->n_rows > (size_t)COUNTRY_MAX_ROWS * 20)
        return cw_errorf(err, CW_ERR_LIMIT, (struct cw_loc){c->path, line, 1},
                         "more than %d group rows", COUNTRY_MAX_ROWS * 20);
    if (!f[0][0])
        return cw_errorf(err, CW_ERR_PARSE, (struct cw_loc){c->path, line, 1},
                         "empty group name");
    char iso3[4];
    if (n < 2 || !country_iso3_norm(f[1], iso3))
        return cw_errorf(err, CW_ERR_PARSE, (struct cw_loc){c->path, line, 2},
                         "'%s' is not an ISO 3166 alpha-3 code",
                         n < 2 ? "" : f[1]);
    if (!has_code(c, iso3))
        return cw_errorf(err, CW_ERR_PARSE, (struct cw_loc){c->path, line, 2},
                         "unknown country '%s' in group '%s'", iso3, f[0]);
    return store_group_put(c->s, f[0], iso3, err);
}

/* Read both files into cbuf and gbuf and their SHA-256s into both. */
static int read_lists(const char *countries_csv, const char *groups_csv,
                      struct strbuf *cbuf, struct strbuf *gbuf,
                      char both[2 * SHA256_HEX_LEN + 2], struct cw_error *err)
{
    char chash[SHA256_HEX_LEN + 1], ghash[SHA256_HEX_LEN + 1];
    int status = fileio_read(countries_csv, (size_t)CSVIO_MAX_BYTES, cbuf, err);
    if (!status)
        status = fileio_read(groups_csv, (size_t)CSVIO_MAX_BYTES, gbuf, err);
    if (status)
        return status;
    sha256_hex(cbuf->buf, cbuf->len, chash);
    sha256_hex(gbuf->buf, gbuf->len, ghash);
    snprintf(both, 2 * SHA256_HEX_LEN + 2, "%s %s", chash, ghash);
    return CW_OK;
}

int country_check(struct store *s, const char *countries_csv,
                  const char *groups_csv, bool *is_current,
                  struct cw_error *err)
{
    struct strbuf cbuf = STRBUF_INIT, gbuf = STRBUF_INIT, old = STRBUF_INIT;
    char both[2 * SHA256_HEX_LEN + 2];
    *is_current = true;
    cw_error_clear(err);
    int status = read_lists(countries_csv, groups_csv, &cbuf, &gbuf, both, err);
    if (!status) {
        bool has = store_meta_get(s, "countries_sha256", &old, err);
        if (err && err->code)
            status = err->code;
        else
            *is_current = has && !strcmp(old.buf, both);
    }
    strbuf_release(&cbuf);
    strbuf_release(&gbuf);
    strbuf_release(&old);
    return status;
}

int country_sync(struct store *s, const char *countries_csv,
                 const char *groups_csv, bool *is_changed, struct cw_error *err)
{
    struct strbuf cbuf = STRBUF_INIT, gbuf = STRBUF_INIT, old = STRBUF_INIT;
    struct sync_ctx c = {s, NULL, NULL, 0, 0, 0};
    bool own_txn = false;
    int status;
    char both[2 * SHA256_HEX_LEN + 2];

    if (is_changed)
        *is_changed = false;
    cw_error_clear(err);
    status = read_lists(countries_csv, groups_csv, &cbuf, &gbuf, both, err);
    if (status)
        goto out;
    if (store_meta_get(s, "countries_sha256", &old, err) &&
        !strcmp(old.buf, both))
        goto out;
    if (err && err->code) {
        status = err->code;
        goto out;
    }
    if (!store_in_transaction(s)) {
        status = store_begin(s, err);
        if (status)
            goto out;
        own_txn = true;
        /* Another process may have loaded them while we waited. */
        if (store_meta_get(s, "countries_sha256", &old, err) &&
            !strcmp(old.buf, both))
            goto out;
    }
    status = store_countries_clear(s, err);
    if (status)
        goto out;
    c.path = countries_csv;
    status =
        csvio_parse(countries_csv, cbuf.buf, cbuf.len, country_row, &c, err);
    if (status)
        goto out;
    /* Said here: every group row would otherwise name an unknown one. */
    if (!c.n_codes) {
        status = cw_errorf(err, CW_ERR_PARSE,
                           (struct cw_loc){countries_csv, c.n_rows ? 2 : 1, 0},
                           c.n_rows ? "no countries after the header"
                                    : "file is empty (expected the header "
                                      "iso3,name,region,aliases and a row "
                                      "per country)");
        goto out;
    }
    c.path = groups_csv;
    c.n_rows = 0;
    status = csvio_parse(groups_csv, gbuf.buf, gbuf.len, group_row, &c, err);
    if (status)
        goto out;
    status = store_meta_set(s, "countries_sha256", both, err);
    if (status)
        goto out;
    if (own_txn) {
        status = store_commit(s, err);
        own_txn = false;
        if (status)
            goto out;
    }
    if (is_changed)
        *is_changed = true;
out:
    if (own_txn) {
        if (status)
            store_rollback(s);
        else
            status = store_commit(s, err);
    }
    free(c.codes);
    strbuf_release(&cbuf);
    strbuf_release(&gbuf);
    strbuf_release(&old);
    return status;
}
