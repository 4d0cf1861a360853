#!/usr/bin/env bash
# A host that fails as a whole: the crawler stops asking it for the run
# and leaves its URLs queued, counting the night against none of them (a
# Retry-After longer than the crawler waits; many URLs in a row failing);
# and a saved next-request time the crawler could not have promised (a
# clock stepped back, a state copied from elsewhere) is ignored, said.
# The real timtin-crawl against tests/server.py; checks on the server's
# request log and the crawler's output and exit status, no timing.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-sitegen" ] || skip "timtin-crawl or timtin-sitegen not built"
command -v python3 >/dev/null || skip "python3 missing"
SITE=$T/site LOG=$T/server.log CTL=$T/control.json
"$B/timtin-sitegen" --quiet --page-size 5 "$SITE" "$S"
echo '{}' >"$CTL"
serve_site "$SITE" "$LOG" --control "$CTL" || { fail "the server starts and answers"; exit 1; }
BASE=$SERVED HOST=${SERVED#http://}

crawl() { "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --delay 0 "$@"; }
lines() { wc -l <"$LOG"; }
# pages_since N: the paths asked for after the log's first N lines, but robots.txt
pages_since() { tail -n +"$(($1 + 1))" "$LOG" | cut -f3 | grep -v '^/robots.txt$'; }
stat_of() { "$B/timtin-corpus" --corpus "$1" stats | awk -F': ' -v k="$2" '$1 == k { print $2 }'; }
# every page of the site (robots.txt aside) answers SPEC
site_down() { echo "{\"/robots.txt\": {}, \"/*\": $1}" >"$CTL"; }
site_up() { echo '{}' >"$CTL"; }

# ---- 1. 503 with a Retry-After longer than the crawler waits (an hour):
# the host is left alone for the run after that answer ----
crawl --corpus "$T/c1" --max-pages 10 --quiet
check "Retry-After: a first crawl cut short leaves URLs queued" test -s "$T/c1/crawl-state/tuoitre/queue"
site_down '{"status": 503, "retry_after": 7200}'
for night in 1 2; do
    n=$(lines)
    crawl --corpus "$T/c1" --give-up-after 3 2>"$T/c1-$night.err"
    rc=$?
    sed "s/^/# /" "$T/c1-$night.err"
    check "Retry-After 7200, night $night: one page asked for, exit 1" \
        test "$(pages_since "$n" | wc -l)" -eq 1 -a $rc -eq 1
    # (robots.txt forbids /ban-doc.htm: deferred as every night)
    check "Retry-After 7200, night $night: said once, nothing deferred (but what robots.txt forbids) or given up" bash -c "
        test \$(grep -c 'Retry-After 7200' '$T/c1-$night.err') -eq 1 &&
        grep -q '$HOST: HTTP 503 with Retry-After 7200 s, longer than the crawler waits (3600 s): left alone for this run; its URLs stay queued for the next run' '$T/c1-$night.err' &&
        grep -q '; 1 errors; 0 given up;' '$T/c1-$night.err' &&
        ! grep -sv ban-doc '$T/c1/crawl-state/tuoitre/deferred' && test ! -s '$T/c1/crawl-state/tuoitre/given-up' &&
        grep -Eq '[1-9][0-9]* URLs left queued for the next run' '$T/c1-$night.err'"
done
site_up
crawl --corpus "$T/c1" --give-up-after 3 --quiet
check "Retry-After: the site back, the next run stores all 36 articles (exit 0)" \
    test $? -eq 0 -a "$(stat_of "$T/c1" articles)" = 36
# robots.txt itself answering so: not asked again in the run either
echo '{"/robots.txt": {"status": 503, "retry_after": 7200}}' >"$CTL"
n=$(lines)
timeout 60 "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --delay 0 --corpus "$T/c1r" 2>"$T/c1r.err"
rc=$?
site_up
check "robots.txt with Retry-After 7200: asked once, nothing else, the host left for the run (exit 1)" bash -c "
    test $rc -eq 1 && test \$(tail -n +$((n + 1)) '$LOG' | wc -l) -eq 1 &&
    grep -q '$HOST: robots.txt answered 503 with Retry-After 7200 s, longer than the crawler waits (3600 s)' '$T/c1r.err'"

# ---- 2. a host whose pages all fail (500): after 10 URLs in a row fail,
# none answering between, the host is left alone for the run ----
crawl --corpus "$T/c2" --max-pages 10 --quiet
site_down '{"status": 500}'
# (retries not before 50 s: none comes before the tenth URL fails; the
# timeout only ends a crawl that would not stop)
n=$(lines)
timeout 120 "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --delay 0 --corpus "$T/c2" \
    --give-up-after 1 --retry-base 100 2>"$T/c2-1.err"
rc=$?
sed "s/^/# /" "$T/c2-1.err"
check "500 everywhere: 10 pages asked for, no more, exit 1" \
    test "$(pages_since "$n" | wc -l)" -eq 10 -a $rc -eq 1
# what robots.txt forbids (/ban-doc.htm) is given up as every night
nothing_counted() {
    ! grep -sv ban-doc "$T/c2/crawl-state/tuoitre/deferred" && ! grep -sv ban-doc "$T/c2/crawl-state/tuoitre/given-up"
}
check "500 everywhere: said once, the night counted against none of its URLs (--give-up-after 1)" bash -c "
    test \$(grep -c 'URLs in a row failed' '$T/c2-1.err') -eq 1 &&
    grep -q '$HOST: 10 URLs in a row failed (the last: HTTP 500), none answering between: left alone for this run; its URLs stay queued for the next run' '$T/c2-1.err' &&
    grep -q '; 1 errors; ' '$T/c2-1.err' && grep -Eq '[1-9][0-9]* URLs left queued' '$T/c2-1.err'"
check "500 everywhere: nothing deferred or given up (but what robots.txt forbids)" nothing_counted
# quick retries: URLs run out of retries before the tenth fails; they are
# not counted either
n=$(lines)
crawl --corpus "$T/c2" --give-up-after 1 --retries 3 --retry-base 0.001 2>"$T/c2-2.err"
rc=$?
sed "s/^/# /" "$T/c2-2.err"
check "500 everywhere, quick retries: at most 40 pages asked for (10 URLs, 4 times), said once, exit 1" bash -c "
    test $rc -eq 1 -a \$(tail -n +$((n + 1)) '$LOG' | grep -vc '/robots.txt') -le 40 &&
    test \$(grep -c 'URLs in a row failed' '$T/c2-2.err') -eq 1 && grep -q '; 1 errors; 0 given up;' '$T/c2-2.err'"
check "500 everywhere, quick retries: nothing deferred or given up" nothing_counted
site_up
crawl --corpus "$T/c2" --give-up-after 3 --quiet
check "500s: the site back, the next run stores all 36 articles (exit 0)" \
    test $? -eq 0 -a "$(stat_of "$T/c2" articles)" = 36

# ---- 3. a saved next-request time the crawler could not have promised
# (more than it ever waits: an hour; or saved "in the future": the clock
# set back, or a state copied from elsewhere) is ignored, said; one it
# could have promised is waited for, said ----
crawl --corpus "$T/c3" --max-pages 3 --quiet
HOSTS=$T/c3/crawl-state/tuoitre/hosts
check "a crawl saves its host's next time" grep -q "^$HOST	" "$HOSTS"
now=$(date +%s)
# ignored NAME ERR SAID LINE: with LINE as the hosts file, a crawl of 3
# pages goes on at once (exit 0), SAID (a regex) said once
ignored() {
    local name=$1 err=$T/$2 said=$3 n rc
    printf '%s\n' "$4" >"$HOSTS"
    n=$(lines)
    # (the timeout only ends a crawl that would wait)
    timeout 60 "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --delay 0 --corpus "$T/c3" \
        --max-pages 3 2>"$err"
    rc=$?
    sed "s/^/# /" "$err"
    check "$name: ignored, said once, the crawl goes on (3 pages, exit 0)" bash -c "
        test $rc -eq 0 -a \$(tail -n +$((n + 1)) '$LOG' | grep -vc '/robots.txt') -eq 3 &&
        test \$(grep -c 'ignored' '$err') -eq 1 &&
        grep -Eq '$HOST: the next request time saved in .*/hosts $said: the clock was changed, or the state comes from elsewhere; ignored' '$err'"
}
ignored "a next time 7200 s ahead" c3-1.err \
    'is [0-9]+ s ahead, more than the crawler ever waits \(3600 s\)' "$HOST	$((now + 7200)).000"
# saved an hour from now (the clock set back an hour since), 30 s after that
ignored "a next time saved in the future (the clock set back)" c3-2.err \
    'was saved [0-9]+ s in the future' "$HOST	$((now + 3630)).000	$((now + 3600)).000"
check "the hosts file says when it was saved" bash -c "
    awk -F'\t' -v now=\$(date +%s) '\$3 > now - 600 && \$3 <= now + 1' '$HOSTS' | grep -q '^$HOST	'"
# a promise it could have made (a Retry-After of 10 minutes, saved a
# second ago): waited for, said; nothing asked meanwhile
printf '%s\t%s.000\t%s.000\n' "$HOST" $((now + 600)) $((now - 1)) >"$HOSTS"
n=$(lines)
"$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --delay 0 --corpus "$T/c3" 2>"$T/c3-3.err" &
CP=$!
on_exit "kill -9 $CP 2>/dev/null"
waiting() { grep -q "$HOST: not asked before" "$T/c3-3.err"; }
wait_for waiting
check "a next time 600 s ahead, saved before: the wait said" waiting
kill -9 $CP 2>/dev/null
wait $CP 2>/dev/null
sed "s/^/# /" "$T/c3-3.err"
check "... and nothing asked for meanwhile" test "$(lines)" -eq "$n"

done_testing
