/* json.c — see json.h: the reader.  The only file that includes jansson.h;
 * the writer is json_write.c. */
#include "json.h"

#include <jansson.h>

/* A js_value * is a json_t * in disguise; the struct is never defined. */
#define J(v) ((json_t *)(v))
#define V(j) ((js_value *)(j))

int js_parse(const char *text, size_t len, js_value **out, tt_err *e)
{
    json_error_t err;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY, &err);
    *out = NULL;
    if (!j) {
        enum json_error_code code = json_error_code(&err);
        if (code == json_error_null_character ||
            code == json_error_null_byte_in_key) /* (says a flag's name) */
            return tt_seterr(e, TT_EINVAL, "NUL character (\\u0000) not "
                             "allowed, at line %d, column %d", err.line,
                             err.column);
        return tt_seterr(e, TT_EINVAL, "invalid JSON at line %d, column %d: %s",
                         err.line, err.column, err.text);
    }
    *out = V(j);
    return TT_OK;
}

void js_free(js_value *root)
{
    if (root)
        json_decref(J(root));
}

js_type js_typeof(const js_value *v)
{
    if (!v)
        return JS_NULL;
    switch (json_typeof(J(v))) {
    case JSON_OBJECT: return JS_OBJECT;
    case JSON_ARRAY: return JS_ARRAY;
    case JSON_STRING: return JS_STRING;
    case JSON_INTEGER: return JS_INT;
    case JSON_REAL: return JS_REAL;
    case JSON_TRUE:
    case JSON_FALSE: return JS_BOOL;
    case JSON_NULL: break;
    }
    return JS_NULL;
}

int js_is_object(const js_value *v) { return js_typeof(v) == JS_OBJECT; }
int js_is_array(const js_value *v) { return js_typeof(v) == JS_ARRAY; }
int js_is_string(const js_value *v) { return js_typeof(v) == JS_STRING; }
int js_is_int(const js_value *v) { return js_typeof(v) == JS_INT; }
int js_is_bool(const js_value *v) { return js_typeof(v) == JS_BOOL; }
int js_is_null(const js_value *v) { return js_typeof(v) == JS_NULL; }

int js_is_number(const js_value *v)
{
    js_type t = js_typeof(v);
    return t == JS_INT || t == JS_REAL;
}

const js_value *js_get(const js_value *obj, const char *key)
{
    if (!js_is_object(obj))
        return NULL;
    return V(json_object_get(J(obj), key));
}

static char iter_end; /* marks a finished js_next iteration */

int js_next(const js_value *obj, void **it, const char **key,
            const js_value **val)
{
    void *cur;
    if (!js_is_object(obj) || *it == &iter_end)
        return 0;
    cur = *it ? json_object_iter_next(J(obj), *it) : json_object_iter(J(obj));
    if (!cur) {
        *it = &iter_end;
        return 0;
    }
    *it = cur;
    *key = json_object_iter_key(cur);
    *val = V(json_object_iter_value(cur));
    return 1;
}

size_t js_len(const js_value *arr)
{
    return js_is_array(arr) ? json_array_size(J(arr)) : 0;
}

const js_value *js_at(const js_value *arr, size_t i)
{
    if (!js_is_array(arr) || i >= json_array_size(J(arr)))
        return NULL;
    return V(json_array_get(J(arr), i));
}

const char *js_str(const js_value *v, size_t *len)
{
    if (!js_is_string(v))
        return NULL;
    if (len)
        *len = json_string_length(J(v));
    return json_string_value(J(v));
}

int js_int(const js_value *v, int64_t *out)
{
    if (!js_is_int(v))
        return -1;
    *out = (int64_t)json_integer_value(J(v));
    return 0;
}

int js_number(const js_value *v, double *out)
{
    if (!js_is_number(v))
        return -1;
    *out = json_number_value(J(v));
    return 0;
}

int js_bool(const js_value *v)
{
    if (!js_is_bool(v))
        return -1;
    return json_is_true(J(v)) ? 1 : 0;
}
