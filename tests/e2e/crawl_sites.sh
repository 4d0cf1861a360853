#!/usr/bin/env bash
# The crawler with several sites in one corpus, and its guards on what an
# operator or a site gives it: two sites whose article ids collide (the
# other site's article is neither replaced nor skipped silently; id_prefix
# namespaces a site's ids), a listing whose pagination never ends
# (max_listing_pages), a --contact that would add a header, and a dry run
# whose output cannot be written.  Small sites written here, served by
# tests/server.py; synchronisation by readiness probes, never sleeps.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-corpus" ] || skip "timtin-crawl or timtin-corpus not built"
command -v python3 >/dev/null || skip "python3 missing"

# serve NAME ROOT: serve ROOT until the script ends; its URL in $SERVED
serve() {
    local name=$1 root=$2
    python3 "$TOP/tests/server.py" --root "$root" --log "$T/$name.log" >"$T/$name.port" 2>"$T/$name.err" &
    on_exit "kill $! 2>/dev/null"
    wait_for test -s "$T/$name.port" || { fail "$name starts"; return 1; }
    SERVED=http://127.0.0.1:$(head -1 "$T/$name.port")
    wait_for curl -sf -o /dev/null "$SERVED/index.htm" || { fail "$name answers"; return 1; }
}
# article ROOT PATH TITLE: an article page (dated, and long enough not
# to look like a page the profile misreads: docs/CRAWLER.md, A redesign)
article() {
    mkdir -p "$(dirname "$1/$2")"
    printf '<html><head><meta charset="utf-8"><meta property="article:published_time" content="2026-11-30T09:00:00+07:00"><title>t</title></head><body><h1>%s</h1><div class="c"><p>Nội dung của bài %s, đủ dài để làm một đoạn văn. Hà Nội hôm nay có mưa rào rải rác, nhiệt độ thấp nhất khoảng hai mươi độ, gió đông bắc cấp ba, chiều tối trời quang dần, đêm nay trời lạnh hơn nhiều so với hôm qua.</p></div></body></html>\n' \
        "$3" "$3" >"$1/$2"
}
# profile NAME BASE [LINES...]: a profile file $T/NAME.conf
profile() {
    local name=$1 base=$2
    shift 2
    {
        printf 'name = %s\nbase = %s\nseed = /\n' "$name" "$base"
        printf 'article = ^/a/([a-z0-9]+)\\.htm$\npaginate = ^/p/[0-9]+\\.htm$\n'
        printf 'title = h1\npublished = meta[property=article:published_time] @content\n'
        printf 'content = div.c\nbody = p\n'
        printf '%s\n' "$@"
    } >"$T/$name.conf"
}
crawl() { "$B/timtin-crawl" --delay 0 --no-sync "$@"; }
source_of() { "$B/timtin-corpus" --corpus "$1" cat "$2" | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a.get("source"), a["title"])'; }

# ---- 1. two sites, one article id ----
SA=$T/sitea SB=$T/siteb
mkdir -p "$SA" "$SB"
article "$SA" a/ok5.htm "Bài A"
echo '<html><body><a href="/a/ok5.htm">a</a></body></html>' >"$SA/index.htm"
article "$SB" a/ok5.htm "Bài B"
article "$SB" a/b7.htm "Bài B bảy"
echo '<html><body><a href="/a/ok5.htm">a</a> <a href="/a/b7.htm">b</a></body></html>' >"$SB/index.htm"
serve sitea "$SA" || exit 1
URL_A=$SERVED
serve siteb "$SB" || exit 1
URL_B=$SERVED
printf '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/a/ok5.htm</loc><lastmod>2030-01-01T00:00:00+07:00</lastmod></url></urlset>\n' \
    "$URL_B" >"$SB/sm.xml"
profile sitea "$URL_A"
profile siteb "$URL_B"
C=$T/c
crawl --corpus "$C" --profile "$T/sitea.conf" --quiet
check "site A: its article stored" test "$(source_of "$C" ok5)" = "sitea Bài A"

crawl --corpus "$C" --profile "$T/siteb.conf" 2>"$T/b1.err"
check "site B, id held by site A: exit 1 (an article not stored is an error)" test $? -eq 1
check "site B: the conflict names both sites, the URL and the remedy" bash -c "
    grep -F '$URL_B/a/ok5.htm' '$T/b1.err' | grep 'sitea' | grep -q 'id_prefix'"
check "site B: the summary counts it" grep -q '1 article not stored: its id is held by another site' "$T/b1.err"
check "site B: its other article stored" test "$(source_of "$C" b7)" = "siteb Bài B bảy"
check "site B: site A's article kept" test "$(source_of "$C" ok5)" = "sitea Bài A"

# the next run, a sitemap dating it later: still not stored over site A's
echo 'seed = /sm.xml' >>"$T/siteb.conf"
crawl --corpus "$C" --profile "$T/siteb.conf" 2>"$T/b2.err"
check "site B dated by its sitemap: exit 1, reported again" bash -c "
    test $? -eq 1 && grep -F '$URL_B/a/ok5.htm' '$T/b2.err' | grep -q sitea"
check "site B dated by its sitemap: nothing said changed" grep -q ' 0 changed' "$T/b2.err"
check "site B dated by its sitemap: site A's article kept" test "$(source_of "$C" ok5)" = "sitea Bài A"
check "the corpus holds one version of each article (ok5, b7)" bash -c "
    test \"\$('$B/timtin-corpus' --corpus '$C' stats | awk -F': ' '\$1 == \"article versions\" { print \$2 }')\" = 2"

# the remedy: site B's ids namespaced
echo 'id_prefix = siteb-' >>"$T/siteb.conf"
crawl --corpus "$C" --profile "$T/siteb.conf" 2>"$T/b3.err"
check "site B with id_prefix: exit 0" test $? -eq 0
check "site B with id_prefix: siteb-ok5 is site B's" test "$(source_of "$C" siteb-ok5)" = "siteb Bài B"
check "site B with id_prefix: siteb-b7 is site B's" test "$(source_of "$C" siteb-b7)" = "siteb Bài B bảy"
check "site B with id_prefix: site A's ok5 untouched" test "$(source_of "$C" ok5)" = "sitea Bài A"
crawl --corpus "$C" --profile "$T/sitea.conf" 2>"$T/a2.err"
check "site A again: exit 0, nothing changed" bash -c "test $? -eq 0 && grep -q ' 0 new, 0 changed' '$T/a2.err'"
for bad in 'a b' 'x/' "$(printf 'a%.0s' {1..65})"; do
    profile bad "$URL_A" "id_prefix = $bad"
    crawl --dry-run --profile "$T/bad.conf" >/dev/null 2>"$T/bad.err"
    check "id_prefix '${bad:0:10}': refused (exit 2, named)" bash -c "test $? -eq 2 && grep -q 'id_prefix' '$T/bad.err'"
done

# ---- 2. a listing whose pagination never ends ----
F=$T/farm
mkdir -p "$F/p"
article "$F" a/f0.htm "Bài 0"
echo '<html><body><a href="/a/f0.htm">a</a> <a href="/p/1.htm">next</a></body></html>' >"$F/index.htm"
for ((n = 1; n <= 70; n++)); do
    article "$F" "a/f$n.htm" "Bài $n"
    printf '<html><body><a href="/a/f%d.htm">a</a> <a href="/p/%d.htm">next</a></body></html>\n' $n $((n + 1)) >"$F/p/$n.htm"
done
serve farm "$F" || exit 1
profile farm "$SERVED" 'max_listing_pages = 5'
crawl --corpus "$T/cf" --profile "$T/farm.conf" 2>"$T/f1.err"
check "max_listing_pages 5: exit 0" test $? -eq 0
check "max_listing_pages 5: 5 listing pages read, their 5 articles and the home page's" bash -c "
    test \$(awk -F'\t' '\$3 ~ /^\/p\//' '$T/farm.log' | wc -l) -eq 5 &&
    grep -q ' 6 new' '$T/f1.err'"
check "max_listing_pages 5: the stop is said, naming the page not followed" \
    grep -F "$SERVED/p/6.htm" "$T/f1.err"
: >"$T/farm.log"
profile farm "$SERVED"
crawl --corpus "$T/cf2" --profile "$T/farm.conf" --quiet
check "max_listing_pages by default: 50 listing pages, not the 70" \
    test "$(awk -F'\t' '$3 ~ /^\/p\//' "$T/farm.log" | wc -l)" -eq 50
profile bad "$SERVED" 'max_listing_pages = -1'
crawl --dry-run --profile "$T/bad.conf" >/dev/null 2>"$T/bad.err"
check "max_listing_pages -1: refused" bash -c "test $? -eq 2 && grep -q max_listing_pages '$T/bad.err'"

# ---- 3. --contact with control characters ----
: >"$T/sitea.log"
crawl --dry-run --profile "$T/sitea.conf" --contact $'ops@example.org\r\nX-Injected: 1' >/dev/null 2>"$T/ct.err"
check "--contact with CR LF: usage error (exit 2), named" bash -c "test $? -eq 2 && grep -q -- '--contact' '$T/ct.err'"
check "--contact with CR LF: no request made" test ! -s "$T/sitea.log"
crawl --dry-run --profile "$T/sitea.conf" --contact $'ops\texample' >/dev/null 2>/dev/null
check "--contact with a tab: usage error" test $? -eq 2
# the other operator value in a request (the Host header): refused too
: >"$T/sitea.log"
crawl --dry-run --profile "$T/sitea.conf" --base-url $'http://127.0.0.1\r\nX-Injected: 1/' >/dev/null 2>"$T/bu.err"
check "--base-url with CR LF in its host: refused (exit 2)" test $? -eq 2
check "--base-url with CR LF: no request made" test ! -s "$T/sitea.log"
crawl --dry-run --profile "$T/sitea.conf" --contact 'ops@example.org' >/dev/null 2>&1
check "--contact plain: accepted" test $? -eq 0
check "--contact plain: in the User-Agent" bash -c "cut -f9 '$T/sitea.log' | grep -q 'mailto:ops@example.org'"

# ---- 4. a dry run whose output cannot be written ----
if [ -w /dev/full ]; then
    crawl --dry-run --profile "$T/sitea.conf" >/dev/full 2>"$T/full.err"
    check "--dry-run > /dev/full: exit 1" test $? -eq 1
    check "--dry-run > /dev/full: the write error names standard output" grep -q 'standard output' "$T/full.err"
fi

done_testing
