/* test_util.c — the number and size parsers of the command lines
 * (lib/util.h). */
#include <stdint.h>

#include "t.h"
#include "util.h"

static void test_parse_u64(void)
{
    uint64_t v = 7;
    T_EQ_INT(tt_parse_u64("0", 10, &v), 0);
    T_EQ_INT(v, 0);
    T_EQ_INT(tt_parse_u64("10", 10, &v), 0);
    T_EQ_INT(v, 10);
    T_EQ_INT(tt_parse_u64("11", 10, &v), -1);
    T_EQ_INT(tt_parse_u64("5", 3, &v), -1); /* a digit above max */
    T_EQ_INT(tt_parse_u64("3", 3, &v), 0);
    T_EQ_INT(tt_parse_u64("1", 0, &v), -1);
    T_EQ_INT(tt_parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
    T_CHECK(v == UINT64_MAX);
    T_EQ_INT(tt_parse_u64("18446744073709551616", UINT64_MAX, &v), -1);
    const char *bad[] = {"", "-1", "+1", " 1", "1 ", "1x", "0x10", NULL};
    for (size_t i = 0; bad[i]; i++)
        T_EQ_INT(tt_parse_u64(bad[i], UINT64_MAX, &v), -1);
    T_EQ_INT(tt_parse_u64(NULL, 1, &v), -1);
}

static void test_parse_size(void)
{
    uint64_t v = 0;
    T_EQ_INT(tt_parse_size("512", UINT64_MAX, &v), 0);
    T_EQ_INT(v, 512);
    T_EQ_INT(tt_parse_size("2k", UINT64_MAX, &v), 0);
    T_EQ_INT(v, 2048);
    T_EQ_INT(tt_parse_size("3M", UINT64_MAX, &v), 0);
    T_EQ_INT(v, 3u << 20);
    T_EQ_INT(tt_parse_size("1g", UINT64_MAX, &v), 0);
    T_EQ_INT(v, 1ull << 30);
    /* the bound holds after the suffix */
    T_EQ_INT(tt_parse_size("1G", 1ull << 30, &v), 0);
    T_EQ_INT(tt_parse_size("2G", 1ull << 30, &v), -1);
    T_EQ_INT(tt_parse_size("1025M", 1ull << 30, &v), -1);
    T_EQ_INT(tt_parse_size("17179869184G", UINT64_MAX, &v), -1); /* 2^64 */
    const char *bad[] = {"", "0", "0k", "k", "1.5M", "1T", "1KB", "-1",
                         "123456789012345678901234567890123", NULL};
    for (size_t i = 0; bad[i]; i++)
        T_EQ_INT(tt_parse_size(bad[i], UINT64_MAX, &v), -1);
    T_EQ_INT(tt_parse_size(NULL, 1, &v), -1);
}

int main(void)
{
    T_RUN(test_parse_u64);
    T_RUN(test_parse_size);
    return t_summary();
}
