/* charset.h — the character set of a fetched page and its conversion to
 * UTF-8 (iconv from glibc).
 *
 * Order of precedence, as browsers do it: a byte-order mark, then the
 * Content-Type header's charset, then <meta charset> or <meta
 * http-equiv=Content-Type> (or an XML declaration's encoding) in the first
 * CS_SNIFF_BYTES, else UTF-8.  Labels are case-insensitive; latin1,
 * iso-8859-1 and us-ascii mean windows-1252 (WHATWG).  Bytes that do not
 * convert become U+FFFD: the result is always valid UTF-8.  No global
 * state; thread-safe.
 */
#ifndef TT_CHARSET_H
#define TT_CHARSET_H

#include <stddef.h>

#include "util.h"

#define CS_SNIFF_BYTES 4096
#define CS_MAX_LABEL 40

/* The charset label of a page (see above) into label (lower case). */
void cs_detect(const char *content_type, const char *body, size_t n,
               char label[CS_MAX_LABEL]);
/* The charset parameter of a Content-Type value into label: 0, or -1 when
 * there is none. */
int cs_from_content_type(const char *ct, char label[CS_MAX_LABEL]);
/* A charset declared in the markup: 0, or -1 when none is found.  A
 * UTF-16 or UTF-32 label there gives "utf-8": markup readable as ASCII is
 * in neither (HTML's prescan does the same). */
int cs_from_markup(const char *body, size_t n, char label[CS_MAX_LABEL]);

/* Append (in, n), in charset label, to out as UTF-8 (a BOM is dropped).
 * TT_EINVAL for a charset iconv does not know (out unchanged): the
 * caller may then fall back to UTF-8. */
int cs_to_utf8(const char *label, const char *in, size_t n, sbuf *out,
               tt_err *e);

#endif
