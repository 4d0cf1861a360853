#!/usr/bin/env bash
# timtin.cgi as an operator runs it: its error log ties each line to a
# request (time, pid, query), a search cut short by its time budget says
# so and is not cached, a feed's errors come as a feed, and a FastCGI
# worker left idle lets go of a db swapped out under it.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin.cgi" ] || { fail "build: $B/timtin.cgi missing"; exit 1; }
python3 - >"$T/a.jsonl" <<'EOF'
import json
for i in range(30):
    print(json.dumps({"id": "o%d" % i, "title": "ngập lụt miền Trung %d" % i,
                      "sapo": "mưa to nhiều ngày ở Tây Nguyên, bài %d" % i,
                      "published": "2023-06-%02dT08:15:00+07:00" % (1 + i % 28),
                      "url": "https://ex.vn/o%d" % i}, ensure_ascii=False))
EOF
C=$T/corpus; D=$T/db
"$B/timtin-corpus" --corpus "$C" import --quiet "$T/a.jsonl"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync

# cgi DB QUERY_STRING: the answer in $T/out, the error log in $T/err
cgi() {
    TIMTIN_DB=$1 REQUEST_METHOD=GET QUERY_STRING=$2 "$B/timtin.cgi" >"$T/out" 2>"$T/err"
}
status() { head -1 "$T/out" | tr -d '\r'; }
ctype() { grep -m1 -i '^Content-Type:' "$T/out" | tr -d '\r'; }
# the body of $T/out parses as an RSS channel whose description holds $1
rss_error() {
    python3 - "$T/out" "$1" <<'EOF'
import sys, xml.etree.ElementTree as E
d = open(sys.argv[1], "rb").read().split(b"\r\n\r\n", 1)[1]
ch = E.fromstring(d).find("channel")
assert ch is not None and ch.find("item") is None
assert sys.argv[2] in ch.findtext("description"), ch.findtext("description")
assert ch.findtext("link").startswith("http")
EOF
}

# ---- the error log: time, pid, what happened, the query
cgi "$T/no-such-db" 'q=l%C5%A9+%22a%22%0Ab%5Cc'
check "log: a missing db is a 500" test "$(status)" = "Status: 500 Internal Server Error"
check "log: one line" test "$(wc -l <"$T/err")" = 1
check "log: time, program, pid, what, the query escaped" grep -Eq \
    '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z timtin\.cgi\[[0-9]+\]: error: cannot open the index: no database at .*no-such-db.* \(query "lũ \\"a\\" b\\\\c"\)$' "$T/err"
cgi "$T/no-such-db" "q=$(printf 'x%.0s' $(seq 300))"
check "log: a long query is cut, and says so" grep -Eq '\(query "x{200}"…\)$' "$T/err"

# ---- the search's time budget: set from the environment, checked
TIMTIN_SEARCH_BUDGET_MS=abc cgi "$D" 'q=ng%E1%BA%ADp'
check "budget: a bad TIMTIN_SEARCH_BUDGET_MS is a 500" test "$(status)" = "Status: 500 Internal Server Error"
check "budget: logged, naming it" grep -q 'TIMTIN_SEARCH_BUDGET_MS: expected a number of milliseconds' "$T/err"
TIMTIN_SEARCH_BUDGET_MS=60000 cgi "$D" 'q=ng%E1%BA%ADp&format=json'
check "budget: a search within it is not cut" bash -c "grep -q '\"total\":30,' '$T/out' && ! grep -q cut_short '$T/out'"
check "budget: nothing logged" test ! -s "$T/err"
# a search cut short before it found anything: a clock that moves 10 s
# at each reading (a preloaded shim) spends any budget at once
cat >"$T/clock.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>
int clock_gettime(clockid_t id, struct timespec *ts)
{
    static int (*real)(clockid_t, struct timespec *);
    static time_t ahead;
    if (!real)
        real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT,
                                                            "clock_gettime");
    int rc = real(id, ts);
    if (rc == 0 && id == CLOCK_MONOTONIC)
        ts->tv_sec += ahead += 10;
    return rc;
}
EOF
${CC:-cc} -shared -fPIC -o "$T/clock.so" "$T/clock.c" -ldl 2>"$T/cc.err" ||
    { fail "the clock shim compiles: $(head -3 "$T/cc.err")"; exit 1; }
# (under ASan its runtime must come first)
asan=$(ldd "$B/timtin.cgi" 2>/dev/null | awk '/libasan/ { print $3 }')
cut() { LD_PRELOAD="${asan:+$asan }$T/clock.so" TIMTIN_SEARCH_BUDGET_MS=1000 cgi "$D" "$1"; }
cut 'q=ng%E1%BA%ADp'
check "cut short, none found: 200" test "$(status)" = "Status: 200 OK"
check "cut short, none found: says it stopped before finding any" grep -q 'Cuộc tìm bị dừng sau 1000 ms, trước khi tìm thấy bài nào' "$T/out"
check "cut short, none found: not \"nothing found\", no spelling tip" bash -c "! grep -q 'Không tìm thấy\|chính tả' '$T/out'"
check "cut short, none found: how to narrow it" grep -q 'Thu hẹp câu tìm' "$T/out"
check "cut short: no public cache" grep -q '^Cache-Control: no-store' "$T/out"
check "cut short: logged" grep -q 'the search was cut short after 1000 ms (before it found any) (query "ngập")$' "$T/err"
cut 'q=ng%E1%BA%ADp&format=json'
check "cut short, JSON: said, no public cache" bash -c "grep -q '\"cut_short_ms\":1000' '$T/out' && grep -q '^Cache-Control: no-store' '$T/out'"
cut 'q=ng%E1%BA%ADp&format=rss'
check "cut short, RSS: no public cache" bash -c "grep -q '^Status: 200' '$T/out' && grep -q '^Cache-Control: no-store' '$T/out'"
cgi "$D" 'q=ng%E1%BA%ADp'
check "not cut: cached a minute, as before" grep -q '^Cache-Control: public, max-age=60' "$T/out"

# ---- a feed's errors are feeds; a feed has no pages
cgi "$D" 'format=rss&q=+'
check "rss: no query is a 400" test "$(status)" = "Status: 400 Bad Request"
check "rss: the 400 is RSS" test "$(ctype)" = "Content-Type: application/rss+xml; charset=utf-8"
check "rss: the 400 parses, saying why" rss_error "Thiếu câu tìm kiếm"
cgi "$D" 'format=rss&related=nosuch'
check "rss: an unknown related id is a 404" test "$(status)" = "Status: 404 Not Found"
check "rss: the 404 is RSS" test "$(ctype)" = "Content-Type: application/rss+xml; charset=utf-8"
check "rss: the 404 parses, saying why" rss_error "Không có bài viết"
cgi "$D" 'format=rss&q=ng%E1%BA%ADp&page=101'
check "rss: page=101 is ignored" test "$(status)" = "Status: 200 OK"
cgi "$D" 'format=rss&q=ng%E1%BA%ADp&page=x'
check "rss: page=x is ignored" test "$(status)" = "Status: 200 OK"
cgi "$D" 'format=rss&q=ng%E1%BA%ADp&sort=bad'
check "rss: sort=bad is ignored" test "$(status)" = "Status: 200 OK"
cgi "$D" 'q=ng%E1%BA%ADp&page=101'
check "html: page=101 is still refused" test "$(status)" = "Status: 400 Bad Request"

# ---- an idle FastCGI worker lets go of a db swapped out (--compact):
# the deleted files it held open are freed without another request
PORT=$(free_port)
TIMTIN_DB=$D "$B/timtin.cgi" --listen "127.0.0.1:$PORT" 2>"$T/fcgi.err" &
FPID=$!
on_exit "kill $FPID 2>/dev/null; wait $FPID 2>/dev/null"
fcgi_200() { python3 "$TOP/tests/fcgi.py" "127.0.0.1:$PORT" QUERY_STRING=q=ng%E1%BA%ADp 2>/dev/null | grep -q '^Status: 200'; }
# the worker's open files that were deleted
holds_deleted() { find "/proc/$FPID/fd" -lname '*(deleted)' 2>/dev/null | grep -q .; }
check "idle: serves" wait_for fcgi_200
check "idle: holds the db open" test -n "$(find "/proc/$FPID/fd" -lname "$D/*" | head -1)"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync --compact
check "idle: the compacted db swapped in" test -d "$D"
lets_go() { ! holds_deleted; }
check "idle: the worker lets go of the old files, no request needed" wait_for lets_go
check "idle: then serves from the new db" fcgi_200
check "idle: which it holds open" test -n "$(find "/proc/$FPID/fd" -lname "$D/*" | head -1)"
check "a corpus it may read: nothing said of it" bash -c "! grep -q 'where a snippet reads' '$T/fcgi.err'"

# ---- a FastCGI worker that may not read the corpus the db names says so
# once (snippets then come from the 512 bytes the db keeps)
cp -r "$C" "$T/c-gone"
"$B/timtin-index" --corpus "$T/c-gone" --db "$T/d-gone" --quiet --no-sync
mv "$T/c-gone" "$T/c-moved"
PORT2=$(free_port)
TIMTIN_DB=$T/d-gone "$B/timtin.cgi" --listen "127.0.0.1:$PORT2" 2>"$T/fcgi2.err" &
FPID2=$!
on_exit "kill $FPID2 2>/dev/null; wait $FPID2 2>/dev/null"
fcgi2_200() { python3 "$TOP/tests/fcgi.py" "127.0.0.1:$PORT2" QUERY_STRING=q=ng%E1%BA%ADp 2>/dev/null | grep -q '^Status: 200'; }
check "a corpus moved away: served" wait_for fcgi2_200
check "... second request served" fcgi2_200
check "... said once in the log, naming it" bash -c "test \"\$(grep -c \"the corpus $T/c-gone, where a snippet reads an article's whole text, cannot be read\" '$T/fcgi2.err')\" = 1"
done_testing
