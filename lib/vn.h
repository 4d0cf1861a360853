/* vn.h — Vietnamese text analysis, the one path for documents and queries:
 * cleaning, normalisation, accent folding and tokenisation.
 *
 * norm: NFC, lower case, zero-width characters dropped, fullwidth ASCII
 *   (U+FF01-FF5E), the ligatures ﬀ-ﬆ (U+FB00-FB06) and superscript and
 *   subscript digits (² ⁵ ₂: digits) as NFKC has them (Ｈà -> hà, ﬁlm ->
 *   film, ２０２１ -> 2021, m² -> m2; no other compatibility form, so
 *   Vietnamese letters keep NFC), Ð ð (eth: Đ đ in
 *   text from legacy encodings) and Ɖ ɖ (African D) -> đ, a Cyrillic or
 *   Greek letter that looks like a Latin one (а о е с р х у і, ο α...)
 *   read as it in a word whose other letters are Latin ("Hа Nội"; a word
 *   all Cyrillic or Greek stays), a vowel's shape mark (U+0302,
 *   U+0306, U+031B) typed after its tone mark put first (a + U+0301 +
 *   U+0302 -> ấ: NFC keeps marks of one class as typed), one canonical
 *   tone-mark
 *   placement, the classic one of the Vietnamese press ("hòa",
 *   "thủy", "khỏe", "họa", "ngoài", "quý", "giá"): in an open syllable of two
 *   plain vowels the tone sits on the first (hoà -> hòa, thuỷ -> thủy, khoẻ
 *   -> khỏe), before a final consonant on the second (hoàn), in three plain
 *   vowels on the middle one (ngoái), and on a vowel with a circumflex,
 *   breve or horn whenever there is one (ươ: on ơ).  The u of qu and the i
 *   of gi + vowel belong to the initial (quý, giá stay as they are).
 *   A rhyme of the one vowel i or y after an initial is written one way,
 *   the school's: i after h k l m n s t th v x (kỹ -> kĩ, lý -> lí, Mỹ ->
 *   mĩ, Thy -> thi), y after qu (quí -> quý), the tone kept; y alone (ý),
 *   uy (thủy), i/y beside another vowel or before a final, and a y after
 *   other initials (by, try: foreign words) stay.
 * fold: norm without tone and vowel marks, đ -> d ("Đà Nẵng" -> "da nang",
 *   "kỹ" -> "ki").
 * Connectors join letters and digits into one token (O'Neil, Wi-Fi,
 * 22-9): the typographic apostrophe U+2019 reads as ', the hyphens U+2010
 * and U+2011 as '-' (norm and fold write the ASCII one).
 * Offsets are byte offsets into the ORIGINAL text, so callers can highlight
 * the display text.  Functions keep no global state except a table built
 * once (thread-safely) on first use; a vn_tok handle is for one thread.
 */
#ifndef TT_VN_H
#define TT_VN_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Token kinds. */
enum {
    VN_WORD = 1, /* a syllable or other word of letters (any script);
                    hyphenated foreign words (Wi-Fi, Mát-xcơ-va) whole */
    VN_NUMBER,   /* 42, 1.000.000, 3,5, 2.5; norm and fold: without
                    thousands separators (periods between groups of
                    three: 1.000.000 -> 1000000, 2.500,75 -> 2500,75;
                    3.5, 0903.123.456 stay) */
    VN_DATE,     /* 22-9, 25/2, 25/2/2021, 30-4-1975, 9/2021; norm and
                    fold: one form whatever the separator, 22/9,
                    5/9/2021 (05-09-2021, and ISO 2021-09-05,
                    2021/09/05), 9/2021.  Not a score or a
                    range: d-m after a score word (thắng 2-1, tỷ số lên
                    4-2, cấp 8-9) or before % (3-5%) is two numbers */
    VN_TIME,     /* 10h30, 10h, 10g30, 22:32, 22:32:05: an hour of 0-24,
                    minutes and seconds of two digits, 00-59 (3:1 is no
                    time); norm and fold: one form whatever the spelling,
                    10h30 (10:30, 10g30), 7h15 (07h15), 10h (10:00,
                    10g), 22h32:05 */
    VN_CODE,     /* letters and digits mixed: COVID-19, H5N1, F0, U23, 4G */
    VN_ABBR,     /* abbreviations: UBND, HĐND, TP.HCM, Tp.HCM, q.1 */
    VN_URL,      /* http://…, https://…, www.…, tuoitre.vn */
    VN_EMAIL,    /* name@host.tld */
    VN_PUNCT,    /* one punctuation mark; "..." and "…" whole */
    VN_SYMBOL,   /* a symbol or emoji (with its modifiers), %, $, © */
    VN_NKINDS
};

/* Token flags. */
enum {
    VN_CAP = 1 << 0,     /* first letter is upper case */
    VN_ALLCAPS = 1 << 1, /* two or more letters, all upper case */
    VN_SYLL = 1 << 2,    /* a well-formed Vietnamese syllable */
    VN_ACCENT = 1 << 3,  /* norm carries marks: fold differs from norm */
    VN_HYPHEN = 1 << 4,  /* made of parts joined by hyphens */
    VN_SPLIT = 1 << 5,   /* cut from a longer run (see VN_TOKEN_MAX) */
    VN_SPACE = 1 << 6,   /* preceded by white space or the start of text */
    VN_INITIAL = 1 << 7  /* an initial or short abbreviation that took its
                            period along ("H. nói", "TP. HCM"); not in norm */
};

/* A run of letters or digits longer than this many bytes is cut into
 * pieces (flag VN_SPLIT): terms have a bounded size. */
#define VN_TOKEN_MAX 240

typedef struct vn_token {
    size_t off, len;      /* the token in the original text */
    const char *norm;     /* normalised form, NUL-terminated */
    size_t norm_len;
    const char *fold;     /* accent-free form, NUL-terminated */
    size_t fold_len;
    int kind;             /* VN_WORD… */
    unsigned flags;       /* VN_CAP… */
} vn_token;

typedef struct vn_tok vn_tok;

/* A tokenizer; never NULL (out of memory aborts).  vn_tok_free accepts
 * NULL. */
vn_tok *vn_tok_new(void);
void vn_tok_free(vn_tok *t);
/* Start on text[0..len); the text must stay unchanged while tokens are
 * read.  Any bytes are accepted: invalid UTF-8 decodes as U+FFFD. */
void vn_tok_start(vn_tok *t, const char *text, size_t len);
/* Next token into *tk: returns 1, or 0 at the end.  tk->norm and tk->fold
 * stay valid until the next call on t.  Spaces and zero-width characters
 * are never tokens. */
int vn_tok_next(vn_tok *t, vn_token *tk);

/* Cleaning for display text, the one rule for what a reader is shown
 * (the crawler's extracted text, snippets, the page's every text):
 * invalid UTF-8 -> U+FFFD, control characters (C0 but tab, LF and CR; DEL;
 * C1) dropped, a run of them between two characters that are not spaces
 * leaving one ' ' (they stood between words), zero-width characters
 * (U+200B-U+200D, U+2060, U+FEFF, U+00AD) dropped but for a joiner
 * U+200D between emoji (after a symbol,
 * or the skin tone or U+FE0F ending one, and before a symbol: one family,
 * one flag), bidi controls (U+061C, U+200E-F, U+202A-E, U+2066-9)
 * dropped, Unicode spaces (U+00A0, U+2000-U+200A, U+202F, U+3000, VT,
 * FF, …) -> ' '.  Appends to out; the text keeps its composition and
 * case. */
void vn_clean(const char *s, size_t n, sbuf *out);

/* The query-side entry points, built on the tokenizer so that documents and
 * queries give the same terms: the norm (or fold) forms of the tokens of
 * s[0..n), separated by single spaces, appended to out. */
void vn_norm(const char *s, size_t n, sbuf *out);
void vn_fold(const char *s, size_t n, sbuf *out);

/* Normalise one word (letters, maybe with marks; no spaces) exactly as the
 * tokenizer does a VN_WORD token; appends to out.  Returns the VN_* flags
 * that describe it (VN_SYLL, VN_ACCENT, VN_CAP, VN_ALLCAPS). */
unsigned vn_norm_word(const char *s, size_t n, sbuf *out);
/* Fold an already normalised string (tone and vowel marks off, đ -> d);
 * appends to out. */
void vn_fold_norm(const char *s, size_t n, sbuf *out);

/* Name of a token kind ("word", "number", …). */
const char *vn_kind_name(int kind);

#endif
