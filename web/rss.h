/* rss.h — the documents for programs that follow a search: an RSS 2.0
 * feed of the results, newest first, and the OpenSearch 1.1 description
 * that lets a browser add the engine.
 *
 * (The module is called rss, not feed: crawler/feed.c reads feeds.)
 * Output is appended to a caller's sbuf and cannot fail; every value is
 * escaped for XML, invalid UTF-8 becomes U+FFFD and characters XML 1.0
 * forbids are dropped (an article's link is percent-encoded instead:
 * cgi_url_ascii); the feed's descriptions are HTML (the text
 * HTML-escaped) escaped for XML, as readers render them as HTML; its
 * titles, categories and creators plain text, with &, < and > as the
 * hexadecimal references the RSS Best Practices Profile advises.  base is
 * the page's absolute URL without a query
 * ("https://example.org/cgi-bin/timtin.cgi"), trusted (from the config or
 * checked by the caller).  No global state.
 */
#ifndef TT_WEB_RSS_H
#define TT_WEB_RSS_H

#include "cgi.h"
#include "config.h"
#include "search.h"

/* The feed of r, the results of p (run sorted by date, with no_relax):
 * no items when r is relaxed (partial matches).  Its title and
 * description name what it holds (page_search_name); about is the title
 * of the article p->related names (NULL when unknown). */
void rss_results(const config *c, const char *base, const cgi_params *p,
                 const char *about, const srch_result *r, sbuf *out);
/* The OpenSearch description document of the site. */
void rss_opensearch(const config *c, const char *base, sbuf *out);
/* Append s escaped for XML text and attribute values.  NULL appends
 * nothing. */
void rss_escape(sbuf *out, const char *s);
/* An ISO 8601 date-time as RFC 822 in GMT ("Mon, 12 Jun 2023 01:15:00
 * GMT"), the form RSS wants, into out; 0, or -1 (out empty) when pub is
 * not one. */
int rss_date(const char *pub, char out[32]);

#endif
