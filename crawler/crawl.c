/* crawl.c — see crawl.h.
 *
 * The loop: keep a window of queue entries in memory (at most WINDOW);
 * start every entry whose host is ready (robots.txt known, a free
 * connection, the host's delay passed, its own backoff passed); let the
 * transfers run; handle what finished; checkpoint every few seconds.
 *
 * Politeness: a host's next request starts no earlier than `delay` after
 * the previous one started AND after it finished (so, with one
 * connection, the server sees requests at least `delay` apart, redirect
 * hops and robots.txt included).  A 429 or 503 pushes the whole host back
 * by its Retry-After; one longer than max_retry_after, HOST_FAILS URLs
 * failing in a row, or a robots.txt that stays unreachable leave the host
 * alone for the run, its URLs queued as they are (abandon).  Redirects are separate requests, scheduled like
 * any other, at most MAX_HOPS per entry.
 */
#include "crawl.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "article.h"
#include "date.h"
#include "corpus.h"
#include "dom.h"
#include "extract.h"
#include "feed.h"
#include "fetch.h"
#include "pageread.h"
#include "revisit.h"
#include "robots.h"
#include "state.h"
#include "store.h"
#include "url.h"
#include "warc.h"

#define WINDOW 1024        /* queue entries held in memory */
#define MAX_HOPS 5         /* redirects per entry */
#define CHECKPOINT_SECS 2.0
#define ROBOTS_TTL (24 * 3600.0)
#define AGENT_TOKEN "timtin"
#define MAX_REPORTED 50    /* error lines printed before going quiet */
#define GIVE_UP_DAYS 30    /* a URL given up on is not queued again before */
#define CLOCK_SLACK 5.0    /* seconds a saved host time may be off */
#define HOST_FAILS 10      /* URLs of a host failing in a row (5xx, 429,
                              timeouts, connections): left for the run */
#define REVISIT_LEGACY_PER_RUN 20000 /* articles of an older state whose
                              age is read from the corpus, at most a run */

static volatile sig_atomic_t stop_requested;

void crawl_stop(void)
{
    if (stop_requested < 2)
        stop_requested++;
}

void crawl_opts_init(crawl_opts *o)
{
    memset(o, 0, sizeof *o);
    o->delay = 1.0;
    o->connections = 1;
    o->timeout = 30;
    o->connect_timeout = 10;
    o->max_page_size = 10u << 20;
    o->retries = 3;
    o->retry_base = 1.0;
    o->max_retry_after = 3600;
    o->max_crawl_delay = 60;
    o->robots_retry = 30;
    o->robots_tries = 3;
    o->give_up_after = -1;
    o->revisit = -1;
    o->out = stdout;
}

enum { RB_NONE, RB_FETCHING, RB_OK, RB_UNREACHABLE, RB_ABANDONED };

typedef struct host {
    char *name;        /* authority */
    char *scheme;      /* of the first URL seen: for robots.txt */
    robots *rb;
    int rstate, rtries;
    double rretry_at, robots_at;
    double delay;      /* effective: max(--delay, Crawl-delay) */
    double next_at;    /* monotonic */
    int active;
    struct item *rhop; /* robots.txt's redirect target, waiting its turn */
    int fails;         /* URLs failed in a row (HOST_FAILS) */
    unsigned streak;   /* which run of failures: + 1 at each answer */
} host;

typedef struct item {
    int kind, depth;
    char *url;         /* the URL of the next request (after redirects) */
    char *qurl;        /* the URL as queued */
    char *id;          /* article id, or NULL */
    uint64_t key, off;
    int in_queue;      /* off is a queue entry (robots requests are not) */
    int tries, hops, inflight, robots;
    unsigned deferred; /* runs in a row it was deferred before this one */
    unsigned streak;   /* its host's streak + 1 it counted in, or 0 */
    char *why;         /* out of retries, parked: the failure, to give up
                          on it when its host answers or the run ends */
    int in_win;        /* linked into the window */
    double not_before;
    host *h;
    struct item *prev, *next;
} item;

typedef struct crawler {
    const crawl_opts *o;
    const profile *p;
    corpus *cp;
    store *sto;        /* the writer thread */
    state *st;
    fetch *f;
    host **hosts;
    size_t nhosts, hostcap;
    item *head, *tail; /* the window, in queue order */
    size_t nwin, inflight;
    size_t nparked;    /* window items with a why */
    int queue_done;    /* state_pop found nothing the last time */
    uint64_t started;  /* page requests started (for --max-pages) */
    uint64_t reported;
    uint64_t rng;
    int abandoned;
    int store_failed;  /* marks in memory may claim unstored articles */
    crawl_stats *s;
    state_reading reading; /* what shapes the reading of hubs */
    unsigned give_up_after; /* runs in a row; 0: never */
    u64set day_keys;   /* articles queued by a date-only lastmod, or a
                          date in the future ... */
    struct dayref {
        uint64_t key;
        int64_t until;  /* ... when its fetch counts as done */
        int64_t ahead;  /* the date in the future, or 0 */
    } *days;
    size_t ndays, daycap;
    int restore;       /* done marks the corpus does not hold: hubs are
                          read unconditionally, those articles queued */
    int legacy;        /* the state holds "unstored" marks of an older
                          version, reason unknown: hubs read in full */
    u64set held;       /* article keys of the ids the corpus holds */
    u64set undel;      /* keys of the deleted ids --undelete names */
    strlist undel_ids; /* those ids */
    u64set seeds;      /* keys of the profile's seeds: never given up */
    size_t nseeds;     /* how many */
    u64set seeds_shut; /* seeds robots.txt forbade in this run */
    sbuf shut_hosts;   /* their hosts, ", " between */
    int seeding;       /* queue_seeds is at work */
    unsigned revisit_per_run; /* due articles asked for again, at most
                          (once per_run_known) */
    int revisit_auto;  /* revisit_per_run = auto: derived (per_run) */
    int per_run_known;
    int revisits_queued; /* queue_revisits has run */
    unsigned revisits_early; /* revisits left queued by the last run
                          (cut short, or failed), taken this run */
    struct cls *cache; /* classify(): recent answers */
    tt_err err;        /* the first storage error: stops the crawl */
    double t0, last_progress, last_checkpoint;
} crawler;

static unsigned per_run(crawler *c);

/* ---- small helpers ---- */

/* For tests (tests/e2e/crawl_revisit.sh): TIMTIN_TEST_CLOCK_DAYS=N sets
 * the crawler's wall clock N days ahead, as if the run came N days later
 * (what revisits wait for comes without waiting). */
static double clock_ahead;

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9 + clock_ahead;
}

static double jitter(crawler *c)
{
    /* xorshift64*: 0.5 .. 1.5 */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return 0.5 + (double)((c->rng * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0;
}

static uint64_t article_key(const char *id)
{
    sbuf b = {0};
    uint64_t k;
    sbuf_addf(&b, "a:%s", id);
    k = url_hash(b.s, b.len);
    sbuf_free(&b);
    return k;
}

/* The key of a page other than an article: its URL, or on a site that
 * serves /a/ and /a as one page, the URL without the slash. */
static uint64_t url_key(const crawler *c, const char *url)
{
    sbuf b = {0};
    uint64_t k;
    sbuf_adds(&b, "u:");
    if (profile_keep_trailing_slash(c->p))
        sbuf_adds(&b, url);
    else
        url_drop_trailing_slash(url, &b);
    k = url_hash(b.s, b.len);
    sbuf_free(&b);
    return k;
}

/* profile_classify with a memory: the same article URL turns up in
 * sitemaps, feeds, listings and the queue, and glibc's regexec with groups
 * is slow enough to show in profiles.  Direct-mapped; an entry is trusted
 * on its 64-bit hash and length. */
#define CLS_SLOTS 16384
typedef struct cls {
    uint64_t h;
    uint32_t len;
    int kind;
    char id[40];
} cls;

static int classify(crawler *c, const char *url, char *id, size_t cap)
{
    size_t n = strlen(url);
    uint64_t h = url_hash(url, n);
    cls *e;
    int kind;
    if (!c->cache)
        c->cache = xcalloc(CLS_SLOTS, sizeof *c->cache);
    e = &c->cache[h % CLS_SLOTS];
    if (e->h == h && e->len == n && e->kind) {
        if (e->kind == PK_ARTICLE) {
            if (strlen(e->id) + 1 > cap)
                return PK_OUT;
            strcpy(id, e->id);
        }
        return e->kind;
    }
    kind = profile_classify(c->p, url, id, cap);
    if (kind != PK_ARTICLE || strlen(id) < sizeof e->id) {
        e->h = h;
        e->len = (uint32_t)n;
        e->kind = kind;
        if (kind == PK_ARTICLE)
            strcpy(e->id, id);
    } else {
        e->kind = 0;
    }
    return kind;
}

static int is_article_kind(int k)
{
    return k == SK_ARTICLE || k == SK_REFRESH || k == SK_REVISIT;
}

static void report(crawler *c, const char *url, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "PROGRAM: WHAT: message", over the progress line. */
static void say(crawler *c, const char *what, const char *fmt, va_list ap)
{
    if (c->o->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "%s: %s: ", tt_progname(), what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

static void report(crawler *c, const char *url, const char *fmt, ...)
{
    va_list ap;
    if (c->o->quiet)
        return;
    if (c->reported++ >= MAX_REPORTED) {
        if (c->reported == MAX_REPORTED + 1)
            fprintf(stderr, "%s: (more errors not shown)\n", tt_progname());
        return;
    }
    va_start(ap, fmt);
    say(c, url, fmt, ap);
    va_end(ap);
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return ru.ru_maxrss / 1024.0;
}

/* ---- hosts ---- */

/* A line about host name, whatever was reported before (abandon's). */
static void host_notice(crawler *c, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void host_notice(crawler *c, const char *name, const char *fmt, ...)
{
    va_list ap;
    if (c->o->quiet)
        return;
    va_start(ap, fmt);
    say(c, name, fmt, ap);
    va_end(ap);
}

/* How long the last run's promise to host name still holds: the wait
 * saved in the state.  A wait longer than any the crawler makes (its
 * delays, a Retry-After: at most max_retry_after), or one saved later
 * than now, is no promise of it: the clock was changed (stepped back),
 * or the state comes from another machine; ignored, said.  A long wait
 * that holds is said too: nothing is asked meanwhile. */
static double saved_wait(crawler *c, const char *name)
{
    double now = wall_now(), next = state_host_next(c->st, name);
    double saved = state_host_saved(c->st, name), w = next - now;
    double most = c->o->max_retry_after;
    const char *where;
    sbuf path = {0};
    if (w <= 0)
        return 0;
    if (c->o->delay > most)
        most = c->o->delay;
    if (c->o->max_crawl_delay > most)
        most = c->o->max_crawl_delay;
    if (c->o->dry_run)
        where = "the state";
    else {
        sbuf_addf(&path, "%s/crawl-state/%s/hosts", c->o->corpus_dir,
                  profile_name(c->p));
        where = path.s;
    }
    if (saved > now + CLOCK_SLACK)
        host_notice(c, name,
                    "the next request time saved in %s was saved %.0f s in "
                    "the future: the clock was changed, or the state comes "
                    "from elsewhere; ignored",
                    where, saved - now);
    else if (w > most + CLOCK_SLACK)
        host_notice(c, name,
                    "the next request time saved in %s is %.0f s ahead, "
                    "more than the crawler ever waits (%.0f s): the clock "
                    "was changed, or the state comes from elsewhere; "
                    "ignored",
                    where, w, most);
    else {
        if (w > c->o->delay + CLOCK_SLACK)
            host_notice(c, name,
                        "not asked before %.0f s from now, the time the "
                        "last run saved in %s (a Retry-After, a "
                        "Crawl-delay); waiting",
                        w, where);
        sbuf_free(&path);
        return w;
    }
    sbuf_free(&path);
    return 0;
}

static host *get_host(crawler *c, const char *url)
{
    char name[512];
    host *h;
    if (url_host(url, name, sizeof name))
        return NULL;
    for (size_t i = 0; i < c->nhosts; i++)
        if (!strcmp(c->hosts[i]->name, name))
            return c->hosts[i];
    h = xcalloc(1, sizeof *h);
    h->name = xstrdup(name);
    h->scheme = xstrndup(url, (size_t)(strstr(url, "://") - url));
    h->delay = c->o->delay;
    h->next_at = tt_now() + saved_wait(c, name);
    xgrow(&c->hosts, &c->hostcap, c->nhosts + 1, sizeof *c->hosts);
    c->hosts[c->nhosts++] = h;
    return h;
}

static void item_free(item *it);

static void free_hosts(crawler *c)
{
    for (size_t i = 0; i < c->nhosts; i++) {
        item_free(c->hosts[i]->rhop);
        robots_free(c->hosts[i]->rb);
        free(c->hosts[i]->name);
        free(c->hosts[i]->scheme);
        free(c->hosts[i]);
    }
    free(c->hosts);
}

static void save_hosts(crawler *c)
{
    double now = tt_now(), wn = wall_now();
    for (size_t i = 0; i < c->nhosts; i++) {
        host *h = c->hosts[i];
        state_set_host_next(c->st, h->name,
                            h->next_at > now ? wn + (h->next_at - now) : wn);
    }
}

/* ---- the window ---- */

static void win_remove(crawler *c, item *it)
{
    if (!it->in_win)
        return;
    it->in_win = 0;
    if (it->why)
        c->nparked--;
    if (it->prev)
        it->prev->next = it->next;
    else
        c->head = it->next;
    if (it->next)
        it->next->prev = it->prev;
    else
        c->tail = it->prev;
    c->nwin--;
}

static void item_free(item *it)
{
    if (!it)
        return;
    free(it->url);
    free(it->qurl);
    free(it->id);
    free(it->why);
    free(it);
}

/* Whether a feed or sitemap date says article key changed since its last
 * fetch (at done_time).  has_date: 0 none, 1 a time, DATE_DAY a day
 * without a time (date its midnight on the site's clock): an edit of the
 * day of the last fetch or later, which may be after the fetch, so the
 * article is fetched again; and, not to fetch it every night after, the
 * fetch it leads to counts as one at the end of that day (day_done).  A
 * date later than now (dated_ahead) is a change too, once: that fetch
 * counts as one at that date. */
enum { DATE_DAY = 2 };
#define FUTURE_SLACK 3600.0 /* a date ahead of the clock by more is said */

static int push(crawler *c, int kind, int depth, const char *url);

/* Time t as the state keeps times: UINT32_MAX (2106) for any later. */
static uint32_t clamp_time(int64_t t)
{
    return t < UINT32_MAX ? (uint32_t)t : UINT32_MAX;
}

/* The fetch of article key this run counts as one at until (later than
 * the fetch), for ahead (a date in the future, or 0); 0 when a date
 * noted so already. */
static int done_at(crawler *c, uint64_t key, int64_t until, int64_t ahead)
{
    if (!u64set_add(&c->day_keys, key))
        return 0;
    xgrow(&c->days, &c->daycap, c->ndays + 1, sizeof *c->days);
    c->days[c->ndays].key = key;
    c->days[c->ndays].until = clamp_time(until);
    c->days[c->ndays++].ahead = clamp_time(ahead);
    return 1;
}

/* What done_at noted for key this run, or NULL. */
static const struct dayref *day_ref(const crawler *c, uint64_t key)
{
    if (!u64set_has(&c->day_keys, key))
        return NULL;
    for (size_t i = 0; i < c->ndays; i++)
        if (c->days[i].key == key)
            return &c->days[i];
    return NULL;
}

/* A sitemap or feed dates article key (at url) later than now: a site's
 * clock, or its data, is wrong.  The fetch it leads to counts as one at
 * that date (day_done), and a failed one as tried for it (defer,
 * left_alone), so the date does not bring the article back every run
 * until then; said (once a run), unless it is ahead by no more than
 * FUTURE_SLACK (a clock a little fast). */
static void dated_ahead(crawler *c, uint64_t key, const char *url,
                        int has_date, int64_t date)
{
    double now = wall_now();
    char iso[32];
    if (!has_date || (double)date <= now ||
        !done_at(c, key, has_date == DATE_DAY ? date + 86400 : date, date) ||
        (double)date <= now + FUTURE_SLACK)
        return;
    c->s->future_dates++;
    date_format_iso(date, profile_offset(c->p), iso);
    if (has_date == DATE_DAY)
        iso[10] = '\0';
    report(c, url,
           "a sitemap or feed dates it %s, a date in the future: fetched "
           "once for that date, not again before a later one",
           iso);
}

static int changed_since(crawler *c, uint64_t key, const char *url,
                         int has_date, int64_t date, uint32_t done_time)
{
    int64_t off = (int64_t)profile_offset(c->p) * 60, local, fetch_day;
    if (state_unstored_stale(c->st, key, c->reading.profile)) {
        c->s->requeued++; /* no article to another profile: maybe to this */
        return 1;
    }
    if (!has_date)
        return 0;
    if (date > UINT32_MAX)
        date = UINT32_MAX; /* the latest a fetch can count as (done_at) */
    if (has_date != DATE_DAY) {
        if (date <= (int64_t)done_time)
            return 0;
        dated_ahead(c, key, url, has_date, date);
        return 1;
    }
    local = (int64_t)done_time + off;
    fetch_day = (local - ((local % 86400) + 86400) % 86400) - off;
    if (date < fetch_day)
        return 0;
    dated_ahead(c, key, url, has_date, date);
    done_at(c, key, date + 86400, 0);
    return 1;
}

/* When article key, fetched now, counts as fetched: the end of the day of
 * the date-only lastmod that queued it, or the date in the future that
 * did, when later (changed_since, dated_ahead). */
static uint32_t day_done(const crawler *c, uint64_t key, uint32_t now)
{
    const struct dayref *d = day_ref(c, key);
    return d && d->until > (int64_t)now ? (uint32_t)d->until : now;
}

/* Pages given up as no article under another profile (docs/CRAWLER.md,
 * "Faults"): the operator may have fixed the profile after a redesign, so
 * they are queued again, once for each profile.  Those kept by an older
 * version, without their URL, come back when a page lists them
 * (changed_since): the first run after it reads every hub in full. */
static void requeue_page(void *arg, uint64_t key, const char *url)
{
    crawler *c = arg;
    char id[ARTICLE_MAX_ID + 1];
    state_url su;
    state_get(c->st, key, &su);
    if (su.seen_run == (uint16_t)state_run(c->st) ||
        state_given_up(c->st, key, NULL) ||
        classify(c, url, id, sizeof id) != PK_ARTICLE ||
        article_key(id) != key || push(c, SK_REFRESH, 0, url))
        return; /* queued already, or out of scope now */
    state_set_seen(c->st, key);
    c->s->requeued++;
}

static void requeue_unstored(crawler *c)
{
    c->s->legacy_unstored = state_unstored_legacy(c->st);
    c->legacy = c->s->legacy_unstored > 0;
    state_each_stale_page(c->st, c->reading.profile, requeue_page, c);
}

/* Article key marked done by an earlier run and lost from the corpus
 * since (only looked for when the run found such marks: c->restore). */
static int lost(const crawler *c, uint64_t key, const state_url *su)
{
    return c->restore && su->done_run &&
           su->done_run != (uint16_t)state_run(c->st) &&
           !u64set_has(&c->held, key) && !state_unstored(c->st, key);
}

static int add_held(void *arg, const char *id)
{
    u64set_add(arg, article_key(id));
    return 0;
}

static int not_held(void *arg, uint64_t key)
{
    return !u64set_has(arg, key);
}

/* A corpus restored from a backup older than its crawl state (or without
 * it): marks say done for articles it does not hold, and the seeds'
 * validators would hide them for good.  When there are such marks, this
 * run reads every hub in full and queues again the articles found
 * lost. */
static void check_restore(crawler *c)
{
    double t0 = tt_now();
    if (!c->cp)
        return;
    corpus_each_known_id(c->cp, add_held, &c->held);
    c->restore = state_done_keys(c->st, not_held, &c->held) > 0;
    if (!c->restore)
        u64set_free(&c->held); /* (4 MB for 200,000 ids) */
    c->s->missing_check_secs = tt_now() - t0;
}

/* The entry is over.  done: mark its key done (it will not be fetched
 * again this run, or ever for an article), and forget any date in the
 * future its failures were tried for (defer): the done mark says it. */
static void finish(crawler *c, item *it, int done)
{
    if (done && !it->robots) {
        state_set_done(c->st, it->key,
                       is_article_kind(it->kind)
                           ? day_done(c, it->key, (uint32_t)wall_now())
                           : (uint32_t)wall_now());
        state_forget_ahead(c->st, it->key);
    }
    if (it->in_queue)
        state_finish(c->st, it->off);
    win_remove(c, it);
    item_free(it);
}

/* Worth another try tomorrow: into the state's deferred list (once a
 * run), the URL as queued (after a redirect the new one would do as
 * well), with the runs in a row it has been deferred.  Unless that makes
 * give_up_after runs: then it is given up on (a seed never is: it is
 * queued every run anyway), and 1 is returned.  The caller finishes it
 * without marking it done.  A date in the future that queued it is
 * noted with it: tried for, so no reason to bring it back once given
 * up (left_alone). */
static int defer(crawler *c, item *it)
{
    tt_err e;
    const char *url = it->qurl ? it->qurl : it->url;
    const struct dayref *d = day_ref(c, it->key);
    unsigned runs = it->deferred + 1;
    if (it->robots || state_deferred(c->st, it->key) ||
        state_given_up(c->st, it->key, NULL))
        return 0;
    if (d && d->ahead)
        state_set_ahead(c->st, it->key, (uint32_t)d->ahead);
    if (c->give_up_after && runs >= c->give_up_after &&
        !u64set_has(&c->seeds, it->key)) {
        state_give_up(c->st, it->key, (uint32_t)wall_now(), url);
        c->s->given_up++;
        return 1;
    }
    if (state_defer(c->st, it->key, it->kind, it->depth, url, runs, &e) ==
        TT_OK)
        c->s->left++;
    return 0;
}

/* Given up: counted as an error.  done > 0: marked done (not an
 * article, redirected out of scope: nothing to ask again); 0: deferred
 * to the next run, and so given up on after give_up_after runs in a row
 * (timeouts, 5xx, 429, truncated, 4xx, too big, neither HTML nor a feed);
 * < 0: neither (a request that could not be made). */
static void give_up(crawler *c, item *it, int done, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void give_up(crawler *c, item *it, int done, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->s->errors++;
    c->s->revisit_failed += it->kind == SK_REVISIT;
    if (done == 0 && defer(c, it))
        report(c, it->url, "%s; failed %u run%s in a row: given up", msg,
               it->deferred + 1, it->deferred ? "s" : "");
    else
        report(c, it->url, "%s", msg);
    if (done > 0) /* done without a record of its own */
        state_unstore(c->st, it->key);
    finish(c, it, done > 0);
}

/* ---- queueing ---- */

static int push(crawler *c, int kind, int depth, const char *url)
{
    tt_err e;
    if (state_push(c->st, kind, depth, url, &e) != TT_OK) {
        if (e.code == TT_EIO && !c->err.code)
            c->err = e;
        return -1;
    }
    c->queue_done = 0;
    return 0;
}

/* Whether key, given up on, is left alone when found (dated date, has_date
 * 0 for none): unless the site dates it later than it was given up, and
 * than any date in the future it was tried for (defer, enqueue): one is
 * no promise of a change (dated_ahead), so it brings the URL back once,
 * not every run until that date comes.  Or the operator asks it back. */
static int left_alone(crawler *c, uint64_t key, int pk, int has_date,
                      int64_t date)
{
    uint32_t when;
    if (c->seeding || !state_given_up(c->st, key, &when) ||
        (pk == PK_ARTICLE && u64set_has(&c->undel, key)))
        return 0;
    return !has_date || date <= (int64_t)when ||
           clamp_time(date) <= state_ahead(c->st, key);
}

/* Queue url (normalised, in scope) found with classification pk.  Returns
 * 1 when a new article was queued. */
static int enqueue(crawler *c, const char *url, int pk, int depth,
                   int has_date, int64_t date)
{
    char id[ARTICLE_MAX_ID + 1];
    state_url su;
    uint64_t key;
    int kind;
    unsigned run = state_run(c->st);
    if (pk == PK_ARTICLE) {
        if (classify(c, url, id, sizeof id) != PK_ARTICLE)
            return 0;
        if (c->o->has_since && has_date && date < c->o->since)
            return 0;
        key = article_key(id);
        state_get(c->st, key, &su);
        if (su.seen_run == (uint16_t)run ||
            left_alone(c, key, pk, has_date, date))
            return 0;
        if (lost(c, key, &su)) {
            kind = SK_REFRESH; /* fetched before, lost since */
            c->s->missing++;
        } else if (u64set_has(&c->undel, key)) {
            kind = SK_REFRESH; /* taken down, asked back: fetched again */
        } else if (su.done_run) {
            if (!changed_since(c, key, url, has_date, date, su.done_time))
                return 0;
            kind = SK_REFRESH;
        } else {
            kind = SK_ARTICLE;
            dated_ahead(c, key, url, has_date, date);
        }
    } else {
        key = url_key(c, url);
        state_get(c->st, key, &su);
        if (su.seen_run == (uint16_t)run ||
            left_alone(c, key, pk, has_date, date))
            return 0;
        kind = pk == PK_PAGINATE ? SK_PAGINATE
               : pk == PK_SITEMAP ? SK_SITEMAP
                                  : SK_HUB;
        if (kind != SK_PAGINATE)
            depth = 0; /* a listing page's: its place in the listing */
    }
    if (c->seeding) {
        /* a seed is read every run, given up on or not */
        c->nseeds += (size_t)u64set_add(&c->seeds, key);
        state_forget_given_up(c->st, key);
    } else if (state_given_up(c->st, key, NULL)) {
        /* not left alone: another chance */
        state_forget_given_up(c->st, key);
        if (has_date && (double)date > wall_now())
            state_set_ahead(c->st, key, clamp_time(date));
    }
    if (push(c, kind, depth, url))
        return 0;
    state_set_seen(c->st, key);
    return kind == SK_ARTICLE || kind == SK_REFRESH;
}

/* Seeds: every run reads them again (conditional GET makes it cheap). */
static void queue_seeds(crawler *c)
{
    c->seeding = 1;
    for (size_t i = 0; i < profile_nseeds(c->p); i++) {
        const char *u = profile_seed(c->p, i);
        char id[ARTICLE_MAX_ID + 1];
        int pk = classify(c, u, id, sizeof id);
        if (pk == PK_OUT)
            pk = PK_HUB;
        if (pk == PK_HUB && (strstr(u, "sitemap") || strstr(u, ".xml")))
            pk = PK_SITEMAP;
        enqueue(c, u, pk, 0, 0, 0);
    }
    c->seeding = 0;
}

/* Who holds article it->id in the corpus: 0 nobody (or a dry run, or
 * deleted and --undelete names it), 1 this site (or an article stored
 * without a source), -1 another site, -2 nobody: deleted (a takedown).
 * Ids are one namespace for all the sites of a corpus, so another site's
 * article is neither fetched again nor replaced: the entry is given up on
 * as a failure of this run (an error, deferred, and so given up on after
 * give_up_after runs in a row), naming both sites and the remedy.  A
 * deleted one is finished, said (taken_down). */
static void taken_down(crawler *c, item *it);

static int id_holder(crawler *c, item *it)
{
    sbuf src = {0}, url = {0};
    int r = 0, has = store_has(c->sto, it->id, &src, &url);
    if (has == STORE_DELETED) {
        if (u64set_has(&c->undel, it->key))
            return 0;
        taken_down(c, it);
        return -2;
    }
    if (has) {
        r = 1;
        if (src.len && strcmp(src.s, profile_name(c->p))) {
            r = -1;
            c->s->id_conflicts++;
            give_up(c, it, 0,
                    "not stored: its id %s is that of site %s's article %s "
                    "in the corpus (article ids are one namespace for a "
                    "corpus's sites: give profile %s an id_prefix, "
                    "docs/CRAWLER.md)",
                    it->id, src.s, url.len ? url.s : "(no URL)",
                    profile_name(c->p));
        }
    }
    sbuf_free(&src);
    sbuf_free(&url);
    return r;
}

/* Article it is deleted in the corpus (timtin-corpus delete: taken down)
 * and no --undelete names it: not fetched (or, learnt after a redirect,
 * not fetched further), never stored again whatever the crawl meets (its
 * state lost, a later lastmod, a link, a redirect); counted, said, and
 * done. */
static void taken_down(crawler *c, item *it)
{
    c->s->deleted++;
    host_notice(c, it->url,
                "article %s is deleted in the corpus (timtin-corpus "
                "delete): not fetched, not stored (--undelete %s stores it "
                "again)",
                it->id, it->id);
    finish(c, it, 1);
}

/* Left for the next run, as queued: out of the window, its queue entry
 * not finished (so not counted against it either). */
static void leave(crawler *c, item *it)
{
    win_remove(c, it);
    item_free(it);
    c->s->left++;
}

/* Move queue entries into the window. */
static void fill(crawler *c)
{
    unsigned run = state_run(c->st);
    while (c->nwin < WINDOW && !c->err.code) {
        state_item si;
        tt_err e;
        item *it;
        state_url su;
        char id[ARTICLE_MAX_ID + 1];
        int r = state_pop(c->st, &si, &e);
        if (r < 0) {
            c->err = e;
            return;
        }
        if (r == 0) {
            c->queue_done = 1;
            return;
        }
        it = xcalloc(1, sizeof *it);
        it->kind = si.kind;
        it->depth = si.depth;
        it->url = si.url;
        it->qurl = xstrdup(si.url);
        it->off = si.off;
        it->deferred = si.deferred;
        it->in_queue = 1;
        /* into the window first: finish() takes it out again */
        it->prev = c->tail;
        if (c->tail)
            c->tail->next = it;
        else
            c->head = it;
        c->tail = it;
        it->in_win = 1;
        c->nwin++;
        /* queued (or deferred) under another scope: another --base-url, a
         * host or skip line since removed or added, another profile */
        if (!profile_in_scope(c->p, it->url) ||
            (is_article_kind(it->kind) &&
             classify(c, it->url, id, sizeof id) != PK_ARTICLE)) {
            c->s->out_of_scope++;
            if (c->o->verbose)
                report(c, it->url, "out of scope now: dropped");
            finish(c, it, 0);
            continue;
        }
        if (it->kind == SK_REVISIT && !c->revisits_queued &&
            c->revisits_early >= per_run(c)) {
            finish(c, it, 0); /* revisits off now, or fewer: due still */
            continue;
        }
        if (is_article_kind(it->kind)) {
            it->id = xstrdup(id);
            it->key = article_key(id);
        } else {
            it->key = url_key(c, it->url);
        }
        state_get(c->st, it->key, &su);
        if ((it->kind == SK_ARTICLE
                 ? su.done_run != 0
                 : su.done_run == (uint16_t)run) ||
            state_deferred(c->st, it->key) ||
            state_given_up(c->st, it->key, NULL)) {
            /* done, left for the next run already, or given up on */
            finish(c, it, 0);
            continue;
        }
        if (is_article_kind(it->kind)) {
            int holder = id_holder(c, it);
            if (holder < 0)
                continue; /* another site's id, or deleted */
            if (holder > 0 && it->kind == SK_ARTICLE) {
                finish(c, it, 1); /* stored by a run whose mark was lost */
                continue;
            }
        }
        {
            int dup = 0;
            for (item *o = c->head; o && o != it && !dup; o = o->next)
                dup = o->key == it->key;
            if (dup) {
                finish(c, it, 0);
                continue;
            }
        }
        it->h = get_host(c, it->url);
        if (!it->h) {
            finish(c, it, 0);
            continue;
        }
        if (it->h->rstate == RB_ABANDONED) {
            leave(c, it); /* stays in the queue for the next run */
            continue;
        }
        if (it->kind == SK_REVISIT && !c->revisits_queued)
            c->revisits_early++; /* of this run's revisit_per_run */
    }
}

/* ---- starting requests ---- */

/* The validators of the page article it was stored from (the response
 * record its latest version names: corpus_get_page), for a conditional
 * revisit: an unchanged page costs a 304.  None (an imported article, a
 * purged response): a plain GET, its article compared with the stored
 * one. */
static void revisit_validators(crawler *c, const item *it, sbuf *etag,
                               sbuf *lm)
{
    sbuf block = {0};
    if (store_response(c->sto, it->id, &block)) {
        pageread_block(block.s, block.len, "ETag", etag, NULL, NULL);
        pageread_block(block.s, block.len, "Last-Modified", lm, NULL, NULL);
    }
    sbuf_free(&block);
}

static void start(crawler *c, item *it)
{
    const char *etag = NULL, *lm = NULL;
    sbuf ve = {0}, vl = {0};
    tt_err e;
    double now = tt_now();
    if (!is_article_kind(it->kind) && !it->robots && !c->restore &&
        !c->legacy)
        state_validators(c->st, it->key, &c->reading, &etag, &lm);
    if (it->kind == SK_REVISIT && !it->hops) {
        revisit_validators(c, it, &ve, &vl);
        etag = ve.len ? ve.s : NULL;
        lm = vl.len ? vl.s : NULL;
    }
    if (fetch_add(c->f, it->url, etag, lm, it, &e) != TT_OK) {
        sbuf_free(&ve);
        sbuf_free(&vl);
        give_up(c, it, -1, "%s", e.msg);
        return;
    }
    sbuf_free(&ve);
    sbuf_free(&vl);
    it->inflight = 1;
    c->inflight++;
    it->h->active++;
    if (it->h->delay > 0 && it->h->next_at < now + it->h->delay)
        it->h->next_at = now + it->h->delay;
    if (!it->robots)
        c->started++;
}

static void start_robots(crawler *c, host *h)
{
    item *it = xcalloc(1, sizeof *it);
    sbuf u = {0};
    sbuf_addf(&u, "%s://%s/robots.txt", h->scheme, h->name);
    it->url = sbuf_detach(&u, NULL);
    it->robots = 1;
    it->h = h;
    h->rstate = RB_FETCHING;
    start(c, it);
}

/* The host is left alone for the rest of the run: its URLs stay queued,
 * as they are (what is under way ends; a failure of it is left too). */
static void abandon(crawler *c, host *h, const char *why)
{
    h->rstate = RB_ABANDONED;
    c->abandoned = 1;
    for (item *it = c->head, *n; it; it = n) {
        n = it->next;
        if (it->h == h && !it->inflight)
            leave(c, it);
    }
    c->s->errors++;
    host_notice(c, h->name, "%s; its URLs stay queued for the next run", why);
}

/* Say, once, that a signal is being obeyed: what the crawl still waits
 * for, and how to stop it at once (a second signal). */
static void stop_notice(crawler *c)
{
    if (c->o->quiet || c->inflight == 0)
        return;
    if (c->o->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr,
            "%s: stopping: waiting for %zu request%s under way (interrupt "
            "again to stop now)\n",
            tt_progname(), c->inflight, c->inflight == 1 ? "" : "s");
}

/* robots.txt forbids seed it: noted, with its host (once). */
static void seed_shut(crawler *c, const item *it)
{
    const char *name = it->h->name;
    size_t n = strlen(name);
    const char *p = c->shut_hosts.len ? c->shut_hosts.s : "";
    if (!u64set_add(&c->seeds_shut, it->key))
        return;
    for (const char *q = p; (q = strstr(q, name)) != NULL; q += n)
        if ((q == p || q[-1] == ' ') && (q[n] == ',' || q[n] == '\0'))
            return;
    if (c->shut_hosts.len)
        sbuf_adds(&c->shut_hosts, ", ");
    sbuf_adds(&c->shut_hosts, name);
}

/* At the end of a run: robots.txt forbade every seed, so nothing could
 * be read (what it forbids is carried to the next run, but a site that
 * shuts the crawler out for good must not look like a quiet night): an
 * error, said once, naming the hosts. */
static void shut_out(crawler *c)
{
    size_t shut = c->seeds_shut.n + (size_t)c->seeds_shut.has0;
    if (!c->nseeds || shut < c->nseeds)
        return;
    c->s->errors++;
    if (c->o->quiet)
        return;
    if (c->o->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr,
            "%s: %s: robots.txt forbids every seed (%zu of %zu): nothing "
            "could be read; what is queued stays queued for the next run "
            "(\"robots.txt now forbids us\" in docs/cron.md)\n",
            tt_progname(), c->shut_hosts.s, shut, c->nseeds);
}

/* Start what may start now; returns how long to wait for the next thing
 * that could become ready. */
static double schedule(crawler *c)
{
    double now = tt_now(), wait = 0.5;
    int stopping = stop_requested ||
                   (c->o->max_pages && c->started >= c->o->max_pages) ||
                   c->err.code;
    size_t avail = 0;
    if (stopping)
        return wait;
    /* hosts that could take a request: when none can, the window need not
     * be scanned (it is, once per finished transfer) */
    for (size_t i = 0; i < c->nhosts; i++) {
        host *h = c->hosts[i];
        if (h->active >= c->o->connections ||
            (h->rstate == RB_FETCHING && !h->rhop) ||
            h->rstate == RB_ABANDONED)
            continue;
        if (h->next_at > now) {
            if (h->next_at - now < wait)
                wait = h->next_at - now;
            continue;
        }
        if (h->rhop) {
            /* robots.txt's redirect hop, now that its turn has come */
            item *hop = h->rhop;
            h->rhop = NULL;
            start(c, hop);
            continue;
        }
        avail++;
    }
    if (avail == 0)
        return wait;
    for (item *it = c->head, *n; it && avail; it = n) {
        host *h = it->h;
        n = it->next;
        /* cheap tests first: this runs after every finished transfer */
        if (it->inflight || it->why || h->active >= c->o->connections ||
            now < h->next_at || h->rstate == RB_FETCHING)
            continue;
        if (c->o->max_pages && c->started >= c->o->max_pages)
            break;
        if (it->not_before > now) {
            if (it->not_before - now < wait)
                wait = it->not_before - now;
            continue;
        }
        if (h->rstate == RB_NONE ||
            (h->rstate == RB_OK && now - h->robots_at > ROBOTS_TTL) ||
            (h->rstate == RB_UNREACHABLE && now >= h->rretry_at)) {
            if (now >= h->next_at) {
                start_robots(c, h);
                avail--; /* its host waits for robots.txt now */
            }
            continue;
        }
        if (h->rstate == RB_UNREACHABLE) {
            if (h->rretry_at - now < wait)
                wait = h->rretry_at - now;
            continue;
        }
        if (h->rstate == RB_ABANDONED)
            continue;
        if (!robots_allowed(h->rb, url_path(it->url))) {
            /* not now, but not never: a robots.txt that forbids all for
             * a night must not lose what was queued */
            c->s->robots_blocked++;
            if (u64set_has(&c->seeds, it->key))
                seed_shut(c, it);
            if (defer(c, it))
                report(c, it->url,
                       "disallowed by robots.txt %u run%s in a row: given up",
                       it->deferred + 1, it->deferred ? "s" : "");
            else if (c->o->verbose)
                report(c, it->url, "disallowed by robots.txt");
            finish(c, it, 0);
            continue;
        }
        start(c, it);
        if (h->active >= c->o->connections || h->next_at > now)
            avail--;
    }
    return wait < 0.001 ? 0.001 : wait;
}

/* ---- outcomes ---- */

/* The parked items of h (of every host: NULL) failed after all: their
 * host answered since, or the run ends. */
static void unpark(crawler *c, const host *h)
{
    for (item *it = c->head, *n; it && c->nparked; it = n) {
        n = it->next;
        if (it->why && (!h || it->h == h)) {
            char *why = it->why;
            it->why = NULL;
            c->nparked--;
            give_up(c, it, 0, "%s", why);
            free(why);
        }
    }
}

/* Count a page request's outcome toward its host's failures in a row: a
 * URL counts once in a run of them; any other answer ends the run (and
 * what was parked in it failed).  1 when HOST_FAILS URLs have failed in
 * a row: the host is left alone for this run, it with its other URLs. */
static int host_failing(crawler *c, item *it, const fetch_result *r)
{
    host *h = it->h;
    int st = (int)r->status;
    sbuf why = {0};
    if (!((r->error != FETCH_OK && r->error != FETCH_ETOOBIG) ||
          (r->error == FETCH_OK && (st == 429 || st >= 500)))) {
        h->fails = 0;
        h->streak++;
        unpark(c, h);
        return 0;
    }
    if (it->streak != h->streak + 1) {
        it->streak = h->streak + 1;
        h->fails++;
    }
    if (h->fails < HOST_FAILS)
        return 0;
    sbuf_addf(&why, "%d URLs in a row failed (the last: ", h->fails);
    if (r->error != FETCH_OK)
        sbuf_adds(&why, r->errmsg);
    else
        sbuf_addf(&why, "HTTP %d", st);
    sbuf_adds(&why, "), none answering between: left alone for this run");
    abandon(c, h, why.s);
    sbuf_free(&why);
    return 1;
}

/* A 429 or 5xx whose Retry-After is longer than the crawler waits
 * (max_retry_after): the host asks not to be asked again in this run.
 * 1, and why (what the answer was) completed, when so. */
static int too_long(crawler *c, const fetch_result *r, char *why, size_t cap)
{
    size_t n = strlen(why);
    if (r->error != FETCH_OK || !(r->status == 429 || r->status >= 500) ||
        !(r->retry_after > c->o->max_retry_after))
        return 0;
    snprintf(why + n, cap - n,
             " with Retry-After %.0f s, longer than the crawler waits "
             "(%.0f s): left alone for this run",
             r->retry_after, c->o->max_retry_after);
    return 1;
}

/* Try again later; after the retries, parked (unpark).  (A Retry-After
 * over max_retry_after has stopped the host before: too_long.) */
static void retry(crawler *c, item *it, double retry_after, const char *why)
{
    double wait;
    it->tries++;
    if (it->tries > c->o->retries) {
        /* parked: failed, unless its host is failing as a whole */
        sbuf m = {0};
        sbuf_addf(&m, "%s (gave up after %d attempt%s)", why, it->tries,
                  it->tries == 1 ? "" : "s");
        it->why = sbuf_detach(&m, NULL);
        c->nparked++;
        return;
    }
    wait = c->o->retry_base * (double)(1u << (it->tries - 1)) * jitter(c);
    if (retry_after > wait)
        wait = retry_after;
    it->not_before = tt_now() + wait;
    c->s->retries++;
    if (c->o->verbose)
        report(c, it->url, "%s; retry %d in %.1f s", why, it->tries, wait);
}

static void robots_done(crawler *c, item *it, fetch_result *r)
{
    host *h = it->h;
    double now = tt_now();
    int st = (int)r->status;
    if (r->error == FETCH_OK && st >= 300 && st < 400 && r->location &&
        it->hops < MAX_HOPS) {
        /* follow: another request, started by schedule() when the host's
         * delay has passed; the host still waits for its robots.txt */
        item *n = xcalloc(1, sizeof *n);
        n->url = xstrdup(r->location);
        n->robots = 1;
        n->h = h;
        n->hops = it->hops + 1;
        item_free(it);
        h->rhop = n;
        return;
    }
    if (r->error != FETCH_OK || st >= 500 || st == 429) {
        char why[300];
        if (r->error != FETCH_OK)
            snprintf(why, sizeof why, "robots.txt unreachable (%s)", r->errmsg);
        else
            snprintf(why, sizeof why, "robots.txt answered %d", st);
        h->rtries++;
        robots_free(h->rb);
        h->rb = robots_disallow_all();
        if (too_long(c, r, why, sizeof why) || h->rtries >= c->o->robots_tries) {
            item_free(it);
            abandon(c, h, why);
            return;
        }
        h->rstate = RB_UNREACHABLE;
        h->rretry_at = now + c->o->robots_retry *
                                 (double)(1u << (h->rtries - 1)) * jitter(c);
        if (r->retry_after > 0 && now + r->retry_after > h->rretry_at)
            h->rretry_at = now + r->retry_after;
        if (c->o->verbose)
            report(c, it->url, "%s; asking again in %.1f s", why,
                   h->rretry_at - now);
        item_free(it);
        return;
    }
    robots_free(h->rb);
    if (st >= 200 && st < 300) {
        double cd;
        h->rb = robots_parse(r->body, r->body_len, AGENT_TOKEN);
        cd = robots_crawl_delay(h->rb);
        if (cd > c->o->max_crawl_delay)
            cd = c->o->max_crawl_delay;
        h->delay = cd > c->o->delay ? cd : c->o->delay;
        /* the request that read it counts: the first page waits too */
        if (h->delay > 0 && h->next_at < now + h->delay)
            h->next_at = now + h->delay;
        for (size_t i = 0; i < robots_nsitemaps(h->rb); i++) {
            sbuf u = {0};
            const char *sm = robots_sitemap(h->rb, i);
            if (profile_link(c->p, it->url, sm, strlen(sm), &u) == 0)
                enqueue(c, u.s, PK_SITEMAP, 0, 0, 0);
            sbuf_free(&u);
        }
    } else {
        h->rb = robots_allow_all(); /* 4xx, or too many redirects */
    }
    h->rstate = RB_OK;
    h->robots_at = now;
    h->rtries = 0;
    item_free(it);
}

/* The WARC response block: the header block with the body as stored
 * (decoded), so Content-Encoding, Transfer-Encoding and Content-Length
 * are kept as X-Crawler-* and a true Content-Length is added. */
static void make_block(const fetch_result *r, sbuf *b)
{
    const char *p = r->headers, *end = r->headers + r->headers_len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t len = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);
        size_t n = len;
        while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
            n--;
        if (n == 0)
            break; /* the blank line */
        if (!strncasecmp(p, "Content-Encoding:", 17) ||
            !strncasecmp(p, "Transfer-Encoding:", 18) ||
            !strncasecmp(p, "Content-Length:", 15))
            sbuf_adds(b, "X-Crawler-");
        sbuf_add(b, p, n);
        sbuf_adds(b, "\r\n");
        p += len;
    }
    sbuf_addf(b, "Content-Length: %zu\r\n\r\n", r->body_len);
    sbuf_add(b, r->body, r->body_len);
}

/* Hand the article extracted from a page to the writer thread. */
static void hand_over(crawler *c, item *it, fetch_result *r, article *a)
{
    sbuf block = {0};
    size_t len;
    char *p;
    make_block(r, &block);
    p = sbuf_detach(&block, &len);
    if (it->kind == SK_REVISIT)
        store_put_revisit(c->sto, a, it->url, p, len);
    else
        store_put(c->sto, a, it->url, p, len);
}

/* Whether article id was fetched by an earlier run (and not asked for
 * again since), or given up on: either way a listing of it brings
 * nothing new. */
static int done_before(crawler *c, const char *id)
{
    uint64_t key = article_key(id);
    state_url su;
    if (state_given_up(c->st, key, NULL))
        return 1;
    state_get(c->st, key, &su);
    return su.done_run && su.done_run != (uint16_t)state_run(c->st) &&
           !lost(c, key, &su) &&
           !state_unstored_stale(c->st, key, c->reading.profile);
}

/* Links of an HTML page into the queue.  Returns new articles queued.
 * Its listing pages are followed when it lists an article no earlier run
 * fetched: the newest ones, on the first page, are often queued already
 * (from the home page or a feed), and still mean the next page holds
 * more that are new.  At most max_listing_pages of them one after the
 * other (a listing page's depth is its place in the chain): a site whose
 * every page lists something new (a calendar, a generated archive) is
 * not followed for ever. */
static int html_links(crawler *c, item *it, dom_doc *d, int from_article,
                      int allow_paginate)
{
    strlist links = {0};
    sbuf base = {0}, u = {0};
    int fresh = 0, unseen = 0;
    char id[ARTICLE_MAX_ID + 1];
    strlist pages = {0};
    extract_links(d, &links);
    if (extract_base(d, &base)) {
        sbuf t = {0};
        if (url_resolve(it->url, base.s, base.len, NULL, &t) == TT_OK) {
            sbuf_free(&base);
            base = t;
        } else {
            sbuf_free(&t);
            sbuf_reset(&base);
        }
    }
    for (size_t i = 0; i < links.n; i++) {
        int pk, again = 0;
        /* menus repeat links: each distinct href once */
        for (size_t k = i; k-- > 0 && k + 64 > i && !again;)
            again = !strcmp(links.v[k], links.v[i]);
        if (again)
            continue;
        if (profile_link(c->p, base.len ? base.s : it->url, links.v[i],
                         strlen(links.v[i]), &u))
            continue;
        pk = classify(c, u.s, id, sizeof id);
        if (pk == PK_ARTICLE) {
            int depth = from_article ? it->depth + 1 : 0;
            if (depth <= profile_max_depth(c->p))
                fresh += enqueue(c, u.s, PK_ARTICLE, depth, 0, 0);
            unseen += allow_paginate && !done_before(c, id);
        } else if (from_article) {
            continue;
        } else if (pk == PK_PAGINATE) {
            strlist_push(&pages, u.s, u.len);
        } else if (pk == PK_HUB) {
            enqueue(c, u.s, PK_HUB, 0, 0, 0);
        }
    }
    /* listing pages only while listings bring something new */
    if (allow_paginate && unseen > 0 && pages.n) {
        int next = (it->kind == SK_PAGINATE ? it->depth : 0) + 1;
        int max = profile_max_listing_pages(c->p);
        if (next <= max)
            for (size_t i = 0; i < pages.n; i++)
                enqueue(c, pages.v[i], PK_PAGINATE, next, 0, 0);
        else if (max > 0)
            report(c, pages.v[0],
                   "not followed: %d listing pages read one after the "
                   "other (max_listing_pages); the next run reads the "
                   "listing again from its start",
                   max);
    }
    strlist_free(&pages);
    strlist_free(&links);
    sbuf_free(&base);
    sbuf_free(&u);
    return fresh;
}

static void feed_links(crawler *c, item *it, int kind, const feed_list *l)
{
    sbuf u = {0};
    char id[ARTICLE_MAX_ID + 1];
    for (size_t i = 0; i < l->n; i++) {
        const feed_entry *en = &l->v[i];
        if (profile_link(c->p, it->url, en->url, strlen(en->url), &u))
            continue;
        if (kind == FEED_SITEMAP_INDEX) {
            int64_t d;
            if (c->o->has_since) {
                if (profile_shard_date(c->p, u.s, &d) == 0 && d < c->o->since)
                    continue;
                if (en->has_date && en->date < c->o->since)
                    continue;
            }
            enqueue(c, u.s, PK_SITEMAP, 0, 0, 0);
            continue;
        }
        switch (classify(c, u.s, id, sizeof id)) {
        case PK_ARTICLE:
            enqueue(c, u.s, PK_ARTICLE, 0,
                    en->date_only ? DATE_DAY : en->has_date, en->date);
            break;
        case PK_HUB:
            enqueue(c, u.s, PK_HUB, 0, 0, 0);
            break;
        case PK_PAGINATE:
            enqueue(c, u.s, PK_PAGINATE, 1, 0, 0);
            break;
        default:
            /* a feed listing feeds (a feed index) */
            if (strstr(u.s, ".rss") || strstr(u.s, ".xml") ||
                strstr(u.s, "feed"))
                enqueue(c, u.s, PK_SITEMAP, 0, 0, 0);
            break;
        }
    }
    sbuf_free(&u);
}

/* A hub page was read, its links queued: its validators are kept for
 * tomorrow's conditional GET.  Only now: had reading failed, a 304
 * tomorrow would stand for a page never read. */
static void hub_read(crawler *c, item *it, const fetch_result *r)
{
    state_set_validators(c->st, it->key, r->etag, r->last_modified,
                         &c->reading);
    finish(c, it, 1);
}

/* The article of page d, fetched now from its URL; what extraction set
 * aside (a date that cannot be the article's, JSON-LD that does not
 * parse) is reported with the URL. */
static int extract(crawler *c, item *it, dom_doc *d, article *a, tt_err *e)
{
    strlist notes = {0};
    int rc = pageread_article(c->p, d, it->url, (int64_t)wall_now(), &notes,
                              a, e);
    for (size_t i = 0; i < notes.n; i++)
        report(c, it->url, "%s", notes.v[i]);
    strlist_free(&notes);
    return rc;
}

static void body_done(crawler *c, item *it, fetch_result *r)
{
    sbuf raw = {0};
    const char *body = r->body;
    size_t n = r->body_len;
    tt_err e;
    int art = is_article_kind(it->kind);
    if (feed_is_gzip(body, n)) {
        if (feed_gunzip(body, n, c->o->max_page_size * 8, &raw, &e)) {
            give_up(c, it, 0, "%s", e.msg);
            goto done;
        }
        body = raw.s;
        n = raw.len;
    }
    if (!art && feed_sniff(body, n)) {
        feed_list l = {0};
        int kind;
        if (feed_parse(body, n, profile_offset(c->p), &kind, &l, &e) !=
            TT_OK) {
            feed_list_free(&l);
            give_up(c, it, 0, "%s", e.msg);
            goto done;
        }
        feed_links(c, it, kind, &l);
        feed_list_free(&l);
        hub_read(c, it, r);
        goto done;
    }
    {
        dom_doc *d;
        int rc = pageread_html(r->content_type, body, n, it->url, &d, &e);
        if (rc == TT_ENOTFOUND) {
            give_up(c, it, 0, "neither HTML nor a feed (Content-Type: %s)",
                    r->content_type ? r->content_type : "none");
            goto done;
        }
        if (rc != TT_OK) {
            give_up(c, it, 0, "%s", e.msg);
            goto done;
        }
        if (!art) {
            html_links(c, it, d, 0, 1);
            dom_free(d);
            hub_read(c, it, r);
            goto done;
        }
        html_links(c, it, d, 1, 0);
        {
            article a;
            if (extract(c, it, d, &a, &e) != TT_OK) {
                uint64_t key = it->key;
                char *url = xstrdup(it->url);
                dom_free(d);
                give_up(c, it, 1, "not an article: %s", e.msg);
                /* to this profile: another may find one (requeue_page) */
                state_unstore_page(c->st, key, c->reading.profile, url);
                free(url);
                goto done;
            }
            a.id = xstrdup(it->id);
            hand_over(c, it, r, &a);
            article_free(&a);
            state_forget_unstored(c->st, it->key); /* an article at last */
            state_forget_withdrawn(c->st, it->key); /* back on the site */
        }
        dom_free(d);
        finish(c, it, 1); /* durable before the next checkpoint */
    }
done:
    sbuf_free(&raw);
}

static void redirect(crawler *c, item *it, fetch_result *r)
{
    sbuf u = {0};
    char id[ARTICLE_MAX_ID + 1];
    c->s->redirects++;
    if (++it->hops > MAX_HOPS) {
        give_up(c, it, 0, "more than %d redirects", MAX_HOPS);
        return;
    }
    if (profile_link(c->p, it->url, r->location, strlen(r->location), &u) ||
        !profile_in_scope(c->p, u.s)) {
        /* another host, or a page the profile skips */
        give_up(c, it, 1, "redirected out of scope to %s", r->location);
        sbuf_free(&u);
        return;
    }
    if (is_article_kind(it->kind) &&
        classify(c, u.s, id, sizeof id) == PK_ARTICLE &&
        strcmp(id, it->id)) {
        /* another article: keyed by the id it now has */
        state_url su;
        uint64_t k = article_key(id);
        state_get(c->st, k, &su);
        state_unstore(c->st, it->key); /* the record is the new id's */
        if (su.done_run) {
            c->s->revisit_unchanged += it->kind == SK_REVISIT;
            finish(c, it, 1);
            sbuf_free(&u);
            return;
        }
        state_set_done(c->st, it->key, (uint32_t)wall_now());
        free(it->id);
        it->id = xstrdup(id);
        it->key = k;
        free(it->url);
        it->url = sbuf_detach(&u, NULL);
        if (id_holder(c, it) < 0)
            return; /* another site's id, or deleted */
    } else {
        free(it->url);
        it->url = sbuf_detach(&u, NULL);
    }
    it->h = get_host(c, it->url);
    it->not_before = 0;
    if (!it->h)
        give_up(c, it, -1, "bad redirect target");
    else if (it->h->rstate == RB_ABANDONED)
        leave(c, it); /* the host is left alone for this run */
}

/* A 404 or 410 (st) for article it: withdrawn by the site when the
 * corpus holds it (live, this site's or nobody's).  Said once, naming
 * the id, and done: not asked for again unless the site dates it later.
 * Kept (an archive keeps what was published): an error of this run, so
 * that cron reads it once; or, for a 410 under withdrawn = delete, a
 * deletion marker (no error: the profile asked for it).  0 when the
 * corpus does not hold it: a failure as any other 4xx. */
static int withdrawn(crawler *c, item *it, int st)
{
    sbuf src = {0};
    int held = store_has(c->sto, it->id, &src, NULL) == 1 &&
               (!src.len || !strcmp(src.s, profile_name(c->p)));
    sbuf_free(&src);
    if (!held)
        return 0;
    c->s->revisit_withdrawn += it->kind == SK_REVISIT;
    state_set_withdrawn(c->st, it->key); /* left alone by revisits */
    if (st == 410 && profile_withdrawn_delete(c->p)) {
        store_delete(c->sto, it->id);
        c->s->withdrawn_deleted++;
        host_notice(c, it->url,
                    "HTTP 410: withdrawn by the site: article %s deleted "
                    "from the corpus (withdrawn = delete); timtin-index "
                    "removes it from the index",
                    it->id);
    } else {
        c->s->withdrawn++;
        c->s->errors++;
        host_notice(c, it->url,
                    "HTTP %d: withdrawn by the site: article %s is still in "
                    "the corpus and the index (to remove it: timtin-corpus "
                    "delete %s, then timtin-index); not asked for again "
                    "unless the site dates it later",
                    st, it->id, it->id);
    }
    finish(c, it, 1);
    return 1;
}

static void done_one(crawler *c, fetch_result *r)
{
    item *it = r->user;
    host *h = it->h;
    double now = tt_now();
    int st = (int)r->status;
    it->inflight = 0;
    c->inflight--;
    h->active--;
    if (h->delay > 0 && h->next_at < now + h->delay)
        h->next_at = now + h->delay;
    c->s->requests++;
    if (c->o->verbose && !c->o->quiet) {
        if (c->o->progress)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "%s: %3d %s%s%s\n", tt_progname(), st, r->url,
                r->error ? " — " : "", r->error ? r->errmsg : "");
    }
    if (it->robots) {
        if (h->rstate == RB_ABANDONED)
            item_free(it); /* (re-read after ROBOTS_TTL) too late */
        else
            robots_done(c, it, r);
        return;
    }
    {
        char why[200];
        snprintf(why, sizeof why, "HTTP %d", st);
        if (too_long(c, r, why, sizeof why)) {
            if (h->rstate != RB_ABANDONED)
                abandon(c, h, why); /* it with the others */
            else
                leave(c, it);
            return;
        }
    }
    if (h->rstate == RB_ABANDONED &&
        (r->error != FETCH_OK || st == 429 || st >= 500)) {
        leave(c, it); /* under way when its host was left alone */
        return;
    }
    if (h->rstate != RB_ABANDONED && host_failing(c, it, r))
        return; /* it left with the others */
    if (r->error != FETCH_OK) {
        if (r->error == FETCH_ETOOBIG) /* (the message names its limit) */
            give_up(c, it, 0, "%s", r->errmsg);
        else
            retry(c, it, -1, r->errmsg);
        return;
    }
    if (st == 429 || st == 503) {
        if (r->retry_after > 0 && h->next_at < now + r->retry_after &&
            r->retry_after <= c->o->max_retry_after)
            h->next_at = now + r->retry_after;
    }
    if (st >= 200 && st < 300) {
        c->s->pages++;
        body_done(c, it, r);
    } else if (st == 304) {
        c->s->not_modified++;
        c->s->revisit_unchanged += it->kind == SK_REVISIT;
        finish(c, it, 1);
    } else if (st >= 300 && st < 400 && r->location) {
        redirect(c, it, r);
    } else if (st == 429 || st >= 500) {
        char why[32];
        snprintf(why, sizeof why, "HTTP %d", st);
        retry(c, it, r->retry_after, why);
    } else if ((st == 404 || st == 410) && is_article_kind(it->kind) &&
               withdrawn(c, it, st)) {
        /* an article the corpus holds: withdrawn by the site */
    } else {
        /* 4xx: gone or refused.  Even 404 and 410 are carried like any
         * failure (a site's glitch mends), and so given up on after
         * give_up_after runs; an article's id may live on at another
         * URL: not marked done */
        give_up(c, it, 0, "HTTP %d", st);
    }
}

/* ---- the run ---- */

static void progress(crawler *c, int last)
{
    double now = tt_now(), secs = now - c->t0;
    store_counts sc;
    if (!c->o->progress || c->o->quiet)
        return;
    if (!last && now - c->last_progress < 0.5)
        return;
    c->last_progress = now;
    store_get_counts(c->sto, &sc);
    fprintf(stderr,
            "\r\033[Kpages %llu  articles %llu  errors %llu  %.0f/s  queue %llu",
            (unsigned long long)c->s->pages,
            (unsigned long long)(sc.added + sc.changed),
            (unsigned long long)c->s->errors,
            secs > 0 ? c->s->requests / secs : 0.0,
            (unsigned long long)(state_queued(c->st) + c->nwin));
    if (last)
        fputc('\n', stderr);
}

/* Article a was stored: when its version began (revisit.h), for the
 * revisits' schedule: a change now; a new article at its own date, when
 * earlier. */
static void version_stored(void *arg, const article *a, int changed)
{
    crawler *c = arg;
    int64_t now = (int64_t)wall_now(),
            since = changed ? now : revisit_since(a->published, a->modified,
                                                  now);
    state_set_since(c->st, article_key(a->id),
                    (uint32_t)(since > 0 ? since : 1));
}

/* Records first (the writer drained, the corpus flushed), then the marks
 * that say they are there. */
static int checkpoint(crawler *c, tt_err *e)
{
    int rc;
    c->last_checkpoint = tt_now();
    if ((rc = store_flush(c->sto, e)) != TT_OK) {
        c->store_failed = 1;
        return rc;
    }
    store_take_versions(c->sto, version_stored, c);
    save_hosts(c);
    return state_checkpoint(c->st, e);
}

/* Most articles stored this run undated or nearly empty: a site's
 * redesign the profile missed, said (an error: cron mails it). */
static void layout_check(crawler *c, const store_counts *sc)
{
    sbuf b = {0};
    crawl_stats *st = c->s;
    st->undated = sc->undated;
    st->thin = sc->thin;
    st->suspect = sc->suspect;
    if (sc->suspect < CRAWL_LAYOUT_MIN ||
        sc->suspect * 2 < sc->added + sc->changed)
        return;
    st->layout_warning = 1;
    st->errors++;
    store_get_samples(c->sto, &b);
    snprintf(st->samples, sizeof st->samples, "%s", b.len ? b.s : "");
    sbuf_free(&b);
}

const char *crawl_contact_problem(const char *contact)
{
    for (const unsigned char *p = (const unsigned char *)contact; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "a control character (a line break, a tab...) cannot "
                   "go into the User-Agent header";
    return NULL;
}

static char *user_agent(const crawl_opts *o)
{
    sbuf b = {0};
    if (o->contact && *o->contact)
        sbuf_addf(&b, "timtin/%s (+%s%s)", TT_VERSION,
                  strchr(o->contact, '@') && !strstr(o->contact, "://")
                      ? "mailto:"
                      : "",
                  o->contact);
    else
        sbuf_addf(&b, "timtin/%s (+news search crawler; no contact given)",
                  TT_VERSION);
    return sbuf_detach(&b, NULL);
}

/* The id an --undelete argument names: itself, or an article URL's (in
 * the profile's scope, normalised), into id.  TT_EINVAL saying why not. */
static int undelete_id(crawler *c, const char *arg, sbuf *url, char *id,
                       size_t cap, tt_err *e)
{
    sbuf_reset(url);
    if (!strstr(arg, "://")) {
        if (!*arg || strlen(arg) >= cap)
            return tt_seterr(e, TT_EINVAL, "--undelete: \"%s\" is no "
                             "article id", arg);
        strcpy(id, arg);
        return TT_OK;
    }
    if (profile_link(c->p, arg, arg, strlen(arg), url) ||
        classify(c, url->s, id, cap) != PK_ARTICLE)
        return tt_seterr(e, TT_EINVAL,
                         "--undelete %s: not an article URL of profile %s "
                         "(its host, or its article pattern)",
                         arg, profile_name(c->p));
    return TT_OK;
}

/* --undelete: each id must be one the corpus holds; a deleted one may be
 * stored again (store_undelete), one not deleted is said and left. */
static int undelete_setup(crawler *c, tt_err *e)
{
    sbuf url = {0};
    char id[ARTICLE_MAX_ID + 1];
    int rc = TT_OK;
    for (size_t i = 0; i < c->o->nundelete && rc == TT_OK; i++) {
        const char *arg = c->o->undelete[i];
        corpus_pos pos;
        int deleted;
        if ((rc = undelete_id(c, arg, &url, id, sizeof id, e)) != TT_OK)
            break;
        if (corpus_latest(c->cp, id, &pos, &deleted) != TT_OK)
            rc = tt_seterr(e, TT_EINVAL, "--undelete %s: the corpus has no "
                           "article %s (never stored: nothing to undelete)",
                           arg, id);
        else if (!store_undelete(c->sto, id))
            host_notice(c, id, "not deleted in the corpus: --undelete has "
                        "nothing to do");
        else if (u64set_add(&c->undel, article_key(id)))
            strlist_push(&c->undel_ids, id, strlen(id));
    }
    sbuf_free(&url);
    return rc;
}

/* The URLs --undelete gives: queued (after the seeds), fetched again. */
static void undelete_queue(crawler *c)
{
    sbuf url = {0};
    char id[ARTICLE_MAX_ID + 1];
    tt_err e;
    for (size_t i = 0; i < c->o->nundelete; i++)
        if (undelete_id(c, c->o->undelete[i], &url, id, sizeof id, &e) ==
                TT_OK &&
            url.len && u64set_has(&c->undel, article_key(id)))
            enqueue(c, url.s, PK_ARTICLE, 0, 0, 0);
    sbuf_free(&url);
}

/* ---- revisits ---- */

/* A stored article due for a revisit (revisit.h: its interval grows with
 * its age), and how long overdue: when it fell due, then its last
 * fetch's run (runs ago: the same second), then its place in the corpus
 * (first stored first). */
typedef struct due {
    int64_t at;
    uint16_t ago;
    uint64_t seq;
    char *id;
} due;

typedef struct duelist {
    crawler *c;
    due *v;          /* a max-heap: the latest due on top */
    size_t n, cap;   /* cap: the most a run may take (0: none kept) */
    uint64_t seq;
    int64_t now;
    int after, max;  /* revisit_after, revisit_max */
    double per_day;  /* articles falling due a day (revisit_rate) */
    uint64_t ndue;   /* due now */
    due *legacy;     /* articles of an older state (no "versions" line):
                        their age read from the corpus after the walk */
    size_t nlegacy, legacycap;
    int read_legacy; /* collect them (queue_revisits), or count them at
                        revisit_max (per_run) */
} duelist;

/* a due before b (longer overdue)? */
static int older(const due *a, const due *b)
{
    if (a->at != b->at)
        return a->at < b->at;
    if (a->ago != b->ago)
        return a->ago > b->ago;
    return a->seq < b->seq;
}

static void heap_down(due *v, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && older(&v[m], &v[l]))
            m = l;
        if (r < n && older(&v[m], &v[r]))
            m = r;
        if (m == i)
            return;
        due t = v[i];
        v[i] = v[m];
        v[m] = t;
        i = m;
    }
}

/* Article id (key, marks su), its version begun at since: counted in
 * the rate, and kept when due and among the cap longest overdue.  Due:
 * its interval (revisit.h) over since its last fetch by an earlier run,
 * and not queued, failed or given up on since. */
static void consider(duelist *dl, const char *id, uint64_t key,
                     const state_url *su, uint32_t since, uint64_t seq)
{
    crawler *c = dl->c;
    uint16_t run = (uint16_t)state_run(c->st);
    int iv = revisit_interval(since, su->done_time, dl->after, dl->max);
    due d;
    dl->per_day += revisit_rate(iv);
    d.at = (int64_t)su->done_time + (int64_t)iv * REVISIT_DAY;
    if (su->done_run == run || su->seen_run == run || d.at > dl->now ||
        state_deferred(c->st, key) || state_given_up(c->st, key, NULL))
        return;
    dl->ndue++;
    d.ago = (uint16_t)(run - su->done_run);
    d.seq = seq;
    if (dl->n < dl->cap) {
        size_t i = dl->n++;
        d.id = xstrdup(id);
        dl->v[i] = d;
        while (i && older(&dl->v[(i - 1) / 2], &dl->v[i])) {
            due t = dl->v[i];
            dl->v[i] = dl->v[(i - 1) / 2];
            dl->v[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
    } else if (dl->cap && older(&d, &dl->v[0])) {
        free(dl->v[0].id);
        d.id = xstrdup(id);
        dl->v[0] = d;
        heap_down(dl->v, dl->n, 0);
    }
}

/* Article id, stored: a revisit's candidate when an earlier run of this
 * profile fetched it (the state knows when) and the site did not
 * withdraw it. */
static int consider_due(void *arg, const char *id)
{
    duelist *dl = arg;
    crawler *c = dl->c;
    uint64_t key = article_key(id);
    state_url su;
    uint32_t since;
    dl->seq++;
    state_get(c->st, key, &su);
    if (!su.done_run || state_withdrawn(c->st, key) ||
        state_unstored(c->st, key))
        return 0;
    if ((since = state_since(c->st, key)) != 0) {
        consider(dl, id, key, &su, since, dl->seq);
    } else if (dl->read_legacy && dl->nlegacy < REVISIT_LEGACY_PER_RUN &&
               (int64_t)su.done_time + (int64_t)dl->after * REVISIT_DAY <=
                   dl->now) {
        due *l; /* (it may be due: its age is read after the walk) */
        xgrow(&dl->legacy, &dl->legacycap, dl->nlegacy + 1,
              sizeof *dl->legacy);
        l = &dl->legacy[dl->nlegacy++];
        memset(l, 0, sizeof *l);
        l->id = xstrdup(id);
        l->seq = dl->seq;
    } else {
        dl->per_day += revisit_rate(dl->max); /* unknown yet: old */
    }
    return 0;
}

/* The stored articles walked (store_each_id): the rate at which they
 * fall due, how many are due, and the cap longest overdue kept.  With
 * read_legacy, those of an older state (no "versions" line) that may be
 * due have their age read from the corpus first, at most
 * REVISIT_LEGACY_PER_RUN a run: the later of their own published and
 * modified dates, when earlier than their last fetch, else that fetch
 * (revisit_since); noted in the state, then considered. */
static void walk_due(crawler *c, duelist *dl, size_t cap, int read_legacy)
{
    dl->c = c;
    dl->cap = cap;
    dl->v = cap ? xcalloc(cap, sizeof *dl->v) : NULL;
    dl->now = (int64_t)wall_now();
    dl->after = profile_revisit_after(c->p);
    dl->max = profile_revisit_max(c->p);
    dl->read_legacy = read_legacy;
    store_each_id(c->sto, consider_due, dl);
    for (size_t i = 0; i < dl->nlegacy; i++) {
        due *l = &dl->legacy[i];
        uint64_t key = article_key(l->id);
        article a;
        state_url su;
        int64_t since;
        state_get(c->st, key, &su);
        since = su.done_time;
        if (store_get(c->sto, l->id, &a)) {
            since = revisit_since(a.published, a.modified, su.done_time);
            article_free(&a);
        }
        since = since > 0 ? since : 1;
        state_set_since(c->st, key, (uint32_t)since);
        consider(dl, l->id, key, &su, (uint32_t)since, l->seq);
        free(l->id);
    }
    free(dl->legacy);
    dl->legacy = NULL;
    dl->nlegacy = dl->legacycap = 0;
}

/* This run's revisit_per_run: --revisit's, the profile's, or, auto,
 * revisit_auto_cap of the rate the stored articles fall due at (walked
 * once, when first asked). */
static unsigned per_run(crawler *c)
{
    if (c->revisit_auto && !c->per_run_known) {
        duelist dl = {0};
        walk_due(c, &dl, 0, 0);
        c->revisit_per_run = revisit_auto_cap(dl.per_day);
        c->per_run_known = 1;
    }
    return c->revisit_per_run;
}

static int cmp_due(const void *a, const void *b)
{
    return older(a, b) ? -1 : older(b, a) ? 1 : 0;
}

/* Once the run's own work is done (the queue empty: new articles
 * first), the stored articles due for a revisit, the longest overdue
 * first, up to revisit_per_run less those the last run left queued, at
 * the URL each was stored from (this site's, in scope, its id still
 * its): queued as revisits.  1 when any was. */
static int queue_revisits(crawler *c)
{
    duelist dl = {0};
    char id[ARTICLE_MAX_ID + 1];
    sbuf src = {0}, url = {0}, u = {0};
    int any = 0;
    size_t take;
    c->revisits_queued = 1;
    if (!c->cp || c->abandoned ||
        (c->per_run_known && c->revisits_early >= c->revisit_per_run))
        return 0;
    /* auto, not derived yet: derived from this walk, the heap as large
     * as it may be */
    walk_due(c, &dl,
             (c->per_run_known ? c->revisit_per_run : REVISIT_AUTO_MAX) -
                 c->revisits_early,
             1);
    if (!c->per_run_known) {
        c->revisit_per_run = revisit_auto_cap(dl.per_day);
        c->per_run_known = 1;
    }
    take = c->revisits_early < c->revisit_per_run
               ? c->revisit_per_run - c->revisits_early
               : 0;
    qsort(dl.v, dl.n, sizeof *dl.v, cmp_due);
    if (take > dl.n)
        take = dl.n;
    c->s->revisit_cap = c->revisit_per_run;
    c->s->revisit_left = dl.ndue - take;
    for (size_t i = 0; i < dl.n; i++) {
        const char *sid = dl.v[i].id;
        if (i < take && store_has(c->sto, sid, &src, &url) == 1 && url.len &&
            (!src.len || !strcmp(src.s, profile_name(c->p))) &&
            profile_link(c->p, url.s, url.s, url.len, &u) == 0 &&
            classify(c, u.s, id, sizeof id) == PK_ARTICLE &&
            !strcmp(id, sid) && push(c, SK_REVISIT, 0, u.s) == 0) {
            state_set_seen(c->st, article_key(sid));
            any = 1;
        }
        free(dl.v[i].id);
    }
    free(dl.v);
    sbuf_free(&src);
    sbuf_free(&url);
    sbuf_free(&u);
    return any;
}

/* At the end: an id --undelete names that is still deleted (once the
 * writer is drained) was not found, or failed: an error, said. */
static void undelete_check(crawler *c)
{
    if (!c->undel_ids.n || store_flush(c->sto, NULL) != TT_OK)
        return; /* (a storage error: the checkpoint's to say) */
    for (size_t i = 0; i < c->undel_ids.n; i++) {
        const char *id = c->undel_ids.v[i];
        if (store_has(c->sto, id, NULL, NULL) != STORE_DELETED)
            continue;
        c->s->errors++;
        host_notice(c, id,
                    "--undelete: still deleted: its page was not found in "
                    "this run (not in the sitemaps, feeds and pages read) "
                    "or failed (said above); give its URL: --undelete URL");
    }
}

int crawl_run(const crawl_opts *o, crawl_stats *st, tt_err *e)
{
    crawler c;
    fetch_opts fo;
    char *ua = NULL;
    sbuf sdir = {0};
    int rc = TT_OK, said_stop = 0, sflags = o->no_sync ? STATE_NOSYNC : 0;
    memset(&c, 0, sizeof c);
    memset(st, 0, sizeof *st);
    if (o->contact && crawl_contact_problem(o->contact))
        return tt_seterr(e, TT_EINVAL, "--contact: %s",
                         crawl_contact_problem(o->contact));
    c.o = o;
    c.p = o->prof;
    c.s = st;
    {
        const char *ahead = getenv("TIMTIN_TEST_CLOCK_DAYS");
        clock_ahead = ahead ? strtod(ahead, NULL) * 86400 : 0;
    }
    c.reading.profile = profile_fingerprint(c.p);
    c.reading.since = o->has_since ? o->since : STATE_NO_SINCE;
    c.t0 = c.last_checkpoint = tt_now();
    c.rng = (uint64_t)(wall_now() * 1e6) ^ ((uint64_t)getpid() << 32) ^
            0x9E3779B97F4A7C15ull;
    stop_requested = 0;
    if (!o->dry_run) {
        corpus_opts co = {0};
        /* a checkpoint's records durable before the marks that say so */
        co.fsync = !o->no_sync;
        if (!o->corpus_dir)
            return tt_seterr(e, TT_EINVAL, "no corpus directory");
        if ((rc = corpus_open(o->corpus_dir, CORPUS_WRITE | CORPUS_CREATE,
                              &co, &c.cp, e)) != TT_OK)
            return rc;
        sbuf_addf(&sdir, "%s/crawl-state", o->corpus_dir);
    }
    /* the profile's own state (its name, whatever --base-url says), taken
     * under the corpus writer lock: from the flat layout too */
    rc = o->dry_run ? state_open(NULL, sflags, &c.st, e)
                    : state_open_profile(sdir.s, profile_name(c.p), sflags,
                                         &c.st, e);
    if (rc != TT_OK)
        goto fail;
    c.give_up_after = (unsigned)(o->give_up_after >= 0
                                     ? o->give_up_after
                                     : profile_give_up_after(c.p));
    {
        int n = o->revisit >= 0 ? o->revisit : profile_revisit_per_run(c.p);
        c.revisit_auto = n == PROFILE_REVISIT_AUTO;
        c.per_run_known = !c.revisit_auto;
        c.revisit_per_run = c.revisit_auto ? 0 : (unsigned)n;
    }
    /* given up long enough ago: found again, a URL gets its runs again */
    state_expire_given_up(c.st,
                          (uint32_t)(wall_now() - GIVE_UP_DAYS * 86400.0));
    ua = user_agent(o);
    memset(&fo, 0, sizeof fo);
    fo.user_agent = ua;
    fo.timeout = o->timeout;
    fo.connect_timeout = o->connect_timeout;
    fo.max_bytes = o->max_page_size;
    fo.max_host_connections = o->connections;
    if ((rc = fetch_new(&fo, &c.f, e)) != TT_OK ||
        (rc = store_open(c.cp, o->out, &c.sto, e)) != TT_OK)
        goto fail;
    if ((rc = undelete_setup(&c, e)) != TT_OK)
        goto fail;
    st->ran = 1;
    check_restore(&c);
    queue_seeds(&c);
    requeue_unstored(&c);
    undelete_queue(&c);
    for (;;) {
        double wait;
        fetch_result *r;
        if (stop_requested >= 2)
            break;
        if (stop_requested && !said_stop) {
            said_stop = 1;
            stop_notice(&c);
        }
        fill(&c);
        if (c.err.code)
            break;
        wait = schedule(&c);
        if (c.inflight == 0 && c.queue_done && c.nwin == c.nparked)
            unpark(&c, NULL); /* nothing left that could answer */
        if (c.inflight == 0) {
            int stopping = stop_requested ||
                           (o->max_pages && c.started >= o->max_pages);
            if (!stopping && c.nwin == 0 && c.queue_done &&
                !c.revisits_queued && !c.err.code && queue_revisits(&c))
                continue; /* the run's own work done: revisits */
            if (stopping || (c.nwin == 0 && c.queue_done))
                break;
        }
        fetch_run(c.f, wait);
        while ((r = fetch_done(c.f)) != NULL) {
            done_one(&c, r);
            fetch_result_free(r);
        }
        if (c.err.code)
            break;
        progress(&c, 0);
        if (!c.err.code && store_error(c.sto, &c.err) != TT_OK)
            c.store_failed = 1;
        if (!c.err.code && tt_now() - c.last_checkpoint >= CHECKPOINT_SECS) {
            tt_err ce;
            if (checkpoint(&c, &ce) != TT_OK && !c.err.code)
                c.err = ce;
        }
    }
    fetch_free(c.f); /* aborts anything still running */
    c.f = NULL;
    if (!c.err.code)
        unpark(&c, NULL);
    st->left += state_queued(c.st);
    for (item *it = c.head; it; it = it->next)
        st->left++;
    if (!c.err.code) {
        shut_out(&c);
        undelete_check(&c);
    }
    if (!c.err.code && c.legacy && c.nwin == 0 && c.queue_done &&
        !c.abandoned && !stop_requested && state_queued(c.st) == 0)
        state_unstored_offered(c.st); /* every hub read in full */
    if (!c.err.code) {
        tt_err ce;
        if (checkpoint(&c, &ce) != TT_OK)
            c.err = ce;
        else if (c.nwin == 0 && c.queue_done && !c.abandoned &&
                 !stop_requested && state_queued(c.st) == 0 &&
                 state_reset_queue(c.st, &ce) != TT_OK)
            c.err = ce;
    }
    progress(&c, 1);
    if (c.err.code)
        rc = tt_seterr(e, c.err.code, "%s", c.err.msg);
fail:
    while (c.head) {
        item *it = c.head;
        win_remove(&c, it);
        item_free(it);
    }
    fetch_free(c.f);
    {
        tt_err ce;
        if (c.sto) {
            store_counts sc;
            store_flush(c.sto, NULL); /* drained: the counts are final */
            store_get_counts(c.sto, &sc);
            st->articles_new = sc.added;
            st->articles_changed = sc.changed;
            st->articles_unchanged = sc.unchanged;
            layout_check(&c, &sc);
            st->errors += sc.rejected + sc.conflicts;
            st->id_conflicts += sc.conflicts;
            st->deleted += sc.deleted;
            st->undeleted = sc.undeleted;
            st->revisit_unchanged += sc.revisit_unchanged;
            st->revisit_changed += sc.revisit_changed;
            st->revisit_failed += sc.revisit_failed;
            st->revisited = st->revisit_unchanged + st->revisit_changed +
                            st->revisit_withdrawn + st->revisit_failed;
            if (store_close(c.sto, &ce) != TT_OK) {
                c.store_failed = 1;
                if (rc == TT_OK)
                    rc = tt_seterr(e, ce.code, "%s", ce.msg);
            }
        }
        if (c.store_failed)
            state_free(c.st);
        else if (state_close(c.st, &ce) != TT_OK && rc == TT_OK)
            rc = tt_seterr(e, ce.code, "%s", ce.msg);
        if (c.cp && corpus_close(c.cp, &ce) != TT_OK && rc == TT_OK)
            rc = tt_seterr(e, ce.code, "%s", ce.msg);
    }
    free_hosts(&c);
    u64set_free(&c.seeds);
    u64set_free(&c.seeds_shut);
    u64set_free(&c.day_keys);
    u64set_free(&c.held);
    u64set_free(&c.undel);
    strlist_free(&c.undel_ids);
    free(c.days);
    sbuf_free(&c.shut_hosts);
    free(c.cache);
    free(ua);
    sbuf_free(&sdir);
    st->seconds = tt_now() - c.t0;
    st->rss_peak_mb = peak_rss_mb();
    return rc;
}
