#!/usr/bin/env bash
# Dates and JSON-LD of crawled articles, end to end: pages of a Tuổi
# Trẻ-style site (the shipped profile, --base-url) written here, served by
# tests/server.py and crawled with --dry-run; what extraction set aside is
# reported on stderr with the page's URL.  Synchronisation by readiness
# probes, never sleeps.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin-crawl" ] || skip "timtin-crawl not built"
command -v python3 >/dev/null || skip "python3 missing"

S=$T/site
mkdir -p "$S"
n=0
# page SLUG HEAD BODY: an article page, linked from the home page; its
# path in $P, and in HEAD for @SELF@
page() {
    n=$((n + 1))
    P=/$1-2026113009$(printf %07d $n).htm
    echo "<a href=\"$P\">$1</a>" >>"$S/links"
    printf '<html><head><meta charset="utf-8">%s</head><body><h1 class="detail-title" data-role="title">%s</h1><div class="detail-content" data-role="content"><p>Thân bài %s.</p>%s</div></body></html>\n' \
        "${2//@SELF@/$P}" "$1" "$1" "$3" >"$S$P"
}
ld() { printf '<script type="application/ld+json">{"@type":"NewsArticle","headline":"h","datePublished":"%s"}</script>' "$1"; }
meta() { printf '<meta property="article:published_time" content="%s">' "$1"; }

page epoch "$(ld 1970-01-01T07:00:00+07:00)$(meta 2026-11-30T08:15:00+07:00)" ''
EPOCH=$P
page future "$(ld 2036-11-30T08:15:00+07:00)" '<div data-role="publishdate">30/11/2026 08:15 GMT+7</div>'
FUTURE=$P
# two JSON-LD articles, a related 2019 story's first: the page's own is
# the one whose url names the page (on the site's host, not the test's)
page two-ld '<script type="application/ld+json">{"@type":"NewsArticle","url":"https://tuoitre.vn/khac-20190101000000000.htm","headline":"h","datePublished":"2019-01-01T00:00:00+07:00"}</script><script type="application/ld+json">{"@type":"NewsArticle","url":"https://tuoitre.vn@SELF@","headline":"h","datePublished":"2026-11-30T08:15:00+07:00"}</script>' ''
# two that name neither this page nor each other's date: neither taken
page ld-disagree "$(ld 2019-01-01T00:00:00+07:00)$(ld 2026-11-29T08:15:00+07:00)$(meta 2026-11-30T08:15:00+07:00)" ''
DISAGREE=$P
# JSON-LD with a raw line break, a trailing comma, an HTML comment around
# it: read; one still broken: reported
page ld-newline '<script type="application/ld+json">{"@type":"NewsArticle","headline":"h","description":"one
two","datePublished":"2026-11-30T08:15:00+07:00"}</script>' ''
page ld-comma '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2026-11-30T08:15:00+07:00",}</script>' ''
page ld-comment '<script type="application/ld+json"><!--
{"@type":"NewsArticle","datePublished":"2026-11-30T08:15:00+07:00"}
--></script>' ''
page ld-broken '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":}</script>' ''
BROKEN=$P

{ echo '<html><body>'; cat "$S/links"; echo '</body></html>'; } >"$S/index.htm"
printf 'User-agent: *\nAllow: /\n' >"$S/robots.txt"
serve_site "$S" "$T/http.log" || { fail "the site starts"; exit 1; }

"$B/timtin-crawl" --dry-run --profile tuoitre --profiles-dir "$TOP/crawler/profiles" \
    --base-url "$SERVED" --delay 0 >"$T/out.jsonl" 2>"$T/err"
# published SLUG: the published date of the article of that slug
published() {
    python3 -c '
import json, sys
for l in open(sys.argv[1]):
    a = json.loads(l)
    if a["url"].rsplit("/", 1)[1].startswith(sys.argv[2] + "-"):
        print(a.get("published"))' "$T/out.jsonl" "$1"
}
# said URL WORDS...: a line of stderr names the URL and has every word
said() {
    local url=$1 l
    shift
    while IFS= read -r l; do
        local w all=1
        for w in "$@"; do [[ $l == *"$w"* ]] || all=0; done
        [ $all = 1 ] && return 0
    done < <(grep -F "$url" "$T/err")
    cat "$T/err" >&2
    return 1
}

check "1970 from JSON-LD set aside: the meta tag's date" test "$(published epoch)" = 2026-11-30T08:15:00+07:00
check "1970 from JSON-LD: reported with the URL" said "$SERVED$EPOCH" 1970-01-01T07:00:00+07:00 "before 1990" "not taken"
check "2036 from JSON-LD set aside: the page text's date" test "$(published future)" = 2026-11-30T08:15:00+07:00
check "2036 from JSON-LD: reported with the URL" said "$SERVED$FUTURE" 2036-11-30T08:15:00+07:00 "after the fetch"
check "two JSON-LD articles: the page's own date" test "$(published two-ld)" = 2026-11-30T08:15:00+07:00
check "two JSON-LD articles that disagree, none the page's: the meta tag's date" test "$(published ld-disagree)" = 2026-11-30T08:15:00+07:00
check "two JSON-LD articles that disagree: reported with the URL" said "$SERVED$DISAGREE" "JSON-LD" "disagree on datePublished"
for s in ld-newline ld-comma ld-comment; do
    check "JSON-LD $s: read" test "$(published $s)" = 2026-11-30T08:15:00+07:00
done
check "broken JSON-LD: reported with the URL" said "$SERVED$BROKEN" "JSON-LD block 1 of 1" "invalid JSON" "not read"

done_testing
