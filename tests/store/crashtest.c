/*
 * Store crash and concurrency tests, run by ctest as cli.store.kill and
 * cli.store.concurrent:
 *
 *   crashtest kill CYBERWELL GENPROFILES TMPDIR
 *     generates 600 profiles, starts `cyberwell ingest --batch 10 -v`,
 *     SIGKILLs it after its third commit notice, then checks that the
 *     database passes PRAGMA integrity_check and foreign_key_check, holds
 *     at least every document whose commit was reported, and that each
 *     stored document is whole (its result and indicator rows); a second
 *     ingest then completes the set.
 *
 *   crashtest hostile CYBERWELL GENPROFILES TMPDIR
 *     ingests tests/fixtures/store/hostile.txt (title and sentences that
 *     start with = + - @), exports CSV and checks that no text cell of
 *     any exported file starts with a character a spreadsheet would run,
 *     and that the hostile cells are there, neutralised with a '.
 *
 *   crashtest concurrent CYBERWELL GENPROFILES TMPDIR
 *     two ingests of 300 different profiles each into one new database at
 *     once: each must succeed, or fail with exit 4 and "database is busy";
 *     the database must then be intact and hold what succeeded.
 */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/unit/test.h"

#include "util/banned.h"

extern char **environ;

static const char *cyberwell, *genprofiles;

/* Run argv to completion; returns its exit status or -1. */
static int run(char *const argv[])
{
    pid_t pid;
    if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
        return -1;
    int st;
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Start argv with stdout to /dev/null and stderr to a pipe (fills fd). */
static pid_t start(char *const argv[], int *fd)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
    posix_spawn_file_actions_adddup2(&fa, p[1], 2);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addclose(&fa, p[1]);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (rc != 0) {
        close(p[0]);
        return -1;
    }
    *fd = p[0];
    return pid;
}

static int gen(const char *seed, const char *n, const char *dir)
{
    char *argv[] = {(char *)genprofiles, (char *)"--seed", (char *)seed,
                    (char *)n,           (char *)dir,      NULL};
    return run(argv);
}

/* Check the database: intact, and every document whole. Returns the
 * number of documents, or -1. */
static long check_db(const char *db)
{
    struct cw_error err;
    struct store *s = store_open(db, 0, &err);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    int rc = store_check(s, &err);
    CHECK_INT_EQ(rc, CW_OK);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    struct store_stats stats;
    CHECK_INT_EQ(store_stats_get(s, &stats, &err), CW_OK);
    /* every document has its result under the one rubric */
    CHECK_INT_EQ(stats.results, stats.documents);
    struct store_query q = STORE_QUERY_INIT;
    q.is_all_versions = true;
    struct store_scores *set = store_scores_get(s, &q, &err);
    if (stats.documents > 0) {
        CHECK(set != NULL);
        if (set) {
            CHECK_INT_EQ(set->n, stats.documents);
            for (size_t i = 0; i < set->n; i++) {
                if (set->items[i].n_indicators != 21 ||
                    set->items[i].n_pillars != 6) {
                    CHECK_INT_EQ(set->items[i].n_indicators, 21);
                    CHECK_INT_EQ(set->items[i].n_pillars, 6);
                }
            }
        }
    }
    store_scores_free(set);
    store_close(s);
    return stats.documents;
}

static int test_kill(const char *tmp)
{
    char docs[4096], db[4096];
    snprintf(docs, sizeof docs, "%s/docs", tmp);
    snprintf(db, sizeof db, "%s/db.sqlite", tmp);
    CHECK_INT_EQ(gen("7", "600", docs), 0);
    char *argv[] = {(char *)cyberwell,
                    (char *)"--db",
                    db,
                    (char *)"ingest",
                    (char *)"-q",
                    (char *)"-v",
                    (char *)"--batch",
                    (char *)"10",
                    docs,
                    NULL};
    int fd;
    pid_t pid = start(argv, &fd);
    CHECK(pid > 0);
    if (pid <= 0)
        return test_summary();
    FILE *f = fdopen(fd, "r");
    char line[512];
    long committed = 0;
    int notices = 0;
    bool killed = false;
    while (fgets(line, sizeof line, f)) {
        long n;
        if (sscanf(line, "cyberwell: committed %ld documents", &n) == 1) {
            committed = n;
            if (++notices == 3) {
                kill(pid, SIGKILL);
                killed = true;
                break;
            }
        }
    }
    fclose(f);
    int st;
    waitpid(pid, &st, 0);
    bool was_killed = WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
    printf("kill: %s after %ld committed documents\n",
           was_killed ? "killed" : "finished before the kill", committed);
    if (!killed || !was_killed)
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    long n = check_db(db);
    printf("kill: the database holds %ld documents\n", n);
    CHECK(n >= committed);
    CHECK(n <= 600);
    /* A second run completes the set; what is stored is unchanged. */
    char *again[] = {(char *)cyberwell, (char *)"--db", db,  (char *)"ingest",
                     (char *)"-q",      docs,           NULL};
    CHECK_INT_EQ(run(again), 0);
    CHECK_INT_EQ(check_db(db), 600);
    return test_summary();
}

static int test_concurrent(const char *tmp)
{
    char a[4096], b[4096], db[4096];
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    snprintf(db, sizeof db, "%s/db.sqlite", tmp);
    CHECK_INT_EQ(gen("1", "300", a), 0);
    CHECK_INT_EQ(gen("2", "300", b), 0);
    char *argv_a[] = {(char *)cyberwell,
                      (char *)"--db",
                      db,
                      (char *)"ingest",
                      (char *)"-q",
                      (char *)"--batch",
                      (char *)"25",
                      a,
                      NULL};
    char *argv_b[] = {(char *)cyberwell,
                      (char *)"--db",
                      db,
                      (char *)"ingest",
                      (char *)"-q",
                      (char *)"--batch",
                      (char *)"25",
                      b,
                      NULL};
    int fds[2];
    pid_t pids[2] = {start(argv_a, &fds[0]), start(argv_b, &fds[1])};
    CHECK(pids[0] > 0 && pids[1] > 0);
    long expect = 0;
    for (int i = 0; i < 2; i++) {
        if (pids[i] <= 0)
            continue;
        char out[8192];
        size_t len = 0;
        ssize_t got;
        while ((got = read(fds[i], out + len, sizeof out - 1 - len)) > 0)
            len += (size_t)got;
        out[len] = '\0';
        close(fds[i]);
        int st;
        waitpid(pids[i], &st, 0);
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        printf("concurrent: writer %d exit %d%s%s", i, code, len ? ": " : "\n",
               out);
        if (code == 0) {
            expect += 300;
        } else {
            CHECK_INT_EQ(code, 4);
            CHECK(strstr(out, "database is busy: another cyberwell process "
                              "is writing") != NULL);
        }
    }
    long n = check_db(db);
    printf("concurrent: the database holds %ld documents\n", n);
    CHECK(n >= expect);
    return test_summary();
}

/* Check every cell of a CSV file; returns the number of cells that start
 * with ' (neutralised). */
static long check_cells(const char *path)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return 0;
    long neutralised = 0;
    bool in_quotes = false, cell_start = true;
    unsigned line = 1;
    int c, prev = 0;
    while ((c = fgetc(f)) != EOF) {
        if (cell_start) {
            cell_start = false;
            if (c == '"') {
                in_quotes = true;
                int d = fgetc(f);
                if (d == '\'')
                    neutralised++;
                if (d == '=' || d == '+' || d == '-' || d == '@' || d == '\t' ||
                    d == '\r') {
                    fprintf(stderr, "%s:%u: a cell starts with '%c'\n", path,
                            line, d);
                    CHECK(false && "formula cell");
                }
                if (d == EOF)
                    break;
                if (d == '"') /* "" inside or an empty cell */
                    in_quotes = false;
                prev = d;
                continue;
            }
            if (c == '=' || c == '+' || c == '@' || (c == '-' && prev != '"')) {
                fprintf(stderr, "%s:%u: a bare cell starts with '%c'\n", path,
                        line, c);
                CHECK(false && "formula cell");
            }
        }
        if (c == '"') {
            in_quotes = !in_quotes;
        } else if (!in_quotes && c == ',') {
            cell_start = true;
        } else if (!in_quotes && c == '\n') {
            cell_start = true;
            line++;
        }
        prev = c;
    }
    fclose(f);
    return neutralised;
}

static int test_hostile(const char *tmp)
{
    char db[4096], out[4096], path[8192];
    snprintf(db, sizeof db, "%s/db.sqlite", tmp);
    snprintf(out, sizeof out, "%s/out", tmp);
    char *ingest[] = {(char *)cyberwell,
                      (char *)"--db",
                      db,
                      (char *)"ingest",
                      (char *)"-q",
                      (char *)"--country",
                      (char *)"BEL",
                      (char *)CW_SOURCE_DIR "/tests/fixtures/store/hostile.txt",
                      NULL};
    CHECK_INT_EQ(run(ingest), 0);
    char *import[] = {(char *)cyberwell,
                      (char *)"--db",
                      db,
                      (char *)"import",
                      (char *)"--csv",
                      (char *)CW_SOURCE_DIR
                      "/tests/fixtures/store/overrides-hostile.csv",
                      NULL};
    CHECK_INT_EQ(run(import), 0);
    char *export[] = {(char *)cyberwell,
                      (char *)"--db",
                      db,
                      (char *)"export",
                      (char *)"--csv",
                      out,
                      NULL};
    CHECK_INT_EQ(run(export), 0);
    static const char *const files[] = {"scores.csv",     "pillars.csv",
                                        "indicators.csv", "ranks.csv",
                                        "overrides.csv",  "reference.csv"};
    long total = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", out, files[i]);
        long n = check_cells(path);
        printf("hostile: %s: %ld neutralised cells\n", files[i], n);
        total += n;
    }
    /* the title (scores.csv), four sentences (indicators.csv) and the
     * override's reason and author (overrides.csv, indicators.csv) */
    CHECK(total >= 7);
    return test_summary();
}

static int rm_rf(const char *path)
{
    char *argv[] = {(char *)"/bin/rm", (char *)"-rf", (char *)path, NULL};
    return run(argv);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fputs("usage: crashtest kill|concurrent|hostile CYBERWELL GENPROFILES "
              "TMP\n",
              stderr);
        return 2;
    }
    cyberwell = argv[2];
    genprofiles = argv[3];
    const char *tmp = argv[4];
    rm_rf(tmp);
    char *mk[] = {(char *)"/bin/mkdir", (char *)"-p", (char *)tmp, NULL};
    if (run(mk) != 0) {
        fprintf(stderr, "crashtest: cannot create '%s'\n", tmp);
        return 1;
    }
    if (!strcmp(argv[1], "kill"))
        return test_kill(tmp);
    if (!strcmp(argv[1], "concurrent"))
        return test_concurrent(tmp);
    if (!strcmp(argv[1], "hostile"))
        return test_hostile(tmp);
    fprintf(stderr, "crashtest: unknown mode '%s'\n", argv[1]);
    return 2;
}
