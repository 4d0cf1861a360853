#!/usr/bin/env bash
# The crawler as an operator meets it: a crawl stopped by a full file
# system or a signal still says what it did and what is left; a robots.txt
# that shuts the crawler out is an error; a date-only sitemap lastmod
# refreshes an article fetched earlier that day, once; a corpus restored
# from a backup older than its crawl state gets its missing articles
# back.  The real timtin-crawl against tests/server.py; checks on the
# server's log, the corpus and the crawler's output and exit status.
# Synchronisation by readiness probes, never sleeps.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
[ -x "$B/timtin-crawl" ] && [ -x "$B/timtin-sitegen" ] || skip "timtin-crawl or timtin-sitegen not built"
command -v python3 >/dev/null || skip "python3 missing"
SITE=$T/site LOG=$T/server.log CTL=$T/control.json
ARTICLE_RE='-[0-9]{17}\.htm$'
"$B/timtin-sitegen" --quiet --page-size 5 "$SITE" "$S" && echo '{}' >"$CTL" ||
    { fail "sitegen renders the site"; exit 1; }
# the site, served until the script ends; BASE its URL
start_server() {
    python3 "$TOP/tests/server.py" --root "$SITE" --log "$LOG" --control "$CTL" \
        >"$T/port" 2>"$T/server.err" &
    on_exit "kill $! 2>/dev/null"
    wait_for test -s "$T/port" && BASE=http://127.0.0.1:$(head -1 "$T/port") &&
        wait_for curl -sf -o /dev/null "$BASE/robots.txt"
}
start_server || { fail "the test server answers"; exit 1; }

crawl() { "$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --delay 0 --no-sync "$@"; }
lines() { wc -l <"$LOG"; }
log_from() { tail -n +"$(($1 + 1))" "$LOG"; }
article_200s() { log_from "$1" | awk -F'\t' '$4 == 200 { print $3 }' | grep -E -- "$ARTICLE_RE"; }
narticles() { "$B/timtin-corpus" --corpus "$1" ls | grep -c .; }

# ---- a storage error other than ENOSPC (EFBIG: a file size limit) ----
# SIGXFSZ ignored, as a daemon's may be: the write fails with EFBIG
(trap '' XFSZ; ulimit -f 40; crawl --corpus "$T/big" 2>"$T/big.err")
rc=$?
sed 's/^/# /' "$T/big.err" | tail -5
check "EFBIG: exit 1" test $rc -eq 1
check "EFBIG: said as a storage error, naming the file and the cause" \
    grep -Eq 'storage error.*timtin-[0-9]+\.warc\.gz: File too large' "$T/big.err"
check "EFBIG: the summary is printed all the same" grep -q ' requests (.*articles: ' "$T/big.err"
check "EFBIG: what is left queued is said" grep -Eq '[0-9]+ URLs left queued for the next run' "$T/big.err"
crawl --corpus "$T/big" --quiet
check "EFBIG: the next run, without the limit, stores all 36 articles" \
    test $? -eq 0 -a "$(narticles "$T/big")" = 36

# ---- SIGTERM between two requests (--delay 3: none under way) ----
n=$(lines)
"$B/timtin-crawl" --profile tuoitre --base-url "$BASE" --no-sync --corpus "$T/term" --delay 3 2>"$T/term.err" &
CP=$!
on_exit "kill -9 $CP 2>/dev/null"
asked() { log_from "$n" | grep -q .; }
wait_for asked || fail "SIGTERM: the crawl makes its first request"
kill -TERM $CP
wait $CP
rc=$?
sed 's/^/# /' "$T/term.err"
check "SIGTERM between requests: the exit status as usual (0: no errors)" test $rc -eq 0
check "SIGTERM between requests: says it was stopped by SIGTERM and how many URLs are left queued" \
    grep -Eq '^timtin-crawl: stopped by SIGTERM: [1-9][0-9]* URLs left queued for the next run$' "$T/term.err"
check "SIGTERM between requests: the summary is printed" grep -q ' requests (' "$T/term.err"
crawl --corpus "$T/term" --quiet
check "SIGTERM between requests: the next run resumes, all 36 articles" \
    test $? -eq 0 -a "$(narticles "$T/term")" = 36

# ---- a robots.txt that shuts the crawler out: every seed forbidden ----
printf 'User-agent: *\nDisallow: /\n' >"$SITE/robots-none.txt"
echo '{"/robots.txt": {"redirect": "/robots-none.txt"}}' >"$CTL"
n=$(lines)
crawl --corpus "$T/shut" 2>"$T/shut.err"
rc=$?
sed 's/^/# /' "$T/shut.err"
check "robots.txt forbids every seed: nothing but robots.txt asked" \
    test -z "$(log_from "$n" | cut -f3 | grep -v '^/robots')"
check "robots.txt forbids every seed: an error, exit 1" test $rc -eq 1
check "robots.txt forbids every seed: a line names robots.txt and the host" \
    grep -Eq "^timtin-crawl: ${BASE#http://}: robots.txt forbids every seed" "$T/shut.err"
check "robots.txt forbids every seed: counted as blocked and as 1 error" \
    grep -Eq '; 4 blocked by robots.txt; 1 errors;' "$T/shut.err"
crawl --corpus "$T/shut" --quiet 2>"$T/shutq.err"
check "robots.txt forbids every seed, --quiet: exit 1, the error counted" \
    bash -c "test $? -eq 1 && grep -q '1 errors' '$T/shutq.err'"
# one seed forbidden, the others read: no error
printf 'User-agent: *\nDisallow: /rss.htm\n' >"$SITE/robots-some.txt"
echo '{"/robots.txt": {"redirect": "/robots-some.txt"}}' >"$CTL"
crawl --corpus "$T/shut" 2>"$T/some.err"
check "robots.txt forbids one seed of four: no error, exit 0, the articles stored" \
    test $? -eq 0 -a "$(narticles "$T/shut")" = 36
echo '{}' >"$CTL"

# ---- a date-only sitemap lastmod (W3C YYYY-MM-DD) of the day of the
# last fetch refreshes the article, once ----
sed -e '/^seed = /d' -e 's/^max_depth = .*/max_depth = 0/' "$TOP/crawler/profiles/tuoitre.conf" >"$T/lm.conf"
echo 'seed = /lm-sitemap.xml' >>"$T/lm.conf"
# (a robots.txt naming no sitemap: the sitemap below is the only one)
printf 'User-agent: *\nDisallow:\n' >"$SITE/robots-lm.txt"
echo '{"/robots.txt": {"redirect": "/robots-lm.txt"}}' >"$CTL"
read -r lmid lmp <<<"$(sed -n 20p "$SITE/ids.tsv")"
lm_sitemap() { # LASTMOD: the sitemap of that article
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n<url><loc>%s</loc><lastmod>%s</lastmod></url>\n</urlset>\n' \
        "$BASE$lmp" "$1" >"$SITE/lm-sitemap.xml"
}
lm_crawl() { "$B/timtin-crawl" --profile "$T/lm.conf" --base-url "$BASE" --corpus "$T/lm" --delay 0 --no-sync --quiet; }
fetched() { log_from "$1" | awk -F'\t' '$4 == 200 { print $3 }' | grep -cxF "$lmp"; }
today=$(TZ=UTC-7 date +%Y-%m-%d) # the day on the site's clock (+07:00)
lm_sitemap 2020-01-01
lm_crawl
check "date-only lastmod: the first crawl stores the article" test $? -eq 0 -a "$(narticles "$T/lm")" = 1
lm_sitemap "$today" # edited later today, the sitemap says (a day, no time)
n=$(lines)
lm_crawl
check "date-only lastmod of the day of the last fetch: the article is fetched again" \
    test $? -eq 0 -a "$(fetched "$n")" = 1
n=$(lines)
lm_crawl
check "date-only lastmod, read again the same day: not fetched a second time" \
    test $? -eq 0 -a "$(fetched "$n")" = 0 -a "$(log_from "$n" | grep -c lm-sitemap)" -ge 1
lm_sitemap 2020-01-02
n=$(lines)
lm_crawl
check "date-only lastmod before the day of the last fetch: not fetched" test "$(fetched "$n")" = 0
rm "$SITE/lm-sitemap.xml"
echo '{}' >"$CTL"

# ---- a corpus restored from a backup older than its crawl state ----
crawl --corpus "$T/bk" --max-pages 40 --quiet
mkdir "$T/bk.backup"
(cd "$T/bk" && cp -a $(ls | grep -vx crawl-state) "$T/bk.backup/") # the corpus files only
held=$(narticles "$T/bk.backup")
echo "# the backup holds $held articles"
check "restore: the backup holds some of the articles" test "$held" -ge 1 -a "$held" -lt 36
crawl --corpus "$T/bk" --quiet
check "restore: the crawl goes on to all 36 articles" test "$(narticles "$T/bk")" = 36
# the WARC files restored from the backup, the newer crawl state kept
(cd "$T/bk" && rm -rf $(ls | grep -vx crawl-state)) && cp -a "$T/bk.backup"/. "$T/bk/"
check "restore: the restored corpus holds the backup's articles" test "$(narticles "$T/bk")" = "$held"
n=$(lines)
crawl --corpus "$T/bk" 2>"$T/bk.err"
rc=$?
sed 's/^/# /' "$T/bk.err"
check "restore: the next crawl gets the missing articles back (36), exit 0" \
    test $rc -eq 0 -a "$(narticles "$T/bk")" = 36
check "restore: each missing article fetched once" \
    test "$(article_200s "$n" | sort -u | grep -c .)" = "$((36 - held))" -a -z "$(article_200s "$n" | sort | uniq -d)"
check "restore: the seeds read in full (no conditional request)" \
    test -z "$(log_from "$n" | awk -F'\t' '$5 != "-" || $6 != "-"')"
check "restore: says how many articles it queued again" \
    grep -Eq "^timtin-crawl: $((36 - held)) articles marked done in the crawl state but not in the corpus" "$T/bk.err"
n=$(lines)
crawl --corpus "$T/bk" 2>"$T/bk2.err"
check "restore: the run after is an ordinary one (nothing said, seeds conditional, no article fetched)" \
    bash -c "test $? -eq 0 && ! grep -q 'not in the corpus' '$T/bk2.err' &&
        test -n \"\$(tail -n +$((n + 1)) '$LOG' | awk -F'\t' '\$4 == 304')\"" 
check "restore: the run after fetches no article" test -z "$(article_200s "$n")"

done_testing
