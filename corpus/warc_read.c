/* warc_read.c — the WARC reader of warc.h (warc_read, warc_read_head,
 * warc_resync, warc_get), as the top comment of warc.c describes READING.
 * Apart from the writer and the digests, so that a program that only
 * reads records (the searcher, reading an article's whole text for its
 * snippet) links zlib alone, not OpenSSL: loading libcrypto costs a
 * process about half a millisecond.
 */
#include "warc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (64u << 10) /* file read size */

/* ---- reading ---- */

struct warc_reader {
    z_stream z;
    unsigned char *in;     /* CHUNK bytes of compressed input */
    char *out;             /* the record text */
    size_t out_len, out_cap;
    char *hdr;             /* a copy of the header section, split in place */
    size_t hdr_cap;
    warc_field fields[WARC_MAX_FIELDS];
};

warc_reader *warc_reader_new(void)
{
    warc_reader *r = xcalloc(1, sizeof *r);
    if (inflateInit2(&r->z, 31) != Z_OK) {
        fprintf(stderr, "%s: out of memory (inflateInit2)\n", tt_progname());
        abort();
    }
    r->in = xmalloc(CHUNK);
    return r;
}

void warc_reader_free(warc_reader *r)
{
    if (!r)
        return;
    inflateEnd(&r->z);
    free(r->in);
    free(r->out);
    free(r->hdr);
    free(r);
}

/* Read up to n bytes at off into buf: the count, or -1 on error. */
static ssize_t read_at(FILE *f, uint64_t off, void *buf, size_t n)
{
    size_t got;
    if (fseeko(f, (off_t)off, SEEK_SET) != 0)
        return -1;
    got = fread(buf, 1, n, f);
    if (got < n && ferror(f)) {
        clearerr(f);
        return -1;
    }
    clearerr(f);
    return (ssize_t)got;
}

static uint64_t file_size(FILE *f)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0)
        return 0;
    return (uint64_t)st.st_size;
}

/* Does a gzip member start at off that decodes to "WARC/1.x\r\n"? */
static int probe(warc_reader *r, FILE *f, uint64_t off)
{
    unsigned char in[4096];
    unsigned char out[10];
    uint64_t pos = off;
    int zr = Z_OK;
    inflateReset(&r->z);
    r->z.next_out = out;
    r->z.avail_out = sizeof out;
    while (r->z.avail_out && pos - off < (64u << 10)) {
        ssize_t n = read_at(f, pos, in, sizeof in);
        if (n <= 0)
            break;
        pos += (uint64_t)n;
        r->z.next_in = in;
        r->z.avail_in = (uInt)n;
        while (r->z.avail_in && r->z.avail_out) {
            zr = inflate(&r->z, Z_NO_FLUSH);
            if (zr != Z_OK)
                break;
        }
        if (zr != Z_OK)
            break;
    }
    return r->z.avail_out == 0 && !memcmp(out, "WARC/1.", 7) &&
           out[7] >= '0' && out[7] <= '9' && out[8] == '\r' && out[9] == '\n';
}

int warc_resync(warc_reader *r, FILE *f, uint64_t from, uint64_t *out,
                tt_err *e)
{
    uint64_t size = file_size(f), pos = from;
    while (pos + 3 <= size) {
        ssize_t n = read_at(f, pos, r->in, CHUNK);
        if (n < 0)
            return tt_seterr(e, TT_EIO, "read error: %s", strerror(errno));
        if (n < 3)
            break;
        for (ssize_t i = 0; i + 2 < n; i++) {
            if (r->in[i] == 0x1f && r->in[i + 1] == 0x8b &&
                r->in[i + 2] == 0x08) {
                uint64_t cand = pos + (uint64_t)i;
                if (probe(r, f, cand)) {
                    *out = cand;
                    return TT_OK;
                }
                /* probe clobbered nothing of r->in: it has its own buffer */
            }
        }
        pos += (uint64_t)n - 2; /* keep 2 bytes of overlap */
    }
    *out = size;
    return TT_OK;
}

/* Split the header section (hdr_len bytes of r->out, blank line included)
 * into version and fields. */
static int parse_header(warc_reader *r, size_t hdr_len, warc_record *rec,
                        uint64_t *clen, tt_err *e)
{
    char *h, *p, *end, *line_end;
    size_t nf = 0;
    const char *cl = NULL;
    xgrow(&r->hdr, &r->hdr_cap, hdr_len + 1, 1);
    memcpy(r->hdr, r->out, hdr_len);
    h = r->hdr;
    h[hdr_len - 2] = '\0'; /* drop the blank line's CR LF */
    end = h + hdr_len - 2;
    /* version line */
    line_end = strstr(h, "\r\n");
    if (!line_end)
        line_end = end;
    *line_end = '\0';
    if (strncmp(h, "WARC/1.", 7) != 0 || h[7] < '0' || h[7] > '9' || h[8])
        return tt_seterr(e, TT_ECORRUPT, "not a WARC/1.x record");
    rec->version = h;
    p = line_end < end ? line_end + 2 : end;
    /* folded lines (starting with SP/HT) continue the previous one */
    for (char *q = p; (q = strstr(q, "\r\n")) != NULL; q += 2)
        if (q[2] == ' ' || q[2] == '\t')
            q[0] = q[1] = ' ';
    while (p < end) {
        char *colon, *name, *value, *t;
        line_end = strstr(p, "\r\n");
        if (!line_end)
            line_end = end;
        *line_end = '\0';
        colon = strchr(p, ':');
        if (!colon || colon == p)
            return tt_seterr(e, TT_ECORRUPT, "malformed WARC header line");
        *colon = '\0';
        name = p;
        for (t = name; *t; t++)
            if (*t == ' ' || *t == '\t')
                return tt_seterr(e, TT_ECORRUPT, "malformed WARC header name");
        value = colon + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        t = value + strlen(value);
        while (t > value && (t[-1] == ' ' || t[-1] == '\t'))
            *--t = '\0';
        if (nf == WARC_MAX_FIELDS)
            return tt_seterr(e, TT_ECORRUPT, "more than %d WARC header lines",
                             WARC_MAX_FIELDS);
        r->fields[nf].name = name;
        r->fields[nf].value = value;
        nf++;
        if (!strcasecmp(name, "Content-Length"))
            cl = value;
        p = line_end < end ? line_end + 2 : end;
    }
    rec->fields = r->fields;
    rec->nfields = nf;
    if (!cl || tt_parse_u64(cl, UINT64_MAX, clen) != 0)
        return tt_seterr(e, TT_ECORRUPT, "missing or bad Content-Length");
    if (*clen > WARC_MAX_BLOCK)
        return tt_seterr(e, TT_ECORRUPT, "block of %llu bytes exceeds the "
                         "%u-byte limit", (unsigned long long)*clen,
                         WARC_MAX_BLOCK);
    return TT_OK;
}

static void *find_crlf2(const char *s, size_t n)
{
    return memmem(s, n, "\r\n\r\n", 4);
}

/* warc_read, or with head_only warc_read_head: back as soon as the
 * header section is parsed. */
static int read_record(warc_reader *r, FILE *f, uint64_t offset,
                       int head_only, warc_record *rec, tt_err *e)
{
    uint64_t pos = offset, clen = 0;
    size_t hdr_len = 0, expected = 0, searched = 0;
    int parsed = 0, zr, rc;
    ssize_t n;

    memset(rec, 0, sizeof *rec);
    rec->offset = offset;
    n = read_at(f, pos, r->in, CHUNK);
    if (n < 0)
        return tt_seterr(e, TT_EIO, "read error at offset %llu: %s",
                         (unsigned long long)offset, strerror(errno));
    if (n == 0)
        return tt_seterr(e, TT_ENOTFOUND, "end of file");
    pos += (uint64_t)n;
    if (n >= 3 && !(r->in[0] == 0x1f && r->in[1] == 0x8b && r->in[2] == 0x08)) {
        tt_seterr(e, TT_ECORRUPT, "no gzip member starts here");
        rec->no_member = 1;
        rec->truncated = 1; /* unless a member follows (resync) */
        goto resync;
    }
    inflateReset(&r->z);
    r->z.next_in = r->in;
    r->z.avail_in = (uInt)n;
    r->out_len = 0;
    for (;;) {
        size_t limit = parsed ? expected + 1 : WARC_MAX_HEADER + 1;
        if (r->out_len >= limit) {
            if (parsed)
                tt_seterr(e, TT_ECORRUPT, "record longer than its "
                                          "Content-Length");
            else
                tt_seterr(e, TT_ECORRUPT, "WARC header section longer "
                                          "than %u bytes", WARC_MAX_HEADER);
            goto resync;
        }
        if (r->out_len == r->out_cap) {
            size_t want = r->out_cap < CHUNK ? CHUNK : r->out_cap * 2;
            if (want > limit)
                want = limit;
            r->out = xrealloc(r->out, want + 1);
            r->out_cap = want;
        }
        r->z.next_out = (Bytef *)r->out + r->out_len;
        r->z.avail_out = (uInt)(r->out_cap - r->out_len);
        zr = inflate(&r->z, Z_NO_FLUSH);
        r->out_len = r->out_cap - r->z.avail_out;
        if (!parsed) {
            size_t from = searched > 3 ? searched - 3 : 0;
            char *p = find_crlf2(r->out + from, r->out_len - from);
            searched = r->out_len;
            if (p) {
                hdr_len = (size_t)(p - r->out) + 4;
                if (hdr_len > WARC_MAX_HEADER) {
                    tt_seterr(e, TT_ECORRUPT, "WARC header section longer "
                                              "than %u bytes", WARC_MAX_HEADER);
                    goto resync;
                }
                if ((rc = parse_header(r, hdr_len, rec, &clen, e)))
                    goto resync_or_next;
                if (head_only)
                    return TT_OK; /* (next, block: unknown) */
                expected = hdr_len + (size_t)clen + 4;
                parsed = 1;
                if (r->out_cap < expected) { /* exact room, +1 to see more */
                    r->out = xrealloc(r->out, expected + 2);
                    r->out_cap = expected + 1;
                }
            }
        }
        if (parsed && r->out_len > expected) {
            tt_seterr(e, TT_ECORRUPT, "record longer than its Content-Length");
            goto resync;
        }
        if (zr == Z_STREAM_END)
            break;
        if (zr == Z_OK || zr == Z_BUF_ERROR) {
            if (r->z.avail_in == 0) {
                n = read_at(f, pos, r->in, CHUNK);
                if (n < 0)
                    return tt_seterr(e, TT_EIO, "read error at offset %llu: %s",
                                     (unsigned long long)pos, strerror(errno));
                if (n == 0) {
                    tt_seterr(e, TT_ECORRUPT, "file ends inside the record");
                    rec->truncated = 1;
                    goto resync;
                }
                pos += (uint64_t)n;
                r->z.next_in = r->in;
                r->z.avail_in = (uInt)n;
            }
            continue;
        }
        tt_seterr(e, TT_ECORRUPT, "gzip: %s",
                  r->z.msg ? r->z.msg : "cannot inflate");
        goto resync;
    }
    rec->member_len = r->z.total_in;
    rec->next = offset + r->z.total_in;
    if (!parsed) {
        tt_seterr(e, TT_ECORRUPT, "no end of the WARC header section");
        return TT_ECORRUPT;
    }
    if (r->out_len != expected) {
        tt_seterr(e, TT_ECORRUPT, "record shorter than its Content-Length");
        return TT_ECORRUPT;
    }
    if (memcmp(r->out + expected - 4, "\r\n\r\n", 4) != 0) {
        tt_seterr(e, TT_ECORRUPT, "record does not end with CR LF CR LF");
        return TT_ECORRUPT;
    }
    r->out[hdr_len + clen] = '\0';
    rec->block = r->out + hdr_len;
    rec->block_len = (size_t)clen;
    return TT_OK;

resync_or_next:
    /* The WARC text is bad; finish the member to learn where it ends. */
    for (;;) {
        char sink[4096];
        r->z.next_out = (Bytef *)sink;
        r->z.avail_out = sizeof sink;
        zr = inflate(&r->z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            rec->next = offset + r->z.total_in;
            rec->fields = NULL;
            rec->nfields = 0;
            rec->version = NULL;
            return TT_ECORRUPT;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR)
            break;
        if (r->z.avail_in == 0) {
            if (r->z.total_out > (uint64_t)WARC_MAX_BLOCK + WARC_MAX_HEADER)
                break;
            n = read_at(f, pos, r->in, CHUNK);
            if (n <= 0) {
                rec->truncated = n == 0;
                break;
            }
            pos += (uint64_t)n;
            r->z.next_in = r->in;
            r->z.avail_in = (uInt)n;
        }
    }
resync:
    rec->fields = NULL;
    rec->nfields = 0;
    rec->version = NULL;
    {
        tt_err e2;
        uint64_t next = 0;
        if (warc_resync(r, f, offset + 1, &next, &e2) != TT_OK) {
            if (e)
                *e = e2;
            return TT_EIO;
        }
        rec->next = next;
        if (rec->truncated && next < file_size(f))
            rec->truncated = 0; /* a good member follows: damage, not a cut */
    }
    return TT_ECORRUPT;
}

int warc_read(warc_reader *r, FILE *f, uint64_t offset, warc_record *rec,
              tt_err *e)
{
    return read_record(r, f, offset, 0, rec, e);
}

int warc_read_head(warc_reader *r, FILE *f, uint64_t offset,
                   warc_record *rec, tt_err *e)
{
    return read_record(r, f, offset, 1, rec, e);
}

const char *warc_get(const warc_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (!strcasecmp(rec->fields[i].name, name))
            return rec->fields[i].value;
    return NULL;
}

