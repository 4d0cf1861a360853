/* search.h — the searcher library: query text -> ranked, displayable
 * results.  Used by timtin-search and by the CGI page.
 *
 * A srch handle keeps the db(s) open; each srch_run starts from the latest
 * committed revision, and opens a db anew when another was swapped in under
 * its name (timtin-index --full, --compact), so a long-lived searcher
 * (FastCGI) never needs a restart.  Results own
 * their strings; srch_result_free releases them.  One handle per thread.
 */
#ifndef TT_SEARCH_H
#define TT_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct srch srch;

/* Open dbs[0..n) (directories or stub files) as one index.  TT_ENOTFOUND
 * for a missing db, TT_EVERSION for a db built by another analyzer,
 * TT_ECHANGED for one a writer changed under each try of its reads
 * ("the index changed while it was opened; retried 5 times"). */
int srch_open(const char *const *dbs, size_t n, srch **out, tt_err *e);
void srch_close(srch *s);
/* Keep up to bytes of the posting lists of frequent words decoded in
 * memory (0, the default: none), for a long-lived searcher (FastCGI,
 * benchmarks): a word's list is decoded the second time a query asks for
 * it, once per index revision, and an AND then checks it with a lookup.
 * A one-shot process would pay the decoding for nothing. */
void srch_cache_postings(srch *s, size_t bytes);
/* Keep up to bytes of the index blocks read in memory (0, the default:
 * none), for the whole process: a long-lived searcher reads the tables'
 * roots and branches and common words' first blocks query after query,
 * and takes them from memory again (xap_blocks_budget). */
void srch_cache_blocks(size_t bytes);
/* For a long-lived searcher with nothing to do (a FastCGI process
 * between requests): when a db was swapped for another under its name
 * (timtin-index --full, --compact), close it, so that the deleted files
 * it holds open are freed now, not at the next search (which opens the
 * new one).  Returns 1 when it closed it.  Cheap otherwise: a stat of
 * each path (xap_db_fingerprint). */
int srch_idle(srch *s);
/* Read an article's whole text, for a snippet the part the db keeps
 * cannot give (no match there: docs/FORMAT.md, DD_PLACE), from the corpus
 * in dir instead of the one the db was indexed from (its
 * timtin.corpus_dir); "": never; NULL: the db's again.  A corpus that is
 * not there, or no longer holds the version indexed, is passed over
 * quietly: the snippet comes from the part kept. */
void srch_corpus(srch *s, const char *dir);
/* May the corpus whole texts are read from (srch_corpus's, else the one
 * the db names) be read: TT_OK (or none), else TT_ENOTFOUND or TT_EIO
 * saying which and why ("the corpus DIR, where a snippet reads an
 * article's whole text, cannot be read (Permission denied)"); for a
 * long-lived caller to check once. */
int srch_corpus_check(srch *s, tt_err *e);
/* Append a line on the posting cache (lists, memory, lists found decoded,
 * decoded, dropped) and the block cache (memory, reads found there, reads
 * passed on) to out; 0 and nothing appended without either. */
int srch_cache_report(srch *s, sbuf *out);

#define SRCH_MAX_QUERY 4096 /* bytes of query text considered */
#define SRCH_MAX_WORDS 32   /* words searched, the rest ignored: a filter
                               counts as one, OR and ( ) " - as none */
#define SRCH_MAX_LIMIT 1000 /* results per srch_run: a larger req.limit
                               is taken as this, silently */
#define SRCH_RERANK 15 /* candidates re-ranked with phrase bonuses */
#define SRCH_RERANK_MAX 100 /* results ranked by the window (boost,
                               bonuses); the others follow by relevance */
#define SRCH_DUP_SLACK 5  /* candidates beyond the page and an eighth
                             of it, for duplicates to start with */
#define SRCH_WINDOW_MAX 1000 /* the most candidates the window grows to
                                when more are copies; the stories past
                                them come from a collapsed search */
#define SRCH_RECENCY_WINDOW 100 /* matches weighed again by their age */
#define SRCH_RECENCY_MAX 2000   /* ... and at most, when more could rise */
#define SRCH_RECENCY_GAIN 1.0   /* a match of the newest day weighs 2x */
#define SRCH_RECENCY_DAYS 30    /* the boost's half-life by default */
#define SRCH_EXACT_CHECK 100 /* totals are exact up to this many matches */
#define SRCH_FACET_CHECK 2000 /* facet counts are exact up to this many
                                   matches */

typedef struct srch_req {
    const char *query;   /* the user's query (UTF-8, any); may be empty
                            with related or filters */
    uint32_t offset, limit; /* limit 0 = 10; one above SRCH_MAX_LIMIT
                               is clamped to it without an error or a
                               notice (a caller that must refuse it, as
                               timtin-search's --limit does, checks) */
    int sort_date;       /* newest first instead of by relevance */
    int explain;         /* fill srch_result.explain */
    int facets;          /* count sections and years of the matches */
    int suggest;         /* offer a "did you mean" (accents, spelling) */
    const char *since, *until; /* dates: YYYY[-MM[-DD]], NULL = open */
    const char *section; /* only this section (name, accents optional) */
    const char *related; /* an article id: articles like it */
    const char *copies;  /* an article id: it and its copies (the articles
                            of its near-duplicate key: the same story
                            under other ids), newest first, none
                            collapsed; with no query words and no filter
                            (TT_EINVAL: it would hide copies) */
    double recency_days; /* > 0: favour recent articles by relevance; the
                            boost halves every recency_days days before
                            the db's newest article (SRCH_RECENCY_*) */
    int no_relax;        /* full matches only: when none has every word,
                            no results rather than the best partial
                            matches (a feed, which says nothing of it) */
    unsigned budget_ms;  /* > 0: the search's time, every match of it
                            together: when spent, the matches stop and
                            the results are those found so far
                            (srch_result.cut_ms); 0: no limit */
} srch_req;

/* One facet value and how many matches have it. */
typedef struct srch_facet {
    char *value;
    uint32_t count;
} srch_facet;

/* A highlighted range [start, end) in bytes of a snippet. */
typedef struct srch_mark {
    size_t start, end;
} srch_mark;

typedef struct srch_hit {
    char *id, *url, *title, *published, *section, *source;
    char **authors;
    size_t nauthors;
    double score;
    char *snippet;       /* plain text, "…" where cut */
    srch_mark *marks;    /* matches to highlight, in order */
    size_t nmarks;
    char *title_shown;   /* title cleaned for a reader (vn_clean), or
                            NULL (no title) */
    srch_mark *title_marks; /* the matches in title_shown */
    size_t ntitle_marks;
} srch_hit;

/* What srch_result.notice says, as flags. */
enum {
    SRCH_NOTE_CUT = 1 << 0,     /* the query was cut at SRCH_MAX_QUERY bytes */
    SRCH_NOTE_FIELD = 1 << 1,   /* an unknown field, searched as words */
    SRCH_NOTE_ACCENTS = 1 << 2, /* no article has the words with the
                                   accents typed: other accents shown */
    SRCH_NOTE_WORDS = 1 << 3,   /* only the first SRCH_MAX_WORDS words
                                   were searched */
    SRCH_NOTE_SHORT = 1 << 4,   /* the search was cut short at its time
                                   budget (srch_result.cut_ms) */
    SRCH_NOTE_UTF8 = 1 << 5,    /* invalid UTF-8 in the query, read as
                                   spaces (the notice says at which byte) */
    SRCH_NOTE_VALUE = 1 << 6    /* a filter's value is in no article (the
                                   notice names it, and the sections or
                                   sources there are) */
};

typedef struct srch_result {
    uint32_t total;      /* estimated matches */
    int total_exact;     /* total is exact */
    uint32_t total_lower; /* at least this many: what the search read
                             (the pages up to it hold results) */
    int relaxed;         /* no document matched every word: best partial
                            matches instead */
    int phrase_apart;    /* with relaxed: no article has the query's
                            "phrases" (this many) as typed, but some
                            have all of its words, apart */
    srch_hit *hits;
    size_t nhits;
    double seconds;      /* time taken */
    char *explain;       /* with req.explain: the Xapian query run */
    char *suggestion;    /* "did you mean", or NULL */
    char *notice;        /* how the query was read, when that matters
                            (unknown field, ignored parts), or NULL */
    unsigned notes;      /* the same, as SRCH_NOTE_* flags (for pages that
                            say it in their own words) */
    char *unknown_field; /* with SRCH_NOTE_FIELD: the first such name */
    srch_facet *sections, *years; /* with req.facets, most frequent first
                                     (years newest first) */
    size_t nsections, nyears;
    int facets_exact;    /* the counts cover every match */
    int unknown_related; /* with TT_ENOTFOUND: req.related or req.copies
                            names no article (any other TT_ENOTFOUND is a
                            db gone) */
    char *related_title; /* with req.related: that article's title, or
                            NULL (none) */
    unsigned cut_ms;     /* the search was cut short at req.budget_ms
                            (that many ms): the hits are the best of those
                            found in time, the total an estimate, no
                            "did you mean"; 0 when it ran to the end */
} srch_result;

/* Query language: words (every word must match; when none matches them
 * all, the best partial matches, with relaxed set, unless some article
 * has them all and the filters leave it out), "phrases", -exclusion
 * (NOT), OR, AND (the default), (parentheses), fields title: author:
 * section: tag: source: (and tieude: tacgia: chuyenmuc: the: nguon:),
 * since: until: (tu: den:) and YYYY-MM-DD..YYYY-MM-DD date ranges
 * (either end left open: 2021.., ..2021); a field before (a group) is
 * the field of each of its words and phrases.
 *
 * Run req.  A query with no words and no filters is TT_EINVAL "empty
 * query"; an invalid date TT_EINVAL naming it; an unknown related or
 * copies id TT_ENOTFOUND with res->unknown_related set (a db that went away is
 * TT_ENOTFOUND too, without it); an index that an indexer changed under
 * the search at each try of a read TT_ECHANGED ("the index changed
 * during the search; retried 5 times": try again shortly).  *res is
 * zeroed first and must be freed with srch_result_free even on error. */
int srch_run(srch *s, const srch_req *req, srch_result *res, tt_err *e);
void srch_result_free(srch_result *res);

/* The snippet of h with its marks as HTML (text escaped, matches in
 * <mark>…</mark>), appended to out. */
void srch_snippet_html(const srch_hit *h, sbuf *out);
/* The same with the given open/close strings and no escaping (terminal). */
void srch_snippet_marked(const srch_hit *h, const char *open,
                         const char *close, sbuf *out);
/* The same two for the title of h as shown (title_shown: its matches
 * marked as in the snippet, "can tho" marks "Cần Thơ"). */
void srch_title_html(const srch_hit *h, sbuf *out);
void srch_title_marked(const srch_hit *h, const char *open,
                       const char *close, sbuf *out);
/* Append s escaped for HTML text and attribute values (& < > " '). */
void srch_html_escape(sbuf *out, const char *s, size_t n);
/* The total to show a reader: res->total when exact, else the estimate
 * rounded to two significant digits (19999 -> 20000, 187 -> 190), as
 * "about 20000" reads better than a false precision.  JSON keeps the
 * estimate itself. */
uint64_t srch_total_shown(const srch_result *res);
/* Write res as the JSON object of timtin-search --json. */
void srch_result_json(const srch_req *req, const srch_result *res,
                      sbuf *out);

#endif
