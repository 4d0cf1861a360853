/* common.c — helpers of the fuzz targets (fuzz.h), linked both into the
 * libFuzzer programs and into their replays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util.h"

char *fuzz_str(const uint8_t *data, size_t size)
{
    char *s = xmalloc(size + 1);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

void fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz: broken invariant: %s\n", what);
    abort();
}
