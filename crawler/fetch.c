/* fetch.c — see fetch.h.  The only file that includes curl/curl.h. */
#include "fetch.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct xfer {
    CURL *h;
    struct curl_slist *hdrs;
    fetch_result *r;
    sbuf head, body;
    size_t max_bytes;
    int too_big;      /* the body passed max_bytes */
    int head_too_big; /* the header block passed FETCH_MAX_HEADER */
    struct xfer *next; /* in the running or done list */
} xfer;

struct fetch {
    CURLM *multi;
    fetch_opts o;
    char *ua;
    xfer *running; /* started */
    xfer *done_head, *done_tail;
};

static int global_ready;

const char *fetch_version(void) { return curl_version(); }

int fetch_new(const fetch_opts *o, fetch **out, tt_err *e)
{
    fetch *f;
    *out = NULL;
    if (!global_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return tt_seterr(e, TT_EINTERNAL, "libcurl: global init failed");
        global_ready = 1;
    }
    f = xcalloc(1, sizeof *f);
    f->o = *o;
    if (f->o.connect_timeout <= 0)
        f->o.connect_timeout = 10;
    if (f->o.timeout <= 0)
        f->o.timeout = 30;
    if (f->o.max_bytes == 0)
        f->o.max_bytes = 10u << 20;
    f->ua = xstrdup(o->user_agent ? o->user_agent : "timtin");
    f->multi = curl_multi_init();
    if (!f->multi) {
        free(f->ua);
        free(f);
        return tt_seterr(e, TT_EINTERNAL, "libcurl: cannot create a multi handle");
    }
    if (f->o.max_host_connections > 0)
        curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                          (long)f->o.max_host_connections);
    *out = f;
    return TT_OK;
}

static void xfer_free(xfer *x)
{
    if (!x)
        return;
    if (x->h)
        curl_easy_cleanup(x->h);
    curl_slist_free_all(x->hdrs);
    sbuf_free(&x->head);
    sbuf_free(&x->body);
    fetch_result_free(x->r);
    free(x);
}

void fetch_result_free(fetch_result *r)
{
    if (!r)
        return;
    free(r->url);
    free(r->headers);
    free(r->body);
    free(r->location);
    free(r);
}

void fetch_free(fetch *f)
{
    xfer *x, *n;
    if (!f)
        return;
    for (x = f->running; x; x = n) {
        n = x->next;
        curl_multi_remove_handle(f->multi, x->h);
        xfer_free(x);
    }
    for (x = f->done_head; x; x = n) {
        n = x->next;
        xfer_free(x);
    }
    curl_multi_cleanup(f->multi);
    free(f->ua);
    free(f);
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    xfer *x = arg;
    size_t len = size * n;
    if (x->body.len + len > x->max_bytes) {
        x->too_big = 1;
        return 0; /* abort: CURLE_WRITE_ERROR */
    }
    sbuf_add(&x->body, p, len);
    return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    xfer *x = arg;
    size_t len = size * n;
    /* a new status line (after 1xx) starts the block over */
    if (len >= 5 && !memcmp(p, "HTTP/", 5))
        sbuf_reset(&x->head);
    if (x->head.len + len > FETCH_MAX_HEADER) {
        x->head_too_big = 1;
        return 0; /* abort: CURLE_WRITE_ERROR */
    }
    sbuf_add(&x->head, p, len);
    return len;
}

/* Seconds (positive) as libcurl's milliseconds, at least 1: its 0 means
 * no timeout at all. */
static long millis(double s)
{
    double ms = s * 1000 + 0.5;
    return ms < 1 ? 1 : ms > 86400000 ? 86400000 : (long)ms;
}

int fetch_add(fetch *f, const char *url, const char *etag,
              const char *last_modified, void *user, tt_err *e)
{
    xfer *x = xcalloc(1, sizeof *x);
    sbuf hb = {0};
    x->r = xcalloc(1, sizeof *x->r);
    x->r->user = user;
    x->r->url = xstrdup(url);
    x->r->retry_after = -1;
    x->r->started = tt_now();
    x->max_bytes = f->o.max_bytes;
    x->h = curl_easy_init();
    if (!x->h) {
        xfer_free(x);
        return tt_seterr(e, TT_EINTERNAL, "libcurl: cannot create a handle");
    }
    if (curl_easy_setopt(x->h, CURLOPT_URL, url) != CURLE_OK) {
        xfer_free(x);
        return tt_seterr(e, TT_EINVAL, "libcurl refuses the URL %s", url);
    }
    curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
    curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(x->h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(x->h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(x->h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(x->h, CURLOPT_USERAGENT, f->ua);
    curl_easy_setopt(x->h, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
    curl_easy_setopt(x->h, CURLOPT_CONNECTTIMEOUT_MS,
                     millis(f->o.connect_timeout));
    curl_easy_setopt(x->h, CURLOPT_TIMEOUT_MS, millis(f->o.timeout));
    curl_easy_setopt(x->h, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)f->o.max_bytes);
    curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(x->h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(x->h, CURLOPT_HEADERDATA, x);
    x->hdrs = curl_slist_append(
        x->hdrs, "Accept: text/html,application/xhtml+xml,application/xml;"
                 "q=0.9,*/*;q=0.8");
    x->hdrs = curl_slist_append(x->hdrs, "Accept-Language: vi,en;q=0.5");
    if (etag && *etag) {
        sbuf_addf(&hb, "If-None-Match: %s", etag);
        x->hdrs = curl_slist_append(x->hdrs, hb.s);
        sbuf_reset(&hb);
    }
    if (last_modified && *last_modified) {
        sbuf_addf(&hb, "If-Modified-Since: %s", last_modified);
        x->hdrs = curl_slist_append(x->hdrs, hb.s);
    }
    sbuf_free(&hb);
    curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->hdrs);
    if (curl_multi_add_handle(f->multi, x->h) != CURLM_OK) {
        xfer_free(x);
        return tt_seterr(e, TT_EINTERNAL, "libcurl: cannot add a transfer");
    }
    x->next = f->running;
    f->running = x;
    return TT_OK;
}

/* The value of header name in the block (a pointer into a copy made in
 * place: the block is split into NUL-terminated lines first). */
static const char *find_header(char *block, size_t len, const char *name)
{
    size_t n = strlen(name);
    char *p = block, *end = block + len;
    while (p < end) {
        char *eol = memchr(p, '\0', (size_t)(end - p));
        if (!eol)
            break;
        if ((size_t)(eol - p) > n && p[n] == ':' && !strncasecmp(p, name, n)) {
            char *v = p + n + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            return v;
        }
        p = eol + 1;
    }
    return NULL;
}

/* Did the transfer stop inside the header block (no blank line yet)? */
static int in_headers(const xfer *x)
{
    const sbuf *h = &x->head;
    return x->body.len == 0 &&
           !(h->len >= 2 && h->s[h->len - 1] == '\n' &&
             (h->s[h->len - 2] == '\n' ||
              (h->len >= 4 && !memcmp(h->s + h->len - 4, "\r\n\r\n", 4))));
}

static void finish(xfer *x, CURLcode res)
{
    fetch_result *r = x->r;
    long status = 0;
    char *loc = NULL;
    curl_off_t ra = -1;
    r->finished = tt_now();
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
    r->status = status;
    if (res == CURLE_OK) {
        r->error = FETCH_OK;
    } else {
        switch (res) {
        case CURLE_OPERATION_TIMEDOUT:
            r->error = FETCH_ETIMEOUT;
            break;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
            r->error = FETCH_ECONNECT;
            break;
        case CURLE_FILESIZE_EXCEEDED:
            r->error = FETCH_ETOOBIG;
            break;
        case CURLE_WRITE_ERROR:
            r->error = x->too_big || x->head_too_big ? FETCH_ETOOBIG
                                                     : FETCH_EOTHER;
            break;
        case CURLE_OUT_OF_MEMORY:
            /* what libcurl says of a header line over its own limit
             * (CURL_MAX_HTTP_HEADER); a real lack of memory would have
             * stopped us elsewhere */
            if (in_headers(x))
                x->head_too_big = 1;
            r->error = x->head_too_big ? FETCH_ETOOBIG : FETCH_EOTHER;
            break;
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_BAD_CONTENT_ENCODING:
        case CURLE_SEND_ERROR:
            r->error = FETCH_EPARTIAL;
            break;
        default:
            r->error = FETCH_EOTHER;
            break;
        }
        if (x->head_too_big && res == CURLE_OUT_OF_MEMORY)
            snprintf(r->errmsg, sizeof r->errmsg,
                     "response headers too big (a line over %d KiB)",
                     CURL_MAX_HTTP_HEADER >> 10);
        else if (x->head_too_big)
            snprintf(r->errmsg, sizeof r->errmsg,
                     "response headers too big (limit %u KiB)",
                     FETCH_MAX_HEADER >> 10);
        else if (r->error == FETCH_ETOOBIG)
            snprintf(r->errmsg, sizeof r->errmsg,
                     "page too big: %s (limit %zu bytes)",
                     curl_easy_strerror(res), x->max_bytes);
        else
            snprintf(r->errmsg, sizeof r->errmsg, "%s",
                     curl_easy_strerror(res));
    }
    if (curl_easy_getinfo(x->h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
        ra > 0)
        r->retry_after = (double)ra;
    if (status >= 300 && status < 400 &&
        curl_easy_getinfo(x->h, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
        loc)
        r->location = xstrdup(loc);
    /* the header block as received, then (after its NUL) a copy split
     * into NUL-terminated lines that the value pointers point into */
    {
        size_t n = x->head.len, i;
        char *both = xmalloc(2 * n + 2), *lines = both + n + 1;
        if (n)
            memcpy(both, x->head.s, n);
        both[n] = '\0';
        for (i = 0; i < n; i++) {
            char c = x->head.s[i];
            lines[i] = c == '\r' || c == '\n' ? '\0' : c;
        }
        lines[n] = '\0';
        r->headers = both;
        r->headers_len = n;
        r->content_type = find_header(lines, n, "Content-Type");
        r->etag = find_header(lines, n, "ETag");
        r->last_modified = find_header(lines, n, "Last-Modified");
        r->content_encoding = find_header(lines, n, "Content-Encoding");
    }
    r->body_len = x->body.len;
    r->body = sbuf_detach(&x->body, NULL);
    if (!r->body)
        r->body = xstrdup("");
}

/* Move finished transfers to the done list. */
static void collect(fetch *f)
{
    int msgs;
    CURLMsg *m;
    while ((m = curl_multi_info_read(f->multi, &msgs)) != NULL) {
        xfer *x = NULL, **pp;
        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        if (!x)
            continue;
        finish(x, m->data.result);
        curl_multi_remove_handle(f->multi, x->h);
        for (pp = &f->running; *pp; pp = &(*pp)->next)
            if (*pp == x) {
                *pp = x->next;
                break;
            }
        x->next = NULL;
        if (f->done_tail)
            f->done_tail->next = x;
        else
            f->done_head = x;
        f->done_tail = x;
    }
}

void fetch_run(fetch *f, double max_wait)
{
    int running = 0;
    curl_multi_perform(f->multi, &running);
    collect(f);
    /* wait only when nothing is ready to hand back */
    if (f->done_head == NULL && max_wait > 0) {
        int ms = (int)(max_wait * 1000);
        curl_multi_poll(f->multi, NULL, 0, ms > 0 ? ms : 1, NULL);
        curl_multi_perform(f->multi, &running);
        collect(f);
    }
}

fetch_result *fetch_done(fetch *f)
{
    xfer *x = f->done_head;
    fetch_result *r;
    if (!x)
        return NULL;
    f->done_head = x->next;
    if (!f->done_head)
        f->done_tail = NULL;
    r = x->r;
    x->r = NULL;
    xfer_free(x);
    return r;
}
