#!/usr/bin/env bash
# A real file size limit (ulimit -f here; systemd's LimitFSIZE= is the
# same), with SIGXFSZ at its default (kill the process) as the shell and
# cron leave it: the programs must not die of it silently.  The write that
# crosses the limit fails with EFBIG instead and goes through the storage
# error paths the other tests exercise (there with trap '' XFSZ): the
# message names the file and says "File too large", the summary of what
# was stored is printed, and the next run stores the rest.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
for p in timtin-corpus timtin-index timtin-crawl timtin-sitegen; do
    [ -x "$B/$p" ] || skip "$p not built"
done
for c in python3 curl xapian-delve xapian-check; do
    command -v $c >/dev/null || skip "$c missing (scripts/install-deps.sh test)"
done
TC=$B/timtin-corpus
# SIGXFSZ at its default, as under cron or systemd (a signal ignored when
# the test started would stay ignored in every program it starts)
ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$$/status")
[ -n "$ign" ] && (( 0x$ign >> ($(kill -l XFSZ) - 1) & 1 )) &&
    skip "SIGXFSZ is ignored by what started the test"
# killed_by_xfsz STATUS: 153 (128 + SIGXFSZ), a death by the signal
killed_by_xfsz() { [ "$1" -eq $((128 + $(kill -l XFSZ))) ]; }

# gen N FIRST OUT: the sample articles over and over, under new ids
gen() {
    python3 - "$S" "$@" <<'EOF'
import itertools, json, sys
src = [json.loads(l) for l in open(sys.argv[1])]
n, first = int(sys.argv[2]), int(sys.argv[3])
with open(sys.argv[4], "w", encoding="utf-8") as f:
    for i, a in zip(range(first, first + n), itertools.cycle(src)):
        a = dict(a, id="gen-%06d" % i, title="%s maso%d" % (a["title"], i))
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
EOF
}
count() { "$TC" --corpus "$1" export | python3 -c '
import json, sys
ids = [json.loads(l)["id"] for l in sys.stdin]
print(len(ids) if len(ids) == len(set(ids)) else -1)'; }

# ---- timtin-corpus import ----
F=$T/corpus D=$T/db
"$TC" --corpus "$F" import --quiet "$S"
"$B/timtin-index" --corpus "$F" --db "$D" --quiet --no-sync # (for the indexer's test)
gen 3000 1 "$T/gen.jsonl"
limit=$(( ($(stat -c %s "$F/timtin-000001.warc.gz") + 300 * 1024) / 1024 ))
(ulimit -f "$limit"; exec "$TC" --corpus "$F" import "$T/gen.jsonl") 2>"$T/import.err"; rc=$?
sed 's/^/# /' "$T/import.err"
check_not "import: not killed by SIGXFSZ" killed_by_xfsz $rc
check "import: exit 3 (a storage error), the file named with 'File too large'" bash -c "
    test $rc -eq 3 && grep -q 'timtin-000001.warc.gz: File too large' '$T/import.err'"
stored=$(sed -n 's/.*read [0-9]*, stored \([0-9]*\),.*/\1/p' "$T/import.err")
check "import: the summary says what it stored, and what to do" bash -c "
    test -n '$stored' && test '$stored' -gt 0 && test '$stored' -lt 3000 &&
    grep -q 'importing again stores the rest' '$T/import.err'"
# (the last ones counted may be lost, as the message says: a record cut
# short is dropped when the corpus is next opened)
n=$(count "$F")
check "import: the articles before are there, and most of what it stored" \
    test "$n" -gt $((36 + ${stored:-0} / 2)) -a "$n" -le $((36 + ${stored:-0}))
"$TC" --corpus "$F" import --quiet "$T/gen.jsonl"
check "import: the next import stores the rest, once each" test "$(count "$F")" = 3036
"$TC" --corpus "$F" verify >/dev/null 2>&1
check "import: verify passes" test $? -eq 0

# ---- timtin-index ----
# the 3000 articles imported above, into the db of the first 36
limit=$(( $(du -sk "$D" | cut -f1) * 3 ))
(ulimit -f "$limit"; exec "$B/timtin-index" --corpus "$F" --db "$D" --no-sync --commit-every 50) \
    >/dev/null 2>"$T/index.err"; rc=$?
sed 's/^/# /' "$T/index.err"
check_not "index: not killed by SIGXFSZ" killed_by_xfsz $rc
check "index: exit 6 (a storage error), with 'File too large'" \
    bash -c "test $rc -eq 6 && grep -q 'File too large' '$T/index.err'"
check "index: the db is sound (xapian-check)" bash -c "xapian-check '$D' >/dev/null"
docs() { xapian-delve "$D" | sed -n 's/^number of documents = //p'; }
n=$(docs)
check "index: it kept whole commits ($n documents)" test $(( (n - 36) % 50 )) -eq 0 -a "$n" -lt 3036
"$B/timtin-index" --corpus "$F" --db "$D" --quiet --no-sync
check "index: the next run indexes the rest" test "$(docs)" = 3036

# ---- timtin-crawl ----
SITE=$T/site SLOG=$T/server.log
"$B/timtin-sitegen" --quiet --page-size 5 "$SITE" "$S"
python3 "$TOP/tests/server.py" --root "$SITE" --log "$SLOG" >"$T/port" 2>"$T/server.err" &
on_exit "kill $! 2>/dev/null"
wait_for test -s "$T/port" || { fail "server starts"; exit 1; }
BASE=http://127.0.0.1:$(head -1 "$T/port")
wait_for curl -sf -o /dev/null "$BASE/robots.txt" || { fail "server answers"; exit 1; }
crawl() { "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/cc" --delay 0 "$@"; }
(ulimit -f 60; crawl) 2>"$T/crawl.err"; rc=$?
sed 's/^/# /' "$T/crawl.err"
check_not "crawl: not killed by SIGXFSZ" killed_by_xfsz $rc
check "crawl: exit 1, the file named with 'File too large'" bash -c "
    test $rc -eq 1 && grep -q 'timtin-000001.warc.gz: File too large' '$T/crawl.err'"
crawl --quiet 2>"$T/crawl2.err"
check "crawl: the next run succeeds" test $? -eq 0
check "crawl: all 36 articles, each stored once" test "$(count "$T/cc")" = 36

# ---- timtin-nightly: the crawl under the limit, reported as a write
# refused (not as crawl errors, nor an exit 153) ----
N=$TOP/scripts/timtin-nightly
cat >"$T/nightly.conf" <<EOF
SITES=tuoitre@$BASE
CORPUS=$T/nc
DB=$T/ndb
LOG=$T/nightly.log
CRAWL_OPTS=--delay 0
MIN_FREE=0
BIN=$B
EOF
(ulimit -f 60; exec "$N" --config "$T/nightly.conf") >/dev/null 2>"$T/nightly.err"; rc=$?
sed 's/^/# /' "$T/nightly.err"
check "nightly: exit 1, the crawl 'cannot store (file size limit)', the crawler's line" bash -c "test $rc -eq 1 &&
    grep -A3 -xF 'timtin-nightly: crawl of tuoitre: cannot store (file size limit)' '$T/nightly.err' |
        grep -q '^    timtin-crawl: .*timtin-000001.warc.gz: File too large'"
check "nightly: no step reported as killed" bash -c "! grep -q 'killed by\|exit 153' '$T/nightly.err'"

done_testing
