/* timtin.cgi — the search page: a CGI program, a FastCGI responder, or,
 * run from a shell, a command taking name=value pairs (for tests and
 * debugging).  The only door to libfcgi.
 *
 * libfcgi (Debian's libfcgi0ldbl) is loaded with dlopen when the program
 * is started as FastCGI: the CGI needs no library at run time, and the
 * build no link flag.  Its header gives the types, checked by __typeof__.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fcgipeek.h"
#include "sock.h"
#include "web.h"
#include "workers.h"

#define FCGI_LIBRARY "libfcgi.so.0"

static struct {
    __typeof__(FCGX_Init) *Init;
    __typeof__(FCGX_InitRequest) *InitRequest;
    __typeof__(FCGX_Accept_r) *Accept_r;
    __typeof__(FCGX_Finish_r) *Finish_r;
    __typeof__(FCGX_Free) *Free;
    __typeof__(FCGX_Detach) *Detach;
    __typeof__(FCGX_GetError) *GetError;
    __typeof__(FCGX_GetParam) *GetParam;
    __typeof__(FCGX_GetStr) *GetStr;
    __typeof__(FCGX_PutStr) *PutStr;
} fcgi;

static const char usage[] =
    "Usage: timtin.cgi                   (under a web server: CGI or "
    "FastCGI)\n"
    "       timtin.cgi [--headers] NAME=VALUE...   (from a shell)\n"
    "       timtin.cgi --listen ADDRESS  (FastCGI on a socket of its own)\n"
    "       timtin.cgi [--listen ADDRESS] --workers N\n"
    "The timtin search page: HTML for readers, JSON and RSS for programs.\n"
    "\n"
    "Under a web server it answers one request as a CGI program, or many as\n"
    "a FastCGI responder when started by a FastCGI server (its standard\n"
    "input is then a listening socket).  From a shell, without\n"
    "REQUEST_METHOD set, it answers the request of its NAME=VALUE arguments\n"
    "(form-encoded: + is a space, %XX a byte) and prints the page.\n"
    "\n"
    "Parameters: q (the query), page, sort (relevance|date|recent), section,\n"
    "  from, to (YYYY[-MM[-DD]]), related (an article id),\n"
    "  format (html|json|rss|opensearch).\n"
    "\n"
    "Environment (of the server, never the request):\n"
    "  TIMTIN_DB      the db(s): paths separated by ':', or a stub file\n"
    "  TIMTIN_CONFIG  an optional config file (title, description,\n"
    "                 per_page, max_page, base_url, facets,\n"
    "                 posting_cache_mb, block_cache_mb,\n"
    "                 cache_report_every,\n"
    "                 fastcgi_timeout, search_budget_ms, db, corpus);\n"
    "                 see docs/WEB.md\n"
    "  TIMTIN_SEARCH_BUDGET_MS  the time one search may take (ms; default\n"
    "                 1000, 0: no limit): then it answers with the results\n"
    "                 found so far, and says so\n"
    "  FCGI_WEB_SERVER_ADDRS  FastCGI on TCP: the only client addresses\n"
    "                 (IPv4 and IPv6, comma-separated)\n"
    "\n"
    "  --headers         also print the CGI headers (from a shell)\n"
    "  --listen ADDRESS  serve FastCGI on ADDRESS: a socket path, or\n"
    "                    127.0.0.1:PORT (:PORT alone listens on every\n"
    "                    interface: FastCGI has no authentication); a\n"
    "                    path is never replaced unless it is a socket\n"
    "                    nobody listens on\n"
    "  --workers N       FastCGI in N processes (1 to 256; default 1) on\n"
    "                    the socket of --listen, or on standard input\n"
    "  -h, --help        this help\n"
    "  -V, --version     print the version\n"
    "\n"
    "Exit status from a shell: 0 page (HTTP 200), 1 not found (404),\n"
    "2 bad request (400 and other 4xx) or usage error (also --listen on a\n"
    "file that is not a socket, or on an address another process listens\n"
    "on), 3 internal error (500), an index changing under the search (503)\n"
    "or the page not written (a full disk); 70 crashed (SIGSEGV, SIGBUS:\n"
    "the index may be damaged), after logging it and writing the 500 page\n"
    "(as a CGI and a FastCGI worker too).\n";

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static size_t read_stdin(void *ctx, char *buf, size_t n)
{
    (void)ctx;
    return fread(buf, 1, n, stdin);
}

/* Flush standard output: status, or 3 after saying why what was written
 * to it is lost (a full disk).  Called right after the writes, while
 * errno still tells why they failed. */
static int flushed(int status)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return status;
    fprintf(stderr, "timtin.cgi: cannot write to standard output: %s\n",
            strerror(errno ? errno : EIO));
    return 3;
}

/* Write the page r (its headers too when head); status as flushed. */
static int write_out(const web_response *r, int head, int status)
{
    tt_crash_reply(-1, NULL, 0); /* a crash now would garble the page */
    if (head)
        fwrite(r->head.s, 1, r->head.len, stdout);
    if (r->body.len)
        fwrite(r->body.s, 1, r->body.len, stdout);
    return flushed(status);
}

/* The crash guard (util.h): a crash (SIGSEGV, SIGBUS: a damaged index
 * makes Xapian's) is logged, and answered with the 500 page when nothing
 * was written yet; then the process exits with TT_EXIT_CRASH.  Each
 * search sets the line to log (web_crash_page). */
static void guard(void)
{
    char head[64];
    snprintf(head, sizeof head, "timtin.cgi[%ld]: error: crashed by ",
             (long)getpid());
    tt_crash_guard(1, head, "%s", "");
}

/* The 500 page of w into out, its headers too when head, and armed as
 * the crash guard's reply on standard output. */
static void crash_reply(const web *w, int head, sbuf *out)
{
    const web_response *page = web_crash_page(w);
    sbuf_reset(out);
    if (head)
        sbuf_add(out, page->head.s, page->head.len);
    sbuf_add(out, page->body.s, page->body.len);
    tt_crash_reply(1, out->s, out->len);
}

static web *new_web(void)
{
    return web_new(env("TIMTIN_CONFIG"), env("TIMTIN_DB"), NULL);
}

/* One request from the CGI environment and standard input. */
static int run_cgi(void)
{
    web *w;
    web_request r = {0};
    web_response out;
    sbuf reply = {0};
    int status;

    guard();
    w = new_web();
    /* (a HEAD's answer has no body: a crash's neither) */
    crash_reply(w, 1, &reply);
    if (env("REQUEST_METHOD") && !strcmp(env("REQUEST_METHOD"), "HEAD"))
        tt_crash_reply(1, reply.s, web_crash_page(w)->head.len);

    r.cgi.method = env("REQUEST_METHOD");
    r.cgi.query_string = env("QUERY_STRING");
    r.cgi.content_type = env("CONTENT_TYPE");
    r.cgi.content_length = env("CONTENT_LENGTH");
    r.cgi.read = read_stdin;
    r.https = env("HTTPS");
    r.request_scheme = env("REQUEST_SCHEME");
    r.http_host = env("HTTP_HOST");
    r.server_name = env("SERVER_NAME");
    r.server_port = env("SERVER_PORT");
    r.script_name = env("SCRIPT_NAME");
    web_handle(w, &r, &out);
    status = write_out(&out, 1, 0);
    web_response_free(&out);
    web_free(w);
    sbuf_free(&reply);
    return status;
}

/* ---- FastCGI ---------------------------------------------------------- */

/* Load libfcgi and FCGX_Init it; 0, or -1 after saying why. */
static int load_fcgi(void)
{
    static const char *const names[] = {
        "FCGX_Init",     "FCGX_InitRequest", "FCGX_Accept_r",
        "FCGX_Finish_r", "FCGX_Free",        "FCGX_Detach",
        "FCGX_GetError", "FCGX_GetParam",    "FCGX_GetStr",
        "FCGX_PutStr"};
    void **slots[] = {(void **)&fcgi.Init,     (void **)&fcgi.InitRequest,
                      (void **)&fcgi.Accept_r, (void **)&fcgi.Finish_r,
                      (void **)&fcgi.Free,     (void **)&fcgi.Detach,
                      (void **)&fcgi.GetError, (void **)&fcgi.GetParam,
                      (void **)&fcgi.GetStr,   (void **)&fcgi.PutStr};
    void *h = dlopen(FCGI_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "timtin.cgi: FastCGI needs %s (Debian package "
                        "libfcgi0ldbl): %s\n", FCGI_LIBRARY, dlerror());
        return -1;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        void *f = dlsym(h, names[i]);
        if (!f) {
            fprintf(stderr, "timtin.cgi: %s lacks %s\n", FCGI_LIBRARY,
                    names[i]);
            return -1;
        }
        memcpy(slots[i], &f, sizeof f);
    }
    if (fcgi.Init() != 0) {
        fprintf(stderr, "timtin.cgi: cannot start FastCGI\n");
        return -1;
    }
    return 0;
}

/* The connection of a request: its input, and the time it has left. */
typedef struct conn {
    FCGX_Request rq;
    unsigned timeout;  /* fastcgi_timeout */
    double deadline;   /* to send the request, body included (tt_now) */
} conn;

static size_t read_fcgi(void *ctx, char *buf, size_t n)
{
    conn *c = ctx;
    double left = c->deadline - tt_now();
    int k = 0;
    if (left > 0) { /* the body counts in the request's time */
        sock_deadline(c->rq.ipcFd, (unsigned)left + 1);
        k = fcgi.GetStr(buf, n > 1 << 20 ? 1 << 20 : (int)n, c->rq.in);
        sock_deadline(-1, 0);
    }
    return k > 0 ? (size_t)k : 0;
}

static void put(const sbuf *b, FCGX_Stream *s)
{
    for (size_t at = 0; at < b->len;) {
        size_t n = b->len - at > 1 << 20 ? 1 << 20 : b->len - at;
        if (fcgi.PutStr(b->s + at, (int)n, s) < 0)
            return; /* the server went away; Finish_r cleans up */
        at += n;
    }
}

/* Connections are accepted here, not by libfcgi, whose loop waits in a
 * read for as long as a client keeps a connection open and silent: each
 * has fastcgi_timeout seconds to send its request and as many to take the
 * answer, and is closed after it (FCGI_KEEP_CONN is not honoured: a kept
 * connection would hold the process between requests).  libfcgi 2.4.2,
 * checked with strace: FCGX_Accept_r reads the request of rq.ipcFd when it
 * is not -1; it first finishes the previous request, which closes ipcFd
 * unless rq.keepConnection is set; when the connection fails it closes
 * it, draining it for 2 s a read unless FCGX_Detach was called, and then
 * accepts on its own listening socket, here -1 (FCGX_InitRequest), so
 * that it returns at once (-EBADF); and a request whose parameters broke
 * off is returned as read so far, with an error on rq.in.  It allocates
 * each parameter at the length the client announces, and aborts when
 * that fails: the parameters are checked first (fcgipeek.h). */

/* Whether a connection (or a wake-up) comes on lsock or wake within
 * WEB_IDLE_CHECK_MS: 0 when the process was idle all that time, the
 * moment to let go of a db swapped out (web_idle).  A failed wait is 1:
 * take_request sees it. */
static int busy(int lsock, int wake)
{
    struct pollfd p[2] = {{lsock, POLLIN, 0}, {wake, POLLIN, 0}};
    return poll(p, 2, WEB_IDLE_CHECK_MS) != 0;
}

/* The next request on the listening socket lsock into c: 1, 0 when there
 * was none (a connection dropped, wake readable, a signal), -1 when lsock
 * fails. */
static int take_request(int lsock, int wake, const char *allowed, conn *c)
{
    FCGX_Request *rq = &c->rq;
    tt_err e;
    int fd;
    if (sock_accept(lsock, wake, c->timeout, allowed, &fd, &e)) {
        fprintf(stderr, "timtin.cgi: %s\n", e.msg);
        return -1;
    }
    if (fd < 0) {
        if (e.msg[0])
            tt_warn("%s", e.msg);
        return 0;
    }
    c->deadline = tt_now() + c->timeout;
    sock_deadline(fd, c->timeout);
    if (fcgipeek_request(fd, c->timeout, &e)) {
        sock_deadline(-1, 0);
        if (e.code == TT_EINVAL)
            tt_warn("FastCGI connection dropped: %s", e.msg);
        else
            tt_warn("FastCGI connection dropped: no complete request in "
                    "%u s (or it broke off)", c->timeout);
        sock_close(fd);
        return 0;
    }
    rq->ipcFd = fd;
    rq->keepConnection = 1; /* see above */
    fcgi.Detach(rq);
    if (fcgi.Accept_r(rq) < 0 || fcgi.GetError(rq->in)) {
        sock_deadline(-1, 0);
        tt_warn("FastCGI connection dropped: no complete request in %u s "
                "(or it broke off)", c->timeout);
        fcgi.Free(rq, 1);
        return 0;
    }
    sock_deadline(-1, 0);
    return 1;
}

/* The request of c as web_handle takes it. */
static void request_of(conn *c, web_request *r)
{
    char **env = c->rq.envp;
    memset(r, 0, sizeof *r);
    r->cgi.method = fcgi.GetParam("REQUEST_METHOD", env);
    r->cgi.query_string = fcgi.GetParam("QUERY_STRING", env);
    r->cgi.content_type = fcgi.GetParam("CONTENT_TYPE", env);
    r->cgi.content_length = fcgi.GetParam("CONTENT_LENGTH", env);
    r->cgi.read = read_fcgi;
    r->cgi.ctx = c;
    r->https = fcgi.GetParam("HTTPS", env);
    r->request_scheme = fcgi.GetParam("REQUEST_SCHEME", env);
    r->http_host = fcgi.GetParam("HTTP_HOST", env);
    r->server_name = fcgi.GetParam("SERVER_NAME", env);
    r->server_port = fcgi.GetParam("SERVER_PORT", env);
    r->script_name = fcgi.GetParam("SCRIPT_NAME", env);
}

/* The 500 page of w as the FastCGI records that answer c's request (as
 * a HEAD's, headers only, when head), into out, armed as the crash
 * guard's reply on c's connection: FCGI_STDOUT records, the empty one
 * that ends them, and FCGI_END_REQUEST (FastCGI 1.0, section 5). */
static void crash_records(const web *w, const conn *c, int head, sbuf *out)
{
    const web_response *page = web_crash_page(w);
    sbuf text = {0};
    unsigned id = (unsigned)c->rq.requestId;
    sbuf_reset(out);
    sbuf_add(&text, page->head.s, page->head.len);
    if (!head)
        sbuf_add(&text, page->body.s, page->body.len);
    for (size_t at = 0;; ) {
        size_t n = text.len - at > 65528 ? 65528 : text.len - at;
        size_t pad = (8 - n % 8) % 8;
        unsigned char h[8] = {1, 6 /* FCGI_STDOUT */, (unsigned char)(id >> 8),
                              (unsigned char)id, (unsigned char)(n >> 8),
                              (unsigned char)n, (unsigned char)pad, 0};
        sbuf_add(out, (const char *)h, 8);
        sbuf_add(out, text.s + at, n);
        sbuf_add(out, "\0\0\0\0\0\0\0", pad);
        at += n;
        if (n == 0)
            break; /* the empty record: the end of the stream */
    }
    {
        unsigned char end[16] = {1, 3 /* FCGI_END_REQUEST */,
                                 (unsigned char)(id >> 8), (unsigned char)id,
                                 0, 8, 0, 0,
                                 0, 0, 0, TT_EXIT_CRASH, /* appStatus */
                                 0 /* FCGI_REQUEST_COMPLETE */, 0, 0, 0};
        sbuf_add(out, (const char *)end, sizeof end);
    }
    sbuf_free(&text);
    tt_crash_reply(c->rq.ipcFd, out->s, out->len);
}

/* Send out on c's connection within its time, and close it. */
static void answer(conn *c, const web_response *out)
{
    FCGX_Request *rq = &c->rq;
    int body_broke = fcgi.GetError(rq->in) != 0; /* (answered 400) */
    tt_crash_reply(-1, NULL, 0);
    sock_deadline(rq->ipcFd, c->timeout);
    put(&out->head, rq->out);
    put(&out->body, rq->out);
    rq->keepConnection = 1; /* closed here, not by libfcgi */
    fcgi.Finish_r(rq);      /* (which closes it when it failed) */
    sock_deadline(-1, 0);
    if (rq->ipcFd < 0)
        tt_warn(body_broke ? "FastCGI connection dropped: no complete "
                             "request in %u s (or it broke off)"
                           : "FastCGI connection dropped: the answer not "
                             "taken in %u s (or it broke off)",
                c->timeout);
    sock_close(rq->ipcFd);
    rq->ipcFd = -1;
}

/* SIGTERM or SIGUSR1 came: finish the request, then stop (as libfcgi's
 * own loop does, whose handlers these replace).  The handler wakes the
 * wait for a connection (a byte in a pipe: no wait begun after the check
 * of stopping misses it) and ends one for a client's request. */
static volatile sig_atomic_t stopping;
static int wake_w = -1;

static void on_stop(int sig)
{
    int saved = errno;
    char b = 0;
    ssize_t n;
    (void)sig;
    stopping = 1;
    n = write(wake_w, &b, 1); /* (the pipe full: woken already) */
    (void)n;
    sock_deadline_now();
    errno = saved;
}

/* Requests on the listening socket lsock (0: the socket a FastCGI server
 * gave us) until SIGTERM or it fails; libfcgi is loaded. */
static int run_fcgi(int lsock)
{
    const char *allowed = env("FCGI_WEB_SERVER_ADDRS");
    struct sigaction sa;
    conn c;
    web *w;
    sbuf reply = {0};
    int got = 0, wake[2];

    if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) || sock_nonblock(lsock)) {
        fprintf(stderr, "timtin.cgi: cannot start FastCGI: %s\n",
                strerror(errno));
        return 3;
    }
    wake_w = wake[1];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop; /* no SA_RESTART: a wait in accept ends */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (fcgi.InitRequest(&c.rq, -1, 0) != 0) {
        fprintf(stderr, "timtin.cgi: cannot start FastCGI\n");
        return 3;
    }
    guard(); /* (in the worker: its pid) */
    w = new_web();
    web_long_lived(w);
    c.timeout = web_fastcgi_timeout(w);
    while (!stopping) {
        web_request r;
        web_response out;
        if (!busy(lsock, wake[0])) {
            web_idle(w);
            continue;
        }
        if ((got = take_request(lsock, wake[0], allowed, &c)) < 0)
            break;
        if (!got)
            continue;
        request_of(&c, &r);
        crash_records(w, &c, r.cgi.method && !strcmp(r.cgi.method, "HEAD"),
                      &reply);
        web_handle(w, &r, &out);
        answer(&c, &out);
        web_response_free(&out);
    }
    web_free(w);
    sbuf_free(&reply);
    return got < 0 ? 3 : 0;
}

/* Standard input is a listening socket: a FastCGI server started us (the
 * test FCGX_IsCGI makes, without loading the library). */
static int stdin_listens(void)
{
    int on = 0;
    socklen_t len = sizeof on;
    return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 && on;
}

static int serve(void *lsock)
{
    return run_fcgi(*(int *)lsock);
}

/* FastCGI on address (--listen; NULL: the listening socket on standard
 * input), in n worker processes. */
static int serve_fcgi(const char *address, unsigned n)
{
    tt_err e;
    int lsock = 0, rc;
    if (!address && !stdin_listens()) {
        fprintf(stderr, "timtin.cgi: --workers: standard input is not a "
                        "listening socket; give --listen ADDRESS\n");
        return 2;
    }
    if (load_fcgi())
        return 3;
    if (address && (rc = sock_listen(address, 128, &lsock, &e))) {
        fprintf(stderr, "timtin.cgi: %s\n", e.msg); /* not a socket… */
        return rc == TT_EINVAL || rc == TT_ELOCKED ? 2 : 3;
    }
    return workers_run(n, serve, &lsock);
}

/* ---- from a shell ----------------------------------------------------- */

static int run_args(int argc, char **argv)
{
    int headers = 0, status;
    const char *listen_at = NULL;
    unsigned workers = 0;
    sbuf qs = {0}, reply = {0};
    web_request r = {0};
    web_response out;
    web *w;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            tt_puts_stdout(usage);
            return flushed(0);
        }
        if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            printf("timtin.cgi %s\n", TT_VERSION);
            return flushed(0);
        }
        if (!strcmp(a, "--headers")) {
            headers = 1;
            continue;
        }
        if (!strcmp(a, "--listen") || !strcmp(a, "--workers")) {
            uint64_t n;
            if (i + 1 >= argc) {
                fprintf(stderr, "timtin.cgi: %s needs a value\n", a);
                sbuf_free(&qs);
                return 2;
            }
            if (a[2] == 'l') {
                listen_at = argv[++i];
            } else if (tt_parse_u64(argv[++i], WORKERS_MAX, &n) || !n) {
                fprintf(stderr, "timtin.cgi: --workers: expected a number "
                                "from 1 to %d\n", WORKERS_MAX);
                sbuf_free(&qs);
                return 2;
            } else {
                workers = (unsigned)n;
            }
            continue;
        }
        if (a[0] == '-' || !strchr(a, '=')) {
            fprintf(stderr, "timtin.cgi: expected NAME=VALUE, got \"%s\" "
                            "(try --help)\n", a);
            sbuf_free(&qs);
            return 2;
        }
        /* one pair per argument: a literal '&' belongs to the value */
        if (qs.len)
            sbuf_addc(&qs, '&');
        for (; *a; a++)
            *a == '&' ? sbuf_adds(&qs, "%26") : sbuf_addc(&qs, *a);
    }
    if (listen_at || workers) {
        if (qs.len) {
            fprintf(stderr, "timtin.cgi: --listen and --workers take no "
                            "NAME=VALUE (try --help)\n");
            sbuf_free(&qs);
            return 2;
        }
        return serve_fcgi(listen_at, workers ? workers : 1);
    }
    guard();
    w = new_web();
    crash_reply(w, headers, &reply);
    r.cgi.method = "GET";
    r.cgi.query_string = qs.s;
    web_handle(w, &r, &out);
    status = write_out(&out, headers,
                       out.status == 200   ? 0
                       : out.status == 404 ? 1
                       : out.status < 500  ? 2
                                           : 3);
    web_response_free(&out);
    web_free(w);
    sbuf_free(&qs);
    sbuf_free(&reply);
    return status;
}

int main(int argc, char **argv)
{
    tt_set_progname("timtin.cgi");
    if (env("REQUEST_METHOD"))
        return run_cgi();
    if (argc == 1 && stdin_listens())
        return load_fcgi() ? 3 : run_fcgi(0);
    return run_args(argc, argv);
}
