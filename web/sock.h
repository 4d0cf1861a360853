/* sock.h — the FastCGI server's sockets, without libfcgi: the listening
 * socket of --listen (a Unix socket path or HOST:PORT).
 *
 * Plain POSIX sockets; no global state.  Errors are a TT_* status with a
 * message for the log in *e.
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

#endif
