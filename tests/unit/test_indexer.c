/* test_indexer.c — the id term of lib/analyze.h (long ids). */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "schema.h"
#include "sha1.h"
#include "t.h"

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
 * ones get a term of at most XAP_MAX_TERM bytes, their start and the
 * SHA-1 of the whole id, distinct for ids that differ only at their end. */
static void test_id_term(void)
{
    sbuf t = {0}, t2 = {0};
    char *fits = make_id(XAP_MAX_TERM - 1, 'a', 'z');
    char *over = make_id(XAP_MAX_TERM, 'a', 'z');
    char *over2 = make_id(XAP_MAX_TERM, 'a', 'y');
    char *max = make_id(1024, 'b', 'z');
    unsigned char d[SHA1_LEN];
    char hex[2 * SHA1_LEN + 1];

    an_id_term("demo-1", 6, &t);
    T_CHECK(t.len == 7 && !memcmp(t.s, PFX_ID "demo-1", 7));
    an_id_term(fits, strlen(fits), &t);
    T_EQ_INT(t.len, XAP_MAX_TERM);
    T_CHECK(!memcmp(t.s, PFX_ID, 1) && !memcmp(t.s + 1, fits, strlen(fits)));

    an_id_term(over, strlen(over), &t);
    sha1(over, strlen(over), d);
    sha1_hex(d, hex);
    T_CHECK(t.len <= XAP_MAX_TERM && t.len > 2 * SHA1_LEN + 1);
    T_CHECK(!memcmp(t.s, PFX_ID, 1) &&
            !memcmp(t.s + 1, over, t.len - 1 - 2 * SHA1_LEN) &&
            !memcmp(t.s + t.len - 2 * SHA1_LEN, hex, 2 * SHA1_LEN));
    an_id_term(over2, strlen(over2), &t2);
    T_CHECK(t2.len == t.len && memcmp(t.s, t2.s, t.len) != 0);
    an_id_term(max, strlen(max), &t);
    T_CHECK(t.len <= XAP_MAX_TERM);

    /* the start is cut at a character boundary: "ầ" is 3 bytes */
    sbuf_reset(&t2);
    for (int i = 0; i < 100; i++)
        sbuf_adds(&t2, "ầ");
    an_id_term(t2.s, t2.len, &t);
    T_EQ_INT((t.len - 1 - 2 * SHA1_LEN) % 3, 0);
    T_CHECK(t.len <= XAP_MAX_TERM);

    free(fits);
    free(over);
    free(over2);
    free(max);
    sbuf_free(&t);
    sbuf_free(&t2);
}

int main(void)
{
    T_RUN(test_id_term);
    return t_summary();
}
