#!/usr/bin/env bash
# timtin-crawl --reextract: a site redesigned under a profile that missed
# it (articles stored with their first paragraph and a caption for body,
# and no date); the profile fixed; the articles extracted again from the
# pages the corpus stored, with the site's server stopped (nothing can be
# fetched): new versions with the whole body, referring to the same
# response records; timtin-index then finds the fixed text, replacing the
# old versions; a second run changes nothing; --dry-run writes nothing;
# an article imported from JSONL (no page) is skipped and counted; a page
# that is no article now, a response whose block was damaged and one
# whose gzip member was are each said and left as they are, the run going
# on; one id of a corpus of many records has its page read where the id
# index keeps it, with no scan of the corpus (--verbose says so).  A small
# site written here, served by tests/server.py; readiness probes, never
# sleeps.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-corpus" ] && [ -x "$B/timtin-index" ] &&
    [ -x "$B/timtin-search" ] || skip "timtin-crawl, timtin-corpus, timtin-index or timtin-search not built"
command -v python3 >/dev/null || skip "python3 missing"

P1='Sáng nay, đoàn kiểm tra của thành phố đã đến thăm khu chợ nổi mới xây bên bờ sông, nơi hàng trăm ghe thuyền chở trái cây và rau xanh tụ họp từ lúc trời còn tối.'
P2='Theo ban quản lý, chợ nổi sẽ mở cửa quanh năm và có thêm bến đỗ cho khách du lịch, nhà vệ sinh công cộng cùng một trạm cứu hộ đường thuỷ hoạt động cả ngày lẫn đêm.'
P3='Người dân trong vùng cho biết họ mong chợ sớm đi vào nề nếp, giá cả minh bạch và không còn cảnh chen lấn khi nước ròng, để nghề buôn bán trên sông được giữ gìn lâu dài.'
LD='<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2026-11-30T09:00:00+07:00"}</script>'
META='<meta property="article:published_time" content="2026-11-30T09:00:00+07:00">'
# page PATH HEAD BODY: an HTML page of the site
S=$T/site C=$T/corpus PROF=$T/profiles
mkdir -p "$S/a" "$PROF"
page() {
    printf '<html><head><meta charset="utf-8">%s<title>t</title></head><body>%s</body></html>\n' "$2" "$3" >"$S/$1"
}
# the new layout: the date in JSON-LD only, the body's first paragraph
# and a photo in div.c, the rest in div.tiep (with a link-only line)
newpage() { # PATH TITLE WORD
    page "$1" "$LD" "<h1>$2</h1><div class=\"khung\"><div class=\"c\"><p>$P1</p><div class=\"anh\"><img src=\"/x.jpg\"><p class=\"chuthich\">Ghe thuyền trên sông - Ảnh: Minh Khang</p></div></div><div class=\"tiep\"><p>$P2 $3</p><p>$P3</p><p><a href=\"/a/old1.htm\">Chợ nổi mùa nước nổi</a></p></div></div>"
}
page a/old1.htm "$META" "<h1>Bài trước đợt đổi giao diện</h1><div class=\"c\"><p>$P1</p><p>$P2 truocdoi</p></div>"
newpage a/new1.htm 'Chợ nổi mới mở cửa' bodymotchu
newpage a/new2.htm 'Bến đỗ cho khách du lịch' bodyhaichu
newpage a/dmg1.htm 'Bài có trang hỏng một' hongmot
newpage a/dmg2.htm 'Bài có trang hỏng hai' honghai
# stored as an article by the wrong profile: an advertisement
page a/ad1.htm "$META" '<h1>Khuyến mãi</h1><div class="c"><p class="quangcao">Mua một tặng một, chỉ trong hôm nay tại cửa hàng gần nhất.</p></div>'
printf 'User-agent: *\nAllow: /\n' >"$S/robots.txt"
{ printf '<html><body>'; for p in old1 new1 new2 dmg1 dmg2 ad1; do printf '<a href="/a/%s.htm">x</a> ' $p; done; printf '</body></html>\n'; } >"$S/index.htm"
serve_site "$S" "$T/s.log" || { fail "the site serves"; exit 1; }
U=$SERVED

profile() { # LINES...: $PROF/red.conf
    {
        printf 'name = red\nbase = %s\nseed = /\narticle = ^/a/([a-z0-9]+)\\.htm$\n' "$U"
        printf '%s\n' "$@"
    } >"$PROF/red.conf"
}
crawl() { "$B/timtin-crawl" --no-sync --profiles-dir "$PROF" "$@"; }
field() { # ID EXPR: EXPR of the article's JSON (as a, in python)
    "$B/timtin-corpus" --corpus "$C" cat "$1" | python3 -c "
import json, sys
a = json.load(sys.stdin)
print($2)"
}
warcs_sum() { cat "$C"/*.warc.gz | md5sum; }
# the article records of the corpus, as "ID<TAB>Refers-To<TAB>response
# field", and every response record's id, one per line "response ID"
records() {
    python3 - "$C" <<'EOF'
import glob, json, sys, zlib
for f in sorted(glob.glob(sys.argv[1] + "/*.warc.gz")):
    data = open(f, "rb").read()
    while data:
        d = zlib.decompressobj(31)
        try:
            rec = d.decompress(data)
        except zlib.error: # a damaged member: on to the next one
            nxt = data.find(b"\x1f\x8b\x08", 1)
            data = data[nxt:] if nxt > 0 else b""
            continue
        data = d.unused_data
        head, _, block = rec.partition(b"\r\n\r\n")
        h = dict(l.split(": ", 1) for l in head.decode().split("\r\n")[1:])
        if h.get("WARC-Type") == "response":
            print("response", h["WARC-Record-ID"])
        elif "WARC-Timtin-Article-Id" in h:
            a = json.loads(block.decode())
            print(a["id"], h.get("WARC-Refers-To", "-"), a.get("response", "-"), sep="\t")
EOF
}
versions() { records | grep -c "^$1	"; }

# ---- the wrong profile: the redesign missed ----
profile 'title = h1' 'published = meta[property=article:published_time] @content' \
    'content = div.c' 'body = p'
crawl --corpus "$C" --profile red --delay 0 2>"$T/c1.err"
check "wrong profile: the articles stored" bash -c "
    '$B/timtin-corpus' --corpus '$C' ls | cut -f1 | sort | tr '\n' ' ' | grep -qx 'ad1 dmg1 dmg2 new1 new2 old1 '"
check "wrong profile: new1 stored degraded (first paragraph and the caption, no date)" \
    test "$(field new1 'len(a["body"]), "caption" in a["body"][1].lower() or "Ảnh" in a["body"][1], a.get("published"), a.get("captions")')" = "2 True None None"
"$B/timtin-index" --corpus "$C" --db "$T/db" --no-sync >"$T/i1.out" 2>&1
check "first index: the text the profile missed is not searchable" bash -c "
    '$B/timtin-search' --db '$T/db' --json bodymotchu | python3 -c '
import json, sys
sys.exit(json.load(sys.stdin)[\"total\"] != 0)'"

# an article imported from JSONL (no page), another site's, and damage:
# dmg1's response with a changed body under its old digest, dmg2's with
# a byte of its gzip member flipped
printf '%s\n' '{"id":"imp1","title":"Bài nhập từ tệp","body":["Một bài báo được nhập từ tệp JSONL, không có trang nào được lưu."],"source":"red"}' \
    '{"id":"oth1","title":"Bài của trang khác","body":["Một bài của một trang khác."],"source":"khac"}' >"$T/imp.jsonl"
"$B/timtin-corpus" --corpus "$C" import "$T/imp.jsonl" 2>"$T/imp.err"
check "imported" test "$(field imp1 'a.get("response")')" = None
python3 - "$C" "$U" <<'EOF'
import glob, gzip, os, sys, zlib
c, u = sys.argv[1], sys.argv[2]
f = sorted(glob.glob(c + "/*.warc.gz"))[0]
def damage(url, how):
    data = open(f, "rb").read()
    off = 0
    while off < len(data):
        d = zlib.decompressobj(31)
        rec = d.decompress(data[off:])
        end = len(data) - len(d.unused_data)
        if b"WARC-Type: response" in rec and (b"WARC-Target-URI: " + url.encode() + b"\r\n") in rec:
            if how == "block":
                # the member's length kept, as bit rot keeps it: the
                # records after it stay where the db's checkpoint has them
                # (timtin-index below is incremental)
                new = next((m for sub in (b"hongb", b"hongc", b"hongd",
                                          b"hongk", b"hongl", b"hongn",
                                          b"hongp", b"hongs", b"hongt")
                            for lvl in range(1, 10)
                            for m in [gzip.compress(
                                rec.replace(b"hongmot", sub + b"on"),
                                compresslevel=lvl, mtime=0)]
                            if len(m) == end - off), None)
                if new is None:
                    sys.exit("no damage of the member's length")
            else:
                mid = off + (end - off) // 2
                new = data[off:mid] + bytes([data[mid] ^ 0x55]) + data[mid + 1:end]
            open(f, "wb").write(data[:off] + new + data[end:])
            return
        off = end
    sys.exit("no response for " + url)
damage(u + "/a/dmg1.htm", "block")
damage(u + "/a/dmg2.htm", "gzip")
os.remove(c + "/ids.idx")
EOF
[ $? -eq 0 ] || fail "the damage done"

# ---- the server stopped: nothing can be fetched from here on ----
kill "$SERVED_PID"
wait "$SERVED_PID" 2>/dev/null
check "the site is down" bash -c "! curl -sf -o /dev/null '$U/robots.txt'"
nlog=$(wc -l <"$T/s.log")

# the operator fixes the profile: the new layout's rules first
profile 'title = h1' 'published = jsonld:datePublished' \
    'published = meta[property=article:published_time] @content' \
    'content = div.khung' 'content = div.c' 'body = p' \
    'figure = div.anh' 'caption = p.chuthich' 'drop = p.quangcao'

# ---- --dry-run: says what would change, writes nothing ----
before=$(warcs_sum)
crawl --corpus "$C" --profile red --reextract --dry-run >"$T/d.out" 2>"$T/d.err"
rc=$?
check "dry run: exit 1 (articles that could not be re-extracted)" test $rc -eq 1
check "dry run: the WARC files untouched" test "$(warcs_sum)" = "$before"
check "dry run: the new versions printed as JSONL" bash -c "
    python3 -c '
import json, sys
ids = sorted(json.loads(l)[\"id\"] for l in open(sys.argv[1]))
sys.exit(ids != [\"new1\", \"new2\"])' '$T/d.out'"
check "dry run: what would change said, by field" \
    grep -q "article new1: would change: body, captions, published" "$T/d.err"
check "dry run: the summary" grep -q "re-extraction of red: 3 articles re-extracted: 2 changed (--dry-run: nothing appended), 1 unchanged; 1 skipped (no page stored); 3 failed" "$T/d.err"
crawl --corpus "$C" --profile red --reextract --dry-run >/dev/full 2>"$T/full.err"
check "dry run into /dev/full: exit 1, standard output named" bash -c "
    test $? -eq 1 && grep -q 'output error, the re-extraction stopped: standard output' '$T/full.err'"

# ---- the re-extraction ----
crawl --corpus "$C" --profile red --reextract >"$T/r1.out" 2>"$T/r1.err"
rc=$?
check "reextract: exit 1 (three articles left as they are)" test $rc -eq 1
check "reextract: the summary" grep -q "re-extraction of red: 3 articles re-extracted: 2 changed (new versions appended), 1 unchanged; 1 skipped (no page stored); 3 failed (left as they are)" "$T/r1.err"
check "reextract: timtin-index named" grep -q "timtin-index (incremental) makes the new versions searchable" "$T/r1.err"
check "reextract: nothing on standard output" test ! -s "$T/r1.out"
check "reextract: nothing fetched (the server's log as it was)" test "$(wc -l <"$T/s.log")" = "$nlog"
check "reextract: new1 has its whole body, its caption and its date" \
    test "$(field new1 'len(a["body"]), "bodymotchu" in a["body"][1], a["captions"], a["published"]')" = \
    "3 True ['Ghe thuyền trên sông - Ảnh: Minh Khang'] 2026-11-30T09:00:00+07:00"
check "reextract: the link-only line left out" bash -c "! '$B/timtin-corpus' --corpus '$C' cat new1 | grep -q 'mùa nước nổi'"
check "reextract: the page that is no article now said" \
    grep -q 'article ad1: not an article now: no body (its page: .*timtin-000001.warc.gz: offset [0-9]*): left as it is' "$T/r1.err"
check "reextract: the page that is no article now left as it is" test "$(versions ad1)" = 1
check "reextract: the damaged response said with file and offset" \
    grep -q "article dmg1: its page cannot be read: .*timtin-000001.warc.gz: offset [0-9]*: block digest mismatch: left as it is" "$T/r1.err"
check "reextract: the unreadable record said with file and offset, and the article" bash -c "
    grep -q 'warning: .*timtin-000001.warc.gz: offset [0-9]*: ' '$T/r1.err' &&
    grep -q 'article dmg2: its page (response <urn:uuid:.*>) is in no record the corpus can read: it may be the damage said above' '$T/r1.err'"
check "reextract: the damaged ones keep one version" test "$(versions dmg1) $(versions dmg2)" = "1 1"
check "reextract: the unchanged article got no new version" test "$(versions old1)" = 1
check "reextract: the imported article untouched" test "$(versions imp1)" = 1
check "reextract: the other site's article untouched" test "$(versions oth1)" = 1
records >"$T/recs"
v1=$(grep '^new1	' "$T/recs" | head -1 | cut -f3)
check "reextract: new1's new version refers to the response it was stored from" bash -c "
    test \$(grep -c '^new1	' '$T/recs') = 2 &&
    grep '^new1	' '$T/recs' | tail -1 | grep -qxF 'new1	$v1	$v1' &&
    grep -qxF 'response $v1' '$T/recs'"
check "reextract: timtin-corpus verify finds only the damage done" bash -c "
    '$B/timtin-corpus' --corpus '$C' verify >'$T/v.out' 2>&1
    test \$(grep -c 'offset' '$T/v.out') = 2"

# timtin-index, incremental: the new versions replace the old
"$B/timtin-index" --corpus "$C" --db "$T/db" --no-sync >"$T/i2.out" 2>&1
check "index after reextract: the fixed text is searchable" bash -c "
    '$B/timtin-search' --db '$T/db' --json bodymotchu | python3 -c '
import json, sys
sys.exit(json.load(sys.stdin)[\"total\"] != 1)'"
check "index after reextract: replaced, not added (one document per article)" bash -c "
    '$B/timtin-search' --db '$T/db' --json 'chợ nổi mới mở cửa' | python3 -c '
import json, sys
r = json.load(sys.stdin)
sys.exit(sum(1 for h in r[\"results\"] if h[\"id\"] == \"new1\") != 1)'"

# ---- a second run: nothing changes ----
before=$(warcs_sum)
crawl --corpus "$C" --profile red --reextract 2>"$T/r2.err"
check "second run: 0 changed, 3 unchanged" grep -q "3 articles re-extracted: 0 changed (new versions appended), 3 unchanged" "$T/r2.err"
check "second run: the WARC files as they were" test "$(warcs_sum)" = "$before"
check_not "second run: timtin-index not asked for" grep -q "timtin-index" "$T/r2.err"

# ---- by id ----
crawl --corpus "$C" --profile red --reextract new1 new2 new1 2>"$T/id.err"
check "by id: exit 0, two looked at once each" bash -c "
    test $? -eq 0 && grep -q '2 articles re-extracted: 0 changed (new versions appended), 2 unchanged; 0 skipped (no page stored); 0 failed' '$T/id.err'"
# one id of a corpus of many records: its page where the id index says,
# not searched for through the corpus (it would read every record)
python3 -c '
import json
for i in range(400):
    print(json.dumps({"id": "nhieu%d" % i, "title": "Bài nhập số %d" % i,
                      "body": ["Một bài nhập từ tệp, để kho có nhiều bản ghi."]}))' >"$T/many.jsonl"
"$B/timtin-corpus" --corpus "$C" import "$T/many.jsonl" 2>"$T/many.err"
check "by id: 400 more records" test "$(records | grep -c '^nhieu')" -eq 400
crawl --corpus "$C" --profile red --reextract --verbose new1 2>"$T/idv.err"
check "by id, --verbose: its page found where the id index says, no scan of the corpus" bash -c "
    test $? -eq 0 && grep -q 'pages: 1 found where the id index says (no scan of the corpus)' '$T/idv.err' &&
    grep -q '1 article re-extracted: 0 changed (new versions appended), 1 unchanged' '$T/idv.err'"
crawl --corpus "$C" --profile red --reextract --verbose --dry-run 2>"$T/allv.err" >/dev/null
check "--verbose: a scan only for the page the index could not place (dmg2's, unreadable: not found)" \
    grep -q 'pages: 5 found where the id index says, 0 of 1 by a scan of the corpus' "$T/allv.err"
crawl --corpus "$C" --profile red --reextract imp1 2>"$T/id2.err"
check "by id: an imported article skipped, exit 0" bash -c "
    test $? -eq 0 && grep -q '1 skipped (no page stored)' '$T/id2.err'"
crawl --corpus "$C" --profile red --reextract nosuch 2>"$T/id3.err"
check "by id: an id the corpus does not hold: exit 2, said" bash -c "
    test $? -eq 2 && grep -q 'no article nosuch in the corpus' '$T/id3.err'"
crawl --corpus "$C" --profile red --reextract oth1 2>"$T/id4.err"
check "by id: another site's article: exit 2, said" bash -c "
    test $? -eq 2 && grep -q \"article oth1 is another site's (khac)\" '$T/id4.err'"
crawl --corpus "$C" --profile red --reextract --since 2026-01-01 2>"$T/u.err"
check "--reextract --since: usage error" bash -c "test $? -eq 2 && grep -q 'not with --since' '$T/u.err'"
crawl --profile red --reextract --dry-run 2>"$T/u2.err"
check "--reextract without --corpus: usage error" bash -c "test $? -eq 2 && grep -q 'corpus is required' '$T/u2.err'"

# ---- the writer lock: taken, or the run does nothing ----
if command -v flock >/dev/null; then
    exec 9>"$C/lock"
    flock -n 9
    echo $$ >&9 # a live writer's pid, as a writer records it
    before=$(warcs_sum)
    crawl --corpus "$C" --profile red --reextract 2>"$T/l.err"
    check "locked corpus: exit 2, said, nothing written" bash -c "
        test $? -eq 2 && grep -q 'is locked by another writer (pid $$)' '$T/l.err' &&
        test '$(warcs_sum)' = '$before'"
    exec 9>&-
fi

done_testing
