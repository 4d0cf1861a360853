/* test_indexer.c — the id term of lib/analyze.h (long ids); idx_run's
 * bulk build reading one corpus snapshot while records are appended; the
 * terms an_index_text gives abbreviations; the near-duplicate key; the
 * dates' value slots; a db made read-only during a run. */
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze.h"
#include "corpus.h"
#include "docdata.h"
#include "indexer.h"
#include "sample_db.h"
#include "schema.h"
#include "t.h"
#include "tmp.h"
#include "unicode.h"

static char top[TMP_PATH_MAX];

/* An id of n bytes: c repeated, then last. */
static char *make_id(size_t n, char c, char last)
{
    char *s = xmalloc(n + 1);
    memset(s, c, n);
    s[n - 1] = last;
    s[n] = '\0';
    return s;
}

/* Ids that fit keep the term Q<id> (dbs built before stay valid); longer
 * ones get a term of at most XAP_MAX_TERM bytes, their start and a hash
 * of the whole id, distinct for ids that differ only at their end. */
static void test_id_term(void)
{
    sbuf t = {0}, t2 = {0};
    char *fits = make_id(XAP_MAX_TERM - 1, 'a', 'z');
    char *over = make_id(XAP_MAX_TERM, 'a', 'z');
    char *over2 = make_id(XAP_MAX_TERM, 'a', 'y');
    char *max = make_id(1024, 'b', 'z');
    char hex[AN_ID_HASH_HEX + 1];

    an_id_term("demo-1", 6, &t);
    T_CHECK(t.len == 7 && !memcmp(t.s, PFX_ID "demo-1", 7));
    an_id_term(fits, strlen(fits), &t);
    T_EQ_INT(t.len, XAP_MAX_TERM);
    T_CHECK(!memcmp(t.s, PFX_ID, 1) && !memcmp(t.s + 1, fits, strlen(fits)));

    an_id_term(over, strlen(over), &t);
    tt_hash128_hex(over, strlen(over), hex);
    T_CHECK(t.len <= XAP_MAX_TERM && t.len > AN_ID_HASH_HEX + 1);
    T_CHECK(!memcmp(t.s, PFX_ID, 1) &&
            !memcmp(t.s + 1, over, t.len - 1 - AN_ID_HASH_HEX) &&
            !memcmp(t.s + t.len - AN_ID_HASH_HEX, hex, AN_ID_HASH_HEX));
    an_id_term(over2, strlen(over2), &t2);
    T_CHECK(t2.len == t.len && memcmp(t.s, t2.s, t.len) != 0);
    an_id_term(max, strlen(max), &t);
    T_CHECK(t.len <= XAP_MAX_TERM);

    /* the start is cut at a character boundary: "ầ" is 3 bytes */
    sbuf_reset(&t2);
    for (int i = 0; i < 100; i++)
        sbuf_adds(&t2, "ầ");
    an_id_term(t2.s, t2.len, &t);
    T_EQ_INT((t.len - 1 - AN_ID_HASH_HEX) % 3, 0);
    T_CHECK(t.len <= XAP_MAX_TERM);

    free(fits);
    free(over);
    free(over2);
    free(max);
    sbuf_free(&t);
    sbuf_free(&t2);
}

/* Store an article of that title (and date: may be NULL) in c. */
static void put_dated(corpus *c, const char *id, const char *title,
                      const char *published)
{
    article a = {0};
    tt_err e;
    a.id = (char *)id;
    a.title = (char *)title;
    a.published = (char *)published;
    strlist_push(&a.body, "Nội dung bài báo.", strlen("Nội dung bài báo."));
    if (corpus_put_article(c, &a, NULL, &e))
        fprintf(stderr, "  put %s: %s\n", id, e.msg);
    strlist_free(&a.body);
}

static void put(corpus *c, const char *id, const char *title)
{
    put_dated(c, id, title, NULL);
}

typedef struct appender {
    const char *corpus;
    corpus_pos end; /* the corpus's end before the appends */
    int calls;
} appender;

/* The snapshot hook: once the run has loaded the corpus's id index, a
 * writer of its own appends a new article, a new version of a-2 and a
 * deletion of a-3. */
static void append_more(void *arg)
{
    appender *ap = arg;
    corpus *c = NULL;
    tt_err e;
    if (ap->calls++ || corpus_open(ap->corpus, CORPUS_WRITE, NULL, &c, &e))
        return;
    ap->end = corpus_end(c);
    put(c, "new-1", "Bài mới zzthem");
    put(c, "a-2", "Bài hai zzmoi");
    corpus_delete_article(c, "a-3", NULL, &e);
    corpus_close(c, NULL);
}

static uint32_t termfreq(const char *db, const char *term, size_t len)
{
    xap_db *r = NULL;
    uint32_t n = UINT32_MAX;
    if (xap_db_open(&db, 1, &r, NULL) == TT_OK)
        xap_db_termfreq(r, term, len, &n, NULL);
    xap_db_close(r);
    return n;
}

static uint32_t has_id(const char *db, const char *id)
{
    sbuf t = {0};
    an_id_term(id, strlen(id), &t);
    uint32_t n = termfreq(db, t.s, t.len);
    sbuf_free(&t);
    return n;
}

static int checkpoint_is(const char *db, corpus_pos want)
{
    xap_db *r = NULL;
    char *v = NULL, buf[32];
    size_t n = 0;
    int ok = 0;
    corpus_pos_format(want, buf);
    if (xap_db_open(&db, 1, &r, NULL) == TT_OK &&
        xap_db_get_metadata(r, META_CHECKPOINT, &v, &n, NULL) == TT_OK)
        ok = n == strlen(buf) && !memcmp(v, buf, n);
    free(v);
    xap_db_close(r);
    return ok;
}

/* A bulk build reads the corpus as its id index knows it: records
 * appended meanwhile (a new article, a new version, a deletion) are left,
 * whole, to the next run, whose checkpoint starts right before them. */
static void test_bulk_snapshot(void)
{
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        char cdir[300], db[300], id[16];
        corpus *c = NULL;
        appender ap = {0};
        idx_opts o = {0};
        idx_stats st;
        tt_err e;
        snprintf(cdir, sizeof cdir, "%s/corpus%u", top, jobs);
        snprintf(db, sizeof db, "%s/db%u", top, jobs);
        T_EQ_INT(corpus_open(cdir, CORPUS_WRITE | CORPUS_CREATE, NULL, &c, &e),
                 TT_OK);
        if (!c)
            return;
        put(c, "a-1", "Bài một");
        put(c, "a-2", "Bài hai zzcu");
        put(c, "a-3", "Bài ba");
        put(c, "a-4", "Bài bốn");
        corpus_close(c, NULL);

        ap.corpus = cdir;
        o.corpus = cdir;
        o.db = db;
        o.jobs = jobs;
        o.nosync = 1;
        o.snapshot = append_more;
        o.snapshot_arg = &ap;
        T_EQ_INT(idx_run(&o, &st, &e), TT_OK);
        T_EQ_INT(ap.calls, 1);
        T_EQ_INT(st.added, 4);
        T_EQ_INT(st.superseded, 0); /* nothing read beyond the snapshot */
        T_EQ_INT(has_id(db, "new-1"), 0);
        T_EQ_INT(has_id(db, "a-3"), 1);
        T_EQ_INT(termfreq(db, "zzcu", 4), 1);
        T_EQ_INT(termfreq(db, "zzmoi", 5), 0);
        T_CHECK(checkpoint_is(db, ap.end));

        o.snapshot = NULL;
        T_EQ_INT(idx_run(&o, &st, &e), TT_OK);
        T_EQ_INT(st.added, 1);
        T_EQ_INT(st.replaced, 1);
        T_EQ_INT(st.deleted, 1);
        T_EQ_INT(has_id(db, "new-1"), 1);
        T_EQ_INT(has_id(db, "a-3"), 0);
        T_EQ_INT(termfreq(db, "zzcu", 4), 0);
        T_EQ_INT(termfreq(db, "zzmoi", 5), 1);
        for (int i = 1; i <= 4; i++) {
            snprintf(id, sizeof id, "a-%d", i);
            T_EQ_INT(has_id(db, id), i != 3);
        }
    }
}

/* The progress's total is what the run reads: the corpus from the
 * checkpoint to its end, not the whole corpus; done reaches it. */
static void test_progress_total(void)
{
    for (int shard_year = 0; shard_year <= 1; shard_year++) {
        char cdir[300], db[300], path[320], id[16], buf[32];
        corpus *c = NULL;
        xap_wdb *w = NULL;
        corpus_pos mid, end;
        idx_opts o = {0};
        idx_stats st;
        tt_err e;
        snprintf(cdir, sizeof cdir, "%s/pcorpus%d", top, shard_year);
        snprintf(db, sizeof db, "%s/pdb%d", top, shard_year);
        T_EQ_INT(corpus_open(cdir, CORPUS_WRITE | CORPUS_CREATE, NULL, &c, &e),
                 TT_OK);
        if (!c)
            return;
        for (int i = 0; i < 20; i++) {
            snprintf(id, sizeof id, "p-%d", i);
            put(c, id, "Bài cũ");
        }
        mid = corpus_end(c);
        for (int i = 20; i < 23; i++) {
            snprintf(id, sizeof id, "p-%d", i);
            put(c, id, "Bài mới");
        }
        corpus_close(c, NULL);
        T_EQ_INT(corpus_open(cdir, CORPUS_READ, NULL, &c, &e), TT_OK);
        end = corpus_end(c);
        corpus_close(c, NULL);

        o.corpus = cdir;
        o.db = db;
        o.nosync = 1;
        o.shard_year = shard_year;
        T_EQ_INT(idx_run(&o, &st, &e), TT_OK);
        T_EQ_INT(st.total_bytes, end.offset);
        T_EQ_INT(st.done_bytes, st.total_bytes);
        /* back to the middle (undated articles: one year's db): the run
         * reads the last 3 records */
        snprintf(path, sizeof path, "%s%s", db, shard_year ? "/undated" : "");
        corpus_pos_format(mid, buf);
        T_EQ_INT(xap_wdb_open(path, XAP_NOSYNC, &w, &e), TT_OK);
        T_EQ_INT(xap_wdb_set_metadata(w, META_CHECKPOINT, buf, strlen(buf), &e),
                 TT_OK);
        T_EQ_INT(xap_wdb_close(w, &e), TT_OK);
        T_EQ_INT(idx_run(&o, &st, &e), TT_OK);
        T_EQ_INT(st.records, 3);
        T_EQ_INT(st.total_bytes, end.offset - mid.offset);
        T_EQ_INT(st.done_bytes, st.total_bytes);
    }
}

/* What a reader of a db per year sees after each commit of a run. */
typedef struct watch {
    const char *db;
    const char *const *ids;
    size_t n;
    int calls, missed;
} watch;

/* A new corpus TOP/NAMEcorpus, open for writing, in cdir, and the path
 * of its db TOP/NAMEdb in db; NULL when it cannot be made. */
static corpus *new_corpus(const char *name, char cdir[300], char db[300])
{
    corpus *c = NULL;
    tt_err e;
    snprintf(cdir, 300, "%s/%scorpus", top, name);
    snprintf(db, 300, "%s/%sdb", top, name);
    T_EQ_INT(corpus_open(cdir, CORPUS_WRITE | CORPUS_CREATE, NULL, &c, &e),
             TT_OK);
    return c;
}

/* The committed hook: every id found through the stub. */
static void all_found(void *arg)
{
    watch *w = arg;
    w->calls++;
    for (size_t i = 0; i < w->n; i++) {
        uint32_t n = has_id(w->db, w->ids[i]);
        if (n == 0 || n == UINT32_MAX) {
            fprintf(stderr, "  commit %d: %s not found\n", w->calls,
                    w->ids[i]);
            w->missed++;
            return;
        }
    }
}

/* Articles whose year changes move from one year's db to another's: a
 * reader of the stub finds every one of them after each commit of the run
 * and each writing of the stub (once, or twice between the two dbs'
 * commits), moved into a new year's db, and moved both ways among one
 * commit's articles; at the end each is in one db. */
static void test_year_moves(void)
{
    static const char *const ids[] = {"m-0", "m-1", "m-2", "m-3", "m-4",
                                      "m-5", "x-0", "x-1", "x-2", "x-3",
                                      "m-6", "m-7", "m-8", "m-9"};
    const size_t n = sizeof ids / sizeof *ids;
    static const char y2020[] = "2020-03-04T05:06:07+07:00",
                      y2021[] = "2021-03-04T05:06:07+07:00",
                      y2023[] = "2023-03-04T05:06:07+07:00";
    const char *title = "Bài đổi năm";
    char cdir[300], db[300];
    corpus *c = NULL;
    idx_opts o = {0};
    idx_stats st;
    watch w = {0};
    tt_err e;
    if (!(c = new_corpus("y", cdir, db)))
        return;
    for (size_t i = 0; i < n; i++)
        put_dated(c, ids[i], title, ids[i][0] == 'x' ? y2021 : y2020);
    corpus_close(c, NULL);
    o.corpus = cdir;
    o.db = db;
    o.nosync = 1;
    o.shard_year = 1;
    T_EQ_INT(idx_run(&o, &st, &e), TT_OK);

    /* m-0..m-5 to a new year; then x-i to 2020 and m-(6+i) to 2021 */
    T_EQ_INT(corpus_open(cdir, CORPUS_WRITE, NULL, &c, &e), TT_OK);
    if (!c)
        return;
    for (size_t i = 0; i < 6; i++)
        put_dated(c, ids[i], title, y2023);
    for (size_t i = 0; i < 4; i++) {
        put_dated(c, ids[6 + i], title, y2020);
        put_dated(c, ids[10 + i], title, y2021);
    }
    corpus_close(c, NULL);
    w.db = db;
    w.ids = ids;
    w.n = n;
    o.committed = all_found;
    o.committed_arg = &w;
    o.commit_every = 4;
    T_EQ_INT(idx_run(&o, &st, &e), TT_OK);
    T_CHECK(w.calls >= 4);
    T_EQ_INT(w.missed, 0);
    T_EQ_INT(st.replaced, n);
    for (size_t i = 0; i < n; i++)
        T_EQ_INT(has_id(db, ids[i]), 1);
}

static int add_plain_term(void *arg, const char *term, size_t len,
                          uint32_t wdf)
{
    (void)wdf;
    if (!uni_valid(term, len))
        sbuf_adds(arg, " (invalid UTF-8)");
    sbuf_addc(arg, ' ');
    sbuf_add(arg, term, len);
    return 0;
}

/* Index article a alone (idx_build_doc, its record at place) and read
 * back its terms (" term" each, in byte order), its data's published field
 * and its place (DD_PLACE: placed may be NULL); returns how many articles
 * were cut (idx_stats.truncated: 0 or 1). */
static uint64_t build_alone_at(const article *a, const corpus_pos *place,
                               sbuf *terms, sbuf *published, sbuf *placed)
{
    idx_stats sts = {0}, *st = &sts;
    char path[300];
    xap_wdb *w = NULL;
    xap_db *r = NULL;
    xap_docid docid = 0;
    idx_builder *b = idx_builder_new();
    xap_doc *doc = idx_build_doc(b, a, place, st);
    sbuf idterm = {0};
    char *data = NULL;
    size_t len = 0, pos = 0, n;
    const char *v;
    int tag;
    tt_err e;
    snprintf(path, sizeof path, "%s/alone", top);
    sbuf_reset(terms);
    sbuf_reset(published);
    an_id_term(a->id, strlen(a->id), &idterm);
    T_CHECK(doc != NULL);
    T_EQ_INT(xap_wdb_open(path, XAP_CREATE | XAP_OVERWRITE | XAP_NOSYNC, &w,
                          &e),
             TT_OK);
    if (doc && w)
        T_EQ_INT(xap_wdb_add(w, idterm.s, idterm.len, doc, NULL, &e), TT_OK);
    T_EQ_INT(xap_wdb_close(w, &e), TT_OK);
    const char *dbs[] = {path};
    T_EQ_INT(xap_db_open(dbs, 1, &r, &e), TT_OK);
    if (r && xap_db_find(r, idterm.s, idterm.len, &docid, &e) == TT_OK) {
        xap_db_doc_terms(r, docid, NULL, 0, add_plain_term, terms, &e);
        if (xap_db_doc_data(r, docid, &data, &len, &e) == TT_OK)
            while (dd_next(data, len, &pos, &tag, &v, &n)) {
                if (tag == DD_PUBLISHED)
                    sbuf_add(published, v, n);
                else if (tag == DD_PLACE && placed)
                    sbuf_add(placed, v, n);
            }
    }
    sbuf_addc(terms, ' ');
    free(data);
    xap_db_close(r);
    xap_doc_free(doc);
    idx_builder_free(b);
    sbuf_free(&idterm);
    tt_rmtree(path, NULL);
    return sts.truncated;
}

static uint64_t build_alone(const article *a, sbuf *terms, sbuf *published)
{
    return build_alone_at(a, NULL, terms, published, NULL);
}

/* "a a a ..." of n bytes (n even), then tail. */
static char *filler(size_t n, const char *tail)
{
    size_t tl = strlen(tail);
    char *s = xmalloc(n + tl + 1);
    for (size_t i = 0; i < n; i += 2)
        memcpy(s + i, "a ", 2);
    memcpy(s + n, tail, tl + 1);
    return s;
}

/* Where the article's record is (DD_PLACE) is kept when the text kept for
 * snippets is not all of it, and only then: the searcher reads the rest
 * from the corpus. */
static void test_place(void)
{
    article a = {0};
    sbuf terms = {0}, published = {0}, placed = {0};
    corpus_pos at = {3, 123456789012ull};
    char *big = filler(IDX_MAX_DATA_TEXT + 100, "zzlate");
    a.id = (char *)"place-1";
    a.title = (char *)"Tiêu đề";
    a.sapo = (char *)"Một đoạn ngắn.";
    build_alone_at(&a, &at, &terms, &published, &placed);
    T_CHECK(placed.len == 0); /* the whole text is kept */
    strlist_push(&a.body, big, strlen(big));
    build_alone_at(&a, &at, &terms, &published, &placed);
    T_CHECK(placed.s && !strcmp(placed.s, "3:123456789012"));
    sbuf_reset(&placed);
    build_alone_at(&a, NULL, &terms, &published, &placed);
    T_CHECK(placed.len == 0); /* no place known */
    /* the text kept ends at a paragraph's end, another one follows */
    strlist_free(&a.body);
    a.sapo = NULL;
    free(big);
    big = filler(IDX_MAX_DATA_TEXT, "");
    strlist_push(&a.body, big, strlen(big));
    strlist_push(&a.body, "", 0);
    build_alone_at(&a, &at, &terms, &published, &placed);
    T_CHECK(placed.len == 0); /* an empty paragraph is no text */
    strlist_push(&a.body, "zzmore", 6);
    build_alone_at(&a, &at, &terms, &published, &placed);
    T_CHECK(placed.s && !strcmp(placed.s, "3:123456789012"));
    strlist_free(&a.body);
    free(big);
    sbuf_free(&terms);
    sbuf_free(&published);
    sbuf_free(&placed);
}

/* The text indexed per article stops at IDX_MAX_TEXT bytes, of every
 * field (captions too), cut at a character boundary; an article cut is
 * counted once, even when the cut falls between two paragraphs. */
static void test_text_cap(void)
{
    article a = {0};
    sbuf terms = {0}, published = {0};
    char *big;
    a.id = (char *)"cap-1";

    /* a first paragraph of exactly the cap: the next one is cut off */
    big = filler(IDX_MAX_TEXT, "");
    strlist_push(&a.body, big, strlen(big));
    strlist_push(&a.body, "zzsau", 5);
    T_EQ_INT(build_alone(&a, &terms, &published), 1);
    T_CHECK(!strstr(terms.s, " zzsau "));
    strlist_free(&a.body);
    free(big);

    /* the cut in the middle of "ầ": before it, not inside */
    big = filler(IDX_MAX_TEXT - 2, "bầc");
    strlist_push(&a.body, big, strlen(big));
    T_EQ_INT(build_alone(&a, &terms, &published), 1);
    T_CHECK(strstr(terms.s, " b ") && !strstr(terms.s, "invalid") &&
            !strstr(terms.s, " bac ") && !strstr(terms.s, " b\xe1"));
    strlist_free(&a.body);
    free(big);

    /* captions count too: past the cap, neither they nor the body */
    big = filler(IDX_MAX_TEXT, "zzcaption");
    strlist_push(&a.captions, big, strlen(big));
    strlist_push(&a.body, "zzbody", 6);
    T_EQ_INT(build_alone(&a, &terms, &published), 1);
    T_CHECK(!strstr(terms.s, " zzcaption ") && !strstr(terms.s, " zzbody "));
    strlist_free(&a.captions);
    strlist_free(&a.body);
    free(big);

    /* under the cap: all of it, nothing counted */
    strlist_push(&a.captions, "zzcaption", 9);
    strlist_push(&a.body, "zzbody", 6);
    /* a valid date longer than 31 bytes is kept whole */
    a.published = (char *)"2024-01-01T00:15:00.123456789+07:00";
    T_EQ_INT(build_alone(&a, &terms, &published), 0);
    T_CHECK(strstr(terms.s, " zzcaption ") && strstr(terms.s, " zzbody "));
    T_CHECK(published.s && !strcmp(published.s, a.published));
    strlist_free(&a.captions);
    strlist_free(&a.body);
    sbuf_free(&terms);
    sbuf_free(&published);
}

static int add_term(void *arg, const char *term, size_t len, uint32_t wdf)
{
    sbuf_add(arg, term, len);
    sbuf_addf(arg, ":%u ", (unsigned)wdf);
    return 0;
}

/* The terms of each text, analysed as a body paragraph: " term:wdf " each
 * (a leading space), in byte order; and the positions of term pos. */
static void analysed(const char *const *texts, size_t n, char **terms,
                     const char *pos, xap_poslist *pl)
{
    char path[300];
    xap_wdb *w = NULL;
    xap_db *r = NULL;
    an_ctx *a = an_new();
    tt_err e;
    snprintf(path, sizeof path, "%s/abbr", top);
    T_EQ_INT(xap_wdb_open(path, XAP_CREATE | XAP_NOSYNC, &w, &e), TT_OK);
    for (size_t i = 0; w && i < n; i++) {
        xap_doc *d = xap_doc_new();
        char id[16];
        uint32_t p = 0;
        xap_docid docid;
        snprintf(id, sizeof id, "Q%zu", i);
        xap_doc_add_boolean_term(d, id, strlen(id));
        an_index_text(a, d, texts[i], strlen(texts[i]), 0, 1, &p);
        T_EQ_INT(xap_wdb_replace(w, id, strlen(id), d, &docid, &e), TT_OK);
        xap_doc_free(d);
    }
    T_EQ_INT(xap_wdb_close(w, &e), TT_OK);
    const char *dbs[] = {path};
    T_EQ_INT(xap_db_open(dbs, 1, &r, &e), TT_OK);
    for (size_t i = 0; r && i < n; i++) {
        sbuf t = {0};
        char id[16];
        xap_docid docid = 0;
        xap_poslist *got = NULL;
        snprintf(id, sizeof id, "Q%zu", i);
        sbuf_addc(&t, ' ');
        T_EQ_INT(xap_db_find(r, id, strlen(id), &docid, &e), TT_OK);
        T_EQ_INT(xap_db_doc_terms(r, docid, NULL, 0, add_term, &t, &e),
                 TT_OK);
        terms[i] = sbuf_detach(&t, NULL);
        T_EQ_INT(xap_db_positions(r, &docid, 1, &pos, 1, &got, &e), TT_OK);
        pl[i].n = got ? got[0].n : 0;
        pl[i].pos = got && got[0].n ? xmalloc(got[0].n * sizeof *pl[i].pos)
                                    : NULL;
        if (pl[i].n)
            memcpy(pl[i].pos, got[0].pos, got[0].n * sizeof *pl[i].pos);
        xap_poslists_free(got, 1);
    }
    xap_db_close(r);
    an_free(a);
    tt_rmtree(path, NULL);
}

/* Every spelling of an abbreviation gives its term once, without a
 * position, whether written in one word (TPHCM), made of its parts (TP
 * HCM, TP. Hồ Chí Minh, thành phố HCM) or spelt out; one written in one
 * word gives its parts' terms too (TP.HCM: tp and hcm).  Parts apart, or
 * in the other order, are not the whole; the words' positions are those
 * of the words alone. */
static void test_abbr_terms(void)
{
    static const struct {
        const char *text, *has, *lacks;
    } cases[] = {
        {"Mưa ở TP.HCM suốt đêm", " tp.hcm:1 tp:1 hcm:1 ", NULL},
        {"Mưa ở TPHCM suốt đêm", " tp.hcm:1 tp:1 hcm:1 tphcm:1 ", NULL},
        {"Mưa ở Tp.HCM suốt đêm", " tp.hcm:1 tp:1 hcm:1 ", NULL},
        {"Mưa ở TP HCM suốt đêm", " tp.hcm:1 tp:1 hcm:1 ", NULL},
        {"Mưa ở TP. HCM suốt đêm", " tp.hcm:1 tp:1 hcm:1 ", NULL},
        {"Mưa ở Tp HCM suốt đêm", " tp.hcm:1 tp:1 hcm:1 ", NULL},
        {"Mưa ở thành phố HCM suốt đêm", " tp.hcm:1 tp:1 hcm:1 ", NULL},
        {"Mưa ở TP. Hồ Chí Minh suốt đêm", " tp.hcm:1 tp:1 hcm:1 ", NULL},
        {"Mưa ở TP.Hồ Chí Minh suốt đêm", " tp.hcm:1 tp:1 hcm:1 ", NULL},
        {"Mưa ở thành phố Hồ Chí Minh suốt đêm", " tp.hcm:1 tp:1 hcm:1 ",
         NULL},
        {"Mưa ở TP.HCM và TP HCM", " tp.hcm:2 tp:2 hcm:2 ", NULL},
        {"Mưa ở TP Cần Thơ, HCM", " tp:1 hcm:1 ", "tp.hcm"},
        {"Mưa ở HCM TP suốt đêm", " tp:1 hcm:1 ", "tp.hcm"},
        {"UBND tỉnh họp", " ubnd:1 ", NULL},
        {"Ubnd tỉnh họp", " ubnd:1 ", NULL},
        {"Uỷ ban nhân dân tỉnh họp", " ubnd:1 ", NULL},
        {"HLV Park và huấn luyện viên Kim", " hlv:2 ", NULL},
    };
    enum { N = sizeof cases / sizeof cases[0] };
    const char *texts[N];
    char *terms[N];
    xap_poslist pl[N];
    for (size_t i = 0; i < N; i++)
        texts[i] = cases[i].text;
    analysed(texts, N, terms, "suot", pl);
    for (size_t i = 0; i < N; i++) {
        const char *has = cases[i].has;
        int ok = 1;
        while (*has) { /* each " term:wdf " of has */
            const char *end = strchr(has + 1, ' ');
            char *want = xstrndup(has, (size_t)(end - has) + 1);
            ok &= strstr(terms[i], want) != NULL;
            free(want);
            has = end;
            if (!end[1])
                break;
        }
        if (cases[i].lacks) {
            char want[64];
            snprintf(want, sizeof want, " %s:", cases[i].lacks);
            ok &= strstr(terms[i], want) == NULL;
        }
        if (!ok)
            printf("# %s:%s\n", cases[i].text, terms[i]);
        T_CHECK(ok);
        /* "suốt" stands where it would without the abbreviations */
        if (strstr(cases[i].text, "suốt")) {
            uint32_t want = 0;
            for (const char *t = cases[i].text; *t;)
                if (!strncmp(t, "suốt", strlen("suốt"))) {
                    break;
                } else {
                    size_t n = strcspn(t, " ");
                    const char *dot = memchr(t, '.', n);
                    /* TP.Hồ is two words, TP. and Hồ; TP.HCM one */
                    want += dot && dot + 2 < t + n && dot[1] >= 'A' &&
                            dot[1] <= 'Z' && !(dot[2] >= 'A' && dot[2] <= 'Z');
                    t += n;
                    t += *t == ' ';
                    want++;
                }
            T_CHECK(pl[i].n == 1 && pl[i].pos[0] == want + 1);
        }
        free(pl[i].pos);
        free(terms[i]);
    }
}

/* A db (under top, named after name) of the articles a[0..n), open for
 * reading; NULL, failed checks said, when it cannot be made. */
static xap_db *db_of(const char *name, const article *a, size_t n)
{
    char path[300];
    xap_wdb *w = NULL;
    xap_db *r = NULL;
    idx_builder *b = idx_builder_new();
    tt_err e;
    snprintf(path, sizeof path, "%s/%s.XXXXXX", top, name);
    T_EQ_INT(sample_new(path, &w, &e), TT_OK); /* path: its db */
    for (size_t i = 0; w && i < n; i++)
        T_EQ_INT(sample_put(w, b, &a[i], &e), TT_OK);
    T_EQ_INT(xap_wdb_close(w, &e), TT_OK);
    const char *dbs[] = {path};
    T_EQ_INT(xap_db_open(dbs, 1, &r, &e), TT_OK);
    idx_builder_free(b);
    return r;
}

/* The value in slot of article id of r, in *v (malloc'd, "" when unset). */
static void value_of(xap_db *r, const char *id, unsigned slot, char **v,
                     size_t *len)
{
    sbuf t = {0};
    xap_docid docid = 0;
    tt_err e;
    an_id_term(id, strlen(id), &t);
    T_EQ_INT(xap_db_find(r, t.s, t.len, &docid, &e), TT_OK);
    T_EQ_INT(xap_db_doc_value(r, docid, slot, v, len, &e), TT_OK);
    sbuf_free(&t);
}

/* The near-duplicate key (SLOT_DUPKEY, the searcher's collapse key):
 * the same for the same title and lead under other ids, URLs and bodies,
 * whatever their normalisation (NFD, tone placement); another title (if
 * only by a tone mark: "bán" is not "bàn") or another lead gives another
 * key.  Without a lead, the start of the body stands for it: a title that
 * recurs ("Giá vàng hôm nay") is not one story. */
static void test_dup_key(void)
{
    static const struct {
        const char *id, *title, *sapo, *body; /* paragraphs: '\n' */
        int group; /* same group, same key */
    } cases[] = {
        {"d-1", "Cầu Cần Thơ thông xe", "Sáng nay cầu thông xe.", "Một.", 1},
        {"d-2", "Cầu Cần Thơ thông xe", "Sáng nay cầu thông xe.", "Hai.", 1},
        /* "ơ" decomposed: "o" and a combining horn */
        {"d-3", "Cầu Cần Tho\xcc\x9b thông xe", "Sáng nay cầu thông xe.",
         "Ba.", 1},
        {"d-4", "Cầu Cần Thơ thông xe", "Chiều nay cầu thông xe.", "Một.", 2},
        {"d-5", "Cầu Mỹ Thuận thông xe", "Sáng nay cầu thông xe.", "Một.", 3},
        {"d-6", "Hòa bình", NULL, "Một.", 4},
        {"d-7", "Hoà bình", NULL, "Một.", 4}, /* the old tone placement */
        {"d-8", "Hòa bình", "Hòa bình", "Một.", 5},
        /* a recurring title without a lead: the body tells them apart */
        {"d-9", "Giá vàng hôm nay", "", "Giá vàng SJC tăng 200.000 đồng.", 6},
        {"d-10", "Giá vàng hôm nay", "", "Giá vàng nhẫn giảm mạnh.", 7},
        {"d-11", "Giá vàng hôm nay", NULL, "Giá vàng SJC tăng 200.000 đồng.",
         6},
        /* a tone mark makes another title */
        {"d-12", "Đề xuất bán cổ phần Vietcombank",
         "Bộ Tài chính đề xuất phương án.", "Một.", 8},
        {"d-13", "Đề xuất bàn cổ phần Vietcombank",
         "Bộ Tài chính đề xuất phương án.", "Một.", 9},
        /* only the start of the body counts: a copy with a line added at
         * its end is the same story */
        {"d-14", "Lịch cắt điện", "",
         "Công ty điện lực thông báo lịch tạm ngừng cung cấp điện tại các "
         "phường trong thành phố để bảo dưỡng lưới điện và thay thế thiết bị "
         "trên các tuyến đường dây trung thế, kính mong khách hàng thông cảm "
         "và sắp xếp công việc.",
         10},
        {"d-15", "Lịch cắt điện", "",
         "Công ty điện lực thông báo lịch tạm ngừng cung cấp điện tại các "
         "phường trong thành phố để bảo dưỡng lưới điện và thay thế thiết bị "
         "trên các tuyến đường dây trung thế, kính mong khách hàng thông cảm "
         "và sắp xếp công việc. Theo báo Điện lực.",
         10},
        /* a short first paragraph (a dateline) is not all the start */
        {"d-16", "Tin nhanh", "",
         "(Dân trí) -\nMưa lớn gây ngập nhiều tuyến phố ở nội thành.", 11},
        {"d-17", "Tin nhanh", "",
         "(Dân trí) -\nGiá xăng giảm lần thứ ba liên tiếp từ chiều nay.", 12},
        {"d-18", "Tin nhanh", "",
         "(Dân trí) -\nMưa lớn gây ngập nhiều tuyến phố ở nội thành.\nẢnh: "
         "Hà Nam.",
         11},
    };
    enum { N = sizeof cases / sizeof cases[0] };
    char *key[N] = {0};
    size_t klen[N] = {0};
    article a[N];
    xap_db *r;
    memset(a, 0, sizeof a);
    for (size_t i = 0; i < N; i++) {
        a[i].id = (char *)cases[i].id;
        a[i].title = (char *)cases[i].title;
        a[i].sapo = (char *)cases[i].sapo;
        for (const char *p = cases[i].body, *q; *p; p = *q ? q + 1 : q) {
            q = strchr(p, '\n');
            q = q ? q : p + strlen(p);
            strlist_push(&a[i].body, p, (size_t)(q - p));
        }
    }
    r = db_of("dupkey", a, N);
    for (size_t i = 0; r && i < N; i++) {
        value_of(r, cases[i].id, SLOT_DUPKEY, &key[i], &klen[i]);
        T_CHECK(klen[i] > 0);
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++) {
            int same = key[i] && key[j] && klen[i] == klen[j] &&
                       !memcmp(key[i], key[j], klen[i]);
            if (same != (cases[i].group == cases[j].group))
                printf("# %s and %s: %s keys\n", cases[j].id, cases[i].id,
                       same ? "the same" : "different");
            T_EQ_INT(same, cases[i].group == cases[j].group);
        }
    for (size_t i = 0; i < N; i++) {
        free(key[i]);
        strlist_free(&a[i].body);
    }
    xap_db_close(r);
}

/* The two dates of a document: SLOT_PUBLISHED on the article's own clock
 * (date ranges, as the day terms), SLOT_PUBLISHED_UTC the moment (date
 * order): 23:30 at +07:00 is before 17:10Z of the same date. */
static void test_date_slots(void)
{
    static const struct {
        const char *id, *published, *local, *utc;
    } cases[] = {
        {"tz-a", "2021-12-31T23:30:00+07:00", "20211231233000",
         "20211231163000"},
        {"tz-b", "2021-12-31T17:10:00Z", "20211231171000", "20211231171000"},
        {"tz-c", "2022-01-01T00:15:00+07:00", "20220101001500",
         "20211231171500"},
        {"tz-d", "not a date", NULL, NULL},
    };
    enum { N = sizeof cases / sizeof cases[0] };
    article a[N];
    xap_db *r;
    memset(a, 0, sizeof a);
    for (size_t i = 0; i < N; i++) {
        a[i].id = (char *)cases[i].id;
        a[i].title = (char *)"Cháy chợ";
        a[i].published = (char *)cases[i].published;
    }
    r = db_of("dates", a, N);
    for (size_t i = 0; r && i < N; i++) {
        static const unsigned slot[2] = {SLOT_PUBLISHED, SLOT_PUBLISHED_UTC};
        const char *want[2] = {cases[i].local, cases[i].utc};
        for (int k = 0; k < 2; k++) {
            char *v = NULL;
            size_t len = 0;
            value_of(r, cases[i].id, slot[k], &v, &len);
            if (!want[k])
                T_EQ_INT(len, 0);
            else
                T_CHECK(len == 14 && !memcmp(v, want[k], 14));
            if (want[k] && (len != 14 || memcmp(v, want[k], 14)))
                printf("# %s slot %u: \"%.*s\", expected %s\n", cases[i].id,
                       slot[k], (int)len, v ? v : "", want[k]);
            free(v);
        }
    }
    xap_db_close(r);
}

/* ---- a db that cannot be written ------------------------------------ */

#define OTHER_ID 65534 /* nobody: root reads and writes everything */

static int chown_other(const char *p, const struct stat *st, int flag,
                       struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return lchown(p, OTHER_ID, OTHER_ID);
}

/* Run fn(arg, msg) in a child process: as uid and gid OTHER_ID, owner of
 * the trees own[0..n), when root (permissions do not bind root); as this
 * user otherwise.  fn's status comes back, and the message it leaves in
 * msg (512 bytes) in out. */
static int as_other_user(int (*fn)(void *, char *), void *arg,
                         const char *const *own, size_t n, char out[512])
{
    int fds[2], status = -1;
    out[0] = '\0';
    if (geteuid() == 0) {
        chmod(top, 0755); /* mkdtemp's 0700 would keep the user out */
        for (size_t i = 0; i < n; i++)
            T_EQ_INT(nftw(own[i], chown_other, 16, FTW_PHYS), 0);
    }
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        char msg[512] = "";
        close(fds[0]);
        if (geteuid() == 0 &&
            (setgroups(0, NULL) || setgid(OTHER_ID) || setuid(OTHER_ID)))
            _exit(99);
        int rc = fn(arg, msg);
        if (write(fds[1], msg, sizeof msg) != (ssize_t)sizeof msg)
            _exit(98);
        _exit(rc);
    }
    close(fds[1]);
    if (pid > 0) {
        if (read(fds[0], out, 512) != 512)
            out[0] = '\0';
        out[511] = '\0';
        waitpid(pid, &status, 0);
    }
    close(fds[0]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The committed hook: after the run's first commit, the db's directory is
 * made read-only (an operator's chmod, a backup's snapshot). */
static void make_read_only(void *arg)
{
    const char *db = arg;
    chmod(db, 0555);
}

static int run_index(void *arg, char *msg)
{
    const idx_opts *o = arg;
    idx_stats st;
    tt_err e = {0};
    int rc = idx_run(o, &st, &e);
    snprintf(msg, 512, "%s", e.msg);
    return rc;
}

/* Xapian's errors found in db (xap_db_check), or -1 when it cannot tell. */
static long db_errors(const char *db)
{
    size_t n = 0;
    return xap_db_check(db, &n, NULL) == TT_OK ? (long)n : -1;
}

/* The db's directory made read-only during an incremental run, between
 * two commits: the run stops before the next commit, saying permission
 * denied on it and for whom (exit 5), the db keeps its last commit and is
 * sound, and the next run, allowed to write, indexes the rest.  (Xapian
 * 1.4 may damage a db whose commit fails part way after earlier commits
 * of the same writer: the commit is not tried.) */
static void test_read_only_mid_run(void)
{
    char cdir[300], db[300], msg[512], want[400];
    corpus *c = NULL;
    idx_opts o = {0};
    idx_stats st;
    tt_err e;
    if (!(c = new_corpus("ro", cdir, db)))
        return;
    put(c, "r-1", "Bài một");
    put(c, "r-2", "Bài hai");
    corpus_close(c, NULL);
    o.corpus = cdir;
    o.db = db;
    o.nosync = 1;
    T_EQ_INT(idx_run(&o, &st, &e), TT_OK);
    T_EQ_INT(corpus_open(cdir, CORPUS_WRITE, NULL, &c, &e), TT_OK);
    if (!c)
        return;
    for (int i = 3; i <= 8; i++) {
        char id[16];
        snprintf(id, sizeof id, "r-%d", i);
        put(c, id, "Bài sau");
    }
    corpus_close(c, NULL);

    o.commit_every = 2;
    o.committed = make_read_only;
    o.committed_arg = db;
    char lock[320];
    snprintf(lock, sizeof lock, "%s.lock", db);
    const char *own[] = {cdir, db, lock};
    int rc = as_other_user(run_index, &o, own, 3, msg);
    T_EQ_INT(rc, TT_EIO);
    snprintf(want, sizeof want, "permission denied on %s for uid %u", db,
             geteuid() == 0 ? OTHER_ID : (unsigned)geteuid());
    T_CHECK(strstr(msg, want) != NULL);
    if (!strstr(msg, want))
        fprintf(stderr, "  got: %s\n", msg);
    T_CHECK(strstr(msg, "--full") == NULL); /* nothing to rebuild */
    chmod(db, 0755);
    T_EQ_INT(db_errors(db), 0);
    T_EQ_INT(has_id(db, "r-4"), 1); /* the first commit */
    T_EQ_INT(has_id(db, "r-5"), 0);
    o.committed = NULL;
    T_EQ_INT(idx_run(&o, &st, &e), TT_OK);
    T_EQ_INT(st.added, 4);
    T_EQ_INT(has_id(db, "r-8"), 1);
    T_EQ_INT(db_errors(db), 0);
}

static int commit_read_only(void *arg, char *msg)
{
    const char *db = arg;
    xap_wdb *w = NULL;
    xap_doc *d = xap_doc_new();
    tt_err e = {0};
    int rc = xap_wdb_open(db, XAP_CREATE | XAP_NOSYNC, &w, &e);
    xap_doc_add_boolean_term(d, "Qx-1", 4);
    if (rc == TT_OK)
        rc = xap_wdb_replace(w, "Qx-1", 4, d, NULL, &e);
    if (rc == TT_OK)
        rc = xap_wdb_commit(w, &e);
    if (rc == TT_OK)
        rc = xap_wdb_writable(w, &e);
    if (rc == TT_OK)
        rc = xap_wdb_replace(w, "Qx-1", 4, d, NULL, &e);
    if (rc == TT_OK && chmod(db, 0555) == 0)
        rc = xap_wdb_commit(w, &e) == TT_OK ? 100 : e.code;
    snprintf(msg, 512, "%s", e.msg);
    xap_wdb_abandon(w);
    xap_doc_free(d);
    return rc;
}

/* A commit the system refuses for want of permission (Xapian's
 * DatabaseError "Modifications failed (... (Permission denied))", which
 * carries no errno) is a permission error, TT_EIO, saying so and for whom;
 * xap_wdb_writable says so before it is tried. */
static void test_commit_refused(void)
{
    char db[300], msg[512], want[400];
    snprintf(db, sizeof db, "%s/refdb", top);
    T_EQ_INT(mkdir(db, 0755), 0);
    const char *own[] = {db};
    T_EQ_INT(as_other_user(commit_read_only, db, own, 1, msg), TT_EIO);
    snprintf(want, sizeof want, "permission denied for uid %u",
             geteuid() == 0 ? OTHER_ID : (unsigned)geteuid());
    T_CHECK(strstr(msg, want) != NULL);
    if (!strstr(msg, want))
        fprintf(stderr, "  got: %s\n", msg);
    chmod(db, 0755);
}

int main(void)
{
    if (!mkdtemp(tmp_path(top, sizeof top, "timtin-test-indexer.XXXXXX"))) {
        perror("mkdtemp");
        return 1;
    }
    T_RUN(test_id_term);
    T_RUN(test_bulk_snapshot);
    T_RUN(test_progress_total);
    T_RUN(test_year_moves);
    T_RUN(test_text_cap);
    T_RUN(test_place);
    T_RUN(test_abbr_terms);
    T_RUN(test_dup_key);
    T_RUN(test_date_slots);
    T_RUN(test_read_only_mid_run);
    T_RUN(test_commit_refused);
    tt_rmtree(top, NULL);
    return t_summary();
}
