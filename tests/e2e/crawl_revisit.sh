#!/usr/bin/env bash
# Revisits: the crawler asks again, politely, for articles it stored
# long ago (revisit_after, revisit_max, revisit_per_run), so that an
# article the site withdrew without a word in its sitemap is noticed,
# and a silent edit is stored; one re-extracted (--reextract) is asked
# for with the validators of the page its version names, as any other.  A
# small site written here, served by tests/server.py.  Nothing waits: an
# article is made "old" with revisit_after = 0 (due at once: every
# article fetched by an earlier run on the day it was stored), or by
# running the crawler with its clock days ahead (TIMTIN_TEST_CLOCK_DAYS,
# crawl.c) and by giving a page a published date long ago.  Checks on
# the request log (which article, in what order, with which validators,
# what status), the crawler's output and exit status, the corpus and the
# state; no sleeps.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-corpus" ] || skip "timtin-crawl or timtin-corpus not built"
command -v python3 >/dev/null || skip "python3 missing"

S=$T/site LOG=$T/server.log CTL=$T/control.json
mkdir -p "$S/a"
printf 'User-agent: *\nDisallow:\n' >"$S/robots.txt"
# page ID [TEXT [DATE]]: the article's page (DATE: its published date,
# ISO 8601, in a meta tag)
page() {
    local meta=
    [ -n "${3:-}" ] && meta="<meta property=\"article:published_time\" content=\"$3\">"
    printf '<html><head><meta charset="utf-8"><title>t</title>%s</head><body><h1>Bài %s</h1><div class="c"><p>%s</p></div></body></html>\n' \
        "$meta" "$1" "${2:-Nội dung của bài $1, đủ dài để làm một đoạn văn.}" >"$S/a/$1.htm"
}
# sitemap ID...: the site's sitemap lists those articles, all dated
# 2020-01-01 (never later: only a revisit asks for them again)
sitemap() {
    {
        echo '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        for id in "$@"; do printf '<url><loc>%s/a/%s.htm</loc><lastmod>2020-01-01T00:00:00+07:00</lastmod></url>\n' "$BASE" "$id"; done
        echo '</urlset>'
    } >"$S/sm.xml"
}
echo '{}' >"$CTL"
serve_site "$S" "$LOG" --control "$CTL" || { fail "the server starts and answers"; exit 1; }
BASE=$SERVED
# profile [LINES...]: the site's profile, $T/site.conf
profile() {
    {
        printf 'name = site\nbase = %s\nseed = /sm.xml\n' "$BASE"
        printf 'article = ^/a/([a-z0-9]+)\\.htm$\ntitle = h1\ncontent = div.c\nbody = p\n'
        printf 'published = meta[property=article:published_time] @content\n'
        printf '%s\n' "$@"
    } >"$T/site.conf"
}
crawl() { "$B/timtin-crawl" --corpus "$C" --profile "$T/site.conf" --delay 0 --no-sync "$@"; }
live() { "$B/timtin-corpus" --corpus "$C" ls | cut -f1 | grep -qx "$1"; }
records() { "$B/timtin-corpus" --corpus "$C" stats 2>/dev/null | sed -n 's/^records: //p'; }
# mark: the log's length now; since: the log's lines after the last mark
mark() { M=$(wc -l <"$LOG"); }
since() { tail -n +$((M + 1)) "$LOG"; }
# articles: the article paths asked for since the mark, in order
articles() { since | cut -f3 | grep '^/a/' | tr '\n' ' '; }

for id in r1 r2 r3 r4; do page $id; done
sitemap r1 r2 r3 r4

# ---- 1. the defaults: fresh articles are not due (revisit_after 30) ----
C=$T/c1
profile
crawl --quiet
check "first crawl: 4 articles stored" test "$("$B/timtin-corpus" --corpus "$C" ls | wc -l)" -eq 4
mark
crawl 2>"$T/1.err"
rc=$?
check "default policy, articles fetched today: exit 0, no article asked for" bash -c "
    test $rc -eq 0 && test -z \"$(articles)\""
check_not "default policy: no revisit line" grep -q 'revisited' "$T/1.err"

# ---- 2. revisits off ----
profile 'revisit_after = 0' 'revisit_per_run = 0'
mark
crawl --quiet
check "revisit_per_run = 0: no article asked for again" test -z "$(articles)"
profile 'revisit_after = 0' 'revisit_per_run = 10'
mark
crawl --quiet --revisit 0
check "--revisit 0 overrides the profile: no article asked for again" test -z "$(articles)"
profile 'revisit_per_run = -1'
crawl --quiet 2>"$T/2.err"
check "revisit_per_run = -1: refused (exit 2, named)" bash -c "test $? -eq 2 && grep -q revisit_per_run '$T/2.err'"
crawl --quiet --revisit x 2>"$T/2b.err"
check "--revisit x: usage error" bash -c "test $? -eq 2 && grep -q -- --revisit '$T/2b.err'"

# ---- 3. unchanged: a conditional request, a 304, no new record ----
profile 'revisit_after = 0' 'revisit_per_run = 10'
n=$(records)
mark
crawl 2>"$T/3.err"
rc=$?
sed 's/^/# /' "$T/3.err"
check "unchanged: exit 0" test $rc -eq 0
check "unchanged: each stored article asked for once" test "$(articles)" = "/a/r1.htm /a/r2.htm /a/r3.htm /a/r4.htm "
check "unchanged: with If-None-Match and If-Modified-Since from the stored response, answered 304" \
    test "$(since | awk -F'\t' '$3 ~ /^\/a\// && $4 == 304 && $5 != "-" && $6 != "-"' | wc -l)" -eq 4
check "unchanged: no new record" test "$(records)" -eq "$n"
check "unchanged: the summary says so" grep -q 'revisited 4 (unchanged 4, changed 0, withdrawn 0, failed 0)' "$T/3.err"
mark
crawl --quiet
check "the next run: each asked for again (revisit_after = 0), 304" \
    test "$(since | awk -F'\t' '$3 ~ /^\/a\// && $4 == 304' | wc -l)" -eq 4

# ---- 4. a silent edit: a new version ----
page r2 "Nội dung đã sửa lặng lẽ của bài r2, không đổi ngày trong sitemap."
mark
crawl 2>"$T/4.err"
rc=$?
check "silent edit: exit 0, a new version of r2 stored" bash -c "
    test $rc -eq 0 && '$B/timtin-corpus' --corpus '$C' cat r2 | grep -q 'sửa lặng lẽ'"
check "silent edit: the summary says 1 changed, 3 unchanged" grep -q 'revisited 4 (unchanged 3, changed 1, withdrawn 0, failed 0)' "$T/4.err"
check "silent edit: r2 answered 200 to its conditional request" \
    test "$(since | awk -F'\t' '$3 == "/a/r2.htm" && $4 == 200 && $5 != "-"' | wc -l)" -eq 1

# ---- 5. withdrawn by dropping it from the sitemap: a 410 ----
sitemap r1 r2 r4
echo '{"/a/r3.htm": {"status": 410}}' >"$CTL"
crawl 2>"$T/5.err"
rc=$?
sed 's/^/# /' "$T/5.err"
check "dropped from the sitemap, 410: exit 1 (said once, where cron reads it)" test $rc -eq 1
check "410: said withdrawn, naming r3 and how to remove it" bash -c "
    grep -F '$BASE/a/r3.htm' '$T/5.err' | grep 'withdrawn' | grep -q 'timtin-corpus delete r3'"
check "410: counted among the revisits and in the withdrawn line" bash -c "
    grep -q 'revisited 4 (unchanged 3, changed 0, withdrawn 1, failed 0)' '$T/5.err' &&
    grep -q '1 article withdrawn by the site' '$T/5.err'"
check "410: r3 kept" live r3
mark
crawl 2>"$T/5b.err"
rc=$?
check "withdrawn, the next run: exit 0, r3 not asked for again, nothing said" bash -c "
    test $rc -eq 0 && ! grep -q 'withdrawn by the site' '$T/5b.err'"
check "withdrawn, the next run: the others revisited" test "$(articles)" = "/a/r1.htm /a/r2.htm /a/r4.htm "

# ---- 6. a failure is a failure, not a withdrawal ----
echo '{"/a/r4.htm": {"status": 500}}' >"$CTL"
crawl --retries 0 2>"$T/6.err"
rc=$?
check "500 on a revisit: exit 1, failed, not withdrawn, r4 kept" bash -c "
    test $rc -eq 1 && grep -q 'revisited 3 (unchanged 2, changed 0, withdrawn 0, failed 1)' '$T/6.err' &&
    ! grep -F '$BASE/a/r4.htm' '$T/6.err' | grep -q withdrawn"
check "500: r4 kept" live r4
echo '{}' >"$CTL"
mark
crawl 2>"$T/6b.err"
rc=$?
check "500, the next run: r4 asked for again (once), exit 0" bash -c "
    test $rc -eq 0 && test $(since | cut -f3 | grep -c '^/a/r4.htm$') -eq 1"

echo '{"/a/r1.htm": {"status": 500}}' >"$CTL"
crawl --quiet --retries 0 2>/dev/null
echo '{}' >"$CTL"
profile 'revisit_after = 0' 'revisit_per_run = 0'
mark
crawl --quiet
check "a revisit deferred, then revisits turned off: not made" test -z "$(articles)"

# ---- 7. withdrawn = delete: a 410 on a revisit deletes ----
profile 'revisit_after = 0' 'revisit_per_run = 10' 'withdrawn = delete'
echo '{"/a/r4.htm": {"status": 410}}' >"$CTL"
crawl 2>"$T/7.err"
rc=$?
check "withdrawn = delete, 410 on a revisit: r4 deleted, exit 0" bash -c "
    $(declare -f live); B='$B' C='$C'; test $rc -eq 0 && ! live r4 &&
    grep -q '1 article withdrawn by the site (HTTP 410): deleted' '$T/7.err'"
echo '{}' >"$CTL"

# ---- 8. at most N a run, the longest unchecked first, across runs ----
C=$T/c8
for id in q1 q2 q3 q4 q5; do page $id; done
sitemap q1 q2 q3 q4 q5
profile 'revisit_after = 0' 'revisit_per_run = 2'
mark
crawl --quiet
check "bound: first crawl stores q1..q5, no revisit in it" test "$(articles)" = "/a/q1.htm /a/q2.htm /a/q3.htm /a/q4.htm /a/q5.htm "
mark
crawl 2>"$T/8.err"
check "bound: run 2 revisits 2, the first stored" bash -c "
    test '$(articles)' = '/a/q1.htm /a/q2.htm ' && grep -q 'revisited 2 (' '$T/8.err'"
mark
crawl --quiet
check "bound: run 3 revisits the next 2" test "$(articles)" = "/a/q3.htm /a/q4.htm "
mark
crawl --quiet
check "bound: run 4 revisits q5, then the longest unchecked, q1" test "$(articles)" = "/a/q5.htm /a/q1.htm "

# ---- 9. new articles before revisits ----
page q6
sitemap q6 q1 q2 q3 q4 q5
profile 'revisit_after = 0' 'revisit_per_run = 10'
mark
crawl --quiet
a=$(articles)
check "new article first: q6 asked for before the revisits (q1 and q5, checked in one second, in either order)" \
    bash -c "[[ '$a' == '/a/q6.htm /a/q2.htm /a/q3.htm /a/q4.htm '* ]] && test \$(wc -w <<<'$a') -eq 6"
page q7
sitemap q7 q6 q1 q2 q3 q4 q5
mark
crawl --quiet --max-pages 2
check "--max-pages 2: the sitemap and the new q7, no revisit" test "$(articles)" = "/a/q7.htm "

# ---- 10. the interval grows with the article's age ----
# at DAYS CMD...: CMD with the crawler's clock DAYS days ahead
at() { local d=$1; shift; TIMTIN_TEST_CLOCK_DAYS=$d "$@"; }
C=$T/c10
old=$(date -u -d "@$(($(date +%s) - 200 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
page y1
page p1 "Bài cũ, đăng hai trăm ngày trước khi được lưu vào kho." "$old"
sitemap y1 p1
profile
at 0 crawl --quiet
check "age: day 0, y1 (no date) and p1 (published 200 days before) stored" bash -c "
    $(declare -f live); B='$B' C='$C'; live y1 && live p1"
mark
at 29 crawl --quiet
check "age: day 29, none due" test -z "$(articles)"
mark
at 30 crawl 2>"$T/10.err"
rc=$?
check "age: day 30, y1 (checked on the day it was stored) due after revisit_after; p1 (checked at 200 days old) not" \
    bash -c "test $rc -eq 0 && test '$(articles)' = '/a/y1.htm '"
check "age: day 30, the summary counts it" grep -q 'revisited 1 (unchanged 1, changed 0, withdrawn 0, failed 0)' "$T/10.err"
mark
at 100 crawl --quiet
check "age: day 100, y1 (checked at 30 days old) due; p1 not" test "$(articles)" = "/a/y1.htm "
mark
at 130 crawl --quiet
check "age: day 130, 30 days after its last check, y1 (checked at 100 days old) not due" test -z "$(articles)"
mark
at 199 crawl --quiet
check "age: day 199, none due" test -z "$(articles)"
mark
at 200 crawl --quiet
check "age: day 200, p1 (200 days old when checked) and y1 (100 days after its check at 100 days old) due, the longest due first" \
    test "$(articles)" = "/a/p1.htm /a/y1.htm "
profile 'revisit_max = 150'
mark
at 349 crawl --quiet
check "revisit_max = 150: day 349, none due (checked at 200 and 400 days old on day 200)" test -z "$(articles)"
mark
at 350 crawl --quiet
a=$(articles)
check "revisit_max = 150: day 350, both due (checked in one second: in either order): none waits more than revisit_max" \
    bash -c "[[ '$a' == '/a/p1.htm /a/y1.htm ' || '$a' == '/a/y1.htm /a/p1.htm ' ]]"
profile
mark
at 714 crawl --quiet
check "revisit_max 365 (the default): day 714, y1 (checked at 350 days old) due; p1 (at 550) not" \
    test "$(articles)" = "/a/y1.htm "
mark
at 715 crawl --quiet
check "revisit_max 365: day 715, p1 due, 365 days after its check" test "$(articles)" = "/a/p1.htm "
page p1 "Bài cũ, sửa lại sau hai năm: tuổi của nó tính lại từ lần sửa này." "$old"
mark
at 1080 crawl 2>"$T/10b.err"
check "age: day 1080, p1 (365 days after its check) due, changed: a new version" bash -c "
    test '$(articles)' = '/a/y1.htm /a/p1.htm ' &&
    grep -q 'revisited 2 (unchanged 1, changed 1, withdrawn 0, failed 0)' '$T/10b.err'"
mark
at 1109 crawl --quiet
check "a changed article's age counts from the change: day 1109, p1 not due" test -z "$(articles)"
mark
at 1110 crawl --quiet
check "a changed article's age counts from the change: day 1110, p1 due (revisit_after after it)" \
    test "$(articles)" = "/a/p1.htm "

# ---- 11. a state of an older version: no "versions" file ----
V=$C/crawl-state/site/versions
check "the state keeps when each article's version began (versions)" test -s "$V"
rm -f "$V"
mark
at 1140 crawl 2>"$T/11.err"
rc=$?
check "older state: y1 (no date) counts its age from its last fetch, due; p1 from its published date, not due" \
    bash -c "test $rc -eq 0 && test '$(articles)' = '/a/y1.htm '"
check "older state: both articles' ages kept in a new versions file" \
    test "$(cut -f1 "$V" | sort -u | wc -l)" -eq 2

# ---- 12. the default cap: twice the articles falling due a day ----
C=$T/c12
long=$(printf 'Một đoạn văn đủ dài của bài viết để không bị coi là trống. %.0s' 1 2 3 4)
ms=$(seq -f 'm%g' 1 100)
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for id in $ms; do page "$id" "$long" "$now"; done
sitemap $ms
profile 'revisit_after = 3'
at 0 crawl --quiet
check "cap: 100 articles stored" test "$("$B/timtin-corpus" --corpus "$C" ls | wc -l)" -eq 100
mark
at 3 crawl 2>"$T/12.err"
rc=$?
a=$(articles)
check "cap: day 3, 100 due, 100/3 falling due a day: 67 asked (2 x 100/3, rounded up)" bash -c "
    test $rc -eq 0 && test $(wc -w <<<"$a") -eq 67 && grep -q 'revisited 67 (unchanged 67,' '$T/12.err'"
check "cap: the summary says how many due are left" grep -q '33 articles due for a revisit left for the next run' "$T/12.err"
mark
at 3 crawl 2>"$T/12b.err"
check "cap: the next run, the 33 left" bash -c "
    test $(articles | wc -w) -eq 33 &&
    test \$(tr ' ' '\n' <<<'$a $(articles)' | grep -c .) -eq 100 &&
    test \$(tr ' ' '\n' <<<'$a $(articles)' | grep . | sort -u | wc -l) -eq 100 &&
    ! grep -q 'due for a revisit left' '$T/12b.err'"
mark
at 6 crawl --quiet --revisit 5
check "cap: --revisit 5 overrides it" test "$(articles | wc -w)" -eq 5
profile
mark
at 40 crawl --quiet
check "cap: revisit_after 30, 100 due, 100/30 a day: at least 50" test "$(articles | wc -w)" -eq 50
profile 'revisit_per_run = auto'
mark
at 40 crawl --quiet
check "cap: revisit_per_run = auto, the same: the other 50" test "$(articles | wc -w)" -eq 50
echo '{"/a/m1.htm": {"status": 500}}' >"$CTL"
mark
at 80 crawl --quiet --revisit 100 --retries 0 2>/dev/null
echo '{}' >"$CTL"
check "cap: day 80, --revisit 100: the 100 due asked, m1 failing" bash -c "
    test $(articles | wc -w) -eq 100 && test $(since | awk -F'\t' '$3 == "/a/m1.htm" && $4 == 500' | wc -l) -eq 1"
mark
at 80 crawl 2>"$T/12c.err"
check "cap: the next run, m1, left queued, made first within the derived cap, and no other" bash -c "
    test '$(articles)' = '/a/m1.htm ' && grep -q 'revisited 1 (unchanged 1,' '$T/12c.err'"

# ---- 13. a re-extracted article: revisited with a conditional request ----
# --reextract appends its new version far from the page it names; the
# crawler still finds that page (the id index keeps where it is), even
# with ids.idx rebuilt from the files
C=$T/c13
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
page x1 "Bài x1, đọc lại từ trang đã lưu sau khi sửa hồ sơ của trang." "$now"
page x2 "Bài x2, đọc lại từ trang đã lưu sau khi sửa hồ sơ của trang." "$now"
sitemap x1 x2
profile
grep -v '^published' "$T/site.conf" >"$T/nodate.conf"
"$B/timtin-crawl" --corpus "$C" --profile "$T/nodate.conf" --delay 0 --no-sync --quiet
check "re-extracted: stored without their date (the profile missed it)" \
    test "$("$B/timtin-corpus" --corpus "$C" cat x1 | grep -c '"published"')" -eq 0
"$B/timtin-crawl" --corpus "$C" --profile "$T/site.conf" --no-sync --reextract 2>"$T/13r.err"
check "re-extracted: x1 and x2 get a new version, their date read now" bash -c "
    grep -q '2 articles re-extracted: 2 changed' '$T/13r.err' &&
    '$B/timtin-corpus' --corpus '$C' cat x1 | grep -q '\"published\"'"
profile 'revisit_after = 0' 'revisit_per_run = 10'
for how in "the writer's ids.idx" "ids.idx rebuilt from the files"; do
    [ "$how" = "ids.idx rebuilt from the files" ] && rm "$C/ids.idx"
    mark
    crawl 2>"$T/13.err"
    rc=$?
    check "re-extracted, $how: exit 0, each revisited once" bash -c "
        test $rc -eq 0 && test '$(articles | tr ' ' '\n' | sort | tr '\n' ' ')' = '/a/x1.htm /a/x2.htm '"
    check "re-extracted, $how: with If-None-Match and If-Modified-Since from the page its version names, answered 304" \
        test "$(since | awk -F'\t' '$3 ~ /^\/a\// && $4 == 304 && $5 != "-" && $6 != "-"' | wc -l)" -eq 2
    check "re-extracted, $how: the summary says so" grep -q 'revisited 2 (unchanged 2, changed 0' "$T/13.err"
done

# ---- 14. the keys ----
profile 'revisit_after = 30' 'revisit_max = 20'
crawl --quiet 2>"$T/13.err"
check "revisit_max less than revisit_after: refused (exit 2, both named)" bash -c "
    test $? -eq 2 && grep 'revisit_max' '$T/13.err' | grep -q revisit_after"
profile 'revisit_per_run = lots'
crawl --quiet 2>"$T/13b.err"
check "revisit_per_run = lots: refused (exit 2, auto named)" bash -c "
    test $? -eq 2 && grep 'revisit_per_run' '$T/13b.err' | grep -q auto"

done_testing
