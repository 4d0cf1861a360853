#!/usr/bin/env bash
# The crawler end to end: render the sample articles into a Tuổi Trẻ-style
# site (timtin-sitegen), serve it (tests/server.py), crawl it
# (timtin-crawl), and check what was stored against the source, field by
# field; then the nightly re-crawl, a changed article, a killed crawl that
# resumes, a crawl stopped by signals, politeness from the server's log,
# faults, <base href>, and a robots.txt that never answers.  Synchronisation is by readiness probes, never sleeps.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-sitegen" ] || skip "timtin-crawl or timtin-sitegen not built"
command -v python3 >/dev/null || skip "python3 missing"
SITE=$T/site LOG=$T/server.log CTL=$T/control.json CMP=$TOP/tests/e2e/compare_articles.py
ARTICLE_RE='-[0-9]{17}\.htm$'

"$B/timtin-sitegen" --quiet --page-size 5 "$SITE" "$S"
check "sitegen renders the site" test -f "$SITE/robots.txt" -a -f "$SITE/sitemaps/index.rss" \
    -a -f "$SITE/sitemaps/latest-news.rss" -a -f "$SITE/rss.htm" -a -f "$SITE/index.htm"
check "sitegen: 36 article pages, paginated sections, one gzip'd shard" bash -c "
    test \$(ls '$SITE'/*-[0-9]*.htm | wc -l) -eq 36 &&
    ls '$SITE'/timeline/*/trang-2.htm >/dev/null &&
    test \$(ls '$SITE'/StaticSitemaps/*.xml.gz | wc -l) -eq 1 &&
    gzip -t '$SITE'/StaticSitemaps/*.xml.gz"

# serve NAME ROOT LOG [OPTIONS]: serve ROOT (tests/server.py) until the
# script ends, its URL in $SERVED and its pid in $SERVED_PID; 1 (and a
# FAIL named NAME) when it does not answer
serve() {
    local name=$1 root=$2 log=$3
    shift 3
    python3 "$TOP/tests/server.py" --root "$root" --log "$log" "$@" >"$log.port" 2>"$log.err" &
    SERVED_PID=$!
    on_exit "kill $SERVED_PID 2>/dev/null"
    wait_for test -s "$log.port" || { fail "$name starts"; return 1; }
    SERVED=http://127.0.0.1:$(head -1 "$log.port")
    wait_for curl -sf -o /dev/null "$SERVED/robots.txt" || { fail "$name answers"; return 1; }
}
echo '{}' >"$CTL"
serve server "$SITE" "$LOG" --control "$CTL" || exit 1
BASE=$SERVED
: >"$LOG"

crawl() { "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" "$@"; }
# log_from N: the server log after its first N lines
log_from() { tail -n +"$(($1 + 1))" "$LOG"; }
lines() { wc -l <"$LOG"; }
# article pages answered 200 in the log after line N
article_200s() { log_from "$1" | awk -F'\t' '$4 == 200 { print $3 }' | grep -E -- "$ARTICLE_RE"; }
stat_of() { "$B/timtin-corpus" --corpus "$1" stats | awk -F': ' -v k="$2" '$1 == k { print $2 }'; }
# flatten CORPUS: its state (profile tuoitre) put as older versions kept
# it, in CORPUS/crawl-state/ itself (the flat layout; those versions kept
# no "versions" file)
flatten() {
    rm -f "$1/crawl-state/tuoitre/versions" &&
        mv "$1/crawl-state/tuoitre"/* "$1/crawl-state/" && rmdir "$1/crawl-state/tuoitre"
}

# ---- 1. the first crawl ----
crawl --corpus "$T/c1" --delay 0 --quiet --contact crawler@example.org 2>"$T/c1.err"
check "first crawl: exit 0" test $? -eq 0
check "first crawl: quiet" test ! -s "$T/c1.err"
"$B/timtin-corpus" --corpus "$T/c1" export >"$T/c1.jsonl"
python3 "$CMP" "$S" "$T/c1.jsonl" >"$T/cmp1.out"
check "every field of all 36 articles as in the source (title, sapo, body, captions, authors, section, tags, published)" test $? -eq 0
sed 's/^/# /' "$T/cmp1.out" | tail -3
check "36 articles, one version and one response each" test "$(stat_of "$T/c1" articles)" = 36 \
    -a "$(stat_of "$T/c1" 'article versions')" = 36 -a "$(stat_of "$T/c1" responses)" = 36
check "no article page fetched twice" test -z "$(article_200s 0 | sort | uniq -d)"
check "old slug: 301 to the current page, stored once under its id" bash -c "
    awk -F'\t' '\$4 == 301 && \$3 ~ /^\/tin-cu-[0-9]+\.htm\$/' '$LOG' | grep -q ."
check "robots.txt read first, its Disallow obeyed" bash -c "
    head -1 '$LOG' | cut -f3 | grep -qx /robots.txt && ! cut -f3 '$LOG' | grep -qx /ban-doc.htm"
check "gzip'd responses and the .xml.gz shard" bash -c "
    awk -F'\t' '\$8 == \"gzip\"' '$LOG' | grep -q . &&
    awk -F'\t' '\$4 == 200 && \$3 ~ /\.xml\.gz\$/' '$LOG' | grep -q ."
check "User-Agent names timtin and the contact" bash -c "
    cut -f9 '$LOG' | grep -q 'timtin/.*mailto:crawler@example.org'"
check "stored text is NFC (an NFD source article)" python3 -c '
import json, sys, unicodedata
for l in open(sys.argv[1]):
    a = json.loads(l)
    for f in ("title", "sapo", "section"):
        assert unicodedata.is_normalized("NFC", a[f]), (a["id"], f)
    for f in ("body", "authors", "captions", "tags"):
        for x in a.get(f, []):
            assert unicodedata.is_normalized("NFC", x), (a["id"], f)
a = [json.loads(l) for l in open(sys.argv[1]) if "20240305092051277" in l][0]
assert a["authors"] == ["NGỌC AN", "BẢO ANH"], a["authors"]' "$T/c1.jsonl"
check "the WARC response record is the page (decoded), the article refers to it" python3 -c '
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])][0]
assert a["response"].startswith("<urn:uuid:"), a
assert a["url"].startswith("http://127.0.0.1:")' "$T/c1.jsonl"

# ---- 2. the nightly re-crawl of an unchanged site ----
n=$(lines)
records=$(stat_of "$T/c1" records)
crawl --corpus "$T/c1" --delay 0 2>"$T/c1b.err"
check "re-crawl: exit 0" test $? -eq 0
check "re-crawl fetches no article page again" test -z "$(article_200s "$n")"
check "re-crawl: seeds answered 304 (conditional GET)" bash -c "
    test \$(tail -n +$((n + 1)) '$LOG' | awk -F'\t' '\$4 == 304 && \$5 != \"-\"' | wc -l) -ge 3"
check "re-crawl stores nothing" test "$(stat_of "$T/c1" records)" = "$records"

# ---- 3. a changed article: one page fetched, a new version stored ----
X=20230612081542118
python3 - "$S" "$T/changed.jsonl" "$X" <<'EOF'
import datetime, json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    a = json.loads(line)
    if a["id"] == sys.argv[3]:
        a["body"][0] = "Đoạn mở đầu đã được cập nhật."
        t = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
        a["modified"] = (t + datetime.timedelta(minutes=5)).replace(microsecond=0).isoformat()
    out.write(json.dumps(a, ensure_ascii=False) + "\n")
EOF
"$B/timtin-sitegen" --quiet --page-size 5 "$SITE" "$T/changed.jsonl"
n=$(lines)
crawl --corpus "$T/c1" --delay 0 --quiet
check "changed article: exit 0" test $? -eq 0
check "changed article: only its page fetched" test "$(article_200s "$n" | grep -c .)" -eq 1 \
    -a -n "$(article_200s "$n" | grep "$X")"
check "changed article: a new version, still 36 articles" \
    test "$(stat_of "$T/c1" 'article versions')" = 37 -a "$(stat_of "$T/c1" articles)" = 36
check "changed article: the new text is what export gives" bash -c "
    '$B/timtin-corpus' --corpus '$T/c1' cat $X | grep -q 'Đoạn mở đầu đã được cập nhật.'"
check "a URL robots.txt forbids, found again on every page, is carried to the next run once, deferred 3 runs in a row" \
    test "$(grep -c '/ban-doc\.htm 3$' "$T/c1/crawl-state/tuoitre/deferred")" -eq 1 \
        -a "$(grep -c '/ban-doc\.htm' "$T/c1/crawl-state/tuoitre/deferred")" -eq 1
"$B/timtin-sitegen" --quiet --page-size 5 "$SITE" "$S"

# ---- 4. a crawl killed at any moment resumes without duplicates ----
n=$(lines)
"$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c2" --delay 0.02 --quiet &
CP=$!
on_exit "kill -9 $CP 2>/dev/null"
some_stored() { test "$(article_200s "$n" | grep -c .)" -ge 12; }
wait_for some_stored
kill -9 $CP 2>/dev/null; wait $CP 2>/dev/null
killed_at=$(article_200s "$n" | grep -c .)
echo "# killed after $killed_at article pages"
check "resume: the killed crawl was mid-way" test "$killed_at" -ge 12 -a "$killed_at" -lt 36
crawl --corpus "$T/c2" --delay 0 --quiet 2>"$T/c2.err"
check "resume: exit 0" test $? -eq 0
"$B/timtin-corpus" --corpus "$T/c2" export >"$T/c2.jsonl"
check "resume: all 36 articles, each stored once" test "$(stat_of "$T/c2" articles)" = 36 \
    -a "$(stat_of "$T/c2" 'article versions')" = 36
check "resume: field by field as the source" bash -c "python3 '$CMP' --quiet '$S' '$T/c2.jsonl' >/dev/null"
check "resume: an article page fetched again only if its record was lost in the kill" \
    test "$(article_200s "$n" | sort | uniq -d | grep -c .)" -le 4

# ---- 4b. SIGTERM or SIGINT: the crawl stops, checkpoints, the next run resumes ----
# one article page never answers: the crawl (one connection) is held there
hang=$(awk -F'\t' '$1 == "20241103215547380" { print $2 }' "$SITE/ids.tsv")
echo "{\"$hang\": {\"hang\": true}}" >"$CTL"
hanging() { log_from "$n" | cut -f3 | grep -qxF "$hang"; }
# held_crawl TIMEOUT ERR: start a crawl into c2t in the background ($CP),
# and return once it waits for the page that hangs
held_crawl() {
    n=$(lines)
    "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c2t" --delay 0 \
        --timeout "$1" 2>"$2" &
    CP=$!
    on_exit "kill -9 $CP 2>/dev/null"
    wait_for hanging || fail "signals: the crawl reaches the page that hangs"
}
held_crawl 2 "$T/c2t.err"
kill -TERM $CP
wait $CP
check "SIGTERM: the request under way ends (its timeout), then exit 0" test $? -eq 0
check "SIGTERM: says it is stopping, and how to stop at once" \
    grep -q 'stopping: waiting for 1 request under way (interrupt again' "$T/c2t.err"
check "SIGTERM: the rest stays queued, said so" grep -q 'URLs left queued for the next run' "$T/c2t.err"
check "SIGTERM: stopped mid-way" test "$(stat_of "$T/c2t" articles)" -lt 36
# SIGHUP (the ssh session or terminal closed) is taken as SIGTERM
held_crawl 2 "$T/c2h.err"
kill -HUP $CP
wait $CP
check "SIGHUP: as SIGTERM, the request under way ends, then exit 0" test $? -eq 0
check "SIGHUP: says it is stopping, the rest stays queued, the summary written" bash -c "
    grep -q 'stopping: waiting for 1 request under way (interrupt again' '$T/c2h.err' &&
    grep -q 'URLs left queued for the next run' '$T/c2h.err' && grep -q ' requests (' '$T/c2h.err'"
# ... but under nohup (SIGHUP ignored) it runs on: a SIGTERM after the
# SIGHUP is the first signal, and lets the request under way end (its
# timeout: counted as a retry), as a second signal would not
trap '' HUP
held_crawl 2 "$T/c2nh.err"
trap - HUP
kill -HUP $CP
kill -TERM $CP
wait $CP
check "SIGHUP under nohup: ignored, the SIGTERM after it stops the crawl as a first signal" bash -c "
    test $? -eq 0 && grep -q 'stopping: waiting for 1 request under way' '$T/c2nh.err' &&
    grep -q ', 1 retries)' '$T/c2nh.err'"
sed 's/^/# /' "$T/c2nh.err"
# a second signal stops at once, without waiting for the request under way
held_crawl 600 "$T/c2u.err"
kill -INT $CP
wait_for grep -q stopping "$T/c2u.err"
kill -INT $CP
exited() { ! kill -0 $CP 2>/dev/null || [ "$(ps -o stat= -p $CP | cut -c1)" = Z ]; }
wait_for exited
check "SIGINT twice: stops without waiting for the request under way" exited
kill -9 $CP 2>/dev/null; wait $CP
check "SIGINT twice: exit 0" test $? -eq 0
echo '{}' >"$CTL"
n=$(lines)
crawl --corpus "$T/c2t" --delay 0 --quiet 2>"$T/c2n.err"
check "after signals: the next run ends the crawl (exit 0)" test $? -eq 0
check "after signals: no record was cut short" bash -c "! grep -q 'truncated record' '$T/c2n.err'"
sed 's/^/# /' "$T/c2n.err"
check "after signals: all 36 articles, each stored once" test "$(stat_of "$T/c2t" articles)" = 36 \
    -a "$(stat_of "$T/c2t" 'article versions')" = 36
check "after signals: the page that hung is fetched by the next run" \
    bash -c "tail -n +$((n + 1)) '$LOG' | awk -F'\t' '\$4 == 200' | cut -f3 | grep -qxF '$hang'"

# ---- 4c. --since skips old sitemap shards ----
n=$(lines)
crawl --corpus "$T/c2s" --delay 0 --quiet --since 2025-01-01
check "--since: exit 0" test $? -eq 0
check "--since: only shards from 2025 on are read" bash -c "
    shards=\$(tail -n +$((n + 1)) '$LOG' | cut -f3 | grep StaticSitemaps/)
    grep -q 'sitemaps-202[56]-' <<<\"\$shards\" && ! grep -q 'sitemaps-202[1-4]-' <<<\"\$shards\""

# ---- 4c'. a run reaches the whole archive, whatever the runs before it
# read: validators saved under --since, or under another profile's rules,
# do not stand for what this run would read.  Sitemaps only (no home page,
# no feeds, no related links), so the shards are the way to old articles ----
sed -e '/^seed = \/$/d' -e '/^seed = \/rss\.htm$/d' -e 's/^max_depth = .*/max_depth = 0/' \
    "$TOP/crawler/profiles/tuoitre.conf" >"$T/sitemaps.conf"
sed 's/^article = .*/article = ^\/[a-z0-9-]+-(202[56][0-9]{13})\\.htm$/' "$T/sitemaps.conf" >"$T/recent.conf"
smcrawl() { "$B/timtin-crawl" --profile "$T/$1.conf" --base-url "$BASE" --delay 0 --quiet "${@:2}"; }
smcrawl sitemaps --corpus "$T/c2m" --since 2025-01-01
check "sitemaps only, --since 2025-01-01: the 12 articles from 2025 on" test "$(stat_of "$T/c2m" articles)" = 12
smcrawl sitemaps --corpus "$T/c2m"
check "then a run without --since: the older shards read, all 36 articles" \
    test $? -eq 0 -a "$(stat_of "$T/c2m" articles)" = 36
n=$(lines)
smcrawl sitemaps --corpus "$T/c2m" --since 2025-01-01
check "then --since again (a narrower reading): the sitemap index answers 304" bash -c "
    tail -n +$((n + 1)) '$LOG' | awk -F'\t' '\$3 == \"/sitemaps/index.rss\"' | cut -f4 | grep -qx 304"
smcrawl recent --corpus "$T/c2k"
check "a profile taking only ids of 2025 on: 12 articles" test "$(stat_of "$T/c2k" articles)" = 12
smcrawl sitemaps --corpus "$T/c2k"
check "then the whole profile: all 36 articles" test $? -eq 0 -a "$(stat_of "$T/c2k" articles)" = 36

# ---- 4d. listings: without feeds, sitemaps or related links, the listing
# pages find the articles the first pages do not list ----
sed 's/^max_depth = .*/max_depth = 0/' "$TOP/crawler/profiles/tuoitre.conf" >"$T/listing.conf"
echo '{"/sitemaps*": {"status": 404}, "/StaticSitemaps*": {"status": 404}, "/rss*": {"status": 404}}' >"$CTL"
n=$(lines)
"$B/timtin-crawl" --profile "$T/listing.conf" --base-url "$BASE" --corpus "$T/c2p" --delay 0 --quiet
echo '{}' >"$CTL"
check "listings: a section's second page is read" \
    bash -c "tail -n +$((n + 1)) '$LOG' | awk -F'\t' '\$4 == 200' | cut -f3 | grep -q '/trang-2\.htm\$'"
check "listings: all 36 articles found" test "$(stat_of "$T/c2p" articles)" = 36

# ---- 4g. <base href>: a listing's relative links resolve against it ----
# the later listing pages link their articles relatively, under a base of
# "../../" (the site's root): without it they would point into /timeline/
mkdir "$T/listings-orig"
for f in "$SITE"/timeline/*/trang-*.htm; do
    cp "$f" "$T/listings-orig/$(echo "$f" | tr / _)"
    sed -E -i 's#<head>#<head><base href="../../">#; s#href="/([a-z0-9-]+-[0-9]{17}\.htm)"#href="\1"#g' "$f"
done
check "<base href>: the listing pages link their articles relatively" \
    bash -c "grep -q '<base href=\"../../\">' '$SITE'/timeline/*/trang-2.htm &&
        grep -Eq 'href=\"[a-z0-9-]+-[0-9]{17}\.htm\"' '$SITE'/timeline/*/trang-2.htm"
echo '{"/sitemaps*": {"status": 404}, "/StaticSitemaps*": {"status": 404}, "/rss*": {"status": 404}}' >"$CTL"
"$B/timtin-crawl" --profile "$T/listing.conf" --base-url "$BASE" --corpus "$T/c2b" --delay 0 --quiet
echo '{}' >"$CTL"
for f in "$SITE"/timeline/*/trang-*.htm; do
    cp "$T/listings-orig/$(echo "$f" | tr / _)" "$f"
done
check "<base href>: all 36 articles found through the listings" test "$(stat_of "$T/c2b" articles)" = 36

# ---- 4i. hubs served as XHTML (an XML declaration before the html root)
# are read as HTML, not refused as feeds ----
mkdir "$T/xhtml-orig"
for f in "$SITE"/[a-z-]*[a-z].htm "$SITE"/timeline/*/trang-*.htm; do
    cp "$f" "$T/xhtml-orig/$(echo "$f" | tr / _)"
    sed -i -e '1s#^<!DOCTYPE html>$#<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">#' \
        -e 's#^<html lang="vi">$#<html xmlns="http://www.w3.org/1999/xhtml" lang="vi" xml:lang="vi">#' "$f"
done
check "XHTML: the home page, sections and listings start with an XML declaration" \
    bash -c "head -1 '$SITE/index.htm' | grep -q '^<?xml ' && head -1 '$SITE/thoi-su.htm' | grep -q '^<?xml ' &&
        grep -q '^<html xmlns=' '$SITE'/timeline/*/trang-2.htm"
echo '{"/sitemaps*": {"status": 404}, "/StaticSitemaps*": {"status": 404}, "/rss*": {"status": 404}}' >"$CTL"
"$B/timtin-crawl" --profile "$T/listing.conf" --base-url "$BASE" --corpus "$T/c2h" --delay 0 2>"$T/c2h.err"
rc=$?
echo '{}' >"$CTL"
for f in "$SITE"/[a-z-]*[a-z].htm "$SITE"/timeline/*/trang-*.htm; do
    cp "$T/xhtml-orig/$(echo "$f" | tr / _)" "$f"
done
sed "s/^/# /" "$T/c2h.err" | grep -v 'HTTP 404$'
check "XHTML hubs: read as HTML (no 'not a feed'), all 36 articles found" \
    bash -c "test $rc -le 1 && ! grep -q 'not a feed' '$T/c2h.err' &&
        test \"\$('$B/timtin-corpus' --corpus '$T/c2h' ls | wc -l)\" = 36"

# ---- 4j. a directory-style site: /tin answers 301 to /tin/, whose
# relative links resolve against /tin/, and robots.txt forbids /tin/cam/ ----
mkdir -p "$SITE/tin/cam"
while IFS=$'\t' read -r _ p; do echo "$p"; done <"$SITE/ids.tsv" | head -2 >"$T/dir.paths"
cp "$SITE$(sed -n 1p "$T/dir.paths")" "$SITE/tin/bai-viet-1.htm"
cp "$SITE$(sed -n 2p "$T/dir.paths")" "$SITE/tin/bai-viet-2.htm"
cat >"$SITE/tin/index.htm" <<'HTML'
<!DOCTYPE html><html><head><title>Tin</title></head><body>
<a href="bai-viet-1.htm">Bài 1</a> <a href="./bai-viet-2.htm">Bài 2</a> <a href="cam/">Cấm</a>
</body></html>
HTML
echo '<!DOCTYPE html><html><body><a href="../bai-viet-1.htm">x</a></body></html>' >"$SITE/tin/cam/index.htm"
printf 'User-agent: *\nDisallow: /tin/cam/\n' >"$SITE/robots-dir.txt"
sed -e '/^seed = /d' -e '/^article = /d' -e 's/^max_depth = .*/max_depth = 0/' \
    "$TOP/crawler/profiles/tuoitre.conf" >"$T/dir.conf"
printf 'seed = /tin\nseed = /tin/cam/\narticle = ^/tin/(bai-viet-[0-9]+)\\.htm$\nfollow = ^/tin/\n' \
    >>"$T/dir.conf"
{ cat "$T/dir.conf"; echo "keep_trailing_slash = no"; } >"$T/dir-same.conf"
echo '{"/robots.txt": {"redirect": "/robots-dir.txt"}}' >"$CTL"
for conf in dir dir-same; do
    n=$(lines)
    "$B/timtin-crawl" --profile "$T/$conf.conf" --base-url "$BASE" --corpus "$T/c-$conf" --delay 0 \
        2>"$T/c-$conf.err"
    rc=$?
    sed "s/^/# /" "$T/c-$conf.err"
    check "$conf.conf: /tin answers 301 to /tin/, which is read (no redirect loop), exit 0" bash -c "
        test $rc -eq 0 && tail -n +$((n + 1)) '$LOG' | cut -f3,4 | tr '\t\n' '  ' |
            grep -q '^/robots.txt 301 /robots-dir.txt 200 /tin 301 /tin/ 200 '"
    check "$conf.conf: links relative to /tin/ found /tin/bai-viet-1.htm and -2, both stored" bash -c "
        '$B/timtin-corpus' --corpus '$T/c-$conf' ls | cut -f1 | sort | tr '\n' ' ' |
            grep -qx 'bai-viet-1 bai-viet-2 '"
    check "$conf.conf: Disallow: /tin/cam/ keeps /tin/cam/ (a seed, and the link cam/) from being asked for" \
        bash -c "! tail -n +$((n + 1)) '$LOG' | cut -f3 | grep -q '^/tin/cam'"
done
echo '{}' >"$CTL"
rm -r "$SITE/tin" "$SITE/robots-dir.txt"

# ---- 4h. an article that redirects to another article, one that
# redirects off the site, one that redirects to a page the profile skips,
# and an article URL whose page is no article ----
cat >"$SITE/trang-trong-20990101000000000.htm" <<'HTML'
<!DOCTYPE html><html><head><title>Trang trống</title></head><body><p>Không có bài.</p></body></html>
HTML
python3 - "$SITE/ids.tsv" "$CTL" "$T/redirect.ids" <<'EOF2'
import json, sys
ids = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
(a, pa), (b, pb), (c, pc), (d, pd), (v, pv) = ids[4:9]
json.dump({pa: {"redirect": pb}, pc: {"redirect": "https://example.org/ngoai-trang.htm"},
           pd: {"redirect": "/trang-trong-20990101000000000.htm"},
           pv: {"redirect": "/video" + pv}}, open(sys.argv[2], "w"))
open(sys.argv[3], "w").write("%s %s %s %s %s %s %s\n" % (a, b, c, d, pb, v, pv))
EOF2
read -r ra rb rc rd pb rv pv <"$T/redirect.ids"
# the skipped page exists: fetched, it would be stored under the article's id
mkdir -p "$SITE/video" && cp "$SITE$pv" "$SITE/video$pv"
n=$(lines)
crawl --corpus "$T/c2x" --delay 0 2>"$T/c2x.err"
rc=$?
echo '{}' >"$CTL"
"$B/timtin-corpus" --corpus "$T/c2x" ls >"$T/c2x.ls"
check "redirects: the crawl ends, reporting what it could not take (exit 1)" test $rc -eq 1
check "an article redirected to another: that one stored once, the first id not" bash -c "
    grep -q '^$rb	' '$T/c2x.ls' && ! grep -q '^$ra	' '$T/c2x.ls' &&
    test \$(tail -n +$((n + 1)) '$LOG' | awk -F'\t' '\$4 == 200' | cut -f3 | grep -cx '$pb') -eq 1"
check "redirected off the site: not followed, said" bash -c "
    grep -q 'redirected out of scope to https://example.org/ngoai-trang.htm' '$T/c2x.err' &&
    ! grep -q '^$rc	' '$T/c2x.ls'"
check "an article URL whose page is no article: said, nothing stored" bash -c "
    grep -q 'trang-trong-20990101000000000.htm.*not an article' '$T/c2x.err' &&
    ! grep -q '^$rd	' '$T/c2x.ls' && ! grep -q '^20990101000000000	' '$T/c2x.ls'"
check "redirected to a page the profile skips (^/video/): not followed, said" bash -c "
    grep 'redirected out of scope to ' '$T/c2x.err' | grep -qF '/video$pv' &&
    ! tail -n +$((n + 1)) '$LOG' | cut -f3 | grep -q '^/video/' && ! grep -q '^$rv	' '$T/c2x.ls'"
check "redirects: the other 32 articles stored" test "$(stat_of "$T/c2x" articles)" = 32
sed "s/^/# /" "$T/c2x.err"
rm -r "$SITE/trang-trong-20990101000000000.htm" "$SITE/video"

# ---- 4k. the allowed hosts change (another --base-url, a skip line
# added): what the state holds of the old scope is dropped, not fetched ----
serve "a second server" "$SITE" "$T/old.log"
OLD=$SERVED SRV2=$SERVED_PID
"$B/timtin-crawl" --profile tuoitre --base-url "$OLD" --corpus "$T/c8" --delay 0 --max-pages 3 --quiet
# as a run cut short leaves them: a listing page, a section, a feed, an
# article, and (robots.txt forbade it) a deferred URL, all of the old host
listing=$(cd "$SITE" && ls timeline/*/trang-2.htm | head -1)
printf '%s\n' "p 0 $OLD/$listing" "h 0 $OLD/thoi-su.htm" "s 0 $OLD/rss/thoi-su.rss" \
    "a 0 $OLD$(sed -n 3p "$SITE/ids.tsv" | cut -f2)" >>"$T/c8/crawl-state/tuoitre/queue"
echo "h 0 $OLD/ban-doc.htm 1" >>"$T/c8/crawl-state/tuoitre/deferred"
check "scope: the state holds queued and deferred URLs of the old host" bash -c "
    grep -q '^[hps] 0 $OLD/' '$T/c8/crawl-state/tuoitre/queue' && grep -q '$OLD/ban-doc.htm' '$T/c8/crawl-state/tuoitre/deferred'"
old_lines=$(wc -l <"$T/old.log")
crawl --corpus "$T/c8" --delay 0 2>"$T/c8.err"
rc=$?
sed "s/^/# /" "$T/c8.err"
check "scope: with another --base-url, nothing asked of the old host (exit 0)" \
    bash -c "test $rc -eq 0 && test \$(wc -l <'$T/old.log') -eq $old_lines"
check "scope: the run says it dropped them" grep -Eq 'queued URLs? out of scope dropped' "$T/c8.err"
check "scope: all 36 articles from the new host" test "$(stat_of "$T/c8" articles)" = 36
{ cat "$TOP/crawler/profiles/tuoitre.conf"; echo 'skip = ^/rss/'; } >"$T/norss.conf"
echo "s 0 $BASE/rss/the-thao.rss" >>"$T/c8/crawl-state/tuoitre/queue"
n=$(lines)
"$B/timtin-crawl" --profile "$T/norss.conf" --base-url "$BASE" --corpus "$T/c8" --delay 0 --quiet
rc=$?
log_from "$n" | cut -f3 >"$T/c8.paths"
check "scope: a feed the profile now skips (queued, or listed by the feed index) is not asked for" \
    bash -c "test $rc -eq 0 && ! grep -q '^/rss/' '$T/c8.paths' && grep -qx /rss.htm '$T/c8.paths'"
kill $SRV2 2>/dev/null

# ---- 4l. dates written without an offset in feeds and sitemaps are in
# the profile's timezone (+07:00), and so is --since: a sitemap alone (no
# other seeds, robots.txt naming no sitemap) ----
sed -e '/^seed = /d' -e 's/^max_depth = .*/max_depth = 0/' "$TOP/crawler/profiles/tuoitre.conf" >"$T/tz.conf"
echo 'seed = /tz-sitemap.xml' >>"$T/tz.conf"
printf 'User-agent: *\nDisallow:\n' >"$SITE/robots-tz.txt"
echo '{"/robots.txt": {"redirect": "/robots-tz.txt"}}' >"$CTL"
tz_sitemap() { # PATH DATE ...: a sitemap of those articles with those lastmods
    { echo '<?xml version="1.0" encoding="UTF-8"?>'
      echo '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
      while [ $# -gt 1 ]; do echo "<url><loc>$BASE$1</loc><lastmod>$2</lastmod></url>"; shift 2; done
      echo '</urlset>'; } >"$SITE/tz-sitemap.xml"
}
read -r tzid tzp <<<"$(sed -n 20p "$SITE/ids.tsv")"
# an hour ago on the site's clock, written without an offset
ago=$(TZ=UTC-7 date -d '-1 hour' +%Y-%m-%dT%H:%M:%S)
tz_sitemap "$tzp" "$ago"
"$B/timtin-crawl" --profile "$T/tz.conf" --base-url "$BASE" --corpus "$T/c10" --delay 0 --quiet
check "timezone: the sitemap's article stored" test $? -eq 0 -a "$(stat_of "$T/c10" articles)" = 1
tz_sitemap "$tzp" "$ago" # read again (a new ETag): the same lastmod
n=$(lines)
"$B/timtin-crawl" --profile "$T/tz.conf" --base-url "$BASE" --corpus "$T/c10" --delay 0 --quiet
check "timezone: a lastmod of an hour ago (+07:00, no offset written) is older than the fetch: not fetched again" \
    bash -c "test $? -eq 0 && log_200s=\$(tail -n +$((n + 1)) '$LOG' | awk -F'\t' '\$4 == 200' | cut -f3) &&
        grep -qx /tz-sitemap.xml <<<\"\$log_200s\" && ! grep -qxF '$tzp' <<<\"\$log_200s\""
read -r tza tzap <<<"$(sed -n 21p "$SITE/ids.tsv")"
read -r tzb tzbp <<<"$(sed -n 22p "$SITE/ids.tsv")"
# 1 January at 05:00 on the site's clock is 31 December in UTC; 31
# December at 20:00 there, written without an offset, is still 31 December
tz_sitemap "$tzap" 2025-01-01T05:00:00+07:00 "$tzbp" 2024-12-31T20:00:00
"$B/timtin-crawl" --dry-run --profile "$T/tz.conf" --base-url "$BASE" --delay 0 --quiet \
    --since 2025-01-01 >"$T/tz.jsonl"
check "timezone: --since 2025-01-01 is midnight on the site's clock: 1 January 05:00 +07:00 in, 31 December 20:00 out" \
    bash -c "grep -q '\"id\":\"$tza\"' '$T/tz.jsonl' && ! grep -q '\"id\":\"$tzb\"' '$T/tz.jsonl'"
echo '{}' >"$CTL"
rm "$SITE/tz-sitemap.xml" "$SITE/robots-tz.txt"

# ---- 4m. durability: at each checkpoint what was written (WARC files,
# urls, queue, deferred) is fsynced before the cursor says it is done;
# --no-sync fsyncs nothing.  From strace's record of the system calls
# (skipped where strace is missing or may not trace) ----
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
    # (LeakSanitizer cannot run under ptrace: off for these runs, in make asan)
    nolsan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
    ASAN_OPTIONS=$nolsan strace -f -y -qq -e trace=write,writev,pwrite64,fsync,fdatasync,rename -o "$T/sync.trace" \
        "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c11" --delay 0 --max-pages 20 --quiet
    rc=$?
    ASAN_OPTIONS=$nolsan strace -f -y -qq -e trace=write,writev,pwrite64,fsync,fdatasync,rename -o "$T/sync2.trace" \
        "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c11" --delay 0 --quiet
    rc2=$?
    check "durability: every write to a WARC file, urls, queue or deferred is fsynced before the next cursor" \
        python3 - "$T/sync.trace" "$T/sync2.trace" <<'EOF2'
import re, sys
ok = True
for trace in sys.argv[1:]:
    ev = []
    for line in open(trace, errors="replace"):
        m = re.match(r'\d+\s+rename\("[^"]*", "([^"]*)"\)', line)
        if m:
            if m.group(1).endswith("crawl-state/tuoitre/cursor"):
                ev.append(("cursor", m.group(1)))
            continue
        m = re.match(r'\d+\s+(\w+)\(\d+<([^>]*)>', line)
        if m and (re.search(r"/timtin-\d+\.warc\.gz$", m.group(2)) or
                  re.search(r"/crawl-state/tuoitre/(urls|queue|deferred)$", m.group(2))):
            call, path = m.groups()
            ev.append(("sync" if call in ("fsync", "fdatasync") else "write", path))
    seen, bad = set(), set()
    for i, (k, p) in enumerate(ev):
        if k != "write":
            continue
        name = p.rsplit("/", 1)[1]
        seen.add(name)
        # the next cursor, and whether the file was fsynced before it
        for e in ev[i + 1:]:
            if e == ("sync", p):
                break
            if e[0] == "cursor":
                bad.add(name)
                break
    print("# %s: files written: %s; not fsynced before the next cursor: %s" %
          (trace.rsplit("/", 1)[1], " ".join(sorted(seen)), " ".join(sorted(bad)) or "none"))
    ok = (ok and not bad and {"urls", "queue", "deferred"} <= seen and
          any(x.endswith(".warc.gz") for x in seen))
sys.exit(0 if ok else 1)
EOF2
    check "durability: the crawls ran (exit 0)" test "$rc" -eq 0 -a "$rc2" -eq 0
    ASAN_OPTIONS=$nolsan strace -f -qq -e trace=fsync,fdatasync -o "$T/nosync.trace" \
        "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c12" --delay 0 --quiet --no-sync
    rc=$?
    check "--no-sync: the crawl runs and fsyncs nothing" \
        bash -c "test $rc -eq 0 && test '$(stat_of "$T/c12" articles)' = 36 && ! grep -q 'fsync\|fdatasync' '$T/nosync.trace'"
    # the first run over a flat crawl-state/ (the layout before per-profile
    # directories) copies it into crawl-state/tuoitre.tmp/, each file and
    # the directory fsynced before the rename to crawl-state/tuoitre/;
    # with --no-sync, nothing fsynced
    for m in c12m c12n; do
        cp -r "$T/c12" "$T/$m" && flatten "$T/$m"
    done
    ASAN_OPTIONS=$nolsan strace -f -y -qq -e trace=write,fsync,fdatasync,rename -o "$T/migrate.trace" \
        "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c12m" --delay 0 --quiet
    rc=$?
    check "durability: a flat state's copy: every file and its directory fsynced before the rename into place" \
        python3 - "$T/migrate.trace" "$T/c12m/crawl-state" "$rc" <<'EOF2'
import os, re, sys
trace, state, rc = sys.argv[1:]
tmp = state + "/tuoitre.tmp"
flat = sorted(f for f in os.listdir(state) if os.path.isfile(os.path.join(state, f)))
synced, renamed = set(), False
for line in open(trace, errors="replace"):
    m = re.match(r'\d+\s+rename\("([^"]*)", "([^"]*)"\)', line)
    if m and m.group(1) == tmp and m.group(2) == state + "/tuoitre":
        renamed = True
        break
    m = re.match(r'\d+\s+f(?:data)?sync\(\d+<([^>]*)>', line)
    if m and (m.group(1) == tmp or m.group(1).startswith(tmp + "/")):
        synced.add(os.path.relpath(m.group(1), tmp))
print("# flat files: %s; fsynced before the rename: %s" % (" ".join(flat), " ".join(sorted(synced))))
sys.exit(0 if rc == "0" and renamed and synced == set(flat) | {"."} else 1)
EOF2
    ASAN_OPTIONS=$nolsan strace -f -qq -e trace=fsync,fdatasync -o "$T/migrate-nosync.trace" \
        "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c12n" --delay 0 --quiet --no-sync
    rc=$?
    check "--no-sync: a flat state's copy is made, nothing fsynced" \
        bash -c "test $rc -eq 0 && test -s '$T/c12n/crawl-state/tuoitre/urls' && ! grep -q 'fsync\|fdatasync' '$T/migrate-nosync.trace'"
else
    echo "# skip: durability (strace missing, or not allowed to trace)"
fi

# ---- 4e. a write that fails (a file size limit: EFBIG, as a full disk
# gives ENOSPC) stops the crawl; the next run stores everything once ----
(ulimit -f 60; trap '' XFSZ; crawl --corpus "$T/c2f" --delay 0 --quiet) 2>"$T/c2f.err"; rc=$?
check "storage error: the crawl stops (exit 1), naming the file and why" \
    bash -c "test $rc -eq 1 && grep -q 'timtin-000001.warc.gz: File too large' '$T/c2f.err'"
crawl --corpus "$T/c2f" --delay 0 --quiet 2>"$T/c2f2.err"
check "after the storage error: the next run succeeds" test $? -eq 0
check "after the storage error: all 36 articles, each stored once" \
    test "$(stat_of "$T/c2f" articles)" = 36 -a "$(stat_of "$T/c2f" 'article versions')" = 36
"$B/timtin-corpus" --corpus "$T/c2f" verify >/dev/null 2>&1
check "after the storage error: verify passes" test $? -eq 0

# ---- 4f. a robots.txt that redirects: followed, its rules obeyed ----
printf 'User-agent: *\nDisallow: /the-thao.htm\n' >"$SITE/robots-moved.txt"
echo '{"/robots.txt": {"redirect": "/robots-moved.txt"}}' >"$CTL"
n=$(lines)
crawl --corpus "$T/c2r" --delay 0 --quiet
rc=$?
echo '{}' >"$CTL"
check "robots.txt redirected: the crawl succeeds" test $rc -eq 0
check "robots.txt redirected: the target is read before any page" bash -c "
    tail -n +$((n + 1)) '$LOG' | cut -f3,4 | head -2 | tr '\t\n' '  ' |
        grep -qx '/robots.txt 301 /robots-moved.txt 200 '"
check "robots.txt redirected: its Disallow obeyed" \
    bash -c "! tail -n +$((n + 1)) '$LOG' | cut -f3 | grep -qx /the-thao.htm"
check "robots.txt redirected: a page it allows is read" \
    bash -c "tail -n +$((n + 1)) '$LOG' | cut -f3 | grep -qx /thoi-su.htm"

# ---- 4f'. the robots.txt redirect hop waits --delay like any request ----
echo '{"/robots.txt": {"redirect": "/robots-moved.txt"}}' >"$CTL"
n=$(lines)
crawl --corpus "$T/c2d" --delay 0.3 --max-pages 2 --quiet
echo '{}' >"$CTL"
check "robots.txt redirect, --delay 0.3: every request at least 0.3 s after the one before (server log)" \
    python3 -c '
import sys
p = [l.split("\t") for l in open(sys.argv[1]).readlines()[int(sys.argv[2]):]]
t = [float(f[0]) for f in p]
gaps = [b - a for a, b in zip(t, t[1:])]
print("# %s; gaps %s" % (" ".join(f[2] for f in p), " ".join("%.3f" % g for g in gaps)))
assert [f[2] for f in p[:2]] == ["/robots.txt", "/robots-moved.txt"] and len(p) == 4
assert min(gaps) >= 0.3' "$LOG" "$n"

# ---- 5. politeness: never closer than --delay, from the server's log ----
n=$(lines)
crawl --corpus "$T/c3" --delay 0.2 --max-pages 12 --quiet
check "politeness: exit 0" test $? -eq 0
check "politeness: requests at least 0.2 s apart (server log)" python3 -c '
import sys
t = [float(l.split("\t")[0]) for l in open(sys.argv[1]).readlines()[int(sys.argv[2]):]]
gaps = [b - a for a, b in zip(t, t[1:])]
print("# %d requests, smallest gap %.3f s" % (len(t), min(gaps)))
assert len(t) >= 10 and min(gaps) >= 0.2' "$LOG" "$n"
check "--max-pages: the rest stays queued" test -s "$T/c3/crawl-state/tuoitre/queue"

# ---- 5a. a night of "Disallow: /": what was queued is not lost ----
printf 'User-agent: *\nDisallow: /\n' >"$SITE/robots-none.txt"
echo '{"/robots.txt": {"redirect": "/robots-none.txt"}}' >"$CTL"
n=$(lines)
crawl --corpus "$T/c3" --delay 0 2>"$T/c3n.err"
rc=$?
echo '{}' >"$CTL"
check "Disallow: / for a night: nothing but robots.txt asked; every seed forbidden: exit 1" bash -c "
    test $rc -eq 1 && test -z \"\$(tail -n +$((n + 1)) '$LOG' | cut -f3 | grep -v '^/robots')\""
check "Disallow: / for a night: the URLs counted as blocked; one error, the seeds all forbidden" \
    bash -c "grep -Eq '; [1-9][0-9]* blocked by robots.txt; 1 errors;' '$T/c3n.err' &&
        grep -q ': robots.txt forbids every seed' '$T/c3n.err'"
crawl --corpus "$T/c3" --delay 0 --quiet
check "robots.txt allows again: the next run fetches the articles left queued (all 36)" \
    test $? -eq 0 -a "$(stat_of "$T/c3" articles)" = 36

# ---- 5b. robots.txt Crawl-delay: obeyed over --delay, up to --max-crawl-delay ----
printf 'User-agent: *\nCrawl-delay: 1000\n' >"$SITE/robots-slow.txt"
echo '{"/robots.txt": {"redirect": "/robots-slow.txt"}}' >"$CTL"
n=$(lines)
timeout 60 "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c3d" --delay 0 \
    --max-crawl-delay 0.3 --max-pages 5 --quiet
rc=$?
echo '{}' >"$CTL"
check "Crawl-delay 1000 cut to --max-crawl-delay 0.3: the crawl ends (exit 0)" test $rc -eq 0
check "Crawl-delay: pages at least 0.3 s apart though --delay is 0 (server log)" python3 -c '
import sys
t = [float(l.split("\t")[0]) for l in open(sys.argv[1]).readlines()[int(sys.argv[2]):]
     if not l.split("\t")[2].startswith("/robots")]
gaps = [b - a for a, b in zip(t, t[1:])]
print("# %d pages, gaps %.3f to %.3f s" % (len(t), min(gaps), max(gaps)))
assert len(t) == 5 and min(gaps) >= 0.3' "$LOG" "$n"
check "Crawl-delay: the first page at least 0.3 s after the robots.txt that asked for it (server log)" python3 -c '
import sys
p = [l.split("\t") for l in open(sys.argv[1]).readlines()[int(sys.argv[2]):]]
r = max(i for i, f in enumerate(p) if f[2].startswith("/robots"))
print("# %s then %s %.3f s later" % (p[r][2], p[r + 1][2], float(p[r + 1][0]) - float(p[r][0])))
assert p[r][2] == "/robots-slow.txt" and float(p[r + 1][0]) - float(p[r][0]) >= 0.3' "$LOG" "$n"
"$B/timtin-crawl" --corpus "$T/x" --profile tuoitre --max-crawl-delay -1 2>/dev/null; rc=$?
check "bad --max-crawl-delay: exit 2" test $rc -eq 2

# ---- 6. faults do not hang or crash the crawl ----
python3 - "$SITE/ids.tsv" "$CTL" <<'EOF'
import json, sys
ids = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[1]))
spec = {
    "20230612081542118": {"status": 503, "retry_after": 1, "times": 2},
    "20221010184007503": {"status": 429, "retry_after": 1, "times": 1},
    "20220921073003915": {"content_type": "image/jpeg"},
    "20241103215547380": {"slow": 0.3},
    "20260118193036208": {"charset": "windows-1258"},
    "20240414114019056": {"charset": "utf-16"},
    "20240305092051277": {"status": 500},
    "20211119200533009": {"truncate": True},
    "20250922104512640": {"slow": 5},
    "20250924162058002": {"loop": True},
    "20230830211025731": {"big": 50 * 1024 * 1024},
}
ctl = {ids[k]: v for k, v in spec.items()}
ctl["/rss/the-thao.rss"] = {"status": 503, "retry_after": 1, "times": 1}
json.dump(ctl, open(sys.argv[2], "w"))
EOF
# (timeout catches a hang: its exit would be 124, not 1)
timeout 45 "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c4" --delay 0 \
    --connections 4 --timeout 1.5 --retries 2 --retry-base 0.2 2>"$T/c4.err"
rc=$?
check "faults: finishes with errors (exit 1), not killed by a 45 s timeout" test $rc -eq 1
check "faults: each failure reported" bash -c "
    grep -q 'HTTP 500' '$T/c4.err' && grep -q 'redirects' '$T/c4.err' &&
    grep -qi 'partial' '$T/c4.err' && grep -qi 'timeout' '$T/c4.err' && grep -qi 'too big' '$T/c4.err'"
"$B/timtin-corpus" --corpus "$T/c4" export >"$T/c4.jsonl"
check "faults: 503 and 429 (Retry-After) retried, wrong Content-Type and a slow page read" bash -c "
    for id in 20230612081542118 20221010184007503 20220921073003915 20241103215547380; do
        grep -q \"\\\"id\\\":\\\"\$id\\\"\" '$T/c4.jsonl' || exit 1; done"
check "faults: the 31 good articles stored" test "$(stat_of "$T/c4" articles)" = 31
grep -h 20260118193036208 "$S" >"$T/cp1258.src"
grep -h '"id":"20260118193036208"' "$T/c4.jsonl" >"$T/cp1258.got"
check "a windows-1258 page: converted, every field as in the source" bash -c "
    grep -q 'charset' '$LOG' && python3 '$CMP' --quiet '$T/cp1258.src' '$T/cp1258.got' >/dev/null"
grep -h 20240414114019056 "$S" >"$T/utf16.src"
grep -h '"id":"20240414114019056"' "$T/c4.jsonl" >"$T/utf16.got"
check "a UTF-16 page (a BOM, <meta charset=\"utf-16\">): read as HTML, converted, every field as in the source" \
    bash -c "! grep -q '20240414114019056.htm.*neither HTML' '$T/c4.err' &&
        python3 '$CMP' --quiet '$T/utf16.src' '$T/utf16.got' >/dev/null"
check "faults: Retry-After honoured (the retry waited >= 1 s)" python3 -c '
import sys
p = [l.split("\t") for l in open(sys.argv[1])]
t = [float(f[0]) for f in p if "20221010184007503" in f[2] and f[3] in ("429", "200")]
assert len(t) >= 2 and t[1] - t[0] >= 1.0, t' "$LOG"
check "faults: the 50 MB page abandoned" grep -q '20230830211025731.htm.*too big' "$T/c4.err"
# check_peak NAME FILE: the crawl's peak memory (its summary in FILE)
# under 100 MB; not checked under the sanitizers (make asan), whose own
# overhead counts in it
check_peak() {
    if [ "${TT_SANITIZED:-}" = 1 ]; then echo "# skip: $1 (TT_SANITIZED=1)"; return; fi
    check "$1" bash -c "grep -o 'peak [0-9]* MB' '$2' |
        awk '{ n++; if (\$2 >= 100) big = 1 } END { exit !(n && !big) }'"
}
check_peak "faults: memory stays small (peak < 100 MB)" "$T/c4.err"
echo '{}' >"$CTL"
crawl --corpus "$T/c4" --delay 0 --quiet
check "faults: the failed pages are retried the next night" test "$(stat_of "$T/c4" articles)" -ge 35

# ---- 6b. a page that grows as it is decoded (a gzip bomb) ----
python3 - "$SITE/ids.tsv" "$CTL" <<'EOF'
import json, sys
ids = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[1]))
json.dump({ids["20230612081542118"]: {"bomb": 64 * 1024 * 1024}}, open(sys.argv[2], "w"))
EOF
crawl --corpus "$T/c4b" --delay 0 --max-page-size 2M 2>"$T/c4b.err"
rc=$?
echo '{}' >"$CTL"
check "gzip bomb: 64 MB decoded from a small body, abandoned past --max-page-size (exit 1)" \
    bash -c "test $rc -eq 1 && grep -q '20230612081542118.htm.*too big' '$T/c4b.err'"
check "gzip bomb: the other 35 articles stored" \
    test "$("$B/timtin-corpus" --corpus "$T/c4b" ls | wc -l)" = 35
check_peak "gzip bomb: memory stays small (peak < 100 MB)" "$T/c4b.err"

# ---- 6b'. response headers too big (a block over 256 KiB, a line over
# libcurl's 100 KiB): abandoned at once, said, as a page too big ----
python3 - "$SITE/ids.tsv" "$CTL" <<'EOF'
import json, sys
ids = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[1]))
json.dump({ids["20230612081542118"]: {"headers": 300 * 1024},
           ids["20221010184007503"]: {"headers": 150 * 1024, "header_line": 150 * 1024}},
          open(sys.argv[2], "w"))
EOF
hblock=$(awk -F'\t' '$1 == "20230612081542118" { print $2 }' "$SITE/ids.tsv")
hline=$(awk -F'\t' '$1 == "20221010184007503" { print $2 }' "$SITE/ids.tsv")
n=$(lines)
crawl --corpus "$T/c4h" --delay 0 --retries 3 --retry-base 0.01 --verbose 2>"$T/c4h.err"
rc=$?
echo '{}' >"$CTL"
log_from "$n" | cut -f3 >"$T/c4h.paths"
check "headers over 256 KiB: said, asked once (no retry), exit 1" bash -c "
    test $rc -eq 1 && grep -q '$hblock: response headers too big (limit 256 KiB)' '$T/c4h.err' &&
    ! grep -q '$hblock.*retry' '$T/c4h.err' && test \$(grep -cxF '$hblock' '$T/c4h.paths') -eq 1"
check "a header line over 100 KiB: said, asked once (no retry)" bash -c "
    grep -q '$hline: response headers too big (a line over 100 KiB)' '$T/c4h.err' &&
    ! grep -q '$hline.*retry' '$T/c4h.err' && test \$(grep -cxF '$hline' '$T/c4h.paths') -eq 1"
check "headers too big: one limit named, not the page size's too" bash -c "
    ! grep -q 'KiB) (limit' '$T/c4h.err'"
check "headers too big: the other 34 articles stored" \
    test "$("$B/timtin-corpus" --corpus "$T/c4h" ls | wc -l)" = 34

# ---- 6c. a feed or sitemap that could not be read is read again the
# next run, though the server vouches it unchanged (ETag, Last-Modified) ----
shard=$(cd "$SITE" && ls StaticSitemaps/*.xml.gz | head -1)
echo "{\"/$shard\": {\"corrupt\": true}}" >"$CTL"
crawl --corpus "$T/c4c" --delay 0 2>"$T/c4c.err"
rc=$?
echo '{}' >"$CTL"
check "a broken gzip'd shard: given up (exit 1), said" \
    bash -c "test $rc -eq 1 && grep -q '$shard: gunzip' '$T/c4c.err'"
n=$(lines)
crawl --corpus "$T/c4c" --delay 0 --quiet
check "the next run: exit 0" test $? -eq 0
check "the next run reads the shard again (200, no conditional request)" bash -c "
    tail -n +$((n + 1)) '$LOG' | awk -F'\t' '\$3 == \"/$shard\"' | cut -f4,5 | tr '\t\n' '  ' |
        grep -qx '200 - '"

# ---- 7. a robots.txt that never answers ----
echo '{"/robots.txt": {"hang": true}}' >"$CTL"
t0=$(date +%s.%N)
timeout 30 "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c5" --delay 0 \
    --timeout 1 --robots-retry 0.2 2>"$T/c5.err"
rc=$?
check "robots.txt hangs: the crawl gives up (exit 1), not killed by a 30 s timeout" test $rc -eq 1
# (the log is written when a response ends: select by request time)
check "robots.txt hangs: nothing else fetched meanwhile" python3 -c '
import sys
p = [l.split("\t") for l in open(sys.argv[1])]
p = [f[2] for f in p if float(f[0]) >= float(sys.argv[2])]
assert p and set(p) == {"/robots.txt"}, p' "$LOG" "$t0"
echo '{}' >"$CTL"
crawl --corpus "$T/c5" --delay 0 --quiet
check "robots.txt back: the next run does the work" test "$(stat_of "$T/c5" articles)" = 36

# ---- 7b. robots.txt answers 503 with Retry-After: asked again no sooner ----
echo '{"/robots.txt": {"status": 503, "retry_after": 1, "times": 1}}' >"$CTL"
n=$(lines)
timeout 60 "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c6" --delay 0 \
    --robots-retry 0.05 --quiet
rc=$?
echo '{}' >"$CTL"
check "robots.txt 503 once: the crawl succeeds with all 36 articles" \
    test $rc -eq 0 -a "$(stat_of "$T/c6" articles)" = 36
check "robots.txt 503: asked again after its Retry-After (1 s), not --robots-retry (0.05 s)" python3 -c '
import sys
p = [l.split("\t") for l in open(sys.argv[1]).readlines()[int(sys.argv[2]):]]
r = [(float(f[0]), f[3]) for f in p if f[2] == "/robots.txt"]
others = [float(f[0]) for f in p if f[2] != "/robots.txt"]
print("# robots.txt:", r)
assert [s for _, s in r[:2]] == ["503", "200"] and r[1][0] - r[0][0] >= 1.0
assert min(others) >= r[1][0]' "$LOG" "$n"

# ---- 7c. giving up: what failed (or robots.txt forbade) in give_up_after
# runs in a row is dropped from the deferred file and not queued again
# when found, until the site dates it later or 30 days have passed; a seed
# is never given up ----
G=$T/c7 GS=$T/c7/crawl-state/tuoitre
{ cat "$TOP/crawler/profiles/tuoitre.conf"; echo "give_up_after = 2"; } >"$T/giveup.conf"
read -r g1 g1p <<<"$(sed -n 10p "$SITE/ids.tsv" | tr '\t' ' ')"
read -r g2 g2p <<<"$(sed -n 11p "$SITE/ids.tsv" | tr '\t' ' ')"
echo "{\"$g1p\": {\"status\": 500}, \"$g2p\": {\"status\": 500}, \"/rss.htm\": {\"status\": 500}}" >"$CTL"
gcrawl() { # ERR [OPTIONS]: a crawl of c7, the paths it asked for in $T/ERR.paths
    local err=$1 n; shift
    n=$(lines)
    "$B/timtin-crawl" --profile "$T/giveup.conf" --base-url "$BASE" --corpus "$G" --delay 0 \
        --retries 0 "$@" 2>"$T/$err"
    rc=$?
    log_from "$n" | cut -f3 >"$T/$err.paths"
}
deferred_runs() { awk -v u="$BASE$1" '$3 == u { print $4 }' "$GS/deferred"; }
gcrawl g1.err --give-up-after 3
check "give up: run 1, two articles answer 500 and a seed too: exit 1, each deferred once" bash -c "
    test $rc -eq 1 && test '$(deferred_runs "$g1p")' = 1 -a '$(deferred_runs "$g2p")' = 1 &&
    test '$(deferred_runs /rss.htm)' = 1 -a '$(deferred_runs /ban-doc.htm)' = 1"
gcrawl g2.err --give-up-after 3
check "give up: run 2, --give-up-after 3 over the profile's give_up_after = 2: deferred 2 runs in a row, none given up" \
    bash -c "test $rc -eq 1 && test '$(deferred_runs "$g1p")' = 2 -a '$(deferred_runs /ban-doc.htm)' = 2 &&
        grep -q '; 0 given up;' '$T/g2.err' && test ! -s '$GS/given-up'"
gcrawl g3.err --give-up-after 3
sed 's/^/# /' "$T/g3.err"
check "give up: run 3, the failed articles and the forbidden URL given up (said, counted), the seed not" bash -c "
    test $rc -eq 1 && grep -q '; 3 given up;' '$T/g3.err' &&
    grep -q '$g1p: HTTP 500 (gave up after 1 attempt); failed 3 runs in a row: given up' '$T/g3.err' &&
    grep -q '$g2p: HTTP 500 (gave up after 1 attempt); failed 3 runs in a row: given up' '$T/g3.err' &&
    grep -q '/ban-doc.htm: disallowed by robots.txt 3 runs in a row: given up' '$T/g3.err' &&
    ! grep -q 'rss.htm.*given up' '$T/g3.err'"
check "give up: run 3, each failed article asked for once (also found again: given up, not asked again)" \
    test "$(grep -cxF -e "$g1p" -e "$g2p" "$T/g3.err.paths")" -eq 2
check "give up: the deferred file keeps only the seed, deferred 3 runs in a row" \
    bash -c "test \"\$(cut -d' ' -f3,4 '$GS/deferred')\" = '$BASE/rss.htm 3'"
check "give up: the given-up file names the three URLs, with the time" bash -c "
    test \$(wc -l <'$GS/given-up') -eq 3 &&
    awk -F'\t' -v now=\$(date +%s) '\$2 > now - 600 && \$2 <= now' '$GS/given-up' | cut -f3 | sort |
        tr '\n' ' ' | grep -qxF \"\$(printf '%s\n' '$BASE$g1p' '$BASE$g2p' '$BASE/ban-doc.htm' | sort | tr '\n' ' ')\""
# as a run cut short would leave it: the URL still in the queue
echo "a 0 $BASE$g2p" >>"$GS/queue"
gcrawl g4.err
check "give up: run 4, linked from every listing (and one left queued), neither article asked for nor the URL carried; the seed asked for" \
    bash -c "test $rc -eq 1 && ! grep -q 'in a row: given up\|$g1p\|$g2p\|ban-doc' '$T/g4.err' &&
        ! grep -qxF -e '$g1p' -e '$g2p' '$T/g4.err.paths' && grep -qx /rss.htm '$T/g4.err.paths' &&
        ! grep -q 'ban-doc\|$g1p\|$g2p' '$GS/deferred' && grep -q '; 1 errors; 0 given up;' '$T/g4.err'"
# the site dates the first article later than the give-up: another chance
python3 - "$S" "$T/changed-g.jsonl" "$g1" <<'EOF2'
import datetime, json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    a = json.loads(line)
    if a["id"] == sys.argv[3]:
        t = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
        a["modified"] = (t + datetime.timedelta(minutes=5)).replace(microsecond=0).isoformat()
    out.write(json.dumps(a, ensure_ascii=False) + "\n")
EOF2
"$B/timtin-sitegen" --quiet --page-size 5 "$SITE" "$T/changed-g.jsonl"
echo '{}' >"$CTL"
gcrawl g5.err
check "give up: a sitemap dates the article later than the give-up: asked for again and stored; the other not" \
    bash -c "test $rc -eq 0 && grep -qxF '$g1p' '$T/g5.err.paths' && ! grep -qxF '$g2p' '$T/g5.err.paths' &&
        '$B/timtin-corpus' --corpus '$G' ls | cut -f1 | grep -qx '$g1' &&
        outputs_no -P '^$g2\t' '$B/timtin-corpus' --corpus '$G' ls &&
        test \$(wc -l <'$GS/given-up') -eq 2"
"$B/timtin-sitegen" --quiet --page-size 5 "$SITE" "$S"
# 30 days later: found again, another give_up_after runs
awk -F'\t' -v OFS='\t' '{ $2 -= 31 * 86400; print }' "$GS/given-up" >"$T/gu" && cp "$T/gu" "$GS/given-up"
gcrawl g6.err
check "give up: after 30 days the other article is asked for again and stored: all 36" \
    bash -c "test $rc -eq 0 && grep -qxF '$g2p' '$T/g6.err.paths' && test '$(stat_of "$G" articles)' = 36"
check "give up: after 30 days the forbidden URL is carried again, its count from 1; the marks are gone" \
    bash -c "test '$(deferred_runs /ban-doc.htm)' = 1 && test ! -s '$GS/given-up'"
# a deferred file of the older form (no counts): each line counts as one run
crawl --corpus "$T/c7o" --delay 0 --quiet --give-up-after 2
check "give up: a run writes its count to the deferred file" grep -q '/ban-doc\.htm 1$' "$T/c7o/crawl-state/tuoitre/deferred"
sed -i 's/ [0-9]*$//' "$T/c7o/crawl-state/tuoitre/deferred"
check "give up: (the deferred file made of the older form)" grep -q '/ban-doc\.htm$' "$T/c7o/crawl-state/tuoitre/deferred"
crawl --corpus "$T/c7o" --delay 0 --give-up-after 2 2>"$T/c7o.err"
rc=$?
check "give up: an older deferred line counts as one run: given up after the next" bash -c "
    test $rc -eq 0 && grep -q 'ban-doc.htm: disallowed by robots.txt 2 runs in a row: given up' '$T/c7o.err' &&
    grep -q '; 1 given up;' '$T/c7o.err' && ! grep -q ban-doc '$T/c7o/crawl-state/tuoitre/deferred'"
crawl --corpus "$T/c7n" --delay 0 --quiet --give-up-after 0
crawl --corpus "$T/c7n" --delay 0 --quiet --give-up-after 0
check "give up: --give-up-after 0 never gives up" bash -c "
    grep -q '/ban-doc\.htm 2$' '$T/c7n/crawl-state/tuoitre/deferred' && test ! -s '$T/c7n/crawl-state/tuoitre/given-up'"
# a listing that lists nothing new but a given-up article: its next pages
# are not read for it (listings only, as in 4d; the section with a second
# page, its newest article failing until given up in the first run)
sec=$(grep -l '/trang-2\.htm"' "$SITE"/*.htm | head -1)
gp=$(grep -oE 'href="/[^"]*-[0-9]{17}\.htm"' "$sec" | head -1 | sed -E 's/^href="|"$//g')
{ cat "$T/listing.conf"; echo "give_up_after = 1"; } >"$T/listing-gu.conf"
echo "{\"/sitemaps*\": {\"status\": 404}, \"/StaticSitemaps*\": {\"status\": 404}, \"/rss*\": {\"status\": 404}, \"$gp\": {\"status\": 500}}" >"$CTL"
lcrawl() { # ERR: a listings-only crawl of c7l, the paths it asked for in $T/ERR.paths
    local n
    n=$(lines)
    "$B/timtin-crawl" --profile "$T/listing-gu.conf" --base-url "$BASE" --corpus "$T/c7l" --delay 0 \
        --retries 0 2>"$T/$1"
    rc=$?
    log_from "$n" | cut -f3 >"$T/$1.paths"
}
lcrawl l1.err
check "give up, listings: run 1 reads the second page, gives up the failing article" bash -c "
    test -n '$gp' && grep -q '/trang-2\.htm\$' '$T/l1.err.paths' && grep -qF '$gp: HTTP 500 (gave up after 1 attempt); failed 1 run in a row: given up' '$T/l1.err'"
# the home page and sections changed since (as a news site's do): read again
for f in "$SITE"/*.htm; do [[ $f =~ $ARTICLE_RE ]] || touch "$f"; done
lcrawl l2.err
echo '{}' >"$CTL"
check "give up, listings: run 2 reads the section, not its second page (nothing new but the given-up article)" \
    bash -c "grep -qxF '/${sec##*/}' '$T/l2.err.paths' && ! grep -q '/trang-[0-9]*\.htm\$' '$T/l2.err.paths' &&
        ! grep -qxF '$gp' '$T/l2.err.paths'"
for bad in "--give-up-after -1" "--give-up-after x" "--give-up-after 100000"; do
    # shellcheck disable=SC2086
    "$B/timtin-crawl" --corpus "$T/x" --profile tuoitre $bad 2>/dev/null; rc=$?
    check "bad option value ($bad): exit 2" test $rc -eq 2
done
{ cat "$TOP/crawler/profiles/tuoitre.conf"; echo "give_up_after = soon"; } >"$T/giveup-bad.conf"
"$B/timtin-crawl" --corpus "$T/x" --profile "$T/giveup-bad.conf" 2>"$T/giveup-bad.err"; rc=$?
check "give_up_after = soon in a profile: exit 2, the line named" \
    bash -c "test $rc -eq 2 && grep -q 'giveup-bad.conf:[0-9]*: give_up_after' '$T/giveup-bad.err'"

# ---- 7d. what fails for good (404, a page too big, neither HTML nor a
# feed; an article or a section) is carried like any failure and given up
# after give_up_after runs: one dead link does not fail every night ----
{ cat "$TOP/crawler/profiles/tuoitre.conf"; echo "give_up_after = 2"; } >"$T/gone.conf"
read -r _ d404 <<<"$(sed -n 12p "$SITE/ids.tsv")"
read -r _ dbig <<<"$(sed -n 13p "$SITE/ids.tsv")"
read -r _ dpdf <<<"$(sed -n 14p "$SITE/ids.tsv")"
python3 - "$CTL" "$d404" "$dbig" "$dpdf" <<'EOF2'
import json, sys
json.dump({sys.argv[2]: {"status": 404}, sys.argv[3]: {"big": 2 * 1024 * 1024},
           sys.argv[4]: {"body": "%PDF-1.4 not a page", "content_type": "application/pdf"},
           "/the-thao.htm": {"status": 410}}, open(sys.argv[1], "w"))
EOF2
dcrawl() { # ERR: a crawl of c9, the paths it asked for in $T/ERR.paths
    local n f
    # the home page and sections changed since the last run, as a news
    # site's do: read again, they link the same articles again
    for f in "$SITE"/*.htm; do [[ $f =~ $ARTICLE_RE ]] || touch "$f"; done
    n=$(lines)
    "$B/timtin-crawl" --profile "$T/gone.conf" --base-url "$BASE" --corpus "$T/c9" --delay 0 \
        --max-page-size 1M 2>"$T/$1"
    rc=$?
    log_from "$n" | cut -f3 >"$T/$1.paths"
}
gone_runs() { awk -v u="$BASE$1" '$3 == u { print $4 }' "$T/c9/crawl-state/tuoitre/deferred"; }
dcrawl d1.err
sed "s/^/# /" "$T/d1.err"
check "for good: run 1, a 404, a page too big, a PDF and a 410 section: exit 1, each deferred once" bash -c "
    test $rc -eq 1 && grep -q '; 4 errors; 0 given up;' '$T/d1.err' &&
    test '$(gone_runs "$d404")' = 1 -a '$(gone_runs "$dbig")' = 1 -a '$(gone_runs "$dpdf")' = 1 -a \
        '$(gone_runs /the-thao.htm)' = 1"
dcrawl d2.err
sed "s/^/# /" "$T/d2.err"
check "for good: run 2, each given up (said, counted, marked): exit 1, the run's errors" bash -c "
    test $rc -eq 1 && grep -q '; 4 errors; 5 given up;' '$T/d2.err' &&
    grep -q '$d404: HTTP 404; failed 2 runs in a row: given up' '$T/d2.err' &&
    grep -q '$dbig: .*too big.*; failed 2 runs in a row: given up' '$T/d2.err' &&
    grep -q '$dpdf: neither HTML nor a feed .*; failed 2 runs in a row: given up' '$T/d2.err' &&
    grep -q '/the-thao.htm: HTTP 410; failed 2 runs in a row: given up' '$T/d2.err' &&
    test \$(grep -c -e '$d404' -e '$dbig' -e '$dpdf' -e /the-thao.htm '$T/c9/crawl-state/tuoitre/given-up') -eq 4"
dcrawl d3.err
check "for good: run 3, none of them asked for again: no error, exit 0" bash -c "
    test $rc -eq 0 && grep -q '; 0 errors; 0 given up;' '$T/d3.err' &&
    ! grep -qxF -e '$d404' -e '$dbig' -e '$dpdf' -e /the-thao.htm '$T/d3.err.paths'"
echo '{}' >"$CTL"

# ---- 7e. several sites crawled into one corpus one after the other (as
# timtin-nightly's SITES does): each profile keeps its state in
# crawl-state/NAME/, so a site's queue left by a run cut short, its
# failures carried to the next run and its run counter survive the other
# sites' runs.  Site B: the sample articles under other ids (a corpus
# keys articles by id), served on another port, its profile tuoitre.conf
# under another name ----
python3 - "$S" "$T/b.jsonl" <<'EOF2'
import json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    a = json.loads(line)
    new = "1" + a["id"][1:]
    a["url"] = a["url"].replace(a["id"], new)
    a["id"] = new
    out.write(json.dumps(a, ensure_ascii=False) + "\n")
EOF2
"$B/timtin-sitegen" --quiet --page-size 5 --limit 12 "$T/site-b" "$T/b.jsonl"
serve "site B's server" "$T/site-b" "$T/b.log"
BASE_B=$SERVED SRV3=$SERVED_PID
sed 's/^name = .*/name = site-b/' "$TOP/crawler/profiles/tuoitre.conf" >"$T/site-b.conf"
bcrawl() { "$B/timtin-crawl" --profile "$T/site-b.conf" --base-url "$BASE_B" --delay 0 "$@"; }
# site_articles CORPUS DIGIT: how many of its articles have ids starting
# with DIGIT (2: site A's, 1: site B's)
site_articles() { "$B/timtin-corpus" --corpus "$1" ls | cut -f1 | grep -c "^$2"; }
run_of() { sed -n 's/^run //p' "$1/crawl-state/$2/run"; }
# (a) A cut short, then B, then A: A's queue is still there
na=$(lines)
crawl --corpus "$T/c13" --delay 0 --max-pages 8 --quiet
check "two sites: A's run cut short (--max-pages 8) leaves a queue in crawl-state/tuoitre/" \
    test -s "$T/c13/crawl-state/tuoitre/queue" -a "$(site_articles "$T/c13" 2)" -lt 36
bcrawl --corpus "$T/c13" --quiet
check "two sites: B's crawl into the same corpus stores B's 12 articles (exit 0)" \
    test $? -eq 0 -a "$(site_articles "$T/c13" 1)" = 12
crawl --corpus "$T/c13" --delay 0 --quiet
check "two sites: A's next run fetches what its cut-short run left queued: all 36 of A's articles" \
    test $? -eq 0 -a "$(site_articles "$T/c13" 2)" = 36
check "two sites: ... no article page of A fetched twice" \
    test -z "$(article_200s "$na" | sort | uniq -d)"
check "two sites: each profile counts its own runs (A: 2, B: 1), no state left flat" bash -c "
    test '$(run_of "$T/c13" tuoitre)' = 2 -a '$(run_of "$T/c13" site-b)' = 1 -a ! -e '$T/c13/crawl-state/run'"
"$B/timtin-corpus" --corpus "$T/c13" verify >/dev/null 2>&1
check "two sites: the corpus with its crawl-state/NAME/ directories verifies" test $? -eq 0
# (b) A fails on a page, then B, then A: the page counts 2 runs in a row
{ cat "$TOP/crawler/profiles/tuoitre.conf"; echo "give_up_after = 2"; } >"$T/a-gu.conf"
read -r _ fp <<<"$(sed -n 15p "$SITE/ids.tsv")"
echo "{\"$fp\": {\"status\": 500}}" >"$CTL"
acrawl() { "$B/timtin-crawl" --profile "$T/a-gu.conf" --base-url "$BASE" --corpus "$T/c14" --delay 0 \
    --retries 0 "$@"; }
acrawl --quiet 2>/dev/null
check "two sites, giving up: A's run 1 defers the page that fails" \
    grep -q "$fp 1\$" "$T/c14/crawl-state/tuoitre/deferred"
bcrawl --corpus "$T/c14" --quiet
acrawl 2>"$T/c14.err"
rc=$?
echo '{}' >"$CTL"
sed "s/^/# /" "$T/c14.err"
check "two sites, giving up: B's run between does not reset it: A's run 2 gives it up (2 runs in a row of A)" bash -c "
    test $rc -eq 1 && grep -q '$fp: HTTP 500 (gave up after 1 attempt); failed 2 runs in a row: given up' '$T/c14.err' &&
    grep -qF '$BASE$fp' '$T/c14/crawl-state/tuoitre/given-up' && test ! -s '$T/c14/crawl-state/site-b/given-up'"
# (c) a corpus of the flat layout (crawl-state/run, urls...: the state
# of crawls before per-profile directories): made from a run cut short,
# and a NAME.tmp left by a migration killed mid-copy
nc=$(lines)
crawl --corpus "$T/c15" --delay 0 --max-pages 8 --quiet
flatten "$T/c15"
mkdir "$T/c15/crawl-state/tuoitre.tmp" && echo torn >"$T/c15/crawl-state/tuoitre.tmp/urls"
crawl --corpus "$T/c15" --delay 0 --quiet
check "flat state: the next run takes it over (exit 0): all 36 articles" \
    test $? -eq 0 -a "$(site_articles "$T/c15" 2)" = 36
check "flat state: no article page fetched again (the URL marks and the queue kept)" \
    test -z "$(article_200s "$nc" | sort | uniq -d)"
check "flat state: the run counter continues (run 2) in crawl-state/tuoitre/; no tuoitre.tmp left" bash -c "
    test '$(run_of "$T/c15" tuoitre)' = 2 -a ! -e '$T/c15/crawl-state/tuoitre.tmp'"
check "flat state: the flat files are left for the other sites" bash -c "
    test '$(run_of "$T/c15" .)' = 1 -a -s '$T/c15/crawl-state/urls' -a -s '$T/c15/crawl-state/queue'"
n=$(lines)
bcrawl --corpus "$T/c15" 2>"$T/c15b.err"
rc=$?
check "flat state: B's first run takes a copy too (run 2), drops A's queue as out of scope, asks A's host nothing" bash -c "
    test $rc -eq 0 -a '$(run_of "$T/c15" site-b)' = 2 && grep -Eq 'queued URLs? out of scope dropped' '$T/c15b.err' &&
    test \$(wc -l <'$LOG') -eq $n && test '$(site_articles "$T/c15" 1)' = 12"
n=$(lines)
crawl --corpus "$T/c15" --delay 0 --quiet
check "flat state: A's state is not taken from the flat one again (run 3, no article fetched)" bash -c "
    test '$(run_of "$T/c15" tuoitre)' = 3 && test -z \"\$(tail -n +$((n + 1)) '$LOG' | awk -F'\t' '\$4 == 200' | cut -f3 | grep -E -- '$ARTICLE_RE')\""
# two crawls of different profiles into one corpus at once: the corpus
# has one writer; the second crawl is refused before it touches the state
hang=$(sed -n 16p "$SITE/ids.tsv" | cut -f2)
echo "{\"$hang\": {\"hang\": true}}" >"$CTL"
n=$(lines)
"$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --corpus "$T/c16" --delay 0 --timeout 600 --quiet &
CP=$!
on_exit "kill -9 $CP 2>/dev/null"
hanging() { log_from "$n" | cut -f3 | grep -qxF "$hang"; }
wait_for hanging || fail "at once: A's crawl reaches the page that hangs"
bcrawl --corpus "$T/c16" 2>"$T/c16.err"
rc=$?
check "at once: B's crawl into the corpus A is crawling is refused (exit 2), naming the lock's holder" bash -c "
    test $rc -eq 2 && grep -q 'is locked by' '$T/c16.err' && grep -q '$CP' '$T/c16.err' &&
    test ! -e '$T/c16/crawl-state/site-b'"
kill -9 $CP 2>/dev/null; wait $CP 2>/dev/null
echo '{}' >"$CTL"
bcrawl --corpus "$T/c16" --quiet
check "at once: once A is gone, B's crawl runs" test $? -eq 0 -a "$(site_articles "$T/c16" 1)" = 12
kill $SRV3 2>/dev/null

# ---- 8. usage and configuration errors: exit 2 ----
for args in --bogus -Z --corpus; do
    "$B/timtin-crawl" $args 2>"$T/err"; rc=$?
    check "usage error $args: exit 2, said by timtin-crawl (not its path), with the hint" \
        bash -c "test $rc -eq 2 && grep -q '^timtin-crawl: ' '$T/err' && grep -q -- --help '$T/err' && ! grep -qF '$B' '$T/err'"
done
"$B/timtin-crawl" --corpus "$T/x" 2>/dev/null; rc=$?
check "no --profile: exit 2" test $rc -eq 2
"$B/timtin-crawl" --corpus "$T/x" --profile no-such-site 2>/dev/null; rc=$?
check "unknown profile: exit 2" test $rc -eq 2
"$B/timtin-crawl" --corpus "$T/x" --profile tuoitre --delay soon 2>/dev/null; rc=$?
check "bad --delay: exit 2" test $rc -eq 2
for bad in "--delay nan" "--timeout -1" "--retry-base inf" "--max-page-size 0" "--max-page-size 2G"; do
    # shellcheck disable=SC2086
    "$B/timtin-crawl" --corpus "$T/x" --profile tuoitre $bad 2>/dev/null; rc=$?
    check "bad option value ($bad): exit 2" test $rc -eq 2
done
"$B/timtin-crawl" --corpus "$T/x" --profile tuoitre --base-url https://tuổitrẻ.vn/ 2>"$T/idn.err"; rc=$?
check "--base-url with an internationalised host: exit 2, punycode asked for" \
    bash -c "test $rc -eq 2 && grep -q 'tuổitrẻ.vn/: internationalised host names must be written in punycode (xn--' '$T/idn.err'"
sed 's#^base = .*#base = https://báo.vn#' "$TOP/crawler/profiles/tuoitre.conf" >"$T/idn.conf"
"$B/timtin-crawl" --corpus "$T/x" --profile "$T/idn.conf" 2>"$T/idn.err"; rc=$?
check "base = https://báo.vn: exit 2, punycode asked for" \
    bash -c "test $rc -eq 2 && grep -q 'base https://báo.vn: internationalised host names must be written in punycode (xn--' '$T/idn.err'"
crawl --corpus "$T/mp0" --delay 0 --max-pages 0 --quiet 2>"$T/mp0.err"; rc=$?
check "--max-pages 0: a usage error (exit 2), said, nothing crawled" \
    bash -c "test $rc -eq 2 && grep -q -- '--max-pages' '$T/mp0.err' && test ! -e '$T/mp0'"
# --timeout 0 (or under libcurl's 1 ms) would mean no timeout at all: a
# server that never answers would hold the crawl forever
for t in 0 0.0004; do
    crawl --corpus "$T/t0" --delay 0 --max-pages 1 --timeout $t --quiet 2>"$T/t0.err"; rc=$?
    check "--timeout $t: a usage error (exit 2), the range said, nothing crawled" \
        bash -c "test $rc -eq 2 && grep -q -- '--timeout: expected seconds from 0.001 to 3600' '$T/t0.err' &&
            test ! -e '$T/t0'"
done
check "--help: the range of --timeout" bash -c "'$B/timtin-crawl' --help | grep -q -- '--timeout SECONDS .*0.001 to 3600'"
mkdir "$T/notes" && echo "ghi chú" >"$T/notes/todo.txt"
crawl --corpus "$T/notes" --delay 0 --quiet 2>"$T/notes.err"; rc=$?
check "--corpus: a directory of other files is refused (exit 2), nothing added" \
    bash -c "test $rc -eq 2 && grep -q 'not a timtin corpus (it holds todo.txt' '$T/notes.err' &&
        test \"\$(ls -A '$T/notes')\" = todo.txt"
# the profile's name names its state directory (crawl-state/NAME/):
# a name that cannot is refused, the line named
for bad in '' '.' '..' 'a/b' 'x.tmp' 'run' 'given-up' "$(printf 'x\033y')" "$(printf 'n%0100d' 0)"; do
    sed "s#^name = .*#name = $bad#" "$TOP/crawler/profiles/tuoitre.conf" >"$T/badname.conf"
    # (bounded, should the name be taken: one page of the test site)
    "$B/timtin-crawl" --corpus "$T/badname" --profile "$T/badname.conf" --base-url "$BASE" --delay 0 \
        --max-pages 1 2>"$T/badname.err"; rc=$?
    check "a profile named \"$(printf '%q' "$bad" | cut -c1-20)\": exit 2, the line named" \
        bash -c "test $rc -eq 2 && grep -q 'badname.conf:6: name' '$T/badname.err'"
done
"$B/timtin-crawl" --dry-run --profile tuoitre --base-url "$BASE" --delay 0 --quiet >"$T/dry.jsonl"
check "--dry-run prints articles and writes nothing" test "$(grep -c '"id"' "$T/dry.jsonl")" -eq 36 -a ! -e "$T/x"

done_testing
