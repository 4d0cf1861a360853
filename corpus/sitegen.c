/* sitegen.c — see sitegen.h.  Pages are built in an sbuf and written in
 * one go; nothing here parses HTML.  The .xml.gz shard is written as a
 * gzip member of stored (uncompressed) deflate blocks: valid gzip that
 * needs no zlib (whose one door is warc.c). */
#include "sitegen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "json.h"
#include "unicode.h"
#include "vn.h"

#define LOCAL_OFF 420 /* +07:00, minutes */

typedef struct meta {
    char *id, *path, *oldpath, *title, *sapo, *caption;
    int section;   /* index into g->secs */
    int64_t pub, mod;
} meta;

typedef struct section {
    char *name, *slug;
    int zone;
    size_t *idx;   /* articles, filled at finish */
    size_t n, cap;
} section;

struct sitegen {
    sitegen_opts o;
    char *dir, *origin;
    meta *m;
    size_t n, cap;
    section *secs;
    size_t nsecs, seccap;
    u64set ids;    /* hashes of the ids */
};

static const char *const made_up_sections[] = {
    "Thời sự", "Thế giới", "Kinh doanh", "Thể thao", "Giáo dục",
    "Sức khỏe", "Pháp luật", "Công nghệ", "Văn hóa", "Xe"};
static const char *const made_up_authors[] = {
    "TUỔI TRẺ ONLINE", "BẢO ANH", "NGỌC AN", "MINH KHANG", "THU HIỀN",
    "HOÀNG TÙNG", "KIM NGÂN", "ĐĂNG KHOA"};

static uint64_t hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h ? h : 1;
}

/* 1 if id was new (and is now in the set). */
static int id_insert(sitegen *g, const char *id)
{
    return u64set_add(&g->ids, hash(id));
}

int sitegen_new(const sitegen_opts *o, sitegen **out, tt_err *e)
{
    sitegen *g;
    int rc;
    *out = NULL;
    if ((rc = tt_mkdirs(o->out_dir, e)))
        return rc;
    g = xcalloc(1, sizeof *g);
    g->o = *o;
    if (!g->o.page_size)
        g->o.page_size = 20;
    if (!g->o.feed_items)
        g->o.feed_items = 50;
    if (!g->o.latest)
        g->o.latest = 100;
    g->dir = xstrdup(o->out_dir);
    g->origin = xstrdup(o->origin ? o->origin : "https://tuoitre.vn");
    {
        size_t k = strlen(g->origin);
        while (k && g->origin[k - 1] == '/')
            g->origin[--k] = '\0';
    }
    *out = g;
    return TT_OK;
}

size_t sitegen_count(const sitegen *g) { return g->n; }

void sitegen_free(sitegen *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++) {
        free(g->m[i].id);
        free(g->m[i].path);
        free(g->m[i].oldpath);
        free(g->m[i].title);
        free(g->m[i].sapo);
        free(g->m[i].caption);
    }
    free(g->m);
    for (size_t i = 0; i < g->nsecs; i++) {
        free(g->secs[i].name);
        free(g->secs[i].slug);
        free(g->secs[i].idx);
    }
    free(g->secs);
    u64set_free(&g->ids);
    free(g->dir);
    free(g->origin);
    free(g);
}

/* ---- text helpers ---- */

/* Accent-free, lower case, '-' between words: "Thời sự" -> "thoi-su". */
static void slugify(const char *s, sbuf *out)
{
    sbuf f = {0}, n = {0};
    int dash = 0;
    uni_nfc(s, strlen(s), 0, &n);
    if (n.len)
        vn_fold(n.s, n.len, &f);
    for (size_t i = 0; i < f.len; i++) {
        char c = f.s[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && out->len)
                sbuf_addc(out, '-');
            dash = 0;
            sbuf_addc(out, c);
        } else if (c >= 'A' && c <= 'Z') {
            if (dash && out->len)
                sbuf_addc(out, '-');
            dash = 0;
            sbuf_addc(out, (char)(c + 32));
        } else {
            dash = 1;
        }
    }
    if (!out->len)
        sbuf_adds(out, "bai-viet");
    sbuf_free(&f);
    sbuf_free(&n);
}

enum { T_PLAIN = 0, T_NFD = 1, T_ENTITIES = 2 };

/* HTML text of s (escaped), decomposed with T_NFD, with some characters as
 * named or numeric references with T_ENTITIES. */
static void html(sbuf *b, const char *s, int how)
{
    size_t n = s ? strlen(s) : 0, i = 0;
    while (i < n) {
        int32_t cp, d[8];
        size_t k = uni_decode(s + i, n - i, &cp), nd;
        i += k;
        switch (cp) {
        case '&': sbuf_adds(b, "&amp;"); continue;
        case '<': sbuf_adds(b, "&lt;"); continue;
        case '>': sbuf_adds(b, "&gt;"); continue;
        case '"': sbuf_adds(b, "&quot;"); continue;
        default: break;
        }
        if (how & T_ENTITIES) {
            if (cp == 0x201C) { sbuf_adds(b, "&ldquo;"); continue; }
            if (cp == 0x201D) { sbuf_adds(b, "&rdquo;"); continue; }
            if (cp == 0x2013) { sbuf_adds(b, "&ndash;"); continue; }
            if (cp == 0x0111) { sbuf_adds(b, "&#273;"); continue; }
            if (cp == 0x00E0) { sbuf_adds(b, "&#xE0;"); continue; }
        }
        if ((how & T_NFD) && (nd = uni_decompose(cp, d, 8)) > 0) {
            for (size_t j = 0; j < nd; j++)
                uni_addcp(b, d[j]);
            continue;
        }
        sbuf_add(b, s + i - k, k);
    }
}

/* XML text (RSS, sitemaps): escaped, as is. */
static void xml(sbuf *b, const char *s) { html(b, s, T_PLAIN); }

static void iso(int64_t ep, char out[32]) { date_format_iso(ep, LOCAL_OFF, out); }

/* "12/06/2023 08:15 GMT+7" */
static void page_time(int64_t ep, char out[32])
{
    char k[15];
    date_format_key(ep + LOCAL_OFF * 60, k);
    snprintf(out, 32, "%.2s/%.2s/%.4s %.2s:%.2s GMT+7", k + 6, k + 4, k, k + 8,
             k + 10);
}

/* "Mon, 12 Jun 2023 08:15:00 +0700" */
static void rfc822(int64_t ep, char out[40])
{
    static const char *const wd[] = {"Thu", "Fri", "Sat", "Sun",
                                     "Mon", "Tue", "Wed"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
                                      "May", "Jun", "Jul", "Aug",
                                      "Sep", "Oct", "Nov", "Dec"};
    char k[15];
    int64_t local = ep + LOCAL_OFF * 60;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int m;
    date_format_key(local, k);
    m = (k[4] - '0') * 10 + (k[5] - '0');
    snprintf(out, 40, "%s, %.2s %s %.4s %.2s:%.2s:%.2s +0700",
             wd[((days % 7) + 7) % 7], k + 6, mon[(m - 1) % 12], k, k + 8,
             k + 10, k + 12);
}

/* ---- files ---- */

static int write_file(sitegen *g, const char *rel, const char *p, size_t n,
                      tt_err *e)
{
    sbuf path = {0};
    FILE *f;
    int rc = TT_OK;
    char *slash;
    sbuf_addf(&path, "%s%s", g->dir, rel);
    slash = strrchr(path.s, '/');
    if (slash && slash > path.s + strlen(g->dir)) {
        *slash = '\0';
        rc = tt_mkdirs(path.s, e);
        *slash = '/';
        if (rc) {
            sbuf_free(&path);
            return rc;
        }
    }
    f = fopen(path.s, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", path.s, strerror(errno));
        if (f && ferror(f))
            fclose(f);
    }
    sbuf_free(&path);
    return rc;
}

static uint32_t crc32(const unsigned char *p, size_t n)
{
    static uint32_t tab[256];
    uint32_t c = 0xFFFFFFFFu;
    if (!tab[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t x = i;
            for (int k = 0; k < 8; k++)
                x = x & 1 ? 0xEDB88320u ^ (x >> 1) : x >> 1;
            tab[i] = x;
        }
    for (size_t i = 0; i < n; i++)
        c = tab[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* (p, n) as one gzip member of stored deflate blocks. */
static void gzip_stored(const char *p, size_t n, sbuf *out)
{
    static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
    uint32_t crc = crc32((const unsigned char *)p, n);
    size_t off = 0;
    sbuf_add(out, (const char *)head, sizeof head);
    do {
        size_t k = n - off > 65535 ? 65535 : n - off;
        unsigned char h[5];
        h[0] = off + k == n ? 1 : 0;
        h[1] = (unsigned char)(k & 0xff);
        h[2] = (unsigned char)(k >> 8);
        h[3] = (unsigned char)(~k & 0xff);
        h[4] = (unsigned char)((~k >> 8) & 0xff);
        sbuf_add(out, (const char *)h, 5);
        sbuf_add(out, p + off, k);
        off += k;
    } while (off < n);
    for (int i = 0; i < 4; i++)
        sbuf_addc(out, (char)((crc >> (8 * i)) & 0xff));
    for (int i = 0; i < 4; i++)
        sbuf_addc(out, (char)(((uint32_t)n >> (8 * i)) & 0xff));
}

/* ---- sections ---- */

static int section_of(sitegen *g, const char *name)
{
    sbuf slug = {0}, nfc = {0};
    int k;
    slugify(name, &slug);
    for (size_t i = 0; i < g->nsecs; i++)
        if (!strcmp(g->secs[i].slug, slug.s)) {
            sbuf_free(&slug);
            return (int)i;
        }
    uni_nfc(name, strlen(name), 0, &nfc);
    xgrow(&g->secs, &g->seccap, g->nsecs + 1, sizeof *g->secs);
    k = (int)g->nsecs++;
    memset(&g->secs[k], 0, sizeof g->secs[k]);
    g->secs[k].name = sbuf_detach(&nfc, NULL);
    g->secs[k].slug = sbuf_detach(&slug, NULL);
    g->secs[k].zone = 100 + k;
    return k;
}

/* ---- the article page ---- */

static int valid_id(const char *id)
{
    size_t n = strlen(id);
    for (size_t i = 0; i < n; i++)
        if (id[i] < '0' || id[i] > '9')
            return 0;
    return n == 17 || (n >= 9 && !strncmp(id, "100", 3));
}

static void nav(sitegen *g, sbuf *b)
{
    sbuf_adds(b, "<header class=\"header\"><div class=\"header-top\"><a "
                 "class=\"logo\" href=\"/\" title=\"Tuổi Trẻ Online\">Tuổi "
                 "Trẻ Online</a></div><nav class=\"menu-nav\"><ul>\n");
    sbuf_adds(b, "<li><a href=\"/\">Trang chủ</a></li>\n");
    for (size_t i = 0; i < g->nsecs; i++)
        sbuf_addf(b, "<li><a href=\"/%s.htm\" title=\"%s\">%s</a></li>\n",
                  g->secs[i].slug, g->secs[i].name, g->secs[i].name);
    sbuf_adds(b, "<li><a href=\"/ban-doc.htm\">Bạn đọc</a></li>\n"
                 "<li><a href=\"/tim-kiem/tin-tuc.htm\">Tìm kiếm</a></li>\n"
                 "<li><a href=\"/rss.htm\">RSS</a></li>\n</ul></nav></header>\n");
}

static void footer(sbuf *b)
{
    sbuf_adds(b, "<footer class=\"footer\"><p>Trang web thử nghiệm của timtin, "
                 "dữ liệu giả lập.</p>"
                 "<a href=\"/rss.htm\">RSS</a></footer>\n</body>\n</html>\n");
}

static void head_common(sbuf *b, const char *title)
{
    sbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta "
                 "charset=\"utf-8\">\n<meta name=\"viewport\" "
                 "content=\"width=device-width, initial-scale=1\">\n<title>");
    html(b, title, T_PLAIN);
    sbuf_adds(b, " | Tuổi Trẻ Online</title>\n");
}

static void related(sitegen *g, sbuf *b, size_t cur, size_t back,
                    const char *type, int how)
{
    const meta *r;
    if (cur < back)
        return;
    r = &g->m[cur - back];
    sbuf_addf(b, "<div class=\"VCSortableInPreviewMode\" type=\"%s\">", type);
    if (!strcmp(type, "RelatedNewsBox"))
        sbuf_adds(b, "<div class=\"kbwscwl-relatedbox\"><h3 "
                     "class=\"kbwscwl-relatedbox-title\">Tin liên quan</h3>"
                     "<ul><li>");
    sbuf_addf(b, "<a href=\"%s\" title=\"",
              g->o.oldslug_every && cur % g->o.oldslug_every == 0 ? r->oldpath
                                                                  : r->path);
    html(b, r->title, T_PLAIN);
    sbuf_adds(b, "\">");
    html(b, r->title, how);
    sbuf_adds(b, "</a><p class=\"sapo\">");
    html(b, r->sapo, how);
    sbuf_adds(b, "</p>");
    if (!strcmp(type, "RelatedNewsBox"))
        sbuf_adds(b, "</li></ul></div>");
    sbuf_adds(b, "</div>\n");
}

static void jsonld(sitegen *g, sbuf *b, const article *a, const meta *m,
                   const char *pub, const char *mod)
{
    sbuf j = {0}, u = {0};
    js_writer *w = js_w_new(&j, 0);
    sbuf_addf(&u, "%s%s", g->origin, m->path);
    js_w_obj_begin(w);
    js_w_key(w, "@context");
    js_w_str(w, "https://schema.org");
    js_w_key(w, "@type");
    js_w_str(w, "NewsArticle");
    js_w_key(w, "mainEntityOfPage");
    js_w_str(w, u.s);
    js_w_key(w, "headline");
    js_w_str(w, a->title);
    if (a->sapo) {
        js_w_key(w, "description");
        js_w_str(w, a->sapo);
    }
    js_w_key(w, "image");
    js_w_arr_begin(w);
    sbuf_reset(&u);
    sbuf_addf(&u, "%s/media/%s.jpg", g->origin, m->id);
    js_w_str(w, u.s);
    js_w_arr_end(w);
    js_w_key(w, "datePublished");
    js_w_str(w, pub);
    js_w_key(w, "dateModified");
    js_w_str(w, mod);
    js_w_key(w, "author");
    js_w_arr_begin(w);
    for (size_t i = 0; i < a->authors.n; i++) {
        js_w_obj_begin(w);
        js_w_key(w, "@type");
        js_w_str(w, "Person");
        js_w_key(w, "name");
        js_w_str(w, a->authors.v[i]);
        js_w_obj_end(w);
    }
    js_w_arr_end(w);
    js_w_key(w, "publisher");
    js_w_obj_begin(w);
    js_w_key(w, "@type");
    js_w_str(w, "Organization");
    js_w_key(w, "name");
    js_w_str(w, "Báo Tuổi Trẻ");
    js_w_obj_end(w);
    js_w_key(w, "articleSection");
    js_w_str(w, a->section);
    if (a->tags.n) {
        sbuf k = {0};
        for (size_t i = 0; i < a->tags.n; i++)
            sbuf_addf(&k, "%s%s", i ? ", " : "", a->tags.v[i]);
        js_w_key(w, "keywords");
        js_w_str(w, k.s);
        sbuf_free(&k);
    }
    js_w_obj_end(w);
    js_w_free(w, NULL);
    /* "</" must not end the script early */
    sbuf_adds(b, "<script type=\"application/ld+json\">");
    for (size_t i = 0; i < j.len; i++) {
        if (j.s[i] == '<' && i + 1 < j.len && j.s[i + 1] == '/')
            sbuf_adds(b, "<\\");
        else
            sbuf_addc(b, j.s[i]);
    }
    sbuf_adds(b, "</script>\n");
    sbuf_free(&j);
    sbuf_free(&u);
}

static void article_page(sitegen *g, const article *a, size_t idx, sbuf *b)
{
    const meta *m = &g->m[idx];
    const section *sec = &g->secs[m->section];
    int how = T_PLAIN;
    char pub[32], mod[32], when[32];
    size_t cap = 0;
    if (g->o.nfd_every && idx % g->o.nfd_every == 3 % g->o.nfd_every)
        how |= T_NFD;
    if (idx % 2 == 1)
        how |= T_ENTITIES;
    iso(m->pub, pub);
    iso(m->mod, mod);
    page_time(m->pub, when);
    head_common(b, a->title);
    sbuf_adds(b, "<meta name=\"description\" content=\"");
    html(b, a->sapo, T_PLAIN);
    sbuf_adds(b, "\">\n<meta name=\"keywords\" content=\"");
    for (size_t i = 0; i < a->tags.n; i++) {
        if (i)
            sbuf_adds(b, ", ");
        html(b, a->tags.v[i], T_PLAIN);
    }
    sbuf_addf(b, "\">\n<link rel=\"canonical\" href=\"%s%s\">\n", g->origin,
              m->path);
    sbuf_adds(b, "<meta property=\"og:type\" content=\"article\">\n"
                 "<meta property=\"og:site_name\" content=\"TUOI TRE ONLINE\">\n"
                 "<meta property=\"og:title\" content=\"");
    html(b, a->title, T_PLAIN);
    sbuf_adds(b, "\">\n<meta property=\"og:description\" content=\"");
    html(b, a->sapo, T_PLAIN);
    sbuf_addf(b, "\">\n<meta property=\"og:url\" content=\"%s%s\">\n", g->origin,
              m->path);
    sbuf_addf(b, "<meta property=\"og:image\" content=\"%s/media/%s.jpg\">\n",
              g->origin, m->id);
    sbuf_addf(b, "<meta property=\"article:published_time\" content=\"%s\">\n",
              pub);
    sbuf_addf(b, "<meta property=\"article:modified_time\" content=\"%s\">\n",
              mod);
    sbuf_adds(b, "<meta property=\"article:section\" content=\"");
    html(b, a->section, T_PLAIN);
    sbuf_adds(b, "\">\n");
    for (size_t i = 0; i < a->tags.n; i++) {
        sbuf_adds(b, "<meta property=\"article:tag\" content=\"");
        html(b, a->tags.v[i], T_PLAIN);
        sbuf_adds(b, "\">\n");
    }
    jsonld(g, b, a, m, pub, mod);
    sbuf_adds(b, "<script>window.adsQueue = window.adsQueue || [];</script>\n"
                 "<style>.detail-title{font-size:2em}</style>\n</head>\n<body>\n");
    nav(g, b);
    sbuf_adds(b, "<main class=\"detail-container\">\n<div class=\"detail-top\">"
                 "<div class=\"detail-cate\">");
    sbuf_addf(b, "<a href=\"/%s.htm\" title=\"", sec->slug);
    html(b, a->section, T_PLAIN);
    sbuf_adds(b, "\" data-role=\"cate-name\">");
    html(b, a->section, how & T_NFD);
    sbuf_adds(b, "</a></div>\n<div class=\"detail-time\"><div "
                 "data-role=\"publishdate\">");
    sbuf_addf(b, "%s</div></div></div>\n", when);
    sbuf_adds(b, "<h1 class=\"detail-title article-title\" data-role=\"title\">");
    html(b, a->title, how);
    sbuf_adds(b, "</h1>\n<div class=\"detail-author\" data-role=\"author\">"
                 "<div class=\"author-list\">");
    for (size_t i = 0; i < a->authors.n; i++) {
        sbuf t = {0};
        slugify(a->authors.v[i], &t);
        sbuf_addf(b, "%s<a class=\"name\" href=\"/tac-gia/%s.htm\" title=\"",
                  i ? ", " : "", t.s);
        html(b, a->authors.v[i], T_PLAIN);
        sbuf_adds(b, "\">");
        /* bylines are sometimes served decomposed */
        html(b, a->authors.v[i], (how & T_NFD) || idx % 5 == 2 ? T_NFD : T_PLAIN);
        sbuf_adds(b, "</a>");
        sbuf_free(&t);
    }
    sbuf_adds(b, "</div></div>\n<h2 class=\"detail-sapo\" data-role=\"sapo\">");
    html(b, a->sapo, how);
    sbuf_adds(b, "</h2>\n<div class=\"detail-cmain\">\n<div class=\"detail-content "
                 "afcbc-body\" data-role=\"content\" itemprop=\"articleBody\">\n");
    for (size_t i = 0; i < a->body.n; i++) {
        sbuf_adds(b, "<p>");
        html(b, a->body.v[i], how);
        sbuf_adds(b, "</p>\n");
        if ((i == 0 || i == 2) && cap < a->captions.n) {
            sbuf_addf(b, "<figure class=\"VCSortableInPreviewMode\" "
                         "type=\"Photo\"><div><a href=\"/media/%s-%zu.jpg\">"
                         "<img src=\"%s/media/%s-%zu.jpg\" alt=\"",
                      m->id, cap + 1, g->origin, m->id, cap + 1);
            html(b, a->title, T_PLAIN);
            sbuf_addf(b, " - Ảnh %zu.\"></a></div><figcaption "
                         "class=\"PhotoCMS_Caption\"><p data-placeholder=\"Nhập "
                         "chú thích ảnh\">", cap + 1);
            html(b, a->captions.v[cap], how);
            sbuf_adds(b, "</p></figcaption></figure>\n");
            cap++;
        }
        if (i == 1)
            related(g, b, idx, 1, "RelatedNewsBox", how);
        if (i == 2 && idx % 3 == 0)
            sbuf_adds(b, "<div class=\"VCSortableInPreviewMode\" "
                         "type=\"VideoStream\"><div class=\"video-embed\" "
                         "data-vid=\"tuoitre/video.mp4\"><p>Video: Toàn "
                         "cảnh sự việc</p><iframe "
                         "src=\"/video/embed.htm\"></iframe></div></div>\n");
    }
    /* captions beyond the two placed above go at the end of the body */
    for (; cap < a->captions.n; cap++) {
        sbuf_adds(b, "<figure type=\"Photo\"><figcaption><p>");
        html(b, a->captions.v[cap], how);
        sbuf_adds(b, "</p></figcaption></figure>\n");
    }
    related(g, b, idx, 3, "RelatedOneNews", how);
    if (idx % 4 == 1)
        sbuf_adds(b, "<div class=\"readmore-body-box\"><p>Đọc tiếp: các tin "
                     "khác cùng chuyên mục</p></div>\n");
    sbuf_adds(b, "<div class=\"author-info\"><p class=\"author-name\">");
    for (size_t i = 0; i < a->authors.n; i++) {
        if (i)
            sbuf_adds(b, " - ");
        html(b, a->authors.v[i], T_PLAIN);
    }
    sbuf_adds(b, "</p><p>Nguồn bài viết</p></div>\n</div>\n</div>\n");
    sbuf_adds(b, "<div class=\"detail-tab\" data-role=\"tags\">");
    for (size_t i = 0; i < a->tags.n; i++) {
        sbuf t = {0};
        slugify(a->tags.v[i], &t);
        sbuf_addf(b, "<a href=\"/%s.html\" title=\"", t.s);
        html(b, a->tags.v[i], T_PLAIN);
        sbuf_adds(b, "\">");
        html(b, a->tags.v[i], how);
        sbuf_adds(b, "</a>");
        sbuf_free(&t);
    }
    sbuf_adds(b, "</div>\n<div class=\"detail-comment comment-wrapper\"><h3>Bình "
                 "luận (2)</h3><div class=\"comment-item\"><p>Bài viết rất "
                 "hay, cảm ơn tác giả.</p></div><div class=\"comment-item\">"
                 "<p>Mong có thêm thông tin.</p></div></div>\n</main>\n");
    footer(b);
}

int sitegen_add(sitegen *g, const article *a, tt_err *e)
{
    article t;
    meta *m;
    sbuf b = {0}, slug = {0}, path = {0};
    char idbuf[24], pub[32], mod[32], secbuf[64];
    static char empty[1], source[] = "tuoitre";
    int64_t ep, mp;
    size_t idx = g->n;
    int rc;
    if (!a->title || !*a->title || a->body.n == 0)
        return tt_seterr(e, TT_EINVAL, "article %s: no title or body",
                         a->id ? a->id : "?");
    memset(&t, 0, sizeof t);
    /* what the page needs, made up when missing */
    if (!a->published || date_parse_iso(a->published, &ep) != 0)
        ep = 1577836800 + (int64_t)idx * 1021; /* 2020-01-01, ~17 min apart */
    if (a->id && valid_id(a->id)) {
        snprintf(idbuf, sizeof idbuf, "%s", a->id);
    } else {
        char k[15];
        date_format_key(ep + LOCAL_OFF * 60, k);
        snprintf(idbuf, sizeof idbuf, "%s%03u", k, (unsigned)(idx % 1000));
    }
    if (!id_insert(g, idbuf))
        return tt_seterr(e, TT_EINVAL, "article %s: duplicate id", idbuf);
    mp = ep;
    if (a->modified && date_parse_iso(a->modified, &mp) == 0 && mp < ep)
        mp = ep;
    if (!a->modified)
        mp = ep;
    iso(ep, pub);
    iso(mp, mod);
    t.id = idbuf;
    t.title = a->title;
    t.sapo = a->sapo ? a->sapo : empty;
    t.body = a->body;
    t.captions = a->captions;
    t.tags = a->tags;
    if (a->authors.n) {
        t.authors = a->authors;
    } else {
        size_t k = idx % (sizeof made_up_authors / sizeof *made_up_authors);
        strlist_push(&t.authors, made_up_authors[k], strlen(made_up_authors[k]));
        if (idx % 4 == 1) {
            k = (k + 3) % (sizeof made_up_authors / sizeof *made_up_authors);
            strlist_push(&t.authors, made_up_authors[k],
                         strlen(made_up_authors[k]));
        }
    }
    if (a->section && *a->section) {
        t.section = a->section;
    } else {
        snprintf(secbuf, sizeof secbuf, "%s", made_up_sections[hash(idbuf) % 10]);
        t.section = secbuf;
    }
    t.published = pub;
    t.modified = mod;
    t.source = source;
    /* the path: the article's own slug when it has a URL, else the title's */
    if (a->url && a->id && !strcmp(a->id, idbuf)) {
        const char *p = strstr(a->url, "://");
        p = p ? strchr(p + 3, '/') : a->url;
        sbuf_adds(&path, p ? p : "/");
    } else {
        slugify(a->title, &slug);
        if (slug.len > 100)
            slug.len = 100, slug.s[100] = '\0';
        while (slug.len && slug.s[slug.len - 1] == '-')
            slug.s[--slug.len] = '\0';
        sbuf_addf(&path, "/%s-%s.htm", slug.s, idbuf);
    }
    xgrow(&g->m, &g->cap, g->n + 1, sizeof *g->m);
    m = &g->m[g->n++];
    memset(m, 0, sizeof *m);
    m->id = xstrdup(idbuf);
    m->path = sbuf_detach(&path, NULL);
    sbuf_reset(&slug);
    sbuf_addf(&slug, "/tin-cu-%s.htm", idbuf);
    m->oldpath = sbuf_detach(&slug, NULL);
    m->title = xstrdup(t.title);
    m->sapo = xstrdup(t.sapo);
    m->caption = t.captions.n ? xstrdup(t.captions.v[0]) : NULL;
    m->section = section_of(g, t.section);
    m->pub = ep;
    m->mod = mp;
    article_page(g, &t, idx, &b);
    rc = write_file(g, m->path, b.s, b.len, e);
    if (rc == TT_OK && g->o.truth) {
        sbuf u = {0};
        char *j;
        sbuf_addf(&u, "%s%s", g->origin, m->path);
        t.url = u.s;
        j = article_to_json(&t, NULL);
        if (fprintf(g->o.truth, "%s\n", j) < 0)
            rc = tt_seterr(e, TT_EIO, "writing the truth file: %s",
                           strerror(errno));
        free(j);
        sbuf_free(&u);
    }
    if (!a->authors.n)
        strlist_free(&t.authors);
    sbuf_free(&b);
    sbuf_free(&slug);
    return rc;
}

/* ---- listings, feeds, sitemaps ---- */

static sitegen *sort_g; /* qsort has no context argument */

static int newest_first(const void *x, const void *y)
{
    const meta *a = &sort_g->m[*(const size_t *)x];
    const meta *b = &sort_g->m[*(const size_t *)y];
    if (a->pub != b->pub)
        return a->pub > b->pub ? -1 : 1;
    return strcmp(b->id, a->id);
}

static void item_html(sbuf *b, const meta *m, int old)
{
    sbuf_addf(b, "<div class=\"box-category-item\"><a "
                 "class=\"box-category-link-title\" href=\"%s\" title=\"",
              old ? m->oldpath : m->path);
    html(b, m->title, T_PLAIN);
    sbuf_adds(b, "\">");
    html(b, m->title, T_PLAIN);
    sbuf_adds(b, "</a><p class=\"box-category-sapo\">");
    html(b, m->sapo, T_PLAIN);
    sbuf_adds(b, "</p></div>\n");
}

static int listings(sitegen *g, tt_err *e)
{
    int rc = TT_OK;
    for (size_t s = 0; s < g->nsecs && !rc; s++) {
        section *sec = &g->secs[s];
        size_t pages = sec->n ? (sec->n + g->o.page_size - 1) / g->o.page_size : 1;
        for (size_t p = 1; p <= pages && !rc; p++) {
            sbuf b = {0}, path = {0};
            head_common(&b, sec->name);
            sbuf_addf(&b, "<link rel=\"canonical\" href=\"%s/%s.htm\">\n",
                      g->origin, sec->slug);
            if (p < pages)
                sbuf_addf(&b, "<link rel=\"next\" href=\"/timeline/%d/trang-%zu.htm\">\n",
                          sec->zone, p + 1);
            sbuf_adds(&b, "</head>\n<body>\n");
            nav(g, &b);
            sbuf_adds(&b, "<main class=\"list-container\"><h1 class=\"cate-title\">");
            html(&b, sec->name, T_PLAIN);
            sbuf_adds(&b, "</h1>\n<div class=\"box-category-middle\">\n");
            for (size_t i = (p - 1) * g->o.page_size;
                 i < sec->n && i < p * g->o.page_size; i++)
                item_html(&b, &g->m[sec->idx[i]], 0);
            sbuf_adds(&b, "</div>\n<div class=\"paging\">");
            if (p == 2)
                sbuf_addf(&b, "<a class=\"prev\" href=\"/%s.htm\">Trang trước</a> ",
                          sec->slug);
            else if (p > 2)
                sbuf_addf(&b, "<a class=\"prev\" href=\"/timeline/%d/trang-%zu.htm\">"
                              "Trang trước</a> ", sec->zone, p - 1);
            for (size_t k = 1; k <= pages && k <= p + 3; k++) {
                if (k + 3 < p)
                    continue;
                if (k == 1)
                    sbuf_addf(&b, "<a href=\"/%s.htm\">1</a> ", sec->slug);
                else
                    sbuf_addf(&b, "<a href=\"/timeline/%d/trang-%zu.htm\">%zu</a> ",
                              sec->zone, k, k);
            }
            if (p < pages)
                sbuf_addf(&b, "<a class=\"next\" href=\"/timeline/%d/trang-%zu.htm\">Xem thêm</a>",
                          sec->zone, p + 1);
            sbuf_adds(&b, "</div></main>\n");
            footer(&b);
            if (p == 1)
                sbuf_addf(&path, "/%s.htm", sec->slug);
            else
                sbuf_addf(&path, "/timeline/%d/trang-%zu.htm", sec->zone, p);
            rc = write_file(g, path.s, b.s, b.len, e);
            sbuf_free(&b);
            sbuf_free(&path);
        }
    }
    return rc;
}

static void rss_item(sitegen *g, sbuf *b, const meta *m, int old)
{
    char d[40];
    rfc822(m->pub, d);
    sbuf_adds(b, "<item>\n<title>");
    xml(b, m->title);
    sbuf_addf(b, "</title>\n<link>%s%s</link>\n<guid isPermaLink=\"true\">%s%s</guid>\n",
              g->origin, old ? m->oldpath : m->path, g->origin, m->path);
    sbuf_adds(b, "<description><![CDATA[<a href=\"");
    sbuf_addf(b, "%s%s\"><img src=\"%s/media/%s.jpg\"></a>", g->origin, m->path,
              g->origin, m->id);
    {
        /* CDATA cannot hold "]]>" */
        const char *s = m->sapo;
        for (; *s; s++) {
            if (!strncmp(s, "]]>", 3)) {
                sbuf_adds(b, "]]]]><![CDATA[>");
                s += 2;
            } else {
                sbuf_addc(b, *s);
            }
        }
    }
    sbuf_addf(b, "]]></description>\n<pubDate>%s</pubDate>\n</item>\n", d);
}

static int feeds(sitegen *g, size_t *all, tt_err *e)
{
    int rc = TT_OK;
    sbuf idx = {0};
    head_common(&idx, "RSS");
    sbuf_adds(&idx, "</head>\n<body>\n");
    nav(g, &idx);
    sbuf_adds(&idx, "<main class=\"rss-container\"><h1>RSS</h1><ul>\n");
    sbuf_addf(&idx, "<li><a href=\"%s/rss/tin-moi-nhat.rss\">Tin mới nhất</a></li>\n",
              g->origin);
    for (size_t s = 0; s <= g->nsecs && !rc; s++) {
        sbuf b = {0}, path = {0};
        const char *title = s < g->nsecs ? g->secs[s].name : "Tin mới nhất";
        const char *slug = s < g->nsecs ? g->secs[s].slug : "tin-moi-nhat";
        size_t n = s < g->nsecs ? g->secs[s].n : g->n;
        const size_t *list = s < g->nsecs ? g->secs[s].idx : all;
        sbuf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss "
                      "version=\"2.0\">\n<channel>\n<title>");
        xml(&b, title);
        sbuf_addf(&b, " - Tuổi Trẻ Online</title>\n<link>%s/%s.htm</link>\n"
                      "<description>Tin tức</description>\n<language>vi</language>\n",
                  g->origin, s < g->nsecs ? slug : "index");
        for (size_t i = 0; i < n && i < g->o.feed_items; i++)
            rss_item(g, &b, &g->m[list[i]],
                     g->o.oldslug_every && s == g->nsecs && i % 4 == 2);
        sbuf_adds(&b, "</channel>\n</rss>\n");
        sbuf_addf(&path, "/rss/%s.rss", slug);
        rc = write_file(g, path.s, b.s, b.len, e);
        if (s < g->nsecs) {
            sbuf_addf(&idx, "<li><a href=\"%s/rss/%s.rss\">", g->origin, slug);
            html(&idx, title, T_PLAIN);
            sbuf_adds(&idx, "</a></li>\n");
        }
        sbuf_free(&b);
        sbuf_free(&path);
    }
    sbuf_adds(&idx, "</ul></main>\n");
    footer(&idx);
    if (!rc)
        rc = write_file(g, "/rss.htm", idx.s, idx.len, e);
    sbuf_free(&idx);
    return rc;
}

static void url_entry(sitegen *g, sbuf *b, const meta *m)
{
    char d[32];
    iso(m->mod, d);
    sbuf_addf(b, "<url><loc>%s%s</loc><lastmod>%s</lastmod></url>\n", g->origin,
              m->path, d);
}

/* Shards of five days (the last of a month runs to its end), newest
 * first; the oldest is gzip'd. */
static int sitemaps(sitegen *g, size_t *all, tt_err *e)
{
    sbuf index = {0};
    int rc = TT_OK;
    size_t i = 0;
    sbuf_adds(&index, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex "
                      "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    while (i < g->n && !rc) {
        char k[15];
        int y, mo, d, d1, d2, dim;
        size_t j = i;
        int64_t lastmod = 0;
        sbuf b = {0}, name = {0};
        date_format_key(g->m[all[i]].pub + LOCAL_OFF * 60, k);
        sscanf(k, "%4d%2d%2d", &y, &mo, &d);
        d1 = (d - 1) / 5 * 5 + 1;
        if (d1 > 26)
            d1 = 26;
        dim = (int)(date_days_from_civil(mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1, 1) -
                    date_days_from_civil(y, mo, 1));
        d2 = d1 == 26 ? dim : d1 + 4;
        sbuf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
                      "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (; j < g->n; j++) {
            char kk[15];
            int yy, mm, dd;
            date_format_key(g->m[all[j]].pub + LOCAL_OFF * 60, kk);
            sscanf(kk, "%4d%2d%2d", &yy, &mm, &dd);
            if (yy != y || mm != mo || dd < d1 || dd > d2)
                break;
            url_entry(g, &b, &g->m[all[j]]);
            if (g->m[all[j]].mod > lastmod)
                lastmod = g->m[all[j]].mod;
        }
        sbuf_adds(&b, "</urlset>\n");
        sbuf_addf(&name, "/StaticSitemaps/sitemaps-%d-%d-%d-%d.xml", y, mo, d1, d2);
        if (j >= g->n) { /* the oldest shard */
            sbuf gz = {0};
            gzip_stored(b.s, b.len, &gz);
            sbuf_adds(&name, ".gz");
            rc = write_file(g, name.s, gz.s, gz.len, e);
            sbuf_free(&gz);
        } else {
            rc = write_file(g, name.s, b.s, b.len, e);
        }
        {
            char lm[32];
            iso(lastmod, lm);
            sbuf_addf(&index, "<sitemap><loc>%s%s</loc><lastmod>%s</lastmod></sitemap>\n",
                      g->origin, name.s, lm);
        }
        sbuf_free(&b);
        sbuf_free(&name);
        i = j;
    }
    sbuf_adds(&index, "</sitemapindex>\n");
    if (!rc)
        rc = write_file(g, "/sitemaps/index.rss", index.s, index.len, e);
    sbuf_free(&index);
    if (rc)
        return rc;
    /* latest news: Google News sitemap with image captions */
    sbuf_adds(&index, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
                      "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
                      "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\" "
                      "xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">\n");
    for (i = 0; i < g->n && i < g->o.latest; i++) {
        const meta *m = &g->m[all[i]];
        char d[32];
        iso(m->pub, d);
        sbuf_addf(&index, "<url><loc>%s%s</loc><news:news><news:publication>"
                          "<news:name>Báo Tuổi Trẻ</news:name><news:language>vi"
                          "</news:language></news:publication><news:publication_date>"
                          "%s</news:publication_date><news:title>",
                  g->origin, m->path, d);
        xml(&index, m->title);
        sbuf_addf(&index, "</news:title></news:news><image:image><image:loc>%s/media/%s.jpg"
                          "</image:loc>", g->origin, m->id);
        if (m->caption) {
            sbuf_adds(&index, "<image:caption>");
            xml(&index, m->caption);
            sbuf_adds(&index, "</image:caption>");
        }
        sbuf_adds(&index, "</image:image></url>\n");
    }
    sbuf_adds(&index, "</urlset>\n");
    rc = write_file(g, "/sitemaps/latest-news.rss", index.s, index.len, e);
    sbuf_free(&index);
    return rc;
}

static int home(sitegen *g, size_t *all, tt_err *e)
{
    sbuf b = {0};
    int rc;
    head_common(&b, "Tin tức mới nhất");
    sbuf_addf(&b, "<link rel=\"canonical\" href=\"%s/\">\n<link rel=\"alternate\" "
                  "type=\"application/rss+xml\" href=\"/rss/tin-moi-nhat.rss\">\n"
                  "</head>\n<body>\n", g->origin);
    nav(g, &b);
    sbuf_adds(&b, "<main class=\"home\"><h1>Tin mới nhất</h1>\n");
    for (size_t i = 0; i < g->n && i < 30; i++)
        item_html(&b, &g->m[all[i]], g->o.oldslug_every && i % 5 == 4);
    sbuf_adds(&b, "<p><a href=\"/tu-khoa/can-tho.html\">Cần Thơ</a> "
                  "<a href=\"mailto:toasoan@example.vn\">Liên hệ</a> "
                  "<a href=\"javascript:void(0)\">Đăng nhập</a></p>\n</main>\n");
    footer(&b);
    rc = write_file(g, "/index.htm", b.s, b.len, e);
    sbuf_free(&b);
    if (rc)
        return rc;
    /* a section page robots.txt forbids */
    head_common(&b, "Bạn đọc");
    sbuf_adds(&b, "</head>\n<body>\n<p>Khu vực bạn đọc.</p>\n</body>\n</html>\n");
    rc = write_file(g, "/ban-doc.htm", b.s, b.len, e);
    sbuf_free(&b);
    return rc;
}

static int robots_ids(sitegen *g, tt_err *e)
{
    sbuf b = {0};
    int rc;
    sbuf_addf(&b, "# robots.txt of a Tuổi Trẻ-style test site (timtin-sitegen)\n"
                  "User-agent: *\nDisallow: /tim-kiem/\nDisallow: /ban-doc.htm\n"
                  "Disallow: /*?utm_\nAllow: /\n\nUser-agent: BadBot\nDisallow: /\n\n"
                  "Sitemap: %s/sitemaps/index.rss\nSitemap: %s/sitemaps/latest-news.rss\n",
              g->origin, g->origin);
    rc = write_file(g, "/robots.txt", b.s, b.len, e);
    sbuf_reset(&b);
    for (size_t i = 0; i < g->n && !rc; i++)
        sbuf_addf(&b, "%s\t%s\n", g->m[i].id, g->m[i].path);
    if (!rc)
        rc = write_file(g, "/ids.tsv", b.s, b.len, e);
    sbuf_free(&b);
    return rc;
}

int sitegen_finish(sitegen *g, tt_err *e)
{
    size_t *all = xmalloc((g->n + 1) * sizeof *all);
    int rc;
    for (size_t i = 0; i < g->n; i++)
        all[i] = i;
    sort_g = g;
    qsort(all, g->n, sizeof *all, newest_first);
    for (size_t i = 0; i < g->n; i++) {
        section *s = &g->secs[g->m[all[i]].section];
        xgrow(&s->idx, &s->cap, s->n + 1, sizeof *s->idx);
        s->idx[s->n++] = all[i];
    }
    if (!(rc = listings(g, e)) && !(rc = feeds(g, all, e)) &&
        !(rc = sitemaps(g, all, e)) && !(rc = home(g, all, e)))
        rc = robots_ids(g, e);
    free(all);
    return rc;
}
