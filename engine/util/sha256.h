/*
 * SHA-256 (FIPS 180-4), used for document and rubric content hashes so that
 * every stored figure can be traced to the exact bytes it came from.
 */
#ifndef CYBERWELL_UTIL_SHA256_H
#define CYBERWELL_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64

/* Fills hex (SHA256_HEX_LEN + 1 bytes) with the lowercase hex digest. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

#endif
