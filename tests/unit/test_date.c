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

/* fn (date_local_key, date_rfc3339) writes cases[i][1] for cases[i][0]. */
static void forms_are(int (*fn)(const char *, char *),
                      const char *const (*cases)[2], size_t n)
{
    char out[32];
    for (size_t i = 0; i < n; i++) {
        T_EQ_INT(fn(cases[i][0], out), 0);
        T_EQ_STR(out, cases[i][1]);
    }
}

/* The key on the article's own clock: the date and time as written. */
static void test_local_key(void)
{
    static const char *const cases[][2] = {
        {"2024-01-01T00:15:00+07:00", "20240101001500"},
        {"2023-12-31T23:59:59-05:00", "20231231235959"},
        {"2025-12-29T22:32:00Z", "20251229223200"},
        {"2025-12-29T22:32+0700", "20251229223200"},
        {"2025-12-29", "20251229000000"},
        {"1900-01-01T12:00:00+14:00", "19000101120000"},
    };
    char k[15];
    forms_are(date_local_key, cases, sizeof cases / sizeof cases[0]);
    T_EQ_INT(date_local_key("1899-12-31T23:00:00Z", k), -1);
    T_EQ_INT(date_local_key("2100-01-01T00:00:00+01:00", k), -1);
    T_EQ_INT(date_local_key("2024-13-01", k), -1);
    T_EQ_INT(date_local_key(NULL, k), -1);
}

/* A leap second (:60) is the last second of its minute, never the next
 * minute, day or year. */
static void test_leap_second(void)
{
    static const char *const cases[][2] = {
        {"2024-12-31T23:59:60Z", "20241231235959"},
        {"2016-12-31T23:59:60.5+07:00", "20161231235959"},
        {"2015-06-30T23:59:60-03:00", "20150630235959"},
    };
    char k[15];
    int64_t t, u;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        T_EQ_INT(date_local_key(cases[i][0], k), 0);
        T_EQ_STR(k, cases[i][1]);
    }
    T_EQ_INT(date_parse_iso("2016-12-31T23:59:60Z", &t), 0);
    T_EQ_INT(date_parse_iso("2016-12-31T23:59:59Z", &u), 0);
    T_EQ_INT(t, u);
    T_EQ_INT(date_parse_iso("2016-12-31T23:59:61Z", &t), -1);
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

/* One form, RFC 3339 on the date's own offset, whatever form was read. */
static void test_rfc3339(void)
{
    static const char *const cases[][2] = {
        {"2023-06-12", "2023-06-12T00:00:00+00:00"},
        {"2023-06-12T08:15", "2023-06-12T08:15:00+00:00"},
        {"2023-06-12 08:15:00", "2023-06-12T08:15:00+00:00"},
        {"2023-06-14T08:15:00.5+0700", "2023-06-14T08:15:00+07:00"},
        {"2023-06-15T08:15:00+07:00", "2023-06-15T08:15:00+07:00"},
        {"2023-06-15t08:15:00z", "2023-06-15T08:15:00+00:00"},
        {"2023-06-15T08:15:00-0330", "2023-06-15T08:15:00-03:30"},
        {"2023-06-15T08:15:00+07", "2023-06-15T08:15:00+07:00"},
        {"2016-12-31T23:59:60Z", "2016-12-31T23:59:59+00:00"},
    };
    char out[32];
    forms_are(date_rfc3339, cases, sizeof cases / sizeof cases[0]);
    T_EQ_INT(date_rfc3339("hôm qua", out), -1);
    T_EQ_STR(out, "");
    T_EQ_INT(date_rfc3339(NULL, out), -1);
}

int main(void)
{
    T_RUN(test_iso);
    T_RUN(test_local_key);
    T_RUN(test_leap_second);
    T_RUN(test_query);
    T_RUN(test_key_roundtrip);
    T_RUN(test_rfc3339);
    return t_summary();
}
