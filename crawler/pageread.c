/* pageread.c — see pageread.h. */
#include "pageread.h"

#include <string.h>
#include <strings.h>

#include "charset.h"
#include "extract.h"

int pageread_block(const char *b, size_t n, const char *name, sbuf *value,
                   const char **body, size_t *body_len)
{
    const char *end = b + n, *line = b;
    size_t k = name ? strlen(name) : 0;
    if (value)
        sbuf_reset(value);
    if (n < 5 || memcmp(b, "HTTP/", 5) != 0)
        return -1;
    for (int first = 1;; first = 0) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        const char *v, *ve;
        size_t len;
        if (!eol)
            return -1; /* no blank line: no body */
        len = (size_t)(eol - line);
        if (len && line[len - 1] == '\r')
            len--;
        if (len == 0) {
            if (body) {
                *body = eol + 1;
                *body_len = (size_t)(end - *body);
            }
            return 0;
        }
        if (!first && name && len > k && line[k] == ':' &&
            !strncasecmp(line, name, k)) {
            for (v = line + k + 1, ve = line + len; v < ve &&
                 (*v == ' ' || *v == '\t'); v++)
                ;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            sbuf_reset(value);
            for (const char *q = v; q < ve; q++)
                if ((unsigned char)*q < 0x20 || *q == 0x7f)
                    ve = v; /* none fit to send back */
            sbuf_add(value, v, (size_t)(ve - v));
        }
        line = eol + 1;
    }
}

/* Does the text start the way an HTML page does (a tag of one in its
 * first 2 KiB)? */
static int looks_html(const char *b, size_t n)
{
    static const char *const marks[] = {"<html", "<!doctype html", "<head",
                                        "<body", "<meta", "<div", "<p>",
                                        NULL};
    size_t lim = n < 2048 ? n : 2048;
    for (size_t i = 0; i < lim; i++) {
        if (b[i] != '<')
            continue;
        for (const char *const *m = marks; *m; m++) {
            size_t k = strlen(*m);
            if (i + k <= n && !strncasecmp(b + i, *m, k))
                return 1;
        }
    }
    return 0;
}

int pageread_html(const char *content_type, const char *body, size_t n,
                  const char *url, dom_doc **out, tt_err *e)
{
    sbuf utf8 = {0};
    char label[CS_MAX_LABEL];
    int rc;
    *out = NULL;
    /* sniffed after the conversion: a UTF-16 page's markup is not ASCII
     * before it */
    cs_detect(content_type, body, n, label);
    if (cs_to_utf8(label, body, n, &utf8, NULL) != TT_OK)
        cs_to_utf8("utf-8", body, n, &utf8, NULL);
    if (!looks_html(utf8.s, utf8.len))
        rc = tt_seterr(e, TT_ENOTFOUND, "not HTML (Content-Type: %s)",
                       content_type ? content_type : "none");
    else
        rc = dom_parse_html(utf8.s, utf8.len, url, out, e);
    sbuf_free(&utf8);
    return rc;
}

int pageread_article(const profile *p, dom_doc *d, const char *url,
                     int64_t fetched, strlist *notes, article *a,
                     tt_err *e)
{
    extract_page pg = {url, fetched, notes};
    int rc = extract_article_page(profile_rules(p), d, &pg, a, e);
    if (rc == TT_OK) {
        a->url = url ? xstrdup(url) : NULL;
        a->source = xstrdup(profile_name(p));
    }
    return rc;
}
