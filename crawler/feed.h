/* feed.h — URLs out of feeds and sitemaps: RSS 2.0 (<item><link>,
 * <pubDate>), Atom (<entry><link href>, <updated>/<published>), sitemap
 * indexes (<sitemap><loc>, <lastmod>), urlsets (<url><loc>, <lastmod>, or
 * Google News' <news:publication_date>), gzip'd or not.
 *
 * Namespaces are ignored (elements are matched by local name), so any
 * prefix works.  URLs come back as written (the caller resolves and
 * normalises them).  At most FEED_MAX_ENTRIES entries are read from one
 * document.  No global state; thread-safe.
 */
#ifndef TT_FEED_H
#define TT_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define FEED_MAX_ENTRIES 100000

enum {
    FEED_UNKNOWN = 0, /* not a feed or sitemap */
    FEED_RSS,
    FEED_ATOM,
    FEED_SITEMAP_INDEX, /* entries are sitemaps */
    FEED_URLSET         /* entries are pages */
};

typedef struct feed_entry {
    char *url;
    int64_t date; /* lastmod / pubDate / updated, epoch seconds (a date
                     written without an offset is in default_off's) */
    int has_date;
    int date_only; /* the date was a day (YYYY-MM-DD), no time: date is
                      its midnight */
} feed_entry;

typedef struct feed_list {
    feed_entry *v;
    size_t n, cap;
} feed_list;

/* 1 when (body, n) starts (after white space and a BOM) like XML: "<?xml",
 * "<rss", "<feed", "<urlset", "<sitemapindex", "<rdf:RDF"; but 0 for
 * XHTML, an XML declaration whose root element (after comments,
 * processing instructions and a doctype) is <html>: that is a page. */
int feed_sniff(const char *body, size_t n);
/* 1 when body starts with the gzip magic bytes. */
int feed_is_gzip(const char *body, size_t n);
/* Inflate gzip'd (body, n) into out (at most max bytes: TT_EINVAL beyond,
 * TT_ECORRUPT for bad data). */
int feed_gunzip(const char *body, size_t n, size_t max, sbuf *out,
                tt_err *e);

/* Parse a feed or sitemap (already inflated): *kind gets FEED_*, entries
 * are appended to out; dates written without an offset are read in
 * default_off (minutes east of UTC: the site's timezone).  TT_EINVAL when
 * the XML is unusable. */
int feed_parse(const char *body, size_t n, int default_off, int *kind,
               feed_list *out, tt_err *e);
void feed_list_free(feed_list *l);

#endif
