/* pageread.h — how the crawler reads an article page: the body converted to
 * UTF-8 by its charset and parsed as HTML, then the article extracted by
 * the profile's rules.  The crawl reads what it fetches through it, and
 * re-extraction (reextract.h) what the corpus stored, so that a page
 * stored yesterday gives what the crawl would make of it today.  No
 * global state; thread-safe.
 */
#ifndef TT_PAGEREAD_H
#define TT_PAGEREAD_H

#include <stddef.h>
#include <stdint.h>

#include "article.h"
#include "dom.h"
#include "profile.h"
#include "util.h"

/* The parts of an HTTP response as the corpus stores it (status line,
 * headers, a blank line, the body; store_put): the body into *body and
 * *body_len (when body is not NULL), and the value of header name (when
 * not NULL; the last one, as libcurl reports it) into value, reset
 * first and left empty when the block has none or none fit to send back
 * (a control character).  0, or -1 when b[0..n) is no HTTP response (no
 * status line, or no blank line after the headers). */
int pageread_block(const char *b, size_t n, const char *name, sbuf *value,
                   const char **body, size_t *body_len);

/* Parse body (n bytes, already inflated) as HTML into *out (dom_free it),
 * after converting it to UTF-8 by its charset (charset.h: a BOM, the
 * Content-Type header's charset, the markup's, else UTF-8).
 * TT_ENOTFOUND ("not HTML (Content-Type: ...)"; *out NULL) when the text
 * does not look like HTML, or dom_parse_html's status. */
int pageread_html(const char *content_type, const char *body, size_t n,
                  const char *url, dom_doc **out, tt_err *e);

/* The article of page d, fetched from url at fetched (UTC seconds; 0:
 * now), by p's rules (extract_article_page: their dates, JSON-LD and
 * body rules), with url and p's name as its source; its id and response
 * are the caller's.  d is modified (nodes dropped).  What extraction set
 * aside is appended to notes (may be NULL).  TT_ENOTFOUND ("no title",
 * "no body": not an article; *a empty) as extract_article_page. */
int pageread_article(const profile *p, dom_doc *d, const char *url,
                     int64_t fetched, strlist *notes, article *a,
                     tt_err *e);

#endif
