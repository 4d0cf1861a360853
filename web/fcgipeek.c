/* fcgipeek.c — see fcgipeek.h.
 *
 * The records (FastCGI 1.0): an 8-byte header (version 1, type, request
 * id and content length big-endian on 2 bytes each, padding length,
 * reserved), the content, the padding.  A request is FCGI_BEGIN_REQUEST
 * (type 1), then FCGI_PARAMS records (type 4) whose contents, end to
 * end, are the name-value pairs, until an empty one.  A pair is the
 * name's length and the value's (each 1 byte below 128, else 4 bytes
 * with the top bit set), then the name and the value.  Between them
 * libfcgi also takes management records (request id 0; the pairs of an
 * FCGI_GET_VALUES, type 9, are read as a request's are, within its
 * record) and skips records of other request ids: so does this.
 *
 * Waiting for more bytes without taking any: on TCP, poll with
 * SO_RCVLOWAT at the length needed (a peek does not wait past the bytes
 * there); on a Unix socket, which has no SO_RCVLOWAT for poll, a peek from
 * SO_PEEK_OFF, the end of the bytes seen, which waits for new ones.
 */
#include "fcgipeek.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum { BEGIN = 1, PARAMS = 4, GET_VALUES = 9, HEADER = 8 };

/* Go through the pairs in p[0..n) from where st is; TT_OK, or TT_EINVAL
 * when a pair announces more than room bytes. */
static int pairs(fcgipeek_state *st, const unsigned char *p, size_t n,
                 uint64_t room, tt_err *e)
{
    while (n) {
        unsigned a, b;
        if (st->rest) { /* name and value: skipped */
            size_t k = st->rest < n ? (size_t)st->rest : n;
            st->rest -= k;
            p += k;
            n -= k;
            continue;
        }
        st->len[st->got++] = *p++;
        n--;
        a = st->len[0] & 0x80 ? 4 : 1;
        if (st->got < a + 1)
            continue;
        b = st->len[a] & 0x80 ? 4 : 1;
        if (st->got < a + b)
            continue;
        for (unsigned i = 0; i < 2; i++) {
            const unsigned char *l = st->len + (i ? a : 0);
            st->rest += (i ? b : a) == 1
                            ? l[0]
                            : (uint64_t)(l[0] & 0x7f) << 24 |
                                  (uint64_t)l[1] << 16 | l[2] << 8 | l[3];
        }
        st->got = 0;
        if (st->rest > room)
            return tt_seterr(e, TT_EINVAL, "a parameter of %llu bytes "
                             "(parameters take %d at most)",
                             (unsigned long long)st->rest, FCGIPEEK_MAX);
    }
    return TT_OK;
}

int fcgipeek_scan(fcgipeek_state *st, const unsigned char *buf, size_t n,
                  size_t *need, tt_err *e)
{
    tt_clearerr(e);
    for (;;) {
        const unsigned char *h = buf + st->at, *c = h + HEADER;
        size_t len = 0, end = st->at + HEADER;
        unsigned id = 0;
        int rc;
        if (end <= n) {
            len = (size_t)h[4] << 8 | h[5];
            id = (unsigned)h[2] << 8 | h[3];
            end += len + h[6];
            if (h[0] != 1)
                return tt_seterr(e, TT_EINVAL, "not a FastCGI record "
                                 "(version %u)", h[0]);
        }
        if (end > FCGIPEEK_MAX)
            return tt_seterr(e, TT_EINVAL, "parameters over %d bytes",
                             FCGIPEEK_MAX);
        if (end > n) { /* the header or the record not all there */
            *need = end;
            return TT_OK;
        }
        st->at = end;
        if (h[1] == BEGIN && !st->begun) {
            if (id == 0 || len != 8)
                return tt_seterr(e, TT_EINVAL, "a malformed "
                                 "FCGI_BEGIN_REQUEST");
            st->begun = 1;
            st->id = id;
        } else if (h[1] == BEGIN) {
            continue; /* another request: libfcgi refuses it */
        } else if (id == 0) { /* a management record */
            fcgipeek_state m = {0};
            if (h[1] != GET_VALUES)
                continue;
            if ((rc = pairs(&m, c, len, len, e)))
                return rc;
            if (m.got || m.rest)
                return tt_seterr(e, TT_EINVAL, "a malformed "
                                 "FCGI_GET_VALUES");
        } else if (!st->begun || id != st->id) {
            continue; /* skipped by libfcgi too */
        } else if (h[1] != PARAMS) {
            return tt_seterr(e, TT_EINVAL, "a record of type %u before "
                             "the end of the parameters", h[1]);
        } else if (len == 0) { /* their end */
            if (st->got || st->rest)
                return tt_seterr(e, TT_EINVAL, "the parameters end in a "
                                 "pair");
            *need = 0;
            return TT_OK;
        } else if ((rc = pairs(st, c, len, FCGIPEEK_MAX, e))) {
            return rc;
        }
    }
}

int fcgipeek_request(int fd, unsigned timeout, tt_err *e)
{
    unsigned char *buf = xmalloc(FCGIPEEK_MAX);
    fcgipeek_state st = {0};
    struct sockaddr_storage a;
    socklen_t alen = sizeof a;
    size_t have = 0, need = 1;
    int rc, unix_socket, off = 0, one = 1;

    tt_clearerr(e);
    unix_socket = getsockname(fd, (struct sockaddr *)&a, &alen) == 0 &&
                  a.ss_family == AF_UNIX;
    if (unix_socket &&
        setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof off)) {
        rc = tt_seterr(e, TT_EIO, "cannot peek at a connection: %s",
                       strerror(errno));
        goto fail;
    }
    while ((rc = fcgipeek_scan(&st, buf, have, &need, e)) == TT_OK &&
           need) {
        ssize_t n;
        if (unix_socket) { /* from the offset: have */
            n = recv(fd, buf + have, FCGIPEEK_MAX - have, MSG_PEEK);
            if (n <= 0)
                break;
            have += (size_t)n;
        } else {
            int lowat = (int)need;
            struct pollfd p = {fd, POLLIN, 0};
            if (setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat,
                           sizeof lowat) ||
                poll(&p, 1, (int)timeout * 1000) <= 0)
                break;
            n = recv(fd, buf, FCGIPEEK_MAX, MSG_PEEK | MSG_DONTWAIT);
            if (n <= (ssize_t)have) /* ended, failed, shut down */
                break;
            have = (size_t)n;
        }
    }
    if (rc == TT_OK && need)
        rc = tt_seterr(e, TT_EIO, "the connection ended before its "
                       "parameters");
fail:
    off = -1;
    if (unix_socket)
        setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof off);
    else
        setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
    free(buf);
    return rc;
}
