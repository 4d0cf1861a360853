#!/usr/bin/env bash
# make demo without a person at the keyboard: scripts/demo.sh with
# TIMTIN_DEMO_NO_SERVE=1 must render, serve, crawl, index, print searches
# with results (accents, no accents, did-you-mean) and check its search
# page, then stop everything it started; and in its serving mode it must
# take the next port when the first is taken, answer searches, and stop
# everything on Ctrl-C.  The demo's directory: a non-empty one it did not
# make is refused untouched; in its own (or an older demo's) it makes its
# files afresh and deletes nothing else.  Readiness probes, never sleeps.
. "$(dirname "$0")/lib.sh"
for p in timtin-sitegen timtin-crawl timtin-index timtin-search timtin.cgi; do
    [ -x "$B/$p" ] || skip "$p not built"
done
for c in python3 curl; do command -v $c >/dev/null || skip "$c missing"; done
have_lighttpd=0
command -v lighttpd >/dev/null && have_lighttpd=1
DEMO=$TOP/scripts/demo.sh

# ---- non-interactive ----
PORT=$(free_port)
TIMTIN_DEMO_NO_SERVE=1 TIMTIN_DEMO_DIR=$T/demo TIMTIN_DEMO_PORT=$PORT \
    timeout 60 "$DEMO" "$B" >"$T/out" 2>"$T/err"; rc=$?
check "the demo exits 0" test $rc -eq 0
[ $rc -eq 0 ] || sed 's/^/# /' "$T/err" | tail -5
has() { grep -qF -- "$1" "$T/out"; }
cat "$T/out" "$T/err" >"$T/all"
check "it renders, serves, crawls and indexes the 36 samples" bash -c "
    grep -q 'The news site: http://127.0.0.1:[0-9]*/' '$T/all' &&
    grep -q 'articles: 36 new' '$T/all' && grep -q '36 added' '$T/all'"
check "everything is under the demo directory" test -d "$T/demo/site" -a -d "$T/demo/corpus" -a -d "$T/demo/db"
check "a search with accents finds Cần Thơ" has "Cần Thơ khởi công cầu mới bắc qua sông Cần Thơ"
check "the search without accents finds it too, with a suggestion" bash -c "
    grep -A3 -F \"'can tho'\" '$T/out' | grep -q 'Có phải bạn muốn tìm: Cần Thơ'"
check "bao so 9 finds the storm" has "Bão số 9 áp sát đất liền"
check "a typo gets a did-you-mean" has "Có phải bạn muốn tìm: học sinh"
check "result counts are printed" test "$(grep -cE '^[0-9]+ results?(, [0-9]+-[0-9]+ shown)? \(' "$T/out")" -ge 5
SITE=$(grep -o 'The news site: http://[0-9.:]*' "$T/out" | cut -d' ' -f4)
if [ $have_lighttpd = 1 ]; then
    check "the search page answered under lighttpd on the first free port" \
        has "The search page answers: http://127.0.0.1:$PORT/?q=can+tho"
    check "it did not wait for Ctrl-C" has "TIMTIN_DEMO_NO_SERVE=1"
    check_not "the search page is stopped at exit" curl -s -o /dev/null -m 2 "http://127.0.0.1:$PORT/"
else
    echo "# lighttpd not installed: the search page is not checked"
fi
check_not "the news site is stopped at exit" curl -s -o /dev/null -m 2 "$SITE/"

# ---- the demo directory: only what the demo made is ever deleted ----
# a directory of someone's own, not empty: refused, untouched
mkdir -p "$T/mine/sub"
echo precious >"$T/mine/notes.txt"
echo kept >"$T/mine/sub/db"
TIMTIN_DEMO_NO_SERVE=1 TIMTIN_DEMO_DIR=$T/mine timeout 60 "$DEMO" "$B" >"$T/mine.out" 2>"$T/mine.err"; rc=$?
check "a non-empty directory the demo did not make: refused (exit 1)" test $rc -eq 1
check "... saying why and what to do" grep -qF "demo: TIMTIN_DEMO_DIR=$T/mine is not empty and is not a demo directory (no .timtin-demo in it)" "$T/mine.err"
check "... and nothing in it is touched" bash -c "
    test \"\$(cat '$T/mine/notes.txt')\" = precious -a \"\$(cat '$T/mine/sub/db')\" = kept &&
    test \"\$(find '$T/mine' | wc -l)\" -eq 4"
sed 's/^/# /' "$T/mine.err"
echo x >"$T/afile"
TIMTIN_DEMO_NO_SERVE=1 TIMTIN_DEMO_DIR=$T/afile "$DEMO" "$B" >/dev/null 2>"$T/afile.err"; rc=$?
check "a file, not a directory: refused, kept" test $rc -eq 1 -a "$(cat "$T/afile")" = x -a \
    -n "$(grep -F "TIMTIN_DEMO_DIR=$T/afile is not a directory" "$T/afile.err")"
check "the demo marks its own directory" test -f "$T/demo/.timtin-demo"
# an older demo's directory, unmarked: its own names only, site.port among them
mkdir -p "$T/old/site" "$T/old/db"
cp "$T/demo/site.port" "$T/demo/db.lock" "$T/old/"
echo stale >"$T/old/site/stale.htm"
cp -r "$T/old" "$T/old2"
echo precious >"$T/old2/notes.txt"
TIMTIN_DEMO_NO_SERVE=1 TIMTIN_DEMO_DIR=$T/old TIMTIN_DEMO_PORT=$(free_port) \
    timeout 60 "$DEMO" "$B" >/dev/null 2>"$T/old.err"; rc=$?
check "an older demo's directory (unmarked) is cleared and used" \
    test $rc -eq 0 -a -f "$T/old/.timtin-demo" -a ! -e "$T/old/site/stale.htm" -a -d "$T/old/corpus"
TIMTIN_DEMO_NO_SERVE=1 TIMTIN_DEMO_DIR=$T/old2 "$DEMO" "$B" >/dev/null 2>"$T/old2.err"; rc=$?
check "... but not with a file of someone else's in it" \
    test $rc -eq 1 -a -f "$T/old2/site/stale.htm" -a "$(cat "$T/old2/notes.txt")" = precious
# the demo's directory again (as the serving run below uses it): what the
# demo made is made afresh, what someone else put there stays
echo precious >"$T/demo/notes.txt"
echo stale >"$T/demo/site/stale.htm"

# ---- serving until Ctrl-C, the first port taken ----
[ $have_lighttpd = 1 ] || skip "lighttpd not installed (scripts/install-deps.sh test)"
# a listener holds the first port
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(120)' >"$T/held" &
HOLD=$!
on_exit "kill $HOLD 2>/dev/null"
wait_for test -s "$T/held"
HELD=$(cat "$T/held")
# as from a terminal: its own process group with Ctrl-C (SIGINT) not
# ignored (a background job of a script would ignore it)
TIMTIN_DEMO_DIR=$T/demo TIMTIN_DEMO_PORT=$HELD python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL); os.setpgid(0, 0)
os.execv(sys.argv[1], sys.argv[1:])' "$DEMO" "$B" >"$T/out2" 2>"$T/err2" &
DP=$!
on_exit "kill -TERM -- -$DP 2>/dev/null"
serving() { grep -q 'Ctrl-C stops the demo' "$T/out2"; }
wait_for serving
check "serving mode: the address is printed" serving
URL=$(grep -o 'Open http://[0-9.:]*/' "$T/out2" | cut -d' ' -f2)
check "the first port was taken: the next free one is used" test -n "$URL" -a "$URL" != "http://127.0.0.1:$HELD/"
check "a second run in the demo's directory: what it made before is gone, the rest kept" \
    test ! -e "$T/demo/site/stale.htm" -a "$(cat "$T/demo/notes.txt")" = precious -a -f "$T/demo/site/robots.txt"
check "the search page answers a search" bash -c "
    curl -sf '${URL}?q=da+nang' | grep -q 'Đà Nẵng'"
SITE2=$(grep -o 'The news site: http://[0-9.:]*' "$T/out2" | cut -d' ' -f4)
kill -INT -- -"$DP"
stopped() { local s; s=$(ps -o stat= -p "$DP"); [ -z "$s" ] || [[ $s == Z* ]]; }
check "Ctrl-C ends the demo" wait_for stopped
stopped && { wait "$DP"; echo "# the demo exited with status $?"; }
check "... saying so" grep -q Stopped "$T/out2"
check_not "... and stops the search page" curl -s -o /dev/null -m 2 "$URL"
check_not "... and the news site" curl -s -o /dev/null -m 2 "$SITE2/"

done_testing
