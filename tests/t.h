/* t.h — a tiny unit-test harness, header only.
 *
 * A test file defines static void functions and runs them from main with
 * T_RUN(fn).  Each prints "ok - name" or "FAIL - name" with the failing
 * checks; main returns t_summary(), which prints "N passed, N failed" and
 * returns non-zero when anything failed.  tests/run.sh adds the counts up.
 */
#ifndef TT_T_H
#define TT_T_H

#include <stdio.h>
#include <string.h>

static int t_passed, t_failed, t_cur_failed;

#define T_CHECK(cond)                                                        \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                        \
            t_cur_failed++;                                                  \
        }                                                                    \
    } while (0)

#define T_EQ_INT(a, b)                                                       \
    do {                                                                     \
        long long t_a_ = (long long)(a), t_b_ = (long long)(b);              \
        if (t_a_ != t_b_) {                                                  \
            fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n",          \
                    __FILE__, __LINE__, #a, t_a_, t_b_);                     \
            t_cur_failed++;                                                  \
        }                                                                    \
    } while (0)

#define T_EQ_STR(a, b)                                                       \
    do {                                                                     \
        const char *t_a_ = (a), *t_b_ = (b);                                 \
        if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_) != 0) {                     \
            fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n",      \
                    __FILE__, __LINE__, #a, t_a_ ? t_a_ : "(null)",          \
                    t_b_ ? t_b_ : "(null)");                                 \
            t_cur_failed++;                                                  \
        }                                                                    \
    } while (0)

#define T_RUN(fn)                                                            \
    do {                                                                     \
        t_cur_failed = 0;                                                    \
        fn();                                                                \
        if (t_cur_failed) {                                                  \
            t_failed++;                                                      \
            printf("FAIL - %s\n", #fn);                                      \
        } else {                                                             \
            t_passed++;                                                      \
            printf("ok - %s\n", #fn);                                        \
        }                                                                    \
        fflush(stdout);                                                      \
    } while (0)

static inline int t_summary(void)
{
    printf("%d passed, %d failed\n", t_passed, t_failed);
    return t_failed ? 1 : 0;
}

#endif
