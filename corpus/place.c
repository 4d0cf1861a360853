/* place.c — positions in a corpus, the names of its files, and one
 * article version read at its position without opening the corpus (see
 * corpus.h).  Apart from corpus.c, which keeps the id index and writes,
 * so that a program that only reads a record here and there (the
 * searcher, for an article's whole text) links neither the writer nor
 * OpenSSL (warc_read.c says why).
 */
#include "corpus.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "warc.h"

int corpus_pos_cmp(corpus_pos a, corpus_pos b)
{
    if (a.file != b.file)
        return a.file < b.file ? -1 : 1;
    if (a.offset != b.offset)
        return a.offset < b.offset ? -1 : 1;
    return 0;
}

void corpus_pos_format(corpus_pos p, char buf[32])
{
    snprintf(buf, 32, "%" PRIu32 ":%" PRIu64, p.file, p.offset);
}

int corpus_pos_parse(const char *s, corpus_pos *p)
{
    const char *colon = s ? strchr(s, ':') : NULL;
    char num[16];
    uint64_t f, o;
    if (!colon || colon == s || (size_t)(colon - s) >= sizeof num)
        return -1;
    memcpy(num, s, (size_t)(colon - s));
    num[colon - s] = '\0';
    if (tt_parse_u64(num, UINT32_MAX, &f) || tt_parse_u64(colon + 1, UINT64_MAX, &o))
        return -1;
    p->file = (uint32_t)f;
    p->offset = o;
    return 0;
}

const char *corpus_file_name(sbuf *b, const char *dir, uint32_t serial)
{
    sbuf_reset(b);
    sbuf_addf(b, "%s/timtin-%06" PRIu32 ".warc.gz", dir, serial);
    return b->s;
}

void corpus_id_decode(sbuf *b, const char *s)
{
    sbuf_reset(b);
    for (; *s; s++) {
        int h, l;
        if (*s == '%' && (h = tt_hexval(s[1])) >= 0 && (l = tt_hexval(s[2])) >= 0) {
            sbuf_addc(b, (char)(h * 16 + l));
            s += 2;
        } else {
            sbuf_addc(b, *s);
        }
    }
    if (!b->s)
        sbuf_add(b, "", 0);
}

int corpus_article_at(const char *dir, corpus_pos pos, const char *id,
                      size_t max_block, article *out, tt_err *e)
{
    sbuf path = {0}, aid = {0};
    warc_reader *r = NULL;
    warc_record rec;
    const char *type, *v, *del, *cl;
    uint64_t len = 0;
    int rc;
    FILE *f;
    memset(out, 0, sizeof *out);
    if (!pos.file) {
        tt_seterr(e, TT_EINVAL, "no position in the corpus");
        return TT_EINVAL;
    }
    corpus_file_name(&path, dir, pos.file);
    if (!(f = fopen(path.s, "rb"))) {
        rc = tt_seterr(e, errno == ENOENT ? TT_ENOTFOUND : TT_EIO, "%s: %s",
                       path.s, strerror(errno));
        goto out;
    }
    r = warc_reader_new();
    /* the header first: another record, or one too large, is not
     * inflated whole */
    rc = warc_read_head(r, f, pos.offset, &rec, e);
    if (rc != TT_OK)
        goto out;
    type = warc_get(&rec, "WARC-Type");
    v = warc_get(&rec, "WARC-Timtin-Article-Id");
    del = warc_get(&rec, "WARC-Timtin-Deleted");
    if (v)
        corpus_id_decode(&aid, v);
    if (!type || strcmp(type, "resource") != 0 || !v ||
        strcmp(aid.s, id) != 0 || (del && !strcmp(del, "1"))) {
        rc = tt_seterr(e, TT_ENOTFOUND,
                       "%s: offset %" PRIu64 ": no version of article %s "
                       "(purged, or another corpus)", path.s, pos.offset, id);
        goto out;
    }
    cl = warc_get(&rec, "Content-Length");
    if (max_block && (!cl || tt_parse_u64(cl, UINT64_MAX, &len) ||
                      len > max_block)) {
        rc = tt_seterr(e, TT_EINVAL,
                       "%s: offset %" PRIu64 ": article %s is %s bytes, "
                       "more than the %zu asked for",
                       path.s, pos.offset, id, cl ? cl : "?", max_block);
        goto out;
    }
    rc = warc_read(r, f, pos.offset, &rec, e);
    if (rc != TT_OK)
        goto out;
    rc = article_from_json(rec.block, rec.block_len, out, e);
    if (rc == TT_OK && (!out->id || strcmp(out->id, id) != 0)) {
        article_free(out);
        rc = tt_seterr(e, TT_ECORRUPT,
                       "%s: offset %" PRIu64 ": the JSON names another "
                       "article than %s", path.s, pos.offset, id);
    }
out:
    if (rc != TT_OK && e && !strstr(e->msg, path.s)) { /* warc_read's */
        tt_err inner = *e;
        tt_seterr(e, rc, "%s: offset %" PRIu64 ": %s", path.s, pos.offset,
                  inner.msg);
    }
    if (f)
        fclose(f);
    warc_reader_free(r);
    sbuf_free(&path);
    sbuf_free(&aid);
    return rc;
}
