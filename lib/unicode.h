/* unicode.h — UTF-8 decoding and encoding, NFC, case mapping and character
 * classes: the only door to utf8proc.
 *
 * Strings are (pointer, length) byte ranges and need not be NUL-terminated.
 * Decoding never reads past the given length; invalid bytes (stray
 * continuation bytes, truncated or overlong sequences, surrogates, values
 * above U+10FFFF) decode as U+FFFD.  Results go into a caller's sbuf.
 * No global state: every function is thread-safe.
 */
#ifndef TT_UNICODE_H
#define TT_UNICODE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define UNI_REPLACEMENT 0xFFFD

/* Character classes, coarser than Unicode's general categories. */
enum {
    UNI_OTHER = 0, /* unassigned, private use, surrogate */
    UNI_LETTER,    /* L* */
    UNI_MARK,      /* M*: combining marks */
    UNI_DIGIT,     /* Nd */
    UNI_NUMBER,    /* Nl, No: other numerals (², ½, Ⅻ) */
    UNI_SPACE,     /* Z*, and ASCII \t \n \v \f \r */
    UNI_PUNCT,     /* P* */
    UNI_SYMBOL,    /* S*: currency, math, emoji */
    UNI_CONTROL,   /* Cc other than ASCII spaces, and Cf (U+200B, U+FEFF…) */
    UNI_NCLASS
};

/* Decode the code point at s, with n >= 1 bytes available.  Returns the bytes
 * consumed (1-4) and stores the code point in *cp.  An invalid sequence
 * yields U+FFFD and consumes its maximal invalid prefix (at least one byte,
 * never more than n), the practice of the Unicode standard and WHATWG. */
size_t uni_decode(const char *s, size_t n, int32_t *cp);

/* Encode cp (must be a valid scalar value) into out[0..3]; returns 1-4.
 * Invalid values are encoded as U+FFFD. */
size_t uni_encode(int32_t cp, char out[4]);
/* Append the UTF-8 encoding of cp to b. */
void uni_addcp(sbuf *b, int32_t cp);

/* 1 when s[0..n) is well-formed UTF-8 (no surrogates, no overlongs). */
int uni_valid(const char *s, size_t n);
/* Append s[0..n) to b with every invalid sequence replaced by U+FFFD. */
void uni_sanitize(const char *s, size_t n, sbuf *b);

/* Append the NFC form of s[0..n) to b (invalid sequences become U+FFFD
 * first).  With lower != 0 the result is also lower-cased, code point by
 * code point (simple case mapping, so the length in code points is kept). */
void uni_nfc(const char *s, size_t n, int lower, sbuf *b);
/* Whether s[0..n) may be other than NFC as Vietnamese text is: it holds
 * a combining mark of U+0300-U+036F (UTF-8 lead byte 0xCC or 0xCD), as
 * text typed or stored decomposed does.  0: uni_nfc may be skipped. */
int uni_maybe_decomposed(const char *s, size_t n);
/* Append s[0..n) lower-cased, decomposed (NFD), with every combining mark
 * removed, and recomposed: the accent-free form of any script ("Ðặng" ->
 * "đang" is NOT done here: U+0111 has no decomposition). */
void uni_strip_marks(const char *s, size_t n, sbuf *b);

/* Class of a code point (UNI_*). */
int uni_class(int32_t cp);
/* 1 for an upper- or title-case letter. */
int uni_isupper(int32_t cp);
/* Simple (1:1) case mappings; other code points are returned unchanged. */
int32_t uni_tolower(int32_t cp);
int32_t uni_toupper(int32_t cp);
/* Full canonical decomposition of cp into out (at most max code points);
 * returns the number written, or 0 when it does not fit. A code point without
 * a decomposition yields itself. */
size_t uni_decompose(int32_t cp, int32_t *out, size_t max);
/* The same with the compatibility decompositions too (NFKD of one code
 * point: U+FF21 -> A, U+FB01 -> f i, U+00B2 -> 2). */
size_t uni_decompose_compat(int32_t cp, int32_t *out, size_t max);
/* 1 for ideographs and kana (Han, Hiragana, Katakana), written without
 * spaces between words: the tokenizer makes one token of each. */
int uni_isideo(int32_t cp);
/* The length of s[0..n) cut to at most max bytes without splitting a
 * UTF-8 character: n when n <= max. */
size_t uni_cut(const char *s, size_t n, size_t max);
/* Version of the Unicode data utf8proc was built with, e.g. "15.0.0". */
const char *uni_version(void);

#endif
