/* fuzz_page.c — a fetched page as the crawler reads it: its charset found
 * and converted, the HTML parsed, an article extracted by the Tuổi Trẻ
 * profile's rules, its links resolved and classified. */
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "charset.h"
#include "dom.h"
#include "extract.h"
#include "fuzz.h"
#include "profile.h"
#include "unicode.h"

#define PAGE_URL "https://tuoitre.vn/mot-bai-bao-20240501083000123.htm"

static profile *prof;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *top = getenv("TT_TOP") ? getenv("TT_TOP") : ".";
    sbuf dir = {0};
    tt_err e;
    (void)argc;
    (void)argv;
    sbuf_addf(&dir, "%s/crawler/profiles", top);
    if (profile_load("tuoitre", dir.s, &prof, &e) != TT_OK)
        fuzz_fail(e.msg);
    sbuf_free(&dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    char label[CS_MAX_LABEL];
    sbuf u = {0}, link = {0}, base = {0};
    dom_doc *d = NULL;
    article a;
    strlist links = {0};
    tt_err e;

    cs_detect("text/html", body, size, label);
    if (cs_to_utf8(label, body, size, &u, &e) != TT_OK)
        sbuf_add(&u, body, size);
    if (dom_parse_html(u.s ? u.s : "", u.len, PAGE_URL, &d, &e) != TT_OK)
        goto done;
    if (extract_base(d, &base) && !uni_valid(base.s, base.len))
        fuzz_fail("a base URL not UTF-8");
    extract_links(d, &links);
    for (size_t i = 0; i < links.n; i++) {
        char id[128];
        sbuf_reset(&link);
        if (profile_link(prof, PAGE_URL, links.v[i], strlen(links.v[i]),
                         &link) == 0)
            profile_classify(prof, link.s, id, sizeof id);
    }
    if (extract_article(profile_rules(prof), d, &a, &e) == TT_OK) {
        size_t n;
        char *json = article_to_json(&a, &n);
        if (!uni_valid(json, n))
            fuzz_fail("an extracted article not UTF-8");
        free(json);
    }
    article_free(&a);
done:
    strlist_free(&links);
    dom_free(d);
    sbuf_free(&u);
    sbuf_free(&link);
    sbuf_free(&base);
    return 0;
}
