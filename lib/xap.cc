/* xap.cc — the C door to Xapian: see xap.h for the contract.
 *
 * Every exported function is extern "C" and runs its body inside guard(),
 * which turns each Xapian error class, std::bad_alloc (abort, like xmalloc),
 * std::exception and anything else into a TT_* status and message, so no
 * exception ever crosses into C.  Readers run their Xapian calls inside
 * retry(), which reopens the db on DatabaseModifiedError, up to
 * XAP_RETRIES runs.
 *
 * Writers live inside a Xapian transaction from open to commit: Xapian then
 * flushes postings to disk at its flush threshold without committing, so a
 * revision becomes visible only at xap_wdb_commit/close (atomic
 * checkpoints), and xap_wdb_abandon really drops pending changes (outside a
 * transaction Xapian 1.4 commits on close and on destruction).
 */
#include <xapian.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <initializer_list>
#include <cmath>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

extern "C" {
#include "util.h"
#include "xap.h"
}

struct xap_wdb {
    Xapian::WritableDatabase db;
    std::string path;
    bool in_txn = false; /* a transaction is open (always, unless broken) */
    tt_err err = {TT_OK, {0}}; /* sticky: the first failed write */
};

namespace {
struct posting_cache;
}

struct xap_db {
    Xapian::Database db;
    /* one local database: its docids are the combined docids */
    bool single = false;
    /* a remote database among them: a query travels to it serialised,
     * which this shim's posting sources cannot be */
    bool remote = false;
    /* times reopened onto a newer revision (docids may have moved) */
    unsigned generation = 0;
    /* the runs of the last retry() that the db's changes all spoiled (0:
     * it did not fail so) */
    unsigned changed_tries = 0;
    std::shared_ptr<posting_cache> cache; /* NULL: off */
    /* each path's database (sharing db's shards: reopened with it), for
     * what each one says of itself (xap_db_metadata_each) */
    std::vector<Xapian::Database> parts;
    /* the version files of the databases opened, those a stub file
     * lists too (empty when one is remote or a single file:
     * xap_db_reopen reopens each time), and what they were at the last
     * open or reopen (version_stamp) */
    std::vector<std::string> versions;
    std::string stamp;
};

struct xap_doc {
    Xapian::Document d;
    /* what check_doc needs, noted as terms are added (walking d's terms
     * for it cost 2% of a bulk build): the first term too long for
     * Xapian, and the boolean terms (the id term is one) */
    std::string too_long;
    std::vector<std::string> booleans;
    /* xap_doc_add_term's terms, their wdf summed, given to d by settle():
     * an article says most words many times, and each add_term is a walk
     * down d's map; an open-addressing table (hash 0: free slot) over the
     * terms' bytes in arena costs less */
    struct slot {
        uint32_t hash, off, len, wdf;
    };
    std::vector<slot> slots;
    size_t nslots = 0;
    std::string arena;
};

struct xap_query {
    Xapian::Query q;
};

namespace {

struct hit {
    xap_docid docid;
    double weight;
    uint32_t collapse_count;
    std::string data;
    std::vector<std::pair<unsigned, std::string>> values; /* by slot */
};

} // namespace

struct xap_mset {
    std::vector<hit> hits;
    uint32_t estimate = 0, lower = 0, upper = 0;
    /* per facet: (value, count), most frequent first */
    std::vector<std::vector<std::pair<std::string, uint32_t>>> facets;
    bool facets_grouped = false;
    /* the query's terms' frequencies, from the match's statistics */
    std::unordered_map<std::string, uint32_t> termfreqs;
    bool cut = false; /* the deadline stopped the match */
};

namespace {

/* Glass's limit for a term (and, for us, a metadata key): longer ones throw
 * after Xapian has already discarded the pending changes. */
const size_t MAX_TERM = XAP_MAX_TERM;

[[noreturn]] void oom()
{
    fprintf(stderr, "%s: out of memory (in xapian)\n", tt_progname());
    abort();
}

bool path_missing(const char *path)
{
    struct stat st;
    return path && stat(path, &st) != 0 && errno == ENOENT;
}

bool is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool is_dir(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

/* "xapian: <type>: <msg>", after the path when one is being worked on,
 * and the system's reason when there is one ("No space left on
 * device"). */
int xerr(tt_err *e, int code, const Xapian::Error &x, const char *const *where)
{
    const char *why = x.get_error_string();
    std::string msg = x.get_msg();
    if (why && *why)
        msg += std::string(" (") + why + ")";
    if (where && *where)
        return tt_seterr(e, code, "%s: xapian: %s: %s", *where, x.get_type(),
                         msg.c_str());
    return tt_seterr(e, code, "xapian: %s: %s", x.get_type(), msg.c_str());
}

/* Did the system refuse Xapian for want of permission (EACCES, EPERM)?
 * Said by the error itself, or by one it wraps ("Modifications failed
 * (DatabaseOpeningError: Couldn't write new rev file: DB/v.tmp
 * (Permission denied))": a commit's DatabaseError carries no errno). */
bool refused(const Xapian::Error &x)
{
    const char *why = x.get_error_string();
    if (why && (!strcmp(why, strerror(EACCES)) ||
                !strcmp(why, strerror(EPERM))))
        return true;
    const std::string &msg = x.get_msg();
    for (int err : {EACCES, EPERM})
        if (msg.find(std::string("(") + strerror(err) + ")") !=
            std::string::npos)
            return true;
    return false;
}

/* Is p a name this process may not reach (mode R_OK or X_OK, as its
 * effective ids)? */
bool no_access(const std::string &p, int mode)
{
    return faccessat(AT_FDCWD, p.c_str(), mode, AT_EACCESS) != 0 &&
           (errno == EACCES || errno == EPERM);
}

/* What of the db at path this process may not read, or "": a directory
 * above it that it may not enter, path itself (a directory it may not
 * enter, a stub file it may not read) and, when deep, a file in it or in
 * a db inside it (a table, the version file, a year's db of a db per
 * year).  Not deep for "no database here": a file in a directory that
 * can be entered does not hide a db from Xapian. */
std::string denied_in(const std::string &path, bool deep, int depth)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0)
        return "";
    if (!S_ISDIR(st.st_mode))
        return S_ISREG(st.st_mode) && no_access(path, R_OK) ? path : "";
    if (no_access(path, X_OK))
        return path;
    DIR *d = deep ? opendir(path.c_str()) : nullptr;
    std::string found;
    struct dirent *de;
    while (d && found.empty() && (de = readdir(d)) != nullptr) {
        std::string sub = path + "/" + de->d_name;
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
            (depth < 1 || !is_dir(sub)))
            found = denied_in(sub, deep, depth + 1);
    }
    if (d)
        closedir(d);
    return found;
}

std::string denied(const char *path, bool deep)
{
    struct stat st;
    if (!path || !*path)
        return "";
    if (stat(path, &st) == 0)
        return denied_in(path, deep, 0);
    if (errno != EACCES)
        return "";
    /* a directory on the way that may not be entered */
    std::string p(path);
    for (size_t i = 1; i <= p.size(); i++)
        if (i == p.size() || p[i] == '/') {
            std::string dir = p.substr(0, i);
            if (no_access(dir, X_OK))
                return dir;
        }
    return p;
}

/* A permission problem opening *where, when Xapian's error x is one (the
 * system said so, or something of the db cannot be read: deep as for
 * denied()): TT_EIO, named for the path refused, and the effective user;
 * else TT_OK. */
int permission(tt_err *e, const Xapian::Error &x, const char *const *where,
               bool deep)
{
    const char *p = where && *where ? *where : nullptr;
    std::string what = denied(p, deep);
    if (what.empty() && !refused(x))
        return TT_OK;
    if (what.empty() || what == p)
        return tt_seterr(e, TT_EIO, "%s%spermission denied for uid %u (%s)",
                         p ? p : "", p ? ": " : "", (unsigned)geteuid(),
                         x.get_msg().c_str());
    return tt_seterr(e, TT_EIO, "%s: permission denied on %s for uid %u (%s)",
                     p ? p : "", what.c_str(), (unsigned)geteuid(),
                     x.get_msg().c_str());
}

/* The one guard: runs fn (which returns a TT_* status) and maps every
 * exception to a status.  *where (if where is not NULL) names the path being
 * opened, for the lock and not-found messages; fn may update it. */
template <class F>
int guard(tt_err *e, const char *const *where, F &&fn) noexcept
{
    try {
        return fn();
    } catch (const Xapian::DatabaseLockError &x) {
        const char *p = where && *where ? *where : "(unknown)";
        return tt_seterr(e, TT_ELOCKED,
                         "database %s is locked by another writer", p);
    } catch (const Xapian::DatabaseVersionError &x) {
        return xerr(e, TT_EVERSION, x, where);
    } catch (const Xapian::DatabaseNotFoundError &x) {
        const char *p = where && *where ? *where : "(unknown)";
        if (int rc = permission(e, x, where, false))
            return rc;
        return tt_seterr(e, TT_ENOTFOUND, "no database at %s (%s)", p,
                         x.get_msg().c_str());
    } catch (const Xapian::DatabaseOpeningError &x) {
        if (int rc = permission(e, x, where, true))
            return rc;
        if (where && path_missing(*where))
            return tt_seterr(e, TT_ENOTFOUND, "no database at %s (%s)",
                             *where, x.get_msg().c_str());
        return xerr(e, TT_EXAPIAN, x, where);
    } catch (const Xapian::DatabaseCreateError &x) {
        if (refused(x))
            return permission(e, x, where, true);
        return xerr(e, TT_EXAPIAN, x, where);
    } catch (const Xapian::QueryParserError &x) {
        return tt_seterr(e, TT_ESYNTAX, "query syntax: %s",
                         x.get_msg().c_str());
    } catch (const Xapian::DatabaseCorruptError &x) {
        return xerr(e, TT_ECORRUPT, x, where);
    } catch (const Xapian::DatabaseModifiedError &) {
        /* retry() gave up, or an open or reopen found its revision gone:
         * Xapian's advice to reopen is no use to the caller */
        const char *p = where && *where ? *where : nullptr;
        return tt_seterr(e, TT_ECHANGED, "%s%sthe database changed during "
                                         "the read (a writer committing)",
                         p ? p : "", p ? ": " : "");
    } catch (const Xapian::DocNotFoundError &x) {
        return tt_seterr(e, TT_ENOTFOUND, "%s", x.get_msg().c_str());
    } catch (const Xapian::InvalidArgumentError &x) {
        return xerr(e, TT_EINVAL, x, where);
    } catch (const Xapian::Error &x) {
        if (refused(x))
            return permission(e, x, where, true);
        return xerr(e, TT_EXAPIAN, x, where);
    } catch (const std::bad_alloc &) {
        oom();
    } catch (const std::exception &x) {
        return tt_seterr(e, TT_EINTERNAL, "internal error: %s", x.what());
    } catch (...) {
        return tt_seterr(e, TT_EINTERNAL, "internal error: unknown exception");
    }
}

/* For functions that never fail: out of memory aborts, anything else leaves
 * things as fn left them (fn is written to change nothing before it can
 * throw). */
template <class F> void never_fail(F &&fn) noexcept
{
    try {
        fn();
    } catch (const std::bad_alloc &) {
        oom();
    } catch (...) {
    }
}

/* What a db whose blocks are newer than its version file is. */
#define NEWER_BLOCKS                                                         \
    "its blocks are newer than the revision its version file names, and "  \
    "no writer is committing: the db was copied or restored during a "     \
    "commit, or is damaged"

/* Run a reader's fn; on DatabaseModifiedError (a writer committed twice
 * since the revision being read) reopen and run it again, up to
 * XAP_RETRIES runs in all: an indexer committing often can discard a
 * revision more than once during a long search.  When the last run fails
 * too, db->changed_tries says how many there were, and the error goes on
 * to guard (TT_ECHANGED).  But a db with no newer revision to reopen was
 * not changed by a writer: its blocks are newer than its version file (a
 * copy taken during a commit, a backup restored over a newer db), and no
 * wait mends it: DatabaseCorruptError (TT_ECORRUPT). */
template <class F> void retry(xap_db *db, F &&fn)
{
    db->changed_tries = 0;
    for (unsigned run = 1;; run++) {
        try {
            fn();
            return;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (run >= XAP_RETRIES) {
                db->changed_tries = run;
                throw;
            }
            xap_blocks_forget();
            if (!db->db.reopen())
                throw Xapian::DatabaseCorruptError(NEWER_BLOCKS);
            db->generation++;
        }
    }
}

char *dup(const std::string &s)
{
    char *p = static_cast<char *>(xmalloc(s.size() + 1));
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

std::string str(const char *p, size_t n)
{
    return n ? std::string(p, n) : std::string();
}

bool starts_with(const std::string &s, const std::string &prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

int check_term(const char *what, size_t len, tt_err *e)
{
    if (len == 0)
        return tt_seterr(e, TT_EINVAL, "empty %s", what);
    if (len > MAX_TERM)
        return tt_seterr(e, TT_EINVAL, "%s too long (%zu bytes, max %zu)",
                         what, len, MAX_TERM);
    return TT_OK;
}

/* Xapian 1.4 reads XAPIAN_FLUSH_THRESHOLD when a writer is constructed; set
 * it for the duration of one open, serialising the shim's writer opens. */
std::mutex env_lock;

class FlushEnv {
  public:
    explicit FlushEnv(unsigned ndocs) : lk(env_lock), set(ndocs != 0)
    {
        if (!set)
            return;
        const char *old = getenv(NAME);
        had = old != nullptr;
        if (had)
            saved = old;
        char buf[32];
        snprintf(buf, sizeof buf, "%u", ndocs);
        setenv(NAME, buf, 1);
    }
    ~FlushEnv()
    {
        if (!set)
            return;
        if (had)
            setenv(NAME, saved.c_str(), 1);
        else
            unsetenv(NAME);
    }
    FlushEnv(const FlushEnv &) = delete;
    FlushEnv &operator=(const FlushEnv &) = delete;

  private:
    static constexpr const char *NAME = "XAPIAN_FLUSH_THRESHOLD";
    std::lock_guard<std::mutex> lk;
    bool set, had = false;
    std::string saved;
};

/* A modifying operation on a writer: refuses after an earlier failure, and
 * makes a failure sticky once fn has started changing the db (Xapian then
 * discards every pending change, so committing later would be a lie).  fn
 * sets *touched before its first modifying call. */
template <class F> int write_op(xap_wdb *w, tt_err *e, F &&fn)
{
    if (!w)
        return tt_seterr(e, TT_EINVAL, "NULL writer");
    if (w->err.code != TT_OK) {
        if (e)
            *e = w->err;
        return w->err.code;
    }
    bool touched = false;
    const char *where = w->path.c_str();
    int rc = guard(e, &where, [&]() -> int { return fn(&touched); });
    if (rc != TT_OK && touched) {
        if (e)
            w->err = *e;
        else
            tt_seterr(&w->err, rc, "write to %s failed", w->path.c_str());
    }
    return rc;
}

/* Drop the open transaction (if any) and close, ignoring errors. */
void drop(xap_wdb *w) noexcept
{
    try {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.cancel_transaction();
        }
    } catch (...) {
    }
    try {
        w->db.close();
    } catch (...) {
    }
}

Xapian::Query::op map_op(xap_op op)
{
    switch (op) {
    case XAP_OP_AND: return Xapian::Query::OP_AND;
    case XAP_OP_OR: return Xapian::Query::OP_OR;
    case XAP_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case XAP_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
    case XAP_OP_FILTER: return Xapian::Query::OP_FILTER;
    case XAP_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
    case XAP_OP_PHRASE: return Xapian::Query::OP_PHRASE;
    case XAP_OP_NEAR: return Xapian::Query::OP_NEAR;
    case XAP_OP_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
    case XAP_OP_MAX: return Xapian::Query::OP_MAX;
    }
    return Xapian::Query::OP_AND;
}

class PrefixDecider : public Xapian::ExpandDecider {
  public:
    PrefixDecider(std::string p, int (*fn)(void *, const char *, size_t),
                  void *a)
        : prefix(std::move(p)), accept(fn), arg(a)
    {
    }
    bool operator()(const std::string &term) const override
    {
        if (!starts_with(term, prefix))
            return false;
        return !accept || accept(arg, term.data(), term.size()) != 0;
    }

  private:
    std::string prefix;
    int (*accept)(void *, const char *, size_t);
    void *arg;
};

} // namespace

/* ---- writing ---------------------------------------------------------- */

extern "C" int xap_wdb_open_ex(const char *path, int flags,
                               unsigned flush_threshold, xap_wdb **out,
                               tt_err *e)
{
    const char *where = path;
    *out = nullptr;
    return guard(e, &where, [&]() -> int {
        if (!path || !*path)
            return tt_seterr(e, TT_EINVAL, "empty database path");
        int action = (flags & XAP_OVERWRITE) ? Xapian::DB_CREATE_OR_OVERWRITE
                     : (flags & XAP_CREATE)  ? Xapian::DB_CREATE_OR_OPEN
                                             : Xapian::DB_OPEN;
        if (flags & XAP_NOSYNC)
            action |= Xapian::DB_NO_SYNC;
        std::unique_ptr<xap_wdb> w(new xap_wdb);
        w->path = path;
        {
            FlushEnv env(flush_threshold);
            w->db = Xapian::WritableDatabase(path, action);
        }
        w->db.begin_transaction(true);
        w->in_txn = true;
        *out = w.release();
        return TT_OK;
    });
}

extern "C" int xap_wdb_open(const char *path, int flags, xap_wdb **out,
                            tt_err *e)
{
    return xap_wdb_open_ex(path, flags, 0, out, e);
}

extern "C" int xap_wdb_commit(xap_wdb *w, tt_err *e)
{
    return write_op(w, e, [&](bool *touched) -> int {
        *touched = true;
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
        w->db.begin_transaction(true);
        w->in_txn = true;
        return TT_OK;
    });
}

/* path this process may not write (mode W_OK, as its effective ids):
 * errno, else 0. */
static int cannot_write(const std::string &path, int mode)
{
    return faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) != 0 ? errno
                                                                    : 0;
}

extern "C" int xap_wdb_writable(const xap_wdb *w, tt_err *e)
{
    if (!w)
        return tt_seterr(e, TT_EINVAL, "NULL writer");
    const std::string &dir = w->path;
    std::string bad = dir;
    int err = cannot_write(dir, W_OK | X_OK);
    DIR *d = err ? nullptr : opendir(dir.c_str());
    if (!err && !d)
        err = errno;
    struct dirent *de;
    while (d && !err && (de = readdir(d)) != nullptr) {
        size_t len = strlen(de->d_name);
        if (len > 6 && !strcmp(de->d_name + len - 6, ".glass")) {
            bad = dir + "/" + de->d_name;
            err = cannot_write(bad, W_OK);
        }
    }
    if (d)
        closedir(d);
    if (!err)
        return TT_OK;
    if (err == EACCES || err == EPERM)
        return tt_seterr(e, TT_EIO,
                         "%s: permission denied on %s for uid %u (a writer "
                         "must write the db's directory and tables)",
                         dir.c_str(), bad.c_str(), (unsigned)geteuid());
    return tt_seterr(e, TT_EIO, "%s: cannot write %s: %s", dir.c_str(),
                     bad.c_str(), strerror(err));
}

extern "C" const char *xap_wdb_path(const xap_wdb *w)
{
    return w ? w->path.c_str() : "";
}

extern "C" int xap_wdb_close(xap_wdb *w, tt_err *e)
{
    if (!w)
        return TT_OK;
    int rc = write_op(w, e, [&](bool *touched) -> int {
        *touched = true;
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
        w->db.close();
        return TT_OK;
    });
    drop(w);
    delete w;
    return rc;
}

extern "C" void xap_wdb_abandon(xap_wdb *w)
{
    if (!w)
        return;
    drop(w);
    delete w;
}

/* Give d the terms xap_doc_add_term gathered. */
static void settle(const xap_doc *doc)
{
    xap_doc *d = const_cast<xap_doc *>(doc);
    if (!d->nslots)
        return;
    for (const auto &sl : d->slots)
        if (sl.hash)
            d->d.add_term(d->arena.substr(sl.off, sl.len), sl.wdf);
    std::fill(d->slots.begin(), d->slots.end(), xap_doc::slot{});
    d->nslots = 0;
    d->arena.clear();
}

/* Check a document before touching the db: Xapian throws on a long term
 * only after discarding every pending change.  The document must hold its
 * id term, or it could never be replaced or deleted. */
static int check_doc(const xap_doc *doc, const std::string &id, tt_err *e)
{
    settle(doc);
    if (!doc->too_long.empty())
        return tt_seterr(e, TT_EINVAL,
                         "term too long (%zu bytes, max %zu): %.40s...",
                         doc->too_long.size(), MAX_TERM,
                         doc->too_long.c_str());
    bool has_id = std::find(doc->booleans.begin(), doc->booleans.end(), id) !=
                  doc->booleans.end();
    if (!has_id) { /* added with a wdf, then */
        Xapian::TermIterator t = doc->d.termlist_begin();
        t.skip_to(id);
        has_id = t != doc->d.termlist_end() && *t == id;
    }
    if (!has_id)
        return tt_seterr(e, TT_EINVAL, "document lacks its id term %.*s",
                         (int)std::min(id.size(), (size_t)200), id.data());
    return TT_OK;
}

extern "C" int xap_wdb_replace(xap_wdb *w, const char *idterm, size_t idlen,
                               const xap_doc *doc, xap_docid *docid,
                               tt_err *e)
{
    int rc = check_term("id term", idlen, e);
    if (rc != TT_OK)
        return rc;
    if (!doc)
        return tt_seterr(e, TT_EINVAL, "NULL document");
    return write_op(w, e, [&](bool *touched) -> int {
        std::string id(idterm, idlen);
        int crc = check_doc(doc, id, e);
        if (crc != TT_OK)
            return crc;
        *touched = true;
        Xapian::docid did = w->db.replace_document(id, doc->d);
        if (docid)
            *docid = did;
        return TT_OK;
    });
}

extern "C" int xap_wdb_add(xap_wdb *w, const char *idterm, size_t idlen,
                           const xap_doc *doc, xap_docid *docid, tt_err *e)
{
    int rc = check_term("id term", idlen, e);
    if (rc != TT_OK)
        return rc;
    if (!doc)
        return tt_seterr(e, TT_EINVAL, "NULL document");
    return write_op(w, e, [&](bool *touched) -> int {
        int crc = check_doc(doc, std::string(idterm, idlen), e);
        if (crc != TT_OK)
            return crc;
        *touched = true;
        Xapian::docid did = w->db.add_document(doc->d);
        if (docid)
            *docid = did;
        return TT_OK;
    });
}

extern "C" int xap_wdb_delete(xap_wdb *w, const char *idterm, size_t idlen,
                              unsigned *ndeleted, tt_err *e)
{
    if (ndeleted)
        *ndeleted = 0;
    int rc = check_term("id term", idlen, e);
    if (rc != TT_OK)
        return rc;
    return write_op(w, e, [&](bool *touched) -> int {
        std::string id(idterm, idlen);
        Xapian::doccount n = w->db.get_termfreq(id);
        if (n) {
            *touched = true;
            w->db.delete_document(id);
        }
        if (ndeleted)
            *ndeleted = n;
        return TT_OK;
    });
}

extern "C" int xap_wdb_set_metadata(xap_wdb *w, const char *key,
                                    const char *val, size_t vlen, tt_err *e)
{
    int rc = check_term("metadata key", key ? strlen(key) : 0, e);
    if (rc != TT_OK)
        return rc;
    return write_op(w, e, [&](bool *touched) -> int {
        std::string v = str(val, vlen);
        *touched = true;
        w->db.set_metadata(key, v);
        return TT_OK;
    });
}

extern "C" int xap_wdb_get_metadata(xap_wdb *w, const char *key, char **val,
                                    size_t *vlen, tt_err *e)
{
    *val = nullptr;
    *vlen = 0;
    const char *where = w ? w->path.c_str() : nullptr;
    return guard(e, &where, [&]() -> int {
        if (!w || !key || !*key)
            return tt_seterr(e, TT_EINVAL, "NULL writer or empty key");
        std::string v = w->db.get_metadata(key);
        *val = dup(v);
        *vlen = v.size();
        return TT_OK;
    });
}

extern "C" int xap_wdb_doccount(xap_wdb *w, uint32_t *n, tt_err *e)
{
    *n = 0;
    return guard(e, nullptr, [&]() -> int {
        if (!w)
            return tt_seterr(e, TT_EINVAL, "NULL writer");
        *n = w->db.get_doccount();
        return TT_OK;
    });
}

extern "C" int xap_wdb_termfreq(xap_wdb *w, const char *term, size_t len,
                                uint32_t *n, tt_err *e)
{
    *n = 0;
    return guard(e, nullptr, [&]() -> int {
        if (!w)
            return tt_seterr(e, TT_EINVAL, "NULL writer");
        *n = w->db.get_termfreq(str(term, len));
        return TT_OK;
    });
}

extern "C" int xap_compact(const char *const *srcs, size_t nsrc,
                           const char *dst, tt_err *e)
{
    const char *where = nullptr;
    bool started = false;
    int rc = guard(e, &where, [&]() -> int {
        if (nsrc == 0 || !dst || !*dst)
            return tt_seterr(e, TT_EINVAL, "compact: no source or no target");
        struct stat st;
        if (stat(dst, &st) == 0)
            return tt_seterr(e, TT_EINVAL, "compact: %s already exists", dst);
        Xapian::Database db;
        for (size_t i = 0; i < nsrc; i++) {
            where = srcs[i];
            db.add_database(Xapian::Database(srcs[i]));
        }
        where = dst; /* what fails now is the db being written */
        started = true;
        /* one pass: DBCOMPACT_MULTIPASS rewrites the postlists log2(n) times,
         * 1.5x slower merging 620 sub-dbs */
        db.compact(dst, 0);
        return TT_OK;
    });
    if (rc != TT_OK && started)
        tt_rmtree(dst, nullptr); /* no half-built db left behind */
    return rc;
}

extern "C" int xap_db_check(const char *path, size_t *errors, tt_err *e)
{
    const char *where = path;
    *errors = 0;
    return guard(e, &where, [&]() -> int {
        if (!path || !*path)
            return tt_seterr(e, TT_EINVAL, "empty database path");
        *errors = Xapian::Database::check(path, Xapian::DBCHECK_SHORT_TREE);
        return TT_OK;
    });
}

/* ---- documents -------------------------------------------------------- */

extern "C" xap_doc *xap_doc_new(void)
{
    xap_doc *d = nullptr;
    never_fail([&] { d = new xap_doc; });
    return d;
}

extern "C" void xap_doc_free(xap_doc *d)
{
    delete d;
}

/* Add wdf to term's count in d's table, growing it at half full. */
static void gather(xap_doc *d, const char *term, size_t len, uint32_t wdf)
{
    if ((d->nslots + 1) * 2 > d->slots.size()) {
        std::vector<xap_doc::slot> old;
        old.swap(d->slots);
        d->slots.assign(old.empty() ? 512 : old.size() * 2, xap_doc::slot{});
        size_t mask = d->slots.size() - 1;
        for (const auto &o : old)
            if (o.hash) {
                size_t i = o.hash & mask;
                while (d->slots[i].hash)
                    i = (i + 1) & mask;
                d->slots[i] = o;
            }
    }
    uint32_t h = (uint32_t)tt_fnv1a(term, len) | 1; /* never 0 */
    size_t mask = d->slots.size() - 1, i = h & mask;
    for (; d->slots[i].hash; i = (i + 1) & mask) {
        xap_doc::slot &sl = d->slots[i];
        if (sl.hash == h && sl.len == len &&
            !memcmp(d->arena.data() + sl.off, term, len)) {
            sl.wdf += wdf;
            return;
        }
    }
    d->slots[i] = {h, (uint32_t)d->arena.size(), (uint32_t)len, wdf};
    d->arena.append(term, len);
    d->nslots++;
}

/* Remember the document's first term too long for Xapian (check_doc). */
static void note_long(xap_doc *d, const char *term, size_t len)
{
    if (len > MAX_TERM && d->too_long.empty())
        d->too_long.assign(term, len);
}

extern "C" void xap_doc_add_posting(xap_doc *d, const char *term, size_t len,
                                    uint32_t pos, uint32_t wdfinc)
{
    if (!d || len == 0)
        return;
    never_fail([&] {
        note_long(d, term, len);
        d->d.add_posting(std::string(term, len), pos, wdfinc);
    });
}

extern "C" void xap_doc_add_term(xap_doc *d, const char *term, size_t len,
                                 uint32_t wdfinc)
{
    if (!d || len == 0)
        return;
    never_fail([&] {
        note_long(d, term, len);
        gather(d, term, len, wdfinc);
    });
}

extern "C" void xap_doc_add_boolean_term(xap_doc *d, const char *term,
                                         size_t len)
{
    if (!d || len == 0)
        return;
    never_fail([&] {
        note_long(d, term, len);
        d->booleans.emplace_back(term, len);
        d->d.add_boolean_term(d->booleans.back());
    });
}

extern "C" void xap_doc_set_value(xap_doc *d, unsigned slot, const char *val,
                                  size_t len)
{
    if (!d)
        return;
    never_fail([&] { d->d.add_value(slot, str(val, len)); });
}

extern "C" void xap_doc_set_data(xap_doc *d, const char *data, size_t len)
{
    if (!d)
        return;
    never_fail([&] { d->d.set_data(str(data, len)); });
}

/* ---- reading ---------------------------------------------------------- */

namespace {
/* Stubs are a few lines: a file larger than this, or holding a NUL byte,
 * is a database of its own (a single-file db), never read whole. */
const long MAX_STUB = 65536;

/* The text of the stub database path names (path itself, or
 * path/XAPIANDB when path is a directory) into *text, and the directory
 * its relative paths start from into *dir; false when there is none (a db
 * directory, a single-file db, a path that cannot be read). */
bool read_stub(const std::string &path, std::string *text, std::string *dir)
{
    struct stat st;
    std::string stub = path;
    *dir = ".";
    if (stat(path.c_str(), &st) != 0)
        return false;
    if (S_ISDIR(st.st_mode)) {
        stub = path + "/XAPIANDB";
        if (stat(stub.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
            return false;
        *dir = path;
    } else if (path.rfind('/') != std::string::npos) {
        *dir = path.substr(0, path.rfind('/'));
    }
    FILE *f = fopen(stub.c_str(), "r");
    if (!f)
        return false;
    char buf[4096];
    size_t got;
    text->clear();
    while (text->size() <= size_t(MAX_STUB) &&
           (got = fread(buf, 1, sizeof buf, f)) > 0)
        text->append(buf, got);
    fclose(f);
    return text->size() <= size_t(MAX_STUB) &&
           text->find('\0') == std::string::npos;
}

/* Call fn(type, target) for each line of a stub's text.  Xapian's stub
 * lines are "TYPE PATH" (a relative PATH from the stub's directory dir)
 * or "remote ...": target is the PATH to open for a local type, "" for
 * remote and inmemory lines. */
template <class F>
void each_stub_line(const std::string &text, const std::string &dir, F &&fn)
{
    size_t at = 0;
    while (at < text.size()) {
        size_t nl = text.find('\n', at);
        std::string l = text.substr(at, nl == std::string::npos
                                            ? std::string::npos
                                            : nl - at);
        at = nl == std::string::npos ? text.size() : nl + 1;
        while (!l.empty() && (l.back() == '\r' || l.back() == ' ' ||
                              l.back() == '\t'))
            l.pop_back();
        size_t sp = l.find_first_of(" \t");
        size_t arg = sp == std::string::npos ? sp
                                             : l.find_first_not_of(" \t", sp);
        std::string type = l.substr(0, sp);
        std::string rest = arg == std::string::npos ? "" : l.substr(arg);
        if (type.empty())
            continue;
        if (type == "remote" || type == "inmemory" || rest.empty())
            fn(type, std::string());
        else
            fn(type, rest[0] == '/' ? rest : dir + "/" + rest);
    }
}

/* Does path name a stub database that lists a remote database, itself or
 * through a stub it lists?  A database directory or file is none. */
bool lists_remote(const std::string &path, int depth)
{
    std::string text, dir;
    bool remote = false;
    if (depth > 8 || !read_stub(path, &text, &dir))
        return false;
    each_stub_line(text, dir,
                   [&](const std::string &type, const std::string &target) {
                       remote = remote || type == "remote" ||
                                (!target.empty() &&
                                 lists_remote(target, depth + 1));
                   });
    return remote;
}

/* The version file of the db directory path as it reads now (its
 * revision among the rest), or "" (none: a stub, or unreadable). */
std::string version_file(const std::string &path)
{
    for (const char *name : {"/iamglass", "/iamchert"}) {
        FILE *f = fopen((path + name).c_str(), "rb");
        if (!f)
            continue;
        std::string v;
        char buf[512];
        size_t k;
        while ((k = fread(buf, 1, sizeof buf, f)) > 0)
            v.append(buf, k);
        fclose(f);
        return v;
    }
    return std::string();
}

/* Open the db at path; on DatabaseModifiedError (a writer committed twice
 * while Xapian read the tables' roots) open it again, XAP_RETRIES times
 * in all.  A db whose version file read the same before and after a
 * failed open was changed by no writer: its blocks are newer than the
 * revision it names (copied or restored during a commit, or damaged):
 * DatabaseCorruptError, which no wait mends.  (The file is read only
 * after a failure: an open that succeeds, every search's, costs nothing
 * more.) */
Xapian::Database open_one(const std::string &path)
{
    std::string before;
    for (unsigned run = 1;; run++) {
        try {
            return Xapian::Database(path);
        } catch (const Xapian::DatabaseModifiedError &) {
            std::string now = version_file(path);
            if (run > 1 && !now.empty() && now == before)
                throw Xapian::DatabaseCorruptError(NEWER_BLOCKS);
            if (run >= XAP_RETRIES)
                throw;
            before = now;
        }
    }
}

/* Add the version file of the database path names (a Glass directory's
 * "iamglass"), or of each local database a stub file there lists; false
 * when it names another kind (a remote database, a single-file db). */
bool add_versions(const std::string &path, int depth,
                  std::vector<std::string> &out)
{
    struct stat st;
    std::string text, dir, f = path + "/iamglass";
    if (stat(f.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        out.push_back(f);
        return true;
    }
    if (depth > 8 || !read_stub(path, &text, &dir))
        return false;
    bool ok = true;
    each_stub_line(text, dir,
                   [&](const std::string &, const std::string &target) {
                       ok = ok && !target.empty() &&
                            add_versions(target, depth + 1, out);
                   });
    return ok && !out.empty();
}

/* The version files of the databases paths name (add_versions); none
 * when one of them has none. */
std::vector<std::string> version_files(const char *const *paths, size_t n)
{
    std::vector<std::string> v;
    for (size_t i = 0; i < n; i++)
        if (!add_versions(paths[i], 0, v))
            return std::vector<std::string>();
    return v;
}

/* What the version files are now: a commit writes a new file in the old
 * one's place (another inode, times and size). */
std::string version_stamp(const std::vector<std::string> &files)
{
    std::string out;
    struct stat st;
    for (const std::string &f : files) {
        char id[128];
        if (stat(f.c_str(), &st) != 0)
            snprintf(id, sizeof id, "(none);");
        else
            snprintf(id, sizeof id, "%llx:%llx:%llx:%lld.%ld:%lld.%ld;",
                     (unsigned long long)st.st_dev,
                     (unsigned long long)st.st_ino,
                     (unsigned long long)st.st_size,
                     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                     (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
        out += id;
    }
    return out;
}

/* Append to out what path names now: its identity, and for a stub its
 * text and what each path it lists names (xap_db_fingerprint). */
void fingerprint(const std::string &path, int depth, std::string &out)
{
    struct stat st;
    std::string text, dir;
    char id[64];
    if (depth > 8 || stat(path.c_str(), &st) != 0) {
        out += "(none);";
        return;
    }
    snprintf(id, sizeof id, "%llx:%llx;", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
    out += id;
    if (!read_stub(path, &text, &dir))
        return;
    out += "{";
    out += text;
    out += "}";
    each_stub_line(text, dir,
                   [&](const std::string &, const std::string &target) {
                       if (!target.empty())
                           fingerprint(target, depth + 1, out);
                   });
}
} // namespace

extern "C" int xap_db_open(const char *const *paths, size_t n, xap_db **out,
                           tt_err *e)
{
    const char *where = nullptr;
    *out = nullptr;
    return guard(e, &where, [&]() -> int {
        if (n == 0)
            return tt_seterr(e, TT_EINVAL, "no database to open");
        std::unique_ptr<xap_db> d(new xap_db);
        /* (stamped before the open: a commit between the two is seen at
         * the next reopen) */
        d->versions = version_files(paths, n);
        d->stamp = version_stamp(d->versions);
        for (size_t i = 0; i < n; i++) {
            where = paths[i];
            if (!where || !*where)
                return tt_seterr(e, TT_EINVAL, "empty database path");
            Xapian::Database one;
            try {
                one = open_one(paths[i]);
            } catch (const Xapian::DatabaseNotFoundError &) {
                throw;
            } catch (const Xapian::DatabaseLockError &) {
                throw;
            } catch (const Xapian::DatabaseVersionError &) {
                throw;
            } catch (const Xapian::DatabaseOpeningError &x) {
                /* a file Xapian took for a stub database ("Bad line"):
                 * no database there, as for a directory without one */
                if (!is_regular(paths[i]) || refused(x))
                    throw;
                return tt_seterr(e, TT_ENOTFOUND,
                                 "no database at %s (a file that is no "
                                 "Xapian stub database: %s)",
                                 paths[i], x.get_msg().c_str());
            }
            if (one.size() == 0) /* an empty stub file */
                return tt_seterr(e, TT_ENOTFOUND,
                                 "no database at %s (an empty file)",
                                 paths[i]);
            d->db.add_database(one);
            d->parts.push_back(one);
            d->remote = d->remote || lists_remote(paths[i], 0);
        }
        /* a stub file may list several: their uuids are joined with ':' */
        d->single = n == 1 && !d->remote &&
                    d->db.get_uuid().find(':') == std::string::npos;
        *out = d.release();
        return TT_OK;
    });
}

extern "C" char *xap_db_fingerprint(const char *path)
{
    char *out = nullptr;
    never_fail([&] {
        std::string f;
        fingerprint(path ? path : "", 0, f);
        out = dup(f);
    });
    return out;
}

extern "C" void xap_db_close(xap_db *db)
{
    if (!db)
        return;
    try {
        db->db.close();
    } catch (...) {
    }
    delete db;
}

extern "C" int xap_db_reopen(xap_db *db, int *changed, tt_err *e)
{
    if (changed)
        *changed = 0;
    db->changed_tries = 0;
    return guard(e, nullptr, [&]() -> int {
        std::string now;
        if (!db->versions.empty()) {
            now = version_stamp(db->versions);
            if (now == db->stamp)
                return TT_OK; /* no commit since: nothing to reopen */
        }
        xap_blocks_forget();
        bool ch = db->db.reopen();
        db->stamp = now; /* (a reopen that failed is tried again) */
        db->generation += ch;
        if (changed)
            *changed = ch;
        return TT_OK;
    });
}

extern "C" int xap_db_doccount(xap_db *db, uint32_t *n, tt_err *e)
{
    *n = 0;
    return guard(e, nullptr, [&]() -> int {
        retry(db, [&] { *n = db->db.get_doccount(); });
        return TT_OK;
    });
}

extern "C" int xap_db_termfreq(xap_db *db, const char *term, size_t len,
                               uint32_t *n, tt_err *e)
{
    *n = 0;
    return guard(e, nullptr, [&]() -> int {
        std::string t = str(term, len);
        retry(db, [&] { *n = db->db.get_termfreq(t); });
        return TT_OK;
    });
}

extern "C" int xap_db_collfreq(xap_db *db, const char *term, size_t len,
                               uint64_t *n, tt_err *e)
{
    *n = 0;
    return guard(e, nullptr, [&]() -> int {
        std::string t = str(term, len);
        retry(db, [&] { *n = db->db.get_collection_freq(t); });
        return TT_OK;
    });
}

extern "C" int xap_db_get_metadata(xap_db *db, const char *key, char **val,
                                   size_t *vlen, tt_err *e)
{
    *val = nullptr;
    *vlen = 0;
    return guard(e, nullptr, [&]() -> int {
        if (!key || !*key)
            return tt_seterr(e, TT_EINVAL, "empty metadata key");
        std::string v;
        retry(db, [&] { v = db->db.get_metadata(key); });
        *val = dup(v);
        *vlen = v.size();
        return TT_OK;
    });
}

extern "C" int xap_db_metadata_each(xap_db *db, const char *key,
                                    void (*fn)(void *arg, const char *val,
                                               size_t len),
                                    void *arg, tt_err *e)
{
    return guard(e, nullptr, [&]() -> int {
        if (!key || !*key)
            return tt_seterr(e, TT_EINVAL, "empty metadata key");
        std::vector<std::string> v(db->parts.size());
        retry(db, [&] {
            for (size_t i = 0; i < db->parts.size(); i++)
                v[i] = db->parts[i].get_metadata(key);
        });
        for (const std::string &one : v)
            fn(arg, one.data(), one.size());
        return TT_OK;
    });
}

extern "C" int xap_db_allterms(xap_db *db, const char *prefix, size_t plen,
                               int (*fn)(void *arg, const char *term,
                                         size_t len, uint32_t termfreq),
                               void *arg, tt_err *e)
{
    return guard(e, nullptr, [&]() -> int {
        std::string p = str(prefix, plen), last;
        bool have_last = false;
        /* a retry resumes after the last term delivered */
        retry(db, [&] {
            Xapian::TermIterator it = db->db.allterms_begin(p);
            Xapian::TermIterator end = db->db.allterms_end(p);
            if (have_last) {
                it.skip_to(last);
                if (it != end && *it == last)
                    ++it;
            }
            for (; it != end; ++it) {
                std::string t = *it;
                uint32_t tf = it.get_termfreq();
                last = t;
                have_last = true;
                if (fn(arg, t.data(), t.size(), tf))
                    break;
            }
        });
        return TT_OK;
    });
}

extern "C" int xap_db_find(xap_db *db, const char *idterm, size_t len,
                           xap_docid *id, tt_err *e)
{
    *id = 0;
    return guard(e, nullptr, [&]() -> int {
        int rc = check_term("id term", len, e);
        if (rc != TT_OK)
            return rc;
        std::string t(idterm, len);
        retry(db, [&] {
            Xapian::PostingIterator p = db->db.postlist_begin(t);
            if (p != db->db.postlist_end(t))
                *id = *p;
        });
        if (*id == 0)
            return tt_seterr(e, TT_ENOTFOUND, "no document with id term %.*s",
                             (int)std::min(len, (size_t)200), idterm);
        return TT_OK;
    });
}

extern "C" int xap_db_doc_data(xap_db *db, xap_docid id, char **data,
                               size_t *len, tt_err *e)
{
    *data = nullptr;
    *len = 0;
    return guard(e, nullptr, [&]() -> int {
        std::string v;
        /* without the check that the document exists (a lookup in the
         * termlist table, a quarter of the time): an article always has
         * data, so only empty data needs the check */
        retry(db, [&] {
            v = db->db.get_document(id, Xapian::DOC_ASSUME_VALID).get_data();
            if (v.empty())
                v = db->db.get_document(id).get_data();
        });
        *data = dup(v);
        *len = v.size();
        return TT_OK;
    });
}

extern "C" int xap_db_doc_value(xap_db *db, xap_docid id, unsigned slot,
                                char **val, size_t *len, tt_err *e)
{
    *val = nullptr;
    *len = 0;
    return guard(e, nullptr, [&]() -> int {
        std::string v;
        retry(db, [&] { v = db->db.get_document(id).get_value(slot); });
        *val = dup(v);
        *len = v.size();
        return TT_OK;
    });
}

extern "C" int xap_db_value_freq(xap_db *db, unsigned slot, uint32_t *freq,
                                 tt_err *e)
{
    *freq = 0;
    return guard(e, nullptr, [&]() -> int {
        retry(db, [&] { *freq = db->db.get_value_freq(slot); });
        return TT_OK;
    });
}

extern "C" int xap_db_value_bound(xap_db *db, unsigned slot, int upper,
                                  char **val, size_t *len, tt_err *e)
{
    *val = nullptr;
    *len = 0;
    return guard(e, nullptr, [&]() -> int {
        std::string v;
        retry(db, [&] {
            v = upper ? db->db.get_value_upper_bound(slot)
                      : db->db.get_value_lower_bound(slot);
        });
        *val = dup(v);
        *len = v.size();
        return TT_OK;
    });
}

extern "C" int xap_db_positions(xap_db *db, const xap_docid *ids,
                                size_t nids, const char *const *terms,
                                size_t nterms, xap_poslist **out, tt_err *e)
{
    *out = nullptr;
    return guard(e, nullptr, [&]() -> int {
        for (size_t j = 0; j < nids; j++)
            if (!ids[j])
                return tt_seterr(e, TT_EINVAL, "no document");
        std::vector<size_t> byterm(nterms), byid(nids);
        for (size_t t = 0; t < nterms; t++)
            byterm[t] = t;
        for (size_t j = 0; j < nids; j++)
            byid[j] = j;
        std::sort(byterm.begin(), byterm.end(), [&](size_t x, size_t y) {
            return strcmp(terms[x], terms[y]) < 0;
        });
        std::sort(byid.begin(), byid.end(),
                  [&](size_t x, size_t y) { return ids[x] < ids[y]; });
        std::vector<std::vector<Xapian::termpos>> pos(nterms * nids);
        retry(db, [&] {
            for (size_t t : byterm) {
                std::string term(terms[t]);
                for (size_t j : byid) {
                    auto &v = pos[t * nids + j];
                    v.clear();
                    for (Xapian::PositionIterator
                             p = db->db.positionlist_begin(ids[j], term),
                             end = db->db.positionlist_end(ids[j], term);
                         p != end; ++p)
                        v.push_back(*p);
                }
            }
        });
        xap_poslist *pl = static_cast<xap_poslist *>(
            xcalloc(pos.size() + 1, sizeof *pl));
        for (size_t k = 0; k < pos.size(); k++) {
            pl[k].n = pos[k].size();
            if (pl[k].n) {
                pl[k].pos = static_cast<uint32_t *>(
                    xmalloc(pl[k].n * sizeof *pl[k].pos));
                std::copy(pos[k].begin(), pos[k].end(), pl[k].pos);
            }
        }
        *out = pl;
        return TT_OK;
    });
}

extern "C" void xap_poslists_free(xap_poslist *pl, size_t n)
{
    if (!pl)
        return;
    for (size_t k = 0; k < n; k++)
        free(pl[k].pos);
    free(pl);
}

extern "C" int xap_db_doc_terms(xap_db *db, xap_docid id, const char *prefix,
                                size_t plen,
                                int (*fn)(void *arg, const char *term,
                                          size_t len, uint32_t wdf),
                                void *arg, tt_err *e)
{
    return guard(e, nullptr, [&]() -> int {
        std::string p = str(prefix, plen), last;
        bool have_last = false;
        retry(db, [&] {
            Xapian::TermIterator it = db->db.termlist_begin(id);
            Xapian::TermIterator end = db->db.termlist_end(id);
            it.skip_to(have_last ? last : p);
            if (have_last && it != end && *it == last)
                ++it;
            for (; it != end; ++it) {
                std::string t = *it;
                if (!starts_with(t, p))
                    break;
                uint32_t wdf = it.get_wdf();
                last = t;
                have_last = true;
                if (fn(arg, t.data(), t.size(), wdf))
                    break;
            }
        });
        return TT_OK;
    });
}

/* ---- queries ---------------------------------------------------------- */

extern "C" xap_query *xap_q_term(const char *term, size_t len, uint32_t wqf,
                                 uint32_t pos)
{
    xap_query *q = nullptr;
    never_fail([&] {
        q = new xap_query;
        /* Xapian's Query("") is MatchAll: an empty term matches nothing */
        if (len)
            q->q = Xapian::Query(std::string(term, len), wqf, pos);
    });
    return q;
}

namespace {
/* The sorted docids of a list, as postings of weight 0. */
class DocidSource : public Xapian::PostingSource {
    std::vector<Xapian::docid> ids;
    size_t at = 0;
    bool started = false;

  public:
    explicit DocidSource(std::vector<Xapian::docid> v) : ids(std::move(v)) {}
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return ids.size(); }
    Xapian::doccount get_termfreq_max() const override { return ids.size(); }
    void init(const Xapian::Database &) override
    {
        at = 0;
        started = false;
    }
    void next(double) override
    {
        if (started)
            at++;
        started = true;
    }
    void skip_to(Xapian::docid did, double) override
    {
        started = true;
        while (at < ids.size() && ids[at] < did)
            at++;
    }
    bool at_end() const override { return started && at >= ids.size(); }
    Xapian::docid get_docid() const override { return ids[at]; }
    Xapian::PostingSource *clone() const override
    {
        return new DocidSource(ids);
    }
};
} // namespace

namespace {
/* One term's postings in one database, decoded: a bit per docid, and the
 * wdf of each posting in docid order (a byte; WDF_BIG: the wdf is in big),
 * found by the rank of its bit (cum: the bits set before each word). */
const unsigned WDF_BIG = 255;
struct decoded_list {
    std::vector<uint64_t> bits;
    std::vector<uint32_t> cum;
    std::vector<uint8_t> wdf;
    std::unordered_map<Xapian::docid, Xapian::termcount> big;
    Xapian::termcount wdf_max = 0;
    /* the wdf bound Xapian gives the term itself, which its pruning (and
     * so the order of equal weights) depends on */
    Xapian::termcount bound = 0;
    uint64_t used = 0; /* the cache's clock at the last use */

    Xapian::doccount freq() const { return Xapian::doccount(wdf.size()); }
    size_t bytes() const
    {
        return bits.size() * 12 + wdf.size() + big.size() * 32 + 256;
    }
    bool has(Xapian::docid d) const
    {
        return d / 64 < bits.size() && (bits[d / 64] >> (d % 64) & 1);
    }
    /* the first docid >= d in the list, or a docid past the end */
    Xapian::docid next_from(Xapian::docid d) const
    {
        size_t i = d / 64;
        if (i >= bits.size())
            return Xapian::docid(bits.size() * 64);
        uint64_t w = bits[i] & (~uint64_t(0) << (d % 64));
        while (!w) {
            if (++i == bits.size())
                return Xapian::docid(bits.size() * 64);
            w = bits[i];
        }
        return Xapian::docid(i * 64 + unsigned(__builtin_ctzll(w)));
    }
    Xapian::termcount wdf_of(Xapian::docid d) const
    {
        uint64_t below = bits[d / 64] & ((uint64_t(1) << (d % 64)) - 1);
        uint8_t v = wdf[cum[d / 64] + unsigned(__builtin_popcountll(below))];
        return v == WDF_BIG ? big.at(d) : v;
    }
};

/* The decoded lists of the terms a long-lived reader asks for most, keyed
 * by database uuid, revision and term: a new revision's lists are decoded
 * anew and the old ones age out, least recently used first, when the
 * cache outgrows its budget. */
struct posting_cache {
    size_t budget = 0, bytes = 0;
    uint64_t clock = 0;
    uint64_t hits = 0, decodes = 0, evictions = 0; /* xap_cache_stats */
    std::unordered_map<std::string, std::shared_ptr<decoded_list>> lists;
    std::unordered_map<std::string, unsigned> asked;
    /* term frequencies in a single db at revision freqs_rev (several dbs
     * have no one revision: their frequencies are looked up each time) */
    std::unordered_map<std::string, Xapian::doccount> freqs;
    Xapian::doccount docs = 0;
    Xapian::rev freqs_rev = 0;

    static std::shared_ptr<decoded_list> decode(const Xapian::Database &sub,
                                                const std::string &term)
    {
        auto l = std::make_shared<decoded_list>();
        l->bits.assign(size_t(sub.get_lastdocid()) / 64 + 1, 0);
        l->wdf.reserve(sub.get_termfreq(term));
        for (Xapian::PostingIterator p = sub.postlist_begin(term),
                                     end = sub.postlist_end(term);
             p != end; ++p) {
            Xapian::docid d = *p;
            Xapian::termcount w = p.get_wdf();
            if (d / 64 >= l->bits.size())
                l->bits.resize(size_t(d) / 64 + 1, 0);
            l->bits[d / 64] |= uint64_t(1) << (d % 64);
            if (w >= WDF_BIG)
                l->big[d] = w;
            l->wdf.push_back(uint8_t(std::min<Xapian::termcount>(w, WDF_BIG)));
            l->wdf_max = std::max(l->wdf_max, w);
        }
        l->bound = l->wdf_max;
        try {
            l->bound = std::max(l->bound, sub.get_wdf_upper_bound(term));
        } catch (const Xapian::Error &) {
        }
        l->cum.resize(l->bits.size());
        uint32_t n = 0;
        for (size_t i = 0; i < l->bits.size(); i++) {
            l->cum[i] = n;
            n += uint32_t(__builtin_popcountll(l->bits[i]));
        }
        return l;
    }

    /* drop the least recently used lists (but keep) until within budget */
    void trim(const decoded_list *keep)
    {
        while (bytes > budget) {
            auto old = lists.end();
            for (auto i = lists.begin(); i != lists.end(); ++i)
                if (i->second.get() != keep &&
                    (old == lists.end() ||
                     i->second->used < old->second->used))
                    old = i;
            if (old == lists.end())
                break;
            bytes -= old->second->bytes();
            lists.erase(old);
            evictions++;
        }
    }

    /* term's list in sub (a single database), from the cache or decoded */
    std::shared_ptr<decoded_list> get(const Xapian::Database &sub,
                                      const std::string &term)
    {
        std::string key;
        try {
            key = sub.get_uuid() + '\n' +
                  std::to_string(sub.get_revision()) + '\n' + term;
        } catch (const Xapian::Error &) { /* no revision to key by */
            return decode(sub, term);
        }
        auto it = lists.find(key);
        if (it != lists.end()) {
            it->second->used = ++clock;
            hits++;
            return it->second;
        }
        auto l = decode(sub, term);
        decodes++;
        if (l->bytes() > budget)
            return l;
        l->used = ++clock;
        bytes += l->bytes();
        lists.emplace(key, l);
        trim(l.get());
        return l;
    }
};

/* A term's postings read from the posting cache, weighted as BM25 with
 * b = 0 weighs the term itself (see xap_q_term_cached). */
class CachedTermSource : public Xapian::PostingSource {
    std::shared_ptr<posting_cache> cache;
    std::string term;
    double termweight, k1;
    std::shared_ptr<decoded_list> list;
    Xapian::docid did = 0, end = 0;
    bool started = false;

    double weight_of(Xapian::termcount wdf) const
    {
        return termweight * (double(wdf) / (k1 + double(wdf)));
    }

  public:
    CachedTermSource(std::shared_ptr<posting_cache> c, std::string t,
                     double tw, double k)
        : cache(std::move(c)), term(std::move(t)), termweight(tw), k1(k)
    {
    }
    void init(const Xapian::Database &db) override
    {
        list = cache->get(db, term);
        did = 0;
        end = Xapian::docid(list->bits.size() * 64);
        started = false;
        set_maxweight(weight_of(list->bound));
    }
    Xapian::doccount get_termfreq_min() const override { return list->freq(); }
    Xapian::doccount get_termfreq_est() const override { return list->freq(); }
    Xapian::doccount get_termfreq_max() const override { return list->freq(); }
    void next(double) override
    {
        did = list->next_from(started ? did + 1 : 1);
        started = true;
    }
    void skip_to(Xapian::docid to, double) override
    {
        if (!started || to > did)
            did = list->next_from(std::max<Xapian::docid>(to, 1));
        started = true;
    }
    bool check(Xapian::docid to, double) override
    {
        /* where skip_to goes: a definite position, even when to is absent
         * (an OR reads the docid of a child whatever check said) */
        if (!started || to > did)
            did = list->has(to) ? to : list->next_from(to);
        started = true;
        return true;
    }
    bool at_end() const override { return started && did >= end; }
    Xapian::docid get_docid() const override { return did; }
    double get_weight() const override { return weight_of(list->wdf_of(did)); }
    Xapian::PostingSource *clone() const override
    {
        return new CachedTermSource(cache, term, termweight, k1);
    }
    std::string get_description() const override
    {
        return "cached " + term;
    }
};
} // namespace

extern "C" void xap_db_cache_postings(xap_db *db, size_t bytes)
{
    never_fail([&] {
        if (!bytes || db->remote) {
            db->cache.reset();
            return;
        }
        if (!db->cache)
            db->cache = std::make_shared<posting_cache>();
        db->cache->budget = bytes;
        db->cache->trim(nullptr);
    });
}

extern "C" int xap_db_remote(const xap_db *db)
{
    return db && db->remote;
}

extern "C" int xap_db_single(const xap_db *db)
{
    return db && db->single;
}

extern "C" unsigned xap_db_changed(const xap_db *db)
{
    return db ? db->changed_tries : 0;
}

extern "C" unsigned xap_db_generation(const xap_db *db)
{
    return db ? db->generation : 0;
}

extern "C" int xap_db_cache_stats(const xap_db *db, xap_cache_stats *st)
{
    *st = xap_cache_stats{};
    if (!db || !db->cache)
        return 0;
    const posting_cache &c = *db->cache;
    st->lists = c.lists.size();
    st->bytes = c.bytes;
    st->budget = c.budget;
    st->hits = c.hits;
    st->decodes = c.decodes;
    st->evictions = c.evictions;
    return 1;
}

extern "C" xap_query *xap_q_term_cached(xap_db *db, const char *term,
                                        size_t len, double factor, double k1,
                                        double min_share)
{
    xap_query *q = nullptr;
    if (!db || !db->cache || !len || k1 < 0 || factor < 0)
        return nullptr;
    never_fail([&] {
        posting_cache &c = *db->cache;
        std::string t(term, len);
        double n = 0, tf = 0;
        Xapian::rev rev = db->single ? db->db.get_revision() : 0;
        if (!db->single || rev != c.freqs_rev || c.freqs.size() > 100000) {
            c.freqs.clear();
            c.freqs_rev = rev;
        }
        auto f = c.freqs.find(t);
        if (f != c.freqs.end()) {
            n = c.docs;
            tf = f->second;
        } else {
            retry(db, [&] {
                n = db->db.get_doccount();
                tf = db->db.get_termfreq(t);
            });
            /* (a retry may have moved to a newer revision: not memoised) */
            if (db->single && db->db.get_revision() == rev) {
                c.docs = Xapian::doccount(n);
                c.freqs.emplace(t, Xapian::doccount(tf));
            }
        }
        if (!tf || tf < min_share * n)
            return;
        if (c.asked.size() > 100000) /* bounded: rarely asked terms go */
            c.asked.clear();
        if (++c.asked[t] < 2) /* once may be all: decode it the second time */
            return;
        double tw = (n - tf + 0.5) / (tf + 0.5);
        /* Xapian's BM25Weight::init (1.4) for wqf 1, in its order of
         * operations: the same weights to the last bit, so that ties
         * between documents break the same way */
        if (tw < 2)
            tw = tw * 0.5 + 1;
        double termweight = std::log(tw) * factor;
        termweight *= k1 + 1;
        std::unique_ptr<xap_query> r(new xap_query);
        r->q = Xapian::Query(
            (new CachedTermSource(db->cache, t, termweight, k1))->release());
        q = r.release();
    });
    return q;
}

extern "C" xap_query *xap_q_docids(const xap_db *db, const xap_docid *ids,
                                   size_t n)
{
    xap_query *q = nullptr;
    if (!db || !db->single)
        return nullptr;
    never_fail([&] {
        std::vector<Xapian::docid> v(ids, ids + n);
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        q = new xap_query;
        q->q = Xapian::Query((new DocidSource(std::move(v)))->release());
    });
    return q;
}

extern "C" xap_query *xap_q_op(xap_op op, xap_query **subs, size_t n,
                               unsigned window)
{
    xap_query *q = nullptr;
    never_fail([&] { q = new xap_query; });
    never_fail([&] {
        std::vector<Xapian::Query> v;
        for (size_t i = 0; i < n; i++)
            if (subs[i])
                v.push_back(subs[i]->q);
        /* Xapian rejects a window on the other operators */
        bool windowed = op == XAP_OP_PHRASE || op == XAP_OP_NEAR ||
                        op == XAP_OP_ELITE_SET;
        q->q = Xapian::Query(map_op(op), v.begin(), v.end(),
                             windowed ? window : 0);
    });
    for (size_t i = 0; i < n; i++)
        delete subs[i];
    return q;
}

extern "C" xap_query *xap_q_fixed(double weight)
{
    xap_query *q = nullptr;
    never_fail([&] {
        q = new xap_query;
        q->q = Xapian::Query(
            (new Xapian::FixedWeightPostingSource(weight))->release());
    });
    return q;
}

extern "C" xap_query *xap_q_op2(xap_op op, xap_query *a, xap_query *b)
{
    xap_query *subs[2] = {a, b};
    return xap_q_op(op, subs, 2, 0);
}

extern "C" xap_query *xap_q_scale(xap_query *q, double factor)
{
    if (!q)
        return nullptr;
    never_fail([&] {
        q->q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor);
    });
    return q;
}

extern "C" xap_query *xap_q_value_range(unsigned slot, const char *lo,
                                        size_t lolen, const char *hi,
                                        size_t hilen)
{
    xap_query *q = nullptr;
    never_fail([&] { q = new xap_query; });
    never_fail([&] {
        std::string l = str(lo, lolen), h = str(hi, hilen);
        if (lolen && hilen)
            q->q = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, l, h);
        else if (hilen)
            q->q = Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, h);
        else if (lolen)
            q->q = Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, l);
        else
            q->q = Xapian::Query::MatchAll;
    });
    return q;
}

/* A new handle holding one of Xapian's constant queries. */
static xap_query *q_constant(const Xapian::Query &c)
{
    xap_query *q = nullptr;
    never_fail([&] {
        q = new xap_query;
        q->q = c;
    });
    return q;
}

extern "C" xap_query *xap_q_all(void)
{
    return q_constant(Xapian::Query::MatchAll);
}

extern "C" xap_query *xap_q_nothing(void)
{
    return q_constant(Xapian::Query::MatchNothing);
}

extern "C" xap_query *xap_q_copy(const xap_query *q)
{
    xap_query *c = nullptr;
    if (q)
        never_fail([&] { c = new xap_query(*q); });
    return c;
}

extern "C" void xap_q_free(xap_query *q)
{
    delete q;
}

extern "C" int xap_q_is_empty(const xap_query *q)
{
    return !q || q->q.empty();
}

extern "C" char *xap_q_describe(const xap_query *q)
{
    char *s = nullptr;
    never_fail([&] {
        s = dup(q ? q->q.get_description() : std::string("Query()"));
    });
    return s ? s : xstrdup("");
}

extern "C" int xap_q_parse(xap_db *db, const char *qs,
                           const char *const *prefixes, size_t nprefixes,
                           xap_query **out, tt_err *e)
{
    *out = nullptr;
    return guard(e, nullptr, [&]() -> int {
        Xapian::QueryParser qp;
        if (db)
            qp.set_database(db->db);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
        for (size_t i = 0; i < nprefixes; i++) {
            const char *colon = strchr(prefixes[i], ':');
            if (!colon || colon == prefixes[i])
                return tt_seterr(e, TT_EINVAL,
                                 "prefix %s is not field:PREFIX", prefixes[i]);
            qp.add_prefix(std::string(prefixes[i], colon - prefixes[i]),
                          colon + 1);
        }
        unsigned flags = Xapian::QueryParser::FLAG_BOOLEAN |
                         Xapian::QueryParser::FLAG_PHRASE |
                         Xapian::QueryParser::FLAG_LOVEHATE |
                         Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE;
        std::unique_ptr<xap_query> q(new xap_query);
        q->q = qp.parse_query(qs ? qs : "", flags);
        *out = q.release();
        return TT_OK;
    });
}

/* ---- searching -------------------------------------------------------- */

extern "C" void xap_search_opts_init(xap_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->sort_slot = -1;
    o->collapse_slot = -1;
    o->facet_group_slot = -1;
    o->bm25_k1 = o->bm25_b = o->bm25_k3 = -1;
}

namespace {

/* xap_search_opts.accept as Xapian's MatchDecider. */
class accept_decider : public Xapian::MatchDecider {
    int (*fn)(void *, const char *, size_t);
    void *arg;

  public:
    accept_decider(int (*f)(void *, const char *, size_t), void *a)
        : fn(f), arg(a) {}
    bool operator()(const Xapian::Document &doc) const override
    {
        std::string d = doc.get_data();
        return fn(arg, d.data(), d.size()) != 0;
    }
};

/* The values in slots[0..n) of the hits: each slot's value stream walked
 * once in docid order (skip_to), where a document at a time would seek
 * the stream from its root for every hit and slot. */
void read_values(Xapian::Database &db, const unsigned *slots, size_t n,
                 std::vector<hit> &hits)
{
    std::vector<size_t> order(hits.size());
    for (size_t i = 0; i < order.size(); i++)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return hits[a].docid < hits[b].docid;
    });
    for (size_t k = 0; k < n; k++) {
        Xapian::ValueIterator v = db.valuestream_begin(slots[k]),
                              end = db.valuestream_end(slots[k]);
        for (size_t i : order) {
            std::string val;
            if (v != end) /* (never moves back: docids ascend) */
                v.skip_to(hits[i].docid);
            if (v != end && v.get_docid() == hits[i].docid)
                val = *v;
            hits[i].values.emplace_back(slots[k], std::move(val));
        }
    }
}

/* The facets' counts, each value of each slot counted once per group of
 * matches sharing the group slot's value (a story stored twice counts
 * once, in each section its copies are in: as a search restricted to
 * that section finds it).  A match without a group value counts alone. */
class group_count_spy : public Xapian::MatchSpy {
    unsigned group;
    std::vector<unsigned> slots;
    /* a group's first match's values, slots.size() of them from
     * first_at[key] */
    std::unordered_map<std::string, size_t> first_at;
    std::vector<std::string> firsts;
    /* a group's later values unlike its first's: key, slot index, value */
    std::unordered_set<std::string> others;

  public:
    std::vector<std::unordered_map<std::string, uint32_t>> counts;

    group_count_spy(unsigned group_slot, const unsigned *s, size_t n)
        : group(group_slot), slots(s, s + n), counts(n)
    {
        first_at.reserve(256);
    }

    void operator()(const Xapian::Document &doc, double) override
    {
        std::string key = doc.get_value(group);
        size_t n = slots.size();
        if (key.empty()) {
            for (size_t k = 0; k < n; k++) {
                std::string v = doc.get_value(slots[k]);
                if (!v.empty())
                    counts[k][v]++;
            }
            return;
        }
        auto at = first_at.try_emplace(key, firsts.size());
        for (size_t k = 0; k < n; k++) {
            std::string v = doc.get_value(slots[k]);
            if (at.second) {
                if (!v.empty())
                    counts[k][v]++;
                firsts.push_back(std::move(v));
                continue;
            }
            if (v.empty() || v == firsts[at.first->second + k])
                continue;
            std::string other = key;
            other += '\0';
            other += (char)k;
            other += v;
            if (others.insert(std::move(other)).second)
                counts[k][v]++;
        }
    }

    /* facet k, most frequent first, ties in value order */
    std::vector<std::pair<std::string, uint32_t>> top(size_t k,
                                                      uint32_t limit) const
    {
        std::vector<std::pair<std::string, uint32_t>> f(counts[k].begin(),
                                                        counts[k].end());
        std::sort(f.begin(), f.end(), [](const auto &a, const auto &b) {
            return a.second != b.second ? a.second > b.second
                                        : a.first < b.first;
        });
        if (limit && f.size() > limit)
            f.resize(limit);
        return f;
    }
};

/* Where the matcher had examined a given number of matches.  It takes
 * the documents in docid order and skips none until it has
 * check_at_least of them (and the page): the docid of that match says
 * what share of the db they came from, so that the total can be
 * estimated from a sample of the matches rather than from Xapian's model
 * of words that occur independently (an AND of words that go together,
 * "bão lũ": 200 estimated, 1,254 matches; the sample said 1,287). */
class sample_spy : public Xapian::MatchSpy {
    Xapian::doccount want, seen = 0;

  public:
    Xapian::docid at = 0; /* the want-th match, 0 if fewer */

    explicit sample_spy(Xapian::doccount n) : want(n) {}

    void operator()(const Xapian::Document &doc, double) override
    {
        if (++seen == want)
            at = doc.get_docid();
    }
};

/* Every document of a (sub-)database, with weight 0, until a deadline:
 * FILTERed with a query, it ends the query's match when the time is up
 * (the AND it is in reports its end, and the matcher stops).  The clock is
 * read at init and then every 256 moves: a vDSO call each is cheap, but
 * the matcher moves it once per candidate.  cut is shared by the clones
 * (one per sub-database). */
class DeadlineSource : public Xapian::PostingSource {
    double deadline;
    std::shared_ptr<bool> cut;
    Xapian::docid did = 0, last = 0;
    Xapian::doccount n = 0;
    unsigned moves = 0;
    bool ended = false;

    void moved()
    {
        if (did > last)
            ended = true;
        else if ((++moves & 255) == 0 && tt_now() >= deadline)
            ended = *cut = true;
    }

  public:
    DeadlineSource(double d, std::shared_ptr<bool> c)
        : deadline(d), cut(std::move(c)) {}
    /* (as an all-documents list: the estimates of the AND it is in stay
     * those of the query alone) */
    Xapian::doccount get_termfreq_min() const override { return n; }
    Xapian::doccount get_termfreq_est() const override { return n; }
    Xapian::doccount get_termfreq_max() const override { return n; }
    void init(const Xapian::Database &db) override
    {
        n = db.get_doccount();
        last = db.get_lastdocid();
        did = 0;
        moves = 0;
        ended = tt_now() >= deadline;
        if (ended)
            *cut = true;
    }
    void next(double) override
    {
        did++;
        moved();
    }
    void skip_to(Xapian::docid d, double) override
    {
        if (d > did)
            did = d;
        moved();
    }
    bool at_end() const override { return ended; }
    Xapian::docid get_docid() const override { return did; }
    Xapian::PostingSource *clone() const override
    {
        return new DeadlineSource(deadline, cut);
    }
};

} // namespace

extern "C" int xap_search(xap_db *db, const xap_query *q, uint32_t offset,
                          uint32_t limit, const xap_search_opts *o,
                          xap_mset **out, tt_err *e)
{
    *out = nullptr;
    return guard(e, nullptr, [&]() -> int {
        if (!q)
            return tt_seterr(e, TT_EINVAL, "NULL query");
        xap_search_opts defaults;
        if (!o) {
            xap_search_opts_init(&defaults);
            o = &defaults;
        }
        if (o->bm25_b > 1)
            return tt_seterr(e, TT_EINVAL, "bad BM25 parameters k1=%g b=%g",
                             o->bm25_k1, o->bm25_b);
        std::unique_ptr<xap_mset> m;
        retry(db, [&] {
            m.reset(new xap_mset);
            Xapian::Enquire enq(db->db);
            auto cut = std::make_shared<bool>(false);
            if (o->deadline > 0 && !db->remote)
                enq.set_query(Xapian::Query(
                    Xapian::Query::OP_FILTER, q->q,
                    Xapian::Query(
                        (new DeadlineSource(o->deadline, cut))->release())));
            else
                enq.set_query(q->q);
            if (o->sort_slot >= 0)
                enq.set_sort_by_value_then_relevance(o->sort_slot,
                                                     !o->sort_ascending);
            if (o->collapse_slot >= 0)
                enq.set_collapse_key(o->collapse_slot);
            if (o->bm25_k1 >= 0 || o->bm25_b >= 0 || o->bm25_k3 >= 0)
                enq.set_weighting_scheme(Xapian::BM25Weight(
                    o->bm25_k1 >= 0 ? o->bm25_k1 : 1.0, 0,
                    o->bm25_k3 >= 0 ? o->bm25_k3 : 1.0,
                    o->bm25_b >= 0 ? o->bm25_b : 0.5, 0.5));
            if (o->weight_cutoff > 0)
                enq.set_cutoff(0, o->weight_cutoff);
            std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
            std::unique_ptr<group_count_spy> grouped;
            if (o->nfacets && o->facet_group_slot >= 0 && !db->remote) {
                grouped.reset(new group_count_spy(
                    (unsigned)o->facet_group_slot, o->facet_slots,
                    o->nfacets));
                enq.add_matchspy(grouped.get());
            } else {
                for (size_t k = 0; k < o->nfacets; k++) {
                    spies.emplace_back(
                        new Xapian::ValueCountMatchSpy(o->facet_slots[k]));
                    enq.add_matchspy(spies.back().get());
                }
            }
            /* one local db: its docids are spread evenly over its
             * documents (shards interleave theirs, each its own span) */
            Xapian::doccount want =
                std::max<Xapian::doccount>(o->check_at_least, offset + limit);
            std::unique_ptr<sample_spy> sample;
            if (db->single && want) {
                sample.reset(new sample_spy(want));
                enq.add_matchspy(sample.get());
            }
            std::unique_ptr<accept_decider> dec;
            if (o->accept)
                dec.reset(new accept_decider(o->accept, o->accept_arg));
            Xapian::MSet ms = enq.get_mset(offset, limit, o->check_at_least,
                                           nullptr, dec.get());
            m->estimate = ms.get_matches_estimated();
            m->lower = ms.get_matches_lower_bound();
            m->upper = ms.get_matches_upper_bound();
            if ((m->cut = *cut)) { /* what was left unread may match */
                m->upper = std::max(m->upper, db->db.get_doccount());
                m->estimate = std::max(m->estimate, m->lower);
            }
            if (sample && sample->at && m->lower < m->upper) {
                /* as many per docid as in the sample, within the bounds
                 * of the matches before the collapse, less the copies it
                 * dropped: what a search without Xapian's collapse
                 * estimates, less the copies its window holds.  Xapian's
                 * own estimate is rounded to the width of its bounds
                 * (100,000 for "của" on 185,000 articles, 0.59 of its
                 * 170,477 matches: scaling by it gave 98,000 by date) */
                double n = (double)want * db->db.get_lastdocid() / sample->at;
                double ulo = ms.get_uncollapsed_matches_lower_bound();
                double uhi = ms.get_uncollapsed_matches_upper_bound();
                n = n < ulo ? ulo : n > uhi ? uhi : n;
                n -= uhi > m->upper ? uhi - m->upper : 0;
                m->estimate = n < m->lower   ? m->lower
                              : n > m->upper ? m->upper
                                             : (uint32_t)(n + 0.5);
            } else if (sample && !m->cut && m->lower < m->upper) {
                /* fewer matches than the sample wants: the matcher saw
                 * them all, and the collapse each of them, keeping one
                 * a key: its count of stories is exact (Xapian leaves
                 * it uncertain when the page holds fewer than them) */
                m->estimate = m->upper = m->lower;
            }
            /* known to the match already: no lookup each */
            for (Xapian::TermIterator t = q->q.get_unique_terms_begin();
                 t != q->q.get_unique_terms_end(); ++t)
                m->termfreqs[*t] = ms.get_termfreq(*t);
            m->hits.reserve(ms.size());
            for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
                hit h;
                h.docid = *it;
                h.weight = it.get_weight();
                h.collapse_count = it.get_collapse_count();
                if (!o->skip_data || !o->value_slots) {
                    Xapian::Document doc = it.get_document();
                    if (!o->skip_data)
                        h.data = doc.get_data();
                    if (!o->value_slots)
                        for (Xapian::ValueIterator v = doc.values_begin();
                             v != doc.values_end(); ++v)
                            h.values.emplace_back(v.get_valueno(), *v);
                }
                m->hits.push_back(std::move(h));
            }
            if (o->value_slots)
                read_values(db->db, o->value_slots, o->nvalue_slots, m->hits);
            m->facets_grouped = grouped != nullptr;
            for (size_t k = 0; grouped && k < o->nfacets; k++)
                m->facets.push_back(grouped->top(k, o->facet_limit));
            for (auto &spy : spies) {
                size_t nvals = 0;
                for (Xapian::TermIterator t = spy->values_begin();
                     t != spy->values_end(); ++t)
                    nvals++;
                if (o->facet_limit && nvals > o->facet_limit)
                    nvals = o->facet_limit;
                std::vector<std::pair<std::string, uint32_t>> f;
                f.reserve(nvals);
                /* most frequent first, ties in value order */
                for (Xapian::TermIterator t = spy->top_values_begin(nvals);
                     t != spy->top_values_end(nvals); ++t)
                    f.emplace_back(*t, t.get_termfreq());
                m->facets.push_back(std::move(f));
            }
        });
        *out = m.release();
        return TT_OK;
    });
}

extern "C" void xap_mset_free(xap_mset *m)
{
    delete m;
}

extern "C" size_t xap_mset_size(const xap_mset *m)
{
    return m ? m->hits.size() : 0;
}

extern "C" int xap_mset_cut(const xap_mset *m)
{
    return m && m->cut;
}

extern "C" void xap_mset_total(const xap_mset *m, uint32_t *estimate,
                               uint32_t *lower, uint32_t *upper)
{
    if (estimate)
        *estimate = m ? m->estimate : 0;
    if (lower)
        *lower = m ? m->lower : 0;
    if (upper)
        *upper = m ? m->upper : 0;
}

extern "C" int xap_mset_termfreq(const xap_mset *m, const char *term,
                                 size_t len, uint32_t *tf)
{
    *tf = 0;
    if (!m)
        return 0;
    int known = 0;
    never_fail([&] {
        auto it = m->termfreqs.find(str(term, len));
        if (it != m->termfreqs.end()) {
            *tf = it->second;
            known = 1;
        }
    });
    return known;
}

extern "C" xap_docid xap_mset_docid(const xap_mset *m, size_t i)
{
    return m && i < m->hits.size() ? m->hits[i].docid : 0;
}

extern "C" double xap_mset_weight(const xap_mset *m, size_t i)
{
    return m && i < m->hits.size() ? m->hits[i].weight : 0.0;
}

extern "C" uint32_t xap_mset_collapse_count(const xap_mset *m, size_t i)
{
    return m && i < m->hits.size() ? m->hits[i].collapse_count : 0;
}

extern "C" const char *xap_mset_data(const xap_mset *m, size_t i, size_t *len)
{
    if (!m || i >= m->hits.size()) {
        *len = 0;
        return "";
    }
    *len = m->hits[i].data.size();
    return m->hits[i].data.c_str();
}

extern "C" const char *xap_mset_value(const xap_mset *m, size_t i,
                                      unsigned slot, size_t *len)
{
    *len = 0;
    if (!m || i >= m->hits.size())
        return "";
    for (const auto &v : m->hits[i].values)
        if (v.first == slot) {
            *len = v.second.size();
            return v.second.c_str();
        }
    return "";
}

extern "C" int xap_mset_facets_grouped(const xap_mset *m)
{
    return m && m->facets_grouped;
}

extern "C" size_t xap_mset_facet_size(const xap_mset *m, size_t k)
{
    return m && k < m->facets.size() ? m->facets[k].size() : 0;
}

extern "C" const char *xap_mset_facet_value(const xap_mset *m, size_t k,
                                            size_t j, size_t *len,
                                            uint32_t *count)
{
    *len = 0;
    if (count)
        *count = 0;
    if (!m || k >= m->facets.size() || j >= m->facets[k].size())
        return "";
    const auto &f = m->facets[k][j];
    *len = f.first.size();
    if (count)
        *count = f.second;
    return f.first.c_str();
}

extern "C" int xap_expand(xap_db *db, const xap_docid *ids, size_t n,
                          const char *prefix, size_t nterms,
                          int (*accept)(void *arg, const char *term,
                                        size_t len),
                          void *arg, char ***terms, size_t *nterms_out,
                          tt_err *e)
{
    *terms = nullptr;
    *nterms_out = 0;
    return guard(e, nullptr, [&]() -> int {
        if (n == 0 || nterms == 0)
            return TT_OK;
        std::vector<std::string> got;
        PrefixDecider decider(prefix ? prefix : "", accept, arg);
        retry(db, [&] {
            got.clear();
            Xapian::RSet rset;
            for (size_t i = 0; i < n; i++)
                rset.add_document(ids[i]);
            Xapian::Enquire enq(db->db);
            Xapian::ESet es = enq.get_eset(
                static_cast<Xapian::termcount>(nterms), rset, &decider);
            for (Xapian::ESetIterator it = es.begin(); it != es.end(); ++it)
                got.push_back(*it);
        });
        if (got.empty())
            return TT_OK;
        char **v = static_cast<char **>(xmalloc(got.size() * sizeof *v));
        for (size_t i = 0; i < got.size(); i++)
            v[i] = dup(got[i]);
        *terms = v;
        *nterms_out = got.size();
        return TT_OK;
    });
}

extern "C" void xap_free_terms(char **terms, size_t n)
{
    if (!terms)
        return;
    for (size_t i = 0; i < n; i++)
        free(terms[i]);
    free(terms);
}

extern "C" size_t xap_sortable_double(double v, char *buf, size_t cap)
{
    char tmp[XAP_SORTABLE_MAX];
    size_t n = Xapian::sortable_serialise_(v, tmp); /* noexcept */
    memcpy(buf, tmp, std::min(n, cap));
    return n;
}

extern "C" double xap_unsortable_double(const char *buf, size_t len)
{
    double v = 0;
    never_fail([&] { v = Xapian::sortable_unserialise(str(buf, len)); });
    return v;
}
