/* state.h — what a crawl remembers between runs, kept in a directory
 * beside the corpus, one per profile (CORPUS/crawl-state/NAME/, NAME the
 * profile's name, so that sites crawled into one corpus one after the
 * other keep their queues, failures and run counters apart): the URL
 * table (seen and done marks, 16 bytes per URL), the frontier (a queue
 * file read through a cursor), the URLs deferred to the next run and
 * those given up on and the articles said withdrawn, when each article's
 * version began, validators (ETag, Last-Modified) of hub pages,
 * per-host next-allowed times, and the run counter.  The files and the
 * order in which a checkpoint writes them (so a crawl killed at any
 * moment resumes without losing or duplicating work) are described at
 * the top of state.c and in docs/CRAWLER.md.
 *
 * Memory: the URL table (keys are 64-bit hashes) and a small map of
 * validators and hosts; the queue stays on disk, so a frontier of a
 * million URLs costs its table entries (~32 MB) and not its text.
 * Writes are buffered until state_checkpoint.  A state handle is for one
 * thread; one process at a time (the corpus writer lock covers it).
 */
#ifndef TT_STATE_H
#define TT_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define STATE_MAX_LINE 8192 /* bytes of a queue line */
#define STATE_MAX_RUNS 65535 /* the most a deferred entry's count says */

/* Queue entry kinds (their letters in the queue file). */
enum {
    SK_ARTICLE = 'a',  /* article, never fetched */
    SK_REFRESH = 'A',  /* article fetched before, changed since (lastmod) */
    SK_REVISIT = 'R',  /* article fetched long ago, asked for again (a
                          revisit: conditional, unprompted) */
    SK_HUB = 'h',      /* section page, feed index, seed */
    SK_PAGINATE = 'p', /* listing page */
    SK_SITEMAP = 's'   /* feed or sitemap */
};

typedef struct state state;

/* Marks of one URL key.  Runs count from 1; 0 = never. */
typedef struct state_url {
    uint16_t seen_run; /* the last run that queued it */
    uint16_t done_run; /* the last run that finished it */
    uint32_t done_time; /* when (epoch seconds) */
} state_url;

typedef struct state_item {
    int kind, depth;
    unsigned deferred; /* runs in a row it was deferred (0: never) */
    char *url;    /* malloc'd; the caller frees */
    uint64_t off; /* its place in the queue, for state_finish */
} state_item;

#define STATE_NOSYNC 1 /* state_open flag: no fsync (scratch crawls, tests) */
#define STATE_MAX_NAME 100 /* bytes of a profile name (a directory's) */

/* NULL when the len bytes of name can name a profile's state directory,
 * else why not (a static string): empty, longer than STATE_MAX_NAME, "."
 * or "..", a '/' or a control character (a NUL too) in it, ending in
 * ".tmp" (the name of a directory being made), or the name of a file of
 * the flat layout (run, urls, queue...; see state_open_profile). */
const char *state_name_problem(const char *name, size_t len);

/* Open (creating) the state in dir, or an in-memory state when dir is NULL
 * (--dry-run).  Starts a new run: state_run() is one more than the last.
 * A crash-truncated log tail is cut off.  flags: 0 or STATE_NOSYNC.
 * TT_EIO, TT_ECORRUPT (a file that is not ours). */
int state_open(const char *dir, int flags, state **out, tt_err *e);
/* Open the state of the profile called name: state_open of root/name
 * (root: CORPUS/crawl-state).  When root/name does not exist yet and root
 * holds the flat layout of older versions (the state files in root
 * itself, found by its "run" file), root/name starts as a copy of it:
 * copied into root/name.tmp (one left by a copy cut short is removed
 * first), each file fsynced unless STATE_NOSYNC, then renamed to
 * root/name; the flat files are left for the other profiles.  TT_EINVAL
 * for a name state_name_problem refuses; else as state_open. */
int state_open_profile(const char *root, const char *name, int flags,
                       state **out, tt_err *e);
/* Checkpoint and free (NULL is fine); returns the checkpoint's status. */
int state_close(state *s, tt_err *e);
/* Free without writing anything more (after a storage failure the marks
 * in memory may claim more than the corpus holds). */
void state_free(state *s);

unsigned state_run(const state *s);
size_t state_nurls(const state *s);

/* The marks of key (zeroes when unknown). */
void state_get(const state *s, uint64_t key, state_url *out);
void state_set_seen(state *s, uint64_t key);
void state_set_done(state *s, uint64_t key, uint32_t when);

/* Append an entry to the queue (buffered until the next checkpoint or
 * state_pop reaching the end).  TT_EINVAL for a URL with white space or
 * too long; TT_EIO is sticky. */
int state_push(state *s, int kind, int depth, const char *url, tt_err *e);
/* The next entry: 1, 0 when the queue is empty, or -TT_EIO.  Unreadable
 * lines are skipped. */
int state_pop(state *s, state_item *it, tt_err *e);
/* The entry at off (from state_pop) is processed: the cursor moves past
 * every processed entry that has none unprocessed before it. */
void state_finish(state *s, uint64_t off);
/* Keep an entry for the next run (a page that failed this time, or that
 * robots.txt forbade): it is written to the "deferred" file with runs, the
 * runs in a row it has been deferred, this one included (1 or more; cut
 * to STATE_MAX_RUNS), and queued again with it when the next run opens
 * the state: state_pop gives it back as state_item.deferred.  Once a run
 * per key: deferring key again does nothing (so a URL found twice is
 * carried once).  TT_EINVAL for a URL state_push would refuse. */
int state_defer(state *s, uint64_t key, int kind, int depth, const char *url,
                unsigned runs, tt_err *e);
/* 1 when key was deferred in this run, else 0. */
int state_deferred(const state *s, uint64_t key);
/* Entries pushed and not yet popped. */
uint64_t state_queued(const state *s);

/* URLs given up on (deferred too many runs in a row), by key: when (epoch
 * seconds, not 0) and the URL, kept from run to run in the "given-up"
 * file until forgotten.  Giving up on key again sets a new time.  A key
 * may have a date ahead too (state_set_ahead), given up or not: it stays
 * when key is given up again or forgotten.  The crawler decides what a
 * mark and a date mean (state.c keeps no policy). */
void state_give_up(state *s, uint64_t key, uint32_t when, const char *url);
/* 1, with its time in *when (when not NULL), when key is given up on;
 * else 0. */
int state_given_up(const state *s, uint64_t key, uint32_t *when);
/* Forget key's mark (nothing when it has none). */
void state_forget_given_up(state *s, uint64_t key);
/* Note date (epoch seconds, not 0) for key, kept with its mark in the
 * "given-up" file: the latest noted stays. */
void state_set_ahead(state *s, uint64_t key, uint32_t date);
/* key's date noted so, or 0. */
uint32_t state_ahead(const state *s, uint64_t key);
/* Forget key's date (nothing when it has none). */
void state_forget_ahead(state *s, uint64_t key);
/* Forget the marks set before `before`, and the dates before it of keys
 * not given up; returns how many marks. */
size_t state_expire_given_up(state *s, uint32_t before);

/* A URL marked done that stands for no record in the corpus (a page of
 * the article pattern that is no article, one redirected out of scope or
 * to another id), kept in the "unstored" file: so a done mark whose key
 * the corpus does not hold is known for an article lost (a corpus
 * restored from a backup older than its state), not for one of these.
 * state_unstore marks key so for good (a redirect: nothing to try again);
 * state_unstore_page marks key's page, at url, as no article under the
 * profile whose fingerprint is rules (not 0): a run under another one may
 * find an article in it (state_unstored_stale).  A mark replaces the
 * key's earlier one.  state_unstored: 1 when key is marked. */
void state_unstore(state *s, uint64_t key);
void state_unstore_page(state *s, uint64_t key, uint64_t rules,
                        const char *url);
int state_unstored(const state *s, uint64_t key);
/* Forget key's mark (its article stored at last). */
void state_forget_unstored(state *s, uint64_t key);
/* 1 when key's page was found no article under a profile other than
 * rules, or by an older state that kept no reason (a line of the key
 * alone): worth fetching again. */
int state_unstored_stale(const state *s, uint64_t key, uint64_t rules);
/* Call fn(arg, key, url) for each page found no article under a profile
 * other than rules whose URL is kept; returns how many. */
size_t state_each_stale_page(const state *s, uint64_t rules,
                             void (*fn)(void *arg, uint64_t key,
                                        const char *url),
                             void *arg);
/* Marks of an older state that kept no reason and no URL, not yet
 * offered again (a run that reads every hub in full can find them);
 * state_unstored_offered says that such a run is over: they are stale
 * still, but no longer counted here. */
size_t state_unstored_legacy(const state *s);
void state_unstored_offered(state *s);
/* Call fn for each key marked done by an earlier run that stands for a
 * record: neither unstored, nor with validators (a hub), nor given up
 * on; returns how many calls returned non-zero.  O(URLs). */
size_t state_done_keys(const state *s, int (*fn)(void *arg, uint64_t key),
                       void *arg);

/* Articles said withdrawn by the site (a 404 or 410 for an article the
 * corpus holds), kept in the "withdrawn" file until forgotten (the
 * article fetched again): the crawler's revisits leave them alone. */
void state_set_withdrawn(state *s, uint64_t key);
int state_withdrawn(const state *s, uint64_t key);
void state_forget_withdrawn(state *s, uint64_t key);

/* When article key's current version began (epoch seconds): its own
 * date or its storing, or the change that made it, kept in the
 * "versions" file; the crawler's revisits count the article's age from
 * it.  0: unknown (a state of an older version).  Setting 0 does
 * nothing. */
void state_set_since(state *s, uint64_t key, uint32_t since);
uint32_t state_since(const state *s, uint64_t key);

/* What shaped the reading of hub pages: the profile (a fingerprint of
 * its rules, never 0) and --since (epoch seconds, STATE_NO_SINCE when
 * none).  A page read under --since, or under other rules, did not give
 * all the links a run without them wants: its 304 would hide them. */
typedef struct state_reading {
    uint64_t profile;
    int64_t since;
} state_reading;
#define STATE_NO_SINCE INT64_MIN

/* Validators of a hub page (NULL when none), when they were saved under
 * a reading at least as wide as rd: the same profile, and no --since or
 * one no later than rd's.  Valid until the next state_set_validators for
 * the same key. */
void state_validators(const state *s, uint64_t key, const state_reading *rd,
                      const char **etag, const char **last_modified);
void state_set_validators(state *s, uint64_t key, const char *etag,
                          const char *last_modified, const state_reading *rd);

/* Wall-clock time (epoch seconds) before which host must not be asked
 * again, as last saved (0 when unknown); and when that was set (the
 * wall clock at state_set_host_next; 0 when unknown: an older state). */
double state_host_next(const state *s, const char *host);
double state_host_saved(const state *s, const char *host);
void state_set_host_next(state *s, const char *host, double wall);

/* Make everything durable (fsynced, unless STATE_NOSYNC) in the order
 * described in state.c. */
int state_checkpoint(state *s, tt_err *e);
/* The queue is consumed: truncate it (and the cursor) to empty. */
int state_reset_queue(state *s, tt_err *e);

#endif
