/*
 * The world reference set (data/reference/profiles.csv, issue 11) against
 * the careful readers' labels in CW_SHARED_DIR/data/itu-labels: every
 * section of the 161 real profiles that the two readings agree on has the
 * readers' status; every held-back row has the status and hash of
 * held-back.csv; and every real profile ingests without --country as the
 * country its file is named after. Skipped (77) when the shared data is
 * absent.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/ingest.h"
#include "io/csvio.h"
#include "store/store.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include "test.h"

#define MAX_ROWS 8000

struct row {
    char key[16]; /* "BEL 1.2.1" */
    char status[16];
    char origin[16];
    char date[16];
    char sha256[65];
};

struct table {
    struct row *v;
    size_t n;
    int col_key1, col_key2, col_status, col_origin, col_date, col_sha;
    bool has_header;
};

static int col_of(char **f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f[i], name))
            return (int)i;
    return -1;
}

static void copy(char *dst, size_t cap, char **f, size_t n, int col)
{
    snprintf(dst, cap, "%s", col >= 0 && (size_t)col < n ? f[col] : "");
}

static int on_row(void *ctx, char **f, size_t n, unsigned line,
                  struct cw_error *err)
{
    (void)line;
    (void)err;
    struct table *t = ctx;
    if (!t->has_header) {
        t->has_header = true;
        t->col_key1 = col_of(f, n, "iso3");
        t->col_key2 = col_of(f, n, "section");
        t->col_status = col_of(f, n, "status");
        if (t->col_status < 0)
            t->col_status = col_of(f, n, "reading_1");
        t->col_origin = col_of(f, n, "origin");
        t->col_date = col_of(f, n, "profile_date");
        if (t->col_date < 0)
            t->col_date = col_of(f, n, "profile_last_updated");
        t->col_sha = col_of(f, n, "profile_sha256");
        return CW_OK;
    }
    if (t->n == MAX_ROWS)
        return CW_OK;
    struct row *r = &t->v[t->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s %s",
             t->col_key1 >= 0 ? f[t->col_key1] : "",
             t->col_key2 >= 0 ? f[t->col_key2] : "");
    copy(r->status, sizeof r->status, f, n, t->col_status);
    copy(r->origin, sizeof r->origin, f, n, t->col_origin);
    copy(r->date, sizeof r->date, f, n, t->col_date);
    copy(r->sha256, sizeof r->sha256, f, n, t->col_sha);
    return CW_OK;
}

static void load(struct table *t, const char *path)
{
    struct cw_error err;
    memset(t, 0, sizeof *t);
    t->v = xcalloc(MAX_ROWS, sizeof *t->v);
    int rc = csvio_read(path, on_row, t, &err);
    CHECK_INT_EQ(rc, CW_OK);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
}

static const struct row *find(const struct table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, key))
            return &t->v[i];
    return NULL;
}

/* The reference set agrees with every label. */
static void test_labels(const char *labels)
{
    char path[1024];
    struct table ref, exp, dis, held;
    load(&ref, SRC("data/reference/profiles.csv"));
    snprintf(path, sizeof path, "%s/expected.csv", labels);
    load(&exp, path);
    snprintf(path, sizeof path, "%s/disputed.csv", labels);
    load(&dis, path);
    snprintf(path, sizeof path, "%s/held-back.csv", labels);
    load(&held, path);
    CHECK_INT_EQ(ref.n, 4053); /* 193 countries x 21 sections */
    size_t n_checked = 0, n_corrected = 0;
    for (size_t i = 0; i < exp.n; i++) {
        const struct row *e = &exp.v[i];
        const struct row *r = find(&ref, e->key);
        CHECK(r != NULL);
        if (!r || find(&dis, e->key))
            continue;
        if (strcmp(r->status, e->status) != 0)
            fprintf(stderr, "%s: reference %s, readers %s\n", e->key, r->status,
                    e->status);
        CHECK_STR_EQ(r->status, e->status);
        CHECK(!strcmp(r->origin, "read") || !strcmp(r->origin, "corrected"));
        n_corrected += !strcmp(r->origin, "corrected");
        n_checked++;
    }
    for (size_t i = 0; i < dis.n; i++) {
        const struct row *r = find(&ref, dis.v[i].key);
        CHECK(r != NULL);
        if (r)
            CHECK_STR_EQ(r->origin, "disputed");
    }
    for (size_t i = 0; i < held.n; i++) {
        const struct row *h = &held.v[i];
        const struct row *r = find(&ref, h->key);
        CHECK(r != NULL);
        if (!r)
            continue;
        CHECK_STR_EQ(r->status,
                     strcmp(h->status, "disputed") ? h->status : "unknown");
        CHECK_STR_EQ(r->origin, "held-back");
        CHECK_STR_EQ(r->sha256, h->sha256);
        CHECK(r->date[0] != '\0');
        n_checked++;
    }
    CHECK_INT_EQ(n_checked,
                 3364 + 672); /* expected.csv holds no disputed section */
    CHECK_INT_EQ(n_corrected, 26);
    printf("reference: %zu sections equal the readers' status (%zu of them "
           "corrected), %zu disputed\n",
           n_checked, n_corrected, dis.n);
    free(ref.v);
    free(exp.v);
    free(dis.v);
    free(held.v);
}

/* Every real profile ingests without --country as its file's country,
 * and its hash is the one the reference set records. */
static void test_ingest_all(const char *dir)
{
    struct cw_error err;
    struct store *s = store_open(":memory:", 0, &err);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT_EQ(country_sync(s, SRC("data/countries.csv"),
                              SRC("data/groups.csv"), NULL, &err),
                 CW_OK);
    struct ingest *in = ingest_new(s, 0, 0, &err);
    CHECK(in != NULL);
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    CHECK_INT_EQ(
        ingest_add_rubric(in, SRC("rubric/gci2014.csv"), NULL, NULL, errs),
        CW_OK);
    struct table ref;
    load(&ref, SRC("data/reference/profiles.csv"));
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    size_t n = 0;
    struct strbuf data = STRBUF_INIT;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l != 7 || strcmp(e->d_name + 3, ".txt") != 0)
            continue;
        char path[1024], want[4], got[4] = "", key[16];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        for (size_t k = 0; k < 3; k++)
            want[k] = (char)toupper((unsigned char)e->d_name[k]);
        want[3] = '\0';
        enum ingest_outcome o;
        int rc = ingest_file(in, path, NULL, &o, got, &err);
        if (rc)
            fprintf(stderr, "%s: %s\n", path, err.msg);
        CHECK_INT_EQ(rc, CW_OK);
        CHECK_STR_EQ(got, want);
        snprintf(key, sizeof key, "%s 1.1.1", want);
        const struct row *r = find(&ref, key);
        CHECK(r != NULL);
        if (r && fileio_read(path, DOC_MAX_BYTES, &data, &err) == CW_OK) {
            char hex[SHA256_HEX_LEN + 1];
            sha256_hex(data.buf, data.len, hex);
            CHECK_STR_EQ(r->sha256, hex);
        }
        n++;
    }
    if (d)
        closedir(d);
    CHECK_INT_EQ(n, 161);
    CHECK_INT_EQ(ingest_commit(in, &err), CW_OK);
    strbuf_release(&data);
    free(ref.v);
    free(errs);
    ingest_free(in);
    store_close(s);
}

int main(void)
{
    const char *labels = CW_SHARED_DIR "/data/itu-labels";
    const char *dir = CW_SHARED_DIR "/data/itu-profiles";
    FILE *probe = fopen(CW_SHARED_DIR "/data/itu-labels/held-back.csv", "rb");
    if (!probe) {
        printf("SKIP: no real profiles and labels at %s (set "
               "CYBERWELL_SHARED_DIR)\n",
               CW_SHARED_DIR);
        return 77;
    }
    fclose(probe);
    test_labels(labels);
    test_ingest_all(dir);
    return test_summary();
}
