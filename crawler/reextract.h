/* reextract.h — re-extraction: the articles of a profile's site that the
 * corpus holds, extracted again from the pages it stored (their WARC
 * response records), by the profile as it is now and the crawler's own
 * reading of a page (pageread.h).  Nothing is fetched.
 *
 * An article whose extraction differs from its latest version (in any
 * field extraction gives) gets a new version: the same id, url, source
 * and response (WARC-Refers-To names the page it came from), which
 * timtin-index takes as a replacement.  One whose page now gives no
 * article, or cannot be read, is left as it is and said; one without a
 * page in the corpus (imported) is skipped.  A run takes the corpus
 * writer lock (TT_ELOCKED while a crawl or an import holds it); a dry
 * run opens the corpus read-only, writes nothing and prints the versions
 * it would append.  Not thread-safe: one run per process.
 */
#ifndef TT_REEXTRACT_H
#define TT_REEXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "crawl.h"

typedef struct reextract_stats {
    uint64_t articles;  /* looked at: the site's live articles, or the
                           ids given */
    uint64_t extracted; /* extracted again: changed + unchanged */
    uint64_t changed;   /* a new version appended (dry run: would be) */
    uint64_t unchanged;
    uint64_t no_page;   /* skipped: no page stored (imported) */
    uint64_t failed;    /* left as they are, each said: the page cannot
                           be read, or gives no article now */
    uint64_t left;      /* not looked at: the run was stopped */
    double seconds;
    int ran;            /* the corpus was opened and the ids checked: the
                           counts mean something, even on failure */
} reextract_stats;

/* Re-extract the live articles of o->prof's site (source: its name) in
 * o->corpus_dir, or only ids[0..nids) when nids > 0 (of that site, or of
 * none: imported).  Of o, also dry_run (and out), no_sync, quiet,
 * verbose, progress and max_page_size are read.  TT_OK when the run went
 * through (st->failed may be non-zero); before it begins (st->ran 0):
 * TT_ENOTFOUND, TT_EINVAL (an id the corpus does not hold live, or
 * another site's), TT_ELOCKED, TT_EIO; after (st->ran 1): TT_EIO, a
 * storage or dry-run output error, which stops it (what was appended
 * stays). */
int reextract_run(const crawl_opts *o, const char *const *ids, size_t nids,
                  reextract_stats *st, tt_err *e);
/* Stop the running re-extraction after the article at hand (safe in a
 * signal handler). */
void reextract_stop(void);

#endif
