/* test_robots.c — robots.txt per RFC 9309 (crawler/robots.h). */
#include <stdlib.h>
#include <string.h>

#include "robots.h"
#include "t.h"
#include "url.h"

static robots *parse(const char *s) { return robots_parse(s, strlen(s), "timtin"); }

static void test_groups(void)
{
    robots *r = parse("User-agent: *\nDisallow: /private/\n\n"
                      "User-agent: timtin\nDisallow: /only-timtin/\n\n"
                      "User-agent: other\nDisallow: /\n");
    /* our group, not the * group */
    T_EQ_INT(robots_allowed(r, "/private/x"), 1);
    T_EQ_INT(robots_allowed(r, "/only-timtin/x"), 0);
    T_EQ_INT(robots_allowed(r, "/"), 1);
    robots_free(r);
    r = parse("User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\n"
              "Disallow: /tim-kiem/\n");
    T_EQ_INT(robots_allowed(r, "/tim-kiem/x"), 0);
    T_EQ_INT(robots_allowed(r, "/thoi-su.htm"), 1);
    robots_free(r);
}

static void test_merge_and_multi_agents(void)
{
    /* consecutive user-agent lines share a group; two groups for us merge */
    robots *r = parse("User-agent: a\nUser-agent: TIMTIN/1.0\nDisallow: /x\n"
                      "User-agent: timtin\nDisallow: /y\n");
    T_EQ_INT(robots_allowed(r, "/x1"), 0);
    T_EQ_INT(robots_allowed(r, "/y1"), 0);
    T_EQ_INT(robots_allowed(r, "/z"), 1);
    robots_free(r);
    /* a product token must match whole: "timtinbot" is someone else */
    r = parse("User-agent: timtinbot\nDisallow: /\n");
    T_EQ_INT(robots_allowed(r, "/a"), 1);
    robots_free(r);
}

static void test_longest_match(void)
{
    robots *r = parse("User-agent: *\nDisallow: /a\nAllow: /a/b\n"
                      "Disallow: /a/b/c\nAllow: /page\nDisallow: /page\n");
    T_EQ_INT(robots_allowed(r, "/a"), 0);
    T_EQ_INT(robots_allowed(r, "/a/b"), 1);
    T_EQ_INT(robots_allowed(r, "/a/b/c/d"), 0);
    /* equal length: allow wins */
    T_EQ_INT(robots_allowed(r, "/page"), 1);
    robots_free(r);
    /* and whichever comes first: not first match */
    r = parse("User-agent: *\nDisallow: /page\nAllow: /page\n"
              "Disallow: /x/*.htm\nAllow: /x/a.htm\n");
    T_EQ_INT(robots_allowed(r, "/page"), 1);
    T_EQ_INT(robots_allowed(r, "/page/2"), 1);
    T_EQ_INT(robots_allowed(r, "/x/a.htm"), 1);
    T_EQ_INT(robots_allowed(r, "/x/b.htm"), 0);
    robots_free(r);
}

static void test_wildcards(void)
{
    robots *r = parse("User-agent: *\nDisallow: /*.php$\nDisallow: /*?utm_\n"
                      "Disallow: /fish*.htm\nAllow: /fish-ok*.htm\n"
                      "Disallow: /exact$\n");
    T_EQ_INT(robots_allowed(r, "/index.php"), 0);
    T_EQ_INT(robots_allowed(r, "/index.php?x=1"), 1);
    T_EQ_INT(robots_allowed(r, "/a/b.php"), 0);
    T_EQ_INT(robots_allowed(r, "/a?utm_source=x"), 0);
    T_EQ_INT(robots_allowed(r, "/a?x=1"), 1);
    T_EQ_INT(robots_allowed(r, "/fish123.htm"), 0);
    T_EQ_INT(robots_allowed(r, "/fish-ok.htm"), 1);
    T_EQ_INT(robots_allowed(r, "/exact"), 0);
    T_EQ_INT(robots_allowed(r, "/exactly"), 1);
    robots_free(r);
}

static void test_syntax(void)
{
    /* comments, odd spacing and case, CRLF, a BOM, junk lines */
    robots *r = parse("\xEF\xBB\xBFuser-AGENT :  *   # everyone\r\n"
                      "garbage line\r\n"
                      "DISALLOW:/x # no x\r\n"
                      "Crawl-delay: 2.5\r\n"
                      "Sitemap: https://tuoitre.vn/sitemaps/index.rss\r\n");
    T_EQ_INT(robots_allowed(r, "/x"), 0);
    T_EQ_INT(robots_allowed(r, "/y"), 1);
    T_CHECK(robots_crawl_delay(r) > 2.4 && robots_crawl_delay(r) < 2.6);
    T_EQ_INT(robots_nsitemaps(r), 1);
    T_EQ_STR(robots_sitemap(r, 0), "https://tuoitre.vn/sitemaps/index.rss");
    robots_free(r);
    /* empty Disallow allows everything */
    r = parse("User-agent: *\nDisallow:\n");
    T_EQ_INT(robots_allowed(r, "/anything"), 1);
    T_CHECK(robots_crawl_delay(r) < 0);
    robots_free(r);
}

static void test_percent(void)
{
    robots *r = parse("User-agent: *\nDisallow: /c%e1%ba%a7n\nDisallow: /%7Ea\n"
                      "Disallow: /thơ\n");
    /* the crawler's paths are normalised as url.c does it */
    T_EQ_INT(robots_allowed(r, "/c%E1%BA%A7n-tho"), 0);
    T_EQ_INT(robots_allowed(r, "/~a"), 0);
    T_EQ_INT(robots_allowed(r, "/th%C6%A1"), 0);
    robots_free(r);
    /* a character url.c escapes in paths ('|') is escaped in the pattern
     * too; '*' and '$' keep their meaning */
    r = parse("User-agent: *\nDisallow: /a|b\nDisallow: /*.pdf$\n");
    T_EQ_INT(robots_allowed(r, "/a%7Cb/x"), 0);
    T_EQ_INT(robots_allowed(r, "/doc/x.pdf"), 0);
    T_EQ_INT(robots_allowed(r, "/doc/x.pdf.htm"), 1);
    robots_free(r);
}

static void test_policies(void)
{
    robots *a = robots_allow_all(), *d = robots_disallow_all();
    T_EQ_INT(robots_allowed(a, "/x"), 1);
    T_EQ_INT(robots_allowed(d, "/x"), 0);
    T_EQ_INT(robots_allowed(d, "/robots.txt"), 1);
    robots_free(a);
    robots_free(d);
    robots_free(NULL);
}

static void test_hostile(void)
{
    /* binary junk, huge input, pathological patterns: no crash, bounded */
    size_t n = ROBOTS_MAX_BYTES * 2;
    char *s = malloc(n);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)(i * 7919 % 251);
    robots *r = robots_parse(s, n, "timtin");
    (void)robots_allowed(r, "/x");
    robots_free(r);
    memset(s, 0, n);
    strcpy(s, "User-agent: *\nDisallow: /");
    for (size_t i = 25; i < 5000; i++)
        s[i] = '*';
    strcpy(s + 5000, "x$\n");
    r = parse(s);
    char path[3000];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = '\0';
    T_EQ_INT(robots_allowed(r, path), 1);
    robots_free(r);
    free(s);
}

/* Each path of cases (up to a NULL path) allowed by r or not, as said. */
typedef struct verdict {
    const char *path;
    int allowed;
} verdict;

static void expect(const robots *r, const verdict *cases)
{
    for (const verdict *c = cases; c->path; c++)
        if (robots_allowed(r, c->path) != c->allowed) {
            fprintf(stderr, "  %s: expected %s\n", c->path,
                    c->allowed ? "allowed" : "disallowed");
            T_CHECK(0);
        }
}

/* '*' and '$' where a pattern's pieces overlap, repeat or sit at the
 * ends, and how they rank against plain rules. */
static void test_wildcard_cases(void)
{
    static const verdict pieces[] = {
        {"/abc", 0}, {"/aXbYc", 0},
        {"/abcbc", 0}, /* the last c at the end */
        {"/acb", 1}, {"/abcX", 1},
        {"/a/private/b.htm", 0}, {"/a/private/b.htm?x", 1},
        {"/private/b.htm", 1},
        {"/xyz", 0},      /* "*$" ends nothing */
        {"/d/e.gif", 0},  /* no leading '/' */
        {"/d/e.gif.htm", 1}, {"/hq", 0},
        {"/aaab", 0},     /* "aab" overlaps "aa" */
        {"/abab", 0}, {"/aab/", 1}, {"/ab", 1},
        {"/m", 1},        /* "$$": a '$' then the end */
        {"/m$", 0},       {NULL, 0}};
    /* the longest pattern (as written, '*' and '$' counted) wins */
    static const verdict ranks[] = {
        {"/tin/a.htm", 1}, {"/tin/a.html", 0}, {"/tin/a-x.htm", 0}, {NULL, 0}};
    robots *r = parse("User-agent: *\nDisallow: /a*b*c$\nDisallow: /*/private/*.htm$\n"
                      "Disallow: /x*$\nDisallow: *.gif$\nDisallow: /**q**\n"
                      "Disallow: /*aab$\nDisallow: /*ab*ab$\nDisallow: /m$$\n");
    expect(r, pieces);
    robots_free(r);
    r = parse("User-agent: *\nAllow: /*.htm$\nDisallow: /tin/\n"
              "Disallow: /tin/*-x.htm\n");
    expect(r, ranks);
    robots_free(r);
}

/* Thousands of wildcard rules and a long path: the right answer, the
 * matching work about linear in the path for each rule (it was the path
 * times the pattern: seconds of CPU per URL). */
static void test_many_wildcard_rules(void)
{
    enum { N = 8000, LEN = 4000 };
    sbuf txt = {0}, path = {0};
    robots *r;
    size_t work = 0;
    sbuf_adds(&txt, "User-agent: *\nAllow: /s/\n");
    for (int i = 0; i < N; i++)
        sbuf_addf(&txt, "Disallow: /*%s%05db\n",
                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", i);
    T_CHECK(txt.len < ROBOTS_MAX_BYTES);
    r = robots_parse(txt.s, txt.len, "timtin");
    sbuf_adds(&path, "/s/");
    for (int i = 0; i < LEN; i++)
        sbuf_addc(&path, 'a');
    T_EQ_INT(robots_allowed_work(r, path.s, &work), 1);
    T_CHECK(work <= (size_t)N * (path.len + 64));
    sbuf_adds(&path, "04242b"); /* rule 4242 matches, longer than Allow */
    work = 0;
    T_EQ_INT(robots_allowed_work(r, path.s, &work), 0);
    T_CHECK(work <= (size_t)N * (path.len + 64));
    path.len -= 6;
    sbuf_adds(&path, "09999b"); /* no such rule */
    T_EQ_INT(robots_allowed(r, path.s), 1);
    path.len -= 6;
    sbuf_adds(&path, "00000b?x"); /* not anchored: a prefix will do */
    T_EQ_INT(robots_allowed(r, path.s), 0);
    robots_free(r);
    sbuf_free(&txt);
    sbuf_free(&path);
}

/* A directory rule against the path of a normalised URL: the trailing
 * slash that makes it match is still there. */
static void test_directory_rule(void)
{
    robots *r = parse("User-agent: *\nDisallow: /search/\n");
    sbuf u = {0};
    const char *dir = "https://x.vn/search/", *page = "https://x.vn/search/?q=b%C3%A3o";
    T_EQ_INT(url_normalize(dir, strlen(dir), NULL, &u), TT_OK);
    T_EQ_INT(robots_allowed(r, url_path(u.s)), 0);
    sbuf_reset(&u);
    T_EQ_INT(url_normalize(page, strlen(page), NULL, &u), TT_OK);
    T_EQ_INT(robots_allowed(r, url_path(u.s)), 0);
    T_EQ_INT(robots_allowed(r, "/search"), 1); /* another URL (its 301 is checked too) */
    sbuf_free(&u);
    robots_free(r);
}

int main(void)
{
    T_RUN(test_groups);
    T_RUN(test_merge_and_multi_agents);
    T_RUN(test_longest_match);
    T_RUN(test_wildcards);
    T_RUN(test_syntax);
    T_RUN(test_percent);
    T_RUN(test_policies);
    T_RUN(test_hostile);
    T_RUN(test_directory_rule);
    T_RUN(test_wildcard_cases);
    T_RUN(test_many_wildcard_rules);
    return t_summary();
}
