#!/usr/bin/env bash
# timtin-nightly, a test of two nights: the sample articles rendered into a
# site (timtin-sitegen) and served (tests/server.py); night 1 crawls and
# indexes them all; then the site gains three new articles and one changed
# article, and night 2 must fetch only those pages (server log), index
# exactly them (and compact the db, a week being due), while a searcher
# loops throughout without an error and sees the new articles appear, and
# while a second timtin-nightly started during night 2 exits at once on
# the lock.  Then the failure reports cron would mail.  Synchronisation by
# readiness probes, never sleeps.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
N=$TOP/scripts/timtin-nightly
for p in timtin-crawl timtin-sitegen timtin-index timtin-search timtin-corpus; do
    [ -x "$B/$p" ] || skip "$p not built"
done
for c in python3 curl flock xapian-delve; do
    command -v $c >/dev/null || skip "$c missing (scripts/install-deps.sh test)"
done
SITE=$T/site SLOG=$T/server.log CTL=$T/control.json DB=$T/db
ARTICLE_RE='-[0-9]{17}\.htm$'

"$B/timtin-sitegen" --quiet --page-size 5 "$SITE" "$S"
echo '{}' >"$CTL"
python3 "$TOP/tests/server.py" --root "$SITE" --log "$SLOG" --control "$CTL" >"$T/port" 2>"$T/server.err" &
SRV=$!
on_exit "kill $SRV 2>/dev/null"
wait_for test -s "$T/port" || { fail "server starts"; exit 1; }
BASE=http://127.0.0.1:$(head -1 "$T/port")
wait_for curl -sf -o /dev/null "$BASE/robots.txt" || { fail "server answers"; exit 1; }

CONF=$T/etc/nightly.conf
mkdir -p "$T/etc"
cat >"$CONF" <<EOF
# the test site, no politeness delay
SITES = tuoitre@$BASE
CORPUS=../corpus
DB="$DB"
LOG=$T/log/nightly.log
LOG_KEEP=3
COMPACT_EVERY=7
CRAWL_OPTS=--delay 0 --contact nightly@example.org
MIN_FREE=1M
BIN=$B
EOF
LOCK=$DB.nightly/lock STAMP=$DB.nightly/last-compact
docs() { xapian-delve "$DB" 2>/dev/null | awk -F' = ' '/number of documents/ { print $2 }'; }
stat_of() { "$B/timtin-corpus" --corpus "$T/corpus" stats | awk -F': ' -v k="$1" '$1 == k { print $2 }'; }
# ids of the articles having every word of a query, one per line
# (a search that fails prints a line no check takes for "none found")
ids_of() {
    local out rc
    out=$("$B/timtin-search" --db "$DB" --json --limit 100 "$@"); rc=$?
    [ "$rc" -le 1 ] || { echo "(timtin-search exit $rc)"; return 1; }
    python3 -c '
import json, sys
d = json.load(sys.stdin)
if not d["relaxed"]:
    print("\n".join(r["id"] for r in d["results"]))' <<<"$out" || echo "(not JSON)"
}

# ---- usage, configuration, --dry-run ----
check "--version" bash -c "'$N' --version | grep -q '^timtin-nightly [0-9]'"
check "--help documents the keys and exit statuses" bash -c "
    '$N' --help | grep -q COMPACT_EVERY && '$N' --help | grep -q 'another run holds the lock'"
printf 'SITES=tuoitre\nCORPUS=c\nDB=d\nCOLOUR=blue\n' >"$T/bad.conf"
"$N" --config "$T/bad.conf" 2>"$T/bad.err"; rc=$?
check "an unknown key: exit 2, naming file and line" test $rc -eq 2 -a -n "$(grep -F "$T/bad.conf:4: unknown key COLOUR" "$T/bad.err")"
"$N" --config "$T/no-such.conf" 2>/dev/null; rc=$?
check "a missing config: exit 2" test $rc -eq 2
"$N" --config "$CONF" --dry-run >"$T/dry.out" 2>&1; rc=$?
check "--dry-run: exit 0, says what it would run" test $rc -eq 0 -a \
    -n "$(grep -F -- "timtin-crawl --corpus $T/corpus --profile tuoitre --base-url $BASE --delay 0" "$T/dry.out")" -a \
    -n "$(grep -F -- "timtin-index --corpus $T/corpus --db $DB" "$T/dry.out")"
check "--dry-run changes nothing" test ! -e "$T/corpus" -a ! -e "$DB" -a ! -e "$T/log" -a ! -e "$DB.nightly"
# a --full build is one compacted db; per year, it is compacted by asking
{ cat "$CONF"; echo SHARD_BY=year; } >"$T/year.conf"
"$N" --config "$T/year.conf" --dry-run --full >"$T/dryy.out" 2>&1; rc=$?
check "--dry-run --full with SHARD_BY=year compacts each year's db" test $rc -eq 0 -a \
    -n "$(grep -F -- "--shard-by year --full --compact" "$T/dryy.out")"
"$N" --config "$CONF" --dry-run --full >"$T/dryf.out" 2>&1
check "--dry-run --full of one db needs no --compact" test -z "$(grep -F -- "--full --compact" "$T/dryf.out")" -a \
    -n "$(grep -F -- "--full" "$T/dryf.out")"
# A comment after a value (white space, then #) ends it; a # in quotes,
# or inside a word, is part of the value.
cat >"$T/etc/comment.conf" <<EOF
SITES=tuoitre@$BASE   # the test site
CORPUS=../corpus # beside etc/
DB=$DB	# served by the web server
LOG="$T/log/night #1.log"  # quoted
CRAWL_OPTS=--delay 0 --contact ops#1@example.org
MIN_FREE=1M # a comment
BIN=$B
EOF
"$N" --config "$T/etc/comment.conf" --dry-run >"$T/dryc.out" 2>&1; rc=$?
check "a trailing '# comment' ends a value; a # in quotes or in a word is kept" test $rc -eq 0 -a \
    -n "$(grep -F -- "--corpus $T/corpus --profile tuoitre --base-url $BASE --delay 0 --contact ops#1@example.org" "$T/dryc.out")" -a \
    -n "$(grep -F -- "timtin-index --corpus $T/corpus --db $DB" "$T/dryc.out")" -a \
    -n "$(grep -Fx "  log to $T/log/night #1.log, keeping 14 previous logs" "$T/dryc.out")" -a \
    -z "$(grep -e 'the test site' -e 'served by' -e '# a comment' "$T/dryc.out")"
printf 'CORPUS=c\nLOG=\nDB=d1\nBIN=%s\nDB=d2\n' "$B" >"$T/etc/twice.conf"
"$N" --config "$T/etc/twice.conf" --dry-run >/dev/null 2>"$T/twice.err"; rc=$?
check "a key set twice: exit 2, naming file and lines" test $rc -eq 2 -a \
    -n "$(grep -F "$T/etc/twice.conf:5: DB is set again (first on line 3)" "$T/twice.err")"
for n in one two three; do
    sed "s/^name = .*/name = $n/" "$TOP/crawler/profiles/tuoitre.conf" >"$T/etc/$n.conf"
done
printf 'SITES=one.conf\nCORPUS=c\nSITES=two.conf three.conf\nDB=d\nLOG=\nBIN=%s\n' "$B" >"$T/etc/sites.conf"
"$N" --config "$T/etc/sites.conf" --dry-run >"$T/sites.out" 2>&1; rc=$?
check "SITES may repeat: every site is crawled" test $rc -eq 0 -a \
    "$(grep -cE -- "--profile $T/etc/(one|two|three).conf( |\$)" "$T/sites.out")" -eq 3
# --dry-run checks every site's profile as the crawler will look it up
# (a name misspelled, a file missing): the plan, then the crawler's own
# message for each, exit 2, as the real run would fail at night
printf 'SITES=tuoitr profiles/gone.conf tuoitre@%s\nCORPUS=c\nDB=d\nLOG=\nBIN=%s\n' "$BASE" "$B" >"$T/etc/typo.conf"
"$N" --config "$T/etc/typo.conf" --dry-run >"$T/typo.out" 2>"$T/typo.err"; rc=$?
sed 's/^/# /' "$T/typo.err"
check "--dry-run: a misspelled or missing profile is exit 2, naming each" \
    bash -c "test $rc -eq 2 && grep -q 'tuoitr.*no profile named \"tuoitr\"' '$T/typo.err' &&
        grep -q '$T/etc/profiles/gone.conf' '$T/typo.err' && test \$(grep -c '^timtin-nightly: ' '$T/typo.err') -eq 2"
check "... the plan is printed all the same" test "$(grep -c -- '--profile' "$T/typo.out")" -eq 3
# A profile file in SITES (a '/' in it, or a name ending in .conf, as
# timtin-crawl tells them apart) is relative to the config file's
# directory, whatever the working directory.
mkdir -p "$T/etc/profiles" "$T/abs"
for f in etc/profiles/site etc/mine abs/x; do cp "$TOP/crawler/profiles/tuoitre.conf" "$T/$f.conf"; done
printf 'SITES=profiles/site.conf@%s mine.conf tuoitre %s/abs/x.conf\nCORPUS=c\nDB=d\nLOG=\nBIN=%s\n' \
    "$BASE" "$T" "$B" >"$T/etc/prof.conf"
(cd / && "$N" --config "$T/etc/prof.conf" --dry-run) >"$T/prof.out" 2>&1; rc=$?
check "a relative profile file in SITES is relative to the config file's directory" test $rc -eq 0 -a \
    -n "$(grep -F -- "--profile $T/etc/profiles/site.conf --base-url $BASE" "$T/prof.out")" -a \
    -n "$(grep -F -- "--profile $T/etc/mine.conf" "$T/prof.out")" -a \
    -n "$(grep -E -- "--profile tuoitre\$" "$T/prof.out")" -a \
    -n "$(grep -F -- "--profile $T/abs/x.conf" "$T/prof.out")"
# MIN_FREE without a suffix is bytes; a few bytes still check (1 KB)
printf 'CORPUS=c\nDB=d\nLOG=\nBIN=%s\nMIN_FREE=512\n' "$B" >"$T/etc/bytes.conf"
"$N" --config "$T/etc/bytes.conf" --dry-run >"$T/bytes.out" 2>&1; rc=$?
check "MIN_FREE=512 (bytes) is checked, not rounded down to no check" test $rc -eq 0 -a \
    -n "$(grep -F "check that 512 bytes are free" "$T/bytes.out")"

# The commands shown (--dry-run, the log) are as they would be typed,
# whatever the locale (systemd's is C): a path with Vietnamese letters as
# it is, a word with a space or a quote in single quotes; pasted into a
# shell they give back the very arguments.
Q="$T/tìm tin"
printf 'CORPUS="%s/it'"'"'s corpus"\nDB=%s/đb\nLOG=\nBIN=%s\nMIN_FREE=0\n' "$Q" "$T/tìm" "$B" >"$T/etc/utf8.conf"
for loc in C C.UTF-8; do
    env -i PATH=/usr/bin:/bin LANG=$loc "$N" --config "$T/etc/utf8.conf" --dry-run >"$T/dry.$loc" 2>&1
done
check "--dry-run under LANG=C: non-ASCII paths as they are, quoted only where the shell needs it" \
    grep -qxF "  run $B/timtin-index --corpus '$Q/it'\\''s corpus' --db $T/tìm/đb" "$T/dry.C"
sed 's/^/# /' "$T/dry.C" | grep timtin-index
check "... the same under LANG=C.UTF-8" cmp -s "$T/dry.C" "$T/dry.C.UTF-8"
line=$(grep -F 'timtin-index' "$T/dry.C" | sed 's/^  run //')
check "... and pasted into a shell it gives back the arguments" test \
    "$(eval "printf '%s|' $line")" = "$B/timtin-index|--corpus|$Q/it's corpus|--db|$T/tìm/đb|"

# ---- a searcher running throughout both nights ----
# Each line: TIME RC(new section) TOTAL(new section) RC(cần thơ) STDERR-BYTES;
# what they print on stderr goes to searcher.err.  Before night 1 makes
# the db, searches fail (exit 3): errors count from the first success on.
searcher() {
    local t rc1 rc2 tot
    while [ ! -e "$T/stop-searcher" ]; do
        t=$(date +%s.%N)
        "$B/timtin-search" --db "$DB" --json --limit 5 'section:"du lịch"' >"$T/s1.out" 2>"$T/s.err"; rc1=$?
        tot=$(grep -o '"total":[0-9]*' "$T/s1.out" | cut -d: -f2)
        "$B/timtin-search" --db "$DB" --limit 1 "cần thơ" >/dev/null 2>>"$T/s.err"; rc2=$?
        echo "$t $rc1 ${tot:--} $rc2 $(wc -c <"$T/s.err")" >>"$T/searcher.log"
        [ -s "$T/s.err" ] && sed "s/^/$t: /" "$T/s.err" >>"$T/searcher.err"
    done
}
searcher &
SEARCHER=$!
on_exit "touch '$T/stop-searcher'; wait $SEARCHER 2>/dev/null"
wait_for test -s "$T/searcher.log"

# ---- night 1 ----
t1_start=$(date +%s.%N)
"$N" --config "$CONF" >"$T/n1.out" 2>"$T/n1.err"; rc=$?
t1_end=$(date +%s.%N)
check "night 1: exit 0, silent" test $rc -eq 0 -a ! -s "$T/n1.out" -a ! -s "$T/n1.err"
cat "$T/n1.err"
check "night 1: the index has the 36 articles" test "$(docs)" = 36
check "night 1: they are found" test "$(ids_of 'cần thơ' | grep -c .)" -ge 2
check "night 1: the log says what was done" bash -c "
    grep -q 'articles: 36 new' '$T/log/nightly.log' && grep -q '36 added' '$T/log/nightly.log' &&
    grep -q 'timtin-nightly: done' '$T/log/nightly.log'"
check "night 1: the compaction clock starts" test -e "$STAMP"
STAMP_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} '
check "night 1: every log line is stamped, the programs' own lines too" bash -c "
    ! grep -vE '$STAMP_RE' '$T/log/nightly.log' | grep -q . &&
    grep -qE '${STAMP_RE}timtin-crawl: [0-9]+ requests \(' '$T/log/nightly.log' &&
    grep -qE '${STAMP_RE}indexed .*36 added' '$T/log/nightly.log'"
grep -vE "$STAMP_RE" "$T/log/nightly.log" | head -3 | sed 's/^/# not stamped: /'
searched_ok() { awk '$4 == 0' "$T/searcher.log" | grep -q .; }
check "the searcher finds the articles after night 1" wait_for searched_ok

# ---- the day: three new articles, one changed ----
X=20250109154038047
python3 - "$S" "$T/day2.jsonl" "$T/new-ids" "$X" <<'EOF'
import datetime, json, sys
src, out, idsf, changed = sys.argv[1:]
tz = datetime.timezone(datetime.timedelta(hours=7))
now = datetime.datetime.now(tz).replace(microsecond=0)
new = [
    ("Lễ hội khinh khí cầu lần đầu tổ chức tại Huế",
     "Hơn 20 chiếc khinh khí cầu từ nhiều nước bay trên sông Hương trong ba ngày cuối tuần, thu hút hàng nghìn du khách.",
     ["Sáng sớm, những chiếc khinh khí cầu đủ màu sắc lần lượt bay lên từ bãi cỏ ven sông Hương.",
      "Ban tổ chức cho biết du khách có thể đăng ký bay thử với giá từ 1,5 triệu đồng mỗi lượt."],
     "MINH TÂM", 3),
    ("Rùa biển về Côn Đảo đẻ trứng sớm hơn mọi năm",
     "Vườn quốc gia Côn Đảo ghi nhận hơn 300 tổ trứng rùa biển trong tháng đầu mùa sinh sản.",
     ["Kiểm lâm trực đêm trên các bãi cát để di dời trứng rùa biển vào khu ấp an toàn.",
      "Du khách muốn xem rùa con về biển phải đăng ký trước và đi theo hướng dẫn của kiểm lâm."],
     "THÙY LINH", 2),
    ("Nhà vườn Tiền Giang mở cửa đón khách mùa sầu riêng",
     "Nhiều nhà vườn ở huyện Cai Lậy kết hợp thu hoạch sầu riêng với du lịch sinh thái.",
     ["Khách được tự tay hái sầu riêng, thưởng thức tại vườn và mua về với giá tại gốc.",
      "Theo nông dân, du lịch giúp tăng thu nhập khi giá sầu riêng xuống thấp."],
     "HOÀNG NAM", 1),
]
ids = []
with open(out, "w") as f:
    for line in open(src):
        a = json.loads(line)
        if a["id"] == changed:
            # a correction: a new first paragraph, modified after night 1
            a["body"][0] = ("Cập nhật: 27 người tiếp xúc đã hết thời gian cách ly, "
                            "vùng đệm quanh ổ dịch được dỡ bỏ.")
            a["modified"] = (now + datetime.timedelta(minutes=5)).isoformat()
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
    for i, (title, sapo, body, author, hours) in enumerate(new):
        t = now - datetime.timedelta(hours=hours)
        aid = t.strftime("%Y%m%d%H%M%S") + "%03d" % (100 + i)
        ids.append(aid)
        f.write(json.dumps({
            "id": aid, "url": "https://tuoitre.vn/tin-moi-%s.htm" % aid,
            "title": title, "sapo": sapo, "body": body, "captions": [],
            "authors": [author], "section": "Du lịch", "tags": ["du lịch"],
            "published": t.isoformat(), "modified": t.isoformat(),
            "source": "tuoitre"}, ensure_ascii=False) + "\n")
open(idsf, "w").write("\n".join(ids) + "\n")
EOF
# Publish as a static site deploy does: only files whose content changed
# are replaced (the others keep their ETag and Last-Modified).
"$B/timtin-sitegen" --quiet --page-size 5 "$T/site2" "$T/day2.jsonl"
(cd "$T/site2" && find . -type f) | while read -r f; do
    cmp -s "$T/site2/$f" "$SITE/$f" || { mkdir -p "$(dirname "$SITE/$f")" && cp "$T/site2/$f" "$SITE/$f"; }
done
check "the site has the new articles" test "$(grep -c -F -f "$T/new-ids" "$SITE/ids.tsv")" -eq 3
check "before night 2 the changed text is not found" test -z "$(ids_of '"vùng đệm"')"
check "before night 2 the old text is" test "$(ids_of '"chết rải rác"')" = $X
# A week has passed since the last compaction: night 2 compacts.
touch -d '8 days ago' "$STAMP"
# robots.txt answers slowly once, so night 2 holds the lock long enough
# for a second run to meet it.
echo '{"/robots.txt": {"slow": 3, "times": 1}}' >"$CTL"

# ---- night 2, and a second run that meets the lock ----
n=$(wc -l <"$SLOG")
t_start=$(date +%s.%N)
"$N" --config "$CONF" >"$T/n2.out" 2>"$T/n2.err" &
NIGHT2=$!
on_exit "kill $NIGHT2 2>/dev/null"
wait_for grep -q "^pid $NIGHT2 " "$LOCK"
"$N" --config "$CONF" >"$T/n2b.out" 2>"$T/n2b.err"; rc=$?
kill -0 $NIGHT2 2>/dev/null; still=$?
check "a second run during night 2: exit 3 while night 2 runs on (no waiting for it)" \
    test $rc -eq 3 -a $still -eq 0
check "... with a message naming the lock and its holder" \
    grep -q "another run holds $LOCK (pid $NIGHT2 since" "$T/n2b.err"
sed 's/^/# /' "$T/n2b.err"
wait $NIGHT2; rc=$?
t_end=$(date +%s.%N)
check "night 2: exit 0, silent" test $rc -eq 0 -a ! -s "$T/n2.out" -a ! -s "$T/n2.err"
cat "$T/n2.err"
# article pages requested during night 2, by id (any status: an old slug's
# 301 would count too)
tail -n +"$((n + 1))" "$SLOG" | awk -F'\t' '{ print $3 }' | grep -E -- "$ARTICLE_RE" |
    grep -oE '[0-9]{17}' | sort >"$T/n2.fetched"
{ cat "$T/new-ids"; echo $X; } | sort >"$T/n2.expected"
check "night 2 fetched only the new and the changed article pages" diff "$T/n2.expected" "$T/n2.fetched"
echo "# night 2: $(tail -n +"$((n + 1))" "$SLOG" | wc -l) requests: $(tail -n +"$((n + 1))" "$SLOG" |
    awk -F'\t' '$4 == 304' | wc -l) not modified, $(grep -c . "$T/n2.fetched") article pages"
check "night 2: unchanged feeds and sitemaps answered 304 (conditional GET)" \
    test "$(tail -n +"$((n + 1))" "$SLOG" | awk -F'\t' '$4 == 304' | wc -l)" -ge 10
check "night 2: the index gained exactly the 3 new articles" test "$(docs)" = 39
check "night 2: the corpus holds one new version, not more" \
    test "$(stat_of articles)" = 39 -a "$(stat_of 'article versions')" = 40
check "night 2: each new article is found by its words" bash -c "
    ids() { '$B/timtin-search' --db '$DB' --json --limit 3 \"\$1\" | grep -o '\"id\":\"[0-9]*\"' | head -1; }
    ids '\"khinh khí cầu\"' | grep -q \$(sed -n 1p '$T/new-ids') &&
    ids '\"rùa biển\"' | grep -q \$(sed -n 2p '$T/new-ids') &&
    ids '\"sầu riêng\"' | grep -q \$(sed -n 3p '$T/new-ids')"
check "night 2: the changed article is found by its new words only" \
    test "$(ids_of '"vùng đệm"')" = $X -a -z "$(ids_of '"chết rải rác"')"
check "night 2 compacted the db (a week was due) and restarted the clock" bash -c "
    grep -q 'index: .*timtin-index .* --compact' '$T/log/nightly.log' &&
    grep -q 'compacted (last compaction 8 days ago' '$T/log/nightly.log' &&
    test \$(( \$(date +%s) - \$(stat -c %Y '$STAMP') )) -lt 600"
check "the log was rotated (night 1's is .1)" grep -q 'articles: 36 new' "$T/log/nightly.log.1"

# the searcher: no error once the db existed, iterations all through
# night 2, the new articles seen without a restart and never lost again
touch "$T/stop-searcher"; wait $SEARCHER
# (the script prints its own ok/FAIL lines; a crash of it is a FAIL too)
python3 - "$T/searcher.log" "$t_start" "$t_end" "$t1_start" "$t1_end" >"$T/searcher.check" 2>"$T/searcher.check.err" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1])]
t0, t1, n1s, n1e = map(float, sys.argv[2:6])
# the first success (of the second search: the first one of that row ran
# before it, maybe before the db was there)
first = next(i for i, r in enumerate(rows) if r[3] == "0")
print("# before the db existed: exit statuses %s" % sorted(set(r[3] for r in rows[:first])))
after = rows[first + 1:]
bad = [r for r in after if r[1] not in ("0", "1") or r[3] != "0" or r[4] != "0"]
for r in bad[:5]:
    print("# searcher error: %s" % " ".join(r))
during = [r for r in rows if t0 <= float(r[0]) <= t1]
seen = [i for i, r in enumerate(after) if r[2] == "3"]
lost = [r for r in after[seen[0]:] if r[2] != "3"] if seen else []
print("# %d searches (%d during night 2), %d errors, new articles first seen at %s"
      % (len(rows), len(during), len(bad),
         "%.2f s into night 2" % (float(after[seen[0]][0]) - t0) if seen else "never"))
ok = True
def say(cond, name):
    global ok
    print(("ok - " if cond else "FAIL - ") + name)
    ok = ok and cond
say(not bad, "the searcher never errored (exit status, stderr) once the db existed")
say(any(n1s <= float(r[0]) <= n1e for r in rows), "the searcher ran during night 1")
say(len(during) >= 10, "the searcher ran throughout night 2")
say(seen and float(after[seen[0]][0]) >= t0, "the searcher saw the 3 new articles, without a restart")
say(seen and not lost, "... and never lost them again (the compaction swap included)")
say(all(r[2] in ("0", "-") for r in after if float(r[0]) < t0), "no new article before night 2")
EOF
rc=$?
cat "$T/searcher.check"
[ $rc -eq 0 ] || fail "the searcher's log checked (python exit $rc: $(tail -1 "$T/searcher.check.err"))"
[ -s "$T/searcher.err" ] && sed 's/^/# searcher stderr: /' "$T/searcher.err" | tail -5

# ---- SIGTERM (systemctl stop, timeout(1), kill): the step under way is
# stopped at its checkpoint, no further step runs, the lock is freed ----
echo '{"/": {"hang": true}}' >"$CTL"
sed 's/^CRAWL_OPTS=.*/CRAWL_OPTS=--delay 0 --timeout 2/' "$CONF" >"$T/etc/sig.conf"
n=$(wc -l <"$SLOG")
"$N" --config "$T/etc/sig.conf" >"$T/sig.out" 2>"$T/sig.err" &
NS=$!
on_exit "kill $NS 2>/dev/null"
home_hangs() { tail -n +"$((n + 1))" "$SLOG" | awk -F'\t' '$3 == "/" && $4 == 0' | grep -q .; }
wait_for home_hangs || fail "SIGTERM: the crawl reaches the page that hangs"
kill -TERM $NS
wait $NS; rc=$?
echo '{}' >"$CTL"
cp "$T/log/nightly.log" "$T/sig.log" # each run writes its log afresh
check "SIGTERM: exit 143" test $rc -eq 143
check "SIGTERM: passed on to the crawl, which stopped at its checkpoint" bash -c "
    grep -q 'SIGTERM: stopping the step under way' '$T/sig.log' &&
    grep -q 'stopping: waiting for 1 request under way' '$T/sig.log' &&
    grep -q 'URLs left queued for the next run' '$T/sig.log'"
check "SIGTERM: no index step after it" bash -c "! grep -q ' index: ' '$T/sig.log'"
check "SIGTERM: stderr says which step was stopped and what is kept (cron mails it)" bash -c "
    grep -q '^timtin-nightly: stopped by SIGTERM during the crawl of tuoitre: ' '$T/sig.err' &&
    grep -q 'next run' '$T/sig.err' && grep -q 'URLs left queued for the next run' '$T/sig.err' &&
    grep -q 'details in $T/log/nightly.log' '$T/sig.err' && test ! -s '$T/sig.out'"
sed 's/^/# /' "$T/sig.err"
# Ctrl-C: SIGINT to the whole process group (here from a process group
# of its own, SIGINT not ignored, as in a terminal).  The crawl must get
# one SIGTERM from the script, not the SIGINT as well (a second signal
# stops it at once), and its output must still reach the log.
echo '{"/": {"hang": true}}' >"$CTL"
n=$(wc -l <"$SLOG")
python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setpgid(0, 0)
os.execvp(sys.argv[1], sys.argv[1:])' "$N" --config "$T/etc/sig.conf" >"$T/int.out" 2>"$T/int.err" &
NI=$!
on_exit "kill $NI 2>/dev/null"
wait_for home_hangs || fail "SIGINT: the crawl reaches the page that hangs"
kill -INT -- -$NI
wait $NI; rc=$?
cp "$T/log/nightly.log" "$T/int.log"
check "SIGINT to the process group: exit 130" test $rc -eq 130
check "SIGINT: the crawl let its request under way end (timed out: 1 retries) and wrote its summary to the log" bash -c "
    grep -q 'SIGINT: stopping the step under way' '$T/int.log' &&
    grep -q 'stopping: waiting for 1 request under way' '$T/int.log' && grep -q ', 1 retries)' '$T/int.log' &&
    grep -q 'URLs left queued for the next run' '$T/int.log'"
check "SIGINT: stderr says the crawl was stopped" \
    grep -q '^timtin-nightly: stopped by SIGINT during the crawl of tuoitre: ' "$T/int.err"
sed 's/^/# /' "$T/int.err"
echo '{}' >"$CTL"
# SIGTERM during the index: a stand-in timtin-index that says it started
# and then waits to be stopped (its sleep, killed with it, holds no lock)
mkdir -p "$T/binw"
cat >"$T/binw/timtin-index" <<'EOF'
#!/bin/sh
echo "timtin-index: indexing"
exec sleep 600 9>&-
EOF
chmod +x "$T/binw/timtin-index"
sed "s|^BIN=.*|BIN=$T/binw|" "$CONF" >"$T/etc/w.conf"
"$N" --config "$T/etc/w.conf" --no-crawl >/dev/null 2>"$T/w.err" &
NW=$!
on_exit "kill $NW 2>/dev/null"
wait_for grep -qE "${STAMP_RE}timtin-index: indexing" "$T/log/nightly.log" || fail "the stand-in indexer starts"
kill -TERM $NW
wait $NW; rc=$?
check "SIGTERM during the index: exit 143, stderr says the index was stopped" test $rc -eq 143 -a \
    -n "$(grep '^timtin-nightly: stopped by SIGTERM during the index: ' "$T/w.err")"
sed 's/^/# /' "$T/w.err"
"$N" --config "$CONF" >/dev/null 2>&1; rc=$?
check "SIGTERM: the lock is free, the next run succeeds" test $rc -eq 0

# a step that leaves a child behind holding its output (a helper it did
# not wait for): the run ends when the step does, and so does the child
mkdir -p "$T/binl"
cat >"$T/binl/timtin-index" <<'EOF'
#!/bin/sh
echo "timtin-index: indexed"
sleep 600 9>&- &
echo $! >"$(dirname "$0")/left.pid"
exit 0
EOF
chmod +x "$T/binl/timtin-index"
sed "s|^BIN=.*|BIN=$T/binl|" "$CONF" >"$T/etc/l.conf"
timeout -k 5 60 "$N" --config "$T/etc/l.conf" --no-crawl >/dev/null 2>"$T/l.err"; rc=$?
left=$(cat "$T/binl/left.pid" 2>/dev/null)
on_exit "kill $left 2>/dev/null"
check "a step's leftover holding its output: the run ends (exit 0, not cut by timeout)" test $rc -eq 0
check "the leftover was stopped with its step, and the log says so" bash -c "
    s=\$(ps -o stat= -p $left); [ -z \"\$s\" ] || [[ \$s == Z* ]] &&
    grep -q 'index: stopped what the step left running' '$T/log/nightly.log'"
sed 's/^/# /' "$T/l.err"

# ---- failures, as cron would mail them ----
echo '{"/rss.htm": {"status": 500}}' >"$CTL"
sed 's/^CRAWL_OPTS=.*/CRAWL_OPTS=--delay 0 --retries 0/' "$CONF" >"$T/etc/fail.conf"
"$N" --config "$T/etc/fail.conf" >"$T/f.out" 2>"$T/f.err"; rc=$?
check "crawler errors: exit 1, a short reason naming the page" test $rc -eq 1 -a ! -s "$T/f.out" \
    -a "$(wc -l <"$T/f.err")" -le 6 -a -n "$(grep 'crawl of tuoitre finished with 1 error' "$T/f.err")" \
    -a -n "$(grep 'rss.htm: HTTP 500' "$T/f.err")" -a -n "$(grep "details in $T/log/nightly.log" "$T/f.err")"
sed 's/^/# /' "$T/f.err"
check "... the index step still ran" grep -q '^.* index: exit 0' "$T/log/nightly.log"
echo 'CRAWL_MAX_ERRORS=1' >>"$T/etc/fail.conf"
"$N" --config "$T/etc/fail.conf" >"$T/f.out" 2>&1; rc=$?
check "CRAWL_MAX_ERRORS=1 tolerates one error (logged, silent)" test $rc -eq 0 -a ! -s "$T/f.out"
echo '{}' >"$CTL"
# an index built by another analyzer version: a stand-in timtin-index
# that answers as the real one does
mkdir -p "$T/bin4"
ln -s "$B/timtin-crawl" "$T/bin4/timtin-crawl"
printf '#!/bin/sh\necho "timtin-index: %s: built by another analyzer version; rebuild with timtin-index --full" >&2\nexit 4\n' "$DB" >"$T/bin4/timtin-index"
chmod +x "$T/bin4/timtin-index"
sed "s|^BIN=.*|BIN=$T/bin4|" "$CONF" >"$T/etc/v4.conf"
"$N" --config "$T/etc/v4.conf" >/dev/null 2>"$T/v4.err"; rc=$?
check "an index of another analyzer version: exit 4, says to run --full" test $rc -eq 4 \
    -a -n "$(grep -F -- 'timtin-nightly --full' "$T/v4.err")"
sed 's/^/# /' "$T/v4.err"
sed 's/^MIN_FREE=.*/MIN_FREE=1000000G/' "$CONF" >"$T/etc/full.conf"
n=$(wc -l <"$SLOG")
"$N" --config "$T/etc/full.conf" >/dev/null 2>"$T/full.err"; rc=$?
check "a full disk: exit 1, 'disk full', nothing attempted" test $rc -eq 1 \
    -a -n "$(grep 'disk full: only' "$T/full.err")" -a "$(wc -l <"$SLOG")" -eq "$n"
sed 's/^/# /' "$T/full.err"

# a profile file named relative to the config file, run from elsewhere
mkdir -p "$T/etc/profiles"
cp "$TOP/crawler/profiles/tuoitre.conf" "$T/etc/profiles/site.conf"
sed "s|^SITES.*|SITES=profiles/site.conf@$BASE|" "$CONF" >"$T/etc/pf.conf"
(cd / && "$N" --config "$T/etc/pf.conf") >/dev/null 2>"$T/pf.err"; rc=$?
check "a relative profile file in SITES: run from / it is found beside the config" test $rc -eq 0 -a ! -s "$T/pf.err"
sed 's/^/# /' "$T/pf.err"

# ---- a log that cannot be rotated: its directory not writable by the
# job's user, the log itself writable (as root: run as nobody) ----
P=$T/rot
mkdir -p "$P/log" "$P/bin" "$P/db.nightly"
printf '#!/bin/sh\necho "timtin-index: indexed"\n' >"$P/bin/timtin-index"
chmod 755 "$P/bin/timtin-index"
printf 'CORPUS=%s/corpus\nDB=%s/db\nLOG=%s/log/nightly.log\nBIN=%s/bin\nMIN_FREE=0\n' "$P" "$P" "$P" "$P" >"$P/n.conf"
: >"$P/log/nightly.log"
as_job=()
if [ "$(id -u)" = 0 ]; then
    chmod 711 "$T"; chmod 755 "$P" "$P/log"
    chown nobody "$P/db.nightly" "$P/log/nightly.log"
    as_job=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
else
    chmod 555 "$P/log"
    on_exit "chmod 755 '$P/log'"
fi
"${as_job[@]}" "$N" --config "$P/n.conf" >"$P/r1.out" 2>&1; rc=$?
check "unrotatable log: night 1 (an empty log, nothing to rotate) exit 0, silent" test $rc -eq 0 -a ! -s "$P/r1.out"
sed 's/^/# /' "$P/r1.out"
"${as_job[@]}" "$N" --config "$P/n.conf" >"$P/r2.out" 2>"$P/r2.err"; rc=$?
check "unrotatable log: night 2 fails (exit 1), not a silent success" test $rc -eq 1 -a ! -s "$P/r2.out"
check "... saying so in one timtin-nightly: line, with the reason and the log" bash -c "
    grep -qxF 'timtin-nightly: cannot rotate the log: $P/log/nightly.log could not be renamed to $P/log/nightly.log.1 (Permission denied): this run appended its log to it; $P/log must be writable by the user the job runs as' '$P/r2.err' &&
    ! grep -q '^mv:' '$P/r2.err'"
sed 's/^/# /' "$P/r2.err"
check "... night 1's log is kept, night 2's appended to it" bash -c "
    test \$(grep -c 'timtin-nightly [0-9.]*: start' '$P/log/nightly.log') -eq 2 &&
    grep -q 'FAILED: cannot rotate the log' '$P/log/nightly.log'"
check "... and the night's work was done all the same" \
    test "$(grep -c 'index: exit 0' "$P/log/nightly.log")" -eq 2
"${as_job[@]}" "$N" --config "$P/n.conf" --verbose >"$P/r3.out" 2>/dev/null
check "--verbose prints the log's lines, stamped, the programs' own too" bash -c "
    grep -qE '${STAMP_RE}timtin-index: indexed\$' '$P/r3.out' && ! grep -vE '$STAMP_RE' '$P/r3.out' | grep -q . &&
    tail -n \$(wc -l <'$P/r3.out') '$P/log/nightly.log' | cmp -s - '$P/r3.out'"

# ---- a file system that is full, or fills up during a step: a small
# tmpfs (when this may mount one: root) ----
SMALL=$T/small
mkdir -p "$SMALL"
if mount -t tmpfs -o size=128k tmpfs "$SMALL" 2>/dev/null; then
    on_exit "umount '$SMALL'"
    # full before the run: STATE_DIR and LOG's directory are checked too
    dd if=/dev/zero of="$SMALL/fill" bs=4k 2>/dev/null
    grep -v '^MIN_FREE=' "$CONF" >"$T/etc/small.conf"
    { cat "$T/etc/small.conf"; echo "MIN_FREE=1M"; echo "STATE_DIR=$SMALL/state"; } >"$T/etc/sfull.conf"
    "$N" --config "$T/etc/sfull.conf" >/dev/null 2>"$T/sfull.err"; rc=$?
    check "a full file system under STATE_DIR: exit 1, 'disk full' naming it" test $rc -eq 1 \
        -a -n "$(grep -F "disk full: only 0 KB free for $SMALL/state (MIN_FREE=1M); nothing done" "$T/sfull.err")"
    sed 's/^/# /' "$T/sfull.err"
    { grep -v '^LOG=' "$T/etc/small.conf"; echo "MIN_FREE=1M"; echo "LOG=$SMALL/log/nightly.log"; } >"$T/etc/lfull.conf"
    "$N" --config "$T/etc/lfull.conf" >/dev/null 2>"$T/lfull.err"; rc=$?
    check "a full file system under the LOG: exit 1, 'disk full' naming its directory" test $rc -eq 1 \
        -a -n "$(grep -F "disk full: only 0 KB free for $SMALL/log (MIN_FREE=1M); nothing done" "$T/lfull.err")"
    sed 's/^/# /' "$T/lfull.err"
    { cat "$T/etc/sfull.conf"; echo "MIN_FREE=512"; } | grep -v '^MIN_FREE=1M' >"$T/etc/bfull.conf"
    "$N" --config "$T/etc/bfull.conf" >/dev/null 2>"$T/bfull.err"; rc=$?
    check "MIN_FREE=512 (bytes) refuses a full file system" test $rc -eq 1 \
        -a -n "$(grep -F "disk full: only 0 KB free for $SMALL/state (MIN_FREE=512)" "$T/bfull.err")"
    # filling up during the steps: the corpus and the db (and so the state
    # directory, DB.nightly) on the small file system, MIN_FREE passed
    rm -f "$SMALL/fill"
    { grep -v '^CORPUS=\|^DB=' "$T/etc/small.conf"; echo "CORPUS=$SMALL/corpus"; echo "DB=$SMALL/db"
      echo "MIN_FREE=1k"; } >"$T/etc/fills.conf"
    "$N" --config "$T/etc/fills.conf" >/dev/null 2>"$T/fills.err"; rc=$?
    check "the disk fills during the crawl: exit 1, 'crawl of tuoitre: disk full', the crawler's last lines" \
        test $rc -eq 1 -a -n "$(grep -Fx 'timtin-nightly: crawl of tuoitre: disk full' "$T/fills.err")" -a \
        -n "$(grep -A3 -Fx 'timtin-nightly: crawl of tuoitre: disk full' "$T/fills.err" | grep '^    timtin-crawl: .*No space left on device')"
    check "... and during the index: 'index: disk full', the indexer's last lines" \
        test -n "$(grep -Fx 'timtin-nightly: index: disk full' "$T/fills.err")" -a \
        -n "$(grep -A3 -Fx 'timtin-nightly: index: disk full' "$T/fills.err" | grep '^    timtin-index: ')" -a \
        -n "$(grep -F "details in $T/log/nightly.log" "$T/fills.err")"
    sed 's/^/# /' "$T/fills.err"
else
    echo "# skip: the disk-full tests need a small tmpfs (mount -t tmpfs: root)"
fi

done_testing
