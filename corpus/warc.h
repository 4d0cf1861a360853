/* warc.h — WARC 1.1 records, one gzip member per record: a writer that
 * appends records to a file, a reader that decodes the record at a byte
 * offset and finds its way past damage, and a line reader for plain or
 * gzip'd text files (the only door to zlib is warc.c).  The record layout,
 * byte by byte, is the top comment of warc.c.
 *
 * Ownership: a writer owns its file; a reader owns its buffers and borrows
 * the FILE it is given; a warc_record's pointers are valid until the next
 * call on the same reader.  Handles are not thread-safe; there is no global
 * state.  Sizes from input are capped (WARC_MAX_HEADER, WARC_MAX_BLOCK).
 */
#ifndef TT_WARC_H
#define TT_WARC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

#define WARC_MAX_HEADER (64u << 10) /* bytes of a record's header section */
#define WARC_MAX_BLOCK (64u << 20)  /* bytes of a record's block */
#define WARC_MAX_FIELDS 256         /* header lines of a record */
#define WARC_ID_LEN 48 /* "<urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx>" + NUL */

typedef struct warc_field {
    const char *name, *value;
} warc_field;

/* ---- writing ---- */

/* A record to append.  Header values must not contain control characters
 * (TT_EINVAL otherwise, and nothing is written). */
typedef struct warc_out {
    const char *type;         /* WARC-Type: "response", "resource", ... */
    const char *target_uri;   /* WARC-Target-URI, or NULL */
    const char *date;         /* WARC-Date; NULL = now */
    const char *refers_to;    /* WARC-Refers-To ("<urn:...>"), or NULL */
    const char *content_type; /* Content-Type, or NULL */
    const warc_field *extra;  /* more header lines, after the standard ones */
    size_t nextra;
    const void *block;        /* the record block (at most WARC_MAX_BLOCK) */
    size_t block_len;
    /* Also write WARC-Payload-Digest: the digest of the block's bytes after
     * the first blank line (an HTTP message's body, as stored). */
    int payload_digest;
} warc_out;

/* What warc_writer_append wrote. */
typedef struct warc_written {
    char id[WARC_ID_LEN];   /* WARC-Record-ID, "<urn:uuid:...>" */
    uint64_t offset;        /* where the record's gzip member starts */
    uint64_t size;          /* compressed bytes */
    unsigned char digest[20]; /* SHA-1 of the block (WARC-Block-Digest) */
} warc_written;

typedef struct warc_writer warc_writer;

/* Open path for appending, creating it if needed.  An empty file gets a
 * warcinfo record first (WARC-Filename = the path's last component); its
 * id becomes the WARC-Warcinfo-ID of the records that follow (for an
 * existing file, the id of its first record if that is a warcinfo).
 * Appends go through a stdio buffer: call warc_writer_flush to push them
 * to the kernel.  *out is NULL on error. */
int warc_writer_open(const char *path, warc_writer **out, tt_err *e);
/* Append one record.  wr (may be NULL) receives its id, offset, size and
 * block digest.  I/O errors are sticky: later appends and flushes return
 * the first one again. */
int warc_writer_append(warc_writer *w, const warc_out *r, warc_written *wr,
                       tt_err *e);
/* The file size including buffered appends: where the next record goes. */
uint64_t warc_writer_offset(const warc_writer *w);
/* fflush, then fsync when do_fsync. */
int warc_writer_flush(warc_writer *w, int do_fsync, tt_err *e);
/* Flush and close (NULL is fine); returns the first error of the writer's
 * life, or TT_OK. */
int warc_writer_close(warc_writer *w, tt_err *e);

/* A fresh "<urn:uuid:...>" (random, version 4) into id; 0 or -1 if the
 * system has no randomness to give. */
int warc_new_id(char id[WARC_ID_LEN]);
/* The current time as a WARC-Date, "YYYY-MM-DDThh:mm:ssZ". */
void warc_date_now(char buf[32]);
/* For tests and fuzz targets only: with seed != 0, record ids come from a
 * generator seeded with it and the time is 2025-01-01T00:00:00Z, so the
 * same appends give the same bytes in any process (an input that broke a
 * target on a corpus made this way replays); 0 restores the random ids
 * and the clock.  Process-wide, not thread-safe: call it before writing. */
void warc_test_determinism(uint64_t seed);
/* Append s to b percent-encoding the bytes a URI cannot hold as they are:
 * controls, space, '"', '<', '>', '\\', '^', '`', '{', '|', '}', '%'
 * (when not starting a %XX escape) and, if ascii_only, bytes >= 0x80. */
void warc_uri_escape(sbuf *b, const char *s, size_t n, int ascii_only);

/* ---- overwriting in place ---- */

/* A gzip member of exactly len bytes holding a valid WARC 1.1 record that
 * stands for nothing: "WARC-Type: metadata", "WARC-Timtin-Purged: 1", a
 * fresh WARC-Record-ID, WARC-Date date (NULL = now), Content-Type
 * text/plain, a block of padding (a short note, then spaces) with its
 * WARC-Block-Digest and Content-Length.  The record text is deflated as
 * stored blocks, whose size is set to the byte (warc.c, OVERWRITING).
 * What a purge writes over a record, so that no other record moves.
 * Appended to *out.  TT_EINVAL, nothing added, when len is below
 * warc_filler_min() ("too short") or its block would exceed
 * WARC_MAX_BLOCK. */
int warc_filler(uint64_t len, const char *date, sbuf *out, tt_err *e);
/* The least length warc_filler takes (284 bytes). */
uint64_t warc_filler_min(void);

/* ---- reading ---- */

typedef struct warc_record {
    uint64_t offset;  /* where the gzip member starts */
    /* TT_OK: where the next member starts.  TT_ECORRUPT: where to resume
     * (the next decodable member found by resync, or the file size). */
    uint64_t next;
    int truncated;    /* TT_ECORRUPT: the file ends inside this member, or
                       * no member starts at offset, and nothing decodable
                       * follows (a crashed append, or the bytes a power
                       * loss leaves after the last record) */
    int no_member;    /* TT_ECORRUPT: no gzip member starts at offset */
    const char *version;      /* "WARC/1.1" */
    const warc_field *fields; /* header lines, in order */
    size_t nfields;
    const char *block;        /* NUL-terminated for convenience */
    size_t block_len;
    uint64_t member_len;      /* compressed bytes (next - offset) */
} warc_record;

typedef struct warc_reader warc_reader;

warc_reader *warc_reader_new(void);
void warc_reader_free(warc_reader *r); /* NULL is fine */

/* Decode the record whose gzip member starts at offset in f.
 *   TT_OK        *rec filled; rec->next is the exact start of the next
 *                member (the gzip trailer has been checked).
 *   TT_ENOTFOUND offset is at (or past) the end of the file.
 *   TT_ECORRUPT  not a valid record; *e says why; rec->offset, rec->next
 *                (where to resume) and rec->truncated are set.
 *   TT_EIO       the file could not be read.
 * The block digest is not checked here (see warc_check_digests). */
int warc_read(warc_reader *r, FILE *f, uint64_t offset, warc_record *rec,
              tt_err *e);
/* The header section only of the record at offset: *rec's version and
 * fields, what says which record it is, for a few kilobytes inflated
 * instead of the whole member (block NULL, next 0: the member is not
 * read to its end, so neither its trailer nor the block's length is
 * checked: warc_read reads the record).  Statuses as warc_read's. */
int warc_read_head(warc_reader *r, FILE *f, uint64_t offset,
                   warc_record *rec, tt_err *e);
/* The offset of the first gzip member at or after from that decodes to a
 * line "WARC/1.0" or "WARC/1.1", or the file size if there is none. */
int warc_resync(warc_reader *r, FILE *f, uint64_t from, uint64_t *out,
                tt_err *e);
/* A header's value by name (case-insensitive), or NULL. */
const char *warc_get(const warc_record *rec, const char *name);
/* Check WARC-Block-Digest and WARC-Payload-Digest when present and of type
 * sha1 (base32): TT_OK, or TT_ECORRUPT "block digest mismatch". */
int warc_check_digests(const warc_record *rec, tt_err *e);
/* Parse "sha1:BASE32" into d: 0, or -1 if it is not that. */
int warc_parse_sha1(const char *value, unsigned char d[20]);

/* ---- text files, plain or gzip'd ---- */

typedef struct warc_gzfile warc_gzfile;

/* Open path ("-" = standard input) for reading lines; gzip'd content
 * (any number of members) is detected and inflated, anything else is read
 * as it is.  *out is NULL on error (TT_ENOTFOUND, TT_EIO). */
int warc_gzfile_open(const char *path, warc_gzfile **out, tt_err *e);
/* The next line, without its "\n", in *line (valid until the next call;
 * NUL-terminated).  Returns 1, 0 at the end, TT_EINVAL as -TT_EINVAL for
 * a line longer than max_line (skipped: the next call reads the line
 * after it), or -TT_EIO on a read or decompression error. */
int warc_gzfile_getline(warc_gzfile *f, size_t max_line, const char **line,
                        size_t *len, tt_err *e);
/* Bytes of (uncompressed) text read so far. */
uint64_t warc_gzfile_bytes(const warc_gzfile *f);
/* The descriptor read from (a signal handler may put /dev/null in its
 * place with dup2 to end the input at once). */
int warc_gzfile_fd(const warc_gzfile *f);
void warc_gzfile_close(warc_gzfile *f); /* NULL is fine */

#endif
