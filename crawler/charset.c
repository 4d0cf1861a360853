/* charset.c — see charset.h. */
#include "charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "unicode.h"

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Copy a label (letters, digits, - _ . : and nothing else) lower-cased;
 * 0, or -1 when empty or too long. */
static int take_label(const char *p, size_t n, char label[CS_MAX_LABEL])
{
    size_t k = 0;
    while (n && (*p == ' ' || *p == '"' || *p == '\''))
        p++, n--;
    while (k < n && ((p[k] >= 'a' && p[k] <= 'z') ||
                     (p[k] >= 'A' && p[k] <= 'Z') ||
                     (p[k] >= '0' && p[k] <= '9') || p[k] == '-' ||
                     p[k] == '_' || p[k] == '.' || p[k] == ':'))
        k++;
    if (k == 0 || k >= CS_MAX_LABEL)
        return -1;
    for (size_t i = 0; i < k; i++)
        label[i] = (char)lc((unsigned char)p[i]);
    label[k] = '\0';
    return 0;
}

/* Case-insensitive search for needle in (h, n). */
static const char *find_ci(const char *h, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (!strncasecmp(h + i, needle, m))
            return h + i;
    return NULL;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The value of name ("charset", "encoding") in (h, n): the first
 * occurrence followed by '=', with white space allowed on either side of
 * it (as HTML's and XML's attribute syntax allow), into label: 0, or -1
 * when there is none. */
static int param(const char *h, size_t n, const char *name,
                 char label[CS_MAX_LABEL])
{
    const char *end = h + n, *p = h;
    size_t m = strlen(name);
    while ((p = find_ci(p, (size_t)(end - p), name)) != NULL) {
        const char *q = p + m;
        p = q;
        while (q < end && is_space((unsigned char)*q))
            q++;
        if (q == end || *q != '=')
            continue;
        q++;
        while (q < end && is_space((unsigned char)*q))
            q++;
        return take_label(q, (size_t)(end - q), label);
    }
    return -1;
}

int cs_from_content_type(const char *ct, char label[CS_MAX_LABEL])
{
    if (!ct)
        return -1;
    return param(ct, strlen(ct), "charset", label);
}

/* A label of a charset whose bytes are not ASCII's: markup that names it
 * was read as ASCII, so it is not true (WHATWG's labels of UTF-16LE and
 * UTF-16BE, and UTF-32's). */
static int wide(const char *l)
{
    static const char *const w[] = {
        "utf-16", "utf-16le", "utf-16be", "ucs-2", "iso-10646-ucs-2",
        "csunicode", "unicode", "unicodefeff", "unicodefffe", "utf-32",
        "utf-32le", "utf-32be", "ucs-4", NULL};
    for (const char *const *x = w; *x; x++)
        if (!strcmp(l, *x))
            return 1;
    return 0;
}

/* The label markup declares, as it is to be used: a wide charset named
 * in ASCII-readable bytes means UTF-8, as in HTML's prescan. */
static int declared(char label[CS_MAX_LABEL])
{
    if (wide(label))
        strcpy(label, "utf-8");
    return 0;
}

int cs_from_markup(const char *body, size_t n, char label[CS_MAX_LABEL])
{
    const char *p, *end;
    if (n > CS_SNIFF_BYTES)
        n = CS_SNIFF_BYTES;
    end = body + n;
    /* <?xml ... encoding="..."?> */
    if (n > 5 && !memcmp(body, "<?xml", 5)) {
        const char *q = memchr(body, '>', n);
        if (param(body, q ? (size_t)(q - body) : n, "encoding", label) == 0)
            return declared(label);
    }
    for (p = body; (p = find_ci(p, (size_t)(end - p), "<meta")) != NULL;
         p += 5) {
        const char *gt = memchr(p, '>', (size_t)(end - p));
        size_t len = gt ? (size_t)(gt - p) : (size_t)(end - p);
        if (param(p, len, "charset", label) == 0)
            return declared(label);
    }
    return -1;
}

void cs_detect(const char *content_type, const char *body, size_t n,
               char label[CS_MAX_LABEL])
{
    if (n >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3)) {
        strcpy(label, "utf-8");
        return;
    }
    if (n >= 2 && (!memcmp(body, "\xFF\xFE", 2) || !memcmp(body, "\xFE\xFF", 2))) {
        strcpy(label, body[0] == '\xFF' ? "utf-16le" : "utf-16be");
        return;
    }
    if (cs_from_content_type(content_type, label) == 0)
        return;
    if (cs_from_markup(body, n, label) == 0)
        return;
    strcpy(label, "utf-8");
}

static int is_utf8(const char *l)
{
    return !strcmp(l, "utf-8") || !strcmp(l, "utf8") ||
           !strcmp(l, "unicode-1-1-utf-8");
}

int cs_to_utf8(const char *label, const char *in, size_t n, sbuf *out,
               tt_err *e)
{
    const char *from = label;
    iconv_t cd;
    char buf[8192];
    char *ip = (char *)(uintptr_t)in;
    size_t il = n;
    if (is_utf8(label)) {
        if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3))
            in += 3, n -= 3;
        if (uni_valid(in, n))
            sbuf_add(out, in, n);
        else
            uni_sanitize(in, n, out);
        return TT_OK;
    }
    if (!strcmp(label, "latin1") || !strcmp(label, "iso-8859-1") ||
        !strcmp(label, "us-ascii") || !strcmp(label, "ascii") ||
        !strcmp(label, "iso8859-1") || !strcmp(label, "l1"))
        from = "WINDOWS-1252";
    cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return tt_seterr(e, TT_EINVAL, "unknown charset \"%s\"", label);
    if (out->s == NULL)
        sbuf_add(out, "", 0);
    while (il > 0) {
        char *op = buf;
        size_t ol = sizeof buf;
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        sbuf_add(out, buf, (size_t)(op - buf));
        if (r == (size_t)-1) {
            if (errno == E2BIG)
                continue;
            /* EILSEQ or EINVAL (truncated at the end): one bad byte */
            sbuf_adds(out, "\xEF\xBF\xBD");
            ip++;
            il--;
        }
    }
    {
        char *op = buf;
        size_t ol = sizeof buf;
        iconv(cd, NULL, NULL, &op, &ol);
        sbuf_add(out, buf, (size_t)(op - buf));
    }
    iconv_close(cd);
    return TT_OK;
}
