/*
 * cwtool: helpers for the hardening tests (bad-input cases, injection
 * scripts): dump a database query by query, generate oversized profiles,
 * damage a database, and run a program under a file-size limit or without
 * root's capabilities.
 *
 *   cwtool dump DB
 *       every table's schema and rows (sorted), PRAGMA user_version; or
 *       "no file" / "cannot read: MESSAGE". Writes nothing to DB.
 *   cwtool query DB SQL
 *       the rows of SQL, one per line, columns separated by '|'.
 *   cwtool load DB FILE
 *       run the SQL text in FILE on DB (created if absent): a
 *       `sqlite3 .dump` of a database an older cyberwell wrote, or
 *       triggers that make a write fail on purpose.
 *   cwtool gen KIND OUT N
 *       huge      a profile of N MiB (blocks of ordinary text)
 *       oneline   a profile of N MiB on one line (no line break)
 *       bullets   a profile whose section 1.1.1 has N bullets
 *       sections  a profile with N numbered sections
 *       sentence  a profile with one sentence of N bytes
 *       csvfield  an overrides CSV whose reason field is N bytes
 *       cues      a valid rubric plus N cues "e.{0,900}zqI" (issue 15, D2)
 *       widecues  a valid rubric plus N cues "e.{0,1990}zI"
 *   cwtool corrupt DB KIND
 *       header    overwrite the "SQLite format 3" magic
 *       schema    zero page 1 after the file header (the schema table)
 *       truncate  cut the file to its first 8 pages
 *       TABLE     overwrite the root page of TABLE with garbage
 *       empty:TABLE  make the root page of TABLE an empty leaf: the table
 *                 reads as empty, without an error (issue 15, D16)
 *   cwtool csvcheck FILE...
 *       every cell of each CSV file: a text cell starting with = + - @
 *       TAB or CR (one a spreadsheet would run) is listed; exit 1 if any.
 *       Prints the cells and the neutralised ones (a ' before such a
 *       character) per file.
 *   cwtool run [--fsize BYTES] [--no-caps] [--stdout FILE|--close-stdout]
 *              [--chdir DIR] -- PROGRAM ARGS...
 *       --fsize   RLIMIT_FSIZE = BYTES with SIGXFSZ ignored: a write past
 *                 it fails with EFBIG, as on a full disk
 *       --stdout  standard output on FILE (opened for writing: /dev/full
 *                 makes every write fail with ENOSPC)
 *       --close-stdout  standard output closed (as the shell's >&-)
 *       --chdir   run PROGRAM in DIR
 *       --no-caps as root, drop every capability, so that file permissions
 *                 apply (a 0555 folder is read-only); a no-op otherwise.
 *                 Prints "SKIP: ..." and exits 77 when they cannot be
 *                 dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/banned.h"

static int usage(void)
{
    fputs("usage: cwtool dump DB | query DB SQL | load DB FILE |\n"
          "       gen KIND OUT N |\n"
          "       corrupt DB KIND | csvcheck FILE... |\n"
          "       run [--fsize BYTES] [--no-caps] [--stdout FILE|"
          "--close-stdout] [--chdir DIR]\n"
          "           -- PROGRAM ARGS...\n",
          stderr);
    return 2;
}

/* ---- dump and query ----------------------------------------------------- */

static void put_value(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        fputs("NULL", stdout);
        break;
    case SQLITE_INTEGER:
        printf("%lld", (long long)sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT:
        printf("%.17g", sqlite3_column_double(st, i));
        break;
    case SQLITE_TEXT: {
        const unsigned char *t = sqlite3_column_text(st, i);
        int n = sqlite3_column_bytes(st, i);
        putchar('\'');
        for (int k = 0; k < n; k++) {
            if (t[k] == '\'' || t[k] == '\\')
                printf("\\%c", t[k]);
            else if (t[k] < 0x20 || t[k] == 0x7f)
                printf("\\x%02x", t[k]);
            else
                putchar(t[k]);
        }
        putchar('\'');
        break;
    }
    default: {
        const unsigned char *b = sqlite3_column_blob(st, i);
        int n = sqlite3_column_bytes(st, i);
        fputs("X'", stdout);
        for (int k = 0; k < n; k++)
            printf("%02x", b[k]);
        putchar('\'');
        break;
    }
    }
}

/* Run sql and print its rows; raw: text as is, '|' between columns. */
static int print_rows(sqlite3 *db, const char *sql, bool raw)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        printf("cannot read: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_count(st);
        for (int i = 0; i < n; i++) {
            if (i)
                putchar(raw ? '|' : ',');
            if (raw) {
                const unsigned char *t = sqlite3_column_text(st, i);
                fputs(t ? (const char *)t : "", stdout);
            } else {
                put_value(st, i);
            }
        }
        putchar('\n');
    }
    if (rc != SQLITE_DONE)
        printf("cannot read: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : 1;
}

/* Open an existing database read-write (so that a WAL is read), never
 * creating it. */
static sqlite3 *open_existing(const char *path)
{
    if (access(path, F_OK) != 0) {
        printf("no file\n");
        return NULL;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        printf("cannot read: %s\n", db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static int cmd_dump(const char *path)
{
    sqlite3 *db = open_existing(path);
    if (!db)
        return 0;
    sqlite3_stmt *st = NULL;
    print_rows(db, "PRAGMA user_version", false);
    if (print_rows(db,
                   "SELECT type, name, tbl_name, sql FROM sqlite_master "
                   "ORDER BY type, name",
                   false))
        goto out;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type = "
                           "'table' AND name NOT LIKE 'sqlite_%' ORDER BY "
                           "name",
                           -1, &st, NULL) != SQLITE_OK) {
        printf("cannot read: %s\n", sqlite3_errmsg(db));
        goto out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        char *probe = sqlite3_mprintf("SELECT * FROM \"%w\" LIMIT 0", name);
        sqlite3_stmt *p = NULL;
        int n = 0;
        if (sqlite3_prepare_v2(db, probe, -1, &p, NULL) == SQLITE_OK)
            n = sqlite3_column_count(p);
        sqlite3_finalize(p);
        sqlite3_free(probe);
        /* Sorted on every column: the same rows in another order (after
         * a VACUUM, say) are the same content. */
        char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY 1", name);
        for (int i = 2; i <= n; i++) {
            char *more = sqlite3_mprintf("%s, %d", sql, i);
            sqlite3_free(sql);
            sql = more;
        }
        printf("-- table %s\n", name);
        print_rows(db, sql, false);
        sqlite3_free(sql);
    }
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

static int cmd_query(const char *path, const char *sql)
{
    sqlite3 *db = open_existing(path);
    if (!db)
        return 1;
    int rc = print_rows(db, sql, true);
    sqlite3_close(db);
    return rc;
}

static int cmd_load(const char *path, const char *file)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "cwtool: cannot open '%s': %s\n", file,
                strerror(errno));
        return 1;
    }
    size_t cap = 1 << 16, len = 0;
    char *sql = malloc(cap);
    size_t got;
    while (sql && (got = fread(sql + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *more = realloc(sql, cap * 2);
            if (!more) {
                free(sql);
                sql = NULL;
                break;
            }
            sql = more;
            cap *= 2;
        }
    }
    fclose(f);
    if (!sql) {
        fputs("cwtool: out of memory\n", stderr);
        return 1;
    }
    sql[len] = '\0';
    sqlite3 *db = NULL;
    char *msg = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "cwtool: cannot load '%s': %s\n", file,
                msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    sqlite3_close(db);
    free(sql);
    return rc == SQLITE_OK ? 0 : 1;
}

/* ---- generated profiles ------------------------------------------------- */

static const char head[] =
    "CYBERWELLNESS PROFILE BELGIUM\n\n"
    "1. CYBERSECURITY\n\n"
    "1.1 LEGAL MEASURES\n\n"
    "1.1.1 CRIMINAL LEGISLATION\n\n"
    "Specific legislation on cybercrime has been enacted through the "
    "following instruments:\n\n";

static const char tail[] =
    "\n1.1.2 REGULATION AND COMPLIANCE\n\n"
    "There is no specific legislation and regulation related to "
    "cybersecurity.\n";

static int gen(const char *kind, const char *out, unsigned long n)
{
    FILE *f = fopen(out, "wb");
    if (!f) {
        fprintf(stderr, "cwtool: cannot create '%s': %s\n", out,
                strerror(errno));
        return 1;
    }
    int rc = 0;
    if (!strcmp(kind, "huge") || !strcmp(kind, "oneline")) {
        bool one = !strcmp(kind, "oneline");
        unsigned long long want = (unsigned long long)n * 1024 * 1024;
        unsigned long long len = 0;
        static const char words[] =
            "Belgium has an officially recognized national CIRT and it is "
            "operated by Belnet on behalf of Fedict. ";
        fputs(one ? "CYBERWELLNESS PROFILE BELGIUM 1.1.1 CRIMINAL "
                    "LEGISLATION "
                  : head,
              f);
        while (len < want) {
            fputs(words, f);
            len += sizeof words - 1;
            if (!one && len % 8192 < sizeof words - 1) {
                fputs("\n\n", f);
                len += 2;
            }
        }
        if (!one)
            fputs(tail, f);
    } else if (!strcmp(kind, "bullets")) {
        fputs(head, f);
        for (unsigned long i = 0; i < n; i++)
            fprintf(f, "- Law number %lu on computer crime.\n", i + 1);
        fputs(tail, f);
    } else if (!strcmp(kind, "sections")) {
        fputs("CYBERWELLNESS PROFILE BELGIUM\n\n", f);
        for (unsigned long i = 0; i < n; i++)
            fprintf(f, "%lu.%lu.%lu MEASURE NUMBER %lu\n\nThere is one.\n\n",
                    i / 400 + 1, i / 20 % 20 + 1, i % 20 + 1, i + 1);
    } else if (!strcmp(kind, "sentence")) {
        fputs(head, f);
        fputs("Belgium has enacted", f);
        for (unsigned long i = 0; i < n / 5; i++)
            fputs(" very", f);
        fputs(" many laws.\n", f);
        fputs(tail, f);
    } else if (!strcmp(kind, "csvfield")) {
        fputs("kind,iso3,indicator,status,reason,author,date\n"
              "override,BEL,1.4.1,present,",
              f);
        for (unsigned long i = 0; i < n; i++)
            fputc('x', f);
        fputs(",J. Analyst,2016-03-01\n", f);
    } else if (!strcmp(kind, "cues") || !strcmp(kind, "widecues")) {
        bool wide = !strcmp(kind, "widecues");
        fputs("kind,id,name,target,weight,match,scope,note\n"
              "meta,name,intervals,,,,,\n"
              "meta,version,1,,,,,\n"
              "pillar,legal,Legal,overall,1,,,\n"
              "level,absent,absent,,0,,,\n"
              "level,partial,partial,,1,,,\n"
              "level,present,present,,2,,,\n"
              "indicator,1.1.1,Criminal legislation,legal,1,1.1.1,,\n",
              f);
        for (unsigned long i = 0; i < n; i++)
            fprintf(f, "cue,c%lu,present,*,,\"e.{0,%s}z%s%lu\",any,\n", i + 1,
                    wide ? "1990" : "900", wide ? "" : "q", i + 1);
    } else {
        fprintf(stderr, "cwtool: unknown kind '%s'\n", kind);
        rc = 2;
    }
    if (fclose(f) != 0 && !rc) {
        fprintf(stderr, "cwtool: cannot write '%s': %s\n", out,
                strerror(errno));
        rc = 1;
    }
    return rc;
}

/* ---- damaged databases -------------------------------------------------- */

static int overwrite(const char *path, long off, long len, int byte)
{
    FILE *f = fopen(path, "r+b");
    if (!f || fseek(f, off, SEEK_SET) != 0) {
        fprintf(stderr, "cwtool: cannot open '%s': %s\n", path,
                strerror(errno));
        if (f)
            fclose(f);
        return 1;
    }
    for (long i = 0; i < len; i++)
        fputc(byte < 0 ? (int)((i * 37 + 11) & 0xff) : byte, f);
    return fclose(f) != 0;
}

static int corrupt(const char *path, const char *kind)
{
    if (!strcmp(kind, "header"))
        return overwrite(path, 0, 16, 'X');
    if (!strcmp(kind, "schema"))
        return overwrite(path, 100, 4096 - 100, 0);
    if (!strcmp(kind, "truncate"))
        return truncate(path, (off_t)8 * 4096) != 0;
    /* A table's root page. */
    bool is_empty_leaf = !strncmp(kind, "empty:", 6);
    if (is_empty_leaf)
        kind += 6;
    sqlite3 *db = NULL;
    long page = 0, size = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db,
                               "SELECT rootpage, (SELECT page_size FROM "
                               "pragma_page_size) FROM sqlite_master WHERE "
                               "type = 'table' AND name = ?1",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW) {
                page = (long)sqlite3_column_int64(st, 0);
                size = (long)sqlite3_column_int64(st, 1);
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    if (page < 2 || size <= 0) {
        fprintf(stderr, "cwtool: no table '%s' in '%s'\n", kind, path);
        return 1;
    }
    if (is_empty_leaf) /* page type 13 (table leaf), no cells */
        return overwrite(path, (page - 1) * size, 1, 13) ||
               overwrite(path, (page - 1) * size + 1, 7, 0);
    return overwrite(path, (page - 1) * size, size, -1);
}

/* ---- spreadsheet formulas in CSV ------------------------------------------
 */

static bool is_risky(int c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
           c == '\r';
}

/* A bare number as cyberwell writes its figures: -0.059, 12, 1e-3. */
static bool is_number(const char *s, size_t n)
{
    if (n == 0)
        return false;
    char buf[64];
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    strtod(buf, &end);
    return *end == '\0' && buf[n - 1] != '.';
}

/*
 * Check every cell of an RFC 4180 file: a text cell (quoted, or bare and
 * not a number) must not start with = + - @ TAB or CR. Prints
 * "FILE: N cells, M neutralised, K formula cells" and each formula cell;
 * returns K.
 */
static long csvcheck(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("%s: cannot open: %s\n", path, strerror(errno));
        return 1;
    }
    long cells = 0, neutral = 0, bad = 0;
    unsigned line = 1, field = 1, cell_line = 1;
    char cell[64];
    size_t len = 0;
    bool quoted = false, in_quotes = false, at_start = true;
    int c;
    for (;;) {
        c = fgetc(f);
        if (at_start && c == '"') {
            quoted = in_quotes = true;
            at_start = false;
            cell_line = line;
            continue;
        }
        if (at_start) {
            cell_line = line;
            at_start = false;
        }
        if (in_quotes) {
            if (c == EOF)
                break;
            if (c == '"') {
                int d = fgetc(f);
                if (d != '"') {
                    in_quotes = false;
                    ungetc(d, f);
                    continue;
                }
            }
            if (c == '\n')
                line++;
            if (len < sizeof cell)
                cell[len++] = (char)c;
            continue;
        }
        if (c == '\r') { /* CRLF ends a record; a lone CR is text */
            int d = fgetc(f);
            if (d == '\n')
                c = d;
            else
                ungetc(d, f);
        }
        if (c == ',' || c == '\n' || c == EOF) {
            if (c == EOF && len == 0 && !quoted && field == 1)
                break;
            cells++;
            if (len > 1 && cell[0] == '\'' && is_risky((unsigned char)cell[1]))
                neutral++;
            if (len && is_risky((unsigned char)cell[0]) &&
                (quoted || !is_number(cell, len))) {
                bad++;
                printf("%s:%u:%u: formula cell: %.*s\n", path, cell_line, field,
                       (int)(len > 40 ? 40 : len), cell);
            }
            len = 0;
            quoted = false;
            at_start = true;
            if (c == ',') {
                field++;
            } else {
                field = 1;
                line++;
            }
            if (c == EOF)
                break;
            continue;
        }
        if (len < sizeof cell)
            cell[len++] = (char)c;
    }
    fclose(f);
    printf("%s: %ld cells, %ld neutralised, %ld formula cells\n", path, cells,
           neutral, bad);
    return bad;
}

/* ---- running under limits ----------------------------------------------- */

static int run(int argc, char **argv)
{
    int i = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (!strcmp(argv[i], "--fsize") && i + 1 < argc) {
            char *end;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            struct rlimit rl = {(rlim_t)v, (rlim_t)v};
            if (*end || setrlimit(RLIMIT_FSIZE, &rl) != 0) {
                fprintf(stderr, "cwtool: cannot limit file size: %s\n",
                        strerror(errno));
                return 1;
            }
            signal(SIGXFSZ, SIG_IGN); /* inherited: write() gets EFBIG */
        } else if (!strcmp(argv[i], "--stdout") && i + 1 < argc) {
            int fd = open(argv[++i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
                fprintf(stderr, "cwtool: cannot open '%s': %s\n", argv[i],
                        strerror(errno));
                return 1;
            }
            close(fd);
        } else if (!strcmp(argv[i], "--chdir") && i + 1 < argc) {
            if (chdir(argv[++i]) != 0) {
                fprintf(stderr, "cwtool: cannot enter '%s': %s\n", argv[i],
                        strerror(errno));
                return 1;
            }
        } else if (!strcmp(argv[i], "--close-stdout")) {
            close(STDOUT_FILENO);
        } else if (!strcmp(argv[i], "--no-caps")) {
            if (geteuid() != 0)
                continue;
            for (int cap = 0; cap < 64; cap++)
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 &&
                    errno != EINVAL) {
                    printf("SKIP: cannot drop capability %d as root: %s\n", cap,
                           strerror(errno));
                    return 77;
                }
            /* CAP_DAC_OVERRIDE is 1: gone from the bounding set, it is
             * gone from the exec'd program. */
            if (prctl(PR_CAPBSET_READ, 1, 0, 0, 0) != 0) {
                printf("SKIP: cannot drop root's capabilities\n");
                return 77;
            }
        } else {
            return usage();
        }
    }
    if (i + 1 >= argc)
        return usage();
    execv(argv[i + 1], argv + i + 1);
    fprintf(stderr, "cwtool: cannot run '%s': %s\n", argv[i + 1],
            strerror(errno));
    return 127;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "dump"))
        return cmd_dump(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "query"))
        return cmd_query(argv[2], argv[3]);
    if (argc == 4 && !strcmp(argv[1], "load"))
        return cmd_load(argv[2], argv[3]);
    if (argc == 5 && !strcmp(argv[1], "gen"))
        return gen(argv[2], argv[3], strtoul(argv[4], NULL, 10));
    if (argc == 4 && !strcmp(argv[1], "corrupt"))
        return corrupt(argv[2], argv[3]);
    if (argc >= 3 && !strcmp(argv[1], "csvcheck")) {
        long bad = 0;
        for (int i = 2; i < argc; i++)
            bad += csvcheck(argv[i]);
        return bad ? 1 : 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "run"))
        return run(argc - 2, argv + 2);
    return usage();
}
