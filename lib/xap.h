/* xap.h — the C door to Xapian.  Plain C: opaque handles, (ptr, len)
 * strings, no Xapian types.  lib/xap.cc is the only C++ file and the only
 * includer of <xapian.h>.
 *
 * Errors: every function that can fail returns TT_OK or a TT_E* status and
 * fills the caller's tt_err; no exception ever crosses into C.  Xapian's
 * DatabaseLockError maps to TT_ELOCKED, DatabaseNotFoundError /
 * DatabaseOpeningError on a missing path to TT_ENOTFOUND, QueryParserError
 * to TT_ESYNTAX, DatabaseCorruptError to TT_ECORRUPT, other Xapian errors to
 * TT_EXAPIAN, std::bad_alloc aborts like xmalloc, anything else TT_EINTERNAL.
 * Also DatabaseVersionError -> TT_EVERSION, DocNotFoundError -> TT_ENOTFOUND,
 * InvalidArgumentError -> TT_EINVAL.  Opening, creating or writing a db
 * that the system refuses for want of permission (EACCES or EPERM, said
 * by Xapian's error or one it wraps, as a failed commit's "Modifications
 * failed (...)" does; or a part of it that this user may not read, or a
 * directory on its path it may not enter) is TT_EIO,
 * the message saying "permission denied" and naming that path and the
 * effective uid.  Readers that hit DatabaseModifiedError
 * reopen and retry inside the shim, up to XAP_RETRIES runs in all; then
 * TT_ECHANGED, and xap_db_changed says how many runs there were (an open
 * or a reopen that finds its revision gone: TT_ECHANGED at once).
 *
 * Ownership: strings returned through char ** are malloc'd copies the caller
 * frees.  Handles are not thread-safe: use one per thread.  Every free/close
 * accepts NULL.
 */
#ifndef TT_XAP_H
#define TT_XAP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct xap_wdb xap_wdb;     /* a writable database (one writer) */
typedef struct xap_db xap_db;       /* a read-only view of one or more dbs */
typedef struct xap_doc xap_doc;     /* a document being built */
typedef struct xap_query xap_query; /* an immutable query tree */
typedef struct xap_mset xap_mset;   /* one page of search results */

typedef uint32_t xap_docid;

/* ---- writing ---------------------------------------------------------- */

enum {
    XAP_CREATE = 1,    /* create if missing (else TT_ENOTFOUND) */
    XAP_OVERWRITE = 2, /* start empty even if it exists (at the open,
                          not at the first commit) */
    XAP_NOSYNC = 4     /* skip fsync on commit (bulk builds, tests) */
};

/* Changes are atomic per commit: the writer runs inside a Xapian transaction
 * from one commit to the next, so readers see either all or none of the
 * changes made between two commits (Xapian's periodic flushes write to disk
 * but do not commit), and a crash or xap_wdb_abandon loses exactly the
 * uncommitted changes.
 *
 * Sticky errors: once a write (replace, delete, set_metadata, commit) fails
 * after touching the db, Xapian has discarded every pending change, so that
 * write and every later one, commit and close return the same error.
 * Arguments rejected before touching the db (TT_EINVAL) are not sticky.
 *
 * Term, id term and metadata key lengths: 1 to XAP_MAX_TERM bytes (glass's
 * limit). */
#define XAP_MAX_TERM 245

/* Open (or create) the db at path for writing.  The parent directory must
 * exist.  TT_ELOCKED when another writer (in any process) holds it;
 * TT_ENOTFOUND without XAP_CREATE when it does not exist; TT_EIO when
 * permission is denied; the messages name the path.  *out is NULL on
 * error. */
int xap_wdb_open(const char *path, int flags, xap_wdb **out, tt_err *e);
/* xap_wdb_open with a flush threshold: Xapian writes pending postings to disk
 * (without committing) after this many changed documents, bounding memory
 * (0 = Xapian's default: $XAPIAN_FLUSH_THRESHOLD, else 10000).  Xapian 1.4
 * only reads the threshold from the environment when a writer is opened, so
 * this sets XAPIAN_FLUSH_THRESHOLD for the duration of the open, under a lock
 * that serialises the shim's writer opens; do not call setenv/getenv in
 * other threads meanwhile.  (Replaces xap_wdb_set_flush_threshold, which
 * could not work after the open.) */
int xap_wdb_open_ex(const char *path, int flags, unsigned flush_threshold,
                    xap_wdb **out, tt_err *e);
/* Commit pending changes, then close.  Returns the commit's status (or the
 * sticky error, in which case nothing is committed).  Frees w always. */
int xap_wdb_close(xap_wdb *w, tt_err *e);
/* Drop pending changes and close (no commit).  Never fails. */
void xap_wdb_abandon(xap_wdb *w);
/* Make pending changes durable (unless XAP_NOSYNC) and visible to readers
 * that reopen.  A commit that fails part way (the directory made
 * read-only, the disk full, while it writes) may leave the db damaged:
 * Xapian 1.4 does so after earlier commits of the same writer (a block
 * both used and free); xap_db_check tells.  Hence xap_wdb_writable
 * first. */
int xap_wdb_commit(xap_wdb *w, tt_err *e);
/* Can this process (its effective ids) still write the db: its directory
 * and every table file?  TT_EIO when not, the message saying "permission
 * denied on PATH for uid N" (or the system's reason: a read-only file
 * system), naming the directory or table refused.  The check a writer
 * makes before indexing and before each commit: a commit refused part way
 * can damage the db, one not tried cannot. */
int xap_wdb_writable(const xap_wdb *w, tt_err *e);
/* The path w was opened at ("" for NULL). */
const char *xap_wdb_path(const xap_wdb *w);

/* Add doc, replacing every document indexed by the unique term idterm (if
 * any).  doc must contain idterm (e.g. xap_doc_add_boolean_term), else
 * TT_EINVAL: without it the document could never be replaced or deleted.
 * A term longer than XAP_MAX_TERM is TT_EINVAL, checked before touching the
 * db.  *docid (if not NULL) receives the new document's id. */
int xap_wdb_replace(xap_wdb *w, const char *idterm, size_t idlen,
                    const xap_doc *doc, xap_docid *docid, tt_err *e);
/* Add doc as a new document without looking for older ones indexed by
 * idterm: only for a db known not to hold idterm (bulk builds, where it
 * saves the lookup).  The same checks as xap_wdb_replace. */
int xap_wdb_add(xap_wdb *w, const char *idterm, size_t idlen,
                const xap_doc *doc, xap_docid *docid, tt_err *e);
/* Delete every document indexed by idterm; *ndeleted (may be NULL) gets how
 * many there were (0 is not an error). */
int xap_wdb_delete(xap_wdb *w, const char *idterm, size_t idlen,
                   unsigned *ndeleted, tt_err *e);
/* User metadata, committed with the documents.  An empty value deletes.
 * key is a NUL-terminated string of 1 to XAP_MAX_TERM bytes. */
int xap_wdb_set_metadata(xap_wdb *w, const char *key, const char *val,
                         size_t vlen, tt_err *e);
/* *val = malloc'd copy ("" with *vlen 0 when unset). */
int xap_wdb_get_metadata(xap_wdb *w, const char *key, char **val,
                         size_t *vlen, tt_err *e);
/* Number of documents, including uncommitted changes. */
int xap_wdb_doccount(xap_wdb *w, uint32_t *n, tt_err *e);
/* Frequency (number of documents) of term, including uncommitted. */
int xap_wdb_termfreq(xap_wdb *w, const char *term, size_t len, uint32_t *n,
                     tt_err *e);

/* Compact the db at src into a new db at dst (which must not exist:
 * TT_EINVAL).  Several sources may be merged (e.g. per-thread shards);
 * docids are renumbered.  On failure a partly written dst is removed; the
 * message names the source that could not be opened, or else dst. */
int xap_compact(const char *const *srcs, size_t nsrc, const char *dst,
                tt_err *e);

/* Check the db at path as xapian-check does (every table's structure,
 * without listing): *errors gets the number of errors found (0: sound).
 * An error when it cannot be checked (no db, not readable). */
int xap_db_check(const char *path, size_t *errors, tt_err *e);

/* ---- documents -------------------------------------------------------- */
/* Builders never fail (out of memory aborts); an empty term is ignored.  An
 * empty value removes the slot (Xapian does not store empty values). */

xap_doc *xap_doc_new(void);
void xap_doc_free(xap_doc *d);
/* Term with a position (for phrases); wdf grows by wdfinc. */
void xap_doc_add_posting(xap_doc *d, const char *term, size_t len,
                         uint32_t pos, uint32_t wdfinc);
/* Term without a position. */
void xap_doc_add_term(xap_doc *d, const char *term, size_t len,
                      uint32_t wdfinc);
/* Term with wdf 0 (filters: does not affect weights). */
void xap_doc_add_boolean_term(xap_doc *d, const char *term, size_t len);
void xap_doc_set_value(xap_doc *d, unsigned slot, const char *val,
                       size_t len);
void xap_doc_set_data(xap_doc *d, const char *data, size_t len);

/* ---- reading ---------------------------------------------------------- */

/* Open paths[0..n) read-only as one combined db (n >= 1, else TT_EINVAL).
 * Each path is a db directory or a Xapian stub database file (which may list
 * remote dbs).  TT_ENOTFOUND names the path that is missing or holds no
 * db (a directory without one, a file that is no stub); TT_EIO one that
 * this user may not read (permission denied).  Docids of a combined
 * db interleave: (id in shard - 1) * n + shard index + 1. */
int xap_db_open(const char *const *paths, size_t n, xap_db **out,
                tt_err *e);
void xap_db_close(xap_db *db);
/* What path (a db directory, a stub file, a directory holding a stub
 * XAPIANDB) names now, for a long-lived reader to see when its dbs were
 * replaced (a directory swapped in under the same name) or the set a stub
 * lists changed (a year's db added): then it opens them anew, which
 * xap_db_reopen does not (it moves to the latest revision of the same
 * dbs).  The identity (device, inode) of path, and for a stub its text and
 * what each local path it lists names, stub within stub up to a depth of 8.
 * Equal strings: the same dbs.  A malloc'd string; NULL only when it could
 * not be made. */
char *xap_db_fingerprint(const char *path);
/* Move to the latest committed revision; *changed (may be NULL) is set to 1
 * when anything changed.  A db is reopened only when the version file of
 * one of its databases (those a stub file lists too) is another than at
 * the last open or reopen (a commit writes a new one): most calls cost a
 * stat() each; a db that lists a remote database (or a single-file one)
 * is reopened each time. */
int xap_db_reopen(xap_db *db, int *changed, tt_err *e);
int xap_db_doccount(xap_db *db, uint32_t *n, tt_err *e);
/* Keep up to bytes of decoded posting lists in memory for
 * xap_q_term_cached (0, the default: none).  For a long-lived reader: a
 * list is decoded whole, once per revision, which a one-shot process would
 * pay for nothing.  No cache for a db that lists a remote database (its
 * queries travel serialised, and a cached term cannot). */
void xap_db_cache_postings(xap_db *db, size_t bytes);
/* The block cache: keep up to bytes of the blocks libxapian reads from
 * the tables of the databases this process has open for reading (0, the
 * default: none; another budget empties it, the same again keeps it),
 * each read again copied from memory, not asked of the system (half the
 * block reads of a search are of blocks it read before: the roots and
 * branches of each table, a word's first chunk).  One cache for the process, whichever db a block
 * is of: for a long-lived reader, which reads the same blocks query after
 * query; a one-shot process would spend more placing the blocks in fresh
 * memory than the reads it saves.  A reopen onto a newer revision (the
 * shim's own, xap_db_reopen or a retry) empties it first: a writer reuses
 * the space of blocks an older revision had.  Only 8 KB blocks (Glass's
 * default, what timtin-index writes) are kept.  Thread-safe. */
void xap_blocks_budget(size_t bytes);
/* Empty the block cache (before a reopen; the shim does it itself). */
void xap_blocks_forget(void);
typedef struct xap_blocks_info {
    size_t bytes, budget; /* blocks held, budget */
    uint64_t hits, misses; /* reads found here, reads passed on */
} xap_blocks_info;
void xap_blocks_stats(xap_blocks_info *out);
/* What the posting cache holds and has done since it was turned on. */
typedef struct xap_cache_stats {
    size_t lists, bytes, budget; /* decoded lists now, their bytes, budget */
    uint64_t hits;      /* lists found decoded */
    uint64_t decodes;   /* lists decoded (new words, new revisions) */
    uint64_t evictions; /* lists dropped to stay within the budget */
} xap_cache_stats;
/* 1 when db lists a remote database (a stub file's "remote" line): each
 * read of a document's lists is then a round trip. */
int xap_db_remote(const xap_db *db);
/* 1 when db is one local database: a search's docids name its documents
 * (xap_q_docids). */
int xap_db_single(const xap_db *db);
/* How many times db has been reopened onto a newer revision, by
 * xap_db_reopen or by a read that found its revision gone: docids read
 * before a change may name other documents after it. */
unsigned xap_db_generation(const xap_db *db);
/* Runs of one read, each onto the latest revision, before the shim gives
 * up on a db that a writer keeps changing (DatabaseModifiedError). */
#define XAP_RETRIES 5
/* After a read of db that failed (TT_ECHANGED) because every one of its
 * runs found its revision discarded by newer commits: how many runs there
 * were (XAP_RETRIES); 0 after a read that succeeded or failed otherwise,
 * and after a reopen.  The caller may try again later (HTTP 503). */
unsigned xap_db_changed(const xap_db *db);
/* Fill *st; 1 when db has a cache, else 0 (and *st is all zero). */
int xap_db_cache_stats(const xap_db *db, xap_cache_stats *st);
int xap_db_termfreq(xap_db *db, const char *term, size_t len, uint32_t *n,
                    tt_err *e);
/* Collection frequency: total occurrences of term. */
int xap_db_collfreq(xap_db *db, const char *term, size_t len, uint64_t *n,
                    tt_err *e);
/* Metadata of the first db (shards are built with the same metadata). */
int xap_db_get_metadata(xap_db *db, const char *key, char **val,
                        size_t *vlen, tt_err *e);
/* The same of each db opened (each path, in order; a stub file's first
 * db), through fn ("" when it has none): dbs built from different
 * corpora name each its own. */
int xap_db_metadata_each(xap_db *db, const char *key,
                         void (*fn)(void *arg, const char *val, size_t len),
                         void *arg, tt_err *e);
/* Call fn for each term beginning with prefix, in byte order, with its term
 * frequency; stop early when fn returns non-zero. */
int xap_db_allterms(xap_db *db, const char *prefix, size_t plen,
                    int (*fn)(void *arg, const char *term, size_t len,
                              uint32_t termfreq),
                    void *arg, tt_err *e);
/* Docid of the (first) document indexed by idterm; TT_ENOTFOUND if none. */
int xap_db_find(xap_db *db, const char *idterm, size_t len, xap_docid *id,
                tt_err *e);
/* Data / value slot of document id (malloc'd copies, NUL-terminated after
 * *len bytes; an unset value is "").  TT_ENOTFOUND when there is no such
 * document, TT_EINVAL for id 0. */
int xap_db_doc_data(xap_db *db, xap_docid id, char **data, size_t *len,
                    tt_err *e);
int xap_db_doc_value(xap_db *db, xap_docid id, unsigned slot, char **val,
                     size_t *len, tt_err *e);
/* How many documents have a value in slot (Xapian keeps the count). */
int xap_db_value_freq(xap_db *db, unsigned slot, uint32_t *freq, tt_err *e);
/* The greatest value in slot (upper), or the least (!upper): a bound,
 * not always a value a document has (a malloc'd copy, NUL-terminated
 * after *len bytes; "" when no document has one). */
int xap_db_value_bound(xap_db *db, unsigned slot, int upper, char **val,
                       size_t *len, tt_err *e);
/* A term's positions in a document, ascending. */
typedef struct xap_poslist {
    uint32_t *pos;
    size_t n;
} xap_poslist;
/* The positions of terms[0..nterms) (NUL-terminated) in documents
 * ids[0..nids): (*out)[t * nids + j] lists term t's in document ids[j]
 * (none when it lacks the term, or there is no such document).  Each
 * term's lists are read in docid order, the terms in byte order (the
 * position table's key order).  Free with xap_poslists_free(*out,
 * nterms * nids).  TT_EINVAL for an id 0. */
int xap_db_positions(xap_db *db, const xap_docid *ids, size_t nids,
                     const char *const *terms, size_t nterms,
                     xap_poslist **out, tt_err *e);
void xap_poslists_free(xap_poslist *pl, size_t n);
/* Call fn for each term of document id beginning with prefix (may be NULL
 * with plen 0), in byte order, with its wdf; stop early when fn returns
 * non-zero.  TT_ENOTFOUND when there is no such document. */
int xap_db_doc_terms(xap_db *db, xap_docid id, const char *prefix,
                     size_t plen,
                     int (*fn)(void *arg, const char *term, size_t len,
                               uint32_t wdf),
                     void *arg, tt_err *e);

/* ---- queries ---------------------------------------------------------- */
/* Query constructors never fail; they take ownership of their subqueries
 * (which must not be used or freed afterwards).  NULL subqueries are
 * ignored; an operator with no subqueries is the empty query (matches
 * nothing). */

typedef enum {
    XAP_OP_AND,
    XAP_OP_OR,
    XAP_OP_AND_NOT,   /* first AND NOT (OR of the rest) */
    XAP_OP_AND_MAYBE, /* first, weighted up by the rest */
    XAP_OP_FILTER,    /* first, restricted to the rest, without weight */
    XAP_OP_SYNONYM,   /* one term for weighting purposes */
    XAP_OP_PHRASE,    /* window = number of terms unless set */
    XAP_OP_NEAR,
    XAP_OP_ELITE_SET,
    XAP_OP_MAX
} xap_op;

/* A term; wqf is the within-query frequency (1 normally), pos its query
 * position (0 = none).  An empty term is the empty query (Xapian would make
 * it match everything). */
xap_query *xap_q_term(const char *term, size_t len, uint32_t wqf,
                      uint32_t pos);
/* The postings of term, with the weight BM25 (k1, b = 0) gives a term of
 * wqf 1 in the query, scaled by factor, read from db's posting cache: the
 * same matches and weights (to the last bit) as
 * xap_q_scale(xap_q_term(term, len, 1, pos), factor) under those
 * parameters, but a check of one document costs a lookup, not the
 * decoding of the list up to it (an AND with a frequent term).  NULL when
 * db has no cache, or the term has not been asked for before (a term
 * asked once may never be again: it is decoded the second time) or is in
 * fewer than min_share of the documents (a short list costs little to
 * decode); use xap_q_term then.  Search with b = 0: the weight ignores
 * document lengths.  The query belongs with db (its cache), like db, to
 * one thread. */
xap_query *xap_q_term_cached(xap_db *db, const char *term, size_t len,
                             double factor, double k1, double min_share);
/* Exactly the documents ids[0..n) of db (no weight): a filter for a second
 * look at a first search's hits.  NULL when db spans several databases,
 * whose docids a query cannot name, or is remote (a query travels to it
 * serialised, and this filter cannot); filter by id terms then. */
xap_query *xap_q_docids(const xap_db *db, const xap_docid *ids, size_t n);
/* Every document, each with this weight: restricted by a FILTER, a fixed
 * bonus (Xapian's FixedWeightPostingSource, which a remote database
 * understands). */
xap_query *xap_q_fixed(double weight);
/* Combine subs[0..n) with op; window applies to PHRASE/NEAR (0 = default),
 * and to ELITE_SET as the set size. */
xap_query *xap_q_op(xap_op op, xap_query **subs, size_t n, unsigned window);
/* Shorthand for two operands. */
xap_query *xap_q_op2(xap_op op, xap_query *a, xap_query *b);
/* Multiply the weight of q by factor (>= 0; a negative factor leaves q
 * unchanged).  Takes q and returns it (NULL stays NULL). */
xap_query *xap_q_scale(xap_query *q, double factor);
/* Documents whose value in slot lies in [lo, hi] (byte order); an empty
 * bound is open; with both empty, every document. */
xap_query *xap_q_value_range(unsigned slot, const char *lo, size_t lolen,
                             const char *hi, size_t hilen);
/* Every document (for pure filters). */
xap_query *xap_q_all(void);
/* No document (Xapian's MatchNothing, an empty query): a filter that
 * cannot match.  An AND or FILTER with it matches nothing; an OR drops
 * it, and so does the right side of an AND_NOT (it excludes nothing). */
xap_query *xap_q_nothing(void);
xap_query *xap_q_copy(const xap_query *q); /* NULL -> NULL */
void xap_q_free(xap_query *q);
int xap_q_is_empty(const xap_query *q); /* NULL counts as empty */
/* Xapian's own description of the query (for --explain/debugging); a
 * malloc'd string the caller frees. */
char *xap_q_describe(const xap_query *q);

/* Parse qs with Xapian's QueryParser (boolean operators, phrases, +/-,
 * prefixes given as "field:PREFIX" pairs, no stemming), for raw/debug use.
 * db may be NULL.  TT_ESYNTAX with Xapian's message on a syntax error;
 * TT_EINVAL for a prefix string without ':'. */
int xap_q_parse(xap_db *db, const char *qs, const char *const *prefixes,
                size_t nprefixes, xap_query **out, tt_err *e);

/* ---- searching -------------------------------------------------------- */

typedef struct xap_search_opts {
    int sort_slot;         /* -1: by relevance; else sort by this value */
    int sort_ascending;    /* with sort_slot: 1 oldest first */
    int collapse_slot;     /* -1: none; else one hit per value */
    double bm25_k1, bm25_b;/* BM25 parameters; < 0 (as set by
                              xap_search_opts_init): Xapian's defaults,
                              k1 1, b 0.5.  b = 0: no length normalisation
                              (and no document length read) */
    double bm25_k3;        /* < 0: 1; 0: a term the query holds twice
                              weighs as if once (no wqf) */
    uint32_t check_at_least; /* examine at least this many (exact totals) */
    const unsigned *facet_slots; /* count values in these slots */
    size_t nfacets;
    uint32_t facet_limit;  /* keep the top this many values per facet
                              (0 = all) */
    int facet_group_slot;  /* -1: each match counts in its facets; else
                              matches sharing a value here (near-
                              duplicates: one story) count once in each
                              facet value they have.  Local dbs only:
                              through a remote one each match counts
                              (xap_mset_facets_grouped says which) */
    int skip_data;         /* 1: do not read the hits' data (read the few
                              needed later with xap_db_doc_data) */
    const unsigned *value_slots; /* read only these values of each hit,
                                    slot by slot in docid order (one pass
                                    over each slot's value stream) */
    size_t nvalue_slots;         /* (value_slots NULL: every value, from
                                    each hit's document) */
    double weight_cutoff;        /* > 0: only matches weighing at least
                                    this much */
    /* when set, only the matches whose document data accept returns
     * non-zero for (it reads each candidate's data: for selective queries;
     * not with remote databases, which refuse it) */
    int (*accept)(void *arg, const char *data, size_t len);
    void *accept_arg;
    /* > 0: a deadline on tt_now's clock (CLOCK_MONOTONIC seconds): the
     * match stops when it has passed, with the matches found so far, and
     * xap_mset_cut says so (Xapian's set_time_limit only stops counting
     * beyond check_at_least).  The clock is read every 256 documents the
     * matcher considers.  Not through a remote db (its query travels
     * serialised, and the source that watches the clock cannot) */
    double deadline;
} xap_search_opts;

/* Defaults: relevance, no collapse, no facets. */
void xap_search_opts_init(xap_search_opts *o);

/* Run q and return hits [offset, offset+limit).  *out owns everything: the
 * page's data and values are read during the search.  o may be NULL
 * (defaults).  Facets count the documents the matcher examined: set
 * check_at_least to the doccount for exact counts. */
int xap_search(xap_db *db, const xap_query *q, uint32_t offset,
               uint32_t limit, const xap_search_opts *o, xap_mset **out,
               tt_err *e);
void xap_mset_free(xap_mset *m);
size_t xap_mset_size(const xap_mset *m);
/* 1 when opts.deadline cut the match short: the hits are the best of the
 * documents examined before it, and the total an estimate (never exact:
 * its upper bound is at least the doccount). */
int xap_mset_cut(const xap_mset *m);
/* Estimated total matches with lower/upper bounds (equal when exact).  Of
 * one local db the estimate is the rate of matches among the documents
 * examined up to the check_at_least-th match (or the page's last), which
 * the matcher takes in docid order without skipping, kept within the
 * bounds of the matches before the collapse and less the copies it
 * dropped; fewer matches than that are counted exactly, collapsed too.
 * Of several dbs, Xapian's. */
void xap_mset_total(const xap_mset *m, uint32_t *estimate, uint32_t *lower,
                    uint32_t *upper);
xap_docid xap_mset_docid(const xap_mset *m, size_t i);
double xap_mset_weight(const xap_mset *m, size_t i);
/* Number of other hits collapsed into hit i. */
uint32_t xap_mset_collapse_count(const xap_mset *m, size_t i);
/* Hit i's document data / value (pointers valid until xap_mset_free,
 * NUL-terminated after *len bytes; "" when unset or i is out of range). */
const char *xap_mset_data(const xap_mset *m, size_t i, size_t *len);
const char *xap_mset_value(const xap_mset *m, size_t i, unsigned slot,
                           size_t *len);
/* The frequency of term in *tf when it is one of the query's terms (the
 * match counted it: no lookup), returning 1; else 0 and *tf 0. */
int xap_mset_termfreq(const xap_mset *m, const char *term, size_t len,
                      uint32_t *tf);
/* Facet k (index into opts.facet_slots): number of distinct values, and
 * value j's bytes and count, most frequent first. */
size_t xap_mset_facet_size(const xap_mset *m, size_t k);
/* 1 when the facets were counted by opts.facet_group_slot's groups. */
int xap_mset_facets_grouped(const xap_mset *m);
const char *xap_mset_facet_value(const xap_mset *m, size_t k, size_t j,
                                 size_t *len, uint32_t *count);

/* Relevance feedback ("more like this"): the best nterms terms (beginning
 * with prefix, if not NULL) of documents ids[0..n), best first, excluding
 * terms for which accept (may be NULL) returns 0.  Returns a malloc'd array
 * of malloc'd NUL-terminated terms in *terms (NULL when none), count in
 * *nterms_out; free with xap_free_terms. */
int xap_expand(xap_db *db, const xap_docid *ids, size_t n,
               const char *prefix, size_t nterms,
               int (*accept)(void *arg, const char *term, size_t len),
               void *arg, char ***terms, size_t *nterms_out, tt_err *e);

/* Free the result of xap_expand (NULL is fine). */
void xap_free_terms(char **terms, size_t n);

/* Sortable encodings for numbers in value slots (Xapian's
 * sortable_serialise): writes at most cap bytes to buf and returns the
 * encoding's length, at most XAP_SORTABLE_MAX. */
#define XAP_SORTABLE_MAX 9
size_t xap_sortable_double(double v, char *buf, size_t cap);
double xap_unsortable_double(const char *buf, size_t len);

#endif
