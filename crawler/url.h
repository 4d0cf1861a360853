/* url.h — absolute http(s) URLs as the crawler keys them: parsing,
 * resolution of references (RFC 3986, section 5), normalisation, and a
 * 64-bit hash for the seen-URL table.
 *
 * Normal form: scheme and host in lower case, no default port, no
 * userinfo, no fragment, dot segments removed, percent-escapes in upper
 * case, unreserved characters unescaped, bytes a URL cannot hold (spaces,
 * non-ASCII, controls) escaped, tracking parameters dropped (url_rules), an
 * empty query dropped.  A trailing slash is kept: /a/ and /a are two URLs
 * (relative references resolve differently, robots.txt rules differ, a
 * server may redirect one to the other); url_drop_trailing_slash gives
 * the form that ignores it, for keys.
 * Functions keep no state; all are thread-safe.  URLs longer than URL_MAX
 * bytes are refused (TT_EINVAL).
 */
#ifndef TT_URL_H
#define TT_URL_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define URL_MAX 4096 /* bytes of a URL, before and after normalisation */

typedef struct url_rules {
    /* Query parameters to drop: exact names, or prefixes ending in '*'
     * ("utm_*").  NULL-terminated; NULL = url_default_strip. */
    const char *const *strip;
} url_rules;

/* The default tracking parameters: utm_*, fbclid, gclid, zarsrc, … */
extern const char *const url_default_strip[];

/* Normalise the absolute URL (s, n) into out (appended).  rules may be NULL
 * (defaults).  TT_EINVAL when s is not an absolute http/https URL, has no
 * host, or is too long; out is then unchanged. */
int url_normalize(const char *s, size_t n, const url_rules *rules,
                  sbuf *out);
/* Resolve reference (ref, n) against the absolute base URL and normalise
 * the result into out (appended).  TT_EINVAL when the result is not an
 * http/https URL (mailto:, javascript:, data:…) or is malformed. */
int url_resolve(const char *base, const char *ref, size_t n,
                const url_rules *rules, sbuf *out);

/* 1 when the URL (s, n) has a host name with non-ASCII bytes (an
 * internationalised name not written in punycode, "xn--..."): such URLs
 * are refused, there being no IDNA conversion here; callers say why. */
int url_idn_host(const char *s, size_t n);

/* Append the normalised url without the trailing slashes of its path
 * (the root's kept): "https://x.vn/a/?q" -> "https://x.vn/a?q".  A key
 * for sites that serve /a/ and /a as one page; never a URL to fetch. */
void url_drop_trailing_slash(const char *url, sbuf *out);

/* The authority of a normalised URL ("host" or "host:port") into buf
 * (NUL-terminated); 0, or -1 when it does not fit or url has none. */
int url_host(const char *url, char *buf, size_t cap);
/* The origin ("http://host:port") length: bytes of url up to its path. */
size_t url_origin_len(const char *url);
/* The path and query of a normalised URL ("/a/b?c"): a pointer into url
 * ("/" when there is nothing after the authority). */
const char *url_path(const char *url);

/* Append the path or query bytes (p, n) to b with escapes normalised as
 * in a normalised URL: unreserved characters decoded, other escapes in
 * upper case, bytes outside !$&'()*+,;=:@/? and the unreserved ones
 * escaped (robots.txt patterns are compared in this form). */
void url_add_escaped(sbuf *b, const char *p, size_t n);

/* A 64-bit hash of (s, n) (FNV-1a with a final avalanche). */
uint64_t url_hash(const char *s, size_t n);

#endif
