/* sha1.h — SHA-1 digests (through OpenSSL's EVP API; the only door to
 * libcrypto) and their RFC 4648 base32 form, as WARC digests use it
 * ("sha1:" followed by 32 upper-case base32 characters).
 *
 * SHA-1 serves here as a content fingerprint (WARC-Block-Digest, duplicate
 * detection), not for security.  A sha1_ctx is owned by its creator and is
 * not thread-safe; the one-shot functions keep no state.  An OpenSSL
 * failure (out of memory) aborts with a message, like xmalloc.
 */
#ifndef TT_SHA1_H
#define TT_SHA1_H

#include <stddef.h>

#define SHA1_LEN 20     /* digest bytes */
#define SHA1_B32_LEN 32 /* base32 characters of a digest (no padding) */

typedef struct sha1_ctx sha1_ctx;

/* A new incremental digest, ready for sha1_update. */
sha1_ctx *sha1_new(void);
void sha1_update(sha1_ctx *c, const void *p, size_t n);
/* Write the digest of everything fed since creation or the last
 * sha1_final into out, and start over (the context is reusable). */
void sha1_final(sha1_ctx *c, unsigned char out[SHA1_LEN]);
void sha1_free(sha1_ctx *c); /* NULL is fine */

/* One-shot digest of (p, n). */
void sha1(const void *p, size_t n, unsigned char out[SHA1_LEN]);

/* RFC 4648 base32 (alphabet A-Z2-7), upper case: 20 bytes give exactly 32
 * characters, so no padding; out receives them plus a NUL. */
void sha1_base32(const unsigned char d[SHA1_LEN], char out[SHA1_B32_LEN + 1]);
/* Decode 32 base32 characters (either case) into d: 0, or -1 when s is
 * not exactly that. */
int sha1_base32_decode(const char *s, size_t n, unsigned char d[SHA1_LEN]);
/* Lower-case hex (40 characters plus a NUL). */
void sha1_hex(const unsigned char d[SHA1_LEN], char out[2 * SHA1_LEN + 1]);

#endif
