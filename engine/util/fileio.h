/*
 * Reading whole files with a size cap, and small file-system helpers.
 */
#ifndef CYBERWELL_UTIL_FILEIO_H
#define CYBERWELL_UTIL_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/diag.h"
#include "util/strbuf.h"

/*
 * Read all of `path` ("-" is stdin) into out (fills; out is reset first).
 * Only a regular file is read (stdin may be anything): a directory, FIFO,
 * device or socket is refused at once, never waited on (the file is opened
 * with O_NONBLOCK, then checked with fstat). Fails with CW_ERR_IO (cannot
 * open/read, or not a regular file) or CW_ERR_LIMIT when the file is
 * larger than max_bytes; the message names the path.
 */
int fileio_read(const char *path, size_t max_bytes, struct strbuf *out,
                struct cw_error *err);

/* What a file of this st_mode is, for messages: "a FIFO", "a character
 * device", "a socket", "a directory" ... (static). */
const char *fileio_mode_name(mode_t mode);

/* True when path names a directory. */
bool fileio_is_dir(const char *path);

/* Create dir and its parents (mode 0777 & ~umask). */
int fileio_mkdirs(const char *dir, struct cw_error *err);

/*
 * Write data to path atomically: a temporary file in the same directory
 * (fileio_tmp_create), then rename(2). A symbolic link at path is replaced,
 * never followed. On failure nothing at path changes.
 */
int fileio_write_atomic(const char *path, const void *data, size_t len,
                        struct cw_error *err);

/* The infix of every temporary file: ".NAME.cyberwell-tmp.XXXXXX". */
#define FILEIO_TMP_INFIX ".cyberwell-tmp."

/*
 * Create a temporary file that will become dir/name: dir/.NAME.cyberwell-
 * tmp.XXXXXX, mode 0644, opened with O_EXCL (a planted symbolic link is
 * never followed) and held under flock(LOCK_EX) until closed. tmp is reset
 * and filled with its path. Before the first temporary file of a run in a
 * directory, removes the stale ones that killed runs left there (see
 * fileio_clean_stale). Returns the file descriptor, or -1 after filling
 * err (CW_ERR_IO).
 */
int fileio_tmp_create(const char *dir, const char *name, struct strbuf *tmp,
                      struct cw_error *err);

/*
 * Remove from dir the temporary files of our pattern (".NAME.cyberwell-
 * tmp." and six letters or digits) that a killed run left: regular files
 * of this user, last modified before this run first wrote a temporary
 * file, and not locked by a live process. Anything else is left alone.
 * Returns the number removed; never fails (cleaning is best effort).
 */
size_t fileio_clean_stale(const char *dir);

#endif
