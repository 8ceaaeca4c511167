/* Whole-file reads with a cap, directory creation, atomic writes. */
#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/banned.h"

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
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                             "cannot open '%s': %s", path, strerror(errno));
        struct stat st;
        if (fstat(fd, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                close(fd);
                return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                                 "cannot read '%s': Is a directory", path);
            }
            if (S_ISREG(st.st_mode) && (size_t)st.st_size > max_bytes) {
                close(fd);
                return cw_errorf(err, CW_ERR_LIMIT, loc,
                                 "file is %lld bytes, over the limit of %zu "
                                 "bytes",
                                 (long long)st.st_size, max_bytes);
            }
            if (S_ISREG(st.st_mode))
                strbuf_grow(out, (size_t)st.st_size);
        }
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

int fileio_write_atomic(const char *path, const void *data, size_t len,
                        struct cw_error *err)
{
    struct strbuf tmp = STRBUF_INIT;
    int rc = CW_OK;
    strbuf_addf(&tmp, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp.buf);
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
    if (fchmod(fd, 0644) != 0 || close(fd) != 0) {
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
    return rc;
}
