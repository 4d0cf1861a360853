/* date.c — see date.h.  Calendar arithmetic by Howard Hinnant's
 * days_from_civil algorithm, so no dependence on the process's TZ. */
#include "date.h"

#include <stdio.h>
#include <string.h>

int64_t date_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* n digits at *p into *v; advances *p. */
static int digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        x = x * 10 + (c - '0');
    }
    *p += n;
    *v = x;
    return 0;
}

static int valid_ymd(int y, int m, int d)
{
    return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days_in_month(y, m);
}

/* date_parse_iso, and the offset from UTC in minutes as written (0 for
 * Z, or for a date alone) into *offset_min. */
static int parse_iso(const char *s, int64_t *epoch, int *offset_min)
{
    int y, mo, d, h = 0, mi = 0, se = 0, off = 0;
    const char *p = s;
    if (!s || digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
        *p++ != '-' || digits(&p, 2, &d) || !valid_ymd(y, mo, d))
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &se))
                return -1;
            if (*p == '.' || *p == ',') {
                p++;
                if (*p < '0' || *p > '9')
                    return -1;
                while (*p >= '0' && *p <= '9')
                    p++;
            }
        }
        if (h > 23 || mi > 59 || se > 60)
            return -1;
        if (se == 60)
            se = 59; /* a leap second ends its minute: never the next day */
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
            if (digits(&p, 2, &oh))
                return -1;
            if (*p == ':')
                p++;
            if (*p >= '0' && *p <= '9' && digits(&p, 2, &om))
                return -1;
            if (oh > 14 || om > 59)
                return -1;
            off = sign * (oh * 60 + om);
        }
    }
    if (*p != '\0')
        return -1;
    *epoch = date_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
             se - off * 60;
    *offset_min = off;
    return 0;
}

int date_parse_iso(const char *s, int64_t *epoch)
{
    int off;
    return parse_iso(s, epoch, &off);
}

int date_rfc3339(const char *s, char out[32])
{
    int64_t t;
    int off;
    out[0] = '\0';
    if (!s || parse_iso(s, &t, &off))
        return -1;
    date_format_iso(t, off, out);
    return 0;
}

int date_local_key(const char *s, char out[15])
{
    int64_t t;
    int off;
    if (!s || parse_iso(s, &t, &off))
        return -1;
    t += off * 60;
    if (t < -2208988800LL /* 1900 */ || t >= 4102444800LL /* 2100 */)
        return -1;
    date_format_key(t, out);
    return 0;
}

int date_parse_query(const char *s, int end, int64_t *epoch)
{
    int y, m = 1, d = 1;
    const char *p = s;
    int have_m = 0, have_d = 0;
    if (!s || digits(&p, 4, &y))
        return -1;
    if (*p == '-' || *p == '/') {
        p++;
        if (digits(&p, 2, &m))
            return -1;
        have_m = 1;
        if (*p == '-' || *p == '/') {
            p++;
            if (digits(&p, 2, &d))
                return -1;
            have_d = 1;
        }
    }
    if (*p != '\0' || !valid_ymd(y, m, d))
        return -1;
    int64_t start = date_days_from_civil(y, m, d), stop;
    if (have_d)
        stop = start + 1;
    else if (have_m)
        stop = start + days_in_month(y, m);
    else
        stop = date_days_from_civil(y + 1, 1, 1);
    *epoch = end ? stop * 86400 - 1 : start * 86400;
    return 0;
}

void date_format_key(int64_t epoch, char out[15])
{
    int64_t days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400;
    int64_t sec = epoch - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0)
        y = 0;
    int parts[6] = {y % 10000, m, d, (int)(sec / 3600), (int)(sec / 60 % 60),
                    (int)(sec % 60)};
    char *p = out;
    for (int i = 0; i < 6; i++) {
        int width = i == 0 ? 4 : 2, v = parts[i];
        for (int k = width - 1; k >= 0; k--, v /= 10)
            p[k] = (char)('0' + v % 10);
        p += width;
    }
    *p = '\0';
}

int date_parse_key(const char *s, size_t len, int64_t *epoch)
{
    int y, m, d, h, mi, se;
    const char *p = s;
    if (len != 14 || digits(&p, 4, &y) || digits(&p, 2, &m) ||
        digits(&p, 2, &d) || digits(&p, 2, &h) || digits(&p, 2, &mi) ||
        digits(&p, 2, &se) || !valid_ymd(y, m, d))
        return -1;
    *epoch = date_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

void date_format_iso(int64_t epoch, int offset_min, char out[32])
{
    char k[15];
    date_format_key(epoch + offset_min * 60, k);
    int a = offset_min < 0 ? -offset_min : offset_min;
    snprintf(out, 32, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s%c%02d:%02d", k, k + 4,
             k + 6, k + 8, k + 10, k + 12, offset_min < 0 ? '-' : '+',
             (a / 60) % 100, a % 60);
}
