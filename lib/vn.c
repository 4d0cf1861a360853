/* vn.c — see vn.h.
 *
 * Speed comes from one table for the code points of ASCII, Latin-1, Latin
 * Extended-A/B and Latin Extended Additional (U+0000-U+024F,
 * U+1E00-U+1EFF): class, lower case, fold, and for Vietnamese letters the
 * base letter, vowel mark and tone.  Text made of those code points (nearly
 * all Vietnamese text in NFC) never calls utf8proc; anything else
 * (combining marks, other scripts) takes the slow path through unicode.c.
 *
 * The table is derived from utf8proc's own data by fill() below, at build
 * time: the Makefile compiles this file with -DVN_GENERATE into a small
 * program (lib/main_vntab.c) that writes vn_tables.inc, which the library's
 * build of this file includes as constant data.  A process therefore pays
 * nothing to start, and the two paths agree by construction; test_vn checks
 * it over the whole range.
 */
#include "vn.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"

/* character classes used by the scanner */
enum { C_SPACE, C_ZW, C_LETTER, C_MARK, C_DIGIT, C_PUNCT, C_SYMBOL,
       C_IDEO, C_CTRL };

/* vowel marks; STROKE is đ's bar */
enum { VM_NONE, VM_CIRC, VM_BREVE, VM_HORN, VM_STROKE };
/* tones, in the order of the Vietnamese names */
enum { T_NONE, T_HUYEN, T_SAC, T_HOI, T_NGA, T_NANG };

typedef struct chinfo {
    int32_t lower;    /* simple lower case */
    int32_t fold;     /* lower case without marks; đ -> d */
    uint8_t cls;      /* C_* */
    uint8_t base;     /* 'a'..'z' for a Latin letter (any marks), else 0 */
    uint8_t vm, tone; /* VM_*, T_* */
    uint8_t upper;    /* upper or title case */
    uint8_t vn;       /* a letter of Vietnamese spelling: base + VN marks */
} chinfo;

#define LO_END 0x250
#define HI_BEG 0x1E00
#define HI_END 0x1F00

#ifdef VN_GENERATE
static chinfo tab_lo[LO_END], tab_hi[HI_END - HI_BEG];
static int32_t comp[26][5][6]; /* base, vowel mark, tone -> lower cp */
#else
/* tab_lo, tab_hi, comp (base, vowel mark, tone -> lower cp), as constant
 * data; generated from this file, see the top */
#include "vn_tables.inc"
#endif

static inline const chinfo *info(int32_t cp)
{
    if (cp >= 0 && cp < LO_END)
        return &tab_lo[cp];
    if (cp >= HI_BEG && cp < HI_END)
        return &tab_hi[cp - HI_BEG];
    return NULL;
}

static int iszw(int32_t cp)
{
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
           cp == 0xFEFF || cp == 0x00AD;
}

/* The compatibility forms read as NFKC reads them (add_slow): fullwidth
 * ASCII, the Latin ligatures ﬀ-ﬆ, superscript and subscript digits.  No
 * others: Vietnamese letters keep their NFC forms. */
static int compat_cp(int32_t cp)
{
    return (cp >= 0xFF01 && cp <= 0xFF5E) || (cp >= 0xFB00 && cp <= 0xFB06) ||
           cp == 0xB2 || cp == 0xB3 || cp == 0xB9 || cp == 0x2070 ||
           (cp >= 0x2074 && cp <= 0x2079) || (cp >= 0x2080 && cp <= 0x2089);
}

static int slow_class(int32_t cp)
{
    if (iszw(cp))
        return C_ZW;
    if (cp >= 0xB2 && cp <= 0x2089 && compat_cp(cp))
        return C_DIGIT;                 /* ² ⁵ ₂: digits, as 2 5 2 */
    if (uni_isideo(cp))
        return C_IDEO;
    switch (uni_class(cp)) {
    case UNI_LETTER: return C_LETTER;
    case UNI_MARK: return C_MARK;
    case UNI_DIGIT: return C_DIGIT;
    case UNI_SPACE: return C_SPACE;
    case UNI_PUNCT: return C_PUNCT;
    case UNI_CONTROL: return C_CTRL;
    default: return C_SYMBOL;   /* symbols, other numerals, unassigned */
    }
}

static inline int cclass(int32_t cp)
{
    const chinfo *e = info(cp);
    return e ? e->cls : slow_class(cp);
}

static inline int isvowel(int c)
{
    /* bits of a e i o u y, as c - 'a' */
    unsigned d = (unsigned)c - 'a';
    return d < 26 && ((0x1104111u >> d) & 1);
}

#ifdef VN_GENERATE
static void fill(chinfo *e, int32_t cp)
{
    int32_t d[8];
    size_t nd, i;
    int ok = 1;

    e->cls = (uint8_t)slow_class(cp);
    e->lower = uni_tolower(cp);
    e->fold = e->lower;
    e->upper = (uint8_t)uni_isupper(cp);
    if (compat_cp(cp) && uni_decompose_compat(cp, d, 8) == 1)
        e->lower = e->fold = d[0];      /* ² ³ ¹: 2 3 1 */
    if (e->cls != C_LETTER)
        return;
    if (cp == 0x110 || cp == 0x111 || cp == 0xD0 || cp == 0xF0 ||
        cp == 0x189) {
        /* Đ đ have no decomposition; Ð ð (eth) stand for them in text
         * from legacy encodings, Ɖ (African D, its lower case ɖ U+0256 is
         * past the table: add_slow) looks the same: đ too */
        e->lower = 0x111;
        e->base = 'd';
        e->vm = VM_STROKE;
        e->vn = 1;
        e->fold = 'd';
        return;
    }
    nd = uni_decompose(e->lower, d, 8);
    if (nd == 0 || d[0] >= 0x80 || !((d[0] | 0x20) >= 'a' &&
                                      (d[0] | 0x20) <= 'z')) {
        sbuf s = {0}, f = {0};                  /* e.g. ß, æ, ø */
        size_t k;
        int32_t c;
        uni_addcp(&s, e->lower);
        uni_strip_marks(s.s, s.len, &f);
        k = uni_decode(f.s, f.len, &c);
        if (k == f.len)
            e->fold = c;
        sbuf_free(&s);
        sbuf_free(&f);
        return;
    }
    e->base = (uint8_t)(d[0] | 0x20);
    e->fold = e->base;
    for (i = 1; i < nd; i++) {
        int tone = 0, vm = 0;
        switch (d[i]) {
        case 0x300: tone = T_HUYEN; break;
        case 0x301: tone = T_SAC; break;
        case 0x309: tone = T_HOI; break;
        case 0x303: tone = T_NGA; break;
        case 0x323: tone = T_NANG; break;
        case 0x302: vm = VM_CIRC; break;
        case 0x306: vm = VM_BREVE; break;
        case 0x31B: vm = VM_HORN; break;
        default: ok = 0;
        }
        if ((tone && e->tone) || (vm && e->vm))
            ok = 0;
        if (tone)
            e->tone = (uint8_t)tone;
        if (vm)
            e->vm = (uint8_t)vm;
    }
    if (e->tone && !isvowel(e->base))
        ok = 0;
    if (e->vm == VM_CIRC && !(e->base == 'a' || e->base == 'e' ||
                              e->base == 'o'))
        ok = 0;
    if (e->vm == VM_BREVE && e->base != 'a')
        ok = 0;
    if (e->vm == VM_HORN && !(e->base == 'o' || e->base == 'u'))
        ok = 0;
    if (!ok) {
        e->vm = e->tone = 0;
        return;
    }
    e->vn = 1;
}

static void build_tables(void)
{
    int32_t cp;
    int b;
    for (cp = 0; cp < LO_END; cp++)
        fill(&tab_lo[cp], cp);
    for (cp = HI_BEG; cp < HI_END; cp++)
        fill(&tab_hi[cp - HI_BEG], cp);
    for (b = 0; b < 26; b++)
        comp[b][0][0] = 'a' + b;
    comp['d' - 'a'][VM_STROKE][0] = 0x111;
    for (cp = 0; cp < HI_END; cp++) {
        const chinfo *e = info(cp);
        if (e && e->vn && !e->upper && e->base && e->lower == cp &&
            !comp[e->base - 'a'][e->vm][e->tone])
            comp[e->base - 'a'][e->vm][e->tone] = cp;
        if (cp == LO_END - 1)
            cp = HI_BEG - 1;
    }
}

static void write_entries(FILE *f, const char *name, const chinfo *t,
                          int32_t first, size_t n)
{
    fprintf(f, "static const chinfo %s[%zu] = {\n", name, n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "    {%ld, %ld, %u, %u, %u, %u, %u, %u}, /* U+%04lX */\n",
                (long)t[i].lower, (long)t[i].fold, t[i].cls, t[i].base,
                t[i].vm, t[i].tone, t[i].upper, t[i].vn,
                (long)(first + (int32_t)i));
    fputs("};\n", f);
}

int vn_write_tables(FILE *f); /* for lib/main_vntab.c alone */
int vn_write_tables(FILE *f)
{
    build_tables();
    fputs("/* vn_tables.inc: GENERATED at build time by lib/main_vntab.c "
          "from lib/vn.c's\n * fill() and utf8proc; do not edit. */\n", f);
    write_entries(f, "tab_lo", tab_lo, 0, LO_END);
    write_entries(f, "tab_hi", tab_hi, HI_BEG, HI_END - HI_BEG);
    fputs("static const int32_t comp[26][5][6] = {\n", f);
    for (int b = 0; b < 26; b++) {
        fputs("    {", f);
        for (int v = 0; v < 5; v++) {
            fputs(v ? ", {" : "{", f);
            for (int t = 0; t < 6; t++)
                fprintf(f, t ? ", %ld" : "%ld", (long)comp[b][v][t]);
            fputs("}", f);
        }
        fputs("},\n", f);
    }
    fputs("};\n", f);
    return ferror(f) ? -1 : 0;
}
#endif

/* Decode at s[p] (p < n): the common well-formed cases inline, the rest
 * (4-byte, E0/ED leads, anything invalid) through uni_decode. */
static inline size_t next_cp(const char *s, size_t n, size_t p, int32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s + p;
    unsigned c = u[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c >= 0xC2 && c < 0xE0 && n - p >= 2 && (u[1] & 0xC0) == 0x80) {
        *cp = (int32_t)(((c & 0x1F) << 6) | (u[1] & 0x3F));
        return 2;
    }
    if (c > 0xE0 && c < 0xF0 && c != 0xED && n - p >= 3 &&
        (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        *cp = (int32_t)(((c & 0x0F) << 12) | ((u[1] & 0x3F) << 6) |
                        (u[2] & 0x3F));
        return 3;
    }
    return uni_decode(s + p, n - p, cp);
}

/* Appending without a capacity check per character: reserve first. */
static inline void reserve(sbuf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap)
        xgrow(&b->s, &b->cap, b->len + extra + 1, 1);
}

static inline void put_cp(sbuf *b, int32_t cp)
{
    if (cp < 0x80)
        b->s[b->len++] = (char)cp;
    else
        b->len += uni_encode(cp, b->s + b->len);
}

/* ---- syllables ---- */

static int valid_onset(const uint8_t *b, const uint8_t *vm, int n)
{
    int i;
    for (i = 0; i < n; i++)
        if (vm[i] && !(n == 1 && b[0] == 'd' && vm[0] == VM_STROKE))
            return 0;
    switch (n) {
    case 0:
        return 1;
    case 1:                     /* not f j w z (nor a vowel) */
        return b[0] != 'f' && b[0] != 'j' && b[0] != 'w' && b[0] != 'z';
    case 2:
        switch (b[0]) {
        case 'c': case 'k': case 'p': case 't':
            return b[1] == 'h' || (b[0] == 't' && b[1] == 'r');
        case 'g':
            return b[1] == 'h';
        case 'n':
            return b[1] == 'g' || b[1] == 'h';
        default:
            return 0;
        }
    case 3:
        return b[0] == 'n' && b[1] == 'g' && b[2] == 'h';
    default:
        return 0;
    }
}

static int valid_coda(const uint8_t *b, const uint8_t *vm, int n)
{
    int i;
    for (i = 0; i < n; i++)
        if (vm[i])
            return 0;
    switch (n) {
    case 0:
        return 1;
    case 1:
        return b[0] == 'c' || b[0] == 'm' || b[0] == 'n' || b[0] == 'p' ||
               b[0] == 't';
    case 2:
        return (b[0] == 'c' || b[0] == 'n') && (b[1] == 'h' ||
                                                (b[0] == 'n' && b[1] == 'g'));
    default:
        return 0;
    }
}

#define SYLL_MAX 8

/* The initials the y-spelling of a rhyme i follows (lý, kỹ, Mỹ, tỷ, sỹ,
 * hy, Vỹ, xy, Ny, Thy: h k l m n s t th v x; qu apart): after the others
 * a y is a foreign word's (by, try, phy), never Vietnamese. */
static int iy_onset(const uint8_t *b, int n)
{
    if (n == 2)
        return b[0] == 't' && b[1] == 'h';
    return n == 1 && (b[0] == 'h' || b[0] == 'k' || b[0] == 'l' ||
                      b[0] == 'm' || b[0] == 'n' || b[0] == 's' ||
                      b[0] == 't' || b[0] == 'v' || b[0] == 'x');
}

/* Check the shape of the lower-case letters b/vm/tone[0..n), move the
 * tone to its canonical vowel and write a rhyme of the one vowel i or y
 * after an initial consonant one way: i (kỹ -> kĩ, lý -> lí, Mỹ -> mĩ),
 * y after qu (quí -> quý).  Returns 0 for a malformed syllable, 1 for a
 * well-formed one, 2 for one whose letters changed (b, tone). */
static int place_tone(uint8_t *b, uint8_t *vm, uint8_t *tone, int n)
{
    int i = 0, nuc, j, k, ntone = 0, tpos = -1, tval = 0, target, marked;
    int r = 1;

    while (i < n && !isvowel(b[i]))
        i++;
    if (i == n || !valid_onset(b, vm, i))
        return 0;
    if (i == 1 && b[0] == 'q') {               /* qu: u is the onset's */
        if (b[1] != 'u' || vm[1] || i + 1 >= n || !isvowel(b[i + 1]))
            return 0;
        i++;
    } else if (i == 1 && b[0] == 'g' && b[1] == 'i' && !vm[1] &&
               i + 1 < n && isvowel(b[i + 1])) {
        i++;                                    /* gi + vowel */
    }
    nuc = i;
    for (j = nuc; j < n && isvowel(b[j]); j++)
        ;
    if (j - nuc > 3 || !valid_coda(b + j, vm + j, n - j))
        return 0;
    if (j == n && nuc == n - 1 && (b[nuc] == 'i' || b[nuc] == 'y')) {
        int want = nuc == 2 && b[0] == 'q' ? 'y'
                   : iy_onset(b, nuc)      ? 'i'
                                           : b[nuc];
        if (b[nuc] != want) {
            b[nuc] = (uint8_t)want;
            r = 2;
        }
    }
    for (k = 0; k < n; k++)
        if (tone[k]) {
            ntone++;
            tpos = k;
            tval = tone[k];
        }
    if (ntone > 1)
        return 0;
    if (ntone == 0)
        return r;
    marked = -1;
    for (k = nuc; k < j; k++)
        if (vm[k])
            marked = k;                         /* ươ: the last, ơ */
    if (marked >= 0)
        target = marked;
    else if (j - nuc == 1)
        target = nuc;
    else if (j - nuc == 3)
        target = nuc + 1;                       /* ngoái, khuỷu */
    else if (j < n)
        target = nuc + 1;                       /* hoàn, huỳnh */
    else
        target = nuc;                           /* hòa, thủy, khỏe, mùa */
    if (target != tpos) {
        tone[tpos] = 0;
        tone[target] = (uint8_t)tval;
        r = 2;
    }
    return r;
}

/* Write the letters of a syllable place_tone changed again: its norm
 * from norm->s[n0], its fold (the base letters) from fold->s[f0]. */
static void rewrite(sbuf *norm, size_t n0, sbuf *fold, size_t f0,
                    const uint8_t *b, const uint8_t *vm, const uint8_t *tone,
                    int L)
{
    int i;
    norm->len = n0;
    fold->len = f0;
    for (i = 0; i < L; i++) {
        put_cp(norm, comp[b[i] - 'a'][vm[i]][tone[i]]);
        fold->s[fold->len++] = (char)b[i];
    }
    norm->s[norm->len] = '\0';
    fold->s[fold->len] = '\0';
}

/* Building the slow path's text for NFC: the position of the tone marks
 * after the last letter, and of that letter (NOPOS: none). */
#define NOPOS ((size_t)-1)
typedef struct marks {
    size_t tones, base;
} marks;

static int vm_mark(int32_t cp)
{
    return cp == 0x302 ? VM_CIRC : cp == 0x306 ? VM_BREVE
                                 : cp == 0x31B ? VM_HORN : 0;
}

static int tone_mark(int32_t cp)
{
    return cp == 0x300 || cp == 0x301 || cp == 0x303 || cp == 0x309 ||
           cp == 0x323;
}

/* The Latin letter a Cyrillic or Greek letter looks like, or 0: the
 * confusables of those scripts that pass for letters of Vietnamese or
 * English words ("Hа Nội" with a Cyrillic а). */
static int32_t latin_twin(int32_t cp)
{
    /* Greek, then Cyrillic, in code point order; twin[i] is cps[i]'s */
    static const uint16_t cps[] = {
        0x391, 0x392, 0x395, 0x396, 0x397, 0x399, 0x39A, 0x39C, 0x39D,
        0x39F, 0x3A1, 0x3A4, 0x3A5, 0x3A7, 0x3B1, 0x3B9, 0x3BA, 0x3BD,
        0x3BF, 0x3C1, 0x3C5, 0x3C7, 0x405, 0x406, 0x408, 0x410, 0x412,
        0x415, 0x41A, 0x41C, 0x41D, 0x41E, 0x420, 0x421, 0x422, 0x423,
        0x425, 0x430, 0x435, 0x43E, 0x440, 0x441, 0x443, 0x445, 0x455,
        0x456, 0x458, 0x4BB, 0x4CF, 0x501, 0x51B, 0x51D};
    static const char twin[] =
        "ABEZHIKMNOPTYXaikvopuxSIJABEKMHOPCTYXaeopcyxsijhldqw";
    size_t lo = 0, hi = sizeof cps / sizeof cps[0];
    if (cp < 0x391 || cp > 0x51D)
        return 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cps[mid] == cp)
            return twin[mid];
        if (cps[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Does the run s[0..n) mix Latin letters with Cyrillic or Greek ones that
 * all look like Latin letters?  Then those are read as their twins. */
static int twins_mixed(const char *s, size_t n)
{
    int latin = 0, twin = 0;
    for (size_t p = 0; p < n;) {
        int32_t cp;
        const chinfo *e;
        p += next_cp(s, n, p, &cp);
        e = info(cp);
        if (e) {
            latin |= e->cls == C_LETTER;
        } else if (cp >= 0x370 && cp < 0x530 &&
                   uni_class(cp) == UNI_LETTER) {
            if (!latin_twin(cp))
                return 0;
            twin = 1;
        }
    }
    return latin && twin;
}

/* Append cp to a, the slow path's text before NFC.  A vowel's shape mark
 * (U+0302, U+0306, U+031B) typed after its tone mark goes before it: the
 * tone marks U+0300 U+0301 U+0303 U+0309 share the shape marks' combining
 * class 230, so NFC keeps "a + U+0301 + U+0302" as typed and composes
 * neither; after a precomposed toned vowel (á + U+0302) the two make one
 * letter (ấ). */
static void add_slow(sbuf *a, int32_t cp, marks *m)
{
    int vm;
    if (cp == 0xD0 || cp == 0xF0 || cp == 0x189 || cp == 0x256)
        cp = 0x111;             /* eth, African D: đ, as the table has it */
    if (compat_cp(cp)) {        /* Ｈ -> H, ﬁ -> fi, ⁵ -> 5 */
        int32_t d[4];
        size_t nd = uni_decompose_compat(cp, d, 4);
        for (size_t i = 0; i < nd; i++)
            add_slow(a, d[i], m);
        if (nd)
            return;
    }
    vm = vm_mark(cp);
    if (vm && m->tones != NOPOS) {
        char tmp[4];
        size_t k = uni_encode(cp, tmp);
        reserve(a, k);
        memmove(a->s + m->tones + k, a->s + m->tones, a->len - m->tones);
        memcpy(a->s + m->tones, tmp, k);
        a->len += k;
        a->s[a->len] = '\0';
        m->tones += k;
        return;
    }
    if (vm && m->base != NOPOS) {
        int32_t b;
        const chinfo *e;
        next_cp(a->s, a->len, m->base, &b);
        e = info(b);
        if (e && e->vn && e->tone && !e->vm &&
            comp[e->base - 'a'][vm][e->tone]) {
            a->len = m->base;
            uni_addcp(a, comp[e->base - 'a'][vm][e->tone]);
            m->base = NOPOS;
            return;
        }
    }
    if (tone_mark(cp)) {
        if (m->tones == NOPOS)
            m->tones = a->len;
    } else if (!vm) {
        m->tones = NOPOS;
        m->base = a->len;
    }
    uni_addcp(a, cp);
}

typedef struct scratch {
    sbuf a, b;
} scratch;

/* Append the norm and fold of a run of letters, digits and marks s[0..n)
 * (zero-width characters are dropped).  slow: 1 when the run holds
 * combining marks or code points outside the table, 0 when not, -1 when
 * unknown.  Returns VN_SYLL when the run is a well-formed Vietnamese
 * syllable. */
static unsigned norm_run(const char *s, size_t n, int slow, sbuf *norm,
                         sbuf *fold, scratch *sc)
{
    size_t p = 0, n0 = norm->len, f0 = fold->len;
    int allvn = 1, L = 0, other = 0, accent = 0;
    uint8_t b[SYLL_MAX], vm[SYLL_MAX], tone[SYLL_MAX];
    size_t at[SYLL_MAX + 1];
    unsigned flags = 0;

    while (slow < 0) {                  /* slow path needed? */
        slow = 0;
        while (p < n) {
            int32_t cp;
            const chinfo *e;
            p += next_cp(s, n, p, &cp);
            e = info(cp);
            if ((!e && !iszw(cp)) || (e && e->cls == C_MARK))
                slow = 1;
        }
    }
    if (slow) {                         /* NFC + lower through utf8proc */
        marks m = {NOPOS, NOPOS};
        int twins = twins_mixed(s, n);
        sbuf_reset(&sc->a);
        sbuf_reset(&sc->b);
        for (p = 0; p < n;) {
            int32_t cp;
            size_t k = next_cp(s, n, p, &cp);
            if (twins && latin_twin(cp))
                cp = latin_twin(cp);
            if (!iszw(cp))
                add_slow(&sc->a, cp, &m);
            p += k;
        }
        uni_nfc(sc->a.s ? sc->a.s : "", sc->a.len, 1, &sc->b);
        s = sc->b.s;
        n = sc->b.len;
    }
    reserve(norm, 2 * n + 8);   /* lower case grows UTF-8 by half at most */
    reserve(fold, 2 * n + 8);
    for (p = 0; p < n;) {
        int32_t cp;
        const chinfo *e;
        p += next_cp(s, n, p, &cp);
        e = info(cp);
        if (!e) {
            if (iszw(cp))
                continue;
            allvn = 0;
            other = 1;
            put_cp(norm, slow ? cp : uni_tolower(cp));
            continue;
        }
        if (e->cls == C_ZW)
            continue;
        if (!e->vn)
            allvn = 0;
        if (L < SYLL_MAX) {
            at[L] = norm->len;
            b[L] = e->base;
            vm[L] = e->vm;
            tone[L] = e->tone;
        }
        L++;
        accent |= e->lower != e->fold;
        put_cp(norm, e->lower);
        put_cp(fold, e->fold);
    }
    norm->s[norm->len] = '\0';
    fold->s[fold->len] = '\0';
    if (allvn && L > 0 && L <= SYLL_MAX) {
        int r = place_tone(b, vm, tone, L);
        if (r) {
            flags |= VN_SYLL;
            if (r == 2)                 /* re-encode from the arrays */
                rewrite(norm, at[0], fold, f0, b, vm, tone, L);
        }
    }
    if (accent)
        flags |= VN_ACCENT;
    if (other) {                        /* fold through utf8proc */
        size_t i;
        fold->len = f0;
        uni_strip_marks(norm->s + n0, norm->len - n0, fold);
        for (i = f0; i + 1 < fold->len; i++)   /* đ has no decomposition */
            if ((unsigned char)fold->s[i] == 0xC4 &&
                (unsigned char)fold->s[i + 1] == 0x91) {
                fold->s[i] = 'd';
                memmove(fold->s + i + 1, fold->s + i + 2, fold->len - i - 2);
                fold->len--;
            }
        fold->s[fold->len] = '\0';
        if (fold->len - f0 != norm->len - n0 ||
            memcmp(fold->s + f0, norm->s + n0, fold->len - f0) != 0)
            flags |= VN_ACCENT;
    }
    return flags;
}

/* ---- tokenizer ---- */

#define MAXPARTS 128
#define URL_MAX 2048

typedef struct part {
    size_t b, e;        /* bytes of the part in the text */
    int32_t sep;        /* the connector before it (0 for the first) */
    uint16_t nlet, ndig, nup;
    uint8_t ascii;      /* letters and digits all ASCII */
    uint8_t syll;       /* letters only, a Vietnamese syllable */
    uint8_t slow;       /* marks or code points outside the table */
    uint8_t cut;        /* stopped by VN_TOKEN_MAX, not by its end */
    uint8_t firstup;    /* its first letter is upper case */
} part;

typedef struct pend {
    size_t b, e;
    int kind;
    unsigned flags;
    int p0, p1;         /* parts [p0, p1) to normalise, or p0 < 0 */
} pend;

struct vn_tok {
    const char *s;
    size_t n, p;
    int space;                  /* white space seen since the last token */
    int aftercut;               /* the last token was cut (VN_SPLIT) */
    part parts[MAXPARTS];
    int nparts;
    pend q[2 * MAXPARTS];
    int qn, qi;
    sbuf norm, fold;
    scratch sc;
};

static size_t initial_dot(const vn_tok *t, size_t b, size_t e, int joined);

vn_tok *vn_tok_new(void)
{
    vn_tok *t = xcalloc(1, sizeof *t);
    return t;
}

void vn_tok_free(vn_tok *t)
{
    if (!t)
        return;
    sbuf_free(&t->norm);
    sbuf_free(&t->fold);
    sbuf_free(&t->sc.a);
    sbuf_free(&t->sc.b);
    free(t);
}

void vn_tok_start(vn_tok *t, const char *text, size_t len)
{
    t->s = text ? text : "";
    t->n = text ? len : 0;
    t->p = 0;
    t->space = 1;
    t->aftercut = 0;
    t->qn = t->qi = 0;
}

static void push(vn_tok *t, size_t b, size_t e, int kind, unsigned flags,
                 int p0, int p1)
{
    pend *q = &t->q[t->qn++];
    q->b = b;
    q->e = e;
    q->kind = kind;
    q->flags = flags;
    q->p0 = p0;
    q->p1 = p1;
}

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int prefix_ci(const char *s, size_t n, const char *pre)
{
    size_t i, m = strlen(pre);
    if (n < m)
        return 0;
    for (i = 0; i < m; i++)
        if (lc((unsigned char)s[i]) != pre[i])
            return 0;
    return 1;
}

/* Scan one part (letters, digits, marks, zero-width) from p; fill *pt.
 * Stops after about VN_TOKEN_MAX bytes, never between a letter and its
 * marks unless they are absurdly many. */
static size_t scan_part(vn_tok *t, size_t p, part *pt)
{
    const char *s = t->s;
    size_t n = t->n, start = p;
    memset(pt, 0, sizeof *pt);
    pt->b = p;
    pt->ascii = 1;
    while (p < n) {
        int32_t cp;
        size_t k = next_cp(s, n, p, &cp);
        const chinfo *e = info(cp);
        int c = e ? e->cls : slow_class(cp);
        if (c != C_LETTER && c != C_DIGIT && c != C_MARK && c != C_ZW)
            break;
        if (p - start >= VN_TOKEN_MAX &&
            (c != C_MARK || p - start >= 2 * VN_TOKEN_MAX)) {
            pt->cut = 1;
            break;
        }
        if (cp >= 0x80 && c != C_ZW) {
            pt->ascii = 0;
            if (!e || c == C_MARK)
                pt->slow = 1;
        }
        if (c == C_LETTER) {
            int up = e ? e->upper : uni_isupper(cp);
            if (pt->nlet == 0)
                pt->firstup = (uint8_t)up;
            if (pt->nlet < 0xFFFF)
                pt->nlet++;
            if (up && pt->nup < 0xFFFF)
                pt->nup++;
        } else if (c == C_DIGIT) {
            if (pt->ndig < 0xFFFF)
                pt->ndig++;
        }
        p += k;
    }
    pt->e = p;
    return p;
}

/* The connector cp stands for: the typographic apostrophe (U+2019) is
 * ', the hyphens U+2010 and U+2011 (non-breaking) are '-'. */
static int32_t conn_of(int32_t cp)
{
    if (cp == 0x2019)
        return '\'';
    return cp == 0x2010 || cp == 0x2011 ? '-' : cp;
}

static int isconn(int32_t cp)
{
    cp = conn_of(cp);
    return cp == '.' || cp == ',' || cp == '-' || cp == '/' || cp == ':' ||
           cp == '\'' || cp == '&' || cp == '@';
}

#define ISDIG(pt) ((pt)->ndig > 0 && (pt)->nlet == 0)
#define ISALPHA(pt) ((pt)->nlet > 0 && (pt)->ndig == 0)
#define ISMIX(pt) ((pt)->nlet > 0 && (pt)->ndig > 0)
#define ALLCAPS(pt) ((pt)->nlet > 0 && (pt)->nup == (pt)->nlet)

/* decimal value of an ASCII digit part, or -1 */
static long dval(const vn_tok *t, const part *pt)
{
    long v = 0;
    size_t i;
    if (!pt->ascii || pt->e - pt->b > 6)
        return -1;
    for (i = pt->b; i < pt->e; i++) {
        char c = t->s[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

static size_t plen(const part *pt) { return pt->e - pt->b; }


/* "10h30", "10h", "9g15": a time in one mixed part, an hour of 0-24 and
 * minutes of two digits, 00-59.  Returns 2 with minutes, 1 without, 0 when
 * no time. */
static int time_part(const vn_tok *t, const part *pt)
{
    const char *s = t->s + pt->b;
    size_t n = plen(pt), i = 0;
    int h = 0, m = 0;
    if (!pt->ascii)
        return 0;
    while (i < n && i < 2 && s[i] >= '0' && s[i] <= '9')
        h = h * 10 + (s[i++] - '0');
    if (i == 0 || i >= n || (s[i] != 'h' && s[i] != 'g' && s[i] != 'H'))
        return 0;
    i++;
    if (i == n)
        return h <= 24;
    if (n - i != 2 || s[i] < '0' || s[i] > '5' || s[i + 1] < '0' ||
        s[i + 1] > '9')
        return 0;
    m = (s[i] - '0') * 10 + (s[i + 1] - '0');
    return h <= 24 && m < 60 ? 2 : 0;
}

/* Is part pt two ASCII digits of 00-59, minutes or seconds? */
static int sixty(const vn_tok *t, const part *pt)
{
    long v = ISDIG(pt) && plen(pt) == 2 ? dval(t, pt) : -1;
    return v >= 0 && v < 60;
}

static int tld(const vn_tok *t, const part *pt)
{
    static const char *const list[] = {
        "vn", "com", "net", "org", "gov", "edu", "info", "biz", "io", "co",
        "uk", "us", "fr", "de", "jp", "kr", "cn", "ru", "au", "tv", "me",
        "asia", "int", "eu", "sg", "th", "la", "kh", "ca", "it", "es", NULL};
    size_t n = plen(pt), i, k;
    if (!ISALPHA(pt) || !pt->ascii || n > 4)
        return 0;
    for (i = 0; list[i]; i++) {
        if (strlen(list[i]) != n)
            continue;
        for (k = 0; k < n && lc((unsigned char)t->s[pt->b + k]) == list[i][k];
             k++)
            ;
        if (k == n)
            return 1;
    }
    return 0;
}

/* Is the code point at s[p] (p < n) a letter? */
static int letter_at(const char *s, size_t n, size_t p)
{
    int32_t cp;
    next_cp(s, n, p, &cp);
    return cclass(cp) == C_LETTER;
}

/* the end of a URL starting at p: up to white space, quotes or <>, less
 * trailing punctuation */
static size_t url_end(vn_tok *t, size_t p)
{
    const char *s = t->s;
    size_t n = t->n, start = p;
    int paren = 0;
    while (p < n && p - start < URL_MAX) {
        int32_t cp;
        size_t k = next_cp(s, n, p, &cp);
        int c = cclass(cp);
        if (c == C_SPACE || c == C_CTRL || cp == '"' || cp == '<' ||
            cp == '>' || cp == 0x201C || cp == 0x201D || cp == 0xAB ||
            cp == 0xBB || cp == 0x2018 || cp == 0x2019 || cp == 0xFFFD)
            break;
        if (cp == '(')
            paren = 1;
        p += k;
    }
    while (p > start) {
        char c = s[p - 1];
        if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
            c == '?' || c == '\'' || (c == ')' && !paren) || c == ']')
            p--;
        else
            break;
    }
    return p;
}

static int email_ok(const vn_tok *t, int at)
{
    int i, ndot = 0;
    for (i = 0; i < t->nparts; i++) {
        const part *pt = &t->parts[i];
        if (!pt->ascii)
            return 0;
        if (i > 0 && i != at && t->parts[i].sep != '.' &&
            t->parts[i].sep != '-')
            return 0;
        if (i > at && pt->sep == '.')
            ndot++;
    }
    return at > 0 && ndot > 0 && tld(t, &t->parts[t->nparts - 1]);
}

/* A group of parts [i, j) of kind k; then the connector of part j (if
 * any) as a token of its own. */
static void group(vn_tok *t, int i, int j, int kind, unsigned flags)
{
    int k;
    for (k = i; k < j; k++)
        if (t->parts[k].cut)
            flags |= VN_SPLIT;
    push(t, t->parts[i].b, t->parts[j - 1].e, kind, flags, i, j);
    if (j < t->nparts)
        push(t, t->parts[j - 1].e, t->parts[j].b, VN_PUNCT, 0, -1, -1);
}

/* Does a period join parts l and r into one abbreviation: TP.HCM, Tp.HCM,
 * U.S, the initials N.Ng and V.Kh, tp.hcm?  Not two syllables in capitals
 * ("MƯA TO.GIÓ LỚN" is two sentences run together), nor capitals and the
 * word that follows them: a name ("TP.Huế", "Q.Tân Bình" are "TP. Huế",
 * "Q. Tân Bình", whatever the name's length) or any syllable ("H.nói"). */
static int dot_joins(const part *l, const part *r)
{
    int word = r->syll && r->nlet >= 2;
    if (ALLCAPS(l) && ALLCAPS(r))
        return !(l->syll && l->nlet >= 2 && word);
    if (ALLCAPS(r))                     /* Tp.HCM, Ph.D */
        return l->ascii && l->nlet <= 2;
    if (word || r->nlet > 3)
        return 0;
    return ALLCAPS(l) || (l->ascii && l->nlet <= 2 && r->ascii &&
                          r->nup == 0);
}

/* The words after which a pair of numbers d-m is a score or a range, not
 * a day and month: thắng, thua, hòa (hoà), bại (thất bại, đánh bại),
 * dẫn, gỡ (gỡ hòa), số (tỷ số, tỉ số; a house "số 8-12") and cấp (wind
 * "cấp 8-9"), as norms: 1.  The words that may stand between one and its
 * pair ("tỷ số lên 4-2", "dẫn trước 2-1", "thắng chung cuộc 2-1"): 2. */
static int score_word(const char *w, size_t n)
{
    static const char *const list[] = {
        "thắng", "thua", "hòa", "bại", "dẫn", "gỡ", "số", "cấp", NULL,
        "lên", "xuống", "là", "thành", "trước", "chung", "cuộc", "đậm",
        "ngược", NULL};
    int r = 1;
    for (int i = 0; r < 3; i++) {
        if (!list[i])
            r++;
        else if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
            return r;
    }
    return 0;
}

static int adig(char c) { return c >= '0' && c <= '9'; }

/* Is s[b..e) a pair of one or two digits, a hyphen, one or two digits? */
static int digit_pair(const char *s, size_t b, size_t e)
{
    size_t h = b;
    while (h < e && adig(s[h]))
        h++;
    return h > b && h - b <= 2 && h < e && s[h] == '-' && e - h - 1 >= 1 &&
           e - h - 1 <= 2 && adig(s[h + 1]) && (e - h - 1 == 1 ||
                                                adig(s[h + 2]));
}

/* Does a score word stand just before byte p (or with words of the
 * second list between), or a list of such pairs after one ("thắng 21-12,
 * 21-8")?  Looks back in the text, only when a pair that could be a date
 * is met: no cost on other text. */
static int after_score(vn_tok *t, size_t p)
{
    const char *s = t->s;
    for (int k = 0; k < 8; k++) {
        size_t e = p, b;
        while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
            e--;
        if (e > 0 && s[e - 1] == ',') {     /* the pair before: a score? */
            for (e--; e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t');)
                e--;
            for (b = e; b > 0 && (adig(s[b - 1]) || s[b - 1] == '-');)
                b--;
            if (!digit_pair(s, b, e) ||
                (b > 0 && s[b - 1] != ' ' && s[b - 1] != '\t'))
                return 0;
            p = b;
            continue;
        }
        for (b = e; b > 0 && ((unsigned char)s[b - 1] >= 0x80 ||
                              ((s[b - 1] | 0x20) >= 'a' &&
                               (s[b - 1] | 0x20) <= 'z'));)
            b--;
        if (b == e || e - b > 16)
            return 0;
        sbuf_reset(&t->norm);
        sbuf_reset(&t->fold);
        norm_run(s + b, e - b, -1, &t->norm, &t->fold, &t->sc);
        switch (score_word(t->norm.s, t->norm.len)) {
        case 1: return 1;
        case 2: p = b; continue;
        default: return 0;
        }
    }
    return 0;
}

/* Is the pair of parts i, i + 1 (d-m) a score or a range rather than a
 * date: after a score word, or followed by % ("3-5%", "3-5 %")? */
static int score_pair(vn_tok *t, int i)
{
    const part *r = &t->parts[i + 1];
    const char *s = t->s;
    size_t e = r->e, n = t->n;
    if (r->sep != '-')
        return 0;
    if ((e < n && s[e] == '%') ||
        (e + 1 < n && s[e] == ' ' && s[e + 1] == '%'))
        return 1;
    return after_score(t, t->parts[i].b);
}

/* Is b, after a and a comma, the decimals of a number written against
 * its unit (1,5kg, 0,75m: as 2.5kg), digits then letters? */
static int decimal_comma(const vn_tok *t, const part *a, const part *b)
{
    return b->sep == ',' && ISDIG(a) && ISMIX(b) && t->s[b->b] >= '0' &&
           t->s[b->b] <= '9';
}

/* Split a chunk of parts into tokens. */
static void classify(vn_tok *t)
{
    part *P = t->parts;
    int np = t->nparts, i = 0, k;

    for (k = 1; k < np; k++)
        if (P[k].sep == '@') {
            if (email_ok(t, k)) {
                push(t, P[0].b, P[np - 1].e, VN_EMAIL, 0, -1, -1);
                return;
            }
            break;
        }
    if (np >= 2 && P[0].ascii) {        /* a bare domain: tuoitre.vn */
        int dom = 1, dots = 0;
        for (k = 1; k < np && dom; k++) {
            if (!P[k].ascii || (P[k].sep != '.' && P[k].sep != '-'))
                dom = 0;
            dots += P[k].sep == '.';
        }
        if (dom && dots && tld(t, &P[np - 1]) && !ALLCAPS(&P[np - 1])) {
            size_t e = P[np - 1].e;
            if (e < t->n && t->s[e] == '/')
                e = url_end(t, e);
            push(t, P[0].b, e, VN_URL, 0, -1, -1);
            t->p = e;
            return;
        }
    }
    while (i < np) {
        part *a = &P[i];
        int j = i + 1;
        if (ISDIG(a)) {
            long v0 = dval(t, a), v1;
            /* time 22:32[:05]; not a score (3:1, 1:0): the minutes
             * have two digits */
            if (j < np && P[j].sep == ':' && plen(a) <= 2 && v0 >= 0 &&
                v0 <= 24 && sixty(t, &P[j])) {
                j++;
                if (j < np && P[j].sep == ':' && sixty(t, &P[j]))
                    j++;
                group(t, i, j, VN_TIME, 0);
                i = j;
                continue;
            }
            /* ISO date 2021-03-05, 2021/03/05: year, month, day */
            if (j + 1 < np && plen(a) == 4 && v0 >= 1900 && v0 <= 2100 &&
                (P[j].sep == '-' || P[j].sep == '/') &&
                P[j + 1].sep == P[j].sep && ISDIG(&P[j]) &&
                ISDIG(&P[j + 1]) && plen(&P[j]) <= 2 &&
                plen(&P[j + 1]) <= 2 &&
                !(j + 2 < np && P[j + 2].sep == P[j].sep)) {
                long m = dval(t, &P[j]), d = dval(t, &P[j + 1]);
                if (m >= 1 && m <= 12 && d >= 1 && d <= 31) {
                    group(t, i, j + 2, VN_DATE, 0);
                    i = j + 2;
                    continue;
                }
            }
            /* date 22-9, 25/2/2021, 9/2021, 25.2.2021 */
            if (j < np && ISDIG(&P[j]) && plen(a) <= 2 &&
                (P[j].sep == '-' || P[j].sep == '/' || P[j].sep == '.')) {
                int32_t sep = P[j].sep;
                v1 = dval(t, &P[j]);
                if (sep != '.' && v0 >= 1 && v0 <= 12 && plen(&P[j]) == 4 &&
                    v1 >= 1900 && v1 <= 2100 &&
                    !(j + 1 < np && P[j + 1].sep == sep)) {
                    group(t, i, j + 1, VN_DATE, 0);
                    i = j + 1;
                    continue;
                }
                if (v0 >= 1 && v0 <= 31 && v1 >= 1 && v1 <= 12 &&
                    plen(&P[j]) <= 2) {
                    int three = j + 1 < np && P[j + 1].sep == sep &&
                                ISDIG(&P[j + 1]) &&
                                (plen(&P[j + 1]) == 4 || plen(&P[j + 1]) == 2);
                    if (three) {
                        group(t, i, j + 2, VN_DATE, 0);
                        i = j + 2;
                        continue;
                    }
                    if (sep != '.' && !score_pair(t, i)) {
                        group(t, i, j + 1, VN_DATE, 0);
                        i = j + 1;
                        continue;
                    }
                }
            }
        }
        if (ISMIX(a) && (k = time_part(t, a)) != 0) {
            /* seconds: 10h30:15, and so the form 22h32:05 reads back */
            if (k == 2 && j < np && P[j].sep == ':' && sixty(t, &P[j]))
                j++;
            group(t, i, j, VN_TIME, 0);
            i = j;
            continue;
        }
        if (!ISALPHA(a) || a->ascii || ALLCAPS(a)) {
            /* a code: a chain over - / . of digits, mixed parts and
             * ASCII or all-caps letters, with both letters and digits */
            int let = a->nlet > 0, dig = a->ndig > 0, m = i + 1;
            while (m < np &&
                   (((P[m].sep == '-' || P[m].sep == '/' ||
                      P[m].sep == '.') &&
                     (!ISALPHA(&P[m]) || P[m].ascii || ALLCAPS(&P[m]))) ||
                    decimal_comma(t, &P[m - 1], &P[m]))) {
                let |= P[m].nlet > 0;
                dig |= P[m].ndig > 0;
                m++;
            }
            /* a trailing all-digit tail that is a number is not ours */
            if (let && dig) {
                group(t, i, m, VN_CODE, 0);
                i = m;
                continue;
            }
        }
        if (ISDIG(a)) {                 /* 1.000.000, 3,5 */
            while (j < np && ISDIG(&P[j]) &&
                   (P[j].sep == '.' || P[j].sep == ','))
                j++;
            group(t, i, j, VN_NUMBER, 0);
            i = j;
            continue;
        }
        if (ISALPHA(a)) {
            int kind = VN_WORD;
            unsigned fl = 0;
            /* TP.HCM, Tp.HCM, U.S: dotted abbreviations */
            if (j < np && P[j].sep == '.' && ISALPHA(&P[j])) {
                while (j < np && P[j].sep == '.' && ISALPHA(&P[j]) &&
                       dot_joins(&P[j - 1], &P[j]))
                    j++;
                if (j > i + 1)
                    kind = VN_ABBR;
            }
            /* hyphenated: Wi-Fi, e-mail, Mát-xcơ-va, NĐ-CP; but two
             * Vietnamese syllables (Bắc-Nam) stay apart */
            if (j == i + 1 && j < np && P[j].sep == '-' && ISALPHA(&P[j])) {
                int m = i + 1, foreign = !a->syll || a->nlet == 1,
                    caps = ALLCAPS(a);
                while (m < np && P[m].sep == '-' && ISALPHA(&P[m])) {
                    foreign |= !P[m].syll || P[m].nlet == 1;
                    caps &= ALLCAPS(&P[m]);
                    m++;
                }
                if (foreign) {
                    j = m;
                    fl = VN_HYPHEN;
                    if (caps)
                        kind = VN_ABBR;
                }
            }
            /* O'Neil, AT&T, km/h */
            if (j == i + 1 && j < np && ISALPHA(&P[j]) && a->ascii &&
                P[j].ascii &&
                ((P[j].sep == '\'') ||
                 (P[j].sep == '&' && ALLCAPS(a) && ALLCAPS(&P[j])) ||
                 (P[j].sep == '/' && a->nlet <= 3 && P[j].nlet <= 3 &&
                  !a->nup && !P[j].nup))) {
                kind = P[j].sep == '\'' ? VN_WORD : VN_ABBR;
                j++;
            }
            if (kind == VN_WORD && j == i + 1 && ALLCAPS(a) && a->nlet >= 2 &&
                !a->syll)
                kind = VN_ABBR;         /* UBND, HĐND, GDP */
            group(t, i, j, kind, fl);
            if (j == i + 1 && a->nlet <= 2 &&
                (np == 1 || (j < np && P[j].sep == '.' && ISALPHA(&P[j])))) {
                pend *q = &t->q[t->qn - 1 - (j < np)];
                size_t e = initial_dot(t, q->b, q->e, j < np);
                if (e != q->e) {
                    q->e = e;
                    q->flags |= VN_INITIAL;
                    if (j < np)
                        t->qn--;        /* the period is the initial's */
                    else
                        t->p = e;
                }
            }
            i = j;
            continue;
        }
        group(t, i, j, ISDIG(a) ? VN_NUMBER : a->nlet ? VN_CODE : VN_WORD,
              0);
        i = j;
    }
}

/* Does a part of letters only form a syllable?  Computed while scanning,
 * cheaply: norm_run on a scratch buffer. */
static void mark_syll(vn_tok *t, part *pt)
{
    if (!ISALPHA(pt) || pt->nlet > SYLL_MAX) {
        pt->syll = 0;
        return;
    }
    sbuf_reset(&t->norm);
    sbuf_reset(&t->fold);
    pt->syll = (norm_run(t->s + pt->b, pt->e - pt->b, pt->slow, &t->norm,
                         &t->fold, &t->sc) & VN_SYLL) != 0;
}

/* Scan a chunk of parts joined by connectors, starting at p. */
static void scan_chunk(vn_tok *t, size_t p)
{
    const char *s = t->s;
    size_t n = t->n, start = p;
    int need_syll = 0, k;

    int32_t sep = 0;
    t->nparts = 0;
    for (;;) {
        part *pt = &t->parts[t->nparts++];
        int32_t cp, c2;
        size_t k1;
        p = scan_part(t, p, pt);
        pt->sep = sep; /* ASCII: conn_of */
        if (p >= n || t->nparts == MAXPARTS || p - start >= VN_TOKEN_MAX ||
            pt->e - pt->b >= VN_TOKEN_MAX)
            break;
        k1 = next_cp(s, n, p, &cp);
        if (!isconn(cp) || p + k1 >= n)
            break;
        next_cp(s, n, p + k1, &c2);
        k = cclass(c2);
        if (k != C_LETTER && k != C_DIGIT)
            break;
        sep = conn_of(cp);
        if (sep == '-' || sep == '.')
            need_syll = 1;
        p += k1;
    }
    /* whether a part is a syllable decides how hyphens and periods join,
     * and whether capitals are an abbreviation (UBND) or a word (THƠ, also
     * in "THƠ,HÀ") */
    for (k = 0; k < t->nparts; k++)
        if (need_syll || (ALLCAPS(&t->parts[k]) && t->parts[k].nlet >= 2))
            mark_syll(t, &t->parts[k]);
    t->p = t->parts[t->nparts - 1].e;
    classify(t);
}

/* A symbol (emoji) with its modifiers, joiners and variation selectors. */
static size_t scan_symbol(vn_tok *t, size_t p, int32_t first)
{
    const char *s = t->s;
    size_t n = t->n, start = p;
    int32_t cp;
    p += next_cp(s, n, p, &cp);
    if (first >= 0x1F1E6 && first <= 0x1F1FF && p < n) {   /* flags */
        size_t k = next_cp(s, n, p, &cp);
        if (cp >= 0x1F1E6 && cp <= 0x1F1FF)
            p += k;
    }
    while (p < n && p - start < 64) {
        size_t k = next_cp(s, n, p, &cp);
        if (cp == 0x200D && p + k < n) {        /* ZWJ + symbol */
            int32_t c2;
            size_t k2 = next_cp(s, n, p + k, &c2);
            if (cclass(c2) != C_SYMBOL)
                break;
            p += k + k2;
            continue;
        }
        if (cclass(cp) == C_MARK || (cp >= 0xFE00 && cp <= 0xFE0F) ||
            (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
            (cp >= 0xE0020 && cp <= 0xE007F))
            p += k;
        else
            break;
    }
    return p;
}

/* A date's one form, whatever its separator: its parts joined by '/',
 * the day and month without leading zeros, the year as written (22-9,
 * 22/9 -> 22/9; 05.09.2021 -> 5/9/2021; 9/2021); an ISO date, year first,
 * day first (2021-09-05 -> 5/9/2021).  Digits only: a date's parts are
 * ASCII digits (dval), a year may hold a zero-width character. */
static void date_form(vn_tok *t, const pend *q)
{
    int np = q->p1 - q->p0, iso = np == 3 && plen(&t->parts[q->p0]) == 4;
    for (int x = 0; x < np; x++) {
        int k = iso ? q->p1 - 1 - x : q->p0 + x;
        const part *pt = &t->parts[k];
        size_t b = pt->b, i;
        if (x > 0)
            sbuf_addc(&t->norm, '/');
        if (x < 2 && pt->e - b <= 2)
            while (pt->e - b > 1 && t->s[b] == '0')
                b++;
        for (i = b; i < pt->e; i++)
            if (t->s[i] >= '0' && t->s[i] <= '9')
                sbuf_addc(&t->norm, t->s[i]);
    }
    sbuf_add(&t->fold, t->norm.s, t->norm.len);
}

/* A time's one form, whatever its spelling: the hour without a leading
 * zero, 'h', the minutes in two digits unless they are 00 and no seconds
 * follow, then ':' and the seconds (10:30, 10g30, 10H30 -> 10h30; 07h15
 * -> 7h15; 10:00, 10h00, 10g -> 10h; 22:32:05 -> 22h32:05).  A time is
 * ASCII digits, one of h g H, and colons (classify). */
static void time_form(vn_tok *t, const pend *q)
{
    int num[3] = {-1, -1, -1}, n = 0;
    size_t p = q->b;
    while (p < q->e && n < 3) {
        if (t->s[p] >= '0' && t->s[p] <= '9') {
            int v = 0;
            for (; p < q->e && t->s[p] >= '0' && t->s[p] <= '9'; p++)
                v = v * 10 + (t->s[p] - '0');
            num[n++] = v;
        } else {
            p++;
        }
    }
    sbuf_addf(&t->norm, "%dh", num[0]);
    if (num[2] >= 0)
        sbuf_addf(&t->norm, "%02d:%02d", num[1], num[2]);
    else if (num[1] > 0)
        sbuf_addf(&t->norm, "%02d", num[1]);
    sbuf_add(&t->fold, t->norm.s, t->norm.len);
}

/* Does number q group its thousands with periods, the Vietnamese way
 * (1.000, 10.000.000, 2.500,75)?  A head of one to three ASCII digits,
 * not 0, then groups of three after periods, then at most a comma and
 * the decimals.  Not decimals (3.5, 0.500), dotted codes (1.2.3,
 * 0903.123.456) or a comma's thousands (1,000: a decimal in Vietnamese). */
static int thousands(const vn_tok *t, const pend *q)
{
    const part *h = &t->parts[q->p0];
    int k, dots = 0;
    if (h->ndig != plen(h) || plen(h) > 3 || t->s[h->b] == '0')
        return 0;
    for (k = q->p0 + 1; k < q->p1; k++) {
        const part *pt = &t->parts[k];
        if (pt->ndig != plen(pt))
            return 0;
        if (pt->sep == ',')
            return dots && k == q->p1 - 1;
        if (pt->sep != '.' || plen(pt) != 3)
            return 0;
        dots++;
    }
    return dots > 0;
}

/* A number with thousands separators as one without (1.000.000 ->
 * 1000000, 2.500,75 -> 2500,75): "10000" finds "10.000". */
static void number_form(vn_tok *t, const pend *q)
{
    for (int k = q->p0; k < q->p1; k++) {
        const part *pt = &t->parts[k];
        if (pt->sep == ',')
            sbuf_addc(&t->norm, ',');
        sbuf_add(&t->norm, t->s + pt->b, plen(pt));
    }
    sbuf_add(&t->fold, t->norm.s, t->norm.len);
}

/* Normalise the pending token q into t->norm / t->fold. */
static unsigned normalise(vn_tok *t, const pend *q)
{
    unsigned flags = q->flags;
    int k;

    sbuf_reset(&t->norm);
    sbuf_reset(&t->fold);
    if (q->kind == VN_DATE && q->p0 >= 0) {
        date_form(t, q);
    } else if (q->kind == VN_TIME) {
        time_form(t, q);
    } else if (q->kind == VN_NUMBER && q->p0 >= 0 && thousands(t, q)) {
        number_form(t, q);
    } else if (q->p0 >= 0 && q->kind != VN_NUMBER) {
        for (k = q->p0; k < q->p1; k++) {
            const part *pt = &t->parts[k];
            unsigned f;
            if (k > q->p0) {
                sbuf_addc(&t->norm, (char)pt->sep);
                sbuf_addc(&t->fold, (char)pt->sep);
            }
            f = norm_run(t->s + pt->b, pt->e - pt->b, pt->slow, &t->norm,
                         &t->fold, &t->sc);
            flags |= f & VN_ACCENT;
            if (q->p1 == q->p0 + 1 && ISALPHA(pt))
                flags |= f & VN_SYLL;
        }
    } else {
        /* numbers, URLs, e-mail, punctuation, symbols: NFC, lower case */
        size_t p = q->b;
        int plain = 1;
        while (p < q->e) {
            int32_t cp;
            size_t k1 = next_cp(t->s, q->e, p, &cp);
            const chinfo *e = info(cp);
            if (!e || e->cls == C_MARK) {
                plain = 0;
                break;
            }
            p += k1;
        }
        if (plain) {
            reserve(&t->norm, 2 * (q->e - q->b) + 8);
            reserve(&t->fold, 2 * (q->e - q->b) + 8);
            for (p = q->b; p < q->e;) {
                int32_t cp;
                const chinfo *e;
                p += next_cp(t->s, q->e, p, &cp);
                e = info(cp);
                if (e->cls == C_ZW)
                    continue;
                put_cp(&t->norm, e->lower);
                put_cp(&t->fold, e->fold);
            }
            t->norm.s[t->norm.len] = '\0';
            t->fold.s[t->fold.len] = '\0';
            if (t->norm.len != t->fold.len ||
                memcmp(t->norm.s, t->fold.s, t->norm.len) != 0)
                flags |= VN_ACCENT;
        } else {
            marks m = {NOPOS, NOPOS};
            sbuf_reset(&t->sc.a);
            for (p = q->b; p < q->e;) {
                int32_t cp;
                p += next_cp(t->s, q->e, p, &cp);
                if (!iszw(cp))
                    add_slow(&t->sc.a, cp, &m);
            }
            uni_nfc(t->sc.a.s ? t->sc.a.s : "", t->sc.a.len, 1, &t->norm);
            vn_fold_norm(t->norm.s, t->norm.len, &t->fold);
            if (t->norm.len != t->fold.len ||
                memcmp(t->norm.s, t->fold.s, t->norm.len) != 0)
                flags |= VN_ACCENT;
        }
    }
    if (!t->norm.s)
        sbuf_add(&t->norm, "", 0);
    if (!t->fold.s)
        sbuf_add(&t->fold, "", 0);
    if (q->p0 >= 0) {                   /* case, from the parts */
        unsigned nlet = 0, nup = 0, first = 1;
        for (k = q->p0; k < q->p1; k++) {
            const part *pt = &t->parts[k];
            if (pt->nlet && first) {
                if (pt->firstup)
                    flags |= VN_CAP;
                first = 0;
            }
            nlet += pt->nlet;
            nup += pt->nup;
        }
        if (nlet >= 2 && nup == nlet)
            flags |= VN_ALLCAPS;
    }
    return flags;
}

static int fill_token(vn_tok *t, vn_token *tk)
{
    const pend *q = &t->q[t->qi++];
    unsigned flags = normalise(t, q);
    if (t->space)
        flags |= VN_SPACE;
    if (t->aftercut && !t->space && q->p0 >= 0)
        flags |= VN_SPLIT;              /* the rest of a cut run */
    t->aftercut = (flags & VN_SPLIT) && q->p0 >= 0 &&
                  t->parts[q->p1 - 1].cut;
    t->space = 0;
    tk->off = q->b;
    tk->len = q->e - q->b;
    tk->norm = t->norm.s;
    tk->norm_len = t->norm.len;
    tk->fold = t->fold.s;
    tk->fold_len = t->fold.len;
    tk->kind = q->kind;
    tk->flags = flags;
    if (t->qi == t->qn)
        t->qi = t->qn = 0;
    return 1;
}

/* "H. nói", "TP. HCM": an initial or a short abbreviation followed by a
 * period, white space and a letter takes the period along (one token, as
 * in the UD Vietnamese treebank; the norm has no period).  So does one
 * whose period joins it to a word of letters (joined: "TP.Huế", "Q.Tân
 * Bình", where the period makes no abbreviation).  Returns the new end, or
 * e unchanged. */
static size_t initial_dot(const vn_tok *t, size_t b, size_t e, int joined)
{
    const char *s = t->s;
    size_t n = t->n, len = e - b, q;
    int ok;
    if (e + 1 >= n || s[e] != '.' ||
        (!joined && s[e + 1] != ' ' && s[e + 1] != '\t'))
        return e;
    ok = (len == 1 && s[b] >= 'A' && s[b] <= 'Z') ||
         (len == 2 && (s[b] == 'T' && (s[b + 1] == 'P' || s[b + 1] == 'p' ||
                                       s[b + 1] == 'X' || s[b + 1] == 'T')));
    if (!ok || joined)
        return ok ? e + 1 : e;
    for (q = e + 1; q < n && (s[q] == ' ' || s[q] == '\t'); q++)
        ;
    if (q < n) {
        int32_t cp;
        next_cp(s, n, q, &cp);
        if (cclass(cp) == C_LETTER)
            return e + 1;
    }
    return e;
}

#define FAST_MAX 64

/* The common case in one pass: a run of table letters (no digits, marks,
 * zero-width characters) not joined to anything by a connector, i.e. a
 * plain word.  Fills *tk and returns 1; returns 0 (having consumed
 * nothing) when the general path must decide. */
static int fast_word(vn_tok *t, size_t p, vn_token *tk)
{
    const char *s = t->s;
    size_t n = t->n, q = p, at[SYLL_MAX + 1];
    sbuf *norm = &t->norm, *fold = &t->fold;
    uint8_t b[SYLL_MAX], vm[SYLL_MAX], tone[SYLL_MAX];
    int L = 0, allvn = 1, accent = 0, nup = 0, firstup = 0;
    unsigned flags = VN_SPACE & (t->space ? ~0u : 0u);
    int32_t cp;
    size_t kc = 1; /* the bytes of cp */

    if (t->aftercut)
        return 0;
    sbuf_reset(norm);
    sbuf_reset(fold);
    reserve(norm, 4 * FAST_MAX + 8);    /* 4 bytes a letter at most */
    reserve(fold, 4 * FAST_MAX + 8);
    while (q < n) {
        size_t k = kc = next_cp(s, n, q, &cp);
        const chinfo *e = info(cp);
        if (!e || e->cls != C_LETTER)
            break;
        if (L == FAST_MAX)
            return 0;                   /* long: the general path */
        if (L < SYLL_MAX) {
            at[L] = norm->len;
            b[L] = e->base;
            vm[L] = e->vm;
            tone[L] = e->tone;
        }
        if (L == 0)
            firstup = e->upper;
        nup += e->upper;
        allvn &= e->vn;
        accent |= e->lower != e->fold;
        L++;
        put_cp(norm, e->lower);
        put_cp(fold, e->fold);
        q += k;
    }
    if (q < n) {                        /* what stopped us? */
        int c = cclass(cp);
        if (c == C_DIGIT || c == C_MARK || c == C_ZW || c == C_LETTER)
            return 0;
        if (isconn(cp) && q + kc < n) {
            int32_t c2;
            int k2;
            next_cp(s, n, q + kc, &c2);
            k2 = cclass(c2);
            if (k2 == C_LETTER || k2 == C_DIGIT || k2 == C_MARK)
                return 0;
        }
    }
    norm->s[norm->len] = '\0';
    fold->s[fold->len] = '\0';
    tk->kind = VN_WORD;
    if (allvn && L <= SYLL_MAX) {
        int r = place_tone(b, vm, tone, L);
        if (r)
            flags |= VN_SYLL;
        if (r == 2)
            rewrite(norm, at[0], fold, 0, b, vm, tone, L);
    }
    if (firstup)
        flags |= VN_CAP;
    if (L >= 2 && nup == L) {
        flags |= VN_ALLCAPS;
        if (!(flags & VN_SYLL))
            tk->kind = VN_ABBR;         /* UBND, GDP */
    }
    if (accent)
        flags |= VN_ACCENT;
    t->space = 0;
    t->aftercut = 0;
    if (L <= 2 && initial_dot(t, p, q, 0) != q) {
        q++;
        flags |= VN_INITIAL;
    }
    t->p = q;
    tk->off = p;
    tk->len = q - p;
    tk->norm = norm->s;
    tk->norm_len = norm->len;
    tk->fold = fold->s;
    tk->fold_len = fold->len;
    tk->flags = flags;
    return 1;
}

int vn_tok_next(vn_tok *t, vn_token *tk)
{
    const char *s = t->s;
    size_t n = t->n;

    if (t->qi < t->qn)
        return fill_token(t, tk);
    while (t->p < n) {
        size_t p = t->p, k;
        int32_t cp;
        int c;
        k = next_cp(s, n, p, &cp);
        c = cclass(cp);
        switch (c) {
        case C_SPACE:
        case C_CTRL:
            t->space = 1;
            t->p += k;
            continue;
        case C_ZW:
            t->p += k;
            continue;
        case C_LETTER:
            if (!((cp | 0x20) == 'h' || (cp | 0x20) == 'f' ||
                  (cp | 0x20) == 'w') && fast_word(t, p, tk))
                return 1;
            /* fall through */
        case C_DIGIT:
        case C_MARK:
            if ((cp == 'h' || cp == 'H' || cp == 'f' || cp == 'F' ||
                 cp == 'w' || cp == 'W') &&
                (prefix_ci(s + p, n - p, "http://") ||
                 prefix_ci(s + p, n - p, "https://") ||
                 prefix_ci(s + p, n - p, "ftp://") ||
                 (prefix_ci(s + p, n - p, "www.") && p + 4 < n &&
                  letter_at(s, n, p + 4)))) {
                size_t e = url_end(t, p);
                push(t, p, e, VN_URL, 0, -1, -1);
                t->p = e;
            } else if (c == C_LETTER && fast_word(t, p, tk)) {
                return 1;
            } else {
                scan_chunk(t, p);
            }
            return fill_token(t, tk);
        case C_IDEO: {
            size_t e = p + k;
            while (e < n) {             /* keep its marks */
                int32_t c2;
                size_t k2 = next_cp(s, n, e, &c2);
                if (cclass(c2) != C_MARK)
                    break;
                e += k2;
            }
            push(t, p, e, VN_WORD, 0, -1, -1);
            t->p = e;
            return fill_token(t, tk);
        }
        case C_PUNCT: {
            size_t e = p + k;
            if (cp == '.')
                while (e < n && s[e] == '.')
                    e++;
            push(t, p, e, VN_PUNCT, 0, -1, -1);
            t->p = e;
            return fill_token(t, tk);
        }
        default: {
            size_t e = scan_symbol(t, p, cp);
            push(t, p, e, VN_SYMBOL, 0, -1, -1);
            t->p = e;
            return fill_token(t, tk);
        }
        }
    }
    return 0;
}

/* ---- string functions ---- */

/* The code point ending at s[p] (p > 0): what precedes s[p]. */
static int32_t cp_before(const char *s, size_t p)
{
    int32_t cp;
    size_t j = p - 1;
    while (j > 0 && j + 4 > p && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    uni_decode(s + j, p - j, &cp);
    return cp;
}

/* 1 when s[p] starts a control character that cleaning drops (C0 but
 * tab, LF, CR, VT and FF; DEL; C1), its length in *k. */
static int dropped_ctl(const char *s, size_t n, size_t p, size_t *k)
{
    unsigned char c = (unsigned char)s[p];
    *k = 1;
    if ((c < 0x20 && !(c >= '\t' && c <= '\r')) || c == 0x7F)
        return 1;
    if (c == 0xC2 && p + 1 < n && (unsigned char)s[p + 1] >= 0x80 &&
        (unsigned char)s[p + 1] <= 0x9F) {
        *k = 2;
        return 1;
    }
    return 0;
}

/* A bidi control: U+061C, U+200E-F, U+202A-E, U+2066-9. */
static int isbidi(int32_t cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static int blank_cp(int32_t cp)
{
    return (cp >= '\t' && cp <= '\r') || cclass(cp) == C_SPACE;
}

void vn_clean(const char *s, size_t n, sbuf *out)
{
    size_t p = 0, run = 0;
    while (p < n) {
        int32_t cp;
        size_t k = 1;
        const char *rep; /* what replaces s[p..p+k), or NULL: kept */
        unsigned char c = (unsigned char)s[p];
        if (c >= 0x20 && c < 0x7F) {
            p++;
            continue;
        }
        if (dropped_ctl(s, n, p, &k)) {
            /* C0, DEL and C1: a reader's text has no use for them, and
             * HTML cannot carry them.  A run of them between two
             * characters that are not spaces is a space (it stood
             * between two words: "Hà Nội" U+0096 "Hải Phòng"); elsewhere
             * it goes. */
            size_t q = p + k, k2;
            while (q < n && dropped_ctl(s, n, q, &k2))
                q += k2;
            k = q - p;
            if (p > 0 && q < n && !blank_cp(cp_before(s, p))) {
                uni_decode(s + q, n - q, &cp);
                rep = blank_cp(cp) ? "" : " ";
            } else {
                rep = "";
            }
        } else if (c < 0x80) {
            /* tab, LF and CR stay, VT and FF are spaces */
            rep = c == '\v' || c == '\f' ? " " : NULL;
        } else {
            k = uni_decode(s + p, n - p, &cp);
            if (cp == 0x200D && p > 0 && p + k < n) {
                /* ZERO WIDTH JOINER: kept between an emoji (a symbol, or
                 * the skin tone or variation selector U+FE0F ending one)
                 * and a symbol: man ZWJ woman ZWJ girl is one family,
                 * white flag U+FE0F ZWJ rainbow one flag; elsewhere (in a
                 * word) junk. */
                int32_t a = cp_before(s, p), b;
                uni_decode(s + p + k, n - p - k, &b);
                rep = (cclass(a) == C_SYMBOL || a == 0xFE0F) &&
                              (cclass(b) == C_SYMBOL || b == 0xFE0F)
                          ? NULL
                          : "";
            } else if (iszw(cp) || isbidi(cp)) {
                /* zero-width: inside a word, so nothing; a bidi control
                 * would reorder what a reader sees (a name spelt
                 * backwards, "Trojan Source"), in a terminal as on a
                 * page */
                rep = "";
            } else if (cclass(cp) == C_SPACE) {
                rep = " ";
            } else if (cp == 0xFFFD &&
                       !(k == 3 && memcmp(s + p, "\xEF\xBF\xBD", 3) == 0)) {
                rep = "\xEF\xBF\xBD"; /* an invalid sequence */
            } else {
                rep = NULL;
            }
        }
        if (rep) {
            sbuf_add(out, s + run, p - run);
            sbuf_adds(out, rep);
            run = p + k;
        }
        p += k;
    }
    sbuf_add(out, s + run, n - run);
}

/* join's tokenizer: one a thread, kept (a new one is cleared memory of
 * some kilobytes: more than most strings cost to tokenise) */
static pthread_key_t join_key;
static pthread_once_t join_once = PTHREAD_ONCE_INIT;

static void join_tok_free(void *t) { vn_tok_free(t); }

static void join_init(void)
{
    if (pthread_key_create(&join_key, join_tok_free))
        tt_die(5, "pthread_key_create failed");
}

static void join(const char *s, size_t n, sbuf *out, int fold)
{
    vn_tok *t;
    vn_token tk;
    pthread_once(&join_once, join_init);
    if (!(t = pthread_getspecific(join_key))) {
        t = vn_tok_new();
        if (pthread_setspecific(join_key, t))
            tt_die(5, "pthread_setspecific failed");
    }
    int first = 1;
    vn_tok_start(t, s, n);
    while (vn_tok_next(t, &tk)) {
        if (!first)
            sbuf_addc(out, ' ');
        first = 0;
        if (fold)
            sbuf_add(out, tk.fold, tk.fold_len);
        else
            sbuf_add(out, tk.norm, tk.norm_len);
    }
    if (!out->s)
        sbuf_add(out, "", 0);
}

void vn_norm(const char *s, size_t n, sbuf *out) { join(s, n, out, 0); }

void vn_fold(const char *s, size_t n, sbuf *out) { join(s, n, out, 1); }

unsigned vn_norm_word(const char *s, size_t n, sbuf *out)
{
    scratch sc = {{0}, {0}};
    sbuf fold = {0};
    size_t p = 0, o0 = out->len;
    int up = 0, low = 0, first = 1;
    unsigned f;
    f = norm_run(s, n, -1, out, &fold, &sc);
    while (p < n) {
        int32_t cp;
        p += next_cp(s, n, p, &cp);
        if (cclass(cp) != C_LETTER)
            continue;
        if (uni_isupper(cp)) {
            up++;
            if (first)
                f |= VN_CAP;
        } else {
            low++;
        }
        first = 0;
    }
    if (up >= 2 && low == 0)
        f |= VN_ALLCAPS;
    if (!out->s)
        sbuf_add(out, "", 0);
    if (fold.len != out->len - o0 ||
        (fold.len && memcmp(fold.s, out->s + o0, fold.len) != 0))
        f |= VN_ACCENT;
    sbuf_free(&sc.a);
    sbuf_free(&sc.b);
    sbuf_free(&fold);
    return f;
}

void vn_fold_norm(const char *s, size_t n, sbuf *out)
{
    size_t p = 0;
    while (p < n) {
        int32_t cp;
        const chinfo *e;
        p += next_cp(s, n, p, &cp);
        e = info(cp);
        if (e) {
            if (e->cls != C_ZW)
                uni_addcp(out, e->fold);
        } else if (cclass(cp) == C_MARK || iszw(cp)) {
            continue;
        } else if (cp == 0x256) {       /* ɖ: đ */
            sbuf_addc(out, 'd');
        } else {
            char tmp[4];
            size_t k = uni_encode(cp, tmp);
            uni_strip_marks(tmp, k, out);
        }
    }
    if (!out->s)
        sbuf_add(out, "", 0);
}

const char *vn_kind_name(int kind)
{
    static const char *const names[] = {"?", "word", "number", "date",
                                        "time", "code", "abbr", "url",
                                        "email", "punct", "symbol"};
    return kind > 0 && kind < VN_NKINDS ? names[kind] : "?";
}
