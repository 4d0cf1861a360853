#!/usr/bin/env bash
# The tokenizer's terms seen through timtin-index and timtin-search, on a
# few articles written for it: a score or a range is no date, an ISO date
# is the day it names, marks typed in either order, look-alike letters and
# fullwidth or compatibility forms find the words they stand for.
. "$(dirname "$0")/lib.sh"
C=$T/corpus; D=$T/db
# article ID TITLE BODY: one JSON line
article() { python3 -c 'import json,sys; print(json.dumps({"id": sys.argv[1], "url": "https://example.vn/" + sys.argv[1], "title": sys.argv[2], "body": [sys.argv[3]], "published": "2024-05-01T08:00:00+07:00", "source": "example"}, ensure_ascii=False))' "$@"; }
{
    article score "Đội nhà thắng đội khách" "Hiệp hai, tiền đạo số 9 đưa tỷ số thành 2-1. Giá vé tăng 3-5%."
    article newyear "Nghỉ Tết Dương lịch" "Ngày 2-1 công nhân trở lại nhà máy."
    article iso "Báo cáo quý I" "Số liệu cập nhật đến 2021-03-05 theo lịch công bố."
    article marks "Cảng biển" "$(printf 'Bốc dỡ 500 ta\xcc\x81\xcc\x82n hàng, may ma\xcc\x81\xcc\x86n.')"
    article dn "Du lịch Đà Nẵng" "Khách từ Hà Nội đến Đà Nẵng tăng mạnh."
    article lookalike "Du lịch miền Trung" "$(printf 'Tour \xc6\x89\xc3\xa0 N\xe1\xba\xb5ng v\xc3\xa0 v\xe1\xbb\x8bnh H\xd0\xb0 Long gi\xc3\xa1 r\xe1\xba\xbb.')"
    article compat "Điện ảnh" "$(printf '\xef\xbc\xb1u\xe1\xba\xa3ng \xef\xbc\xaeinh n\xc4\x83m \xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x91, b\xe1\xbb\x99 \xef\xac\x81lm m\xe1\xbb\x9bi.')"
} >"$T/a.jsonl"
"$B/timtin-corpus" --corpus "$C" import --quiet "$T/a.jsonl"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync
# the ids of the strict answer: as ids, or "other accents" when only the
# accent-free fallback found them, "relaxed" when not all words matched
strict() { "$B/timtin-search" --db "$D" --json --limit 100 -- "$@" | python3 -c '
import json,sys
r=json.load(sys.stdin)
print("relaxed" if r.get("relaxed") else "other accents" if r.get("notice") else " ".join(sorted(h["id"] for h in r["results"])))'; }
# finds NAME QUERY IDS: the strict answer to QUERY is IDS
finds() { check "$1" test "$(strict "$2")" = "$3"; }

# 1. a score after a score word, a range before %: no date
finds "2/1 finds the day 2-1, not the score 2-1" '2/1' "newyear"
finds "a score is found as typed: tỷ số 2-1" 'tỷ số 2-1' "score"
finds "3/5 (a day) does not find the range 3-5%" '3/5' ""
finds "a range is found as typed: 3-5%" '3-5%' "score"

# 2. an ISO date, year first, is the day it names: 5 March 2021
finds "5/3/2021 finds 2021-03-05" '5/3/2021' "iso"
finds "05/03/2021 finds 2021-03-05" '05/03/2021' "iso"
finds "the query 2021-03-05 finds it" '2021-03-05' "iso"
finds "its month and year, 3/2021, find it" '3/2021' "iso"
finds "3/5 (3 May) does not" '3/5' ""
"$B/timtin-search" --db "$D" --explain -- 2017-03-05 >"$T/explain"
check "--explain shows one date term, 5/3/2017" grep -q '5/3/2017' "$T/explain"

# 3. a tone mark typed before the shape mark: the letter all the same
finds "tấn finds tá̂n (a + U+0301 + U+0302)" 'tấn' "marks"
finds "mắn finds má̆n (a + U+0301 + U+0306)" 'mắn' "marks"
finds "the query typed so finds it" "$(printf 'ta\xcc\x81\xcc\x82n')" "marks"

# 4. look-alike letters: Ɖ is Đ, a Cyrillic а in a Latin word is a
finds "Đà Nẵng finds Ɖà Nẵng" 'Đà Nẵng' "dn lookalike"
finds "Ɖà Nẵng finds Đà Nẵng" "$(printf '\xc6\x89\xc3\xa0 N\xe1\xba\xb5ng')" "dn lookalike"
finds "ha long finds Hа Long (Cyrillic а)" 'ha long' "lookalike"
finds "Hа Long (Cyrillic а) as a query finds it" "$(printf 'H\xd0\xb0 Long')" "lookalike"

# 5. fullwidth forms, ligatures: the letters and digits they stand for
finds "Quảng Ninh finds Ｑuảng Ｎinh" 'Quảng Ninh' "compat"
finds "film finds ﬁlm" 'film' "compat"
finds "2021 finds ２０２１ (and the ISO date's year)" '2021' "compat iso"
finds "the query ２０２１ finds 2021" "$(printf '\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x91')" "compat iso"
finds "the query Ｈà Ｎội finds Hà Nội" "$(printf '\xef\xbc\xa8\xc3\xa0 \xef\xbc\xae\xe1\xbb\x99i')" "dn"

done_testing
