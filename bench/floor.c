/*
 * floor: the lower bound for ingest (issue 14). Takes a database that
 * `cyberwell ingest` filled, loads into memory (untimed) each document's
 * row, its score row (results) and its indicator rows with their evidence
 * sentence (indicator_results, one per rubric indicator), then times only:
 * reading each document's file and inserting those rows into a fresh
 * database of the same schema, page size and pragmas, with prepared
 * statements, in one transaction. What else ingest stores (the document's
 * text, pillar scores) is not part of the floor, nor is parsing or
 * scoring.
 *
 * usage: floor SOURCE.db TARGET.db
 * prints: "floor: N documents, R rows, S.SSS s, C.CCC s cpu, D docs/s"
 * (wall time and CPU time of the timed part)
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define N_TABLES 3

static const char *const tables[N_TABLES] = {"documents", "results",
                                             "indicator_results"};

/* Rows of each table with the document they belong to, in insert order. */
static const char *const selects[N_TABLES] = {
    "SELECT id, * FROM documents ORDER BY id",
    "SELECT document_id, * FROM results ORDER BY document_id",
    "SELECT document_id, * FROM indicator_results ORDER BY document_id, seq"};

struct buf {
    unsigned char *p;
    size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1 << 20;
        while (cap < b->len + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p) {
            fputs("floor: out of memory\n", stderr);
            exit(1);
        }
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "floor: %s: %s\n", sql, msg ? msg : "?");
        sqlite3_free(msg);
        exit(1);
    }
}

/* Per table: a buffer of serialised rows and, per row, its document. */
struct table {
    struct buf rows;
    int64_t *doc; /* document id of each row */
    size_t n, cap;
    int n_cols;
};

static void load_table(sqlite3 *src, int t, struct table *tab)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(src, selects[t], -1, &st, NULL) != SQLITE_OK)
        die(src, selects[t]);
    tab->n_cols = sqlite3_column_count(st) - 1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (tab->n == tab->cap) {
            tab->cap = tab->cap ? tab->cap * 2 : 1024;
            tab->doc = realloc(tab->doc, tab->cap * sizeof *tab->doc);
            if (!tab->doc)
                die(NULL, "out of memory");
        }
        tab->doc[tab->n++] = sqlite3_column_int64(st, 0);
        for (int c = 1; c <= tab->n_cols; c++) {
            unsigned char type = (unsigned char)sqlite3_column_type(st, c);
            put(&tab->rows, &type, 1);
            if (type == SQLITE_INTEGER) {
                int64_t v = sqlite3_column_int64(st, c);
                put(&tab->rows, &v, sizeof v);
            } else if (type == SQLITE_FLOAT) {
                double v = sqlite3_column_double(st, c);
                put(&tab->rows, &v, sizeof v);
            } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
                const void *p = type == SQLITE_TEXT
                                    ? (const void *)sqlite3_column_text(st, c)
                                    : sqlite3_column_blob(st, c);
                uint32_t n = (uint32_t)sqlite3_column_bytes(st, c);
                put(&tab->rows, &n, sizeof n);
                put(&tab->rows, p, n);
            }
        }
    }
    sqlite3_finalize(st);
}

/* CPU seconds (user + system) used by this process so far. */
static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: floor SOURCE.db TARGET.db\n", stderr);
        return 2;
    }
    sqlite3 *src, *dst;
    if (sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, NULL))
        die(src, argv[1]);
    remove(argv[2]);
    if (sqlite3_open(argv[2], &dst))
        die(dst, argv[2]);
    /* the source's page size, then the pragmas of store_open */
    sqlite3_stmt *pg;
    if (sqlite3_prepare_v2(src, "PRAGMA page_size", -1, &pg, NULL) ||
        sqlite3_step(pg) != SQLITE_ROW)
        die(src, "page_size");
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA page_size=%d",
             sqlite3_column_int(pg, 0));
    sqlite3_finalize(pg);
    exec(dst, pragma);
    exec(dst, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; "
              "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192; "
              "PRAGMA temp_store=MEMORY");

    /* The same schema; countries and rubrics copied untimed. */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(src,
                           "SELECT sql FROM sqlite_master WHERE sql NOT NULL "
                           "ORDER BY rowid",
                           -1, &st, NULL))
        die(src, "schema");
    exec(dst, "BEGIN");
    while (sqlite3_step(st) == SQLITE_ROW)
        exec(dst, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    char attach[4200];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS src", argv[1]);
    exec(dst, "COMMIT");
    exec(dst, attach);
    exec(dst, "INSERT INTO countries SELECT * FROM src.countries;"
              "INSERT INTO rubrics SELECT * FROM src.rubrics;");
    exec(dst, "DETACH src");

    struct table tabs[N_TABLES];
    memset(tabs, 0, sizeof tabs);
    size_t n_rows = 0;
    for (int t = 0; t < N_TABLES; t++) {
        load_table(src, t, &tabs[t]);
        n_rows += tabs[t].n;
    }
    sqlite3_stmt *ins[N_TABLES];
    for (int t = 0; t < N_TABLES; t++) {
        char sql[512];
        int n = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES(", tables[t]);
        for (int c = 0; c < tabs[t].n_cols; c++)
            n += snprintf(sql + n, sizeof sql - (size_t)n, "%s?", c ? "," : "");
        snprintf(sql + n, sizeof sql - (size_t)n, ")");
        if (sqlite3_prepare_v3(dst, sql, -1, SQLITE_PREPARE_PERSISTENT, &ins[t],
                               NULL))
            die(dst, sql);
    }
    char **paths = calloc(tabs[0].n + 1, sizeof *paths);
    {
        sqlite3_stmt *ps;
        if (sqlite3_prepare_v2(src, "SELECT path FROM documents ORDER BY id",
                               -1, &ps, NULL))
            die(src, "paths");
        for (size_t i = 0; sqlite3_step(ps) == SQLITE_ROW; i++) {
            const char *p = (const char *)sqlite3_column_text(ps, 0);
            size_t n = strlen(p);
            paths[i] = malloc(n + 1);
            memcpy(paths[i], p, n + 1);
        }
        sqlite3_finalize(ps);
    }
    sqlite3_close(src);

    size_t pos[N_TABLES] = {0}, off[N_TABLES] = {0};
    size_t fbuf_cap = 1 << 20;
    char *fbuf = malloc(fbuf_cap);
    double t0 = now(), c0 = cpu();
    exec(dst, "BEGIN IMMEDIATE");
    for (size_t d = 0; d < tabs[0].n; d++) {
        int64_t doc = tabs[0].doc[d];
        /* read the document's file, as ingest does */
        FILE *f = fopen(paths[d], "rb");
        if (!f)
            die(NULL, paths[d]);
        size_t got = fread(fbuf, 1, fbuf_cap, f);
        fclose(f);
        if (got == 0)
            die(NULL, paths[d]);
        for (int t = 0; t < N_TABLES; t++) {
            struct table *tab = &tabs[t];
            while (pos[t] < tab->n && tab->doc[pos[t]] == doc) {
                sqlite3_stmt *s = ins[t];
                for (int c = 1; c <= tab->n_cols; c++) {
                    unsigned char type = tab->rows.p[off[t]++];
                    if (type == SQLITE_INTEGER) {
                        int64_t v;
                        memcpy(&v, tab->rows.p + off[t], sizeof v);
                        off[t] += sizeof v;
                        sqlite3_bind_int64(s, c, v);
                    } else if (type == SQLITE_FLOAT) {
                        double v;
                        memcpy(&v, tab->rows.p + off[t], sizeof v);
                        off[t] += sizeof v;
                        sqlite3_bind_double(s, c, v);
                    } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
                        uint32_t n;
                        memcpy(&n, tab->rows.p + off[t], sizeof n);
                        off[t] += sizeof n;
                        if (type == SQLITE_TEXT)
                            sqlite3_bind_text(
                                s, c, (const char *)tab->rows.p + off[t],
                                (int)n, SQLITE_STATIC);
                        else
                            sqlite3_bind_blob(s, c, tab->rows.p + off[t],
                                              (int)n, SQLITE_STATIC);
                        off[t] += n;
                    } else {
                        sqlite3_bind_null(s, c);
                    }
                }
                if (sqlite3_step(s) != SQLITE_DONE)
                    die(dst, tables[t]);
                sqlite3_reset(s);
                pos[t]++;
            }
        }
    }
    exec(dst, "COMMIT");
    double secs = now() - t0, cpus = cpu() - c0;
    printf("floor: %zu documents, %zu rows, %.3f s, %.3f s cpu, %.0f docs/s\n",
           tabs[0].n, n_rows, secs, cpus,
           secs > 0 ? (double)tabs[0].n / secs : 0);
    for (int t = 0; t < N_TABLES; t++) {
        sqlite3_finalize(ins[t]);
        free(tabs[t].rows.p);
        free(tabs[t].doc);
    }
    for (size_t i = 0; i < tabs[0].n; i++)
        free(paths[i]);
    free(paths);
    free(fbuf);
    sqlite3_close(dst);
    return 0;
}
