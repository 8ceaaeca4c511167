/* Unit tests for util/editdist: distances and the closest word. */
#include "util/editdist.h"

#include <string.h>

#include "test.h"

static const char *closest(const char *word, const char *const *cands, size_t n)
{
    struct editdist_best b;
    editdist_best_init(&b, word);
    for (size_t i = 0; i < n; i++)
        editdist_best_offer(&b, cands[i]);
    return b.best;
}

static void test_distance(void)
{
    CHECK_INT_EQ(editdist("rank", "rank", 3), 0);
    CHECK_INT_EQ(editdist("", "", 3), 0);
    CHECK_INT_EQ(editdist("", "abc", 3), 3);
    CHECK_INT_EQ(editdist("rnak", "rank", 3), 1);  /* a swap */
    CHECK_INT_EQ(editdist("rak", "rank", 3), 1);   /* an insertion */
    CHECK_INT_EQ(editdist("rankk", "rank", 3), 1); /* a deletion */
    CHECK_INT_EQ(editdist("rbnk", "rank", 3), 1);  /* a substitution */
    CHECK_INT_EQ(editdist("BLE", "bel", 3), 1);    /* case ignored */
    CHECK_INT_EQ(editdist("kitten", "sitting", 5), 3);
    CHECK_INT_EQ(editdist("ca", "abc", 5), 3); /* OSA, not Damerau */
    /* Over max: max + 1, also when the lengths alone say so. */
    CHECK_INT_EQ(editdist("kitten", "sitting", 2), 3);
    CHECK_INT_EQ(editdist("a", "abcdef", 2), 3);
    char long_word[EDITDIST_MAX_LEN + 2];
    memset(long_word, 'a', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    CHECK_INT_EQ(editdist(long_word, long_word, 2), 3);
}

static void test_closest(void)
{
    static const char *const cmds[] = {"agreement", "chart",   "compare",
                                       "explain",   "export",  "rank",
                                       "report",    "rescore", "score"};
    size_t n = sizeof cmds / sizeof *cmds;
    CHECK_STR_EQ(closest("rnak", cmds, n), "rank");
    CHECK_STR_EQ(closest("comapre", cmds, n), "compare");
    CHECK_STR_EQ(closest("exprot", cmds, n), "export");
    CHECK_STR_EQ(closest("scroe", cmds, n), "score");
    CHECK_STR_EQ(closest("frobnicate", cmds, n), NULL);
    CHECK_STR_EQ(closest("rank", cmds, n), NULL); /* itself: no advice */
    CHECK_STR_EQ(closest("RANK", cmds, n), NULL);
    /* The first of equally close candidates wins: "reort" is 1 from
     * report and 2 from rescore. */
    CHECK_STR_EQ(closest("reort", cmds, n), "report");

    static const char *const codes[] = {"BEL", "BEN", "NLD", "LUX"};
    CHECK_STR_EQ(closest("BLE", codes, 4), "BEL");
    CHECK_STR_EQ(closest("ndl", codes, 4), "NLD");
    CHECK_STR_EQ(closest("XYZ", codes, 4), NULL); /* 3 letters: 1 edit */
    CHECK_STR_EQ(closest("BE", codes, 4), "BEL"); /* first of BEL, BEN */

    static const char *const groups[] = {"Benelux", "EU", "EU28-2015",
                                         "ITU-Europe"};
    CHECK_STR_EQ(closest("benlux", groups, 4), "Benelux");
    CHECK_STR_EQ(closest("EU28-2051", groups, 4), "EU28-2015");
    CHECK_STR_EQ(closest("Asia", groups, 4), NULL);
}

int main(void)
{
    test_distance();
    test_closest();
    return test_summary();
}
