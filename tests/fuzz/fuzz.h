/* fuzz.h — what the fuzz targets share.  Each tests/fuzz/fuzz_NAME.c is a
 * libFuzzer target: LLVMFuzzerTestOneInput takes one input of any bytes
 * and must return without crashing, leaking or tripping a sanitizer,
 * whatever the bytes.  `make fuzz` builds them with clang's libFuzzer and
 * runs each for a while; every `make check` replays the inputs kept in
 * tests/fuzz/corpus/NAME/ (replay.c), so an input that once crashed a
 * target stays a test. */
#ifndef TT_FUZZ_H
#define TT_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd, NUL-terminated copy of (data, size). */
char *fuzz_str(const uint8_t *data, size_t size);
/* Stop the run: a target found a broken invariant (not bad input). */
void fuzz_fail(const char *what);

#endif
