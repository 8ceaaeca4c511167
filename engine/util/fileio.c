/* Whole-file reads with a cap, directory creation, atomic writes. */
#include "util/fileio.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/banned.h"

const char *fileio_mode_name(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a special file";
}

static int not_regular(const char *path, mode_t mode, struct cw_error *err)
{
    if (S_ISDIR(mode))
        return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                         "cannot read '%s': Is a directory", path);
    return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                     "cannot read '%s': not a regular file (%s)", path,
                     fileio_mode_name(mode));
}

int fileio_read(const char *path, size_t max_bytes, struct strbuf *out,
                struct cw_error *err)
{
    struct cw_loc loc = {path, 0, 0};
    int fd;
    bool is_stdin = strcmp(path, "-") == 0;
    strbuf_reset(out);
    if (is_stdin) {
        fd = STDIN_FILENO;
    } else {
        /* O_NONBLOCK: opening a FIFO without a writer, or a device, must
         * not wait; fstat then refuses anything but a regular file. */
        fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            struct stat st;
            /* A socket cannot be opened at all (ENXIO): say what it is. */
            if (e == ENXIO && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
                return not_regular(path, st.st_mode, err);
            return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                             "cannot open '%s': %s", path, strerror(e));
        }
        struct stat st;
        if (fstat(fd, &st) != 0) {
            int e = errno;
            close(fd);
            return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                             "cannot read '%s': %s", path, strerror(e));
        }
        if (!S_ISREG(st.st_mode)) {
            close(fd);
            return not_regular(path, st.st_mode, err);
        }
        if ((size_t)st.st_size > max_bytes) {
            close(fd);
            return cw_errorf(err, CW_ERR_LIMIT, loc,
                             "file is %lld bytes, over the limit of %zu "
                             "bytes",
                             (long long)st.st_size, max_bytes);
        }
        strbuf_grow(out, (size_t)st.st_size);
    }
    for (;;) {
        strbuf_grow(out, 65536);
        size_t room = out->cap - out->len - 1;
        ssize_t n = read(fd, out->buf + out->len, room);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            if (!is_stdin)
                close(fd);
            return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                             "cannot read '%s': %s", path, strerror(e));
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->buf[out->len] = '\0';
        if (out->len > max_bytes) {
            if (!is_stdin)
                close(fd);
            return cw_errorf(err, CW_ERR_LIMIT, loc,
                             "file is over the limit of %zu bytes", max_bytes);
        }
    }
    if (!is_stdin)
        close(fd);
    return CW_OK;
}

bool fileio_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fileio_mkdirs(const char *dir, struct cw_error *err)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, dir);
    for (size_t i = 1; i <= sb.len; i++) {
        if (i < sb.len && sb.buf[i] != '/')
            continue;
        char saved = sb.buf[i];
        sb.buf[i] = '\0';
        if (mkdir(sb.buf, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                      "cannot create directory '%s': %s", sb.buf, strerror(e));
            strbuf_release(&sb);
            return CW_ERR_IO;
        }
        sb.buf[i] = saved;
    }
    strbuf_release(&sb);
    if (!fileio_is_dir(dir))
        return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                         "cannot create directory '%s': Not a directory", dir);
    return CW_OK;
}

/* ---- temporary files ------------------------------------------------ */

/* When this run first made a temporary file: older ones of our pattern
 * are stale. The directory cleaned last, so that each is cleaned once
 * before this run's own temporary files appear in it. */
static struct timespec run_start;
static bool has_run_start;
static struct strbuf cleaned_dir = STRBUF_INIT;

static void note_run_start(void)
{
    if (!has_run_start) {
        clock_gettime(CLOCK_REALTIME, &run_start);
        has_run_start = true;
    }
}

/* ".NAME.cyberwell-tmp.XXXXXX" with NAME not empty and X a letter or
 * digit (what mkstemp writes). */
static bool is_tmp_name(const char *name)
{
    static const char infix[] = FILEIO_TMP_INFIX;
    size_t n = strlen(name), k = sizeof infix - 1;
    if (name[0] != '.' || n < 1 + 1 + k + 6)
        return false;
    const char *x = name + n - 6;
    if (memcmp(x - k, infix, k) != 0)
        return false;
    for (size_t i = 0; i < 6; i++)
        if (!isalnum((unsigned char)x[i]) || (unsigned char)x[i] > 127)
            return false;
    return true;
}

static bool is_before_run(const struct stat *st)
{
    return st->st_mtim.tv_sec < run_start.tv_sec ||
           (st->st_mtim.tv_sec == run_start.tv_sec &&
            st->st_mtim.tv_nsec < run_start.tv_nsec);
}

size_t fileio_clean_stale(const char *dir)
{
    note_run_start();
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return 0;
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return 0;
    }
    size_t n = 0;
    const struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        struct stat st;
        if (!is_tmp_name(de->d_name) ||
            fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
            !is_before_run(&st))
            continue;
        int fd =
            openat(dfd, de->d_name,
                   O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            continue;
        /* A live writer holds the lock: its file is not stale. */
        if (flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            unlinkat(dfd, de->d_name, 0) == 0)
            n++;
        close(fd);
    }
    closedir(d);
    return n;
}

int fileio_tmp_create(const char *dir, const char *name, struct strbuf *tmp,
                      struct cw_error *err)
{
    note_run_start();
    if (strcmp(cleaned_dir.buf, dir) != 0) {
        fileio_clean_stale(dir);
        strbuf_reset(&cleaned_dir);
        strbuf_adds(&cleaned_dir, dir);
    }
    strbuf_reset(tmp);
    strbuf_addf(tmp, "%s/.%s" FILEIO_TMP_INFIX "XXXXXX", dir, name);
    int fd = mkstemp(tmp->buf);
    if (fd < 0) {
        int e = errno;
        cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                  "cannot create a file in '%s': %s", dir, strerror(e));
        errno = e;
        return -1;
    }
    /* As any other output file, not mkstemp's 0600. */
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || fchmod(fd, 0644) != 0) {
        int e = errno;
        cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot create '%s': %s",
                  tmp->buf, strerror(e));
        close(fd);
        unlink(tmp->buf);
        errno = e;
        return -1;
    }
    (void)flock(fd, LOCK_EX | LOCK_NB); /* ours alone: cannot be held */
    return fd;
}

int fileio_write_atomic(const char *path, const void *data, size_t len,
                        struct cw_error *err)
{
    struct strbuf tmp = STRBUF_INIT, dir = STRBUF_INIT;
    int rc = CW_OK;
    const char *slash = strrchr(path, '/');
    if (!slash)
        strbuf_adds(&dir, ".");
    else
        strbuf_add(&dir, path, slash == path ? 1 : (size_t)(slash - path));
    int fd = fileio_tmp_create(dir.buf, slash ? slash + 1 : path, &tmp, err);
    if (fd < 0) {
        rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot write '%s': %s",
                       path, strerror(errno));
        goto out;
    }
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot write '%s': %s",
                           path, strerror(errno));
            close(fd);
            unlink(tmp.buf);
            goto out;
        }
        p += n;
        left -= (size_t)n;
    }
    if (close(fd) != 0) {
        rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot write '%s': %s",
                       path, strerror(errno));
        unlink(tmp.buf);
        goto out;
    }
    if (rename(tmp.buf, path) != 0) {
        rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot write '%s': %s",
                       path, strerror(errno));
        unlink(tmp.buf);
    }
out:
    strbuf_release(&tmp);
    strbuf_release(&dir);
    return rc;
}
