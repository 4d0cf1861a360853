/* fetch.h — concurrent HTTP GETs on libcurl's multi interface (the only
 * door to libcurl).
 *
 * One request is one HTTP exchange: redirects are NOT followed here (the
 * crawler schedules each hop itself, so politeness and robots.txt apply to
 * every request); a 3xx comes back with its Location resolved.  Bodies are
 * decoded (gzip, deflate) and capped at max_bytes (decoded size; a longer
 * or announced-longer body ends the transfer with FETCH_ETOOBIG, and so
 * does a header block over FETCH_MAX_HEADER).  Each
 * transfer has a connect timeout and a total timeout.
 * Ownership: a fetch_result belongs to the caller (fetch_result_free).
 * A fetch handle is for one thread; curl_global_init runs once, the first
 * time fetch_new is called (not thread-safe itself: call it from main).
 */
#ifndef TT_FETCH_H
#define TT_FETCH_H

#include <stddef.h>

#include "util.h"

#define FETCH_MAX_HEADER (256u << 10) /* bytes of a response's header block */

typedef struct fetch_opts {
    const char *user_agent;  /* required */
    double connect_timeout;  /* seconds; 0 = 10 (under 1 ms: 1 ms) */
    double timeout;          /* seconds, whole transfer; 0 = 30 (under
                                1 ms: 1 ms, never "none") */
    size_t max_bytes;        /* decoded body cap; 0 = 10 MiB */
    int max_host_connections; /* a safety net under the crawler's own
                                 limit; 0 = none */
} fetch_opts;

enum {
    FETCH_OK = 0,     /* an HTTP response was received (any status) */
    FETCH_ETIMEOUT,   /* connect or total timeout */
    FETCH_ECONNECT,   /* could not resolve or connect */
    FETCH_ETOOBIG,    /* body longer than max_bytes, or a header block
                         over FETCH_MAX_HEADER (or a header line over
                         libcurl's 100 KiB): retrying will not help */
    FETCH_EPARTIAL,   /* connection closed early, bad encoding, nothing */
    FETCH_EOTHER      /* anything else (bad URL, TLS, ...) */
};

typedef struct fetch_result {
    void *user;         /* as given to fetch_add */
    char *url;          /* as requested */
    int error;          /* FETCH_OK or FETCH_E* */
    char errmsg[256];   /* libcurl's message when error != FETCH_OK */
    long status;        /* HTTP status (0 when none was received) */
    char *headers;      /* the response's header block as received, from
                         * the status line to the blank line */
    size_t headers_len;
    char *body;         /* decoded body, NUL-terminated */
    size_t body_len;
    /* Header values (NULL when absent), pointing into storage of the
     * result. */
    const char *content_type, *etag, *last_modified, *content_encoding;
    char *location;     /* 3xx: the target, absolute */
    double retry_after; /* seconds from Retry-After, or -1 */
    double started, finished; /* tt_now() at fetch_add and at the end */
} fetch_result;

typedef struct fetch fetch;

/* *out is NULL on error (TT_EINTERNAL when libcurl cannot start). */
int fetch_new(const fetch_opts *o, fetch **out, tt_err *e);
/* Abort what is running and free (NULL is fine). */
void fetch_free(fetch *f);

/* Start a GET of url.  etag and last_modified (either may be NULL) make
 * it conditional (If-None-Match, If-Modified-Since).  user comes back in
 * the result.  TT_EINVAL if libcurl refuses the URL. */
int fetch_add(fetch *f, const char *url, const char *etag,
              const char *last_modified, void *user, tt_err *e);
/* Let transfers progress, waiting at most max_wait seconds for network
 * activity (returns early when something finishes). */
void fetch_run(fetch *f, double max_wait);
/* A finished transfer (caller frees), or NULL when none is waiting. */
fetch_result *fetch_done(fetch *f);
void fetch_result_free(fetch_result *r); /* NULL is fine */

/* The libcurl version string, for --version. */
const char *fetch_version(void);

#endif
