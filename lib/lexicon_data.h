/* lexicon_data.h — the built-in lexicon, compiled into lib/lexicon_data.c
 * by scripts/gen-lexicon.py from lib/data/lexicon.txt and abbrev.txt.
 * Only lib/seg.c reads it. */
#ifndef TT_LEXICON_DATA_H
#define TT_LEXICON_DATA_H

#include <stddef.h>

/* words and proper names in norm form, one a line */
extern const char seg_lexicon_text[];
extern const size_t seg_lexicon_len;
extern const char seg_names_text[];
extern const size_t seg_names_len;
/* abbreviation, expansion */
extern const char *const seg_abbr_table[][2];
extern const size_t seg_abbr_n;
/* per abbreviation: its key (the norm form without '.', '-' and spaces),
 * its accent-free key, its folded form and its folded expansion; and
 * lib/seg.c's hash tables (entry + 1 by key, open addressing on syl_hash)
 * of the keys, the accent-free keys, the expansions and the folded
 * expansions */
#define SEG_ABBR_SLOTS 512 /* power of two, well above the entries */
extern const char *const seg_abbr_forms[][4];
extern const short seg_abbr_slots[4][SEG_ABBR_SLOTS];
/* per abbreviation, the entries (+ 1) it is made of, 0 after the last
 * (all 0: none); the entries made of others, -1 after the last */
#define SEG_ABBR_PARTS 4
extern const short seg_abbr_made_of[][SEG_ABBR_PARTS];
extern const short seg_abbr_whole_list[];
extern const size_t seg_abbr_whole_n;
/* words of 2 or 3 syllables sorted by their folded form (strcmp order):
 * entry i's folded form is the string at seg_fold_text + off, its norm
 * form the string after it (offsets, not pointers: a table of pointers
 * costs a relocation per entry each time a program starts) */
extern const char seg_fold_text[];
extern const struct seg_fold_entry {
    unsigned off;
    unsigned char bits; /* SEG_* */
} seg_fold_index[];
extern const size_t seg_fold_n;
/* the hash table lib/seg.c builds from the words, built ahead, and its
 * bloom filter (seg_prebuilt_nbloom bits) */
extern const size_t seg_prebuilt_cap, seg_prebuilt_used, seg_prebuilt_words,
    seg_prebuilt_npairs, seg_prebuilt_nbloom;
extern const unsigned long long seg_prebuilt_slots[], seg_prebuilt_bloom[];

#endif
