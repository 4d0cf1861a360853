/* revisit.c — see revisit.h. */
#include "revisit.h"

#include <math.h>

#include "date.h"

int revisit_interval(int64_t since, int64_t checked, int after, int max)
{
    int64_t age = checked > since ? (checked - since) / REVISIT_DAY : 0;
    if (age > max)
        age = max;
    if (age < after)
        age = after;
    return (int)age;
}

int64_t revisit_due_at(int64_t since, int64_t checked, int after, int max)
{
    return checked +
           (int64_t)revisit_interval(since, checked, after, max) * REVISIT_DAY;
}

double revisit_rate(int interval)
{
    return interval > 1 ? 1.0 / interval : 1.0;
}

unsigned revisit_auto_cap(double per_day)
{
    /* less a hair: a sum of rates a rounding error above a whole number
     * (30 x 1/30 is 1.0000000000000002) asks for no one more */
    double n = ceil(2 * per_day - 1e-9);
    if (!(n > REVISIT_AUTO_MIN))
        return REVISIT_AUTO_MIN;
    return n < REVISIT_AUTO_MAX ? (unsigned)n : REVISIT_AUTO_MAX;
}

int64_t revisit_since(const char *published, const char *modified,
                      int64_t stored)
{
    int64_t p = 0, m = 0, own;
    int hp = published && date_parse_iso(published, &p) == 0;
    int hm = modified && date_parse_iso(modified, &m) == 0;
    if (!hp && !hm)
        return stored;
    own = !hp ? m : !hm ? p : p > m ? p : m;
    return own <= stored ? own : stored;
}
