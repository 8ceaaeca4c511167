/*
 * A tiny test harness: CHECK macros print file, line, got and expected;
 * test_summary() prints "N passed, N failed" and gives the exit status.
 */
#ifndef CYBERWELL_TESTS_TEST_H
#define CYBERWELL_TESTS_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            test_passed++;                                                     \
        } else {                                                               \
            test_failed++;                                                     \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

#define CHECK_INT_EQ(got, want)                                                \
    do {                                                                       \
        long long g_ = (long long)(got), w_ = (long long)(want);               \
        if (g_ == w_) {                                                        \
            test_passed++;                                                     \
        } else {                                                               \
            test_failed++;                                                     \
            fprintf(stderr, "%s:%d: %s: got %lld, expected %lld\n", __FILE__,  \
                    __LINE__, #got, g_, w_);                                   \
        }                                                                      \
    } while (0)

#define CHECK_DBL_EQ(got, want, tol)                                           \
    do {                                                                       \
        double g_ = (got), w_ = (want);                                        \
        if (fabs(g_ - w_) <= (tol)) {                                          \
            test_passed++;                                                     \
        } else {                                                               \
            test_failed++;                                                     \
            fprintf(stderr, "%s:%d: %s: got %.6f, expected %.6f\n", __FILE__,  \
                    __LINE__, #got, g_, w_);                                   \
        }                                                                      \
    } while (0)

#define CHECK_STR_EQ(got, want)                                                \
    do {                                                                       \
        const char *g_ = (got), *w_ = (want);                                  \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                 \
            test_passed++;                                                     \
        } else if (!g_ && !w_) {                                               \
            test_passed++;                                                     \
        } else {                                                               \
            test_failed++;                                                     \
            fprintf(stderr, "%s:%d: %s: got \"%s\", expected \"%s\"\n",        \
                    __FILE__, __LINE__, #got, g_ ? g_ : "(null)",              \
                    w_ ? w_ : "(null)");                                       \
        }                                                                      \
    } while (0)

static inline int test_summary(void)
{
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}

/* Path of a file in the source tree (CW_SOURCE_DIR is set by CMake). */
#define SRC(rel) CW_SOURCE_DIR "/" rel

#endif
