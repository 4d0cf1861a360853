#!/usr/bin/env bash
# A URL given up on that a sitemap dates in the future (a site's clock or
# data gone wrong): that date brings it back once, not every run.  The
# URL fails (404) give_up_after runs in a row and is given up; while the
# sitemap keeps the same date it is not asked for again; a later date
# brings it back (once), and so does the operator (its line removed from
# `given-up`); once stored, nothing of it stays there.  A small site
# written here, served by tests/server.py; checks on its request log, the
# crawler's output and exit status; no sleeps.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin-crawl" ] || skip "timtin-crawl not built"
command -v python3 >/dev/null || skip "python3 missing"

S=$T/site LOG=$T/server.log
mkdir -p "$S/a"
printf 'User-agent: *\nDisallow:\n' >"$S/robots.txt"
echo '<html><body>nothing new</body></html>' >"$S/index.htm"
serve_site "$S" "$LOG" || { fail "the server starts and answers"; exit 1; }
BASE=$SERVED
{
    printf 'name = site\nbase = %s\nseed = /\nseed = /sm.xml\n' "$BASE"
    printf 'article = ^/a/([a-z0-9]+)\\.htm$\ntitle = h1\ncontent = div.c\nbody = p\ngive_up_after = 2\n'
} >"$T/site.conf"
# sitemap [LASTMOD]: the site's sitemap, rewritten (a news site's changes
# every night: read in full, not a 304), listing /a/gone.htm (no such
# page: 404) with that lastmod, or nothing
sitemap() {
    {
        echo '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        [ $# -eq 0 ] || printf '<url><loc>%s/a/gone.htm</loc><lastmod>%s</lastmod></url>\n' "$BASE" "$1"
        echo '</urlset>'
    } >"$S/sm.xml.new" && mv "$S/sm.xml.new" "$S/sm.xml"
}
# run CORPUS NAME [OPTIONS]: a crawl; its stderr in $T/NAME.err, its
# status in $rc, the requests it made (path and status) in $T/NAME.log
run() {
    local c=$1 name=$2 n
    shift 2
    n=$(wc -l <"$LOG")
    "$B/timtin-crawl" --corpus "$c" --profile "$T/site.conf" --delay 0 --no-sync --retries 0 "$@" 2>"$T/$name.err"
    rc=$?
    tail -n +"$((n + 1))" "$LOG" | cut -f3,4 >"$T/$name.log"
    sed "s/^/# $name: /" "$T/$name.err"
}
# asked NAME: how many times run NAME asked for the page
asked() { grep -c $'^/a/gone\\.htm\t' "$T/$1.log"; }
# ran NAME RC N [TEXT...]: run NAME read the sitemap in full (no 304),
# exited RC, asked for the page N times, and said each TEXT
ran() {
    local name=$1 want=$2 n=$3 t
    shift 3
    grep -qx $'/sm\\.xml\t200' "$T/$name.log" && test "$rc" -eq "$want" &&
        test "$(asked "$name")" -eq "$n" || return 1
    for t in "$@"; do grep -qF -- "$t" "$T/$name.err" || return 1; done
}
# quiet_run NAME: run NAME asked nothing of the page and exited 0, no
# error, nothing given up, nothing said of the page
quiet_run() { ran "$1" 0 0 '; 0 errors; 0 given up;' && ! grep -q gone "$T/$1.err"; }
given_up() { grep -qF "$BASE/a/gone.htm" "$1/crawl-state/site/given-up"; }

# ---- 1. give_up_after 1, a lastmod of a day far ahead: given up in the
# run that read the date ----
C=$T/c1
sitemap 2031-01-01
run "$C" 1a --give-up-after 1
check "give up at once: asked once, 404, given up (exit 1); the date in the future said" \
    ran 1a 1 1 'gone.htm: HTTP 404; failed 1 run in a row: given up' \
    'gone.htm: a sitemap or feed dates it 2031-01-01, a date in the future' '; 1 given up;'
for r in 1b 1c; do
    sitemap 2031-01-01
    run "$C" $r --give-up-after 1
    check "give up at once, run $r: the same date ahead: not asked again, nothing said (exit 0)" quiet_run $r
done
sitemap 2032-06-01
run "$C" 1d --give-up-after 1
check "give up at once: a later date: asked again, once, and given up again (exit 1)" \
    ran 1d 1 1 'gone.htm: HTTP 404; failed 1 run in a row: given up'
sitemap 2032-06-01
run "$C" 1e --give-up-after 1
check "give up at once: that later date again: not asked" quiet_run 1e

# ---- 2. give_up_after 2, a lastmod with a time: deferred, then given up
# in a run that asks for it as a failure carried over ----
C=$T/c2 AHEAD=2031-03-01T08:00:00+07:00 LATER=2032-03-01T08:00:00+07:00
sitemap $AHEAD
run "$C" 2a
check "give up after 2 runs, run 1: asked, deferred (exit 1)" ran 2a 1 1 '; 0 given up;'
sitemap $AHEAD
run "$C" 2b
check "give up after 2 runs, run 2: given up, asked once in the run, not again for the date (exit 1)" \
    ran 2b 1 1 'gone.htm: HTTP 404; failed 2 runs in a row: given up' '; 1 errors; 1 given up;'
check "give up after 2 runs: the given-up file names it" given_up "$C"
for r in 2c 2d 2e; do
    sitemap $AHEAD
    run "$C" $r
    check "give up after 2 runs, run $r: the same date ahead: not asked again, nothing said (exit 0)" quiet_run $r
done
check "give up after 2 runs: still given up" given_up "$C"
# a later date, still ahead of the clock: another chance
sitemap $LATER
run "$C" 2f
check "a later date: asked again, once (exit 1, deferred)" ran 2f 1 1 '; 1 errors; 0 given up;'
# given up again in a run whose sitemap no longer lists it: the date that
# brought it back is remembered all the same
sitemap
run "$C" 2g
check "given up again in a run whose sitemap lists it no more (exit 1)" \
    ran 2g 1 1 'gone.htm: HTTP 404; failed 2 runs in a row: given up'
sitemap $LATER
run "$C" 2h
check "the later date listed again: not asked again (exit 0)" quiet_run 2h
# the operator asks it back: its line removed from given-up
sed -i '/gone\.htm/d' "$C/crawl-state/site/given-up"
sitemap $LATER
run "$C" 2i
check "its given-up line removed by hand: asked again, once (exit 1)" ran 2i 1 1 '; 1 errors; 0 given up;'
# the page comes back: stored, and nothing of it is left in given-up
printf '<html><body><h1>Bài</h1><div class="c"><p>Nội dung của bài, đủ dài để làm một đoạn văn.</p></div></body></html>\n' >"$S/a/gone.htm"
sitemap $LATER
run "$C" 2j
check "the page back: asked, stored (exit 0), no line of it left in given-up" bash -c "
    test $rc -eq 0 && test $(asked 2j) -eq 1 && grep -q 'articles: 1 new' '$T/2j.err' &&
    test ! -s '$C/crawl-state/site/given-up'"

done_testing
