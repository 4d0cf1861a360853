/* util.c — see util.h. */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *progname = "timtin";

void tt_set_progname(const char *argv0)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    if (argv0)
        progname = slash ? slash + 1 : argv0;
}

const char *tt_progname(void) { return progname; }

int tt_seterr(tt_err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        e->code = code;
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void tt_clearerr(tt_err *e)
{
    if (e) {
        e->code = TT_OK;
        e->msg[0] = '\0';
    }
}

void tt_die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", progname);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

void tt_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", progname);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try --help)\n");
    va_end(ap);
    exit(2);
}

void tt_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: warning: ", progname);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int stdout_errno; /* of a write tt_puts_stdout saw fail */

int tt_puts_stdout(const char *s)
{
    int rc = fputs(s, stdout);
    if (rc == EOF && !stdout_errno)
        stdout_errno = errno;
    return rc;
}

int tt_check_stdout(void)
{
    int err = fflush(stdout) != 0 ? errno : 0;
    if (!err && !ferror(stdout))
        return 0;
    if (!err)
        err = stdout_errno;
    /* no reason when only an earlier write failed, and not through
     * tt_puts_stdout: its errno is gone */
    fprintf(stderr, "%s: error writing standard output%s%s\n", progname,
            err ? ": " : "", err ? strerror(err) : "");
    return -1;
}

/* the byte length of the control character at p (C1: 0xC2 0x80-0x9F), or
 * 0 when there is none */
static size_t control_at(const unsigned char *p)
{
    if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
        return 2;
    return *p < 0x20 || *p == 0x7F ? 1 : 0;
}

void tt_clean_controls(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++) {
        size_t n = control_at(p);
        if (n == 2)
            *p++ = '?';
        if (n)
            *p = *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : '?';
    }
}

int tt_has_controls(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (control_at(p))
            return 1;
    return 0;
}

int tt_web_url(const char *u)
{
    if (!u || (strncasecmp(u, "http://", 7) && strncasecmp(u, "https://", 8)))
        return 0;
    for (; *u; u++)
        if ((unsigned char)*u <= ' ' || *u == 0x7f)
            return 0;
    return 1;
}

static void oom(size_t n)
{
    fprintf(stderr, "%s: out of memory (allocating %zu bytes)\n", progname, n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void xfree_all(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void xgrow(void *pp, size_t *cap, size_t need, size_t elem)
{
    void **p = pp;
    size_t c = *cap;
    if (need <= c)
        return;
    if (c < 8)
        c = 8;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem)
            oom(need * elem);
        c *= 2;
    }
    *p = xrealloc(*p, c * elem);
    *cap = c;
}

void sbuf_add(sbuf *b, const char *p, size_t n)
{
    xgrow(&b->s, &b->cap, b->len + n + 1, 1);
    if (n)
        memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sbuf_adds(sbuf *b, const char *s) { sbuf_add(b, s, strlen(s)); }

void sbuf_addc(sbuf *b, char c) { sbuf_add(b, &c, 1); }

void sbuf_vaddf(sbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    xgrow(&b->s, &b->cap, b->len + (size_t)n + 1, 1);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sbuf_addf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vaddf(b, fmt, ap);
    va_end(ap);
}

void sbuf_reset(sbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

void sbuf_free(sbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

char *sbuf_detach(sbuf *b, size_t *len)
{
    char *s = b->s ? b->s : xstrdup("");
    if (len)
        *len = b->len;
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

/* The slot of key (not 0): where it is, or the empty one it would take.
 * The key is mixed first: raw FNV hashes have weak low bits. */
static uint64_t *u64set_slot(const u64set *s, uint64_t key)
{
    size_t m = s->cap - 1, i;
    uint64_t h = key ^ (key >> 33);
    h *= 0xff51afd7ed558ccdull;
    i = (size_t)(h ^ (h >> 33)) & m;
    while (s->v[i] && s->v[i] != key)
        i = (i + 1) & m;
    return &s->v[i];
}

int u64set_has(const u64set *s, uint64_t key)
{
    if (!key)
        return s->has0;
    return s->cap && *u64set_slot(s, key) != 0;
}

int u64set_add(u64set *s, uint64_t key)
{
    uint64_t *sl;
    if (!key) {
        int was = s->has0;
        s->has0 = 1;
        return !was;
    }
    if ((s->n + 1) * 2 > s->cap) {
        uint64_t *old = s->v;
        size_t oc = s->cap;
        s->cap = oc ? oc * 2 : 64;
        s->v = xcalloc(s->cap, sizeof *s->v);
        for (size_t i = 0; i < oc; i++)
            if (old[i])
                *u64set_slot(s, old[i]) = old[i];
        free(old);
    }
    sl = u64set_slot(s, key);
    if (*sl)
        return 0;
    *sl = key;
    s->n++;
    return 1;
}

void u64set_free(u64set *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

int tt_read_file(const char *path, size_t max, char **out, size_t *len,
                 tt_err *e)
{
    int rc = TT_OK;
    sbuf b = {0};
    char buf[65536];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tt_seterr(e, errno == ENOENT ? TT_ENOTFOUND : TT_EIO,
                         "%s: %s", path, strerror(errno));
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
            goto fail;
        }
        if (b.len + (size_t)n > max) {
            rc = tt_seterr(e, TT_EINVAL, "%s: larger than %zu bytes", path,
                           max);
            goto fail;
        }
        sbuf_add(&b, buf, (size_t)n);
    }
    close(fd);
    *out = sbuf_detach(&b, len);
    return TT_OK;
fail:
    close(fd);
    sbuf_free(&b);
    return rc;
}

int tt_sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

int tt_mkdirs(const char *path, tt_err *e)
{
    char *p = xstrdup(path);
    int rc = TT_OK;
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc = tt_seterr(e, TT_EIO, "cannot create %s: %s", p,
                               strerror(errno));
                break;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return rc;
}

int tt_rmtree(const char *path, tt_err *e)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? TT_OK
                               : tt_seterr(e, TT_EIO, "%s: %s", path,
                                           strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        if (!d)
            return tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            sbuf sub = {0};
            sbuf_addf(&sub, "%s/%s", path, de->d_name);
            int rc = tt_rmtree(sub.s, e);
            sbuf_free(&sub);
            if (rc) {
                closedir(d);
                return rc;
            }
        }
        closedir(d);
        if (rmdir(path) != 0)
            return tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    } else if (unlink(path) != 0) {
        return tt_seterr(e, TT_EIO, "%s: %s", path, strerror(errno));
    }
    return TT_OK;
}

double tt_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int tt_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (d > max || v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int tt_parse_size(const char *s, uint64_t max, uint64_t *out)
{
    char num[32];
    size_t n = s ? strlen(s) : 0;
    uint64_t v, mul = 1;
    if (!n || n >= sizeof num)
        return -1;
    memcpy(num, s, n + 1);
    switch (num[n - 1]) {
    case 'k': case 'K': mul = 1ull << 10; break;
    case 'm': case 'M': mul = 1ull << 20; break;
    case 'g': case 'G': mul = 1ull << 30; break;
    default: break;
    }
    if (mul > 1)
        num[n - 1] = '\0';
    if (tt_parse_u64(num, max / mul, &v) != 0 || v == 0)
        return -1;
    *out = v * mul;
    return 0;
}

void tt_hash128_hex(const char *s, size_t n, char out[33])
{
    uint64_t a = 0x9E3779B97F4A7C15ULL ^ n, b = 0xD1B54A32D192ED03ULL + n;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w = 0;
        size_t k = n - i < 8 ? n - i : 8;
        for (size_t j = 0; j < k; j++)
            w |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
        a = tt_mix64(a ^ w);
        b = tt_mix64(b + (w ^ 0xA24BAED4963EE407ULL)) ^ (b >> 17);
    }
    a = tt_mix64(a ^ (b << 1));
    b = tt_mix64(b ^ a);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)a,
             (unsigned long long)b);
}
