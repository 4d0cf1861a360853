/* test_revisit.c — the revisit schedule (crawler/revisit.h): intervals
 * that grow with an article's age, clamped to revisit_after and
 * revisit_max; when an article's age begins; the default cap derived
 * from the articles falling due a day. */
#include <stdint.h>

#include "revisit.h"
#include "t.h"

#define DAY 86400
#define T0 1700000000 /* an epoch second to count from */

static void test_interval_grows_with_age(void)
{
    /* checked on the day it was stored: the shortest interval */
    T_EQ_INT(revisit_interval(T0, T0, 30, 365), 30);
    T_EQ_INT(revisit_interval(T0, T0 + 3 * DAY, 30, 365), 30);
    /* checked at 200 days old: 200 days */
    T_EQ_INT(revisit_interval(T0, T0 + 200 * DAY, 30, 365), 200);
    /* whole days: 200 days less a second is 199 */
    T_EQ_INT(revisit_interval(T0, T0 + 200 * DAY - 1, 30, 365), 199);
    /* never more than revisit_max */
    T_EQ_INT(revisit_interval(T0, T0 + 5000 * DAY, 30, 365), 365);
    T_EQ_INT(revisit_interval(T0, T0 + 200 * DAY, 30, 150), 150);
    /* a version that began after the check (a clock set back, a check
     * stamped in the future): age 0 */
    T_EQ_INT(revisit_interval(T0 + DAY, T0, 30, 365), 30);
    /* revisit_after 0: young articles every run, old ones by their age */
    T_EQ_INT(revisit_interval(T0, T0 + 3600, 0, 365), 0);
    T_EQ_INT(revisit_interval(T0, T0 + 40 * DAY, 0, 365), 40);
    /* revisit_after = revisit_max: a fixed interval, whatever the age */
    T_EQ_INT(revisit_interval(T0, T0, 30, 30), 30);
    T_EQ_INT(revisit_interval(T0, T0 + 900 * DAY, 30, 30), 30);
}

static void test_due_at(void)
{
    /* a young article: revisit_after after its check */
    T_EQ_INT(revisit_due_at(T0, T0, 30, 365), T0 + 30 * DAY);
    /* checked at 100 days old, 30 days ago: not due for 70 days more */
    T_EQ_INT(revisit_due_at(T0, T0 + 100 * DAY, 30, 365), T0 + 200 * DAY);
    /* an article dated two years back when first stored */
    T_EQ_INT(revisit_due_at(T0 - 730 * DAY, T0, 30, 365), T0 + 365 * DAY);
}

static void test_since(void)
{
    /* 2023-11-14T22:13:20Z is T0 */
    int64_t stored = T0;
    /* no date: the time it was stored */
    T_EQ_INT(revisit_since(NULL, NULL, stored), stored);
    T_EQ_INT(revisit_since("", "", stored), stored);
    /* a date that does not parse: the same */
    T_EQ_INT(revisit_since("hôm qua", NULL, stored), stored);
    /* published earlier: the article's own date */
    T_EQ_INT(revisit_since("2023-11-14T22:13:20+07:00", NULL, stored),
             T0 - 7 * 3600);
    T_EQ_INT(revisit_since("2021-01-01T00:00:00Z", NULL, stored),
             1609459200);
    /* modified later than published: the later (it was edited then) */
    T_EQ_INT(revisit_since("2021-01-01T00:00:00Z", "2022-01-01T00:00:00Z",
                           stored),
             1640995200);
    /* modified alone */
    T_EQ_INT(revisit_since(NULL, "2022-01-01T00:00:00Z", stored),
             1640995200);
    /* a date after the store (a site's clock ahead): the store */
    T_EQ_INT(revisit_since("2030-01-01T00:00:00Z", NULL, stored), stored);
    T_EQ_INT(revisit_since("2021-01-01T00:00:00Z", "2030-01-01T00:00:00Z",
                           stored),
             stored);
}

static void test_auto_cap(void)
{
    /* nothing held, or little: the floor */
    T_EQ_INT(revisit_auto_cap(0), REVISIT_AUTO_MIN);
    T_EQ_INT(revisit_auto_cap(10.0), REVISIT_AUTO_MIN);
    /* twice the articles falling due a day, rounded up */
    T_EQ_INT(revisit_auto_cap(100.0 / 3), 67);
    T_EQ_INT(revisit_auto_cap(500), 1000);
    /* never more than a run should ask */
    T_EQ_INT(revisit_auto_cap(200000.0 / 30), REVISIT_AUTO_MAX);
    T_EQ_INT(revisit_auto_cap(1e12), REVISIT_AUTO_MAX);
}

static void test_rate(void)
{
    /* an article on a 30-day interval falls due 1/30 of a day... */
    T_CHECK(revisit_rate(30) > 0.0333 && revisit_rate(30) < 0.0334);
    T_CHECK(revisit_rate(365) * 365 > 0.999 && revisit_rate(365) * 365 < 1.001);
    /* ... and one due every run counts as one a day */
    T_CHECK(revisit_rate(0) == 1.0);
    T_CHECK(revisit_rate(1) == 1.0);
}

int main(void)
{
    T_RUN(test_interval_grows_with_age);
    T_RUN(test_due_at);
    T_RUN(test_since);
    T_RUN(test_auto_cap);
    T_RUN(test_rate);
    return t_summary();
}
