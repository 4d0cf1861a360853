/* unicode.c — see unicode.h.  The one file that includes <utf8proc.h>. */
#include "unicode.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t uni_decode(const char *str, size_t n, int32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t need, i;
    int32_t v;

    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = (int32_t)(c & 0x1F);
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = (int32_t)(c & 0x0F);
        if (c == 0xE0)
            lo = 0xA0;          /* overlong */
        else if (c == 0xED)
            hi = 0x9F;          /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = (int32_t)(c & 0x07);
        if (c == 0xF0)
            lo = 0x90;          /* overlong */
        else if (c == 0xF4)
            hi = 0x8F;          /* > U+10FFFF */
    } else {
        *cp = UNI_REPLACEMENT;  /* continuation byte, C0, C1, F5-FF */
        return 1;
    }
    for (i = 1; i <= need; i++) {
        unsigned b;
        if (i >= n)
            goto bad;
        b = s[i];
        if (b < lo || b > hi)
            goto bad;
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (int32_t)(b & 0x3F);
    }
    *cp = v;
    return need + 1;
bad:
    *cp = UNI_REPLACEMENT;
    return i;                   /* the maximal invalid prefix */
}

size_t uni_encode(int32_t cp, char out[4])
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = UNI_REPLACEMENT;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

void uni_addcp(sbuf *b, int32_t cp)
{
    char tmp[4];
    sbuf_add(b, tmp, uni_encode(cp, tmp));
}

int uni_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        size_t k;
        unsigned c = u[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* the common well-formed 2- and 3-byte forms, inline */
        if (c >= 0xC2 && c < 0xE0 && n - i >= 2 && (u[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        if (c > 0xE0 && c < 0xF0 && c != 0xED && c != 0xEF && n - i >= 3 &&
            (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        k = uni_decode(s + i, n - i, &cp);
        if (cp == UNI_REPLACEMENT &&    /* or a real U+FFFD? */
            !(k == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
            return 0;
        i += k;
    }
    return 1;
}

void uni_sanitize(const char *s, size_t n, sbuf *b)
{
    size_t i = 0, run = 0;      /* s[run..i) is valid, not yet copied */
    while (i < n) {
        int32_t cp;
        size_t k;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        k = uni_decode(s + i, n - i, &cp);
        if (cp == UNI_REPLACEMENT && !(k == 3 &&
                                       memcmp(s + i, "\xEF\xBF\xBD", 3) == 0)) {
            sbuf_add(b, s + run, i - run);
            sbuf_add(b, "\xEF\xBF\xBD", 3);
            run = i + k;
        }
        i += k;
    }
    sbuf_add(b, s + run, n - run);
    if (!b->s)
        sbuf_add(b, "", 0);
}

/* Run utf8proc_map over s[0..n) after sanitising; append to b. */
static void map(const char *s, size_t n, utf8proc_option_t opt, int lower,
                sbuf *b)
{
    sbuf clean = {0};
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t m;

    if (!uni_valid(s, n)) {
        uni_sanitize(s, n, &clean);
        s = clean.s;
        n = clean.len;
    }
    m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
                     opt);
    if (m < 0) {
        if (m == UTF8PROC_ERROR_NOMEM)
            tt_die(3, "out of memory in utf8proc");
        sbuf_add(b, s, n);      /* cannot happen on valid input */
    } else if (!lower) {
        sbuf_add(b, (const char *)out, (size_t)m);
    } else {
        size_t i = 0;
        while (i < (size_t)m) {
            int32_t cp;
            i += uni_decode((const char *)out + i, (size_t)m - i, &cp);
            uni_addcp(b, utf8proc_tolower(cp));
        }
    }
    if (!b->s)
        sbuf_add(b, "", 0);
    free(out);
    sbuf_free(&clean);
}

void uni_nfc(const char *s, size_t n, int lower, sbuf *b)
{
    map(s, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE, lower, b);
}

int uni_maybe_decomposed(const char *s, size_t n)
{
    return memchr(s, 0xCC, n) != NULL || memchr(s, 0xCD, n) != NULL;
}

void uni_strip_marks(const char *s, size_t n, sbuf *b)
{
    sbuf low = {0};
    /* lower first: a few upper-case letters decompose differently */
    map(s, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE, 1, &low);
    map(low.s, low.len, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
        UTF8PROC_STRIPMARK, 0, b);
    sbuf_free(&low);
}

int uni_class(int32_t cp)
{
    if (cp < 0x80) {
        if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
            return UNI_SPACE;
    }
    if (cp < 0 || cp > 0x10FFFF)
        return UNI_OTHER;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return UNI_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return UNI_MARK;
    case UTF8PROC_CATEGORY_ND:
        return UNI_DIGIT;
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return UNI_NUMBER;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return UNI_PUNCT;
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK: case UTF8PROC_CATEGORY_SO:
        return UNI_SYMBOL;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return UNI_SPACE;
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
        return UNI_CONTROL;
    default:
        return UNI_OTHER;
    }
}

int uni_isupper(int32_t cp)
{
    utf8proc_category_t c;
    if (cp < 0 || cp > 0x10FFFF)
        return 0;
    c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int32_t uni_tolower(int32_t cp)
{
    return cp < 0 || cp > 0x10FFFF ? cp : utf8proc_tolower(cp);
}

int32_t uni_toupper(int32_t cp)
{
    return cp < 0 || cp > 0x10FFFF ? cp : utf8proc_toupper(cp);
}

static size_t decompose(int32_t cp, int32_t *out, size_t max, int opt)
{
    int last = 0;
    utf8proc_ssize_t m;
    if (cp < 0 || cp > 0x10FFFF || max == 0)
        return 0;
    m = utf8proc_decompose_char(cp, out, (utf8proc_ssize_t)max,
                                (utf8proc_option_t)opt, &last);
    if (m < 0 || (size_t)m > max)
        return 0;
    return (size_t)m;
}

size_t uni_decompose(int32_t cp, int32_t *out, size_t max)
{
    return decompose(cp, out, max, UTF8PROC_DECOMPOSE);
}

size_t uni_decompose_compat(int32_t cp, int32_t *out, size_t max)
{
    return decompose(cp, out, max, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT);
}

int uni_isideo(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) ||     /* Hiragana, Katakana */
           (cp >= 0x3400 && cp <= 0x4DBF) ||     /* CJK ext. A */
           (cp >= 0x4E00 && cp <= 0x9FFF) ||     /* CJK unified */
           (cp >= 0xF900 && cp <= 0xFAFF) ||     /* compatibility */
           (cp >= 0x20000 && cp <= 0x3FFFF);     /* ext. B and later */
}

size_t uni_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

const char *uni_version(void)
{
    return utf8proc_unicode_version();
}
