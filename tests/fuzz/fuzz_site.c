/* fuzz_site.c — what else the crawler reads from a site: robots.txt,
 * feeds and sitemaps (gzip'd or not), URLs, and the dates written in
 * pages.  The first byte of the input picks which; the rest is the text. */
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "fuzz.h"
#include "pagedate.h"
#include "robots.h"
#include "url.h"

#define BASE "https://tuoitre.vn/thoi-su/trang-2.htm"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void robots_of(const char *s, size_t n)
{
    robots *r = robots_parse(s, n, "timtin");
    if (!r)
        return;
    robots_allowed(r, "/");
    robots_allowed(r, "/thoi-su/bai-20240501.htm?x=1");
    robots_crawl_delay(r);
    for (size_t i = 0; i < robots_nsitemaps(r); i++)
        if (!robots_sitemap(r, i))
            fuzz_fail("a sitemap listed but NULL");
    robots_free(r);
}

static void feed_of(const char *s, size_t n)
{
    sbuf raw = {0};
    feed_list l = {0};
    int kind = 0;
    tt_err e;
    if (feed_is_gzip(s, n)) {
        if (feed_gunzip(s, n, 1u << 20, &raw, &e) != TT_OK)
            goto done;
        s = raw.s ? raw.s : "";
        n = raw.len;
    }
    feed_sniff(s, n);
    if (feed_parse(s, n, 7 * 60, &kind, &l, &e) == TT_OK)
        for (size_t i = 0; i < l.n; i++)
            if (!l.v[i].url)
                fuzz_fail("a feed entry without a URL");
done:
    feed_list_free(&l);
    sbuf_free(&raw);
}

static void url_of(const char *s, size_t n)
{
    sbuf out = {0}, again = {0};
    char host[256];
    if (url_normalize(s, n, NULL, &out) == 0) {
        /* normalising is idempotent */
        if (url_normalize(out.s, out.len, NULL, &again) != 0 ||
            strcmp(out.s, again.s) != 0)
            fuzz_fail("a normalised URL normalised again changed");
        url_host(out.s, host, sizeof host);
        url_path(out.s);
        url_origin_len(out.s);
    }
    sbuf_reset(&out);
    if (url_resolve(BASE, s, n, NULL, &out) == 0) {
        url_host(out.s, host, sizeof host);
        url_path(out.s);
    }
    sbuf_free(&out);
    sbuf_free(&again);
}

static void date_of(const char *s)
{
    int64_t epoch;
    int off;
    char iso[32];
    pagedate_parse(s, 420, &epoch, &off);
    if (pagedate_iso(s, 420, iso) == 0 && strlen(iso) >= sizeof iso)
        fuzz_fail("an ISO date too long");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    char *s = fuzz_str(data + 1, size - 1);
    size_t n = size - 1;
    switch (data[0] % 4) {
    case 0:
        robots_of(s, n);
        break;
    case 1:
        feed_of(s, n);
        break;
    case 2:
        url_of(s, n);
        break;
    default:
        date_of(s);
        break;
    }
    free(s);
    return 0;
}
