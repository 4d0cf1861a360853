/* store.c — see store.h.  One mutex guards the job ring and the counts;
 * another serialises every use of the corpus handle (which is not
 * thread-safe) between the writer and store_has. */
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "warc.h"

typedef struct job {
    article a;
    char *uri, *block;
    size_t len;
    int revisit; /* store_put_revisit's: counted apart too */
} job;

typedef struct version { /* a version stored (store_take_versions) */
    article a;   /* its id, published and modified only */
    int changed; /* 0: a new article */
} version;

struct store {
    corpus *c;
    FILE *dry;
    pthread_t th;
    pthread_mutex_t mu;      /* ring, counts, err, flags */
    pthread_mutex_t cmu;     /* the corpus handle */
    pthread_cond_t work;     /* a job was queued, or quit */
    pthread_cond_t room;     /* a job was taken or finished */
    job ring[STORE_QUEUE];
    size_t head, len, busy;  /* busy: jobs taken and not yet written */
    int quit;
    store_counts n;
    sbuf samples;            /* URLs of suspect articles, ", " between */
    tt_err err;              /* sticky */
    strlist undelete;        /* ids that may be stored over their deletion
                                marker (store_undelete) */
    version *ver;            /* versions stored, not yet taken */
    size_t nver, vercap;
};

/* Article a was stored, a new one or a new version (s->mu held): noted
 * for store_take_versions, taking its id and dates. */
static void note_version(store *s, article *a, int changed)
{
    version *v;
    xgrow(&s->ver, &s->vercap, s->nver + 1, sizeof *s->ver);
    v = &s->ver[s->nver++];
    memset(v, 0, sizeof *v);
    v->a.id = a->id;
    v->a.published = a->published;
    v->a.modified = a->modified;
    v->changed = changed;
    a->id = a->published = a->modified = NULL;
}

/* An article stored (added or changed; s->mu held): counted when it has
 * no date or hardly any text. */
static void check_stored(store *s, const article *a)
{
    size_t len, chars = 0;
    char *body = article_body_text(a, &len);
    int undated = !a->published || !*a->published;
    for (size_t i = 0; i < len && chars < STORE_THIN_BODY; i++)
        chars += ((unsigned char)body[i] & 0xC0) != 0x80; /* code points */
    free(body);
    s->n.undated += undated;
    s->n.thin += chars < STORE_THIN_BODY;
    if (!undated && chars >= STORE_THIN_BODY)
        return;
    if (s->n.suspect++ < STORE_SAMPLES && a->url)
        sbuf_addf(&s->samples, "%s%s", s->samples.len ? ", " : "", a->url);
}

/* The dry-run output could not be written (errno err): the store's
 * sticky error, so the crawl stops and fails instead of losing every
 * article in silence. */
static void dry_failed(store *s, int err)
{
    pthread_mutex_lock(&s->mu);
    if (!s->err.code)
        tt_seterr(&s->err, TT_EIO, "%s: write error: %s",
                  s->dry == stdout ? "standard output (the dry-run output)"
                                   : "the dry-run output",
                  strerror(err ? err : EIO));
    pthread_mutex_unlock(&s->mu);
}

/* Whether an article of source b may stand for the stored one of source
 * a: the same site, or a stored article that names none (imported). */
static int same_source(const char *a, const char *b)
{
    return !a || !*a || (b && !strcmp(a, b));
}

/* Whether the latest record of id is a deletion marker (corpus lock
 * held). */
static int deleted_in(corpus *c, const char *id)
{
    corpus_pos pos;
    int deleted = 0;
    return corpus_latest(c, id, &pos, &deleted) == TT_OK && deleted;
}

static int may_undelete(store *s, const char *id)
{
    for (size_t i = 0; i < s->undelete.n; i++)
        if (!strcmp(s->undelete.v[i], id))
            return 1;
    return 0;
}

/* Store one page (corpus lock held). */
static void write_one(store *s, job *j)
{
    sbuf old = {0};
    char *nj = NULL;
    int existed = 0, same = 0, stored = 0, undeleting = 0, rc;
    char rid[WARC_ID_LEN];
    tt_err e;
    if (!s->c) {
        char *js = article_to_json(&j->a, NULL);
        errno = 0;
        rc = fprintf(s->dry, "%s\n", js);
        free(js);
        if (rc < 0) {
            dry_failed(s, errno);
            return;
        }
        pthread_mutex_lock(&s->mu);
        s->n.added++;
        check_stored(s, &j->a);
        pthread_mutex_unlock(&s->mu);
        return;
    }
    if (j->a.deleted) {
        /* a deletion marker (store_delete) */
        rc = corpus_delete_article(s->c, j->a.id, &stored, &e);
        pthread_mutex_lock(&s->mu);
        if (rc != TT_OK && rc != TT_ENOTFOUND && !s->err.code)
            s->err = e;
        s->n.deletions += (uint64_t)(rc == TT_OK && stored);
        pthread_mutex_unlock(&s->mu);
        goto done;
    }
    if (deleted_in(s->c, j->a.id)) {
        /* taken down: stored again only when the operator says so (the
         * crawl does not fetch it; this is the last guard) */
        if (!may_undelete(s, j->a.id)) {
            pthread_mutex_lock(&s->mu);
            s->n.deleted++;
            pthread_mutex_unlock(&s->mu);
            goto done;
        }
        undeleting = 1;
    } else if (corpus_get_json(s->c, j->a.id, &old, NULL) == TT_OK) {
        article oa;
        existed = 1;
        if (article_from_json(old.s, old.len, &oa, NULL) == TT_OK) {
            char *oj;
            if (!same_source(oa.source, j->a.source)) {
                /* another site's article: never replaced (the crawl
                 * reports it before fetching; this is the last guard) */
                article_free(&oa);
                pthread_mutex_lock(&s->mu);
                s->n.conflicts++;
                pthread_mutex_unlock(&s->mu);
                goto done;
            }
            /* the same page fetched again has another response id: compare
             * everything else */
            free(j->a.response);
            j->a.response = oa.response ? xstrdup(oa.response) : NULL;
            oj = article_to_json(&oa, NULL);
            nj = article_to_json(&j->a, NULL);
            same = !strcmp(oj, nj);
            free(oj);
            article_free(&oa);
        }
    }
    if (same) {
        pthread_mutex_lock(&s->mu);
        s->n.unchanged++;
        s->n.revisit_unchanged += (uint64_t)j->revisit;
        pthread_mutex_unlock(&s->mu);
        goto done;
    }
    if ((rc = corpus_put_response(s->c, j->uri, j->block, j->len, NULL, rid,
                                  &e)) == TT_OK) {
        free(j->a.response);
        j->a.response = xstrdup(rid);
        rc = corpus_put_article(s->c, &j->a, &stored, &e);
    }
    pthread_mutex_lock(&s->mu);
    if (rc == TT_EINVAL) {
        s->n.rejected++; /* this article only (no title...) */
        s->n.revisit_failed += (uint64_t)j->revisit;
    } else if (rc != TT_OK) {
        if (!s->err.code)
            s->err = e;
    } else if (existed) {
        s->n.changed++;
        s->n.revisit_changed += (uint64_t)j->revisit;
        check_stored(s, &j->a);
        note_version(s, &j->a, 1);
    } else {
        s->n.added++;
        s->n.undeleted += (uint64_t)undeleting;
        check_stored(s, &j->a);
        note_version(s, &j->a, 0);
    }
    pthread_mutex_unlock(&s->mu);
done:
    free(nj);
    sbuf_free(&old);
}

static void job_free(job *j)
{
    article_free(&j->a);
    free(j->uri);
    free(j->block);
    memset(j, 0, sizeof *j);
}

static void *writer(void *arg)
{
    store *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        job j;
        while (s->len == 0 && !s->quit)
            pthread_cond_wait(&s->work, &s->mu);
        if (s->len == 0)
            break; /* quit, and nothing left */
        j = s->ring[s->head];
        memset(&s->ring[s->head], 0, sizeof s->ring[s->head]);
        s->head = (s->head + 1) % STORE_QUEUE;
        s->len--;
        s->busy++;
        pthread_cond_broadcast(&s->room);
        pthread_mutex_unlock(&s->mu);
        pthread_mutex_lock(&s->cmu);
        write_one(s, &j);
        pthread_mutex_unlock(&s->cmu);
        job_free(&j);
        pthread_mutex_lock(&s->mu);
        s->busy--;
        pthread_cond_broadcast(&s->room);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int store_open(corpus *c, FILE *dry, store **out, tt_err *e)
{
    store *s = xcalloc(1, sizeof *s);
    *out = NULL;
    s->c = c;
    s->dry = dry ? dry : stdout;
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->cmu, NULL);
    pthread_cond_init(&s->work, NULL);
    pthread_cond_init(&s->room, NULL);
    if (pthread_create(&s->th, NULL, writer, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_mutex_destroy(&s->cmu);
        pthread_cond_destroy(&s->work);
        pthread_cond_destroy(&s->room);
        free(s);
        return tt_seterr(e, TT_EINTERNAL, "cannot start the writer thread");
    }
    *out = s;
    return TT_OK;
}

/* Whether the corpus holds article id: 1 live, its latest version parsed
 * into *a when a is not NULL (left empty when it does not parse),
 * STORE_DELETED, or 0 (*a empty). */
static int get_stored(store *s, const char *id, article *a)
{
    sbuf b = {0};
    int rc, deleted;
    if (a)
        memset(a, 0, sizeof *a);
    if (!s->c)
        return 0;
    pthread_mutex_lock(&s->cmu);
    deleted = deleted_in(s->c, id);
    rc = deleted ? TT_ENOTFOUND : corpus_get_json(s->c, id, &b, NULL);
    pthread_mutex_unlock(&s->cmu);
    if (rc == TT_OK && a)
        article_from_json(b.s, b.len, a, NULL);
    sbuf_free(&b);
    return deleted ? STORE_DELETED : rc == TT_OK;
}

int store_has(store *s, const char *id, sbuf *source, sbuf *url)
{
    article a;
    int rc;
    if (source)
        sbuf_reset(source);
    if (url)
        sbuf_reset(url);
    rc = get_stored(s, id, source || url ? &a : NULL);
    if (rc == 1 && (source || url)) {
        if (source && a.source)
            sbuf_adds(source, a.source);
        if (url && a.url)
            sbuf_adds(url, a.url);
        article_free(&a);
    }
    return rc;
}

int store_get(store *s, const char *id, article *out)
{
    if (get_stored(s, id, out) == 1 && out->id)
        return 1;
    article_free(out);
    return 0;
}

void store_take_versions(store *s,
                         void (*fn)(void *arg, const article *a, int changed),
                         void *arg)
{
    version *v;
    size_t n;
    pthread_mutex_lock(&s->mu);
    v = s->ver;
    n = s->nver;
    s->ver = NULL;
    s->nver = s->vercap = 0;
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; i < n; i++) {
        fn(arg, &v[i].a, v[i].changed);
        article_free(&v[i].a);
    }
    free(v);
}

int store_undelete(store *s, const char *id)
{
    int deleted;
    if (!s->c)
        return 0;
    pthread_mutex_lock(&s->cmu);
    deleted = deleted_in(s->c, id);
    pthread_mutex_unlock(&s->cmu);
    if (deleted) {
        pthread_mutex_lock(&s->mu);
        strlist_push(&s->undelete, id, strlen(id));
        pthread_mutex_unlock(&s->mu);
    }
    return deleted;
}

int store_response(store *s, const char *id, sbuf *out)
{
    int rc;
    if (!s->c)
        return 0;
    pthread_mutex_lock(&s->cmu);
    rc = corpus_get_page(s->c, id, out, NULL);
    pthread_mutex_unlock(&s->cmu);
    return rc == TT_OK;
}

int store_each_id(store *s, int (*fn)(void *arg, const char *id), void *arg)
{
    int rc;
    if (!s->c)
        return 0;
    pthread_mutex_lock(&s->cmu);
    rc = corpus_each_id(s->c, fn, arg);
    pthread_mutex_unlock(&s->cmu);
    return rc;
}

static void put(store *s, article *a, const char *uri, char *block,
                size_t len, int revisit)
{
    job *j;
    pthread_mutex_lock(&s->mu);
    while (s->len == STORE_QUEUE)
        pthread_cond_wait(&s->room, &s->mu);
    j = &s->ring[(s->head + s->len) % STORE_QUEUE];
    j->a = *a;
    memset(a, 0, sizeof *a);
    j->uri = xstrdup(uri);
    j->block = block;
    j->len = len;
    j->revisit = revisit;
    s->len++;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->mu);
}

void store_put(store *s, article *a, const char *uri, char *block,
               size_t len)
{
    put(s, a, uri, block, len, 0);
}

void store_put_revisit(store *s, article *a, const char *uri, char *block,
                       size_t len)
{
    put(s, a, uri, block, len, 1);
}

void store_delete(store *s, const char *id)
{
    article a = {0};
    if (!s->c)
        return;
    a.id = xstrdup(id);
    a.deleted = 1;
    store_put(s, &a, "", NULL, 0);
}

/* Wait until the writer is idle with nothing queued (mu held on return
 * as on entry). */
static void drain_locked(store *s)
{
    while (s->len || s->busy)
        pthread_cond_wait(&s->room, &s->mu);
}

int store_flush(store *s, tt_err *e)
{
    int rc;
    tt_err fe;
    pthread_mutex_lock(&s->mu);
    drain_locked(s);
    pthread_mutex_unlock(&s->mu);
    if (s->c) {
        pthread_mutex_lock(&s->cmu);
        rc = corpus_flush(s->c, &fe);
        pthread_mutex_unlock(&s->cmu);
        if (rc != TT_OK) {
            pthread_mutex_lock(&s->mu);
            if (!s->err.code)
                s->err = fe;
            pthread_mutex_unlock(&s->mu);
        }
    } else {
        errno = 0;
        if (fflush(s->dry) != 0 || ferror(s->dry))
            dry_failed(s, errno);
    }
    return store_error(s, e);
}

void store_get_counts(store *s, store_counts *out)
{
    pthread_mutex_lock(&s->mu);
    *out = s->n;
    pthread_mutex_unlock(&s->mu);
}

void store_get_samples(store *s, sbuf *out)
{
    sbuf_reset(out);
    pthread_mutex_lock(&s->mu);
    if (s->samples.len)
        sbuf_add(out, s->samples.s, s->samples.len);
    pthread_mutex_unlock(&s->mu);
}

int store_error(store *s, tt_err *e)
{
    int rc;
    pthread_mutex_lock(&s->mu);
    rc = s->err.code;
    if (rc)
        tt_seterr(e, rc, "%s", s->err.msg);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int store_close(store *s, tt_err *e)
{
    int rc;
    if (!s)
        return TT_OK;
    pthread_mutex_lock(&s->mu);
    s->quit = 1;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->th, NULL);
    rc = store_error(s, e);
    for (size_t i = 0; i < STORE_QUEUE; i++)
        job_free(&s->ring[i]);
    strlist_free(&s->undelete);
    for (size_t i = 0; i < s->nver; i++)
        article_free(&s->ver[i].a);
    free(s->ver);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->cmu);
    pthread_cond_destroy(&s->work);
    pthread_cond_destroy(&s->room);
    sbuf_free(&s->samples);
    free(s);
    return rc;
}
