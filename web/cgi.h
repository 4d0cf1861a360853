/* cgi.h — reading a search request: the form parameters from a query
 * string, a POST body or command-line name=value pairs, percent-decoded,
 * checked (UTF-8, lengths, page number, dates) and capped; and the
 * percent-encoding of the links the page writes.
 *
 * A cgi_params owns its strings; cgi_params_free releases them.  Errors
 * are an HTTP status (400, 405, 411, 413, 414, 415), returned and kept in
 * e->code, with a message for the reader, in Vietnamese, in e->msg.  No
 * global state; thread-safe.
 */
#ifndef TT_WEB_CGI_H
#define TT_WEB_CGI_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define CGI_MAX_QUERY_STRING 16384 /* bytes of QUERY_STRING, else 414 */
#define CGI_MAX_BODY 16384         /* bytes of POST body, else 413 */
#define CGI_MAX_Q 2048             /* bytes of the decoded q, else 400 */
#define CGI_MAX_ID 1024            /* bytes of related: any id the corpus
                                      takes (ARTICLE_MAX_ID), else 400 */
#define CGI_MAX_SECTION CGI_MAX_Q  /* bytes of section, as section: in a q
                                      (the index's terms end at 245) */
#define CGI_MAX_VALUE 256          /* bytes of any other value, else 400 */
/* a link the page writes, every value percent-encoded (3 bytes a byte at
 * most), stays a query string the parser takes */
_Static_assert(3 * (CGI_MAX_Q + CGI_MAX_ID + CGI_MAX_SECTION) + 256 <=
                   CGI_MAX_QUERY_STRING,
               "the page's links fit CGI_MAX_QUERY_STRING");

enum { CGI_HTML, CGI_JSON, CGI_RSS, CGI_OPENSEARCH };
/* sort=relevance (or none), date (newest first), recent (relevance with
 * the searcher's recency boost) */
enum { CGI_SORT_RELEVANCE, CGI_SORT_DATE, CGI_SORT_RECENT };
/* The sort parameter's value for CGI_SORT_* sort. */
const char *cgi_sort_name(int sort);
/* The format parameter's value for CGI_* format. */
const char *cgi_format_name(int format);

/* q, page, sort, format, from, to, section, related */
#define CGI_NPARAMS 8

typedef struct cgi_params {
    char *q;          /* "" when absent; never NULL after cgi_params_init */
    char *section, *from, *to, *related; /* NULL when absent or empty
                                            (section: blank, cgi_blank) */
    uint32_t page;    /* 1-based */
    int sort;         /* CGI_SORT_* */
    int format;       /* CGI_* */
    int swapped;      /* from and to came the wrong way round, and were
                         swapped (HTML; cgi_read) */
    /* parsing state (cgi.c): why each parameter's last value was refused,
     * 0 when it was not; a later good value clears it */
    unsigned char bad[CGI_NPARAMS];
} cgi_params;

/* The CGI meta-variables a request brings (NULL when unset), and how to
 * read its body: read(ctx, buf, n) returns the bytes read, 0 at the end. */
typedef struct cgi_request {
    const char *method, *query_string, *content_type, *content_length;
    size_t (*read)(void *ctx, char *buf, size_t n);
    void *ctx;
} cgi_request;

void cgi_params_init(cgi_params *p);
void cgi_params_free(cgi_params *p);

/* Read the parameters of r into p (initialised here): the query string,
 * then for POST the application/x-www-form-urlencoded body, as
 * cgi_parse_form.  max_page caps page (page and sort are not checked
 * for format=rss: a feed has no pages, and no order but the newest
 * first).  Returns 0, or the HTTP status of the refusal
 * with a message in *e; the request is read whole before it is refused,
 * so that p->format is the format asked: a query string over
 * the cap (414) for its format alone; a body refused as a whole (411, 413,
 * 415, a bad or short length: 400) not at all, p->format then the query
 * string's.  A from after to (the date form filled the wrong way round)
 * is swapped for a page, with p->swapped, and refused (400) for JSON and
 * RSS: a program is told its mistake. */
int cgi_read(const cgi_request *r, uint32_t max_page, cgi_params *p,
             tt_err *e);

/* Parse the '&'-separated "name=value" pairs of s[0..n) (form-encoded:
 * '+' is a space, %XX a byte; a '%' not followed by two hex digits stays
 * as it is) into p, which cgi_params_init prepared.  A later value of a
 * name replaces an earlier one, valid or not; unknown names are ignored.
 * Returns 0 when the last value of every name in p (from this call and
 * earlier ones) is valid, else 400 with the first refusal's message;
 * the valid values are in p either way. */
int cgi_parse_form(cgi_params *p, const char *s, size_t n, uint32_t max_page,
                   tt_err *e);

/* Whether s is only white space: Unicode's (U+00A0, U+3000…) and the
 * zero-width characters too; nothing the searcher would see. */
int cgi_blank(const char *s);

/* Decode the form-encoded s[0..n) into out (appended).  Returns 0, or -1
 * when the result is not UTF-8 or holds a NUL byte.  Control characters
 * become spaces. */
int cgi_decode(const char *s, size_t n, sbuf *out);

/* Append s[0..n) percent-encoded as a URL query component (letters,
 * digits and -._~ as they are, space as '+', every other byte %XX). */
void cgi_url_encode(sbuf *out, const char *s, size_t n);

/* Append the URL u with every byte outside ASCII as %XX: the URI that
 * RFC 3987 maps an IRI to, the same address, in characters that XML and
 * every URL parser take (U+FFFE, which XML forbids, is %EF%BF%BE; invalid
 * UTF-8 keeps its bytes).  ASCII stays as it is.  NULL appends nothing. */
void cgi_url_ascii(sbuf *out, const char *u);

/* Append the query-string link ("?q=…&page=2") to the page p describes:
 * only the parameters that differ from the defaults, in a fixed order.
 * p may be a shallow copy with fields changed; it is not freed here. */
void cgi_link(const cgi_params *p, sbuf *out);

/* Whether a link may carry id as related=, or name as section=: the
 * parser takes it back as it is (valid UTF-8 within the cap; an id
 * without control characters, which come back as spaces and would name
 * another article).  A page shows a value it may not link as text. */
int cgi_id_linkable(const char *id);
int cgi_section_linkable(const char *name);

#endif
