/* warc.c — WARC 1.1 records, one gzip member per record (see warc.h).
 * The only file that includes zlib.h.
 *
 * FILES.  A .warc.gz file is a plain concatenation of gzip members
 * (RFC 1952), exactly one WARC record per member, so `zcat FILE` prints the
 * WARC text, a damaged member costs one record, and any WARC tool (warcio,
 * pywb, wget, Heritrix) reads the files.  A member as written here:
 *
 *   offset  bytes        meaning
 *   0       1f 8b        gzip magic
 *   2       08           CM: deflate
 *   3       00           FLG: no name, comment, extra field, header CRC
 *   4       00 00 00 00  MTIME: none (the date is in the record)
 *   8       00           XFL
 *   9       03           OS: Unix
 *   10      ...          deflate data of the record text below
 *   end-8   CRC-32       of the record text, 4 bytes little-endian
 *   end-4   ISIZE        record text length mod 2^32, little-endian
 *
 * RECORD TEXT.  Every line ends with CR LF:
 *
 *   WARC/1.1                          version line
 *   WARC-Type: resource               header lines "Name: value", in this
 *   WARC-Record-ID: <urn:uuid:...>      order (those that apply):
 *   WARC-Date: 2025-01-31T12:00:00Z       WARC-Type, WARC-Record-ID (random
 *   ...                                   UUID v4), WARC-Date (UTC, time of
 *                                         writing), WARC-Filename (warcinfo
 *                                         only), WARC-Target-URI,
 *                                         WARC-Refers-To, WARC-Warcinfo-ID,
 *                                         extra lines (below),
 *                                         Content-Type, WARC-Block-Digest,
 *                                         WARC-Payload-Digest, Content-Length
 *   (empty line)                      end of the header section
 *   <block>                           exactly Content-Length bytes
 *   (empty line)(empty line)          "\r\n\r\n" closes the record
 *
 * Digests are "sha1:" + the 32-character RFC 4648 base32 SHA-1 (upper
 * case): WARC-Block-Digest of the whole block; WARC-Payload-Digest, on
 * responses, of the bytes after the block's first "\r\n\r\n" (the HTTP
 * body as stored: the crawler stores bodies with transfer coding removed).
 *
 * RECORDS TIMTIN WRITES.
 *   warcinfo   first record of every file.  Content-Type:
 *              application/warc-fields; block "software: timtin/VERSION",
 *              "format: WARC File Format 1.1", "conformsTo: <the WARC 1.1
 *              spec URL>", "description: ..." lines.  WARC-Filename names
 *              the file.
 *   response   a raw HTTP response as fetched.  WARC-Target-URI is the
 *              fetched URL; Content-Type: application/http;msgtype=response;
 *              block = status line, headers, blank line, body.
 *   resource   an article version (written by corpus.c).  Content-Type:
 *              application/json; block = the article's deterministic JSON
 *              (lib/article.h), so the block digest is the content digest
 *              used for de-duplication.  WARC-Target-URI = the article's url,
 *              or urn:timtin:article:<id> when it has none (URIs are
 *              percent-encoded to ASCII; in the URN every byte of the id
 *              but unreserved, sub-delims, ':', '@' and '/' is, '%' too,
 *              since 2026-11-30: readers take the id from the next
 *              line).  Extra lines:
 *                WARC-Timtin-Article-Id: <id, with '%', controls and space
 *                                         percent-encoded>
 *                WARC-Timtin-Deleted: 1  (only on deletion markers, whose
 *                                         block is {"id":...,"deleted":true})
 *                WARC-Refers-To: <urn:uuid:...> of the response record the
 *                                         article was extracted from, if it
 *                                         is in the same corpus (the JSON's
 *                                         "response" may name one of
 *                                         another: an imported export).
 *   Why resource: WARC 1.1 defines it as a resource "without full protocol
 *   response information", which an article is, whether imported from
 *   JSONL or extracted from a page.  "conversion" would fit extracted
 *   articles but not imported ones, and one record type for every article
 *   version keeps readers simple; generic tools list articles as
 *   application/json resources at their own URL, which is what they are.
 *   WARC 1.1 names WARC-Refers-To for revisit, conversion and metadata
 *   records and forbids it nowhere, so it links article to page here too.
 *   Tools ignore the WARC-Timtin-* fields; timtin needs them to know a
 *   record's article id (and deletion) without parsing the JSON.
 *
 * OVERWRITING.  A purge (corpus.c) overwrites a record in place with one
 * of the same byte length, so that no offset moves: warc_filler writes a
 * member of any length from warc_filler_min() up, holding a record
 *   WARC-Type: metadata, WARC-Record-ID, WARC-Date, WARC-Timtin-Purged: 1,
 *   Content-Type: text/plain, WARC-Block-Digest, Content-Length
 * and a block of padding: a line saying what it is, then spaces.  Its
 * deflate data are stored blocks (BTYPE 00: a 3-bit header padded to the
 * byte, LEN and NLEN, up to 65535 bytes as they are), so the member is
 *   10 (gzip header) + x + 5 * nblocks + text + 8 (CRC-32, ISIZE)
 * bytes, where text grows one byte with each byte of padding and one more
 * when Content-Length gains a digit.  The byte that jump skips is made up
 * by x, 0 to 2 bytes of empty fixed-Huffman blocks (BTYPE 01, just the
 * end-of-block code: 10 bits each) before the first stored block, and a
 * stored block more than the text needs (an empty one) fills the 5 bytes
 * a block limit would skip.  Any inflater reads them: RFC 1951 allows
 * every block type anywhere.
 *
 * READING.  warc_read inflates one member (windowBits 31: gzip only; zlib
 * stops at the member's end, so total_in is its exact compressed length
 * and the next member's offset), checks the version line, header lines and
 * Content-Length, and that the text ends right after block + CRLF CRLF.
 * Input sizes are capped: header section 64 KiB, block 64 MiB.  Damage is
 * TT_ECORRUPT with a resume offset: the member's end when gzip decoded
 * fine but the WARC text is wrong, else the next offset holding 1f 8b 08
 * that starts a member decoding to "WARC/1.x\r\n" (warc_resync).  A member
 * the file ends inside, or bytes where no member starts, with nothing
 * decodable after it, is "truncated": an append cut short (or what a
 * power loss leaves after the last record), which the corpus cuts off
 * when a writer opens.
 */
#include "warc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "sha1.h"

#define CHUNK (64u << 10)         /* file read size */
#define OUT_BUFSIZE (256u << 10)  /* stdio buffer of a writer */

/* ---- small helpers ---- */

/* warc_test_determinism: on, and the generator's state */
static int test_on;
static uint64_t test_state;

void warc_test_determinism(uint64_t seed)
{
    test_on = seed != 0;
    test_state = seed;
}

int warc_new_id(char id[WARC_ID_LEN])
{
    unsigned char b[16];
    size_t got = 0;
    static const char hex[] = "0123456789abcdef";
    char *p = id;
    for (; test_on && got < sizeof b; got++) { /* splitmix64 */
        uint64_t z = (test_state += 0x9e3779b97f4a7c15u);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        b[got] = (unsigned char)(z ^ (z >> 31));
    }
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) { /* no getrandom: fall back to the device */
            int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
            ssize_t k = fd < 0 ? -1 : read(fd, b, sizeof b);
            if (fd >= 0)
                close(fd);
            if (k != (ssize_t)sizeof b)
                return -1;
            got = sizeof b;
            break;
        }
        got += (size_t)n;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    p += sprintf(p, "<urn:uuid:");
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p++ = '>';
    *p = '\0';
    return 0;
}

void warc_date_now(char buf[32])
{
    time_t t = test_on ? 1735689600 : time(NULL); /* 2025-01-01 */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

void warc_uri_escape(sbuf *b, const char *s, size_t n, int ascii_only)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int esc = c <= 0x20 || c == 0x7f || (c >= 0x80 && ascii_only) ||
                  strchr("\"<>\\^`{|}", c) != NULL;
        if (c == '%')
            esc = !(i + 2 < n && is_hex(s[i + 1]) && is_hex(s[i + 2]));
        if (c && !esc) {
            sbuf_addc(b, (char)c);
        } else {
            char e3[3] = {'%', hex[c >> 4], hex[c & 15]};
            sbuf_add(b, e3, 3);
        }
    }
}

int warc_parse_sha1(const char *value, unsigned char d[20])
{
    if (!value || strncasecmp(value, "sha1:", 5) != 0)
        return -1;
    return sha1_base32_decode(value + 5, strlen(value + 5), d);
}

/* ---- writing ---- */

struct warc_writer {
    FILE *f;
    char *path;
    uint64_t off;         /* file size including buffered appends */
    z_stream z;
    sbuf hdr, out;        /* record header text, compressed member */
    char warcinfo_id[WARC_ID_LEN];
    tt_err err;           /* first I/O error, sticky */
};

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A header value must be one line of printable text. */
static int bad_value(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 1;
    return 0;
}

static int bad_name(const char *v)
{
    if (!*v)
        return 1;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || *p == ':')
            return 1;
    return 0;
}

static void add_field(sbuf *b, const char *name, const char *value)
{
    if (value) {
        sbuf_adds(b, name);
        sbuf_add(b, ": ", 2);
        sbuf_adds(b, value);
        sbuf_add(b, "\r\n", 2);
    }
}

static void add_digest(sbuf *b, const char *name, const unsigned char d[20])
{
    char b32[SHA1_B32_LEN + 1];
    sha1_base32(d, b32);
    sbuf_adds(b, name);
    sbuf_add(b, ": sha1:", 7);
    sbuf_add(b, b32, SHA1_B32_LEN);
    sbuf_add(b, "\r\n", 2);
}

/* Deflate (p, n) into w->out; flush is Z_NO_FLUSH or Z_FINISH. */
static void deflate_piece(warc_writer *w, const void *p, size_t n, int flush)
{
    int zr;
    w->z.next_in = (Bytef *)(uintptr_t)p;
    w->z.avail_in = (uInt)n;
    for (;;) {
        xgrow(&w->out.s, &w->out.cap, w->out.len + 65536, 1);
        w->z.next_out = (Bytef *)w->out.s + w->out.len;
        w->z.avail_out = (uInt)(w->out.cap - w->out.len);
        zr = deflate(&w->z, flush);
        w->out.len = w->out.cap - w->z.avail_out;
        if (zr == Z_STREAM_ERROR) {
            fprintf(stderr, "%s: deflate failed\n", tt_progname());
            abort(); /* only a bug gets here */
        }
        if (flush == Z_FINISH ? zr == Z_STREAM_END
                              : w->z.avail_in == 0 && w->z.avail_out != 0)
            break;
    }
}

static int put_warcinfo(warc_writer *w, tt_err *e)
{
    const char *slash = strrchr(w->path, '/');
    warc_field fn = {"WARC-Filename", slash ? slash + 1 : w->path};
    static const char info[] =
        "software: timtin/" TT_VERSION "\r\n"
        "format: WARC File Format 1.1\r\n"
        "conformsTo: https://iipc.github.io/warc-specifications/"
        "specifications/warc-format/warc-1.1/\r\n"
        "description: timtin news corpus: raw HTTP responses and the "
        "articles extracted or imported\r\n";
    warc_out r = {0};
    warc_written wr;
    int rc;
    r.type = "warcinfo";
    r.content_type = "application/warc-fields";
    r.extra = &fn;
    r.nextra = 1;
    r.block = info;
    r.block_len = sizeof info - 1;
    if ((rc = warc_writer_append(w, &r, &wr, e)) == TT_OK)
        memcpy(w->warcinfo_id, wr.id, WARC_ID_LEN);
    return rc;
}

/* The id of the warcinfo record opening an existing file, if any. */
static void find_warcinfo(warc_writer *w)
{
    FILE *f = fopen(w->path, "rb");
    warc_reader *r;
    warc_record rec;
    const char *t, *id;
    if (!f)
        return;
    r = warc_reader_new();
    if (warc_read(r, f, 0, &rec, NULL) == TT_OK &&
        (t = warc_get(&rec, "WARC-Type")) && !strcmp(t, "warcinfo") &&
        (id = warc_get(&rec, "WARC-Record-ID")) && strlen(id) < WARC_ID_LEN &&
        !bad_value(id))
        strcpy(w->warcinfo_id, id);
    warc_reader_free(r);
    fclose(f);
}

int warc_writer_open(const char *path, warc_writer **out, tt_err *e)
{
    warc_writer *w = NULL;
    struct stat st;
    int rc = TT_OK;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    *out = NULL;
    if (fd < 0)
        return tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    w = xcalloc(1, sizeof *w);
    w->path = xstrdup(path);
    w->off = (uint64_t)st.st_size;
    if (!(w->f = fdopen(fd, "a"))) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        goto fail;
    }
    setvbuf(w->f, NULL, _IOFBF, OUT_BUFSIZE);
    if (deflateInit2(&w->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        fprintf(stderr, "%s: out of memory (deflateInit2)\n", tt_progname());
        abort();
    }
    if (w->off == 0) {
        if ((rc = put_warcinfo(w, e)))
            goto fail;
    } else {
        find_warcinfo(w);
    }
    *out = w;
    return TT_OK;
fail:
    warc_writer_close(w, NULL);
    return rc;
}

int warc_writer_append(warc_writer *w, const warc_out *r, warc_written *wr,
                       tt_err *e)
{
    char id[WARC_ID_LEN], date[32], len[32];
    unsigned char digest[20], pdigest[20];
    int want_payload = 0;
    if (w->err.code) {
        if (e)
            *e = w->err;
        return w->err.code;
    }
    if (!r->type || bad_name(r->type) ||
        (r->target_uri && bad_value(r->target_uri)) ||
        (r->date && bad_value(r->date)) ||
        (r->refers_to && bad_value(r->refers_to)) ||
        (r->content_type && bad_value(r->content_type)))
        return tt_seterr(e, TT_EINVAL, "WARC header value with a control "
                                       "character or empty type");
    for (size_t i = 0; i < r->nextra; i++)
        if (bad_name(r->extra[i].name) || bad_value(r->extra[i].value))
            return tt_seterr(e, TT_EINVAL, "bad WARC header line %s",
                             r->extra[i].name);
    if (r->block_len > WARC_MAX_BLOCK)
        return tt_seterr(e, TT_EINVAL, "record block of %zu bytes exceeds "
                         "the %u-byte limit", r->block_len, WARC_MAX_BLOCK);
    if (warc_new_id(id) != 0)
        return tt_seterr(e, TT_EIO, "no random numbers for a record id");
    if (r->date)
        snprintf(date, sizeof date, "%s", r->date);
    else
        warc_date_now(date);
    sha1(r->block, r->block_len, digest);
    if (r->payload_digest) {
        const char *b = r->block;
        const char *end = r->block_len >= 4 ? memmem(b, r->block_len, "\r\n\r\n", 4) : NULL;
        if (end) {
            size_t skip = (size_t)(end - b) + 4;
            sha1(b + skip, r->block_len - skip, pdigest);
            want_payload = 1;
        }
    }

    sbuf_reset(&w->hdr);
    sbuf_add(&w->hdr, "WARC/1.1\r\n", 10);
    add_field(&w->hdr, "WARC-Type", r->type);
    add_field(&w->hdr, "WARC-Record-ID", id);
    add_field(&w->hdr, "WARC-Date", date);
    for (size_t i = 0; i < r->nextra; i++) /* WARC-Filename goes up here */
        if (!strcasecmp(r->extra[i].name, "WARC-Filename"))
            add_field(&w->hdr, r->extra[i].name, r->extra[i].value);
    add_field(&w->hdr, "WARC-Target-URI", r->target_uri);
    add_field(&w->hdr, "WARC-Refers-To", r->refers_to);
    if (w->warcinfo_id[0] && strcmp(r->type, "warcinfo") != 0)
        add_field(&w->hdr, "WARC-Warcinfo-ID", w->warcinfo_id);
    for (size_t i = 0; i < r->nextra; i++)
        if (strcasecmp(r->extra[i].name, "WARC-Filename"))
            add_field(&w->hdr, r->extra[i].name, r->extra[i].value);
    add_field(&w->hdr, "Content-Type", r->content_type);
    add_digest(&w->hdr, "WARC-Block-Digest", digest);
    if (want_payload)
        add_digest(&w->hdr, "WARC-Payload-Digest", pdigest);
    snprintf(len, sizeof len, "%zu", r->block_len);
    add_field(&w->hdr, "Content-Length", len);
    sbuf_add(&w->hdr, "\r\n", 2);

    deflateReset(&w->z);
    sbuf_reset(&w->out);
    deflate_piece(w, w->hdr.s, w->hdr.len, Z_NO_FLUSH);
    deflate_piece(w, r->block, r->block_len, Z_NO_FLUSH);
    deflate_piece(w, "\r\n\r\n", 4, Z_FINISH);

    if (fwrite(w->out.s, 1, w->out.len, w->f) != w->out.len) {
        tt_seterr(&w->err, TT_EIO, "%s: %s", w->path, strerror(errno));
        if (e)
            *e = w->err;
        return TT_EIO;
    }
    if (wr) {
        memcpy(wr->id, id, WARC_ID_LEN);
        wr->offset = w->off;
        wr->size = w->out.len;
        memcpy(wr->digest, digest, 20);
    }
    w->off += w->out.len;
    return TT_OK;
}

uint64_t warc_writer_offset(const warc_writer *w) { return w->off; }

int warc_writer_flush(warc_writer *w, int do_fsync, tt_err *e)
{
    if (!w->err.code) {
        if (fflush(w->f) != 0)
            tt_seterr(&w->err, TT_EIO, "%s: %s", w->path, strerror(errno));
        else if (do_fsync && fsync(fileno(w->f)) != 0)
            tt_seterr(&w->err, TT_EIO, "%s: fsync: %s", w->path,
                      strerror(errno));
    }
    if (w->err.code && e)
        *e = w->err;
    return w->err.code;
}

int warc_writer_close(warc_writer *w, tt_err *e)
{
    int rc;
    if (!w)
        return TT_OK;
    if (w->f) {
        warc_writer_flush(w, 0, NULL);
        if (fclose(w->f) != 0 && !w->err.code)
            tt_seterr(&w->err, TT_EIO, "%s: %s", w->path, strerror(errno));
    }
    rc = w->err.code;
    if (rc && e)
        *e = w->err;
    deflateEnd(&w->z);
    sbuf_free(&w->hdr);
    sbuf_free(&w->out);
    free(w->path);
    free(w);
    return rc;
}

/* ---- overwriting in place ---- */

#define STORED_MAX 65535u /* bytes of a stored deflate block */

static const char filler_note[] =
    "timtin-corpus purge: the record that was here held text that had to "
    "be removed; this one, of the same length, stands in its place.\r\n";

/* The filler's header section for block length clen. */
static void filler_header(sbuf *h, const char *id, const char *date,
                          const char *b32, uint64_t clen)
{
    sbuf_reset(h);
    sbuf_addf(h, "WARC/1.1\r\nWARC-Type: metadata\r\nWARC-Record-ID: %s\r\n"
                 "WARC-Date: %s\r\nWARC-Timtin-Purged: 1\r\n"
                 "Content-Type: text/plain\r\n"
                 "WARC-Block-Digest: sha1:%s\r\nContent-Length: %llu\r\n\r\n",
              id, date, b32, (unsigned long long)clen);
}

static unsigned ndigits(uint64_t v)
{
    unsigned d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

/* The layout of a filler of len bytes whose header section is h0 bytes
 * plus Content-Length's digits: *clen, *nblocks, *x.  0, or -1 if none. */
static int filler_layout(uint64_t len, uint64_t h0, uint64_t *clen,
                         uint64_t *nblocks, unsigned *x)
{
    for (uint64_t nb = 1; nb <= len / STORED_MAX + 2; nb++)
        for (unsigned k = 0; k <= 2; k++)
            for (unsigned d = 1; d <= 20; d++) {
                uint64_t over = 18 + k + 5 * nb + h0 + d + 4, text;
                if (len < over || ndigits(len - over) != d)
                    continue;
                text = len - 18 - k - 5 * nb;
                if (text > nb * (uint64_t)STORED_MAX ||
                    (nb > 1 && text <= (nb - 2) * (uint64_t)STORED_MAX))
                    continue; /* too many blocks, or more than one spare */
                *clen = len - over;
                *nblocks = nb;
                *x = k;
                return 0;
            }
    return -1;
}

/* The header section's length without Content-Length's digits. */
static uint64_t filler_h0(void)
{
    sbuf h = {0};
    char id[WARC_ID_LEN], b32[SHA1_B32_LEN + 1];
    uint64_t n;
    memset(id, 'x', WARC_ID_LEN - 1);
    id[WARC_ID_LEN - 1] = '\0';
    memset(b32, 'A', SHA1_B32_LEN);
    b32[SHA1_B32_LEN] = '\0';
    filler_header(&h, id, "2025-01-01T00:00:00Z", b32, 0);
    n = h.len - 1;
    sbuf_free(&h);
    return n;
}

uint64_t warc_filler_min(void)
{
    return 18 + 5 + filler_h0() + 1 + 4; /* no padding, one stored block */
}

int warc_filler(uint64_t len, const char *date, sbuf *out, tt_err *e)
{
    sbuf h = {0}, text = {0};
    char id[WARC_ID_LEN], now[32], b32[SHA1_B32_LEN + 1];
    unsigned char d[20], tr[8];
    uint64_t clen, nb, h0 = filler_h0(), min = warc_filler_min();
    unsigned x, bits = 0, nbits = 0;
    size_t at, start = out->len;
    uLong crc;
    int rc = TT_OK;
    if (len < min)
        return tt_seterr(e, TT_EINVAL, "a record of %llu bytes is too short "
                         "to be overwritten by a valid record (%llu at "
                         "least)", (unsigned long long)len,
                         (unsigned long long)min);
    if (filler_layout(len, h0, &clen, &nb, &x) != 0 ||
        clen > WARC_MAX_BLOCK)
        return tt_seterr(e, TT_EINVAL, "a record of %llu bytes is too long "
                         "for a filler record (a block of at most %u bytes)",
                         (unsigned long long)len, WARC_MAX_BLOCK);
    if (warc_new_id(id) != 0)
        return tt_seterr(e, TT_EIO, "no random numbers for a record id");
    if (!date) {
        warc_date_now(now);
        date = now;
    }
    if (strlen(date) != 20 || bad_value(date)) {
        rc = tt_seterr(e, TT_EINVAL, "filler: a WARC-Date of 20 characters");
        goto fail;
    }
    /* the block: the note (cut to fit), then spaces */
    xgrow(&text.s, &text.cap, (size_t)clen + 1, 1);
    at = clen < sizeof filler_note - 1 ? (size_t)clen : sizeof filler_note - 1;
    memcpy(text.s, filler_note, at);
    memset(text.s + at, ' ', (size_t)clen - at);
    text.len = (size_t)clen;
    sha1(text.s, text.len, d);
    sha1_base32(d, b32);
    filler_header(&h, id, date, b32, clen);
    if (h.len != h0 + ndigits(clen)) { /* the layout's premise */
        fprintf(stderr, "%s: filler header of %zu bytes\n", tt_progname(),
                h.len);
        abort(); /* only a bug gets here */
    }
    /* record text = header, block, CR LF CR LF */
    sbuf_add(&text, "\r\n\r\n", 4);
    {
        sbuf t = {0};
        sbuf_add(&t, h.s, h.len);
        sbuf_add(&t, text.s, text.len);
        sbuf_free(&text);
        text = t;
    }
    crc = crc32(0L, (const Bytef *)text.s, (uInt)0);
    for (size_t i = 0; i < text.len;) { /* crc32 takes uInt lengths */
        size_t k = text.len - i < (1u << 30) ? text.len - i : (1u << 30);
        crc = crc32(crc, (const Bytef *)text.s + i, (uInt)k);
        i += k;
    }
    /* gzip header, as the writer's */
    sbuf_add(out, "\x1f\x8b\x08\0\0\0\0\0\0\x03", 10);
    /* x empty fixed-Huffman blocks, each BFINAL 0, BTYPE 01 (bits LSB
     * first: 0, 1, 0), end-of-block (7 zero bits); then the first stored
     * block's 3-bit header, padded to the byte */
    for (unsigned k = 0; k < x; k++) {
        bits |= 2u << nbits;
        nbits += 10;
    }
    bits |= (nb == 1 ? 1u : 0u) << nbits;
    nbits += 3;
    for (; nbits > 0; nbits = nbits > 8 ? nbits - 8 : 0, bits >>= 8)
        sbuf_addc(out, (char)(bits & 0xff));
    at = 0;
    for (uint64_t b = 0; b < nb; b++) {
        size_t n = text.len - at < STORED_MAX ? text.len - at : STORED_MAX;
        unsigned char hdr[4] = {(unsigned char)(n & 0xff),
                                (unsigned char)(n >> 8),
                                (unsigned char)(~n & 0xff),
                                (unsigned char)((~n >> 8) & 0xff)};
        if (b > 0)
            sbuf_addc(out, b + 1 == nb ? 1 : 0); /* BFINAL, BTYPE 00 */
        sbuf_add(out, (const char *)hdr, 4);
        sbuf_add(out, text.s + at, n);
        at += n;
    }
    put_le32(tr, (uint32_t)crc);
    put_le32(tr + 4, (uint32_t)text.len);
    sbuf_add(out, (const char *)tr, 8);
    if (out->len - start != len) {
        fprintf(stderr, "%s: filler of %zu bytes for %llu\n", tt_progname(),
                out->len - start, (unsigned long long)len);
        abort(); /* only a bug gets here */
    }
fail:
    sbuf_free(&h);
    sbuf_free(&text);
    return rc;
}

int warc_check_digests(const warc_record *rec, tt_err *e)
{
    unsigned char want[20], got[20];
    const char *v = warc_get(rec, "WARC-Block-Digest");
    if (v && warc_parse_sha1(v, want) == 0) {
        sha1(rec->block, rec->block_len, got);
        if (memcmp(want, got, 20) != 0)
            return tt_seterr(e, TT_ECORRUPT, "block digest mismatch");
    }
    v = warc_get(rec, "WARC-Payload-Digest");
    if (v && warc_parse_sha1(v, want) == 0) {
        const char *end = memmem(rec->block, rec->block_len, "\r\n\r\n", 4);
        size_t skip = end ? (size_t)(end - rec->block) + 4 : rec->block_len;
        sha1(rec->block + skip, rec->block_len - skip, got);
        if (memcmp(want, got, 20) != 0)
            return tt_seterr(e, TT_ECORRUPT, "payload digest mismatch");
    }
    return TT_OK;
}

/* ---- text files, plain or gzip'd ---- */

struct warc_gzfile {
    gzFile gz;
    char *name;
    char *buf;          /* CHUNK + 1 bytes of decoded text */
    size_t pos, len;
    sbuf line;          /* a line spanning buffer refills */
    int skipping;       /* inside a line that was too long */
    int eof;
    int fd;             /* what gz reads */
    uint64_t bytes;
};

int warc_gzfile_open(const char *path, warc_gzfile **out, tt_err *e)
{
    warc_gzfile *f;
    int stdin_ = !strcmp(path, "-");
    int fd = stdin_ ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
    gzFile gz;
    *out = NULL;
    if (fd < 0)
        return tt_seterr(e, errno == ENOENT ? TT_ENOTFOUND : TT_EIO, "%s: %s",
                         stdin_ ? "standard input" : path, strerror(errno));
    if (!(gz = gzdopen(fd, "rb"))) {
        close(fd);
        return tt_seterr(e, TT_EIO, "%s: cannot open", path);
    }
    gzbuffer(gz, CHUNK);
    f = xcalloc(1, sizeof *f);
    f->gz = gz;
    f->fd = fd;
    f->name = xstrdup(stdin_ ? "standard input" : path);
    f->buf = xmalloc(CHUNK + 1);
    *out = f;
    return TT_OK;
}

/* Refill the buffer: 1 with data, 0 at the end, -TT_EIO on error. */
static int refill(warc_gzfile *f, tt_err *e)
{
    int n, errnum = Z_OK;
    const char *msg;
    if (f->eof)
        return 0;
    n = gzread(f->gz, f->buf, CHUNK);
    if (n <= 0) {
        msg = gzerror(f->gz, &errnum);
        f->eof = 1;
        if (n == 0 && errnum == Z_OK)
            return 0;
        tt_seterr(e, TT_EIO, "%s: %s", f->name,
                  errnum == Z_ERRNO ? strerror(errno)
                  : errnum == Z_BUF_ERROR ? "unexpected end of gzip data"
                                          : msg);
        return -TT_EIO;
    }
    f->pos = 0;
    f->len = (size_t)n;
    f->bytes += (uint64_t)n;
    return 1;
}

int warc_gzfile_getline(warc_gzfile *f, size_t max_line, const char **line,
                        size_t *len, tt_err *e)
{
    int rc;
    sbuf_reset(&f->line);
    for (;;) {
        if (f->pos < f->len) {
            char *s = f->buf + f->pos;
            size_t avail = f->len - f->pos;
            char *nl = memchr(s, '\n', avail);
            size_t k = nl ? (size_t)(nl - s) : avail;
            f->pos += nl ? k + 1 : k;
            if (!f->skipping && f->line.len + k > max_line) {
                f->skipping = 1;
                sbuf_reset(&f->line);
            }
            if (nl && f->skipping) {
                f->skipping = 0;
                return -tt_seterr(e, TT_EINVAL, "line longer than %zu bytes",
                                  max_line);
            }
            if (f->skipping)
                continue;
            if (nl && f->line.len == 0) { /* the whole line is in buf */
                *nl = '\0';
                *line = s;
                *len = k;
                return 1;
            }
            sbuf_add(&f->line, s, k);
            if (nl) {
                *line = f->line.s;
                *len = f->line.len;
                return 1;
            }
            continue;
        }
        rc = refill(f, e);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            if (f->skipping) {
                f->skipping = 0;
                return -tt_seterr(e, TT_EINVAL, "line longer than %zu bytes",
                                  max_line);
            }
            if (f->line.len) { /* a last line without "\n" */
                *line = f->line.s;
                *len = f->line.len;
                f->line.len = 0; /* returned; the next call sees the end */
                return 1;
            }
            return 0;
        }
    }
}

uint64_t warc_gzfile_bytes(const warc_gzfile *f) { return f->bytes; }

void warc_gzfile_close(warc_gzfile *f)
{
    if (!f)
        return;
    gzclose_r(f->gz);
    sbuf_free(&f->line);
    free(f->name);
    free(f->buf);
    free(f);
}

int warc_gzfile_fd(const warc_gzfile *f) { return f->fd; }
