/* reextract.c — see reextract.h.
 *
 * Three steps: the ids (the site's live articles in first-stored order,
 * or those given, checked before anything is read further), the pages
 * they were extracted from (corpus_find_responses: where the id index
 * keeps them, then one scan of the corpus for the rest, if any), then
 * each article in turn: its latest version, its page read back and
 * checked against its digest, the crawler's reading of it (pageread.h),
 * and a new version when the two differ.
 *
 * "Differs" is the crawler's own rule (store.c): the article's JSON,
 * every field but those extraction cannot give back — id, url, source
 * and response, which are the stored version's — so title, sapo, body,
 * captions, authors, section, tags, published, modified, image and
 * canonical.  Extraction is deterministic for a page and a profile (its
 * dates are judged against the fetch time, the response's WARC-Date),
 * so a second run finds everything unchanged.
 */
#include "reextract.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article.h"
#include "corpus.h"
#include "date.h"
#include "feed.h"
#include "pageread.h"

#define PROGRESS_SECS 0.5
#define MAX_NOTES 50 /* extraction's notes said (as a crawl's reports) */

static volatile sig_atomic_t stop_requested;

void reextract_stop(void)
{
    stop_requested = 1;
}

typedef struct target {
    char *id;
    char *response; /* the latest version's "response", or NULL */
} target;

typedef struct run {
    const crawl_opts *o;
    corpus *c;
    reextract_stats *st;
    target *t;
    size_t n, cap;
    corpus_pos *pos;  /* of each target's page; {0,0}: not found */
    uint64_t noted;   /* extraction's notes met */
    double last_progress;
} run;

static void say(const run *r, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "PROGRAM: article ID: message", over the progress line; nothing with
 * --quiet. */
static void say(const run *r, const char *id, const char *fmt, ...)
{
    va_list ap;
    if (r->o->quiet)
        return;
    if (r->o->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "%s: article %s: ", tt_progname(), id);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void progress(run *r, size_t done, int last)
{
    double now = tt_now();
    if (!r->o->progress || (!last && now - r->last_progress < PROGRESS_SECS))
        return;
    r->last_progress = now;
    fprintf(stderr, "\r\033[K%s: re-extracting: %zu of %zu articles, "
            "%llu changed%s", tt_progname(), done, r->n,
            (unsigned long long)r->st->changed, last ? "\n" : "");
}

static void add_target(run *r, const article *a)
{
    xgrow(&r->t, &r->cap, r->n + 1, sizeof *r->t);
    r->t[r->n].id = xstrdup(a->id);
    r->t[r->n].response = a->response ? xstrdup(a->response) : NULL;
    r->n++;
}

static int push_id(void *arg, const char *id)
{
    strlist_push(arg, id, strlen(id));
    return 0;
}

/* Every live article of the profile's site: an article that cannot be
 * read is said and counted failed (its site unknown). */
static void collect_all(run *r)
{
    strlist ids = {0};
    const char *name = profile_name(r->o->prof);
    corpus_each_id(r->c, push_id, &ids);
    for (size_t i = 0; i < ids.n; i++) {
        article a;
        tt_err e;
        if (corpus_get(r->c, ids.v[i], &a, &e) != TT_OK) {
            r->st->articles++;
            r->st->failed++;
            say(r, ids.v[i], "cannot be read: %s", e.msg);
            continue;
        }
        if (a.source && !strcmp(a.source, name))
            add_target(r, &a);
        article_free(&a);
    }
    strlist_free(&ids);
}

/* The ids given, each once: live in the corpus, and the profile's site's
 * or of none (imported); TT_EINVAL otherwise, before anything is done. */
static int collect_ids(run *r, const char *const *ids, size_t nids,
                       tt_err *e)
{
    const char *name = profile_name(r->o->prof);
    u64set seen = {0};
    int rc = TT_OK;
    for (size_t i = 0; i < nids && rc == TT_OK; i++) {
        corpus_pos p;
        article a;
        tt_err ge;
        int deleted = 0, again = 0;
        if (!u64set_add(&seen, tt_fnv1a(ids[i], strlen(ids[i]))))
            for (size_t k = 0; k < i && !again; k++)
                again = !strcmp(ids[k], ids[i]);
        if (again)
            continue;
        if (corpus_latest(r->c, ids[i], &p, &deleted) != TT_OK)
            rc = tt_seterr(e, TT_EINVAL, "no article %s in the corpus",
                           ids[i]);
        else if (deleted)
            rc = tt_seterr(e, TT_EINVAL, "article %s is deleted in the "
                           "corpus", ids[i]);
        else if (corpus_get(r->c, ids[i], &a, &ge) != TT_OK) {
            r->st->articles++; /* the run says it, and goes on */
            r->st->failed++;
            say(r, ids[i], "cannot be read: %s", ge.msg);
        } else {
            if (a.source && *a.source && strcmp(a.source, name))
                rc = tt_seterr(e, TT_EINVAL, "article %s is another site's "
                               "(%s), not %s's: re-extract it with that "
                               "site's profile", ids[i], a.source, name);
            else
                add_target(r, &a);
            article_free(&a);
        }
    }
    u64set_free(&seen);
    return rc;
}

/* The article the crawler makes of page rec today, for stored version
 * old: the same reading of the page as the crawl's (body_done: a body
 * still gzip'd inflated, pageread_html, pageread_article), its fetch time
 * the response's WARC-Date.  TT_ECORRUPT (not an HTTP response, bad gzip
 * data), TT_ENOTFOUND (not HTML, not an article) or dom_parse_html's
 * status, with a message. */
static int extract_again(run *r, const article *old, const corpus_rec *rec,
                         article *na, tt_err *e)
{
    sbuf ctype = {0}, raw = {0};
    strlist notes = {0};
    const char *body, *url;
    size_t n;
    int64_t fetched = 0;
    dom_doc *d = NULL;
    int rc;
    memset(na, 0, sizeof *na);
    url = old->url && *old->url ? old->url : rec->target_uri;
    if (pageread_block(rec->payload, rec->payload_len, "Content-Type",
                       &ctype, &body, &n)) {
        rc = tt_seterr(e, TT_ECORRUPT, "not an HTTP response");
        goto done;
    }
    if (feed_is_gzip(body, n)) {
        if ((rc = feed_gunzip(body, n, r->o->max_page_size * 8, &raw, e)))
            goto done;
        body = raw.s;
        n = raw.len;
    }
    if (!rec->date || date_parse_iso(rec->date, &fetched) != 0)
        fetched = 0; /* (now) */
    rc = pageread_html(ctype.len ? ctype.s : NULL, body, n, url, &d, e);
    if (rc != TT_OK)
        goto done;
    rc = pageread_article(r->o->prof, d, url, fetched, &notes, na, e);
    for (size_t i = 0; i < notes.n && !r->o->quiet; i++) {
        if (r->noted++ >= MAX_NOTES) {
            if (r->noted == MAX_NOTES + 1)
                fprintf(stderr, "%s: (more notes not shown)\n",
                        tt_progname());
            continue;
        }
        fprintf(stderr, "%s%s: %s: %s\n", r->o->progress ? "\r\033[K" : "",
                tt_progname(), url ? url : old->id, notes.v[i]);
    }
done:
    dom_free(d);
    strlist_free(&notes);
    sbuf_free(&ctype);
    sbuf_free(&raw);
    return rc;
}

static void replace(char **dst, const char *src)
{
    free(*dst);
    *dst = src ? xstrdup(src) : NULL;
}

/* The names of the fields in which a and b differ, ", " between, into
 * out: what a line says of an article that changed. */
static void differences(const article *a, const article *b, sbuf *out)
{
    static const struct {
        const char *name;
        size_t off;
        int list;
    } f[] = {
        {"title", offsetof(article, title), 0},
        {"sapo", offsetof(article, sapo), 0},
        {"body", offsetof(article, body), 1},
        {"captions", offsetof(article, captions), 1},
        {"authors", offsetof(article, authors), 1},
        {"section", offsetof(article, section), 0},
        {"tags", offsetof(article, tags), 1},
        {"published", offsetof(article, published), 0},
        {"modified", offsetof(article, modified), 0},
        {"image", offsetof(article, image), 0},
        {"canonical", offsetof(article, canonical), 0},
    };
    sbuf_reset(out);
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        const char *pa = (const char *)a + f[i].off;
        const char *pb = (const char *)b + f[i].off;
        int same;
        if (f[i].list) {
            same = strlist_equal((const strlist *)pa, (const strlist *)pb);
        } else {
            const char *sa = *(char *const *)pa, *sb = *(char *const *)pb;
            same = !strcmp(sa ? sa : "", sb ? sb : "");
        }
        if (!same)
            sbuf_addf(out, "%s%s", out->len ? ", " : "", f[i].name);
    }
    if (!out->len)
        sbuf_adds(out, "its JSON");
}

/* The dry-run output cannot be written (errno err): an error that stops
 * the run, naming standard output when it is. */
static int output_error(const crawl_opts *o, int err, tt_err *e)
{
    return tt_seterr(e, TT_EIO, "%s: write error: %s",
                     o->out == stdout ? "standard output (the dry-run output)"
                                      : "the dry-run output",
                     strerror(err ? err : EIO));
}

/* A record the corpus cannot read, not said yet by this run ("FILE:
 * offset N: why"): said as the corpus says it at its open. */
static void say_damaged(void *arg, const char *msg)
{
    const run *r = arg;
    if (r->o->quiet)
        return;
    if (r->o->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "%s: warning: %s\n", tt_progname(), msg);
}

/* --verbose: how the pages were found (an id's page where the id index
 * keeps it, or by a scan of every record). */
static void say_pages(const run *r, const corpus_find_stats *fs)
{
    if (!r->o->verbose || r->o->quiet || !fs->named)
        return;
    if (r->o->progress)
        fputs("\r\033[K", stderr);
    if (fs->scan)
        fprintf(stderr, "%s: pages: %llu found where the id index says, "
                "%llu of %llu by a scan of the corpus\n", tt_progname(),
                (unsigned long long)fs->indexed,
                (unsigned long long)fs->scanned,
                (unsigned long long)(fs->named - fs->indexed));
    else
        fprintf(stderr, "%s: pages: %llu found where the id index says (no "
                "scan of the corpus)\n", tt_progname(),
                (unsigned long long)fs->indexed);
}

/* Re-extract target t (its page at pos).  TT_OK, or the storage (dry
 * run: output) error that stops the run; what befalls the article itself
 * is counted and said. */
static int one(run *r, const target *t, corpus_pos pos, tt_err *e)
{
    reextract_stats *st = r->st;
    article old, na;
    corpus_rec rec;
    tt_err ae;
    char *oj = NULL, *nj = NULL;
    int rc = TT_OK, stored = 0;
    size_t ndamaged;
    memset(&na, 0, sizeof na);
    st->articles++;
    if (!t->response || !pos.file) {
        if (t->response &&
            (ndamaged = corpus_damaged(r->c, say_damaged, (void *)r))) {
            st->failed++;
            if (ndamaged == 1)
                say(r, t->id, "its page (response %s) is in no record the "
                    "corpus can read: it may be the damage said above "
                    "(timtin-corpus verify): left as it is", t->response);
            else
                say(r, t->id, "its page (response %s) is in no record the "
                    "corpus can read: it may be in one of the %zu damaged "
                    "places said above (timtin-corpus verify lists them): "
                    "left as it is", t->response, ndamaged);
            return TT_OK;
        }
        st->no_page++;
        if (r->o->verbose && t->response)
            say(r, t->id, "its page (response %s) is not in the corpus "
                "(imported from another's export?): skipped", t->response);
        else if (r->o->verbose)
            say(r, t->id, "no page stored (imported): skipped");
        return TT_OK;
    }
    if (corpus_get(r->c, t->id, &old, &ae) != TT_OK) {
        st->failed++;
        say(r, t->id, "cannot be read: %s", ae.msg);
        return TT_OK;
    }
    /* (after corpus_get: rec lives until the next call on the corpus) */
    if (corpus_get_response(r->c, pos, &rec, &ae) != TT_OK) {
        st->failed++;
        say(r, t->id, "its page cannot be read: %s: left as it is", ae.msg);
        goto done;
    }
    if (extract_again(r, &old, &rec, &na, &ae) != TT_OK) {
        st->failed++;
        if (ae.code == TT_ENOTFOUND && strncmp(ae.msg, "not HTML", 8))
            say(r, t->id, "not an article now: %s (its page: %s: offset "
                "%llu): left as it is", ae.msg, rec.file,
                (unsigned long long)rec.pos.offset);
        else
            say(r, t->id, "its page (%s: offset %llu) cannot be read: %s: "
                "left as it is", rec.file,
                (unsigned long long)rec.pos.offset, ae.msg);
        goto done;
    }
    /* what extraction cannot give back is the stored version's */
    replace(&na.id, old.id);
    replace(&na.url, old.url);
    replace(&na.source, old.source);
    replace(&na.response, old.response);
    oj = article_to_json(&old, NULL);
    nj = article_to_json(&na, NULL);
    st->extracted++;
    if (!strcmp(oj, nj)) {
        st->unchanged++;
        goto done;
    }
    if (r->o->dry_run) {
        sbuf what = {0};
        errno = 0;
        if (fprintf(r->o->out, "%s\n", nj) < 0) {
            rc = output_error(r->o, errno, e);
            goto done;
        }
        st->changed++;
        differences(&old, &na, &what);
        say(r, t->id, "would change: %s", what.s);
        sbuf_free(&what);
        goto done;
    }
    rc = corpus_put_article(r->c, &na, &stored, &ae);
    if (rc == TT_EINVAL) { /* this article only (too large once stored) */
        rc = TT_OK;
        st->extracted--;
        st->failed++;
        say(r, t->id, "not stored: %s", ae.msg);
    } else if (rc != TT_OK) {
        *e = ae;
    } else if (stored) {
        st->changed++;
        if (r->o->verbose) {
            sbuf what = {0};
            differences(&old, &na, &what);
            say(r, t->id, "changed: %s: a new version appended", what.s);
            sbuf_free(&what);
        }
    } else {
        st->unchanged++;
    }
done:
    free(oj);
    free(nj);
    article_free(&na);
    article_free(&old);
    return rc;
}

int reextract_run(const crawl_opts *o, const char *const *ids, size_t nids,
                  reextract_stats *st, tt_err *e)
{
    run r;
    corpus_opts co = {0};
    corpus_find_stats fs;
    const char **resp = NULL;
    double t0 = tt_now();
    size_t i = 0;
    int rc;
    tt_err ce;
    memset(&r, 0, sizeof r);
    memset(st, 0, sizeof *st);
    r.o = o;
    r.st = st;
    stop_requested = 0;
    if (!o->corpus_dir)
        return tt_seterr(e, TT_EINVAL, "no corpus directory");
    co.fsync = !o->no_sync;
    if ((rc = corpus_open(o->corpus_dir,
                          o->dry_run ? CORPUS_READ : CORPUS_WRITE, &co, &r.c,
                          e)) != TT_OK)
        return rc;
    if (nids)
        rc = collect_ids(&r, ids, nids, e);
    else
        collect_all(&r);
    if (rc != TT_OK)
        goto fail;
    st->ran = 1;
    resp = xcalloc(r.n + 1, sizeof *resp);
    r.pos = xcalloc(r.n + 1, sizeof *r.pos);
    for (size_t k = 0; k < r.n; k++)
        resp[k] = r.t[k].response;
    if ((rc = corpus_find_responses(r.c, resp, r.n, r.pos, &fs, e)) !=
        TT_OK)
        goto fail;
    say_pages(&r, &fs);
    for (i = 0; i < r.n && !stop_requested && rc == TT_OK; i++) {
        rc = one(&r, &r.t[i], r.pos[i], e);
        progress(&r, i + 1, 0);
    }
    st->left = r.n - i;
    progress(&r, i, 1);
    if (rc == TT_OK && o->dry_run) {
        errno = 0;
        if (fflush(o->out) != 0 || ferror(o->out))
            rc = output_error(o, errno, e);
    }
fail:
    if (corpus_close(r.c, &ce) != TT_OK && rc == TT_OK)
        rc = tt_seterr(e, ce.code, "%s", ce.msg);
    for (size_t k = 0; k < r.n; k++) {
        free(r.t[k].id);
        free(r.t[k].response);
    }
    free(r.t);
    free(r.pos);
    free(resp);
    st->seconds = tt_now() - t0;
    return rc;
}
