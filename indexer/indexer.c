/* indexer.c — see indexer.h.
 *
 * A document per article id (unique term Q<id>):
 *   positions: title, then sapo, then captions and body paragraphs, with
 *     gaps (schema.h) so phrases never cross fields or paragraphs;
 *   wdf: title terms count 3, sapo 2, the rest 1 (BM25 then ranks title
 *     matches above body matches);
 *   boolean terms for author, section, tag, source, year, month, day;
 *   values: published (sortable key), near-duplicate key, section, year;
 *   data: JSON of what a result shows (id, url, title, published, section,
 *     authors, sapo) and the start of the body for snippets.
 */
#include "indexer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "article.h"
#include "corpus.h"
#include "date.h"
#include "json.h"
#include "schema.h"
#include "sha1.h"
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
 * and lead, whatever the slug; folding makes NFD/NFC and tone placement
 * irrelevant. */
static void dup_key(builder *b, const article *a, char out[17])
{
    unsigned char d[SHA1_LEN];
    sbuf_reset(&b->tmp);
    if (a->title)
        vn_fold(a->title, strlen(a->title), &b->tmp);
    sbuf_addc(&b->tmp, '|');
    if (a->sapo)
        vn_fold(a->sapo, strlen(a->sapo), &b->tmp);
    sha1(b->tmp.s, b->tmp.len, d);
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void write_data(builder *b, const article *a, const char *published)
{
    js_writer *w;
    sbuf_reset(&b->data);
    w = js_w_new(&b->data, 0);
    js_w_obj_begin(w);
#define STR(k, v)                                                            \
    if (v && *v) {                                                           \
        js_w_key(w, k);                                                      \
        js_w_str(w, v);                                                      \
    }
    STR("id", a->id);
    STR("url", a->url);
    STR("title", a->title);
    STR("published", published);
    STR("section", a->section);
    STR("source", a->source);
    if (a->authors.n) {
        js_w_key(w, "authors");
        js_w_arr_begin(w);
        for (size_t i = 0; i < a->authors.n; i++)
            js_w_str(w, a->authors.v[i]);
        js_w_arr_end(w);
    }
    STR("sapo", a->sapo);
#undef STR
    size_t left = IDX_MAX_DATA_BODY;
    if (a->body.n) {
        js_w_key(w, "body");
        js_w_arr_begin(w);
        for (size_t i = 0; i < a->body.n && left; i++) {
            size_t n = strlen(a->body.v[i]);
            if (n > left) { /* cut at a character boundary */
                n = left;
                while (n && ((unsigned char)a->body.v[i][n] & 0xC0) == 0x80)
                    n--;
            }
            js_w_strn(w, a->body.v[i], n);
            left -= n;
        }
        js_w_arr_end(w);
    }
    js_w_obj_end(w);
    js_w_free(w, NULL);
}

xap_doc *idx_build_doc(idx_builder *b, const article *a, idx_stats *st)
{
    xap_doc *doc;
    uint32_t pos = 0;
    size_t words = 0, left = IDX_MAX_TEXT;
    int64_t epoch;
    char published[32] = "";

    if ((!a->title || !*a->title) && !a->body.n && (!a->sapo || !*a->sapo))
        return NULL;
    doc = xap_doc_new();
    sbuf_reset(&b->term);
    sbuf_adds(&b->term, PFX_ID);
    sbuf_adds(&b->term, a->id);
    xap_doc_add_boolean_term(doc, b->term.s, b->term.len);

    if (a->title)
        words += an_index_text(b->an, doc, a->title, strlen(a->title),
                               AN_TITLE, TITLE_WDF, &pos);
    pos += POS_FIELD_GAP;
    if (a->sapo)
        words += an_index_text(b->an, doc, a->sapo, strlen(a->sapo), 0,
                               SAPO_WDF, &pos);
    pos += POS_FIELD_GAP;
    for (size_t i = 0; i < a->captions.n; i++) {
        words += an_index_text(b->an, doc, a->captions.v[i],
                               strlen(a->captions.v[i]), 0, 1, &pos);
        pos += POS_PARA_GAP;
    }
    pos += POS_FIELD_GAP;
    for (size_t i = 0; i < a->body.n && left; i++) {
        size_t n = strlen(a->body.v[i]);
        if (n > left) {
            n = left;
            st->truncated++;
        }
        left -= n;
        words += an_index_text(b->an, doc, a->body.v[i], n, 0, 1, &pos);
        pos += POS_PARA_GAP;
    }
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
        sbuf_reset(&b->tmp);
        vn_clean(a->section, strlen(a->section), &b->tmp);
        xap_doc_set_value(doc, SLOT_SECTION, b->tmp.s, b->tmp.len);
    }

    if (a->published && *a->published) {
        char key[15];
        if (date_parse_iso(a->published, &epoch) == 0 &&
            epoch > -2208988800LL /* 1900 */ &&
            epoch < 4102444800LL /* 2100 */) {
            date_format_key(epoch, key);
            xap_doc_set_value(doc, SLOT_PUBLISHED, key, 14);
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
            snprintf(published, sizeof published, "%s", a->published);
        } else {
            st->bad_date++;
        }
    }
    char dk[17];
    dup_key(b, a, dk);
    xap_doc_set_value(doc, SLOT_DUPKEY, dk, 16);
    write_data(b, a, published);
    xap_doc_set_data(doc, b->data.s, b->data.len);
    return doc;
}

/* The writer lock: flock on DB.lock, held until the process exits or
 * unlock_db. */
static int lock_db(const char *db, int wait, int *fd_out, tt_err *e)
{
    sbuf path = {0};
    int rc = TT_OK, fd;
    sbuf_addf(&path, "%s.lock", db);
    fd = open(path.s, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        rc = tt_seterr(e, TT_EIO, "cannot create lock %s: %s", path.s,
                       strerror(errno));
        goto out;
    }
    while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        if (errno == EINTR)
            continue;
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
    if (rc == TT_OK && (n || docs) &&
        (n != strlen(TT_ANALYZER_VERSION) ||
         memcmp(v, TT_ANALYZER_VERSION, n) != 0))
        rc = tt_seterr(e, TT_EVERSION,
                       "%s was built by another analyzer (%.*s, this is %s); "
                       "rebuild it with timtin-index --full",
                       db, (int)(n > 64 ? 64 : n), n ? v : "none",
                       TT_ANALYZER_VERSION);
    free(v);
    return rc;
}

static int commit(xap_wdb *w, corpus_pos next, tt_err *e)
{
    char buf[32];
    corpus_pos_format(next, buf);
    int rc = xap_wdb_set_metadata(w, META_CHECKPOINT, buf, strlen(buf), e);
    if (rc == TT_OK)
        rc = xap_wdb_commit(w, e);
    return rc;
}

static void warn_record(void *arg, const char *msg)
{
    idx_stats *st = arg;
    st->corrupt++;
    tt_warn("corpus: %s", msg);
}

/* Swap DB.new into DB atomically (renameat2 RENAME_EXCHANGE), then remove
 * the old one.  Readers holding the old db keep their open files. */
static int swap_in(const char *db, const char *fresh, tt_err *e)
{
    struct stat sb;
    if (stat(db, &sb) == 0) {
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

int idx_run(const idx_opts *o, idx_stats *st, tt_err *e)
{
    int rc, lockfd = -1, r;
    corpus *c = NULL;
    corpus_iter *it = NULL;
    xap_wdb *w = NULL;
    idx_builder *b = idx_builder_new();
    corpus_pos from = {0, 0};
    corpus_rec rec;
    sbuf fresh = {0}, idterm = {0};
    uint32_t every = o->commit_every ? o->commit_every : 20000, pending = 0;
    double start = tt_now(), last_progress = 0;
    corpus_opts copts = {0};
    corpus_stats cst;

    memset(st, 0, sizeof *st);
    copts.warn = warn_record;
    copts.warn_arg = st;
    if ((rc = lock_db(o->db, o->wait, &lockfd, e)))
        goto fail;
    if ((rc = corpus_open(o->corpus, CORPUS_READ, &copts, &c, e)))
        goto fail;
    if (corpus_stats_get(c, &cst, NULL) == TT_OK)
        st->total_bytes = cst.bytes;

    if (o->full) {
        sbuf_addf(&fresh, "%s.new", o->db);
        if ((rc = tt_rmtree(fresh.s, e)) ||
            (rc = xap_wdb_open(fresh.s, XAP_CREATE | XAP_OVERWRITE |
                                            (o->nosync ? XAP_NOSYNC : 0),
                               &w, e)))
            goto fail;
    } else {
        char *v = NULL;
        size_t n = 0;
        if ((rc = xap_wdb_open(o->db, XAP_CREATE |
                                          (o->nosync ? XAP_NOSYNC : 0),
                               &w, e)) ||
            (rc = check_analyzer(w, o->db, e)))
            goto fail;
        rc = xap_wdb_get_metadata(w, META_CHECKPOINT, &v, &n, e);
        if (rc == TT_OK && n && corpus_pos_parse(v, &from) != 0)
            rc = tt_seterr(e, TT_ECORRUPT,
                           "%s: bad checkpoint \"%.40s\"; rebuild with --full",
                           o->db, v);
        free(v);
        if (rc)
            goto fail;
    }
    if ((rc = xap_wdb_set_metadata(w, META_ANALYZER, TT_ANALYZER_VERSION,
                                   strlen(TT_ANALYZER_VERSION), e)))
        goto fail;
    if ((rc = corpus_iter_open(c, from, &it, e)))
        goto fail;

    corpus_pos last = from;
    while ((r = corpus_iter_next(it, &rec, e)) > 0) {
        st->records++;
        if (rec.pos.file == rec.next.file)
            st->done_bytes += rec.next.offset - rec.pos.offset;
        last = rec.next;
        if (rec.type != CORPUS_REC_ARTICLE)
            continue;
        st->bytes += rec.payload_len;
        sbuf_reset(&idterm);
        sbuf_adds(&idterm, PFX_ID);
        sbuf_adds(&idterm, rec.article_id ? rec.article_id : "");
        if (rec.deleted) {
            unsigned nd = 0;
            if ((rc = xap_wdb_delete(w, idterm.s, idterm.len, &nd, e)))
                goto fail;
            st->deleted += nd;
        } else {
            article a;
            tt_err ae;
            xap_doc *doc;
            if (article_from_json(rec.payload, rec.payload_len, &a, &ae)) {
                st->skipped_bad++;
                tt_warn("%s: offset %llu: article skipped: %s", rec.file,
                        (unsigned long long)rec.pos.offset, ae.msg);
                goto next;
            }
            sbuf_reset(&idterm);
            sbuf_adds(&idterm, PFX_ID);
            sbuf_adds(&idterm, a.id);
            doc = idx_build_doc(b, &a, st);
            if (!doc) {
                /* nothing to index: an older version must not linger */
                st->skipped_empty++;
                rc = xap_wdb_delete(w, idterm.s, idterm.len, NULL, e);
            } else {
                uint32_t had = 0;
                rc = xap_wdb_termfreq(w, idterm.s, idterm.len, &had, e);
                if (rc == TT_OK)
                    rc = xap_wdb_replace(w, idterm.s, idterm.len, doc, NULL,
                                         e);
                if (rc == TT_OK)
                    had ? st->replaced++ : st->added++;
                xap_doc_free(doc);
            }
            article_free(&a);
            if (rc)
                goto fail;
        }
    next:
        if (++pending >= every) {
            if ((rc = commit(w, rec.next, e)))
                goto fail;
            pending = 0;
        }
        if (o->progress && tt_now() - last_progress > 0.5) {
            last_progress = tt_now();
            st->elapsed = last_progress - start;
            o->progress(o->progress_arg, st, 0);
        }
    }
    if (r < 0) {
        rc = -r;
        goto fail;
    }
    if ((rc = commit(w, last, e)))
        goto fail;
    rc = xap_wdb_close(w, e);
    w = NULL;
    if (rc)
        goto fail;
    if (o->full && (rc = swap_in(o->db, fresh.s, e)))
        goto fail;
    st->elapsed = tt_now() - start;
    if (o->progress)
        o->progress(o->progress_arg, st, 1);
fail:
    xap_wdb_abandon(w);
    corpus_iter_close(it);
    corpus_close(c, NULL);
    if (lockfd >= 0)
        close(lockfd);
    idx_builder_free(b);
    sbuf_free(&fresh);
    sbuf_free(&idterm);
    return rc;
}
