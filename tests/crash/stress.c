/*
 * Crash-consistency and concurrency tests of `cyberwell ingest`, run by
 * ctest as e2e.crash.kill and e2e.crash.concurrent (label "long").
 *
 *   stress kill CYBERWELL GENPROFILES TMPDIR
 *     Generates a corpus (CYBERWELL_CRASH_DOCS profiles, default 2500),
 *     then at least CYBERWELL_CRASH_KILLS times (default 24) starts
 *     `cyberwell ingest -v --batch B` on the documents not yet stored and
 *     SIGKILLs it after a random delay (B and the delay drawn from a seeded
 *     generator; the seed is printed, CYBERWELL_CRASH_SEED=S repeats the
 *     schedule). After each kill: PRAGMA integrity_check and
 *     foreign_key_check pass, every stored document is whole, the count
 *     never goes down, and every document that the run reported before its
 *     last "committed N documents" notice is stored. A last run on the
 *     whole folder completes the set: count = corpus size.
 *
 *   stress concurrent CYBERWELL GENPROFILES TMPDIR
 *     CYBERWELL_CONC_ROUNDS rounds (default 3) of 4 writers (ingest of
 *     disjoint folders; in the first round two of them share a folder)
 *     and 4 readers (rank, export, compare, explain) restarted until the
 *     writers end, all on one database. Every process exits 0, or 4 with
 *     "database is busy"; after each round the database is intact and
 *     holds what was reported; failed writers are then re-run, and the
 *     final count is every distinct document.
 *
 * Both print their figures (the closing note of issue 6 quotes them).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/test.h"

#include "util/banned.h"

extern char **environ;

static const char *cyberwell, *genprofiles;

/* ---- small helpers ------------------------------------------------------ */

static uint64_t rng = 1;

static uint64_t rnd(void)
{
    /* splitmix64: a seeded, portable sequence */
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

static unsigned long env_num(const char *name, unsigned long def)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return def;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    return *end ? def : n;
}

/* Start argv with stdout and stderr both appended to log (one file
 * description, so their order is kept). Returns the pid or -1. */
static pid_t start(char *const argv[], const char *log)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
}

/* Exit code, or 128 + signal. */
static int status_code(int st)
{
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run(char *const argv[], const char *log)
{
    pid_t pid = start(argv, log);
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) < 0)
        return -1;
    return status_code(st);
}

/* The whole of a file, NUL-terminated (owned: free()), or NULL. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    if (!buf)
        abort();
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 4096) {
            char *more = realloc(buf, cap *= 2);
            if (!more)
                abort();
            buf = more;
        }
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

struct names {
    char **items;
    size_t n, cap;
};

static void names_add(struct names *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        char **more = realloc(l->items, l->cap * sizeof *more);
        if (!more)
            abort();
        l->items = more;
    }
    size_t len = strlen(s) + 1;
    l->items[l->n] = malloc(len);
    if (!l->items[l->n])
        abort();
    memcpy(l->items[l->n++], s, len);
}

static void names_free(struct names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.txt files of dir as "dir/name", sorted. */
static void list_dir(const char *dir, struct names *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[8192];
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 4 && !strcmp(e->d_name + n - 4, ".txt") &&
            strlen(dir) + n + 2 <= sizeof path) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            names_add(out, path);
        }
    }
    closedir(d);
    if (out->n)
        qsort(out->items, out->n, sizeof *out->items, cmp_str);
}

static int gen(const char *seed, unsigned long n, const char *dir)
{
    char num[32], log[4200];
    snprintf(num, sizeof num, "%lu", n);
    snprintf(log, sizeof log, "%s.gen.log", dir);
    char *argv[] = {(char *)genprofiles, (char *)"--seed",
                    (char *)seed,        num,
                    (char *)dir,         NULL};
    return run(argv, log);
}

/*
 * The documents an ingest log reports as committed: the paths of its
 * "stored", "new version" and "unchanged" lines that come before its last
 * "cyberwell: committed" notice (stdout is block-buffered and stderr is
 * not, so a line before the notice was printed before that commit ended,
 * and its document was in it or an earlier one). With is_all, every line.
 */
static void reported(const char *log, bool is_all, struct names *out)
{
    char *text = slurp(log);
    if (!text)
        return;
    char *end = text + strlen(text);
    if (!is_all) {
        end = text;
        for (char *p = text; (p = strstr(p, "cyberwell: committed ")); p++)
            end = p;
    }
    static const char *const kinds[] = {"stored ", "new version ",
                                        "unchanged "};
    for (char *line = text; line < end;) {
        char *nl = strchr(line, '\n');
        if (!nl || nl > end)
            break;
        *nl = '\0';
        /* A stdout block can end mid-line: a notice glued to half a line
         * ("stored BEL /pacyberwell: committed ...") names no document. */
        for (size_t k = 0; k < 3 && !strstr(line, "cyberwell:"); k++) {
            size_t kl = strlen(kinds[k]);
            if (strncmp(line, kinds[k], kl) != 0)
                continue;
            const char *p = line + kl;
            while (*p == ' ')
                p++;
            if (strlen(p) > 4 && p[3] == ' ') /* "BEL path" */
                names_add(out, p + 4);
        }
        line = nl + 1;
    }
    free(text);
}

/* ---- the database, seen from outside ------------------------------------ */

static long query_long(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    else
        fprintf(stderr, "stress: %s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return v;
}

/*
 * Check the database: integrity, foreign keys, every document whole (a
 * result, the same number of indicator rows as the others, its text), and
 * every path of `must` stored. Returns the number of documents, or -1.
 */
static long check_db(const char *path, const struct names *must)
{
    /* A run killed before it created the database leaves no file: sound,
     * and holding nothing (as an empty database, below). */
    if (access(path, F_OK) != 0) {
        CHECK(!must || must->n == 0); /* nothing was reported stored */
        return 0;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "stress: cannot open %s: %s\n", path,
                db ? sqlite3_errmsg(db) : "?");
        sqlite3_close(db);
        CHECK(db == NULL && false); /* the database opens */
        return -1;
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
                  SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW &&
              !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
    if (!ok)
        fprintf(stderr, "stress: integrity_check: %s\n",
                st ? (const char *)sqlite3_column_text(st, 0)
                   : sqlite3_errmsg(db));
    sqlite3_finalize(st);
    CHECK(ok);
    /* A run killed before its schema was committed leaves an empty
     * database: sound, and holding nothing (the caller's docs >= prev
     * check fails if anything had been stored before). */
    if (query_long(db, "SELECT count(*) FROM sqlite_master WHERE type = "
                       "'table' AND name = 'documents'") == 0) {
        CHECK(!must || must->n == 0); /* nothing was reported stored */
        sqlite3_close(db);
        return 0;
    }
    CHECK_INT_EQ(
        query_long(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    long docs = query_long(db, "SELECT count(*) FROM documents");
    /* whole documents: a result each, and the same indicator rows */
    CHECK_INT_EQ(query_long(db, "SELECT count(*) FROM documents d WHERE NOT "
                                "EXISTS (SELECT 1 FROM results r WHERE "
                                "r.document_id = d.id)"),
                 0);
    CHECK_INT_EQ(query_long(db, "SELECT count(*) FROM documents d WHERE NOT "
                                "EXISTS (SELECT 1 FROM document_texts t "
                                "WHERE t.document_id = d.id)"),
                 0);
    CHECK_INT_EQ(query_long(db, "SELECT count(DISTINCT n) FROM (SELECT "
                                "count(i.seq) AS n FROM documents d LEFT JOIN "
                                "indicator_results i ON i.document_id = d.id "
                                "GROUP BY d.id)"),
                 docs > 0 ? 1 : 0);
    size_t missing = 0;
    if (must && must->n &&
        sqlite3_prepare_v2(db, "SELECT 1 FROM documents WHERE path = ?1", -1,
                           &st, NULL) == SQLITE_OK) {
        for (size_t i = 0; i < must->n; i++) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, must->items[i], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_ROW) {
                if (missing++ < 5)
                    fprintf(stderr, "stress: reported but not stored: %s\n",
                            must->items[i]);
            }
        }
        sqlite3_finalize(st);
    }
    CHECK_INT_EQ(missing, 0);
    sqlite3_close(db);
    return docs;
}

/* Paths of corpus not yet stored in db (fills out). */
static void not_stored(const char *path, const struct names *corpus,
                       struct names *out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT 1 FROM documents WHERE path = ?1", -1,
                           &st, NULL) != SQLITE_OK) {
        /* no database yet: everything */
        for (size_t i = 0; i < corpus->n; i++)
            names_add(out, corpus->items[i]);
    } else {
        for (size_t i = 0; i < corpus->n; i++) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, corpus->items[i], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_ROW)
                names_add(out, corpus->items[i]);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* ---- kill -----------------------------------------------------------------
 */

/* Seconds to ingest `files` (a calibration run on db). */
static double time_ingest(const char *db, char **files, size_t n,
                          const char *log)
{
    char **argv = calloc(n + 8, sizeof *argv);
    if (!argv)
        abort();
    size_t a = 0;
    argv[a++] = (char *)cyberwell;
    argv[a++] = (char *)"--db";
    argv[a++] = (char *)db;
    argv[a++] = (char *)"ingest";
    argv[a++] = (char *)"-q";
    for (size_t i = 0; i < n; i++)
        argv[a++] = files[i];
    double t0 = now();
    int rc = run(argv, log);
    double t = now() - t0;
    CHECK_INT_EQ(rc, 0);
    free(argv);
    return t;
}

static int test_kill(const char *tmp)
{
    unsigned long n_docs = env_num("CYBERWELL_CRASH_DOCS", 2500);
    unsigned long n_kills = env_num("CYBERWELL_CRASH_KILLS", 24);
    unsigned long seed =
        env_num("CYBERWELL_CRASH_SEED", (unsigned long)time(NULL) % 1000000);
    rng = seed;
    printf("kill: seed %lu (CYBERWELL_CRASH_SEED=%lu repeats the schedule), "
           "%lu documents, %lu kills\n",
           seed, seed, n_docs, n_kills);
    char corpus_dir[4096], db[4096], calib[4096], log[4200];
    snprintf(corpus_dir, sizeof corpus_dir, "%s/corpus", tmp);
    snprintf(db, sizeof db, "%s/db.sqlite", tmp);
    snprintf(calib, sizeof calib, "%s/calib.sqlite", tmp);
    double t_start = now();
    CHECK_INT_EQ(gen("11", n_docs, corpus_dir), 0);
    struct names corpus = {0};
    list_dir(corpus_dir, &corpus);
    CHECK_INT_EQ(corpus.n, n_docs);
    if (corpus.n != n_docs || n_docs < 80)
        return test_summary();

    /* Calibrate on a scratch database: per-document time and start-up. */
    snprintf(log, sizeof log, "%s/calib.log", tmp);
    time_ingest(calib, corpus.items, 1, log);
    double t10 = time_ingest(calib, corpus.items + 1, 10, log);
    double t50 = time_ingest(calib, corpus.items + 11, 50, log);
    double per_doc = (t50 - t10) / 40;
    if (per_doc < 0.0002)
        per_doc = 0.0002;
    double startup = t10 - 10 * per_doc;
    if (startup < 0.005)
        startup = 0.005;
    /* Delays up to D: K kills consume about three quarters of the corpus,
     * and the last run has the rest to do. */
    double full = per_doc * (double)n_docs;
    double max_delay = startup + 1.5 * full / (double)n_kills;
    printf("kill: calibration %.2f ms per document, start-up %.0f ms; "
           "delays up to %.0f ms\n",
           per_doc * 1e3, startup * 1e3, max_delay * 1e3);

    static const unsigned batches[] = {1, 5, 25, 100, 500};
    unsigned long kills = 0, finished = 0, attempts = 0;
    long prev = 0;
    printf("kill:  #  delay_ms  batch  todo  killed  reported  stored\n");
    while (kills < n_kills && attempts++ < 4 * n_kills) {
        struct names todo = {0}, rep = {0};
        not_stored(db, &corpus, &todo);
        unsigned batch = batches[rnd() % 5];
        double delay = max_delay * (double)(rnd() % 10000) / 10000.0;
        char bs[16];
        snprintf(bs, sizeof bs, "%u", batch);
        char **argv = calloc(todo.n + 12, sizeof *argv);
        if (!argv)
            abort();
        size_t a = 0;
        argv[a++] = (char *)cyberwell;
        argv[a++] = (char *)"--db";
        argv[a++] = db;
        argv[a++] = (char *)"ingest";
        argv[a++] = (char *)"-v";
        argv[a++] = (char *)"--batch";
        argv[a++] = bs;
        if (todo.n == 0) /* all stored: kill a run that finds them */
            argv[a++] = corpus_dir;
        for (size_t i = 0; i < todo.n; i++)
            argv[a++] = todo.items[i];
        snprintf(log, sizeof log, "%s/kill-%02lu.log", tmp, attempts);
        pid_t pid = start(argv, log);
        CHECK(pid > 0);
        sleep_s(delay);
        int st = 0;
        bool is_killed = false;
        if (pid > 0 && waitpid(pid, &st, WNOHANG) == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            is_killed = WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
        }
        if (is_killed) {
            kills++;
        } else {
            /* The run beat its delay: the calibration (small runs, start-up
             * included) overestimated the work left, as when the corpus is
             * all stored already. Shorter delays keep the kills landing. */
            finished++;
            max_delay = max_delay / 2 > 0.002 ? max_delay / 2 : 0.002;
            if (status_code(st) != 0) {
                char *text = slurp(log);
                fprintf(stderr, "stress: ingest exited %d:\n%s\n",
                        status_code(st), text ? text : "");
                free(text);
            }
            CHECK_INT_EQ(status_code(st), 0);
        }
        reported(log, !is_killed, &rep);
        long docs = check_db(db, &rep);
        CHECK(docs >= prev); /* nothing committed is ever lost */
        printf("kill: %2lu  %8.0f  %5u  %4zu  %6s  %8zu  %6ld\n", attempts,
               delay * 1e3, batch, todo.n, is_killed ? "yes" : "no", rep.n,
               docs);
        prev = docs;
        free(argv);
        names_free(&todo);
        names_free(&rep);
    }
    CHECK(kills >= n_kills);

    /* The last run completes the set. */
    char *again[] = {(char *)cyberwell, (char *)"--db", db,  (char *)"ingest",
                     (char *)"-q",      corpus_dir,     NULL};
    snprintf(log, sizeof log, "%s/final.log", tmp);
    double t0 = now();
    CHECK_INT_EQ(run(again, log), 0);
    double t_final = now() - t0;
    char *summary = slurp(log);
    long final = check_db(db, NULL);
    CHECK_INT_EQ(final, n_docs);
    printf("kill: %lu kills (%lu runs ended by themselves), %ld of %lu "
           "documents stored before the last run; the last run (%.1f s): "
           "%s",
           kills, finished, prev, n_docs, t_final, summary ? summary : "?\n");
    printf("kill: final count %ld of %lu, integrity ok, total %.1f s\n", final,
           n_docs, now() - t_start);
    free(summary);
    names_free(&corpus);
    return test_summary();
}

/* ---- concurrent ------------------------------------------------------------
 */

struct proc {
    pid_t pid;
    char log[4200];
    bool is_writer;
    const char *folder; /* writers: the folder it ingests */
};

/* Check a finished process: 0, or 4 saying "database is busy". Returns
 * its exit code. */
static int judge(const struct proc *p, int st)
{
    int code = status_code(st);
    if (code == 0)
        return 0;
    char *text = slurp(p->log);
    bool busy = code == 4 && text && strstr(text, "database is busy");
    if (!busy)
        fprintf(stderr, "stress: %s exited %d:\n%s\n", p->log, code,
                text ? text : "");
    CHECK(busy);
    free(text);
    return code;
}

static int test_concurrent(const char *tmp)
{
    unsigned long rounds = env_num("CYBERWELL_CONC_ROUNDS", 3);
    unsigned long per = env_num("CYBERWELL_CONC_DOCS", 100);
    char db[4096], log[4200], dir[4096];
    snprintf(db, sizeof db, "%s/db.sqlite", tmp);
    double t_start = now();
    /* The bundled profiles first, so that the readers have countries to
     * rank and compare. */
    char *first[] = {(char *)cyberwell,
                     (char *)"--db",
                     db,
                     (char *)"ingest",
                     (char *)"-q",
                     (char *)CW_SOURCE_DIR "/data/profiles/bel.txt",
                     (char *)CW_SOURCE_DIR "/tests/fixtures/profiles",
                     NULL};
    snprintf(log, sizeof log, "%s/first.log", tmp);
    CHECK_INT_EQ(run(first, log), 0);
    long expect = check_db(db, NULL);
    struct names folders = {0};
    for (unsigned long r = 0; r < rounds; r++)
        for (int w = 0; w < 4; w++) {
            char seed[32];
            snprintf(dir, sizeof dir, "%s/r%lu-w%d", tmp, r, w);
            snprintf(seed, sizeof seed, "%lu", 1000 + r * 4 + (unsigned long)w);
            CHECK_INT_EQ(gen(seed, per, dir), 0);
            names_add(&folders, dir);
        }
    /* Round 0: writer 3 ingests writer 0's folder too (the same documents
     * from two processes); its own folder is ingested in the re-runs. */
    static const unsigned batch[4] = {10, 25, 50, 500};
    unsigned long w_ok = 0, w_busy = 0, r_ok = 0, r_busy = 0;
    struct names retry = {0};
    for (unsigned long r = 0; r < rounds; r++) {
        struct proc procs[8];
        int n_writers_left = 4;
        unsigned long reader_runs = 0;
        struct names rep = {0};
        for (int i = 0; i < 8; i++) {
            struct proc *p = &procs[i];
            p->is_writer = i < 4;
            p->pid = 0; /* readers are started below */
            snprintf(p->log, sizeof p->log, "%s/r%lu-%s%d.log", tmp, r,
                     p->is_writer ? "w" : "r", i % 4);
            if (!p->is_writer)
                continue;
            p->folder = folders.items[r * 4 + (r == 0 && i == 3 ? 0 : i)];
            char bs[16];
            snprintf(bs, sizeof bs, "%u", batch[i]);
            char *wargv[] = {(char *)cyberwell,
                             (char *)"--db",
                             db,
                             (char *)"ingest",
                             (char *)"-v",
                             (char *)"--batch",
                             bs,
                             (char *)p->folder,
                             NULL};
            p->pid = start(wargv, p->log);
            CHECK(p->pid > 0);
        }
        /* Readers run again and again until the writers are done. */
        for (;;) {
            for (int i = 4; i < 8; i++) {
                struct proc *p = &procs[i];
                if (p->pid > 0 || n_writers_left == 0)
                    continue;
                char out[4200];
                snprintf(out, sizeof out, "%s/export-r%lu", tmp, r);
                char *rank[] = {(char *)cyberwell, (char *)"--db", db,
                                (char *)"rank", NULL};
                char *exp[] = {(char *)cyberwell,
                               (char *)"--db",
                               db,
                               (char *)"export",
                               (char *)"--csv",
                               out,
                               NULL};
                char *cmp[] = {(char *)cyberwell, (char *)"--db", db,
                               (char *)"compare", (char *)"BEL",  NULL};
                char *xpl[] = {(char *)cyberwell,
                               (char *)"--db",
                               db,
                               (char *)"explain",
                               (char *)"BEL",
                               (char *)"--vs",
                               (char *)"NLD",
                               NULL};
                char **const argvs[4] = {rank, exp, cmp, xpl};
                p->pid = start(argvs[i - 4], p->log);
                CHECK(p->pid > 0);
                reader_runs++;
            }
            int st;
            pid_t pid = wait(&st);
            if (pid < 0)
                break;
            for (int i = 0; i < 8; i++) {
                struct proc *p = &procs[i];
                if (p->pid != pid)
                    continue;
                p->pid = 0;
                int code = judge(p, st);
                if (p->is_writer) {
                    n_writers_left--;
                    reported(p->log, code == 0, &rep);
                    if (code == 0) {
                        w_ok++;
                    } else {
                        w_busy++;
                        names_add(&retry, p->folder);
                    }
                } else if (code == 0) {
                    r_ok++;
                } else {
                    r_busy++;
                }
            }
        }
        if (r == 0) /* writer 3's own folder */
            names_add(&retry, folders.items[3]);
        long docs = check_db(db, &rep);
        printf("concurrent: round %lu: 4 writers, %lu reader runs; %ld "
               "documents stored\n",
               r + 1, reader_runs, docs);
        names_free(&rep);
    }
    /* A writer that keeps the lock past the busy timeout: another writer
     * reports "database is busy" with exit 4 and stores nothing; a reader
     * is not blocked. */
    sqlite3 *holder = NULL;
    CHECK_INT_EQ(sqlite3_open_v2(db, &holder, SQLITE_OPEN_READWRITE, NULL),
                 SQLITE_OK);
    CHECK_INT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                 SQLITE_OK);
    long before = -1;
    {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(holder, "SELECT count(*) FROM documents", -1,
                               &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            before = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    snprintf(dir, sizeof dir, "%s/locked", tmp);
    CHECK_INT_EQ(gen("999", 20, dir), 0);
    char *locked[] = {(char *)cyberwell,
                      (char *)"--db",
                      db,
                      (char *)"ingest",
                      (char *)"-q",
                      dir,
                      NULL};
    char *reader[] = {(char *)cyberwell, (char *)"--db", db, (char *)"rank",
                      NULL};
    struct proc lp = {0};
    snprintf(lp.log, sizeof lp.log, "%s/locked.log", tmp);
    double t_lock = now();
    pid_t lpid = start(locked, lp.log);
    snprintf(log, sizeof log, "%s/locked-reader.log", tmp);
    CHECK_INT_EQ(run(reader, log), 0);
    int lst = 0;
    waitpid(lpid, &lst, 0);
    double waited = now() - t_lock;
    char *ltext = slurp(lp.log);
    CHECK_INT_EQ(status_code(lst), 4);
    CHECK(ltext && strstr(ltext, "cyberwell: error: database is busy: "
                                 "another cyberwell process is writing"));
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(holder);
    CHECK_INT_EQ(check_db(db, NULL), before);
    printf("concurrent: a writer held the lock: ingest exited %d after %.1f s "
           "(%s), a reader ran meanwhile\n",
           status_code(lst), waited,
           ltext && strstr(ltext, "database is busy") ? "database is busy"
                                                      : "?");
    free(ltext);
    names_add(&retry, dir);
    expect += 20;

    /* Re-run what did not finish; then every distinct document is there. */
    for (size_t i = 0; i < retry.n; i++) {
        char *again[] = {
            (char *)cyberwell, (char *)"--db", db,  (char *)"ingest",
            (char *)"-q",      retry.items[i], NULL};
        snprintf(log, sizeof log, "%s/retry-%zu.log", tmp, i);
        CHECK_INT_EQ(run(again, log), 0);
    }
    expect += (long)(rounds * 4 * per);
    long final = check_db(db, NULL);
    CHECK_INT_EQ(final, expect);
    printf("concurrent: writers %lu ok, %lu busy (exit 4); reader runs %lu "
           "ok, %lu busy; %zu folders re-run; final count %ld of %ld; "
           "%.1f s\n",
           w_ok, w_busy, r_ok, r_busy, retry.n, final, expect, now() - t_start);
    names_free(&retry);
    names_free(&folders);
    return test_summary();
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fputs("usage: stress kill|concurrent CYBERWELL GENPROFILES TMP\n",
              stderr);
        return 2;
    }
    cyberwell = argv[2];
    genprofiles = argv[3];
    const char *tmp = argv[4];
    char *rm[] = {(char *)"/bin/rm", (char *)"-rf", (char *)tmp, NULL};
    char *mk[] = {(char *)"/bin/mkdir", (char *)"-p", (char *)tmp, NULL};
    if (run(rm, "/dev/null") != 0 || run(mk, "/dev/null") != 0) {
        fprintf(stderr, "stress: cannot create '%s'\n", tmp);
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(argv[1], "kill"))
        return test_kill(tmp);
    if (!strcmp(argv[1], "concurrent"))
        return test_concurrent(tmp);
    fprintf(stderr, "stress: unknown mode '%s'\n", argv[1]);
    return 2;
}
