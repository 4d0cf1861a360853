/* feed.c — see feed.h.  XML through dom.h; gzip through corpus/warc.h's
 * line reader (the one door to zlib), fed from an anonymous memory file. */
#include "feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dom.h"
#include "pagedate.h"
#include "warc.h"

int feed_is_gzip(const char *body, size_t n)
{
    return n >= 2 && (unsigned char)body[0] == 0x1f &&
           (unsigned char)body[1] == 0x8b;
}

/* Past an XML prolog's misc items from i: white space, processing
 * instructions, comments and a doctype (its internal subset included).
 * Returns where the root element should start (n when the body ends
 * first). */
static size_t skip_prolog(const char *b, size_t n, size_t i)
{
    for (;;) {
        const char *end;
        while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' ||
                         b[i] == '\n'))
            i++;
        if (n - i >= 2 && !memcmp(b + i, "<?", 2)) {
            end = memmem(b + i, n - i, "?>", 2);
            i = end ? (size_t)(end - b) + 2 : n;
        } else if (n - i >= 4 && !memcmp(b + i, "<!--", 4)) {
            end = memmem(b + i + 4, n - i - 4, "-->", 3);
            i = end ? (size_t)(end - b) + 3 : n;
        } else if (n - i >= 9 && !strncasecmp(b + i, "<!DOCTYPE", 9)) {
            /* to the '>' outside brackets and quotes */
            int depth = 0;
            char q = 0;
            for (i += 9; i < n; i++) {
                char c = b[i];
                if (q) {
                    q = c == q ? 0 : q;
                } else if (c == '"' || c == '\'') {
                    q = c;
                } else if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth -= depth > 0;
                } else if (c == '>' && depth == 0) {
                    break;
                }
            }
            i += i < n;
        } else {
            return i;
        }
    }
}

int feed_sniff(const char *body, size_t n)
{
    static const char *const starts[] = {"<?xml", "<rss", "<feed",
                                         "<urlset", "<sitemapindex",
                                         "<rdf:RDF", NULL};
    size_t i = 0;
    if (n >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' ||
                     body[i] == '\n'))
        i++;
    for (const char *const *s = starts; *s; s++) {
        size_t m = strlen(*s);
        if (n - i >= m && !memcmp(body + i, *s, m)) {
            if (s == starts) {
                /* an XML declaration: XHTML when the root is <html> */
                size_t r = skip_prolog(body, n, i);
                if (n - r > 5 && !strncasecmp(body + r, "<html", 5) &&
                    body[r + 5] && strchr(" \t\r\n>/", body[r + 5]))
                    return 0;
            }
            return 1;
        }
    }
    return 0;
}

int feed_gunzip(const char *body, size_t n, size_t max, sbuf *out,
                tt_err *e)
{
    char path[64];
    int fd, rc = TT_OK, r;
    size_t w = 0, start = out->len;
    warc_gzfile *gz = NULL;
    const char *line;
    size_t len;
    fd = memfd_create("timtin-gunzip", MFD_CLOEXEC);
    if (fd < 0)
        return tt_seterr(e, TT_EIO, "gunzip: memfd_create failed");
    while (w < n) {
        ssize_t k = write(fd, body + w, n - w);
        if (k <= 0) {
            rc = tt_seterr(e, TT_EIO, "gunzip: write failed");
            goto done;
        }
        w += (size_t)k;
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if ((rc = warc_gzfile_open(path, &gz, e)) != TT_OK)
        goto done;
    while ((r = warc_gzfile_getline(gz, max, &line, &len, e)) == 1) {
        if (out->len - start + len + 1 > max) {
            rc = tt_seterr(e, TT_EINVAL, "gunzip: more than %zu bytes", max);
            goto done;
        }
        sbuf_add(out, line, len);
        sbuf_addc(out, '\n');
    }
    if (r < 0)
        rc = r == -TT_EINVAL
                 ? tt_seterr(e, TT_EINVAL, "gunzip: more than %zu bytes", max)
                 : tt_seterr(e, TT_ECORRUPT, "gunzip: %s", e ? e->msg : "bad data");
done:
    warc_gzfile_close(gz);
    close(fd);
    if (rc) {
        out->len = start;
        if (out->s)
            out->s[start] = '\0';
    }
    return rc;
}

static dom_node *child(dom_node *n, const char *name)
{
    for (dom_node *c = dom_child(n); c; c = dom_next(c))
        if (!strcmp(dom_name(c), name))
            return c;
    return NULL;
}

/* 1 when s (white space around it aside) is a W3C date without a time:
 * YYYY-MM-DD. */
static int day_only(const char *s)
{
    size_t n;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    n = strcspn(s, " \t\r\n");
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static void add(feed_list *l, const char *url, size_t n, const char *date,
                int def_off)
{
    feed_entry *en;
    int64_t ep;
    int off;
    while (n && (*url == ' ' || *url == '\n' || *url == '\r' || *url == '\t'))
        url++, n--;
    while (n && (url[n - 1] == ' ' || url[n - 1] == '\n' ||
                 url[n - 1] == '\r' || url[n - 1] == '\t'))
        n--;
    if (n == 0 || l->n >= FEED_MAX_ENTRIES)
        return;
    xgrow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
    en = &l->v[l->n++];
    en->url = xstrndup(url, n);
    en->has_date = date && pagedate_parse(date, def_off, &ep, &off) == 0;
    en->date = en->has_date ? ep : 0;
    en->date_only = en->has_date && day_only(date);
}

/* Text of the first child named name (into t, reset first); 1 if found. */
static int child_text(dom_node *n, const char *name, sbuf *t)
{
    dom_node *c = child(n, name);
    sbuf_reset(t);
    if (!c)
        return 0;
    dom_text(c, t);
    return 1;
}

static void item_entry(dom_node *it, int def_off, feed_list *out, sbuf *u,
                       sbuf *d)
{
    const char *date = NULL;
    if (child_text(it, "pubDate", d) || child_text(it, "date", d) ||
        child_text(it, "updated", d))
        date = d->s;
    if (child_text(it, "link", u) && u->len) {
        add(out, u->s, u->len, date, def_off);
    } else {
        dom_node *g = child(it, "guid");
        sbuf_reset(u);
        if (g) {
            sbuf perm = {0};
            int isperm = !dom_attr(g, "isPermaLink", &perm) ||
                         strcmp(perm.s ? perm.s : "", "false") != 0;
            sbuf_free(&perm);
            if (isperm) {
                dom_text(g, u);
                add(out, u->s ? u->s : "", u->len, date, def_off);
            }
        }
    }
}

int feed_parse(const char *body, size_t n, int default_off, int *kind,
               feed_list *out, tt_err *e)
{
    dom_doc *d;
    dom_node *root, *c;
    const char *rn;
    sbuf u = {0}, dt = {0};
    int rc;
    *kind = FEED_UNKNOWN;
    if ((rc = dom_parse_xml(body, n, &d, e)) != TT_OK)
        return rc;
    root = dom_root(d);
    rn = dom_name(root);
    if (!strcmp(rn, "rss") || !strcmp(rn, "RDF")) {
        *kind = FEED_RSS;
        for (c = dom_child(root); c; c = dom_next(c)) {
            if (!strcmp(dom_name(c), "channel")) {
                for (dom_node *it = dom_child(c); it; it = dom_next(it))
                    if (!strcmp(dom_name(it), "item"))
                        item_entry(it, default_off, out, &u, &dt);
            } else if (!strcmp(dom_name(c), "item")) { /* RSS 1.0 */
                item_entry(c, default_off, out, &u, &dt);
            }
        }
    } else if (!strcmp(rn, "feed")) {
        *kind = FEED_ATOM;
        for (c = dom_child(root); c; c = dom_next(c)) {
            const char *date = NULL;
            if (strcmp(dom_name(c), "entry"))
                continue;
            if (child_text(c, "updated", &dt) ||
                child_text(c, "published", &dt))
                date = dt.s;
            for (dom_node *l = dom_child(c); l; l = dom_next(l)) {
                sbuf rel = {0};
                int alt;
                if (strcmp(dom_name(l), "link"))
                    continue;
                alt = !dom_attr(l, "rel", &rel) ||
                      !strcmp(rel.s ? rel.s : "", "alternate");
                sbuf_free(&rel);
                sbuf_reset(&u);
                if (alt && dom_attr(l, "href", &u)) {
                    add(out, u.s ? u.s : "", u.len, date, default_off);
                    break;
                }
            }
        }
    } else if (!strcmp(rn, "sitemapindex") || !strcmp(rn, "urlset")) {
        int idx = rn[0] == 's';
        *kind = idx ? FEED_SITEMAP_INDEX : FEED_URLSET;
        for (c = dom_child(root); c; c = dom_next(c)) {
            const char *date = NULL;
            if (strcmp(dom_name(c), idx ? "sitemap" : "url"))
                continue;
            if (child_text(c, "lastmod", &dt)) {
                date = dt.s;
            } else if (!idx) {
                dom_node *nw = child(c, "news");
                if (nw && child_text(nw, "publication_date", &dt))
                    date = dt.s;
            }
            if (child_text(c, "loc", &u) && u.len)
                add(out, u.s, u.len, date, default_off);
        }
    } else {
        rc = tt_seterr(e, TT_EINVAL, "not a feed or sitemap (<%s>)", rn);
    }
    sbuf_free(&u);
    sbuf_free(&dt);
    dom_free(d);
    return rc;
}

void feed_list_free(feed_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].url);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
