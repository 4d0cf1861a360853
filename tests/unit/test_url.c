/* test_url.c — URL normalisation and resolution (crawler/url.h). */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "url.h"

static char *norm(const char *s)
{
    static char buf[URL_MAX + 1];
    sbuf b = {0};
    if (url_normalize(s, strlen(s), NULL, &b) != TT_OK) {
        sbuf_free(&b);
        return NULL;
    }
    snprintf(buf, sizeof buf, "%s", b.s);
    sbuf_free(&b);
    return buf;
}

static char *res(const char *base, const char *ref)
{
    static char buf[URL_MAX + 1];
    sbuf b = {0};
    if (url_resolve(base, ref, strlen(ref), NULL, &b) != TT_OK) {
        sbuf_free(&b);
        return NULL;
    }
    snprintf(buf, sizeof buf, "%s", b.s);
    sbuf_free(&b);
    return buf;
}

static void test_case_and_port(void)
{
    T_EQ_STR(norm("HTTP://TuoiTre.VN:80/Thoi-Su.htm"), "http://tuoitre.vn/Thoi-Su.htm");
    T_EQ_STR(norm("https://tuoitre.vn:443/a"), "https://tuoitre.vn/a");
    T_EQ_STR(norm("https://tuoitre.vn:8443/a"), "https://tuoitre.vn:8443/a");
    T_EQ_STR(norm("http://127.0.0.1:8080"), "http://127.0.0.1:8080/");
    T_EQ_STR(norm("http://user:pw@example.com/x"), "http://example.com/x");
    T_EQ_STR(norm("http://example.com./x"), "http://example.com/x");
    T_EQ_STR(norm("  http://example.com/x \n"), "http://example.com/x");
}

static char *slashless(const char *u)
{
    static char buf[URL_MAX + 1];
    sbuf b = {0};
    url_drop_trailing_slash(u, &b);
    snprintf(buf, sizeof buf, "%s", b.s);
    sbuf_free(&b);
    return buf;
}

static void test_fragment_and_slash(void)
{
    T_EQ_STR(norm("https://tuoitre.vn/a.htm#comments"), "https://tuoitre.vn/a.htm");
    T_EQ_STR(norm("https://tuoitre.vn/"), "https://tuoitre.vn/");
    T_EQ_STR(norm("https://tuoitre.vn"), "https://tuoitre.vn/");
    T_EQ_STR(norm("https://tuoitre.vn/a.htm?"), "https://tuoitre.vn/a.htm");
    /* a trailing slash is part of the URL (RFC 3986 6.2.3 keeps it): a
     * directory-style site's /tin/ is not its /tin, which may well be a
     * 301 back to /tin/; relative links and robots.txt rules differ */
    T_EQ_STR(norm("https://tuoitre.vn/thoi-su/"), "https://tuoitre.vn/thoi-su/");
    T_EQ_STR(norm("https://tuoitre.vn/thoi-su"), "https://tuoitre.vn/thoi-su");
    T_EQ_STR(norm("https://tuoitre.vn/a//"), "https://tuoitre.vn/a//");
    T_EQ_STR(norm("https://tuoitre.vn/b//.?q=1"), "https://tuoitre.vn/b//?q=1");
    T_EQ_STR(norm("https://tuoitre.vn//"), "https://tuoitre.vn//");
    T_EQ_STR(norm("https://tuoitre.vn/tin/./"), "https://tuoitre.vn/tin/");
    /* the key form of a site where /a/ and /a are one page */
    T_EQ_STR(slashless("https://x.vn/a/"), "https://x.vn/a");
    T_EQ_STR(slashless("https://x.vn/a//?q=1/"), "https://x.vn/a?q=1/");
    T_EQ_STR(slashless("https://x.vn/a"), "https://x.vn/a");
    T_EQ_STR(slashless("https://x.vn/"), "https://x.vn/");
    T_EQ_STR(slashless("https://x.vn//"), "https://x.vn/");
    T_EQ_STR(slashless("https://x.vn:8080/a/b/"), "https://x.vn:8080/a/b");
}

static void test_tracking(void)
{
    T_EQ_STR(norm("https://tuoitre.vn/a.htm?utm_source=fb&utm_medium=x"),
             "https://tuoitre.vn/a.htm");
    T_EQ_STR(norm("https://tuoitre.vn/a.htm?page=2&fbclid=abc&gclid=1"),
             "https://tuoitre.vn/a.htm?page=2");
    T_EQ_STR(norm("https://tuoitre.vn/a.htm?zarsrc=30&b=1&&c=2"),
             "https://tuoitre.vn/a.htm?b=1&c=2");
    /* a parameter that merely starts like one is kept */
    T_EQ_STR(norm("https://x.vn/?utmost=1"), "https://x.vn/?utmost=1");
    const char *const mine[] = {"ref", NULL};
    url_rules r = {mine};
    sbuf b = {0};
    const char *u = "https://x.vn/a?ref=home&utm_source=x";
    T_EQ_INT(url_normalize(u, strlen(u), &r, &b), TT_OK);
    T_EQ_STR(b.s, "https://x.vn/a?utm_source=x");
    sbuf_free(&b);
}

static void test_escapes(void)
{
    T_EQ_STR(norm("http://x.vn/%7euser/%61b"), "http://x.vn/~user/ab");
    T_EQ_STR(norm("http://x.vn/a%2fb"), "http://x.vn/a%2Fb");
    T_EQ_STR(norm("http://x.vn/a b"), "http://x.vn/a%20b");
    T_EQ_STR(norm("http://x.vn/cần-thơ"), "http://x.vn/c%E1%BA%A7n-th%C6%A1");
    T_EQ_STR(norm("http://x.vn/100%"), "http://x.vn/100%25");
    T_EQ_STR(norm("http://x.vn/a/./b/../c"), "http://x.vn/a/c");
    T_EQ_STR(norm("http://x.vn/%2E%2E/a"), "http://x.vn/a");
}

static void test_refused(void)
{
    T_CHECK(norm("mailto:a@b.vn") == NULL);
    T_CHECK(norm("ftp://x.vn/") == NULL);
    T_CHECK(norm("/relative") == NULL);
    T_CHECK(norm("http://") == NULL);
    T_CHECK(norm("http://x.vn:99999/") == NULL);
    T_CHECK(norm("http://x.vn:8a/") == NULL);
    T_CHECK(norm("") == NULL);
    char *big = malloc(URL_MAX + 100);
    memcpy(big, "http://x.vn/", 12);
    memset(big + 12, 'a', URL_MAX + 50);
    big[URL_MAX + 62] = '\0';
    T_CHECK(norm(big) == NULL);
    free(big);
}

static void test_resolve(void)
{
    const char *b = "https://tuoitre.vn/thoi-su/trang-2.htm?x=1";
    T_EQ_STR(res(b, "/a-20230612081542118.htm"),
             "https://tuoitre.vn/a-20230612081542118.htm");
    T_EQ_STR(res(b, "b.htm"), "https://tuoitre.vn/thoi-su/b.htm");
    T_EQ_STR(res(b, "../b.htm"), "https://tuoitre.vn/b.htm");
    T_EQ_STR(res(b, "?y=2"), "https://tuoitre.vn/thoi-su/trang-2.htm?y=2");
    T_EQ_STR(res(b, ""), "https://tuoitre.vn/thoi-su/trang-2.htm?x=1");
    T_EQ_STR(res(b, "#top"), "https://tuoitre.vn/thoi-su/trang-2.htm?x=1");
    T_EQ_STR(res(b, "//cdn.tuoitre.vn/x.jpg"), "https://cdn.tuoitre.vn/x.jpg");
    T_EQ_STR(res(b, "HTTP://Other.vn"), "http://other.vn/");
    T_EQ_STR(res(b, " /a\n/b.htm "), "https://tuoitre.vn/a/b.htm");
    /* against a directory: its slash is the base (RFC 3986 5.2.3) */
    const char *d = "https://x.vn/tin/";
    T_EQ_STR(res(d, "bai-viet-1.htm"), "https://x.vn/tin/bai-viet-1.htm");
    T_EQ_STR(res(d, "cam/"), "https://x.vn/tin/cam/");
    T_EQ_STR(res(d, "./"), "https://x.vn/tin/");
    T_EQ_STR(res(d, "../"), "https://x.vn/");
    T_EQ_STR(res("https://x.vn/tin", "bai-viet-1.htm"), "https://x.vn/bai-viet-1.htm");
    T_CHECK(res(b, "javascript:void(0)") == NULL);
    T_CHECK(res(b, "mailto:x@y.vn") == NULL);
    T_CHECK(res(b, "data:text/html,hi") == NULL);
}

static void test_idn(void)
{
    /* no IDNA here: a non-ASCII host is refused, and recognised as such */
    T_CHECK(norm("https://tuổitrẻ.vn/") == NULL);
    T_EQ_INT(url_idn_host("https://tuổitrẻ.vn/", strlen("https://tuổitrẻ.vn/")), 1);
    T_EQ_INT(url_idn_host("https://báo.vn:8080", strlen("https://báo.vn:8080")), 1);
    T_EQ_INT(url_idn_host("https://xn--bo-lia.vn/", 22), 0);
    T_EQ_STR(norm("https://XN--BO-LIA.vn/"), "https://xn--bo-lia.vn/");
    /* non-ASCII elsewhere is not the host's */
    T_EQ_INT(url_idn_host("https://x.vn/cần-thơ", strlen("https://x.vn/cần-thơ")), 0);
    T_EQ_INT(url_idn_host("https://bé@x.vn/", strlen("https://bé@x.vn/")), 0);
    T_EQ_INT(url_idn_host("/tin/", 5), 0);
}

static void test_parts(void)
{
    char h[64];
    T_EQ_INT(url_host("http://127.0.0.1:8080/a?b", h, sizeof h), 0);
    T_EQ_STR(h, "127.0.0.1:8080");
    T_EQ_STR(url_path("http://127.0.0.1:8080/a?b"), "/a?b");
    T_EQ_STR(url_path("http://x.vn"), "/");
    T_EQ_INT(url_origin_len("https://x.vn/a"), 12);
    T_EQ_INT(url_host("https://x.vn/a", h, 3), -1);
    T_CHECK(url_hash("a", 1) != url_hash("b", 1));
    T_CHECK(url_hash("abc", 3) == url_hash("abc", 3));
}

int main(void)
{
    T_RUN(test_case_and_port);
    T_RUN(test_fragment_and_slash);
    T_RUN(test_tracking);
    T_RUN(test_escapes);
    T_RUN(test_refused);
    T_RUN(test_resolve);
    T_RUN(test_idn);
    T_RUN(test_parts);
    return t_summary();
}
