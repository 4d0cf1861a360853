/* fuzz_state.c — the crawl state directory with one of its files holding
 * any bytes (a disk error, a hand edit, a file of another program): the
 * crawler either refuses it with an error or opens it, pops what its
 * queue holds, records marks and checkpoints, and opens it again.  The
 * input's first byte picks the file; the others are those of a small
 * valid state, made once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "state.h"
#include "tmp.h"

static const char *const files[] = {"run",       "urls",  "queue",
                                    "cursor",    "validators", "hosts",
                                    "deferred",  "given-up", "versions"};
#define NFILES (sizeof files / sizeof files[0])

static char top[TMP_PATH_MAX];
static sbuf tmpl, work;
static char *saved[NFILES];
static size_t saved_len[NFILES];

static void cleanup(void)
{
    tt_rmtree(top, NULL);
    for (size_t i = 0; i < NFILES; i++)
        free(saved[i]);
    sbuf_free(&tmpl);
    sbuf_free(&work);
}

static void put_file(const char *dir, const char *name, const void *p,
                     size_t n)
{
    sbuf path = {0};
    sbuf_addf(&path, "%s/%s", dir, name);
    FILE *f = fopen(path.s, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        fuzz_fail("cannot write a state file");
    sbuf_free(&path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    state *s = NULL;
    state_item it;
    tt_err e;
    (void)argc;
    (void)argv;
    tmp_path(top, sizeof top, "tt-fuzz-XXXXXX");
    if (!mkdtemp(top))
        fuzz_fail("mkdtemp");
    atexit(cleanup);
    sbuf_addf(&tmpl, "%s/template", top);
    sbuf_addf(&work, "%s/state", top);
    /* two runs: marks, validators, a host, a deferred page (two runs in a
     * row: back in the queue with its count), a URL given up on, a queue
     * half consumed */
    for (int run = 0; run < 2; run++) {
        if (state_open(tmpl.s, 0, &s, &e) != TT_OK)
            fuzz_fail(e.msg);
        state_push(s, SK_HUB, 0, "https://tuoitre.vn/thoi-su.htm", &e);
        state_push(s, SK_ARTICLE, 1, "https://tuoitre.vn/a-2024.htm", &e);
        state_push(s, SK_SITEMAP, 0, "https://tuoitre.vn/sitemap.xml", &e);
        if (state_pop(s, &it, &e) == 1) {
            state_finish(s, it.off);
            free(it.url);
        }
        state_set_seen(s, 42 + (uint64_t)run);
        state_set_done(s, 42, 1700000000u);
        state_set_since(s, 42, 1690000000u + (uint32_t)run);
        state_set_validators(s, 7, "\"etag\"", "Wed, 01 May 2024 08:00:00 GMT",
                             &(state_reading){0x5eed, 1700000000});
        state_set_host_next(s, "tuoitre.vn", 1700000100.5);
        state_defer(s, 99, SK_ARTICLE, 1, "https://tuoitre.vn/b-2024.htm",
                    (unsigned)run + 1, &e);
        state_defer(s, 99, SK_ARTICLE, 1, "https://tuoitre.vn/b-2024.htm",
                    (unsigned)run + 1, &e);
        state_give_up(s, 98 + (uint64_t)run, 1700000300u,
                      "https://tuoitre.vn/ban-doc.htm");
        if (state_close(s, &e) != TT_OK)
            fuzz_fail(e.msg);
    }
    for (size_t i = 0; i < NFILES; i++) {
        sbuf path = {0};
        sbuf_addf(&path, "%s/%s", tmpl.s, files[i]);
        if (tt_read_file(path.s, 1 << 20, &saved[i], &saved_len[i], &e))
            saved[i] = NULL; /* not there: stays absent */
        sbuf_free(&path);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    state *s = NULL;
    state_item it;
    tt_err e;
    if (!size)
        return 0;
    tt_rmtree(work.s, NULL);
    if (tt_mkdirs(work.s, NULL) != TT_OK)
        fuzz_fail("cannot make the state directory");
    for (size_t i = 0; i < NFILES; i++)
        if (saved[i])
            put_file(work.s, files[i], saved[i], saved_len[i]);
    put_file(work.s, files[data[0] % NFILES], data + 1, size - 1);

    for (int round = 0; round < 2; round++) {
        if (state_open(work.s, 0, &s, &e) != TT_OK)
            return 0; /* refused with a message: fine */
        state_url u;
        state_get(s, 42, &u);
        for (int k = 0; k < 64; k++) {
            int r = state_pop(s, &it, &e);
            if (r != 1)
                break;
            if (!it.url || strchr(it.url, ' ') || strchr(it.url, '\n'))
                fuzz_fail("a popped URL with white space");
            if (it.deferred > STATE_MAX_RUNS)
                fuzz_fail("a popped entry deferred more runs than a count says");
            state_finish(s, it.off);
            free(it.url);
        }
        state_set_done(s, 99, 1700000200u);
        state_since(s, 42);
        state_set_since(s, 99, 1700000100u);
        if (state_since(s, 99) != 1700000100u)
            fuzz_fail("a version's time not read back as set");
        state_validators(s, 7, &(state_reading){0x5eed, STATE_NO_SINCE},
                         &(const char *){NULL}, &(const char *){NULL});
        state_host_next(s, "tuoitre.vn");
        /* marks given up read back as set, forgotten, expired */
        {
            uint32_t when = 0;
            if (state_given_up(s, 98, &when) && when == 0)
                fuzz_fail("a URL given up on at time 0");
            state_give_up(s, 97, 1700000400u, "https://tuoitre.vn/x.htm");
            if (!state_given_up(s, 97, NULL))
                fuzz_fail("a URL given up on is not");
            state_forget_given_up(s, 98);
            if (state_given_up(s, 98, NULL))
                fuzz_fail("a forgotten mark stays");
            state_expire_given_up(s, 1700000350u);
        }
        if (state_close(s, &e) != TT_OK && round == 1)
            fuzz_fail("a state that opened twice could not checkpoint");
    }
    return 0;
}
