/* pagedate.c — see pagedate.h. */
#include "pagedate.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"

static int isdig(int c) { return c >= '0' && c <= '9'; }

/* Up to max digits at *p (at least min) into *v. */
static int num(const char **p, int min, int max, int *v)
{
    int k = 0, x = 0;
    while (k < max && isdig((unsigned char)(*p)[k])) {
        x = x * 10 + ((*p)[k] - '0');
        k++;
    }
    if (k < min)
        return -1;
    *p += k;
    *v = x;
    return 0;
}

static int days_in(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int valid(int y, int mo, int d, int h, int mi, int s)
{
    return y >= 1000 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
           d <= days_in(y, mo) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 &&
           s >= 0 && s <= 60;
}

static int64_t make(int y, int mo, int d, int h, int mi, int s, int off)
{
    return date_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s -
           (int64_t)off * 60;
}

/* "+7", "+07", "+0700", "+07:00" at *p: 0 and *off (minutes), or -1. */
static int offset(const char **p, int *off)
{
    const char *q = *p;
    int sign, h, m = 0;
    if (*q != '+' && *q != '-')
        return -1;
    sign = *q++ == '-' ? -1 : 1;
    if (isdig((unsigned char)q[0]) && isdig((unsigned char)q[1]) &&
        isdig((unsigned char)q[2]) && isdig((unsigned char)q[3])) {
        h = (q[0] - '0') * 10 + (q[1] - '0');
        m = (q[2] - '0') * 10 + (q[3] - '0');
        q += 4;
    } else {
        if (num(&q, 1, 2, &h))
            return -1;
        if (*q == ':' && isdig((unsigned char)q[1])) {
            q++;
            if (num(&q, 2, 2, &m))
                return -1;
        }
    }
    if (h > 14 || m > 59)
        return -1;
    *off = sign * (h * 60 + m);
    *p = q;
    return 0;
}

/* "GMT+7", "GMT+07:00", "(GMT+7)", "UTC", "GMT" at *p, as page text
 * writes the offset after a date: 0 with *off set and *p past it; 0 and
 * nothing read when there is none; -1 when it is malformed. */
static int zone_name(const char **p, int *off)
{
    const char *q = *p;
    int paren = *q == '(', o = 0;
    q += paren;
    if (strncasecmp(q, "GMT", 3) && strncasecmp(q, "UTC", 3))
        return paren ? -1 : 0;
    q += 3;
    while (*q == ' ')
        q++;
    if ((*q == '+' || *q == '-') && offset(&q, &o))
        return -1;
    if (paren && *q++ != ')')
        return -1;
    *off = o;
    *p = q;
    return 0;
}

static int parse_iso(const char *p, int def, int64_t *ep, int *offp)
{
    int y, mo, d, h = 0, mi = 0, s = 0, off = def;
    if (num(&p, 4, 4, &y) || *p++ != '-' || num(&p, 2, 2, &mo) ||
        *p++ != '-' || num(&p, 2, 2, &d))
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (num(&p, 2, 2, &h) || *p++ != ':' || num(&p, 2, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (num(&p, 2, 2, &s))
                return -1;
            if (*p == '.' || *p == ',') {
                p++;
                while (isdig((unsigned char)*p))
                    p++;
            }
        }
        while (*p == ' ')
            p++;
        if (*p == 'Z' || *p == 'z') {
            off = 0;
            p++;
        } else if (*p == '+' || *p == '-') {
            if (offset(&p, &off))
                return -1;
        } else if (zone_name(&p, &off)) {
            return -1;
        }
    }
    while (*p == ' ')
        p++;
    if (*p || !valid(y, mo, d, h, mi, s))
        return -1;
    *ep = make(y, mo, d, h, mi, s, off);
    *offp = off;
    return 0;
}

static int parse_rfc822(const char *p, int def, int64_t *ep, int *offp)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr",
                                         "may", "jun", "jul", "aug",
                                         "sep", "oct", "nov", "dec"};
    int d, mo = -1, y, h, mi, s = 0, off = def;
    const char *comma = strchr(p, ',');
    if (comma)
        p = comma + 1;
    while (*p == ' ')
        p++;
    if (num(&p, 1, 2, &d))
        return -1;
    while (*p == ' ' || *p == '-')
        p++;
    for (int i = 0; i < 12; i++)
        if (!strncasecmp(p, months[i], 3))
            mo = i + 1;
    if (mo < 0)
        return -1;
    while (*p && *p != ' ' && *p != '-')
        p++;
    while (*p == ' ' || *p == '-')
        p++;
    if (num(&p, 2, 4, &y))
        return -1;
    if (y < 100)
        y += y < 50 ? 2000 : 1900;
    while (*p == ' ')
        p++;
    if (num(&p, 1, 2, &h) || *p++ != ':' || num(&p, 2, 2, &mi))
        return -1;
    if (*p == ':') {
        p++;
        if (num(&p, 2, 2, &s))
            return -1;
    }
    while (*p == ' ')
        p++;
    if (!strncasecmp(p, "GMT", 3) || !strncasecmp(p, "UTC", 3)) {
        p += 3;
        off = 0;
        if (*p == '+' || *p == '-')
            offset(&p, &off);
    } else if (!strncasecmp(p, "UT", 2) || *p == 'Z') {
        off = 0;
    } else if (*p == '+' || *p == '-') {
        offset(&p, &off);
    }
    if (!valid(y, mo, d, h, mi, s))
        return -1;
    *ep = make(y, mo, d, h, mi, s, off);
    *offp = off;
    return 0;
}

/* The date written out in words, "29 tháng 12 năm 2025" (with or without
 * "ngày" before it, and a comma before "năm"): 0 with *d, *mo, *y and the
 * span it covers, or -1. */
static int words_date(const char *s, int *d, int *mo, int *y,
                      const char **at, const char **end)
{
    static const char thang[] = "th\xc3\xa1ng", nam[] = "n\xc4\x83m";
    for (const char *t = strstr(s, thang); t; t = strstr(t + 1, thang)) {
        const char *b = t, *q = t + sizeof thang - 1;
        int a, m, yy;
        while (b > s && b[-1] == ' ')
            b--;
        while (b > s && isdig((unsigned char)b[-1]))
            b--;
        if (b == t || num(&b, 1, 2, &a) || *b != ' ')
            continue;
        while (*q == ' ')
            q++;
        if (num(&q, 1, 2, &m))
            continue;
        while (*q == ' ' || *q == ',')
            q++;
        if (strncmp(q, nam, sizeof nam - 1))
            continue;
        q += sizeof nam - 1;
        while (*q == ' ')
            q++;
        if (num(&q, 4, 4, &yy) || isdig((unsigned char)*q))
            continue;
        *d = a, *mo = m, *y = yy;
        for (*at = t; *at > s && (*at)[-1] != ' '; (*at)--)
            ;
        while (*at > s && ((*at)[-1] == ' ' || isdig((unsigned char)(*at)[-1])))
            (*at)--;
        *end = q;
        return 0;
    }
    return -1;
}

/* 1 when p ends a word: not followed by a letter (ASCII or, as a UTF-8
 * lead or continuation byte, any other) or a digit. */
static int word_end(const char *p)
{
    unsigned char c = (unsigned char)*p;
    return !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isdig(c) ||
             c >= 0x80);
}

/* A 12-hour clock's mark after a time at p ("PM", " pm", "p.m.", and the
 * Vietnamese "SA" (sáng) and "CH" (chiều)): 'a' or 'p', else 0. */
static int meridiem(const char *p)
{
    int c;
    if (*p == ' ')
        p++;
    if (!strncasecmp(p, "SA", 2) && word_end(p + 2))
        return 'a';
    if (!strncasecmp(p, "CH", 2) && word_end(p + 2))
        return 'p';
    c = *p == 'A' || *p == 'a' ? 'a' : *p == 'P' || *p == 'p' ? 'p' : 0;
    if (!c)
        return 0;
    p++;
    if (*p == '.')
        p++;
    if (*p != 'M' && *p != 'm')
        return 0;
    p++;
    if (*p == '.')
        p++;
    /* a word of its own */
    return (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                   isdig((unsigned char)*p)
               ? 0
               : c;
}

/* "… 29/12/2025 … 22:32(:45) … GMT+7 …", or the date in words */
static int parse_text(const char *s, int def, int64_t *ep, int *offp)
{
    const char *p, *date_at = NULL, *date_end = NULL;
    int d = 0, mo = 0, y = 0, h = 0, mi = 0, sec = 0, off = def;
    for (p = s; *p; p++) {
        const char *q = p;
        int a, b, c;
        char sep;
        if (!isdig((unsigned char)*p) || (p > s && isdig((unsigned char)p[-1])))
            continue;
        if (num(&q, 1, 2, &a))
            continue;
        sep = *q;
        if (sep != '/' && sep != '-' && sep != '.')
            continue;
        q++;
        if (num(&q, 1, 2, &b) || *q != sep)
            continue;
        q++;
        if (num(&q, 4, 4, &c) || isdig((unsigned char)*q))
            continue;
        d = a, mo = b, y = c;
        date_at = p;
        date_end = q;
        break;
    }
    if (!date_at && words_date(s, &d, &mo, &y, &date_at, &date_end))
        return -1;
    /* a time: HH:mm (or HHhmm), HH:mm:ss, then AM/PM, outside the date */
    for (p = s; *p; p++) {
        const char *q = p;
        int a, b, c = 0, ampm;
        if (p >= date_at && p < date_end)
            continue;
        if (!isdig((unsigned char)*p) || (p > s && isdig((unsigned char)p[-1])))
            continue;
        if (num(&q, 1, 2, &a) || (*q != ':' && *q != 'h') ||
            !isdig((unsigned char)q[1]))
            continue;
        q++;
        if (num(&q, 2, 2, &b) || isdig((unsigned char)*q))
            continue;
        if (a > 23 || b > 59)
            continue;
        if (q[-3] == ':' && q[0] == ':' && isdig((unsigned char)q[1])) {
            const char *r = q + 1;
            if (num(&r, 2, 2, &c) == 0 && !isdig((unsigned char)*r) &&
                c <= 59)
                q = r;
            else
                c = 0;
        }
        ampm = a >= 1 && a <= 12 ? meridiem(q) : 0;
        if (ampm)
            a = a % 12 + (ampm == 'p' ? 12 : 0);
        h = a, mi = b, sec = c;
        break;
    }
    for (p = s; *p; p++) {
        if (!strncasecmp(p, "GMT", 3) || !strncasecmp(p, "UTC", 3)) {
            const char *q = p + 3;
            while (*q == ' ')
                q++;
            if (*q == '+' || *q == '-') {
                if (offset(&q, &off) == 0)
                    break;
            } else {
                off = 0;
                break;
            }
        }
    }
    if (!valid(y, mo, d, h, mi, sec))
        return -1;
    *ep = make(y, mo, d, h, mi, sec, off);
    *offp = off;
    return 0;
}

int pagedate_parse(const char *s, int default_off, int64_t *epoch,
                   int *offset_min)
{
    char buf[512]; /* a byline's words around the date fit */
    size_t n;
    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
                 s[n - 1] == '\r'))
        n--;
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (n >= 10 && isdig((unsigned char)buf[0]) && buf[4] == '-' &&
        parse_iso(buf, default_off, epoch, offset_min) == 0)
        return 0;
    if (parse_text(buf, default_off, epoch, offset_min) == 0)
        return 0;
    return parse_rfc822(buf, default_off, epoch, offset_min);
}

int pagedate_iso(const char *s, int default_off, char out[32])
{
    int64_t ep;
    int off;
    if (pagedate_parse(s, default_off, &ep, &off))
        return -1;
    date_format_iso(ep, off, out);
    return 0;
}
