#!/usr/bin/env python3
"""bench/report.py — docs/benchmarks.md (and the latency plot) from the
results bench/run.sh leaves in WORK/results.  Nothing in the output is
typed by hand: every figure comes from a file of this run.

usage: report.py --results DIR --out FILE.md [--img FILE.png]
                 [--img-link PATH]

Reads (each optional except meta.json): meta.json, machine.json,
prep.json, timings.jsonl (bench/timeit.py), sizes.jsonl, incr-docs.json,
inproc-{timtin,timtin-cached,fts5}.jsonl, typos.tsv and dym-timtin.jsonl,
perproc-{timtin,omega,fts5}.jsonl,
perproc-floor.json, cgi-{timtin,omega}.json (bench/web.sh, bench/omega_web.sh), seg.md,
crawl.md, placeholders.json.  Python 3 standard library only.
"""
import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import unicodedata

SYS_NAME = {'timtin': 'timtin', 'timtin-cached': 'timtin, caches',
            'omega': 'Omega', 'fts5': 'SQLite FTS5'}
# timtin's JSON answers (timtin.cgi format=json, timtin-search --json) ask
# the searcher for the facets and the did-you-mean (web/web.c,
# searcher/main.c); bench/omega-json.omegascript asks Omega for neither
FACETS_NOTE = ('%s also counts the facets (matches per section and per '
               'year) and looks for a did-you-mean suggestion; %s neither, so '
               'timtin does more work per query here.')
VARIANTS = [('accented', 'accented'), ('accentless', 'accentless'),
            ('nfd', 'accented, typed in NFD'),
            ('tone', 'accented, other tone placement')]


def load_json(path, default=None):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def load_jsonl(path):
    out = []
    try:
        with open(path, encoding='utf-8') as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(json.loads(line))
    except OSError:
        return None
    return out


def pct(xs, p):
    """Nearest-rank percentile of xs (p in 0..100)."""
    s = sorted(xs)
    if not s:
        return float('nan')
    k = max(1, math.ceil(p / 100 * len(s)))
    return s[k - 1]


def fmt(x, digits=None):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return '–'
    if digits is None:
        a = abs(x)
        digits = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 1 else 3
    return '{:,.{}f}'.format(x, digits)


def ratio(a, b):
    if a is None or b is None or math.isnan(a) or math.isnan(b):
        return '–'
    if not b:
        return '∞' if a else '–'
    r = a / b
    return '%s×' % fmt(r, 2 if r < 10 else 1)


class Table:
    def __init__(self, head, align=None):
        self.head = head
        self.align = align or ['---'] + ['---:'] * (len(head) - 1)
        self.rows = []

    def add(self, *cells):
        assert len(cells) == len(self.head), (cells, self.head)
        self.rows.append([str(c) for c in cells])

    def md(self):
        esc = lambda c: c.replace('|', '\\|').replace('\n', ' ')
        lines = ['| ' + ' | '.join(self.head) + ' |',
                 '| ' + ' | '.join(self.align) + ' |']
        lines += ['| ' + ' | '.join(esc(c) for c in r) + ' |'
                  for r in self.rows]
        return '\n'.join(lines)


def latency_stats(recs):
    """Per query: the median of its runs.  Over the queries: median, p95,
    p99, mean; and the spread of the median over the runs (each run's
    median over the queries), min–max."""
    if not recs:
        return None
    per_q = [statistics.median(r['ms']) for r in recs if r['ms']]
    nrep = min(len(r['ms']) for r in recs)
    run_medians = [statistics.median(r['ms'][k] for r in recs)
                   for k in range(nrep)]
    return {'n': len(per_q), 'reps': nrep, 'per_q': per_q,
            'median': statistics.median(per_q), 'p95': pct(per_q, 95),
            'p99': pct(per_q, 99), 'mean': statistics.fmean(per_q),
            'max': max(per_q), 'run_min': min(run_medians),
            'run_max': max(run_medians)}


def write_floor(w, floor, perproc):
    """The per-process floor (queries.py perproc_floor): what a process
    costs before query work, and each system's queries above its own."""
    ms = floor['ms']
    label = {'timtin': '`timtin-search --json` asked for "%s"',
             'omega': '`omega` asked for "%s"'}
    med = {k: statistics.median(v) for k, v in ms.items() if v}
    w('What a process costs before any query work, %d runs each, taking '
      'turns: a program that only loads libxapian and exits '
      '(`xapian-delve --version`), and each system asked for a word no '
      'article holds (it opens its index, reads the query, finds '
      'nothing).  "Above the floor": the median over the queries of a '
      'system\'s per-query median minus its own no-match median.' %
      min(len(v) for v in ms.values()))
    w('')
    t = Table(['process', 'median ms', 'p95 ms', 'queries above the floor: '
               'median ms'])
    for k, v in ms.items():
        if not v:
            continue
        above = '–'
        if k in perproc and perproc[k]:
            per_q = [statistics.median(r['ms']) for r in perproc[k]
                     if r['ms']]
            above = fmt(statistics.median(per_q) - med[k])
        t.add(label[k] % floor.get('word', '?') if k in label else
              '`%s`' % k, fmt(med[k]), fmt(pct(v, 95)), above)
    w(t.md())
    w('')
    if 'timtin' in med and 'omega' in med:
        empty = {s: sum(1 for r in (perproc.get(s) or [])
                        if not r.get('ids') and not r.get('error'))
                 for s in ('timtin', 'omega')}
        w('The two floors differ by %s ms (timtin/Omega %s): both load the '
          'same libxapian and libstdc++ and open a Xapian database.  A row '
          'that finds nothing costs about the floor: Omega found nothing '
          'for %d of the %d rows, timtin for %d.' % (
              fmt(med['timtin'] - med['omega']),
              ratio(med['timtin'], med['omega']), empty['omega'],
              len(perproc.get('omega') or []), empty['timtin']))
        w('')


def relevance(recs, targets, variant, qids=None):
    rows = [r for r in recs if r['variant'] == variant and
            (qids is None or r['qid'] in qids)]
    if not rows:
        return None
    rr = s1 = s10 = 0.0
    for r in rows:
        t = targets.get(r['qid'])
        ids = (r.get('ids') or [])[:10]
        if t in ids:
            k = ids.index(t) + 1
            rr += 1 / k
            s1 += k == 1
            s10 += 1
    n = len(rows)
    return {'n': n, 'mrr': rr / n, 's1': s1 / n, 's10': s10 / n}


def cache_check(plain, cached):
    """A sentence comparing the ranked ids (and match counts) of the
    searcher with and without the caches, query by query."""
    if not plain or not cached:
        return ''
    by_n = {r['n']: r for r in cached}
    both = [(r, by_n[r['n']]) for r in plain if r['n'] in by_n]
    ids = sum(1 for a, b in both if a.get('ids') != b.get('ids'))
    total = sum(1 for a, b in both if a.get('total') != b.get('total'))
    return ('  Its ranked top-10 ids differ from those of the run without '
            'them on %d of the %d queries, its match counts on %d.' % (
                ids, len(both), total))


DYM_TONES = '\u0300\u0301\u0303\u0309\u0323'


def dym_syllable(w):
    """A word as a reader compares two: its tone mark wherever it is put
    (thuỷ, thủy), and a rhyme of the one vowel i or y after a consonant
    either way (kỳ, kì), as timtin's norm terms read them (docs/FORMAT.md)."""
    d = unicodedata.normalize('NFD', w)
    tones = ''.join(c for c in d if c in DYM_TONES)
    base = unicodedata.normalize('NFC', ''.join(c for c in d
                                                if c not in DYM_TONES))
    if (len(base) >= 2 and base[-1] == 'y' and
            base[-2] in 'bcdđghklmnprstvx' and not base.startswith('qu')):
        base = base[:-1] + 'i'
    if base == 'qui':                   # (quí, quý: y after qu)
        base = 'quy'
    return base + tones


def dym_norm(s):
    """A query as a reader compares two: NFC, lower case, single spaces,
    each word as dym_syllable reads it."""
    return ' '.join(dym_syllable(w) for w in
                    unicodedata.normalize('NFC', s or '').lower().split())


def dym_fold(s):
    """dym_norm without accents (d for đ)."""
    d = unicodedata.normalize('NFD', dym_norm(s).replace('đ', 'd'))
    return ''.join(c for c in d if not unicodedata.combining(c))


def dym_rows(typos, recs):
    """Per variant of typos.tsv (queries.py typos): rows, suggestions that
    give the query meant, other suggestions, none; the ms of each row.
    Accent-free rows may be given their accents too (fold compared); a
    suggestion on a row typed right is a false alarm, but for one that only
    adds accents to an accent-free query, counted as such ("accents")."""
    accented = {q[0]: q[2] for q in typos if q[1] == 'accented'}
    # (a variant without a space is a row typed right: "accented";
    # "accented swap" is one with a slip)
    stats = {}
    for (qid, var, q, meant), r in zip(typos, recs):
        x = stats.setdefault(var, {'n': 0, 'right': 0, 'other': 0,
                                   'none': 0, 'accents': 0, 'ms': []})
        x['n'] += 1
        x['ms'].append(statistics.median(r['ms']) if r.get('ms') else 0)
        sug = r.get('suggestion')
        plain = var.startswith('accentless')
        same = (lambda a, b: dym_fold(a) == dym_fold(b)) if plain else \
            (lambda a, b: dym_norm(a) == dym_norm(b))
        if not sug:
            x['none'] += 1
        elif ' ' not in var:
            # typed right: what a suggestion changes is a false alarm
            if same(sug, meant):
                x['right'] += 1
                if plain and dym_norm(sug) == dym_norm(accented.get(qid)):
                    x['accents'] += 1
            else:
                x['other'] += 1
        elif same(sug, meant):
            x['right'] += 1
        else:
            x['other'] += 1
    return stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--results', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--img', default='')
    ap.add_argument('--img-link', default='')
    a = ap.parse_args()
    R = a.results
    P = lambda n: os.path.join(R, n)
    meta = load_json(P('meta.json'), {})
    mach = load_json(P('machine.json'), {})
    prep = load_json(P('prep.json'), {})
    timings = load_jsonl(P('timings.jsonl')) or []
    sizes = {}
    for s in load_jsonl(P('sizes.jsonl')) or []:
        sizes[s['what']] = s
    holders = load_json(P('placeholders.json'), {})
    targets = {}
    try:
        with open(P('queries.tsv'), encoding='utf-8') as f:
            for line in f:
                p = line.rstrip('\n').split('\t')
                if len(p) >= 4:
                    targets[p[0]] = p[3]
    except OSError:
        pass

    out = []
    w = out.append
    mode = meta.get('mode', '?')
    w('# timtin benchmarks')
    w('')
    w('Generated by `%s` (bench/run.sh, mode **%s**) — every figure below '
      'comes from that one run; do not edit this file, run the command '
      'again.  How each peer is set up, and why: '
      '[bench/README.md](%s).' % (
          meta.get('command', '?'), mode, meta.get('readme_link',
                                                   '../bench/README.md')))
    w('')
    t = Table(['', ''], ['---', '---'])
    t.add('date', meta.get('date', '?'))
    t.add('commit', meta.get('commit', '?'))
    t.add('command', '`%s`' % meta.get('command', '?'))
    t.add('machine', '%s, %s cores, %s GB memory, %s' % (
        mach.get('cpu', '?'), mach.get('cores', '?'),
        mach.get('mem_gb', '?'), mach.get('os', '?')))
    t.add('load average at start', mach.get('load', '?'))
    t.add('versions', mach.get('versions', '?'))
    t.add('data', '%s articles in the bulk build + %s held back for the '
          'incremental run, from %s (%s MB of title+sapo+captions+body '
          'text)' % (fmt(prep.get('articles', 0), 0),
                     fmt(prep.get('held', 0), 0),
                     ', '.join(prep.get('sources', [])) or '?',
                     fmt(prep.get('text_bytes', 0) / 1e6, 0)))
    t.add('repetitions', meta.get('reps_note', '?'))
    t.add('whole run', '%s min' % fmt(meta.get('elapsed_s', 0) / 60, 1)
          if meta.get('elapsed_s') else '?')
    w(t.md())
    w('')
    w('Ratios are timtin ÷ peer of the figure in the row: above 1 means '
      'timtin is *larger* (more articles/s, more MRR — better; more '
      'milliseconds, more megabytes — worse).')
    w('')

    # ---------------------------------------------------------------- build
    def runs(system, step):
        return [x for x in timings if x['system'] == system and
                x['step'] == step]

    def summary(system, step):
        rs = runs(system, step)
        if not rs:
            return None
        secs = [x['seconds'] for x in rs]
        return {'n': len(rs), 'median': statistics.median(secs),
                'min': min(secs), 'max': max(secs),
                'rss': max(x['maxrss_kb'] for x in rs) / 1024,
                'cpu': statistics.median(x['user'] + x['sys'] for x in rs),
                'rc': [x['rc'] for x in rs]}

    n_art = prep.get('articles', 0)
    w('## Bulk build')
    w('')
    w('%s articles, each system from its own input (timtin: the JSONL, '
      'then its corpus; omindex: one HTML file per article; FTS5: a CSV of '
      'id, title, body), input files read once beforehand so every system '
      'starts with them in the page cache.  Median of the runs, min–max '
      'beside it; peak RSS is the largest of the runs.' % fmt(n_art, 0))
    w('')
    t = Table(['system', 'step', 'runs', 'median s', 'min–max s',
               'articles/s', 'CPU s', 'CPU ÷ wall', 'peak RSS MB',
               'timtin/omindex wall', 'timtin/omindex CPU',
               'timtin/FTS5 wall', 'timtin/FTS5 CPU'],
              ['---', '---'] + ['---:'] * 11)
    rows = [('timtin', 'import', 'timtin-corpus import (JSONL → WARC)'),
            ('timtin', 'index', 'timtin-index --full (corpus → Xapian)'),
            ('omega', 'index', 'omindex --stemmer=none (HTML → Xapian)'),
            ('fts5', 'index', 'sqlite3 .import into FTS5')]
    short = {('timtin', 'import'): 'timtin-corpus import',
             ('timtin', 'index'): 'timtin-index', ('omega', 'index'): 'omindex',
             ('fts5', 'index'): 'sqlite3'}
    S = {(s, st): summary(s, st) for s, st, _ in rows}
    # articles per second of wall-clock time, and per CPU second
    rate = lambda s: n_art / s['median'] if s and s['median'] else None
    crate = lambda s: n_art / s['cpu'] if s and s['cpu'] else None
    peers = (S[('omega', 'index')], S[('fts5', 'index')])

    def ratios(wall, cpu):
        out = []
        for p in peers:
            out += [ratio(wall, rate(p)), ratio(cpu, crate(p))]
        return out
    ti = S[('timtin', 'index')]
    one_core = []
    for s, st, label in rows:
        x = S[(s, st)]
        if not x:
            t.add(SYS_NAME[s], label, 0, *['–'] * 10)
            continue
        busy = x['cpu'] / x['median'] if x['median'] else None
        if busy is not None and busy <= 1.05 and (s, st) != ('timtin', 'index'):
            one_core.append(short[(s, st)])
        r = ['–'] * 4
        if (s, st) == ('timtin', 'index'):
            r = ratios(rate(x), crate(x))
        bad = ' (failed: exit %s)' % x['rc'] if any(x['rc']) else ''
        t.add(SYS_NAME[s], label + bad, x['n'], fmt(x['median']),
              '%s–%s' % (fmt(x['min']), fmt(x['max'])), fmt(rate(x), 0),
              fmt(x['cpu']), fmt(busy, 2), fmt(x['rss'], 0), *r)
    imp = S[('timtin', 'import')]
    if imp and ti:
        both = {'median': imp['median'] + ti['median'],
                'cpu': imp['cpu'] + ti['cpu']}
        t.add('timtin', 'import + index (sum of medians)', '',
              fmt(both['median']), '', fmt(rate(both), 0), fmt(both['cpu']),
              fmt(both['cpu'] / both['median'], 2), '',
              *ratios(rate(both), crate(both)))
    w(t.md())
    w('')
    jobs = meta.get('index_jobs')
    w('The ratio columns compare articles per second: "wall" per second of '
      'wall-clock time (what a user waits), "CPU" per CPU second, user + '
      'sys (the work done).  timtin-index --full ran %s on this %s-core '
      'machine, so its wall-clock time gains from every core%s.  timtin '
      'indexes more than the peers do: exact and accentless forms, fields, '
      'filters, values and the display data.' % (
          '%s thread%s (`--jobs %s`, one per core: its default)' % (
              jobs, 's' if jobs != 1 else '', jobs)
          if jobs else 'one thread per core (its default)',
          mach.get('cores', '?'),
          '; %s kept one core busy (CPU ÷ wall about 1)' % (
              ' and '.join([', '.join(one_core[:-1]), one_core[-1]])
              if len(one_core) > 1 else one_core[0]) if one_core else ''))
    w('')

    # ---------------------------------------------------------------- size
    w('## Index size')
    w('')
    how = sizes.get('timtin-compact-tool', {}).get('how') or \
        'xapian-compact'
    w('`du -sk` of each index as built and after compaction (timtin: `%s` '
      'on a copy; Omega: `xapian-compact` into a new directory; FTS5: '
      "`INSERT INTO docs(docs) VALUES('optimize')` then `VACUUM` on a "
      'copy).  The queries below run on the compacted indexes; the '
      'incremental runs on the indexes as built.' % how)
    w('')
    t = Table(['system', 'as built MB', 'compacted MB', 'compaction s',
               'bytes per article (compacted)', 'timtin/peer (compacted)'])
    mb = lambda k: sizes[k]['kb'] / 1024 if k in sizes else None
    tc = mb('timtin-compacted')
    for s in ('timtin', 'omega', 'fts5'):
        c = mb(s + '-compacted')
        cs = summary(s, 'compact')
        t.add(SYS_NAME[s], fmt(mb(s + '-built')), fmt(c),
              fmt(cs['median']) if cs else '–',
              fmt(c * 1024 * 1024 / n_art, 0) if c and n_art else '–',
              '' if s == 'timtin' else ratio(tc, c))
    w(t.md())
    if 'timtin-corpus' in sizes or 'html' in sizes:
        w('')
        w('Inputs, for scale: timtin corpus (WARC, gzip) %s MB; the HTML '
          'files for omindex %s MB (`du`); the FTS5 CSV %s MB.' % (
              fmt(mb('timtin-corpus')), fmt(mb('html')), fmt(mb('fts-csv'))))
    w('')

    # ---------------------------------------------------------------- incr
    w('## Incremental run')
    w('')
    held = prep.get('held', 0)
    docs = load_json(P('incr-docs.json'), {})
    I = {k: summary(*k) for k in (('timtin', 'incr-import'),
                                  ('timtin', 'incr-index'),
                                  ('omega', 'incr-index'),
                                  ('fts5', 'incr-index'))}
    inc_peers = (I[('omega', 'incr-index')], I[('fts5', 'incr-index')])
    t = Table(['system', 'step', 'articles', 'runs', 'median s', 'min–max s',
               'articles/s', 'CPU s', 'peak RSS MB', 'articles in the index '
               'after', 'timtin/omindex', 'timtin/FTS5'],
              ['---', '---'] + ['---:'] * 10)
    hrate = lambda x: held / x['median'] if x and x['median'] else None
    for key, label in ((('timtin', 'incr-import'),
                        'timtin-corpus import of the new articles'),
                       (('timtin', 'incr-index'),
                        'timtin-index (no options: the records added since '
                        'its last run)'),
                       (('omega', 'incr-index'),
                        'omindex without --overwrite over the HTML tree, now '
                        'with the new files'),
                       (('fts5', 'incr-index'),
                        'sqlite3 .import of the new rows into FTS5')):
        x = I[key]
        if not x:
            if key[0] == 'timtin' or key[0] in docs:
                t.add(SYS_NAME[key[0]], label, fmt(held, 0), 0,
                      *['–'] * 8)
            continue
        n_after = docs.get(key[0]) if key[1] == 'incr-index' else None
        r = ['', '']
        if key == ('timtin', 'incr-index'):
            r = [ratio(hrate(x), hrate(p)) for p in inc_peers]
        t.add(SYS_NAME[key[0]], label, fmt(held, 0), x['n'], fmt(x['median']),
              '%s–%s' % (fmt(x['min']), fmt(x['max'])), fmt(hrate(x), 0),
              fmt(x['cpu']), fmt(x['rss'], 0),
              fmt(n_after, 0) if n_after is not None else '', *r)
    imp, inc = I[('timtin', 'incr-import')], I[('timtin', 'incr-index')]
    if imp and inc:
        both = {'median': imp['median'] + inc['median']}
        t.add('timtin', 'import + index (sum of medians)', fmt(held, 0), '',
              fmt(both['median']), '', fmt(hrate(both), 0), '', '', '',
              *[ratio(hrate(both), hrate(p)) for p in inc_peers])
    w(t.md())
    w('')
    how = ['timtin imports them into its corpus and timtin-index adds the '
           'records that came since its last run']
    if inc_peers[0]:
        how.append('omindex is run again over the tree it indexed, which now '
                   'holds the new files as well (without --overwrite it walks '
                   'the whole tree and skips the files it has, unmodified '
                   'since)')
    if inc_peers[1]:
        how.append('FTS5 has no source to catch up with, so the new rows go '
                   'into the table with the same `.import` as the bulk load')
    w('Each system catches up with the %s held-back articles in its own way, '
      'into its index as built (the as-built row of the size table), its '
      'new input read once beforehand: %s.%s' % (
          fmt(held, 0), '; '.join(how),
          '  The articles in each index afterwards: `xapian-delve`, '
          '`SELECT count(*)`.  The ratios compare articles/s.'
          if any(inc_peers) else
          '  No peer\'s incremental step was measured in this run.'))
    w('')

    # ---------------------------------------------------------------- relevance
    inproc = {'timtin': load_jsonl(P('inproc-timtin.jsonl')),
              'timtin-cached': load_jsonl(P('inproc-timtin-cached.jsonl')),
              'fts5': load_jsonl(P('inproc-fts5.jsonl'))}
    perproc = {s: load_jsonl(P('perproc-%s.jsonl' % s))
               for s in ('timtin', 'omega', 'fts5')}
    rel_src = {'timtin': inproc['timtin'] or perproc['timtin'],
               'omega': perproc['omega'],
               'fts5': inproc['fts5'] or perproc['fts5']}
    w('## Relevance')
    w('')
    nq = {v: sum(1 for r in (rel_src['timtin'] or []) if r['variant'] == v)
          for v, _ in VARIANTS}
    w('Known-item queries (%s): one target article each; MRR@10, success@1 '
      'and success@10 of the target.  The NFD and other-tone-placement '
      'variants are derived from the accented queries at run time (the '
      'tone variant only where a query has an oa/oe/uy syllable: %s '
      'queries; the row below it gives the accented form of those same '
      'queries).  Peers get the words with AND semantics.' % (
          meta.get('queries_src', '?'), nq.get('tone', 0)))
    w('')
    t = Table(['variant', 'queries'] +
              ['%s %s' % (SYS_NAME[s], m) for s in ('timtin', 'omega', 'fts5')
               for m in ('MRR@10', 's@1', 's@10')] +
              ['timtin/Omega MRR', 'timtin/FTS5 MRR'])
    tone_qids = {r['qid'] for r in (rel_src['timtin'] or [])
                 if r['variant'] == 'tone'}
    rel = {}
    SAME = 'accented, same queries as the tone variant'
    rowspec = [(v, label, None) for v, label in VARIANTS]
    rowspec.append(('accented', SAME, tone_qids))
    for v, label, qids in rowspec:
        cells, n = [], 0
        res = {}
        for s in ('timtin', 'omega', 'fts5'):
            x = relevance(rel_src[s], targets, v, qids) \
                if rel_src[s] else None
            res[s] = x
            if x:
                n = x['n']
                cells += [fmt(x['mrr'], 3), fmt(x['s1'], 3),
                          fmt(x['s10'], 3)]
            else:
                cells += ['–'] * 3
        if not n:
            continue
        rel[label] = res
        g = lambda s: res[s]['mrr'] if res[s] else None
        t.add(label, n, *cells, ratio(g('timtin'), g('omega')),
              ratio(g('timtin'), g('fts5')))
    w(t.md())
    acc = rel.get('accented', {}).get('timtin')
    nfd = rel.get('accented, typed in NFD', {}).get('timtin')
    tone = rel.get('accented, other tone placement', {}).get('timtin')
    same = rel.get(SAME, {}).get('timtin')
    if acc and (nfd or tone):
        w('')
        w('timtin, variant minus accented MRR@10: NFD %s; other tone '
          'placement %s (against the same queries typed the first way).' % (
              '%+.3f' % (nfd['mrr'] - acc['mrr']) if nfd else '–',
              '%+.3f' % (tone['mrr'] - same['mrr']) if tone and same
              else '–'))
    w('')
    w('Sources of the ranked lists: timtin and FTS5 from the in-process '
      'runs below, Omega from its command-line runs.')
    w('')

    # ---------------------------------------------------------------- latency
    w('## Query latency in process')
    w('')
    w('All the queries above (every variant), each run alone after one '
      'untimed pass over the whole list; a query\'s time is the median of '
      'its runs, and the table gives the distribution of those over the '
      'queries.  "spread" is the median of each single run over the '
      'queries, min–max.  timtin: bench/bench_search.c (searcher library, '
      'top 10 with snippets, a snippet whose words are not in the 512 '
      'bytes of text the index keeps cut from the whole article, read '
      'from the corpus); FTS5: one connection of Python\'s sqlite3 '
      'module (top 10 by bm25 with highlight() and snippet()); Omega has '
      'no library entry point (it is a CGI program), so it is only '
      'measured per process.  "timtin, caches": the same searcher '
      'keeping up to %s MB of frequent words\' posting lists decoded '
      '(`--cache-mb %s`; a list is decoded the second time a word is '
      'asked for, so the untimed pass pays for most) and up to %s MB of '
      'the index blocks it read (`--block-cache-mb %s`), as a FastCGI '
      'process does.'
      % ((meta.get('cache_mb', '?'),) * 2 + (meta.get('block_mb', '?'),) * 2) +
      cache_check(inproc['timtin'], inproc['timtin-cached']))
    w('')
    L_in = {s: latency_stats(inproc[s])
            for s in ('timtin', 'timtin-cached', 'fts5')}
    t = Table(['system', 'queries', 'runs', 'median ms', 'p95 ms', 'p99 ms',
               'mean ms', 'max ms', 'spread of median ms', 'timtin/peer median',
               'timtin/peer p99'])
    for s in ('timtin', 'timtin-cached', 'fts5'):
        x = L_in[s]
        if not x:
            if s != 'timtin-cached':
                t.add(SYS_NAME[s], 0, '', '–', '–', '–', '–', '–', '–', '–',
                      '–')
            continue
        rm = rp = ''
        if s == 'fts5' and L_in['timtin']:
            rm = ratio(L_in['timtin']['median'], x['median'])
            rp = ratio(L_in['timtin']['p99'], x['p99'])
        t.add(SYS_NAME[s], x['n'], x['reps'], fmt(x['median']), fmt(x['p95']),
              fmt(x['p99']), fmt(x['mean']), fmt(x['max']),
              '%s–%s' % (fmt(x['run_min']), fmt(x['run_max'])), rm, rp)
    w(t.md())
    w('')
    # per variant medians
    t = Table(['variant'] + ['%s median ms (in process)' % SYS_NAME[s]
                             for s in ('timtin', 'timtin-cached', 'fts5')] +
              ['%s median ms (per process)' % SYS_NAME[s]
               for s in ('timtin', 'omega', 'fts5')])
    for v, label in VARIANTS:
        cells = []
        for src in (inproc['timtin'], inproc['timtin-cached'], inproc['fts5'],
                    perproc['timtin'],
                    perproc['omega'], perproc['fts5']):
            ms = [statistics.median(r['ms']) for r in (src or [])
                  if r['variant'] == v and r['ms']]
            cells.append(fmt(statistics.median(ms)) if ms else '–')
        if any(c != '–' for c in cells):
            t.add(label, *cells)
    if t.rows:
        w('By variant:')
        w('')
        w(t.md())
        w('')

    w('## Query latency per process')
    w('')
    w('One whole process per query, start to exit, as a CGI request pays '
      'it: `timtin-search --json --limit 10`, the `omega` CGI binary in '
      'command-line mode with the JSON template bench/omega-json.omegascript, '
      'and a fresh `sqlite3` CLI running the same top-10 SQL as in process. '
      'The three take turns query by query; timed from Python '
      '(fork/exec/wait), one untimed pass first.  ' +
      FACETS_NOTE % ('`timtin-search --json`', 'Omega\'s template '
                     '(bench/omega-json.omegascript) and the FTS5 SQL do') +
      '  (The in-process timtin rows above do neither.)')
    w('')
    L_pp = {s: latency_stats(perproc[s]) for s in ('timtin', 'omega', 'fts5')}
    t = Table(['system', 'queries', 'runs', 'median ms', 'p95 ms', 'p99 ms',
               'mean ms', 'max ms', 'spread of median ms', 'timtin/peer median',
               'timtin/peer p99'])
    for s in ('timtin', 'omega', 'fts5'):
        x = L_pp[s]
        if not x:
            t.add(SYS_NAME[s], 0, '', '–', '–', '–', '–', '–', '–', '–', '–')
            continue
        rm = rp = ''
        if s != 'timtin' and L_pp['timtin']:
            rm = ratio(L_pp['timtin']['median'], x['median'])
            rp = ratio(L_pp['timtin']['p99'], x['p99'])
        t.add(SYS_NAME[s], x['n'], x['reps'], fmt(x['median']), fmt(x['p95']),
              fmt(x['p99']), fmt(x['mean']), fmt(x['max']),
              '%s–%s' % (fmt(x['run_min']), fmt(x['run_max'])), rm, rp)
    w(t.md())
    w('')
    # the queries as the dev file has them (accented and accent-free); the
    # NFD and tone variants are this bench's own additions
    given = ('accented', 'accentless')
    if perproc['timtin'] and perproc['omega']:
        med = {s: statistics.median(statistics.median(r['ms'])
                                    for r in perproc[s]
                                    if r['variant'] in given and r['ms'])
               for s in ('timtin', 'omega')}
        n_given = sum(1 for r in perproc['timtin']
                      if r['variant'] in given and r['ms'])
        w('On the %d queries of the dev file as it has them (accented and '
          'accent-free; the NFD and other-tone variants are derived here): '
          'median %s ms for timtin, %s ms for Omega, %s.' % (
              n_given, fmt(med['timtin']), fmt(med['omega']),
              ratio(med['timtin'], med['omega'])))
        w('')
    # Omega's accent-free and NFD queries mostly match nothing, and a query
    # that matches nothing is the cheapest: the same comparison on the
    # queries both programs answer
    both = {r['n'] for r in (perproc['omega'] or []) if r.get('ids')} & \
        {r['n'] for r in (perproc['timtin'] or []) if r.get('ids')}
    if both:
        med = {s: statistics.median(statistics.median(r['ms'])
                                    for r in perproc[s]
                                    if r['n'] in both and r['ms'])
               for s in ('timtin', 'omega')}
        w('On the %d queries both timtin and Omega answer with at least one '
          'result (Omega finds nothing for most accent-free and NFD ones, '
          'and a query that matches nothing costs least): median %s ms for '
          'timtin, %s ms for Omega, %s.' % (
              len(both), fmt(med['timtin']), fmt(med['omega']),
              ratio(med['timtin'], med['omega'])))
        w('')
    floor = load_json(P('perproc-floor.json'))
    if floor and floor.get('ms'):
        write_floor(w, floor, perproc)
    errs = []
    for label, src in (('timtin in process', inproc['timtin']),
                       ('FTS5 in process', inproc['fts5']),
                       ('timtin per process', perproc['timtin']),
                       ('Omega per process', perproc['omega']),
                       ('FTS5 per process', perproc['fts5'])):
        e = [r for r in (src or []) if r.get('error')]
        if e:
            errs.append('%s: %d queries failed (first: %s)' % (
                label, len(e), e[0]['error'][:120]))
    if errs:
        w('Errors: ' + '; '.join(errs) + '.')
        w('')

    # ---------------------------------------------------------------- plot
    img_ok = False
    if a.img and shutil.which('gnuplot'):
        img_ok = plot(a.img, {'timtin in process': L_in['timtin'],
                              'timtin in process, caches':
                                  L_in['timtin-cached'],
                              'FTS5 in process': L_in['fts5'],
                              'timtin per process': L_pp['timtin'],
                              'Omega per process': L_pp['omega'],
                              'FTS5 per process': L_pp['fts5']}, R)
    if img_ok:
        w('![Query latency: cumulative distribution of per-query '
          'milliseconds](%s)' % (a.img_link or a.img))
        w('')
        w('Cumulative distribution of the per-query times above (log '
          'scale).')
        w('')
    elif a.img:
        w('(No latency plot: gnuplot is not installed.)')
        w('')

    # ---------------------------------------------------------------- cgi
    w('## CGI throughput (wrk on 127.0.0.1, lighttpd)')
    w('')
    cgi_t = load_json(P('cgi-timtin.json'))
    cgi_o = load_json(P('cgi-omega.json'))
    if cgi_t:
        om = (cgi_o or [None])[0]
        # how wrk ran, as bench/web.sh and bench/omega_web.sh recorded it
        rec = cgi_t[0]
        how = lambda k, d='?': rec.get(k, d)
        w('lighttpd on 127.0.0.1 serving each program; `wrk` for %s s per '
          'row, %s connections, %s threads, each thread walking the %s query '
          'rows above in turn from its own start (bench/walk.lua, the same '
          'script for both servers); JSON results (timtin.cgi `format=json`, '
          'Omega with the same template as on the command line).  timtin: '
          '`bench/web.sh` (CGI: a process per request; FastCGI: %s '
          'long-lived processes); Omega: `bench/omega_web.sh` (its CGI; '
          'Omega has no FastCGI mode in Debian).  wrk shares the %s cores '
          'with the server.' % (
              how('duration_s', meta.get('wrk_secs', '?')),
              how('connections'), how('threads'), how('rows'), how('procs'),
              how('cores', mach.get('cores', '?'))))
        if om and any(om.get(k) != rec.get(k) for k in
                      ('duration_s', 'connections', 'threads', 'rows')):
            w('')
            w('**Omega\'s wrk ran otherwise:** %s s, %s connections, %s '
              'threads, %s rows.' % tuple(om.get(k, '?') for k in (
                  'duration_s', 'connections', 'threads', 'rows')))
        w('')
        t = Table(['server', 'requests/s', 'p50 ms', 'p90 ms', 'p99 ms',
                   'max ms', 'requests', 'errors', 'timtin/Omega requests/s',
                   'timtin/Omega p99'])
        label = {'cgi': 'timtin.cgi as CGI', 'fastcgi': 'timtin.cgi as FastCGI',
                 'omega-cgi': 'Omega CGI'}
        for r in list(cgi_t) + ([om] if om else []):
            rr = rp = ''
            if om and r is not om:
                rr = ratio(r['rps'], om['rps'])
                rp = ratio(r['p99_ms'], om['p99_ms'])
            t.add(label.get(r['mode'], r['mode']), fmt(r['rps'], 0),
                  fmt(r['p50_ms']), fmt(r['p90_ms']), fmt(r['p99_ms']),
                  fmt(r['max_ms']), fmt(r['requests'], 0),
                  fmt(r['errors'] + r['non_2xx'], 0), rr, rp)
        w(t.md())
        if not om:
            w('')
            w('(Omega under wrk failed in this run: no peer row.)')
        w('')
        # what the rows cost each program: wrk gives one distribution over
        # all of them, so only the per-process runs can tell them apart
        empty = {s: sum(1 for r in (perproc[s] or [])
                        if not r.get('ids') and not r.get('error'))
                 for s in ('timtin', 'omega')}
        if perproc['omega'] and perproc['timtin']:
            w('wrk cycles through every row, the accent-free, NFD and '
              'other-tone variants included.  In its per-process runs Omega '
              'found nothing for %d of the %d rows (timtin: %d), and a '
              'request that matches nothing costs least.  wrk gives one '
              'latency distribution over all the rows, so this table has no '
              'figure on the rows both answer; the per-process section '
              'has one.' % (empty['omega'], len(perproc['omega']),
                            empty['timtin']))
        else:
            w('wrk cycles through every row, the accent-free, NFD and '
              'other-tone variants included, where Omega may find nothing '
              '(a request that matches nothing costs least); wrk gives one '
              'latency distribution over all the rows, so this table has no '
              'figure on the rows both answer.')
        w('')
        w(FACETS_NOTE % ('timtin.cgi\'s `format=json`', 'Omega\'s template '
                         '(bench/omega-json.omegascript) does'))
    else:
        w('**Not yet measured: %s**' % holders.get(
            'cgi', 'timtin.cgi does not exist yet.'))
    w('')

    # ---------------------------------------------------------------- dym
    w('## Did you mean')
    w('')
    typos = []
    try:
        with open(P('typos.tsv'), encoding='utf-8') as f:
            typos = [l.rstrip('\n').split('\t') for l in f if l.strip()]
    except OSError:
        pass
    drecs = load_jsonl(P('dym-timtin.jsonl'))
    if typos and drecs and len(drecs) == len(typos):
        st = dym_rows(typos, drecs)
        w('The dev queries typed right, and with a slip in their longest '
          'word, at its middle letter: two letters swapped, one left out, '
          'one typed twice, and for the accented queries the tone hỏi '
          'written as ngã or the other way (the commonest spelling error of '
          'Vietnamese writers): `bench/queries.py typos`, from the dev file '
          'at run time.  timtin as timtin-search --json and timtin.cgi ask '
          'for it: bench/bench_search.c `--suggest` (top 10, one untimed '
          'pass, then one timed).  A suggestion "gives the query" when it '
          'is the query as typed right (lower case compared; for an '
          'accent-free query the accents do not count, so putting them on '
          'is right too).  On the rows typed right a suggestion is a false '
          'alarm unless it only puts accents on an accent-free query '
          '("accents restored": the accented dev query exactly).  The peers '
          'are not in this table: the Omega index here is built without '
          'spelling data (omindex `--spelling` off, as the bulk build '
          'compares like with like) and FTS5 has no suggestions.')
        w('')
        t = Table(['variant', 'rows', 'suggestion gives the query',
                   'another suggestion', 'no suggestion', 'median ms',
                   'p99 ms'])
        order = ['accented', 'accentless', 'accented swap', 'accented drop',
                 'accented double', 'accented hoi/nga', 'accentless swap',
                 'accentless drop', 'accentless double']
        for var in order + sorted(k for k in st if k not in order):
            x = st.get(var)
            if not x:
                continue
            pc = lambda k: '%d (%.1f%%)' % (x[k], 100.0 * x[k] / x['n'])
            right = pc('right')
            if var == 'accentless':
                right += ', accents restored %s' % pc('accents')
            t.add(var + (' (typed right)' if ' ' not in var else ''),
                  x['n'], right, pc('other'), pc('none'),
                  fmt(statistics.median(x['ms'])), fmt(pct(x['ms'], 99)))
        w(t.md())
        w('')
        w('On the rows typed right, "suggestion gives the query" is a '
          'suggestion that changes nothing the reader typed (for accented '
          'ones: its capitals alone), and "another suggestion" the false '
          'alarms.')
    else:
        w('**Not yet measured: %s**' % holders.get(
            'dym', 'no did-you-mean run (typos.tsv, dym-timtin.jsonl).'))
    w('')

    # ---------------------------------------------------------------- seg
    w('## Tokenizer and word segmentation')
    w('')
    seg = os.path.join(R, 'seg.md')
    if os.path.exists(seg) and open(seg, encoding='utf-8').read().strip():
        w('From `bench/seg.py` (word F1 against the UD Vietnamese-VTB gold '
          'segmentation; `--segment` throughput on news text, best of 3, '
          'one core).  No peer runs here: Debian ships no Vietnamese '
          'segmenter to compare against in the same run.')
        w('')
        w(open(seg, encoding='utf-8').read().strip())
    else:
        w('**Not measured in this run: %s**' % holders.get(
            'seg', 'bench/seg.py was not run.'))
    w('')

    # ---------------------------------------------------------------- crawl
    w('## Crawler')
    w('')
    crawl = os.path.join(R, 'crawl.md')
    if os.path.exists(crawl) and open(crawl, encoding='utf-8').read().strip():
        w('From `bench/crawl.sh` (written with the crawler; no peer): '
          'timtin-crawl against a loopback copy of a Tuổi Trẻ-style site '
          'rendered from the first %s articles of vietnews.jsonl.gz.' %
          fmt(meta.get('crawl_limit', 0), 0))
        w('')
        for line in open(crawl, encoding='utf-8').read().strip().split('\n'):
            w('#' + line if line.startswith('#') else line)
    else:
        w('**Not yet measured: %s**' % holders.get(
            'crawl', 'the crawler does not exist yet (bench/crawl.sh).'))
    w('')

    text = '\n'.join(out).rstrip() + '\n'
    tmp = a.out + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, a.out)


def plot(img, series, workdir):
    series = {k: v for k, v in series.items() if v and v['per_q']}
    if not series:
        return False
    plots = []
    for i, (name, st) in enumerate(series.items()):
        dat = os.path.join(workdir, 'latency-%d.dat' % i)
        xs = sorted(st['per_q'])
        with open(dat, 'w') as f:
            for k, x in enumerate(xs):
                f.write('%.4f %.5f\n' % (max(x, 0.001), (k + 1) / len(xs)))
        color = {'timtin': '#7b1fa2', 'FTS5': '#2e7d32',
                 'Omega': '#ef6c00'}[name.split()[0]]
        dash = 1 if 'in process' in name else 2
        plots.append("'%s' using 1:2 with lines lw 2 lc rgb '%s' dt %d "
                     "title '%s'" % (dat, color, dash, name))
    os.makedirs(os.path.dirname(os.path.abspath(img)), exist_ok=True)
    gp = os.path.join(workdir, 'latency.gp')
    with open(gp, 'w') as f:
        f.write('set terminal pngcairo size 900,520 font "sans,10"\n')
        f.write("set output '%s.tmp'\n" % img)
        f.write('set logscale x\nset grid\n')
        f.write("set xlabel 'milliseconds per query (median of its runs)'\n")
        f.write("set ylabel 'fraction of queries'\n")
        f.write("set key right bottom\nset yrange [0:1]\n")
        f.write("set title 'Query latency, cumulative distribution'\n")
        f.write('plot ' + ', \\\n     '.join(plots) + '\n')
    r = subprocess.run(['gnuplot', gp], stderr=subprocess.PIPE)
    if r.returncode != 0:
        print('report: gnuplot failed: %s' % r.stderr.decode()[:300],
              file=sys.stderr)
        return False
    os.replace(img + '.tmp', img)
    return True


if __name__ == '__main__':
    main()
