#!/usr/bin/env bash
# make demo: the whole of timtin on one machine.  Renders the project's
# sample articles into a Tuổi Trẻ-style news site (timtin-sitegen), serves
# it on 127.0.0.1 (tests/server.py), crawls it into a corpus (timtin-crawl),
# indexes it (timtin-index), shows a few searches in the terminal, then
# serves the search page (timtin.cgi under lighttpd) on
# http://127.0.0.1:8080/ (or the next free port) until Ctrl-C.  Everything
# it writes is under BUILD/demo; everything it starts is stopped on exit.
# A rerun makes its own files there afresh and deletes nothing else; it
# refuses a directory that is not empty and that it did not make.
#
# Usage: scripts/demo.sh BUILD_DIR
# Environment:
#   TIMTIN_DEMO_NO_SERVE=1  check that the search page answers, then exit
#                           instead of serving until Ctrl-C (for tests)
#   TIMTIN_DEMO_PORT=N      the first port tried for the search page (8080)
#   TIMTIN_DEMO_DIR=DIR     write there instead of BUILD/demo (a new or
#                           empty directory, or one the demo made)
set -euo pipefail
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/.." && pwd)
D=${TIMTIN_DEMO_DIR:-$B/demo}
NO_SERVE=${TIMTIN_DEMO_NO_SERVE:-0}
FIRST_PORT=${TIMTIN_DEMO_PORT:-8080}
SAMPLES=$TOP/corpus/samples/articles.jsonl

bold='' dim='' off=''
if [ -t 1 ]; then bold=$'\033[1m' dim=$'\033[2m' off=$'\033[0m'; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
show() { printf '%s$ %s%s\n' "$dim" "$*" "$off"; }   # a command, as typed
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

for p in timtin-sitegen timtin-crawl timtin-index timtin-search timtin.cgi; do
    [ -x "$B/$p" ] || die "$B/$p is missing: run make first"
done
command -v python3 >/dev/null || die "python3 is missing (scripts/install-deps.sh test)"
command -v curl >/dev/null || die "curl is missing (scripts/install-deps.sh test)"
have_lighttpd=1
command -v lighttpd >/dev/null || have_lighttpd=0
if [ $have_lighttpd = 0 ] && [ "$NO_SERVE" != 1 ]; then
    die "lighttpd is missing (scripts/install-deps.sh test installs it)"
fi

# What this script starts, stopped on any exit (Ctrl-C included).  Started
# in the background by a non-interactive shell, they ignore Ctrl-C
# themselves: the trap stops them.
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'echo; echo "Stopped."; exit 0' INT
trap 'exit 143' TERM

# until_ready PID CMD...: poll CMD (a readiness probe) until it succeeds;
# fail when PID has exited or after ~10 s
until_ready() {
    local pid=$1 i
    shift
    for ((i = 0; i < 200; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
port_free() {
    python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}

# The demo's directory: made and marked (.timtin-demo) by the demo, which
# clears there only what it makes itself on the next run.  A directory
# that is not empty and not so marked (someone's own, given by mistake as
# TIMTIN_DEMO_DIR) is refused: nothing in it is deleted.  An older
# demo's directory, unmarked, is taken for one when it holds the demo's
# site.port and nothing but the demo's own names.
MARK=.timtin-demo
OWN=(site site.port site.log site.err corpus db db.lock lighttpd)
demo_made() { # DIR: made by this demo, or by an older one
    local f
    [ -f "$1/$MARK" ] && return 0
    [ -f "$1/site.port" ] || return 1
    for f in "$1"/* "$1"/.[!.]* "$1"/..?*; do
        [ -e "$f" ] || [ -L "$f" ] || continue
        [[ " ${OWN[*]} " == *" ${f##*/} "* ]] || return 1
    done
}
if [ -e "$D" ] && [ ! -d "$D" ]; then
    die "TIMTIN_DEMO_DIR=$D is not a directory"
fi
if [ -d "$D" ] && [ -n "$(ls -A "$D")" ] && ! demo_made "$D"; then
    die "TIMTIN_DEMO_DIR=$D is not empty and is not a demo directory (no $MARK in it): nothing deleted; give an empty or new directory"
fi
mkdir -p "$D"
for f in "${OWN[@]}"; do rm -rf "${D:?}/$f"; done
printf '%s\n' "made by timtin's scripts/demo.sh, which makes ${OWN[*]} here afresh on every run (and deletes nothing else)" >"$D/$MARK"

say "1. Render the sample articles into a news site ($D/site)"
show "timtin-sitegen $D/site corpus/samples/articles.jsonl"
"$B/timtin-sitegen" "$D/site" "$SAMPLES"

say "2. Serve the site on 127.0.0.1"
python3 "$TOP/tests/server.py" --root "$D/site" --port 0 --log "$D/site.log" \
    >"$D/site.port" 2>"$D/site.err" &
pids+=($!)
until_ready "${pids[-1]}" test -s "$D/site.port" || die "the test site did not start ($D/site.err)"
SITE=http://127.0.0.1:$(head -1 "$D/site.port")
until_ready "${pids[-1]}" curl -sf -o /dev/null "$SITE/robots.txt" || die "the test site does not answer"
echo "The news site: $SITE/"

say "3. Crawl it into a corpus ($D/corpus)"
show "timtin-crawl --corpus $D/corpus --profile tuoitre --base-url $SITE --delay 0"
"$B/timtin-crawl" --corpus "$D/corpus" --profile tuoitre --base-url "$SITE" --delay 0

say "4. Index the corpus ($D/db)"
show "timtin-index --corpus $D/corpus --db $D/db"
"$B/timtin-index" --corpus "$D/corpus" --db "$D/db"

say "5. Search"
search() { # QUERY WHAT-IT-SHOWS
    printf '\n%s# %s%s\n' "$dim" "$2" "$off"
    show "timtin-search --db $D/db --limit 3 '$1'"
    "$B/timtin-search" --db "$D/db" --limit 3 "$1" || true
}
search "Cần Thơ" "with accents"
search "can tho" "without accents: the same articles, and the accented words suggested"
search "đường" "typed accents are preferred: đường before dương and đương"
search "bao so 9" "accentless again"
search "hocj sinh" "a typing slip (Telex): did you mean \"học sinh\"?"

if [ $have_lighttpd = 0 ]; then
    say "6. The search page: skipped (lighttpd is not installed)"
    exit 0
fi

say "6. The search page (timtin.cgi under lighttpd)"
L=$D/lighttpd
mkdir -p "$L/www"
ln -s "$B/timtin.cgi" "$L/www/index.cgi"
url=''
for ((port = FIRST_PORT; port < FIRST_PORT + 20; port++)); do
    port_free "$port" || continue
    cat >"$L/lighttpd.conf" <<EOF
server.document-root = "$L/www"
server.bind = "127.0.0.1"
server.port = $port
server.modules = ("mod_setenv", "mod_cgi")
server.errorlog = "$L/error.log"
server.breakagelog = "$L/cgi.log"
index-file.names = ("index.cgi")
cgi.assign = (".cgi" => "")
setenv.add-environment = ("TIMTIN_DB" => "$D/db")
EOF
    lighttpd -D -f "$L/lighttpd.conf" 2>"$L/stderr" &
    pids+=($!)
    # another program may take the port between the check and the start:
    # then lighttpd exits and the next port is tried
    if until_ready "${pids[-1]}" curl -sf -o /dev/null "http://127.0.0.1:$port/"; then
        url=http://127.0.0.1:$port/
        break
    fi
done
[ -n "$url" ] || die "lighttpd did not start ($L/stderr, $L/error.log)"
status=$(curl -s -o "$L/check.html" -w '%{http_code}' "${url}?q=can+tho")
if [ "$status" != 200 ] || ! grep -q 'Cần Thơ' "$L/check.html"; then
    die "the search page did not answer a search (HTTP $status; $L/cgi.log)"
fi
echo "The search page answers: ${url}?q=can+tho"
if [ "$NO_SERVE" = 1 ]; then
    echo "(TIMTIN_DEMO_NO_SERVE=1: stopping the servers)"
    exit 0
fi
printf '\n%sOpen %s in a browser.%s  Ctrl-C stops the demo.\n' "$bold" "$url" "$off"
echo "In a terminal:  $B/timtin-search --db $D/db 'your query'"
wait "${pids[-1]}"
