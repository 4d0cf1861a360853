/* corpus.c — see corpus.h; the record format is the top comment of warc.c,
 * the directory layout is docs/FORMAT.md.
 *
 * DIRECTORY.  timtin-NNNNNN.warc.gz (serial from 000001; a new file when
 * the current one has reached max_file_size, so a file exceeds it by at
 * most one record), lock (the writer's flock, holding its pid), ids.idx
 * (the id index: a cache, rebuilt from the WARC files whenever it is
 * missing, corrupt or claims more than the files hold).
 *
 * IDS.IDX, little-endian:
 *   "TTIDX\0\0\5"                              8-byte magic and version
 *   u32 nfiles, then per file: u32 serial, u64 covered bytes, 20-byte
 *       SHA-1 of the IDX_TAIL bytes before covered
 *   u64 records, articles_stored, responses, deletions, payload_bytes,
 *       purged
 *   u64 nentries, then per id in first-stored order:
 *       u32 idlen, id bytes, u32 file serial, u64 offset of the latest
 *       version, u8 deleted, 20-byte SHA-1 of that version's block,
 *       u32 file serial, u64 offset of its page (file 0: none known),
 *       u64 hash of the page's WARC-Record-ID (0 with no page)
 *   u64 ndamaged, then per unreadable record met while indexing, in file
 *       order: u32 file serial, u64 offset, u32 len, len bytes of why
 *   20-byte SHA-1 of everything above
 * Versions 1 to 4 (4 without the pages, 3 without purged, 2 without the
 * damaged records, 1 without the tails) are rebuilt.
 * "Covered" is how far the index has read each file: every complete
 * record before it is in the index.  At open, what lies beyond is scanned
 * (the writer also cuts off a truncated last record there: that is the
 * crash recovery), and files the index does not list are scanned whole.
 *
 * PAGES.  The page of a version is the response record it names
 * (WARC-Refers-To, or its JSON's "response": version_ref), kept where
 * the index can know it: a writer knows the response record it appended
 * last (the crawler's page, then its version) and the one it read last
 * (a re-extraction's), the only ones refers_to names; a scan knows the
 * response record it met last, for a version naming it by
 * WARC-Refers-To.  Else a version keeps the page of the version before
 * it if both name the same record (a re-extraction names the page of
 * the version it re-extracts: so a scan places it too).  A scan thus
 * keeps one record id in memory, not every response's, and finds what
 * the writer found, but for a page the writer read where the index kept
 * none (corpus_find_responses's scan found it).  Readers check a page's
 * WARC-Record-ID against the one named (the hash only tells pages
 * apart); a deletion forgets the page, a purge the pages it overwrites.
 */
#include "corpus.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sha1.h"
#include "warc.h"

#define DEFAULT_MAX_FILE (1ull << 30)
#define IDX_MAGIC "TTIDX\0\0\5" /* an older version is rebuilt */
#define IDX_TAIL 64 /* bytes before a file's covered end that identify it */
#define ENTRY_FIXED (4 + 8 + 1 + SHA1_LEN + 4 + 8 + 8) /* an entry but its
                                                          id and idlen */
#define IDX_NAME "ids.idx"
#define IDX_MAX (4ull << 30) /* a larger ids.idx is not ours */
#define INDEX_SMALL 50000    /* ids: an index rewritten at every flush */
#define JOURNAL_NAME "purge.journal" /* a purge under way (corpus_purge) */
#define JOURNAL_MAGIC "timtin purge journal 1"

typedef struct entry {
    char *id;
    uint64_t off;            /* latest version: offset in file */
    uint32_t file;           /* latest version: file serial */
    uint8_t deleted;
    unsigned char digest[SHA1_LEN];
    uint32_t page_file;      /* its page (see PAGES): file serial, 0 none */
    uint64_t page_off;
    uint64_t page_hash;      /* ref_hash of the record id it names */
} entry;

typedef struct cfile {
    uint32_t serial;
    uint64_t size; /* bytes read into the index (writer: the file size) */
    unsigned char tail[SHA1_LEN]; /* SHA-1 of the IDX_TAIL bytes before */
    uint64_t tail_at;             /* ... this offset (0: none yet) */
} cfile;

/* A record the index could not read: an article version in it is lost to
 * the index (its id unknown, or an older version taken for the latest). */
typedef struct damage {
    uint32_t file;
    uint64_t off;
    char *why;
    int said;                /* reported through the callback already */
} damage;

typedef struct strset { /* a few strings, looked up one by one */
    char **v;
    size_t n, cap;
} strset;

typedef struct counts {
    uint64_t records, articles_stored, responses, deletions, payload_bytes;
    uint64_t purged;
} counts;

struct corpus {
    char *dir;
    int flags;
    corpus_opts o;
    int lockfd;
    cfile *files;
    size_t nfiles, capfiles;
    warc_writer *w;       /* open on the last file, or NULL */
    int unflushed;        /* appends not yet pushed to the kernel */
    int new_name;         /* a WARC file created since the last flush */
    warc_reader *rd;      /* for corpus_get */
    FILE *rf;             /* the file rd last read */
    uint32_t rf_serial;
    entry *ents;          /* ids in first-stored order */
    size_t nents, capents, ndeleted;
    damage *dmg;          /* unreadable records, in file order */
    size_t ndmg, capdmg;
    uint32_t (*gaps)[2];  /* serials missing between the files: ranges */
    size_t ngaps, capgaps;
    uint64_t nmissing;    /* files in the gaps */
    uint32_t *slots;      /* hash table: entry index + 1, 0 = free */
    size_t nslots;
    counts n;
    int dirty;            /* the index changed since it was saved */
    int rebuilt;          /* ... and was rebuilt at open (none, or bad) */
    int index_bad;        /* it sent a get astray: removed, not saved */
    int opened;           /* corpus_open succeeded */
    uint64_t saved_records; /* n.records when ids.idx was last written */
    double saved_at;        /* and when */
    int closing;            /* in corpus_close: save the index for sure */
    corpus_pos opened_end;  /* the end at the open: records after it were
                               written through this handle */
    char last_resp[WARC_ID_LEN]; /* WARC-Record-ID of the response record
                                    written last through this handle */
    char read_resp[WARC_ID_LEN]; /* ... and read last (corpus_get_response) */
    corpus_pos last_page, read_page; /* where they are */
    char scan_resp[WARC_ID_LEN]; /* ... and met last by a scan (PAGES) */
    corpus_pos scan_page;
    sbuf rec_path;        /* the file of the record corpus_get_response
                             read */
    tt_err err;           /* first I/O error of the session, sticky */
    sbuf tmp;
};

/* ---- small helpers ---- */

static void warnf(corpus *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warnf(corpus *c, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->o.warn)
        c->o.warn(c->o.warn_arg, msg);
    else
        tt_warn("%s", msg);
}

/* Record the first I/O error; returns its code. */
static int sticky(corpus *c, const tt_err *e)
{
    if (!c->err.code)
        c->err = *e;
    return c->err.code;
}

static int sticky_ret(corpus *c, tt_err *e)
{
    if (e)
        *e = c->err;
    return c->err.code;
}

static const char *file_path(corpus *c, sbuf *b, uint32_t serial)
{
    return corpus_file_name(b, c->dir, serial);
}

/* The SHA-1 of the last IDX_TAIL bytes (fewer in a smaller file) before
 * offset size of file serial: the last member's gzip trailer, its CRC of
 * a record with a random id, identifies the file.  0, or -1 when they
 * cannot be read. */
static int file_tail(corpus *c, uint32_t serial, uint64_t size,
                     unsigned char out[SHA1_LEN])
{
    unsigned char buf[IDX_TAIL];
    size_t n = size < IDX_TAIL ? (size_t)size : IDX_TAIL;
    sbuf path = {0};
    int fd = open(file_path(c, &path, serial), O_RDONLY | O_CLOEXEC), rc = -1;
    if (fd >= 0 && pread(fd, buf, n, (off_t)(size - n)) == (ssize_t)n) {
        sha1(buf, n, out);
        rc = 0;
    }
    if (fd >= 0)
        close(fd);
    sbuf_free(&path);
    return rc;
}

/* Article ids go into a WARC header with '%', controls and space
 * percent-encoded, so any id fits on one header line.  urn: for the
 * NSS of urn:timtin:article:ID (RFC 8141, RFC 3986 pchar and '/'): all
 * but unreserved characters, sub-delims, ':', '@' and '/' encoded too
 * ('#', '?', '[', non-ASCII bytes...), so that the URN gives the id back
 * and two ids never give equivalent URNs. */
static void id_encode(sbuf *b, const char *id, int urn)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        int keep = urn ? (*p < 0x80 && (isalnum(*p) ||
                                        strchr("-._~!$&'()*+,;=:@/", *p)))
                       : !(*p <= 0x20 || *p == 0x7f || *p == '%');
        if (!keep) {
            char e3[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            sbuf_add(b, e3, 3);
        } else {
            sbuf_addc(b, (char)*p);
        }
    }
}

/* ---- the id table ---- */

static uint64_t hash_id(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h ^ (h >> 29);
}

static void rehash(corpus *c, size_t nslots)
{
    free(c->slots);
    c->slots = xcalloc(nslots, sizeof *c->slots);
    c->nslots = nslots;
    for (size_t i = 0; i < c->nents; i++) {
        size_t s = hash_id(c->ents[i].id, strlen(c->ents[i].id)) & (nslots - 1);
        while (c->slots[s])
            s = (s + 1) & (nslots - 1);
        c->slots[s] = (uint32_t)(i + 1);
    }
}

static entry *lookup(corpus *c, const char *id, size_t n)
{
    size_t s;
    if (!c->nslots)
        return NULL;
    s = hash_id(id, n) & (c->nslots - 1);
    while (c->slots[s]) {
        entry *en = &c->ents[c->slots[s] - 1];
        if (!strncmp(en->id, id, n) && en->id[n] == '\0')
            return en;
        s = (s + 1) & (c->nslots - 1);
    }
    return NULL;
}

static entry *add_entry(corpus *c, const char *id, size_t n)
{
    entry *en;
    size_t s;
    if ((c->nents + 1) * 2 > c->nslots)
        rehash(c, c->nslots ? c->nslots * 2 : 1024);
    xgrow(&c->ents, &c->capents, c->nents + 1, sizeof *c->ents);
    en = &c->ents[c->nents];
    memset(en, 0, sizeof *en);
    en->id = xstrndup(id, n);
    s = hash_id(id, n) & (c->nslots - 1);
    while (c->slots[s])
        s = (s + 1) & (c->nslots - 1);
    c->slots[s] = (uint32_t)++c->nents;
    return en;
}

static void clear_index(corpus *c)
{
    for (size_t i = 0; i < c->nents; i++)
        free(c->ents[i].id);
    free(c->ents);
    free(c->slots);
    for (size_t i = 0; i < c->ndmg; i++)
        free(c->dmg[i].why);
    free(c->dmg);
    c->ents = NULL;
    c->slots = NULL;
    c->dmg = NULL;
    c->nents = c->capents = c->nslots = c->ndeleted = 0;
    c->ndmg = c->capdmg = 0;
    memset(&c->n, 0, sizeof c->n);
    c->scan_resp[0] = '\0';
}

/* ---- pages: the response record a version names ---- */

/* A response record's id as WARC-Record-ID writes it, "<urn:...>", from
 * an article's "response" field or a WARC-Refers-To ("<urn:...>" or
 * "urn:...", printable ASCII without '"', '\\', '<' or '>' inside: what
 * JSON holds unescaped, so that the stored JSON gives it back), into out
 * (reset first): 0, or -1 when resp is neither. */
static int response_ref(const char *resp, sbuf *out)
{
    int br = resp && resp[0] == '<';
    size_t n = resp ? strlen(resp) : 0;
    sbuf_reset(out);
    if (!resp || strncmp(resp, br ? "<urn:" : "urn:", br ? 5 : 4) != 0 ||
        (br && resp[n - 1] != '>'))
        return -1;
    for (size_t i = (size_t)br; i < n - (size_t)br; i++)
        if (resp[i] <= ' ' || resp[i] >= 0x7f || strchr("\"\\<>", resp[i]))
            return -1;
    sbuf_addf(out, br ? "%s" : "<%s>", resp);
    return 0;
}

/* The "response" of article JSON in the form article_to_json writes it,
 * read from its end (a version's last key; only deletion markers have
 * one after it), without a parse: into out as response_ref gives it.
 * 0, or -1 when the JSON does not end with one. */
static int json_response(const char *json, size_t len, sbuf *out)
{
    static const char key[] = ",\"response\":\"";
    const size_t k = sizeof key - 1;
    char v[2 * WARC_ID_LEN];
    size_t i;
    if (len < k + 2 || json[len - 1] != '}' || json[len - 2] != '"')
        return -1;
    for (i = len - 2; i > 0 && json[i - 1] != '"'; i--)
        if (json[i - 1] == '\\' || len - 2 - i >= sizeof v - 1)
            return -1; /* an escape: no record id */
    if (i < k || memcmp(json + i - k, key, k) != 0)
        return -1;
    memcpy(v, json + i, len - 2 - i);
    v[len - 2 - i] = '\0';
    return response_ref(v, out);
}

/* The response record version rec names, into out: its WARC-Refers-To,
 * else its JSON's "response".  0, or -1 when it names none. */
static int version_ref(const warc_record *rec, sbuf *out)
{
    const char *v = warc_get(rec, "WARC-Refers-To");
    if (v)
        return response_ref(v, out);
    return json_response(rec->block, rec->block_len, out);
}

static uint64_t ref_hash(const char *ref)
{
    uint64_t h = hash_id(ref, strlen(ref));
    return h ? h : 1; /* 0: no page */
}

/* A new version (or deletion marker) of id at (file, off), naming the
 * response record ref (NULL: none), found at page ({0,0}: where is not
 * known here; PAGES). */
static void note_article(corpus *c, const char *id, size_t n, uint32_t file,
                         uint64_t off, const unsigned char digest[SHA1_LEN],
                         int deleted, const char *ref, corpus_pos page)
{
    entry *en = lookup(c, id, n);
    uint64_t h = ref && !deleted ? ref_hash(ref) : 0;
    if (!en) {
        en = add_entry(c, id, n);
        c->ndeleted += deleted != 0;
    } else {
        c->ndeleted -= en->deleted;
        c->ndeleted += deleted != 0;
        if (h && !page.file && en->page_file && en->page_hash == h)
            page = (corpus_pos){en->page_file, en->page_off}; /* kept */
    }
    en->file = file;
    en->off = off;
    en->deleted = deleted != 0;
    memcpy(en->digest, digest, SHA1_LEN);
    en->page_file = h ? page.file : 0;
    en->page_off = en->page_file ? page.offset : 0;
    en->page_hash = en->page_file ? h : 0;
    if (deleted)
        c->n.deletions++;
    else
        c->n.articles_stored++;
    c->dirty = 1;
}

/* Add a record read from a file to the index and the counts. */
static void note_record(corpus *c, uint32_t file, const warc_record *rec)
{
    const char *type = warc_get(rec, "WARC-Type");
    const char *aid = warc_get(rec, "WARC-Timtin-Article-Id");
    c->n.records++;
    c->dirty = 1;
    if (type && !strcmp(type, "response")) {
        const char *rid = warc_get(rec, "WARC-Record-ID");
        c->n.responses++;
        c->n.payload_bytes += rec->block_len;
        c->scan_resp[0] = '\0'; /* the page of the versions after it */
        if (rid && strlen(rid) < WARC_ID_LEN) {
            memcpy(c->scan_resp, rid, strlen(rid) + 1);
            c->scan_page = (corpus_pos){file, rec->offset};
        }
    } else if (warc_get(rec, "WARC-Timtin-Purged")) {
        c->n.purged++; /* a record overwritten by a purge */
    } else if (type && !strcmp(type, "resource") && aid) {
        unsigned char d[SHA1_LEN];
        const char *del = warc_get(rec, "WARC-Timtin-Deleted");
        sbuf ref = {0};
        corpus_pos page = {0, 0};
        int named = version_ref(rec, &ref) == 0;
        if (warc_parse_sha1(warc_get(rec, "WARC-Block-Digest"), d) != 0)
            sha1(rec->block, rec->block_len, d);
        if (named && warc_get(rec, "WARC-Refers-To") &&
            !strcmp(ref.s, c->scan_resp))
            page = c->scan_page; /* as the writer knew it: put_record */
        corpus_id_decode(&c->tmp, aid);
        note_article(c, c->tmp.s, c->tmp.len, file, rec->offset, d,
                     del && !strcmp(del, "1"), named ? ref.s : NULL, page);
        c->n.payload_bytes += rec->block_len;
        sbuf_free(&ref);
    }
}

/* An unreadable record at (file, off), said through the callback when
 * said is set. */
static void note_damage(corpus *c, uint32_t file, uint64_t off,
                        const char *why, size_t n, int said)
{
    damage *d;
    if (n > sizeof ((tt_err *)0)->msg - 1)
        n = sizeof ((tt_err *)0)->msg - 1;
    xgrow(&c->dmg, &c->capdmg, c->ndmg + 1, sizeof *c->dmg);
    d = &c->dmg[c->ndmg++];
    d->file = file;
    d->off = off;
    d->why = xstrndup(why, n);
    d->said = said;
    c->dirty = 1;
}

/* ---- files ---- */

static int cmp_cfile(const void *a, const void *b)
{
    uint32_t x = ((const cfile *)a)->serial, y = ((const cfile *)b)->serial;
    return x < y ? -1 : x > y;
}

/* Is name a WARC file of a corpus (timtin-NNNNNN.warc.gz)?  *serial gets
 * its number. */
static int warc_name(const char *name, uint64_t *serial)
{
    const char *p;
    *serial = 0;
    if (strncmp(name, "timtin-", 7) != 0)
        return 0;
    for (p = name + 7; *p >= '0' && *p <= '9'; p++)
        *serial = *serial * 10 + (uint64_t)(*p - '0');
    return p - (name + 7) >= 6 && p - (name + 7) <= 9 &&
           !strcmp(p, ".warc.gz") && *serial != 0;
}

/* The WARC files of the directory, sorted, with their sizes on disk. */
static int list_files(corpus *c, cfile **out, size_t *n, tt_err *e)
{
    DIR *d = opendir(c->dir);
    struct dirent *de;
    cfile *v = NULL;
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    if (!d)
        return tt_seterr(e, TT_EIO, "%s: %s", c->dir, strerror(errno));
    while ((de = readdir(d))) {
        const char *s = de->d_name;
        uint64_t serial;
        struct stat st;
        if (!warc_name(s, &serial))
            continue;
        sbuf_reset(&c->tmp);
        sbuf_addf(&c->tmp, "%s/%s", c->dir, s);
        if (stat(c->tmp.s, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        xgrow(&v, &cap, *n + 1, sizeof *v);
        v[*n].serial = (uint32_t)serial;
        v[*n].size = (uint64_t)st.st_size;
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, cmp_cfile);
    *out = v;
    return TT_OK;
}

static cfile *find_file(corpus *c, uint32_t serial)
{
    size_t lo = 0, hi = c->nfiles; /* files[] is sorted by serial */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->files[mid].serial < serial)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->nfiles && c->files[lo].serial == serial ? &c->files[lo]
                                                           : NULL;
}

/* ---- ids.idx ---- */

static unsigned char *put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
    return p + bytes;
}

typedef struct rbuf {
    const unsigned char *p;
    size_t n, pos;
    int bad;
} rbuf;

static const unsigned char *take(rbuf *r, size_t n)
{
    const unsigned char *p;
    if (r->bad || r->n - r->pos < n) {
        r->bad = 1;
        return NULL;
    }
    p = r->p + r->pos;
    r->pos += n;
    return p;
}

static uint64_t get_uint(rbuf *r, int bytes)
{
    const unsigned char *p = take(r, (size_t)bytes);
    uint64_t v = 0;
    if (!p)
        return 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Write n bytes of p at offset off of fd (the file path). */
static int pwrite_all(int fd, const char *p, size_t n, uint64_t off,
                      const char *path, tt_err *e)
{
    for (size_t at = 0; at < n;) {
        ssize_t k = pwrite(fd, p + at, n - at, (off_t)(off + at));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return tt_seterr(e, TT_EIO, "%s: %s", path,
                             k < 0 ? strerror(errno) : "short write");
        at += (size_t)k;
    }
    return TT_OK;
}

/* Write b as DIR/name: into name.tmp, fsynced when do_fsync, renamed
 * over name, the directory fsynced then too. */
static int replace_file(corpus *c, const char *name, const sbuf *b,
                        int do_fsync, tt_err *e)
{
    sbuf path = {0}, tmp = {0};
    int rc = TT_OK, fd;
    sbuf_addf(&path, "%s/%s", c->dir, name);
    sbuf_addf(&tmp, "%s/%s.tmp", c->dir, name);
    fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", tmp.s, strerror(errno));
        goto fail;
    }
    if ((rc = pwrite_all(fd, b->s, b->len, 0, tmp.s, e)))
        goto fail;
    if (do_fsync && fsync(fd) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: fsync: %s", tmp.s, strerror(errno));
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = tt_seterr(e, TT_EIO, "%s: %s", tmp.s, strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp.s, path.s) != 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", path.s, strerror(errno));
        goto fail;
    }
    if (do_fsync)
        tt_sync_dir(c->dir);
fail:
    if (fd >= 0) {
        close(fd);
        unlink(tmp.s);
    }
    sbuf_free(&path);
    sbuf_free(&tmp);
    return rc;
}

static int save_index(corpus *c, tt_err *e)
{
    sbuf b = {0};
    unsigned char *p;
    size_t size = 8 + 4 + (12 + SHA1_LEN) * c->nfiles + 7 * 8 + SHA1_LEN;
    int rc;
    if (c->index_bad) /* removed: the next open rebuilds it */
        return TT_OK;
    for (size_t i = 0; i < c->nents; i++)
        size += 4 + strlen(c->ents[i].id) + ENTRY_FIXED;
    size += 8;
    for (size_t i = 0; i < c->ndmg; i++)
        size += 4 + 8 + 4 + strlen(c->dmg[i].why);
    xgrow(&b.s, &b.cap, size, 1);
    p = (unsigned char *)b.s;
    memcpy(p, IDX_MAGIC, 8);
    p = put_le(p + 8, c->nfiles, 4);
    for (size_t i = 0; i < c->nfiles; i++) {
        cfile *f = &c->files[i];
        /* only the file appended to changes; an empty one (a writer
         * killed right after a rotation) is covered too: the digest of
         * no bytes */
        if (f->tail_at != f->size || !f->size) {
            if (file_tail(c, f->serial, f->size, f->tail) != 0)
                memset(f->tail, 0, SHA1_LEN); /* never matches: rebuilt */
            f->tail_at = f->size;
        }
        p = put_le(p, f->serial, 4);
        p = put_le(p, f->size, 8);
        memcpy(p, f->tail, SHA1_LEN);
        p += SHA1_LEN;
    }
    p = put_le(p, c->n.records, 8);
    p = put_le(p, c->n.articles_stored, 8);
    p = put_le(p, c->n.responses, 8);
    p = put_le(p, c->n.deletions, 8);
    p = put_le(p, c->n.payload_bytes, 8);
    p = put_le(p, c->n.purged, 8);
    p = put_le(p, c->nents, 8);
    for (size_t i = 0; i < c->nents; i++) {
        const entry *en = &c->ents[i];
        size_t n = strlen(en->id);
        p = put_le(p, n, 4);
        memcpy(p, en->id, n);
        p = put_le(p + n, en->file, 4);
        p = put_le(p, en->off, 8);
        *p++ = en->deleted;
        memcpy(p, en->digest, SHA1_LEN);
        p = put_le(p + SHA1_LEN, en->page_file, 4);
        p = put_le(p, en->page_off, 8);
        p = put_le(p, en->page_hash, 8);
    }
    p = put_le(p, c->ndmg, 8);
    for (size_t i = 0; i < c->ndmg; i++) {
        size_t n = strlen(c->dmg[i].why);
        p = put_le(p, c->dmg[i].file, 4);
        p = put_le(p, c->dmg[i].off, 8);
        p = put_le(p, n, 4);
        memcpy(p, c->dmg[i].why, n);
        p += n;
    }
    sha1(b.s, size - SHA1_LEN, p);
    b.len = size;

    if ((rc = replace_file(c, IDX_NAME, &b, c->o.fsync, e)) == TT_OK) {
        c->dirty = 0;
        c->saved_records = c->n.records;
        c->saved_at = tt_now();
    }
    sbuf_free(&b);
    return rc;
}

/* Load ids.idx into c (files[] becomes its coverage).  TT_ENOTFOUND when
 * there is none, TT_ECORRUPT (with a reason) when it is not usable. */
static int load_index(corpus *c, tt_err *e)
{
    sbuf path = {0};
    char *data = NULL;
    size_t len = 0;
    rbuf r = {0};
    unsigned char d[SHA1_LEN];
    uint64_t nfiles, nents, ndmg = 0;
    int rc;

    sbuf_addf(&path, "%s/" IDX_NAME, c->dir);
    rc = tt_read_file(path.s, IDX_MAX, &data, &len, e);
    if (rc == TT_EINVAL)
        rc = tt_seterr(e, TT_ECORRUPT, "too large");
    if (rc)
        goto fail;
    if (len >= 8 && !memcmp(data, IDX_MAGIC, 7) &&
        (unsigned char)data[7] < (unsigned char)IDX_MAGIC[7]) {
        rc = tt_seterr(e, TT_ECORRUPT, "version %d, of an older timtin "
                       "(without the places of the pages)", data[7]);
        goto fail;
    }
    if (len < 8 + SHA1_LEN || memcmp(data, IDX_MAGIC, 8) != 0) {
        rc = tt_seterr(e, TT_ECORRUPT, "not an id index of this version");
        goto fail;
    }
    sha1(data, len - SHA1_LEN, d);
    if (memcmp(d, data + len - SHA1_LEN, SHA1_LEN) != 0) {
        rc = tt_seterr(e, TT_ECORRUPT, "checksum mismatch");
        goto fail;
    }
    r.p = (const unsigned char *)data;
    r.n = len - SHA1_LEN;
    r.pos = 8;
    nfiles = get_uint(&r, 4);
    if (nfiles > (r.n - r.pos) / (12 + SHA1_LEN)) {
        rc = tt_seterr(e, TT_ECORRUPT, "bad file count");
        goto fail;
    }
    for (uint64_t i = 0; i < nfiles; i++) {
        cfile *f;
        xgrow(&c->files, &c->capfiles, c->nfiles + 1, sizeof *c->files);
        f = &c->files[c->nfiles];
        memset(f, 0, sizeof *f);
        f->serial = (uint32_t)get_uint(&r, 4);
        f->size = get_uint(&r, 8);
        const unsigned char *t = take(&r, SHA1_LEN);
        if (t)
            memcpy(f->tail, t, SHA1_LEN);
        if (c->nfiles && c->files[c->nfiles].serial <= c->files[c->nfiles - 1].serial)
            r.bad = 1;
        c->nfiles++;
    }
    c->n.records = get_uint(&r, 8);
    c->n.articles_stored = get_uint(&r, 8);
    c->n.responses = get_uint(&r, 8);
    c->n.deletions = get_uint(&r, 8);
    c->n.payload_bytes = get_uint(&r, 8);
    c->n.purged = get_uint(&r, 8);
    nents = get_uint(&r, 8);
    if (r.bad || nents > (r.n - r.pos) / (4 + 1 + ENTRY_FIXED)) {
        rc = tt_seterr(e, TT_ECORRUPT, "bad header");
        goto fail;
    }
    {
        size_t ns = 1024;
        while (ns < nents * 2 + 2)
            ns *= 2;
        rehash(c, ns);
    }
    for (uint64_t i = 0; i < nents && !r.bad; i++) {
        uint32_t n = (uint32_t)get_uint(&r, 4);
        const unsigned char *id = take(&r, n);
        uint32_t file = (uint32_t)get_uint(&r, 4);
        uint64_t off = get_uint(&r, 8);
        const unsigned char *del = take(&r, 1), *dig = take(&r, SHA1_LEN);
        uint32_t pfile = (uint32_t)get_uint(&r, 4);
        uint64_t poff = get_uint(&r, 8), phash = get_uint(&r, 8);
        const cfile *cf, *pf;
        entry *en;
        if (r.bad)
            break;
        cf = find_file(c, file);
        pf = pfile ? find_file(c, pfile) : NULL;
        if (!n || memchr(id, 0, n) || !cf || off >= cf->size || *del > 1 ||
            lookup(c, (const char *)id, n) ||
            (!pfile && (poff || phash)) ||
            (pfile && (!pf || poff >= pf->size || *del || !phash ||
                       corpus_pos_cmp((corpus_pos){pfile, poff},
                                      (corpus_pos){file, off}) >= 0))) {
            r.bad = 1; /* (a page is before the version naming it) */
            break;
        }
        en = add_entry(c, (const char *)id, n);
        en->file = file;
        en->off = off;
        en->deleted = *del;
        c->ndeleted += *del;
        memcpy(en->digest, dig, SHA1_LEN);
        en->page_file = pfile;
        en->page_off = poff;
        en->page_hash = phash;
    }
    if (!r.bad && (ndmg = get_uint(&r, 8)) > (r.n - r.pos) / 16)
        r.bad = 1;
    for (uint64_t i = 0; i < ndmg && !r.bad; i++) {
        uint32_t file = (uint32_t)get_uint(&r, 4);
        uint64_t off = get_uint(&r, 8);
        uint32_t n = (uint32_t)get_uint(&r, 4);
        const unsigned char *why = take(&r, n);
        const cfile *cf = find_file(c, file);
        if (r.bad || !cf || off >= cf->size || memchr(why, 0, n) ||
            n >= sizeof ((tt_err *)0)->msg) {
            r.bad = 1;
            break;
        }
        note_damage(c, file, off, (const char *)why, n, 0);
    }
    if (r.bad || r.pos != r.n) {
        rc = tt_seterr(e, TT_ECORRUPT, "bad entries");
        goto fail;
    }
    c->dirty = 0;
    c->saved_records = c->n.records;
    c->saved_at = tt_now();
fail:
    if (rc) {
        clear_index(c);
        c->nfiles = 0;
    }
    free(data);
    sbuf_free(&path);
    return rc;
}

/* ---- opening ---- */

/* A writer finding the lock held with no live writer's pid in it waits
 * up to LOCK_TRIES naps for a reader's save of ids.idx to end. */
#define LOCK_TRIES 150
#define LOCK_NAP_NS 20000000L /* 20 ms: 3 s in all */

static int take_lock(corpus *c, int wait, tt_err *e)
{
    sbuf path = {0};
    char buf[32];
    int rc = TT_OK, tries = 0;
    sbuf_addf(&path, "%s/lock", c->dir);
    c->lockfd = open(path.s, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (c->lockfd < 0) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", path.s, strerror(errno));
        goto fail;
    }
    while (flock(c->lockfd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        uint64_t pid = 0;
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK) {
            ssize_t n = pread(c->lockfd, buf, sizeof buf - 1, 0);
            buf[n > 0 ? n : 0] = '\0';
            buf[strcspn(buf, "\n")] = '\0';
            if (tt_parse_u64(buf, INT32_MAX, &pid) || !pid ||
                (kill((pid_t)pid, 0) != 0 && errno == ESRCH))
                pid = 0; /* no live writer's pid */
            /* without one, the holder is a reader saving the index it
             * rebuilt (a moment), or what a dead writer started: wait a
             * little for the first */
            if (!pid && tries++ < LOCK_TRIES) {
                struct timespec ts = {0, LOCK_NAP_NS};
                nanosleep(&ts, NULL);
                continue;
            }
            if (pid)
                rc = tt_seterr(e, TT_ELOCKED, "corpus %s is locked by "
                               "another writer (pid %llu)", c->dir,
                               (unsigned long long)pid);
            else
                rc = tt_seterr(e, TT_ELOCKED, "corpus %s is locked by "
                               "another process (no live writer holds it: "
                               "a reader saving the id index, or a program "
                               "a writer started before it exited)", c->dir);
        } else {
            rc = tt_seterr(e, TT_EIO, "%s: flock: %s", path.s,
                           strerror(errno));
        }
        close(c->lockfd);
        c->lockfd = -1;
        goto fail;
    }
    snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(c->lockfd, 0) != 0 ||
        pwrite(c->lockfd, buf, strlen(buf), 0) != (ssize_t)strlen(buf))
        tt_warn("%s: cannot record the pid: %s", path.s, strerror(errno));
fail:
    sbuf_free(&path);
    return rc;
}

/* A reader that had to rebuild the index (none, a bad one, one of other
 * files or of version 1) saves it when no writer holds the corpus, so
 * that the readers after it need not rebuild it again (a writer would
 * save it at its next flush).  It gives up quietly when the lock is held
 * or the directory is read-only; it writes no pid in the lock file, and a
 * writer meeting it waits for it (take_lock).  Files appended to since the scan are
 * fine: the index covers a prefix of them, and the next open scans the
 * rest. */
static void reader_save(corpus *c)
{
    sbuf path = {0};
    int fd;
    sbuf_addf(&path, "%s/lock", c->dir);
    fd = open(path.s, O_RDWR | O_CLOEXEC);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        save_index(c, NULL) == TT_OK)
        c->dirty = 0;
    if (fd >= 0)
        close(fd); /* releases the flock */
    sbuf_free(&path);
}

/* Read the records of file cf from cf->size on into the index, leaving
 * cf->size at the end of the last complete record.  is_last: the newest
 * file, where a truncated record is a crashed append (cut off when
 * writing, the end of the data when reading). */
static int scan_file(corpus *c, cfile *cf, uint64_t disk_size, int is_last,
                     tt_err *e)
{
    sbuf path = {0};
    FILE *f;
    warc_record rec;
    tt_err re;
    int rc = TT_OK;
    file_path(c, &path, cf->serial);
    if (!(f = fopen(path.s, "rb"))) {
        rc = tt_seterr(e, TT_EIO, "%s: %s", path.s, strerror(errno));
        goto fail;
    }
    while (cf->size < disk_size) {
        int r = warc_read(c->rd, f, cf->size, &rec, &re);
        if (r == TT_OK) {
            note_record(c, cf->serial, &rec);
            cf->size = rec.next;
        } else if (r == TT_ENOTFOUND) {
            break;
        } else if (r == TT_ECORRUPT && rec.truncated && is_last) {
            if (c->flags & CORPUS_WRITE) {
                if (truncate(path.s, (off_t)rec.offset) != 0) {
                    rc = tt_seterr(e, TT_EIO, "%s: truncate: %s", path.s,
                                   strerror(errno));
                    goto fail;
                }
                if (rec.no_member)
                    warnf(c, "%s: dropped %llu bytes at offset %llu that "
                             "are no record (no gzip member starts there; "
                             "crash or power loss during append?)",
                          path.s,
                          (unsigned long long)(disk_size - rec.offset),
                          (unsigned long long)rec.offset);
                else
                    warnf(c, "%s: dropped truncated record at offset %llu "
                             "(%llu bytes; crash during append?)",
                          path.s, (unsigned long long)rec.offset,
                          (unsigned long long)(disk_size - rec.offset));
            }
            break; /* a reader: a writer may be appending it right now */
        } else if (r == TT_ECORRUPT) {
            warnf(c, "%s: offset %llu: %s%s", path.s,
                  (unsigned long long)rec.offset, re.msg,
                  rec.truncated ? " (truncated)" : "");
            note_damage(c, cf->serial, rec.offset, re.msg, strlen(re.msg), 1);
            cf->size = rec.next;
        } else {
            rc = tt_seterr(e, r, "%s: %s", path.s, re.msg);
            goto fail;
        }
    }
fail:
    if (f)
        fclose(f);
    sbuf_free(&path);
    return rc;
}

/* The serials missing from the files on disk (sorted): file names carry
 * serials from 000001 in write order, and no operation removes a file,
 * so a gap is a file lost.  Each gap is said now, at every open (the
 * index, rebuilt without the file, no longer knows it), and
 * corpus_damaged counts them. */
static void note_gaps(corpus *c, const cfile *disk, size_t ndisk)
{
    sbuf a = {0}, b = {0};
    uint32_t expect = 1;
    for (size_t i = 0; i < ndisk; i++) {
        uint32_t s = disk[i].serial;
        if (s > expect) {
            xgrow(&c->gaps, &c->capgaps, c->ngaps + 1, sizeof *c->gaps);
            c->gaps[c->ngaps][0] = expect;
            c->gaps[c->ngaps][1] = s - 1;
            c->ngaps++;
            c->nmissing += s - expect;
            file_path(c, &a, expect);
            if (s - 1 == expect) {
                warnf(c, "%s: missing (timtin-%06" PRIu32 ".warc.gz is there, "
                         "and serials run in write order from 000001: its "
                         "records are lost; no operation removes a WARC "
                         "file)", a.s, s);
            } else {
                sbuf_reset(&b);
                sbuf_addf(&b, "timtin-%06" PRIu32 ".warc.gz", s - 1);
                warnf(c, "%s to %s: missing, %" PRIu32 " files (serials run "
                         "in write order from 000001: their records are "
                         "lost; no operation removes a WARC file)",
                      a.s, b.s, s - expect);
            }
        }
        expect = s + 1;
    }
    sbuf_free(&a);
    sbuf_free(&b);
}

/* Bring the index up to date with the files: load ids.idx, check it
 * against the directory, scan what it does not cover. */
static int sync_index(corpus *c, tt_err *e)
{
    cfile *disk = NULL;
    size_t ndisk = 0, i;
    tt_err le;
    int rc, stale = 0;

    if ((rc = list_files(c, &disk, &ndisk, e)))
        goto fail;
    note_gaps(c, disk, ndisk);
    rc = load_index(c, &le);
    if (rc == TT_ECORRUPT) {
        warnf(c, "%s/" IDX_NAME ": %s; rebuilding it from the WARC files",
              c->dir, le.msg);
    } else if (rc == TT_OK) {
        /* The index must describe a prefix of these very files, none
         * shrunk: an index of other files with the same names and sizes
         * (restored from elsewhere) would send readers to wrong offsets */
        uint32_t gone = 0; /* a file the index lists that is missing */
        for (i = 0; i < c->nfiles && !gone; i++) {
            size_t lo = 0, hi = ndisk;
            while (lo < hi) { /* disk[] is sorted by serial */
                size_t mid = lo + (hi - lo) / 2;
                if (disk[mid].serial < c->files[i].serial)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == ndisk || disk[lo].serial != c->files[i].serial)
                gone = c->files[i].serial;
        }
        if (gone) {
            sbuf path = {0};
            warnf(c, "%s/" IDX_NAME ": lists %s, which is missing (its "
                     "records are lost: no operation removes a WARC file); "
                     "rebuilding it from the files there are", c->dir,
                  file_path(c, &path, gone));
            sbuf_free(&path);
            stale = 3;
        }
        if (c->nfiles > ndisk)
            stale = stale ? stale : 1;
        for (i = 0; i < c->nfiles && !stale; i++) {
            unsigned char t[SHA1_LEN];
            if (c->files[i].serial != disk[i].serial ||
                c->files[i].size > disk[i].size)
                stale = 1;
            else if (file_tail(c, disk[i].serial, c->files[i].size, t) ||
                     memcmp(t, c->files[i].tail, SHA1_LEN) != 0)
                stale = 2, gone = disk[i].serial;
            else
                c->files[i].tail_at = c->files[i].size;
        }
        if (stale) {
            sbuf path = {0};
            if (stale == 1)
                warnf(c, "%s/" IDX_NAME ": covers more than the WARC files "
                         "hold (a file shrunk); rebuilding it", c->dir);
            else if (stale == 2)
                warnf(c, "%s/" IDX_NAME ": the bytes it recorded of %s "
                         "differ from the file's (the file was replaced or "
                         "edited since the index was written); rebuilding "
                         "it", c->dir, file_path(c, &path, gone));
            sbuf_free(&path);
            clear_index(c);
            c->nfiles = 0;
            c->rebuilt = 1;
        }
    } else if (rc != TT_ENOTFOUND) {
        warnf(c, "%s/" IDX_NAME ": %s; rebuilding it", c->dir, le.msg);
    }
    if (rc != TT_OK)
        c->dirty = c->rebuilt = 1;
    rc = TT_OK;
    for (i = c->nfiles; i < ndisk; i++) {
        xgrow(&c->files, &c->capfiles, c->nfiles + 1, sizeof *c->files);
        memset(&c->files[c->nfiles], 0, sizeof *c->files);
        c->files[c->nfiles].serial = disk[i].serial;
        c->nfiles++;
    }
    for (i = 0; i < c->nfiles; i++)
        if (c->files[i].size < disk[i].size &&
            (rc = scan_file(c, &c->files[i], disk[i].size, i + 1 == ndisk, e)))
            goto fail;
fail:
    free(disk);
    return rc;
}

static int journal_redo(corpus *c, strset *ids, tt_err *e);
static int journal_finish(corpus *c, strset *ids, tt_err *e);
static void strset_free(strset *s);

/* A corpus directory holds its WARC files, ids.idx, the lock and the
 * crawler's state; a writer adds files to it.  So only a corpus, or a
 * directory with nothing in it but hidden files and lost+found (a volume
 * of its own), is taken: never a mistyped path to a directory of other
 * files.  TT_OK, or TT_EINVAL naming one of the files in the way. */
static int check_corpus_dir(const char *dir, tt_err *e)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char *other = NULL;
    int ours = 0;
    uint64_t serial;
    if (!d)
        return tt_seterr(e, TT_EIO, "corpus %s: %s", dir, strerror(errno));
    while (!ours && (de = readdir(d))) {
        const char *s = de->d_name;
        if (s[0] == '.' || !strcmp(s, "lost+found") ||
            !strcmp(s, "crawl-state") || !strcmp(s, IDX_NAME ".tmp"))
            continue;
        if (!strcmp(s, "lock") || !strcmp(s, IDX_NAME) ||
            warc_name(s, &serial))
            ours = 1;
        else if (!other)
            other = xstrdup(s);
    }
    closedir(d);
    int rc = TT_OK;
    if (!ours && other)
        rc = tt_seterr(e, TT_EINVAL,
                       "corpus %s: not a timtin corpus (it holds %s and no "
                       "timtin-*.warc.gz); give a corpus, or a new or "
                       "empty directory",
                       dir, other);
    free(other);
    return rc;
}

int corpus_check(const char *dir, tt_err *e)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return tt_seterr(e, errno == ENOENT ? TT_ENOTFOUND : TT_EIO,
                         "corpus %s: %s", dir,
                         errno == ENOENT ? "no such directory"
                                         : strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return tt_seterr(e, TT_EINVAL, "corpus %s: not a directory", dir);
    return check_corpus_dir(dir, e);
}

int corpus_open(const char *dir, int flags, const corpus_opts *opts,
                corpus **out, tt_err *e)
{
    corpus *c = xcalloc(1, sizeof *c);
    strset redo = {0}; /* the ids of a purge interrupted */
    int rc;
    *out = NULL;
    c->dir = xstrdup(dir);
    c->flags = flags;
    c->lockfd = -1;
    if (opts)
        c->o = *opts;
    if (!c->o.max_file_size)
        c->o.max_file_size = DEFAULT_MAX_FILE;
    c->rd = warc_reader_new();
    if ((flags & CORPUS_WRITE) && (flags & CORPUS_CREATE) &&
        (rc = tt_mkdirs(dir, e)))
        goto fail;
    if ((rc = corpus_check(dir, e)))
        goto fail;
    if ((flags & CORPUS_WRITE) &&
        (rc = take_lock(c, (flags & CORPUS_WAIT) != 0, e)))
        goto fail;
    /* a purge interrupted: its overwrites made whole before the files
     * are read */
    if ((flags & CORPUS_WRITE) && (rc = journal_redo(c, &redo, e)))
        goto fail;
    if ((rc = sync_index(c, e)))
        goto fail;
    if ((flags & CORPUS_WRITE) && c->dirty && (rc = save_index(c, e)))
        goto fail;
    /* (an index merely behind the files is left to the writer, which
     * saves a large one only now and then) */
    if (!(flags & CORPUS_WRITE) && c->rebuilt)
        reader_save(c);
    c->opened = 1;
    c->opened_end = corpus_end(c);
    if (redo.n && (rc = journal_finish(c, &redo, e)))
        goto fail;
    if (!(flags & CORPUS_WRITE) && corpus_purge_pending(c))
        warnf(c, "%s/" JOURNAL_NAME ": a purge is under way or was "
                 "interrupted: the next writer to open the corpus "
                 "(timtin-corpus purge, delete or import, timtin-crawl) "
                 "finishes it; until then a record may read as corrupt",
              c->dir);
    strset_free(&redo);
    *out = c;
    return TT_OK;
fail:
    strset_free(&redo);
    corpus_close(c, NULL);
    return rc;
}

int corpus_close(corpus *c, tt_err *e)
{
    int rc;
    tt_err fe;
    if (!c)
        return TT_OK;
    c->closing = 1;
    if ((c->flags & CORPUS_WRITE) && c->opened)
        corpus_flush(c, &fe);
    if (c->w) {
        if (warc_writer_close(c->w, &fe))
            sticky(c, &fe);
        c->w = NULL;
    }
    rc = c->err.code;
    if (rc && e)
        *e = c->err;
    if (c->lockfd >= 0) {
        /* the pid goes with the writer: a lock file naming a process
         * names a live writer, or one killed */
        if (ftruncate(c->lockfd, 0) != 0)
            tt_warn("%s/lock: cannot clear the pid: %s", c->dir,
                    strerror(errno));
        close(c->lockfd); /* releases the flock */
    }
    if (c->rf)
        fclose(c->rf);
    warc_reader_free(c->rd);
    clear_index(c);
    free(c->gaps);
    free(c->files);
    free(c->dir);
    sbuf_free(&c->tmp);
    sbuf_free(&c->rec_path);
    free(c);
    return rc;
}

/* ---- writing ---- */

/* Make sure a writer is open on a file with room, rotating if needed. */
static int ensure_writer(corpus *c, tt_err *e)
{
    sbuf path = {0};
    tt_err we;
    uint32_t serial;
    int rc = TT_OK;
    if (c->w && warc_writer_offset(c->w) < c->o.max_file_size)
        return TT_OK;
    if (c->w) { /* full: close it, go on with the next serial */
        int r;
        /* durable as a flush would make it (an error sticks: close
         * returns it) */
        warc_writer_flush(c->w, c->o.fsync, NULL);
        r = warc_writer_close(c->w, &we);
        c->w = NULL;
        c->unflushed = 0;
        if (r)
            return sticky(c, &we), sticky_ret(c, e);
    }
    if (c->nfiles && c->files[c->nfiles - 1].size < c->o.max_file_size)
        serial = c->files[c->nfiles - 1].serial; /* room in the last file */
    else
        serial = c->nfiles ? c->files[c->nfiles - 1].serial + 1 : 1;
    if (serial > 999999999) {
        tt_seterr(&we, TT_EIO, "corpus %s: out of file serial numbers", c->dir);
        return sticky(c, &we), sticky_ret(c, e);
    }
    file_path(c, &path, serial);
    if (warc_writer_open(path.s, &c->w, &we)) {
        sticky(c, &we);
        rc = sticky_ret(c, e);
        goto fail;
    }
    if (!c->nfiles || c->files[c->nfiles - 1].serial != serial) {
        c->new_name = 1;
        xgrow(&c->files, &c->capfiles, c->nfiles + 1, sizeof *c->files);
        memset(&c->files[c->nfiles], 0, sizeof *c->files);
        c->files[c->nfiles].serial = serial;
        c->nfiles++;
    }
    if (c->files[c->nfiles - 1].size == 0 && warc_writer_offset(c->w) > 0) {
        c->n.records++; /* the writer opened the file with a warcinfo */
        c->dirty = 1;
    }
    c->files[c->nfiles - 1].size = warc_writer_offset(c->w);
    c->unflushed = 1;
fail:
    sbuf_free(&path);
    return rc;
}

static int append(corpus *c, const warc_out *r, warc_written *wr, tt_err *e)
{
    tt_err we;
    int rc;
    if (c->err.code)
        return sticky_ret(c, e);
    if (!(c->flags & CORPUS_WRITE))
        return tt_seterr(e, TT_EINVAL, "corpus %s is open read-only", c->dir);
    if ((rc = ensure_writer(c, e)))
        return rc;
    if ((rc = warc_writer_append(c->w, r, wr, &we))) {
        if (rc == TT_EINVAL) { /* bad input: nothing written */
            if (e)
                *e = we;
            return rc;
        }
        sticky(c, &we);
        return sticky_ret(c, e);
    }
    c->files[c->nfiles - 1].size = warc_writer_offset(c->w);
    c->n.records++;
    c->unflushed = 1;
    c->dirty = 1;
    return TT_OK;
}

/* WARC-Target-URI of an article: its url, or urn:timtin:article:ID. */
static void article_uri(sbuf *b, const char *url, const char *id)
{
    sbuf_reset(b);
    if (url && *url && strlen(url) <= 8192) {
        warc_uri_escape(b, url, strlen(url), 1);
    } else {
        sbuf_adds(b, "urn:timtin:article:");
        id_encode(b, id, 1);
    }
}

/* A WARC-Refers-To value from an article's response field, if it names
 * the response record this handle wrote last (a crawler stores the page,
 * then the article from it) or read last (corpus_get_response: the
 * article re-extracted from it): only a record this corpus holds, as a
 * WARC consumer following the link expects.  An article imported from
 * another corpus's export keeps the id in its JSON only. */
static const char *refers_to(corpus *c, const char *resp,
                             char buf[WARC_ID_LEN + 2])
{
    size_t n;
    if (!resp || (!c->last_resp[0] && !c->read_resp[0]))
        return NULL;
    n = strlen(resp);
    if (n >= 4 && n <= WARC_ID_LEN && resp[0] == '<' && resp[n - 1] == '>')
        snprintf(buf, WARC_ID_LEN + 2, "%s", resp);
    else if (n >= 4 && n < WARC_ID_LEN - 2 && !strncmp(resp, "urn:", 4))
        snprintf(buf, WARC_ID_LEN + 2, "<%s>", resp);
    else
        return NULL;
    return strcmp(buf, c->last_resp) && strcmp(buf, c->read_resp) ? NULL
                                                                   : buf;
}

static int put_record(corpus *c, const char *id, const char *url,
                      const char *response, const char *json, size_t len,
                      int deleted, tt_err *e)
{
    sbuf uri = {0}, eid = {0};
    warc_field extra[2];
    warc_out r = {0};
    warc_written wr;
    char ref[WARC_ID_LEN + 2];
    int rc;
    article_uri(&uri, url, id);
    id_encode(&eid, id, 0);
    extra[0].name = "WARC-Timtin-Article-Id";
    extra[0].value = eid.s;
    extra[1].name = "WARC-Timtin-Deleted";
    extra[1].value = "1";
    r.type = "resource";
    r.target_uri = uri.s;
    r.refers_to = refers_to(c, response, ref);
    r.content_type = "application/json";
    r.extra = extra;
    r.nextra = deleted ? 2 : 1;
    r.block = json;
    r.block_len = len;
    if ((rc = append(c, &r, &wr, e)) == TT_OK) {
        /* its page: the record named, where this handle wrote or read
         * it (PAGES) */
        sbuf named = {0};
        corpus_pos page = {0, 0};
        int has_ref = r.refers_to ? response_ref(r.refers_to, &named) == 0
                                  : response_ref(response, &named) == 0;
        if (has_ref && r.refers_to && !strcmp(named.s, c->last_resp))
            page = c->last_page;
        else if (has_ref && r.refers_to && !strcmp(named.s, c->read_resp))
            page = c->read_page;
        note_article(c, id, strlen(id), c->files[c->nfiles - 1].serial,
                     wr.offset, wr.digest, deleted, has_ref ? named.s : NULL,
                     page);
        c->n.payload_bytes += len;
        sbuf_free(&named);
    }
    sbuf_free(&uri);
    sbuf_free(&eid);
    return rc;
}

static int check_id(const char *id, tt_err *e)
{
    if (!id || !*id)
        return tt_seterr(e, TT_EINVAL, "article without an id");
    if (strlen(id) > ARTICLE_MAX_ID)
        return tt_seterr(e, TT_EINVAL, "id longer than %d bytes",
                         ARTICLE_MAX_ID);
    return TT_OK;
}

static int mark_deleted(corpus *c, const char *id, int *stored, tt_err *e);

static int delete_id(corpus *c, const char *id, int missing_ok, int *stored,
                     tt_err *e)
{
    int rc;
    if (stored)
        *stored = 0;
    if ((rc = check_id(id, e)))
        return rc;
    if (!lookup(c, id, strlen(id)))
        return missing_ok ? TT_OK
                          : tt_seterr(e, TT_ENOTFOUND, "no article %s", id);
    return mark_deleted(c, id, stored, e);
}

static int read_at(corpus *c, uint32_t serial, uint64_t off, warc_record *rec,
                   tt_err *e);

/* Can the latest record of en be read back, its block matching its
 * digest?  One gzip member inflated: what makes a record damaged since it
 * was indexed (a flipped bit) stored again by the import that meets it,
 * instead of "unchanged".  Records written through this handle are. */
static int latest_readable(corpus *c, const entry *en)
{
    corpus_pos p = {en->file, en->off};
    warc_record rec;
    if (corpus_pos_cmp(p, c->opened_end) >= 0)
        return 1;
    return read_at(c, en->file, en->off, &rec, NULL) == TT_OK &&
           warc_check_digests(&rec, NULL) == TT_OK;
}

int corpus_put_article(corpus *c, const article *a, int *stored, tt_err *e)
{
    char *json = NULL;
    size_t len;
    unsigned char d[SHA1_LEN];
    entry *en;
    int rc;
    if (stored)
        *stored = 0;
    if (c->err.code)
        return sticky_ret(c, e);
    if ((rc = check_id(a->id, e)))
        return rc;
    if (a->deleted)
        return delete_id(c, a->id, 1, stored, e);
    if (!a->title || !*a->title) /* so every stored version reads back */
        return tt_seterr(e, TT_EINVAL, "article %s: missing title", a->id);
    json = article_to_json(a, &len);
    if (len > ARTICLE_MAX_JSON) { /* readers refuse it: never store it */
        rc = tt_seterr(e, TT_EINVAL, "article %.200s: larger than %u bytes "
                       "once stored (%zu bytes of JSON)",
                       a->id, (unsigned)ARTICLE_MAX_JSON, len);
        goto done;
    }
    sha1(json, len, d);
    en = lookup(c, a->id, strlen(a->id));
    if (en && !en->deleted && !memcmp(en->digest, d, SHA1_LEN) &&
        latest_readable(c, en))
        goto done; /* the latest version is the same */
    if ((rc = put_record(c, a->id, a->url, a->response, json, len, 0, e)))
        goto done;
    if (stored)
        *stored = 1;
done:
    free(json);
    return rc;
}

int corpus_delete_article(corpus *c, const char *id, int *stored, tt_err *e)
{
    if (c->err.code) {
        if (stored)
            *stored = 0;
        return sticky_ret(c, e);
    }
    return delete_id(c, id, 0, stored, e);
}

int corpus_put_response(corpus *c, const char *uri, const char *block,
                        size_t len, const char *date, char *id_out,
                        tt_err *e)
{
    sbuf u = {0};
    warc_out r = {0};
    warc_written wr;
    int rc;
    if (!uri || !*uri)
        return tt_seterr(e, TT_EINVAL, "response without a URI");
    warc_uri_escape(&u, uri, strlen(uri), 1);
    r.type = "response";
    r.target_uri = u.s;
    r.date = date;
    r.content_type = "application/http;msgtype=response";
    r.block = block;
    r.block_len = len;
    r.payload_digest = 1;
    if ((rc = append(c, &r, &wr, e)) == TT_OK) {
        c->n.responses++;
        c->n.payload_bytes += len;
        memcpy(c->last_resp, wr.id, WARC_ID_LEN);
        c->last_page = (corpus_pos){c->files[c->nfiles - 1].serial,
                                    wr.offset};
        if (id_out)
            memcpy(id_out, wr.id, WARC_ID_LEN);
    }
    sbuf_free(&u);
    return rc;
}

/* Rewriting ids.idx costs its whole size, so a large index is rewritten
 * only when it has grown by an eighth or is half a minute old: the total
 * stays linear, and a crash costs at most that much scanning at open. */
static int index_due(const corpus *c)
{
    return c->closing || c->nents < INDEX_SMALL ||
           (c->n.records - c->saved_records) * 8 >= c->nents ||
           tt_now() - c->saved_at >= 30.0;
}

int corpus_flush(corpus *c, tt_err *e)
{
    tt_err fe;
    if (c->err.code)
        return sticky_ret(c, e);
    if (!(c->flags & CORPUS_WRITE))
        return TT_OK;
    if (c->w && warc_writer_flush(c->w, c->o.fsync, &fe)) {
        sticky(c, &fe);
        return sticky_ret(c, e);
    }
    c->unflushed = 0;
    if (c->new_name && c->o.fsync) {
        if (tt_sync_dir(c->dir) != 0) {
            tt_seterr(&fe, TT_EIO, "%s: fsync: %s", c->dir, strerror(errno));
            sticky(c, &fe);
            return sticky_ret(c, e);
        }
        c->new_name = 0;
    }
    if (c->dirty && index_due(c) && save_index(c, &fe)) {
        sticky(c, &fe);
        return sticky_ret(c, e);
    }
    return TT_OK;
}

/* Push buffered appends to the kernel so a reader of the files sees
 * them (no index save, no fsync). */
static int flush_appends(corpus *c, tt_err *e)
{
    tt_err fe;
    if (!c->w || !c->unflushed)
        return TT_OK;
    if (warc_writer_flush(c->w, 0, &fe)) {
        sticky(c, &fe);
        return sticky_ret(c, e);
    }
    c->unflushed = 0;
    return TT_OK;
}

/* ---- reading ---- */

/* Read the record at (serial, off) with c->rd. */
/* c->rf open on file serial (its path in *path), appends flushed. */
static int open_rf(corpus *c, uint32_t serial, sbuf *path, tt_err *e)
{
    int rc;
    if ((rc = flush_appends(c, e)))
        return rc;
    file_path(c, path, serial);
    if (!c->rf || c->rf_serial != serial) {
        if (c->rf)
            fclose(c->rf);
        c->rf = fopen(path->s, "rb");
        c->rf_serial = serial;
        if (!c->rf)
            return tt_seterr(e, TT_EIO, "%s: %s", path->s, strerror(errno));
    }
    return TT_OK;
}

static int read_at(corpus *c, uint32_t serial, uint64_t off, warc_record *rec,
                   tt_err *e)
{
    sbuf path = {0};
    tt_err re;
    int rc;
    if ((rc = open_rf(c, serial, &path, e)))
        goto fail;
    rc = warc_read(c->rd, c->rf, off, rec, &re);
    if (rc == TT_ENOTFOUND)
        rc = tt_seterr(e, TT_ECORRUPT, "%s: offset %llu: past the end of the "
                       "file", path.s, (unsigned long long)off);
    else if (rc)
        rc = tt_seterr(e, rc, "%s: offset %llu: %s", path.s,
                       (unsigned long long)off, re.msg);
fail:
    sbuf_free(&path);
    return rc;
}

/* Is rec a record of article id? */
static int record_of(corpus *c, const warc_record *rec, const char *id)
{
    const char *type = warc_get(rec, "WARC-Type");
    const char *aid = warc_get(rec, "WARC-Timtin-Article-Id");
    if (!type || strcmp(type, "resource") != 0 || !aid)
        return 0;
    corpus_id_decode(&c->tmp, aid);
    return !strcmp(c->tmp.s, id);
}

/* ids.idx sent a get to a record of another article (or a page's to
 * another record: page set), or to no record at all: it is wrong
 * (forged, or written by a bug), though its checksum and tails passed.
 * It is removed, so that the next open rebuilds it from the WARC files
 * (a reader removes it only when no writer holds the corpus, as
 * reader_save), and a writer no longer saves it. */
static void distrust_index(corpus *c, const char *id, int page)
{
    sbuf path = {0};
    int fd = -1;
    if (c->index_bad)
        return;
    c->index_bad = 1;
    sbuf_addf(&path, "%s/lock", c->dir);
    if (!(c->flags & CORPUS_WRITE))
        fd = open(path.s, O_RDWR | O_CLOEXEC);
    sbuf_reset(&path);
    sbuf_addf(&path, "%s/" IDX_NAME, c->dir);
    if ((c->flags & CORPUS_WRITE) ||
        (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0))
        unlink(path.s);
    if (fd >= 0)
        close(fd);
    warnf(c, "%s: %sarticle %s is not where it says: the index is wrong; "
             "the next open rebuilds it from the WARC files", path.s,
          page ? "the page of " : "", id);
    sbuf_free(&path);
}

/* Does a gzip member start at off in the file c->rf? */
static int member_at(corpus *c, uint64_t off)
{
    unsigned char m[3];
    return pread(fileno(c->rf), m, 3, (off_t)off) == 3 && m[0] == 0x1f &&
           m[1] == 0x8b && m[2] == 8;
}

/* The latest record of id, checked to be one: an index that sends the
 * get elsewhere is distrusted (the get fails with TT_ECORRUPT, never
 * gives another article).  A damaged record, or one whose block fails
 * its digest, is TT_ECORRUPT too, naming file and offset. */
static int get_block(corpus *c, const char *id, warc_record *rec, tt_err *e)
{
    entry *en = lookup(c, id, strlen(id));
    tt_err de;
    int rc;
    if (!en && c->ndmg)
        return tt_seterr(e, TT_ENOTFOUND, "no article %s (the corpus has "
                         "%zu unreadable record%s, which may have held it: "
                         "timtin-corpus verify lists them)", id, c->ndmg,
                         c->ndmg == 1 ? "" : "s");
    if (!en && c->nmissing)
        return tt_seterr(e, TT_ENOTFOUND, "no article %s (the corpus misses "
                         "%llu WARC file%s, which may have held it: "
                         "timtin-corpus verify names them)", id,
                         (unsigned long long)c->nmissing,
                         c->nmissing == 1 ? "" : "s");
    if (!en)
        return tt_seterr(e, TT_ENOTFOUND, "no article %s", id);
    if (en->deleted)
        return tt_seterr(e, TT_ENOTFOUND, "article %s is deleted", id);
    rc = read_at(c, en->file, en->off, rec, e);
    if (rc == TT_OK && !record_of(c, rec, id)) {
        sbuf path = {0};
        rc = tt_seterr(e, TT_ECORRUPT, "%s: offset %llu: not a record of "
                       "article %s", file_path(c, &path, en->file),
                       (unsigned long long)en->off, id);
        sbuf_free(&path);
        distrust_index(c, id, 0);
    } else if (rc == TT_OK && warc_check_digests(rec, &de) != TT_OK) {
        sbuf path = {0}; /* edited by another tool */
        rc = tt_seterr(e, TT_ECORRUPT, "article %s: %s: offset %llu: %s", id,
                       file_path(c, &path, en->file),
                       (unsigned long long)en->off, de.msg);
        sbuf_free(&path);
    } else if (rc == TT_ECORRUPT) {
        if (e) {
            tt_err was = *e;
            tt_seterr(e, rc, "article %s: %s", id, was.msg);
        }
        if (c->rf && !member_at(c, en->off))
            distrust_index(c, id, 0);
    }
    return rc;
}

/* The JSON of rec, the latest record of id, parsed into *out (TT_OK), or
 * TT_ECORRUPT naming file and offset when it does not parse or names
 * another article (a WARC edited by another tool). */
static int parse_article(corpus *c, const char *id, const warc_record *rec,
                         article *out, tt_err *e)
{
    sbuf path = {0};
    const char *what = "stored JSON: ";
    tt_err ae;
    int rc = TT_OK;
    if (article_from_json(rec->block, rec->block_len, out, &ae)) {
        rc = TT_ECORRUPT;
    } else if (strcmp(out->id, id) != 0) {
        what = "";
        tt_seterr(&ae, TT_ECORRUPT, "its stored JSON names article %s",
                  out->id);
        article_free(out);
        rc = TT_ECORRUPT;
    }
    if (rc) {
        const entry *en = lookup(c, id, strlen(id));
        tt_seterr(e, rc, "article %s: %s: offset %llu: %s%s", id,
                  file_path(c, &path, en->file), (unsigned long long)en->off,
                  what, ae.msg);
    }
    sbuf_free(&path);
    return rc;
}

int corpus_get(corpus *c, const char *id, article *out, tt_err *e)
{
    warc_record rec;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = get_block(c, id, &rec, e)))
        return rc;
    return parse_article(c, id, &rec, out, e);
}

int corpus_get_json(corpus *c, const char *id, sbuf *out, tt_err *e)
{
    warc_record rec;
    article a;
    int rc;
    if ((rc = get_block(c, id, &rec, e)))
        return rc;
    /* checked as corpus_get checks it (export gives only what import takes
     * back as the same article): the form timtin writes is seen at a
     * glance, anything else is parsed */
    if (!article_json_is_stored(rec.block, rec.block_len, id)) {
        if ((rc = parse_article(c, id, &rec, &a, e)))
            return rc;
        article_free(&a);
    }
    sbuf_add(out, rec.block, rec.block_len);
    return TT_OK;
}

/* Call fn with every record of every file the handle knows, in write
 * order, and its file's serial; a record that cannot be read is passed
 * over (the id index and verify say it).  fn returns non-zero to end the
 * walk there, and must not append.  TT_EIO when a file cannot be read. */
static int each_record(corpus *c,
                       int (*fn)(void *arg, uint32_t serial,
                                 const warc_record *wr),
                       void *arg, tt_err *e)
{
    sbuf path = {0};
    warc_reader *rd = warc_reader_new();
    int rc = TT_OK, stop = 0;
    for (size_t i = 0; i < c->nfiles && !stop && rc == TT_OK; i++) {
        const cfile *cf = &c->files[i];
        uint64_t off = 0;
        FILE *f = fopen(file_path(c, &path, cf->serial), "rb");
        if (!f) {
            rc = tt_seterr(e, TT_EIO, "%s: %s", path.s, strerror(errno));
            break;
        }
        while (off < cf->size && !stop) {
            warc_record wr;
            tt_err re;
            int r = warc_read(rd, f, off, &wr, &re);
            if (r == TT_ECORRUPT && wr.next > off) {
                off = wr.next; /* nothing to read in it */
                continue;
            }
            if (r == TT_ENOTFOUND || r == TT_ECORRUPT)
                break; /* the end (a last record cut short too) */
            if (r != TT_OK) {
                rc = tt_seterr(e, r, "%s: %s", path.s, re.msg);
                break;
            }
            stop = fn(arg, cf->serial, &wr);
            off = wr.next;
        }
        fclose(f);
    }
    warc_reader_free(rd);
    sbuf_free(&path);
    return rc;
}

/* The record whose gzip member ends at end in file serial, into *rec:
 * members cannot be walked back, so the offsets before end holding a
 * gzip header (1f 8b 08) are tried from the nearest, up to a largest
 * record's length back; the first that decodes is the one, if it ends
 * at end.  TT_ENOTFOUND when none does. */
static int record_before(corpus *c, uint32_t serial, uint64_t end,
                         warc_record *rec, tt_err *e)
{
    enum { WIN = 64 << 10 };
    unsigned char *buf = xmalloc(WIN + 2);
    uint64_t lo = end > (uint64_t)WARC_MAX_BLOCK + WARC_MAX_HEADER
                      ? end - WARC_MAX_BLOCK - WARC_MAX_HEADER
                      : 0;
    uint64_t hi = end; /* candidates below hi are left to try */
    sbuf path = {0};
    tt_err re;
    int rc = open_rf(c, serial, &path, e);
    while (rc == TT_OK && hi > lo) {
        uint64_t from = hi - lo > WIN ? hi - WIN : lo;
        /* the window and the 2 bytes after it: a header across its end */
        size_t want = (size_t)(hi - from) + (hi + 2 <= end ? 2 : 0);
        ssize_t got = pread(fileno(c->rf), buf, want, (off_t)from);
        if (got < 0 || (size_t)got != want) {
            rc = tt_seterr(e, TT_EIO, "%s: read error", path.s);
            break;
        }
        for (size_t i = (size_t)(hi - from); i-- > 0;) {
            if (i + 3 > want || buf[i] != 0x1f || buf[i + 1] != 0x8b ||
                buf[i + 2] != 8)
                continue;
            if (warc_read(c->rd, c->rf, from + i, rec, &re) != TT_OK)
                continue; /* bytes of a member that happen to look so */
            rc = rec->next == end ? TT_OK : TT_ENOTFOUND;
            goto done;
        }
        hi = from;
    }
    if (rc == TT_OK)
        rc = TT_ENOTFOUND;
done:
    if (rc == TT_ENOTFOUND)
        tt_seterr(e, rc, "%s: no record ends at offset %llu", path.s,
                  (unsigned long long)end);
    free(buf);
    sbuf_free(&path);
    return rc;
}

/* The record at article en's page (PAGES), read back (whole, or its
 * header only with head) into *rec: TT_OK when it is a response record
 * whose WARC-Record-ID has the hash the index keeps (the caller compares
 * the id itself); TT_ECORRUPT, naming file and offset, when a gzip
 * member starts there that cannot be read (damaged); TT_ENOTFOUND when
 * it is another record, or no record: the index is wrong, distrusted;
 * TT_EIO. */
static int page_at(corpus *c, const entry *en, int head, warc_record *rec,
                   tt_err *e)
{
    sbuf path = {0};
    tt_err re;
    const char *type, *rid;
    int rc = open_rf(c, en->page_file, &path, e);
    if (rc)
        goto done;
    rc = head ? warc_read_head(c->rd, c->rf, en->page_off, rec, &re)
              : warc_read(c->rd, c->rf, en->page_off, rec, &re);
    if (rc == TT_OK) {
        type = warc_get(rec, "WARC-Type");
        rid = warc_get(rec, "WARC-Record-ID");
        if (!type || strcmp(type, "response") || !rid ||
            ref_hash(rid) != en->page_hash)
            rc = TT_ENOTFOUND;
    } else if (rc == TT_ECORRUPT && member_at(c, en->page_off)) {
        tt_seterr(e, rc, "%s: offset %llu: %s", path.s,
                  (unsigned long long)en->page_off, re.msg);
    } else if (rc == TT_ECORRUPT || rc == TT_ENOTFOUND) {
        rc = TT_ENOTFOUND;
    } else {
        tt_seterr(e, rc, "%s: %s", path.s, re.msg);
    }
    if (rc == TT_ENOTFOUND) {
        distrust_index(c, en->id, 1);
        tt_seterr(e, rc, "%s: offset %llu: not the page of article %s",
                  path.s, (unsigned long long)en->page_off, en->id);
    }
done:
    sbuf_free(&path);
    return rc;
}

/* The page of en where the crawler writes it: the record right before
 * the version (or, past the warcinfo a file begins with, the last of the
 * file before), if it is the response ref.  TT_OK, TT_ENOTFOUND, TT_EIO.
 * (About the page's compressed size read: record_before.) */
static int page_before(corpus *c, const entry *en, const char *ref,
                       warc_record *rec, tt_err *e)
{
    const char *v;
    int rc = record_before(c, en->file, en->off, rec, e);
    if (rc == TT_OK && rec->offset == 0 && (v = warc_get(rec, "WARC-Type")) &&
        !strcmp(v, "warcinfo")) {
        const cfile *prev = en->file > 1 ? find_file(c, en->file - 1) : NULL;
        if (!prev)
            return tt_seterr(e, TT_ENOTFOUND, "article %s: its response "
                             "record is not in the corpus", en->id);
        rc = record_before(c, prev->serial, prev->size, rec, e);
    }
    if (rc == TT_OK &&
        (!(v = warc_get(rec, "WARC-Type")) || strcmp(v, "response") ||
         !(v = warc_get(rec, "WARC-Record-ID")) || strcmp(v, ref)))
        rc = tt_seterr(e, TT_ENOTFOUND, "article %s: its response record %s "
                       "is in the corpus neither where the id index says "
                       "nor where the crawler writes it", en->id, ref);
    return rc;
}

typedef struct wanted { /* corpus_find_responses: an id, where it goes */
    char *id;
    size_t i;
    uint64_t h;       /* ref_hash(id) */
} wanted;

static int cmp_wanted(const void *a, const void *b)
{
    return strcmp(((const wanted *)a)->id, ((const wanted *)b)->id);
}

static int cmp_wanted_hash(const void *a, const void *b)
{
    uint64_t x = ((const wanted *)a)->h, y = ((const wanted *)b)->h;
    return x < y ? -1 : x > y;
}

typedef struct finding {
    wanted *w;        /* sorted by id */
    size_t nw, left;  /* left: not found yet */
    corpus_pos *pos;
} finding;

/* Find the ids of fd where the id index keeps the pages of the latest
 * versions naming them, each checked by reading the record's header
 * back; *found counts them.  TT_OK, or TT_EIO. */
static int find_indexed(corpus *c, finding *fd, uint64_t *found, tt_err *e)
{
    wanted *byh = xmalloc(fd->nw * sizeof *byh), key;
    int rc = TT_OK;
    memcpy(byh, fd->w, fd->nw * sizeof *byh);
    qsort(byh, fd->nw, sizeof *byh, cmp_wanted_hash);
    for (size_t k = 0; k < c->nents && fd->left && rc == TT_OK; k++) {
        const entry *en = &c->ents[k];
        wanted *w, *end;
        warc_record rec;
        const char *rid;
        tt_err pe;
        int todo = 0, r;
        key.h = en->page_hash;
        if (!en->page_file ||
            !(w = bsearch(&key, byh, fd->nw, sizeof *byh, cmp_wanted_hash)))
            continue;
        while (w > byh && w[-1].h == key.h)
            w--;
        for (end = w; end < byh + fd->nw && end->h == key.h; end++)
            todo |= !fd->pos[end->i].file;
        if (!todo) /* (several articles may name one page) */
            continue;
        if ((r = page_at(c, en, 1, &rec, &pe)) == TT_EIO)
            rc = tt_seterr(e, r, "%s", pe.msg);
        if (r != TT_OK)
            continue; /* damaged (the scan passes it over too), or not it */
        rid = warc_get(&rec, "WARC-Record-ID");
        for (; w < end; w++)
            if (!fd->pos[w->i].file && !strcmp(w->id, rid)) {
                fd->pos[w->i] = (corpus_pos){en->page_file, en->page_off};
                fd->left--;
                ++*found;
            }
    }
    free(byh);
    return rc;
}

static int find_record(void *arg, uint32_t serial, const warc_record *wr)
{
    finding *fd = arg;
    const char *type = warc_get(wr, "WARC-Type");
    const char *rid = warc_get(wr, "WARC-Record-ID");
    wanted key, *hit;
    key.id = (char *)rid;
    if (!type || strcmp(type, "response") != 0 || !rid ||
        !(hit = bsearch(&key, fd->w, fd->nw, sizeof *fd->w, cmp_wanted)))
        return 0;
    while (hit > fd->w && !strcmp(hit[-1].id, rid))
        hit--; /* several articles may name one page */
    for (; hit < fd->w + fd->nw && !strcmp(hit->id, rid); hit++)
        if (!fd->pos[hit->i].file) {
            fd->pos[hit->i] = (corpus_pos){serial, wr->offset};
            fd->left--;
        }
    return fd->left == 0;
}

int corpus_find_responses(corpus *c, const char *const *ids, size_t n,
                          corpus_pos *pos, corpus_find_stats *st, tt_err *e)
{
    finding fd;
    corpus_find_stats s = {0, 0, 0, 0};
    sbuf ref = {0};
    int rc;
    memset(&fd, 0, sizeof fd);
    fd.w = xcalloc(n ? n : 1, sizeof *fd.w);
    fd.pos = pos;
    for (size_t i = 0; i < n; i++) {
        pos[i] = (corpus_pos){0, 0};
        if (response_ref(ids[i], &ref) == 0) {
            fd.w[fd.nw].h = ref_hash(ref.s);
            fd.w[fd.nw].id = sbuf_detach(&ref, NULL);
            fd.w[fd.nw++].i = i;
        }
    }
    fd.left = s.named = fd.nw;
    qsort(fd.w, fd.nw, sizeof *fd.w, cmp_wanted);
    if ((rc = flush_appends(c, e)) == TT_OK && fd.left)
        rc = find_indexed(c, &fd, &s.indexed, e);
    if (rc == TT_OK && fd.left) { /* what the index could not place */
        size_t before = fd.left;
        s.scan = 1;
        rc = each_record(c, find_record, &fd, e);
        s.scanned = before - fd.left;
    }
    if (st)
        *st = s;
    for (size_t i = 0; i < fd.nw; i++)
        free(fd.w[i].id);
    free(fd.w);
    sbuf_free(&ref);
    return rc;
}

int corpus_get_response(corpus *c, corpus_pos pos, corpus_rec *rec,
                        tt_err *e)
{
    warc_record wr;
    tt_err de;
    const char *type, *rid;
    int rc;
    memset(rec, 0, sizeof *rec);
    c->read_resp[0] = '\0';
    file_path(c, &c->rec_path, pos.file);
    if (!find_file(c, pos.file))
        return tt_seterr(e, TT_EINVAL, "%s: not a file of the corpus",
                         c->rec_path.s);
    if ((rc = read_at(c, pos.file, pos.offset, &wr, e)) != TT_OK)
        return rc; /* (naming file and offset) */
    type = warc_get(&wr, "WARC-Type");
    rid = warc_get(&wr, "WARC-Record-ID");
    if (!type || strcmp(type, "response") != 0 || !rid)
        return tt_seterr(e, TT_ECORRUPT, "%s: offset %llu: not a response "
                         "record", c->rec_path.s,
                         (unsigned long long)pos.offset);
    if (warc_check_digests(&wr, &de) != TT_OK)
        return tt_seterr(e, TT_ECORRUPT, "%s: offset %llu: %s",
                         c->rec_path.s, (unsigned long long)pos.offset,
                         de.msg);
    rec->type = CORPUS_REC_RESPONSE;
    rec->pos = pos;
    rec->next = (corpus_pos){pos.file, wr.next};
    rec->file = c->rec_path.s;
    rec->record_id = rid;
    rec->date = warc_get(&wr, "WARC-Date");
    rec->target_uri = warc_get(&wr, "WARC-Target-URI");
    rec->payload = wr.block;
    rec->payload_len = wr.block_len;
    if (strlen(rid) < WARC_ID_LEN) {
        memcpy(c->read_resp, rid, strlen(rid) + 1);
        c->read_page = pos;
    }
    return TT_OK;
}

int corpus_get_page(corpus *c, const char *id, sbuf *out, tt_err *e)
{
    warc_record rec;
    sbuf ref = {0}, path = {0};
    tt_err de;
    const entry *en;
    int rc;
    if ((rc = get_block(c, id, &rec, e)))
        return rc;
    if (version_ref(&rec, &ref) != 0) {
        rc = tt_seterr(e, TT_ENOTFOUND, "article %s names no response "
                       "record", id);
        goto done;
    }
    en = lookup(c, id, strlen(id));
    rc = TT_ENOTFOUND;
    if (en->page_file && (rc = page_at(c, en, 0, &rec, e)) == TT_OK &&
        strcmp(warc_get(&rec, "WARC-Record-ID"), ref.s) != 0)
        rc = TT_ENOTFOUND; /* another page of the same hash */
    if (rc == TT_ENOTFOUND)
        rc = page_before(c, en, ref.s, &rec, e);
    if (rc == TT_OK && warc_check_digests(&rec, &de) != TT_OK)
        rc = tt_seterr(e, TT_ECORRUPT, "article %s: its page: %s: offset "
                       "%llu: %s", id, file_path(c, &path, c->rf_serial),
                       (unsigned long long)rec.offset, de.msg);
    else if (rc == TT_ECORRUPT && e) {
        tt_err was = *e;
        tt_seterr(e, rc, "article %s: its page: %s", id, was.msg);
    }
    if (rc == TT_OK)
        sbuf_add(out, rec.block, rec.block_len);
done:
    sbuf_free(&ref);
    sbuf_free(&path);
    return rc;
}

size_t corpus_damaged(corpus *c, void (*fn)(void *arg, const char *msg),
                      void *arg)
{
    sbuf path = {0}, msg = {0};
    for (size_t i = 0; i < c->ndmg && fn; i++) {
        damage *d = &c->dmg[i];
        if (d->said)
            continue;
        d->said = 1;
        sbuf_reset(&msg);
        sbuf_addf(&msg, "%s: offset %llu: %s (%s)",
                  file_path(c, &path, d->file), (unsigned long long)d->off,
                  d->why,
                  strncmp(d->why, "no gzip member", 14)
                      ? "an unreadable record: an article version it "
                        "held is missing"
                      : "bytes that are no record: a record they held, "
                        "if any, is lost");
        fn(arg, msg.s);
    }
    sbuf_free(&path);
    sbuf_free(&msg);
    return c->ndmg + c->ngaps;
}

uint64_t corpus_missing(const corpus *c) { return c->nmissing; }

static int each_id(corpus *c, int deleted_too,
                   int (*fn)(void *arg, const char *id), void *arg)
{
    for (size_t i = 0; i < c->nents; i++) {
        int r;
        if (c->ents[i].deleted && !deleted_too)
            continue;
        if ((r = fn(arg, c->ents[i].id)) != 0)
            return r;
    }
    return 0;
}

int corpus_each_id(corpus *c, int (*fn)(void *arg, const char *id),
                   void *arg)
{
    return each_id(c, 0, fn, arg);
}

int corpus_each_known_id(corpus *c, int (*fn)(void *arg, const char *id),
                         void *arg)
{
    return each_id(c, 1, fn, arg);
}

int corpus_latest(corpus *c, const char *id, corpus_pos *pos, int *deleted)
{
    entry *en = lookup(c, id, strlen(id));
    if (!en)
        return TT_ENOTFOUND;
    pos->file = en->file;
    pos->offset = en->off;
    *deleted = en->deleted;
    return TT_OK;
}

corpus_pos corpus_end(corpus *c)
{
    corpus_pos p = {0, 0};
    if (c->nfiles) {
        p.file = c->files[c->nfiles - 1].serial;
        p.offset = c->files[c->nfiles - 1].size;
    }
    return p;
}

uint64_t corpus_bytes_from(corpus *c, corpus_pos from)
{
    uint64_t n = 0;
    for (size_t i = 0; i < c->nfiles; i++)
        if (c->files[i].serial > from.file)
            n += c->files[i].size;
        else if (c->files[i].serial == from.file &&
                 from.offset < c->files[i].size)
            n += c->files[i].size - from.offset;
    return n;
}

int corpus_pos_check(corpus *c, corpus_pos p, tt_err *e)
{
    corpus_pos end = corpus_end(c);
    const cfile *cf;
    warc_record rec;
    char buf[32], ebuf[32];
    sbuf path = {0};
    int rc = TT_OK;
    if ((p.file == 0 && p.offset == 0) || corpus_pos_cmp(p, end) == 0)
        return TT_OK;
    corpus_pos_format(p, buf);
    corpus_pos_format(end, ebuf);
    file_path(c, &path, p.file);
    if (corpus_pos_cmp(p, end) > 0)
        rc = tt_seterr(e, TT_EINVAL, "%s is beyond the corpus's end (%s)",
                       buf, ebuf);
    else if (!(cf = find_file(c, p.file)))
        rc = tt_seterr(e, TT_EINVAL, "%s: the corpus has no file %s", buf,
                       path.s);
    else if (p.offset > cf->size)
        rc = tt_seterr(e, TT_EINVAL, "%s is beyond the end of %s (%llu bytes)",
                       buf, path.s, (unsigned long long)cf->size);
    else if (p.offset < cf->size &&
             read_at(c, p.file, p.offset, &rec, NULL) != TT_OK &&
             !(c->rf && c->rf_serial == p.file && member_at(c, p.offset)))
        rc = tt_seterr(e, TT_EINVAL, "%s: no record of %s starts there", buf,
                       path.s);
    sbuf_free(&path);
    return rc;
}

int corpus_identity(corpus *c, char out[CORPUS_IDENTITY_LEN])
{
    warc_record rec;
    const char *id;
    out[0] = '\0';
    if (!c->nfiles || read_at(c, c->files[0].serial, 0, &rec, NULL) != TT_OK ||
        !(id = warc_get(&rec, "WARC-Record-ID")) ||
        strlen(id) >= CORPUS_IDENTITY_LEN)
        return TT_ENOTFOUND;
    memcpy(out, id, strlen(id) + 1);
    return TT_OK;
}

struct corpus_iter {
    corpus *c;
    cfile *files;      /* the files and the index's coverage of them when
                        * the iteration began */
    size_t nfiles, fi;
    uint64_t off;
    FILE *f;
    warc_reader *rd;
    uint64_t skipped;
    int quiet;         /* corrupt records counted, not reported */
    int bounded;       /* stop at until (corpus_iter_until) */
    corpus_pos until;
    sbuf path, aid;
};

int corpus_iter_open(corpus *c, corpus_pos from, corpus_iter **out,
                     tt_err *e)
{
    corpus_iter *it;
    int rc;
    *out = NULL;
    if ((rc = flush_appends(c, e)))
        return rc;
    it = xcalloc(1, sizeof *it);
    it->c = c;
    /* what the id index covers, not what the files hold by now: the
     * records corpus_latest knows (and nothing of c changes: threads
     * may share a reader) */
    it->nfiles = c->nfiles;
    it->files = xcalloc(c->nfiles + 1, sizeof *it->files);
    if (c->nfiles)
        memcpy(it->files, c->files, c->nfiles * sizeof *c->files);
    it->rd = warc_reader_new();
    while (it->fi < it->nfiles && it->files[it->fi].serial < from.file)
        it->fi++;
    if (it->fi < it->nfiles && it->files[it->fi].serial == from.file)
        it->off = from.offset;
    *out = it;
    return TT_OK;
}

int corpus_iter_next(corpus_iter *it, corpus_rec *rec, tt_err *e)
{
    warc_record wr;
    tt_err re;
    for (;;) {
        const cfile *cf;
        int r;
        if (it->fi >= it->nfiles)
            return 0;
        cf = &it->files[it->fi];
        if (it->bounded &&
            corpus_pos_cmp((corpus_pos){cf->serial, it->off}, it->until) >= 0)
            return 0;
        if (it->off >= cf->size) {
            if (it->f)
                fclose(it->f);
            it->f = NULL;
            it->fi++;
            it->off = 0;
            continue;
        }
        if (!it->f) {
            file_path(it->c, &it->path, cf->serial);
            if (!(it->f = fopen(it->path.s, "rb"))) {
                tt_seterr(e, TT_EIO, "%s: %s", it->path.s, strerror(errno));
                return -TT_EIO;
            }
        }
        r = warc_read(it->rd, it->f, it->off, &wr, &re);
        if (r == TT_ENOTFOUND) {
            it->off = cf->size;
            continue;
        }
        if (r == TT_ECORRUPT && wr.truncated && it->fi + 1 == it->nfiles) {
            it->fi = it->nfiles; /* being appended, or a crash: the end */
            continue;
        }
        if (r == TT_OK && warc_check_digests(&wr, &re) != TT_OK) {
            r = TT_ECORRUPT; /* edited by another tool: skipped too */
            wr.truncated = 0;
        }
        if (r == TT_ECORRUPT) {
            if (!it->quiet)
                warnf(it->c, "%s: offset %llu: %s%s", it->path.s,
                      (unsigned long long)wr.offset, re.msg,
                      wr.truncated ? " (truncated)" : "");
            it->skipped++;
            it->off = wr.next;
            continue;
        }
        if (r != TT_OK) {
            tt_seterr(e, r, "%s: %s", it->path.s, re.msg);
            return -r;
        }
        memset(rec, 0, sizeof *rec);
        rec->pos.file = cf->serial;
        rec->pos.offset = wr.offset;
        rec->next.file = cf->serial;
        rec->next.offset = wr.next;
        rec->file = it->path.s;
        rec->record_id = warc_get(&wr, "WARC-Record-ID");
        rec->date = warc_get(&wr, "WARC-Date");
        rec->target_uri = warc_get(&wr, "WARC-Target-URI");
        rec->payload = wr.block;
        rec->payload_len = wr.block_len;
        {
            const char *type = warc_get(&wr, "WARC-Type");
            const char *aid = warc_get(&wr, "WARC-Timtin-Article-Id");
            const char *del = warc_get(&wr, "WARC-Timtin-Deleted");
            if (type && !strcmp(type, "resource") && aid) {
                rec->type = CORPUS_REC_ARTICLE;
                corpus_id_decode(&it->aid, aid);
                rec->article_id = it->aid.s;
                rec->deleted = del && !strcmp(del, "1");
            } else if (type && !strcmp(type, "response")) {
                rec->type = CORPUS_REC_RESPONSE;
            } else {
                rec->type = CORPUS_REC_OTHER;
            }
        }
        it->off = wr.next;
        return 1;
    }
}

uint64_t corpus_iter_skipped(const corpus_iter *it) { return it->skipped; }

void corpus_iter_quiet(corpus_iter *it) { it->quiet = 1; }

void corpus_iter_until(corpus_iter *it, corpus_pos until)
{
    it->bounded = 1;
    it->until = until;
}

void corpus_iter_close(corpus_iter *it)
{
    if (!it)
        return;
    if (it->f)
        fclose(it->f);
    warc_reader_free(it->rd);
    free(it->files);
    sbuf_free(&it->path);
    sbuf_free(&it->aid);
    free(it);
}

int corpus_stats_get(corpus *c, corpus_stats *st, tt_err *e)
{
    cfile *disk = NULL;
    size_t n = 0;
    int rc;
    memset(st, 0, sizeof *st);
    if ((rc = flush_appends(c, e)) || (rc = list_files(c, &disk, &n, e)))
        return rc;
    st->files = (uint32_t)n;
    for (size_t i = 0; i < n; i++)
        st->bytes += disk[i].size;
    st->records = c->n.records;
    st->articles_stored = c->n.articles_stored;
    st->responses = c->n.responses;
    st->deletions = c->n.deletions;
    st->articles = c->nents - c->ndeleted;
    st->payload_bytes = c->n.payload_bytes;
    st->purged = c->n.purged;
    free(disk);
    return TT_OK;
}

/* 1 when a writer holds the corpus lock now: a shared lock is refused.
 * (Taken and dropped at once, and asked only about a record that looks
 * torn, so a writer starting meanwhile hardly ever meets it.) */
static int writer_holds_lock(const corpus *c)
{
    sbuf path = {0};
    int fd, held = 0;
    sbuf_addf(&path, "%s/lock", c->dir);
    fd = open(path.s, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        int r;
        while ((r = flock(fd, LOCK_SH | LOCK_NB)) != 0 && errno == EINTR)
            ;
        held = r != 0 && errno == EWOULDBLOCK;
        close(fd); /* releases it */
    }
    sbuf_free(&path);
    return held;
}

int corpus_verify(corpus *c, uint64_t *nrecords, uint64_t *nbad, tt_err *e)
{
    cfile *disk = NULL;
    size_t n = 0;
    sbuf path = {0}, aid = {0};
    warc_reader *rd = NULL;
    int rc;
    *nrecords = *nbad = 0;
    if ((rc = flush_appends(c, e)) || (rc = list_files(c, &disk, &n, e)))
        return rc;
    rd = warc_reader_new();
    for (size_t i = 0; i < n; i++) {
        uint64_t off = 0;
        int again = 0; /* a torn last record read twice */
        FILE *f = fopen(file_path(c, &path, disk[i].serial), "rb");
        if (!f) {
            rc = tt_seterr(e, TT_EIO, "%s: %s", path.s, strerror(errno));
            goto fail;
        }
        for (;;) {
            warc_record wr;
            tt_err re;
            const char *type, *id;
            int r = warc_read(rd, f, off, &wr, &re);
            if (r == TT_ENOTFOUND)
                break;
            if (r == TT_ECORRUPT && wr.truncated && i + 1 == n &&
                c->lockfd < 0) {
                /* the newest file ends inside a record: the one a writer
                 * is appending, if a writer holds the lock (readers stop
                 * there quietly); else, read once more (a writer may have
                 * just finished it) before calling it bad */
                if (writer_holds_lock(c)) {
                    warnf(c, "%s: offset %llu: a record being written (the "
                             "writer lock is held): not checked",
                          path.s, (unsigned long long)wr.offset);
                    break;
                }
                if (!again++)
                    continue;
                /* a write interrupted (a crash, a kill, a power loss):
                 * what the next writer trims, no damage */
                if (wr.no_member)
                    warnf(c, "%s: offset %llu: %llu bytes after the last "
                             "record are no record (a write interrupted); "
                             "cut off at the next write, not counted bad",
                          path.s, (unsigned long long)wr.offset,
                          (unsigned long long)(wr.next - wr.offset));
                else
                    warnf(c, "%s: offset %llu: the last record is cut short "
                             "(a write interrupted, %llu bytes); trimmed at "
                             "the next write, not counted bad",
                          path.s, (unsigned long long)wr.offset,
                          (unsigned long long)(wr.next - wr.offset));
                break;
            }
            if (r == TT_ECORRUPT) {
                warnf(c, "%s: offset %llu: %s%s", path.s,
                      (unsigned long long)wr.offset, re.msg,
                      wr.truncated ? " (truncated)" : "");
                ++*nrecords; /* a record all the same, as a bad digest's */
                ++*nbad;
                off = wr.next;
                continue;
            }
            if (r != TT_OK) {
                fclose(f);
                rc = tt_seterr(e, r, "%s: %s", path.s, re.msg);
                goto fail;
            }
            ++*nrecords;
            off = wr.next;
            type = warc_get(&wr, "WARC-Type");
            id = warc_get(&wr, "WARC-Timtin-Article-Id");
            if (warc_check_digests(&wr, &re) != TT_OK) {
                warnf(c, "%s: offset %llu: %s", path.s,
                      (unsigned long long)wr.offset, re.msg);
                ++*nbad;
            } else if (type && !strcmp(type, "resource") && id) {
                article a;
                corpus_id_decode(&aid, id);
                if (article_from_json(wr.block, wr.block_len, &a, &re)) {
                    warnf(c, "%s: offset %llu: article JSON: %s", path.s,
                          (unsigned long long)wr.offset, re.msg);
                    ++*nbad;
                } else {
                    if (strcmp(a.id, aid.s) != 0) {
                        warnf(c, "%s: offset %llu: article id %s in the "
                                 "JSON, %s in the header",
                              path.s, (unsigned long long)wr.offset, a.id,
                              aid.s);
                        ++*nbad;
                    }
                    article_free(&a);
                }
            }
        }
        fclose(f);
    }
fail:
    warc_reader_free(rd);
    free(disk);
    sbuf_free(&path);
    sbuf_free(&aid);
    return rc;
}

/* ---- purging ----
 *
 * corpus_purge overwrites in place every record that holds an article's
 * text with a filler record of the same byte length (warc.c, OVERWRITING),
 * so no record moves and every offset kept elsewhere (the indexer's
 * checkpoint, ids.idx, a reader's iteration) stays valid: the one
 * exception to "records are only ever appended".  Under the writer lock:
 *   1. find the regions: every version of each id (not its deletion
 *      markers, which hold only the id), the responses they name
 *      (WARC-Refers-To, the JSON's "response"), the responses fetched
 *      at one of their URLs (WARC-Target-URI);
 *   2. write DIR/purge.journal (ids, then "region SERIAL OFFSET LENGTH"
 *      lines, then a SHA-1 of the lines): to a temporary file, fsynced,
 *      renamed, the directory fsynced;
 *   3. append a deletion marker for each id not deleted already, fsync,
 *      save ids.idx (readers now find the ids deleted);
 *   4. overwrite the regions, fsync each file;
 *   5. save ids.idx (counts, and the tails of the files touched), remove
 *      the journal, fsync the directory.
 * A writer that opens the corpus and finds the journal does it again
 * (journal_redo, before the index is read: an overwrite cut short is
 * made whole first), removes ids.idx (its counts and tails cannot be
 * trusted: rebuilt from the files), appends the markers still missing
 * and removes the journal.  Every step can be done twice.  A reader that
 * finds it says so: until a writer opens, a record may be half
 * overwritten (a corrupt record, skipped). */

typedef struct region {
    uint32_t file;
    uint64_t off, len, block_len;
    int response;    /* a response; else an article version */
} region;

static int strset_has(const strset *s, const char *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], x))
            return 1;
    return 0;
}

static void strset_add(strset *s, const char *x)
{
    if (!x || !*x || strset_has(s, x))
        return;
    xgrow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
    s->v[s->n++] = xstrdup(x);
}

static void strset_free(strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static int cmp_region(const void *a, const void *b)
{
    const region *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* For tests (tests/e2e/corpus_purge.sh): TIMTIN_TEST_PURGE_KILL=POINT
 * kills the process with SIGKILL at that point of a purge: "journal"
 * (the journal durable, nothing else done), "marker" (the deletion
 * markers appended too), N (N records overwritten), "overwritten" (all
 * of them, fsynced; the journal still there). */
static void kill_point(const char *point)
{
    const char *v = getenv("TIMTIN_TEST_PURGE_KILL");
    if (v && !strcmp(v, point))
        raise(SIGKILL);
}

/* A response record id as WARC-Refers-To writes it, from the JSON's
 * "response" ("<urn:...>" or "urn:..."), into set. */
static void add_response_id(strset *set, const char *resp)
{
    sbuf b = {0};
    if (response_ref(resp, &b) == 0)
        strset_add(set, b.s);
    sbuf_free(&b);
}

typedef struct purge_walk {
    const strset *ids;
    int pass;
    strset rids, uris; /* the responses and URLs the versions name */
    sbuf aid;
    region *v;
    size_t n, cap;
} purge_walk;

/* One record of purge_scan's walk. */
static int purge_record(void *arg, uint32_t serial, const warc_record *wr)
{
    purge_walk *pw = arg;
    const char *type = warc_get(wr, "WARC-Type");
    const char *id = warc_get(wr, "WARC-Timtin-Article-Id");
    const char *del = warc_get(wr, "WARC-Timtin-Deleted");
    const char *uri = warc_get(wr, "WARC-Target-URI");
    int mine = 0;
    if (pw->pass == 0 && type && !strcmp(type, "resource") && id &&
        !(del && !strcmp(del, "1"))) {
        corpus_id_decode(&pw->aid, id);
        if ((mine = strset_has(pw->ids, pw->aid.s))) {
            article a;
            strset_add(&pw->rids, warc_get(wr, "WARC-Refers-To"));
            if (uri && strncmp(uri, "urn:timtin:article:", 19))
                strset_add(&pw->uris, uri);
            if (!article_from_json(wr->block, wr->block_len, &a, NULL)) {
                add_response_id(&pw->rids, a.response);
                article_free(&a);
            }
        }
    } else if (pw->pass == 1 && type && !strcmp(type, "response")) {
        const char *rid = warc_get(wr, "WARC-Record-ID");
        mine = (rid && strset_has(&pw->rids, rid)) ||
               (uri && strset_has(&pw->uris, uri));
    }
    if (mine) {
        xgrow(&pw->v, &pw->cap, pw->n + 1, sizeof *pw->v);
        pw->v[pw->n].file = serial;
        pw->v[pw->n].off = wr->offset;
        pw->v[pw->n].len = wr->next - wr->offset;
        pw->v[pw->n].block_len = wr->block_len;
        pw->v[pw->n].response = pw->pass == 1;
        pw->n++;
    }
    return 0;
}

/* The records of ids: pass 0 the article versions (and the response ids
 * and URLs they name), pass 1 the responses.  (A damaged record is
 * passed over: said by verify; no text to find.) */
static int purge_scan(corpus *c, const strset *ids, region **out,
                      size_t *nout, tt_err *e)
{
    purge_walk pw;
    int rc = TT_OK;
    memset(&pw, 0, sizeof pw);
    pw.ids = ids;
    for (pw.pass = 0; pw.pass < 2 && rc == TT_OK; pw.pass++)
        rc = each_record(c, purge_record, &pw, e);
    if (rc) {
        free(pw.v);
        pw.v = NULL;
        pw.n = 0;
    } else if (pw.n) {
        qsort(pw.v, pw.n, sizeof *pw.v, cmp_region);
    }
    *out = pw.v;
    *nout = pw.n;
    strset_free(&pw.rids);
    strset_free(&pw.uris);
    sbuf_free(&pw.aid);
    return rc;
}

static void hex_digest(sbuf *b, const void *p, size_t n)
{
    unsigned char d[SHA1_LEN];
    sha1(p, n, d);
    for (int i = 0; i < SHA1_LEN; i++)
        sbuf_addf(b, "%02x", d[i]);
}

/* Write DIR/purge.journal durably (temporary file, fsync, rename,
 * directory fsync). */
static int journal_write(corpus *c, const strset *ids, const region *rg,
                         size_t nr, tt_err *e)
{
    sbuf b = {0};
    int rc;
    sbuf_adds(&b, JOURNAL_MAGIC "\n");
    for (size_t i = 0; i < ids->n; i++) {
        sbuf_adds(&b, "id ");
        id_encode(&b, ids->v[i], 0);
        sbuf_addc(&b, '\n');
    }
    for (size_t i = 0; i < nr; i++)
        sbuf_addf(&b, "region %" PRIu32 " %" PRIu64 " %" PRIu64 "\n",
                  rg[i].file, rg[i].off, rg[i].len);
    sbuf_adds(&b, "sha1 ");
    hex_digest(&b, b.s, b.len - 5);
    sbuf_addc(&b, '\n');
    rc = replace_file(c, JOURNAL_NAME, &b, 1, e);
    sbuf_free(&b);
    return rc;
}

/* Read DIR/purge.journal: TT_ENOTFOUND when there is none, TT_ECORRUPT
 * when it is not one journal_write wrote whole. */
static int journal_read(corpus *c, strset *ids, region **out, size_t *nout,
                        tt_err *e)
{
    sbuf path = {0}, sum = {0};
    char *data = NULL, *p, *end, *last;
    size_t len = 0, cap = 0;
    region *v = NULL;
    int rc;
    *out = NULL;
    *nout = 0;
    sbuf_addf(&path, "%s/" JOURNAL_NAME, c->dir);
    if ((rc = tt_read_file(path.s, 64u << 20, &data, &len, e)))
        goto fail;
    last = len ? memmem(data, len, "sha1 ", 5) : NULL;
    while (last && (p = memmem(last + 1, len - (size_t)(last + 1 - data),
                               "\nsha1 ", 6)))
        last = p + 1; /* the last "sha1 " line */
    if (last)
        hex_digest(&sum, data, (size_t)(last - data));
    if (len < sizeof JOURNAL_MAGIC || !last || data[len - 1] != '\n' ||
        memcmp(data, JOURNAL_MAGIC "\n", sizeof JOURNAL_MAGIC) != 0 ||
        (size_t)(data + len - (last + 5)) != sum.len + 1 ||
        memcmp(last + 5, sum.s, sum.len) != 0) {
        rc = tt_seterr(e, TT_ECORRUPT, "%s: not a whole purge journal",
                       path.s);
        goto fail;
    }
    for (p = data + sizeof JOURNAL_MAGIC; p < last; p = end + 1) {
        unsigned long long file, off, n;
        end = memchr(p, '\n', (size_t)(last - p));
        *end = '\0';
        if (!strncmp(p, "id ", 3)) {
            sbuf id = {0};
            corpus_id_decode(&id, p + 3);
            strset_add(ids, id.s);
            sbuf_free(&id);
        } else if (sscanf(p, "region %llu %llu %llu", &file, &off, &n) == 3 &&
                   file <= UINT32_MAX) {
            xgrow(&v, &cap, *nout + 1, sizeof *v);
            memset(&v[*nout], 0, sizeof *v);
            v[*nout].file = (uint32_t)file;
            v[*nout].off = off;
            v[*nout].len = n;
            (*nout)++;
        } else {
            rc = tt_seterr(e, TT_ECORRUPT, "%s: a bad line", path.s);
            goto fail;
        }
    }
    *out = v;
    v = NULL;
fail:
    if (rc)
        *nout = 0;
    free(v);
    free(data);
    sbuf_free(&path);
    sbuf_free(&sum);
    return rc;
}

/* Overwrite the regions (sorted by file) with fillers, fsync each file.
 * A region that is no longer a gzip member within its file (the files
 * replaced since the journal was written) is said and left.  *files: the
 * files touched. */
static int overwrite(corpus *c, const region *rg, size_t nr, int redo,
                     uint32_t *files, sbuf *names, tt_err *e)
{
    sbuf path = {0}, m = {0};
    int fd = -1, rc = TT_OK;
    uint32_t cur = 0;
    size_t done = 0;
    char num[32];
    *files = 0;
    for (size_t i = 0; i <= nr; i++) {
        struct stat st;
        unsigned char magic[3];
        if (fd >= 0 && (i == nr || rg[i].file != cur)) {
            int r = fsync(fd);
            close(fd);
            fd = -1;
            if (r != 0) {
                rc = tt_seterr(e, TT_EIO, "%s: fsync: %s", path.s,
                               strerror(errno));
                goto fail;
            }
        }
        if (i == nr)
            break;
        if (fd < 0) {
            cur = rg[i].file;
            fd = open(file_path(c, &path, cur), O_RDWR | O_CLOEXEC);
            if (fd < 0) {
                rc = tt_seterr(e, TT_EIO, "%s: %s", path.s, strerror(errno));
                goto fail;
            }
            ++*files;
            if (names) {
                const char *slash = strrchr(path.s, '/');
                if (names->len)
                    sbuf_add(names, ", ", 2);
                sbuf_adds(names, slash ? slash + 1 : path.s);
            }
        }
        if (fstat(fd, &st) != 0 || rg[i].off + rg[i].len > (uint64_t)st.st_size ||
            pread(fd, magic, 3, (off_t)rg[i].off) != 3 || magic[0] != 0x1f ||
            magic[1] != 0x8b || magic[2] != 8) {
            warnf(c, "%s: offset %llu: no record of %llu bytes starts there "
                     "%s: left as it is", path.s,
                  (unsigned long long)rg[i].off,
                  (unsigned long long)rg[i].len,
                  redo ? "(the files changed since the purge journal was "
                         "written?)" : "any more");
            continue;
        }
        sbuf_reset(&m);
        if ((rc = warc_filler(rg[i].len, NULL, &m, e)))
            goto fail;
        if ((rc = pwrite_all(fd, m.s, m.len, rg[i].off, path.s, e)))
            goto fail;
        snprintf(num, sizeof num, "%zu", ++done);
        kill_point(num);
    }
fail:
    if (fd >= 0)
        close(fd);
    sbuf_free(&path);
    sbuf_free(&m);
    return rc;
}

/* The pages (PAGES) of the ids that regions rg[0..nr) (sorted) overwrote
 * (another article's, fetched at a purged one's url): forgotten, so that
 * the index sends no reader to a purged record. */
static void forget_pages(corpus *c, const region *rg, size_t nr)
{
    for (size_t i = 0; i < c->nents; i++) {
        entry *en = &c->ents[i];
        region key;
        key.file = en->page_file;
        key.off = en->page_off;
        if (en->page_file && bsearch(&key, rg, nr, sizeof *rg, cmp_region)) {
            en->page_file = 0;
            en->page_off = en->page_hash = 0;
            c->dirty = 1;
        }
    }
}

/* A deletion marker for id unless its latest record is one: even for an
 * id the index no longer knows (every version of it overwritten before
 * a marker was written), so that the indexer removes it. */
static int mark_deleted(corpus *c, const char *id, int *stored, tt_err *e)
{
    entry *en = lookup(c, id, strlen(id));
    article a = {0};
    char *json;
    size_t len;
    int rc;
    if (stored)
        *stored = 0;
    if (en && en->deleted)
        return TT_OK;
    a.id = (char *)id;
    a.deleted = 1;
    json = article_to_json(&a, &len);
    rc = put_record(c, id, NULL, NULL, json, len, 1, e);
    free(json);
    if (rc == TT_OK && stored)
        *stored = 1;
    return rc;
}

/* Make what was appended durable and save ids.idx, whatever the fsync
 * option says (a purge's steps are ordered on disk). */
static int purge_sync(corpus *c, tt_err *e)
{
    int was = c->o.fsync, rc;
    c->o.fsync = 1;
    c->closing = 1; /* index_due: now, whatever its size */
    c->dirty = 1;
    rc = corpus_flush(c, e);
    c->closing = 0;
    c->o.fsync = was;
    return rc;
}

static int journal_remove(corpus *c, tt_err *e)
{
    sbuf path = {0};
    int rc = TT_OK;
    sbuf_addf(&path, "%s/" JOURNAL_NAME, c->dir);
    if ((unlink(path.s) != 0 && errno != ENOENT) || tt_sync_dir(c->dir) != 0)
        rc = tt_seterr(e, TT_EIO, "%s: %s", path.s, strerror(errno));
    sbuf_free(&path);
    return rc;
}

/* At a writer's open, before the index is read: a purge interrupted is
 * done again (its regions overwritten, ids.idx removed to be rebuilt);
 * its ids are kept in *ids for journal_finish. */
static int journal_redo(corpus *c, strset *ids, tt_err *e)
{
    region *rg = NULL;
    size_t nr = 0;
    uint32_t files;
    sbuf path = {0};
    tt_err je;
    int rc = journal_read(c, ids, &rg, &nr, &je);
    sbuf_addf(&path, "%s/" JOURNAL_NAME ".tmp", c->dir);
    unlink(path.s); /* a journal never finished: nothing was done */
    if (rc == TT_ENOTFOUND) {
        rc = TT_OK;
        goto fail;
    }
    if (rc) {
        rc = tt_seterr(e, rc, "%s; a purge was interrupted and cannot be "
                       "finished from it: run timtin-corpus purge again for "
                       "the ids it names (lines \"id ID\"), then remove it",
                       je.msg);
        goto fail;
    }
    qsort(rg, nr, sizeof *rg, cmp_region);
    warnf(c, "%s/" JOURNAL_NAME ": a purge was interrupted; finishing it "
             "(%zu record%s overwritten in place, the id index rebuilt)",
          c->dir, nr, nr == 1 ? "" : "s");
    if ((rc = overwrite(c, rg, nr, 1, &files, NULL, e)))
        goto fail;
    sbuf_reset(&path);
    sbuf_addf(&path, "%s/" IDX_NAME, c->dir);
    if (unlink(path.s) != 0 && errno != ENOENT)
        rc = tt_seterr(e, TT_EIO, "%s: %s", path.s, strerror(errno));
fail:
    free(rg);
    sbuf_free(&path);
    return rc;
}

/* After journal_redo and the index rebuilt: the deletion markers still
 * missing, then the journal removed. */
static int journal_finish(corpus *c, strset *ids, tt_err *e)
{
    int rc = TT_OK;
    for (size_t i = 0; i < ids->n && !rc; i++)
        rc = mark_deleted(c, ids->v[i], NULL, e);
    if (!rc && !(rc = purge_sync(c, e)))
        rc = journal_remove(c, e);
    return rc;
}

int corpus_purge(corpus *c, const char *const *idv, size_t nid,
                 corpus_purge_stats *st, tt_err *e)
{
    strset ids = {0};
    region *rg = NULL;
    size_t nr = 0, keep = 0;
    uint64_t min = warc_filler_min();
    sbuf path = {0}, names = {0};
    int rc = TT_OK;
    memset(st, 0, sizeof *st);
    if (c->err.code)
        return sticky_ret(c, e);
    if (!(c->flags & CORPUS_WRITE))
        return tt_seterr(e, TT_EINVAL, "corpus %s is open read-only", c->dir);
    for (size_t i = 0; i < nid; i++) {
        if ((rc = check_id(idv[i], e)))
            goto fail;
        if (!lookup(c, idv[i], strlen(idv[i]))) {
            rc = tt_seterr(e, TT_ENOTFOUND, "no article %s", idv[i]);
            goto fail;
        }
        strset_add(&ids, idv[i]);
    }
    if ((rc = flush_appends(c, e)) || (rc = purge_scan(c, &ids, &rg, &nr, e)))
        goto fail;
    for (size_t i = 0; i < nr; i++) {
        if (rg[i].len < min) {
            warnf(c, "%s: offset %llu: a record of %llu bytes, too short to "
                     "be overwritten by a valid record (%llu bytes at "
                     "least): left as it is",
                  file_path(c, &path, rg[i].file),
                  (unsigned long long)rg[i].off,
                  (unsigned long long)rg[i].len, (unsigned long long)min);
            st->left++;
            continue;
        }
        rg[keep++] = rg[i];
    }
    nr = keep;
    if (nr && (rc = journal_write(c, &ids, rg, nr, e)))
        goto fail;
    kill_point("journal");
    for (size_t i = 0; i < ids.n; i++) {
        int stored;
        if ((rc = mark_deleted(c, ids.v[i], &stored, e)))
            goto fail;
        st->markers += (uint64_t)stored;
    }
    if ((rc = purge_sync(c, e)))
        goto fail;
    kill_point("marker");
    if (!nr)
        goto done; /* nothing to overwrite */
    if (c->rf) { /* its buffer may hold the old bytes */
        fclose(c->rf);
        c->rf = NULL;
    }
    if ((rc = overwrite(c, rg, nr, 0, &st->files, &names, e))) {
        tt_err se = *e; /* the journal stays: the next writer finishes */
        sticky(c, &se);
        goto fail;
    }
    kill_point("overwritten");
    for (size_t i = 0; i < nr; i++) {
        cfile *cf = find_file(c, rg[i].file);
        st->records++;
        st->bytes += rg[i].len;
        st->responses += rg[i].response != 0;
        st->versions += rg[i].response == 0;
        if (rg[i].response && c->n.responses)
            c->n.responses--;
        else if (!rg[i].response && c->n.articles_stored)
            c->n.articles_stored--;
        c->n.payload_bytes -= c->n.payload_bytes < rg[i].block_len
                                  ? c->n.payload_bytes : rg[i].block_len;
        c->n.purged++;
        if (cf)
            cf->tail_at = UINT64_MAX; /* its tail read again at the save */
    }
    forget_pages(c, rg, nr);
    c->last_resp[0] = c->read_resp[0] = '\0'; /* perhaps overwritten */
    if (!(rc = purge_sync(c, e)))
        rc = journal_remove(c, e);
done:
fail:
    if (names.len)
        st->files_named = sbuf_detach(&names, NULL);
    sbuf_free(&names);
    strset_free(&ids);
    free(rg);
    sbuf_free(&path);
    return rc;
}

int corpus_purge_pending(corpus *c)
{
    sbuf path = {0};
    int r;
    sbuf_addf(&path, "%s/" JOURNAL_NAME, c->dir);
    r = access(path.s, F_OK) == 0;
    sbuf_free(&path);
    return r;
}
