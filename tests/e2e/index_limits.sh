#!/usr/bin/env bash
# The system's limits on a --full: a low open-file limit (ulimit -n) merges
# the sub-dbs in stages sized to what is left of it, or says to raise it;
# a file size limit (ulimit -f, as a full disk) met while merging names the
# db being written.  And timtin-search out of open files says to raise the
# limit, not to rebuild the index.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
C=$T/corpus
"$B/timtin-corpus" --corpus "$C" import --quiet "$S"
full() { # DB [OPTION...]: a --full of 36 sub-dbs, one article each
    local db=$1; shift
    "$B/timtin-index" --corpus "$C" --db "$db" --quiet --no-sync --full -j2 \
        --subdb-docs 1 "$@"
}
ndocs() { xapian-delve "$1" | sed -n 's/^number of documents = //p'; }
full "$T/ref"
n=$(ndocs "$T/ref")
check "the reference db: every article ($n)" [ "$n" -ge 30 ]

# 50 open files: the sub-dbs merged in stages that fit
(ulimit -n 50; full "$T/d50") 2>"$T/err"; rc=$?
cat "$T/err"
check "ulimit -n 50: --full done (exit 0)" [ $rc = 0 ]
check "ulimit -n 50: every article" [ "$(ndocs "$T/d50")" = "$n" ]
check "ulimit -n 50: no stage dbs left" bash -c "! ls -d '$T/d50'.new* 2>/dev/null | grep -q ."
# too few to merge two: said, with what to do
(ulimit -n 20; full "$T/d20") 2>"$T/err"; rc=$?
cat "$T/err"
check "ulimit -n 20: exit 5" [ $rc = 5 ]
check "ulimit -n 20: says to raise the open-file limit" grep -q "raise the open-file limit (ulimit -n)" "$T/err"
check_not "ulimit -n 20: no rebuild advice" grep -q -e rebuild -e damaged "$T/err"
check "ulimit -n 20: no db, no sub-dbs left" bash -c "! ls -d '$T/d20'* 2>/dev/null | grep -v '[.]lock$' | grep -q ."

# the searcher out of open files: the limit, not the index
(ulimit -n 6; "$B/timtin-search" --db "$T/ref" 'đà nẵng') >/dev/null 2>"$T/err"
cat "$T/err"
check "timtin-search, ulimit -n 6: says Too many open files" grep -q "Too many open files" "$T/err"
check "timtin-search, ulimit -n 6: says to raise the open-file limit" grep -q "raise the open-file limit" "$T/err"
check_not "timtin-search, ulimit -n 6: no rebuild advice" grep -q -e rebuild -e "--full" "$T/err"

# a file size limit the sub-dbs fit in and the merged db does not
big=$(( $(stat -c %s "$T/ref/postlist.glass") / 1024 / 2 ))
# (libxapian 1.4.22's compaction leaks its source tables when a write
# throws; the process exits at once: leak detection off for this run)
nolsan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
(export ASAN_OPTIONS=$nolsan; ulimit -f "$big"; trap '' XFSZ; full "$T/df") 2>"$T/err"; rc=$?
cat "$T/err"
check "ulimit -f $big: the merge fails (exit 6, File too large)" \
    bash -c "[ $rc = 6 ] && grep -q 'File too large' '$T/err'"
check "ulimit -f $big: names the db being written ($T/df.compact)" \
    grep -q "^timtin-index: $T/df.compact: xapian: " "$T/err"
check "ulimit -f $big: nothing left" bash -c "! ls -d '$T/df'* 2>/dev/null | grep -v '[.]lock$' | grep -q ."
done_testing
