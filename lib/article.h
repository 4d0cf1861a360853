/* article.h — the article record shared by the corpus, crawler, indexer
 * and searcher, and its JSON form (the payload of a corpus article record,
 * and one line of an import/export JSONL file).
 *
 * JSON fields: id (required, non-empty, at most ARTICLE_MAX_ID bytes; a
 * JSON integer is taken as its decimal form), title (required unless
 * deleted), url, sapo, body (array of paragraph strings; a string is split
 * at newlines on input), captions (array; a string is one caption),
 * authors (array; a string becomes one author), section, tags (array; a
 * string is one tag), published, modified (ISO 8601 with offset; stored as
 * given, not checked), source, image, canonical, response (WARC-Record-ID
 * of the response the article was extracted from), deleted (true marks a
 * deletion; 0/1 accepted).  On input "caption" and "author" (as some dumps
 * spell them) add to captions and authors; blank list items (white space
 * only) and empty strings are dropped; null counts as absent.  Unknown
 * fields are ignored on input.  Output has a fixed key order (the order
 * above), omits empty fields and blank list items, and is deterministic:
 * the same article always serialises to the same bytes, and reading the
 * output back gives the same bytes again.
 *
 * An article owns all its strings; article_free releases them.  Strings are
 * stored as given (valid UTF-8 is checked, not normalised).
 */
#ifndef TT_ARTICLE_H
#define TT_ARTICLE_H

#include <stddef.h>

#include "util.h"

#define ARTICLE_MAX_ID 1024           /* bytes of an id */
#define ARTICLE_MAX_JSON (32u << 20) /* bytes of one article's JSON */

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

/* Append a malloc'd copy of (s, len); strlist_free frees the items and
 * the array and leaves the list empty.  Zero-initialise to start. */
void strlist_push(strlist *l, const char *s, size_t len);
void strlist_free(strlist *l);
/* 1 when a and b hold the same strings in the same order, else 0. */
int strlist_equal(const strlist *a, const strlist *b);

typedef struct article {
    char *id, *url, *title, *sapo, *section, *published, *modified, *source,
        *image, *canonical, *response;
    strlist body, captions, authors, tags;
    int deleted;
} article;

/* Parse one JSON object into *a (zeroed first).  TT_EINVAL with a message
 * ("invalid JSON at line 1, column 12: ...", "missing id", "title is not a
 * string", "body[2] is not a string", "invalid UTF-8 in body") on failure,
 * leaving *a empty. */
int article_from_json(const char *json, size_t len, article *a, tt_err *e);
/* Is (json, len) an article in the form article_to_json writes it (keys
 * in their order, compact, nothing else), with the id id?  1 means
 * article_from_json takes it as an article with that id; 0 means it is
 * not that form (it may still parse: ask article_from_json).  A quick
 * check, without a parser's allocations, for readers of stored JSON. */
int article_json_is_stored(const char *json, size_t len, const char *id);
/* Serialise to a malloc'd JSON object (compact, no trailing newline).
 * Invalid UTF-8 in a field (possible only in articles built in memory) is
 * written as U+FFFD, so the output is always valid JSON.  len may be NULL. */
char *article_to_json(const article *a, size_t *len);
/* The same, indented two spaces per level, for people. */
char *article_to_json_pretty(const article *a, size_t *len);
/* Free the strings of *a and zero it (NULL is fine). */
void article_free(article *a);
/* The body paragraphs joined with "\n" (malloc'd). */
char *article_body_text(const article *a, size_t *len);

#endif
