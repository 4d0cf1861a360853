/* url.c — see url.h.  Parsing follows RFC 3986 appendix B (the generic
 * split into scheme, authority, path, query, fragment), resolution its
 * section 5.2, dot-segment removal 5.2.4. */
#include "url.h"

#include <string.h>

const char *const url_default_strip[] = {
    "utm_*", "fbclid", "gclid", "dclid", "msclkid", "zarsrc", "gidzl",
    "_ga", "_gl", "mc_cid", "mc_eid", "yclid", "igshid", NULL};

typedef struct span {
    const char *p;
    size_t n;
    int has;
} span;

typedef struct parts {
    span scheme, auth, path, query, frag;
} parts;

/* The generic split of RFC 3986 appendix B; never fails. */
static void split(const char *s, size_t n, parts *u)
{
    size_t i = 0, j;
    memset(u, 0, sizeof *u);
    /* scheme: [^:/?#]+ ":" */
    for (j = 0; j < n && s[j] != ':' && s[j] != '/' && s[j] != '?' &&
                s[j] != '#';
         j++)
        ;
    if (j > 0 && j < n && s[j] == ':') {
        u->scheme = (span){s, j, 1};
        i = j + 1;
    }
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
        i += 2;
        for (j = i; j < n && s[j] != '/' && s[j] != '?' && s[j] != '#'; j++)
            ;
        u->auth = (span){s + i, j - i, 1};
        i = j;
    }
    for (j = i; j < n && s[j] != '?' && s[j] != '#'; j++)
        ;
    u->path = (span){s + i, j - i, 1};
    i = j;
    if (i < n && s[i] == '?') {
        for (j = i + 1; j < n && s[j] != '#'; j++)
            ;
        u->query = (span){s + i + 1, j - i - 1, 1};
        i = j;
    }
    if (i < n && s[i] == '#')
        u->frag = (span){s + i + 1, n - i - 1, 1};
}

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int ieq(span a, const char *b)
{
    size_t n = strlen(b);
    if (a.n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lc((unsigned char)a.p[i]) != b[i])
            return 0;
    return 1;
}

static int unreserved(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

/* Characters kept as they are in a path or query. */
static int keep(int c)
{
    return unreserved(c) || strchr("!$&'()*+,;=:@/?", c) != NULL;
}

void url_add_escaped(sbuf *b, const char *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    /* at most three bytes out per byte in: grow once, not per byte */
    xgrow(&b->s, &b->cap, b->len + 3 * n + 1, 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        int h1, h2;
        if (c == '%' && i + 2 < n &&
            (h1 = tt_hexval((unsigned char)p[i + 1])) >= 0 &&
            (h2 = tt_hexval((unsigned char)p[i + 2])) >= 0) {
            int v = h1 * 16 + h2;
            if (unreserved(v)) {
                sbuf_addc(b, (char)v);
            } else {
                sbuf_addc(b, '%');
                sbuf_addc(b, hex[v >> 4]);
                sbuf_addc(b, hex[v & 15]);
            }
            i += 2;
        } else if (c != '%' && c > 0x20 && c < 0x7f && keep(c)) {
            sbuf_addc(b, (char)c);
        } else {
            sbuf_addc(b, '%');
            sbuf_addc(b, hex[c >> 4]);
            sbuf_addc(b, hex[c & 15]);
        }
    }
}

/* RFC 3986 5.2.4 on the NUL-terminated path in, appended to out. */
static void remove_dots(const char *in, sbuf *out)
{
    size_t start = out->len;
    const char *p = in;
    sbuf_add(out, "", 0);
    while (*p) {
        if (!strncmp(p, "../", 3)) {
            p += 3;
        } else if (!strncmp(p, "./", 2)) {
            p += 2;
        } else if (!strncmp(p, "/./", 3)) {
            p += 2;
        } else if (!strcmp(p, "/.")) {
            p += 1;
            sbuf_addc(out, '/');
            break;
        } else if (!strncmp(p, "/../", 4) || !strcmp(p, "/..")) {
            int last = p[3] == '\0';
            p += 3;
            while (out->len > start && out->s[out->len - 1] != '/')
                out->len--;
            if (out->len > start)
                out->len--;
            out->s[out->len] = '\0';
            if (last) {
                sbuf_addc(out, '/');
                break;
            }
        } else if (!strcmp(p, ".") || !strcmp(p, "..")) {
            break;
        } else {
            const char *q = p + (*p == '/');
            while (*q && *q != '/')
                q++;
            sbuf_add(out, p, (size_t)(q - p));
            p = q;
        }
    }
}

static int strip_param(const char *name, size_t n, const url_rules *r)
{
    const char *const *l = r && r->strip ? r->strip : url_default_strip;
    for (; *l; l++) {
        size_t m = strlen(*l);
        if (m && (*l)[m - 1] == '*') {
            if (n >= m - 1 && !strncmp(name, *l, m - 1))
                return 1;
        } else if (m == n && !strncmp(name, *l, n)) {
            return 1;
        }
    }
    return 0;
}

int url_normalize(const char *s, size_t n, const url_rules *rules,
                  sbuf *out)
{
    parts u;
    sbuf tmp = {0}, path = {0};
    size_t i, hs, he, ps = 0, pe = 0, pstart, start = out->len;
    int https, port = -1, rc = TT_EINVAL;
    /* surrounding white space is not part of a URL */
    while (n && (unsigned char)*s <= ' ')
        s++, n--;
    while (n && (unsigned char)s[n - 1] <= ' ')
        n--;
    if (n == 0 || n > URL_MAX)
        goto fail;
    split(s, n, &u);
    if (!u.scheme.has || !u.auth.has)
        goto fail;
    if (ieq(u.scheme, "https"))
        https = 1;
    else if (ieq(u.scheme, "http"))
        https = 0;
    else
        goto fail;
    /* authority: drop userinfo, split host and port */
    hs = 0;
    for (i = 0; i < u.auth.n; i++)
        if (u.auth.p[i] == '@')
            hs = i + 1;
    he = u.auth.n;
    if (hs < he && u.auth.p[hs] == '[') {
        for (i = hs; i < he && u.auth.p[i] != ']'; i++)
            ;
        if (i == he)
            goto fail;
        i++;
        if (i < he && u.auth.p[i] == ':')
            ps = i + 1, pe = he;
        else if (i != he)
            goto fail;
        he = i;
    } else {
        for (i = hs; i < he && u.auth.p[i] != ':'; i++)
            ;
        if (i < he)
            ps = i + 1, pe = he;
        he = i;
    }
    while (he > hs && u.auth.p[he - 1] == '.')
        he--;
    if (he == hs)
        goto fail;
    if (ps) {
        if (pe - ps > 5)
            goto fail;
        port = 0;
        for (i = ps; i < pe; i++) {
            if (u.auth.p[i] < '0' || u.auth.p[i] > '9')
                goto fail;
            port = port * 10 + (u.auth.p[i] - '0');
        }
        if (pe == ps)
            port = -1;
        else if (port == 0 || port > 65535)
            goto fail;
    }
    sbuf_adds(&tmp, https ? "https://" : "http://");
    for (i = hs; i < he; i++) {
        int c = (unsigned char)u.auth.p[i];
        if (!(unreserved(c) || c == '[' || c == ']' || c == ':'))
            goto fail;
        sbuf_addc(&tmp, (char)lc(c));
    }
    if (port > 0 && port != (https ? 443 : 80))
        sbuf_addf(&tmp, ":%d", port);
    /* path: escapes first (so %2E is a dot), then dot segments */
    url_add_escaped(&path, u.path.p, u.path.n);
    if (path.len == 0 || path.s[0] != '/') {
        sbuf tmp2 = {0};
        sbuf_addc(&tmp2, '/');
        if (path.len)
            sbuf_add(&tmp2, path.s, path.len);
        sbuf_free(&path);
        path = tmp2;
    }
    pstart = tmp.len;
    remove_dots(path.s, &tmp);
    if (tmp.len == pstart)
        sbuf_addc(&tmp, '/');
    if (u.query.has && u.query.n) {
        sbuf q = {0};
        size_t a = 0, kept = 0;
        url_add_escaped(&q, u.query.p, u.query.n);
        while (a <= q.len) {
            size_t b = a, eq;
            while (b < q.len && q.s[b] != '&')
                b++;
            for (eq = a; eq < b && q.s[eq] != '='; eq++)
                ;
            if (b > a && !strip_param(q.s + a, eq - a, rules)) {
                sbuf_addc(&tmp, kept++ ? '&' : '?');
                sbuf_add(&tmp, q.s + a, b - a);
            }
            a = b + 1;
        }
        sbuf_free(&q);
    }
    if (tmp.len > URL_MAX)
        goto fail;
    sbuf_add(out, tmp.s, tmp.len);
    rc = TT_OK;
fail:
    if (rc)
        out->len = start;
    if (out->s)
        out->s[out->len] = '\0';
    sbuf_free(&tmp);
    sbuf_free(&path);
    return rc;
}

/* Append (p, n) minus ASCII tab and newlines (HTML attribute values break
 * long URLs across lines; browsers drop them). */
static void add_clean(sbuf *b, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
            sbuf_addc(b, p[i]);
}

int url_resolve(const char *base, const char *ref, size_t n,
                const url_rules *rules, sbuf *out)
{
    parts b, r;
    sbuf clean = {0}, t = {0};
    int rc = TT_EINVAL;
    while (n && (unsigned char)*ref <= ' ')
        ref++, n--;
    while (n && (unsigned char)ref[n - 1] <= ' ')
        n--;
    if (n > URL_MAX)
        return TT_EINVAL;
    add_clean(&clean, ref, n);
    if (!clean.s)
        sbuf_add(&clean, "", 0);
    split(clean.s, clean.len, &r);
    if (r.scheme.has) {
        rc = url_normalize(clean.s, clean.len, rules, out);
        goto done;
    }
    split(base, strlen(base), &b);
    if (!b.scheme.has || !b.auth.has)
        goto done;
    sbuf_add(&t, b.scheme.p, b.scheme.n);
    sbuf_add(&t, "://", 3);
    if (r.auth.has) {
        sbuf_add(&t, r.auth.p, r.auth.n);
        sbuf_add(&t, r.path.p, r.path.n);
        if (r.query.has) {
            sbuf_addc(&t, '?');
            sbuf_add(&t, r.query.p, r.query.n);
        }
    } else {
        sbuf_add(&t, b.auth.p, b.auth.n);
        if (r.path.n == 0) {
            sbuf_add(&t, b.path.p, b.path.n);
            if (r.query.has) {
                sbuf_addc(&t, '?');
                sbuf_add(&t, r.query.p, r.query.n);
            } else if (b.query.has) {
                sbuf_addc(&t, '?');
                sbuf_add(&t, b.query.p, b.query.n);
            }
        } else {
            if (r.path.p[0] != '/') {
                /* merge: the base path up to its last slash */
                size_t k = b.path.n;
                while (k > 0 && b.path.p[k - 1] != '/')
                    k--;
                if (k == 0)
                    sbuf_addc(&t, '/');
                else
                    sbuf_add(&t, b.path.p, k);
            }
            sbuf_add(&t, r.path.p, r.path.n);
            if (r.query.has) {
                sbuf_addc(&t, '?');
                sbuf_add(&t, r.query.p, r.query.n);
            }
        }
    }
    rc = url_normalize(t.s, t.len, rules, out);
done:
    sbuf_free(&clean);
    sbuf_free(&t);
    return rc;
}

int url_idn_host(const char *s, size_t n)
{
    parts u;
    size_t i, hs = 0;
    split(s, n, &u);
    if (!u.auth.has)
        return 0;
    for (i = 0; i < u.auth.n; i++)
        if (u.auth.p[i] == '@')
            hs = i + 1;
    for (i = hs; i < u.auth.n && u.auth.p[i] != ':'; i++)
        if ((unsigned char)u.auth.p[i] >= 0x80)
            return 1;
    return 0;
}

void url_drop_trailing_slash(const char *url, sbuf *out)
{
    size_t ps = url_origin_len(url), pe = ps + strcspn(url + ps, "?#"), e;
    for (e = pe; e > ps + 1 && url[e - 1] == '/'; e--)
        ;
    sbuf_add(out, url, e);
    sbuf_adds(out, url + pe);
}

size_t url_origin_len(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return 0;
    p += 3;
    return (size_t)(p - url) + strcspn(p, "/?#");
}

int url_host(const char *url, char *buf, size_t cap)
{
    const char *p = strstr(url, "://");
    size_t n;
    if (!p)
        return -1;
    p += 3;
    n = strcspn(p, "/?#");
    if (n == 0 || n + 1 > cap)
        return -1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return 0;
}

const char *url_path(const char *url)
{
    size_t n = url_origin_len(url);
    return url[n] ? url + n : "/";
}

uint64_t url_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    /* murmur3's fmix64: FNV's low bits alone avalanche poorly */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}
