#!/usr/bin/env bash
# --help and --version of every program, standard output not writable
# (/dev/full): the write error said on standard error, and the exit status
# each program's --help gives for it, never 0 (a packager's or a script's
# `prog --help >file` on a full disk would otherwise pass for a success).
. "$(dirname "$0")/lib.sh"
[ -w /dev/full ] || skip "no writable /dev/full"
# program and the status its --help documents for an output error
declare -A want=([timtin-corpus]=3 [timtin-index]=5 [timtin-search]=5
    [timtin-tokenize]=1 [timtin-crawl]=1 [timtin.cgi]=3 [timtin-sitegen]=3
    [timtin-nightly]=1)
for p in "${!want[@]}"; do
    prog=$B/$p
    [ "$p" = timtin-nightly ] && prog=$TOP/scripts/$p
    [ -x "$prog" ] || { fail "$p: not built"; continue; }
    for a in --help --version; do
        "$prog" $a >/dev/full 2>"$T/err"; rc=$?
        check "$p $a >/dev/full: exit ${want[$p]} (got $rc), the write error said" \
            bash -c "test $rc -eq ${want[$p]} && grep -qi 'standard output' '$T/err'"
    done
    "$prog" --help >"$T/help" 2>/dev/null
    check "$p --help: written, exit 0" test $? -eq 0 -a -s "$T/help"
done
done_testing
