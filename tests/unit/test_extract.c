/* test_extract.c — article extraction by profile (crawler/extract.h,
 * profile.h, dom.h), charsets (charset.h) and stored responses
 * (pageread_block); page dates are test_pagedate.c's. */
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "dom.h"
#include "extract.h"
#include "pageread.h"
#include "profile.h"
#include "shipped.h"
#include "t.h"

/* Parse html (n bytes) and extract an article from it with p's rules:
 * extract_article's status, or the parse's (*d NULL then). */
static int extract_html(const profile *p, const char *html, size_t n,
                        dom_doc **d, article *a)
{
    tt_err e;
    int rc = dom_parse_html(html, n, NULL, d, &e);
    if (rc != TT_OK) {
        *d = NULL;
        return rc;
    }
    return extract_article(profile_rules(p), *d, a, &e);
}

static profile *load(const char *name) { return shipped_profile(name); }

/* A Tuổi Trẻ-style page with everything that must be dropped, NFD and
 * noise in it.  "NGỌC AN" is decomposed; a zero-width space sits inside
 * "phạm", a no-break space and a soft hyphen in the body. */
static const char tuoitre_page[] =
    "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
    "<title>X | Tuổi Trẻ Online</title>"
    "<link rel=\"canonical\" href=\"https://tuoitre.vn/bai-viet-20251229223200123.htm\">"
    "<meta property=\"og:title\" content=\"Tiêu đề từ og\">"
    "<meta property=\"og:image\" content=\"https://tuoitre.vn/a.jpg\">"
    "<meta property=\"article:published_time\" content=\"2025-12-29T15:32:00Z\">"
    "<meta name=\"keywords\" content=\"khóa 1, khóa 2\">"
    "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
    "\"@type\":\"BreadcrumbList\",\"itemListElement\":[]}</script>"
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
    "\"headline\":\"ignored\",\"datePublished\":\"2025-12-29T22:32:00+07:00\","
    "\"dateModified\":\"2025-12-30T08:00:00+07:00\","
    "\"author\":[{\"@type\":\"Person\",\"name\":\"JSON A\"}]}</script>"
    "</head><body><nav><a href=\"/thoi-su.htm\">Thời sự</a></nav>"
    "<div class=\"detail-cate\"><a href=\"/thoi-su.htm\">Thời sự</a>"
    "<a href=\"/thoi-su/phong-su.htm\">Phóng sự</a></div>"
    "<div data-role=\"publishdate\">29/12/2025 22:32 GMT+7</div>"
    "<h1 class=\"detail-title article-title\" data-role=\"title\">"
    "  Cần Thơ &ldquo;chủ xị&rdquo; liên kết &amp; phát triển\n</h1>"
    "<div class=\"detail-author\" data-role=\"author\"><a class=\"name\">BẢO ANH</a>, "
    "<a class=\"name\">NGO\xCC\xA3""C AN</a></div>"
    "<h2 class=\"detail-sapo\" data-role=\"sapo\">TTO - Sa&shy;po có vi\xE2\x80\x8B\xC3\xAA\xCC\xA3t.</h2>"
    "<div class=\"detail-cmain\"><div class=\"detail-content afcbc-body\" "
    "data-role=\"content\" itemprop=\"articleBody\">"
    "<p>Đoạn một: vi&#7879;c ph\xE1\xBA\xA1\xE2\x80\x8Bm, 1,5m\xC2\xA0""cho <b>xe</b> <a href=\"/x.htm\">qua</a>.</p>"
    "<figure type=\"Photo\"><img src=\"/a.jpg\" alt=\"\"><figcaption><p>Ảnh chụp - "
    "Ảnh: CHÍ QUỐC</p></figcaption></figure>"
    "<div type=\"RelatedNewsBox\"><h3>Tin liên quan</h3><p>Không lấy đoạn này</p>"
    "<a href=\"/khac-20240101000000000.htm\">Khác</a></div>"
    "<h2>Tiêu đề phụ</h2>"
    "<p>Đoạn   hai\n  nhiều   khoảng trắng.</p>"
    "<div type=\"VideoStream\"><p>Video không lấy</p></div>"
    "<div type=\"RelatedOneNews\"><p>Cũng không lấy</p></div>"
    "<p></p>"
    "<div class=\"readmore-body-box\"><p>Đọc tiếp</p></div>"
    "<div class=\"author-info\"><p>BẢO ANH - NGỌC AN</p></div>"
    "<p>Đoạn ba.</p>"
    "</div></div>"
    "<div class=\"detail-tab\"><a href=\"/can-tho.html\">Cần Thơ</a>"
    "<a href=\"/x.html\">liên kết vùng</a></div>"
    "<div class=\"detail-comment\"><p>Bình luận không lấy</p></div>"
    "</body></html>";

static void test_tuoitre(void)
{
    profile *p = load("tuoitre");
    dom_doc *d;
    article a;
    T_CHECK(p != NULL);
    if (!p)
        return;
    T_EQ_INT(extract_html(p, tuoitre_page, sizeof tuoitre_page - 1, &d, &a), TT_OK);
    T_EQ_STR(a.title, "Cần Thơ “chủ xị” liên kết & phát triển");
    /* soft hyphen and zero-width space gone, NFD composed */
    T_EQ_STR(a.sapo, "TTO - Sapo có việt.");
    T_EQ_INT(a.body.n, 4);
    if (a.body.n == 4) {
        T_EQ_STR(a.body.v[0], "Đoạn một: việc phạm, 1,5m cho xe qua.");
        T_EQ_STR(a.body.v[1], "Tiêu đề phụ");
        T_EQ_STR(a.body.v[2], "Đoạn hai nhiều khoảng trắng.");
        T_EQ_STR(a.body.v[3], "Đoạn ba.");
    }
    T_EQ_INT(a.captions.n, 1);
    if (a.captions.n)
        T_EQ_STR(a.captions.v[0], "Ảnh chụp - Ảnh: CHÍ QUỐC");
    T_EQ_INT(a.authors.n, 2);
    if (a.authors.n == 2) {
        T_EQ_STR(a.authors.v[0], "BẢO ANH");
        T_EQ_STR(a.authors.v[1], "NGỌC AN");
    }
    /* JSON-LD wins over meta and text */
    T_EQ_STR(a.published, "2025-12-29T22:32:00+07:00");
    T_EQ_STR(a.modified, "2025-12-30T08:00:00+07:00");
    T_EQ_STR(a.section, "Thời sự");
    T_EQ_INT(a.tags.n, 2);
    if (a.tags.n == 2)
        T_EQ_STR(a.tags.v[1], "liên kết vùng");
    T_EQ_STR(a.canonical, "https://tuoitre.vn/bai-viet-20251229223200123.htm");
    T_EQ_STR(a.image, "https://tuoitre.vn/a.jpg");
    article_free(&a);
    dom_free(d);
    profile_free(p);
}

static void test_fallbacks(void)
{
    /* no JSON-LD, no meta time, no h1: the og:title and the page text */
    static const char page[] =
        "<html><head><meta property=\"og:title\" content=\"Chỉ có og\">"
        "<meta name=\"keywords\" content=\"một, hai ,ba\"></head><body>"
        "<span data-role=\"publishdate\">Thứ hai, 29/12/2025 - 22:32 (GMT+7)</span>"
        "<div class=\"detail-content\"><p>Thân bài.</p></div></body></html>";
    profile *p = load("tuoitre");
    dom_doc *d;
    article a;
    if (!p)
        return;
    T_EQ_INT(extract_html(p, page, sizeof page - 1, &d, &a), TT_OK);
    T_EQ_STR(a.title, "Chỉ có og");
    T_EQ_STR(a.published, "2025-12-29T22:32:00+07:00");
    T_EQ_INT(a.tags.n, 3);
    if (a.tags.n == 3)
        T_EQ_STR(a.tags.v[2], "ba");
    T_EQ_INT(a.authors.n, 0);
    article_free(&a);
    dom_free(d);
    profile_free(p);
}

static void test_jsonld_graph(void)
{
    /* only JSON-LD names the fields: an array holding a @graph, a WebPage
     * before the article (articles are read first), authors as Person
     * objects, @type as an array */
    static const char page[] =
        "<html><head><script type=\"application/ld+json\">[{\"@context\":"
        "\"https://schema.org\",\"@graph\":[{\"@type\":\"WebPage\","
        "\"headline\":\"Trang chủ\",\"description\":\"Không phải sapo\","
        "\"datePublished\":\"2001-01-01\"},{\"@type\":[\"NewsArticle\"],"
        "\"headline\":\"Tiêu đề từ JSON-LD\",\"description\":\"Sapo từ "
        "JSON-LD.\",\"datePublished\":\"2025-01-02T03:04:05+07:00\","
        "\"articleSection\":\"Thời sự\",\"author\":[{\"@type\":"
        "\"Person\",\"name\":\"Ngọc An\"},{\"@type\":\"Person\","
        "\"name\":\"Bảo Anh\"}]}]}]</script></head><body>"
        "<div class=\"detail-content\"><p>Đoạn một.</p></div></body></html>";
    profile *p = load("tuoitre");
    dom_doc *d;
    article a;
    tt_err e;
    if (!p)
        return;
    T_EQ_INT(extract_html(p, page, sizeof page - 1, &d, &a), TT_OK);
    T_EQ_STR(a.title, "Tiêu đề từ JSON-LD");
    T_EQ_STR(a.sapo, "Sapo từ JSON-LD.");
    T_EQ_STR(a.published, "2025-01-02T03:04:05+07:00");
    T_EQ_STR(a.section, "Thời sự");
    T_EQ_INT(a.authors.n, 2);
    if (a.authors.n == 2) {
        T_EQ_STR(a.authors.v[0], "Ngọc An");
        T_EQ_STR(a.authors.v[1], "Bảo Anh");
    }
    T_EQ_INT(a.body.n, 1);
    article_free(&a);
    dom_free(d);
    /* JSON-LD strings hold HTML entities as many sites write them: decoded
     * once, as the h1 and meta paths decode them (named and numeric
     * references; "&amp;quot;" is "&quot;" as text; an unknown name and a
     * bare '&' stay; markup in the string is text) */
    {
        static const char ent[] =
            "<html><head><script type=\"application/ld+json\">{\"@type\":"
            "\"NewsArticle\",\"headline\":\"Triều cường &quot;đạt đỉnh&quot; ở "
            "Cần Thơ &amp; H&agrave; N&#7897;i\",\"description\":\"Chiều "
            "10-10 &ndash; H&#xE0; N&#x1ED9;i: &amp;quot; &foo; a & b <b>x</b>"
            "\",\"author\":{\"@type\":\"Person\",\"name\":\"Ng&#7885;c An\"},"
            "\"articleSection\":\"Th&#7901;i s&#7921;\"}</script></head><body>"
            "<div class=\"detail-content\"><p>Đoạn một.</p></div></body></html>";
        T_EQ_INT(extract_html(p, ent, sizeof ent - 1, &d, &a), TT_OK);
        T_EQ_STR(a.title, "Triều cường \"đạt đỉnh\" ở Cần Thơ & Hà Nội");
        T_EQ_STR(a.sapo, "Chiều 10-10 \xE2\x80\x93 Hà Nội: &quot; &foo; a & b "
                         "<b>x</b>");
        T_EQ_INT(a.authors.n, 1);
        if (a.authors.n == 1)
            T_EQ_STR(a.authors.v[0], "Ngọc An");
        T_EQ_STR(a.section, "Thời sự");
        article_free(&a);
        dom_free(d);
    }
    profile_free(p);
    /* a path that ends at an object takes its name: "author" as one
     * Person, or a list of Persons and plain names */
    {
        static const char conf[] = "name = t\nbase = https://x.vn\n"
                                   "article = -([0-9]+)\\.htm$\n"
                                   "title = jsonld:headline\n"
                                   "author = jsonld:author\n"
                                   "content = div.c\nbody = p\n";
        static const char one[] =
            "<html><head><script type=\"application/ld+json\">{\"@type\":"
            "\"Article\",\"headline\":\"T\",\"author\":{\"@type\":\"Person\","
            "\"name\":\"Một Người\"}}</script></head><body><div class=\"c\">"
            "<p>x</p></div></body></html>";
        static const char list[] =
            "<html><head><script type=\"application/ld+json\">{\"@type\":"
            "\"Article\",\"headline\":\"T\",\"author\":[{\"@type\":\"Person\","
            "\"name\":\"A\"},\"B\"]}</script></head><body><div class=\"c\">"
            "<p>x</p></div></body></html>";
        T_EQ_INT(profile_parse(conf, sizeof conf - 1, "t.conf", &p, &e), TT_OK);
        T_EQ_INT(extract_html(p, one, sizeof one - 1, &d, &a), TT_OK);
        T_EQ_INT(a.authors.n, 1);
        if (a.authors.n == 1)
            T_EQ_STR(a.authors.v[0], "Một Người");
        article_free(&a);
        dom_free(d);
        T_EQ_INT(extract_html(p, list, sizeof list - 1, &d, &a), TT_OK);
        T_EQ_INT(a.authors.n, 2);
        if (a.authors.n == 2) {
            T_EQ_STR(a.authors.v[0], "A");
            T_EQ_STR(a.authors.v[1], "B");
        }
        article_free(&a);
        dom_free(d);
        profile_free(p);
    }
}

static void test_not_articles(void)
{
    profile *p = load("tuoitre");
    dom_doc *d;
    article a;
    tt_err e;
    static const char listing[] = "<html><body><h1>Thời sự</h1>"
                                  "<a href=\"/a-20250101000000000.htm\">A</a></body></html>";
    static const char notitle[] = "<html><body><div class=\"detail-content\"><p>x</p>"
                                  "</div></body></html>";
    if (!p)
        return;
    T_EQ_INT(extract_html(p, listing, sizeof listing - 1, &d, &a), TT_ENOTFOUND);
    T_CHECK(a.title == NULL);
    dom_free(d);
    T_EQ_INT(extract_html(p, notitle, sizeof notitle - 1, &d, &a), TT_ENOTFOUND);
    dom_free(d);
    /* garbage: never a crash */
    {
        char junk[5000];
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = (char)("<>/&;\"'a=p \xC3\xFF"[i * 31 % 13]);
        if (dom_parse_html(junk, sizeof junk, NULL, &d, &e) == TT_OK) {
            if (extract_article(profile_rules(p), d, &a, &e) == TT_OK)
                article_free(&a);
            dom_free(d);
        }
    }
    T_EQ_INT(dom_parse_html("", 0, NULL, &d, &e), TT_EINVAL);
    profile_free(p);
}

static void test_links(void)
{
    static const char page[] =
        "<html><head><base href=\"https://tuoitre.vn/sub/\"></head><body>"
        "<a href=\"a.htm\">a</a><a>none</a><a href=\"\">empty</a>"
        "<link rel=\"next\" href=\"/timeline/3/trang-2.htm\">"
        "<area href=\"/b.htm\"></body></html>";
    dom_doc *d;
    strlist l = {0};
    sbuf base = {0};
    tt_err e;
    T_EQ_INT(dom_parse_html(page, sizeof page - 1, NULL, &d, &e), TT_OK);
    extract_links(d, &l);
    T_EQ_INT(l.n, 3);
    T_EQ_INT(extract_base(d, &base), 1);
    T_EQ_STR(base.s, "https://tuoitre.vn/sub/");
    strlist_free(&l);
    sbuf_free(&base);
    dom_free(d);
}

static const char vne_page[] =
    "<html><head><meta itemprop=\"datePublished\" content=\"2025-12-29T22:32:00+07:00\">"
    "<meta name=\"its_tag\" content=\"giao thông, Hà Nội\"></head><body>"
    "<ul class=\"breadcrumb\"><li><a href=\"/thoi-su\">Thời sự</a></li>"
    "<li><a href=\"/thoi-su/giao-thong\">Giao thông</a></li></ul>"
    "<span class=\"date\">Thứ hai, 29/12/2025, 22:32 (GMT+7)</span>"
    "<h1 class=\"title-detail\">Tiêu đề VnExpress</h1>"
    "<p class=\"description\">Mô tả ngắn.</p>"
    "<article class=\"fck_detail \"><p class=\"Normal\">Đoạn 1.</p>"
    "<figure><img src=\"x.jpg\"><figcaption><p class=\"Image\">Chú thích ảnh. "
    "Ảnh: Ngọc Thành</p></figcaption></figure>"
    "<p class=\"Normal\">Đoạn 2.</p>"
    /* another article's headline, a link in bold: not this one's text */
    "<p class=\"Normal\"><strong><a href=\"https://vnexpress.net/ca-nuoc-"
    "ngot-4987001.html\">Cá nước ngọt mất giá</a></strong></p>"
    "<p class=\"Normal\" style=\"text-align:right;\"><strong>Ngọc Thành</strong></p>"
    "</article></body></html>";

static void test_vnexpress(void)
{
    profile *p = load("vnexpress");
    dom_doc *d;
    article a;
    char id[32];
    T_CHECK(p != NULL);
    if (!p)
        return;
    T_EQ_INT(extract_html(p, vne_page, sizeof vne_page - 1, &d, &a), TT_OK);
    T_EQ_STR(a.title, "Tiêu đề VnExpress");
    T_EQ_STR(a.sapo, "Mô tả ngắn.");
    T_EQ_INT(a.body.n, 2);
    if (a.body.n == 2)
        T_EQ_STR(a.body.v[1], "Đoạn 2.");
    T_EQ_INT(a.authors.n, 1);
    if (a.authors.n)
        T_EQ_STR(a.authors.v[0], "Ngọc Thành");
    T_EQ_INT(a.captions.n, 1);
    T_EQ_STR(a.published, "2025-12-29T22:32:00+07:00");
    T_EQ_STR(a.section, "Thời sự");
    T_EQ_INT(a.tags.n, 2);
    article_free(&a);
    dom_free(d);
    T_EQ_INT(profile_classify(p, "https://vnexpress.net/xe-buyt-4987654.html", id,
                              sizeof id), PK_ARTICLE);
    T_EQ_STR(id, "vnexpress-4987654"); /* id_prefix */
    T_EQ_INT(profile_classify(p, "https://vnexpress.net/thoi-su", id, sizeof id),
             PK_HUB);
    T_EQ_INT(profile_classify(p, "https://vnexpress.net/thoi-su-p2", id, sizeof id),
             PK_PAGINATE);
    profile_free(p);
}

static void test_profile_scope(void)
{
    profile *p = load("tuoitre");
    char id[64];
    sbuf u = {0};
    tt_err e;
    if (!p)
        return;
    T_EQ_STR(profile_seed(p, 0), "https://tuoitre.vn/");
    T_EQ_INT(profile_classify(p, "https://tuoitre.vn/a-b-20230612081542118.htm", id,
                              sizeof id), PK_ARTICLE);
    T_EQ_STR(id, "20230612081542118");
    T_EQ_INT(profile_classify(p, "https://tuoitre.vn/moi-1001234567.htm", id, sizeof id),
             PK_ARTICLE);
    T_EQ_STR(id, "1001234567");
    T_EQ_INT(profile_classify(p, "https://tuoitre.vn/thoi-su.htm", id, sizeof id), PK_HUB);
    T_EQ_INT(profile_classify(p, "https://tuoitre.vn/timeline/3/trang-2.htm", id,
                              sizeof id), PK_PAGINATE);
    T_EQ_INT(profile_classify(p, "https://tuoitre.vn/can-tho.html", id, sizeof id), PK_OUT);
    T_EQ_INT(profile_classify(p, "https://other.vn/a-20230612081542118.htm", id,
                              sizeof id), PK_OUT);
    /* --base-url: seeds, scope and the site's own absolute links move */
    T_EQ_INT(profile_set_base(p, "http://127.0.0.1:8080/", &e), TT_OK);
    T_EQ_STR(profile_seed(p, 1), "http://127.0.0.1:8080/rss.htm");
    T_EQ_INT(profile_link(p, "http://127.0.0.1:8080/", "https://tuoitre.vn/x.htm?utm_source=a",
                          38, &u), 0);
    T_EQ_STR(u.s, "http://127.0.0.1:8080/x.htm");
    T_EQ_INT(profile_link(p, "http://127.0.0.1:8080/", "https://other.vn/x.htm", 22, &u), -1);
    {
        int64_t ep;
        T_EQ_INT(profile_shard_date(p, "http://127.0.0.1:8080/StaticSitemaps/"
                                       "sitemaps-2023-6-11-15.xml.gz", &ep), 0);
        /* 2023-06-15 23:59:59 +07:00 */
        T_EQ_INT(ep, 1686848399);
    }
    sbuf_free(&u);
    profile_free(p);
}

static void test_profile_errors(void)
{
    profile *p;
    tt_err e;
    const char *bad[] = {
        "name = x\nbase = https://x.vn\narticle = ([0-9]+\ntitle=h1\ncontent=div\nbody=p\n",
        "name = x\nbase = https://x.vn\narticle = -([0-9]+)\\.htm$\ntitle=h1[\ncontent=div\nbody=p\n",
        "name = x\nbase = https://x.vn\narticle = -([0-9]+)\\.htm$\ncontent=div\nbody=p\n",
        "name = x\nbase = https://x.vn\nnonsense = 1\n",
        "name = x\nbase = https://x.vn/path\n",
        "just a line\n",
        "name = x\nbase = https://x.vn\narticle = [0-9]+\ntitle=h1\ncontent=div\nbody=p\n",
        /* a second base, bad: the first was freed twice (fuzz_conf) */
        "name = x\nbase = https://x.vn\nbase = nowhere\n",
        "name = x\nbase = https://x.vn\nkeep_trailing_slash = maybe\n",
        /* names that cannot name the crawl state's directory */
        "name = a/b\nbase = https://x.vn\n",
        "name = ..\nbase = https://x.vn\n",
        "name = x.tmp\nbase = https://x.vn\n",
        "name = queue\nbase = https://x.vn\n",
        "name = x\x01y\nbase = https://x.vn\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        T_EQ_INT(profile_parse(bad[i], strlen(bad[i]), "t.conf", &p, &e), TT_EINVAL);
        T_CHECK(p == NULL);
        T_CHECK(strstr(e.msg, "t.conf") != NULL);
    }
    T_EQ_INT(profile_load("no-such-profile", "/nonexistent", &p, &e), TT_ENOTFOUND);
}

/* Internationalised host names: no IDNA library here, so they must be
 * written in punycode, and the messages say so. */
static void test_profile_idn(void)
{
    static const char *const bad[] = {
        "name = x\nbase = https://báo.vn\narticle = -([0-9]+)$\ntitle = h1\n"
        "content = div\nbody = p\n",
        "name = x\nbase = https://x.vn\nhost = tuổitrẻ.vn\narticle = -([0-9]+)$\n"
        "title = h1\ncontent = div\nbody = p\n",
        "name = x\nbase = https://x.vn\nhost = x.vn\nseed = https://tuổitrẻ.vn/\n"
        "article = -([0-9]+)$\ntitle = h1\ncontent = div\nbody = p\n",
    };
    static const char good[] = "name = x\nbase = https://xn--bo-lia.vn\n"
                               "article = -([0-9]+)$\ntitle = h1\ncontent = div\nbody = p\n";
    profile *p;
    tt_err e;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        T_EQ_INT(profile_parse(bad[i], strlen(bad[i]), "t.conf", &p, &e), TT_EINVAL);
        T_CHECK(strstr(e.msg, "punycode (xn--") != NULL);
        T_CHECK(strstr(e.msg, "t.conf") != NULL);
    }
    T_EQ_INT(profile_parse(good, sizeof good - 1, "t.conf", &p, &e), TT_OK);
    if (p) {
        T_CHECK(profile_seed(p, 0) == NULL);
        T_EQ_INT(profile_set_base(p, "https://tuổitrẻ.vn/", &e), TT_EINVAL);
        T_CHECK(strstr(e.msg, "punycode (xn--") != NULL);
        T_EQ_INT(profile_set_base(p, "nowhere", &e), TT_EINVAL);
        T_CHECK(strstr(e.msg, "punycode") == NULL);
    }
    profile_free(p);
}

static void test_profile_fingerprint(void)
{
    static const char a[] = "name = x\nbase = https://x.vn\narticle = -([0-9]+)\\.htm$\n"
                            "title = h1\ncontent = div\nbody = p\n";
    static const char b[] = "name = x\nbase = https://x.vn\narticle = -([0-9]+)\\.html$\n"
                            "title = h1\ncontent = div\nbody = p\n";
    profile *p1 = NULL, *p2 = NULL, *p3 = NULL;
    tt_err e;
    T_EQ_INT(profile_parse(a, sizeof a - 1, "a.conf", &p1, &e), TT_OK);
    T_EQ_INT(profile_parse(a, sizeof a - 1, "a2.conf", &p2, &e), TT_OK);
    T_EQ_INT(profile_parse(b, sizeof b - 1, "b.conf", &p3, &e), TT_OK);
    if (p1 && p2 && p3) {
        T_CHECK(profile_fingerprint(p1) != 0);
        T_CHECK(profile_fingerprint(p1) == profile_fingerprint(p2));
        T_CHECK(profile_fingerprint(p1) != profile_fingerprint(p3));
    }
    profile_free(p1);
    profile_free(p2);
    profile_free(p3);
}

static void test_css(void)
{
    sbuf b = {0};
    tt_err e;
    T_EQ_INT(dom_css_to_xpath("h1.detail-title[data-role=title]", &b, &e), TT_OK);
    T_EQ_STR(b.s, ".//h1[contains(concat(' ',normalize-space(@class),' '),' "
                  "detail-title ')][@data-role='title']");
    sbuf_reset(&b);
    T_EQ_INT(dom_css_to_xpath("div > a.name, meta[property=\"og:title\"] @content", &b, &e),
             TT_OK);
    T_EQ_STR(b.s, ".//div/a[contains(concat(' ',normalize-space(@class),' '),' name ')] | "
                  ".//meta[@property='og:title']/@content");
    sbuf_reset(&b);
    T_EQ_INT(dom_css_to_xpath("#main [type^=Related]", &b, &e), TT_OK);
    T_EQ_STR(b.s, ".//*[@id='main']//*[starts-with(@type,'Related')]");
    sbuf_reset(&b);
    T_EQ_INT(dom_css_to_xpath("a:hover", &b, &e), TT_EINVAL);
    /* an attribute selector cut short: the message quotes what is left,
     * nothing (it read past the end: found by fuzz_conf) */
    char cut[] = {'d', 'i', 'v', '[', 't', '\0', 'X', 'Y', 'Z', '\0'};
    T_EQ_INT(dom_css_to_xpath(cut, &b, &e), TT_EINVAL);
    T_EQ_STR(e.msg, "unsupported CSS selector near \"\"");
    T_EQ_INT(dom_css_to_xpath("", &b, &e), TT_EINVAL);
    T_EQ_INT(dom_css_to_xpath("a[x=\"it's \\\"q\\\"\"]", &b, &e), TT_EINVAL);
    sbuf_free(&b);
}

/* Page dates: each text, the default offset (minutes), and the ISO form
 * read (NULL: no date). */
/* cs_detect gives want for each of the n pages v (no header). */
static void detect_each(const char *const *v, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++) {
        char l[CS_MAX_LABEL] = "?";
        cs_detect(NULL, v[i], strlen(v[i]), l);
        if (strcmp(l, want))
            fprintf(stderr, "  page %zu: %s\n", i, v[i]);
        T_EQ_STR(l, want);
    }
}

static void test_charset(void)
{
    char l[CS_MAX_LABEL];
    sbuf b = {0};
    tt_err e;
    cs_detect("text/html; charset=Windows-1252", "", 0, l);
    T_EQ_STR(l, "windows-1252");
    cs_detect("text/html", "<html><head><meta charset=\"ISO-8859-1\">", 38, l);
    T_EQ_STR(l, "iso-8859-1");
    cs_detect(NULL, "<meta http-equiv=\"Content-Type\" content=\"text/html; "
                    "charset=windows-1258\">", 74, l);
    T_EQ_STR(l, "windows-1258");
    cs_detect(NULL, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss/>", 44, l);
    T_EQ_STR(l, "utf-8");
    cs_detect(NULL, "<p>x</p>", 8, l);
    T_EQ_STR(l, "utf-8");
    cs_detect("text/html; charset=latin1", "\xEF\xBB\xBFx", 4, l);
    T_EQ_STR(l, "utf-8"); /* a BOM wins */
    {
        /* white space around '=' (HTML allows it), a "charset" word
         * before the attribute */
        static const char *const spaced[] = {
            "<head><meta charset = \"windows-1258\">",
            "<head><meta charset\t=windows-1258>",
            "<meta name=\"x-charset\" content=\"a\"><meta charset= 'windows-1258'>",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; "
            "charset = windows-1258\">",
            "<?xml version=\"1.0\" encoding = \"windows-1258\"?><rss/>",
        };
        detect_each(spaced, sizeof spaced / sizeof spaced[0], "windows-1258");
        T_EQ_INT(cs_from_content_type("text/html; charset = windows-1258", l), 0);
        T_EQ_STR(l, "windows-1258");
        cs_detect(NULL, "<meta charset>windows-1258", 26, l);
        T_EQ_STR(l, "utf-8");
    }
    {
        /* a 16- or 32-bit charset named in markup that was read as ASCII
         * is wrong: UTF-8 (HTML's prescan); a header or a BOM is not */
        static const char *const wide[] = {
            "<meta charset=\"utf-16\">", "<meta charset=UTF-16LE>",
            "<meta charset=utf-16be>", "<meta charset=ucs-2>",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; "
            "charset=unicode\">",
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss/>",
            "<meta charset=\"utf-32\">",
        };
        detect_each(wide, sizeof wide / sizeof wide[0], "utf-8");
        T_EQ_INT(cs_from_markup("<meta charset=utf-16>", 21, l), 0);
        T_EQ_STR(l, "utf-8");
        cs_detect("text/html; charset=utf-16", "<\0p\0>\0", 6, l);
        T_EQ_STR(l, "utf-16");
        cs_detect(NULL, "\xFF\xFE<\0m\0", 6, l);
        T_EQ_STR(l, "utf-16le");
    }
    T_EQ_INT(cs_to_utf8("iso-8859-1", "caf\xE9 \x93q\x94", 8, &b, &e), TT_OK);
    T_EQ_STR(b.s, "café “q”");
    sbuf_reset(&b);
    /* windows-1258 writes "Việt" as ê (0xEA) and a combining dot below
     * (0xF2); glibc composes them */
    T_EQ_INT(cs_to_utf8("windows-1258", "Vi\xEA\xF2t", 5, &b, &e), TT_OK);
    T_EQ_STR(b.s, "Vi\xE1\xBB\x87t");
    sbuf_reset(&b);
    T_EQ_INT(cs_to_utf8("utf-8", "a\xFF""b", 3, &b, &e), TT_OK);
    T_EQ_STR(b.s, "a\xEF\xBF\xBD""b");
    sbuf_reset(&b);
    T_EQ_INT(cs_to_utf8("x-no-such-charset", "a", 1, &b, &e), TT_EINVAL);
    sbuf_free(&b);
}

/* A node matched twice (by two selectors, or from two nested scopes) is
 * kept once by dom_set_outermost: it is then unlinked, and freed, once. */
static void test_set_duplicates(void)
{
    static const char page[] =
        "<html><body><div class=\"a\"><div class=\"b\"><p>x</p></div>"
        "</div><div class=\"b\"><p>y</p></div></body></html>";
    dom_doc *d = NULL;
    dom_path *p = NULL, *q = NULL;
    dom_set set = {0};
    tt_err e;
    T_EQ_INT(dom_parse_html(page, strlen(page), "http://x/", &d, &e), TT_OK);
    T_EQ_INT(dom_path_compile("//div[@class='b']", &p, &e), TT_OK);
    T_EQ_INT(dom_path_compile("//div", &q, &e), TT_OK);
    dom_eval(d, NULL, p, &set); /* the two b */
    dom_eval(d, NULL, p, &set); /* the same two again */
    dom_eval(d, NULL, q, &set); /* a and both b */
    T_EQ_INT(set.n, 7);
    dom_set_outermost(&set);
    /* the second b, then a (holding the first b), once each */
    T_EQ_INT(set.n, 2);
    if (set.n == 2) {
        sbuf t0 = {0}, t1 = {0};
        dom_text(set.v[0], &t0);
        dom_text(set.v[1], &t1);
        T_CHECK(strchr(t0.s, 'y') && !strchr(t0.s, 'x'));
        T_CHECK(strchr(t1.s, 'x') && !strchr(t1.s, 'y'));
        sbuf_free(&t0);
        sbuf_free(&t1);
    }
    for (size_t k = 0; k < set.n; k++)
        dom_unlink(set.v[k]);
    dom_set_free(&set);
    dom_path_free(p);
    dom_path_free(q);
    dom_free(d);

    /* the same through extraction: the content rule matches two nested
     * blocks, and the script inside both is dropped once */
    static const char nested[] =
        "<html><head><title>T</title></head><body>"
        "<h1 class=\"detail-title\" data-role=\"title\">Tiêu đề</h1>"
        "<div class=\"detail-content\"><div class=\"detail-content\">"
        "<p>Đoạn một.</p><script>var x;</script><p>Đoạn hai.</p>"
        "</div></div></body></html>";
    profile *pr = load("tuoitre");
    article a;
    T_CHECK(pr != NULL);
    T_EQ_INT(dom_parse_html(nested, strlen(nested), "https://tuoitre.vn/x.htm",
                            &d, &e),
             TT_OK);
    T_EQ_INT(extract_article(profile_rules(pr), d, &a, &e), TT_OK);
    T_EQ_INT(a.body.n, 2);
    article_free(&a);
    dom_free(d);
    profile_free(pr);
}

/* The reference dom_set_outermost is checked against: every pair (the
 * quadratic way it once did it). */
static void outermost_by_pairs(dom_set *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        int inner = 0;
        for (size_t j = 0; j < s->n && !inner; j++)
            inner = j != i && (s->v[j] == s->v[i]
                                   ? j < i
                                   : dom_is_ancestor(s->v[j], s->v[i]));
        if (!inner)
            s->v[k++] = s->v[i];
    }
    s->n = k;
}

/* Append the nodes of XPath expr (from the document) to s. */
static void eval_into(dom_doc *d, const char *expr, dom_set *s)
{
    dom_path *p = NULL;
    tt_err e;
    T_EQ_INT(dom_path_compile(expr, &p, &e), TT_OK);
    dom_eval(d, NULL, p, s);
    dom_path_free(p);
}

/* dom_set_outermost on many matches: the outermost ones, as the pairwise
 * way finds them, for about one step up per node of the document (it
 * followed parent links for every pair: a page of 200,000 paragraphs took
 * minutes). */
static void test_outermost_many(void)
{
    enum { N = 2000 }; /* sections; every other one inside a <div> */
    sbuf page = {0}, t = {0};
    dom_doc *d = NULL;
    dom_set set = {0}, ref = {0};
    size_t work, kept_p = 0, kept_div = 0, odd = 0;
    tt_err e;
    sbuf_adds(&page, "<html><body><div class=\"c\">");
    for (int k = 0; k < N; k++)
        sbuf_addf(&page, "%s<section><p>%d a</p><p>%d b</p></section>%s",
                  k % 2 ? "" : "<div>", k, k, k % 2 ? "" : "</div>");
    sbuf_adds(&page, "</div></body></html>");
    T_EQ_INT(dom_parse_html(page.s, page.len, NULL, &d, &e), TT_OK);
    eval_into(d, "//p", &set);
    eval_into(d, "//div[not(@class)]", &set);
    eval_into(d, "//p", &set); /* each paragraph twice */
    T_EQ_INT(set.n, 2 * N + N / 2 + 2 * N);
    work = dom_set_outermost(&set);
    /* the paragraphs of the odd sections in document order, then the
     * divs; each node of the document is stepped to about once */
    T_EQ_INT(set.n, N + N / 2);
    T_CHECK(work <= 2 * (2 * N + N / 2 + 2 * N));
    for (size_t i = 0; i < set.n; i++) {
        if (!strcmp(dom_name(set.v[i]), "p")) {
            sbuf_reset(&t);
            dom_text(set.v[i], &t);
            /* 1 a, 1 b, 3 a, 3 b..., before any div */
            odd += kept_div == 0 && atoi(t.s) == (int)(kept_p / 2 * 2 + 1);
            kept_p++;
        } else if (!strcmp(dom_name(set.v[i]), "div")) {
            kept_div++;
        }
    }
    T_EQ_INT(kept_p, N);
    T_EQ_INT(odd, N);
    T_EQ_INT(kept_div, N / 2);
    dom_set_free(&set);
    dom_free(d);
    sbuf_free(&page);

    /* an irregular page, attributes and text nodes in the set too: as the
     * pairwise reference has it */
    static const char irregular[] =
        "<html><body><div id=\"a\"><p>x<b>y</b></p><div id=\"b\"><p>z</p>"
        "<div id=\"c\"><ul><li>1</li><li>2<p>w</p></li></ul></div></div>"
        "</div><p id=\"d\">v</p><div><div><div><p>u</p></div></div></div>"
        "</body></html>";
    static const char *const exprs[] = {
        "//li", "//p/text()", "//div/@id", "//b", "//div[@id='c']",
        "//p[@id]", "//li", "//div[not(@id)]/div", "//p", "//ul", NULL};
    T_EQ_INT(dom_parse_html(irregular, strlen(irregular), NULL, &d, &e),
             TT_OK);
    for (const char *const *x = exprs; *x; x++) {
        /* each prefix of the list of expressions */
        set.n = ref.n = 0;
        for (const char *const *y = exprs; y <= x; y++) {
            eval_into(d, *y, &set);
            eval_into(d, *y, &ref);
        }
        dom_set_outermost(&set);
        outermost_by_pairs(&ref);
        T_EQ_INT(set.n, ref.n);
        for (size_t i = 0; i < set.n && i < ref.n; i++)
            T_CHECK(set.v[i] == ref.v[i]);
    }
    dom_set_free(&set);
    dom_set_free(&ref);
    dom_free(d);
    sbuf_free(&t);
}

/* dom_blocks' emit: "text [plain] {links}" a block, NUL shown as '^',
 * blocks apart by " / ", into the sbuf arg */
static void show_block(void *arg, const char *s, size_t n, const char *plain,
                       size_t pn, const char *links, size_t ln)
{
    sbuf *out = arg;
    if (out->len)
        sbuf_adds(out, " / ");
    sbuf_add(out, s, n);
    sbuf_adds(out, " [");
    sbuf_add(out, plain, pn);
    sbuf_adds(out, "] {");
    for (size_t i = 0; i < ln; i++)
        sbuf_addc(out, links[i] ? links[i] : '^');
    sbuf_addc(out, '}');
}

/* dom_blocks gives each block's text, its text outside links and the
 * text of each link apart: several links in a block (a br, a separator
 * or nothing between them), inline markup and a br inside a link, a
 * whole element that is a link, table cells, a block inside a link
 * (outside it) */
static void test_blocks_links(void)
{
    static const char html[] =
        "<html><body><div id=\"c\">"
        "<p>Theo <a href=\"/a\">A <b>một</b></a>, hai <a href=\"/b\">B</a>.</p>"
        "<div><a href=\"/c\">C?</a><br><a href=\"/d\">D</a><a href=\"/e\">E</a>"
        "</div>"
        "<p><a href=\"/f\">F<br>G.</a></p>"
        "<h3 class=\"w\"><a href=\"/g\">H</a></h3>"
        "<table><tr><td><a href=\"/h\">I</a> i</td><td><a href=\"/i\">J</a>"
        "</td></tr></table>"
        "<p><a name=\"x\">K</a> <a href=\"/j\">L<div>M</div>N</a></p>"
        "</div></body></html>";
    dom_doc *d = NULL;
    dom_set c = {0}, w = {0};
    sbuf t = {0};
    tt_err e;
    T_EQ_INT(dom_parse_html(html, sizeof html - 1, NULL, &d, &e), TT_OK);
    eval_into(d, "//div[@id='c']", &c);
    eval_into(d, "//h3[@class='w']", &w);
    T_EQ_INT(c.n, 1);
    dom_blocks(c.v[0], &w, show_block, &t);
    T_EQ_STR(t.s, "Theo A một, hai B. [Theo , hai .] {A một^B} / "
                  "C? DE [ ] {C?^D^E} / F G. [] {F G.} / H [] {H} / "
                  "I i | J [ i | ] {I^J} / K L [K ] {L} / M [M] {} / "
                  "N [] {N}");
    dom_set_free(&c);
    dom_set_free(&w);
    dom_free(d);
    sbuf_free(&t);
}

/* pageread_block: a stored response's body and headers (the last of a
 * name, as libcurl reports it), any case; none fit to send back when the
 * value holds a control character; no response without a status line
 * or a blank line. */
static void test_response_block(void)
{
    static const char ok[] = "HTTP/1.1 200 OK\r\n"
                             "ETag: \"v1\"\r\n"
                             "content-type: text/plain\r\n"
                             "Content-Type:  text/html; charset=utf-8 \r\n"
                             "Last-Modified: a\x01b\r\n"
                             "\r\n"
                             "<p>thân bài</p>";
    sbuf v = {0};
    const char *body = NULL;
    size_t n = 0;
    T_EQ_INT(pageread_block(ok, strlen(ok), "Content-Type", &v, &body, &n),
             0);
    T_EQ_STR(v.s, "text/html; charset=utf-8");
    T_CHECK(n == strlen("<p>thân bài</p>") && !memcmp(body, "<p>", 3));
    T_EQ_INT(pageread_block(ok, strlen(ok), "etag", &v, NULL, NULL), 0);
    T_EQ_STR(v.s, "\"v1\"");
    T_EQ_INT(pageread_block(ok, strlen(ok), "Last-Modified", &v, NULL, NULL),
             0);
    T_EQ_INT((int)v.len, 0);
    T_EQ_INT(pageread_block(ok, strlen(ok), "X-None", &v, NULL, NULL), 0);
    T_EQ_INT((int)v.len, 0);
    /* the status line is no header */
    T_EQ_INT(pageread_block(ok, strlen(ok), "HTTP/1.1 200 OK", &v, NULL,
                            NULL), 0);
    T_EQ_INT((int)v.len, 0);
    T_EQ_INT(pageread_block("HTTP/1.1 200 OK\r\nA: b\r\n", 24, "A", &v,
                            &body, &n), -1);
    T_EQ_INT(pageread_block("<html>", 6, NULL, NULL, &body, &n), -1);
    sbuf_free(&v);
}

int main(void)
{
    T_RUN(test_tuoitre);
    T_RUN(test_fallbacks);
    T_RUN(test_jsonld_graph);
    T_RUN(test_not_articles);
    T_RUN(test_links);
    T_RUN(test_vnexpress);
    T_RUN(test_profile_scope);
    T_RUN(test_profile_errors);
    T_RUN(test_profile_idn);
    T_RUN(test_profile_fingerprint);
    T_RUN(test_css);
    T_RUN(test_charset);
    T_RUN(test_set_duplicates);
    T_RUN(test_outermost_many);
    T_RUN(test_blocks_links);
    T_RUN(test_response_block);
    return t_summary();
}
