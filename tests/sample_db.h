/* sample_db.h — Xapian dbs of articles for the unit tests and the fuzz
 * targets, indexed as the indexer indexes them (without a corpus). */
#ifndef TT_SAMPLE_DB_H
#define TT_SAMPLE_DB_H

#include "article.h"
#include "indexer.h"
#include "xap.h"

/* A new, empty db: dir (a mkdtemp template ending in XXXXXX, with room
 * for 3 bytes more) becomes DIR/db.  TT_OK, or a status with *e. */
int sample_new(char *dir, xap_wdb **out, tt_err *e);
/* Index a into w under its id term, as the indexer does: TT_OK, TT_EINVAL
 * when a has nothing to index, or a status with *e. */
int sample_put(xap_wdb *w, idx_builder *b, const article *a, tt_err *e);
/* Stamp w with the analyzer's version and close it. */
int sample_finish(xap_wdb *w, tt_err *e);
/* Call each with every sample article (TOP/corpus/samples/articles.jsonl)
 * in file order; each owns it (article_free) and returns non-zero to stop.
 * TT_OK, or a status with *e when the file cannot be read. */
int sample_articles(const char *top, int (*each)(void *arg, article *a),
                    void *arg, tt_err *e);
/* A db of the sample articles (TOP/corpus/samples/articles.jsonl) in dir,
 * as sample_new names it.  each, when not NULL, gets every article
 * indexed and owns it (article_free); else they are freed here. */
int sample_db(const char *top, char *dir,
              void (*each)(void *arg, article *a), void *arg, tt_err *e);

#endif
