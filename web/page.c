/* page.c — see page.h.
 *
 * Layout: a header bar (site name, search box), then the results column
 * and, beside it on wide screens or below it on phones, the facets and the
 * date filter.  The CSS is one constant string; the Content-Security-Policy
 * allows inline styles and nothing else.
 */
#include "page.h"
#include "cgi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"
#include "unicode.h"
#include "vn.h"

static const char css[] =
    ":root{--fg:#1d2127;--muted:#5d6570;--line:#e2e5e9;--soft:#f4f6f8;"
    "--brand:#b3261e;--link:#0b57d0;--visited:#6a3d9a;--mark:#ffec99;"
    /* fields' borders: 3.7:1 on white, 3.4:1 on the bar (--soft) */
    "--field:#7d8590}"
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{margin:0;color:var(--fg);background:#fff;font:16px/1.55 system-ui,"
    "-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"Helvetica Neue\","
    "Arial,sans-serif}"
    /* links in text are underlined: colour alone does not tell them
     * from the text around; those placed as links (the site's name, a
     * result's title, the chips' ×, the pager, the facets) are not */
    "a{color:var(--link);text-decoration:underline;"
    "text-underline-offset:.15em}"
    "a:hover,a:focus{text-decoration-thickness:2px}"
    "a.brand,.hit h2 a,.chips a,.pager a,.facet a{text-decoration:none}"
    "a.brand:hover,a.brand:focus,.hit h2 a:hover,.hit h2 a:focus,"
    ".facet a:hover,.facet a:focus{text-decoration:underline}"
    ".wrap{max-width:70rem;margin:0 auto;padding:0 1rem}"
    ".bar{background:var(--soft);border-bottom:1px solid var(--line)}"
    ".bar .wrap{display:flex;flex-wrap:wrap;align-items:center;"
    "gap:.6rem 1.5rem;padding-top:.8rem;padding-bottom:.8rem}"
    ".brand{font-weight:700;font-size:1.45rem;color:var(--brand);"
    "letter-spacing:-.01em;white-space:nowrap}"
    ".search{display:flex;flex:1 1 18rem;max-width:42rem}"
    ".search input{flex:1;min-width:0;font:inherit;padding:.55rem .85rem;"
    "border:1px solid var(--field);border-right:0;border-radius:.55rem 0 0 .55rem;"
    "background:#fff;color:inherit}"
    ".search input:focus{outline:2px solid var(--link);outline-offset:-1px}"
    ".search button{font:inherit;font-weight:600;padding:.55rem 1.2rem;"
    "border:1px solid var(--link);background:var(--link);color:#fff;"
    "border-radius:0 .55rem .55rem 0;cursor:pointer}"
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}"
    "main.wrap{padding-top:1rem;padding-bottom:2.5rem}"
    "main>h1{font-size:1.3rem;line-height:1.35;margin:.2rem 0 1rem;"
    "overflow-wrap:anywhere}"
    ".cols{display:grid;grid-template-columns:minmax(0,1fr);gap:1.75rem}"
    "@media (min-width:58rem){.cols{grid-template-columns:minmax(0,1fr) "
    "15rem;gap:3.5rem}}"
    ".dym{font-size:1.08rem;margin:.2rem 0 .8rem;overflow-wrap:anywhere}"
    ".dym a{font-weight:700;font-style:italic}"
    ".note{background:#fff8e1;border-left:3px solid #f2b600;margin:.4rem 0 "
    "1rem;padding:.5rem .8rem;font-size:.95rem;overflow-wrap:anywhere}"
    ".tools{display:flex;flex-wrap:wrap;justify-content:space-between;"
    "gap:.2rem 1.2rem;color:var(--muted);font-size:.9rem;margin:0 0 1.1rem}"
    ".tools p{margin:0}.tools strong{color:var(--fg)}"
    ".chips{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;"
    "margin:0 0 1.1rem;padding:0}"
    ".chips li{background:#e8f0fe;border-radius:1rem;font-size:.9rem;"
    "padding:.1rem .15rem .1rem .8rem;overflow-wrap:anywhere}"
    /* the × a target of 24 by 24 CSS pixels at least (WCAG 2.2, 2.5.8) */
    ".chips a{display:inline-block;min-width:1.5rem;min-height:1.5rem;"
    "line-height:1.5rem;text-align:center;vertical-align:middle;"
    "font-weight:700;margin-left:.2rem;border-radius:50%}"
    ".chips a:hover,.chips a:focus{background:#d2e3fc}"
    ".hits{list-style:none;margin:0;padding:0}"
    ".hit{margin:0 0 1.5rem}"
    ".hit h2{font-size:1.16rem;line-height:1.35;font-weight:600;"
    "margin:0 0 .2rem;overflow-wrap:anywhere}"
    ".hit h2 a:visited{color:var(--visited)}"
    ".meta{margin:0 0 .3rem;font-size:.86rem;color:var(--muted)}"
    ".meta a{color:inherit;text-decoration:underline;"
    "text-decoration-color:#c4c9d0;text-underline-offset:.15em}"
    ".snip{margin:0;overflow-wrap:anywhere}"
    "mark{background:var(--mark);color:inherit;border-radius:.15em;"
    "padding:0 .08em}"
    ".pager{display:flex;flex-wrap:wrap;gap:.4rem;margin:2rem 0 0}"
    ".pager a,.pager strong,.pager span{display:inline-block;"
    "min-width:2.6rem;padding:.45rem .75rem;text-align:center;"
    "border:1px solid var(--line);border-radius:.45rem}"
    ".pager strong{background:var(--link);border-color:var(--link);"
    "color:#fff}.pager span{border-color:transparent;color:var(--muted)}"
    ".side h2{font-size:.78rem;font-weight:700;text-transform:uppercase;"
    "letter-spacing:.07em;color:var(--muted);margin:0 0 .5rem}"
    ".side section,.side form{margin:0 0 1.75rem}"
    ".facet ul{list-style:none;margin:0;padding:0}"
    ".facet li{display:flex;justify-content:space-between;gap:.75rem;"
    "padding:.28rem 0;border-bottom:1px solid var(--soft)}"
    ".facet strong{font-weight:700}"
    ".n{color:var(--muted);font-size:.85rem;"
    "font-variant-numeric:tabular-nums}"
    ".dates label{display:block;font-size:.86rem;color:var(--muted);"
    "margin:.5rem 0 .15rem}"
    ".dates input{width:100%;font:inherit;padding:.4rem .55rem;"
    "border:1px solid var(--field);border-radius:.45rem;color:inherit;"
    "background:#fff}"
    ".dates button{margin-top:.75rem;font:inherit;font-weight:600;"
    "padding:.4rem 1.1rem;border:1px solid var(--link);color:var(--link);"
    "background:#fff;border-radius:.45rem;cursor:pointer}"
    ".empty{max-width:42rem}.empty h2{font-size:1.25rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}"
    ".empty ul,.home ul{padding-left:1.2rem}.empty li,.home li{margin:.3rem 0}"
    ".home{max-width:42rem;padding-top:1.5rem}"
    ".home h1{font-size:1.5rem;margin:0 0 .5rem}"
    ".err h1{font-size:1.4rem;margin:.5rem 0}"
    "footer{border-top:1px solid var(--line);color:var(--muted);"
    "font-size:.86rem;padding-top:1rem;padding-bottom:2rem}"
    "footer a{color:inherit;text-decoration:underline}"
    "@media (max-width:30rem){.brand{font-size:1.25rem}"
    ".hit h2{font-size:1.06rem}.bar .wrap{gap:.5rem}}"
    /* on paper: the results, not the controls; a match marked by more
     * than a background (printers drop backgrounds), a title's address
     * after it */
    "@media print{body{font-size:11pt}"
    ".bar form,.side,.pager,.chips a,footer{display:none}"
    ".bar{background:none;border:0}.cols{display:block}"
    "a{color:inherit}"
    "mark{background:none;font-weight:700;text-decoration:underline}"
    ".hit h2 a::after{content:\" <\" attr(href) \">\";font-size:.75em;"
    "font-weight:400;color:var(--muted)}}";

void page_clean(const char *s, sbuf *out)
{
    if (s) /* (vn_clean drops the bidi controls too) */
        vn_clean(s, strlen(s), out);
}

void page_escape(sbuf *out, const char *s)
{
    sbuf t = {0};
    if (!s)
        return;
    page_clean(s, &t);
    srch_html_escape(out, t.s ? t.s : "", t.len);
    sbuf_free(&t);
}

/* A section name as shown: NFC (some sources store them decomposed),
 * appended to out; one without a combining mark is left as it is, which
 * saves utf8proc's work. */
static void add_nfc(sbuf *out, const char *s)
{
    sbuf t = {0};
    if (!uni_maybe_decomposed(s, strlen(s))) {
        sbuf_adds(out, s);
        return;
    }
    uni_nfc(s, strlen(s), 0, &t);
    sbuf_adds(out, t.s ? t.s : "");
    sbuf_free(&t);
}

/* The same, escaped for HTML. */
static void escape_nfc(sbuf *out, const char *s)
{
    sbuf t = {0};
    add_nfc(&t, s);
    page_escape(out, t.s ? t.s : "");
    sbuf_free(&t);
}

/* href="…" for the page q describes. */
static void href(sbuf *out, const cgi_params *q)
{
    sbuf u = {0};
    cgi_link(q, &u);
    sbuf_adds(out, "href=\"");
    page_escape(out, u.s);
    sbuf_addc(out, '"');
    sbuf_free(&u);
}

/* A link to another page of the same search: p with page 1 (filters and
 * sort change the results, so they start over). */
static cgi_params first_page(const cgi_params *p)
{
    cgi_params q = *p;
    q.page = 1;
    q.format = CGI_HTML;
    return q;
}

/* The parameters of the page with nothing asked (links build on it). */
static cgi_params blank(void)
{
    cgi_params b = {0};
    b.q = (char *)"";
    b.page = 1;
    return b;
}


/* 1234567 -> "1.234.567", the Vietnamese grouping. */
static void add_count(sbuf *out, uint64_t n)
{
    char d[24];
    int len = snprintf(d, sizeof d, "%llu", (unsigned long long)n);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            sbuf_addc(out, '.');
        sbuf_addc(out, d[i]);
    }
}

/* "2023-06-12T08:15:00+07:00" -> "12/06/2023" in a <time> element. */
static void add_date(sbuf *out, const char *pub)
{
    int64_t t;
    if (!pub || strlen(pub) < 10 || pub[4] != '-' || pub[7] != '-') {
        page_escape(out, pub);
        return;
    }
    if (date_parse_iso(pub, &t) == 0) {
        sbuf_adds(out, "<time datetime=\"");
        page_escape(out, pub);
        sbuf_adds(out, "\">");
    }
    sbuf_addf(out, "%.2s/%.2s/%.4s", pub + 8, pub + 5, pub);
    if (date_parse_iso(pub, &t) == 0)
        sbuf_adds(out, "</time>");
}

/* A date parameter as a date input wants it: YYYY-MM-DD, the first day of
 * a year or month for from, the last for to. */
static void full_date(const char *v, int end, char out[11])
{
    int64_t t;
    struct tm tm;
    out[0] = '\0';
    if (!v || date_parse_query(v, end, &t))
        return;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm))
        return;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

#define LATEST "Tin mới nhất" /* a feed's description opens with it */

/* The period of p's date filter in words: "năm 2024" (from and to the
 * same year), "từ 01/03/2024 đến 31/03/2024", "từ …" or "đến …";
 * capitalised with cap; nothing without a date filter. */
static void period(const cgi_params *p, int cap, sbuf *out)
{
    char a[11], b[11];
    if (p->from && p->to && !strcmp(p->from, p->to) &&
        strlen(p->from) == 4) {
        sbuf_addf(out, "%s %.4s", cap ? "Năm" : "năm", p->from);
        return;
    }
    full_date(p->from, 0, a);
    full_date(p->to, 1, b);
    if (a[0])
        sbuf_addf(out, "%s %.2s/%.2s/%.4s", cap ? "Từ" : "từ", a + 8, a + 5,
                  a);
    if (b[0])
        sbuf_addf(out, "%s %.2s/%.2s/%.4s",
                  a[0] ? " đến" : cap ? "Đến" : "đến", b + 8, b + 5, b);
}

/* One part of a search's name (page_search_name): the separator before
 * it, then first (a name's first part) or rest. */
static void name_part(sbuf *out, size_t start, int latest, const char *first,
                      const char *rest)
{
    if (latest)
        sbuf_adds(out, out->len > start + strlen(LATEST) ? ", " : " ");
    else if (out->len > start)
        sbuf_adds(out, ", ");
    sbuf_adds(out, !latest && out->len == start ? first : rest);
}

void page_search_name(const cgi_params *p, const char *about, int latest,
                      sbuf *out)
{
    size_t start = out->len;
    int named = about && *about;
    if (latest)
        sbuf_adds(out, LATEST);
    if (*p->q) {
        name_part(out, start, latest, "", latest ? "cho «" : "");
        sbuf_adds(out, p->q);
        if (latest)
            sbuf_adds(out, "»");
    }
    if (p->related) {
        name_part(out, start, latest, "Tin liên quan",
                  !latest ? "tin liên quan" : named ? "liên quan đến «"
                                                    : "liên quan");
        if (named) {
            sbuf_adds(out, latest ? "" : ": ");
            sbuf_adds(out, about);
            sbuf_adds(out, latest ? "»" : "");
        }
    }
    if (p->section) {
        name_part(out, start, latest, "Chuyên mục ", "chuyên mục ");
        add_nfc(out, p->section);
    }
    if (p->from || p->to) {
        name_part(out, start, latest, "Tin ", "");
        period(p, 0, out);
    }
}

static void hidden(sbuf *out, const char *name, const char *v)
{
    if (!v || !*v)
        return;
    sbuf_addf(out, "<input type=\"hidden\" name=\"%s\" value=\"", name);
    page_escape(out, v);
    sbuf_adds(out, "\">");
}

/* A form keeps the page's order. */
static void sort_hidden(sbuf *out, const cgi_params *p)
{
    if (p->sort != CGI_SORT_RELEVANCE)
        hidden(out, "sort", cgi_sort_name(p->sort));
}

static void head(const config *c, const cgi_params *p, const char *title,
                 sbuf *out)
{
    sbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
                   "<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, "
                   "initial-scale=1\">\n<title>");
    if (title && *title) {
        page_escape(out, title);
        sbuf_adds(out, " – ");
    }
    page_escape(out, c->title);
    sbuf_adds(out, "</title>\n<meta name=\"description\" content=\"");
    page_escape(out, c->description);
    sbuf_adds(out, "\">\n");
    /* a results page: the reader's query is not for robots, nor are the
     * other results pages it links (pages, sorts, filters: endless) */
    if (p)
        sbuf_adds(out, "<meta name=\"robots\" content=\"noindex, "
                       "nofollow\">\n");
    sbuf_adds(out, "<link rel=\"search\" "
                   "type=\"application/opensearchdescription+xml\" title=\"");
    page_escape(out, c->title);
    sbuf_adds(out, "\" href=\"?format=opensearch\">\n");
    if (p && (*p->q || p->section || p->related)) {
        cgi_params f = first_page(p);
        f.format = CGI_RSS;
        f.sort = CGI_SORT_RELEVANCE;
        sbuf_adds(out, "<link rel=\"alternate\" "
                       "type=\"application/rss+xml\" title=\"RSS: ");
        page_escape(out, title && *title ? title : c->title);
        sbuf_adds(out, "\" ");
        href(out, &f);
        sbuf_adds(out, ">\n");
    }
    sbuf_adds(out, "<style>");
    sbuf_adds(out, css);
    sbuf_adds(out, "</style>\n</head>\n<body>\n");
}

/* The header: the site's name and the search box, with p's query in it;
 * with filters, a new query keeps p's section and period, which the page
 * shows as chips the reader may drop (not the page number, nor related=:
 * a new query is a new search); the order always. */
static void bar(const config *c, const cgi_params *p, int filters, sbuf *out)
{
    sbuf_adds(out, "<header class=\"bar\"><div class=\"wrap\">\n"
                   "<a class=\"brand\" href=\"?\">");
    page_escape(out, c->title);
    sbuf_adds(out, "</a>\n<form class=\"search\" method=\"get\" "
                   "role=\"search\">\n<label class=\"sr\" for=\"q\">Từ khóa "
                   "tìm kiếm</label>\n<input id=\"q\" name=\"q\" "
                   "type=\"search\" value=\"");
    if (p)
        page_escape(out, p->q);
    /* maxlength counts UTF-16 units, up to 3 bytes of UTF-8 each (ệ):
     * what the box lets through, the server takes */
    sbuf_addf(out, "\" maxlength=\"%d\" placeholder=\"Gõ có dấu hoặc không "
                   "dấu\" autocomplete=\"off\">\n",
              CGI_MAX_Q / 3);
    if (p && filters) {
        hidden(out, "section", p->section);
        hidden(out, "from", p->from);
        hidden(out, "to", p->to);
    }
    if (p)
        sort_hidden(out, p);
    sbuf_adds(out, "<button type=\"submit\">Tìm</button>\n</form>\n"
                   "</div></header>\n");
}

static void foot(const cgi_params *p, sbuf *out)
{
    sbuf_adds(out, "<footer><div class=\"wrap\">");
    if (p && (*p->q || p->section || p->related)) {
        cgi_params f = first_page(p);
        f.format = CGI_RSS;
        f.sort = CGI_SORT_RELEVANCE;
        sbuf_adds(out, "Theo dõi tìm kiếm này: <a ");
        href(out, &f);
        sbuf_adds(out, ">RSS</a> · <a ");
        f = *p;
        f.format = CGI_JSON;
        href(out, &f);
        sbuf_adds(out, ">JSON</a> · ");
    }
    sbuf_adds(out, "Tìm theo tin mới nhất hoặc độ phù hợp; gõ không dấu "
                   "vẫn tìm được tin có dấu.</div></footer>\n"
                   "</body>\n</html>\n");
}

static void suggestion(const cgi_params *p, const srch_result *r, sbuf *out)
{
    if (!r->suggestion)
        return;
    cgi_params s = first_page(p);
    s.q = r->suggestion;
    sbuf_adds(out, "<p class=\"dym\">Có phải bạn muốn tìm: <a ");
    href(out, &s);
    sbuf_adds(out, ">");
    page_escape(out, r->suggestion);
    sbuf_adds(out, "</a></p>\n");
}

/* The filters in force, each with a link that drops it. */
static void chips(const cgi_params *p, sbuf *out)
{
    if (!p->section && !p->from && !p->to)
        return;
    sbuf_adds(out, "<ul class=\"chips\" aria-label=\"Bộ lọc đang dùng\">");
    if (p->section) {
        cgi_params d = first_page(p);
        d.section = NULL;
        sbuf_adds(out, "<li>Chuyên mục: ");
        escape_nfc(out, p->section);
        sbuf_adds(out, "<a ");
        href(out, &d);
        sbuf_adds(out, " title=\"Bỏ lọc chuyên mục\" aria-label=\"Bỏ lọc "
                       "chuyên mục\">×</a></li>");
    }
    if (p->from || p->to) {
        cgi_params d = first_page(p);
        d.from = d.to = NULL;
        sbuf_adds(out, "<li>");
        period(p, 1, out); /* digits and words: nothing to escape */
        sbuf_adds(out, "<a ");
        href(out, &d);
        sbuf_adds(out, " title=\"Bỏ lọc thời gian\" aria-label=\"Bỏ lọc "
                       "thời gian\">×</a></li>");
    }
    sbuf_adds(out, "</ul>\n");
}

/* s[0..n) as page_escape shows it */
static void escape_n(sbuf *out, const char *s, size_t n)
{
    char *c = xstrndup(s, n);
    page_escape(out, c);
    free(c);
}

/* h's title, its matches in <mark>, each piece shown as page_escape
 * shows a text (the library cleaned it as a snippet, the marks on it) */
static void title_html(const srch_hit *h, sbuf *out)
{
    const char *t = h->title_shown ? h->title_shown : h->title;
    size_t at = 0, n = strlen(t);
    for (size_t i = 0; i < h->ntitle_marks; i++) {
        const srch_mark *mk = &h->title_marks[i];
        if (mk->start < at || mk->end > n)
            continue;
        escape_n(out, t + at, mk->start - at);
        sbuf_adds(out, "<mark>");
        escape_n(out, t + mk->start, mk->end - mk->start);
        sbuf_adds(out, "</mark>");
        at = mk->end;
    }
    escape_n(out, t + at, n - at);
}

static void hit(const cgi_params *p, const srch_hit *h, sbuf *out)
{
    sbuf meta = {0};
    sbuf_adds(out, "<li class=\"hit\"><h2>");
    if (tt_web_url(h->url)) {
        sbuf_adds(out, "<a href=\"");
        page_escape(out, h->url);
        sbuf_adds(out, "\">");
    }
    if (h->title && *h->title) /* its matches marked, as the snippet's */
        title_html(h, out);
    else
        sbuf_adds(out, "(không có tiêu đề)");
    if (tt_web_url(h->url))
        sbuf_adds(out, "</a>");
    sbuf_adds(out, "</h2>\n");
    /* date · section · related, those there are: " · " between them */
    if (h->published && *h->published)
        add_date(&meta, h->published);
    if (h->section && cgi_section_linkable(h->section)) {
        cgi_params s = first_page(p);
        s.section = h->section;
        sbuf_adds(&meta, meta.len ? " · <a " : "<a ");
        href(&meta, &s);
        sbuf_adds(&meta, ">");
        escape_nfc(&meta, h->section);
        sbuf_adds(&meta, "</a>");
    } else if (h->section && *h->section) { /* no filter could take it */
        sbuf_adds(&meta, meta.len ? " · " : "");
        escape_nfc(&meta, h->section);
    }
    if (cgi_id_linkable(h->id)) {
        cgi_params rel = blank();
        rel.related = h->id;
        sbuf_adds(&meta, meta.len ? " · <a " : "<a ");
        href(&meta, &rel);
        sbuf_adds(&meta, ">Tin liên quan</a>");
    }
    if (meta.len) {
        sbuf_adds(out, "<p class=\"meta\">");
        sbuf_add(out, meta.s, meta.len);
        sbuf_adds(out, "</p>\n");
    }
    sbuf_free(&meta);
    if (h->snippet && *h->snippet) {
        sbuf_adds(out, "<p class=\"snip\">");
        if (uni_valid(h->snippet, strlen(h->snippet)))
            srch_snippet_html(h, out);
        else
            page_escape(out, h->snippet);
        sbuf_adds(out, "</p>\n");
    }
    sbuf_adds(out, "</li>\n");
}

static void page_link(const cgi_params *p, uint32_t n, const char *rel,
                      const char *text, sbuf *out)
{
    cgi_params q = *p;
    q.page = n;
    q.format = CGI_HTML;
    sbuf_adds(out, "<a ");
    if (rel)
        sbuf_addf(out, "rel=\"%s\" ", rel);
    href(out, &q);
    sbuf_addc(out, '>');
    if (text)
        sbuf_adds(out, text);
    else
        sbuf_addf(out, "%u", (unsigned)n);
    sbuf_adds(out, "</a>");
}

/* The pages of the results: the numbered ones known to hold results (up
 * to this one, to what the search read, or to the last when the total is
 * exact; never beyond max_page), and "next" when the page after it may
 * hold some: it is within what is known, or this page is full.  An
 * estimated total can be too low (results past its last page) or too
 * high (pages it counts empty), so it numbers no page. */
static void pager(const config *c, const cgi_params *p, const srch_result *r,
                  sbuf *out)
{
    uint32_t cur = p->page, lo, hi;
    uint64_t known = (uint64_t)(cur - 1) * c->per_page + r->nhits;
    if (r->total_exact && r->total > known)
        known = r->total;
    if (r->total_lower > known)
        known = r->total_lower;
    uint64_t pages = (known + c->per_page - 1) / c->per_page;
    uint32_t last = pages > c->max_page ? c->max_page : (uint32_t)pages;
    if (last < cur)
        last = cur;
    int more = cur < last || (!r->total_exact && r->nhits >= c->per_page &&
                              cur < c->max_page);
    if (last <= 1 && !more)
        return;
    lo = cur > 2 ? cur - 2 : 1;
    hi = cur + 2 < last ? cur + 2 : last;
    sbuf_adds(out, "<nav class=\"pager\" aria-label=\"Phân trang\">\n");
    if (cur > 1)
        page_link(p, cur - 1, "prev", "‹ Trước", out);
    if (lo > 1)
        page_link(p, 1, NULL, NULL, out);
    if (lo > 2)
        sbuf_adds(out, "<span>…</span>");
    for (uint32_t i = lo; i <= hi; i++) {
        if (i == cur)
            sbuf_addf(out, "<strong aria-current=\"page\">%u</strong>",
                      (unsigned)i);
        else
            page_link(p, i, NULL, NULL, out);
    }
    if (hi + 1 < last)
        sbuf_adds(out, "<span>…</span>");
    if (hi < last)
        page_link(p, last, NULL, NULL, out);
    if (more)
        page_link(p, cur + 1, "next", "Sau ›", out);
    sbuf_adds(out, "\n</nav>\n");
}

/* One facet value as a list item: a link filtering by it (link), or in
 * bold when the page is filtered by it already, or as text when no link
 * can carry it (link NULL); its count beside. */
static void facet_item(sbuf *out, const cgi_params *link, const srch_facet *f,
                       int selected, void (*escape)(sbuf *, const char *))
{
    sbuf_adds(out, "<li>");
    if (selected) {
        sbuf_adds(out, "<strong aria-current=\"true\">");
        escape(out, f->value);
        sbuf_adds(out, "</strong>");
    } else if (!link) {
        sbuf_adds(out, "<span>");
        escape(out, f->value);
        sbuf_adds(out, "</span>");
    } else {
        sbuf_adds(out, "<a ");
        href(out, link);
        sbuf_addc(out, '>');
        escape(out, f->value);
        sbuf_adds(out, "</a>");
    }
    sbuf_adds(out, "<span class=\"n\">");
    add_count(out, f->count);
    sbuf_adds(out, "</span></li>\n");
}

/* The narrower of a date filter in force (NULL: none) and a year: for
 * the start (end 0) the later one, for the end (end 1) the earlier;
 * filter itself when it is as narrow, or cannot be read. */
static char *bound(char *filter, char *year, int end)
{
    int64_t f, y;
    if (!filter)
        return year;
    if (date_parse_query(filter, end, &f) || date_parse_query(year, end, &y))
        return filter;
    return (end ? f <= y : f >= y) ? filter : year;
}

static void facets(const cgi_params *p, const srch_result *r, sbuf *out)
{
    char a[11], b[11];
    if (r->nsections) {
        sbuf_adds(out, "<section class=\"facet\" aria-labelledby=\"f-sec\">"
                       "<h2 id=\"f-sec\">Chuyên mục</h2><ul>\n");
        for (size_t i = 0; i < r->nsections; i++) {
            const srch_facet *f = &r->sections[i];
            cgi_params s = first_page(p);
            s.section = f->value;
            facet_item(out, cgi_section_linkable(f->value) ? &s : NULL, f,
                       r->nsections == 1 && p->section, escape_nfc);
        }
        sbuf_adds(out, "</ul></section>\n");
    }
    if (r->nyears) {
        sbuf_adds(out, "<section class=\"facet\" aria-labelledby=\"f-year\">"
                       "<h2 id=\"f-year\">Năm</h2><ul>\n");
        for (size_t i = 0; i < r->nyears; i++) {
            const srch_facet *f = &r->years[i];
            cgi_params y = first_page(p);
            /* the year within the period in force, as counted */
            y.from = bound(p->from, f->value, 0);
            y.to = bound(p->to, f->value, 1);
            facet_item(out, &y, f, y.from == p->from && y.to == p->to,
                       page_escape);
        }
        sbuf_adds(out, "</ul></section>\n");
    }
    /* the date filter: a plain GET form keeping the other parameters */
    full_date(p->from, 0, a);
    full_date(p->to, 1, b);
    sbuf_adds(out, "<form class=\"dates\" method=\"get\" "
                   "aria-labelledby=\"f-date\">"
                   "<h2 id=\"f-date\">Khoảng thời gian</h2>\n");
    hidden(out, "q", p->q);
    hidden(out, "related", p->related);
    hidden(out, "section", p->section);
    sort_hidden(out, p);
    sbuf_addf(out, "<label for=\"from\">Từ ngày</label>"
                   "<input id=\"from\" name=\"from\" type=\"date\" "
                   "value=\"%s\" min=\"1900-01-01\" max=\"2099-12-31\">\n"
                   "<label for=\"to\">Đến ngày</label>"
                   "<input id=\"to\" name=\"to\" type=\"date\" value=\"%s\" "
                   "min=\"1900-01-01\" max=\"2099-12-31\">\n"
                   "<button type=\"submit\">Lọc theo ngày</button></form>\n",
              a, b);
}

/* The query without accents, when that differs and the query is plain
 * words (no operators a fold would drop). */
static void accentless(const char *q, sbuf *out)
{
    sbuf low = {0};
    if (q[strcspn(q, "\":()-")] != '\0')
        return;
    vn_fold(q, strlen(q), out);
    vn_norm(q, strlen(q), &low);
    if (!low.s || !out->s || !strcmp(low.s, out->s))
        sbuf_reset(out);
    sbuf_free(&low);
}

/* How to make a search take less time, as list items. */
#define NARROW_TIPS                                                          \
    "<li>Thu hẹp câu tìm: thêm từ cho cụ thể hơn, bớt những vế OR và "       \
    "những cụm từ trong ngoặc kép gồm các từ rất thường gặp.</li>\n"         \
    "<li>Lọc theo chuyên mục hoặc thời gian, ví dụ «bão chuyenmuc:\"thời "   \
    "sự\" since:2024».</li>\n"                                              \
    "<li>Thử lại sau ít phút: máy chủ có thể đang bận.</li>\n"

/* The link dropping p's filters, named for those in force, as a list
 * item: "<li><a …>Bỏ bộ lọc chuyên mục</a>", then what follows it. */
static void drop_filters(const cgi_params *p, sbuf *out)
{
    cgi_params f = first_page(p);
    f.section = f.from = f.to = NULL;
    sbuf_adds(out, "<li><a ");
    href(out, &f);
    sbuf_adds(out, !p->section ? ">Bỏ bộ lọc thời gian"
                   : p->from || p->to
                       ? ">Bỏ các bộ lọc chuyên mục và thời gian"
                       : ">Bỏ bộ lọc chuyên mục");
    sbuf_adds(out, "</a>");
}

/* The help when p's filters alone leave nothing: un, the search without
 * them, found some. */
static void filtered_out(const cgi_params *p, const srch_result *un,
                         sbuf *out)
{
    sbuf n = {0};
    if (!un->total_exact)
        sbuf_adds(&n, "khoảng ");
    add_count(&n, srch_total_shown(un));
    if (*p->q) {
        sbuf_adds(out, "Không có bài nào cho «");
        page_escape(out, p->q);
        sbuf_adds(out, "» trong các bộ lọc đang dùng.");
    } else {
        sbuf_adds(out, "Không có tin liên quan nào trong các bộ lọc đang "
                       "dùng.");
    }
    sbuf_addf(out, "</h2>\n<p>Không lọc thì có %s kết quả.</p>\n"
                   "<p>Gợi ý:</p>\n<ul>\n", n.s);
    drop_filters(p, out);
    sbuf_addf(out, " (%s kết quả).</li>\n<li>Chọn chuyên mục hoặc khoảng "
                   "thời gian khác.</li>\n</ul>\n</div>\n", n.s);
    sbuf_free(&n);
}

static void no_results(const cgi_params *p, const srch_result *r,
                       const srch_result *un, sbuf *out)
{
    sbuf plain = {0};
    int filters = p->section || p->from || p->to;
    sbuf_adds(out, "<div class=\"empty\">\n<h2>");
    if (r->cut_ms) { /* stopped, not "nothing": no spelling to check */
        sbuf_addf(out, "Cuộc tìm bị dừng sau %u ms, trước khi tìm thấy bài "
                       "nào.</h2>\n<p>Câu tìm này cần nhiều thời gian hơn "
                       "mức cho phép; chưa biết có bài nào phù hợp hay "
                       "không. Gợi ý:</p>\n<ul>\n" NARROW_TIPS "</ul>\n"
                       "</div>\n",
                  r->cut_ms);
        return;
    }
    if (p->page > 1) {
        cgi_params f = first_page(p);
        sbuf_adds(out, "Không còn kết quả ở trang này.</h2>\n<p><a ");
        href(out, &f);
        sbuf_adds(out, ">Về trang đầu của kết quả</a></p>\n</div>\n");
        return;
    }
    if (filters && un && un->total) {
        filtered_out(p, un, out);
        return;
    }
    if (*p->q) {
        sbuf_adds(out, "Không tìm thấy bài nào cho «");
        page_escape(out, p->q);
        sbuf_adds(out, "».");
    } else {
        sbuf_adds(out, "Không tìm thấy bài nào.");
    }
    sbuf_adds(out, "</h2>\n");
    suggestion(p, r, out);
    sbuf_adds(out, "<p>Gợi ý:</p>\n<ul>\n"
                   "<li>Kiểm tra lại chính tả của từ khóa.</li>\n");
    accentless(p->q, &plain);
    if (plain.len) {
        cgi_params f = first_page(p);
        f.q = plain.s;
        sbuf_adds(out, "<li>Thử gõ không dấu: <a ");
        href(out, &f);
        sbuf_addc(out, '>');
        page_escape(out, plain.s);
        sbuf_adds(out, "</a> (tìm được mọi cách bỏ dấu).</li>\n");
    } else {
        sbuf_adds(out, "<li>Thử gõ không dấu, ví dụ «can tho» tìm được "
                       "«Cần Thơ».</li>\n");
    }
    sbuf_adds(out, "<li>Dùng ít từ hơn, hoặc những từ chung hơn.</li>\n");
    if (filters && !un) { /* (counted: no more without them) */
        drop_filters(p, out);
        sbuf_adds(out, ".</li>\n");
    }
    sbuf_adds(out, "</ul>\n</div>\n");
    sbuf_free(&plain);
}

/* How the query was read, said to the reader in Vietnamese (the library's
 * notice is English, for programs and the command line). */
static void notes(const srch_result *r, sbuf *out)
{
    if (r->notes & SRCH_NOTE_ACCENTS)
        sbuf_adds(out, "<p class=\"note\">Không có bài nào chứa các từ với "
                       "đúng dấu đã gõ; dưới đây là các bài có những từ ấy "
                       "với dấu khác.</p>\n");
    if ((r->notes & SRCH_NOTE_FIELD) && r->unknown_field) {
        sbuf_adds(out, "<p class=\"note\">Không có trường “");
        page_escape(out, r->unknown_field);
        sbuf_adds(out, ":”; đã tìm như từ thường. Các trường: tieude: "
                       "(title:), tacgia: (author:), chuyenmuc: (section:), "
                       "the: (tag:), nguon: (source:), tu: (since:), den: "
                       "(until:).</p>\n");
    }
    if (r->notes & SRCH_NOTE_VALUE)
        sbuf_adds(out, "<p class=\"note\">Không có bài nào có giá trị đã "
                       "gõ cho một bộ lọc (tác giả, chuyên mục, thẻ hay "
                       "nguồn); xem lại cách viết, và đặt giá trị nhiều từ "
                       "trong ngoặc kép: tacgia:\"Ngọc An\".</p>\n");
    if (r->notes & SRCH_NOTE_WORDS)
        sbuf_addf(out, "<p class=\"note\">Câu tìm quá dài: chỉ %d từ đầu "
                       "được tìm, các từ sau bị bỏ qua.</p>\n",
                  SRCH_MAX_WORDS);
    /* (none found: the help says it, no_results) */
    if ((r->notes & SRCH_NOTE_SHORT) && r->nhits)
        sbuf_addf(out, "<p class=\"note\">Cuộc tìm bị dừng sau %u ms: dưới "
                       "đây là các bài tìm được trong thời gian ấy, tổng "
                       "số chỉ là ước lượng. Thu hẹp câu tìm (thêm từ, bớt "
                       "OR, lọc theo chuyên mục hay thời gian) để có đủ "
                       "kết quả.</p>\n",
                  r->cut_ms);
    /* (SRCH_NOTE_CUT cannot happen here: a longer q is refused) */
}

/* Whether the results of p are ranked by nothing: no word to match (q
 * blank, no related article) or only filters in q (chuyenmuc:…,
 * since:…), which score every result 0; the searcher lists them newest
 * first whatever the order asked. */
static int unranked(const cgi_params *p, const srch_result *r)
{
    if (p->related)
        return 0;
    if (cgi_blank(p->q))
        return 1;
    for (size_t i = 0; i < r->nhits; i++)
        if (r->hits[i].score != 0)
            return 0;
    return r->nhits > 0;
}

static void stats(const cgi_params *p, const srch_result *r, sbuf *out)
{
    char secs[32];
    /* (a time that rounds to 0,000 reads as none at all) */
    snprintf(secs, sizeof secs, r->seconds < 0.0005 ? "dưới 0.001" : "%.3f",
             r->seconds);
    for (char *s = secs; *s; s++)
        if (*s == '.')
            *s = ',';
    sbuf_adds(out, "<div class=\"tools\">\n<p>");
    if (p->page > 1)
        sbuf_addf(out, "Trang %u · ", (unsigned)p->page);
    sbuf_adds(out, r->total_exact ? "" : "Khoảng ");
    sbuf_adds(out, "<strong>");
    add_count(out, srch_total_shown(r));
    sbuf_addf(out, "</strong> kết quả (%s giây)</p>\n<p>Sắp xếp: ", secs);
    static const char *const sorts[] = {"phù hợp nhất", "mới nhất",
                                        "phù hợp, ưu tiên tin mới"};
    if (unranked(p, r)) {
        /* every order gives the searcher's, newest first: no choice */
        sbuf_addf(out, "<strong aria-current=\"true\">%s</strong> (chỉ có "
                       "bộ lọc, không có từ "
                       "nào để xếp theo độ phù hợp)</p>\n</div>\n",
                  sorts[CGI_SORT_DATE]);
        return;
    }
    for (int k = 0; k < 3; k++) {
        cgi_params s = first_page(p);
        s.sort = k;
        if (k)
            sbuf_adds(out, " · ");
        if (k == p->sort) {
            sbuf_addf(out, "<strong aria-current=\"true\">%s</strong>",
                      sorts[k]);
            continue;
        }
        sbuf_adds(out, "<a ");
        href(out, &s);
        sbuf_addf(out, ">%s</a>", sorts[k]);
    }
    sbuf_adds(out, "</p>\n</div>\n");
}

/* The section of p as the index names it (its facet's value) when the
 * facets name one that it folds to ("thoi su", "THỜI SỰ": "Thời sự"),
 * else as p has it. */
static char *section_named(const cgi_params *p, const srch_result *r)
{
    sbuf want = {0}, v = {0};
    char *named = p->section;
    if (!p->section)
        return NULL;
    vn_fold(p->section, strlen(p->section), &want);
    for (size_t i = 0; i < r->nsections && want.len; i++) {
        const char *f = r->sections[i].value;
        sbuf_reset(&v);
        vn_fold(f, strlen(f), &v);
        if (v.len == want.len && !memcmp(v.s, want.s, v.len) &&
            cgi_section_linkable(f)) {
            named = r->sections[i].value;
            break;
        }
    }
    sbuf_free(&want);
    sbuf_free(&v);
    return named;
}

void page_results(const config *c, const cgi_params *p_in, const char *about,
                  const srch_result *r, const srch_result *unfiltered,
                  sbuf *out)
{
    cgi_params named = *p_in; /* the section as the index names it */
    const cgi_params *p = &named;
    sbuf name = {0};
    named.section = section_named(p_in, r);
    page_search_name(p, about, 0, &name);
    head(c, p, name.s, out);
    sbuf_free(&name);
    bar(c, p, 1, out);
    sbuf_adds(out, "<main class=\"wrap\">\n");
    if (p->related) { /* the article they relate to, for everyone */
        sbuf_adds(out, "<h1>Tin liên quan");
        if (about && *about) {
            sbuf_adds(out, ": ");
            page_escape(out, about);
        }
        sbuf_adds(out, "</h1>\n");
    } else {
        sbuf_adds(out, "<h1 class=\"sr\">Kết quả tìm kiếm</h1>\n");
    }
    if (r->nhits)
        suggestion(p, r, out);
    if (r->relaxed && r->nhits && r->phrase_apart)
        sbuf_adds(out, "<p class=\"note\">Không có bài nào chứa đúng cụm "
                       "từ trong ngoặc kép như đã gõ; có bài chứa đủ các "
                       "từ ấy nhưng không liền nhau: dưới đây là những bài "
                       "gần nhất.</p>\n");
    else if (r->relaxed && r->nhits)
        sbuf_adds(out, "<p class=\"note\">Không có bài nào chứa đủ mọi từ "
                       "đã gõ; dưới đây là những bài gần nhất.</p>\n");
    notes(r, out);
    if (p->swapped) {
        sbuf_adds(out, "<p class=\"note\">Ngày bắt đầu đứng sau ngày kết "
                       "thúc nên hai ngày đã được đổi chỗ: tin ");
        period(p, 0, out); /* digits and words: nothing to escape */
        sbuf_adds(out, ".</p>\n");
    }
    if (!r->nhits) { /* the help alone: nothing to sort or narrow */
        chips(p, out);
        no_results(p, r, unfiltered, out);
        sbuf_adds(out, "</main>\n");
        foot(p, out);
        return;
    }
    stats(p, r, out);
    chips(p, out);
    sbuf_adds(out, "<div class=\"cols\">\n<div class=\"results\">\n");
    sbuf_addf(out, "<ol class=\"hits\" start=\"%lu\">\n",
              (unsigned long)(p->page - 1) * c->per_page + 1);
    for (size_t i = 0; i < r->nhits; i++)
        hit(p, &r->hits[i], out);
    sbuf_adds(out, "</ol>\n");
    pager(c, p, r, out);
    if (p->page >= c->max_page &&
        (r->total > (uint64_t)p->page * c->per_page ||
         r->total_lower > (uint64_t)p->page * c->per_page))
        sbuf_addf(out, "<p class=\"note\">Chỉ xem được đến trang %u. Thu hẹp "
                       "câu tìm (thêm từ, lọc theo chuyên mục hay thời gian) "
                       "để thấy những kết quả sau.</p>\n",
                  (unsigned)c->max_page);
    sbuf_adds(out, "</div>\n<aside class=\"side\" aria-label=\"Lọc kết "
                   "quả\">\n");
    facets(p, r, out);
    sbuf_adds(out, "</aside>\n</div>\n</main>\n");
    foot(p, out);
}

void page_home(const config *c, sbuf *out)
{
    static const char *const examples[] = {"can tho", "bão số 9",
                                           "\"giá vàng\"", "hòa bình"};
    head(c, NULL, NULL, out);
    bar(c, NULL, 0, out);
    sbuf_adds(out, "<main class=\"wrap\">\n<div class=\"home\">\n<h1>");
    page_escape(out, c->title);
    sbuf_adds(out, "</h1>\n<p>");
    page_escape(out, c->description);
    sbuf_adds(out, ".</p>\n<ul>\n"
                   "<li>Gõ có dấu hay không dấu đều được: «can tho» tìm "
                   "được «Cần Thơ», «da nang» tìm được «Đà Nẵng».</li>\n"
                   "<li>Đặt cụm từ trong ngoặc kép để tìm đúng cụm: "
                   "«\"giá vàng\"».</li>\n"
                   "<li>Dấu trừ để loại một từ: «bão -lũ»; OR để tìm một "
                   "trong hai: «bão OR lũ».</li>\n"
                   "<li>Lọc theo trường: «chuyenmuc:\"thể thao\"», "
                   "«tacgia:\"Ngọc An\"», «tieude:\"cần thơ\"».</li>\n"
                   "</ul>\n<p>Thử: ");
    for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
        cgi_params e = blank();
        e.q = (char *)examples[i];
        sbuf_adds(out, i ? " · <a " : "<a ");
        href(out, &e);
        sbuf_addc(out, '>');
        page_escape(out, examples[i]);
        sbuf_adds(out, "</a>");
    }
    sbuf_adds(out, "</p>\n</div>\n</main>\n");
    foot(NULL, out);
}

void page_error(const config *c, const cgi_params *p, int status,
                const char *msg, sbuf *out)
{
    const char *title = status == 404   ? "Không tìm thấy"
                        : status >= 500 ? "Lỗi máy chủ"
                                        : "Yêu cầu không hợp lệ";
    head(c, NULL, title, out);
    bar(c, p, 0, out); /* a filter may be what was refused */
    sbuf_addf(out, "<main class=\"wrap\">\n<div class=\"home err\">\n"
                   "<h1>%s</h1>\n<p>",
              title);
    page_escape(out, msg);
    sbuf_adds(out, "</p>\n<p><a href=\"?\">Về trang tìm kiếm</a></p>\n"
                   "</div>\n</main>\n");
    foot(NULL, out);
}
