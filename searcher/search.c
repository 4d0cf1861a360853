/* search.c — see search.h.
 *
 * Query language (this version): words, "quoted phrases", -exclusion,
 * OR between items, parentheses.  Each word goes through lib/analyze's
 * tokenizer.  A word typed without accents matches every accented form the
 * index holds (one SYNONYM group); a word typed with accents matches its
 * exact form first and the other forms far below, so "đường" ranks đường
 * above dương.  Adjacent query syllables add a phrase bonus, so "cần thơ"
 * ranks the city above "cần đọc thơ".  When nothing matches every word,
 * the query is relaxed to OR and the result says so.
 */
#include "search.h"

#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "json.h"
#include "schema.h"
#include "vn.h"
#include "xap.h"

struct srch {
    xap_db *db;
    vn_tok *tok;
    an_ctx *an;
};

int srch_open(const char *const *dbs, size_t n, srch **out, tt_err *e)
{
    xap_db *db = NULL;
    char *v = NULL;
    size_t vlen = 0;
    uint32_t docs = 0;
    int rc;

    *out = NULL;
    if ((rc = xap_db_open(dbs, n, &db, e)))
        return rc;
    rc = xap_db_get_metadata(db, META_ANALYZER, &v, &vlen, e);
    if (rc == TT_OK)
        rc = xap_db_doccount(db, &docs, e);
    if (rc == TT_OK && (vlen || docs) &&
        (vlen != strlen(TT_ANALYZER_VERSION) ||
         memcmp(v, TT_ANALYZER_VERSION, vlen) != 0))
        rc = tt_seterr(e, TT_EVERSION,
                       "the index was built by another analyzer version "
                       "(%.*s, this is %s); rebuild it with timtin-index "
                       "--full",
                       (int)(vlen > 64 ? 64 : vlen), vlen ? v : "none",
                       TT_ANALYZER_VERSION);
    free(v);
    if (rc) {
        xap_db_close(db);
        return rc;
    }
    *out = xcalloc(1, sizeof **out);
    (*out)->db = db;
    (*out)->tok = vn_tok_new();
    (*out)->an = an_new();
    return TT_OK;
}

void srch_close(srch *s)
{
    if (!s)
        return;
    xap_db_close(s->db);
    vn_tok_free(s->tok);
    an_free(s->an);
    free(s);
}

/* ---- query parsing ---------------------------------------------------- */

typedef struct qword {
    char *fold, *norm;
    int exact; /* an accented syllable: it has an exact term */
} qword;

typedef struct parser {
    srch *s;
    const char *p, *end;
    uint32_t qpos;
    sbuf t;
    /* every folded query term, for highlighting */
    char **hl;
    size_t nhl, hlcap;
    int nwords;
} parser;

static void hl_add(parser *ps, const char *fold, size_t n)
{
    for (size_t i = 0; i < ps->nhl; i++)
        if (strlen(ps->hl[i]) == n && !memcmp(ps->hl[i], fold, n))
            return;
    xgrow(&ps->hl, &ps->hlcap, ps->nhl + 1, sizeof *ps->hl);
    ps->hl[ps->nhl++] = xstrndup(fold, n);
}

static xap_query *term_q(parser *ps, const char *prefix, const char *s,
                         size_t n)
{
    sbuf_reset(&ps->t);
    sbuf_adds(&ps->t, prefix);
    sbuf_add(&ps->t, s, n);
    return xap_q_term(ps->t.s, ps->t.len, 1, ++ps->qpos);
}

/* Tokenise text[0..n) into query words. */
static size_t words_of(parser *ps, const char *text, size_t n, qword **out)
{
    vn_token tk;
    size_t cnt = 0, cap = 0;
    qword *w = NULL;
    vn_tok_start(ps->s->tok, text, n);
    while (vn_tok_next(ps->s->tok, &tk)) {
        if (!an_indexable(&tk) || tk.fold_len > XAP_MAX_TERM - 2)
            continue;
        xgrow(&w, &cap, cnt + 1, sizeof *w);
        w[cnt].fold = xstrndup(tk.fold, tk.fold_len);
        w[cnt].norm = xstrndup(tk.norm, tk.norm_len);
        w[cnt].exact = (tk.flags & (VN_SYLL | VN_ACCENT)) ==
                       (VN_SYLL | VN_ACCENT);
        hl_add(ps, tk.fold, tk.fold_len);
        cnt++;
    }
    *out = w;
    return cnt;
}

static void words_free(qword *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(w[i].fold);
        free(w[i].norm);
    }
    free(w);
}

/* The forms of w the index holds (termfreq > 0), each as a term query:
 * for an accent-free word every accented form, for an accented one every
 * form but its own.  Returns how many were added to *qs. */
typedef struct vcollect {
    parser *ps;
    const char *skip; /* a form not to collect (the exact one) */
    xap_query **qs;
    size_t n, cap;
} vcollect;

static int collect_variant(void *arg, const char *norm, size_t len)
{
    vcollect *vc = arg;
    uint32_t tf = 0;
    if (vc->skip && strlen(vc->skip) == len && !memcmp(vc->skip, norm, len))
        return 0;
    if (xap_db_termfreq(vc->ps->s->db, norm, len, &tf, NULL) == TT_OK &&
        tf > 0) {
        xgrow(&vc->qs, &vc->cap, vc->n + 1, sizeof *vc->qs);
        vc->qs[vc->n++] = xap_q_term(norm, len, 1, ++vc->ps->qpos);
    }
    return 0;
}

static size_t variants(parser *ps, const qword *w, const char *skip,
                       xap_query ***qs)
{
    vcollect vc = {.ps = ps, .skip = skip};
    an_variants(ps->s->an, w->fold, strlen(w->fold), collect_variant, &vc);
    *qs = vc.qs;
    return vc.n;
}

/* How much a form other than the one typed counts, for an accented word:
 * "đường" also finds dương and đương, ranked below. */
#define FALLBACK_WEIGHT 0.25

/* One word.  Typed with accents: its exact form, or (lower) any other form.
 * Without: any form, as one term for weighting (SYNONYM). */
static xap_query *word_q(parser *ps, const qword *w)
{
    xap_query **vs, *q;
    if (w->exact) {
        size_t n = variants(ps, w, w->norm, &vs);
        q = term_q(ps, "", w->norm, strlen(w->norm));
        if (n)
            q = xap_q_op2(XAP_OP_OR, q,
                          xap_q_scale(xap_q_op(XAP_OP_SYNONYM, vs, n, 0),
                                      FALLBACK_WEIGHT));
    } else {
        size_t n = variants(ps, w, NULL, &vs);
        q = n == 0   ? term_q(ps, "", w->norm, strlen(w->norm))
            : n == 1 ? vs[0]
                     : xap_q_op(XAP_OP_SYNONYM, vs, n, 0);
    }
    free(vs);
    return q;
}

/* One word inside a phrase: the exact form when typed with accents, else
 * any form (phrases take only terms and ORs of terms). */
static xap_query *phrase_part(parser *ps, const qword *w)
{
    xap_query **vs, *q;
    size_t n;
    if (w->exact)
        return term_q(ps, "", w->norm, strlen(w->norm));
    n = variants(ps, w, NULL, &vs);
    q = n == 0   ? term_q(ps, "", w->norm, strlen(w->norm))
        : n == 1 ? vs[0]
                 : xap_q_op(XAP_OP_OR, vs, n, 0);
    free(vs);
    return q;
}

/* A run of plain words: all must match; adjacent pairs add a phrase
 * bonus, so words of several syllables ("cần thơ") rank above the same
 * syllables apart. */
static xap_query *plain_q(parser *ps, const qword *w, size_t n)
{
    xap_query **subs = xcalloc(n, sizeof *subs), **pairs = NULL, *q;
    size_t npairs = 0;
    for (size_t i = 0; i < n; i++)
        subs[i] = word_q(ps, &w[i]);
    q = n == 1 ? subs[0] : xap_q_op(XAP_OP_AND, subs, n, 0);
    if (n > 1) {
        pairs = xcalloc(n - 1, sizeof *pairs);
        for (size_t i = 0; i + 1 < n; i++) {
            xap_query *pp[2] = {phrase_part(ps, &w[i]),
                                phrase_part(ps, &w[i + 1])};
            pairs[npairs++] = xap_q_op(XAP_OP_PHRASE, pp, 2, 2);
        }
        q = xap_q_op2(XAP_OP_AND_MAYBE, q,
                      xap_q_scale(xap_q_op(XAP_OP_OR, pairs, npairs, 0),
                                  2.0));
    }
    free(subs);
    free(pairs);
    ps->nwords += (int)n;
    return q;
}

static xap_query *phrase_q(parser *ps, const qword *w, size_t n)
{
    if (n == 1)
        return word_q(ps, &w[0]);
    xap_query **subs = xcalloc(n, sizeof *subs), *q;
    for (size_t i = 0; i < n; i++)
        subs[i] = phrase_part(ps, &w[i]);
    q = xap_q_op(XAP_OP_PHRASE, subs, n, 0);
    free(subs);
    ps->nwords += (int)n;
    return q;
}

static int at_or(parser *ps)
{
    const char *p = ps->p;
    return ps->end - p >= 2 && p[0] == 'O' && p[1] == 'R' &&
           (ps->end - p == 2 || p[2] == ' ' || p[2] == '\t' || p[2] == '(' ||
            p[2] == '"');
}

static void skip_space(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
                               *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static xap_query *parse_or(parser *ps, int depth);

/* A sequence of items (implicit AND, minus exclusions), up to OR, ')' or
 * the end. */
static xap_query *parse_and(parser *ps, int depth)
{
    xap_query **pos = NULL, **neg = NULL, *q;
    size_t npos = 0, nneg = 0, pcap = 0, ncap = 0;
    for (;;) {
        skip_space(ps);
        if (ps->p >= ps->end || *ps->p == ')' || at_or(ps))
            break;
        int minus = 0;
        xap_query *item = NULL;
        if (*ps->p == '-' && ps->p + 1 < ps->end && ps->p[1] != ' ') {
            minus = 1;
            ps->p++;
        }
        if (*ps->p == '(') {
            ps->p++;
            item = depth < 32 ? parse_or(ps, depth + 1) : NULL;
            skip_space(ps);
            if (ps->p < ps->end && *ps->p == ')')
                ps->p++; /* an unclosed '(' closes at the end */
        } else if (*ps->p == '"') {
            const char *s = ++ps->p;
            while (ps->p < ps->end && *ps->p != '"')
                ps->p++;
            qword *w;
            size_t n = words_of(ps, s, (size_t)(ps->p - s), &w);
            if (n)
                item = phrase_q(ps, w, n);
            words_free(w, n);
            if (ps->p < ps->end)
                ps->p++; /* an unbalanced quote runs to the end */
        } else {
            /* plain words, up to a special character, " -", or " OR " */
            const char *s = ps->p;
            while (ps->p < ps->end) {
                char c = *ps->p;
                if (c == '"' || c == '(' || c == ')')
                    break;
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    const char *sp = ps->p;
                    if (minus)
                        break; /* -word excludes one word */
                    skip_space(ps);
                    if (ps->p >= ps->end || at_or(ps) || *ps->p == '-' ||
                        *ps->p == '"' || *ps->p == '(' || *ps->p == ')') {
                        ps->p = sp;
                        break;
                    }
                    continue;
                }
                ps->p++;
            }
            qword *w;
            size_t n = words_of(ps, s, (size_t)(ps->p - s), &w);
            if (n)
                item = minus ? phrase_q(ps, w, n) : plain_q(ps, w, n);
            words_free(w, n);
            if (ps->p == s)
                ps->p++; /* never stall */
        }
        if (!item)
            continue;
        if (minus) {
            xgrow(&neg, &ncap, nneg + 1, sizeof *neg);
            neg[nneg++] = item;
        } else {
            xgrow(&pos, &pcap, npos + 1, sizeof *pos);
            pos[npos++] = item;
        }
    }
    q = npos == 0 ? NULL : npos == 1 ? pos[0] : xap_q_op(XAP_OP_AND, pos, npos, 0);
    if (q && nneg) {
        xap_query *n = xap_q_op(XAP_OP_OR, neg, nneg, 0);
        q = xap_q_op2(XAP_OP_AND_NOT, q, n);
    } else {
        for (size_t i = 0; i < nneg; i++)
            xap_q_free(neg[i]);
    }
    free(pos);
    free(neg);
    return q;
}

static xap_query *parse_or(parser *ps, int depth)
{
    xap_query **alts = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        xap_query *q = parse_and(ps, depth);
        if (q) {
            xgrow(&alts, &cap, n + 1, sizeof *alts);
            alts[n++] = q;
        }
        skip_space(ps);
        if (!at_or(ps))
            break;
        ps->p += 2;
    }
    xap_query *q = n == 0 ? NULL : n == 1 ? alts[0]
                                          : xap_q_op(XAP_OP_OR, alts, n, 0);
    free(alts);
    return q;
}

/* The relaxed form: any of the query's words. */
static xap_query *relaxed_q(parser *ps)
{
    xap_query **subs = xcalloc(ps->nhl ? ps->nhl : 1, sizeof *subs), *q;
    for (size_t i = 0; i < ps->nhl; i++) {
        qword w = {.fold = ps->hl[i], .norm = ps->hl[i]};
        subs[i] = word_q(ps, &w);
    }
    q = xap_q_op(XAP_OP_OR, subs, ps->nhl, 0);
    free(subs);
    return q;
}

/* ---- results ---------------------------------------------------------- */

static char *dupstr(const js_value *v)
{
    size_t n;
    const char *s = js_str(v, &n);
    return s ? xstrndup(s, n) : NULL;
}

static int is_hl(const parser *ps, const char *fold, size_t n)
{
    for (size_t i = 0; i < ps->nhl; i++)
        if (strlen(ps->hl[i]) == n && !memcmp(ps->hl[i], fold, n))
            return 1;
    return 0;
}

#define SNIPPET_TOKENS 36

typedef struct tokpos {
    size_t off, len;
    int hit;
} tokpos;

/* The best passage of text: the window of SNIPPET_TOKENS tokens with the
 * most distinct... (here: most) matches, earliest on ties. */
static void snippet_of(parser *ps, const char *text, size_t n, sbuf *out,
                       srch_mark **marks, size_t *nmarks, int *best_out)
{
    vn_token tk;
    tokpos *t = NULL;
    size_t cnt = 0, cap = 0, best = 0, bestscore = 0, score = 0;
    vn_tok_start(ps->s->tok, text, n);
    while (vn_tok_next(ps->s->tok, &tk)) {
        xgrow(&t, &cap, cnt + 1, sizeof *t);
        t[cnt].off = tk.off;
        t[cnt].len = tk.len;
        t[cnt].hit = an_indexable(&tk) && is_hl(ps, tk.fold, tk.fold_len);
        cnt++;
    }
    for (size_t i = 0; i < cnt; i++) {
        score += t[i].hit;
        if (i >= SNIPPET_TOKENS)
            score -= t[i - SNIPPET_TOKENS].hit;
        if (score > bestscore) {
            bestscore = score;
            best = i + 1 > SNIPPET_TOKENS ? i + 1 - SNIPPET_TOKENS : 0;
        }
    }
    *best_out = (int)bestscore;
    if (!cnt)
        goto out;
    /* start a little before the first match for context */
    size_t from = best, to = best + SNIPPET_TOKENS;
    if (to > cnt)
        to = cnt;
    size_t start = t[from].off, end = t[to - 1].off + t[to - 1].len;
    if (from > 0)
        sbuf_adds(out, "… ");
    size_t base = out->len;
    sbuf_reset(&ps->t);
    vn_clean(text + start, end - start, &ps->t);
    /* marks are found again on the cleaned text (offsets may shift) */
    sbuf_add(out, ps->t.s, ps->t.len);
    {
        size_t mcap = 0;
        vn_tok *tok = vn_tok_new();
        char *clean = xstrndup(ps->t.s, ps->t.len);
        size_t cl = ps->t.len;
        vn_tok_start(tok, clean, cl);
        while (vn_tok_next(tok, &tk))
            if (an_indexable(&tk) && is_hl(ps, tk.fold, tk.fold_len)) {
                xgrow(marks, &mcap, *nmarks + 1, sizeof **marks);
                (*marks)[*nmarks].start = base + tk.off;
                (*marks)[*nmarks].end = base + tk.off + tk.len;
                (*nmarks)++;
            }
        vn_tok_free(tok);
        free(clean);
    }
    if (to < cnt)
        sbuf_adds(out, " …");
out:
    free(t);
}

static void fill_hit(parser *ps, const char *data, size_t len, srch_hit *h)
{
    js_value *root = NULL;
    if (js_parse(data, len, &root, NULL) != TT_OK)
        return;
    h->id = dupstr(js_get(root, "id"));
    h->url = dupstr(js_get(root, "url"));
    h->title = dupstr(js_get(root, "title"));
    h->published = dupstr(js_get(root, "published"));
    h->section = dupstr(js_get(root, "section"));
    h->source = dupstr(js_get(root, "source"));
    const js_value *au = js_get(root, "authors");
    h->nauthors = js_len(au);
    if (h->nauthors) {
        h->authors = xcalloc(h->nauthors, sizeof *h->authors);
        for (size_t i = 0; i < h->nauthors; i++)
            h->authors[i] = dupstr(js_at(au, i));
    }
    /* snippet: the best passage of sapo and body paragraphs */
    sbuf best = {0}, cur = {0};
    srch_mark *bm = NULL, *cm = NULL;
    size_t nbm = 0, ncm = 0;
    int bestscore = -1;
    const js_value *body = js_get(root, "body");
    size_t nb = js_len(body);
    for (size_t i = 0; i <= nb; i++) {
        size_t n;
        const char *text = js_str(i == 0 ? js_get(root, "sapo")
                                         : js_at(body, i - 1), &n);
        if (!text || !n)
            continue;
        int sc;
        sbuf_reset(&cur);
        free(cm);
        cm = NULL;
        ncm = 0;
        snippet_of(ps, text, n, &cur, &cm, &ncm, &sc);
        if (sc > bestscore) {
            bestscore = sc;
            sbuf_reset(&best);
            sbuf_add(&best, cur.s, cur.len);
            free(bm);
            bm = cm;
            nbm = ncm;
            cm = NULL;
            ncm = 0;
        }
    }
    free(cm);
    sbuf_free(&cur);
    h->snippet = sbuf_detach(&best, NULL);
    h->marks = bm;
    h->nmarks = nbm;
    js_free(root);
}

int srch_run(srch *s, const srch_req *req, srch_result *res, tt_err *e)
{
    parser ps = {0};
    xap_query *q = NULL;
    xap_mset *m = NULL;
    xap_search_opts so;
    uint32_t limit = req->limit ? req->limit : 10;
    int rc = TT_OK;
    double start = tt_now();

    memset(res, 0, sizeof *res);
    if (limit > SRCH_MAX_LIMIT)
        limit = SRCH_MAX_LIMIT;
    ps.s = s;
    ps.p = req->query ? req->query : "";
    ps.end = ps.p + strlen(ps.p);
    if (ps.end - ps.p > SRCH_MAX_QUERY) {
        ps.end = ps.p + SRCH_MAX_QUERY;
        while (ps.end > ps.p && ((unsigned char)*ps.end & 0xC0) == 0x80)
            ps.end--;
    }
    q = parse_or(&ps, 0);
    if (!q || xap_q_is_empty(q)) {
        rc = tt_seterr(e, TT_EINVAL, "empty query: no words to search for");
        goto fail;
    }
    if ((rc = xap_db_reopen(s->db, NULL, e)))
        goto fail;
    xap_search_opts_init(&so);
    so.collapse_slot = SLOT_DUPKEY;
    /* exact totals for small result sets, an estimate beyond */
    so.check_at_least = req->offset + limit + 1000;
    if (req->sort_date) {
        so.sort_slot = SLOT_PUBLISHED;
        so.sort_ascending = 0;
    }
    if ((rc = xap_search(s->db, q, req->offset, limit, &so, &m, e)))
        goto fail;
    uint32_t est, lo, hi;
    xap_mset_total(m, &est, &lo, &hi);
    if (est == 0 && ps.nhl > 1) {
        xap_mset_free(m);
        m = NULL;
        xap_q_free(q);
        q = relaxed_q(&ps);
        res->relaxed = 1;
        if ((rc = xap_search(s->db, q, req->offset, limit, &so, &m, e)))
            goto fail;
        xap_mset_total(m, &est, &lo, &hi);
    }
    if (req->explain)
        res->explain = xap_q_describe(q);
    res->total = est;
    res->total_exact = lo == hi;
    res->nhits = xap_mset_size(m);
    res->hits = xcalloc(res->nhits ? res->nhits : 1, sizeof *res->hits);
    for (size_t i = 0; i < res->nhits; i++) {
        size_t len;
        const char *data = xap_mset_data(m, i, &len);
        res->hits[i].score = xap_mset_weight(m, i);
        fill_hit(&ps, data, len, &res->hits[i]);
    }
fail:
    res->seconds = tt_now() - start;
    xap_mset_free(m);
    xap_q_free(q);
    for (size_t i = 0; i < ps.nhl; i++)
        free(ps.hl[i]);
    free(ps.hl);
    sbuf_free(&ps.t);
    return rc;
}

void srch_result_free(srch_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->nhits; i++) {
        srch_hit *h = &res->hits[i];
        free(h->id);
        free(h->url);
        free(h->title);
        free(h->published);
        free(h->section);
        free(h->source);
        for (size_t j = 0; j < h->nauthors; j++)
            free(h->authors[j]);
        free(h->authors);
        free(h->snippet);
        free(h->marks);
    }
    free(res->hits);
    free(res->explain);
    memset(res, 0, sizeof *res);
}

/* ---- output ----------------------------------------------------------- */

void srch_html_escape(sbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': sbuf_adds(out, "&amp;"); break;
        case '<': sbuf_adds(out, "&lt;"); break;
        case '>': sbuf_adds(out, "&gt;"); break;
        case '"': sbuf_adds(out, "&quot;"); break;
        case '\'': sbuf_adds(out, "&#39;"); break;
        default: sbuf_addc(out, s[i]);
        }
    }
}

static void marked(const srch_hit *h, const char *open, const char *close,
                   int html, sbuf *out)
{
    size_t at = 0;
    const char *s = h->snippet ? h->snippet : "";
    for (size_t i = 0; i < h->nmarks; i++) {
        const srch_mark *mk = &h->marks[i];
        if (mk->start < at || mk->end > strlen(s))
            continue;
        html ? srch_html_escape(out, s + at, mk->start - at)
             : sbuf_add(out, s + at, mk->start - at);
        sbuf_adds(out, open);
        html ? srch_html_escape(out, s + mk->start, mk->end - mk->start)
             : sbuf_add(out, s + mk->start, mk->end - mk->start);
        sbuf_adds(out, close);
        at = mk->end;
    }
    html ? srch_html_escape(out, s + at, strlen(s) - at)
         : sbuf_adds(out, s + at);
}

void srch_snippet_html(const srch_hit *h, sbuf *out)
{
    marked(h, "<mark>", "</mark>", 1, out);
}

void srch_snippet_marked(const srch_hit *h, const char *open,
                         const char *close, sbuf *out)
{
    marked(h, open, close, 0, out);
}

void srch_result_json(const srch_req *req, const srch_result *res,
                      sbuf *out)
{
    js_writer *w = js_w_new(out, 0);
    sbuf snip = {0};
    js_w_obj_begin(w);
    js_w_key(w, "query");
    js_w_str(w, req->query ? req->query : "");
    js_w_key(w, "total");
    js_w_uint(w, res->total);
    js_w_key(w, "total_is_exact");
    js_w_bool(w, res->total_exact);
    js_w_key(w, "relaxed");
    js_w_bool(w, res->relaxed);
    js_w_key(w, "seconds");
    js_w_double(w, res->seconds);
    js_w_key(w, "results");
    js_w_arr_begin(w);
    for (size_t i = 0; i < res->nhits; i++) {
        const srch_hit *h = &res->hits[i];
        js_w_obj_begin(w);
        js_w_key(w, "id");
        js_w_str(w, h->id);
        js_w_key(w, "url");
        js_w_str(w, h->url);
        js_w_key(w, "title");
        js_w_str(w, h->title);
        js_w_key(w, "published");
        js_w_str(w, h->published);
        js_w_key(w, "section");
        js_w_str(w, h->section);
        js_w_key(w, "authors");
        js_w_arr_begin(w);
        for (size_t j = 0; j < h->nauthors; j++)
            js_w_str(w, h->authors[j]);
        js_w_arr_end(w);
        js_w_key(w, "score");
        js_w_double(w, h->score);
        js_w_key(w, "snippet");
        sbuf_reset(&snip);
        srch_snippet_html(h, &snip);
        js_w_strn(w, snip.s ? snip.s : "", snip.len);
        js_w_obj_end(w);
    }
    js_w_arr_end(w);
    js_w_obj_end(w);
    js_w_free(w, NULL);
    sbuf_free(&snip);
}
