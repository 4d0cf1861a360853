/* xap_io.c — see xap.h (the block cache).  Part of the Xapian shim: the
 * reads it caches are libxapian's own, which it makes with open(), pread()
 * and close() from the C library; this file defines those three, so that
 * libxapian's calls come here (the executable's definition of a symbol
 * comes first), and passes each on to the C library's (dlsym RTLD_NEXT). */
#include "xap.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* the size of a read cached: a block of a Glass table as timtin-index
 * writes them (Xapian's default); a read of any other size passes by */
#define BLOCK 8192
#define NIL UINT32_MAX
/* fds above this are never taken for a table (a reader has about 6) */
#define FDS 4096

/* Which block: of which table file (fd, and the fd's generation: an fd
 * closed and used again is another file), where. */
typedef struct key {
    off_t off;
    int fd;
    uint32_t gen;
} key;

/* An entry of the index (open addressing, linear probing): a block's key
 * and its slot, NIL for a free entry. */
typedef struct entry {
    key k;
    uint32_t slot;
} entry;

static struct {
    pthread_mutex_t mu;
    size_t nslots, mask; /* 0 slots: the cache is off; entries: mask + 1 */
    entry *index;
    key *keys;          /* each slot's block */
    unsigned char *ref; /* each slot's: 0 free, 1 held, 2 held and read
                           since the clock last passed */
    unsigned char *data; /* the slots' bytes: slot i at data + i * BLOCK */
    size_t hand;         /* the clock's */
    uint64_t epoch;      /* times emptied */
    /* per fd: a table file opened read-only (glass[fd]), and how many
     * times the fd was opened or closed (gen[fd]) */
    unsigned char glass[FDS];
    uint32_t gen[FDS];
    uint64_t hits, misses;
} bc = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* 1 while slots exist: pread's quick test, without the lock */
static int on;

typedef int open_fn(const char *, int, ...);
typedef ssize_t pread_fn(int, void *, size_t, off_t);
typedef int close_fn(int);

/* The C library's function name, looked up once. */
static void *next_fn(void **cell, const char *name)
{
    void *f = __atomic_load_n(cell, __ATOMIC_ACQUIRE);
    if (!f) {
        f = dlsym(RTLD_NEXT, name);
        if (!f)
            abort(); /* no C library below: nothing can be read */
        __atomic_store_n(cell, f, __ATOMIC_RELEASE);
    }
    return f;
}

static void *real_open, *real_pread, *real_close;

/* Note what fd now is (a table file or not), a new generation of it.
 * Under the lock. */
static void note_fd(int fd, int is_glass)
{
    __atomic_store_n(&bc.glass[fd], (unsigned char)is_glass, __ATOMIC_RELAXED);
    bc.gen[fd]++;
}

/* The name of one of a Glass database's tables: "….glass" (its version
 * file is "iamglass", read with read(), not pread()). */
static int is_table(const char *path)
{
    size_t n = strlen(path);
    return n > 6 && memcmp(path + n - 6, ".glass", 6) == 0;
}

int xap_io_open(const char *path, int flags, ...) __asm__("open");
int xap_io_open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    int fd = ((open_fn *)next_fn(&real_open, "open"))(path, flags, mode);
    if (fd >= 0 && fd < FDS) {
        int table = (flags & O_ACCMODE) == O_RDONLY && path && is_table(path);
        pthread_mutex_lock(&bc.mu);
        if (table || bc.glass[fd])
            note_fd(fd, table);
        pthread_mutex_unlock(&bc.mu);
    }
    return fd;
}

int xap_io_close(int fd) __asm__("close");
int xap_io_close(int fd)
{
    /* (the flag read without the lock: close stays async-signal-safe for
     * every other fd) */
    if (fd >= 0 && fd < FDS &&
        __atomic_load_n(&bc.glass[fd], __ATOMIC_RELAXED)) {
        pthread_mutex_lock(&bc.mu);
        note_fd(fd, 0); /* its blocks are another file's from now on */
        pthread_mutex_unlock(&bc.mu);
    }
    return ((close_fn *)next_fn(&real_close, "close"))(fd);
}

static size_t home(const key *k)
{
    uint64_t x = ((uint64_t)k->off / BLOCK) * 0x9E3779B97F4A7C15ull ^
                 (uint64_t)(unsigned)k->fd * 0xFF51AFD7ED558CCDull;
    return (size_t)(x >> 32) & bc.mask;
}

static int same(const key *a, const key *b)
{
    return a->off == b->off && a->fd == b->fd && a->gen == b->gen;
}

/* The index entry of k, or of the free entry where it would go.  Under
 * the lock. */
static size_t find(const key *k)
{
    size_t i = home(k);
    while (bc.index[i].slot != NIL && !same(&bc.index[i].k, k))
        i = (i + 1) & bc.mask;
    return i;
}

/* Take the index entry i out, moving the entries after it that would no
 * longer be found (backward shift).  Under the lock. */
static void remove_entry(size_t i)
{
    for (size_t j = (i + 1) & bc.mask; bc.index[j].slot != NIL;
         j = (j + 1) & bc.mask) {
        size_t h = home(&bc.index[j].k);
        /* j's entry stays unless its home is cyclically outside (i, j] */
        if (i <= j ? (h <= i || h > j) : (h <= i && h > j)) {
            bc.index[i] = bc.index[j];
            i = j;
        }
    }
    bc.index[i].slot = NIL;
}

ssize_t xap_io_pread(int fd, void *buf, size_t n, off_t off) __asm__("pread");
ssize_t xap_io_pread(int fd, void *buf, size_t n, off_t off)
{
    pread_fn *rd = (pread_fn *)next_fn(&real_pread, "pread");
    if (!__atomic_load_n(&on, __ATOMIC_RELAXED) || n != BLOCK || fd < 0 ||
        fd >= FDS || off < 0 || off % BLOCK)
        return rd(fd, buf, n, off);
    pthread_mutex_lock(&bc.mu);
    if (!bc.nslots || !bc.glass[fd]) {
        pthread_mutex_unlock(&bc.mu);
        return rd(fd, buf, n, off);
    }
    key k = {off, fd, bc.gen[fd]};
    size_t e = find(&k);
    if (bc.index[e].slot != NIL) {
        uint32_t i = bc.index[e].slot;
        bc.ref[i] = 2;
        memcpy(buf, bc.data + (size_t)i * BLOCK, BLOCK);
        bc.hits++;
        pthread_mutex_unlock(&bc.mu);
        return BLOCK;
    }
    bc.misses++;
    /* read outside the lock; the block goes in if the cache and the fd
     * are still as they were */
    uint64_t epoch = bc.epoch;
    pthread_mutex_unlock(&bc.mu);
    ssize_t got = rd(fd, buf, n, off);
    if (got != BLOCK)
        return got;
    pthread_mutex_lock(&bc.mu);
    if (bc.nslots && bc.epoch == epoch && bc.glass[fd] &&
        bc.gen[fd] == k.gen && bc.index[e = find(&k)].slot == NIL) {
        size_t i = bc.hand;
        while (bc.ref[i] == 2) { /* the clock: a second chance */
            bc.ref[i] = 1;
            i = (i + 1) % bc.nslots;
        }
        bc.hand = (i + 1) % bc.nslots;
        if (bc.ref[i]) { /* the block there makes room */
            size_t old = find(&bc.keys[i]);
            if (bc.index[old].slot == i)
                remove_entry(old);
            e = find(&k); /* (the shift may have moved the free entry) */
        }
        bc.keys[i] = k;
        bc.ref[i] = 1;
        memcpy(bc.data + i * BLOCK, buf, BLOCK);
        bc.index[e].k = k;
        bc.index[e].slot = (uint32_t)i;
    }
    pthread_mutex_unlock(&bc.mu);
    return got;
}

/* Empty the cache.  Under the lock. */
static void forget_all(void)
{
    for (size_t i = 0; bc.nslots && i <= bc.mask; i++)
        bc.index[i].slot = NIL;
    if (bc.nslots)
        memset(bc.ref, 0, bc.nslots);
    bc.hand = 0;
    bc.epoch++;
}

static void free_slots(void)
{
    free(bc.index);
    free(bc.keys);
    free(bc.ref);
    free(bc.data);
    bc.index = NULL;
    bc.keys = NULL;
    bc.ref = NULL;
    bc.data = NULL;
    bc.nslots = bc.mask = 0;
}

void xap_blocks_budget(size_t bytes)
{
    size_t n = bytes / BLOCK;
    if (n > NIL / 4)
        n = NIL / 4;
    pthread_mutex_lock(&bc.mu);
    if (n == bc.nslots) { /* (a FastCGI searcher opening a swapped-in db) */
        pthread_mutex_unlock(&bc.mu);
        return;
    }
    __atomic_store_n(&on, 0, __ATOMIC_RELAXED);
    free_slots();
    if (n) {
        size_t h = 1;
        while (h < 2 * n) /* the index at most half full */
            h *= 2;
        /* (no memory for it: no cache, as when asked for none) */
        bc.index = malloc(h * sizeof *bc.index);
        bc.keys = malloc(n * sizeof *bc.keys);
        bc.ref = malloc(n);
        bc.data = malloc(n * BLOCK);
        if (bc.index && bc.keys && bc.ref && bc.data) {
            bc.nslots = n;
            bc.mask = h - 1;
            forget_all();
            __atomic_store_n(&on, 1, __ATOMIC_RELAXED);
        } else {
            free_slots();
        }
    }
    bc.hits = bc.misses = 0;
    pthread_mutex_unlock(&bc.mu);
}

void xap_blocks_forget(void)
{
    pthread_mutex_lock(&bc.mu);
    forget_all();
    pthread_mutex_unlock(&bc.mu);
}

void xap_blocks_stats(xap_blocks_info *out)
{
    pthread_mutex_lock(&bc.mu);
    memset(out, 0, sizeof *out);
    out->budget = bc.nslots * BLOCK;
    for (size_t i = 0; i < bc.nslots; i++)
        out->bytes += bc.ref[i] ? BLOCK : 0;
    out->hits = bc.hits;
    out->misses = bc.misses;
    pthread_mutex_unlock(&bc.mu);
}
