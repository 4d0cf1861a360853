/* analyze.h — text to index terms.  The one analysis path: the indexer
 * turns document fields into terms here, and the searcher builds query terms
 * with the same functions, so the two always agree (lib/schema.h lists the
 * terms).
 *
 * An an_ctx holds a tokenizer and scratch buffers: one per thread.
 */
#ifndef TT_ANALYZE_H
#define TT_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "vn.h"
#include "xap.h"

typedef struct an_ctx an_ctx;

an_ctx *an_new(void);
void an_free(an_ctx *a);

enum {
    AN_TITLE = 1 /* also write S-prefixed title terms */
};

/* Index text[0..len) into doc: for each word-like token, the folded term at
 * position *pos (wdf += wdfinc) and the exact term E<norm>; with AN_TITLE
 * also S<fold> at the same position.  *pos advances by one per token;
 * callers add POS_FIELD_GAP / POS_PARA_GAP between fields and paragraphs.
 * Returns the number of terms-bearing tokens. */
size_t an_index_text(an_ctx *a, xap_doc *doc, const char *text, size_t len,
                     unsigned flags, uint32_t wdfinc, uint32_t *pos);

/* Does a token of this kind give index terms? (punctuation and symbols
 * don't). */
int an_indexable(const vn_token *tk);

/* prefix followed by the folded tokens of text joined by single spaces
 * ("Ngọc An" with "A" -> "Angoc an"): the boolean term for names, sections
 * and tags.  Writes into out (reset first).  Returns 0, or -1 when the text
 * has no word or the term would be longer than XAP_MAX_TERM. */
int an_bool_term(an_ctx *a, const char *prefix, const char *text, size_t len,
                 sbuf *out);

#endif
