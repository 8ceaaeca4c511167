/*
 * libFuzzer harness for the reference-set import: import_csv, the one entry
 * point of every CSV kind (overrides, published reference scores and any
 * kind added later: the kind is told by the header row, so the fuzzer
 * reaches each from its seeds), on the input written to a file, into a
 * database that holds the countries of data/countries.csv and the rubric
 * rubric/gci2014.csv. The database is rebuilt from a template copy before
 * each input, so inputs do not depend on each other.
 *
 * Checks that a failure reports at least one error with a known code and
 * a message and leaves the database's row counts as they were (one bad row
 * and nothing is stored), and that a success stored or skipped no more
 * rows than the file holds and leaves a database that passes
 * PRAGMA integrity_check.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/country.h"
#include "core/import.h"
#include "fuzz_common.h"
#include "store/store.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/strbuf.h"

#include "util/banned.h"

static char dir[64];
static char db_path[128], wal_path[160], shm_path[160], csv_path[128];
static struct strbuf template_db = STRBUF_INIT;
static struct cw_errors errs; /* ~16 KB: not on the stack */

static void fail(const char *what, const struct cw_error *err)
{
    fprintf(stderr, "fuzz_import: %s: %s\n", what, err ? err->msg : "?");
    abort();
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || (len && fwrite(data, 1, len, fp) != len) || fclose(fp) != 0)
        fail("cannot write a file in the work folder", NULL);
}

/* The template database: countries and gci2014, built once. */
static void build_template(void)
{
    struct cw_error err;
    struct strbuf rubric = STRBUF_INIT;
    if (fileio_read(FUZZ_SRC("rubric/gci2014.csv"), 1 << 22, &rubric, &err))
        fail("cannot read rubric/gci2014.csv", &err);
    struct store *s = store_open(db_path, 0, &err);
    if (!s)
        fail("cannot create the database", &err);
    if (country_sync(s, FUZZ_SRC("data/countries.csv"),
                     FUZZ_SRC("data/groups.csv"), NULL, &err))
        fail("cannot load the countries", &err);
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(rubric.buf, rubric.len, hex);
    int64_t id = 0;
    bool is_new = false;
    if (store_rubric_register(s, "gci2014", "fuzz", hex, "rubric/gci2014.csv",
                              rubric.buf, rubric.len, &id, &is_new, &err))
        fail("cannot register the rubric", &err);
    store_close(s); /* checkpoints the write-ahead log into the file */
    strbuf_release(&rubric);
    if (fileio_read(db_path, (size_t)1 << 26, &template_db, &err))
        fail("cannot read the template database", &err);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fuzz_import.XXXXXX",
             tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(dir))
        fail("cannot make a work folder", NULL);
    snprintf(db_path, sizeof db_path, "%s/db.sqlite", dir);
    snprintf(wal_path, sizeof wal_path, "%s-wal", db_path);
    snprintf(shm_path, sizeof shm_path, "%s-shm", db_path);
    snprintf(csv_path, sizeof csv_path, "%s/input.csv", dir);
    build_template();
    return 0;
}

static struct store *fresh_store(void)
{
    struct cw_error err;
    unlink(wal_path);
    unlink(shm_path);
    write_file(db_path, template_db.buf, template_db.len);
    struct store *s = store_open(db_path, STORE_PERSISTENT, &err);
    if (!s)
        fail("cannot open the database copy", &err);
    return s;
}

static void stats(struct store *s, struct store_stats *st)
{
    struct cw_error err;
    if (store_stats_get(s, st, &err))
        fail("cannot count rows", &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_file(csv_path, data, size);
    struct store *s = fresh_store();
    struct store_stats before, after;
    stats(s, &before);
    struct import_summary sum;
    errs.n = errs.n_dropped = 0;
    int rc = import_csv(s, csv_path, &sum, &errs);
    stats(s, &after);
    if (rc) {
        FUZZ_ASSERT(errs.n > 0);
        FUZZ_ASSERT(rc == CW_ERR_PARSE || rc == CW_ERR_LIMIT);
        for (size_t i = 0; i < errs.n; i++)
            FUZZ_ASSERT(errs.e[i].msg[0] != '\0');
        FUZZ_ASSERT(after.overrides == before.overrides);
        FUZZ_ASSERT(after.references == before.references);
        FUZZ_ASSERT(after.countries == before.countries);
    } else {
        FUZZ_ASSERT(errs.n == 0);
        FUZZ_ASSERT(sum.n_stored + sum.n_existing <= sum.n_rows);
        FUZZ_ASSERT(after.overrides + after.references >=
                    before.overrides + before.references);
        FUZZ_ASSERT(after.countries == before.countries);
        struct cw_error err;
        FUZZ_ASSERT(store_check(s, &err) == CW_OK);
    }
    store_close(s);
    return 0;
}
