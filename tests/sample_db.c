/* sample_db.c — see sample_db.h. */
#include "sample_db.h"

#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "schema.h"

int sample_new(char *dir, xap_wdb **out, tt_err *e)
{
    *out = NULL;
    if (!mkdtemp(dir))
        return tt_seterr(e, TT_EIO, "mkdtemp %s failed", dir);
    strcat(dir, "/db");
    return xap_wdb_open(dir, XAP_CREATE | XAP_NOSYNC, out, e);
}

int sample_put(xap_wdb *w, idx_builder *b, const article *a, tt_err *e)
{
    idx_stats st = {0};
    sbuf id = {0};
    int rc;
    xap_doc *doc = idx_build_doc(b, a, NULL, &st);
    if (!doc)
        return tt_seterr(e, TT_EINVAL, "article %s: nothing to index",
                         a->id ? a->id : "?");
    an_id_term(a->id, strlen(a->id), &id);
    rc = xap_wdb_replace(w, id.s, id.len, doc, NULL, e);
    sbuf_free(&id);
    xap_doc_free(doc);
    return rc;
}

int sample_finish(xap_wdb *w, tt_err *e)
{
    int rc = xap_wdb_set_metadata(w, META_ANALYZER, TT_ANALYZER_VERSION,
                                  strlen(TT_ANALYZER_VERSION), e);
    int rc2 = xap_wdb_close(w, rc ? NULL : e);
    return rc ? rc : rc2;
}

int sample_articles(const char *top, int (*each)(void *arg, article *a),
                    void *arg, tt_err *e)
{
    sbuf path = {0};
    char *text = NULL;
    size_t len;
    int rc;
    sbuf_addf(&path, "%s/corpus/samples/articles.jsonl", top);
    rc = tt_read_file(path.s, 1 << 24, &text, &len, e);
    for (char *line = text, *nl; !rc && line && *line;
         line = nl ? nl + 1 : NULL) {
        article a;
        tt_err ae;
        nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        if (n && article_from_json(line, n, &a, &ae) == TT_OK && each(arg, &a))
            break;
    }
    free(text);
    sbuf_free(&path);
    return rc;
}

typedef struct indexing {
    xap_wdb *w;
    idx_builder *b;
    void (*each)(void *arg, article *a);
    void *arg;
    int rc;
    tt_err *e;
} indexing;

static int index_one(void *arg, article *a)
{
    indexing *x = arg;
    x->rc = sample_put(x->w, x->b, a, x->e);
    if (x->each && x->rc == TT_OK)
        x->each(x->arg, a);
    else
        article_free(a);
    return x->rc;
}

int sample_db(const char *top, char *dir,
              void (*each)(void *arg, article *a), void *arg, tt_err *e)
{
    indexing x = {NULL, idx_builder_new(), each, arg, TT_OK, e};
    int rc = sample_new(dir, &x.w, e);
    if (rc == TT_OK)
        rc = sample_articles(top, index_one, &x, e);
    if (rc == TT_OK)
        rc = x.rc;
    if (rc == TT_OK)
        rc = sample_finish(x.w, e);
    else if (x.w)
        xap_wdb_close(x.w, NULL);
    idx_builder_free(x.b);
    return rc;
}
