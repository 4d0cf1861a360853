#!/usr/bin/env bash
# bench/omega_web.sh — Omega's CGI under wrk, the peer of bench/web.sh:
# lighttpd on 127.0.0.1 runs the omega binary as a CGI (a process per
# request) with the JSON template of bench/omega-json.omegascript, and wrk
# requests result pages for a list of queries, in turn, for a given time.
#
# usage: bench/omega_web.sh --conf OMEGA_CONF --template NAME [options]
#   --conf FILE        omega.conf (database_dir with the db "default",
#                      template_dir holding the template), as bench/run.sh
#                      writes it
#   --template NAME    the FMT= template (default timtinjson)
#   --queries FILE     one query a line, or a TSV whose third column is the
#                      query (dev-queries.tsv, bench/run.sh's queries.tsv)
#   --seconds N        wrk's duration (default 30)
#   --connections N    open connections (default 8)
#   --threads N        wrk threads (default 2)
#   --omega PATH       the CGI binary (default /usr/lib/cgi-bin/omega/omega)
#   --json FILE        also write the result there, as a JSON array
# Prints a markdown row like bench/web.sh's and a line
#   RESULT {"mode": "omega-cgi", "requests": .., "rps": .., "p50_ms": ..,
#           "p90_ms": .., "p99_ms": .., "max_ms": .., "mean_ms": ..,
#           "errors": .., "non_2xx": .., "duration_s": .., "connections": ..,
#           "threads": .., "rows": .., "cores": ..}
# (the last five: how wrk was run, the number of query rows it walks and
# the cores it shares with the server).  wrk runs bench/walk.lua, as
# bench/web.sh does.
set -euo pipefail
WALK=$(cd "$(dirname "$0")" && pwd)/walk.lua
CONF="" TEMPLATE=timtinjson QUERIES="" SECS=30 CONNS=8 THREADS=2
OMEGA=/usr/lib/cgi-bin/omega/omega JSON_OUT=""
while [ $# -gt 0 ]; do
    case $1 in
    --conf) CONF=$2; shift ;;
    --template) TEMPLATE=$2; shift ;;
    --queries) QUERIES=$2; shift ;;
    --seconds) SECS=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    --omega) OMEGA=$2; shift ;;
    --json) JSON_OUT=$2; shift ;;
    *) echo "omega_web.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -f "$CONF" ] && [ -f "$QUERIES" ] || { echo "omega_web.sh: --conf and --queries are needed" >&2; exit 2; }
for t in lighttpd wrk curl python3; do
    command -v "$t" >/dev/null || { echo "omega_web.sh: $t missing (scripts/install-deps.sh bench)" >&2; exit 2; }
done
[ -x "$OMEGA" ] || { echo "omega_web.sh: no $OMEGA (xapian-omega)" >&2; exit 2; }
[ -r "$WALK" ] || { echo "omega_web.sh: no $WALK" >&2; exit 2; }
CONF=$(cd "$(dirname "$CONF")" && pwd)/$(basename "$CONF")

W=$(mktemp -d "${TMPDIR:-/tmp}/timtin-omega-web.XXXXXX")
LPID=""
cleanup() {
    if [ -n "$LPID" ]; then kill "$LPID" 2>/dev/null || true; wait "$LPID" 2>/dev/null || true; fi
    rm -rf "$W"
}
trap cleanup EXIT

# request paths, the query percent-encoded; the same parameters as the
# command-line runs of bench/queries.py
python3 - "$QUERIES" "$TEMPLATE" > "$W/paths" <<'PY'
import sys, urllib.parse
tmpl = sys.argv[2]
for line in open(sys.argv[1], encoding='utf-8'):
    line = line.rstrip('\n')
    q = line.split('\t')[2] if line.count('\t') >= 2 else line
    if q.strip():
        print('?' + urllib.parse.urlencode({
            'P': q, 'FMT': tmpl, 'DB': 'default', 'DEFAULTOP': 'and',
            'HITSPERPAGE': '10'}))
PY
[ -s "$W/paths" ] || { echo "omega_web.sh: no queries in $QUERIES" >&2; exit 2; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$W/www"
cat > "$W/lighttpd.conf" <<EOF
server.document-root = "$W/www"
server.bind = "127.0.0.1"
server.port = $PORT
server.modules = ("mod_setenv", "mod_alias", "mod_cgi")
server.errorlog = "$W/error.log"
server.breakagelog = "$W/cgi.log"
server.max-connections = 1024
server.max-keep-alive-requests = 100000
alias.url = ("/omega" => "$OMEGA")
\$HTTP["url"] =~ "^/omega" { cgi.assign = ("" => "") }
setenv.add-environment = ("OMEGA_CONFIG_FILE" => "$CONF")
EOF
lighttpd -D -f "$W/lighttpd.conf" &
LPID=$!
U=http://127.0.0.1:$PORT
for _ in $(seq 200); do curl -s -o /dev/null "$U/" && break; sleep 0.05; done
body=$(curl -s "$U/omega$(head -1 "$W/paths")")
case $body in
*'"hits"'*) ;;
*) echo "omega_web.sh: omega does not answer with JSON: ${body:0:300}" >&2; cat "$W/cgi.log" "$W/error.log" >&2 2>/dev/null; exit 1 ;;
esac
echo "# omega CGI under wrk: $(wc -l < "$W/paths") queries, ${SECS}s, $CONNS connections, $THREADS threads" >&2
wrk -t "$THREADS" -c "$CONNS" -d "${SECS}s" --latency -s "$WALK" "$U" -- "$W/paths" /omega "$THREADS" \
    > "$W/wrk.out" 2>&1 || { cat "$W/wrk.out" >&2; exit 1; }
line=$(sed -n 's/^WRK //p' "$W/wrk.out")
[ -n "$line" ] || { cat "$W/wrk.out" >&2; exit 1; }
# wrk's figures, and how it was run
r=$(python3 -c '
import json,sys
r=json.loads(sys.argv[1]); r["mode"]="omega-cgi"
r.update(zip(("duration_s", "connections", "threads", "rows", "cores"), map(int, sys.argv[2:])))
print(json.dumps(r))' "$line" "$SECS" "$CONNS" "$THREADS" "$(wc -l < "$W/paths")" "$(nproc)")
python3 -c 'import json,sys; r=json.loads(sys.argv[1])
print("| %(mode)s | %(rps).0f | %(p50_ms).1f | %(p90_ms).1f | %(p99_ms).1f | %(max_ms).1f | %(requests)d | %(e)d |"
      % dict(r, e=r["errors"] + r["non_2xx"]))' "$r"
echo "RESULT $r"
[ -z "$JSON_OUT" ] || echo "[$r]" > "$JSON_OUT"
