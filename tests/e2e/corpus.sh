# corpus.sh — drives build/timtin-corpus: import (with a malformed line),
# export round trip, ls, cat, stats, delete, verify (clean and with a
# flipped bit), re-import, usage errors, the lock, an independent WARC
# reader (npm warcio), and a SIGKILL in the middle of an import.
. "$(dirname "$0")/lib.sh"

TC=$B/timtin-corpus
[ -x "$TC" ] || { fail "build/timtin-corpus exists"; exit 1; }
C=$T/corpus
export TIMTIN_CORPUS=$C

# ---- a small JSONL with every field shape, and one bad line (line 4) ----
python3 - "$T/in.jsonl" <<'EOF'
import json, sys
arts = [
  {"id": "a1", "title": "Cần Thơ mở rộng cầu", "url": "https://tuoitre.vn/can-tho-1.htm",
   "sapo": "Sapo \"trích\" \\ ở đây", "body": "Đoạn một.\n\nĐoạn hai.\r\n  \nĐoạn ba.",
   "authors": "TUỔI TRẺ ONLINE", "caption": "Cầu Cần Thơ - Ảnh: T.T.", "tags": ["cầu", "giao thông"],
   "section": "Thời sự", "published": "2025-01-02T03:04:05+07:00", "split": "train"},
  {"id": "a2", "title": "Tab\tand \u2028 separator", "body": ["p1", "", "p2"],
   "authors": ["A", "B"], "captions": ["c1", "c2"], "published": "2025-02-03T04:05:06+07:00",
   "modified": "2025-02-04T00:00:00+07:00", "source": "vnexpress", "image": "https://x/i.jpg",
   "canonical": "https://x/a2"},
  {"id": 12345, "title": "Numeric id, hoà and hòa, Đà Nẵng", "body": "x"},
]
nfd = {"id": "a4", "title": "Unicode to\u0309 ho\u031bp", "body": "Tu\u0309\u00f4i Tre\u0309"}
with open(sys.argv[1], "w") as f:
    for a in arts:
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
    f.write('{"id": "bad", "title": \n')        # line 4: malformed
    f.write("\n")                                 # blank line: ignored
    f.write(json.dumps(nfd, ensure_ascii=False) + "\n")
    f.write('{"id": "notitle"}\n')                # line 7: no title
EOF

"$TC" import "$T/in.jsonl" >"$T/out" 2>"$T/err"; rc=$?
check "import with bad lines exits 1" [ "$rc" -eq 1 ]
check "bad line reported with its number" grep -q "in.jsonl:4: invalid JSON at line 1" "$T/err"
check "missing title reported with its number" grep -q "in.jsonl:7: missing title" "$T/err"
check "import summary" grep -q "read 6, stored 4, unchanged 0, failed 2" "$T/err"

# ---- export round-trips field by field ----
"$TC" export >"$T/export.jsonl"; rc=$?
check "export exits 0" [ "$rc" -eq 0 ]
python3 - "$T/in.jsonl" "$T/export.jsonl" >"$T/cmp" 2>&1 <<'EOF'
import json, sys
def norm(a):
    out = {"id": str(a["id"])}
    for k in ("title", "url", "sapo", "section", "published", "modified", "source", "image", "canonical"):
        if a.get(k): out[k] = a[k]
    body = a.get("body")
    if isinstance(body, str):
        body = [l[:-1] if l.endswith("\r") else l for l in body.split("\n")]
    body = [p for p in (body or []) if p.strip(" \t\r\n")]
    if body: out["body"] = body
    caps = list(a.get("captions") or []) + ([a["caption"]] if a.get("caption") else [])
    if caps: out["captions"] = caps
    au = a.get("authors")
    au = [au] if isinstance(au, str) else (au or [])
    if au: out["authors"] = au
    if a.get("tags"): out["tags"] = a["tags"]
    return out
want = []
for line in open(sys.argv[1], encoding="utf-8"):
    try: a = json.loads(line)
    except ValueError: continue
    if "title" in a: want.append(norm(a))
got = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
if len(got) != len(want):
    print("count", len(got), len(want)); sys.exit(1)
for w, g in zip(want, got):
    if w != g:
        print("differs:", w, g); sys.exit(1)
    if list(g) != [k for k in ["id","title","url","sapo","body","captions","authors","section","tags",
                               "published","modified","source","image","canonical"] if k in g]:
        print("key order:", list(g)); sys.exit(1)
EOF
check "export round-trips every field, in input order" [ $? -eq 0 ]
[ -s "$T/cmp" ] && sed 's/^/# /' "$T/cmp"
cp "$T/export.jsonl" "$T/export1.jsonl"

# the export imports into a new corpus as the same bytes
"$TC" --corpus "$T/c2" import --quiet "$T/export.jsonl" 2>"$T/err2"
"$TC" --corpus "$T/c2" export >"$T/export2.jsonl"
check "export -> import -> export is identical" cmp -s "$T/export.jsonl" "$T/export2.jsonl"

# ---- ls, cat, stats ----
"$TC" ls >"$T/ls"
check "ls lists the live articles" [ "$(wc -l <"$T/ls")" -eq 4 ]
check "ls line: id, published, title (tab-separated)" \
    grep -qxF "$(printf 'a1\t2025-01-02T03:04:05+07:00\tCần Thơ mở rộng cầu')" "$T/ls"
check "ls keeps a tab in a title from breaking the columns" \
    grep -qxF "$(printf 'a2\t2025-02-03T04:05:06+07:00\tTab and \xe2\x80\xa8 separator')" "$T/ls"
# control characters (an ESC a terminal would run) never reach it: '?'
# in a title or date, each byte; an id that cannot be shown as it is
# (a control character, or a '"' first) is shown as a JSON string, which
# gives it back for cat
python3 - "$T/ctl.jsonl" "$T/ctl.want" <<'EOF'
import json, sys
arts = [  # id, title; the id and the title as ls shows them
    ("t\tab", "a\u001b[31mRED", r'"t\tab"', "a?[31mRED"),
    ("n\nl", "C1 \u009b2J x", r'"n\nl"', "C1 ??2J x"),
    ('"q', "q", r'"\"q"', "q"),
    ("e\u001b[0m\u0085\u007f", "x\ry", r'"e\u001b[0m\u0085\u007f"', "x y"),
    ('o"k', "plain", 'o"k', "plain")]
with open(sys.argv[1], "w") as f, open(sys.argv[2], "w") as w:
    for i, t, si, st in arts:
        f.write(json.dumps({"id": i, "title": t, "body": "x"}) + "\n")
        w.write(si + "\t\t" + st + "\n")
EOF
"$TC" --corpus "$T/ctl" import --quiet "$T/ctl.jsonl"
"$TC" --corpus "$T/ctl" ls >"$T/ctl.ls"
check "ls: no control character reaches the terminal, the columns kept" python3 -c '
import sys
t = open(sys.argv[1], encoding="utf-8").read()
bad = [c for c in t if (ord(c) < 32 and c not in "\t\n") or 0x7f <= ord(c) <= 0x9f]
assert not bad, bad
assert t.count("\n") == 5 and all(l.count("\t") == 2 for l in t.splitlines()), t' "$T/ctl.ls"
check "ls: control characters in a title as '?' (each byte), an id that cannot be shown as it is as a JSON string" \
    cmp -s <(LC_ALL=C sort "$T/ctl.want") <(LC_ALL=C sort "$T/ctl.ls")
check "ls: every id shown gives its article back to cat" python3 -c '
import json, subprocess, sys
for l in open(sys.argv[2], encoding="utf-8"):
    i = l.split("\t")[0]
    if i.startswith("\""):
        i = json.loads(i)
    out = subprocess.run([sys.argv[1], "--corpus", sys.argv[3], "cat", i], capture_output=True, check=True).stdout
    assert json.loads(out)["id"] == i, (i, out)' "$TC" "$T/ctl.ls" "$T/ctl"
"$TC" cat 12345 >"$T/cat1"
check "cat prints the stored JSON" grep -qxF "$(sed -n 3p "$T/export.jsonl")" "$T/cat1"
"$TC" cat a2 --pretty >"$T/cat2"
check "cat --pretty is indented and the same article" python3 -c '
import json, sys
p = open(sys.argv[1]).read(); e = json.loads(open(sys.argv[2]).readlines()[1])
sys.exit(0 if "\n  \"title\": " in p and json.loads(p) == e else 1)' "$T/cat2" "$T/export.jsonl"
"$TC" cat nosuch >/dev/null 2>"$T/err"; rc=$?
check "cat of an unknown id exits 1" [ "$rc" -eq 1 ]
"$TC" stats >"$T/stats"
check "stats counts" grep -qx "articles: 4" "$T/stats"
check "stats records" grep -qx "records: 5" "$T/stats"

# ---- delete ----
"$TC" delete a2 nosuch 2>"$T/err"; rc=$?
check "delete of an unknown id exits 1" [ "$rc" -eq 1 ]
check "delete names the unknown id" grep -q "nosuch" "$T/err"
"$TC" ls >"$T/ls.del"; rc=$?
check "ls after a delete succeeds, the other 3 articles there" \
    [ "$rc" -eq 0 -a "$(grep -c '' "$T/ls.del")" -eq 3 ]
check_not "a deleted article is gone from ls" grep -q $'^a2\t' "$T/ls.del"
"$TC" cat a2 >"$T/cat.del" 2>"$T/err"; rc=$?
check "a deleted article cannot be cat: exit 1, nothing printed" [ "$rc" -eq 1 -a ! -s "$T/cat.del" ]
check "... and it names the id" grep -q "a2" "$T/err"
"$TC" export >"$T/export.del"; rc=$?
check "export after a delete succeeds, the other 3 articles there" \
    [ "$rc" -eq 0 -a "$(grep -c '"id":' "$T/export.del")" -eq 3 ]
check "... 12345 among them" grep -q '"id":"12345"' "$T/export.del"
check_not "a deleted article is gone from export" grep -q '"id":"a2"' "$T/export.del"

# ---- re-import stores nothing new (but a2 comes back) ----
"$TC" import "$T/in.jsonl" 2>"$T/err"
check "re-import stores only the deleted article" grep -q "read 6, stored 1, unchanged 3, failed 2" "$T/err"
"$TC" import "$T/in.jsonl" 2>"$T/err"
check "re-import again stores nothing" grep -q "stored 0, unchanged 4" "$T/err"
gzip -c "$T/in.jsonl" >"$T/in.jsonl.gz"
"$TC" --quiet import - <"$T/in.jsonl.gz" 2>"$T/err"; rc=$?
check "import from gzip'd stdin: only the 2 bad lines reported" [ "$rc" -eq 1 -a "$(grep -c '' "$T/err")" -eq 2 ]
check "stdin lines are named (stdin):N" grep -q "^(stdin):4: " "$T/err"
# a UTF-8 byte order mark starts the input: skipped (on its first line only)
printf '\xef\xbb\xbf{"id":"bom","title":"Có BOM"}\n' | "$TC" --corpus "$T/bom" --quiet import - 2>"$T/err"; rc=$?
check "import: a BOM before the first line is skipped (exit 0)" \
    bash -c "[ $rc -eq 0 ] && [ ! -s '$T/err' ] && '$TC' --corpus '$T/bom' cat bom | grep -q '^{\"id\":\"bom\",\"title\":\"Có BOM\"}\$'"
printf '\xef\xbb\xbf{"id":"b1","title":"t"}\n' | gzip -c >"$T/bom.jsonl.gz"
printf '{"id":"b2","title":"t"}\n\xef\xbb\xbf{"id":"b3","title":"t"}\n' >"$T/bom2.jsonl"
"$TC" --corpus "$T/bom" --quiet import "$T/bom.jsonl.gz" "$T/bom2.jsonl" 2>"$T/err"; rc=$?
check "import: each file's BOM skipped (gzip'd too), one on a later line is an error" \
    bash -c "[ $rc -eq 1 ] && [ \$(grep -c '' '$T/err') -eq 1 ] && grep -q 'bom2.jsonl:2: invalid JSON' '$T/err' &&
        '$TC' --corpus '$T/bom' cat b1 b2 >/dev/null"

# ---- verify, clean and with one flipped bit ----
"$TC" verify >"$T/v" 2>&1; rc=$?
check "verify passes" [ "$rc" -eq 0 ]
check "verify counts" grep -q "^7 records, 0 bad$" "$T/v"
cp -r "$C" "$T/flip"
W=$T/flip/timtin-000001.warc.gz
python3 - "$W" <<'EOF'
import sys
p = sys.argv[1]; d = bytearray(open(p, "rb").read())
d[len(d) // 2] ^= 0x20
open(p, "wb").write(d)
EOF
"$TC" --corpus "$T/flip" verify >"$T/v" 2>"$T/verr"; rc=$?
check "verify finds the flipped bit (exit 1)" [ "$rc" -eq 1 ]
check "verify names file and offset" grep -q "timtin-000001.warc.gz: offset [0-9]*: " "$T/verr"
check "verify counts one bad record among all 7" grep -q "^7 records, 1 bad$" "$T/v"
# the id index rebuilt past the damage remembers it: every later ls and
# export says where, and exits 1, as the first one does
off=$(sed -n 's/.*timtin-000001.warc.gz: offset \([0-9]*\): .*/\1/p' "$T/verr" | head -1)
rm "$T/flip/ids.idx"
for n in 1 2; do
    for cmd in ls export; do
        "$TC" --corpus "$T/flip" $cmd >"$T/fout" 2>"$T/ferr"; rc=$?
        check "$cmd ($n) after the index is rebuilt past a damaged record: exit 1, file and offset said" \
            bash -c "[ $rc -eq 1 ] && grep -q 'timtin-000001.warc.gz: offset $off: ' '$T/ferr'"
    done
done
lost=$(comm -23 <("$TC" ls | cut -f1 | sort) <("$TC" --corpus "$T/flip" ls 2>/dev/null | cut -f1 | sort))
"$TC" --corpus "$T/flip" cat $lost >/dev/null 2>"$T/ferr"; rc=$?
check "cat of the article it held: exit 1, may be in an unreadable record" \
    bash -c "[ -n '$lost' ] && [ $rc -eq 1 ] && grep -q 'no article $lost (.*1 unreadable record' '$T/ferr'"

# ---- verify: records whose gzip is sound but whose content is not ----
# (a WARC edited by hand or by a tool): a block that no longer matches its
# digest, article JSON that does not parse, and JSON naming another id
# than the header; each a new gzip member appended to a copy.
# forge.py FILE KIND...: append a1's record edited so, for each KIND
cat >"$T/forge.py" <<'EOF2'
import base64, gzip, hashlib, re, sys, uuid, zlib
path = sys.argv[1]
data = open(path, "rb").read()
members = []
while data:
    d = zlib.decompressobj(31)
    members.append(d.decompress(data))
    data = d.unused_data
rec = next(m for m in members if b"WARC-Type: resource" in m and b'"id":"a1"' in m)
head, rest = rec.split(b"\r\n\r\n", 1)
block = rest[: int(re.search(rb"Content-Length: (\d+)", head).group(1))]
def member(block, fix_digest):
    h = re.sub(rb"WARC-Record-ID: <[^>]*>", b"WARC-Record-ID: <urn:uuid:%s>" % str(uuid.uuid4()).encode(), head)
    if fix_digest:
        dig = base64.b32encode(hashlib.sha1(block).digest())
        h = re.sub(rb"WARC-Block-Digest: sha1:[A-Z0-9]+", b"WARC-Block-Digest: sha1:" + dig, h)
    h = re.sub(rb"Content-Length: \d+", b"Content-Length: %d" % len(block), h)
    return gzip.compress(h + b"\r\n\r\n" + block + b"\r\n\r\n")
edited = block.replace("rộng cầu".encode(), "rộng cẩu".encode(), 1)
assert edited != block and len(edited) == len(block)
kinds = {
    "digest": lambda: member(edited, False),                # digest mismatch
    "json": lambda: member(b'{"id":"a1","title":', True),   # JSON that does not parse
    "otherid": lambda: member(block.replace(b'"id":"a1"', b'"id":"z9"'), True),
}
with open(path, "ab") as f:
    for k in sys.argv[2:]:
        f.write(kinds[k]())
EOF2
cp -r "$C" "$T/forged"
python3 "$T/forge.py" "$T/forged/timtin-000001.warc.gz" digest json otherid
"$TC" --corpus "$T/forged" verify >"$T/v" 2>"$T/verr"; rc=$?
check "verify: a forged block, bad JSON and a mismatched id are 3 bad records (exit 1)" \
    bash -c "[ $rc -eq 1 ] && grep -q ', 3 bad\$' '$T/v'"
check "verify names each: digest, JSON, the two ids" bash -c "
    grep -q 'offset [0-9]*: block digest mismatch' '$T/verr' &&
    grep -q 'offset [0-9]*: article JSON: ' '$T/verr' &&
    grep -q 'article id z9 in the JSON, a1 in the header' '$T/verr'"

"$TC" --corpus "$T/forged" cat a1 >"$T/cat" 2>"$T/caterr"; rc=$?
check "cat of an article whose latest record names another id: exit 1, said" \
    bash -c "[ $rc -eq 1 ] && grep -q 'article a1: .*timtin-000001.warc.gz: offset [0-9]*: its stored JSON names article z9' '$T/caterr'"
"$TC" --corpus "$T/forged" export >"$T/fexp" 2>"$T/fexperr"; rc=$?
check "export refuses it as cat does: exit 1, file, offset and both ids said" \
    bash -c "[ $rc -eq 1 ] && grep -q 'article a1: .*timtin-000001.warc.gz: offset [0-9]*: its stored JSON names article z9' '$T/fexperr'"
check "export writes the other articles, and no line of a1 or z9" \
    bash -c "[ \$(grep -c '' '$T/fexp') -eq 3 ] && ! grep -q '\"id\":\"\(a1\|z9\)\"' '$T/fexp'"
# index_skips NAME CORPUS WARNING NOT: index CORPUS; ok when the indexer
# exits 0 having said WARNING (a grep pattern) and a search for Cần Thơ
# answers without NOT
index_skips() {
    "$B/timtin-index" --quiet --corpus "$2" --db "$2-db" 2>"$T/ierr"; local rc=$?
    "$B/timtin-search" --db "$2-db" --json --limit 50 "Cần Thơ" >"$T/fs.json"
    check "$1" bash -c "[ $rc -eq 0 ] && grep -q '$3' '$T/ierr' &&
        grep -q '\"total\":' '$T/fs.json' && ! grep -q '$4' '$T/fs.json'"
}
index_skips "the indexer skips it, naming file, offset and both ids; no article z9 appears" "$T/forged" \
    'timtin-000001.warc.gz: offset [0-9]*: article skipped: article id z9 in the JSON, a1 in the header' '\"id\":\"z9\"'

# the latest version of a1 edited, its digest left stale: every reader
# refuses it, as verify does
cp -r "$C" "$T/stale"
python3 "$T/forge.py" "$T/stale/timtin-000001.warc.gz" digest
for cmd in "cat a1" ls export; do
    "$TC" --corpus "$T/stale" $cmd >"$T/sout" 2>"$T/serr"; rc=$?
    check "$cmd of an article whose latest block fails its digest: exit 1, file and offset said, the edit not shown" \
        bash -c "[ $rc -eq 1 ] && ! grep -q 'cẩu' '$T/sout' &&
            grep -q 'article a1: .*timtin-000001.warc.gz: offset [0-9]*: block digest mismatch' '$T/serr'"
done
index_skips "the indexer skips it with the same warning; the edit is not indexed" "$T/stale" \
    'timtin-000001.warc.gz: offset [0-9]*: block digest mismatch' 'cẩu'

# ---- usage errors, --help, --version ----
"$TC" --bogus ls >"$T/out" 2>"$T/err"; rc=$?
check "unknown option exits 2" [ "$rc" -eq 2 ]
check "unknown option: one line on stderr" [ "$(grep -c '' "$T/err")" -eq 1 ]
for args in "-Zq ls" "--quiet -Zq ls" "-qZ ls"; do
    # shellcheck disable=SC2086
    "$TC" $args >/dev/null 2>"$T/err"; rc=$?
    check "unknown short option ($args): exit 2, named" \
        bash -c "test $rc -eq 2 && grep -qx \"timtin-corpus: unknown option '-Z' (try --help)\" '$T/err'"
done
"$TC" frobnicate >/dev/null 2>"$T/err"; rc=$?
check "unknown command exits 2 with one line" [ "$rc" -eq 2 -a "$(grep -c '' "$T/err")" -eq 1 ]
"$TC" >/dev/null 2>&1; rc=$?
check "no command exits 2" [ "$rc" -eq 2 ]
check "--version" [ "$("$TC" --version)" = "timtin-corpus $(sed -n 's/^#define TT_VERSION "\(.*\)"/\1/p' "$TOP/lib/util.h")" ]
check "--help documents exit codes" sh -c "'$TC' --help | grep -q 'or corpus locked'"
# (a missing corpus directory: exit 3, at the end)
# standard output that cannot be written (here /dev/full): said, exit 3
if [ -w /dev/full ]; then
    for args in ls export "cat a1" stats verify --help --version; do
        # shellcheck disable=SC2086
        "$TC" $args >/dev/full 2>"$T/err"; rc=$?
        check "$args > /dev/full: exit 3, said" \
            bash -c "test $rc -eq 3 && grep -qx 'timtin-corpus: error writing standard output: No space left on device' '$T/err'"
    done
fi

# ---- the writer lock ----
if command -v flock >/dev/null; then
    exec 9>"$C/lock"
    flock -n 9
    echo $$ >&9 # a live writer's pid, as a writer records it
    "$TC" delete a1 2>"$T/err"; rc=$?
    check "a locked corpus: exit 3" [ "$rc" -eq 3 ]
    check "a locked corpus: says so" grep -q "is locked by another writer (pid $$)" "$T/err"
    exec 9>&-
    check "the lock is free again" "$TC" --quiet import "$T/export1.jsonl"
fi

# ---- verify while a writer appends: the record it is writing (a
# truncated last record of the newest file, the writer lock held) is
# being written, not bad; with no writer it is a write interrupted, which
# the next writer trims: not bad either ----
if command -v flock >/dev/null; then
    V=$T/appending
    "$TC" --corpus "$V" --quiet import "$T/in.jsonl" 2>/dev/null
    VW=$V/timtin-000001.warc.gz
    s0=$(stat -c %s "$VW")
    nrec=$("$TC" --corpus "$V" verify | cut -d' ' -f1)
    cp "$V/ids.idx" "$T/ids.before"
    echo '{"id": "a9", "title": "Bài đang ghi", "body": "Một đoạn văn đủ dài để cắt đôi."}' |
        "$TC" --corpus "$V" --quiet import -
    s1=$(stat -c %s "$VW")
    # as the writer leaves it mid-append: half the record, the index not
    # saved yet
    truncate -s $(( (s0 + s1) / 2 )) "$VW"
    cp "$T/ids.before" "$V/ids.idx"
    flock "$V/lock" "$TC" --corpus "$V" verify >"$T/av" 2>"$T/averr"; rc=$?
    sed 's/^/# /' "$T/av" "$T/averr"
    check "verify, a writer appending: exit 0, the record being written not counted bad" \
        bash -c "test $rc -eq 0 && grep -qx '$nrec records, 0 bad' '$T/av'"
    check "verify, a writer appending: says a record is being written, where" \
        grep -q "timtin-000001.warc.gz: offset $s0: a record being written (the writer lock is held): not checked" "$T/averr"
    "$TC" --corpus "$V" verify >"$T/av" 2>"$T/averr"; rc=$?
    check "verify, no writer: the same truncated record is a write interrupted, not bad (exit 0)" \
        bash -c "test $rc -eq 0 && grep -qx '$nrec records, 0 bad' '$T/av' && grep -q 'offset $s0: the last record is cut short (a write interrupted' '$T/averr'"
fi

# ---- file rotation ----
"$TC" --corpus "$T/rot" --max-file-size 1k --quiet import "$T/in.jsonl" 2>/dev/null
"$TC" --corpus "$T/rot" delete a1
nfiles=$(ls "$T/rot"/timtin-*.warc.gz | wc -l)
check "--max-file-size rotates files" [ "$nfiles" -ge 2 ]

# ---- an independent reader: npm's warcio lists every record ----
# (installed by make check's test-tools step: tests use no network)
WARCIO=$B/npm/node_modules/.bin/warcio
if [ -x "$WARCIO" ]; then
    for f in "$C"/timtin-*.warc.gz "$T/rot"/timtin-*.warc.gz; do
        "$WARCIO" index "$f"
    done >"$T/warcio" 2>"$T/warcio.err"
    want=$(( $("$TC" stats | sed -n 's/^records: //p') + $("$TC" --corpus "$T/rot" stats | sed -n 's/^records: //p') ))
    check "warcio lists every record timtin wrote ($want)" [ "$(grep -c '"warc-type"' "$T/warcio")" -eq "$want" ]
    check "warcio sees one warcinfo per file" \
        [ "$(grep -c '"warc-type":"warcinfo"' "$T/warcio")" -eq $((nfiles + 1)) ]
    check "warcio sees the article URLs" grep -q '"warc-target-uri":"https://tuoitre.vn/can-tho-1.htm"' "$T/warcio"
    check "warcio sees URNs for articles without a URL" grep -q '"warc-target-uri":"urn:timtin:article:12345"' "$T/warcio"
else
    echo "# skip: warcio check ($WARCIO missing: make test-tools BUILD=$B installs it)"
fi

# ---- SIGKILL in the middle of an import, then import again ----
python3 - "$T/big.jsonl" <<'EOF'
import json, random, sys
random.seed(7)
syl = "người việt nam cần thơ hà nội đà nẵng kinh tế phòng chống ủy ban nhân dân hòa bình khỏe mạnh thủy sản đường dương".split()
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        body = [" ".join(random.choice(syl) for _ in range(random.randint(20, 60))) for _ in range(3)]
        f.write(json.dumps({"id": "k%05d" % i, "title": " ".join(random.choice(syl) for _ in range(8)),
                            "body": body, "published": "2025-03-%02dT10:00:00+07:00" % (i % 28 + 1)},
                           ensure_ascii=False) + "\n")
EOF
K=$T/kill
"$TC" --corpus "$K" --quiet import "$T/big.jsonl" 2>"$T/kill1.err" &
pid=$!
# poll the corpus size until the import is well under way (about a third)
for ((i = 0; i < 2000; i++)); do
    size=$(stat -c %s "$K/timtin-000001.warc.gz" 2>/dev/null || echo 0)
    [ "$size" -ge 4500000 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
done
kill -9 $pid 2>/dev/null; killed=$?
wait $pid 2>/dev/null; rc=$?
check "the import was killed midway (at $size bytes)" [ "$killed" -eq 0 -a "$rc" -eq 137 ]
"$TC" --corpus "$K" import "$T/big.jsonl" 2>"$T/kill2.err"; rc=$?
check "import after the kill succeeds" [ "$rc" -eq 0 ]
sed 's/^/# /' "$T/kill2.err"
check "the second import stored only what was missing" python3 -c '
import re, sys
m = re.search(r"read (\d+), stored (\d+), unchanged (\d+)", open(sys.argv[1]).read())
r, s, u = map(int, m.groups())
sys.exit(0 if r == 20000 and s + u == 20000 and 0 < s < 20000 and u > 0 else 1)' "$T/kill2.err"
"$TC" --corpus "$K" verify >"$T/kv" 2>&1; rc=$?
check "verify passes after the kill" [ "$rc" -eq 0 ]
"$TC" --corpus "$K" export >"$T/kill.export"
check "export has every id exactly once" python3 -c '
import json, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
sys.exit(0 if len(ids) == 20000 and len(set(ids)) == 20000 else 1)' "$T/kill.export"
check "stats agree: 20000 articles, 20000 versions" \
    sh -c "'$TC' --corpus '$K' stats | grep -qx 'articles: 20000' && '$TC' --corpus '$K' stats | grep -qx 'article versions: 20000'"

# The kill may land on a record boundary (right after a flush); a torn
# last record, as a kill inside a write leaves, is cut off at the next open.
W=$K/timtin-000001.warc.gz
truncate -s $(( $(stat -c %s "$W") - 100 )) "$W"
"$TC" --corpus "$K" import "$T/big.jsonl" 2>"$T/kill3.err"; rc=$?
check "import after a torn last record succeeds" [ "$rc" -eq 0 ]
check "the torn record is dropped with a warning" \
    grep -q "timtin-000001.warc.gz: dropped truncated record at offset [0-9]* ([0-9]* bytes; crash during append?)" "$T/kill3.err"
check "and stored again (once)" grep -q "read 20000, stored 1, unchanged 19999" "$T/kill3.err"
"$TC" --corpus "$K" verify >"$T/kv" 2>&1; rc=$?
check "verify passes after the torn record" [ "$rc" -eq 0 ]
check "export still has every id exactly once" python3 -c '
import json, sys
ids = [json.loads(l)["id"] for l in sys.stdin]
sys.exit(0 if len(ids) == 20000 and len(set(ids)) == 20000 else 1)' < <("$TC" --corpus "$K" export)

# ---- a write that fails (the file size limit: EFBIG, as a full disk
# gives ENOSPC) stops the import, keeps what was stored, and the next
# import stores the rest ----
F=$T/full
"$TC" --corpus "$F" import --quiet "$TOP/corpus/samples/articles.jsonl"
"$TC" --corpus "$F" export >"$T/full-before.jsonl"
head -n 3000 "$T/big.jsonl" >"$T/big3k.jsonl"
limit=$(( ($(stat -c %s "$F/timtin-000001.warc.gz") + 300 * 1024) / 1024 ))
(ulimit -f "$limit"; trap '' XFSZ; "$TC" --corpus "$F" import "$T/big3k.jsonl") 2>"$T/full.err"; rc=$?
check "storage error: exit 3" [ "$rc" -eq 3 ]
check "storage error: named with its file, said once" \
    test "$(grep -c 'timtin-000001.warc.gz: File too large' "$T/full.err")" -eq 1
check "storage error: the summary says what to do" grep -q 'importing again stores the rest' "$T/full.err"
"$TC" --corpus "$F" export | head -n "$(wc -l <"$T/full-before.jsonl")" >"$T/full-after.jsonl"
check "storage error: the articles stored before are intact" cmp -s "$T/full-before.jsonl" "$T/full-after.jsonl"
"$TC" --corpus "$F" import "$T/big3k.jsonl" 2>"$T/full2.err"; rc=$?
check "after the storage error: the next import succeeds" [ "$rc" -eq 0 ]
"$TC" --corpus "$F" verify >/dev/null 2>&1; rc=$?
check "after the storage error: verify passes" [ "$rc" -eq 0 ]
check "after the storage error: every article once" python3 -c '
import json, sys
ids = [json.loads(l)["id"] for l in sys.stdin]
sys.exit(0 if len(ids) == 3036 and len(set(ids)) == 3036 else 1)' < <("$TC" --corpus "$F" export)

# ---- an article whose stored form would be larger than a reader takes
# (ARTICLE_MAX_JSON): the stored JSON can outgrow its input line (U+2028
# is 3 bytes of UTF-8 and 6 of JSON escape), so import refuses it by its
# stored size, as a bad line, and stores the others ----
max=$(( $(sed -n 's/^#define ARTICLE_MAX_JSON (\([0-9]*\)u << \([0-9]*\)).*/\1 << \2/p' "$TOP/lib/article.h") ))
python3 - "$max" "$T/huge.jsonl" <<'EOF'
import json, sys
n = int(sys.argv[1]) // 6 + 1000   # stored: 6 bytes a character, over the limit
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "ok-1", "title": "Trước"}) + "\n")
    f.write(json.dumps({"id": "huge", "title": "t", "sapo": "\u2028" * n}, ensure_ascii=False) + "\n")
    f.write(json.dumps({"id": "ok-2", "title": "Sau"}) + "\n")
EOF
check "the huge line itself is under the limit" [ "$(sed -n 2p "$T/huge.jsonl" | wc -c)" -lt "$max" ]
H=$T/hugec
"$TC" --corpus "$H" import "$T/huge.jsonl" 2>"$T/err"; rc=$?
check "an article stored larger than a reader takes: refused, exit 1" [ "$rc" -eq 1 ]
check "... reported as FILE:LINE: reason" grep -q "huge.jsonl:2: article huge: larger than $max bytes once stored" "$T/err"
check "... the others stored" grep -q "read 3, stored 2, unchanged 0, failed 1" "$T/err"
check "... nothing of it stored: ls, verify" \
    bash -c "'$TC' --corpus '$H' ls | cut -f1 | tr '\n' ' ' | grep -qx 'ok-1 ok-2 ' && '$TC' --corpus '$H' verify >/dev/null 2>&1"
"$TC" --corpus "$H" cat huge >/dev/null 2>"$T/err"; rc=$?
check "... cat: no such article (exit 1)" bash -c "[ $rc -eq 1 ] && grep -q 'no article huge' '$T/err'"

# ---- durability: what import and delete store is fsynced before they
# exit (the WARC files, the id index, the directory that names a new
# file), as the crawler does; --no-sync fsyncs nothing.  From strace's
# record (skipped where strace is missing or may not trace) ----
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
    nolsan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
    python3 - "$T/dur.jsonl" <<'EOF2'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1500):   # past one flush of 1,000 lines
        f.write(json.dumps({"id": "d%d" % i, "title": "Tin số %d" % i,
                            "body": "Nội dung bài %d." % i}, ensure_ascii=False) + "\n")
EOF2
    tr=(strace -f -y -qq -e trace=write,writev,pwrite64,fsync,fdatasync,rename,openat)
    ASAN_OPTIONS=$nolsan "${tr[@]}" -o "$T/imp.trace" "$TC" --corpus "$T/cdur" --max-file-size 64k \
        --quiet import "$T/dur.jsonl"
    rc=$?
    ASAN_OPTIONS=$nolsan "${tr[@]}" -o "$T/del.trace" "$TC" --corpus "$T/cdur" delete d7
    rc2=$?
    check "durability: import and delete succeed under strace" [ "$rc" -eq 0 -a "$rc2" -eq 0 ]
    check "durability: every file written is fsynced after its last write, the directory after a new name" \
        python3 - "$T/imp.trace" "$T/del.trace" <<'EOF2'
import re, sys
ok = True
for trace in sys.argv[1:]:
    last, synced, renamed_to, dirsync, files = {}, {}, [], 0, set()
    for n, line in enumerate(open(trace, errors="replace")):
        m = re.match(r'\d+\s+rename\("[^"]*", "([^"]*)"\)', line)
        if m:
            renamed_to.append((n, m.group(1)))
            continue
        m = re.match(r'\d+\s+(\w+)\(\d+<([^>]*)>', line)
        if not m:
            continue
        call, path = m.groups()
        if call in ("fsync", "fdatasync"):
            synced[path] = n
            if not path.endswith((".gz", ".idx", ".tmp")):
                dirsync = n
        elif call != "openat" and re.search(r"/(timtin-\d+\.warc\.gz|ids\.idx\.tmp)$", path):
            last[path] = n
            files.add(path)
    warcs = [p for p in files if p.endswith(".warc.gz")]
    for p, n in last.items():
        if synced.get(p, -1) < n:
            print("not fsynced after its last write:", trace, p)
            ok = False
    if not warcs or not any(p.endswith(".tmp") for p in files):
        print("no WARC or index write seen in", trace)
        ok = False
    if renamed_to and dirsync < renamed_to[-1][0]:
        print("directory not fsynced after the last rename:", trace)
        ok = False
    if trace.endswith("imp.trace") and len(warcs) < 2:
        print("expected several WARC files (--max-file-size 64k):", warcs)
        ok = False
sys.exit(0 if ok else 1)
EOF2
    ASAN_OPTIONS=$nolsan strace -f -qq -e trace=fsync,fdatasync -o "$T/nosync.trace" \
        "$TC" --corpus "$T/cdur2" --no-sync --quiet import "$T/dur.jsonl"
    rc=$?
    check "--no-sync: an import fsyncs nothing" bash -c "[ $rc -eq 0 ] && ! grep -q sync '$T/nosync.trace'"
    check "--no-sync: what it stored is all there" \
        bash -c "[ \$('$TC' --corpus '$T/cdur2' ls | wc -l) -eq 1500 ] && '$TC' --corpus '$T/cdur2' verify >/dev/null"
else
    echo "# skip: durability (strace missing, or not allowed to trace)"
fi

# a --corpus that is not there (mistyped): exit 3 (I/O), said, as for a
# path that is a file, so a script tells it from an unknown id (exit 1)
: >"$T/plainfile"
for args in ls export stats verify "cat x" "delete x"; do
    for p in "$T/none" "$T/plainfile"; do
        # shellcheck disable=SC2086
        "$TC" --corpus "$p" $args >/dev/null 2>"$T/err"; rc=$?
        check "--corpus ${p#$T/} $args: exit 3, the path named" \
            bash -c "[ $rc -eq 3 ] && grep -qF 'corpus $p: ' '$T/err'"
    done
done
check "--help: exit 3 covers a missing corpus directory" \
    bash -c "'$TC' --help | tr '\n' ' ' | grep -q '3 I/O error (a missing or unreadable corpus directory'"

done_testing
