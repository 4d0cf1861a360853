#!/usr/bin/env bash
# The first pipeline: import the sample articles into a corpus, index them,
# and check that searches find the expected articles first — with and
# without accents, across tone placements and NFD text.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
C=$T/corpus; D=$T/db
"$B/timtin-corpus" --corpus "$C" import --quiet "$S" >"$T/import.out" 2>&1
check "import samples" test $? -eq 0
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync 2>"$T/index.err"
check "index samples" test $? -eq 0
check "index quiet prints nothing" test ! -s "$T/index.err"

# first_id QUERY...: the id of the top result.
first_id() { "$B/timtin-search" --db "$D" --json --limit 1 "$@" | python3 -c 'import json,sys; r=json.load(sys.stdin)["results"]; print(r[0]["id"] if r else "")'; }
ids() { "$B/timtin-search" --db "$D" --json --limit 50 "$@" | python3 -c 'import json,sys; print(" ".join(h["id"] for h in json.load(sys.stdin)["results"]))'; }
total() { "$B/timtin-search" --db "$D" --json --limit 1000 "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

CANTHO="20230612081542118 20221010184007503 20240305092051277"
POEM=20211119200533009
in_list() { case " $2 " in *" $1 "*) return 0 ;; esac; return 1; }

check "accented: cần thơ finds the city first" in_list "$(first_id 'cần thơ')" "$CANTHO"
check "accentless: can tho finds the city first" in_list "$(first_id 'can tho')" "$CANTHO"
r=$(ids 'can tho')
city_last=0; poem_at=-1; i=0
for id in $r; do
    in_list "$id" "$CANTHO" && city_last=$i
    [ "$id" = $POEM ] && poem_at=$i
    i=$((i + 1))
done
check "the three Cần Thơ articles rank above 'cần đọc thơ'" test "$poem_at" -lt 0 -o "$city_last" -lt "$poem_at"
check "NFD article found by NFC query" in_list 20240305092051277 "$(ids 'phấn khởi vào vụ')"
nfd_q=$(python3 -c 'import unicodedata; print(unicodedata.normalize("NFD", "phấn khởi vào vụ"))')
check "NFD query finds the same" test "$(ids "$nfd_q")" = "$(ids 'phấn khởi vào vụ')"
check "hòa bình = hoà bình (5 articles either way)" test "$(total 'hòa bình')" -ge 5 -a "$(ids 'hòa bình')" = "$(ids 'hoà bình')"
dn=$(ids 'đà nẵng' | tr ' ' '\n' | sort | tr '\n' ' ')
ndn=$(echo "$dn" | wc -w)
check "đà nẵng accentless (đ folds to d): the same articles first" test "$ndn" -ge 1 -a "$(ids 'da nang' | tr ' ' '\n' | head -n "$ndn" | sort | tr '\n' ' ')" = "$dn"
check "phrase query" test "$(total '"bão số 9"')" -ge 2
check "exclusion removes results" test "$(total 'bão')" -gt "$(total 'bão -"số 9"')"
check "no results: exit 1" bash -c "! '$B/timtin-search' --db '$D' zzqxqzz >/dev/null"
"$B/timtin-search" --db "$D" 'cần thơ' >"$T/out.txt"
check "text output has title and url" grep -q 'tuoitre.vn/.*htm' "$T/out.txt"
"$B/timtin-search" --db "$D" --json 'can tho' >"$T/out.json"
check "json output parses and has every field" python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))
assert r["total"] >= 3 and isinstance(r["total_is_exact"], bool)
h=r["results"][0]
for k in ("id","url","title","published","section","authors","score","snippet"): assert k in h, k
assert "<mark>" in h["snippet"], h["snippet"]' "$T/out.json"
check "snippet highlights accented text for an accentless query" grep -q '<mark>Cần</mark>' "$T/out.json"
# a second run indexes nothing new
out=$("$B/timtin-index" --corpus "$C" --db "$D" --no-sync)
check "incremental re-run adds nothing" grep -q ' 0 added, 0 replaced' <<<"$out"
# errors
"$B/timtin-search" --db "$T/nope" x 2>"$T/err"; rc=$?
check "missing db: exit 3, one line" test $rc -eq 3 -a "$(wc -l <"$T/err")" -eq 1
"$B/timtin-index" --bogus 2>"$T/err"; rc=$?
check "unknown option: exit 2" test $rc -eq 2
check "empty query: exit 2" bash -c "'$B/timtin-search' --db '$D' '  ...  ' 2>/dev/null; test \$? -eq 2"

done_testing
