/* sock.c — see sock.h.
 *
 * libfcgi's FCGX_OpenSocket is not used: it unlinks whatever is at a
 * socket path before binding (a config file, another instance's socket),
 * and exits the process when a port is in use or a host does not
 * resolve.
 */
#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* Bind and listen on a new socket of family f at a; 0, or -1 with errno. */
static int bind_listen(int f, const struct sockaddr *a, socklen_t alen,
                       int backlog, int *fd)
{
    int s = socket(f, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1, err;
    if (s < 0)
        return -1;
    if (f != AF_UNIX)
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(s, a, alen) == 0 && listen(s, backlog) == 0) {
        *fd = s;
        return 0;
    }
    err = errno;
    close(s);
    errno = err;
    return -1;
}

/* Whether a process listens on the Unix socket at a: 1, 0 (nobody: a
 * socket left behind), -1 with errno when it cannot be told. */
static int unix_in_use(const struct sockaddr_un *a)
{
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;
    if (s < 0)
        return -1;
    rc = connect(s, (const struct sockaddr *)a, sizeof *a);
    if (rc == 0)
        rc = 1;
    else if (errno == ECONNREFUSED)
        rc = 0;
    close(s);
    return rc;
}

static int listen_unix(const char *path, int backlog, int *fd, tt_err *e)
{
    struct sockaddr_un a;
    struct stat st;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (!*path || strlen(path) >= sizeof a.sun_path)
        return tt_seterr(e, TT_EINVAL, "%.200s: not a socket path (1 to "
                         "%zu bytes)", path, sizeof a.sun_path - 1);
    memcpy(a.sun_path, path, strlen(path));
    if (lstat(path, &st) == 0) {
        int used;
        if (!S_ISSOCK(st.st_mode))
            return tt_seterr(e, TT_EINVAL, "%s exists and is not a socket: "
                             "not replaced", path);
        if ((used = unix_in_use(&a)) < 0)
            return tt_seterr(e, TT_EIO, "%s: cannot tell whether it is in "
                             "use: %s", path, strerror(errno));
        if (used)
            return tt_seterr(e, TT_ELOCKED, "%s: another process listens on "
                             "it", path);
        if (unlink(path) && errno != ENOENT) /* left by a process gone */
            return tt_seterr(e, TT_EIO, "%s: cannot remove the socket left "
                             "there: %s", path, strerror(errno));
    } else if (errno != ENOENT) {
        return tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    }
    if (bind_listen(AF_UNIX, (struct sockaddr *)&a, sizeof a, backlog, fd))
        return tt_seterr(e, errno == EADDRINUSE ? TT_ELOCKED : TT_EIO,
                         "cannot listen on %s: %s", path, strerror(errno));
    return TT_OK;
}

static int listen_tcp(const char *address, const char *colon, int backlog,
                      int *fd, tt_err *e)
{
    char host[256];
    const char *port = colon + 1;
    size_t hlen = (size_t)(colon - address);
    uint64_t n;
    struct addrinfo hints, *res = NULL, *ai;
    int rc, err = 0;

    if (tt_parse_u64(port, 65535, &n) || n == 0)
        return tt_seterr(e, TT_EINVAL, "%.200s: expected HOST:PORT, PORT "
                         "from 1 to 65535", address);
    if (hlen >= 2 && address[0] == '[' && colon[-1] == ']') { /* [::1] */
        address++;
        hlen -= 2;
    }
    if (hlen >= sizeof host)
        return tt_seterr(e, TT_EINVAL, "%.200s: host name too long", address);
    memcpy(host, address, hlen);
    host[hlen] = '\0';
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    hints.ai_family = hlen ? AF_UNSPEC : AF_INET; /* ":PORT": every IPv4
                                                     interface, as before */
    if ((rc = getaddrinfo(hlen ? host : NULL, port, &hints, &res)))
        return tt_seterr(e, TT_EIO, "cannot listen on %s: %s", address,
                         gai_strerror(rc));
    for (ai = res; ai; ai = ai->ai_next) {
        if (bind_listen(ai->ai_family, ai->ai_addr, ai->ai_addrlen, backlog,
                        fd) == 0)
            break;
        if (!err || errno == EADDRINUSE)
            err = errno;
    }
    freeaddrinfo(res);
    if (!ai)
        return tt_seterr(e, err == EADDRINUSE ? TT_ELOCKED : TT_EIO,
                         "cannot listen on %s: %s%s", address, strerror(err),
                         err == EADDRINUSE ? " (another process listens "
                                             "on it)"
                                           : "");
    return TT_OK;
}

int sock_listen(const char *address, int backlog, int *fd, tt_err *e)
{
    const char *colon = strrchr(address, ':');
    *fd = -1;
    /* HOST:PORT, unless it is a path ("/run/a:b") */
    if (colon && address[0] != '/' && address[0] != '.')
        return listen_tcp(address, colon, backlog, fd, e);
    return listen_unix(address, backlog, fd, e);
}

/* An IP address as FCGI_WEB_SERVER_ADDRS compares them: an IPv4
 * address mapped into IPv6 (::ffff:a.b.c.d, as a dual-stack socket gives
 * an IPv4 client) is the IPv4 address; family 0 for none. */
typedef struct ipaddr {
    int family;
    unsigned char b[16];
} ipaddr;

/* The address written in text into *a. */
static void ip_of(const char *text, ipaddr *a)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
                                             0, 0, 0, 0, 0xff, 0xff};
    memset(a, 0, sizeof *a);
    if (inet_pton(AF_INET, text, a->b) == 1) {
        a->family = AF_INET;
    } else if (inet_pton(AF_INET6, text, a->b) == 1) {
        a->family = AF_INET6;
        if (!memcmp(a->b, mapped, sizeof mapped)) {
            memmove(a->b, a->b + 12, 4);
            memset(a->b + 4, 0, 12);
            a->family = AF_INET;
        }
    }
}

/* The address of peer into *a, and as text into ip (a mapped IPv4
 * address as IPv4); 0, or -1 when peer has none (a Unix socket). */
static int peer_ip(const struct sockaddr_storage *peer, ipaddr *a,
                   char ip[INET6_ADDRSTRLEN])
{
    const void *in;
    if (peer->ss_family == AF_INET)
        in = &((const struct sockaddr_in *)peer)->sin_addr;
    else if (peer->ss_family == AF_INET6)
        in = &((const struct sockaddr_in6 *)peer)->sin6_addr;
    else
        return -1;
    inet_ntop(peer->ss_family, in, ip, INET6_ADDRSTRLEN);
    ip_of(ip, a);
    if (a->family == AF_INET)
        inet_ntop(AF_INET, a->b, ip, INET6_ADDRSTRLEN);
    return 0;
}

/* Whether the address a is in the comma-separated list (IPv4 and IPv6
 * addresses, in any of their spellings; blanks around them allowed). */
static int listed(const char *list, const ipaddr *a)
{
    for (const char *p = list; *p; p += *p == ',') {
        char text[INET6_ADDRSTRLEN + 8];
        size_t k;
        ipaddr x;
        p += strspn(p, " \t");
        k = strcspn(p, ",");
        while (k && (p[k - 1] == ' ' || p[k - 1] == '\t'))
            k--;
        if (k < sizeof text) {
            memcpy(text, p, k);
            text[k] = '\0';
            ip_of(text, &x);
            if (x.family && !memcmp(&x, a, sizeof x))
                return 1;
        }
        p += strcspn(p, ",");
    }
    return 0;
}

int sock_nonblock(int lsock)
{
    int fl = fcntl(lsock, F_GETFL);
    return fl < 0 ? -1 : fcntl(lsock, F_SETFL, fl | O_NONBLOCK);
}

int sock_accept(int lsock, int wake, unsigned timeout, const char *allowed,
                int *fd, tt_err *e)
{
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    struct timeval tv = {(time_t)timeout, 0};
    struct pollfd p[2] = {{lsock, POLLIN, 0}, {wake, POLLIN, 0}};
    char text[INET6_ADDRSTRLEN];
    ipaddr ip;
    int s, on = 1;

    *fd = -1;
    tt_clearerr(e);
    if (poll(p, wake >= 0 ? 2 : 1, -1) < 0)
        return errno == EINTR ? TT_OK
                              : tt_seterr(e, TT_EIO, "cannot wait for "
                                          "connections: %s", strerror(errno));
    if (wake >= 0 && p[1].revents)
        return TT_OK;
    s = accept4(lsock, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
    if (s < 0) {
        switch (errno) {
        case EMFILE: case ENFILE: case ENOBUFS: case ENOMEM:
            /* the connection waits in the backlog: a pause, not a loop
             * that logs as fast as it can */
            tt_seterr(e, TT_OK, "cannot accept a connection: %s",
                      strerror(errno));
            poll(NULL, 0, 100);
            return TT_OK;
        case EBADF: case EINVAL: case ENOTSOCK: case EOPNOTSUPP:
        case EFAULT:
            return tt_seterr(e, TT_EIO, "cannot accept connections: %s",
                             strerror(errno));
        default: /* another process took it (EAGAIN), the client gone
                  * before it was taken (ECONNABORTED…), a signal */
            return TT_OK;
        }
    }
    if (allowed && *allowed && peer_ip(&peer, &ip, text) == 0) {
        if (!listed(allowed, &ip)) {
            close(s);
            tt_seterr(e, TT_OK, "refused a connection from %s (not in "
                      "FCGI_WEB_SERVER_ADDRS)", text);
            return TT_OK;
        }
    }
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (peer.ss_family == AF_INET || peer.ss_family == AF_INET6)
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    *fd = s;
    return TT_OK;
}

/* the connection sock_deadline shuts down when the alarm rings */
static volatile sig_atomic_t deadline_fd = -1;

void sock_deadline_now(void)
{
    int saved = errno;
    if (deadline_fd >= 0)
        shutdown(deadline_fd, SHUT_RDWR);
    errno = saved;
}

static void on_alarm(int sig)
{
    (void)sig;
    sock_deadline_now();
}

void sock_deadline(int fd, unsigned seconds)
{
    static int installed;
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm; /* no SA_RESTART: a blocked read ends */
        sigemptyset(&sa.sa_mask);
        sigaction(SIGALRM, &sa, NULL);
        installed = 1;
    }
    alarm(0);
    deadline_fd = seconds ? fd : -1;
    if (seconds)
        alarm(seconds);
}

void sock_close(int fd)
{
    char junk[4096];
    ssize_t n;
    size_t total = 0;
    if (fd < 0)
        return;
    shutdown(fd, SHUT_WR);
    while (total < 1 << 16 &&
           (n = recv(fd, junk, sizeof junk, MSG_DONTWAIT)) > 0)
        total += (size_t)n;
    close(fd);
}
