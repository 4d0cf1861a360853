# lib.sh — sourced by every end-to-end test script (tests/e2e/*.sh).
# Gives: $B (build dir with the programs), $TOP (source tree), $T (a fresh
# temporary directory removed at exit), ok/fail/check helpers printing the
# "ok - name" / "FAIL - name" lines tests/run.sh counts, free_port, skip,
# on_exit to register cleanup (servers the test started), and kill_when to
# kill a program at a chosen point of its run.  A script ends with
# done_testing: one that stops before (an exit halfway, set -u) gets a
# FAIL line, so that the checks it never ran are not lost silently.
set -u
TOP=${TT_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
B=${TT_BUILD:-$TOP/build}
SHARED=${TT_SHARED:-$TOP/../shared}
T=$(mktemp -d "${TMPDIR:-/tmp}/timtin-e2e.XXXXXX")
_cleanups=()
on_exit() { _cleanups+=("$*"); }
_done=
_run_cleanups() {
    local rc=$? i
    [ -n "$_done" ] || fail "$(basename "$0") stopped before its end (exit $rc)"
    for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do eval "${_cleanups[$i]}" || true; done
    rm -rf "$T"
}
trap _run_cleanups EXIT
ok() { echo "ok - $*"; }
fail() { echo "FAIL - $*"; }
# check NAME CMD...: ok when CMD succeeds.
check() { local n=$1; shift; if "$@"; then ok "$n"; else fail "$n"; fi; }
# check_not NAME CMD...: ok when CMD fails, as a program fails: not when
# it is killed by a signal (status 128 and up: a crash is no answer), nor
# when grep itself fails (status 2: an unreadable file is no absence).
check_not() {
    local n=$1 rc; shift
    "$@"; rc=$?
    if [ "$rc" -eq 0 ]; then fail "$n"
    elif [ "$rc" -ge 128 ]; then fail "$n (status $rc: killed by signal $((rc - 128))?)"
    elif [ "$rc" -ge 2 ] && [ "$1" = grep ]; then fail "$n (grep status $rc: an error)"
    else ok "$n"; fi
}
# outputs_no [GREP_OPTION...] PATTERN CMD...: CMD exits 0 and no line of
# its output matches PATTERN.  For negative checks on a program's output:
# in "! CMD | grep -q PATTERN" a CMD that crashes or fails prints nothing
# and the check passes; here it fails.  Exported: usable in bash -c.
outputs_no() {
    local opts=() out
    while [ "${1:0:1}" = - ]; do opts+=("$1"); shift; done
    local pat=$1; shift
    out=$("$@") || return 1
    ! grep -q "${opts[@]}" -e "$pat" <<<"$out"
}
export -f outputs_no
# skip MESSAGE: explain and stop the script (counts as nothing).
skip() { echo "# skip: $*"; _done=1; exit 0; }
# done_testing: the script's last line, the end reached.
done_testing() { _done=1; }
# A free TCP port on 127.0.0.1, chosen by the kernel, and never one this
# script had before (noted in $T/ports: free_port runs in $(...)), so that
# ports chosen before their servers bind them differ.  It is only free
# when chosen: a server that binds port 0 and prints its port
# (tests/server.py) is better.
free_port() {
    local p
    while :; do
        p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
        grep -qx "$p" "$T/ports" 2>/dev/null || break
    done
    echo "$p" >>"$T/ports"
    echo "$p"
}
# wait_for CMD...: poll CMD (a readiness probe, not a sleep) up to ~10 s.
wait_for() {
    local i
    for ((i = 0; i < 200; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
    return 1
}
# kill_when PID CMD...: SIGKILL PID at the first moment CMD holds.  CMD
# is checked while every thread of PID is stopped (SIGSTOP), so the state
# CMD saw is the state PID dies in; between checks PID runs for a poll
# interval.  Returns 1 (PID not killed) if PID ended first.
kill_when() {
    local pid=$1 i; shift
    for ((i = 0; i < 6000; i++)); do
        kill -STOP "$pid" 2>/dev/null || return 1
        until _all_stopped "$pid"; do # SIGSTOP is not instant
            case $(_proc_state "$pid") in Z | '') return 1 ;; esac
        done
        if "$@" >/dev/null 2>&1; then kill -KILL "$pid"; return 0; fi
        kill -CONT "$pid"
        sleep 0.02 # the poll interval, while PID runs
    done
    return 1
}
_proc_state() { local l; read -r l 2>/dev/null <"/proc/$1/stat" || return 1; l=${l##*) }; echo "${l%% *}"; }
_all_stopped() { # every thread of PID stopped (state T)
    local t l
    for t in /proc/"$1"/task/*/stat; do
        read -r l 2>/dev/null <"$t" || return 1
        l=${l##*) }
        [ "${l%% *}" = T ] || return 1
    done
}
# serve_site ROOT LOG [OPTIONS]: serve ROOT with tests/server.py on a free
# port until the script ends (OPTIONS: --control FILE...), logging its
# requests to LOG; its URL in $SERVED, its pid in $SERVED_PID.  1 when
# it does not start or answer.
serve_site() {
    local root=$1 log=$2
    shift 2
    python3 "$TOP/tests/server.py" --root "$root" --log "$log" "$@" >"$log.port" 2>"$log.err" &
    SERVED_PID=$!
    on_exit "kill $SERVED_PID 2>/dev/null"
    wait_for test -s "$log.port" || return 1
    SERVED=http://127.0.0.1:$(head -1 "$log.port")
    wait_for curl -sf -o /dev/null "$SERVED/robots.txt"
}
