/* article.h — the article record shared by the corpus, crawler, indexer
 * and searcher, and its JSON form (the payload of a corpus article record,
 * and one line of an import/export JSONL file).
 *
 * JSON fields: id (required, non-empty), title (required on import), url,
 * sapo, body (array of paragraph strings; a string is split at newlines on
 * input), captions (array), authors (array; a string becomes one author),
 * section, tags (array), published, modified (ISO 8601 with offset), source,
 * image, canonical, response (WARC-Record-ID of the response the article
 * was extracted from), deleted (true marks a deletion).  Unknown fields are
 * ignored on input.  Output has a fixed key order, omits empty fields, and is
 * deterministic: the same article always serialises to the same bytes.
 *
 * An article owns all its strings; article_free releases them.  Strings are
 * stored as given (valid UTF-8 is checked, not normalised).
 */
#ifndef TT_ARTICLE_H
#define TT_ARTICLE_H

#include <stddef.h>

#include "util.h"

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

void strlist_push(strlist *l, const char *s, size_t len);
void strlist_free(strlist *l);

typedef struct article {
    char *id, *url, *title, *sapo, *section, *published, *modified, *source,
        *image, *canonical, *response;
    strlist body, captions, authors, tags;
    int deleted;
} article;

/* Parse one JSON object into *a (zeroed first).  TT_EINVAL with a message
 * ("invalid JSON at column 12: ...", "missing id", "title is not a string",
 * "invalid UTF-8 in body") on failure, leaving *a empty. */
int article_from_json(const char *json, size_t len, article *a, tt_err *e);
/* Serialise to a malloc'd JSON object (no trailing newline). */
char *article_to_json(const article *a, size_t *len);
void article_free(article *a);
/* The body paragraphs joined with "\n" (malloc'd). */
char *article_body_text(const article *a, size_t *len);

#endif
