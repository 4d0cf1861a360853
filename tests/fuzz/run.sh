#!/usr/bin/env bash
# Runs each libFuzzer target of BUILD/fuzzers for SECONDS, from the inputs
# kept in tests/fuzz/corpus/NAME/ plus what earlier runs found (BUILD/corpus/
# NAME/).  An input that crashes a target, leaks or trips a sanitizer is
# left in BUILD/crashes/; keep it in tests/fuzz/corpus/NAME/ with the fix,
# so that every make check replays it.  Usage: run.sh BUILD SECONDS [NAME];
# a NAME that is no target is an error (exit 2).
set -u
build=$1 secs=${2:-60} only=${3:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
export TT_TOP=$top
bad=() ran=0 names=()
for f in "$build"/fuzzers/fuzz_*; do
    [ -x "$f" ] || continue
    name=${f##*/fuzz_}
    names+=("$name")
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    ran=$((ran + 1))
    work=$build/corpus/$name
    mkdir -p "$work" "$build/crashes"
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
if [ $ran -eq 0 ]; then # a mistyped T= must not pass for a clean run
    echo "fuzz: no target${only:+ named '$only'} in $build/fuzzers (targets: ${names[*]:-none})" >&2
    exit 2
fi
if [ ${#bad[@]} -gt 0 ]; then
    echo "fuzz: failed: ${bad[*]} (inputs in $build/crashes/)"
    exit 1
fi
echo "fuzz: no failure"
