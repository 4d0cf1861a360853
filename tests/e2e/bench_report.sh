#!/usr/bin/env bash
# bench/report.py on a tiny made-up results directory with known figures:
# the report's medians, percentiles and ratios must be the ones worked out
# by hand below, and the ratios must point the documented way (timtin ÷
# peer).  The partner of bench_smoke.sh, which runs the whole bench but
# can check no figure.
. "$(dirname "$0")/lib.sh"
R=$T/results
mkdir -p "$R"
python3 - "$R" <<'PY'
import json, os, sys
R = sys.argv[1]
def dump(name, obj):
    with open(os.path.join(R, name), 'w') as f:
        json.dump(obj, f)
def lines(name, recs):
    with open(os.path.join(R, name), 'w') as f:
        for r in recs:
            f.write(json.dumps(r) + '\n')
dump('meta.json', {'mode': 'smoke', 'command': 'made up', 'wrk_secs': 99,
                   'index_jobs': 3, 'cache_mb': 64, 'block_mb': 32})
dump('machine.json', {'cpu': 'made up', 'cores': 7, 'mem_gb': 1})
dump('prep.json', {'articles': 1000, 'held': 10, 'text_bytes': 10 ** 6})
T = lambda system, step, rep, secs, cpu: {
    'system': system, 'step': step, 'rep': rep, 'seconds': secs,
    'user': cpu - 1, 'sys': 1, 'maxrss_kb': 1024, 'rc': 0, 'cmd': '?'}
lines('timings.jsonl', [
    T('timtin', 'import', 1, 40, 40),
    T('timtin', 'index', 1, 100, 180), T('timtin', 'index', 2, 120, 200),
    T('omega', 'index', 1, 220, 209), T('fts5', 'index', 1, 55, 55),
    T('timtin', 'incr-import', 1, 1, 1), T('timtin', 'incr-index', 1, 4, 4),
    T('omega', 'incr-index', 1, 20, 20), T('fts5', 'incr-index', 1, 0.4, 0.4)])
dump('incr-docs.json', {'timtin': 1010, 'omega': 1010, 'fts5': 1010})
lines('sizes.jsonl', [])
# 150 queries; query k's runs are m-d and m+d, so its median is m; they
# are written in a shuffled order, so the report must sort
n = 150
order = [(k * 37) % n + 1 for k in range(n)]
m = {k: 0.04 * k + 0.003 for k in range(1, n + 1)}
with open(os.path.join(R, 'queries.tsv'), 'w') as f:
    for k in order:
        f.write('q%03d\taccented\tquery %d\tid%d\n' % (k, k, k))
def rec(i, k, scale, ids):
    return {'n': i + 1, 'qid': 'q%03d' % k, 'variant': 'accented',
            'ms': [scale * (m[k] - 0.001), scale * (m[k] + 0.001)],
            'ids': ids, 'error': None}
lines('inproc-timtin.jsonl',
      [rec(i, k, 1, ['id%d' % k, 'x']) for i, k in enumerate(order)])
# the caches rank two queries otherwise
lines('inproc-timtin-cached.jsonl',
      [rec(i, k, 1, ['x', 'id%d' % k] if k in (5, 77) else ['id%d' % k, 'x'])
       for i, k in enumerate(order)])
lines('inproc-fts5.jsonl', [rec(i, k, 2, ['id%d' % k]) for i, k in
                            enumerate(order)])
pp = lambda ms, empty: [
    {'n': i + 1, 'qid': 'q%03d' % k, 'variant': 'accented', 'ms': [ms],
     'ids': [] if k <= empty else ['id%d' % k], 'error': None}
    for i, k in enumerate(order)]
lines('perproc-timtin.jsonl', pp(10, 0))
lines('perproc-omega.jsonl', pp(20, 40))
lines('perproc-fts5.jsonl', pp(40, 0))
# floors: medians 2 (delve), 4 (timtin), 3 (omega); above them 10-4, 20-3
dump('perproc-floor.json', {'word': 'zz', 'ms': {
    'xapian-delve --version': [1, 2, 9], 'timtin': [3, 4, 5],
    'omega': [3, 3, 4]}})
W = lambda mode, rps, p99: {
    'mode': mode, 'requests': rps * 7, 'seconds': 7.0, 'rps': rps,
    'p50_ms': 1, 'p90_ms': 2, 'p99_ms': p99, 'max_ms': 9, 'mean_ms': 1,
    'errors': 0, 'non_2xx': 0, 'duration_s': 7, 'connections': 5,
    'threads': 3, 'rows': n, 'cores': 7, 'procs': 4}
dump('cgi-timtin.json', [W('cgi', 50, 8), W('fastcgi', 300, 2)])
dump('cgi-omega.json', [W('omega-cgi', 100, 4)])
# did you mean (queries.py typos: qid, variant, query, the query meant)
typos = [
    ('d1', 'accented', 'hà nội', None, [1]),          # none
    ('d2', 'accented', 'cần thơ', 'Cần Thơ', [2]),    # capitals only: right
    ('d3', 'accented', 'đà nẵng', 'đà nang', [9]),    # a false alarm
    ('d1', 'accentless', 'ha noi', 'Hà Nội', [1]),    # accents restored
    ('d2', 'accentless', 'can tho', 'cần thờ', [1]),  # accents, not those
    ('d1', 'accented swap', 'hà ội', 'Hà Nội', [1]),
    ('d2', 'accented hoi/nga', 'cần thơ thuỹ', 'cần thơ thủy', [1]),
    ('d3', 'accentless drop', 'da nng', 'Đà Nẵng', [1]),
    ('d2', 'accentless swap', 'cna tho', 'cần thơ quá', [1]),
]
meant = {'d1': ('hà nội', 'ha noi'), 'd2': ('cần thơ', 'can tho'),
         'd3': ('đà nẵng', 'da nang')}
with open(os.path.join(R, 'typos.tsv'), 'w', encoding='utf-8') as f:
    for qid, var, q, sug, ms in typos:
        m = meant[qid][var.startswith('accentless')]
        if var == 'accented hoi/nga':
            m = 'cần thơ thuỷ'
        f.write('%s\t%s\t%s\t%s\n' % (qid, var, q, m))
lines('dym-timtin.jsonl', [
    {'n': i + 1, 'qid': qid, 'variant': var, 'ms': ms, 'suggestion': sug,
     'error': None} for i, (qid, var, q, sug, ms) in enumerate(typos)])
PY
python3 "$TOP/bench/report.py" --results "$R" --out "$T/report.md" 2>"$T/report.err"
rc=$?
check "report.py on made-up results exits 0" test $rc -eq 0
[ $rc -eq 0 ] || sed 's/^/# /' "$T/report.err"

# section TITLE, then every row of its tables as a list of cells
cat > "$T/md.py" <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
def section(title):
    return text.split('\n## ' + title)[1].split('\n## ')[0]
def row(title, first, nth=0):
    rows = [[c.strip() for c in re.split(r'(?<!\\)\|', l)[1:-1]]
            for l in section(title).split('\n') if l.startswith('| ')]
    rows = [r for r in rows if r[0] == first]
    assert len(rows) > nth, (title, first, section(title))
    return rows[nth]
PY
rep() { python3 -c "import sys; sys.path.insert(0, '$T'); sys.argv[1:] = ['$T/report.md']
from md import *
$1"; }
# queries' medians 0.043, 0.083 ... 6.003: the median is the mean of the
# 75th and 76th (3.003, 3.043), p95 and p99 the 143rd and 149th
check "in process: median, p95, p99, mean, max of the per-query medians" rep '
r = row("Query latency in process", "timtin")
assert r[1:8] == ["150", "2", "3.02", "5.72", "5.96", "3.02", "6.00"], r'
# did you mean: a suggestion that only capitalises, or puts accents on an
# accent-free query, is no false alarm; tone placement does not count
check "did you mean: rows typed right, false alarms, accents restored" rep '
r = row("Did you mean", "accented (typed right)")
assert r[1:7] == ["3", "1 (33.3%)", "1 (33.3%)", "1 (33.3%)", "2.00", "9.00"], r
r = row("Did you mean", "accentless (typed right)")
assert r[1:5] == ["2", "2 (100.0%), accents restored 1 (50.0%)", "0 (0.0%)",
                  "0 (0.0%)"], r'
check "did you mean: slips put right, in any tone placement" rep '
for v, want in (("accented swap", "1 (100.0%)"), ("accented hoi/nga", "1 (100.0%)"),
                ("accentless drop", "1 (100.0%)"), ("accentless swap", "0 (0.0%)")):
    r = row("Did you mean", v)
    assert r[2] == want, (v, r)'
check "in process: FTS5 twice as slow is timtin/peer 0.50x" rep '
r = row("Query latency in process", "SQLite FTS5")
assert r[3] == "6.05" and r[9:] == ["0.50×", "0.50×"], r'
check "per process: Omega twice as slow is timtin/peer 0.50x" rep '
r = row("Query latency per process", "Omega")
assert r[3] == "20.0" and r[9] == "0.50×", r'
check "per process: the floors, and each system above its own" rep '
assert row("Query latency per process", "`xapian-delve --version`")[1] == "2.00"
r = row("Query latency per process", "`timtin-search --json` asked for \"zz\"")
assert r[1] == "4.00" and r[3] == "6.00", r
r = row("Query latency per process", "`omega` asked for \"zz\"")
assert r[1] == "3.00" and r[3] == "17.0", r
s = section("Query latency per process")
assert "The two floors differ by 1.00 ms (timtin/Omega 1.33×)" in s, s
assert "Omega found nothing for 40 of the 150 rows, timtin for 0." in s, s'
check "CGI: wrk parameters from the results, not typed" rep '
s = section("CGI throughput")
for want in ("for 7 s per row, 5 connections, 3 threads", "the 150 query rows",
             "FastCGI: 4 long-lived", "shares the 7 cores"):
    assert want in s, (want, s)'
check "CGI: requests/s ratio is timtin/Omega" rep '
assert row("CGI throughput", "timtin.cgi as CGI")[8:] == ["0.50×", "2.00×"]
assert row("CGI throughput", "timtin.cgi as FastCGI")[8] == "3.00×"'
check "CGI: the rows Omega found nothing for" rep '
assert "Omega found nothing for 40 of the 150 rows (timtin: 0)" in section("CGI throughput")'
# timtin-index 100 and 120 s wall, 180 and 200 s CPU; omindex 220/209,
# sqlite3 55/55, the import 40/40: ratios per wall and per CPU second
check "bulk build: medians, CPU ÷ wall, wall and CPU ratios" rep '
r = row("Bulk build", "timtin", 1)
assert r[3] == "110" and r[6:8] == ["190", "1.73"], r
assert r[9:] == ["2.00×", "1.10×", "0.50×", "0.29×"], r
r = row("Bulk build", "timtin", 2)
assert r[3] == "150" and r[6] == "230" and r[9:11] == ["1.47×", "0.91×"], r'
check "bulk build: the thread and core counts from the results" rep '
s = section("Bulk build")
assert "ran 3 threads (`--jobs 3`" in s and "this 7-core machine" in s, s
assert "timtin-corpus import, omindex and sqlite3 kept one core busy" in s, s'
check "caches: the queries whose ranked ids differ, counted" rep '
s = section("Query latency in process")
assert "differ from those of the run without them on 2 of the 150 queries" in s, s
assert "up to 64 MB" in s and "--cache-mb 64" in s, s
assert "up to 32 MB of the index blocks" in s and "--block-cache-mb 32" in s, s'
# 10 new articles: timtin 1 + 4 s, omindex 20 s, FTS5 0.4 s
check "incremental: peer rows, articles/s ratios, documents after" rep '
r = row("Incremental run", "timtin", 1)
assert r[4] == "4.00" and r[9:] == ["1,010", "5.00×", "0.10×"], r
r = row("Incremental run", "timtin", 2)
assert r[4] == "5.00" and r[10:] == ["4.00×", "0.08×"], r
assert row("Incremental run", "Omega")[4] == "20.0"
assert row("Incremental run", "SQLite FTS5")[6] == "25"'

done_testing
