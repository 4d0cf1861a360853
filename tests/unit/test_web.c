/* test_web.c — the search page's modules without a server: request
 * parsing (decoding, caps, methods, bodies), links, the config file, HTML
 * and XML escaping of hostile values, and the handler's answers that need
 * no db. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "article.h"
#include "cgi.h"
#include "config.h"
#include "fcgipeek.h"
#include "page.h"
#include "rss.h"
#include "sample_db.h"
#include "sock.h"
#include "t.h"
#include "tmp.h"
#include "unicode.h"
#include "web.h"

static int decode(const char *s, sbuf *out)
{
    sbuf_reset(out);
    return cgi_decode(s, strlen(s), out);
}

static void test_decode(void)
{
    sbuf b = {0};
    T_EQ_INT(decode("can+tho", &b), 0);
    T_EQ_STR(b.s, "can tho");
    T_EQ_INT(decode("C%E1%BA%A7n%20Th%c6%a1", &b), 0);
    T_EQ_STR(b.s, "Cần Thơ");
    T_EQ_INT(decode("100%", &b), 0); /* malformed: literal */
    T_EQ_STR(b.s, "100%");
    T_EQ_INT(decode("%zz%4", &b), 0);
    T_EQ_STR(b.s, "%zz%4");
    T_EQ_INT(decode("%25", &b), 0);
    T_EQ_STR(b.s, "%");
    T_EQ_INT(decode("%ff%fe", &b), -1);   /* not UTF-8 */
    T_EQ_INT(decode("%C3", &b), -1);      /* truncated sequence */
    T_EQ_INT(decode("%C0%AF", &b), -1);   /* overlong */
    T_EQ_INT(decode("%ED%A0%80", &b), -1); /* surrogate */
    T_EQ_INT(decode("a%00b", &b), -1);    /* NUL */
    T_EQ_INT(decode("a%0Ab%09c%7F", &b), 0);
    T_EQ_STR(b.s, "a b c ");
    T_EQ_INT(decode("", &b), 0);
    T_EQ_STR(b.s, "");
    sbuf_free(&b);
}

static void test_url_encode(void)
{
    sbuf b = {0};
    const char *s = "Cần Thơ & <x>\"'~-._";
    cgi_url_encode(&b, s, strlen(s));
    T_EQ_STR(b.s, "C%E1%BA%A7n+Th%C6%A1+%26+%3Cx%3E%22%27~-._");
    /* and back */
    sbuf d = {0};
    T_EQ_INT(cgi_decode(b.s, b.len, &d), 0);
    T_EQ_STR(d.s, s);
    sbuf_free(&b);
    sbuf_free(&d);
}

static int form(const char *s, cgi_params *p, tt_err *e)
{
    cgi_params_init(p);
    return cgi_parse_form(p, s, strlen(s), 100, e);
}

static void test_params(void)
{
    cgi_params p;
    tt_err e;
    T_EQ_INT(form("q=b%C3%A3o&page=3&sort=date&section=Th%E1%BB%9Di+s%E1%BB%B1"
                  "&from=2023&to=2024-06-30&format=rss&related=123&x=y&&=",
                  &p, &e),
             0);
    T_EQ_STR(p.q, "bão");
    T_EQ_INT(p.page, 3);
    T_EQ_INT(p.sort, CGI_SORT_DATE);
    T_EQ_STR(p.section, "Thời sự");
    T_EQ_STR(p.from, "2023");
    T_EQ_STR(p.to, "2024-06-30");
    T_EQ_INT(p.format, CGI_RSS);
    T_EQ_STR(p.related, "123");
    cgi_params_free(&p);
    /* later values win; empty ones clear */
    T_EQ_INT(form("q=a&q=b&section=x&section=&page=", &p, &e), 0);
    T_EQ_STR(p.q, "b");
    T_CHECK(p.section == NULL);
    T_EQ_INT(p.page, 1);
    cgi_params_free(&p);
    /* names are decoded too */
    T_EQ_INT(form("%71=x", &p, &e), 0);
    T_EQ_STR(p.q, "x");
    cgi_params_free(&p);
    /* the three orders; none is relevance */
    T_EQ_INT(form("q=a&sort=recent", &p, &e), 0);
    T_EQ_INT(p.sort, CGI_SORT_RECENT);
    cgi_params_free(&p);
    T_EQ_INT(form("q=a&sort=relevance", &p, &e), 0);
    T_EQ_INT(p.sort, CGI_SORT_RELEVANCE);
    cgi_params_free(&p);
    T_EQ_INT(form("q=a&sort=date&sort=", &p, &e), 0);
    T_EQ_INT(p.sort, CGI_SORT_RELEVANCE);
    cgi_params_free(&p);

    static const char *const bad[] = {
        "page=0", "page=101", "page=-1", "page=1e3", "page=99999999999999999999",
        "sort=alpha", "format=xml", "from=2021-13-01", "from=2021-02-30",
        "to=20", "from=2021/01/01", "to=2021-1-1", "related=a%ffb",
        "q=%ff", "section=%00", "q=a&page=x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = form(bad[i], &p, &e);
        if (rc != 400)
            fprintf(stderr, "  accepted: %s\n", bad[i]);
        T_EQ_INT(rc, 400);
        T_EQ_INT(e.code, 400);
        T_CHECK(e.msg[0] != '\0');
        cgi_params_free(&p);
    }
    /* a later value replaces an earlier one, a bad one too */
    T_EQ_INT(form("q=can&page=abc&page=2", &p, &e), 0);
    T_EQ_INT(p.page, 2);
    cgi_params_free(&p);
    T_EQ_INT(form("format=xml&format=json&sort=x&sort=date&q=%ff&q=b", &p,
                  &e),
             0);
    T_EQ_INT(p.format, CGI_JSON);
    T_EQ_INT(p.sort, CGI_SORT_DATE);
    T_EQ_STR(p.q, "b");
    cgi_params_free(&p);
    T_EQ_INT(form("page=2&page=abc", &p, &e), 400);
    cgi_params_free(&p);
    /* an unknown name is ignored, whatever its bytes */
    T_EQ_INT(form("%ff=1&utm=%ff%fe&q=a", &p, &e), 0);
    T_EQ_STR(p.q, "a");
    cgi_params_free(&p);
    /* a refused request is read to its end: the error is in the format
     * asked, wherever format= stands (its last valid value) */
    static const char *const json_errors[] = {
        "q=can&page=101&format=json", "page=abc&format=json",
        "q=%ff&format=json",          "related=a%ffb&format=json",
        "format=json&format=xml",     "format=json&sort=x&format=rss&"
                                      "format=json"};
    for (size_t i = 0; i < sizeof json_errors / sizeof *json_errors; i++) {
        T_EQ_INT(form(json_errors[i], &p, &e), 400);
        if (p.format != CGI_JSON)
            fprintf(stderr, "  not JSON: %s\n", json_errors[i]);
        T_EQ_INT(p.format, CGI_JSON);
        cgi_params_free(&p);
    }
    T_EQ_INT(form("page=100", &p, &e), 0);
    T_EQ_INT(p.page, 100);
    cgi_params_free(&p);
    /* a last page below 10: a page past it is refused, one digit or not */
    T_EQ_INT(cgi_parse_form(&p, "page=7", 6, 7, &e), 0);
    T_EQ_INT(p.page, 7);
    cgi_params_free(&p);
    T_EQ_INT(cgi_parse_form(&p, "page=9", 6, 7, &e), 400);
    cgi_params_free(&p);

    /* caps on q and on other values */
    sbuf q = {0};
    sbuf_adds(&q, "q=");
    for (int i = 0; i < CGI_MAX_Q; i++)
        sbuf_addc(&q, 'a');
    T_EQ_INT(form(q.s, &p, &e), 0);
    cgi_params_free(&p);
    sbuf_addc(&q, 'a');
    T_EQ_INT(form(q.s, &p, &e), 400);
    cgi_params_free(&p);
    /* an article id is any UTF-8 the corpus takes, up to its 1024
     * bytes; a section as long as a query */
    static const struct {
        const char *name;
        size_t max;
    } caps[] = {{"related", CGI_MAX_ID}, {"section", CGI_MAX_SECTION}};
    T_CHECK(CGI_MAX_ID >= ARTICLE_MAX_ID);
    for (size_t i = 0; i < 2; i++) {
        sbuf_reset(&q);
        sbuf_addf(&q, "%s=", caps[i].name);
        for (size_t k = 0; k < caps[i].max; k++)
            sbuf_addc(&q, 'a');
        T_EQ_INT(form(q.s, &p, &e), 0);
        cgi_params_free(&p);
        sbuf_addc(&q, 'a');
        T_EQ_INT(form(q.s, &p, &e), 400);
        cgi_params_free(&p);
    }
    T_EQ_INT(form("related=b%C3%A0i+%22s%E1%BB%91+1%22%2F%3C%27%3E&"
                  "section=%22Th%E1%BB%9Di%22+s%E1%BB%B1+%26",
                  &p, &e),
             0);
    T_EQ_STR(p.related, "bài \"số 1\"/<'>");
    T_EQ_STR(p.section, "\"Thời\" sự &");
    cgi_params_free(&p);
    sbuf_free(&q);
}

typedef struct body {
    const char *s;
    size_t at, chunk;
} body;

static size_t read_body(void *ctx, char *buf, size_t n)
{
    body *b = ctx;
    size_t left = strlen(b->s) - b->at;
    if (n > left)
        n = left;
    if (n > b->chunk)
        n = b->chunk; /* short reads, as from a pipe */
    memcpy(buf, b->s + b->at, n);
    b->at += n;
    return n;
}

static int request(const char *method, const char *qs, const char *ctype,
                   const char *clen, const char *data, cgi_params *p,
                   tt_err *e)
{
    body b = {data ? data : "", 0, 3};
    cgi_request r = {method, qs, ctype, clen, read_body, &b};
    return cgi_read(&r, 100, p, e);
}

static void test_read(void)
{
    cgi_params p;
    tt_err e;
    T_EQ_INT(request("GET", "q=a", NULL, NULL, NULL, &p, &e), 0);
    T_EQ_STR(p.q, "a");
    cgi_params_free(&p);
    T_EQ_INT(request("HEAD", NULL, NULL, NULL, NULL, &p, &e), 0);
    T_EQ_STR(p.q, "");
    cgi_params_free(&p);
    T_EQ_INT(request("POST", "format=json", "application/x-www-form-urlencoded; "
                     "charset=UTF-8", "16", "q=can+tho&page=2", &p, &e),
             0);
    T_EQ_STR(p.q, "can tho");
    T_EQ_INT(p.page, 2);
    T_EQ_INT(p.format, CGI_JSON);
    cgi_params_free(&p);
    T_EQ_INT(request("DELETE", NULL, NULL, NULL, NULL, &p, &e), 405);
    cgi_params_free(&p);
    /* the body's values replace the query string's, bad ones too */
    T_EQ_INT(request("POST", "page=abc&format=json",
                     "application/x-www-form-urlencoded", "10", "page=2&q=a",
                     &p, &e),
             0);
    T_EQ_INT(p.page, 2);
    cgi_params_free(&p);
    T_EQ_INT(request("POST", "page=2", "application/x-www-form-urlencoded",
                     "8", "page=abc", &p, &e),
             400);
    cgi_params_free(&p);
    /* refusals of the request itself, in the format asked */
    T_EQ_INT(request("DELETE", "format=json", NULL, NULL, NULL, &p, &e), 405);
    T_EQ_INT(p.format, CGI_JSON);
    cgi_params_free(&p);
    T_EQ_INT(request("POST", "format=json", "text/plain", "3", "q=a", &p, &e),
             415);
    T_EQ_INT(p.format, CGI_JSON);
    cgi_params_free(&p);
    T_EQ_INT(request("POST", NULL, "text/plain", "3", "q=a", &p, &e), 415);
    cgi_params_free(&p);
    T_EQ_INT(request("POST", NULL, "multipart/form-data", "3", "q=a", &p, &e),
             415);
    cgi_params_free(&p);
    T_EQ_INT(request("POST", NULL, NULL, NULL, "q=a", &p, &e), 411);
    cgi_params_free(&p);
    T_EQ_INT(request("POST", NULL, "application/x-www-form-urlencoded",
                     "99999999", "q=a", &p, &e),
             413);
    cgi_params_free(&p);
    T_EQ_INT(request("POST", NULL, "application/x-www-form-urlencoded",
                     "-1", "q=a", &p, &e),
             400);
    cgi_params_free(&p);
    T_EQ_INT(request("POST", NULL, "application/x-www-form-urlencoded", "10",
                     "q=a", &p, &e),
             400); /* body shorter than announced */
    cgi_params_free(&p);
    /* dates the wrong way round: swapped for a page, which says so;
     * refused for a program (JSON, a feed) */
    T_EQ_INT(request("GET", "from=2024-05&to=2023", NULL, NULL, NULL, &p, &e),
             0);
    T_EQ_STR(p.from, "2023");
    T_EQ_STR(p.to, "2024-05");
    T_CHECK(p.swapped);
    cgi_params_free(&p);
    T_EQ_INT(request("GET", "from=2024&to=2023&format=json", NULL, NULL, NULL,
                     &p, &e),
             400);
    cgi_params_free(&p);
    T_EQ_INT(request("GET", "from=2024&to=2023&format=rss", NULL, NULL, NULL,
                     &p, &e),
             400);
    cgi_params_free(&p);
    T_EQ_INT(request("GET", "from=2023&to=2024", NULL, NULL, NULL, &p, &e), 0);
    T_CHECK(!p.swapped);
    cgi_params_free(&p);
    T_EQ_INT(request("GET", "from=2023-05&to=2023-05", NULL, NULL, NULL, &p,
                     &e),
             0);
    cgi_params_free(&p);
    sbuf big = {0};
    for (int i = 0; i <= CGI_MAX_QUERY_STRING; i++)
        sbuf_addc(&big, 'x');
    T_EQ_INT(request("GET", big.s, NULL, NULL, NULL, &p, &e), 414);
    cgi_params_free(&p);
    sbuf_free(&big);
}

static void test_link(void)
{
    cgi_params p;
    sbuf b = {0};
    cgi_params_init(&p);
    cgi_link(&p, &b);
    T_EQ_STR(b.s, "?");
    free(p.q);
    p.q = xstrdup("a&b=c");
    p.page = 2;
    p.sort = CGI_SORT_DATE;
    p.section = xstrdup("Thời sự");
    p.from = xstrdup("2023");
    p.format = CGI_JSON;
    sbuf_reset(&b);
    cgi_link(&p, &b);
    T_EQ_STR(b.s, "?q=a%26b%3Dc&section=Th%E1%BB%9Di+s%E1%BB%B1&from=2023"
                  "&sort=date&page=2&format=json");
    p.sort = CGI_SORT_RECENT;
    p.page = 1;
    p.format = CGI_HTML;
    sbuf_reset(&b);
    cgi_link(&p, &b);
    T_EQ_STR(b.s, "?q=a%26b%3Dc&section=Th%E1%BB%9Di+s%E1%BB%B1&from=2023"
                  "&sort=recent");
    cgi_params_free(&p);
    sbuf_free(&b);
}

static char *write_tmp(const char *text)
{
    char tmp[TMP_PATH_MAX];
    char *path = xstrdup(tmp_path(tmp, sizeof tmp, "timtin-test-web.XXXXXX"));
    int fd = mkstemp(path);
    if (fd >= 0) {
        if (write(fd, text, strlen(text)) < 0)
            path[0] = '\0';
        close(fd);
    }
    return path;
}

static int load(const char *text, const char *dbenv, config *c, tt_err *e)
{
    char *path = write_tmp(text);
    int rc = config_load(c, path, dbenv, e);
    unlink(path);
    free(path);
    return rc;
}

static void test_config(void)
{
    config c;
    tt_err e;
    T_EQ_INT(config_load(&c, NULL, "/a/db:/b/db::", &e), 0);
    T_EQ_INT(c.ndb, 2);
    T_EQ_STR(c.dbs[1], "/b/db");
    T_EQ_INT(c.per_page, 10);
    T_EQ_STR(c.title, "Tìm tin");
    T_CHECK(c.base_url == NULL);
    T_EQ_INT(c.posting_cache_mb, 128);
    T_EQ_INT(c.block_cache_mb, 128);
    T_EQ_INT(c.cache_report_every, 10000);
    T_EQ_INT(c.fastcgi_timeout, 10);
    T_CHECK(c.corpus == NULL); /* the db's */
    config_free(&c);
    T_EQ_INT(load("corpus = none\n", "/db", &c, &e), 0);
    T_EQ_STR(c.corpus ? c.corpus : "(null)", "");
    config_free(&c);
    T_EQ_INT(load("corpus = /srv/corpus\n", "/db", &c, &e), 0);
    T_EQ_STR(c.corpus ? c.corpus : "(null)", "/srv/corpus");
    config_free(&c);
    T_EQ_INT(load("# comment\n\n  title =  Báo Mới  \nper_page=25\r\n"
                  "max_page = 7\nbase_url = https://tin.example.vn/tim\n"
                  "facets = no\ndb = /x:/y\nposting_cache_mb = 0\n"
                  "block_cache_mb = 7\n"
                  "cache_report_every = 0\nfastcgi_timeout = 1\n",
                  NULL, &c, &e),
             0);
    T_EQ_STR(c.title, "Báo Mới");
    T_EQ_INT(c.per_page, 25);
    T_EQ_INT(c.max_page, 7);
    T_EQ_STR(c.base_url, "https://tin.example.vn/tim");
    T_EQ_INT(c.facets, 0);
    T_EQ_INT(c.ndb, 2);
    T_EQ_INT(c.posting_cache_mb, 0);
    T_EQ_INT(c.block_cache_mb, 7);
    T_EQ_INT(c.cache_report_every, 0);
    T_EQ_INT(c.fastcgi_timeout, 1);
    config_free(&c);
    /* a byte order mark (Windows' Notepad writes one) is not the key's */
    T_EQ_INT(load("\xef\xbb\xbftitle = X\n", "/db", &c, &e), 0);
    T_EQ_STR(c.title, "X");
    config_free(&c);
    /* TIMTIN_DB wins over the file's db */
    T_EQ_INT(load("db = /x\n", "/env", &c, &e), 0);
    T_EQ_INT(c.ndb, 1);
    T_EQ_STR(c.dbs[0], "/env");
    config_free(&c);

    static const char *const bad[] = {
        "per_page = 0\n", "per_page = 101\n", "max_page = x\n",
        "colour = red\n", "title\n", "base_url = ftp://x\n",
        "base_url = https://x/\"><script>\n", "base_url = https://\n",
        "base_url = http://x/?q=1\n", "facets = maybe\n", "title = \n",
        "title = a\001b\n", "title = \xff\n", "posting_cache_mb = 65537\n",
        "block_cache_mb = x\n",
        "cache_report_every = -1\n", "cache_report_every = 100000001\n",
        "fastcgi_timeout = 0\n", "fastcgi_timeout = 3601\n", "corpus =\n",
        "\xef\xbb\xbf\xef\xbb\xbftitle = X\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = load(bad[i], "/db", &c, &e);
        if (rc != TT_EINVAL)
            fprintf(stderr, "  accepted: %s", bad[i]);
        T_EQ_INT(rc, TT_EINVAL);
        T_CHECK(strstr(e.msg, ":1: ") != NULL); /* names the line */
        config_free(&c);
    }
    T_EQ_INT(config_load(&c, "/nonexistent/timtin.conf", "/db", &e),
             TT_ENOTFOUND);
    config_free(&c);
    T_EQ_INT(config_load(&c, NULL, NULL, &e), TT_EINVAL); /* no db */
    config_free(&c);
    config_free(NULL);
}

/* A relative db in the config file is taken from the file's directory
 * (as nightly.conf's paths are), whatever the server's working directory;
 * an absolute one as written; TIMTIN_DB's relative to the working
 * directory, as any environment path. */
static void test_config_relative_db(void)
{
    config c;
    tt_err e;
    char *path = write_tmp("db = idx:/abs/db::sub/idx2\ncorpus = c/k\n");
    char want[TMP_PATH_MAX + 16];
    size_t dirlen = strrchr(path, '/') - path;
    T_EQ_INT(config_load(&c, path, NULL, &e), TT_OK);
    T_EQ_INT(c.ndb, 3);
    snprintf(want, sizeof want, "%.*s/idx", (int)dirlen, path);
    T_EQ_STR(c.ndb > 0 ? c.dbs[0] : "", want);
    T_EQ_STR(c.ndb > 1 ? c.dbs[1] : "", "/abs/db");
    snprintf(want, sizeof want, "%.*s/sub/idx2", (int)dirlen, path);
    T_EQ_STR(c.ndb > 2 ? c.dbs[2] : "", want);
    snprintf(want, sizeof want, "%.*s/c/k", (int)dirlen, path); /* so too */
    T_EQ_STR(c.corpus ? c.corpus : "", want);
    config_free(&c);
    T_EQ_INT(config_load(&c, path, "rel/db", &e), TT_OK);
    T_EQ_STR(c.ndb ? c.dbs[0] : "", "rel/db");
    config_free(&c);
    unlink(path);
    free(path);
}

/* A result with hostile stored values, as a corrupt or malicious corpus
 * could give. */
static void fake_result(srch_result *r)
{
    static srch_hit h[2];
    static srch_mark m = {0, 5};
    static char *authors[] = {(char *)"A <b>"};
    memset(r, 0, sizeof *r);
    memset(h, 0, sizeof h);
    h[0].id = (char *)"1\"><x";
    h[0].url = (char *)"javascript:alert(1)";
    h[0].title = (char *)"<script>alert(1)</script>";
    h[0].published = (char *)"2023-06-12T08:15:00+07:00";
    h[0].section = (char *)"\"><img src=x>";
    h[0].snippet = (char *)"<img> & \x01 ]]> \xff end";
    h[0].marks = &m;
    h[0].nmarks = 1;
    h[0].authors = authors;
    h[0].nauthors = 1;
    h[1].id = (char *)"2";
    h[1].url = (char *)"https://example.vn/a?b=1&c=\"2\"";
    h[1].title = (char *)"Tin thứ hai";
    h[1].published = (char *)"not a date";
    r->hits = h;
    r->nhits = 2;
    r->total = 12345;
    r->suggestion = (char *)"\"><b>";
}

static void test_page_escaping(void)
{
    {
        /* every text: controls (C0, DEL, C1) dropped, then escaped; one
         * between two characters that are not spaces leaves a space
         * (vn_clean: it stood between two words), as ESC after "<b>" */
        sbuf t = {0};
        page_escape(&t, "Tin\x07 <b>\x1B[31m\x7F \xC2\x9B" "đ\x01\tx");
        T_EQ_STR(t.s, "Tin &lt;b&gt; [31m đ\tx");
        sbuf_free(&t);
    }
    config c;
    cgi_params p;
    srch_result r;
    sbuf out = {0};
    tt_err e;
    config_load(&c, NULL, "/db", &e);
    T_EQ_INT(form("q=%3Cscript%3E&section=%22%3E%3Ci%3E", &p, &e), 0);
    fake_result(&r);
    page_results(&c, &p, NULL, &r, NULL, &out);
    T_CHECK(strstr(out.s, "<script") == NULL);
    T_CHECK(strstr(out.s, "<img") == NULL);
    T_CHECK(strstr(out.s, "<b>") == NULL);
    T_CHECK(strstr(out.s, "<i>") == NULL);
    T_CHECK(strstr(out.s, "javascript:") == NULL); /* not linked */
    T_CHECK(strstr(out.s, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
    T_CHECK(strstr(out.s, "href=\"https://example.vn/a?b=1&amp;c=&quot;2&quot;\"") !=
            NULL);
    T_CHECK(strstr(out.s, "related=1%22%3E%3Cx") != NULL);
    /* an estimate rounded, in the Vietnamese grouping */
    T_CHECK(strstr(out.s, "Khoảng <strong>12.000</strong> kết quả") != NULL);
    T_CHECK(strstr(out.s, "<time datetime=\"2023-06-12T08:15:00+07:00\">"
                          "12/06/2023</time>") != NULL);
    T_CHECK(strstr(out.s, "\xff") == NULL); /* invalid UTF-8 replaced */
    T_CHECK(strchr(out.s, '\x01') == NULL); /* controls dropped */
    /* robots neither index a results page nor follow its links (every
     * query, page and filter a page links is another results page) */
    T_CHECK(strstr(out.s, "<meta name=\"robots\" content=\"noindex, "
                          "nofollow\">") != NULL);
    sbuf_reset(&out);
    r.total_exact = 1; /* an exact total as it is */
    page_results(&c, &p, NULL, &r, NULL, &out);
    T_CHECK(strstr(out.s, "<p><strong>12.345</strong> kết quả") != NULL);
    sbuf_reset(&out);
    page_error(&c, &p, 500, "<oops>", &out);
    T_CHECK(strstr(out.s, "&lt;oops&gt;") != NULL);
    T_CHECK(strstr(out.s, "<script") == NULL);
    sbuf_reset(&out);
    page_home(&c, &out);
    T_CHECK(strstr(out.s, "<!DOCTYPE html>") == out.s);
    {
        /* the search box lets through no more than the server takes:
         * maxlength counts UTF-16 units, each at most 3 bytes of UTF-8 */
        const char *m = strstr(out.s, "maxlength=\"");
        T_CHECK(m != NULL);
        if (m) {
            long n = strtol(m + 11, NULL, 10);
            T_CHECK(n > 0 && n * 3 <= CGI_MAX_Q);
        }
    }
    cgi_params_free(&p);
    config_free(&c);
    sbuf_free(&out);
}

static void test_rss(void)
{
    config c;
    cgi_params p;
    srch_result r;
    sbuf out = {0};
    tt_err e;
    char d[32];
    T_EQ_INT(rss_date("2023-06-12T08:15:00+07:00", d), 0);
    T_EQ_STR(d, "Mon, 12 Jun 2023 01:15:00 GMT");
    T_EQ_INT(rss_date("junk", d), -1);
    T_EQ_STR(d, "");
    sbuf_reset(&out);
    rss_escape(&out, "a\x01<&>\"'\xff\xef\xbf\xbe z");
    T_EQ_STR(out.s, "a &lt;&amp;&gt;&quot;&apos;\xef\xbf\xbd z");
    /* DEL and the C1 controls (U+0085 NEL, U+009B CSI) are no text
     * either: cleaned as the page's text is (vn_clean), a space where
     * they stood between two words, a no-break space a space */
    sbuf_reset(&out);
    rss_escape(&out, "b\x7f\xc2\x85\xc2\x9b" "c d\x01 e\xc2\xa0" "f");
    T_EQ_STR(out.s, "b c d e f");
    config_load(&c, NULL, "/db", &e);
    T_EQ_INT(form("q=%5D%5D%3E%3C", &p, &e), 0);
    fake_result(&r);
    sbuf_reset(&out);
    rss_results(&c, "http://h/t.cgi", &p, NULL, &r, &out);
    T_CHECK(strstr(out.s, "<title>]]&#x3E;&#x3C; – Tìm tin</title>") !=
            NULL); /* plain text (test_rss_html) */
    T_CHECK(strstr(out.s, "<link>javascript") == NULL);
    T_CHECK(strstr(out.s, "<script") == NULL);
    T_CHECK(strstr(out.s, "\x01") == NULL);
    T_CHECK(strstr(out.s, "<dc:creator>A &#x3C;b&#x3E;</dc:creator>") != NULL);
    /* partial matches are not the search a reader follows: no items */
    r.relaxed = 1;
    sbuf_reset(&out);
    rss_results(&c, "http://h/t.cgi", &p, NULL, &r, &out);
    T_CHECK(strstr(out.s, "<item>") == NULL);
    T_CHECK(strstr(out.s, "</channel>") != NULL);
    sbuf_reset(&out);
    free(c.title);
    c.title = xstrdup("Tìm kiếm tin tức Việt Nam"); /* 25 chars */
    rss_opensearch(&c, "https://x.vn/tim", &out);
    T_CHECK(strstr(out.s, "<ShortName>Tìm kiếm tin tức</ShortName>") !=
            NULL); /* 16 characters */
    T_CHECK(strstr(out.s, "template=\"https://x.vn/tim?q={searchTerms}&amp;"
                          "format=rss\"") != NULL);
    cgi_params_free(&p);
    config_free(&c);
    sbuf_free(&out);
}

static void handle(web *w, const char *method, const char *qs,
                   web_response *out)
{
    web_request r = {0};
    r.cgi.method = method;
    r.cgi.query_string = qs;
    r.http_host = "tin.example.vn";
    r.script_name = "/cgi-bin/timtin.cgi";
    web_handle(w, &r, out);
}

static void test_handler(void)
{
    web_response out;
    tt_err e;
    web *w = web_new(NULL, "/nonexistent/db", &e);
    T_EQ_INT(e.code, TT_OK);
    handle(w, "GET", NULL, &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(strstr(out.head.s, "Status: 200 OK\r\n") == out.head.s);
    T_CHECK(strstr(out.head.s, "Content-Security-Policy: default-src 'none'") !=
            NULL);
    T_CHECK(strstr(out.head.s, "\r\n\r\n") != NULL);
    web_response_free(&out);
    handle(w, "GET", "format=opensearch", &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(strstr(out.body.s, "http://tin.example.vn/cgi-bin/timtin.cgi?q="
                               "{searchTerms}") != NULL);
    web_response_free(&out);
    /* Unicode spaces (no-break, em, ideographic, zero-width) are no
     * query: the home page, which needs no db */
    handle(w, "GET", "q=%C2%A0+%E2%80%83%E3%80%80%E2%80%8B%09", &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(strstr(out.body.s, "class=\"home\"") != NULL);
    web_response_free(&out);
    handle(w, "GET", "q=x", &out); /* the db is missing */
    T_EQ_INT(out.status, 500);
    T_CHECK(strstr(out.body.s, "nonexistent") == NULL);
    web_response_free(&out);
    handle(w, "GET", "q=x&format=json", &out);
    T_EQ_INT(out.status, 500);
    T_CHECK(strstr(out.body.s, "{\"error\":{\"status\":500") == out.body.s);
    web_response_free(&out);
    handle(w, "GET", "format=json", &out);
    T_EQ_INT(out.status, 400);
    web_response_free(&out);
    handle(w, "GET", "q=can&page=abc&format=json", &out);
    T_EQ_INT(out.status, 400);
    T_CHECK(strstr(out.body.s, "{\"error\":{\"status\":400") == out.body.s);
    T_CHECK(strstr(out.head.s, "Content-Type: application/json\r\n") != NULL);
    web_response_free(&out);
    handle(w, "HEAD", "page=0", &out);
    T_EQ_INT(out.status, 400);
    T_EQ_INT(out.body.len, 0);
    T_CHECK(strstr(out.head.s, "Content-Length: 0") == NULL);
    web_response_free(&out);
    {
        /* POST answers are the poster's: never in a shared cache */
        web_request r = {0};
        r.cgi.method = "POST";
        r.cgi.query_string = "format=opensearch";
        r.cgi.content_length = "0";
        web_handle(w, &r, &out);
        T_EQ_INT(out.status, 200);
        T_CHECK(strstr(out.head.s, "Cache-Control: no-store\r\n") != NULL);
        T_CHECK(strstr(out.head.s, "public") == NULL);
        web_response_free(&out);
        r.cgi.method = "GET";
        web_handle(w, &r, &out);
        T_CHECK(strstr(out.head.s, "Cache-Control: public, max-age=") !=
                NULL);
        web_response_free(&out);
    }
    handle(w, "PUT", NULL, &out);
    T_EQ_INT(out.status, 405);
    T_CHECK(strstr(out.head.s, "Allow: GET, HEAD, POST\r\n") != NULL);
    web_response_free(&out);
    web_free(w);
    web_free(NULL);

    w = web_new("/nonexistent/timtin.conf", "/db", &e); /* bad config */
    T_EQ_INT(e.code, TT_ENOTFOUND);
    handle(w, "GET", NULL, &out);
    T_EQ_INT(out.status, 500);
    T_CHECK(strstr(out.body.s, "timtin.conf") == NULL);
    web_response_free(&out);
    web_free(w);
}

/* A db of the sample articles (TT_TOP/corpus/samples) in db_path
 * (DIR/db); remove it with sample_gone. */
static char db_path[TMP_PATH_MAX];

static void sample_made(void)
{
    const char *top = getenv("TT_TOP") ? getenv("TT_TOP") : ".";
    tt_err e;
    tmp_path(db_path, sizeof db_path, "tt-web-XXXXXX");
    T_EQ_INT(sample_db(top, db_path, NULL, NULL, &e), TT_OK);
}

static void sample_gone(void)
{
    char *slash = strrchr(db_path, '/');
    if (slash)
        *slash = '\0';
    tt_rmtree(db_path, NULL);
}

/* What handle(w, "GET", qs) answers, and what it logs (standard error,
 * into log). */
static int handle_logged(web *w, const char *qs, sbuf *log)
{
    char path[TMP_PATH_MAX];
    web_response out;
    int fd = mkstemp(tmp_path(path, sizeof path, "tt-web-log-XXXXXX"));
    int saved = dup(2);
    char *text = NULL;
    size_t len;
    fflush(stderr);
    dup2(fd, 2);
    handle(w, "GET", qs, &out);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    sbuf_reset(log);
    if (tt_read_file(path, 1 << 20, &text, &len, NULL) == TT_OK)
        sbuf_add(log, text, len);
    sbuf_adds(log, "");
    free(text);
    unlink(path);
    web_response_free(&out);
    return out.status;
}

/* related= an unknown id is a 404; a db gone under a long-lived handle
 * is a failure, logged and answered with 500, whatever the request. */
static void test_related_db_gone(void)
{
    sbuf log = {0};
    tt_err e;
    web *w;
    sample_made();
    w = web_new(NULL, db_path, &e);
    web_long_lived(w);
    T_EQ_INT(handle_logged(w, "related=no-such-id", &log), 404);
    T_EQ_STR(log.s, "");
    T_EQ_INT(handle_logged(w, "related=20230612081542118", &log), 200);
    sample_gone();
    T_EQ_INT(handle_logged(w, "related=20230612081542118", &log), 500);
    T_CHECK(strstr(log.s, "no database at") != NULL);
    T_EQ_INT(handle_logged(w, "q=can+tho", &log), 500);
    T_CHECK(strstr(log.s, "no database at") != NULL);
    web_free(w);
    sbuf_free(&log);
}

/* The request in a log line: cut at a character boundary, the
 * characters a log viewer or a terminal would act on escaped, related=
 * and the filters named (defects: a query cut inside a character made
 * the line invalid UTF-8, which journald shows as a blob; C1 controls,
 * U+2028 and bidi controls went through raw; a related= request was
 * logged as (query "")). */
static void test_log_request(void)
{
    sbuf log = {0}, qs = {0};
    tt_err e;
    web *w = web_new(NULL, "/nonexistent/db", &e);
    sbuf_adds(&qs, "q=");
    for (int i = 0; i < 199; i++)
        sbuf_addc(&qs, 'a');
    sbuf_adds(&qs, "%E1%BB%87b");
    T_EQ_INT(handle_logged(w, qs.s, &log), 500);
    T_CHECK(uni_valid(log.s, log.len));
    T_CHECK(strstr(log.s, "aaa\"…)\n") != NULL); /* ệ whole or not at all */
    T_EQ_INT(handle_logged(w, "q=a%C2%85b%E2%80%A8c%E2%80%AEd%E2%81%A6e"
                              "%C2%9Bf%0Ag%E2%80%8Eh%D8%9Ci%F3%A0%80%81j",
                           &log),
             500);
    T_CHECK(strstr(log.s, "(query \"a\\u0085b\\u2028c\\u202Ed\\u2066e"
                          "\\u009Bf g\\u200Eh\\u061Ci\\U000E0001j\")\n"));
    T_EQ_INT(handle_logged(w, "related=2023%E2%80%AE01&section=Th%E1%BB%9Di+"
                              "s%E1%BB%B1&from=2024&to=2025-01",
                           &log),
             500);
    T_CHECK(strstr(log.s, "(related \"2023\\u202E01\", section \"Thời sự\", "
                          "from \"2024\", to \"2025-01\")\n"));
    T_EQ_INT(handle_logged(w, "q=x&related=r1", &log), 500);
    T_CHECK(strstr(log.s, "(query \"x\", related \"r1\")\n"));
    web_free(w);
    sbuf_free(&log);
    sbuf_free(&qs);
}

/* Whether handle(w, "GET", qs) answers status with a body holding want
 * (NULL: any body). */
static int answers(web *w, const char *qs, int status, const char *want)
{
    web_response out;
    handle(w, "GET", qs, &out);
    int ok = out.status == status && (!want || strstr(out.body.s, want));
    web_response_free(&out);
    return ok;
}

/* The page of related articles names the article they relate to, in its
 * title and a visible heading, and a page of filters alone says what it
 * holds (defects: "Tin liên quan – Tìm tin" with a heading for screen
 * readers only; "Tìm tin", the home page's title, for from=2023&to=2023). */
static void test_pages_named(void)
{
    static const char id[] = "related=20230612081542118",
                      src[] = "Cần Thơ khởi công cầu mới bắc qua sông Cần "
                              "Thơ, vốn gần 900 tỉ đồng";
    sbuf want = {0};
    tt_err e;
    web *w;
    sample_made();
    w = web_new(NULL, db_path, &e);
    sbuf_addf(&want, "<title>Tin liên quan: %s – Tìm tin</title>", src);
    T_CHECK(answers(w, id, 200, want.s));
    sbuf_reset(&want);
    sbuf_addf(&want, "<h1>Tin liên quan: %s</h1>", src);
    T_CHECK(answers(w, id, 200, want.s));
    T_CHECK(!answers(w, id, 200, "class=\"sr\">Tin liên quan"));
    T_CHECK(answers(w, "related=no-such-id", 404, NULL)); /* as before */
    /* filters alone, and with a query */
    T_CHECK(answers(w, "from=2023&to=2023", 200,
                    "<title>Tin năm 2023 – Tìm tin</title>"));
    T_CHECK(answers(w, "from=2023-03&to=2023-06-15", 200,
                    "<title>Tin từ 01/03/2023 đến 15/06/2023 – Tìm tin"
                    "</title>"));
    T_CHECK(answers(w, "to=2023-06-15&section=th%E1%BB%9Di+s%E1%BB%B1", 200,
                    "<title>Chuyên mục Thời sự, đến 15/06/2023 – Tìm tin"
                    "</title>"));
    T_CHECK(answers(w, "q=c%E1%BA%A7n+th%C6%A1&from=2022", 200,
                    "<title>cần thơ, từ 01/01/2022 – Tìm tin</title>"));
    /* related and a section */
    sbuf_reset(&want);
    sbuf_addf(&want, "<title>Tin liên quan: %s, chuyên mục Thời sự – Tìm "
                     "tin</title>", src);
    T_CHECK(answers(w, "related=20230612081542118&section=Th%E1%BB%9Di+"
                       "s%E1%BB%B1", 200, want.s));
    web_free(w);
    sample_gone();
    sbuf_free(&want);
}

/* Dates entered the wrong way round in the date form: the results of
 * the period they bound, said, every other parameter kept (defect: a
 * 400 page without the date form, whose search box lost the section). */
static void test_dates_swapped(void)
{
    web_response out;
    tt_err e;
    web *w;
    sample_made();
    w = web_new(NULL, db_path, &e);
    handle(w, "GET", "q=can+tho&section=Th%E1%BB%9Di+s%E1%BB%B1&sort=date&"
                     "from=2025-05-01&to=2023-01-01", &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(strstr(out.body.s, "<p class=\"note\">Ngày bắt đầu đứng sau "
                               "ngày kết thúc nên hai ngày đã được đổi chỗ: "
                               "tin từ 01/01/2023 đến 01/05/2025.</p>"));
    T_CHECK(strstr(out.body.s, "<li>Từ 01/01/2023 đến 01/05/2025<a "));
    T_CHECK(strstr(out.body.s, "<input type=\"hidden\" name=\"section\" "
                               "value=\"Thời sự\">"));
    T_CHECK(strstr(out.body.s, "name=\"from\" type=\"date\" "
                               "value=\"2023-01-01\""));
    T_CHECK(strstr(out.body.s, "name=\"to\" type=\"date\" "
                               "value=\"2025-05-01\""));
    T_CHECK(strstr(out.body.s, "class=\"hit\""));
    web_response_free(&out);
    handle(w, "GET", "q=can+tho&from=2025&to=2023&format=json", &out);
    T_EQ_INT(out.status, 400);
    web_response_free(&out);
    web_free(w);
    sample_gone();
}

/* A search whose filters alone leave nothing says so, and offers first
 * to drop them, with what that finds; not tips that keep the filters and
 * so cannot help (defect: "Không tìm thấy bài nào cho «Cần Thơ»", spelling
 * and accent tips first, "Thử gõ không dấu: can tho" keeping the filters,
 * the working link last). */
static void test_filters_emptied(void)
{
    web_response out;
    tt_err e;
    web *w;
    sbuf want = {0};
    const char *h, *li;
    int total = -1;
    sample_made();
    w = web_new(NULL, db_path, &e);
    handle(w, "GET", "q=C%E1%BA%A7n+Th%C6%A1&format=json", &out); /* all */
    if (strstr(out.body.s, "\"total\":"))
        total = atoi(strstr(out.body.s, "\"total\":") + 8);
    T_CHECK(total > 0 && strstr(out.body.s, "\"total_is_exact\":true"));
    web_response_free(&out);
    handle(w, "GET", "q=C%E1%BA%A7n+Th%C6%A1&section=Kinh+doanh&from=2025",
           &out);
    T_EQ_INT(out.status, 200);
    h = strstr(out.body.s, "<h2>");
    T_CHECK(h && !strncmp(h, "<h2>Không có bài nào cho «Cần Thơ» trong các "
                             "bộ lọc đang dùng.</h2>", 60));
    sbuf_addf(&want, "Không lọc thì có %d kết quả.", total);
    T_CHECK(strstr(out.body.s, want.s));
    li = h ? strstr(h, "<li>") : NULL;
    sbuf_reset(&want);
    sbuf_addf(&want, "<li><a href=\"?q=C%%E1%%BA%%A7n+Th%%C6%%A1\">Bỏ các bộ "
                     "lọc chuyên mục và thời gian</a> (%d kết quả).</li>",
              total);
    T_CHECK(li && !strncmp(li, want.s, want.len));
    T_CHECK(!strstr(out.body.s, "chính tả"));
    T_CHECK(!strstr(out.body.s, "Thử gõ không dấu"));
    T_CHECK(!strstr(out.body.s, "Dùng ít từ hơn"));
    web_response_free(&out);
    /* nothing found with or without them: the usual help */
    handle(w, "GET", "q=xzqwv+kdjfh&section=Kinh+doanh", &out);
    T_CHECK(strstr(out.body.s, "<h2>Không tìm thấy bài nào cho «xzqwv "
                               "kdjfh»."));
    T_CHECK(strstr(out.body.s, "chính tả"));
    T_CHECK(!strstr(out.body.s, "Bỏ bộ lọc chuyên mục"));
    web_response_free(&out);
    web_free(w);
    sample_gone();
    sbuf_free(&want);
}

/* A section typed without its accents or case is shown as the index
 * names it, as its facet does; a blank one is no filter, as a blank q is
 * no query (defects: the chip "Chuyên mục: thoi su" beside the facet
 * "Thời sự"; section=%20 an empty chip and a filter matching nothing). */
static void test_section_named(void)
{
    web_response out;
    tt_err e;
    web *w;
    sample_made();
    w = web_new(NULL, db_path, &e);
    handle(w, "GET", "q=can+tho&section=THOI++su", &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(strstr(out.body.s, "<li>Chuyên mục: Thời sự<a "));
    T_CHECK(strstr(out.body.s, "<title>can tho, chuyên mục Thời sự – "));
    T_CHECK(strstr(out.body.s, "name=\"section\" value=\"Thời sự\">"));
    T_CHECK(!strstr(out.body.s, "THOI"));
    web_response_free(&out);
    handle(w, "GET", "section=thoi+su", &out); /* filters alone too */
    T_CHECK(strstr(out.body.s, "<title>Chuyên mục Thời sự – "));
    web_response_free(&out);
    handle(w, "GET", "q=can+tho&section=+%C2%A0", &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(strstr(out.body.s, "class=\"hit\""));
    T_CHECK(!strstr(out.body.s, "class=\"chips\""));
    T_CHECK(!strstr(out.body.s, "name=\"section\""));
    T_CHECK(strstr(out.body.s, "<title>can tho – "));
    web_response_free(&out);
    handle(w, "GET", "section=+", &out); /* nothing asked: home */
    T_CHECK(out.status == 200 && strstr(out.body.s, "class=\"home\""));
    web_response_free(&out);
    web_free(w);
    sample_gone();
}

/* The part of page from the first from to the next to (empty when
 * there is none), into out. */
static void part(const char *page, const char *from, const char *to,
                 sbuf *out)
{
    const char *a = strstr(page, from), *b = a ? strstr(a, to) : NULL;
    sbuf_reset(out);
    if (a && b)
        sbuf_add(out, a, (size_t)(b - a));
    sbuf_adds(out, "");
}

/* The results page (feed 0) or the feed (1) of r for the request qs
 * into out (reset), with the default config. */
static void render(const char *qs, const srch_result *r, int feed, sbuf *out)
{
    config c;
    cgi_params p;
    tt_err e;
    config_load(&c, NULL, "/db", &e);
    T_EQ_INT(form(qs, &p, &e), 0);
    sbuf_reset(out);
    if (feed)
        rss_results(&c, "http://h/t.cgi", &p, NULL, r, out);
    else
        page_results(&c, &p, NULL, r, NULL, out);
    cgi_params_free(&p);
    config_free(&c);
}

static void page_for(const char *qs, const srch_result *r, sbuf *out)
{
    render(qs, r, 0, out);
}

/* A search cut short by its time budget before it found anything says
 * so, and how to narrow it; not "nothing found" with spelling tips
 * (defect: it read as if no article existed).  One that found some says
 * its results are a part. */
static void test_cut_short_page(void)
{
    srch_result r;
    sbuf out = {0};
    memset(&r, 0, sizeof r);
    r.cut_ms = 1000;
    r.notes = SRCH_NOTE_SHORT;
    page_for("q=%22ng%C6%B0%E1%BB%9Di+d%C3%A2n%22+OR+%22c%C3%B3%22", &r, &out);
    T_CHECK(strstr(out.s, "<h2>Cuộc tìm bị dừng sau 1000 ms, trước khi tìm "
                          "thấy bài nào.</h2>"));
    T_CHECK(strstr(out.s, "Thu hẹp câu tìm"));
    T_CHECK(!strstr(out.s, "Không tìm thấy"));
    T_CHECK(!strstr(out.s, "chính tả"));
    T_CHECK(!strstr(out.s, "Thử gõ không dấu"));
    T_CHECK(!strstr(out.s, "dưới đây là các bài tìm được"));
    page_for("q=x&page=3", &r, &out); /* not "no more results here" */
    T_CHECK(strstr(out.s, "trước khi tìm thấy bài nào"));
    T_CHECK(!strstr(out.s, "Không còn kết quả"));
    fake_result(&r);
    r.cut_ms = 1000;
    r.notes = SRCH_NOTE_SHORT;
    page_for("q=x", &r, &out);
    T_CHECK(strstr(out.s, "Cuộc tìm bị dừng sau 1000 ms: dưới đây là các bài "
                          "tìm được trong thời gian ấy, tổng số chỉ là ước "
                          "lượng. Thu hẹp câu tìm"));
    sbuf_free(&out);
}

/* A page of filters alone ranks nothing (every score 0) and lists the
 * newest first: its sort switch says so, and offers no other order,
 * which would give the same list (defect: "phù hợp nhất" shown as the
 * order in force). */
static void test_unranked_sort(void)
{
    srch_result r;
    sbuf out = {0}, tools = {0};
    fake_result(&r); /* (scores 0) */
    page_for("section=Xe", &r, &out);
    part(out.s, "<p>Sắp xếp: ", "</p>", &tools);
    T_CHECK(strstr(tools.s, "<strong aria-current=\"true\">mới nhất</strong>"));
    T_CHECK(strstr(tools.s, "không có từ nào để xếp theo độ phù hợp"));
    T_CHECK(!strstr(tools.s, "phù hợp nhất") && !strstr(tools.s, "<a "));
    page_for("q=chuyenmuc%3Axe&sort=recent", &r, &out); /* a field alone */
    part(out.s, "<p>Sắp xếp: ", "</p>", &tools);
    T_CHECK(strstr(tools.s, "<strong aria-current=\"true\">mới nhất</strong>"));
    r.hits[0].score = 3.5; /* words: ranked, every order offered */
    page_for("q=xe", &r, &out);
    part(out.s, "<p>Sắp xếp: ", "</p>", &tools);
    T_CHECK(strstr(tools.s, "<strong aria-current=\"true\">phù hợp nhất</strong>"));
    T_CHECK(strstr(tools.s, ">mới nhất</a>"));
    sbuf_free(&out);
    sbuf_free(&tools);
}

/* Small points of the page: a fast search's time is not "0,000 giây"; a
 * feed ignores sort= as it does page=; the note on an unknown field
 * lists every field; the last page a reader may ask for says how to see
 * the results past it. */
static void test_small_points(void)
{
    srch_result r;
    sbuf out = {0};
    cgi_params p;
    tt_err e;
    fake_result(&r);
    r.seconds = 0.0004;
    page_for("q=x", &r, &out);
    T_CHECK(strstr(out.s, " kết quả (dưới 0,001 giây)</p>"));
    T_CHECK(!strstr(out.s, "0,000"));
    r.seconds = 0.0125;
    page_for("q=x", &r, &out);
    T_CHECK(strstr(out.s, " kết quả (0,013 giây)</p>"));
    /* a feed has no order but the newest first */
    T_EQ_INT(form("q=x&format=rss&sort=bad", &p, &e), 0);
    T_EQ_INT(p.sort, CGI_SORT_RELEVANCE);
    cgi_params_free(&p);
    T_EQ_INT(form("q=x&format=rss&sort=%FF", &p, &e), 400); /* not UTF-8 */
    cgi_params_free(&p);
    T_EQ_INT(form("q=x&sort=bad", &p, &e), 400);
    cgi_params_free(&p);
    r.notes = SRCH_NOTE_FIELD;
    r.unknown_field = (char *)"foo";
    page_for("q=foo%3Ax", &r, &out);
    T_CHECK(strstr(out.s, "nguon: (source:), tu: (since:), den: (until:)."));
    r.notes = 0;
    /* the last page: past it, what the reader may do */
    r.total = 5000;
    page_for("q=x&page=100", &r, &out);
    T_CHECK(strstr(out.s, "Chỉ xem được đến trang 100"));
    page_for("q=x&page=99", &r, &out);
    T_CHECK(!strstr(out.s, "Chỉ xem được đến trang"));
    r.total = 995;
    r.total_exact = 1;
    page_for("q=x&page=100", &r, &out); /* the results end there */
    T_CHECK(!strstr(out.s, "Chỉ xem được đến trang"));
    sbuf_free(&out);
}

/* The chips' × are targets of 24 by 24 CSS pixels at least (WCAG 2.2,
 * 2.5.8); the order in force and the facet selected are marked for
 * screen readers too, as the pager's page is (defects: × links of 25 by
 * 16 px; <strong> alone). */
static void test_a11y_marks(void)
{
    static srch_facet sec[1] = {{(char *)"Xe", 3}};
    static srch_facet years[2] = {{(char *)"2024", 2}, {(char *)"2023", 1}};
    srch_result r;
    sbuf out = {0}, css = {0};
    fake_result(&r);
    r.hits[0].score = 1;
    r.sections = sec;
    r.nsections = 1;
    r.years = years;
    r.nyears = 2;
    page_for("q=x&section=Xe&from=2024&to=2024&sort=date", &r, &out);
    part(out.s, ".chips a{", "}", &css);
    T_CHECK(strstr(css.s, "min-width:1.5rem") && strstr(css.s, "min-height:1.5rem"));
    T_CHECK(strstr(out.s, "<strong aria-current=\"true\">mới nhất</strong>"));
    T_CHECK(strstr(out.s, "<li><strong aria-current=\"true\">Xe</strong>"));
    T_CHECK(strstr(out.s, "<li><strong aria-current=\"true\">2024</strong>"));
    T_CHECK(strstr(out.s, ">2023</a>"));
    r.hits[0].score = 0; /* filters alone: the one order, marked */
    page_for("section=Xe", &r, &out);
    T_CHECK(strstr(out.s, "<strong aria-current=\"true\">mới nhất</strong>"));
    sbuf_free(&out);
    sbuf_free(&css);
}

/* Bidi controls are dropped from what the page and the feed echo, as
 * other format characters are (defect: "abc" U+202E "def ghi" showed as
 * "abcihg fed" in the search box, the title, the heading and the RSS
 * link's title). */
static void test_bidi_dropped(void)
{
    static const char qs[] = "q=abc%E2%80%AEdef+ghi%E2%80%AA%E2%80%AB%E2%80%AC"
                             "%E2%80%AD%E2%81%A6%E2%81%A7%E2%81%A8%E2%81%A9"
                             "%E2%80%8E%E2%80%8F%D8%9Cx";
    srch_result r;
    sbuf out = {0}, t = {0};
    memset(&r, 0, sizeof r);
    page_for(qs, &r, &out);
    T_CHECK(strstr(out.s, "value=\"abcdef ghix\""));
    T_CHECK(strstr(out.s, "<title>abcdef ghix – Tìm tin</title>"));
    T_CHECK(strstr(out.s, "title=\"RSS: abcdef ghix\""));
    T_CHECK(strstr(out.s, "«abcdef ghix»"));
    T_CHECK(!strstr(out.s, "\xE2\x80\xAE") && !strstr(out.s, "\xE2\x81\xA6") &&
            !strstr(out.s, "\xE2\x80\x8E") && !strstr(out.s, "\xD8\x9C"));
    render(qs, &r, 1, &out); /* the feed's title and description */
    T_CHECK(strstr(out.s, "<title>abcdef ghix – Tìm tin</title>"));
    T_CHECK(!strstr(out.s, "\xE2\x80\xAE") && !strstr(out.s, "\xD8\x9C"));
    /* other text: Arabic letters and marks stay, bidi controls go */
    page_escape(&t, "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85\xE2\x80\x8F 1");
    T_EQ_STR(t.s, "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 1");
    sbuf_free(&out);
    sbuf_free(&t);
}

/* A new query typed in the header's search box keeps the filters the page
 * shows as chips and its order, as the date form keeps the query, section
 * and order; not the page number (defect: it kept the order alone and
 * dropped the section and the dates silently). */
static void test_search_box_keeps_filters(void)
{
    srch_result r;
    sbuf out = {0}, form_ = {0};
    fake_result(&r);
    page_for("q=b%C3%A3o&section=Th%E1%BB%9Di+s%E1%BB%B1&from=2023-02&to=2024"
             "&sort=date&page=2", &r, &out);
    part(out.s, "<form class=\"search\"", "</form>", &form_);
    T_CHECK(strstr(form_.s, "<input type=\"hidden\" name=\"section\" "
                            "value=\"Thời sự\">") != NULL);
    T_CHECK(strstr(form_.s, "<input type=\"hidden\" name=\"from\" "
                            "value=\"2023-02\">") != NULL);
    T_CHECK(strstr(form_.s, "<input type=\"hidden\" name=\"to\" "
                            "value=\"2024\">") != NULL);
    T_CHECK(strstr(form_.s, "<input type=\"hidden\" name=\"sort\" "
                            "value=\"date\">") != NULL);
    T_CHECK(strstr(form_.s, "name=\"page\"") == NULL);
    T_CHECK(strstr(form_.s, "name=\"related\"") == NULL); /* a new search */
    sbuf_free(&out);
    sbuf_free(&form_);
}

/* A result's metadata has separators between the items present only
 * (defect: an article without a date began with " · "). */
static void test_meta_separators(void)
{
    static srch_hit h[3];
    srch_result r;
    sbuf out = {0}, meta = {0};
    memset(h, 0, sizeof h);
    memset(&r, 0, sizeof r);
    h[0].id = (char *)"a1"; /* no date */
    h[0].title = (char *)"một";
    h[0].section = (char *)"Xe";
    h[1].id = (char *)"a2"; /* neither date nor section */
    h[1].title = (char *)"hai";
    h[1].published = (char *)"";
    h[2].id = (char *)"a\tb"; /* nothing to show: no line */
    h[2].title = (char *)"ba";
    r.hits = h;
    r.nhits = 3;
    r.total = 3;
    page_for("q=x", &r, &out);
    T_CHECK(strstr(out.s, "<p class=\"meta\"> ") == NULL);
    T_CHECK(strstr(out.s, "<p class=\"meta\"><a href=\"?q=x&amp;section=Xe\">"
                          "Xe</a> · <a href=\"?related=a1\">Tin liên quan</a>"
                          "</p>") != NULL);
    T_CHECK(strstr(out.s, "<p class=\"meta\"><a href=\"?related=a2\">Tin liên "
                          "quan</a></p>") != NULL);
    part(out.s, "<h2>ba</h2>", "</li>", &meta);
    T_CHECK(meta.len > 0 && strstr(meta.s, "class=\"meta\"") == NULL);
    sbuf_free(&out);
    sbuf_free(&meta);
}

/* The help of a search that found nothing offers to drop the filters in
 * force and names them (defect: "Bỏ các bộ lọc chuyên mục và thời gian"
 * with only one of them set). */
static void test_empty_names_filters(void)
{
    srch_result r;
    sbuf out = {0};
    memset(&r, 0, sizeof r);
    page_for("q=x&section=Xe", &r, &out);
    T_CHECK(strstr(out.s, "<li><a href=\"?q=x\">Bỏ bộ lọc chuyên mục</a>."
                          "</li>") != NULL);
    T_CHECK(strstr(out.s, "thời gian.") == NULL);
    page_for("q=x&from=2024", &r, &out);
    T_CHECK(strstr(out.s, "<li><a href=\"?q=x\">Bỏ bộ lọc thời gian</a>."
                          "</li>") != NULL);
    T_CHECK(strstr(out.s, "chuyên mục.") == NULL);
    page_for("q=x&section=Xe&to=2024", &r, &out);
    T_CHECK(strstr(out.s, "<li><a href=\"?q=x\">Bỏ các bộ lọc chuyên mục và "
                          "thời gian</a>.</li>") != NULL);
    page_for("q=x", &r, &out);
    T_CHECK(strstr(out.s, "Bỏ") == NULL);
    sbuf_free(&out);
}

/* The value of name in the first link of page whose href has "name=",
 * as the parser reads it back (NULL when no link has it, "(refused)"
 * when the parser refuses the link); *at moves past the link. */
static char *link_value(const char **at, const char *name)
{
    sbuf pat = {0}, href = {0};
    char *v = NULL;
    const char *h, *end;
    sbuf_addf(&pat, "href=\"?");
    while ((h = strstr(*at, pat.s)) != NULL) {
        h += pat.len;
        end = strchr(h, '"');
        *at = end ? end : h;
        sbuf_reset(&href);
        sbuf_add(&href, h, end ? (size_t)(end - h) : strlen(h));
        if (strstr(href.s, name))
            break;
    }
    if (h) {
        cgi_params p;
        tt_err e;
        sbuf raw = {0};
        /* the attribute's escapes undone: &amp; is the only one a link has */
        for (const char *c = href.s; *c; c++) {
            sbuf_addc(&raw, *c);
            if (!strncmp(c, "&amp;", 5))
                c += 4;
        }
        cgi_params_init(&p);
        if (cgi_parse_form(&p, raw.s, raw.len, 100, &e))
            v = xstrdup("(refused)");
        else if (!strcmp(name, "related="))
            v = xstrdup(p.related ? p.related : "");
        else
            v = xstrdup(p.section ? p.section : "");
        cgi_params_free(&p);
        sbuf_free(&raw);
    }
    sbuf_free(&pat);
    sbuf_free(&href);
    return v;
}

/* Every id and section the corpus may hold gets links the parser takes
 * back unchanged ("Tin liên quan", the section of a hit, its facet), or
 * no link at all. */
static void test_links_taken_back(void)
{
    static srch_hit h[3];
    static srch_facet f[1];
    config c;
    cgi_params p;
    srch_result r;
    sbuf out = {0}, longid = {0}, longsec = {0}, hugesec = {0};
    tt_err e;
    const char *at;
    char *v;
    config_load(&c, NULL, "/db", &e);
    /* an id of the corpus's 1024 bytes, of 3-byte characters, quotes and
     * spaces; a section as long as the parser takes, and one longer */
    sbuf_adds(&longid, "bài \"số\" 'một' & <hai>/");
    while (longid.len + 3 <= ARTICLE_MAX_ID)
        sbuf_adds(&longid, "ệ");
    while (longsec.len + 3 <= CGI_MAX_SECTION)
        sbuf_adds(&longsec, longsec.len % 12 ? "ộ" : " ");
    sbuf_adds(&hugesec, longsec.s);
    sbuf_adds(&hugesec, "ộộ");
    memset(h, 0, sizeof h);
    memset(&r, 0, sizeof r);
    h[0].id = longid.s;
    h[0].title = (char *)"một";
    h[0].section = longsec.s;
    h[1].id = (char *)"a\tb"; /* would come back as "a b": no link */
    h[1].title = (char *)"hai";
    h[1].section = hugesec.s; /* longer than the parser takes: no link */
    f[0].value = hugesec.s;
    f[0].count = 1;
    r.hits = h;
    r.nhits = 2;
    r.total = 2;
    r.sections = f;
    r.nsections = 1;
    T_EQ_INT(form("q=x", &p, &e), 0);
    page_results(&c, &p, NULL, &r, NULL, &out);
    at = out.s;
    v = link_value(&at, "related=");
    T_EQ_STR(v, longid.s);
    free(v);
    v = link_value(&at, "related=");
    T_CHECK(v == NULL); /* a\tb has none */
    free(v);
    at = out.s;
    v = link_value(&at, "section=");
    T_EQ_STR(v, longsec.s);
    free(v);
    v = link_value(&at, "section=");
    T_CHECK(v == NULL); /* neither the second hit nor the facet */
    free(v);
    T_CHECK(strstr(out.s, "ộộ") != NULL); /* shown, not linked */
    cgi_params_free(&p);
    config_free(&c);
    sbuf_free(&out);
    sbuf_free(&longid);
    sbuf_free(&longsec);
    sbuf_free(&hugesec);
}

/* A listening TCP socket on 127.0.0.1, on a port of the kernel's choice. */
static int tcp_listener(void)
{
    struct sockaddr_in a;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    T_EQ_INT(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    T_EQ_INT(listen(l, 8), 0);
    return l;
}

/* --listen ADDRESS: a path that is not a socket is never replaced, nor
 * a socket another process listens on; a socket nobody listens on (left
 * by a process that died) is; a TCP port in use is refused too. */
static void test_listen(void)
{
    char dir[TMP_PATH_MAX];
    sbuf path = {0}, sock = {0}, tcp = {0};
    char *text = NULL;
    size_t len;
    tt_err e;
    int fd, fd2;
    T_CHECK(mkdtemp(tmp_path(dir, sizeof dir, "tt-web-sock-XXXXXX")) != NULL);
    sbuf_addf(&path, "%s/web.conf", dir);
    sbuf_addf(&sock, "%s/fcgi.sock", dir);
    {
        FILE *f = fopen(path.s, "w");
        T_CHECK(f != NULL);
        if (f) {
            fputs("title = X\n", f);
            fclose(f);
        }
    }
    T_EQ_INT(sock_listen(path.s, 8, &fd, &e), TT_EINVAL);
    T_CHECK(strstr(e.msg, "not a socket") != NULL);
    T_EQ_INT(tt_read_file(path.s, 100, &text, &len, NULL), TT_OK);
    T_EQ_STR(text, "title = X\n"); /* untouched */
    free(text);
    T_EQ_INT(sock_listen(dir, 8, &fd, &e), TT_EINVAL); /* a directory */
    /* a socket in use, then left behind */
    T_EQ_INT(sock_listen(sock.s, 8, &fd, &e), TT_OK);
    T_CHECK(fd >= 0);
    T_EQ_INT(sock_listen(sock.s, 8, &fd2, &e), TT_ELOCKED);
    T_CHECK(strstr(e.msg, "another process") != NULL);
    close(fd);
    T_EQ_INT(sock_listen(sock.s, 8, &fd, &e), TT_OK);
    close(fd);
    /* TCP: a port in use; malformed addresses */
    T_EQ_INT(sock_listen("127.0.0.1:0", 8, &fd, &e), TT_EINVAL);
    {
        struct sockaddr_in a;
        socklen_t al = sizeof a;
        int l = tcp_listener();
        getsockname(l, (struct sockaddr *)&a, &al);
        sbuf_addf(&tcp, "127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
        T_EQ_INT(sock_listen(tcp.s, 8, &fd, &e), TT_ELOCKED);
        close(l);
        T_EQ_INT(sock_listen(tcp.s, 8, &fd, &e), TT_OK);
        close(fd);
    }
    static const char *const bad[] = {"", "127.0.0.1:", "127.0.0.1:x",
                                      "127.0.0.1:65536", ":-1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        T_EQ_INT(sock_listen(bad[i], 8, &fd, &e), TT_EINVAL);
    tt_rmtree(dir, NULL);
    sbuf_free(&path);
    sbuf_free(&sock);
    sbuf_free(&tcp);
}

/* A client connected to the TCP socket lsock (127.0.0.1). */
static int client_of(int lsock)
{
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    int c = socket(AF_INET, SOCK_STREAM, 0);
    getsockname(lsock, (struct sockaddr *)&a, &al);
    T_EQ_INT(connect(c, (struct sockaddr *)&a, al), 0);
    return c;
}

/* Connections come with their time limits: each read and write, and the
 * whole exchange (a deadline); FCGI_WEB_SERVER_ADDRS is honoured. */
static void test_accept(void)
{
    struct timeval tv;
    socklen_t tl = sizeof tv;
    char dir[TMP_PATH_MAX], buf[4];
    sbuf path = {0};
    tt_err e;
    int l, c, fd;
    T_CHECK(mkdtemp(tmp_path(dir, sizeof dir, "tt-web-acc-XXXXXX")) != NULL);
    /* a Unix socket does not pass its listener's timeouts on: set */
    sbuf_addf(&path, "%s/s", dir);
    T_EQ_INT(sock_listen(path.s, 8, &l, &e), TT_OK);
    {
        struct sockaddr_un a;
        memset(&a, 0, sizeof a);
        a.sun_family = AF_UNIX;
        memcpy(a.sun_path, path.s, path.len);
        c = socket(AF_UNIX, SOCK_STREAM, 0);
        T_EQ_INT(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    }
    T_EQ_INT(sock_accept(l, -1, 7, NULL, &fd, &e), TT_OK);
    T_CHECK(fd >= 0);
    T_EQ_INT(getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &tl), 0);
    T_EQ_INT(tv.tv_sec, 7);
    T_EQ_INT(getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, &tl), 0);
    T_EQ_INT(tv.tv_sec, 7);
    close(fd);
    close(c);
    close(l);
    l = tcp_listener();
    /* the deadline ends a read that the timeout of each read would let
     * wait (100 s), from a client that says nothing: interrupted, and the
     * connection shut down */
    c = client_of(l);
    T_EQ_INT(sock_accept(l, -1, 100, "", &fd, &e), TT_OK);
    T_CHECK(fd >= 0);
    sock_deadline(fd, 1);
    T_CHECK(read(fd, buf, sizeof buf) <= 0);
    T_EQ_INT(read(fd, buf, sizeof buf), 0);
    sock_deadline(-1, 0);
    close(fd);
    close(c);
    /* FCGI_WEB_SERVER_ADDRS: another address is closed at once */
    c = client_of(l);
    T_EQ_INT(sock_accept(l, -1, 1, "10.1.2.3,127.0.0.10", &fd, &e), TT_OK);
    T_EQ_INT(fd, -1);
    T_CHECK(strstr(e.msg, "127.0.0.1") != NULL);
    T_EQ_INT(read(c, buf, sizeof buf), 0);
    close(c);
    c = client_of(l);
    T_EQ_INT(sock_accept(l, -1, 1, "10.1.2.3,127.0.0.1", &fd, &e), TT_OK);
    T_CHECK(fd >= 0);
    sock_close(fd);
    T_EQ_INT(read(c, buf, sizeof buf), 0); /* closed after its answer */
    close(c);
    /* a wait for a connection ends when wake is readable (a signal
     * handler's pipe: a signal before the wait is not missed) */
    {
        int p[2];
        T_EQ_INT(pipe(p), 0);
        T_EQ_INT(sock_nonblock(l), 0);
        T_EQ_INT(write(p[1], "x", 1), 1);
        T_EQ_INT(sock_accept(l, p[0], 1, NULL, &fd, &e), TT_OK);
        T_EQ_INT(fd, -1);
        close(p[0]);
        close(p[1]);
    }
    close(l);
    T_EQ_INT(sock_accept(l, -1, 1, NULL, &fd, &e), TT_EIO); /* closed */
    tt_rmtree(dir, NULL);
    sbuf_free(&path);
}

/* A client of the IPv6 socket lsock, from ::1 (v6) or 127.0.0.1. */
static int client6_of(int lsock, int v6)
{
    struct sockaddr_in6 a;
    struct sockaddr_in a4;
    socklen_t al = sizeof a;
    int c = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    getsockname(lsock, (struct sockaddr *)&a, &al);
    if (v6) {
        a.sin6_addr = in6addr_loopback;
        T_EQ_INT(connect(c, (struct sockaddr *)&a, sizeof a), 0);
        return c;
    }
    memset(&a4, 0, sizeof a4);
    a4.sin_family = AF_INET;
    a4.sin_port = a.sin6_port;
    a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    T_EQ_INT(connect(c, (struct sockaddr *)&a4, sizeof a4), 0);
    return c;
}

/* FCGI_WEB_SERVER_ADDRS on a dual-stack socket ("[::]:PORT"): an IPv4
 * client, which comes as ::ffff:127.0.0.1, is checked as 127.0.0.1, an
 * IPv6 one against the IPv6 addresses of the list (in any spelling). */
static void test_accept_ipv6(void)
{
    static const struct {
        const char *allowed;
        int v6, taken;
        const char *said; /* when refused */
    } cases[] = {
        {"10.9.9.9", 0, 0, "refused a connection from 127.0.0.1"},
        {"10.9.9.9", 1, 0, "refused a connection from ::1"},
        {"10.9.9.9,127.0.0.1", 0, 1, NULL},
        {"10.9.9.9,127.0.0.1", 1, 0, "refused a connection from ::1"},
        {"::1", 1, 1, NULL},
        {"::1", 0, 0, "refused a connection from 127.0.0.1"},
        {"10.9.9.9, 0:0:0:0:0:0:0:1", 1, 1, NULL},
        {"::ffff:127.0.0.1", 0, 1, NULL},
        {"127.0.0.1", 1, 0, "refused a connection from ::1"},
    };
    struct sockaddr_in6 a;
    int l = socket(AF_INET6, SOCK_STREAM, 0), off = 0;
    char buf[4];
    tt_err e;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_any;
    setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 8)) {
        printf("# skip: no IPv6 here\n");
        close(l);
        return;
    }
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int c = client6_of(l, cases[i].v6), fd;
        T_EQ_INT(sock_accept(l, -1, 1, cases[i].allowed, &fd, &e), TT_OK);
        if (cases[i].taken) {
            if (fd < 0)
                fprintf(stderr, "  case %zu: refused: %s\n", i, e.msg);
            T_CHECK(fd >= 0);
            sock_close(fd);
        } else {
            if (fd >= 0) {
                fprintf(stderr, "  case %zu: taken\n", i);
                close(fd); /* (the read below would wait for good) */
            }
            T_EQ_INT(fd, -1);
            T_CHECK(strstr(e.msg, cases[i].said) != NULL);
            T_EQ_INT(read(c, buf, sizeof buf), 0); /* closed at once */
        }
        close(c);
    }
    close(l);
}

/* A FastCGI record of type and id with content c[0..n) and pad bytes
 * of padding, appended to b. */
static void fcgi_rec(sbuf *b, int type, unsigned id, const char *c, size_t n,
                     unsigned pad)
{
    char h[8] = {1, (char)type, (char)(id >> 8), (char)id, (char)(n >> 8),
                 (char)n, (char)pad, 0};
    sbuf_add(b, h, 8);
    sbuf_add(b, c, n);
    while (pad--)
        sbuf_addc(b, 0);
}

/* A pair of name and a value of vlen bytes ('v'), its value's length on
 * 4 bytes when long4 (as it may be), appended to b. */
static void fcgi_pair(sbuf *b, const char *name, size_t vlen, int long4)
{
    sbuf_addc(b, (char)strlen(name));
    if (long4 || vlen > 127) {
        char l[4] = {(char)(vlen >> 24 | 0x80), (char)(vlen >> 16),
                     (char)(vlen >> 8), (char)vlen};
        sbuf_add(b, l, 4);
    } else {
        sbuf_addc(b, (char)vlen);
    }
    sbuf_adds(b, name);
    for (size_t i = 0; i < vlen; i++)
        sbuf_addc(b, 'v');
}

/* fcgipeek_scan on all of b, then byte by byte (as a connection may give
 * it); TT_OK when both find the parameters complete, else the status of
 * the whole, its message in e. */
static int scan_all(const sbuf *b, tt_err *e)
{
    fcgipeek_state st = {0}, st2 = {0};
    size_t need = 1, n = 0;
    int rc = fcgipeek_scan(&st, (const unsigned char *)b->s, b->len, &need,
                           e);
    if (rc)
        return rc;
    T_EQ_INT(need, 0);
    for (need = 1; need && n <= b->len; n++) {
        if (fcgipeek_scan(&st2, (const unsigned char *)b->s, n, &need, e) ||
            (need && (need <= n || need > FCGIPEEK_MAX))) {
            fprintf(stderr, "  at %zu of %zu: %s (need %zu)\n", n, b->len,
                    e->msg, need);
            T_CHECK(!"scanned byte by byte as a whole");
            break;
        }
    }
    T_EQ_INT(need, 0);
    return TT_OK;
}

/* The parameters of a FastCGI request are checked before libfcgi reads
 * them: lengths it would allocate, 64 KiB in all, its records' shape. */
static void test_fcgipeek_scan(void)
{
    static const char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
    sbuf b = {0}, p = {0}, q = {0};
    tt_err e;
    /* a request as a server sends it, with padding */
    fcgi_rec(&b, 1, 1, begin, 8, 0);
    fcgi_pair(&p, "QUERY_STRING", 16384, 0);
    fcgi_pair(&p, "REQUEST_METHOD", 3, 1);
    fcgi_rec(&b, 4, 1, p.s, p.len, 8 - p.len % 8);
    fcgi_rec(&b, 4, 1, "", 0, 0);
    fcgi_rec(&b, 5, 1, "", 0, 0);
    T_EQ_INT(scan_all(&b, &e), TT_OK);
    /* pairs cut anywhere between records (a 4-byte length too); records
     * of another request and management records between them */
    sbuf_reset(&b);
    sbuf_reset(&p);
    fcgi_pair(&p, "QUERY_STRING", 300, 0);
    fcgi_pair(&p, "REQUEST_METHOD", 3, 1);
    fcgi_rec(&b, 11, 0, "x", 1, 7); /* an unknown management type */
    fcgi_rec(&b, 1, 1, begin, 8, 0);
    for (size_t i = 0; i < p.len; i += 3) {
        fcgi_rec(&b, 4, 1, p.s + i, p.len - i < 3 ? p.len - i : 3, i % 5);
        fcgi_rec(&b, 4, 2, "\xff\xff\xff\xff\x01", 5, 0); /* not ours */
    }
    sbuf_reset(&q);
    fcgi_pair(&q, "FCGI_MAX_CONNS", 0, 0);
    fcgi_rec(&b, 9, 0, q.s, q.len, 0); /* FCGI_GET_VALUES */
    fcgi_rec(&b, 1, 3, begin, 8, 0);   /* another request: skipped */
    fcgi_rec(&b, 4, 1, "", 0, 0);
    T_EQ_INT(scan_all(&b, &e), TT_OK);
    /* 64 KiB in all, however they come: in small pairs, or never ending */
    sbuf_reset(&b);
    fcgi_rec(&b, 1, 1, begin, 8, 0);
    sbuf_reset(&q);
    for (int i = 0; i < 700; i++)
        fcgi_pair(&q, "HTTP_X", 100, 0);
    for (size_t i = 0; i < q.len; i += 30000)
        fcgi_rec(&b, 4, 1, q.s + i, q.len - i < 30000 ? q.len - i : 30000,
                 0);
    fcgi_rec(&b, 4, 1, "", 0, 0);
    T_EQ_INT(scan_all(&b, &e), TT_EINVAL);
    T_CHECK(strstr(e.msg, "parameters over 65536 bytes") != NULL);
    sbuf_reset(&b);
    fcgi_rec(&b, 1, 1, begin, 8, 0);
    while (b.len < 70000)
        fcgi_rec(&b, 4, 2, "x", 1, 7); /* (another request's) */
    T_EQ_INT(scan_all(&b, &e), TT_EINVAL);
    T_CHECK(strstr(e.msg, "parameters over 65536 bytes") != NULL);
    /* a name announced 2 GB long, a value 500 MB long: refused at once;
     * in a management record, a pair must fit the record; not FastCGI, a
     * malformed begin, a body before the parameters' end, parameters that
     * end in a pair */
    {
#define BEGIN1 "\x01\x01\x00\x01\x00\x08\x00\x00" "\0\1\0\0\0\0\0\0"
        static const struct {
            const char *rec;
            size_t n;
            const char *said;
        } bad[] = {
            {BEGIN1 "\x01\x04\x00\x01\x00\x09\x00\x00"
                    "\xff\xff\xff\xfe\x01" "AAAA", 33,
             "a parameter of 2147483647 bytes (parameters take 65536 at "
             "most)"},
            {BEGIN1 "\x01\x04\x00\x01\x00\x06\x02\x00"
                    "\x01\x9f\x40\x00\x00" "Q" "\0\0", 32,
             "a parameter of 524288001 bytes (parameters take 65536 at "
             "most)"},
            {"\x01\x09\x00\x00\x00\x13\x05\x00"
             "\xff\xff\xff\xfe\x00" "FCGI_MAX_CONNS" "\0\0\0\0\0", 32,
             "a parameter of 2147483646 bytes (parameters take 65536 at "
             "most)"},
            {"\x01\x09\x00\x00\x00\x10\x00\x00"
             "\x0e\x01" "FCGI_MAX_CONNS", 24, "a malformed FCGI_GET_VALUES"},
            {"GET / HTTP/1.1\r\n", 16, "not a FastCGI record (version 71)"},
            {"\x01\x01\x00\x00\x00\x08\x00\x00" "\0\1\0\0\0\0\0\0", 16,
             "a malformed FCGI_BEGIN_REQUEST"},
            {BEGIN1 "\x01\x05\x00\x01\x00\x00\x00\x00", 24,
             "a record of type 5 before the end of the parameters"},
            {BEGIN1 "\x01\x04\x00\x01\x00\x03\x05\x00" "\x01\x01" "A\0\0\0\0\0"
             "\x01\x04\x00\x01\x00\x00\x00\x00", 40,
             "the parameters end in a pair"},
        };
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            sbuf_reset(&b);
            sbuf_add(&b, bad[i].rec, bad[i].n);
            T_EQ_INT(scan_all(&b, &e), TT_EINVAL);
            T_EQ_STR(e.msg, bad[i].said);
        }
#undef BEGIN1
    }
    sbuf_free(&b);
    sbuf_free(&p);
    sbuf_free(&q);
}

/* fcgipeek_request on a connection (a Unix socket, TCP) whose request
 * comes in small writes, from another process: it waits for the whole
 * parameters and takes no byte; a request cut short is TT_EIO.  (Not a
 * byte a write: on a Unix socket, each write held takes some 1 KB of the
 * writer's buffer, which fills before the request is there.) */
static void test_fcgipeek_request(void)
{
    static const char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
    sbuf b = {0}, p = {0};
    char *got = xmalloc(70000);
    tt_err e;
    fcgi_rec(&b, 1, 1, begin, 8, 0);
    fcgi_pair(&p, "QUERY_STRING", 3000, 0);
    fcgi_rec(&b, 4, 1, p.s, p.len, 0);
    fcgi_rec(&b, 4, 1, "", 0, 0);
    fcgi_rec(&b, 5, 1, "", 0, 0);
    for (int tcp = 0; tcp < 2; tcp++) {
        for (int cut = 0; cut < 2; cut++) {
            int sv[2], l = -1;
            size_t n = cut ? b.len - 20 : b.len, k = 0;
            pid_t pid;
            if (tcp) {
                l = tcp_listener();
                sv[1] = client_of(l);
                sv[0] = accept(l, NULL, NULL);
            } else {
                T_EQ_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
            }
            pid = fork();
            if (pid == 0) {
                for (size_t i = 0, k1; i < n; i += k1) {
                    k1 = n - i < 50 ? n - i : 50;
                    if (write(sv[1], b.s + i, k1) != (ssize_t)k1)
                        _exit(1);
                }
                _exit(0); /* (closes: the cut request ends there) */
            }
            close(sv[1]);
            T_EQ_INT(fcgipeek_request(sv[0], 10, &e), cut ? TT_EIO : TT_OK);
            waitpid(pid, NULL, 0);
            for (ssize_t r; (r = read(sv[0], got + k, 70000 - k)) > 0;)
                k += (size_t)r;
            T_EQ_INT(k, n); /* every byte still there */
            T_CHECK(memcmp(got, b.s, n) == 0);
            close(sv[0]);
            if (l >= 0)
                close(l);
        }
    }
    free(got);
    sbuf_free(&b);
    sbuf_free(&p);
}

/* The URL the OpenSearch description gives for request r: the page's
 * absolute URL, up to its query. */
static void opensearch_base(web *w, web_request *r, sbuf *out)
{
    web_response resp;
    const char *b, *q;
    r->cgi.method = "GET";
    r->cgi.query_string = "format=opensearch";
    web_handle(w, r, &resp);
    sbuf_reset(out);
    if ((b = strstr(resp.body.s, "template=\"")) != NULL &&
        (q = strstr(b, "?q=")) != NULL)
        sbuf_add(out, b + 10, (size_t)(q - b - 10));
    web_response_free(&resp);
}

static void test_base_url(void)
{
    /* feeds and OpenSearch need the page's absolute URL: the config's
     * base_url, else the request's scheme, host (Host header, else
     * SERVER_NAME), the server's port when the host has none and it is
     * not the scheme's own, and script */
    static const char *const bad_host = "evil.example\"><x>";
    static const struct {
        const char *https, *scheme, *host, *server, *port, *script, *want;
    } cases[] = {
        {NULL, NULL, "tin.example.vn", NULL, NULL, "/cgi-bin/timtin.cgi",
         "http://tin.example.vn/cgi-bin/timtin.cgi"},
        {"on", NULL, "tin.example.vn", NULL, NULL, "/cgi-bin/timtin.cgi",
         "https://tin.example.vn/cgi-bin/timtin.cgi"},
        {NULL, "https", "tin.example.vn", NULL, NULL, "/t.cgi",
         "https://tin.example.vn/t.cgi"},
        /* no usable Host header: the server's name and port */
        {NULL, "https", bad_host, "srv.example.vn", "8443", "/t.cgi",
         "https://srv.example.vn:8443/t.cgi"},
        {"1", NULL, NULL, "srv.example.vn", "443", "/t.cgi",
         "https://srv.example.vn/t.cgi"},
        {NULL, NULL, bad_host, "srv.example.vn", "443", "/t.cgi",
         "http://srv.example.vn:443/t.cgi"},
        {NULL, NULL, NULL, "srv.example.vn", "80", "/t.cgi",
         "http://srv.example.vn/t.cgi"},
        {NULL, NULL, NULL, NULL, "8080", "/t.cgi",
         "http://localhost:8080/t.cgi"},
        /* a Host without its port (nginx's $host): the server's port,
         * unless it is the scheme's own */
        {NULL, NULL, "127.0.0.1", "localhost", "40899", "/tim",
         "http://127.0.0.1:40899/tim"},
        {NULL, "https", "tin.example.vn", "_", "8443", "/tim",
         "https://tin.example.vn:8443/tim"},
        {"on", NULL, "tin.example.vn", NULL, "443", "/tim",
         "https://tin.example.vn/tim"},
        {NULL, NULL, "tin.example.vn", NULL, "80", "/tim",
         "http://tin.example.vn/tim"},
        {NULL, NULL, "[::1]", NULL, "8080", "/tim", "http://[::1]:8080/tim"},
        {NULL, NULL, "tin.example.vn", NULL, "8o", "/tim",
         "http://tin.example.vn/tim"},
        /* the Host header's own port wins */
        {NULL, NULL, "tin.example.vn:8080", NULL, "80", "/tim",
         "http://tin.example.vn:8080/tim"},
        {NULL, NULL, "[::1]:9000", NULL, "8080", "/tim",
         "http://[::1]:9000/tim"},
        /* a script path is percent-encoded where a URL cannot hold it */
        {NULL, NULL, NULL, NULL, NULL, "/tìm kiếm/\"a\".cgi",
         "http://localhost/t%C3%ACm%20ki%E1%BA%BFm/%22a%22.cgi"},
        {NULL, NULL, NULL, NULL, NULL, NULL, "http://localhost/timtin.cgi"},
    };
    tt_err e;
    sbuf u = {0};
    web_request r = {0};
    web *w = web_new(NULL, "/nonexistent/db", &e);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r.https = cases[i].https;
        r.request_scheme = cases[i].scheme;
        r.http_host = cases[i].host;
        r.server_name = cases[i].server;
        r.server_port = cases[i].port;
        r.script_name = cases[i].script;
        opensearch_base(w, &r, &u);
        T_EQ_STR(u.s, cases[i].want);
    }
    web_free(w);
    /* the config's base_url wins */
    {
        char *path = write_tmp("base_url = https://tin.example.vn/tim\n");
        w = web_new(path, "/nonexistent/db", &e);
        unlink(path);
        free(path);
        T_EQ_INT(e.code, TT_OK);
        opensearch_base(w, &r, &u);
        T_EQ_STR(u.s, "https://tin.example.vn/tim");
        web_free(w);
    }
    sbuf_free(&u);
}

/* Random requests (bytes biased towards the form syntax and UTF-8 lead
 * bytes): parsing never crashes, and whatever is accepted renders as
 * valid UTF-8 with no tag but the page's own. */
static void test_random(void)
{
    static const char alphabet[] = "%%%&&==++qpagesortfromtosectionformat"
                                   "0123456789abcdefABCDEF<>\"' \xc3\xa1"
                                   "\xe1\xba\xa7\xff\x80\x01";
    config c;
    tt_err e;
    sbuf in = {0}, out = {0};
    unsigned seed = 12345;
    config_load(&c, NULL, "/db", &e);
    for (int i = 0; i < 3000; i++) {
        cgi_params p;
        srch_result r;
        sbuf_reset(&in);
        int n = (int)(rand_r(&seed) % 60);
        for (int k = 0; k < n; k++)
            sbuf_addc(&in, alphabet[rand_r(&seed) % (sizeof alphabet - 1)]);
        if (in.len > 2 && i % 3 == 0)
            memcpy(in.s, "q=", 2);
        cgi_params_init(&p);
        int rc = cgi_parse_form(&p, in.s ? in.s : "", in.len, 100, &e);
        sbuf_reset(&out);
        if (rc == 0) {
            fake_result(&r);
            page_results(&c, &p, NULL, &r, NULL, &out);
        } else {
            T_CHECK(rc == 400);
            page_error(&c, &p, rc, e.msg, &out);
        }
        T_CHECK(uni_valid(out.s, out.len));
        T_CHECK(strstr(out.s, "<script") == NULL);
        T_CHECK(strstr(out.s, "<img") == NULL);
        cgi_params_free(&p);
    }
    config_free(&c);
    sbuf_free(&in);
    sbuf_free(&out);
}

/* ---- the facet links and the pager (s16-page) ---- */

/* The query string of the link href (the attribute's text, "?…" with
 * &amp;) into raw. */
static void link_query(const char *href, sbuf *raw)
{
    sbuf_reset(raw);
    for (const char *c = href + 1; *c; c++) {
        sbuf_addc(raw, *c);
        if (!strncmp(c, "&amp;", 5))
            c += 4;
    }
    sbuf_adds(raw, "");
}

/* The page's total as JSON says it for the link href, -1 when the answer
 * is not 200. */
static long link_total(web *w, const char *href)
{
    web_response out;
    sbuf qs = {0};
    long n = -1;
    const char *t;
    link_query(href, &qs);
    sbuf_adds(&qs, "&format=json");
    handle(w, "GET", qs.s, &out);
    if (out.status == 200 && (t = strstr(out.body.s, "\"total\":")) != NULL)
        n = strtol(t + 8, NULL, 10);
    web_response_free(&out);
    sbuf_free(&qs);
    return n;
}

/* The parameters of the link href as the parser reads them back into p
 * (to free); its status. */
static int link_params(const char *href, cgi_params *p)
{
    tt_err e;
    sbuf raw = {0};
    int rc;
    link_query(href, &raw);
    cgi_params_init(p);
    rc = cgi_parse_form(p, raw.s, raw.len, 1000, &e);
    sbuf_free(&raw);
    return rc;
}

/* Whether the link href filters from..to (NULL: open) with the sort. */
static int link_range(const char *href, const char *from, const char *to,
                      int sort)
{
    cgi_params p;
    int ok = link_params(href, &p) == 0 && p.sort == sort && p.page == 1;
    ok = ok && (from ? p.from && !strcmp(p.from, from) : !p.from);
    ok = ok && (to ? p.to && !strcmp(p.to, to) : !p.to);
    if (!ok)
        fprintf(stderr, "  %s: not from %s to %s\n", href, from, to);
    cgi_params_free(&p);
    return ok;
}

/* The facet link of value (a year or a section) on page, its href text
 * into href; 0 when the facet lists it without a link. */
static int facet_link(const char *page, const char *value, sbuf *href)
{
    sbuf pat = {0};
    const char *side = strstr(page, "<aside"), *a, *h;
    int found = 0;
    sbuf_addf(&pat, "\">%s</a><span class=\"n\">", value);
    sbuf_reset(href);
    if (side && (a = strstr(side, pat.s)) != NULL) {
        for (h = a; h > side && strncmp(h, "href=\"", 6); h--)
            ;
        if (h > side) {
            sbuf_add(href, h + 6, (size_t)(a - h - 6));
            found = 1;
        }
    }
    sbuf_adds(href, "");
    sbuf_free(&pat);
    return found;
}

/* Each facet's count is what its link finds: every facet link of the
 * page for qs, followed, finds as many results as the facet says. */
static void facet_counts_found(web *w, const char *qs)
{
    web_response out;
    const char *at, *end;
    int links = 0;
    handle(w, "GET", qs, &out);
    T_EQ_INT(out.status, 200);
    at = strstr(out.body.s, "<aside");
    end = at ? strstr(at, "<form class=\"dates\"") : NULL;
    while (at && end && (at = strstr(at, "<li><a href=\"")) != NULL &&
           at < end) {
        const char *h = at + 13, *q = strchr(h, '"');
        const char *n = q ? strstr(q, "<span class=\"n\">") : NULL;
        sbuf href = {0};
        if (!q || !n)
            break;
        sbuf_add(&href, h, (size_t)(q - h));
        sbuf_adds(&href, "");
        long want = strtol(n + 16, NULL, 10);
        long got = link_total(w, href.s);
        if (got != want)
            fprintf(stderr, "  %s: facet link %s counts %ld, finds %ld\n",
                    qs, href.s, want, got);
        T_EQ_INT(got, want);
        links++;
        sbuf_free(&href);
        at = q;
    }
    T_CHECK(links > 0);
    web_response_free(&out);
}

/* A year facet link keeps the narrower date range in force (the year
 * within it), and a section facet link every other filter, so that the
 * count beside each is what the link finds (defect: a year linked
 * from=YEAR&to=YEAR whatever the range, and found the whole year). */
static void test_facet_links_keep_filters(void)
{
    web_response out;
    sbuf href = {0};
    tt_err e;
    web *w;
    sample_made();
    w = web_new(NULL, db_path, &e);
    T_EQ_INT(e.code, TT_OK);
    /* "năm" from June 2022 to March 2025, newest first */
    handle(w, "GET", "q=n%C4%83m&from=2022-06&to=2025-03&sort=date", &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(facet_link(out.body.s, "2022", &href));
    T_CHECK(link_range(href.s, "2022-06", "2022", CGI_SORT_DATE));
    T_CHECK(facet_link(out.body.s, "2023", &href));
    T_CHECK(link_range(href.s, "2023", "2023", CGI_SORT_DATE));
    T_CHECK(facet_link(out.body.s, "2025", &href));
    T_CHECK(link_range(href.s, "2025", "2025-03", CGI_SORT_DATE));
    T_CHECK(facet_link(out.body.s, "Thời sự", &href));
    T_CHECK(link_range(href.s, "2022-06", "2025-03", CGI_SORT_DATE));
    {
        cgi_params q;
        T_EQ_INT(link_params(href.s, &q), 0);
        T_EQ_STR(q.q, "năm");
        T_EQ_STR(q.section, "Thời sự");
        cgi_params_free(&q);
    }
    web_response_free(&out);
    /* a range within one year: its year is the page itself, in bold */
    handle(w, "GET", "q=n%C4%83m&from=2022-06&to=2022-12", &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(!facet_link(out.body.s, "2022", &href));
    T_CHECK(strstr(out.body.s, "<li><strong aria-current=\"true\">2022</strong>") != NULL);
    web_response_free(&out);
    /* the year chosen: bold as before */
    handle(w, "GET", "q=n%C4%83m&from=2024&to=2024", &out);
    T_CHECK(strstr(out.body.s, "<li><strong aria-current=\"true\">2024</strong>") != NULL);
    web_response_free(&out);
    /* every facet link finds its count, with any mix of filters */
    facet_counts_found(w, "q=n%C4%83m&from=2022-06&to=2025-03&sort=date");
    facet_counts_found(w, "q=n%C4%83m&from=2022-06-15");
    facet_counts_found(w, "q=n%C4%83m&to=2023-07");
    facet_counts_found(w, "q=ng%C6%B0%E1%BB%9Di&section=Th%E1%BA%BF+gi%E1%BB%9Bi"
                          "&from=2021-06&to=2023");
    facet_counts_found(w, "q=c%E1%BB%A7a&from=2021-12-01&to=2024-06-30&sort=recent");
    web_free(w);
    sample_gone();
    sbuf_free(&href);
}

/* The pager of a page: the highest page it links (0: none) and the page
 * its rel="next" link goes to (0: none). */
static void pager_links(const char *page, unsigned *highest, unsigned *next)
{
    const char *at = strstr(page, "<nav class=\"pager\"");
    const char *end = at ? strstr(at, "</nav>") : NULL;
    *highest = *next = 0;
    while (at && end && (at = strstr(at, "<a ")) != NULL && at < end) {
        const char *h = strstr(at, "href=\""), *q = h ? strchr(h + 6, '"') : NULL;
        sbuf href = {0};
        cgi_params p;
        if (!q)
            break;
        sbuf_add(&href, h + 6, (size_t)(q - h - 6));
        sbuf_adds(&href, "");
        unsigned n = link_params(href.s, &p) ? 0 : p.page;
        if (n > *highest)
            *highest = n;
        if (!strncmp(at, "<a rel=\"next\"", 13))
            *next = n;
        cgi_params_free(&p);
        sbuf_free(&href);
        at = q;
    }
}

/* The pager for page cur of a result with nhits hits and the total. */
static void pager_of_lower(const config *c, unsigned cur, size_t nhits,
                           uint32_t total, int exact, uint32_t lower,
                           unsigned *highest, unsigned *next)
{
    static srch_hit h[100];
    cgi_params p;
    srch_result r;
    sbuf out = {0}, qs = {0};
    tt_err e;
    memset(h, 0, sizeof h);
    memset(&r, 0, sizeof r);
    for (size_t i = 0; i < nhits; i++)
        h[i].title = (char *)"bão lũ";
    r.hits = h;
    r.nhits = nhits;
    r.total = total;
    r.total_exact = exact;
    r.total_lower = lower;
    sbuf_addf(&qs, "q=b%%C3%%A3o+l%%C5%%A9&page=%u", cur);
    cgi_params_init(&p);
    T_EQ_INT(cgi_parse_form(&p, qs.s, qs.len, c->max_page, &e), 0);
    page_results(c, &p, NULL, &r, NULL, &out);
    pager_links(out.s, highest, next);
    cgi_params_free(&p);
    sbuf_free(&out);
    sbuf_free(&qs);
}

static void pager_of(const config *c, unsigned cur, size_t nhits,
                     uint32_t total, int exact, unsigned *highest,
                     unsigned *next)
{
    pager_of_lower(c, cur, nhits, total, exact, 0, highest, next);
}

/* The pager offers the next page while a page is full, whatever the
 * estimated total says, and numbers only the pages known to hold results
 * (defect: it took its last page from the estimate, which may be too low,
 * "about 400" with results past page 40 and no "next" there, or too high,
 * "about 500" for 194 results, pages 21-50 offered and empty). */
static void test_pager_lower_bound(void)
{
    config c;
    tt_err e;
    unsigned hi, next;
    config_load(&c, NULL, "/db", &e);
    c.per_page = 10;
    c.max_page = 100;
    /* an estimate too low: page 40 of "about 400" is full, page 41 next */
    pager_of(&c, 40, 10, 400, 0, &hi, &next);
    T_EQ_INT(next, 41);
    T_EQ_INT(hi, 41);
    pager_of(&c, 41, 10, 400, 0, &hi, &next); /* and past it */
    T_EQ_INT(next, 42);
    T_EQ_INT(hi, 42);
    /* an estimate too high: no page numbered beyond the next one */
    pager_of(&c, 1, 10, 500, 0, &hi, &next);
    T_EQ_INT(next, 2);
    T_EQ_INT(hi, 2);
    pager_of(&c, 20, 4, 500, 0, &hi, &next); /* the last, not full */
    T_EQ_INT(next, 0);
    T_EQ_INT(hi, 19); /* "‹ Trước" and the pages before */
    pager_of(&c, 100, 10, 5000, 0, &hi, &next); /* max_page: no further */
    T_EQ_INT(next, 0);
    T_EQ_INT(hi, 99);
    /* an exact total numbers its pages to the last */
    pager_of(&c, 1, 10, 25, 1, &hi, &next);
    T_EQ_INT(next, 2);
    T_EQ_INT(hi, 3);
    pager_of(&c, 3, 10, 30, 1, &hi, &next); /* full, and the last */
    T_EQ_INT(next, 0);
    T_EQ_INT(hi, 2);
    pager_of(&c, 1, 10, 2500, 1, &hi, &next); /* capped at max_page */
    T_EQ_INT(next, 2);
    T_EQ_INT(hi, 100);
    pager_of(&c, 1, 7, 7, 1, &hi, &next); /* one page: no pager */
    T_EQ_INT(next, 0);
    T_EQ_INT(hi, 0);
    /* what the search read holds results: its pages are numbered */
    pager_of_lower(&c, 1, 10, 500, 0, 130, &hi, &next); /* 13 pages */
    T_EQ_INT(next, 2);
    T_EQ_INT(hi, 13);
    config_free(&c);
}

/* The page asks for one result more than it shows, so that a page that
 * ends the results knows it does: 300 of 1,000 articles say "nắng đẹp",
 * which Xapian estimates as if the two words were independent, and the
 * 30th page (the last, full) offered a 31st, empty, page. */
static void test_last_full_page(void)
{
    char dir[TMP_PATH_MAX];
    xap_wdb *wdb;
    tt_err e;
    tmp_path(dir, sizeof dir, "tt-web-XXXXXX");
    T_EQ_INT(sample_new(dir, &wdb, &e), TT_OK);
    idx_builder *b = idx_builder_new();
    for (int i = 0; i < 1000; i++) {
        char json[200];
        article a;
        snprintf(json, sizeof json,
                 "{\"id\":\"p%d\",\"title\":\"tin %d\","
                 "\"body\":[\"%s số %d\"]}",
                 i, i, i < 300 ? "trời nắng đẹp" : "trời mưa to", i);
        T_EQ_INT(article_from_json(json, strlen(json), &a, &e), TT_OK);
        T_EQ_INT(sample_put(wdb, b, &a, &e), TT_OK);
        article_free(&a);
    }
    idx_builder_free(b);
    T_EQ_INT(sample_finish(wdb, &e), TT_OK);
    web *w = web_new(NULL, dir, &e);
    web_response out;
    handle(w, "GET", "q=n%E1%BA%AFng+%C4%91%E1%BA%B9p&page=29", &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(strstr(out.body.s, "rel=\"next\"") != NULL); /* page 30 */
    web_response_free(&out);
    handle(w, "GET", "q=n%E1%BA%AFng+%C4%91%E1%BA%B9p&page=30", &out);
    T_EQ_INT(out.status, 200);
    T_CHECK(strstr(out.body.s, "rel=\"next\"") == NULL);
    T_CHECK(strstr(out.body.s, "<strong>300</strong> kết quả") != NULL);
    web_response_free(&out);
    web_free(w);
    *strrchr(dir, '/') = '\0';
    tt_rmtree(dir, NULL);
}

/* web2: the feed of the results r to the request qs into out (reset) */
static void web2_feed(const char *qs, const srch_result *r, sbuf *out)
{
    render(qs, r, 1, out);
}

/* web2: RSS titles and descriptions are HTML escaped for XML: an
 * article's markup reaches a feed reader as text */
static void test_rss_html(void)
{
    srch_result r;
    sbuf out = {0};
    fake_result(&r);
    srch_mark m = {4, 14}; /* "<i>hai</i>" */
    r.hits[1].snippet = (char *)"Tin <i>hai</i> & ba";
    r.hits[1].marks = &m;
    r.hits[1].nmarks = 1;
    web2_feed("q=a%3Cb", &r, &out);
    T_CHECK(strstr(out.s, "<title>a&#x3C;b – Tìm tin</title>") != NULL);
    T_CHECK(strstr(out.s, "<description>Tin mới nhất cho «a&amp;lt;b» – ") !=
            NULL);
    T_CHECK(strstr(out.s, "<title>&#x3C;script&#x3E;alert(1)&#x3C;/"
                          "script&#x3E;</title>") != NULL);
    /* the page's snippet: text escaped, matches in <mark> */
    T_CHECK(strstr(out.s, "<description>Tin &lt;mark&gt;&amp;lt;i&amp;gt;"
                          "hai&amp;lt;/i&amp;gt;&lt;/mark&gt; &amp;amp; ba"
                          "</description>") != NULL);
    /* invalid UTF-8: the text escaped, U+FFFD, no marks */
    T_CHECK(strstr(out.s, "<description>&amp;lt;img&amp;gt; &amp;amp;  "
                          "]]&amp;gt; \xef\xbf\xbd end</description>") != NULL);
    /* plain text stays plain text */
    T_CHECK(strstr(out.s, "<dc:creator>A &#x3C;b&#x3E;</dc:creator>") != NULL);
    sbuf_free(&out);
}

/* A feed is named by what it holds: its query, section, period and the
 * article its items relate to; so is the page's link to it (defect: a
 * section's feed was "Tìm tin", a filtered one its query alone). */
static void test_feed_named(void)
{
    static const char src[] = "Cần Thơ khởi công cầu mới bắc qua sông Cần "
                              "Thơ, vốn gần 900 tỉ đồng";
    srch_result r;
    sbuf out = {0}, want = {0};
    tt_err e;
    web *w;
    fake_result(&r);
    web2_feed("section=Th%E1%BB%9Di+s%E1%BB%B1&format=rss", &r, &out);
    T_CHECK(strstr(out.s, "<title>Chuyên mục Thời sự – Tìm tin</title>") !=
            NULL);
    T_CHECK(strstr(out.s, "<description>Tin mới nhất chuyên mục Thời sự – ") !=
            NULL);
    web2_feed("q=th%C3%A0nh&section=X%26Y&from=2023&to=2024&format=rss", &r,
              &out);
    T_CHECK(strstr(out.s, "<title>thành, chuyên mục X&#x26;Y, từ 01/01/2023 "
                          "đến 31/12/2024 – Tìm tin</title>") != NULL);
    T_CHECK(strstr(out.s, "<description>Tin mới nhất cho «thành», chuyên mục "
                          "X&amp;amp;Y, từ 01/01/2023 đến 31/12/2024 – ") !=
            NULL);
    web2_feed("to=2024-05&format=rss", &r, &out);
    T_CHECK(strstr(out.s, "<title>Tin đến 31/05/2024 – Tìm tin</title>") !=
            NULL);
    T_CHECK(strstr(out.s, "<description>Tin mới nhất đến 31/05/2024 – ") !=
            NULL);
    /* related: the article named, in the feed and the page's link to it */
    sample_made();
    w = web_new(NULL, db_path, &e);
    sbuf_addf(&want, "<title>Tin liên quan: %s – Tìm tin</title>", src);
    T_CHECK(answers(w, "related=20230612081542118&format=rss", 200, want.s));
    sbuf_reset(&want);
    sbuf_addf(&want, "<description>Tin mới nhất liên quan đến «%s» – ", src);
    T_CHECK(answers(w, "related=20230612081542118&format=rss", 200, want.s));
    sbuf_reset(&want);
    sbuf_addf(&want, "type=\"application/rss+xml\" title=\"RSS: Tin liên "
                     "quan: %s\"", src);
    T_CHECK(answers(w, "related=20230612081542118", 200, want.s));
    T_CHECK(answers(w, "q=n%C4%83m&section=Th%E1%BB%9Di+s%E1%BB%B1&from=2023",
                    200, "type=\"application/rss+xml\" title=\"RSS: năm, "
                         "chuyên mục Thời sự, từ 01/01/2023\""));
    web_free(w);
    sample_gone();
    sbuf_free(&out);
    sbuf_free(&want);
}

/* web2: an item's link is its URL with non-ASCII bytes percent-encoded:
 * never a character dropped, which would make it another URL */
static void test_rss_link(void)
{
    srch_result r;
    sbuf out = {0};
    cgi_url_ascii(&out, "https://ex.vn/a\xef\xbf\xbe" "b/C\xe1\xba\xa7n?\xff=%41&");
    T_EQ_STR(out.s, "https://ex.vn/a%EF%BF%BEb/C%E1%BA%A7n?%FF=%41&");
    fake_result(&r);
    r.hits[1].url = (char *)"https://ex.vn/a\xef\xbf\xbe" "b?x=1&y=2";
    web2_feed("q=a", &r, &out);
    T_CHECK(strstr(out.s, "<link>https://ex.vn/a%EF%BF%BEb?x=1&amp;y=2"
                          "</link>") != NULL);
    sbuf_free(&out);
}

/* web2: a query string over the cap is refused (414) in the format it
 * asks, found in it as the parser would */
static void test_414_format(void)
{
    static const char *const asks[][2] = {
        {"q=a&format=json&x=", ""},
        {"format=rss&%66ormat=json&x=", ""},
        {"format=json&format=bad&x=", ""}, /* the last valid */
        {"x=", "&format=json"}};
    cgi_params p;
    tt_err e;
    for (size_t i = 0; i < sizeof asks / sizeof *asks; i++) {
        sbuf big = {0};
        sbuf_adds(&big, asks[i][0]);
        while (big.len <= CGI_MAX_QUERY_STRING)
            sbuf_addc(&big, 'a');
        sbuf_adds(&big, asks[i][1]);
        T_EQ_INT(request("GET", big.s, NULL, NULL, NULL, &p, &e), 414);
        T_EQ_INT(p.format, CGI_JSON);
        cgi_params_free(&p);
        sbuf_free(&big);
    }
}

/* An apostrophe in a stored value or in the query is escaped as &#39;
 * wherever the page shows it: a value may end up inside an attribute
 * quoted with ' (a template's or a browser extension's), so none is
 * written raw. */
static void test_apostrophe_escaped(void)
{
    static srch_hit h;
    static srch_mark m = {0, 4};
    config c;
    cgi_params p;
    srch_result r;
    sbuf out = {0};
    tt_err e;
    config_load(&c, NULL, "/db", &e);
    T_EQ_INT(form("q=it%27s&section=Th%E1%BB%83+thao%27", &p, &e), 0);
    memset(&r, 0, sizeof r);
    memset(&h, 0, sizeof h);
    h.id = (char *)"a'1";
    h.url = (char *)"https://example.vn/a'b";
    h.title = (char *)"Title's end";
    h.published = (char *)"2023-06-12T08:15:00+07:00";
    h.section = (char *)"Sec'tion";
    h.snippet = (char *)"it's a snippet's words";
    h.marks = &m;
    h.nmarks = 1;
    r.hits = &h;
    r.nhits = 1;
    r.total = 1;
    r.total_exact = 1;
    r.suggestion = (char *)"its'";
    page_results(&c, &p, NULL, &r, NULL, &out);
    T_CHECK(strstr(out.s, "Title&#39;s end") != NULL);
    T_CHECK(strstr(out.s, "<mark>it&#39;s</mark>") != NULL);
    T_CHECK(strstr(out.s, "snippet&#39;s words") != NULL);
    T_CHECK(strstr(out.s, "Sec&#39;tion") != NULL);
    T_CHECK(strstr(out.s, "value=\"it&#39;s\"") != NULL); /* query echo */
    T_CHECK(strstr(out.s, "a&#39;b") != NULL || strstr(out.s, "a%27b"));
    /* no value's apostrophe raw, anywhere */
    T_CHECK(strstr(out.s, "Title's") == NULL);
    T_CHECK(strstr(out.s, "it's") == NULL);
    T_CHECK(strstr(out.s, "snippet's") == NULL);
    T_CHECK(strstr(out.s, "Sec'tion") == NULL);
    T_CHECK(strstr(out.s, "its'") == NULL);
    T_CHECK(strstr(out.s, "thao'") == NULL);
    T_CHECK(strstr(out.s, "a'b") == NULL);
    T_CHECK(strstr(out.s, "a'1") == NULL);
    sbuf_reset(&out);
    page_error(&c, &p, 500, "can't", &out);
    T_CHECK(strstr(out.s, "can&#39;t") != NULL);
    T_CHECK(strstr(out.s, "can't") == NULL);
    cgi_params_free(&p);
    config_free(&c);
    sbuf_free(&out);
}

int main(void)
{
    T_RUN(test_decode);
    T_RUN(test_url_encode);
    T_RUN(test_params);
    T_RUN(test_read);
    T_RUN(test_link);
    T_RUN(test_config);
    T_RUN(test_config_relative_db);
    T_RUN(test_page_escaping);
    T_RUN(test_links_taken_back);
    T_RUN(test_rss);
    T_RUN(test_handler);
    T_RUN(test_related_db_gone);
    T_RUN(test_log_request);
    T_RUN(test_pages_named);
    T_RUN(test_dates_swapped);
    T_RUN(test_filters_emptied);
    T_RUN(test_section_named);
    T_RUN(test_cut_short_page);
    T_RUN(test_bidi_dropped);
    T_RUN(test_a11y_marks);
    T_RUN(test_small_points);
    T_RUN(test_unranked_sort);
    T_RUN(test_search_box_keeps_filters);
    T_RUN(test_meta_separators);
    T_RUN(test_empty_names_filters);
    T_RUN(test_listen);
    T_RUN(test_accept);
    T_RUN(test_accept_ipv6);
    T_RUN(test_fcgipeek_scan);
    T_RUN(test_fcgipeek_request);
    T_RUN(test_base_url);
    T_RUN(test_random);
    T_RUN(test_facet_links_keep_filters);
    T_RUN(test_pager_lower_bound);
    T_RUN(test_last_full_page);
    T_RUN(test_rss_html);
    T_RUN(test_feed_named);
    T_RUN(test_rss_link);
    T_RUN(test_414_format);
    T_RUN(test_apostrophe_escaped);
    return t_summary();
}
