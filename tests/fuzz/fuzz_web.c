/* fuzz_web.c — the search page, request to response, on a db of the
 * sample articles: the query string (GET, HEAD) or the form (POST) is the
 * input after its first byte, which picks the method (bits 0-1) and
 * whether the input starts with a Host header line (bit 2).  Every answer
 * is a status the page documents, with headers ending in an empty line;
 * JSON is valid JSON, RSS and OpenSearch well-formed XML, and no HTML
 * page holds "<fuzz" (the seeds put it in the input: only a value left
 * unescaped would bring it through). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dom.h"
#include "fuzz.h"
#include "json.h"
#include "sample_db.h"
#include "tmp.h"
#include "web.h"

static char dir[TMP_PATH_MAX];
static web *w;

static void cleanup(void)
{
    web_free(w);
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
        if (memmem(out->body.s, out->body.len, "<fuzz", 5))
            fuzz_fail("a value reached the HTML unescaped");
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
