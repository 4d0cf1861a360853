/* sock.h — the FastCGI server's sockets, without libfcgi: the listening
 * socket of --listen (a Unix socket path or HOST:PORT), and connections
 * accepted with time limits, so that a client that sends nothing, or a
 * byte at a time, never holds the process for longer than that.
 *
 * Plain POSIX sockets.  Errors are a TT_* status with a message for the
 * log in *e.  sock_deadline owns SIGALRM and the process's alarm: one
 * connection at a time, in one thread.
 */
#ifndef TT_WEB_SOCK_H
#define TT_WEB_SOCK_H

#include "util.h"

/* Listen on address, with backlog: HOST:PORT (TCP; an empty HOST is every
 * interface, [::1]:PORT an IPv6 address) or else a Unix socket path.  A
 * path is never replaced unless it is a socket nobody listens on (left by
 * a process that died).  TT_OK with the listening socket in *fd;
 * TT_EINVAL for a malformed address or a path that exists and is not a
 * socket, TT_ELOCKED when another process listens on the address,
 * TT_EIO for any other failure (a host that does not resolve, no
 * permission). */
int sock_listen(const char *address, int backlog, int *fd, tt_err *e);

/* Make the listening socket lsock non-blocking, for sock_accept (the
 * processes sharing it take its connections in turn); 0, or -1 with
 * errno. */
int sock_nonblock(int lsock);

/* Wait for a connection on the non-blocking listening socket lsock, or
 * for wake (-1: none) to be readable: a pipe a signal handler writes to,
 * which no wait can miss.  The connection's reads and writes are each
 * bounded by timeout seconds (SO_RCVTIMEO, SO_SNDTIMEO: a Unix socket
 * does not inherit the listener's), Nagle's delay off on TCP.  allowed,
 * when not NULL or "", is FCGI_WEB_SERVER_ADDRS, the addresses a TCP
 * client must have ("127.0.0.1,10.0.0.2,::1"): IPv4 as libfcgi reads it,
 * and IPv6, an IPv4 client of a dual-stack socket checked as IPv4.
 * TT_OK with the connection in *fd, or with *fd -1 when there was none
 * to take (wake, a signal, another process took it, a client gone or not
 * allowed, the process out of file descriptors: said in e->msg, "" when
 * not worth saying); TT_EIO when lsock cannot accept at all. */
int sock_accept(int lsock, int wake, unsigned timeout, const char *allowed,
                int *fd, tt_err *e);

/* After seconds, shut fd down for reading and writing, so that a read or
 * write blocked on it, or to come, returns at once (SIGALRM): the bound on
 * a whole exchange, which the timeouts of each read and write are not (a
 * client sending a byte at a time).  A later call replaces it; seconds 0
 * cancels it. */
void sock_deadline(int fd, unsigned seconds);
/* For a signal handler: what the deadline does, now (when one is set). */
void sock_deadline_now(void);

/* Close a connection after its answer: shut our side down and read what
 * the client sent and was not read (closing with it unread would reset
 * the connection, which can lose the answer on its way), without waiting
 * for more.  -1 is ignored. */
void sock_close(int fd);

#endif
