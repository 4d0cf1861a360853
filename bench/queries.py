#!/usr/bin/env python3
"""bench/queries.py — the query side of bench/run.sh.

  queries.py variants IN.tsv OUT.tsv
      IN: qid, variant, query, target (the dev-queries.tsv format).  OUT:
      the same rows, then two derived from each "accented" row: "nfd" (the
      query decomposed, Unicode NFD) and "tone" (the other tone-mark
      placement of oa/oe/uy syllables: hòa <-> hoà, thủy <-> thuỷ,
      khỏe <-> khoẻ; only queries that have such a syllable).

  queries.py typos IN.tsv OUT.tsv
      Did-you-mean test rows, derived from IN (the dev-queries.tsv format)
      at run time: each row as typed (variant "accented" or "accentless":
      a suggestion there is a false alarm, but for one that puts accents
      on an accent-free query), then slips in its longest word, at its
      middle letter: "swap" (that letter and the next trade places),
      "drop" (left out), "double" (typed twice), variants "accented swap",
      "accentless drop" and so on; and for accented rows, "hoi/nga": the
      first syllable with the tone hoi written with nga or the other way
      (the commonest spelling error of Vietnamese writers).  OUT: qid,
      variant, query, the query meant (the row as typed).

  queries.py fts-inproc --db FTS.db --reps N --warmup N QUERIES.tsv
      FTS5 in process: one sqlite3 connection (Python's sqlite3 module),
      each query timed alone.  JSON lines on stdout, as bench_search.

  queries.py perproc --reps N --warmup N [--timtin 'CMD...'] [--omega CONF]
                     [--fts FTS.db] [--htmlmap TSV] [--floor N] --out DIR
                     QUERIES.tsv
      One whole process per query and system (start to exit, as a CGI
      request pays): timtin-search --json, the omega CGI binary in
      command-line mode, a fresh sqlite3 CLI.  The systems take turns query
      by query, so noise on this shared machine falls on all of them
      alike.  Writes DIR/perproc-SYSTEM.jsonl; with --floor N also
      DIR/perproc-floor.json, N timed runs of what a process costs before
      any query work (perproc_floor).

Peers get the query translated to their syntax: plain words with AND
semantics.  Omega: the words as typed, DEFAULTOP=and.  FTS5: every word
double-quoted ("w1" "w2": implicit AND), so no character is an operator.
Python 3 standard library only.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import unicodedata

# a word no article holds (letters no Vietnamese or English word spells)
FLOOR_WORD = 'qxzqvj'
TONES = {'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}


def read_tsv(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n').rstrip('\r')
            if not line or line.startswith('#'):
                continue
            p = line.split('\t')
            if len(p) >= 3:
                rows.append((p[0], p[1], p[2], p[3] if len(p) > 3 else ''))
            else:
                rows.append(('q%d' % (len(rows) + 1), 'plain', p[0], ''))
    return rows


def swap_tone_syllable(syl):
    """The other tone placement of an open oa/oe/uy syllable, else syl."""
    d = unicodedata.normalize('NFD', syl)
    letters, tone, tone_at = [], None, None
    for ch in d:
        if ch in TONES:
            tone, tone_at = ch, len(letters) - 1
        elif unicodedata.combining(ch) and letters:
            letters[-1] += ch          # vowel marks stay on their letter
        else:
            letters.append(ch)
    if tone is None or len(letters) < 2:
        return syl
    low = [unicodedata.normalize('NFC', l).lower() for l in letters]
    last2 = low[-2] + low[-1]
    if last2 not in ('oa', 'oe', 'uy'):
        return syl
    if last2 == 'uy' and len(low) >= 3 and low[-3] == 'q':
        return syl                     # quý: the u belongs to qu
    n = len(letters)
    if tone_at == n - 2:
        new_at = n - 1
    elif tone_at == n - 1:
        new_at = n - 2
    else:
        return syl
    out = ''.join(l + (tone if i == new_at else '')
                  for i, l in enumerate(letters))
    return unicodedata.normalize('NFC', out)


def swap_tone(q):
    return ' '.join(swap_tone_syllable(w) for w in q.split(' '))


def cmd_variants(a):
    rows = read_tsv(a.inp)
    out = list(rows)
    for qid, var, q, t in rows:
        if var == 'accented':
            out.append((qid, 'nfd', unicodedata.normalize('NFD', q), t))
    for qid, var, q, t in rows:
        if var == 'accented':
            s = swap_tone(unicodedata.normalize('NFC', q))
            if s != unicodedata.normalize('NFC', q):
                out.append((qid, 'tone', s, t))
    with open(a.out, 'w', encoding='utf-8') as f:
        for r in out:
            f.write('\t'.join(r) + '\n')


def slip(word, kind):
    """word with a slip at its middle letter (NFC code points), or None."""
    w = unicodedata.normalize('NFC', word)
    m = len(w) // 2
    if kind == 'swap':
        if m + 1 >= len(w) or w[m] == w[m + 1]:
            return None
        return w[:m] + w[m + 1] + w[m] + w[m + 2:]
    if kind == 'drop':
        return w[:m] + w[m + 1:]
    return w[:m] + w[m] + w[m:]                     # double


HOI, NGA = '\u0309', '\u0303'


def hoi_nga(q):
    """q with its first hoi syllable written nga, or nga hoi; else None."""
    words = q.split(' ')
    for i, w in enumerate(words):
        d = unicodedata.normalize('NFD', w)
        if HOI in d or NGA in d:
            d = d.replace(HOI, '\0').replace(NGA, HOI).replace('\0', NGA)
            words[i] = unicodedata.normalize('NFC', d)
            return ' '.join(words)
    return None


def cmd_typos(a):
    rows = read_tsv(a.inp)
    out = []
    for qid, var, q, t in rows:
        out.append((qid, var, q, q))
    for kind in ('swap', 'drop', 'double'):
        for qid, var, q, t in rows:
            words = q.split(' ')
            # the longest word of letters alone (no digit, no sign), the
            # first of those as long; three letters at least
            best = -1
            for i, w in enumerate(words):
                if (len(w) >= 3 and all(c.isalpha() for c in w) and
                        (best < 0 or len(w) > len(words[best]))):
                    best = i
            if best < 0:
                continue
            s = slip(words[best], kind)
            if s:
                out.append((qid, '%s %s' % (var, kind),
                            ' '.join(words[:best] + [s] + words[best + 1:]),
                            q))
    for qid, var, q, t in rows:
        if var == 'accented':
            s = hoi_nga(unicodedata.normalize('NFC', q))
            if s:
                out.append((qid, 'accented hoi/nga', s, q))
    with open(a.out, 'w', encoding='utf-8') as f:
        for r in out:
            f.write('\t'.join(r) + '\n')


def fts_match(q):
    words = [w for w in q.split() if any(c.isalnum() for c in w)]
    return ' '.join('"%s"' % w.replace('"', '""') for w in words)


FTS_SQL = ("SELECT id, highlight(docs, 1, '<b>', '</b>'), "
           "snippet(docs, 2, '<b>', '</b>', '…', 16) FROM docs "
           "WHERE docs MATCH %s ORDER BY rank LIMIT 10")


def out_line(f, n, qid, var, ms, ids, err=None, **kw):
    rec = {'n': n, 'qid': qid, 'variant': var,
           'ms': [round(x, 4) for x in ms], 'ids': ids, 'error': err}
    rec.update(kw)
    f.write(json.dumps(rec, ensure_ascii=False) + '\n')


def cmd_fts_inproc(a):
    rows = read_tsv(a.queries)
    con = sqlite3.connect('file:%s?mode=ro' % a.db, uri=True)
    sql = FTS_SQL % '?'
    times = [[] for _ in rows]
    ids = [[] for _ in rows]
    errs = [None] * len(rows)
    for p in range(a.warmup + a.reps):
        for i, (_, _, q, _) in enumerate(rows):
            m = fts_match(q)
            t0 = time.perf_counter()
            try:
                res = con.execute(sql, (m,)).fetchall() if m else []
                err = None
            except sqlite3.Error as e:
                res, err = [], str(e)
            dt = (time.perf_counter() - t0) * 1000
            if p >= a.warmup:
                times[i].append(dt)
            if p == a.warmup + a.reps - 1:
                ids[i] = [r[0] for r in res]
                errs[i] = err
    for i, (qid, var, _, _) in enumerate(rows):
        out_line(sys.stdout, i + 1, qid, var, times[i], ids[i], errs[i])


def omega_ids(body, htmlmap):
    if '{' not in body:
        return [], 'no JSON from omega: %r' % body[:200]
    try:
        j = json.loads(body[body.index('{'):])
    except ValueError:
        return [], 'bad JSON from omega: %r' % body[:200]
    out = []
    for h in j.get('hits', []):
        name = os.path.basename(h.get('url', ''))
        if name.endswith('.html'):
            name = name[:-5]
        out.append(htmlmap.get(name, name))
    return out, (j.get('error') or None)


def run_timed(cmd, env, watchdog=120):
    """Run cmd to its end, its output piped: (milliseconds from start to
    exit, the CompletedProcess).  Waited for without a timeout: with one,
    Popen.wait polls, sleeping 1, 2, 4 ... ms between looks, which added a
    millisecond or more to processes of two or three.  A process still
    running after watchdog seconds is killed (by a timer started before
    the clock, so that its thread costs the timing nothing)."""
    running = []
    dog = threading.Timer(watchdog, lambda: [p.kill() for p in running])
    dog.start()
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        running.append(p)
        out, err = p.communicate()
        dt = (time.perf_counter() - t0) * 1000
    finally:
        dog.cancel()
    return dt, subprocess.CompletedProcess(cmd, p.returncode, out, err)


def cmd_perproc(a):
    rows = read_tsv(a.queries)
    htmlmap = {}
    if a.htmlmap and os.path.exists(a.htmlmap):
        with open(a.htmlmap, encoding='utf-8') as f:
            for line in f:
                k, v = line.rstrip('\n').split('\t')
                htmlmap[k] = v
    systems = []
    if a.timtin:
        base = a.timtin.split()

        def timtin(q):
            return base + ['--json', '--limit', '10', q], None

        def timtin_ids(out):
            try:
                return [h['id'] for h in json.loads(out)['results']], None
            except (ValueError, KeyError):
                return [], 'bad JSON: %r' % out[:200]
        systems.append(('timtin', timtin, timtin_ids))
    if a.omega:
        omega_env = dict(os.environ, OMEGA_CONFIG_FILE=a.omega)

        def omega(q):
            return [a.omega_bin, 'P=' + q, 'FMT=' + a.omega_template,
                    'DB=default', 'DEFAULTOP=and', 'HITSPERPAGE=10'], omega_env
        systems.append(('omega', omega, lambda out: omega_ids(out, htmlmap)))
    if a.fts:
        def fts(q):
            m = fts_match(q).replace("'", "''")
            return [a.sqlite3, '-batch', '-json', a.fts,
                    FTS_SQL % ("'%s'" % m)], None

        def fts_ids(out):
            try:
                return [r['id'] for r in json.loads(out)] if out.strip() \
                    else [], None
            except ValueError:
                return [], 'bad JSON: %r' % out[:200]
        systems.append(('fts5', fts, fts_ids))
    times = {s[0]: [[] for _ in rows] for s in systems}
    ids = {s[0]: [[] for _ in rows] for s in systems}
    errs = {s[0]: [None] * len(rows) for s in systems}
    for p in range(a.warmup + a.reps):
        for i, (_, _, q, _) in enumerate(rows):
            for name, mk, parse in systems:
                cmd, cmd_env = mk(q)
                dt, r = run_timed(cmd, cmd_env)
                if p >= a.warmup:
                    times[name][i].append(dt)
                if p == a.warmup + a.reps - 1:
                    out = r.stdout.decode('utf-8', 'replace')
                    got, err = parse(out)
                    if r.returncode not in (0, 1) and not err:
                        err = 'exit %d: %s' % (
                            r.returncode,
                            r.stderr.decode('utf-8', 'replace')[:200])
                    ids[name][i], errs[name][i] = got, err
    for name, _, _ in systems:
        with open(os.path.join(a.out, 'perproc-%s.jsonl' % name), 'w',
                  encoding='utf-8') as f:
            for i, (qid, var, _, _) in enumerate(rows):
                out_line(f, i + 1, qid, var, times[name][i], ids[name][i],
                         errs[name][i])
    if a.floor > 0:
        perproc_floor(a, [(n, mk) for n, mk, _ in systems if n != 'fts5'])


def perproc_floor(a, systems):
    """What a process costs before any query work: a program that only
    loads libxapian (xapian-delve --version), then each system asked for a
    word no article holds, taking turns as above.  perproc-floor.json:
    {label: [ms, ...]}."""
    runs = [('xapian-delve --version', (['xapian-delve', '--version'], None))
            ] if shutil.which('xapian-delve') else []
    runs += [(name, mk(FLOOR_WORD)) for name, mk in systems]
    times = {label: [] for label, _ in runs}
    for p in range(a.floor + 1):
        for label, (cmd, cmd_env) in runs:
            dt, _ = run_timed(cmd, cmd_env)
            if p:
                times[label].append(dt)
    with open(os.path.join(a.out, 'perproc-floor.json'), 'w',
              encoding='utf-8') as f:
        json.dump({'word': FLOOR_WORD, 'ms': times}, f)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    v = sub.add_parser('variants')
    v.add_argument('inp')
    v.add_argument('out')
    t = sub.add_parser('typos')
    t.add_argument('inp')
    t.add_argument('out')
    f = sub.add_parser('fts-inproc')
    f.add_argument('--db', required=True)
    f.add_argument('--reps', type=int, default=3)
    f.add_argument('--warmup', type=int, default=1)
    f.add_argument('queries')
    p = sub.add_parser('perproc')
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--warmup', type=int, default=1)
    p.add_argument('--timtin', default='')
    p.add_argument('--omega', default='', help='omega.conf')
    p.add_argument('--omega-bin', default='/usr/lib/cgi-bin/omega/omega')
    p.add_argument('--omega-template', default='timtinjson')
    p.add_argument('--fts', default='')
    p.add_argument('--sqlite3', default='sqlite3')
    p.add_argument('--htmlmap', default='')
    p.add_argument('--floor', type=int, default=0,
                   help='runs of the process floor (perproc_floor)')
    p.add_argument('--out', required=True)
    p.add_argument('queries')
    a = ap.parse_args()
    {'variants': cmd_variants, 'typos': cmd_typos,
     'fts-inproc': cmd_fts_inproc,
     'perproc': cmd_perproc}[a.cmd](a)


if __name__ == '__main__':
    main()
