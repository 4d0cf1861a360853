#!/usr/bin/env bash
# Runs every unit test binary and every end-to-end script, then prints the
# total as "N passed, N failed".  Unit binaries print "ok - name" / "FAIL -
# name" lines; e2e scripts (tests/e2e/*.sh) source tests/e2e/lib.sh and print
# the same.  Each test is given TT_TEST_TIMEOUT seconds (default 600), so
# that a hang (a dead lock holder, a server that never answers) fails that
# test instead of stopping the suite.  Usage: tests/run.sh BUILD_DIR [PATTERN]
set -u
build=${1:-build}
pattern=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
export TT_BUILD=$(cd "$build" && pwd)
export TT_TOP=$top
log=$TT_BUILD/test-logs
rm -rf "$log"; mkdir -p "$log"
limit=${TT_TEST_TIMEOUT:-600}
pass=0; fail=0; failed=()
run_one() { # name, command...
    local name=$1; shift
    local out=$log/$name.log
    local start=$(date +%s)
    # (timeout signals the test's process group: its servers too)
    timeout --kill-after=10 "$limit" "$@" >"$out" 2>&1
    local rc=$?
    local secs=$(( $(date +%s) - start ))
    if { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; } && [ "$secs" -ge "$limit" ]; then
        echo "FAIL - $name: killed after the ${limit} s timeout (a hang?)" >>"$out"
    fi
    local p f
    p=$(grep -c '^ok - ' "$out"); f=$(grep -c '^FAIL - ' "$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$f" -ne 0 ]; then
        failed+=("$name"); printf '%-28s %3d ok %3d FAILED (%ds, exit %d)\n' "$name" "$p" "$f" "$secs" "$rc"
        grep -v '^ok - ' "$out" | tail -n 40 | sed 's/^/    /'
    else
        printf '%-28s %3d ok (%ds)%s\n' "$name" "$p" "$secs" "$(grep -m1 '^# skip' "$out" | sed 's/^# / /')"
    fi
}
for t in "$TT_BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    n=$(basename "$t")
    [ -n "$pattern" ] && [[ $n != *$pattern* ]] && continue
    run_one "$n" "$t"
done
for t in "$top"/tests/e2e/*.sh; do
    [ -e "$t" ] || continue
    n=$(basename "$t" .sh)
    [ "$n" = lib ] && continue
    [ -n "$pattern" ] && [[ $n != *$pattern* ]] && continue
    run_one "e2e_$n" bash "$t"
done
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]} (logs in $log)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
