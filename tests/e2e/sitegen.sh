#!/usr/bin/env bash
# timtin-sitegen's options: --limit, --origin, --feed-items, --latest,
# --nfd-every, --old-slugs and --truth; bad input lines; usage and I/O
# errors with their exit statuses.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
G=$B/timtin-sitegen
[ -x "$G" ] || skip "timtin-sitegen not built"
pages() { ls "$1"/*-[0-9]*.htm | wc -l; }
# non-NFC lines of each article page, in name order
nfd_pages() { python3 - "$1" <<'PY'
import glob, sys, unicodedata
fs = sorted(glob.glob(sys.argv[1] + "/*-[0-9]*.htm"))
print(sum(1 for f in fs if sum(1 for l in open(f, encoding="utf-8")
                               if not unicodedata.is_normalized("NFC", l)) > 5))
PY
}

"$G" --quiet --limit 10 --origin https://tin.example.vn --feed-items 3 --latest 4 \
    --nfd-every 0 --old-slugs 0 --truth "$T/truth.jsonl" "$T/a" "$S"
check "exit 0" test $? -eq 0
check "--limit 10: ten article pages" test "$(pages "$T/a")" -eq 10
check "--truth: the ten articles as rendered, with their site URLs" python3 - "$T/truth.jsonl" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
assert len(a) == 10 and len({x["id"] for x in a}) == 10, len(a)
assert all(x["url"].startswith("https://tin.example.vn/") for x in a)
assert all(x["title"] and x["body"] and x["published"] for x in a)
PY
check "--origin: robots.txt and sitemaps name it" bash -c "
    grep -q '^Sitemap: https://tin.example.vn/sitemaps/index.rss' '$T/a/robots.txt' &&
    grep -q '<loc>https://tin.example.vn/' '$T/a/sitemaps/latest-news.rss'"
check "--feed-items 3: the latest-news feed holds 3 items" \
    test "$(grep -c '<item>' "$T/a/rss/tin-moi-nhat.rss")" -eq 3
check "--latest 4: the latest-news sitemap lists 4 articles" \
    test "$(grep -c '<url>' "$T/a/sitemaps/latest-news.rss")" -eq 4
check "--old-slugs 0: no link by an old slug" bash -c "! grep -q 'tin-cu-' '$T/a'/*.htm"
base_nfd=$(nfd_pages "$T/a")
"$G" --quiet --limit 10 "$T/b" "$S"
check "default: some links by old slugs" bash -c "grep -q 'tin-cu-' '$T/b'/*.htm"
check "default (--nfd-every 7): one page of ten more in NFD than with 0" \
    test "$(nfd_pages "$T/b")" -eq $((base_nfd + 1))
"$G" --quiet --limit 10 --nfd-every 1 "$T/c" "$S"
check "--nfd-every 1: every article page in NFD" test "$(nfd_pages "$T/c")" -eq 10
"$G" --quiet --limit 10 --nfd-every 2 "$T/d" "$S"
check "--nfd-every 2: every other page in NFD, at least" test "$(nfd_pages "$T/d")" -ge 5

# bad input lines are skipped and named; the rest is rendered
{ head -3 "$S"; echo '{"id": "x", "title": '; echo '{"id": "y", "body": ["no title"]}'; sed -n 4,5p "$S"; } >"$T/bad.jsonl"
"$G" --quiet "$T/e" "$T/bad.jsonl" 2>"$T/err"; rc=$?
check "bad lines: exit 1, the good articles rendered" test $rc -eq 1 -a "$(pages "$T/e")" -eq 5
check "bad lines: named with file and line" bash -c "grep -q 'bad.jsonl:4:' '$T/err' && grep -q 'bad.jsonl:5:' '$T/err'"

# usage and I/O errors
"$G" >/dev/null 2>&1; rc=$?
check "no arguments: exit 2" test $rc -eq 2
"$G" --page-size x "$T/f" "$S" >/dev/null 2>&1; rc=$?
check "bad --page-size: exit 2" test $rc -eq 2
"$G" --bogus "$T/f" "$S" >/dev/null 2>"$T/err"; rc=$?
check "unknown option: exit 2" test $rc -eq 2
check "unknown option: said by timtin-sitegen (not its path), with the hint" \
    bash -c "grep -q \"^timtin-sitegen: unrecognized option '--bogus'\" '$T/err' && grep -q -- --help '$T/err' && ! grep -qF '$B' '$T/err'"
"$G" --quiet "$T/g" "$T/missing.jsonl" 2>"$T/err"; rc=$?
check "missing input: exit 3, named" bash -c "test $rc -eq 3 && grep -q missing.jsonl '$T/err'"
echo x >"$T/afile"
"$G" --quiet "$T/afile/site" "$S" 2>/dev/null; rc=$?
check "OUT_DIR that cannot be made: exit 3" test $rc -eq 3
check "--help and --version" bash -c "'$G' --help | grep -q '^Usage: timtin-sitegen' && '$G' --version | grep -q '^timtin-sitegen '"

done_testing
