/* test_json.c — lib/json.h: parsing, UTF-8 checks, the writer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "t.h"

static void test_parse_values(void)
{
    const char *text = "{\"s\":\"a\\u00e9\\n\\\"\",\"i\":-42,\"r\":1.5,"
                       "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,\"x\",[]],"
                       "\"o\":{\"k\":\"v\"}}";
    js_value *root = NULL;
    tt_err e;
    const js_value *a;
    const char *s, *key;
    size_t len;
    int64_t i;
    double d;
    void *it = NULL;
    const js_value *val;
    int n = 0;

    T_EQ_INT(js_parse(text, strlen(text), &root, &e), TT_OK);
    T_CHECK(js_is_object(root));
    s = js_str(js_get(root, "s"), &len);
    T_EQ_STR(s, "a\xc3\xa9\n\"");
    T_EQ_INT(len, 5);
    T_EQ_INT(js_int(js_get(root, "i"), &i), 0);
    T_EQ_INT(i, -42);
    T_EQ_INT(js_int(js_get(root, "r"), &i), -1);
    T_EQ_INT(js_number(js_get(root, "r"), &d), 0);
    T_CHECK(d == 1.5);
    T_EQ_INT(js_bool(js_get(root, "t")), 1);
    T_EQ_INT(js_bool(js_get(root, "f")), 0);
    T_EQ_INT(js_bool(js_get(root, "n")), -1);
    T_CHECK(js_is_null(js_get(root, "n")));
    T_CHECK(js_is_null(js_get(root, "missing"))); /* NULL reads as null */
    T_CHECK(js_get(root, "missing") == NULL);
    a = js_get(root, "a");
    T_EQ_INT(js_len(a), 3);
    T_CHECK(js_is_int(js_at(a, 0)));
    T_EQ_STR(js_str(js_at(a, 1), NULL), "x");
    T_CHECK(js_is_array(js_at(a, 2)));
    T_CHECK(js_at(a, 3) == NULL);
    T_CHECK(js_str(js_at(a, 0), NULL) == NULL);
    T_EQ_STR(js_str(js_get(js_get(root, "o"), "k"), NULL), "v");
    T_CHECK(js_get(a, "k") == NULL); /* not an object */
    T_EQ_INT(js_len(root), 0);        /* not an array */
    T_EQ_INT(js_typeof(js_get(root, "t")), JS_BOOL);
    T_EQ_INT(js_typeof(js_get(root, "r")), JS_REAL);
    while (js_next(root, &it, &key, &val)) {
        static const char *order[] = {"s", "i", "r", "t", "f", "n", "a", "o"};
        if (n < 8)
            T_EQ_STR(key, order[n]);
        n++;
    }
    T_EQ_INT(n, 8);
    T_EQ_INT(js_next(root, &it, &key, &val), 0); /* stays finished */
    js_free(root);
    js_free(NULL);
}

static void test_parse_errors(void)
{
    js_value *root = (js_value *)1;
    tt_err e;
    const char *bad = "{\n  \"a\": 1,\n  \"b\": }";
    T_EQ_INT(js_parse(bad, strlen(bad), &root, &e), TT_EINVAL);
    T_CHECK(root == NULL);
    T_CHECK(strstr(e.msg, "invalid JSON at line 3, column") != NULL);
    T_EQ_INT(js_parse("", 0, &root, &e), TT_EINVAL);
    T_EQ_INT(js_parse("[1] x", 5, &root, &e), TT_EINVAL);  /* trailing junk */
    T_EQ_INT(js_parse("\"a\xff\"", 4, &root, &e), TT_EINVAL); /* bad UTF-8 */
    T_EQ_INT(js_parse("\"\\u0000\"", 8, &root, &e), TT_EINVAL);
    T_EQ_INT(js_parse("\"\\ud800\"", 8, &root, &e), TT_EINVAL); /* lone surrogate */
    /* scalars are fine at top level */
    T_EQ_INT(js_parse("3", 1, &root, &e), TT_OK);
    T_CHECK(js_is_int(root));
    js_free(root);
}

static void test_utf8(void)
{
    T_EQ_INT(js_utf8_valid("abc", 3), 3);
    T_EQ_INT(js_utf8_valid("\xc3\xa9\xe1\xbb\x87\xf0\x9f\x98\x80", 9), 9);
    T_EQ_INT(js_utf8_valid("a\xc0\x80", 3), 1);         /* overlong NUL */
    T_EQ_INT(js_utf8_valid("a\xe0\x80\xaf", 4), 1);     /* overlong '/' */
    T_EQ_INT(js_utf8_valid("ab\xed\xa0\x80", 5), 2);    /* surrogate */
    T_EQ_INT(js_utf8_valid("\xf4\x90\x80\x80", 4), 0);  /* > U+10FFFF */
    T_EQ_INT(js_utf8_valid("x\xe1\xbb", 3), 1);         /* cut short */
    T_EQ_INT(js_utf8_valid("\x80", 1), 0);              /* lone continuation */
    T_EQ_INT(js_utf8_valid("\xf8\x88\x80\x80\x80", 5), 0);
    T_EQ_INT(js_utf8_valid("a\0b", 3), 3);
}

static void test_quote(void)
{
    sbuf b = {0};
    js_quote(&b, "a\"b\\c\n\t\x01\x1f\x7f/", 11);
    T_EQ_STR(b.s, "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\x7f/\"");
    sbuf_reset(&b);
    js_quote(&b, "x\xe2\x80\xa8y\xe2\x80\xa9z", 9);
    T_EQ_STR(b.s, "\"x\\u2028y\\u2029z\"");
    sbuf_reset(&b);
    js_quote(&b, "\xff\xc3(\xe1\xbb\x87", 6); /* bad bytes become U+FFFD */
    T_EQ_STR(b.s, "\"\xef\xbf\xbd\xef\xbf\xbd(\xe1\xbb\x87\"");
    sbuf_reset(&b);
    js_quote(&b, "a\0b", 3);
    T_EQ_STR(b.s, "\"a\\u0000b\"");
    sbuf_reset(&b);
    js_quote(&b, "\b\f\r", 3);
    T_EQ_STR(b.s, "\"\\b\\f\\r\"");
    sbuf_free(&b);
}

static void test_writer_compact(void)
{
    sbuf b = {0};
    tt_err e;
    js_writer *w = js_w_new(&b, 0);
    js_w_obj_begin(w);
    js_w_key(w, "a");
    js_w_arr_begin(w);
    js_w_int(w, INT64_MIN);
    js_w_uint(w, UINT64_MAX);
    js_w_double(w, 0.1);
    js_w_double(w, 1e300);
    js_w_double(w, NAN);
    js_w_double(w, -2.5);
    js_w_bool(w, 1);
    js_w_bool(w, 0);
    js_w_null(w);
    js_w_str(w, NULL);
    js_w_arr_end(w);
    js_w_key(w, "e");
    js_w_obj_begin(w);
    js_w_obj_end(w);
    js_w_keyn(w, "k\"ey", 4);
    js_w_strn(w, "v\nw", 3);
    js_w_key(w, "z");
    js_w_arr_begin(w);
    js_w_arr_end(w);
    js_w_obj_end(w);
    T_EQ_INT(js_w_free(w, &e), TT_OK);
    T_EQ_STR(b.s, "{\"a\":[-9223372036854775808,18446744073709551615,0.1,"
                  "1e+300,null,-2.5,true,false,null,null],\"e\":{},"
                  "\"k\\\"ey\":\"v\\nw\",\"z\":[]}");
    {   /* what the writer writes, the parser reads (jansson reads no
         * integers above INT64_MAX, so without that one) */
        js_value *root;
        double d;
        sbuf_reset(&b);
        w = js_w_new(&b, 0);
        js_w_obj_begin(w);
        js_w_key(w, "k\"ey");
        js_w_strn(w, "v\n\xe2\x80\xa8w", 6);
        js_w_key(w, "d");
        js_w_double(w, 0.1);
        js_w_obj_end(w);
        T_EQ_INT(js_w_free(w, &e), TT_OK);
        T_EQ_INT(js_parse(b.s, b.len, &root, &e), TT_OK);
        T_EQ_STR(js_str(js_get(root, "k\"ey"), NULL), "v\n\xe2\x80\xa8w");
        T_EQ_INT(js_number(js_get(root, "d"), &d), 0);
        T_CHECK(d == 0.1);
        js_free(root);
    }
    sbuf_free(&b);
}

/* A double is written as one whatever its value: 0 as 0.0, never as the
 * integer 0 (a reader typing numbers by their form sees one type). */
static void test_writer_doubles(void)
{
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {0, "0.0"},        {-0.0, "-0.0"},    {3, "3.0"},
        {-12, "-12.0"},    {18.14, "18.14"},  {1e300, "1e+300"},
        {1e-7, "1e-07"},   {123456789012345, "123456789012345.0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sbuf b = {0};
        js_writer *w = js_w_new(&b, 0);
        js_w_double(w, cases[i].v);
        T_EQ_INT(js_w_free(w, NULL), TT_OK);
        T_EQ_STR(b.s, cases[i].want);
        sbuf_free(&b);
    }
}

static void test_writer_pretty(void)
{
    sbuf b = {0};
    js_writer *w = js_w_new(&b, JS_PRETTY);
    js_w_obj_begin(w);
    js_w_key(w, "a");
    js_w_int(w, 1);
    js_w_key(w, "b");
    js_w_arr_begin(w);
    js_w_str(w, "x");
    js_w_arr_begin(w);
    js_w_arr_end(w);
    js_w_arr_end(w);
    js_w_obj_end(w);
    T_EQ_INT(js_w_free(w, NULL), TT_OK);
    T_EQ_STR(b.s, "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    []\n  ]\n}");
    sbuf_free(&b);
}

static void test_writer_misuse(void)
{
    sbuf b = {0};
    tt_err e;
    js_writer *w = js_w_new(&b, 0);
    js_w_obj_begin(w);
    js_w_int(w, 1); /* no key */
    js_w_obj_end(w);
    T_EQ_INT(js_w_free(w, &e), TT_EINVAL);
    T_CHECK(strstr(e.msg, "without a key") != NULL);

    sbuf_reset(&b);
    w = js_w_new(&b, 0);
    js_w_arr_begin(w);
    T_EQ_INT(js_w_free(w, &e), TT_EINVAL); /* unclosed */

    sbuf_reset(&b);
    w = js_w_new(&b, 0);
    js_w_arr_begin(w);
    js_w_obj_end(w); /* wrong closer */
    js_w_arr_end(w);
    T_EQ_INT(js_w_free(w, &e), TT_EINVAL);
    T_CHECK(strstr(e.msg, "unbalanced") != NULL);

    sbuf_reset(&b);
    w = js_w_new(&b, 0);
    js_w_int(w, 1);
    js_w_int(w, 2); /* a second top-level value */
    T_EQ_INT(js_w_free(w, &e), TT_EINVAL);

    sbuf_reset(&b);
    w = js_w_new(&b, 0);
    js_w_key(w, "k"); /* key outside an object */
    T_EQ_INT(js_w_free(w, &e), TT_EINVAL);

    sbuf_reset(&b);
    w = js_w_new(&b, 0);
    for (int i = 0; i < 300; i++) /* too deep: an error, not a crash */
        js_w_arr_begin(w);
    T_EQ_INT(js_w_free(w, &e), TT_EINVAL);
    T_EQ_INT(js_w_free(NULL, &e), TT_OK);
    sbuf_free(&b);
}

int main(void)
{
    T_RUN(test_parse_values);
    T_RUN(test_parse_errors);
    T_RUN(test_utf8);
    T_RUN(test_quote);
    T_RUN(test_writer_compact);
    T_RUN(test_writer_pretty);
    T_RUN(test_writer_doubles);
    T_RUN(test_writer_misuse);
    return t_summary();
}
