/* page.h — the HTML5 pages of the search page, in Vietnamese: the home
 * page, the results (with facets, date filter, sort switch, pagination,
 * did-you-mean), the no-results help, and the error pages.
 *
 * Pages are appended to a caller's sbuf; nothing is kept between calls and
 * nothing here can fail.  Every value is escaped for where it goes: HTML
 * text, attribute values, and URLs (query links percent-encoded; article
 * links only when http or https).  Links are relative ("?q=…"), so the page
 * works under any path.  The CSS is inline; there is no script (the
 * Content-Security-Policy forbids any).
 */
#ifndef TT_WEB_PAGE_H
#define TT_WEB_PAGE_H

#include "cgi.h"
#include "config.h"
#include "search.h"

/* The results page for the request p and its result r; about is the
 * title of the article p->related names (NULL when unknown).  unfiltered
 * (NULL: not counted) is the result of p's search without its section and
 * dates, every word required, when r found nothing: the page then says
 * whether the filters alone leave nothing, and offers to drop them. */
void page_results(const config *c, const cgi_params *p, const char *about,
                  const srch_result *r, const srch_result *unfiltered,
                  sbuf *out);
/* The page without a query: the search box and a few tips. */
void page_home(const config *c, sbuf *out);
/* An error page for an HTTP status (400, 404, 500, …) with msg, a text
 * for the reader (no internals: callers log those).  p may be NULL; when
 * given, its query stays in the search box. */
void page_error(const config *c, const cgi_params *p, int status,
                const char *msg, sbuf *out);

/* What the results of p are, in words, appended to out as plain text (not
 * escaped): the query, then the article they relate to (about, its title,
 * when known), the section and the period: "bão, chuyên mục Thời sự, năm
 * 2024"; without a query it opens with what comes first ("Tin liên quan:
 * …", "Chuyên mục Thời sự", "Tin từ 01/03/2024 đến 31/03/2024").  Pages'
 * titles and feeds' names.  With latest, a feed's description: "Tin mới
 * nhất cho «bão», chuyên mục Thời sự", "Tin mới nhất liên quan đến «…»",
 * "Tin mới nhất năm 2024". */
void page_search_name(const cgi_params *p, const char *about, int latest,
                      sbuf *out);

/* Append s cleaned as display text: vn_clean (control and zero-width
 * characters dropped, invalid UTF-8 as U+FFFD, Unicode spaces as ' ',
 * the bidi controls dropped: U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069, whose U+202E in an echoed query would show the text
 * after it backwards, and beyond it the page's own).  NULL appends
 * nothing. */
void page_clean(const char *s, sbuf *out);
/* The same, escaped for HTML text or a quoted attribute value.  Every
 * text of a page goes through it but the snippet, which the searcher cut
 * from text it cleaned with vn_clean. */
void page_escape(sbuf *out, const char *s);

#endif
