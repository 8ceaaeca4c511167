/* libcsv glue: record callbacks with line numbers, and a safe writer. */
#include "io/csvio.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include "util/banned.h"

struct reader {
    const char *name;
    csvio_row_fn fn;
    void *ctx;
    struct cw_error *err;
    int rc;
    char **fields;
    size_t n_fields;
    unsigned line;     /* line being fed */
    unsigned rec_line; /* line the current record started on */
    bool in_record;
};

static void on_field(void *data, size_t len, void *p)
{
    struct reader *r = p;
    if (r->rc)
        return;
    if (!r->in_record) {
        /* A field spanning lines started that many lines earlier. */
        unsigned nl = 0;
        for (size_t i = 0; i < len; i++)
            nl += ((const char *)data)[i] == '\n';
        r->rec_line = r->line - nl;
        r->in_record = true;
    }
    if (r->n_fields >= CSVIO_MAX_FIELDS) {
        r->rc = cw_errorf(
            r->err, CW_ERR_LIMIT,
            ((struct cw_loc){r->name, r->rec_line, (unsigned)r->n_fields + 1}),
            "record has more than %d fields", CSVIO_MAX_FIELDS);
        return;
    }
    if (len > CSVIO_MAX_FIELD) {
        r->rc = cw_errorf(
            r->err, CW_ERR_LIMIT,
            ((struct cw_loc){r->name, r->rec_line, (unsigned)r->n_fields + 1}),
            "field is %zu bytes, over the limit of %d", len, CSVIO_MAX_FIELD);
        return;
    }
    char *f = xstrndup(data ? data : "", data ? len : 0);
    /* Text must be UTF-8: a stray byte would reach the store, HTML and
     * gnuplot. The line is the one the byte is on. */
    unsigned line = r->line;
    for (size_t i = 0; i < len; i++)
        line -= f[i] == '\n';
    for (size_t i = 0, n; i < len; i += n) {
        n = utf8_seq_len((const unsigned char *)f + i);
        line += f[i] == '\n';
        if (n == 0) {
            r->rc = cw_errorf(
                r->err, CW_ERR_PARSE,
                ((struct cw_loc){r->name, line, (unsigned)r->n_fields + 1}),
                "invalid UTF-8 byte 0x%02x in field %zu; a CSV "
                "file must be UTF-8 text",
                (unsigned char)f[i], r->n_fields + 1);
            free(f);
            return;
        }
    }
    r->fields[r->n_fields++] = f;
}

static void clear_fields(struct reader *r)
{
    for (size_t i = 0; i < r->n_fields; i++)
        free(r->fields[i]);
    r->n_fields = 0;
    r->in_record = false;
}

static void on_record(int term, void *p)
{
    struct reader *r = p;
    (void)term;
    if (!r->rc && r->n_fields) {
        /* Skip records whose only field is empty (blank lines). */
        if (!(r->n_fields == 1 && r->fields[0][0] == '\0'))
            r->rc = r->fn(r->ctx, r->fields, r->n_fields, r->rec_line, r->err);
    }
    clear_fields(r);
}

/*
 * Line of the quote that opens the field left unclosed at the end of data.
 * Quotes toggle (a doubled quote inside a field toggles twice); under
 * CSV_STRICT libcsv has refused any other quote before csv_fini. Counting
 * here is exact where the reader's line cannot be: a record may end with
 * a lone CR, which libcsv takes as a record end but which ends no line.
 */
static unsigned open_quote_line(const char *data, size_t len)
{
    unsigned line = 1, at = 1;
    bool is_open = false;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n') {
            line++;
        } else if (data[i] == '"') {
            is_open = !is_open;
            if (is_open)
                at = line;
        }
    }
    return at;
}

int csvio_parse(const char *name, const char *data, size_t len, csvio_row_fn fn,
                void *ctx, struct cw_error *err)
{
    struct csv_parser p;
    struct reader r = {name, fn, ctx, err, CW_OK, NULL, 0, 1, 1, false};
    /* CSV_STRICT_FINI: a quoted field still open at the end is an error,
     * not a field that swallowed the rest of the file. */
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
                         CSV_EMPTY_IS_NULL) != 0)
        return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                         "cannot initialise the CSV parser");
    csv_set_realloc_func(&p, xrealloc);
    r.fields = xcalloc(CSVIO_MAX_FIELDS, sizeof *r.fields);
    /* Skip a UTF-8 byte order mark. */
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
    }
    /* Lines ended by CR alone (classic Mac OS) would be one line here,
     * and libcsv's strict mode would refuse its first quote with "error
     * parsing data while strict checking enabled": say what it is. */
    const char *first_nl = memchr(data, '\n', len);
    const char *first_cr =
        memchr(data, '\r', first_nl ? (size_t)(first_nl - data) : len);
    if (first_cr && !(first_cr + 1 < data + len && first_cr[1] == '\n')) {
        free(r.fields);
        csv_free(&p);
        return cw_errorf(err, CW_ERR_PARSE, ((struct cw_loc){name, 1, 0}),
                         "lines end with CR alone (classic Mac OS line "
                         "ends): save the file with LF or CRLF line ends");
    }
    size_t pos = 0;
    while (pos < len && !r.rc) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t chunk = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        if (memchr(data + pos, '\0', chunk)) {
            r.rc =
                cw_errorf(err, CW_ERR_PARSE, ((struct cw_loc){name, r.line, 0}),
                          "binary data: NUL byte in CSV");
            break;
        }
        if (csv_parse(&p, data + pos, chunk, on_field, on_record, &r) !=
            chunk) {
            if (!r.rc)
                r.rc = cw_errorf(
                    err, CW_ERR_PARSE, ((struct cw_loc){name, r.line, 0}),
                    "malformed CSV: %s", csv_strerror(csv_error(&p)));
            break;
        }
        pos += chunk;
        if (nl)
            r.line++;
    }
    if (!r.rc && csv_fini(&p, on_field, on_record, &r) != 0 && !r.rc)
        r.rc = cw_errorf(
            err, CW_ERR_PARSE,
            ((struct cw_loc){
                name, r.in_record ? r.rec_line : open_quote_line(data, len),
                (unsigned)r.n_fields + 1}),
            "malformed CSV: %s (a quoted field is not closed)",
            csv_strerror(csv_error(&p)));
    clear_fields(&r);
    free(r.fields);
    csv_free(&p);
    return r.rc;
}

int csvio_read(const char *path, csvio_row_fn fn, void *ctx,
               struct cw_error *err)
{
    struct strbuf sb = STRBUF_INIT;
    int rc = fileio_read(path, CSVIO_MAX_BYTES, &sb, err);
    if (rc == CW_OK)
        rc = csvio_parse(path, sb.buf, sb.len, fn, ctx, err);
    strbuf_release(&sb);
    return rc;
}

void csvio_writer_init(struct csvio_writer *w, FILE *fp)
{
    w->fp = fp;
    w->n_col = 0;
    w->is_failed = false;
}

#define CSVIO_STR2(x) #x
#define CSVIO_STR(x)  CSVIO_STR2(x)

const char *csvio_version(void)
{
    return CSVIO_STR(CSV_MAJOR) "." CSVIO_STR(CSV_MINOR) "." CSVIO_STR(
        CSV_RELEASE);
}

bool csvio_is_formula(const char *s)
{
    return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' ||
                 *s == '\t' || *s == '\r');
}

static void sep(struct csvio_writer *w)
{
    if (w->n_col++ && fputc(',', w->fp) == EOF)
        w->is_failed = true;
}

void csvio_text(struct csvio_writer *w, const char *s)
{
    sep(w);
    if (!s)
        return;
    if (csvio_is_formula(s)) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_addch(&sb, '\'');
        strbuf_adds(&sb, s);
        if (csv_fwrite(w->fp, sb.buf, sb.len) != 0)
            w->is_failed = true;
        strbuf_release(&sb);
        return;
    }
    if (csv_fwrite(w->fp, s, strlen(s)) != 0)
        w->is_failed = true;
}

void csvio_num(struct csvio_writer *w, double v, int decimals)
{
    sep(w);
    if (fprintf(w->fp, "%.*f", decimals, v) < 0)
        w->is_failed = true;
}

void csvio_int(struct csvio_writer *w, long long v)
{
    sep(w);
    if (fprintf(w->fp, "%lld", v) < 0)
        w->is_failed = true;
}

void csvio_empty(struct csvio_writer *w)
{
    sep(w);
}

void csvio_end_row(struct csvio_writer *w)
{
    if (fputs("\r\n", w->fp) == EOF)
        w->is_failed = true;
    w->n_col = 0;
}

int csvio_writer_status(const struct csvio_writer *w)
{
    return w->is_failed || ferror(w->fp) ? CW_ERR_IO : CW_OK;
}
