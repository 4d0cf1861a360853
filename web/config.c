/* config.c — see config.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unicode.h"

#define MAX_TITLE 100
#define MAX_DESCRIPTION 300
#define MAX_URL 500

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Split spec at ':' into c->dbs, their text in c->dbspec; a relative path
 * is put after dir[0..dirlen) (the config file's directory with its '/';
 * 0: the working directory's). */
static int set_dbs(config *c, const char *spec, const char *dir,
                   size_t dirlen, tt_err *e)
{
    sbuf b = {0};
    size_t at[CONFIG_MAX_DBS], n = 0;
    for (const char *p = spec, *next; p; p = next) {
        size_t len;
        next = strchr(p, ':');
        len = next ? (size_t)(next++ - p) : strlen(p);
        if (!len)
            continue;
        if (n == CONFIG_MAX_DBS) {
            sbuf_free(&b);
            return tt_seterr(e, TT_EINVAL, "more than %d dbs",
                             CONFIG_MAX_DBS);
        }
        at[n++] = b.len;
        if (*p != '/')
            sbuf_add(&b, dir, dirlen);
        sbuf_add(&b, p, len);
        sbuf_addc(&b, '\0');
    }
    free(c->dbspec);
    c->dbspec = sbuf_detach(&b, NULL);
    for (c->ndb = 0; c->ndb < n; c->ndb++)
        c->dbs[c->ndb] = c->dbspec + at[c->ndb];
    return TT_OK;
}

/* A text value: valid UTF-8, no control characters, at most max bytes. */
static int text_ok(const char *v, size_t max)
{
    size_t n = strlen(v);
    if (n > max || !uni_valid(v, n))
        return 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* http(s)://host[/path]: printable ASCII, no quotes, spaces or '<>'. */
static int url_ok(const char *v)
{
    size_t n = strlen(v);
    if (n > MAX_URL || (strncmp(v, "http://", 7) && strncmp(v, "https://", 8)))
        return 0;
    if (v[strcspn(v, "\"'<>\\` ?#")] != '\0')
        return 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return 0;
    return n > (size_t)(v[4] == 's' ? 8 : 7); /* a host after "//" */
}

/* Set key k of the file at path to v. */
static int set_key(config *c, const char *path, const char *k, const char *v,
                   tt_err *e)
{
    uint64_t n;
    if (!strcmp(k, "title") || !strcmp(k, "description")) {
        int t = k[0] == 't';
        if (!text_ok(v, t ? MAX_TITLE : MAX_DESCRIPTION) || !*v)
            return tt_seterr(e, TT_EINVAL,
                             "%s: expected UTF-8 text of 1 to %d bytes", k,
                             t ? MAX_TITLE : MAX_DESCRIPTION);
        char **dst = t ? &c->title : &c->description;
        free(*dst);
        *dst = xstrdup(v);
    } else if (!strcmp(k, "per_page") || !strcmp(k, "max_page")) {
        int pp = k[0] == 'p';
        if (tt_parse_u64(v, pp ? 100 : 1000, &n) || n == 0)
            return tt_seterr(e, TT_EINVAL, "%s: expected a number from 1 "
                             "to %d, got \"%.40s\"", k, pp ? 100 : 1000, v);
        *(pp ? &c->per_page : &c->max_page) = (uint32_t)n;
    } else if (!strcmp(k, "posting_cache_mb") ||
               !strcmp(k, "block_cache_mb")) {
        if (tt_parse_u64(v, 65536, &n))
            return tt_seterr(e, TT_EINVAL, "%s: expected a number from 0 "
                             "to 65536, got \"%.40s\"", k, v);
        *(k[0] == 'p' ? &c->posting_cache_mb : &c->block_cache_mb) =
            (uint32_t)n;
    } else if (!strcmp(k, "cache_report_every")) {
        if (tt_parse_u64(v, 100000000, &n))
            return tt_seterr(e, TT_EINVAL, "cache_report_every: expected a "
                             "number from 0 to 100000000, got \"%.40s\"", v);
        c->cache_report_every = (uint32_t)n;
    } else if (!strcmp(k, "fastcgi_timeout")) {
        if (tt_parse_u64(v, 3600, &n) || n == 0)
            return tt_seterr(e, TT_EINVAL, "fastcgi_timeout: expected a "
                             "number of seconds from 1 to 3600, got "
                             "\"%.40s\"", v);
        c->fastcgi_timeout = (uint32_t)n;
    } else if (!strcmp(k, "search_budget_ms")) {
        int rc = config_budget(c, v, e);
        if (rc)
            return rc;
    } else if (!strcmp(k, "base_url")) {
        if (!url_ok(v))
            return tt_seterr(e, TT_EINVAL, "base_url: expected http://host"
                             "/path or https://…, without query, got "
                             "\"%.60s\"", v);
        free(c->base_url);
        c->base_url = xstrdup(v);
    } else if (!strcmp(k, "facets")) {
        if (!strcmp(v, "yes") || !strcmp(v, "no"))
            c->facets = v[0] == 'y';
        else
            return tt_seterr(e, TT_EINVAL, "facets: expected yes or no");
    } else if (!strcmp(k, "corpus")) { /* from the file's directory */
        const char *slash = strrchr(path, '/');
        sbuf b = {0};
        if (!*v)
            return tt_seterr(e, TT_EINVAL, "corpus: expected a directory "
                             "or none");
        if (strcmp(v, "none")) {
            if (*v != '/' && slash)
                sbuf_add(&b, path, (size_t)(slash - path) + 1);
            sbuf_add(&b, v, strlen(v));
        } else {
            sbuf_add(&b, "", 0);
        }
        free(c->corpus);
        c->corpus = sbuf_detach(&b, NULL);
    } else if (!strcmp(k, "db")) { /* from the file's directory */
        const char *slash = strrchr(path, '/');
        return set_dbs(c, v, path, slash ? (size_t)(slash - path) + 1 : 0,
                       e);
    } else {
        return tt_seterr(e, TT_EINVAL, "unknown setting \"%.40s\"", k);
    }
    return TT_OK;
}

static int parse(config *c, char *text, const char *path, tt_err *e)
{
    int line = 0, rc = TT_OK;
    for (char *p = text, *next; p && rc == TT_OK; p = next) {
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        line++;
        while (is_space(*p))
            p++;
        if (!*p || *p == '#')
            continue;
        char *eq = strchr(p, '=');
        if (!eq) {
            tt_seterr(e, TT_EINVAL, "%s:%d: expected key = value", path,
                      line);
            return TT_EINVAL;
        }
        char *kend = eq, *v = eq + 1, *vend = v + strlen(v);
        while (kend > p && is_space(kend[-1]))
            kend--;
        *kend = '\0';
        while (is_space(*v))
            v++;
        while (vend > v && is_space(vend[-1]))
            vend--;
        *vend = '\0';
        if ((rc = set_key(c, path, p, v, e))) {
            tt_err inner = *e;
            tt_seterr(e, rc, "%s:%d: %s", path, line, inner.msg);
        }
    }
    return rc;
}

int config_load(config *c, const char *path, const char *dbenv, tt_err *e)
{
    char *text = NULL;
    size_t len;
    int rc = TT_OK;
    tt_err tmp;

    if (!e)
        e = &tmp;
    memset(c, 0, sizeof *c);
    c->title = xstrdup("Tìm tin");
    c->description = xstrdup("Tìm kiếm tin tức tiếng Việt");
    c->per_page = 10;
    c->max_page = 100;
    c->facets = 1;
    c->posting_cache_mb = 128;
    c->block_cache_mb = 128;
    c->cache_report_every = 10000;
    c->fastcgi_timeout = 10;
    c->search_budget_ms = 1000;
    if (path && *path) {
        if ((rc = tt_read_file(path, CONFIG_MAX_FILE, &text, &len, e)))
            goto fail;
        if (strlen(text) != len) {
            rc = tt_seterr(e, TT_EINVAL, "%s: contains a NUL byte", path);
            goto fail;
        }
        /* a byte order mark, as some Windows editors write */
        if ((rc = parse(c, text + (strncmp(text, "\xef\xbb\xbf", 3) ? 0 : 3),
                        path, e)))
            goto fail;
    }
    if (dbenv && *dbenv && (rc = set_dbs(c, dbenv, "", 0, e)))
        goto fail;
    if (!c->ndb)
        rc = tt_seterr(e, TT_EINVAL, "no db: set TIMTIN_DB (or db in the "
                                     "config file)");
fail:
    free(text);
    return rc;
}

int config_budget(config *c, const char *v, tt_err *e)
{
    uint64_t n;
    if (tt_parse_u64(v, 600000, &n))
        return tt_seterr(e, TT_EINVAL, "search_budget_ms: expected a number "
                         "of milliseconds from 0 to 600000, got \"%.40s\"",
                         v);
    c->search_budget_ms = (uint32_t)n;
    return TT_OK;
}

void config_free(config *c)
{
    if (!c)
        return;
    free(c->title);
    free(c->description);
    free(c->base_url);
    free(c->corpus);
    free(c->dbspec);
    memset(c, 0, sizeof *c);
}
