/* indexer.c — see indexer.h.
 *
 * A document per article id (unique term Q<id>, shortened for long ids:
 * an_id_term):
 *   positions: title, then sapo, then captions and body paragraphs, with
 *     gaps (schema.h) so phrases never cross fields or paragraphs;
 *   wdf: title terms count 3, sapo 2, the rest 1 (BM25 then ranks title
 *     matches above body matches);
 *   boolean terms for author, section, tag, source, year, month, day;
 *   values: published (on its own clock: date ranges; and in UTC: date
 *     order), near-duplicate key, section, year, id;
 *   data: what a result shows (id, url, title, published, section,
 *     authors) and the start of the text (sapo, then body) for snippets,
 *     cut at a word and marked when cut, as a record of lib/docdata.h.
 */
#include "indexer.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "article.h"
#include "corpus.h"
#include "date.h"
#include "docdata.h"
#include "schema.h"
#include "sha1.h"
#include "unicode.h"
#include "xap.h"

#define TITLE_WDF 3
#define SAPO_WDF 2

struct idx_builder {
    an_ctx *an;
    sbuf term, data, tmp;
};
typedef idx_builder builder;

idx_builder *idx_builder_new(void)
{
    idx_builder *b = xcalloc(1, sizeof *b);
    b->an = an_new();
    return b;
}

void idx_builder_free(idx_builder *b)
{
    if (!b)
        return;
    an_free(b->an);
    sbuf_free(&b->term);
    sbuf_free(&b->data);
    sbuf_free(&b->tmp);
    free(b);
}

static void add_bool(builder *b, xap_doc *doc, const char *prefix,
                     const char *text)
{
    if (text && *text && !an_bool_term(b->an, prefix, text, strlen(text),
                                       &b->term))
        xap_doc_add_boolean_term(doc, b->term.s, b->term.len);
}

/* The near-duplicate key: the same story under two URLs has the same title
 * and lead, whatever the slug; their normal form (vn_norm: the tokens, NFC,
 * lower case, canonical tone placement) makes NFD/NFC and tone placement
 * irrelevant, but keeps the tone marks that make another word ("bán cổ
 * phần" is not "bàn cổ phần").  Without a lead, the start of the body
 * stands for it (its first paragraph, more while they are short; at most
 * IDX_DUP_BODY bytes of normal form): a title that recurs ("Giá vàng hôm
 * nay") is not one story, while a copy with a line added at its end
 * ("Theo …") still is. */
static void dup_key(builder *b, const article *a, unsigned char out[8])
{
    unsigned char d[SHA1_LEN];
    size_t lead;
    sbuf_reset(&b->tmp);
    if (a->title)
        vn_norm(a->title, strlen(a->title), &b->tmp);
    sbuf_addc(&b->tmp, '|');
    lead = b->tmp.len;
    if (a->sapo)
        vn_norm(a->sapo, strlen(a->sapo), &b->tmp);
    if (b->tmp.len == lead) {
        sbuf_addc(&b->tmp, '|'); /* not a lead that reads as this body */
        lead = b->tmp.len;
        /* the first paragraph; more while what they say is short (a
         * dateline, "(Dân trí) -") */
        for (size_t i = 0;
             i < a->body.n && b->tmp.len - lead < IDX_DUP_BODY / 4; i++) {
            const char *p = a->body.v[i];
            /* enough of a long paragraph for IDX_DUP_BODY bytes of
             * normal form, written composed or decomposed alike */
            size_t n = uni_cut(p, strlen(p), 4 * IDX_DUP_BODY);
            if (b->tmp.len > lead)
                sbuf_addc(&b->tmp, ' ');
            vn_norm(p, n, &b->tmp);
        }
        if (b->tmp.len - lead > IDX_DUP_BODY)
            b->tmp.len = lead + uni_cut(b->tmp.s + lead, b->tmp.len - lead,
                                        IDX_DUP_BODY);
    }
    sha1(b->tmp.s, b->tmp.len, d);
    memcpy(out, d, 8);
}

/* How much of text fits in *left bytes (cut at a character boundary);
 * takes it from *left. */
static size_t text_cut(const char *text, size_t *left)
{
    size_t n = uni_cut(text, strlen(text), *left);
    *left -= n;
    return n;
}

/* How much of text[0..len) the document data keeps in *left bytes: all
 * of it, or up to the last white space that fits, so that no word is cut
 * ("Hà Nội Ngu"); a first word longer than all of *left (when first) is
 * cut at a character boundary instead.  Takes it from *left. */
static size_t data_cut(const char *text, size_t len, int first, size_t *left)
{
    size_t n = len, k;
    if (len > *left) {
        n = 0;
        for (size_t i = 0; i < len;) { /* the last space that fits */
            int32_t cp;
            k = uni_decode(text + i, len - i, &cp);
            if (i > *left)
                break;
            if (uni_class(cp) == UNI_SPACE)
                n = i;
            i += k;
        }
        while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' ||
                     text[n - 1] == '\n' || text[n - 1] == '\r'))
            n--;
        if (!n && first)
            n = uni_cut(text, len, *left);
    }
    *left -= n;
    return n;
}

static void write_data(builder *b, const article *a, const char *published,
                       const corpus_pos *place)
{
    sbuf *d = &b->data;
    sbuf_reset(d);
#define STR(tag, v)                                                          \
    if (v && *v)                                                             \
        dd_add(d, tag, v, strlen(v));
    STR(DD_ID, a->id);
    STR(DD_URL, a->url);
    STR(DD_TITLE, a->title);
    STR(DD_PUBLISHED, published);
    STR(DD_SECTION, a->section);
    STR(DD_SOURCE, a->source);
    for (size_t i = 0; i < a->authors.n; i++)
        STR(DD_AUTHOR, a->authors.v[i]);
#undef STR
    /* the snippets' text: the sapo, then the body, IDX_MAX_DATA_TEXT bytes
     * in all; a field cut short is followed by DD_CUT */
    size_t left = IDX_MAX_DATA_TEXT, i;
    for (i = 0; i <= a->body.n && left; i++) {
        const char *text = i ? a->body.v[i - 1] : a->sapo;
        size_t len = text ? strlen(text) : 0, n;
        if (!len)
            continue;
        n = data_cut(text, len, left == IDX_MAX_DATA_TEXT, &left);
        if (n)
            dd_add(d, i ? DD_BODY : DD_SAPO, text, n);
        if (n < len) { /* what follows is left out too */
            if (n)
                dd_add(d, DD_CUT, "", 0);
            break;
        }
    }
    /* where the whole text is, for a snippet the stored part cannot give;
     * after the text, so that a reader of the text stops sooner */
    while (i <= a->body.n && i && !*a->body.v[i - 1])
        i++; /* (empty paragraphs left out are no text) */
    if (place && place->file && i <= a->body.n) {
        char buf[32];
        corpus_pos_format(*place, buf);
        dd_add(d, DD_PLACE, buf, strlen(buf));
    }
}

/* Index text as an_index_text does, its first *left bytes at most (cut
 * at a character boundary), taken from *left; *cut set when some of it is
 * left out. */
static size_t index_capped(builder *b, xap_doc *doc, const char *text,
                           unsigned flags, unsigned wdf, uint32_t *pos,
                           size_t *left, int *cut)
{
    size_t len = text ? strlen(text) : 0, n = len ? text_cut(text, left) : 0;
    if (n < len) { /* what follows is left out too */
        *left = 0;
        *cut = 1;
    }
    return n ? an_index_text(b->an, doc, text, n, flags, wdf, pos) : 0;
}

xap_doc *idx_build_doc(idx_builder *b, const article *a,
                       const corpus_pos *place, idx_stats *st)
{
    xap_doc *doc;
    uint32_t pos = 0;
    size_t words = 0, left = IDX_MAX_TEXT;
    int cut = 0;
    const char *published = "";

    if ((!a->title || !*a->title) && !a->body.n && (!a->sapo || !*a->sapo))
        return NULL;
    doc = xap_doc_new();
    an_id_term(a->id, strlen(a->id), &b->term);
    xap_doc_add_boolean_term(doc, b->term.s, b->term.len);
    xap_doc_set_value(doc, SLOT_ID, a->id, strlen(a->id));

    /* IDX_MAX_TEXT bytes of text at most, of all fields in turn */
    words += index_capped(b, doc, a->title, AN_TITLE, TITLE_WDF, &pos, &left,
                          &cut);
    pos += POS_FIELD_GAP;
    words += index_capped(b, doc, a->sapo, 0, SAPO_WDF, &pos, &left, &cut);
    pos += POS_FIELD_GAP;
    for (size_t i = 0; i < a->captions.n; i++) {
        words += index_capped(b, doc, a->captions.v[i], 0, 1, &pos, &left,
                              &cut);
        pos += POS_PARA_GAP;
    }
    pos += POS_FIELD_GAP;
    for (size_t i = 0; i < a->body.n; i++) {
        words += index_capped(b, doc, a->body.v[i], 0, 1, &pos, &left, &cut);
        pos += POS_PARA_GAP;
    }
    st->truncated += cut;
    if (!words) {
        xap_doc_free(doc);
        return NULL;
    }

    for (size_t i = 0; i < a->authors.n; i++)
        add_bool(b, doc, PFX_AUTHOR, a->authors.v[i]);
    for (size_t i = 0; i < a->tags.n; i++)
        add_bool(b, doc, PFX_TAG, a->tags.v[i]);
    add_bool(b, doc, PFX_SECTION, a->section);
    add_bool(b, doc, PFX_SOURCE, a->source);
    if (a->section && *a->section) {
        /* as displayed in the facets: one value for "Thời sự" written
         * composed or decomposed */
        sbuf_reset(&b->tmp);
        vn_clean(a->section, strlen(a->section), &b->tmp);
        sbuf_reset(&b->term);
        uni_nfc(b->tmp.s ? b->tmp.s : "", b->tmp.len, 0, &b->term);
        xap_doc_set_value(doc, SLOT_SECTION, b->term.s, b->term.len);
    }

    if (a->published && *a->published) {
        char key[15], utc[15];
        int64_t t;
        /* the date a reader sees: the article's own clock; and the moment,
         * for date order */
        if (date_local_key(a->published, key) == 0 &&
            date_parse_iso(a->published, &t) == 0) {
            date_format_key(t, utc);
            xap_doc_set_value(doc, SLOT_PUBLISHED, key, 14);
            xap_doc_set_value(doc, SLOT_PUBLISHED_UTC, utc, 14);
            xap_doc_set_value(doc, SLOT_YEAR, key, 4);
            sbuf_reset(&b->term);
            sbuf_addf(&b->term, PFX_YEAR "%.4s", key);
            xap_doc_add_boolean_term(doc, b->term.s, b->term.len);
            sbuf_reset(&b->term);
            sbuf_addf(&b->term, PFX_MONTH "%.6s", key);
            xap_doc_add_boolean_term(doc, b->term.s, b->term.len);
            sbuf_reset(&b->term);
            sbuf_addf(&b->term, PFX_DAY "%.8s", key);
            xap_doc_add_boolean_term(doc, b->term.s, b->term.len);
            published = a->published;
        } else {
            st->bad_date++;
        }
    } else {
        st->no_date++;
    }
    unsigned char dk[8];
    dup_key(b, a, dk);
    xap_doc_set_value(doc, SLOT_DUPKEY, (const char *)dk, sizeof dk);
    write_data(b, a, published, place);
    xap_doc_set_data(doc, b->data.s, b->data.len);
    return doc;
}

/* The writer lock: flock on DB.lock, held until the process exits or
 * unlock_db.  With wait, a lock held by another indexer is waited for,
 * saying so once on stderr (a run that seems stuck tells why). */
static int lock_db(const char *db, int wait, int *fd_out, tt_err *e)
{
    sbuf path = {0};
    int rc = TT_OK, fd, nb = LOCK_NB;
    sbuf_addf(&path, "%s.lock", db);
    fd = open(path.s, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        rc = tt_seterr(e, TT_EIO, "cannot create lock %s: %s", path.s,
                       strerror(errno));
        goto out;
    }
    while (flock(fd, LOCK_EX | nb) != 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK && wait) {
            fprintf(stderr,
                    "%s: waiting for the lock on %s (held by another "
                    "timtin-index)\n",
                    tt_progname(), db);
            wait = nb = 0;
            continue;
        }
        rc = errno == EWOULDBLOCK
                 ? tt_seterr(e, TT_ELOCKED,
                             "%s is being updated by another timtin-index "
                             "(lock %s); try again later or use --wait",
                             db, path.s)
                 : tt_seterr(e, TT_EIO, "cannot lock %s: %s", path.s,
                             strerror(errno));
        close(fd);
        goto out;
    }
    *fd_out = fd;
out:
    sbuf_free(&path);
    return rc;
}

static int check_analyzer(xap_wdb *w, const char *db, tt_err *e)
{
    char *v = NULL;
    size_t n = 0;
    uint32_t docs = 0;
    int rc = xap_wdb_get_metadata(w, META_ANALYZER, &v, &n, e);
    if (rc == TT_OK)
        rc = xap_wdb_doccount(w, &docs, e);
    if (rc == TT_OK)
        rc = an_check_version(v, n, docs, db, e);
    free(v);
    return rc;
}

/* Append to e's message. */
static void say_more(tt_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say_more(tt_err *e, const char *fmt, ...)
{
    va_list ap;
    size_t len = strlen(e->msg);
    va_start(ap, fmt);
    vsnprintf(e->msg + len, sizeof e->msg - len, fmt, ap);
    va_end(ap);
}

/* The corpus the db follows: its identity (if known: "" when not) and its
 * directory (cdir, made absolute), where the searcher reads an article's
 * whole text (DD_PLACE). */
static int set_corpus_meta(xap_wdb *w, const char *ident, const char *cdir,
                           tt_err *e)
{
    int rc = TT_OK;
    if (*ident)
        rc = xap_wdb_set_metadata(w, META_CORPUS, ident, strlen(ident), e);
    if (rc == TT_OK)
        rc = xap_wdb_set_metadata(w, META_CORPUS_DIR, cdir, strlen(cdir), e);
    return rc;
}

/* Commit, with the checkpoint next and the corpus's identity (if known:
 * read_checkpoint).  Not tried when the db cannot be written any more (its
 * directory made read-only since the run began): a commit that fails part
 * way may damage the db (xap_wdb_commit); this run's changes since the
 * last commit are dropped, and the next run indexes them again.  One that
 * fails all the same is checked, and a damaged db said so. */
static int commit(xap_wdb *w, corpus_pos next, const char *ident,
                  const char *cdir, tt_err *e)
{
    char buf[32];
    const char *db = xap_wdb_path(w);
    size_t errors = 0;
    int rc = xap_wdb_writable(w, e);
    if (rc) {
        say_more(e, "; stopped before committing: the articles since the "
                    "last commit are indexed by the next run");
        return rc;
    }
    corpus_pos_format(next, buf);
    rc = xap_wdb_set_metadata(w, META_CHECKPOINT, buf, strlen(buf), e);
    if (rc == TT_OK)
        rc = set_corpus_meta(w, ident, cdir, e);
    if (rc || (rc = xap_wdb_commit(w, e)) == TT_OK)
        return rc;
    /* the commit failed part way */
    if (xap_db_check(db, &errors, NULL) != TT_OK)
        say_more(e, "; the commit failed part way, and %s may now be "
                    "damaged (xapian-check %s tells): if so, rebuild it "
                    "with timtin-index --full, or restore a backup",
                 db, db);
    else if (errors)
        say_more(e, "; the commit failed part way, and left %s damaged "
                    "(%zu errors, xapian-check %s): rebuild it with "
                    "timtin-index --full, or restore a backup",
                 db, errors, db);
    return rc;
}

/* The checkpoint of the db w (at path db) into *from ({0,0} when it has
 * none), if it fits the corpus c and the db follows c (META_CORPUS, when
 * both are known: ident).  TT_EINVAL saying --full when it does not: the
 * records after it would never be indexed. */
static int read_checkpoint(xap_wdb *w, const char *db, corpus *c,
                           const char *corpus_dir, const char *ident,
                           corpus_pos *from, tt_err *e)
{
    char *v = NULL, *was = NULL;
    size_t vlen = 0, wlen = 0;
    tt_err ce;
    int rc;
    from->file = 0;
    from->offset = 0;
    if ((rc = xap_wdb_get_metadata(w, META_CHECKPOINT, &v, &vlen, e)) ||
        (rc = xap_wdb_get_metadata(w, META_CORPUS, &was, &wlen, e)))
        goto out;
    if (wlen && *ident && (wlen != strlen(ident) || memcmp(was, ident, wlen)))
        rc = tt_seterr(e, TT_EINVAL,
                       "%s was built from another corpus (%.*s; corpus %s is "
                       "%s): nothing indexed; rebuild it from this corpus with "
                       "timtin-index --full",
                       db, (int)(wlen > 64 ? 64 : wlen), was, corpus_dir,
                       ident);
    else if (vlen && (memchr(v, '\0', vlen) || corpus_pos_parse(v, from)))
        rc = tt_seterr(e, TT_EINVAL,
                       "%s: bad checkpoint \"%.40s\": nothing indexed; "
                       "rebuild the db with timtin-index --full",
                       db, v);
    else if (vlen && corpus_pos_check(c, *from, &ce))
        rc = tt_seterr(e, TT_EINVAL,
                       "%s: its checkpoint does not fit corpus %s: %s (a "
                       "corpus restored from a backup, or that lost its last "
                       "records?); nothing indexed; rebuild the db from the "
                       "corpus with timtin-index --full",
                       db, corpus_dir, ce.msg);
out:
    free(v);
    free(was);
    return rc;
}

/* Progress shared by the workers and the thread that reports it. */
typedef struct shared {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    idx_stats total;  /* sum of the deltas the workers have published */
    unsigned running; /* workers not finished yet */
} shared;

/* One indexing worker: the records from `from` (to `until`, when bounded:
 * a bulk build's workers read each a stretch of the corpus) go into w. */
typedef struct worker {
    const idx_opts *o;
    corpus *c; /* the run's corpus: a reader all workers share */
    unsigned shard; /* the worker's number (names its sub-dbs) */
    corpus_pos from, until;
    int bounded;
    xap_wdb *w;
    /* bulk build: documents go to fresh small dbs (DB.new.K.N), merged at
     * the end; only the latest version of each id is indexed */
    int bulk;
    char **subdbs;
    size_t nsubdbs, capsubdbs;
    uint32_t subdb_docs; /* documents in the open sub-db */
    uint32_t every;
    const char *ident; /* the corpus's identity, or "" */
    const char *cdir;  /* its directory, absolute (set_corpus_meta) */
    /* bulk build: ids whose latest version did not parse, and the
     * stretches of its part of the corpus the iterator skipped (damaged
     * records) as [from, to) pairs.  recover_lost indexes their older
     * versions. */
    strlist lost;
    corpus_pos *gaps;
    size_t ngaps, capgaps;
    shared *sh;
    idx_stats st, published; /* own counts; the part already published */
    int rc;
    tt_err err;
    pthread_t th;
} worker;

/* The corpus's warnings: a corrupt record skipped, and others (an id index
 * rebuilt, which reports the corrupt records it meets too).  Said, not
 * counted: st.corrupt is what the iterator skipped. */
static void warn_corpus(void *arg, const char *msg)
{
    (void)arg;
    tt_warn("corpus: %s", msg);
}

/* Add this worker's new counts to the shared total. */
static void publish(worker *wk, int done)
{
    uint64_t *cur = (uint64_t *)&wk->st, *old = (uint64_t *)&wk->published,
             *tot = (uint64_t *)&wk->sh->total;
    size_t n = offsetof(idx_stats, elapsed) / sizeof(uint64_t);
    pthread_mutex_lock(&wk->sh->mu);
    for (size_t i = 0; i < n; i++) {
        tot[i] += cur[i] - old[i];
        old[i] = cur[i];
    }
    if (done) {
        wk->sh->running--;
        pthread_cond_broadcast(&wk->sh->cv);
    }
    pthread_mutex_unlock(&wk->sh->mu);
}

/* Parse an article record into *a; on failure count it, warn with file
 * and offset, and return -1 (the record is skipped, the run goes on).  A
 * record whose JSON names another article than its header (a WARC edited
 * by hand) is one: the header's id is the one replaced and deleted. */
static int parse_record(const corpus_rec *rec, article *a, idx_stats *st)
{
    tt_err ae;
    if (article_from_json(rec->payload, rec->payload_len, a, &ae) == TT_OK) {
        if (!rec->article_id || !strcmp(a->id, rec->article_id))
            return 0;
        tt_seterr(&ae, TT_ECORRUPT, "article id %s in the JSON, %s in the "
                  "header", a->id, rec->article_id);
        article_free(a);
    }
    st->skipped_bad++;
    tt_warn("%s: offset %llu: article skipped: %s", rec->file,
            (unsigned long long)rec->pos.offset, ae.msg);
    return -1;
}

/* The id term of an article record: its header's id. */
static void rec_id_term(const corpus_rec *rec, sbuf *out)
{
    const char *id = rec->article_id ? rec->article_id : "";
    an_id_term(id, strlen(id), out);
}

/* Apply one article record to the db. */
static int apply(worker *wk, idx_builder *b, const corpus_rec *rec,
                 sbuf *idterm, tt_err *e)
{
    idx_stats *st = &wk->st;
    article a;
    xap_doc *doc;
    int rc = TT_OK;

    rec_id_term(rec, idterm);
    if (rec->deleted) {
        unsigned nd = 0;
        rc = xap_wdb_delete(wk->w, idterm->s, idterm->len, &nd, e);
        st->deleted += nd;
        return rc;
    }
    st->bytes += rec->payload_len;
    if (parse_record(rec, &a, st))
        return TT_OK;
    doc = idx_build_doc(b, &a, &rec->pos, st);
    if (!doc) {
        /* nothing to index: an older version must not linger */
        unsigned nd = 0;
        st->skipped_empty++;
        rc = xap_wdb_delete(wk->w, idterm->s, idterm->len, &nd, e);
        st->deleted += nd;
    } else {
        uint32_t had = 0;
        rc = xap_wdb_termfreq(wk->w, idterm->s, idterm->len, &had, e);
        if (rc == TT_OK)
            rc = xap_wdb_replace(wk->w, idterm->s, idterm->len, doc, NULL, e);
        if (rc == TT_OK)
            had ? st->replaced++ : st->added++;
        xap_doc_free(doc);
    }
    article_free(&a);
    return rc;
}

/* Open the worker's next sub-db (bulk builds). */
static int next_subdb(worker *wk, tt_err *e)
{
    sbuf path = {0};
    int rc;
    if (wk->w) {
        rc = xap_wdb_close(wk->w, e);
        wk->w = NULL;
        if (rc)
            return rc;
    }
    sbuf_addf(&path, "%s.new.%u.%04zu", wk->o->db, wk->shard, wk->nsubdbs);
    xgrow(&wk->subdbs, &wk->capsubdbs, wk->nsubdbs + 1, sizeof *wk->subdbs);
    wk->subdbs[wk->nsubdbs++] = xstrdup(path.s);
    rc = tt_rmtree(path.s, e);
    if (rc == TT_OK)
        rc = xap_wdb_open(path.s, XAP_CREATE | XAP_OVERWRITE | XAP_NOSYNC,
                          &wk->w, e);
    wk->subdb_docs = 0;
    sbuf_free(&path);
    return rc;
}

/* A bulk build indexes the latest version of each live article once. */
static int apply_bulk(worker *wk, idx_builder *b, const corpus_rec *rec,
                      sbuf *idterm, tt_err *e)
{
    idx_stats *st = &wk->st;
    corpus_pos latest;
    int deleted, rc = TT_OK;
    article a;
    xap_doc *doc;

    if (!rec->article_id ||
        corpus_latest(wk->c, rec->article_id, &latest, &deleted) != TT_OK ||
        corpus_pos_cmp(latest, rec->pos) != 0 || deleted) {
        st->superseded++;
        return TT_OK;
    }
    st->bytes += rec->payload_len;
    if (parse_record(rec, &a, st)) {
        strlist_push(&wk->lost, rec->article_id, strlen(rec->article_id));
        return TT_OK;
    }
    doc = idx_build_doc(b, &a, &rec->pos, st);
    if (!doc) {
        st->skipped_empty++;
    } else {
        an_id_term(a.id, strlen(a.id), idterm);
        if (wk->subdb_docs >= (wk->o->subdb_docs ? wk->o->subdb_docs
                                                 : IDX_SUBDB_DOCS))
            rc = next_subdb(wk, e);
        if (rc == TT_OK)
            rc = xap_wdb_add(wk->w, idterm->s, idterm->len, doc, NULL, e);
        if (rc == TT_OK) {
            st->added++;
            wk->subdb_docs++;
        }
        xap_doc_free(doc);
    }
    article_free(&a);
    return rc;
}

static void add_gap(worker *wk, corpus_pos from, corpus_pos to)
{
    xgrow(&wk->gaps, &wk->capgaps, wk->ngaps + 2, sizeof *wk->gaps);
    wk->gaps[wk->ngaps++] = from;
    wk->gaps[wk->ngaps++] = to;
}

static int index_records(worker *wk)
{
    int rc, r;
    corpus_iter *it = NULL;
    corpus_rec rec;
    idx_builder *b = idx_builder_new();
    sbuf idterm = {0};
    corpus_pos last = wk->from;
    uint32_t pending = 0;
    uint64_t skipped = 0;
    tt_err *e = &wk->err;

    if ((rc = corpus_iter_open(wk->c, wk->from, &it, e)))
        goto fail;
    if (wk->bounded)
        corpus_iter_until(it, wk->until);
    if (wk->bulk && (rc = next_subdb(wk, e)))
        goto fail;
    while ((r = corpus_iter_next(it, &rec, e)) > 0) {
        if (wk->bulk && corpus_iter_skipped(it) != skipped) {
            add_gap(wk, last, rec.pos);
            skipped = corpus_iter_skipped(it);
        }
        wk->st.records++;
        if (rec.pos.file == rec.next.file)
            wk->st.done_bytes += rec.next.offset - rec.pos.offset;
        last = rec.next;
        if (rec.type != CORPUS_REC_ARTICLE)
            continue;
        if (wk->bulk) {
            if ((rc = apply_bulk(wk, b, &rec, &idterm, e)))
                goto fail;
            if ((wk->st.added + wk->st.superseded) % 128 == 0)
                publish(wk, 0);
            continue;
        }
        if ((rc = apply(wk, b, &rec, &idterm, e)))
            goto fail;
        if (++pending >= wk->every) {
            if ((rc = commit(wk->w, rec.next, wk->ident, wk->cdir, e)))
                goto fail;
            pending = 0;
            if (wk->o->committed)
                wk->o->committed(wk->o->committed_arg);
        }
        if ((wk->st.added + wk->st.replaced) % 128 == 0)
            publish(wk, 0);
    }
    if (r < 0) {
        rc = -r;
        goto fail;
    }
    wk->st.corrupt = corpus_iter_skipped(it);
    if (wk->bulk && corpus_iter_skipped(it) != skipped)
        add_gap(wk, last, wk->bounded ? wk->until : corpus_end(wk->c));
    if (wk->bulk) {
        rc = xap_wdb_close(wk->w, e);
        wk->w = NULL;
    } else {
        rc = commit(wk->w, last, wk->ident, wk->cdir, e);
    }
fail:
    corpus_iter_close(it);
    idx_builder_free(b);
    sbuf_free(&idterm);
    return rc;
}

static void *work(void *arg)
{
    worker *wk = arg;
    wk->rc = index_records(wk);
    publish(wk, 1);
    return NULL;
}

/* ---- a bulk build's articles whose latest version cannot be read ------
 *
 * The bulk build indexes each article's latest version (the id index
 * names it) and skips the older ones.  When the latest cannot be read (a
 * damaged record the iterator skips; JSON that does not parse, or names
 * another article), the newest version that can be read is indexed
 * instead, as an incremental run keeps the version it had.  A deletion
 * marker that cannot be read deletes nothing, for the same reason: the
 * records are the truth, the id index only says where they are.  Rare:
 * only then is the corpus read a second time, for those ids alone.
 */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct lost_set {
    corpus *c;
    const corpus_pos *gaps; /* [from, to) pairs */
    size_t ngaps;
    strlist ids;
} lost_set;

/* corpus_each_known_id: the ids whose latest record (a version or a deletion
 * marker) lies in a skipped stretch. */
static int add_if_skipped(void *arg, const char *id)
{
    lost_set *ls = arg;
    corpus_pos pos;
    int deleted;
    if (corpus_latest(ls->c, id, &pos, &deleted) != TT_OK)
        return 0;
    for (size_t i = 0; i < ls->ngaps; i += 2)
        if (corpus_pos_cmp(pos, ls->gaps[i]) >= 0 &&
            corpus_pos_cmp(pos, ls->gaps[i + 1]) < 0) {
            strlist_push(&ls->ids, id, strlen(id));
            break;
        }
    return 0;
}

/* One lost id's newest readable older version: its JSON (NULL: none, or
 * a deletion marker) and where it is. */
typedef struct fallback {
    char *json;
    size_t len;
    corpus_pos pos;
} fallback;

static int find_id(strlist *ids, const char *id)
{
    size_t lo = 0, hi = ids->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ids->v[mid], id);
        if (!c)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Read the corpus for the newest readable version of each of ids (sorted,
 * distinct) before its latest one; fb[i] is ids->v[i]'s. */
static int find_fallbacks(corpus *c, strlist *ids, fallback *fb, tt_err *e)
{
    corpus_iter *it = NULL;
    corpus_rec rec;
    article a;
    tt_err ae;
    int r, rc;
    if ((rc = corpus_iter_open(c, (corpus_pos){0, 0}, &it, e)))
        return rc;
    corpus_iter_quiet(it); /* said in the first pass */
    while ((r = corpus_iter_next(it, &rec, e)) > 0) {
        corpus_pos latest;
        int i, deleted;
        if (rec.type != CORPUS_REC_ARTICLE || !rec.article_id ||
            (i = find_id(ids, rec.article_id)) < 0 ||
            corpus_latest(c, rec.article_id, &latest, &deleted) != TT_OK ||
            corpus_pos_cmp(rec.pos, latest) >= 0)
            continue;
        if (!rec.deleted) {
            int other;
            if (article_from_json(rec.payload, rec.payload_len, &a, &ae))
                continue; /* unreadable too: the one before stands */
            other = strcmp(a.id, rec.article_id);
            article_free(&a);
            if (other)
                continue;
        }
        free(fb[i].json);
        fb[i].json = rec.deleted ? NULL
                                 : xstrndup(rec.payload, rec.payload_len);
        fb[i].len = rec.payload_len;
        fb[i].pos = rec.pos;
    }
    corpus_iter_close(it);
    return r < 0 ? -r : TT_OK;
}

/* After the workers of a bulk build: index the fallback of every article
 * whose latest version could not be read into one more sub-db (DB.new.N.K
 * for n workers, merged with the others), naming each such article. */
static int recover_lost(corpus *c, worker *wks, unsigned n,
                        idx_stats *st, tt_err *e)
{
    lost_set ls = {.c = c};
    corpus_pos *gaps = NULL;
    size_t ngaps = 0, capgaps = 0;
    fallback *fb = NULL;
    idx_builder *b = NULL;
    worker *wk = &wks[0];
    sbuf idterm = {0};
    size_t k = 0;
    int rc = TT_OK;
    char buf[32], lbuf[32];

    for (unsigned i = 0; i < n; i++) {
        for (size_t j = 0; j < wks[i].lost.n; j++)
            strlist_push(&ls.ids, wks[i].lost.v[j], strlen(wks[i].lost.v[j]));
        xgrow(&gaps, &capgaps, ngaps + wks[i].ngaps + 1, sizeof *gaps);
        if (wks[i].ngaps)
            memcpy(gaps + ngaps, wks[i].gaps, wks[i].ngaps * sizeof *gaps);
        ngaps += wks[i].ngaps;
    }
    ls.gaps = gaps;
    ls.ngaps = ngaps;
    if (ls.ngaps)
        corpus_each_known_id(c, add_if_skipped, &ls);
    if (!ls.ids.n)
        goto out;
    qsort(ls.ids.v, ls.ids.n, sizeof *ls.ids.v, cmp_names);
    for (size_t i = 0; i < ls.ids.n; i++) /* distinct */
        if (!k || strcmp(ls.ids.v[i], ls.ids.v[k - 1]))
            ls.ids.v[k++] = ls.ids.v[i];
        else
            free(ls.ids.v[i]);
    ls.ids.n = k;
    fb = xcalloc(ls.ids.n, sizeof *fb);
    if ((rc = find_fallbacks(c, &ls.ids, fb, e)))
        goto out;
    /* worker 0's writer (its run is over), on a sub-db named as one of a
     * shard of its own: merged and removed with the others */
    wk->shard = n;
    if ((rc = next_subdb(wk, e)))
        goto out;
    b = idx_builder_new();
    for (size_t i = 0; i < ls.ids.n && rc == TT_OK; i++) {
        const char *id = ls.ids.v[i];
        corpus_pos latest;
        int deleted;
        article a;
        xap_doc *doc;
        tt_err ae;
        uint64_t nodate;
        corpus_latest(c, id, &latest, &deleted);
        corpus_pos_format(latest, lbuf);
        if (!fb[i].json ||
            article_from_json(fb[i].json, fb[i].len, &a, &ae) != TT_OK) {
            if (!deleted) /* (a deletion unread, and nothing before) */
                tt_warn("article %s: its latest version (corpus position "
                        "%s) cannot be read, nor an older one: not indexed",
                        id, lbuf);
            continue;
        }
        corpus_pos_format(fb[i].pos, buf);
        nodate = st->no_date;
        doc = idx_build_doc(b, &a, &fb[i].pos, st);
        /* articles without a date are counted among the latest versions,
         * as a bulk build of dbs per year can (count_bulk) */
        st->no_date = nodate;
        if (doc != NULL) {
            an_id_term(a.id, strlen(a.id), &idterm);
            rc = xap_wdb_add(wk->w, idterm.s, idterm.len, doc, NULL, e);
            xap_doc_free(doc);
            st->added++;
            st->older++;
            tt_warn("article %s: its latest %s (corpus position %s) "
                    "cannot be read: indexed the version before it (%s)",
                    id, deleted ? "record, a deletion marker," : "version",
                    lbuf, buf);
        } else {
            st->skipped_empty++;
        }
        article_free(&a);
    }
    if (rc == TT_OK) {
        rc = xap_wdb_close(wk->w, e);
        wk->w = NULL;
    }
out:
    for (size_t i = 0; fb && i < ls.ids.n; i++)
        free(fb[i].json);
    free(fb);
    free(gaps);
    strlist_free(&ls.ids);
    idx_builder_free(b);
    sbuf_free(&idterm);
    return rc;
}

/* corpus_each_known_id: the positions of the latest records. */
typedef struct latest_set {
    corpus *c;
    corpus_pos *v;
    size_t n, cap;
} latest_set;

static int add_latest(void *arg, const char *id)
{
    latest_set *ls = arg;
    corpus_pos pos;
    int deleted;
    if (corpus_latest(ls->c, id, &pos, &deleted) == TT_OK && !deleted) {
        xgrow(&ls->v, &ls->cap, ls->n + 1, sizeof *ls->v);
        ls->v[ls->n++] = pos;
    }
    return 0;
}

static int cmp_pos(const void *a, const void *b)
{
    return corpus_pos_cmp(*(const corpus_pos *)a, *(const corpus_pos *)b);
}

/* A bulk build's workers wks[0..n) read each a stretch of the corpus, cut
 * where a record starts so that each has as many articles to index (the
 * latest versions) as the others: every record is read once, by one
 * worker, and the documents' order is the corpus's. */
static void split_corpus(corpus *c, worker *wks, unsigned n)
{
    latest_set ls = {.c = c};
    if (n < 2)
        return;
    corpus_each_known_id(c, add_latest, &ls);
    if (ls.n)
        qsort(ls.v, ls.n, sizeof *ls.v, cmp_pos);
    for (unsigned i = 0; i + 1 < n; i++) {
        wks[i].bounded = 1;
        /* fewer articles than workers: the rest have nothing to read */
        wks[i].until = ls.n ? ls.v[(size_t)(i + 1) * ls.n / n] : wks[0].from;
        wks[i + 1].from = wks[i].until;
    }
    free(ls.v);
}

/* Run workers wks[0..n) in threads, reporting progress until all are
 * done; returns the first failure. */
static int run_workers(const idx_opts *o, worker *wks, unsigned n,
                       shared *sh, idx_stats *st, double start, tt_err *e)
{
    int rc = TT_OK;
    sh->running = n;
    for (unsigned i = 0; i < n; i++)
        if (pthread_create(&wks[i].th, NULL, work, &wks[i]) != 0)
            tt_die(6, "cannot start an indexing thread");
    pthread_mutex_lock(&sh->mu);
    while (sh->running) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 500000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&sh->cv, &sh->mu, &ts);
        if (o->progress && sh->running) {
            idx_stats snap = sh->total;
            snap.total_bytes = st->total_bytes;
            snap.elapsed = tt_now() - start;
            pthread_mutex_unlock(&sh->mu);
            o->progress(o->progress_arg, &snap, 0);
            pthread_mutex_lock(&sh->mu);
        }
    }
    pthread_mutex_unlock(&sh->mu);
    for (unsigned i = 0; i < n; i++) {
        pthread_join(wks[i].th, NULL);
        if (wks[i].rc && rc == TT_OK) {
            rc = wks[i].rc;
            *e = wks[i].err;
        }
    }
    uint64_t total_bytes = st->total_bytes;
    *st = sh->total;
    st->total_bytes = total_bytes;
    return rc;
}

/* A group as a warning names it: "www-data (gid 33)", or "gid 990". */
static void group_name(gid_t gid, char *buf, size_t len)
{
    struct group *g = getgrgid(gid);
    if (g)
        snprintf(buf, len, "%s (gid %u)", g->gr_name, (unsigned)gid);
    else
        snprintf(buf, len, "gid %u", (unsigned)gid);
}

/* Give path (fresh, or a name in it), and all below it, the access of the
 * directory old that db is before the swap: its group; to a directory its
 * mode (set-group-ID bit too), with rwx for the owner, the indexer; to a
 * file rw for the owner and the read and write bits old gives its group
 * and others (a directory 2750: files 640, 2755: 644); run as root, old's
 * owner too.  A group the indexer's user is not in cannot be given: one
 * warning (*warned), the files keep theirs. */
static int give_access(const char *db, const char *path,
                       const struct stat *old, int *warned, tt_err *e)
{
    struct stat sb;
    uid_t uid = geteuid() == 0 ? old->st_uid : (uid_t)-1;
    mode_t mode;
    DIR *d;
    struct dirent *de;
    int rc = TT_OK;

    if (lstat(path, &sb) != 0)
        return tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    if (S_ISLNK(sb.st_mode))
        return TT_OK;
    if ((sb.st_gid != old->st_gid || (uid != (uid_t)-1 && sb.st_uid != uid)) &&
        chown(path, uid, old->st_gid) != 0) {
        char want[64], has[64];
        if (errno != EPERM)
            return tt_seterr(e, TT_EIO, "cannot give %s the group of %s: %s",
                             path, db, strerror(errno));
        group_name(old->st_gid, want, sizeof want);
        group_name(sb.st_gid, has, sizeof has);
        if (!(*warned)++)
            tt_warn("cannot give the new %s the group %s of the db "
                    "it replaces (%s): it has the group %s; the indexer's "
                    "user must be a member of %s",
                    db, want, strerror(EPERM), has, want);
    }
    mode = S_ISDIR(sb.st_mode) ? (old->st_mode & 07777) | S_IRWXU
                               : S_IRUSR | S_IWUSR | (old->st_mode & 066);
    if (chmod(path, mode) != 0)
        return tt_seterr(e, TT_EIO, "cannot give %s the mode %04o of %s: %s",
                         path, (unsigned)mode, db, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return TT_OK;
    if (!(d = opendir(path)))
        return tt_seterr(e, TT_EIO, "cannot read %s: %s", path,
                         strerror(errno));
    while (rc == TT_OK && (de = readdir(d)) != NULL) {
        sbuf sub = {0};
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        sbuf_addf(&sub, "%s/%s", path, de->d_name);
        rc = give_access(db, sub.s, old, warned, e);
        sbuf_free(&sub);
    }
    closedir(d);
    return rc;
}

/* Swap DB.new into DB atomically (renameat2 RENAME_EXCHANGE), then remove
 * the old one.  Readers holding the old db keep their open files; those
 * opening it after have the access they had (give_access). */
static int swap_in(const char *db, const char *fresh, tt_err *e)
{
    struct stat sb;
    int warned = 0, rc;
    if (stat(db, &sb) == 0) {
        if (S_ISDIR(sb.st_mode) &&
            (rc = give_access(db, fresh, &sb, &warned, e)))
            return rc;
        if (renameat2(AT_FDCWD, fresh, AT_FDCWD, db, RENAME_EXCHANGE) != 0)
            return tt_seterr(e, TT_EIO, "cannot swap %s into %s: %s", fresh,
                             db, strerror(errno));
        return tt_rmtree(fresh, e);
    }
    if (rename(fresh, db) != 0)
        return tt_seterr(e, TT_EIO, "cannot rename %s to %s: %s", fresh, db,
                         strerror(errno));
    return TT_OK;
}

/* What lies at a --db path: nothing, an empty directory, a Xapian db, a
 * db per year (--shard-by year), or something else. */
enum { DB_ABSENT, DB_EMPTY, DB_XAPIAN, DB_SHARDED, DB_FOREIGN };

static int is_shard_name(const char *s);

/* Is name one Xapian keeps in a db directory?  Glass: iamglass (*version
 * set), *.glass; chert: iamchert, *.DB, *.baseA, *.baseB; both:
 * flintlock, v.tmp (the version file before its rename) and changesN
 * (replication). */
static int xapian_file(const char *n, int *version)
{
    static const char *const exts[] = {".glass", ".DB", ".baseA", ".baseB"};
    size_t len = strlen(n);
    if (!strcmp(n, "iamglass") || !strcmp(n, "iamchert")) {
        *version = 1;
        return 1;
    }
    if (!strcmp(n, "flintlock") || !strcmp(n, "v.tmp"))
        return 1;
    if (!strncmp(n, "changes", 7) && len > 7 &&
        strspn(n + 7, "0123456789") == len - 7)
        return 1;
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t el = strlen(exts[i]);
        if (len > el && !strcmp(n + len - el, exts[i]))
            return 1;
    }
    return 0;
}

/* What a directory holds: nothing; a Xapian db (its version file and
 * nothing but a db's files); a db that Xapian began to create and never
 * committed (a kill after its directory and tables and before its version
 * file, which Xapian writes last, by rename, leaves a db's files without
 * it); or something else, whose first stranger is copied to other (may
 * be NULL; at least NAME_MAX + 1 bytes).  "other" also when it cannot be
 * read. */
enum { DIR_OTHER, DIR_EMPTY, DIR_UNBORN_DB, DIR_DB };

static int dir_state(const char *dir, char *other)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int version = 0, files = 0;
    if (!d) {
        if (other)
            snprintf(other, NAME_MAX + 1, "(%s)", strerror(errno));
        return DIR_OTHER;
    }
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        if (!strcmp(n, ".") || !strcmp(n, ".."))
            continue;
        /* ".lock": the lock of an older indexer given "DB/" */
        if (!xapian_file(n, &version) && strcmp(n, ".lock")) {
            if (other)
                snprintf(other, NAME_MAX + 1, "%s", n);
            closedir(d);
            return DIR_OTHER;
        }
        files++;
    }
    closedir(d);
    return version ? DIR_DB : files ? DIR_UNBORN_DB : DIR_EMPTY;
}

/* Is name YEAR.lock: the lock of an indexer before this one, given a
 * year's db of a db per year alone (clear_year_locks)? */
static int is_year_lock(const char *name)
{
    size_t len = strlen(name);
    char year[16];
    if (len <= 5 || len - 5 >= sizeof year || strcmp(name + len - 5, ".lock"))
        return 0;
    snprintf(year, sizeof year, "%.*s", (int)(len - 5), name);
    return is_shard_name(year);
}

/* What db is (DB_*); for DB_FOREIGN, *why says what is in the way. */
static int db_kind_why(const char *db, char why[NAME_MAX + 64])
{
    struct stat sb;
    DIR *d;
    struct dirent *de;
    char other[NAME_MAX + 1] = "";
    int state, evidence = 0, version = 0, kind = DB_FOREIGN;
    sbuf sub = {0};

    if (stat(db, &sb) != 0) {
        if (errno == ENOENT)
            return DB_ABSENT;
        snprintf(why, NAME_MAX + 64, "%s", strerror(errno));
        return DB_FOREIGN;
    }
    if (!S_ISDIR(sb.st_mode)) {
        snprintf(why, NAME_MAX + 64, "not a directory");
        return DB_FOREIGN;
    }
    state = dir_state(db, other);
    if (state == DIR_EMPTY)
        return DB_EMPTY;
    if (state == DIR_DB)
        return DB_XAPIAN;
    if (state == DIR_UNBORN_DB) {
        snprintf(why, NAME_MAX + 64, "a db's tables without its version file");
        return DB_FOREIGN;
    }
    /* A db per year: the stub, year dbs (a first run killed before it
     * wrote the stub leaves only them; one killed while Xapian created a
     * year's db, its tables and no version file: yset_open_all), and what
     * a killed run leaves: YEAR.compact, XAPIANDB.tmp, and a year's
     * directory Xapian had just made (empty), which do not make a
     * directory a db per year by themselves. */
    if (!(d = opendir(db))) {
        snprintf(why, NAME_MAX + 64, "%s", strerror(errno));
        return DB_FOREIGN;
    }
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        size_t len = strlen(n);
        int sub_state;
        if (!strcmp(n, ".") || !strcmp(n, ".."))
            continue;
        sbuf_reset(&sub);
        sbuf_addf(&sub, "%s/%s", db, n);
        if (!strcmp(n, "XAPIANDB") && stat(sub.s, &sb) == 0 &&
            S_ISREG(sb.st_mode)) {
            evidence = 1;
            continue;
        }
        if (!strcmp(n, "XAPIANDB.tmp") || !strcmp(n, ".lock") ||
            is_year_lock(n))
            continue;
        if (len > 8 && !strcmp(n + len - 8, ".compact")) {
            char year[16];
            snprintf(year, sizeof year, "%.*s", (int)(len - 8), n);
            if (len - 8 < sizeof year && is_shard_name(year) &&
                dir_state(sub.s, NULL) != DIR_OTHER)
                continue;
        } else if (is_shard_name(n)) {
            sub_state = dir_state(sub.s, NULL);
            if (sub_state == DIR_DB || sub_state == DIR_UNBORN_DB)
                evidence = 1;
            if (sub_state != DIR_OTHER)
                continue;
        }
        /* a db's file: dir_state named the stranger beside it */
        if (!xapian_file(n, &version))
            snprintf(other, sizeof other, "%s", n);
        evidence = -1;
        break;
    }
    closedir(d);
    sbuf_free(&sub);
    if (evidence > 0)
        kind = DB_SHARDED;
    else
        snprintf(why, NAME_MAX + 64, "it holds %s", other);
    return kind;
}

static int db_kind(const char *db)
{
    char why[NAME_MAX + 64];
    return db_kind_why(db, why);
}

/* The indexer writes, replaces and removes what is at db: only a Xapian db
 * or nothing (an empty directory) is taken, never a mistyped path. */
static int check_db_path(const char *db, tt_err *e)
{
    char why[NAME_MAX + 64] = "";
    if (db_kind_why(db, why) != DB_FOREIGN)
        return TT_OK;
    return tt_seterr(e, TT_EINVAL,
                     "%s exists and is not a Xapian database (%s): it is "
                     "left as it is (give another --db, or an empty "
                     "directory)",
                     db, why);
}

/* The directory db is in (the caller frees it); *base: db's last
 * component. */
static char *parent_dir(const char *db, const char **base)
{
    const char *slash = strrchr(db, '/');
    *base = slash ? slash + 1 : db;
    return slash ? xstrndup(db, slash == db ? 1 : (size_t)(slash - db))
                 : xstrdup(".");
}

/* Does dir hold the stub a db per year has (DIR/XAPIANDB as
 * yset_write_stub writes it: "auto YEAR" lines)? */
static int has_year_stub(const char *dir)
{
    sbuf path = {0};
    char *text = NULL, *line, *save = NULL;
    size_t len = 0;
    struct stat sb;
    int yes = 0;
    sbuf_addf(&path, "%s/XAPIANDB", dir);
    if (stat(path.s, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        tt_read_file(path.s, 1 << 16, &text, &len, NULL) != TT_OK ||
        strlen(text) != len)
        goto out;
    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "auto ", 5) || !is_shard_name(line + 5)) {
            yes = 0;
            break;
        }
        yes = 1;
    }
out:
    free(text);
    sbuf_free(&path);
    return yes;
}

/* A year's db of a db per year (or any path inside one) is not indexed
 * alone: it would take every year's articles, its lock would lie among
 * the year dbs, and --full would swap it out of them. */
static int check_not_in_year_set(const char *db, tt_err *e)
{
    const char *base;
    char *parent = parent_dir(db, &base);
    int rc = TT_OK;
    if (has_year_stub(parent))
        rc = tt_seterr(e, TT_EINVAL,
                       "%s lies in %s, a db per year (its stub XAPIANDB "
                       "lists the year dbs): nothing done; index them all "
                       "with timtin-index --db %s --shard-by year",
                       db, parent, parent);
    free(parent);
    return rc;
}

/* A db that has never been indexed into (or does not exist) gets the bulk
 * build; one that cannot be opened does not (the incremental run says
 * why, and --full rebuilds it). */
static int db_is_fresh(const char *db)
{
    xap_db *r = NULL;
    uint32_t docs = 0;
    char *v = NULL;
    size_t n = 0;
    int fresh, kind = db_kind(db);
    if (kind != DB_XAPIAN)
        return 1;
    fresh = xap_db_open(&db, 1, &r, NULL) == TT_OK &&
            xap_db_doccount(r, &docs, NULL) == TT_OK && docs == 0 &&
            xap_db_get_metadata(r, META_CHECKPOINT, &v, &n, NULL) == TT_OK &&
            n == 0;
    free(v);
    xap_db_close(r);
    return fresh;
}

static int open_writer(const idx_opts *o, const char *path, int overwrite,
                       xap_wdb **w, tt_err *e)
{
    int rc = xap_wdb_open(path, XAP_CREATE | (overwrite ? XAP_OVERWRITE : 0) |
                                    (o->nosync ? XAP_NOSYNC : 0),
                          w, e);
    /* a db it could not commit to: said before indexing anything */
    if (rc == TT_OK && (rc = xap_wdb_writable(*w, e)))
        say_more(e, "; nothing indexed");
    if (rc == TT_OK && !overwrite)
        rc = check_analyzer(*w, path, e);
    if (rc == TT_OK)
        rc = xap_wdb_set_metadata(*w, META_ANALYZER, TT_ANALYZER_VERSION,
                                  strlen(TT_ANALYZER_VERSION), e);
    return rc;
}

/* Compact srcs into DB.compact and swap it in as db. */
static int compact_into(const char *const *srcs, size_t n, const char *db,
                        tt_err *e)
{
    sbuf tmp = {0};
    int rc;
    sbuf_addf(&tmp, "%s.compact", db);
    if ((rc = tt_rmtree(tmp.s, e)) == TT_OK &&
        (rc = xap_compact(srcs, n, tmp.s, e)) == TT_OK)
        rc = swap_in(db, tmp.s, e);
    sbuf_free(&tmp);
    return rc;
}

/* The files this process has open (stdio, the lock, the corpus's):
 * /proc/self/fd's entries but the one reading it; else as many as fcntl
 * finds below limit (or 1024). */
static size_t fds_open(size_t limit)
{
    size_t n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL)
            n += de->d_name[0] != '.';
        closedir(d);
        return n ? n - 1 : 0;
    }
    for (size_t fd = 0; fd < limit && fd < 1024; fd++)
        n += fcntl((int)fd, F_GETFD) != -1;
    return n;
}

/* How many dbs one compaction may merge (*fanin, at least 2): each keeps
 * up to IDX_FILES_PER_DB files open, and so does the db it writes, beside
 * the files open already; the process may have no more than
 * RLIMIT_NOFILE (raised to its hard limit first).  TT_EIO saying to raise
 * ulimit -n when not even two fit. */
static int merge_fanin(size_t *fanin, tt_err *e)
{
    struct rlimit rl;
    size_t limit = 65536, open_now, room;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (rl.rlim_cur != RLIM_INFINITY)
            limit = (size_t)rl.rlim_cur;
    }
    /* the db written, and a few to spare (a version file read at an
     * open, a temporary file) */
    open_now = fds_open(limit) + IDX_FILES_PER_DB + IDX_SPARE_FILES;
    room = limit > open_now ? (limit - open_now) / IDX_FILES_PER_DB : 0;
    if (room < 2)
        return tt_seterr(e, TT_EIO,
                         "too few open files allowed to merge the sub-dbs "
                         "(ulimit -n %zu, %zu needed to merge two); raise "
                         "the open-file limit (ulimit -n)",
                         limit, open_now + 2 * IDX_FILES_PER_DB);
    *fanin = room > IDX_MAX_FANIN ? IDX_MAX_FANIN : room;
    return TT_OK;
}

/* Remove and free the stage dbs names[0..n) (NULL entries skipped). */
static void drop_stage(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (names[i]) {
            tt_rmtree(names[i], NULL);
            free(names[i]);
        }
    free(names);
}

/* Compact srcs[0..n) into dst, in stages of at most merge_fanin() dbs
 * (stage dbs are DB.new.stage.L.K, removed once merged). */
static int merge_into(const char *db, const char *const *srcs, size_t n,
                      const char *dst, tt_err *e)
{
    size_t fanin = 0, level = 0, nstage = 0;
    const char *const *cur = srcs;
    char **stage = NULL;
    int rc = merge_fanin(&fanin, e);
    while (rc == TT_OK && n > fanin) {
        size_t nnext = (n + fanin - 1) / fanin;
        char **next = xcalloc(nnext, sizeof *next);
        for (size_t k = 0; rc == TT_OK && k < nnext; k++) {
            sbuf p = {0};
            size_t from = k * fanin;
            sbuf_addf(&p, "%s.new.stage.%zu.%zu", db, level, k);
            next[k] = sbuf_detach(&p, NULL);
            if ((rc = tt_rmtree(next[k], e)) == TT_OK)
                rc = xap_compact(cur + from, n - from < fanin ? n - from : fanin,
                                 next[k], e);
        }
        drop_stage(stage, nstage); /* merged into the next stage */
        stage = next;
        nstage = nnext;
        cur = (const char *const *)next;
        n = nnext;
        level++;
    }
    if (rc == TT_OK)
        rc = xap_compact(cur, n, dst, e);
    drop_stage(stage, nstage);
    return rc;
}

/* After a bulk build: merge every sub-db into DB.compact, stamp it with the
 * analyzer and the checkpoint, and swap it in. */
static int merge_bulk(const idx_opts *o, worker *wks, unsigned n,
                      corpus_pos end, tt_err *e)
{
    const char **srcs = NULL;
    size_t nsrc = 0, cap = 0;
    sbuf tmp = {0};
    xap_wdb *w = NULL;
    int rc;
    char buf[32];

    for (unsigned i = 0; i < n; i++)
        for (size_t j = 0; j < wks[i].nsubdbs; j++) {
            xgrow(&srcs, &cap, nsrc + 1, sizeof *srcs);
            srcs[nsrc++] = wks[i].subdbs[j];
        }
    sbuf_addf(&tmp, "%s.compact", o->db);
    corpus_pos_format(end, buf);
    if ((rc = tt_rmtree(tmp.s, e)) ||
        (rc = merge_into(o->db, srcs, nsrc, tmp.s, e)) ||
        (rc = xap_wdb_open(tmp.s, o->nosync ? XAP_NOSYNC : 0, &w, e)) ||
        (rc = xap_wdb_set_metadata(w, META_ANALYZER, TT_ANALYZER_VERSION,
                                   strlen(TT_ANALYZER_VERSION), e)) ||
        (rc = xap_wdb_set_metadata(w, META_CHECKPOINT, buf, strlen(buf), e)) ||
        (rc = set_corpus_meta(w, wks[0].ident, wks[0].cdir, e)))
        goto fail;
    rc = xap_wdb_close(w, e);
    w = NULL;
    if (rc == TT_OK)
        rc = swap_in(o->db, tmp.s, e);
fail:
    xap_wdb_abandon(w);
    if (rc)
        tt_rmtree(tmp.s, NULL);
    sbuf_free(&tmp);
    free(srcs);
    return rc;
}

/* Is name a run's leftover of the db named base (a name in the same
 * directory): base.new (a --full --shard-by year), base.new.K.NNNN and
 * base.new.stage.L.K (sub-dbs), base.compact? */
static int is_leftover(const char *name, const char *base)
{
    size_t len = strlen(base), n;
    if (strncmp(name, base, len) != 0)
        return 0;
    name += len;
    if (!strcmp(name, ".new") || !strcmp(name, ".compact"))
        return 1;
    if (strncmp(name, ".new.", 5) != 0)
        return 0;
    name += 5;
    if (!strncmp(name, "stage.", 6))
        name += 6;
    n = strspn(name, "0123456789");
    if (!n || name[n] != '.')
        return 0;
    name += n + 1;
    n = strspn(name, "0123456789");
    return n && !name[n];
}

/* Remove what a killed bulk build or compaction left behind: beside the
 * db its leftovers (is_leftover); in a db per year YEAR.compact and
 * XAPIANDB.tmp.  Names are compared, never globbed: the db's own may hold
 * [, * or ?. */
static void remove_leftovers(const char *db)
{
    const char *base;
    char *parent = parent_dir(db, &base);
    sbuf path = {0};
    struct dirent *de;
    DIR *d;
    if ((d = opendir(parent)) != NULL) {
        while ((de = readdir(d)) != NULL)
            if (is_leftover(de->d_name, base)) {
                sbuf_reset(&path);
                sbuf_addf(&path, "%s/%s", parent, de->d_name);
                tt_rmtree(path.s, NULL);
            }
        closedir(d);
    }
    if ((d = opendir(db)) != NULL) {
        while ((de = readdir(d)) != NULL) {
            const char *n = de->d_name;
            size_t len = strlen(n);
            char year[16];
            snprintf(year, sizeof year, "%.*s", (int)(len > 8 ? len - 8 : 0),
                     n);
            if (strcmp(n, "XAPIANDB.tmp") &&
                !(len > 8 && len - 8 < sizeof year &&
                  !strcmp(n + len - 8, ".compact") && is_shard_name(year)))
                continue;
            sbuf_reset(&path);
            sbuf_addf(&path, "%s/%s", db, n);
            tt_rmtree(path.s, NULL);
        }
        closedir(d);
    }
    sbuf_free(&path);
    free(parent);
}

/* The db path as the run uses it, in *out (the caller frees): without
 * trailing slashes (DB/ and DB take one lock, DB.lock, and swap beside
 * DB), and a symlink (or a last component . or ..) resolved, so that the
 * swap replaces the directory it names, not the link, and the lock is the
 * target's.  An empty path, the root, a dangling link: TT_EINVAL. */
static int norm_db_path(const char *db, char **out, tt_err *e)
{
    size_t len = strlen(db);
    const char *last;
    char *p, *real = NULL;
    struct stat sb;
    int rc = TT_OK;
    *out = NULL;
    if (!len)
        return tt_seterr(e, TT_EINVAL, "--db: an empty path");
    while (len > 1 && db[len - 1] == '/')
        len--;
    p = xstrndup(db, len);
    last = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
    if (!strcmp(last, ".") || !strcmp(last, "..") ||
        (lstat(p, &sb) == 0 && S_ISLNK(sb.st_mode))) {
        if (!(real = realpath(p, NULL))) {
            rc = tt_seterr(e, TT_EINVAL, "--db %s: cannot resolve it: %s", db,
                           strerror(errno));
            goto out;
        }
        free(p);
        p = real;
    }
    if (!strcmp(p, "/"))
        rc = tt_seterr(e, TT_EINVAL, "--db %s: the root directory", db);
out:
    if (rc)
        free(p);
    else
        *out = p;
    return rc;
}

/* Is path (a directory) a mount point?  Its device differs from its
 * parent's, or (a bind mount within one file system) the kernel lists it
 * in /proc/self/mountinfo. */
static int is_mount_point(const char *path)
{
    struct stat a, b;
    sbuf parent = {0};
    char *real = NULL, *line = NULL;
    size_t cap = 0;
    FILE *f;
    int found = 0;
    sbuf_addf(&parent, "%s/..", path);
    if (stat(path, &a) != 0 || stat(parent.s, &b) != 0)
        goto out;
    if (a.st_dev != b.st_dev || a.st_ino == b.st_ino) {
        found = 1;
        goto out;
    }
    if (!(real = realpath(path, NULL)) ||
        !(f = fopen("/proc/self/mountinfo", "r")))
        goto out;
    /* ID PARENT MAJ:MIN ROOT MOUNTPOINT ...; spaces and such in
     * MOUNTPOINT as \040 */
    while (!found && getline(&line, &cap, f) > 0) {
        char *mp = line;
        size_t i = 0, j = 0;
        for (int field = 0; field < 4 && mp; field++)
            mp = strchr(mp, ' ') ? strchr(mp, ' ') + 1 : NULL;
        if (!mp)
            continue;
        for (; mp[i] && mp[i] != ' ' && mp[i] != '\n'; i++, j++) {
            if (mp[i] == '\\' && mp[i + 1] >= '0' && mp[i + 1] <= '3' &&
                mp[i + 2] >= '0' && mp[i + 2] <= '7' && mp[i + 3] >= '0' &&
                mp[i + 3] <= '7') {
                mp[j] = (char)((mp[i + 1] - '0') * 64 + (mp[i + 2] - '0') * 8 +
                               (mp[i + 3] - '0'));
                i += 3;
            } else {
                mp[j] = mp[i];
            }
        }
        mp[j] = '\0';
        found = !strcmp(mp, real);
    }
    fclose(f);
out:
    free(line);
    free(real);
    sbuf_free(&parent);
    return found;
}

/* A run that replaces the directory db (a bulk build, --compact of one
 * db, --full with --shard-by year) swaps a new one in beside it; a mount
 * point cannot be swapped (rename fails with EBUSY), so that run is
 * refused before it builds. */
static int check_swappable(const char *db, tt_err *e)
{
    if (!is_mount_point(db))
        return TT_OK;
    return tt_seterr(e, TT_EINVAL,
                     "%s is a mount point: the indexer builds a db beside "
                     "it and swaps the two, which a mount point cannot be; "
                     "give a directory inside it (such as %s/db)",
                     db, db);
}

/* Does the run replace the directory db (check_swappable)? */
static int swaps_db(const idx_opts *o)
{
    if (o->shard_year)
        return o->full;
    /* (a db per year without --shard-by year: refused for that) */
    return db_kind(o->db) != DB_SHARDED &&
           (o->full || o->compact || db_is_fresh(o->db));
}

/* ---- one db per year ----------------------------------------------------
 *
 * With o->shard_year the db path is a directory holding one db per year of
 * publication (DB/2021, DB/2022, …, DB/undated) and a stub file DB/XAPIANDB
 * listing them, so that searchers open DB as one db.  Each shard keeps its
 * own checkpoint, committed with its documents: a run killed between two
 * shards' commits leaves them at two checkpoints, and one killed before a
 * new shard's first commit leaves it with none (the corpus's start).  A
 * run starts from the smallest, and each shard takes only the records
 * after its own checkpoint, and commits only once the run has reached it:
 * at every commit a shard holds exactly the articles of its year that the
 * corpus holds at its checkpoint, never a checkpoint behind its documents.
 * An article whose year changes moves: it is deleted from every other
 * shard.
 *
 * Searchers open DB through the stub while a run goes on, and must find
 * every article at every moment: a new year's db is named in the stub as
 * soon as it is made (empty), before its first commit, and a shard that
 * an article leaves for another commits after that other one (yset_commit
 * follows the moves), so that between the two commits the article is in
 * both dbs, never in none.  Moves both ways (2020 to 2021 and 2021 to
 * 2020) among one commit's records would want each shard before the
 * other: the commit is cut before the record that would close such a
 * cycle.
 */

typedef struct yshard {
    char name[16];
    xap_wdb *w;
    corpus_pos at; /* its checkpoint: the records before it are in it */
    /* the shards it commits after: articles left it for them since the
     * last commit (indexes into yset.v) */
    size_t *after;
    size_t nafter, capafter;
    int mark; /* visited (reaches, commit_shard) */
} yshard;

typedef struct yset {
    const idx_opts *o;
    corpus *c;
    const char *ident; /* the corpus's identity, or "" */
    const char *cdir;  /* its directory, absolute (set_corpus_meta) */
    const char *dir;
    yshard *v;
    size_t n, cap;
    int live; /* the shards there are open: a new one goes in the stub */
} yset;

static int yset_write_stub(yset *ys, tt_err *e);

/* The shard of that name already open, or NULL. */
static yshard *yset_find(yset *ys, const char *name)
{
    for (size_t i = 0; i < ys->n; i++)
        if (!strcmp(ys->v[i].name, name))
            return &ys->v[i];
    return NULL;
}

/* Does shard sh hold record rec already (a record before its checkpoint)? */
static int yshard_has(const yshard *sh, const corpus_rec *rec)
{
    return corpus_pos_cmp(rec->pos, sh->at) < 0;
}

/* Open (or make) the shard of that name; a new one is at the corpus's
 * start. */
static int yset_open(yset *ys, const char *name, yshard **out, tt_err *e)
{
    if ((*out = yset_find(ys, name)))
        return TT_OK;
    sbuf path = {0};
    xap_wdb *w = NULL;
    sbuf_addf(&path, "%s/%s", ys->dir, name);
    int rc = open_writer(ys->o, path.s, 0, &w, e);
    sbuf_free(&path);
    if (rc)
        return rc;
    xgrow(&ys->v, &ys->cap, ys->n + 1, sizeof *ys->v);
    yshard *sh = &ys->v[ys->n++];
    snprintf(sh->name, sizeof sh->name, "%s", name);
    sh->w = w;
    sh->at = (corpus_pos){0, 0};
    sh->after = NULL;
    sh->nafter = sh->capafter = 0;
    sh->mark = 0;
    *out = sh;
    /* a new year's db: in the stub before it commits anything */
    return ys->live ? yset_write_stub(ys, e) : TT_OK;
}

/* Does shard i commit after shard to, through the moves so far?  (Marks
 * the shards it visits: the caller clears them.) */
static int reaches(yset *ys, size_t i, size_t to)
{
    if (i == to)
        return 1;
    if (ys->v[i].mark)
        return 0;
    ys->v[i].mark = 1;
    for (size_t k = 0; k < ys->v[i].nafter; k++)
        if (reaches(ys, ys->v[i].after[k], to))
            return 1;
    return 0;
}

static void clear_marks(yset *ys)
{
    for (size_t i = 0; i < ys->n; i++)
        ys->v[i].mark = 0;
}

/* An article left shard i for shard to: i commits after it. */
static void yset_moved(yset *ys, size_t i, size_t to)
{
    yshard *sh = &ys->v[i];
    for (size_t k = 0; k < sh->nafter; k++)
        if (sh->after[k] == to)
            return;
    xgrow(&sh->after, &sh->capafter, sh->nafter + 1, sizeof *sh->after);
    sh->after[sh->nafter++] = to;
}

static int is_shard_name(const char *s)
{
    if (!strcmp(s, "undated"))
        return 1;
    if (strlen(s) != 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Open every shard already in ys->dir; *from = the smallest checkpoint. */
static int yset_open_all(yset *ys, corpus_pos *from, tt_err *e)
{
    DIR *d = opendir(ys->dir);
    struct dirent *de;
    sbuf path = {0};
    int rc = TT_OK, first = 1;
    if (!d)
        return TT_OK; /* nothing yet */
    while (rc == TT_OK && (de = readdir(d))) {
        yshard *sh;
        corpus_pos p;
        int state;
        if (!is_shard_name(de->d_name))
            continue;
        sbuf_reset(&path);
        sbuf_addf(&path, "%s/%s", ys->dir, de->d_name);
        state = dir_state(path.s, NULL);
        if (state == DIR_UNBORN_DB || state == DIR_EMPTY) {
            /* killed while Xapian created it: nothing was committed
             * there, and the records it was for are read again */
            tt_warn("%s: a db killed before its first commit; made again",
                    path.s);
            rc = tt_rmtree(path.s, e);
            continue;
        }
        if ((rc = yset_open(ys, de->d_name, &sh, e)) ||
            (rc = read_checkpoint(sh->w, path.s, ys->c, ys->o->corpus,
                                  ys->ident, &p, e)))
            break;
        sh->at = p;
        if (first || corpus_pos_cmp(p, *from) < 0)
            *from = p;
        first = 0;
    }
    closedir(d);
    sbuf_free(&path);
    return rc;
}

/* Commit shard i at next, after the shards it commits after. */
static int commit_shard(yset *ys, size_t i, corpus_pos next, tt_err *e)
{
    yshard *sh = &ys->v[i];
    int rc = TT_OK;
    if (sh->mark)
        return TT_OK;
    sh->mark = 1;
    for (size_t k = 0; k < sh->nafter && rc == TT_OK; k++)
        rc = commit_shard(ys, sh->after[k], next, e);
    if (rc || corpus_pos_cmp(next, sh->at) < 0)
        return rc;
    if ((rc = commit(sh->w, next, ys->ident, ys->cdir, e)) == TT_OK) {
        sh->at = next;
        if (ys->o->committed)
            ys->o->committed(ys->o->committed_arg);
    }
    return rc;
}

/* Commit every shard the run has reached at next (a shard past it,
 * untouched, keeps its checkpoint), each after those its articles moved
 * to. */
static int yset_commit(yset *ys, corpus_pos next, tt_err *e)
{
    int rc = TT_OK;
    for (size_t i = 0; i < ys->n && rc == TT_OK; i++)
        rc = commit_shard(ys, i, next, e);
    clear_marks(ys);
    for (size_t i = 0; i < ys->n; i++)
        ys->v[i].nafter = 0;
    return rc;
}

/* Compact each year's db as one db is compacted (compact_into: into
 * DIR/YEAR.compact, then swapped in); the writers are closed. */
static int yset_compact(yset *ys, tt_err *e)
{
    sbuf path = {0};
    int rc = TT_OK;
    for (size_t i = 0; i < ys->n && rc == TT_OK; i++) {
        const char *src;
        sbuf_reset(&path);
        sbuf_addf(&path, "%s/%s", ys->dir, ys->v[i].name);
        src = path.s;
        rc = compact_into(&src, 1, path.s, e);
    }
    sbuf_free(&path);
    return rc;
}

/* DB/XAPIANDB: "auto NAME" for each shard open (one at least), when it
 * says anything else; written atomically (a temporary file renamed),
 * synced unless o->nosync. */
static int yset_write_stub(yset *ys, tt_err *e)
{
    char **names = xcalloc(ys->n + 1, sizeof *names), *old = NULL;
    size_t oldlen = 0;
    sbuf path = {0}, tmp = {0}, text = {0};
    int rc = TT_OK, ok, nosync = ys->o->nosync;
    FILE *f;
    for (size_t i = 0; i < ys->n; i++)
        names[i] = ys->v[i].name;
    qsort(names, ys->n, sizeof *names, cmp_names);
    for (size_t i = 0; i < ys->n; i++)
        sbuf_addf(&text, "auto %s\n", names[i]);
    sbuf_addf(&path, "%s/XAPIANDB", ys->dir);
    sbuf_addf(&tmp, "%s/XAPIANDB.tmp", ys->dir);
    if (tt_read_file(path.s, 1 << 16, &old, &oldlen, NULL) == TT_OK &&
        oldlen == text.len && !memcmp(old, text.s, oldlen))
        goto out; /* as it is */
    f = fopen(tmp.s, "w");
    ok = f && fwrite(text.s, 1, text.len, f) == text.len && fflush(f) == 0 &&
         (nosync || fsync(fileno(f)) == 0);
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok || rename(tmp.s, path.s) != 0 ||
        (!nosync && tt_sync_dir(ys->dir) != 0))
        rc = tt_seterr(e, TT_EIO, "cannot write %s: %s", path.s,
                       strerror(errno));
    if (rc == TT_OK && ys->o->committed)
        ys->o->committed(ys->o->committed_arg);
out:
    free(names);
    free(old);
    sbuf_free(&path);
    sbuf_free(&tmp);
    sbuf_free(&text);
    return rc;
}

/* The YEAR.lock files in a db per year dir, which indexers before this
 * one made when given a year's db alone (check_not_in_year_set refuses
 * that now): removed when no one holds them, saying what that run may
 * have left; TT_ELOCKED while one does. */
static int clear_year_locks(const char *dir, tt_err *e)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    sbuf path = {0};
    int rc = TT_OK, fd;
    if (!d)
        return TT_OK; /* nothing yet */
    while (rc == TT_OK && (de = readdir(d))) {
        if (!is_year_lock(de->d_name))
            continue;
        sbuf_reset(&path);
        sbuf_addf(&path, "%s/%s", dir, de->d_name);
        if ((fd = open(path.s, O_RDWR | O_CLOEXEC)) < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            rc = errno == EWOULDBLOCK
                     ? tt_seterr(e, TT_ELOCKED,
                                 "%s is being updated by a timtin-index "
                                 "given one year's db alone (an older "
                                 "version; its lock %s); try again once it "
                                 "is done",
                                 dir, path.s)
                     : tt_seterr(e, TT_EIO, "cannot lock %s: %s", path.s,
                                 strerror(errno));
        } else if (unlink(path.s) == 0) {
            tt_warn("%s: removed, the lock of an older timtin-index given "
                    "one year's db alone: that db may hold other years' "
                    "articles, which timtin-index --full --shard-by year "
                    "puts right",
                    path.s);
        }
        close(fd);
    }
    closedir(d);
    sbuf_free(&path);
    return rc;
}

static void year_of(const article *a, char out[16])
{
    char key[15];
    if (date_local_key(a->published, key) == 0) {
        snprintf(out, 16, "%.4s", key);
    } else {
        snprintf(out, 16, "undated");
    }
}

static int apply_sharded(yset *ys, idx_builder *b, const corpus_rec *rec,
                         idx_stats *st, sbuf *idterm, tt_err *e)
{
    article a;
    xap_doc *doc = NULL;
    char year[16] = "";
    int rc = TT_OK, done = 0; /* done: target holds the record already */
    unsigned had = 0, nd;
    uint32_t n;
    yshard *target = NULL;
    size_t t;

    rec_id_term(rec, idterm);
    if (!rec->deleted) {
        st->bytes += rec->payload_len;
        if (parse_record(rec, &a, st))
            return TT_OK;
        year_of(&a, year);
        target = yset_find(ys, year);
        if (target && yshard_has(target, rec)) {
            done = 1; /* (counted when it was indexed) */
        } else if (!(doc = idx_build_doc(b, &a, &rec->pos, st))) {
            st->skipped_empty++;
            target = NULL; /* without text: it leaves every shard */
        }
        article_free(&a);
    }
    if (doc && (rc = yset_open(ys, year, &target, e)))
        goto out;
    t = target ? (size_t)(target - ys->v) : ys->n;
    /* a move from a shard that target commits after (through other
     * moves): the records before this one are committed first */
    for (size_t i = 0; doc && ys->v[t].nafter && i < ys->n; i++) {
        if (i == t || yshard_has(&ys->v[i], rec))
            continue;
        if ((rc = xap_wdb_termfreq(ys->v[i].w, idterm->s, idterm->len, &n,
                                   e)))
            goto out;
        if (n && reaches(ys, t, i)) {
            clear_marks(ys);
            if ((rc = yset_commit(ys, rec->pos, e)))
                goto out;
            break;
        }
        clear_marks(ys);
    }
    /* the id leaves every other shard (deleted, or moved to another year)
     * that does not hold the record already */
    for (size_t i = 0; i < ys->n && rc == TT_OK; i++) {
        if (i == t || yshard_has(&ys->v[i], rec))
            continue;
        rc = xap_wdb_delete(ys->v[i].w, idterm->s, idterm->len, &nd, e);
        if (nd && doc)
            yset_moved(ys, i, t);
        had += nd;
    }
    if (rc == TT_OK && target && !done) {
        uint32_t there = 0;
        rc = xap_wdb_termfreq(target->w, idterm->s, idterm->len, &there, e);
        if (rc == TT_OK)
            rc = xap_wdb_replace(target->w, idterm->s, idterm->len, doc, NULL,
                                 e);
        if (rc == TT_OK)
            (had || there) ? st->replaced++ : st->added++;
    } else if (rc == TT_OK && !target) { /* deleted, or without text */
        st->deleted += had;
    }
out:
    xap_doc_free(doc);
    return rc;
}

/* A bulk build of dbs per year (--full, or the first run) applies every
 * record in order, so that an older version stays where the latest cannot
 * be read, but counts as the bulk build of one db: the latest version of
 * each live article added once (one, the record's own counts), every
 * other record superseded; run_sharded counts the older versions that
 * stayed at the end. */
static void count_bulk(corpus *c, const corpus_rec *rec,
                       const idx_stats *one, idx_stats *st)
{
    corpus_pos latest;
    int deleted;
    if (!rec->article_id ||
        corpus_latest(c, rec->article_id, &latest, &deleted) != TT_OK ||
        corpus_pos_cmp(latest, rec->pos) != 0 || deleted) {
        st->superseded++;
        return;
    }
    st->added += one->added + one->replaced;
    st->bytes += one->bytes;
    st->skipped_empty += one->skipped_empty;
    st->skipped_bad += one->skipped_bad;
    st->bad_date += one->bad_date;
    st->no_date += one->no_date;
    st->truncated += one->truncated;
}

static int run_sharded(const idx_opts *o, corpus *c, const char *ident,
                       const char *cdir, idx_stats *st, tt_err *e)
{
    yset ys = {.o = o, .c = c, .ident = ident, .cdir = cdir};
    yshard *sh;
    sbuf dir = {0}, idterm = {0};
    corpus_iter *it = NULL;
    corpus_rec rec;
    corpus_pos from = {0, 0}, last;
    idx_builder *b = idx_builder_new();
    uint32_t pending = 0, every = o->commit_every ? o->commit_every
                                                  : IDX_COMMIT_EVERY;
    double start = tt_now(), shown = 0;
    int rc, r, bulk;

    if ((rc = clear_year_locks(o->db, e)))
        goto fail;
    sbuf_addf(&dir, o->full ? "%s.new" : "%s", o->db);
    if (o->full && (rc = tt_rmtree(dir.s, e)))
        goto fail;
    if ((rc = tt_mkdirs(dir.s, e)))
        goto fail;
    ys.dir = dir.s;
    if (!o->full && (rc = yset_open_all(&ys, &from, e)))
        goto fail;
    bulk = ys.n == 0; /* --full, or no year's db yet */
    /* (naming what a run killed before its stub left) */
    ys.live = 1;
    if (ys.n && (rc = yset_write_stub(&ys, e)))
        goto fail;
    st->total_bytes = corpus_bytes_from(c, from);
    if ((rc = corpus_iter_open(c, from, &it, e)))
        goto fail;
    last = from;
    while ((r = corpus_iter_next(it, &rec, e)) > 0) {
        st->records++;
        if (rec.pos.file == rec.next.file)
            st->done_bytes += rec.next.offset - rec.pos.offset;
        last = rec.next;
        if (rec.type != CORPUS_REC_ARTICLE)
            continue;
        if (bulk) {
            idx_stats one = {0};
            rc = apply_sharded(&ys, b, &rec, &one, &idterm, e);
            count_bulk(c, &rec, &one, st);
        } else {
            rc = apply_sharded(&ys, b, &rec, st, &idterm, e);
        }
        if (rc)
            goto fail;
        if (++pending >= every) {
            if ((rc = yset_commit(&ys, rec.next, e)))
                goto fail;
            pending = 0;
        }
        if (o->progress && tt_now() - shown > 0.5) {
            shown = tt_now();
            st->elapsed = shown - start;
            o->progress(o->progress_arg, st, 0);
        }
    }
    if (r < 0) {
        rc = -r;
        goto fail;
    }
    st->corrupt = corpus_iter_skipped(it);
    /* no year at all (an empty corpus): an empty db, so that the stub
     * names one and a search says no result, as of one db */
    if (ys.n == 0 && (rc = yset_open(&ys, "undated", &sh, e)))
        goto fail;
    if ((rc = yset_commit(&ys, last, e)))
        goto fail;
    if (bulk) { /* the documents not of a latest version: older ones */
        uint64_t all = 0;
        uint32_t docs;
        for (size_t i = 0; i < ys.n; i++) {
            if ((rc = xap_wdb_doccount(ys.v[i].w, &docs, e)))
                goto fail;
            all += docs;
        }
        st->older = all > st->added ? all - st->added : 0;
        st->added += st->older;
    }
    for (size_t i = 0; i < ys.n; i++) {
        rc = xap_wdb_close(ys.v[i].w, e);
        ys.v[i].w = NULL;
        if (rc)
            goto fail;
    }
    if ((rc = yset_write_stub(&ys, e)))
        goto fail;
    if (o->compact && (rc = yset_compact(&ys, e)))
        goto fail;
    if (o->full && (rc = swap_in(o->db, dir.s, e)))
        goto fail;
    st->elapsed = tt_now() - start;
    if (o->progress)
        o->progress(o->progress_arg, st, 1);
fail:
    for (size_t i = 0; i < ys.n; i++) {
        xap_wdb_abandon(ys.v[i].w);
        free(ys.v[i].after);
    }
    free(ys.v);
    corpus_iter_close(it);
    idx_builder_free(b);
    sbuf_free(&dir);
    sbuf_free(&idterm);
    return rc;
}

/* Does a Xapian error message carry the system's reason for refusing a
 * write or an open (a full disk, a quota, a file size limit, a read-only
 * file system, permissions), which the shim adds in parentheses?  The db
 * is then not damaged, and --full would not help. */
static int storage_refused(const char *msg)
{
    static const int why[] = {ENOSPC, EDQUOT, EFBIG, EROFS, EACCES, EPERM,
                              EMFILE, ENFILE};
    char reason[128];
    for (size_t i = 0; i < sizeof why / sizeof *why; i++) {
        snprintf(reason, sizeof reason, "(%s)", strerror(why[i]));
        if (strstr(msg, reason))
            return 1;
    }
    return 0;
}

int idx_run(const idx_opts *o, idx_stats *st, tt_err *e)
{
    idx_opts oo;
    char *db = NULL, ident[CORPUS_IDENTITY_LEN] = "", *cdir = NULL;
    int rc, lockfd = -1;
    corpus *c = NULL;
    unsigned n = 1;
    worker *wks = NULL;
    shared sh = {.mu = PTHREAD_MUTEX_INITIALIZER,
                 .cv = PTHREAD_COND_INITIALIZER};
    double start;
    corpus_opts copts = {.warn = warn_corpus};
    int bulk;

    memset(st, 0, sizeof *st);
    if ((rc = norm_db_path(o->db, &db, e)))
        return rc;
    oo = *o;
    oo.db = db;
    o = &oo;
    /* the inputs checked before the lock is made beside the db */
    if ((rc = corpus_check(o->corpus, e)) ||
        (rc = check_not_in_year_set(o->db, e)) ||
        (rc = check_db_path(o->db, e)) ||
        (swaps_db(o) && (rc = check_swappable(o->db, e))) ||
        (rc = lock_db(o->db, o->wait, &lockfd, e)))
        goto fail;
    start = tt_now(); /* waiting for the lock is not indexing */
    /* The one snapshot of the corpus the run reads: its id index and the
     * records it covers, to which every worker's iteration is bounded
     * (a bulk build indexes the latest version of each id as that index
     * knows it); what is appended meanwhile is for the next run. */
    if ((rc = corpus_open(o->corpus, CORPUS_READ, &copts, &c, e)))
        goto fail;
    corpus_identity(c, ident);
    if (!(cdir = realpath(o->corpus, NULL)))
        cdir = xstrdup(o->corpus);
    if (o->snapshot)
        o->snapshot(o->snapshot_arg);

    remove_leftovers(o->db);
    {
        int kind = db_kind(o->db);
        if (kind == DB_SHARDED && !o->shard_year) {
            rc = tt_seterr(e, TT_EINVAL,
                           "%s holds one db per year: run with --shard-by "
                           "year",
                           o->db);
            goto fail;
        }
        /* the year dbs would go inside the db's own directory */
        if (kind == DB_XAPIAN && o->shard_year && !o->full) {
            rc = tt_seterr(e, TT_EINVAL,
                           "%s is one db, not one per year: run without "
                           "--shard-by year, or convert it with --full "
                           "--shard-by year",
                           o->db);
            goto fail;
        }
    }
    if (o->shard_year) {
        rc = run_sharded(o, c, ident, cdir, st, e);
        goto fail;
    }
    bulk = o->full || db_is_fresh(o->db);
    if (bulk) {
        n = o->jobs ? o->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
        if (n < 1)
            n = 1;
        if (n > IDX_MAX_JOBS)
            n = IDX_MAX_JOBS;
    }
    wks = xcalloc(n, sizeof *wks);
    for (unsigned i = 0; i < n; i++) {
        worker *wk = &wks[i];
        wk->o = o;
        wk->c = c;
        wk->shard = i;
        wk->sh = &sh;
        wk->bulk = bulk;
        wk->every = o->commit_every ? o->commit_every : IDX_COMMIT_EVERY;
        wk->ident = ident;
        wk->cdir = cdir;
        if (!bulk && ((rc = open_writer(o, o->db, 0, &wk->w, e)) ||
                      (rc = read_checkpoint(wk->w, o->db, c, o->corpus, ident,
                                            &wk->from, e))))
            goto fail;
    }
    /* what the run reads: from the checkpoint (bulk: {0,0}) to the end */
    st->total_bytes = corpus_bytes_from(c, wks[0].from);
    if (bulk)
        split_corpus(c, wks, n);
    if ((rc = run_workers(o, wks, n, &sh, st, start, e)) ||
        (bulk && (rc = recover_lost(c, wks, n, st, e))))
        goto fail;
    if (bulk) {
        /* the checkpoint: the snapshot's end, where the records it did
         * not hold begin */
        if ((rc = merge_bulk(o, wks, n, corpus_end(c), e)))
            goto fail;
    } else {
        rc = xap_wdb_close(wks[0].w, e);
        wks[0].w = NULL;
        if (rc)
            goto fail;
        if (o->compact) {
            const char *src = o->db;
            if ((rc = compact_into(&src, 1, o->db, e)))
                goto fail;
        }
    }
    st->elapsed = tt_now() - start;
    if (o->progress)
        o->progress(o->progress_arg, st, 1);
fail:
    for (unsigned i = 0; wks && i < n; i++) {
        xap_wdb_abandon(wks[i].w);
        for (size_t j = 0; j < wks[i].nsubdbs; j++) {
            tt_rmtree(wks[i].subdbs[j], NULL);
            free(wks[i].subdbs[j]);
        }
        free(wks[i].subdbs);
        strlist_free(&wks[i].lost);
        free(wks[i].gaps);
    }
    free(wks);
    free(cdir);
    corpus_close(c, NULL);
    if (lockfd >= 0)
        close(lockfd);
    /* the db unreadable: the corpus holds all it takes to build it anew;
     * not said when the system refused a write (a full disk) */
    if ((rc == TT_EXAPIAN || rc == TT_ECORRUPT) && !o->full && e &&
        !storage_refused(e->msg) && !strstr(e->msg, "timtin-index --full"))
        say_more(e, "; if the db is damaged, timtin-index --full rebuilds it "
                    "from the corpus");
    free(db);
    return rc;
}
