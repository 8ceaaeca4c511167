/* Comments, headers, trimmed cells and located errors for kind-row CSV. */
#include "io/csvtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/xalloc.h"

#include "util/banned.h"

int csvtab_parse(const char *name, const char *data, size_t len,
                 csvio_row_fn fn, void *ctx, struct cw_error *err)
{
    char *copy = xmalloc(len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if ((i == 0 || copy[i - 1] == '\n') && copy[i] == '#')
            while (i < len && copy[i] != '\n')
                copy[i++] = ' ';
    int rc = csvio_parse(name, copy, len, fn, ctx, err);
    free(copy);
    return rc;
}

int csvtab_read(const char *path, const char *what, size_t max_bytes,
                struct strbuf *out, struct cw_error *err)
{
    int rc = fileio_read(path, max_bytes, out, err);
    if (rc == CW_OK)
        return rc;
    /* "cannot open 'PATH': REASON" -> "cannot open WHAT 'PATH': REASON";
     * the reason follows the path, which may hold ':'. */
    char prefix[sizeof err->msg];
    snprintf(prefix, sizeof prefix, "cannot open '%s': ", path);
    size_t pl = strlen(prefix);
    if (!strncmp(err->msg, prefix, pl)) {
        char reason[sizeof err->msg];
        snprintf(reason, sizeof reason, "%s", err->msg + pl);
        cw_errorf(err, rc, CW_LOC_NONE, "cannot open %s '%s': %s", what, path,
                  reason);
    }
    return rc;
}

void csvtab_cells(char **fields, size_t n, char **f, size_t n_cols)
{
    static char empty[1];
    for (size_t i = 0; i < n_cols; i++) {
        char *s = i < n && fields[i] ? fields[i] : empty;
        while (*s == ' ')
            s++;
        size_t l = strlen(s);
        while (l && s[l - 1] == ' ')
            s[--l] = '\0';
        f[i] = s;
    }
}

unsigned csvtab_header(char *const *f, const char *const *names, size_t n,
                       struct cw_loc loc, struct cw_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(f[i], names[i]))
            continue;
        char all[256] = "";
        size_t used = 0;
        for (size_t k = 0; k < n && used < sizeof all; k++)
            used += (size_t)snprintf(all + used, sizeof all - used, "%s%s",
                                     k ? "," : "", names[k]);
        loc.col = (unsigned)i + 1;
        cw_errorf(err, CW_ERR_PARSE, loc,
                  "header column %zu is '%s', expected '%s' (header: %s)",
                  i + 1, f[i], names[i], all);
        return loc.col;
    }
    return 0;
}

void csvtab_error_src(struct cw_error *e, const char *data, size_t len)
{
    if (!e->line || !data)
        return;
    const char *p = data, *end = data + len;
    for (unsigned k = 1; k < e->line && p < end; k++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    if (p < end)
        cw_error_set_src(e, p, (size_t)(end - p));
}
