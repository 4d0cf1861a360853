/* sitegen.h — renders articles into a static Tuổi Trẻ-style web site, the
 * test and benchmark target of timtin-crawl.
 *
 * The site (every URL is a file under the output directory; "/" is
 * index.htm):
 *   /<slug>-<id>.htm      article pages with the real structure: breadcrumb
 *                         (div.detail-cate), h1.detail-title, publish time
 *                         "dd/MM/yyyy HH:mm GMT+7", h2.detail-sapo, author
 *                         block (div.detail-author a.name), the body
 *                         (div.detail-cmain > div.detail-content) with
 *                         figures and captions, related-news boxes, a video
 *                         embed, a read-more box and the bottom author box,
 *                         tags (div.detail-tab), a comment box, og:/article:
 *                         meta and JSON-LD (times in +07:00).  Some pages
 *                         are written in decomposed Unicode (NFD), some
 *                         with named and numeric character references.
 *   /<section>.htm, /timeline/<zone>/trang-<n>.htm   section listings with
 *                         pagination, newest first
 *   /index.htm            the home page; /rss.htm the feed index
 *   /rss/<section>.rss, /rss/tin-moi-nhat.rss        RSS 2.0 feeds
 *   /sitemaps/index.rss   sitemap index of 5-day shards
 *                         /StaticSitemaps/sitemaps-YYYY-M-d1-d2.xml (the
 *                         oldest gzip'd, .xml.gz)
 *   /sitemaps/latest-news.rss  Google News sitemap with image captions
 *   /robots.txt           with a disallowed section page (/ban-doc.htm)
 *   /ids.tsv              "id<TAB>path" of every article (for the test
 *                         server's redirects from old slugs)
 * Some links (related boxes, the home feed) use an old slug of their
 * article ("/tin-cu-<id>.htm"): the test server answers them with a 301 to
 * the current path.
 *
 * Articles missing what a news page needs (vietnews has no id, date,
 * section or byline) get them made up deterministically; the articles as
 * rendered can be written as JSONL (the "truth" to compare a crawl with).
 * A sitegen handle is for one thread; memory is about 300 bytes plus the
 * title and sapo per article.
 */
#ifndef TT_SITEGEN_H
#define TT_SITEGEN_H

#include <stddef.h>
#include <stdio.h>

#include "article.h"
#include "util.h"

typedef struct sitegen_opts {
    const char *out_dir;   /* created if needed */
    const char *origin;    /* absolute URLs in the site; default
                              "https://tuoitre.vn" */
    size_t page_size;      /* articles per listing page (20) */
    size_t feed_items;     /* items per RSS feed (50) */
    size_t latest;         /* entries of the latest-news sitemap (100) */
    unsigned nfd_every;    /* every Nth article page in NFD (7; 0 = none) */
    unsigned oldslug_every; /* every Nth related link by an old slug, and
                               some home and feed links (3; 0 = none, for
                               servers that cannot redirect them) */
    FILE *truth;           /* the rendered articles as JSONL, or NULL */
} sitegen_opts;

typedef struct sitegen sitegen;

/* *out is NULL on error (TT_EIO: the directory cannot be made). */
int sitegen_new(const sitegen_opts *o, sitegen **out, tt_err *e);
/* Render one article page now (listings come at sitegen_finish).  The
 * article is not kept.  TT_EINVAL (not sticky) for an article without a
 * title or body, or a duplicate id; TT_EIO on a write error. */
int sitegen_add(sitegen *g, const article *a, tt_err *e);
/* Write listings, feeds, sitemaps, robots.txt and ids.tsv. */
int sitegen_finish(sitegen *g, tt_err *e);
/* Articles rendered so far. */
size_t sitegen_count(const sitegen *g);
void sitegen_free(sitegen *g); /* NULL is fine */

#endif
