/* fuzz_text.c — the Vietnamese analysis on any bytes: tokens, the
 * normalised and folded forms, the accent variants of a folded word, word
 * segmentation.  Besides UTF-8 output and tokens inside the text, what
 * lib/vn.h promises of every token:
 *   - norm is NFC and lower case, without zero-width characters or eth;
 *   - fold is norm folded (vn_fold_norm), and folding a fold changes
 *     nothing; VN_ACCENT is set exactly when fold differs from norm;
 *   - a word's norm is normalised already (vn_norm_word keeps it), and
 *     in a syllable the tone mark moved to another vowel (hoà, hòa) gives
 *     the same norm: one canonical placement;
 * and of the text: its decomposed (NFD) and composed (NFC) forms give
 * the same tokens (kind, flags, norm, fold), unless a run was cut at
 * VN_TOKEN_MAX bytes (VN_SPLIT), which a longer encoding reaches sooner. */
#include <string.h>

#include "analyze.h"
#include "fuzz.h"
#include "seg.h"
#include "unicode.h"
#include "vn.h"

#define MAXCP 512 /* code points of a decomposed word; VN_TOKEN_MAX bounds it */

static vn_tok *tok, *tok2;
static an_ctx *an;
static seg_lex *lex;
static seg *sg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    tok = vn_tok_new();
    tok2 = vn_tok_new();
    an = an_new();
    lex = seg_lex_new(1);
    sg = seg_new(lex);
    return 0;
}

static int variant(void *arg, const char *norm, size_t len)
{
    (void)arg;
    if (!uni_valid(norm, len))
        fuzz_fail("an accent variant is not UTF-8");
    return 0;
}

static void valid(void (*fn)(const char *, size_t, sbuf *), const char *s,
                  size_t n, const char *what)
{
    sbuf b = {0};
    fn(s, n, &b);
    if (b.len && !uni_valid(b.s, b.len))
        fuzz_fail(what);
    sbuf_free(&b);
}

static int same(const sbuf *b, const char *s, size_t n)
{
    return b->len == n && (!n || memcmp(b->s, s, n) == 0);
}

/* s[0..n) decomposed code point by code point: canonically equivalent */
static void decompose(const char *s, size_t n, sbuf *out)
{
    for (size_t p = 0; p < n;) {
        int32_t cp, d[32];
        size_t k;
        p += uni_decode(s + p, n - p, &cp);
        k = uni_decompose(cp, d, 32);
        if (!k)
            uni_addcp(out, cp);
        for (size_t i = 0; i < k; i++)
            uni_addcp(out, d[i]);
    }
    sbuf_add(out, "", 0);
}

static int is_tone(int32_t c)
{
    return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

/* A syllable's norm with its tone mark moved after each other vowel (and
 * that vowel's own marks) normalises back to it. */
static void tone_moves(const vn_token *tk, sbuf *tmp, sbuf *alt, sbuf *out)
{
    int32_t cp[MAXCP], rest[MAXCP], tone = 0;
    size_t n = 0, r = 0;
    sbuf_reset(tmp);
    decompose(tk->norm, tk->norm_len, tmp);
    for (size_t p = 0; p < tmp->len; n++) {
        if (n == MAXCP)
            return;
        p += uni_decode(tmp->s + p, tmp->len - p, &cp[n]);
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_tone(cp[i]))
            rest[r++] = cp[i];
        else if (tone)
            return; /* two tones: not one syllable's */
        else
            tone = cp[i];
    }
    if (!tone)
        return;
    for (size_t v = 0; v < r; v++) {
        size_t at = v + 1;
        if (!rest[v] || rest[v] > 'z' || !strchr("aeiouy", (char)rest[v]))
            continue;
        while (at < r && uni_class(rest[at]) == UNI_MARK)
            at++;
        sbuf_reset(tmp);
        for (size_t i = 0; i <= r; i++) {
            if (i == at)
                uni_addcp(tmp, tone);
            if (i < r)
                uni_addcp(tmp, rest[i]);
        }
        sbuf_reset(alt);
        uni_nfc(tmp->s, tmp->len, 0, alt);
        sbuf_reset(out);
        vn_norm_word(alt->s, alt->len, out);
        if (!same(out, tk->norm, tk->norm_len))
            fuzz_fail("a tone placed on another vowel gives another norm");
    }
}

static void token_forms(const vn_token *tk, sbuf *a, sbuf *b, sbuf *c)
{
    int32_t cp;
    sbuf_reset(a);
    uni_nfc(tk->norm, tk->norm_len, 1, a);
    if (!same(a, tk->norm, tk->norm_len))
        fuzz_fail("a token's norm is not NFC and lower case");
    for (size_t p = 0; p < tk->norm_len;) {
        p += uni_decode(tk->norm + p, tk->norm_len - p, &cp);
        if (cp == 0xD0 || cp == 0xF0 || cp == 0xAD || cp == 0x2060 ||
            cp == 0xFEFF || (cp >= 0x200B && cp <= 0x200D))
            fuzz_fail("a token's norm keeps an eth or a zero-width character");
    }
    sbuf_reset(a);
    vn_fold_norm(tk->norm, tk->norm_len, a);
    if (!same(a, tk->fold, tk->fold_len))
        fuzz_fail("a token's fold is not its norm folded");
    sbuf_reset(a);
    vn_fold_norm(tk->fold, tk->fold_len, a);
    if (!same(a, tk->fold, tk->fold_len))
        fuzz_fail("folding a fold changes it");
    if (!(tk->flags & VN_ACCENT) !=
        (tk->norm_len == tk->fold_len &&
         memcmp(tk->norm, tk->fold, tk->norm_len) == 0))
        fuzz_fail("VN_ACCENT set otherwise than fold != norm");
    if (tk->kind != VN_WORD)
        return;
    sbuf_reset(a);
    vn_norm_word(tk->norm, tk->norm_len, a);
    if (!same(a, tk->norm, tk->norm_len))
        fuzz_fail("a word's norm normalised again changes");
    if (tk->flags & VN_SYLL)
        tone_moves(tk, a, b, c);
}

/* Tokens of s and t are the same but for their offsets; 1 when equal,
 * 0 when not, -1 when a run was cut (VN_SPLIT): not comparable. */
static int same_tokens(const char *s, size_t n, const char *t, size_t m)
{
    vn_token x, y;
    int more;
    vn_tok_start(tok, s, n);
    vn_tok_start(tok2, t, m);
    do {
        memset(&x, 0, sizeof x);
        memset(&y, 0, sizeof y);
        more = vn_tok_next(tok, &x);
        if (more != vn_tok_next(tok2, &y))
            return (x.flags | y.flags) & VN_SPLIT ? -1 : 0;
        if (more && ((x.flags | y.flags) & VN_SPLIT))
            return -1;
        if (more && (x.kind != y.kind || x.flags != y.flags ||
                     x.norm_len != y.norm_len || x.fold_len != y.fold_len ||
                     memcmp(x.norm, y.norm, x.norm_len) != 0 ||
                     memcmp(x.fold, y.fold, x.fold_len) != 0))
            return 0;
    } while (more);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    vn_token tk;
    size_t nv = 0;
    sbuf a = {0}, b = {0}, c = {0}, nfd = {0}, nfc = {0};

    vn_tok_start(tok, s, size);
    while (vn_tok_next(tok, &tk)) {
        if (tk.off > size || tk.len > size - tk.off)
            fuzz_fail("a token outside the text");
        if (!uni_valid(tk.norm, tk.norm_len) ||
            !uni_valid(tk.fold, tk.fold_len) ||
            strlen(tk.norm) != tk.norm_len || strlen(tk.fold) != tk.fold_len)
            fuzz_fail("a token's forms are not UTF-8 strings");
        token_forms(&tk, &a, &b, &c);
        if (tk.fold_len && nv++ < 8) /* a few: 512 forms each at most */
            an_variants(an, tk.fold, tk.fold_len, variant, NULL);
    }
    valid(vn_norm, s, size, "vn_norm wrote invalid UTF-8");
    valid(vn_fold, s, size, "vn_fold wrote invalid UTF-8");
    valid(vn_fold_norm, s, size, "vn_fold_norm wrote invalid UTF-8");
    valid(vn_clean, s, size, "vn_clean wrote invalid UTF-8");

    decompose(s, size, &nfd);
    uni_nfc(s, size, 0, &nfc);
    if (!same_tokens(nfd.s, nfd.len, nfc.s, nfc.len))
        fuzz_fail("the NFD and NFC forms of a text give other tokens");

    size_t nw = 0, nt = 0;
    seg_run(sg, s, size);
    const seg_word *w = seg_words(sg, &nw);
    seg_tokens(sg, &nt);
    for (size_t i = 0; i < nw; i++)
        if (w[i].first > nt || w[i].ntok > nt - w[i].first ||
            w[i].off > size || w[i].len > size - w[i].off)
            fuzz_fail("a word outside the text or its tokens");
    sbuf_free(&a);
    sbuf_free(&b);
    sbuf_free(&c);
    sbuf_free(&nfd);
    sbuf_free(&nfc);
    return 0;
}
