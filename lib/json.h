/* json.h — the project's only door to JSON: a parsed, read-only value tree
 * (json.c, jansson underneath), and a streaming writer that appends compact
 * (or indented) JSON to an sbuf (json_write.c, no library: a program that
 * only writes JSON, like the searcher, does not load jansson).
 *
 * Ownership: js_parse returns a root that owns the whole tree; values got
 * from it (js_get, js_at) are borrowed and die with js_free(root).
 * Strings are UTF-8 (the parser rejects invalid UTF-8 and "\u0000").  The
 * writer never fails on bad text: invalid UTF-8 is written as U+FFFD, so its
 * output is always valid JSON; misuse (a value where a key is due,
 * unbalanced containers) is a sticky error reported by js_w_free.
 * No global state: handles are thread-compatible (one thread at a time).
 * Names use the prefix js_ because jansson owns json_*.
 */
#ifndef TT_JSON_H
#define TT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* ---- reading ---- */

typedef struct js_value js_value; /* a value inside a parsed tree */

typedef enum {
    JS_NULL,
    JS_BOOL,
    JS_INT,
    JS_REAL,
    JS_STRING,
    JS_ARRAY,
    JS_OBJECT
} js_type;

/* Parse len bytes of JSON text (any value at top level, nothing but white
 * space after it; nesting is capped by jansson, at 2048 levels).  On success *out is a
 * root for js_free.  On failure *out is NULL and TT_EINVAL comes with
 * "invalid JSON at line L, column C: reason", or "NUL character (\u0000)
 * not allowed, at line L, column C". */
int js_parse(const char *text, size_t len, js_value **out, tt_err *e);
/* Free a tree returned by js_parse (NULL is fine).  Never free a
 * borrowed member. */
void js_free(js_value *root);

/* The type of v; a NULL v reads as JS_NULL. */
js_type js_typeof(const js_value *v);
int js_is_object(const js_value *v);
int js_is_array(const js_value *v);
int js_is_string(const js_value *v);
int js_is_int(const js_value *v);
int js_is_number(const js_value *v); /* int or real */
int js_is_bool(const js_value *v);
int js_is_null(const js_value *v);  /* also true for NULL */

/* Object member by key (borrowed), or NULL if v is not an object or has no
 * such member. */
const js_value *js_get(const js_value *obj, const char *key);
/* Iterate an object's members in document order: start with *it = NULL;
 * returns 1 with *key and *val set (borrowed), 0 at the end or if obj is
 * not an object. */
int js_next(const js_value *obj, void **it, const char **key,
           const js_value **val);
/* Array length (0 if not an array) and element i (NULL if out of range). */
size_t js_len(const js_value *arr);
const js_value *js_at(const js_value *arr, size_t i);
/* String bytes (NUL-terminated, borrowed) and their length; NULL if v is
 * not a string.  len may be NULL. */
const char *js_str(const js_value *v, size_t *len);
/* Integer value: 0 and *out set, or -1 if v is not an integer. */
int js_int(const js_value *v, int64_t *out);
/* Number (int or real) as double: 0 and *out set, or -1. */
int js_number(const js_value *v, double *out);
/* Boolean: 1 for true, 0 for false, -1 if v is not a boolean. */
int js_bool(const js_value *v);

/* ---- checking text ---- */

/* Length of the longest valid UTF-8 prefix of (p, n): n when all of it is
 * valid.  Strict: no overlong forms, no surrogates, nothing above U+10FFFF.
 * NUL bytes are valid UTF-8 here. */
size_t js_utf8_valid(const char *p, size_t n);

/* ---- writing ---- */

typedef struct js_writer js_writer;

enum { JS_PRETTY = 1 }; /* two-space indentation, newline per item */

/* A writer appending to *out (borrowed: it must outlive the writer). */
js_writer *js_w_new(sbuf *out, int flags);
/* Free the writer (NULL is fine).  Returns TT_OK, or TT_EINVAL when the
 * calls were unbalanced or out of order (the first such mistake, with a
 * message in *e); the text in out is then incomplete. */
int js_w_free(js_writer *w, tt_err *e);

void js_w_obj_begin(js_writer *w);
void js_w_obj_end(js_writer *w);
void js_w_arr_begin(js_writer *w);
void js_w_arr_end(js_writer *w);
/* The key of the next object member. */
void js_w_key(js_writer *w, const char *key);
void js_w_keyn(js_writer *w, const char *key, size_t len);
void js_w_str(js_writer *w, const char *s); /* NULL writes null */
void js_w_strn(js_writer *w, const char *s, size_t len);
void js_w_int(js_writer *w, int64_t v);
void js_w_uint(js_writer *w, uint64_t v);
/* Shortest form that reads back to the same double, always with a '.'
 * or an exponent (0.0, 3.0, 1e+300: never read as an integer); NaN and
 * infinities (not JSON) are written as null. */
void js_w_double(js_writer *w, double v);
void js_w_bool(js_writer *w, int v);
void js_w_null(js_writer *w);

/* Append (s, len) to b as a quoted JSON string: escapes '"', '\\', control
 * characters (short forms \b \f \n \r \t where they exist, else \u00XX),
 * U+2028 and U+2029 (so the text is safe inside JavaScript); other UTF-8 is
 * copied as is, invalid bytes become U+FFFD. */
void js_quote(sbuf *b, const char *s, size_t len);

#endif
