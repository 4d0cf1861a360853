/* seg.c — see seg.h.
 *
 * Lexicon: an open-addressing hash set of 64-bit keys, one key per word,
 * the key a hash of the sequence of its syllables' norm forms, its low byte
 * the source bits (SEG_*, N_NAME for a built-in proper name) and whether
 * the key is a word and/or the prefix of a longer one, so matching stops as
 * soon as a sequence cannot lead to a word.  A bloom filter over the
 * two-syllable keys (small enough to stay in cache) turns away most pairs
 * before the table is touched.  Nothing is allocated per token.  A false
 * match needs a 56-bit collision.  (A trie over interned syllable ids was
 * tried: two dependent lookups per syllable made it slower.)
 *
 * Segmentation works on runs of syllables (VN_WORD tokens with nothing but
 * white space between them on one line).  For every position the lexicon
 * gives the set of word lengths that start there; the segmentation of a run
 * is the one with the fewest words, ties going to the one whose words end
 * latest (backward maximum matching), which beats forward longest matching
 * on the UD Vietnamese treebank.  Then a few rules: full reduplication
 * and the suffixes "viên", "hóa" make words (run_rules), runs of
 * capitalised syllables become proper names (except where the first is a
 * title or a common sentence-initial word, or where a known name ends and
 * a new one begins), a number joins a '%' written against it and a
 * following "triệu", "tháng" joins the number of a month.
 */
#include "seg.h"
#include "lexicon_data.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* slot info bits besides the SEG_* sources: a built-in proper name, a
 * word, the prefix of a longer word, a key of two syllables */
enum { N_NAME = SEG_NAME, L_WORD = 1 << 4, L_PREFIX = 1 << 5, L_PAIR = 1 << 6 };
#define N_SRC (SEG_BUILTIN | SEG_USER | SEG_LEARNED)

struct seg_lex {
    uint64_t *bloom;    /* one bit per 2-syllable key: can it be there? */
    size_t nbloom;      /* bits, a power of two */
    size_t npairs;
    uint64_t *slots;    /* hash with its low 8 bits replaced by the info
                         * bits (SEG_* sources | L_WORD | L_PREFIX); 0 is
                         * an empty slot */
    size_t cap, used, words, nuser;
    int shared;         /* slots and bloom are the prebuilt (read-only)
                         * tables until a word is added */
    int policy;
    vn_tok *tok;
    sbuf tmp;
};

#define KEYMASK (~(uint64_t)0xFF)


/* hash of one syllable's norm, eight bytes at a time (seq_step mixes) */
static inline uint64_t syl_hash(const char *s, size_t n)
{
    uint64_t h = 0xCBF29CE484222325ULL ^ n, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    if (i < n) {
        unsigned sh = 0;
        for (w = 0; i < n; i++, sh += 8)
            w |= (uint64_t)(unsigned char)s[i] << sh;
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    return h;
}

#define SEQ_SEED 0x9E3779B97F4A7C15ULL

/* the key after one more syllable; never 0 in its key bits */
static inline uint64_t seq_step(uint64_t h, uint64_t syl)
{
    return tt_mix64(h ^ syl) | 0x100;
}

static inline size_t slot(const seg_lex *lex, uint64_t key)
{
    size_t m = lex->cap - 1, i = (size_t)(key >> 20) & m;
    while (lex->slots[i] && (lex->slots[i] & KEYMASK) != (key & KEYMASK))
        i = (i + 1) & m;
    return i;
}

static void rehash(seg_lex *lex, size_t ncap)
{
    uint64_t *old = lex->slots;
    size_t ocap = lex->cap, i;
    lex->slots = xcalloc(ncap, sizeof *lex->slots);
    lex->cap = ncap;
    for (i = 0; i < ocap; i++)
        if (old[i])
            lex->slots[slot(lex, old[i])] = old[i];
    free(old);
}

/* Before changing the tables: own a copy of the prebuilt ones. */
_Static_assert(sizeof(unsigned long long) == sizeof(uint64_t),
               "the prebuilt tables are read as uint64_t");

static void own_tables(seg_lex *lex)
{
    if (!lex->shared)
        return;
    uint64_t *slots = xmalloc(lex->cap * sizeof *slots);
    uint64_t *bloom = xmalloc(lex->nbloom / 8);
    memcpy(slots, lex->slots, lex->cap * sizeof *slots);
    memcpy(bloom, lex->bloom, lex->nbloom / 8);
    lex->slots = slots;
    lex->bloom = bloom;
    lex->shared = 0;
}

static void put(seg_lex *lex, uint64_t key, unsigned bits)
{
    size_t i;
    own_tables(lex);
    if ((lex->used + 1) * 2 > lex->cap)
        rehash(lex, lex->cap * 2);
    i = slot(lex, key);
    if (!lex->slots[i]) {
        lex->slots[i] = key & KEYMASK;
        lex->used++;
    }
    if ((bits & L_WORD) && !(lex->slots[i] & L_WORD))
        lex->words++;
    if ((bits & L_WORD) && (bits & SEG_USER) && !(lex->slots[i] & SEG_USER))
        lex->nuser++;
    lex->slots[i] |= bits & 0xFF;
}

/* The bloom filter: one bit per key of two syllables, so that most
 * pairs that start no word are turned away without touching the (large,
 * cache-missing) table. */
static void bloom_set(seg_lex *lex, uint64_t key)
{
    size_t i = (size_t)(key >> 8) & (lex->nbloom - 1);
    lex->bloom[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline int bloom_may(const seg_lex *lex, uint64_t key)
{
    size_t i = (size_t)(key >> 8) & (lex->nbloom - 1);
    return (lex->bloom[i / 64] >> (i % 64)) & 1;
}

static void bloom_rebuild(seg_lex *lex)
{
    size_t i;
    free(lex->bloom);
    lex->nbloom = 1 << 16;
    while (lex->nbloom < lex->npairs * 16)
        lex->nbloom *= 2;
    lex->bloom = xcalloc(lex->nbloom / 64, sizeof *lex->bloom);
    for (i = 0; i < lex->cap; i++)
        if (lex->slots[i] & L_PAIR)
            bloom_set(lex, lex->slots[i]);
}

/* note a key of two syllables */
static void pair(seg_lex *lex, uint64_t key)
{
    own_tables(lex);
    size_t i = slot(lex, key);
    if (!(lex->slots[i] & L_PAIR)) {
        lex->slots[i] |= L_PAIR;
        if (++lex->npairs * 16 > lex->nbloom)
            bloom_rebuild(lex);
        else
            bloom_set(lex, key);
    }
}

static inline unsigned get(const seg_lex *lex, uint64_t key)
{
    return (unsigned)(lex->slots[slot(lex, key)] & 0xFF);
}

/* Add a word whose syllables are already norm forms separated by single
 * spaces (the built-in lexicon). */
static void add_normed(seg_lex *lex, const char *w, size_t n, unsigned src)
{
    uint64_t h = SEQ_SEED;
    size_t i = 0, nsyl = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && w[j] != ' ')
            j++;
        if (nsyl > 1)
            put(lex, h, L_PREFIX);
        if (nsyl == 2)
            pair(lex, h);
        h = seq_step(h, syl_hash(w + i, j - i));
        nsyl++;
        i = j + 1;
    }
    if (nsyl >= 2 && nsyl <= SEG_MAXSYL) {
        put(lex, h, L_WORD | src);
        if (nsyl == 2)
            pair(lex, h);
    }
}

static void add_text(seg_lex *lex, const char *p, size_t len, unsigned src)
{
    const char *end = p + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        add_normed(lex, p, n, src);
        p += n + 1;
    }
}

/* with_builtin: 0 empty, 1 the built-in words from the prebuilt table
 * (a program starts in microseconds, not the 1.5 ms of building it), 2
 * the built-in words added one by one (what the table must equal). */
static seg_lex *lex_new(int with_builtin)
{
    seg_lex *lex = xcalloc(1, sizeof *lex);
    lex->tok = vn_tok_new();
    lex->policy = SEG_UNION;
    if (with_builtin == 1) {
        lex->slots = (uint64_t *)seg_prebuilt_slots;
        lex->bloom = (uint64_t *)seg_prebuilt_bloom;
        lex->shared = 1;
        lex->cap = seg_prebuilt_cap;
        lex->used = seg_prebuilt_used;
        lex->words = seg_prebuilt_words;
        lex->npairs = seg_prebuilt_npairs;
        lex->nbloom = seg_prebuilt_nbloom;
        return lex;
    }
    lex->cap = 1024;
    lex->slots = xcalloc(lex->cap, sizeof *lex->slots);
    bloom_rebuild(lex);
    if (with_builtin) {
        rehash(lex, 1 << 16);
        add_text(lex, seg_lexicon_text, seg_lexicon_len, SEG_BUILTIN);
        add_text(lex, seg_names_text, seg_names_len, SEG_BUILTIN | N_NAME);
    }
    return lex;
}

seg_lex *seg_lex_new(int with_builtin)
{
    return lex_new(with_builtin ? 1 : 0);
}

/* Entry i of the fold index: its folded form, and its norm form. */
static const char *fold_key(size_t i)
{
    return seg_fold_text + seg_fold_index[i].off;
}

static const char *fold_norm(size_t i)
{
    const char *k = fold_key(i);
    return k + strlen(k) + 1;
}

static int abbr_prebuilt_ok(void);

int seg_lex_prebuilt_ok(void)
{
    seg_lex *a = lex_new(1), *b = lex_new(2);
    int ok = a->cap == b->cap && a->used == b->used &&
             a->words == b->words && a->npairs == b->npairs &&
             a->nbloom == b->nbloom &&
             !memcmp(a->slots, b->slots, a->cap * sizeof *a->slots) &&
             !memcmp(a->bloom, b->bloom, a->nbloom / 8);
    seg_lex_free(a);
    seg_lex_free(b);
    /* the fold index: vn_fold of each word, in strcmp order */
    sbuf f = {0};
    for (size_t i = 0; ok && i < seg_fold_n; i++) {
        sbuf_reset(&f);
        vn_fold(fold_norm(i), strlen(fold_norm(i)), &f);
        ok = f.len && !strcmp(f.s, fold_key(i)) &&
             (i == 0 || strcmp(fold_key(i - 1), fold_key(i)) <= 0);
    }
    sbuf_free(&f);
    return ok && abbr_prebuilt_ok();
}

void seg_lex_set_policy(seg_lex *lex, int policy)
{
    lex->policy = policy == SEG_USER_FIRST ? SEG_USER_FIRST : SEG_UNION;
}

int seg_lex_policy(const seg_lex *lex) { return lex->policy; }

void seg_lex_free(seg_lex *lex)
{
    if (!lex)
        return;
    if (!lex->shared) {
        free(lex->slots);
        free(lex->bloom);
    }
    vn_tok_free(lex->tok);
    sbuf_free(&lex->tmp);
    free(lex);
}

/* The key of a word given as text; 0 when it is not 2..SEG_MAXSYL word
 * tokens.  With add, prefixes are stored as it goes. */
static uint64_t word_key(seg_lex *lex, vn_tok *t, const char *w, size_t n,
                         int add)
{
    vn_token tk;
    uint64_t h = SEQ_SEED;
    size_t i, nsyl = 0;
    sbuf *b = &lex->tmp;

    sbuf_reset(b);              /* '_' separates syllables too */
    sbuf_add(b, w, n);
    for (i = 0; i < b->len; i++)
        if (b->s[i] == '_')
            b->s[i] = ' ';
    vn_tok_start(t, b->s, b->len);
    while (vn_tok_next(t, &tk)) {
        if (tk.kind == VN_PUNCT || tk.kind == VN_SYMBOL ||
            ++nsyl > SEG_MAXSYL)
            return 0;
        if (add && nsyl > 2)
            put(lex, h, L_PREFIX);
        if (add && nsyl == 3)
            pair(lex, h);
        h = seq_step(h, syl_hash(tk.norm, tk.norm_len));
    }
    return nsyl >= 2 ? h : 0;
}

static int add_word(seg_lex *lex, const char *w, size_t n, unsigned src)
{
    /* one pass; the prefixes of a word found invalid halfway do no harm */
    uint64_t key = word_key(lex, lex->tok, w, n, 1);
    if (!key)
        return TT_EINVAL;
    put(lex, key, L_WORD | src);
    pair(lex, key);     /* harmless for longer words: a spare bit */
    return TT_OK;
}

int seg_lex_add(seg_lex *lex, const char *word, size_t len)
{
    return add_word(lex, word, len, SEG_USER);
}

int seg_lex_learn(seg_lex *lex, const char *word, size_t len)
{
    return add_word(lex, word, len, SEG_LEARNED);
}

int seg_lex_load(seg_lex *lex, const char *path, size_t *added, tt_err *e)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, before = lex->words;
    ssize_t n;
    int rc = TT_OK;

    if (!f)
        return tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    while ((n = getline(&line, &cap, f)) >= 0) {
        size_t m = (size_t)n, i = 0;
        while (m > 0 && (line[m - 1] == '\n' || line[m - 1] == '\r' ||
                         line[m - 1] == ' ' || line[m - 1] == '\t'))
            m--;
        while (i < m && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == m || line[i] == '#' || m - i > 256)
            continue;
        add_word(lex, line + i, m - i, SEG_USER);
    }
    if (ferror(f))
        rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    free(line);
    fclose(f);
    if (added) /* new words: a word met again is not added again */
        *added = lex->words - before;
    return rc;
}

unsigned seg_lex_has(const seg_lex *lex, const char *word, size_t len)
{
    seg_lex *l = (seg_lex *)lex;        /* scratch only */
    vn_tok *t = vn_tok_new();
    uint64_t key = word_key(l, t, word, len, 0);
    unsigned r = 0;
    vn_tok_free(t);
    if (key) {
        r = get(lex, key);
        r = (r & L_WORD) ? r & (N_SRC | N_NAME) : 0;
    }
    return r;
}

size_t seg_builtin_by_fold(const char *fold, const char **norm,
                           unsigned *bits, size_t max)
{
    size_t lo = 0, hi = seg_fold_n, k = 0;
    while (lo < hi) { /* the first entry >= fold */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(fold_key(mid), fold) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < seg_fold_n && k < max && !strcmp(fold_key(lo), fold);
         lo++, k++) {
        norm[k] = fold_norm(lo);
        bits[k] = seg_fold_index[lo].bits;
    }
    return k;
}

size_t seg_lex_count(const seg_lex *lex) { return lex->words; }

/* ---- segmenter ---- */

struct seg {
    const seg_lex *lex;
    vn_tok *tok;
    vn_token *toks;
    size_t ntok, captok;
    size_t *noff, *foff;        /* arena offsets of norm / fold */
    size_t capoff;
    uint64_t *hash;             /* syllable hashes */
    uint8_t *brk;               /* a line break before token i */
    uint16_t *match;            /* bit n: tokens [i, i+n) form a word */
    uint8_t *wlen;              /* chosen word length at a word start */
    int *cost, *back;
    int numbers;                /* the line has a number token */
    /* hashes of the syllables the rules look for */
    uint64_t h_nam, h_vien, h_hoa, h_thang;
    sbuf arena;
    seg_word *words;
    size_t nwords, capwords;
};

seg *seg_new(const seg_lex *lex)
{
    seg *s = xcalloc(1, sizeof *s);
    s->lex = lex;
    s->tok = vn_tok_new();
    s->h_nam = syl_hash("năm", strlen("năm"));
    s->h_vien = syl_hash("viên", strlen("viên"));
    s->h_hoa = syl_hash("hóa", strlen("hóa"));
    s->h_thang = syl_hash("tháng", strlen("tháng"));
    return s;
}

void seg_free(seg *s)
{
    if (!s)
        return;
    vn_tok_free(s->tok);
    free(s->toks);
    free(s->noff);
    free(s->foff);
    free(s->hash);
    free(s->brk);
    free(s->match);
    free(s->wlen);
    free(s->cost);
    free(s->back);
    sbuf_free(&s->arena);
    free(s->words);
    free(s);
}

static void grow_tokens(seg *s, size_t need)
{
    size_t c;
    if (need <= s->captok)
        return;
    c = s->captok < 64 ? 128 : s->captok * 2;
    while (c < need)
        c *= 2;
    s->toks = xrealloc(s->toks, c * sizeof *s->toks);
    s->noff = xrealloc(s->noff, c * sizeof *s->noff);
    s->foff = xrealloc(s->foff, c * sizeof *s->foff);
    s->hash = xrealloc(s->hash, c * sizeof *s->hash);
    s->brk = xrealloc(s->brk, c * sizeof *s->brk);
    s->match = xrealloc(s->match, c * sizeof *s->match);
    s->wlen = xrealloc(s->wlen, c * sizeof *s->wlen);
    s->cost = xrealloc(s->cost, (c + 1) * sizeof *s->cost);
    s->back = xrealloc(s->back, (c + 1) * sizeof *s->back);
    s->captok = c;
}

static void add_wordspan(seg *s, size_t first, size_t n)
{
    seg_word *w;
    if (s->nwords == s->capwords)
        xgrow(&s->words, &s->capwords, s->nwords + 1, sizeof *s->words);
    w = &s->words[s->nwords++];
    w->first = first;
    w->ntok = n;
    w->off = s->toks[first].off;
    w->len = s->toks[first + n - 1].off + s->toks[first + n - 1].len - w->off;
}

static int is_syl(const vn_token *t)
{
    return t->kind == VN_WORD;
}

/* Fewest words over [a, b), ties to the latest word ends. */
static void segment_run(seg *s, size_t a, size_t b)
{
    size_t i, n = b - a;
    int *cost = s->cost, *back = s->back;
    cost[0] = 0;
    for (i = 1; i <= n; i++) {
        int best = cost[i - 1] + 1, bl = 1, len;
        for (len = 2; len <= SEG_MAXSYL && (size_t)len <= i; len++) {
            if (!(s->match[a + i - len] & (1u << len)))
                continue;
            if (cost[i - len] + 1 < best ||
                (cost[i - len] + 1 == best && len > bl)) {
                best = cost[i - len] + 1;
                bl = len;
            }
        }
        cost[i] = best;
        back[i] = bl;
    }
    for (i = a; i < b; i++)
        s->wlen[i] = 0;
    for (i = n; i > 0; i -= (size_t)back[i])
        s->wlen[a + i - (size_t)back[i]] = (uint8_t)back[i];
}

static int norm_is(const vn_token *t, const char *w)
{
    size_t n = strlen(w);
    return t->norm_len == n && memcmp(t->norm, w, n) == 0;
}

/* Two rules within a run [a, b), on words the lexicon left alone; the
 * syllable hashes make the common case one comparison.
 *   Full reduplication is one word ("lâu lâu", "dần dần", "ngày ngày"),
 *   except "năm năm" (five years).
 *   Sino-Vietnamese suffixes make a new word of a two-syllable word:
 *   "hướng dẫn viên", "công nghiệp hóa". */
static void run_rules(seg *s, size_t a, size_t b)
{
    size_t i;
    for (i = a; i + 1 < b; i++) {
        uint64_t h = s->hash[i + 1];
        if (h == s->hash[i] && h != s->h_nam && s->wlen[i] == 1 &&
            s->wlen[i + 1] == 1 && (s->toks[i].flags & VN_SYLL) &&
            s->toks[i].norm_len == s->toks[i + 1].norm_len &&
            memcmp(s->toks[i].norm, s->toks[i + 1].norm,
                   s->toks[i].norm_len) == 0) {
            s->wlen[i] = 2;
            s->wlen[i + 1] = 0;
            i++;
        } else if ((h == s->h_vien || h == s->h_hoa) && i > a &&
                   s->wlen[i - 1] == 2 && s->wlen[i + 1] == 1 &&
                   (norm_is(&s->toks[i + 1], "viên") ||
                    norm_is(&s->toks[i + 1], "hóa"))) {
            s->wlen[i - 1] = 3;
            s->wlen[i + 1] = 0;
            i++;
        }
    }
}

/* Common Vietnamese family names: a capitalised run that starts a
 * sentence with one of them is a name ("Nguyễn Văn An nói").  Norm
 * forms: "lí" is Lý and Lí. */
static const char *const surnames[] = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ",
    "đặng", "bùi", "đỗ", "hồ", "ngô", "dương", "lí", "đào", "đoàn", "vương",
    "trịnh", "trương", "đinh", "lâm", "phùng", "mai", "tô", "hà", "tạ",
    "lương", "lưu", "châu", "cao", "quách", "thái", "tăng", "la", "văn",
    "kiều", "triệu", "đàm", "tôn", "khổng", "âu", "lại", "thân", "mạc",
    "nông", "lục", "giang", "từ", "hứa", "doãn", "diệp", "chu", "khúc",
    NULL};

static int in_list(const char *const *list, const char *w, size_t n)
{
    size_t i;
    for (i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
            return 1;
    return 0;
}

/* A word whose syllables are all capitalised words. */
static int cap_word(const seg *s, size_t i)
{
    size_t k, n = s->wlen[i];
    for (k = i; k < i + n; k++)
        if (!(s->toks[k].flags & VN_CAP) || s->toks[k].kind != VN_WORD ||
            (s->toks[k].flags & VN_INITIAL))
            return 0;
    return 1;
}

/* Words that open sentences and seldom begin a name (not "cô": Cô Tô):
 * titles ("Ông Phong nói") and function words ("Theo"). */
static const char *const openers[] = {
    "ông", "bà", "anh", "chị", "em", "chú", "bác", "cụ", "ngài", "thầy",
    "theo", "trong", "các", "về", "cũng", "đối", "đến", "riêng", "được",
    "ngoài", "hiện", "nhưng", "khi", "sau", "tại", "do", "vì", "để", "với",
    "những", "nếu", "còn", "đây", "đó", NULL};

/* Does token i start a sentence (or a quotation, a parenthesis)?  After an
 * initial or abbreviation that took its period ("TP. Huế", "30 độ C."),
 * maybe: that period can end a sentence too ("ở TP. Bà Lan nói"), but a
 * name mostly follows (a place after TP., TX., TT.), so there only a word
 * that opens sentences and begins no name says so. */
static int sent_start(const seg *s, size_t i)
{
    const vn_token *p;
    if (i == 0 || s->brk[i])
        return 1;
    p = &s->toks[i - 1];
    if (p->flags & VN_INITIAL)
        return in_list(openers, s->toks[i].norm, s->toks[i].norm_len);
    return p->kind == VN_PUNCT && !(p->norm_len == 1 && (p->norm[0] == ',' ||
                                                         p->norm[0] == ')'));
}

/* Merge runs of capitalised words in [a, b) into proper names. */
static void proper_names(seg *s, size_t a, size_t b)
{
    size_t i = a;
    while (i < b) {
        size_t j, last;
        if (!cap_word(s, i)) {
            i += s->wlen[i];
            continue;
        }
        j = i + s->wlen[i];
        last = i;
        while (j < b && cap_word(s, j) && j + s->wlen[j] - i <= 12) {
            /* a known name of its own starts here ("Hàng Mành | Hà Nội"),
             * or a person after a known place ("Lâm Đồng | Nguyễn Văn") */
            if ((s->wlen[j] >= 2 && j - i >= 2) ||
                (s->wlen[last] >= 2 &&
                 in_list(surnames, s->toks[j].norm, s->toks[j].norm_len)))
                break;
            last = j;                   /* names are short */
            j += s->wlen[j];
        }
        if (last != i && s->wlen[i] == 1 && sent_start(s, i) &&
            !in_list(surnames, s->toks[i].norm, s->toks[i].norm_len)) {
            /* "Theo Bộ…", "Ông Phong": a common word starts the sentence */
            i++;
            continue;
        }
        if (last != i) {
            size_t k;
            for (k = i + 1; k < j; k++)
                s->wlen[k] = 0;
            s->wlen[i] = (uint8_t)(j - i);
        }
        i = j;
    }
}

/* The slot bits that make a word, by the lexicon's policy. */
static unsigned accept_mask(const seg_lex *lex)
{
    if (lex->policy == SEG_USER_FIRST && lex->nuser)
        return SEG_USER | SEG_LEARNED | N_NAME;
    return N_SRC;
}

/* a number of one or two digits, 1..12 */
static int month_number(const vn_token *t)
{
    int v;
    if (t->kind != VN_NUMBER || t->norm_len < 1 || t->norm_len > 2)
        return 0;
    if (t->norm[0] < '0' || t->norm[0] > '9' ||
        (t->norm_len == 2 && (t->norm[1] < '0' || t->norm[1] > '9')))
        return 0;
    v = t->norm_len == 2 ? (t->norm[0] - '0') * 10 + t->norm[1] - '0'
                         : t->norm[0] - '0';
    return v >= 1 && v <= 12;
}

/* Numbers and what goes with them, as mostly in the UD Vietnamese
 * treebank: "90%" (written together), "10 triệu", "tháng 9" are one word
 * each ("5 tỷ" mostly is not). */
static void number_words(seg *s)
{
    size_t i;
    for (i = 0; i + 1 < s->ntok; i++) {
        const vn_token *a = &s->toks[i], *b = &s->toks[i + 1];
        int join = 0;
        if ((a->kind != VN_NUMBER && s->hash[i] != s->h_thang) ||
            s->wlen[i] != 1 || s->wlen[i + 1] != 1 || s->brk[i + 1])
            continue;
        if (a->kind == VN_NUMBER) {
            if (b->kind == VN_PUNCT || b->kind == VN_SYMBOL)
                join = !(b->flags & VN_SPACE) && norm_is(b, "%");
            else if (b->kind == VN_WORD)
                join = norm_is(b, "triệu");
        } else if (a->kind == VN_WORD && norm_is(a, "tháng")) {
            join = month_number(b) &&   /* not "tháng 8 - 2003" */
                   !(i + 2 < s->ntok && s->toks[i + 2].kind == VN_PUNCT &&
                     !s->brk[i + 2] &&
                     (norm_is(&s->toks[i + 2], "-") ||
                      norm_is(&s->toks[i + 2], "–") ||
                      norm_is(&s->toks[i + 2], "/")));
        }
        if (join) {
            s->wlen[i] = 2;
            s->wlen[i + 1] = 0;
            i++;
        }
    }
}

size_t seg_run(seg *s, const char *text, size_t len)
{
    vn_token tk;
    size_t i, prev_end = 0;
    unsigned mask;

    s->ntok = 0;
    s->nwords = 0;
    s->numbers = 0;
    sbuf_reset(&s->arena);
    vn_tok_start(s->tok, text, len);
    while (vn_tok_next(s->tok, &tk)) {
        size_t k = s->ntok++;
        if (k == s->captok)
            grow_tokens(s, s->ntok);
        s->toks[k] = tk;
        if (s->arena.len + tk.norm_len + tk.fold_len + 2 > s->arena.cap)
            xgrow(&s->arena.s, &s->arena.cap,
                  s->arena.len + tk.norm_len + tk.fold_len + 2, 1);
        s->noff[k] = s->arena.len;
        memcpy(s->arena.s + s->arena.len, tk.norm, tk.norm_len + 1);
        s->arena.len += tk.norm_len + 1;
        if (tk.fold_len == tk.norm_len &&
            memcmp(tk.fold, tk.norm, tk.norm_len) == 0) {
            s->foff[k] = s->noff[k];    /* the same string */
        } else {
            s->foff[k] = s->arena.len;
            memcpy(s->arena.s + s->arena.len, tk.fold, tk.fold_len + 1);
            s->arena.len += tk.fold_len + 1;
        }
        s->hash[k] = syl_hash(tk.norm, tk.norm_len);
        s->numbers |= tk.kind == VN_NUMBER;
        s->brk[k] = k > 0 && tk.off > prev_end &&
                    (tk.off - prev_end == 1
                         ? text[prev_end] == '\n'
                         : memchr(text + prev_end, '\n',
                                  tk.off - prev_end) != NULL);
        prev_end = tk.off + tk.len;
    }
    for (i = 0; i < s->ntok; i++) {
        s->toks[i].norm = s->arena.s + s->noff[i];
        s->toks[i].fold = s->arena.s + s->foff[i];
    }
    /* lexicon matches */
    mask = accept_mask(s->lex);
    for (i = 0; i < s->ntok; i++) {
        uint64_t h;
        size_t j;
        s->match[i] = 0;
        if (!is_syl(&s->toks[i]))
            continue;
        h = seq_step(SEQ_SEED, s->hash[i]);
        for (j = i + 1; j < s->ntok && j - i < SEG_MAXSYL; j++) {
            unsigned inf;
            if (!is_syl(&s->toks[j]) || s->brk[j])
                break;
            h = seq_step(h, s->hash[j]);
            if (j == i + 1 && !bloom_may(s->lex, h))
                break;
            inf = get(s->lex, h);
            if ((inf & L_WORD) && (inf & mask))
                s->match[i] |= (uint16_t)(1u << (j - i + 1));
            if (!(inf & L_PREFIX))
                break;
        }
    }
    /* runs of syllables */
    for (i = 0; i < s->ntok;) {
        size_t j = i + 1;
        unsigned caps;
        if (!is_syl(&s->toks[i])) {
            s->wlen[i] = 1;
            i++;
            continue;
        }
        caps = s->toks[i].flags;
        while (j < s->ntok && is_syl(&s->toks[j]) && !s->brk[j])
            caps |= s->toks[j++].flags;
        segment_run(s, i, j);
        run_rules(s, i, j);
        if (caps & VN_CAP)
            proper_names(s, i, j);
        i = j;
    }
    if (s->numbers)
        number_words(s);
    for (i = 0; i < s->ntok;) {
        size_t n = s->wlen[i] ? s->wlen[i] : 1;
        add_wordspan(s, i, n);
        i += n;
    }
    return s->nwords;
}

const vn_token *seg_tokens(const seg *s, size_t *n)
{
    if (n)
        *n = s->ntok;
    return s->toks;
}

const seg_word *seg_words(const seg *s, size_t *n)
{
    if (n)
        *n = s->nwords;
    return s->words;
}

/* ---- abbreviations ---- */

/* The key of a normalised string: without '.', '-', ' '. */
static void strip_key(const char *s, size_t n, sbuf *out)
{
    sbuf_reset(out);
    for (size_t i = 0; i < n; i++)
        if (s[i] != '.' && s[i] != '-' && s[i] != ' ')
            sbuf_addc(out, s[i]);
    if (!out->s)
        sbuf_add(out, "", 0);
}

/* The key of any text: its norm (or fold) form's. */
static void abbr_key(const char *s, size_t n, int fold, sbuf *out)
{
    sbuf tmp = {0};
    if (fold)
        vn_fold(s, n, &tmp);
    else
        vn_norm(s, n, &tmp);
    strip_key(tmp.s ? tmp.s : "", tmp.len, out);
    sbuf_free(&tmp);
}

/* The entries' keys (exact and folded) and the hash tables of the keys
 * and expansions come from gen-lexicon.py (seg_abbr_forms, seg_abbr_slots;
 * abbr_prebuilt_ok checks them). Built when first asked for, for the
 * indexer alone: the
 * syllables of each expansion and a hash from an expansion's last syllable
 * to the entries it ends (chained through next_end), so that it turns most
 * words away with one probe. */
#define END_SLOTS SEG_ABBR_SLOTS
_Static_assert(SEG_ABBR_PARTS == SEG_ABBR_MAX_PARTS,
               "lib/lexicon_data.h and lib/seg.h agree on the parts");
/* An expansion as spelt out in text: its syllables (norm forms). */
typedef struct spelt {
    size_t n; /* syllables; 0: not tracked (one, or too many) */
    char *syl[SEG_ABBR_MAX_WORDS];
    size_t len[SEG_ABBR_MAX_WORDS];
    int next_end; /* the next entry ending with the same syllable, -1 */
} spelt;
static seg_abbr *abbrs;
static spelt *exps;
static int end_slot[END_SLOTS]; /* first entry ending with a syllable, -1 */

/* entry + 1 by key (0 = free): keys, accent-free keys, expansions,
 * folded expansions */
static const char *key_of(int which, int entry)
{
    return which == 2 ? seg_abbr_table[entry][1]
                      : seg_abbr_forms[entry][which];
}

/* The first entry whose key is s[0..n) (NUL-terminated) in table, or -1;
 * *slot: where it is, or the free slot where it would go. */
static int key_find(const short *table, int which, const char *s, size_t n,
                    size_t *slot)
{
    size_t j = (size_t)syl_hash(s, n) & (END_SLOTS - 1);
    for (int e; (e = table[j]); j = (j + 1) & (END_SLOTS - 1))
        if (!strcmp(key_of(which, e - 1), s))
            break;
    *slot = j;
    return table[j] - 1;
}

static int key_get(int which, const char *s, size_t n)
{
    size_t j;
    return key_find(seg_abbr_slots[which], which, s, n, &j);
}
static pthread_once_t abbr_once = PTHREAD_ONCE_INIT;
static pthread_once_t exps_once = PTHREAD_ONCE_INIT;

/* The last syllable of a tracked expansion. */
#define LAST(x) ((x)->syl[(x)->n - 1])
#define LAST_LEN(x) ((x)->len[(x)->n - 1])

static void abbr_init(void)
{
    abbrs = xcalloc(seg_abbr_n + 1, sizeof *abbrs);
    for (size_t i = 0; i < seg_abbr_n; i++) {
        abbrs[i].abbr = seg_abbr_table[i][0];
        abbrs[i].fold = seg_abbr_forms[i][2];
        abbrs[i].expansion = seg_abbr_table[i][1];
    }
}

/* The entry whose key is k, first of its key (the one lookups find). */
static int first_of_key(const char *k)
{
    size_t j;
    return key_find(seg_abbr_slots[0], 0, k, strlen(k), &j);
}

/* Entry i as made of others from its key's rest k and its expansion's
 * rest x on, parts[0..np) found so far: gen-lexicon.py's abbr_parts, the
 * same depth-first search in entry order.  Returns the number of parts
 * (>= 2), or 0. */
static size_t parts_search(size_t i, const char *k, const char *x,
                           short *parts, size_t np)
{
    if (!*k && !*x)
        return np >= 2 ? np : 0;
    if (!*k || !*x || np == SEG_ABBR_PARTS)
        return 0;
    for (size_t j = 0; j < seg_abbr_n; j++) {
        const char *kj = seg_abbr_forms[j][0], *xj = seg_abbr_table[j][1];
        size_t lk = strlen(kj), lx = strlen(xj), r;
        if (j == i || !lk || first_of_key(kj) != (int)j ||
            strncmp(k, kj, lk) != 0 || strncmp(x, xj, lx) != 0 ||
            (x[lx] != '\0' && x[lx] != ' '))
            continue;
        parts[np] = (short)(j + 1);
        if ((r = parts_search(i, k + lk, x + lx + (x[lx] == ' '), parts,
                              np + 1)))
            return r;
    }
    return 0;
}

/* seg_abbr_made_of and seg_abbr_whole_list are what parts_search finds. */
static int parts_ok(void)
{
    size_t w = 0;
    for (size_t i = 0; i < seg_abbr_n; i++) {
        short parts[SEG_ABBR_PARTS] = {0};
        size_t np = parts_search(i, seg_abbr_forms[i][0],
                                 seg_abbr_table[i][1], parts, 0);
        for (size_t j = np; j < SEG_ABBR_PARTS; j++)
            parts[j] = 0;
        if (memcmp(parts, seg_abbr_made_of[i], sizeof parts) != 0)
            return 0;
        if (np && (w == seg_abbr_whole_n ||
                   seg_abbr_whole_list[w++] != (short)i))
            return 0;
    }
    return w == seg_abbr_whole_n && seg_abbr_whole_list[w] == -1;
}

/* The generated forms and tables are what abbr_key, vn_fold_norm, vn_fold
 * and insertion in entry order (the first entry of a key wins) make. */
static int abbr_prebuilt_ok(void)
{
    sbuf k = {0};
    short table[END_SLOTS];
    int ok = 1;
    for (size_t i = 0; ok && i < seg_abbr_n; i++) {
        const char *a = seg_abbr_table[i][0], *x = seg_abbr_table[i][1];
        for (int fold = 0; fold < 2 && ok; fold++) {
            abbr_key(a, strlen(a), fold, &k);
            ok = !strcmp(k.s, seg_abbr_forms[i][fold]);
        }
        sbuf_reset(&k);
        vn_fold_norm(a, strlen(a), &k);
        ok = ok && k.s && !strcmp(k.s, seg_abbr_forms[i][2]);
        sbuf_reset(&k);
        vn_fold(x, strlen(x), &k);
        ok = ok && k.s && !strcmp(k.s, seg_abbr_forms[i][3]);
    }
    for (int which = 0; ok && which < 4; which++) {
        memset(table, 0, sizeof table);
        for (size_t i = 0; i < seg_abbr_n; i++) {
            const char *key = key_of(which, (int)i);
            size_t j;
            if (*key && key_find(table, which, key, strlen(key), &j) < 0)
                table[j] = (short)(i + 1);
        }
        ok = !memcmp(table, seg_abbr_slots[which], sizeof table);
    }
    sbuf_free(&k);
    return ok && parts_ok();
}

/* The expansions' syllables, for the indexer alone (seg_abbr_ending): a
 * searcher never needs them, and tokenising them is most of the cost of
 * the table. */
static void exps_init(void)
{
    sbuf t = {0};
    pthread_once(&abbr_once, abbr_init);
    exps = xcalloc(seg_abbr_n + 1, sizeof *exps);
    for (size_t j = 0; j < END_SLOTS; j++)
        end_slot[j] = -1;
    for (size_t i = 0; i < seg_abbr_n; i++) {
        const char *e = seg_abbr_table[i][1];
        spelt *x = &exps[i];
        char *save = NULL, *p;
        size_t words = 0;
        /* the syllables as the tokenizer normalises them */
        sbuf_reset(&t);
        vn_norm(e, strlen(e), &t);
        for (p = strtok_r(t.s, " ", &save); p; p = strtok_r(NULL, " ", &save))
            if (words++ < SEG_ABBR_MAX_WORDS) {
                x->syl[words - 1] = xstrdup(p);
                x->len[words - 1] = strlen(p);
            }
        x->n = words >= 2 && words <= SEG_ABBR_MAX_WORDS ? words : 0;
        if (!x->n)
            continue;
        size_t j = (size_t)syl_hash(LAST(x), LAST_LEN(x)) & (END_SLOTS - 1);
        /* a slot holds the entries of one last syllable, chained */
        while (end_slot[j] >= 0 && strcmp(LAST(&exps[end_slot[j]]), LAST(x)))
            j = (j + 1) & (END_SLOTS - 1);
        x->next_end = end_slot[j];
        end_slot[j] = (int)i;
    }
    sbuf_free(&t);
}

const seg_abbr *seg_abbr_lookup(const char *s, size_t len)
{
    sbuf k = {0};
    const seg_abbr *r = NULL;
    pthread_once(&abbr_once, abbr_init);
    for (int fold = 0; fold < 2 && !r; fold++) { /* exact, then accentless */
        abbr_key(s, len, fold, &k);
        int i = k.len ? key_get(fold, k.s, k.len) : -1;
        if (i >= 0)
            r = &abbrs[i];
    }
    sbuf_free(&k);
    return r;
}

const char *seg_abbr_expand(const char *abbr, size_t len)
{
    const seg_abbr *a = seg_abbr_lookup(abbr, len);
    return a ? a->expansion : NULL;
}

const seg_abbr *seg_abbr_of_norm(const char *norm, size_t len, sbuf *scratch)
{
    pthread_once(&abbr_once, abbr_init);
    strip_key(norm, len, scratch);
    int i = scratch->len ? key_get(0, scratch->s, scratch->len) : -1;
    return i >= 0 ? &abbrs[i] : NULL;
}

size_t seg_abbr_ending(const char *const *norms, const size_t *lens, size_t n,
                       const seg_abbr **out, size_t max)
{
    size_t got = 0, ln;
    const char *last;
    if (n < 2 || !max)
        return 0;
    pthread_once(&exps_once, exps_init);
    last = norms[n - 1];
    ln = lens[n - 1];
    size_t j = (size_t)syl_hash(last, ln) & (END_SLOTS - 1);
    /* the slot of this last syllable, if any */
    while (end_slot[j] >= 0 &&
           (LAST_LEN(&exps[end_slot[j]]) != ln ||
            memcmp(LAST(&exps[end_slot[j]]), last, ln) != 0))
        j = (j + 1) & (END_SLOTS - 1);
    for (int e = end_slot[j]; e >= 0 && got < max; e = exps[e].next_end) {
        const spelt *x = &exps[e];
        size_t m = 0;
        if (x->n > n)
            continue;
        /* the words before the last one */
        while (m + 1 < x->n && lens[n - x->n + m] == x->len[m] &&
               memcmp(norms[n - x->n + m], x->syl[m], x->len[m]) == 0)
            m++;
        if (m + 1 == x->n)
            out[got++] = &abbrs[e];
    }
    return got;
}

const seg_abbr *seg_abbr_spelt(const char *words, size_t len, int fold)
{
    sbuf k = {0};
    const seg_abbr *r = NULL;
    pthread_once(&abbr_once, abbr_init);
    if (fold)
        vn_fold(words, len, &k);
    else
        vn_norm(words, len, &k);
    int i = k.len ? key_get(fold ? 3 : 2, k.s, k.len) : -1;
    if (i >= 0)
        r = &abbrs[i];
    sbuf_free(&k);
    return r;
}

const char *seg_abbr_find(const char *words, size_t len)
{
    const seg_abbr *r = seg_abbr_spelt(words, len, 0);
    return r ? r->abbr : NULL;
}

size_t seg_abbr_parts(const seg_abbr *ab, const seg_abbr **parts)
{
    size_t n = 0;
    pthread_once(&abbr_once, abbr_init);
    const short *p = seg_abbr_made_of[ab - abbrs];
    while (n < SEG_ABBR_PARTS && p[n]) {
        parts[n] = &abbrs[p[n] - 1];
        n++;
    }
    return n;
}

size_t seg_abbr_nwholes(void) { return seg_abbr_whole_n; }

const seg_abbr *seg_abbr_whole(size_t i)
{
    pthread_once(&abbr_once, abbr_init);
    return i < seg_abbr_whole_n ? &abbrs[seg_abbr_whole_list[i]] : NULL;
}

size_t seg_abbr_count(void) { return seg_abbr_n; }

void seg_abbr_get(size_t i, const char **abbr, const char **expansion)
{
    if (i >= seg_abbr_n) {
        *abbr = *expansion = NULL;
        return;
    }
    *abbr = seg_abbr_table[i][0];
    *expansion = seg_abbr_table[i][1];
}
