/* test_feed.c — RSS, Atom, sitemaps and gzip'd sitemaps (crawler/feed.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "t.h"

static int parse(const char *s, int *kind, feed_list *l)
{
    return feed_parse(s, strlen(s), 0, kind, l, NULL);
}

static void test_rss(void)
{
    const char *s =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
        "<title>Thời sự</title><item><title>A</title>"
        "<link>https://tuoitre.vn/a-20250101000000000.htm</link>"
        "<pubDate>Mon, 29 Dec 2025 22:32:00 +0700</pubDate></item>"
        "<item><title>B</title><link>\n  https://tuoitre.vn/b.htm  \n</link></item>"
        "<item><guid isPermaLink=\"true\">https://tuoitre.vn/c.htm</guid></item>"
        "<item><guid isPermaLink=\"false\">tag:123</guid></item>"
        "</channel></rss>";
    feed_list l = {0};
    int kind;
    T_EQ_INT(parse(s, &kind, &l), TT_OK);
    T_EQ_INT(kind, FEED_RSS);
    T_EQ_INT(l.n, 3);
    if (l.n == 3) {
        T_EQ_STR(l.v[0].url, "https://tuoitre.vn/a-20250101000000000.htm");
        T_EQ_INT(l.v[0].has_date, 1);
        T_EQ_INT(l.v[0].date, 1767022320);
        T_EQ_STR(l.v[1].url, "https://tuoitre.vn/b.htm");
        T_EQ_INT(l.v[1].has_date, 0);
        T_EQ_STR(l.v[2].url, "https://tuoitre.vn/c.htm");
    }
    feed_list_free(&l);
}

static void test_atom(void)
{
    const char *s =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title>"
        "<entry><link rel=\"self\" href=\"/self\"/><link href=\"https://x.vn/1\"/>"
        "<updated>2025-12-29T15:32:00Z</updated></entry>"
        "<entry><link rel=\"alternate\" href=\"https://x.vn/2\"/></entry></feed>";
    feed_list l = {0};
    int kind;
    T_EQ_INT(parse(s, &kind, &l), TT_OK);
    T_EQ_INT(kind, FEED_ATOM);
    T_EQ_INT(l.n, 2);
    if (l.n == 2) {
        T_EQ_STR(l.v[0].url, "https://x.vn/1");
        T_EQ_INT(l.v[0].date, 1767022320);
        T_EQ_STR(l.v[1].url, "https://x.vn/2");
    }
    feed_list_free(&l);
}

static void test_sitemaps(void)
{
    const char *idx =
        "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/"
        "sitemap/0.9\"><sitemap><loc>https://tuoitre.vn/StaticSitemaps/sitemaps-2025-12-"
        "26-31.xml</loc><lastmod>2025-12-31T10:00:00+07:00</lastmod></sitemap>"
        "<sitemap><loc>https://tuoitre.vn/StaticSitemaps/sitemaps-2025-12-21-25.xml.gz"
        "</loc></sitemap></sitemapindex>";
    const char *news =
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
        "xmlns:n=\"http://www.google.com/schemas/sitemap-news/0.9\" "
        "xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">"
        "<url><loc>https://tuoitre.vn/a-20251229223200000.htm</loc><n:news>"
        "<n:publication_date>2025-12-29T22:32:00+07:00</n:publication_date>"
        "<n:title>A</n:title></n:news><image:image><image:caption>Ảnh - Ảnh: X"
        "</image:caption></image:image></url>"
        "<url><loc>https://tuoitre.vn/b-20251229223200001.htm</loc>"
        "<lastmod>2025-12-30</lastmod></url></urlset>";
    feed_list l = {0};
    int kind;
    T_EQ_INT(parse(idx, &kind, &l), TT_OK);
    T_EQ_INT(kind, FEED_SITEMAP_INDEX);
    T_EQ_INT(l.n, 2);
    if (l.n == 2) {
        T_EQ_INT(l.v[0].has_date, 1);
        T_EQ_INT(l.v[1].has_date, 0);
    }
    feed_list_free(&l);
    T_EQ_INT(parse(news, &kind, &l), TT_OK);
    T_EQ_INT(kind, FEED_URLSET);
    T_EQ_INT(l.n, 2);
    if (l.n == 2) {
        T_EQ_INT(l.v[0].date, 1767022320);
        T_EQ_INT(l.v[1].has_date, 1);
    }
    feed_list_free(&l);
}

/* Dates written without an offset are in the site's (the offset given);
 * those with one keep it. */
static void test_offset(void)
{
    const char *sm =
        "<urlset><url><loc>https://x.vn/1</loc><lastmod>2025-12-29T22:32:00"
        "</lastmod></url><url><loc>https://x.vn/2</loc><lastmod>2025-12-29"
        "</lastmod></url><url><loc>https://x.vn/3</loc><lastmod>"
        "2025-12-29T15:32:00Z</lastmod></url></urlset>";
    const char *rss =
        "<rss><channel><item><link>https://x.vn/4</link><pubDate>Mon, 29 Dec "
        "2025 22:32:00</pubDate></item></channel></rss>";
    feed_list l = {0};
    int kind;
    T_EQ_INT(feed_parse(sm, strlen(sm), 7 * 60, &kind, &l, NULL), TT_OK);
    T_EQ_INT(feed_parse(rss, strlen(rss), 7 * 60, &kind, &l, NULL), TT_OK);
    T_EQ_INT(l.n, 4);
    if (l.n == 4) {
        T_EQ_INT(l.v[0].date, 1767022320); /* 22:32 +07:00 = 15:32Z */
        T_EQ_INT(l.v[1].date, 1766941200); /* 2025-12-29T00:00+07:00 */
        T_EQ_INT(l.v[2].date, 1767022320);
        T_EQ_INT(l.v[3].date, 1767022320);
    }
    feed_list_free(&l);
}

static uint32_t crc32(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

/* A gzip member of one stored block. */
static size_t gz(const char *s, unsigned char *out)
{
    size_t n = strlen(s), k = 0;
    uint32_t crc = crc32((const unsigned char *)s, n);
    const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    memcpy(out, head, 10);
    k = 10;
    out[k++] = 1;
    out[k++] = (unsigned char)(n & 0xff);
    out[k++] = (unsigned char)(n >> 8);
    out[k++] = (unsigned char)(~n & 0xff);
    out[k++] = (unsigned char)((~n >> 8) & 0xff);
    memcpy(out + k, s, n);
    k += n;
    for (int i = 0; i < 4; i++)
        out[k++] = (unsigned char)(crc >> (8 * i));
    for (int i = 0; i < 4; i++)
        out[k++] = (unsigned char)(n >> (8 * i));
    return k;
}

static void test_gzip(void)
{
    const char *x = "<urlset><url><loc>https://x.vn/1</loc></url></urlset>";
    unsigned char buf[512];
    size_t n = gz(x, buf);
    sbuf out = {0};
    feed_list l = {0};
    int kind;
    tt_err e;
    T_CHECK(feed_is_gzip((const char *)buf, n));
    T_CHECK(!feed_is_gzip(x, strlen(x)));
    T_EQ_INT(feed_gunzip((const char *)buf, n, 1 << 20, &out, &e), TT_OK);
    T_CHECK(out.len >= strlen(x) && !memcmp(out.s, x, strlen(x)));
    T_EQ_INT(feed_parse(out.s, out.len, 0, &kind, &l, &e), TT_OK);
    T_EQ_INT(l.n, 1);
    feed_list_free(&l);
    /* over the cap */
    sbuf_reset(&out);
    T_CHECK(feed_gunzip((const char *)buf, n, 10, &out, &e) != TT_OK);
    /* corrupt: a flipped byte in the data breaks the CRC; truncated */
    buf[20] ^= 0x55;
    sbuf_reset(&out);
    T_CHECK(feed_gunzip((const char *)buf, n, 1 << 20, &out, &e) != TT_OK);
    sbuf_reset(&out);
    T_CHECK(feed_gunzip((const char *)buf, n / 2, 1 << 20, &out, &e) != TT_OK);
    sbuf_free(&out);
}

static void test_not_feeds(void)
{
    feed_list l = {0};
    int kind;
    T_EQ_INT(parse("<html><body>x</body></html>", &kind, &l), TT_EINVAL);
    T_EQ_INT(kind, FEED_UNKNOWN);
    T_EQ_INT(parse("", &kind, &l), TT_EINVAL);
    T_CHECK(parse("not xml at all", &kind, &l) != TT_OK);
    /* broken XML is recovered as far as it goes */
    T_EQ_INT(parse("<rss><channel><item><link>https://x.vn/a</link></item><item>",
                   &kind, &l), TT_OK);
    T_EQ_INT(l.n, 1);
    feed_list_free(&l);
    /* external entities are not fetched or expanded */
    T_EQ_INT(parse("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                   "\"file:///etc/passwd\">]><urlset><url><loc>&x;</loc></url></urlset>",
                   &kind, &l), TT_OK);
    for (size_t i = 0; i < l.n; i++)
        T_CHECK(strstr(l.v[i].url, "root:") == NULL);
    feed_list_free(&l);
}

static int sniff(const char *s) { return feed_sniff(s, strlen(s)); }

static void test_sniff(void)
{
    T_CHECK(sniff("\xEF\xBB\xBF  <?xml version"));
    T_CHECK(sniff("<rss version=\"2.0\">"));
    T_CHECK(sniff("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    T_CHECK(sniff("<?xml version=\"1.0\"?><?xml-stylesheet href=\"s.xsl\"?>\n<urlset>"));
    T_CHECK(sniff("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x \"<html>\">]><urlset>"));
    T_CHECK(sniff("<?xml version=\"1.0\"?><!-- <html> --><sitemapindex>"));
    T_CHECK(sniff("<?xml version=\"1.0\"?><htmlish/>"));
    T_CHECK(sniff("<?xml version=\"1.0\"?>"));
    T_CHECK(!sniff("<!DOCTYPE html>"));
    T_CHECK(!sniff("<html><body>x</body></html>"));
    /* XHTML: an XML declaration, then the html root element */
    T_CHECK(!sniff("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
                   "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
                   "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"vi\">"));
    T_CHECK(!sniff("<?xml version=\"1.0\"?>\r\n<!-- made by hand -->\n<html>"));
    T_CHECK(!sniff("\xEF\xBB\xBF<?xml version=\"1.0\"?><HTML\n>"));
    T_CHECK(!sniff("<?xml version=\"1.0\"?><html/>"));
}

int main(void)
{
    T_RUN(test_rss);
    T_RUN(test_atom);
    T_RUN(test_sitemaps);
    T_RUN(test_offset);
    T_RUN(test_gzip);
    T_RUN(test_not_feeds);
    T_RUN(test_sniff);
    return t_summary();
}
