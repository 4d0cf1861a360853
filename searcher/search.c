/* search.c — see search.h.
 *
 * Query language (this version): words, "quoted phrases", -exclusion,
 * OR between items, parentheses.  Each word goes through lib/analyze's
 * tokenizer.  A word typed without accents matches every accented form the
 * index holds (one SYNONYM group); a word typed with accents matches its
 * exact form first and the other forms far below, so "đường" ranks đường
 * above dương.  Adjacent query syllables add a phrase bonus, so "cần thơ"
 * ranks the city above "cần đọc thơ".  A compound (COVID-19, U.23) is its
 * parts written together or apart, and two words that may be one's parts
 * ("u 23") also match it written together.  When nothing matches every
 * word, the query is relaxed to OR and the result says so.
 */
#include "search.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "corpus.h"
#include "date.h"
#include "docdata.h"
#include "json.h"
#include "schema.h"
#include "seg.h"
#include "unicode.h"
#include "vn.h"
#include "xap.h"

/* The forms of a folded word that the index holds, with their document
 * frequencies, cached across queries (the cache is emptied when the db
 * changes or fills up). */
typedef struct forms {
    char *fold;
    char **v;
    uint32_t *tf;
    size_t n;
    uint64_t total; /* sum of tf */
} forms;

static const unsigned no_slots[1]; /* values read: none */

#define FORMS_CACHE 4096 /* slots (a power of two, at most 65536) */

struct srch {
    xap_db *db;
    vn_tok *tok, *tok2; /* tok2: a second tokenizer, for snippets */
    an_ctx *an;
    forms *cache; /* open addressing on fold; fold NULL = free */
    uint16_t *used; /* the slots filled, ncached of them */
    size_t ncached;
    /* the db paths, and what each named at open (xap_db_fingerprint): a
     * db swapped in by timtin-index --full (a new directory under the
     * same name), or a stub that lists another set (a year's db added by
     * --shard-by year), is opened anew */
    char **paths;
    size_t npaths;
    char **fp;
    size_t cache_bytes; /* srch_cache_postings (kept across a reopen) */
    /* the corpora whole texts are read from (DD_PLACE): srch_corpus's
     * (corpus_given; "" none), else each db's META_CORPUS_DIR (distinct),
     * read when a snippet first needs them (corpus_read), again after a
     * reopen */
    char *corpus, **dirs;
    size_t ndirs;
    int corpus_given, corpus_read;
};

/* Empty the forms cache.  Only the slots filled are touched: a searcher
 * run once for a query does not fault in the pages of the others. */
static void cache_clear(srch *s)
{
    for (size_t k = 0; k < s->ncached; k++) {
        forms *f = &s->cache[s->used[k]];
        for (size_t j = 0; j < f->n; j++)
            free(f->v[j]);
        free(f->v);
        free(f->tf);
        free(f->fold);
        memset(f, 0, sizeof *f);
    }
    s->ncached = 0;
}

static int collect_form(void *arg, const char *norm, size_t len)
{
    void **a = arg;
    srch *s = a[0];
    forms *f = a[1];
    uint32_t tf = 0;
    if (xap_db_termfreq(s->db, norm, len, &tf, NULL) == TT_OK && tf > 0) {
        f->v = xrealloc(f->v, (f->n + 1) * sizeof *f->v);
        f->tf = xrealloc(f->tf, (f->n + 1) * sizeof *f->tf);
        f->v[f->n] = xstrndup(norm, len);
        f->tf[f->n] = tf;
        f->total += tf;
        f->n++;
    }
    return 0;
}

/* The forms of fold in the index (cached). */
static const forms *forms_of(srch *s, const char *fold)
{
    size_t n = strlen(fold);
    uint64_t h = tt_fnv1a(fold, n);
    size_t i = (size_t)h & (FORMS_CACHE - 1);
    while (s->cache[i].fold) {
        if (!strcmp(s->cache[i].fold, fold))
            return &s->cache[i];
        i = (i + 1) & (FORMS_CACHE - 1);
    }
    if (s->ncached >= FORMS_CACHE / 2) { /* full: start again */
        cache_clear(s);
        i = (size_t)h & (FORMS_CACHE - 1);
    }
    forms *f = &s->cache[i];
    void *arg[2] = {s, f};
    f->fold = xstrdup(fold);
    an_variants(s->an, fold, n, collect_form, arg);
    s->used[s->ncached++] = (uint16_t)i;
    return f;
}

/* Remember what each path names now. */
static void stat_paths(srch *s)
{
    for (size_t i = 0; i < s->npaths; i++) {
        free(s->fp[i]);
        s->fp[i] = xap_db_fingerprint(s->paths[i]);
    }
}

static int same_paths(const srch *s)
{
    int same = 1;
    for (size_t i = 0; same && i < s->npaths; i++) {
        char *now = xap_db_fingerprint(s->paths[i]);
        same = now && s->fp[i] && !strcmp(now, s->fp[i]);
        free(now);
    }
    return same;
}

/* Open the dbs and check the analyzer version. */
static int open_dbs(const char *const *dbs, size_t n, xap_db **out,
                    tt_err *e)
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
    if (rc == TT_OK)
        rc = an_check_version(v, vlen, docs, "the index", e);
    free(v);
    /* in our words, as srch_run says it of a search's reads */
    if (rc == TT_ECHANGED && xap_db_changed(db))
        tt_seterr(e, TT_ECHANGED, "the index changed while it was opened; "
                                  "retried %u times", xap_db_changed(db));
    if (rc)
        xap_db_close(db);
    else
        *out = db;
    return rc;
}

int srch_open(const char *const *dbs, size_t n, srch **out, tt_err *e)
{
    srch *s = xcalloc(1, sizeof *s);
    int rc;

    *out = NULL;
    s->npaths = n;
    s->paths = xcalloc(n, sizeof *s->paths);
    s->fp = xcalloc(n, sizeof *s->fp);
    for (size_t i = 0; i < n; i++)
        s->paths[i] = xstrdup(dbs[i]);
    /* what the paths name is noted before opening: a db an indexer swaps
     * in while Xapian opens the old one (its version file from the one, a
     * table from the other: "EOF reading block") has the open tried again,
     * and one swapped in after it is seen by the first search (refresh) */
    for (int tries = 1;; tries++) {
        stat_paths(s);
        rc = open_dbs(dbs, n, &s->db, e);
        if (!rc || tries == 3 ||
            (rc != TT_EXAPIAN && rc != TT_ECORRUPT && rc != TT_ECHANGED) ||
            same_paths(s))
            break;
    }
    if (rc) {
        srch_close(s);
        return rc;
    }
    s->tok = vn_tok_new();
    s->tok2 = vn_tok_new();
    s->an = an_new();
    s->cache = xcalloc(FORMS_CACHE, sizeof *s->cache);
    s->used = xcalloc(FORMS_CACHE / 2, sizeof *s->used);
    *out = s;
    return TT_OK;
}

/* Move to the latest committed revision, or open the dbs anew when one was
 * swapped for another under its name or a stub lists others. */
static int refresh(srch *s, tt_err *e)
{
    int changed = 0, rc;
    if (!same_paths(s)) {
        xap_db *db = NULL;
        stat_paths(s); /* before opening: a swap after it is seen next time */
        if ((rc = open_dbs((const char *const *)s->paths, s->npaths, &db,
                           e))) {
            for (size_t i = 0; i < s->npaths; i++) { /* try again next time */
                free(s->fp[i]);
                s->fp[i] = NULL;
            }
            return rc;
        }
        xap_db_close(s->db);
        s->db = db;
        xap_db_cache_postings(db, s->cache_bytes);
        cache_clear(s);
        s->corpus_read = 0;
        return TT_OK;
    }
    if ((rc = xap_db_reopen(s->db, &changed, e)))
        return rc;
    if (changed) {
        cache_clear(s);
        s->corpus_read = 0;
    }
    return TT_OK;
}

void srch_cache_postings(srch *s, size_t bytes)
{
    s->cache_bytes = bytes;
    if (s->db) /* (else set when it opens) */
        xap_db_cache_postings(s->db, bytes);
}

int srch_idle(srch *s)
{
    if (!s || !s->db || same_paths(s))
        return 0;
    /* the old files' space comes back now, not at the next search; that
     * search opens what the paths name then (refresh: no fingerprint
     * matches) */
    xap_db_close(s->db);
    s->db = NULL;
    cache_clear(s);
    for (size_t i = 0; i < s->npaths; i++) {
        free(s->fp[i]);
        s->fp[i] = NULL;
    }
    return 1;
}

void srch_cache_blocks(size_t bytes)
{
    xap_blocks_budget(bytes);
}

int srch_cache_report(srch *s, sbuf *out)
{
    xap_cache_stats st;
    xap_blocks_info bi;
    int any = 0;
    if (s && xap_db_cache_stats(s->db, &st)) {
        sbuf_addf(out,
                  "posting cache: %zu lists, %.1f of %.0f MB; %llu lists "
                  "found decoded, %llu decoded, %llu dropped for room",
                  st.lists, (double)st.bytes / 1048576.0,
                  (double)st.budget / 1048576.0, (unsigned long long)st.hits,
                  (unsigned long long)st.decodes,
                  (unsigned long long)st.evictions);
        any = 1;
    }
    xap_blocks_stats(&bi);
    if (s && bi.budget) {
        sbuf_addf(out,
                  "%sblock cache: %.1f of %.0f MB; %llu reads found there, "
                  "%llu passed on",
                  any ? "; " : "", (double)bi.bytes / 1048576.0,
                  (double)bi.budget / 1048576.0, (unsigned long long)bi.hits,
                  (unsigned long long)bi.misses);
        any = 1;
    }
    return any;
}

void srch_close(srch *s)
{
    if (!s)
        return;
    xap_db_close(s->db);
    vn_tok_free(s->tok);
    vn_tok_free(s->tok2);
    an_free(s->an);
    cache_clear(s);
    free(s->cache);
    free(s->used);
    for (size_t i = 0; i < s->npaths; i++) {
        free(s->paths[i]);
        free(s->fp[i]);
    }
    free(s->paths);
    free(s->fp);
    free(s->corpus);
    for (size_t i = 0; i < s->ndirs; i++)
        free(s->dirs[i]);
    free(s->dirs);
    free(s);
}

void srch_corpus(srch *s, const char *dir)
{
    free(s->corpus);
    s->corpus = dir ? xstrdup(dir) : NULL;
    s->corpus_given = dir != NULL;
}

static void add_dir(void *arg, const char *v, size_t n)
{
    srch *s = arg;
    if (!n || memchr(v, '\0', n))
        return;
    for (size_t i = 0; i < s->ndirs; i++)
        if (strlen(s->dirs[i]) == n && !memcmp(s->dirs[i], v, n))
            return;
    s->dirs = xrealloc(s->dirs, (s->ndirs + 1) * sizeof *s->dirs);
    s->dirs[s->ndirs++] = xstrndup(v, n);
}

/* The directories of the corpora whole texts are read from, *n of them:
 * srch_corpus's, else those the dbs name (one for dbs built from one
 * corpus, the dbs per year of --shard-by year too). */
static char *const *corpus_dirs(srch *s, size_t *n)
{
    if (s->corpus_given) {
        *n = *s->corpus != '\0';
        return &s->corpus;
    }
    if (!s->corpus_read) {
        s->corpus_read = 1;
        for (size_t i = 0; i < s->ndirs; i++)
            free(s->dirs[i]);
        s->ndirs = 0;
        xap_db_metadata_each(s->db, META_CORPUS_DIR, add_dir, s, NULL);
    }
    *n = s->ndirs;
    return s->dirs;
}

int srch_corpus_check(srch *s, tt_err *e)
{
    size_t n;
    char *const *dirs = corpus_dirs(s, &n);
    sbuf first = {0};
    int rc = TT_OK;
    /* each one's first file: a directory may be read by name only */
    for (size_t i = 0; i < n && rc == TT_OK; i++)
        if (access(corpus_file_name(&first, dirs[i], 1), R_OK) != 0)
            rc = tt_seterr(e, errno == ENOENT ? TT_ENOTFOUND : TT_EIO,
                           "the corpus %s, where a snippet reads an "
                           "article's whole text, cannot be read (%s)",
                           dirs[i], strerror(errno));
    sbuf_free(&first);
    return rc;
}

/* ---- query parsing ---------------------------------------------------- */

typedef struct qword {
    char *fold, *norm;
    char *typed; /* as typed, in lower case (NFC): what a suggestion
                    shows of a word it leaves alone (ky, not its norm
                    ki) */
    int exact; /* an accented syllable: it has an exact term */
    int cap;   /* as typed: VN_CAP, VN_ALLCAPS (for suggestions) */
    int syll;  /* a well-formed Vietnamese syllable (for suggestions) */
    int joined; /* joined to the word before by a hyphen (cu-ba) */
    char *parts; /* a compound (an_compound): its parts' folded forms,
                    separated by spaces (100km: "100 km"); fold and norm
                    are joined */
} qword;

/* Two words typed next to each other: their folded terms (positions),
 * and the terms the first pass weighed them by (the exact form of an
 * accented word). */
typedef struct nearpair {
    char *fold[2], *weigh[2];
} nearpair;

typedef struct parser {
    srch *s;
    const char *p, *end;
    uint32_t qpos;
    sbuf t, folds; /* scratch */
    sbuf cfold, cnorm; /* a compound's joined forms (words_of, hits_of) */
    /* every folded query term, for highlighting (and relaxing): hlany[i]
     * when any form of hl[i] matches, else only the forms in hlnorm (a
     * word typed with accents); hl_all: every form, whatever was typed;
     * hltitle[i] when hl[i] was asked for in the title only (title:),
     * as the relaxed query keeps it (in_title: words_of is reading a
     * title: value) */
    char **hl, **hlnorm;
    unsigned char *hlany, *hltitle;
    size_t nhl, hlcap, hlanycap, hltitlecap, nhlnorm, hlnormcap;
    int hl_all, in_title;
    /* and what only highlights: the folded words of an abbreviation's
     * expansion (a run, as one string: "uy ban nhan dan"), or an
     * abbreviation for its expansion */
    char **hlrun;
    size_t nhlrun, hlruncap;
    int nwords;
    /* boolean filters (fields, dates): those of a query that is one
     * group of words apply to the whole query, and to its relaxed forms;
     * in an OR or in parentheses, each group's own filters restrict that
     * group (parse_or) */
    xap_query **filt, **nfilt;
    size_t nf, nnf, fcap, nfcap;
    int inner_filters;         /* some group had its own: never relaxed */
    /* title:"phrases" that restrict the whole query, checked in each
     * candidate's title */
    struct tphrase {
        qword *w;
        size_t n;
    } *tp;
    size_t ntp, tpcap;
    int weighted;              /* some words are searched for, not only
                                  filters */
    char since[15], until[15]; /* the request's date keys, "" = open */
    /* the latest start and the earliest end of the dates that all apply
     * to the alternative being read (its own, not excluded, and those of
     * its groups of one alternative), "" = open: a range they leave
     * empty is an error, as a reversed A..B is */
    char text_lo[15], text_hi[15];
    /* the plain words in order, for "did you mean"; simple = the query
     * was nothing but plain words */
    qword *words;
    size_t nw, wcap;
    int simple;
    sbuf notice;
    unsigned notes;  /* SRCH_NOTE_*, as notice says */
    char *unknown;   /* the first unknown field name */
    int rc;          /* a parse error (invalid date), with err */
    tt_err err;
    /* ranking bonuses (phrases of adjacent words), applied in a second
     * pass to the first pass's best candidates */
    struct bonus *bonus;
    size_t nb, bcap;
    /* proximity: pairs of words typed next to each other, found near
     * each other in a candidate (second pass) */
    struct nearpair *near;
    size_t nnear, nearcap;
    int fallback;    /* accented words also match their other forms */
    int gfield;      /* in a field's (group): the field (F_*) of its
                        words and phrases, else 0 */
    int negated;     /* the query excludes something: never relaxed */
    int accented;    /* some word of the query carries accents */
    sbuf text;       /* the query read (p, end), its quotation marks '"' */
    int names;       /* persons' names among the bonuses (typed_name_at) */
    int ops;         /* the query has AND or NOT (at_op) */
    int phrases;     /* "phrases" of two words or more that must match */
    unsigned listed; /* 1 << F_*: the notice named the index's values */
    int nothing;     /* a filter matches nothing (bool_filter): a query
                        emptied by it is no empty query */
    int unknown_id;  /* the related id names no article */
    char *related_title; /* of the related article, or NULL */
    /* document data read while re-ranking (confirm_readings), kept for
     * the page, which shows most of the same candidates: each read once */
    struct kept_data {
        xap_docid did;
        char *data;
        size_t len;
    } *kept;
    size_t nkept, keptcap;
} parser;

/* A query word to highlight: fold[0..n), in any form when norm is NULL,
 * else only as norm. */
static void hl_add(parser *ps, const char *fold, size_t n, const char *norm)
{
    size_t i;
    for (i = 0; i < ps->nhl; i++)
        if (strlen(ps->hl[i]) == n && !memcmp(ps->hl[i], fold, n))
            break;
    if (i == ps->nhl) {
        xgrow(&ps->hl, &ps->hlcap, ps->nhl + 1, sizeof *ps->hl);
        xgrow(&ps->hlany, &ps->hlanycap, ps->nhl + 1, sizeof *ps->hlany);
        xgrow(&ps->hltitle, &ps->hltitlecap, ps->nhl + 1,
              sizeof *ps->hltitle);
        ps->hl[ps->nhl] = xstrndup(fold, n);
        ps->hltitle[ps->nhl] = 1;
        ps->hlany[ps->nhl++] = 0;
    }
    ps->hlany[i] |= !norm;
    ps->hltitle[i] &= ps->in_title != 0;
    for (i = 0; norm && i < ps->nhlnorm; i++)
        if (!strcmp(ps->hlnorm[i], norm))
            return;
    if (norm) {
        xgrow(&ps->hlnorm, &ps->hlnormcap, ps->nhlnorm + 1,
              sizeof *ps->hlnorm);
        ps->hlnorm[ps->nhlnorm++] = xstrdup(norm);
    }
}

/* Highlight the run of words whose folded forms are those of text
 * (norm or fold words), wherever the words stand together. */
static void hlrun_add(parser *ps, const char *text)
{
    sbuf f = {0};
    vn_fold(text, strlen(text), &f);
    for (size_t i = 0; i < ps->nhlrun && f.len; i++)
        if (!strcmp(ps->hlrun[i], f.s))
            f.len = 0;
    if (f.len) {
        xgrow(&ps->hlrun, &ps->hlruncap, ps->nhlrun + 1, sizeof *ps->hlrun);
        ps->hlrun[ps->nhlrun++] = sbuf_detach(&f, NULL);
    }
    sbuf_free(&f);
}

static xap_query *term_q(parser *ps, const char *prefix, const char *s,
                         size_t n)
{
    sbuf_reset(&ps->t);
    sbuf_adds(&ps->t, prefix);
    sbuf_add(&ps->t, s, n);
    return xap_q_term(ps->t.s, ps->t.len, 1, ++ps->qpos);
}

static void typed_plain(parser *ps, qword *w, size_t n);

/* Tokenise text[0..n) into query words. */
static size_t words_of(parser *ps, const char *text, size_t n, qword **out)
{
    vn_token tk;
    size_t cnt = 0, cap = 0, prev_end = (size_t)-1;
    qword *w = NULL;
    vn_tok_start(ps->s->tok, text, n);
    while (vn_tok_next(ps->s->tok, &tk)) {
        if (!an_indexable(&tk) || tk.fold_len > XAP_MAX_TERM - 2)
            continue;
        int joined = cnt && tk.off == prev_end + 1 && text[prev_end] == '-';
        prev_end = tk.off + tk.len;
        xgrow(&w, &cap, cnt + 1, sizeof *w);
        if (!tk.fold_len) { /* marks alone: indexed as they are */
            tk.fold = tk.norm;
            tk.fold_len = tk.norm_len;
        }
        /* a compound (COVID-19, 100km, 1.500.000đ) is its parts
         * written together, the term the index holds (lib/analyze.h) */
        an_part part[AN_MAX_PARTS];
        size_t np = an_compound(&tk, part, &ps->cfold, &ps->cnorm);
        w[cnt].parts = NULL;
        if (np) {
            sbuf b = {0};
            for (size_t k = 0; k < np; k++) {
                if (k)
                    sbuf_addc(&b, ' ');
                sbuf_add(&b, part[k].fold, part[k].flen);
            }
            w[cnt].parts = sbuf_detach(&b, NULL);
            hlrun_add(ps, w[cnt].parts); /* written apart */
            tk.fold = ps->cfold.s;
            tk.fold_len = ps->cfold.len;
            tk.norm = ps->cnorm.s;
            tk.norm_len = ps->cnorm.len;
        }
        /* a percentage (10%): its own term, which the index gives the
         * number beside the number's (an_token_extras) */
        an_extra pct[AN_MAX_EXTRA];
        if (tk.kind == VN_NUMBER && an_token_extras(&tk, text, n, pct) == 1) {
            tk.fold = tk.norm = pct[0].s;
            tk.fold_len = tk.norm_len = pct[0].len;
        }
        w[cnt].fold = xstrndup(tk.fold, tk.fold_len);
        w[cnt].norm = xstrndup(tk.norm, tk.norm_len);
        {
            sbuf t = {0};
            uni_nfc(text + tk.off, tk.len, 1, &t);
            w[cnt].typed = sbuf_detach(&t, NULL);
        }
        /* typed with accents: exact; a plain syllable too when the query
         * has accents elsewhere (the user types with an input method, so
         * "nam" in "việt nam" means nam), unless typed_plain finds it was
         * typed without them */
        w[cnt].exact = (tk.flags & VN_SYLL) &&
                       ((tk.flags & VN_ACCENT) || ps->accented);
        w[cnt].cap = tk.flags & (VN_CAP | VN_ALLCAPS);
        w[cnt].syll = (tk.flags & VN_SYLL) != 0;
        w[cnt].joined = joined;
        cnt++;
    }
    if (ps->accented)
        typed_plain(ps, w, cnt);
    /* highlighted as it matches: as typed, or in any form */
    for (size_t i = 0; i < cnt; i++)
        hl_add(ps, w[i].fold, strlen(w[i].fold),
               w[i].exact && !ps->fallback ? w[i].norm : NULL);
    *out = w;
    return cnt;
}

static void remember_words(parser *ps, const qword *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xgrow(&ps->words, &ps->wcap, ps->nw + 1, sizeof *ps->words);
        ps->words[ps->nw].fold = xstrdup(w[i].fold);
        ps->words[ps->nw].norm = xstrdup(w[i].norm);
        ps->words[ps->nw].typed = xstrdup(w[i].typed ? w[i].typed : w[i].norm);
        ps->words[ps->nw].exact = w[i].exact;
        ps->words[ps->nw].cap = w[i].cap;
        ps->words[ps->nw].syll = w[i].syll;
        ps->words[ps->nw].joined = w[i].joined;
        ps->words[ps->nw].parts = w[i].parts ? xstrdup(w[i].parts) : NULL;
        ps->nw++;
    }
}

static void words_free(qword *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(w[i].fold);
        free(w[i].norm);
        free(w[i].typed);
        free(w[i].parts);
    }
    free(w);
}

/* How much a form other than the one typed counts, for an accented word:
 * "đường" also finds dương and đương, ranked below. */
#define FALLBACK_WEIGHT 0.25
/* How much a word found in the title adds, relative to the body. */
#define TITLE_WEIGHT 3.0
/* How much a title writing a lexicon reading of accent-free words adds
 * (its forms, first pass).  Dev MRR@10 accent-free: 0.874 without, 0.878
 * at 0.75 and 1.5, 0.875 at 3; accented unchanged (0.915); names only:
 * 0.874. */
#define READING_TITLE_WEIGHT 1.5
/* How much adjacent query words found together add (second pass). */
#define PHRASE_WEIGHT 0.3
#define NAME_WEIGHT 3.0
/* candidates re-ranked when the query names a person (typed_name_at):
 * "Nguyễn Văn Hùng" was 19th in 186,135 articles, below titles of Nguyễn
 * Văn Trỗi the hero (anh hùng); +1.7 ms for it, 8 of the 914 dev
 * variants' lists changed, MRR unchanged */
#define NAME_RERANK 30
/* Proximity (second pass): each pair of words typed next to each other
 * adds PROX_WEIGHT times the commoner word's idf times 1 / (1 + PROX_K d^2),
 * d the fewest words between their occurrences (in either order) when at
 * most PROX_WINDOW: 1/2 side by side, 1/5 one word apart...  (BM25TP's
 * saturation of 1/d^2, Rasolofo and Savoy 2003, over the nearest pair
 * only, which a remote database can answer with NEAR.)  On the dev
 * queries, MRR@10 accented / accent-free: 0.904 / 0.854 without; 0.918 /
 * 0.868 at weight 9, 0.915 / 0.872 at 16, 0.916 / 0.870 at 20, 0.912 /
 * 0.867 at 24. */
#define PROX_WEIGHT 16.0
#define PROX_K 1.0
#define PROX_WINDOW 5
#define BM25_B 0.0
#define BM25_K1 1.0
/* A word's term (text or title) in at least this share of the articles
 * is read from the posting cache, when the searcher keeps one
 * (srch_cache_postings). */
#define CACHED_MIN_SHARE 0.01

/* The forms of w under prefix, as one query: the exact form for an
 * accented word (plus, in fallback mode, every form far below), else the
 * folded term, which holds every form (lib/schema.h). */
static xap_query *forms_q(parser *ps, const char *prefix, const qword *w)
{
    const char *fprefix = *prefix ? PFX_TITLE_FOLD : "";
    xap_query *q;
    if (!w->exact)
        return term_q(ps, fprefix, w->fold, strlen(w->fold));
    q = term_q(ps, prefix, w->norm, strlen(w->norm));
    if (ps->fallback)
        q = xap_q_op2(XAP_OP_OR, q,
                      xap_q_scale(term_q(ps, fprefix, w->fold, strlen(w->fold)),
                                  FALLBACK_WEIGHT));
    return q;
}

/* A plain word's forms under prefix ("" in the text, PFX_TITLE in the
 * title), weighted by factor: for a frequent term (the same term nowhere
 * else in the query, whose wqf it would share) the term from the posting
 * cache, which an AND checks with a lookup instead of decoding its long
 * list up to each candidate. */
static xap_query *body_q(parser *ps, const char *prefix, const qword *w,
                         int repeated, double factor)
{
    if (!ps->fallback && !repeated && BM25_B == 0.0) {
        const char *fprefix = *prefix ? PFX_TITLE_FOLD : "";
        sbuf_reset(&ps->t);
        sbuf_adds(&ps->t, w->exact ? prefix : fprefix);
        sbuf_adds(&ps->t, w->exact ? w->norm : w->fold);
        xap_query *q = xap_q_term_cached(ps->s->db, ps->t.s, ps->t.len,
                                         factor, BM25_K1, CACHED_MIN_SHARE);
        if (q) {
            ++ps->qpos;
            return q;
        }
    }
    return factor == 1.0 ? forms_q(ps, prefix, w)
                         : xap_q_scale(forms_q(ps, prefix, w), factor);
}

/* One word: its forms anywhere, and again in the title, so that a title
 * match counts with the title's own (higher) idf. */
static xap_query *word_q(parser *ps, const qword *w)
{
    return xap_q_op2(XAP_OP_OR, forms_q(ps, "", w),
                     xap_q_scale(forms_q(ps, PFX_TITLE, w), TITLE_WEIGHT));
}

/* Words next to each other (within window positions; 0: adjacent, in
 * order): the phrase of their folded terms, which carry the positions
 * (lib/schema.h).  A word given as norm[i] (non-NULL, with accents) must
 * also be in the article in that form, and weighs as that form: the
 * words' own terms give the weight, the phrase filters. */
static xap_query *phrase_of(parser *ps, const char *const *fold,
                            const char *const *norm, size_t n,
                            unsigned window)
{
    xap_query **subs, *q, *own;
    int exact = 0;
    if (n == 1) /* one word: itself */
        return norm && norm[0] ? term_q(ps, "", norm[0], strlen(norm[0]))
                               : term_q(ps, "", fold[0], strlen(fold[0]));
    subs = xcalloc(n + 1, sizeof *subs);
    for (size_t i = 0; i < n; i++)
        exact |= norm && norm[i] && strcmp(norm[i], fold[i]) != 0;
    for (size_t i = 0; exact && i < n; i++) {
        const char *t = norm && norm[i] ? norm[i] : fold[i];
        subs[i] = term_q(ps, "", t, strlen(t));
    }
    own = exact ? xap_q_op(XAP_OP_AND, subs, n, 0) : NULL;
    for (size_t i = 0; i < n; i++)
        subs[i] = term_q(ps, "", fold[i], strlen(fold[i]));
    q = xap_q_op(XAP_OP_PHRASE, subs, n, window);
    if (own)
        q = xap_q_op2(XAP_OP_FILTER, own, q);
    free(subs);
    return q;
}

/* The readings of w[0..n) (n is 2 or 3) that are built-in words of the
 * lexicon, found by their accent-free form, at most MAX_READINGS: each
 * word typed with accents as typed, each other syllable in a form the
 * index holds.  Their syllables go to reading[k][0..n) (stored in
 * store[k]), their SEG_* bits (SEG_NAME for a proper name) to bits[k].
 * Returns how many. */
#define MAX_READINGS 4
#define READING_SYL 64 /* bytes of a syllable, at most */
/* The built-in words of the lexicon whose accent-free form is that of
 * w[0..n), at most 16, with their SEG_* bits. */
static size_t builtin_readings(parser *ps, const qword *w, size_t n,
                               const char *cand[16], unsigned bits[16])
{
    sbuf *t = &ps->t;
    sbuf_reset(t);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_addc(t, ' ');
        sbuf_adds(t, w[i].fold);
    }
    return seg_builtin_by_fold(t->s, cand, bits, 16);
}

/* Reading r ("hà nội") split into its n syllables, each NUL-terminated in
 * syl: 1, or 0 if it has another number of them or one too long. */
static int split_reading(const char *r, size_t n, char syl[][READING_SYL])
{
    size_t i = 0;
    for (; i < n && *r; i++) {
        size_t len = strcspn(r, " ");
        if (len >= READING_SYL)
            return 0;
        memcpy(syl[i], r, len);
        syl[i][len] = '\0';
        r += len + (r[len] == ' ');
    }
    return i == n && !*r;
}

/* How many articles q matches, counted up to atleast (a lower bound; 0
 * on error); q is freed. */
static uint32_t count_matches(parser *ps, xap_query *q, uint32_t atleast)
{
    xap_search_opts o;
    xap_mset *m = NULL;
    uint32_t est = 0, lo = 0, hi = 0;
    xap_search_opts_init(&o);
    o.skip_data = 1;
    o.value_slots = no_slots;
    o.check_at_least = atleast;
    if (xap_search(ps->s->db, q, 0, 0, &o, &m, NULL) == TT_OK)
        xap_mset_total(m, &est, &lo, &hi);
    xap_mset_free(m);
    xap_q_free(q);
    return lo;
}

/* How many titles write reading[0..n) (hold its forms, S terms: in a
 * title, next to each other nearly always); 0 on error. */
static uint32_t titles_writing(parser *ps, const char *const *reading,
                               size_t n)
{
    xap_query *t[3];
    uint32_t docs = 0;
    for (size_t j = 0; j < n; j++) {
        sbuf_reset(&ps->t);
        sbuf_adds(&ps->t, PFX_TITLE);
        sbuf_adds(&ps->t, reading[j]);
        t[j] = xap_q_term(ps->t.s, ps->t.len, 1, 0);
    }
    xap_query *q = xap_q_op(XAP_OP_AND, t, n, 0);
    if (xap_db_doccount(ps->s->db, &docs, NULL) != TT_OK) {
        xap_q_free(q);
        return 0;
    }
    return count_matches(ps, q, docs);
}

/* In a query with accents, which plain syllables of w[0..n) were typed
 * without them?  Those of two or three neighbouring words that the
 * lexicon reads only with accents on them ("ha noi": hà nội, in "mưa lớn
 * ha noi"), the accented words as typed, where no such word of the
 * lexicon keeps them plain ("lạc quan", "việt nam", "cơ quan y tế") and
 * the titles write that word more than PLAIN_RATIO times as often as the
 * words as typed ("ba con gà": three chickens, though the lexicon has bà
 * con, in only twice as many titles): they are read as in a query
 * without accents (every form, in the title too; the lexicon's readings;
 * abbreviations), the others as typed. */
#define PLAIN_RATIO 20
static void typed_plain(parser *ps, qword *w, size_t n)
{
    char syl[3][READING_SYL];
    unsigned char *kept = xcalloc(n + 1, 2), *dropped = kept + n;
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t l = 2; l <= 3 && i + l <= n; l++) {
            const char *cand[16], *typed[3];
            unsigned bits[16];
            size_t nc = builtin_readings(ps, w + i, l, cand, bits);
            int plain = 0, agree = 0, other = 0;
            uint32_t as_typed_n = UINT32_MAX;
            for (size_t j = i; j < i + l; j++) {
                plain |= w[j].exact && !strcmp(w[j].norm, w[j].fold);
                typed[j - i] = w[j].norm;
            }
            for (size_t c = 0; plain && c < nc; c++) {
                int as_typed = 1, fits = split_reading(cand[c], l, syl);
                for (size_t j = 0; fits && j < l; j++) {
                    int same = !strcmp(syl[j], w[i + j].norm);
                    if (strcmp(w[i + j].norm, w[i + j].fold))
                        fits = same; /* typed with accents: as typed */
                    else
                        as_typed &= same;
                }
                agree |= fits && as_typed;
                if (!fits || as_typed || agree || other)
                    continue;
                const char *r[3] = {syl[0], syl[1], syl[2]};
                if (as_typed_n == UINT32_MAX)
                    as_typed_n = titles_writing(ps, typed, l);
                other = titles_writing(ps, r, l) >
                        (uint64_t)PLAIN_RATIO * as_typed_n;
            }
            for (size_t j = i; j < i + l; j++) {
                kept[j] |= agree;
                dropped[j] |= other && !agree;
            }
        }
    for (size_t j = 0; j < n; j++)
        if (dropped[j] && !kept[j] && !strcmp(w[j].norm, w[j].fold))
            w[j].exact = 0;
    free(kept);
}

static size_t lexicon_readings(parser *ps, const qword *w, size_t n,
                               char store[][3][READING_SYL],
                               const char *reading[][3], unsigned *bits)
{
    const char *cand[16];
    unsigned cbits[16];
    size_t nc = builtin_readings(ps, w, n, cand, cbits), k = 0;
    /* a reading whose syllables the index lacks weighs nothing (its
     * bonus query matches nothing, and weighs the others' terms as if
     * alone); only when there are more readings than places are they
     * looked up, to keep the ones it holds */
    int check = nc > MAX_READINGS;
    for (size_t c = 0; c < nc && k < MAX_READINGS; c++) {
        size_t i = 0;
        if (!split_reading(cand[c], n, store[k]))
            continue;
        for (; i < n; i++) {
            uint32_t tf = 0;
            if (w[i].exact ? strcmp(store[k][i], w[i].norm) != 0
                           : check && (xap_db_termfreq(ps->s->db, store[k][i],
                                                       strlen(store[k][i]),
                                                       &tf, NULL) != TT_OK ||
                                       tf == 0))
                break;
        }
        if (i < n)
            continue;
        for (i = 0; i < n; i++)
            reading[k][i] = store[k][i];
        bits[k++] = cbits[c];
    }
    return k;
}

/* A ranking bonus: the words fold[0..n) standing together, in this order,
 * written as reading[0..n) (confirm_readings, when check), add scale
 * times the weight of weigh[0..n): the reading's own forms when it has
 * accents the typed words lack, else the folded terms. */
typedef struct bonus {
    char *fold[3], *weigh[3], *reading[3];
    unsigned char any[3]; /* no reading given: the word in any form */
    size_t n;
    double scale;
    int check; /* the terms cannot tell it from another reading */
} bonus;

/* others: the same words have other readings. */
static void add_bonus(parser *ps, const char *const *fold,
                      const char *const *reading, size_t n, double scale,
                      int others)
{
    int exact = 0;
    bonus *b;
    for (size_t i = 0; i < n; i++)
        exact |= reading[i] && strcmp(reading[i], fold[i]) != 0;
    for (size_t k = 0; k < ps->nb; k++) { /* a phrase typed twice */
        size_t i = 0;
        b = &ps->bonus[k];
        while (i < n && i < b->n && !strcmp(b->fold[i], fold[i]) &&
               !strcmp(b->reading[i], reading[i] ? reading[i] : fold[i]))
            i++;
        if (b->n == (n < 3 ? n : 3) && i == b->n)
            return;
    }
    xgrow(&ps->bonus, &ps->bcap, ps->nb + 1, sizeof *ps->bonus);
    b = &ps->bonus[ps->nb++];
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < n && i < 3; i++) {
        b->fold[i] = xstrdup(fold[i]);
        b->weigh[i] = xstrdup(exact && reading[i] ? reading[i] : fold[i]);
        b->reading[i] = xstrdup(reading[i] ? reading[i] : fold[i]);
        b->any[i] = !reading[i];
        /* a plain syllable's term is its folded one, every form: a
         * reading that writes it so is checked */
        b->check |= reading[i] && !strcmp(reading[i], fold[i]);
    }
    b->n = n < 3 ? n : 3;
    b->scale = scale;
    b->check |= others;
}

/* ---- abbreviations (lib/seg.h) ---------------------------------------- */

/* How many of the words w[0..n) spell out e's expansion: each typed with
 * accents as written there, any other in any form; 0 if they don't. */
static size_t spells(const qword *w, size_t n, const seg_abbr *e)
{
    const char *x = e->expansion;
    size_t i = 0;
    sbuf f = {0};
    for (; *x && i < n; i++) {
        size_t l = strcspn(x, " ");
        if (w[i].exact) {
            if (strlen(w[i].norm) != l || memcmp(w[i].norm, x, l) != 0)
                break;
        } else {
            sbuf_reset(&f);
            vn_fold(x, l, &f);
            if (!f.s || strcmp(f.s, w[i].fold) != 0)
                break;
        }
        x += l + (x[l] == ' ');
    }
    sbuf_free(&f);
    return *x ? 0 : i;
}

/* The entry whose expansion the words from w[0] on spell out, the
 * longest (as typed, or without marks for the words typed without), with
 * its number of words in *len; NULL if none. */
static const seg_abbr *spelt_at(const qword *w, size_t n, size_t *len)
{
    const seg_abbr *e = NULL;
    sbuf key = {0};
    for (size_t l = n < SEG_ABBR_MAX_WORDS ? n : SEG_ABBR_MAX_WORDS;
         l >= 2 && !e; l--) {
        int fold = 1; /* typed without accents: folded expansions */
        sbuf_reset(&key);
        for (size_t j = 0; j < l; j++)
            fold &= !w[j].exact;
        for (size_t j = 0; j < l; j++) {
            if (j)
                sbuf_addc(&key, ' ');
            sbuf_adds(&key, fold ? w[j].fold : w[j].norm);
        }
        e = seg_abbr_spelt(key.s, key.len, fold);
        if (e && spells(w, l, e) != l)
            e = NULL;
        *len = l;
    }
    sbuf_free(&key);
    return e;
}

/* How many words from w[0] on stand for entry e: 1 for a word that is an
 * abbreviation of it (*spelt = 0), or its expansion spelt out (*spelt =
 * 1); 0 if neither. */
static size_t entry_words(const qword *w, size_t n, const seg_abbr *e,
                          int *spelt)
{
    *spelt = 0;
    if (n && seg_abbr_lookup(w[0].norm, strlen(w[0].norm)) == e)
        return 1;
    *spelt = 1;
    return spells(w, n, e);
}

/* Highlight every spelling of e: its abbreviation (in any of its forms,
 * mark_runs), its expansion, for an entry made of parts theirs in any mix
 * (TP HCM, TP Hồ Chí Minh, thành phố HCM), and the entries it is a part
 * of, written in one word (TP.HCM for HCM). */
static void hl_entry(parser *ps, const seg_abbr *e)
{
    const seg_abbr *part[SEG_ABBR_MAX_PARTS];
    size_t np = seg_abbr_parts(e, part);
    sbuf run = {0};
    hlrun_add(ps, e->abbr);
    hlrun_add(ps, e->expansion);
    for (unsigned mix = 0; np && mix + 1 < 1u << np; mix++) {
        sbuf_reset(&run);
        for (size_t k = 0; k < np; k++) {
            if (k)
                sbuf_addc(&run, ' ');
            sbuf_adds(&run, mix >> k & 1 ? part[k]->expansion : part[k]->abbr);
        }
        hlrun_add(ps, run.s);
    }
    for (size_t i = 0; i < seg_abbr_nwholes(); i++) {
        const seg_abbr *whole = seg_abbr_whole(i);
        size_t nw = seg_abbr_parts(whole, part);
        for (size_t k = 0; k < nw; k++)
            if (part[k] == e)
                hlrun_add(ps, whole->abbr);
    }
    sbuf_free(&run);
}

/* The term of abbreviation e for words w[0..n) that spell it: its exact
 * form when some word was typed with accents, else the folded one. */
static xap_query *abbr_term_q(parser *ps, const qword *w, size_t n,
                              const seg_abbr *e)
{
    int exact = 0;
    for (size_t i = 0; i < n; i++)
        exact |= w[i].exact;
    const char *t = exact ? e->abbr : e->fold;
    return term_q(ps, "", t, strlen(t));
}

/* Entry e standing for the words w[0..len).  Spelt out: its words, or
 * its term.  Typed as one word, as the table writes it or folded: its own
 * terms find every spelling; typed another way (TPHCM): the table's
 * too. */
static xap_query *entry_q(parser *ps, const qword *w, size_t len,
                          const seg_abbr *e, int spelt)
{
    xap_query *q;
    if (spelt) {
        xap_query **sub = xcalloc(len, sizeof *sub);
        for (size_t j = 0; j < len; j++)
            sub[j] = word_q(ps, &w[j]);
        q = xap_q_op2(XAP_OP_OR, xap_q_op(XAP_OP_AND, sub, len, 0),
                      abbr_term_q(ps, w, len, e));
        free(sub);
        return q;
    }
    q = word_q(ps, &w[0]);
    if (strcmp(w[0].norm, e->abbr) && strcmp(w[0].norm, e->fold)) {
        qword c = {.fold = (char *)e->fold, .norm = (char *)e->abbr,
                   .exact = w[0].exact};
        q = xap_q_op2(XAP_OP_OR, q, word_q(ps, &c));
    }
    return q;
}

/* An abbreviation standing at the first words of a query: entry e takes
 * len words; when made of parts there (TP HCM), np > 0 of them, each
 * taking plen[k] words, spelt out or not; else spelt[0] says whether e
 * is. */
typedef struct abmatch {
    const seg_abbr *e;
    size_t len, np;
    const seg_abbr *part[SEG_ABBR_MAX_PARTS];
    size_t plen[SEG_ABBR_MAX_PARTS];
    int spelt[SEG_ABBR_MAX_PARTS];
} abmatch;

/* The abbreviation standing at w[0..n) into *m: the longest expansion
 * spelt out, or a word that is an abbreviation, and the longest entry it
 * begins whose other parts follow (TP HCM, thành phố HCM: TP.HCM).
 * Returns 0 if none. */
static int abbr_match(const qword *w, size_t n, abmatch *m)
{
    size_t l = 0;
    int spelt = 1;
    const seg_abbr *e = spelt_at(w, n, &l);
    if (!e) {
        e = seg_abbr_lookup(w[0].norm, strlen(w[0].norm));
        l = 1;
        spelt = 0;
    }
    if (!e)
        return 0;
    *m = (abmatch){.e = e, .len = l, .spelt = {spelt}};
    for (size_t i = 0; i < seg_abbr_nwholes(); i++) {
        abmatch c = {.e = seg_abbr_whole(i), .len = l};
        size_t np = seg_abbr_parts(c.e, c.part), k;
        if (c.part[0] != e)
            continue;
        c.plen[0] = l;
        c.spelt[0] = spelt;
        for (k = 1; k < np && (c.plen[k] = entry_words(w + c.len, n - c.len,
                                                       c.part[k],
                                                       &c.spelt[k]));
             k++)
            c.len += c.plen[k];
        c.np = np;
        if (k == np && c.len > m->len)
            *m = c;
    }
    return 1;
}

/* The query of match m over w: an entry made of parts, its parts or its
 * term; else entry_q. */
static xap_query *match_q(parser *ps, const qword *w, const abmatch *m)
{
    xap_query *sub[SEG_ABBR_MAX_PARTS];
    hl_entry(ps, m->e);
    if (!m->np)
        return entry_q(ps, w, m->len, m->e, m->spelt[0]);
    for (size_t k = 0, at = 0; k < m->np; at += m->plen[k++])
        sub[k] = entry_q(ps, w + at, m->plen[k], m->part[k], m->spelt[k]);
    return xap_q_op2(XAP_OP_OR, xap_q_op(XAP_OP_AND, sub, m->np, 0),
                     abbr_term_q(ps, w, m->len, m->e));
}

/* A dotted word that is no abbreviation ("TP.Hồ": the tokenizer glues TP.
 * to a short syllable) is read piece by piece, as the indexer reads it
 * (lib/analyze.c): when its pieces and the words after it make an
 * abbreviation (TP.Hồ Chí Minh: TP.HCM), its words or the abbreviation's
 * term.  Returns NULL otherwise. */
#define GLUED_PIECES 4
static xap_query *glued_q(parser *ps, const qword *w, size_t n, size_t *len)
{
    qword v[GLUED_PIECES + SEG_ABBR_MAX_WORDS];
    char *buf[2] = {NULL, NULL};
    size_t np = 0, nv;
    abmatch m;
    xap_query *q = NULL;
    if (!strchr(w[0].norm, '.') || !strchr(w[0].fold, '.'))
        return NULL;
    buf[0] = xstrdup(w[0].norm);
    buf[1] = xstrdup(w[0].fold);
    char *sn = NULL, *sf = NULL, *pn = strtok_r(buf[0], ".", &sn),
         *pf = strtok_r(buf[1], ".", &sf);
    for (; pn && pf && np < GLUED_PIECES;
         pn = strtok_r(NULL, ".", &sn), pf = strtok_r(NULL, ".", &sf), np++)
        v[np] = (qword){.fold = pf, .norm = pn, .exact = strcmp(pn, pf) != 0};
    if (pn || pf || np < 2)
        goto done;
    for (nv = np; nv - np + 1 < n && nv < sizeof v / sizeof *v; nv++)
        v[nv] = w[nv - np + 1];
    if (abbr_match(v, nv, &m) && m.len >= np) {
        xap_query **sub = xcalloc(m.len - np + 1, sizeof *sub);
        *len = m.len - np + 1;
        for (size_t j = 0; j < *len; j++)
            sub[j] = word_q(ps, &w[j]);
        hl_entry(ps, m.e);
        q = xap_q_op2(XAP_OP_OR, xap_q_op(XAP_OP_AND, sub, *len, 0),
                      abbr_term_q(ps, v, m.len, m.e));
        free(sub);
    }
done:
    free(buf[0]);
    free(buf[1]);
    return q;
}

/* An abbreviation standing at w[0..n) (abbr_match, glued_q): its query,
 * and in *len how many words it took; NULL if none.  The index holds an
 * entry's terms wherever it is spelt out, written another way or made of
 * its parts (lib/schema.h), so its term finds every spelling; its words
 * find the articles where they stand apart too. */
static xap_query *abbr_q(parser *ps, const qword *w, size_t n, size_t *len)
{
    abmatch m;
    if (!abbr_match(w, n, &m))
        return glued_q(ps, w, n, len);
    *len = m.len;
    return match_q(ps, w, &m);
}

/* ---- compounds (lib/analyze.h: an_compound) --------------------------- */

/* The phrase of compound w's parts written apart ("covid 19" for
 * COVID-19). */
static xap_query *parts_q(parser *ps, const qword *w)
{
    const char *fold[AN_MAX_PARTS];
    char *buf = xstrdup(w->parts), *sv = NULL;
    size_t n = 0;
    for (char *p = strtok_r(buf, " ", &sv); p && n < AN_MAX_PARTS;
         p = strtok_r(NULL, " ", &sv))
        fold[n++] = p;
    xap_query *q = phrase_of(ps, fold, NULL, n, 0);
    free(buf);
    return q;
}

/* q for word w, or for a compound also its parts written apart. */
static xap_query *or_parts(parser *ps, const qword *w, xap_query *q)
{
    return w->parts ? xap_q_op2(XAP_OP_OR, q, parts_q(ps, w)) : q;
}

static int plain_fold(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x80 && !(*s >= 'a' && *s <= 'z') &&
            !(*s >= '0' && *s <= '9'))
            return 0;
    return 1;
}

/* May words a and b be a compound written apart ("u 23" for U.23, "blue
 * chip")?  Like the tokenizer's: neither is one, both are letters or
 * digits, not two syllables (Bắc-Nam stays two words), no two digits
 * meeting (v1.2.3 is none), no abbreviation of the table (TP HCM has its
 * own spellings); and the index holds their joined form, into out. */
static int joined_term(parser *ps, const qword *a, const qword *b, sbuf *out)
{
    uint32_t tf = 0;
    size_t la = strlen(a->fold);
    if (a->parts || b->parts || (a->syll && la > 1 && b->syll && b->fold[1]) ||
        !la || !*b->fold ||
        (a->fold[la - 1] >= '0' && a->fold[la - 1] <= '9' &&
         b->fold[0] >= '0' && b->fold[0] <= '9') ||
        !plain_fold(a->fold) || !plain_fold(b->fold) ||
        seg_abbr_lookup(a->norm, strlen(a->norm)) ||
        seg_abbr_lookup(b->norm, strlen(b->norm)))
        return 0;
    const char *dong = an_dong(b->norm, strlen(b->norm));
    sbuf_reset(out);
    sbuf_adds(out, a->fold);
    sbuf_adds(out, dong && a->fold[la - 1] >= '0' && a->fold[la - 1] <= '9'
                       ? dong
                       : b->fold); /* 20.000 VNĐ: 20000dong */
    return out->len <= XAP_MAX_TERM - 2 &&
           xap_db_termfreq(ps->s->db, out->s, out->len, &tf, NULL) == TT_OK &&
           tf > 0;
}

static int repeated_at(const qword *w, size_t n, size_t i)
{
    for (size_t j = 0; j < n; j++)
        if (j != i && !strcmp(w[j].fold, w[i].fold))
            return 1;
    return 0;
}

/* The title terms of a lexicon reading of w[0..n), as one query, times
 * share: a title that writes it ("Mỹ Tho", not "Mỹ - Thổ") weighs its
 * forms, as for the query typed so; NULL when every word was typed with
 * accents (their own title terms are the reading's).  The first pass
 * ranks by it, which the bonuses cannot do for the articles below the
 * candidates they re-rank. */
static xap_query *reading_title_q(parser *ps, const qword *w, size_t n,
                                  const char *const *reading, double share)
{
    xap_query *t[3];
    int typed = 1;
    for (size_t j = 0; j < n; j++)
        typed &= w[j].exact;
    if (typed)
        return NULL;
    for (size_t j = 0; j < n; j++)
        t[j] = term_q(ps, PFX_TITLE, reading[j], strlen(reading[j]));
    return xap_q_scale(xap_q_op(XAP_OP_AND, t, n, 0),
                       share * READING_TITLE_WEIGHT);
}

/* How often each of the readings[0..nr) of n words is the one written,
 * against the commonest (1), into share[]: by the titles that write each
 * (titles_writing; one more each, so that none is 0).  A reading weighs
 * by its own forms, and the rarer forms weigh more: without this, on
 * 186,000 articles, "da nang" would rank đa năng (21 titles) above Đà
 * Nẵng (2,470), and "nha trang" Nha Trang (264) above Nhà Trắng (581).
 * One reading: 1. */
static void reading_shares(parser *ps, const char *const (*reading)[3],
                           size_t nr, size_t n, double *share)
{
    uint32_t cnt[MAX_READINGS], top = 0;
    for (size_t r = 0; r < nr; r++) {
        cnt[r] = nr > 1 ? titles_writing(ps, reading[r], n) : 0;
        top = cnt[r] > top ? cnt[r] : top;
    }
    for (size_t r = 0; r < nr; r++)
        share[r] = (cnt[r] + 1.0) / (top + 1.0);
}

/* Are a and b one word, typed the same way?  A word typed twice is
 * searched once (plain_q): a second AND and title term would only repeat
 * the first's, the same matches, each scored twice, and a total estimated
 * as if they were two independent words ("hà nội hà nội": about 9000 of
 * 40000 articles). */
static int same_word(const qword *a, const qword *b)
{
    return a->exact == b->exact && !strcmp(a->fold, b->fold) &&
           !strcmp(a->norm, b->norm) && !a->parts == !b->parts &&
           (!a->parts || !strcmp(a->parts, b->parts));
}

/* Do the words w[i..i+len) stand before i too, the same way? */
static int same_run_before(const qword *w, size_t i, size_t len)
{
    for (size_t j = 0; j + len <= i; j++) {
        size_t k = 0;
        while (k < len && same_word(&w[j + k], &w[i + k]))
            k++;
        if (k == len)
            return 1;
    }
    return 0;
}

/* Is the pair w[0], w[1] among the proximity pairs already? */
static int near_before(const parser *ps, const qword *w)
{
    for (size_t k = 0; k < ps->nnear; k++)
        for (int i = 0;; i++) {
            const qword *x = &w[i];
            if (strcmp(ps->near[k].fold[i], x->fold) ||
                strcmp(ps->near[k].weigh[i], x->exact ? x->norm : x->fold))
                break;
            if (i == 1)
                return 1;
        }
    return 0;
}

/* A run of plain words: every word must match.  An abbreviation also
 * matches its other spellings (abbr_q).  Words that stand together as a
 * word of the lexicon ("cần thơ") get a phrase bonus, applied in the
 * second pass. */
/* Vietnamese surnames and middle names, by their folded form: an
 * accent-free query reading a surname, a middle name and one or two
 * syllables more reads them as a person's name (name_at, for "did you
 * mean"); typed with accents or capitals, a name's phrase bonus
 * (typed_name_at). */
static const char *const surnames[][2] = {
    {"nguyen", "Nguyễn"}, {"tran", "Trần"},   {"le", "Lê"},
    {"pham", "Phạm"},     {"hoang", "Hoàng"}, {"huynh", "Huỳnh"},
    {"phan", "Phan"},     {"vu", "Vũ"},       {"vo", "Võ"},
    {"dang", "Đặng"},     {"bui", "Bùi"},     {"do", "Đỗ"},
    {"ho", "Hồ"},         {"ngo", "Ngô"},     {"duong", "Dương"},
    {"ly", "Lý"},         {"dinh", "Đinh"},   {"truong", "Trương"},
    {"trinh", "Trịnh"},   {"doan", "Đoàn"},   {"lam", "Lâm"},
    {"luong", "Lương"},   {"luu", "Lưu"},     {"cao", "Cao"},
};
static const char *const middles[][2] = {
    {"van", "Văn"},     {"thi", "Thị"},     {"duc", "Đức"},
    {"huu", "Hữu"},     {"minh", "Minh"},   {"quoc", "Quốc"},
    {"thanh", "Thanh"}, {"ngoc", "Ngọc"},   {"cong", "Công"},
    {"dinh", "Đình"},   {"xuan", "Xuân"},   {"hong", "Hồng"},
    {"kim", "Kim"},     {"quang", "Quang"}, {"trong", "Trọng"},
    {"tien", "Tiến"},   {"the", "Thế"},     {"tan", "Tấn"},
};

/* The spelling of fold in table t[0..n), or NULL. */
static const char *name_part(const char *const t[][2], size_t n,
                             const char *fold)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i][0], fold))
            return t[i][1];
    return NULL;
}

/* Does a person's name of 3 words start at w (n words left): a family
 * name, a middle name and a given name, typed with accents or capitals
 * (every one), or any run of 2 or 3 words each typed with a capital?
 * Returns its length, 0 if none. */
static size_t typed_name_at(const qword *w, size_t n)
{
    size_t caps = 0;
    while (caps < n && caps < 3 && w[caps].cap && w[caps].syll)
        caps++;
    if (n >= 3 &&
        name_part(surnames, sizeof surnames / sizeof *surnames, w[0].fold) &&
        name_part(middles, sizeof middles / sizeof *middles, w[1].fold) &&
        w[2].syll && (caps == 3 || (w[0].exact && w[1].exact && w[2].exact)))
        return 3;
    return caps >= 2 ? caps : 0;
}

/* A person's name typed without accents at w (n words left): a surname,
 * a middle name and a syllable, none with marks, unless titles write
 * the surname and the middle name more often as a word of the lexicon
 * ("do thi": đô thị, not Đỗ Thị; "nguyen van": Nguyễn Văn, not nguyên
 * văn).  Returns its length, 0 if none. */
static size_t plain_name_at(parser *ps, const qword *w, size_t n)
{
    unsigned bits[MAX_READINGS];
    const char *reading[MAX_READINGS][3], *part[2];
    char store[MAX_READINGS][3][READING_SYL];
    if (n < 3 || w[0].exact || w[1].exact || w[2].exact || !w[2].syll ||
        !(part[0] = name_part(surnames, sizeof surnames / sizeof *surnames,
                              w[0].fold)) ||
        !(part[1] = name_part(middles, sizeof middles / sizeof *middles,
                              w[1].fold)))
        return 0;
    size_t nr = lexicon_readings(ps, w, 2, store, reading, bits);
    if (!nr)
        return 3;
    sbuf norm[2] = {{0}, {0}};
    const char *name[2];
    for (int j = 0; j < 2; j++) {
        vn_norm(part[j], strlen(part[j]), &norm[j]);
        name[j] = norm[j].s;
    }
    uint32_t named = titles_writing(ps, name, 2);
    size_t r = 0;
    while (r < nr && titles_writing(ps, reading[r], 2) <= named)
        r++;
    sbuf_free(&norm[0]);
    sbuf_free(&norm[1]);
    return r == nr ? 3 : 0;
}

static xap_query *plain_q(parser *ps, const qword *w, size_t n)
{
    xap_query **units = xcalloc(n, sizeof *units), *q;
    size_t nu = 0, nt = 0, tcap = n;
    xap_query **titles = xcalloc(tcap, sizeof *titles);
    for (size_t i = 0; i < n;) {
        size_t len = 0;
        xap_query *aq = abbr_q(ps, w + i, n - i, &len);
        if (aq) {
            if (same_run_before(w, i, len))
                xap_q_free(aq);
            else
                units[nu++] = aq;
            i += len;
            continue;
        }
        /* a title word is a body word too (lib/schema.h): the title terms
         * only add weight, so they need not take part in the matching
         * (AND_MAYBE), which keeps the AND to single terms */
        int repeated = repeated_at(w, n, i);
        sbuf j = {0};
        if (i + 1 < n && joined_term(ps, &w[i], &w[i + 1], &j)) {
            /* "u 23": both words, or the compound they write (U.23, U23) */
            xap_query *both[2] = {
                body_q(ps, "", &w[i], repeated, 1.0),
                body_q(ps, "", &w[i + 1], repeated_at(w, n, i + 1), 1.0)};
            hl_add(ps, j.s, j.len, NULL);
            units[nu++] = xap_q_op2(XAP_OP_OR,
                                    xap_q_op(XAP_OP_AND, both, 2, 0),
                                    term_q(ps, "", j.s, j.len));
            titles[nt++] = body_q(ps, PFX_TITLE, &w[i], repeated,
                                  TITLE_WEIGHT);
            titles[nt++] = body_q(ps, PFX_TITLE, &w[i + 1],
                                  repeated_at(w, n, i + 1), TITLE_WEIGHT);
            sbuf_free(&j);
            i += 2;
            continue;
        }
        sbuf_free(&j);
        if (same_run_before(w, i, 1)) {
            i++; /* "hà nội hà nội": the AND holds it already */
            continue;
        }
        units[nu++] = or_parts(ps, &w[i], body_q(ps, "", &w[i], repeated, 1.0));
        titles[nt++] = body_q(ps, PFX_TITLE, &w[i], repeated, TITLE_WEIGHT);
        i++;
    }
    /* a person's name typed without accents: the name's phrase bonus,
     * and no lexicon reading of its words ("pham van dong" is Phạm Văn
     * Đồng, not Phạm … vận động) */
    unsigned char *inname = xcalloc(n + 1, 1);
    for (size_t i = 0; i + 2 < n;) {
        size_t l = plain_name_at(ps, w + i, n - i);
        if (!l) {
            i++;
            continue;
        }
        const char *fold[3], *reading[3] = {NULL, NULL, NULL};
        for (size_t j = 0; j < l; j++) {
            fold[j] = w[i + j].fold;
            inname[i + j] = 1;
        }
        add_bonus(ps, fold, reading, l, NAME_WEIGHT, 0);
        ps->names++;
        i += l;
    }
    /* lexicon words of two or three syllables: phrase bonuses, large for
     * proper names ("Cần Thơ" the city, not "cần … thơ"), small for common
     * compounds, which known-item queries often name apart */
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t l = 3; l >= 2; l--) {
            if (inname[i] || inname[i + 1] || (l == 3 && inname[i + 2]))
                continue;
            unsigned bits[MAX_READINGS];
            const char *reading[MAX_READINGS][3];
            char store[MAX_READINGS][3][READING_SYL];
            size_t nr = i + l > n ? 0 : lexicon_readings(ps, &w[i], l, store,
                                                         reading, bits);
            /* the phrases of the readings that are words: "da nang" ->
             * "đà nẵng" (a name) and "đa năng", not every "đã … nâng" */
            double share[MAX_READINGS];
            reading_shares(ps, reading, nr, l, share);
            for (size_t r = 0; r < nr; r++) {
                const char *fold[3];
                for (size_t j = 0; j < l; j++)
                    fold[j] = w[i + j].fold;
                add_bonus(ps, fold, reading[r], l,
                          share[r] * (bits[r] & SEG_NAME ? NAME_WEIGHT
                                                         : PHRASE_WEIGHT),
                          nr > 1);
                xgrow(&titles, &tcap, nt + 1, sizeof *titles);
                titles[nt] = reading_title_q(ps, w + i, l, reading[r],
                                             share[r]);
                nt += titles[nt] != NULL;
            }
            if (nr)
                break;
        }
    /* a person's name the lexicon does not know: the phrase as typed, as
     * a name weighs ("Nguyễn Văn Hùng", not a title of Nguyễn Văn Trỗi,
     * a hero, anh hùng) */
    for (size_t i = 0; i + 1 < n;) {
        size_t l = inname[i] ? 0 : typed_name_at(w + i, n - i);
        if (!l) {
            i++;
            continue;
        }
        const char *fold[3], *reading[3];
        for (size_t j = 0; j < l; j++) {
            fold[j] = w[i + j].fold;
            reading[j] = w[i + j].exact ? w[i + j].norm : NULL;
        }
        add_bonus(ps, fold, reading, l, NAME_WEIGHT, 0);
        ps->names++;
        i += l;
    }
    free(inname);
    q = nu == 1 ? units[0] : xap_q_op(XAP_OP_AND, units, nu, 0);
    if (nt)
        q = xap_q_op2(XAP_OP_AND_MAYBE, q,
                      nt == 1 ? titles[0] : xap_q_op(XAP_OP_OR, titles, nt, 0));
    free(titles);
    for (size_t i = 0; i + 1 < n; i++)
        if (strcmp(w[i].fold, w[i + 1].fold) && !near_before(ps, w + i)) {
            xgrow(&ps->near, &ps->nearcap, ps->nnear + 1, sizeof *ps->near);
            for (int k = 0; k < 2; k++) {
                const qword *x = &w[i + k];
                ps->near[ps->nnear].fold[k] = xstrdup(x->fold);
                ps->near[ps->nnear].weigh[k] =
                    xstrdup(x->exact ? x->norm : x->fold);
            }
            ps->nnear++;
        }
    free(units);
    ps->nwords += (int)n;
    return q;
}

/* The phrase w[0..n) with its pair at..at+1 written together (join,
 * "u 23" -> u23), or with compound w[at] written apart (join NULL). */
static xap_query *phrase_alt(parser *ps, const qword *w, size_t n,
                             size_t at, const char *join)
{
    const char **fold = xcalloc(n + AN_MAX_PARTS, sizeof *fold);
    const char **norm = xcalloc(n + AN_MAX_PARTS, sizeof *norm);
    char *buf = join ? NULL : xstrdup(w[at].parts), *sv = NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == at && join) {
            fold[k++] = join;
            i++;
            continue;
        }
        if (i == at) {
            for (char *p = strtok_r(buf, " ", &sv); p;
                 p = strtok_r(NULL, " ", &sv))
                fold[k++] = p;
            continue;
        }
        fold[k] = w[i].fold;
        norm[k++] = w[i].exact && !ps->fallback ? w[i].norm : NULL;
    }
    xap_query *q = phrase_of(ps, fold, norm, k, 0);
    free(buf);
    free(fold);
    free(norm);
    return q;
}

static xap_query *phrase_q(parser *ps, const qword *w, size_t n)
{
    if (n == 1)
        return or_parts(ps, &w[0], word_q(ps, &w[0]));
    const char **fold = xcalloc(n, sizeof *fold);
    const char **norm = xcalloc(n, sizeof *norm);
    xap_query *q;
    sbuf j = {0};
    /* a word typed with accents as typed (unless relaxed to every form),
     * one typed without in any form */
    for (size_t i = 0; i < n; i++) {
        fold[i] = w[i].fold;
        norm[i] = w[i].exact && !ps->fallback ? w[i].norm : NULL;
    }
    q = phrase_of(ps, fold, norm, n, 0);
    /* compounds written the other way: a few alternatives */
    for (size_t i = 0, alts = 0; i < n && alts < 4; i++) {
        if (w[i].parts) {
            q = xap_q_op2(XAP_OP_OR, q, phrase_alt(ps, w, n, i, NULL));
            alts++;
        } else if (i + 1 < n && joined_term(ps, &w[i], &w[i + 1], &j)) {
            hl_add(ps, j.s, j.len, NULL);
            q = xap_q_op2(XAP_OP_OR, q, phrase_alt(ps, w, n, i, j.s));
            alts++;
        }
    }
    sbuf_free(&j);
    free(fold);
    free(norm);
    ps->nwords += (int)n;
    return q;
}

/* ---- fields and filters ---------------------------------------------- */

enum { F_TITLE = 1, F_AUTHOR, F_SECTION, F_TAG, F_SOURCE, F_SINCE, F_UNTIL };

enum { NAME_MARKED = 1, NAME_APART = 2 };
static const struct {
    const char *name;
    int kind;
    unsigned flags; /* NAME_MARKED: only written with its marks ("đề:"; a
                       "de:" is no field); NAME_APART: also written as two
                       words ("tiêu đề:", as Vietnamese writes it) */
} field_names[] = {
    {"title", F_TITLE, 0},       {"tieude", F_TITLE, NAME_APART},
    {"de", F_TITLE, NAME_MARKED}, {"author", F_AUTHOR, 0},
    {"tacgia", F_AUTHOR, NAME_APART}, {"section", F_SECTION, 0},
    {"chuyenmuc", F_SECTION, NAME_APART}, {"tag", F_TAG, 0},
    {"the", F_TAG, 0},           {"tukhoa", F_TAG, NAME_APART},
    {"source", F_SOURCE, 0},     {"nguon", F_SOURCE, 0},
    {"since", F_SINCE, 0},       {"from", F_SINCE, 0},
    {"tu", F_SINCE, 0},          {"until", F_UNTIL, 0},
    {"to", F_UNTIL, 0},          {"den", F_UNTIL, 0},
};

/* The end of the letters at p (ASCII, or any non-ASCII byte). */
static const char *letters_end(const parser *ps, const char *p)
{
    while (p < ps->end && ((*p >= 'a' && *p <= 'z') ||
                           (*p >= 'A' && *p <= 'Z') || (*p & 0x80)))
        p++;
    return p;
}

/* The field kind of the name s[0..n), -1 if none: ASCII letters, or the
 * name's Vietnamese spelling ("tiêuđề", "TÁCGIẢ"); apart: s holds a
 * space, between the words of a NAME_APART name. */
static int name_kind(const char *s, size_t n, int apart)
{
    sbuf joined = {0}, norm = {0}, fold = {0};
    int ascii = 1, kind = -1;
    for (size_t i = 0; i < n; i++) {
        ascii &= !(s[i] & 0x80);
        if (s[i] != ' ')
            sbuf_addc(&joined, s[i]);
    }
    if (!ascii) {
        vn_norm_word(joined.s, joined.len, &norm);
        vn_fold_norm(norm.s ? norm.s : "", norm.len, &fold);
    }
    const sbuf *name = ascii ? &joined : &fold;
    for (size_t i = 0; name->len && i < sizeof field_names / sizeof *field_names;
         i++)
        if (strlen(field_names[i].name) == name->len &&
            !strncasecmp(field_names[i].name, name->s, name->len) &&
            (!ascii || !(field_names[i].flags & NAME_MARKED)) &&
            (!apart || (field_names[i].flags & NAME_APART)))
            kind = field_names[i].kind;
    sbuf_free(&joined);
    sbuf_free(&norm);
    sbuf_free(&fold);
    return kind;
}

/* Is ps->p at "name:"?  Returns the field kind, sets *namelen (the name's
 * bytes) and *skip (those up to the value), 0 if not a field, -1 if an
 * unknown name.  A name is ASCII letters, or a name's Vietnamese
 * spelling ("tiêuđề:", as "tieude:"; "tiêu đề:" in two words); a space
 * may follow the colon of a known name ("title: Đà Nẵng"), before a date
 * only a date's digits.  Nothing after a known name's colon is a field
 * with no value, which field_item refuses. */
static int field_at(const parser *ps, size_t *namelen, size_t *skip)
{
    const char *p = letters_end(ps, ps->p), *two;
    int ascii = 1, kind;
    if (p == ps->p || p >= ps->end)
        return 0;
    if (*p == ' ' && (two = letters_end(ps, p + 1)) > p + 1 &&
        two < ps->end && *two == ':' &&
        name_kind(ps->p, (size_t)(two - ps->p), 1) > 0)
        p = two; /* "tiêu đề:" */
    if (*p != ':' || (p + 1 < ps->end && p[1] == '/'))
        return 0; /* not a field: "http://", "10:30" */
    *namelen = (size_t)(p - ps->p);
    for (const char *c = ps->p; c < p; c++)
        ascii &= !(*c & 0x80);
    kind = name_kind(ps->p, *namelen, memchr(ps->p, ' ', *namelen) != NULL);
    if (kind < 0 && (!ascii || p + 1 >= ps->end))
        return 0; /* a word with a colon: "lưu ý:", "Note:" at the end */
    const char *v = p + 1;
    while (v < ps->end && (*v == ' ' || *v == '\t'))
        v++;
    if (v > p + 1 &&
        (kind < 0 || ((kind == F_SINCE || kind == F_UNTIL) && v < ps->end &&
                      *v != ')' && (*v < '0' || *v > '9'))))
        return 0; /* "Note: …", "đến: nhà" */
    *skip = (size_t)(v - ps->p);
    return kind; /* (nothing after "title:": field_item's error) */
}

/* The value after "name:": a "quoted string" or a run of non-spaces. */
static void field_value(parser *ps, const char **v, size_t *n, int *quoted)
{
    *quoted = ps->p < ps->end && *ps->p == '"';
    if (*quoted) {
        *v = ++ps->p;
        while (ps->p < ps->end && *ps->p != '"')
            ps->p++;
        *n = (size_t)(ps->p - *v);
        if (ps->p < ps->end)
            ps->p++;
        return;
    }
    *v = ps->p;
    while (ps->p < ps->end && *ps->p != ' ' && *ps->p != '\t' &&
           *ps->p != ')' && *ps->p != '(' && *ps->p != '"')
        ps->p++;
    *n = (size_t)(ps->p - *v);
}

static void add_filter(parser *ps, xap_query *f, int negate)
{
    if (!f)
        return;
    if (negate) {
        xgrow(&ps->nfilt, &ps->nfcap, ps->nnf + 1, sizeof *ps->nfilt);
        ps->nfilt[ps->nnf++] = f;
    } else {
        xgrow(&ps->filt, &ps->fcap, ps->nf + 1, sizeof *ps->filt);
        ps->filt[ps->nf++] = f;
    }
}

#define TAG_WHOLES 32 /* tags a tag: value may be the first part of */

/* The tags one walk of the terms finds, ORed, while they are few. */
typedef struct wholes {
    xap_query *q;
    uint32_t n;
} wholes;

static int tag_whole(void *arg, const char *term, size_t len, uint32_t tf)
{
    wholes *w = arg;
    (void)tf;
    if (++w->n > TAG_WHOLES)
        return 1; /* too many: none taken */
    w->q = w->q ? xap_q_op2(XAP_OP_OR, w->q, xap_q_term(term, len, 1, 0))
                : xap_q_term(term, len, 1, 0);
    return 0;
}

/* A boolean filter term: prefix + the value's words as the indexer
 * makes them (an_bool_term): "Thời sự", "thời-sự" and "thoi su" are one
 * section, "Covid-19" one word; a tag also the tags whose first part it
 * is, when they are few (tag:covid finds COVID-19).  A value without a
 * word, or one too long for a term, is in no article (the indexer makes
 * no term of it either): it matches nothing, and is never dropped, which
 * would match all. */
static xap_query *bool_filter(parser *ps, const char *prefix, const char *v,
                              size_t n, int *none)
{
    sbuf term = {0};
    xap_query *q;
    uint32_t tf = 1;
    if (an_bool_term(ps->s->an, prefix, v, n, &term) == 0) {
        q = xap_q_term(term.s, term.len, 1, 0);
        if (xap_db_termfreq(ps->s->db, term.s, term.len, &tf, NULL))
            tf = 1; /* (unknown: said nothing of) */
        /* a tag is also found by the first part of a compound it is
         * (tag:covid, "COVID-19": Kcovid-19; lib/analyze.h) */
        for (const char *sep = "-."; *prefix == *PFX_TAG && *sep; sep++) {
            size_t len = term.len;
            wholes w = {0};
            sbuf_addc(&term, *sep);
            xap_db_allterms(ps->s->db, term.s, term.len, tag_whole, &w, NULL);
            if (w.q && w.n <= TAG_WHOLES)
                q = xap_q_op2(XAP_OP_OR, q, w.q);
            else
                xap_q_free(w.q);
            tf += w.n;
            term.len = len;
            term.s[len] = '\0';
        }
    } else {
        q = xap_q_nothing();
        ps->nothing = 1;
        tf = 0;
    }
    *none = tf == 0;
    sbuf_free(&term);
    return q;
}

/* The date key of v[0..n) into key (its first second, or its last when
 * end), or -1 with the error in ps. */
static int date_key(parser *ps, const char *v, size_t n, int end, char *key)
{
    char buf[16];
    int64_t t;
    if (n >= sizeof buf || (memcpy(buf, v, n), buf[n] = '\0',
                            date_parse_query(buf, end, &t) != 0)) {
        /* a day its month lacks (2021-02-30), else the form */
        int ymd = n == 10 && strspn(buf, "0123456789") == 4 &&
                  strspn(buf + 5, "0123456789") == 2 &&
                  strspn(buf + 8, "0123456789") == 2 &&
                  (buf[4] == '-' || buf[4] == '/') && buf[7] == buf[4];
        int y = ymd ? atoi(buf) : 0, m = ymd ? atoi(buf + 5) : 0,
            d = ymd ? atoi(buf + 8) : 0;
        int64_t days = m >= 1 && m <= 12
                           ? (m == 12 ? date_days_from_civil(y + 1, 1, 1)
                                      : date_days_from_civil(y, m + 1, 1)) -
                                 date_days_from_civil(y, m, 1)
                           : 31;
        if (d > days && d <= 31) {
            ps->rc = tt_seterr(&ps->err, TT_EINVAL,
                               "invalid date \"%s\": %.7s has %d days",
                               buf, buf, (int)days);
        } else {
            ps->rc = tt_seterr(&ps->err, TT_EINVAL,
                               "invalid date \"%.*s\" (expected YYYY, "
                               "YYYY-MM or YYYY-MM-DD)",
                               (int)uni_cut(v, n, 40), v);
        }
        return -1;
    }
    date_format_key(t, key);
    return 0;
}

/* 0, or -1 with the error in ps when the date keys lo and hi (either ""
 * for open) make an empty range. */
static int date_order(parser *ps, const char *lo, const char *hi)
{
    if (!*lo || !*hi || strcmp(lo, hi) <= 0)
        return 0;
    ps->rc = tt_seterr(&ps->err, TT_EINVAL,
                       "empty date range: %.4s-%.2s-%.2s comes after "
                       "%.4s-%.2s-%.2s",
                       lo, lo + 4, lo + 6, hi, hi + 4, hi + 6);
    return -1;
}

/* Narrows the dates that apply (ps->text_lo, text_hi) to lo..hi (either
 * "" for open); 0, or -1 with the error in ps when nothing is left. */
static int dates_narrow(parser *ps, const char *lo, const char *hi)
{
    if (*lo && strcmp(lo, ps->text_lo) > 0)
        memcpy(ps->text_lo, lo, sizeof ps->text_lo);
    if (*hi && (!*ps->text_hi || strcmp(hi, ps->text_hi) < 0))
        memcpy(ps->text_hi, hi, sizeof ps->text_hi);
    return date_order(ps, ps->text_lo, ps->text_hi);
}

/* The first second of the day of a key, and of the day after (or of the
 * month or year after: unit 'D', 'M', 'Y'), as epoch seconds. */
static int64_t key_day(const char *k, char unit, int64_t *next)
{
    int y = (k[0] - '0') * 1000 + (k[1] - '0') * 100 + (k[2] - '0') * 10 +
            (k[3] - '0');
    int m = (k[4] - '0') * 10 + (k[5] - '0'), d = (k[6] - '0') * 10 + (k[7] - '0');
    int64_t day = date_days_from_civil(y, m, d);
    if (unit == 'Y')
        *next = date_days_from_civil(y + 1, 1, 1);
    else if (unit == 'M')
        *next = m == 12 ? date_days_from_civil(y + 1, 1, 1)
                        : date_days_from_civil(y, m + 1, 1);
    else
        *next = day + 1;
    *next *= 86400;
    return day * 86400;
}

/* The dates lo..hi (keys; "" open: from the db's first or to its last
 * date) as an OR of the index's year, month and day terms, the fewest
 * that cover them (2021-10-15..2022-02-03: 17 days, 2 months, January,
 * 3 days), or NULL when that takes more than DATE_TERMS_MAX.  Xapian
 * knows how many articles each term has, so a total of a range is as
 * exact as the rest of the query allows (a value range counts the whole
 * db as its upper bound: a range of 42 articles was "about 50"), and an
 * article's days are its dates on its own clock, as the range's are. */
#define DATE_TERMS_MAX 256
static xap_query *date_terms_q(parser *ps, const char *lo, const char *hi)
{
    char *v = NULL, bound[2][15];
    size_t vlen = 0, n = 0;
    const char *end[2] = {lo, hi};
    for (int k = 0; k < 2; k++) {
        if (*end[k])
            continue;
        if (xap_db_value_bound(ps->s->db, SLOT_PUBLISHED, k, &v, &vlen,
                               NULL) || vlen != 14) {
            free(v);
            return NULL;
        }
        memcpy(bound[k], v, 15);
        end[k] = bound[k];
        free(v);
    }
    char last[15], key[15];
    int64_t next, t = key_day(end[0], 'D', &next);
    memcpy(last, end[1], 15);
    xap_query **subs = xcalloc(DATE_TERMS_MAX, sizeof *subs);
    while (n < DATE_TERMS_MAX) {
        date_format_key(t, key);
        if (strcmp(key, last) > 0)
            break;
        char unit = 'D';
        for (const char *u = "YM"; *u && unit == 'D'; u++) {
            int64_t after;
            char end_key[15];
            if (memcmp(key + (*u == 'Y' ? 4 : 6), "0101", *u == 'Y' ? 4 : 2))
                continue; /* not the first day of the year/month */
            key_day(key, *u, &after);
            date_format_key(after - 1, end_key);
            if (strcmp(end_key, last) <= 0)
                unit = *u;
        }
        sbuf_reset(&ps->t);
        sbuf_adds(&ps->t, unit == 'Y'   ? PFX_YEAR
                          : unit == 'M' ? PFX_MONTH
                                        : PFX_DAY);
        sbuf_add(&ps->t, key, unit == 'Y' ? 4 : unit == 'M' ? 6 : 8);
        subs[n++] = xap_q_term(ps->t.s, ps->t.len, 1, 0);
        key_day(key, unit, &next);
        t = next;
    }
    date_format_key(t, key);
    if (strcmp(key, last) <= 0) { /* too many */
        for (size_t i = 0; i < n; i++)
            xap_q_free(subs[i]);
        free(subs);
        return NULL;
    }
    /* (none: the db has no article of those dates) */
    xap_query *q = n == 1 ? subs[0] : xap_q_op(XAP_OP_OR, subs, n, 0);
    free(subs);
    return q;
}

/* The dates lo..hi (keys, "" open) as a filter. */
static xap_query *date_range_q(parser *ps, const char *lo, const char *hi)
{
    xap_query *q = date_terms_q(ps, lo, hi);
    return q ? q
             : xap_q_value_range(SLOT_PUBLISHED, lo, strlen(lo), hi,
                                 strlen(hi));
}

/* The dates from a[0..an) to b[0..bn) (either may be empty: open) as a
 * filter, or NULL with the error in ps; negate: it is excluded. */
static xap_query *date_filter(parser *ps, const char *a, size_t an,
                              const char *b, size_t bn, int negate)
{
    char lo[15] = "", hi[15] = "";
    if ((an && date_key(ps, a, an, 0, lo)) ||
        (bn && date_key(ps, b, bn, 1, hi)) || date_order(ps, lo, hi) ||
        (!negate && dates_narrow(ps, lo, hi)))
        return NULL;
    return date_range_q(ps, lo, hi);
}

/* Where a word of the query ends: at a space or a parenthesis. */
static const char *word_end(const parser *ps, const char *p)
{
    while (p < ps->end && *p != ' ' && *p != '\t' && *p != '\n' &&
           *p != '\r' && *p != '(' && *p != ')')
        p++;
    return p;
}

/* The ".." of a date range ("2021-10-01..2021-10-31", "2021..",
 * "..2021") at ps->p, or NULL; *end: where the range ends.  A range starts
 * with a year, or with its ".." and then a year: "9..1" is words. */
static const char *range_dots(const parser *ps, const char **end)
{
    const char *p = ps->p, *dots = NULL, *year;
    *end = word_end(ps, p);
    for (; p + 1 < *end; p++)
        if (p[0] == '.' && p[1] == '.') {
            dots = p;
            break;
        }
    if (!dots || (dots > ps->p && dots - ps->p < 4))
        return NULL;
    year = dots == ps->p ? dots + 2 : ps->p;
    if (*end - year < 4)
        return NULL;
    for (p = year; p < year + 4; p++)
        if (*p < '0' || *p > '9')
            return NULL;
    return dots;
}

/* A date range at ps->p?  Adds its filter (or sets the error) and
 * advances. */
static int date_range_at(parser *ps, int negate)
{
    const char *p, *dots = range_dots(ps, &p);
    if (!dots)
        return 0;
    const char *a = ps->p, *b = dots + 2;
    ps->p = p; /* taken, valid or not: a bad date is an error (ps->rc) */
    add_filter(ps,
               date_filter(ps, a, (size_t)(dots - a), b, (size_t)(p - b),
                           negate),
               negate);
    return 1;
}

/* title:word, title:"a phrase".  The title's terms have no positions
 * (they would cost 3% of the index), so a phrase is the title's words and
 * their phrase in the text; where it restricts the whole query (not in
 * an OR, not excluded), the phrase is also checked in each candidate's
 * title (title_accept). */
static xap_query *title_q(parser *ps, const char *v, size_t n, int quoted,
                          int negate)
{
    qword *w;
    ps->in_title = 1;
    size_t nw = words_of(ps, v, n, &w);
    ps->in_title = 0;
    xap_query **subs = xcalloc(nw + 1, sizeof *subs), *q = NULL;
    for (size_t i = 0; i < nw; i++) {
        subs[i] = w[i].exact ? term_q(ps, PFX_TITLE, w[i].norm,
                                      strlen(w[i].norm))
                             : term_q(ps, PFX_TITLE_FOLD, w[i].fold,
                                      strlen(w[i].fold));
    }
    if (nw)
        q = nw == 1 ? subs[0] : xap_q_op(XAP_OP_AND, subs, nw, 0);
    if (q && quoted && nw > 1) { /* the words together, in the title */
        q = xap_q_op2(XAP_OP_AND, q, phrase_q(ps, w, nw));
        ps->phrases += !negate;
        if (!negate) {
            xgrow(&ps->tp, &ps->tpcap, ps->ntp + 1, sizeof *ps->tp);
            ps->tp[ps->ntp].w = w;
            ps->tp[ps->ntp++].n = nw;
            w = NULL;
            nw = 0;
        }
    }
    free(subs);
    words_free(w, nw);
    ps->simple = 0;
    return q;
}

/* Forget the title phrases from the k-th on: they restrict a part of the
 * query only. */
static void title_phrases_drop(parser *ps, size_t k)
{
    while (ps->ntp > k) {
        ps->ntp--;
        words_free(ps->tp[ps->ntp].w, ps->tp[ps->ntp].n);
    }
}

/* The length of the OR at ps->p, or 0: "OR", or the Vietnamese "hoặc" in
 * any case (in an accent-free query "hoac"), a word of its own between
 * two items (first: nothing before it in its group); at either end
 * "hoặc" is a word ("hoặc là", a query that starts with it). */
static size_t at_or(parser *ps, int first)
{
    const char *p = ps->p, *e = p, *next;
    while (e < ps->end && *e != ' ' && *e != '\t' && *e != '(' && *e != '"')
        e++;
    size_t n = (size_t)(e - p);
    if (n == 2 && p[0] == 'O' && p[1] == 'R')
        return 2;
    if (first || n < 4 || n > 16 || (p[0] | 0x20) != 'h')
        return 0;
    for (next = e; next < ps->end && (*next == ' ' || *next == '\t');)
        next++;
    if (next >= ps->end || *next == ')')
        return 0;
    sbuf norm = {0};
    unsigned flags = vn_norm_word(p, n, &norm);
    int hoac = norm.s && (!strcmp(norm.s, "hoặc") ||
                          (!ps->accented && !(flags & VN_ACCENT) &&
                           !strcmp(norm.s, "hoac")));
    sbuf_free(&norm);
    return hoac ? n : 0;
}

/* The operator at ps->p: 'A' for AND (the default, nothing to do), 'N'
 * for NOT (the item after it is excluded, as with '-'), else 0.  Upper
 * case only, a word of its own: "and", "not" and "ANDROID" are words. */
static int at_op(const parser *ps)
{
    const char *p = ps->p;
    if (ps->end - p < 3 || (memcmp(p, "AND", 3) && memcmp(p, "NOT", 3)) ||
        (p + 3 < ps->end && !strchr(" \t\n\r()\"", p[3])))
        return 0;
    return *p;
}

static void skip_space(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
                               *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

#define VALUES_SHOWN 8 /* sections or sources a notice names */

typedef struct values {
    struct value {
        char *v;
        uint32_t n;
    } top[VALUES_SHOWN];
    size_t ntop, all;
} values;

static int value_seen(void *arg, const char *term, size_t len, uint32_t tf)
{
    values *vs = arg;
    size_t i = vs->ntop < VALUES_SHOWN ? vs->ntop++ : VALUES_SHOWN - 1;
    vs->all++;
    if (i == VALUES_SHOWN - 1 && vs->ntop == VALUES_SHOWN &&
        vs->top[i].v && vs->top[i].n >= tf)
        return 0; /* fewer articles than the ones kept */
    free(vs->top[i].v);
    vs->top[i].v = xstrndup(term + 1, len - 1); /* (a prefix of one byte) */
    vs->top[i].n = tf;
    for (; i > 0 && vs->top[i - 1].n < vs->top[i].n; i--) {
        struct value t = vs->top[i];
        vs->top[i] = vs->top[i - 1];
        vs->top[i - 1] = t;
    }
    return 0;
}

/* Say that no article has the filter field:v[0..n), and for a section or
 * a source which ones the index has, the commonest first; next (or NULL):
 * the text after an unquoted value typed after name[0..namelen), whose
 * first word may have been meant with it (author:ngoc an). */
static void note_unmatched(parser *ps, int kind, const char *name,
                           size_t namelen, const char *v, size_t n,
                           const char *next)
{
    static const char *const fields[] = {"", "title", "author", "section",
                                         "tag", "source"};
    const char *field = fields[kind];
    sbuf_addf(&ps->notice, "%sno article has %s \"%.*s\"",
              ps->notice.len ? "; " : "", field, (int)uni_cut(v, n, 40), v);
    ps->notes |= SRCH_NOTE_VALUE;
    if (next && next < ps->end && (*next == ' ' || *next == '\t')) {
        const char *save = ps->p, *e;
        size_t nl, sk;
        ps->p = next;
        skip_space(ps);
        e = word_end(ps, ps->p);
        if (e > ps->p && !strchr("-\"", *ps->p) && !at_or(ps, 0) &&
            !at_op(ps) && !field_at(ps, &nl, &sk))
            sbuf_addf(&ps->notice, " (a value ends at a space: "
                                   "%.*s:\"%.*s %.*s\")",
                      (int)namelen, name, (int)uni_cut(v, n, 40), v,
                      (int)uni_cut(ps->p, (size_t)(e - ps->p), 40), ps->p);
        ps->p = save;
    }
    if ((kind != F_SECTION && kind != F_SOURCE) || (ps->listed & 1u << kind))
        return;
    ps->listed |= 1u << kind; /* once */
    values vs = {0};
    xap_db_allterms(ps->s->db, kind == F_SECTION ? PFX_SECTION : PFX_SOURCE,
                    1, value_seen, &vs, NULL);
    sbuf_addf(&ps->notice, vs.ntop ? "; %s%ss:" : "; %sno article has a %s",
              vs.all > vs.ntop ? "the commonest " : "", field);
    for (size_t i = 0; i < vs.ntop; i++) {
        /* a section as its articles write it (SLOT_SECTION of the first
         * with its term: "Thời sự", not thoi su) */
        char *shown_as = NULL;
        size_t len = 0;
        if (kind == F_SECTION) {
            xap_docid did;
            sbuf term = {0};
            sbuf_addf(&term, "%s%s", PFX_SECTION, vs.top[i].v);
            if (xap_db_find(ps->s->db, term.s, term.len, &did, NULL) !=
                    TT_OK ||
                xap_db_doc_value(ps->s->db, did, SLOT_SECTION, &shown_as,
                                 &len, NULL) != TT_OK ||
                !len || memchr(shown_as, '\0', len)) {
                free(shown_as);
                shown_as = NULL;
            }
            sbuf_free(&term);
        }
        sbuf_addf(&ps->notice, "%s %.*s", i ? "," : "",
                  shown_as ? (int)len : (int)strlen(vs.top[i].v),
                  shown_as ? shown_as : vs.top[i].v);
        free(shown_as);
        free(vs.top[i].v);
    }
    if (vs.all > vs.ntop)
        sbuf_addf(&ps->notice, " (of %zu)", vs.all);
}

/* The error of a field name[0..namelen) given no value. */
static void no_value(parser *ps, const char *name, size_t namelen, int kind)
{
    ps->rc = tt_seterr(&ps->err, TT_EINVAL,
                       "nothing after \"%.*s:\" (expected %s)",
                       (int)uni_cut(name, namelen, 40), name,
                       kind == F_SINCE || kind == F_UNTIL
                           ? "a date: YYYY, YYYY-MM or YYYY-MM-DD"
                           : "a word, a \"phrase\" or a (group)");
}

/* A field item at ps->p (kind, namelen and skip from field_at, namelen 0
 * for a value of a field's group); returns a query for title:, NULL for
 * filters (recorded in ps).  negate: a leading '-'. */
static xap_query *field_item(parser *ps, int kind, size_t namelen,
                             size_t skip, int negate)
{
    const char *v, *name = ps->p;
    size_t n;
    int quoted;
    ps->p += skip;
    field_value(ps, &v, &n, &quoted);
    ps->simple = 0;
    if (!n) { /* "title:", title:"": an error; "" in title:(...) nothing */
        if (namelen)
            no_value(ps, name, namelen, kind);
        return NULL;
    }
    switch (kind) {
    case F_TITLE:
        ps->weighted |= !negate;
        return title_q(ps, v, n, quoted, negate);
    case F_AUTHOR:
    case F_SECTION:
    case F_TAG:
    case F_SOURCE: {
        static const char *const prefix[] = {"", "", PFX_AUTHOR, PFX_SECTION,
                                             PFX_TAG, PFX_SOURCE};
        int none;
        add_filter(ps, bool_filter(ps, prefix[kind], v, n, &none), negate);
        if (none) /* (in a group each word is a value: no hint) */
            note_unmatched(ps, kind, name, namelen, v, n,
                           quoted || !namelen ? NULL : ps->p);
        break;
    }
    case F_SINCE:
        add_filter(ps, date_filter(ps, v, n, NULL, 0, negate), negate);
        break;
    case F_UNTIL:
        add_filter(ps, date_filter(ps, NULL, 0, v, n, negate), negate);
        break;
    }
    return NULL;
}

static xap_query *parse_or(parser *ps, int depth);

/* Where the item at p ends: after a "quoted phrase", or with group
 * after a (group in parentheses), else at a space, a parenthesis or a
 * quote. */
static const char *item_end(const parser *ps, const char *p, int group)
{
    int depth = 0;
    if (p < ps->end && *p == '"') {
        for (p++; p < ps->end && *p != '"'; p++)
            ;
        return p < ps->end ? p + 1 : p;
    }
    for (; p < ps->end; p++) {
        if (group && (*p == '(' || *p == ')')) {
            depth += *p == '(' ? 1 : -1;
            if (depth <= 0)
                return p + 1;
        } else if (!depth && strchr(" \t\n\r()\"", *p)) {
            break;
        }
    }
    return p;
}

/* Does the query carry accents in the words it searches for (words,
 * phrases), the sign of an input method?  Excluded items and field values
 * (title: too) are left out: a section copied from a page, or "-bão" to
 * keep storms out, says nothing of how the words beside them were
 * typed. */
static int text_accented(parser *ps)
{
    const char *save = ps->p;
    int acc = 0, excl = 0, op;
    vn_token tk;
    while (!acc) {
        while (ps->p < ps->end && strchr(" \t\n\r()", *ps->p))
            ps->p++;
        if (ps->p >= ps->end)
            break;
        const char *w = ps->p;
        size_t nl, sk, orlen = at_or(ps, ps->p == save);
        if (orlen) { /* "hoặc" is no word typed with accents */
            ps->p += orlen;
            continue;
        }
        if ((op = at_op(ps))) {
            ps->p += 3;
            skip_space(ps);
            if (op == 'N' && ps->p < ps->end && *ps->p == '(')
                ps->p = item_end(ps, ps->p, 1); /* NOT (...) */
            else
                excl |= op == 'N';
            continue;
        }
        int minus = excl;
        excl = 0;
        if (*ps->p == '-' && ps->p + 1 < ps->end && ps->p[1] != ' ') {
            minus = 1;
            w = ++ps->p;
        }
        if (field_at(ps, &nl, &sk) > 0) {
            const char *v;
            size_t n;
            int quoted;
            ps->p += sk;
            if (ps->p < ps->end && *ps->p == '(') /* title:(...) */
                ps->p = item_end(ps, ps->p, 1);
            else
                field_value(ps, &v, &n, &quoted);
            continue;
        }
        ps->p = item_end(ps, ps->p, minus);
        if (ps->p == w)
            ps->p++; /* never stall */
        if (minus)
            continue;
        vn_tok_start(ps->s->tok, w, (size_t)(ps->p - w));
        while (!acc && vn_tok_next(ps->s->tok, &tk))
            acc = (tk.flags & (VN_SYLL | VN_ACCENT)) == (VN_SYLL | VN_ACCENT);
    }
    ps->p = save;
    return acc;
}

/* The (group) at ps->p, read to its ')'; minus: it is excluded. */
static xap_query *group_q(parser *ps, int depth, int minus)
{
    /* the group reads its dates from open; a group of one alternative
     * that must match narrows this one's */
    char lo[sizeof ps->text_lo], hi[sizeof ps->text_hi];
    xap_query *q;
    memcpy(lo, ps->text_lo, sizeof lo);
    memcpy(hi, ps->text_hi, sizeof hi);
    ps->text_lo[0] = ps->text_hi[0] = '\0';
    ps->simple = 0;
    ps->p++;
    q = depth < 32 ? parse_or(ps, depth + 1) : NULL;
    if (minus) {
        memcpy(ps->text_lo, lo, sizeof lo);
        memcpy(ps->text_hi, hi, sizeof hi);
    } else if (!ps->rc) {
        dates_narrow(ps, lo, hi);
    }
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == ')')
        ps->p++; /* an unclosed '(' closes at the end */
    return q;
}

/* A sequence of items (implicit AND, minus exclusions), up to OR, ')' or
 * the end. */
static xap_query *parse_and(parser *ps, int depth)
{
    xap_query **pos = NULL, **neg = NULL, *q;
    size_t npos = 0, nneg = 0, pcap = 0, ncap = 0;
    for (;;) {
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ')' && !depth) {
            ps->p++; /* a ')' that closes nothing */
            continue;
        }
        if (ps->p >= ps->end || *ps->p == ')' || at_or(ps, !npos && !nneg) ||
            ps->rc)
            break;
        int minus = 0, op, ops = 0;
        xap_query *item = NULL;
        size_t tp0 = ps->ntp;
        while ((op = at_op(ps))) { /* AND: nothing; NOT: '-' */
            ps->p += 3;
            ps->ops = 1;
            ps->simple = 0;
            minus |= op == 'N';
            ops = 1;
            skip_space(ps);
        }
        if (ops && ps->p < ps->end && *ps->p == ')' && !depth)
            continue; /* (skipped above) */
        if (ops && (ps->p >= ps->end || *ps->p == ')' || at_or(ps, 0)))
            break; /* an operator with nothing after it */
        if (*ps->p == '-' && ps->p + 1 < ps->end && ps->p[1] != ' ') {
            minus = 1;
            ps->p++;
        }
        size_t namelen = 0, skip = 0;
        int kind = field_at(ps, &namelen, &skip);
        if (ps->gfield && kind <= 0 && *ps->p != '(') {
            kind = ps->gfield; /* a word or phrase of title:(...) */
            namelen = skip = 0;
        }
        if (kind == -1) {
            size_t shown = uni_cut(ps->p, namelen, 40); /* whole letters */
            if (!ps->unknown)
                sbuf_addf(&ps->notice,
                          "%sunknown field \"%.*s:\", searched as words",
                          ps->notice.len ? "; " : "", (int)shown, ps->p);
            if (!ps->unknown)
                ps->unknown = xstrndup(ps->p, shown);
            ps->notes |= SRCH_NOTE_FIELD;
            ps->simple = 0; /* no "did you mean" of a field's words */
            kind = 0;
        }
        if (kind > 0 && namelen && ps->p + skip < ps->end &&
            ps->p[skip] == '(') {
            /* title:(a "b c" OR d): the field of each word and phrase */
            int outer = ps->gfield;
            const char *name = ps->p;
            const char *in = ps->p += skip;
            while (++in < ps->end && strchr(" \t\n\r", *in))
                ;
            if (in == ps->end || *in == ')') { /* title:() */
                no_value(ps, name, namelen, kind);
                break;
            }
            ps->gfield = kind;
            item = group_q(ps, depth, minus);
            ps->gfield = outer;
        } else if (kind > 0) {
            item = field_item(ps, kind, namelen, skip, minus);
            if (!item)
                continue;
        } else if (date_range_at(ps, minus)) {
            ps->simple = 0;
            continue;
        } else if (*ps->p == '(') {
            item = group_q(ps, depth, minus);
        } else if (*ps->p == '"') {
            ps->simple = 0;
            const char *s = ++ps->p;
            while (ps->p < ps->end && *ps->p != '"')
                ps->p++;
            qword *w;
            size_t n = words_of(ps, s, (size_t)(ps->p - s), &w);
            if (n)
                item = phrase_q(ps, w, n);
            ps->weighted |= n && !minus;
            ps->phrases += n > 1 && !minus;
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
                    size_t nl, sk;
                    const char *re;
                    if (ps->p >= ps->end || at_or(ps, 0) || at_op(ps) ||
                        *ps->p == '-' ||
                        *ps->p == '"' || *ps->p == '(' || *ps->p == ')' ||
                        field_at(ps, &nl, &sk) != 0 || range_dots(ps, &re)) {
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
            ps->weighted |= n && !minus;
            if (minus)
                ps->simple = 0;
            else
                remember_words(ps, w, n);
            words_free(w, n);
            if (ps->p == s)
                ps->p++; /* never stall */
        }
        if (minus)
            title_phrases_drop(ps, tp0);
        if (!item)
            continue;
        if (minus) {
            ps->simple = 0;
            ps->negated = 1;
            xgrow(&neg, &ncap, nneg + 1, sizeof *neg);
            neg[nneg++] = item;
        } else {
            xgrow(&pos, &pcap, npos + 1, sizeof *pos);
            pos[npos++] = item;
        }
    }
    q = npos == 0 ? NULL : npos == 1 ? pos[0] : xap_q_op(XAP_OP_AND, pos, npos, 0);
    if (!q && nneg) /* "section:X -word": every article (weighing nothing,
                       as filters alone), less those */
        q = xap_q_scale(xap_q_all(), 0);
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

/* q (NULL: every article) restricted to all of the filters f[0..nf) and
 * none of nf[0..nnf); takes them all. */
static xap_query *restrict_q(xap_query *q, xap_query **f, size_t n,
                             xap_query **nf, size_t nn)
{
    if (!q)
        q = xap_q_all();
    if (n)
        q = xap_q_op2(XAP_OP_FILTER, q, xap_q_op(XAP_OP_AND, f, n, 0));
    if (nn)
        q = xap_q_op2(XAP_OP_AND_NOT, q, xap_q_op(XAP_OP_OR, nf, nn, 0));
    return q;
}

/* Alternatives separated by OR.  The filters of a query that is one group
 * stay in ps for the whole query; in parentheses or beside an OR, each
 * group takes its own (the last ones recorded: a nested group has taken
 * its own already), and a group of filters alone weighs nothing. */
static xap_query *parse_or(parser *ps, int depth)
{
    struct alt {
        xap_query *q;
        size_t f0, f1, n0, n1; /* its filters: filt[f0, f1), nfilt[n0, n1) */
    } *alts = NULL;
    size_t n = 0, cap = 0, tp0 = ps->ntp;
    for (;;) {
        size_t f0 = ps->nf, n0 = ps->nnf;
        ps->text_lo[0] = ps->text_hi[0] = '\0'; /* each its own dates */
        xap_query *q = parse_and(ps, depth);
        if (q || ps->nf > f0 || ps->nnf > n0) {
            xgrow(&alts, &cap, n + 1, sizeof *alts);
            alts[n++] = (struct alt){q, f0, ps->nf, n0, ps->nnf};
        }
        skip_space(ps);
        size_t orlen = at_or(ps, 0);
        if (!orlen)
            break;
        ps->simple = 0;
        ps->p += orlen;
    }
    xap_query *q = NULL;
    if (n > 1)
        title_phrases_drop(ps, tp0);
    if (n > 1) /* the dates of all of them: any */
        ps->text_lo[0] = ps->text_hi[0] = '\0';
    if (n == 1 && !depth) {
        q = alts[0].q;
    } else if (n) {
        xap_query **qs = xcalloc(n, sizeof *qs);
        for (size_t i = 0; i < n; i++) {
            const struct alt *a = &alts[i];
            int alone = !a->q;
            size_t nf = a->f1 - a->f0, nn = a->n1 - a->n0;
            qs[i] = nf || nn ? restrict_q(a->q, nf ? ps->filt + a->f0 : NULL,
                                          nf, nn ? ps->nfilt + a->n0 : NULL,
                                          nn)
                             : a->q;
            if (alone)
                qs[i] = xap_q_scale(qs[i], 0);
            ps->inner_filters |= qs[i] != a->q;
        }
        ps->nf = alts[0].f0; /* taken by the groups */
        ps->nnf = alts[0].n0;
        q = n == 1 ? qs[0] : xap_q_op(XAP_OP_OR, qs, n, 0);
        free(qs);
    }
    free(alts);
    return q;
}

/* The relaxed form (relaxed_q).  Of more than
 * RELAX_ELITE words, the RELAX_ELITE most selective (Xapian's elite set,
 * by the greatest weight each can give): an OR of many common words reads
 * most of the index, 50-200 ms for a pasted headline with a word no
 * article has, 1.3 s for 32 words, and ranks by the rare words anyway
 * (headlines of 186,135 articles with one or two words changed, the
 * target by the partial matches: MRR 0.92 either way, median 52 -> 6 ms). */
#define RELAX_ELITE 10

/* A word of the relaxed query: in the form typed (an accented plain word:
 * ps->fallback lets its other forms weigh a quarter), else any form;
 * asked for in the title only (title:), in the title only. */
static xap_query *relaxed_word(parser *ps, size_t i)
{
    qword w = {.fold = ps->hl[i], .norm = ps->hl[i]};
    if (ps->hltitle[i])
        return xap_q_scale(term_q(ps, PFX_TITLE_FOLD, w.fold, strlen(w.fold)),
                           TITLE_WEIGHT);
    for (size_t j = 0; j < ps->nw; j++)
        if (ps->words[j].exact && !strcmp(ps->words[j].fold, w.fold)) {
            w.norm = ps->words[j].norm;
            w.exact = 1;
            break;
        }
    return word_q(ps, &w);
}

/* The relaxed form of a query no article matches: any of its words, and
 * of 3 to RELAX_ELITE words the articles that miss one only once more (an
 * OR of the ANDs of all words but one), so that they weigh about twice.
 * Without it BM25 let one rare word outweigh the others: bão or lũ
 * ranked the articles of a building whose name holds "or" above those of
 * storms and floods.  Of more words, the RELAX_ELITE most selective. */
static xap_query *relaxed_q(parser *ps)
{
    size_t n = ps->nhl;
    xap_query **subs = xcalloc(n + 1, sizeof *subs), *q;
    for (size_t i = 0; i < n; i++)
        subs[i] = relaxed_word(ps, i);
    if (n > RELAX_ELITE) {
        q = xap_q_op(XAP_OP_ELITE_SET, subs, n, RELAX_ELITE);
        free(subs);
        return q;
    }
    if (n >= 3) { /* each word read once, copied into the ANDs */
        xap_query **alts = xcalloc(n + 1, sizeof *alts);
        xap_query **and = xcalloc(n, sizeof *and);
        for (size_t i = 0; i < n; i++) {
            size_t k = 0;
            for (size_t j = 0; j < n; j++)
                if (j != i)
                    and[k++] = xap_q_copy(subs[j]);
            alts[i] = xap_q_op(XAP_OP_AND, and, k, 0);
        }
        alts[n] = xap_q_op(XAP_OP_OR, subs, n, 0);
        q = xap_q_op(XAP_OP_OR, alts, n + 1, 0);
        free(and);
        free(alts);
    } else {
        q = xap_q_op(XAP_OP_OR, subs, n, 0);
    }
    free(subs);
    return q;
}

/* ---- results ---------------------------------------------------------- */

/* Does a token of the text (its folded and normalised forms) match a query
 * word? */
static int is_hl(const parser *ps, const char *fold, size_t n,
                 const char *norm, size_t nn)
{
    for (size_t i = 0; i < ps->nhl; i++)
        if (strlen(ps->hl[i]) == n && !memcmp(ps->hl[i], fold, n)) {
            if (ps->hl_all || ps->hlany[i])
                return 1;
            for (size_t j = 0; j < ps->nhlnorm; j++)
                if (strlen(ps->hlnorm[j]) == nn &&
                    !memcmp(ps->hlnorm[j], norm, nn))
                    return 1;
            return 0;
        }
    return 0;
}

#define SNIPPET_TOKENS 36

typedef struct tokpos {
    size_t off, len;
    size_t foff, flen; /* its folded form in the fold buffer */
    size_t noff, nlen; /* a hit's normalised form there (when ps->nb) */
    int hit;
    unsigned char kind; /* VN_WORD… */
    unsigned char syll; /* a Vietnamese syllable (VN_SYLL) */
    unsigned char inrun; /* a reading's word (unmark_beside_readings) */
} tokpos;

/* Are a and b the same, but for '.' and '-' (TP.HCM, TPHCM, TP-HCM)? */
static int same_key(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    for (;; i++, j++) {
        while (i < an && (a[i] == '.' || a[i] == '-'))
            i++;
        while (j < bn && (b[j] == '.' || b[j] == '-'))
            j++;
        if (i == an || j == bn)
            return i == an && j == bn;
        if (a[i] != b[j])
            return 0;
    }
}

/* Mark hit the tokens of t[0..cnt) that stand for a run of ps->hlrun:
 * its words in a row (punctuation between them is passed over, as the
 * index's positions do), each word in any of its abbreviation's forms
 * (same_key). */
static void mark_runs(const parser *ps, tokpos *t, size_t cnt,
                      const char *folds)
{
    for (size_t r = 0; r < ps->nhlrun; r++) {
        const char *run = ps->hlrun[r];
        for (size_t i = 0; i < cnt; i++) {
            const char *p = run;
            size_t j = i, last = i;
            while (*p && j < cnt) {
                size_t wl = strcspn(p, " ");
                if (!t[j].flen) { /* punctuation: passed over */
                    if (j == i)
                        break;
                    j++;
                    continue;
                }
                if (!same_key(folds + t[j].foff, t[j].flen, p, wl))
                    break;
                last = j++;
                p += wl + (p[wl] == ' ');
            }
            if (*p)
                continue;
            for (size_t k = i; k <= last; k++)
                t[k].hit |= t[k].flen > 0;
        }
    }
}

/* Do the tokens t[i..) write bonus b's reading (its syllables in a row,
 * as the lexicon spells them)?  Such tokens are hits (is_hl). */
static int writes_reading(const struct bonus *b, const tokpos *t, size_t i,
                          size_t cnt, const char *buf)
{
    if (!t[i].hit || i + b->n > cnt)
        return 0;
    for (size_t j = 0; j < b->n; j++)
        if (!t[i + j].hit ||
            (!b->any[j] &&
             (strlen(b->reading[j]) != t[i + j].nlen ||
              memcmp(b->reading[j], buf + t[i + j].noff, t[i + j].nlen))))
            return 0;
    return 1;
}

/* Is t, beside a reading of bo, a hit on a query word that only folds
 * like one of its words (not typed with accents: hlnorm)? */
static int folds_like(const parser *ps, const struct bonus *bo,
                      const tokpos *t, const char *buf)
{
    int fold = 0;
    if (!t->hit || t->inrun || !t->nlen)
        return 0;
    for (size_t j = 0; j < bo->n; j++)
        fold |= strlen(bo->fold[j]) == t->flen &&
                !memcmp(bo->fold[j], buf + t->foff, t->flen);
    for (size_t j = 0; fold && j < ps->nhlnorm; j++)
        if (strlen(ps->hlnorm[j]) == t->nlen &&
            !memcmp(ps->hlnorm[j], buf + t->noff, t->nlen))
            return 0;
    return fold;
}

/* Accent-free query words read as a word of the lexicon ("da nang": Đà
 * Nẵng, a reading of ps->bonus) mark that word where the text writes it;
 * the syllable right beside it that only folds like one of its words
 * ("Đà Nẵng đã") is no match of the query: unmarked, unless typed with
 * accents or a reading's word itself.  Elsewhere a query word alone is
 * marked in any form, as before. */
static void unmark_beside_readings(const parser *ps, tokpos *t, size_t cnt,
                                   const char *buf)
{
    for (size_t i = 0; i < cnt; i++)
        for (size_t b = 0; t[i].hit && b < ps->nb; b++)
            if (writes_reading(&ps->bonus[b], t, i, cnt, buf))
                for (size_t j = 0; j < ps->bonus[b].n; j++)
                    t[i + j].inrun = 1;
    for (size_t i = 0; i < cnt; i++)
        for (size_t b = 0; t[i].inrun && b < ps->nb; b++) {
            const struct bonus *bo = &ps->bonus[b];
            if (!writes_reading(bo, t, i, cnt, buf))
                continue;
            if (i > 0 && folds_like(ps, bo, &t[i - 1], buf))
                t[i - 1].hit = 0;
            if (i + bo->n < cnt && folds_like(ps, bo, &t[i + bo->n], buf))
                t[i + bo->n].hit = 0;
        }
}

/* Tokenise text[0..n) into *t (*cnt tokens) with their hits: a query
 * word's folded form, or a run of ps->hlrun, less what
 * unmark_beside_readings takes back.  folds receives the tokens' folded
 * forms (and the hits' normalised ones, when the query has readings). */
static void hits_of(parser *ps, vn_tok *tok, const char *text, size_t n,
                    tokpos **t, size_t *cnt, sbuf *folds)
{
    vn_token tk;
    size_t cap = 0;
    *cnt = 0;
    sbuf_reset(folds);
    vn_tok_start(tok, text, n);
    while (vn_tok_next(tok, &tk)) {
        int word = an_indexable(&tk);
        xgrow(t, &cap, *cnt + 1, sizeof **t);
        tokpos *p = &(*t)[(*cnt)++];
        p->off = tk.off;
        p->len = tk.len;
        p->foff = folds->len;
        p->flen = word ? tk.fold_len : 0;
        p->kind = (unsigned char)tk.kind;
        p->syll = (tk.flags & VN_SYLL) != 0;
        p->inrun = 0;
        if (word)
            sbuf_add(folds, tk.fold, tk.fold_len);
        p->hit = word && is_hl(ps, tk.fold, tk.fold_len, tk.norm, tk.norm_len);
        /* "22/9" and "2021" mark "22-9-2021", "22:32" marks "22:32:05" */
        an_extra x[AN_MAX_EXTRA];
        size_t nx = word && !p->hit ? an_token_extras(&tk, text, n, x) : 0;
        for (size_t k = 0; k < nx && !p->hit; k++)
            p->hit = is_hl(ps, x[k].s, x[k].len, x[k].s, x[k].len);
        /* "covid", "19" and "covid19" mark "COVID-19" */
        an_part part[AN_MAX_PARTS];
        size_t np = word && !p->hit ? an_compound(&tk, part, &ps->cfold,
                                                  &ps->cnorm)
                                    : 0;
        if (np)
            p->hit = is_hl(ps, ps->cfold.s, ps->cfold.len, ps->cnorm.s,
                           ps->cnorm.len);
        for (size_t k = 0; k < np && !p->hit; k++)
            p->hit = is_hl(ps, part[k].fold, part[k].flen, part[k].norm,
                           part[k].nlen);
        /* a hit's normalised form, for unmark_beside_readings */
        p->noff = folds->len;
        p->nlen = p->hit && ps->nb ? tk.norm_len : 0;
        if (p->nlen)
            sbuf_add(folds, tk.norm, p->nlen);
    }
    if (ps->nhlrun)
        mark_runs(ps, *t, *cnt, folds->s);
    if (ps->nb)
        unmark_beside_readings(ps, *t, *cnt, folds->s);
}

/* A text's tokens with their hits, and its best matches: the most that
 * SNIPPET_TOKENS tokens in a row hold, from t[h0] to t[h1], the closest
 * together of those, the earliest on ties. */
typedef struct passage {
    const char *text;
    tokpos *t;
    size_t cnt, h0, h1;
    int score;
    int cut; /* text is cut short (DD_CUT): it goes on */
} passage;

static void passage_of(parser *ps, const char *text, size_t n, passage *p)
{
    size_t score = 0, bestscore = 0, lo = 0;
    p->text = text;
    p->h0 = p->h1 = 0;
    p->cut = 0;
    hits_of(ps, ps->s->tok, text, n, &p->t, &p->cnt, &ps->folds);
    for (size_t i = 0; i < p->cnt; i++) {
        score += p->t[i].hit;
        if (i >= SNIPPET_TOKENS)
            score -= p->t[i - SNIPPET_TOKENS].hit;
        if (!p->t[i].hit)
            continue;
        /* lo: the first match of the window ending here */
        while (lo < i && (lo + SNIPPET_TOKENS <= i || !p->t[lo].hit))
            lo++;
        if (score > bestscore ||
            (score == bestscore && i - lo < p->h1 - p->h0)) {
            bestscore = score;
            p->h0 = lo;
            p->h1 = i;
        }
    }
    p->score = (int)bestscore;
}

/* Is t[i] written against t[i - 1], no space between? */
static int glued(const tokpos *t, size_t i)
{
    return t[i - 1].off + t[i - 1].len == t[i].off;
}

/* Is p's token i a mark that opens what follows: a bracket or an opening
 * quote, a straight quote written against the next token? */
static int opens(const passage *p, size_t i)
{
    const tokpos *t = &p->t[i];
    const char *s = p->text + t->off;
    if (t->kind != VN_PUNCT)
        return 0;
    if (t->len == 1 && (*s == '"' || *s == '\''))
        return i + 1 < p->cnt && glued(p->t, i + 1);
    return (t->len == 1 && strchr("([{", *s)) ||
           (t->len == 2 && !memcmp(s, "«", 2)) ||
           (t->len == 3 && (!memcmp(s, "“", 3) || !memcmp(s, "‘", 3)));
}

/* Do p's tokens i - 1 and i go together: written against each other
 * ("26%", "chậm,"), or a number and its unit ("5 km": a symbol, or a
 * short word that is no syllable: km, kg, USD)? */
static int together(const passage *p, size_t i)
{
    const tokpos *n = &p->t[i - 1], *t = &p->t[i];
    const char *s = p->text + t->off;
    if (glued(p->t, i))
        return 1;
    if (n->kind != VN_NUMBER)
        return 0;
    return t->kind == VN_SYMBOL || (t->len == 1 && *s == '%') ||
           (t->len == 3 && !memcmp(s, "‰", 3)) ||
           ((t->kind == VN_WORD || t->kind == VN_ABBR) && !t->syll &&
            t->flen <= 3);
}

#define SNIPPET_GLUE 4 /* tokens a cut moves over to keep them together */
#define SNIPPET_EDGE (SNIPPET_TOKENS / 4)

/* The tokens [*from, *to) of p that its snippet shows: SNIPPET_TOKENS
 * around its best matches, centred on them, or from the start or to the
 * end of the text when that is SNIPPET_EDGE tokens away or less; not cut
 * between tokens that go together (together: "26|%", "chậm|,", "5|km");
 * never starting at punctuation but an opening mark, nor ending at a
 * mark that stands apart ("–", "“"). */
static void passage_span(const passage *p, size_t *from, size_t *to)
{
    const tokpos *t = p->t;
    size_t span = p->h1 - p->h0 + 1, slack = SNIPPET_TOKENS - span;
    size_t f = p->h0 > slack / 2 ? p->h0 - slack / 2 : 0, e, k;
    if (p->cnt <= SNIPPET_TOKENS ||
        (f <= SNIPPET_EDGE && p->h1 < SNIPPET_TOKENS))
        f = 0;
    else if (f + SNIPPET_EDGE >= p->cnt - SNIPPET_TOKENS &&
             p->h0 >= p->cnt - SNIPPET_TOKENS)
        f = p->cnt - SNIPPET_TOKENS;
    e = f + SNIPPET_TOKENS < p->cnt ? f + SNIPPET_TOKENS : p->cnt;
    for (k = 0; f > 0 && k < SNIPPET_GLUE && together(p, f); k++)
        f--;
    while (f > 0 && f < p->h0 && !t[f].flen && !opens(p, f))
        f++;
    for (k = 0; e < p->cnt && k < SNIPPET_GLUE && together(p, e); k++)
        e++;
    while (e < p->cnt && e - 1 > p->h1 && !t[e - 1].flen &&
           !glued(t, e - 1))
        e--;
    *from = f;
    *to = e;
}

/* Append p's best passage to out, cleaned, with its marks. */
static void snippet_of(parser *ps, const passage *p, sbuf *out,
                       srch_mark **marks, size_t *nmarks)
{
    const tokpos *t = p->t;
    const char *text = p->text;
    if (!p->cnt)
        return;
    size_t from, to;
    passage_span(p, &from, &to);
    size_t start = t[from].off, end = t[to - 1].off + t[to - 1].len;
    if (from > 0)
        sbuf_adds(out, "… ");
    size_t base = out->len;
    sbuf_reset(&ps->t);
    vn_clean(text + start, end - start, &ps->t);
    sbuf_add(out, ps->t.s, ps->t.len);
    {
        /* text already clean (the usual case): the scoring pass's tokens
         * give the marks; else they are found again on the cleaned text,
         * where offsets may have shifted */
        size_t mcap = 0, mc = to - from, shift = start;
        const tokpos *m = t + from;
        tokpos *again = NULL;
        if (ps->t.len != end - start ||
            memcmp(ps->t.s, text + start, end - start) != 0) {
            char *clean = xstrndup(ps->t.s, ps->t.len);
            hits_of(ps, ps->s->tok2, clean, ps->t.len, &again, &mc,
                    &ps->folds);
            free(clean);
            m = again;
            shift = 0;
        }
        for (size_t i = 0; i < mc; i++)
            if (m[i].hit) {
                xgrow(marks, &mcap, *nmarks + 1, sizeof **marks);
                (*marks)[*nmarks].start = base + m[i].off - shift;
                (*marks)[*nmarks].end = base + m[i].off - shift + m[i].len;
                (*nmarks)++;
            }
        free(again);
    }
    if (to < p->cnt || p->cut)
        sbuf_adds(out, " …");
}

/* What a hit shows of a stored field, v[0..n): NFC, for an article stored
 * decomposed reads (and is searched on the page) as any other; its own
 * allocation, in *keep when the caller must free it. */
static const char *shown(const char *v, size_t *n, char **keep)
{
    sbuf b = {0};
    *keep = NULL;
    if (!uni_maybe_decomposed(v, *n))
        return v;
    uni_nfc(v, *n, 0, &b);
    *keep = sbuf_detach(&b, n);
    return *keep ? *keep : "";
}

/* h's title as shown, cleaned as the snippet is (vn_clean: control and
 * zero-width characters out; h->title stays as stored, for programs),
 * and its matches marked as the snippet's are. */
static void title_marks(parser *ps, srch_hit *h)
{
    tokpos *t = NULL;
    size_t cnt = 0, cap = 0;
    sbuf c = {0};
    vn_clean(h->title, strlen(h->title), &c);
    h->title_shown = c.s ? sbuf_detach(&c, NULL) : xstrdup("");
    hits_of(ps, ps->s->tok, h->title_shown, strlen(h->title_shown), &t,
            &cnt, &ps->folds);
    for (size_t i = 0; i < cnt; i++)
        if (t[i].hit) {
            xgrow(&h->title_marks, &cap, h->ntitle_marks + 1,
                  sizeof *h->title_marks);
            h->title_marks[h->ntitle_marks].start = t[i].off;
            h->title_marks[h->ntitle_marks++].end = t[i].off + t[i].len;
        }
    free(t);
}

/* Score text[0..n) as a snippet's passage into *cur, and keep the better
 * of it and *best in *best: the passage just scored (where it is now). */
static passage *consider(parser *ps, const char *text, size_t n,
                         passage *cur, passage *best)
{
    passage_of(ps, text, n, cur);
    if (cur->score > best->score) { /* keep it, reuse the other */
        passage tmp = *best;
        *best = *cur;
        *cur = tmp;
        return best;
    }
    return cur;
}

/* The most of an article's text read for a snippet from the corpus: a
 * passage past it is not looked for (an article of megabytes would take
 * milliseconds) */
#define WHOLE_TEXT_MAX (128u << 10)
/* ... and the largest article read for it: one of megabytes, which no
 * news article is, is not parsed for a snippet (an article of 3 MB took
 * 40 ms a hit) */
#define WHOLE_JSON_MAX (512u << 10)

/* The snippet's passage from article id's whole text, read from the
 * corpus at place (DD_PLACE), when the part the db keeps holds no match:
 * into *best when better, the article in *a (its text and the NFC copies
 * in keep, for the caller to free after cutting the snippet).  Quietly
 * nothing when no corpus holds that version there (moved, purged, another
 * machine's): the stored part's passage stands. */
static void whole_text(parser *ps, const char *id, corpus_pos place,
                       article *a, passage *cur, passage *best,
                       char ***keep, size_t *nkeep, size_t *kcap)
{
    size_t left = WHOLE_TEXT_MAX, ndirs, k = 0;
    char *const *dirs = corpus_dirs(ps->s, &ndirs);
    /* the corpus of the db the hit is from: the one that has it there */
    while (k < ndirs && corpus_article_at(dirs[k], place, id,
                                          WHOLE_JSON_MAX, a, NULL) != TT_OK)
        k++;
    if (k == ndirs)
        return;
    for (size_t i = 0; i <= a->body.n && left; i++) {
        const char *v = i ? a->body.v[i - 1] : a->sapo;
        size_t n = v ? strlen(v) : 0;
        char *own;
        if (!n)
            continue;
        if (n > left)
            n = uni_cut(v, n, left);
        left -= n;
        v = shown(v, &n, &own);
        if (own) {
            xgrow(keep, kcap, *nkeep + 1, sizeof **keep);
            (*keep)[(*nkeep)++] = own;
        }
        consider(ps, v, n, cur, best);
    }
}

static void fill_hit(parser *ps, const char *data, size_t len, srch_hit *h)
{
    size_t pos = 0, n, acap = 0, nkeep = 0, kcap = 0;
    const char *v;
    char **keep = NULL; /* NFC copies the passages point into */
    int tag, placed = 0;
    corpus_pos place = {0, 0};
    article whole = {0};
    /* the snippet: the best passage of sapo and body paragraphs, each
     * scored, only the best one cut and marked */
    passage cur = {0}, best = {.score = -1}, *last = NULL;
    sbuf out = {0};
    while (dd_next(data, len, &pos, &tag, &v, &n)) {
        passage *prev = last; /* the text field just before, if any */
        char *own;
        last = NULL;
        if (tag == DD_PLACE) {
            char buf[32];
            if (n < sizeof buf) {
                memcpy(buf, v, n);
                buf[n] = '\0';
                placed = corpus_pos_parse(buf, &place) == 0 && place.file;
            }
            continue;
        }
        v = shown(v, &n, &own);
        if (own) {
            xgrow(&keep, &kcap, nkeep + 1, sizeof *keep);
            keep[nkeep++] = own;
        }
        char **field = tag == DD_ID          ? &h->id
                       : tag == DD_URL       ? &h->url
                       : tag == DD_TITLE     ? &h->title
                       : tag == DD_PUBLISHED ? &h->published
                       : tag == DD_SECTION   ? &h->section
                       : tag == DD_SOURCE    ? &h->source
                                             : NULL;
        if (field && !*field) {
            *field = xstrndup(v, n);
        } else if (tag == DD_AUTHOR) {
            xgrow(&h->authors, &acap, h->nauthors + 1, sizeof *h->authors);
            h->authors[h->nauthors++] = xstrndup(v, n);
        } else if ((tag == DD_SAPO || tag == DD_BODY) && n) {
            last = consider(ps, v, n, &cur, &best);
        } else if (tag == DD_CUT && prev) {
            prev->cut = 1;
        }
    }
    /* no match in the part kept: the whole text may have one */
    if (best.score <= 0 && placed && h->id && (ps->nhl || ps->nhlrun))
        whole_text(ps, h->id, place, &whole, &cur, &best, &keep, &nkeep,
                   &kcap);
    if (best.text)
        snippet_of(ps, &best, &out, &h->marks, &h->nmarks);
    if (h->title)
        title_marks(ps, h);
    free(cur.t);
    free(best.t);
    for (size_t i = 0; i < nkeep; i++)
        free(keep[i]);
    free(keep);
    article_free(&whole);
    h->snippet = sbuf_detach(&out, NULL);
}

/* ---- more like this ----------------------------------------------------- */

/* Terms worth expanding on: plain words of letters, not ids, filters or
 * numbers. */
static int mlt_accept(void *arg, const char *term, size_t len)
{
    (void)arg;
    /* prefixed terms (ids, filters, title) begin with an upper-case letter */
    if (!len || (term[0] >= 'A' && term[0] <= 'Z'))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (term[i] >= '0' && term[i] <= '9')
            return 0;
    return len > 1;
}

/* Articles like article id: its most telling terms, OR'ed, itself and
 * its near-duplicates (its SLOT_DUPKEY) left out. */
/* Article id's id term (qid), docid and near-duplicate key (*key, *klen:
 * none when 0); an unknown id TT_ENOTFOUND, said, with ps->unknown_id. */
static int id_key(parser *ps, const char *id, sbuf *qid, xap_docid *did,
                  char **key, size_t *klen, tt_err *e)
{
    int rc;
    an_id_term(id, strlen(id), qid);
    rc = xap_db_find(ps->s->db, qid->s, qid->len, did, e);
    if (rc == TT_ENOTFOUND) {
        tt_seterr(e, TT_ENOTFOUND, "no article with id \"%.100s\"", id);
        ps->unknown_id = 1;
    }
    if (rc == TT_OK)
        rc = xap_db_doc_value(ps->s->db, *did, SLOT_DUPKEY, key, klen, e);
    return rc;
}

static int related_q(parser *ps, const char *id, xap_query **out, tt_err *e)
{
    sbuf qid = {0};
    xap_docid did;
    char **terms = NULL, *key = NULL;
    size_t nt = 0, klen = 0;
    int rc = id_key(ps, id, &qid, &did, &key, &klen, e);
    if (rc == TT_OK)
        rc = xap_expand(ps->s->db, &did, 1, NULL, 24, mlt_accept, NULL,
                        &terms, &nt, e);
    char *data = NULL;
    size_t len = 0, pos = 0, n;
    const char *v;
    int tag;
    if (rc == TT_OK && !ps->related_title &&
        xap_db_doc_data(ps->s->db, did, &data, &len, NULL) == TT_OK)
        while (dd_next(data, len, &pos, &tag, &v, &n))
            if (tag == DD_TITLE) {
                char *own;
                v = shown(v, &n, &own);
                ps->related_title = n ? xstrndup(v, n) : NULL;
                free(own);
                break;
            }
    free(data);
    if (rc == TT_OK) {
        xap_query **subs = xcalloc(nt + 1, sizeof *subs), *self;
        for (size_t i = 0; i < nt; i++) {
            subs[i] = xap_q_term(terms[i], strlen(terms[i]), 1, 0);
            hl_add(ps, terms[i], strlen(terms[i]), NULL);
        }
        self = xap_q_term(qid.s, qid.len, 1, 0);
        if (klen) /* its copies under other ids */
            self = xap_q_op2(XAP_OP_OR, self,
                             xap_q_value_range(SLOT_DUPKEY, key, klen, key,
                                               klen));
        *out = xap_q_op2(XAP_OP_AND_NOT, xap_q_op(XAP_OP_OR, subs, nt, 0),
                         self);
        free(subs);
    }
    free(key);
    xap_free_terms(terms, nt);
    sbuf_free(&qid);
    return rc;
}

/* Article id and its copies: the articles of its near-duplicate key
 * (SLOT_DUPKEY), whatever their ids. */
static int copies_q(parser *ps, const char *id, xap_query **out, tt_err *e)
{
    sbuf qid = {0};
    xap_docid did;
    char *key = NULL;
    size_t klen = 0;
    int rc = id_key(ps, id, &qid, &did, &key, &klen, e);
    if (rc == TT_OK) {
        *out = xap_q_term(qid.s, qid.len, 1, 0);
        if (klen)
            *out = xap_q_op2(XAP_OP_OR, *out,
                             xap_q_value_range(SLOT_DUPKEY, key, klen, key,
                                               klen));
    }
    free(key);
    sbuf_free(&qid);
    return rc;
}

/* ---- did you mean ------------------------------------------------------ */

/* The results whose titles and snippets suggestions are read from: the
 * first of the ranking, whatever the page (top_hits). */
#define SUGGEST_HITS 10

typedef struct seentok {
    size_t off, len;
    char *fold, *norm;
    int brk; /* punctuation stands between it and the word before */
    int joined; /* a hyphen alone does, touching both (Cu-ba) */
    int cap;    /* VN_CAP, VN_ALLCAPS as written */
    int letter; /* one letter ("A"): capitals say nothing of its case */
} seentok;

/* A tally of candidate spellings of a run of query words, with how each
 * word is written: votes[j] counts lower case, capitalised, all caps. */
enum { CASE_LOWER, CASE_CAP, CASE_ALLCAPS };
typedef struct cand {
    char *key;     /* norms joined by spaces */
    size_t words;  /* how many query words it spells */
    unsigned count;
    unsigned (*votes)[3];
    /* each word's spellings as written (lower case), with their counts:
     * one norm may be written several ways (kĩ and kỹ, hoà and hòa) */
    struct written {
        char *s;
        unsigned n;
    } **wr;
    size_t *nwr;
} cand;

/* Count the run toks[0..words) (written key) for its candidate: the case
 * of each word, where it says something: not that of a word beginning a
 * title or sentence (initial), nor of a run all in capitals (a title in
 * capitals: "ĐÀ NẴNG"), nor a capital on its last word where that begins
 * a longer word of the text (joined: "Tỉnh ủy"). */
static void tally(cand **cs, size_t *n, size_t *cap, const char *key,
                  size_t words, const char *text, const seentok *toks,
                  int initial, int joined)
{
    cand *c = NULL;
    int shouted = 1;
    for (size_t i = 0; i < *n && !c; i++)
        if (!strcmp((*cs)[i].key, key))
            c = &(*cs)[i];
    if (!c) {
        xgrow(cs, cap, *n + 1, sizeof **cs);
        c = &(*cs)[(*n)++];
        c->key = xstrdup(key);
        c->words = words;
        c->count = 0;
        c->votes = xcalloc(words, sizeof *c->votes);
        c->wr = xcalloc(words, sizeof *c->wr);
        c->nwr = xcalloc(words, sizeof *c->nwr);
    }
    c->count++;
    for (size_t j = 0; j < words; j++) {
        sbuf w = {0};
        size_t k = 0;
        uni_nfc(text + toks[j].off, toks[j].len, 1, &w);
        while (k < c->nwr[j] && strcmp(c->wr[j][k].s, w.s ? w.s : ""))
            k++;
        if (k == c->nwr[j]) {
            c->wr[j] = xrealloc(c->wr[j], (k + 1) * sizeof *c->wr[j]);
            c->wr[j][k].s = w.s ? sbuf_detach(&w, NULL) : xstrdup("");
            c->wr[j][k].n = 0;
            c->nwr[j]++;
        }
        c->wr[j][k].n++;
        sbuf_free(&w);
    }
    for (size_t j = 0; j < words; j++)
        if (!(toks[j].cap & VN_ALLCAPS) &&
            !((toks[j].cap & VN_CAP) && toks[j].letter))
            shouted = 0;
    size_t from = shouted ? words : initial ? 1 : 0;
    for (size_t j = from; j < words; j++)
        if (!joined || j + 1 < words || !toks[j].cap)
            c->votes[j][toks[j].cap & VN_ALLCAPS ? CASE_ALLCAPS
                        : toks[j].cap & VN_CAP   ? CASE_CAP
                                                 : CASE_LOWER]++;
}

static void cand_free(cand *c)
{
    free(c->key);
    free(c->votes);
    for (size_t j = 0; j < c->words; j++) {
        for (size_t k = 0; k < c->nwr[j]; k++)
            free(c->wr[j][k].s);
        free(c->wr[j]);
    }
    free(c->wr);
    free(c->nwr);
}

/* Do the text's words a and b, side by side, make a longer word of the
 * lexicon that is no proper name ("tỉnh ủy", the party committee, which
 * writes its first word with a capital: Tỉnh ủy Sơn La)?  A capital on a
 * is then the longer word's, an institution's, not a's ("tinh" is tỉnh,
 * a province); written in lower case there, a is in lower case. */
static int longer_word(parser *ps, const seentok *a, const seentok *b)
{
    const char *word[16];
    unsigned bits[16];
    sbuf norm = {0};
    int found = 0;
    if (b->brk)
        return 0;
    sbuf_reset(&ps->t);
    sbuf_addf(&ps->t, "%s %s", a->fold, b->fold);
    sbuf_addf(&norm, "%s %s", a->norm, b->norm);
    size_t nw = seg_builtin_by_fold(ps->t.s, word, bits, 16);
    for (size_t c = 0; c < nw && !found; c++)
        found = !(bits[c] & SEG_NAME) && !strcmp(word[c], norm.s);
    sbuf_free(&norm);
    return found;
}

/* The indexable tokens of text, in *out (how many returned). */
static size_t tokens_of(parser *ps, const char *text, seentok **out)
{
    seentok *toks = NULL;
    size_t nt = 0, ct = 0;
    int brk = 0;
    vn_token tk;
    vn_tok_start(ps->s->tok, text, strlen(text));
    while (vn_tok_next(ps->s->tok, &tk)) {
        if (!an_indexable(&tk)) {
            brk = 1;
            continue;
        }
        xgrow(&toks, &ct, nt + 1, sizeof *toks);
        toks[nt].off = tk.off;
        toks[nt].len = tk.len;
        toks[nt].fold = xstrndup(tk.fold, tk.fold_len);
        toks[nt].norm = xstrndup(tk.norm, tk.norm_len);
        toks[nt].brk = brk;
        toks[nt].joined = nt && tk.off == toks[nt - 1].off + toks[nt - 1].len + 1 &&
                          text[tk.off - 1] == '-';
        toks[nt].cap = (int)(tk.flags & (VN_CAP | VN_ALLCAPS));
        int32_t cp;
        toks[nt].letter = uni_decode(tk.norm, tk.norm_len, &cp) == tk.norm_len;
        brk = 0;
        nt++;
    }
    *out = toks;
    return nt;
}

static void tokens_free(seentok *toks, size_t nt)
{
    for (size_t t = 0; t < nt; t++) {
        free(toks[t].fold);
        free(toks[t].norm);
    }
    free(toks);
}

/* Whether text[off] begins the text or a sentence (after . ! ? : or an
 * opening quote or bracket, spaces skipped). */
static int starts_sentence(const char *text, size_t off)
{
    while (off > 0 && (text[off - 1] == ' ' || text[off - 1] == '\t'))
        off--;
    if (off == 0)
        return 1;
    unsigned char c = (unsigned char)text[off - 1];
    if (strchr(".!?:\"'(", c))
        return 1;
    /* “ and ‘ (E2 80 9C, E2 80 98) */
    return off >= 3 && (unsigned char)text[off - 3] == 0xE2 &&
           (unsigned char)text[off - 2] == 0x80 && (c == 0x9C || c == 0x98);
}

/* How a candidate's word j is written most often (CASE_*), lower case
 * on a tie; -1 when nothing says (it only begins sentences, or stands
 * in capitals only). */
static int case_of(const cand *c, size_t j)
{
    const unsigned *v = c->votes[j];
    if (!v[CASE_LOWER] && !v[CASE_CAP] && !v[CASE_ALLCAPS])
        return -1;
    if (v[CASE_ALLCAPS] > v[CASE_CAP] && v[CASE_ALLCAPS] > v[CASE_LOWER])
        return CASE_ALLCAPS;
    return v[CASE_CAP] > v[CASE_LOWER] ? CASE_CAP : CASE_LOWER;
}

static void add_cased(sbuf *b, const char *s, int cap);
static int is_syllable(parser *ps, const char *s, size_t n);

/* Append a candidate's spelling: its words each spelt as most often
 * written (its norm is one spelling of several: kĩ for kĩ and kỹ, and
 * the articles may write kỹ), in the case most often written where its
 * case says something: "công an" though one article
 * writes "Công an tỉnh", "Đà Nẵng" though a title writes "ĐÀ NẴNG".  A
 * first word seen only at the start of sentences is capitalised when
 * the next word is (a name: "Hà Nội"); joined words (cu-ba) keep their
 * hyphen. */
static void add_spelling(sbuf *b, const cand *c, const qword *w)
{
    const char *p = c->key;
    for (size_t j = 0; j < c->words; j++) {
        size_t len = strcspn(p, " ");
        const struct written *most = NULL;
        /* as most often written: "Mỹ" where its norm is mĩ */
        for (size_t i = 0; i < c->nwr[j]; i++)
            if (*c->wr[j][i].s && (!most || c->wr[j][i].n > most->n))
                most = &c->wr[j][i];
        char *word = most ? xstrdup(most->s) : xstrndup(p, len);
        int k = case_of(c, j);
        if (k < 0)
            k = !j && c->words > 1 && case_of(c, 1) == CASE_CAP ? CASE_CAP
                                                               : CASE_LOWER;
        if (j)
            sbuf_addc(b, w[j].joined ? '-' : ' ');
        add_cased(b, word, k == CASE_ALLCAPS ? VN_ALLCAPS
                           : k == CASE_CAP   ? VN_CAP
                                             : 0);
        free(word);
        p += len + (p[len] == ' ');
    }
}

/* Is w typed in capitals and no syllable (DD, UBND)?  An abbreviation,
 * kept as typed. */
static int abbreviation(const qword *w)
{
    return (w->cap & VN_ALLCAPS) && !w->syll;
}


/* How many titles write the name syl[0..3) (norm forms): its words in
 * the title (S terms), and together, in this order, in the article (the
 * title terms have no positions; "Phạm Văn Nam ở sân vận động" is not
 * "Phạm Văn Động"); counted up to NAME_COUNT_MAX. */
#define NAME_COUNT_MAX 1000
static uint32_t titles_naming(parser *ps, const char *const *syl)
{
    xap_query *t[3], *f[3];
    sbuf fold = {0};
    for (size_t j = 0; j < 3; j++) {
        sbuf_reset(&fold);
        vn_fold_norm(syl[j], strlen(syl[j]), &fold);
        f[j] = term_q(ps, "", fold.s, fold.len);
        t[j] = term_q(ps, PFX_TITLE, syl[j], strlen(syl[j]));
    }
    sbuf_free(&fold);
    return count_matches(ps,
                         xap_q_op2(XAP_OP_FILTER,
                                   xap_q_op(XAP_OP_PHRASE, f, 3, 3),
                                   xap_q_op(XAP_OP_AND, t, 3, 0)),
                         NAME_COUNT_MAX);
}

/* The given name of a person after sur and mid (norm forms) at word g
 * (spans: the texts' readings of runs of words): as the texts capitalise
 * it after the middle name, else alone, else the form of its letters the
 * most titles write after them (the texts may be about something else: "pham
 * van dong" finds "sân vận động"), else NULL. */
static char *given_name(parser *ps, cand *const *spans, const size_t *nspan,
                        size_t g, const char *sur, const char *mid,
                        const qword *w)
{
    const cand *best = NULL;
    size_t at = 0;
    /* written after the middle name (Thị Thu), else alone */
    for (size_t c = 0; c < nspan[g - 1]; c++) {
        const cand *sp = &spans[g - 1][c];
        size_t len = strcspn(sp->key, " ");
        if (sp->words > 1 && !strncmp(sp->key, mid, len) && !mid[len] &&
            case_of(sp, 1) == CASE_CAP && (!best || sp->count > best->count))
            best = sp, at = 1;
    }
    for (size_t c = 0; !best && c < nspan[g]; c++) {
        const cand *sp = &spans[g][c];
        if (case_of(sp, 0) == CASE_CAP &&
            (!best || sp->votes[0][CASE_CAP] > best->votes[0][CASE_CAP]))
            best = sp;
    }
    if (best) {
        const char *k = best->key;
        if (at)
            k += strcspn(k, " ") + 1;
        return xstrndup(k, strcspn(k, " "));
    }
    const forms *f = forms_of(ps->s, w->fold);
    uint32_t most = 0;
    const char *to = NULL;
    for (size_t i = 0; i < f->n; i++) {
        const char *r[3] = {sur, mid, f->v[i]};
        uint32_t k = strcmp(f->v[i], w->fold) &&
                             is_syllable(ps, f->v[i], strlen(f->v[i]))
                         ? titles_naming(ps, r)
                         : 0;
        if (k > most) {
            most = k;
            to = f->v[i];
        }
    }
    return to ? xstrdup(to) : NULL;
}

/* Where a person's name begins among the query words (ps->nw if none):
 * a surname, a middle name or two, then one or two syllables (or
 * letters: "nguyen van a"), unless the texts read the surname and the
 * next word as words in lower case ("do thi" is đô thị); *end: where it
 * ends, *given: where its given name begins. */
static size_t name_at(parser *ps, cand *const *spans, const size_t *nspan,
                      size_t *given, size_t *end)
{
    size_t nsur = sizeof surnames / sizeof *surnames;
    size_t nmid = sizeof middles / sizeof *middles;
    for (size_t k = 0; k + 2 < ps->nw; k++) {
        size_t g = k + 1;
        if (!name_part(surnames, nsur, ps->words[k].fold))
            continue;
        while (g < ps->nw && g < k + 3 &&
               name_part(middles, nmid, ps->words[g].fold))
            g++;
        if (g == k + 1)
            continue;
        if (g == ps->nw) /* Nguyễn Thị Minh: its last word is the given */
            g--;
        int lower = 0;
        for (size_t c = 0; c < nspan[k]; c++)
            lower |= spans[k][c].words > 1 && case_of(&spans[k][c], 0) ==
                                                  CASE_LOWER &&
                     spans[k][c].count >= 2;
        if (lower || g == k + 1)
            continue;
        size_t e = g;
        while (e < ps->nw && e < g + 1 && !ps->words[e].joined &&
               !abbreviation(&ps->words[e]) &&
               (ps->words[e].syll || strlen(ps->words[e].fold) == 1))
            e++;
        if (e == g)
            continue;
        *given = g;
        *end = e;
        return k;
    }
    return ps->nw;
}

/* ---- did you mean: how most articles write a run ----------------------
 * The first results are a ranking's: a few articles on one sense of the
 * words may write them more often than all the others do ("hoa binh":
 * the first 10 write Hoà Bình, the province, of a road and a hospital,
 * in six articles, hoà bình, peace, in four; the corpus writes it in
 * lower case in two articles of three).  When the first results disagree
 * on the case of a word, the articles that hold the words are asked
 * instead: the first CASE_SAMPLE in docid order (the corpus's, not the
 * ranking's) whose stored texts (title, lead, the body's start) write
 * them, each voting once a word, for the case and the spelling it writes
 * most there. */
#define CASE_SAMPLE 40

/* Are the words of key (norms) a word of the lexicon's common vocabulary,
 * and of its proper names none (hòa bình, peace: the lexicon has no Hòa
 * Bình)?  (A word written both ways, "Thủ tướng" and "thủ tướng", is a
 * proper name to the lexicon, and its case unknown to it.) */
static int common_word(parser *ps, const char *key)
{
    const char *word[16];
    unsigned bits[16];
    int common = 0;
    sbuf_reset(&ps->t);
    vn_fold_norm(key, strlen(key), &ps->t);
    size_t nw = seg_builtin_by_fold(ps->t.s, word, bits, 16);
    for (size_t c = 0; c < nw; c++)
        if (!strcmp(word[c], key)) {
            if (bits[c] & SEG_NAME)
                return 0;
            common = 1;
        }
    return common;
}

static int mixed_case(const cand *c)
{
    for (size_t j = 0; j < c->words; j++)
        if (c->votes[j][CASE_LOWER] &&
            (c->votes[j][CASE_CAP] || c->votes[j][CASE_ALLCAPS]))
            return 1;
    return 0;
}

/* One vote of written form s (lower case) for word j of c. */
static void vote_written(cand *c, size_t j, const char *s)
{
    size_t k = 0;
    while (k < c->nwr[j] && strcmp(c->wr[j][k].s, s))
        k++;
    if (k == c->nwr[j]) {
        c->wr[j] = xrealloc(c->wr[j], (k + 1) * sizeof *c->wr[j]);
        c->wr[j][k].s = xstrdup(s);
        c->wr[j][k].n = 0;
        c->nwr[j]++;
    }
    c->wr[j][k].n++;
}

/* Where c's words (w: the query's, for how they join) stand in text,
 * tallied into one candidate of *art (tally). */
static void tally_text(parser *ps, const cand *c, const char *const *norm,
                       const qword *w, const char *text, cand **art,
                       size_t *nart, size_t *cap)
{
    seentok *toks = NULL;
    size_t nt = tokens_of(ps, text, &toks), n = c->words;
    for (size_t t = 0; t + n <= nt; t++) {
        size_t l = 0;
        while (l < n && (l == 0 || !toks[t + l].brk || toks[t + l].joined) &&
               (l == 0 || w[l].joined == toks[t + l].joined) &&
               !strcmp(toks[t + l].norm, norm[l]))
            l++;
        if (l == n)
            tally(art, nart, cap, c->key, n, text, toks + t,
                  starts_sentence(text, toks[t].off),
                  t + n < nt && longer_word(ps, &toks[t + n - 1],
                                            &toks[t + n]));
    }
    tokens_free(toks, nt);
}

/* How the articles of the index that hold the words of key (norms, n of
 * them; w: the query's, for how they join) write them (above): each
 * article's vote for each word's case and spelling, into smp (free it
 * with cand_free). */
static void sample_written(parser *ps, const char *key, size_t n,
                           const qword *w, cand *smp)
{
    char **norm = xcalloc(n, sizeof *norm), **fold = xcalloc(n, sizeof *fold);
    const char *p = key;
    xap_search_opts o;
    xap_mset *m = NULL;
    sbuf f = {0};
    cand c = {.key = (char *)key, .words = n};
    for (size_t j = 0; j < n; j++) {
        size_t len = strcspn(p, " ");
        norm[j] = xstrndup(p, len);
        sbuf_reset(&f);
        vn_fold_norm(norm[j], len, &f);
        fold[j] = xstrdup(f.s ? f.s : "");
        p += len + (p[len] == ' ');
    }
    sbuf_free(&f);
    /* weightless: the matches in docid order */
    xap_query *q = xap_q_scale(phrase_of(ps, (const char *const *)fold,
                                         (const char *const *)norm, n, 0),
                               0);
    xap_search_opts_init(&o);
    o.value_slots = no_slots;
    memset(smp, 0, sizeof *smp);
    smp->key = xstrdup(key);
    smp->words = n;
    smp->votes = xcalloc(n, sizeof *smp->votes);
    smp->wr = xcalloc(n, sizeof *smp->wr);
    smp->nwr = xcalloc(n, sizeof *smp->nwr);
    if (xap_search(ps->s->db, q, 0, CASE_SAMPLE, &o, &m, NULL) == TT_OK)
        for (size_t i = 0; i < xap_mset_size(m); i++) {
            size_t len, pos = 0, vn;
            const char *data = xap_mset_data(m, i, &len), *v;
            cand *art = NULL;
            size_t nart = 0, acap = 0;
            int tag;
            while (dd_next(data, len, &pos, &tag, &v, &vn))
                if (tag == DD_TITLE || tag == DD_SAPO || tag == DD_BODY) {
                    char *text = xstrndup(v, vn);
                    tally_text(ps, &c, (const char *const *)norm, w, text,
                               &art, &nart, &acap);
                    free(text);
                }
            for (size_t j = 0; nart && j < n; j++) {
                int k = case_of(art, j);
                const struct written *most = NULL;
                if (k >= 0)
                    smp->votes[j][k]++;
                for (size_t x = 0; x < art->nwr[j]; x++)
                    if (*art->wr[j][x].s &&
                        (!most || art->wr[j][x].n > most->n))
                        most = &art->wr[j][x];
                if (most)
                    vote_written(smp, j, most->s);
            }
            for (size_t a = 0; a < nart; a++)
                cand_free(&art[a]);
            free(art);
        }
    xap_mset_free(m);
    xap_q_free(q);
    for (size_t j = 0; j < n; j++) {
        free(norm[j]);
        free(fold[j]);
    }
    free(norm);
    free(fold);
}

/* c's votes and spellings from the articles of the index that hold its
 * words, for the words they say something of. */
static void case_from_index(parser *ps, cand *c, const qword *w)
{
    cand smp;
    sample_written(ps, c->key, c->words, w, &smp);
    for (size_t j = 0; j < c->words; j++) {
        if (smp.votes[j][CASE_LOWER] + smp.votes[j][CASE_CAP] +
            smp.votes[j][CASE_ALLCAPS])
            memcpy(c->votes[j], smp.votes[j], sizeof *c->votes);
        if (smp.nwr[j]) {
            struct written *t = c->wr[j];
            size_t nt = c->nwr[j];
            c->wr[j] = smp.wr[j];
            c->nwr[j] = smp.nwr[j];
            smp.wr[j] = t;
            smp.nwr[j] = nt;
        }
    }
    cand_free(&smp);
}

/* The words w[0..n) spelt by norm[0..n), each typed in lower case given
 * the case most articles write the run in (sample_written: Hà Nội, đà
 * nẵng typed), into cap[0..n) (VN_CAP, VN_ALLCAPS: as typed). */
static void cased_as_written(parser *ps, const qword *w,
                             const char *const *norm, size_t n, int *cap)
{
    sbuf key = {0};
    cand smp;
    int lower = 0;
    for (size_t j = 0; j < n; j++) {
        cap[j] = w[j].cap;
        lower |= !w[j].cap;
        sbuf_addf(&key, "%s%s", j ? " " : "", norm[j]);
    }
    if (lower) {
        sample_written(ps, key.s, n, w, &smp);
        for (size_t j = 0; j < n; j++) {
            int k = case_of(&smp, j);
            if (k < 0 && !j && n > 1) /* seen first only: as the next */
                k = case_of(&smp, 1) == CASE_CAP ? CASE_CAP : CASE_LOWER;
            if (!w[j].cap)
                cap[j] = k == CASE_ALLCAPS ? VN_ALLCAPS
                         : k == CASE_CAP   ? VN_CAP
                                           : 0;
        }
        cand_free(&smp);
    }
    sbuf_free(&key);
}

/* Accents for an accent-free query, from the first articles it found
 * (ref: top_hits): the query's words are read in runs, each run as the
 * longest stretch of them standing together in a title or snippet and
 * written there ("truong trong nghia hoi ham" -> "Trương Trọng Nghĩa hôi
 * hám"), the most frequent spelling among equally long ones, each word
 * in the case most often seen (add_spelling); a word found nowhere stays
 * as typed.  NULL when that adds no accents, unless same. */
static char *restore_accents(parser *ps, const srch_hit *const *ref,
                             size_t nref, int same)
{
    /* spans[i]: spellings of runs of query words starting at word i */
    cand **spans = xcalloc(ps->nw, sizeof *spans);
    size_t *nspan = xcalloc(ps->nw, sizeof *nspan);
    size_t *capspan = xcalloc(ps->nw, sizeof *capspan);
    char *out = NULL;
    sbuf key = {0};

    for (size_t h = 0; h < nref; h++) {
        const char *texts[2] = {ref[h]->title, ref[h]->snippet};
        for (int k = 0; k < 2; k++) {
            const char *text = texts[k];
            seentok *toks = NULL;
            if (!text)
                continue;
            size_t nt = tokens_of(ps, text, &toks);
            /* runs stop at punctuation */
            for (size_t t = 0; t < nt; t++)
                for (size_t i = 0; i < ps->nw; i++) {
                    size_t l = 0;
                    /* words typed joined by a hyphen (a foreign name:
                     * cu-ba) are read only together, joined so in the
                     * text too */
                    if (ps->words[i].joined)
                        continue;
                    while (i + l < ps->nw && t + l < nt &&
                           !abbreviation(&ps->words[i + l]) &&
                           (l == 0 || !toks[t + l].brk ||
                            (ps->words[i + l].joined && toks[t + l].joined)) &&
                           (l == 0 ||
                            ps->words[i + l].joined == toks[t + l].joined) &&
                           !strcmp(toks[t + l].fold, ps->words[i + l].fold))
                        l++;
                    while (l && i + l < ps->nw && ps->words[i + l].joined)
                        l--;
                    if (!l)
                        continue;
                    /* the words' norms, and how they are written */
                    sbuf_reset(&key);
                    for (size_t j = 0; j < l; j++) {
                        if (j)
                            sbuf_addc(&key, ' ');
                        sbuf_adds(&key, toks[t + j].norm);
                    }
                    tally(&spans[i], &nspan[i], &capspan[i], key.s, l,
                          text, toks + t, starts_sentence(text, toks[t].off),
                          t + l < nt && longer_word(ps, &toks[t + l - 1],
                                                    &toks[t + l]));
                }
            tokens_free(toks, nt);
        }
    }
    sbuf b = {0};
    sbuf_reset(&key); /* the norms of the spelling, to compare */
    size_t given = 0, end = 0, name = name_at(ps, spans, nspan, &given, &end);
    for (size_t i = 0; i < ps->nw;) {
        size_t best = (size_t)-1;
        const cand *sp = spans[i];
        for (size_t c = 0; c < nspan[i]; c++)
            if ((i >= name || i + sp[c].words <= name) &&
                (best == (size_t)-1 || sp[c].words > sp[best].words ||
                 (sp[c].words == sp[best].words &&
                  sp[c].count > sp[best].count)))
                best = c;
        if (i) {
            sbuf_addc(&b, ps->words[i].joined ? '-' : ' ');
            sbuf_addc(&key, ' ');
        }
        if (i == name) { /* a person's name, each word capitalised */
            char *prev[2] = {NULL, NULL};
            for (; i < end; i++) {
                const char *fold = ps->words[i].fold;
                char *word = NULL;
                const char *part =
                    i == name ? name_part(surnames, sizeof surnames /
                                                        sizeof *surnames, fold)
                    : i < given
                        ? name_part(middles, sizeof middles / sizeof *middles,
                                    fold)
                        : NULL;
                if (part) {
                    sbuf nm = {0};
                    vn_norm(part, strlen(part), &nm);
                    word = sbuf_detach(&nm, NULL);
                } else {
                    word = given_name(ps, spans, nspan, i, prev[0],
                                      prev[1], &ps->words[i]);
                }
                if (i > name) {
                    sbuf_addc(&b, ' ');
                    sbuf_addc(&key, ' ');
                }
                add_cased(&b, part ? part : word ? word : ps->words[i].typed,
                          VN_CAP);
                sbuf_adds(&key, word ? word : ps->words[i].norm);
                free(prev[0]);
                prev[0] = prev[1];
                prev[1] = word ? word : xstrdup(ps->words[i].norm);
            }
            free(prev[0]);
            free(prev[1]);
            continue;
        }
        if (best == (size_t)-1) {
            add_cased(&b, ps->words[i].typed,
                      abbreviation(&ps->words[i]) ? VN_ALLCAPS : 0);
            sbuf_adds(&key, ps->words[i].norm);
            i++;
        } else {
            /* the first results disagree on its case: a word of the
             * common vocabulary is in lower case, else the articles of
             * the index say; but of a syllable alone (hồ, a lake, and
             * Hồ, a name) the results, which read it as the query
             * does, say */
            if (mixed_case(&sp[best]) && common_word(ps, sp[best].key))
                for (size_t j = 0; j < sp[best].words; j++) {
                    memset(sp[best].votes[j], 0, sizeof *sp[best].votes);
                    sp[best].votes[j][CASE_LOWER] = 1;
                }
            else if (mixed_case(&sp[best]) &&
                     (sp[best].words > 1 || !ps->words[i].syll))
                case_from_index(ps, &spans[i][best], &ps->words[i]);
            add_spelling(&b, &sp[best], &ps->words[i]);
            sbuf_adds(&key, sp[best].key);
            i += sp[best].words;
        }
    }
    out = sbuf_detach(&b, NULL);
    /* offered only when it adds accents the query lacks (same: a
     * corrected query, shown as written) */
    sbuf typed = {0};
    for (size_t j = 0; j < ps->nw; j++) {
        if (j)
            sbuf_addc(&typed, ' ');
        sbuf_adds(&typed, ps->words[j].norm);
    }
    if (!same && key.s && typed.s && !strcmp(key.s, typed.s)) {
        free(out);
        out = NULL;
    }
    sbuf_free(&typed);
    for (size_t i = 0; i < ps->nw; i++) {
        for (size_t c = 0; c < nspan[i]; c++)
            cand_free(&spans[i][c]);
        free(spans[i]);
    }
    free(spans);
    free(nspan);
    free(capspan);
    sbuf_free(&key);
    return out;
}

/* How often any form of fold occurs (document frequencies summed). */
/* How a folded word is most often written: its most frequent accented
 * form, or the folded spelling itself when that occurs as such more than
 * all the accented forms together (the folded term counts every form). */
static char *best_written(srch *s, const char *fold)
{
    const forms *f = forms_of(s, fold);
    uint64_t fold_tf = 0, others = 0;
    const char *best = NULL;
    uint32_t best_tf = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (!strcmp(f->v[i], fold)) {
            fold_tf = f->tf[i];
            continue;
        }
        others += f->tf[i];
        if (f->tf[i] > best_tf) {
            best_tf = f->tf[i];
            best = f->v[i];
        }
    }
    if (!best || fold_tf > others)
        return fold_tf ? xstrdup(fold) : best ? xstrdup(best) : NULL;
    return xstrdup(best);
}

/* Is s[0..n) one well-formed Vietnamese syllable? */
static int is_syllable(parser *ps, const char *s, size_t n)
{
    vn_token tk;
    vn_tok_start(ps->s->tok2, s, n);
    return vn_tok_next(ps->s->tok2, &tk) && tk.len == n &&
           (tk.flags & VN_SYLL);
}

/* ---- did you mean: a word not in the index, or rare -------------------
 * A word the index has in RESPELL_RARE articles at most, where a spelling
 * one edit away is in RESPELL_RATIO times as many, is a slip of it, as a
 * word it has in none is ("thànhh" and "noii" are in one article each,
 * "thành" in 106,435, "noi" in 135,517).  The corrected query is offered
 * as its own results write it (corrected_as_seen): "ha noii" is "Hà
 * Nội". */
#define RESPELL_RARE 10
#define RESPELL_RATIO 100

/* May the words from..to of the query make a lexicon word, word j spelt
 * fold (when among them)?  Not across a hyphen (a compound's parts), nor
 * with a word that is no syllable, but for j.  Their folded forms into
 * b, one space between. */
static int window_at(parser *ps, size_t j, const char *fold, size_t from,
                     size_t to, sbuf *b)
{
    for (size_t k = from; k <= to; k++)
        if ((k != j && !ps->words[k].syll) ||
            (k > from && ps->words[k].joined))
            return 0;
    sbuf_reset(b);
    for (size_t k = from; k <= to; k++) {
        if (k > from)
            sbuf_addc(b, ' ');
        sbuf_adds(b, k == j ? fold : ps->words[k].fold);
    }
    return 1;
}

/* The windows of two and three words of the query holding word j, from
 * j-2, j-1 or j (window_at): *from and *to of the next one after (*from,
 * *to) (start with *to == 0), its words' folded forms in b; 0 when there
 * is none left. */
static int next_window(parser *ps, size_t j, const char *fold, size_t *from,
                       size_t *to, sbuf *b)
{
    if (*to == 0)
        *from = j > 2 ? j - 2 : 0, *to = *from;
    for (;;) {
        if (++*to >= *from + 3) {
            if (++*from > j)
                return 0;
            *to = *from + 1;
        }
        if (*to >= j && *to < ps->nw && window_at(ps, j, fold, *from, *to, b))
            return 1;
    }
}

/* Is the lexicon word norm (norm forms, one space between) the words
 * from..to of the query as typed (but for word j, whose syllable in norm
 * is *syl, *len bytes; j > to: none)?  In a query with no marks, any
 * marks; in one with some, a word typed without is plain ("tham chơ" is
 * not "thậm chí"). */
static int as_typed(parser *ps, size_t from, size_t to, size_t j,
                    const char *norm, const char **syl, size_t *len)
{
    const char *p = norm;
    for (size_t k = from; k <= to; k++) {
        size_t n = strcspn(p, " ");
        const qword *w = &ps->words[k];
        if (k == j)
            *syl = p, *len = n;
        else if ((ps->accented || strcmp(w->norm, w->fold)) &&
                 (strlen(w->norm) != n || memcmp(w->norm, p, n)))
            return 0;
        p += n + (p[n] == ' ');
    }
    return 1;
}

/* The fewest words the query reads as, word j spelt fold: lexicon words
 * of two or three syllables (the others as typed: as_typed) and single
 * words, read so that word j stands in a lexicon word; 0 when no reading
 * of that few does.  A spelling that makes a word with the neighbour on
 * one side, where that neighbour makes one with the word beyond it,
 * reads as more words than one that makes a word with the free
 * neighbour on the other side. */
#define CTX_NONE ((size_t)-1)
static size_t ctx_segments(parser *ps, size_t j, const char *fold, sbuf *b)
{
    const char *norm[4], *syl;
    unsigned bits[4];
    size_t n = ps->nw, len, out;
    /* best[i]: the fewest for words 0..i-1; with[i]: the same with word
     * j (< i) in a lexicon word */
    size_t *best = xcalloc(2 * (n + 1), sizeof *best), *with = best + n + 1;
    for (size_t i = 1; i <= n; i++) {
        best[i] = best[i - 1] + 1;
        with[i] = i - 1 > j && with[i - 1] != CTX_NONE
                      ? with[i - 1] + 1
                      : CTX_NONE;
        for (size_t m = 2; m <= 3 && m <= i; m++) {
            size_t from = i - m, to = i - 1;
            int ok = 1;
            if (!window_at(ps, j, fold, from, to, b))
                continue;
            size_t nn = seg_builtin_by_fold(b->s, norm, bits, 4);
            for (size_t c = 0; ok && c < nn; c++)
                ok = !as_typed(ps, from, to, j, norm[c], &syl, &len);
            if (ok) /* (no lexicon word as typed) */
                continue;
            if (best[from] + 1 < best[i])
                best[i] = best[from] + 1;
            size_t w = from <= j && j <= to ? best[from] + 1
                       : j < from && with[from] != CTX_NONE
                           ? with[from] + 1
                           : CTX_NONE;
            if (w < with[i])
                with[i] = w;
        }
    }
    out = with[n] == best[n] ? best[n] : 0;
    free(best);
    return out;
}

/* Would ps->words[j] spelt fold (a folded syllable) make, with the words
 * typed beside it, a word of the built-in lexicon of two or three
 * syllables ("an giag": giang makes An Giang, where gia, in 20 times as
 * many articles, makes nothing), in a reading of the query of the fewest
 * words (ctx_segments, which it returns)? */
static size_t in_context(parser *ps, size_t j, const char *fold)
{
    sbuf b = {0};
    size_t n = ctx_segments(ps, j, fold, &b);
    sbuf_free(&b);
    return n;
}

/* A misspelt word (no form of it in the index, or a rare one): the
 * spelling one edit away that occurs most often (one term lookup each),
 * in least articles at least, NULL if none.  Without marks (word is a
 * folded word of a-z), any folded spelling (a folded term).  With marks
 * (word is a norm form typed with accents), the edits keep them: they
 * delete or change only the letters without marks, swap two letters
 * (tắhng: thắng), insert plain letters or change the tone (one key in
 * any input method: lữa is lửa), and the spelling must be in
 * the index as written (the exact term), so "thànhh" is "thành", never
 * "thanh".  how 1 (a word that is no syllable): what is left must be a
 * syllable, and without marks (a foreign word, it may be: "trick" is
 * no "trích") only a letter too many is looked for; with marks, any
 * edit (tăg, where tă is in no article: tăng); RESPELL_CONTEXT: only a
 * spelling that makes a lexicon word with its neighbours (below); else
 * 0.  A spelling that makes a lexicon word with the words beside it
 * (word j of the query: in_context) goes before one that does not,
 * whatever their frequencies, and may be any edit away. */
static size_t untoned_cps(const char *s, int32_t *d, size_t max,
                          int32_t *tone);

/* Are tone marks a and b hỏi and ngã, one each (the commonest spelling
 * error of Vietnamese writers)? */
static int hoi_nga_pair(int32_t a, int32_t b)
{
    return (a == 0x309 && b == 0x303) || (a == 0x303 && b == 0x309);
}

/* Are syllables a[0..na) with tone ta and b[0..nb) with tone tb
 * (untoned_cps) the same but for hỏi in one and ngã in the other? */
static int hoi_nga_cps(const int32_t *a, size_t na, int32_t ta,
                       const int32_t *b, size_t nb, int32_t tb)
{
    return na && na == nb && !memcmp(a, b, na * sizeof *a) &&
           hoi_nga_pair(ta, tb);
}

/* The syllable d[0..n) (untoned_cps: its tone had left out) with tone
 * instead (0: none), as a norm term writes it (NFC, the tone where
 * vn_norm puts it) into out; 0 when it has that tone already or no vowel
 * to bear it. */
static int retoned(const int32_t *d, size_t n, int32_t had, int32_t tone,
                   sbuf *out)
{
    size_t at = SIZE_MAX;
    if (!n || had == tone)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strchr("aeiouyAEIOUY", d[i] < 0x80 ? (int)d[i] : '#'))
            at = i; /* the last vowel: where the tone goes, then vn_norm's */
    if (at == SIZE_MAX)
        return 0;
    while (at + 1 < n && (d[at + 1] == 0x302 || d[at + 1] == 0x306 ||
                          d[at + 1] == 0x31B))
        at++; /* after the vowel's own mark */
    sbuf raw = {0};
    for (size_t i = 0; i < n; i++) {
        uni_addcp(&raw, d[i]);
        if (i == at && tone)
            uni_addcp(&raw, tone);
    }
    sbuf_reset(out);
    vn_norm(raw.s, raw.len, out);
    sbuf_free(&raw);
    return out->s != NULL && out->len > 0;
}

#define RESPELL_MAX 12 /* letters of a word, at most */
#define RESPELL_TWICE 2 /* (respellable: respell_twice only) */
#define RESPELL_CONTEXT 3 /* (respellable: a spelling in_context only) */
static char *respell(parser *ps, size_t j, const char *word, int marks,
                     int how, uint32_t least)
{
    /* how 1: a word that is no syllable becomes one; without marks (a
     * foreign word, it may be) only by a letter too many */
    int syllables = how == 1, deletions = syllables && !marks,
        ctx_only = how == RESPELL_CONTEXT;
    static const char letters[] = "abcdeghiklmnopqrstuvxy";
    int32_t cp[RESPELL_MAX], cw[RESPELL_MAX + 1];
    size_t n = 0, len = strlen(word), k;
    char best_w[RESPELL_MAX * 4 + 8] = "", ctx_w[sizeof best_w] = "";
    uint32_t floor = least ? least : 1, best = floor - 1, ctx = best;
    size_t ctx_segs = 0;
    sbuf fold = {0};
    for (size_t i = 0; i < len; i += k) {
        if (n == RESPELL_MAX || !(k = uni_decode(word + i, len - i, &cp[n])))
            return NULL;
        if (cp[n] < 0x80 ? cp[n] < 'a' || cp[n] > 'z'
                         : !marks || uni_class(cp[n]) != UNI_LETTER)
            return NULL;
        n++;
    }
    if (n < 2)
        return NULL;
    /* op 4, with marks: the tone changed (lữa: lửa), one key; hỏi
     * for ngã or ngã for hỏi, the commonest spelling error of Vietnamese
     * writers, goes before any other edit (hn_w) */
    static const int32_t tones[] = {0, 0x300, 0x301, 0x303, 0x309, 0x323};
    int32_t own_tone = 0, untoned[64];
    size_t nu = 0;
    char hn_w[sizeof best_w] = "";
    sbuf tb = {0};
    if (marks)
        nu = untoned_cps(word, untoned, 64, &own_tone);
    for (int op = 0; op < (marks ? 5 : 4); op++) {
        size_t npos = op == 3 ? n + 1 : op == 4 ? 1 : n;
        for (size_t i = 0; i < npos; i++) {
            size_t nl = (op == 0 || op == 2) ? 1
                        : op == 4            ? sizeof tones / sizeof *tones
                                             : sizeof letters - 1;
            /* a letter with marks stays (it may trade places with the
             * letter beside it: tắhng is thắng) */
            if ((op == 0 || op == 1) && cp[i] >= 0x80)
                continue;
            if (op == 2 && (i + 1 >= n || cp[i] == cp[i + 1]))
                continue;
            for (size_t l = 0; l < nl; l++) {
                size_t m = 0, bytes = 0;
                char buf[sizeof best_w];
                uint32_t tf = 0;
                if (op == 0) { /* delete i */
                    for (size_t q = 0; q < n; q++)
                        if (q != i)
                            cw[m++] = cp[q];
                } else if (op == 1) { /* substitute i */
                    if (letters[l] == cp[i])
                        continue;
                    memcpy(cw, cp, n * sizeof *cw);
                    cw[i] = letters[l];
                    m = n;
                } else if (op == 2) { /* swap i, i+1 */
                    memcpy(cw, cp, n * sizeof *cw);
                    cw[i] = cp[i + 1];
                    cw[i + 1] = cp[i];
                    m = n;
                } else if (op == 3) { /* insert before i */
                    memcpy(cw, cp, i * sizeof *cw);
                    cw[i] = letters[l];
                    memcpy(cw + i + 1, cp + i, (n - i) * sizeof *cw);
                    m = n + 1;
                } else { /* another tone */
                    if (!retoned(untoned, nu, own_tone, tones[l], &tb))
                        continue;
                    for (size_t q = 0, step; q < tb.len && m <= RESPELL_MAX;
                         q += step)
                        if (!(step = uni_decode(tb.s + q, tb.len - q,
                                                &cw[m++])))
                            break;
                    int plain = 1; /* no mark left: the folded term,
                                    * every form of the letters */
                    for (size_t q = 0; q < m && plain; q++)
                        plain = cw[q] < 0x80;
                    if (m > RESPELL_MAX || plain)
                        continue;
                }
                for (size_t q = 0; q < m; q++)
                    bytes += uni_encode(cw[q], buf + bytes);
                buf[bytes] = '\0';
                if (xap_db_termfreq(ps->s->db, buf, bytes, &tf, NULL) !=
                        TT_OK ||
                    tf < floor)
                    continue;
                sbuf_reset(&fold);
                vn_fold_norm(buf, bytes, &fold);
                /* of the spellings in context, the one the query reads
                 * as the fewest words with, then the most frequent */
                size_t segs;
                if (fold.s && (!*ctx_w || tf > ctx || ctx_segs > 1) &&
                    (segs = in_context(ps, j, fold.s)) &&
                    (!*ctx_w || segs < ctx_segs ||
                     (segs == ctx_segs && tf > ctx)) &&
                    is_syllable(ps, buf, bytes)) {
                    ctx = tf;
                    ctx_segs = segs;
                    memcpy(ctx_w, buf, bytes + 1);
                }
                if (tf > best && (!deletions || op == 0) &&
                    (!syllables || is_syllable(ps, buf, bytes))) {
                    best = tf;
                    memcpy(best_w, buf, bytes + 1);
                }
                if (op == 4 && hoi_nga_pair(own_tone, tones[l]))
                    memcpy(hn_w, buf, bytes + 1);
            }
        }
    }
    sbuf_free(&fold);
    sbuf_free(&tb);
    return *ctx_w    ? xstrdup(ctx_w)
           : ctx_only ? NULL
           : *hn_w    ? xstrdup(hn_w)
           : *best_w  ? xstrdup(best_w)
                      : NULL;
}

/* A word typed with a letter twice (a key held: "noii", "giảii", typed;
 * marks: it has some), that letter once: the spelling in the index (its
 * exact term with marks, else its folded term) in the most articles,
 * least of them at least, a syllable when syll; NULL if none. */
static char *respell_twice(parser *ps, const char *typed, int marks,
                           int syll, uint32_t least)
{
    size_t n = strlen(typed), k;
    uint32_t best = least ? least - 1 : 0;
    char *to = NULL;
    sbuf t = {0}, norm = {0}, fold = {0};
    int32_t cp, last = -1;
    for (size_t i = 0; i < n; i += k, last = cp) {
        if (!(k = uni_decode(typed + i, n - i, &cp)))
            break;
        if (cp != last || uni_class(cp) != UNI_LETTER)
            continue;
        uint32_t tf = 0;
        sbuf_reset(&t);
        sbuf_add(&t, typed, i);
        sbuf_adds(&t, typed + i + k);
        sbuf_reset(&norm);
        vn_norm(t.s, t.len, &norm);
        sbuf_reset(&fold);
        vn_fold_norm(norm.s, norm.len, &fold);
        const char *term = marks ? norm.s : fold.s;
        if (term && xap_db_termfreq(ps->s->db, term, strlen(term), &tf,
                                    NULL) == TT_OK &&
            tf > best && (!syll || is_syllable(ps, norm.s, norm.len))) {
            best = tf;
            free(to);
            to = xstrdup(term);
        }
    }
    sbuf_free(&t);
    sbuf_free(&norm);
    sbuf_free(&fold);
    return to;
}

/* The optimal string alignment distance of the code points a[0..na) and
 * b[0..nb) (edits: a letter deleted, inserted, changed, two swapped), or
 * 3 when above 2. */
static int edits_apart_cp(const int32_t *a, size_t na, const int32_t *b,
                          size_t nb)
{
    unsigned char d[RESPELL_MAX + 3][RESPELL_MAX + 3];
    if (na > RESPELL_MAX + 2 || nb > RESPELL_MAX + 2 ||
        (na > nb ? na - nb : nb - na) > 2)
        return 3;
    for (size_t i = 0; i <= na; i++)
        d[i][0] = (unsigned char)i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = (unsigned char)j;
    for (size_t i = 1; i <= na; i++) {
        int least = 3;
        for (size_t j = 1; j <= nb; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = (unsigned char)(v > 3 ? 3 : v);
            least = v < least ? v : least;
        }
        if (least > 2)
            return 3;
    }
    return d[na][nb];
}

/* The same of two byte strings. */
static int edits_apart(const char *a, size_t na, const char *b, size_t nb)
{
    int32_t wa[RESPELL_MAX + 2], wb[RESPELL_MAX + 2];
    if (na > RESPELL_MAX + 2 || nb > RESPELL_MAX + 2)
        return 3;
    for (size_t i = 0; i < na; i++)
        wa[i] = (unsigned char)a[i];
    for (size_t i = 0; i < nb; i++)
        wb[i] = (unsigned char)b[i];
    return edits_apart_cp(wa, na, wb, nb);
}

/* ---- did you mean: a slip its neighbours tell ---------------------------
 * In a query typed with marks, a word the index lacks as typed, has
 * rarely, or that is no syllable, where its folded letters as they are
 * (the tone hỏi typed for ngã or the other way, "cãnh sát"), or a letter
 * more, less or changed, or two swapped, make with the words typed beside
 * it a word of the built-in lexicon of two or three syllables, which as
 * typed it does not make ("hội đng", "ủy ban nhn dân", "trng ương", "sản
 * xuốt"): that word's syllable as the lexicon writes it, when it is one
 * edit from the word as typed, a letter with marks counted as one (a
 * letter dropped, "đồng", "nhân", or changed, "xuất") and
 * in least articles at least (its exact term); of several, the one the
 * query reads as the fewest words with (ctx_segments), then the one most
 * titles write as it is (then the one in most articles: a plain
 * syllable's term holds every form of it, its title term only that
 * one, and "văn phng" is "văn phòng" more often than "văn phong").  The
 * neighbours must be as typed (as_typed), and the lexicon word in a
 * reading of the query of the fewest words (ctx_segments).  In a query
 * without marks, the same for a word no spelling of it alone replaces
 * (suggest), its plain letters compared with the syllable's ("line ket":
 * liên kết), unless the articles write it as typed beside a neighbour
 * (pair_as_typed); the syllable given back folded, as the query is
 * typed. */
typedef struct lex_search {
    int32_t typed[RESPELL_MAX];
    size_t nt;
    uint32_t least;
    char *to;          /* the best so far: */
    size_t segs;       /* the words the query reads as (ctx_segments), */
    uint32_t titles, tf; /* its titles, its articles */
    sbuf win, title;
    int hoi_nga; /* the folded letters unchanged: only hỏi for ngã or the
                  * other way (hoi_nga_apart) */
    int plain;   /* a query without marks: letters compared folded */
    sbuf fold;
} lex_search;

/* Are syllables a and b[0..nb) the same but for the tone, hỏi in one and
 * ngã in the other? */
static int hoi_nga_apart(const char *a, const char *b, size_t nb)
{
    int32_t da[64], db[64], ta, tb;
    char bz[64];
    if (nb >= sizeof bz)
        return 0;
    memcpy(bz, b, nb);
    bz[nb] = '\0';
    size_t na = untoned_cps(a, da, 64, &ta), nbc = untoned_cps(bz, db, 64, &tb);
    return hoi_nga_cps(da, na, ta, db, nbc, tb);
}

/* Does ps->words[j] make, with the words beside it, a lexicon word of two
 * or three syllables as typed (its marks and theirs, where typed:
 * "tư tưng" makes none, though "tu tung" is one folded)? */
static int in_context_typed(parser *ps, size_t j)
{
    const char *norm[4], *syl;
    unsigned bits[4];
    size_t from = 0, to = 0, len;
    sbuf b = {0};
    int found = 0;
    while (!found && next_window(ps, j, ps->words[j].fold, &from, &to, &b)) {
        size_t nn = seg_builtin_by_fold(b.s, norm, bits, 4);
        for (size_t i = 0; i < nn && !found; i++)
            found = as_typed(ps, from, to, SIZE_MAX, norm[i], &syl, &len);
    }
    sbuf_free(&b);
    return found;
}

/* Try the folded spelling c of word j (respell_by_lexicon). */
static void lexicon_spelling(parser *ps, size_t j, const char *c,
                             lex_search *ls)
{
    size_t from = 0, to = 0, segs = CTX_NONE;
    sbuf tb = {0};
    while (next_window(ps, j, c, &from, &to, &ls->win)) {
        const char *norm[4];
        unsigned bits[4];
        size_t nn = seg_builtin_by_fold(ls->win.s, norm, bits, 4);
        for (size_t i = 0; i < nn; i++) {
            const char *syl = NULL;
            size_t len = 0;
            int ok = as_typed(ps, from, to, j, norm[i], &syl, &len);
            int32_t cs[RESPELL_MAX + 2];
            size_t ns = 0, step;
            const char *let = syl;
            size_t nlet = len;
            if (ok && syl && ls->plain) {
                sbuf_reset(&ls->fold);
                vn_fold(syl, len, &ls->fold);
                let = ls->fold.s;
                nlet = ls->fold.len;
            }
            for (size_t q = 0; ok && let && q < nlet; q += step)
                ok = ns < RESPELL_MAX + 2 &&
                     (step = uni_decode(let + q, nlet - q, &cs[ns++])) != 0;
            uint32_t tf = 0, titles = 0;
            if (!ok || !syl ||
                edits_apart_cp(ls->typed, ls->nt, cs, ns) != 1 ||
                (ls->hoi_nga && !hoi_nga_apart(ps->words[j].norm, syl, len)) ||
                xap_db_termfreq(ps->s->db, syl, len, &tf, NULL) != TT_OK ||
                tf < ls->least)
                continue;
            if (segs == CTX_NONE)
                segs = ctx_segments(ps, j, c, &tb);
            if (!segs || (ls->to && segs > ls->segs))
                continue;
            sbuf_reset(&ls->title);
            sbuf_adds(&ls->title, PFX_TITLE);
            sbuf_add(&ls->title, syl, len);
            xap_db_termfreq(ps->s->db, ls->title.s, ls->title.len, &titles,
                            NULL);
            if (ls->to && segs == ls->segs &&
                (titles < ls->titles ||
                 (titles == ls->titles && tf <= ls->tf)))
                continue;
            ls->segs = segs;
            ls->titles = titles;
            ls->tf = tf;
            free(ls->to);
            ls->to = xstrndup(syl, len);
        }
    }
    sbuf_free(&tb);
}

/* How many articles have the folded words a and b side by side, a
 * first (a phrase), counting up to atleast (a lower bound)? */
static uint32_t pair_count(parser *ps, const char *a, const char *b,
                           uint32_t atleast)
{
    xap_query *t[2];
    t[0] = term_q(ps, "", a, strlen(a));
    t[1] = term_q(ps, "", b, strlen(b));
    return count_matches(ps, xap_q_op(XAP_OP_PHRASE, t, 2, 2), atleast);
}

/* Is word j, in a query without marks, written beside a neighbour as
 * typed in RESPELL_RARE articles at least, and its spelling fixed
 * (folded) there in fewer than RESPELL_RATIO times as many?  Then the
 * words are written so (a name: "park bak"), whatever the lexicon makes
 * of a spelling one letter away ("bao so": bão số); a slip many articles
 * make, beside a word its spelling stands beside far more often, is
 * still one. */
static int pair_as_typed(parser *ps, size_t j, const char *fixed)
{
    for (int side = 0; side < 2; side++) {
        if ((!side && j == 0) || (side && j + 1 >= ps->nw) ||
            ps->words[side ? j + 1 : j].joined)
            continue;
        size_t a = side ? j : j - 1; /* (the pair's first word) */
        const char *w[2] = {ps->words[a].fold, ps->words[a + 1].fold};
        uint32_t n = pair_count(ps, w[0], w[1], RESPELL_RARE);
        if (n < RESPELL_RARE)
            continue;
        uint32_t want = RESPELL_RATIO * n;
        w[side ? 0 : 1] = fixed;
        if (pair_count(ps, w[0], w[1], want) < want)
            return 1;
    }
    return 0;
}

static char *respell_by_lexicon(parser *ps, size_t j, uint32_t least)
{
    static const char letters[] = "abcdeghiklmnopqrstuvxy";
    const qword *w = &ps->words[j];
    const char *f = w->fold, *t = w->norm;
    size_t nf = strlen(f), tl = strlen(t), k;
    char c[RESPELL_MAX + 2];
    lex_search ls = {.least = least, .plain = !ps->accented};
    if (nf == 0 || nf > RESPELL_MAX)
        return NULL;
    for (size_t i = 0; i < nf; i++)
        if (f[i] < 'a' || f[i] > 'z')
            return NULL;
    for (size_t i = 0; i < tl; i += k)
        if (ls.nt == RESPELL_MAX ||
            !(k = uni_decode(t + i, tl - i, &ls.typed[ls.nt++])))
            return NULL;
    /* the same letters, the tone hỏi for ngã or ngã for hỏi (cãnh sát:
     * cảnh), the commonest spelling error of Vietnamese writers; not
     * another mark changed, which a name beside a lexicon word may be
     * (Nguyển Văn is no nguyên văn) */
    memcpy(c, f, nf + 1);
    ls.hoi_nga = 1;
    lexicon_spelling(ps, j, c, &ls);
    ls.hoi_nga = 0;
    for (int op = 0; op < 4; op++) {
        size_t npos = op == 3 ? nf + 1 : nf;
        for (size_t i = 0; i < npos; i++) {
            size_t nl = (op == 0 || op == 2) ? 1 : sizeof letters - 1;
            if (op == 2 && (i + 1 >= nf || f[i] == f[i + 1]))
                continue;
            for (size_t l = 0; l < nl; l++) {
                size_t m = nf;
                memcpy(c, f, nf);
                if (op == 0) { /* delete i */
                    memmove(c + i, c + i + 1, nf - i - 1);
                    m = nf - 1;
                } else if (op == 1) { /* change i */
                    if (letters[l] == f[i])
                        continue;
                    c[i] = letters[l];
                } else if (op == 2) { /* swap i, i+1 */
                    c[i] = f[i + 1];
                    c[i + 1] = f[i];
                } else { /* insert before i */
                    memcpy(c + i + 1, f + i, nf - i);
                    c[i] = letters[l];
                    m = nf + 1;
                }
                c[m] = '\0';
                if (m)
                    lexicon_spelling(ps, j, c, &ls);
            }
        }
    }
    sbuf_free(&ls.win);
    sbuf_free(&ls.title);
    if (ls.plain && ls.to) { /* (as the query is typed: folded) */
        sbuf_reset(&ls.fold);
        vn_fold(ls.to, strlen(ls.to), &ls.fold);
        free(ls.to);
        ls.to = sbuf_detach(&ls.fold, NULL);
    }
    sbuf_free(&ls.fold);
    return ls.to;
}

typedef struct far_search {
    const char *word;
    size_t n;
    uint32_t best;
    char *to;
} far_search;

static int far_term(void *arg, const char *t, size_t len, uint32_t tf)
{
    far_search *f = arg;
    if (tf <= f->best || len < 2)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] < 'a' || t[i] > 'z')
            return 0;
    if (edits_apart(f->word, f->n, t, len) == 2) {
        f->best = tf;
        free(f->to);
        f->to = xstrndup(t, len);
    }
    return 0;
}

/* A plain word (a-z) of RESPELL_FAR letters at least: the folded term two
 * edits away (of the terms that begin with its first two letters, three
 * of a word of 7 or more: a scan of some thousands; of those with its
 * first letter it was a large share of the index, 30-40 ms for a query
 * that found nothing) in the
 * most articles, least of them at least; NULL if none.  (Taken over one
 * a single edit away only when RESPELL_RATIO times as frequent:
 * "hirosma" is Hiroshima, 174 articles, not hiroma, one.) */
#define RESPELL_FAR 5
static char *respell_far(parser *ps, const char *word, uint32_t least)
{
    far_search f = {.word = word, .n = strlen(word),
                    .best = least ? least - 1 : 0};
    if (f.n < RESPELL_FAR || f.n > RESPELL_MAX)
        return NULL;
    for (size_t i = 0; i < f.n; i++)
        if (word[i] < 'a' || word[i] > 'z')
            return NULL;
    xap_db_allterms(ps->s->db, word, f.n >= 7 ? 3 : 2, far_term, &f, NULL);
    return f.to;
}

/* Is ps->words[j] a word "did you mean" may respell, and how (*marks:
 * keeping its marks; *how: respell's deletions)?  Not a word in capitals
 * (an abbreviation, a code: CR, AND), nor one of a hyphenated foreign
 * name (cu-ba), not a syllable typed with an input method: with marks
 * (xuềnh, khoèo, giờ), or without in a query that has marks elsewhere
 * (xoong in "xoong nồi"), whose tones are retone's, unless the index
 * has it in no form and a spelling makes a lexicon word with its
 * neighbours (RESPELL_CONTEXT: nghip in "giám đốc doanh nghip"); nor a
 * syllable the index has (own: in that many articles; Pun is no ùn),
 * but for a letter typed twice ("noii", and "nộii" with marks, when the
 * index has its letters in RESPELL_RARE articles at most, in any form:
 * letters);
 * and a word that is no syllable only when it is one letter too many
 * from one, and only into a word one letter shorter: "trick" is a
 * foreign word, not "trích"; but by any edit when no letter less makes
 * it one and it has marks (tăg, a Vietnamese word, the marks kept:
 * tăng) or no vowel (thng), or when the query found nothing (nothing): a
 * foreign word or a code then is better read as one the index has
 * ("covd"); else into a spelling that makes a lexicon word with its
 * neighbours only (RESPELL_CONTEXT: "trng ương"). */
static int respellable(parser *ps, size_t j, int nothing, uint32_t letters,
                       uint32_t own, int *marks, int *how)
{
    const qword *w = &ps->words[j];
    const char *s = w->norm;
    size_t n = strlen(s), k;
    int32_t cp;
    *marks = strcmp(w->norm, w->fold) != 0;
    *how = !w->syll;
    if ((w->cap & VN_ALLCAPS) || w->joined ||
        (j + 1 < ps->nw && ps->words[j + 1].joined))
        return 0; /* (a hyphenated foreign name: cu-ba) */
    if (w->syll && (*marks || own)) {
        *how = RESPELL_TWICE; /* (with marks in no article: then respell) */
        return *marks ? letters <= RESPELL_RARE || !own : !ps->accented;
    }
    if (w->syll && !*marks && ps->accented && !letters) {
        *how = RESPELL_CONTEXT; /* (no form of it: no tones to restore) */
        return 1;
    }
    if (w->syll)
        return !*marks && !ps->accented;
    if (nothing) {
        *how = 0;
        return 1;
    }
    /* no syllable: a typo only when a letter too many makes it one
     * (tuyeen, thànhh), or a letter typed twice (logisticss); else a
     * foreign word or a code (trick, covid) */
    int32_t last = -1;
    for (size_t i = 0; i < n; i += k, last = cp) {
        sbuf_reset(&ps->t);
        if (!(k = uni_decode(s + i, n - i, &cp)))
            return 0;
        sbuf_add(&ps->t, s, i);
        sbuf_adds(&ps->t, s + i + k);
        if ((ps->t.len && is_syllable(ps, ps->t.s, ps->t.len)) ||
            cp == last)
            return 1;
    }
    /* else, with marks, a Vietnamese word still: by any edit (tăg); a
     * word of consonants only, which no language writes, by any edit too
     * (thng, nghch: a vowel dropped); else only into a spelling that
     * makes a lexicon word with its neighbours (trng ương, can ngn) */
    *how = 0;
    if (*marks || !s[strcspn(s, "aeiouy")])
        return 1;
    *how = RESPELL_CONTEXT;
    return 1;
}

/* May respell_by_lexicon read ps->words[j], and with how many articles at
 * least (0: no)?  A word typed with marks in own articles, or without in
 * letters (any form), none: one; some: ratio times as many, where ratio
 * is RESPELL_RATIO, or for a syllable RESPELL_LEX_RATIO: the lexicon lacks
 * words (a rare word, or a name, beside a common one), and a syllable
 * some articles write is no slip unless the spelling is far commoner (a
 * slip many articles make too is); none when no word can be (in more
 * than the articles / ratio).  Not a word in capitals, nor one
 * of a hyphenated name, nor one that makes a lexicon word with its
 * neighbours as typed (in_context_typed). */
#define RESPELL_LEX_RATIO 1000
static uint32_t lexicon_least(parser *ps, size_t j, uint32_t own,
                              uint32_t letters)
{
    const qword *w = &ps->words[j];
    uint32_t n = strcmp(w->norm, w->fold) ? own : letters, docs = 0;
    uint32_t ratio = w->syll ? RESPELL_LEX_RATIO : RESPELL_RATIO;
    if ((w->cap & VN_ALLCAPS) || w->joined ||
        (j + 1 < ps->nw && ps->words[j + 1].joined) ||
        (n && (xap_db_doccount(ps->s->db, &docs, NULL) != TT_OK ||
               n > docs / ratio)) || /* (no word is as frequent) */
        in_context_typed(ps, j))
        return 0;
    return n ? ratio * n : 1;
}

/* ---- did you mean: the same letters, other tones ------------------------
 * A tone typed wrong gives a real word ("Hà Nôi": nôi, a cradle), which
 * no spelling check catches.  Two or three neighbouring words that, as
 * typed, are no word of the lexicon, while the lexicon has a word of the
 * same letters with other tones ("hà nội"), are looked for in the titles
 * and snippets of the first results (which show every form of a word,
 * top_hits): when
 * the words as typed stand together nowhere there and the other reading
 * does, RETONE_SEEN times at least, that reading is offered.  The typo
 * often narrows the results to articles on something else, which show
 * neither ("Đà Nẳng": two articles with a stray "nẳng"): then the index
 * says, when the reading is written in RETONE_TITLES titles at least and
 * RETONE_RATIO times as many as the words as typed (titles_writing). */
#define RETONE_SEEN 2
#define RETONE_TITLES 20
#define RETONE_RATIO 20

/* The tokens of the results' titles and snippets, read when first
 * needed (most queries never need them). */
typedef struct seentexts {
    const srch_hit *const *hits;
    size_t nhits;
    seentok **toks;
    size_t *n, ntx;
    int read;
} seentexts;

static void seen_read(parser *ps, seentexts *tx)
{
    tx->read = 1;
    tx->toks = xcalloc(2 * tx->nhits + 1, sizeof *tx->toks);
    tx->n = xcalloc(2 * tx->nhits + 1, sizeof *tx->n);
    for (size_t h = 0; h < tx->nhits; h++) {
        const char *texts[2] = {tx->hits[h]->title, tx->hits[h]->snippet};
        for (int k = 0; k < 2; k++)
            if (texts[k]) {
                tx->n[tx->ntx] = tokens_of(ps, texts[k], &tx->toks[tx->ntx]);
                tx->ntx++;
            }
    }
}

static void seen_free(seentexts *tx)
{
    for (size_t x = 0; x < tx->ntx; x++)
        tokens_free(tx->toks[x], tx->n[x]);
    free(tx->toks);
    free(tx->n);
}

/* How often syl[0..n) (norm forms) stand together in the texts. */
static size_t times_seen(parser *ps, seentexts *tx, const char *const *syl,
                         size_t n)
{
    size_t k = 0;
    if (!tx->read)
        seen_read(ps, tx);
    for (size_t x = 0; x < tx->ntx; x++)
        for (size_t t = 0; t + n <= tx->n[x]; t++) {
            const seentok *tk = tx->toks[x] + t;
            size_t l = 0;
            while (l < n && (l == 0 || !tk[l].brk) &&
                   !strcmp(tk[l].norm, syl[l]))
                l++;
            k += l == n;
        }
    return k;
}

/* Is typed the syllable r with some of its marks left out (a tone, a
 * vowel's mark, the stroke of đ: "dà" of "đà", "nang" of "nẵng"), none
 * typed that r lacks? */
static int marks_left_out(const char *typed, const char *r)
{
    int32_t a[64], b[64], ta, tb;
    size_t na = untoned_cps(typed, a, 64, &ta);
    size_t nb = untoned_cps(r, b, 64, &tb), i = 0;
    if (!na || (ta && ta != tb))
        return 0;
    for (size_t j = 0; j < nb; j++)
        if (i < na && (a[i] == b[j] || (a[i] == 'd' && b[j] == 0x111)))
            i++;
        else if (b[j] != 0x302 && b[j] != 0x306 && b[j] != 0x31B)
            return 0;
    return i == na;
}

/* Is each of the words w[0..n) typed with marks written so in more than
 * a thousandth (RETONE_COMMON) of the articles that have its letters? */
#define RETONE_COMMON 1000
static int common_spellings(parser *ps, const qword *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t own = 0, all = 0;
        if (!strcmp(w[i].norm, w[i].fold))
            continue;
        xap_db_termfreq(ps->s->db, w[i].norm, strlen(w[i].norm), &own, NULL);
        xap_db_termfreq(ps->s->db, w[i].fold, strlen(w[i].fold), &all, NULL);
        if ((uint64_t)own * RETONE_COMMON <= all)
            return 0;
    }
    return 1;
}

/* The lexicon's reading of words w[0..n) with other tones that the texts
 * bear out (above), into out[0..n) (syllables in store); 0 if none, or if
 * the words as typed are a word of the lexicon themselves. */
static int retone_run(parser *ps, const qword *w, size_t n, seentexts *tx,
                      char store[][3][READING_SYL], const char *out[3])
{
    const char *readings[16], *typed[3];
    unsigned rbits[16];
    size_t best = RETONE_SEEN - 1, nr = 0;
    size_t nc = builtin_readings(ps, w, n, readings, rbits);
    for (size_t i = 0; i < n; i++)
        typed[i] = w[i].norm;
    for (size_t c = 0; c < nc && nr < MAX_READINGS; c++) {
        int same = 1;
        if (!split_reading(readings[c], n, store[nr]))
            continue;
        for (size_t i = 0; i < n; i++)
            same &= !strcmp(store[nr][i], typed[i]);
        if (same) /* typed as a word */
            return 0;
        nr++;
    }
    if (!nr)
        return 0;
    /* the words as typed together in the results, twice or more, each a
     * common spelling: meant ("Hà nói", a name and a verb; not "Thủ
     * tuớng", a slip some articles make too) */
    size_t seen = times_seen(ps, tx, typed, n);
    if (seen >= RETONE_SEEN && common_spellings(ps, w, n))
        return 0;
    for (size_t c = 0; c < nr && !seen; c++) {
        const char *syl[3] = {store[c][0], store[c][1], store[c][2]};
        size_t k = times_seen(ps, tx, syl, n);
        if (k > best) {
            best = k;
            for (size_t i = 0; i < n; i++)
                out[i] = store[c][i];
        }
    }
    if (best >= RETONE_SEEN)
        return 1;
    /* the results show neither, or the words as typed too (an article
     * with the same slip: "Thủ tuớng"): the titles of the whole index,
     * for a reading that changes one word of them (a slip: "cán cành" is
     * two words meant, not "cận cảnh"), besides words typed with some of
     * its marks left out ("dà nang": Đà Nẵng) */
    uint32_t least = RETONE_RATIO * (titles_writing(ps, typed, n) + 1);
    if (least < RETONE_TITLES)
        least = RETONE_TITLES;
    best = 0;
    for (size_t c = 0; c < nr; c++) {
        const char *syl[3] = {store[c][0], store[c][1], store[c][2]};
        size_t changed = 0, slips = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(syl[i], typed[i])) {
                changed++;
                slips += !marks_left_out(typed[i], syl[i]);
            }
        uint32_t k = slips == 1 || (changed && !slips)
                         ? titles_writing(ps, syl, n)
                         : 0;
        if (k >= least && k > best) {
            best = k;
            for (size_t i = 0; i < n; i++)
                out[i] = store[c][i];
        }
    }
    return best > 0;
}

/* A syllable written with the capitals the user typed (VN_CAP: the first
 * letter, VN_ALLCAPS: every letter). */
static void add_cased(sbuf *b, const char *s, int cap)
{
    size_t n = strlen(s), k;
    int first = 1;
    for (size_t i = 0; i < n; i += k) {
        int32_t cp;
        k = uni_decode(s + i, n - i, &cp);
        if (!k)
            break;
        uni_addcp(b, ((cap & VN_ALLCAPS) || ((cap & VN_CAP) && first))
                         ? uni_toupper(cp)
                         : cp);
        first = 0;
    }
}

/* The query with the words that retone_run re-reads; NULL if none. */
static char *retone(parser *ps, const srch_hit *const *ref, size_t nref)
{
    char store[MAX_READINGS][3][READING_SYL];
    const char **fix = xcalloc(ps->nw, sizeof *fix);
    seentexts tx = {.hits = ref, .nhits = nref};
    char *out = NULL;
    int any = 0;
    int *cap = xcalloc(ps->nw, sizeof *cap);
    for (size_t j = 0; j < ps->nw; j++)
        cap[j] = ps->words[j].cap;
    for (size_t i = 0; i + 1 < ps->nw;) {
        const char *r[3] = {0};
        size_t n = ps->nw - i < 3 ? ps->nw - i : 3;
        for (; n >= 2; n--) {
            memset(store, 0, sizeof store);
            if (retone_run(ps, &ps->words[i], n, &tx, store, r))
                break;
        }
        if (n < 2) {
            i++;
            continue;
        }
        /* a word the reading leaves as it is stays as typed (kỳ, not
         * the reading's kì) */
        for (size_t j = 0; j < n; j++)
            fix[i + j] = strcmp(r[j], ps->words[i + j].norm) ? xstrdup(r[j])
                                                              : NULL;
        /* written as most articles write it, a word typed in capitals
         * as typed */
        cased_as_written(ps, &ps->words[i], r, n, cap + i);
        any = 1;
        i += n;
    }
    if (any) {
        sbuf b = {0};
        for (size_t j = 0; j < ps->nw; j++) {
            sbuf_adds(&b, !j ? "" : ps->words[j].joined ? "-" : " ");
            add_cased(&b, fix[j] ? fix[j] : ps->words[j].typed, cap[j]);
        }
        out = sbuf_detach(&b, NULL);
    }
    for (size_t j = 0; j < ps->nw; j++)
        free((char *)fix[j]);
    free(fix);
    free(cap);
    seen_free(&tx);
    return out;
}

/* ---- did you mean: marks ------------------------------------------------
 * Syllables compared by their marks: the tone (U+0300 huyền, U+0301 sắc,
 * U+0303 ngã, U+0309 hỏi, U+0323 nặng) apart from the vowel marks. */
static int is_tone_mark(int32_t cp)
{
    return cp == 0x300 || cp == 0x301 || cp == 0x303 || cp == 0x309 ||
           cp == 0x323;
}

/* s decomposed, its tone mark left out (into d[0..return), at most max),
 * its tone mark in *tone (0: none). */
static size_t untoned_cps(const char *s, int32_t *d, size_t max,
                          int32_t *tone)
{
    size_t n = strlen(s), k, nd = 0;
    *tone = 0;
    for (size_t i = 0; i < n; i += k) {
        int32_t cp, dec[4];
        if (!(k = uni_decode(s + i, n - i, &cp)))
            return 0;
        size_t m = uni_decompose(cp, dec, 4);
        for (size_t j = 0; j < m; j++) {
            if (is_tone_mark(dec[j]))
                *tone = dec[j];
            else if (nd < max)
                d[nd++] = dec[j];
        }
    }
    return nd;
}

/* s without its tone ("đà" -> "đa"), NFC. */
static void untoned(const char *s, sbuf *out)
{
    int32_t d[64], tone;
    size_t n = untoned_cps(s, d, 64, &tone);
    sbuf raw = {0};
    for (size_t i = 0; i < n; i++)
        uni_addcp(&raw, d[i]);
    sbuf_reset(out);
    uni_nfc(raw.s ? raw.s : "", raw.len, 0, out);
    if (!out->s)
        sbuf_adds(out, "");
    sbuf_free(&raw);
}

/* ---- did you mean: a rare spelling of a common word ---------------------
 * A syllable typed with marks that the index holds, but in a handful of
 * articles ("nuớc": one article's slip), where the same letters with one
 * vowel mark more or less and the same tone ("nước"), or the same letters
 * and marks with the tone hỏi for ngã or ngã for hỏi ("vủ": Vũ;
 * the commonest spelling error of Vietnamese writers, which some
 * articles make too), are RARE_RATIO times as frequent at least: the
 * common spelling.  One mark apart only, so that a rare name stays
 * ("Trâm", not "trăm", two marks apart). */
#define RARE_RATIO 1000

/* Do a and b (decomposed, tone left out) differ by one horn, breve or
 * circumflex only? */
static int one_mark_apart(const int32_t *a, size_t na, const int32_t *b,
                          size_t nb)
{
    if (na + 1 == nb)
        return one_mark_apart(b, nb, a, na);
    if (na != nb + 1)
        return 0;
    size_t i = 0;
    while (i < nb && a[i] == b[i])
        i++;
    if (a[i] != 0x31B && a[i] != 0x306 && a[i] != 0x302)
        return 0;
    return !memcmp(a + i + 1, b + i, (nb - i) * sizeof *a);
}

/* The common spelling of norm (folded fold), or NULL.  The forms are
 * looked up only when two counts allow one (the match's, or a lookup
 * each): every form together (the folded term) RARE_RATIO times as
 * frequent as norm. */
static char *common_spelling(parser *ps, const xap_mset *m, const char *norm,
                             const char *fold)
{
    uint32_t own = 0, all = 0, best = 0;
    if (!xap_mset_termfreq(m, norm, strlen(norm), &own))
        xap_db_termfreq(ps->s->db, norm, strlen(norm), &own, NULL);
    if (!xap_mset_termfreq(m, fold, strlen(fold), &all))
        xap_db_termfreq(ps->s->db, fold, strlen(fold), &all, NULL);
    if (!own || all < (uint64_t)RARE_RATIO * own)
        return NULL;
    const forms *f = forms_of(ps->s, fold);
    int32_t a[64], b[64], ta, tb;
    const char *to = NULL;
    size_t na = untoned_cps(norm, a, 64, &ta);
    own = 0;
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i], norm))
            own = f->tf[i];
    if (!own || !na)
        return NULL;
    for (size_t i = 0; i < f->n; i++) {
        size_t nb = untoned_cps(f->v[i], b, 64, &tb);
        if (f->tf[i] > best && strcmp(f->v[i], fold) &&
            f->tf[i] >= (uint64_t)RARE_RATIO * own &&
            (tb == ta ? one_mark_apart(a, na, b, nb)
                      : hoi_nga_cps(a, na, ta, b, nb, tb))) {
            best = f->tf[i];
            to = f->v[i];
        }
    }
    return to ? xstrdup(to) : NULL;
}

/* ---- did you mean: Telex ------------------------------------------------
 * A word that is no syllable may be one typed with the Telex input method
 * and left undecoded ("dduwowngf", "dda"): dd is đ, aa â, aw ă, ee ê, oo
 * ô, ow ơ, uw ư (a w after the vowels: their horn or breve), and s f r x
 * j after the vowel the tones sắc, huyền, hỏi, ngã, nặng.  Its decoded
 * spelling, when that is a syllable TELEX_RATIO times as frequent as the
 * word as typed (a foreign word stays: "bus" is not "bú").  VNI (a1, o6)
 * is not decoded: its digits are numbers' too (a4, 5s). */
#define TELEX_RATIO 20

/* The vowel a Telex tone goes on in cp[0..n): the last with a vowel mark,
 * else in the vowels' group (qu, gi apart) the second of three or of two
 * before a final consonant, else the first; n if none. */
static size_t telex_tone_at(const int32_t *cp, size_t n)
{
    size_t first = n, len = 0;
    for (size_t i = n; i-- > 0;)
        if (cp[i] == 0xE2 || cp[i] == 0x103 || cp[i] == 0xEA ||
            cp[i] == 0xF4 || cp[i] == 0x1A1 || cp[i] == 0x1B0)
            return i;
    for (size_t i = 0; i < n; i++) {
        int v = cp[i] < 0x80 && strchr("aeiouy", (int)cp[i]);
        if (v && first == n && i + 1 < n && i > 0 &&
            ((cp[i] == 'u' && cp[i - 1] == 'q') ||
             (cp[i] == 'i' && cp[i - 1] == 'g')) &&
            cp[i + 1] < 0x80 && strchr("aeiouy", (int)cp[i + 1]))
            continue;
        if (v && first == n)
            first = i;
        if (v && first + len == i)
            len++;
    }
    if (first == n)
        return n;
    return len >= 3 || (len == 2 && first + len < n) ? first + 1 : first;
}

/* word (a-z) decoded as Telex into out (a norm form), *toned when it had
 * a tone key; 0 if it has no Telex key or decodes to no syllable. */
static int telex_decode(parser *ps, const char *word, sbuf *out, int *toned)
{
    int32_t cp[32], tone = 0;
    size_t n = strlen(word), m = 0;
    int vowel = 0, keys = 0, doubled = 0, w = 0;
    if (n < 2 || n >= 32)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)word[i];
        if (c < 'a' || c > 'z')
            return 0;
        if (!i && c == 'd' && word[1] == 'd') {
            cp[m++] = 0x111, i++, keys++;
        } else if (vowel && strchr("sfrxj", c)) {
            if (tone)
                return 0;
            tone = c == 's' ? 0x301 : c == 'f' ? 0x300 : c == 'r' ? 0x309
                 : c == 'x' ? 0x303 : 0x323;
            keys++;
        } else if (c == 'w' && m && strchr("aou", (int)cp[m - 1]) &&
                   cp[m - 1] < 0x80) {
            cp[m - 1] = cp[m - 1] == 'a' ? 0x103 : cp[m - 1] == 'o' ? 0x1A1
                                                                 : 0x1B0;
            keys++;
        } else if (c == 'w' && vowel) {
            w = 1;
            keys++;
        } else if (m && cp[m - 1] == c && strchr("aeo", c)) {
            cp[m - 1] = c == 'a' ? 0xE2 : c == 'e' ? 0xEA : 0xF4;
            keys++;
            doubled++;
        } else {
            vowel |= strchr("aeiouy", c) != NULL;
            cp[m++] = c;
        }
    }
    for (size_t i = 0; w && i < m; i++) /* a w after the vowels */
        if (cp[i] == 'u' && i + 1 < m && cp[i + 1] == 'o')
            cp[i] = 0x1B0, cp[i + 1] = 0x1A1, w = 0;
    for (size_t i = m; w && i-- > 0;)
        if (cp[i] == 'a' || cp[i] == 'o' || cp[i] == 'u')
            cp[i] = cp[i] == 'a' ? 0x103 : cp[i] == 'o' ? 0x1A1 : 0x1B0,
            w = 0;
    for (size_t i = 0; i + 1 < m; i++) /* uơ is ươ, ưo too */
        if ((cp[i] == 'u' && cp[i + 1] == 0x1A1 && !(i && cp[i - 1] == 'q')) ||
            (cp[i] == 0x1B0 && cp[i + 1] == 'o'))
            cp[i] = 0x1B0, cp[i + 1] = 0x1A1;
    /* a final s, r or x alone is an English word's more likely (bus,
     * car, sex); a vowel doubled alone, a letter typed twice (respell's:
     * tuyeen is tuyên, the commonest syllable a letter away) */
    if (!keys || w || doubled == keys ||
        (keys == 1 && strchr("srx", word[n - 1])))
        return 0;
    size_t at = tone ? telex_tone_at(cp, m) : m;
    if (tone && at == m)
        return 0;
    sbuf raw = {0}, nfc = {0};
    for (size_t i = 0; i < m; i++) {
        uni_addcp(&raw, cp[i]);
        if (i == at)
            uni_addcp(&raw, tone);
    }
    uni_nfc(raw.s, raw.len, 1, &nfc);
    sbuf_reset(out);
    vn_norm(nfc.s, nfc.len, out);
    sbuf_free(&raw);
    sbuf_free(&nfc);
    *toned = tone != 0;
    return out->s && is_syllable(ps, out->s, out->len);
}

/* The query with its Telex words decoded, rather than respelt (fix: the
 * respellings of other words, or NULL), but for a word the first
 * results write as typed, RETONE_SEEN times or more (tx: a name, "Hari",
 * not "hải").  A decoded word left without a
 * tone is read with its neighbours as the lexicon reads them, the
 * reading the most titles write (dda nang: "Đà Nẵng", its proper name
 * capitalised), else in its most frequent form with a tone.  NULL if no
 * word decodes. */
static char *telex_suggest(parser *ps, char *const *fix, seentexts *tx)
{
    size_t nw = ps->nw;
    char **sy = xcalloc(nw, sizeof *sy), **folds = xcalloc(nw, sizeof *folds);
    int *kind = xcalloc(nw, sizeof *kind), *cap = xcalloc(nw, sizeof *cap);
    int *dec = xcalloc(nw, sizeof *dec);
    qword *tw = xcalloc(nw, sizeof *tw);
    int any = 0;
    char *out = NULL;
    sbuf d = {0}, f = {0}, u = {0};
    for (size_t j = 0; j < nw; j++) {
        const qword *w = &ps->words[j];
        uint32_t tf_typed = 0, tf_dec = 0;
        int toned = 0;
        tw[j] = *w;
        cap[j] = w->cap;
        kind[j] = strcmp(w->norm, w->fold) ? 0 : 2;
        if (kind[j] != 2 || w->syll || (w->cap & VN_ALLCAPS) ||
            w->joined || (j + 1 < nw && ps->words[j + 1].joined) ||
            !telex_decode(ps, w->fold, &d, &toned))
            continue;
        sbuf_reset(&f);
        vn_fold_norm(d.s, d.len, &f);
        const char *t = toned ? d.s : f.s;
        xap_db_termfreq(ps->s->db, w->fold, strlen(w->fold), &tf_typed, NULL);
        xap_db_termfreq(ps->s->db, t, strlen(t), &tf_dec, NULL);
        const char *typed[1] = {w->norm};
        if (tf_dec <= (uint64_t)TELEX_RATIO * tf_typed ||
            times_seen(ps, tx, typed, 1) >= RETONE_SEEN)
            continue;
        sy[j] = xstrdup(d.s);
        folds[j] = xstrdup(f.s);
        tw[j].fold = folds[j];
        kind[j] = toned ? 0 : 1;
        dec[j] = any = 1;
    }
    for (size_t i = 0; any && i + 1 < nw;) {
        size_t n = nw - i < 3 ? nw - i : 3, done = 0;
        for (; n >= 2 && !done; n--) {
            const char *rd[16];
            unsigned bits[16];
            char syl[3][READING_SYL], best[3][READING_SYL];
            uint32_t most = 0;
            unsigned bbits = 0;
            int has = 0;
            for (size_t j = i; j < i + n; j++)
                has |= dec[j];
            size_t nc = has ? builtin_readings(ps, tw + i, n, rd, bits) : 0;
            for (size_t c = 0; c < nc; c++) {
                int fits = split_reading(rd[c], n, syl);
                for (size_t j = 0; fits && j < n; j++) {
                    const char *now = sy[i + j] ? sy[i + j]
                                                : ps->words[i + j].norm;
                    if (kind[i + j] == 1)
                        untoned(syl[j], &u);
                    fits = kind[i + j] == 2 ||
                           !strcmp(kind[i + j] ? u.s : syl[j], now);
                }
                const char *r[3] = {syl[0], syl[1], syl[2]};
                uint32_t k = fits ? titles_writing(ps, r, n) : 0;
                if (k > most) {
                    most = k;
                    bbits = bits[c];
                    memcpy(best, syl, sizeof best);
                }
            }
            if (!most)
                continue;
            for (size_t j = 0; j < n; j++) {
                free(sy[i + j]);
                sy[i + j] = xstrdup(best[j]);
                kind[i + j] = 0;
                if (bbits & SEG_NAME)
                    cap[i + j] |= VN_CAP;
            }
            done = n;
        }
        i += done ? done : 1;
    }
    /* a syllable still without a tone: its most frequent form with one
     * ("dda": đã) */
    for (size_t j = 0; any && j < nw; j++) {
        if (kind[j] != 1)
            continue;
        const forms *fm = forms_of(ps->s, folds[j]);
        uint32_t most = 0;
        const char *to = NULL;
        for (size_t i = 0; i < fm->n; i++) {
            untoned(fm->v[i], &u);
            if (!strcmp(u.s, sy[j]) && fm->tf[i] > most) {
                most = fm->tf[i];
                to = fm->v[i];
            }
        }
        if (to) {
            free(sy[j]);
            sy[j] = xstrdup(to);
        }
    }
    if (any) {
        sbuf b = {0};
        for (size_t j = 0; j < nw; j++) {
            if (j)
                sbuf_addc(&b, ps->words[j].joined ? '-' : ' ');
            if (fix[j] && !sy[j])
                sbuf_adds(&b, fix[j]);
            else
                add_cased(&b, sy[j] ? sy[j] : ps->words[j].typed, cap[j]);
        }
        out = sbuf_detach(&b, NULL);
    }
    for (size_t j = 0; j < nw; j++) {
        free(sy[j]);
        free(folds[j]);
    }
    free(sy);
    free(folds);
    free(kind);
    free(cap);
    free(dec);
    free(tw);
    sbuf_free(&d);
    sbuf_free(&f);
    sbuf_free(&u);
    return out;
}

/* ---- did you mean: the corrected query as written ---------------------- */

static int run_once(srch *s, const srch_req *req, srch_result *res,
                    double deadline, int *stale, int nested, tt_err *e);

/* The corrected query q as the first results of a search for it write it
 * (the suggestion it gets, its words as typed where the texts give them
 * nothing), or NULL when the search fails or finds nothing. */
static char *corrected_as_seen(srch *s, const srch_req *req, const char *q,
                               double deadline)
{
    srch_req r = *req;
    srch_result res;
    tt_err e;
    int stale = 0;
    char *out = NULL;
    r.query = q;
    r.offset = 0;
    r.limit = SUGGEST_HITS;
    r.sort_date = 0;
    r.recency_days = 0;
    r.facets = 0;
    r.explain = 0;
    r.related = r.copies = NULL;
    r.suggest = 1;
    if (run_once(s, &r, &res, deadline, &stale, 1, &e) == TT_OK &&
        res.nhits && res.suggestion) {
        out = res.suggestion;
        res.suggestion = NULL;
    }
    srch_result_free(&res);
    return out;
}

/* The query's words, word j spelt fix[j] (NULL, or fix NULL: as typed),
 * each in the case most articles write the run of their norms in (word
 * j's fixed[j], else its own: cased_as_written). */
static char *cased_run(parser *ps, char *const *fix, char *const *fixed)
{
    int *cap = xcalloc(ps->nw, sizeof *cap);
    const char **norm = xcalloc(ps->nw, sizeof *norm);
    sbuf b = {0};
    for (size_t j = 0; j < ps->nw; j++)
        norm[j] = fixed && fixed[j] ? fixed[j] : ps->words[j].norm;
    cased_as_written(ps, ps->words, norm, ps->nw, cap);
    for (size_t j = 0; j < ps->nw; j++) {
        if (j)
            sbuf_addc(&b, ps->words[j].joined ? '-' : ' ');
        add_cased(&b, fix && fix[j] ? fix[j] : ps->words[j].typed, cap[j]);
    }
    free(norm);
    free(cap);
    return sbuf_detach(&b, NULL);
}

/* The suggestion for the query, from the index and the texts of the
 * first results (ref[0..nref): top_hits), or NULL.  nested: the query is
 * a correction already (corrected_as_seen): it is not respelt again, and
 * is spelt as its results write it even where it adds no accents. */
static char *suggest(parser *ps, const srch_req *req, const xap_mset *m,
                     const srch_result *res, const srch_hit *const *ref,
                     size_t nref, double deadline, int nested)
{
    int accentless = 1, misspelt = 0, rare = 0;
    int nothing = !res->total && !res->nhits;
    char *out = NULL;
    if (!ps->simple || !ps->nw)
        return NULL;
    for (size_t j = 0; j < ps->nw; j++)
        if (strcmp(ps->words[j].fold, ps->words[j].norm))
            accentless = 0;
    /* words the index has in no form as typed, or rarely: fix[j] as
     * shown, fixed[j] as searched (a plain word's folded spelling) */
    char **fix = xcalloc(ps->nw, sizeof *fix);
    char **fixed = xcalloc(ps->nw, sizeof *fixed);
    char **common = xcalloc(ps->nw, sizeof *common);
    for (size_t j = 0; j < ps->nw; j++) {
        /* a word is known when its folded term (every form) exists, as
         * it does when its exact form does; the match counted the
         * query's terms already (a word typed with marks is respelt by
         * its exact term: own) */
        uint32_t tf = 0, own, letters, least = 0;
        const char *fold = ps->words[j].fold, *norm = ps->words[j].norm;
        if (!xap_mset_termfreq(m, fold, strlen(fold), &tf) &&
            !(xap_mset_termfreq(m, norm, strlen(norm), &tf) && tf))
            xap_db_termfreq(ps->s->db, fold, strlen(fold), &tf, NULL);
        int marks = 0, how = 0;
        /* how many articles have it as typed (a word typed with marks:
         * its exact term), and its letters in any form */
        own = letters = tf;
        if (!nested && strcmp(norm, fold)) {
            if (!xap_mset_termfreq(m, fold, strlen(fold), &letters))
                xap_db_termfreq(ps->s->db, fold, strlen(fold), &letters,
                                NULL);
            if (!xap_mset_termfreq(m, norm, strlen(norm), &own))
                xap_db_termfreq(ps->s->db, norm, strlen(norm), &own, NULL);
        }
        /* a word the index lacks, or has in a few articles where a
         * spelling a letter away is in RESPELL_RATIO times as many (a
         * syllable typed with marks: even when it lacks it) */
        if (!nested &&
            respellable(ps, j, nothing, letters, own, &marks, &how))
            least = own > RESPELL_RARE ? 0
                    : own || how == RESPELL_TWICE
                        ? RESPELL_RATIO * (own ? own : 1)
                        : 1;
        /* in a query with marks, first a slip its neighbours tell: the
         * syllable as the lexicon writes it (hội đng: đồng, where đang
         * is more frequent) */
        uint32_t lex = !nested && ps->accented
                           ? lexicon_least(ps, j, own, letters)
                           : 0;
        if (lex && (fixed[j] = respell_by_lexicon(ps, j, lex))) {
            marks = 1;
            least = 0;
        }
        if (least && how == RESPELL_TWICE) {
            fixed[j] = respell_twice(ps, ps->words[j].typed, marks, 1,
                                     least);
            /* a syllable with marks no article has so, no letter typed
             * twice: a slip (huết, nhịch, ngă), or marks typed wrong */
            if (!fixed[j] && marks && !own)
                fixed[j] = respell(ps, j, norm, marks, 0, least);
        } else if (least) {
            fixed[j] = respell(ps, j, marks ? norm : fold, marks, how,
                               least);
        }
        /* a foreign word with a letter typed twice (logisticss) */
        if (least && how == 1 && !fixed[j])
            fixed[j] = respell_twice(ps, ps->words[j].typed, marks, 0,
                                     least);
        if (least && !how && !marks &&
            !(fixed[j] && in_context(ps, j, fixed[j]))) {
            /* two edits away, unless one is a far rarer word than it (or
             * makes a lexicon word with its neighbours) */
            uint32_t near = 0;
            if (fixed[j])
                xap_db_termfreq(ps->s->db, fixed[j], strlen(fixed[j]), &near,
                                NULL);
            char *far = respell_far(ps, fold,
                                    near ? RESPELL_RATIO * near : least);
            if (far) {
                free(fixed[j]);
                fixed[j] = far;
            }
        }
        /* in a query without marks, a slip its neighbours tell where no
         * spelling of the word alone is offered: one the index has in
         * more than RESPELL_RARE articles ("line ket": liên kết; a slip
         * many articles make is in that many), unless the articles
         * write it so beside a neighbour (a name) */
        if (!fixed[j] && !nested && !ps->accented &&
            (lex = lexicon_least(ps, j, own, letters)) != 0 &&
            (fixed[j] = respell_by_lexicon(ps, j, lex)) != NULL &&
            pair_as_typed(ps, j, fixed[j])) {
            free(fixed[j]);
            fixed[j] = NULL;
        }
        if (fixed[j]) {
            fix[j] = marks ? NULL : best_written(ps->s, fixed[j]);
            if (!fix[j])
                fix[j] = xstrdup(fixed[j]);
            misspelt = 1;
        }
        /* typed with marks, in a handful of articles: a slip ("nuớc") */
        else if (tf && ps->words[j].syll && strcmp(norm, fold) &&
                 !(ps->words[j].cap & VN_ALLCAPS) &&
                 (common[j] = common_spelling(ps, m, norm, fold)))
            rare = 1;
    }
    seentexts tx = {.hits = ref, .nhits = nref};
    char *telex = nested ? NULL : telex_suggest(ps, fix, &tx);
    seen_free(&tx);
    if ((out = telex)) {
        /* (undecoded Telex: the rest as below would read it as typed) */
    } else if (misspelt) {
        /* the corrected query (q), as its results write it; else as
         * typed (b), each word respelt in its most frequent form */
        sbuf b = {0}, q = {0};
        for (size_t j = 0; j < ps->nw; j++) {
            if (j) {
                sbuf_addc(&b, ps->words[j].joined ? '-' : ' ');
                sbuf_addc(&q, ps->words[j].joined ? '-' : ' ');
            }
            add_cased(&b, fix[j] ? fix[j] : ps->words[j].typed,
                      ps->words[j].cap);
            add_cased(&q, fixed[j] ? fixed[j] : ps->words[j].typed,
                      ps->words[j].cap);
        }
        out = corrected_as_seen(ps->s, req, q.s, deadline);
        if (out && ps->nw == 1 && fixed[0] && accentless) {
            /* one plain word, no other to read it with: its most
             * frequent form, as its results write it if they do */
            sbuf one = {0};
            vn_norm(out, strlen(out), &one);
            if (!one.s || strcmp(one.s, fix[0])) {
                sbuf_reset(&one);
                add_cased(&one, fix[0], ps->words[0].cap);
                free(out);
                out = sbuf_detach(&one, NULL);
            }
            sbuf_free(&one);
        }
        /* with marks: each word in the case most articles write the
         * corrected run in (vủng tàu: Vũng Tàu) */
        if (!out && !accentless)
            out = cased_run(ps, fix, fixed);
        if (!out)
            out = sbuf_detach(&b, NULL);
        sbuf_free(&b);
        sbuf_free(&q);
    } else if (accentless && nref && !res->relaxed) {
        out = restore_accents(ps, ref, nref, nested);
    } else if (!accentless) {
        /* the common spellings in place of the rare ones, retoned */
        char **typed = xcalloc(2 * ps->nw, sizeof *typed);
        for (size_t j = 0; j < ps->nw; j++)
            if (common[j]) {
                typed[j] = ps->words[j].typed;
                typed[ps->nw + j] = ps->words[j].norm;
                ps->words[j].typed = ps->words[j].norm = common[j];
            }
        out = retone(ps, ref, nref); /* (the index speaks without results) */
        if (!out && rare) /* written as most articles write it (hà nọi:
                           * Hà Nội) */
            out = cased_run(ps, NULL, NULL);
        for (size_t j = 0; j < ps->nw; j++)
            if (common[j]) {
                ps->words[j].typed = typed[j];
                ps->words[j].norm = typed[ps->nw + j];
            }
        free(typed);
    }
    for (size_t j = 0; j < ps->nw; j++) {
        free(fix[j]);
        free(fixed[j]);
        free(common[j]);
    }
    free(fix);
    free(fixed);
    free(common);
    return out;
}

/* ---- running a search -------------------------------------------------- */

/* Facet k of m (k < 0: a slot not counted, empty). */
static void facets_of(const xap_mset *m, int k, srch_facet **out, size_t *n)
{
    size_t nv = k < 0 ? 0 : xap_mset_facet_size(m, (size_t)k);
    *out = xcalloc(nv + 1, sizeof **out);
    for (size_t j = 0; j < nv; j++) {
        size_t len;
        uint32_t count;
        const char *v = xap_mset_facet_value(m, (size_t)k, j, &len, &count);
        (*out)[j].value = xstrndup(v, len);
        (*out)[j].count = count;
    }
    *n = nv;
}

static int cmp_year_desc(const void *a, const void *b)
{
    return strcmp(((const srch_facet *)b)->value,
                  ((const srch_facet *)a)->value);
}

/* q restricted by the filters of ps (NULL q: every document). */
static xap_query *filtered(parser *ps, xap_query *q)
{
    xap_query **f = xcalloc(ps->nf + 2, sizeof *f);
    xap_query **nf = xcalloc(ps->nnf + 1, sizeof *nf);
    size_t n = 0;
    for (size_t i = 0; i < ps->nf; i++)
        f[n++] = xap_q_copy(ps->filt[i]);
    if (ps->since[0] || ps->until[0])
        f[n++] = date_range_q(ps, ps->since, ps->until);
    for (size_t i = 0; i < ps->nnf; i++)
        nf[i] = xap_q_copy(ps->nfilt[i]);
    q = restrict_q(q, f, n, nf, ps->nnf);
    free(f);
    free(nf);
    return q;
}

static void parser_free(parser *ps)
{
    for (size_t i = 0; i < ps->nkept; i++)
        free(ps->kept[i].data);
    free(ps->kept);
    title_phrases_drop(ps, 0);
    free(ps->tp);
    xfree_all(ps->hl, ps->nhl);
    free(ps->hlany);
    free(ps->hltitle);
    xfree_all(ps->hlnorm, ps->nhlnorm);
    xfree_all(ps->hlrun, ps->nhlrun);
    for (size_t i = 0; i < ps->nf; i++)
        xap_q_free(ps->filt[i]);
    free(ps->filt);
    for (size_t i = 0; i < ps->nnf; i++)
        xap_q_free(ps->nfilt[i]);
    free(ps->nfilt);
    words_free(ps->words, ps->nw);
    for (size_t i = 0; i < ps->nb; i++)
        for (size_t j = 0; j < ps->bonus[i].n; j++) {
            free(ps->bonus[i].fold[j]);
            free(ps->bonus[i].weigh[j]);
            free(ps->bonus[i].reading[j]);
        }
    free(ps->bonus);
    for (size_t i = 0; i < ps->nnear; i++) {
        for (int k = 0; k < 2; k++) {
            free(ps->near[i].fold[k]);
            free(ps->near[i].weigh[k]);
        }
    }
    free(ps->near);
    sbuf_free(&ps->t);
    sbuf_free(&ps->folds);
    sbuf_free(&ps->cfold);
    sbuf_free(&ps->cnorm);
    sbuf_free(&ps->notice);
    sbuf_free(&ps->text);
    free(ps->unknown);
    free(ps->related_title);
}

/* Where the query text ends when it searches SRCH_MAX_WORDS words: just
 * after the last one, or NULL when it has no more.  A word is a token the
 * tokenizer indexes, in any item (a phrase, title:, an excluded word); a
 * filter (author:..., since:..., a date range) counts as one; OR, '-',
 * quotes and parentheses count for nothing.  Each word adds terms, phrase
 * bonuses and proximity pairs: 600 words took seconds. */
static const char *words_cut(parser *ps)
{
    const char *save = ps->p, *cut = NULL;
    size_t n = 0, nl, sk, orlen;
    vn_token tk;
    while (n <= SRCH_MAX_WORDS) {
        skip_space(ps);
        if (ps->p >= ps->end)
            break;
        int kind = field_at(ps, &nl, &sk);
        const char *w = ps->p, *end;
        if ((orlen = at_or(ps, ps->p == save))) {
            ps->p += orlen;
        } else if (at_op(ps)) {
            ps->p += 3;
        } else if (kind > 0 && ps->p + sk < ps->end && ps->p[sk] == '(') {
            ps->p += sk; /* a group's values count as its words do */
        } else if (kind > 0 && kind != F_TITLE) {
            size_t vn;
            int quoted;
            ps->p += sk;
            field_value(ps, &w, &vn, &quoted);
            if (++n == SRCH_MAX_WORDS)
                cut = ps->p;
        } else if (kind == F_TITLE) {
            ps->p += sk; /* its words count */
        } else if (range_dots(ps, &end)) {
            ps->p = end;
            if (++n == SRCH_MAX_WORDS)
                cut = ps->p;
        } else if (strchr("-()\"", *ps->p)) {
            ps->p++;
        } else {
            while (ps->p < ps->end && !strchr(" \t\n\r()\"", *ps->p))
                ps->p++;
            vn_tok_start(ps->s->tok, w, (size_t)(ps->p - w));
            while (n <= SRCH_MAX_WORDS && vn_tok_next(ps->s->tok, &tk))
                if (an_indexable(&tk) && tk.fold_len <= XAP_MAX_TERM - 2 &&
                    ++n == SRCH_MAX_WORDS)
                    cut = w + tk.off + tk.len;
        }
    }
    ps->p = save;
    return n > SRCH_MAX_WORDS ? cut : NULL;
}

/* The query as read: the quotation marks that phones, word processors and
 * other languages' keyboards type (“ ” „ ‟ « » ＂ 〝 〞) are '"', so that
 * a phrase pasted or typed with them is one; an invalid UTF-8 sequence
 * is a space (the tokenizer's reading of it), counted: where the first
 * one starts in q (*bad, 1-based), how many (*nbad). */
static void query_text(const char *q, sbuf *out, size_t *bad, size_t *nbad)
{
    size_t n = strlen(q);
    sbuf_add(out, "", 0); /* never NULL */
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = uni_decode(q + i, n - i, &cp);
        if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F ||
            cp == 0x00AB || cp == 0x00BB || cp == 0xFF02 || cp == 0x301D ||
            cp == 0x301E) {
            sbuf_addc(out, '"');
        } else if (cp == 0xFFFD && (k != 3 || memcmp(q + i, "\xEF\xBF\xBD", 3))) {
            if (!(*nbad)++)
                *bad = i + 1;
            sbuf_addc(out, ' ');
        } else {
            sbuf_add(out, q + i, k);
        }
        i += k;
    }
}

/* Parse req into ps and return the query text's match query (NULL when
 * there are only filters).  On error ps->rc/ps->err or *rc/e are set. */

static xap_query *build(parser *ps, srch *s, const srch_req *req,
                        int fallback, int *rc, tt_err *e)
{
    xap_query *text;
    memset(ps, 0, sizeof *ps);
    ps->s = s;
    ps->simple = 1;
    ps->fallback = fallback;
    size_t bad = 0, nbad = 0;
    query_text(req->query ? req->query : "", &ps->text, &bad, &nbad);
    if (nbad) {
        sbuf_addf(&ps->notice, "invalid UTF-8 at byte %zu of the query", bad);
        if (nbad > 1)
            sbuf_addf(&ps->notice, " and %zu more place%s", nbad - 1,
                      nbad > 2 ? "s" : "");
        sbuf_addf(&ps->notice, ": read as %s",
                  nbad > 1 ? "spaces" : "a space");
        ps->notes |= SRCH_NOTE_UTF8;
    }
    ps->p = ps->text.s;
    ps->end = ps->p + ps->text.len;
    if (ps->end - ps->p > SRCH_MAX_QUERY) {
        ps->end = ps->p + uni_cut(ps->p, (size_t)(ps->end - ps->p),
                                  SRCH_MAX_QUERY);
        sbuf_addf(&ps->notice, "%sthe query was cut at %d bytes",
                  ps->notice.len ? "; " : "", SRCH_MAX_QUERY);
        ps->notes |= SRCH_NOTE_CUT;
    }
    const char *cut = words_cut(ps);
    if (cut) {
        ps->end = cut;
        sbuf_addf(&ps->notice, "%sonly the first %d words were searched",
                  ps->notice.len ? "; " : "", SRCH_MAX_WORDS);
        ps->notes |= SRCH_NOTE_WORDS;
    }
    ps->accented = text_accented(ps);
    text = parse_or(ps, 0);
    if (ps->rc == TT_OK && req->since &&
        date_key(ps, req->since, strlen(req->since), 0, ps->since) == 0)
        ps->simple = 0;
    if (ps->rc == TT_OK && req->until)
        date_key(ps, req->until, strlen(req->until), 1, ps->until);
    if (ps->rc == TT_OK)
        date_order(ps, ps->since, ps->until);
    if (ps->rc == TT_OK) { /* with the query's own: "since:2023 until:2022" */
        const char *lo = strcmp(ps->since, ps->text_lo) > 0 ? ps->since
                                                            : ps->text_lo;
        const char *hi = !*ps->until ? ps->text_hi
                         : !*ps->text_hi || strcmp(ps->until, ps->text_hi) < 0
                             ? ps->until
                             : ps->text_hi;
        date_order(ps, lo, hi);
    }
    if (ps->rc) {
        *rc = ps->rc;
        if (e)
            *e = ps->err;
        return text;
    }
    if (req->section && *req->section) {
        int none;
        add_filter(ps, bool_filter(ps, PFX_SECTION, req->section,
                                   strlen(req->section), &none),
                   0);
        if (none)
            note_unmatched(ps, F_SECTION, NULL, 0, req->section,
                           strlen(req->section), NULL);
    }
    if (req->related && *req->related) {
        xap_query *r = NULL;
        if ((*rc = related_q(ps, req->related, &r, e)))
            return text;
        /* a query narrows the related articles to those it matches:
         * "related to X, about Y"; both weigh in the ranking */
        text = text ? xap_q_op2(XAP_OP_AND, r, text) : r;
        ps->simple = 0;
        ps->weighted = 1;
    }
    if (req->copies && *req->copies) {
        xap_query *r = NULL;
        if (text || ps->nf || ps->nnf || ps->since[0] || ps->until[0]) {
            *rc = tt_seterr(e, TT_EINVAL, "copies: every copy of an "
                                          "article, with no query or filter "
                                          "(it would hide some)");
            return text;
        }
        if ((*rc = copies_q(ps, req->copies, &r, e)))
            return text;
        xap_q_free(text);
        text = r;
        ps->simple = 0;
        ps->weighted = 0; /* newest first */
    }
    if (text && xap_q_is_empty(text) && !ps->nhl && !ps->nothing) {
        xap_q_free(text);
        text = NULL;
    }
    return text;
}

static int has_accented_word(const parser *ps)
{
    for (size_t i = 0; i < ps->nw; i++)
        if (ps->words[i].exact)
            return 1;
    return ps->nw == 0; /* phrases, fields: try anyway */
}

/* The second pass: the phrase bonuses, too costly to check for every
 * match, are checked for the first pass's best candidates only (a query of
 * the bonuses restricted to their ids), and added to their weights.
 * order[0..n) receives the window's indexes, best first. */
typedef struct ranked {
    size_t i;
    double w;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Order order[0..n) by weight (of each index), best first; equal weights
 * keep Xapian's order. */
static void sort_by_weight(size_t *order, const double *weight, size_t n)
{
    ranked *r = xcalloc(n + 1, sizeof *r);
    for (size_t j = 0; j < n; j++) {
        r[j].i = order[j];
        r[j].w = weight[order[j]];
    }
    qsort(r, n, sizeof *r, cmp_ranked);
    for (size_t j = 0; j < n; j++)
        order[j] = r[j].i;
    free(r);
}


/* A hit's near-duplicate key, and its rank among the hits. */
typedef struct keyed {
    const char *key;
    size_t len, j;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = x->len != y->len ? (x->len < y->len ? -1 : 1)
                             : memcmp(x->key, y->key, x->len);
    return c ? c : x->j < y->j ? -1 : x->j > y->j;
}

/* copy[j] = 1 for each hit order[j] (j < n) whose near-duplicate key
 * (SLOT_DUPKEY) a hit before it has, else 0; returns how many.  Sorted,
 * not compared pairwise: a window may hold SRCH_WINDOW_MAX hits. */
static size_t mark_copies(const xap_mset *m, const size_t *order, size_t n,
                          unsigned char *copy)
{
    keyed *k = xcalloc(n + 1, sizeof *k);
    size_t nk = 0, copies = 0;
    for (size_t j = 0; j < n; j++) {
        copy[j] = 0;
        k[nk].key = xap_mset_value(m, order[j], SLOT_DUPKEY, &k[nk].len);
        k[nk].j = j;
        nk += k[nk].len != 0; /* no key: a story of its own */
    }
    qsort(k, nk, sizeof *k, cmp_keyed);
    for (size_t i = 1; i < nk; i++)
        if (k[i].len == k[i - 1].len && !memcmp(k[i].key, k[i - 1].key,
                                                k[i].len)) {
            copy[k[i].j] = 1;
            copies++;
        }
    free(k);
    return copies;
}

/* How many stories (distinct near-duplicate keys, or none) the hits
 * order[0..n) hold. */
static size_t stories_in(const xap_mset *m, const size_t *order, size_t n)
{
    unsigned char *copy = xcalloc(n + 1, 1);
    size_t copies = mark_copies(m, order, n, copy);
    free(copy);
    return n - copies;
}

/* Keep the first of each near-duplicate (same SLOT_DUPKEY) among the
 * ranked hits order[0..*n); returns how many were dropped, their mset
 * indexes in gone[] (room for *n). */
static size_t drop_duplicates(const xap_mset *m, size_t *order, size_t *n,
                              size_t *gone)
{
    unsigned char *copy = xcalloc(*n + 1, 1);
    size_t kept = 0, dropped = 0;
    mark_copies(m, order, *n, copy);
    for (size_t i = 0; i < *n; i++) {
        if (!copy[i])
            order[kept++] = order[i];
        else
            gone[dropped++] = order[i];
    }
    free(copy);
    *n = kept;
    return dropped;
}

/* A near-duplicate dropped from the hits is taken out of its facet's
 * count (value v of its slot): a facet left empty goes, the others keep
 * their order (most frequent first). */
static void facet_drop(srch_facet *f, size_t *n, const char *v, size_t len,
                       int by_count)
{
    size_t j = 0;
    while (j < *n && !(strlen(f[j].value) == len &&
                       !memcmp(f[j].value, v, len)))
        j++;
    if (j == *n || !f[j].count)
        return;
    if (--f[j].count == 0) {
        free(f[j].value);
        memmove(f + j, f + j + 1, (*n - j - 1) * sizeof *f);
        --*n;
        return;
    }
    for (; by_count && j + 1 < *n && f[j + 1].count > f[j].count; j++) {
        srch_facet t = f[j];
        f[j] = f[j + 1];
        f[j + 1] = t;
    }
}

/* Exactly the candidates idx[0..k) of m: by docid, or (several dbs) by id
 * term. */
static xap_query *candidates_q(parser *ps, const xap_mset *m,
                               const size_t *idx, size_t k)
{
    xap_docid *dids = xcalloc(k + 1, sizeof *dids);
    xap_query *q, **ids;
    for (size_t i = 0; i < k; i++)
        dids[i] = xap_mset_docid(m, idx[i]);
    q = xap_q_docids(ps->s->db, dids, k);
    free(dids);
    if (q)
        return q;
    ids = xcalloc(k + 1, sizeof *ids);
    for (size_t i = 0; i < k; i++) {
        size_t idlen;
        const char *id = xap_mset_value(m, idx[i], SLOT_ID, &idlen);
        an_id_term(id, idlen, &ps->t);
        ids[i] = xap_q_term(ps->t.s, ps->t.len, 1, 0);
    }
    q = xap_q_op(XAP_OP_OR, ids, k, 0);
    free(ids);
    return q;
}

/* The weight bonus b adds, as a query: scale times its weighing terms,
 * each from the posting cache when it has the term.  Xapian weighs a term
 * by its own leaf's wqf (1), so a term two bonuses share weighs in each as
 * if alone, as a cached term does; the bonus query runs with BM25's k3 = 0
 * all the same, so that no wqf could make the two differ. */
static xap_query *bonus_weight_q(parser *ps, const bonus *b)
{
    xap_query *t[3];
    for (size_t j = 0; j < b->n; j++) {
        const char *w = b->weigh[j];
        t[j] = xap_q_term_cached(ps->s->db, w, strlen(w), b->scale, BM25_K1,
                                 CACHED_MIN_SHARE);
        if (!t[j])
            t[j] = xap_q_scale(xap_q_term(w, strlen(w), 1, 0), b->scale);
    }
    return xap_q_op(XAP_OP_AND, t, b->n, 0);
}

/* The index of term t among terms[0..*n), added when missing. */
static size_t term_slot(const char **terms, size_t *n, const char *t)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(terms[i], t))
            return i;
    terms[*n] = t;
    return (*n)++;
}

static int has_pos(const xap_poslist *l, uint32_t p)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->pos[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->pos[lo] == p;
}

/* Whether the position lists l[0..n) of a document's words hold them at
 * consecutive positions, in this order. */
static int holds_phrase(const xap_poslist *const *l, size_t n)
{
    for (size_t f = 0; f < l[0]->n; f++) {
        size_t i = 1;
        while (i < n && has_pos(l[i], l[0]->pos[f] + (uint32_t)i))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* The proximity gain of two words d positions apart: 0 beyond the
 * window. */
static double near_gain(uint32_t d)
{
    return d && d <= PROX_WINDOW ? 1 / (1 + PROX_K * d * d) : 0;
}

/* The fewest positions between an occurrence of a and one of b, either
 * order (0 when either has none, or they share every position). */
static uint32_t nearest(const xap_poslist *a, const xap_poslist *b)
{
    uint32_t best = 0;
    size_t i = 0, k = 0;
    while (i < a->n && k < b->n) { /* both ascending: merge */
        uint32_t p = a->pos[i], q = b->pos[k];
        uint32_t d = p > q ? p - q : q - p;
        if (d && (!best || d < best))
            best = d;
        if (p < q)
            i++;
        else
            k++;
    }
    return best;
}

/* A word's idf, log(N / n): from the first pass's statistics when it
 * weighed the term, else looked up. */
static double idf_of(parser *ps, const xap_mset *m1, const char *term,
                     uint32_t ndocs)
{
    uint32_t tf = 0;
    if (!xap_mset_termfreq(m1, term, strlen(term), &tf))
        xap_db_termfreq(ps->s->db, term, strlen(term), &tf, NULL);
    return tf && ndocs > tf ? log((double)ndocs / tf) : 0;
}

/* What pair p of words found side by side weighs: PROX_WEIGHT times the
 * commoner word's idf. */
static double near_weight(parser *ps, const xap_mset *m1, size_t p,
                          uint32_t ndocs)
{
    return PROX_WEIGHT * fmin(idf_of(ps, m1, ps->near[p].weigh[0], ndocs),
                              idf_of(ps, m1, ps->near[p].weigh[1], ndocs));
}

/* For a remote db, which cannot lend positions cheaply: pair p's bonus
 * as queries the server answers, one per distance d, each the gain that
 * one distance more loses, over the documents whose two words stand
 * within d (NEAR, window d + 1); a document whose nearest occurrences are
 * d apart collects the gain of d.  (The caller restricts them to the
 * candidates.) */
static size_t near_parts(parser *ps, const xap_mset *m1, size_t p,
                         uint32_t ndocs, xap_query **parts)
{
    double w = near_weight(ps, m1, p, ndocs);
    size_t np = 0;
    for (uint32_t d = 1; w > 0 && d <= PROX_WINDOW; d++) {
        xap_query *ab[2];
        for (int i = 0; i < 2; i++)
            ab[i] = term_q(ps, "", ps->near[p].fold[i],
                           strlen(ps->near[p].fold[i]));
        parts[np++] = xap_q_op2(
            XAP_OP_FILTER, xap_q_fixed(w * (near_gain(d) - near_gain(d + 1))),
            xap_q_op(XAP_OP_NEAR, ab, 2, d + 1));
    }
    return np;
}

/* Which of the first n candidates of order hold each bonus's phrase
 * (found[j * nb + b]), and each one's proximity bonus (near[j]), from the
 * position lists of their words: each word's once a candidate, rather
 * than by moving each word's posting list to each candidate. */
static int read_positions(parser *ps, const xap_mset *m1, const size_t *order,
                          size_t n, unsigned char *found, double *near,
                          tt_err *e)
{
    size_t nb = ps->nb, nt = 0, maxt = 3 * nb + 2 * ps->nnear;
    const char **terms = xcalloc(maxt + 1, sizeof *terms);
    size_t *slot = xcalloc(maxt + 1, sizeof *slot);
    const xap_poslist **l = xcalloc(maxt + 1, sizeof *l);
    xap_docid *ids = xcalloc(n + 1, sizeof *ids);
    double *pw = xcalloc(ps->nnear + 1, sizeof *pw);
    xap_poslist *pl = NULL;
    uint32_t ndocs = 0;
    int rc;
    for (size_t b = 0, k = 0; b < nb; b++)
        for (size_t i = 0; i < ps->bonus[b].n; i++)
            slot[k++] = term_slot(terms, &nt, ps->bonus[b].fold[i]);
    for (size_t p = 0, k = 3 * nb; p < ps->nnear; p++)
        for (size_t i = 0; i < 2; i++)
            slot[k + 2 * p + i] = term_slot(terms, &nt, ps->near[p].fold[i]);
    for (size_t j = 0; j < n; j++)
        ids[j] = xap_mset_docid(m1, order[j]);
    rc = xap_db_positions(ps->s->db, ids, n, terms, nt, &pl, e);
    if (rc == TT_OK && ps->nnear)
        rc = xap_db_doccount(ps->s->db, &ndocs, e);
    for (size_t p = 0; rc == TT_OK && p < ps->nnear; p++)
        pw[p] = near_weight(ps, m1, p, ndocs);
    for (size_t j = 0; rc == TT_OK && j < n; j++) {
        for (size_t b = 0, k = 0; b < nb; k += ps->bonus[b].n, b++) {
            for (size_t i = 0; i < ps->bonus[b].n; i++)
                l[i] = &pl[slot[k + i] * n + j];
            found[j * nb + b] =
                (unsigned char)holds_phrase(l, ps->bonus[b].n);
        }
        near[j] = 0;
        for (size_t p = 0, k = 3 * nb; p < ps->nnear; p++) {
            double g = near_gain(nearest(&pl[slot[k + 2 * p] * n + j],
                                         &pl[slot[k + 2 * p + 1] * n + j]));
            near[j] += pw[p] * g;
        }
    }
    xap_poslists_free(pl, nt * n);
    free(pw);
    free(terms);
    free(slot);
    free(l);
    free(ids);
    return rc;
}

/* The data of document did, into *out (to free): as kept by an earlier
 * read of this query (keep: keep this one too), else from the db. */
static char *dup_data(const char *data, size_t len)
{
    char *d = xmalloc(len + 1);
    memcpy(d, data, len);
    d[len] = 0;
    return d;
}

static int doc_data(parser *ps, xap_docid did, int keep, char **out,
                    size_t *len, tt_err *e)
{
    int rc;
    for (size_t i = 0; i < ps->nkept; i++)
        if (ps->kept[i].did == did) {
            *out = dup_data(ps->kept[i].data, ps->kept[i].len);
            *len = ps->kept[i].len;
            return TT_OK;
        }
    if ((rc = xap_db_doc_data(ps->s->db, did, out, len, e)) || !keep)
        return rc;
    xgrow(&ps->kept, &ps->keptcap, ps->nkept + 1, sizeof *ps->kept);
    ps->kept[ps->nkept].did = did;
    ps->kept[ps->nkept].data = dup_data(*out, *len);
    ps->kept[ps->nkept++].len = *len;
    return TT_OK;
}

/* Where each bonus's phrase stands in text (its folded words in a row,
 * punctuation passed over as positions do), seen[b]; written as its
 * reading there, as[b].  The last three words are kept (a bonus has three
 * at most), none longer than a syllable can be. */
static void readings_in(parser *ps, const char *text, size_t len,
                        unsigned char *seen, unsigned char *as)
{
    char fold[3][READING_SYL], norm[3][READING_SYL];
    size_t k = 0; /* words read; word i is kept at i % 3 */
    vn_token tk;
    vn_tok_start(ps->s->tok, text, len);
    while (vn_tok_next(ps->s->tok, &tk)) {
        if (!an_indexable(&tk))
            continue;
        size_t at = k++ % 3;
        int fits = tk.fold_len < READING_SYL && tk.norm_len < READING_SYL;
        memcpy(fold[at], tk.fold, fits ? tk.fold_len : 0);
        fold[at][fits ? tk.fold_len : 0] = '\0';
        memcpy(norm[at], tk.norm, fits ? tk.norm_len : 0);
        norm[at][fits ? tk.norm_len : 0] = '\0';
        for (size_t b = 0; b < ps->nb; b++) {
            const bonus *bo = &ps->bonus[b];
            size_t i = 0, r = 0;
            if (k < bo->n || !bo->check)
                continue;
            for (; i < bo->n; i++) {
                size_t w = (k - bo->n + i) % 3;
                if (!*fold[w] || strcmp(fold[w], bo->fold[i]))
                    break;
                r += bo->any[i] || !strcmp(norm[w], bo->reading[i]);
            }
            seen[b] |= i == bo->n;
            as[b] |= i == bo->n && r == bo->n;
        }
    }
}

/* The positions say where a bonus's folded words stand together, not how
 * they are written there: "my tho" stands in Mỹ Tho and in Mỹ - Thổ.  A
 * candidate whose stored text (title, lead, the body's first bytes)
 * shows the phrase keeps the bonus of a reading (found[j * nb + b]) only
 * when it writes the phrase so there, its own forms elsewhere in the
 * article notwithstanding; one that shows it nowhere keeps what the
 * positions and its terms say.  Only the bonuses whose terms cannot tell
 * (check: a plain syllable, whose term holds every form, or words with
 * several readings) are checked: the others' terms, all exact forms of
 * their only reading, mostly stand where the phrase does.  A candidate
 * whose data cannot be read keeps them too (the page's reading reports
 * the error). */
static void confirm_readings(parser *ps, const xap_mset *m1,
                             const size_t *order, size_t n,
                             unsigned char *found)
{
    size_t nb = ps->nb;
    unsigned char *seen = xcalloc(2 * nb + 1, 1), *as = seen + nb;
    for (size_t j = 0; j < n; j++) {
        char *data = NULL;
        size_t len = 0, pos = 0, vn, b = 0;
        const char *v;
        int tag;
        while (b < nb && !(found[j * nb + b] && ps->bonus[b].check))
            b++;
        if (b == nb || doc_data(ps, xap_mset_docid(m1, order[j]), 1, &data,
                                &len, NULL))
            continue;
        memset(seen, 0, 2 * nb);
        while (dd_next(data, len, &pos, &tag, &v, &vn))
            if (tag == DD_TITLE || tag == DD_SAPO || tag == DD_BODY)
                readings_in(ps, v, vn, seen, as);
        for (b = 0; b < nb; b++)
            if (seen[b])
                found[j * nb + b] &= as[b];
        free(data);
    }
    free(seen);
}

/* Add the bonuses (times each candidate's boost, when given) to the
 * weights of the first n candidates of order, and sort those again:
 * proximity, and the phrases, which a second query restricted to the
 * candidates that have them weighs (their terms by BM25 as the first pass,
 * b = 0). */
/* Does the title of a document's data hold every title:"phrase" of the
 * query: its words in a row, each in any form, or as typed where it was
 * typed with accents (as in the text)? */
static int title_accept(void *arg, const char *data, size_t len)
{
    parser *ps = arg;
    size_t pos = 0, n, nt = 0, cap = 0;
    const char *v = NULL;
    int tag = 0, ok = 1;
    vn_token tk;
    struct {
        char *fold, *norm;
    } *t = NULL;
    while (dd_next(data, len, &pos, &tag, &v, &n) && tag != DD_TITLE)
        ;
    if (tag != DD_TITLE)
        return 0;
    vn_tok_start(ps->s->tok, v, n);
    while (vn_tok_next(ps->s->tok, &tk))
        if (an_indexable(&tk)) {
            xgrow(&t, &cap, nt + 1, sizeof *t);
            t[nt].fold = tk.fold_len ? xstrndup(tk.fold, tk.fold_len)
                                     : xstrndup(tk.norm, tk.norm_len);
            t[nt++].norm = xstrndup(tk.norm, tk.norm_len);
        }
    for (size_t k = 0; ok && k < ps->ntp; k++) {
        const struct tphrase *p = &ps->tp[k];
        ok = 0;
        for (size_t i = 0; !ok && i + p->n <= nt; i++) {
            size_t j = 0;
            while (j < p->n && !strcmp(p->w[j].fold, t[i + j].fold) &&
                   (!p->w[j].exact || ps->fallback ||
                    !strcmp(p->w[j].norm, t[i + j].norm)))
                j++;
            ok = j == p->n;
        }
    }
    for (size_t i = 0; i < nt; i++) {
        free(t[i].fold);
        free(t[i].norm);
    }
    free(t);
    return ok;
}

static int rerank(parser *ps, const xap_mset *m1, size_t *order,
                  double *weight, size_t n, const double *boost, tt_err *e)
{
    size_t np = 0, nb = ps->nb;
    xap_query **parts =
        xcalloc(nb + ps->nnear * PROX_WINDOW + 1, sizeof *parts);
    xap_query *q2 = NULL;
    size_t *idx = xcalloc(n + 1, sizeof *idx);
    unsigned char *found = NULL;
    double *near = NULL;
    xap_mset *m2 = NULL;
    xap_search_opts o;
    int rc = TT_OK;
    int remote = xap_db_remote(ps->s->db);
    if (!remote && (nb || ps->nnear) && n) {
        found = xcalloc(n * nb + 1, 1);
        near = xcalloc(n, sizeof *near);
        rc = read_positions(ps, m1, order, n, found, near, e);
        if (rc == TT_OK && nb)
            confirm_readings(ps, m1, order, n, found);
        for (size_t j = 0; rc == TT_OK && j < n; j++)
            weight[order[j]] += near[j] * (boost ? boost[order[j]] : 1);
    }
    if (remote && ps->nnear && n) {
        uint32_t ndocs = 0;
        rc = xap_db_doccount(ps->s->db, &ndocs, e);
        for (size_t p = 0; rc == TT_OK && p < ps->nnear; p++)
            np += near_parts(ps, m1, p, ndocs, parts + np);
    }
    for (size_t b = 0; b < nb && rc == TT_OK; b++) {
        size_t k = 0;
        if (remote) {
            /* reading positions would be a round trip per candidate: the
             * server checks the phrase instead, in the same query */
            parts[np++] = xap_q_op2(
                XAP_OP_FILTER, bonus_weight_q(ps, &ps->bonus[b]),
                phrase_of(ps, (const char *const *)ps->bonus[b].fold, NULL,
                          ps->bonus[b].n, (unsigned)ps->bonus[b].n));
            continue;
        }
        for (size_t j = 0; j < n; j++)
            if (found[j * nb + b])
                idx[k++] = order[j];
        if (k)
            parts[np++] = xap_q_op2(XAP_OP_FILTER,
                                    bonus_weight_q(ps, &ps->bonus[b]),
                                    candidates_q(ps, m1, idx, k));
    }
    if (rc == TT_OK && np) {
        q2 = xap_q_op(XAP_OP_OR, parts, np, 0);
        if (remote) /* the candidates, named once for every part */
            q2 = xap_q_op2(XAP_OP_FILTER, q2,
                           candidates_q(ps, m1, order, n));
        xap_search_opts_init(&o);
        o.bm25_b = BM25_B;
        o.bm25_k1 = BM25_K1;
        o.bm25_k3 = 0;
        o.skip_data = 1;
        o.value_slots = no_slots; /* docids and weights are all it needs */
        rc = xap_search(ps->s->db, q2, 0, (uint32_t)n, &o, &m2, e);
    } else {
        for (size_t i = 0; i < np; i++)
            xap_q_free(parts[i]);
    }
    for (size_t k = 0; rc == TT_OK && k < xap_mset_size(m2); k++)
        for (size_t j = 0; j < n; j++)
            if (xap_mset_docid(m1, order[j]) == xap_mset_docid(m2, k)) {
                weight[order[j]] +=
                    xap_mset_weight(m2, k) * (boost ? boost[order[j]] : 1);
                break;
            }
    sort_by_weight(order, weight, n);
    xap_mset_free(m2);
    xap_q_free(q2);
    free(parts);
    free(idx);
    free(found);
    free(near);
    return rc;
}

/* The recency boost of each hit of m: 1 + SRCH_RECENCY_GAIN, halved every
 * days days of its publication before newest (1 without a date); NULL
 * when off. */
static double *recency_boosts(const xap_mset *m, int64_t newest, double days)
{
    size_t n = xap_mset_size(m);
    double *boost;
    if (days <= 0 || !newest)
        return NULL;
    boost = xcalloc(n + 1, sizeof *boost);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *v = xap_mset_value(m, i, SLOT_PUBLISHED_UTC, &len);
        int64_t t;
        boost[i] = 1;
        if (len && date_parse_key(v, len, &t) == 0) {
            double age = t < newest ? (double)(newest - t) / 86400.0 : 0;
            boost[i] += SRCH_RECENCY_GAIN * pow(0.5, age / days);
        }
    }
    return boost;
}

static int cmp_double_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The recency boosts of the matches that can make the window, in *boost
 * (NULL when off).  A match beyond the first pass's best can still make
 * it: its weight times at most 1 + SRCH_RECENCY_GAIN may pass t, the
 * window's last boosted weight.  Then *m is replaced by every match
 * weighing at least t / (1 + SRCH_RECENCY_GAIN) (the best
 * SRCH_RECENCY_MAX of them), which holds them all.  *so as for the first
 * pass, facets aside. */
static int recency_window(srch *s, const xap_query *q,
                          const xap_search_opts *so, size_t window,
                          int64_t newest, double days, xap_mset **m,
                          double **boost, tt_err *e)
{
    size_t size = xap_mset_size(*m);
    double *w, t, last;
    xap_search_opts o = *so;
    xap_mset *wide = NULL;
    int rc;
    if (!(*boost = recency_boosts(*m, newest, days)) ||
        size < SRCH_RECENCY_WINDOW || size < window)
        return TT_OK; /* every match is in (or no boost) */
    w = xcalloc(size, sizeof *w);
    for (size_t i = 0; i < size; i++)
        w[i] = xap_mset_weight(*m, i) * (*boost)[i];
    qsort(w, size, sizeof *w, cmp_double_desc);
    t = w[window - 1];
    last = xap_mset_weight(*m, size - 1);
    free(w);
    if (last * (1 + SRCH_RECENCY_GAIN) <= t)
        return TT_OK;
    o.weight_cutoff = t / (1 + SRCH_RECENCY_GAIN);
    o.facet_slots = NULL;
    o.nfacets = 0;
    o.check_at_least = 0;
    if ((rc = xap_search(s->db, q, 0, SRCH_RECENCY_MAX, &o, &wide, e)))
        return rc;
    xap_mset_free(*m);
    *m = wide;
    free(*boost);
    *boost = recency_boosts(*m, newest, days);
    return TT_OK;
}

/* The rest of a deep page's ranking, below its first nhead results (the
 * hits order[0..nhead) of m): q's matches by relevance alone, one per
 * near-duplicate key, without those already shown (by docid or key), the
 * first want of them: their indexes in *tail, *tidx[0..*ntail).  so as
 * for the first pass. */
static int deep_tail(srch *s, const xap_query *q, const xap_search_opts *so,
                     const xap_mset *m, const size_t *order, size_t nhead,
                     uint32_t want, xap_mset **tail, size_t **tidx,
                     size_t *ntail, tt_err *e)
{
    static const unsigned key_slot[1] = {SLOT_DUPKEY};
    xap_search_opts o = *so;
    size_t size;
    int rc;
    *ntail = 0;
    o.collapse_slot = SLOT_DUPKEY;
    o.skip_data = 1;
    o.value_slots = key_slot;
    o.nvalue_slots = 1;
    o.facet_slots = NULL;
    o.nfacets = 0;
    o.check_at_least = 0;
    /* the head's stories are among the first nhead + want at most */
    if ((rc = xap_search(s->db, q, 0, (uint32_t)nhead + want, &o, tail, e)))
        return rc;
    size = xap_mset_size(*tail);
    *tidx = xcalloc(size + 1, sizeof **tidx);
    for (size_t i = 0; i < size && *ntail < want; i++) {
        size_t len, len2;
        xap_docid did = xap_mset_docid(*tail, i);
        const char *key = xap_mset_value(*tail, i, SLOT_DUPKEY, &len);
        int shown = 0;
        for (size_t j = 0; j < nhead && !shown; j++) {
            const char *k2 = xap_mset_value(m, order[j], SLOT_DUPKEY, &len2);
            shown = xap_mset_docid(m, order[j]) == did ||
                    (len && len2 == len && !memcmp(key, k2, len));
        }
        if (!shown)
            (*tidx)[(*ntail)++] = i;
    }
    return TT_OK;
}

/* The total (Xapian's estimate est, its bounds lo..hi, copies taken out)
 * as the page bears it out: a page that is not full is the last, so the
 * total is its offset and its hits, exactly; a full page shows that there
 * are at least as many; an empty page past the first, that there are
 * fewer than its offset.  A deep page's tail search (tail), which read
 * further than the window, estimates better ("bão lũ": about 400 by the
 * window of 117, while 1,225 stories were listed). */
static void page_total(const srch_req *req, size_t limit, size_t nhits,
                       const xap_mset *tail, uint32_t *est, uint32_t *lo,
                       uint32_t *hi)
{
    uint64_t seen = (uint64_t)req->offset + nhits;
    if (tail) {
        uint32_t te, tl, th;
        xap_mset_total(tail, &te, &tl, &th);
        *est = te > *est ? te : *est;
        *lo = tl > *lo ? tl : *lo;
    }
    if (seen > UINT32_MAX)
        return;
    if (nhits && nhits < limit) {
        *est = *lo = *hi = (uint32_t)seen;
    } else if (nhits) {
        *est = *est < seen ? (uint32_t)seen : *est;
        *lo = *lo < seen ? (uint32_t)seen : *lo;
        if (*hi < *lo)
            *hi = *lo + 1; /* (not exact) */
    } else if (req->offset && *est > req->offset) {
        *est = req->offset;
        *lo = *lo > *est ? *est : *lo;
    }
}

/* *any = whether q matches an article (so as for the first pass). */
static int matches_any(srch *s, const xap_query *q,
                       const xap_search_opts *so, int *any, tt_err *e)
{
    xap_search_opts o = *so;
    xap_mset *m = NULL;
    int rc;
    o.facet_slots = NULL;
    o.nfacets = 0;
    o.check_at_least = 0;
    o.sort_slot = -1;
    o.skip_data = 1;
    o.value_slots = no_slots;
    o.nvalue_slots = 0;
    rc = xap_search(s->db, q, 0, 1, &o, &m, e);
    *any = rc == TT_OK && xap_mset_size(m) > 0;
    xap_mset_free(m);
    return rc;
}

/* *apart = whether some article has every word of the query that ps
 * relaxes, as relaxed_q weighs them, together or not (within the
 * filters): when the query's phrases found nothing, their words apart. */
static int words_apart(parser *ps, srch *s, const xap_search_opts *so,
                       int *apart, tt_err *e)
{
    xap_search_opts o = *so;
    xap_query **subs = xcalloc(ps->nhl + 1, sizeof *subs);
    for (size_t i = 0; i < ps->nhl; i++)
        subs[i] = relaxed_word(ps, i);
    xap_query *q = filtered(ps, xap_q_op(XAP_OP_AND, subs, ps->nhl, 0));
    o.accept = NULL; /* no title phrase */
    int rc = matches_any(s, q, &o, apart, e);
    xap_q_free(q);
    free(subs);
    return rc;
}

/* The first SUGGEST_HITS results of the ranking into ref (how many
 * returned), whatever the page: "did you mean" reads their titles and
 * snippets, so that it says the same on every page.  Those on the page
 * are res's; the others are read into own (the caller frees it), from
 * the window (order: its ranking, nhead long) or the mset when it begins
 * at the first result, else from a search of the first ones.  A hit that
 * cannot be read is left out. */
static size_t top_hits(parser *ps, srch *s, const srch_req *req,
                       const xap_query *q, const xap_search_opts *so,
                       const xap_mset *m, const size_t *order, size_t nhead,
                       size_t first, const srch_result *res,
                       const srch_hit **ref, srch_result *own)
{
    xap_mset *top = NULL;
    const xap_mset *mm = m;
    size_t n = 0, size, rank0 = req->offset; /* the page's first rank */
    own->hits = xcalloc(SUGGEST_HITS, sizeof *own->hits);
    if (order) {
        size = nhead;
    } else {
        /* the mset holds the page (first 0) or every result (first =
         * offset); re-read when it does not start at the first result
         * or stops before SUGGEST_HITS of them */
        size = xap_mset_size(m);
        if (first != req->offset ||
            (size < SUGGEST_HITS && res->total > size)) {
            xap_search_opts o = *so;
            o.facet_slots = NULL;
            o.nfacets = 0;
            o.check_at_least = 0;
            if (xap_search(s->db, q, 0, SUGGEST_HITS, &o, &top, NULL))
                return 0;
            mm = top;
            size = xap_mset_size(top);
            rank0 = SIZE_MAX; /* no rank of it is on the page */
        }
    }
    for (size_t r = 0; r < size && n < SUGGEST_HITS; r++) {
        const char *data;
        char *buf = NULL;
        size_t len, k = order ? order[r] : r;
        if (rank0 != SIZE_MAX && r >= rank0 && r - rank0 < res->nhits) {
            ref[n++] = &res->hits[r - rank0];
            continue;
        }
        if (order || so->skip_data) {
            if (xap_db_doc_data(s->db, xap_mset_docid(mm, k), &buf, &len,
                                NULL))
                continue;
            data = buf;
        } else {
            data = xap_mset_data(mm, k, &len);
        }
        srch_hit *h = &own->hits[own->nhits++];
        fill_hit(ps, data, len, h);
        free(buf);
        ref[n++] = h;
    }
    xap_mset_free(top);
    return n;
}

/* Whether the search's time is spent (deadline 0: none). */
static int spent(double deadline)
{
    return deadline > 0 && tt_now() >= deadline;
}

/* The same, before a step that the search would take: a step so left out
 * makes the answer one cut short (*cut). */
static int late(double deadline, int *cut)
{
    if (!spent(deadline))
        return 0;
    *cut = 1;
    return 1;
}

/* The recency boost counts ages before the newest article, *newest (the
 * db's latest date): one dated in the future (a page's wrong date, 2099)
 * would make every article old and the boost nothing.  A date more than a
 * day after now is taken as no article's: *newest becomes the latest not
 * after it (0 when none). */
static int newest_not_future(srch *s, int64_t *newest, tt_err *e)
{
    static const unsigned slot[1] = {SLOT_PUBLISHED_UTC};
    int64_t limit = (int64_t)time(NULL) + 86400;
    char key[15];
    xap_search_opts o;
    xap_mset *m = NULL;
    int rc;
    if (*newest <= limit)
        return TT_OK;
    date_format_key(limit, key);
    xap_search_opts_init(&o);
    o.sort_slot = SLOT_PUBLISHED_UTC;
    o.sort_ascending = 0;
    o.skip_data = 1;
    o.value_slots = slot;
    o.nvalue_slots = 1;
    xap_query *q = xap_q_value_range(SLOT_PUBLISHED_UTC, "", 0, key, 14);
    rc = xap_search(s->db, q, 0, 1, &o, &m, e);
    xap_q_free(q);
    *newest = 0;
    if (rc == TT_OK && xap_mset_size(m)) {
        size_t len;
        const char *v = xap_mset_value(m, 0, SLOT_PUBLISHED_UTC, &len);
        if (!v || date_parse_key(v, len, newest))
            *newest = 0;
    }
    xap_mset_free(m);
    return rc;
}

/* One try of srch_run: *stale set when the db changed under the page
 * (a --full swap between the search and the reading of the hits).  With
 * a deadline (> 0, tt_now's clock) each match stops at it, and the steps
 * after one that it cut short are skipped: the page is what was found,
 * res->cut_ms says so. */
static int run_once(srch *s, const srch_req *req, srch_result *res,
                    double deadline, int *stale, int nested, tt_err *e)
{
    parser ps = {0};
    xap_query *q = NULL, *text = NULL;
    xap_mset *m = NULL, *tail = NULL;
    xap_search_opts so;
    size_t *order = NULL, *tidx = NULL, ntail = 0;
    double *weight = NULL, *boost = NULL;
    uint32_t limit = req->limit ? req->limit : 10, est, lo, hi;
    uint32_t window = 0, fetch = 0, need = 0;
    int64_t newest = 0;
    static const unsigned facet_slot[2] = {SLOT_SECTION, SLOT_YEAR};
    unsigned fslots[2], window_slots[5];
    unsigned generation;
    int fidx[2] = {-1, -1}; /* facet k's index among fslots, or -1 */
    int by_date, grouped = 0, cut = 0;
    size_t nfs = 0;
    int rc = TT_OK;
    double start = tt_now();

    size_t rerank_n = SRCH_RERANK;
    memset(res, 0, sizeof *res);
    if (limit > SRCH_MAX_LIMIT)
        limit = SRCH_MAX_LIMIT;
    if ((rc = refresh(s, e)))
        goto fail;
    text = build(&ps, s, req, 0, &rc, e);
    if (rc)
        goto fail;
    if (!text && !ps.nf && !ps.nnf && !ps.since[0] && !ps.until[0]) {
        rc = tt_seterr(e, TT_EINVAL, "empty query: no words to search "
                                     "for%s",
                       ps.ops ? " (AND and NOT are operators)" : "");
        goto fail;
    }
    /* a common name's articles are many, its own may rank below those
     * whose titles hold its words apart: more candidates to re-rank */
    if (ps.names)
        rerank_n = NAME_RERANK;
    xap_search_opts_init(&so);
    /* one hit a story, but an article's copies are what was asked for */
    so.collapse_slot = req->copies ? -1 : SLOT_DUPKEY;
    /* news articles vary in length less than their topical density: no
     * length normalisation ranks known items as well as b = 0.3 did
     * (dev MRR@10 0.904/0.856 against 0.906/0.849), and spares the
     * matcher the document lengths (5% of the query time) */
    so.bm25_b = BM25_B;
    so.bm25_k1 = BM25_K1;
    so.deadline = deadline;
    /* the best candidates are re-ranked: take enough of them, and a few
     * more for the near-duplicates dropped from them */
    /* words to rank by, or only filters: newest first */
    by_date = req->sort_date || !text || !ps.weighted;
    /* a page reaching beyond the first SRCH_RERANK_MAX results (deep):
     * those first results as the window ranks them (boosted, re-ranked),
     * then the others by relevance alone (deep_tail), so that every page
     * is a slice of one ranking, with one total.  need: the stories the
     * window must hold; an eighth and SRCH_DUP_SLACK candidates more for
     * their copies to start with (up to one candidate in ten was a copy
     * for common words in a 186,000-article index), and the window grows
     * when they are more */
    if (!by_date) {
        need = req->offset + limit > SRCH_RERANK_MAX ? SRCH_RERANK_MAX
                                                     : req->offset + limit;
        window = need + need / 8 + SRCH_DUP_SLACK > rerank_n
                     ? need + need / 8 + SRCH_DUP_SLACK
                     : rerank_n;
    }
    fetch = window;
    /* the recency boost weighs the best SRCH_RECENCY_WINDOW matches again
     * (more when more could rise: recency_window), by their age before
     * the newest article of the db */
    if (window && req->recency_days > 0) {
        char *v = NULL;
        size_t vlen = 0;
        if ((rc = xap_db_value_bound(s->db, SLOT_PUBLISHED_UTC, 1, &v,
                                     &vlen, e)))
            goto fail;
        if (vlen && date_parse_key(v, vlen, &newest) == 0 &&
            fetch < SRCH_RECENCY_WINDOW)
            fetch = SRCH_RECENCY_WINDOW;
        free(v);
        if ((rc = newest_not_future(s, &newest, e)))
            goto fail;
    }
    if (by_date) {
        so.sort_slot = SLOT_PUBLISHED_UTC;
        so.sort_ascending = 0;
    }
    /* a small total is counted exactly, not estimated */
    so.check_at_least = SRCH_EXACT_CHECK;
    if (req->facets) {
        /* a slot no article fills (a corpus without sections or dates)
         * is not counted: its facet is empty, exactly */
        for (int k = 0; k < 2; k++) {
            uint32_t freq;
            if (xap_db_value_freq(s->db, facet_slot[k], &freq, NULL) ||
                freq) {
                fidx[k] = (int)nfs;
                fslots[nfs++] = facet_slot[k];
            }
        }
        if (nfs) {
            so.facet_slots = fslots;
            so.nfacets = nfs;
            so.facet_limit = 50;
            so.check_at_least = SRCH_FACET_CHECK;
            /* a story stored twice counts once in each facet */
            so.facet_group_slot = SLOT_DUPKEY;
        }
    }
    /* a window's hits are re-ranked first: read their data after, for
     * the page only */
    if (window) {
        so.skip_data = 1;
        /* the near-duplicate keys; the dates for the recency boost; the
         * ids to name the candidates when docids cannot */
        window_slots[so.nvalue_slots++] = SLOT_DUPKEY;
        if (newest)
            window_slots[so.nvalue_slots++] = SLOT_PUBLISHED_UTC;
        if (!xap_db_single(s->db))
            window_slots[so.nvalue_slots++] = SLOT_ID;
        /* the facets of the near-duplicates dropped */
        for (size_t k = 0; k < nfs; k++)
            window_slots[so.nvalue_slots++] = fslots[k];
        so.value_slots = window_slots;
        /* near-duplicates are dropped from the window afterwards: Xapian's
         * collapse reads the key of every candidate it considers */
        so.collapse_slot = -1;
    }
    so.accept_arg = &ps;
    int relax_typed = 0; /* pass 2 relaxes the words as typed, then 3
                            in any form */
    for (int pass = 0;; pass++) {
        /* title phrases, checked in the titles (not through a remote db,
         * which takes no such check: there the text's phrase stands) */
        so.accept = ps.ntp && !xap_db_remote(s->db) ? title_accept : NULL;
        q = filtered(&ps, text ? xap_q_copy(text) : NULL);
        if ((rc = xap_search(s->db, q, window ? 0 : req->offset,
                             window ? fetch : limit, &so, &m, e)))
            goto fail;
        xap_mset_total(m, &est, &lo, &hi);
        if (est || !text || req->related || req->copies || ps.negated ||
            ps.nnf || pass == 3 || (pass == 2 && !relax_typed) ||
            late(deadline, &cut))
            break;
        /* nothing matched every word as typed: first let accented words
         * match their other forms, then take the best partial matches;
         * but when the words as typed match articles that the filters
         * leave out, the filters are the answer (the notes of both would
         * say that no article has the words) */
        if (pass == 0 && (ps.nf || ps.since[0] || ps.until[0])) {
            int any = 0;
            if ((rc = matches_any(s, text, &so, &any, e)))
                goto fail;
            if (any)
                break;
        }
        if (pass == 0 && !has_accented_word(&ps))
            pass = 1;
        xap_mset_free(m);
        m = NULL;
        xap_q_free(q);
        q = NULL;
        if (pass == 0) {
            parser_free(&ps);
            xap_q_free(text);
            text = build(&ps, s, req, 1, &rc, e);
            if (rc)
                goto fail;
        } else {
            if (ps.nhl < 2 || ps.inner_filters || req->no_relax)
                break;
            /* relaxed, the words keep their accents as typed first
             * (bão xyzzy: the articles of bão, not of báo and bao), and
             * take any form only when that finds nothing */
            int typed = pass == 1 && ps.fallback;
            if (typed || pass == 2) { /* (2: the typed found nothing) */
                parser_free(&ps);
                xap_q_free(text);
                text = build(&ps, s, req, !typed, &rc, e);
                if (rc)
                    goto fail;
            }
            relax_typed = typed;
            int apart = 0;
            if (ps.phrases && (rc = words_apart(&ps, s, &so, &apart, e)))
                goto fail;
            res->phrase_apart = apart ? ps.phrases : 0;
            xap_q_free(text);
            text = relaxed_q(&ps);
            title_phrases_drop(&ps, 0); /* any of the words */
            res->relaxed = 1;
            ps.hl_all = ps.fallback; /* any form, or as typed */
        }
    }
    if (!m) { /* relaxation had nothing to try */
        so.skip_data = 0;
        so.value_slots = NULL;
        so.collapse_slot = req->copies ? -1 : SLOT_DUPKEY;
        q = filtered(&ps, text ? xap_q_copy(text) : NULL);
        if ((rc = xap_search(s->db, q, req->offset, limit, &so, &m, e)))
            goto fail;
        xap_mset_total(m, &est, &lo, &hi);
        window = 0;
    }
    /* a result set small enough to count exactly is read whole, so that
     * each story is counted once, the same on every page, and the pages
     * add up to the total */
    if (window && lo == hi && hi > xap_mset_size(m) &&
        hi <= SRCH_EXACT_CHECK && !late(deadline, &cut)) {
        xap_mset_free(m);
        m = NULL;
        fetch = (uint32_t)hi;
        if ((rc = xap_search(s->db, q, 0, fetch, &so, &m, e)))
            goto fail;
        xap_mset_total(m, &est, &lo, &hi);
    }
    /* newest first, Xapian collapses the near-duplicates, and counts them
     * exactly only when its page held every match (of one local db, the
     * shim counts a set smaller than its sample: xap_mset_total): a
     * small set it left uncertain is read whole, counted, and paged
     * here */
    size_t first = window ? req->offset : 0;
    if (!window && so.collapse_slot >= 0 && lo != hi &&
        hi <= SRCH_EXACT_CHECK && !xap_mset_cut(m) &&
        !late(deadline, &cut)) {
        xap_mset_free(m);
        m = NULL;
        if ((rc = xap_search(s->db, q, 0, hi, &so, &m, e)))
            goto fail;
        est = lo = hi = (uint32_t)xap_mset_size(m);
        first = req->offset;
    }
    /* the hits' docids hold until the db is reopened onto a newer
     * revision: then the page is stale */
    generation = xap_db_generation(s->db);
    if (req->facets) {
        facets_of(m, fidx[0], &res->sections, &res->nsections);
        facets_of(m, fidx[1], &res->years, &res->nyears);
        qsort(res->years, res->nyears, sizeof *res->years, cmp_year_desc);
        res->facets_exact = !nfs || hi <= SRCH_FACET_CHECK;
        grouped = xap_mset_facets_grouped(m);
    }
    /* the window: its first candidates in ranking order (boosted), as
     * many as it was asked for, or every match (whole).  Copies of a
     * story (one near-duplicate key) count once: while its candidates
     * hold fewer stories than the page needs, the window grows (up to
     * SRCH_WINDOW_MAX), so that a page is full and pages of any size are
     * slices of one ranking, however many copies a story has */
    size_t size, ncand;
    int whole;
    for (;;) {
        if (window && newest && !late(deadline, &cut) &&
            (rc = recency_window(s, q, &so, window, newest,
                                 req->recency_days, &m, &boost, e)))
            goto fail;
        size = xap_mset_size(m);
        if (size > fetch) /* widened */
            fetch = (uint32_t)size;
        order = xcalloc(size + 1, sizeof *order);
        weight = xcalloc(size + 1, sizeof *weight);
        for (size_t i = 0; i < size; i++) {
            order[i] = i;
            weight[i] = xap_mset_weight(m, i) * (boost ? boost[i] : 1);
        }
        if (boost)
            sort_by_weight(order, weight, size);
        whole = lo == hi && size >= hi;
        /* a widened set is certain of its first window only */
        ncand = whole || size < window ? size : window;
        if (!window || whole || window >= SRCH_WINDOW_MAX)
            break;
        size_t stories = stories_in(m, order, ncand);
        if (stories >= need || late(deadline, &cut))
            break;
        /* as many more candidates as the copies seen would take */
        uint64_t more = (uint64_t)window * need / (stories ? stories : 1);
        window = more + SRCH_DUP_SLACK < SRCH_WINDOW_MAX
                     ? (uint32_t)more + SRCH_DUP_SLACK
                     : SRCH_WINDOW_MAX;
        fetch = newest && window < SRCH_RECENCY_WINDOW ? SRCH_RECENCY_WINDOW
                                                        : window;
        free(order);
        free(weight);
        free(boost);
        order = NULL;
        weight = NULL;
        boost = NULL;
        xap_mset_free(m);
        m = NULL;
        xap_search_opts o = so; /* the facets are counted already */
        o.facet_slots = NULL;
        o.nfacets = 0;
        if ((rc = xap_search(s->db, q, 0, fetch, &o, &m, e)))
            goto fail;
        xap_mset_total(m, &est, &lo, &hi);
    }
    /* the page: [offset, offset+limit) of the window, whose best
     * SRCH_RERANK are re-ranked with the bonuses, the same candidates
     * whatever the page, so that pages are slices of one ranking; without
     * a window the mset is the page.  With the recency boost, the window
     * is the best of the boosted matches. */
    if (window && (ps.nb || ps.nnear) && !late(deadline, &cut) &&
        (rc = rerank(&ps, m, order, weight,
                     ncand < rerank_n ? ncand : rerank_n, boost, e)))
        goto fail;
    /* the hits shown from the window: one per story, at most the first
     * SRCH_RERANK_MAX when the window did not hold every match: the
     * others come from deep_tail */
    size_t nhead = size;
    if (window) {
        /* the total and the facets count each story once too, as far as
         * seen: exactly when every match was */
        size_t *gone = xcalloc(ncand + 1, sizeof *gone);
        size_t dups = drop_duplicates(m, order, &ncand, gone);
        est -= est >= dups ? dups : est;
        lo -= lo >= dups ? dups : lo;
        hi -= hi >= dups ? dups : hi;
        if (!whole)
            hi = lo + 1; /* more may hide beyond the window */
        /* facets counted by story need nothing more; through a remote
         * db, where each match counted, a copy dropped from the hits is
         * taken out of its facet */
        int drop = req->facets && !grouped;
        for (size_t i = 0; i < dups && drop; i++) {
            size_t len;
            const char *v;
            if (fidx[0] >= 0 &&
                (v = xap_mset_value(m, gone[i], SLOT_SECTION, &len)))
                facet_drop(res->sections, &res->nsections, v, len, 1);
            if (fidx[1] >= 0 &&
                (v = xap_mset_value(m, gone[i], SLOT_YEAR, &len)))
                facet_drop(res->years, &res->nyears, v, len, 0);
        }
        if (!whole && drop)
            res->facets_exact = 0;
        free(gone);
        nhead = ncand;
        if (!whole) {
            if (nhead > SRCH_RERANK_MAX)
                nhead = SRCH_RERANK_MAX;
            if (req->offset + limit > nhead && !late(deadline, &cut) &&
                (rc = deep_tail(s, q, &so, m, order, nhead,
                                (uint32_t)(req->offset + limit - nhead),
                                &tail, &tidx, &ntail, e)))
                goto fail;
        }
    }
    if (req->explain) {
        sbuf x = {0};
        char *d = xap_q_describe(q);
        sbuf_adds(&x, d);
        free(d);
        for (size_t i = 0; i < ps.nb; i++) {
            const bonus *b = &ps.bonus[i];
            sbuf_addf(&x, "\n  re-ranked with: %g * (", b->scale);
            for (size_t j = 0; j < b->n; j++)
                sbuf_addf(&x, "%s%s", j ? " AND " : "", b->weigh[j]);
            sbuf_adds(&x, ") where the phrase \"");
            for (size_t j = 0; j < b->n; j++)
                sbuf_addf(&x, "%s%s", j ? " " : "", b->fold[j]);
            sbuf_adds(&x, "\" stands");
        }
        for (size_t i = 0; i < ps.nnear; i++)
            sbuf_addf(&x,
                      "\n  re-ranked with: %g * idf(the commoner) / "
                      "(1 + %g * d^2) where \"%s\" and \"%s\" stand "
                      "d <= %u words apart",
                      PROX_WEIGHT, PROX_K, ps.near[i].fold[0],
                      ps.near[i].fold[1],
                      PROX_WINDOW);
        if (boost) {
            char day[32];
            date_format_iso(newest, 0, day);
            sbuf_addf(&x, "\n  recency: the best %u weighed again, times 1 + "
                          "0.5^(days before %.10s / %g)",
                      (unsigned)fetch, day, req->recency_days);
        }
        res->explain = sbuf_detach(&x, NULL);
    }
    if (!est && !size)
        res->relaxed = res->phrase_apart = 0; /* loosened, still nothing */
    /* the window's page is [offset, offset+limit); so is a set read
     * whole */
    res->nhits = nhead + ntail > first ? nhead + ntail - first : 0;
    if (res->nhits > limit)
        res->nhits = limit;
    page_total(req, limit, res->nhits, tail, &est, &lo, &hi);
    res->total = est;
    res->total_exact = lo == hi;
    res->total_lower = lo < est ? lo : est;
    res->hits = xcalloc(res->nhits ? res->nhits : 1, sizeof *res->hits);
    for (size_t i = 0; i < res->nhits; i++) {
        size_t len, at = first + i;
        /* a deep page's tail: from its own search, unboosted */
        const xap_mset *hm = at < nhead ? m : tail;
        size_t k = at < nhead ? order[at] : tidx[at - nhead];
        char *own = NULL;
        const char *data;
        if (so.skip_data) {
            rc = doc_data(&ps, xap_mset_docid(hm, k), 0, &own, &len, e);
            if (rc == TT_ENOTFOUND &&
                xap_db_generation(s->db) != generation) {
                rc = TT_OK; /* deleted since the search: */
                *stale = 1; /* the page is read again */
                res->nhits = i;
                break;
            }
            if (rc) {
                res->nhits = i;
                goto fail;
            }
            data = own;
        } else {
            data = xap_mset_data(hm, k, &len);
        }
        res->hits[i].score = at < nhead ? weight[k] : xap_mset_weight(tail, k);
        fill_hit(&ps, data, len, &res->hits[i]);
        free(own);
    }
    if (xap_db_generation(s->db) != generation)
        *stale = 1;
    /* what was skipped or cut short: the page is what was found */
    if (xap_mset_cut(m) || (tail && xap_mset_cut(tail)))
        cut = 1;
    if (cut) {
        res->cut_ms = req->budget_ms;
        res->total_exact = 0;
        sbuf_addf(&ps.notice, "%sthe search was cut short after %u ms: "
                              "the results are those found in time",
                  ps.notice.len ? "; " : "", req->budget_ms);
        ps.notes |= SRCH_NOTE_SHORT;
    }
    /* said when other forms were found: filters that leave nothing say
     * nothing of the accents */
    if (ps.fallback && !res->relaxed && res->total) {
        sbuf_addf(&ps.notice, "%sno article has the words with these "
                              "accents; other accents are shown",
                  ps.notice.len ? "; " : "");
        ps.notes |= SRCH_NOTE_ACCENTS;
    }
    if (req->suggest && !cut) {
        /* read from the first results, not from the page */
        srch_result own = {0};
        const srch_hit *ref[SUGGEST_HITS];
        size_t nref = ps.simple && ps.nw && res->nhits
                          ? top_hits(&ps, s, req, q, &so, m,
                                     window ? order : NULL, nhead, first,
                                     res, ref, &own)
                          : 0;
        res->suggestion = suggest(&ps, req, m, res, ref, nref, deadline,
                                  nested);
        srch_result_free(&own);
    }
    if (ps.notice.len)
        res->notice = xstrdup(ps.notice.s);
    res->notes = ps.notes;
    if (ps.unknown)
        res->unknown_field = xstrdup(ps.unknown);
    res->related_title = ps.related_title;
    ps.related_title = NULL;
fail:
    res->unknown_related = rc == TT_ENOTFOUND && ps.unknown_id;
    res->seconds = tt_now() - start;
    xap_mset_free(m);
    xap_mset_free(tail);
    free(tidx);
    free(order);
    free(weight);
    free(boost);
    xap_q_free(q);
    xap_q_free(text);
    parser_free(&ps);
    return rc;
}

int srch_run(srch *s, const srch_req *req, srch_result *res, tt_err *e)
{
    /* one budget for every match of the search, tries included */
    double deadline = req->budget_ms ? tt_now() + req->budget_ms / 1e3 : 0;
    int stale = 0, rc = run_once(s, req, res, deadline, &stale, 0, e);
    if (rc == TT_OK && stale && !spent(deadline)) {
        srch_result_free(res);
        stale = 0;
        rc = run_once(s, req, res, deadline, &stale, 0, e);
    }
    /* a writer committing faster than a read could finish, each of its
     * XAP_RETRIES times */
    if (rc == TT_ECHANGED && xap_db_changed(s->db))
        tt_seterr(e, TT_ECHANGED, "the index changed during the search; "
                                  "retried %u times", xap_db_changed(s->db));
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
        free(h->title_marks);
        free(h->title_shown);
    }
    free(res->hits);
    free(res->explain);
    free(res->suggestion);
    free(res->notice);
    free(res->unknown_field);
    free(res->related_title);
    for (size_t i = 0; i < res->nsections; i++)
        free(res->sections[i].value);
    free(res->sections);
    for (size_t i = 0; i < res->nyears; i++)
        free(res->years[i].value);
    free(res->years);
    memset(res, 0, sizeof *res);
}

/* ---- output ----------------------------------------------------------- */

uint64_t srch_total_shown(const srch_result *res)
{
    uint64_t n = res->total, unit = 1;
    if (res->total_exact)
        return n;
    while (n / unit >= 100)
        unit *= 10;
    return (n + unit / 2) / unit * unit;
}

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

static void marked(const char *s, const srch_mark *marks, size_t nmarks,
                   const char *open, const char *close, int html, sbuf *out)
{
    size_t at = 0;
    s = s ? s : "";
    for (size_t i = 0; i < nmarks; i++) {
        const srch_mark *mk = &marks[i];
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
    marked(h->snippet, h->marks, h->nmarks, "<mark>", "</mark>", 1, out);
}

void srch_snippet_marked(const srch_hit *h, const char *open,
                         const char *close, sbuf *out)
{
    marked(h->snippet, h->marks, h->nmarks, open, close, 0, out);
}

void srch_title_html(const srch_hit *h, sbuf *out)
{
    marked(h->title_shown, h->title_marks, h->ntitle_marks, "<mark>",
           "</mark>", 1, out);
}

void srch_title_marked(const srch_hit *h, const char *open,
                       const char *close, sbuf *out)
{
    marked(h->title_shown, h->title_marks, h->ntitle_marks, open, close, 0,
           out);
}

void srch_result_json(const srch_req *req, const srch_result *res,
                      sbuf *out)
{
    js_writer *w = js_w_new(out, 0);
    sbuf snip = {0};
    char pub[32];
    js_w_obj_begin(w);
    js_w_key(w, "query");
    js_w_str(w, req->query ? req->query : "");
    js_w_key(w, "total");
    js_w_uint(w, res->total);
    js_w_key(w, "total_is_exact");
    js_w_bool(w, res->total_exact);
    js_w_key(w, "relaxed");
    js_w_bool(w, res->relaxed);
    if (res->phrase_apart) { /* relaxed: the phrases' words are apart */
        js_w_key(w, "phrase_apart");
        js_w_bool(w, 1);
    }
    js_w_key(w, "suggestion");
    js_w_str(w, res->suggestion);
    if (res->notice) {
        js_w_key(w, "notice");
        js_w_str(w, res->notice);
    }
    if (req->related) { /* what the results are related to */
        js_w_key(w, "related");
        js_w_obj_begin(w);
        js_w_key(w, "id");
        js_w_str(w, req->related);
        js_w_key(w, "title");
        js_w_str(w, res->related_title);
        js_w_obj_end(w);
    }
    js_w_key(w, "seconds");
    js_w_double(w, res->seconds);
    if (res->cut_ms) {
        js_w_key(w, "cut_short_ms");
        js_w_uint(w, res->cut_ms);
    }
    js_w_key(w, "facets");
    js_w_obj_begin(w);
    for (int k = 0; k < 2; k++) {
        const srch_facet *f = k ? res->years : res->sections;
        size_t n = k ? res->nyears : res->nsections;
        js_w_key(w, k ? "year" : "section");
        js_w_arr_begin(w);
        for (size_t i = 0; i < n; i++) {
            js_w_obj_begin(w);
            js_w_key(w, "value");
            js_w_str(w, f[i].value);
            js_w_key(w, "count");
            js_w_uint(w, f[i].count);
            js_w_obj_end(w);
        }
        js_w_arr_end(w);
    }
    js_w_key(w, "exact");
    js_w_bool(w, res->facets_exact);
    js_w_obj_end(w);
    js_w_key(w, "results");
    js_w_arr_begin(w);
    for (size_t i = 0; i < res->nhits; i++) {
        const srch_hit *h = &res->hits[i];
        js_w_obj_begin(w);
        js_w_key(w, "id");
        js_w_str(w, h->id);
        js_w_key(w, "url"); /* what the page and the feed would link */
        js_w_str(w, tt_web_url(h->url) ? h->url : NULL);
        js_w_key(w, "title");
        js_w_str(w, h->title);
        js_w_key(w, "title_html"); /* escaped, matches in <mark> */
        sbuf_reset(&snip);
        srch_title_html(h, &snip);
        js_w_strn(w, snip.s ? snip.s : "", snip.len);
        js_w_key(w, "published"); /* one form, whatever was imported */
        js_w_str(w, date_rfc3339(h->published, pub) == 0 ? pub : NULL);
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
