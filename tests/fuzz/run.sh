#!/usr/bin/env bash
# Runs each libFuzzer target of BUILD/fuzzers for SECONDS, from the inputs
# kept in tests/fuzz/corpus/NAME/ plus what earlier runs found (BUILD/corpus/
# NAME/).  An input that crashes a target, leaks or trips a sanitizer is
# left in BUILD/crashes/; keep it in tests/fuzz/corpus/NAME/ with the fix,
# so that every make check replays it.  Usage: run.sh BUILD SECONDS [NAME]
set -u
build=$1 secs=${2:-60} only=${3:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
export TT_TOP=$top
mkdir -p "$build/crashes"
bad=()
for f in "$build"/fuzzers/fuzz_*; do
    name=${f##*/fuzz_}
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    work=$build/corpus/$name
    mkdir -p "$work"
    echo "fuzz $name: ${secs}s"
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$f" -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$build/crashes/$name-" \
        "$work" "$top/tests/fuzz/corpus/$name" >"$build/$name.log" 2>&1
    rc=$?
    grep -E '^(stat::number_of_executed_units|stat::new_units_added|#[0-9]+ +DONE)' \
        "$build/$name.log" | sed 's/^/    /'
    if [ "$rc" -ne 0 ]; then
        bad+=("$name")
        grep -m1 -E 'ERROR|SUMMARY|broken invariant|deadly signal' "$build/$name.log" | sed 's/^/    /'
        echo "    log: $build/$name.log"
    fi
done
if [ ${#bad[@]} -gt 0 ]; then
    echo "fuzz: failed: ${bad[*]} (inputs in $build/crashes/)"
    exit 1
fi
echo "fuzz: no failure"
