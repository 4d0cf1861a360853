#!/usr/bin/env bash
# timtin-search over the sample articles: the query language (fields,
# dates, phrases, exclusion, OR), accents, did-you-mean, facets, related
# articles, near-duplicate collapse, several dbs as one, and bad queries.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
C=$T/corpus; D=$T/db
"$B/timtin-corpus" --corpus "$C" import --quiet "$S"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync
search() { "$B/timtin-search" --db "$D" --json --limit 100 "$@"; }
# field FIELD ARGS...: a field of the JSON result
field() { local f=$1; shift; search "$@" | python3 -c "import json,sys; r=json.load(sys.stdin); print(r[sys.argv[1]])" "$f"; }
ids() { search "$@" | python3 -c 'import json,sys; print(" ".join(h["id"] for h in json.load(sys.stdin)["results"]))'; }
count() { search "$@" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))'; }
# every result satisfies a python predicate on the hit h
# (strings compared in NFC: some sample articles are stored decomposed)
all_hits() { local pred=$1; shift; search "$@" | python3 -c "
import json,sys,unicodedata
n=lambda x: unicodedata.normalize('NFC', x) if isinstance(x, str) else [n(y) for y in x]
r=json.load(sys.stdin)['results']
assert r, 'no results'
for h in r:
    h={k: n(v) if isinstance(v, (str, list)) else v for k, v in h.items()}
    assert $pred, h" ; }
# the sample article with id $1, field $2 (python expression on a)
sample() { python3 -c "
import json,sys
for l in open('$S', encoding='utf-8'):
    a=json.loads(l)
    if a['id']=='$1': print($2)"; }

# fields and aliases
# a search is a process per query (CGI): it calls nothing of OpenSSL (the
# id terms of long ids hash without it), so that the linker leaves it out:
# loading it cost each process 2.6 M instructions
check "timtin-search and timtin.cgi call no OpenSSL" bash -c \
    "! nm -D --undefined-only '$B/timtin-search' '$B/timtin.cgi' | grep -qE ' (EVP_|OPENSSL_|SHA1)'"
check "section: filter" all_hits "h['section']=='Thể thao'" 'section:"thể thao"'
check "chuyenmuc: alias, accentless, dashes" test "$(ids 'chuyenmuc:the-thao')" = "$(ids 'section:"thể thao"')"
check "--section option" test "$(ids --section 'Thể thao' '')" = "$(ids 'section:"thể thao"')"
author=$(sample 20230612081542118 "a['authors'][0]")
check "author: filter" all_hits "'$author' in h['authors']" "author:\"$author\""
check "tacgia: alias" test "$(ids "tacgia:\"$author\"")" = "$(ids "author:\"$author\"")"
check "tag: filter" test "$(count 'tag:"bão số 9"')" -ge 1
check "source: filter" test "$(count 'source:tuoitre')" -ge 30
check "title: only titles" all_hits "'Cần Thơ' in h['title']" 'title:"cần thơ"'
check "tieude: alias accentless" test "$(ids 'tieude:"can tho"')" = "$(ids 'title:"cần thơ"')"
check "-section: excludes" all_hits "h['section']!='Thời sự'" 'bao -section:"thời sự"'

# dates
check "since:/until:" all_hits "'2023' <= h['published'][:4] <= '2024'" 'since:2023-01-01 until:2024-12-31'
check "tu:/den: aliases" test "$(ids 'tu:2023 den:2024')" = "$(ids 'since:2023-01-01 until:2024-12-31')"
check "range a..b" test "$(ids '2023-01-01..2024-12-31')" = "$(ids 'since:2023-01-01 until:2024-12-31')"
check "--since/--until options" test "$(ids --since 2023 --until 2024 '')" = "$(ids 'since:2023-01-01 until:2024-12-31')"
check "words and a month" all_hits "h['published'][:7]=='2025-09'" 'bão since:2025-09 until:2025-09'
"$B/timtin-search" --db "$D" 'since:2021-13-45' >/dev/null 2>"$T/err"; rc=$?
check "invalid date: exit 2 and names it" bash -c "test $rc -eq 2 && grep -q '2021-13-45' '$T/err'"

# --sort date: newest first
newest_first() { search --sort date 'hòa bình' | python3 -c '
import json,sys
d=[h["published"] for h in json.load(sys.stdin)["results"]]
assert d == sorted(d, reverse=True) and len(d) >= 2'; }
check "--sort date: newest first" newest_first

# the recency boost: the same matches, each score times 1 + 0.5^(age / DAYS)
# with age its days before the newest article of the db
newest=$("$B/timtin-search" --db "$D" --json --sort date --limit 1 --since 1900 | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["published"])')
boosted() { python3 - "$1" "$newest" "$T/plain.json" "$T/boosted.json" <<'PY'
import json, sys
from datetime import datetime
days, newest = float(sys.argv[1]), datetime.fromisoformat(sys.argv[2])
plain = {h['id']: h for h in json.load(open(sys.argv[3], encoding='utf-8'))['results']}
got = json.load(open(sys.argv[4], encoding='utf-8'))['results']
assert set(plain) == {h['id'] for h in got} and len(got) >= 5
for h in got:
    age = (newest - datetime.fromisoformat(h['published'])).total_seconds() / 86400
    want = plain[h['id']]['score'] * (1 + 0.5 ** (max(age, 0) / days))
    assert abs(h['score'] - want) < 1e-6 * want, (h['id'], h['score'], want)
scores = [h['score'] for h in got]
assert scores == sorted(scores, reverse=True), scores
PY
}
search 'hòa bình' >"$T/plain.json"
search --recency 3650 'hòa bình' >"$T/boosted.json"
check "--recency 3650: the same matches, scores boosted by age, in order" boosted 3650
check "--recency: the order changes (a newer article rises)" test "$(ids 'hòa bình')" != "$(ids --recency 3650 'hòa bình')"
search --sort recent 'hòa bình' >"$T/boosted.json"
check "--sort recent: a 30-day half-life" boosted 30
# the last --sort wins; an explicit --recency stays whatever --sort says
same_hits() { python3 -c '
import json, sys
a, b = ([(h["id"], h["score"]) for h in json.load(open(f, encoding="utf-8"))["results"]] for f in sys.argv[1:])
assert a == b and len(a) >= 5, (a, b)' "$1" "$2"; }
search --sort recent --sort relevance 'hòa bình' >"$T/last.json"
check "--sort recent --sort relevance: no boost" same_hits "$T/plain.json" "$T/last.json"
search --sort recent --sort date 'hòa bình' >"$T/last.json"
search --sort date 'hòa bình' >"$T/date.json"
check "--sort recent --sort date: by date" same_hits "$T/date.json" "$T/last.json"
search --sort date --sort recent 'hòa bình' >"$T/boosted.json"
check "--sort date --sort recent: a 30-day half-life" boosted 30
search --recency 3650 --sort recent --sort relevance 'hòa bình' >"$T/boosted.json"
check "--recency 3650 --sort recent --sort relevance: --recency holds" boosted 3650
search --sort recent --recency 3650 'hòa bình' >"$T/boosted.json"
check "--sort recent --recency 3650: --recency holds" boosted 3650
"$B/timtin-search" --db "$D" --recency 0 'hòa bình' >/dev/null 2>"$T/err"; rc=$?
check "--recency 0: exit 2 and says why" bash -c "test $rc -eq 2 && grep -q -- --recency '$T/err'"
check "--explain says the proximity bonus" bash -c "'$B/timtin-search' --db '$D' --explain 'hòa bình' | grep -q 'where \"hoa\" and \"binh\" stand d <= 5 words apart'"
check "--explain says the recency boost" bash -c "'$B/timtin-search' --db '$D' --explain --recency 30 'hòa bình' | grep -q '^  recency: the best 100 weighed again'"
"$B/timtin-search" --db "$D" --sort date --recency 7 'hòa bình' >/dev/null 2>"$T/err"; rc=$?
check "--sort date with --recency: refused (exit 2), not ignored" bash -c "test $rc -eq 2 && grep -q -- '--recency.*--sort date' '$T/err'"

# OR, parentheses, exclusion
a=$(count 'bão'); b=$(count 'covid'); ab=$(count 'bão OR covid')
check "OR is a union" test "$ab" -ge "$a" -a "$ab" -ge "$b" -a "$ab" -le $((a + b))
check "parentheses" test "$(ids '(bão OR covid) section:"thời sự"')" = "$(ids 'section:"thời sự" (covid OR bão)')"

# accents: typed accents preferred; accentless = every form
top=$(ids 'đương' | cut -d' ' -f1)
check "accented query: exact form first" bash -c "python3 -c \"
import json,unicodedata
found = False
for l in open('$S', encoding='utf-8'):
    a=json.loads(l)
    if a['id']=='$top':
        t=unicodedata.normalize('NFC',' '.join([a['title'],a['sapo']]+a['body'])).lower()
        assert 'đương' in t
        found = True
assert found, 'top hit %r is no sample article' % '$top'\""
check "accented query: only the exact form" bash -c "'$B/timtin-search' --db '$D' --json --limit 100 'đương' | python3 -c \"
import json,sys,re,unicodedata
arts={}
for l in open('$S', encoding='utf-8'):
    a=json.loads(l); arts[a['id']]=a
def has(a):
    t=unicodedata.normalize('NFC',' '.join([a['title'],a['sapo']]+a['body']+a.get('captions',[]))).lower()
    return re.search(r'(?<!\\w)đương(?!\\w)', t) is not None
seq=[has(arts[h['id']]) for h in json.load(sys.stdin)['results']]
assert seq and all(seq), seq\""
check "accented word absent as typed: the other forms, with a notice" bash -c "'$B/timtin-search' --db '$D' --json 'hòa bỉnh' | python3 -c \"
import json,sys
r=json.load(sys.stdin)
assert r['results'] and 'other accents' in r.get('notice',''), r\""

# did you mean
check "did you mean: accents restored" test "$(field suggestion 'can tho')" = "Cần Thơ"
s=$(field suggestion 'bao so 9')
check "did you mean: bão số 9 ($s)" bash -c "python3 -c 'import sys; assert sys.argv[1].lower()==\"bão số 9\"' '$s'"
check "did you mean: misspelling" test "$(field suggestion 'tuyeen')" = "tuyến"
# the spelling that makes a word with the words typed beside it (a
# lexicon word), before a commoner one that makes nothing: giag is
# giang in "an giag" (An Giang), not gia nor giá; thoo is thơ in "can
# thoo", not theo; mimh, no syllable, is minh in "ho chi mimh"
check "did you mean: a word with its neighbours (an giag)" test "$(field suggestion 'an giag')" = "An Giang"
check "did you mean: ... (can thoo)" test "$(field suggestion 'can thoo')" = "Cần Thơ"
check "did you mean: ... (kinh tee)" test "$(field suggestion 'kinh tee')" = "kinh tế"
check "did you mean: ... not a syllable (ho chi mimh)" test "$(field suggestion 'thanh pho ho chi mimh')" = "thành phố Hồ Chí Minh"
# a plain word no article has in any form, in a query with accents: a slip
# (nghip), not a word typed without its tones; a word with marks that no
# letter less makes a word of the index: any edit, the marks kept (tăg)
check "did you mean: a plain slip in an accented query" test "$(field suggestion 'các doanh nghip')" = "các doanh nghiệp"
check "did you mean: a slip with marks, a letter missing" test "$(field suggestion 'giá vàng tăg')" = "giá vàng tăng"
# in a query with marks, a word that as typed makes no lexicon word with
# its neighbours, where one letter more, less, changed or two swapped
# does: the lexicon's syllable, its marks kept; a letter with marks
# dropped (hội đng, ủy ban nhn dân, tư tưng), a vowelless word (trng
# ương), a letter with marks swapped with its neighbour (tắhng)
check "did you mean: a slip its neighbours tell (hội đng)" test "$(field suggestion 'hội đng')" = "hội đồng"
check "did you mean: ... (ủy ban nhn dân)" test "$(field suggestion 'ủy ban nhn dân')" = "ủy ban nhân dân"
check "did you mean: ... (tư tưng)" test "$(field suggestion 'tư tưng')" = "tư tưởng"
check "did you mean: ... (trng ương)" test "$(field suggestion 'trng ương')" = "trung ương"
check "did you mean: ... accent-free (trng uong)" test "$(field suggestion 'trng uong')" = "trung ương"
check "did you mean: a letter with marks swapped (đội tuyển tắhng)" test "$(field suggestion 'đội tuyển tắhng')" = "đội tuyển thắng"
# ... but a neighbour typed without marks in a query with some is plain
# (tham is no thậm)
check "did you mean: ... with its neighbours as typed (thậm chơ)" test "$(field suggestion 'thậm chơ')" = "thậm chí"
check "did you mean: ... not a plain neighbour (tham chơ)" test "$(field suggestion 'tham chơ')" = "None"
check "did you mean: ... a letter with marks changed (sản xuốt)" test "$(field suggestion 'sản xuốt')" = "sản xuất"
# the tone hỏi typed for ngã or the other way, the commonest spelling error
# of Vietnamese writers: the same letters make a lexicon word with the
# neighbours (kỳ thũ is kỳ thủ, not the commoner kỳ thị, a letter away);
# another mark changed does not (Nguyển Văn is no nguyên văn)
check "did you mean: hỏi for ngã (tư tưỡng)" test "$(field suggestion 'tư tưỡng')" = "tư tưởng"
check "did you mean: ... (thũ tướng)" test "$(field suggestion 'thũ tướng')" = "thủ tướng"
check "did you mean: ... (kỳ thũ)" test "$(field suggestion 'kỳ thũ')" = "kỳ thủ"
check "did you mean: ... not another mark (Nguyển Văn)" test "$(field suggestion 'Nguyển Văn')" = "None"
# words standing apart in the article are restored run by run, names keep
# their capitals, a capital that only begins the title does not
check "did you mean: run by run" test "$(field suggestion 'tranh dong ho nham dan')" = "tranh Đông Hồ Nhâm Dần"
check "did you mean: title's first capital lowered" test "$(field suggestion 'lang tranh dong ho')" = "làng tranh Đông Hồ"
check "did you mean: lower case where the text has it" test "$(field suggestion 'hoa binh')" = "hòa bình"
check "no suggestion for an accented query typed right" test "$(field suggestion 'Cần Thơ')" = "None"
check "did you mean: a tone typed wrong that spells another word" \
    test "$(field suggestion 'Cần Thờ')" = "Cần Thơ" -a "$(field suggestion 'HÀ NÔI')" = "HÀ NỘI"
"$B/timtin-search" --db "$D" 'can tho' >"$T/out"
check "text output offers the suggestion" grep -q 'Có phải bạn muốn tìm: Cần Thơ' "$T/out"

# facets
facets_add_up() { search 'hòa bình' | python3 -c '
import json,sys
r=json.load(sys.stdin); f=r["facets"]
assert sum(x["count"] for x in f["section"]) == len(r["results"])
assert sum(x["count"] for x in f["year"]) == len(r["results"])
assert [x["value"] for x in f["year"]] == sorted((x["value"] for x in f["year"]), reverse=True)'; }
check "facets: sections and years count the matches" facets_add_up
# articles without sections or dates (as in some archives): empty facets,
# and they say they are exact
python3 -c '
import json,sys
for l in open(sys.argv[1], encoding="utf-8"):
    a=json.loads(l); a.pop("section", None); a.pop("published", None)
    print(json.dumps(a, ensure_ascii=False))' "$S" >"$T/bare.jsonl"
"$B/timtin-corpus" --corpus "$T/bare" import --quiet "$T/bare.jsonl"
"$B/timtin-index" --corpus "$T/bare" --db "$T/bare-db" --quiet --no-sync
bare_facets() { "$B/timtin-search" --db "$T/bare-db" --json 'hòa bình' | python3 -c '
import json,sys
r=json.load(sys.stdin)
assert r["results"] and all(h["section"] is None for h in r["results"]), r
assert r["facets"] == {"section": [], "year": [], "exact": True}, r["facets"]'; }
check "facets: none to count, empty and exact" bare_facets

# phrases: the positions are on the folded terms; a word typed with accents
# must still be there as typed, and a phrase never spans two fields
cat >"$T/ph.jsonl" <<'EOF2'
{"id": "ph-city", "url": "https://example.vn/ph-city", "title": "Cầu mới ở Cần Thơ", "sapo": "Thành phố Cần Thơ khởi công cầu mới.", "body": ["Cầu nối hai quận."]}
{"id": "ph-worker", "url": "https://example.vn/ph-worker", "title": "Người cán thợ giỏi", "sapo": "Ông là cán thợ lâu năm của xưởng.", "body": ["Xưởng có nhiều thợ."]}
{"id": "ph-fields", "url": "https://example.vn/ph-fields", "title": "Người dân rất cần", "sapo": "Thơ ca dân gian được giữ gìn.", "body": ["Câu hát ru."]}
{"id": "ph-forms", "url": "https://example.vn/ph-forms", "title": "Chuyện nhạc", "sapo": "Ban nhạc bàn chuyện bán đĩa.", "body": ["Đĩa mới."]}
{"id": "ph-unclean", "url": "https://example.vn/ph-unclean", "title": "Thị trường", "sapo": "Giá\u00a0vàng tăng\u200b mạnh, giá\u200b vàng miếng cũng tăng.", "body": ["Cuối ngày."]}
EOF2
"$B/timtin-corpus" --corpus "$T/ph" import --quiet "$T/ph.jsonl"
"$B/timtin-index" --corpus "$T/ph" --db "$T/ph-db" --quiet --no-sync
# the ids found, or "relaxed" when no article has the phrase
phids() { "$B/timtin-search" --db "$T/ph-db" --json "$1" | python3 -c '
import json,sys
r=json.load(sys.stdin)
print("relaxed" if r["relaxed"] else " ".join(sorted(h["id"] for h in r["results"])))'; }
check "phrase with accents: as typed" test "$(phids '"cần thơ"')" = "ph-city"
check "phrase without accents: every form" test "$(phids '"can tho"')" = "ph-city ph-worker"
check "phrase: not across title and sapo" test "$(phids '"rất cần thơ ca"')" = relaxed
check "phrase: within a field" test "$(phids '"thơ ca dân gian"')" = "ph-fields"
# marks DB QUERY ID: the highlighted words of hit ID's snippet
marks() { "$B/timtin-search" --db "$1" --json "$2" | python3 -c '
import json,re,sys
for h in json.load(sys.stdin)["results"]:
    if h["id"] == sys.argv[1]:
        print(" ".join(re.findall("<mark>(.*?)</mark>", h["snippet"])))' "$3"; }
# highlights show what matched: a word typed with accents as typed, one
# typed without in every form
check "highlight: accented word as typed" test "$(marks "$T/ph-db" 'bàn' ph-forms)" = "bàn"
check "highlight: accent-free word in every form" test "$(marks "$T/ph-db" 'ban' ph-forms)" = "Ban bàn bán"
# text with odd spaces and zero-width characters: the snippet is cleaned and
# the marks still fall on the words
check "highlight: on cleaned text" test "$(marks "$T/ph-db" 'vàng' ph-unclean)" = "vàng vàng"
unclean_snippet() { "$B/timtin-search" --db "$T/ph-db" --json 'vàng' | python3 -c '
import json,sys
h=[h for h in json.load(sys.stdin)["results"] if h["id"]=="ph-unclean"][0]
assert "\u200b" not in h["snippet"] and "\u00a0" not in h["snippet"], h["snippet"]'; }
check "snippet: odd spaces and zero-width characters cleaned" unclean_snippet

# abbreviations and their expansions find each other (lib/data/abbrev.txt):
# as written, spelt out, or with other dots; an expansion's words apart, or
# split between two fields, are not the abbreviation
cat >"$T/ab.jsonl" <<'EOF2'
{"id": "ab-short", "url": "https://example.vn/ab-short", "title": "UBND tỉnh Bình Dương họp", "body": ["Chủ tịch UBND tỉnh phát biểu."]}
{"id": "ab-long", "url": "https://example.vn/ab-long", "title": "Cuộc họp về đường sá", "sapo": "Ủy ban nhân dân tỉnh Bình Dương đã họp.", "body": ["Nhiều ý kiến."]}
{"id": "ab-apart", "url": "https://example.vn/ab-apart", "title": "Ban tổ chức cảm ơn", "sapo": "Ủy ban cảm ơn nhân dân Bình Dương.", "body": ["Lễ hội kết thúc."]}
{"id": "ab-split", "url": "https://example.vn/ab-split", "title": "Tin từ ủy ban", "sapo": "Nhân dân Bình Dương đón tin vui.", "body": ["Ngày hội."]}
{"id": "ab-city", "url": "https://example.vn/ab-city", "title": "Mưa lớn ở TP.HCM", "body": ["Nhiều tuyến đường ngập."]}
{"id": "ab-city2", "url": "https://example.vn/ab-city2", "title": "Mưa lớn", "sapo": "Thành phố Hồ Chí Minh mưa suốt đêm.", "body": ["Nước rút chậm."]}
{"id": "ab-city3", "url": "https://example.vn/ab-city3", "title": "Kẹt xe ở TPHCM", "body": ["Giờ cao điểm."]}
{"id": "ab-council", "url": "https://example.vn/ab-council", "title": "Kỳ họp thứ năm", "sapo": "Hội đồng nhân dân tỉnh khai mạc kỳ họp.", "body": ["Đại biểu thảo luận."]}
EOF2
"$B/timtin-corpus" --corpus "$T/ab" import --quiet "$T/ab.jsonl"
"$B/timtin-index" --corpus "$T/ab" --db "$T/ab-db" --quiet --no-sync
abids() { "$B/timtin-search" --db "$T/ab-db" --json --limit 100 "$1" | python3 -c '
import json,sys
r=json.load(sys.stdin)
print("relaxed" if r["relaxed"] else " ".join(sorted(h["id"] for h in r["results"])))'; }
check "abbreviation: its expansion too" test "$(abids 'ubnd')" = "ab-long ab-short"
check "abbreviation with other words" test "$(abids 'UBND bình dương')" = "ab-long ab-short"
check "abbreviation typed without accents" test "$(abids 'hdnd')" = "ab-council"
check "expansion: its abbreviation too, and its words apart" test "$(abids 'ủy ban nhân dân')" = "ab-apart ab-long ab-short ab-split"
check "abbreviation with dots: every spelling" test "$(abids 'tp.hcm')" = "ab-city ab-city2 ab-city3"
check "abbreviation without dots: every spelling" test "$(abids 'TPHCM')" = "ab-city ab-city2 ab-city3"
check "expansion of a city: its abbreviations" test "$(abids 'thành phố hồ chí minh')" = "ab-city ab-city2 ab-city3"
# the snippet highlights the other spelling: every word of the expansion
abmarks() { marks "$T/ab-db" "$@"; }
check "abbreviation: its expansion highlighted" test "$(abmarks ubnd ab-long)" = "Ủy ban nhân dân"
check "expansion: its abbreviation highlighted" test "$(abmarks 'ủy ban nhân dân' ab-short)" = "UBND"
check "abbreviation without accents: its expansion highlighted" test "$(abmarks hdnd ab-council)" = "Hội đồng nhân dân"
check "abbreviation: its words apart not highlighted" test "$(abmarks 'ubnd OR cảm' ab-apart)" = "cảm"

# every spelling of TP.HCM finds the others, in one word, in two (TP HCM,
# TP. HCM: its parts TP and HCM) or spelt out, by any query spelling; a
# part (HCM, Hồ Chí Minh) finds the whole
i=0
for x in "TP. HCM" "TP HCM" "thành phố Hồ Chí Minh" "TP.HCM" "TPHCM"; do
    i=$((i + 1))
    echo "{\"id\": \"hcm-$i\", \"url\": \"https://example.vn/hcm-$i\", \"title\": \"Tin số $i\", \"body\": [\"Mưa lớn ở $x\"]}"
done >"$T/hcm.jsonl"
"$B/timtin-corpus" --corpus "$T/hcm" import --quiet "$T/hcm.jsonl"
"$B/timtin-index" --corpus "$T/hcm" --db "$T/hcm-db" --quiet --no-sync
hcmids() { "$B/timtin-search" --db "$T/hcm-db" --json --limit 100 "$1" | python3 -c '
import json,sys
r=json.load(sys.stdin)
print("relaxed" if r["relaxed"] else " ".join(sorted(h["id"] for h in r["results"])))'; }
for q in TP.HCM tphcm "TP HCM" "TP. HCM" hcm "hồ chí minh" "thanh pho ho chi minh" "mưa lớn ở tp hcm"; do
    check "every spelling of TP.HCM: $q" test "$(hcmids "$q")" = "hcm-1 hcm-2 hcm-3 hcm-4 hcm-5"
done
check "a part highlights the whole" test "$(marks "$T/hcm-db" 'hồ chí minh' hcm-4)" = "TP.HCM"
check "a phrase around TP HCM: as written" test "$(hcmids '"ở TP HCM"')" = "hcm-1 hcm-2"

# a time is one term whatever its spelling: 10:30 finds 10h30 and marks it
# as written, and the other way; a score (3:1) is no time
cat >"$T/tm.jsonl" <<'EOF2'
{"id": "tm-h", "url": "https://example.vn/tm-h", "title": "Khai mạc hội chợ", "body": ["Hội chợ khai mạc lúc 10h30 sáng nay."]}
{"id": "tm-colon", "url": "https://example.vn/tm-colon", "title": "Họp báo", "body": ["Buổi họp báo bắt đầu lúc 10:30 tại hội trường."]}
{"id": "tm-zero", "url": "https://example.vn/tm-zero", "title": "Tàu chạy", "body": ["Tàu khởi hành lúc 07h15 mỗi ngày."]}
{"id": "tm-score", "url": "https://example.vn/tm-score", "title": "Chung kết", "body": ["Đội nhà thắng 3:1 trên sân khách."]}
{"id": "tm-early", "url": "https://example.vn/tm-early", "title": "Giao hữu", "body": ["Trận giao hữu bắt đầu lúc 3h01 sáng."]}
EOF2
"$B/timtin-corpus" --corpus "$T/tm" import --quiet "$T/tm.jsonl"
"$B/timtin-index" --corpus "$T/tm" --db "$T/tm-db" --quiet --no-sync
tmids() { "$B/timtin-search" --db "$T/tm-db" --json "$1" | python3 -c '
import json,sys
print(" ".join(sorted(h["id"] for h in json.load(sys.stdin)["results"])))'; }
check "time: 10:30 finds 10h30 and 10:30" test "$(tmids '10:30')" = "tm-colon tm-h"
check "time: 10g30 finds both too" test "$(tmids '10g30')" = "tm-colon tm-h"
check "time: 7h15 finds 07h15" test "$(tmids '7h15')" = "tm-zero"
check "time: 3:01 finds 3h01, not the score 3:1" test "$(tmids '3:01')" = "tm-early"
check "time: the score 3:1 is no time 3h01" test "$(tmids '3:1')" = "tm-score"
check "time: 10:30 marks 10h30 as written" test "$(marks "$T/tm-db" '10:30' tm-h)" = "10h30"
check "time: 10h30 marks 10:30 as written" test "$(marks "$T/tm-db" '10h30' tm-colon)" = "10:30"

# related articles
rel=$(ids --related 20230612081542118 '')
check "related: results, not the article itself" bash -c "test -n '$rel' && ! grep -q 20230612081542118 <<<'$rel'"
check "related: the other Cần Thơ articles among the first five" bash -c "grep -q -e 20221010184007503 -e 20240305092051277 <<<'$(echo $rel | cut -d' ' -f1-5)'"
"$B/timtin-search" --db "$D" --related nope-id >/dev/null 2>"$T/err"; rc=$?
check "related: unknown id: no results (exit 1), named on stderr" bash -c "test $rc -eq 1 && grep -q 'no article with id \"nope-id\"' '$T/err'"
check "--help: exit 1 covers an unknown --related id" bash -c "'$B/timtin-search' --help | tr '\n' ' ' | grep -q '1 no results (or no article with the --related or --copies id)'"
rjson=$(search --related 20230612081542118 '' | python3 -c 'import json,sys; r=json.load(sys.stdin)["related"]; print(r["id"], r["title"])')
check "related: the JSON names the article" test "$rjson" = "20230612081542118 $(sample 20230612081542118 "a['title']")"
check "related: the text names the article" bash -c "'$B/timtin-search' --db '$D' --related 20230612081542118 | head -1 | grep -qF 'Related to 20230612081542118: $(sample 20230612081542118 "a['title']")'"
rq=$(ids --related 20230612081542118 cầu); rall=$(ids --related 20230612081542118 ''); qall=$(ids cầu)
check "related with a query: the related articles it matches, no other" python3 -c "
r, a, q = '$rq'.split(), set('$rall'.split()), set('$qall'.split())
assert r and set(r) == a & q and len(r) < len(a), (r, a & q)"
check "related with a word no article has: no results" test -z "$(ids --related 20230612081542118 xyzzyqq)"

# output: NFC whatever the article was stored in; colour; pages
nfd=$(python3 -c "
import json,unicodedata
for l in open('$S', encoding='utf-8'):
    a=json.loads(l)
    if a['title']!=unicodedata.normalize('NFC',a['title']): print(a['id']); break")
check "a sample article is stored decomposed (the NFC test's premise)" test -n "$nfd"
check "hits shown in NFC: title, snippet, authors (JSON)" bash -c "'$B/timtin-search' --db '$D' --json --limit 100 --related '$nfd' >/dev/null; for q in \"\$(python3 -c \"import json
for l in open('$S', encoding='utf-8'):
    a=json.loads(l)
    if a['id']=='$nfd': print(a['title'])\")\"; do '$B/timtin-search' --db '$D' --json --limit 100 \"\$q\"; done | python3 -c '
import json,sys,unicodedata
r=json.load(sys.stdin)[\"results\"]
h=[x for x in r if x[\"id\"]==\"$nfd\"]
assert h, \"not found\"
for k in (\"title\",\"snippet\",\"section\"):
    v=h[0][k] or \"\"
    assert v==unicodedata.normalize(\"NFC\",v), k
for a in h[0][\"authors\"]:
    assert a==unicodedata.normalize(\"NFC\",a), a'"
tty_out() { script -qec "$*" /dev/null; }
if command -v script >/dev/null; then
    check "colour on a terminal" bash -c "tty_out() { script -qec \"\$*\" /dev/null; }; tty_out \"'$B/timtin-search' --db '$D' bão\" | grep -q $'\033\\[1m'"
    check "NO_COLOR: none on a terminal" bash -c "tty_out() { script -qec \"\$*\" /dev/null; }; ! tty_out \"NO_COLOR=1 '$B/timtin-search' --db '$D' bão\" | grep -q $'\033'"
    check "TERM=dumb: none on a terminal" bash -c "tty_out() { script -qec \"\$*\" /dev/null; }; ! tty_out \"TERM=dumb '$B/timtin-search' --db '$D' bão\" | grep -q $'\033'"
    check "--color never: none on a terminal" bash -c "tty_out() { script -qec \"\$*\" /dev/null; }; ! tty_out \"'$B/timtin-search' --db '$D' --color never bão\" | grep -q $'\033'"
fi
check "--color always: colour in a pipe" bash -c "'$B/timtin-search' --db '$D' --color always bão | grep -q $'\033\\[1m'"
"$B/timtin-search" --db "$D" --color sometimes bão >/dev/null 2>"$T/err"; rc=$?
check "--color: a bad value is a usage error" bash -c "test $rc -eq 2 && grep -q 'expected auto, always or never' '$T/err'"
nb=$(count bão)
check "a page shows which results it holds" bash -c "'$B/timtin-search' --db '$D' --offset 1 --limit 1 bão | grep -q '^$nb results, 2-2 shown'"
"$B/timtin-search" --db "$D" --offset 100 bão >"$T/out"; rc=$?
check "a page past the end says so (exit 0: there are results)" bash -c "test $rc -eq 0 && grep -q 'offset 100 is past the last result' '$T/out'"

# near-duplicates show once
dups=$(ids 'title:"bệnh viện"' | tr ' ' '\n' | grep -c -e 20221102084511320 -e 20221102161048905)
check "near-duplicate pair collapsed to one (found, once)" test "$dups" -eq 1
# ... and --copies lists both, whichever id it is given
for id in 20221102084511320 20221102161048905; do
    check "--copies $id: the pair, nothing else" test "$(ids --copies $id | tr ' ' '\n' | sort | tr '\n' ' ')" = "20221102084511320 20221102161048905 "
done
"$B/timtin-search" --db "$D" --copies 20221102084511320 bệnh >/dev/null 2>"$T/err"; rc=$?
check "--copies with a query: usage error (exit 2), said" bash -c "test $rc -eq 2 && grep -q -- '--copies takes no QUERY' '$T/err'"
# a takedown must see every copy: no filter may hide one
for f in "--since 2023" "--until 2022" "--section x"; do
    # shellcheck disable=SC2086
    "$B/timtin-search" --db "$D" --copies 20221102084511320 $f >/dev/null 2>"$T/err"; rc=$?
    check "--copies with ${f% *}: usage error (exit 2), said" bash -c "test $rc -eq 2 && grep -q -- '--copies takes no ${f% *}' '$T/err'"
done
for o in --related --copies; do
    "$B/timtin-search" --db "$D" $o '' bão >/dev/null 2>"$T/err"; rc=$?
    check "$o '': usage error (exit 2), said" bash -c "test $rc -eq 2 && grep -q -- '$o: expected an article id' '$T/err'"
done
"$B/timtin-search" --db "$D" --copies nope-id >/dev/null 2>"$T/err"; rc=$?
check "--copies: unknown id: exit 1, named" bash -c "test $rc -eq 1 && grep -q 'no article with id \"nope-id\"' '$T/err'"
# ... and a result set small enough to count exactly counts each story
# once whatever the page: the same total on every page, the pages adding
# up to it, and each facet's count the total of its facet's own search
pages_agree() { # QUERY PER_PAGE [OPTION...]
    python3 - "$B/timtin-search" "$D" "$@" <<'EOF2'
import json, subprocess, sys
exe, db, q, per = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
more = sys.argv[5:]
def run(*a):
    return json.loads(subprocess.run([exe, '--db', db, '--json', *more, *a],
                                     check=True, capture_output=True).stdout)
first = run('--limit', str(per), q)
assert first['total_is_exact'] and 0 < first['total'] <= 100, first['total']
seen = []
for off in range(0, first['total'] + per, per):
    r = run('--limit', str(per), '--offset', str(off), q)
    assert r['total'] == first['total'], (off, r['total'], first['total'])
    seen += [h['id'] for h in r['results']]
assert len(seen) == len(set(seen)) == first['total'], (len(seen), first['total'])
for v in first['facets']['section']:
    t = run('--limit', '1', '--section', v['value'], q)['total']
    assert v['count'] == t, ('section', v, t)
for v in first['facets']['year']:
    y = v['value']
    t = run('--limit', '1', '--since', y + '-01-01', '--until', y + '-12-31',
            q)['total']
    assert v['count'] == t, ('year', v, t)
EOF2
}
check "near-duplicates: one total on every page, facets agree" pages_agree 'người' 3
check "near-duplicates: pages of 7 add up too" pages_agree 'bệnh viện' 7
check "near-duplicates, newest first: one total on every page, facets agree" pages_agree 'người' 3 --sort date
check "near-duplicates, newest first: pages of 7 too" pages_agree 'bệnh viện' 7 --sort date

# several dbs as one: split the corpus in two and search both
head -18 "$S" >"$T/a.jsonl"; tail -n +19 "$S" >"$T/b.jsonl"
"$B/timtin-corpus" --corpus "$T/ca" import --quiet "$T/a.jsonl"
"$B/timtin-corpus" --corpus "$T/cb" import --quiet "$T/b.jsonl"
"$B/timtin-index" --corpus "$T/ca" --db "$T/da" --quiet --no-sync
"$B/timtin-index" --corpus "$T/cb" --db "$T/db2" --quiet --no-sync
two=$("$B/timtin-search" --db "$T/da" --db "$T/db2" --json --limit 100 'hòa bình' | python3 -c 'import json,sys; print(" ".join(sorted(h["id"] for h in json.load(sys.stdin)["results"])))')
one=$(ids 'hòa bình' | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
check "two dbs search as one" test "$two" = "$one"
printf 'auto %s\nauto %s\n' "$T/da" "$T/db2" >"$T/stub"
check "a stub database file works too" test "$("$B/timtin-search" --db "$T/stub" --json 'hòa bình' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))')" -ge 5
# a stub listing a remote database (xapian-tcpsrv on a free port) and a
# local one: queries to a remote database travel serialised, so nothing in
# them may be of the shim's own making
# (setsid: on SIGTERM xapian-tcpsrv signals its whole process group, which
# would otherwise be this script's)
port=$(free_port)
setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$T/db2" >"$T/tcpsrv.log" 2>&1 &
srv=$!
on_exit "kill $srv"
wait_for python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port"
printf 'auto %s\nremote 127.0.0.1:%s\n' "$T/da" "$port" >"$T/rstub"
sorted_ids() { python3 -c 'import json,sys; print(" ".join(sorted(h["id"] for h in json.load(sys.stdin)["results"])))'; }
rtwo=$("$B/timtin-search" --db "$T/rstub" --json --limit 100 'hòa bình' | sorted_ids)
check "a remote database in a stub: the same results as two local ones" test "$rtwo" = "$two"
# in order, with their scores (the phrase and proximity bonuses are
# checked by the server there: the same bonuses)
ranked() { python3 -c 'import json,sys; print(" ".join("%s:%.9g" % (h["id"], h["score"]) for h in json.load(sys.stdin)["results"]))'; }
printf 'remote 127.0.0.1:%s\n' "$port" >"$T/ronly"
for q in 'hòa bình' 'can tho' 'thành phố hồ chí minh'; do
    ronly=$("$B/timtin-search" --db "$T/ronly" --json --limit 100 "$q" | ranked)
    lonly=$("$B/timtin-search" --db "$T/db2" --json --limit 100 "$q" | ranked)
    check "a stub of one remote database: '$q' ranked as by the db itself" bash -c "test -n '$lonly' && test '$ronly' = '$lonly'"
done
rrel=$("$B/timtin-search" --db "$T/rstub" --json --related 20230612081542118 | sorted_ids)
lrel=$("$B/timtin-search" --db "$T/da" --db "$T/db2" --json --related 20230612081542118 | sorted_ids)
check "related articles through a remote database" bash -c "test -n '$lrel' && test '$rrel' = '$lrel'"
# a long-lived searcher with the posting cache on (as FastCGI runs), asked
# each query twice (a list is decoded the second time)
printf 'q1\taccented\thòa bình\tx\nq2\taccentless\thoa binh\tx\nq1\taccented\thòa bình\tx\nq2\taccentless\thoa binh\tx\n' >"$T/rq.tsv"
"$B/bench/bench_search" --db "$T/rstub" --cache-mb 8 --reps 1 --warmup 1 --ids "$T/rq.tsv" >"$T/rcache.jsonl" 2>"$T/rcache.err"
"$B/bench/bench_search" --db "$T/da" --db "$T/db2" --reps 1 --warmup 1 --ids "$T/rq.tsv" >"$T/lcache.jsonl" 2>/dev/null
same_ids() { python3 - "$1" "$2" <<'PY'
import json, sys
def load(f):
    return [(r['qid'], r.get('ids'), r['total'], r['error']) for r in map(json.loads, open(f, encoding='utf-8'))]
a, b = load(sys.argv[1]), load(sys.argv[2])
assert len(a) == 4 and all(r[1] and r[3] is None for r in a), a
assert a == b, (a, b)
PY
}
check "posting cache over a stub with a remote database: same results, no error" same_ids "$T/rcache.jsonl" "$T/lcache.jsonl"

# control characters of a crawled title or snippet never reach the
# terminal (an ESC would be run by it); --json escapes them
cat >"$T/cc.jsonl" <<'EOF2'
{"id": "cc1", "title": "Tin \u001b]0;pwned\u0007 \u001b[31mđỏ\u001b[0m \u0085x", "sapo": "Sapo có \u001b[2J ký tự điều khiển.", "body": ["x"], "published": "2024-01-01T08:00:00+07:00"}
EOF2
# db_of NAME JSONL: the articles of JSONL in corpus $T/NAME, db $T/NAME-db
db_of() { "$B/timtin-corpus" --corpus "$T/$1" import --quiet "$2" &&
          "$B/timtin-index" --corpus "$T/$1" --db "$T/$1-db" --quiet --no-sync; }
db_of cc "$T/cc.jsonl"
"$B/timtin-search" --db "$T/cc-db" 'ký tự' >"$T/cc.out"
check "text output: no control characters" python3 -c '
import sys
t = open(sys.argv[1], encoding="utf-8").read()
assert "Tin" in t and "ký tự" in t, t
bad = [c for c in t if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
assert not bad, bad' "$T/cc.out"
check "JSON output: control characters escaped, kept" bash -c "'$B/timtin-search' --db '$T/cc-db' --json 'ký tự' | grep -q 'u001b'"
# nor bidi controls, which would show a title or snippet reordered (a
# name spelt backwards): dropped from the text output, the JSON's marked
# title and snippet (its title field is the article's, as stored)
cat >"$T/bidi.jsonl" <<'EOF2'
{"id": "bd1", "title": "Tin \u202egiả mạo\u202c hôm nay", "sapo": "Một câu \u202eđảo ngược\u202c và \u2067lồng\u2069 ở đây.", "body": ["x"], "published": "2024-01-01T08:00:00+07:00"}
EOF2
db_of bd "$T/bidi.jsonl"
"$B/timtin-search" --db "$T/bd-db" 'một câu' >"$T/bd.out"
"$B/timtin-search" --db "$T/bd-db" --json 'một câu' >"$T/bd.json"
check "text output and JSON: no bidi controls" python3 -c '
import json, sys
bidi = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
t = open(sys.argv[1], encoding="utf-8").read()
assert "giả mạo" in t and "đảo ngược" in t, t
assert not bidi & set(t), t
h = json.load(open(sys.argv[2], encoding="utf-8"))["results"][0]
assert "đảo ngược" in h["snippet"] and not bidi & set(h["snippet"] + h["title_html"]), h' "$T/bd.out" "$T/bd.json"

# query words given as several arguments: -word and -field:value are
# query text wherever they stand, the options work wherever they stand
# same_as QUERY ARG...: the arguments find what QUERY finds, something
same_as() { local q=$1; shift; local want; want=$(ids "$q"); test -n "$want" && test "$(ids "$@")" = "$want"; }
check "bao -lũ as two arguments: the exclusion" same_as 'bao -lũ' bao -lũ
check "-section:value as an argument: the exclusion" same_as 'bao -section:"thời sự"' bao '-section:"thời sự"'
check "-nhà, -dịch: words, not -n hà, -d ịch" same_as 'bao -nhà -dịch' bao -nhà -dịch
check "bình -hòa: a search, not the help" same_as 'bình -hòa' bình -hòa
check "options after the words" test "$("$B/timtin-search" --db "$D" bao -lũ --limit 2 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))')" = 2
check "bundled and attached short options" test "$("$B/timtin-search" "-d$D" -jn3 bao | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))')" = 3
check "-- ends the options" bash -c "'$B/timtin-search' --db '$D' -- bao --json | grep -qv '^{'"
# --word is no query text: a usage error, as --help says, which says to
# put -- before text that may begin with "--"
"$B/timtin-search" --db "$D" bão --lũ >/dev/null 2>"$T/err"; rc=$?
check "--lũ: a usage error (exit 2), named" bash -c "test $rc -eq 2 && grep -q -- '--lũ' '$T/err'"
check "-- --lũ: query text" bash -c "'$B/timtin-search' --db '$D' -- bão --lũ >/dev/null; test \$? -le 1"
"$B/timtin-search" --help | tr '\n' ' ' | tr -s ' ' >"$T/help"
check "--help: an unknown --option is a usage error, put -- before query text" \
    bash -c "grep -q 'beginning with \"--\" is always an option, an unknown one a usage error' '$T/help' && grep -q 'put \"--\" before' '$T/help'"
check "--help: claims no '-' argument that is no option is query text" \
    bash -c "! grep -q \"an argument beginning with '-' that is none of the options\" '$T/help'"
"$B/timtin-search" --db "$D" --limitt 3 bão >/dev/null 2>"$T/err"; rc=$?
check "an unknown --option is still an error" bash -c "test $rc -eq 2 && grep -q limitt '$T/err'"
check "... said by timtin-search, not its path" bash -c "grep -q '^timtin-search: ' '$T/err' && ! grep -qF '$B' '$T/err'"
"$B/timtin-search" bão --db 2>"$T/err"; rc=$?
check "--db without its value: exit 2, said by timtin-search" \
    bash -c "test $rc -eq 2 && grep -q \"^timtin-search: option '--db' requires an argument\" '$T/err' && ! grep -qF '$B' '$T/err'"

# a path that holds no db: exit 3 (index missing or unreadable), named
mkdir -p "$T/nodb"; echo 'ghi chú' >"$T/nodb/notes.txt"; : >"$T/nodb/empty"
for p in "$T/nodb" "$T/nodb/notes.txt" "$T/nodb/empty" "$T/nodb/none"; do
    "$B/timtin-search" --db "$p" bão >/dev/null 2>"$T/err"; rc=$?
    check "--db ${p#$T/} (no db): exit 3, the path named" bash -c "test $rc -eq 3 && grep -qF '$p' '$T/err'"
done

TIMTIN_DB="$T/da:$T/db2" "$B/timtin-search" --json 'hòa bình' >"$T/env.json"
check "TIMTIN_DB colon list" python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1], encoding="utf-8"))["results"]) >= 5' "$T/env.json"
# no limit on the number of dbs: a path after the 64th is searched too
many=$(for i in $(seq 64); do printf '%s:' "$D"; done)
TIMTIN_DB="${many}$T/nodb/none" "$B/timtin-search" bão >/dev/null 2>"$T/err"; rc=$?
check "TIMTIN_DB: a 65th path without a db: exit 3, named" \
    bash -c "test $rc -eq 3 && grep -qF 'no database at $T/nodb/none' '$T/err'"
TIMTIN_DB="${many}$D" "$B/timtin-search" bão >/dev/null 2>"$T/err"; rc=$?
check "TIMTIN_DB: 65 dbs searched" test $rc -eq 0
many=$(for i in $(seq 64); do printf -- '--db %s ' "$D"; done)
# shellcheck disable=SC2086
"$B/timtin-search" $many --db "$T/nodb/none" bão >/dev/null 2>"$T/err"; rc=$?
check "--db: a 65th path without a db: exit 3, named" \
    bash -c "test $rc -eq 3 && grep -qF 'no database at $T/nodb/none' '$T/err'"

# bad queries: never a crash, documented exit codes
for q in '"unbalanced' '((a' 'a)))' 'foo:bar bão' '-' '???' '""' 'title:' 'OR OR' "$(printf '\xff\xfe')"; do
    "$B/timtin-search" --db "$D" "$q" >/dev/null 2>&1; rc=$?
    check "bad query '$q': exit $rc in 0..2" test $rc -le 2
done
long=$(python3 -c 'print("a" * 400)')
"$B/timtin-search" --db "$D" "author:$long" >/dev/null 2>"$T/err"; rc=$?
check "author: of 400 characters: no results (exit 1), no empty query" bash -c "test $rc -eq 1 && ! grep -q 'empty query' '$T/err'"
check "bão author: of 400 characters: no results" test "$(count "bão author:$long")" = 0
check "unknown field: noted, searched as words" bash -c "'$B/timtin-search' --db '$D' --json 'foo:bar bão' | grep -q 'unknown field'"
long=$(python3 -c 'print("tin " * 2500)')
"$B/timtin-search" --db "$D" "$long" >/dev/null 2>&1; rc=$?
check "10,000-character query: answered" test $rc -le 1
# a query searches its first 32 words, and says so: in English on the
# command line, in Vietnamese on the page
words=$(python3 -c 'print(" ".join(["mưa lớn", "cần thơ", "học sinh", "bão"] * 10))')
first32=$(python3 -c 'import sys; print(" ".join(sys.argv[1].split()[:32]))' "$words")
check "40 words: the results of the first 32" test "$(ids "$words")" = "$(ids "$first32")"
check "40 words: noted on the command line" bash -c "'$B/timtin-search' --db '$D' '$words' | grep -qx 'Note: only the first 32 words were searched'"
check "32 words: no note" outputs_no 'Note:' "$B/timtin-search" --db "$D" "$first32"
check "40 words: noted on the page, in Vietnamese" bash -c "TIMTIN_DB='$D' '$B/timtin.cgi' \"q=\$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' '$words')\" | grep -qF 'chỉ 32 từ đầu được tìm'"

# JSON fields in one documented form, whatever the article was imported
# with, in --json and the page's format=json alike (one writer)
cat >"$T/odd.jsonl" <<'EOF2'
{"id": "o1", "url": "javascript:alert(1)", "title": "ngập lụt o1", "body": ["ngập"], "published": "2023-06-12"}
{"id": "o2", "url": "/relative/path", "title": "ngập lụt o2", "body": ["ngập"], "published": "2023-06-12T08:15:00"}
{"id": "o3", "url": "https://ex.vn/3", "title": "ngập lụt o3", "body": ["ngập"], "published": "2023-06-14T08:15:00.5+0700"}
{"id": "o4", "url": "HTTP://EX.VN/4", "title": "ngập lụt o4", "body": ["ngập"], "published": "2023-06-15T08:15:00+07:00"}
{"id": "o5", "url": "https://ex.vn/a b", "title": "ngập lụt o5", "body": ["ngập"], "published": "hôm qua"}
EOF2
"$B/timtin-corpus" --corpus "$T/odd" import --quiet "$T/odd.jsonl"
"$B/timtin-index" --corpus "$T/odd" --db "$T/odd-db" --quiet --no-sync
"$B/timtin-search" --db "$T/odd-db" --json 'ngập lụt' >"$T/odd.json"
TIMTIN_DB="$T/odd-db" "$B/timtin.cgi" 'q=ngập lụt' format=json >"$T/odd-cgi.json"
# odd_fields FILE FIELD 'id=value...': each result's FIELD (null: None)
odd_fields() { python3 - "$@" <<'PY'
import json, sys
r = {h["id"]: h for h in json.load(open(sys.argv[1], encoding="utf-8"))["results"]}
want = dict(x.split("=", 1) for x in sys.argv[3].split())
got = {k: r[k][sys.argv[2]] for k in want}
assert got == {k: None if v == "null" else v for k, v in want.items()}, got
PY
}
pubs='o1=2023-06-12T00:00:00+00:00 o2=2023-06-12T08:15:00+00:00 o3=2023-06-14T08:15:00+07:00 o4=2023-06-15T08:15:00+07:00 o5=null'
check "--json: published in RFC 3339, on the article's own offset" odd_fields "$T/odd.json" published "$pubs"
check "format=json: published the same" odd_fields "$T/odd-cgi.json" published "$pubs"
urls='o1=null o2=null o3=https://ex.vn/3 o4=HTTP://EX.VN/4 o5=null'
check "--json: url only when absolute http(s), as the page links" odd_fields "$T/odd.json" url "$urls"
check "format=json: url the same" odd_fields "$T/odd-cgi.json" url "$urls"
check "--json: a search by filters alone scores 0.0, a double still" \
    bash -c "'$B/timtin-search' --db '$T/odd-db' --json --since 2023 | grep -q '\"score\":0\.0,'"

# the query language: a field before (a group), ranges open at the start
check "title:(bão): titles only" all_hits "'bão' in h['title'].lower()" 'title:(bão)'
check "-title:(bão): excluded under the field" all_hits "'bão' not in h['title'].lower()" 'điện -title:(bão)'
check "section:(a OR b): either section" all_hits "h['section'] in ('Thời sự', 'Kinh doanh')" 'section:("thời sự" OR "kinh doanh")'
check "section:(a OR b): every article of both" test "$(count 'section:("thời sự" OR "kinh doanh")')" -eq $(( $(count 'section:"thời sự"') + $(count 'section:"kinh doanh"') ))
check "..2021: until 2021" same_as 'until:2021' '..2021'
check "AND: the default operator" same_as 'bão điện' 'bão AND điện'
check "NOT x: -x" same_as 'bão -điện' 'bão NOT điện'
"$B/timtin-search" --db "$D" 'bão since:' >/dev/null 2>"$T/err"; rc=$?
check "since: with nothing after it: exit 2, named" bash -c "test $rc -eq 2 && grep -q 'nothing after \"since:\"' '$T/err'"
"$B/timtin-search" --db "$D" --until 2021-02-29 bão >/dev/null 2>"$T/err"; rc=$?
check "--until 2021-02-29: exit 2, the month's days said" bash -c "test $rc -eq 2 && grep -q '2021-02 has 28 days' '$T/err'"
check "invalid UTF-8: read as a space, said with its byte" bash -c "'$B/timtin-search' --db '$D' \"\$(printf 'b\\xe3o')\" | grep -qx 'Note: invalid UTF-8 at byte 2 of the query: read as a space'"
check "a section no article has: said, with those there are" bash -c "'$B/timtin-search' --db '$D' --section nonexistent bão | grep -q '^Note: no article has section \"nonexistent\"; the commonest sections: Thời sự,'"
check "author:ngoc an: the value ends at the space, said" bash -c "'$B/timtin-search' --db '$D' 'author:ngoc an' | grep -qF 'Note: no article has author \"ngoc\" (a value ends at a space: author:\"ngoc an\")'"
check "tiêu đề: is title:" same_as 'title:bão' 'tiêu đề:bão'
check "foo:bar: no did-you-mean of an unknown field" bash -c "'$B/timtin-search' --db '$D' foo:bar >'$T/out'; test \$? -eq 1 && grep -q '^Note: unknown field' '$T/out' && ! grep -q 'Có phải' '$T/out'"
# a phrase no article has, its words apart: said so, not "every word"
check "a phrase apart: said on the command line" bash -c "'$B/timtin-search' --db '$D' '\"bão miền\"' | grep -q '^No article has the phrase as typed, but some have its words apart'"
check "a phrase apart: phrase_apart in JSON" test "$(field phrase_apart '"bão miền"')" = True
check "words nowhere: no article has every word" bash -c "'$B/timtin-search' --db '$D' '\"bão zzqxqzz\"' | grep -q '^No article has every word'"
"$B/timtin-search" --db "$D" AND >/dev/null 2>"$T/err"; rc=$?
check "operators alone: an empty query, exit 2" bash -c "test $rc -eq 2 && grep -q 'empty query' '$T/err'"

# standard output that cannot be written (a full disk, here /dev/full):
# said, exit 5 (other error), whatever was to be written
if [ -w /dev/full ]; then
    for args in bão "--json bão" "--explain bão" --help --version; do
        # shellcheck disable=SC2086
        "$B/timtin-search" --db "$D" $args >/dev/full 2>"$T/err"; rc=$?
        check "$args > /dev/full: exit 5, said" \
            bash -c "test $rc -eq 5 && grep -qx 'timtin-search: error writing standard output: No space left on device' '$T/err'"
    done
fi

# a db swapped in (timtin-index --compact, --full: rename with
# RENAME_EXCHANGE) while timtin-search opens the old one: a preloaded
# open() makes the swap come after Xapian read the old db's version file,
# before it opens a table; the search opens the new db and answers from it
# (it used to read the new tables at the old one's blocks: "EOF reading
# block N", exit 5)
python3 - "$S" >"$T/swap.jsonl" <<'EOF2'
import json, sys
a = json.loads(open(sys.argv[1], encoding='utf-8').readline())
a.update(id='swap-new-1', url='https://example.test/swap-new-1',
         title='Khinh khí cầu bay qua cánh đồng lúa chín')
print(json.dumps(a, ensure_ascii=False))
EOF2
"$B/timtin-corpus" --corpus "$T/swap-c" import --quiet "$T/swap.jsonl"
"$B/timtin-index" --corpus "$T/swap-c" --db "$T/swap-new" --quiet --no-sync
cp -a "$D" "$T/swap-db"
cat >"$T/swap.c" <<'EOF2'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* the first open of a table of SWAP_DB swaps SWAP_NEW in for it first */
static void swap(const char *path)
{
    static int done;
    const char *db = getenv("SWAP_DB"), *fresh = getenv("SWAP_NEW");
    size_t n = db ? strlen(db) : 0;
    if (done || !fresh || !n || strncmp(path, db, n) || path[n] != '/' ||
        !strstr(path + n, ".glass"))
        return;
    done = 1;
    if (renameat2(AT_FDCWD, fresh, AT_FDCWD, db, RENAME_EXCHANGE) != 0)
        perror("swap shim");
}
#define OPEN(name)                                                           \
    int name(const char *path, int flags, ...)                               \
    {                                                                        \
        static int (*real)(const char *, int, ...);                          \
        va_list ap;                                                          \
        va_start(ap, flags);                                                 \
        int mode = flags & O_CREAT ? va_arg(ap, int) : 0;                    \
        va_end(ap);                                                          \
        if (!real)                                                           \
            real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
        swap(path);                                                          \
        return real(path, flags, mode);                                      \
    }
OPEN(open)
OPEN(open64)
EOF2
if ${CC:-cc} -shared -fPIC -o "$T/swap.so" "$T/swap.c" -ldl 2>"$T/cc.err"; then
    # (under ASan its runtime must come first)
    asan=$(ldd "$B/timtin-search" 2>/dev/null | awk '/libasan/ { print $3 }')
    SWAP_DB=$T/swap-db SWAP_NEW=$T/swap-new LD_PRELOAD="${asan:+$asan }$T/swap.so" \
        "$B/timtin-search" --db "$T/swap-db" --json --limit 5 'khinh khí cầu' \
        >"$T/out" 2>"$T/err"; rc=$?
    check "a db swapped in while the search opens the old one: the shim swapped" \
        test -f "$T/swap-new/iamglass" -a -f "$T/swap-db/iamglass" -a \
        "$(xapian-delve "$T/swap-db" 2>/dev/null | sed -n 's/^number of documents = //p')" = 1
    check "... exit 0, nothing said" test "$rc" -eq 0 -a ! -s "$T/err"
    check "... the answer is the new db's" bash -c "python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
assert [h[\"id\"] for h in r[\"results\"]] == [\"swap-new-1\"], r' '$T/out'"
else
    check "the open() shim compiles" false
fi

# whole-text snippets: an article whose words are past the part of its
# text the db keeps (512 bytes) gets its snippet from the corpus
W=$T/whole; mkdir -p "$W"
python3 - "$W/a.jsonl" <<'EOF2'
import json, sys
fill = " ".join(["Người dân trong xã vẫn làm ruộng như mọi năm."] * 14)
arts = [
    {"id": "whole-1", "url": "https://example.vn/whole-1",
     "title": "Bảo tàng tỉnh mở cửa lại",
     "sapo": "Sau hai năm sửa chữa, bảo tàng tỉnh đón khách trở lại.",
     "body": [fill, "Ở sảnh chính, khách sẽ thấy bộ xương khủng long dài "
              "mười hai mét.", fill],
     "published": "2024-05-02T08:00:00+07:00", "section": "Văn hóa"},
    {"id": "whole-2", "url": "https://example.vn/whole-2",
     "title": "Trẻ em thích khủng long",
     "sapo": "Một cuộc thi vẽ khủng long cho học sinh tiểu học.",
     "body": ["Có hơn trăm bài dự thi."],
     "published": "2024-05-03T08:00:00+07:00", "section": "Giáo dục"},
]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for a in arts:
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
EOF2
"$B/timtin-corpus" --corpus "$W/c" import --quiet "$W/a.jsonl"
"$B/timtin-index" --corpus "$W/c" --db "$W/db" --quiet --no-sync
# wsnip ARGS...: whole-1's snippet for "khủng long"
wsnip() { "$B/timtin-search" --db "$W/db" --json "$@" 'khủng long' | python3 -c '
import json,sys
print([h["snippet"] for h in json.load(sys.stdin)["results"] if h["id"] == "whole-1"][0])'; }
has() { case "$1" in *"$2"*) return 0;; esac; echo "no \"$2\" in: $1" >&2; return 1; }
lacks() { case "$1" in *"$2"*) echo "\"$2\" in: $1" >&2; return 1;; esac; return 0; }
s=$(wsnip)
check "whole-text snippet: the words past the kept part, marked (the corpus the db names)" \
    has "$s" 'bộ xương <mark>khủng</mark> <mark>long</mark>'
check "... the db keeps the article's place" \
    bash -c "xapian-delve -d -r 1 '$W/db' 2>/dev/null | grep -q 'p[0-9]\{1,\}:1:[0-9]'"
s=$(wsnip --no-corpus)
check "--no-corpus: the snippet from the kept part" has "$s" 'Sau hai năm'
check "... nothing marked" lacks "$s" '<mark>'
printf 'corpus = none\n' > "$W/none.conf"
printf '# the default\n' > "$W/default.conf"
wcgi() { TIMTIN_DB=$W/db TIMTIN_CONFIG=$1 "$B/timtin.cgi" q=khủng+long format=json | python3 -c '
import json,sys
print([h["snippet"] for h in json.load(sys.stdin)["results"] if h["id"] == "whole-1"][0])'; }
s=$(wcgi "$W/default.conf")
check "the page: the whole text (the corpus the db names)" \
    has "$s" 'bộ xương <mark>khủng</mark>'
s=$(wcgi "$W/none.conf")
check "... corpus = none in the config: the kept part" lacks "$s" 'bộ xương'
# several dbs from several corpora: each hit's whole text from its own
python3 - "$W/b.jsonl" <<'EOF2'
import json, sys
fill = " ".join(["Trời nắng, người đi đường vội vã qua phố."] * 14)
a = {"id": "whole-3", "url": "https://example.vn/whole-3",
     "title": "Công viên mới", "sapo": "Công viên mở cửa cuối tuần.",
     "body": [fill, "Trẻ em thích mô hình khủng long bằng nhựa."],
     "published": "2024-05-04T08:00:00+07:00"}
open(sys.argv[1], "w", encoding="utf-8").write(json.dumps(a, ensure_ascii=False) + "\n")
EOF2
"$B/timtin-corpus" --corpus "$W/c2" import --quiet "$W/b.jsonl"
"$B/timtin-index" --corpus "$W/c2" --db "$W/db2" --quiet --no-sync
"$B/timtin-search" --db "$W/db" --db "$W/db2" --json 'khủng long' >"$T/two.json"
check "two dbs of two corpora: each hit's whole text from its own" python3 -c '
import json, sys
h = {x["id"]: x["snippet"] for x in json.load(open(sys.argv[1]))["results"]}
assert "bộ xương <mark>khủng</mark>" in h["whole-1"], h
assert "mô hình <mark>khủng</mark>" in h["whole-3"], h' "$T/two.json"
"$B/timtin-search" --db "$W/db" --corpus "$W/nope" 'khủng long' >/dev/null 2>"$T/err"; rc=$?
check "--corpus naming no corpus: a usage error (exit 2), naming it" \
    bash -c "test $rc -eq 2 && grep -q -- '--corpus: the corpus $W/nope, where a snippet reads' '$T/err'"
mv "$W/c" "$W/moved"
s=$(wsnip 2>"$T/err")
check "a corpus moved away: the kept part, nothing said" \
    bash -c "test -n \"\$0\" -a ! -s '$T/err'" "$s"
check "... nothing marked" lacks "$s" '<mark>'
s=$(wsnip --corpus "$W/moved")
check "... --corpus where it is now: the whole text again" \
    has "$s" 'bộ xương <mark>khủng</mark>'
"$B/timtin-corpus" --corpus "$W/moved" purge whole-1 >/dev/null 2>&1
s=$(wsnip --corpus "$W/moved" 2>"$T/err")
check "a purged article (the db not yet run): found, nothing said" \
    bash -c "test -n \"\$0\" -a ! -s '$T/err'" "$s"
check "... its text past the kept part is not read back" lacks "$s" 'bộ xương'
mv "$W/moved" "$W/c"
done_testing
