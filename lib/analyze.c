/* analyze.c — see analyze.h. */
#include "analyze.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "seg.h"
#include "unicode.h"

#define WIN_SYL 48 /* bytes of a word the abbreviation window holds */
#define NFOUND 32  /* abbreviations found lately, for the wholes they end */

/* An abbreviation found on pieces first..last of a text (the words read,
 * counted from 1; a word the tokenizer glued, "TP.Hồ", is two pieces). */
typedef struct abfound {
    const seg_abbr *ab;
    uint32_t first, last;
} abfound;

struct an_ctx {
    vn_tok *tok;
    sbuf term, form, norm, key;
    sbuf cfold, cnorm; /* a compound's joined forms (an_compound) */
    /* the norms of the last adjacent pieces, oldest first, for the
     * abbreviations whose expansion they spell: win[k] points into wbuf */
    char wbuf[SEG_ABBR_MAX_WORDS][WIN_SYL];
    const char *win[SEG_ABBR_MAX_WORDS];
    size_t wlen[SEG_ABBR_MAX_WORDS], nwin;
    uint32_t npiece;        /* pieces read; a gap breaks a run */
    abfound found[NFOUND];  /* a ring: the last nfound % NFOUND */
    size_t nfound;
    /* an_variants: the forms reported so far (a small open hash set) */
    char **seen;
    size_t nseen;
};

an_ctx *an_new(void)
{
    an_ctx *a = xcalloc(1, sizeof *a);
    a->tok = vn_tok_new();
    for (size_t i = 0; i < SEG_ABBR_MAX_WORDS; i++)
        a->win[i] = a->wbuf[i];
    a->seen = xcalloc(2 * AN_MAX_VARIANTS, sizeof *a->seen);
    return a;
}

void an_free(an_ctx *a)
{
    if (!a)
        return;
    vn_tok_free(a->tok);
    sbuf_free(&a->term);
    sbuf_free(&a->form);
    sbuf_free(&a->norm);
    sbuf_free(&a->key);
    sbuf_free(&a->cfold);
    sbuf_free(&a->cnorm);
    for (size_t i = 0; i < 2 * AN_MAX_VARIANTS; i++)
        free(a->seen[i]);
    free(a->seen);
    free(a);
}

int an_indexable(const vn_token *tk)
{
    return tk->kind != VN_PUNCT && tk->kind != VN_SYMBOL && tk->norm_len > 0;
}

/* Index term t (a norm or fold form) without position; with AN_TITLE also
 * as a title term under prefix. */
static void add_unplaced(an_ctx *a, xap_doc *doc, const char *t, size_t n,
                         const char *prefix, unsigned flags, uint32_t wdfinc)
{
    xap_doc_add_term(doc, t, n, wdfinc);
    if (flags & AN_TITLE) {
        sbuf_reset(&a->term);
        sbuf_adds(&a->term, prefix);
        sbuf_add(&a->term, t, n);
        xap_doc_add_term(doc, a->term.s, a->term.len, 1);
    }
}

/* Index abbreviation ab where it is written another way or spelt out:
 * its folded and exact terms, without position. */
static void add_abbr(an_ctx *a, xap_doc *doc, const seg_abbr *ab,
                     unsigned flags, uint32_t wdfinc)
{
    size_t nf = strlen(ab->fold), na = strlen(ab->abbr);
    add_unplaced(a, doc, ab->fold, nf, PFX_TITLE_FOLD, flags, wdfinc);
    if (na != nf || memcmp(ab->abbr, ab->fold, nf) != 0)
        add_unplaced(a, doc, ab->abbr, na, PFX_TITLE, flags, wdfinc);
}

/* A title token's terms: S + norm, and XS + fold (an accent-free title
 * word is one term). */
static void add_title(an_ctx *a, xap_doc *doc, const char *norm, size_t nn,
                      const char *fold, size_t nf)
{
    sbuf_reset(&a->term);
    sbuf_adds(&a->term, PFX_TITLE);
    sbuf_add(&a->term, norm, nn);
    xap_doc_add_term(doc, a->term.s, a->term.len, 1);
    if (nf <= XAP_MAX_TERM - 3) {
        sbuf_reset(&a->term);
        sbuf_adds(&a->term, PFX_TITLE_FOLD);
        sbuf_add(&a->term, fold, nf);
        xap_doc_add_term(doc, a->term.s, a->term.len, 1);
    }
}

/* A date's parts: the day and month of a date with its year ("22/9"
 * finds "22-9-2021"), and the numbers a reader may take it for: its year
 * ("2021" finds it), and both numbers of a day and month that could be a
 * range or a fraction ("3-4 người": "3 người" finds it).  "22-9" is a date
 * and nothing else: its numbers would only make "số 9" match every article
 * of September.  tk's text is digits and separators (vn.h: VN_DATE). */
static size_t date_parts(const vn_token *tk, const char *text, an_extra *out)
{
    const char *s = text + tk->off, *end = s + tk->len, *d, *slash;
    const char *part[3];
    size_t len[3], n = 0, small = 0, nx = 0;
    for (; s < end && n < 3; s = d + 1) {
        for (d = s; d < end && *d >= '0' && *d <= '9'; d++)
            ;
        if (d == s)
            continue;
        part[n] = s;
        len[n] = (size_t)(d - s);
        small += len[n] == 1 || (len[n] == 2 && (s[0] == '0' || (s[0] == '1' && s[1] <= '2')));
        n++;
    }
    for (size_t k = 0; k < n; k++)
        if (len[k] == 4 || (n == 2 && small == 2))
            out[nx++] = (an_extra){part[k], len[k]};
    slash = memchr(tk->norm, '/', tk->norm_len);
    slash = slash ? memchr(slash + 1, '/', tk->norm_len -
                                               (size_t)(slash + 1 - tk->norm))
                  : NULL;
    if (slash)
        out[nx++] = (an_extra){tk->norm, (size_t)(slash - tk->norm)};
    /* and its month and year, of a year in four digits (10/2016 finds
     * 8/10/2016, as it finds a date of the month written so; the norm's
     * year: an ISO date's is its first part) */
    if (slash && n == 3 && tk->norm + tk->norm_len - (slash + 1) == 4) {
        const char *m = (const char *)memchr(tk->norm, '/', tk->norm_len) + 1;
        out[nx++] = (an_extra){m, (size_t)(tk->norm + tk->norm_len - m)};
    }
    return nx;
}

size_t an_token_extras(const vn_token *tk, const char *text, size_t len,
                       an_extra *out)
{
    const char *colon;
    size_t m;
    if (tk->kind == VN_DATE)
        return date_parts(tk, text, out);
    /* a percentage, 10%: the number and its sign, where the number is
     * written as its norm ("10%" finds it, not "Chứng khoán 10/8") */
    if (tk->kind == VN_NUMBER && tk->off + tk->len < len &&
        text[tk->off + tk->len] == '%' &&
        tk->norm_len == tk->len && !memcmp(tk->norm, text + tk->off, tk->len)) {
        out[0] = (an_extra){text + tk->off, tk->len + 1};
        return 1;
    }
    /* a time with seconds: its minute, 22h32:05 -> 22h32, 10h00:05 -> 10h
     * (a time's norm is its fold) */
    if (tk->kind != VN_TIME ||
        !(colon = memchr(tk->norm, ':', tk->norm_len)))
        return 0;
    m = (size_t)(colon - tk->norm);
    if (m >= 3 && !memcmp(tk->norm + m - 3, "h00", 3))
        m -= 2;
    out[0] = (an_extra){tk->norm, m};
    return 1;
}

static int is_sep(char c) { return c == '-' || c == '.' || c == '/'; }

/* Split s[0..n) at '-', '.' and '/' into at most AN_MAX_PARTS non-empty
 * pieces, their starts and lengths in at[], len[]: how many, or 0. */
static size_t split_parts(const char *s, size_t n, const char **at,
                          size_t *len)
{
    size_t k = 0, b = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !is_sep(s[i]))
            continue;
        if (i == b || k == AN_MAX_PARTS)
            return 0;
        at[k] = s + b;
        len[k++] = i - b;
        b = i + 1;
    }
    return k;
}

static int isdig(char c) { return c >= '0' && c <= '9'; }

/* Does every piece of fold s[0..n) between slashes hold a letter (A/H5N1,
 * H5N1/H7N9; not 12A/5, 15/2020/NĐ-CP)?  Folded letters are ASCII. */
static int slash_pieces_ok(const char *s, size_t n)
{
    int letter = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '/') {
            if (!letter)
                return 0;
            letter = 0;
        } else if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] & 0x80)) {
            letter = 1;
        }
    }
    return 1;
}

/* The units a number may be written against (100km, 1.500.000đ), by
 * their folded forms: units of measure and currencies only ("1A", a
 * highway, is no "1 a", nor "3D" an amount of dong: d only as đ; "4G", a
 * network, no grams: g only in lower case). */
static const char *const units[] = {
    "km", "m",  "cm",  "mm",  "kg",  "g",   "mg",  "ha",  "l",   "ml",
    "w",  "kw", "mw",  "gw",  "kwh", "v",   "kv",  "hz",  "khz", "mhz",
    "ghz", "kb", "mb", "gb",  "tb",  "usd", "eur", "vnd", "dong", "d",
};

const char *an_dong(const char *norm, size_t n)
{
    static const char *const other[] = {"đ", "vnđ", "vnd"};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        if (strlen(other[i]) == n && !memcmp(other[i], norm, n))
            return "dong";
    return NULL;
}

/* A number written against its unit, tk (a code): its two parts, the
 * number as a number token reads it (1.500.000 -> 1500000) and the unit
 * (every spelling of the dong as đồng), and their joined forms, in fold
 * and norm; or 0. */
static size_t number_unit(const vn_token *tk, an_part *parts, sbuf *fold,
                          sbuf *norm)
{
    size_t d = strspn(tk->norm, "0123456789.,"), i, num;
    const char *uf = tk->fold + d, *un = tk->norm + d;
    size_t ufl = tk->fold_len - d, unl = tk->norm_len - d;
    if (!d || d == tk->norm_len || tk->norm[d - 1] < '0' ||
        tk->norm[d - 1] > '9' || tk->norm[0] < '0' || tk->norm[0] > '9')
        return 0;
    for (i = 0; i < sizeof units / sizeof *units; i++)
        if (strlen(units[i]) == ufl && !memcmp(units[i], uf, ufl))
            break;
    if (i == sizeof units / sizeof *units ||
        (!strcmp(units[i], "d") && unl == 1) || /* d, not đ */
        (!strcmp(units[i], "g") && (tk->flags & VN_CAP)))
        return 0;
    sbuf_reset(fold);
    sbuf_reset(norm);
    if (strspn(tk->norm, "0123456789") < d) /* separators: the number's */
        vn_norm(tk->norm, d, fold);
    else
        sbuf_add(fold, tk->norm, d);
    num = fold->len;
    if (!num || strspn(fold->s, "0123456789.,") != num)
        return 0; /* read as something else: 22.9 is a date */
    sbuf_add(norm, fold->s, num);
    if (an_dong(un, unl) || !strcmp(units[i], "dong")) {
        uf = "dong";
        un = "đồng";
        ufl = strlen(uf);
        unl = strlen(un);
    }
    sbuf_add(fold, uf, ufl);
    sbuf_add(norm, un, unl);
    parts[0] = (an_part){fold->s, norm->s, num, num};
    parts[1] = (an_part){fold->s + num, norm->s + num, ufl, unl};
    return 2;
}

size_t an_compound(const vn_token *tk, an_part *parts, sbuf *fold,
                   sbuf *norm)
{
    const char *fa[AN_MAX_PARTS], *na[AN_MAX_PARTS];
    size_t fl[AN_MAX_PARTS], nl[AN_MAX_PARTS], k;
    int ok = tk->kind == VN_CODE ||
             ((tk->kind == VN_WORD || tk->kind == VN_ABBR) &&
              (tk->flags & VN_HYPHEN));
    if (tk->kind == VN_CODE && !(tk->flags & VN_SPLIT) &&
        (k = number_unit(tk, parts, fold, norm)))
        return k;
    if (!ok || (tk->flags & VN_SPLIT) ||
        (memchr(tk->fold, '/', tk->fold_len) &&
         !slash_pieces_ok(tk->fold, tk->fold_len)))
        return 0;
    for (size_t i = 1; i + 1 < tk->fold_len; i++)
        if (is_sep(tk->fold[i]) && isdig(tk->fold[i - 1]) &&
            isdig(tk->fold[i + 1]))
            return 0; /* v1.2.3, 3.5G, 3/4G */
    k = split_parts(tk->fold, tk->fold_len, fa, fl);
    if (k < 2 || split_parts(tk->norm, tk->norm_len, na, nl) != k ||
        seg_abbr_lookup(tk->norm, tk->norm_len)) /* gd-đt, in any case */
        return 0;
    sbuf_reset(fold);
    sbuf_reset(norm);
    for (size_t i = 0; i < k; i++) {
        parts[i] = (an_part){fa[i], na[i], fl[i], nl[i]};
        sbuf_add(fold, fa[i], fl[i]);
        sbuf_add(norm, na[i], nl[i]);
    }
    return k;
}

/* Index the terms of ab's parts, and of theirs: an abbreviation written
 * in one word (TP.HCM) stands for each of them too, as its other
 * spellings do (TP HCM, thành phố Hồ Chí Minh): a query for a part (HCM,
 * Hồ Chí Minh) finds it. */
static void add_parts(an_ctx *a, xap_doc *doc, const seg_abbr *ab,
                      unsigned flags, uint32_t wdfinc)
{
    const seg_abbr *part[SEG_ABBR_MAX_PARTS];
    size_t n = seg_abbr_parts(ab, part);
    for (size_t i = 0; i < n; i++) {
        add_abbr(a, doc, part[i], flags, wdfinc);
        add_parts(a, doc, part[i], flags, wdfinc); /* shorter keys: ends */
    }
}

/* The abbreviation ab found lately on pieces that end at last (and begin
 * at first, unless first is 0), or NULL. */
static const abfound *found_at(const an_ctx *a, const seg_abbr *ab,
                             uint32_t first, uint32_t last)
{
    size_t n = a->nfound < NFOUND ? a->nfound : NFOUND;
    for (size_t i = 1; i <= n; i++) { /* the latest first */
        const abfound *f = &a->found[(a->nfound - i) % NFOUND];
        if (f->ab == ab && f->last == last && (!first || f->first == first))
            return f;
    }
    return NULL;
}

/* Abbreviation ab stands on pieces first..last: with terms, index its
 * terms (once, however it was found there); remember it, and index the
 * wholes whose last part it is and whose other parts stand just before it
 * (TP, then HCM or Hồ Chí Minh: TP.HCM). */
static void note(an_ctx *a, xap_doc *doc, const seg_abbr *ab, uint32_t first,
                 uint32_t last, int terms, unsigned flags, uint32_t wdfinc)
{
    if (found_at(a, ab, first, last))
        return;
    if (terms)
        add_abbr(a, doc, ab, flags, wdfinc);
    a->found[a->nfound++ % NFOUND] = (abfound){ab, first, last};
    for (size_t w = 0; w < seg_abbr_nwholes(); w++) {
        const seg_abbr *whole = seg_abbr_whole(w), *part[SEG_ABBR_MAX_PARTS];
        size_t k = seg_abbr_parts(whole, part);
        uint32_t at = first;
        if (!k || part[k - 1] != ab)
            continue;
        for (k--; k > 0; k--) {
            const abfound *f = at > 1 ? found_at(a, part[k - 1], 0, at - 1)
                                    : NULL;
            if (!f)
                break;
            at = f->first;
        }
        if (k == 0)
            note(a, doc, whole, at, last, 1, flags, wdfinc);
    }
}

/* Push a piece's norm onto the window of adjacent pieces; one too long
 * for it breaks the run. */
static void win_push(an_ctx *a, const char *norm, size_t n)
{
    a->npiece++;
    if (n >= WIN_SYL) {
        a->nwin = 0;
        a->npiece++; /* nothing ends here or spans it */
        return;
    }
    if (a->nwin == SEG_ABBR_MAX_WORDS) { /* the oldest buffer is reused */
        const char *oldest = a->win[0];
        memmove(a->win, a->win + 1, (SEG_ABBR_MAX_WORDS - 1) * sizeof *a->win);
        memmove(a->wlen, a->wlen + 1,
                (SEG_ABBR_MAX_WORDS - 1) * sizeof *a->wlen);
        a->win[SEG_ABBR_MAX_WORDS - 1] = oldest;
        a->nwin--;
    }
    memcpy((char *)a->win[a->nwin], norm, n);
    a->wlen[a->nwin++] = n;
}

/* The syllables of ab's expansion. */
static uint32_t expansion_words(const seg_abbr *ab)
{
    uint32_t n = 1;
    for (const char *x = ab->expansion; *x; x++)
        n += *x == ' ';
    return n;
}

/* Read one piece of a word, norm[0..n): the abbreviations it ends, spelt
 * out with the pieces before it or made of parts. */
static void piece(an_ctx *a, xap_doc *doc, const char *norm, size_t n,
                  unsigned flags, uint32_t wdfinc)
{
    const seg_abbr *ab[4];
    win_push(a, norm, n);
    size_t nab = seg_abbr_ending(a->win, a->wlen, a->nwin, ab, 4);
    for (size_t k = 0; k < nab; k++)
        note(a, doc, ab[k], a->npiece - expansion_words(ab[k]) + 1,
             a->npiece, 1, flags, wdfinc);
}

/* A word that may be an abbreviation, tk: when it is one, written as
 * its entry writes it or another way (TPHCM for TP.HCM), its entry's
 * terms, and its parts'.  A dotted one that is no entry is read piece by
 * piece, for the abbreviation it begins ("TP.Hồ Chí Minh": the tokenizer
 * glues TP. to a short syllable). */
static void abbr_word(an_ctx *a, xap_doc *doc, const vn_token *tk,
                      unsigned flags, uint32_t wdfinc)
{
    const seg_abbr *own = seg_abbr_of_norm(tk->norm, tk->norm_len, &a->key);
    if (own) {
        piece(a, doc, tk->norm, tk->norm_len, flags, wdfinc);
        note(a, doc, own, a->npiece, a->npiece,
             strlen(own->abbr) != tk->norm_len ||
                 memcmp(own->abbr, tk->norm, tk->norm_len) != 0,
             flags, wdfinc);
        add_parts(a, doc, own, flags, wdfinc);
        return;
    }
    if (tk->kind != VN_ABBR || !memchr(tk->norm, '.', tk->norm_len)) {
        piece(a, doc, tk->norm, tk->norm_len, flags, wdfinc);
        return;
    }
    for (size_t i = 0; i < tk->norm_len;) {
        size_t n = 0;
        while (i + n < tk->norm_len && tk->norm[i + n] != '.')
            n++;
        if (n) {
            piece(a, doc, tk->norm + i, n, flags, wdfinc);
            own = seg_abbr_of_norm(tk->norm + i, n, &a->key);
            if (own) /* its terms are nowhere else */
                note(a, doc, own, a->npiece, a->npiece, 1, flags, wdfinc);
        }
        i += n + 1;
    }
}

size_t an_index_text(an_ctx *a, xap_doc *doc, const char *text, size_t len,
                     unsigned flags, uint32_t wdfinc, uint32_t *pos)
{
    vn_token tk;
    size_t n = 0;
    vn_tok_start(a->tok, text, len);
    a->nwin = 0;
    a->npiece = 0;
    a->nfound = 0;
    while (vn_tok_next(a->tok, &tk)) {
        if (!an_indexable(&tk))
            continue;
        uint32_t p = ++*pos;
        if (tk.norm_len > XAP_MAX_TERM - 2) {
            a->nwin = 0;
            a->npiece += 2;
            continue;
        }
        /* the position goes to the folded term, which every form of
         * the word shares (an accent-free query word is one term, and a
         * phrase reads one position list a word); an accented token
         * counts under its own form too, without a position.  A
         * compound (COVID-19) counts as its parts written together
         * (covid19), and its parts without position (covid, 19). */
        an_part part[AN_MAX_PARTS];
        size_t np = an_compound(&tk, part, &a->cfold, &a->cnorm);
        const char *fold = np ? a->cfold.s : tk.fold;
        const char *norm = np ? a->cnorm.s : tk.norm;
        size_t nf = np ? a->cfold.len : tk.fold_len;
        size_t nn = np ? a->cnorm.len : tk.norm_len;
        if (!nf) /* marks alone: nothing left to fold */
            xap_doc_add_posting(doc, norm, nn, p, wdfinc);
        else
            xap_doc_add_posting(doc, fold, nf, p, wdfinc);
        if (tk.flags & VN_ACCENT && nf &&
            (nn != nf || memcmp(norm, fold, nf) != 0))
            xap_doc_add_term(doc, norm, nn, wdfinc);
        if (flags & AN_TITLE)
            add_title(a, doc, norm, nn, fold, nf);
        for (size_t k = 0; k < np; k++) {
            add_unplaced(a, doc, part[k].fold, part[k].flen, PFX_TITLE_FOLD,
                         flags, wdfinc);
            if (part[k].nlen != part[k].flen ||
                memcmp(part[k].norm, part[k].fold, part[k].flen) != 0)
                add_unplaced(a, doc, part[k].norm, part[k].nlen, PFX_TITLE,
                             flags, wdfinc);
        }
        /* a date's parts, a time's minute: at its position */
        an_extra x[AN_MAX_EXTRA];
        size_t nx = an_token_extras(&tk, text, len, x);
        for (size_t k = 0; k < nx; k++) {
            xap_doc_add_posting(doc, x[k].s, x[k].len, p, wdfinc);
            if (flags & AN_TITLE)
                add_title(a, doc, x[k].s, x[k].len, x[k].s, x[k].len);
        }
        /* an abbreviation written another way (TPHCM for TP.HCM), spelt
         * out, or made of parts (TP HCM): its own terms too; one written
         * in one word: its parts' terms too.  A word that is no
         * Vietnamese syllable may be one in any case (Tp, tphcm). */
        if (tk.kind == VN_ABBR ||
            (tk.kind == VN_WORD && !(tk.flags & VN_SYLL)))
            abbr_word(a, doc, &tk, flags, wdfinc);
        else
            piece(a, doc, tk.norm, tk.norm_len, flags, wdfinc);
        n++;
    }
    return n;
}

/* ---- variants --------------------------------------------------------- */

/* Combining marks, UTF-8. */
#define BREVE "\xCC\x86"
#define CIRC "\xCC\x82"
#define HORN "\xCC\x9B"
static const char *const tones[] = {"\xCC\x80", "\xCC\x81", "\xCC\x89",
                                    "\xCC\x83", "\xCC\xA3"};

typedef struct vctx {
    an_ctx *a;
    const char *fold;
    size_t n;
    int plain;              /* letters only: vowel marks and tones vary */
    unsigned char mark[16]; /* chosen vowel mark per position (index) */
    int tone_at;            /* position of the tone, -1 none */
    int tone;
    int (*fn)(void *, const char *, size_t);
    void *arg;
    int stop;
    size_t reported;
} vctx;

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
           c == 'y';
}

/* The vowel marks letter c can take: "" then the others. */
static size_t marks_of(char c, const char **m)
{
    switch (c) {
    case 'a': m[0] = ""; m[1] = BREVE; m[2] = CIRC; return 3;
    case 'e': m[0] = ""; m[1] = CIRC; return 2;
    case 'o': m[0] = ""; m[1] = CIRC; m[2] = HORN; return 3;
    case 'u': m[0] = ""; m[1] = HORN; return 2;
    case 'd': m[0] = ""; m[1] = "\xC4\x91"; return 2; /* đ replaces d */
    default: m[0] = ""; return 1;
    }
}

/* Report the form built from the current choices, once. */
static void emit(vctx *v)
{
    an_ctx *a = v->a;
    const char *m[3];
    sbuf_reset(&a->form);
    for (size_t i = 0; i < v->n; i++) {
        char c = v->fold[i];
        marks_of(c, m);
        if (c == 'd' && v->mark[i]) {
            sbuf_adds(&a->form, m[1]);
        } else {
            sbuf_addc(&a->form, c);
            if (v->mark[i])
                sbuf_adds(&a->form, m[v->mark[i]]);
        }
        if ((int)i == v->tone_at)
            sbuf_adds(&a->form, tones[v->tone]);
    }
    sbuf_reset(&a->norm);
    vn_norm_word(a->form.s, a->form.len, &a->norm);
    /* a form whose marks did not survive normalisation folds elsewhere */
    if (!a->norm.len || a->norm.len > XAP_MAX_TERM - 2)
        return;
    uint64_t h = tt_fnv1a(a->norm.s, a->norm.len);
    size_t cap = 2 * AN_MAX_VARIANTS, i = (size_t)h % cap;
    while (a->seen[i]) {
        if (!strcmp(a->seen[i], a->norm.s))
            return;
        i = (i + 1) % cap;
    }
    if (v->reported >= AN_MAX_VARIANTS) {
        v->stop = 1;
        return;
    }
    a->seen[i] = xstrndup(a->norm.s, a->norm.len);
    a->nseen++;
    v->reported++;
    if (v->fn(v->arg, a->norm.s, a->norm.len))
        v->stop = 1;
}

static void tones_for(vctx *v)
{
    emit(v);
    if (!v->plain)
        return;
    for (size_t i = 0; i < v->n && !v->stop; i++) {
        if (!is_vowel(v->fold[i]))
            continue;
        v->tone_at = (int)i;
        for (int t = 0; t < 5 && !v->stop; t++) {
            v->tone = t;
            emit(v);
        }
    }
    v->tone_at = -1;
}

static void marks_from(vctx *v, size_t i)
{
    const char *m[3];
    if (v->stop)
        return;
    if (i == v->n) {
        tones_for(v);
        return;
    }
    char c = v->fold[i];
    size_t k = (v->plain || c == 'd') ? marks_of(c, m) : 1;
    for (size_t j = 0; j < k && !v->stop; j++) {
        v->mark[i] = (unsigned char)j;
        marks_from(v, i + 1);
    }
    v->mark[i] = 0;
}

void an_variants(an_ctx *a, const char *fold, size_t n,
                 int (*fn)(void *arg, const char *norm, size_t len),
                 void *arg)
{
    vctx v = {.a = a, .fold = fold, .n = n, .tone_at = -1, .fn = fn,
              .arg = arg};
    size_t vowels = 0;
    if (n == 0 || n > sizeof v.mark)
        goto plain_only;
    v.plain = 1;
    for (size_t i = 0; i < n; i++) {
        char c = fold[i];
        if (c < 'a' || c > 'z')
            v.plain = 0;
        vowels += is_vowel(c);
    }
    if (vowels > 3)
        v.plain = 0;
    marks_from(&v, 0);
    goto done;
plain_only:
    fn(arg, fold, n);
done:
    for (size_t i = 0; i < 2 * AN_MAX_VARIANTS; i++) {
        free(a->seen[i]);
        a->seen[i] = NULL;
    }
    a->nseen = 0;
}

int an_bool_term(an_ctx *a, const char *prefix, const char *text, size_t len,
                 sbuf *out)
{
    vn_token tk;
    int words = 0;
    sbuf_reset(out);
    sbuf_adds(out, prefix);
    vn_tok_start(a->tok, text, len);
    while (vn_tok_next(a->tok, &tk)) {
        if (!an_indexable(&tk))
            continue;
        if (words++)
            sbuf_addc(out, ' ');
        sbuf_add(out, tk.fold, tk.fold_len);
    }
    return words && out->len <= XAP_MAX_TERM ? 0 : -1;
}

void an_id_term(const char *id, size_t len, sbuf *out)
{
    const size_t pfx = strlen(PFX_ID), hexlen = AN_ID_HASH_HEX;
    char hex[AN_ID_HASH_HEX + 1];
    sbuf_reset(out);
    sbuf_adds(out, PFX_ID);
    if (pfx + len <= XAP_MAX_TERM) {
        sbuf_add(out, id, len);
        return;
    }
    /* too long for a term: its start, for people, and a hash of it all
     * (not SHA-1: the searcher builds id terms too, and would load
     * OpenSSL in every process for it, 2.6 M instructions) */
    tt_hash128_hex(id, len, hex);
    sbuf_add(out, id, uni_cut(id, len, XAP_MAX_TERM - pfx - hexlen));
    sbuf_add(out, hex, hexlen);
}

int an_check_version(const char *v, size_t n, uint32_t docs,
                     const char *what, tt_err *e)
{
    static const char stem[] = "timtin-analyzer-";
    size_t k = sizeof stem - 1, i;
    if ((!n && !docs) ||
        (n == strlen(TT_ANALYZER_VERSION) &&
         !memcmp(v, TT_ANALYZER_VERSION, n)))
        return TT_OK;
    if (!n)
        return tt_seterr(e, TT_EVERSION,
                         "%s holds %u articles but no analyzer version: "
                         "timtin-index did not build it (another program's "
                         "Xapian db?), or it is damaged; rebuild it with "
                         "timtin-index --full",
                         what, docs);
    for (i = k; i < n && v[i] >= '0' && v[i] <= '9'; i++)
        ;
    if (n > k && n <= k + 9 && i == n && !memcmp(v, stem, k))
        return tt_seterr(e, TT_EVERSION,
                         "%s was built by another analyzer version (%.*s, "
                         "this is %s); rebuild it with timtin-index --full",
                         what, (int)n, v, TT_ANALYZER_VERSION);
    return tt_seterr(e, TT_EVERSION,
                     "%s has an analyzer version that is none (%zu bytes): "
                     "the index may be damaged (check it with xapian-check); "
                     "rebuild it with timtin-index --full",
                     what, n);
}
