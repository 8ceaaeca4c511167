/* struct cw_error helpers and the CW_BUG abort. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

void cw_error_clear(struct cw_error *err)
{
    if (!err)
        return;
    err->code = 0;
    err->file[0] = '\0';
    err->line = 0;
    err->col = 0;
    err->msg[0] = '\0';
    err->src[0] = '\0';
}

int cw_errorf(struct cw_error *err, int code, struct cw_loc loc,
              const char *fmt, ...)
{
    if (!err)
        return code;
    cw_error_clear(err);
    err->code = code;
    if (loc.file)
        snprintf(err->file, sizeof err->file, "%s", loc.file);
    err->line = loc.line;
    err->col = loc.col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void cw_error_set_src(struct cw_error *err, const char *line_start,
                      size_t max_len)
{
    if (!err || !line_start)
        return;
    size_t n = 0;
    while (n < max_len && n + 1 < sizeof err->src && line_start[n] &&
           line_start[n] != '\n' && line_start[n] != '\r')
        n++;
    memcpy(err->src, line_start, n);
    err->src[n] = '\0';
    /* Keep the excerpt printable on a terminal. */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)err->src[i] < 0x20 || err->src[i] == 0x7f)
            err->src[i] = ' ';
}

void cw_errors_add(struct cw_errors *errs, const struct cw_error *err)
{
    if (errs->n < CW_MAX_ERRORS)
        errs->e[errs->n++] = *err;
    else
        errs->n_dropped++;
}

const char *cw_status_name(int code)
{
    switch (code) {
    case CW_OK:
        return "success";
    case CW_ERR_IO:
        return "i/o error";
    case CW_ERR_USAGE:
        return "usage error";
    case CW_ERR_PARSE:
        return "input error";
    case CW_ERR_LIMIT:
        return "input over limit";
    case CW_ERR_DB:
        return "database error";
    case CW_ERR_TOOL:
        return "tool error";
    case CW_ERR_BUSY:
        return "database busy";
    case CW_ERR_NOTFOUND:
        return "not found";
    default:
        return "error";
    }
}

void cw_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "cyberwell: BUG at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
