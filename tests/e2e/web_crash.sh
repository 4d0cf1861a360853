#!/usr/bin/env bash
# A damaged index: Xapian's glass tables keep no checksums, and a block
# overwritten can make the library die of SIGSEGV.  timtin.cgi and
# timtin-search then log what happened and what to do (xapian-check,
# timtin-index --full) and exit 70; the CGI answers its own 500 page
# first, a FastCGI worker too (the records of its request), and the
# process watching the workers logs the crash and starts one again.
# Xapian's words for a damaged table ("EOF reading block") get the same
# advice; a directory without the version file says what it lacks.
# The crashes come from the damage recipe (a block of postlist.glass
# overwritten), which ones crash depending on memory layout, and from
# TIMTIN_TEST_CRASH, which makes every search fault where Xapian would.
. "$(dirname "$0")/lib.sh"
for p in timtin-corpus timtin-index timtin-search timtin.cgi; do
    [ -x "$B/$p" ] || { fail "build: $B/$p missing"; exit 1; }
done
S=$TOP/corpus/samples/articles.jsonl
C=$T/corpus; D=$T/db
"$B/timtin-corpus" --corpus "$C" import --quiet "$S"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync
ID=20230612081542118 # an article of the samples

# cgi DB QUERY_STRING [METHOD]: timtin.cgi as a CGI; its exit status in
# $rc, the answer in $T/out, the error log in $T/err
cgi() {
    TIMTIN_DB=$1 REQUEST_METHOD=${3:-GET} QUERY_STRING=$2 "$B/timtin.cgi" >"$T/out" 2>"$T/err"
    rc=$?
}
status() { head -1 "$T/out" | tr -d '\r'; }
# the 500 page, in Vietnamese, as for any failure of the index
page_500() {
    [ "$(status)" = "Status: 500 Internal Server Error" ] &&
        grep -q '^Cache-Control: no-store' "$T/out" &&
        grep -q '<html lang="vi">' "$T/out" &&
        grep -q 'Xin lỗi, máy tìm kiếm đang gặp sự cố' "$T/out"
}
# the log line of a crash of the search of the db $1, and the advice
crash_logged() {
    grep -Eq "^20[0-9-]{8}T[0-9:]{8}Z timtin\.cgi\[[0-9]+\]: error: crashed by SIG(SEGV|BUS) while answering: the index may be damaged .*: check it with xapian-check $1, and rebuild it with timtin-index --full" "$T/err"
}
# damage DB BLOCK: a copy of the db in DB, 400 bytes of block BLOCK of
# its postlist table overwritten (what a bad disk or a bad copy does)
damage() {
    rm -rf "$1"; cp -a "$D" "$1"
    python3 -c "import sys
f = open(sys.argv[1] + '/postlist.glass', 'r+b'); f.seek(int(sys.argv[2]) * 8192 + 40); f.write(b'\xff' * 400)" "$1" "$2"
}

# ---- the guard, deterministically: a fault in the search
TIMTIN_TEST_CRASH=1 cgi "$D" 'q=can+tho'
check "forced fault: exit status 70" test $rc = 70
check "forced fault: the 500 page" page_500
check "forced fault: the page whole (its length as said)" python3 -c '
import sys
h, b = open(sys.argv[1], "rb").read().split(b"\r\n\r\n", 1)
n = [l for l in h.split(b"\r\n") if l.startswith(b"Content-Length: ")]
sys.exit(0 if n and int(n[0][16:]) == len(b) and b.endswith(b"</html>\n") else 1)' "$T/out"
check "forced fault: a log line with the advice" crash_logged "$D"
check "forced fault: ... naming the request" grep -q '(query "can tho")$' "$T/err"
check "forced fault: one line" test "$(wc -l <"$T/err")" = 1
TIMTIN_TEST_CRASH=1 cgi "$D" 'q=can+tho' HEAD
check "forced fault, HEAD: the 500 headers, no body" bash -c "[ \$(tail -c 4 '$T/out' | od -An -c | tr -d ' ') = '\r\n\r\n' ] && head -1 '$T/out' | grep -q '^Status: 500'"
TIMTIN_TEST_CRASH=1 cgi "$D" ''
check "forced fault: the home page searches nothing, no crash" bash -c "[ $rc = 0 ] && head -1 '$T/out' | grep -q '^Status: 200'"
TIMTIN_TEST_CRASH=1 TIMTIN_DB=$D "$B/timtin.cgi" q=can+tho >"$T/out" 2>"$T/err"; rc=$?
check "forced fault, from a shell: exit 70, the page, the log line" bash -c "[ $rc = 70 ] && grep -q 'Xin lỗi, máy tìm kiếm' '$T/out' && grep -q 'crashed by SIGSEGV' '$T/err'"

# ---- the damage recipe: whatever a damaged block does, no process dies
# of a signal unsaid; a crash is answered and logged
crashes=0 bad=
blocks=$(( $(stat -c %s "$D/postlist.glass") / 8192 ))
for ((blk = 1; blk < blocks; blk++)); do
    damage "$T/dbs" $blk
    for qs in q=can+tho "related=$ID" 'q=b%C3%A3o&format=json'; do
        cgi "$T/dbs" "$qs"
        case $rc in
        0) ;;
        70) crashes=$((crashes + 1))
            page_500 && crash_logged "$T/dbs" || bad="$bad block $blk $qs: crash unsaid;" ;;
        *) bad="$bad block $blk $qs: exit $rc;" ;;
        esac
    done
done
check "damaged blocks: no death by a signal, every crash answered and logged" test -z "$bad" || echo "# $bad"
echo "# damaged blocks: $crashes CGI crashes"
# one that crashes on the samples' db (block 4: every build so far)
damage "$T/dbs" 4
cgi "$T/dbs" "related=$ID"
if [ $rc = 70 ]; then
    check "block 4 damaged, related=: the 500 page" page_500
    check "block 4 damaged, related=: the log line" crash_logged "$T/dbs"
else
    echo "# block 4 damaged, related=: no crash (exit $rc) on this build"
fi
# timtin-search the same way
crashes=0 bad=
for ((blk = 1; blk < blocks; blk++)); do
    damage "$T/dbs" $blk
    "$B/timtin-search" --db "$T/dbs" can tho >/dev/null 2>"$T/err"; rc=$?
    case $rc in
    70) crashes=$((crashes + 1))
        grep -q "^timtin-search: crashed by SIG[A-Z]*: the index may be damaged .*xapian-check $T/dbs, and rebuild it with timtin-index --full$" "$T/err" ||
            bad="$bad block $blk: crash unsaid;" ;;
    0 | 1 | 3 | 4 | 5) ;;
    *) bad="$bad block $blk: exit $rc;" ;;
    esac
done
check "timtin-search, damaged blocks: no death by a signal, every crash said" test -z "$bad" || echo "# $bad"
echo "# damaged blocks: $crashes timtin-search crashes"

# ---- Xapian's words for a damaged table, and a db without its version
# file, come with what to do
cp -a "$D" "$T/dbt"
truncate -s 30000 "$T/dbt/postlist.glass"
cgi "$T/dbt" 'q=can+tho'
check "truncated table: 500" page_500
check "truncated table: Xapian's message and the advice" grep -q "cannot open the index: .*xapian: DatabaseError: .*; the index may be damaged (its tables keep no checksums): check it with xapian-check $T/dbt, and rebuild it with timtin-index --full (query \"can tho\")$" "$T/err"
cp -a "$D" "$T/dbv"; rm "$T/dbv/iamglass"
cgi "$T/dbv" 'q=can+tho'
check "no version file: 500" page_500
check "no version file: says what is missing" grep -q "no database at $T/dbv .*; $T/dbv has no iamglass, the version file of a Xapian (glass) database, but has its tables: a db copied in part" "$T/err"
mkdir "$T/empty"
cgi "$T/empty" 'q=can+tho'
check "an empty directory: says there is no db in it" grep -q "; $T/empty has no iamglass, the version file of a Xapian (glass) database: build one there with timtin-index --db" "$T/err"

# ---- FastCGI: a worker that crashes answers its request with the 500
# page, the watcher logs it and starts one again
WA=127.0.0.1:$(free_port)
TIMTIN_TEST_CRASH=1 TIMTIN_DB=$D "$B/timtin.cgi" --listen "$WA" --workers 2 2>"$T/workers.err" &
wpid=$!
on_exit "kill $wpid 2>/dev/null; wait $wpid 2>/dev/null"
nkids() { [ "$(pgrep -c -P "$wpid")" = "$1" ]; }
fcgi() { python3 "$TOP/tests/fcgi.py" "$WA" "$@" >"$T/out" 2>/dev/null; }
check "FastCGI: the home page (no search) answered" wait_for bash -c "python3 '$TOP/tests/fcgi.py' '$WA' QUERY_STRING= | grep -q '^Status: 200'"
check "FastCGI: two workers" wait_for nkids 2
kids=$(pgrep -P "$wpid" | sort)
fcgi QUERY_STRING=q=can+tho; frc=$?
check "FastCGI crash: the request answered (FCGI_END_REQUEST)" test $frc = 0
check "FastCGI crash: with the 500 page" page_500
check "FastCGI crash: the worker's log line" wait_for grep -q "timtin\.cgi\[[0-9]*\]: error: crashed by SIGSEGV while answering: the index may be damaged .*xapian-check $D, .*(query \"can tho\")" "$T/workers.err"
check "FastCGI crash: the watcher's, with the advice" wait_for grep -q "warning: worker [0-9]* crashed (SIGSEGV or SIGBUS), its request answered with the 500 page: the index may be damaged (its tables keep no checksums): check it with xapian-check DB, and rebuild it with timtin-index --full; started again" "$T/workers.err"
check "FastCGI crash: a worker started again" wait_for bash -c "nkids() { [ \"\$(pgrep -c -P $wpid)\" = 2 ]; }; nkids && [ \"\$(pgrep -P $wpid | sort)\" != '$(echo $kids)' ]"
fcgi QUERY_STRING=q=can+tho REQUEST_METHOD=HEAD
check "FastCGI crash, HEAD: the 500 headers, no body" bash -c "head -1 '$T/out' | grep -q '^Status: 500' && ! grep -q '<html' '$T/out'"
check "FastCGI: the home page still answered" bash -c "python3 '$TOP/tests/fcgi.py' '$WA' QUERY_STRING= | grep -q '^Status: 200'"
kill $wpid; wait $wpid; rc=$?
check "FastCGI: SIGTERM stops them, exit 0" test $rc = 0
done_testing
