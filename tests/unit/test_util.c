/* test_util.c — the number and size parsers of the command lines, the
 * set of 64-bit keys, text made safe for a terminal, and the crash guard
 * (lib/util.h). */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "unicode.h"
#include "util.h"

static void test_parse_u64(void)
{
    uint64_t v = 7;
    T_EQ_INT(tt_parse_u64("0", 10, &v), 0);
    T_EQ_INT(v, 0);
    T_EQ_INT(tt_parse_u64("10", 10, &v), 0);
    T_EQ_INT(v, 10);
    T_EQ_INT(tt_parse_u64("11", 10, &v), -1);
    T_EQ_INT(tt_parse_u64("5", 3, &v), -1); /* a digit above max */
    T_EQ_INT(tt_parse_u64("3", 3, &v), 0);
    T_EQ_INT(tt_parse_u64("1", 0, &v), -1);
    T_EQ_INT(tt_parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
    T_CHECK(v == UINT64_MAX);
    T_EQ_INT(tt_parse_u64("18446744073709551616", UINT64_MAX, &v), -1);
    const char *bad[] = {"", "-1", "+1", " 1", "1 ", "1x", "0x10", NULL};
    for (size_t i = 0; bad[i]; i++)
        T_EQ_INT(tt_parse_u64(bad[i], UINT64_MAX, &v), -1);
    T_EQ_INT(tt_parse_u64(NULL, 1, &v), -1);
}

static void test_parse_size(void)
{
    uint64_t v = 0;
    T_EQ_INT(tt_parse_size("512", UINT64_MAX, &v), 0);
    T_EQ_INT(v, 512);
    T_EQ_INT(tt_parse_size("2k", UINT64_MAX, &v), 0);
    T_EQ_INT(v, 2048);
    T_EQ_INT(tt_parse_size("3M", UINT64_MAX, &v), 0);
    T_EQ_INT(v, 3u << 20);
    T_EQ_INT(tt_parse_size("1g", UINT64_MAX, &v), 0);
    T_EQ_INT(v, 1ull << 30);
    /* the bound holds after the suffix */
    T_EQ_INT(tt_parse_size("1G", 1ull << 30, &v), 0);
    T_EQ_INT(tt_parse_size("2G", 1ull << 30, &v), -1);
    T_EQ_INT(tt_parse_size("1025M", 1ull << 30, &v), -1);
    T_EQ_INT(tt_parse_size("17179869184G", UINT64_MAX, &v), -1); /* 2^64 */
    const char *bad[] = {"", "0", "0k", "k", "1.5M", "1T", "1KB", "-1",
                         "123456789012345678901234567890123", NULL};
    for (size_t i = 0; bad[i]; i++)
        T_EQ_INT(tt_parse_size(bad[i], UINT64_MAX, &v), -1);
    T_EQ_INT(tt_parse_size(NULL, 1, &v), -1);
}

static void test_u64set(void)
{
    u64set s = {0};
    T_EQ_INT(u64set_has(&s, 7), 0);
    T_EQ_INT(u64set_has(&s, 0), 0);
    T_EQ_INT(u64set_add(&s, 0), 1);
    T_EQ_INT(u64set_add(&s, 0), 0);
    /* keys alike in their low bits, past several growths */
    for (uint64_t k = 1; k <= 5000; k++)
        T_EQ_INT(u64set_add(&s, k << 32), 1);
    T_EQ_INT(u64set_add(&s, 77ull << 32), 0);
    T_EQ_INT(s.n, 5000);
    for (uint64_t k = 1; k <= 5000; k++)
        T_CHECK(u64set_has(&s, k << 32));
    T_EQ_INT(u64set_has(&s, 5001ull << 32), 0);
    T_EQ_INT(u64set_has(&s, 0), 1);
    u64set_free(&s);
    T_EQ_INT(u64set_has(&s, 1ull << 32), 0);
    u64set_free(&s); /* twice is fine */
}

static void test_clean_controls(void)
{
    /* C0, DEL and C1 (U+0080-U+009F in UTF-8) each byte as '?', tab and
     * line breaks as ' '; other UTF-8 (U+00A0, U+2028, ư) kept */
    char s[] = "a\033[31m\t\n\r\177\xc2\x9b" "2J \xc2\xa0\xe2\x80\xa8\xc6\xb0";
    T_CHECK(tt_has_controls(s));
    tt_clean_controls(s);
    T_EQ_STR(s, "a?[31m   ???2J \xc2\xa0\xe2\x80\xa8\xc6\xb0");
    T_CHECK(!tt_has_controls(s));
    T_CHECK(!tt_has_controls(""));
    T_CHECK(tt_has_controls("x\xc2\x80"));
    T_CHECK(!tt_has_controls("x\xc2"));
}

/* An article's link: absolute http(s), nothing else. */
static void test_web_url(void)
{
    T_CHECK(tt_web_url("https://ex.vn/a?b=c#d"));
    T_CHECK(tt_web_url("HTTP://EX.VN/"));
    T_CHECK(!tt_web_url(NULL));
    T_CHECK(!tt_web_url(""));
    T_CHECK(!tt_web_url("javascript:alert(1)"));
    T_CHECK(!tt_web_url("/relative/path"));
    T_CHECK(!tt_web_url("//ex.vn/a"));
    T_CHECK(!tt_web_url("ftp://ex.vn/a"));
    T_CHECK(!tt_web_url(" https://ex.vn/a"));
    T_CHECK(!tt_web_url("https://ex.vn/a b"));
    T_CHECK(!tt_web_url("https://ex.vn/\x7f"));
}

/* Read what fd gives until its end into out (reset). */
static void slurp(int fd, sbuf *out)
{
    char buf[4096];
    ssize_t k;
    sbuf_reset(out);
    while ((k = read(fd, buf, sizeof buf)) > 0)
        sbuf_add(out, buf, (size_t)k);
    sbuf_adds(out, "");
}

/* A child that installs the guard, arms a reply (disarmed again when
 * disarm), and dies of sig: its exit status, what it wrote on standard
 * error into err, and the reply into reply. */
static int crash_child(int sig, int disarm, sbuf *err, sbuf *reply)
{
    int e[2], r[2], st = -1;
    pid_t pid;
    if (pipe(e) || pipe(r))
        return -1;
    fflush(NULL);
    if ((pid = fork()) == 0) {
        static const char page[] = "Status: 500 Internal Server Error\r\n";
        char tail[3000];
        dup2(e[1], 2);
        close(e[0]);
        close(r[0]);
        /* a tail longer than the guard keeps, of 3-byte characters */
        memset(tail, 0, sizeof tail);
        for (size_t i = 0; i + 3 < sizeof tail; i += 3)
            memcpy(tail + i, "\xe1\xbb\x87", 3);
        tt_crash_guard(1, "prog[1]: error: crashed by ", ": db %s", "/x");
        tt_crash_text("prog[2]: error: crashed by ", ": tail %s", tail);
        tt_crash_reply(r[1], page, sizeof page - 1);
        if (disarm)
            tt_crash_reply(-1, NULL, 0);
        raise(sig);
        _exit(0); /* not reached */
    }
    close(e[1]);
    close(r[1]);
    slurp(e[0], err);
    slurp(r[0], reply);
    close(e[0]);
    close(r[0]);
    waitpid(pid, &st, 0);
    return st;
}

/* The guard: a line on standard error (the time, the head, the signal,
 * the tail cut on a character boundary), the reply armed, exit 70. */
static void test_crash_guard(void)
{
    sbuf err = {0}, reply = {0};
    int st = crash_child(SIGSEGV, 0, &err, &reply);
    T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == TT_EXIT_CRASH);
    /* 2026-11-30T18:58:40Z prog[2]: ... */
    T_CHECK(err.len > 21 && err.s[4] == '-' && err.s[10] == 'T' &&
            err.s[19] == 'Z' && err.s[20] == ' ');
    T_CHECK(strstr(err.s, " prog[2]: error: crashed by SIGSEGV: tail "
                          "\xe1\xbb\x87") == err.s + 20);
    T_CHECK(err.s[err.len - 1] == '\n' && uni_valid(err.s, err.len));
    T_CHECK(err.len < 21 + 2 * TT_CRASH_TEXT_MAX + 16);
    T_EQ_STR(reply.s, "Status: 500 Internal Server Error\r\n");
    st = crash_child(SIGBUS, 1, &err, &reply);
    T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == TT_EXIT_CRASH);
    T_CHECK(strstr(err.s, "crashed by SIGBUS: tail") != NULL);
    T_EQ_STR(reply.s, ""); /* disarmed: a response had begun */
    sbuf_free(&err);
    sbuf_free(&reply);
}

int main(void)
{
    T_RUN(test_parse_u64);
    T_RUN(test_parse_size);
    T_RUN(test_u64set);
    T_RUN(test_clean_controls);
    T_RUN(test_web_url);
    T_RUN(test_crash_guard);
    return t_summary();
}
