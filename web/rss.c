/* rss.c — see rss.h.
 *
 * The feed: RSS 2.0 with the Atom self link (atom:link rel="self") and
 * Dublin Core creators (dc:creator, one per author).  An item's guid is the
 * article id (isPermaLink="false"): ids survive a change of URL slug, so a
 * reader never sees an article twice.
 *
 * Titles and descriptions are HTML (readers render a description as HTML,
 * and many a title too): an article's text is HTML-escaped, then the HTML
 * XML-escaped, so "<script>" in a title reaches the reader as text, never
 * as markup.  The item's description is the snippet as the page shows it
 * (matches in <mark>).  Category and dc:creator are plain text, escaped
 * once.
 */
#include "rss.h"
#include "cgi.h"
#include "page.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"
#include "search.h"
#include "unicode.h"

/* s cleaned as the page's text is (page_clean: controls and bidi
 * controls out, a space where controls stood between words), escaped for
 * XML; hex: &, < and > as
 * hexadecimal character references, which the RSS Best Practices Profile
 * advises for elements of plain text (rss_text) */
static void escape(sbuf *out, const char *s, int hex)
{
    sbuf c = {0};
    if (!s)
        return;
    page_clean(s, &c);
    s = c.s ? c.s : "";
    size_t n = c.len;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = uni_decode(s + i, n - i, &cp);
        switch (cp) {
        case '&': sbuf_adds(out, hex ? "&#x26;" : "&amp;"); break;
        case '<': sbuf_adds(out, hex ? "&#x3C;" : "&lt;"); break;
        case '>': sbuf_adds(out, hex ? "&#x3E;" : "&gt;"); break;
        case '"': sbuf_adds(out, "&quot;"); break;
        case '\'': sbuf_adds(out, "&apos;"); break;
        default:
            /* XML 1.0 Char: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD…
             * (controls are gone already; DEL and C1, which XML allows,
             * too: page_clean) */
            if (cp == 0xFFFE || cp == 0xFFFF)
                break;
            if (cp == UNI_REPLACEMENT)
                uni_addcp(out, cp); /* an invalid sequence, or one typed */
            else
                sbuf_add(out, s + i, k);
        }
        i += k;
    }
    sbuf_free(&c);
}

void rss_escape(sbuf *out, const char *s)
{
    escape(out, s, 0);
}

/* s as the plain text of an element (a title, a category, a creator):
 * readers differ on whether those may hold HTML, and the profile's hex
 * references are what the most of them show as the characters typed */
static void rss_text(sbuf *out, const char *s)
{
    escape(out, s, 1);
}

int rss_date(const char *pub, char out[32])
{
    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed",
                                   "Thu", "Fri", "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr",
                                     "May", "Jun", "Jul", "Aug",
                                     "Sep", "Oct", "Nov", "Dec"};
    int64_t t;
    struct tm tm;
    out[0] = '\0';
    if (!pub || date_parse_iso(pub, &t))
        return -1;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm))
        return -1;
    snprintf(out, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT",
             days[tm.tm_wday % 7], tm.tm_mday % 100, months[tm.tm_mon % 12],
             (tm.tm_year + 1900) % 10000, tm.tm_hour % 100, tm.tm_min % 100,
             tm.tm_sec % 100);
    return 0;
}

/* s as HTML text (escaped; invalid UTF-8 as U+FFFD), escaped for XML. */
static void html_text(sbuf *out, const char *s)
{
    sbuf h = {0}, t = {0};
    size_t n = s ? strlen(s) : 0;
    if (!s)
        return;
    if (!uni_valid(s, n)) {
        uni_sanitize(s, n, &t);
        s = t.s;
        n = t.len;
    }
    srch_html_escape(&h, s, n);
    rss_escape(out, h.s);
    sbuf_free(&h);
    sbuf_free(&t);
}

/* <name>base + link of q</name> */
static void link_el(sbuf *out, const char *name, const char *base,
                    const cgi_params *q)
{
    sbuf u = {0};
    sbuf_adds(&u, base);
    cgi_link(q, &u);
    sbuf_addf(out, "<%s>", name);
    rss_escape(out, u.s);
    sbuf_addf(out, "</%s>\n", name);
    sbuf_free(&u);
}


static void item(const srch_hit *h, sbuf *out)
{
    char date[32];
    sbuf_adds(out, "<item>\n<title>");
    rss_text(out, h->title);
    sbuf_adds(out, "</title>\n");
    if (tt_web_url(h->url)) {
        sbuf u = {0}; /* dropping a character would link another URL */
        cgi_url_ascii(&u, h->url);
        sbuf_adds(out, "<link>");
        rss_escape(out, u.s);
        sbuf_adds(out, "</link>\n");
        sbuf_free(&u);
    }
    sbuf_adds(out, "<guid isPermaLink=\"false\">");
    rss_escape(out, h->id);
    sbuf_adds(out, "</guid>\n");
    if (rss_date(h->published, date) == 0)
        sbuf_addf(out, "<pubDate>%s</pubDate>\n", date);
    if (h->section && *h->section) {
        sbuf t = {0}; /* NFC when marks are combined (see page.c) */
        if (strchr(h->section, '\xcc') || strchr(h->section, '\xcd'))
            uni_nfc(h->section, strlen(h->section), 0, &t);
        else
            sbuf_adds(&t, h->section);
        sbuf_adds(out, "<category>");
        rss_text(out, t.s);
        sbuf_adds(out, "</category>\n");
        sbuf_free(&t);
    }
    for (size_t i = 0; i < h->nauthors; i++) {
        sbuf_adds(out, "<dc:creator>");
        rss_text(out, h->authors[i]);
        sbuf_adds(out, "</dc:creator>\n");
    }
    if (h->snippet && *h->snippet) {
        sbuf_adds(out, "<description>");
        if (uni_valid(h->snippet, strlen(h->snippet))) {
            sbuf t = {0}; /* the page's HTML, matches in <mark> */
            srch_snippet_html(h, &t);
            rss_escape(out, t.s);
            sbuf_free(&t);
        } else {
            html_text(out, h->snippet);
        }
        sbuf_adds(out, "</description>\n");
    }
    sbuf_adds(out, "</item>\n");
}

void rss_results(const config *c, const char *base, const cgi_params *p,
                 const char *about, const srch_result *r, sbuf *out)
{
    cgi_params q = *p;
    char date[32];
    sbuf name = {0};
    sbuf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<rss version=\"2.0\" "
                   "xmlns:atom=\"http://www.w3.org/2005/Atom\" "
                   "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                   "<channel>\n<title>");
    page_search_name(p, about, 0, &name); /* what it holds, as the page */
    if (name.len) {
        rss_text(out, name.s);
        sbuf_adds(out, " – ");
    }
    rss_text(out, c->title);
    sbuf_adds(out, "</title>\n");
    q.format = CGI_HTML;
    q.sort = CGI_SORT_DATE;
    q.page = 1;
    link_el(out, "link", base, &q);
    sbuf_adds(out, "<description>");
    if (name.len) {
        sbuf_reset(&name);
        page_search_name(p, about, 1, &name);
        html_text(out, name.s);
        sbuf_adds(out, " – ");
    }
    sbuf_free(&name);
    html_text(out, c->description);
    sbuf_adds(out, "</description>\n<language>vi</language>\n"
                   "<generator>timtin " TT_VERSION "</generator>\n");
    q = *p;
    q.format = CGI_RSS;
    q.sort = CGI_SORT_RELEVANCE;
    q.page = 1; /* the feed has no pages */
    {
        sbuf u = {0};
        sbuf_adds(&u, base);
        cgi_link(&q, &u);
        sbuf_adds(out, "<atom:link rel=\"self\" type=\"application/rss+xml\" "
                       "href=\"");
        rss_escape(out, u.s);
        sbuf_adds(out, "\"/>\n");
        sbuf_free(&u);
    }
    /* partial matches (the request should have asked for none) are not
     * the search the reader follows */
    size_t n = r->relaxed ? 0 : r->nhits;
    if (n && rss_date(r->hits[0].published, date) == 0)
        sbuf_addf(out, "<lastBuildDate>%s</lastBuildDate>\n", date);
    for (size_t i = 0; i < n; i++)
        item(&r->hits[i], out);
    sbuf_adds(out, "</channel>\n</rss>\n");
}

void rss_opensearch(const config *c, const char *base, sbuf *out)
{
    static const struct {
        const char *type, *tail;
    } urls[] = {
        {"text/html", ""},
        {"application/rss+xml", "&format=rss"},
        {"application/json", "&format=json"},
    };
    /* ShortName: at most 16 characters, cut at a character boundary */
    const char *t = c->title;
    size_t n = 0, chars = 0, len = strlen(t);
    while (n < len && chars < 16) {
        int32_t cp;
        n += uni_decode(t + n, len - n, &cp);
        chars++;
    }
    while (n > 0 && t[n - 1] == ' ')
        n--;
    sbuf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<OpenSearchDescription "
                   "xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
                   "<ShortName>");
    {
        sbuf s = {0};
        sbuf_add(&s, t, n);
        rss_escape(out, s.s);
        sbuf_free(&s);
    }
    sbuf_adds(out, "</ShortName>\n<Description>");
    rss_escape(out, c->description);
    sbuf_adds(out, "</Description>\n<InputEncoding>UTF-8</InputEncoding>\n"
                   "<OutputEncoding>UTF-8</OutputEncoding>\n"
                   "<Language>vi</Language>\n");
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        sbuf_addf(out, "<Url type=\"%s\" method=\"get\" template=\"",
                  urls[i].type);
        rss_escape(out, base);
        sbuf_adds(out, "?q={searchTerms}");
        rss_escape(out, urls[i].tail);
        sbuf_adds(out, "\"/>\n");
    }
    sbuf_adds(out, "<Url type=\"application/opensearchdescription+xml\" "
                   "rel=\"self\" template=\"");
    rss_escape(out, base);
    sbuf_adds(out, "?format=opensearch\"/>\n</OpenSearchDescription>\n");
}
