/* schema.h — what an index holds: term prefixes, value slots, metadata
 * keys and the analyzer version.  The indexer writes and the searcher reads
 * exactly these; docs/FORMAT.md describes them for people.
 *
 * Terms (after the prefix, every term is lower case, so a prefix never runs
 * into its term):
 *   fold           a token's folded form (lib/vn.h), positional: all text
 *                  fields.  The term "can" holds every form of can (cần,
 *                  cán, can…), so an accent-free query word is one term,
 *                  and a phrase reads one position list a word
 *   norm           an accented token's normalised form (NFC, lower case,
 *                  canonical tone placement), without position: a word
 *                  typed with accents matches it; in a phrase, the folded
 *                  terms' positions, filtered by the norm terms
 *                  (an accent-free token's norm is its fold: one term)
 *   date, time     one form whatever the spelling (22-9 -> 22/9, 10:30 ->
 *                  10h30; lib/vn.h), positional like fold; at the same
 *                  position a date's year or day and month, a time's
 *                  minute (22:32:05 -> 22h32) (docs/FORMAT.md)
 *   abbreviation   fold and norm of an abbreviation of lib/data/abbrev.txt,
 *                  without position, where it is spelt out ("hội đồng
 *                  nhân dân" gives hdnd and hđnd), written another way
 *                  (TPHCM gives tp.hcm) or made of its parts (TP HCM, TP.
 *                  Hồ Chí Minh, thành phố HCM give tp.hcm): one term finds
 *                  every spelling; and the abbreviations an abbreviation
 *                  written in one word is made of (TP.HCM gives tp and
 *                  hcm): a part finds the whole
 *   compound       a code or word of parts joined by '-' or '.' (COVID-19,
 *                  U.23, blue-chip; lib/analyze.h an_compound): its fold
 *                  and norm are those of its parts written together
 *                  (covid19, u23), positional; and each part's fold and
 *                  norm (covid, 19), without position: a part finds it
 *   S  norm        title token, without positions (title: searches; a
 *                  title phrase checks the folded terms' positions)
 *   XS fold        a title token's folded form, likewise: every form
 *                  (an accent-free title word is one term, while S keeps
 *                  "can" apart from "cần")
 *   Q  id          the article id (unique: replace/delete by it); an id
 *                  too long for a term is shortened (an_id_term)
 *   A  fold name   author, whole name (boolean)
 *   P  fold name   section (boolean)
 *   K  fold tag    tag (boolean)
 *   O  source      source site (boolean)
 *   Y yyyy, M yyyymm, D yyyymmdd   publication date, as written (boolean)
 */
#ifndef TT_SCHEMA_H
#define TT_SCHEMA_H

/* Bump when the terms a text gives, the document data (lib/docdata.h) or
 * the values change: a db built with another value is refused (rebuild
 * with --full). */
#define TT_ANALYZER_VERSION "timtin-analyzer-20"

#define PFX_TITLE "S"
#define PFX_TITLE_FOLD "XS"
#define PFX_ID "Q"
#define PFX_AUTHOR "A"
#define PFX_SECTION "P"
#define PFX_TAG "K"
#define PFX_SOURCE "O"
#define PFX_YEAR "Y"
#define PFX_MONTH "M"
#define PFX_DAY "D"

/* Value slots. */
enum {
    SLOT_PUBLISHED = 0,    /* "YYYYMMDDhhmmss" on the article's own clock
                              (date_local_key), as the Y/M/D terms: date
                              ranges (since:, until:, a..b) */
    SLOT_DUPKEY = 1,       /* near-duplicate signature (collapse) */
    SLOT_SECTION = 2,      /* section as displayed (facets) */
    SLOT_YEAR = 3,         /* "YYYY" (facets) */
    SLOT_ID = 4,           /* the article id (re-ranking, without the data) */
    SLOT_PUBLISHED_UTC = 5 /* "YYYYMMDDhhmmss" in UTC, the actual moment
                              (date_format_key): date order, newest first
                              (23:30+07:00 comes before 17:10Z that day) */
};

/* Metadata keys. */
#define META_ANALYZER "timtin.analyzer"
#define META_CHECKPOINT "timtin.checkpoint" /* corpus position, file:offset */
#define META_CORPUS "timtin.corpus"         /* the corpus the db follows */
#define META_CORPUS_DIR "timtin.corpus_dir" /* ... its directory, absolute:
                                               where the searcher reads an
                                               article's whole text */

/* Positions: fields follow each other in one position stream with gaps, so
 * that a phrase never spans two fields or two paragraphs (the searcher's
 * phrases are of adjacent words: a gap of one position breaks them).  Small
 * gaps keep positions small, and glass stores a list's last position as a
 * varint (analyzer 6 had gaps of 100 and 10). */
#define POS_FIELD_GAP 4
#define POS_PARA_GAP 1

#endif
