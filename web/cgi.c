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

int cgi_decode(const char *s, size_t n, sbuf *out)
{
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '+')
            sbuf_addc(out, ' ');
        else if (s[i] == '%' && i + 2 < n && (hi = tt_hexval(s[i + 1])) >= 0 &&
                 (lo = tt_hexval(s[i + 2])) >= 0) {
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

static const char hex[] = "0123456789ABCDEF";

void cgi_url_encode(sbuf *out, const char *s, size_t n)
{
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

void cgi_url_ascii(sbuf *out, const char *u)
{
    for (; u && *u; u++) {
        unsigned char c = (unsigned char)*u;
        if (c < 0x80) {
            sbuf_addc(out, (char)c);
        } else {
            char b[3] = {'%', hex[c >> 4], hex[c & 15]};
            sbuf_add(out, b, 3);
        }
    }
}

int cgi_blank(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += uni_decode(s + i, n - i, &cp);
        if (uni_class(cp) != UNI_SPACE && uni_class(cp) != UNI_CONTROL)
            return 0;
    }
    return 1;
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

/* The parameters, in the order their refusals are reported. */
enum { P_Q, P_PAGE, P_SORT, P_FORMAT, P_FROM, P_TO, P_SECTION, P_RELATED };
static const char *const names[CGI_NPARAMS] = {
    "q", "page", "sort", "format", "from", "to", "section", "related"};
/* why a parameter's last value was refused (cgi_params.bad) */
enum { BAD_NONE, BAD_UTF8, BAD_LONG, BAD_VALUE };

/* The k whose name(k) is v, k < n; 0 (the default) for "", -1 for none. */
static int choice(const char *v, const char *(*name)(int), int n)
{
    if (!*v)
        return 0;
    for (int k = 0; k < n; k++)
        if (!strcmp(v, name(k)))
            return k;
    return -1;
}

/* The most bytes parameter i takes. */
static size_t cap(int i)
{
    return i == P_Q         ? CGI_MAX_Q
           : i == P_RELATED ? CGI_MAX_ID
           : i == P_SECTION ? CGI_MAX_SECTION
                            : CGI_MAX_VALUE;
}

/* Set parameter i of p to v; BAD_NONE, or why v is refused (p unchanged).
 * v is UTF-8 (cgi_decode). */
static int set_param(cgi_params *p, int i, const char *v, uint32_t max_page)
{
    size_t n = strlen(v);
    uint64_t page;
    int k;
    if (n > cap(i))
        return BAD_LONG;
    switch (i) {
    case P_Q:
        free(p->q);
        p->q = xstrdup(v);
        break;
    case P_PAGE:
        if (!*v)
            page = 1;
        else if (tt_parse_u64(v, max_page, &page) || page == 0)
            return BAD_VALUE;
        p->page = (uint32_t)page;
        break;
    case P_SORT:
        if ((k = choice(v, cgi_sort_name, CGI_SORT_RECENT + 1)) < 0)
            return BAD_VALUE;
        p->sort = k;
        break;
    case P_FORMAT:
        if ((k = choice(v, cgi_format_name, CGI_OPENSEARCH + 1)) < 0)
            return BAD_VALUE;
        p->format = k;
        break;
    case P_FROM:
    case P_TO:
        if (*v && !date_ok(v))
            return BAD_VALUE;
        set_opt(i == P_FROM ? &p->from : &p->to, v);
        break;
    case P_SECTION: /* a blank one is none, as a blank q */
        set_opt(&p->section, cgi_blank(v) ? "" : v);
        break;
    default: /* P_RELATED: any id the corpus takes */
        set_opt(&p->related, v);
    }
    return BAD_NONE;
}

/* 0 when the last value of every parameter of p was accepted, else 400
 * with the reason of the first refused. */
static int verdict(const cgi_params *p, uint32_t max_page, tt_err *e)
{
    static const char *const bad_value[CGI_NPARAMS] = {
        [P_SORT] = "Cách sắp xếp phải là relevance, date hoặc recent.",
        [P_FORMAT] = "Định dạng phải là html, json, rss hoặc opensearch.",
        [P_FROM] = "Ngày không hợp lệ: dùng dạng NNNN-TT-NN, ví dụ "
                   "2024-09-30.",
        [P_TO] = "Ngày không hợp lệ: dùng dạng NNNN-TT-NN, ví dụ 2024-09-30."};
    for (int i = 0; i < CGI_NPARAMS; i++) {
        /* a feed has no pages, and no order but the newest first:
         * whatever page= and sort= say is ignored */
        if ((i == P_PAGE || i == P_SORT) && p->format == CGI_RSS &&
            p->bad[i] != BAD_UTF8)
            continue;
        switch (p->bad[i]) {
        case BAD_UTF8:
            return tt_seterr(e, 400, "Yêu cầu có ký tự không đọc được "
                                     "(không phải UTF-8).");
        case BAD_LONG:
            if (i == P_Q)
                return tt_seterr(e, 400, "Câu tìm kiếm quá dài (tối đa %d "
                                         "byte).", CGI_MAX_Q);
            return tt_seterr(e, 400, "Tham số %s quá dài.", names[i]);
        case BAD_VALUE:
            if (i == P_PAGE)
                return tt_seterr(e, 400, "Số trang phải là một số từ 1 đến "
                                         "%u.", (unsigned)max_page);
            return tt_seterr(e, 400, "%s", bad_value[i]);
        }
    }
    return 0;
}

/* One "name=value" pair of s[0..n) into p.  An unknown name is ignored,
 * whatever its bytes; a known one's value replaces the previous value, or
 * its refusal, and is refused in turn when it is bad (p->bad).  only >= 0:
 * every name but names[only] is ignored. */
static void parse_pair(cgi_params *p, const char *s, size_t n,
                       uint32_t max_page, int only)
{
    sbuf k = {0}, v = {0};
    const char *eq = memchr(s, '=', n);
    size_t kn = eq ? (size_t)(eq - s) : n;
    int i = 0;

    if (cgi_decode(s, kn, &k))
        goto done;
    while (i < CGI_NPARAMS && strcmp(k.s, names[i]))
        i++;
    if (i == CGI_NPARAMS || (only >= 0 && i != only))
        goto done;
    if (cgi_decode(eq ? eq + 1 : s + n, eq ? n - kn - 1 : 0, &v))
        p->bad[i] = BAD_UTF8;
    else
        p->bad[i] = (unsigned char)set_param(p, i, v.s, max_page);
done:
    sbuf_free(&k);
    sbuf_free(&v);
}

/* The '&'-separated pairs of s[0..n) into p, as parse_pair. */
static void parse_pairs(cgi_params *p, const char *s, size_t n,
                        uint32_t max_page, int only)
{
    while (n > 0) {
        const char *amp = memchr(s, '&', n);
        size_t len = amp ? (size_t)(amp - s) : n;
        if (len)
            parse_pair(p, s, len, max_page, only);
        if (!amp)
            break;
        s += len + 1;
        n -= len + 1;
    }
}

int cgi_parse_form(cgi_params *p, const char *s, size_t n, uint32_t max_page,
                   tt_err *e)
{
    parse_pairs(p, s, n, max_page, -1);
    return verdict(p, max_page, e);
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
    if (strlen(qs) > CGI_MAX_QUERY_STRING) {
        /* its format alone (a linear scan): the error's */
        parse_pairs(p, qs, strlen(qs), max_page, P_FORMAT);
        return tt_seterr(e, 414, "Địa chỉ yêu cầu quá dài.");
    }
    /* read whole before any refusal: the format it asks is the error's */
    rc = cgi_parse_form(p, qs, strlen(qs), max_page, e);
    if (strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "POST"))
        return tt_seterr(e, 405, "Phương thức không được hỗ trợ.");
    if (!strcmp(m, "POST"))
        rc = read_body(r, max_page, p, e); /* its values come later */
    if (rc)
        return rc;
    if (p->from && p->to && date_parse_query(p->from, 0, &a) == 0 &&
        date_parse_query(p->to, 1, &b) == 0 && a > b) {
        char *t = p->from;
        if (p->format != CGI_HTML)
            return tt_seterr(e, 400, "Ngày bắt đầu đứng sau ngày kết thúc.");
        /* the start of the earlier to the end of the later from */
        p->from = p->to;
        p->to = t;
        p->swapped = 1;
    }
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
    static const char *const sorts[] = {"relevance", "date", "recent"};
    return sorts[sort >= CGI_SORT_RELEVANCE && sort <= CGI_SORT_RECENT
                     ? sort
                     : CGI_SORT_RELEVANCE];
}

const char *cgi_format_name(int format)
{
    static const char *const formats[] = {"html", "json", "rss",
                                          "opensearch"};
    return formats[format >= CGI_HTML && format <= CGI_OPENSEARCH ? format
                                                                  : CGI_HTML];
}

void cgi_link(const cgi_params *p, sbuf *out)
{
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
        add_param(out, &first, "format", cgi_format_name(p->format));
    if (first)
        sbuf_addc(out, '?'); /* the page with no parameters */
}

/* v would come back from a link as it is: UTF-8, at most max bytes, and
 * (ctrl) no control character. */
static int linkable(const char *v, size_t max, int ctrl)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0 || n > max || !uni_valid(v, n))
        return 0;
    for (size_t i = 0; ctrl && i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
            return 0;
    return 1;
}

int cgi_id_linkable(const char *id)
{
    return linkable(id, CGI_MAX_ID, 1);
}

int cgi_section_linkable(const char *name)
{
    return linkable(name, CGI_MAX_SECTION, 0);
}

