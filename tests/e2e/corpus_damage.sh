# corpus_damage.sh — drives build/timtin-corpus on damaged and unusual
# corpora: a WARC file missing from the serials, a damaged latest record
# imported again, an empty newest file, a reader saving the index beside a
# writer, bytes that are no record after the last one, ids that need
# percent-encoding in a URN, WARC-Refers-To of re-imported articles, and
# an import stopped by a signal.
. "$(dirname "$0")/lib.sh"

TC=$B/timtin-corpus
[ -x "$TC" ] || { fail "build/timtin-corpus exists"; exit 1; }
S=$TOP/corpus/samples/articles.jsonl
nsamples=$(grep -c . "$S")

# ---- a WARC file missing between others is reported, never forgotten ----
C=$T/gap
"$TC" --corpus "$C" --quiet --max-file-size 16k import "$S"
check "the samples make 3 files at 16k" [ -f "$C/timtin-000003.warc.gz" ]
rm "$C/timtin-000002.warc.gz"
"$TC" --corpus "$C" ls >/dev/null 2>"$T/ierr"
check_not "the index warning does not blame the index alone" \
    grep -q 'covers more than the WARC files hold' "$T/ierr"
check "the index warning names the missing file" \
    grep -q 'ids.idx: lists .*timtin-000002.warc.gz, which is missing' "$T/ierr"
for cmd in ls export verify; do
    for run in first second; do # the second: after the index was rebuilt
        "$TC" --corpus "$C" $cmd >"$T/out" 2>"$T/err"; rc=$?
        check "$cmd ($run run) with timtin-000002.warc.gz missing: exit 1, the file named" \
            sh -c "[ $rc -eq 1 ] && grep -q 'timtin-000002.warc.gz: missing' '$T/err'"
    done
done
check "verify counts the missing file" grep -q '^[0-9]* records, 0 bad, 1 file missing$' "$T/out"
done_testing
