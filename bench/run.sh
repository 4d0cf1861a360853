#!/usr/bin/env bash
# bench/run.sh — timtin against its peers (Omega, SQLite FTS5), side by side
# in one run on the same articles and queries.  See bench/README.md.
#
# usage: bench/run.sh BUILD full|quick|smoke
#   full   all articles of ../shared/data/news -> docs/benchmarks.md and
#          docs/img/latency.png                       (make bench)
#   quick  a 20,000-article subset (every query target included), fewer
#          repetitions -> BUILD/bench-work/quick/benchmarks.md (make bench-quick)
#   smoke  the project's sample articles and the queries of $BENCH_QUERIES,
#          one repetition, no ../shared needed -> $BENCH_WORK/benchmarks.md
#          (tests/e2e/bench_smoke.sh); timings there mean nothing.
# Environment: TT_SHARED (default ../shared beside the source tree),
#   BENCH_WORK (scratch, default BUILD/bench-work/MODE, wiped at start),
#   BENCH_OUT / BENCH_IMG (the report and plot), BENCH_ARTICLES and
#   BENCH_QUERIES (smoke inputs), BENCH_BUILDS / BENCH_REPS (override the
#   number of index builds / timed query passes), BENCH_BUDGET (seconds
#   for the whole run, within which extra build rounds must fit) and
#   BENCH_MARGIN (an extra round starts only when MARGIN% of the last
#   round's length fits in the time left; default 125).
set -euo pipefail

usage() { echo "usage: bench/run.sh BUILD full|quick|smoke" >&2; exit 2; }
[ $# -eq 2 ] || usage
BUILD_ARG=$1 MODE=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/bench
[ -d "$BUILD_ARG" ] || { echo "bench: no build directory $BUILD_ARG (run make first)" >&2; exit 2; }
BUILD=$(cd "$BUILD_ARG" && pwd)
SHARED=${TT_SHARED:-$TOP/../shared}
START=$(date +%s)

case $MODE in
full)
    LIMIT=0 HOLD=1000 BUDGET=$((40 * 60)) REPS=${BENCH_REPS:-3}
    PP_REPS=${BENCH_REPS:-3} FLOOR_RUNS=200 SEG_MB=50 WRK_SECS=30 CRAWL_N=${BENCH_CRAWL_LIMIT:-20000}
    OUT=${BENCH_OUT:-$TOP/docs/benchmarks.md}
    IMG=${BENCH_IMG:-$TOP/docs/img/latency.png} IMG_LINK=img/latency.png
    README_LINK=../bench/README.md ;;
quick)
    LIMIT=20000 HOLD=1000 BUDGET=$((4 * 60 + 30)) REPS=${BENCH_REPS:-3}
    PP_REPS=${BENCH_REPS:-1} FLOOR_RUNS=50 SEG_MB=5 WRK_SECS=5 CRAWL_N=${BENCH_CRAWL_LIMIT:-1000} ;;
smoke)
    LIMIT=0 HOLD=4 BUDGET=0 REPS=${BENCH_REPS:-1}
    PP_REPS=${BENCH_REPS:-1} FLOOR_RUNS=5 SEG_MB=0 WRK_SECS=1 CRAWL_N=0 ;;
*) usage ;;
esac
BUDGET=${BENCH_BUDGET:-$BUDGET} MARGIN=${BENCH_MARGIN:-125}
WORK=${BENCH_WORK:-$BUILD/bench-work/$MODE}
OUT=${OUT:-${BENCH_OUT:-$WORK/benchmarks.md}}
IMG=${IMG:-${BENCH_IMG:-$WORK/latency.png}}
IMG_LINK=${IMG_LINK:-$(basename "$IMG")}
README_LINK=${README_LINK:-$TOP/bench/README.md}

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# --- inputs -------------------------------------------------------------------
if [ "$MODE" = smoke ]; then
    read -ra ARTICLES <<< "${BENCH_ARTICLES:-$TOP/corpus/samples/articles.jsonl}"
    QUERIES_SRC=${BENCH_QUERIES:-}
    [ -n "$QUERIES_SRC" ] && [ -f "$QUERIES_SRC" ] ||
        die "smoke mode needs BENCH_QUERIES=FILE (TSV: qid, variant, query, target id)"
    QUERIES_NAME="made-up smoke queries ($(basename "$QUERIES_SRC"))"
else
    if [ ! -d "$SHARED/data/news" ] || [ ! -f "$SHARED/data/eval/dev-queries.tsv" ]; then
        cat >&2 <<EOF
bench: $SHARED/data/news and $SHARED/data/eval/dev-queries.tsv are needed
bench: for the $MODE benchmark and are not there (../shared is absent).
bench: Nothing was measured and nothing was written.  Set TT_SHARED=DIR to
bench: point at a copy, or run 'bench/run.sh $BUILD_ARG smoke' (no data needed).
EOF
        exit 0
    fi
    ARTICLES=("$SHARED/data/news/vietnews.jsonl.gz" "$SHARED/data/news/baomoi.jsonl.gz")
    QUERIES_SRC=$SHARED/data/eval/dev-queries.tsv
    QUERIES_NAME="../shared/data/eval/dev-queries.tsv"
fi

# --- programs -----------------------------------------------------------------
for p in timtin-corpus timtin-index timtin-search bench/bench_search; do
    [ -x "$BUILD/$p" ] || die "$BUILD/$p is not built (run make)"
done
command -v python3 >/dev/null || die "python3 is needed"
OMEGA_BIN=${OMEGA_BIN:-/usr/lib/cgi-bin/omega/omega}
HAVE_OMEGA=1 HAVE_FTS=1
missing=""
{ command -v omindex && command -v xapian-compact && [ -x "$OMEGA_BIN" ]; } >/dev/null 2>&1 ||
    { HAVE_OMEGA=0; missing="$missing xapian-omega/xapian-tools"; }
{ command -v sqlite3 >/dev/null && sqlite3 :memory: "CREATE VIRTUAL TABLE t USING fts5(x)"; } >/dev/null 2>&1 ||
    { HAVE_FTS=0; missing="$missing sqlite3(FTS5)"; }
if [ -n "$missing" ]; then
    [ "$MODE" = smoke ] || die "missing peers:$missing (scripts/install-deps.sh bench)"
    say "smoke: peers not installed, left out:$missing"
fi

# --- work dir -----------------------------------------------------------------
case $WORK in /|"$TOP"|"$TOP"/bench|"$HOME") die "refusing to wipe $WORK" ;; esac
rm -rf "$WORK"
mkdir -p "$WORK"/{bin,results,timtin,omega,fts5}
# The programs are copied first: others rebuild the tree while a long run
# goes on, and one run must use one build throughout.
# The helper scripts too (the tokenizer's seg.py goes with its program).
for p in "$BUILD"/timtin* "$BUILD/bench/bench_search"; do
    if [ -f "$p" ] && [ -x "$p" ]; then cp "$p" "$WORK/bin/"; fi
done
# the crawler's profiles where an installed crawler finds them
# (bin/../share/timtin/profiles): a program copied out of its build
# directory no longer reads the source tree's
mkdir -p "$WORK/share/timtin"
cp -r "$TOP/crawler/profiles" "$WORK/share/timtin/"
mkdir -p "$WORK/bin/bench"
cp "$BENCH"/*.py "$BENCH"/*.omegascript "$BENCH"/*.lua "$BENCH/omega_web.sh" "$WORK/bin/bench/"
BUILD=$WORK/bin BENCH=$WORK/bin/bench
RES=$WORK/results
# The prepared data (about 185,000 HTML files in full mode: minutes to
# write and to delete on this disk) is kept between runs beside the work
# dir, and made again only when its inputs or the scripts that make it
# change.  Smoke mode keeps it inside its work dir.
if [ "$MODE" = smoke ]; then DATA=$WORK/data; else DATA=$(dirname "$WORK")/data-$MODE; fi
: > "$RES/timings.jsonl"; : > "$RES/sizes.jsonl"
timed() { # SYSTEM STEP REP [timeit options] -- CMD...
    python3 "$BENCH/timeit.py" "$RES/timings.jsonl" "$@"
}
warm() { # read files once so every system starts with its input cached
    find "$@" -type f -exec cat {} + > /dev/null
}
size() { # WHAT PATH
    printf '{"what":"%s","kb":%s}\n' "$1" "$(du -sk "$2" | cut -f1)" >> "$RES/sizes.jsonl"
}
json_str() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

# --- machine ------------------------------------------------------------------
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
mem_kb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)
os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}")
versions="timtin $("$BUILD/timtin-index" --version | awk '{print $NF}')"
versions="$versions, Xapian $(dpkg-query -W -f='${Version}' libxapian30 2>/dev/null || echo ?)"
[ $HAVE_OMEGA = 1 ] && versions="$versions, xapian-omega $(omindex --version | awk '{print $NF}')"
[ $HAVE_FTS = 1 ] && versions="$versions, SQLite $(sqlite3 --version | cut -d' ' -f1)"
versions="$versions, Python $(python3 -c 'import platform; print(platform.python_version())')"
cat > "$RES/machine.json" <<EOF
{"cpu": $(json_str "${cpu:-?}"), "cores": $(nproc), "mem_gb": $(( (mem_kb + 524288) / 1048576 )),
 "os": $(json_str "$os"), "load": $(json_str "$(cut -d' ' -f1-3 /proc/loadavg)"),
 "versions": $(json_str "$versions")}
EOF
commit=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo none)
dirty=$(git -C "$TOP" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null | wc -l)
[ "$dirty" -gt 0 ] && commit="$commit + uncommitted changes in $dirty files"
case $MODE in
full) cmdline="make bench (bench/run.sh build full)" ;;
quick) cmdline="make bench-quick (bench/run.sh build quick)" ;;
*) cmdline="bench/run.sh $BUILD_ARG $MODE" ;;
esac

# --- data ---------------------------------------------------------------------
say "$MODE: work dir $WORK"
python3 "$BENCH/queries.py" variants "$QUERIES_SRC" "$RES/queries.tsv"
stamp=$( { echo "$LIMIT $HOLD"; stat -c '%n %s %Y' "${ARTICLES[@]}" "$QUERIES_SRC";
           cat "$BENCH/prep.py" "$BENCH/queries.py"; } | md5sum | cut -d' ' -f1)
# a run stopped during omindex's incremental step leaves the new articles'
# folder in the HTML tree: put it back, or make the data again
if [ -e "$DATA/html/held" ]; then
    mv -T "$DATA/html/held" "$DATA/html-held/held" 2>/dev/null || rm -f "$DATA/stamp"
fi
if [ -f "$DATA/stamp" ] && [ "$(cat "$DATA/stamp")" = "$stamp" ] && [ -f "$DATA/prep.json" ]; then
    say "$MODE: the prepared data in $DATA is up to date"
else
    rm -rf "$DATA"
    python3 "$BENCH/prep.py" --out "$DATA" --limit "$LIMIT" --hold "$HOLD" \
        --targets "$RES/queries.tsv" "${ARTICLES[@]}"
    echo "$stamp" > "$DATA/stamp"
fi
cp "$DATA/prep.json" "$RES/prep.json"
NART=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["articles"])' "$DATA/prep.json")
size html "$DATA/html"; size fts-csv "$DATA/fts.csv"

# --- bulk builds ----------------------------------------------------------------
C=$WORK/timtin/corpus TDB=$WORK/timtin/db
OMW=$WORK/omega ODB=$WORK/omega/db
FDB=$WORK/fts5/fts.db TDBC=$WORK/timtin/db-compacted ODBC=$WORK/omega/db-compacted FDBC=$WORK/fts5/fts-optimized.db
cat > "$WORK/fts5/build.sql.in" <<EOF
CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body,
    tokenize = "unicode61 remove_diacritics 2");
INSERT INTO docs(docs, rank) VALUES('rank', 'bm25(0.0, 10.0, 1.0)');
.import --csv @CSV@ docs
EOF

# One round: every system builds its index from scratch over the same
# articles.  Round 1 keeps its indexes (the rest of the run uses them);
# later rounds, run at the end while the time budget allows, build into
# scratch copies that are removed again, and are stopped at DEADLINE.
build_round() { # REP [DEADLINE]: status 1 when stopped at the deadline
    local rep=$1 sfx="" t0 dl=()
    t0=$(date +%s)
    [ -n "${2:-}" ] && dl=(--deadline "$2")
    [ "$rep" -gt 1 ] && sfx=.r$rep
    say "round $rep: timtin-corpus import ($NART articles)"
    rm -rf "$C$sfx"; warm "$DATA/main.jsonl"
    timed timtin import "$rep" "${dl[@]}" -- "$BUILD/timtin-corpus" --corpus "$C$sfx" import --quiet "$DATA/main.jsonl" ||
        { [ -n "$sfx" ] && return 1; die "timtin-corpus import failed"; }
    say "round $rep: timtin-index --full"
    rm -rf "$TDB$sfx" "$TDB$sfx.new"; warm "$C$sfx"
    timed timtin index "$rep" "${dl[@]}" -- "$BUILD/timtin-index" --corpus "$C$sfx" --db "$TDB$sfx" --full \
        --jobs "$JOBS" --quiet ||
        { [ -n "$sfx" ] && return 1; die "timtin-index failed"; }
    if [ $HAVE_OMEGA = 1 ]; then
        say "round $rep: omindex"
        rm -rf "$ODB$sfx"; warm "$DATA/html"
        timed omega index "$rep" --stdout "$OMW/omindex$sfx.log" "${dl[@]}" -- \
            omindex --overwrite --stemmer=none --empty-docs=skip --db "$ODB$sfx" --url / "$DATA/html" ||
            { [ -n "$sfx" ] && return 1; die "omindex failed (see $OMW/omindex$sfx.log)"; }
    fi
    if [ $HAVE_FTS = 1 ]; then
        say "round $rep: SQLite FTS5"
        rm -f "$FDB$sfx"; warm "$DATA/fts.csv"
        sed "s|@CSV@|$DATA/fts.csv|" "$WORK/fts5/build.sql.in" > "$WORK/fts5/build$sfx.sql"
        timed fts5 index "$rep" --stdin "$WORK/fts5/build$sfx.sql" "${dl[@]}" -- sqlite3 -batch -bail "$FDB$sfx" ||
            { [ -n "$sfx" ] && return 1; die "sqlite3 FTS5 build failed"; }
    fi
    if [ -n "$sfx" ]; then scratch_clean "$sfx"; fi
    ROUND_SECS=$(( $(date +%s) - t0 ))
}
scratch_clean() { rm -rf "$C$1" "$TDB$1" "$TDB$1.new" "$TDB$1.lock" "$ODB$1" "$FDB$1"; }
ROUND_SECS=0 ROUNDS=1 DROPPED=0
# timtin-index's default is a thread per online core; written out so that
# the report can say how many threads the bulk build had
JOBS=$(getconf _NPROCESSORS_ONLN)
build_round 1

# --- sizes and compaction -------------------------------------------------------
say "sizes and compaction"
size timtin-corpus "$C"
size timtin-built "$TDB"
if "$BUILD/timtin-index" --help 2>&1 | grep -q -- '--compact'; then
    # the project's own compaction (in place, safely): compact a copy so the
    # as-built db stays for the incremental run
    cp -a "$TDB" "$TDBC"
    timed timtin compact 1 --stdout "$WORK/timtin/compact.log" -- "$BUILD/timtin-index" --corpus "$C" --db "$TDBC" --compact --quiet ||
        die "timtin-index --compact failed"
    printf '{"what":"timtin-compact-tool","kb":0,"how":"timtin-index --compact"}\n' >> "$RES/sizes.jsonl"
else
    timed timtin compact 1 --stdout "$WORK/timtin/compact.log" -- xapian-compact "$TDB" "$TDBC" || die "xapian-compact (timtin) failed"
fi
size timtin-compacted "$TDBC"
if [ $HAVE_OMEGA = 1 ]; then
    size omega-built "$ODB"
    timed omega compact 1 --stdout "$OMW/compact.log" -- xapian-compact "$ODB" "$ODBC" || die "xapian-compact (omega) failed"
    size omega-compacted "$ODBC"
fi
if [ $HAVE_FTS = 1 ]; then
    size fts5-built "$FDB"
    cp "$FDB" "$FDBC"
    timed fts5 compact 1 -- sqlite3 -batch -bail "$FDBC" \
        "INSERT INTO docs(docs) VALUES('optimize'); VACUUM;" || die "FTS5 optimize failed"
    size fts5-compacted "$FDBC"
fi

# --- queries ------------------------------------------------------------------
NQ=$(wc -l < "$RES/queries.tsv")
say "queries in process: timtin ($NQ queries, 1 warm-up + $REPS timed passes)"
"$BUILD/bench_search" --db "$TDBC" --reps "$REPS" --warmup 1 --ids \
    "$RES/queries.tsv" > "$RES/inproc-timtin.jsonl"
say "queries in process: timtin with the posting and block caches (as FastCGI runs)"
CACHE_MB=128 # timtin.cgi's default posting_cache_mb (web/config.c)
BLOCK_MB=128 # ... and block_cache_mb
"$BUILD/bench_search" --db "$TDBC" --reps "$REPS" --warmup 1 --ids \
    --cache-mb "$CACHE_MB" --block-cache-mb "$BLOCK_MB" \
    "$RES/queries.tsv" > "$RES/inproc-timtin-cached.jsonl"
# did you mean: the dev queries typed right and with slips (queries.py
# typos), the suggestion a results page asks for (one untimed pass, one
# timed)
python3 "$BENCH/queries.py" typos "$QUERIES_SRC" "$RES/typos.tsv"
say "did you mean: timtin ($(wc -l < "$RES/typos.tsv") queries)"
"$BUILD/bench_search" --db "$TDBC" --reps 1 --warmup 1 --suggest \
    "$RES/typos.tsv" > "$RES/dym-timtin.jsonl"
if [ $HAVE_FTS = 1 ]; then
    say "queries in process: SQLite FTS5"
    python3 "$BENCH/queries.py" fts-inproc --db "$FDBC" --reps "$REPS" --warmup 1 \
        "$RES/queries.tsv" > "$RES/inproc-fts5.jsonl"
fi
pp=(--timtin "$BUILD/timtin-search --db $TDBC")
if [ $HAVE_OMEGA = 1 ]; then
    mkdir -p "$OMW"/{data,templates,log,cdb}
    ln -s "$ODBC" "$OMW/data/default"
    cp "$BENCH/omega-json.omegascript" "$OMW/templates/timtinjson"
    printf 'database_dir %s\ntemplate_dir %s\nlog_dir %s\ncdb_dir %s\n' \
        "$OMW/data" "$OMW/templates" "$OMW/log" "$OMW/cdb" > "$OMW/omega.conf"
    pp+=(--omega "$OMW/omega.conf" --omega-bin "$OMEGA_BIN" --htmlmap "$DATA/htmlmap.tsv")
fi
[ $HAVE_FTS = 1 ] && pp+=(--fts "$FDBC")
say "queries per process: $NQ queries x (1 warm-up + $PP_REPS) x each system"
python3 "$BENCH/queries.py" perproc --reps "$PP_REPS" --warmup 1 --floor "$FLOOR_RUNS" "${pp[@]}" \
    --out "$RES" "$RES/queries.tsv"

# --- CGI under wrk ----------------------------------------------------------------
holders=()
if [ -x "$BUILD/timtin.cgi" ] && [ -f "$TOP/bench/web.sh" ] && command -v wrk >/dev/null &&
        command -v lighttpd >/dev/null; then
    say "CGI: timtin.cgi (CGI, FastCGI) and omega's CGI under wrk, ${WRK_SECS}s each"
    if ! bash "$TOP/bench/web.sh" --db "$TDBC" --build "$BUILD" --queries "$RES/queries.tsv" \
            --seconds "$WRK_SECS" --format json --json "$RES/cgi-timtin.json" \
            > "$WORK/web.out" 2> "$WORK/web.err"; then
        rm -f "$RES/cgi-timtin.json"
        holders+=("\"cgi\": $(json_str "bench/web.sh failed: $(tail -1 "$WORK/web.err")")")
    elif [ $HAVE_OMEGA = 1 ]; then
        bash "$BENCH/omega_web.sh" --conf "$OMW/omega.conf" --template timtinjson \
            --omega "$OMEGA_BIN" --queries "$RES/queries.tsv" --seconds "$WRK_SECS" \
            --json "$RES/cgi-omega.json" > "$WORK/omega_web.out" 2> "$WORK/omega_web.err" ||
            { rm -f "$RES/cgi-omega.json"; say "omega under wrk failed: $(tail -1 "$WORK/omega_web.err")"; }
    fi
elif [ ! -x "$BUILD/timtin.cgi" ]; then
    holders+=("\"cgi\": \"timtin.cgi does not exist yet. When it does, this section gives requests/s and p50/p99 latency under wrk (${WRK_SECS} s per server, the query list) through lighttpd on 127.0.0.1 for timtin.cgi (CGI and FastCGI) beside Omega's CGI.\"")
else
    holders+=('"cgi": "bench/web.sh, wrk or lighttpd is missing."')
fi

# --- incremental --------------------------------------------------------------
# Each system catches up with the held-back articles in its own way, into
# its index as built (not the compacted copy the queries ran on), its new
# input read once just before, as in the bulk build.
ndocs() { # SYSTEM DB: how many articles an index holds (null: unknown)
    local n=""
    case $1 in
    fts5) n=$(sqlite3 -batch "$2" "SELECT count(*) FROM docs" 2>/dev/null) ;;
    *) command -v xapian-delve >/dev/null &&
        n=$(xapian-delve "$2" 2>/dev/null | sed -n 's/^number of documents = //p') ;;
    esac
    echo "${n:-null}"
}
if [ -s "$DATA/held.jsonl" ]; then
    say "incremental: $(wc -l < "$DATA/held.jsonl") new articles"
    warm "$DATA/held.jsonl"
    timed timtin incr-import 1 -- "$BUILD/timtin-corpus" --corpus "$C" import --quiet "$DATA/held.jsonl" ||
        die "timtin-corpus import (incremental) failed"
    timed timtin incr-index 1 -- "$BUILD/timtin-index" --corpus "$C" --db "$TDB" --quiet ||
        die "timtin-index (incremental) failed"
    counts="\"timtin\": $(ndocs timtin "$TDB")"
    if [ $HAVE_OMEGA = 1 ]; then
        # omindex run again over its tree, now with the new files in it
        # (a folder moved in for the run and out again after): without
        # --overwrite it skips the files it has indexed, unmodified since
        say "incremental: omindex over the HTML tree with the new files"
        warm "$DATA/html-held"
        mv -T "$DATA/html-held/held" "$DATA/html/held"
        rc=0
        timed omega incr-index 1 --stdout "$OMW/omindex-incr.log" -- \
            omindex --stemmer=none --empty-docs=skip --db "$ODB" --url / "$DATA/html" || rc=$?
        mv -T "$DATA/html/held" "$DATA/html-held/held"
        [ $rc = 0 ] || die "omindex (incremental) failed (see $OMW/omindex-incr.log)"
        counts="$counts, \"omega\": $(ndocs omega "$ODB")"
    fi
    if [ $HAVE_FTS = 1 ]; then
        say "incremental: FTS5 .import of the new rows"
        warm "$DATA/fts-held.csv"
        printf '.import --csv %s docs\n' "$DATA/fts-held.csv" > "$WORK/fts5/incr.sql"
        timed fts5 incr-index 1 --stdin "$WORK/fts5/incr.sql" -- sqlite3 -batch -bail "$FDB" ||
            die "sqlite3 FTS5 .import (incremental) failed"
        counts="$counts, \"fts5\": $(ndocs fts5 "$FDB")"
    fi
    echo "{$counts}" > "$RES/incr-docs.json"
fi

# --- text analysis, crawler, CGI --------------------------------------------------
if [ "$MODE" = smoke ]; then
    holders+=('"seg": "skipped in smoke mode."')
elif [ -x "$BENCH/seg.py" ] || [ -f "$BENCH/seg.py" ]; then
    say "segmentation (bench/seg.py)"
    if ! python3 "$BENCH/seg.py" --build "$BUILD" --shared "$SHARED" --mb "$SEG_MB" \
            > "$RES/seg.md" 2> "$WORK/seg.err"; then
        rm -f "$RES/seg.md"
        holders+=("\"seg\": $(json_str "bench/seg.py failed: $(grep -v '^ ' "$WORK/seg.err" | tail -1)")")
    fi
fi
if [ "$MODE" = smoke ]; then
    holders+=('"crawl": "skipped in smoke mode."')
elif [ -f "$TOP/bench/crawl.sh" ]; then
    say "crawler (bench/crawl.sh, the first $CRAWL_N articles of vietnews)"
    # exit 1: a target missed, the report is still there
    rc=0
    CRAWL_WORK=$WORK/crawl CRAWL_LIMIT=$CRAWL_N CRAWL_DATA=$SHARED/data/news/vietnews.jsonl.gz \
        bash "$TOP/bench/crawl.sh" "$BUILD" > "$RES/crawl.md" 2> "$WORK/crawl.err" || rc=$?
    if [ $rc -gt 1 ] || [ ! -s "$RES/crawl.md" ]; then
        rm -f "$RES/crawl.md"
        holders+=("\"crawl\": $(json_str "bench/crawl.sh failed (exit $rc): $(tail -1 "$WORK/crawl.err")")")
    fi
    rm -rf "$WORK/crawl/site" "$WORK/crawl/corpus" "$WORK/crawl/corpus3"
else
    holders+=('"crawl": "no crawler benchmark yet (bench/crawl.sh does not exist): pages/s and peak memory of timtin-crawl against the loopback test site generated from vietnews, politeness off, will go here."')
fi
(IFS=,; echo "{${holders[*]}}") > "$RES/placeholders.json"

# --- more build rounds, while the time budget allows ------------------------------
# BENCH_BUILDS fixes the number of rounds; otherwise up to 3, each one only
# when it should end (judged by the length of the last round, plus 25%)
# before the budget, and stopped there if the machine slows down: a round
# cut short is dropped whole.  The budget keeps the full run within 45
# minutes, make included.
while :; do
    if [ -n "${BENCH_BUILDS:-}" ]; then
        [ "$ROUNDS" -lt "$BENCH_BUILDS" ] || break
        deadline=""
    else
        [ "$ROUNDS" -lt 3 ] && [ "$BUDGET" -gt 0 ] || break
        deadline=$(( START + BUDGET ))
        left=$(( deadline - $(date +%s) ))
        if [ $(( ROUND_SECS * MARGIN / 100 )) -ge "$left" ]; then
            say "no build round $((ROUNDS + 1)): the last took ${ROUND_SECS}s, ${left}s left in the budget"
            break
        fi
    fi
    if build_round $((ROUNDS + 1)) "$deadline"; then
        ROUNDS=$((ROUNDS + 1))
    else
        say "round $((ROUNDS + 1)) stopped at the time budget: its timings are dropped"
        scratch_clean ".r$((ROUNDS + 1))"
        python3 - "$RES/timings.jsonl" "$((ROUNDS + 1))" <<'PY'
import json, sys
path, rep = sys.argv[1], int(sys.argv[2])
keep = [l for l in open(path) if not (json.loads(l)['rep'] == rep and
        json.loads(l)['step'] in ('import', 'index'))]
open(path, 'w').writelines(keep)
PY
        DROPPED=1
        break
    fi
done

# --- report -------------------------------------------------------------------
elapsed=$(( $(date +%s) - START ))
if [ -n "${BENCH_BUILDS:-}" ]; then
    how="BENCH_BUILDS=$BENCH_BUILDS"
else
    how="the first at the start, up to 2 more at the end while the budget of $((BUDGET / 60)) min $((BUDGET % 60)) s allowed"
fi
[ "$DROPPED" = 1 ] && how="$how; one more round was started and stopped at the budget, and dropped"
reps_note="index builds: $ROUNDS round(s) of every system, corpus import included ($how); queries: 1 untimed pass, then $REPS timed passes in process and $PP_REPS per process; compaction and the incremental run: 1"
cat > "$RES/meta.json" <<EOF
{"mode": "$MODE", "command": $(json_str "$cmdline"), "date": "$(date -u '+%Y-%m-%d %H:%M UTC')",
 "commit": $(json_str "$commit"), "elapsed_s": $elapsed, "reps_note": $(json_str "$reps_note"),
 "queries_src": $(json_str "$QUERIES_NAME"), "readme_link": $(json_str "$README_LINK"),
 "wrk_secs": $WRK_SECS, "crawl_limit": $CRAWL_N, "index_jobs": $JOBS,
 "cache_mb": $CACHE_MB, "block_mb": $BLOCK_MB}
EOF
mkdir -p "$(dirname "$OUT")"
python3 "$BENCH/report.py" --results "$RES" --out "$OUT" --img "$IMG" --img-link "$IMG_LINK"
say "done in $(( elapsed / 60 )) min $(( elapsed % 60 )) s: $OUT"
