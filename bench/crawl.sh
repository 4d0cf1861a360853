#!/usr/bin/env bash
# bench/crawl.sh — timtin-crawl against a static Tuổi Trẻ-style site served
# by lighttpd on 127.0.0.1, politeness off: pages per second, peak memory,
# extraction accuracy against the articles the site was made from, the
# second (nightly) crawl, and the per-host delay from the server's log.
#
# usage: bench/crawl.sh [BUILD]     (BUILD defaults to build/)
# Environment:
#   CRAWL_DATA   articles to render (default ../shared/data/news/vietnews.jsonl.gz)
#   CRAWL_LIMIT  render at most this many (default: all)
#   CRAWL_CONNS  connections to the host (default 8)
#   CRAWL_WORK   scratch directory (default BUILD/bench-work/crawl, wiped)
# Prints a report (also written to CRAWL_WORK/report.md).  Exit status 1
# when a target is missed (>= 500 pages/s, <= 200 MB, exact title, sapo,
# date, section and authors, body token F1 >= 0.99, no article fetched
# again, delay kept).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$TOP/build}" && pwd)
DATA=${CRAWL_DATA:-$TOP/../shared/data/news/vietnews.jsonl.gz}
LIMIT=${CRAWL_LIMIT:-}
CONNS=${CRAWL_CONNS:-8}
W=${CRAWL_WORK:-$B/bench-work/crawl}
command -v lighttpd >/dev/null || { echo "bench/crawl.sh: lighttpd not installed" >&2; exit 2; }
[ -r "$DATA" ] || { echo "bench/crawl.sh: no $DATA" >&2; exit 2; }
for p in timtin-sitegen timtin-crawl timtin-corpus; do
    [ -x "$B/$p" ] || { echo "bench/crawl.sh: $B/$p missing (make first)" >&2; exit 2; }
done
rm -rf "$W"; mkdir -p "$W"
LPID=
cleanup() { [ -n "$LPID" ] && kill "$LPID" 2>/dev/null; true; }
trap cleanup EXIT
fail=0
report() { echo "$*" | tee -a "$W/report.md"; }
verdict() { if eval "$2"; then report "  - $1: ok"; else report "  - $1: MISSED"; fail=1; fi; }

echo "# rendering $DATA${LIMIT:+ (first $LIMIT)}" >&2
t0=$(date +%s.%N)
# lighttpd answers no old-slug redirects: the site uses none (--old-slugs 0)
# (exit 1: some input lines skipped, e.g. articles without a body)
"$B/timtin-sitegen" --quiet --old-slugs 0 ${LIMIT:+--limit "$LIMIT"} \
    --truth "$W/truth.jsonl" "$W/site" "$DATA" 2>"$W/sitegen.err" || [ $? -eq 1 ]
skipped=$(grep -c . "$W/sitegen.err" || true)
gen_secs=$(echo "$(date +%s.%N) - $t0" | bc)
articles=$(wc -l <"$W/truth.jsonl")

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat >"$W/lighttpd.conf" <<EOF
server.document-root = "$W/site"
server.port = $PORT
server.bind = "127.0.0.1"
server.modules = ("mod_accesslog")
server.errorlog = "$W/lighttpd.err"
server.max-keep-alive-requests = 1000000
server.max-connections = 256
index-file.names = ("index.htm")
mimetype.assign = (".htm" => "text/html; charset=utf-8",
                   ".html" => "text/html; charset=utf-8",
                   ".rss" => "text/xml; charset=utf-8",
                   ".xml" => "text/xml; charset=utf-8",
                   ".gz" => "application/x-gzip",
                   ".txt" => "text/plain; charset=utf-8",
                   ".tsv" => "text/plain; charset=utf-8")
accesslog.filename = "$W/access.log"
accesslog.format = "%{msec}t\t%r\t%>s"
EOF
lighttpd -D -f "$W/lighttpd.conf" &
LPID=$!
for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/robots.txt" && break; sleep 0.05; done
: >"$W/access.log"
BASE=http://127.0.0.1:$PORT

# run NAME ARGS...: one crawl under /usr/bin/time; sets secs, rss_mb, summary
run() {
    local name=$1; shift
    /usr/bin/time -f '%e %M' -o "$W/$name.time" \
        "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" "$@" 2>"$W/$name.err" || true
    # (the last line: GNU time writes "Command exited with non-zero
    # status N" before it when the crawl fails)
    read -r secs rss_kb < <(tail -n 1 "$W/$name.time")
    rss_mb=$(( rss_kb / 1024 ))
    summary=$(grep 'requests (' "$W/$name.err" | tail -1)
}
# lighttpd buffers its log: request a marker and wait until it shows
marks=0
sync_log() {
    marks=$((marks + 1))
    curl -sf -o /dev/null "$BASE/robots.txt?sync=$marks" || true
    for _ in $(seq 100); do grep -q "sync=$marks " "$W/access.log" && return 0; sleep 0.05; done
}
# the log without the markers, from line N on
log_from() { tail -n +$(($1 + 1)) "$W/access.log" | grep -v 'robots.txt?sync='; }
requests_of() { sed -n 's/.*: \([0-9]*\) requests (.*/\1/p' <<<"$1"; }
pages_of() { sed -n 's/.*requests (\([0-9]*\) pages.*/\1/p' <<<"$1"; }

echo "# crawl 1: everything, --delay 0 --connections $CONNS" >&2
run crawl1 --corpus "$W/corpus" --delay 0 --connections "$CONNS"
req1=$(requests_of "$summary"); pages1=$(pages_of "$summary")
rate=$(echo "scale=0; $pages1 / $secs" | bc)
secs1=$secs rss1=$rss_mb summary1=$summary

"$B/timtin-corpus" --corpus "$W/corpus" export >"$W/export.jsonl"
acc=$(python3 "$TOP/tests/e2e/compare_articles.py" "$W/truth.jsonl" "$W/export.jsonl" \
      --fields=title,sapo,published,section,authors,body --min-f1=0.99 --quiet | tail -1) || true
exact_ok=0; grep -q ' 0 missing, 0 fields differ' <<<"$acc" && exact_ok=1
f1=$(sed -n 's/.*body token F1 \([0-9.]*\).*/\1/p' <<<"$acc")

echo "# crawl 2: the unchanged site again" >&2
sync_log
n=$(wc -l <"$W/access.log")
run crawl2 --corpus "$W/corpus" --delay 0 --connections "$CONNS"
sync_log
refetched=$(log_from "$n" | awk -F'\t' '$3 == 200' | grep -cE -- '-[0-9]{17}\.htm ' || true)
not_mod=$(log_from "$n" | awk -F'\t' '$3 == 304' | wc -l)
summary2=$summary secs2=$secs

echo "# crawl 3: politeness, --delay 0.1, 60 pages (tests/server.py, which logs arrival times in microseconds)" >&2
python3 "$TOP/tests/server.py" --root "$W/site" --log "$W/server.log" >"$W/server.port" &
SPID=$!
for _ in $(seq 200); do [ -s "$W/server.port" ] && break; sleep 0.05; done
SBASE=http://127.0.0.1:$(head -1 "$W/server.port")
/usr/bin/time -f '%e %M' -o "$W/crawl3.time" "$B/timtin-crawl" --profile tuoitre \
    --base-url "$SBASE" --corpus "$W/corpus3" --delay 0.1 --max-pages 60 2>"$W/crawl3.err" || true
read -r secs _ <"$W/crawl3.time"
kill $SPID 2>/dev/null || true
gap=$(python3 -c '
import sys
t = [float(l.split("\t")[0]) for l in open(sys.argv[1])]
print("%.3f" % min(b - a for a, b in zip(t, t[1:])))' "$W/server.log")

: >"$W/report.md"
report "## timtin-crawl on $(basename "$DATA"): $articles articles ($skipped input lines without title or body skipped)"
report ""
report "Machine: $(nproc) cores, $(uname -r); lighttpd $(lighttpd -v | sed -n 's/lighttpd\/\([^ ]*\).*/\1/p'); site rendered in $(printf "%.1f" "$gen_secs") s ($(du -sh "$W/site" | cut -f1))."
report ""
report "| crawl | wall | result |"
report "| --- | --- | --- |"
report "| 1: all, --delay 0 --connections $CONNS | ${secs1} s | $pages1 pages ($req1 requests), **$rate pages/s**, peak RSS **$rss1 MB** |"
report "| 2: unchanged site | ${secs2} s | $refetched article pages fetched again, $not_mod answered 304 |"
report "| 3: --delay 0.1, 60 pages (tests/server.py) | ${secs} s | smallest gap between two requests in the server's log: ${gap} s |"
report ""
report "Extraction against the rendered articles: $acc"
report ""
report "Targets:"
verdict ">= 500 pages/s" "[ $rate -ge 500 ]"
verdict "peak memory <= 200 MB" "[ $rss1 -le 200 ]"
verdict "title, sapo, date, section, authors exact on every page" "[ $exact_ok = 1 ]"
verdict "body token F1 >= 0.99" "python3 -c 'import sys; sys.exit(not float(\"${f1:-0}\") >= 0.99)'"
verdict "second crawl fetches no article page" "[ $refetched -eq 0 ]"
verdict "delay kept (every gap >= 0.1 s)" "python3 -c 'import sys; sys.exit(not $gap >= 0.1)'"
report ""
report "Crawl 1: $summary1"
report "Crawl 2: $summary2"
exit $fail
