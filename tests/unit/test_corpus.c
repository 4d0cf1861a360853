/* test_corpus.c — corpus/corpus.h: put, get, dedup, delete, rotation,
 * reopening, the id index, crash recovery, damaged records, the lock. */
#include <dirent.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus.h"
#include "sha1.h"
#include "t.h"
#include "warc.h"
#include "tmp.h"

static char top[TMP_PATH_MAX];
static sbuf warnings; /* what the warning callback said */

static void on_warn(void *arg, const char *msg)
{
    (void)arg;
    sbuf_adds(&warnings, msg);
    sbuf_addc(&warnings, '\n');
}

static const char *sub(const char *name)
{
    static char buf[4][TMP_PATH_MAX + 64];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", top, name);
    return buf[k];
}

static const char *warc_path(const char *dir, int serial)
{
    static char buf[4][300];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/timtin-%06d.warc.gz", dir, serial);
    return buf[k];
}

static uint64_t fsize(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static corpus *open_w(const char *dir, uint64_t max)
{
    corpus_opts o = {0};
    corpus *c = NULL;
    tt_err e;
    o.max_file_size = max;
    o.warn = on_warn;
    if (corpus_open(dir, CORPUS_WRITE | CORPUS_CREATE, &o, &c, &e))
        fprintf(stderr, "  open %s: %s\n", dir, e.msg);
    return c;
}

static corpus *open_r(const char *dir)
{
    corpus_opts o = {0};
    corpus *c = NULL;
    tt_err e;
    o.warn = on_warn;
    if (corpus_open(dir, CORPUS_READ, &o, &c, &e))
        fprintf(stderr, "  open %s: %s\n", dir, e.msg);
    return c;
}

static void make_article(article *a, int i, const char *variant)
{
    char buf[128];
    memset(a, 0, sizeof *a);
    snprintf(buf, sizeof buf, "art-%d", i);
    a->id = xstrdup(buf);
    snprintf(buf, sizeof buf, "Tiêu đề số %d %s", i, variant);
    a->title = xstrdup(buf);
    if (i % 3)
        a->url = xstrdup("http://example.vn/tin tức/1.htm");
    strlist_push(&a->body, "Đoạn một.", strlen("Đoạn một."));
    strlist_push(&a->body, "Đoạn hai.", strlen("Đoạn hai."));
    a->published = xstrdup("2025-01-02T03:04:05+07:00");
}

static int put(corpus *c, int i, const char *variant)
{
    article a;
    tt_err e;
    int stored = -1;
    make_article(&a, i, variant);
    if (corpus_put_article(c, &a, &stored, &e))
        fprintf(stderr, "  put %d: %s\n", i, e.msg);
    article_free(&a);
    return stored;
}

/* 1 if article i is there with title variant v. */
static int has(corpus *c, int i, const char *variant)
{
    article a, want;
    tt_err e;
    int ok;
    char id[32];
    snprintf(id, sizeof id, "art-%d", i);
    if (corpus_get(c, id, &a, &e))
        return 0;
    make_article(&want, i, variant);
    ok = !strcmp(a.title, want.title) && a.body.n == 2;
    article_free(&a);
    article_free(&want);
    return ok;
}

static void test_put_get_dedup_delete(void)
{
    const char *dir = sub("basic");
    corpus *c = open_w(dir, 0);
    article a;
    tt_err e;
    int stored;
    corpus_stats st;
    sbuf json = {0};
    T_CHECK(c != NULL);
    if (!c)
        return;
    T_EQ_INT(put(c, 1, "a"), 1);
    T_EQ_INT(put(c, 2, "a"), 1);
    T_EQ_INT(put(c, 3, "a"), 1);
    T_EQ_INT(put(c, 2, "a"), 0); /* same content: nothing written */
    T_EQ_INT(put(c, 2, "b"), 1); /* new version */
    T_EQ_INT(put(c, 2, "b"), 0);
    T_CHECK(has(c, 2, "b"));
    T_CHECK(has(c, 1, "a"));
    T_EQ_INT(corpus_get_json(c, "art-1", &json, &e), TT_OK);
    T_CHECK(!strncmp(json.s, "{\"id\":\"art-1\",\"title\":", 22));
    T_EQ_INT(corpus_get(c, "nope", &a, &e), TT_ENOTFOUND);
    /* delete */
    T_EQ_INT(corpus_delete_article(c, "art-3", &stored, &e), TT_OK);
    T_EQ_INT(stored, 1);
    T_EQ_INT(corpus_get(c, "art-3", &a, &e), TT_ENOTFOUND);
    T_EQ_INT(corpus_delete_article(c, "art-3", &stored, &e), TT_OK);
    T_EQ_INT(stored, 0);
    T_EQ_INT(corpus_delete_article(c, "nope", &stored, &e), TT_ENOTFOUND);
    T_EQ_INT(put(c, 3, "a"), 1); /* back after a deletion */
    T_CHECK(has(c, 3, "a"));
    /* an article marked deleted deletes */
    make_article(&a, 1, "a");
    a.deleted = 1;
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_OK);
    T_EQ_INT(stored, 1);
    article_free(&a);
    T_CHECK(!has(c, 1, "a"));
    /* bad input is refused and not sticky */
    memset(&a, 0, sizeof a);
    a.title = xstrdup("t");
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_EINVAL);
    a.id = xstrdup("x");
    free(a.title);
    a.title = NULL;
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_EINVAL);
    article_free(&a);
    T_EQ_INT(put(c, 4, "a"), 1);
    T_EQ_INT(corpus_stats_get(c, &st, &e), TT_OK);
    T_EQ_INT(st.files, 1);
    T_EQ_INT(st.articles, 3);       /* 2, 3, 4 */
    T_EQ_INT(st.articles_stored, 6); /* 1a 2a 3a 2b 3a 4a */
    T_EQ_INT(st.deletions, 2);
    T_EQ_INT(st.records, 9);         /* + warcinfo */
    T_EQ_INT(st.responses, 0);
    T_CHECK(st.bytes > 0 && st.payload_bytes > 0);
    T_EQ_INT(corpus_close(c, &e), TT_OK);
    T_EQ_INT(corpus_close(NULL, &e), TT_OK);

    /* reopen (reading, then writing): everything is still there */
    c = open_r(dir);
    T_CHECK(has(c, 2, "b") && has(c, 3, "a") && has(c, 4, "a"));
    T_CHECK(!has(c, 1, "a"));
    {
        corpus_stats st2;
        T_EQ_INT(corpus_stats_get(c, &st2, &e), TT_OK);
        T_EQ_INT(st2.records, st.records);
        T_EQ_INT(st2.articles, st.articles);
        T_EQ_INT(st2.payload_bytes, st.payload_bytes);
    }
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_EINVAL); /* read-only */
    corpus_close(c, NULL);
    c = open_w(dir, 0);
    T_EQ_INT(put(c, 2, "b"), 0); /* dedup survives reopening */
    corpus_close(c, NULL);
    sbuf_free(&json);
    T_EQ_INT(warnings.len, 0);
}

static void test_responses_and_iter(void)
{
    const char *dir = sub("iter");
    corpus *c = open_w(dir, 0);
    corpus_iter *it;
    corpus_rec rec;
    tt_err e;
    char id[48];
    static const char http[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                               "\r\n<p>xin chào</p>";
    article a;
    int n = 0, stored;
    corpus_pos mid = {0, 0}, end, art_pos = {0, 0};
    char buf[32];
    if (!c)
        return;
    T_EQ_INT(corpus_put_response(c, "http://example.vn/a b.htm", http,
                                 sizeof http - 1, NULL, id, &e),
             TT_OK);
    T_CHECK(!strncmp(id, "<urn:uuid:", 10) && strlen(id) == 47);
    make_article(&a, 7, "x");
    a.response = xstrdup(id);
    free(a.id);
    a.id = xstrdup("id with spaces %41\n");
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_OK);
    article_free(&a);
    T_EQ_INT(put(c, 8, "x"), 1);
    end = corpus_end(c);
    T_EQ_INT(corpus_iter_open(c, (corpus_pos){0, 0}, &it, &e), TT_OK);
    while (corpus_iter_next(it, &rec, &e) == 1) {
        T_CHECK(corpus_pos_cmp(rec.pos, rec.next) < 0);
        if (n == 0)
            T_EQ_INT(rec.type, CORPUS_REC_OTHER); /* warcinfo */
        if (n == 1) {
            T_EQ_INT(rec.type, CORPUS_REC_RESPONSE);
            T_EQ_STR(rec.target_uri, "http://example.vn/a%20b.htm");
            T_EQ_STR(rec.record_id, id);
            T_EQ_INT(rec.payload_len, sizeof http - 1);
            mid = rec.next;
        }
        if (n == 2) {
            art_pos = rec.pos;
            T_EQ_INT(rec.type, CORPUS_REC_ARTICLE);
            T_EQ_STR(rec.article_id, "id with spaces %41\n");
            T_EQ_INT(rec.deleted, 0);
            T_CHECK(strstr(rec.payload, "\"response\":\"<urn:uuid:") != NULL);
        }
        if (n == 3) {
            T_EQ_STR(rec.article_id, "art-8");
            T_EQ_INT(corpus_pos_cmp(rec.next, end), 0);
        }
        n++;
    }
    T_EQ_INT(n, 4);
    T_EQ_INT(corpus_iter_skipped(it), 0);
    corpus_iter_close(it);
    { /* the article names the response record this corpus holds */
        warc_reader *r = warc_reader_new();
        warc_record wr;
        FILE *f = fopen(warc_path(dir, 1), "rb");
        T_CHECK(f != NULL);
        if (f) {
            T_EQ_INT(warc_read(r, f, art_pos.offset, &wr, &e), TT_OK);
            T_EQ_STR(warc_get(&wr, "WARC-Refers-To"), id);
            fclose(f);
        }
        warc_reader_free(r);
    }
    /* from a checkpoint: the rest */
    corpus_pos_format(mid, buf);
    T_EQ_INT(corpus_pos_parse(buf, &end), 0);
    T_EQ_INT(corpus_pos_cmp(mid, end), 0);
    T_EQ_INT(corpus_iter_open(c, end, &it, &e), TT_OK);
    n = 0;
    while (corpus_iter_next(it, &rec, &e) == 1)
        n++;
    T_EQ_INT(n, 2);
    corpus_iter_close(it);
    corpus_iter_close(NULL);
    T_EQ_INT(corpus_pos_parse("1:", &end), -1);
    T_EQ_INT(corpus_pos_parse(":5", &end), -1);
    T_EQ_INT(corpus_pos_parse("x:5", &end), -1);
    T_EQ_INT(corpus_pos_parse("4294967296:5", &end), -1);
    T_CHECK(has(c, 8, "x"));
    {
        article g;
        T_EQ_INT(corpus_get(c, "id with spaces %41\n", &g, &e), TT_OK);
        T_EQ_STR(g.response, id);
        article_free(&g);
    }
    {
        uint64_t nrec, nbad;
        T_EQ_INT(corpus_verify(c, &nrec, &nbad, &e), TT_OK);
        T_EQ_INT(nrec, 4);
        T_EQ_INT(nbad, 0);
    }
    corpus_close(c, NULL);
}

/* The WARC-Refers-To of the latest version of id ("" when none). */
static void refers_to_of(const char *dir, corpus *c, const char *id,
                         char out[64])
{
    warc_reader *r = warc_reader_new();
    warc_record wr;
    corpus_pos p;
    int deleted;
    tt_err e;
    FILE *f;
    out[0] = '\0';
    if (corpus_flush(c, &e) == TT_OK &&
        corpus_latest(c, id, &p, &deleted) == TT_OK &&
        (f = fopen(warc_path(dir, (int)p.file), "rb")) != NULL) {
        if (warc_read(r, f, p.offset, &wr, &e) == TT_OK &&
            warc_get(&wr, "WARC-Refers-To"))
            snprintf(out, 64, "%s", warc_get(&wr, "WARC-Refers-To"));
        fclose(f);
    }
    warc_reader_free(r);
}

static void test_find_responses(void)
{
    const char *dir = sub("find");
    corpus *c = open_w(dir, 0);
    static const char http[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                               "\r\n<p>trang một</p>";
    char r1[48], r2[48], ref[64];
    const char *ids[6];
    corpus_pos pos[6], apos;
    corpus_find_stats fs;
    corpus_rec rec;
    article a;
    tt_err e;
    int stored, deleted;
    if (!c)
        return;
    T_EQ_INT(corpus_put_response(c, "http://example.vn/1.htm", http,
                                 sizeof http - 1, NULL, r1, &e), TT_OK);
    make_article(&a, 1, "cũ");
    a.response = xstrdup(r1);
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_OK);
    article_free(&a);
    T_EQ_INT(corpus_put_response(c, "http://example.vn/2.htm", "HTTP/1.1 "
                                 "200 OK\r\n\r\nx", 18, NULL, r2, &e), TT_OK);
    T_EQ_INT(put(c, 2, "x"), 1);
    corpus_close(c, NULL);
    /* another handle: neither page is the one it wrote last */
    if (!(c = open_w(dir, 0)))
        return;
    ids[0] = r1;
    ids[1] = r2 + 1; /* "urn:uuid:...>" is not a form of it */
    snprintf(ref, sizeof ref, "%.*s", (int)strlen(r2) - 2, r2 + 1);
    ids[2] = ref; /* "urn:uuid:...", as a "response" field may be */
    ids[3] = NULL;
    ids[4] = "<urn:uuid:00000000-0000-4000-8000-000000000000>";
    ids[5] = r1; /* named twice */
    T_EQ_INT(corpus_find_responses(c, ids, 6, pos, &fs, &e), TT_OK);
    /* r1, named by art-1's latest version, where the id index says; r2,
     * whose article's latest version names none, by a scan */
    T_EQ_INT(fs.indexed, 2);
    T_EQ_INT(fs.scanned, 1);
    T_EQ_INT(fs.scan, 1);
    T_CHECK(pos[0].file == 1 && pos[0].offset > 0);
    T_EQ_INT(pos[1].file, 0);
    T_CHECK(pos[2].file == 1 && corpus_pos_cmp(pos[0], pos[2]) < 0);
    T_EQ_INT(pos[3].file, 0);
    T_EQ_INT(pos[4].file, 0);
    T_EQ_INT(corpus_pos_cmp(pos[5], pos[0]), 0);
    T_EQ_INT(corpus_get_response(c, pos[0], &rec, &e), TT_OK);
    T_EQ_INT(rec.type, CORPUS_REC_RESPONSE);
    T_EQ_STR(rec.record_id, r1);
    T_EQ_STR(rec.target_uri, "http://example.vn/1.htm");
    T_CHECK(rec.date != NULL && rec.file != NULL &&
            strstr(rec.file, "timtin-000001"));
    T_CHECK(rec.payload_len == sizeof http - 1 &&
            !memcmp(rec.payload, http, rec.payload_len));
    /* a new version from the page read refers to it */
    make_article(&a, 1, "mới");
    a.response = xstrdup(r1);
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_OK);
    T_EQ_INT(stored, 1);
    article_free(&a);
    refers_to_of(dir, c, "art-1", ref);
    T_EQ_STR(ref, r1);
    /* one naming another page than the one read: in its JSON only */
    make_article(&a, 2, "mới");
    a.response = xstrdup(r2);
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_OK);
    article_free(&a);
    refers_to_of(dir, c, "art-2", ref);
    T_EQ_STR(ref, "");
    /* where no response starts */
    T_EQ_INT(corpus_latest(c, "art-1", &apos, &deleted), TT_OK);
    T_EQ_INT(corpus_get_response(c, apos, &rec, &e), TT_ECORRUPT);
    T_CHECK(strstr(e.msg, "timtin-000001.warc.gz: offset ") &&
            strstr(e.msg, "not a response record"));
    T_EQ_INT(corpus_get_response(c, (corpus_pos){1, 3}, &rec, &e),
             TT_ECORRUPT);
    T_EQ_INT(corpus_get_response(c, (corpus_pos){9, 0}, &rec, &e),
             TT_EINVAL);
    T_EQ_INT(corpus_find_responses(c, ids, 0, pos, NULL, &e), TT_OK);
    corpus_close(c, NULL);
}

static int collect(void *arg, const char *id)
{
    sbuf *b = arg;
    sbuf_adds(b, id);
    sbuf_addc(b, ',');
    return 0;
}

/* Article i's page, then a version of art-i (title variant v) naming
 * it: a response fetched at the article's url (or a url of none), with
 * ETag "e-i" and a body hard to compress.  Its record id into rid. */
static void put_page(corpus *c, int i, const char *v, char rid[48])
{
    sbuf b = {0};
    article a;
    tt_err e;
    int stored;
    make_article(&a, i, v);
    sbuf_addf(&b, "HTTP/1.1 200 OK\r\nETag: \"e-%d\"\r\n\r\n", i);
    for (int k = 0; k < 60; k++)
        sbuf_addf(&b, "%08x", (unsigned)(k * 2654435761u ^ (unsigned)i));
    T_EQ_INT(corpus_put_response(c, a.url ? a.url : "http://example.vn/r.htm",
                                 b.s, b.len, NULL, rid, &e), TT_OK);
    a.response = xstrdup(rid);
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_OK);
    T_EQ_INT(stored, 1);
    article_free(&a);
    sbuf_free(&b);
}

/* corpus_get_page for art-i: TT_OK only with article i's page (ETag
 * "e-i"); else its status (0 never: a page of another article is -1). */
static int page_of(corpus *c, int i)
{
    sbuf b = {0}, want = {0};
    char aid[32];
    tt_err e;
    int rc;
    snprintf(aid, sizeof aid, "art-%d", i);
    sbuf_addf(&want, "ETag: \"e-%d\"\r\n", i);
    rc = corpus_get_page(c, aid, &b, &e);
    if (rc == TT_OK && !(b.len > 0 && strstr(b.s, want.s)))
        rc = -1;
    if (rc != TT_OK && b.len)
        rc = -1; /* nothing appended on failure */
    sbuf_free(&b);
    sbuf_free(&want);
    return rc;
}

/* corpus_get_page: the response record an article's latest version was
 * extracted from, right before it, in the same file or (rotated between
 * them) at the end of the one before. */
static void test_get_page(void)
{
    const char *dir = sub("resp");
    corpus *c = open_w(dir, 4000);
    sbuf b = {0};
    char id[48], aid[32];
    tt_err e;
    int after_info = 0;
    if (!c)
        return;
    for (int i = 0; i < 40; i++) {
        corpus_pos pos;
        int del;
        put_page(c, i, "r", id);
        snprintf(aid, sizeof aid, "art-%d", i);
        T_EQ_INT(corpus_latest(c, aid, &pos, &del), TT_OK);
        after_info += pos.file > 1 && pos.offset < 1000;
    }
    T_CHECK(after_info > 0); /* some were rotated apart from their page */
    put(c, 100, "no response"); /* imported: none */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 40; i++)
            T_EQ_INT(page_of(c, i), TT_OK);
        T_EQ_INT(page_of(c, 100), TT_ENOTFOUND);
        T_EQ_INT(corpus_get_page(c, "nosuch", &b, &e), TT_ENOTFOUND);
        T_EQ_INT(b.len, 0);
        T_EQ_INT(corpus_close(c, &e), TT_OK);
        if (round == 1) { /* and by a reader of an index rebuilt */
            snprintf(id, sizeof id, "%s/ids.idx", dir);
            unlink(id);
        }
        c = round < 2 ? open_r(dir) : NULL; /* and by a reader */
        if (!c)
            break;
    }
    sbuf_free(&b);
}

/* Re-extract art-i from its page, response rid, as --reextract does: the
 * page found (where the id index keeps it), read back, and a new version
 * naming it appended. */
static void reextract(corpus *c, int i, const char *rid)
{
    const char *ids[1] = {rid};
    corpus_pos pos;
    corpus_find_stats fs;
    corpus_rec rec;
    article a;
    tt_err e;
    int stored;
    T_EQ_INT(corpus_find_responses(c, ids, 1, &pos, &fs, &e), TT_OK);
    T_CHECK(fs.indexed == 1 && !fs.scan);
    T_EQ_INT(corpus_get_response(c, pos, &rec, &e), TT_OK);
    T_EQ_STR(rec.record_id, rid);
    make_article(&a, i, "lại");
    a.response = xstrdup(rid);
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_OK);
    T_EQ_INT(stored, 1);
    article_free(&a);
}

/* The id index keeps where the page of each article's latest version
 * is, learnt as the writer appends and as a scan of the files meets the
 * records: a version re-extracted from its page far back
 * (corpus_get_response, then the version) has its page found by
 * corpus_get_page, and corpus_find_responses finds the pages without a
 * scan; an index rebuilt from the files is the one the writer kept,
 * byte for byte. */
static void test_page_index(void)
{
    const char *dir = sub("pidx");
    corpus *c = open_w(dir, 3000);
    char rid[12][48], idx[300], *kept = NULL, *again = NULL;
    size_t klen = 0, alen = 0;
    const char *ids[2];
    corpus_pos pos[2];
    corpus_find_stats fs;
    tt_err e;
    if (!c)
        return;
    for (int i = 0; i < 12; i++)
        put_page(c, i, "r", rid[i]);
    T_EQ_INT(corpus_close(c, &e), TT_OK);
    /* another handle re-extracts art-3 and art-7 (neither page is one it
     * wrote or read) */
    if (!(c = open_w(dir, 3000)))
        return;
    reextract(c, 3, rid[3]);
    reextract(c, 7, rid[7]);
    ids[0] = rid[3];
    ids[1] = rid[7];
    T_EQ_INT(put(c, 20, "không trang"), 1);
    for (int i = 0; i < 12; i++)
        T_EQ_INT(page_of(c, i), TT_OK);
    T_EQ_INT(corpus_close(c, &e), TT_OK);
    snprintf(idx, sizeof idx, "%s/ids.idx", dir);
    T_EQ_INT(tt_read_file(idx, 1u << 20, &kept, &klen, NULL), TT_OK);
    /* a reader of the writer's index, one that rebuilds it (and saves
     * it), a writer of the rebuilt one */
    for (int round = 0; round < 3; round++) {
        if (round == 1)
            unlink(idx);
        c = round == 2 ? open_w(dir, 3000) : open_r(dir);
        if (!c)
            break;
        for (int i = 0; i < 12; i++)
            T_EQ_INT(page_of(c, i), TT_OK);
        T_EQ_INT(corpus_find_responses(c, ids, 2, pos, &fs, &e), TT_OK);
        T_CHECK(fs.indexed == 2 && !fs.scan);
        T_EQ_INT(corpus_close(c, &e), TT_OK);
    }
    T_EQ_INT(tt_read_file(idx, 1u << 20, &again, &alen, NULL), TT_OK);
    T_CHECK(alen == klen && kept && again && !memcmp(kept, again, klen));
    T_EQ_INT(warnings.len, 0);
    free(kept);
    free(again);
}

/* Where ids.idx keeps the page of article id (past its entry's id, file,
 * offset, deleted and digest: u32 file, u64 offset), or NULL. */
static char *page_field(char *data, size_t len, const char *id)
{
    char key[64];
    size_t n = strlen(id);
    char *p;
    key[0] = (char)n, key[1] = key[2] = key[3] = 0;
    memcpy(key + 4, id, n);
    p = memmem(data, len, key, 4 + n);
    return p ? p + 4 + n + 4 + 8 + 1 + 20 : NULL;
}

/* An index whose checksum and tails are good but whose pages are where
 * other records are (forged, or written by a bug): a checked miss, never
 * another article's page.  The look-back still finds a page right before
 * its version; the scan finds the rest; the index is said wrong and
 * removed, so that the next open rebuilds it. */
static void test_page_misplaced(void)
{
    const char *dir = sub("pmis");
    corpus *c = open_w(dir, 0);
    char rid[4][48], idx[300], *data = NULL, *p1, *p2, tmp[12];
    size_t len = 0;
    const char *ids[2];
    corpus_pos pos[2];
    corpus_find_stats fs;
    corpus_rec rec;
    tt_err e;
    FILE *f;
    if (!c)
        return;
    for (int i = 0; i < 4; i++)
        put_page(c, i, "r", rid[i]);
    reextract(c, 2, rid[2]); /* its page now far back */
    T_EQ_INT(corpus_close(c, &e), TT_OK);
    /* art-2's and art-3's pages swapped (each still before its version:
     * an index that passes the checks at open) */
    snprintf(idx, sizeof idx, "%s/ids.idx", dir);
    T_EQ_INT(tt_read_file(idx, 1u << 20, &data, &len, NULL), TT_OK);
    p1 = page_field(data, len, "art-3");
    p2 = page_field(data, len, "art-2");
    T_CHECK(p1 && p2 && memcmp(p1, p2, 12) != 0);
    if (!p1 || !p2)
        return;
    memcpy(tmp, p1, 12);
    memcpy(p1, p2, 12);
    memcpy(p2, tmp, 12);
    sha1(data, len - SHA1_LEN, (unsigned char *)data + len - SHA1_LEN);
    f = fopen(idx, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    free(data);
    sbuf_reset(&warnings);
    c = open_r(dir);
    T_CHECK(c && warnings.len == 0); /* trusted at open */
    if (!c)
        return;
    T_EQ_INT(page_of(c, 3), TT_OK);         /* right before its version */
    T_EQ_INT(page_of(c, 2), TT_ENOTFOUND);  /* far back: not art-3's */
    T_CHECK(warnings.s && strstr(warnings.s, "not where it says"));
    T_CHECK(access(idx, F_OK) != 0); /* removed */
    ids[0] = rid[2];
    ids[1] = rid[3];
    T_EQ_INT(corpus_find_responses(c, ids, 2, pos, &fs, &e), TT_OK);
    T_CHECK(fs.indexed == 0 && fs.scanned == 2 && fs.scan);
    for (int k = 0; k < 2; k++) {
        T_EQ_INT(corpus_get_response(c, pos[k], &rec, &e), TT_OK);
        T_EQ_STR(rec.record_id, rid[k + 2]);
    }
    corpus_close(c, NULL);
    sbuf_reset(&warnings);
    c = open_r(dir); /* rebuilt */
    T_CHECK(c != NULL);
    for (int i = 0; i < 4 && c; i++)
        T_EQ_INT(page_of(c, i), TT_OK);
    corpus_close(c, NULL);
    sbuf_reset(&warnings);
}

/* A purge overwrites the responses fetched at the purged article's url,
 * another article's page among them (art-1 and art-2 share a url): that
 * article then has no page, through the writer, a reader and an index
 * rebuilt, and the index that kept its place is not taken for a wrong
 * one. */
static void test_page_purged(void)
{
    const char *dir = sub("ppurge");
    corpus *c = open_w(dir, 0);
    char rid[4][48], idx[300];
    const char *purge_ids[1] = {"art-1"}, *ids[1];
    corpus_pos pos[1];
    corpus_purge_stats ps;
    corpus_find_stats fs;
    tt_err e;
    if (!c)
        return;
    for (int i = 1; i <= 3; i++)
        put_page(c, i, "r", rid[i]);
    T_EQ_INT(page_of(c, 2), TT_OK);
    sbuf_reset(&warnings);
    T_EQ_INT(corpus_purge(c, purge_ids, 1, &ps, &e), TT_OK);
    T_EQ_INT(ps.responses, 2);
    free(ps.files_named);
    snprintf(idx, sizeof idx, "%s/ids.idx", dir);
    for (int round = 0; round < 3; round++) {
        T_EQ_INT(page_of(c, 1), TT_ENOTFOUND); /* deleted */
        T_EQ_INT(page_of(c, 2), TT_ENOTFOUND);
        T_EQ_INT(page_of(c, 3), TT_OK);
        ids[0] = rid[2];
        T_EQ_INT(corpus_find_responses(c, ids, 1, pos, &fs, &e), TT_OK);
        T_CHECK(pos[0].file == 0 && fs.indexed == 0 && fs.scan);
        T_CHECK(!warnings.s || !strstr(warnings.s, "not where it says"));
        T_EQ_INT(corpus_close(c, &e), TT_OK);
        T_CHECK(access(idx, F_OK) == 0);
        if (round == 1)
            unlink(idx);
        c = round < 2 ? open_r(dir) : NULL;
        if (!c)
            break;
    }
    sbuf_reset(&warnings);
}

/* One article version read at its place, without opening the corpus (the
 * searcher's whole text): that version, or nothing when the place holds
 * anything else (another article, a deletion marker, a purged record,
 * no file), or an error naming file and offset (inside a record). */
static void test_article_at(void)
{
    const char *dir = sub("place");
    corpus *c = open_w(dir, 0);
    const char *purge_ids[1] = {"art-2"};
    corpus_pos p1, p1old, p2, p3;
    corpus_purge_stats ps;
    article a;
    tt_err e;
    int del;
    if (!c)
        return;
    put(c, 1, "cũ");
    T_EQ_INT(corpus_latest(c, "art-1", &p1old, &del), TT_OK);
    put(c, 1, "mới");
    put(c, 2, "x");
    put(c, 3, "y");
    T_EQ_INT(corpus_latest(c, "art-1", &p1, &del), TT_OK);
    T_EQ_INT(corpus_latest(c, "art-2", &p2, &del), TT_OK);
    T_EQ_INT(corpus_flush(c, &e), TT_OK);
    /* each version where it is, the older one too (append-only) */
    T_EQ_INT(corpus_article_at(dir, p1, "art-1", 0, &a, &e), TT_OK);
    T_CHECK(a.title && strstr(a.title, "mới") && a.body.n == 2);
    article_free(&a);
    T_EQ_INT(corpus_article_at(dir, p1old, "art-1", 0, &a, &e), TT_OK);
    T_CHECK(a.title && strstr(a.title, "cũ"));
    article_free(&a);
    /* more than the size asked for: not parsed */
    T_EQ_INT(corpus_article_at(dir, p1, "art-1", 50, &a, &e), TT_EINVAL);
    T_CHECK(a.title == NULL && strstr(e.msg, "more than the 50") != NULL);
    T_EQ_INT(corpus_article_at(dir, p1, "art-1", 4096, &a, &e), TT_OK);
    article_free(&a);
    /* another article's place */
    T_EQ_INT(corpus_article_at(dir, p2, "art-1", 0, &a, &e), TT_ENOTFOUND);
    T_CHECK(strstr(e.msg, "no version of article art-1") != NULL);
    /* inside a record: no gzip member there */
    p3 = p2;
    p3.offset += 3;
    T_EQ_INT(corpus_article_at(dir, p3, "art-2", 0, &a, &e), TT_ECORRUPT);
    T_CHECK(strstr(e.msg, "timtin-000001.warc.gz: offset ") != NULL);
    /* no such file */
    p3.file = 9;
    T_EQ_INT(corpus_article_at(dir, p3, "art-2", 0, &a, &e), TT_ENOTFOUND);
    /* a deletion marker: no version */
    T_EQ_INT(corpus_delete_article(c, "art-3", &del, &e), TT_OK);
    T_EQ_INT(corpus_latest(c, "art-3", &p3, &del), TT_OK);
    T_EQ_INT(corpus_flush(c, &e), TT_OK);
    T_EQ_INT(corpus_article_at(dir, p3, "art-3", 0, &a, &e), TT_ENOTFOUND);
    /* purged: its text is not read back */
    T_EQ_INT(corpus_purge(c, purge_ids, 1, &ps, &e), TT_OK);
    free(ps.files_named);
    T_EQ_INT(corpus_article_at(dir, p2, "art-2", 0, &a, &e), TT_ENOTFOUND);
    T_CHECK(a.title == NULL);
    T_EQ_INT(corpus_close(c, &e), TT_OK);
    sbuf_reset(&warnings);
}

static void test_rotation_and_rebuild(void)
{
    const char *dir = sub("rot");
    corpus *c = open_w(dir, 3000);
    sbuf ids = {0}, ids2 = {0};
    tt_err e;
    corpus_stats st, st2;
    int i;
    if (!c)
        return;
    for (i = 0; i < 40; i++)
        T_EQ_INT(put(c, i, "r"), 1);
    T_EQ_INT(put(c, 5, "r2"), 1);
    T_EQ_INT(corpus_delete_article(c, "art-6", NULL, &e), TT_OK);
    T_EQ_INT(corpus_flush(c, &e), TT_OK);
    T_EQ_INT(corpus_stats_get(c, &st, &e), TT_OK);
    T_CHECK(st.files > 3);
    for (uint32_t f = 1; f < st.files; f++) /* each past 3000 by < a record */
        T_CHECK(fsize(warc_path(dir, (int)f)) >= 3000 &&
                fsize(warc_path(dir, (int)f)) < 3000 + 2000);
    corpus_each_id(c, collect, &ids);
    T_CHECK(!strncmp(ids.s, "art-0,art-1,art-2,art-3,art-4,art-5,art-7,", 42));
    { /* the deleted ids too, in their place */
        sbuf all = {0};
        corpus_each_known_id(c, collect, &all);
        T_CHECK(!strncmp(all.s, "art-0,art-1,art-2,art-3,art-4,art-5,art-6,"
                                "art-7,", 48));
        T_EQ_INT(all.len, ids.len + strlen("art-6,"));
        sbuf_free(&all);
    }
    T_EQ_INT(corpus_close(c, &e), TT_OK);

    /* the index, rebuilt from nothing, says the same */
    unlink(sub("rot/ids.idx"));
    c = open_r(dir);
    T_EQ_INT(corpus_stats_get(c, &st2, &e), TT_OK);
    T_EQ_INT(st2.records, st.records);
    T_EQ_INT(st2.articles, 39);
    T_EQ_INT(st2.articles_stored, st.articles_stored);
    T_EQ_INT(st2.deletions, 1);
    T_EQ_INT(st2.payload_bytes, st.payload_bytes);
    corpus_each_id(c, collect, &ids2);
    T_EQ_STR(ids2.s, ids.s);
    T_CHECK(has(c, 5, "r2") && !has(c, 6, "r") && has(c, 39, "r"));
    corpus_close(c, NULL);

    /* a damaged index is noticed and rebuilt */
    c = open_w(dir, 3000); /* saves the rebuilt index */
    corpus_close(c, NULL);
    {
        size_t len;
        char *data = NULL;
        FILE *f;
        tt_read_file(sub("rot/ids.idx"), 1u << 30, &data, &len, NULL);
        data[len / 2] ^= 1;
        f = fopen(sub("rot/ids.idx"), "wb");
        fwrite(data, 1, len, f);
        fclose(f);
        free(data);
    }
    sbuf_reset(&warnings);
    c = open_r(dir);
    T_CHECK(warnings.s && strstr(warnings.s, "ids.idx: checksum mismatch; "
                                             "rebuilding") != NULL);
    T_CHECK(has(c, 5, "r2") && has(c, 39, "r"));
    corpus_close(c, NULL);

    /* an index claiming more than the files hold is rebuilt */
    c = open_w(dir, 3000);
    T_EQ_INT(put(c, 100, "late"), 1);
    T_EQ_INT(corpus_stats_get(c, &st, &e), TT_OK);
    corpus_close(c, NULL);
    {
        const char *last = warc_path(dir, (int)st.files);
        T_EQ_INT(truncate(last, (off_t)fsize(last) - 10), 0);
    }
    sbuf_reset(&warnings);
    c = open_r(dir);
    T_CHECK(warnings.s && strstr(warnings.s, "covers more than") != NULL);
    T_CHECK(has(c, 39, "r"));
    corpus_close(c, NULL);
    sbuf_free(&ids);
    sbuf_free(&ids2);
    sbuf_reset(&warnings);
}

/* Offsets of the records in file 1 of dir, by iterating. */
static size_t offsets(const char *dir, uint64_t *off, size_t max)
{
    corpus *c = open_r(dir);
    corpus_iter *it;
    corpus_rec rec;
    size_t n = 0;
    if (!c)
        return 0;
    corpus_iter_open(c, (corpus_pos){0, 0}, &it, NULL);
    while (n < max && corpus_iter_next(it, &rec, NULL) == 1)
        off[n++] = rec.pos.offset;
    corpus_iter_close(it);
    corpus_close(c, NULL);
    return n;
}

static void copy_file(const char *from, const char *to, uint64_t len)
{
    char *data = NULL;
    size_t n = 0;
    FILE *f;
    tt_read_file(from, 1u << 30, &data, &n, NULL);
    if (len > n)
        len = n;
    f = fopen(to, "wb");
    fwrite(data, 1, (size_t)len, f);
    fclose(f);
    free(data);
}

static void test_crash_recovery(void)
{
    const char *dir = sub("crash");
    const char *cut = sub("cut");
    corpus *c = open_w(dir, 0);
    uint64_t off[32], total;
    size_t n;
    tt_err e;
    char cmd[700];
    int i;
    if (!c)
        return;
    for (i = 0; i < 5; i++)
        put(c, i, "c");
    corpus_flush(c, &e); /* ids.idx now covers records 0..5 */
    snprintf(cmd, sizeof cmd, "cp %s/ids.idx %s/idx.early", dir, top);
    T_EQ_INT(system(cmd), 0);
    for (i = 5; i < 10; i++)
        put(c, i, "c");
    corpus_close(c, NULL);
    n = offsets(dir, off, 32);
    T_EQ_INT(n, 11);
    total = fsize(warc_path(dir, 1));
    off[n] = total;
    /* cut the file inside each of the last records, at several points, with
     * the early index (covering 5 articles) or none */
    for (size_t k = 3; k < n; k += 2) {
        uint64_t span = off[k + 1] - off[k];
        uint64_t points[3] = {off[k] + 1, off[k] + span / 2, off[k + 1] - 1};
        for (int p = 0; p < 3; p++)
            for (int with_idx = 0; with_idx < 2; with_idx++) {
                char want[400];
                int complete = (int)k - 1; /* articles before record k */
                tt_rmtree(cut, NULL);
                tt_mkdirs(cut, NULL);
                copy_file(warc_path(dir, 1), warc_path(cut, 1), points[p]);
                if (with_idx && k > 6) {
                    snprintf(cmd, sizeof cmd, "cp %s/idx.early %s/ids.idx", top,
                             cut);
                    T_EQ_INT(system(cmd), 0);
                }
                sbuf_reset(&warnings);
                c = open_w(cut, 0);
                snprintf(want, sizeof want, "%s: dropped truncated record at "
                         "offset %llu (%llu bytes; crash during append?)",
                         warc_path(cut, 1), (unsigned long long)off[k],
                         (unsigned long long)(points[p] - off[k]));
                T_CHECK(warnings.s && strstr(warnings.s, want));
                T_EQ_INT(fsize(warc_path(cut, 1)), off[k]);
                for (i = 0; i < 10; i++)
                    T_EQ_INT(has(c, i, "c"), i < complete);
                /* appending goes on from there; a re-put stores the lost */
                for (i = 0; i < 10; i++)
                    T_EQ_INT(put(c, i, "c"), i >= complete);
                corpus_close(c, NULL);
                c = open_r(cut);
                {
                    uint64_t nrec, nbad;
                    corpus_stats st;
                    T_EQ_INT(corpus_verify(c, &nrec, &nbad, &e), TT_OK);
                    T_EQ_INT(nrec, 11);
                    T_EQ_INT(nbad, 0);
                    corpus_stats_get(c, &st, &e);
                    T_EQ_INT(st.articles, 10);
                    T_EQ_INT(st.articles_stored, 10);
                }
                corpus_close(c, NULL);
            }
    }
    /* a reader leaves a truncated tail alone (a writer may be at work) */
    tt_rmtree(cut, NULL);
    tt_mkdirs(cut, NULL);
    copy_file(warc_path(dir, 1), warc_path(cut, 1), total - 5);
    sbuf_reset(&warnings);
    c = open_r(cut);
    T_EQ_INT(warnings.len, 0);
    T_EQ_INT(fsize(warc_path(cut, 1)), total - 5);
    T_CHECK(has(c, 8, "c") && !has(c, 9, "c"));
    corpus_close(c, NULL);
    sbuf_reset(&warnings);
}

/* Flip bits of byte at in file 1 of dir. */
static void flip(const char *dir, uint64_t at, int bits)
{
    char *data = NULL;
    size_t len;
    FILE *f;
    tt_read_file(warc_path(dir, 1), 1u << 30, &data, &len, NULL);
    data[at] ^= (char)bits;
    f = fopen(warc_path(dir, 1), "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    free(data);
}

static void test_corrupt_middle(void)
{
    const char *dir = sub("mid");
    corpus *c = open_w(dir, 0);
    uint64_t off[16], nrec, nbad;
    size_t n;
    char want[400];
    tt_err e;
    corpus_iter *it;
    corpus_rec rec;
    int i, seen = 0;
    if (!c)
        return;
    for (i = 0; i < 6; i++)
        put(c, i, "m");
    corpus_close(c, NULL);
    n = offsets(dir, off, 16);
    T_EQ_INT(n, 7);
    /* flip a bit in the middle of the member of article 3 (record 4) */
    flip(dir, (off[4] + off[5]) / 2, 0x04);
    snprintf(want, sizeof want, "%s: offset %llu: ", warc_path(dir, 1),
             (unsigned long long)off[4]);

    unlink(sub("mid/ids.idx")); /* rebuilding reports it */
    sbuf_reset(&warnings);
    c = open_w(dir, 0);
    T_CHECK(c != NULL);
    T_CHECK(warnings.s && strstr(warnings.s, want) != NULL);
    for (i = 0; i < 6; i++)
        T_EQ_INT(has(c, i, "m"), i != 3);
    T_EQ_INT(put(c, 3, "m"), 1); /* stored again, after the damage */
    T_EQ_INT(put(c, 6, "m"), 1);
    corpus_close(c, NULL);

    c = open_r(dir);
    sbuf_reset(&warnings);
    T_EQ_INT(corpus_verify(c, &nrec, &nbad, &e), TT_OK);
    T_EQ_INT(nbad, 1);
    T_EQ_INT(nrec, 9); /* every record found, the bad one too */
    T_CHECK(warnings.s && strstr(warnings.s, want) != NULL);
    sbuf_reset(&warnings);
    T_EQ_INT(corpus_iter_open(c, (corpus_pos){0, 0}, &it, &e), TT_OK);
    while (corpus_iter_next(it, &rec, &e) == 1)
        seen++;
    T_EQ_INT(seen, 8);
    T_EQ_INT(corpus_iter_skipped(it), 1);
    T_CHECK(warnings.s && strstr(warnings.s, want) != NULL);
    corpus_iter_close(it);
    sbuf_reset(&warnings);
    T_EQ_INT(corpus_iter_open(c, (corpus_pos){0, 0}, &it, &e), TT_OK);
    corpus_iter_quiet(it); /* counted, not said */
    while (corpus_iter_next(it, &rec, &e) == 1)
        ;
    T_EQ_INT(corpus_iter_skipped(it), 1);
    T_EQ_INT(warnings.len, 0);
    corpus_iter_close(it);
    /* split in two where a record starts (as a bulk build's workers read
     * it): every record read once, the bad one met by the half it starts
     * in, said once */
    for (size_t k = 1; k < n; k++) {
        corpus_pos cut = {1, off[k]};
        int part[2] = {0, 0};
        uint64_t bad[2];
        sbuf_reset(&warnings);
        for (int h = 0; h < 2; h++) {
            T_EQ_INT(corpus_iter_open(c, h ? cut : (corpus_pos){0, 0}, &it, &e),
                     TT_OK);
            if (!h)
                corpus_iter_until(it, cut);
            while (corpus_iter_next(it, &rec, &e) == 1) {
                T_CHECK(h ? corpus_pos_cmp(rec.pos, cut) >= 0
                          : corpus_pos_cmp(rec.pos, cut) < 0);
                part[h]++;
            }
            bad[h] = corpus_iter_skipped(it);
            corpus_iter_close(it);
        }
        T_EQ_INT(part[0] + part[1], 8);
        T_EQ_INT(part[0], (int)k - (k > 4));
        T_EQ_INT(bad[0], k > 4);
        T_EQ_INT(bad[1], k <= 4);
        T_CHECK(warnings.s && strstr(warnings.s, want) != NULL &&
                strstr(strstr(warnings.s, want) + 1, want) == NULL);
    }
    for (i = 0; i < 7; i++)
        T_CHECK(has(c, i, "m"));
    corpus_close(c, NULL);
    sbuf_reset(&warnings);
}

/* What is stored is what a reader takes: JSON of at most ARTICLE_MAX_JSON
 * bytes.  An article whose stored JSON would be larger (it can outgrow the
 * input: body strings split into arrays, U+2028 escaped) is refused, as
 * bad input, and nothing is written. */
static void test_json_limit(void)
{
    corpus *c = open_w(sub("limit"), 0);
    article a = {0}, got;
    size_t len, text;
    char *json;
    corpus_pos end;
    tt_err e;
    int stored = -1;
    if (!c)
        return;
    a.id = xstrdup("big");
    a.title = xstrdup("t");
    a.sapo = xstrdup("a");
    json = article_to_json(&a, &len);
    free(json);
    text = ARTICLE_MAX_JSON - (len - 1); /* the sapo that fills the limit */
    free(a.sapo);
    a.sapo = xmalloc(text + 2);
    memset(a.sapo, 'a', text + 1);
    a.sapo[text + 1] = '\0'; /* one byte over */
    end = corpus_end(c);
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_EINVAL);
    T_EQ_INT(stored, 0);
    T_CHECK(strstr(e.msg, "article big: larger than") != NULL);
    T_EQ_INT(corpus_pos_cmp(corpus_end(c), end), 0);
    a.sapo[text] = '\0'; /* the limit: stored, and read back */
    T_EQ_INT(corpus_put_article(c, &a, &stored, &e), TT_OK);
    T_EQ_INT(stored, 1);
    T_EQ_INT(corpus_get(c, "big", &got, &e), TT_OK);
    T_CHECK(got.sapo && strlen(got.sapo) == text);
    article_free(&got);
    article_free(&a);
    T_EQ_INT(corpus_close(c, &e), TT_OK);
}

/* An iterator reads the records its handle's id index knows: appended
 * since the open by another writer, they are not iterated (a bulk
 * indexer would take them for superseded versions), and corpus_end is
 * where it stops. */
static void test_iter_snapshot(void)
{
    const char *dir = sub("snap");
    corpus *w = open_w(dir, 0), *r;
    corpus_iter *it;
    corpus_rec rec;
    corpus_pos latest, end;
    tt_err e;
    int deleted, n = 0, bad = 0;
    if (!w)
        return;
    put(w, 1, "cũ");
    put(w, 2, "cũ");
    T_EQ_INT(corpus_close(w, &e), TT_OK);
    r = open_r(dir);
    w = open_w(dir, 0);
    T_CHECK(r && w);
    if (!r || !w)
        return;
    end = corpus_end(r);
    put(w, 2, "mới");
    put(w, 3, "mới");
    T_EQ_INT(corpus_flush(w, &e), TT_OK);
    T_EQ_INT(corpus_iter_open(r, (corpus_pos){0, 0}, &it, &e), TT_OK);
    while (corpus_iter_next(it, &rec, &e) == 1) {
        T_CHECK(corpus_pos_cmp(rec.next, end) <= 0);
        if (rec.type != CORPUS_REC_ARTICLE)
            continue;
        n++;
        bad += corpus_latest(r, rec.article_id, &latest, &deleted) != TT_OK ||
               corpus_pos_cmp(latest, rec.pos) != 0;
    }
    T_EQ_INT(n, 2);
    T_EQ_INT(bad, 0);
    corpus_iter_close(it);
    /* the writer's own appends are its to iterate */
    T_EQ_INT(corpus_iter_open(w, end, &it, &e), TT_OK);
    n = 0;
    while (corpus_iter_next(it, &rec, &e) == 1)
        n += rec.type == CORPUS_REC_ARTICLE;
    T_EQ_INT(n, 2);
    corpus_iter_close(it);
    corpus_close(r, NULL);
    corpus_close(w, NULL);
}

/* An index of other WARC files under the same names, covering no more
 * than these hold (restored from another copy), is not trusted: it would
 * send readers into the middle of records.  Found by fuzz_corpus. */
static void test_foreign_index(void)
{
    tt_err e;
    corpus *a = open_w(sub("fa"), 0), *b = open_w(sub("fb"), 0);
    T_CHECK(a && b);
    if (!a || !b)
        return;
    for (int i = 1; i <= 3; i++) {
        put(a, i, "ngắn");
        put(b, i, "dài hơn nhiều, để mọi bản ghi sau đều dời chỗ");
    }
    T_EQ_INT(corpus_close(a, &e), TT_OK);
    T_EQ_INT(corpus_close(b, &e), TT_OK);
    T_CHECK(fsize(warc_path(sub("fa"), 1)) < fsize(warc_path(sub("fb"), 1)));
    char from[300], to[300];
    snprintf(from, sizeof from, "%s/ids.idx", sub("fa"));
    snprintf(to, sizeof to, "%s/ids.idx", sub("fb"));
    copy_file(from, to, UINT64_MAX);
    sbuf_reset(&warnings);
    corpus *c = open_r(sub("fb"));
    T_CHECK(c != NULL);
    T_CHECK(warnings.s &&
            strstr(warnings.s, "timtin-000001.warc.gz differ from the "
                               "file's (the file was replaced or edited"));
    for (int i = 1; i <= 3; i++)
        T_CHECK(has(c, i, "dài hơn nhiều, để mọi bản ghi sau đều dời chỗ"));
    corpus_close(c, NULL);
}

/* A reader that rebuilt the index saves it when no writer holds the
 * corpus, and leaves it to the writer when one does. */
static void test_reader_saves_rebuilt_index(void)
{
    tt_err e;
    char idx[300];
    corpus *w = open_w(sub("rs"), 0), *r, *held;
    T_CHECK(w != NULL);
    if (!w)
        return;
    for (int i = 1; i <= 3; i++)
        put(w, i, "một");
    T_EQ_INT(corpus_close(w, &e), TT_OK);
    snprintf(idx, sizeof idx, "%s/ids.idx", sub("rs"));
    for (int held_by_writer = 1; held_by_writer >= 0; held_by_writer--) {
        FILE *f = fopen(idx, "wb"); /* damaged */
        fputs("not an index", f);
        fclose(f);
        held = held_by_writer ? open_w(sub("rs"), 0) : NULL;
        /* the writer open saved a good index: damage it again */
        if (held) {
            f = fopen(idx, "wb");
            fputs("not an index", f);
            fclose(f);
        }
        sbuf_reset(&warnings);
        r = open_r(sub("rs"));
        T_CHECK(r && warnings.s && strstr(warnings.s, "rebuilding it"));
        corpus_close(r, NULL);
        sbuf_reset(&warnings);
        r = open_r(sub("rs")); /* again: rebuilt again only if not saved */
        T_CHECK(r != NULL);
        T_EQ_INT(warnings.len > 0, held_by_writer);
        for (int i = 1; i <= 3; i++)
            T_CHECK(has(r, i, "một"));
        corpus_close(r, NULL);
        if (held)
            corpus_close(held, NULL);
    }
}

/* Misplace art-1 and art-2 in ids.idx, keeping its checksum and its
 * tails good: an index the reader trusts, pointing it wrong.  swap: each
 * at the other's record; else art-1 a byte into its own. */
static void misplace(const char *idx, int swap)
{
    char *data = NULL, *a, *b;
    size_t len = 0;
    unsigned char off[8];
    FILE *f;
    T_EQ_INT(tt_read_file(idx, 1u << 20, &data, &len, NULL), TT_OK);
    a = memmem(data, len, "\5\0\0\0art-1", 9);
    b = memmem(data, len, "\5\0\0\0art-2", 9);
    T_CHECK(a && b);
    if (!a || !b) {
        free(data);
        return;
    }
    a += 9 + 4, b += 9 + 4; /* past the id and the file number */
    if (swap) {
        memcpy(off, a, 8);
        memcpy(a, b, 8);
        memcpy(b, off, 8);
    } else {
        a[0]++; /* little-endian; records are larger than 256 bytes */
    }
    sha1(data, len - SHA1_LEN, (unsigned char *)data + len - SHA1_LEN);
    f = fopen(idx, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    free(data);
}

/* An index whose checksum and tails are good but whose entries point at
 * other records or into one (forged, or written by a bug): a get never
 * gives another article's record; it fails, and the index is removed so
 * that the next open rebuilds it.  A writer stops saving it. */
static void test_misplaced_entries(void)
{
    char idx[300];
    sbuf json = {0};
    tt_err e;
    article a;
    corpus *c = open_w(sub("mp"), 0);
    T_CHECK(c != NULL);
    if (!c)
        return;
    for (int i = 1; i <= 3; i++)
        put(c, i, "đúng chỗ");
    T_EQ_INT(corpus_close(c, &e), TT_OK);
    snprintf(idx, sizeof idx, "%s/ids.idx", sub("mp"));

    for (int round = 0; round < 3; round++) {
        int writer = round == 2;
        misplace(idx, round != 1);
        sbuf_reset(&warnings);
        c = writer ? open_w(sub("mp"), 0) : open_r(sub("mp"));
        T_CHECK(c && warnings.len == 0); /* trusted at open */
        if (!c)
            return;
        sbuf_reset(&json);
        T_EQ_INT(corpus_get_json(c, "art-1", &json, &e), TT_ECORRUPT);
        T_CHECK(strstr(e.msg, "offset") && strstr(e.msg, "art-1"));
        T_EQ_INT(json.len, 0);
        if (round != 1)
            T_EQ_INT(corpus_get(c, "art-2", &a, &e), TT_ECORRUPT);
        T_CHECK(has(c, 3, "đúng chỗ"));
        T_CHECK(warnings.s && strstr(warnings.s, "article art-1 is not "
                                                 "where it says"));
        T_CHECK(access(idx, F_OK) != 0); /* removed at once */
        if (writer) /* goes on writing, but saves no index */
            T_EQ_INT(put(c, 4, "sau"), 1);
        T_EQ_INT(corpus_close(c, &e), TT_OK);
        T_CHECK(access(idx, F_OK) != 0);
        sbuf_reset(&warnings);
        c = open_r(sub("mp")); /* rebuilt from the files, and saved */
        T_CHECK(c && has(c, 1, "đúng chỗ") && has(c, 2, "đúng chỗ") &&
                has(c, 3, "đúng chỗ"));
        T_CHECK(!writer || (c && has(c, 4, "sau")));
        corpus_close(c, NULL);
        T_CHECK(access(idx, F_OK) == 0);
    }
    sbuf_free(&json);
}

/* Append to file 1 of dir a record another tool wrote: filed under
 * header id hid, with block as it is, and a WARC-Block-Digest that is
 * the block's when good_digest (else that of other bytes). */
static void forge(const char *dir, const char *hid, const char *block,
                  int good_digest)
{
    unsigned char d[SHA1_LEN];
    char b32[SHA1_B32_LEN + 1], cmd[800];
    const char *text = sub("forged.txt");
    FILE *f = fopen(text, "wb");
    sha1(block, strlen(block), d);
    d[0] ^= good_digest ? 0 : 1;
    sha1_base32(d, b32);
    fprintf(f, "WARC/1.1\r\nWARC-Type: resource\r\n"
               "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n"
               "WARC-Date: 2025-01-01T00:00:00Z\r\n"
               "WARC-Target-URI: urn:timtin:article:%s\r\n"
               "WARC-Timtin-Article-Id: %s\r\n"
               "Content-Type: application/json\r\n"
               "WARC-Block-Digest: sha1:%s\r\nContent-Length: %zu\r\n\r\n"
               "%s\r\n\r\n",
            (int)(strlen(block) + strlen(hid)), hid, hid, b32, strlen(block),
            block);
    fclose(f);
    snprintf(cmd, sizeof cmd, "gzip -c %s >> %s", text, warc_path(dir, 1));
    T_EQ_INT(system(cmd), 0);
    unlink(text);
}

/* Records edited by another tool, each a sound gzip member whose content
 * is not what timtin writes: every reader refuses them, naming file,
 * offset and what is wrong; none gives another article's text. */
static void test_forged_records(void)
{
    const char *dir = sub("forged");
    corpus *c = open_w(dir, 0);
    sbuf json = {0};
    tt_err e;
    if (!c)
        return;
    for (int i = 0; i < 4; i++)
        put(c, i, "gốc");
    corpus_close(c, NULL);
    /* art-1's latest version names art-0; art-2's is cut short */
    forge(dir, "art-1", "{\"id\":\"art-0\",\"title\":\"Tin khác\"}", 1);
    forge(dir, "art-2", "{\"id\":\"art-2\",\"tit", 1);
    /* art-3's edited, its digest left as it was */
    forge(dir, "art-3", "{\"id\":\"art-3\",\"title\":\"Sửa\"}", 0);
    c = open_r(dir);
    if (!c)
        return;
    {
        article a;
        corpus_iter *it;
        corpus_rec rec;
        int n = 0, edited = 0;
        T_EQ_INT(corpus_get(c, "art-3", &a, &e), TT_ECORRUPT);
        T_CHECK(strstr(e.msg, "art-3") && strstr(e.msg, warc_path(dir, 1)) &&
                strstr(e.msg, "block digest mismatch"));
        T_EQ_INT(corpus_get_json(c, "art-3", &json, &e), TT_ECORRUPT);
        T_CHECK(strstr(e.msg, "block digest mismatch"));
        /* the iterator (the indexer's) skips it, saying where */
        sbuf_reset(&warnings);
        T_EQ_INT(corpus_iter_open(c, (corpus_pos){0, 0}, &it, &e), TT_OK);
        while (corpus_iter_next(it, &rec, &e) == 1) {
            n++;
            edited += rec.payload_len && strstr(rec.payload, "Sửa") != NULL;
        }
        T_EQ_INT(n, 7); /* warcinfo, 4 articles, the two bad JSONs */
        T_EQ_INT(edited, 0);
        T_EQ_INT(corpus_iter_skipped(it), 1);
        T_CHECK(warnings.s && strstr(warnings.s, warc_path(dir, 1)) &&
                strstr(warnings.s, ": block digest mismatch"));
        corpus_iter_close(it);
    }
    T_EQ_INT(corpus_get_json(c, "art-1", &json, &e), TT_ECORRUPT);
    T_CHECK(strstr(e.msg, "art-1") && strstr(e.msg, "names article art-0"));
    T_CHECK(strstr(e.msg, warc_path(dir, 1)) && strstr(e.msg, "offset "));
    T_EQ_INT(corpus_get_json(c, "art-2", &json, &e), TT_ECORRUPT);
    T_CHECK(strstr(e.msg, "art-2") && strstr(e.msg, "stored JSON"));
    T_CHECK(strstr(e.msg, warc_path(dir, 1)) && strstr(e.msg, "offset "));
    T_EQ_INT(json.len, 0);
    T_EQ_INT(corpus_get_json(c, "art-0", &json, &e), TT_OK);
    T_CHECK(json.s && strstr(json.s, "\"id\":\"art-0\""));
    corpus_close(c, NULL);
    sbuf_free(&json);
    sbuf_reset(&warnings);
}

static void on_damage(void *arg, const char *msg)
{
    sbuf_adds(arg, msg);
    sbuf_addc(arg, '\n');
}

/* A record damaged before the id index was built: the rebuilt index
 * remembers where (ids.idx version 3 on), so every later open can say
 * an article may be missing, not only the one that rebuilt it.  An index
 * of an older version (4 and before: no pages' places) is rebuilt once,
 * and said. */
static void test_damage_remembered(void)
{
    const char *dir = sub("dmg");
    corpus *c = open_w(dir, 0);
    uint64_t off[16];
    char want[400], idx[300];
    sbuf said = {0};
    article a;
    tt_err e;
    char *data = NULL, *before = NULL;
    size_t len, blen;
    FILE *f;
    if (!c)
        return;
    for (int i = 0; i < 6; i++)
        put(c, i, "d");
    corpus_close(c, NULL);
    snprintf(idx, sizeof idx, "%s/ids.idx", dir);

    /* version 4, as an older timtin wrote it (its layout matters not:
     * the version is read first) */
    tt_read_file(idx, 1u << 30, &data, &len, NULL);
    T_CHECK(len > 36 && !memcmp(data, "TTIDX\0\0\5", 8));
    data[7] = 4;
    sha1(data, len - 20, (unsigned char *)data + len - 20);
    f = fopen(idx, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    sbuf_reset(&warnings);
    c = open_r(dir);
    T_CHECK(c && has(c, 2, "d"));
    T_CHECK(warnings.s && strstr(warnings.s, "version 4") &&
            strstr(warnings.s, "rebuilding it"));
    corpus_close(c, NULL);
    sbuf_reset(&warnings);
    c = open_r(dir); /* saved: once */
    T_CHECK(c && warnings.len == 0 && has(c, 2, "d"));
    corpus_close(c, NULL);
    tt_read_file(idx, 1u << 30, &before, &blen, NULL);
    T_CHECK(blen == len && !memcmp(before, "TTIDX\0\0\5", 8));
    free(data);
    free(before);

    /* art-3 (record 4) damaged, the index deleted */
    T_EQ_INT(offsets(dir, off, 16), 7);
    flip(dir, (off[4] + off[5]) / 2, 0x10);
    unlink(idx);
    snprintf(want, sizeof want, "%s: offset %llu: ", warc_path(dir, 1),
             (unsigned long long)off[4]);
    sbuf_reset(&warnings);
    c = open_r(dir); /* rebuilds, says it once, and saves it */
    T_CHECK(c && warnings.s && strstr(warnings.s, want));
    T_EQ_INT(corpus_damaged(c, on_damage, &said), 1);
    T_EQ_INT(said.len, 0); /* said already, at the open */
    corpus_close(c, NULL);
    T_CHECK(access(idx, F_OK) == 0);
    for (int round = 0; round < 2; round++) {
        sbuf_reset(&warnings);
        sbuf_reset(&said);
        c = round ? open_w(dir, 0) : open_r(dir);
        T_CHECK(c && warnings.len == 0); /* the saved index, trusted */
        if (!c)
            return;
        T_EQ_INT(corpus_damaged(c, on_damage, &said), 1);
        T_CHECK(said.s && strstr(said.s, want) && strstr(said.s, "unreadable"));
        sbuf_reset(&said);
        T_EQ_INT(corpus_damaged(c, on_damage, &said), 1); /* said once */
        T_EQ_INT(said.len, 0);
        T_EQ_INT(corpus_get(c, "art-3", &a, &e), TT_ENOTFOUND);
        T_CHECK(strstr(e.msg, "no article art-3") &&
                strstr(e.msg, "1 unreadable record"));
        T_CHECK(has(c, 2, "d") && has(c, 4, "d"));
        if (round) /* a writer keeps the list */
            T_EQ_INT(put(c, 9, "d"), 1);
        corpus_close(c, NULL);
    }
    c = open_r(dir);
    T_CHECK(c && has(c, 9, "d"));
    T_EQ_INT(corpus_damaged(c, NULL, NULL), 1);
    corpus_close(c, NULL);
    sbuf_free(&said);
    sbuf_reset(&warnings);
}

static void test_lock(void)
{
    const char *dir = sub("lock");
    int up[2], down[2];
    pid_t pid;
    char ch;
    corpus *c;
    tt_err e;
    int status;
    char want[64];
    T_EQ_INT(pipe(up), 0);
    T_EQ_INT(pipe(down), 0);
    tt_mkdirs(dir, NULL);
    pid = fork();
    if (pid == 0) { /* the other writer */
        corpus *cc = NULL;
        close(up[0]);
        close(down[1]);
        corpus_open(dir, CORPUS_WRITE, NULL, &cc, NULL);
        ch = cc ? 'y' : 'n';
        if (write(up[1], &ch, 1) != 1 || read(down[0], &ch, 1) < 0)
            _exit(2);
        corpus_close(cc, NULL);
        _exit(0);
    }
    close(up[1]);
    close(down[0]);
    T_EQ_INT(read(up[0], &ch, 1), 1);
    T_EQ_INT(ch, 'y');
    T_EQ_INT(corpus_open(dir, CORPUS_WRITE, NULL, &c, &e), TT_ELOCKED);
    T_CHECK(c == NULL);
    snprintf(want, sizeof want, "(pid %ld)", (long)pid);
    T_CHECK(strstr(e.msg, want) != NULL);
    T_CHECK(strstr(e.msg, "is locked by another writer") != NULL);
    c = open_r(dir); /* readers need no lock */
    T_CHECK(c != NULL);
    corpus_close(c, NULL);
    T_EQ_INT(write(down[1], "x", 1), 1); /* let it go */
    T_EQ_INT(waitpid(pid, &status, 0), pid);
    T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    T_EQ_INT(corpus_open(dir, CORPUS_WRITE, NULL, &c, &e), TT_OK);
    corpus_close(c, NULL);
    close(up[0]);
    close(down[1]);
    {   /* CORPUS_WAIT: a second writer (B) waits for the first (A).  Both
         * are children: a forked writer would keep the parent's lock. */
        int a_up[2], a_down[2], b_up[2];
        pid_t a, b;
        struct pollfd pfd;
        T_EQ_INT(pipe(a_up), 0);
        T_EQ_INT(pipe(a_down), 0);
        T_EQ_INT(pipe(b_up), 0);
        a = fork();
        if (a == 0) {
            corpus *cc = NULL;
            corpus_open(dir, CORPUS_WRITE, NULL, &cc, NULL);
            ch = cc ? 'y' : 'n';
            if (write(a_up[1], &ch, 1) != 1 || read(a_down[0], &ch, 1) < 0)
                _exit(2);
            corpus_close(cc, NULL);
            _exit(0);
        }
        T_EQ_INT(read(a_up[0], &ch, 1), 1);
        T_EQ_INT(ch, 'y');
        b = fork();
        if (b == 0) {
            corpus *cc = NULL;
            corpus_open(dir, CORPUS_WRITE | CORPUS_WAIT, NULL, &cc, NULL);
            ch = cc ? 'y' : 'n';
            if (write(b_up[1], &ch, 1) != 1)
                _exit(2);
            corpus_close(cc, NULL);
            _exit(0);
        }
        pfd.fd = b_up[0];
        pfd.events = POLLIN;
        T_EQ_INT(poll(&pfd, 1, 0), 0);  /* B cannot have the lock yet */
        T_EQ_INT(write(a_down[1], "x", 1), 1); /* A lets go */
        T_EQ_INT(read(b_up[0], &ch, 1), 1);
        T_EQ_INT(ch, 'y');                /* B waited, then got it */
        T_EQ_INT(waitpid(a, &status, 0), a);
        T_EQ_INT(waitpid(b, &status, 0), b);
        close(a_up[0]); close(a_up[1]); close(a_down[0]); close(a_down[1]);
        close(b_up[0]); close(b_up[1]);
    }
    T_EQ_INT(corpus_open(sub("none"), CORPUS_READ, NULL, &c, &e), TT_ENOTFOUND);
    T_EQ_INT(corpus_open(sub("none"), CORPUS_WRITE, NULL, &c, &e), TT_ENOTFOUND);
}

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f)
        fclose(f);
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *de; (de = readdir(d));)
        n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    closedir(d);
    return n;
}

/* A corpus directory is a corpus, or new, or empty: a mistyped path to a
 * directory of other files is refused, for reading and for writing, and
 * nothing is added to it. */
static void test_foreign_directory(void)
{
    char path[300];
    corpus *c = NULL;
    tt_err e;
    mkdir(sub("other"), 0755);
    snprintf(path, sizeof path, "%s/notes.txt", sub("other"));
    touch(path);
    T_EQ_INT(corpus_open(sub("other"), CORPUS_WRITE | CORPUS_CREATE, NULL, &c,
                         &e),
             TT_EINVAL);
    T_CHECK(c == NULL);
    T_CHECK(strstr(e.msg, "not a timtin corpus (it holds notes.txt") != NULL);
    T_EQ_INT(corpus_open(sub("other"), CORPUS_READ, NULL, &c, &e), TT_EINVAL);
    T_EQ_INT(entries(sub("other")), 1); /* no lock, no ids.idx */

    /* hidden files and lost+found (a volume of its own) are no obstacle */
    mkdir(sub("vol"), 0755);
    snprintf(path, sizeof path, "%s/lost+found", sub("vol"));
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/.keep", sub("vol"));
    touch(path);
    c = open_w(sub("vol"), 0);
    T_CHECK(c != NULL);
    if (c) {
        put(c, 1, "trên ổ riêng");
        T_EQ_INT(corpus_close(c, &e), TT_OK);
    }

    /* a corpus keeps working with a file of the user's beside it, even
     * without its lock and ids.idx (WARC files copied elsewhere) */
    snprintf(path, sizeof path, "%s/README", sub("vol"));
    touch(path);
    snprintf(path, sizeof path, "%s/lock", sub("vol"));
    T_EQ_INT(unlink(path), 0);
    snprintf(path, sizeof path, "%s/ids.idx", sub("vol"));
    T_EQ_INT(unlink(path), 0);
    c = open_r(sub("vol"));
    T_CHECK(c != NULL);
    if (c) {
        T_CHECK(has(c, 1, "trên ổ riêng"));
        corpus_close(c, NULL);
    }
}

/* Positions a reader may start from, the bytes from a position to the end
 * (a progress's total), and the corpus's identity (its first record's
 * WARC-Record-ID): what the indexer checks a checkpoint with. */
static void test_positions_and_identity(void)
{
    const char *dir = sub("pos"), *other = sub("pos-other");
    char ident[CORPUS_IDENTITY_LEN], ident2[CORPUS_IDENTITY_LEN];
    corpus *w = open_w(dir, 0), *r, *o;
    corpus_iter *it;
    corpus_rec rec;
    corpus_pos end, recs[8];
    size_t n = 0;
    tt_err e;
    if (!w)
        return;
    T_EQ_INT(corpus_identity(w, ident), TT_ENOTFOUND); /* no file yet */
    T_EQ_STR(ident, "");
    T_EQ_INT(corpus_pos_check(w, (corpus_pos){0, 0}, &e), TT_OK);
    for (int i = 1; i <= 3; i++)
        put(w, i, "một");
    T_EQ_INT(corpus_close(w, &e), TT_OK);
    r = open_r(dir);
    if (!r)
        return;
    end = corpus_end(r);
    T_EQ_INT(corpus_identity(r, ident), TT_OK);
    T_CHECK(!strncmp(ident, "<urn:uuid:", 10));
    T_EQ_INT(corpus_iter_open(r, (corpus_pos){0, 0}, &it, &e), TT_OK);
    while (n < 8 && corpus_iter_next(it, &rec, &e) == 1)
        recs[n++] = rec.pos;
    corpus_iter_close(it);
    T_CHECK(n >= 4); /* the warcinfo record, then the articles' */
    for (size_t i = 0; i < n; i++) {
        T_EQ_INT(corpus_pos_check(r, recs[i], &e), TT_OK);
        T_EQ_INT(corpus_bytes_from(r, recs[i]),
                 fsize(warc_path(dir, (int)recs[i].file)) - recs[i].offset);
        corpus_pos inside = {recs[i].file, recs[i].offset + 1};
        T_EQ_INT(corpus_pos_check(r, inside, &e), TT_EINVAL);
        T_CHECK(strstr(e.msg, "no record") != NULL);
    }
    T_EQ_INT(corpus_pos_check(r, end, &e), TT_OK);
    T_EQ_INT(corpus_bytes_from(r, end), 0);
    T_EQ_INT(corpus_bytes_from(r, (corpus_pos){0, 0}),
             fsize(warc_path(dir, (int)end.file)));
    corpus_pos past = {end.file, end.offset + 1}, later = {end.file + 6, 0};
    T_EQ_INT(corpus_pos_check(r, past, &e), TT_EINVAL);
    T_CHECK(strstr(e.msg, "beyond") != NULL);
    T_EQ_INT(corpus_pos_check(r, later, &e), TT_EINVAL);
    corpus_close(r, NULL);
    /* the identity stays through later appends; another corpus has its own */
    w = open_w(dir, 0);
    if (w) {
        put(w, 4, "một");
        T_EQ_INT(corpus_identity(w, ident2), TT_OK);
        T_EQ_STR(ident2, ident);
        corpus_close(w, NULL);
    }
    o = open_w(other, 0);
    if (o) {
        put(o, 1, "một");
        T_EQ_INT(corpus_identity(o, ident2), TT_OK);
        T_CHECK(strcmp(ident2, ident) != 0);
        corpus_close(o, NULL);
    }
}

int main(void)
{
    if (!mkdtemp(tmp_path(top, sizeof top, "timtin-test-corpus.XXXXXX"))) {
        perror("mkdtemp");
        return 1;
    }
    T_RUN(test_put_get_dedup_delete);
    T_RUN(test_responses_and_iter);
    T_RUN(test_find_responses);
    T_RUN(test_rotation_and_rebuild);
    T_RUN(test_get_page);
    T_RUN(test_page_index);
    T_RUN(test_page_misplaced);
    T_RUN(test_page_purged);
    T_RUN(test_article_at);
    T_RUN(test_crash_recovery);
    T_RUN(test_corrupt_middle);
    T_RUN(test_iter_snapshot);
    T_RUN(test_json_limit);
    T_RUN(test_foreign_index);
    T_RUN(test_reader_saves_rebuilt_index);
    T_RUN(test_misplaced_entries);
    T_RUN(test_forged_records);
    T_RUN(test_damage_remembered);
    T_RUN(test_lock);
    T_RUN(test_foreign_directory);
    T_RUN(test_positions_and_identity);
    if (warnings.len)
        fprintf(stderr, "unexpected warnings:\n%s", warnings.s);
    sbuf_free(&warnings);
    tt_rmtree(top, NULL);
    return t_summary();
}
