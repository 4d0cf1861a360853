/* dom.h — parsed HTML and XML documents, XPath, and a CSS-selector subset
 * compiled to XPath: the only door to libxml2.
 *
 * HTML goes through libxml2's HTML parser (recovering, silent, no network)
 * and must already be UTF-8 (charset.h converts); entities are decoded,
 * numeric references to 0x80-0x9F as HTML5 reads them (the windows-1252
 * character: "&#150;" is U+2013, where libxml2 alone gives U+0096).
 * XML (feeds, sitemaps) is parsed with recovery, without network access
 * and without substituting external entities.  Nodes are borrowed from
 * their document and die with dom_free (or dom_unlink).  A document and
 * the node sets taken from it are for one thread; compiled paths
 * (dom_path) are read-only and may be shared.
 */
#ifndef TT_DOM_H
#define TT_DOM_H

#include <stddef.h>

#include "util.h"

#define DOM_MAX_INPUT (64u << 20) /* bytes of a document */

typedef struct dom_doc dom_doc;
typedef struct dom_node dom_node; /* an element, attribute or text node */
typedef struct dom_path dom_path; /* a compiled XPath expression */

/* A list of nodes in document order; zero-initialise, dom_set_free. */
typedef struct dom_set {
    dom_node **v;
    size_t n, cap;
} dom_set;

/* Parse UTF-8 HTML; url (may be NULL) is the document's base.  Never fails
 * on bad markup (it recovers); TT_EINVAL for empty or oversized input. */
int dom_parse_html(const char *buf, size_t n, const char *url, dom_doc **out,
                   tt_err *e);
/* Parse XML; TT_EINVAL when nothing usable comes out. */
int dom_parse_xml(const char *buf, size_t n, dom_doc **out, tt_err *e);
void dom_free(dom_doc *d); /* NULL is fine */

/* The root element (NULL if none). */
dom_node *dom_root(dom_doc *d);
/* First child element / next sibling element (NULL at the end). */
dom_node *dom_child(dom_node *n);
dom_node *dom_next(dom_node *n);
/* Local name of an element or attribute, lower case for HTML ("p",
 * "figcaption"; XML keeps its case: "urlset", "loc"). */
const char *dom_name(const dom_node *n);

/* Text of n appended to out: an attribute's value, or the text of an
 * element's descendants (script, style, noscript and template skipped;
 * br and block elements separated by a space).  Not trimmed. */
void dom_text(const dom_node *n, sbuf *out);
/* The text of element n as blocks (paragraphs), in document order, each
 * given to emit raw (not cleaned; it may be only white space) with the
 * block's text outside links (a elements with an href; a block that
 * starts inside a link, as an unclosed a makes the paragraphs after it,
 * is outside it) and the text inside them, a NUL between two links'
 * ("A\0B"), each piece of text once.  An element of whole (a selector's
 * paragraphs) is one block, read as dom_text reads it, unless it holds
 * other elements of whole: then it is split as n is.  Text outside them
 * (right inside n, in a div) is split into blocks at block elements
 * (div, p, li, h1-h6, blockquote, …; br is a space).  A table, wherever
 * it is, gives a block a row, its non-empty cells joined by " | ", and
 * its caption; an element of whole inside a table is read as part of its
 * cell.  script, style, noscript and template are skipped. */
void dom_blocks(const dom_node *n, const dom_set *whole,
                void (*emit)(void *arg, const char *s, size_t len,
                             const char *plain, size_t plain_len,
                             const char *links, size_t links_len),
                void *arg);
/* Value of attribute name of element n appended to out: 1, or 0 when n
 * has no such attribute. */
int dom_attr(const dom_node *n, const char *name, sbuf *out);
/* 1 when a is a proper ancestor of b. */
int dom_is_ancestor(const dom_node *a, const dom_node *b);
/* Keep in s only the nodes none of whose ancestors is also in s, each
 * once (order kept): nested matches of a selector list collapse to the
 * outer one, and a node two selectors match is kept once.  Linear: returns
 * the number of nodes it looked at on the way up (at most the set's size
 * plus the document's node count; tests check it). */
size_t dom_set_outermost(dom_set *s);
/* Remove n (an element) from its document and free it.  Nodes inside it
 * that a dom_set still holds must not be used afterwards. */
void dom_unlink(dom_node *n);

/* The HTML character references in the text s[0..n) (a JSON-LD string,
 * which many sites write with "&quot;", "&agrave;", "&#7897;") decoded
 * once, as dom_parse_html decodes an element's text, appended to out:
 * named and numeric references become their characters, anything else
 * ('<', a bare '&', an unknown name) stays as it is.  Invalid UTF-8
 * becomes U+FFFD. */
void dom_decode_entities(const char *s, size_t n, sbuf *out);

/* Compile an XPath 1.0 expression; *out is NULL and TT_EINVAL on a syntax
 * error. */
int dom_path_compile(const char *expr, dom_path **out, tt_err *e);
void dom_path_free(dom_path *p); /* NULL is fine */
/* Evaluate p with ctx as the context node (NULL = the document) and append
 * the resulting nodes to out.  A result that is not a node set (a string,
 * number) is ignored.  Returns the number of nodes appended. */
size_t dom_eval(dom_doc *d, dom_node *ctx, const dom_path *p, dom_set *out);
void dom_set_free(dom_set *s);

/* Translate a CSS selector list into an XPath expression relative to the
 * context node, appended to out.  Supported: type selectors and '*',
 * .class, #id, [attr], [attr=v] (also ~= ^= $= *=; values quoted or
 * bare), the descendant (space) and child (>) combinators, ',' lists, and
 * a trailing "@name" on each selector to select that attribute
 * ("meta[property=og:title] @content").  TT_EINVAL for anything else. */
int dom_css_to_xpath(const char *css, sbuf *out, tt_err *e);

#endif
