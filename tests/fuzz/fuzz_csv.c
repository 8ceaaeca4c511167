/*
 * libFuzzer harness for the CSV reader: csvio_parse with a callback that
 * reads every byte of every field and checks the record invariants (field
 * count, field length, line numbers in range and never going back). A
 * record whose first field is "STOP" makes the callback fail, to exercise
 * the early-exit path.
 */
#include <string.h>

#include "fuzz_common.h"
#include "io/csvio.h"

#include "util/banned.h"

struct fuzz_ctx {
    unsigned max_line; /* lines in the input */
    unsigned last_line;
    size_t n_records;
    size_t checksum;
};

static int on_record(void *p, char **fields, size_t n_fields, unsigned line,
                     struct cw_error *err)
{
    struct fuzz_ctx *c = p;
    FUZZ_ASSERT(n_fields >= 1 && n_fields <= CSVIO_MAX_FIELDS);
    FUZZ_ASSERT(line >= 1 && line <= c->max_line);
    FUZZ_ASSERT(line >= c->last_line);
    c->last_line = line;
    c->n_records++;
    for (size_t i = 0; i < n_fields; i++) {
        FUZZ_ASSERT(fields[i] != NULL);
        size_t len = strlen(fields[i]);
        FUZZ_ASSERT(len <= CSVIO_MAX_FIELD);
        for (size_t k = 0; k < len; k++)
            c->checksum += (unsigned char)fields[i][k];
    }
    if (strcmp(fields[0], "STOP") == 0)
        return cw_errorf(err, CW_ERR_PARSE,
                         ((struct cw_loc){"fuzz.csv", line, 1}),
                         "stopped by the callback");
    return CW_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_ctx c = {1, 0, 0, 0};
    struct cw_error err;
    memset(&err, 0, sizeof err);
    for (size_t i = 0; i < size; i++)
        c.max_line += data[i] == '\n';
    int rc =
        csvio_parse("fuzz.csv", (const char *)data, size, on_record, &c, &err);
    if (rc != CW_OK) {
        FUZZ_ASSERT(rc == CW_ERR_PARSE || rc == CW_ERR_LIMIT);
        FUZZ_ASSERT(err.code == rc);
        FUZZ_ASSERT(err.msg[0] != '\0');
        FUZZ_ASSERT(err.line <= c.max_line);
    }
    return 0;
}
