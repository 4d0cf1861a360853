#!/usr/bin/env bash
# The indexer: incremental runs, replacement and deletion by id, the writer
# lock, the analyzer-version check, compaction, bad and corrupt input,
# searchers answering during indexing, crash safety under SIGKILL, and ids
# too long for a Xapian term.
. "$(dirname "$0")/lib.sh"
command -v flock >/dev/null || skip "flock (util-linux) not installed"
S=$TOP/corpus/samples/articles.jsonl
C=$T/corpus; D=$T/db
corpus() { "$B/timtin-corpus" --corpus "$C" "$@"; }
index() { "$B/timtin-index" --corpus "$C" --db "$D" --no-sync "$@"; }
doccount() { xapian-delve "${1:-$D}" | sed -n 's/^number of documents = //p'; }
idterms() { xapian-delve -1 -a "${1:-$D}" | grep -c '^Q'; }
live() { corpus ls | wc -l; }
hits() { "$B/timtin-search" --db "$D" --json --limit 1000 "$@" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))'; }
# one document per live article, none twice
consistent() { local n; n=$(live); [ "$(doccount)" = "$n" ] && [ "$(idterms)" = "$n" ]; }

# A synthetic corpus of N articles made of the sample articles' sentences,
# each with a unique word "masoK".
gen() { # N FIRST OUT
    python3 - "$S" "$1" "$2" >"$3" <<'EOF'
import json, random, sys
src = [json.loads(l) for l in open(sys.argv[1])]
paras = [p for a in src for p in a["body"]]
n, first = int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(first)
for i in range(first, first + n):
    a = rnd.choice(src)
    print(json.dumps({"id": "gen-%06d" % i, "title": "%s maso%d" % (a["title"], i),
        "sapo": a["sapo"], "body": rnd.sample(paras, 4), "section": a["section"],
        "authors": a["authors"], "published": a["published"], "source": "gen"},
        ensure_ascii=False))
EOF
}
# flip_record FILE K: flip a byte inside the compressed data of the K-th
# last record of a WARC file
flip_record() {
    python3 - "$1" "$2" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
starts = [i for i in range(len(data) - 2) if data[i:i+3] == b"\x1f\x8b\x08"]
victim = starts[-int(sys.argv[2])]
data[victim + 40] ^= 0xFF
open(sys.argv[1], "wb").write(data)
EOF
}

corpus import --quiet "$S"
index --quiet
check "bulk build: one document per article" consistent
check "metadata: analyzer recorded" bash -c "xapian-metadata get '$D' timtin.analyzer | grep -q timtin-analyzer"
check "metadata: checkpoint recorded" bash -c "xapian-metadata get '$D' timtin.checkpoint | grep -q '^[0-9]*:[0-9]*$'"

# incremental: new, changed, deleted
gen 40 1 "$T/new.jsonl"
corpus import --quiet "$T/new.jsonl"
python3 - "$S" >"$T/changed.jsonl" <<'EOF'
import json, sys
a = json.loads(open(sys.argv[1]).readline())
a["body"].append("Đoạn bổ sung có từ khóa riêng quyxaphun.")
print(json.dumps(a, ensure_ascii=False))
EOF
corpus import --quiet "$T/changed.jsonl"
first=$(head -1 "$S" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
second=$(sed -n 2p "$S" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
corpus delete "$second" >/dev/null
out=$(index)
check "incremental: 40 added, 1 replaced, 1 deleted" grep -q '40 added, 1 replaced, 1 deleted' <<<"$out"
check "incremental: consistent" consistent
check "changed article found by its new word" test "$(hits quyxaphun)" = 1
check "deleted article gone" outputs_no 'termfreq [1-9]' xapian-delve -t "Q$second" "$D"
out=$(index)
check "nothing new: nothing done" grep -q ' 0 added, 0 replaced, 0 deleted' <<<"$out"

# the writer lock: a second indexer exits at once; with --wait it waits
mkfifo "$T/go"
flock "$D.lock" -c "echo locked; read x <'$T/go'" >"$T/holder" &
holder=$!
on_exit "kill $holder 2>/dev/null"
wait_for grep -q locked "$T/holder"
index --quiet 2>"$T/err"; rc=$?
check "locked: exit 3" test $rc -eq 3
check "locked: one clear line" bash -c "test \$(wc -l <'$T/err') -eq 1 && grep -q 'another timtin-index' '$T/err'"
# (the lock is released only once the waiter says it waits: it has met
# the lock and not given up)
index --quiet --wait 2>"$T/err2" &
waiter=$!
check "--wait: says it waits for the lock" \
    wait_for grep -q "waiting for the lock on $D (held by another timtin-index)" "$T/err2"
check "--wait: still waiting while locked" kill -0 $waiter
echo go >"$T/go"
wait $waiter; rc=$?
check "--wait: runs once the lock is free" test $rc -eq 0
check "--wait: nothing else said" test "$(wc -l <"$T/err2")" -eq 1

# another analyzer version (the one before this) is refused
cp -r "$D" "$T/olddb"
xapian-metadata set "$T/olddb" timtin.analyzer timtin-analyzer-13
"$B/timtin-index" --corpus "$C" --db "$T/olddb" --quiet 2>"$T/err"; rc=$?
check "other analyzer: exit 4 and says --full" bash -c "test $rc -eq 4 && grep -q -- --full '$T/err'"
"$B/timtin-search" --db "$T/olddb" x >/dev/null 2>"$T/err"; rc=$?
check "searcher refuses it too (exit 4)" test $rc -eq 4
"$B/timtin-index" --corpus "$C" --db "$T/olddb" --quiet --full
check "--full rebuilds it" bash -c "xapian-metadata get '$T/olddb' timtin.analyzer | grep -qv timtin-analyzer-13"

# compaction in place keeps every document
before=$(hits 'hòa bình')
index --quiet --compact
check "--compact: consistent" consistent
check "--compact: same results" test "$(hits 'hòa bình')" = "$before"
check "--compact: no leftovers" bash -c "! ls -d '$D'.compact '$D'.new* 2>/dev/null | grep -q ."

# bad input: empty body, absurd date, a 5 MB body; a corrupt record
python3 - >"$T/bad.jsonl" <<'EOF'
import json
print(json.dumps({"id": "bad-1", "title": "Chỉ có tiêu đề zzkhongthan"}))
print(json.dumps({"id": "bad-2", "title": "Ngày sai", "body": ["nội dung"], "published": "9999-99-99"}))
print(json.dumps({"id": "bad-3", "title": "Rất dài", "body": ["chữ " * 1300000 + "zzcuoibai"]}))
EOF
corpus import --quiet "$T/bad.jsonl"
out=$(index 2>"$T/err")
check "title-only article indexed" test "$(hits zzkhongthan)" = 1
check "absurd date counted" grep -q 'unusable date' <<<"$out"
check "5 MB body cut, counted" grep -q '1 with their text cut at 1048576 bytes' <<<"$out"
check "bad input: consistent" consistent
gen 5 100 "$T/more.jsonl"
corpus import --quiet "$T/more.jsonl"
flip_record "$(ls "$C"/*.warc.gz | tail -1)" 3
out=$(index 2>"$T/err"); rc=$?
check "corrupt record: run completes" test $rc -eq 0
check "corrupt record: reported with file and offset" grep -q 'offset' "$T/err"
check "corrupt record: the others indexed" grep -q '4 added' <<<"$out"

# searchers keep answering while a bulk build and an incremental run go on
gen 1500 1000 "$T/big.jsonl"
corpus import --quiet "$T/big.jsonl"
index --quiet --commit-every 100 &
ix=$!
fails=0; runs=0
while kill -0 $ix 2>/dev/null; do
    "$B/timtin-search" --db "$D" --limit 3 'hòa bình' >/dev/null 2>>"$T/search.err"
    [ $? -le 1 ] || fails=$((fails + 1))
    runs=$((runs + 1))
done
wait $ix
check "searches during indexing never fail ($runs runs)" test $fails -eq 0 -a $runs -gt 0
check "after the run: consistent" consistent
check "new articles visible without restart" test "$(hits maso1499)" = 1

# crash safety: SIGKILL in the middle of incremental runs, each at a point
# of its own: after the run's K-th commit, seen in the checkpoint while the
# indexer is stopped (kill_when), K drawn from a seed that is printed
# (TT_KILL_SEED=N replays the same K).  After each kill the db holds
# exactly the articles the corpus holds before its checkpoint, once each;
# a clean run then completes it
seed=${TT_KILL_SEED:-$RANDOM}
RANDOM=$seed
echo "# kill points drawn from seed $seed (TT_KILL_SEED=$seed replays them)"
checkpoint() { xapian-metadata get "${1:-$D}" timtin.checkpoint; }
qids() { xapian-delve -1 -A Q "${1:-$D}" | sed -n 's/^Q//p' | sort; }
same_ids() { corpus ls 2>/dev/null | cut -f1 | sort | cmp -s - <(qids); } # db = corpus
whole() { consistent && same_ids; }
# recs CORPUS: a line "file:end id year" for each article record of
# CORPUS, in the order written: where it ends (file:offset, the checkpoint
# of a commit just after it), its id, and the year's db it goes to (the
# year of its date as written, as the indexer reads it, or undated; "-"
# for a deletion marker).  A record the indexer skips is left out: a
# damaged one (a gzip member that does not decode: the next one is
# found), or one whose JSON does not parse or names another article
recs() {
    python3 - "$1" <<'EOF2'
import datetime, glob, json, os, re, sys, zlib
DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?"
                  r"(?:[Zz]|[+-](\d\d):?(\d\d)?)?)?")
def year(s):  # date_local_key's year (lib/date.c), or undated
    m = DATE.fullmatch(s) if isinstance(s, str) else None
    if not m:
        return "undated"
    y, mo, d, h, mi, se, oh, om = (int(g or 0) for g in m.groups())
    try:
        datetime.date(y, mo, d)
    except ValueError:
        return "undated"
    ok = h <= 23 and mi <= 59 and se <= 60 and oh <= 14 and om <= 59 and 1900 <= y < 2100
    return "%04d" % y if ok else "undated"
for path in sorted(glob.glob(os.path.join(sys.argv[1], "timtin-*.warc.gz"))):
    serial = int(re.search(r"(\d+)\.warc\.gz$", path).group(1))
    data = open(path, "rb").read()
    pos = 0
    while pos < len(data):  # one gzip member per record
        z, out, i = zlib.decompressobj(31), b"", pos
        try:
            while not z.eof and i < len(data):
                j = min(i + 65536, len(data))
                out += z.decompress(data[i:j])
                i = j
            if not z.eof or not out.startswith(b"WARC/1."):
                raise zlib.error("not a record")
        except zlib.error:  # damaged: skipped
            pos = data.find(b"\x1f\x8b\x08", pos + 1)
            if pos < 0:
                break
            continue
        pos = i - len(z.unused_data)
        head, block = out.split(b"\r\n\r\n", 1)
        head = dict(l.split(": ", 1) for l in head.decode().split("\r\n")[1:])
        id = head.get("WARC-Timtin-Article-Id")
        if id is None:
            continue
        if "WARC-Timtin-Deleted" in head:
            print("%d:%d %s -" % (serial, pos, id))
            continue
        try:
            a = json.loads(block[:int(head["Content-Length"])])
        except ValueError:
            continue
        if a.get("id") == id:
            print("%d:%d %s %s" % (serial, pos, id, year(a.get("published"))))
EOF2
}
# use_corpus CORPUS: its records for done_at, state and exact ($RECS;
# upto: a checkpoint -> the article records before it; $NRECS in all)
declare -A upto
use_corpus() {
    local pos
    RECS=$T/recs.${1##*/} NRECS=0
    recs "$1" >"$RECS"
    upto=(["0:0"]=0)
    while read -r pos _; do NRECS=$((NRECS + 1)); upto[$pos]=$NRECS; done <"$RECS"
}
# done_at DB: the article records before DB's checkpoint (0 without one:
# nothing committed), or none if it is where no record ends
done_at() { local cp; cp=$(checkpoint "$1" 2>/dev/null); echo "${upto[${cp:-0:0}]:-none}"; }
# state N [YEAR]: "id year" for each article the corpus holds once its
# first N article records are read (the latest version of each, the
# deleted ones absent), of YEAR only if given
state() {
    head -n "$1" "$RECS" |
        awk -v y="${2:-}" '{ s[$2] = $3 } END { for (i in s) if (s[i] != "-" && (y == "" || s[i] == y)) print i, s[i] }'
}
# exact DB [YEAR]: DB holds the articles (of YEAR) the corpus holds at
# DB's checkpoint, each once, and no other
exact() {
    local n; n=$(done_at "$1")
    [ "$n" != none ] || return 1
    state "$n" "${2:-}" | cut -d' ' -f1 | sort >"$T/want.ids"
    qids "$1" | cmp -s - "$T/want.ids" && [ "$(doccount "$1")" = "$(wc -l <"$T/want.ids")" ]
}
# counts N:YEAR...: for each, how many articles of YEAR (of any year if
# YEAR is empty) the corpus holds once its first N article records are
# read, one a line (one pass over the records)
counts() {
    awk -v q="$*" '
        function report(k,   i, m, qi) {
            m = split(at[k], qi, " ")
            for (i = 1; i <= m; i++) out[qi[i]] = yr[qi[i]] == "" ? total : c[yr[qi[i]]]
        }
        BEGIN {
            n = split(q, qs, " ")
            for (i = 1; i <= n; i++) {
                split(qs[i], p, ":"); at[p[1] + 0] = at[p[1] + 0] " " i; yr[i] = p[2]
                if (p[1] + 0 > last) last = p[1] + 0
            }
            report(0)
        }
        NR > last { exit }
        {
            if (($2 in s) && s[$2] != "-") { c[s[$2]]--; total-- }
            s[$2] = $3
            if ($3 != "-") { c[$3]++; total++ }
            if (NR in at) report(NR)
        }
        END { for (i = 1; i <= n; i++) print out[i] + 0 }' "$RECS"
}
# fits DB:YEAR...: each DB holds as many documents as exact DB YEAR
# wants (cheaper: checked while the indexer is stopped); fit_at[DB]: its
# done_at
declare -A fit_at
fits() {
    local a n q= d=
    for a; do
        n=$(done_at "${a%:*}")
        [ "$n" != none ] || return 1
        fit_at[${a%:*}]=$n q+=" $n:${a##*:}" d+="$(doccount "${a%:*}") "
    done
    [ "$(counts $q | tr '\n' ' ')" = "$d" ]
}
gen 1500 5000 "$T/crash.jsonl"
from=$(checkpoint) # the corpus's end: the new articles come after it
corpus import --quiet "$T/crash.jsonl"
use_corpus "$C"
base=${upto[$from]:-none}
check "crash test: 1500 new articles after the checkpoint" test "$base" != none -a $((NRECS - ${base/none/0})) -eq 1500
check "crash test: the db holds exactly the articles before its checkpoint" exact "$D"
# reached N: N article records are committed, or the db does not fit its
# checkpoint (kill there: the check after the kill says what is wrong)
reached() { local n; n=$(done_at "$D"); [ "$n" = none ] || ! fits "$D:" || [ "$n" -ge "$1" ]; }
new() { if [ "$1" = none ] || [ "$base" = none ]; then echo none; else echo $(($1 - base)); fi; } # of the 1500
every=20 # 75 commits for the 1500 articles; 5 kills after at most 10 each
for round in 1 2 3 4 5; do
    k=$((1 + RANDOM % 10)) start=$(done_at "$D")
    "$B/timtin-index" --corpus "$C" --db "$D" --quiet --commit-every $every &
    pid=$!
    kill_when $pid reached $((${start/none/0} + k * every))
    wait $pid 2>/dev/null; rc=$?
    at=$(done_at "$D")
    echo "# kill $round: K=$k, run started at $(new "$start"), killed at $(new "$at") of 1500 (exit $rc)"
    check "kill $round: the run was killed (exit 137)" test $rc -eq 137
    check "kill $round: it had committed some new articles, not all" \
        bash -c "[ '$at' != none ] && [ '$at' -gt '$start' ] && [ '$at' -lt $NRECS ]"
    check "kill $round: the db holds exactly the articles before its checkpoint, once each" exact "$D"
done
index --quiet
check "after kills and a clean run: every article exactly once" consistent
check "after kills and a clean run: the db's ids are the corpus's" same_ids
# a --full run killed while it builds its sub-dbs, before its merge and
# swap: the old db answers as before; the next run (incremental after the
# first kill, --full after the second) completes and leaves no temp dirs
search_out() { # the answer to a query, without its timing
    "$B/timtin-search" --db "$D" --json --limit 50 'hòa bình' | python3 -c '
import json, sys
d = json.load(sys.stdin); d.pop("seconds", None); print(json.dumps(d, sort_keys=True))'
}
building() { # N: N sub-dbs begun, the merge not yet
    [ "$(ls -d "$D".new.* 2>/dev/null | wc -l)" -ge "$1" ] && [ ! -e "$D.compact" ]
}
killed_building() { [ "$rc" -eq 137 ] && building 1; }
unchanged() {
    qids | cmp -s - "$T/full.ids" && checkpoint | cmp -s - "$T/full.cp" &&
        search_out | cmp -s - "$T/full.search" && xapian-check "$D" >/dev/null
}
no_leftovers() { ! ls -d "$D".new* "$D".compact 2>/dev/null | grep -q .; }
qids >"$T/full.ids"; checkpoint >"$T/full.cp"; search_out >"$T/full.search"
for round in 1 2; do
    k=$((1 + RANDOM % 8)) # of about 34 sub-dbs of 100 articles
    "$B/timtin-index" --corpus "$C" --db "$D" --quiet --full --subdb-docs 100 &
    pid=$!
    kill_when $pid building $k
    wait $pid 2>/dev/null; rc=$?
    echo "# --full kill $round: once sub-db $k had begun (exit $rc)"
    check "--full kill $round: killed while building its sub-dbs (exit 137)" killed_building
    check "--full kill $round: the old db unchanged (ids, checkpoint, answers, xapian-check)" unchanged
    if [ $round = 1 ]; then
        out=$(index); rc=$?
        check "after a killed --full, an incremental run: done, nothing to do" \
            bash -c "test $rc -eq 0 && grep -q ' 0 added, 0 replaced, 0 deleted' <<<'$out'"
    else
        index --quiet --full; rc=$?
        check "after a killed --full, --full again: done" test $rc -eq 0
    fi
    check "... every article exactly once, the corpus's ids" whole
    check "... no temp dirs left" no_leftovers
done
# few open files allowed: the sub-dbs are merged in stages, same index
SD=$T/staged
(ulimit -n 100; "$B/timtin-index" --corpus "$C" --db "$SD" --quiet --no-sync --full --subdb-docs 1)
check "staged merge: one document per article" bash -c "[ \"\$(xapian-delve '$SD' | sed -n 's/^number of documents = //p')\" = $(live) ] && [ \"\$(xapian-delve -1 -a '$SD' | grep -c '^Q')\" = $(live) ]"
check "staged merge: same results" test "$("$B/timtin-search" --db "$SD" --json 'hòa bình' | python3 -c 'import json,sys; print([h["id"] for h in json.load(sys.stdin)["results"]])')" = "$("$B/timtin-search" --db "$D" --json 'hòa bình' | python3 -c 'import json,sys; print([h["id"] for h in json.load(sys.stdin)["results"]])')"
check "staged merge: no stage dbs left" bash -c "! ls -d '$SD'.new* 2>/dev/null | grep -q ."

# one db per year, searched as one
Y=$T/ydb
"$B/timtin-corpus" --corpus "$T/yc" import --quiet "$S"
"$B/timtin-index" --corpus "$T/yc" --db "$Y" --shard-by year --quiet --no-sync
check "--shard-by year: a db per year and a stub" bash -c "test -d '$Y/2021' -a -d '$Y/2025' && grep -q 'auto 2023' '$Y/XAPIANDB'"
yids() { "$B/timtin-search" --db "$Y" --json --limit 100 "$@" | python3 -c 'import json,sys; print(" ".join(sorted(h["id"] for h in json.load(sys.stdin)["results"])))'; }
"$B/timtin-index" --corpus "$T/yc" --db "$T/ysingle" --quiet --no-sync
sids() { "$B/timtin-search" --db "$T/ysingle" --json --limit 100 "$@" | python3 -c 'import json,sys; print(" ".join(sorted(h["id"] for h in json.load(sys.stdin)["results"])))'; }
check "--shard-by year: same results as one db" test "$(yids 'hòa bình')" = "$(sids 'hòa bình')"
# move an article to another year, delete another
python3 - "$S" >"$T/moved.jsonl" <<'PY'
import json, sys
a = json.loads(open(sys.argv[1]).readline())
a["published"] = "2019-05-01T08:00:00+07:00"
print(json.dumps(a, ensure_ascii=False))
PY
moved=$(head -1 "$T/moved.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
"$B/timtin-corpus" --corpus "$T/yc" import --quiet "$T/moved.jsonl"
"$B/timtin-corpus" --corpus "$T/yc" delete "$second" >/dev/null
out=$("$B/timtin-index" --corpus "$T/yc" --db "$Y" --shard-by year --no-sync)
check "--shard-by year incremental: 1 replaced, 1 deleted" grep -q '0 added, 1 replaced, 1 deleted' <<<"$out"
check "moved article in its new year only" bash -c "xapian-delve -t 'Q$moved' '$Y/2019' | grep -q 'termfreq 1' && outputs_no 'termfreq 2' xapian-delve -t 'Q$moved' '$Y/XAPIANDB'"
check "one document per live article across shards" test "$(xapian-delve "$Y" | sed -n 's/^number of documents = //p')" = "$("$B/timtin-corpus" --corpus "$T/yc" ls | wc -l)"
"$B/timtin-index" --corpus "$T/yc" --db "$Y" --quiet 2>"$T/err"; rc=$?
check "a sharded db without --shard-by: a clear error" bash -c "test $rc -ne 0 && grep -q 'shard-by' '$T/err'"
# a year's db given alone (its parent a db per year: the stub beside it)
# is refused before anything is made beside it, whatever the options: it
# would take every year's articles, and its lock would lie among the year
# dbs; a YEAR.lock that an older version left there is removed (said: that
# year's db may hold other years' articles), or waited for while held
cp -r "$Y" "$T/yalone"
ystate() { echo "$(ls -A "$T/yalone" | tr '\n' ' ')/$(doccount "$T/yalone/2021")/$(checkpoint "$T/yalone/2021")"; }
before=$(ystate)
for db in 2021 2021/ 2030; do
    for args in "" "--full" "--shard-by year" "--compact"; do
        # shellcheck disable=SC2086
        "$B/timtin-index" --corpus "$T/yc" --db "$T/yalone/$db" --quiet --no-sync $args 2>"$T/err"; rc=$?
        after=$(ystate)
        check "--db a year's db alone ($db${args:+ $args}): exit 2, says --shard-by year on its parent, nothing made" \
            bash -c "test $rc -eq 2 && grep -q -- '--db $T/yalone --shard-by year' '$T/err' && test '$after' = '$before'"
    done
done
: >"$T/yalone/2021.lock"
"$B/timtin-index" --corpus "$T/yc" --db "$T/yalone" --shard-by year --quiet --no-sync 2>"$T/err"; rc=$?
check "a YEAR.lock an older version left in a db per year: removed, said, the run done" \
    bash -c "test $rc -eq 0 && test ! -e '$T/yalone/2021.lock' && grep -q '2021.lock' '$T/err'"
: >"$T/yalone/2021.lock"
mkfifo "$T/ygo"
flock "$T/yalone/2021.lock" -c "echo locked; read x <'$T/ygo'" >"$T/yholder" &
yholder=$!
on_exit "kill $yholder 2>/dev/null"
wait_for grep -q locked "$T/yholder"
"$B/timtin-index" --corpus "$T/yc" --db "$T/yalone" --shard-by year --quiet --no-sync 2>"$T/err"; rc=$?
echo go >"$T/ygo"; wait $yholder
check "... one held (an older version indexing that year's db): exit 3, names it" \
    bash -c "test $rc -eq 3 && grep -q '2021.lock' '$T/err' && test -e '$T/yalone/2021.lock'"
# the opposite: one db given --shard-by year is refused, untouched (its
# year dbs would go inside the db's own directory), and --full converts it
ls -A "$T/ysingle" >"$T/ysingle.before"
"$B/timtin-index" --corpus "$T/yc" --db "$T/ysingle" --shard-by year --quiet --no-sync 2>"$T/err"; rc=$?
check "one db with --shard-by year: exit 2, names the db, says --full --shard-by year" \
    bash -c "test $rc -eq 2 && grep -q '$T/ysingle is one db' '$T/err' &&
        grep -q -- '--full --shard-by year' '$T/err' && test \$(wc -l <'$T/err') -eq 1"
check "... nothing written in it" bash -c "ls -A '$T/ysingle' | cmp -s - '$T/ysingle.before' && xapian-check '$T/ysingle' >/dev/null"
cp -r "$T/ysingle" "$T/yconv"
"$B/timtin-index" --corpus "$T/yc" --db "$T/yconv" --shard-by year --full --quiet --no-sync 2>"$T/err"; rc=$?
check "--full --shard-by year converts one db into one per year" \
    bash -c "test $rc -eq 0 && test -f '$T/yconv/XAPIANDB' -a ! -e '$T/yconv/iamglass' &&
        test \"\$(xapian-delve '$T/yconv' | sed -n 's/^number of documents = //p')\" = \"\$(xapian-delve '$Y' | sed -n 's/^number of documents = //p')\""

# a new version with no words to index takes the old one out (counted as
# deleted and as skipped); an undated article goes to the "undated" shard
python3 - "$S" >"$T/emptied.jsonl" <<'PY'
import json, sys
a = json.loads(open(sys.argv[1]).readlines()[2])
print(json.dumps({"id": a["id"], "title": "…", "body": ["— !"],
                  "published": a["published"]}, ensure_ascii=False))
print(json.dumps({"id": "undated-1", "title": "Bài không ngày zzkhongngay",
                  "body": ["Nội dung."]}, ensure_ascii=False))
PY
emptied=$(head -1 "$T/emptied.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
"$B/timtin-corpus" --corpus "$T/yc" import --quiet "$T/emptied.jsonl"
out=$("$B/timtin-index" --corpus "$T/yc" --db "$Y" --shard-by year --no-sync)
check "--shard-by year: a version without text leaves, counted" \
    grep -q '1 added, 0 replaced, 1 deleted; skipped 1 without text' <<<"$out"
check "--shard-by year: the emptied article is in no shard" \
    outputs_no 'termfreq [1-9]' xapian-delve -t "Q$emptied" "$Y/XAPIANDB"
check "--shard-by year: an undated article in the undated shard, found" bash -c "
    xapian-delve -t 'Qundated-1' '$Y/undated' | grep -q 'termfreq 1' &&
    grep -q 'auto undated' '$Y/XAPIANDB' &&
    '$B/timtin-search' --db '$Y' --json zzkhongngay | grep -q '\"id\":\"undated-1\"'"
# the same on one db (it also catches up with the move and the deletion)
out=$("$B/timtin-index" --corpus "$T/yc" --db "$T/ysingle" --no-sync)
check "one db: a version without text leaves, counted" \
    grep -q '1 added, 1 replaced, 2 deleted; skipped 1 without text' <<<"$out"
check "one db: the emptied article is gone" \
    outputs_no 'termfreq [1-9]' xapian-delve -t "Q$emptied" "$T/ysingle"

# a write that fails (a file size limit: EFBIG, as a full disk gives
# ENOSPC): the run stops with the system's reason, the db keeps its last
# commit, and the next run catches up
FC=$T/fullc FD=$T/fulldb
"$B/timtin-corpus" --corpus "$FC" import --quiet "$S"
"$B/timtin-index" --corpus "$FC" --db "$FD" --quiet --no-sync
gen 400 20000 "$T/full.jsonl"
"$B/timtin-corpus" --corpus "$FC" import --quiet "$T/full.jsonl"
limit=$(( $(du -sk "$FD" | cut -f1) * 3 ))
(ulimit -f "$limit"; trap '' XFSZ; "$B/timtin-index" --corpus "$FC" --db "$FD" --no-sync \
    --commit-every 50 >/dev/null 2>"$T/full.err"); rc=$?
check "storage error: exit 6, with the system's reason" \
    bash -c "test $rc -eq 6 && grep -q 'File too large' '$T/full.err'"
check "storage error: no hint that the db is damaged (it is not)" \
    bash -c "! grep -q -e 'damaged' -e '--full' '$T/full.err'"
check "storage error: the db is sound (xapian-check)" bash -c "xapian-check '$FD' >/dev/null"
n_full=$(doccount "$FD")
check "storage error: the db kept whole commits ($n_full documents)" \
    bash -c "test $n_full -ge 36 -a $n_full -lt 436 && test \$(( ($n_full - 36) % 50 )) -eq 0 &&
        test \$(xapian-delve -1 -a '$FD' | grep -c '^Q') -eq $n_full"
"$B/timtin-index" --corpus "$FC" --db "$FD" --quiet --no-sync
check "after the storage error: the next run indexes the rest, once" \
    bash -c "test \$(xapian-delve '$FD' | sed -n 's/^number of documents = //p') -eq 436 &&
        test \$(xapian-delve -1 -a '$FD' | grep -c '^Q') -eq 436"

# --db naming something that is not an index: refused, untouched (a
# mistyped path must never be emptied); an empty directory is fine
mkdir "$T/notadb" && echo "keep me" >"$T/notadb/notes.txt"
for args in "" "--full" "--shard-by year" "--full --shard-by year"; do
    # shellcheck disable=SC2086
    "$B/timtin-index" --corpus "$FC" --db "$T/notadb" --quiet --no-sync $args 2>"$T/err"; rc=$?
    check "--db on a directory that is not an index${args:+ ($args)}: exit 2, untouched" \
        bash -c "test $rc -eq 2 && grep -q 'not a Xapian database' '$T/err' &&
            test \"\$(ls -A '$T/notadb')\" = notes.txt && grep -q 'keep me' '$T/notadb/notes.txt'"
done
echo "not a db" >"$T/afile"
"$B/timtin-index" --corpus "$FC" --db "$T/afile" --quiet --no-sync --full 2>"$T/err"; rc=$?
check "--db on a file: exit 2, untouched" \
    bash -c "test $rc -eq 2 && grep -q 'not a Xapian database' '$T/err' && grep -q 'not a db' '$T/afile'"
# a first --shard-by year run killed before it wrote its stub leaves year
# dbs and no XAPIANDB: still an index, and the next run goes on
mkdir "$T/ykilled" && cp -r "$Y/2021" "$T/ykilled/2021"
"$B/timtin-index" --corpus "$T/yc" --db "$T/ykilled" --shard-by year --quiet --no-sync 2>"$T/err"; rc=$?
check "--shard-by year after a first run killed before its stub: goes on" \
    bash -c "test $rc -eq 0 && test -f '$T/ykilled/XAPIANDB'"
mkdir "$T/ykilled2" && cp -r "$Y/2021" "$T/ykilled2/2021"
"$B/timtin-index" --corpus "$T/yc" --db "$T/ykilled2" --quiet --no-sync 2>"$T/err"; rc=$?
check "... and without --shard-by: a clear error, the year db untouched" \
    bash -c "test $rc -eq 2 && grep -q 'shard-by' '$T/err' && test ! -e '$T/ykilled2/iamglass' &&
        xapian-delve '$T/ykilled2/2021' >/dev/null"
# crash safety with one db per year: each year's db commits on its own,
# with its own checkpoint, so a kill can land between two of them.  After
# each kill every year's db holds exactly the articles of its year the
# corpus holds at its checkpoint, once each (exact, as one db), and a
# year with articles before the oldest checkpoint (where the next run
# starts) has its db; the next run completes them.  Each run is killed
# once a year's db has committed its K-th commit (K from the seed above),
# the others perhaps not yet, seen in the checkpoints while it is stopped
# (kill_when)
YK=$T/ykill
# ydbs DB: the years whose db DB holds (one that Xapian was creating, no
# version file yet, is none: it never committed, the next run removes it)
ydbs() {
    local d
    for d in "$1"/*/; do
        d=${d%/} && case ${d##*/} in [0-9][0-9][0-9][0-9] | undated) [ -e "$d/iamglass" ] && echo "${d##*/}" ;; esac
    done
}
# ycps DB: done_at of each year's db's checkpoint, lowest first
ycps() { local y; for y in $(ydbs "$1"); do done_at "$1/$y"; done | sort -n; }
# yat DB [newest]: done_at of its oldest checkpoint, where the next run
# starts (of its newest one, with newest); 0 without a year's db
yat() {
    local c; c=$(ycps "$1")
    case $c in
    *none*) echo none ;;
    '') echo 0 ;;
    *) if [ "${2:-}" = newest ]; then echo "${c##*$'\n'}"; else echo "${c%%$'\n'*}"; fi ;;
    esac
}
# yexact DB: each year's db exact for its year; a db for each year the
# corpus holds articles of at the oldest checkpoint
yexact() {
    local y n; n=$(yat "$1")
    [ "$n" != none ] || return 1
    for y in $(ydbs "$1"); do exact "$1/$y" "$y" || return 1; done
    for y in $(state "$n" | cut -d' ' -f2 | sort -u); do [ -e "$1/$y/iamglass" ] || return 1; done
}
# yreached DB N [YEAR]: a year's db has committed N article records (the
# first of a commit: the others may be yet to commit it), or YEAR's db
# has, or a year's db does not fit its checkpoint (kill there)
yreached() {
    local y n top=0 dbs=()
    for y in $(ydbs "$1"); do dbs+=("$1/$y:$y"); done
    fits "${dbs[@]}" || return 0
    for y in $(ydbs "$1"); do
        n=${fit_at[$1/$y]}
        if [ -z "${3:-}" ] || [ "$y" = "$3" ]; then [ "$n" -le "$top" ] || top=$n; fi
    done
    [ "$top" -ge "$2" ]
}
for round in 1 2 3 4 5; do
    k=$((1 + RANDOM % 10)) start=$(yat "$YK") top=$(yat "$YK" newest)
    "$B/timtin-index" --corpus "$C" --db "$YK" --shard-by year --quiet --commit-every 20 &
    pid=$!
    kill_when $pid yreached "$YK" $((${top/none/0} + k * 20))
    wait $pid 2>/dev/null; rc=$?
    at=$(yat "$YK") newest=$(yat "$YK" newest) cps=$(ycps "$YK" | uniq | wc -l)
    echo "# --shard-by year kill $round: K=$k, run started at $start (newest $top), killed at $at" \
        "(newest $newest) of $NRECS records, its year dbs at $cps checkpoint(s) (exit $rc)"
    check "--shard-by year kill $round: killed mid-run (exit 137, more records committed, not all)" \
        bash -c "[ $rc -eq 137 ] && [ '$newest' != none ] && [ '$newest' -gt '$top' ] && [ '$at' -lt $NRECS ]"
    check "--shard-by year kill $round: each year's db holds exactly its articles before its checkpoint, once each" \
        yexact "$YK"
done
"$B/timtin-index" --corpus "$C" --db "$YK" --shard-by year --quiet --no-sync
yend() { [ "$(yat "$1")" = "$NRECS" ] && yexact "$1"; } # complete
check "--shard-by year, after kills and a clean run: each year's db exact, at the corpus's end" yend "$YK"
n=$(live)
echo "# $n live articles, $(doccount "$YK") documents, $(idterms "$YK") ids"
# a kill while Xapian creates a year's db (after its directory and tables,
# before its version file) leaves a db that never committed: the next run
# takes it for what it is, in a sharded db and as the first shard of one
half_db() { mkdir -p "$1" && : >"$1/flintlock" && : >"$1/postlist.glass" &&
    : >"$1/termlist.glass" && printf 'x' >"$1/v.tmp"; }
cp -r "$Y" "$T/yhalf" && half_db "$T/yhalf/2031"
"$B/timtin-index" --corpus "$T/yc" --db "$T/yhalf" --shard-by year --quiet --no-sync 2>"$T/err"; rc=$?
check "--shard-by year: a year's db killed at its creation is made again" \
    bash -c "test $rc -eq 0 && test ! -e '$T/yhalf/2031' && grep -q '2031' '$T/err'"
half_db "$T/yfirst/2021"
"$B/timtin-index" --corpus "$T/yc" --db "$T/yfirst" --shard-by year --quiet --no-sync 2>"$T/err"; rc=$?
check "--shard-by year: a first run killed at its first db's creation: the next builds it all" \
    test $rc -eq 0 -a "$(doccount "$T/yfirst")" = "$(doccount "$T/yhalf")"
check "--shard-by year, after kills and a clean run: every article once, in one year's db only" \
    test "$(doccount "$YK")" = "$n" -a "$(idterms "$YK")" = "$n"
check "--shard-by year, after kills and a clean run: the db's ids are the corpus's" \
    cmp -s <(corpus ls 2>/dev/null | cut -f1 | sort) <(qids "$YK")
# a year's db made by a run killed before that db's first commit (it
# commits after the others: it was made during the run) has no
# checkpoint, while the other years' dbs committed past the articles it
# was made for: the next run reads the corpus from its start, for it.
# The other years' dbs hold more than that run's first commits cover:
# killed after its second commit, each year's db must still hold exactly
# what its own checkpoint says, and the run after completes them.  (Made
# as such a kill leaves it: a run over the new year's articles, with a
# move into that year and a deletion among them, then the year's db
# replaced by an empty one without a checkpoint)
ZC=$T/zc ZD=$T/zdb
zindex() { "$B/timtin-index" --corpus "$ZC" --db "$ZD" --shard-by year --quiet --no-sync "$@"; }
"$B/timtin-corpus" --corpus "$ZC" import --quiet "$S"
zindex
gen 200 30000 "$T/z.jsonl"
sed -i 's/"published": "[0-9]\{4\}/"published": "2019/' "$T/z.jsonl"
head -100 "$T/z.jsonl" | "$B/timtin-corpus" --corpus "$ZC" import --quiet - "$T/moved.jsonl"
"$B/timtin-corpus" --corpus "$ZC" delete "$second" >/dev/null
tail -n +101 "$T/z.jsonl" | "$B/timtin-corpus" --corpus "$ZC" import --quiet -
zindex
rm -rf "$ZD/2019" && xapian-metadata set "$ZD/2019" timtin.checkpoint ""
use_corpus "$ZC"
"$B/timtin-index" --corpus "$ZC" --db "$ZD" --shard-by year --quiet --no-sync --commit-every 20 &
pid=$!
kill_when $pid yreached "$ZD" 40 2019
wait $pid 2>/dev/null; rc=$?
echo "# a year's db without checkpoint: the next run killed at $(yat "$ZD") (newest $(yat "$ZD" newest)) of $NRECS records (exit $rc)"
check "a year's db never committed: the next run killed mid-run (exit 137)" test $rc -eq 137
check "... each year's db holds exactly its articles before its own checkpoint" yexact "$ZD"
zindex
check "... and the run after completes them" yend "$ZD"
# an article whose year changes moves from its year's db to another's:
# the new year's db is named in the stub before its first commit, and the
# db an article enters commits before the one it leaves, so that a search
# through the stub finds every article at every moment of a run (twice
# between the two commits) and after a kill.  Watched while the run goes
# on (checked while it is stopped, as kill_when does: it would kill at
# the first article missed), then killed once the new year's db has
# committed K * 50 (K from the seed above)
MC=$T/mc MD=$T/mdb
mrun() { "$B/timtin-index" --corpus "$MC" --db "$MD" --shard-by year --quiet --no-sync "$@"; }
gen 1000 40000 "$T/m.jsonl"
sed -i 's/"published": "[0-9]\{4\}/"published": "2020/' "$T/m.jsonl"
"$B/timtin-corpus" --corpus "$MC" import --quiet "$T/m.jsonl"
mrun
"$B/timtin-corpus" --corpus "$MC" ls | cut -f1 | sort >"$T/m.ids"
sed 's/"published": "2020/"published": "2023/' "$T/m.jsonl" | "$B/timtin-corpus" --corpus "$MC" import --quiet -
cp -r "$MD" "$T/mdb.before"
# lost: an article of the corpus that a search through the stub misses
# (the new year's documents noted in m.seen: the states looked at)
lost() {
    doccount "$MD/2023" >>"$T/m.seen" 2>/dev/null
    qids "$MD" | sort -u | comm -23 "$T/m.ids" - | grep -q .
}
"$B/timtin-index" --corpus "$MC" --db "$MD" --shard-by year --quiet --no-sync --commit-every 50 &
pid=$!
kill_when $pid lost; k=$?
wait $pid; rc=$?
seen=$(sort -un "$T/m.seen" | awk '$1 > 0 && $1 < 1000' | wc -l)
check "articles moving to a new year: found through the stub all along the run ($seen states mid-run)" \
    test "$k/$rc" = 1/0 -a "$seen" -gt 0
rm -rf "$MD" && cp -r "$T/mdb.before" "$MD"
use_corpus "$MC"
moved_in() { [ "$(doccount "$MD/2023")" -ge "$1" ]; }
k=$((1 + RANDOM % 10))
"$B/timtin-index" --corpus "$MC" --db "$MD" --shard-by year --quiet --no-sync --commit-every 50 &
pid=$!
kill_when $pid moved_in $((k * 50))
wait $pid 2>/dev/null; rc=$?
echo "# moves to a new year: killed once $((k * 50)) had moved, at $(doccount "$MD/2023") (exit $rc)"
check "... killed mid-run (exit 137), the new year's db in the stub" \
    bash -c "[ $rc -eq 137 ] && grep -q 'auto 2023' '$MD/XAPIANDB'"
check_not "... every article found through the stub" lost
check "... each year's db holds exactly its articles before its checkpoint" yexact "$MD"
mrun
check "... and the next run completes them" yend "$MD"
mkdir -p "$T/photos/2021" && echo x >"$T/photos/2021/a.jpg"
"$B/timtin-index" --corpus "$T/yc" --db "$T/photos" --shard-by year --full --quiet --no-sync 2>/dev/null; rc=$?
check "a directory of year folders that are not dbs: refused, untouched" \
    bash -c "test $rc -eq 2 && test -f '$T/photos/2021/a.jpg'"
mkdir "$T/emptydir"
"$B/timtin-index" --corpus "$FC" --db "$T/emptydir" --quiet --no-sync
check "--db on an empty directory: the index is built there" \
    test "$(xapian-delve "$T/emptydir" | sed -n 's/^number of documents = //p')" = 436
# a damaged index: an incremental run stops and says --full; --full rebuilds
cp -r "$T/emptydir" "$T/damaged"
truncate -s 8192 "$T/damaged/postlist.glass"
"$B/timtin-index" --corpus "$FC" --db "$T/damaged" --quiet --no-sync 2>"$T/err"; rc=$?
check "a damaged index: the incremental run stops, says --full" \
    bash -c "test $rc -ne 0 && grep -q -- '--full' '$T/err'"
"$B/timtin-search" --db "$T/damaged" 'hòa bình' >/dev/null 2>"$T/err"; rc=$?
check "a damaged index: the searcher fails (exit 5), says --full" \
    bash -c "test $rc -eq 5 && grep -q 'EOF reading block' '$T/err' && grep -q -- '--full' '$T/err'"
"$B/timtin-index" --corpus "$FC" --db "$T/damaged" --quiet --no-sync --full
check "a damaged index: --full rebuilds it" \
    test "$(xapian-delve "$T/damaged" | sed -n 's/^number of documents = //p')" = 436

# an id too long for a Xapian term (the corpus takes ids up to 1024
# bytes, a term holds 245) is indexed under a shortened id term: found,
# replaced, deleted, related, and the articles after it indexed too
LC=$T/longc LD=$T/longdb LY=$T/longydb
long=$(printf 'L%.0s' $(seq 300))
long2=$(printf 'L%.0s' $(seq 299))M # the same first 212 bytes
python3 - "$S" "$long" "$long2" >"$T/long.jsonl" <<'PY'
import json, sys
first = json.loads(open(sys.argv[1]).readline())
for id, word in [("before-1", "zzbefore"), (sys.argv[2], "zzlongone"),
                 (sys.argv[3], "zzlongtwo"), ("after-1", "zzafter")]:
    # the first sample's text (related to it), another title (no duplicate)
    a = dict(first, id=id, title="%s %s" % (first["title"], word))
    a["body"] = first["body"] + ["Từ riêng %s." % word]
    print(json.dumps(a, ensure_ascii=False))
PY
"$B/timtin-corpus" --corpus "$LC" import --quiet "$S" "$T/long.jsonl"
llive() { "$B/timtin-corpus" --corpus "$LC" ls | wc -l; }
lconsistent() { local n; n=$(llive); [ "$(doccount "$1")" = "$n" ] && [ "$(idterms "$1")" = "$n" ]; }
rc_and() { [ "$1" -eq 0 ] && shift && "$@"; } # rc_and STATUS CMD...: 0 and CMD
"$B/timtin-index" --corpus "$LC" --db "$LD" --quiet --no-sync 2>"$T/err"; rc=$?
lhits() { "$B/timtin-search" --db "${2:-$LD}" --json "$1" | python3 -c 'import json,sys; print(" ".join(h["id"][:3] + str(len(h["id"])) for h in json.load(sys.stdin)["results"]))'; }
check "long id, bulk build: done, every article indexed once" rc_and $rc lconsistent "$LD"
check "long id, bulk build: found, with its whole id" test "$(lhits zzlongone)" = "LLL300"
check "long ids sharing their start: two documents" test "$(lhits zzlongtwo)" = "LLL300"
check "long id: the articles after it are indexed" test "$(lhits zzafter)" = "aft7"
"$B/timtin-search" --db "$LD" --json --limit 20 --related "$long" >"$T/rel.json"
first=$(head -1 "$S" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check "long id: --related finds its like, not itself" python3 -c '
import json, sys
ids = [h["id"] for h in json.load(open(sys.argv[1]))["results"]]
sys.exit(0 if sys.argv[2] not in ids and sys.argv[3] in ids and "after-1" in ids else 1)' \
    "$T/rel.json" "$long" "$first"
python3 - "$long" >"$T/long2.jsonl" <<'PY'
import json, sys
print(json.dumps({"id": sys.argv[1], "title": "Bài mới về cầu Cần Thơ",
                  "body": ["Phiên bản mới zzlongnew."]}, ensure_ascii=False))
print(json.dumps({"id": "after-2", "title": "Sau nữa", "body": ["zzafter2"]}))
PY
"$B/timtin-corpus" --corpus "$LC" import --quiet "$T/long2.jsonl"
out=$("$B/timtin-index" --corpus "$LC" --db "$LD" --no-sync 2>"$T/err"); rc=$?
check "long id, incremental: the new version replaces the old one" \
    bash -c "test $rc -eq 0 && grep -q ' 1 added, 1 replaced, 0 deleted' <<<'$out'"
check "long id: the new version found, the old one gone, the next one indexed" \
    test "$(lhits zzlongnew)/$(lhits zzlongone)/$(lhits zzafter2)" = "LLL300//aft7"
"$B/timtin-corpus" --corpus "$LC" delete "$long" >/dev/null
out=$("$B/timtin-index" --corpus "$LC" --db "$LD" --no-sync 2>"$T/err"); rc=$?
check "long id, incremental: a deletion marker removes it" \
    bash -c "test $rc -eq 0 && grep -q ' 0 added, 0 replaced, 1 deleted' <<<'$out'"
check "long id: deleted, not found; one document per live article" \
    rc_and "$(lhits zzlongnew | wc -w)" lconsistent "$LD"
"$B/timtin-index" --corpus "$LC" --db "$LY" --shard-by year --quiet --no-sync 2>"$T/err"; rc=$?
check "long id, --shard-by year: one document per live article" \
    rc_and $rc lconsistent "$LY"
check "long id, --shard-by year: found" test "$(lhits zzlongtwo "$LY")" = "LLL300"
# several dbs name the re-ranked candidates by their id terms: a long id's
# phrase and proximity bonuses count there too
lscore() { "$B/timtin-search" --db "$1" --json 'zzlongtwo sông cần thơ' | python3 -c 'import json,sys; print(" ".join("%s %.6f" % (h["id"][:3], h["score"]) for h in json.load(sys.stdin)["results"]))'; }
check "long id, --shard-by year: the same score as in one db" test "$(lscore "$LY")" = "$(lscore "$LD")"

# a corrupt record is counted once in the summary, though the id index,
# damaged and rebuilt at each open (a writer holds the corpus, so no
# reader saves it), reports it too; the other warnings are not counted
KC=$T/kc KD=$T/kdb
"$B/timtin-corpus" --corpus "$KC" import --quiet "$S"
gen 5 300 "$T/k.jsonl"
"$B/timtin-corpus" --corpus "$KC" import --quiet "$T/k.jsonl"
flip_record "$KC/timtin-000001.warc.gz" 3
hold_corpus() { # hold KC's writer lock until release_corpus
    rm -f "$T/kgo" && mkfifo "$T/kgo"
    flock "$KC/lock" -c "echo locked; read x <'$T/kgo'" >"$T/kholder" &
    kholder=$!
    wait_for grep -q locked "$T/kholder"
}
release_corpus() { echo go >"$T/kgo"; wait $kholder; }
on_exit 'kill $kholder 2>/dev/null'
echo "not an index" >"$KC/ids.idx"
hold_corpus
n_corrupt() { sed -n 's/.*; \([0-9]*\) corrupt corpus records skipped.*/\1/p' <<<"$1"; }
out=$("$B/timtin-index" --corpus "$KC" --db "$KD" --no-sync --jobs 2 2>"$T/err"); rc=$?
check "bulk build, a corrupt record and an id index rebuilt: counted once" \
    test "$rc/$(n_corrupt "$out")" = 0/1
check "... the rebuilding said all the same" grep -q 'ids.idx: .*rebuilding' "$T/err"
out=$("$B/timtin-index" --corpus "$KC" --db "$T/kydb" --shard-by year --no-sync 2>"$T/err"); rc=$?
check "--shard-by year: counted once too" test "$rc/$(n_corrupt "$out")" = 0/1
gen 2 400 "$T/k2.jsonl"
release_corpus
"$B/timtin-corpus" --corpus "$KC" import --quiet "$T/k2.jsonl"
echo "not an index" >"$KC/ids.idx"
hold_corpus
out=$("$B/timtin-index" --corpus "$KC" --db "$KD" --no-sync 2>"$T/err"); rc=$?
release_corpus
check "incremental run past the corrupt record: none counted, rebuilding said" \
    bash -c "test $rc -eq 0 && test -z '$(n_corrupt "$out")' && grep -q '2 added' <<<'$out' &&
        grep -q 'ids.idx: .*rebuilding' '$T/err'"

# --compact with --shard-by year compacts every year's db, the safe way
# as for one db (a compact copy beside it, swapped in): new directories,
# smaller, nothing left behind, the same articles found, each once
year_dirs() { (cd "$1" && ls -d [0-9][0-9][0-9][0-9] undated 2>/dev/null); }
inodes() { local y; for y in $(year_dirs "$1"); do stat -c "$y %i" "$1/$y"; done; }
ykids() { "$B/timtin-search" --db "$YK" --json --limit 1000 "$@" | python3 -c 'import json,sys; print(" ".join(sorted(h["id"] for h in json.load(sys.stdin)["results"])))'; }
ino_before=$(inodes "$YK") size_before=$(du -sb "$YK" | cut -f1) found_before=$(ykids 'hòa bình')
mkdir "$YK/2021.compact" # what a compaction killed before its swap leaves
"$B/timtin-index" --corpus "$C" --db "$YK" --shard-by year --compact --quiet --no-sync 2>"$T/err"; rc=$?
ino_after=$(inodes "$YK") size_after=$(du -sb "$YK" | cut -f1)
echo "# year dbs: $(year_dirs "$YK" | tr '\n' ' '); $size_before -> $size_after bytes"
check "--shard-by year --compact: every year's db swapped for a compact copy" python3 -c '
import sys
b = dict(l.split() for l in sys.argv[1].splitlines()); a = dict(l.split() for l in sys.argv[2].splitlines())
sys.exit(0 if int(sys.argv[3]) == 0 and len(b) >= 3 and b.keys() == a.keys() and all(a[y] != b[y] for y in b) else 1)' \
    "$ino_before" "$ino_after" "$rc"
check "... smaller, no leftovers" bash -c "test $size_after -lt $size_before && ! ls -d '$YK'/*.compact '$YK'.compact 2>/dev/null | grep -q ."
check "... the same articles found, each once" bash -c "test '$(ykids 'hòa bình')' = '$found_before' &&
    test $(doccount "$YK") = $(live) -a $(idterms "$YK") = $(live)"
"$B/timtin-index" --corpus "$T/yc" --db "$T/yconv" --shard-by year --full --compact --quiet --no-sync 2>"$T/err"; rc=$?
check "--full --shard-by year --compact: built, compacted, nothing left behind" \
    bash -c "test $rc -eq 0 && test \"\$(xapian-delve '$T/yconv' | sed -n 's/^number of documents = //p')\" = \"\$(xapian-delve '$Y' | sed -n 's/^number of documents = //p')\" &&
        ! ls -d '$T/yconv'/*.compact '$T/yconv'.new* 2>/dev/null | grep -q ."

# --db takes a Xapian db (its version file iamglass or iamchert, and only
# a db's files), a db per year (year dbs, the XAPIANDB stub, the indexer's
# own leftovers), an empty directory or a new path; a directory that only
# looks like one (a file named iam*, an empty folder named like a year) is
# refused and left untouched, whatever the options
PC=$T/pc
"$B/timtin-corpus" --corpus "$PC" import --quiet "$S"
pindex() { "$B/timtin-index" --corpus "$PC" --no-sync --quiet "$@"; }
listing() { (cd "$1" && find . -mindepth 1 | sort | tr '\n' ' '); }
mkdir "$T/infra" && echo '{}' >"$T/infra/iam-policy.json" && echo x >"$T/infra/main.tf"
mkdir -p "$T/userdir/2019" "$T/userdir/photos" && echo important >"$T/userdir/notes.txt"
mkdir -p "$T/yearonly/2019"
for dir in infra userdir yearonly; do
    before=$(listing "$T/$dir")
    for args in "" "--full" "--shard-by year" "--full --shard-by year"; do
        # shellcheck disable=SC2086
        pindex --db "$T/$dir" $args 2>"$T/err"; rc=$?
        check "--db $dir (not an index)${args:+ $args}: exit 2, says so, untouched" \
            bash -c "test $rc -eq 2 && grep -q 'not a Xapian database' '$T/err' &&
                test \"\$(cd '$T/$dir' && find . -mindepth 1 | sort | tr '\n' ' ')\" = '$before'"
    done
done
check "... the files kept their content" bash -c "grep -qx x '$T/infra/main.tf' && grep -qx important '$T/userdir/notes.txt'"
grep -q 'holds' "$T/err"; check "... the message names what is in the way" test $? -eq 0
pindex --db "$T/pdb" && pindex --db "$T/pshard" --shard-by year
cp -r "$T/pdb" "$T/pdbplus" && echo x >"$T/pdbplus/notes.txt"
before=$(listing "$T/pdbplus")
pindex --db "$T/pdbplus" --full 2>"$T/err"; rc=$?
check "--db a Xapian db holding another file: refused, untouched" \
    bash -c "test $rc -eq 2 && grep -q 'notes.txt' '$T/err' && test \"\$(cd '$T/pdbplus' && find . -mindepth 1 | sort | tr '\n' ' ')\" = '$before'"
cp -r "$T/pshard" "$T/pshardplus" && mkdir "$T/pshardplus/photos"
pindex --db "$T/pshardplus" --shard-by year --full 2>"$T/err"; rc=$?
check "--db a db per year holding another folder: refused, untouched" \
    bash -c "test $rc -eq 2 && grep -q photos '$T/err' && test -d '$T/pshardplus/photos' -a -f '$T/pshardplus/XAPIANDB'"
# what the indexer itself leaves in a db per year is no stranger: a
# compact copy, the stub's temporary file, a year's folder made by Xapian
# just before a kill (empty: made again)
mkdir "$T/pshard/2023.compact" "$T/pshard/2030" && : >"$T/pshard/XAPIANDB.tmp"
pindex --db "$T/pshard" --shard-by year 2>"$T/err"; rc=$?
check "--db a db per year with its own leftovers: indexed" \
    bash -c "test $rc -eq 0 && test ! -e '$T/pshard/2030' && grep -q 2030 '$T/err'"

# the --db path is the db whatever its spelling: a trailing slash takes the
# same lock and swaps beside it; a symlink is followed, so the swap
# happens beside its target and the link stays; a mount point cannot be
# swapped, so a run that would swap it is refused before it builds; an
# empty path is refused at once
pindex --db "$T/pslash/" && pindex --db "$T/pslash/" --full --compact; rc=$?
check "--db DIR/: built, rebuilt and compacted" \
    bash -c "test $rc -eq 0 && test -f '$T/pslash.lock' && test ! -e '$T/pslash/.lock' &&
        ! ls -d '$T/pslash/'.new* '$T/pslash/'.compact '$T/pslash'.new* '$T/pslash'.compact 2>/dev/null | grep -q ."
flock "$T/pslash.lock" "$B/timtin-index" --corpus "$PC" --db "$T/pslash//" --quiet --no-sync 2>/dev/null; rc=$?
check "--db DIR/ and DIR take the same lock" test $rc -eq 3
pindex --db "$T/preal" && ln -s preal "$T/plink"
pindex --db "$T/plink" --full && pindex --db "$T/plink" --compact; rc=$?
check "--db a symlink: --full and --compact keep the link, update its target" \
    bash -c "test $rc -eq 0 && test -L '$T/plink' && test \"\$(readlink '$T/plink')\" = preal &&
        test \"\$(xapian-delve '$T/plink' | sed -n 's/^number of documents = //p')\" = \"\$('$B/timtin-corpus' --corpus '$PC' ls | wc -l)\" &&
        ! ls -d '$T'/plink.* '$T'/preal.new* '$T'/preal.compact 2>/dev/null | grep -q ."
flock "$T/preal.lock" "$B/timtin-index" --corpus "$PC" --db "$T/plink" --quiet --no-sync 2>/dev/null; rc=$?
check "--db a symlink takes its target's lock" test $rc -eq 3
ln -s nowhere "$T/pdangling"
pindex --db "$T/pdangling" 2>"$T/err"; rc=$?
check "--db a dangling symlink: refused" bash -c "test $rc -eq 2 && test -L '$T/pdangling' && ! test -e '$T/nowhere'"
# a mount point (in a mount namespace of our own, when we may have one)
mnt_run() { unshare -rm bash -c "$1" 2>/dev/null || { [ "$(id -u)" = 0 ] && unshare -m bash -c "$1"; }; }
mkdir "$T/pmnt" "$T/pbind" "$T/pbindsrc"
if mnt_run true; then
    mnt_run "mount -t tmpfs none '$T/pmnt' && '$B/timtin-index' --corpus '$PC' --db '$T/pmnt' --quiet --no-sync 2>'$T/err'; echo \$? >'$T/rc'"
    check "--db a mount point: refused before it builds (exit 2), says why" \
        bash -c "test \"\$(cat '$T/rc')\" = 2 && grep -q 'mount point' '$T/err' && ! ls -d '$T'/pmnt.* 2>/dev/null | grep -q ."
    mnt_run "mount --bind '$T/pbindsrc' '$T/pbind' && '$B/timtin-index' --corpus '$PC' --db '$T/pbind' --quiet --no-sync 2>'$T/err'; echo \$? >'$T/rc'"
    check "--db a bind mount on the same file system: refused too" \
        bash -c "test \"\$(cat '$T/rc')\" = 2 && grep -q 'mount point' '$T/err'"
    mnt_run "mount -t tmpfs none '$T/pmnt' && '$B/timtin-index' --corpus '$PC' --db '$T/pmnt' --shard-by year --quiet --no-sync 2>'$T/err'; echo \$? >'$T/rc'"
    check "--db a mount point, --shard-by year (no swap): indexed" test "$(cat "$T/rc")" = 0
else
    echo "# skip: mount point tests (no mount namespace)"
fi
(cd "$T" && "$B/timtin-index" --corpus "$PC" --db "" --quiet --no-sync 2>"$T/err"); rc=$?
check "--db \"\": refused at once (exit 2)" bash -c "test $rc -eq 2 && ! test -e '$T/.lock'"
(cd "$T" && TIMTIN_DB= "$B/timtin-index" --corpus "$PC" --quiet --no-sync 2>"$T/err"); rc=$?
check "TIMTIN_DB empty: refused at once (exit 2)" test $rc -eq 2
# TIMTIN_DB as timtin-search and timtin.cgi read it: colon-separated.  A
# list names no one db to write: refused, nothing made (no "dbA:dbB")
(cd "$T" && TIMTIN_DB="$T/ea:$T/eb" "$B/timtin-index" --corpus "$PC" --quiet --no-sync 2>"$T/err"); rc=$?
check "TIMTIN_DB naming 2 dbs: refused (exit 2), says to give --db, nothing made" \
    bash -c "test $rc -eq 2 && grep -q 'TIMTIN_DB names 2 dbs' '$T/err' && grep -q -- '--db' '$T/err' &&
        ! ls -d '$T'/ea* '$T'/eb* 2>/dev/null | grep -q ."
(cd "$T" && TIMTIN_DB="$T/ea:$T/eb" "$B/timtin-index" --corpus "$PC" --db "$T/envdb" --quiet --no-sync 2>"$T/err"); rc=$?
check "... --db given: TIMTIN_DB is not read" test $rc -eq 0 -a -d "$T/envdb" -a ! -e "$T/ea:$T/eb"
"$B/timtin-index" --corpus "$T/nocorpus" --db "$T/pnew" --quiet --no-sync 2>"$T/err"; rc=$?
check "a missing corpus: exit 5, nothing made beside the db (no lock)" \
    bash -c "test $rc -eq 5 && ! ls -d '$T'/pnew* 2>/dev/null | grep -q ."
# the time a run waited for the lock is not in its elapsed time and rate.
# The lock is held by a process the test releases through a fifo once the
# run says it waits; the run's elapsed time (records / rate: the rate has
# more digits than the seconds) must fit between that release and the
# run's end, both read on the test's monotonic clock (the one the indexer
# uses): the lock taken after the release, the end seen after the run's
# own.  That holds on any machine, however slow; a run that counted its
# wait would have started before the release, by as long as the lock was
# held after it said it waits (stretched by the sleep: the stimulus, not
# a synchronisation).
mono() { python3 -c 'import time; print(time.monotonic())'; }
mkfifo "$T/pdb.release"
flock "$T/pdb.lock" -c ": >'$T/pdb.held'; read -r _ <'$T/pdb.release'" &
holder=$!
on_exit "kill $holder 2>/dev/null"
wait_for test -e "$T/pdb.held"
"$B/timtin-index" --corpus "$PC" --db "$T/pdb" --no-sync --full --wait \
    >"$T/wait.out" 2>"$T/wait.err" &
ipid=$!
check "--wait: says it waits for the lock" \
    wait_for grep -q 'waiting for the lock on .*pdb' "$T/wait.err"
sleep 0.5
t_release=$(mono)
echo >"$T/pdb.release"
wait "$holder"
wait "$ipid"; rc=$?
t_end=$(mono)
read -r n rate < <(sed -n 's/^indexed \([0-9]*\) records in [0-9.]*s (\([0-9]*\) articles\/s).*/\1 \2/p' "$T/wait.out")
check "--wait: the wait is not counted as indexing time ($n records at ${rate:-?}/s in $t_release..$t_end)" \
    python3 -c "import sys
n, rate, lo, hi = ${n:-0}, ${rate:-0}, $t_release, $t_end
sys.exit(0 if $rc == 0 and n > 0 and rate > 0 and n / (rate + 0.5) <= hi - lo else 1)"

# what a killed run leaves beside the db is removed by the next run, all
# of it (DB.new is a killed --full --shard-by year's), and nothing else:
# not a neighbour whose name merely starts alike, nor one a glob pattern
# made of the db's name would match
cp -r "$T/pshard" "$T/pshard.new"
mkdir "$T/pshard.new.0.0003" "$T/pshard.new.stage.1.2" "$T/pshard.compact"
echo mine >"$T/pshard.new.txt" && echo mine >"$T/pshard.newer"
pindex --db "$T/pshard" --shard-by year 2>"$T/err"; rc=$?
check "leftovers of killed runs removed, neighbours kept" \
    bash -c "test $rc -eq 0 && test \"\$(cd '$T' && ls -d pshard.* | tr '\n' ' ')\" = 'pshard.lock pshard.new.txt pshard.newer '"
cp -r "$T/pdb" "$T/p[1]" && mkdir "$T/p1.compact" "$T/p1.new.0.0000" && echo x >"$T/p1.compact/keep"
pindex --db "$T/p[1]" 2>"$T/err"; rc=$?
check "a db named with glob characters: its neighbours kept" \
    bash -c "test $rc -eq 0 && test -f '$T/p1.compact/keep' -a -d '$T/p1.new.0.0000'"

# a checkpoint that does not fit the corpus (a corpus restored from a
# backup, or one that lost its last records; a checkpoint past the end or
# inside a record; a db built from another corpus) is refused before
# anything is written (exit 2, saying --full): the records after it
# would never be indexed
QC=$T/qc QD=$T/qdb QY=$T/qydb
qindex() { "$B/timtin-index" --corpus "$QC" --no-sync --quiet "$@"; }
qlive() { "$B/timtin-corpus" --corpus "$QC" ls | wc -l; }
"$B/timtin-corpus" --corpus "$QC" import --quiet "$S"
qindex --db "$QD" && qindex --db "$QY" --shard-by year
cp -r "$QC" "$T/qc.bak"
gen 30 700 "$T/q1.jsonl" && "$B/timtin-corpus" --corpus "$QC" import --quiet "$T/q1.jsonl"
qindex --db "$QD" && qindex --db "$QY" --shard-by year
rm -rf "$QC" && cp -r "$T/qc.bak" "$QC"
gen 3 800 "$T/q2.jsonl" && "$B/timtin-corpus" --corpus "$QC" import --quiet "$T/q2.jsonl"
qstate() { echo "$(doccount "$1") $(xapian-metadata get "$1" timtin.checkpoint)"; }
before=$(qstate "$QD")
qindex --db "$QD" 2>"$T/err"; rc=$?
check "checkpoint past the corpus end (a restored corpus): exit 2, says --full, db untouched" \
    bash -c "test $rc -eq 2 && grep -q checkpoint '$T/err' && grep -q -- --full '$T/err' &&
        test \"\$(wc -l <'$T/err')\" -eq 1 && test '$(qstate "$QD")' = '$before'"
qindex --db "$QY" --shard-by year 2>"$T/err"; rc=$?
check "... with --shard-by year too" bash -c "test $rc -eq 2 && grep -q -- --full '$T/err'"
qindex --db "$QD" --full && qindex --db "$QY" --shard-by year --full; rc=$?
check "... --full rebuilds from the corpus as it is" \
    bash -c "test $rc -eq 0 && test $(doccount "$QD") = $(qlive) && test $(doccount "$QY") = $(qlive)"
for cp in 1:99999999 7:0 1:5 nonsense; do
    xapian-metadata set "$QD" timtin.checkpoint "$cp"
    qindex --db "$QD" 2>"$T/err"; rc=$?
    check "checkpoint $cp: exit 2, says --full" bash -c "test $rc -eq 2 && grep -q -- --full '$T/err'"
done
qindex --db "$QD" --full
xapian-metadata set "$QD" timtin.corpus "<urn:uuid:00000000-0000-4000-8000-000000000000>"
qindex --db "$QD" 2>"$T/err"; rc=$?
check "a db built from another corpus: exit 2, says so and --full" \
    bash -c "test $rc -eq 2 && grep -q 'another corpus' '$T/err' && grep -q -- --full '$T/err'"
xapian-metadata set "$QD" timtin.corpus ""
qindex --db "$QD" 2>"$T/err"; rc=$?
check "a db that does not name its corpus (built before): taken, and named" \
    bash -c "test $rc -eq 0 && xapian-metadata get '$QD' timtin.corpus | grep -q '^<urn:uuid:'"

# a bulk build (first build or --full) whose latest version of an article
# cannot be read (a damaged record; JSON that does not parse or names
# another article) indexes the newest version that can be, as an
# incremental run keeps it; one with no readable version is named
fb() { # ID WORD [ID WORD...]: articles as JSON lines
    python3 -c '
import json, sys
a = sys.argv[1:]
for i in range(0, len(a), 2):
    print(json.dumps({"id": a[i], "title": "Bài %s" % a[i], "body": ["Nội dung %s." % a[i + 1]]}))' "$@"
}
# rewrite_json FILE K OLD NEW: in the K-th last record of FILE, the
# block's OLD (as many bytes) becomes NEW, recompressed: valid gzip, WARC
# and length, a JSON of another article or none
rewrite_json() {
    python3 - "$@" <<'PY'
import gzip, sys, zlib
path, k, old, new = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4].encode()
data = open(path, "rb").read()
starts = [i for i in range(len(data) - 2) if data[i:i+3] == b"\x1f\x8b\x08"]
s = starts[-k]
d = zlib.decompressobj(31)
text = d.decompress(data[s:])
end = len(data) - len(d.unused_data)
assert len(old) == len(new) and old in text
open(path, "wb").write(data[:s] + gzip.compress(text.replace(old, new, 1)) + data[end:])
PY
}
fbcase() { # NAME: a corpus with fb-x v1, then fb-x v2 and fb-y
    FC2=$T/fbc-$1
    fb fb-x zzxmot fb-z zzzmot | "$B/timtin-corpus" --corpus "$FC2" import --quiet -
    fb fb-x zzxhai fb-y zzyy | "$B/timtin-corpus" --corpus "$FC2" import --quiet -
}
fbfound() { "$B/timtin-search" --db "$1" --json "$2" | python3 -c 'import json,sys; print(" ".join(h["id"] for h in json.load(sys.stdin)["results"]))'; }
fbcase gzip && flip_record "$FC2/timtin-000001.warc.gz" 2
fbcase json && rewrite_json "$FC2/timtin-000001.warc.gz" 2 '"body":' '"body"?'
fbcase otherid && rewrite_json "$FC2/timtin-000001.warc.gz" 2 '"id":"fb-x"' '"id":"fb-w"'
for how in gzip json otherid; do
    FC2=$T/fbc-$how
    for jobs in 1 3; do
        out=$("$B/timtin-index" --corpus "$FC2" --db "$T/fbd-$how-$jobs" --no-sync --full --jobs $jobs 2>"$T/err"); rc=$?
        check "bulk build, latest version unreadable ($how, $jobs jobs): the one before indexed, said" \
            bash -c "test $rc -eq 0 && test '$(fbfound "$T/fbd-$how-$jobs" zzxmot)' = fb-x &&
                test '$(fbfound "$T/fbd-$how-$jobs" zzyy)' = fb-y && test '$(fbfound "$T/fbd-$how-$jobs" zzzmot)' = fb-z &&
                grep -q '1 indexed from an older version' <<<'$out' && grep -q 'fb-x' '$T/err'"
    done
done
# a bulk build of dbs per year (--full, or the first run) reads every
# record in order, an older version staying when the latest cannot be
# read, but its summary counts as one db's bulk build does: each live
# article added once, no version replaced, nothing deleted
summary() { sed -n 's/^indexed \([0-9]*\) records in [0-9.]*s ([0-9]* articles\/s)/\1 records/p'; }
HC=$T/hc
gen 10 60000 "$T/h.jsonl"
"$B/timtin-corpus" --corpus "$HC" import --quiet "$T/h.jsonl"
head -4 "$T/h.jsonl" | sed 's/"title": "/"title": "Tin mới: /' | "$B/timtin-corpus" --corpus "$HC" import --quiet -
"$B/timtin-corpus" --corpus "$HC" delete gen-060000 gen-060009 >/dev/null
one=$("$B/timtin-index" --corpus "$HC" --db "$T/hdb" --no-sync --full | summary)
full=$("$B/timtin-index" --corpus "$HC" --db "$T/hydb" --no-sync --shard-by year --full | summary)
first=$("$B/timtin-index" --corpus "$HC" --db "$T/hydb1" --no-sync --shard-by year | summary)
echo "# one db: $one; --full --shard-by year: $full; a first --shard-by year: $first"
check "bulk build of dbs per year: counted as one db's (8 added, 0 replaced, 0 deleted)" \
    test "$full/$first" = "$one/$one" -a "${one#*: }" = "8 added, 0 replaced, 0 deleted"
for how in gzip json otherid; do
    one=$("$B/timtin-index" --corpus "$T/fbc-$how" --db "$T/fbd1-$how" --no-sync 2>/dev/null | summary)
    full=$("$B/timtin-index" --corpus "$T/fbc-$how" --db "$T/fbdy-$how" --no-sync --shard-by year --full 2>/dev/null | summary)
    check "... the latest version unreadable ($how): the same summary, the older one counted" \
        bash -c "test '$full' = '$one' && grep -q '1 indexed from an older version' <<<'$one'"
done
# the only version of an article unreadable: nothing to fall back on, named
FC2=$T/fbc-only
fb fb-a zzamot | "$B/timtin-corpus" --corpus "$FC2" import --quiet -
fb fb-b zzbmot fb-c zzcmot | "$B/timtin-corpus" --corpus "$FC2" import --quiet -
rewrite_json "$FC2/timtin-000001.warc.gz" 2 '"body":' '"body"?'
out=$("$B/timtin-index" --corpus "$FC2" --db "$T/fbd-only" --no-sync 2>"$T/err"); rc=$?
check "bulk build, an article's only version unreadable: the others indexed, it is named" \
    bash -c "test $rc -eq 0 && test \"\$(xapian-delve '$T/fbd-only' | sed -n 's/^number of documents = //p')\" = 2 &&
        grep -q 'fb-b' '$T/err'"

# a damaged deletion marker is no deletion: the records are the truth, and
# one that cannot be read counts for nothing, as for a version of the
# text; the bulk build and an incremental run keep the article alike
FC2=$T/fbc-del
fb fb-d zzdmot fb-e zzemot | "$B/timtin-corpus" --corpus "$FC2" import --quiet -
"$B/timtin-index" --corpus "$FC2" --db "$T/fbd-del-inc" --no-sync --quiet
"$B/timtin-corpus" --corpus "$FC2" delete fb-d
fb fb-f zzfmot | "$B/timtin-corpus" --corpus "$FC2" import --quiet -
flip_record "$FC2/timtin-000001.warc.gz" 2
"$B/timtin-index" --corpus "$FC2" --db "$T/fbd-del-inc" --no-sync --quiet 2>"$T/err"; rc=$?
check "incremental run, a damaged deletion marker: the article stays, the next indexed" \
    bash -c "test $rc -eq 0 && test '$(fbfound "$T/fbd-del-inc" zzdmot)' = fb-d &&
        test '$(fbfound "$T/fbd-del-inc" zzfmot)' = fb-f"
for jobs in 1 3; do
    out=$("$B/timtin-index" --corpus "$FC2" --db "$T/fbd-del-$jobs" --no-sync --full --jobs $jobs 2>"$T/err"); rc=$?
    check "bulk build, a damaged deletion marker ($jobs jobs): the article stays, said" \
        bash -c "test $rc -eq 0 && test '$(fbfound "$T/fbd-del-$jobs" zzdmot)' = fb-d &&
            test '$(fbfound "$T/fbd-del-$jobs" zzemot)' = fb-e && test '$(fbfound "$T/fbd-del-$jobs" zzfmot)' = fb-f &&
            grep -q '1 indexed from an older version' <<<'$out' && grep -q 'fb-d.*deletion' '$T/err'"
done

# an empty corpus gives an empty index that a search answers with no
# result, with one db per year as with one db
mkdir "$T/ec"
"$B/timtin-index" --corpus "$T/ec" --db "$T/edb" --quiet --no-sync &&
    "$B/timtin-index" --corpus "$T/ec" --db "$T/eydb" --shard-by year --quiet --no-sync; rc=$?
"$B/timtin-search" --db "$T/edb" 'hòa bình' >/dev/null 2>&1; rc1=$?
"$B/timtin-search" --db "$T/eydb" 'hòa bình' >/dev/null 2>"$T/err"; rc2=$?
check "empty corpus: one db and one per year both searched, no result (exit 1)" \
    test "$rc/$rc1/$rc2" = 0/1/1
"$B/timtin-corpus" --corpus "$T/ec" import --quiet "$S"
"$B/timtin-index" --corpus "$T/ec" --db "$T/eydb" --shard-by year --quiet --no-sync; rc=$?
check "... and then indexed into" \
    bash -c "test $rc -eq 0 && test \"\$(xapian-delve '$T/eydb' | sed -n 's/^number of documents = //p')\" = \"\$('$B/timtin-corpus' --corpus '$T/ec' ls | wc -l)\""

# the ids of a search's results, in order, one line
found_ids() { # DB QUERY...
    local db=$1; shift
    "$B/timtin-search" --db "$db" --json --limit 100 "$@" |
        python3 -c 'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin)["results"]))'
}

# near-duplicates are the same story under two URLs, nothing else: a
# title that recurs without a lead ("Giá vàng hôm nay") is as many stories
# as bodies, and a tone mark makes another title ("bán" is not "bàn");
# the same story stored twice is still one result (col-5: col-1 with a
# line added at its end)
cat >"$T/col.jsonl" <<'EOF'
{"id": "col-1", "url": "https://x.vn/1", "title": "Giá vàng hôm nay", "sapo": "", "body": ["Sáng nay giá vàng SJC tăng 200.000 đồng mỗi lượng, lên 70 triệu đồng."], "published": "2024-01-02T08:00:00+07:00", "section": "Kinh doanh"}
{"id": "col-2", "url": "https://x.vn/2", "title": "Giá vàng hôm nay", "sapo": "", "body": ["Giá vàng nhẫn giảm mạnh 500.000 đồng, nhà đầu tư bán tháo."], "published": "2024-01-03T08:00:00+07:00", "section": "Kinh doanh"}
{"id": "col-3", "url": "https://x.vn/3", "title": "Đề xuất bán cổ phần Vietcombank", "sapo": "Bộ Tài chính đề xuất phương án.", "body": ["Phương án bán thêm cổ phần cho nhà đầu tư nước ngoài."], "published": "2024-02-01T08:00:00+07:00", "section": "Kinh doanh"}
{"id": "col-4", "url": "https://x.vn/4", "title": "Đề xuất bàn cổ phần Vietcombank", "sapo": "Bộ Tài chính đề xuất phương án.", "body": ["Hội đồng quản trị họp bàn về cổ phần vào tuần sau."], "published": "2024-02-02T08:00:00+07:00", "section": "Kinh doanh"}
{"id": "col-5", "url": "https://y.vn/gia-vang", "title": "Giá vàng hôm nay", "sapo": "", "body": ["Sáng nay giá vàng SJC tăng 200.000 đồng mỗi lượng, lên 70 triệu đồng.", "Theo báo Y."], "published": "2024-01-02T09:00:00+07:00", "section": "Kinh doanh"}
EOF
"$B/timtin-corpus" --corpus "$T/colc" --no-sync import --quiet "$T/col.jsonl" &&
    "$B/timtin-index" --corpus "$T/colc" --db "$T/cold" --no-sync --quiet; rc=$?
all=$(found_ids "$T/cold" since:2024)
gold=$(found_ids "$T/cold" 'giá vàng hôm nay')
shares=$(found_ids "$T/cold" 'cổ phần Vietcombank' | tr ' ' '\n' | sort | xargs)
check "near-duplicates: 5 articles, 4 stories, 4 results (got: $all)" \
    test "$rc/$(wc -w <<<"$all")" = 0/4
check "... two \"Giá vàng hôm nay\" without a lead, two stories; col-5 a copy of col-1 (got: $gold)" \
    test "$(wc -w <<<"$gold")/$(grep -o col-2 <<<"$gold")" = 2/col-2
check "... \"bán\" and \"bàn\" cổ phần, two stories (got: $shares)" \
    test "$shares" = "col-3 col-4"

# date order is by the actual moment: tz-b, at 17:10 UTC, is 00:10 on
# 1 January in Vietnam, after tz-a at 23:30 on 31 December (+07:00), though
# its clock as written says earlier; the days and date ranges stay on the
# article's own clock (tz-a and tz-b are of 31 December, tz-c of 1 January
# though it was 17:15 UTC on 31 December)
cat >"$T/tz.jsonl" <<'EOF'
{"id":"tz-a","url":"https://x.vn/a","title":"Cháy chợ Đồng Xuân lúc nửa đêm","sapo":"Đám cháy bùng phát lúc 23h30.","body":["Lực lượng cứu hỏa có mặt sau 10 phút."],"published":"2021-12-31T23:30:00+07:00"}
{"id":"tz-b","url":"https://x.vn/b","title":"Cập nhật vụ cháy chợ Đồng Xuân","sapo":"Đám cháy đã được khống chế.","body":["Không có thương vong."],"published":"2021-12-31T17:10:00Z"}
{"id":"tz-c","url":"https://x.vn/c","title":"Chợ Đồng Xuân mở cửa trở lại","sapo":"Tiểu thương dọn hàng từ sáng sớm.","body":["Ban quản lý chợ kiểm tra hệ thống điện."],"published":"2022-01-01T00:15:00+07:00"}
EOF
"$B/timtin-corpus" --corpus "$T/tzc" --no-sync import --quiet "$T/tz.jsonl" &&
    "$B/timtin-index" --corpus "$T/tzc" --db "$T/tzd" --no-sync --quiet; rc=$?
bydate=$(found_ids "$T/tzd" --sort date 'cháy chợ')
feed=$(TIMTIN_DB=$T/tzd "$B/timtin.cgi" 'q=cháy chợ' format=rss |
    python3 -c 'import sys,xml.etree.ElementTree as E; print(" ".join(i.findtext("link")[-1] for i in E.fromstring(sys.stdin.buffer.read()).iter("item")))')
all=$(found_ids "$T/tzd" since:2021)
day=$(found_ids "$T/tzd" 2021-12-31..2021-12-31)
jan=$(found_ids "$T/tzd" since:2022-01-01)
check "--sort date: by the actual moment, tz-b (17:10Z) before tz-a (23:30+07) (got: $bydate)" \
    test "$rc/$bydate" = "0/tz-b tz-a"
check "... the RSS feed too, newest first (got: $feed)" test "$feed" = "b a"
check "... and without words: tz-c (17:15Z), tz-b, tz-a (got: $all)" \
    test "$all" = "tz-c tz-b tz-a"
check "... date ranges on the article's own clock: tz-b and tz-a of 31 December, tz-c of 1 January (got: $day; $jan)" \
    test "$day/$jan" = "tz-b tz-a/tz-c"

# usage errors are said as every other message is ("timtin-index: ...",
# not the program's path), a count with the range it takes, and --help
# says what -j takes
usage_said() { # RC: a usage error, each line of it "timtin-index: ..." or the hint
    [ "$1" -eq 2 ] && grep -q . "$T/err" && ! grep -qF "$B" "$T/err" &&
        ! grep -qv -e '^timtin-index: ' -e "^Try 'timtin-index --help'" "$T/err"
}
for args in --bogus -Z --db -d --quiet=1; do
    "$B/timtin-index" $args 2>"$T/err"; rc=$?
    check "usage error $args: exit 2, said by timtin-index (not its path)" usage_said $rc
done
for opt in --commit-every --subdb-docs; do
    for v in 0 100000001 x; do
        "$B/timtin-index" $opt $v 2>"$T/err"; rc=$?
        check "$opt $v: exit 2, the range said" \
            bash -c "test $rc -eq 2 && grep -q -- '$opt: expected a number from 1 to 100000000' '$T/err'"
    done
    "$B/timtin-index" --corpus "$T/nocorpus" --db "$T/nodb" $opt 100000000 2>/dev/null; rc=$?
    check "$opt 100000000: taken (exit 5, the corpus missing)" test $rc -eq 5
done
"$B/timtin-index" --jobs 9 2>"$T/err"; rc=$?
check "--jobs 9: exit 2, says 1 to 8; --help says at most 8" \
    bash -c "test $rc -eq 2 && grep -q 'from 1 to 8' '$T/err' &&
        '$B/timtin-index' --help | grep -A1 -- '--jobs N' | grep -q '8 at most'"

# standard output that cannot be written (the summary to a full disk,
# here /dev/full): said, exit 5; the db is built all the same
if [ -w /dev/full ]; then
    "$B/timtin-corpus" --corpus "$T/fullc" import --quiet "$S"
    "$B/timtin-index" --corpus "$T/fullc" --db "$T/fulldb" --no-sync >/dev/full 2>"$T/err"; rc=$?
    check "summary > /dev/full: exit 5, said" \
        bash -c "test $rc -eq 5 && grep -qx 'timtin-index: error writing standard output: No space left on device' '$T/err'"
    check "... the db built all the same" \
        test "$(doccount "$T/fulldb")" = "$("$B/timtin-corpus" --corpus "$T/fullc" ls | wc -l)"
    "$B/timtin-index" --corpus "$T/fullc" --db "$T/fulldb" --no-sync --quiet >/dev/full 2>"$T/err"; rc=$?
    check "--quiet > /dev/full: nothing written, exit 0" bash -c "test $rc -eq 0 && ! grep -q . '$T/err'"
    for args in --help --version; do
        "$B/timtin-index" $args >/dev/full 2>"$T/err"; rc=$?
        check "$args > /dev/full: exit 5, said" \
            bash -c "test $rc -eq 5 && grep -q '^timtin-index: error writing standard output' '$T/err'"
    done
fi

done_testing
