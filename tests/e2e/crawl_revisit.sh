#!/usr/bin/env bash
# Revisits: the crawler asks again, politely, for articles it stored
# long ago (revisit_after, revisit_per_run), so that an article the site
# withdrew without a word in its sitemap is noticed, and a silent edit is
# stored.  A small site written here, served by tests/server.py; an
# article is made "old" with revisit_after = 0 (due at once: every
# article fetched by an earlier run), so nothing waits.  Checks on the
# request log (which article, in what order, with which validators, what
# status), the crawler's output and exit status, and the corpus; no
# sleeps.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-corpus" ] || skip "timtin-crawl or timtin-corpus not built"
command -v python3 >/dev/null || skip "python3 missing"

S=$T/site LOG=$T/server.log CTL=$T/control.json
mkdir -p "$S/a"
printf 'User-agent: *\nDisallow:\n' >"$S/robots.txt"
# page ID [TEXT]: the article's page
page() {
    printf '<html><head><meta charset="utf-8"><title>t</title></head><body><h1>Bài %s</h1><div class="c"><p>%s</p></div></body></html>\n' \
        "$1" "${2:-Nội dung của bài $1, đủ dài để làm một đoạn văn.}" >"$S/a/$1.htm"
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

done_testing
