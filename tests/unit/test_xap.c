/* test_xap.c — the Xapian shim through xap.h only: writing, reading,
 * searching, parsing, errors (missing, locked, corrupt dbs), compaction,
 * expansion.  Everything lives under one mkdtemp directory, removed at the
 * end. */
#include "tmp.h"
#include "xap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "util.h"

static char g_dir[256];

#define T_OK(call, err)                                                      \
    do {                                                                     \
        int t_rc_ = (call);                                                  \
        if (t_rc_ != TT_OK)                                                  \
            fprintf(stderr, "  %s:%d: %s: status %d: %s\n", __FILE__,        \
                    __LINE__, #call, t_rc_, (err).msg);                      \
        T_EQ_INT(t_rc_, TT_OK);                                              \
    } while (0)

/* g_dir/name into buf. */
static const char *path(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", g_dir, name);
    return buf;
}

static xap_query *term(const char *t)
{
    return xap_q_term(t, strlen(t), 1, 0);
}

/* A document: id term "Q<id>", the words of text at positions 1.., the
 * category as boolean term "C<cat>" and value 1, date as value 0. */
static xap_doc *mkdoc(const char *id, const char *text, const char *date,
                      const char *cat)
{
    xap_doc *d = xap_doc_new();
    char buf[256];
    snprintf(buf, sizeof buf, "Q%s", id);
    xap_doc_add_boolean_term(d, buf, strlen(buf));
    uint32_t pos = 1;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (n)
            xap_doc_add_posting(d, p, n, pos++, 1);
        p += n;
        p += strspn(p, " ");
    }
    if (cat) {
        snprintf(buf, sizeof buf, "C%s", cat);
        xap_doc_add_boolean_term(d, buf, strlen(buf));
        xap_doc_set_value(d, 1, cat, strlen(cat));
    }
    if (date)
        xap_doc_set_value(d, 0, date, strlen(date));
    snprintf(buf, sizeof buf, "data:%s", id);
    xap_doc_set_data(d, buf, strlen(buf));
    return d;
}

static int put(xap_wdb *w, const char *id, const char *text, const char *date,
               const char *cat, tt_err *e)
{
    char q[128];
    snprintf(q, sizeof q, "Q%s", id);
    xap_doc *d = mkdoc(id, text, date, cat);
    int rc = xap_wdb_replace(w, q, strlen(q), d, NULL, e);
    xap_doc_free(d);
    return rc;
}

/* The search corpus: docids 1..5 in this order. */
static void build_corpus(const char *p)
{
    tt_err e = {0};
    xap_wdb *w = NULL;
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_OVERWRITE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    T_OK(put(w, "a", "the quick brown fox", "2024-01-03", "sport", &e), e);
    T_OK(put(w, "b", "quick fox fox fox", "2024-01-01", "news", &e), e);
    T_OK(put(w, "c", "brown dog", "2024-01-02", "sport", &e), e);
    T_OK(put(w, "d", "lazy dog quick", "2024-01-05", "news", &e), e);
    T_OK(put(w, "e", "fox brown quick", "2024-01-04", "world", &e), e);
    T_OK(xap_wdb_set_metadata(w, "corpus", "test", 4, &e), e);
    T_OK(xap_wdb_close(w, &e), e);
}

static xap_db *open1(const char *p)
{
    tt_err e = {0};
    xap_db *db = NULL;
    T_OK(xap_db_open(&p, 1, &db, &e), e);
    return db;
}

/* The db build_corpus made (main builds it before the tests read it). */
static xap_db *open_corpus(void)
{
    char p[512];
    path(p, sizeof p, "corpus");
    return open1(p);
}

/* Docids of a search as "1,2,3" (q is freed). */
static const char *ids(xap_db *db, xap_query *q, const xap_search_opts *o)
{
    static char buf[512];
    tt_err e = {0};
    xap_mset *m = NULL;
    buf[0] = '\0';
    int rc = xap_search(db, q, 0, 100, o, &m, &e);
    xap_q_free(q);
    if (rc != TT_OK) {
        snprintf(buf, sizeof buf, "error %d: %.400s", rc, e.msg);
        return buf;
    }
    size_t len = 0;
    for (size_t i = 0; i < xap_mset_size(m); i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%u",
                                i ? "," : "", xap_mset_docid(m, i));
    xap_mset_free(m);
    return buf;
}

/* ---- tests ------------------------------------------------------------ */

static void test_create_open(void)
{
    char p[512];
    tt_err e = {0};
    xap_wdb *w = NULL;
    xap_db *db = NULL;
    uint32_t n = 99;

    path(p, sizeof p, "create");
    T_EQ_INT(xap_wdb_open(p, 0, &w, &e), TT_ENOTFOUND);
    T_CHECK(w == NULL);
    T_CHECK(strstr(e.msg, p) != NULL);

    T_OK(xap_wdb_open(p, XAP_CREATE, &w, &e), e);
    T_OK(xap_wdb_doccount(w, &n, &e), e);
    T_EQ_INT(n, 0);
    T_OK(xap_wdb_close(w, &e), e);

    w = NULL;
    T_OK(xap_wdb_open(p, 0, &w, &e), e); /* exists now */
    T_OK(xap_wdb_close(w, &e), e);

    db = open1(p);
    T_OK(xap_db_doccount(db, &n, &e), e);
    T_EQ_INT(n, 0);
    xap_db_close(db);

    /* NULLs are fine */
    T_EQ_INT(xap_wdb_close(NULL, &e), TT_OK);
    xap_wdb_abandon(NULL);
    xap_db_close(NULL);
    xap_doc_free(NULL);
    xap_q_free(NULL);
    xap_mset_free(NULL);
    xap_free_terms(NULL, 0);
}

static void test_replace_delete(void)
{
    char p[512];
    tt_err e = {0};
    xap_wdb *w = NULL;
    uint32_t n = 0;
    unsigned nd = 99;
    xap_docid id1 = 0, id2 = 0;

    path(p, sizeof p, "repl");
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    xap_doc *d = mkdoc("x", "one two", NULL, NULL);
    T_OK(xap_wdb_replace(w, "Qx", 2, d, &id1, &e), e);
    xap_doc_free(d);
    T_OK(put(w, "y", "three", NULL, NULL, &e), e);
    d = mkdoc("x", "one two again", NULL, NULL);
    T_OK(xap_wdb_replace(w, "Qx", 2, d, &id2, &e), e);
    xap_doc_free(d);
    T_EQ_INT(id2, id1); /* replaced in place */
    T_OK(xap_wdb_doccount(w, &n, &e), e);
    T_EQ_INT(n, 2);
    T_OK(xap_wdb_termfreq(w, "Qx", 2, &n, &e), e);
    T_EQ_INT(n, 1);
    T_OK(xap_wdb_termfreq(w, "again", 5, &n, &e), e);
    T_EQ_INT(n, 1);

    T_OK(xap_wdb_delete(w, "Qy", 2, &nd, &e), e);
    T_EQ_INT(nd, 1);
    T_OK(xap_wdb_delete(w, "Qabsent", 7, &nd, &e), e);
    T_EQ_INT(nd, 0);
    T_OK(xap_wdb_delete(w, "Qabsent", 7, NULL, &e), e);
    T_OK(xap_wdb_doccount(w, &n, &e), e);
    T_EQ_INT(n, 1);

    /* rejected before touching the db, and not sticky */
    d = mkdoc("z", "word", NULL, NULL);
    T_EQ_INT(xap_wdb_replace(w, "Qother", 6, d, NULL, &e), TT_EINVAL);
    T_CHECK(strstr(e.msg, "id term") != NULL);
    char big[300];
    memset(big, 'k', sizeof big);
    xap_doc_add_term(d, big, sizeof big, 1);
    T_EQ_INT(xap_wdb_replace(w, "Qz", 2, d, NULL, &e), TT_EINVAL);
    T_CHECK(strstr(e.msg, "too long") != NULL);
    xap_doc_free(d);
    T_EQ_INT(xap_wdb_delete(w, "", 0, NULL, &e), TT_EINVAL);
    T_EQ_INT(xap_wdb_replace(w, big, sizeof big, NULL, NULL, &e), TT_EINVAL);
    T_EQ_INT(xap_wdb_set_metadata(w, "", "v", 1, &e), TT_EINVAL);
    T_OK(put(w, "z", "still works", NULL, NULL, &e), e);
    T_OK(xap_wdb_doccount(w, &n, &e), e);
    T_EQ_INT(n, 2);
    T_OK(xap_wdb_close(w, &e), e);

    xap_db *db = open1(p);
    T_OK(xap_db_doccount(db, &n, &e), e);
    T_EQ_INT(n, 2);
    xap_docid id = 0;
    T_OK(xap_db_find(db, "Qx", 2, &id, &e), e);
    T_EQ_INT(id, id1);
    T_EQ_INT(xap_db_find(db, "Qy", 2, &id, &e), TT_ENOTFOUND);
    xap_db_close(db);
}

static void test_commit_visibility(void)
{
    char p[512];
    tt_err e = {0};
    xap_wdb *w = NULL;
    uint32_t n = 99;
    int changed = -1;

    path(p, sizeof p, "vis");
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    T_OK(xap_wdb_commit(w, &e), e); /* an empty first revision */
    xap_db *early = open1(p);
    T_OK(put(w, "1", "alpha", NULL, NULL, &e), e);
    T_OK(put(w, "2", "beta", NULL, NULL, &e), e);
    T_OK(xap_db_doccount(early, &n, &e), e);
    T_EQ_INT(n, 0); /* uncommitted */
    T_OK(xap_wdb_commit(w, &e), e);
    T_OK(xap_db_doccount(early, &n, &e), e);
    T_EQ_INT(n, 0); /* not reopened yet */
    T_EQ_INT(xap_db_generation(early), 0);
    T_OK(xap_db_reopen(early, &changed, &e), e);
    T_EQ_INT(changed, 1);
    T_EQ_INT(xap_db_generation(early), 1);
    T_OK(xap_db_reopen(early, &changed, &e), e); /* nothing new */
    T_EQ_INT(changed, 0);
    T_EQ_INT(xap_db_generation(early), 1);
    T_OK(xap_db_doccount(early, &n, &e), e);
    T_EQ_INT(n, 2);
    xap_db *late = open1(p);
    T_OK(xap_db_doccount(late, &n, &e), e);
    T_EQ_INT(n, 2);
    T_OK(xap_db_termfreq(late, "alpha", 5, &n, &e), e);
    T_EQ_INT(n, 1);

    /* abandon drops what was not committed */
    T_OK(put(w, "3", "gamma", NULL, NULL, &e), e);
    xap_wdb_abandon(w);
    w = NULL;
    T_OK(xap_db_reopen(late, NULL, &e), e);
    T_OK(xap_db_doccount(late, &n, &e), e);
    T_EQ_INT(n, 2);
    T_OK(xap_wdb_open(p, 0, &w, &e), e);
    T_OK(xap_wdb_doccount(w, &n, &e), e);
    T_EQ_INT(n, 2);
    T_OK(xap_wdb_close(w, &e), e);
    xap_db_close(early);
    xap_db_close(late);
}

/* A flush threshold makes Xapian flush, but never commit, mid-batch. */
static void test_flush_threshold_atomic(void)
{
    char p[512];
    tt_err e = {0};
    xap_wdb *w = NULL;
    uint32_t n = 99;

    path(p, sizeof p, "flush");
    T_CHECK(getenv("XAPIAN_FLUSH_THRESHOLD") == NULL);
    T_OK(xap_wdb_open_ex(p, XAP_CREATE | XAP_NOSYNC, 2, &w, &e), e);
    T_CHECK(getenv("XAPIAN_FLUSH_THRESHOLD") == NULL); /* restored */
    if (!w)
        return;
    T_OK(xap_wdb_commit(w, &e), e);
    xap_db *db = open1(p);
    for (int i = 0; i < 7; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        T_OK(put(w, id, "word", NULL, NULL, &e), e);
    }
    T_OK(xap_db_reopen(db, NULL, &e), e);
    T_OK(xap_db_doccount(db, &n, &e), e);
    T_EQ_INT(n, 0); /* flushed 3 times, committed never */
    T_OK(xap_wdb_close(w, &e), e);
    T_OK(xap_db_reopen(db, NULL, &e), e);
    T_OK(xap_db_doccount(db, &n, &e), e);
    T_EQ_INT(n, 7);
    xap_db_close(db);
}

static void test_search_ops(void)
{
    xap_db *db = open_corpus();
    if (!db)
        return;

    /* relevance: doc 2 has fox x3; doc 5 is shorter than doc 1 */
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_AND, term("quick"), term("fox")), NULL),
             "2,5,1");
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_OR, term("dog"), term("lazy")), NULL),
             "4,3");
    xap_query *ph[2] = {term("quick"), term("brown")};
    T_EQ_STR(ids(db, xap_q_op(XAP_OP_PHRASE, ph, 2, 0), NULL), "1");
    xap_query *ph2[2] = {term("brown"), term("quick")};
    T_EQ_STR(ids(db, xap_q_op(XAP_OP_PHRASE, ph2, 2, 0), NULL), "5");
    /* a docid list filters, in any order, with duplicates and strangers */
    xap_docid some[] = {5, 1, 99, 1};
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_FILTER, term("quick"),
                               xap_q_docids(db, some, 4)),
                 NULL),
             "5,1");
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_FILTER, term("quick"),
                               xap_q_docids(db, some, 0)),
                 NULL),
             "");
    xap_query *nr[2] = {term("quick"), term("fox")};
    T_EQ_STR(ids(db, xap_q_op(XAP_OP_NEAR, nr, 2, 3), NULL), "2,5,1");
    xap_query *nr2[2] = {term("the"), term("fox")};
    T_EQ_STR(ids(db, xap_q_op(XAP_OP_NEAR, nr2, 2, 2), NULL), "");
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_AND_NOT, term("fox"), term("brown")),
                 NULL),
             "2");
    /* FILTER: weight only from "quick"; doc 4 is shorter than doc 2 */
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_FILTER, term("quick"), term("Cnews")),
                 NULL),
             "4,2");
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_AND_MAYBE, term("dog"), term("lazy")),
                 NULL),
             "4,3");
    /* NULL operands are ignored; no operands is the empty query */
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_AND, term("dog"), NULL), NULL), "3,4");
    xap_query *none = xap_q_op(XAP_OP_OR, NULL, 0, 0);
    T_CHECK(xap_q_is_empty(none));
    T_EQ_STR(ids(db, none, NULL), "");
    T_EQ_STR(ids(db, term("nosuchword"), NULL), "");
    T_EQ_STR(ids(db, xap_q_term("", 0, 1, 0), NULL), "");

    /* value ranges, sorted by date */
    xap_search_opts o;
    xap_search_opts_init(&o);
    o.sort_slot = 0;
    o.sort_ascending = 1;
    T_EQ_STR(ids(db, xap_q_value_range(0, "2024-01-02", 10, "2024-01-04", 10),
                 &o),
             "3,1,5");
    T_EQ_STR(ids(db, xap_q_value_range(0, "2024-01-04", 10, "", 0), &o),
             "5,4");
    T_EQ_STR(ids(db, xap_q_value_range(0, NULL, 0, "2024-01-01", 10), &o),
             "2");
    T_EQ_STR(ids(db, xap_q_value_range(0, NULL, 0, NULL, 0), &o),
             "2,3,1,5,4");
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_FILTER, term("quick"),
                               xap_q_value_range(0, "2024-01-03", 10, "", 0)),
                 &o),
             "1,5,4");
    xap_db_close(db);
}

/* A deadline stops the match: one not reached changes nothing, one
 * passed leaves the hits found by then (here none), says so, and makes
 * the total an estimate. */
static void test_deadline(void)
{
    xap_db *db = open_corpus();
    xap_search_opts o;
    xap_mset *m = NULL;
    uint32_t est, lo, hi;
    tt_err e = {0};
    if (!db)
        return;
    xap_search_opts_init(&o);
    o.deadline = tt_now() + 3600;
    T_EQ_STR(ids(db, xap_q_op2(XAP_OP_AND, term("quick"), term("fox")), &o),
             "2,5,1");
    o.sort_slot = 0;
    o.sort_ascending = 1;
    T_EQ_STR(ids(db, xap_q_value_range(0, NULL, 0, NULL, 0), &o),
             "2,3,1,5,4");
    xap_query *q = xap_q_op2(XAP_OP_OR, term("quick"), term("dog"));
    T_OK(xap_search(db, q, 0, 10, &o, &m, &e), e);
    T_CHECK(!xap_mset_cut(m));
    xap_mset_total(m, &est, &lo, &hi);
    T_EQ_INT(lo, hi);
    xap_mset_free(m);
    m = NULL;
    /* passed: cut at once */
    o.deadline = tt_now() - 1;
    T_OK(xap_search(db, q, 0, 10, &o, &m, &e), e);
    T_CHECK(xap_mset_cut(m));
    T_EQ_INT(xap_mset_size(m), 0);
    xap_mset_total(m, &est, &lo, &hi);
    T_CHECK(lo < hi);
    xap_mset_free(m);
    xap_q_free(q);
    xap_db_close(db);
}

/* A writer that commits twice at each term a reader delivers: the
 * reader's revision is discarded again and again. */
typedef struct churn {
    xap_wdb *w;
    unsigned calls, commits;
    int fail; /* a write failed */
} churn;

#define CHURN_TERMS 400

static xap_doc *churn_doc(unsigned gen)
{
    xap_doc *d = xap_doc_new();
    char t[240];
    xap_doc_add_boolean_term(d, "Qchurn", 6);
    for (unsigned i = 0; i < CHURN_TERMS; i++) {
        /* long terms: a few to a block, so a walk crosses many */
        memset(t, 'x', sizeof t);
        snprintf(t, 16, "T%05u", i);
        t[strlen(t)] = 'x';
        xap_doc_add_term(d, t, 200, 1 + (gen + i) % 7);
    }
    return d;
}

static int churn_term(void *arg, const char *term, size_t len, uint32_t tf)
{
    churn *c = arg;
    tt_err e = {0};
    (void)term, (void)len, (void)tf;
    c->calls++;
    for (int k = 0; k < 2 && !c->fail; k++) {
        xap_doc *d = churn_doc(++c->commits);
        c->fail = xap_wdb_replace(c->w, "Qchurn", 6, d, NULL, &e) ||
                  xap_wdb_commit(c->w, &e);
        xap_doc_free(d);
    }
    return c->fail;
}

static int count_term(void *arg, const char *term, size_t len, uint32_t tf)
{
    (void)term, (void)len, (void)tf;
    ++*(unsigned *)arg;
    return 0;
}

/* A reader whose revision a writer discards reopens and retries, up to
 * XAP_RETRIES runs; a writer that never stops makes it give up, saying
 * so (TT_ECHANGED, xap_db_changed), and the next read, undisturbed,
 * succeeds. */
static void test_retry_bounded(void)
{
    char p[512];
    tt_err e = {0};
    churn c = {0};
    xap_db *db = NULL;
    path(p, sizeof p, "churn");
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_OVERWRITE | XAP_NOSYNC, &c.w, &e),
         e);
    if (!c.w)
        return;
    xap_doc *d = churn_doc(0);
    T_OK(xap_wdb_replace(c.w, "Qchurn", 6, d, NULL, &e), e);
    xap_doc_free(d);
    T_OK(xap_wdb_commit(c.w, &e), e);
    db = open1(p);
    if (db) {
        int rc = xap_db_allterms(db, "T", 1, churn_term, &c, &e);
        T_CHECK(!c.fail);
        T_EQ_INT(rc, TT_ECHANGED);
        T_EQ_INT(xap_db_changed(db), XAP_RETRIES);
        T_CHECK(xap_db_generation(db) >= XAP_RETRIES - 1);
        unsigned n = 0;
        T_OK(xap_db_allterms(db, "T", 1, count_term, &n, &e), e);
        T_EQ_INT(n, CHURN_TERMS);
        T_EQ_INT(xap_db_changed(db), 0);
    }
    xap_db_close(db);
    T_OK(xap_wdb_close(c.w, &e), e);
}

static void test_sort_collapse_facets(void)
{
    tt_err e = {0};
    xap_db *db = open_corpus();
    if (!db)
        return;
    xap_search_opts o;
    xap_search_opts_init(&o);
    o.sort_slot = 0;
    o.sort_ascending = 1;
    T_EQ_STR(ids(db, xap_q_all(), &o), "2,3,1,5,4");
    o.sort_ascending = 0;
    T_EQ_STR(ids(db, xap_q_all(), &o), "4,5,1,3,2");

    /* one hit per category, the earliest of each */
    o.sort_ascending = 1;
    o.collapse_slot = 1;
    o.check_at_least = 100;
    unsigned slots[2] = {1, 0};
    o.facet_slots = slots;
    o.nfacets = 2;
    xap_query *q = xap_q_all();
    xap_mset *m = NULL;
    T_OK(xap_search(db, q, 0, 10, &o, &m, &e), e);
    T_EQ_INT(xap_mset_size(m), 3);
    T_EQ_INT(xap_mset_docid(m, 0), 2);
    T_EQ_INT(xap_mset_docid(m, 1), 3);
    T_EQ_INT(xap_mset_docid(m, 2), 5);
    T_EQ_INT(xap_mset_collapse_count(m, 0), 1);
    T_EQ_INT(xap_mset_collapse_count(m, 1), 1);
    T_EQ_INT(xap_mset_collapse_count(m, 2), 0);
    size_t len = 0;
    T_EQ_STR(xap_mset_value(m, 0, 1, &len), "news");
    T_EQ_INT(len, 4);
    T_EQ_STR(xap_mset_data(m, 1, &len), "data:c");
    T_EQ_STR(xap_mset_value(m, 1, 7, &len), ""); /* unset slot */
    T_EQ_INT(len, 0);
    T_EQ_STR(xap_mset_data(m, 99, &len), ""); /* out of range */
    T_EQ_INT(xap_mset_docid(m, 99), 0);
    xap_mset_free(m);

    /* facets: count desc, then value; without collapse every doc counts */
    o.collapse_slot = -1;
    o.facet_limit = 0;
    m = NULL;
    T_OK(xap_search(db, q, 0, 10, &o, &m, &e), e);
    uint32_t c = 0, est = 0, lo = 0, hi = 0;
    xap_mset_total(m, &est, &lo, &hi);
    T_EQ_INT(est, 5);
    T_EQ_INT(lo, 5);
    T_EQ_INT(hi, 5);
    T_EQ_INT(xap_mset_facet_size(m, 0), 3);
    T_EQ_STR(xap_mset_facet_value(m, 0, 0, &len, &c), "news");
    T_EQ_INT(c, 2);
    T_EQ_STR(xap_mset_facet_value(m, 0, 1, &len, &c), "sport");
    T_EQ_INT(c, 2);
    T_EQ_STR(xap_mset_facet_value(m, 0, 2, &len, &c), "world");
    T_EQ_INT(c, 1);
    T_EQ_INT(xap_mset_facet_size(m, 1), 5);
    T_EQ_STR(xap_mset_facet_value(m, 1, 0, &len, &c), "2024-01-01");
    T_EQ_INT(c, 1);
    T_EQ_INT(xap_mset_facet_size(m, 2), 0); /* no such facet */
    xap_mset_free(m);

    o.facet_limit = 2;
    o.nfacets = 1;
    m = NULL;
    T_OK(xap_search(db, q, 0, 10, &o, &m, &e), e);
    T_EQ_INT(xap_mset_facet_size(m, 0), 2);
    T_EQ_STR(xap_mset_facet_value(m, 0, 1, &len, &c), "sport");
    xap_mset_free(m);
    xap_q_free(q);

    /* facets of a query's matches only: fox is in docs 1, 2, 5 */
    o.facet_limit = 0;
    q = term("fox");
    m = NULL;
    T_OK(xap_search(db, q, 0, 10, &o, &m, &e), e);
    T_EQ_INT(xap_mset_facet_size(m, 0), 3);
    T_EQ_STR(xap_mset_facet_value(m, 0, 0, &len, &c), "news");
    T_EQ_INT(c, 1);
    T_CHECK(!xap_mset_facets_grouped(m));
    xap_mset_free(m);

    /* facets by group (slot 1): the matches sharing a category count once
     * in it; a group's members count once in each date they have (all
     * different here); matches without a group value count alone */
    {
        static const unsigned gslots[2] = {1, 0};
        static const char *const cats[3] = {"news", "sport", "world"};
        xap_search_opts go;
        xap_search_opts_init(&go);
        go.check_at_least = 100;
        go.facet_slots = gslots;
        go.nfacets = 2;
        go.facet_group_slot = 1;
        xap_query *all = xap_q_all();
        m = NULL;
        T_OK(xap_search(db, all, 0, 10, &go, &m, &e), e);
        T_CHECK(xap_mset_facets_grouped(m));
        T_EQ_INT(xap_mset_facet_size(m, 0), 3);
        for (size_t j = 0; j < 3; j++) {
            T_EQ_STR(xap_mset_facet_value(m, 0, j, &len, &c), cats[j]);
            T_EQ_INT(c, 1);
        }
        T_EQ_INT(xap_mset_facet_size(m, 1), 5);
        for (size_t j = 0; j < 5; j++) {
            xap_mset_facet_value(m, 1, j, &len, &c);
            T_EQ_INT(c, 1);
        }
        xap_mset_free(m);
        go.facet_group_slot = 7; /* no document fills it */
        m = NULL;
        T_OK(xap_search(db, all, 0, 10, &go, &m, &e), e);
        T_EQ_STR(xap_mset_facet_value(m, 0, 0, &len, &c), "news");
        T_EQ_INT(c, 2);
        T_EQ_STR(xap_mset_facet_value(m, 0, 2, &len, &c), "world");
        T_EQ_INT(c, 1);
        xap_mset_free(m);
        xap_q_free(all);
    }

    /* chosen values only, read slot by slot in docid order while the hits
     * come newest first: each hit gets its own document's values, and ""
     * for a slot it does not fill */
    {
        static const unsigned vslots[3] = {1, 7, 0};
        xap_search_opts vo;
        xap_search_opts_init(&vo);
        vo.sort_slot = 0;
        vo.skip_data = 1;
        vo.value_slots = vslots;
        vo.nvalue_slots = 3;
        xap_query *all = xap_q_all();
        m = NULL;
        T_OK(xap_search(db, all, 0, 10, &vo, &m, &e), e);
        xap_q_free(all);
        T_EQ_INT(xap_mset_size(m), 5);
        T_EQ_INT(xap_mset_docid(m, 0), 4);
        for (size_t i = 0; i < xap_mset_size(m); i++) {
            for (size_t k = 0; k < 3; k++) {
                char *v = NULL;
                size_t vlen = 0;
                T_OK(xap_db_doc_value(db, xap_mset_docid(m, i), vslots[k], &v,
                                      &vlen, &e),
                     e);
                T_EQ_STR(xap_mset_value(m, i, vslots[k], &len), v);
                T_EQ_INT(len, vlen);
                free(v);
            }
            T_EQ_STR(xap_mset_data(m, i, &len), ""); /* data skipped */
        }
        T_EQ_STR(xap_mset_value(m, 0, 0, &len), "2024-01-05");
        xap_mset_free(m);
        uint32_t freq = 99;
        T_OK(xap_db_value_freq(db, 1, &freq, &e), e);
        T_EQ_INT(freq, 5);
        T_OK(xap_db_value_freq(db, 7, &freq, &e), e);
        T_EQ_INT(freq, 0);
    }

    /* paging */
    m = NULL;
    T_OK(xap_search(db, q, 1, 1, NULL, &m, &e), e);
    T_EQ_INT(xap_mset_size(m), 1);
    T_EQ_INT(xap_mset_docid(m, 0), 5);
    xap_mset_free(m);
    xap_q_free(q);
    xap_db_close(db);
}

static void test_weights(void)
{
    tt_err e = {0};
    xap_db *db = open_corpus();
    if (!db)
        return;
    xap_query *q = term("fox");
    xap_mset *m1 = NULL, *m2 = NULL, *m3 = NULL;
    T_OK(xap_search(db, q, 0, 10, NULL, &m1, &e), e);
    q = xap_q_scale(q, 2.0);
    T_OK(xap_search(db, q, 0, 10, NULL, &m2, &e), e);
    T_CHECK(xap_q_scale(q, -1.0) == q); /* rejected, unchanged */
    T_CHECK(xap_q_scale(NULL, 2.0) == NULL);
    xap_search_opts o;
    xap_search_opts_init(&o);
    o.bm25_k1 = 2.0;
    o.bm25_b = 0.9;
    T_OK(xap_search(db, q, 0, 10, &o, &m3, &e), e);
    T_EQ_INT(xap_mset_size(m1), 3);
    T_EQ_INT(xap_mset_size(m2), 3);
    T_EQ_INT(xap_mset_size(m3), 3);
    double w1 = xap_mset_weight(m1, 0), w2 = xap_mset_weight(m2, 0);
    T_CHECK(w1 > 0);
    T_CHECK(w2 > 1.99 * w1 && w2 < 2.01 * w1);
    T_CHECK(xap_mset_weight(m3, 0) != w2);
    /* b = 0: no length normalisation; docs 1 and 5 (shorter) have fox
     * once each: a tie, in docid order */
    xap_search_opts_init(&o);
    T_EQ_STR(ids(db, term("fox"), &o), "2,5,1");
    o.bm25_b = 0;
    T_EQ_STR(ids(db, term("fox"), &o), "2,1,5");
    o.bm25_b = 2.0;
    xap_mset *bad = NULL;
    T_EQ_INT(xap_search(db, q, 0, 10, &o, &bad, &e), TT_EINVAL);
    T_CHECK(bad == NULL);
    xap_mset_free(m1);
    xap_mset_free(m2);
    xap_mset_free(m3);

    char *desc = xap_q_describe(q);
    T_CHECK(strstr(desc, "fox") != NULL);
    free(desc);
    xap_query *c = xap_q_copy(q);
    T_CHECK(c != NULL && c != q);
    T_CHECK(!xap_q_is_empty(c));
    xap_q_free(c);
    T_CHECK(xap_q_copy(NULL) == NULL);
    T_CHECK(xap_q_is_empty(NULL));
    xap_q_free(q);
    xap_db_close(db);
}

/* "Same" searches for the top limit: the same docids in the same order,
 * the same weights and the same totals (a and b are freed).  A small
 * limit lets Xapian prune (an AND_MAYBE turns into an AND, an OR into an
 * AND_MAYBE), which reaches other methods of the posting lists. */
static void same_top(xap_db *db, xap_query *a, xap_query *b,
                     const xap_search_opts *o, uint32_t limit, size_t expect)
{
    tt_err e = {0};
    xap_mset *ma = NULL, *mb = NULL;
    T_CHECK(a != NULL && b != NULL);
    T_OK(xap_search(db, a, 0, limit, o, &ma, &e), e);
    T_OK(xap_search(db, b, 0, limit, o, &mb, &e), e);
    xap_q_free(a);
    xap_q_free(b);
    if (!ma || !mb) {
        xap_mset_free(ma);
        xap_mset_free(mb);
        return;
    }
    T_EQ_INT(xap_mset_size(ma), expect);
    T_EQ_INT(xap_mset_size(mb), xap_mset_size(ma));
    uint32_t ea, la, ua, eb, lb, ub;
    xap_mset_total(ma, &ea, &la, &ua);
    xap_mset_total(mb, &eb, &lb, &ub);
    T_EQ_INT(eb, ea);
    T_EQ_INT(lb, la);
    T_EQ_INT(ub, ua);
    int diff = 0;
    for (size_t i = 0; i < xap_mset_size(ma) && i < xap_mset_size(mb); i++) {
        double wa = xap_mset_weight(ma, i), wb = xap_mset_weight(mb, i);
        if (xap_mset_docid(ma, i) != xap_mset_docid(mb, i) ||
            wa - wb > 1e-9 * wa || wb - wa > 1e-9 * wa) {
            if (!diff++)
                fprintf(stderr, "  hit %zu: docid %u weight %.12g, cached: "
                        "docid %u weight %.12g\n", i, xap_mset_docid(ma, i),
                        wa, xap_mset_docid(mb, i), wb);
        }
    }
    T_EQ_INT(diff, 0);
    xap_mset_free(ma);
    xap_mset_free(mb);
}

static void same_search(xap_db *db, xap_query *a, xap_query *b,
                        const xap_search_opts *o, size_t expect)
{
    same_top(db, a, b, o, 1000, expect);
}

/* Shard k of n of the posting-cache corpus: article i (1..300) has "often"
 * in two thirds of the articles (i % 3 != 0), as often as i % 7 + 1 (300
 * times in article 150: more than a byte holds), "rare" in every 29th (7
 * of them with "often"), "also" in every other, as often as i % 5 + 1,
 * "word" in all. */
static void build_often(const char *p, int k, int n, int from, int to)
{
    tt_err e = {0};
    xap_wdb *w = NULL;
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    sbuf text = {0};
    for (int i = from; i <= to; i++) {
        if (i % n != k)
            continue;
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        sbuf_reset(&text);
        sbuf_adds(&text, "word");
        if (i % 3)
            for (int j = 0; j < (i == 150 ? 300 : i % 7 + 1); j++)
                sbuf_adds(&text, " often");
        if (i % 29 == 0)
            sbuf_adds(&text, " rare");
        if (i % 2)
            for (int j = 0; j < i % 5 + 1; j++)
                sbuf_adds(&text, " also");
        T_OK(put(w, id, text.s, NULL, NULL, &e), e);
    }
    sbuf_free(&text);
    T_OK(xap_wdb_close(w, &e), e);
}

static xap_query *cached(xap_db *db, const char *t)
{
    return xap_q_term_cached(db, t, strlen(t), 1.0, 1.0, 0.5);
}

static void test_cached_term(void)
{
    char p[512], a[512], b[512];
    tt_err e = {0};
    path(p, sizeof p, "often");
    build_often(p, 0, 1, 1, 300);
    xap_db *db = open1(p);
    if (!db)
        return;
    xap_search_opts o;
    xap_search_opts_init(&o);
    o.bm25_k1 = 1.0;
    o.bm25_b = 0;
    /* no cache: never; then not the first time, nor a term in fewer than
     * min_share of the documents */
    xap_cache_stats st;
    T_CHECK(cached(db, "often") == NULL);
    T_EQ_INT(xap_db_cache_stats(db, &st), 0);
    xap_db_cache_postings(db, 1 << 20);
    T_CHECK(cached(db, "often") == NULL);
    T_CHECK(cached(db, "rare") == NULL);
    T_CHECK(cached(db, "rare") == NULL);
    T_CHECK(cached(db, "missing") == NULL);
    T_CHECK(cached(db, "") == NULL);
    /* the same matches, order, weights and totals as the term itself:
     * alone, in an AND led by a rarer term (check), in an OR (skip_to),
     * weighted up by another, and scaled */
    same_search(db, term("often"), cached(db, "often"), &o, 200);
    same_search(db, xap_q_op2(XAP_OP_AND, term("rare"), term("often")),
                xap_q_op2(XAP_OP_AND, term("rare"), cached(db, "often")), &o,
                7);
    /* the statistics: one list decoded once, then found */
    T_EQ_INT(xap_db_cache_stats(db, &st), 1);
    T_CHECK(st.lists == 1 && st.decodes == 1 && st.hits >= 1 &&
            st.evictions == 0);
    T_CHECK(st.bytes > 0 && st.bytes <= st.budget && st.budget == 1 << 20);
    same_search(db, xap_q_op2(XAP_OP_OR, term("rare"), term("often")),
                xap_q_op2(XAP_OP_OR, term("rare"), cached(db, "often")), &o,
                203);
    same_search(db, xap_q_op2(XAP_OP_AND_MAYBE, term("word"), term("often")),
                xap_q_op2(XAP_OP_AND_MAYBE, term("word"),
                          cached(db, "often")),
                &o, 300);
    /* weighted up by an OR that has it: the AND_MAYBE checks the OR,
     * which reads each child's docid whatever its check said */
    same_search(db,
                xap_q_op2(XAP_OP_AND_MAYBE, term("word"),
                          xap_q_op2(XAP_OP_OR, term("rare"), term("often"))),
                xap_q_op2(XAP_OP_AND_MAYBE, term("word"),
                          xap_q_op2(XAP_OP_OR, term("rare"),
                                    cached(db, "often"))),
                &o, 300);
    /* an OR checked by an AND it does not lead: it reads each child's
     * docid whatever the child's check said */
    same_search(db,
                xap_q_op2(XAP_OP_AND, term("rare"),
                          xap_q_op2(XAP_OP_OR, term("often"), term("Q87"))),
                xap_q_op2(XAP_OP_AND, term("rare"),
                          xap_q_op2(XAP_OP_OR, cached(db, "often"),
                                    term("Q87"))),
                &o, 8);
    /* the shape of a search's query: an AND of words, weighted up by an
     * OR of their (scaled) title terms, pruned down to a short page */
    T_CHECK(cached(db, "also") == NULL); /* asked once */
    for (uint32_t top = 1; top <= 16; top += 5) {
        xap_query *q[2];
        for (int k = 0; k < 2; k++)
            q[k] = xap_q_op2(
                XAP_OP_AND_MAYBE,
                xap_q_op2(XAP_OP_AND, k ? cached(db, "often") : term("often"),
                          term("word")),
                xap_q_op2(XAP_OP_OR,
                          k ? xap_q_term_cached(db, "also", 4, 3.0, 1.0, 0.5)
                            : xap_q_scale(term("also"), 3.0),
                          xap_q_scale(term("rare"), 3.0)));
        same_top(db, q[0], q[1], &o, top, top);
    }
    for (uint32_t top = 1; top <= 12; top += 11)
        same_top(db,
                 xap_q_op2(XAP_OP_AND_MAYBE, term("word"),
                           xap_q_op2(XAP_OP_OR, xap_q_scale(term("rare"), 9),
                                     term("often"))),
                 xap_q_op2(XAP_OP_AND_MAYBE, term("word"),
                           xap_q_op2(XAP_OP_OR,
                                     xap_q_scale(term("rare"), 9),
                                     cached(db, "often"))),
                 &o, top, top);
    same_search(db, xap_q_scale(term("often"), 3.0),
                xap_q_term_cached(db, "often", 5, 3.0, 1.0, 0.5), &o, 200);
    same_search(db, xap_q_op2(XAP_OP_AND_NOT, term("word"), term("often")),
                xap_q_op2(XAP_OP_AND_NOT, term("word"), cached(db, "often")),
                &o, 100);
    xap_query *c = cached(db, "often");
    char *desc = xap_q_describe(c);
    T_CHECK(strstr(desc, "often") != NULL);
    free(desc);
    xap_q_free(c);

    /* a new revision: its own list, with the new article */
    xap_wdb *w = NULL;
    T_OK(xap_wdb_open(p, XAP_NOSYNC, &w, &e), e);
    T_OK(put(w, "301", "often rare", NULL, NULL, &e), e);
    T_OK(xap_wdb_close(w, &e), e);
    T_OK(xap_db_reopen(db, NULL, &e), e);
    same_search(db, term("often"), cached(db, "often"), &o, 201);

    /* a budget smaller than a list: decoded each time, still right */
    uint64_t decodes = (xap_db_cache_stats(db, &st), st.decodes);
    xap_db_cache_postings(db, 16);
    same_search(db, term("often"), cached(db, "often"), &o, 201);
    T_EQ_INT(xap_db_cache_stats(db, &st), 1);
    T_CHECK(st.lists == 0 && st.bytes == 0 && st.evictions >= 1 &&
            st.decodes > decodes);
    xap_db_cache_postings(db, 0);
    T_CHECK(cached(db, "often") == NULL);
    T_EQ_INT(xap_db_cache_stats(db, &st), 0);
    xap_db_close(db);

    /* several dbs: each shard's list, in the combined docids */
    path(a, sizeof a, "often-a");
    path(b, sizeof b, "often-b");
    build_often(a, 0, 2, 1, 300);
    build_often(b, 1, 2, 1, 300);
    const char *both[] = {a, b};
    db = NULL;
    T_OK(xap_db_open(both, 2, &db, &e), e);
    if (!db)
        return;
    xap_db_cache_postings(db, 1 << 20);
    T_CHECK(cached(db, "often") == NULL);
    same_search(db, term("often"), cached(db, "often"), &o, 200);
    same_search(db, xap_q_op2(XAP_OP_AND, term("rare"), term("often")),
                xap_q_op2(XAP_OP_AND, term("rare"), cached(db, "often")), &o,
                7);
    xap_db_close(db);
}

static void test_positions(void)
{
    tt_err e = {0};
    xap_db *db = open_corpus();
    xap_poslist *pl = NULL;
    if (!db)
        return;
    /* doc 1: "the quick brown fox"; doc 2: "quick fox fox fox"; the
     * documents out of docid order, and one missing */
    static const char *const terms[] = {"fox", "quick", "dog", "brown"};
    static const xap_docid ids[] = {2, 1, 99};
    static const char *const want[4][3] = {
        {"2 3 4", "4", ""}, /* fox */
        {"1", "2", ""},     /* quick */
        {"", "", ""},       /* dog: nowhere */
        {"", "3", ""},      /* brown */
    };
    T_OK(xap_db_positions(db, ids, 3, terms, 4, &pl, &e), e);
    for (size_t t = 0; pl && t < 4; t++)
        for (size_t j = 0; j < 3; j++) {
            char got[64] = "";
            size_t len = 0;
            const xap_poslist *l = &pl[t * 3 + j];
            for (size_t k = 0; k < l->n; k++)
                len += (size_t)snprintf(got + len, sizeof got - len, "%s%u",
                                        k ? " " : "", l->pos[k]);
            T_EQ_STR(got, want[t][j]);
        }
    xap_poslists_free(pl, 4 * 3);
    static const xap_docid zero[] = {1, 0};
    T_EQ_INT(xap_db_positions(db, zero, 2, terms, 1, &pl, &e), TT_EINVAL);
    T_CHECK(pl == NULL);
    /* nothing to read is no error */
    T_OK(xap_db_positions(db, ids, 0, terms, 4, &pl, &e), e);
    xap_poslists_free(pl, 0);
    xap_db_close(db);
}

/* The match's term frequencies: the query's terms, as the db counts them;
 * any other term unknown. */
static void test_mset_termfreq(void)
{
    tt_err e = {0};
    xap_db *db = open_corpus();
    xap_mset *m = NULL;
    uint32_t tf = 99, want = 0;
    if (!db)
        return;
    /* doc 1: "the quick brown fox"; doc 2: "quick fox fox fox" */
    xap_query *q = xap_q_op2(XAP_OP_AND, term("quick"),
                             xap_q_op2(XAP_OP_OR, term("brown"), term("dog")));
    T_OK(xap_search(db, q, 0, 10, NULL, &m, &e), e);
    xap_q_free(q);
    static const char *const in_query[] = {"quick", "brown", "dog"};
    for (size_t i = 0; i < 3; i++) {
        T_EQ_INT(xap_mset_termfreq(m, in_query[i], strlen(in_query[i]), &tf),
                 1);
        T_OK(xap_db_termfreq(db, in_query[i], strlen(in_query[i]), &want, &e),
             e);
        T_EQ_INT(tf, want);
    }
    T_EQ_INT(xap_mset_termfreq(m, "fox", 3, &tf), 0); /* not asked */
    T_EQ_INT(tf, 0);
    T_EQ_INT(xap_mset_termfreq(NULL, "quick", 5, &tf), 0);
    xap_mset_free(m);
    xap_db_close(db);
}

/* Search q (freed) with o; the weight of document id in *w (0 when it is
 * not a hit); returns the number of hits. */
static size_t weight_of(xap_db *db, xap_query *q, const xap_search_opts *o,
                        xap_docid id, double *w)
{
    tt_err e = {0};
    xap_mset *m = NULL;
    size_t n;
    *w = 0;
    T_OK(xap_search(db, q, 0, 10, o, &m, &e), e);
    xap_q_free(q);
    n = xap_mset_size(m);
    for (size_t i = 0; i < n; i++)
        if (xap_mset_docid(m, i) == id)
            *w = xap_mset_weight(m, i);
    xap_mset_free(m);
    return n;
}

/* A weight cutoff keeps the hits weighing at least that much.  BM25's k3
 * weighs a term by its within-query frequency: by 2 * wqf / (1 + wqf) with
 * k3 = 1 (the default), not at all with k3 = 0.  Xapian takes each leaf's
 * own wqf: a term written twice weighs twice, either way. */
static void test_cutoff_and_k3(void)
{
    xap_db *db = open_corpus();
    xap_search_opts o;
    double w1, w2, w;
    if (!db)
        return;
    /* doc 1: "the quick brown fox", doc 2: "quick fox fox fox", doc 5:
     * "fox brown quick"; b = 0: the first and the last weigh the same */
    xap_search_opts_init(&o);
    o.bm25_b = 0;
    T_EQ_INT(weight_of(db, term("fox"), &o, 1, &w1), 3);
    T_EQ_INT(weight_of(db, term("fox"), &o, 2, &w2), 3);
    T_CHECK(w2 > w1 && w1 > 0);
    o.weight_cutoff = (w1 + w2) / 2;
    T_EQ_INT(weight_of(db, term("fox"), &o, 2, &w), 1);
    T_CHECK(w == w2);
    o.weight_cutoff = w2;
    T_EQ_INT(weight_of(db, term("fox"), &o, 2, &w), 1); /* at least */
    o.weight_cutoff = w2 * 1.01;
    T_EQ_INT(weight_of(db, term("fox"), &o, 2, &w), 0);

    xap_search_opts_init(&o);
    o.bm25_b = 0;
    weight_of(db, xap_q_term("fox", 3, 2, 0), &o, 1, &w);
    T_CHECK(w > w1 * 4 / 3 * (1 - 1e-12) && w < w1 * 4 / 3 * (1 + 1e-12));
    weight_of(db, xap_q_op2(XAP_OP_OR, term("fox"), term("fox")), &o, 1, &w);
    T_CHECK(w > 2 * w1 * (1 - 1e-12) && w < 2 * w1 * (1 + 1e-12));
    o.bm25_k3 = 0;
    weight_of(db, xap_q_term("fox", 3, 2, 0), &o, 1, &w);
    T_CHECK(w > w1 * (1 - 1e-12) && w < w1 * (1 + 1e-12));
    xap_db_close(db);
}

static void test_data_values_nul(void)
{
    char p[512];
    tt_err e = {0};
    xap_wdb *w = NULL;
    static const char data[] = "a\0b\0c";       /* 5 bytes */
    static const char val[] = "\0x\0";          /* 3 bytes */

    path(p, sizeof p, "nul");
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    xap_doc *d = xap_doc_new();
    xap_doc_add_boolean_term(d, "Q1", 2);
    xap_doc_add_posting(d, "t\0z", 3, 1, 1);
    xap_doc_add_term(d, "plain", 5, 2);
    xap_doc_add_term(d, "", 0, 1); /* ignored */
    xap_doc_set_data(d, data, 5);
    xap_doc_set_value(d, 3, val, 3);
    xap_doc_set_value(d, 4, "gone", 4);
    xap_doc_set_value(d, 4, "", 0); /* removes */
    xap_docid id = 0;
    T_OK(xap_wdb_replace(w, "Q1", 2, d, &id, &e), e);
    xap_doc_free(d);
    T_OK(xap_wdb_close(w, &e), e);

    xap_db *db = open1(p);
    char *s = NULL;
    size_t len = 0;
    T_OK(xap_db_doc_data(db, id, &s, &len, &e), e);
    T_EQ_INT(len, 5);
    T_CHECK(s && memcmp(s, data, 5) == 0 && s[5] == '\0');
    free(s);
    T_OK(xap_db_doc_value(db, id, 3, &s, &len, &e), e);
    T_EQ_INT(len, 3);
    T_CHECK(s && memcmp(s, val, 3) == 0);
    free(s);
    T_OK(xap_db_doc_value(db, id, 4, &s, &len, &e), e);
    T_EQ_INT(len, 0);
    T_EQ_STR(s, "");
    free(s);
    T_EQ_INT(xap_db_doc_data(db, 999, &s, &len, &e), TT_ENOTFOUND);
    T_CHECK(s == NULL);
    T_EQ_INT(xap_db_doc_data(db, 0, &s, &len, &e), TT_EINVAL);

    uint32_t n = 0;
    T_OK(xap_db_termfreq(db, "t\0z", 3, &n, &e), e);
    T_EQ_INT(n, 1);
    T_OK(xap_db_termfreq(db, "t", 1, &n, &e), e);
    T_EQ_INT(n, 0);

    xap_query *q = xap_q_term("t\0z", 3, 1, 0);
    xap_mset *m = NULL;
    T_OK(xap_search(db, q, 0, 10, NULL, &m, &e), e);
    T_EQ_INT(xap_mset_size(m), 1);
    const char *md = xap_mset_data(m, 0, &len);
    T_EQ_INT(len, 5);
    T_CHECK(memcmp(md, data, 5) == 0);
    const char *mv = xap_mset_value(m, 0, 3, &len);
    T_EQ_INT(len, 3);
    T_CHECK(memcmp(mv, val, 3) == 0);
    xap_mset_free(m);
    xap_q_free(q);
    xap_db_close(db);
}

static void test_metadata(void)
{
    char p[512];
    tt_err e = {0};
    xap_wdb *w = NULL;
    char *v = NULL;
    size_t len = 0;

    path(p, sizeof p, "meta");
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    T_OK(xap_wdb_commit(w, &e), e);
    xap_db *db = open1(p);
    T_OK(xap_wdb_set_metadata(w, "last", "v\0 1", 4, &e), e);
    T_OK(xap_wdb_set_metadata(w, "gone", "x", 1, &e), e);
    T_OK(xap_wdb_get_metadata(w, "last", &v, &len, &e), e);
    T_EQ_INT(len, 4);
    T_CHECK(v && memcmp(v, "v\0 1", 4) == 0);
    free(v);
    T_OK(xap_db_get_metadata(db, "last", &v, &len, &e), e);
    T_EQ_INT(len, 0); /* uncommitted */
    T_EQ_STR(v, "");
    free(v);
    T_OK(xap_wdb_commit(w, &e), e);
    T_OK(xap_db_reopen(db, NULL, &e), e);
    T_OK(xap_db_get_metadata(db, "last", &v, &len, &e), e);
    T_EQ_INT(len, 4);
    T_CHECK(v && memcmp(v, "v\0 1", 4) == 0);
    free(v);
    T_OK(xap_wdb_set_metadata(w, "gone", NULL, 0, &e), e); /* delete */
    T_OK(xap_wdb_get_metadata(w, "gone", &v, &len, &e), e);
    T_EQ_INT(len, 0);
    free(v);
    T_OK(xap_wdb_close(w, &e), e);
    T_OK(xap_db_reopen(db, NULL, &e), e);
    T_OK(xap_db_get_metadata(db, "gone", &v, &len, &e), e);
    T_EQ_INT(len, 0);
    free(v);
    xap_db_close(db);
}

struct collect {
    char buf[512];
    size_t len;
    int stop_after; /* 0 = never */
    int calls;
};

static int collect_term(void *arg, const char *t, size_t len, uint32_t n)
{
    struct collect *c = arg;
    c->len += (size_t)snprintf(c->buf + c->len, sizeof c->buf - c->len,
                               "%s%.*s=%u", c->calls ? " " : "", (int)len, t,
                               n);
    c->calls++;
    return c->stop_after && c->calls >= c->stop_after;
}

static void test_terms(void)
{
    tt_err e = {0};
    xap_db *db = open_corpus();
    if (!db)
        return;
    struct collect c = {.len = 0};
    T_OK(xap_db_allterms(db, "C", 1, collect_term, &c, &e), e);
    T_EQ_STR(c.buf, "Cnews=2 Csport=2 Cworld=1");
    memset(&c, 0, sizeof c);
    c.stop_after = 1;
    T_OK(xap_db_allterms(db, "C", 1, collect_term, &c, &e), e);
    T_EQ_STR(c.buf, "Cnews=2");
    memset(&c, 0, sizeof c);
    T_OK(xap_db_allterms(db, "zzz", 3, collect_term, &c, &e), e);
    T_EQ_INT(c.calls, 0);
    memset(&c, 0, sizeof c);
    T_OK(xap_db_allterms(db, NULL, 0, collect_term, &c, &e), e);
    T_EQ_INT(c.calls, 14); /* 5 Q + 3 C + 6 words */

    uint32_t n = 0;
    uint64_t cf = 0;
    T_OK(xap_db_termfreq(db, "fox", 3, &n, &e), e);
    T_EQ_INT(n, 3);
    T_OK(xap_db_collfreq(db, "fox", 3, &cf, &e), e);
    T_EQ_INT(cf, 5);
    T_OK(xap_db_termfreq(db, "nope", 4, &n, &e), e);
    T_EQ_INT(n, 0);

    xap_docid id = 0;
    T_OK(xap_db_find(db, "Qc", 2, &id, &e), e);
    T_EQ_INT(id, 3);
    memset(&c, 0, sizeof c);
    T_OK(xap_db_doc_terms(db, id, NULL, 0, collect_term, &c, &e), e);
    T_EQ_STR(c.buf, "Csport=0 Qc=0 brown=1 dog=1");
    memset(&c, 0, sizeof c);
    T_OK(xap_db_doc_terms(db, 2, "f", 1, collect_term, &c, &e), e);
    T_EQ_STR(c.buf, "fox=3");
    memset(&c, 0, sizeof c);
    T_EQ_INT(xap_db_doc_terms(db, 77, NULL, 0, collect_term, &c, &e),
             TT_ENOTFOUND);

    char *v = NULL;
    size_t len = 0;
    T_OK(xap_db_get_metadata(db, "corpus", &v, &len, &e), e);
    T_EQ_STR(v, "test");
    free(v);
    xap_db_close(db);
}

static void test_parse(void)
{
    tt_err e = {0};
    xap_db *db = open_corpus();
    if (!db)
        return;
    const char *prefixes[] = {"cat:C", "id:Q"};
    xap_query *q = NULL;
    T_OK(xap_q_parse(db, "quick AND cat:news", prefixes, 2, &q, &e), e);
    char *d = xap_q_describe(q);
    T_CHECK(d && strstr(d, "Cnews") != NULL);
    free(d);
    T_EQ_STR(ids(db, q, NULL), "4,2");
    q = NULL;
    T_OK(xap_q_parse(NULL, "\"quick brown\" -dog", NULL, 0, &q, &e), e);
    T_EQ_STR(ids(db, q, NULL), "1");
    q = NULL;
    T_OK(xap_q_parse(db, "fox not brown", NULL, 0, &q, &e), e); /* any case */
    T_EQ_STR(ids(db, q, NULL), "2");

    static const char *const bad[] = {"cat:(foo AND", "AND OR NOT",
                                      "NOT fox", "fox AND NOT"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        q = (xap_query *)1;
        e.msg[0] = '\0';
        T_EQ_INT(xap_q_parse(db, bad[i], prefixes, 2, &q, &e), TT_ESYNTAX);
        T_CHECK(q == NULL);
        T_CHECK(e.msg[0] != '\0');
    }
    const char *badprefix[] = {"nocolon"};
    T_EQ_INT(xap_q_parse(db, "x", badprefix, 1, &q, &e), TT_EINVAL);
    xap_db_close(db);
}

static void test_not_found(void)
{
    char p[512], p2[512];
    tt_err e = {0};
    xap_db *db = (xap_db *)1;
    path(p, sizeof p, "does-not-exist");
    const char *one[] = {p};
    T_EQ_INT(xap_db_open(one, 1, &db, &e), TT_ENOTFOUND);
    T_CHECK(db == NULL);
    T_CHECK(strstr(e.msg, p) != NULL);

    /* the message names the missing one of several */
    path(p2, sizeof p2, "corpus");
    const char *two[] = {p2, p};
    T_EQ_INT(xap_db_open(two, 2, &db, &e), TT_ENOTFOUND);
    T_CHECK(strstr(e.msg, p) != NULL);

    /* an empty directory holds no database */
    path(p, sizeof p, "emptydir");
    T_CHECK(mkdir(p, 0700) == 0);
    T_EQ_INT(xap_db_open(one, 1, &db, &e), TT_ENOTFOUND);
    T_CHECK(strstr(e.msg, p) != NULL);
    T_EQ_INT(xap_db_open(one, 0, &db, &e), TT_EINVAL);

    /* nor does a directory of other files, nor a file that is no stub
     * database (text, binary, empty: Xapian opens that as no db at all) */
    static const struct {
        const char *name, *text;
        size_t len;
    } files[] = {
        {"emptydir/notes.txt", "ghi chú\n", 9},
        {"textfile", "ghi chú\n", 9},
        {"binfile", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16},
        {"emptyfile", "", 0},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        FILE *f;
        path(p, sizeof p, files[i].name);
        f = fopen(p, "wb");
        T_CHECK(f && fwrite(files[i].text, 1, files[i].len, f) == files[i].len);
        if (f)
            fclose(f);
        if (i == 0)
            path(p, sizeof p, "emptydir");
        e.msg[0] = '\0';
        db = (xap_db *)1;
        T_EQ_INT(xap_db_open(one, 1, &db, &e), TT_ENOTFOUND);
        T_CHECK(db == NULL);
        T_CHECK(strstr(e.msg, p) != NULL);
        if (!strstr(e.msg, p))
            printf("# %s: \"%s\"\n", files[i].name, e.msg);
    }
}

static void test_locked(void)
{
    char p[512];
    tt_err e = {0};
    int ready[2], done[2];
    path(p, sizeof p, "locked");
    if (pipe(ready) != 0 || pipe(done) != 0) {
        T_CHECK(!"pipe");
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        xap_wdb *w = NULL;
        tt_err ce = {0};
        char st = xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &ce) == TT_OK
                      ? 'y' : 'n';
        close(ready[0]);
        close(done[1]);
        if (write(ready[1], &st, 1) != 1)
            _exit(2);
        char c;
        while (read(done[0], &c, 1) > 0) /* until the parent closes */
            ;
        xap_wdb_abandon(w);
        _exit(st == 'y' ? 0 : 1);
    }
    close(ready[1]);
    close(done[0]);
    char st = 0;
    T_CHECK(pid > 0);
    T_CHECK(read(ready[0], &st, 1) == 1);
    T_CHECK(st == 'y');

    xap_wdb *w = (xap_wdb *)1;
    /* no waiting: the child holds the lock until this returns (a wait
     * would hang, for tests/run.sh's timeout to catch) */
    T_EQ_INT(xap_wdb_open(p, XAP_CREATE, &w, &e), TT_ELOCKED);
    T_CHECK(w == NULL);
    T_CHECK(strstr(e.msg, p) != NULL);
    T_CHECK(strstr(e.msg, "locked") != NULL);
    /* readers are not blocked by a writer */
    xap_db *db = open1(p);
    xap_db_close(db);

    close(done[1]); /* let the child go */
    close(ready[0]);
    int status = 0;
    T_CHECK(waitpid(pid, &status, 0) == pid);
    T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    w = NULL;
    T_OK(xap_wdb_open(p, 0, &w, &e), e); /* free again */
    xap_wdb_abandon(w);
}

static int write_file(const char *p, const char *data, size_t len)
{
    FILE *f = fopen(p, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

static void test_corrupt(void)
{
    char p[512], f[600];
    tt_err e = {0};
    path(p, sizeof p, "garbage");
    T_CHECK(mkdir(p, 0700) == 0);
    snprintf(f, sizeof f, "%s/iamglass", p);
    T_CHECK(write_file(f, "this is not a glass version file\n", 33) == 0);
    const char *one[] = {p};
    xap_db *db = NULL;
    int rc = xap_db_open(one, 1, &db, &e);
    T_CHECK(rc != TT_OK);
    T_CHECK(db == NULL);
    T_CHECK(strstr(e.msg, p) != NULL);
    xap_wdb *w = NULL;
    rc = xap_wdb_open(p, 0, &w, &e);
    T_CHECK(rc != TT_OK);
    T_CHECK(w == NULL);

    /* a real db whose posting table is overwritten with garbage */
    path(p, sizeof p, "smashed");
    build_corpus(p);
    snprintf(f, sizeof f, "%s/postlist.glass", p);
    struct stat st;
    T_CHECK(stat(f, &st) == 0);
    size_t size = (size_t)st.st_size;
    char *junk = xmalloc(size);
    for (size_t i = 0; i < size; i++)
        junk[i] = (char)(i * 131 + 7);
    T_CHECK(write_file(f, junk, size) == 0);
    free(junk);
    db = NULL;
    rc = xap_db_open(one, 1, &db, &e);
    if (rc == TT_OK) { /* the damage may only show when reading */
        xap_query *q = term("fox");
        xap_mset *m = NULL;
        rc = xap_search(db, q, 0, 10, NULL, &m, &e);
        T_CHECK(rc != TT_OK);
        T_CHECK(m == NULL);
        xap_q_free(q);
        xap_db_close(db);
    }
    T_CHECK(rc != TT_OK);
    T_CHECK(e.msg[0] != '\0');
}

static void test_multi_db(void)
{
    char a[512], b[512];
    tt_err e = {0};
    xap_wdb *w = NULL;
    path(a, sizeof a, "shard-a");
    path(b, sizeof b, "shard-b");
    T_OK(xap_wdb_open(a, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    T_OK(put(w, "a1", "pho bo", NULL, NULL, &e), e);
    T_OK(put(w, "a2", "bun cha", NULL, NULL, &e), e);
    T_OK(xap_wdb_set_metadata(w, "shard", "a", 1, &e), e);
    T_OK(xap_wdb_close(w, &e), e);
    w = NULL;
    T_OK(xap_wdb_open(b, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    T_OK(put(w, "b1", "pho ga", NULL, NULL, &e), e);
    T_OK(xap_wdb_set_metadata(w, "shard", "b", 1, &e), e);
    T_OK(xap_wdb_close(w, &e), e);

    const char *both[] = {a, b};
    xap_db *db = NULL;
    T_OK(xap_db_open(both, 2, &db, &e), e);
    if (!db)
        return;
    uint32_t n = 0;
    T_OK(xap_db_doccount(db, &n, &e), e);
    T_EQ_INT(n, 3);
    T_OK(xap_db_termfreq(db, "pho", 3, &n, &e), e);
    T_EQ_INT(n, 2);
    xap_docid id = 0;
    T_OK(xap_db_find(db, "Qb1", 3, &id, &e), e);
    T_EQ_INT(id, 2); /* shard b's doc 1 */
    char *v = NULL;
    size_t len = 0;
    T_OK(xap_db_doc_data(db, id, &v, &len, &e), e);
    T_EQ_STR(v, "data:b1");
    free(v);
    T_OK(xap_db_get_metadata(db, "shard", &v, &len, &e), e);
    T_EQ_STR(v, "a"); /* the first db's */
    free(v);
    T_EQ_STR(ids(db, term("pho"), NULL), "1,2"); /* a tie: by docid */
    /* docids of several dbs cannot be named in a query */
    T_CHECK(xap_q_docids(db, &id, 1) == NULL);
    /* hits without their data, with only the values asked for */
    xap_search_opts o;
    xap_search_opts_init(&o);
    unsigned none[1];
    o.skip_data = 1;
    o.value_slots = none;
    xap_query *q = term("pho");
    xap_mset *m = NULL;
    T_OK(xap_search(db, q, 0, 10, &o, &m, &e), e);
    T_EQ_INT(xap_mset_size(m), 2);
    T_EQ_STR(xap_mset_data(m, 0, &len), "");
    xap_mset_free(m);
    xap_q_free(q);
    xap_db_close(db);
}

/* Data of each hit of q, in order (q is not freed). */
static const char *hit_data(xap_db *db, const xap_query *q, char *buf,
                            size_t cap)
{
    tt_err e = {0};
    xap_mset *m = NULL;
    buf[0] = '\0';
    if (xap_search(db, q, 0, 100, NULL, &m, &e) != TT_OK) {
        snprintf(buf, cap, "error %.200s", e.msg);
        return buf;
    }
    size_t len = 0;
    for (size_t i = 0; i < xap_mset_size(m); i++) {
        size_t dl = 0;
        const char *d = xap_mset_data(m, i, &dl);
        len += (size_t)snprintf(buf + len, cap - len, "%s%.*s", i ? "," : "",
                                (int)dl, d);
    }
    xap_mset_free(m);
    return buf;
}

static void test_compact(void)
{
    char src[512], dst[512], a[512], b[512], dst2[512];
    tt_err e = {0};
    path(src, sizeof src, "corpus");
    path(dst, sizeof dst, "compacted");
    const char *one[] = {src};
    T_OK(xap_compact(one, 1, dst, &e), e);

    xap_db *d1 = open1(src), *d2 = open1(dst);
    if (!d1 || !d2)
        goto done;
    uint32_t n1 = 0, n2 = 0;
    T_OK(xap_db_doccount(d1, &n1, &e), e);
    T_OK(xap_db_doccount(d2, &n2, &e), e);
    T_EQ_INT(n2, n1);
    xap_query *qs[3] = {
        xap_q_op2(XAP_OP_AND, term("quick"), term("fox")),
        xap_q_op2(XAP_OP_OR, term("dog"), term("brown")),
        xap_q_value_range(0, "2024-01-02", 10, "", 0)};
    for (int i = 0; i < 3; i++) {
        char r1[256], r2[256];
        T_EQ_STR(hit_data(d2, qs[i], r2, sizeof r2),
                 hit_data(d1, qs[i], r1, sizeof r1));
        xap_q_free(qs[i]);
    }
    char *v = NULL;
    size_t len = 0;
    T_OK(xap_db_get_metadata(d2, "corpus", &v, &len, &e), e);
    T_EQ_STR(v, "test");
    free(v);

    /* the target must be new */
    T_EQ_INT(xap_compact(one, 1, dst, &e), TT_EINVAL);
    /* merging shards */
    path(a, sizeof a, "shard-a");
    path(b, sizeof b, "shard-b");
    path(dst2, sizeof dst2, "merged");
    const char *two[] = {a, b};
    T_OK(xap_compact(two, 2, dst2, &e), e);
    xap_db *d3 = open1(dst2);
    T_OK(xap_db_doccount(d3, &n1, &e), e);
    T_EQ_INT(n1, 3);
    xap_db_close(d3);
    /* a missing source: error, and no half-made target */
    path(a, sizeof a, "no-such-shard");
    path(dst2, sizeof dst2, "merged2");
    T_EQ_INT(xap_compact(two, 2, dst2, &e), TT_ENOTFOUND);
    T_CHECK(strstr(e.msg, a) != NULL);
    struct stat st;
    T_CHECK(stat(dst2, &st) != 0);
done:
    xap_db_close(d1);
    xap_db_close(d2);
}

static int reject_upper(void *arg, const char *t, size_t len)
{
    (void)arg;
    return len && !(t[0] >= 'A' && t[0] <= 'Z');
}

static void test_expand(void)
{
    char p[512];
    tt_err e = {0};
    xap_wdb *w = NULL;
    path(p, sizeof p, "expand");
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    for (int i = 0; i < 10; i++) {
        char id[16], text[64];
        snprintf(id, sizeof id, "f%d", i);
        snprintf(text, sizeof text, "tin tuc kinh te w%d", i);
        T_OK(put(w, id, text, NULL, "news", &e), e);
    }
    /* docids 11 and 12 */
    T_OK(put(w, "p1", "pho bo nam dinh tin", NULL, "food", &e), e);
    T_OK(put(w, "p2", "pho ga ha noi", NULL, "food", &e), e);
    T_OK(xap_wdb_close(w, &e), e);

    xap_db *db = open1(p);
    xap_docid rel[2] = {11, 12};
    char **terms = NULL;
    size_t n = 0;
    T_OK(xap_expand(db, rel, 2, NULL, 5, reject_upper, NULL, &terms, &n, &e),
         e);
    T_CHECK(n > 0 && n <= 5);
    int saw_pho = 0;
    for (size_t i = 0; i < n; i++) {
        T_CHECK(terms[i][0] < 'A' || terms[i][0] > 'Z');
        T_CHECK(strcmp(terms[i], "tin") != 0); /* in almost every doc */
        saw_pho |= strcmp(terms[i], "pho") == 0;
    }
    T_CHECK(saw_pho);
    if (n)
        T_EQ_STR(terms[0], "pho"); /* in both, and rare elsewhere */
    xap_free_terms(terms, n);

    /* prefix filter, no callback */
    T_OK(xap_expand(db, rel, 1, "C", 10, NULL, NULL, &terms, &n, &e), e);
    T_EQ_INT(n, 1);
    if (n == 1)
        T_EQ_STR(terms[0], "Cfood");
    xap_free_terms(terms, n);

    T_OK(xap_expand(db, rel, 0, NULL, 10, NULL, NULL, &terms, &n, &e), e);
    T_EQ_INT(n, 0);
    T_CHECK(terms == NULL);
    xap_docid missing = 999;
    T_EQ_INT(xap_expand(db, &missing, 1, NULL, 10, NULL, NULL, &terms, &n, &e),
             TT_ENOTFOUND);
    xap_db_close(db);
}

/* Write every document of a block-cache db, its data "round R" (pass
 * "a": "round Ra"; name "other": "other R"), and commit. */
static void block_round(xap_wdb *w, int ndocs, const char *name, int round,
                        const char *pass)
{
    tt_err e = {0};
    char pad[300];
    memset(pad, 'p', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    for (int i = 1; i <= ndocs; i++) {
        char q[16], word[32], data[400];
        snprintf(q, sizeof q, "Q%d", i);
        snprintf(word, sizeof word, "r%dw%d", round, i);
        snprintf(data, sizeof data, "%s %d%s %s", name, round, pass, pad);
        xap_doc *d = xap_doc_new();
        xap_doc_add_boolean_term(d, q, strlen(q));
        xap_doc_add_posting(d, word, strlen(word), 1, 1);
        xap_doc_set_data(d, data, strlen(data));
        T_OK(xap_wdb_replace(w, q, strlen(q), d, NULL, &e), e);
        xap_doc_free(d);
    }
    T_OK(xap_wdb_commit(w, &e), e);
}

/* Rewrite a block-cache db as of round, in three commits: the last ones
 * write where the revision before them had blocks (freed blocks are
 * reused two commits on). */
static void block_rewrite(xap_wdb *w, int ndocs, const char *name, int round)
{
    block_round(w, ndocs, name, round, "a");
    block_round(w, ndocs, name, round, "b");
    block_round(w, ndocs, name, round, "");
}

/* How many of a block-cache db's documents read as of want ("round 3 ",
 * with the space), each found by its round's word too; read in an order
 * that moves from block to block (ndocs prime to 37). */
static int block_reads(xap_db *db, int ndocs, int round, const char *want)
{
    tt_err e = {0};
    int good = 0;
    for (int k = 0; k < ndocs; k++) {
        int i = k * 37 % ndocs + 1;
        char *v = NULL, word[32];
        size_t len = 0;
        uint32_t n = 0;
        snprintf(word, sizeof word, "r%dw%d", round, i);
        if (xap_db_doc_data(db, (xap_docid)i, &v, &len, &e) == TT_OK &&
            v && strncmp(v, want, strlen(want)) == 0 &&
            xap_db_termfreq(db, word, strlen(word), &n, &e) == TT_OK &&
            n == 1)
            good++;
        free(v);
    }
    return good;
}

/* A reader pinned to an old revision while the writer rewrites every block
 * a few times gets DatabaseModifiedError inside Xapian; the shim reopens and
 * retries, so the caller sees the new data. */
static void test_modified_retry(void)
{
    char p[512];
    tt_err e = {0};
    xap_wdb *w = NULL;
    xap_db *pinned = NULL;
    enum { NDOCS = 600, ROUNDS = 4 };

    path(p, sizeof p, "modified");
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    for (int round = 0; round < ROUNDS; round++) {
        block_round(w, NDOCS, "round", round, "");
        if (round == 0) {
            char *v = NULL;
            size_t len = 0;
            pinned = open1(p);
            T_OK(xap_db_doc_data(pinned, 1, &v, &len, &e), e);
            T_CHECK(v && strncmp(v, "round 0", 7) == 0);
            free(v);
        }
    }
    T_OK(xap_wdb_close(w, &e), e);
    if (!pinned)
        return;
    /* without the retry this is DatabaseModifiedError; with it the reader
     * has moved to the last revision (it would see 0 at round 0), and says
     * so: docids read before may name other documents now */
    uint32_t n = 0;
    T_EQ_INT(xap_db_generation(pinned), 0);
    T_OK(xap_db_termfreq(pinned, "r3w7", 4, &n, &e), e);
    T_EQ_INT(n, 1);
    T_EQ_INT(xap_db_generation(pinned), 1);
    char *v = NULL;
    size_t len = 0;
    T_OK(xap_db_doc_data(pinned, NDOCS / 2, &v, &len, &e), e);
    T_CHECK(v && strncmp(v, "round 3", 7) == 0);
    free(v);
    xap_db_close(pinned);
}

/* The block cache: a reader takes the blocks it read before from memory;
 * after a writer's commits, which reuse the space of the blocks an older
 * revision had, it reads the new revision, not a kept copy of the old
 * (a reopen, or a read that found its revision gone: the retry); an fd
 * closed and opened again on another db's table reads that table. */
static void test_block_cache(void)
{
    enum { NDOCS = 600, ROUNDS = 5 };
    char p[512], q[512], want[32];
    tt_err e = {0};
    xap_wdb *w = NULL;
    xap_blocks_info bi;
    int changed = 0;

    xap_blocks_budget(8 * 8192); /* 8 blocks: most are dropped */
    path(p, sizeof p, "blocks");
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    block_round(w, NDOCS, "round", 0, "");
    xap_db *db = open1(p), *pinned = open1(p);
    T_EQ_INT(block_reads(db, NDOCS, 0, "round 0 "), NDOCS);
    xap_blocks_stats(&bi);
    T_EQ_INT(bi.budget, 8 * 8192);
    T_EQ_INT(bi.bytes, 8 * 8192);
    T_CHECK(bi.hits > 0 && bi.misses > 0);
    /* room for every block from now on: the old ones stay */
    xap_blocks_budget(4096 * 8192);
    T_EQ_INT(block_reads(db, NDOCS, 0, "round 0 "), NDOCS);
    T_EQ_INT(block_reads(pinned, NDOCS, 0, "round 0 "), NDOCS);
    xap_blocks_stats(&bi);
    T_CHECK(bi.hits > 0 && bi.misses > 0);
    uint64_t hits = bi.hits, misses = bi.misses;
    xap_blocks_budget(4096 * 8192); /* the same budget: kept */
    T_OK(xap_db_reopen(db, &changed, &e), e); /* no commit: kept */
    T_EQ_INT(changed, 0);
    T_EQ_INT(block_reads(db, NDOCS, 0, "round 0 "), NDOCS);
    xap_blocks_stats(&bi);
    T_CHECK(bi.hits > hits);
    T_EQ_INT(bi.misses, misses); /* every block read found there */
    for (int round = 1; round < ROUNDS; round++) {
        block_rewrite(w, NDOCS, "round", round);
        T_OK(xap_db_reopen(db, &changed, &e), e);
        T_EQ_INT(changed, 1);
        snprintf(want, sizeof want, "round %d ", round);
        T_EQ_INT(block_reads(db, NDOCS, round, want), NDOCS);
    }
    T_OK(xap_wdb_close(w, &e), e);
    /* the pinned reader's revision is long gone (its blocks rewritten):
     * the shim reopens it */
    snprintf(want, sizeof want, "round %d ", ROUNDS - 1);
    T_EQ_INT(block_reads(pinned, NDOCS, ROUNDS - 1, want), NDOCS);
    T_EQ_INT(xap_db_generation(pinned), 1);
    xap_db_close(pinned);

    /* a db written the same way, its data "other": its blocks where the
     * first one's are, at the fds the first one's closed */
    path(q, sizeof q, "blocks2");
    w = NULL;
    T_OK(xap_wdb_open(q, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    block_round(w, NDOCS, "other", 0, "");
    for (int round = 1; round < ROUNDS; round++)
        block_rewrite(w, NDOCS, "other", round);
    T_OK(xap_wdb_close(w, &e), e);
    T_EQ_INT(block_reads(db, NDOCS, ROUNDS - 1, want), NDOCS);
    xap_db_close(db);
    db = open1(q);
    snprintf(want, sizeof want, "other %d ", ROUNDS - 1);
    T_EQ_INT(block_reads(db, NDOCS, ROUNDS - 1, want), NDOCS);
    xap_db_close(db);

    /* a stub file listing it: a commit to the db it lists is seen */
    char stub[512];
    FILE *f = fopen(path(stub, sizeof stub, "blocks.stub"), "w");
    T_CHECK(f != NULL);
    if (!f)
        return;
    fputs("auto blocks2\n", f);
    fclose(f);
    db = open1(stub);
    T_EQ_INT(block_reads(db, NDOCS, ROUNDS - 1, want), NDOCS);
    T_OK(xap_db_reopen(db, &changed, &e), e);
    T_EQ_INT(changed, 0);
    xap_blocks_stats(&bi);
    misses = bi.misses;
    T_EQ_INT(block_reads(db, NDOCS, ROUNDS - 1, want), NDOCS);
    xap_blocks_stats(&bi);
    T_EQ_INT(bi.misses, misses); /* kept: no commit, no reopen */
    w = NULL;
    T_OK(xap_wdb_open(q, 0, &w, &e), e);
    if (!w)
        return;
    block_round(w, NDOCS, "other", 9, "");
    T_OK(xap_wdb_close(w, &e), e);
    T_OK(xap_db_reopen(db, &changed, &e), e);
    T_EQ_INT(changed, 1);
    T_EQ_INT(block_reads(db, NDOCS, 9, "other 9 "), NDOCS);
    xap_db_close(db);

    xap_blocks_budget(0);
    xap_blocks_stats(&bi);
    T_EQ_INT(bi.budget, 0);
    T_EQ_INT(bi.bytes, 0);
}

/* A failed commit sticks: later writes, commits and close report it. */
static void test_sticky(void)
{
    char p[512];
    tt_err e = {0}, first = {0};
    xap_wdb *w = NULL;
    path(p, sizeof p, "sticky");
    T_OK(xap_wdb_open(p, XAP_CREATE | XAP_NOSYNC, &w, &e), e);
    if (!w)
        return;
    T_OK(put(w, "1", "one", NULL, NULL, &e), e);
    T_OK(xap_wdb_commit(w, &e), e);
    T_OK(put(w, "2", "two", NULL, NULL, &e), e);
    T_OK(tt_rmtree(p, &e), e); /* pull the directory from under it */
    int rc = xap_wdb_commit(w, &first);
    T_CHECK(rc != TT_OK);
    T_CHECK(first.msg[0] != '\0');
    T_EQ_INT(put(w, "3", "three", NULL, NULL, &e), rc);
    T_EQ_STR(e.msg, first.msg);
    T_EQ_INT(xap_wdb_set_metadata(w, "k", "v", 1, &e), rc);
    T_EQ_INT(xap_wdb_commit(w, &e), rc);
    uint32_t n = 0;
    T_OK(xap_wdb_doccount(w, &n, &e), e); /* reads still work */
    T_EQ_INT(xap_wdb_close(w, &e), rc);
    T_EQ_STR(e.msg, first.msg);
}

static void test_sortable(void)
{
    static const double nums[] = {-1e10, -2.5, -0.0, 0.0, 1e-9, 1, 2.5, 1e10};
    char prev[XAP_SORTABLE_MAX], cur[XAP_SORTABLE_MAX];
    size_t plen = 0;
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        size_t n = xap_sortable_double(nums[i], cur, sizeof cur);
        T_CHECK(n <= XAP_SORTABLE_MAX);
        T_CHECK(xap_unsortable_double(cur, n) == nums[i]);
        if (i) {
            size_t m = n < plen ? n : plen;
            int c = memcmp(prev, cur, m);
            T_CHECK(c < 0 || (c == 0 && plen <= n));
        }
        memcpy(prev, cur, n);
        plen = n;
    }
    char small[2] = {'x', 'x'};
    size_t n = xap_sortable_double(12345.678, small, 1);
    T_CHECK(n > 1); /* full length reported, only cap bytes written */
    T_CHECK(small[1] == 'x');
}

int main(void)
{
    tt_err e = {0};
    char corpus[512];
    tmp_path(g_dir, sizeof g_dir, "test_xap.XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    build_corpus(path(corpus, sizeof corpus, "corpus"));

    T_RUN(test_create_open);
    T_RUN(test_replace_delete);
    T_RUN(test_commit_visibility);
    T_RUN(test_flush_threshold_atomic);
    T_RUN(test_search_ops);
    T_RUN(test_deadline);
    T_RUN(test_retry_bounded);
    T_RUN(test_sort_collapse_facets);
    T_RUN(test_weights);
    T_RUN(test_cached_term);
    T_RUN(test_positions);
    T_RUN(test_mset_termfreq);
    T_RUN(test_cutoff_and_k3);
    T_RUN(test_data_values_nul);
    T_RUN(test_metadata);
    T_RUN(test_terms);
    T_RUN(test_parse);
    T_RUN(test_not_found);
    T_RUN(test_locked);
    T_RUN(test_corrupt);
    T_RUN(test_multi_db);
    T_RUN(test_compact);
    T_RUN(test_expand);
    T_RUN(test_modified_retry);
    T_RUN(test_block_cache);
    T_RUN(test_sticky);
    T_RUN(test_sortable);

    if (tt_rmtree(g_dir, &e) != TT_OK)
        fprintf(stderr, "warning: %s\n", e.msg);
    return t_summary();
}
