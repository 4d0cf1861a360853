/* analyze.h — text to index terms.  The one analysis path: the indexer
 * turns document fields into terms here, and the searcher builds query terms
 * with the same functions, so the two always agree (lib/schema.h lists the
 * terms).
 *
 * Every word-like token is indexed by its folded form with its position,
 * and, when it carries accents, by its normalised form (NFC, lower case,
 * canonical tone placement) without position: the folded term holds every
 * form of a syllable, so an accent-free query word is one term, and a
 * phrase reads one position list a word.  an_variants lists the accented
 * forms a folded syllable can take ("can" -> can, cán, cần, căn, cạn, …),
 * for the searcher's spelling of accent-free words.
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

/* Index text[0..len) into doc: for each word-like token, its folded form
 * at position *pos (wdf += wdfinc) and, if accented, its normalised form
 * without position; with AN_TITLE also S<norm> and XS<fold> (without
 * positions: positions dominate index size, and the main terms' positions
 * serve title phrases too).  An abbreviation of the table (lib/seg.h)
 * written another way ("TPHCM", "tphcm"), spelt out ("hội đồng nhân dân")
 * or made of its parts ("TP HCM", "TP. Hồ Chí Minh") also gives its own
 * folded and normalised terms, once, without position (and title terms,
 * with AN_TITLE); one written in one word ("TP.HCM") gives its parts'
 * terms too (tp, hcm).  Positions are the tokens' alone, so phrases
 * around these forms match as written.  *pos advances by one per token;
 * callers add POS_FIELD_GAP / POS_PARA_GAP between fields and paragraphs.
 * Returns the number of term-bearing tokens. */
size_t an_index_text(an_ctx *a, xap_doc *doc, const char *text, size_t len,
                     unsigned flags, uint32_t wdfinc, uint32_t *pos);

/* Does a token of this kind give index terms? (punctuation and symbols
 * don't). */
int an_indexable(const vn_token *tk);

/* The terms token tk stands for besides its own, which the indexer gives
 * at its position and the snippets mark it for: a date's parts (its year;
 * the day and month of a date with its year, 22/9 of 22-9-2021, and its
 * month and year, 9/2021, when the year has four digits; both numbers of
 * a day and month of 12 or less, 3-4), a time's minute (22h32:05 ->
 * 22h32, 10h00:05 -> 10h) and a number's percentage (10 of 10%: 10%).  Each is a piece of tk's norm or digits of
 * its text (text[0..len): what tk was read from).  Fills out (at most
 * AN_MAX_EXTRA) and returns how many; 0 for any other token. */
#define AN_MAX_EXTRA 4
typedef struct an_extra {
    const char *s;
    size_t len;
} an_extra;
size_t an_token_extras(const vn_token *tk, const char *text, size_t len,
                       an_extra *out);

/* A compound: a code or a word whose parts are joined by '-' or '.'
 * (COVID-19, U.23, F-16, blue-chip, Jong-un, Mát-xcơ-va), or by '/' when
 * every piece between slashes holds a letter (A/H5N1, H5N1/H7N9, F/A-18;
 * not 12A/5, Covid/19, 15/2020/NĐ-CP: house and legal numbers; dates,
 * fractions and URLs are other kinds of token), no abbreviation of the
 * table (GD-ĐT, TP.HCM have their own spellings), with no separator
 * between two digits (v1.2.3, 3.5G, 3/4G stay whole: joined, their
 * numbers would read as others).  A number written against its unit of
 * measure or currency (100km, 1.500.000đ, 20.000USD, 2.5kg: digits with
 * the separators of a number, then km, kg, usd, đ, đồng, vnđ …; not 1A,
 * 3D, 4G) is one too, of two parts: the number as a number token reads
 * it (1500000: thousands separators dropped) and the unit, every
 * spelling of the dong written đồng (1.500.000đ = 1500000 VNĐ =
 * 1.500.000 đồng).  Such a token stands for its parts written together:
 * its terms are those of its joined form ("covid19", "1500000dong", at
 * its position, as a token "covid19" would give), and its parts' (covid,
 * 19), without position, so that a part, the whole written together and
 * the whole find it.  Returns the number of parts (2 to AN_MAX_PARTS)
 * with each part's folded and normalised forms in parts[] (pointing into
 * tk's fold and norm, or into fold and norm), and the joined forms in
 * fold and norm (reset first); 0 for any other token. */
#define AN_MAX_PARTS 8
typedef struct an_part {
    const char *fold, *norm;
    size_t flen, nlen;
} an_part;
size_t an_compound(const vn_token *tk, an_part *parts, sbuf *fold,
                   sbuf *norm);

/* "dong", the folded form a number's joined term gives the dong, when
 * the word norm[0..n) is another spelling of it (đ, vnđ, vnd: the query
 * "20.000 VNĐ" also matches 20.000đ written together); else NULL. */
const char *an_dong(const char *norm, size_t n);

/* Call fn with every normalised form whose folded form is fold[0..n): the
 * tone and vowel marks a Vietnamese syllable can take, placed canonically,
 * and đ for d.  Each form is reported once; fold itself comes first.
 * Tokens that are not plain letters (digits, dots) only vary d/đ.  At most
 * AN_MAX_VARIANTS forms; stops early when fn returns non-zero. */
#define AN_MAX_VARIANTS 512
void an_variants(an_ctx *a, const char *fold, size_t n,
                 int (*fn)(void *arg, const char *norm, size_t len),
                 void *arg);

/* prefix followed by the folded tokens of text joined by single spaces
 * ("Ngọc An" with "A" -> "Angoc an"): the boolean term for names, sections
 * and tags.  Writes into out (reset first).  Returns 0, or -1 when the text
 * has no word or the term would be longer than XAP_MAX_TERM. */
int an_bool_term(an_ctx *a, const char *prefix, const char *text, size_t len,
                 sbuf *out);

/* The id term of article id[0..len) into out (reset first): Q<id>, or,
 * when that would be longer than XAP_MAX_TERM (an id of more than 244
 * bytes), Q, the id's first bytes (cut at a character boundary) and the
 * AN_ID_HASH_HEX hex digits of tt_hash128_hex of the whole id,
 * XAP_MAX_TERM bytes at most.  Everything that replaces, deletes or finds
 * a document by id builds the term here. */
#define AN_ID_HASH_HEX 32
void an_id_term(const char *id, size_t len, sbuf *out);

/* Whether a db whose analyzer metadata is v[0..n) and which holds docs
 * documents may be read or written by this analyzer (TT_ANALYZER_VERSION):
 * TT_OK when v is this version, or when the db is empty and unstamped;
 * else TT_EVERSION saying which case it is, of what (the db's path, or
 * "the index"): another timtin version; articles without a version (a
 * db another program wrote); a version that is no version (damaged):
 * each with the remedy, timtin-index --full. */
int an_check_version(const char *v, size_t n, uint32_t docs,
                     const char *what, tt_err *e);

#endif
