/*
 * Unit tests for util/sha256: the FIPS 180-4 / NIST example digests on both
 * the chosen and the portable path, and the two paths compared on every
 * length from 0 to 1000 bytes and on large, unaligned buffers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include "util/banned.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* Fills buf with bytes from a fixed xorshift sequence seeded by seed. */
static void fill_random(unsigned char *buf, size_t len, uint32_t seed)
{
    uint32_t x = seed ? seed : 1;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)(x >> 24);
    }
}

/* Checks data against want on both paths. */
static void check_both(const void *data, size_t len, const char *want)
{
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(data, len, hex);
    CHECK_STR_EQ(hex, want);
    sha256_hex_portable(data, len, hex);
    CHECK_STR_EQ(hex, want);
}

static void test_known_answers(void)
{
    static const struct {
        const char *msg, *want;
    } vectors[] = {
        {"",
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc",
         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
         "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    for (size_t i = 0; i < N_OF(vectors); i++)
        check_both(vectors[i].msg, strlen(vectors[i].msg), vectors[i].want);

    size_t len = 1000000;
    char *a = xmalloc(len);
    memset(a, 'a', len);
    check_both(
        a, len,
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Every length 0..1000 of random bytes, so every tail and block count. */
static void test_paths_agree_short(void)
{
    unsigned char buf[1000];
    fill_random(buf, sizeof buf, 12345);
    int n_differ = 0;
    for (size_t len = 0; len <= sizeof buf; len++) {
        char fast[SHA256_HEX_LEN + 1], slow[SHA256_HEX_LEN + 1];
        sha256_hex(buf, len, fast);
        sha256_hex_portable(buf, len, slow);
        if (strcmp(fast, slow) != 0) {
            if (n_differ++ < 5)
                fprintf(stderr, "length %zu: fast %s, portable %s\n", len, fast,
                        slow);
        }
    }
    CHECK_INT_EQ(n_differ, 0);
    // The same bytes hashed by Python's hashlib, so that neither path is
    // only compared with the other.
    check_both(
        buf, sizeof buf,
        "fa85bb62ec37d8188ddc35af2422d966900cec3f1eb717d9ddd87f59364476f0");
}

/* Large buffers, starting at every offset 0..15 from a 16-byte boundary. */
static void test_paths_agree_long(void)
{
    static const size_t lens[] = {5632, 65536, 65536 + 55, 1 << 20};
    size_t max = 1 << 20;
    unsigned char *buf = xmalloc(max + 16);
    fill_random(buf, max + 16, 777);
    for (size_t i = 0; i < N_OF(lens); i++)
        for (size_t off = 0; off < 16; off++) {
            char fast[SHA256_HEX_LEN + 1], slow[SHA256_HEX_LEN + 1];
            sha256_hex(buf + off, lens[i], fast);
            sha256_hex_portable(buf + off, lens[i], slow);
            CHECK_STR_EQ(fast, slow);
        }
    check_both(
        buf + 3, 65536 + 55,
        "834bae35a6533c05edc5edb195db1bf0b5b0335a5a7c1b78f67e6e41e9f7f11e");
    free(buf);
}

int main(void)
{
    printf("sha256_hex uses the %s path\n", sha256_impl_name());
    test_known_answers();
    test_paths_agree_short();
    test_paths_agree_long();
    return test_summary();
}
