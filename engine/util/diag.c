/* struct cw_error helpers, text escaped for a terminal, the CW_BUG abort. */
#define _GNU_SOURCE /* fopencookie */
#include "util/diag.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

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

/* ---- messages that keep their reason ------------------------------------ */

#define FIT_MAX_PIECES 64 /* literal runs and conversions in one format */
#define FIT_MAX_NUMS   24 /* conversions other than %s in one format */
#define FIT_NUM_LEN    64 /* bytes of one formatted number */
#define FIT_MIN_ARG    24 /* a %s argument is not cut below this */

/* One part of the formatted message: fmt text, a number, or a %s
 * argument, which may be cut to head + "..." + tail. */
struct fit_piece {
    const char *s;
    size_t len;  /* bytes of s used (head when cut) */
    bool is_arg; /* a %s argument: may be shortened */
    bool is_cut;
    size_t tail; /* when cut: bytes kept from the end of s[0..full) */
    size_t full; /* the argument's whole length */
};

static size_t piece_len(const struct fit_piece *p)
{
    return p->is_cut ? p->len + 3 + p->tail : p->len;
}

/* Shorten p to at most n bytes (n >= FIT_MIN_ARG), keeping its start and
 * its end (the file name of a path). */
static void piece_cut(struct fit_piece *p, size_t n)
{
    size_t keep = n - 3;
    p->len = keep / 2;
    p->tail = keep - p->len;
    p->is_cut = true;
}

/* The argument of one conversion (not %s) formatted alone into out. The
 * spec is a literal conversion taken from a checked format. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
static void format_one(char *out, size_t cap, const char *spec, char conv,
                       const char *mod, bool has_width, int width,
                       bool has_prec, int prec, va_list *ap)
{
    /* Rebuild the spec with '*' for width and precision read already. */
    char f[32];
    size_t n = 0;
    f[n++] = '%';
    for (const char *q = spec + 1; strchr("-+ #0", *q) && n < 8; q++)
        f[n++] = *q;
    if (has_width)
        f[n++] = '*';
    if (has_prec) {
        f[n++] = '.';
        f[n++] = '*';
    }
    for (const char *q = mod; *q && n < 28; q++)
        f[n++] = *q;
    f[n++] = conv;
    f[n] = '\0';
    int w = has_width ? width : 0, pr = has_prec ? prec : 0;
#define FIT_PUT(type)                                                          \
    do {                                                                       \
        type v_ = va_arg(*ap, type);                                           \
        if (has_width && has_prec)                                             \
            snprintf(out, cap, f, w, pr, v_);                                  \
        else if (has_width)                                                    \
            snprintf(out, cap, f, w, v_);                                      \
        else if (has_prec)                                                     \
            snprintf(out, cap, f, pr, v_);                                     \
        else                                                                   \
            snprintf(out, cap, f, v_);                                         \
    } while (0)
    bool is_signed = conv == 'd' || conv == 'i';
    if (strchr("fFeEgGaA", conv)) {
        if (!strcmp(mod, "L"))
            FIT_PUT(long double);
        else
            FIT_PUT(double);
    } else if (conv == 'c') {
        FIT_PUT(int);
    } else if (conv == 'p') {
        FIT_PUT(void *);
    } else if (conv == 's') {
        FIT_PUT(const char *);
    } else if (!strcmp(mod, "ll")) {
        if (is_signed)
            FIT_PUT(long long);
        else
            FIT_PUT(unsigned long long);
    } else if (!strcmp(mod, "l")) {
        if (is_signed)
            FIT_PUT(long);
        else
            FIT_PUT(unsigned long);
    } else if (!strcmp(mod, "z")) {
        if (is_signed)
            FIT_PUT(ptrdiff_t); /* the signed type of size_t's width */
        else
            FIT_PUT(size_t);
    } else if (!strcmp(mod, "j")) {
        if (is_signed)
            FIT_PUT(intmax_t);
        else
            FIT_PUT(uintmax_t);
    } else if (!strcmp(mod, "t")) {
        FIT_PUT(ptrdiff_t);
    } else if (is_signed) {
        FIT_PUT(int); /* also hh and h: promoted to int */
    } else {
        FIT_PUT(unsigned);
    }
#undef FIT_PUT
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

size_t cw_vformat_fit(char *out, size_t cap, const char *fmt, va_list ap)
{
    struct fit_piece pieces[FIT_MAX_PIECES];
    char nums[FIT_MAX_NUMS][FIT_NUM_LEN];
    size_t n = 0, n_nums = 0, total = 0;
    va_list cp;
    va_copy(cp, ap);
    const char *p = fmt;
    while (*p) {
        if (n == FIT_MAX_PIECES || n_nums == FIT_MAX_NUMS) {
            /* An unusually long format: let vsnprintf do the rest. */
            break;
        }
        struct fit_piece *pc = &pieces[n];
        memset(pc, 0, sizeof *pc);
        if (*p != '%' || p[1] == '%') {
            const char *q = *p == '%' ? p + 1 : p;
            const char *e = strchr(q + (*p == '%'), '%');
            if (*p == '%')
                e = q + 1;
            else if (!e)
                e = q + strlen(q);
            pc->s = q;
            pc->len = (size_t)(e - q);
            p = *p == '%' ? p + 2 : e;
            total += pc->len;
            n++;
            continue;
        }
        const char *spec = p++;
        while (*p && strchr("-+ #0", *p))
            p++;
        bool has_width = false, has_prec = false;
        int width = 0, prec = -1;
        if (*p == '*') {
            has_width = true;
            width = va_arg(cp, int);
            p++;
        } else if (isdigit((unsigned char)*p)) {
            has_width = true;
            for (; isdigit((unsigned char)*p); p++)
                width = width * 10 + (*p - '0');
        }
        if (*p == '.') {
            has_prec = true;
            prec = 0;
            p++;
            if (*p == '*') {
                prec = va_arg(cp, int);
                p++;
            } else {
                for (; isdigit((unsigned char)*p); p++)
                    prec = prec * 10 + (*p - '0');
            }
        }
        char mod[3] = {0, 0, 0};
        for (size_t k = 0; k < 2 && *p && strchr("hlzjtL", *p); k++)
            mod[k] = *p++;
        char conv = 's';
        if (*p)
            conv = *p++;
        if (conv == 's' && !(has_width && width > 0)) {
            const char *s = va_arg(cp, const char *);
            if (!s)
                s = "(null)";
            pc->s = s;
            pc->len =
                has_prec && prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
            pc->full = pc->len;
            pc->is_arg = true;
        } else {
            format_one(nums[n_nums], FIT_NUM_LEN, spec, conv, mod, has_width,
                       width, has_prec, prec, &cp);
            pc->s = nums[n_nums++];
            pc->len = strlen(pc->s);
        }
        total += pc->len;
        n++;
    }
    size_t room = cap - 1;
    /* Cut the longest arguments first, never below FIT_MIN_ARG. */
    while (total > room) {
        struct fit_piece *longest = NULL;
        for (size_t i = 0; i < n; i++)
            if (pieces[i].is_arg && piece_len(&pieces[i]) > FIT_MIN_ARG &&
                (!longest || piece_len(&pieces[i]) > piece_len(longest)))
                longest = &pieces[i];
        if (!longest)
            break;
        size_t have = piece_len(longest), excess = total - room;
        size_t want = excess + FIT_MIN_ARG > have ? FIT_MIN_ARG : have - excess;
        piece_cut(longest, want);
        total = total - have + piece_len(longest);
    }
    size_t len = 0;
#define FIT_ADD(src, k)                                                        \
    do {                                                                       \
        size_t k_ = (k) < room - len ? (k) : room - len;                       \
        memcpy(out + len, (src), k_);                                          \
        len += k_;                                                             \
    } while (0)
    for (size_t i = 0; i < n; i++) {
        FIT_ADD(pieces[i].s, pieces[i].len);
        if (pieces[i].is_cut) {
            FIT_ADD("...", 3);
            FIT_ADD(pieces[i].s + pieces[i].full - pieces[i].tail,
                    pieces[i].tail);
        }
    }
#undef FIT_ADD
    out[len] = '\0';
    /* Pieces ran out: the rest of the (checked) format, plainly. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    if (*p && len < room)
        vsnprintf(out + len, cap - len, p, cp);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    va_end(cp);
    return strlen(out);
}

int cw_verrorf(struct cw_error *err, int code, struct cw_loc loc,
               const char *fmt, va_list ap)
{
    if (!err)
        return code;
    cw_error_clear(err);
    err->code = code;
    if (loc.file) {
        size_t fl = strlen(loc.file);
        if (fl < sizeof err->file) {
            memcpy(err->file, loc.file, fl + 1);
        } else {
            /* Keep the start and the file name at the end. */
            size_t keep = sizeof err->file - 4, head = keep / 2;
            memcpy(err->file, loc.file, head);
            memcpy(err->file + head, "...", 3);
            memcpy(err->file + head + 3, loc.file + fl - (keep - head),
                   keep - head + 1);
        }
    }
    err->line = loc.line;
    err->col = loc.col;
    cw_vformat_fit(err->msg, sizeof err->msg, fmt, ap);
    return code;
}

int cw_errorf(struct cw_error *err, int code, struct cw_loc loc,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cw_verrorf(err, code, loc, fmt, ap);
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

/* ---- text for a terminal ---------------------------------------------- */

/* Bytes a UTF-8 sequence led by c claims (1 for a byte that leads none). */
static size_t lead_len(unsigned char c)
{
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    return 1;
}

size_t cw_escape_text(struct strbuf *out, const char *s, size_t len,
                      bool is_final)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c == '\r' && i + 1 == len && !is_final)
            break; /* a CR at the end: CRLF perhaps */
        if (c == '\t' || c == '\n' ||
            (c == '\r' && i + 1 < len && p[i + 1] == '\n') ||
            (c >= 0x20 && c < 0x7F)) {
            strbuf_addch(out, (char)c);
            i++;
            continue;
        }
        size_t want = lead_len(c);
        if (want > 1 && i + want > len && !is_final)
            break; /* the rest of the sequence comes with the next call */
        unsigned char seq[5] = {0};
        size_t n = 0;
        if (want > 1 && i + want <= len) {
            memcpy(seq, p + i, want);
            n = utf8_seq_len(seq);
        }
        if (n == 0) { /* a C0 control, DEL or a byte that is not UTF-8 */
            strbuf_addf(out, "\\x%02x", c);
            i++;
        } else if (utf8_is_control(seq, n)) {
            unsigned cp = n == 2
                              ? ((seq[0] & 0x1Fu) << 6) | (seq[1] & 0x3Fu)
                              : ((seq[0] & 0x0Fu) << 12) |
                                    ((seq[1] & 0x3Fu) << 6) | (seq[2] & 0x3Fu);
            strbuf_addf(out, "\\u%04x", cp);
            i += n;
        } else {
            strbuf_add(out, s + i, n);
            i += n;
        }
    }
    return i;
}

struct escaping {
    int fd;
    char held[4]; /* an incomplete sequence or CR left by the last write */
    size_t n_held;
    struct strbuf in, out;
};

static bool write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Escape held bytes and buf[0..len) and write what is complete. */
static bool escaping_put(struct escaping *e, const char *buf, size_t len,
                         bool is_final)
{
    strbuf_reset(&e->in);
    strbuf_reset(&e->out);
    strbuf_add(&e->in, e->held, e->n_held);
    strbuf_add(&e->in, buf, len);
    size_t used = cw_escape_text(&e->out, e->in.buf, e->in.len, is_final);
    e->n_held = e->in.len - used; /* at most 3: see cw_escape_text */
    memcpy(e->held, e->in.buf + used, e->n_held);
    return write_all(e->fd, e->out.buf, e->out.len);
}

static ssize_t escaping_write(void *cookie, const char *buf, size_t len)
{
    if (!escaping_put(cookie, buf, len, false))
        return -1;
    return (ssize_t)len;
}

static int escaping_close(void *cookie)
{
    struct escaping *e = cookie;
    bool is_ok = escaping_put(e, "", 0, true);
    int saved = errno;
    if (close(e->fd) != 0)
        is_ok = false;
    else
        errno = saved;
    strbuf_release(&e->in);
    strbuf_release(&e->out);
    free(e);
    return is_ok ? 0 : EOF;
}

FILE *cw_escaping_stream(int fd, bool is_unbuffered)
{
    struct escaping *e = xcalloc(1, sizeof *e);
    e->fd = fd;
    strbuf_init(&e->in);
    strbuf_init(&e->out);
    cookie_io_functions_t io = {NULL, escaping_write, NULL, escaping_close};
    FILE *fp = fopencookie(e, "w", io);
    if (!fp) {
        strbuf_release(&e->in);
        strbuf_release(&e->out);
        free(e);
        return NULL;
    }
    if (is_unbuffered)
        setvbuf(fp, NULL, _IONBF, 0);
    return fp;
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
