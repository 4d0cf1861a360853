/* fuzz_text.c — the Vietnamese analysis on any bytes: tokens, the
 * normalised and folded forms, the accent variants of a folded word, word
 * segmentation.  Every output is valid UTF-8 and every token lies inside
 * the text. */
#include <string.h>

#include "analyze.h"
#include "fuzz.h"
#include "seg.h"
#include "unicode.h"
#include "vn.h"

static vn_tok *tok;
static an_ctx *an;
static seg_lex *lex;
static seg *sg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    tok = vn_tok_new();
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    vn_token tk;
    size_t nv = 0;

    vn_tok_start(tok, s, size);
    while (vn_tok_next(tok, &tk)) {
        if (tk.off > size || tk.len > size - tk.off)
            fuzz_fail("a token outside the text");
        if (!uni_valid(tk.norm, tk.norm_len) ||
            !uni_valid(tk.fold, tk.fold_len) ||
            strlen(tk.norm) != tk.norm_len || strlen(tk.fold) != tk.fold_len)
            fuzz_fail("a token's forms are not UTF-8 strings");
        if (tk.fold_len && nv++ < 8) /* a few: 512 forms each at most */
            an_variants(an, tk.fold, tk.fold_len, variant, NULL);
    }
    valid(vn_norm, s, size, "vn_norm wrote invalid UTF-8");
    valid(vn_fold, s, size, "vn_fold wrote invalid UTF-8");
    valid(vn_fold_norm, s, size, "vn_fold_norm wrote invalid UTF-8");
    valid(vn_clean, s, size, "vn_clean wrote invalid UTF-8");

    size_t nw = 0, nt = 0;
    seg_run(sg, s, size);
    const seg_word *w = seg_words(sg, &nw);
    seg_tokens(sg, &nt);
    for (size_t i = 0; i < nw; i++)
        if (w[i].first > nt || w[i].ntok > nt - w[i].first ||
            w[i].off > size || w[i].len > size - w[i].off)
            fuzz_fail("a word outside the text or its tokens");
    return 0;
}
