/* litscan must find exactly what strstr finds, literal by literal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/litscan.h"

#include "util/banned.h"

/* hit[] against strstr for every literal of ls in text. */
static void check_like_strstr(const struct litscan *ls, const char *text)
{
    unsigned char *hit = calloc(ls->n + 1, 1);
    memset(hit, 7, ls->n + 1); /* stale values must be overwritten */
    litscan_run(ls, text, strlen(text), hit);
    for (size_t i = 0; i < ls->n; i++) {
        int want = strstr(text, ls->lit[i]) != NULL;
        if (hit[i] != want)
            fprintf(stderr, "literal '%s' in '%s': got %d, expected %d\n",
                    ls->lit[i], text, hit[i], want);
        CHECK_INT_EQ(hit[i], want);
    }
    CHECK_INT_EQ(hit[ls->n], 7); /* nothing written past n */
    free(hit);
}

static void test_fixed(void)
{
    struct litscan ls = LITSCAN_INIT;
    uint32_t a = litscan_add(&ls, "however");
    uint32_t b = litscan_add(&ls, "does not have");
    uint32_t c = litscan_add(&ls, "however"); /* duplicate shares an id */
    uint32_t d = litscan_add(&ls, "x");       /* one byte */
    uint32_t e = litscan_add(&ls, "");        /* matches every text */
    litscan_add(&ls, "draft");
    litscan_add(&ls, "raft"); /* inside another literal */
    litscan_add(&ls, "ve");   /* two bytes, at the very end of a text */
    CHECK_INT_EQ(a, 0);
    CHECK_INT_EQ(b, 1);
    CHECK_INT_EQ(c, a);
    CHECK_INT_EQ(d, 2);
    CHECK_INT_EQ(e, 3);
    CHECK_INT_EQ(ls.n, 7);
    litscan_build(&ls);

    unsigned char hit[8];
    litscan_run(&ls, "the country does not have a draft", 33, hit);
    CHECK_INT_EQ(hit[a], 0);
    CHECK_INT_EQ(hit[b], 1);
    CHECK_INT_EQ(hit[d], 0);
    CHECK_INT_EQ(hit[e], 1);
    CHECK_INT_EQ(hit[4], 1); /* draft */
    CHECK_INT_EQ(hit[5], 1); /* raft */
    CHECK_INT_EQ(hit[6], 1); /* ve */

    /* len bounds the text, and so does its first NUL, as for strstr. */
    litscan_run(&ls, "draft however", 5, hit);
    CHECK_INT_EQ(hit[4], 1);
    CHECK_INT_EQ(hit[a], 0);
    litscan_run(&ls, "dra\0ft however x", 16, hit);
    CHECK_INT_EQ(hit[4], 0);
    CHECK_INT_EQ(hit[a], 0);
    CHECK_INT_EQ(hit[d], 0);
    CHECK_INT_EQ(hit[e], 1);
    litscan_run(&ls, "", 0, hit);
    CHECK_INT_EQ(hit[e], 1);
    CHECK_INT_EQ(hit[6], 0);

    check_like_strstr(&ls, "however, it does not have one; draft x");
    check_like_strstr(&ls, "v");
    litscan_release(&ls);
    CHECK_INT_EQ(ls.n, 0);
}

/* Random literals and texts over a small alphabet, so that literals
 * overlap, repeat and share buckets. */
static void test_random(void)
{
    unsigned seed = 12345;
    for (int round = 0; round < 50; round++) {
        struct litscan ls = LITSCAN_INIT;
        size_t n = 1 + (size_t)(seed = seed * 1103515245u + 12345u) % 300;
        char lit[8];
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            size_t len = (seed >> 16) % 6;
            for (size_t k = 0; k < len; k++) {
                seed = seed * 1103515245u + 12345u;
                lit[k] = "abc d"[(seed >> 16) % 5];
            }
            lit[len] = '\0';
            litscan_add(&ls, lit);
        }
        litscan_build(&ls);
        char text[200];
        for (int t = 0; t < 20; t++) {
            seed = seed * 1103515245u + 12345u;
            size_t len = (seed >> 16) % sizeof text;
            for (size_t k = 0; k < len; k++) {
                seed = seed * 1103515245u + 12345u;
                text[k] = "abcde "[(seed >> 16) % 6];
            }
            text[len] = '\0';
            check_like_strstr(&ls, text);
        }
        litscan_release(&ls);
    }
}

/* Many distinct literals: the set grows and keeps every id. Past
 * LITSCAN_MAX_CELLS transitions the set is not compiled and every literal
 * counts as present (a prefilter then lets every text through). */
static void test_many(void)
{
    struct litscan ls = LITSCAN_INIT;
    char buf[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(buf, sizeof buf, "w%d.", i);
        CHECK_INT_EQ(litscan_add(&ls, buf), i);
    }
    for (int i = 0; i < 5000; i += 97) {
        snprintf(buf, sizeof buf, "w%d.", i);
        CHECK_INT_EQ(litscan_add(&ls, buf), i);
    }
    CHECK_INT_EQ(ls.n, 5000);
    litscan_build(&ls);
    CHECK(!ls.all_hit); /* 13 classes x ~30,000 states fit */
    check_like_strstr(&ls, "w1. w4999. w200 w7.");
    litscan_release(&ls);

    /* Literals over all 255 byte values: too many cells. */
    unsigned seed = 99;
    for (int i = 0; i < 5000; i++) {
        for (int k = 0; k < 24; k++) {
            seed = seed * 1103515245u + 12345u;
            buf[k] = (char)(1 + (seed >> 16) % 255);
        }
        buf[24] = '\0';
        litscan_add(&ls, buf);
    }
    litscan_build(&ls);
    CHECK(ls.all_hit);
    unsigned char *hit = calloc(ls.n, 1);
    litscan_run(&ls, "nothing here", 12, hit);
    size_t n_hit = 0;
    for (size_t i = 0; i < ls.n; i++)
        n_hit += hit[i];
    CHECK_INT_EQ(n_hit, ls.n);
    free(hit);
    litscan_release(&ls);
}

/* Unbuilt, the set cannot tell: every literal counts as present. */
static void test_unbuilt(void)
{
    struct litscan ls = LITSCAN_INIT;
    litscan_add(&ls, "abc");
    unsigned char hit[1] = {0};
    litscan_run(&ls, "xyz", 3, hit);
    CHECK_INT_EQ(hit[0], 1);
    litscan_release(&ls);
}

int main(void)
{
    test_unbuilt();
    test_fixed();
    test_random();
    test_many();
    return test_summary();
}
