/* util.h — small shared utilities: status codes, the error struct,
 * aborting allocators, a growable string buffer, a set of 64-bit keys,
 * file helpers, and a guard that reports a crash.
 *
 * Errors: functions return 0 (TT_OK) or a TT_E* status and fill a caller's
 * tt_err, whose message lives in a fixed buffer so reporting never
 * allocates.  Out of memory aborts the program with a message (these are
 * command-line programs; sizes that come from input are capped instead).
 * Everything here is thread-safe in the sense that it keeps no global state,
 * but the program's name and the crash guard (set once, from main).
 */
#ifndef TT_UTIL_H
#define TT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define TT_VERSION "0.1.0"

enum {
    TT_OK = 0,
    TT_EIO,        /* read/write/open failure of a file or directory */
    TT_ECORRUPT,   /* stored data fails validation */
    TT_EINVAL,     /* bad argument or malformed input */
    TT_ENOTFOUND,  /* no such db, record, article */
    TT_ELOCKED,    /* another writer holds the lock */
    TT_EVERSION,   /* built by another version: rebuild needed */
    TT_ESYNTAX,    /* query syntax error */
    TT_EXAPIAN,    /* any other Xapian failure */
    TT_ECHANGED,   /* a db changed under a read at each of its tries (a
                      writer committing often): try again shortly */
    TT_EINTERNAL   /* a bug or an unexpected exception */
};

typedef struct tt_err {
    int code;
    char msg[512];
} tt_err;

/* Set *e (if not NULL) to code and a printf-style message; returns code. */
int tt_seterr(tt_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Clear *e to TT_OK and an empty message. */
void tt_clearerr(tt_err *e);

/* Print "prog: message" on stderr and exit(status). */
void tt_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
/* A usage error: "prog: message (try --help)" on stderr, exit 2. */
void tt_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
/* A program's last step: flush standard output and check that all that
 * was written to it was.  0, or -1 after "prog: error writing standard
 * output: reason" on stderr (a full disk, a closed descriptor: output is
 * buffered, so the error may show only here; the reason of a write that
 * failed before, while stdio's buffer filled, only when it went through
 * tt_puts_stdout). */
int tt_check_stdout(void);
/* fputs(s, stdout), keeping the reason of a failure for tt_check_stdout
 * (a text longer than stdio's buffer, a --help, fails before the flush).
 * EOF on failure. */
int tt_puts_stdout(const char *s);
/* Make s safe to show on a terminal, in place: its control characters
 * (C0, DEL, and C1 as UTF-8), which a terminal would run (ESC sequences),
 * become '?' each byte, but tab, newline and carriage return ' ', so that
 * its length, and byte offsets into it, stay. */
void tt_clean_controls(char *s);
/* Does s hold a character that tt_clean_controls changes? */
int tt_has_controls(const char *s);
/* Whether u (NULL: no) may be given out as an article's link, by the one
 * rule of the page, the feed and the JSON: an absolute http(s) URL
 * (scheme in any case) without spaces or control characters, so no
 * javascript:, data: or relative URLs from whatever the corpus holds. */
int tt_web_url(const char *u);
/* Program name used by tt_die/tt_warn; set once in main. */
void tt_set_progname(const char *argv0);
const char *tt_progname(void);
/* Print "prog: warning: message" on stderr. */
void tt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The crash guard.  Xapian's glass tables keep no checksums: a damaged
 * index can make the library read out of bounds and die of SIGSEGV or
 * SIGBUS, with nothing said to the operator.  tt_crash_guard installs
 * handlers for both (once; on an alternate stack, so that a stack
 * overflow is caught too) that do async-signal-safe work only: write to
 * standard error the time (UTC, "2026-11-30T18:58:40Z ", when stamped),
 * head, the signal's name ("SIGSEGV"), tail and a newline; then the reply
 * armed by tt_crash_reply, if any; then _exit(TT_EXIT_CRASH).  head and
 * the formatted tail are copied (cut at TT_CRASH_TEXT_MAX bytes each, on
 * a character boundary).  Not thread-safe: for single-threaded programs,
 * which call it from main. */
#define TT_EXIT_CRASH 70 /* sysexits' EX_SOFTWARE */
#define TT_CRASH_TEXT_MAX 2048
void tt_crash_guard(int stamped, const char *head, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same texts for a guard installed already (or later): changes what
 * a crash writes, installs nothing. */
void tt_crash_text(const char *head, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* On a crash, write bytes[0..n) to fd (the 500 page of a request not yet
 * answered); fd < 0 disarms it (a response has begun).  bytes must stay
 * valid until the next call. */
void tt_crash_reply(int fd, const char *bytes, size_t n);
/* The likely cause of a crash, or of a read error, in the index, and the
 * remedy, for the db named by the %s ("DB" when unknown). */
#define TT_DAMAGE_ADVICE                                                     \
    "the index may be damaged (its tables keep no checksums): check it "     \
    "with xapian-check %s, and rebuild it with timtin-index --full"

/* Allocators that never return NULL: out of memory aborts. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *p (an array of *cap elements of size elem) to hold at least need. */
void xgrow(void *pp, size_t *cap, size_t need, size_t elem);
/* Free v[0..n) and the array v itself (NULL is fine). */
void xfree_all(char **v, size_t n);

/* A growable byte string, always NUL-terminated when s != NULL.
 * Zero-initialise ({0}) to start; sbuf_free releases it. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

void sbuf_add(sbuf *b, const char *p, size_t n);
void sbuf_adds(sbuf *b, const char *s);
void sbuf_addc(sbuf *b, char c);
void sbuf_addf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbuf_vaddf(sbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void sbuf_reset(sbuf *b);           /* len = 0, keeps memory */
void sbuf_free(sbuf *b);
char *sbuf_detach(sbuf *b, size_t *len); /* caller frees; b becomes empty */

/* splitmix64's finaliser: every bit of x affects every bit of the result */
static inline uint64_t tt_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

/* FNV-1a, 64 bits, of s[0..n): for hash tables of short keys (words). */
static inline uint64_t tt_fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* A 128-bit hash of s[0..n) as 32 hex digits and a NUL into out: two
 * independent 64-bit lanes, each word mixed with a 64-bit finaliser.  For
 * keys that must not collide by accident (not a cryptographic digest:
 * whoever chooses the input can choose collisions). */
void tt_hash128_hex(const char *s, size_t n, char out[33]);

/* A set of 64-bit keys (hashes), open addressing.  Zero-initialise ({0})
 * to start; u64set_free releases it.  Any value is a key, 0 too. */
typedef struct u64set {
    uint64_t *v;   /* cap slots, 0 = empty */
    size_t n, cap; /* keys other than 0; cap a power of two */
    int has0;
} u64set;

/* Add key: 1 when it was new, 0 when it was there already. */
int u64set_add(u64set *s, uint64_t key);
int u64set_has(const u64set *s, uint64_t key);
void u64set_free(u64set *s);

/* Read a whole file (at most max bytes; larger is TT_EINVAL) into a malloc'd
 * NUL-terminated buffer.  *len receives its length. */
int tt_read_file(const char *path, size_t max, char **out, size_t *len,
                 tt_err *e);
/* fsync a directory, so that the names created or renamed in it are
 * durable: 0, or -1 with errno. */
int tt_sync_dir(const char *path);
/* mkdir -p; returns TT_OK or TT_EIO. */
int tt_mkdirs(const char *path, tt_err *e);
/* rm -rf of a directory tree we own (used for db swaps); TT_OK or TT_EIO. */
int tt_rmtree(const char *path, tt_err *e);
/* Wall-clock seconds, monotonic. */
double tt_now(void);

/* Parse a non-negative decimal integer in [0, max]; 0 on success. */
int tt_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* The value of hex digit c (either case), or -1 for any other byte. */
int tt_hexval(int c);
/* Parse a size in bytes, with an optional suffix k, M or G (binary:
 * 1024, 1024^2, 1024^3), from 1 to max; 0 on success. */
int tt_parse_size(const char *s, uint64_t max, uint64_t *out);

#endif
