/* docdata.h — the document data of an index: what a result displays and
 * the text its snippet is cut from, written by the indexer and read by
 * the searcher (docs/FORMAT.md).
 *
 * A record is a run of fields, each a tag letter, the value's length in
 * decimal, ':' and the value's bytes ("t12:Giá vàng…"): no escaping, any
 * bytes in a value, readable in xapian-delve, and a reader skips tags it
 * does not know.  A tag may repeat (authors, body paragraphs), in order.
 */
#ifndef TT_DOCDATA_H
#define TT_DOCDATA_H

#include <stddef.h>

#include "util.h"

/* Field tags. */
enum {
    DD_ID = 'i',
    DD_URL = 'u',
    DD_TITLE = 't',
    DD_PUBLISHED = 'd',
    DD_SECTION = 'c',
    DD_SOURCE = 'o',
    DD_AUTHOR = 'a',  /* one per author */
    DD_SAPO = 's',    /* the snippet text: sapo, */
    DD_BODY = 'b',    /* then one per body paragraph */
    DD_CUT = 'x',     /* empty: the sapo or body field before it is cut
                       * short (older dbs have none: read as whole) */
    DD_PLACE = 'p'    /* after the text, when it is not whole: where the
                       * article's record starts in the corpus the db was
                       * built from ("FILE:OFFSET", corpus_pos_format) */
};

/* Append field tag with value v[0..n) to out. */
void dd_add(sbuf *out, int tag, const char *v, size_t n);

/* The field at *pos of data[0..len): 1 with its tag and value (pointing
 * into data) and *pos moved past it; 0 at the end or at a malformed field
 * (the rest is ignored). */
int dd_next(const char *data, size_t len, size_t *pos, int *tag,
            const char **v, size_t *n);

#endif
