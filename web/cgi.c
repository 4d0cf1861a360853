/* cgi.c — see cgi.h.
 *
 * Decoding follows the WHATWG application/x-www-form-urlencoded parser:
 * pairs split at '&', '+' is a space, %XX is a byte and a malformed '%'
 * stays literal (a typed "100%" still searches).  Unlike WHATWG, bytes that
 * are not UTF-8 are refused rather than replaced: a query sent in a legacy
 * encoding would otherwise search for garbage without saying so.
 */
#include "cgi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "unicode.h"

void cgi_params_init(cgi_params *p)
{
    memset(p, 0, sizeof *p);
    p->q = xstrdup("");
    p->page = 1;
}

void cgi_params_free(cgi_params *p)
{
    if (!p)
        return;
    free(p->q);
    free(p->section);
    free(p->from);
    free(p->to);
    free(p->related);
    memset(p, 0, sizeof *p);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int cgi_decode(const char *s, size_t n, sbuf *out)
{
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '+')
            sbuf_addc(out, ' ');
        else if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
                 (lo = hexval(s[i + 2])) >= 0) {
            sbuf_addc(out, (char)(hi << 4 | lo));
            i += 2;
        } else
            sbuf_addc(out, s[i]);
    }
    if (!out->s)
        sbuf_add(out, "", 0);
    char *d = out->s + start;
    size_t len = out->len - start;
    if (memchr(d, '\0', len) || !uni_valid(d, len))
        return -1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)d[i] < 0x20 || d[i] == 0x7f)
            d[i] = ' ';
    return 0;
}

void cgi_url_encode(sbuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            sbuf_addc(out, (char)c);
        } else if (c == ' ') {
            sbuf_addc(out, '+');
        } else {
            char b[3] = {'%', hex[c >> 4], hex[c & 15]};
            sbuf_add(out, b, 3);
        }
    }
}

/* Replace *dst by v, or by NULL when v is empty. */
static void set_opt(char **dst, const char *v)
{
    free(*dst);
    *dst = *v ? xstrdup(v) : NULL;
}

/* A date as the date inputs send it, or a year or month: YYYY[-MM[-DD]]. */
static int date_ok(const char *v)
{
    int64_t t;
    size_t n = strlen(v);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i == 4 || i == 7 ? v[i] != '-' : (v[i] < '0' || v[i] > '9'))
            return 0;
    return date_parse_query(v, 0, &t) == 0;
}

/* An article id: printable ASCII without spaces or quotes. */
static int id_ok(const char *v)
{
    for (; *v; v++)
        if (*v <= ' ' || *v >= 0x7f || *v == '"' || *v == '\'')
            return 0;
    return 1;
}

static int set_param(cgi_params *p, const char *k, const char *v,
                     uint32_t max_page, tt_err *e)
{
    size_t n = strlen(v);
    uint64_t page;
    if (!strcmp(k, "q")) {
        if (n > CGI_MAX_Q)
            return tt_seterr(e, 400, "Câu tìm kiếm quá dài (tối đa %d byte).",
                             CGI_MAX_Q);
        free(p->q);
        p->q = xstrdup(v);
        return 0;
    }
    if (n > CGI_MAX_VALUE)
        return tt_seterr(e, 400, "Tham số %s quá dài.", k);
    if (!strcmp(k, "page")) {
        if (!*v)
            page = 1;
        else if (tt_parse_u64(v, max_page, &page) || page == 0)
            return tt_seterr(e, 400, "Số trang phải là một số từ 1 đến %u.",
                             (unsigned)max_page);
        p->page = (uint32_t)page;
    } else if (!strcmp(k, "sort")) {
        int i = CGI_SORT_RELEVANCE;
        while (i <= CGI_SORT_RECENT && strcmp(v, cgi_sort_name(i)))
            i++;
        if (i > CGI_SORT_RECENT && *v)
            return tt_seterr(e, 400, "Cách sắp xếp phải là relevance, date "
                                     "hoặc recent.");
        p->sort = i > CGI_SORT_RECENT ? CGI_SORT_RELEVANCE : i;
    } else if (!strcmp(k, "format")) {
        static const char *const names[] = {"html", "json", "rss",
                                            "opensearch"};
        size_t i = 0;
        while (i < 4 && strcmp(v, names[i]))
            i++;
        if (i == 4 && *v)
            return tt_seterr(e, 400, "Định dạng phải là html, json, rss "
                                     "hoặc opensearch.");
        p->format = i == 4 ? CGI_HTML : (int)i;
    } else if (!strcmp(k, "from") || !strcmp(k, "to")) {
        if (*v && !date_ok(v))
            return tt_seterr(e, 400, "Ngày không hợp lệ: dùng dạng "
                                     "NNNN-TT-NN, ví dụ 2024-09-30.");
        set_opt(k[0] == 'f' ? &p->from : &p->to, v);
    } else if (!strcmp(k, "section")) {
        set_opt(&p->section, v);
    } else if (!strcmp(k, "related")) {
        if (!id_ok(v))
            return tt_seterr(e, 400, "Mã bài viết không hợp lệ.");
        set_opt(&p->related, v);
    }
    return 0;
}

int cgi_parse_pair(cgi_params *p, const char *s, size_t n, uint32_t max_page,
                   tt_err *e)
{
    sbuf k = {0}, v = {0};
    const char *eq = memchr(s, '=', n);
    size_t kn = eq ? (size_t)(eq - s) : n;
    int rc = 0;

    if (kn == 0 && n == 0)
        goto done;
    if (cgi_decode(s, kn, &k) ||
        cgi_decode(eq ? eq + 1 : s + n, eq ? n - kn - 1 : 0, &v)) {
        rc = tt_seterr(e, 400, "Yêu cầu có ký tự không đọc được (không phải "
                               "UTF-8).");
        goto done;
    }
    rc = set_param(p, k.s, v.s, max_page, e);
done:
    sbuf_free(&k);
    sbuf_free(&v);
    return rc;
}

int cgi_parse_form(cgi_params *p, const char *s, size_t n, uint32_t max_page,
                   tt_err *e)
{
    while (n > 0) {
        const char *amp = memchr(s, '&', n);
        size_t len = amp ? (size_t)(amp - s) : n;
        int rc = cgi_parse_pair(p, s, len, max_page, e);
        if (rc)
            return rc;
        if (!amp)
            break;
        s += len + 1;
        n -= len + 1;
    }
    return 0;
}

/* The media type of a Content-Type value, without parameters, is t. */
static int media_is(const char *ct, const char *t)
{
    size_t n = strlen(t);
    if (!ct || strncasecmp(ct, t, n))
        return 0;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

static int read_body(const cgi_request *r, uint32_t max_page, cgi_params *p,
                     tt_err *e)
{
    uint64_t len;
    size_t got = 0, k;
    char *buf;
    int rc;

    if (!r->content_length || !*r->content_length)
        return tt_seterr(e, 411, "Thiếu độ dài nội dung (Content-Length).");
    if (tt_parse_u64(r->content_length, UINT64_MAX / 2, &len))
        return tt_seterr(e, 400, "Độ dài nội dung không hợp lệ.");
    if (len > CGI_MAX_BODY)
        return tt_seterr(e, 413, "Nội dung gửi lên quá lớn (tối đa %d byte).",
                         CGI_MAX_BODY);
    if (len && !media_is(r->content_type,
                         "application/x-www-form-urlencoded"))
        return tt_seterr(e, 415, "Chỉ nhận biểu mẫu dạng application/"
                                 "x-www-form-urlencoded.");
    buf = xmalloc(len + 1);
    while (got < len && r->read &&
           (k = r->read(r->ctx, buf + got, (size_t)len - got)) > 0)
        got += k;
    rc = got < len ? tt_seterr(e, 400, "Nội dung gửi lên bị thiếu.")
                   : cgi_parse_form(p, buf, got, max_page, e);
    free(buf);
    return rc;
}

int cgi_read(const cgi_request *r, uint32_t max_page, cgi_params *p,
             tt_err *e)
{
    const char *m = r->method ? r->method : "GET";
    const char *qs = r->query_string ? r->query_string : "";
    int64_t a, b;
    int rc;

    cgi_params_init(p);
    if (strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "POST"))
        return tt_seterr(e, 405, "Phương thức không được hỗ trợ.");
    if (strlen(qs) > CGI_MAX_QUERY_STRING)
        return tt_seterr(e, 414, "Địa chỉ yêu cầu quá dài.");
    if ((rc = cgi_parse_form(p, qs, strlen(qs), max_page, e)))
        return rc;
    if (!strcmp(m, "POST") && (rc = read_body(r, max_page, p, e)))
        return rc;
    if (p->from && p->to && date_parse_query(p->from, 0, &a) == 0 &&
        date_parse_query(p->to, 1, &b) == 0 && a > b)
        return tt_seterr(e, 400, "Ngày bắt đầu đứng sau ngày kết thúc.");
    return 0;
}

static void add_param(sbuf *out, int *first, const char *k, const char *v)
{
    sbuf_addc(out, *first ? '?' : '&');
    *first = 0;
    sbuf_adds(out, k);
    sbuf_addc(out, '=');
    cgi_url_encode(out, v, strlen(v));
}

const char *cgi_sort_name(int sort)
{
    static const char *const names[] = {"relevance", "date", "recent"};
    return names[sort >= CGI_SORT_RELEVANCE && sort <= CGI_SORT_RECENT
                     ? sort
                     : CGI_SORT_RELEVANCE];
}

void cgi_link(const cgi_params *p, sbuf *out)
{
    static const char *const formats[] = {"html", "json", "rss",
                                          "opensearch"};
    int first = 1;
    if (p->q && *p->q)
        add_param(out, &first, "q", p->q);
    if (p->related)
        add_param(out, &first, "related", p->related);
    if (p->section)
        add_param(out, &first, "section", p->section);
    if (p->from)
        add_param(out, &first, "from", p->from);
    if (p->to)
        add_param(out, &first, "to", p->to);
    if (p->sort != CGI_SORT_RELEVANCE)
        add_param(out, &first, "sort", cgi_sort_name(p->sort));
    if (p->page > 1) {
        char n[16];
        snprintf(n, sizeof n, "%u", (unsigned)p->page);
        add_param(out, &first, "page", n);
    }
    if (p->format != CGI_HTML)
        add_param(out, &first, "format", formats[p->format]);
    if (first)
        sbuf_addc(out, '?'); /* the page with no parameters */
}

int cgi_web_url(const char *u)
{
    if (!u || (strncasecmp(u, "http://", 7) && strncasecmp(u, "https://", 8)))
        return 0;
    for (; *u; u++)
        if ((unsigned char)*u <= ' ' || *u == 0x7f)
            return 0;
    return 1;
}
