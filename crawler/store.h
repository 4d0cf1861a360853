/* store.h — crawled articles into the corpus, on a writer thread, so that
 * compressing and writing WARC records runs on the second core while the
 * crawl thread fetches and parses.
 *
 * A page is stored as two records (corpus.h): the HTTP response, then the
 * article whose "response" field is that record's WARC-Record-ID.  An
 * article whose latest stored version has the same content (every field
 * but "response", which differs at each fetch) stores nothing.  Article
 * ids are one namespace for every source of a corpus: an article whose id
 * the corpus holds for another source (another site's profile) is never
 * stored over it (counted as a conflict); one stored without a source
 * (imported) may be.  An article whose latest record is a deletion
 * marker (timtin-corpus delete: a takedown) is not stored again (counted
 * as deleted), unless store_undelete named its id.  With no
 * corpus (dry run) each article is printed as one JSON line instead; an
 * output that cannot be written is the store's (sticky) TT_EIO, naming
 * standard output when it is.
 * Ownership: store_put takes the article and the block.  The corpus handle
 * stays the caller's, but while a store is open only the store may use it
 * (store_has, store_flush).  All functions are for the crawl thread.
 */
#ifndef TT_STORE_H
#define TT_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "article.h"
#include "corpus.h"
#include "util.h"

#define STORE_QUEUE 64 /* pages waiting for the writer; store_put blocks
                          beyond */

typedef struct store store;

#define STORE_THIN_BODY 200 /* characters of body text: an article with
                               fewer is counted thin */
#define STORE_SAMPLES 3     /* URLs kept of the undated or thin ones */

typedef struct store_counts {
    uint64_t added, changed, unchanged, rejected;
    uint64_t conflicts; /* not stored: the id is another source's article */
    uint64_t deleted;   /* not stored: the id is deleted in the corpus */
    uint64_t undeleted; /* of added: stored over a deletion marker */
    uint64_t deletions; /* deletion markers appended (store_delete) */
    /* of the added and changed ones (a site's redesign the profile
     * missed shows as these): */
    uint64_t undated;   /* without a published date */
    uint64_t thin;      /* with less than STORE_THIN_BODY characters of
                           body text */
    uint64_t suspect;   /* either */
    /* of the store_put_revisit ones: the same content (also unchanged),
     * a new version (also changed), refused (also rejected) */
    uint64_t revisit_unchanged, revisit_changed, revisit_failed;
} store_counts;

#define STORE_DELETED 2 /* store_has: the id's latest record is a deletion */

/* c may be NULL: articles go to dry as JSON lines.  TT_EINTERNAL when
 * the thread cannot start. */
int store_open(corpus *c, FILE *dry, store **out, tt_err *e);
/* Does the corpus hold article id (queued ones count once written)?  1
 * when it does, live: the stored article's source and url go into source
 * and url (each reset first, left empty when the article has none;
 * either may be NULL); STORE_DELETED when its latest record is a
 * deletion marker (source and url left empty); 0 when it never held it,
 * and always in a dry run. */
int store_has(store *s, const char *id, sbuf *source, sbuf *url);
/* The latest version of article id, when the corpus holds it live and
 * it can be read, into *out (the caller frees it: article_free): 1;
 * else 0, *out empty (and always in a dry run). */
int store_get(store *s, const char *id, article *out);
/* Let article id be stored over its deletion marker (the operator's
 * --undelete).  1 when id is deleted in the corpus, else 0 (nothing
 * done).  Before the first store_put. */
int store_undelete(store *s, const char *id);
/* Queue an article (id, url, source and the rest set) and its response
 * block (status line, headers, body) for uri.  Takes *a (zeroed on
 * return) and block (malloc'd). */
void store_put(store *s, article *a, const char *uri, char *block,
               size_t len);
/* The same for an article fetched again by a revisit (the crawler asks
 * for a stored article again, unprompted): counted apart too. */
void store_put_revisit(store *s, article *a, const char *uri, char *block,
                       size_t len);
/* The HTTP response the stored version of article id was extracted from
 * (corpus_get_page: where the id index keeps it, the version re-extracted
 * or not), appended to out: 1, or 0 when the corpus does not hold it (an
 * imported article, a purged page...) or cannot read it, or in a dry
 * run. */
int store_response(store *s, const char *id, sbuf *out);
/* corpus_each_id, under the store's lock: fn must call no store
 * function. */
int store_each_id(store *s, int (*fn)(void *arg, const char *id), void *arg);
/* The articles stored since the last call (new ones, and new versions
 * of stored ones: changed 1), in the order the writer stored them:
 * fn(arg, a, changed) for each, a holding only its id, published and
 * modified (valid during the call); then forgotten.  After store_flush,
 * every article queued before it is among them (or was not stored). */
void store_take_versions(store *s,
                         void (*fn)(void *arg, const article *a, int changed),
                         void *arg);
/* Queue a deletion marker for article id (nothing when it is not stored
 * live, or in a dry run). */
void store_delete(store *s, const char *id);
/* Wait until everything queued is written, then flush the corpus
 * (records durable, index saved).  Returns the first storage error of the
 * store's life (sticky), or TT_OK. */
int store_flush(store *s, tt_err *e);
/* Counts so far (of what the writer has done). */
void store_get_counts(store *s, store_counts *out);
/* The URLs of the first STORE_SAMPLES suspect articles (store_counts),
 * ", " between, into out (reset first). */
void store_get_samples(store *s, sbuf *out);
/* The first storage error so far (TT_OK if none), without waiting. */
int store_error(store *s, tt_err *e);
/* Write what is queued, stop the thread, free (NULL is fine).  The corpus
 * is not closed.  Returns the sticky error. */
int store_close(store *s, tt_err *e);

#endif
