#!/usr/bin/env bash
# corpus_purge.sh — timtin-corpus purge, for text that must be gone from
# the archive (a takedown): a crawled corpus (articles and the pages they
# came from) with a correction of one article; purge it; no byte of its
# text is left in the WARC files (zcat), every other record is where it
# was, cat/ls/export/verify/stats read the corpus, the incremental indexer
# removes it from dbs checkpointed before and after its records and
# indexes what comes after, and a purge killed at each of its steps
# (TIMTIN_TEST_PURGE_KILL) is finished by the next writer.  The db's
# free pages: the words of a deleted article are gone after --compact.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
TC=$B/timtin-corpus
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-sitegen" ] || skip "timtin-crawl or timtin-sitegen not built"
command -v python3 >/dev/null || skip "python3 missing"

field() { sed -n "${1}p" "$S" | python3 -c "import json,sys; a=json.load(sys.stdin); v=a[sys.argv[1]]; print(v[0] if isinstance(v, list) else v)" "$2"; }
# zhas FILE... PHRASE: how many lines of the inflated corpus hold PHRASE
zhas() { local p=${*: -1}; zcat "${@:1:$#-1}" | grep -a -c -F -- "$p"; }
stat_of() { "$TC" --corpus "$1" stats | awk -F': ' -v k="$2" '$1 == k { print $2 }'; }
hits() { "$B/timtin-search" --db "$1" --json --limit 1000 "$2" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))'; }
ids_in() { "$B/timtin-search" --db "$1" --json --limit 1000 "$2" | python3 -c 'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin)["results"]))'; }

# the victim: the 10th sample (not among the first 5, imported before
# dbB's checkpoint); phrases of its title and body
VID=$(field 10 id)
VTITLE=$(field 10 title)
VBODY=$(field 10 body | cut -c1-40)
VSAPO=$(field 10 sapo | cut -c1-40)
OTHER_TITLE=$(field 11 title)
VLAST=$(sed -n 10p "$S" | python3 -c 'import json,sys; print(json.load(sys.stdin)["body"][-1][:60])')
# (its title and lead stay in the pages of other articles that link to
# it, a related-news box: their records, which a purge of this id does
# not touch; its body is its own)
# holders FILE PHRASE: the WARC-Target-URI of each record holding PHRASE
holders() { python3 - "$1" "$2" <<'PY'
import sys, zlib
data, want = open(sys.argv[1], "rb").read(), sys.argv[2].encode()
off = 0
while off < len(data):
    d = zlib.decompressobj(31)
    text = d.decompress(data[off:])
    off = len(data) - len(d.unused_data)
    if want in text:
        uri = [l for l in text.split(b"\r\n") if l.startswith(b"WARC-Target-URI: ")]
        print(uri[0].decode() if uri else "(none)")
PY
}

# ---- a corpus: 5 imported, then the site crawled, then a correction ----
C=$T/c
head -5 "$S" >"$T/first5.jsonl"
"$TC" --corpus "$C" --quiet import "$T/first5.jsonl"
"$B/timtin-index" --corpus "$C" --db "$T/dbB" --quiet --no-sync # checkpoint before the victim's records
"$B/timtin-sitegen" --quiet --page-size 5 "$T/site" "$S"
serve_site "$T/site" "$T/server.log" || { fail "the site is served"; exit 1; }
"$B/timtin-crawl" --profile tuoitre --base-url "$SERVED" --corpus "$C" --delay 0 --quiet 2>"$T/crawl.err"
check "the crawl stores the site" [ "$(stat_of "$C" responses)" -ge 31 ]
sed -n 10p "$S" | python3 -c '
import json, sys
a = json.load(sys.stdin)
a["title"] += " (đã đính chính)"
print(json.dumps(a, ensure_ascii=False))' >"$T/fix.jsonl"
"$TC" --corpus "$C" --quiet import "$T/fix.jsonl"
"$B/timtin-index" --corpus "$C" --db "$T/dbA" --quiet --no-sync # checkpoint after them
ntitle=$(zhas "$C"/*.warc.gz "$VTITLE")
check "before: the title is in the corpus (versions and pages)" [ "$ntitle" -ge 3 ]
echo "# before: title $ntitle, lead $(zhas "$C"/*.warc.gz "$VSAPO"), body $(zhas "$C"/*.warc.gz "$VBODY") and $(zhas "$C"/*.warc.gz "$VLAST") lines"
check "before: the lead and body are in the corpus (versions and page)" \
    [ "$(zhas "$C"/*.warc.gz "$VBODY")" -ge 2 -a "$(zhas "$C"/*.warc.gz "$VLAST")" -ge 1 -a "$(zhas "$C"/*.warc.gz "$VSAPO")" -ge 3 ]
check "before: the db finds it" [ "$(ids_in "$T/dbA" "\"$VTITLE\"" | grep -c "$VID")" -eq 1 ]
records=$(stat_of "$C" records)
versions=$(stat_of "$C" 'article versions')
cp -a "$C" "$T/pristine"
# offsets of every member, before
members() { python3 - "$@" <<'PY'
import sys, zlib
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    off = 0
    while off < len(data):
        d = zlib.decompressobj(31)
        text = d.decompress(data[off:])
        end = len(data) - len(d.unused_data)
        kind = text.split(b"\r\n")[1].decode()
        print(path.rsplit("/", 1)[1], off, end - off, kind)
        off = end
PY
}
members "$C"/*.warc.gz >"$T/before.members"

# ---- the purge ----
"$TC" --corpus "$C" purge "$VID" 2>"$T/purge.err"; rc=$?
cat "$T/purge.err" | sed 's/^/# /'
check "purge: exit 0" [ "$rc" -eq 0 ]
check "purge: the summary counts the records, bytes and files" \
    grep -Eq "purged 1 article: [3-9] records overwritten in place \(2 article versions, [1-9][0-9]* responses?\), [0-9]+ bytes, in 1 file \(timtin-000001.warc.gz\); 1 deletion marker appended" "$T/purge.err"
check "purge: the summary says what it cannot reach" \
    grep -q 'not reached: copies made before (backups.*--corpus BACKUP purge ID.*timtin-index runs.*--compact' "$T/purge.err"
check "after: no byte of its body in the corpus (zcat)" \
    [ "$(zhas "$C"/*.warc.gz "$VBODY")" -eq 0 -a "$(zhas "$C"/*.warc.gz "$VLAST")" -eq 0 ]
holders "$C/timtin-000001.warc.gz" "$VSAPO" >"$T/holders"
holders "$C/timtin-000001.warc.gz" "$VTITLE" >>"$T/holders"
sed 's/^/# title or lead left in: /' "$T/holders"
check "after: its title and lead only in other articles' pages (links to it)" \
    sh -c "[ $(zhas "$C"/*.warc.gz "$VTITLE") -le $((ntitle - 3)) ] && ! grep -q -e '$VID' -e 'urn:timtin' '$T/holders'"
check "after: no record of its id or URL but the deletion marker" \
    [ "$(zcat "$C"/*.warc.gz | grep -a -c -e "^WARC-Timtin-Article-Id: $VID" -e "^WARC-Target-URI: .*-$VID.htm")" -eq 1 ]
check "after: the other articles are there" [ "$(zhas "$C"/*.warc.gz "$OTHER_TITLE")" -ge 2 ]
check "zcat reads every member to the end" sh -c "zcat '$C'/*.warc.gz >/dev/null"
members "$C"/*.warc.gz >"$T/after.members"
check "every record where it was, of the same length (one more: the marker)" \
    bash -c "diff <(cut -d' ' -f1-3 '$T/before.members') <(head -n $(wc -l <"$T/before.members") '$T/after.members' | cut -d' ' -f1-3) >/dev/null &&
           [ $(($(wc -l <"$T/before.members") + 1)) -eq $(wc -l <"$T/after.members") ]"
npurged=$(grep -c 'WARC-Type: metadata' "$T/after.members")
check "the purged records read as WARC metadata records" [ "$npurged" -ge 3 ]
"$TC" --corpus "$C" verify >"$T/out" 2>"$T/err"; rc=$?
check "verify: exit 0, every record good" sh -c "[ $rc -eq 0 ] && grep -qx '$((records + 1)) records, 0 bad' '$T/out'"
check "stats: the purged records counted" [ "$(stat_of "$C" 'purged records')" = "$npurged" ]
check "stats: the versions left" [ "$(stat_of "$C" 'article versions')" = $((versions - 2)) ]
"$TC" --corpus "$C" cat "$VID" >"$T/out" 2>"$T/err"; rc=$?
check "cat ID: deleted (exit 1, as any deleted id)" sh -c "[ $rc -eq 1 ] && grep -q 'article $VID is deleted' '$T/err' && [ ! -s '$T/out' ]"
for cmd in ls export; do
    "$TC" --corpus "$C" $cmd >"$T/out" 2>"$T/err"; rc=$?
    check "$cmd: exit 0, quiet, without it" sh -c "[ $rc -eq 0 ] && [ ! -s '$T/err' ] && ! grep -q '$VID' '$T/out' && [ \$(wc -l <'$T/out') -eq 35 ]"
done
rm "$C/ids.idx"
"$TC" --corpus "$C" stats >"$T/stats2" 2>"$T/err"
check "the id index rebuilt from the files counts the same" \
    sh -c "[ ! -s '$T/err' ] && grep -qx 'purged records: $npurged' '$T/stats2' && grep -qx 'articles: 35' '$T/stats2'"
"$TC" --corpus "$C" purge "$VID" 2>"$T/err"; rc=$?
check "purge again: nothing left to overwrite, exit 0" sh -c "[ $rc -eq 0 ] && grep -q 'purged 1 article: 0 records overwritten in place' '$T/err'"
"$TC" --corpus "$C" purge no-such-id 2>"$T/err"; rc=$?
check "purge of an unknown id: exit 1, said" sh -c "[ $rc -eq 1 ] && grep -q 'no article no-such-id' '$T/err'"
WARCIO=$B/npm/node_modules/.bin/warcio
if [ -x "$WARCIO" ]; then
    "$WARCIO" index "$C"/timtin-000001.warc.gz >"$T/warcio" 2>"$T/warcio.err"
    check "warcio reads every record" sh -c "[ \$(grep -c '\"warc-type\"' '$T/warcio') -eq $((records + 1)) ] && grep -q '\"warc-type\":\"metadata\"' '$T/warcio'"
fi

# ---- the incremental indexer, checkpointed after and before them ----
echo '{"id":"after-purge-1","title":"Tin mới sau khi gỡ bài zqxafter","body":["Nội dung zqxafter."],"published":"2024-06-01T08:00:00+07:00"}' >"$T/new.jsonl"
"$TC" --corpus "$C" --quiet import "$T/new.jsonl"
for db in dbA dbB; do
    "$B/timtin-index" --corpus "$C" --db "$T/$db" --no-sync >"$T/idx.out" 2>"$T/idx.err"; rc=$?
    check "$db: the incremental run exits 0, no warning" sh -c "[ $rc -eq 0 ] && ! grep -q warning '$T/idx.err'"
    check "$db: the purged article is gone" [ -z "$(ids_in "$T/$db" "\"$VTITLE\"" | grep "$VID")" ]
    check "$db: the one after it is found" [ "$(hits "$T/$db" zqxafter)" -eq 1 ]
    check "$db: the others are still found" [ "$(hits "$T/$db" "\"$OTHER_TITLE\"")" -ge 1 ]
done

# ---- the db's free pages: a deleted article's words until --compact ----
D=$T/dbA
"$TC" --corpus "$C" --quiet delete after-purge-1
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync
n=$(grep -rl -a zqxafter "$D" | wc -l)
echo "# after a delete and timtin-index, $n db files still hold the word (free pages)"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync --compact
check "after timtin-index --compact, no db file holds the deleted article's word" \
    [ "$(grep -rl -a zqxafter "$D" | wc -l)" -eq 0 ]

# ---- a purge killed at each step, finished by the next writer ----
for point in journal marker 1 overwritten; do
    K=$T/kill-$point
    cp -a "$T/pristine" "$K"
    TIMTIN_TEST_PURGE_KILL=$point "$TC" --corpus "$K" purge "$VID" 2>/dev/null; rc=$?
    check "killed at $point: SIGKILL (exit 137), the journal left" sh -c "[ $rc -eq 137 ] && [ -f '$K/purge.journal' ]"
    "$TC" --corpus "$K" ls >"$T/out" 2>"$T/err"; rc=$?
    check "killed at $point: a reader says a purge is pending, and reads" \
        sh -c "[ $rc -le 1 ] && grep -q 'purge.journal: a purge is under way or was interrupted' '$T/err'"
    "$TC" --corpus "$K" --quiet import /dev/null 2>"$T/err"; rc=$?
    check "killed at $point: the next writer finishes it" \
        sh -c "[ $rc -eq 0 ] && grep -q 'purge.journal: a purge was interrupted; finishing it' '$T/err' && [ ! -e '$K/purge.journal' ]"
    check "killed at $point: no byte of its text left" \
        sh -c "[ $(zhas "$K"/*.warc.gz "$VLAST") -eq 0 ] && [ $(zhas "$K"/*.warc.gz "$VBODY") -eq 0 ]"
    "$TC" --corpus "$K" verify >"$T/out" 2>&1; rc=$?
    check "killed at $point: verify exit 0, one deletion marker, the same purged count" \
        sh -c "[ $rc -eq 0 ] && [ '$(stat_of "$K" deletions)' = 1 ] && [ '$(stat_of "$K" 'purged records')' = $npurged ] && [ '$(stat_of "$K" articles)' = 35 ]"
    "$TC" --corpus "$K" cat "$VID" >/dev/null 2>"$T/err"
    check "killed at $point: cat says it is deleted" grep -q "article $VID is deleted" "$T/err"
done

# ---- a backup purged the same way ----
"$TC" --corpus "$T/pristine" --quiet purge "$VID"
check "a backup purged with --corpus BACKUP purge ID" [ "$(zhas "$T/pristine"/*.warc.gz "$VBODY")" -eq 0 ]

"$TC" --help | grep -q '^  purge ID' && ok "--help documents purge" || fail "--help documents purge"
done_testing
