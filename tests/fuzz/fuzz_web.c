/* fuzz_web.c — the search page, request to response, on a db of the
 * sample articles: the query string (GET, HEAD) or the form (POST) is the
 * input after its first byte, which picks the method (bits 0-1) and
 * whether the input starts with a Host header line (bit 2).  Every answer
 * is a status the page documents, with headers ending in an empty line;
 * JSON is valid JSON, RSS and OpenSearch well-formed XML, and an HTML page,
 * parsed as a browser would (libxml2's HTML parser, crawler/dom.h), holds
 * only the elements and attributes web/page.c writes, each where it writes
 * it, and links to nothing but its own pages (?…) and articles (http[s]:):
 * a name from anywhere else came from the input, a value left unescaped
 * (the seeds put "<fuzz", "\" onclick=" and the like in the input). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dom.h"
#include "fuzz.h"
#include "json.h"
#include "sample_db.h"
#include "tmp.h"
#include "web.h"

static char dir[TMP_PATH_MAX];
static web *w;
static dom_path *all_elements, *attributes;

/* Each element web/page.c writes (and the snippets' mark), then the
 * attributes it gives it. */
static const char *const vocabulary[] = {
    "html lang", "head", "meta charset name content", "title",
    "link rel type title href", "style", "body", "header class",
    "div class", "a class href rel title aria-label",
    "form class method role aria-labelledby", "label class for",
    "input id name type value maxlength placeholder autocomplete min max",
    "button type", "footer", "main class", "h1 class", "h2 id", "p class",
    "ul class aria-label", "ol class start", "li class", "section class "
    "aria-labelledby", "aside class aria-label", "nav class aria-label",
    "span class", "strong aria-current", "time datetime", "mark", NULL};

/* The attributes vocabulary allows elem, or NULL when elem is not in it. */
static const char *allowed(const char *elem)
{
    size_t n = strlen(elem);
    for (const char *const *v = vocabulary; *v; v++)
        if (!strncmp(*v, elem, n) && ((*v)[n] == ' ' || !(*v)[n]))
            return *v + n;
    return NULL;
}

static int has_word(const char *words, const char *word)
{
    size_t n = strlen(word);
    if (!n)
        return 0;
    for (const char *p = words; (p = strstr(p, word)); p += n)
        if (p[-1] == ' ' && (p[n] == ' ' || !p[n]))
            return 1;
    return 0;
}

/* What the input could have injected into a page: elements or attributes
 * the page does not write there, a link elsewhere. */
static void check_html(const char *s, size_t n)
{
    dom_doc *d = NULL;
    dom_set els = {0}, as = {0};
    sbuf v = {0};
    tt_err e;
    if (dom_parse_html(s, n, NULL, &d, &e) != TT_OK)
        fuzz_fail("an HTML page that does not parse");
    dom_eval(d, NULL, all_elements, &els);
    for (size_t i = 0; i < els.n; i++) {
        const char *name = dom_name(els.v[i]), *attrs = allowed(name);
        if (!attrs) {
            fprintf(stderr, "fuzz: element <%s>\n", name);
            fuzz_fail("an HTML page holds an element web/page.c never writes");
        }
        as.n = 0;
        dom_eval(d, els.v[i], attributes, &as);
        for (size_t j = 0; j < as.n; j++) {
            const char *a = dom_name(as.v[j]);
            if (!has_word(attrs, a)) {
                fprintf(stderr, "fuzz: <%s %s>\n", name, a);
                fuzz_fail(!strncasecmp(a, "on", 2)
                              ? "an HTML page holds an event handler"
                              : "an HTML element holds an attribute "
                                "web/page.c never gives it");
            }
            if (strcmp(a, "href"))
                continue;
            sbuf_reset(&v);
            dom_text(as.v[j], &v);
            sbuf_add(&v, "", 0);
            if (v.s[0] != '?' && strncmp(v.s, "http://", 7) &&
                strncmp(v.s, "https://", 8)) {
                fprintf(stderr, "fuzz: href=\"%s\"\n", v.s);
                fuzz_fail("an HTML page links elsewhere than its own pages "
                          "and articles");
            }
        }
    }
    sbuf_free(&v);
    dom_set_free(&as);
    dom_set_free(&els);
    dom_free(d);
}

static void cleanup(void)
{
    web_free(w);
    dom_path_free(all_elements);
    dom_path_free(attributes);
    *strrchr(dir, '/') = '\0';
    tt_rmtree(dir, NULL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tt_err e;
    const char *top = getenv("TT_TOP") ? getenv("TT_TOP") : ".";
    (void)argc;
    (void)argv;
    tmp_path(dir, sizeof dir, "tt-fuzz-XXXXXX");
    if (sample_db(top, dir, NULL, NULL, &e) != TT_OK)
        fuzz_fail(e.msg);
    w = web_new(NULL, dir, &e);
    if (e.code != TT_OK)
        fuzz_fail(e.msg);
    if (dom_path_compile("//*", &all_elements, &e) != TT_OK ||
        dom_path_compile("@*", &attributes, &e) != TT_OK)
        fuzz_fail(e.msg);
    atexit(cleanup);
    return 0;
}

typedef struct body {
    const char *s;
    size_t n, at;
} body;

static size_t read_body(void *ctx, char *buf, size_t n)
{
    body *b = ctx;
    if (n > b->n - b->at)
        n = b->n - b->at;
    memcpy(buf, b->s + b->at, n);
    b->at += n;
    return n;
}

/* The body is what its Content-Type says. */
static void check_body(const web_response *out)
{
    const char *type = strstr(out->head.s, "Content-Type: ");
    tt_err e;
    if (!type)
        fuzz_fail("a body without a Content-Type");
    type += strlen("Content-Type: ");
    if (!strncmp(type, "application/json", 16)) {
        js_value *v = NULL;
        if (js_parse(out->body.s, out->body.len, &v, &e) != TT_OK)
            fuzz_fail("JSON output that does not parse");
        js_free(v);
    } else if (!strncmp(type, "application/rss+xml", 19) ||
               !strncmp(type, "application/opensearchdescription+xml", 37)) {
        dom_doc *d = NULL;
        if (dom_parse_xml(out->body.s, out->body.len, &d, &e) != TT_OK)
            fuzz_fail("XML output that is not well-formed");
        dom_free(d);
    } else if (!strncmp(type, "text/html", 9)) {
        check_html(out->body.s, out->body.len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    web_request r = {0};
    web_response out;
    char clen[32];
    if (!size)
        return 0;
    char *all = fuzz_str(data + 1, size - 1), *rest = all, *host = NULL;
    if (data[0] & 4) { /* "HOST\nQUERY" */
        char *nl = strchr(all, '\n');
        if (nl) {
            *nl = '\0';
            host = all;
            rest = nl + 1;
        }
    }
    body b = {rest, strlen(rest), 0};
    r.http_host = host ? host : "localhost";
    r.server_name = "localhost";
    r.server_port = "80";
    r.script_name = "/cgi-bin/timtin.cgi";
    switch ((data[0] & 3) % 3) {
    case 0:
        r.cgi.method = "GET";
        r.cgi.query_string = rest;
        break;
    case 1:
        r.cgi.method = "HEAD";
        r.cgi.query_string = rest;
        break;
    default:
        snprintf(clen, sizeof clen, "%zu", b.n);
        r.cgi.method = "POST";
        r.cgi.query_string = "";
        r.cgi.content_type = "application/x-www-form-urlencoded";
        r.cgi.content_length = clen;
        r.cgi.read = read_body;
        r.cgi.ctx = &b;
        break;
    }
    web_handle(w, &r, &out);
    if (out.status < 200 || out.status > 599)
        fuzz_fail("a status out of range");
    if (out.head.len < 4 || !out.head.s ||
        strcmp(out.head.s + out.head.len - 4, "\r\n\r\n") != 0)
        fuzz_fail("headers not ended by an empty line");
    if (out.body.len)
        check_body(&out);
    web_response_free(&out);
    free(all);
    return 0;
}
