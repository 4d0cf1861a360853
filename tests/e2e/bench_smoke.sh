#!/usr/bin/env bash
# The benchmark scripts in smoke mode, so they don't rot between full runs:
# bench/run.sh on the project's sample articles with a few made-up queries,
# without ../shared.  Checks that a well-formed markdown report comes out,
# with every section and table; asserts nothing about any timing.
. "$(dirname "$0")/lib.sh"
[ -x "$B/bench/bench_search" ] || skip "build/bench/bench_search not built"
Q=$T/queries.tsv
# qid, variant, query, target id (in corpus/samples/articles.jsonl)
cat > "$Q" <<'EOF'
s01	accented	cầu mới bắc qua sông cần thơ	20230612081542118
s01	accentless	cau moi bac qua song can tho	20230612081542118
s02	accented	kỷ niệm ngày quốc tế hòa bình	20220921073003915
s02	accentless	ky niem ngay quoc te hoa binh	20220921073003915
s03	accented	bão số 9 áp sát đất liền	20250922104512640
s03	accentless	bao so 9 ap sat dat lien	20250922104512640
s04	accented	đà nẵng thử nghiệm trợ lý ảo	20251120142535097
s04	accentless	da nang thu nghiem tro ly ao	20251120142535097
EOF
W=$T/work
TT_SHARED=$T/no-shared BENCH_WORK=$W BENCH_QUERIES=$Q \
    "$TOP/bench/run.sh" "$B" smoke >"$T/run.out" 2>&1
rc=$?
check "bench/run.sh smoke exits 0" test $rc -eq 0
[ $rc -eq 0 ] || sed 's/^/# /' "$T/run.out" | tail -20
M=$W/benchmarks.md
check "report written" test -s "$M"
check "source tree untouched (no docs/benchmarks.md written by smoke)" \
    test ! "$M" -ef "$TOP/docs/benchmarks.md"
check "well-formed markdown tables, every section present" python3 - "$M" <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
lines = text.split('\n')
need = ['# timtin benchmarks', '## Bulk build', '## Index size',
        '## Incremental run', '## Relevance', '## Query latency in process',
        '## Query latency per process', '## CGI throughput', '## Did you mean',
        '## Tokenizer and word segmentation', '## Crawler']
for h in need:
    assert any(l.startswith(h) for l in lines), 'missing section ' + h
# every table: header, delimiter row, rows with the same number of cells
tables, i = 0, 0
def cells(l):
    return len(re.split(r'(?<!\\)\|', l.strip())) - 2
while i < len(lines):
    if lines[i].startswith('|'):
        head = lines[i]
        delim = lines[i + 1] if i + 1 < len(lines) else ''
        assert re.fullmatch(r'\|( *:?-{3,}:? *\|)+', delim.strip()), \
            'bad delimiter row after: ' + head
        n = cells(head)
        j = i + 2
        while j < len(lines) and lines[j].startswith('|'):
            assert cells(lines[j]) == n, 'row with %d cells, header %d: %s' % (
                cells(lines[j]), n, lines[j])
            j += 1
        assert j > i + 2, 'table without rows: ' + head
        tables += 1
        i = j
    else:
        i += 1
assert tables >= 7, 'only %d tables' % tables
# the timtin rows are filled in (figures, not dashes), the queries all ran
body = text.split('## Relevance')[1].split('##')[0]
row = [l for l in body.split('\n') if l.startswith('| accented |')]
assert row and re.search(r'\| 4 \| \d\.\d{3} \|', row[0]), row
assert 'Errors:' not in text, 'some queries failed'
cgi = text.split('## CGI throughput')[1].split('\n## ')[0]
assert '| timtin.cgi as CGI |' in cgi or 'Not yet measured' in cgi, cgi
PY
check "timtin relevance lists have ids" python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) >= 12 and all(r["ids"] for r in recs if r["variant"] == "accented"), recs[:2]
' "$W/results/inproc-timtin.jsonl"
check "incremental: every index holds every article after it" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))
assert p["held"] > 0 and d and all(v == p["articles"] + p["held"] for v in d.values()), (p, d)
' "$W/results/prep.json" "$W/results/incr-docs.json"
check "incremental: the new HTML files are out of the bulk-build tree again" \
    test ! -e "$W/data/html/held" -a -d "$W/data/html-held/held"
check "did you mean: the queries typed right and with slips, each asked" python3 -c '
import json, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
recs = [json.loads(l) for l in open(sys.argv[2])]
kinds = {r[1] for r in rows}
assert {"accented", "accented swap", "accented drop", "accented double",
        "accented hoi/nga", "accentless drop"} <= kinds, kinds
assert len(recs) == len(rows) and all("suggestion" in r for r in recs)
# the accent-free dev queries typed right get their accents back
assert any(r["suggestion"] for r, t in zip(recs, rows) if t[1] == "accentless")
' "$W/results/typos.tsv" "$W/results/dym-timtin.jsonl"
check "NFD variants derived from the accented queries" \
    test "$(grep -c '	nfd	' "$W/results/queries.tsv")" -eq 4
# bench_search's stderr summary uses report.py's statistics: with 2 runs
# a query's median is the mean of both, and p99 is the nearest rank
"$B/bench/bench_search" --db "$W/timtin/db-compacted" --reps 2 --warmup 0 "$Q" \
    >"$T/bs.jsonl" 2>"$T/bs.err"
check "bench_search summary agrees with report.py (median, p99)" \
    python3 - "$TOP/bench" "$T/bs.jsonl" "$T/bs.err" <<'PY'
import json, re, statistics, sys
sys.path.insert(0, sys.argv[1])
import report
per_q = [statistics.median(json.loads(l)['ms']) for l in open(sys.argv[2])]
m = re.search(r'median ([\d.]+) ms, p99 ([\d.]+) ms', open(sys.argv[3]).read())
assert m, open(sys.argv[3]).read()
want = (statistics.median(per_q), report.pct(per_q, 99))
got = (float(m.group(1)), float(m.group(2)))
# the jsonl has 4 decimals, the summary 3
assert all(abs(g - w) < 0.0011 for g, w in zip(got, want)), (got, want, per_q)
PY

done_testing
