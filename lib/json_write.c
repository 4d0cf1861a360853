/* json_write.c — see json.h: the writer and UTF-8 checking, which need no
 * JSON library (json.c, the reader, is jansson's door), so programs that
 * only write JSON do not load it. */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at p (n bytes available), or 0 when
 * it is invalid; *cp receives the code point. */
static size_t utf8_seq(const unsigned char *p, size_t n, unsigned *cp)
{
    unsigned c = p[0], v;
    size_t len, i;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        v = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        v = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
        v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

size_t js_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    unsigned cp;
    while (i < n) {
        size_t k;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(p + i, n - i, &cp);
        if (!k)
            break;
        i += k;
    }
    return i;
}

/* ---- writing ---- */

void js_quote(sbuf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0; /* s[run..i) is still to be copied as it is */
    xgrow(&b->s, &b->cap, b->len + len + 3, 1);
    sbuf_addc(b, '"');
    while (i < len) {
        unsigned c = p[i], cp = 0;
        size_t k = 1;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80) {
            k = utf8_seq(p + i, len - i, &cp);
            if (k && cp != 0x2028 && cp != 0x2029) {
                i += k;
                continue;
            }
        }
        /* something to rewrite: copy the run before it */
        sbuf_add(b, s + run, i - run);
        if (c >= 0x80 && !k) {
            sbuf_add(b, "\xef\xbf\xbd", 3); /* U+FFFD for one bad byte */
            k = 1;
        } else if (c >= 0x80) {
            sbuf_adds(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
        } else {
            switch (c) {
            case '"': esc[1] = '"'; break;
            case '\\': esc[1] = '\\'; break;
            case '\b': esc[1] = 'b'; break;
            case '\f': esc[1] = 'f'; break;
            case '\n': esc[1] = 'n'; break;
            case '\r': esc[1] = 'r'; break;
            case '\t': esc[1] = 't'; break;
            default:
                memcpy(esc + 1, "u00", 3);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                break;
            }
            sbuf_adds(b, esc);
        }
        i += k;
        run = i;
    }
    sbuf_add(b, s + run, i - run);
    sbuf_addc(b, '"');
}

#define MAX_DEPTH 256

struct js_writer {
    sbuf *out;
    int pretty;
    int depth;
    int done;       /* a complete top-level value was written */
    int want_value; /* a key was written, its value is due */
    tt_err err;     /* first misuse, sticky */
    struct {
        char type;  /* '{' or '[' */
        size_t n;   /* items written so far */
    } st[MAX_DEPTH];
};

js_writer *js_w_new(sbuf *out, int flags)
{
    js_writer *w = xcalloc(1, sizeof *w);
    w->out = out;
    w->pretty = (flags & JS_PRETTY) != 0;
    return w;
}

int js_w_free(js_writer *w, tt_err *e)
{
    int rc = TT_OK;
    if (!w)
        return TT_OK;
    if (!w->err.code && (w->depth > 0 || !w->done))
        tt_seterr(&w->err, TT_EINVAL, "JSON writer: %s",
                  w->depth ? "unclosed object or array" : "no value written");
    if (w->err.code) {
        rc = w->err.code;
        if (e)
            *e = w->err;
    }
    free(w);
    return rc;
}

static void misuse(js_writer *w, const char *what)
{
    if (!w->err.code)
        tt_seterr(&w->err, TT_EINVAL, "JSON writer: %s", what);
}

static void newline(js_writer *w, int depth)
{
    sbuf_addc(w->out, '\n');
    for (int i = 0; i < depth; i++)
        sbuf_add(w->out, "  ", 2);
}

/* Before a value: check the state, write the separator.  0 = go ahead. */
static int before_value(js_writer *w)
{
    if (w->err.code)
        return -1;
    if (w->depth == 0) {
        if (w->done) {
            misuse(w, "second top-level value");
            return -1;
        }
        return 0;
    }
    if (w->st[w->depth - 1].type == '{') {
        if (!w->want_value) {
            misuse(w, "object member without a key");
            return -1;
        }
        w->want_value = 0;
        return 0;
    }
    if (w->st[w->depth - 1].n++)
        sbuf_addc(w->out, ',');
    if (w->pretty)
        newline(w, w->depth);
    return 0;
}

static void after_value(js_writer *w)
{
    if (w->depth == 0)
        w->done = 1;
}

static void begin(js_writer *w, char type)
{
    if (before_value(w))
        return;
    if (w->depth == MAX_DEPTH) {
        misuse(w, "nesting too deep");
        return;
    }
    sbuf_addc(w->out, type);
    w->st[w->depth].type = type;
    w->st[w->depth].n = 0;
    w->depth++;
}

static void end(js_writer *w, char type)
{
    if (w->err.code)
        return;
    if (w->depth == 0 || w->st[w->depth - 1].type != type || w->want_value) {
        misuse(w, type == '{' ? "unbalanced object end" : "unbalanced array end");
        return;
    }
    w->depth--;
    if (w->pretty && w->st[w->depth].n)
        newline(w, w->depth);
    sbuf_addc(w->out, type == '{' ? '}' : ']');
    after_value(w);
}

void js_w_obj_begin(js_writer *w) { begin(w, '{'); }
void js_w_obj_end(js_writer *w) { end(w, '{'); }
void js_w_arr_begin(js_writer *w) { begin(w, '['); }
void js_w_arr_end(js_writer *w) { end(w, '['); }

void js_w_keyn(js_writer *w, const char *key, size_t len)
{
    if (w->err.code)
        return;
    if (w->depth == 0 || w->st[w->depth - 1].type != '{' || w->want_value) {
        misuse(w, "key outside an object");
        return;
    }
    if (w->st[w->depth - 1].n++)
        sbuf_addc(w->out, ',');
    if (w->pretty)
        newline(w, w->depth);
    js_quote(w->out, key, len);
    sbuf_add(w->out, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->want_value = 1;
}

void js_w_key(js_writer *w, const char *key)
{
    js_w_keyn(w, key, strlen(key));
}

void js_w_strn(js_writer *w, const char *s, size_t len)
{
    if (before_value(w))
        return;
    js_quote(w->out, s, len);
    after_value(w);
}

void js_w_str(js_writer *w, const char *s)
{
    if (!s)
        js_w_null(w);
    else
        js_w_strn(w, s, strlen(s));
}

void js_w_int(js_writer *w, int64_t v)
{
    if (before_value(w))
        return;
    sbuf_addf(w->out, "%lld", (long long)v);
    after_value(w);
}

void js_w_uint(js_writer *w, uint64_t v)
{
    if (before_value(w))
        return;
    sbuf_addf(w->out, "%llu", (unsigned long long)v);
    after_value(w);
}

void js_w_double(js_writer *w, double v)
{
    char buf[40];
    if (!isfinite(v)) {
        js_w_null(w);
        return;
    }
    if (before_value(w))
        return;
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        for (char *p = buf; *p; p++) /* a locale may use a decimal comma */
            if (*p == ',')
                *p = '.';
        if (strtod(buf, NULL) == v)
            break;
    }
    sbuf_adds(w->out, buf);
    if (!strpbrk(buf, ".e")) /* 0 as 0.0: a double looks like one */
        sbuf_adds(w->out, ".0");
    after_value(w);
}

void js_w_bool(js_writer *w, int v)
{
    if (before_value(w))
        return;
    sbuf_adds(w->out, v ? "true" : "false");
    after_value(w);
}

void js_w_null(js_writer *w)
{
    if (before_value(w))
        return;
    sbuf_adds(w->out, "null");
    after_value(w);
}
