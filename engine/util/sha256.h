/*
 * SHA-256 (FIPS 180-4), used for document and rubric content hashes so that
 * every stored figure can be traced to the exact bytes it came from.
 */
#ifndef CYBERWELL_UTIL_SHA256_H
#define CYBERWELL_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64

/*
 * Fills hex (SHA256_HEX_LEN + 1 bytes) with the lowercase hex digest. Uses
 * the x86-64 SHA extensions when the CPU has them, else portable C; both give
 * the same digest.
 */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

/*
 * For tests and benchmarks only: sha256_hex() forced onto the portable C
 * code, so that both paths can be checked against each other on a machine
 * with the SHA extensions.
 */
void sha256_hex_portable(const void *data, size_t len,
                         char hex[SHA256_HEX_LEN + 1]);

/*
 * For tests and benchmarks only: the code sha256_hex() uses on this machine,
 * "sha-ni" or "portable" (borrowed: a static string).
 */
const char *sha256_impl_name(void);

#endif
