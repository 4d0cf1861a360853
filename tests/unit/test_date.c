/* test_date.c — ISO 8601 parsing, query dates, the sortable key. */
#include "date.h"
#include "t.h"

static void test_iso(void)
{
    int64_t t;
    T_EQ_INT(date_parse_iso("1970-01-01T00:00:00Z", &t), 0);
    T_EQ_INT(t, 0);
    T_EQ_INT(date_parse_iso("2025-12-29T22:32:00+07:00", &t), 0);
    char k[15];
    date_format_key(t, k);
    T_EQ_STR(k, "20251229153200");
    T_EQ_INT(date_parse_iso("2025-12-29T22:32+0700", &t), 0);
    T_EQ_INT(date_parse_iso("2025-12-29T22:32:00.123-05:30", &t), 0);
    T_EQ_INT(date_parse_iso("2025-12-29", &t), 0);
    date_format_key(t, k);
    T_EQ_STR(k, "20251229000000");
    /* bad forms */
    T_EQ_INT(date_parse_iso("2025-02-30T00:00:00Z", &t), -1);
    T_EQ_INT(date_parse_iso("2025-12-29T25:00:00Z", &t), -1);
    T_EQ_INT(date_parse_iso("29/12/2025 22:32", &t), -1);
    T_EQ_INT(date_parse_iso("", &t), -1);
    T_EQ_INT(date_parse_iso("2025-12-29T22:32:00+07:00junk", &t), -1);
    T_EQ_INT(date_parse_iso("0999-01-01", &t), -1);
}

static void test_query(void)
{
    int64_t a, b;
    char k[15];
    T_EQ_INT(date_parse_query("2021-10", 0, &a), 0);
    T_EQ_INT(date_parse_query("2021-10", 1, &b), 0);
    date_format_key(a, k);
    T_EQ_STR(k, "20211001000000");
    date_format_key(b, k);
    T_EQ_STR(k, "20211031235959");
    T_EQ_INT(date_parse_query("2024", 1, &b), 0);
    date_format_key(b, k);
    T_EQ_STR(k, "20241231235959");
    T_EQ_INT(date_parse_query("2024/02/29", 0, &a), 0);
    T_EQ_INT(date_parse_query("2023-02-29", 0, &a), -1);
    T_EQ_INT(date_parse_query("2023-13", 0, &a), -1);
    T_EQ_INT(date_parse_query("abc", 0, &a), -1);
}

static void test_key_roundtrip(void)
{
    int64_t samples[] = {0, 86399, 86400, 951782400 /* 2000-02-29 */,
                         -86400, 4102444799LL};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char k[15], iso[32];
        int64_t back;
        date_format_key(samples[i], k);
        T_EQ_INT(date_parse_key(k, 14, &back), 0);
        T_EQ_INT(back, samples[i]);
        date_format_iso(samples[i], 420, iso);
        T_EQ_INT(date_parse_iso(iso, &back), 0);
        T_EQ_INT(back, samples[i]);
    }
}

int main(void)
{
    T_RUN(test_iso);
    T_RUN(test_query);
    T_RUN(test_key_roundtrip);
    return t_summary();
}
