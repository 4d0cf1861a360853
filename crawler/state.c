/* state.c — see state.h.
 *
 * Files in the state directory of a profile (CORPUS/crawl-state/NAME/;
 * before per-profile directories, the same files were in crawl-state/
 * itself: the flat layout, which state_open_profile copies once into
 * each profile's directory):
 *
 *   run         "timtin-crawl-state 1\nrun N\n": the last run number.
 *               Rewritten (tmp + rename) when a run starts.
 *   urls        the URL table as an append-only log of 16-byte records
 *               (host byte order): u64 key, u16 seen_run, u16 done_run,
 *               u32 done_time.  The first record is the magic
 *               "TTCRAWLURLS1\0\0\0\0".  Loading replays the log (a key's
 *               marks are the maximum over its records); a torn last
 *               record is cut off.  Rewritten compactly (tmp + rename)
 *               when it holds more than twice as many records as keys.
 *   queue       the frontier, one entry a line: "K DEPTH URL\n" (K: a, A,
 *               R, h, p, s as in state.h; an older version skips R), or "K DEPTH URL RUNS\n" for an
 *               entry deferred by the runs before (RUNS: the runs in a
 *               row, 1 to STATE_MAX_RUNS).  Append-only during a run;
 *               truncated when a run consumes it.
 *   cursor      "OFFSET\n": entries before OFFSET are processed.
 *               Rewritten (tmp + rename) at each checkpoint.
 *   validators  "KEYHEX\tETAG\tLAST-MODIFIED\tPROFILEHEX\tSINCE\n" per
 *               hub page ('-' for none): the validators, and the reading
 *               they were saved under (state_reading: the profile's
 *               fingerprint, --since in epoch seconds or '-').  A line of
 *               the first three fields (an older state) has no reading:
 *               its validators serve no run.  Rewritten (tmp + rename)
 *               at checkpoints.
 *   hosts       "HOST\tNEXT\tSAVED\n": the wall-clock time before which a
 *               host must not be asked again, and when that was set (a
 *               line without SAVED, an older state: unknown, 0).
 *               Rewritten at checkpoints.
 *   deferred    queue lines "K DEPTH URL RUNS\n" of pages that failed in
 *               this run or that robots.txt forbade (one line a URL), RUNS
 *               the runs in a row they were deferred, this one included;
 *               appended at checkpoints.  The next run appends them to
 *               the queue (then empties this file), so they are tried
 *               again tomorrow, and deferred with RUNS + 1 if they fail
 *               again.  A line without RUNS (an older state) counts as 1.
 *   unstored    one line per URL marked done that stands for no corpus
 *               record: "KEYHEX\t-\n" for good (state_unstore: a
 *               redirect), "KEYHEX\tRULESHEX\tURL\n" for a page found
 *               no article under the profile of fingerprint RULESHEX
 *               (state_unstore_page; RULESHEX 0 and URL "-": a mark of an
 *               older state, offered again once), "KEYHEX\n" a mark of an
 *               older state, which kept no reason.  Rewritten (tmp +
 *               rename) at checkpoints when it changed.
 *   given-up    "KEYHEX\tWHEN\tURL\n" per URL given up on (state_give_up):
 *               when, in epoch seconds; "KEYHEX\tWHEN\tURL\tAHEAD\n" when
 *               the key has a date ahead too (state_set_ahead, epoch
 *               seconds), and "KEYHEX\t0\t-\tAHEAD\n" for such a date of
 *               a key not given up (an older version skips both).
 *               Rewritten (tmp + rename) at checkpoints when it changed.
 *   withdrawn   "KEYHEX\n" per article said withdrawn by the site
 *               (state_set_withdrawn).  Rewritten (tmp + rename) at
 *               checkpoints when it changed; none: no mark (an older
 *               state).
 *   versions    "KEYHEX\tSINCE\n" per article: when its current version
 *               began, in epoch seconds (state_set_since; revisits count
 *               its age from it).  An append-only log: the last line of
 *               a key wins, a torn last line is cut off; appended at
 *               checkpoints, rewritten compactly (tmp + rename) when it
 *               holds more than twice as many lines as keys (and 10,000
 *               more).  None, or a key missing: unknown (an older
 *               state).
 *
 * A checkpoint writes, in order: the queue appends, the URL marks and
 * versions (appended), the deferred lines, validators, hosts and
 * given-up marks (tmp + rename), each fsynced, then the directory, and
 * last the cursor.
 * The crawler flushes and fsyncs the corpus before it, so a "done" mark
 * never precedes the records it stands for, even after a power loss
 * (STATE_NOSYNC leaves the fsyncs out: a kill is still safe, a power
 * loss no longer).  A crash leaves at worst
 * entries after the cursor that were already processed: they come back,
 * and the crawler skips them by their marks or by the corpus (an article
 * id already stored), so nothing is stored twice.
 */
#include "state.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "TTCRAWLURLS1\0\0\0\0"
#define REC 16

typedef struct slot {
    uint64_t key; /* 0 = empty */
    state_url u;
} slot;

typedef struct valid {
    uint64_t key;
    char *etag, *lm;
    state_reading rd;
} valid;

/* An "unstored" mark: why 0 forgotten, 'r' for good, 'n' no article
 * under the profile of fingerprint rules (0: unknown), 'o' an older
 * state's mark, reason unknown and not yet offered again. */
typedef struct unst {
    uint64_t key;
    uint64_t rules;
    char *url; /* 'n': where the page is, or NULL */
    int why;
} unst;

typedef struct wdr { /* a "withdrawn" mark */
    uint64_t key;
    int on; /* 0: forgotten */
} wdr;

typedef struct ver { /* a "versions" line */
    uint64_t key;
    uint32_t since;
} ver;

typedef struct gup {
    uint64_t key;
    uint32_t when;  /* 0: forgotten (or never given up) */
    uint32_t ahead; /* state_set_ahead's date, or 0 */
    char *url;      /* NULL when forgotten */
} gup;

/* An index by key into an array of structs that begin with their u64
 * key: open addressing, a slot holds the element's position + 1 (0:
 * empty). */
typedef struct kidx {
    uint32_t *v;
    size_t cap; /* a power of two, or 0 */
} kidx;

typedef struct hostent {
    char *host;
    double next, saved;
} hostent;

typedef struct pend {
    uint64_t off;
    int done;
} pend;

struct state {
    char *dir;
    unsigned run;
    slot *tab;
    size_t cap, n; /* cap: power of two */
    uint64_t log_records;
    sbuf logbuf;   /* URL records not yet written */
    FILE *qw, *qr; /* queue writer (append) and reader */
    uint64_t qread; /* offset of the next unread byte */
    uint64_t cursor;
    pend *pend;    /* popped entries not yet behind the cursor, by offset */
    size_t pstart, plen, pcap; /* a ring */
    uint64_t queued;
    valid *val;
    size_t nval, valcap;
    kidx vidx;      /* val by key */
    hostent *hosts;
    size_t nhosts, hostcap;
    sbuf qbuf;      /* in-memory queue (dir == NULL) */
    sbuf defer;     /* deferred lines not yet written */
    u64set deferred; /* keys deferred in this run */
    gup *gup;       /* given up on */
    size_t ngup, gupcap;
    kidx gidx;      /* gup by key */
    int gup_dirty;  /* "given-up" to be rewritten */
    struct unst *uns; /* keys done that stand for no record */
    size_t nuns, unscap;
    kidx uidx;      /* uns by key */
    int uns_dirty;  /* "unstored" to be rewritten */
    wdr *wdr;       /* articles said withdrawn by the site */
    size_t nwdr, wdrcap;
    kidx widx;      /* wdr by key */
    int wdr_dirty;  /* "withdrawn" to be rewritten */
    ver *ver;       /* when each article's version began */
    size_t nver, vercap;
    kidx veridx;    /* ver by key */
    uint64_t ver_lines; /* lines in the "versions" file */
    sbuf verbuf;    /* "versions" lines not yet appended */
    int nosync;     /* STATE_NOSYNC: no fsync */
    tt_err err;     /* sticky */
};

/* ---- the URL table ---- */

static uint64_t fix(uint64_t key) { return key ? key : 1; }

static slot *find(const state *s, uint64_t key)
{
    size_t m = s->cap - 1, i = (size_t)(key ^ (key >> 29)) & m;
    while (s->tab[i].key && s->tab[i].key != key)
        i = (i + 1) & m;
    return &s->tab[i];
}

static void grow(state *s)
{
    slot *old = s->tab;
    size_t oc = s->cap;
    s->cap = oc ? oc * 2 : 1024;
    s->tab = xcalloc(s->cap, sizeof *s->tab);
    for (size_t i = 0; i < oc; i++)
        if (old[i].key)
            *find(s, old[i].key) = old[i];
    free(old);
}

static slot *upsert(state *s, uint64_t key)
{
    slot *sl;
    if ((s->n + 1) * 10 > s->cap * 7)
        grow(s);
    sl = find(s, key);
    if (!sl->key) {
        sl->key = key;
        s->n++;
    }
    return sl;
}

static void log_rec(state *s, uint64_t key, const state_url *u)
{
    unsigned char r[REC];
    if (!s->dir)
        return;
    memcpy(r, &key, 8);
    memcpy(r + 8, &u->seen_run, 2);
    memcpy(r + 10, &u->done_run, 2);
    memcpy(r + 12, &u->done_time, 4);
    sbuf_add(&s->logbuf, (const char *)r, REC);
}

void state_get(const state *s, uint64_t key, state_url *out)
{
    const slot *sl;
    memset(out, 0, sizeof *out);
    if (!s->cap)
        return;
    sl = find(s, fix(key));
    if (sl->key)
        *out = sl->u;
}

void state_set_seen(state *s, uint64_t key)
{
    slot *sl = upsert(s, fix(key));
    if (sl->u.seen_run == (uint16_t)s->run)
        return;
    sl->u.seen_run = (uint16_t)s->run;
    log_rec(s, sl->key, &sl->u);
}

void state_set_done(state *s, uint64_t key, uint32_t when)
{
    slot *sl = upsert(s, fix(key));
    sl->u.done_run = (uint16_t)s->run;
    sl->u.done_time = when;
    log_rec(s, sl->key, &sl->u);
}

unsigned state_run(const state *s) { return s->run; }
size_t state_nurls(const state *s) { return s->n; }

/* ---- files ---- */

static char *path_of(const state *s, const char *name)
{
    sbuf b = {0};
    sbuf_addf(&b, "%s/%s", s->dir, name);
    return sbuf_detach(&b, NULL);
}

/* fflush f, then fsync it unless nosync: 0, or -1 with errno. */
static int flush_sync(FILE *f, int nosync)
{
    if (fflush(f) != 0)
        return -1;
    return nosync ? 0 : fsync(fileno(f));
}

/* The same, unless STATE_NOSYNC. */
static int sync_file(const state *s, FILE *f)
{
    return flush_sync(f, s->nosync);
}

/* Write (p, n) to dir/name through name.tmp + fsync + rename. */
static int write_atomic(state *s, const char *name, const char *p, size_t n,
                        tt_err *e)
{
    char *path = path_of(s, name), *tmp;
    sbuf t = {0};
    FILE *f;
    int rc = TT_OK;
    sbuf_addf(&t, "%s.tmp", path);
    tmp = sbuf_detach(&t, NULL);
    f = fopen(tmp, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || sync_file(s, f) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", tmp, strerror(errno));
        if (f)
            fclose(f);
        unlink(tmp);
    } else if (fclose(f) != 0 || rename(tmp, path) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(path);
    free(tmp);
    return rc;
}

/* Append b (when not empty) to dir/name, fsynced, then empty b. */
static int append_file(state *s, const char *name, sbuf *b, tt_err *e)
{
    char *path;
    FILE *f;
    int bad;
    if (!b->len)
        return TT_OK;
    path = path_of(s, name);
    f = fopen(path, "ab");
    bad = !f;
    if (f) {
        bad |= fwrite(b->s, 1, b->len, f) != b->len;
        bad |= sync_file(s, f) != 0;
        bad |= fclose(f) != 0;
    }
    if (bad) {
        int rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
        free(path);
        return rc;
    }
    free(path);
    sbuf_reset(b);
    return TT_OK;
}

static int load_urls(state *s, tt_err *e)
{
    char *path = path_of(s, "urls");
    FILE *f = fopen(path, "rb");
    unsigned char r[REC];
    uint64_t good = 0;
    int rc = TT_OK;
    if (!f) {
        if (errno != ENOENT)
            rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
        free(path);
        return rc;
    }
    if (fread(r, 1, REC, f) == REC) {
        if (memcmp(r, MAGIC, REC)) {
            rc = tt_seterr(e, TT_ECORRUPT, "%s: not a timtin URL log", path);
            goto done;
        }
        good = REC;
        while (fread(r, 1, REC, f) == REC) {
            uint64_t key;
            state_url u;
            slot *sl;
            memcpy(&key, r, 8);
            memcpy(&u.seen_run, r + 8, 2);
            memcpy(&u.done_run, r + 10, 2);
            memcpy(&u.done_time, r + 12, 4);
            if (!key)
                continue;
            sl = upsert(s, key);
            if (u.seen_run > sl->u.seen_run)
                sl->u.seen_run = u.seen_run;
            if (u.done_run > sl->u.done_run)
                sl->u.done_run = u.done_run;
            if (u.done_time > sl->u.done_time)
                sl->u.done_time = u.done_time;
            good += REC;
            s->log_records++;
        }
    }
    /* a torn tail (or an empty file) is cut back to whole records */
    if (ferror(f)) {
        rc = tt_seterr(e, TT_EIO, "%s: read error", path);
    } else {
        struct stat st;
        if (fstat(fileno(f), &st) == 0 && (uint64_t)st.st_size != good &&
            truncate(path, (off_t)good) != 0)
            rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    }
done:
    fclose(f);
    free(path);
    return rc;
}

/* Rewrite the URL log with one record per key. */
static int compact_urls(state *s, tt_err *e)
{
    sbuf b = {0};
    int rc;
    sbuf_add(&b, MAGIC, REC);
    for (size_t i = 0; i < s->cap; i++) {
        unsigned char r[REC];
        const slot *sl = &s->tab[i];
        if (!sl->key)
            continue;
        memcpy(r, &sl->key, 8);
        memcpy(r + 8, &sl->u.seen_run, 2);
        memcpy(r + 10, &sl->u.done_run, 2);
        memcpy(r + 12, &sl->u.done_time, 4);
        sbuf_add(&b, (const char *)r, REC);
    }
    rc = write_atomic(s, "urls", b.s, b.len, e);
    if (rc == TT_OK) {
        s->log_records = s->n;
        sbuf_reset(&s->logbuf);
    }
    sbuf_free(&b);
    return rc;
}

static int flush_urls(state *s, tt_err *e)
{
    char *path;
    FILE *f;
    int rc = TT_OK;
    if (!s->dir || s->logbuf.len == 0)
        return TT_OK;
    if (s->log_records + s->logbuf.len / REC > 2 * s->n + 100000)
        return compact_urls(s, e);
    path = path_of(s, "urls");
    f = fopen(path, "ab");
    if (f && ftell(f) == 0 && fwrite(MAGIC, 1, REC, f) != REC) {
        fclose(f);
        f = NULL;
    }
    if (!f || fwrite(s->logbuf.s, 1, s->logbuf.len, f) != s->logbuf.len ||
        sync_file(s, f) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    } else {
        s->log_records += s->logbuf.len / REC;
        sbuf_reset(&s->logbuf);
    }
    if (f && fclose(f) != 0 && rc == TT_OK)
        rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    free(path);
    return rc;
}

static int read_small(state *s, const char *name, char **text, size_t *len,
                      tt_err *e)
{
    char *path = path_of(s, name);
    int rc = tt_read_file(path, 64u << 20, text, len, e);
    free(path);
    if (rc == TT_ENOTFOUND) {
        *text = NULL;
        *len = 0;
        return TT_OK;
    }
    return rc;
}

static int load_run(state *s, tt_err *e)
{
    char *t;
    size_t n;
    unsigned last = 0;
    sbuf b = {0};
    int rc = read_small(s, "run", &t, &n, e);
    if (rc)
        return rc;
    if (t) {
        const char *p = strstr(t, "\nrun ");
        if (strncmp(t, "timtin-crawl-state 1\n", 21) || !p ||
            sscanf(p + 5, "%u", &last) != 1) {
            free(t);
            return tt_seterr(e, TT_ECORRUPT, "%s/run: not a timtin crawl state",
                             s->dir);
        }
        free(t);
    }
    /* runs are 16-bit in the URL table: wrap around, skipping 0 */
    s->run = last % 65535 + 1;
    sbuf_addf(&b, "timtin-crawl-state 1\nrun %u\n", s->run);
    rc = write_atomic(s, "run", b.s, b.len, e);
    sbuf_free(&b);
    return rc;
}

/* ---- keyed arrays (validators, given-up marks) ---- */

static uint64_t key_at(const void *arr, size_t size, size_t i)
{
    uint64_t k;
    memcpy(&k, (const char *)arr + i * size, sizeof k);
    return k;
}

static uint32_t *kidx_slot(const kidx *x, const void *arr, size_t size,
                           uint64_t key)
{
    size_t m = x->cap - 1, i = (size_t)(key ^ (key >> 31)) & m;
    while (x->v[i] && key_at(arr, size, x->v[i] - 1) != key)
        i = (i + 1) & m;
    return &x->v[i];
}

/* The element of key in arr, or NULL. */
static void *kidx_find(const kidx *x, const void *arr, size_t size,
                       uint64_t key)
{
    uint32_t *sl;
    if (!x->cap)
        return NULL;
    sl = kidx_slot(x, arr, size, key);
    return *sl ? (char *)arr + (*sl - 1) * size : NULL;
}

/* The last of arr's n elements was just appended: index it (the index
 * is rebuilt twice as large when half full). */
static void kidx_add(kidx *x, const void *arr, size_t size, size_t n)
{
    if (n * 2 > x->cap) {
        free(x->v);
        x->cap = x->cap ? x->cap * 2 : 256;
        x->v = xcalloc(x->cap, sizeof *x->v);
        for (size_t i = 0; i + 1 < n; i++)
            *kidx_slot(x, arr, size, key_at(arr, size, i)) = (uint32_t)(i + 1);
    }
    *kidx_slot(x, arr, size, key_at(arr, size, n - 1)) = (uint32_t)n;
}

static valid *find_valid(const state *s, uint64_t key)
{
    return kidx_find(&s->vidx, s->val, sizeof *s->val, key);
}

static void set_valid(state *s, uint64_t key, const char *etag,
                      const char *lm, const state_reading *rd)
{
    valid *v = find_valid(s, key);
    if (!v) {
        xgrow(&s->val, &s->valcap, s->nval + 1, sizeof *s->val);
        v = &s->val[s->nval++];
        v->key = key;
        v->etag = v->lm = NULL;
        kidx_add(&s->vidx, s->val, sizeof *s->val, s->nval);
    }
    free(v->etag);
    free(v->lm);
    v->etag = etag && *etag ? xstrdup(etag) : NULL;
    v->lm = lm && *lm ? xstrdup(lm) : NULL;
    v->rd = *rd;
}

/* ---- URLs given up on ---- */

static gup *find_gup(const state *s, uint64_t key)
{
    return kidx_find(&s->gidx, s->gup, sizeof *s->gup, key);
}

static int clean_url(const char *u)
{
    return u && *u && strlen(u) <= STATE_MAX_LINE - 16 &&
           !strpbrk(u, " \t\r\n");
}

/* key's mark, made (forgotten, no date) when it has none. */
static gup *get_gup(state *s, uint64_t key)
{
    gup *g = find_gup(s, key);
    if (!g) {
        xgrow(&s->gup, &s->gupcap, s->ngup + 1, sizeof *s->gup);
        g = &s->gup[s->ngup++];
        g->key = key;
        g->when = g->ahead = 0;
        g->url = NULL;
        kidx_add(&s->gidx, s->gup, sizeof *s->gup, s->ngup);
    }
    return g;
}

void state_give_up(state *s, uint64_t key, uint32_t when, const char *url)
{
    gup *g = get_gup(s, key);
    free(g->url);
    g->url = xstrdup(clean_url(url) ? url : "-");
    g->when = when ? when : 1;
    s->gup_dirty = 1;
}

int state_given_up(const state *s, uint64_t key, uint32_t *when)
{
    const gup *g = find_gup(s, key);
    if (!g || !g->when)
        return 0;
    if (when)
        *when = g->when;
    return 1;
}

static void forget(state *s, gup *g)
{
    g->when = 0;
    free(g->url);
    g->url = NULL;
    s->gup_dirty = 1;
}

void state_forget_given_up(state *s, uint64_t key)
{
    gup *g = find_gup(s, key);
    if (g && g->when)
        forget(s, g);
}

void state_set_ahead(state *s, uint64_t key, uint32_t date)
{
    gup *g = get_gup(s, key);
    if (date > g->ahead) {
        g->ahead = date;
        s->gup_dirty = 1;
    }
}

uint32_t state_ahead(const state *s, uint64_t key)
{
    const gup *g = find_gup(s, key);
    return g ? g->ahead : 0;
}

void state_forget_ahead(state *s, uint64_t key)
{
    gup *g = find_gup(s, key);
    if (g && g->ahead) {
        g->ahead = 0;
        s->gup_dirty = 1;
    }
}

size_t state_expire_given_up(state *s, uint32_t before)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ngup; i++) {
        gup *g = &s->gup[i];
        if (g->when && g->when < before) {
            forget(s, g);
            n++;
        }
        if (!g->when && g->ahead && g->ahead < before) {
            g->ahead = 0;
            s->gup_dirty = 1;
        }
    }
    return n;
}

static unst *find_unst(const state *s, uint64_t key)
{
    return kidx_find(&s->uidx, s->uns, sizeof *s->uns, key);
}

static void set_unst(state *s, uint64_t key, int why, uint64_t rules,
                     const char *url)
{
    unst *u = find_unst(s, key);
    if (!u) {
        xgrow(&s->uns, &s->unscap, s->nuns + 1, sizeof *s->uns);
        u = &s->uns[s->nuns++];
        u->key = key;
        u->url = NULL;
        kidx_add(&s->uidx, s->uns, sizeof *s->uns, s->nuns);
    } else if (u->why == why && u->rules == rules &&
               !(u->url ? !url || strcmp(u->url, url) : url != NULL)) {
        return; /* (the file unchanged) */
    }
    free(u->url);
    u->url = url ? xstrdup(url) : NULL;
    u->why = why;
    u->rules = rules;
    s->uns_dirty = 1;
}

void state_unstore(state *s, uint64_t key)
{
    set_unst(s, key, 'r', 0, NULL);
}

void state_unstore_page(state *s, uint64_t key, uint64_t rules,
                        const char *url)
{
    set_unst(s, key, 'n', rules, clean_url(url) ? url : NULL);
}

int state_unstored(const state *s, uint64_t key)
{
    const unst *u = find_unst(s, key);
    return u && u->why;
}

void state_forget_unstored(state *s, uint64_t key)
{
    unst *u = find_unst(s, key);
    if (u && u->why)
        set_unst(s, key, 0, 0, NULL);
}

static int stale(const unst *u, uint64_t rules)
{
    return u->why == 'o' || (u->why == 'n' && u->rules != rules);
}

int state_unstored_stale(const state *s, uint64_t key, uint64_t rules)
{
    const unst *u = find_unst(s, key);
    return u && stale(u, rules);
}

size_t state_each_stale_page(const state *s, uint64_t rules,
                             void (*fn)(void *arg, uint64_t key,
                                        const char *url),
                             void *arg)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nuns; i++)
        if (s->uns[i].url && stale(&s->uns[i], rules)) {
            fn(arg, s->uns[i].key, s->uns[i].url);
            n++;
        }
    return n;
}

size_t state_unstored_legacy(const state *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nuns; i++)
        n += s->uns[i].why == 'o';
    return n;
}

void state_unstored_offered(state *s)
{
    for (size_t i = 0; i < s->nuns; i++)
        if (s->uns[i].why == 'o')
            set_unst(s, s->uns[i].key, 'n', 0, NULL);
}

size_t state_done_keys(const state *s, int (*fn)(void *arg, uint64_t key),
                       void *arg)
{
    size_t n = 0;
    for (size_t i = 0; i < s->cap; i++)
        if (s->tab[i].key && s->tab[i].u.done_run &&
            s->tab[i].u.done_run != (uint16_t)s->run &&
            !state_unstored(s, s->tab[i].key) &&
            !find_valid(s, s->tab[i].key) &&
            !state_given_up(s, s->tab[i].key, NULL))
            n += fn(arg, s->tab[i].key) != 0;
    return n;
}

static wdr *find_wdr(const state *s, uint64_t key)
{
    return kidx_find(&s->widx, s->wdr, sizeof *s->wdr, key);
}

static void set_wdr(state *s, uint64_t key, int on)
{
    wdr *w = find_wdr(s, key);
    if (!w) {
        if (!on)
            return;
        xgrow(&s->wdr, &s->wdrcap, s->nwdr + 1, sizeof *s->wdr);
        w = &s->wdr[s->nwdr++];
        w->key = key;
        w->on = 0;
        kidx_add(&s->widx, s->wdr, sizeof *s->wdr, s->nwdr);
    }
    if (w->on != on) {
        w->on = on;
        s->wdr_dirty = 1;
    }
}

void state_set_withdrawn(state *s, uint64_t key) { set_wdr(s, key, 1); }

int state_withdrawn(const state *s, uint64_t key)
{
    const wdr *w = find_wdr(s, key);
    return w && w->on;
}

void state_forget_withdrawn(state *s, uint64_t key) { set_wdr(s, key, 0); }

/* "withdrawn": "KEYHEX" lines; others skipped. */
static int load_withdrawn(state *s, tt_err *e)
{
    char *t;
    size_t n;
    int rc = read_small(s, "withdrawn", &t, &n, e);
    if (rc || !t)
        return rc;
    for (char *line = t, *next; (next = strchr(line, '\n')); line = next) {
        char *end;
        uint64_t key;
        *next++ = '\0';
        if (!isxdigit((unsigned char)line[0]))
            continue;
        key = strtoull(line, &end, 16);
        if (!*end && end - line <= 16)
            set_wdr(s, key, 1);
    }
    free(t);
    s->wdr_dirty = 0;
    return TT_OK;
}

static int save_withdrawn(state *s, tt_err *e)
{
    sbuf b = {0};
    int rc;
    if (!s->wdr_dirty)
        return TT_OK;
    for (size_t i = 0; i < s->nwdr; i++)
        if (s->wdr[i].on)
            sbuf_addf(&b, "%016llx\n", (unsigned long long)s->wdr[i].key);
    rc = write_atomic(s, "withdrawn", b.s, b.len, e);
    if (rc == TT_OK)
        s->wdr_dirty = 0;
    sbuf_free(&b);
    return rc;
}

/* ---- when each article's version began ---- */

static ver *find_ver(const state *s, uint64_t key)
{
    return kidx_find(&s->veridx, s->ver, sizeof *s->ver, key);
}

/* A "versions" line. */
static void ver_line(sbuf *b, uint64_t key, uint32_t since)
{
    sbuf_addf(b, "%016llx\t%lu\n", (unsigned long long)key,
              (unsigned long)since);
}

/* key's since, in memory (1 when it changed). */
static int set_ver(state *s, uint64_t key, uint32_t since)
{
    ver *v = find_ver(s, key);
    if (!v) {
        xgrow(&s->ver, &s->vercap, s->nver + 1, sizeof *s->ver);
        v = &s->ver[s->nver++];
        v->key = key;
        v->since = 0;
        kidx_add(&s->veridx, s->ver, sizeof *s->ver, s->nver);
    }
    if (v->since == since)
        return 0;
    v->since = since;
    return 1;
}

void state_set_since(state *s, uint64_t key, uint32_t since)
{
    if (since && set_ver(s, fix(key), since) && s->dir)
        ver_line(&s->verbuf, fix(key), since);
}

uint32_t state_since(const state *s, uint64_t key)
{
    const ver *v = find_ver(s, fix(key));
    return v ? v->since : 0;
}

/* "versions": "KEYHEX\tSINCE" lines, the last of a key winning; others
 * skipped; a torn last line (no newline: a crash mid-append) cut off. */
static int load_versions(state *s, tt_err *e)
{
    char *path = path_of(s, "versions"), *line = NULL;
    size_t cap = 0;
    ssize_t len;
    off_t good = 0;
    int rc = TT_OK;
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno != ENOENT)
            rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
        free(path);
        return rc;
    }
    while ((len = getline(&line, &cap, f)) > 0 && line[len - 1] == '\n') {
        char *end, *tab;
        uint64_t key = strtoull(line, &tab, 16);
        unsigned long since;
        good += len;
        s->ver_lines++;
        if (!isxdigit((unsigned char)line[0]) || tab - line > 16 ||
            *tab != '\t' || !isdigit((unsigned char)tab[1]))
            continue;
        since = strtoul(tab + 1, &end, 10);
        if (*end == '\n' && since && since <= UINT32_MAX)
            set_ver(s, fix(key), (uint32_t)since);
    }
    if (ferror(f))
        rc = tt_seterr(e, TT_EIO, "%s: read error", path);
    else if (fstat(fileno(f), &st) == 0 && st.st_size != good &&
             truncate(path, good) != 0)
        rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    fclose(f);
    free(line);
    free(path);
    return rc;
}

/* The lines set since the last checkpoint appended, or, when the file
 * would hold more than twice as many lines as keys, all rewritten. */
static int flush_versions(state *s, tt_err *e)
{
    uint64_t add = 0;
    int rc;
    for (size_t i = 0; i < s->verbuf.len; i++)
        add += s->verbuf.s[i] == '\n';
    if (!add)
        return TT_OK;
    if (s->ver_lines + add > 2 * (uint64_t)s->nver + 10000) {
        sbuf b = {0};
        for (size_t i = 0; i < s->nver; i++)
            ver_line(&b, s->ver[i].key, s->ver[i].since);
        rc = write_atomic(s, "versions", b.s, b.len, e);
        if (rc == TT_OK) {
            s->ver_lines = s->nver;
            sbuf_reset(&s->verbuf);
        }
        sbuf_free(&b);
        return rc;
    }
    if ((rc = append_file(s, "versions", &s->verbuf, e)) == TT_OK)
        s->ver_lines += add;
    return rc;
}

/* "unstored": lines as written by save_unstored, or "KEYHEX\n" (an older
 * state's); others skipped. */
static int load_unstored(state *s, tt_err *e)
{
    char *t;
    size_t n;
    int rc = read_small(s, "unstored", &t, &n, e);
    if (rc || !t)
        return rc;
    for (char *line = t, *next; (next = strchr(line, '\n')); line = next) {
        char *end, *url;
        uint64_t key, rules;
        *next++ = '\0';
        if (!isxdigit((unsigned char)line[0]))
            continue;
        key = strtoull(line, &end, 16);
        if (end - line > 16)
            continue;
        if (!*end) {
            set_unst(s, key, 'o', 0, NULL);
        } else if (!strcmp(end, "\t-")) {
            set_unst(s, key, 'r', 0, NULL);
        } else if (*end == '\t' && isxdigit((unsigned char)end[1])) {
            rules = strtoull(end + 1, &url, 16);
            if (*url == '\t' && url - end - 1 <= 16)
                set_unst(s, key, 'n', rules,
                         clean_url(url + 1) && strcmp(url + 1, "-") ? url + 1
                                                                     : NULL);
        }
    }
    free(t);
    s->uns_dirty = 0;
    return TT_OK;
}

static int save_unstored(state *s, tt_err *e)
{
    sbuf b = {0};
    int rc;
    if (!s->uns_dirty)
        return TT_OK;
    for (size_t i = 0; i < s->nuns; i++) {
        const unst *u = &s->uns[i];
        if (u->why == 'o')
            sbuf_addf(&b, "%016llx\n", (unsigned long long)u->key);
        else if (u->why == 'r')
            sbuf_addf(&b, "%016llx\t-\n", (unsigned long long)u->key);
        else if (u->why == 'n')
            sbuf_addf(&b, "%016llx\t%016llx\t%s\n", (unsigned long long)u->key,
                      (unsigned long long)u->rules, u->url ? u->url : "-");
    }
    rc = write_atomic(s, "unstored", b.s, b.len, e);
    if (rc == TT_OK)
        s->uns_dirty = 0;
    sbuf_free(&b);
    return rc;
}

/* "KEYHEX\tWHEN\tURL\n" lines, and "KEYHEX\tWHEN\tURL\tAHEAD\n" (WHEN
 * 0 for a date of a key not given up); any other line (a torn last one
 * too) is skipped. */
static int load_given_up(state *s, tt_err *e)
{
    char *t;
    size_t n;
    int rc = read_small(s, "given-up", &t, &n, e);
    if (rc || !t)
        return rc;
    for (char *line = t, *next; (next = strchr(line, '\n')); line = next) {
        char *end, *url, *tab;
        uint64_t key;
        unsigned long long when, ahead = 0;
        *next++ = '\0';
        if (!isxdigit((unsigned char)line[0]))
            continue;
        key = strtoull(line, &end, 16);
        if (end - line > 16 || *end != '\t' || !isdigit((unsigned char)end[1]))
            continue;
        when = strtoull(end + 1, &url, 10);
        if (*url++ != '\t' || when > UINT32_MAX)
            continue;
        if ((tab = strchr(url, '\t'))) { /* a date ahead */
            *tab = '\0';
            if (!isdigit((unsigned char)tab[1]))
                continue;
            ahead = strtoull(tab + 1, &end, 10);
            if (*end || ahead > UINT32_MAX)
                continue;
        }
        if (!clean_url(url) || (!when && !ahead))
            continue;
        if (when)
            state_give_up(s, key, (uint32_t)when, url);
        if (ahead)
            state_set_ahead(s, key, (uint32_t)ahead);
    }
    free(t);
    s->gup_dirty = 0;
    return TT_OK;
}

static int save_given_up(state *s, tt_err *e)
{
    sbuf b = {0};
    int rc;
    if (!s->gup_dirty)
        return TT_OK;
    for (size_t i = 0; i < s->ngup; i++) {
        const gup *g = &s->gup[i];
        if (!g->when && !g->ahead)
            continue;
        sbuf_addf(&b, "%016llx\t%lu\t%s", (unsigned long long)g->key,
                  (unsigned long)g->when, g->when ? g->url : "-");
        if (g->ahead)
            sbuf_addf(&b, "\t%lu", (unsigned long)g->ahead);
        sbuf_addc(&b, '\n');
    }
    rc = write_atomic(s, "given-up", b.s, b.len, e);
    if (rc == TT_OK)
        s->gup_dirty = 0;
    sbuf_free(&b);
    return rc;
}

/* ---- validators and hosts, loaded ---- */

static void set_host(state *s, const char *host, double next, double saved);

static int load_tables(state *s, tt_err *e)
{
    char *t;
    size_t n;
    int rc = read_small(s, "validators", &t, &n, e);
    if (rc)
        return rc;
    for (char *line = t, *next; line && *line; line = next) {
        char *f[5];
        size_t nf = 1;
        state_reading rd = {0, STATE_NO_SINCE}; /* none: serves no run */
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        f[0] = line;
        while (nf < 5 && (f[nf] = strchr(f[nf - 1], '\t')) != NULL)
            *f[nf++]++ = '\0';
        if (nf < 3)
            continue;
        if (nf == 5) {
            rd.profile = strtoull(f[3], NULL, 16);
            if (strcmp(f[4], "-"))
                rd.since = strtoll(f[4], NULL, 10);
        }
        set_valid(s, strtoull(f[0], NULL, 16),
                  strcmp(f[1], "-") ? f[1] : NULL,
                  strcmp(f[2], "-") ? f[2] : NULL, &rd);
    }
    free(t);
    if ((rc = read_small(s, "hosts", &t, &n, e)))
        return rc;
    for (char *line = t, *next; line && *line; line = next) {
        char *tab;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if ((tab = strchr(line, '\t'))) {
            char *end;
            double when, saved = 0;
            *tab = '\0';
            when = strtod(tab + 1, &end);
            if (*end == '\t')
                saved = strtod(end + 1, NULL);
            set_host(s, line, when, saved);
        }
    }
    free(t);
    if ((rc = load_unstored(s, e)) || (rc = load_withdrawn(s, e)) ||
        (rc = load_versions(s, e)))
        return rc;
    return load_given_up(s, e);
}

static int open_queue(state *s, tt_err *e)
{
    char *qp = path_of(s, "queue"), *t;
    size_t n;
    int rc = read_small(s, "cursor", &t, &n, e);
    struct stat st;
    if (rc) {
        free(qp);
        return rc;
    }
    s->cursor = t ? strtoull(t, NULL, 10) : 0;
    free(t);
    s->qw = fopen(qp, "ab");
    s->qr = s->qw ? fopen(qp, "rb") : NULL;
    if (!s->qr) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", qp, strerror(errno));
        free(qp);
        return rc;
    }
    if (fstat(fileno(s->qr), &st) == 0 && s->cursor > (uint64_t)st.st_size)
        s->cursor = (uint64_t)st.st_size;
    /* a torn last line (crash mid-append) is cut off */
    if (st.st_size > 0) {
        off_t end = st.st_size;
        char c;
        if (fseeko(s->qr, end - 1, SEEK_SET) == 0 && fread(&c, 1, 1, s->qr) == 1 &&
            c != '\n') {
            off_t k = end - 1;
            while (k > 0) {
                if (fseeko(s->qr, k - 1, SEEK_SET) || fread(&c, 1, 1, s->qr) != 1)
                    break;
                if (c == '\n')
                    break;
                k--;
            }
            if (truncate(qp, k) == 0 && s->cursor > (uint64_t)k)
                s->cursor = (uint64_t)k;
        }
    }
    free(qp);
    /* count what is left */
    if (fseeko(s->qr, (off_t)s->cursor, SEEK_SET) != 0)
        return tt_seterr(e, TT_EIO, "queue: seek failed");
    {
        int c;
        while ((c = getc(s->qr)) != EOF)
            if (c == '\n')
                s->queued++;
        clearerr(s->qr);
    }
    if (fseeko(s->qr, (off_t)s->cursor, SEEK_SET) != 0)
        return tt_seterr(e, TT_EIO, "queue: seek failed");
    s->qread = s->cursor;
    return TT_OK;
}

/* Parse "K DEPTH URL" or "K DEPTH URL RUNS", a queue line of len bytes
 * (NUL-terminated there, no newline) as state_push or the requeueing of
 * deferred entries writes it: 0, or -1 for anything else (a NUL inside, a
 * URL with white space, RUNS not from 1 to STATE_MAX_RUNS). */
static int parse_line(char *line, size_t len, state_item *it)
{
    char *sp, *url, *runs;
    long d;
    unsigned long r = 0;
    if (!strchr("aARhps", line[0]) || line[0] == '\0' || line[1] != ' ' ||
        strlen(line) != len)
        return -1;
    d = strtol(line + 2, &sp, 10);
    if (sp == line + 2 || *sp != ' ' || d < 0 || d > 1000 || !sp[1])
        return -1;
    url = sp + 1;
    runs = strchr(url, ' ');
    if (runs == url)
        return -1;
    if (runs) {
        size_t nd = strspn(runs + 1, "0123456789");
        if (nd == 0 || nd > 5 || runs[1 + nd] != '\0')
            return -1;
        r = strtoul(runs + 1, NULL, 10);
        if (r < 1 || r > STATE_MAX_RUNS)
            return -1;
    }
    if (strcspn(url, " \t\r") != (size_t)((runs ? runs : line + len) - url))
        return -1;
    it->kind = line[0];
    it->depth = (int)d;
    it->deferred = (unsigned)r;
    it->url = xstrndup(url, (size_t)((runs ? runs : line + len) - url));
    return 0;
}

/* Last run's failures back into the queue, with the runs in a row they
 * were deferred (a line of an older state, without, counts as 1).  A
 * crash between the append and the truncation queues them twice:
 * harmless, the crawler skips entries already done or deferred. */
static int requeue_deferred(state *s, tt_err *e)
{
    char *t, *dp;
    size_t n;
    int rc = read_small(s, "deferred", &t, &n, e);
    if (rc || !t)
        return rc;
    for (char *line = t, *next; (next = strchr(line, '\n')); line = next) {
        state_item it;
        *next++ = '\0'; /* a torn last line has none: left out */
        if (parse_line(line, (size_t)(next - 1 - line), &it))
            continue;
        if (fprintf(s->qw, "%c %d %s %u\n", it.kind, it.depth, it.url,
                    it.deferred ? it.deferred : 1) > 0)
            s->queued++;
        free(it.url);
    }
    free(t);
    /* durable in the queue before they leave the deferred file */
    if (sync_file(s, s->qw) != 0)
        return tt_seterr(e, TT_EIO, "%s/queue: %s", s->dir, strerror(errno));
    dp = path_of(s, "deferred");
    if (truncate(dp, 0) != 0)
        rc = tt_seterr(e, TT_EIO, "%s: %s", dp, strerror(errno));
    free(dp);
    return rc;
}

int state_deferred(const state *s, uint64_t key)
{
    return u64set_has(&s->deferred, key);
}

int state_defer(state *s, uint64_t key, int kind, int depth, const char *url,
                unsigned runs, tt_err *e)
{
    if (!s->dir || state_deferred(s, key))
        return TT_OK;
    if (!clean_url(url))
        return tt_seterr(e, TT_EINVAL, "cannot defer URL \"%.80s\"", url);
    u64set_add(&s->deferred, key);
    sbuf_addf(&s->defer, "%c %d %s %u\n", kind, depth < 0 ? 0 : depth, url,
              runs < 1 ? 1 : runs > STATE_MAX_RUNS ? STATE_MAX_RUNS : runs);
    return TT_OK;
}

int state_open(const char *dir, int flags, state **out, tt_err *e)
{
    state *s = xcalloc(1, sizeof *s);
    int rc = TT_OK;
    *out = NULL;
    s->nosync = (flags & STATE_NOSYNC) != 0;
    grow(s);
    if (!dir) {
        s->run = 1;
        *out = s;
        return TT_OK;
    }
    s->dir = xstrdup(dir);
    if ((rc = tt_mkdirs(dir, e)) || (rc = load_run(s, e)) ||
        (rc = load_urls(s, e)) || (rc = load_tables(s, e)) ||
        (rc = open_queue(s, e)) || (rc = requeue_deferred(s, e))) {
        state_close(s, NULL);
        return rc;
    }
    *out = s;
    return TT_OK;
}

/* ---- one directory per profile ---- */

/* The files of a state directory, which the flat layout keeps in
 * crawl-state/ itself. */
static const char *const state_files[] = {
    "run", "urls", "queue", "cursor", "validators", "hosts", "deferred",
    "given-up"};

const char *state_name_problem(const char *name, size_t len)
{
    if (len == 0)
        return "empty";
    if (len > STATE_MAX_NAME)
        return "longer than 100 bytes";
    if ((len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)))
        return "not a name of a directory of its own";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '/')
            return "has a '/'";
        if (c < 0x20 || c == 0x7f)
            return "has a control character";
    }
    if (len >= 4 && !memcmp(name + len - 4, ".tmp", 4))
        return "ends in .tmp (kept for a state directory being made)";
    for (size_t i = 0; i < sizeof state_files / sizeof *state_files; i++)
        if (strlen(state_files[i]) == len && !memcmp(name, state_files[i], len))
            return "the name of a crawl state file (of the flat layout)";
    return NULL;
}

/* Copy the file src to dst, fsynced unless nosync; nothing when src does
 * not exist. */
static int copy_file(const char *src, const char *dst, int nosync, tt_err *e)
{
    char buf[65536];
    FILE *in = fopen(src, "rb"), *out;
    size_t n;
    int rc = TT_OK;
    if (!in)
        return errno == ENOENT
                   ? TT_OK
                   : tt_seterr(e, TT_EIO, "%s: %s", src, strerror(errno));
    if (!(out = fopen(dst, "wb"))) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", dst, strerror(errno));
        goto fail;
    }
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            break;
    if (ferror(in))
        rc = tt_seterr(e, TT_EIO, "%s: read error", src);
    else if (ferror(out) || flush_sync(out, nosync) != 0)
        rc = tt_seterr(e, TT_EIO, "%s: %s", dst, strerror(errno));
    if (fclose(out) != 0 && rc == TT_OK)
        rc = tt_seterr(e, TT_EIO, "%s: %s", dst, strerror(errno));
fail:
    fclose(in);
    return rc;
}

/* dir (root/NAME), when it does not exist and root holds a flat state,
 * made as a copy of it: into dir.tmp, then renamed, so that a copy cut
 * short leaves no dir, only a dir.tmp the next try removes. */
static int copy_flat(const char *root, const char *dir, int nosync,
                     tt_err *e)
{
    sbuf src = {0}, tmp = {0}, dst = {0};
    struct stat st;
    int rc = TT_OK;
    if (lstat(dir, &st) == 0 || errno != ENOENT)
        return TT_OK; /* there (or state_open says what is wrong) */
    sbuf_addf(&src, "%s/run", root);
    if (lstat(src.s, &st) != 0 || !S_ISREG(st.st_mode))
        goto done; /* no flat state: a new one */
    sbuf_addf(&tmp, "%s.tmp", dir);
    if ((rc = tt_rmtree(tmp.s, e)) != TT_OK)
        goto done;
    if (mkdir(tmp.s, 0777) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", tmp.s, strerror(errno));
        goto done;
    }
    for (size_t i = 0; i < sizeof state_files / sizeof *state_files; i++) {
        sbuf_reset(&src);
        sbuf_reset(&dst);
        sbuf_addf(&src, "%s/%s", root, state_files[i]);
        sbuf_addf(&dst, "%s/%s", tmp.s, state_files[i]);
        if ((rc = copy_file(src.s, dst.s, nosync, e)) != TT_OK)
            goto done;
    }
    /* the names in dir.tmp durable before it becomes dir, and dir too */
    if (!nosync && tt_sync_dir(tmp.s) != 0)
        rc = tt_seterr(e, TT_EIO, "%s: fsync: %s", tmp.s, strerror(errno));
    else if (rename(tmp.s, dir) != 0)
        rc = tt_seterr(e, TT_EIO, "%s: %s", dir, strerror(errno));
    else if (!nosync && tt_sync_dir(root) != 0)
        rc = tt_seterr(e, TT_EIO, "%s: fsync: %s", root, strerror(errno));
done:
    sbuf_free(&src);
    sbuf_free(&tmp);
    sbuf_free(&dst);
    return rc;
}

int state_open_profile(const char *root, const char *name, int flags,
                       state **out, tt_err *e)
{
    const char *why = state_name_problem(name, strlen(name));
    sbuf dir = {0};
    int rc;
    *out = NULL;
    if (why)
        return tt_seterr(e, TT_EINVAL, "profile name \"%.*s\": %s",
                         STATE_MAX_NAME, name, why);
    sbuf_addf(&dir, "%s/%s", root, name);
    if ((rc = copy_flat(root, dir.s, (flags & STATE_NOSYNC) != 0, e)) ==
        TT_OK)
        rc = state_open(dir.s, flags, out, e);
    sbuf_free(&dir);
    return rc;
}

/* ---- the queue ---- */

int state_push(state *s, int kind, int depth, const char *url, tt_err *e)
{
    if (s->err.code)
        return tt_seterr(e, s->err.code, "%s", s->err.msg);
    if (!clean_url(url))
        return tt_seterr(e, TT_EINVAL, "cannot queue URL \"%.80s\"", url);
    if (depth < 0)
        depth = 0;
    if (!s->dir) {
        sbuf_addf(&s->qbuf, "%c %d %s\n", kind, depth, url);
    } else if (fprintf(s->qw, "%c %d %s\n", kind, depth, url) < 0) {
        tt_seterr(&s->err, TT_EIO, "%s/queue: %s", s->dir, strerror(errno));
        return tt_seterr(e, s->err.code, "%s", s->err.msg);
    }
    s->queued++;
    return TT_OK;
}

static void pend_add(state *s, uint64_t off)
{
    if (s->plen == s->pcap) {
        size_t oc = s->pcap, nc = oc ? oc * 2 : 256;
        pend *np = xmalloc(nc * sizeof *np);
        for (size_t i = 0; i < s->plen; i++)
            np[i] = s->pend[(s->pstart + i) % oc];
        free(s->pend);
        s->pend = np;
        s->pcap = nc;
        s->pstart = 0;
    }
    s->pend[(s->pstart + s->plen) % s->pcap] = (pend){off, 0};
    s->plen++;
}

int state_pop(state *s, state_item *it, tt_err *e)
{
    char buf[STATE_MAX_LINE];
    memset(it, 0, sizeof *it);
    for (;;) {
        size_t len;
        uint64_t off = s->qread;
        if (!s->dir) {
            char *nl;
            if (s->qread >= s->qbuf.len)
                return 0;
            nl = memchr(s->qbuf.s + s->qread, '\n', s->qbuf.len - s->qread);
            len = (size_t)(nl - (s->qbuf.s + s->qread));
            if (len >= sizeof buf)
                len = sizeof buf - 1;
            memcpy(buf, s->qbuf.s + s->qread, len);
            buf[len] = '\0';
            s->qread = (uint64_t)(nl - s->qbuf.s) + 1;
        } else {
            int c, flushed = 0, toolong = 0;
            size_t k = 0;
            for (;;) {
                c = getc(s->qr);
                if (c == EOF) {
                    if (ferror(s->qr))
                        return -tt_seterr(e, TT_EIO, "%s/queue: read error",
                                          s->dir);
                    clearerr(s->qr);
                    if (!flushed) {
                        /* push the writer's buffer and look again */
                        if (fflush(s->qw) != 0)
                            return -tt_seterr(e, TT_EIO, "%s/queue: %s",
                                              s->dir, strerror(errno));
                        flushed = 1;
                        continue;
                    }
                    /* no complete line: leave it for later */
                    if (fseeko(s->qr, (off_t)off, SEEK_SET) != 0)
                        return -tt_seterr(e, TT_EIO, "%s/queue: seek failed",
                                          s->dir);
                    return 0;
                }
                if (c == '\n')
                    break;
                if (k + 1 < sizeof buf)
                    buf[k++] = (char)c;
                else
                    toolong = 1;
            }
            len = k;
            s->qread = (uint64_t)ftello(s->qr);
            buf[k] = '\0';
            if (toolong) {
                if (s->queued)
                    s->queued--;
                continue;
            }
        }
        if (s->queued)
            s->queued--;
        if (parse_line(buf, len, it) == 0) {
            it->off = off;
            pend_add(s, off);
            return 1;
        }
    }
}

void state_finish(state *s, uint64_t off)
{
    for (size_t i = 0; i < s->plen; i++) {
        pend *p = &s->pend[(s->pstart + i) % s->pcap];
        if (p->off == off) {
            p->done = 1;
            break;
        }
    }
    while (s->plen && s->pend[s->pstart].done) {
        s->pstart = (s->pstart + 1) % s->pcap;
        s->plen--;
    }
}

uint64_t state_queued(const state *s) { return s->queued; }

/* ---- validators and hosts ---- */

void state_validators(const state *s, uint64_t key, const state_reading *rd,
                      const char **etag, const char **last_modified)
{
    const valid *v = find_valid(s, key);
    /* a reading at least as wide as this one: the same profile, and no
     * --since or one no later */
    if (v && !(rd->profile && v->rd.profile == rd->profile &&
               v->rd.since <= rd->since))
        v = NULL;
    *etag = v ? v->etag : NULL;
    *last_modified = v ? v->lm : NULL;
}

static int clean_value(const char *v)
{
    if (!v || !*v || strlen(v) > 512)
        return 0;
    for (; *v; v++)
        if ((unsigned char)*v < 0x20 || *v == 0x7f)
            return 0;
    return 1;
}

void state_set_validators(state *s, uint64_t key, const char *etag,
                          const char *last_modified, const state_reading *rd)
{
    set_valid(s, key, clean_value(etag) ? etag : NULL,
              clean_value(last_modified) ? last_modified : NULL, rd);
}

static hostent *find_host(const state *s, const char *host)
{
    for (size_t i = 0; i < s->nhosts; i++)
        if (!strcmp(s->hosts[i].host, host))
            return &s->hosts[i];
    return NULL;
}

double state_host_next(const state *s, const char *host)
{
    hostent *h = find_host(s, host);
    return h ? h->next : 0;
}

double state_host_saved(const state *s, const char *host)
{
    hostent *h = find_host(s, host);
    return h ? h->saved : 0;
}

static void set_host(state *s, const char *host, double next, double saved)
{
    hostent *h = find_host(s, host);
    if (!h) {
        if (!clean_value(host) || strchr(host, '\t'))
            return;
        xgrow(&s->hosts, &s->hostcap, s->nhosts + 1, sizeof *s->hosts);
        h = &s->hosts[s->nhosts++];
        h->host = xstrdup(host);
    }
    h->next = next;
    h->saved = saved;
}

void state_set_host_next(state *s, const char *host, double wall)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    set_host(s, host, wall, (double)ts.tv_sec + ts.tv_nsec / 1e9);
}

/* ---- checkpoints ---- */

int state_checkpoint(state *s, tt_err *e)
{
    sbuf b = {0};
    int rc;
    uint64_t cur;
    if (!s->dir)
        return TT_OK;
    if (s->err.code)
        return tt_seterr(e, s->err.code, "%s", s->err.msg);
    if (sync_file(s, s->qw) != 0) {
        tt_seterr(&s->err, TT_EIO, "%s/queue: %s", s->dir, strerror(errno));
        return tt_seterr(e, s->err.code, "%s", s->err.msg);
    }
    if ((rc = flush_urls(s, e)))
        goto done;
    if ((rc = flush_versions(s, e)) ||
        (rc = append_file(s, "deferred", &s->defer, e)))
        goto done;
    for (size_t i = 0; i < s->nval; i++) {
        const valid *v = &s->val[i];
        if (!v->etag && !v->lm)
            continue;
        sbuf_addf(&b, "%016llx\t%s\t%s\t%016llx\t", (unsigned long long)v->key,
                  v->etag ? v->etag : "-", v->lm ? v->lm : "-",
                  (unsigned long long)v->rd.profile);
        if (v->rd.since == STATE_NO_SINCE)
            sbuf_adds(&b, "-\n");
        else
            sbuf_addf(&b, "%lld\n", (long long)v->rd.since);
    }
    if ((rc = write_atomic(s, "validators", b.s, b.len, e)))
        goto done;
    sbuf_reset(&b);
    for (size_t i = 0; i < s->nhosts; i++)
        sbuf_addf(&b, "%s\t%.3f\t%.3f\n", s->hosts[i].host, s->hosts[i].next,
                  s->hosts[i].saved);
    if ((rc = write_atomic(s, "hosts", b.s, b.len, e)) ||
        (rc = save_given_up(s, e)) || (rc = save_unstored(s, e)) ||
        (rc = save_withdrawn(s, e)))
        goto done;
    /* the names too (files created, renamed) before the cursor */
    if (!s->nosync && tt_sync_dir(s->dir) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: fsync: %s", s->dir, strerror(errno));
        goto done;
    }
    sbuf_reset(&b);
    cur = s->plen ? s->pend[s->pstart].off : s->qread;
    sbuf_addf(&b, "%llu\n", (unsigned long long)cur);
    if ((rc = write_atomic(s, "cursor", b.s, b.len, e)))
        goto done;
    s->cursor = cur;
done:
    sbuf_free(&b);
    return rc;
}

int state_reset_queue(state *s, tt_err *e)
{
    char *qp;
    int rc = TT_OK;
    if (!s->dir) {
        sbuf_reset(&s->qbuf);
        s->qread = 0;
        s->plen = 0;
        s->queued = 0;
        return TT_OK;
    }
    if (s->plen)
        return TT_OK; /* entries still out: not consumed */
    qp = path_of(s, "queue");
    fflush(s->qw);
    if (truncate(qp, 0) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", qp, strerror(errno));
    } else {
        clearerr(s->qr);
        fseeko(s->qr, 0, SEEK_SET);
        s->qread = 0;
        s->queued = 0;
        rc = write_atomic(s, "cursor", "0\n", 2, e);
        s->cursor = 0;
    }
    free(qp);
    return rc;
}

int state_close(state *s, tt_err *e)
{
    int rc = TT_OK;
    if (!s)
        return TT_OK;
    if (s->dir && s->qw)
        rc = state_checkpoint(s, e);
    state_free(s);
    return rc;
}

void state_free(state *s)
{
    if (!s)
        return;
    if (s->qw)
        fclose(s->qw);
    if (s->qr)
        fclose(s->qr);
    for (size_t i = 0; i < s->nval; i++) {
        free(s->val[i].etag);
        free(s->val[i].lm);
    }
    free(s->val);
    free(s->vidx.v);
    for (size_t i = 0; i < s->ngup; i++)
        free(s->gup[i].url);
    free(s->gup);
    free(s->gidx.v);
    for (size_t i = 0; i < s->nhosts; i++)
        free(s->hosts[i].host);
    free(s->hosts);
    free(s->tab);
    free(s->pend);
    sbuf_free(&s->logbuf);
    sbuf_free(&s->qbuf);
    sbuf_free(&s->defer);
    u64set_free(&s->deferred);
    for (size_t i = 0; i < s->nuns; i++)
        free(s->uns[i].url);
    free(s->uns);
    free(s->uidx.v);
    free(s->wdr);
    free(s->widx.v);
    free(s->ver);
    free(s->veridx.v);
    sbuf_free(&s->verbuf);
    free(s->dir);
    free(s);
}
