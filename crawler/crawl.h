/* crawl.h — the crawl engine: frontier, politeness, HTTP outcomes, and
 * storing articles into the corpus.
 *
 * One call of crawl_run is one run: it opens the corpus (writer lock) and
 * the profile's state beside it (CORPUS/crawl-state/NAME/, NAME the
 * profile's name; made from the flat state of older versions when there
 * is one: state_open_profile), queues the profile's seeds, and works
 * until the queue is empty (then it queues the stored articles due for
 * a revisit by their age (crawler/revisit.h), at most revisit_per_run,
 * the longest overdue first, each
 * asked for with the validators of the response it was stored from,
 * and works on until it is empty again), --max-pages is reached, or
 * crawl_stop is called; then it checkpoints and closes.  Killed at any moment, the next
 * run resumes the queue where the last checkpoint left it (state.h), and
 * stores nothing twice: an article is keyed by the id in its URL and
 * stored only when its content differs from the stored version
 * (docs/CRAWLER.md), and never over a deletion marker (a takedown)
 * unless crawl_opts.undelete names it.  Not thread-safe: one crawl per process, and one
 * crawl per corpus at a time, whatever its profile (the writer lock: a
 * second one gets TT_ELOCKED before it touches any state).
 */
#ifndef TT_CRAWL_H
#define TT_CRAWL_H

#include <stdint.h>
#include <stdio.h>

#include "profile.h"
#include "util.h"

typedef struct crawl_opts {
    const char *corpus_dir;  /* required unless dry_run */
    const profile *prof;     /* borrowed */
    double delay;            /* seconds between requests to a host (1) */
    int connections;         /* per host (1) */
    const char *contact;     /* in the User-Agent; NULL = none given */
    uint64_t max_pages;      /* requests for pages; 0 = no limit */
    int64_t since;           /* skip sitemap shards and entries older */
    int has_since;
    int dry_run;             /* write nothing; print articles as JSONL */
    int no_sync;             /* no fsync at checkpoints (scratch crawls) */
    int quiet, verbose, progress;
    double timeout, connect_timeout; /* 30, 10 */
    size_t max_page_size;    /* 10 MiB */
    int retries;             /* after the first attempt (3) */
    double retry_base;       /* first backoff, seconds (1) */
    double max_retry_after;  /* a longer Retry-After gives up (3600) */
    double max_crawl_delay;  /* robots.txt Crawl-delay cap (60) */
    double robots_retry;     /* first wait before re-asking for an
                                unreachable robots.txt (30) */
    int robots_tries;        /* attempts before a host is left for the
                                next run (3) */
    int give_up_after;       /* runs in a row a URL may fail (or robots.txt
                                forbid it) before it is given up; 0 never;
                                -1 (the default): the profile's */
    int revisit;             /* stored articles due for a revisit asked
                                for again in a run, at most; -1 (the
                                default): the profile's revisit_per_run
                                (PROFILE_REVISIT_AUTO: derived) */
    const char *const *undelete; /* ids, or article URLs, deleted in the
                                corpus to fetch and store again (the
                                operator's choice; not with dry_run) */
    size_t nundelete;
    FILE *out;               /* dry-run output (stdout) */
} crawl_opts;

/* Defaults for everything but corpus_dir and prof. */
void crawl_opts_init(crawl_opts *o);
/* Why contact cannot go into the User-Agent header (a control character:
 * CR LF would start another header), or NULL when it can. */
const char *crawl_contact_problem(const char *contact);

typedef struct crawl_stats {
    uint64_t requests;       /* HTTP requests made (robots.txt included) */
    uint64_t pages;          /* 2xx responses */
    uint64_t not_modified;   /* 304 responses */
    uint64_t redirects, retries;
    uint64_t articles_new, articles_changed, articles_unchanged;
    uint64_t undated, thin;  /* of the new and changed: without a date;
                                with less than STORE_THIN_BODY characters
                                of body text */
    uint64_t suspect;        /* either */
    int layout_warning;      /* suspect are CRAWL_LAYOUT_MIN or more, and
                                half the new and changed or more: said,
                                an error of the run */
    char samples[1024];      /* some of their URLs, ", " between */
    uint64_t robots_blocked; /* URLs robots.txt forbids */
    uint64_t errors;         /* URLs given up (after retries) */
    uint64_t given_up;       /* URLs deferred give_up_after runs in a row:
                                dropped, not queued again for a while */
    uint64_t id_conflicts;   /* articles not stored: their id is another
                                site's article in the corpus (errors) */
    uint64_t deleted;        /* articles not stored (nor fetched, when
                                their URL names their id): their id is
                                deleted in the corpus (a takedown) */
    uint64_t undeleted;      /* stored again over their deletion marker
                                (--undelete; of articles_new) */
    uint64_t withdrawn;      /* articles the corpus holds whose page
                                answered 404 or 410: kept, said (errors) */
    uint64_t withdrawn_deleted; /* ... 410, deleted (withdrawn = delete) */
    uint64_t missing;        /* articles marked done that the corpus does
                                not hold (restored from an older
                                backup): queued again */
    double missing_check_secs; /* what looking for them cost */
    uint64_t requeued;       /* pages given up as no article under another
                                profile (or by an older version), queued
                                again */
    uint64_t legacy_unstored; /* marks of an older version's "unstored":
                                hubs read in full for them */
    uint64_t future_dates;   /* articles a sitemap or feed dates in the
                                future: fetched once for that date */
    uint64_t revisited;      /* stored articles asked for again, due
                                by their age (crawler/revisit.h): the
                                sum of */
    uint64_t revisit_unchanged, revisit_changed; /* a 304, or the same
                                article; a new version stored */
    uint64_t revisit_withdrawn; /* a 404 or 410 (also in withdrawn or
                                withdrawn_deleted) */
    uint64_t revisit_failed; /* any other failure (also in errors) */
    uint64_t revisit_cap;    /* this run's revisit_per_run (auto: as
                                derived) */
    uint64_t revisit_left;   /* due, beyond it: left for the next runs */
    uint64_t left;           /* queue entries left for the next run */
    uint64_t out_of_scope;   /* queue entries dropped unfetched: out of
                                the profile's scope (host, skip, article
                                pattern) since they were queued */
    double seconds;
    double rss_peak_mb;      /* peak resident memory */
    int ran;                 /* the corpus and state were opened and the
                                crawl began: the counts mean something,
                                even when crawl_run fails */
} crawl_stats;

#define CRAWL_LAYOUT_MIN 5

/* Run one crawl.  TT_OK when the crawl ran (st->errors may be non-zero);
 * else a setup or storage failure: TT_ELOCKED, TT_EIO, TT_ECORRUPT,
 * TT_EINVAL, with a message (st->ran says whether the crawl had begun:
 * a storage failure stops it midway, and st holds what it did). */
int crawl_run(const crawl_opts *o, crawl_stats *st, tt_err *e);
/* Ask the running crawl to stop after the requests in flight (safe in a
 * signal handler); a second call aborts them. */
void crawl_stop(void);

#endif
