/* analyze.c — see analyze.h. */
#include "analyze.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"

struct an_ctx {
    vn_tok *tok;
    sbuf term;
};

an_ctx *an_new(void)
{
    an_ctx *a = xcalloc(1, sizeof *a);
    a->tok = vn_tok_new();
    return a;
}

void an_free(an_ctx *a)
{
    if (!a)
        return;
    vn_tok_free(a->tok);
    sbuf_free(&a->term);
    free(a);
}

int an_indexable(const vn_token *tk)
{
    return tk->kind != VN_PUNCT && tk->kind != VN_SYMBOL && tk->fold_len > 0;
}

/* prefix + s into a->term; 0 if it fits a Xapian term. */
static int make_term(an_ctx *a, const char *prefix, const char *s, size_t n)
{
    sbuf_reset(&a->term);
    sbuf_adds(&a->term, prefix);
    sbuf_add(&a->term, s, n);
    return a->term.len <= XAP_MAX_TERM ? 0 : -1;
}

size_t an_index_text(an_ctx *a, xap_doc *doc, const char *text, size_t len,
                     unsigned flags, uint32_t wdfinc, uint32_t *pos)
{
    vn_token tk;
    size_t n = 0;
    vn_tok_start(a->tok, text, len);
    while (vn_tok_next(a->tok, &tk)) {
        if (!an_indexable(&tk))
            continue;
        uint32_t p = ++*pos;
        if (tk.fold_len > XAP_MAX_TERM - 2)
            continue;
        xap_doc_add_posting(doc, tk.fold, tk.fold_len, p, wdfinc);
        if (tk.flags & VN_SYLL && !make_term(a, PFX_EXACT, tk.norm,
                                              tk.norm_len))
            xap_doc_add_term(doc, a->term.s, a->term.len, wdfinc);
        if (flags & AN_TITLE && !make_term(a, PFX_TITLE, tk.fold,
                                           tk.fold_len))
            xap_doc_add_posting(doc, a->term.s, a->term.len, p, 1);
        n++;
    }
    return n;
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
