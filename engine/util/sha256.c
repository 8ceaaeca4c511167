/*
 * SHA-256 written from FIPS 180-4 section 6.2, with a second compression
 * function for the x86-64 SHA extensions, chosen at run time when present.
 */
#include "util/sha256.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_HAVE_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define SHA256_HAVE_SHANI 0
#endif

#include "util/banned.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* Compresses the n_blocks 64-byte blocks at p into the state h. */
typedef void blocks_fn(uint32_t h[8], const unsigned char *p, size_t n_blocks);

static void block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (size_t t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
               (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
    for (int t = 16; t < 64; t++) {
        uint32_t s0 =
            ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 =
            ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5],
             g = h[6], k = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t S1 = ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = k + S1 + ch + K[t] + w[t];
        uint32_t S0 = ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

static void blocks_portable(uint32_t h[8], const unsigned char *p,
                            size_t n_blocks)
{
    for (size_t i = 0; i < n_blocks; i++)
        block(h, p + 64 * i);
}

#if SHA256_HAVE_SHANI
/*
 * The SHA extensions (Intel, "Intel SHA Extensions", July 2013) keep the
 * eight working variables in two registers, named here from the high lane
 * down: abef = {a, b, e, f} and cdgh = {c, d, g, h}. sha256rnds2(cdgh, abef,
 * wk) runs two rounds with W[t] + K[t] taken from the two low lanes of wk and
 * returns the new abef; the old abef is then the new cdgh. Message words sit
 * four to a register, W[t] in the lowest lane.
 */
#define SHANI_TARGET __attribute__((target("sha,sse4.1")))

/* W[t .. t + 3] from the 16 bytes at p, which need not be aligned. */
static inline SHANI_TARGET __m128i shani_load(const unsigned char *p)
{
    // Message words are big-endian: reverse the bytes of each lane.
    const __m128i bswap =
        _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), bswap);
}

/* Rounds t .. t + 3, given w = W[t .. t + 3] and k = &K[t]. */
static inline SHANI_TARGET void shani_rounds4(__m128i *abef, __m128i *cdgh,
                                              __m128i w, const uint32_t *k)
{
    __m128i wk = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)k));
    // The first call leaves abef in *cdgh and cdgh in *abef; the second
    // swaps them back.
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

/*
 * W[t .. t + 3] from w0 = W[t - 16 ..], w1 = W[t - 12 ..], w2 = W[t - 8 ..]
 * and w3 = W[t - 4 ..]: msg1 gives W[t - 16] + sigma0(W[t - 15]), alignr
 * picks W[t - 7 .. t - 4], msg2 adds sigma1(W[t - 2]).
 */
static inline SHANI_TARGET __m128i shani_schedule(__m128i w0, __m128i w1,
                                                  __m128i w2, __m128i w3)
{
    __m128i x = _mm_sha256msg1_epu32(w0, w1);
    x = _mm_add_epi32(x, _mm_alignr_epi8(w3, w2, 4));
    return _mm_sha256msg2_epu32(x, w3);
}

static SHANI_TARGET void blocks_shani(uint32_t h[8], const unsigned char *p,
                                      size_t n_blocks)
{
    __m128i abef = _mm_set_epi32((int)h[0], (int)h[1], (int)h[4], (int)h[5]);
    __m128i cdgh = _mm_set_epi32((int)h[2], (int)h[3], (int)h[6], (int)h[7]);

    for (size_t i = 0; i < n_blocks; i++, p += 64) {
        __m128i abef_in = abef, cdgh_in = cdgh;
        __m128i w0 = shani_load(p), w1 = shani_load(p + 16);
        __m128i w2 = shani_load(p + 32), w3 = shani_load(p + 48);
        // Rounds 0-47 also make W[16..63], each group of four replacing
        // the group it has just used.
        for (int t = 0; t < 48; t += 16) {
            shani_rounds4(&abef, &cdgh, w0, K + t);
            w0 = shani_schedule(w0, w1, w2, w3);
            shani_rounds4(&abef, &cdgh, w1, K + t + 4);
            w1 = shani_schedule(w1, w2, w3, w0);
            shani_rounds4(&abef, &cdgh, w2, K + t + 8);
            w2 = shani_schedule(w2, w3, w0, w1);
            shani_rounds4(&abef, &cdgh, w3, K + t + 12);
            w3 = shani_schedule(w3, w0, w1, w2);
        }
        shani_rounds4(&abef, &cdgh, w0, K + 48);
        shani_rounds4(&abef, &cdgh, w1, K + 52);
        shani_rounds4(&abef, &cdgh, w2, K + 56);
        shani_rounds4(&abef, &cdgh, w3, K + 60);
        abef = _mm_add_epi32(abef, abef_in);
        cdgh = _mm_add_epi32(cdgh, cdgh_in);
    }

    uint32_t lanes[4]; // lowest lane first
    _mm_storeu_si128((__m128i *)lanes, abef);
    h[0] = lanes[3];
    h[1] = lanes[2];
    h[4] = lanes[1];
    h[5] = lanes[0];
    _mm_storeu_si128((__m128i *)lanes, cdgh);
    h[2] = lanes[3];
    h[3] = lanes[2];
    h[6] = lanes[1];
    h[7] = lanes[0];
}

/*
 * CPUID rather than __builtin_cpu_supports("sha"): clang 14 rejects "sha"
 * as a feature name.
 */
static bool cpu_has_shani(void)
{
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_SSE4_1))
        return false;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return false;
    return (ebx & bit_SHA) != 0;
}
#endif

/* The compression function for this CPU, chosen on first use. */
static blocks_fn *blocks_chosen(void)
{
    static _Atomic(blocks_fn *) chosen;
    blocks_fn *fn = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (!fn) {
        fn = blocks_portable;
#if SHA256_HAVE_SHANI
        if (cpu_has_shani())
            fn = blocks_shani;
#endif
        atomic_store_explicit(&chosen, fn, memory_order_relaxed);
    }
    return fn;
}

static void digest(blocks_fn *blocks, const void *data, size_t len,
                   char hex[SHA256_HEX_LEN + 1])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const unsigned char *p = data;
    size_t n_whole = len / 64, left = len % 64;
    blocks(h, p, n_whole);
    unsigned char tail[128];
    memset(tail, 0, sizeof tail);
    if (left)
        memcpy(tail, p + 64 * n_whole, left);
    tail[left] = 0x80;
    size_t tail_len = left + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[tail_len - 1 - i] = (unsigned char)(bits >> (8 * i));
    blocks(h, tail, tail_len / 64);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++) {
            unsigned char byte = (unsigned char)(h[i] >> (24 - 8 * j));
            hex[i * 8 + j * 2] = digits[byte >> 4];
            hex[i * 8 + j * 2 + 1] = digits[byte & 15];
        }
    hex[SHA256_HEX_LEN] = '\0';
}

void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
    digest(blocks_chosen(), data, len, hex);
}

void sha256_hex_portable(const void *data, size_t len,
                         char hex[SHA256_HEX_LEN + 1])
{
    digest(blocks_portable, data, len, hex);
}

const char *sha256_impl_name(void)
{
    return blocks_chosen() == blocks_portable ? "portable" : "sha-ni";
}
