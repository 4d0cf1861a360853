/* fcgipeek.h — the bound on a FastCGI request's parameters, checked on a
 * connection before libfcgi reads it.  libfcgi 2.4.2 allocates each
 * name-value pair at the lengths the client announces (2 GB each at most;
 * it aborts the process when malloc fails) and keeps parameters of any
 * size; the page needs a few KB of them.
 *
 * fcgipeek_request looks at the records at the head of a connection
 * without taking them (MSG_PEEK) up to the end of the parameters; libfcgi
 * then reads the same bytes.  fcgipeek_scan is its parser, on a buffer.
 * No global state; one connection per call.
 */
#ifndef TT_WEB_FCGIPEEK_H
#define TT_WEB_FCGIPEEK_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Bytes of a request's records up to the end of its parameters (the
 * FCGI_BEGIN_REQUEST record, the parameters and their records' headers
 * and padding): twice the 16 KB of a query string the page takes (in
 * QUERY_STRING and REQUEST_URI) and room for the server's headers. */
#define FCGIPEEK_MAX 65536

/* Where fcgipeek_scan is in the bytes of a connection; zeroed to start. */
typedef struct fcgipeek_state {
    size_t at;              /* the next record not looked at */
    unsigned id;            /* the request's id, once begun */
    int begun;              /* FCGI_BEGIN_REQUEST seen */
    unsigned char len[8];   /* the lengths of the pair being read */
    unsigned got;           /* bytes of len read */
    uint64_t rest;          /* bytes of its name and value to come */
} fcgipeek_state;

/* Look at the records of buf[0..n), the head of a connection (the same
 * bytes, and more, at each call), from where st stopped.  TT_OK with
 * *need 0 when the parameters are complete and within bounds, or with
 * *need the length buf must reach to go on (at most FCGIPEEK_MAX);
 * TT_EINVAL when the request is refused, e->msg saying why ("parameters
 * over 65536 bytes", "a parameter of 2147483647 bytes", not FastCGI). */
int fcgipeek_scan(fcgipeek_state *st, const unsigned char *buf, size_t n,
                  size_t *need, tt_err *e);

/* Wait until the connection fd (a TCP or Unix stream socket) holds the
 * whole parameters of its request, each wait bounded by timeout seconds
 * (and the whole by sock_deadline's alarm, which shuts fd down), and check
 * them, taking no byte.  TT_OK: libfcgi may read the request; TT_EINVAL:
 * refused (e->msg says why); TT_EIO: the connection ended, failed or was
 * shut down before its parameters were complete. */
int fcgipeek_request(int fd, unsigned timeout, tt_err *e);

#endif
