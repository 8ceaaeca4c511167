/*
 * The peer corpus against its facts: every stated section of every profile
 * in data/profiles/ and tests/fixtures/profiles/ must get the status recorded
 * in tests/fixtures/corpus/expected.csv (the facts' status, or for "unclear"
 * facts the decision recorded with its reason). A mismatch names the
 * country, the section, the expected and found status and the deciding
 * sentence. Prints the agreement figure.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "io/csvio.h"
#include "test.h"
#include "util/xalloc.h"

struct row {
    char iso3[8];
    char section[16];
    char facts[16];
    char expected[16];
    char note[512];
    unsigned line;
};

struct rows {
    struct row *v;
    size_t n, cap;
    bool seen_header;
};

static int on_row(void *ctx, char **f, size_t n, unsigned line,
                  struct cw_error *err)
{
    struct rows *rs = ctx;
    (void)err;
    if (!rs->seen_header) {
        rs->seen_header = true;
        CHECK(n == 5 && !strcmp(f[0], "iso3") && !strcmp(f[3], "expected"));
        return CW_OK;
    }
    CHECK_INT_EQ(n, 5);
    if (n < 5)
        return CW_OK;
    CW_GROW(rs->v, rs->n + 1, rs->cap);
    struct row *r = &rs->v[rs->n++];
    snprintf(r->iso3, sizeof r->iso3, "%s", f[0] ? f[0] : "");
    snprintf(r->section, sizeof r->section, "%s", f[1] ? f[1] : "");
    snprintf(r->facts, sizeof r->facts, "%s", f[2] ? f[2] : "");
    snprintf(r->expected, sizeof r->expected, "%s", f[3] ? f[3] : "");
    snprintf(r->note, sizeof r->note, "%s", f[4] ? f[4] : "");
    r->line = line;
    return CW_OK;
}

int main(void)
{
    struct rows rs = {0};
    struct cw_error err;
    int rc = csvio_read(SRC("tests/fixtures/corpus/expected.csv"), on_row, &rs,
                        &err);
    CHECK_INT_EQ(rc, CW_OK);
    CHECK(rs.n >= 180);

    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    struct rubric *r = rubric_load(SRC("rubric/gci2014.csv"), errs);
    CHECK(r != NULL);
    if (!r)
        return test_summary();

    size_t matched = 0, stated = 0, decided = 0;
    for (size_t i = 0; i < rs.n; i++) {
        struct row *row = &rs.v[i];
        /* The fixture follows the facts except where they say unclear,
         * and then it must give a reason. */
        if (strcmp(row->facts, "unclear") == 0) {
            decided++;
            if (!row->note[0])
                fprintf(stderr, "expected.csv:%u: unclear without reason\n",
                        row->line);
            CHECK(row->note[0] != '\0');
        } else {
            CHECK_STR_EQ(row->expected, row->facts);
        }
        char path[256], iso[8];
        size_t k;
        for (k = 0; row->iso3[k] && k + 1 < sizeof iso; k++)
            iso[k] = (char)tolower((unsigned char)row->iso3[k]);
        iso[k] = '\0';
        snprintf(path, sizeof path, "%s/%s/%s.txt", CW_SOURCE_DIR,
                 strcmp(iso, "bel") ? "tests/fixtures/profiles"
                                    : "data/profiles",
                 iso);
        struct doc *d = doc_load(path, &err);
        if (!d) {
            fprintf(stderr, "%s: %s\n", path, err.msg);
            CHECK(d != NULL);
            continue;
        }
        long ind = rubric_find_indicator(r, row->section);
        CHECK(ind >= 0);
        if (ind < 0) {
            doc_free(d);
            continue;
        }
        struct score_result res;
        score_document(r, d, &res);
        const struct score_indicator *si = &res.indicators[ind];
        stated++;
        if (!strcmp(cw_state_name(si->state), row->expected)) {
            matched++;
        } else {
            fprintf(stderr,
                    "%s %s: expected %s, found %s; decided by line %u "
                    "\"%s\" (cue %s)\n",
                    row->iso3, row->section, row->expected,
                    cw_state_name(si->state),
                    si->evidence ? si->evidence->line : 0,
                    si->evidence ? si->evidence->text : "",
                    si->cue ? si->cue->id : "none");
        }
        CHECK_STR_EQ(cw_state_name(si->state), row->expected);
        score_release(&res);
        doc_free(d);
    }
    printf("agreement: %zu of %zu stated sections (%zu needed a decision)\n",
           matched, stated, decided);

    /* Every profile in data/profiles and tests/fixtures/profiles parses. */
    size_t n_docs = 0;
    static const char *const dirs[] = {"data/profiles",
                                       "tests/fixtures/profiles"};
    for (size_t di = 0; di < 2; di++) {
        char dpath[512];
        snprintf(dpath, sizeof dpath, "%s/%s", CW_SOURCE_DIR, dirs[di]);
        DIR *dir = opendir(dpath);
        CHECK(dir != NULL);
        for (struct dirent *e; dir && (e = readdir(dir));) {
            size_t l = strlen(e->d_name);
            if (l < 5 || strcmp(e->d_name + l - 4, ".txt"))
                continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s/%s", CW_SOURCE_DIR, dirs[di],
                     e->d_name);
            struct doc *d = doc_load(path, &err);
            if (!d)
                fprintf(stderr, "%s: %s\n", path, err.msg);
            CHECK(d != NULL);
            n_docs++;
            doc_free(d);
        }
        if (dir)
            closedir(dir);
    }
    CHECK_INT_EQ(n_docs, 22);
    rubric_free(r);
    free(errs);
    free(rs.v);
    return test_summary();
}
