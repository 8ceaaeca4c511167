/*
 * Unit tests for util/diag (messages shortened in their arguments, never
 * in their reason), text escaped for a terminal, and util/isodate (the
 * one date validator).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "util/diag.h"
#include "util/isodate.h"
#include "util/strbuf.h"

#include "util/banned.h"

static const char *ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcmp(s + n - t, tail) ? s : NULL;
}

static void test_long_path_keeps_reason(void)
{
    char path[2000];
    memset(path, 'd', sizeof path - 1);
    path[0] = '/';
    memcpy(path + sizeof path - 9, "/doc.txt", 9);
    struct cw_error e;
    cw_errorf(&e, CW_ERR_IO, CW_LOC_NONE, "cannot open '%s': %s", path,
              "No such file or directory");
    CHECK(strlen(e.msg) < sizeof e.msg);
    CHECK(ends_with(e.msg, "/doc.txt': No such file or directory") != NULL);
    CHECK(!strncmp(e.msg, "cannot open '/ddd", 17));
    CHECK(strstr(e.msg, "...") != NULL);
    /* The location's file is cut in its middle too. */
    cw_errorf(&e, CW_ERR_PARSE, (struct cw_loc){path, 3, 4}, "bad %d", 7);
    CHECK_STR_EQ(e.msg, "bad 7");
    CHECK(strlen(e.file) < sizeof e.file);
    CHECK(ends_with(e.file, "ddd/doc.txt") != NULL);
    CHECK(e.file[0] == '/');
}

static void test_two_long_arguments(void)
{
    char a[1500], b[700];
    memset(a, 'a', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memset(b, 'b', sizeof b - 1);
    b[sizeof b - 1] = '\0';
    struct cw_error e;
    cw_errorf(&e, CW_ERR_PARSE, CW_LOC_NONE,
              "name '%s' of '%s' is already a name of '%.3s' (%zu, %5.1f%%)", a,
              b, "NLDX", (size_t)42, 2.25);
    CHECK(strlen(e.msg) == sizeof e.msg - 1);
    CHECK(ends_with(e.msg, "' is already a name of 'NLD' (42,   2.2%)") ||
          ends_with(e.msg, "' is already a name of 'NLD' (42,   2.3%)"));
    CHECK(strstr(e.msg, "' of 'bbb") != NULL);
}

static void test_short_message_unchanged(void)
{
    struct cw_error e;
    cw_errorf(&e, CW_ERR_IO, CW_LOC_NONE,
              "%s: %d %u %ld %lld %zu %x %c %.2f %-4s| %3d %% %.*s", "x", -1,
              2u, 3L, 4LL, (size_t)5, 255u, 'q', 1.5, "ab", 7, 3, "abcdef");
    char want[256];
    snprintf(want, sizeof want,
             "%s: %d %u %ld %lld %zu %x %c %.2f %-4s| %3d %% %.*s", "x", -1, 2u,
             3L, 4LL, (size_t)5, 255u, 'q', 1.5, "ab", 7, 3, "abcdef");
    CHECK_STR_EQ(e.msg, want);
}

/* More conversions than cw_vformat_fit keeps apart: the rest of the
 * format is formatted plainly. */
static void test_many_conversions(void)
{
    struct cw_error e;
    cw_errorf(&e, CW_ERR_IO, CW_LOC_NONE,
              "%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d "
              "%d %d %d %d %d %d %d %d %d %d %s",
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
              20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, "end");
    CHECK_STR_EQ(e.msg, "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
                        "21 22 23 24 25 26 27 28 29 30 end");
}

static void check_date(const char *s, unsigned allowed, const char *want_msg)
{
    struct cw_error e;
    cw_error_clear(&e);
    int rc = isodate_parse(s, allowed, NULL, CW_LOC_NONE, &e);
    if (!want_msg) {
        CHECK_INT_EQ(rc, CW_OK);
    } else {
        CHECK_INT_EQ(rc, CW_ERR_PARSE);
        CHECK_STR_EQ(e.msg, want_msg);
    }
}

static void test_dates(void)
{
    struct isodate d = {0, 0, 0};
    CHECK_INT_EQ(
        isodate_parse("2016-02-29", ISODATE_ANY, &d, CW_LOC_NONE, NULL), CW_OK);
    CHECK_INT_EQ(d.year, 2016);
    CHECK_INT_EQ(d.month, 2);
    CHECK_INT_EQ(d.day, 29);
    check_date("2015", ISODATE_ANY, NULL);
    check_date("2015-12", ISODATE_ANY, NULL);
    check_date("2000-02-29", ISODATE_ANY, NULL);
    check_date("2016-02-30", ISODATE_ANY,
               "'2016-02-30' is not a date: February 2016 has 29 days");
    check_date("1900-02-29", ISODATE_DAY,
               "'1900-02-29' is not a date: February 1900 has 28 days");
    check_date("2015-04-31", ISODATE_DAY,
               "'2015-04-31' is not a date: April 2015 has 30 days");
    check_date("2015-13", ISODATE_ANY,
               "'2015-13' is not a date: there is no month 13");
    check_date("2015-00-10", ISODATE_ANY,
               "'2015-00-10' is not a date: there is no month 0");
    check_date("2014-1", ISODATE_ANY,
               "'2014-1' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
    check_date("", ISODATE_ANY,
               "'' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
    check_date("yesterday", ISODATE_ANY,
               "'yesterday' is not a date: write YYYY, YYYY-MM or "
               "YYYY-MM-DD");
    check_date("2015", ISODATE_DAY, "'2015' is not a date: write YYYY-MM-DD");
    check_date("0999-01-01", ISODATE_DAY,
               "'0999-01-01' is not a date cyberwell knows: the year is "
               "outside 1900 to 2999");
    check_date("2015-02-00", ISODATE_DAY,
               "'2015-02-00' is not a date: February 2015 has 28 days");
    check_date("2015/02/01", ISODATE_ANY,
               "'2015/02/01' is not a date: write YYYY, YYYY-MM or "
               "YYYY-MM-DD");
    CHECK_INT_EQ(isodate_days_in_month(2024, 2), 29);
    CHECK_INT_EQ(isodate_days_in_month(2023, 2), 28);
    CHECK_INT_EQ(isodate_days_in_month(2023, 13), 0);
}

/* issue 15 D13: every control character shown, text kept; a sequence
 * cut between two writes is joined, never escaped as two bytes. */
static void test_escape_text(void)
{
    struct strbuf out = STRBUF_INIT;
    static const char in[] = "a\tb\n\033]0;T\007 caf\xc3\xa9 \xc2\x9b "
                             "\xc2\x85 \xe2\x80\xa8 \x7f \xff \r\n x\ry";
    size_t used = cw_escape_text(&out, in, sizeof in - 1, true);
    CHECK_INT_EQ(used, sizeof in - 1);
    CHECK_STR_EQ(out.buf, "a\tb\n\\x1b]0;T\\x07 caf\xc3\xa9 \\u009b "
                          "\\u0085 \\u2028 \\x7f \\xff \r\n x\\x0dy");

    /* Split anywhere: the same result, byte for byte. */
    for (size_t cut = 0; cut <= sizeof in - 1; cut++) {
        struct strbuf two = STRBUF_INIT;
        size_t a = cw_escape_text(&two, in, cut, false);
        CHECK(cut - a <= 3);
        struct strbuf rest = STRBUF_INIT;
        strbuf_add(&rest, in + a, sizeof in - 1 - a);
        CHECK_INT_EQ(cw_escape_text(&two, rest.buf, rest.len, true), rest.len);
        CHECK_STR_EQ(two.buf, out.buf);
        strbuf_release(&rest);
        strbuf_release(&two);
    }
    strbuf_release(&out);
}

/* The stream: what is written through it arrives escaped. */
static void test_escaping_stream(void)
{
    int fds[2];
    CHECK_INT_EQ(pipe(fds), 0);
    FILE *fp = cw_escaping_stream(fds[1], false);
    CHECK(fp != NULL);
    fputs("x\xc2", fp);
    fflush(fp); /* the sequence is cut here */
    fputs("\x9b\033c\n", fp);
    CHECK_INT_EQ(fclose(fp), 0);
    char buf[64] = {0};
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    CHECK_INT_EQ(n, 13);
    CHECK_STR_EQ(buf, "x\\u009b\\x1bc\n");
    close(fds[0]);
}

int main(void)
{
    test_escape_text();
    test_escaping_stream();
    test_long_path_keeps_reason();
    test_two_long_arguments();
    test_short_message_unchanged();
    test_many_conversions();
    test_dates();
    return test_summary();
}
