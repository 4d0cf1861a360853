/* test_docdata.c — the document data record: fields written and read back
 * as they were, any bytes in a value, and a damaged record read as far as
 * it is whole. */
#include <stdlib.h>

#include "docdata.h"
#include "t.h"

static void test_round_trip(void)
{
    static const char bin[] = "a:1\0b9:\xff";
    sbuf d = {0};
    dd_add(&d, DD_ID, "x1", 2);
    dd_add(&d, DD_TITLE, "Giá vàng: 12:30", strlen("Giá vàng: 12:30"));
    dd_add(&d, DD_AUTHOR, "Ngọc An", strlen("Ngọc An"));
    dd_add(&d, DD_AUTHOR, "", 0);
    dd_add(&d, DD_BODY, bin, sizeof bin - 1);
    T_EQ_STR(d.s, "i2:x1t17:Giá vàng: 12:30a9:Ngọc Ana0:b8:a:1"); /* to the NUL */

    static const int tags[] = {DD_ID, DD_TITLE, DD_AUTHOR, DD_AUTHOR, DD_BODY};
    static const size_t lens[] = {2, 17, 9, 0, 8};
    size_t pos = 0, n, k = 0;
    const char *v;
    int tag;
    while (dd_next(d.s, d.len, &pos, &tag, &v, &n)) {
        T_CHECK(k < 5);
        if (k >= 5)
            break;
        T_EQ_INT(tag, tags[k]);
        T_EQ_INT(n, lens[k]);
        k++;
    }
    T_EQ_INT(k, 5);
    T_EQ_INT(pos, d.len);
    T_CHECK(memcmp(v, bin, sizeof bin - 1) == 0); /* the last value */
    sbuf_free(&d);
}

static void test_damaged(void)
{
    /* each: the fields read before the damage */
    static const struct {
        const char *rec;
        size_t fields;
    } cases[] = {
        {"", 0},
        {"i2:x1t9:short", 1},          /* value cut off */
        {"i2:x1t", 1},                 /* no length */
        {"i2:x1t3x", 1},               /* no colon */
        {"i2:x1T2:ab", 1},             /* not a tag */
        {"i99999999999:x", 0},         /* absurd length */
        {"{\"id\":\"x1\"}", 0},        /* another format */
        {"i2:x1z3:abct2:ab", 3},       /* an unknown tag is a field too */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t pos = 0, n, k = 0;
        const char *v;
        int tag;
        while (dd_next(cases[i].rec, strlen(cases[i].rec), &pos, &tag, &v,
                       &n))
            k++;
        T_EQ_INT(k, cases[i].fields);
    }
}

int main(void)
{
    T_RUN(test_round_trip);
    T_RUN(test_damaged);
    return t_summary();
}
