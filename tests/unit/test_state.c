/* test_state.c — the crawl state: URL marks, the queue and its cursor,
 * validators, hosts, runs, and recovery from torn files (crawler/state.h);
 * and the crawl's store (crawler/store.h): sources, the dry-run output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state.h"
#include "store.h"
#include "t.h"
#include "tmp.h"

static char dir[TMP_PATH_MAX];

static void fresh_dir(void)
{
    tt_err e;
    char name[64];
    snprintf(name, sizeof name, "timtin-test-state.%d", (int)getpid());
    tmp_path(dir, sizeof dir, name);
    tt_rmtree(dir, &e);
}

static char *path(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void test_runs_and_marks(void)
{
    state *s;
    state_url u;
    tt_err e;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_run(s), 1);
    state_set_seen(s, 42);
    state_set_done(s, 43, 1000);
    state_get(s, 42, &u);
    T_EQ_INT(u.seen_run, 1);
    T_EQ_INT(u.done_run, 0);
    state_get(s, 44, &u);
    T_EQ_INT(u.seen_run, 0);
    T_EQ_INT(state_close(s, &e), TT_OK);
    /* a new run; marks survive */
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_run(s), 2);
    state_get(s, 43, &u);
    T_EQ_INT(u.done_run, 1);
    T_EQ_INT(u.done_time, 1000);
    state_set_seen(s, 43);
    state_get(s, 43, &u);
    T_EQ_INT(u.seen_run, 2);
    T_EQ_INT(u.done_run, 1);
    T_EQ_INT(state_nurls(s), 2);
    state_close(s, &e);
}

static void test_queue_cursor(void)
{
    state *s;
    state_item it[5];
    tt_err e;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    for (int i = 0; i < 5; i++) {
        char u[64];
        snprintf(u, sizeof u, "https://x.vn/%d", i);
        T_EQ_INT(state_push(s, i == 0 ? SK_HUB : SK_ARTICLE, i, u, &e), TT_OK);
    }
    T_EQ_INT(state_push(s, SK_HUB, 0, "https://x.vn/has space", &e), TT_EINVAL);
    T_EQ_INT(state_queued(s), 5);
    for (int i = 0; i < 3; i++)
        T_EQ_INT(state_pop(s, &it[i], &e), 1);
    T_EQ_INT(it[0].kind, SK_HUB);
    T_EQ_STR(it[2].url, "https://x.vn/2");
    T_EQ_INT(it[2].depth, 2);
    /* finished out of order: the cursor stops before entry 1 */
    state_finish(s, it[0].off);
    state_finish(s, it[2].off);
    T_EQ_INT(state_checkpoint(s, &e), TT_OK);
    /* killed here: 1 and 2 come back (2 was done: the crawler skips it by
     * its mark), then 3 and 4 */
    for (int i = 0; i < 3; i++)
        free(it[i].url);
    state_close(s, &e);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_queued(s), 4);
    T_EQ_INT(state_pop(s, &it[0], &e), 1);
    T_EQ_STR(it[0].url, "https://x.vn/1");
    free(it[0].url);
    for (int i = 0; i < 3; i++) {
        T_EQ_INT(state_pop(s, &it[i], &e), 1);
        state_finish(s, it[i].off);
        free(it[i].url);
    }
    T_EQ_INT(state_pop(s, &it[0], &e), 0);
    /* entry 1 unfinished: the queue must not be reset */
    T_EQ_INT(state_reset_queue(s, &e), TT_OK);
    state_close(s, &e);
    {
        struct stat st;
        T_EQ_INT(stat(path("queue"), &st), 0);
        T_CHECK(st.st_size > 0);
    }
}

static void test_push_while_popping(void)
{
    state *s;
    state_item it;
    tt_err e;
    int n = 0;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    state_push(s, SK_HUB, 0, "https://x.vn/seed", &e);
    /* each popped entry queues two more, up to 20000: the reader sees
     * what the (buffered) writer appended, lines never split */
    while (state_pop(s, &it, &e) == 1) {
        char u[64];
        T_CHECK(strncmp(it.url, "https://x.vn/", 13) == 0);
        for (int k = 0; k < 2 && n < 20000; k++) {
            snprintf(u, sizeof u, "https://x.vn/page-%d-with-a-longer-name", n++);
            state_push(s, SK_ARTICLE, 1, u, &e);
        }
        state_finish(s, it.off);
        free(it.url);
    }
    T_EQ_INT(n, 20000);
    T_EQ_INT(state_queued(s), 0);
    T_EQ_INT(state_reset_queue(s, &e), TT_OK);
    state_close(s, &e);
    {
        struct stat st;
        T_EQ_INT(stat(path("queue"), &st), 0);
        T_EQ_INT(st.st_size, 0);
    }
}

static void test_torn_files(void)
{
    state *s;
    state_item it;
    state_url u;
    tt_err e;
    FILE *f;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    state_set_done(s, 7, 5);
    state_push(s, SK_ARTICLE, 0, "https://x.vn/a", &e);
    state_close(s, &e);
    /* a crash mid-append: half a URL record, half a queue line */
    f = fopen(path("urls"), "ab");
    fwrite("\x01\x02\x03", 1, 3, f);
    fclose(f);
    f = fopen(path("queue"), "ab");
    fputs("a 0 https://x.vn/tor", f);
    fclose(f);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    state_get(s, 7, &u);
    T_EQ_INT(u.done_run, 1);
    T_EQ_INT(state_pop(s, &it, &e), 1);
    T_EQ_STR(it.url, "https://x.vn/a");
    free(it.url);
    T_EQ_INT(state_pop(s, &it, &e), 0);
    state_close(s, &e);
    {
        struct stat st;
        stat(path("urls"), &st);
        T_EQ_INT(st.st_size % 16, 0);
    }
    /* not ours */
    f = fopen(path("urls"), "wb");
    fputs("something else entirely!", f);
    fclose(f);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_ECORRUPT);
    T_CHECK(s == NULL);
}

/* Queue lines that state_push would not have written (a URL with white
 * space, a NUL, a bad kind or depth, a line too long) are skipped as
 * unreadable: the next good line comes out.  Found by fuzz_state. */
static void test_bad_queue_lines(void)
{
    state *s;
    state_item it;
    tt_err e;
    FILE *f;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    state_close(s, &e);
    f = fopen(path("queue"), "wb");
    fputs("h 0 https://x.vn/a b\n", f);
    fputs("a 1 https://x.vn/tab\there\n", f);
    fputs("a 1 https://x.vn/cr\r\n", f);
    fwrite("a 1 https://x.vn/n\0ul\n", 1, 22, f);
    fputs("z 1 https://x.vn/kind\n", f);
    fputs("a -1 https://x.vn/depth\n", f);
    fputs("a 1 https://x.vn/count 0\n", f);   /* deferred 0 runs: none */
    fputs("a 1 https://x.vn/count 7x\n", f);
    fputs("a 1 https://x.vn/count 65536\n", f);
    fputs("a 1 https://x.vn/count  7\n", f);
    fputs("a 1 https://x.vn/", f); /* longer than a queue line may be */
    for (int i = 0; i < STATE_MAX_LINE; i++)
        fputc('x', f);
    fputs("\na 1 https://x.vn/good\n", f);
    fclose(f);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_pop(s, &it, &e), 1);
    T_EQ_STR(it.url, "https://x.vn/good");
    free(it.url);
    T_EQ_INT(state_pop(s, &it, &e), 0);
    state_close(s, &e);
}

static void test_validators_hosts(void)
{
    state *s;
    const char *et, *lm;
    tt_err e;
    state_reading all = {0xabc, STATE_NO_SINCE};
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    for (uint64_t k = 1; k <= 1000; k++)
        state_set_validators(s, k * 7919, "\"etag\"",
                             k % 2 ? "Mon, 01 Jan 2024 00:00:00 GMT" : NULL, &all);
    state_set_validators(s, 5, "bad\nvalue", NULL, &all);
    state_set_validators(s, 6, "\"since\"", NULL, &(state_reading){0xabc, 1700000000});
    state_set_host_next(s, "x.vn", 1234.5);
    state_close(s, &e);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    state_validators(s, 7919, &all, &et, &lm);
    T_EQ_STR(et, "\"etag\"");
    T_EQ_STR(lm, "Mon, 01 Jan 2024 00:00:00 GMT");
    state_validators(s, 2 * 7919, &all, &et, &lm);
    T_EQ_STR(et, "\"etag\"");
    T_CHECK(lm == NULL);
    state_validators(s, 5, &all, &et, &lm);
    T_CHECK(et == NULL);
    /* saved under another profile: not for this one */
    state_validators(s, 7919, &(state_reading){0xabd, STATE_NO_SINCE}, &et, &lm);
    T_CHECK(et == NULL && lm == NULL);
    /* saved without --since: good for a run with one */
    state_validators(s, 7919, &(state_reading){0xabc, 1700000000}, &et, &lm);
    T_EQ_STR(et, "\"etag\"");
    /* saved under --since: good for a later --since only */
    state_validators(s, 6, &all, &et, &lm);
    T_CHECK(et == NULL);
    state_validators(s, 6, &(state_reading){0xabc, 1699999999}, &et, &lm);
    T_CHECK(et == NULL);
    state_validators(s, 6, &(state_reading){0xabc, 1700000000}, &et, &lm);
    T_EQ_STR(et, "\"since\"");
    state_validators(s, 6, &(state_reading){0xabc, 1800000000}, &et, &lm);
    T_EQ_STR(et, "\"since\"");
    T_CHECK(state_host_next(s, "x.vn") > 1234 && state_host_next(s, "x.vn") < 1235);
    T_CHECK(state_host_next(s, "y.vn") == 0);
    /* when it was set: now (the wall clock), kept across the reopening */
    T_CHECK(state_host_saved(s, "x.vn") > (double)time(NULL) - 600 &&
            state_host_saved(s, "x.vn") <= (double)time(NULL) + 1);
    T_CHECK(state_host_saved(s, "y.vn") == 0);
    state_close(s, &e);
    {
        /* a hosts line of the older form (no time it was set): 0 */
        char p[4096];
        FILE *f;
        snprintf(p, sizeof p, "%s/hosts", dir);
        T_CHECK((f = fopen(p, "w")) != NULL);
        fputs("z.vn\t99.5\n", f);
        fclose(f);
        T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
        T_CHECK(state_host_next(s, "z.vn") == 99.5 &&
                state_host_saved(s, "z.vn") == 0);
        state_close(s, &e);
    }
    /* a validators file of the older form (no reading): serves no run */
    {
        FILE *f = fopen(path("validators"), "w");
        fputs("0000000000001ef1\t\"old\"\t-\n", f);
        fclose(f);
    }
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    state_validators(s, 0x1ef1, &all, &et, &lm);
    T_CHECK(et == NULL);
    state_close(s, &e);
}

static void test_defer(void)
{
    state *s;
    state_item it;
    tt_err e;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_deferred(s, 9), 0);
    /* a URL deferred twice in a run (found twice) is carried once */
    T_EQ_INT(state_defer(s, 9, SK_ARTICLE, 1, "https://x.vn/a-1.htm", 1, &e), TT_OK);
    T_EQ_INT(state_defer(s, 9, SK_ARTICLE, 1, "https://x.vn/a-1.htm", 1, &e), TT_OK);
    for (uint64_t k = 100; k < 300; k++) /* the set grows */
        T_EQ_INT(state_defer(s, k, SK_HUB, 0, "https://x.vn/h.htm", 1, &e), TT_OK);
    T_EQ_INT(state_deferred(s, 9), 1);
    T_EQ_INT(state_deferred(s, 299), 1);
    T_EQ_INT(state_deferred(s, 10), 0);
    T_CHECK(state_defer(s, 11, SK_HUB, 0, "https://x.vn/a b", 1, &e) != TT_OK);
    T_EQ_INT(state_close(s, &e), TT_OK);
    /* the next run has them in its queue, and a fresh set */
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_queued(s), 201);
    T_EQ_INT(state_deferred(s, 9), 0);
    T_EQ_INT(state_pop(s, &it, &e), 1);
    T_EQ_INT(it.kind, SK_ARTICLE);
    T_EQ_STR(it.url, "https://x.vn/a-1.htm");
    T_EQ_INT(it.deferred, 1);
    free(it.url);
    state_close(s, &e);
}

/* A deferred entry carries the runs in a row it was deferred: written to
 * "deferred", back in the queue with it, popped with it, and through a
 * killed run too; pushed entries carry none.  A "deferred" file of the
 * older form (no count) still loads: each line counts as deferred once. */
static void test_defer_runs(void)
{
    static const struct {
        const char *url;
        int kind, depth;
        unsigned deferred;
    } rest[] = {{"https://x.vn/h.htm", SK_HUB, 0, 6},
                {"https://x.vn/big.htm", SK_HUB, 0, 65535},
                {"https://x.vn/old.htm", SK_PAGINATE, 0, 1},
                {"https://x.vn/new-2.htm", SK_ARTICLE, 1, 0}};
    state *s;
    state_item it;
    tt_err e;
    FILE *f;
    char *text;
    size_t n;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_defer(s, 1, SK_ARTICLE, 0, "https://x.vn/a-1.htm", 1, &e), TT_OK);
    T_EQ_INT(state_defer(s, 2, SK_HUB, 0, "https://x.vn/h.htm", 6, &e), TT_OK);
    T_EQ_INT(state_defer(s, 3, SK_HUB, 0, "https://x.vn/big.htm", 1000000, &e),
             TT_OK); /* cut to the most a count says */
    T_EQ_INT(state_close(s, &e), TT_OK);
    T_EQ_INT(tt_read_file(path("deferred"), 1 << 20, &text, &n, &e), TT_OK);
    T_EQ_STR(text, "a 0 https://x.vn/a-1.htm 1\nh 0 https://x.vn/h.htm 6\n"
                   "h 0 https://x.vn/big.htm 65535\n");
    free(text);
    /* the older form, and lines no run wrote (a count of 0, not a
     * number, too large): skipped */
    f = fopen(path("deferred"), "ab");
    fputs("p 0 https://x.vn/old.htm\n", f);
    fputs("h 0 https://x.vn/zero.htm 0\n", f);
    fputs("h 0 https://x.vn/word.htm many\n", f);
    fputs("h 0 https://x.vn/huge.htm 65536\n", f);
    fputs("h 0 https://x.vn/two.htm 1 2\n", f);
    fclose(f);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_queued(s), 4);
    T_EQ_INT(state_push(s, SK_ARTICLE, 1, "https://x.vn/new-2.htm", &e), TT_OK);
    T_EQ_INT(state_pop(s, &it, &e), 1);
    T_EQ_STR(it.url, "https://x.vn/a-1.htm");
    T_EQ_INT(it.deferred, 1);
    state_finish(s, it.off);
    free(it.url);
    T_EQ_INT(state_checkpoint(s, &e), TT_OK);
    /* killed here: the rest comes back with its counts */
    state_free(s);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    for (size_t i = 0; i < sizeof rest / sizeof *rest; i++) {
        T_EQ_INT(state_pop(s, &it, &e), 1);
        T_EQ_STR(it.url, rest[i].url);
        T_EQ_INT(it.kind, rest[i].kind);
        T_EQ_INT(it.depth, rest[i].depth);
        T_EQ_INT(it.deferred, rest[i].deferred);
        free(it.url);
    }
    T_EQ_INT(state_pop(s, &it, &e), 0);
    state_close(s, &e);
}

/* Marks of URLs given up on: kept across runs in "given-up" (key, when,
 * URL), forgotten one by one or when older than a time. */
static void test_given_up(void)
{
    state *s;
    tt_err e;
    uint32_t when = 0;
    FILE *f;
    char *text;
    size_t n;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_given_up(s, 5, &when), 0);
    state_give_up(s, 5, 1000, "https://x.vn/ban-doc.htm");
    state_give_up(s, 0x123456789abcdef0ull, 2000, "https://x.vn/a-1.htm");
    for (uint64_t k = 100; k < 400; k++) /* the index grows */
        state_give_up(s, k, 3000, "https://x.vn/h.htm");
    state_give_up(s, 7, 4000, "https://x.vn/gone.htm");
    state_forget_given_up(s, 7);
    state_forget_given_up(s, 8); /* never given up: nothing */
    T_EQ_INT(state_given_up(s, 5, &when), 1);
    T_EQ_INT(when, 1000);
    T_EQ_INT(state_given_up(s, 7, &when), 0);
    T_EQ_INT(state_given_up(s, 399, NULL), 1);
    T_EQ_INT(state_close(s, &e), TT_OK);
    T_EQ_INT(tt_read_file(path("given-up"), 1 << 20, &text, &n, &e), TT_OK);
    {
        const char *head = "0000000000000005\t1000\thttps://x.vn/ban-doc.htm\n"
                           "123456789abcdef0\t2000\thttps://x.vn/a-1.htm\n";
        T_CHECK(strncmp(text, head, strlen(head)) == 0);
    }
    T_CHECK(strstr(text, "gone") == NULL);
    free(text);
    /* the next run has them; lines no run wrote are skipped */
    f = fopen(path("given-up"), "ab");
    fputs("zz\t5000\thttps://x.vn/bad-key.htm\n", f);
    fputs("0000000000000009\t0\thttps://x.vn/no-time.htm\n", f);
    fputs("000000000000000a\t5000\thttps://x.vn/sp ace.htm\n", f);
    fputs("000000000000000b\t5000\n", f);
    fputs("000000000000000c\t6000\thttps://x.vn/torn.h", f);
    fclose(f);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_given_up(s, 0x123456789abcdef0ull, &when), 1);
    T_EQ_INT(when, 2000);
    T_EQ_INT(state_given_up(s, 7, NULL), 0);
    T_EQ_INT(state_given_up(s, 9, NULL), 0);
    T_EQ_INT(state_given_up(s, 10, NULL), 0);
    T_EQ_INT(state_given_up(s, 11, NULL), 0);
    T_EQ_INT(state_given_up(s, 12, NULL), 0);
    /* older than 2500: forgotten; given up again: a new time */
    T_EQ_INT(state_expire_given_up(s, 2500), 2);
    T_EQ_INT(state_given_up(s, 5, NULL), 0);
    T_EQ_INT(state_given_up(s, 100, NULL), 1);
    state_give_up(s, 5, 7000, "https://x.vn/ban-doc.htm");
    T_EQ_INT(state_close(s, &e), TT_OK);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_given_up(s, 5, &when), 1);
    T_EQ_INT(when, 7000);
    T_EQ_INT(state_given_up(s, 0x123456789abcdef0ull, NULL), 0);
    T_EQ_INT(state_expire_given_up(s, 10000), 301);
    T_EQ_INT(state_close(s, &e), TT_OK);
    T_EQ_INT(tt_read_file(path("given-up"), 1 << 20, &text, &n, &e), TT_OK);
    T_EQ_INT(n, 0);
    free(text);
    /* the memory state (--dry-run) keeps them for the run */
    T_EQ_INT(state_open(NULL, 0, &s, &e), TT_OK);
    state_give_up(s, 5, 1000, "https://x.vn/ban-doc.htm");
    T_EQ_INT(state_given_up(s, 5, NULL), 1);
    T_EQ_INT(state_close(s, &e), TT_OK);
}

/* The state file name holds want. */
static void file_is(const char *name, const char *want)
{
    char *text;
    size_t n;
    tt_err e;
    T_EQ_INT(tt_read_file(path(name), 1 << 20, &text, &n, &e), TT_OK);
    T_EQ_STR(text, want);
    free(text);
}

/* Lines no run wrote, appended to state file name. */
static void append_to(const char *name, const char *lines)
{
    FILE *f = fopen(path(name), "ab");
    T_CHECK(f != NULL);
    if (f) {
        fputs(lines, f);
        fclose(f);
    }
}

/* Dates ahead of given-up keys: kept when the mark is forgotten or given
 * again, on lines of their own for keys not given up; an older state's
 * lines (no date) read as before. */
static void test_given_up_ahead(void)
{
    state *s;
    tt_err e;
    uint32_t when = 0;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_ahead(s, 5), 0);
    state_give_up(s, 5, 1000, "https://x.vn/a.htm");
    state_set_ahead(s, 5, 9000);
    state_set_ahead(s, 5, 8000); /* earlier: the later stays */
    state_forget_given_up(s, 5);
    state_set_ahead(s, 6, 7000); /* never given up */
    state_give_up(s, 7, 2000, "https://x.vn/b.htm");
    T_EQ_INT(state_given_up(s, 5, NULL), 0);
    T_EQ_INT(state_ahead(s, 5), 9000);
    T_EQ_INT(state_given_up(s, 6, NULL), 0);
    T_EQ_INT(state_ahead(s, 6), 7000);
    T_EQ_INT(state_ahead(s, 7), 0);
    T_EQ_INT(state_close(s, &e), TT_OK);
    file_is("given-up", "0000000000000005\t0\t-\t9000\n"
                        "0000000000000006\t0\t-\t7000\n"
                        "0000000000000007\t2000\thttps://x.vn/b.htm\n");
    append_to("given-up", "0000000000000008\t0\t-\n"
                          "0000000000000009\t4000\thttps://x.vn/c.htm\tx\n"
                          "000000000000000a\t4000\thttps://x.vn/d.htm\t5000\n"
                          "000000000000000b\t4000\thttps://x.vn/e.htm\t5000\t6000\n");
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_ahead(s, 5), 9000);
    T_EQ_INT(state_ahead(s, 6), 7000);
    T_EQ_INT(state_given_up(s, 7, &when), 1);
    T_EQ_INT(when, 2000);
    T_EQ_INT(state_given_up(s, 8, NULL) + (int)state_ahead(s, 8), 0);
    T_EQ_INT(state_given_up(s, 9, NULL) + (int)state_ahead(s, 9), 0);
    T_EQ_INT(state_given_up(s, 10, &when), 1);
    T_EQ_INT(when, 4000);
    T_EQ_INT(state_ahead(s, 10), 5000);
    T_EQ_INT(state_given_up(s, 11, NULL) + (int)state_ahead(s, 11), 0);
    /* given up again: its date stays */
    state_give_up(s, 5, 3000, "https://x.vn/a.htm");
    T_EQ_INT(state_ahead(s, 5), 9000);
    /* marks before 7500 forgotten (their dates kept), then the dates
     * before it of keys not given up */
    T_EQ_INT(state_expire_given_up(s, 7500), 3);
    T_EQ_INT(state_given_up(s, 5, NULL), 0);
    T_EQ_INT(state_ahead(s, 5), 9000);
    T_EQ_INT(state_ahead(s, 6), 0);
    T_EQ_INT(state_ahead(s, 10), 0);
    state_set_ahead(s, 13, 9500);
    state_forget_ahead(s, 13);
    state_forget_ahead(s, 14); /* none: nothing */
    T_EQ_INT(state_ahead(s, 13), 0);
    state_give_up(s, 12, 8000, "https://x.vn/f.htm");
    state_set_ahead(s, 12, 5000); /* a mark's date stays while given up */
    T_EQ_INT(state_expire_given_up(s, 7500), 0);
    T_EQ_INT(state_ahead(s, 12), 5000);
    T_EQ_INT(state_close(s, &e), TT_OK);
    file_is("given-up", "0000000000000005\t0\t-\t9000\n"
                        "000000000000000c\t8000\thttps://x.vn/f.htm\t5000\n");
}

static size_t nstale;

static void count_stale(void *arg, uint64_t key, const char *url)
{
    (void)arg;
    nstale++;
    T_CHECK(key == 0x20 && !strcmp(url, "https://x.vn/a-20.htm"));
}

/* "unstored": redirects for good, pages no article under a profile (its
 * fingerprint and URL), and an older state's bare keys. */
static void test_unstored(void)
{
    state *s;
    tt_err e;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    state_unstore(s, 0x10);
    state_unstore_page(s, 0x20, 0xaaa, "https://x.vn/a-20.htm");
    state_unstore_page(s, 0x30, 0xaaa, "https://x.vn/a-30.htm");
    state_forget_unstored(s, 0x30); /* stored at last */
    T_EQ_INT(state_unstored(s, 0x10), 1);
    T_EQ_INT(state_unstored(s, 0x30), 0);
    T_EQ_INT(state_unstored_stale(s, 0x10, 0xbbb), 0); /* never */
    T_EQ_INT(state_unstored_stale(s, 0x20, 0xaaa), 0); /* same profile */
    T_EQ_INT(state_unstored_stale(s, 0x20, 0xbbb), 1);
    T_EQ_INT(state_close(s, &e), TT_OK);
    file_is("unstored",
            "0000000000000010\t-\n"
            "0000000000000020\t0000000000000aaa\thttps://x.vn/a-20.htm\n");
    /* an older version's lines (the key alone); bad lines skipped */
    append_to("unstored", "0000000000000040\nzz\n0000000000000050\tq\tx\n");
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_unstored(s, 0x20), 1);
    T_EQ_INT(state_unstored(s, 0x40), 1);
    T_EQ_INT(state_unstored(s, 0x50), 0);
    T_EQ_INT(state_unstored_stale(s, 0x40, 0xaaa), 1);
    T_EQ_INT(state_unstored_legacy(s), 1);
    nstale = 0;
    T_EQ_INT(state_each_stale_page(s, 0xbbb, count_stale, NULL), 1);
    T_EQ_INT(nstale, 1);
    T_EQ_INT(state_each_stale_page(s, 0xaaa, count_stale, NULL), 0);
    state_unstored_offered(s);
    T_EQ_INT(state_unstored_legacy(s), 0);
    T_EQ_INT(state_unstored_stale(s, 0x40, 0xaaa), 1); /* still */
    T_EQ_INT(state_close(s, &e), TT_OK);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_unstored_legacy(s), 0);
    T_EQ_INT(state_unstored_stale(s, 0x40, 0xaaa), 1);
    state_unstore_page(s, 0x40, 0xaaa, "https://x.vn/a-40.htm");
    T_EQ_INT(state_unstored_stale(s, 0x40, 0xaaa), 0);
    T_EQ_INT(state_close(s, &e), TT_OK);
}

/* Articles said withdrawn (revisits leave them alone): kept from run to
 * run in "withdrawn", forgotten when fetched again; a revisit entry
 * ('R') is a queue entry as any. */
static void test_withdrawn(void)
{
    state *s;
    state_item it;
    tt_err e;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_withdrawn(s, 0x10), 0); /* (no file: an older state) */
    state_set_withdrawn(s, 0x10);
    state_set_withdrawn(s, 0x20);
    state_set_withdrawn(s, 0x30);
    state_forget_withdrawn(s, 0x30);
    state_forget_withdrawn(s, 0x40); /* never marked */
    T_EQ_INT(state_push(s, SK_REVISIT, 0, "https://x.vn/a-10.htm", &e), TT_OK);
    T_EQ_INT(state_close(s, &e), TT_OK);
    file_is("withdrawn", "0000000000000010\n0000000000000020\n");
    append_to("withdrawn", "zz\n0000000000000050\tx\n");
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_withdrawn(s, 0x10), 1);
    T_EQ_INT(state_withdrawn(s, 0x20), 1);
    T_EQ_INT(state_withdrawn(s, 0x30), 0);
    T_EQ_INT(state_withdrawn(s, 0x50), 0);
    T_EQ_INT(state_pop(s, &it, &e), 1);
    T_EQ_INT(it.kind, SK_REVISIT);
    T_EQ_STR(it.url, "https://x.vn/a-10.htm");
    free(it.url);
    state_forget_withdrawn(s, 0x10);
    T_EQ_INT(state_close(s, &e), TT_OK);
    file_is("withdrawn", "0000000000000020\n");
}

static long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

/* When each article's version began (revisits count its age from it):
 * an append-only log, "versions", the last line of a key winning; a torn
 * last line cut off, lines no run wrote skipped; rewritten with one line
 * a key when it holds more than twice as many lines as keys (and 10,000
 * more). */
static void test_versions(void)
{
    state *s;
    tt_err e;
    long size;
    int bad = 0;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_since(s, 0x10), 0); /* (no file: an older state) */
    state_set_since(s, 0x10, 1000);
    state_set_since(s, 0x20, 2000);
    state_set_since(s, 0x20, 2000); /* the same: no line */
    state_set_since(s, 0x30, 0);    /* nothing */
    T_EQ_INT(state_checkpoint(s, &e), TT_OK);
    file_is("versions", "0000000000000010\t1000\n0000000000000020\t2000\n");
    state_set_since(s, 0x10, 3000); /* a change */
    T_EQ_INT(state_close(s, &e), TT_OK);
    file_is("versions", "0000000000000010\t1000\n0000000000000020\t2000\n"
                        "0000000000000010\t3000\n");
    append_to("versions", "zz\n0000000000000050\tx\n0000000000000060\t-4\n"
                          "0000000000000070\t7");
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_since(s, 0x10), 3000);
    T_EQ_INT(state_since(s, 0x20), 2000);
    T_EQ_INT(state_since(s, 0x30), 0);
    T_EQ_INT(state_since(s, 0x50), 0);
    T_EQ_INT(state_since(s, 0x60), 0);
    T_EQ_INT(state_since(s, 0x70), 0); /* torn: cut off */
    state_set_since(s, 0x80, 8000);
    T_EQ_INT(state_close(s, &e), TT_OK);
    file_is("versions", "0000000000000010\t1000\n0000000000000020\t2000\n"
                        "0000000000000010\t3000\n"
                        "zz\n0000000000000050\tx\n0000000000000060\t-4\n"
                        "0000000000000080\t8000\n");
    /* compaction: 12,000 lines for 3 keys */
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    for (uint32_t i = 1; i <= 12000; i++)
        state_set_since(s, 0x90, 10000 + i);
    T_EQ_INT(state_close(s, &e), TT_OK);
    size = file_size(path("versions"));
    T_CHECK(size > 0 && size < 4 * 30);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    bad += state_since(s, 0x10) != 3000 || state_since(s, 0x20) != 2000 ||
           state_since(s, 0x80) != 8000 || state_since(s, 0x90) != 22000;
    T_EQ_INT(bad, 0);
    T_EQ_INT(state_close(s, &e), TT_OK);
    /* an in-memory state (--dry-run) keeps them too, writing nothing */
    T_EQ_INT(state_open(NULL, 0, &s, &e), TT_OK);
    state_set_since(s, 0x10, 1000);
    T_EQ_INT(state_since(s, 0x10), 1000);
    T_EQ_INT(state_checkpoint(s, &e), TT_OK);
    state_close(s, &e);
}

static void test_memory_state(void)
{
    state *s;
    state_item it;
    tt_err e;
    T_EQ_INT(state_open(NULL, 0, &s, &e), TT_OK);
    state_push(s, SK_SITEMAP, 0, "https://x.vn/s.xml", &e);
    T_EQ_INT(state_pop(s, &it, &e), 1);
    T_EQ_INT(it.kind, SK_SITEMAP);
    free(it.url);
    T_EQ_INT(state_pop(s, &it, &e), 0);
    T_EQ_INT(state_checkpoint(s, &e), TT_OK);
    state_close(s, &e);
}

static void test_million(void)
{
    /* a million URL keys: the table grows, marks stay exact */
    state *s;
    state_url u;
    tt_err e;
    int bad = 0;
    T_EQ_INT(state_open(NULL, 0, &s, &e), TT_OK);
    for (uint64_t k = 1; k <= 1000000; k++)
        state_set_seen(s, k * 0x9E3779B97F4A7C15ull);
    for (uint64_t k = 1; k <= 1000000; k += 7) {
        state_get(s, k * 0x9E3779B97F4A7C15ull, &u);
        bad += u.seen_run != 1;
    }
    state_get(s, 12345, &u);
    T_EQ_INT(u.seen_run, 0);
    T_EQ_INT(bad, 0);
    T_EQ_INT(state_nurls(s), 1000000);
    state_close(s, &e);
}

static void test_url_log_compaction(void)
{
    /* every mark appends a record to the URL log; a log of more than
     * twice the table (plus 100,000) is rewritten with one record a key,
     * and the marks read back are the last ones: of keys marked again
     * after the rewrite, and of keys only the rewrite holds (cold) */
    enum { KEYS = 1000, COLD = 100, ROUNDS = 120, REC_BYTES = 16 };
    state *s;
    state_url u;
    tt_err e;
    long peak = 0, size;
    int bad = 0, shrank = 0;
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    for (uint64_t k = 1; k <= COLD; k++)
        state_set_done(s, k * 0xC2B2AE3D27D4EB4Full, 7 + (uint32_t)k);
    for (uint32_t r = 1; r <= ROUNDS; r++) {
        for (uint64_t k = 1; k <= KEYS; k++)
            state_set_done(s, k * 0x9E3779B97F4A7C15ull, r * 1000 + (uint32_t)k);
        T_EQ_INT(state_checkpoint(s, &e), TT_OK);
        size = file_size(path("urls"));
        if (size < peak)
            shrank = 1;
        if (size > peak)
            peak = size;
    }
    T_CHECK(shrank);
    T_CHECK(peak <= (2L * (KEYS + COLD) + 100000 + KEYS + 1) * REC_BYTES);
    /* rounds after the rewrite appended to it */
    T_CHECK(file_size(path("urls")) > (KEYS + COLD + 1) * REC_BYTES);
    T_EQ_INT(state_close(s, &e), TT_OK);
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    T_EQ_INT(state_nurls(s), KEYS + COLD);
    for (uint64_t k = 1; k <= KEYS; k++) {
        state_get(s, k * 0x9E3779B97F4A7C15ull, &u);
        bad += u.done_run != 1 ||
               u.done_time != ROUNDS * 1000 + (uint32_t)k;
    }
    for (uint64_t k = 1; k <= COLD; k++) {
        state_get(s, k * 0xC2B2AE3D27D4EB4Full, &u);
        bad += u.done_run != 1 || u.done_time != 7 + (uint32_t)k;
    }
    T_EQ_INT(bad, 0);
    state_close(s, &e);
}

/* The names a profile's state directory may have (state_name_problem). */
static void test_names(void)
{
    static const char *const good[] = {"tuoitre", "vnexpress", "t", "x.y",
                                       "báo-mới", "a b", ".hidden"};
    static const char *const bad[] = {"", ".", "..", "a/b", "/", "x\ty",
                                      "x\x7fy", "x.tmp", ".tmp", "run",
                                      "urls", "queue", "cursor", "validators",
                                      "hosts", "deferred", "given-up"};
    char lng[STATE_MAX_NAME + 2];
    state *s;
    tt_err e;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        T_CHECK(state_name_problem(good[i], strlen(good[i])) == NULL);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        T_CHECK(state_name_problem(bad[i], strlen(bad[i])) != NULL);
    T_CHECK(state_name_problem("a\0b", 3) != NULL); /* a NUL inside */
    memset(lng, 'n', sizeof lng);
    T_CHECK(state_name_problem(lng, STATE_MAX_NAME) == NULL);
    T_CHECK(state_name_problem(lng, STATE_MAX_NAME + 1) != NULL);
    fresh_dir();
    T_EQ_INT(state_open_profile(dir, "../up", 0, &s, &e), TT_EINVAL);
    T_CHECK(s == NULL);
    T_CHECK(access(dir, F_OK) != 0); /* nothing made */
}

/* Open the state of profile name under dir, expecting run. */
static state *open_profile(const char *name, int flags, unsigned run)
{
    state *s;
    tt_err e;
    T_EQ_INT(state_open_profile(dir, name, flags, &s, &e), TT_OK);
    if (s)
        T_EQ_INT(state_run(s), run);
    return s;
}

/* Pop the next entry, expecting url (NULL: none), and finish it; returns
 * the runs it was deferred. */
static unsigned expect_pop(state *s, const char *url)
{
    state_item it;
    tt_err e;
    if (!s)
        return 0;
    T_EQ_INT(state_pop(s, &it, &e), url != NULL);
    if (!url)
        return 0;
    T_EQ_STR(it.url, url);
    state_finish(s, it.off);
    free(it.url);
    return it.deferred;
}

/* One directory per profile; a flat state (the files in the root itself,
 * the older layout) is copied once into each profile's directory, through
 * NAME.tmp (one left by a copy cut short is removed first), and kept. */
static void test_profiles(void)
{
    state *s;
    state_url u;
    tt_err e;
    struct stat st;
    FILE *f;
    fresh_dir();
    /* a new root: each profile its own runs and queue */
    s = open_profile("a", 0, 1);
    state_push(s, SK_ARTICLE, 0, "https://a.vn/1", &e);
    state_close(s, &e);
    s = open_profile("b", 0, 1);
    expect_pop(s, NULL);
    state_close(s, &e);
    s = open_profile("a", 0, 2);
    expect_pop(s, "https://a.vn/1");
    state_close(s, &e);
    T_CHECK(stat(path("run"), &st) != 0);
    /* a flat state: run 1, a mark, a queued entry, a deferred one */
    fresh_dir();
    T_EQ_INT(state_open(dir, 0, &s, &e), TT_OK);
    state_set_done(s, 7, 5);
    state_push(s, SK_ARTICLE, 0, "https://a.vn/2", &e);
    state_defer(s, 8, SK_HUB, 0, "https://a.vn/h", 2, &e);
    state_close(s, &e);
    T_EQ_INT(mkdir(path("a.tmp"), 0777), 0);
    f = fopen(path("a.tmp/urls"), "wb");
    fputs("torn", f);
    fclose(f);
    s = open_profile("a", STATE_NOSYNC, 2);
    T_CHECK(stat(path("a.tmp"), &st) != 0);
    state_get(s, 7, &u);
    T_EQ_INT(u.done_run, 1);
    expect_pop(s, "https://a.vn/2");
    T_EQ_INT(expect_pop(s, "https://a.vn/h"), 2);
    state_close(s, &e);
    /* the flat files kept, as they were, for the next profile */
    s = open_profile("b", 0, 2);
    expect_pop(s, "https://a.vn/2");
    state_close(s, &e);
    T_CHECK(stat(path("b.tmp"), &st) != 0);
    T_CHECK(stat(path("run"), &st) == 0 && S_ISREG(st.st_mode));
    /* copied once: the profile's directory is its own from then on (its
     * queue consumed, where the flat one still holds the entry) */
    s = open_profile("a", 0, 3);
    expect_pop(s, NULL);
    state_close(s, &e);
}

/* An article for the store: id, source, title. */
static void put(store *s, const char *id, const char *source,
                const char *title)
{
    article a;
    memset(&a, 0, sizeof a);
    a.id = xstrdup(id);
    a.url = xstrdup("https://x.vn/a");
    a.source = xstrdup(source);
    a.title = xstrdup(title);
    strlist_push(&a.body, "Đoạn văn.", strlen("Đoạn văn."));
    store_put(s, &a, "https://x.vn/a", xstrdup("HTTP/1.1 200 OK\r\n\r\n"),
              19);
}

/* Ids are one namespace for the sources of a corpus: another source's
 * article is never stored over; the same source's is, as a new version. */
static void test_store_sources(void)
{
    corpus *c;
    store *s;
    store_counts n;
    sbuf src = {0}, url = {0};
    article a;
    tt_err e;
    fresh_dir();
    T_EQ_INT(corpus_open(dir, CORPUS_WRITE | CORPUS_CREATE, NULL, &c, &e),
             TT_OK);
    T_EQ_INT(store_open(c, NULL, &s, &e), TT_OK);
    put(s, "ok5", "sitea", "A");
    T_EQ_INT(store_flush(s, &e), TT_OK);
    T_EQ_INT(store_has(s, "ok5", &src, &url), 1);
    T_EQ_STR(src.s, "sitea");
    T_EQ_STR(url.s, "https://x.vn/a");
    T_EQ_INT(store_has(s, "ok6", &src, NULL), 0);
    T_EQ_INT((int)src.len, 0);
    put(s, "ok5", "siteb", "B");
    put(s, "ok5", "sitea", "A2");
    T_EQ_INT(store_flush(s, &e), TT_OK);
    store_get_counts(s, &n);
    T_EQ_INT((int)n.added, 1);
    T_EQ_INT((int)n.changed, 1);
    T_EQ_INT((int)n.conflicts, 1);
    T_EQ_INT(store_close(s, &e), TT_OK);
    T_EQ_INT(corpus_get(c, "ok5", &a, &e), TT_OK);
    T_EQ_STR(a.source, "sitea");
    T_EQ_STR(a.title, "A2");
    article_free(&a);
    T_EQ_INT(corpus_close(c, &e), TT_OK);
    sbuf_free(&src);
    sbuf_free(&url);
}

static void take(void *arg, const article *a, int changed)
{
    sbuf *b = arg;
    sbuf_addf(b, "%s %s %s %d;", a->id, a->published ? a->published : "-",
              a->modified ? a->modified : "-", changed);
}

/* The versions the writer stored, for the revisits' schedule: new
 * articles and changes, with their dates; not the same article again,
 * nor one refused; store_get reads an article back. */
static void test_store_versions(void)
{
    corpus *c;
    store *s;
    article a;
    sbuf got = {0};
    tt_err e;
    fresh_dir();
    T_EQ_INT(corpus_open(dir, CORPUS_WRITE | CORPUS_CREATE, NULL, &c, &e),
             TT_OK);
    T_EQ_INT(store_open(c, NULL, &s, &e), TT_OK);
    memset(&a, 0, sizeof a);
    a.id = xstrdup("v1");
    a.title = xstrdup("T");
    a.source = xstrdup("sitea");
    a.published = xstrdup("2021-01-01T00:00:00+07:00");
    store_put(s, &a, "https://x.vn/v1", xstrdup("HTTP/1.1 200 OK\r\n\r\n"), 19);
    put(s, "v2", "sitea", "A");
    put(s, "v2", "sitea", "A");  /* the same: no version */
    put(s, "v2", "siteb", "B");  /* another site's: refused */
    put(s, "v2", "sitea", "A2"); /* a change */
    T_EQ_INT(store_flush(s, &e), TT_OK);
    store_take_versions(s, take, &got);
    T_EQ_STR(got.s, "v1 2021-01-01T00:00:00+07:00 - 0;v2 - - 0;v2 - - 1;");
    sbuf_reset(&got);
    store_take_versions(s, take, &got);
    T_EQ_INT((int)got.len, 0); /* taken */
    T_EQ_INT(store_get(s, "v1", &a), 1);
    T_EQ_STR(a.published, "2021-01-01T00:00:00+07:00");
    article_free(&a);
    T_EQ_INT(store_get(s, "v9", &a), 0);
    T_CHECK(a.id == NULL);
    put(s, "v3", "sitea", "C"); /* left untaken: freed by store_close */
    T_EQ_INT(store_close(s, &e), TT_OK);
    T_EQ_INT(corpus_close(c, &e), TT_OK);
    sbuf_free(&got);
}

/* A dry run whose output cannot be written fails, naming the output. */
static void test_store_dry_full(void)
{
    store *s;
    tt_err e;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return; /* no /dev/full here */
    T_EQ_INT(store_open(NULL, f, &s, &e), TT_OK);
    for (int i = 0; i < 3; i++)
        put(s, "ok5", "sitea", "A");
    T_EQ_INT(store_flush(s, &e), TT_EIO);
    T_CHECK(strstr(e.msg, "dry-run output") != NULL);
    T_EQ_INT(store_close(s, &e), TT_EIO);
    fclose(f);
}

int main(void)
{
    tt_err e;
    T_RUN(test_runs_and_marks);
    T_RUN(test_queue_cursor);
    T_RUN(test_push_while_popping);
    T_RUN(test_torn_files);
    T_RUN(test_bad_queue_lines);
    T_RUN(test_validators_hosts);
    T_RUN(test_defer);
    T_RUN(test_defer_runs);
    T_RUN(test_given_up);
    T_RUN(test_given_up_ahead);
    T_RUN(test_unstored);
    T_RUN(test_withdrawn);
    T_RUN(test_versions);
    T_RUN(test_memory_state);
    T_RUN(test_million);
    T_RUN(test_url_log_compaction);
    T_RUN(test_names);
    T_RUN(test_profiles);
    T_RUN(test_store_sources);
    T_RUN(test_store_versions);
    T_RUN(test_store_dry_full);
    tt_rmtree(dir, &e);
    return t_summary();
}
