#!/usr/bin/env bash
# Takedowns and withdrawn articles, the crawler's side.  An article
# deleted with `timtin-corpus delete` stays deleted whatever the crawl
# meets (its state lost, the site dating it later, a URL redirecting to
# it), said in the summary; --undelete brings one back.  An article the
# site withdraws (404, 410) is said withdrawn once, naming the id still
# in the corpus, not failed night after night; `withdrawn = delete` turns
# a 410 into a deletion marker.  A small site written here, served by
# tests/server.py; checks on its request log, the crawler's output and
# exit status, and the corpus; no sleeps.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-corpus" ] || skip "timtin-crawl or timtin-corpus not built"
command -v python3 >/dev/null || skip "python3 missing"

S=$T/site LOG=$T/server.log CTL=$T/control.json C=$T/c
mkdir -p "$S/a"
printf 'User-agent: *\nDisallow:\n' >"$S/robots.txt"
for k in k1 k2 k3 k4; do
    printf '<html><head><meta charset="utf-8"><title>t</title></head><body><h1>Bài %s</h1><div class="c"><p>Nội dung của bài %s, đủ dài để làm một đoạn văn.</p></div></body></html>\n' \
        "$k" "$k" >"$S/a/$k.htm"
done
echo '<html><body><a href="/a/k1.htm">1</a> <a href="/a/k2.htm">2</a> <a href="/a/k3.htm">3</a></body></html>' >"$S/index.htm"
echo '{}' >"$CTL"
# sitemap ID:DATE...: the site's sitemap lists those articles, so dated
sitemap() {
    {
        echo '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        for e in "$@"; do printf '<url><loc>%s/a/%s.htm</loc><lastmod>%sT00:00:00+07:00</lastmod></url>\n' "$BASE" "${e%%:*}" "${e#*:}"; done
        echo '</urlset>'
    } >"$S/sm.xml"
}
serve_site "$S" "$LOG" --control "$CTL" || { fail "the server starts and answers"; exit 1; }
BASE=$SERVED
# profile [LINES...]: the site's profile, $T/site.conf
profile() {
    {
        printf 'name = site\nbase = %s\nseed = /\nseed = /sm.xml\n' "$BASE"
        printf 'article = ^/a/([a-z0-9]+)\\.htm$\ntitle = h1\ncontent = div.c\nbody = p\n'
        printf '%s\n' "$@"
    } >"$T/site.conf"
}
crawl() { "$B/timtin-crawl" --corpus "$C" --profile "$T/site.conf" --delay 0 --no-sync "$@"; }
live() { "$B/timtin-corpus" --corpus "$C" ls | cut -f1 | grep -qx "$1"; }
asked() { cut -f3 "$LOG" | grep -c "^$1\$"; }
profile
sitemap k1:2020-01-01 k2:2020-01-01 k3:2020-01-01

crawl --quiet
check "first crawl: k1, k2, k3 stored" bash -c "$(declare -f live); B='$B' C='$C'; live k1 && live k2 && live k3"
"$B/timtin-corpus" --corpus "$C" --no-sync delete k1
check "timtin-corpus delete k1: k1 no longer live" bash -c "$(declare -f live); B='$B' C='$C'; ! live k1"

# ---- 1. a deleted article is never stored again by the crawler ----
# (a) the crawl state lost (restored apart, the profile renamed)
rm -rf "$C/crawl-state"
n=$(asked /a/k1.htm)
crawl 2>"$T/1a.err"
rc=$?
sed 's/^/# /' "$T/1a.err"
check "state lost: exit 0" test $rc -eq 0
check "state lost: k1 stays deleted" bash -c "$(declare -f live); B='$B' C='$C'; ! live k1"
check "state lost: k1's page not asked for" test "$(asked /a/k1.htm)" -eq "$n"
check "state lost: the summary says 0 new and 1 deleted in the corpus: not stored" bash -c "
    grep -q 'articles: 0 new' '$T/1a.err' && grep -q '1 article deleted in the corpus: not stored' '$T/1a.err'"
check "state lost: the log names k1 and how to bring it back" bash -c "
    grep -F '$BASE/a/k1.htm' '$T/1a.err' | grep 'k1' | grep -q -- '--undelete'"

# (b) the site dates it later (lastmod bumped)
sitemap k1:2030-01-01 k2:2020-01-01 k3:2020-01-01
crawl 2>"$T/1b.err"
rc=$?
check "lastmod bumped: exit 0, k1 stays deleted, its page not asked for" bash -c "
    $(declare -f live asked); B='$B' C='$C' LOG='$LOG'
    test $rc -eq 0 && ! live k1 && test \$(asked /a/k1.htm) -eq $n"
check "lastmod bumped: the summary says so" grep -q '1 article deleted in the corpus: not stored' "$T/1b.err"
sitemap k2:2020-01-01 k3:2020-01-01


# (c) another article's URL that redirects to it (no done mark for k1:
# the state lost again)
rm -rf "$C/crawl-state"
echo '{"/a/old9.htm": {"redirect": "/a/k1.htm"}}' >"$CTL"
echo '<html><body><a href="/a/old9.htm">9</a></body></html>' >"$S/index.htm"
crawl 2>"$T/1c.err"
rc=$?
sed 's/^/# /' "$T/1c.err"
check "a URL redirecting to it: exit 0, k1 stays deleted, not asked for" bash -c "
    $(declare -f live asked); B='$B' C='$C' LOG='$LOG'
    test $rc -eq 0 && ! live k1 && test \$(asked /a/k1.htm) -eq $n && test \$(asked /a/old9.htm) -ge 1"
check "a URL redirecting to it: said, naming k1" bash -c "
    grep -q '1 article deleted in the corpus: not stored' '$T/1c.err' && grep -q 'k1' '$T/1c.err'"
echo '{}' >"$CTL"
sitemap k1:2020-01-01 k2:2020-01-01 k3:2020-01-01

# (d) --undelete: the operator's choice brings it back
crawl --undelete nosuch 2>"$T/1d0.err"
check "--undelete of an id the corpus never held: exit 2, named" bash -c "
    test $? -eq 2 && grep -q 'nosuch' '$T/1d0.err'"
crawl --dry-run --undelete k1 >/dev/null 2>"$T/1d1.err"
check "--undelete with --dry-run: usage error" test $? -eq 2
crawl --undelete k1 2>"$T/1d.err"
rc=$?
sed 's/^/# /' "$T/1d.err"
check "--undelete k1: exit 0, k1 live again" bash -c "
    $(declare -f live); B='$B' C='$C'; test $rc -eq 0 && live k1"
check "--undelete k1: the summary says it was stored again" grep -q '1 article stored again (--undelete)' "$T/1d.err"
"$B/timtin-corpus" --corpus "$C" --no-sync delete k1
crawl --undelete "$BASE/a/k1.htm" --quiet
rc=$?
check "--undelete URL: exit 0, k1 live again" bash -c "
    $(declare -f live); B='$B' C='$C'; test $rc -eq 0 && live k1"
crawl --undelete k2 2>"$T/1e.err"
check "--undelete of an id not deleted: exit 0, said" bash -c "
    test $? -eq 0 && grep -q 'k2: not deleted in the corpus' '$T/1e.err'"
"$B/timtin-corpus" --corpus "$C" --no-sync delete k1
sitemap k2:2020-01-01 k3:2020-01-01
crawl --undelete k1 2>"$T/1f.err"
check "--undelete of an id the run does not find: exit 1, said, how to give its URL" bash -c "
    test $? -eq 1 && grep -q 'k1: --undelete: still deleted.*--undelete URL' '$T/1f.err'"
crawl --undelete "$BASE/a/k1.htm" --quiet
sitemap k1:2020-01-01 k2:2020-01-01 k3:2020-01-01

# ---- 4. articles the site withdraws ----
# a 410 for a stored article (the sitemap dates it later: asked again)
echo '{"/a/k2.htm": {"status": 410}}' >"$CTL"
sitemap k1:2020-01-01 k2:2031-01-01 k3:2020-01-01
crawl 2>"$T/4a.err"
rc=$?
sed 's/^/# /' "$T/4a.err"
check "410 of stored k2: exit 1 (said once, where cron reads it)" test $rc -eq 1
check "410 of stored k2: said withdrawn, naming k2 and how to remove it" bash -c "
    grep -F '$BASE/a/k2.htm' '$T/4a.err' | grep 'withdrawn' | grep -q 'timtin-corpus delete k2'"
check "410 of stored k2: the summary counts it withdrawn" grep -q '1 article withdrawn by the site' "$T/4a.err"
check "410 of stored k2: k2 kept (an archive keeps what was published)" bash -c "
    $(declare -f live); B='$B' C='$C'; live k2"
n=$(asked /a/k2.htm)
sitemap k1:2020-01-01 k2:2020-01-01 k3:2020-01-01
crawl 2>"$T/4b.err"
rc=$?
check "410 of k2, the next run: exit 0, not asked again, nothing said" bash -c "
    $(declare -f asked); LOG='$LOG'
    test $rc -eq 0 && test \$(asked /a/k2.htm) -eq $n && ! grep -q withdrawn '$T/4b.err'"
# a 404 for a stored article
mv "$S/a/k3.htm" "$T/k3.htm"
sitemap k1:2020-01-01 k2:2020-01-01 k3:2031-01-01
crawl 2>"$T/4c.err"
rc=$?
check "404 of stored k3: exit 1, said withdrawn, k3 kept" bash -c "
    $(declare -f live); B='$B' C='$C'
    test $rc -eq 1 && grep -F '$BASE/a/k3.htm' '$T/4c.err' | grep -q withdrawn && live k3"
# a 404 for an article never stored: a failure as before
sitemap k1:2020-01-01 k2:2020-01-01 k3:2020-01-01
echo '<html><body><a href="/a/k1.htm">1</a> <a href="/a/gone5.htm">5</a></body></html>' >"$S/index.htm"
crawl 2>"$T/4d.err"
check "404 of a URL never stored: the failure it was (exit 1, HTTP 404, not withdrawn)" bash -c "
    test $? -eq 1 && grep -F '$BASE/a/gone5.htm' '$T/4d.err' | grep -q 'HTTP 404' &&
    ! grep -F '$BASE/a/gone5.htm' '$T/4d.err' | grep -q withdrawn"
# withdrawn = delete: a 410 appends a deletion marker, a 404 does not
profile 'withdrawn = delete'
echo '<html><body><a href="/a/k4.htm">4</a></body></html>' >"$S/index.htm"
crawl --quiet 2>/dev/null # (gone5 fails again)
check "k4 stored" bash -c "$(declare -f live); B='$B' C='$C'; live k4"
echo '{"/a/k4.htm": {"status": 410}}' >"$CTL"
mv "$T/k3.htm" "$S/a/k3.htm"
rm "$S/a/k1.htm"
sitemap k1:2032-01-01 k4:2032-01-01
crawl 2>"$T/4e.err"
rc=$?
sed 's/^/# /' "$T/4e.err"
check "withdrawn = delete, 410 of k4: k4 deleted" bash -c "$(declare -f live); B='$B' C='$C'; ! live k4"
check "withdrawn = delete, 410 of k4: said, naming k4 and timtin-index" bash -c "
    grep -F '$BASE/a/k4.htm' '$T/4e.err' | grep -q 'timtin-index' &&
    grep -q '1 article withdrawn by the site (HTTP 410): deleted' '$T/4e.err'"
check "withdrawn = delete, 404 of k1: kept, said withdrawn (exit 1)" bash -c "
    $(declare -f live); B='$B' C='$C'
    test $rc -eq 1 && live k1 && grep -F '$BASE/a/k1.htm' '$T/4e.err' | grep -q withdrawn"
profile 'withdrawn = sometimes'
crawl --quiet 2>"$T/4f.err"
check "withdrawn = sometimes: refused (exit 2, named)" bash -c "test $? -eq 2 && grep -q withdrawn '$T/4f.err'"

done_testing
