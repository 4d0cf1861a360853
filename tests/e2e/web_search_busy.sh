#!/usr/bin/env bash
# An index that an indexer changes under every read, each try of it
# (Xapian's DatabaseModifiedError each time): timtin.cgi answers 503 with
# Retry-After: 1 and a page asking to try again, in HTML, JSON and RSS,
# and logs why, whether the changes spoil the index's opening (a CGI opens
# it at each request) or the search after it; a FastCGI worker answers
# again once they stop; timtin-search says so and exits 5.  The changes
# are those a reader sees, faked by a preloaded shim: no writer, no clock.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin.cgi" ] || { fail "build: $B/timtin.cgi missing"; exit 1; }
S=$TOP/corpus/samples/articles.jsonl
C=$T/corpus; D=$T/db
"$B/timtin-corpus" --corpus "$C" import --quiet "$S"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync

# A writer committing twice at each try of a read, as the reader sees it:
# each stat() of the version file (iamglass) finds another file, as a
# commit writes a new one (the shim reopens a db only then), and each
# read of it finds a revision two commits after the last one read, so
# that Xapian's reopen() opens the tables anew; and each leaf block read from a table is stamped with a revision
# newer than the branch block above it, Xapian's sign that a later commit
# reused the block: DatabaseModifiedError at every try, the cached blocks
# of the try before dropped by the reopen.  (The sample db's tables have
# a branch root, read at open; only leaves are read after.)  Nothing is
# written.  Armed once the version file was read more than FAULT_AFTER
# times (default 0: from the start; 1: after the open, which reads it
# once), while the file FAULT_ON names exists (when set); the stat()s
# find another file while that file exists (when set).
cat >"$T/churn.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned versions, bumps; /* version file reads, those changed */

static int armed(void)
{
    const char *after = getenv("FAULT_AFTER"), *on = getenv("FAULT_ON");
    int saved = errno, yes = versions > (after ? atoi(after) : 0) &&
                             (!on || access(on, F_OK) == 0);
    errno = saved;
    return yes;
}

/* the name of the file of FAULT_DB that fd reads, or NULL */
static const char *db_file(int fd, char *buf, size_t cap)
{
    const char *db = getenv("FAULT_DB");
    size_t n = db ? strlen(db) : 0;
    char link[64];
    int saved = errno;
    ssize_t len;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    len = n ? readlink(link, buf, cap - 1) : -1;
    errno = saved;
    if (len < 0)
        return NULL;
    buf[len] = '\0';
    return !strncmp(buf, db, n) && buf[n] == '/' ? buf + n + 1 : NULL;
}

ssize_t read(int fd, void *buf, size_t n)
{
    static ssize_t (*real)(int, void *, size_t);
    unsigned char *b = buf;
    char path[4096];
    const char *f;
    if (!real)
        real = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    ssize_t got = real(fd, buf, n);
    /* the version file from its start: magic, format, uuid, then the
     * revision (one byte below 128) */
    if (got > 32 && (f = db_file(fd, path, sizeof path)) &&
        !strcmp(f, "iamglass") && lseek(fd, 0, SEEK_CUR) == got &&
        !memcmp(b, "\x0f\x0dXapian Glass", 14)) {
        versions++;
        if (armed() && b[32] + 2 * (bumps + 1) < 128)
            b[32] += 2 * ++bumps;
    }
    return got;
}

static ssize_t stamp(int fd, unsigned char *b, ssize_t got)
{
    char path[4096];
    const char *f;
    /* a block: its revision (4 bytes), then its level (0: a leaf) */
    if (got > 4 && b[4] == 0 && armed() &&
        (f = db_file(fd, path, sizeof path)) && strstr(f, ".glass"))
        memset(b, 0xff, 4);
    return got;
}

/* another file at each look while FAULT_ON exists (or is not set) */
int stat(const char *path, struct stat *st)
{
    static int (*real)(const char *, struct stat *);
    static unsigned looks;
    const char *db = getenv("FAULT_DB"), *on = getenv("FAULT_ON");
    size_t n = db ? strlen(db) : 0;
    if (!real)
        real = (int (*)(const char *, struct stat *))dlsym(RTLD_NEXT, "stat");
    int rc = real(path, st), saved = errno;
    if (rc == 0 && n && !strncmp(path, db, n) &&
        !strcmp(path + n, "/iamglass") && (!on || access(on, F_OK) == 0))
        st->st_ino += ++looks;
    errno = saved;
    return rc;
}

#define PREAD(name)                                                      \
    ssize_t name(int fd, void *buf, size_t n, off_t at)                  \
    {                                                                    \
        static ssize_t (*real)(int, void *, size_t, off_t);              \
        if (!real)                                                       \
            real = (ssize_t(*)(int, void *, size_t, off_t))dlsym(        \
                RTLD_NEXT, #name);                                       \
        return stamp(fd, buf, real(fd, buf, n, at));                     \
    }
PREAD(pread)
PREAD(pread64)
EOF
${CC:-cc} -shared -fPIC -o "$T/churn.so" "$T/churn.c" -ldl 2>"$T/cc.err" ||
    { fail "the churn shim compiles: $(head -3 "$T/cc.err")"; exit 1; }
# (under ASan its runtime must come first)
asan=$(ldd "$B/timtin.cgi" 2>/dev/null | awk '/libasan/ { print $3 }')
PRELOAD="${asan:+$asan }$T/churn.so"
# what the db's files hold, to see that nothing changed them
sums() { (cd "$D" && sha256sum -- *); }
sums >"$T/sums.before"

# cgi AFTER QUERY_STRING: timtin.cgi as a CGI over the churning db, the
# version file read AFTER times first; the answer in $T/out (headers,
# body in $T/body), the error log in $T/err
cgi() {
    FAULT_DB=$D FAULT_AFTER=$1 LD_PRELOAD=$PRELOAD TIMTIN_DB=$D \
        REQUEST_METHOD=GET QUERY_STRING=$2 "$B/timtin.cgi" >"$T/out" 2>"$T/err"
    sed '1,/^\r$/d' "$T/out" >"$T/body"
}
header() { sed '/^\r$/q' "$T/out" | grep -i "^$1:" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
busy='Chỉ mục đang được cập nhật. Vui lòng thử lại sau một giây.'
# the one line logged, for a query q=bão
logged() { grep -Eqx "20[0-9-]{8}T[0-9:]{8}Z timtin\.cgi\[[0-9]+\]: error: $1; retried 5 times \(query \"bão\"\)" "$T/err" && test "$(wc -l <"$T/err")" = 1; }
json_busy() {
    python3 -c '
import json, sys
e = json.load(open(sys.argv[1], encoding="utf-8"))["error"]
assert e == {"status": 503, "message": sys.argv[2]}, e' "$T/body" "$busy"
}
rss_busy() {
    python3 -c '
import sys, xml.etree.ElementTree as E
ch = E.parse(sys.argv[1]).getroot().find("channel")
assert ch.find("item") is None and ch.findtext("description") == sys.argv[2], ch' "$T/body" "$busy"
}

# FAULT_AFTER 0: the open's first read (the analyzer's version) fails at
# each try (that was a 500, the log quoting Xapian's advice to reopen);
# 1: the search's reads do
for after in 0 1; do
    [ $after = 0 ] && stage=open what='the index changed while it was opened'
    [ $after = 1 ] && stage=search what='the index changed during the search'
    cgi $after 'q=b%C3%A3o'
    check "$stage: HTML: 503" test "$(head -1 "$T/out" | tr -d '\r')" = "Status: 503 Service Unavailable"
    check "$stage: HTML: Retry-After: 1, not cached" test "$(header Retry-After)/$(header Cache-Control)" = "1/no-store"
    check "$stage: HTML: the page asks to try again" grep -qF "$busy" "$T/body"
    check "$stage: HTML: a page" grep -q '^</html>' "$T/body"
    check "$stage: logged, one line: $what; retried 5 times" logged "$what"
    cgi $after 'q=b%C3%A3o&format=json'
    check "$stage: JSON: 503, Retry-After: 1" test "$(head -1 "$T/out" | tr -d '\r')/$(header Retry-After)" = "Status: 503 Service Unavailable/1"
    check "$stage: JSON: the error, status and message" json_busy
    check "$stage: JSON: logged" logged "$what"
    cgi $after 'q=b%C3%A3o&format=rss'
    check "$stage: RSS: 503, Retry-After: 1" test "$(head -1 "$T/out" | tr -d '\r')/$(header Retry-After)" = "Status: 503 Service Unavailable/1"
    check "$stage: RSS: a channel saying it" rss_busy
done
# from a shell (no REQUEST_METHOD): the page, exit 3 (as --help says)
FAULT_DB=$D LD_PRELOAD=$PRELOAD TIMTIN_DB=$D "$B/timtin.cgi" 'q=bão' >"$T/out" 2>"$T/err"; rc=$?
check "from a shell: exit 3, the page asking to try again" bash -c "test $rc -eq 3 && grep -qF '$busy' '$T/out'"
"$B/timtin.cgi" --help | tr '\n' ' ' | tr -s ' ' >"$T/help"
check "timtin.cgi --help: exit 3 covers the 503" grep -q '3 internal error (500), an index changing under the search (503)' "$T/help"

# the changes gone: the same db answers, its files as they were
TIMTIN_DB=$D REQUEST_METHOD=GET QUERY_STRING='q=b%C3%A3o&format=json' "$B/timtin.cgi" >"$T/out" 2>"$T/err"
sed '1,/^\r$/d' "$T/out" >"$T/body"
check "after: 200 with results, nothing logged" bash -c "
    head -1 '$T/out' | grep -q '^Status: 200' && test ! -s '$T/err' &&
    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))[\"results\"]' '$T/body'"
sums >"$T/sums.after"
check "after: the db's files unchanged" cmp -s "$T/sums.before" "$T/sums.after"

# a FastCGI worker keeps its searcher through the 503 and answers from it
# once the changes stop (FAULT_ON: the churn while the file exists)
FAULT_DB=$D FAULT_ON=$T/churning LD_PRELOAD=$PRELOAD TIMTIN_DB=$D \
    "$B/timtin.cgi" --listen "$T/fcgi.sock" 2>"$T/fcgi.err" &
FPID=$!
on_exit "kill $FPID 2>/dev/null; wait $FPID 2>/dev/null"
# fcgi: a request for q=bão, the answer in $T/out
fcgi() { python3 "$TOP/tests/fcgi.py" "$T/fcgi.sock" QUERY_STRING=q=b%C3%A3o >"$T/out" 2>/dev/null; }
fcgi_200() { fcgi && grep -q '^Status: 200' "$T/out"; }
check "fastcgi: serves" wait_for fcgi_200
touch "$T/churning"
fcgi
check "fastcgi, churning: 503, Retry-After: 1, asking to try again" bash -c "
    head -1 '$T/out' | grep -q '^Status: 503' && grep -q '^Retry-After: 1' '$T/out' && grep -qF '$busy' '$T/out'"
check "fastcgi, churning: logged" grep -Eq 'timtin\.cgi\[[0-9]+\]: error: the index changed during the search; retried 5 times \(query "bão"\)$' "$T/fcgi.err"
rm "$T/churning"
fcgi
check "fastcgi, after: 200 with results, the same worker" bash -c "
    head -1 '$T/out' | grep -q '^Status: 200' && grep -q '<li class=\"hit\"' '$T/out' && kill -0 $FPID"

# timtin-search: said, exit 5 (as --help says), no advice to rebuild
for after in 0 1; do
    [ $after = 0 ] && stage=open what='the index changed while it was opened'
    [ $after = 1 ] && stage=search what='the index changed during the search'
    FAULT_DB=$D FAULT_AFTER=$after LD_PRELOAD=$PRELOAD \
        "$B/timtin-search" --db "$D" --json bão >"$T/out" 2>"$T/err"; rc=$?
    check "timtin-search, $stage: exit 5, nothing printed" test $rc -eq 5 -a ! -s "$T/out"
    printf 'timtin-search: %s; retried 5 times\ntimtin-search: an indexer is committing to it: try again shortly\n' "$what" >"$T/want"
    check "timtin-search, $stage: said, try again, nothing of a rebuild" cmp -s "$T/want" "$T/err"
done
"$B/timtin-search" --help | tr '\n' ' ' | tr -s ' ' >"$T/help"
check "timtin-search --help: exit 5 covers it" grep -q '5 other error (standard output that cannot be written too; an index an indexer kept changing: try again)' "$T/help"
check "timtin-search after: results" bash -c "'$B/timtin-search' --db '$D' bão >/dev/null"

# Not busy but damaged: a copy of a db whose version file is older than
# its blocks (copied during a commit, a backup's version file restored
# over a newer db): the same DatabaseModifiedError, but no writer, so no
# newer revision; no wait mends it.  Made so: the version file kept, three
# commits that rewrite every article's document (freed blocks are reused
# two commits on), the old version file put back.
D2=$T/db2
cp -r "$D" "$D2"
cp "$D2/iamglass" "$T/iamglass.old"
for k in 1 2 3; do
    python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    a["title"] += " (sửa lần %s)" % sys.argv[2]
    print(json.dumps(a, ensure_ascii=False))' "$S" $k >"$T/v$k.jsonl"
    "$B/timtin-corpus" --corpus "$C" import --quiet "$T/v$k.jsonl"
    "$B/timtin-index" --corpus "$C" --db "$D2" --quiet --no-sync
done
cp "$T/iamglass.old" "$D2/iamglass"
damaged='its blocks are newer than the revision its version file names, and no writer is committing: the db was copied or restored during a commit, or is damaged'
"$B/timtin-search" --db "$D2" --json bão >"$T/out" 2>"$T/err"; rc=$?
check "damaged copy: timtin-search exit 3, says why, advises the rebuild" bash -c "
    test $rc -eq 3 && grep -qF '$damaged' '$T/err' &&
    grep -qF 'timtin-index --full rebuilds it' '$T/err' && ! grep -q 'try again' '$T/err'"
TIMTIN_DB=$D2 REQUEST_METHOD=GET QUERY_STRING='q=b%C3%A3o' "$B/timtin.cgi" >"$T/out" 2>"$T/err"
check "damaged copy: the web answers 500, not 503, and logs why" bash -c "
    head -1 '$T/out' | grep -q '^Status: 500' && ! grep -qi '^Retry-After' '$T/out' &&
    grep -qF '$damaged' '$T/err'"
done_testing
