/* test_warc.c — corpus/warc.h: records written and read back (whole, or
 * their header only), digests, truncated and damaged members, size caps,
 * the gzip line reader, the same-length filler records a purge writes
 * over a record. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha1.h"
#include "t.h"
#include "tmp.h"
#include "warc.h"

#include <zlib.h> /* an inflater independent of warc.c, for the filler */

static char dir[TMP_PATH_MAX];

static const char *path_of(const char *name)
{
    static char buf[TMP_PATH_MAX + 64];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static char *slurp(const char *path, size_t *len)
{
    char *s = NULL;
    if (tt_read_file(path, 1u << 30, &s, len, NULL))
        return NULL;
    return s;
}

static void spit(const char *path, const char *s, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(s, 1, len, f);
    fclose(f);
}

static const char http[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
                           "<html>xin chào</html>";

/* Write warcinfo + resource + response + resource to name; offsets of the
 * four records into off[]. */
static void write_sample(const char *name, uint64_t off[4])
{
    warc_writer *w;
    tt_err e;
    warc_out r = {0};
    warc_written wr;
    warc_field f = {"WARC-Timtin-Article-Id", "a%201"};
    unlink(path_of(name));
    T_EQ_INT(warc_writer_open(path_of(name), &w, &e), TT_OK);
    off[0] = 0;
    r.type = "resource";
    r.target_uri = "urn:timtin:article:a%201";
    r.content_type = "application/json";
    r.extra = &f;
    r.nextra = 1;
    r.block = "{\"id\":\"a 1\"}";
    r.block_len = strlen(r.block);
    T_EQ_INT(warc_writer_append(w, &r, &wr, &e), TT_OK);
    off[1] = wr.offset;
    memset(&r, 0, sizeof r);
    r.type = "response";
    r.target_uri = "http://example.com/a.htm";
    r.date = "2025-01-02T03:04:05Z";
    r.content_type = "application/http;msgtype=response";
    r.block = http;
    r.block_len = sizeof http - 1;
    r.payload_digest = 1;
    T_EQ_INT(warc_writer_append(w, &r, &wr, &e), TT_OK);
    off[2] = wr.offset;
    memset(&r, 0, sizeof r);
    r.type = "resource";
    r.target_uri = "urn:x";
    r.block = "";
    r.block_len = 0;
    T_EQ_INT(warc_writer_append(w, &r, &wr, &e), TT_OK);
    off[3] = wr.offset;
    T_EQ_INT(warc_writer_offset(w), wr.offset + wr.size);
    T_EQ_INT(warc_writer_close(w, &e), TT_OK);
}

static uint64_t fsize(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void test_sha1_base32(void)
{
    unsigned char d[SHA1_LEN], back[SHA1_LEN];
    char b32[SHA1_B32_LEN + 1], hex[41];
    sha1_ctx *c;
    sha1("", 0, d);
    sha1_base32(d, b32);
    T_EQ_STR(b32, "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"); /* the empty block */
    sha1("abc", 3, d);
    sha1_hex(d, hex);
    T_EQ_STR(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha1_base32(d, b32);
    T_EQ_INT(sha1_base32_decode(b32, strlen(b32), back), 0);
    T_CHECK(!memcmp(d, back, SHA1_LEN));
    T_EQ_INT(sha1_base32_decode("ABC", 3, back), -1);
    T_EQ_INT(sha1_base32_decode("1I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", 32, back), -1);
    c = sha1_new(); /* incremental, and reusable after final */
    sha1_update(c, "a", 1);
    sha1_update(c, "bc", 2);
    sha1_final(c, back);
    T_CHECK(!memcmp(d, back, SHA1_LEN));
    sha1_update(c, "abc", 3);
    sha1_final(c, back);
    T_CHECK(!memcmp(d, back, SHA1_LEN));
    sha1_free(c);
    sha1_free(NULL);
    T_EQ_INT(warc_parse_sha1("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", back), 0);
    T_EQ_INT(warc_parse_sha1("md5:abc", back), -1);
}

static void test_ids_and_uris(void)
{
    char id[WARC_ID_LEN], id2[WARC_ID_LEN], date[32];
    sbuf b = {0};
    T_EQ_INT(warc_new_id(id), 0);
    T_EQ_INT(warc_new_id(id2), 0);
    T_EQ_INT(strlen(id), WARC_ID_LEN - 1);
    T_CHECK(!strncmp(id, "<urn:uuid:", 10) && id[46] == '>');
    T_CHECK(id[24] == '4');                  /* version 4 */
    T_CHECK(strchr("89ab", id[29]) != NULL); /* RFC 4122 variant */
    T_CHECK(strcmp(id, id2) != 0);
    warc_date_now(date);
    T_EQ_INT(strlen(date), 20);
    T_CHECK(date[10] == 'T' && date[19] == 'Z');
    {
        const char *u = "http://x/a b?q=\"1\"&r=%41%zz\xe1\xbb\x87";
        warc_uri_escape(&b, u, strlen(u), 1);
    }
    T_EQ_STR(b.s, "http://x/a%20b?q=%221%22&r=%41%25zz%E1%BB%87");
    sbuf_free(&b);
}

static void test_roundtrip(void)
{
    uint64_t off[4];
    FILE *f;
    warc_reader *r = warc_reader_new();
    warc_record rec;
    tt_err e;
    unsigned char d[20];
    write_sample("a.warc.gz", off);
    f = fopen(path_of("a.warc.gz"), "rb");
    T_CHECK(f != NULL);
    if (!f)
        return;
    /* warcinfo */
    T_EQ_INT(warc_read(r, f, 0, &rec, &e), TT_OK);
    T_EQ_STR(rec.version, "WARC/1.1");
    T_EQ_STR(warc_get(&rec, "warc-type"), "warcinfo");
    T_EQ_STR(warc_get(&rec, "WARC-Filename"), "a.warc.gz");
    T_CHECK(strstr(rec.block, "format: WARC File Format 1.1\r\n") != NULL);
    T_CHECK(strstr(rec.block, "software: timtin/" TT_VERSION) != NULL);
    T_EQ_INT(rec.next, off[1]);
    {
        char info_id[WARC_ID_LEN];
        snprintf(info_id, sizeof info_id, "%s", warc_get(&rec, "WARC-Record-ID"));
        /* resource */
        T_EQ_INT(warc_read(r, f, off[1], &rec, &e), TT_OK);
        T_EQ_STR(warc_get(&rec, "WARC-Warcinfo-ID"), info_id);
    }
    T_EQ_STR(warc_get(&rec, "WARC-Type"), "resource");
    T_EQ_STR(warc_get(&rec, "WARC-Timtin-Article-Id"), "a%201");
    T_EQ_STR(warc_get(&rec, "Content-Type"), "application/json");
    T_EQ_STR(rec.block, "{\"id\":\"a 1\"}");
    T_EQ_INT(rec.block_len, 12);
    T_EQ_INT(warc_check_digests(&rec, &e), TT_OK);
    sha1(rec.block, rec.block_len, d);
    {
        char b32[33], want[40];
        sha1_base32(d, b32);
        snprintf(want, sizeof want, "sha1:%s", b32);
        T_EQ_STR(warc_get(&rec, "WARC-Block-Digest"), want);
    }
    T_CHECK(warc_get(&rec, "WARC-Payload-Digest") == NULL);
    T_EQ_INT(rec.next, off[2]);
    /* response */
    T_EQ_INT(warc_read(r, f, off[2], &rec, &e), TT_OK);
    T_EQ_STR(warc_get(&rec, "WARC-Date"), "2025-01-02T03:04:05Z");
    T_EQ_INT(rec.block_len, sizeof http - 1);
    T_CHECK(!memcmp(rec.block, http, sizeof http - 1));
    {
        const char *body = strstr(http, "\r\n\r\n") + 4;
        char b32[33], want[40];
        sha1(body, strlen(body), d);
        sha1_base32(d, b32);
        snprintf(want, sizeof want, "sha1:%s", b32);
        T_EQ_STR(warc_get(&rec, "WARC-Payload-Digest"), want);
    }
    T_EQ_INT(warc_check_digests(&rec, &e), TT_OK);
    /* empty block */
    T_EQ_INT(warc_read(r, f, off[3], &rec, &e), TT_OK);
    T_EQ_INT(rec.block_len, 0);
    T_EQ_STR(warc_get(&rec, "WARC-Block-Digest"),
             "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    T_EQ_INT(rec.next, fsize(path_of("a.warc.gz")));
    T_EQ_INT(warc_read(r, f, rec.next, &rec, &e), TT_ENOTFOUND);
    T_EQ_INT(warc_read(r, f, 1u << 30, &rec, &e), TT_ENOTFOUND);
    fclose(f);
    warc_reader_free(r);
    warc_reader_free(NULL);
}

static void test_append_existing(void)
{
    uint64_t off[4];
    warc_writer *w;
    warc_out r = {0};
    warc_written wr;
    warc_reader *rd = warc_reader_new();
    warc_record rec;
    tt_err e;
    FILE *f;
    char info[WARC_ID_LEN] = "";
    write_sample("b.warc.gz", off);
    T_EQ_INT(warc_writer_open(path_of("b.warc.gz"), &w, &e), TT_OK);
    T_EQ_INT(warc_writer_offset(w), fsize(path_of("b.warc.gz")));
    r.type = "resource";
    r.block = "x";
    r.block_len = 1;
    T_EQ_INT(warc_writer_append(w, &r, &wr, &e), TT_OK);
    /* bad header values are refused, nothing written, not sticky */
    r.target_uri = "http://x/\r\nWARC-Type: evil";
    T_EQ_INT(warc_writer_append(w, &r, NULL, &e), TT_EINVAL);
    r.target_uri = NULL;
    T_EQ_INT(warc_writer_append(w, &r, NULL, &e), TT_OK);
    T_EQ_INT(warc_writer_flush(w, 1, &e), TT_OK);
    T_EQ_INT(warc_writer_close(w, &e), TT_OK);
    T_EQ_INT(warc_writer_close(NULL, &e), TT_OK);
    f = fopen(path_of("b.warc.gz"), "rb");
    T_EQ_INT(warc_read(rd, f, 0, &rec, &e), TT_OK);
    snprintf(info, sizeof info, "%s", warc_get(&rec, "WARC-Record-ID"));
    T_EQ_INT(warc_read(rd, f, wr.offset, &rec, &e), TT_OK);
    T_EQ_STR(warc_get(&rec, "WARC-Warcinfo-ID"), info); /* found again */
    T_EQ_STR(warc_get(&rec, "WARC-Record-ID"), wr.id);
    T_EQ_INT(warc_read(rd, f, rec.next, &rec, &e), TT_OK);
    T_EQ_INT(warc_read(rd, f, rec.next, &rec, &e), TT_ENOTFOUND);
    fclose(f);
    warc_reader_free(rd);
}

/* The sample c.warc.gz cut to its first cut bytes, read from each record
 * on.  A cut at a record's start is a clean end, not a truncation. */
static void check_cut(warc_reader *r, const char *data, const uint64_t *off,
                      uint64_t cut)
{
    warc_record rec;
    tt_err e;
    uint64_t start = cut > off[3] ? off[3] : off[2];
    FILE *f;
    spit(path_of("cut.warc.gz"), data, (size_t)cut);
    f = fopen(path_of("cut.warc.gz"), "rb");
    T_EQ_INT(warc_read(r, f, off[1], &rec, &e), TT_OK);
    if (cut == off[3]) {
        T_EQ_INT(warc_read(r, f, off[2], &rec, &e), TT_OK);
        T_EQ_INT(rec.truncated, 0);
        T_EQ_INT(rec.next, cut);
        T_EQ_INT(warc_read(r, f, off[3], &rec, &e), TT_ENOTFOUND);
        fclose(f);
        return;
    }
    T_EQ_INT(warc_read(r, f, off[2], &rec, &e),
             start == off[2] ? TT_ECORRUPT : TT_OK);
    if (start == off[3])
        T_EQ_INT(warc_read(r, f, off[3], &rec, &e), TT_ECORRUPT);
    T_EQ_INT(rec.truncated, 1);
    T_EQ_INT(rec.next, cut);
    T_EQ_INT(rec.offset, start);
    fclose(f);
}

static void test_truncated(void)
{
    uint64_t off[4];
    size_t len;
    char *data;
    warc_reader *r = warc_reader_new();
    write_sample("c.warc.gz", off);
    data = slurp(path_of("c.warc.gz"), &len);
    T_CHECK(data != NULL);
    if (!data)
        return;
    /* cut the last two records at many points, and between them (which
     * the stride meets or not, as the records' sizes vary from run to
     * run) */
    for (uint64_t cut = off[2] + 1; cut < len; cut += 7)
        check_cut(r, data, off, cut);
    check_cut(r, data, off, off[3]);
    free(data);
    warc_reader_free(r);
}

static void test_bitflip(void)
{
    uint64_t off[4];
    size_t len;
    char *data;
    warc_reader *r = warc_reader_new();
    int n = 0;
    write_sample("d.warc.gz", off);
    data = slurp(path_of("d.warc.gz"), &len);
    T_CHECK(data != NULL);
    if (!data)
        return;
    /* flip a bit in each byte of the response record's member in turn */
    for (uint64_t i = off[2]; i < off[3]; i++) {
        warc_record rec;
        tt_err e;
        FILE *f;
        int rc;
        data[i] ^= 0x10;
        spit(path_of("flip.warc.gz"), data, len);
        data[i] ^= 0x10;
        f = fopen(path_of("flip.warc.gz"), "rb");
        rc = warc_read(r, f, off[2], &rec, &e);
        if (rc == TT_OK && warc_check_digests(&rec, &e) == TT_OK) {
            /* only bits that carry nothing: MTIME, XFL, OS, or the
             * padding after the last deflate block */
            T_CHECK(rec.block_len == sizeof http - 1 &&
                    !memcmp(rec.block, http, rec.block_len));
            T_CHECK((i - off[2] >= 4 && i - off[2] <= 9) || i + 9 == off[3]);
        } else {
            T_EQ_INT(rc, TT_ECORRUPT);
            T_EQ_INT(rec.truncated, 0);
            T_EQ_INT(rec.next, off[3]); /* resync finds the next record */
            n++;
        }
        /* the records around it are untouched */
        T_EQ_INT(warc_read(r, f, off[3], &rec, &e), TT_OK);
        T_EQ_INT(warc_read(r, f, off[1], &rec, &e), TT_OK);
        fclose(f);
    }
    T_CHECK(n > 100);
    free(data);
    warc_reader_free(r);
}

static void test_garbage_and_resync(void)
{
    uint64_t off[4], next;
    size_t len;
    char *data;
    sbuf b = {0};
    warc_reader *r = warc_reader_new();
    warc_record rec;
    tt_err e;
    FILE *f;
    write_sample("e.warc.gz", off);
    data = slurp(path_of("e.warc.gz"), &len);
    if (!data)
        return;
    /* garbage (with a fake gzip magic) between records 1 and 2 */
    sbuf_add(&b, data, (size_t)off[2]);
    sbuf_add(&b, "junk\x1f\x8b\x08\x00more junk", 18);
    sbuf_add(&b, data + off[2], len - (size_t)off[2]);
    spit(path_of("g.warc.gz"), b.s, b.len);
    f = fopen(path_of("g.warc.gz"), "rb");
    T_EQ_INT(warc_read(r, f, off[1], &rec, &e), TT_OK);
    T_EQ_INT(rec.next, off[2]);
    T_EQ_INT(warc_read(r, f, off[2], &rec, &e), TT_ECORRUPT);
    T_CHECK(strstr(e.msg, "no gzip member") != NULL);
    T_EQ_INT(rec.next, off[2] + 18);
    T_EQ_INT(rec.truncated, 0);
    T_EQ_INT(rec.no_member, 1);
    T_EQ_INT(warc_read(r, f, rec.next, &rec, &e), TT_OK);
    T_EQ_STR(warc_get(&rec, "WARC-Type"), "response");
    T_EQ_INT(warc_resync(r, f, 1, &next, &e), TT_OK);
    T_EQ_INT(next, off[1]);
    T_EQ_INT(warc_resync(r, f, b.len - 3, &next, &e), TT_OK);
    T_EQ_INT(next, b.len);
    fclose(f);
    /* a garbage tail is damage, not truncation, when it is not a member */
    spit(path_of("h.warc.gz"), "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03zzzzzzzz",
         18);
    f = fopen(path_of("h.warc.gz"), "rb");
    T_EQ_INT(warc_read(r, f, 0, &rec, &e), TT_ECORRUPT);
    T_EQ_INT(rec.next, 18);
    fclose(f);
    /* bytes where no member starts, nothing decodable after them (NULs
     * after the last record): a torn append, as a truncated member */
    sbuf_reset(&b);
    sbuf_add(&b, data, len);
    for (int i = 0; i < 4096; i++)
        sbuf_addc(&b, '\0');
    spit(path_of("n.warc.gz"), b.s, b.len);
    f = fopen(path_of("n.warc.gz"), "rb");
    T_EQ_INT(warc_read(r, f, len, &rec, &e), TT_ECORRUPT);
    T_EQ_INT(rec.no_member, 1);
    T_EQ_INT(rec.truncated, 1);
    T_EQ_INT(rec.next, b.len);
    fclose(f);
    sbuf_free(&b);
    free(data);
    warc_reader_free(r);
}

static void test_oversized(void)
{
    warc_writer *w;
    warc_out r = {0};
    warc_written wr1, wr2;
    warc_reader *rd = warc_reader_new();
    warc_record rec;
    tt_err e;
    char *big = xmalloc(70000);
    warc_field f;
    FILE *fp;
    char cmd[1024];
    memset(big, 'x', 69999);
    big[69999] = '\0';
    f.name = "X-Big";
    f.value = big;
    unlink(path_of("big.warc.gz"));
    T_EQ_INT(warc_writer_open(path_of("big.warc.gz"), &w, &e), TT_OK);
    r.type = "resource";
    r.extra = &f;
    r.nextra = 1;
    r.block = "b";
    r.block_len = 1;
    T_EQ_INT(warc_writer_append(w, &r, &wr1, &e), TT_OK);
    r.nextra = 0;
    T_EQ_INT(warc_writer_append(w, &r, &wr2, &e), TT_OK);
    r.block_len = (size_t)WARC_MAX_BLOCK + 1; /* refused before reading */
    T_EQ_INT(warc_writer_append(w, &r, NULL, &e), TT_EINVAL);
    T_EQ_INT(warc_writer_close(w, &e), TT_OK);
    fp = fopen(path_of("big.warc.gz"), "rb");
    T_EQ_INT(warc_read(rd, fp, wr1.offset, &rec, &e), TT_ECORRUPT);
    T_CHECK(strstr(e.msg, "header section longer") != NULL);
    T_EQ_INT(rec.next, wr2.offset);
    T_EQ_INT(warc_read(rd, fp, wr2.offset, &rec, &e), TT_OK);
    fclose(fp);
    /* a Content-Length over the cap, and other malformed records, made
     * with gzip(1) */
    snprintf(cmd, sizeof cmd,
             "cd %s && printf 'WARC/1.1\\r\\nContent-Length: 99999999999\\r\\n"
             "\\r\\nabc\\r\\n\\r\\n' | gzip -c > cl.warc.gz && "
             "printf 'WARC/1.1\\r\\nContent-Length: 10\\r\\n\\r\\nabc\\r\\n\\r\\n'"
             " | gzip -c > short.warc.gz && "
             "printf 'HTTP/1.1\\r\\nContent-Length: 3\\r\\n\\r\\nabc\\r\\n\\r\\n'"
             " | gzip -c > notwarc.warc.gz && "
             "printf 'WARC/1.1\\r\\nNoColon\\r\\nContent-Length: 3\\r\\n\\r\\nabc"
             "\\r\\n\\r\\n' | gzip -c > hdr.warc.gz && "
             "printf 'WARC/1.1\\r\\nContent-Length: 3\\r\\n\\r\\nabcdef\\r\\n\\r\\n'"
             " | gzip -c > long.warc.gz && "
             "printf 'WARC/1.0\\r\\nContent-Length: 3\\r\\nX: a\\r\\n  b\\r\\n\\r\\n"
             "abc\\r\\n\\r\\n' | gzip -c > ok.warc.gz",
             dir);
    T_EQ_INT(system(cmd), 0);
    {
        static const struct {
            const char *name, *msg;
        } cases[] = {{"cl.warc.gz", "exceeds"},
                     {"short.warc.gz", "shorter than its Content-Length"},
                     {"notwarc.warc.gz", "not a WARC/1.x record"},
                     {"hdr.warc.gz", "malformed WARC header line"},
                     {"long.warc.gz", "longer than its Content-Length"}};
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            fp = fopen(path_of(cases[i].name), "rb");
            T_EQ_INT(warc_read(rd, fp, 0, &rec, &e), TT_ECORRUPT);
            if (!strstr(e.msg, cases[i].msg))
                fprintf(stderr, "  %s: %s\n", cases[i].name, e.msg);
            T_CHECK(strstr(e.msg, cases[i].msg) != NULL);
            T_EQ_INT(rec.next, fsize(path_of(cases[i].name)));
            fclose(fp);
        }
    }
    fp = fopen(path_of("ok.warc.gz"), "rb");
    T_EQ_INT(warc_read(rd, fp, 0, &rec, &e), TT_OK);
    T_EQ_STR(rec.version, "WARC/1.0");
    T_EQ_STR(warc_get(&rec, "X"), "a    b"); /* a folded line */
    T_EQ_STR(rec.block, "abc");
    fclose(fp);
    free(big);
    warc_reader_free(rd);
}

/* Members larger than the reader's 64 KiB read: a 1 MiB record read
 * back whole; cut inside, reported as truncated; and a member with a bad
 * header and a large block, which the reader inflates to its end to find
 * the next record. */
static char *noise(size_t n) /* incompressible bytes */
{
    char *b = xmalloc(n);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (char)(x >> 24);
    }
    return b;
}

static void test_big_members(void)
{
    enum { BIG = 1 << 20 };
    char *big = noise(BIG), cmd[512];
    warc_written wa, wb;
    warc_out r = {.type = "resource", .block = big, .block_len = BIG};
    warc_reader *rd = warc_reader_new();
    warc_writer *w;
    warc_record rec;
    size_t len;
    tt_err e;
    FILE *f;
    unlink(path_of("huge.warc.gz"));
    T_EQ_INT(warc_writer_open(path_of("huge.warc.gz"), &w, &e), TT_OK);
    T_EQ_INT(warc_writer_append(w, &r, &wa, &e), TT_OK);
    r.block = "small";
    r.block_len = 5;
    T_EQ_INT(warc_writer_append(w, &r, &wb, &e), TT_OK);
    T_EQ_INT(warc_writer_close(w, &e), TT_OK);
    T_CHECK(wa.size > 16 * 65536);
    f = fopen(path_of("huge.warc.gz"), "rb");
    T_EQ_INT(warc_read(rd, f, wa.offset, &rec, &e), TT_OK);
    T_EQ_INT(rec.block_len, BIG);
    T_CHECK(rec.block_len == BIG && !memcmp(rec.block, big, BIG));
    T_EQ_INT(warc_check_digests(&rec, &e), TT_OK);
    T_EQ_INT(rec.next, wb.offset);
    T_EQ_INT(warc_read(rd, f, wb.offset, &rec, &e), TT_OK);
    T_EQ_STR(rec.block, "small");
    T_EQ_INT(warc_read_head(rd, f, wa.offset, &rec, &e), TT_OK);
    T_CHECK(warc_get(&rec, "WARC-Record-ID") &&
            !strcmp(warc_get(&rec, "WARC-Record-ID"), wa.id));
    fclose(f);

    /* cut in the middle of the big member */
    char *data = slurp(path_of("huge.warc.gz"), &len);
    T_CHECK(data != NULL);
    if (data) {
        spit(path_of("hugecut.warc.gz"), data, (size_t)(wa.offset + wa.size / 2));
        f = fopen(path_of("hugecut.warc.gz"), "rb");
        T_EQ_INT(warc_read(rd, f, wa.offset, &rec, &e), TT_ECORRUPT);
        T_CHECK(strstr(e.msg, "file ends inside the record") != NULL);
        T_EQ_INT(rec.truncated, 1);
        T_EQ_INT(rec.next, wa.offset + wa.size / 2);
        /* its header alone reads: the member is not read to its end */
        T_EQ_INT(warc_read_head(rd, f, wa.offset, &rec, &e), TT_OK);
        T_EQ_STR(warc_get(&rec, "WARC-Type"), "resource");
        T_CHECK(rec.block == NULL && rec.next == 0);
        T_EQ_INT(warc_read_head(rd, f, wa.offset + 1, &rec, &e), TT_ECORRUPT);
        T_EQ_INT(warc_read_head(rd, f, wa.offset + wa.size, &rec, &e),
                 TT_ENOTFOUND);
        fclose(f);
        free(data);
    }

    /* a bad header line, then 300 KB of random block, then a good record */
    snprintf(cmd, sizeof cmd,
             "cd %s && { printf 'WARC/1.1\\r\\nNoColon\\r\\nContent-Length: "
             "300000\\r\\n\\r\\n'; head -c 300000 huge.warc.gz; "
             "printf '\\r\\n\\r\\n'; } | gzip -c > badbig.warc.gz && "
             "printf 'WARC/1.1\\r\\nContent-Length: 3\\r\\n\\r\\nabc"
             "\\r\\n\\r\\n' | gzip -c >> badbig.warc.gz",
             dir);
    T_EQ_INT(system(cmd), 0);
    f = fopen(path_of("badbig.warc.gz"), "rb");
    T_EQ_INT(warc_read(rd, f, 0, &rec, &e), TT_ECORRUPT);
    T_CHECK(strstr(e.msg, "malformed WARC header line") != NULL);
    T_CHECK(rec.next > 300000);
    T_EQ_INT(warc_read(rd, f, rec.next, &rec, &e), TT_OK);
    T_EQ_STR(rec.block, "abc");
    fclose(f);
    free(big);
    warc_reader_free(rd);
}

static void test_gzfile(void)
{
    static const char text[] = "line one\n\nline three\r\n"
                               "a very long line indeed\nlast";
    const char *names[] = {"t.txt", "t.txt.gz"};
    char cmd[512];
    spit(path_of("t.txt"), text, sizeof text - 1);
    snprintf(cmd, sizeof cmd, "cd %s && gzip -c t.txt > t.txt.gz", dir);
    T_EQ_INT(system(cmd), 0);
    for (int k = 0; k < 2; k++) {
        warc_gzfile *f;
        const char *line;
        size_t len;
        tt_err e;
        T_EQ_INT(warc_gzfile_open(path_of(names[k]), &f, &e), TT_OK);
        if (!f)
            continue;
        T_EQ_INT(warc_gzfile_getline(f, 12, &line, &len, &e), 1);
        T_EQ_STR(line, "line one");
        T_EQ_INT(warc_gzfile_getline(f, 12, &line, &len, &e), 1);
        T_EQ_INT(len, 0);
        T_EQ_INT(warc_gzfile_getline(f, 12, &line, &len, &e), 1);
        T_EQ_STR(line, "line three\r");
        T_EQ_INT(warc_gzfile_getline(f, 12, &line, &len, &e), -TT_EINVAL);
        T_CHECK(strstr(e.msg, "longer than 12") != NULL);
        T_EQ_INT(warc_gzfile_getline(f, 12, &line, &len, &e), 1);
        T_EQ_STR(line, "last");
        T_EQ_INT(warc_gzfile_getline(f, 12, &line, &len, &e), 0);
        T_EQ_INT(warc_gzfile_getline(f, 12, &line, &len, &e), 0);
        T_EQ_INT(warc_gzfile_bytes(f), sizeof text - 1);
        warc_gzfile_close(f);
    }
    {   /* a truncated .gz is an I/O error, after the lines it had */
        size_t len;
        char *gz = slurp(path_of("t.txt.gz"), &len);
        warc_gzfile *f;
        const char *line;
        size_t n;
        tt_err e;
        int rc;
        spit(path_of("cut.txt.gz"), gz, len - 6);
        T_EQ_INT(warc_gzfile_open(path_of("cut.txt.gz"), &f, &e), TT_OK);
        while ((rc = warc_gzfile_getline(f, 100, &line, &n, &e)) == 1)
            ;
        T_EQ_INT(rc, -TT_EIO);
        warc_gzfile_close(f);
        free(gz);
    }
    {
        warc_gzfile *f;
        tt_err e;
        T_EQ_INT(warc_gzfile_open(path_of("missing"), &f, &e), TT_ENOTFOUND);
        T_CHECK(f == NULL);
        warc_gzfile_close(NULL);
    }
}

static void test_long_lines(void)
{
    /* lines longer than the read buffer, and one right at the limit */
    sbuf b = {0};
    warc_gzfile *f;
    const char *line;
    size_t len;
    tt_err e;
    for (int i = 0; i < 200000; i++)
        sbuf_addc(&b, (char)('a' + i % 26));
    sbuf_addc(&b, '\n');
    sbuf_add(&b, "short\n", 6);
    spit(path_of("long.txt"), b.s, b.len);
    T_EQ_INT(warc_gzfile_open(path_of("long.txt"), &f, &e), TT_OK);
    T_EQ_INT(warc_gzfile_getline(f, 200000, &line, &len, &e), 1);
    T_EQ_INT(len, 200000);
    T_CHECK(line[199999] == 'a' + 199999 % 26);
    T_EQ_INT(warc_gzfile_getline(f, 200000, &line, &len, &e), 1);
    T_EQ_STR(line, "short");
    warc_gzfile_close(f);
    T_EQ_INT(warc_gzfile_open(path_of("long.txt"), &f, &e), TT_OK);
    T_EQ_INT(warc_gzfile_getline(f, 199999, &line, &len, &e), -TT_EINVAL);
    T_EQ_INT(warc_gzfile_getline(f, 199999, &line, &len, &e), 1);
    T_EQ_STR(line, "short");
    warc_gzfile_close(f);
    sbuf_free(&b);
}

/* warc_test_determinism: the same writes give the same bytes, ids still
 * well-formed v4 UUIDs; off again, ids are random and the date is now */
static int same_file(const char *x, const char *y)
{
    size_t n1 = 0, n2 = 0;
    char *a = slurp(path_of(x), &n1), *b = slurp(path_of(y), &n2);
    int same = a && b && n1 == n2 && !memcmp(a, b, n1);
    free(a);
    free(b);
    return same;
}

/* Write the sample as "det.warc.gz" (its warcinfo names it), kept as as */
static void write_det(const char *as)
{
    uint64_t off[4];
    char to[TMP_PATH_MAX + 64];
    write_sample("det.warc.gz", off);
    snprintf(to, sizeof to, "%s", path_of(as));
    T_EQ_INT(rename(path_of("det.warc.gz"), to), 0);
}

static void test_determinism(void)
{
    char id[WARC_ID_LEN], date[32];
    warc_test_determinism(7);
    write_det("d1");
    warc_test_determinism(7);
    write_det("d2");
    warc_date_now(date);
    T_EQ_STR(date, "2025-01-01T00:00:00Z");
    T_EQ_INT(warc_new_id(id), 0);
    T_CHECK(id[24] == '4' && strchr("89ab", id[29]) != NULL);
    warc_test_determinism(0);
    write_det("d3");
    T_CHECK(same_file("d1", "d2"));
    T_CHECK(!same_file("d1", "d3"));
    warc_date_now(date);
    T_CHECK(strcmp(date, "2025-01-01T00:00:00Z") != 0);
}

/* warc_check_digests on records built in memory: a block or payload that
 * does not match its sha1 digest is corrupt; a digest of another type, or
 * none, is not checked. */
static void test_check_digests(void)
{
    static const char body[] = "HTTP/1.1 200 OK\r\n\r\nxin chào";
    unsigned char d[20];
    char block_d[40], payload_d[40], b32[33];
    warc_field f[2];
    warc_record rec;
    tt_err e;
    char changed[sizeof body];
    sha1(body, sizeof body - 1, d);
    sha1_base32(d, b32);
    snprintf(block_d, sizeof block_d, "sha1:%s", b32);
    sha1(strstr(body, "\r\n\r\n") + 4, strlen(strstr(body, "\r\n\r\n") + 4), d);
    sha1_base32(d, b32);
    snprintf(payload_d, sizeof payload_d, "sha1:%s", b32);
    memcpy(changed, body, sizeof body);
    changed[sizeof body - 2] ^= 1; /* in the payload */
    memset(&rec, 0, sizeof rec);
    rec.fields = f;
    rec.block = body;
    rec.block_len = sizeof body - 1;
    /* no digest: nothing to check */
    T_EQ_INT(warc_check_digests(&rec, &e), TT_OK);
    /* both right (names in any case) */
    f[0] = (warc_field){"warc-block-digest", block_d};
    f[1] = (warc_field){"WARC-Payload-Digest", payload_d};
    rec.nfields = 2;
    T_EQ_INT(warc_check_digests(&rec, &e), TT_OK);
    /* the block changed: its digest says so first */
    rec.block = changed;
    T_EQ_INT(warc_check_digests(&rec, &e), TT_ECORRUPT);
    T_CHECK(strstr(e.msg, "block digest mismatch") != NULL);
    /* only the payload digest: it says so too */
    f[0] = f[1];
    rec.nfields = 1;
    T_EQ_INT(warc_check_digests(&rec, &e), TT_ECORRUPT);
    T_CHECK(strstr(e.msg, "payload digest mismatch") != NULL);
    /* the headers changed, not the payload: the payload digest holds */
    changed[sizeof body - 2] ^= 1;
    changed[0] = 'X';
    T_EQ_INT(warc_check_digests(&rec, &e), TT_OK);
    f[0] = (warc_field){"WARC-Block-Digest", block_d};
    T_EQ_INT(warc_check_digests(&rec, &e), TT_ECORRUPT);
    /* a digest of another algorithm, or not base32, is not checked */
    f[0] = (warc_field){"WARC-Block-Digest", "md5:d41d8cd98f00b204e9800998ecf8427e"};
    T_EQ_INT(warc_check_digests(&rec, &e), TT_OK);
    f[0] = (warc_field){"WARC-Block-Digest", "sha1:not-base32"};
    T_EQ_INT(warc_check_digests(&rec, &e), TT_OK);
    /* an empty block has a digest too */
    f[0] = (warc_field){"WARC-Block-Digest",
                        "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"};
    rec.block = "";
    rec.block_len = 0;
    T_EQ_INT(warc_check_digests(&rec, &e), TT_OK);
    rec.block = "x";
    rec.block_len = 1;
    T_EQ_INT(warc_check_digests(&rec, &e), TT_ECORRUPT);
}

/* Inflate a gzip member with zlib itself: its text into *text, 0 when it
 * is one whole member of exactly n bytes with a good CRC and length. */
static int zlib_member(const char *p, size_t n, sbuf *text)
{
    z_stream z;
    char buf[65536];
    int zr, rc = -1;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 31) != Z_OK)
        return -1;
    sbuf_reset(text);
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    do {
        z.next_out = (Bytef *)buf;
        z.avail_out = sizeof buf;
        zr = inflate(&z, Z_NO_FLUSH);
        sbuf_add(text, buf, sizeof buf - z.avail_out);
    } while (zr == Z_OK);
    if (zr == Z_STREAM_END && z.avail_in == 0 && z.total_in == n)
        rc = 0;
    inflateEnd(&z);
    return rc;
}

/* A filler of len bytes: exactly that long, one gzip member for zlib,
 * a valid WARC record for warc_read (digest right, the purge header, no
 * article id) that ends where the member does.  f: a scratch file,
 * written over from its start (what follows is stale, never read). */
static int filler_ok(uint64_t len, warc_reader *rd, FILE *f, sbuf *m,
                     sbuf *text)
{
    tt_err e;
    warc_record rec;
    const char *v;
    sbuf_reset(m);
    if (warc_filler(len, NULL, m, &e) != TT_OK || m->len != len ||
        zlib_member(m->s, m->len, text) != 0)
        return 0;
    rewind(f);
    if (fwrite(m->s, 1, m->len, f) != m->len || fflush(f) != 0)
        return 0;
    return warc_read(rd, f, 0, &rec, &e) == TT_OK && rec.next == len &&
           warc_check_digests(&rec, &e) == TT_OK &&
           (v = warc_get(&rec, "WARC-Type")) && !strcmp(v, "metadata") &&
           (v = warc_get(&rec, "WARC-Timtin-Purged")) && !strcmp(v, "1") &&
           !warc_get(&rec, "WARC-Timtin-Article-Id") &&
           warc_get(&rec, "WARC-Block-Digest") &&
           text->len > rec.block_len + 4 &&
           !memcmp(text->s + text->len - 4 - rec.block_len, rec.block,
                   rec.block_len);
}

static void test_filler(void)
{
    warc_reader *rd = warc_reader_new();
    sbuf m = {0}, text = {0};
    uint64_t min = warc_filler_min(), bad = 0, first_bad = 0;
    tt_err e;
    FILE *f = fopen(path_of("filler.warc.gz"), "w+b");
    T_CHECK(f != NULL);
    if (!f)
        return;
    /* every length from the least up past three stored-block limits'
     * worth of edges, then large ones */
    for (uint64_t len = min; len < min + 3000; len++)
        if (!filler_ok(len, rd, f, &m, &text) && !bad++)
            first_bad = len;
    for (uint64_t k = 1; k <= 3; k++)
        for (uint64_t len = 65535 * k - 400; len < 65535 * k + 400; len++)
            if (!filler_ok(len, rd, f, &m, &text) && !bad++)
                first_bad = len;
    for (uint64_t len = 999000; len < 1001100; len += 7) /* digits 6 → 7 */
        if (!filler_ok(len, rd, f, &m, &text) && !bad++)
            first_bad = len;
    if (!filler_ok(5u << 20, rd, f, &m, &text) && !bad++)
        first_bad = 5u << 20;
    if (bad)
        fprintf(stderr, "  %llu lengths bad, the first %llu\n",
                (unsigned long long)bad, (unsigned long long)first_bad);
    T_EQ_INT(bad, 0);
    /* too short for a record: refused, nothing added */
    sbuf_reset(&m);
    T_EQ_INT(warc_filler(min - 1, NULL, &m, &e), TT_EINVAL);
    T_CHECK(strstr(e.msg, "too short") != NULL);
    T_EQ_INT(m.len, 0);
    T_EQ_INT(warc_filler(0, NULL, &m, &e), TT_EINVAL);
    /* a block past the readers' cap: refused too */
    T_EQ_INT(warc_filler((uint64_t)WARC_MAX_BLOCK + (64u << 10), NULL, &m, &e),
             TT_EINVAL);
    T_EQ_INT(m.len, 0);
    /* no record as small as timtin writes is too short for one: a
     * 1-byte id and title, no url */
    T_CHECK(min <= 300);
    T_EQ_INT(min, 284);
    fclose(f);
    sbuf_free(&m);
    sbuf_free(&text);
    warc_reader_free(rd);
}

int main(void)
{
    if (!mkdtemp(tmp_path(dir, sizeof dir, "timtin-test-warc.XXXXXX"))) {
        perror("mkdtemp");
        return 1;
    }
    T_RUN(test_sha1_base32);
    T_RUN(test_ids_and_uris);
    T_RUN(test_determinism);
    T_RUN(test_roundtrip);
    T_RUN(test_append_existing);
    T_RUN(test_truncated);
    T_RUN(test_bitflip);
    T_RUN(test_garbage_and_resync);
    T_RUN(test_oversized);
    T_RUN(test_big_members);
    T_RUN(test_gzfile);
    T_RUN(test_long_lines);
    T_RUN(test_check_digests);
    T_RUN(test_filler);
    tt_rmtree(dir, NULL);
    return t_summary();
}
