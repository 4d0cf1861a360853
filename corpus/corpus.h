/* corpus.h — the article store: a directory of append-only WARC 1.1 files
 * (corpus/warc.c writes and reads the records; docs/FORMAT.md describes
 * them) plus a rebuildable id index.  The one exception to append-only:
 * corpus_purge overwrites records in place with records of the same
 * length.
 *
 * One writer at a time (flock on DIR/lock; a second writer gets
 * TT_ELOCKED), any number of readers.  The lock belongs to the open file:
 * a child forked while a writer is open holds it too until it exits or
 * execs.  Opening for writing recovers from a crash: a truncated last
 * record is cut off with a warning and everything written before it
 * survives.  Readers skip corrupt records, reporting file and offset
 * through the warning callback, and never crash on bad input.  Handles
 * are not thread-safe, with one exception: threads may share a reader
 * (CORPUS_READ) for corpus_latest, corpus_end and an iterator each, which
 * only read the handle (its warning callback is then called from them).
 */
#ifndef TT_CORPUS_H
#define TT_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "article.h"
#include "util.h"

typedef struct corpus corpus;

enum {
    CORPUS_READ = 0,   /* read-only; the directory must exist */
    CORPUS_WRITE = 1,  /* append; takes the writer lock */
    CORPUS_CREATE = 2, /* with CORPUS_WRITE: create the directory if needed */
    CORPUS_WAIT = 4    /* with CORPUS_WRITE: wait for the lock */
};

typedef struct corpus_opts {
    uint64_t max_file_size; /* rotate files at this size; 0 = 1 GiB */
    int fsync;              /* fsync after each flush, and a file closed
                               when full; a new file's name with the
                               directory at the next flush (default 0) */
    /* Warnings (recovered truncation, corrupt record skipped); NULL prints
     * them on stderr through tt_warn. */
    void (*warn)(void *arg, const char *msg);
    void *warn_arg;
} corpus_opts;

/* opts may be NULL for defaults.  *out is NULL on error: TT_ENOTFOUND (no
 * directory), TT_EINVAL (not a directory, or a directory of other files:
 * a corpus is a directory of its own, new or empty when first written),
 * TT_ELOCKED ("corpus DIR is locked by another writer (pid N)", or, when
 * the lock file names no live process after waiting up to 3 s for a
 * reader saving the index, "... by another process (...)"), TT_EIO.  A
 * writer's pid is in DIR/lock while it is open, removed at its close.
 * Loads DIR/ids.idx and scans what it does not cover (rebuilding it if
 * missing or bad); a writer saves it again. */
int corpus_open(const char *dir, int flags, const corpus_opts *opts,
                corpus **out, tt_err *e);
/* What corpus_open checks before it reads anything: that dir is a
 * directory and a corpus (or empty).  TT_OK, or the status and message
 * corpus_open would give (TT_ENOTFOUND, TT_EINVAL, TT_EIO).  For a
 * program that checks its inputs before it creates anything. */
int corpus_check(const char *dir, tt_err *e);
/* Flush, release the lock, free.  Returns the first error of the session
 * (sticky), or TT_OK. */
int corpus_close(corpus *c, tt_err *e);

/* Append an article record (a new version of a.id).  When the latest stored
 * version of a.id has the same content (the same article_to_json bytes)
 * and reads back (intact gzip member, block matching its digest: one
 * inflated, about 30 us), nothing is written and *stored is 0; otherwise
 * *stored is 1.  stored may
 * be NULL.  TT_EINVAL (nothing written, not sticky) without an id or a
 * title, or when its JSON would be larger than ARTICLE_MAX_JSON (which
 * readers refuse; it can outgrow the JSON it was read from: body strings
 * split into arrays, U+2028 escaped); an article with deleted set appends
 * a deletion marker instead
 * (if the id is stored and live; otherwise *stored is 0). */
int corpus_put_article(corpus *c, const article *a, int *stored, tt_err *e);
/* Append a deletion marker for id (if the id is stored and not already
 * deleted: then *stored is 1).  TT_ENOTFOUND if id was never stored;
 * TT_OK with *stored 0 if it is already deleted. */
int corpus_delete_article(corpus *c, const char *id, int *stored, tt_err *e);
/* Append a raw HTTP response record for uri (block = status line, headers,
 * body, as received).  date is the fetch time (ISO 8601 UTC, NULL = now).
 * The new record's WARC-Record-ID ("<urn:uuid:...>") is written into
 * id_out (at least 48 bytes) when not NULL. */
int corpus_put_response(corpus *c, const char *uri, const char *block,
                        size_t len, const char *date, char *id_out,
                        tt_err *e);
/* Make appended records durable (fflush, and fsync if asked) and update
 * the id index on disk.  An index of 50,000 ids or more is rewritten only
 * when it has grown by an eighth since it was last written or is 30 s old
 * (corpus_close always writes it): rewriting costs its whole size, and
 * what it does not cover is scanned at the next open anyway. */
int corpus_flush(corpus *c, tt_err *e);

/* The latest version of article id.  TT_ENOTFOUND if never stored or
 * deleted (saying so, and how many unreadable records there are if any:
 * corpus_damaged); TT_ECORRUPT, naming file and offset, if its record cannot be
 * read, its block fails its digest, or its JSON does not parse or names
 * another article than the id it is stored under. */
int corpus_get(corpus *c, const char *id, article *out, tt_err *e);
/* The same, as the stored JSON bytes (article_to_json form), appended to
 * *out; checked as corpus_get checks it. */
int corpus_get_json(corpus *c, const char *id, sbuf *out, tt_err *e);
/* The HTTP response the latest version of article id was extracted
 * from (one article's page, cheaply; corpus_find_responses finds many),
 * the record it names (WARC-Refers-To, or its JSON's "response"), read
 * back and checked: its block (status line, headers, body as stored)
 * appended to *out.  Found where the id index keeps it (one record read,
 * its WARC-Record-ID checked against the one named: an index that sends
 * the read elsewhere is distrusted, as corpus_get's), else where the
 * crawler writes it: the record right before the version (looked back
 * for: about the response's compressed size read).  The index knows the
 * page of a version the crawler stored, and of one re-extracted from a
 * page read back (corpus_get_response).  TT_ENOTFOUND when there is none
 * (an imported version, a response purged); TT_ECORRUPT, naming file and
 * offset, when the page cannot be read or fails its digest; else as
 * corpus_get. */
int corpus_get_page(corpus *c, const char *id, sbuf *out, tt_err *e);
/* The records the id index met and could not read (a damaged gzip member
 * or WARC header: an article version in one is missing, its id unknown,
 * or an older version taken for the latest), remembered in ids.idx so
 * that every later open knows them, not only the one that rebuilt it.
 * Calls fn (if not NULL) with "FILE: offset N: why (...)" for each not
 * yet said by this handle (through the warning callback at the open, or
 * by an earlier call), and returns how many there are, plus the gaps of
 * corpus_missing. */
size_t corpus_damaged(corpus *c, void (*fn)(void *arg, const char *msg),
                      void *arg);
/* The WARC files missing between the others (serials run from 000001 in
 * write order and no operation removes a file: a gap is a file lost,
 * its records with it).  Each gap is said through the warning callback
 * at every open, and corpus_damaged counts it as one. */
uint64_t corpus_missing(const corpus *c);
/* Call fn for every live (stored, not deleted) article id, in the order
 * the ids were first stored; the id string is valid during the call.  A
 * non-zero return from fn stops the walk and is returned.  fn must not
 * change the corpus. */
int corpus_each_id(corpus *c, int (*fn)(void *arg, const char *id),
                   void *arg);
/* The same for every id the corpus has a record of: the deleted ones too
 * (their latest record is a deletion marker). */
int corpus_each_known_id(corpus *c, int (*fn)(void *arg, const char *id),
                         void *arg);

/* A position in the corpus: the file's serial number and a byte offset in
 * it.  Positions compare in the order records were written. */
typedef struct corpus_pos {
    uint32_t file;
    uint64_t offset;
} corpus_pos;

int corpus_pos_cmp(corpus_pos a, corpus_pos b);
/* "file:offset" and back, for storing checkpoints. */
void corpus_pos_format(corpus_pos p, char buf[32]);
int corpus_pos_parse(const char *s, corpus_pos *p);

/* corpus/place.c: what a reader of one record needs, without the writer,
 * the id index or OpenSSL.  The path of file serial of the corpus in dir
 * (DIR/timtin-NNNNNN.warc.gz), in *b. */
const char *corpus_file_name(sbuf *b, const char *dir, uint32_t serial);
/* An article id as WARC-Timtin-Article-Id writes it, percent-decoded,
 * into *b. */
void corpus_id_decode(sbuf *b, const char *s);
/* The article version stored at pos (a corpus_rec's pos) of the corpus in
 * dir, into *out (article_free it), read without opening the corpus: no
 * lock, no id index, one record inflated.  It must be a version of
 * article id: TT_ENOTFOUND when the file or the record is not there, or
 * holds something else (a purge overwrote it, a deletion marker, another
 * corpus; only its header is inflated), TT_EINVAL when its JSON is more
 * than max_block bytes (0: any size), TT_ECORRUPT when it cannot be read
 * (a damaged record, JSON that does not parse), TT_EIO; *e names the file
 * and offset.  The block digest is not checked (the gzip member's CRC
 * is). */
int corpus_article_at(const char *dir, corpus_pos pos, const char *id,
                      size_t max_block, article *out, tt_err *e);

typedef enum {
    CORPUS_REC_ARTICLE,  /* article JSON (possibly a deletion) */
    CORPUS_REC_RESPONSE, /* raw HTTP response */
    CORPUS_REC_OTHER     /* warcinfo and anything else */
} corpus_rec_type;

typedef struct corpus_rec {
    corpus_rec_type type;
    corpus_pos pos;   /* where this record starts */
    corpus_pos next;  /* where the next one starts: a checkpoint after it */
    const char *file; /* path of the file holding it */
    const char *record_id, *date, *target_uri; /* WARC headers */
    const char *article_id; /* articles: the id */
    int deleted;      /* articles: a deletion marker */
    const char *payload; /* the record block (article JSON / HTTP) */
    size_t payload_len;
} corpus_rec;

typedef struct corpus_iter corpus_iter;

/* Iterate the records from position from ({0,0} = the beginning) in write
 * order, across files, up to corpus_end(c) as the iteration begins: the
 * records the handle's id index knows (those of the files as they were at
 * the open, and the appends through this handle), so that corpus_latest
 * speaks of the same records.  What another process appends meanwhile is
 * for a handle opened later.  Pointers in a corpus_rec stay valid until
 * the next call.  Corrupt records, and those whose block fails its digest
 * (edited by another tool), are skipped and reported through the warning
 * callback ("FILE: offset N: reason"); corpus_iter_skipped counts them.
 * (The article JSON is not checked here: that is the reader's parse.) */
int corpus_iter_open(corpus *c, corpus_pos from, corpus_iter **out,
                     tt_err *e);
/* 1 and *rec filled, 0 at the end, or a negative status (-TT_EIO). */
int corpus_iter_next(corpus_iter *it, corpus_rec *rec, tt_err *e);
uint64_t corpus_iter_skipped(const corpus_iter *it);
/* End the iteration before the record that starts at until, or the first
 * one after it: threads that split the records between them read each
 * its own stretch, [from, until), and a corrupt record is met (counted,
 * reported) by the one whose stretch it starts in.  until must be where
 * a record starts (corpus_latest's positions are). */
void corpus_iter_until(corpus_iter *it, corpus_pos until);
/* Report no corrupt record (still counted): for all but one of the
 * threads that iterate the same records. */
void corpus_iter_quiet(corpus_iter *it);
void corpus_iter_close(corpus_iter *it);
/* Where the latest version of article id starts, as of the open (or the
 * last append through this handle), and whether it is a deletion marker.
 * TT_ENOTFOUND if id was never stored.  A bulk indexer skips every record
 * that is not the latest version of its id, iterating the same handle
 * (the records it knows). */
int corpus_latest(corpus *c, const char *id, corpus_pos *pos, int *deleted);
/* The position just after the last record (where the next append goes). */
corpus_pos corpus_end(corpus *c);
/* The bytes (compressed) of the records from position from to the end:
 * what an iteration from there reads (for a progress's total). */
uint64_t corpus_bytes_from(corpus *c, corpus_pos from);
/* Is p a position a reader may start from: {0,0}, the end, the end of a
 * file, or where a record starts (even a corrupt one: a gzip member) in a
 * file the handle knows?  TT_OK, or TT_EINVAL saying why not (beyond the
 * end, no such file, inside a record): a checkpoint kept for another
 * state of the corpus (one restored from a backup, or that lost its last
 * records). */
int corpus_pos_check(corpus *c, corpus_pos p, tt_err *e);

/* What corpus_find_responses did. */
typedef struct corpus_find_stats {
    uint64_t named;   /* ids that name a record (as said below) */
    uint64_t indexed; /* ... found where the id index keeps their page */
    uint64_t scanned; /* ids found by the scan */
    int scan;         /* the records were scanned (some id was not found
                         through the index) */
} corpus_find_stats;

/* Where the response records named by ids[0..n) start: an id as
 * WARC-Record-ID writes it ("<urn:...>") or as an article's "response"
 * field may ("urn:..."); NULL and anything else name none.  pos[i] is
 * {0,0} (no file has serial 0) when the corpus holds no such response.
 * First where the id index keeps the page of a latest version naming
 * it (each record's header read back and checked: a few kilobytes
 * inflated), then, for the ids not found so, one read of every record
 * until all are found (each gzip member inflated: a scan as long as an
 * index run): the pages of older versions, or of versions whose page the
 * index does not know (docs/FORMAT.md, ids.idx).  A record whose block
 * fails its digest is found (corpus_get_response then says it is
 * damaged); one too damaged to show its id is not (corpus_damaged counts
 * it).  *st (may be NULL) says which way.  TT_EIO when a file cannot be
 * read. */
int corpus_find_responses(corpus *c, const char *const *ids, size_t n,
                          corpus_pos *pos, corpus_find_stats *st,
                          tt_err *e);
/* The response record at pos (corpus_find_responses), into *rec (type,
 * positions, file, record_id, date, target_uri, payload: the HTTP
 * response as stored), valid until the next call on c.  TT_ECORRUPT,
 * naming file and offset, when it cannot be read, its block fails its
 * digest, or it is no response record.  A corpus_put_article that
 * follows, whose response names this record, refers to it
 * (WARC-Refers-To) as to a page just stored, and the id index keeps
 * where it is: an article re-extracted from the page the corpus holds. */
int corpus_get_response(corpus *c, corpus_pos pos, corpus_rec *rec,
                        tt_err *e);

/* What names the corpus: the WARC-Record-ID of its first file's first
 * record (the warcinfo record a writer begins a file with), written into
 * out ("" and TT_ENOTFOUND when there is none or it cannot be read).  A
 * position in one corpus means nothing in another. */
#define CORPUS_IDENTITY_LEN 64
int corpus_identity(corpus *c, char out[CORPUS_IDENTITY_LEN]);

typedef struct corpus_stats {
    uint32_t files;
    uint64_t bytes;          /* compressed size on disk */
    uint64_t records, articles_stored, responses, deletions;
    uint64_t articles;       /* distinct ids currently present */
    uint64_t payload_bytes;  /* uncompressed blocks of article and
                              * response records */
    uint64_t purged;         /* records overwritten by corpus_purge */
} corpus_stats;

int corpus_stats_get(corpus *c, corpus_stats *st, tt_err *e);

/* What corpus_purge did. */
typedef struct corpus_purge_stats {
    uint64_t records;   /* records overwritten in place */
    uint64_t versions;  /* ... of them article versions */
    uint64_t responses; /* ... and responses */
    uint64_t bytes;     /* their bytes */
    uint32_t files;     /* the files they are in */
    char *files_named;  /* their names, ", " between (free it), or NULL */
    uint64_t markers;   /* deletion markers appended */
    uint64_t left;      /* records too short to overwrite: left as they
                         * were, each said through the warning callback */
} corpus_purge_stats;

/* Remove the text of articles ids[0..n) from the corpus files, for a
 * takedown: every record holding it (each version of the id, the
 * responses they name by WARC-Refers-To or their JSON's "response",
 * the responses fetched at one of their URLs) is overwritten in place
 * by a filler record of the same length (warc_filler), so no offset
 * moves; a deletion marker is appended for each id whose latest record
 * is not one.  Crash-safe through DIR/purge.journal: a writer that opens
 * the corpus after a purge was interrupted finishes it (the id index is
 * rebuilt then).  The one operation that rewrites records; the copies
 * of the corpus it cannot reach (backups) are the caller's to purge.
 * A writer's handle only (TT_EINVAL otherwise); TT_ENOTFOUND, nothing
 * done, if an id was never stored; TT_EIO (sticky) on a write error, the
 * journal left for the next writer.  st->files_named is the caller's to
 * free. */
int corpus_purge(corpus *c, const char *const *ids, size_t n,
                 corpus_purge_stats *st, tt_err *e);
/* 1 if DIR/purge.journal is there: a purge under way or interrupted. */
int corpus_purge_pending(corpus *c);

/* Check every record of every file: gzip framing, WARC header, block
 * digest, article JSON.  Each problem goes to the warning callback with
 * file and offset; *nbad counts them, *nrecords every record found (the
 * bad ones too: a damaged gzip member is one).  A record the newest file
 * ends inside while a writer holds the lock is the one being appended:
 * said through the callback, not counted, and the check ends there.  With
 * no writer, such a record (or bytes after the last record where no gzip
 * member starts) is a write interrupted, which the next writer trims:
 * said ("cut short (a write interrupted)"), not counted either.
 * Returns TT_OK when the scan ran (even if nbad > 0). */
int corpus_verify(corpus *c, uint64_t *nrecords, uint64_t *nbad, tt_err *e);

#endif
