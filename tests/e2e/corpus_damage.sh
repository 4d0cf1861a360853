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


# ---- an article whose latest record is damaged is stored again ----
C=$T/flip
"$TC" --corpus "$C" --quiet import "$S"
python3 - "$C/timtin-000001.warc.gz" <<'PY'
import sys, zlib
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
off, starts = 0, []
while off < len(data):
    d = zlib.decompressobj(31)
    d.decompress(bytes(data[off:]))
    starts.append(off)
    off = len(data) - len(d.unused_data)
# the 4th member: the 3rd article (the 1st is the warcinfo); a byte of
# its deflate data flipped
m = starts[3]
data[m + (starts[4] - m) // 2] ^= 0x55
open(path, "wb").write(data)
PY
id3=$(sed -n 3p "$S" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
"$TC" --corpus "$C" cat "$id3" >/dev/null 2>"$T/err"; rc=$?
check "the flipped record cannot be read (exit 1)" [ "$rc" -eq 1 ]
"$TC" --corpus "$C" import "$S" >"$T/out" 2>"$T/err"; rc=$?
check "importing again stores the damaged one again" \
    sh -c "[ $rc -eq 0 ] && grep -q 'read $nsamples, stored 1, unchanged $((nsamples - 1)),' '$T/err'"
check "and it reads back" sh -c "'$TC' --corpus '$C' cat '$id3' >/dev/null"
"$TC" --corpus "$C" import "$S" >"$T/out" 2>"$T/err"
check "a third import stores nothing" grep -q "stored 0, unchanged $nsamples," "$T/err"

# ---- an empty newest file (a kill right after rotation) is indexed ----
C=$T/empty
"$TC" --corpus "$C" --quiet import "$S"
: >"$C/timtin-000002.warc.gz"
rm -f "$C/ids.idx"
for i in 1 2 3; do
    "$TC" --corpus "$C" ls >/dev/null 2>"$T/err$i"; rc=$?
    check "ls $i with an empty newest file: exit 0, no warning" \
        sh -c "[ $rc -eq 0 ] && [ ! -s '$T/err$i' ]"
done
printf '{"id":"new1","title":"t"}\n' >"$T/new.jsonl"
"$TC" --corpus "$C" import "$T/new.jsonl" 2>"$T/err"
check "a writer appends to the empty file" sh -c "[ -s '$C/timtin-000002.warc.gz' ] && [ ! -e '$C/timtin-000003.warc.gz' ]"
"$TC" --corpus "$C" ls >/dev/null 2>"$T/err"
check "and readers after it need no rebuild" [ ! -s "$T/err" ]

# ---- a reader holding the lock for a moment (saving a rebuilt index)
# makes no writer fail, and no message names a process that is gone ----
if command -v flock >/dev/null; then
    C=$T/lockr
    "$TC" --corpus "$C" --quiet import "$S"
    dead=$(sh -c 'echo $$')
    echo "$dead" >"$C/lock" # as a writer killed by SIGKILL leaves it
    mkfifo "$T/release"
    # the reader's save, as reader_save takes it (no pid written)
    flock "$C/lock" sh -c "read x <'$T/release'" &
    holder=$!
    wait_for sh -c "! flock -n '$C/lock' true"
    printf '{"id":"w1","title":"t"}\n' >"$T/w1.jsonl"
    "$TC" --corpus "$C" --quiet import "$T/w1.jsonl" 2>"$T/err" &
    writer=$!
    # released once the writer has the lock file open (it tries the lock
    # right after), or has ended
    wait_for sh -c "ls -l /proc/$writer/fd 2>/dev/null | grep -q '$C/lock' || ! kill -0 $writer 2>/dev/null"
    echo >"$T/release"
    wait "$holder"
    wait "$writer"; rc=$?
    check "a writer meeting a reader's save waits for it (exit 0)" [ "$rc" -eq 0 ]
    check "the writer stored its article" sh -c "'$TC' --corpus '$C' cat w1 >/dev/null"
    check "the lock holds no pid once the writer is gone" [ ! -s "$C/lock" ]
    echo "$dead" >"$C/lock"
    flock "$C/lock" sh -c "read x <'$T/release'" &
    holder=$!
    wait_for sh -c "! flock -n '$C/lock' true"
    "$TC" --corpus "$C" delete w1 2>"$T/err"; rc=$?
    echo >"$T/release"
    wait "$holder"
    check "held on by no writer: exit 3 all the same" [ "$rc" -eq 3 ]
    check_not "the message names no dead process" grep -q "pid $dead" "$T/err"
    check "the message says who may hold it" grep -q "is locked by another process (no live writer" "$T/err"
fi

# ---- bytes that are no record after the last one of the newest file
# (NULs a filesystem leaves after a power loss) are a torn append: cut
# off by the next writer; elsewhere they stay reported ----
C=$T/nul
"$TC" --corpus "$C" --quiet --max-file-size 16k import "$S"
W3=$C/timtin-000003.warc.gz
end=$(stat -c %s "$W3")
head -c 4096 /dev/zero >>"$W3"
"$TC" --corpus "$C" ls >/dev/null 2>"$T/err"; rc=$?
check "ls with NULs after the last record: exit 0, quiet" sh -c "[ $rc -eq 0 ] && [ ! -s '$T/err' ]"
"$TC" --corpus "$C" import "$T/new.jsonl" 2>"$T/err"; rc=$?
check "the next writer cuts them off, saying where and how many bytes" \
    sh -c "[ $rc -eq 0 ] && grep -q 'timtin-000003.warc.gz: dropped 4096 bytes at offset $end that are no record' '$T/err'"
for cmd in ls export verify; do
    "$TC" --corpus "$C" $cmd >/dev/null 2>"$T/err"; rc=$?
    check "$cmd after the writer: exit 0, quiet" sh -c "[ $rc -eq 0 ] && [ ! -s '$T/err' ]"
done
# the same bytes inside the corpus: after file 1's last record
W1=$C/timtin-000001.warc.gz
end1=$(stat -c %s "$W1")
head -c 4096 /dev/zero >>"$W1"
rm "$C/ids.idx"
"$TC" --corpus "$C" ls >/dev/null 2>"$T/err"; rc=$?
check "NULs at the end of an older file: reported, exit 1" \
    sh -c "[ $rc -eq 1 ] && grep -q 'timtin-000001.warc.gz: offset $end1: no gzip member starts here' '$T/err'"
"$TC" --corpus "$C" ls >/dev/null 2>"$T/err"; rc=$?
check "and at the next open, from the index (exit 1)" \
    sh -c "[ $rc -eq 1 ] && grep -q 'timtin-000001.warc.gz: offset $end1: no gzip member starts here' '$T/err'"
check_not "and not called a lost article version" grep -q "an article version it held is missing" "$T/err"

# ---- ids in urn:timtin:article: are percent-encoded reversibly ----
C=$T/urn
printf '%s\n' '{"id":"pct%41","title":"a"}' '{"id":"pctA","title":"b"}' \
    '{"id":"x#y","title":"c"}' '{"id":"q?r","title":"d"}' \
    '{"id":"sp ace/[1]","title":"e"}' >"$T/urn.jsonl"
"$TC" --corpus "$C" --quiet import "$T/urn.jsonl"
zcat "$C/timtin-000001.warc.gz" | tr -d '\r' | sed -n 's/^WARC-Target-URI: //p' >"$T/uris"
sed 's/^/# /' "$T/uris"
check "urn of id pct%41: % encoded, not equivalent to pctA's" grep -qx 'urn:timtin:article:pct%2541' "$T/uris"
check "urn of id pctA" grep -qx 'urn:timtin:article:pctA' "$T/uris"
check "urn of id x#y: no fragment" grep -qx 'urn:timtin:article:x%23y' "$T/uris"
check "urn of id q?r: no query" grep -qx 'urn:timtin:article:q%3Fr' "$T/uris"
check "urn of id 'sp ace/[1]'" grep -qx 'urn:timtin:article:sp%20ace/%5B1%5D' "$T/uris"
check "the ids read back" sh -c "'$TC' --corpus '$C' ls | cut -f1 | tr '\n' ' ' | grep -qx 'pct%41 pctA x#y q?r sp ace/\[1\] '"

# ---- WARC-Refers-To names only a response record this corpus holds ----
C=$T/refers
printf '%s\n' '{"id":"cr1","title":"crawled elsewhere","url":"https://x.vn/1.htm","response":"<urn:uuid:0d6e4079-e3a4-4e6e-9d3b-5c5f2b7c1a11>"}' >"$T/cr.jsonl"
"$TC" --corpus "$C" --quiet import "$T/cr.jsonl"
check_not "a re-imported article names no response of another corpus" \
    sh -c "zcat '$C/timtin-000001.warc.gz' | grep -q '^WARC-Refers-To'"
check "its JSON keeps the link" sh -c "'$TC' --corpus '$C' cat cr1 | grep -q '\"response\":\"<urn:uuid:0d6e4079'"

# ---- an import stopped by a signal says so; verify calls the torn last
# record a write interrupted, not damage ----
for sig in TERM INT HUP; do
    C=$T/stop$sig
    rm -f "$T/feed"; mkfifo "$T/feed"
    exec 8<>"$T/feed" # (read-write: opening it blocks no one)
    # (the import holds a write end of its input, fd 8, as a program
    # feeding it through a pipe and waiting on it would: no end of file
    # comes; the signal must stop it however it lands, even between its
    # check and its read)
    "$TC" --corpus "$C" import - <"$T/feed" 2>"$T/err" &
    imp=$!
    case $sig in TERM) n=143 bit=16384;; INT) n=130 bit=2;; HUP) n=129 bit=1;; esac
    # ready when it catches the signal (/proc's SigCgt mask)
    wait_for sh -c "m=\$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$imp/status); [ \$(( 0x\$m & $bit )) -ne 0 ]"
    head -n 5 "$S" >&8
    # stopped whenever it gets the signal: before, between or after the
    # 5 articles, or waiting for more input
    kill -$sig $imp
    exec 8>&-
    wait $imp; rc=$?
    check "import stopped by SIG$sig: exit $n" [ "$rc" -eq "$n" ]
    check "import stopped by SIG$sig: the summary and why it stopped" \
        sh -c "grep -q '^read [0-9]*, stored [0-9]*, unchanged 0, failed 0;' '$T/err' && grep -q 'stopped by SIG$sig: the articles counted as stored are kept' '$T/err'"
    stored=$(sed -n 's/^read [0-9]*, stored \([0-9]*\),.*/\1/p' "$T/err")
    if [ -d "$C" ]; then
        check "import stopped by SIG$sig: the $stored stored are there" \
            sh -c "[ \$('$TC' --corpus '$C' ls | wc -l) -eq '${stored:-x}' ]"
    fi
done
check "--help documents the signals and their status" sh -c "'$TC' --help | grep -q '128+N an import stopped by signal N'"
# ... and one that lands between its check and its read, made certain by a
# preloaded read() that raises SIGTERM before reading the pipe: it stops
# at once, not when input comes (none does: it holds fd 8 too)
cat >"$T/raise.c" <<'EOF2'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
ssize_t read(int fd, void *b, size_t n)
{
    static ssize_t (*real)(int, void *, size_t);
    static int raised;
    struct stat st;
    if (!real)
        real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    if (!raised && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
        raised = 1;
        raise(SIGTERM);
    }
    return real(fd, b, n);
}
EOF2
if ${CC:-cc} -shared -fPIC -o "$T/raise.so" "$T/raise.c" -ldl 2>"$T/cc.err"; then
    rm -f "$T/feed"; mkfifo "$T/feed"
    exec 8<>"$T/feed"
    # (under ASan its runtime must come first)
    asan=$(ldd "$TC" 2>/dev/null | awk '/libasan/ { print $3 }')
    timeout 60 env LD_PRELOAD="${asan:+$asan }$T/raise.so" \
        "$TC" --corpus "$T/race" import - \
        <"$T/feed" 2>"$T/err"; rc=$?
    exec 8>&-
    check "a signal between the check and the read: stopped at once (exit 143, not the guard's 124)" [ "$rc" -eq 143 ]
    check "... and says so" grep -q 'stopped by SIGTERM' "$T/err"
else
    check "the read() shim compiles" false
fi
C=$T/torn
"$TC" --corpus "$C" --quiet import "$S"
W=$C/timtin-000001.warc.gz
s0=$(stat -c %s "$W")
"$TC" --corpus "$C" --quiet import "$T/new.jsonl"
s1=$(stat -c %s "$W")
truncate -s $(( (s0 + s1) / 2 )) "$W" # as a kill -9 mid-append leaves it
"$TC" --corpus "$C" verify >"$T/out" 2>"$T/err"; rc=$?
check "verify of a torn last record: exit 0, not counted bad" \
    sh -c "[ $rc -eq 0 ] && grep -q ', 0 bad$' '$T/out'"
check "verify says it is cut short and trimmed at the next write" \
    grep -q "timtin-000001.warc.gz: offset $s0: the last record is cut short (a write interrupted, [0-9]* bytes); trimmed at the next write" "$T/err"
done_testing
