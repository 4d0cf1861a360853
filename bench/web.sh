#!/usr/bin/env bash
# bench/web.sh — timtin.cgi under load: lighttpd on 127.0.0.1 serves it as a
# CGI (a process per request) and as FastCGI (long-lived processes), and
# wrk requests result pages for a list of queries, in turn, for a given
# time (bench/walk.lua, as bench/omega_web.sh does).  Prints requests/s,
# latency percentiles and errors per mode, as a Markdown table, and one
# JSON object per mode on lines starting "RESULT ": wrk's figures and how
# it was run (duration_s, connections, threads, rows: the query rows it
# walks, cores: the machine's, which wrk shares with the server, procs:
# lighttpd's FastCGI processes).
#
# Usage: bench/web.sh --db DB [options]
#   --db PATH          the db (or colon-separated dbs) to search (required)
#   --build DIR        where timtin.cgi is (default build)
#   --queries FILE     one query per line, or a TSV whose third column is
#                      the query, like ../shared/data/eval/dev-queries.tsv
#                      (the default)
#   --seconds N        wrk's duration per mode (default 30)
#   --connections N    open connections (default 8)
#   --threads N        wrk threads (default 2)
#   --modes "M..."     cgi and/or fastcgi (default both)
#   --procs N          FastCGI processes (default: the number of cores)
#   --format F         html (default) or json
#   --config FILE      a TIMTIN_CONFIG for the runs (e.g. facets = no)
#   --json FILE        also write the results there, as a JSON array
# Needs lighttpd, wrk, curl, python3 (scripts/install-deps.sh bench).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
WALK=$(cd "$(dirname "$0")" && pwd)/walk.lua
BUILD=$TOP/build DB="" QUERIES=$TOP/../shared/data/eval/dev-queries.tsv
SECONDS_=30 CONNS=8 THREADS=2 MODES="cgi fastcgi" PROCS=$(nproc) FORMAT=html
CONFIG="" JSON_OUT=""
while [ $# -gt 0 ]; do
    case $1 in
    --db) DB=$2; shift ;;
    --build) BUILD=$2; shift ;;
    --queries) QUERIES=$2; shift ;;
    --seconds) SECONDS_=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    --modes) MODES=$2; shift ;;
    --procs) PROCS=$2; shift ;;
    --format) FORMAT=$2; shift ;;
    --config) CONFIG=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
    --json) JSON_OUT=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/web.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$DB" ] || { echo "bench/web.sh: --db is required" >&2; exit 2; }
BUILD=$(cd "$BUILD" && pwd)
CGI=$BUILD/timtin.cgi
for t in lighttpd wrk curl python3; do
    command -v "$t" >/dev/null || { echo "bench/web.sh: $t missing (scripts/install-deps.sh bench)" >&2; exit 2; }
done
[ -x "$CGI" ] || { echo "bench/web.sh: $CGI missing (make first)" >&2; exit 2; }
[ -r "$WALK" ] || { echo "bench/web.sh: no $WALK" >&2; exit 2; }
[ -r "$QUERIES" ] || { echo "bench/web.sh: no queries file $QUERIES" >&2; exit 2; }
DBABS=$(python3 -c 'import os,sys; print(":".join(os.path.abspath(p) for p in sys.argv[1].split(":")))' "$DB")

W=$(mktemp -d "${TMPDIR:-/tmp}/timtin-bench-web.XXXXXX")
LPID=""
cleanup() { [ -n "$LPID" ] && kill "$LPID" 2>/dev/null && wait "$LPID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT

# the request paths, percent-encoded once here
python3 - "$QUERIES" "$FORMAT" >"$W/paths" <<'EOF'
import sys, urllib.parse
fmt = "" if sys.argv[2] == "html" else "&format=" + sys.argv[2]
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    q = line.split("\t")[2] if line.count("\t") >= 2 else line
    if q.strip():
        print("?q=" + urllib.parse.quote_plus(q) + fmt)
EOF
nq=$(wc -l <"$W/paths")
[ "$nq" -gt 0 ] || { echo "bench/web.sh: no queries in $QUERIES" >&2; exit 2; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$W/www"
envs="\"TIMTIN_DB\" => \"$DBABS\"${CONFIG:+, \"TIMTIN_CONFIG\" => \"$CONFIG\"}"
cat >"$W/lighttpd.conf" <<EOF
server.document-root = "$W/www"
server.bind = "127.0.0.1"
server.port = $PORT
server.modules = ("mod_setenv", "mod_alias", "mod_cgi", "mod_fastcgi")
server.errorlog = "$W/error.log"
server.breakagelog = "$W/cgi.log"
server.max-connections = 1024
server.max-keep-alive-requests = 100000
alias.url = ("/timtin.cgi" => "$CGI")
cgi.assign = (".cgi" => "")
setenv.add-environment = ($envs)
fastcgi.server = ("/fcgi" => ((
    "socket" => "$W/fcgi.sock",
    "bin-path" => "$CGI",
    "bin-environment" => ($envs),
    "max-procs" => $PROCS,
    "check-local" => "disable")))
EOF
lighttpd -D -f "$W/lighttpd.conf" &
LPID=$!
U=http://127.0.0.1:$PORT
for _ in $(seq 200); do curl -sf -o /dev/null "$U/timtin.cgi" && break; sleep 0.05; done

echo "# timtin.cgi under wrk: $nq queries ($(basename "$QUERIES"), format $FORMAT), ${SECONDS_}s per mode," \
     "$CONNS connections, $THREADS threads, lighttpd on 127.0.0.1, $(nproc) cores" >&2
results=()
printf '| mode | requests/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for mode in $MODES; do
    case $mode in
    cgi) path=/timtin.cgi ;;
    fastcgi) path=/fcgi ;;
    *) echo "bench/web.sh: unknown mode $mode" >&2; exit 2 ;;
    esac
    # one request first: starts the FastCGI processes, warms the caches
    code=$(curl -s -o /dev/null -w '%{http_code}' "$U$path$(head -1 "$W/paths")")
    [ "$code" = 200 ] || { echo "bench/web.sh: $mode answers $code; see $W/cgi.log" >&2; cat "$W/cgi.log" >&2; exit 1; }
    wrk -t "$THREADS" -c "$CONNS" -d "${SECONDS_}s" --latency -s "$WALK" "$U" -- "$W/paths" "$path" "$THREADS" \
        >"$W/wrk-$mode.out" 2>&1 || { cat "$W/wrk-$mode.out" >&2; exit 1; }
    line=$(sed -n 's/^WRK //p' "$W/wrk-$mode.out")
    # wrk's figures, and how it was run
    r=$(python3 -c '
import json,sys
r=json.loads(sys.argv[1]); r["mode"]=sys.argv[2]
r.update(zip(("duration_s", "connections", "threads", "rows", "cores", "procs"), map(int, sys.argv[3:])))
print(json.dumps(r))
print("| %(mode)s | %(rps).0f | %(p50_ms).1f | %(p90_ms).1f | %(p99_ms).1f | %(max_ms).1f | %(requests)d | %(e)d |"
      % dict(r, e=r["errors"] + r["non_2xx"]), file=sys.stderr)' \
        "$line" "$mode" "$SECONDS_" "$CONNS" "$THREADS" "$nq" "$(nproc)" "$PROCS" 2>"$W/row")
    cat "$W/row"
    results+=("$r")
done
for r in "${results[@]}"; do echo "RESULT $r"; done
if [ -n "$JSON_OUT" ]; then
    (IFS=,; echo "[${results[*]}]") >"$JSON_OUT"
fi
if [ -s "$W/cgi.log" ]; then
    echo "# the CGI logged errors:" >&2; head -5 "$W/cgi.log" >&2
fi
