/* web.h — one request to the search page, start to finish: read the
 * parameters, run the search, write HTML, JSON, RSS or OpenSearch, and the
 * response's CGI headers (status, type, security headers).
 *
 * A web handle owns the config and the open dbs, kept between requests
 * (a FastCGI process answers many); the dbs are opened by the first
 * request that needs them and again after a failure, and the searcher
 * moves to the latest commit at every search.  A bad config is not fatal:
 * each request then gets the 500 page.  Internal errors are logged on
 * stderr and never shown to the reader.  One handle per thread.
 */
#ifndef TT_WEB_WEB_H
#define TT_WEB_WEB_H

#include "cgi.h"

typedef struct web web;

/* A request as the server describes it: the CGI meta-variables (NULL when
 * unset) and the body reader. */
typedef struct web_request {
    cgi_request cgi;
    const char *https, *request_scheme, *http_host, *server_name,
        *server_port, *script_name;
} web_request;

typedef struct web_response {
    int status;
    sbuf head; /* the CGI header lines and the empty line ending them */
    sbuf body; /* empty for HEAD */
} web_response;

/* A handle with the config of the file config_path (TIMTIN_CONFIG; NULL
 * for none) and the dbs of dbenv (TIMTIN_DB).  Never NULL; a config error
 * is logged once here and makes every request a 500.  config_error, when
 * not NULL, receives it (TT_OK when none). */
web *web_new(const char *config_path, const char *dbenv, tt_err *config_error);
/* The handle will serve many requests (FastCGI): its searcher keeps the
 * posting lists of frequent words decoded, up to the config's
 * posting_cache_mb, and the process the index blocks it read, up to
 * block_cache_mb. */
void web_long_lived(web *w);
/* Nothing to answer for a while: let go of dbs swapped out since the
 * last request (srch_idle).  Call it from time to time between requests
 * (the FastCGI loop does every WEB_IDLE_CHECK_MS without a request). */
#define WEB_IDLE_CHECK_MS 2000
void web_idle(web *w);
void web_free(web *w);
/* The config's fastcgi_timeout: seconds a FastCGI connection has to send
 * its request, and to take the answer. */
unsigned web_fastcgi_timeout(const web *w);

/* The answer to a request amid which the process crashed: the 500 page
 * (CGI headers and HTML body), for the crash guard (util.h) to write when
 * nothing was written yet.  Each search sets the guard's text: the crash,
 * the advice for a damaged index, the request.  TIMTIN_TEST_CRASH set in
 * the environment (for tests only) makes every search raise SIGSEGV
 * where Xapian would crash.  Valid while w is. */
const web_response *web_crash_page(const web *w);

/* Answer r into *out (zeroed first; free with web_response_free). */
void web_handle(web *w, const web_request *r, web_response *out);
void web_response_free(web_response *out);

#endif
