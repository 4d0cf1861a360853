/* extract.h — an article out of a parsed HTML page, by a site profile's
 * rules, and the links a page offers.
 *
 * Rules are (field, selector) pairs, tried in the order added: for a
 * single-valued field the first selector that yields non-empty text wins;
 * for a list (author, tag) the first that yields any item gives all its
 * items.  A selector is XPath when it starts with '/', '(' or '.', JSON-LD
 * when it starts with "jsonld:" (a dotted path into the page's
 * application/ld+json objects, articles first: "jsonld:author.name"; of
 * several articles the page's own, whose url, mainEntityOfPage or @id
 * names the page's URL or canonical link, or, when none does, a value
 * only where they all agree),
 * else CSS (dom_css_to_xpath).  The fields:
 *   title sapo author published modified section tag canonical image
 *             — from the whole page;
 *   content   — the article body container(s);
 *   drop      — elements inside content removed first (related-news
 *               boxes, video, comments, the author box), after those
 *               removed from every body (script, style, noscript,
 *               template, iframe, object, form, button, select,
 *               textarea, svg, video, audio, canvas);
 *   figure    — media elements inside content; caption (relative to each
 *               figure) gives the captions, then figures are removed
 *               (without figure rules, the captions are);
 *   body      — the elements that are one paragraph each, relative to
 *               content; the body is every text block of content in
 *               document order (dom_blocks: these elements, the text
 *               around them split at block elements, a table by rows),
 *               but for a block that only points to other articles
 *               ("Xem thêm:" and its kin, then links only; links alone,
 *               bullets and marks aside; a short label such as "Video:"
 *               and a headline's link; not a link whose own text is
 *               prose: two sentences, or 40 words).
 * A JSON-LD block that does not parse is repaired and parsed again (an
 * HTML comment or CDATA section around it removed, control characters in
 * strings escaped, commas before '}' or ']' dropped); one still broken
 * is left out, with a note.
 * JSON-LD strings have their HTML character references decoded once
 * (dom_decode_entities), as the parser decodes an element's text.
 * Every text is cleaned (vn_clean: control and zero-width characters
 * dropped, Unicode spaces to ' '), its white space collapsed
 * and trimmed, and NFC-composed;
 * dates are read by pagedate.h and stored as ISO 8601 on the site's clock
 * (the rules' offset): 2026-11-29T23:30:00Z is 2026-11-30T06:30:00+07:00,
 * the same instant, on the day the site printed.
 * Rules are read-only once built and may be shared between threads; a
 * document is modified (dropped nodes) by extract_article.
 */
#ifndef TT_EXTRACT_H
#define TT_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "article.h"
#include "dom.h"
#include "util.h"

#define EXTRACT_MAX_FIELD (1u << 20) /* bytes of one extracted text */
#define EXTRACT_MAX_ITEMS 10000      /* paragraphs, captions, authors… */

typedef struct extract_rules extract_rules;

extract_rules *extract_rules_new(void);
void extract_rules_free(extract_rules *r); /* NULL is fine */
/* 1 when field names an extraction field (see above). */
int extract_is_field(const char *field);
/* Add a selector for field.  TT_EINVAL for an unknown field or a selector
 * that does not compile (message says which). */
int extract_rules_add(extract_rules *r, const char *field, const char *sel,
                      tt_err *e);
/* The site's offset (minutes east of UTC): of page dates that give none,
 * and the one every date is stored in. */
void extract_rules_set_offset(extract_rules *r, int minutes);
/* TT_EINVAL unless title, content and body have at least one rule. */
int extract_rules_check(const extract_rules *r, tt_err *e);

/* Dates before January 1 of this year (on the site's clock) are not an
 * article's: earliest's default. */
#define EXTRACT_EARLIEST 1990
/* The first year the site could have dated an article in (1900-9999). */
void extract_rules_set_earliest(extract_rules *r, int year);

/* What the caller knows of a page, and where extraction's notes go. */
typedef struct extract_page {
    const char *url; /* the URL it was fetched from, or NULL */
    int64_t fetched; /* when, UTC seconds (0: now) */
    strlist *notes;  /* what was found wrong and set aside, one sentence
                      * an item, appended (NULL: not kept) */
} extract_page;

/* Fill *a (zeroed first) from d: title, sapo, body, captions, authors,
 * published, modified, section, tags, canonical, image (id, url, source,
 * response are the caller's).  With captions but no paragraphs (a photo
 * or video story), the captions are moved into the body.  TT_ENOTFOUND
 * ("no title"; "no body": neither paragraphs nor captions) when the page
 * does not look like an article; *a is then empty.
 * A date before the rules' earliest year, or more than a day after the
 * fetch, is not taken: the next rule is tried, and a note says so.
 * pg may be NULL (no URL, fetched now, no notes). */
int extract_article_page(const extract_rules *r, dom_doc *d,
                         const extract_page *pg, article *a, tt_err *e);
/* extract_article_page without a page. */
int extract_article(const extract_rules *r, dom_doc *d, article *a,
                    tt_err *e);

/* The href of every a, area and link[rel=next|prev|alternate] element, as
 * written (unresolved), appended to out (at most EXTRACT_MAX_LINKS). */
#define EXTRACT_MAX_LINKS 20000
void extract_links(dom_doc *d, strlist *out);
/* The <base href> of d appended to out: 1, or 0 when there is none. */
int extract_base(dom_doc *d, sbuf *out);

/* The cleaning applied to every field, appended to out. */
void extract_clean(const char *s, size_t n, sbuf *out);

#endif
