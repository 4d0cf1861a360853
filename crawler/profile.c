/* profile.c — see profile.h.
 *
 * Format: UTF-8 text, one "key = value" per line; blank lines and lines
 * starting with '#' are ignored; a value runs to the end of the line
 * (trailing white space cut; no inline comments, since selectors and
 * regular expressions may contain '#').  Keys:
 *   name         the profile's name (the article records' "source", and
 *                the name of its crawl state's directory: one that
 *                cannot be is refused, state_name_problem)
 *   base         the site's origin, "https://tuoitre.vn"
 *   host         an allowed host (repeatable; default: base's host)
 *                (host names in ASCII: internationalised ones in
 *                punycode, "xn--..."; there is no IDNA conversion)
 *   seed         a start URL or path (repeatable)
 *   article      POSIX extended regex on path+query of article URLs; its
 *                first group is the article id
 *   follow       regex of pages to read links from (sections, feed index)
 *   paginate     regex of listing pages, followed only while they bring
 *                new articles, and at most max_listing_pages deep
 *   skip         regex of URLs never fetched (tried first)
 *   shard_date   regex on sitemap URLs: groups year, month, last day
 *   max_depth    article-to-article link hops followed (default 1)
 *   max_listing_pages  listing pages followed one after the other along
 *                one listing's pagination in a run (default 50; 0: none)
 *   timezone     the site's offset: of dates given without one, and the one
 *                extracted dates are stored in (default +07:00)
 *   earliest     the first year the site could date an article in: an
 *                earlier date is not taken (default 1990)
 *   strip_param  a query parameter to drop (repeatable; replaces the
 *                default list; "name*" is a prefix)
 *   keep_trailing_slash  yes|no (default yes): no when the site serves
 *                /a/ and /a as one page (a key matter only: URLs are
 *                fetched as linked)
 *   give_up_after  runs in a row a URL may fail (or robots.txt forbid
 *                it) before it is given up (default 7; 0: never)
 *   withdrawn    keep|delete (default keep): what a 410 Gone for a
 *                stored article does (delete: a deletion marker)
 *   revisit_after  the shortest interval, in days, between two fetches
 *                of a stored article by revisits (default 30; 0: an
 *                article checked on the day it was stored, every run)
 *   revisit_max  the longest (default 365; not less than revisit_after):
 *                between them an article checked at A days old is due
 *                A days later (crawler/revisit.h)
 *   revisit_per_run  due articles revisited in a run, at most: a number
 *                (0: no revisits) or auto (the default: twice the
 *                articles falling due a day, 50 to 3000)
 *   id_prefix    put before every article id of the site (ids are one
 *                namespace for all the sites of a corpus): at most
 *                PROFILE_MAX_ID_PREFIX bytes of [A-Za-z0-9._:-]
 *   title sapo author published modified section tag canonical image
 *   content drop figure caption body   extraction rules (extract.h)
 */
#include "profile.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "state.h"

typedef struct rx {
    regex_t re;
    regex_t fast;  /* the same with REG_NOSUB: glibc answers yes/no much
                      faster than it finds groups (profiled) */
    int has_fast;
    char *src;
} rx;

typedef struct rxv {
    rx *v;
    size_t n, cap;
} rxv;

struct profile {
    char *name, *base, *origin; /* origin: base, or --base-url's */
    char *id_prefix;    /* before every article id ("" for none) */
    strlist hosts;      /* allowed authorities */
    strlist own_hosts;  /* the profile's hosts, rewritten to origin */
    strlist seeds;      /* absolute, normalised */
    strlist raw_seeds;  /* as written */
    rxv article, follow, paginate, skip, shard;
    int max_depth, offset;
    int max_listing_pages;
    int give_up_after;
    int revisit_after, revisit_max, revisit_per_run;
    int slash_same;     /* keep_trailing_slash = no */
    int withdrawn_delete; /* withdrawn = delete */
    uint64_t fingerprint; /* of the text */
    strlist strip;
    const char **strip_v;
    url_rules ur;
    extract_rules *rules;
};

static void rxv_free(rxv *v)
{
    for (size_t i = 0; i < v->n; i++) {
        regfree(&v->v[i].re);
        if (v->v[i].has_fast)
            regfree(&v->v[i].fast);
        free(v->v[i].src);
    }
    free(v->v);
}

void profile_free(profile *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->base);
    free(p->origin);
    free(p->id_prefix);
    strlist_free(&p->hosts);
    strlist_free(&p->own_hosts);
    strlist_free(&p->seeds);
    strlist_free(&p->raw_seeds);
    rxv_free(&p->article);
    rxv_free(&p->follow);
    rxv_free(&p->paginate);
    rxv_free(&p->skip);
    rxv_free(&p->shard);
    strlist_free(&p->strip);
    free(p->strip_v);
    extract_rules_free(p->rules);
    free(p);
}

static int add_rx(rxv *v, const char *src, int groups, tt_err *e)
{
    rx x;
    int r;
    memset(&x, 0, sizeof x);
    r = regcomp(&x.re, src, REG_EXTENDED | (groups ? 0 : REG_NOSUB));
    if (r) {
        char msg[128];
        regerror(r, &x.re, msg, sizeof msg);
        return tt_seterr(e, TT_EINVAL, "bad regular expression \"%s\": %s",
                         src, msg);
    }
    if (groups && regcomp(&x.fast, src, REG_EXTENDED | REG_NOSUB) == 0)
        x.has_fast = 1;
    x.src = xstrdup(src);
    xgrow(&v->v, &v->cap, v->n + 1, sizeof *v->v);
    v->v[v->n++] = x;
    return TT_OK;
}

static int parse_offset(const char *s, int *out)
{
    int sign, h, m = 0;
    if (!strcmp(s, "Z") || !strcmp(s, "UTC")) {
        *out = 0;
        return 0;
    }
    if (*s != '+' && *s != '-')
        return -1;
    sign = *s == '-' ? -1 : 1;
    if (sscanf(s + 1, "%d:%d", &h, &m) < 1 || h < 0 || h > 14 || m < 0 ||
        m > 59)
        return -1;
    *out = sign * (h * 60 + m);
    return 0;
}

/* Why a refused URL was refused, when its host name is internationalised
 * (there is no IDNA conversion here); else dflt. */
static const char *why_refused(const char *url, const char *dflt)
{
    return url_idn_host(url, strlen(url))
               ? "internationalised host names must be written in punycode "
                 "(xn--...)"
               : dflt;
}

/* Seeds made absolute against origin. */
static int make_seeds(profile *p, tt_err *e)
{
    sbuf u = {0};
    strlist_free(&p->seeds);
    for (size_t i = 0; i < p->raw_seeds.n; i++) {
        const char *seed = p->raw_seeds.v[i];
        sbuf_reset(&u);
        if (profile_link(p, p->origin, seed, strlen(seed), &u)) {
            sbuf_free(&u);
            return tt_seterr(e, TT_EINVAL, "seed %s: %s", seed,
                             why_refused(seed, "out of scope"));
        }
        strlist_push(&p->seeds, u.s, u.len);
    }
    sbuf_free(&u);
    return TT_OK;
}

/* A name for a message: its first 60 bytes, control characters as \xNN. */
static void show_name(sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n && i < 60; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            sbuf_addf(b, "\\x%02X", c);
        else
            sbuf_add(b, s + i, 1);
    }
    if (n > 60)
        sbuf_adds(b, "...");
}

/* A key whose value is a number from 0 to max (unit after it in the
 * message): into *out (TT_OK), or TT_EINVAL and an error in e. */
static int int_key(const char *key, const char *val, int max,
                   const char *unit, int *out, tt_err *e)
{
    uint64_t v;
    if (tt_parse_u64(val, (uint64_t)max, &v))
        return tt_seterr(e, TT_EINVAL, "%s: 0 to %d%s", key, max, unit);
    *out = (int)v;
    return TT_OK;
}

int profile_parse(const char *text, size_t n, const char *name,
                  profile **out, tt_err *e)
{
    profile *p = xcalloc(1, sizeof *p);
    size_t i = 0;
    int line = 0, rc = TT_OK;
    sbuf key = {0}, val = {0}, tmp = {0};
    *out = NULL;
    p->max_depth = 1;
    p->max_listing_pages = PROFILE_MAX_LISTING_PAGES;
    p->give_up_after = PROFILE_GIVE_UP_AFTER;
    p->revisit_after = PROFILE_REVISIT_AFTER;
    p->revisit_max = PROFILE_REVISIT_MAX;
    p->revisit_per_run = PROFILE_REVISIT_AUTO;
    p->offset = 7 * 60;
    p->fingerprint = url_hash(text, n);
    if (!p->fingerprint)
        p->fingerprint = 1;
    p->rules = extract_rules_new();
    if (n > PROFILE_MAX_BYTES) {
        rc = tt_seterr(e, TT_EINVAL, "%s: larger than %u bytes", name,
                       PROFILE_MAX_BYTES);
        goto fail;
    }
    while (i < n) {
        size_t ls = i, le, eq, ks, ke, vs, ve;
        tt_err le_err;
        while (i < n && text[i] != '\n')
            i++;
        le = i;
        if (i < n)
            i++;
        line++;
        while (ls < le && (text[ls] == ' ' || text[ls] == '\t'))
            ls++;
        while (le > ls && (text[le - 1] == ' ' || text[le - 1] == '\t' ||
                           text[le - 1] == '\r'))
            le--;
        if (ls == le || text[ls] == '#')
            continue;
        for (eq = ls; eq < le && text[eq] != '='; eq++)
            ;
        if (eq == le) {
            rc = tt_seterr(e, TT_EINVAL, "%s:%d: expected \"key = value\"",
                           name, line);
            goto fail;
        }
        ks = ls;
        ke = eq;
        while (ke > ks && (text[ke - 1] == ' ' || text[ke - 1] == '\t'))
            ke--;
        vs = eq + 1;
        while (vs < le && (text[vs] == ' ' || text[vs] == '\t'))
            vs++;
        ve = le;
        sbuf_reset(&key);
        sbuf_reset(&val);
        sbuf_add(&key, text + ks, ke - ks);
        sbuf_add(&val, text + vs, ve - vs);
        if (val.len == 0) {
            rc = tt_seterr(e, TT_EINVAL, "%s:%d: %s: empty value", name, line,
                           key.s);
            goto fail;
        }
        tt_clearerr(&le_err);
        if (!strcmp(key.s, "name")) {
            const char *why = state_name_problem(val.s, val.len);
            if (why) {
                sbuf_reset(&tmp);
                show_name(&tmp, val.s, val.len);
                tt_seterr(&le_err, TT_EINVAL,
                          "name %s: %s; a profile's name is that of its "
                          "crawl state's directory, CORPUS/crawl-state/NAME",
                          tmp.s, why);
            } else {
                free(p->name);
                p->name = xstrdup(val.s);
            }
        } else if (!strcmp(key.s, "base")) {
            sbuf_reset(&tmp);
            if (url_normalize(val.s, val.len, NULL, &tmp) ||
                strcmp(url_path(tmp.s), "/")) {
                rc = tt_seterr(e, TT_EINVAL, "%s:%d: base %s: %s", name, line,
                               val.s,
                               why_refused(val.s, "must be an origin like "
                                                  "https://example.com"));
                goto fail;
            }
            tmp.s[url_origin_len(tmp.s)] = '\0';
            free(p->base); /* a later line wins; on error, it is kept */
            p->base = xstrdup(tmp.s);
        } else if (!strcmp(key.s, "host")) {
            char h[512];
            size_t k;
            const char *why;
            if (val.len >= sizeof h) {
                rc = tt_seterr(e, TT_EINVAL, "%s:%d: host too long", name, line);
                goto fail;
            }
            sbuf_reset(&tmp);
            sbuf_addf(&tmp, "http://%s/", val.s);
            if ((why = why_refused(tmp.s, NULL)) != NULL) {
                rc = tt_seterr(e, TT_EINVAL, "%s:%d: host %s: %s", name, line,
                               val.s, why);
                goto fail;
            }
            for (k = 0; k < val.len; k++)
                h[k] = (char)(val.s[k] >= 'A' && val.s[k] <= 'Z' ? val.s[k] + 32
                                                                : val.s[k]);
            h[k] = '\0';
            strlist_push(&p->own_hosts, h, k);
        } else if (!strcmp(key.s, "seed")) {
            strlist_push(&p->raw_seeds, val.s, val.len);
        } else if (!strcmp(key.s, "article")) {
            if (add_rx(&p->article, val.s, 1, &le_err) == TT_OK &&
                p->article.v[p->article.n - 1].re.re_nsub < 1)
                tt_seterr(&le_err, TT_EINVAL,
                          "the article pattern needs a group for the id");
        } else if (!strcmp(key.s, "follow")) {
            add_rx(&p->follow, val.s, 0, &le_err);
        } else if (!strcmp(key.s, "paginate")) {
            add_rx(&p->paginate, val.s, 0, &le_err);
        } else if (!strcmp(key.s, "skip")) {
            add_rx(&p->skip, val.s, 0, &le_err);
        } else if (!strcmp(key.s, "shard_date")) {
            if (add_rx(&p->shard, val.s, 1, &le_err) == TT_OK &&
                p->shard.v[p->shard.n - 1].re.re_nsub < 3)
                tt_seterr(&le_err, TT_EINVAL,
                          "shard_date needs groups year, month, day");
        } else if (!strcmp(key.s, "max_depth")) {
            int_key(key.s, val.s, 100, "", &p->max_depth, &le_err);
        } else if (!strcmp(key.s, "max_listing_pages")) {
            int_key(key.s, val.s, PROFILE_MAX_MAX_LISTING_PAGES, "",
                    &p->max_listing_pages, &le_err);
        } else if (!strcmp(key.s, "give_up_after")) {
            int_key(key.s, val.s, PROFILE_MAX_GIVE_UP_AFTER, " runs",
                    &p->give_up_after, &le_err);
        } else if (!strcmp(key.s, "revisit_after")) {
            int_key(key.s, val.s, PROFILE_MAX_REVISIT_AFTER, " days",
                    &p->revisit_after, &le_err);
        } else if (!strcmp(key.s, "revisit_max")) {
            int_key(key.s, val.s, PROFILE_MAX_REVISIT_AFTER, " days",
                    &p->revisit_max, &le_err);
        } else if (!strcmp(key.s, "revisit_per_run")) {
            if (!strcmp(val.s, "auto"))
                p->revisit_per_run = PROFILE_REVISIT_AUTO;
            else if (int_key(key.s, val.s, PROFILE_MAX_REVISIT_PER_RUN, "",
                             &p->revisit_per_run, &le_err) != TT_OK)
                tt_seterr(&le_err, TT_EINVAL,
                          "revisit_per_run: auto, or 0 to %d",
                          PROFILE_MAX_REVISIT_PER_RUN);
        } else if (!strcmp(key.s, "id_prefix")) {
            if (val.len > PROFILE_MAX_ID_PREFIX ||
                strspn(val.s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                              "0123456789._:-") != val.len)
                tt_seterr(&le_err, TT_EINVAL,
                          "id_prefix: 1 to %d letters, digits, '.', '_', "
                          "':' or '-'",
                          PROFILE_MAX_ID_PREFIX);
            free(p->id_prefix);
            p->id_prefix = xstrdup(val.s);
        } else if (!strcmp(key.s, "timezone")) {
            if (parse_offset(val.s, &p->offset))
                tt_seterr(&le_err, TT_EINVAL, "timezone: like +07:00");
            extract_rules_set_offset(p->rules, p->offset);
        } else if (!strcmp(key.s, "earliest")) {
            uint64_t y;
            if (tt_parse_u64(val.s, 9999, &y) || y < 1900)
                tt_seterr(&le_err, TT_EINVAL, "earliest: a year, 1900 to 9999");
            else
                extract_rules_set_earliest(p->rules, (int)y);
        } else if (!strcmp(key.s, "strip_param")) {
            strlist_push(&p->strip, val.s, val.len);
        } else if (!strcmp(key.s, "withdrawn")) {
            if (strcmp(val.s, "keep") && strcmp(val.s, "delete"))
                tt_seterr(&le_err, TT_EINVAL, "withdrawn: keep or delete");
            p->withdrawn_delete = !strcmp(val.s, "delete");
        } else if (!strcmp(key.s, "keep_trailing_slash")) {
            if (strcmp(val.s, "yes") && strcmp(val.s, "no"))
                tt_seterr(&le_err, TT_EINVAL, "keep_trailing_slash: yes or no");
            p->slash_same = !strcmp(val.s, "no");
        } else if (extract_is_field(key.s)) {
            extract_rules_add(p->rules, key.s, val.s, &le_err);
        } else {
            tt_seterr(&le_err, TT_EINVAL, "unknown key \"%s\"", key.s);
        }
        if (le_err.code) {
            rc = tt_seterr(e, le_err.code, "%s:%d: %s", name, line, le_err.msg);
            goto fail;
        }
    }
    if (p->revisit_max < p->revisit_after) {
        rc = tt_seterr(e, TT_EINVAL,
                       "%s: revisit_max (%d days) is less than revisit_after "
                       "(%d days): the longest interval between revisits "
                       "cannot be shorter than the shortest",
                       name, p->revisit_max, p->revisit_after);
        goto fail;
    }
    if (!p->name || !p->base || p->article.n == 0) {
        rc = tt_seterr(e, TT_EINVAL, "%s: missing %s", name,
                       !p->name ? "name" : !p->base ? "base" : "article");
        goto fail;
    }
    {
        tt_err ce;
        if (extract_rules_check(p->rules, &ce) != TT_OK) {
            rc = tt_seterr(e, TT_EINVAL, "%s: %s", name, ce.msg);
            goto fail;
        }
    }
    if (p->strip.n) {
        p->strip_v = xcalloc(p->strip.n + 1, sizeof *p->strip_v);
        for (size_t k = 0; k < p->strip.n; k++)
            p->strip_v[k] = p->strip.v[k];
        p->ur.strip = p->strip_v;
    }
    if (p->own_hosts.n == 0) {
        char h[512];
        if (url_host(p->base, h, sizeof h) == 0)
            strlist_push(&p->own_hosts, h, strlen(h));
    }
    for (size_t k = 0; k < p->own_hosts.n; k++)
        strlist_push(&p->hosts, p->own_hosts.v[k], strlen(p->own_hosts.v[k]));
    p->origin = xstrdup(p->base);
    {
        tt_err se;
        if ((rc = make_seeds(p, &se)) != TT_OK) {
            tt_seterr(e, rc, "%s: %s", name, se.msg);
            goto fail;
        }
    }
    *out = p;
    p = NULL;
fail:
    sbuf_free(&key);
    sbuf_free(&val);
    sbuf_free(&tmp);
    profile_free(p);
    return rc;
}

int profile_load(const char *arg, const char *dirs, profile **out, tt_err *e)
{
    char *text = NULL;
    size_t len;
    int rc;
    sbuf path = {0};
    size_t alen = strlen(arg);
    *out = NULL;
    if (strchr(arg, '/') || (alen > 5 && !strcmp(arg + alen - 5, ".conf"))) {
        sbuf_adds(&path, arg);
        rc = tt_read_file(path.s, PROFILE_MAX_BYTES, &text, &len, e);
    } else {
        const char *d = dirs ? dirs : "";
        rc = TT_ENOTFOUND;
        while (rc == TT_ENOTFOUND && *d) {
            size_t k = strcspn(d, ":");
            sbuf_reset(&path);
            if (k) {
                sbuf_add(&path, d, k);
                sbuf_addf(&path, "/%s.conf", arg);
                rc = tt_read_file(path.s, PROFILE_MAX_BYTES, &text, &len, e);
            }
            d += k + (d[k] == ':');
        }
        if (rc == TT_ENOTFOUND)
            tt_seterr(e, TT_ENOTFOUND, "no profile named \"%s\" (looked in %s)",
                      arg, dirs ? dirs : "nowhere");
    }
    if (rc == TT_OK)
        rc = profile_parse(text, len, path.s, out, e);
    free(text);
    sbuf_free(&path);
    return rc;
}

int profile_set_base(profile *p, const char *base_url, tt_err *e)
{
    sbuf t = {0};
    char h[512];
    if (url_normalize(base_url, strlen(base_url), NULL, &t) ||
        url_host(t.s, h, sizeof h)) {
        sbuf_free(&t);
        return tt_seterr(e, TT_EINVAL, "--base-url %s: %s", base_url,
                         why_refused(base_url, "not an http(s) URL"));
    }
    t.s[url_origin_len(t.s)] = '\0';
    free(p->origin);
    p->origin = xstrdup(t.s);
    sbuf_free(&t);
    strlist_free(&p->hosts);
    strlist_push(&p->hosts, h, strlen(h));
    return make_seeds(p, e);
}

const char *profile_name(const profile *p) { return p->name; }
size_t profile_nseeds(const profile *p) { return p->seeds.n; }
const char *profile_seed(const profile *p, size_t i)
{
    return i < p->seeds.n ? p->seeds.v[i] : NULL;
}
const extract_rules *profile_rules(const profile *p) { return p->rules; }
int profile_max_depth(const profile *p) { return p->max_depth; }
int profile_offset(const profile *p) { return p->offset; }
int profile_max_listing_pages(const profile *p)
{
    return p->max_listing_pages;
}
int profile_give_up_after(const profile *p) { return p->give_up_after; }
int profile_revisit_after(const profile *p) { return p->revisit_after; }
int profile_revisit_max(const profile *p) { return p->revisit_max; }
int profile_revisit_per_run(const profile *p) { return p->revisit_per_run; }
uint64_t profile_fingerprint(const profile *p) { return p->fingerprint; }
int profile_keep_trailing_slash(const profile *p) { return !p->slash_same; }
int profile_withdrawn_delete(const profile *p) { return p->withdrawn_delete; }

static int in(const strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return 1;
    return 0;
}

int profile_link(const profile *p, const char *base, const char *href,
                 size_t n, sbuf *out)
{
    char h[512];
    sbuf_reset(out);
    if (url_resolve(base, href, n, &p->ur, out) ||
        url_host(out->s, h, sizeof h))
        return -1;
    if (strcmp(p->origin, p->base) && in(&p->own_hosts, h)) {
        /* a link to the site itself, seen on a mirror: to the mirror */
        sbuf t = {0};
        sbuf_adds(&t, p->origin);
        sbuf_adds(&t, url_path(out->s));
        sbuf_reset(out);
        sbuf_add(out, t.s, t.len);
        sbuf_free(&t);
        if (url_host(out->s, h, sizeof h))
            return -1;
    }
    return in(&p->hosts, h) ? 0 : -1;
}

static int any(const rxv *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (regexec(&v->v[i].re, s, 0, NULL, 0) == 0)
            return 1;
    return 0;
}

int profile_in_scope(const profile *p, const char *url)
{
    char h[512];
    return url_host(url, h, sizeof h) == 0 && in(&p->hosts, h) &&
           !any(&p->skip, url_path(url));
}

int profile_classify(const profile *p, const char *url, char *id, size_t cap)
{
    const char *path = url_path(url);
    if (!profile_in_scope(p, url))
        return PK_OUT;
    for (size_t i = 0; i < p->article.n; i++) {
        regmatch_t m[2];
        const rx *x = &p->article.v[i];
        if (x->has_fast && regexec(&x->fast, path, 0, NULL, 0) != 0)
            continue;
        if (regexec(&x->re, path, 2, m, 0) == 0 &&
            m[1].rm_so >= 0) {
            size_t len = (size_t)(m[1].rm_eo - m[1].rm_so);
            size_t pl = p->id_prefix ? strlen(p->id_prefix) : 0;
            if (len == 0 || pl + len + 1 > cap)
                return PK_OUT;
            if (pl)
                memcpy(id, p->id_prefix, pl);
            memcpy(id + pl, path + m[1].rm_so, len);
            id[pl + len] = '\0';
            return PK_ARTICLE;
        }
    }
    if (any(&p->paginate, path))
        return PK_PAGINATE;
    if (any(&p->follow, path))
        return PK_HUB;
    return PK_OUT;
}

int profile_shard_date(const profile *p, const char *url, int64_t *epoch)
{
    const char *path = url_path(url);
    for (size_t i = 0; i < p->shard.n; i++) {
        regmatch_t m[4];
        int v[3];
        if (regexec(&p->shard.v[i].re, path, 4, m, 0))
            continue;
        for (int k = 0; k < 3; k++) {
            char b[8];
            size_t len = (size_t)(m[k + 1].rm_eo - m[k + 1].rm_so);
            if (m[k + 1].rm_so < 0 || len == 0 || len >= sizeof b)
                return -1;
            memcpy(b, path + m[k + 1].rm_so, len);
            b[len] = '\0';
            v[k] = atoi(b);
        }
        if (v[0] < 1000 || v[0] > 9999 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
            v[2] > 31)
            return -1;
        *epoch = date_days_from_civil(v[0], v[1], v[2]) * 86400 + 86399 -
                 (int64_t)p->offset * 60;
        return 0;
    }
    return -1;
}
