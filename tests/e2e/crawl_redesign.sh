#!/usr/bin/env bash
# The crawler when a site changes under it: pages given up as "not an
# article" come back once the profile is fixed (those an older version
# gave up on too); a run whose new articles are mostly undated or nearly
# empty says so (a redesign the profile missed), and the indexer counts
# articles without a date; a sitemap date in the future brings an article
# back once, not every run; another story's headline as a link in a body
# is neither stored nor indexed, a paragraph of prose wrapped in a link
# is both.  Small sites written here, served by tests/server.py;
# readiness probes, never sleeps.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-corpus" ] && [ -x "$B/timtin-index" ] &&
    [ -x "$B/timtin-search" ] || skip "timtin-crawl, timtin-corpus, timtin-index or timtin-search not built"
command -v python3 >/dev/null || skip "python3 missing"

LONG='Nội dung của bài viết này đủ dài để là một bài báo thật sự, với nhiều câu văn: Hà Nội hôm nay có mưa rào rải rác, nhiệt độ thấp nhất khoảng hai mươi độ, gió đông bắc cấp ba, chiều tối trời quang dần và đêm nay trời lạnh hơn.'
DATE='<meta property="article:published_time" content="2026-11-30T09:00:00+07:00">'
# page ROOT PATH HEAD BODY: an HTML page
page() {
    mkdir -p "$(dirname "$1/$2")"
    printf '<html><head><meta charset="utf-8">%s<title>t</title></head><body>%s</body></html>\n' "$3" "$4" >"$1/$2"
}
# links ROOT PATH...: ROOT/index.htm linking to each PATH
links() {
    local root=$1 p
    shift
    printf 'User-agent: *\nAllow: /\n' >"$root/robots.txt"
    { printf '<html><body>'; for p; do printf '<a href="%s">x</a> ' "$p"; done; printf '</body></html>\n'; } >"$root/index.htm"
}
# profile NAME BASE [LINES...]: $PROF/NAME.conf
PROF=$T/profiles
mkdir -p "$PROF"
profile() {
    local name=$1 base=$2
    shift 2
    {
        printf 'name = %s\nbase = %s\nseed = /\n' "$name" "$base"
        printf 'article = ^/a/([a-z0-9]+)\\.htm$\n'
        printf 'title = h1\npublished = meta[property=article:published_time] @content\n'
        printf 'content = div.c\nbody = p\n'
        printf '%s\n' "$@"
    } >"$PROF/$name.conf"
}
crawl() { "$B/timtin-crawl" --delay 0 --no-sync --profiles-dir "$PROF" "$@"; }
in_corpus() { "$B/timtin-corpus" --corpus "$1" cat "$2" >/dev/null 2>&1; }
gets() { grep -c "	GET	$2	200" "$1"; } # LOG PATH: 200 answers to GETs of PATH

# ---- 1. a redesign, then the profile fixed ----
S1=$T/site1 C1=$T/c1
mkdir -p "$S1"
page "$S1" a/ok1.htm "$DATE" "<h1>Bài cũ</h1><div class=\"c\"><p>$LONG</p></div>"
# the redesign: the body in div.moi, the title in h2.tieu-de
page "$S1" a/n1.htm "$DATE" "<h1>Bài mới một</h1><div class=\"moi\"><p>$LONG redesignone</p></div>"
page "$S1" a/n2.htm "$DATE" "<h2 class=\"tieu-de\">Bài mới hai</h2><div class=\"c\"><p>$LONG redesigntwo</p></div>"
# and a page of the article pattern that is no article under any profile
page "$S1" a/v1.htm "$DATE" "<h1>Video</h1><video src=\"v.mp4\"></video>"
links "$S1" /a/ok1.htm /a/n1.htm /a/n2.htm /a/v1.htm
serve_site "$S1" "$T/s1.log" || { fail "site 1 serves"; exit 1; }
U1=$SERVED
profile red "$U1"
crawl --corpus "$C1" --profile red 2>"$T/r1.err"
check "redesign: exit 1" test $? -eq 1
check "redesign: no body said" grep -q "/a/n1.htm: not an article: no body" "$T/r1.err"
check "redesign: no title said" grep -q "/a/n2.htm: not an article: no title" "$T/r1.err"
check "redesign: the unchanged article stored" in_corpus "$C1" ok1
check_not "redesign: n1 not stored" in_corpus "$C1" n1

# the same profile again: nothing asked again
crawl --corpus "$C1" --profile red 2>"$T/r2.err"
check "same profile: the pages given up are not asked again" test "$(gets "$T/s1.log" /a/n1.htm)" = 1
check_not "same profile: nothing said re-queued" grep -q "queued again" "$T/r2.err"

# the operator fixes the profile: rules for the new layout after the old
profile red "$U1" 'title = h2.tieu-de' 'content = div.moi'
crawl --corpus "$C1" --profile red 2>"$T/r3.err"
rc=$?
check "profile fixed: the page without a body stored" in_corpus "$C1" n1
check "profile fixed: the page without a title stored" in_corpus "$C1" n2
check "profile fixed: the summary says 3 pages queued again and why" \
    grep -q "3 pages given up as not an article under another version of the profile (or by an older timtin-crawl) queued again" "$T/r3.err"
check "profile fixed: the page still no article is said again (exit 1)" bash -c "
    test $rc -eq 1 && grep -q '/a/v1.htm: not an article' '$T/r3.err'"
check_not "profile fixed: no layout warning (the articles are whole)" grep -q "layout" "$T/r3.err"
crawl --corpus "$C1" --profile red 2>"$T/r4.err"
check "profile fixed, next run: nothing fetched again" bash -c "
    test \$(grep -c '	GET	/a/' '$T/s1.log') = 7"
check_not "profile fixed, next run: nothing queued again" grep -q "queued again" "$T/r4.err"

# ---- 1b. pages a state from before this change gave up on ----
S2=$T/site2 C2=$T/c2
mkdir -p "$S2"
page "$S2" a/o1.htm "$DATE" "<h1>Bài hỏng</h1><div class=\"zzz\"><p>$LONG oldstate</p></div>"
links "$S2" /a/o1.htm
serve_site "$S2" "$T/s2.log" || { fail "site 2 serves"; exit 1; }
U2=$SERVED
profile old "$U2"
crawl --corpus "$C2" --profile old 2>"$T/o1.err"
check "old state: not an article" grep -q "/a/o1.htm: not an article: no body" "$T/o1.err"
# the unstored file as an older crawler wrote it (keys only); the page
# mended meanwhile, the home page unchanged (it would answer 304)
U=$C2/crawl-state/old/unstored
check "old state: the page is in unstored" test -s "$U"
cut -f1 "$U" >"$U.new" && mv "$U.new" "$U"
page "$S2" a/o1.htm "$DATE" "<h1>Bài hỏng</h1><div class=\"c\"><p>$LONG oldstate</p></div>"
crawl --corpus "$C2" --profile old 2>"$T/o2.err"
check "old state: the page given up before is fetched again and stored" in_corpus "$C2" o1
check "old state: said" bash -c "
    grep -q '1 page given up by an older timtin-crawl, which kept no reason' '$T/o2.err' &&
    grep -q '1 page given up as not an article under another version of the profile (or by an older timtin-crawl) queued again' '$T/o2.err'"
check "old state: the home page read in full for it" bash -c "
    test \$(grep -c '	GET	/	200' '$T/s2.log') = 2"
crawl --corpus "$C2" --profile old 2>"$T/o3.err"
check "old state, next run: asked once only" test "$(gets "$T/s2.log" /a/o1.htm)" = 2
check "old state, next run: the home page conditional again" bash -c "
    grep '	GET	/	' '$T/s2.log' | tail -1 | grep -q '	304	'"

# ---- 2. undated, nearly empty articles: a warning, and counts ----
S3=$T/site3 C3=$T/c3
mkdir -p "$S3"
for i in 1 2 3 4 5 6; do
    # (the redesign moved the text out of the body container)
    page "$S3" a/u$i.htm "" "<h1>Bài $i</h1><div class=\"c\"><p>Xem thêm: bài khác</p></div><div class=\"text\">$LONG</div>"
done
# (with another story's headline as a link, which is not its text, and a
# source line and a paragraph a link wraps, which are)
page "$S3" a/d1.htm "$DATE" "<h1>Bài có ngày</h1><div class=\"c\"><p>$LONG</p><p><strong><a href=\"https://example.org/gia-vang.htm\">Giá vàng lập đỉnh mới</a></strong></p><p>Theo <a href=\"https://example.org/\">Reuters</a></p><p><a href=\"https://example.org/de.htm\">Đê sông Hồng được gia cố thêm. Mực nước đã xuống dưới báo động một.</a></p></div>"
links "$S3" /a/u1.htm /a/u2.htm /a/u3.htm /a/u4.htm /a/u5.htm /a/u6.htm /a/d1.htm
serve_site "$S3" "$T/s3.log" || { fail "site 3 serves"; exit 1; }
U3=$SERVED
profile thin "$U3"
crawl --corpus "$C3" --profile thin 2>"$T/t1.err"
check "thin articles: exit 1 (the warning counts as an error: cron mails it)" test $? -eq 1
check "thin articles: all stored" in_corpus "$C3" u6
check "thin articles: the undated counted" grep -q "6 articles stored without a date" "$T/t1.err"
check "thin articles: the short bodies counted" \
    grep -q "6 articles stored with less than 200 characters of body text" "$T/t1.err"
check "thin articles: the warning names the share, URLs and the profile" bash -c "
    grep 'of the 7 articles stored' '$T/t1.err' | grep -F '$U3/a/u' | grep -q 'profile'"
crawl --dry-run --profile thin 2>"$T/t2.err" >/dev/null
check "thin articles, --dry-run: the warning too" grep -q "of the 7 articles" "$T/t2.err"
"$B/timtin-index" --corpus "$C3" --db "$T/db3" --no-sync >"$T/i3.out" 2>&1
check "index: articles without a date counted" grep -q "6 without a date" "$T/i3.out"
check_not "index: none said unusable" grep -q "unusable date" "$T/i3.out"
check "a link-only paragraph (another story's headline) is not stored, a source line and prose in a link are" bash -c "
    '$B/timtin-corpus' --corpus '$C3' cat d1 | python3 -c '
import json, sys
b = json.load(sys.stdin)[\"body\"]
sys.exit(not (len(b) == 3 and b[1] == \"Theo Reuters\" and
              b[2].startswith(\"Đê sông Hồng được gia cố\")))'"
check "a link-only paragraph is not indexed, prose in a link is" bash -c "
    '$B/timtin-search' --db '$T/db3' --json 'lập đỉnh' | python3 -c '
import json, sys
sys.exit(json.load(sys.stdin)[\"total\"] != 0)' &&
    '$B/timtin-search' --db '$T/db3' --json 'reuters' | python3 -c '
import json, sys
sys.exit(json.load(sys.stdin)[\"total\"] != 1)' &&
    '$B/timtin-search' --db '$T/db3' --json 'sông Hồng' | python3 -c '
import json, sys
r = json.load(sys.stdin)
sys.exit(r[\"total\"] != 1 or r[\"relaxed\"])'"

# ---- 3. a sitemap date in the future ----
S4=$T/site4 C4=$T/c4
mkdir -p "$S4"
page "$S4" a/f1.htm "$DATE" "<h1>Bài tương lai</h1><div class=\"c\"><p>$LONG</p></div>"
page "$S4" a/p1.htm "$DATE" "<h1>Bài quá khứ</h1><div class=\"c\"><p>$LONG</p></div>"
links "$S4"
serve_site "$S4" "$T/s4.log" || { fail "site 4 serves"; exit 1; }
U4=$SERVED
printf '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/a/f1.htm</loc><lastmod>2036-01-01T00:00:00+07:00</lastmod></url><url><loc>%s/a/p1.htm</loc><lastmod>2020-01-01T00:00:00+07:00</lastmod></url></urlset>\n' \
    "$U4" "$U4" >"$S4/sm.xml"
profile fut "$U4" 'seed = /sm.xml'
for i in 1 2 3; do
    touch -d "2024-01-0$i 12:00" "$S4/sm.xml" # another ETag: read in full each run
    crawl --corpus "$C4" --profile fut 2>"$T/f$i.err"
done
check "future lastmod: the sitemap read in full each run" test "$(gets "$T/s4.log" /sm.xml)" = 3
check "future lastmod: the article fetched once over three runs" test "$(gets "$T/s4.log" /a/f1.htm)" = 1
check "future lastmod: the past one fetched once" test "$(gets "$T/s4.log" /a/p1.htm)" = 1
check "future lastmod: said, naming the article" grep -q "/a/f1.htm: .*in the future" "$T/f1.err"
check "future lastmod: counted in the summary" grep -q "1 article dated in the future" "$T/f1.err"
# the site dates it later again (an edit): fetched again, once
sed -i 's/2036-01-01/2036-02-01/' "$S4/sm.xml"
touch -d "2024-01-04 12:00" "$S4/sm.xml"
crawl --corpus "$C4" --profile fut 2>"$T/f4.err"
crawl --corpus "$C4" --profile fut 2>"$T/f5.err"
check "future lastmod moved later: fetched once more" test "$(gets "$T/s4.log" /a/f1.htm)" = 2

done_testing
