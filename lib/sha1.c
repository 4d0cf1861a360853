/* sha1.c — see sha1.h.  The only file that includes OpenSSL headers. */
#include "sha1.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

struct sha1_ctx {
    EVP_MD_CTX *md;
};

static void crypto_fail(const char *what)
{
    fprintf(stderr, "%s: OpenSSL %s failed\n", tt_progname(), what);
    abort();
}

static void init(EVP_MD_CTX *md)
{
    if (EVP_DigestInit_ex(md, EVP_sha1(), NULL) != 1)
        crypto_fail("SHA-1 init");
}

sha1_ctx *sha1_new(void)
{
    sha1_ctx *c = xmalloc(sizeof *c);
    c->md = EVP_MD_CTX_new();
    if (!c->md)
        crypto_fail("EVP_MD_CTX_new");
    init(c->md);
    return c;
}

void sha1_update(sha1_ctx *c, const void *p, size_t n)
{
    if (n && EVP_DigestUpdate(c->md, p, n) != 1)
        crypto_fail("SHA-1 update");
}

void sha1_final(sha1_ctx *c, unsigned char out[SHA1_LEN])
{
    unsigned len = 0;
    if (EVP_DigestFinal_ex(c->md, out, &len) != 1 || len != SHA1_LEN)
        crypto_fail("SHA-1 final");
    init(c->md);
}

void sha1_free(sha1_ctx *c)
{
    if (!c)
        return;
    EVP_MD_CTX_free(c->md);
    free(c);
}

void sha1(const void *p, size_t n, unsigned char out[SHA1_LEN])
{
    unsigned len = 0;
    if (EVP_Digest(p, n, out, &len, EVP_sha1(), NULL) != 1 || len != SHA1_LEN)
        crypto_fail("SHA-1");
}

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void sha1_base32(const unsigned char d[SHA1_LEN], char out[SHA1_B32_LEN + 1])
{
    unsigned buf = 0, bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < SHA1_LEN; i++) {
        buf = (buf << 8) | d[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = b32[(buf >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    /* 160 bits = 32 groups of 5: nothing left over */
    out[o] = '\0';
}

int sha1_base32_decode(const char *s, size_t n, unsigned char d[SHA1_LEN])
{
    unsigned buf = 0, bits = 0;
    size_t o = 0;
    if (n != SHA1_B32_LEN)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned v, c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a';
        else if (c >= '2' && c <= '7')
            v = c - '2' + 26;
        else
            return -1;
        buf = (buf << 5) | v;
        bits += 5;
        if (bits >= 8) {
            d[o++] = (unsigned char)(buf >> (bits - 8));
            bits -= 8;
        }
    }
    return 0;
}

void sha1_hex(const unsigned char d[SHA1_LEN], char out[2 * SHA1_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < SHA1_LEN; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * SHA1_LEN] = '\0';
}
