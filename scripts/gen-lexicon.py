#!/usr/bin/env python3
"""gen-lexicon.py — compile the project's own lexicon into C.

Reads lib/data/lexicon.txt (one multi-syllable word a line, syllables
separated by spaces or '_'; '#' starts a comment) and lib/data/abbrev.txt
(abbreviation TAB expansion), writes lib/lexicon_data.c.  Words are brought
to the norm form of lib/vn.c (NFC, lower case, the classic tone placement:
hòa, thủy, khỏe; a rhyme i/y after an initial written i, after qu y: kĩ,
lí, quý), deduplicated and sorted; tests/unit/test_seg.c checks that every
entry is what vn_norm makes of it.  Python 3 standard library only.

Usage: scripts/gen-lexicon.py [TOP]   (TOP: the source tree, default ..)
"""
import os
import sys
import unicodedata

TONES = {'\u0300': 1, '\u0301': 2, '\u0309': 3, '\u0303': 4, '\u0323': 5}
TONE_MARK = {v: k for k, v in TONES.items()}
VMARKS = {'\u0302', '\u0306', '\u031b'}
VOWELS = set('aeiouy')
ONSETS = {'', 'b', 'c', 'ch', 'd', 'đ', 'g', 'gh', 'h', 'k', 'kh', 'l', 'm',
          'n', 'ng', 'ngh', 'nh', 'p', 'ph', 'q', 'r', 's', 't', 'th', 'tr',
          'v', 'x'}
CODAS = {'', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't'}
# the initials the y-spelling of a rhyme i follows (iy_onset of lib/vn.c)
IY_ONSETS = {'h', 'k', 'l', 'm', 'n', 's', 't', 'th', 'v', 'x'}


def letters(syl):
    """[(base, vowel marks, tone)] of an NFC syllable, or None."""
    out = []
    for ch in syl:
        if ch in 'đ':
            out.append(('đ', '', 0))
            continue
        d = unicodedata.normalize('NFD', ch)
        base, marks = d[0], d[1:]
        if not ('a' <= base <= 'z'):
            return None
        tone = 0
        vm = ''
        for m in marks:
            if m in TONES:
                tone = TONES[m]
            elif m in VMARKS:
                vm += m
            else:
                return None
        out.append((base, vm, tone))
    return out


def place_tone(syl):
    """The canonical placement of lib/vn.c (see place_tone there), and its
    one spelling of a rhyme i/y."""
    ls = letters(syl)
    if not ls or len(ls) > 8:
        return syl
    b = [x[0] for x in ls]
    i = 0
    while i < len(b) and b[i] not in VOWELS:
        i += 1
    if i == len(b) or ''.join(b[:i]) not in ONSETS:
        return syl
    if i == 1 and b[0] == 'q':
        if b[1] != 'u' or ls[1][1] or i + 1 >= len(b) or b[i + 1] not in VOWELS:
            return syl
        i += 1
    elif (i == 1 and b[0] == 'g' and b[1] == 'i' and not ls[1][1]
          and i + 1 < len(b) and b[i + 1] in VOWELS):
        i += 1
    nuc = i
    j = nuc
    while j < len(b) and b[j] in VOWELS:
        j += 1
    if j - nuc > 3 or ''.join(b[j:]) not in CODAS:
        return syl
    if j == len(b) and nuc == j - 1 and b[nuc] in 'iy':
        # a rhyme of the one vowel i or y: i after an initial that the
        # y-spelling follows, y after qu (kỹ -> kĩ, quí -> quý)
        if nuc == 2 and b[0] == 'q':
            b[nuc] = 'y'
        elif ''.join(b[:nuc]) in IY_ONSETS:
            b[nuc] = 'i'
        ls = [(b[k], vm, tone) for k, (_, vm, tone) in enumerate(ls)]
    tones = [(k, x[2]) for k, x in enumerate(ls) if x[2]]
    if len(tones) > 1:
        return syl
    tval = tones[0][1] if tones else 0
    marked = [k for k in range(nuc, j) if ls[k][1]]
    if not tones:
        target = -1
    elif marked:
        target = marked[-1]
    elif j - nuc == 1:
        target = nuc
    elif j - nuc == 3:
        target = nuc + 1
    elif j < len(b):
        target = nuc + 1
    else:
        target = nuc
    out = []
    for k, (base, vm, tone) in enumerate(ls):
        t = tval if k == target else 0
        out.append(unicodedata.normalize(
            'NFC', base + vm + (TONE_MARK[t] if t else '')))
    return ''.join(out)


def norm_word(w):
    w = unicodedata.normalize('NFC', w.replace('_', ' ')).lower()
    w = w.replace('ð', 'đ')             # eth for đ, as lib/vn.c reads it
    return ' '.join(place_tone(s) for s in w.split())


M64 = (1 << 64) - 1
KEYMASK = M64 & ~0xFF
L_WORD, L_PREFIX, L_PAIR = 1 << 4, 1 << 5, 1 << 6
SEG_BUILTIN, SEG_NAME = 1, 1 << 3
SEQ_SEED = 0x9E3779B97F4A7C15


def mix64(x):
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & M64
    x ^= x >> 31
    return x


def syl_hash(b):
    """syl_hash of lib/seg.c over the UTF-8 bytes b."""
    h = 0xCBF29CE484222325 ^ len(b)
    for i in range(0, len(b), 8):
        w = int.from_bytes(b[i:i + 8], 'little')
        h = ((h ^ w) * 0x9E3779B97F4A7C15) & M64
        h ^= h >> 29
    return h


class Table:
    """The hash table seg_lex_new(1) of lib/seg.c builds from the built-in
    words, built here the same way (same hashes, probing and insertion
    order) so that programs start with it instead of building it."""

    def __init__(self):
        self.cap, self.used, self.words, self.npairs = 1 << 16, 0, 0, 0
        self.slots = [0] * self.cap

    def slot(self, key):
        m = self.cap - 1
        i = (key >> 20) & m
        while self.slots[i] and (self.slots[i] & KEYMASK) != (key & KEYMASK):
            i = (i + 1) & m
        return i

    def put(self, key, bits):
        if (self.used + 1) * 2 > self.cap:
            old = self.slots
            self.cap *= 2
            self.slots = [0] * self.cap
            for v in old:
                if v:
                    self.slots[self.slot(v)] = v
        i = self.slot(key)
        if not self.slots[i]:
            self.slots[i] = key & KEYMASK
            self.used += 1
        if bits & L_WORD and not self.slots[i] & L_WORD:
            self.words += 1
        self.slots[i] |= bits & 0xFF

    def pair(self, key):
        i = self.slot(key)
        if not self.slots[i] & L_PAIR:
            self.slots[i] |= L_PAIR
            self.npairs += 1

    def add(self, word, src):
        h, syls = SEQ_SEED, word.split(' ')
        for nsyl, syl in enumerate(syls):
            if nsyl > 1:
                self.put(h, L_PREFIX)
            if nsyl == 2:
                self.pair(h)
            h = mix64(h ^ syl_hash(syl.encode('utf-8'))) | 0x100
        if 2 <= len(syls) <= 8:
            self.put(h, L_WORD | src)
            if len(syls) == 2:
                self.pair(h)


def fold_word(w):
    """vn_fold of lib/vn.c for a norm word: no marks, đ as d."""
    d = unicodedata.normalize('NFD', w.replace('đ', 'd'))
    return ''.join(c for c in d if not unicodedata.combining(c))


ABBR_SLOTS = 512  # SEG_ABBR_SLOTS of lib/lexicon_data.h
ABBR_PARTS = 4  # SEG_ABBR_PARTS of lib/lexicon_data.h


def abbr_key(s):
    """strip_key of lib/seg.c: the string without '.', '-' and spaces."""
    return ''.join(c for c in s if c not in '.- ')


def abbr_parts(abbr, keys, i):
    """The entries entry i is made of, one after the other, their keys
    making its key and their expansions its expansion (TP.HCM: TP and HCM):
    the first such list in entry order, depth first, of 2 to ABBR_PARTS
    entries, each the first of its key; [] when there is none.  lib/seg.c
    (parts_ok) searches the same way."""
    first = {}
    for j, k in enumerate(keys):
        first.setdefault(k, j)

    def search(k, x, acc):
        if not k and not x:
            return acc if len(acc) >= 2 else None
        if not k or not x or len(acc) == ABBR_PARTS:
            return None
        for j, (kj, (_, xj)) in enumerate(zip(keys, abbr)):
            if j == i or not kj or first[kj] != j or not k.startswith(kj):
                continue
            if x == xj:
                rest = ''
            elif x.startswith(xj + ' '):
                rest = x[len(xj) + 1:]
            else:
                continue
            r = search(k[len(kj):], rest, acc + [j])
            if r:
                return r
        return None

    return search(keys[i], abbr[i][1], []) or []


def write_abbr_tables(f, abbr):
    """The abbreviations' keys, folded forms and folded expansions,
    lib/seg.c's four hash tables of them (key_put: the first entry of a key
    wins), and the entries made of others, so that programs need not
    compute them at start."""
    forms = [(abbr_key(a), abbr_key(fold_word(a)), fold_word(a),
              fold_word(e)) for a, e in abbr]
    slots = [[0] * ABBR_SLOTS for _ in range(4)]
    for which in range(4):
        taken = {}
        for i, (a, e) in enumerate(abbr):
            key = forms[i][which] if which != 2 else e
            if not key or key in taken:
                continue
            taken[key] = i
            j = syl_hash(key.encode('utf-8')) & (ABBR_SLOTS - 1)
            while slots[which][j]:
                j = (j + 1) & (ABBR_SLOTS - 1)
            slots[which][j] = i + 1
    f.write('const char *const seg_abbr_forms[][4] = {\n')
    for k, kf, fo, fe in forms:
        f.write('    {%s, %s, %s, %s},\n' % (c_string(k), c_string(kf),
                                             c_string(fo), c_string(fe)))
    f.write('};\n')
    f.write('const short seg_abbr_slots[4][SEG_ABBR_SLOTS] = {\n')
    for t in slots:
        f.write('    {\n')
        for k in range(0, ABBR_SLOTS, 16):
            f.write('       ' + ''.join(' %d,' % v for v in t[k:k + 16]) +
                    '\n')
        f.write('    },\n')
    f.write('};\n')
    keys = [fo[0] for fo in forms]
    parts = [abbr_parts(abbr, keys, i) for i in range(len(abbr))]
    f.write('const short seg_abbr_made_of[][SEG_ABBR_PARTS] = {\n')
    for i, p in enumerate(parts):
        row = [j + 1 for j in p] + [0] * (ABBR_PARTS - len(p))
        f.write('    {%s},%s\n' % (', '.join('%d' % v for v in row),
                                     ' /* %s */' % abbr[i][0]
                                     if '*/' not in abbr[i][0] else ''))
    f.write('};\n')
    wholes = [i for i, p in enumerate(parts) if p]
    f.write('const short seg_abbr_whole_list[] = {%s};\n' %
            ', '.join('%d' % v for v in wholes + [-1]))
    f.write('const size_t seg_abbr_whole_n = %d;\n\n' % len(wholes))


def c_string(s):
    out = []
    for ch in s:
        if ch == '\\':
            out.append('\\\\')
        elif ch == '"':
            out.append('\\"')
        else:
            out.append(ch)
    return '"' + ''.join(out) + '"'


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..')
    words, names = set(), set()
    with open(os.path.join(top, 'lib/data/lexicon.txt'), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            w = norm_word(line)
            n = len(w.split())
            if 2 <= n <= 8:
                # written with a capital: a proper name (place, body)
                dest = names if line.lower() != line else words
                dest.add(w)
    words -= names
    abbr = []
    with open(os.path.join(top, 'lib/data/abbrev.txt'), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].rstrip('\n')
            if not line.strip():
                continue
            a, e = line.split('\t')
            abbr.append((unicodedata.normalize('NFC', a.strip()).lower()
                         .replace('ð', 'đ'),
                         norm_word(e.strip())))
    words = sorted(words)
    names = sorted(names)
    out = os.path.join(top, 'lib/lexicon_data.c')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('/* lexicon_data.c — GENERATED by scripts/gen-lexicon.py from '
                'lib/data/lexicon.txt\n * and lib/data/abbrev.txt: edit '
                'those and rerun the script.  %d words,\n * %d proper '
                'names. */\n' % (len(words), len(names)))
        f.write('#include "lexicon_data.h"\n\n')
        f.write('const char seg_lexicon_text[] =\n')
        for w in words:
            f.write('    %s\n' % c_string(w + '\\n').replace('\\\\n', '\\n'))
        f.write('    "";\n')
        f.write('const size_t seg_lexicon_len = sizeof seg_lexicon_text - 1;'
                '\n\n')
        f.write('const char seg_names_text[] =\n')
        for w in names:
            f.write('    %s\n' % c_string(w + '\\n').replace('\\\\n', '\\n'))
        f.write('    "";\n')
        f.write('const size_t seg_names_len = sizeof seg_names_text - 1;\n\n')
        f.write('const char *const seg_abbr_table[][2] = {\n')
        for a, e in abbr:
            f.write('    {%s, %s},\n' % (c_string(a), c_string(e)))
        f.write('};\n')
        f.write('const size_t seg_abbr_n = sizeof seg_abbr_table / '
                'sizeof seg_abbr_table[0];\n\n')
        write_abbr_tables(f, abbr)
        t = Table()
        for w in words:
            t.add(w, SEG_BUILTIN)
        for w in names:
            t.add(w, SEG_BUILTIN | SEG_NAME)
        # words of 2 or 3 syllables by their accent-free form, for a
        # query typed without accents ("da nang" -> đà nẵng, đa năng)
        byfold = sorted((fold_word(w), w, b) for ws, b in
                        ((words, SEG_BUILTIN), (names, SEG_BUILTIN | SEG_NAME))
                        for w in ws if 2 <= len(w.split()) <= 3)
        # offsets into one string of "folded\0norm\0" pairs, not
        # pointers: the table then needs no relocation at start-up
        f.write('/* Words of 2 or 3 syllables sorted by their folded form: '
                'folded\\0norm\\0\n * pairs, and per word the offset of '
                'its pair and its SEG_* bits. */\n')
        f.write('const char seg_fold_text[] =\n')
        offs, off = [], 0
        for fo, w, b in byfold:
            offs.append(off)
            f.write('    %s "\\0" %s "\\0"\n' % (c_string(fo), c_string(w)))
            off += len(fo.encode('utf-8')) + len(w.encode('utf-8')) + 2
        f.write('    "";\n')
        f.write('const struct seg_fold_entry seg_fold_index[] = {\n')
        for o, (fo, w, b) in zip(offs, byfold):
            f.write('    {%d, %d},\n' % (o, b))
        f.write('};\nconst size_t seg_fold_n = sizeof seg_fold_index / '
                'sizeof seg_fold_index[0];\n\n')
        nbloom = 1 << 16
        while nbloom < t.npairs * 16:
            nbloom *= 2
        bloom = [0] * (nbloom // 64)
        for v in t.slots:
            if v & L_PAIR:
                b = (v >> 8) & (nbloom - 1)
                bloom[b // 64] |= 1 << (b % 64)
        f.write('/* The table seg_lex_new(1) starts from (lib/seg.c shares it '
                'until a word\n * is added), and its bloom filter. */\n')
        f.write('const size_t seg_prebuilt_cap = %d, seg_prebuilt_used = %d,\n'
                '    seg_prebuilt_words = %d, seg_prebuilt_npairs = %d,\n'
                '    seg_prebuilt_nbloom = %d;\n'
                % (t.cap, t.used, t.words, t.npairs, nbloom))
        for name, arr in (('seg_prebuilt_slots', t.slots),
                          ('seg_prebuilt_bloom', bloom)):
            f.write('const unsigned long long %s[] = {\n' % name)
            for k in range(0, len(arr), 8):
                f.write('   ' + ''.join(' 0x%xULL,' % v if v else ' 0,'
                                        for v in arr[k:k + 8]) + '\n')
            f.write('};\n')
    print('%s: %d words, %d names, %d abbreviations' % (
        out, len(words), len(names), len(abbr)))


if __name__ == '__main__':
    main()
