/* test_body.c — what reaches an article's body and captions
 * (crawler/extract.h with the shipped tuoitre profile): character
 * references, lists, tables, quotes, loose text, boilerplate inside the
 * body, photo and video articles.  The pages are small and made up. */
#include <stdlib.h>
#include <string.h>

#include "dom.h"
#include "extract.h"
#include "profile.h"
#include "t.h"
#include "vn.h"

static profile *tuoitre(void)
{
    static profile *p;
    const char *top = getenv("TT_TOP");
    sbuf dirs = {0};
    tt_err e;
    if (p)
        return p;
    sbuf_addf(&dirs, "%s/crawler/profiles", top ? top : ".");
    if (profile_load("tuoitre", dirs.s, &p, &e) != TT_OK)
        fprintf(stderr, "  %s\n", e.msg);
    sbuf_free(&dirs);
    return p;
}

/* An article page of the tuoitre kind: head (may be ""), title, and the
 * inside of the body container. */
static int page(const char *head, const char *title, const char *content,
                article *a, tt_err *e)
{
    sbuf h = {0};
    dom_doc *d;
    int rc;
    memset(a, 0, sizeof *a);
    sbuf_addf(&h, "<html><head><meta charset=\"utf-8\">%s</head><body>"
                  "<h1 class=\"detail-title\" data-role=\"title\">%s</h1>"
                  "<div class=\"detail-cmain\"><div class=\"detail-content\" "
                  "data-role=\"content\">%s</div></div></body></html>",
              head, title, content);
    rc = dom_parse_html(h.s, h.len, NULL, &d, e);
    sbuf_free(&h);
    if (rc != TT_OK)
        return rc;
    if (!tuoitre()) {
        dom_free(d);
        return tt_seterr(e, TT_EINVAL, "no tuoitre profile");
    }
    rc = extract_article(profile_rules(tuoitre()), d, a, e);
    dom_free(d);
    return rc;
}

/* The body paragraphs joined with " / ", or "" (static). */
static const char *paras(const strlist *l)
{
    static sbuf b;
    sbuf_reset(&b);
    sbuf_adds(&b, "");
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            sbuf_adds(&b, " / ");
        sbuf_adds(&b, l->v[i]);
    }
    return b.s;
}

/* &#128;-&#159; are windows-1252 characters (HTML5), in text,
 * attributes and JSON-LD strings; a control that is dropped leaves a
 * space between the words around it */
static void test_c1_references(void)
{
    article a;
    tt_err e;
    sbuf t = {0};
    T_EQ_INT(page("<meta property=\"og:image\" content=\"x&#150;y\">",
                  "Giá &#128;5 &#147;tăng&#148;",
                  "<p>Tuyến Hà Nội&#150;Hải Phòng 2020&#x96;2025</p>"
                  "<p>a&#151;b &#0133; c&#X92;d &#150 e</p>"
                  "<p>không có&#129;ký tự &#157;</p>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(a.title, "Giá €5 “tăng”");
    T_EQ_STR(a.image, "x–y");
    T_EQ_STR(paras(&a.body), "Tuyến Hà Nội–Hải Phòng 2020–2025 / a—b … c’d "
                             "– e / không có ký tự");
    article_free(&a);
    dom_decode_entities("2020&#150;2025 &#8211; &#x9c;", 29, &t);
    T_EQ_STR(t.s, "2020–2025 – œ");
    sbuf_free(&t);
    /* a raw C1 control in the page (not a reference) is no character:
     * it goes, leaving the words apart */
    T_EQ_INT(page("", "T", "<p>Hà Nội\xC2\x96Hải Phòng</p>", &a, &e), TT_OK);
    T_EQ_STR(paras(&a.body), "Hà Nội Hải Phòng");
    article_free(&a);
}

/* every text block of the body container is a paragraph, in page order,
 * once: lists, table rows (cells apart), quotes with or without <p>,
 * h4-h6, pre, divs used as paragraphs, text right in the container */
static void test_blocks(void)
{
    article a;
    tt_err e;
    T_EQ_INT(page("", "T",
                  "<p>Mở đầu.</p>"
                  "<ul><li>Mục một</li><li>Mục <b>hai</b></li></ul>"
                  "<ol><li><p>Mục có đoạn</p></li></ol>"
                  "<table><thead><tr><th>Đội</th><th>Điểm</th></tr></thead>"
                  "<tbody><tr><td>Hà Nội</td><td>3</td></tr>"
                  "<tr><td><p>Viettel</p></td><td></td><td>1</td></tr>"
                  "</tbody></table>"
                  "<blockquote>Lời trích dẫn</blockquote>"
                  "<blockquote><p>Trích một</p><p>Trích hai</p></blockquote>"
                  "<h4>Tiểu mục</h4><h5>Nhỏ hơn</h5><h6>Nhỏ nhất</h6>"
                  "<pre>dòng   một</pre>"
                  "<div class=\"text\">Đoạn trong div.</div>"
                  "Chữ ngay trong khung <i>nghiêng</i><br>vẫn một đoạn"
                  "<div><div>Div lồng</div> và phần sau</div>"
                  "<p>Kết.</p>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(paras(&a.body),
             "Mở đầu. / Mục một / Mục hai / Mục có đoạn / Đội | Điểm / "
             "Hà Nội | 3 / Viettel | 1 / Lời trích dẫn / Trích một / "
             "Trích hai / Tiểu mục / Nhỏ hơn / Nhỏ nhất / dòng một / "
             "Đoạn trong div. / Chữ ngay trong khung nghiêng vẫn một đoạn / "
             "Div lồng / và phần sau / Kết.");
    article_free(&a);
    /* paragraphs that became divs: the article still has its text */
    T_EQ_INT(page("", "T",
                  "<div class=\"text\">Đoạn chính một.</div>"
                  "<div class=\"text\">Đoạn chính hai.</div>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(paras(&a.body), "Đoạn chính một. / Đoạn chính hai.");
    article_free(&a);
    /* only white space outside the paragraphs: nothing more */
    T_EQ_INT(page("", "T", "\n <p>Một.</p>\n\t<p>Hai.</p>\n", &a, &e), TT_OK);
    T_EQ_STR(paras(&a.body), "Một. / Hai.");
    article_free(&a);
}

/* what is not article text inside the body container: "Xem thêm:" and
 * its kin followed by links only, elements that hold no text to read,
 * Tuổi Trẻ's boxes (related news, polls, ads, sharing, author,
 * comments, the video player) */
static void test_boilerplate(void)
{
    article a;
    tt_err e;
    T_EQ_INT(page("", "T",
                  "<p>Đầu bài.</p>"
                  "<p><strong>Xem thêm:</strong> <a href=\"/a.htm\">Bài A</a></p>"
                  "<p>Đọc thêm: <a href=\"/b.htm\">B</a>, <a href=\"/c.htm\">C</a></p>"
                  "<p>XEM TIEP &raquo; <a href=\"/d.htm\">D</a></p>"
                  "<p>doc them: <a href=\"/d.htm\">D</a></p>"
                  "<p><a href=\"/e.htm\">Tin liên quan: Bão số 9</a></p>"
                  "<div><a href=\"/f.htm\">Xem thêm các bài về bão</a></div>"
                  /* text of its own after the phrase: article text */
                  "<p>Xem thêm: người dân đã được sơ tán, theo <a href=\"/g.htm\">"
                  "báo cáo</a>.</p>"
                  "<p>Xem thêm thông tin trên trang của bộ.</p>"
                  "<p><a href=\"/h.htm\">Cầu Rạch Sao</a> sắp thông xe.</p>"
                  "<noscript><p>Bật JavaScript</p></noscript>"
                  "<iframe src=\"/f\"><p>khung nhúng</p></iframe>"
                  "<template><p>mẫu</p></template>"
                  "<object><p>đối tượng</p></object><embed src=\"/x.swf\">"
                  "<form><p>Bình chọn</p><button>Gửi</button></form>"
                  "<svg><text>hình vẽ</text></svg>"
                  "<div class=\"box-related-news\"><p>Tin khác</p></div>"
                  "<div class=\"poll\"><p>Có</p><p>Không</p></div>"
                  "<div class=\"ads\"><p>Quảng cáo</p></div>"
                  "<div class=\"share\"><p>Chia sẻ Facebook Zalo</p></div>"
                  "<div class=\"author-box-new\"><p>Tác giả X</p></div>"
                  "<div class=\"comment-count\"><p>12 bình luận</p></div>"
                  "<div class=\"video-player\"><p>00:00 / 03:21</p></div>"
                  "<p>Cuối bài.</p>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(paras(&a.body),
             "Đầu bài. / Xem thêm: người dân đã được sơ tán, theo báo cáo. / "
             "Xem thêm thông tin trên trang của bộ. / Cầu Rạch Sao sắp "
             "thông xe. / Cuối bài.");
    article_free(&a);
}

/* a block that is only links to other articles — a headline alone, a
 * list of them, one in bold, a "related" line with arrows, a short label
 * such as "Video:" before a headline — is not article text; prose with a
 * link in it, a source line ("Theo Reuters"), a quote, a caption, a
 * heading that is an anchor (an a without href) are */
static void test_link_only(void)
{
    article a;
    tt_err e;
    T_EQ_INT(page("", "T",
                  "<p>Mưa lớn kéo dài từ chiều qua.</p>"
                  "<p><a href=\"/nong-dan-xuong-giong-som-20260105080000123.htm\">"
                  "Nông dân miền Tây xuống giống sớm tránh hạn mặn</a></p>"
                  "<ul><li><a href=\"/cho-noi-mo-cua-lai-20260104070000456.htm\">"
                  "Chợ nổi mở cửa lại sau bão</a></li>"
                  "<li><a href=\"https://example.vn/ben-pha-cu-123.html\">Bến phà "
                  "cũ thành điểm du lịch</a></li></ul>"
                  "<p><strong><a href=\"/duong-ven-bien-20260101000000001.htm\">"
                  "Đường ven biển sắp thông xe</a></strong></p>"
                  "<p><a href=\"/gia-lua-20260101000000002.htm\"><em>Giá lúa tăng "
                  "mạnh sau đợt mưa</em></a></p>"
                  "<p>Nước rút chậm ở các xã ven sông.</p>"
                  "<p>&gt;&gt; <a href=\"/nuoi-tom.htm\">Người trẻ về quê nuôi "
                  "tôm</a></p>"
                  "<p>» <a href=\"/cau-tam.htm\">Cầu tạm bị cuốn trôi</a> | "
                  "<a href=\"/truong-ngap.htm\">Trường học ngập nửa mét</a></p>"
                  "<div><a href=\"/xe-buyt.htm\">Tuyến xe buýt mới nối hai "
                  "tỉnh</a><br><a href=\"/bay-dem.htm\">Sân bay mở thêm chuyến "
                  "đêm</a></div>"
                  "<h3><a href=\"/the-thao.htm\">Thể thao</a></h3>"
                  "<p>Video: <a href=\"/don-dep.htm\">Người dân đội mưa dọn dẹp "
                  "phố phường sau lũ</a></p>"
                  "<p>Kỳ 2: <a href=\"/lang-ven-song.htm\">Những ngôi làng bên bờ "
                  "sông</a></p>"
                  "<p>1. <a href=\"/may-chay-than.htm\">Bệnh viện huyện nhận thêm "
                  "máy chạy thận</a></p>"
                  "<p>Cuối bài.</p>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(paras(&a.body), "Mưa lớn kéo dài từ chiều qua. / Nước rút chậm "
                             "ở các xã ven sông. / Cuối bài.");
    article_free(&a);
    T_EQ_INT(page("", "T",
                  "<p>Theo <a href=\"https://example.org/tin\">Reuters</a>, giá "
                  "dầu giảm ba phiên liền.</p>"
                  "<p>Ông <a href=\"/tran-van-binh.html\">Trần Văn Bình</a>, giám "
                  "đốc sở, cho biết cầu sẽ thông xe vào tháng sau.</p>"
                  "<p>Số liệu nằm trong <a href=\"/a.pdf\">báo cáo</a> và "
                  "<a href=\"/b.pdf\">phụ lục</a> gửi tỉnh.</p>"
                  "<p><a href=\"/lu.html\">Lũ</a> về sớm.</p>"
                  "<p><a href=\"/uy-ban.html\">Ủy ban nhân dân tỉnh</a> thông "
                  "báo</p>"
                  "<p>Theo <a href=\"https://example.org/\">Reuters</a></p>"
                  "<p>(Theo <a href=\"https://example.org/kttv\">Trung tâm Dự báo "
                  "khí tượng thủy văn quốc gia</a>)</p>"
                  "<p>Nguồn: <a href=\"https://example.org/tk\">Tổng cục Thống "
                  "kê</a></p>"
                  "<p>Ảnh: <a href=\"/tac-gia/hoai-thu.htm\">HOÀI THU</a></p>"
                  "<blockquote>“Nước lên nhanh quá”, bà Tư kể với <a "
                  "href=\"/x.htm\">phóng viên</a>.</blockquote>"
                  "<h3><a name=\"phan-hai\">Phần hai: Những người ở lại</a></h3>"
                  "<p><a id=\"neo\">Đoạn là một mỏ neo</a></p>"
                  "<figure type=\"Photo\"><img src=\"/1.jpg\"><figcaption>Xe qua "
                  "<a href=\"/cau-moi.html\">cầu mới</a> - Ảnh: HẢI</figcaption>"
                  "</figure>"
                  "<figure type=\"Photo\"><img src=\"/2.jpg\"><figcaption><a "
                  "href=\"/2.jpg\">Cánh đồng sau mùa gặt</a></figcaption></figure>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(paras(&a.body),
             "Theo Reuters, giá dầu giảm ba phiên liền. / Ông Trần Văn Bình, "
             "giám đốc sở, cho biết cầu sẽ thông xe vào tháng sau. / Số liệu "
             "nằm trong báo cáo và phụ lục gửi tỉnh. / Lũ về sớm. / Ủy ban "
             "nhân dân tỉnh thông báo / Theo Reuters / (Theo Trung tâm Dự báo "
             "khí tượng thủy văn quốc gia) / Nguồn: Tổng cục Thống kê / Ảnh: "
             "HOÀI THU / “Nước lên nhanh quá”, bà Tư kể với phóng viên. / "
             "Phần hai: Những người ở lại / Đoạn là một mỏ neo");
    T_EQ_STR(paras(&a.captions), "Xe qua cầu mới - Ảnh: HẢI / Cánh đồng sau "
                                 "mùa gặt");
    article_free(&a);
    /* a link left open (libxml2 puts what follows into it, the blocks
     * too): the paragraphs after it are still the article's */
    T_EQ_INT(page("", "T",
                  "<div>Mở đầu <a href=\"/a.htm\">một liên kết chưa đóng"
                  "<div>Đoạn sau vẫn là lời bài.</div>"
                  "<p>Đoạn cuối cũng vậy.</p></div>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(paras(&a.body), "Mở đầu một liên kết chưa đóng / Đoạn sau vẫn "
                             "là lời bài. / Đoạn cuối cũng vậy.");
    article_free(&a);
}

/* a paragraph of prose that a site wraps whole in one link is article
 * text: several sentences, or one sentence longer than any headline;
 * a headline stays out however it ends ("?", "!"; "TP. HCM" inside), and
 * so does a list of them in one block however many, each link judged
 * alone; a related item whose headline and short teaser share a link is
 * short of a headline's limit and stays out too */
static void test_link_prose(void)
{
    article a;
    tt_err e;
    T_EQ_INT(page("", "T",
                  "<p>Đầu bài.</p>"
                  "<p><a href=\"/khoi-cong.htm\">Ông Nguyễn Văn An, giám đốc ban "
                  "quản lý dự án, cho biết cầu sẽ khởi công vào tháng 10. Theo kế "
                  "hoạch, công trình hoàn thành sau hai năm.</a></p>"
                  "<p><strong><a href=\"/de.htm\">Nước đã rút. Người dân trở về "
                  "nhà dọn dẹp.</a></strong></p>"
                  "<p><a href=\"/hoi.htm\">Bà Tư hỏi: “Nước còn lên nữa "
                  "không?” Cán bộ xã trấn an rằng đê vẫn vững.</a></p>"
                  "<p><a href=\"/ve.htm\">Đoàn cứu trợ đã về Hà Nội. Sau đó "
                  "đoàn đi tiếp.</a></p>"
                  "<p><a href=\"/gia-co-de.htm\">Sáng nay, hàng trăm người dân ở "
                  "các xã ven sông của huyện đã cùng bộ đội, công an và đoàn viên "
                  "thanh niên gia cố đoạn đê bị sạt lở dài gần hai cây số trước "
                  "khi đợt triều cường mới kéo về vào cuối tuần này</a></p>"
                  /* headlines */
                  "<p><a href=\"/ca-chet.htm\">Vì sao cá chết hàng loạt trên "
                  "sông Đồng Nai?</a></p>"
                  "<p><b><a href=\"/tin-nhan.htm\">Cẩn thận với tin nhắn giả mạo "
                  "ngân hàng!</a></b></p>"
                  "<p><a href=\"/thue-nha.htm\">Giá thuê nhà ở TP. HCM tăng mạnh "
                  "sau Tết</a></p>"
                  "<p><a href=\"/le-hoi.htm\">Người dân Tp. Huế đón lễ hội "
                  "sớm</a></p>"
                  "<p><a href=\"/ngu.htm\">Theo ThS. Lê Văn Bình, học sinh cần "
                  "ngủ đủ giấc</a></p>"
                  "<p>» <a href=\"/rau.htm\">Vì sao giá rau tăng gấp đôi sau "
                  "bão?</a> | <a href=\"/cho.htm\">Chợ đầu mối mở cửa xuyên "
                  "đêm</a></p>"
                  "<div><a href=\"/h1.htm\">Vì sao mùa mưa năm nay đến sớm hơn "
                  "mọi năm ở Nam Bộ?</a><br><a href=\"/h2.htm\">Người dân vùng "
                  "lũ nhận thêm gạo cứu trợ từ các tỉnh bạn</a><br>"
                  "<a href=\"/h3.htm\">Đừng chủ quan với sốt xuất huyết trong "
                  "mùa mưa năm nay!</a><br><a href=\"/h4.htm\">Trường học vùng "
                  "cao sửa lại phòng học sau trận lũ quét</a></div>"
                  "<ul><li><a href=\"/cau-moi.htm\"><strong>Cầu mới nối hai tỉnh "
                  "sắp thông xe</strong> Cây cầu dài hai cây số giúp người dân đi "
                  "lại giữa hai bờ sông nhanh hơn gần một giờ</a></li></ul>"
                  "<p>Cuối bài.</p>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(paras(&a.body),
             "Đầu bài. / Ông Nguyễn Văn An, giám đốc ban quản lý dự án, cho "
             "biết cầu sẽ khởi công vào tháng 10. Theo kế hoạch, công trình "
             "hoàn thành sau hai năm. / Nước đã rút. Người dân trở về nhà dọn "
             "dẹp. / Bà Tư hỏi: “Nước còn lên nữa không?” Cán bộ xã trấn an "
             "rằng đê vẫn vững. / Đoàn cứu trợ đã về Hà Nội. Sau đó đoàn đi "
             "tiếp. / Sáng nay, hàng trăm người dân ở các xã ven "
             "sông của huyện đã cùng bộ đội, công an và đoàn viên thanh niên "
             "gia cố đoạn đê bị sạt lở dài gần hai cây số trước khi đợt triều "
             "cường mới kéo về vào cuối tuần này / Cuối bài.");
    article_free(&a);
}

/* a photo or video article: a title and captions (a video's description)
 * but no paragraphs is an article, its captions its body */
static void test_captions_only(void)
{
    article a;
    tt_err e;
    T_EQ_INT(page("", "Phóng sự ảnh",
                  "<figure type=\"Photo\"><img src=\"/1.jpg\"><figcaption>"
                  "Ảnh một - Ảnh: AN</figcaption></figure>"
                  "<figure type=\"Photo\"><img src=\"/2.jpg\"><figcaption>"
                  "<p>Ảnh hai</p></figcaption></figure>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(paras(&a.body), "Ảnh một - Ảnh: AN / Ảnh hai");
    T_EQ_INT(a.captions.n, 0); /* moved, not read twice */
    article_free(&a);
    {
        /* a video and its description, as the CMS or a redesign writes it */
        static const char *const video[][2] = {
            {"<div type=\"VideoStream\"><video src=\"/v.mp4\"></video>"
             "<div class=\"VideoCMS_Caption\"><p>Mô tả video</p></div></div>",
             "Mô tả video"},
            {"<div type=\"VideoStream\"><video></video>"
             "<p class=\"video-desc\">Lời giới thiệu</p></div>",
             "Lời giới thiệu"},
        };
        for (size_t i = 0; i < sizeof video / sizeof video[0]; i++) {
            T_EQ_INT(page("", "Video", video[i][0], &a, &e), TT_OK);
            T_EQ_STR(paras(&a.body), video[i][1]);
            article_free(&a);
        }
    }
    /* a video box inside an article is not its text, and its description
     * a caption */
    T_EQ_INT(page("", "Bài",
                  "<p>Đoạn.</p><div type=\"VideoStream\"><div><p>Video: toàn "
                  "cảnh</p><iframe src=\"/v\"></iframe></div>"
                  "<div class=\"VideoCMS_Caption\">Cảnh quay</div></div>",
                  &a, &e),
             TT_OK);
    T_EQ_STR(paras(&a.body), "Đoạn.");
    T_EQ_STR(paras(&a.captions), "Cảnh quay");
    article_free(&a);
    /* no text at all: not an article */
    T_EQ_INT(page("", "T", "<figure><img src=\"/1.jpg\"></figure> ", &a, &e),
             TT_ENOTFOUND);
    T_EQ_STR(e.msg, "no body");
}

int main(void)
{
    T_RUN(test_c1_references);
    T_RUN(test_blocks);
    T_RUN(test_boilerplate);
    T_RUN(test_link_only);
    T_RUN(test_link_prose);
    T_RUN(test_captions_only);
    profile_free(tuoitre());
    return t_summary();
}
