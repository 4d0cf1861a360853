/* fuzz_article.c — an article record's JSON, as the corpus holds it and
 * the indexer reads it: parsed, analysed into a Xapian document, and
 * written back.  What article_to_json writes, article_from_json reads
 * back to the same article. */
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "fuzz.h"
#include "indexer.h"
#include "xap.h"

static idx_builder *builder;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    builder = idx_builder_new();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    article a, b;
    tt_err e;
    idx_stats st = {0};
    size_t n1, n2;

    if (article_from_json((const char *)data, size, &a, &e) != TT_OK)
        return 0;
    xap_doc_free(idx_build_doc(builder, &a, NULL, &st));
    char *j1 = article_to_json(&a, &n1);
    if (article_from_json(j1, n1, &b, &e) != TT_OK)
        fuzz_fail("article_from_json refuses what article_to_json wrote");
    char *j2 = article_to_json(&b, &n2);
    if (n1 != n2 || memcmp(j1, j2, n1) != 0)
        fuzz_fail("an article written, read and written again changed");
    free(j1);
    free(j2);
    article_free(&a);
    article_free(&b);
    return 0;
}
