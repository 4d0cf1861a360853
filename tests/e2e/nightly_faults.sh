#!/usr/bin/env bash
# timtin-nightly's reports of faults from outside, with stand-in programs
# (no site, no corpus): a file size limit, a step killed by a signal, the
# ways a write can be refused, a compaction stamp from the future.  The
# real programs under a real file size limit: tests/e2e/file_size_limit.sh.
. "$(dirname "$0")/lib.sh"
N=$TOP/scripts/timtin-nightly
command -v flock >/dev/null || skip "flock missing (util-linux)"
BIN=$T/bin LOG=$T/log/nightly.log
mkdir -p "$BIN" "$T/etc"
CONF=$T/etc/nightly.conf
cat >"$CONF" <<EOF
SITES=tuoitre
CORPUS=$T/corpus
DB=$T/db
LOG=$LOG
MIN_FREE=0
BIN=$BIN
EOF
# stand PROGRAM SHELL-TEXT: a stand-in for timtin-crawl or timtin-index
stand() {
    printf '#!/bin/sh\n%s\n' "$2" >"$BIN/$1"
    chmod +x "$BIN/$1"
}
stand timtin-crawl 'echo "timtin-crawl: 3 requests; 0 errors" >&2'
stand timtin-index 'echo "indexed 0 records"'
"$N" --config "$CONF" >"$T/ok.out" 2>&1; rc=$?
check "the stand-ins: a run succeeds, silent" test $rc -eq 0 -a ! -s "$T/ok.out"

# ---- a file size limit (ulimit -f, LimitFSIZE=) smaller than the log:
# the script is not killed writing it (SIGXFSZ ignored); the log stops
# growing, the run goes on ----
stand timtin-index 'i=0; while [ $i -lt 100 ]; do printf "timtin-index: %01000d\n" $i; i=$((i + 1)); done'
(ulimit -f 40; exec "$N" --config "$CONF") >"$T/fs.out" 2>"$T/fs.err"; rc=$?
sed 's/^/# /' "$T/fs.err"
check "a log larger than the file size limit: not killed (exit 0)" test $rc -eq 0
check "... the log was written up to the limit" test "$(stat -c %s "$LOG")" -eq $((40 * 1024))
stand timtin-index 'echo "indexed 0 records"'

# ---- a step killed by a signal: the signal named, with what it tends to
# mean, and the step's last lines ----
# die_of SIGNAL: the stand-in's death by SIGNAL, at its default (the script
# ignores SIGXFSZ, and a shell cannot undo an ignored signal it inherited)
die_of() {
    printf 'ulimit -c 0; exec python3 -c "import os, signal; signal.signal(signal.%s, signal.SIG_DFL); os.kill(os.getpid(), signal.%s)"' "$1" "$1"
}
stand timtin-crawl "echo 'timtin-crawl: fetching' >&2; $(die_of SIGXFSZ)"
stand timtin-index "echo 'timtin-index: indexing'; kill -KILL \$\$"
"$N" --config "$CONF" >"$T/sig.out" 2>"$T/sig.err"; rc=$?
sed 's/^/# /' "$T/sig.err"
check "a crawl killed by SIGXFSZ: exit 1, the signal named, the crawler's last line" bash -c "
    test $rc -eq 1 && grep -qxF 'timtin-nightly: crawl of tuoitre failed (timtin-crawl exit 153): killed by SIGXFSZ (file size limit)' '$T/sig.err' &&
    grep -qxF '    timtin-crawl: fetching' '$T/sig.err'"
check "an index killed by SIGKILL: 'out of memory? see dmesg'" grep -qxF \
    'timtin-nightly: index failed (timtin-index exit 137): killed by SIGKILL (out of memory? see dmesg)' "$T/sig.err"
stand timtin-crawl 'echo "timtin-crawl: 3 requests; 0 errors" >&2'
stand timtin-index "$(die_of SIGSEGV)"
"$N" --config "$T/etc/nightly.conf" >"$T/sig.out" 2>"$T/sig.err"; rc=$?
sed 's/^/# /' "$T/sig.err"
check "an index killed by SIGSEGV: 'a bug: please report'" bash -c "test $rc -eq 1 &&
    grep -qxF 'timtin-nightly: index failed (timtin-index exit 139): killed by SIGSEGV (a bug: please report)' '$T/sig.err'"
stand timtin-index 'exit 200'
"$N" --config "$T/etc/nightly.conf" >"$T/sig.out" 2>"$T/sig.err"; rc=$?
check "an exit status no signal gives (200): as it is" \
    grep -qxF 'timtin-nightly: index failed (timtin-index exit 200)' "$T/sig.err"
stand timtin-index 'echo "indexed 0 records"'

# ---- a write refused for another reason than a full disk: reported as
# one, "cannot store", not as crawl errors retried next run ----
for r in "File too large|file size limit" "Disk quota exceeded|disk quota exceeded" \
    "Read-only file system|read-only file system"; do
    err=${r%|*} said=${r#*|}
    stand timtin-crawl "echo 'timtin-crawl: $T/corpus/timtin-000001.warc.gz: $err' >&2; exit 1"
    stand timtin-index "echo 'timtin-index: $T/db: xapian: DatabaseError: Error writing block 7 ($err)' >&2; exit 6"
    "$N" --config "$CONF" >"$T/st.out" 2>"$T/st.err"; rc=$?
    sed 's/^/# /' "$T/st.err"
    check "the crawl: '$err': exit 1, 'cannot store ($said)', the crawler's line" bash -c "test $rc -eq 1 &&
        grep -A1 -xF 'timtin-nightly: crawl of tuoitre: cannot store ($said)' '$T/st.err' |
            grep -qxF '    timtin-crawl: $T/corpus/timtin-000001.warc.gz: $err'"
    check "the index: '$err': 'cannot store ($said)', the indexer's line" bash -c "
        grep -A1 -xF 'timtin-nightly: index: cannot store ($said)' '$T/st.err' | grep -q '^    timtin-index: .*($err)'"
done
stand timtin-crawl 'echo "timtin-crawl: 3 requests; 0 errors" >&2'
stand timtin-index 'echo "indexed 0 records"'

# ---- a compaction stamp in the future (the clock set back, a state
# directory restored): compaction is due, and the dry run and the log say
# why; the stamp is then now ----
STAMP=$T/db.nightly/last-compact
stand timtin-index 'echo "$*" >"$(dirname "$0")/index.args"; echo "indexed 0 records"'
touch -d '+400 days' "$STAMP"
"$N" --config "$CONF" --dry-run >"$T/dry.out" 2>&1
sed 's/^/# /' "$T/dry.out"
check "a stamp in the future: --dry-run says compaction is due, and why" \
    grep -qE '^  compact the db: yes \(the last compaction is dated in the future \([0-9-]+ [0-9:]+\): ' "$T/dry.out"
check_not "... no negative age" grep -q -- 'days ago' "$T/dry.out"
"$N" --config "$CONF" >"$T/fut.out" 2>&1; rc=$?
check "a stamp in the future: the run compacts (timtin-index --compact), silent" bash -c "
    test $rc -eq 0 && ! test -s '$T/fut.out' && grep -q -- '--compact' '$BIN/index.args'"
check "... the log says the stamp was in the future" \
    grep -q 'compacted (the last compaction is dated in the future' "$LOG"
check "... and the stamp is now (not in the future)" test "$(stat -c %Y "$STAMP")" -le "$(date +%s)"
"$N" --config "$CONF" --dry-run >"$T/dry.out" 2>&1
check "... so the next run is not due" grep -q '^  compact the db: no (not due: last compaction 0 days ago' "$T/dry.out"

# ---- started through a symlink (/usr/local/bin/timtin-nightly ->
# /opt/timtin/bin/timtin-nightly), no BIN, a PATH without the programs:
# it runs the programs beside its target ----
mkdir -p "$T/opt/bin" "$T/link"
cp "$N" "$BIN/timtin-crawl" "$T/opt/bin/"
printf '#!/bin/sh\necho "indexed 0 records"; echo ran >"$(dirname "$0")/ran"\n' >"$T/opt/bin/timtin-index"
chmod +x "$T/opt/bin/timtin-index"
ln -s ../opt/bin/timtin-nightly "$T/link/timtin-nightly"
grep -v '^BIN=' "$CONF" >"$T/etc/nobin.conf"
env PATH=/usr/bin:/bin "$T/link/timtin-nightly" --config "$T/etc/nobin.conf" >"$T/ln.out" 2>&1; rc=$?
sed 's/^/# /' "$T/ln.out"
check "started through a symlink: the programs beside its target run (exit 0, silent)" \
    bash -c "test $rc -eq 0 && ! test -s '$T/ln.out' && test -e '$T/opt/bin/ran'"

# ---- an exported CDPATH (an operator's shell): a relative --config, and
# the script started by a relative path, as without it ----
(cd "$T" && CDPATH=$T:$T/link:$TOP/scripts "$T/link/timtin-nightly" --config etc/nobin.conf) >"$T/cd.out" 2>&1; rc=$?
sed 's/^/# /' "$T/cd.out"
check "CDPATH exported, a relative --config: the run goes on (exit 0, silent)" \
    test $rc -eq 0 -a ! -s "$T/cd.out"
(cd "$T" && CDPATH=$T:$T/opt "$T/link/timtin-nightly" --config etc/nobin.conf --dry-run) >"$T/cd.out" 2>&1; rc=$?
check "... and the config file is named once, as a path" \
    bash -c "test $rc -eq 0 && grep -qxF 'timtin-nightly --dry-run (config $T/etc/nobin.conf): would' '$T/cd.out'"
rm -f "$T/opt/bin/ran"
(cd "$T/opt" && CDPATH=$T:$T/link bin/timtin-nightly --config "$T/etc/nobin.conf") >"$T/cd.out" 2>&1; rc=$?
check "... the script started by a relative path runs the programs beside it (not \$CDPATH's bin)" \
    bash -c "test $rc -eq 0 && ! test -s '$T/cd.out' && test -e '$T/opt/bin/ran'"

# ---- a log that cannot be written (its directory cannot be made: a file
# in its way): the reason said, exit 2 as a configuration error, nothing
# done ----
echo x >"$T/notadir"
{ grep -v '^LOG=' "$CONF"; echo "LOG=$T/notadir/log/nightly.log"; } >"$T/etc/nolog.conf"
rm -f "$BIN/index.args"
"$N" --config "$T/etc/nolog.conf" >"$T/nolog.out" 2>"$T/nolog.err"; rc=$?
sed 's/^/# /' "$T/nolog.err"
check "a log that cannot be written: exit 2 (nothing done), one line with the reason" \
    bash -c "test $rc -eq 2 && test \$(wc -l <'$T/nolog.err') -eq 1 &&
        grep -qF 'timtin-nightly: cannot write the log $T/notadir/log/nightly.log (Not a directory)' '$T/nolog.err' &&
        grep -q 'Not a directory' '$T/nolog.err'"
check "... no step ran" test ! -e "$BIN/index.args"
mkdir -p "$T/logdir/nightly.log"
{ grep -v '^LOG=' "$CONF"; echo "LOG=$T/logdir/nightly.log"; } >"$T/etc/dirlog.conf"
"$N" --config "$T/etc/dirlog.conf" >/dev/null 2>"$T/dirlog.err"; rc=$?
sed 's/^/# /' "$T/dirlog.err"
check "a LOG that is a directory: exit 2, the reason said" bash -c "test $rc -eq 2 &&
    grep -qF 'timtin-nightly: cannot write the log $T/logdir/nightly.log (Is a directory)' '$T/dirlog.err'"
check "... no step ran" test ! -e "$BIN/index.args"

done_testing
