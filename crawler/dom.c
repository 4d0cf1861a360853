/* dom.c — see dom.h.  The only file that includes libxml2 headers.
 * dom_node and dom_doc are libxml2's xmlNode and xmlDoc under another name;
 * a dom_path is an xmlXPathCompExpr. */
#include "dom.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"

#define NODE(n) ((xmlNodePtr)(n))
#define DOC(d) ((xmlDocPtr)(d))

/* libxml2 prints parser and XPath errors on stderr by default; pages are
 * full of errors we recover from.  Silence them once. */
static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_libxml(void)
{
    static int done;
    if (!done) {
        xmlInitParser();
        xmlSetGenericErrorFunc(NULL, silent);
        done = 1;
    }
}

/* What HTML5 reads a numeric character reference to 0x80-0x9F as: the
 * windows-1252 character of that byte (&#150; is an en dash, &#147; a
 * left quote, &#128; the euro sign), or 0 where windows-1252 has none
 * (the reference is then the C1 control it names). */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* libxml2 (2.9) decodes "&#150;" as U+0096, a control character that
 * cleaning drops: the words on either side ran together.  When s[0..n)
 * has such references, a copy with each written as the reference to its
 * windows-1252 character ("&#8211;") goes into out and 1 is returned;
 * else 0 and out is untouched.  Decimal and hexadecimal, leading zeros,
 * the ';' optional (libxml2 decodes "&#150 " too). */
static int c1_refs(const char *s, size_t n, sbuf *out)
{
    size_t done = 0, i = 0;
    int changed = 0;
    const char *amp;
    while (i + 2 < n && (amp = memchr(s + i, '&', n - i - 2))) {
        size_t j = (size_t)(amp - s) + 2, start = j;
        int hex = 0;
        uint32_t v = 0;
        i = (size_t)(amp - s) + 1;
        if (s[i] != '#')
            continue;
        if (j < n && (s[j] == 'x' || s[j] == 'X')) {
            hex = 1;
            start = ++j;
        }
        for (; j < n; j++) {
            unsigned c = (unsigned char)s[j], dv;
            if (c >= '0' && c <= '9')
                dv = c - '0';
            else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                dv = (c | 0x20) - 'a' + 10;
            else
                break;
            if (v < 0x10000)
                v = v * (hex ? 16 : 10) + dv;
        }
        if (j == start || v < 0x80 || v > 0x9F || !cp1252_c1[v - 0x80])
            continue;
        if (j < n && s[j] == ';')
            j++;
        sbuf_add(out, s + done, (size_t)(amp - s) - done);
        sbuf_addf(out, "&#%u;", (unsigned)cp1252_c1[v - 0x80]);
        done = i = j;
        changed = 1;
    }
    if (changed)
        sbuf_add(out, s + done, n - done);
    return changed;
}

int dom_parse_html(const char *buf, size_t n, const char *url, dom_doc **out,
                   tt_err *e)
{
    xmlDocPtr d;
    sbuf fixed = {0};
    *out = NULL;
    quiet_libxml();
    if (n == 0 || n > DOM_MAX_INPUT)
        return tt_seterr(e, TT_EINVAL, "HTML: %s input",
                         n ? "oversized" : "empty");
    if (c1_refs(buf, n, &fixed)) {
        buf = fixed.s;
        n = fixed.len;
    }
    d = htmlReadMemory(buf, (int)n, url, "UTF-8",
                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                           HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                           HTML_PARSE_COMPACT);
    sbuf_free(&fixed);
    if (!d || !xmlDocGetRootElement(d)) {
        xmlFreeDoc(d);
        return tt_seterr(e, TT_EINVAL, "HTML: no document");
    }
    *out = (dom_doc *)d;
    return TT_OK;
}

void dom_decode_entities(const char *s, size_t n, sbuf *out)
{
    sbuf v = {0}, html = {0}, fixed = {0};
    htmlDocPtr d;
    xmlChar *t;
    if (!memchr(s, '&', n)) {
        sbuf_add(out, s, n);
        return;
    }
    quiet_libxml();
    if (c1_refs(s, n, &fixed)) {
        s = fixed.s;
        n = fixed.len;
    }
    if (!uni_valid(s, n)) {
        uni_sanitize(s, n, &v); /* else the parser takes it for Latin-1 */
        s = v.s;
        n = v.len;
    }
    /* the text of one paragraph: its '<' escaped, so that the parser
     * reads it all as text and decodes its references as in any page */
    sbuf_adds(&html, "<p>");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '<')
            sbuf_adds(&html, "&lt;");
        else if (s[i] != '\0')
            sbuf_addc(&html, s[i]);
    }
    d = htmlReadMemory(html.s, (int)html.len, NULL, "UTF-8",
                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                           HTML_PARSE_RECOVER | HTML_PARSE_NONET);
    t = d && xmlDocGetRootElement(d) ? xmlNodeGetContent(xmlDocGetRootElement(d))
                                     : NULL;
    if (t)
        sbuf_adds(out, (const char *)t);
    else
        sbuf_add(out, s, n); /* cannot happen: keep the text undecoded */
    xmlFree(t);
    xmlFreeDoc(d);
    sbuf_free(&v);
    sbuf_free(&html);
    sbuf_free(&fixed);
}

int dom_parse_xml(const char *buf, size_t n, dom_doc **out, tt_err *e)
{
    xmlDocPtr d;
    *out = NULL;
    quiet_libxml();
    if (n == 0 || n > DOM_MAX_INPUT)
        return tt_seterr(e, TT_EINVAL, "XML: %s input",
                         n ? "oversized" : "empty");
    d = xmlReadMemory(buf, (int)n, NULL, NULL,
                      XML_PARSE_RECOVER | XML_PARSE_NONET |
                          XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                          XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
    if (!d || !xmlDocGetRootElement(d)) {
        xmlFreeDoc(d);
        return tt_seterr(e, TT_EINVAL, "XML: not well-formed");
    }
    *out = (dom_doc *)d;
    return TT_OK;
}

void dom_free(dom_doc *d)
{
    if (d) {
        /* the XPath context dom_eval keeps with the document */
        if (DOC(d)->_private)
            xmlXPathFreeContext((xmlXPathContextPtr)DOC(d)->_private);
        xmlFreeDoc(DOC(d));
    }
}

dom_node *dom_root(dom_doc *d)
{
    return (dom_node *)xmlDocGetRootElement(DOC(d));
}

dom_node *dom_child(dom_node *n)
{
    xmlNodePtr c = n ? NODE(n)->children : NULL;
    while (c && c->type != XML_ELEMENT_NODE)
        c = c->next;
    return (dom_node *)c;
}

dom_node *dom_next(dom_node *n)
{
    xmlNodePtr c = n ? NODE(n)->next : NULL;
    while (c && c->type != XML_ELEMENT_NODE)
        c = c->next;
    return (dom_node *)c;
}

const char *dom_name(const dom_node *n)
{
    return n && NODE(n)->name ? (const char *)NODE(n)->name : "";
}

static int is_block(const char *name)
{
    static const char *const blocks[] = {
        "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2",
        "h3", "h4", "h5", "h6", "blockquote", "figure", "figcaption",
        "section", "article", "header", "footer", "dd", "dt", "dl", "pre",
        "main", "aside", "nav", "address", "hr", "caption", "center",
        "details", "summary", "fieldset", NULL};
    for (const char *const *b = blocks; *b; b++)
        if (!strcmp(name, *b))
            return 1;
    return 0;
}

/* Elements whose content is never text to read. */
static int is_hidden(const char *name)
{
    return !strcmp(name, "script") || !strcmp(name, "style") ||
           !strcmp(name, "noscript") || !strcmp(name, "template");
}

/* A link: an a element with an href.  An a without one (an anchor
 * around a heading: <a name="phan-2">) is no link, its text the
 * block's own. */
static int is_link(xmlNodePtr n)
{
    return !strcmp((const char *)n->name, "a") &&
           xmlHasProp(n, (const xmlChar *)"href") != NULL;
}

/* Where the text of a block goes: all of it into out; plain (if not
 * NULL) the text outside links, links (if not NULL) the text inside
 * them, each link's apart from the one before by a NUL. */
typedef struct sink {
    sbuf *out, *plain, *links;
} sink;

/* s into out and, as in_link says, plain or links. */
static void put(const sink *k, int in_link, const char *s)
{
    sbuf_adds(k->out, s);
    if (!in_link && k->plain)
        sbuf_adds(k->plain, s);
    if (in_link && k->links)
        sbuf_adds(k->links, s);
}

/* A link begins: its text apart from the one before. */
static void link_start(const sink *k)
{
    if (k->links && k->links->len)
        sbuf_addc(k->links, '\0');
}

/* The text of the nodes from n on into k (in_link: they are inside a
 * link). */
static void text_rec(xmlNodePtr n, const sink *k, int in_link, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                put(k, in_link, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE && depth < 256) {
            const char *name = (const char *)n->name;
            if (is_hidden(name))
                continue;
            if (!strcmp(name, "br")) {
                put(k, in_link, " ");
                continue;
            }
            int block = is_block(name);
            if (block)
                put(k, in_link, " ");
            if (!in_link && is_link(n))
                link_start(k);
            text_rec(n->children, k, in_link || is_link(n), depth + 1);
            if (block)
                put(k, in_link, " ");
        }
    }
}

void dom_text(const dom_node *n, sbuf *out)
{
    xmlNodePtr x = NODE(n);
    if (!x)
        return;
    if (x->type == XML_ATTRIBUTE_NODE || x->type == XML_TEXT_NODE ||
        x->type == XML_CDATA_SECTION_NODE) {
        xmlChar *v = xmlNodeGetContent(x);
        if (v) {
            sbuf_adds(out, (const char *)v);
            xmlFree(v);
        }
        return;
    }
    /* script/style asked for directly (JSON-LD) give their text */
    if (x->type == XML_ELEMENT_NODE &&
        (!strcmp((const char *)x->name, "script") ||
         !strcmp((const char *)x->name, "style"))) {
        xmlChar *v = xmlNodeGetContent(x);
        if (v) {
            sbuf_adds(out, (const char *)v);
            xmlFree(v);
        }
        return;
    }
    text_rec(x->children, &(sink){out, NULL, NULL}, 0, 0);
}

/* ---- text blocks ---- */

/* A node as a key of the sets dom_set_outermost and dom_blocks keep (the
 * tree itself is not written to). */
static uint64_t key_of(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

typedef struct blocks {
    u64set whole; /* the elements that are one block each */
    u64set outer; /* their ancestors */
    sbuf run;     /* text of the block being read */
    sbuf plain;   /* the same without the text of links */
    sbuf links;   /* the text of its links, NUL between two */
    sink k;       /* the three */
    void (*emit)(void *, const char *, size_t, const char *, size_t,
                 const char *, size_t);
    void *arg;
} blocks;

static void flush(blocks *b)
{
    if (b->run.len)
        b->emit(b->arg, b->run.s, b->run.len, b->plain.s ? b->plain.s : "",
                b->plain.len, b->links.s ? b->links.s : "", b->links.len);
    sbuf_reset(&b->run);
    sbuf_reset(&b->plain);
    sbuf_reset(&b->links);
}

static int is_table_part(const char *name)
{
    return !strcmp(name, "table") || !strcmp(name, "thead") ||
           !strcmp(name, "tbody") || !strcmp(name, "tfoot") ||
           !strcmp(name, "tr");
}

/* 1 when s[0..n) holds more than white space (ASCII or no-break) */
static int has_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
            continue;
        if ((unsigned char)s[i] == 0xC2 && i + 1 < n &&
            (unsigned char)s[i + 1] == 0xA0) {
            i++;
            continue;
        }
        return 1;
    }
    return 0;
}

/* A table (or a part of one): a block a row, its non-empty cells joined
 * by " | "; a caption is a block of its own. */
static void table_rows(blocks *b, xmlNodePtr n, int depth)
{
    if (!strcmp((const char *)n->name, "tr")) {
        for (xmlNodePtr c = n->children; c; c = c->next) {
            sbuf cell = {0}, plain = {0}, links = {0};
            if (c->type != XML_ELEMENT_NODE || is_hidden((const char *)c->name))
                continue;
            text_rec(c->children, &(sink){&cell, &plain, &links}, 0, depth + 1);
            if (has_text(cell.s, cell.len)) {
                if (b->run.len) {
                    sbuf_adds(&b->run, " | ");
                    sbuf_adds(&b->plain, " | ");
                }
                sbuf_add(&b->run, cell.s, cell.len);
                sbuf_add(&b->plain, plain.s, plain.len);
                if (links.len) {
                    link_start(&b->k);
                    sbuf_add(&b->links, links.s, links.len);
                }
            }
            sbuf_free(&cell);
            sbuf_free(&plain);
            sbuf_free(&links);
        }
        flush(b);
        return;
    }
    for (xmlNodePtr c = n->children; c && depth < 256; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_table_part((const char *)c->name)) {
            table_rows(b, c, depth + 1);
        } else if (!is_hidden((const char *)c->name)) {
            text_rec(c->children, &b->k, 0, depth + 1); /* caption */
            flush(b);
        }
    }
}

/* in_link: n is inside a link, in the block being read.  A block inside
 * a link starts out of it: a link left open, which libxml2 stretches over
 * the paragraphs that follow, does not make them link text. */
static void blocks_rec(blocks *b, xmlNodePtr n, int depth, int in_link)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        const char *name;
        int block;
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                put(&b->k, in_link, (const char *)c->content);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || depth >= 256)
            continue;
        name = (const char *)c->name;
        if (is_hidden(name))
            continue;
        if (!strcmp(name, "br")) {
            put(&b->k, in_link, " ");
            continue;
        }
        if (is_table_part(name)) {
            flush(b);
            table_rows(b, c, depth + 1);
            continue;
        }
        if (u64set_has(&b->whole, key_of(c)) &&
            !u64set_has(&b->outer, key_of(c))) {
            flush(b);
            text_rec(c->children, &b->k, is_link(c), depth + 1);
            flush(b);
            continue;
        }
        block = is_block(name) || u64set_has(&b->whole, key_of(c));
        if (block)
            flush(b);
        if (is_link(c) && !(in_link && !block))
            link_start(&b->k);
        blocks_rec(b, c, depth + 1, (in_link && !block) || is_link(c));
        if (block)
            flush(b);
    }
}

void dom_blocks(const dom_node *n, const dom_set *whole,
                void (*emit)(void *arg, const char *s, size_t len,
                             const char *plain, size_t plain_len,
                             const char *links, size_t links_len),
                void *arg)
{
    blocks b = {{0}, {0}, {0}, {0}, {0}, {0}, emit, arg};
    if (!n || NODE(n)->type != XML_ELEMENT_NODE)
        return;
    b.k = (sink){&b.run, &b.plain, &b.links};
    for (size_t i = 0; i < whole->n; i++) {
        u64set_add(&b.whole, key_of(whole->v[i]));
        /* ancestors up to n, each once: linear in the tree */
        for (xmlNodePtr p = NODE(whole->v[i])->parent; p && p != NODE(n);
             p = p->parent)
            if (!u64set_add(&b.outer, key_of(p)))
                break;
    }
    if (is_table_part((const char *)NODE(n)->name))
        table_rows(&b, NODE(n), 0);
    else
        blocks_rec(&b, NODE(n), 0, 0);
    flush(&b);
    u64set_free(&b.whole);
    u64set_free(&b.outer);
    sbuf_free(&b.run);
    sbuf_free(&b.plain);
    sbuf_free(&b.links);
}

int dom_attr(const dom_node *n, const char *name, sbuf *out)
{
    xmlChar *v;
    if (!n || NODE(n)->type != XML_ELEMENT_NODE)
        return 0;
    v = xmlGetProp(NODE(n), (const xmlChar *)name);
    if (!v)
        return 0;
    sbuf_adds(out, (const char *)v);
    xmlFree(v);
    return 1;
}

int dom_is_ancestor(const dom_node *a, const dom_node *b)
{
    xmlNodePtr p = b ? NODE(b)->parent : NULL;
    for (int depth = 0; p && depth < 10000; depth++, p = p->parent)
        if (p == NODE(a))
            return 1;
    return 0;
}

/* Mark the set's nodes, then ask of each whether a proper ancestor is
 * marked.  The walk up stops at the first node already settled and
 * settles those it passed, so each node of the document is stepped to
 * about once: linear in the set and the tree, not in their product. */
size_t dom_set_outermost(dom_set *s)
{
    /* in: the set's nodes; known: nodes whose "under" is settled; under:
     * nodes that are, or have an ancestor, in the set; kept: set nodes
     * kept already (a later copy goes) */
    u64set in = {0}, known = {0}, under_set = {0}, kept = {0};
    xmlNodePtr *path = NULL;
    size_t k = 0, work = 0, pcap = 0;
    for (size_t i = 0; i < s->n; i++)
        u64set_add(&in, key_of(s->v[i]));
    for (size_t i = 0; i < s->n; i++) {
        xmlNodePtr p = NODE(s->v[i])->parent;
        size_t np = 0;
        int under = 0;
        for (; p; p = p->parent) {
            int is_in = u64set_has(&in, key_of(p));
            work++;
            if (is_in || u64set_has(&known, key_of(p))) {
                under = is_in || u64set_has(&under_set, key_of(p));
                break;
            }
            xgrow(&path, &pcap, np + 1, sizeof *path);
            path[np++] = p;
        }
        while (np) {
            uint64_t kp = key_of(path[--np]);
            u64set_add(&known, kp);
            if (under)
                u64set_add(&under_set, kp);
        }
        if (!under && u64set_add(&kept, key_of(s->v[i])))
            s->v[k++] = s->v[i];
    }
    s->n = k;
    free(path);
    u64set_free(&in);
    u64set_free(&known);
    u64set_free(&under_set);
    u64set_free(&kept);
    return work;
}

void dom_unlink(dom_node *n)
{
    if (!n || NODE(n)->type != XML_ELEMENT_NODE)
        return;
    xmlUnlinkNode(NODE(n));
    xmlFreeNode(NODE(n));
}

int dom_path_compile(const char *expr, dom_path **out, tt_err *e)
{
    xmlXPathCompExprPtr c;
    quiet_libxml();
    c = xmlXPathCompile((const xmlChar *)expr);
    *out = (dom_path *)c;
    if (!c)
        return tt_seterr(e, TT_EINVAL, "bad XPath expression: %s", expr);
    return TT_OK;
}

void dom_path_free(dom_path *p)
{
    if (p)
        xmlXPathFreeCompExpr((xmlXPathCompExprPtr)p);
}

size_t dom_eval(dom_doc *d, dom_node *ctx, const dom_path *p, dom_set *out)
{
    xmlXPathContextPtr xc;
    xmlXPathObjectPtr r;
    size_t added = 0;
    if (!d || !p)
        return 0;
    /* one context per document, made on first use (creating one per
     * evaluation showed in profiles) */
    xc = DOC(d)->_private;
    if (!xc) {
        xc = xmlXPathNewContext(DOC(d));
        if (!xc)
            return 0;
        DOC(d)->_private = xc;
    }
    xc->node = ctx ? NODE(ctx) : (xmlNodePtr)DOC(d);
    xc->contextSize = -1;
    xc->proximityPosition = -1;
    r = xmlXPathCompiledEval((xmlXPathCompExprPtr)p, xc);
    if (r && r->type == XPATH_NODESET && r->nodesetval) {
        xmlNodeSetPtr ns = r->nodesetval;
        for (int i = 0; i < ns->nodeNr; i++) {
            xmlNodePtr n = ns->nodeTab[i];
            if (n->type != XML_ELEMENT_NODE && n->type != XML_ATTRIBUTE_NODE &&
                n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE)
                continue;
            xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
            out->v[out->n++] = (dom_node *)n;
            added++;
        }
    }
    xmlXPathFreeObject(r);
    return added;
}

void dom_set_free(dom_set *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/* ---- CSS to XPath ---- */

static int name_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80;
}

/* An XPath string literal for (s, n). */
static int add_literal(sbuf *out, const char *s, size_t n)
{
    char q = memchr(s, '\'', n) ? '"' : '\'';
    if (q == '"' && memchr(s, '"', n))
        return -1;
    sbuf_addc(out, q);
    sbuf_add(out, s, n);
    sbuf_addc(out, q);
    return 0;
}

static int css_one(const char **pp, sbuf *out, tt_err *e)
{
    const char *p = *pp;
    int first = 1, rc = TT_OK;
    char comb = ' ';
    for (;;) {
        const char *s;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '>') {
            comb = '>';
            p++;
            while (*p == ' ' || *p == '\t')
                p++;
        }
        if (!*p || *p == ',' || *p == '@')
            break;
        sbuf_adds(out, first ? (comb == '>' ? "./" : ".//")
                             : (comb == '>' ? "/" : "//"));
        first = 0;
        comb = ' ';
        /* type selector */
        s = p;
        if (*p == '*') {
            p++;
            sbuf_addc(out, '*');
        } else if (name_char((unsigned char)*p)) {
            while (name_char((unsigned char)*p))
                p++;
            for (; s < p; s++)
                sbuf_addc(out, (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s));
        } else {
            sbuf_addc(out, '*');
        }
        /* qualifiers */
        for (;;) {
            if (*p == '.' || *p == '#') {
                char k = *p++;
                s = p;
                while (name_char((unsigned char)*p))
                    p++;
                if (p == s)
                    goto bad;
                if (k == '.') {
                    sbuf_adds(out, "[contains(concat(' ',normalize-space("
                                   "@class),' '),' ");
                    sbuf_add(out, s, (size_t)(p - s));
                    sbuf_adds(out, " ')]");
                } else {
                    sbuf_adds(out, "[@id=");
                    add_literal(out, s, (size_t)(p - s));
                    sbuf_addc(out, ']');
                }
            } else if (*p == '[') {
                const char *an, *v = NULL;
                size_t anl, vl = 0;
                char op = 0;
                p++;
                while (*p == ' ')
                    p++;
                an = p;
                while (name_char((unsigned char)*p))
                    p++;
                anl = (size_t)(p - an);
                if (!anl)
                    goto bad;
                while (*p == ' ')
                    p++;
                if (*p == '=') {
                    op = '=';
                    p++;
                } else if (strchr("~^$*", *p) && *p && p[1] == '=') {
                    op = *p;
                    p += 2;
                }
                if (op) {
                    while (*p == ' ')
                        p++;
                    if (*p == '"' || *p == '\'') {
                        char q = *p++;
                        v = p;
                        while (*p && *p != q)
                            p++;
                        if (!*p)
                            goto bad;
                        vl = (size_t)(p - v);
                        p++;
                    } else {
                        v = p;
                        while (*p && *p != ']' && *p != ' ')
                            p++;
                        vl = (size_t)(p - v);
                    }
                    while (*p == ' ')
                        p++;
                }
                if (*p != ']')
                    goto bad;
                p++;
                sbuf_addc(out, '[');
                switch (op) {
                case 0:
                    sbuf_addc(out, '@');
                    sbuf_add(out, an, anl);
                    break;
                case '=':
                    sbuf_addc(out, '@');
                    sbuf_add(out, an, anl);
                    sbuf_addc(out, '=');
                    if (add_literal(out, v, vl))
                        goto bad;
                    break;
                case '~':
                    sbuf_adds(out, "contains(concat(' ',normalize-space(@");
                    sbuf_add(out, an, anl);
                    sbuf_adds(out, "),' '),concat(' ',");
                    if (add_literal(out, v, vl))
                        goto bad;
                    sbuf_adds(out, ",' '))");
                    break;
                case '^':
                    sbuf_adds(out, "starts-with(@");
                    sbuf_add(out, an, anl);
                    sbuf_addc(out, ',');
                    if (add_literal(out, v, vl))
                        goto bad;
                    sbuf_addc(out, ')');
                    break;
                case '*':
                    sbuf_adds(out, "contains(@");
                    sbuf_add(out, an, anl);
                    sbuf_addc(out, ',');
                    if (add_literal(out, v, vl))
                        goto bad;
                    sbuf_addc(out, ')');
                    break;
                case '$':
                    sbuf_adds(out, "substring(@");
                    sbuf_add(out, an, anl);
                    sbuf_adds(out, ",string-length(@");
                    sbuf_add(out, an, anl);
                    sbuf_addf(out, ")-%zu)=", vl > 0 ? vl - 1 : 0);
                    if (add_literal(out, v, vl))
                        goto bad;
                    break;
                }
                sbuf_addc(out, ']');
            } else {
                break;
            }
        }
        if (*p && *p != ' ' && *p != '\t' && *p != '>' && *p != ',' &&
            *p != '@')
            goto bad;
    }
    if (first)
        goto bad;
    while (*p == ' ')
        p++;
    if (*p == '@') {
        const char *s = ++p;
        while (name_char((unsigned char)*p))
            p++;
        if (p == s)
            goto bad;
        sbuf_adds(out, "/@");
        sbuf_add(out, s, (size_t)(p - s));
        while (*p == ' ')
            p++;
    }
    if (*p && *p != ',')
        goto bad;
    *pp = p;
    return rc;
bad:
    return tt_seterr(e, TT_EINVAL, "unsupported CSS selector near \"%.40s\"",
                     p);
}

int dom_css_to_xpath(const char *css, sbuf *out, tt_err *e)
{
    const char *p = css;
    size_t start = out->len;
    int rc;
    for (;;) {
        if ((rc = css_one(&p, out, e)) != TT_OK) {
            out->len = start;
            if (out->s)
                out->s[start] = '\0';
            return rc;
        }
        if (*p != ',')
            break;
        p++;
        sbuf_adds(out, " | ");
    }
    return TT_OK;
}
