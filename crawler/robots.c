/* robots.c — see robots.h. */
#include "robots.h"

#include <stdlib.h>
#include <string.h>

#include "article.h" /* strlist */
#include "url.h"
#include "util.h"

typedef struct rule {
    char *pat;  /* normalised pattern, without a final '$' */
    size_t len; /* its length as written (the RFC's "octets"), for ranking */
    int allow, anchored;
} rule;

struct robots {
    rule *rules;
    size_t n, cap;
    double delay;
    int disallow_all;
    strlist sitemaps;
};

static robots *new_robots(void)
{
    robots *r = xcalloc(1, sizeof *r);
    r->delay = -1;
    return r;
}

robots *robots_allow_all(void) { return new_robots(); }

robots *robots_disallow_all(void)
{
    robots *r = new_robots();
    r->disallow_all = 1;
    return r;
}

void robots_free(robots *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->rules[i].pat);
    free(r->rules);
    strlist_free(&r->sitemaps);
    free(r);
}

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Does the product token in (v, n) name agent?  The value's token is its
 * leading run of letters, '_' and '-'. */
static int agent_matches(const char *v, size_t n, const char *agent)
{
    size_t k = 0, m = strlen(agent);
    while (k < n && ((v[k] >= 'a' && v[k] <= 'z') ||
                     (v[k] >= 'A' && v[k] <= 'Z') || v[k] == '_' ||
                     v[k] == '-'))
        k++;
    if (k != m || m == 0)
        return 0;
    for (size_t i = 0; i < m; i++)
        if (lc((unsigned char)v[i]) != lc((unsigned char)agent[i]))
            return 0;
    return 1;
}

static int field_is(const char *f, size_t n, const char *name)
{
    size_t m = strlen(name);
    if (n != m)
        return 0;
    for (size_t i = 0; i < m; i++)
        if (lc((unsigned char)f[i]) != name[i])
            return 0;
    return 1;
}

static void add_rule(robots *r, const char *v, size_t n, int allow)
{
    sbuf b = {0};
    rule *ru;
    if (r->n >= ROBOTS_MAX_RULES)
        return;
    xgrow(&r->rules, &r->cap, r->n + 1, sizeof *r->rules);
    ru = &r->rules[r->n++];
    ru->len = n;
    ru->allow = allow;
    ru->anchored = n > 0 && v[n - 1] == '$';
    /* in the form url.c gives paths; '*' and '$' are kept as they are */
    url_add_escaped(&b, v, n - (size_t)ru->anchored);
    if (!b.s)
        sbuf_add(&b, "", 0);
    ru->pat = sbuf_detach(&b, NULL);
}

robots *robots_parse(const char *txt, size_t n, const char *agent)
{
    /* Two passes: does any group name us?  Then keep the rules of the
     * groups that apply (ours if any, else "*"). */
    robots *r = new_robots();
    int pass, ours_exist = 0;
    if (n > ROBOTS_MAX_BYTES)
        n = ROBOTS_MAX_BYTES;
    /* a UTF-8 BOM is not part of the first line */
    if (n >= 3 && !memcmp(txt, "\xEF\xBB\xBF", 3))
        txt += 3, n -= 3;
    for (pass = 0; pass < 2; pass++) {
        size_t i = 0;
        int in_agents = 0; /* the last line was a user-agent line */
        int applies = 0;   /* the current group applies to us */
        int ours = 0, star = 0;
        while (i < n) {
            size_t ls = i, le, fe, vs, ve;
            while (i < n && txt[i] != '\n' && txt[i] != '\r')
                i++;
            le = i;
            while (i < n && (txt[i] == '\n' || txt[i] == '\r'))
                i++;
            for (fe = ls; fe < le && txt[fe] != '#'; fe++)
                ;
            le = fe; /* comment cut */
            for (fe = ls; fe < le && txt[fe] != ':'; fe++)
                ;
            if (fe == le)
                continue; /* not a "field: value" line */
            vs = fe + 1;
            while (fe > ls && (txt[fe - 1] == ' ' || txt[fe - 1] == '\t'))
                fe--;
            while (ls < fe && (txt[ls] == ' ' || txt[ls] == '\t'))
                ls++;
            while (vs < le && (txt[vs] == ' ' || txt[vs] == '\t'))
                vs++;
            ve = le;
            while (ve > vs && (txt[ve - 1] == ' ' || txt[ve - 1] == '\t'))
                ve--;
            if (field_is(txt + ls, fe - ls, "user-agent")) {
                int me = agent_matches(txt + vs, ve - vs, agent);
                int all = ve - vs == 1 && txt[vs] == '*';
                if (!in_agents)
                    ours = star = 0;
                in_agents = 1;
                ours |= me;
                star |= all;
                if (me)
                    ours_exist = 1;
                applies = pass == 1 && (ours_exist ? ours : star);
                continue;
            }
            if (field_is(txt + ls, fe - ls, "sitemap")) {
                if (pass == 1 && ve > vs && r->sitemaps.n < 1000)
                    strlist_push(&r->sitemaps, txt + vs, ve - vs);
                continue; /* not a group member: does not end the group */
            }
            in_agents = 0;
            if (!applies)
                continue;
            if (field_is(txt + ls, fe - ls, "allow")) {
                if (ve > vs)
                    add_rule(r, txt + vs, ve - vs, 1);
            } else if (field_is(txt + ls, fe - ls, "disallow")) {
                if (ve > vs)
                    add_rule(r, txt + vs, ve - vs, 0);
            } else if (field_is(txt + ls, fe - ls, "crawl-delay")) {
                char num[32];
                size_t k = ve - vs < sizeof num - 1 ? ve - vs : sizeof num - 1;
                char *end;
                double d;
                memcpy(num, txt + vs, k);
                num[k] = '\0';
                d = strtod(num, &end);
                if (end != num && *end == '\0' && d >= 0 && d <= 86400 &&
                    d > r->delay)
                    r->delay = d;
            }
        }
    }
    return r;
}

/* Does pattern p (NUL-terminated, '*' = any run) match a prefix of s (n
 * bytes), or all of s when anchored?  The literal pieces between stars
 * are found left to right, each at its leftmost place after the one
 * before (which leaves the most room to those after it: right for a
 * pattern of stars alone); an anchored pattern's last piece must end s.
 * memmem is linear, so a rule costs about n + len(p), however many stars.
 * *work gets the bytes of s and p looked at. */
static int match(const char *p, const char *s, size_t n, int anchored,
                 size_t *work)
{
    const char *star = strchr(p, '*');
    size_t pos, k = star ? (size_t)(star - p) : strlen(p);
    /* the piece before the first star: a prefix */
    *work += k;
    if (k > n || memcmp(p, s, k))
        return 0;
    if (!star)
        return !anchored || k == n;
    pos = k;
    for (p = star;;) {
        const char *at;
        while (*p == '*')
            p++;
        if (!*p)
            return 1; /* a final star takes the rest, anchored or not */
        star = strchr(p, '*');
        k = star ? (size_t)(star - p) : strlen(p);
        *work += k;
        if (!star && anchored) {
            *work += k;
            return n - pos >= k && !memcmp(s + n - k, p, k);
        }
        at = memmem(s + pos, n - pos, p, k);
        *work += at ? (size_t)(at - (s + pos)) + k : n - pos;
        if (!at)
            return 0;
        pos = (size_t)(at - s) + k;
        if (!star)
            return 1;
        p = star;
    }
}

int robots_allowed_work(const robots *r, const char *path, size_t *work)
{
    const rule *best = NULL;
    size_t n = strlen(path);
    if (!strcmp(path, "/robots.txt"))
        return 1;
    if (r->disallow_all)
        return 0;
    for (size_t i = 0; i < r->n; i++) {
        const rule *ru = &r->rules[i];
        if (!match(ru->pat, path, n, ru->anchored, work))
            continue;
        if (!best || ru->len > best->len ||
            (ru->len == best->len && ru->allow && !best->allow))
            best = ru;
    }
    return !best || best->allow;
}

int robots_allowed(const robots *r, const char *path)
{
    size_t work = 0;
    return robots_allowed_work(r, path, &work);
}

double robots_crawl_delay(const robots *r) { return r->delay; }

size_t robots_nsitemaps(const robots *r) { return r->sitemaps.n; }

const char *robots_sitemap(const robots *r, size_t i)
{
    return i < r->sitemaps.n ? r->sitemaps.v[i] : NULL;
}
