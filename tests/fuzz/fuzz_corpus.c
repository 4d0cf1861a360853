/* fuzz_corpus.c — a corpus whose id index (ids.idx) holds any bytes, as
 * after a disk error or a foreign file: opened for reading, it still
 * gives every stored article, as the WARC files hold it, knows the
 * deleted one is gone, and gives an article's page only (the index keeps
 * where each page is: corpus_get_page).  The WARC file is made once from
 * three sample articles, each after its page, and a deletion; only the
 * index varies.  The input after its
 * first byte is the index; when that byte is odd, the index gets its
 * checksum appended, so that the fuzzer reaches what lies behind it.
 *
 * libFuzzer learns the bytes memcmp compares, so it can also forge the
 * digest of the files' tails the index carries: then the index is
 * trusted (no warning at open), and only the files could tell that it
 * leaves an article out or brings back the deleted one's last version;
 * a get it sends to the wrong place fails (TT_ECORRUPT).  Even then a
 * get must never give another article's record.  Such an input holds
 * digests of the files, so the files are made the same in every process
 * (warc_test_determinism: fixed record ids and dates), and it replays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "corpus.h"
#include "fuzz.h"
#include "sample_db.h"
#include "sha1.h"
#include "tmp.h"
#include "warc.h"

#define NART 3

static char dir[TMP_PATH_MAX];
static char *ids[NART], *titles[NART];
static sbuf idx_path;

static void cleanup(void)
{
    tt_rmtree(dir, NULL);
    for (int i = 0; i < NART; i++) {
        free(ids[i]);
        free(titles[i]);
    }
    sbuf_free(&idx_path);
}

static int warned; /* a warning since it was last cleared */

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
    warned = 1;
}

typedef struct making {
    corpus *c;
    size_t n;
} making;

/* The page of article id, as stored. */
static void page_of(sbuf *b, const char *id)
{
    sbuf_reset(b);
    sbuf_addf(b, "HTTP/1.1 200 OK\r\nETag: \"%s\"\r\n\r\n<p>%s</p>", id, id);
}

/* Store the first NART sample articles, each after its page. */
static int store(void *arg, article *a)
{
    making *m = arg;
    sbuf page = {0};
    char rid[WARC_ID_LEN];
    tt_err e;
    page_of(&page, a->id);
    if (corpus_put_response(m->c, "http://example.vn/p.htm", page.s,
                            page.len, NULL, rid, &e) != TT_OK)
        fuzz_fail(e.msg);
    sbuf_free(&page);
    free(a->response);
    a->response = xstrdup(rid);
    if (corpus_put_article(m->c, a, NULL, &e) != TT_OK)
        fuzz_fail(e.msg);
    ids[m->n] = xstrdup(a->id);
    titles[m->n++] = xstrdup(a->title);
    article_free(a);
    return m->n == NART;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *top = getenv("TT_TOP") ? getenv("TT_TOP") : ".";
    making m = {NULL, 0};
    tt_err e;
    (void)argc;
    (void)argv;
    tmp_path(dir, sizeof dir, "tt-fuzz-XXXXXX");
    if (!mkdtemp(dir))
        fuzz_fail("mkdtemp");
    atexit(cleanup);
    warc_test_determinism(1);
    if (corpus_open(dir, CORPUS_WRITE, NULL, &m.c, &e) != TT_OK ||
        sample_articles(top, store, &m, &e) != TT_OK)
        fuzz_fail(e.msg);
    if (m.n != NART || corpus_delete_article(m.c, ids[0], NULL, &e) != TT_OK ||
        corpus_close(m.c, &e) != TT_OK)
        fuzz_fail("cannot make the corpus");
    sbuf_addf(&idx_path, "%s/ids.idx", dir);
    return 0;
}

static int count(void *arg, const char *id)
{
    (void)id;
    ++*(size_t *)arg;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(idx_path.s, "wb");
    corpus_opts o = {0};
    corpus *c = NULL;
    tt_err e;
    size_t live = 0;

    unsigned char sum[SHA1_LEN];
    if (!size)
        return 0;
    int fix = data[0] & 1;
    data++, size--;
    sha1(data, size, sum);
    if (!f || (size && fwrite(data, 1, size, f) != size) ||
        (fix && fwrite(sum, 1, SHA1_LEN, f) != SHA1_LEN) || fclose(f) != 0)
        fuzz_fail("cannot write ids.idx");
    o.warn = quiet;
    warned = 0;
    if (corpus_open(dir, CORPUS_READ, &o, &c, &e) != TT_OK)
        fuzz_fail(e.msg);
    int trusted = !warned; /* else rebuilt from the files: exact */
    sbuf page = {0}, want = {0};
    for (int i = 0; i < NART; i++) {
        article a;
        int rc = corpus_get_page(c, ids[i], &page, &e);
        page_of(&want, ids[i]);
        if (rc == TT_OK && strcmp(page.s, want.s) != 0)
            fuzz_fail("another article's page");
        if (rc != TT_OK && rc != TT_ENOTFOUND && rc != TT_ECORRUPT)
            fuzz_fail(e.msg);
        if (i > 0 && rc != TT_OK && !trusted)
            fuzz_fail("a stored article's page lost");
        sbuf_reset(&page);
        rc = corpus_get(c, ids[i], &a, &e);
        if (rc == TT_OK && strcmp(a.title, titles[i]) != 0)
            fuzz_fail("another article's record");
        if (rc != TT_OK && rc != TT_ENOTFOUND && rc != TT_ECORRUPT)
            fuzz_fail(e.msg);
        if (i == 0 && rc != TT_ENOTFOUND && !trusted)
            fuzz_fail("the deleted article came back");
        if (i > 0 && rc != TT_OK && !trusted)
            fuzz_fail("a stored article lost");
        if (rc == TT_OK)
            article_free(&a);
    }
    corpus_each_id(c, count, &live);
    if (live != NART - 1 && !trusted)
        fuzz_fail("the live ids miscounted");
    corpus_close(c, NULL);
    sbuf_free(&page);
    sbuf_free(&want);
    return 0;
}
