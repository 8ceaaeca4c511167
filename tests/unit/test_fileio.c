/*
 * Unit tests for util/fileio: only regular files are read (a FIFO, a
 * folder, a socket are refused at once), atomic writes replace a symbolic
 * link instead of writing through it, and stale temporary files are
 * removed while live, recent or foreign ones stay.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "test.h"
#include "util/fileio.h"
#include "util/strbuf.h"

#include "util/banned.h"

static char dir[256];

static void path_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void make_file(const char *name, const char *text, long age_s)
{
    char p[512];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
    if (age_s) {
        struct timeval now, tv[2];
        gettimeofday(&now, NULL);
        tv[0] = tv[1] = now;
        tv[0].tv_sec -= age_s;
        tv[1].tv_sec -= age_s;
        CHECK_INT_EQ(utimes(p, tv), 0);
    }
}

static bool exists(const char *name)
{
    char p[512];
    struct stat st;
    path_of(p, sizeof p, name);
    return lstat(p, &st) == 0;
}

static void test_read_regular_only(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct cw_error err;
    char p[512];
    path_of(p, sizeof p, "fifo");
    CHECK_INT_EQ(mkfifo(p, 0600), 0);
    CHECK_INT_EQ(fileio_read(p, 1024, &sb, &err), CW_ERR_IO);
    CHECK(strstr(err.msg, "not a regular file (a FIFO)") != NULL);
    CHECK_INT_EQ(fileio_read(dir, 1024, &sb, &err), CW_ERR_IO);
    CHECK(strstr(err.msg, "Is a directory") != NULL);
    CHECK_INT_EQ(fileio_read("/dev/null", 1024, &sb, &err), CW_ERR_IO);
    CHECK(strstr(err.msg, "not a regular file (a character device)") != NULL);
    /* A socket cannot even be opened: still said what it is. */
    path_of(p, sizeof p, "sock");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    size_t pl = strlen(p);
    if (pl < sizeof addr.sun_path)
        memcpy(addr.sun_path, p, pl + 1);
    if (s >= 0 && pl < sizeof addr.sun_path &&
        bind(s, (struct sockaddr *)&addr, sizeof addr) == 0) {
        CHECK_INT_EQ(fileio_read(p, 1024, &sb, &err), CW_ERR_IO);
        CHECK(strstr(err.msg, "not a regular file (a socket)") != NULL);
    }
    if (s >= 0)
        close(s);
    make_file("plain.txt", "hello", 0);
    path_of(p, sizeof p, "plain.txt");
    CHECK_INT_EQ(fileio_read(p, 1024, &sb, &err), CW_OK);
    CHECK_STR_EQ(sb.buf, "hello");
    strbuf_release(&sb);
}

static void test_write_replaces_symlink(void)
{
    char victim[512], link[512];
    struct cw_error err;
    make_file("victim", "precious\n", 0);
    path_of(victim, sizeof victim, "victim");
    path_of(link, sizeof link, "out.csv");
    CHECK_INT_EQ(symlink(victim, link), 0);
    CHECK_INT_EQ(fileio_write_atomic(link, "new\n", 4, &err), CW_OK);
    struct strbuf sb = STRBUF_INIT;
    CHECK_INT_EQ(fileio_read(victim, 1024, &sb, &err), CW_OK);
    CHECK_STR_EQ(sb.buf, "precious\n");
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISREG(st.st_mode));
    strbuf_release(&sb);
}

static void test_clean_stale(void)
{
    char p[512];
    make_file(".scores.csv" FILEIO_TMP_INFIX "Ab12Cd", "old", 3600);
    make_file(".radar.png" FILEIO_TMP_INFIX "zzzzzz", "old", 60);
    make_file(".locked.csv" FILEIO_TMP_INFIX "LLLLLL", "old", 3600);
    make_file(".recent.csv" FILEIO_TMP_INFIX "RRRRRR", "new", -3600);
    make_file(".short.csv" FILEIO_TMP_INFIX "abcde", "old", 3600);
    make_file(".long.csv" FILEIO_TMP_INFIX "abcdefg", "old", 3600);
    make_file("." FILEIO_TMP_INFIX "noname", "old", 3600);
    make_file("scores.csv.cyberwell-tmp.Xy12Zz", "old", 3600);
    make_file(".scores.csv.XXyy12", "old", 3600); /* the old naming */
    path_of(p, sizeof p, ".dir.csv" FILEIO_TMP_INFIX "DDDDDD");
    CHECK_INT_EQ(mkdir(p, 0755), 0);
    char target[512];
    path_of(target, sizeof target, "plain.txt");
    path_of(p, sizeof p, ".link.csv" FILEIO_TMP_INFIX "SSSSSS");
    CHECK_INT_EQ(symlink(target, p), 0);
    /* A live writer's file: locked on another open file description. */
    path_of(p, sizeof p, ".locked.csv" FILEIO_TMP_INFIX "LLLLLL");
    int fd = open(p, O_RDONLY);
    CHECK(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);

    CHECK_INT_EQ(fileio_clean_stale(dir), 2);
    CHECK(!exists(".scores.csv" FILEIO_TMP_INFIX "Ab12Cd"));
    CHECK(!exists(".radar.png" FILEIO_TMP_INFIX "zzzzzz"));
    CHECK(exists(".locked.csv" FILEIO_TMP_INFIX "LLLLLL"));
    CHECK(exists(".recent.csv" FILEIO_TMP_INFIX "RRRRRR"));
    CHECK(exists(".short.csv" FILEIO_TMP_INFIX "abcde"));
    CHECK(exists(".long.csv" FILEIO_TMP_INFIX "abcdefg"));
    CHECK(exists("." FILEIO_TMP_INFIX "noname"));
    CHECK(exists("scores.csv.cyberwell-tmp.Xy12Zz"));
    CHECK(exists(".scores.csv.XXyy12"));
    CHECK(exists(".dir.csv" FILEIO_TMP_INFIX "DDDDDD"));
    CHECK(exists(".link.csv" FILEIO_TMP_INFIX "SSSSSS"));
    CHECK(exists("plain.txt"));
    if (fd >= 0)
        close(fd);
    CHECK_INT_EQ(fileio_clean_stale(dir), 1); /* its writer is gone */

    /* A temporary file of this run is named for what it becomes, and a
     * new run's own files are never taken for stale ones. */
    struct strbuf tmp = STRBUF_INIT;
    struct cw_error err;
    fd = fileio_tmp_create(dir, "ranks.csv", &tmp, &err);
    CHECK(fd >= 0);
    char want[512];
    path_of(want, sizeof want, ".ranks.csv" FILEIO_TMP_INFIX);
    CHECK(!strncmp(tmp.buf, want, strlen(want)));
    CHECK_INT_EQ(strlen(tmp.buf), strlen(want) + 6);
    CHECK_INT_EQ(fileio_clean_stale(dir), 0);
    CHECK(access(tmp.buf, F_OK) == 0);
    if (fd >= 0)
        close(fd);
    unlink(tmp.buf);
    strbuf_release(&tmp);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/cw-test-fileio.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_read_regular_only();
    test_write_replaces_symlink();
    test_clean_stale();
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return test_summary();
}
