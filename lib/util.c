/* util.c — see util.h. */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/* ---- the crash guard ---------------------------------------------- */

static struct {
    char head[TT_CRASH_TEXT_MAX], tail[TT_CRASH_TEXT_MAX];
    volatile sig_atomic_t stamped, installed, fd;
    const char *volatile reply;
    volatile size_t nreply;
} crash = {.fd = -1};

/* s cut to fit cap bytes with its NUL, on a character boundary */
static void crash_copy(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* s[n] a continuation byte: the character goes */
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void crash_vtext(const char *head, const char *fmt, va_list ap)
{
    char tail[TT_CRASH_TEXT_MAX * 2];
    vsnprintf(tail, sizeof tail, fmt, ap);
    crash_copy(crash.head, sizeof crash.head, head ? head : "");
    crash_copy(crash.tail, sizeof crash.tail, tail);
}

void tt_crash_text(const char *head, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    crash_vtext(head, fmt, ap);
    va_end(ap);
}

void tt_crash_reply(int fd, const char *bytes, size_t n)
{
    crash.fd = -1; /* (never half set when a crash comes in between) */
    crash.reply = bytes;
    crash.nreply = bytes ? n : 0;
    crash.fd = bytes ? fd : -1;
}

/* write(2) all of s[0..n), as far as fd takes it */
static void crash_write(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return;
        s += k;
        n -= (size_t)k;
    }
}

/* "YYYY-MM-DDThh:mm:ssZ " of now into out (21 bytes): clock_gettime and
 * arithmetic (civil from days, H. Hinnant), nothing gmtime_r may lock */
static size_t crash_stamp(char out[24])
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0)
        return 0;
    long long secs = ts.tv_sec, days = secs / 86400, rem = secs % 86400;
    long long z = days + 719468, era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    long long y = (long long)yoe + era * 400 + (m <= 2);
    unsigned v[6] = {(unsigned)(y % 10000), m, d, (unsigned)(rem / 3600),
                     (unsigned)(rem / 60 % 60), (unsigned)(rem % 60)};
    static const char sep[] = "--T::Z";
    size_t n = 0;
    for (int i = 0; i < 6; i++) {
        unsigned w = i ? 2 : 4, x = v[i];
        for (unsigned k = w; k-- > 0; x /= 10)
            out[n + k] = (char)('0' + x % 10);
        n += w;
        out[n++] = sep[i];
    }
    out[n++] = ' ';
    return n;
}

static void on_crash(int sig)
{
    char stamp[24];
    const char *name = sig == SIGBUS ? "SIGBUS" : "SIGSEGV";
    if (crash.stamped)
        crash_write(2, stamp, crash_stamp(stamp));
    crash_write(2, crash.head, strlen(crash.head));
    crash_write(2, name, strlen(name));
    crash_write(2, crash.tail, strlen(crash.tail));
    crash_write(2, "\n", 1);
    if (crash.fd >= 0 && crash.reply)
        crash_write(crash.fd, crash.reply, crash.nreply);
    _exit(TT_EXIT_CRASH);
}

void tt_crash_guard(int stamped, const char *head, const char *fmt, ...)
{
    static char altstack[1 << 16];
    va_list ap;
    va_start(ap, fmt);
    crash_vtext(head, fmt, ap);
    va_end(ap);
    crash.stamped = stamped;
    if (!crash.installed) {
        stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_crash;
        sa.sa_flags = SA_RESETHAND; /* a fault in the handler: the default */
        if (sigaltstack(&ss, NULL) == 0)
            sa.sa_flags |= SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        crash.installed = 1;
    }
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

int tt_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
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
