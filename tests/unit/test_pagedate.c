/* test_pagedate.c — the dates of crawled pages: page-date formats
 * (pagedate.h) and the date and JSON-LD rules of extraction (extract.h),
 * with the shipped profiles and with small profiles of their own. */
#include <stdlib.h>
#include <string.h>

#include "dom.h"
#include "extract.h"
#include "pagedate.h"
#include "profile.h"
#include "shipped.h"
#include "t.h"

/* A Tuổi Trẻ-style article page: head (JSON-LD, meta) and what goes before
 * the body container (a byline's date) vary. */
static char *page(const char *head, const char *top)
{
    sbuf s = {0};
    sbuf_addf(&s,
              "<html><head><meta charset=\"utf-8\">%s</head><body>"
              "<h1 class=\"detail-title\" data-role=\"title\">Tiêu đề</h1>%s"
              "<div class=\"detail-content\" data-role=\"content\">"
              "<p>Thân bài.</p></div></body></html>",
              head, top);
    return sbuf_detach(&s, NULL);
}

/* Extract html with p's rules: the status; *a filled on TT_OK. */
static int extract(const profile *p, const char *html, article *a)
{
    dom_doc *d;
    tt_err e;
    int rc = dom_parse_html(html, strlen(html), NULL, &d, &e);
    if (rc != TT_OK)
        return rc;
    rc = extract_article(profile_rules(p), d, a, &e);
    if (rc != TT_OK)
        fprintf(stderr, "  extract: %s\n", e.msg);
    dom_free(d);
    return rc;
}

/* The published date p's rules read from a page made of head and top
 * (malloc'd, NULL when none). */
static char *published(const profile *p, const char *head, const char *top)
{
    char *html = page(head, top), *res = NULL;
    article a;
    if (extract(p, html, &a) == TT_OK) {
        res = a.published ? xstrdup(a.published) : NULL;
        article_free(&a);
    }
    free(html);
    return res;
}

#define T_PUBLISHED(p, head, top, want)                                      \
    do {                                                                     \
        char *t_got_ = published(p, head, top);                              \
        const char *t_want_ = (want);                                        \
        if (t_want_)                                                         \
            T_EQ_STR(t_got_, t_want_);                                       \
        else                                                                 \
            T_CHECK(t_got_ == NULL);                                         \
        free(t_got_);                                                        \
    } while (0)

typedef struct date_case {
    const char *text;
    int off;         /* the default offset, minutes */
    const char *iso; /* NULL: no date */
} date_case;

/* pagedate_iso reads each case's text as its iso says. */
static void check_dates(const date_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char s[32] = "";
        int rc = pagedate_iso(cases[i].text, cases[i].off, s);
        if (rc != (cases[i].iso ? 0 : -1) ||
            (cases[i].iso && strcmp(s, cases[i].iso)))
            fprintf(stderr, "  \"%s\": %d \"%s\"\n", cases[i].text, rc, s);
        T_EQ_INT(rc, cases[i].iso ? 0 : -1);
        if (cases[i].iso)
            T_EQ_STR(s, cases[i].iso);
    }
}

/* The formats pages, feeds and sitemaps write dates in. */
static void test_pagedate(void)
{
    static const date_case cases[] = {
        /* numeric dates in page text, ISO 8601, RFC 822 */
        {"29/12/2025 22:32 GMT+7", 0, "2025-12-29T22:32:00+07:00"},
        {"Thứ hai, 29/12/2025, 22:32 (GMT+7)", 0, "2025-12-29T22:32:00+07:00"},
        {"1-2-2024 - 07:05", 420, "2024-02-01T07:05:00+07:00"},
        {"2025-12-29T15:32:00Z", 420, "2025-12-29T15:32:00+00:00"},
        {"2025-12-29T22:32:00.123+07:00", 0, "2025-12-29T22:32:00+07:00"},
        {"2025-12-29T22:32", 420, "2025-12-29T22:32:00+07:00"},
        {"2025-12-29", 420, "2025-12-29T00:00:00+07:00"},
        {"Mon, 29 Dec 2025 22:32:00 +0700", 0, "2025-12-29T22:32:00+07:00"},
        {"Mon, 29 Dec 2025 15:32:00 GMT", 420, "2025-12-29T15:32:00+00:00"},
        {"29/12/2025 10h05 GMT+07:00", 0, "2025-12-29T10:05:00+07:00"},
        /* page text: seconds, and a 12-hour clock */
        {"29/12/2025 22:32:45 GMT+7", 0, "2025-12-29T22:32:45+07:00"},
        {"29/12/2025 10:32 PM", 420, "2025-12-29T22:32:00+07:00"},
        {"29/12/2025 10:32:45 pm GMT+7", 0, "2025-12-29T22:32:45+07:00"},
        {"29/12/2025 10:32PM", 420, "2025-12-29T22:32:00+07:00"},
        {"29/12/2025 10:32 a.m.", 420, "2025-12-29T10:32:00+07:00"},
        {"29/12/2025 10:32 p.m.", 420, "2025-12-29T22:32:00+07:00"},
        {"29/12/2025 12:05 AM", 420, "2025-12-29T00:05:00+07:00"},
        {"29/12/2025 12:05 PM", 420, "2025-12-29T12:05:00+07:00"},
        {"29/12/2025 10:32 AM", 420, "2025-12-29T10:32:00+07:00"},
        {"29/12/2025 22:32 PM", 420, "2025-12-29T22:32:00+07:00"},
        {"29/12/2025 10:32 PMO", 420, "2025-12-29T10:32:00+07:00"},
        {"29/12/2025 10:32:75", 420, "2025-12-29T10:32:00+07:00"},
        /* no date */
        {"31/02/2025 10:00", 420, NULL},
        {"no date here", 420, NULL},
        {"", 420, NULL},
        {"2025-13-01T00:00:00Z", 420, NULL},
        /* RFC 822's variants: two-digit years, no seconds, GMT+N, UT, Z */
        {"Mon, 29 Dec 25 22:32 GMT+7", 0, "2025-12-29T22:32:00+07:00"},
        {"29 Dec 1999 10:20:30 UT", 420, "1999-12-29T10:20:30+00:00"},
        {"Tue, 05-Jan-99 10:20:30 Z", 420, "1999-01-05T10:20:30+00:00"},
        {"Sat, 1 Mar 2025 08:00:00", 420, "2025-03-01T08:00:00+07:00"},
        {"Mon, 29 Foo 2025 22:32:00 +0700", 420, NULL},
        {"Mon, 29 Dec 2025 24:32:00 +0700", 420, NULL},
        {"Mon, 29 Dec 2025 22:3", 420, NULL},
        {"Mon, 29 Dec 2025 22:32:6 +0700", 420, NULL},
        /* page text: the time before a dotted date, UTC+N; a time out of
         * range is none */
        {"Cập nhật 07:05 ngày 01.02.2024 (UTC+7)",
         0, "2024-02-01T07:05:00+07:00"},
        {"29/12/2025 25:61 GMT", 420, "2025-12-29T00:00:00+00:00"},
        /* the date in words, as formal pages write it */
        {"Thứ hai, ngày 29 tháng 12 năm 2025, 22:32",
         420, "2025-12-29T22:32:00+07:00"},
        {"08:15, 5 tháng 1, năm 2024 (GMT+7)", 0, "2024-01-05T08:15:00+07:00"},
        {"ngày 31 tháng 2 năm 2025", 420, NULL},
        {"tháng 12 năm 2025", 420, NULL},
        {"ngày 29 tháng 12", 420, NULL},
        /* a byline longer than a date alone */
        {"Bài và ảnh: phóng viên thường trú tại Đồng bằng sông Cửu Long "
         "của báo, cập nhật lần cuối lúc 07:05 ngày 01/02/2024 theo giờ "
         "Việt Nam (GMT+7)",
         0, "2024-02-01T07:05:00+07:00"},
    };
    check_dates(cases, sizeof cases / sizeof cases[0]);
}

/* SA/CH (sáng/chiều) after a time are AM/PM; an ISO-like date with
 * "GMT+7" after it takes that offset. */
static void test_vn_formats(void)
{
    static const date_case cases[] = {
        {"30/11/2026 8:15 CH", 420, "2026-11-30T20:15:00+07:00"},
        {"30/11/2026 8:15 SA", 420, "2026-11-30T08:15:00+07:00"},
        {"30/11/2026 12:30 CH", 420, "2026-11-30T12:30:00+07:00"},
        {"30/11/2026 12:10 SA", 420, "2026-11-30T00:10:00+07:00"},
        {"Thứ hai, 30/11/2026, 08:15:30 CH (GMT+7)", 0,
         "2026-11-30T20:15:30+07:00"},
        {"30/11/2026 8:15 ch", 420, "2026-11-30T20:15:00+07:00"},
        /* a 24-hour time is left alone; a word that only begins with
         * the letters is not the mark */
        {"30/11/2026 20:15 CH", 420, "2026-11-30T20:15:00+07:00"},
        {"30/11/2026 8:15 CHỦ NHẬT", 420, "2026-11-30T08:15:00+07:00"},
        {"30/11/2026 8:15 SAU", 420, "2026-11-30T08:15:00+07:00"},
        /* ISO 8601 with the offset written as page text does */
        {"2026-11-30 08:15 GMT+7", 0, "2026-11-30T08:15:00+07:00"},
        {"2026-11-30 08:15 GMT+07:00", 0, "2026-11-30T08:15:00+07:00"},
        {"2026-11-30 08:15 (GMT+7)", 0, "2026-11-30T08:15:00+07:00"},
        {"2026-11-30T08:15:00 GMT+0700", 0, "2026-11-30T08:15:00+07:00"},
        {"2026-11-30 08:15 UTC", 420, "2026-11-30T08:15:00+00:00"},
        {"2026-11-30 08:15 GMT", 420, "2026-11-30T08:15:00+00:00"},
        {"2026-11-30 08:15 (GMT+7", 0, NULL},
        {"2026-11-30 08:15 GMT+7 x", 0, NULL},
    };
    check_dates(cases, sizeof cases / sizeof cases[0]);
}

/* The shipped tuoitre profile reads the dates pages carry in machine form
 * when JSON-LD and article:published_time are missing: <time datetime>,
 * itemprop=datePublished, name=pubdate; before the page text. */
static void test_profile_date_rules(void)
{
    profile *p = shipped_profile("tuoitre");
    T_CHECK(p != NULL);
    if (!p)
        return;
    T_PUBLISHED(p, "",
                "<time datetime=\"2026-11-30T08:15:00+07:00\">30/11/2026</time>",
                "2026-11-30T08:15:00+07:00");
    T_PUBLISHED(p,
                "<meta itemprop=\"datePublished\" "
                "content=\"2026-11-30T08:16:00+07:00\">",
                "", "2026-11-30T08:16:00+07:00");
    T_PUBLISHED(p,
                "<meta name=\"pubdate\" content=\"2026-11-30T08:17:00+07:00\">",
                "", "2026-11-30T08:17:00+07:00");
    /* machine-readable dates before the text, JSON-LD and the Open Graph
     * time before them as before */
    T_PUBLISHED(p, "",
                "<div data-role=\"publishdate\">30/11/2026 09:00 GMT+7</div>"
                "<time datetime=\"2026-11-30T08:15:00+07:00\">x</time>",
                "2026-11-30T08:15:00+07:00");
    T_PUBLISHED(p,
                "<meta property=\"article:published_time\" "
                "content=\"2026-11-30T07:00:00+07:00\">",
                "<time datetime=\"2026-11-30T08:15:00+07:00\">x</time>",
                "2026-11-30T07:00:00+07:00");
    T_PUBLISHED(p, "", "<div data-role=\"publishdate\">30/11/2026 8:15 CH</div>",
                "2026-11-30T20:15:00+07:00");
    profile_free(p);
}

/* Dates given in another offset are stored on the site's clock (the
 * profile's timezone), the same instant: the day shown and filtered is
 * the day the site printed. */
static void test_site_clock(void)
{
    static const char conf[] = "name = t\nbase = https://x.vn\n"
                               "article = -([0-9]+)\\.htm$\n"
                               "timezone = -03:30\n"
                               "title = h1\npublished = jsonld:datePublished\n"
                               "modified = time @datetime\n"
                               "content = div.detail-content\nbody = p\n";
    profile *p = shipped_profile("tuoitre"), *q = NULL;
    tt_err e;
    char *html;
    article a;
    if (!p)
        return;
    T_PUBLISHED(p,
                "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
                "\"datePublished\":\"2026-11-29T23:30:00Z\"}</script>",
                "", "2026-11-30T06:30:00+07:00");
    T_PUBLISHED(p,
                "<meta property=\"article:published_time\" "
                "content=\"2026-11-30T01:30:00+02:00\">",
                "", "2026-11-30T06:30:00+07:00");
    T_PUBLISHED(p, "", "<div data-role=\"publishdate\">Sun, 29 Nov 2026 "
                       "23:30:00 GMT</div>",
                "2026-11-30T06:30:00+07:00");
    profile_free(p);
    /* another timezone: published and modified alike */
    T_EQ_INT(profile_parse(conf, sizeof conf - 1, "t.conf", &q, &e), TT_OK);
    if (!q)
        return;
    html = page("<script type=\"application/ld+json\">{\"@type\":\"Article\","
                "\"datePublished\":\"2026-11-30T02:00:00+00:00\"}</script>",
                "<time datetime=\"2026-11-30T12:00:00+07:00\"></time>");
    T_EQ_INT(extract(q, html, &a), TT_OK);
    T_EQ_STR(a.published, "2026-11-29T22:30:00-03:30");
    T_EQ_STR(a.modified, "2026-11-30T01:30:00-03:30");
    article_free(&a);
    free(html);
    profile_free(q);
}

/* Extract html with p's rules as fetched from url at fetched (UTC
 * seconds): the status; *a filled on TT_OK; the notes into notes. */
static int extract_at(const profile *p, const char *html, const char *url,
                      int64_t fetched, article *a, strlist *notes)
{
    extract_page pg = {url, fetched, notes};
    dom_doc *d;
    tt_err e;
    int rc = dom_parse_html(html, strlen(html), url, &d, &e);
    if (rc != TT_OK)
        return rc;
    rc = extract_article_page(profile_rules(p), d, &pg, a, &e);
    dom_free(d);
    return rc;
}

/* 1 when a note of l holds all of the words (NULL-terminated). */
static int noted(const strlist *l, const char *w1, const char *w2)
{
    for (size_t i = 0; i < l->n; i++)
        if (strstr(l->v[i], w1) && (!w2 || strstr(l->v[i], w2)))
            return 1;
    for (size_t i = 0; i < l->n; i++)
        fprintf(stderr, "  note: %s\n", l->v[i]);
    return 0;
}

/* The published date of head + top fetched at fetched, and the notes. */
static char *published_at(const profile *p, const char *head, const char *top,
                          int64_t fetched, strlist *notes)
{
    char *html = page(head, top), *res = NULL;
    article a;
    if (extract_at(p, html, "https://tuoitre.vn/bai-20261130080000001.htm",
                   fetched, &a, notes) == TT_OK) {
        res = a.published ? xstrdup(a.published) : NULL;
        article_free(&a);
    }
    free(html);
    return res;
}

#define LD_DATE(d)                                                           \
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","     \
    "\"datePublished\":\"" d "\"}</script>"
#define META_DATE(d)                                                         \
    "<meta property=\"article:published_time\" content=\"" d "\">"

/* A date before the site could exist (the profile's earliest year,
 * default 1990) or more than a day after the fetch is not the article's:
 * the rule that found it gives nothing, the next is tried, and a note
 * says so. */
static void test_date_sanity(void)
{
    static const char conf[] = "name = t\nbase = https://x.vn\n"
                               "article = -([0-9]+)\\.htm$\n"
                               "earliest = 2000\n"
                               "title = h1\npublished = jsonld:datePublished\n"
                               "published = [data-role=publishdate]\n"
                               "content = div.detail-content\nbody = p\n";
    /* 2026-11-30T12:00:00+07:00 */
    const int64_t fetched = 1796014800;
    profile *p = shipped_profile("tuoitre"), *q = NULL;
    strlist n = {0};
    char *got;
    tt_err e;
    if (!p)
        return;
    /* 1970 from JSON-LD: the meta tag's date */
    got = published_at(p, LD_DATE("1970-01-01T07:00:00+07:00")
                       META_DATE("2026-11-30T08:15:00+07:00"), "", fetched, &n);
    T_EQ_STR(got, "2026-11-30T08:15:00+07:00");
    T_CHECK(noted(&n, "1970-01-01T07:00:00+07:00", "1990"));
    free(got);
    strlist_free(&n);
    /* ten years ahead: the page text's */
    got = published_at(p, LD_DATE("2036-11-30T08:15:00+07:00"),
                       "<div data-role=\"publishdate\">30/11/2026 08:15 "
                       "GMT+7</div>", fetched, &n);
    T_EQ_STR(got, "2026-11-30T08:15:00+07:00");
    T_CHECK(noted(&n, "2036-11-30T08:15:00+07:00", "after"));
    free(got);
    strlist_free(&n);
    /* within a day after the fetch (a clock set wrong, a time zone
     * mistaken) is taken; 1990 itself too */
    got = published_at(p, LD_DATE("2026-12-01T11:59:00+07:00"), "", fetched,
                       &n);
    T_EQ_STR(got, "2026-12-01T11:59:00+07:00");
    T_EQ_INT(n.n, 0);
    free(got);
    got = published_at(p, LD_DATE("1990-01-01T00:00:00+07:00"), "", fetched,
                       &n);
    T_EQ_STR(got, "1990-01-01T00:00:00+07:00");
    T_EQ_INT(n.n, 0);
    free(got);
    /* every rule wrong: no date */
    got = published_at(p, LD_DATE("2026-12-01T12:01:00+07:00")
                       META_DATE("1989-12-31T23:59:00+07:00"), "", fetched, &n);
    T_CHECK(got == NULL);
    T_EQ_INT(n.n, 2);
    free(got);
    strlist_free(&n);
    profile_free(p);
    /* the profile's earliest year */
    T_EQ_INT(profile_parse(conf, sizeof conf - 1, "t.conf", &q, &e), TT_OK);
    if (!q)
        return;
    got = published_at(q, LD_DATE("1999-12-31T23:59:59+07:00"),
                       "<div data-role=\"publishdate\">01/01/2000</div>",
                       fetched, &n);
    T_EQ_STR(got, "2000-01-01T00:00:00+07:00");
    T_CHECK(noted(&n, "1999-12-31T23:59:59+07:00", "2000"));
    free(got);
    strlist_free(&n);
    profile_free(q);
    /* a bad earliest is refused, with its line */
    {
        static const char *const bad[] = {"earliest = 99", "earliest = 1995x",
                                          "earliest = 10000", "earliest ="};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            sbuf c = {0};
            sbuf_addf(&c, "name = t\nbase = https://x.vn\narticle = -([0-9]+)"
                          "\\.htm$\ntitle = h1\ncontent = div\nbody = p\n%s\n",
                      bad[i]);
            q = NULL;
            T_EQ_INT(profile_parse(c.s, c.len, "t.conf", &q, &e), TT_EINVAL);
            T_CHECK(strstr(e.msg, "t.conf:7") && strstr(e.msg, "earliest"));
            profile_free(q);
            sbuf_free(&c);
        }
    }
}

/* A JSON-LD article object: its identifying member (url, mainEntityOfPage
 * or @id, as JSON text after the key) and its fields. */
static void ld_article(sbuf *b, const char *idkey, const char *id,
                       const char *headline, const char *date)
{
    sbuf_addf(b, "<script type=\"application/ld+json\">{\"@type\":"
                 "\"NewsArticle\",");
    if (idkey)
        sbuf_addf(b, "\"%s\":%s,", idkey, id);
    sbuf_addf(b, "\"headline\":\"%s\",\"datePublished\":\"%s\","
                 "\"author\":{\"name\":\"Tác giả %s\"}}</script>",
              headline, date, headline);
}

/* Extract head's page (fetched from url) with p: title and published as
 * wanted, the notes into n (NULL: none expected). */
static void expect_ld(const profile *p, const char *head, const char *url,
                      const char *title, const char *date, strlist *n)
{
    strlist none = {0};
    article a;
    char *html = page(head, "");
    T_EQ_INT(extract_at(p, html, url, 1796014800, &a, n ? n : &none), TT_OK);
    if (!a.title || strcmp(a.title, title))
        fprintf(stderr, "  head: %s\n", head);
    T_EQ_STR(a.title, title);
    if (date)
        T_EQ_STR(a.published, date);
    else
        T_CHECK(a.published == NULL);
    T_EQ_INT(none.n, 0);
    article_free(&a);
    strlist_free(&none);
    free(html);
}

/* With several JSON-LD articles, the page's own is the one whose url,
 * mainEntityOfPage or @id is the page's URL or its canonical link; when
 * none is, values they disagree on are not taken (the HTML rules are
 * tried), and a note says so. */
static void test_jsonld_choice(void)
{
    static const char conf[] =
        "name = t\nbase = https://tuoitre.vn\narticle = -([0-9]+)\\.htm$\n"
        "title = jsonld:headline\ntitle = h1\n"
        "author = jsonld:author.name\n"
        "published = jsonld:datePublished\n"
        "published = meta[property=article:published_time] @content\n"
        "content = div.detail-content\nbody = p\n";
    static const char url[] = "https://tuoitre.vn/bai-20261130080000001.htm";
    static const struct {
        const char *idkey, *id; /* the page's own article's */
        const char *canonical;  /* a canonical link, or NULL */
    } own[] = {
        {"url", "\"https://tuoitre.vn/bai-20261130080000001.htm\"", NULL},
        /* another scheme and host (--base-url), a relative URL */
        {"url", "\"http://127.0.0.1:8080/bai-20261130080000001.htm\"", NULL},
        {"url", "\"/bai-20261130080000001.htm\"", NULL},
        {"mainEntityOfPage",
         "{\"@type\":\"WebPage\",\"@id\":\"https://tuoitre.vn/"
         "bai-20261130080000001.htm\"}", NULL},
        {"mainEntityOfPage", "\"https://tuoitre.vn/bai-20261130080000001.htm\"",
         NULL},
        {"@id", "\"https://tuoitre.vn/bai-20261130080000001.htm#article\"", NULL},
        /* fetched under another slug: the canonical link names it */
        {"url", "\"https://tuoitre.vn/ten-moi-20261130080000001.htm\"",
         "https://tuoitre.vn/ten-moi-20261130080000001.htm"},
    };
    profile *p = NULL;
    sbuf head = {0};
    strlist n = {0};
    tt_err e;
    T_EQ_INT(profile_parse(conf, sizeof conf - 1, "t.conf", &p, &e), TT_OK);
    if (!p)
        return;
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        sbuf_reset(&head);
        if (own[i].canonical)
            sbuf_addf(&head, "<link rel=\"canonical\" href=\"%s\">",
                      own[i].canonical);
        /* a related story's block first, then the page's own */
        ld_article(&head, "url",
                   "\"https://tuoitre.vn/khac-20190101000000000.htm\"", "Cũ",
                   "2019-01-01T00:00:00+07:00");
        ld_article(&head, own[i].idkey, own[i].id, "Này",
                   "2026-11-30T08:15:00+07:00");
        expect_ld(p, head.s, url, "Này", "2026-11-30T08:15:00+07:00", NULL);
    }
    /* none is the page's and they disagree: the h1 and the meta tag, and
     * a note naming what was set aside */
    sbuf_reset(&head);
    ld_article(&head, "url", "\"https://tuoitre.vn/khac-1.htm\"", "Cũ",
               "2019-01-01T00:00:00+07:00");
    ld_article(&head, NULL, NULL, "Này", "2026-11-30T08:15:00+07:00");
    sbuf_adds(&head, META_DATE("2026-11-30T08:16:00+07:00"));
    expect_ld(p, head.s, url, "Tiêu đề", "2026-11-30T08:16:00+07:00", &n);
    T_CHECK(noted(&n, "datePublished", "disagree"));
    T_CHECK(noted(&n, "headline", "disagree"));
    T_CHECK(noted(&n, "author.name", "disagree"));
    strlist_free(&n);
    /* none is the page's but they agree: taken */
    sbuf_reset(&head);
    ld_article(&head, NULL, NULL, "Này", "2026-11-30T08:15:00+07:00");
    ld_article(&head, NULL, NULL, "Này", "2026-11-30T08:15:00+07:00");
    expect_ld(p, head.s, url, "Này", "2026-11-30T08:15:00+07:00", NULL);
    /* one article, whatever its url says: taken, as before */
    sbuf_reset(&head);
    ld_article(&head, "url", "\"https://tuoitre.vn/khac-1.htm\"", "Một",
               "2026-11-30T08:15:00+07:00");
    expect_ld(p, head.s, url, "Một", "2026-11-30T08:15:00+07:00", NULL);
    sbuf_free(&head);
    profile_free(p);
}

/* JSON-LD with the faults browsers and search engines read past: raw
 * line breaks and tabs in strings, trailing commas, an HTML comment or a
 * CDATA section around it; a block still broken is counted in a note. */
static void test_jsonld_repair(void)
{
    static const char conf[] =
        "name = t\nbase = https://tuoitre.vn\narticle = -([0-9]+)\\.htm$\n"
        "title = jsonld:headline\ntitle = h1\n"
        "sapo = jsonld:description\n"
        "tag = jsonld:keywords\n"
        "published = jsonld:datePublished\n"
        "content = div.detail-content\nbody = p\n";
    static const struct {
        const char *json, *headline, *sapo;
    } cases[] = {
        {"{\"@type\":\"NewsArticle\",\"headline\":\"Hai\ndòng\",\"description\":"
         "\"Tab\there\r\nvà\x01 hết\",\"datePublished\":\"2026-11-30T08:15:00+07:00\"}",
         "Hai dòng", "Tab here và hết"},
        {"{\"@type\":\"NewsArticle\",\"headline\":\"Phẩy\",\"keywords\":[\"a\",\"b\",],"
         "\"datePublished\":\"2026-11-30T08:15:00+07:00\",\n}",
         "Phẩy", NULL},
        {"\n<!--\n{\"@type\":\"NewsArticle\",\"headline\":\"Chú thích\","
         "\"datePublished\":\"2026-11-30T08:15:00+07:00\"}\n-->\n",
         "Chú thích", NULL},
        {"//<![CDATA[\n{\"@type\":\"NewsArticle\",\"headline\":\"CDATA\","
         "\"datePublished\":\"2026-11-30T08:15:00+07:00\"}\n//]]>",
         "CDATA", NULL},
        {"<![CDATA[{\"@type\":\"NewsArticle\",\"headline\":\"CDATA ,}\","
         "\"datePublished\":\"2026-11-30T08:15:00+07:00\",}]]>",
         "CDATA ,}", NULL},
        /* escapes before a quote, a comma inside a string kept */
        {"{\"@type\":\"NewsArticle\",\"headline\":\"a \\\\\",\"description\":"
         "\"b, ]\\\"c,}\",\"datePublished\":\"2026-11-30T08:15:00+07:00\",}",
         "a \\", "b, ]\"c,}"},
    };
    const char *url = "https://tuoitre.vn/bai-20261130080000001.htm";
    profile *p = NULL;
    tt_err e;
    T_EQ_INT(profile_parse(conf, sizeof conf - 1, "t.conf", &p, &e), TT_OK);
    if (!p)
        return;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sbuf head = {0};
        strlist n = {0};
        article a;
        char *html;
        sbuf_addf(&head, "<script type=\"application/ld+json\">%s</script>",
                  cases[i].json);
        html = page(head.s, "");
        T_EQ_INT(extract_at(p, html, url, 1796014800, &a, &n), TT_OK);
        T_EQ_STR(a.title, cases[i].headline);
        T_EQ_STR(a.published, "2026-11-30T08:15:00+07:00");
        if (cases[i].sapo)
            T_EQ_STR(a.sapo, cases[i].sapo);
        if (i == 1) {
            T_EQ_INT(a.tags.n, 2);
        }
        T_EQ_INT(n.n, 0);
        for (size_t k = 0; k < n.n; k++)
            fprintf(stderr, "  case %zu: %s\n", i, n.v[k]);
        article_free(&a);
        strlist_free(&n);
        free(html);
        sbuf_free(&head);
    }
    /* still broken: the other block read, the broken one noted with its
     * number and the parser's reason */
    {
        strlist n = {0};
        static const char head[] =
            "<script type=\"application/ld+json\">{\"@type\":\"Organization\"}"
            "</script><script type=\"application/ld+json\">{\"@type\":"
            "\"NewsArticle\",\"headline\": }</script>";
        expect_ld(p, head, url, "Tiêu đề", NULL, &n);
        T_EQ_INT(n.n, 1);
        T_CHECK(noted(&n, "JSON-LD block 2", "invalid JSON"));
        strlist_free(&n);
    }
    profile_free(p);
}

int main(void)
{
    T_RUN(test_pagedate);
    T_RUN(test_vn_formats);
    T_RUN(test_profile_date_rules);
    T_RUN(test_site_clock);
    T_RUN(test_date_sanity);
    T_RUN(test_jsonld_choice);
    T_RUN(test_jsonld_repair);
    return t_summary();
}
