/* extract.c — see extract.h. */
#include "extract.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "json.h"
#include "pagedate.h"
#include "unicode.h"
#include "vn.h"

enum {
    F_TITLE, F_SAPO, F_AUTHOR, F_PUBLISHED, F_MODIFIED, F_SECTION, F_TAG,
    F_CANONICAL, F_IMAGE, F_CONTENT, F_DROP, F_FIGURE, F_CAPTION, F_BODY,
    F_N
};

static const char *const field_names[F_N] = {
    "title", "sapo", "author", "published", "modified", "section", "tag",
    "canonical", "image", "content", "drop", "figure", "caption", "body"};

typedef struct sel {
    char *src;      /* as written, for messages */
    char *jsonld;   /* JSON-LD path, or NULL */
    char *xp;       /* the XPath text, or NULL */
    dom_path *path; /* compiled XPath, or NULL */
} sel;

typedef struct selv {
    sel *v;
    size_t n, cap;
} selv;

struct extract_rules {
    selv f[F_N];
    int offset;   /* minutes */
    int earliest; /* year */
};

extract_rules *extract_rules_new(void)
{
    extract_rules *r = xcalloc(1, sizeof *r);
    r->offset = 7 * 60;
    r->earliest = EXTRACT_EARLIEST;
    return r;
}

void extract_rules_free(extract_rules *r)
{
    if (!r)
        return;
    for (int i = 0; i < F_N; i++) {
        for (size_t j = 0; j < r->f[i].n; j++) {
            free(r->f[i].v[j].src);
            free(r->f[i].v[j].jsonld);
            free(r->f[i].v[j].xp);
            dom_path_free(r->f[i].v[j].path);
        }
        free(r->f[i].v);
    }
    free(r);
}

static int field_index(const char *name)
{
    for (int i = 0; i < F_N; i++)
        if (!strcmp(name, field_names[i]))
            return i;
    return -1;
}

int extract_is_field(const char *field) { return field_index(field) >= 0; }

int extract_rules_add(extract_rules *r, const char *field, const char *s,
                      tt_err *e)
{
    int fi = field_index(field), rc;
    sel x = {0};
    sbuf xp = {0};
    if (fi < 0)
        return tt_seterr(e, TT_EINVAL, "unknown field \"%s\"", field);
    x.src = xstrdup(s);
    if (!strncmp(s, "jsonld:", 7)) {
        if (!s[7]) {
            rc = tt_seterr(e, TT_EINVAL, "%s: empty JSON-LD path", field);
            goto fail;
        }
        x.jsonld = xstrdup(s + 7);
    } else {
        if (s[0] == '/' || s[0] == '(' || s[0] == '.') {
            sbuf_adds(&xp, s);
        } else if ((rc = dom_css_to_xpath(s, &xp, e)) != TT_OK) {
            goto fail;
        }
        if ((rc = dom_path_compile(xp.s, &x.path, e)) != TT_OK)
            goto fail;
        x.xp = xstrdup(xp.s);
    }
    if (fi == F_BODY && r->f[fi].n == 1 && x.path) {
        /* several body rules make one union, so paragraphs keep the
         * page's order */
        sel *o = &r->f[fi].v[0];
        sbuf u = {0};
        dom_path *np;
        sbuf_addf(&u, "(%s) | (%s)", o->xp, x.xp);
        if ((rc = dom_path_compile(u.s, &np, e)) != TT_OK) {
            sbuf_free(&u);
            goto fail;
        }
        dom_path_free(o->path);
        free(o->xp);
        o->path = np;
        o->xp = sbuf_detach(&u, NULL);
        dom_path_free(x.path);
        free(x.xp);
        free(x.src);
        sbuf_free(&xp);
        return TT_OK;
    }
    xgrow(&r->f[fi].v, &r->f[fi].cap, r->f[fi].n + 1, sizeof *r->f[fi].v);
    r->f[fi].v[r->f[fi].n++] = x;
    sbuf_free(&xp);
    return TT_OK;
fail:
    free(x.src);
    free(x.jsonld);
    free(x.xp);
    dom_path_free(x.path);
    sbuf_free(&xp);
    return rc;
}

void extract_rules_set_offset(extract_rules *r, int minutes)
{
    r->offset = minutes;
}

void extract_rules_set_earliest(extract_rules *r, int year)
{
    r->earliest = year;
}

int extract_rules_check(const extract_rules *r, tt_err *e)
{
    static const int need[] = {F_TITLE, F_CONTENT, F_BODY};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (r->f[need[i]].n == 0)
            return tt_seterr(e, TT_EINVAL, "no rule for %s",
                             field_names[need[i]]);
    return TT_OK;
}

/* ---- text ---- */

/* 1 when (valid UTF-8) p holds only code points that are NFC whatever
 * precedes them and that no combining mark follows: below U+0300 (ASCII,
 * Latin-1, Latin Extended-A/B), U+1E00-U+1EFF (precomposed Vietnamese)
 * and U+2010-U+20CF (dashes, quotes, currency).  Most Vietnamese text
 * passes, and skips utf8proc; anything else takes uni_nfc. */
static int surely_nfc(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b < 0x80) {
            i++;
        } else if (b >= 0xC2 && b <= 0xCB && i + 1 < n) {
            i += 2;
        } else if (b == 0xE1 && i + 2 < n && s[i + 1] >= 0xB8 && s[i + 1] <= 0xBB) {
            i += 3;
        } else if (b == 0xE2 && i + 2 < n &&
                   ((s[i + 1] == 0x80 && s[i + 2] >= 0x90) || s[i + 1] == 0x81 ||
                    s[i + 1] == 0x82 || (s[i + 1] == 0x83 && s[i + 2] <= 0x8F))) {
            i += 3;
        } else {
            return 0;
        }
    }
    return 1;
}

void extract_clean(const char *s, size_t n, sbuf *out)
{
    sbuf c = {0}, w = {0};
    int space = 0;
    if (n > EXTRACT_MAX_FIELD)
        n = EXTRACT_MAX_FIELD;
    vn_clean(s, n, &c);
    /* the result is never longer than the cleaned text: write in place */
    xgrow(&w.s, &w.cap, c.len + 1, 1);
    for (size_t i = 0; i < c.len; i++) {
        char ch = c.s[i];
        /* white space (vn_clean dropped the other controls) */
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = 1;
            continue;
        }
        if (space && w.len)
            w.s[w.len++] = ' ';
        space = 0;
        w.s[w.len++] = ch;
    }
    w.s[w.len] = '\0';
    if (w.len && !surely_nfc(w.s, w.len))
        uni_nfc(w.s, w.len, 0, out);
    else if (w.len)
        sbuf_add(out, w.s, w.len);
    sbuf_free(&c);
    sbuf_free(&w);
}

/* ---- JSON-LD ---- */

/* The page's JSON-LD objects, read once, when a rule first asks. */
typedef struct jctx {
    js_value **roots;
    size_t nroots, cap;
    const js_value **arts;   /* article objects: the page's own when some
                              * name it, else all, in page order */
    size_t narts, acap;
    const js_value **others; /* the other objects, asked after them */
    size_t nothers, ocap;
    int agree;  /* several articles, none the page's: a value only where
                 * they agree */
    int parsed;
} jctx;

typedef struct ctx {
    const extract_rules *r;
    dom_doc *d;
    jctx j;
    const char *url;  /* the page's, or NULL */
    int64_t fetched;  /* UTC seconds */
    strlist *notes;   /* or NULL */
} ctx;

static void note(ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A note for the caller (extract_page.notes). */
static void note(ctx *c, const char *fmt, ...)
{
    va_list ap;
    sbuf t = {0};
    if (!c->notes)
        return;
    va_start(ap, fmt);
    sbuf_vaddf(&t, fmt, ap);
    va_end(ap);
    strlist_push(c->notes, t.s ? t.s : "", t.len);
    sbuf_free(&t);
}

static int is_article_type(const js_value *o)
{
    const js_value *t = js_get(o, "@type");
    size_t n = js_is_array(t) ? js_len(t) : 1;
    for (size_t i = 0; i < n; i++) {
        const js_value *ti = js_is_array(t) ? js_at(t, i) : t;
        size_t len;
        const char *s = js_str(ti, &len);
        if (s && len >= 7 && !strcmp(s + len - 7, "Article"))
            return 1;
    }
    return 0;
}

static void add_obj(jctx *j, const js_value *o, int depth)
{
    if (depth > 4)
        return;
    if (js_is_array(o)) {
        for (size_t i = 0; i < js_len(o); i++)
            add_obj(j, js_at(o, i), depth + 1);
    } else if (js_is_object(o)) {
        if (is_article_type(o)) {
            xgrow(&j->arts, &j->acap, j->narts + 1, sizeof *j->arts);
            j->arts[j->narts++] = o;
        } else {
            xgrow(&j->others, &j->ocap, j->nothers + 1, sizeof *j->others);
            j->others[j->nothers++] = o;
        }
        if (js_get(o, "@graph"))
            add_obj(j, js_get(o, "@graph"), depth + 1);
    }
}

/* The part of URL u that names a page of the site: from the path on,
 * without the fragment, into *n bytes at the result.  Scheme and host are
 * left out: the page fetched through --base-url, or by the other scheme,
 * is the same page, and JSON-LD may give the path alone. */
static const char *page_part(const char *u, size_t *n)
{
    const char *p = strstr(u, "://");
    if (p)
        p += 3;
    else if (u[0] == '/' && u[1] == '/')
        p = u + 2;
    if (p)
        p += strcspn(p, "/?#");
    else
        p = u;
    *n = strcspn(p, "#");
    if (*n == 0)
        p = "/", *n = 1;
    return p;
}

static int same_page(const char *a, const char *b)
{
    size_t na, nb;
    const char *pa = page_part(a, &na), *pb = page_part(b, &nb);
    return na == nb && !memcmp(pa, pb, na);
}

/* 1 when article o says it is the page at one of urls[0..n) (NULLs
 * skipped): by url, mainEntityOfPage (a URL, or an object's @id or url)
 * or @id. */
static int names_page(const js_value *o, const char *const *urls, size_t n)
{
    const js_value *m = js_get(o, "mainEntityOfPage");
    const char *ids[4] = {js_str(js_get(o, "url"), NULL), js_str(m, NULL),
                          js_str(js_get(m, "@id"), NULL),
                          js_str(js_get(o, "@id"), NULL)};
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < n; k++)
            if (ids[i] && urls[k] && same_page(ids[i], urls[k]))
                return 1;
    return 0;
}

/* Of several articles, keep the page's own: those naming the page's URL
 * or its canonical link; when none does, values are taken only where
 * they agree (a related story's block is not the page's). */
static void own_articles(ctx *c)
{
    static dom_path *p; /* compiled once; read-only afterwards */
    jctx *j = &c->j;
    dom_set s = {0};
    sbuf canon = {0};
    const char *urls[2];
    size_t k = 0;
    if (j->narts < 2)
        return;
    if (p || !dom_path_compile("//link[@rel='canonical']/@href", &p, NULL)) {
        dom_eval(c->d, NULL, p, &s);
        if (s.n)
            dom_text(s.v[0], &canon);
        dom_set_free(&s);
    }
    urls[0] = c->url;
    urls[1] = canon.len ? canon.s : NULL;
    for (size_t i = 0; i < j->narts; i++)
        if (names_page(j->arts[i], urls, 2))
            j->arts[k++] = j->arts[i];
    if (k)
        j->narts = k;
    else
        j->agree = 1;
    sbuf_free(&canon);
}

/* s[0..n) without white space around it, and without one wrapper
 * "pre ... post" (each after optional "//", as pages hide a script from
 * old browsers) when it has one: 1 if it had. */
static int unwrap(const char **s, size_t *n, const char *pre,
                  const char *post)
{
    const char *p = *s, *e = *s + *n;
    size_t lp = strlen(pre), lq = strlen(post);
    while (p < e && strchr(" \t\r\n", *p))
        p++;
    while (e > p && strchr(" \t\r\n", e[-1]))
        e--;
    *s = p, *n = (size_t)(e - p);
    if (e - p >= 2 && !strncmp(p, "//", 2))
        p += 2;
    if ((size_t)(e - p) < lp + lq || strncmp(p, pre, lp) ||
        strncmp(e - lq, post, lq))
        return 0;
    e -= lq;
    if (e - p >= 2 && !strncmp(e - 2, "//", 2))
        e -= 2;
    *s = p + lp, *n = (size_t)(e - p - lp);
    return 1;
}

/* The JSON of a JSON-LD block with the faults browsers and search
 * engines read past repaired, into out: an HTML comment or CDATA section
 * around it removed, control characters inside strings (raw line breaks,
 * tabs) escaped, a comma before '}' or ']' dropped. */
static void jsonld_repair(const char *s, size_t n, sbuf *out)
{
    int in_str = 0;
    while (unwrap(&s, &n, "<!--", "-->") || unwrap(&s, &n, "<![CDATA[", "]]>"))
        ;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (in_str) {
            if (ch == '\\' && i + 1 < n) {
                sbuf_add(out, s + i, 2);
                i++;
                continue;
            }
            if (ch == '"')
                in_str = 0;
            if (ch < 0x20)
                sbuf_addf(out, ch == '\n' ? "\\n" : ch == '\r' ? "\\r"
                               : ch == '\t' ? "\\t" : "\\u%04x", ch);
            else
                sbuf_add(out, s + i, 1);
            continue;
        }
        if (ch == '"')
            in_str = 1;
        if (ch == ',') {
            size_t k = i + 1;
            while (k < n && strchr(" \t\r\n", s[k]))
                k++;
            if (k < n && (s[k] == '}' || s[k] == ']'))
                continue;
        }
        sbuf_add(out, s + i, 1);
    }
}

static void jsonld_load(ctx *c)
{
    static dom_path *p; /* compiled once; read-only afterwards */
    jctx *j = &c->j;
    dom_set s = {0};
    if (j->parsed)
        return;
    j->parsed = 1;
    if (!p && dom_path_compile(".//script[@type='application/ld+json']", &p,
                               NULL))
        return;
    dom_eval(c->d, NULL, p, &s);
    for (size_t i = 0; i < s.n && i < 32; i++) {
        sbuf t = {0}, r = {0};
        js_value *v = NULL;
        tt_err e;
        dom_text(s.v[i], &t);
        if (t.len && js_parse(t.s, t.len, &v, NULL) != TT_OK) {
            jsonld_repair(t.s, t.len, &r);
            if (r.len && js_parse(r.s, r.len, &v, &e) != TT_OK)
                note(c, "JSON-LD block %zu of %zu: %s: not read", i + 1, s.n,
                     e.msg);
        }
        if (v) {
            xgrow(&j->roots, &j->cap, j->nroots + 1, sizeof *j->roots);
            j->roots[j->nroots++] = v;
            add_obj(j, v, 0);
        }
        sbuf_free(&t);
        sbuf_free(&r);
    }
    dom_set_free(&s);
    own_articles(c);
}

static void jctx_free(jctx *j)
{
    for (size_t i = 0; i < j->nroots; i++)
        js_free(j->roots[i]);
    free(j->roots);
    free(j->arts);
    free(j->others);
}

/* s[0..len) into out, its character references decoded: JSON-LD strings
 * carry "&quot;" and "&#7897;" as many sites escape them, and are text
 * like an element's, which the HTML parser decodes */
static void push_decoded(strlist *out, const char *s, size_t len)
{
    sbuf t = {0};
    dom_decode_entities(s, len, &t);
    strlist_push(out, t.s ? t.s : "", t.len);
    sbuf_free(&t);
}

/* Strings at the dotted path below v (arrays fan out) into out, decoded. */
static void jpath(const js_value *v, const char *path, strlist *out)
{
    const char *dot;
    size_t klen;
    char key[64];
    if (js_is_array(v)) {
        for (size_t i = 0; i < js_len(v) && out->n < EXTRACT_MAX_ITEMS; i++)
            jpath(js_at(v, i), path, out);
        return;
    }
    if (!*path) {
        size_t len;
        const char *s = js_str(v, &len);
        if (s)
            push_decoded(out, s, len);
        else if (js_is_object(v) && (s = js_str(js_get(v, "name"), &len)))
            push_decoded(out, s, len); /* {"@type":"Person","name":…} */
        return;
    }
    dot = strchr(path, '.');
    klen = dot ? (size_t)(dot - path) : strlen(path);
    if (klen >= sizeof key)
        return;
    memcpy(key, path, klen);
    key[klen] = '\0';
    if (js_is_object(v))
        jpath(js_get(v, key), dot ? dot + 1 : "", out);
}

/* ---- selectors ---- */

/* JSON-LD rule s over several articles none of which is the page's: their
 * values into out when all that have any give the same, else none (the
 * next rule is tried) and a note. */
static void agreed(ctx *c, const sel *s, strlist *out)
{
    int differ = 0;
    for (size_t i = 0; i < c->j.narts && !differ; i++) {
        strlist l = {0};
        jpath(c->j.arts[i], s->jsonld, out->n ? &l : out);
        differ = l.n && !strlist_equal(out, &l);
        strlist_free(&l);
    }
    if (differ) {
        strlist_free(out);
        note(c, "JSON-LD: %zu articles, none of them this page's (by url, "
                "mainEntityOfPage or @id), disagree on %s: not taken",
             c->j.narts, s->jsonld);
    }
}

/* Raw strings of one selector: node texts (or attribute values), or
 * JSON-LD strings (from the first object that has any: the page's own
 * articles, then the other objects). */
static void raw_values(ctx *c, const sel *s, dom_node *scope, strlist *out)
{
    if (s->jsonld) {
        jsonld_load(c);
        if (c->j.agree)
            agreed(c, s, out);
        for (size_t i = 0; i < c->j.narts && out->n == 0 && !c->j.agree; i++)
            jpath(c->j.arts[i], s->jsonld, out);
        for (size_t i = 0; i < c->j.nothers && out->n == 0; i++)
            jpath(c->j.others[i], s->jsonld, out);
        return;
    }
    dom_set set = {0};
    dom_eval(c->d, scope, s->path, &set);
    for (size_t i = 0; i < set.n && out->n < EXTRACT_MAX_ITEMS; i++) {
        sbuf t = {0};
        dom_text(set.v[i], &t);
        strlist_push(out, t.s ? t.s : "", t.len);
        sbuf_free(&t);
    }
    dom_set_free(&set);
}

/* The first non-empty cleaned value over the rules of field. */
static char *single(ctx *c, int field)
{
    const selv *v = &c->r->f[field];
    for (size_t i = 0; i < v->n; i++) {
        strlist l = {0};
        char *res = NULL;
        raw_values(c, &v->v[i], NULL, &l);
        for (size_t k = 0; k < l.n && !res; k++) {
            sbuf t = {0};
            extract_clean(l.v[k], strlen(l.v[k]), &t);
            if (t.len)
                res = sbuf_detach(&t, NULL);
            sbuf_free(&t);
        }
        strlist_free(&l);
        if (res)
            return res;
    }
    return NULL;
}

static int in_list(const strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return 1;
    return 0;
}

/* Cleaned items of the first rule of field that gives any.  Attribute and
 * JSON-LD strings are split at commas (meta keywords). */
static void list(ctx *c, int field, strlist *out)
{
    const selv *v = &c->r->f[field];
    for (size_t i = 0; i < v->n && out->n == 0; i++) {
        strlist l = {0};
        int split = v->v[i].jsonld != NULL;
        if (!split && v->v[i].path) {
            /* attributes: the selector ends in an attribute step */
            const char *src = v->v[i].src;
            split = strstr(src, "@") != NULL &&
                    strrchr(src, '@') > strrchr(src, ']');
        }
        raw_values(c, &v->v[i], NULL, &l);
        for (size_t k = 0; k < l.n && out->n < EXTRACT_MAX_ITEMS; k++) {
            const char *p = l.v[k];
            size_t len = strlen(p);
            while (len) {
                size_t seg = split ? strcspn(p, ",") : len;
                sbuf t = {0};
                extract_clean(p, seg, &t);
                if (t.len && !in_list(out, t.s))
                    strlist_push(out, t.s, t.len);
                sbuf_free(&t);
                p += seg;
                len -= seg;
                if (len) {
                    p++;
                    len--;
                }
            }
        }
        strlist_free(&l);
    }
}

/* Whether a date at ep (written iso) can be the article's: not before
 * the site's earliest year, nor more than a day after the fetch (a clock
 * set wrong, an event's date, a placeholder).  0 if so, else -1 and a
 * note naming the rule s of field. */
static int date_sane(ctx *c, int field, const sel *s, int64_t ep,
                     const char *iso)
{
    int64_t first = date_days_from_civil(c->r->earliest, 1, 1) * 86400 -
                    (int64_t)c->r->offset * 60;
    if (ep < first) {
        note(c, "%s %s (from %s) is before %d, the earliest year the "
                "profile allows: not taken",
             field_names[field], iso, s->src, c->r->earliest);
        return -1;
    }
    if (ep > c->fetched + 86400) {
        note(c, "%s %s (from %s) is more than a day after the fetch: not "
                "taken",
             field_names[field], iso, s->src);
        return -1;
    }
    return 0;
}

static char *date_field(ctx *c, int field)
{
    const selv *v = &c->r->f[field];
    for (size_t i = 0; i < v->n; i++) {
        strlist l = {0};
        char *res = NULL;
        int bad = 0;
        raw_values(c, &v->v[i], NULL, &l);
        for (size_t k = 0; k < l.n && !res && !bad; k++) {
            char iso[32];
            int64_t ep;
            int off;
            sbuf t = {0};
            extract_clean(l.v[k], strlen(l.v[k]), &t);
            /* the instant, written on the site's clock: the day stored is
             * the day the site printed, whatever offset the text gave;
             * a date that cannot be the article's sends to the next rule */
            if (t.len && pagedate_parse(t.s, c->r->offset, &ep, &off) == 0) {
                date_format_iso(ep, c->r->offset, iso);
                if (date_sane(c, field, &v->v[i], ep, iso) == 0)
                    res = xstrdup(iso);
                else
                    bad = 1;
            }
            sbuf_free(&t);
        }
        strlist_free(&l);
        if (res)
            return res;
    }
    return NULL;
}

/* Nodes of every rule of field within each scope node. */
static void nodes(ctx *c, int field, dom_set *scopes, dom_set *out)
{
    const selv *v = &c->r->f[field];
    for (size_t i = 0; i < v->n; i++) {
        if (!v->v[i].path)
            continue;
        if (!scopes) {
            dom_eval(c->d, NULL, v->v[i].path, out);
        } else {
            for (size_t k = 0; k < scopes->n; k++)
                dom_eval(c->d, scopes->v[k], v->v[i].path, out);
        }
    }
}

/* One paragraph or caption s[0..n), cleaned, into the strlist arg (the
 * emit of dom_blocks); nothing when it cleans to nothing. */
static void push_para(void *arg, const char *s, size_t n)
{
    strlist *l = arg;
    sbuf t = {0};
    extract_clean(s, n, &t);
    if (t.len && l->n < EXTRACT_MAX_ITEMS)
        strlist_push(l, t.s, t.len);
    sbuf_free(&t);
}

static void push_clean(strlist *l, const dom_node *n)
{
    sbuf raw = {0};
    dom_text(n, &raw);
    push_para(l, raw.s, raw.len);
    sbuf_free(&raw);
}

/* The words of s[0..n), folded (no marks, lower case: "xem them"),
 * separated by single spaces, into out; punctuation left out. */
static void folded_words(const char *s, size_t n, sbuf *out)
{
    sbuf f = {0};
    size_t i = 0;
    vn_fold(s, n, &f);
    while (i < f.len) {
        size_t k = strcspn(f.s + i, " ");
        int32_t cp;
        uni_decode(f.s + i, k, &cp);
        if (uni_class(cp) == UNI_LETTER || uni_class(cp) == UNI_DIGIT) {
            if (out->len)
                sbuf_addc(out, ' ');
            sbuf_add(out, f.s + i, k);
        }
        i += k + 1;
    }
    sbuf_free(&f);
}

/* 1 when a body block is a pointer to other articles, not article text:
 * "Xem thêm:", "Đọc thêm:", "Xem tiếp:", "Đọc tiếp:" or "Tin liên quan:"
 * (marks and case as they come, the colon optional) and then links only,
 * or links only that begin with such words.  s[0..n) is the block's
 * text, plain[0..pn) the same without the text of its links. */
static int see_also(const char *s, size_t n, const char *plain, size_t pn)
{
    static const char *const lead[] = {"xem them", "doc them", "xem tiep",
                                       "doc tiep", "tin lien quan"};
    sbuf pw = {0}, tw = {0};
    int yes = 0;
    if (pn == n || n > 4096) /* no link, or far too long for a pointer */
        return 0;
    folded_words(plain, pn, &pw);
    folded_words(s, n, &tw);
    for (size_t i = 0; i < sizeof lead / sizeof lead[0] && !yes; i++) {
        size_t k = strlen(lead[i]);
        if (pw.len) /* the words outside links are the lead, and no more */
            yes = pw.len == k && !memcmp(pw.s, lead[i], k) && tw.len > k;
        else        /* the links' words begin with it */
            yes = tw.len >= k && !memcmp(tw.s, lead[i], k) &&
                  (tw.len == k || tw.s[k] == ' ');
    }
    sbuf_free(&pw);
    sbuf_free(&tw);
    return yes;
}

/* A walk through a text s[0..n) by characters, spaces aside. */
typedef struct walk {
    const char *s;
    size_t n, i; /* i: the next character's offset */
    int inword;  /* the one before is no space */
} walk;

/* The next character of w that is no space into *cp, and *first 1 when
 * it begins a word (a run between spaces): its class (UNI_*), or -1 at
 * the end. */
static int walk_next(walk *w, int32_t *cp, int *first)
{
    while (w->i < w->n) {
        int cl;
        w->i += uni_decode(w->s + w->i, w->n - w->i, cp);
        cl = uni_class(*cp);
        if (cl == UNI_SPACE) {
            w->inword = 0;
            continue;
        }
        *first = !w->inword;
        w->inword = 1;
        return cl;
    }
    return -1;
}

/* Of s[0..n): the letters and digits (what a text says, marks,
 * punctuation, symbols and spaces aside) into *nl, the words (runs
 * between spaces that hold any) into *nw, and the last character that
 * is not a space into *last (0 if none). */
static void count_text(const char *s, size_t n, size_t *nl, size_t *nw,
                       int32_t *last)
{
    walk w = {s, n, 0, 0};
    int32_t cp;
    int cl, first, counted = 0;
    *nl = *nw = 0;
    *last = 0;
    while ((cl = walk_next(&w, &cp, &first)) >= 0) {
        if (first)
            counted = 0;
        *last = cp;
        if (cl == UNI_LETTER || cl == UNI_DIGIT) {
            ++*nl;
            *nw += !counted;
            counted = 1;
        }
    }
}

/* Words a link's text stays under to be a headline: Tuổi Trẻ's run 10
 * to 25 (a Vietnamese word is a syllable), long ones elsewhere seldom
 * pass 30, so one sentence of 40 is prose.  A related item whose
 * headline and one-sentence teaser share a link reads as one sentence:
 * left out while shorter, kept from here (its words are a paragraph's
 * then; a box of such items belongs in the profile's drop rules). */
#define HEADLINE_WORDS 40

/* 1 when s[0..n), after a sentence's end mark, begins another sentence:
 * closing marks (quotes, brackets, more dots), white space, opening
 * marks, then an upper-case letter.  *closing: the bytes of those
 * closing marks (OUT; the answer after any of them is the same). */
static int next_sentence(const char *s, size_t n, size_t *closing)
{
    size_t i = 0, k;
    int32_t cp;
    int spaced = 0;
    *closing = 0;
    while (i < n) {
        k = uni_decode(s + i, n - i, &cp);
        if (uni_class(cp) == UNI_SPACE)
            spaced = 1;
        else if (uni_class(cp) != UNI_PUNCT || spaced)
            break;
        i += k;
        if (!spaced)
            *closing = i;
    }
    while (i < n) { /* opening marks */
        k = uni_decode(s + i, n - i, &cp);
        if (uni_class(cp) != UNI_PUNCT)
            return spaced && uni_class(cp) == UNI_LETTER && uni_isupper(cp);
        i += k;
    }
    return 0;
}

/* 1 when a link's text s[0..n) is prose, not a headline: a sentence
 * ends in it and another begins ("… vào tháng 10. Theo kế hoạch, …"), or
 * it has HEADLINE_WORDS words or more.  A headline is one sentence of
 * tens of letters, a question or an exclamation at most.  A sentence
 * ends at '!', '?' or '…' after two words or more, and at '.' too when
 * the word before it is no abbreviation: one with a capital after its
 * first letter, or of two letters beginning with one ("TP. HCM",
 * "PGS. TS", "ThS. Lê", "Tp. Huế").  So a name ends a sentence
 * ("… về Hà Nội. Sau đó …"), but for one of two letters ("Văn An."), and
 * "Ths. Lê" is taken for an end. */
static int prose(const char *s, size_t n)
{
    walk w = {s, n, 0, 0};
    size_t words = 0, letters = 0, skip; /* letters of the word */
    int32_t cp;
    int cl, first, cap1 = 0, caps = 0; /* its first a capital; others */
    while ((cl = walk_next(&w, &cp, &first)) >= 0) {
        if (first)
            letters = cap1 = caps = 0;
        if (cl == UNI_LETTER || cl == UNI_DIGIT) {
            words += !letters;
            if (letters)
                caps |= uni_isupper(cp);
            else
                cap1 = uni_isupper(cp);
            letters++;
        } else if ((cp == '!' || cp == '?' || cp == 0x2026 ||
                    (cp == '.' && letters && !caps &&
                     !(cap1 && letters < 3))) &&
                   words >= 2) {
            if (next_sentence(s + w.i, n - w.i, &skip))
                return 1;
            w.i += skip; /* marks: not read again ("!!!…" is linear) */
        }
    }
    return words >= HEADLINE_WORDS;
}

/* 1 when one of the links, whose texts are links[0..ln) a NUL apart,
 * is prose. */
static int prose_link(const char *links, size_t ln)
{
    const char *p = links, *e = links + ln;
    while (p < e) {
        const char *z = memchr(p, '\0', (size_t)(e - p));
        if (!z)
            z = e;
        if (prose(p, (size_t)(z - p)))
            return 1;
        p = z + 1;
    }
    return 0;
}

/* 1 when a body block is other articles' headlines, not article text:
 * its links hold all its letters and digits (arrows, bullets, brackets
 * and separators aside): a headline alone, in bold, an item of a list of
 * them, "» A | B"; or all but a short label before them ("Video:",
 * "Kỳ 2:", "1.").  A label is at most two words, set off from the first
 * link by a punctuation mark or symbol, and the links hold at least six
 * times its letters: a headline has tens of letters, a label a few, and
 * a source or credit line ("Nguồn: Tổng cục Thống kê", "Ảnh: HOÀI THU")
 * names something shorter.  Words that run into the link unmarked are
 * prose ("Theo Reuters", "Ông X cho biết"), kept however long the link;
 * so is a link whose own text is prose (prose: a paragraph that a site
 * wraps whole in a link), each link judged alone (a list of headlines in
 * one block is not a paragraph however many they are).  Where links go
 * does not decide: another paper's article is a pointer as much as the
 * site's own.  s[0..n) is the block's text, plain[0..pn) the same
 * without the text of its links, links[0..ln) that text, a NUL between
 * two links'. */
static int link_only(const char *s, size_t n, const char *plain, size_t pn,
                     const char *links, size_t ln)
{
    size_t all, out, lead = 0, nl, nw;
    int32_t last;
    int cl;
    if (pn == n)
        return 0; /* no link */
    count_text(s, n, &all, &nw, &last);
    count_text(plain, pn, &out, &nw, &last);
    if (out == 0)
        return all > 0 && !prose_link(links, ln); /* links alone */
    if (all < 7 * out)
        return 0; /* the links not six times the words outside them */
    /* the label is what comes before the first link, where s and plain
     * part (in whole characters): all the words outside links, two at
     * most, ending in a mark */
    while (lead < pn && s[lead] == plain[lead])
        lead++;
    while (lead > 0 && (s[lead] & 0xC0) == 0x80)
        lead--;
    count_text(s, lead, &nl, &nw, &last);
    cl = uni_class(last);
    return nl == out && nw <= 2 && (cl == UNI_PUNCT || cl == UNI_SYMBOL) &&
           !prose_link(links, ln);
}

/* dom_blocks' emit for the body: a paragraph, unless it points elsewhere */
static void push_body(void *arg, const char *s, size_t n, const char *plain,
                      size_t pn, const char *links, size_t ln)
{
    if (!see_also(s, n, plain, pn) && !link_only(s, n, plain, pn, links, ln))
        push_para(arg, s, n);
}

/* Elements dropped from every body before the profile's drop rules:
 * they hold code, embedded pages, widgets and controls, no article text.
 * Not embed: it holds nothing, but libxml2 2.9 takes it for a container
 * and puts what follows it inside. */
static const dom_path *default_drop(void)
{
    static dom_path *p; /* compiled once; read-only afterwards */
    if (!p && dom_path_compile(
                  ".//script | .//style | .//noscript | .//template | "
                  ".//iframe | .//object | .//form | .//button | "
                  ".//select | .//textarea | .//svg | .//video | .//audio | "
                  ".//canvas",
                  &p, NULL))
        return NULL;
    return p;
}

int extract_article(const extract_rules *r, dom_doc *d, article *a,
                    tt_err *e)
{
    return extract_article_page(r, d, NULL, a, e);
}

int extract_article_page(const extract_rules *r, dom_doc *d,
                         const extract_page *pg, article *a, tt_err *e)
{
    ctx c = {r, d, {0}, NULL, 0, NULL};
    dom_set content = {0}, set = {0};
    int rc = TT_OK;
    memset(a, 0, sizeof *a);
    if (pg) {
        c.url = pg->url;
        c.fetched = pg->fetched;
        c.notes = pg->notes;
    }
    if (!c.fetched)
        c.fetched = (int64_t)time(NULL);
    /* whole-page fields first: dropping nodes must not hide them */
    a->title = single(&c, F_TITLE);
    if (!a->title) {
        rc = tt_seterr(e, TT_ENOTFOUND, "no title");
        goto fail;
    }
    a->sapo = single(&c, F_SAPO);
    list(&c, F_AUTHOR, &a->authors);
    a->published = date_field(&c, F_PUBLISHED);
    a->modified = date_field(&c, F_MODIFIED);
    a->section = single(&c, F_SECTION);
    list(&c, F_TAG, &a->tags);
    a->canonical = single(&c, F_CANONICAL);
    a->image = single(&c, F_IMAGE);
    /* the body: the first content rule that matches */
    for (size_t i = 0; i < r->f[F_CONTENT].n && content.n == 0; i++)
        if (r->f[F_CONTENT].v[i].path)
            dom_eval(d, NULL, r->f[F_CONTENT].v[i].path, &content);
    if (content.n == 0) {
        rc = tt_seterr(e, TT_ENOTFOUND, "no body");
        goto fail;
    }
    /* a block inside another that matched too is read with it, once */
    dom_set_outermost(&content);
    /* drop boxes (the outermost of nested matches: unlinking a box frees
     * what is inside it): those of every page, then the profile's */
    for (size_t k = 0; k < content.n; k++)
        dom_eval(d, content.v[k], default_drop(), &set);
    nodes(&c, F_DROP, &content, &set);
    dom_set_outermost(&set);
    for (size_t k = 0; k < set.n; k++)
        dom_unlink(set.v[k]);
    dom_set_free(&set);
    /* figures: captions, then away */
    if (r->f[F_FIGURE].n) {
        nodes(&c, F_FIGURE, &content, &set);
        dom_set_outermost(&set);
        for (size_t k = 0; k < set.n; k++) {
            dom_set caps = {0}, one = {0};
            xgrow(&one.v, &one.cap, 1, sizeof *one.v);
            one.v[one.n++] = set.v[k];
            nodes(&c, F_CAPTION, &one, &caps);
            dom_set_outermost(&caps);
            for (size_t m = 0; m < caps.n; m++)
                push_clean(&a->captions, caps.v[m]);
            dom_set_free(&caps);
            dom_set_free(&one);
        }
        for (size_t k = 0; k < set.n; k++)
            dom_unlink(set.v[k]);
        dom_set_free(&set);
    } else if (r->f[F_CAPTION].n) {
        nodes(&c, F_CAPTION, &content, &set);
        dom_set_outermost(&set);
        for (size_t m = 0; m < set.n; m++)
            push_clean(&a->captions, set.v[m]);
        /* a caption is not body text too */
        for (size_t m = 0; m < set.n; m++)
            dom_unlink(set.v[m]);
        dom_set_free(&set);
    }
    /* paragraphs: the body rule's elements and the text blocks around
     * them, in document order, each text once */
    nodes(&c, F_BODY, &content, &set);
    for (size_t k = 0; k < content.n; k++)
        dom_blocks(content.v[k], &set, push_body, &a->body);
    dom_set_free(&set);
    if (a->body.n == 0 && a->captions.n) {
        /* a photo or video article: its captions (a video's description)
         * are its text, moved into the body (so that snippets show them
         * and they are indexed once) */
        a->body = a->captions;
        memset(&a->captions, 0, sizeof a->captions);
    }
    if (a->body.n == 0) {
        rc = tt_seterr(e, TT_ENOTFOUND, "no body");
        goto fail;
    }
fail:
    if (rc)
        article_free(a);
    dom_set_free(&content);
    jctx_free(&c.j);
    return rc;
}

/* ---- links ---- */

void extract_links(dom_doc *d, strlist *out)
{
    static dom_path *p;
    dom_set s = {0};
    if (!p && dom_path_compile(
                  "//a/@href | //area/@href | //link[@rel='next' or "
                  "@rel='prev' or @rel='alternate']/@href",
                  &p, NULL))
        return;
    dom_eval(d, NULL, p, &s);
    for (size_t i = 0; i < s.n && out->n < EXTRACT_MAX_LINKS; i++) {
        sbuf t = {0};
        dom_text(s.v[i], &t);
        if (t.len)
            strlist_push(out, t.s, t.len);
        sbuf_free(&t);
    }
    dom_set_free(&s);
}

int extract_base(dom_doc *d, sbuf *out)
{
    static dom_path *p;
    dom_set s = {0};
    int found = 0;
    if (!p && dom_path_compile("//head/base/@href", &p, NULL))
        return 0;
    dom_eval(d, NULL, p, &s);
    if (s.n) {
        dom_text(s.v[0], out);
        found = 1;
    }
    dom_set_free(&s);
    return found;
}
