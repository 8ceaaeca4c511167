/*
 * Reading whole files with a size cap, and small file-system helpers.
 */
#ifndef CYBERWELL_UTIL_FILEIO_H
#define CYBERWELL_UTIL_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/strbuf.h"

/*
 * Read all of `path` ("-" is stdin) into out (fills; out is reset first).
 * Fails with CW_ERR_IO (cannot open/read, or a directory) or CW_ERR_LIMIT
 * when the file is larger than max_bytes; the message names the path.
 */
int fileio_read(const char *path, size_t max_bytes, struct strbuf *out,
                struct cw_error *err);

/* True when path names a directory. */
bool fileio_is_dir(const char *path);

/* Create dir and its parents (mode 0777 & ~umask). */
int fileio_mkdirs(const char *dir, struct cw_error *err);

/*
 * Write data to path atomically: a temporary file in the same directory,
 * then rename(2). On failure nothing at path changes.
 */
int fileio_write_atomic(const char *path, const void *data, size_t len,
                        struct cw_error *err);

#endif
