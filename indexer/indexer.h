/* indexer.h — corpus -> Xapian db.
 *
 * idx_run reads the corpus records after the checkpoint stored in the db
 * (metadata META_CHECKPOINT), turns each article into a document with the
 * analysis of lib/analyze.c and replaces the document of the same id (or
 * deletes it for a deletion marker).  The checkpoint is set in the same
 * commit as the documents it covers, so a killed run resumes without loss
 * or duplication.
 *
 * A db that does not exist yet, or --full, gets the bulk build: one worker
 * thread per core (IDX_MAX_JOBS at most), each indexing the articles of
 * its own stretch of the corpus into its own small dbs (DB.new.K.NNNN),
 * then these are merged by compaction into
 * one db that is swapped in atomically; readers keep answering from the old
 * db meanwhile.  The workers read one snapshot of the corpus (a reader
 * they share: its id index and the records it covers), whose end is the
 * checkpoint.  Incremental runs use one writer on the db itself.
 *
 * One writer at a time: a lock file beside the db
 * ("DB.lock"); a second writer gets TT_ELOCKED, or waits with o->wait
 * (after a line on stderr saying it waits).
 */
#ifndef TT_INDEXER_H
#define TT_INDEXER_H

#include <stdint.h>

#include "article.h"
#include "corpus.h"
#include "util.h"
#include "xap.h"

typedef struct idx_stats idx_stats;

typedef struct idx_opts {
    const char *corpus;    /* corpus directory */
    const char *db;        /* db directory */
    int full;              /* rebuild from scratch (bulk build), then swap */
    int compact;           /* compact the db after the run (with
                              shard_year: every year's db) */
    unsigned jobs;         /* bulk build threads (shards), IDX_MAX_JOBS at
                              most; 0: one per core, as many at most */
    int shard_year;        /* db is a directory of one db per year (see
                              indexer.c), searched as one through its stub
                              file DB/XAPIANDB */
    int wait;              /* wait for the writer lock */
    int nosync;            /* no fsync on commit (tests, scratch builds) */
    uint32_t commit_every; /* articles per commit and writer (bounds memory);
                              0: IDX_COMMIT_EVERY */
    uint32_t subdb_docs;   /* bulk build: articles per sub-db (bounds
                              memory); 0: IDX_SUBDB_DOCS */
    /* Progress: called about twice a second with the counts so far, and
     * once at the end with done = 1.  May be NULL. */
    void (*progress)(void *arg, const idx_stats *st, int done);
    void *progress_arg;
    /* Tests: called once the run has opened the corpus (loaded its id
     * index: the snapshot the run reads), before it reads a record.  May
     * be NULL. */
    void (*snapshot)(void *arg);
    void *snapshot_arg;
    /* Tests: called after each commit of an incremental run but its last
     * and, with shard_year, after each commit of a year's db and each
     * writing of the stub DB/XAPIANDB (what a reader opening DB sees
     * changes only there).  May be NULL. */
    void (*committed)(void *arg);
    void *committed_arg;
} idx_opts;

struct idx_stats {
    uint64_t records;       /* corpus records read */
    uint64_t added, replaced, deleted;
    uint64_t superseded;    /* bulk: older versions not indexed */
    uint64_t skipped_empty; /* no title and no text */
    uint64_t skipped_bad;   /* article JSON that does not parse */
    uint64_t bad_date;      /* indexed, but published unusable */
    uint64_t no_date;       /* indexed, but without a published date */
    uint64_t truncated;     /* articles whose text was cut at
                               IDX_MAX_TEXT */
    uint64_t corrupt;       /* corrupt corpus records skipped */
    uint64_t older;         /* bulk: indexed from an older version, the
                               latest one unreadable (also in added) */
    uint64_t bytes;         /* article JSON bytes read */
    uint64_t total_bytes;   /* corpus bytes to read (for an ETA), estimate */
    uint64_t done_bytes;
    double elapsed;         /* seconds */
};

#define IDX_COMMIT_EVERY 10000
/* Bulk builds write sub-dbs of this many documents, merged at the end:
 * Xapian's in-memory changes stay small (in cache), which keeps adding
 * fast (measured: 300 beats 1,000 by 7% of CPU, 4,000 loses 18%). */
#define IDX_SUBDB_DOCS 300
#define IDX_MAX_FANIN 1024 /* sub-dbs merged by one compaction, at most */
#define IDX_FILES_PER_DB 6 /* files a db being merged keeps open */
#define IDX_SPARE_FILES 4  /* and files a merge opens beside them */
#define IDX_MAX_JOBS 8

/* Text indexed per article at most (bytes): its title, sapo, captions and
 * body in turn, cut at a character boundary; what follows is left out. */
#define IDX_MAX_TEXT (1u << 20)
/* Bytes of text (the sapo, then the body) kept in the document data for
 * snippets, as omindex keeps a 512-byte sample; cut at white space. */
#define IDX_MAX_DATA_TEXT 512
/* Bytes of the body's normal form, at most, that stand for an empty lead
 * in the near-duplicate key: the first paragraph, and the next ones while
 * they make less than a quarter of it (a dateline), not a line added at
 * the end ("Theo …"). */
#define IDX_DUP_BODY 256

/* Building one document (used by idx_run, and by tests that index without a
 * corpus).  A builder holds a tokenizer and buffers: one per thread. */
typedef struct idx_builder idx_builder;
idx_builder *idx_builder_new(void);
void idx_builder_free(idx_builder *b);
/* The document of article a (with its id term: an_id_term), or NULL when
 * it has nothing to index (no title, lead or body words: st->skipped_empty
 * is the caller's to count).  Counts bad dates and cut texts in *st.
 * place: where in the corpus the record of this version starts (NULL:
 * unknown), kept in the document data when the snippet text stored there
 * is not the whole text (DD_PLACE). */
xap_doc *idx_build_doc(idx_builder *b, const article *a,
                       const corpus_pos *place, idx_stats *st);

/* Run the indexer.  Returns TT_OK (even when articles were skipped: see
 * *st), TT_EINVAL (a db path or a db the options do not fit, nothing
 * written: one that is not a db, a mount point to swap, a year's db of a
 * db per year, a checkpoint that does not fit the corpus...), TT_ELOCKED
 * (also: with shard_year, a DB/YEAR.lock of an older version held),
 * TT_EVERSION (db built by another analyzer: run with full), TT_ENOTFOUND
 * (no corpus), TT_EIO, TT_ECORRUPT or TT_EXAPIAN. */
int idx_run(const idx_opts *o, idx_stats *st, tt_err *e);

#endif
