/* web.c — see web.h.
 *
 * Statuses: 200 (results, also when there are none, and the same help in
 * HTML for a query with no word), 400 (bad parameter, unreadable query;
 * in JSON and RSS a query with no word), 404 (related= an unknown article), 405/411/413/414/415
 * (see cgi.h), 500 (config, db or search failure: logged, generic page),
 * 503 with Retry-After: 1 (the index changed under the search, or under
 * its opening, at each of its tries: an indexer committing often; logged).
 */
#include "web.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "json.h"
#include "page.h"
#include "rss.h"
#include "search.h"
#include "unicode.h"

struct web {
    config cfg;
    int cfg_rc;       /* the config's status: TT_OK, or every request 500s */
    tt_err cfg_err;
    srch *s;          /* NULL until a search needs it, and after a failure */
    int long_lived;   /* web_long_lived: many requests to come */
    int corpus_checked; /* check_corpus: said once */
    uint64_t served;  /* requests answered (cache_report_every) */
    web_response crash; /* the 500 page a crash answers (web_crash_page) */
    int test_crash;   /* TIMTIN_TEST_CRASH: each search faults (tests) */
    /* what each db path was when s was opened: timtin-index --full swaps
     * a new directory in, which reopening the old one would never see */
};

/* Scripts are never allowed; inline styles are the page's own CSS. */
#define CSP                                                                  \
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "    \
    "base-uri 'none'; frame-ancestors 'none'"

#define LOG_QUERY_MAX 200 /* bytes of a value quoted in the error log */

/* Whether cp is to be escaped in a log line: what a terminal or a log
 * viewer would act on rather than show (C0, DEL, C1 with U+0085, the
 * line and paragraph separators U+2028 and U+2029, format characters:
 * bidi controls, zero-width ones, tags). */
static int log_escaped(int32_t cp)
{
    return cp == 0x2028 || cp == 0x2029 || uni_class(cp) == UNI_CONTROL ||
           cp < 0x20;
}

/* name "v" appended (", " before it unless first): v's first
 * LOG_QUERY_MAX bytes, cut at a character boundary, "…" after the quote
 * when cut; quotes and backslashes escaped, and the characters of
 * log_escaped as \xHH (ASCII), \uHHHH or \UHHHHHHHH, a byte that is not
 * UTF-8 as \xHH: a line of its own, valid UTF-8, whatever v holds. */
static void add_quoted(sbuf *line, int first, const char *name,
                       const char *v)
{
    size_t n = strlen(v), end = uni_cut(v, n, LOG_QUERY_MAX);
    sbuf_addf(line, "%s%s \"", first ? "" : ", ", name);
    for (size_t i = 0; i < end;) {
        int32_t cp;
        size_t k = uni_decode(v + i, end - i, &cp);
        unsigned char c = (unsigned char)v[i];
        if (cp == UNI_REPLACEMENT && (k != 3 || memcmp(v + i, "\xEF\xBF\xBD", 3)))
            sbuf_addf(line, "\\x%02x", c); /* (not UTF-8) */
        else if (c < 0x80 && (c < 0x20 || c == 0x7f))
            sbuf_addf(line, "\\x%02x", c);
        else if (c == '"' || c == '\\')
            sbuf_addf(line, "\\%c", c);
        else if (c >= 0x80 && log_escaped(cp))
            sbuf_addf(line, cp > 0xFFFF ? "\\U%08X" : "\\u%04X",
                      (unsigned)cp);
        else
            sbuf_add(line, v + i, k);
        i += k ? k : 1;
    }
    sbuf_adds(line, end < n ? "\"…" : "\"");
}

/* " (query \"…\", related \"…\", section \"…\", from \"…\", to \"…\")"
 * for the request p (NULL: nothing), each as add_quoted: the values it
 * has, the query when it has none at all. */
static void add_request(sbuf *line, const cgi_params *p)
{
    const char *names[] = {"query", "related", "section", "from", "to"};
    const char *vals[5];
    int first = 1;
    if (!p || !p->q)
        return;
    vals[0] = *p->q || (!p->related && !p->section && !p->from && !p->to)
                  ? p->q
                  : NULL;
    vals[1] = p->related;
    vals[2] = p->section;
    vals[3] = p->from;
    vals[4] = p->to;
    sbuf_adds(line, " (");
    for (int i = 0; i < 5; i++) {
        if (!vals[i])
            continue;
        add_quoted(line, first, names[i], vals[i]);
        first = 0;
    }
    sbuf_adds(line, ")");
}

/* A line in the server's error log (the CGI's stderr), written at once:
 * the time (UTC, ISO 8601), the program and its pid (FastCGI workers
 * apart), what happened, and the request p (NULL: none) as add_request
 * says it. */
static void log_error(const cgi_params *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void log_error(const cgi_params *p, const char *fmt, ...)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    sbuf line = {0};
    va_list ap;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sbuf_addf(&line, "%s %s[%ld]: error: ", when, tt_progname(),
              (long)getpid());
    va_start(ap, fmt);
    sbuf_vaddf(&line, fmt, ap);
    va_end(ap);
    add_request(&line, p);
    sbuf_addc(&line, '\n');
    fwrite(line.s, 1, line.len, stderr);
    fflush(stderr);
    sbuf_free(&line);
}

/* The dbs for an advice's "xapian-check %s": the one, or each. */
static void add_dbs(sbuf *out, const config *c)
{
    if (c->ndb != 1)
        sbuf_adds(out, "on each of ");
    for (size_t i = 0; i < c->ndb; i++)
        sbuf_addf(out, "%s%s", i ? " " : "", c->dbs[i]);
}

/* What the operator can do about the failure rc, e.msg, of the index:
 * appended to a log line.  Xapian's own words for a damaged table ("EOF
 * reading block 13", "item ends outside block") say nothing of what to
 * do; "no database at DIR" says not what DIR lacks. */
static void add_advice(sbuf *line, const config *c, int rc, const char *msg)
{
    if (rc == TT_ECORRUPT ||
        (rc == TT_EXAPIAN && (strstr(msg, "DatabaseError: ") ||
                              strstr(msg, "DatabaseCorruptError: ")))) {
        sbuf dbs = {0};
        add_dbs(&dbs, c);
        sbuf_adds(line, "; ");
        sbuf_addf(line, TT_DAMAGE_ADVICE, dbs.s);
        sbuf_free(&dbs);
        return;
    }
    if (rc != TT_ENOTFOUND || !strstr(msg, "no database at "))
        return;
    for (size_t i = 0; i < c->ndb; i++) {
        const char *d = c->dbs[i];
        struct stat st;
        sbuf f = {0};
        int tables = 0, version;
        if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
            continue; /* (Xapian's message says it: no such file, a stub) */
        sbuf_addf(&f, "%s/iamglass", d);
        version = access(f.s, F_OK) == 0;
        sbuf_reset(&f);
        sbuf_addf(&f, "%s/postlist.glass", d);
        tables = access(f.s, F_OK) == 0;
        sbuf_free(&f);
        if (version)
            continue;
        sbuf_addf(line, "; %s has no iamglass, the version file of a "
                        "Xapian (glass) database", d);
        sbuf_adds(line, tables ? ", but has its tables: a db copied in "
                                 "part, or its version file deleted; copy "
                                 "it again, or rebuild it with timtin-index "
                                 "--full"
                               : ": build one there with timtin-index "
                                 "--db, or set TIMTIN_DB to the db");
    }
}

/* A failure of the index logged, with the advice that fits it. */
static void log_index_error(const web *w, const cgi_params *p, int rc,
                            const char *what, const char *msg)
{
    sbuf text = {0};
    sbuf_addf(&text, "%s%s", what, msg);
    add_advice(&text, &w->cfg, rc, msg);
    log_error(p, "%s", text.s);
    sbuf_free(&text);
}

static const char generic_500[] =
    "Xin lỗi, máy tìm kiếm đang gặp sự cố. Vui lòng thử lại sau ít phút.";

static const char generic_busy[] =
    "Chỉ mục đang được cập nhật. Vui lòng thử lại sau một giây.";

static void error(web *w, const web_request *r, const cgi_params *p,
                  int status, const char *msg, web_response *out);

web *web_new(const char *config_path, const char *dbenv, tt_err *config_error)
{
    web *w = xcalloc(1, sizeof *w);
    const char *budget = getenv("TIMTIN_SEARCH_BUDGET_MS");
    w->cfg_rc = config_load(&w->cfg, config_path, dbenv, &w->cfg_err);
    if (!w->cfg_rc && budget && *budget &&
        (w->cfg_rc = config_budget(&w->cfg, budget, &w->cfg_err)))
        snprintf(w->cfg_err.msg, sizeof w->cfg_err.msg,
                 "TIMTIN_SEARCH_BUDGET_MS: expected a number of "
                 "milliseconds from 0 to 600000, got \"%.40s\"", budget);
    if (w->cfg_rc)
        log_error(NULL, "configuration: %s", w->cfg_err.msg);
    if (config_error)
        *config_error = w->cfg_err;
    error(w, NULL, NULL, 500, generic_500, &w->crash);
    w->test_crash = getenv("TIMTIN_TEST_CRASH") &&
                    *getenv("TIMTIN_TEST_CRASH");
    return w;
}

const web_response *web_crash_page(const web *w)
{
    return &w->crash;
}

void web_free(web *w)
{
    if (!w)
        return;
    srch_close(w->s);
    config_free(&w->cfg);
    web_response_free(&w->crash);
    free(w);
}

unsigned web_fastcgi_timeout(const web *w)
{
    return w->cfg.fastcgi_timeout; /* set even when the config failed */
}

void web_response_free(web_response *out)
{
    if (!out)
        return;
    sbuf_free(&out->head);
    sbuf_free(&out->body);
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
    }
}

/* How long shared caches may keep r's answer: secs, or 0 for a POST
 * (its answer is the poster's). */
static int max_age(const web_request *r, int secs)
{
    return r->cgi.method && !strcmp(r->cgi.method, "POST") ? 0 : secs;
}

static void headers(web_response *out, const char *type, int cache)
{
    sbuf *h = &out->head;
    sbuf_addf(h, "Status: %d %s\r\n", out->status, reason(out->status));
    sbuf_addf(h, "Content-Type: %s\r\n", type);
    sbuf_addf(h, "Content-Length: %zu\r\n", out->body.len);
    sbuf_adds(h, "Content-Security-Policy: " CSP "\r\n"
                 "X-Content-Type-Options: nosniff\r\n"
                 "Referrer-Policy: strict-origin-when-cross-origin\r\n"
                 "X-Frame-Options: DENY\r\n");
    if (out->status == 405)
        sbuf_adds(h, "Allow: GET, HEAD, POST\r\n");
    if (out->status == 503)
        sbuf_adds(h, "Retry-After: 1\r\n");
    if (cache && out->status == 200)
        sbuf_addf(h, "Cache-Control: public, max-age=%d\r\n", cache);
    else
        sbuf_adds(h, "Cache-Control: no-store\r\n");
    sbuf_adds(h, "\r\n");
}

static void base_url(const web *w, const web_request *r, sbuf *out);

/* An error in the format asked: JSON for programs, a feed for feed
 * readers (a channel without items, the message its description), HTML
 * for people. */
static void error(web *w, const web_request *r, const cgi_params *p,
                  int status, const char *msg, web_response *out)
{
    out->status = status;
    sbuf_reset(&out->body);
    if (p && p->format == CGI_JSON) {
        js_writer *j = js_w_new(&out->body, 0);
        js_w_obj_begin(j);
        js_w_key(j, "error");
        js_w_obj_begin(j);
        js_w_key(j, "status");
        js_w_int(j, status);
        js_w_key(j, "message");
        js_w_str(j, msg);
        js_w_obj_end(j);
        js_w_obj_end(j);
        js_w_free(j, NULL);
        sbuf_addc(&out->body, '\n');
        headers(out, "application/json", 0);
    } else if (p && p->format == CGI_RSS) {
        sbuf base = {0};
        base_url(w, r, &base);
        sbuf_adds(&out->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<rss version=\"2.0\">\n<channel>\n<title>");
        rss_escape(&out->body, w->cfg.title ? w->cfg.title : "timtin");
        sbuf_addf(&out->body, " – %d</title>\n<link>", status);
        rss_escape(&out->body, base.s);
        sbuf_adds(&out->body, "</link>\n<description>");
        rss_escape(&out->body, msg);
        sbuf_adds(&out->body, "</description>\n</channel>\n</rss>\n");
        sbuf_free(&base);
        headers(out, "application/rss+xml; charset=utf-8", 0);
    } else {
        page_error(&w->cfg, p, status, msg, &out->body);
        headers(out, "text/html; charset=utf-8", 0);
    }
}

/* A host name as a Host header may carry it: letters, digits, '.', '-',
 * an IPv6 literal in brackets, an optional port. */
static int host_ok(const char *h)
{
    size_t n = h ? strlen(h) : 0;
    if (n == 0 || n > 255)
        return 0;
    return h[strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       "0123456789.-:[]")] == '\0';
}

/* Whether host lacks a port that the server's port should give (nginx's
 * $host drops it): a port that is not the scheme's own. */
static int port_missing(const char *host, const char *port, const char *own)
{
    const char *v6 = strrchr(host, ']'); /* [::1]:8080 */
    size_t n = port ? strlen(port) : 0;
    return !strchr(v6 ? v6 : host, ':') && n > 0 && n <= 5 &&
           strspn(port, "0123456789") == n && strcmp(port, own) != 0;
}

/* The page's absolute URL, for feeds: the config's base_url, else built
 * from the request (scheme, Host, script path). */
static void base_url(const web *w, const web_request *r, sbuf *out)
{
    const char *scheme = "http", *path = r->script_name, *host, *own;
    if (w->cfg.base_url) {
        sbuf_adds(out, w->cfg.base_url);
        return;
    }
    if ((r->https && (!strcmp(r->https, "on") || !strcmp(r->https, "1"))) ||
        (r->request_scheme && !strcmp(r->request_scheme, "https")))
        scheme = "https";
    own = strcmp(scheme, "https") ? "80" : "443";
    host = host_ok(r->http_host)     ? r->http_host
           : host_ok(r->server_name) ? r->server_name
                                     : "localhost";
    sbuf_addf(out, "%s://%s", scheme, host);
    if (port_missing(host, r->server_port, own))
        sbuf_addf(out, ":%s", r->server_port);
    if (!path || path[0] != '/')
        path = "/timtin.cgi";
    for (const char *s = path; *s; s++) { /* percent-encode what URLs can't
                                             hold as is */
        unsigned char c = (unsigned char)*s;
        if (c > 0x20 && c < 0x7f && !strchr("\"'<>\\^`{|}%?#", c))
            sbuf_addc(out, (char)c);
        else
            sbuf_addf(out, "%%%02X", c);
    }
}

/* A long-lived handle's searcher keeps frequent words' lists decoded,
 * and the process the index blocks it read. */
static void keep_postings(web *w)
{
    if (w->long_lived && w->s) {
        srch_cache_postings(w->s, (size_t)w->cfg.posting_cache_mb << 20);
        srch_cache_blocks((size_t)w->cfg.block_cache_mb << 20);
    }
}

/* A long-lived process says once when it may not read the corpus where
 * snippets read whole articles (a plain CGI, a process per request, would
 * say it at every one): it is not the server's user's to read, or was
 * moved.  The snippets then come from the 512 bytes the db keeps. */
static void check_corpus(web *w, const cgi_params *p)
{
    tt_err e;
    if (!w->long_lived || w->corpus_checked || !w->s)
        return;
    w->corpus_checked = 1;
    if (srch_corpus_check(w->s, &e) != TT_OK)
        log_error(p, "%s: snippets come from the first 512 bytes of each "
                     "article (let the server's user read it, or set "
                     "corpus = none in the config)",
                  e.msg);
}

/* Open the dbs once; TT_OK, or the status after logging.  The searcher
 * follows commits and swapped-in dbs itself. */
static int open_dbs(web *w, const cgi_params *p)
{
    tt_err e;
    int rc;
    if (w->s)
        return TT_OK;
    if ((rc = srch_open(w->cfg.dbs, w->cfg.ndb, &w->s, &e))) {
        if (rc == TT_ECHANGED) /* busy, not broken: said as a search says it */
            log_error(p, "%s", e.msg);
        else
            log_index_error(w, p, rc, "cannot open the index: ", e.msg);
        w->s = NULL;
        return rc;
    }
    if (w->cfg.corpus)
        srch_corpus(w->s, w->cfg.corpus);
    keep_postings(w);
    check_corpus(w, p);
    return TT_OK;
}

void web_idle(web *w)
{
    if (w->s)
        srch_idle(w->s);
}

void web_long_lived(web *w)
{
    w->long_lived = 1;
    keep_postings(w);
    check_corpus(w, NULL);
}

/* What a crash amid the search of p writes in the log (the crash guard
 * the program installed, if any): a line as log_error's, with the advice
 * for a damaged index, which is what makes Xapian crash. */
static void crash_text(const web *w, const cgi_params *p)
{
    sbuf head = {0}, tail = {0}, dbs = {0};
    sbuf_addf(&head, "%s[%ld]: error: crashed by ", tt_progname(),
              (long)getpid());
    add_dbs(&dbs, &w->cfg);
    sbuf_adds(&tail, " while answering: ");
    sbuf_addf(&tail, TT_DAMAGE_ADVICE, dbs.s);
    add_request(&tail, p);
    tt_crash_text(head.s, "%s", tail.s);
    sbuf_free(&head);
    sbuf_free(&tail);
    sbuf_free(&dbs);
}

/* req found nothing under its filters (section, dates): its search
 * without them, every word required, into *un (freed by the caller),
 * for the page to say whether the filters alone leave nothing.  1 when
 * counted, 0 when there was nothing to count (no filter, no words) or
 * the count failed. */
static int count_unfiltered(web *w, const srch_req *req, srch_result *un)
{
    srch_req u = *req;
    tt_err e;
    if ((!req->section && !req->since && !req->until) ||
        (cgi_blank(req->query) && !req->related))
        return 0;
    u.section = u.since = u.until = NULL;
    u.offset = 0;
    u.limit = 1;
    u.facets = u.suggest = 0;
    u.no_relax = 1; /* partial matches: not the filters' doing */
    if (srch_run(w->s, &u, un, &e) == TT_OK && !un->cut_ms)
        return 1;
    srch_result_free(un);
    memset(un, 0, sizeof *un);
    return 0;
}

static void search(web *w, const web_request *r, const cgi_params *p,
                   web_response *out)
{
    srch_req req = {0};
    srch_result res = {0};
    tt_err e;
    int rc;

    crash_text(w, p);
    if ((rc = open_dbs(w, p))) {
        /* a CGI opens the index at each request: an indexer committing
         * often spoils its first reads as it does a search's (below) */
        if (rc == TT_ECHANGED)
            error(w, r, p, 503, generic_busy, out);
        else
            error(w, r, p, 500, generic_500, out);
        return;
    }
    req.query = p->q;
    /* a feed is the newest results, whatever page= says */
    req.offset = p->format == CGI_RSS ? 0 : (p->page - 1) * w->cfg.per_page;
    req.limit = w->cfg.per_page;
    /* the page asks for one more than it shows: whether another page
     * holds any, which an estimated total cannot say (its last page,
     * full, offered an empty one after it) */
    if (p->format == CGI_HTML)
        req.limit++;
    req.sort_date = p->sort == CGI_SORT_DATE || p->format == CGI_RSS;
    if (p->sort == CGI_SORT_RECENT && p->format != CGI_RSS)
        req.recency_days = SRCH_RECENCY_DAYS;
    /* JSON: exactly what timtin-search --json gives */
    req.facets = p->format == CGI_JSON ||
                 (p->format == CGI_HTML && w->cfg.facets);
    req.suggest = p->format != CGI_RSS;
    /* a feed follows the search as typed: partial matches would fill it
     * with what the reader never asked for, and it cannot say so */
    req.no_relax = p->format == CGI_RSS;
    req.since = p->from;
    req.until = p->to;
    req.section = p->section;
    req.related = p->related;
    req.budget_ms = w->cfg.search_budget_ms;
    if (w->test_crash) /* the fault a damaged table can make Xapian's */
        raise(SIGSEGV);
    rc = srch_run(w->s, &req, &res, &e);
    if (rc == TT_OK && res.cut_ms)
        log_error(p, "the search was cut short after %u ms (%s)",
                  res.cut_ms, res.nhits ? "the results found by then were "
                                          "shown" : "before it found any");
    if (rc == TT_OK) {
        /* a search cut short: a moment later, on a quieter server, it may
         * find more; no cache keeps the part it found */
        int cut = res.cut_ms != 0;
        out->status = 200;
        if (p->format == CGI_JSON) {
            srch_result_json(&req, &res, &out->body);
            sbuf_addc(&out->body, '\n');
            headers(out, "application/json", cut ? 0 : max_age(r, 60));
        } else if (p->format == CGI_RSS) {
            sbuf base = {0};
            base_url(w, r, &base);
            rss_results(&w->cfg, base.s, p, res.related_title, &res,
                        &out->body);
            sbuf_free(&base);
            headers(out, "application/rss+xml; charset=utf-8",
                    cut ? 0 : max_age(r, 300));
        } else {
            srch_result shown = res, un = {0}; /* (the hits stay res's) */
            int counted = !res.nhits && !res.total && !cut &&
                          p->page == 1 && count_unfiltered(w, &req, &un);
            if (shown.nhits > w->cfg.per_page)
                shown.nhits = w->cfg.per_page;
            page_results(&w->cfg, p, res.related_title, &shown,
                         counted ? &un : NULL, &out->body);
            srch_result_free(&un);
            headers(out, "text/html; charset=utf-8",
                    cut ? 0 : max_age(r, 60));
        }
    } else if (rc == TT_ENOTFOUND && res.unknown_related) {
        error(w, r, p, 404, "Không có bài viết nào mang mã này trong kho.", out);
    } else if (rc == TT_EINVAL && !strncmp(e.msg, "empty query", 11) &&
               p->format == CGI_HTML) {
        /* "?", "-", "OR": nothing to search for, no fault of the page's;
         * the reader gets the help of a search that found nothing */
        srch_result_free(&res);
        memset(&res, 0, sizeof res);
        out->status = 200;
        page_results(&w->cfg, p, NULL, &res, NULL, &out->body);
        headers(out, "text/html; charset=utf-8", max_age(r, 60));
    } else if (rc == TT_EINVAL || rc == TT_ESYNTAX) {
        char msg[700];
        if (!strncmp(e.msg, "empty query", 11))
            snprintf(msg, sizeof msg, "Câu tìm kiếm không có từ nào để "
                                      "tìm.");
        else if (!strncmp(e.msg, "empty date range", 16))
            snprintf(msg, sizeof msg, "Khoảng thời gian trong câu tìm kiếm "
                                      "không có ngày nào: ngày bắt đầu đứng "
                                      "sau ngày kết thúc.");
        else if (!strncmp(e.msg, "invalid date", 12))
            snprintf(msg, sizeof msg, "Ngày không hợp lệ trong câu tìm "
                                      "kiếm: dùng dạng NNNN, NNNN-TT hoặc "
                                      "NNNN-TT-NN.");
        else
            snprintf(msg, sizeof msg, "Không đọc được câu tìm kiếm (%s).",
                     e.msg);
        error(w, r, p, 400, msg, out);
    } else if (rc == TT_ECHANGED) {
        /* the indexer commits faster than this search can read: a moment
         * later it will do (the searcher is fine: kept) */
        log_error(p, "%s", e.msg);
        error(w, r, p, 503, generic_busy, out);
    } else {
        log_index_error(w, p, rc, "search failed: ", e.msg);
        srch_close(w->s); /* start afresh at the next request */
        w->s = NULL;
        error(w, r, p, 500, generic_500, out);
    }
    srch_result_free(&res);
}

void web_handle(web *w, const web_request *r, web_response *out)
{
    cgi_params p;
    tt_err e;
    int st;

    memset(out, 0, sizeof *out);
    st = cgi_read(&r->cgi, w->cfg_rc ? 100 : w->cfg.max_page, &p, &e);
    if (st) {
        error(w, r, &p, st, e.msg, out);
    } else if (w->cfg_rc) { /* web_new logged why */
        error(w, r, &p, 500, generic_500, out);
    } else if (p.format == CGI_OPENSEARCH) {
        sbuf base = {0};
        base_url(w, r, &base);
        out->status = 200;
        rss_opensearch(&w->cfg, base.s, &out->body);
        sbuf_free(&base);
        headers(out, "application/opensearchdescription+xml; charset=utf-8",
                max_age(r, 86400));
    } else if (cgi_blank(p.q) && !p.section && !p.related && !p.from && !p.to) {
        if (p.format == CGI_HTML) {
            out->status = 200;
            page_home(&w->cfg, &out->body);
            headers(out, "text/html; charset=utf-8", max_age(r, 3600));
        } else {
            error(w, r, &p, 400, "Thiếu câu tìm kiếm (tham số q).", out);
        }
    } else {
        search(w, r, &p, out);
    }
    if (r->cgi.method && !strcmp(r->cgi.method, "HEAD"))
        sbuf_reset(&out->body);
    cgi_params_free(&p);
    /* a long-lived process tells the server's log how its cache does */
    if (w->long_lived && w->cfg.cache_report_every &&
        ++w->served % w->cfg.cache_report_every == 0) {
        sbuf line = {0};
        if (srch_cache_report(w->s, &line)) {
            fprintf(stderr, "%s: %s (after %llu requests)\n", tt_progname(),
                    line.s, (unsigned long long)w->served);
            fflush(stderr);
        }
        sbuf_free(&line);
    }
}
