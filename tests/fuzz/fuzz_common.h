/*
 * Shared bits of the libFuzzer harnesses: the entry-point prototypes (the
 * build uses -Wmissing-prototypes), reading a fixture once, and FUZZ_ASSERT,
 * which aborts so that libFuzzer records the input as a crash.
 */
#ifndef CYBERWELL_TESTS_FUZZ_COMMON_H
#define CYBERWELL_TESTS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                      \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* A source-tree file (CW_SOURCE_DIR is set by CMake). */
#define FUZZ_SRC(rel) CW_SOURCE_DIR "/" rel

#endif
