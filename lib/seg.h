/* seg.h — Vietnamese word segmentation and the lexical knowledge behind it:
 * a lexicon of multi-syllable words, abbreviation synonyms, the segmenter.
 *
 * A seg_lex is a set of words over normalised syllables (vn.h norm forms)
 * from three sources: the project's own built-in lexicon
 * (lib/data/lexicon.txt, compiled into lib/lexicon_data.c by
 * scripts/gen-lexicon.py; its entries written with a capital are proper
 * names: provinces, cities, bodies), user dictionaries, and words learned
 * from a corpus.  Adding is not thread-safe; once filled, a seg_lex may be
 * shared by any number of seg handles in any threads.  A seg handle is for
 * one thread.
 *
 * How the sources combine is the lexicon's policy:
 *   SEG_UNION (the default): every word of every source counts; a user
 *     dictionary extends the built-in lexicon.
 *   SEG_USER_FIRST: once the lexicon holds user words, the user
 *     dictionary is authoritative for the common vocabulary: the built-in
 *     common words are set aside, and only the built-in proper names (which
 *     general dictionaries lack) and learned words are kept beside the
 *     user's words.  Segmentation conventions differ between dictionaries
 *     ("thu phí", "trở về": one word or two?), and one who brings a
 *     dictionary expects its conventions, not a mixture.  Without user
 *     words it is the same as SEG_UNION.
 * timtin-tokenize --dict uses SEG_USER_FIRST, --add-dict SEG_UNION.
 */
#ifndef TT_SEG_H
#define TT_SEG_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "vn.h"

/* Longest word, in syllables, the lexicon stores. */
#define SEG_MAXSYL 8

/* Where a lexicon word comes from (seg_lex_has returns these bits). */
enum {
    SEG_BUILTIN = 1 << 0, /* the project's lexicon */
    SEG_USER = 1 << 1,    /* a --dict file or seg_lex_add */
    SEG_LEARNED = 1 << 2, /* collocations learned from a corpus */
    SEG_NAME = 1 << 3     /* with SEG_BUILTIN: a proper name (a province,
                             a city, a body) */
};

typedef struct seg_lex seg_lex;

/* A lexicon, empty or (with_builtin) filled with the built-in words.  Never
 * NULL (out of memory aborts); seg_lex_free accepts NULL. */
seg_lex *seg_lex_new(int with_builtin);
void seg_lex_free(seg_lex *lex);
/* Add a word of 2..SEG_MAXSYL syllables separated by spaces or '_', in any
 * case, composition, tone style and i/y spelling ("Hoà_Bình", "uỷ ban
 * nhân dân", "kỹ thuật" = "kĩ thuật").
 * Returns TT_OK, or TT_EINVAL (nothing added) for a single syllable, too
 * many, a part that is not a word, or a lexicon full (about two million
 * distinct syllables and word prefixes). */
int seg_lex_add(seg_lex *lex, const char *word, size_t len);
/* The same for a word learned from a corpus (collocation statistics): it
 * joins the lexicon with the SEG_LEARNED bit, so callers can tell. */
int seg_lex_learn(seg_lex *lex, const char *word, size_t len);
/* Load a user dictionary: one word a line as for seg_lex_add; blank lines,
 * '#' comments and single syllables are skipped.  *added (may be NULL)
 * receives the number of words new to lex (one already there, however
 * written, is not counted again).  Returns TT_OK or TT_EIO. */
int seg_lex_load(seg_lex *lex, const char *path, size_t *added, tt_err *e);
/* The SEG_* source bits of a word (0 when absent); the word as for
 * seg_lex_add. */
unsigned seg_lex_has(const seg_lex *lex, const char *word, size_t len);
/* Number of words. */
size_t seg_lex_count(const seg_lex *lex);
/* The built-in words of 2 or 3 syllables whose folded form (vn_fold,
 * syllables separated by one space) is fold: up to max of them, as norm
 * forms in norm[] and SEG_* bits in bits[].  Returns how many. */
size_t seg_builtin_by_fold(const char *fold, const char **norm,
                           unsigned *bits, size_t max);
/* 1 when the prebuilt table of lib/lexicon_data.c is exactly what adding
 * the built-in words one by one gives, its fold index what vn_fold makes of
 * them, and its abbreviation keys and tables what lib/seg.c would compute
 * (tests: rerun gen-lexicon.py if not). */
int seg_lex_prebuilt_ok(void);

/* How the sources of a lexicon combine (see the top of this file). */
enum { SEG_UNION = 0, SEG_USER_FIRST = 1 };
/* Set the policy (any other value means SEG_UNION); it applies to every
 * segmentation that starts afterwards.  Not thread-safe, like adding. */
void seg_lex_set_policy(seg_lex *lex, int policy);
int seg_lex_policy(const seg_lex *lex);

/* A word found by the segmenter: tokens [first, first + ntok) of
 * seg_tokens(), and its span in the original text. */
typedef struct seg_word {
    size_t off, len;
    size_t first, ntok;
} seg_word;

typedef struct seg seg;

/* A segmenter over lex (borrowed: lex must outlive it).  Never NULL;
 * seg_free accepts NULL. */
seg *seg_new(const seg_lex *lex);
void seg_free(seg *s);
/* Tokenise (vn.h) and segment text[0..len).  Every token belongs to exactly
 * one word; punctuation, numbers, codes, URLs are words of their own.
 * Words never span a line break.  Returns the number of words. */
size_t seg_run(seg *s, const char *text, size_t len);
/* The tokens and words of the last seg_run; valid until the next seg_run or
 * seg_free.  Token norm/fold pointers are valid as long. */
const vn_token *seg_tokens(const seg *s, size_t *n);
const seg_word *seg_words(const seg *s, size_t *n);

/* Abbreviation synonyms.  Keys are compared on norm forms without '.', '-'
 * and spaces, so "TP.HCM", "Tp. HCM", "TPHCM" and "tp hcm" are one.
 * Expansions are norm syllables separated by spaces.  Some entries are
 * made of others, one after the other, their keys making its key and
 * their expansions its expansion: TP.HCM is TP and HCM, so "TP HCM",
 * "TP. Hồ Chí Minh" and "thành phố HCM" are TP.HCM too.  The indexer
 * indexes an abbreviation wherever it is written another way, spelt out
 * or made of its parts, and the parts of one written in one word
 * (lib/analyze.h), so that the searcher finds every spelling with one
 * term, and the whole by a part. */
typedef struct seg_abbr {
    const char *abbr;      /* norm, as usually written: "tp.hcm", "hđnd" */
    const char *fold;      /* its folded form: "tp.hcm", "hdnd" */
    const char *expansion; /* "thành phố hồ chí minh" */
} seg_abbr;
#define SEG_ABBR_MAX_WORDS 8 /* syllables of an expansion, at most */
#define SEG_ABBR_MAX_PARTS 4 /* entries an entry is made of, at most */

/* The entry of an abbreviation typed in any case, dots and tone style, with
 * its marks or, failing that, without ("hdnd" -> hđnd); NULL if none.
 * Entries are static. */
const seg_abbr *seg_abbr_lookup(const char *s, size_t len);
/* The expansion of an abbreviation ("UBND" -> "ủy ban nhân dân"), or NULL.
 * The string is static. */
const char *seg_abbr_expand(const char *abbr, size_t len);
/* For the indexer: the entry of a token's norm form, marks as written
 * ("tphcm" -> tp.hcm, but "cd" is not "cđ"), or NULL.  scratch is a work
 * buffer. */
const seg_abbr *seg_abbr_of_norm(const char *norm, size_t len, sbuf *scratch);
/* For the indexer: the entries whose expansion is spelt by the last words
 * of norms[0..n) (norm forms of adjacent words, lens their lengths,
 * norms[n-1] the word just read), at most max into out; returns how many.
 * One hash probe when norms[n-1] ends no expansion. */
size_t seg_abbr_ending(const char *const *norms, const size_t *lens, size_t n,
                       const seg_abbr **out, size_t max);
/* The abbreviation whose expansion is the given words, in any case and
 * tone style ("Ủy ban nhân dân" -> "ubnd"), or NULL.  Static string. */
const char *seg_abbr_find(const char *words, size_t len);
/* The same as an entry; with fold, the words are compared without their
 * marks ("uy ban nhan dan" -> ubnd; the first entry of a folded expansion
 * when several share it). */
const seg_abbr *seg_abbr_spelt(const char *words, size_t len, int fold);
/* The entries ab is made of, in order, into parts[0..SEG_ABBR_MAX_PARTS):
 * returns how many, 0 when it is made of no others.  Tables made by
 * scripts/gen-lexicon.py: nothing is computed at start. */
size_t seg_abbr_parts(const seg_abbr *ab, const seg_abbr **parts);
/* The entries made of others: the i-th (i < seg_abbr_nwholes()), or NULL. */
size_t seg_abbr_nwholes(void);
const seg_abbr *seg_abbr_whole(size_t i);
/* The i-th entry of the table (i < seg_abbr_count()): abbreviation (norm,
 * as usually written, e.g. "tp.hcm") and expansion. */
size_t seg_abbr_count(void);
void seg_abbr_get(size_t i, const char **abbr, const char **expansion);

#endif
