/* article.c — see article.h.  JSON goes through lib/json.h. */
#include "article.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void strlist_push(strlist *l, const char *s, size_t len)
{
    xgrow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n++] = xstrndup(s, len);
}

void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

int strlist_equal(const strlist *a, const strlist *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]))
            return 0;
    return 1;
}

void article_free(article *a)
{
    if (!a)
        return;
    free(a->id);
    free(a->url);
    free(a->title);
    free(a->sapo);
    free(a->section);
    free(a->published);
    free(a->modified);
    free(a->source);
    free(a->image);
    free(a->canonical);
    free(a->response);
    strlist_free(&a->body);
    strlist_free(&a->captions);
    strlist_free(&a->authors);
    strlist_free(&a->tags);
    memset(a, 0, sizeof *a);
}

/* ---- parsing ---- */

/* Which top-level member holds byte bad of the JSON text?  A small lexer
 * over the (so far valid) text before it; writes the member's key, or
 * "a key" when bad is inside a key, into name.  0 if found. */
static int field_at(const char *s, size_t bad, char *name, size_t cap)
{
    int depth = 0, in_str = 0, esc = 0, expect_key = 0, is_key = 0;
    size_t key_start = 0, i;
    name[0] = '\0';
    for (i = 0; i < bad; i++) {
        char c = s[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"') {
                in_str = 0;
                if (is_key) {
                    size_t n = i - key_start;
                    if (n >= cap)
                        n = cap - 1;
                    memcpy(name, s + key_start, n);
                    name[n] = '\0';
                    is_key = 0;
                }
            }
            continue;
        }
        switch (c) {
        case '"':
            in_str = 1;
            is_key = depth == 1 && expect_key;
            key_start = i + 1;
            break;
        case '{':
        case '[':
            if (depth == 0 && c == '[')
                return -1; /* not an object */
            depth++;
            expect_key = depth == 1;
            break;
        case '}':
        case ']':
            depth--;
            break;
        case ',':
            if (depth == 1)
                expect_key = 1;
            break;
        case ':':
            if (depth == 1)
                expect_key = 0;
            break;
        default:
            break;
        }
    }
    if (depth < 1)
        return -1;
    if (in_str && is_key) {
        snprintf(name, cap, "a key");
        return 0;
    }
    return name[0] ? 0 : -1;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* A string member: absent, null and "" leave *out NULL. */
static int get_str(const js_value *o, const char *key, char **out, tt_err *e)
{
    const js_value *v = js_get(o, key);
    const char *s;
    size_t n;
    if (js_is_null(v))
        return TT_OK;
    if (!(s = js_str(v, &n)))
        return tt_seterr(e, TT_EINVAL, "%s is not a string", key);
    if (n)
        *out = xstrndup(s, n);
    return TT_OK;
}

/* Push the lines of s (split at "\n", a trailing "\r" dropped), or s whole
 * when split is 0, leaving out blank ones. */
static void push_text(strlist *l, const char *s, size_t n, int split)
{
    while (n) {
        const char *nl = split ? memchr(s, '\n', n) : NULL;
        size_t k = nl ? (size_t)(nl - s) : n, keep = k;
        if (split && keep && s[keep - 1] == '\r')
            keep--;
        if (!is_blank(s, keep))
            strlist_push(l, s, keep);
        if (!nl)
            break;
        s += k + 1;
        n -= k + 1;
    }
}

/* A list member: a string (split into lines when split is set, else one
 * item) or an array of strings; blank items are dropped. */
static int get_list(const js_value *o, const char *key, strlist *l, int split,
                    tt_err *e)
{
    const js_value *v = js_get(o, key);
    const char *s;
    size_t n;
    if (js_is_null(v))
        return TT_OK;
    if ((s = js_str(v, &n))) {
        push_text(l, s, n, split);
        return TT_OK;
    }
    if (!js_is_array(v))
        return tt_seterr(e, TT_EINVAL, "%s is not a string or an array", key);
    for (size_t i = 0; i < js_len(v); i++) {
        if (!(s = js_str(js_at(v, i), &n)))
            return tt_seterr(e, TT_EINVAL, "%s[%zu] is not a string", key, i);
        push_text(l, s, n, 0);
    }
    return TT_OK;
}

int article_from_json(const char *json, size_t len, article *a, tt_err *e)
{
    js_value *root = NULL;
    const js_value *v;
    int rc;
    size_t good;
    int64_t num;

    memset(a, 0, sizeof *a);
    if (len > ARTICLE_MAX_JSON) {
        rc = tt_seterr(e, TT_EINVAL, "article larger than %u bytes",
                       (unsigned)ARTICLE_MAX_JSON);
        goto fail;
    }
    if ((rc = js_parse(json, len, &root, e))) {
        /* jansson rejects invalid UTF-8 too, but cannot say where */
        if ((good = js_utf8_valid(json, len)) < len) {
            char name[48];
            if (field_at(json, good, name, sizeof name) == 0)
                rc = tt_seterr(e, TT_EINVAL, "invalid UTF-8 in %s", name);
            else
                rc = tt_seterr(e, TT_EINVAL, "invalid UTF-8 at byte %zu",
                               good);
        }
        goto fail;
    }
    if (!js_is_object(root)) {
        rc = tt_seterr(e, TT_EINVAL, "not a JSON object");
        goto fail;
    }

    v = js_get(root, "id");
    if (js_int(v, &num) == 0) { /* numeric ids, as some dumps have */
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", (long long)num);
        a->id = xstrdup(buf);
    } else if ((rc = get_str(root, "id", &a->id, e))) {
        goto fail;
    }
    if (!a->id) {
        rc = tt_seterr(e, TT_EINVAL, "missing id");
        goto fail;
    }
    if (strlen(a->id) > ARTICLE_MAX_ID) {
        rc = tt_seterr(e, TT_EINVAL, "id longer than %u bytes",
                       (unsigned)ARTICLE_MAX_ID);
        goto fail;
    }

    v = js_get(root, "deleted");
    if (js_is_bool(v))
        a->deleted = js_bool(v);
    else if (js_int(v, &num) == 0 && (num == 0 || num == 1))
        a->deleted = (int)num;
    else if (!js_is_null(v)) {
        rc = tt_seterr(e, TT_EINVAL, "deleted is not a boolean");
        goto fail;
    }

    if ((rc = get_str(root, "title", &a->title, e)) ||
        (rc = get_str(root, "url", &a->url, e)) ||
        (rc = get_str(root, "sapo", &a->sapo, e)) ||
        (rc = get_list(root, "body", &a->body, 1, e)) ||
        (rc = get_list(root, "captions", &a->captions, 0, e)) ||
        (rc = get_list(root, "caption", &a->captions, 0, e)) ||
        (rc = get_list(root, "authors", &a->authors, 0, e)) ||
        (rc = get_list(root, "author", &a->authors, 0, e)) ||
        (rc = get_str(root, "section", &a->section, e)) ||
        (rc = get_list(root, "tags", &a->tags, 0, e)) ||
        (rc = get_str(root, "published", &a->published, e)) ||
        (rc = get_str(root, "modified", &a->modified, e)) ||
        (rc = get_str(root, "source", &a->source, e)) ||
        (rc = get_str(root, "image", &a->image, e)) ||
        (rc = get_str(root, "canonical", &a->canonical, e)) ||
        (rc = get_str(root, "response", &a->response, e)))
        goto fail;
    if (!a->title && !a->deleted) {
        rc = tt_seterr(e, TT_EINVAL, "missing title");
        goto fail;
    }
    js_free(root);
    return TT_OK;
fail:
    js_free(root);
    article_free(a);
    return rc;
}

/* ---- the stored form, checked without parsing ---- */

static int hexdig(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* The end of the JSON string starting at s (a '"'), or NULL when it is
 * not one jansson takes for sure: a control character, a bad escape,
 * \u0000 or a \u surrogate (the writer never writes one), invalid UTF-8. */
static const char *skip_str(const char *s, const char *end)
{
    const char *p = s + 1, *start = p;
    int high = 0;
    if (s >= end || *s != '"')
        return NULL;
    for (; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            break;
        if (c < 0x20)
            return NULL;
        high |= c >= 0x80;
        if (c != '\\')
            continue;
        if (++p >= end)
            return NULL;
        if (*p == 'u') {
            if (end - p < 5 || !hexdig(p[1]) || !hexdig(p[2]) ||
                !hexdig(p[3]) || !hexdig(p[4]) ||
                !memcmp(p + 1, "0000", 4) ||
                ((p[1] == 'd' || p[1] == 'D') && strchr("89abcdefABCDEF", p[2])))
                return NULL;
            p += 4;
        } else if (!strchr("\"\\/bfnrt", *p) || !*p) {
            return NULL;
        }
    }
    if (p >= end ||
        (high && js_utf8_valid(start, (size_t)(p - start)) != (size_t)(p - start)))
        return NULL;
    return p + 1;
}

/* Does p start with "key": ? */
static int key_at(const char *p, const char *end, const char *key)
{
    size_t n = strlen(key);
    return (size_t)(end - p) >= n + 3 && p[0] == '"' &&
           !memcmp(p + 1, key, n) && p[n + 1] == '"' && p[n + 2] == ':';
}

int article_json_is_stored(const char *json, size_t len, const char *id)
{
    /* the keys after "id", in article_to_json's order; lists are arrays */
    static const struct {
        const char *key;
        char kind; /* 's' string, 'l' array of strings, 'b' true */
    } keys[] = {{"title", 's'},   {"url", 's'},      {"sapo", 's'},
                {"body", 'l'},    {"captions", 'l'}, {"authors", 'l'},
                {"section", 's'}, {"tags", 'l'},     {"published", 's'},
                {"modified", 's'}, {"source", 's'},  {"image", 's'},
                {"canonical", 's'}, {"response", 's'}, {"deleted", 'b'}};
    const size_t nkeys = sizeof keys / sizeof *keys;
    const char *p = json, *end = json + len;
    size_t idlen = strlen(id), k = 0;
    int title = 0, deleted = 0, ok = 0;
    sbuf q = {0};
    if (len > ARTICLE_MAX_JSON || !idlen || idlen > ARTICLE_MAX_ID ||
        js_utf8_valid(id, idlen) != idlen) /* (quoted as U+FFFD: not id) */
        return 0;
    sbuf_adds(&q, "{\"id\":");
    js_quote(&q, id, idlen);
    if (len < q.len || memcmp(json, q.s, q.len) != 0)
        goto done;
    for (p += q.len; p < end && *p == ','; ) {
        p++;
        while (k < nkeys && !key_at(p, end, keys[k].key))
            k++;
        if (k == nkeys) /* unknown, repeated or out of order */
            goto done;
        p += strlen(keys[k].key) + 3;
        if (keys[k].kind == 's') {
            if (end - p < 3 || p[1] == '"' || !(p = skip_str(p, end)))
                goto done; /* ("" is no title) */
            title |= k == 0;
        } else if (keys[k].kind == 'b') {
            if (end - p < 4 || memcmp(p, "true", 4) != 0)
                goto done;
            p += 4;
            deleted = 1;
        } else {
            if (p >= end || *p != '[')
                goto done;
            do {
                if (!(p = skip_str(p + 1, end)))
                    goto done;
            } while (p < end && *p == ',');
            if (p >= end || *p++ != ']')
                goto done;
        }
        k++;
    }
    ok = p + 1 == end && *p == '}' && (title || deleted);
done:
    sbuf_free(&q);
    return ok;
}

/* ---- writing ---- */

static void put_str(js_writer *w, const char *key, const char *s)
{
    if (s && *s) {
        js_w_key(w, key);
        js_w_str(w, s);
    }
}

/* Blank items are left out, as on input, so that writing what was read
 * and reading what was written both give the same bytes again. */
static void put_list(js_writer *w, const char *key, const strlist *l)
{
    size_t i, any = 0;
    for (i = 0; i < l->n; i++)
        any += l->v[i] && !is_blank(l->v[i], strlen(l->v[i]));
    if (!any)
        return;
    js_w_key(w, key);
    js_w_arr_begin(w);
    for (i = 0; i < l->n; i++)
        if (l->v[i] && !is_blank(l->v[i], strlen(l->v[i])))
            js_w_str(w, l->v[i]);
    js_w_arr_end(w);
}

static char *to_json(const article *a, int flags, size_t *len)
{
    sbuf b = {0};
    js_writer *w = js_w_new(&b, flags);
    js_w_obj_begin(w);
    js_w_key(w, "id"); /* always present, even if (wrongly) empty */
    js_w_str(w, a->id ? a->id : "");
    put_str(w, "title", a->title);
    put_str(w, "url", a->url);
    put_str(w, "sapo", a->sapo);
    put_list(w, "body", &a->body);
    put_list(w, "captions", &a->captions);
    put_list(w, "authors", &a->authors);
    put_str(w, "section", a->section);
    put_list(w, "tags", &a->tags);
    put_str(w, "published", a->published);
    put_str(w, "modified", a->modified);
    put_str(w, "source", a->source);
    put_str(w, "image", a->image);
    put_str(w, "canonical", a->canonical);
    put_str(w, "response", a->response);
    if (a->deleted) {
        js_w_key(w, "deleted");
        js_w_bool(w, 1);
    }
    js_w_obj_end(w);
    js_w_free(w, NULL); /* balanced by construction */
    return sbuf_detach(&b, len);
}

char *article_to_json(const article *a, size_t *len)
{
    return to_json(a, 0, len);
}

char *article_to_json_pretty(const article *a, size_t *len)
{
    return to_json(a, JS_PRETTY, len);
}

char *article_body_text(const article *a, size_t *len)
{
    sbuf b = {0};
    for (size_t i = 0; i < a->body.n; i++) {
        if (i)
            sbuf_addc(&b, '\n');
        sbuf_adds(&b, a->body.v[i]);
    }
    return sbuf_detach(&b, len);
}
