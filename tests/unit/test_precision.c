/* Unit tests for core/precision: the one way scores, differences, parts
 * and correlations are written. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/precision.h"
#include "test.h"

#include "util/banned.h"

static void check_text(void (*fn)(struct strbuf *, double, int), double v,
                       int dec, const char *want, int line)
{
    struct strbuf sb = STRBUF_INIT;
    fn(&sb, v, dec);
    if (strcmp(sb.buf, want) != 0) {
        test_failed++;
        fprintf(stderr, "line %d: got \"%s\", expected \"%s\"\n", line, sb.buf,
                want);
    } else {
        test_passed++;
    }
    strbuf_release(&sb);
}

#define CHECK_TEXT(fn, v, dec, want) check_text(fn, v, dec, want, __LINE__)

static void test_scores(void)
{
    /* the digits shown are the digits ranked: half up, as the key */
    CHECK_TEXT(precision_score, 24.0 / 34, 3, "0.706");
    CHECK_TEXT(precision_score, 0.0005, 3, "0.001");
    CHECK_TEXT(precision_score, 0.0004999, 3, "0.000");
    CHECK_TEXT(precision_score, 0.75, 1, "0.8"); /* printf would say 0.8 */
    CHECK_TEXT(precision_score, 0.25, 1, "0.3"); /* printf says 0.2 */
    CHECK_TEXT(precision_score, 1, 0, "1");
    CHECK_TEXT(precision_score, NAN, 3, "n/a"); /* never 0 */
    CHECK_DBL_EQ(precision_round(0.25, 1), 0.3, 1e-15);
    CHECK(isnan(precision_round(NAN, 3)));
    CHECK(precision_key(24.0 / 34, 3) == precision_key(12.0 / 17, 3));
}

static void diff(struct strbuf *out, double a, int dec)
{
    precision_diff(out, a, 1.0 / 3, dec);
}

static void test_differences(void)
{
    /* the difference of the shown values: 0.667 - 0.333 */
    CHECK_TEXT(diff, 2.0 / 3, 3, "+0.334");
    CHECK_TEXT(diff, 1.0 / 3, 3, "+0.000");
    CHECK_TEXT(diff, 0.3, 3, "-0.033");
    CHECK_TEXT(diff, NAN, 3, "n/a");
    CHECK_DBL_EQ(precision_difference(2.0 / 3, 1.0 / 3, 3), 0.334, 1e-12);
    CHECK(isnan(precision_difference(0.5, NAN, 3)));
    /* parts: three more digits */
    CHECK_TEXT(precision_part, 2.0 / 34, 3, "+0.058824");
    CHECK_TEXT(precision_part, -2.0 / 34, 1, "-0.0588");
}

static void test_correlation(void)
{
    struct strbuf sb = STRBUF_INIT;
    precision_correlation(&sb, 0.9317);
    CHECK_STR_EQ(sb.buf, "0.93");
    strbuf_reset(&sb);
    precision_correlation(&sb, NAN);
    CHECK_STR_EQ(sb.buf, "n/a");
    strbuf_reset(&sb);
    precision_json(&sb, NAN, 3);
    CHECK_STR_EQ(sb.buf, "null");
    strbuf_reset(&sb);
    precision_json(&sb, 24.0 / 34, 3);
    CHECK_STR_EQ(sb.buf, "0.706");
    strbuf_release(&sb);
}

int main(void)
{
    test_scores();
    test_differences();
    test_correlation();
    return test_summary();
}
