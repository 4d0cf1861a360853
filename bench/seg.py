#!/usr/bin/env python3
"""bench/seg.py — word segmentation figures of timtin-tokenize --segment.

  * word F1 on ../shared/data/seg/ud-vtb-{dev,test}.txt, with the project's
    own lexicon, with --dict ../shared/data/dict/vnvocab.txt (the user
    dictionary authoritative for the common vocabulary), with --add-dict
    (added to the built-in lexicon) and with it alone.  The input
    is the gold text with '_' turned into spaces; a predicted word counts
    when its span (start and end, in characters, spaces ignored) equals a
    gold word's span — the standard word F1 when the tokens agree, and
    still fair when they don't;
  * --segment throughput in MB/s on the text (title, sapo, body) of the
    first N MB of ../shared/data/news/baomoi.jsonl.gz (--mb, default 50),
    output to /dev/null, best of 3 runs: by CPU time (user + system: the
    speed of one core, whatever else the machine runs) and by wall time;
  * peak memory (maximum resident set, /usr/bin/time -v) of
    --segment --dict vnvocab.txt over the same text.

Prints a markdown table.  Python 3 standard library only.

usage: bench/seg.py [--build DIR] [--shared DIR] [--mb N] [--splits dev,test]
                    [--errors SPLIT]
"""
import argparse
import collections
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def spans(line):
    """Word spans of a segmented line, as (start, end) over the characters
    without spaces and underscores; also that character string."""
    out, pos, chars = [], 0, []
    for w in line.split():
        core = w.replace('_', '')
        out.append((pos, pos + len(core)))
        pos += len(core)
        chars.append(core)
    return out, ''.join(chars)


def f1(gold_lines, pred_lines, errors=None):
    c = p = g = bad = 0
    for gl, pl in zip(gold_lines, pred_lines):
        gs, gc = spans(gl)
        ps, pc = spans(pl)
        g += len(gs)
        p += len(ps)
        if gc != pc:
            bad += 1
            continue
        sg, sp = set(gs), set(ps)
        c += len(sg & sp)
        if errors is not None:
            for a, b in sg - sp:
                errors['miss'][gc[a:b]] += 1
            for a, b in sp - sg:
                errors['extra'][pc[a:b]] += 1
    if len(pred_lines) != len(gold_lines):
        bad += abs(len(pred_lines) - len(gold_lines))
    prec = c / p if p else 0
    rec = c / g if g else 0
    return (200 * prec * rec / (prec + rec) if prec + rec else 0.0), prec, \
        rec, bad


def run_seg(prog, args, text):
    r = subprocess.run([prog, '--segment'] + args, input=text.encode(),
                       stdout=subprocess.PIPE, check=True)
    return r.stdout.decode('utf-8', 'replace').split('\n')[:-1]


def news_text(path, mb):
    """title, sapo and body of the articles of path, up to mb megabytes."""
    out, size, limit = [], 0, mb * 1000000
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        for line in f:
            a = json.loads(line)
            for k in ('title', 'sapo', 'body'):
                v = a.get(k) or ''
                if v:
                    out.append(v)
                    size += len(v.encode()) + 1
            if size >= limit:
                break
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(TOP, 'build'))
    ap.add_argument('--shared', default=os.path.join(TOP, '..', 'shared'))
    ap.add_argument('--mb', type=int, default=50)
    ap.add_argument('--splits', default='dev,test')
    ap.add_argument('--errors', default='',
                    help='print the commonest errors of this split')
    ap.add_argument('--no-speed', action='store_true')
    opt = ap.parse_args()
    prog = os.path.join(opt.build, 'timtin-tokenize')
    vocab = os.path.join(opt.shared, 'data/dict/vnvocab.txt')
    if not os.access(prog, os.X_OK):
        sys.exit('seg.py: %s not built' % prog)
    if not os.path.isdir(opt.shared):
        print('# skip: %s absent' % opt.shared)
        return
    rows = []
    for split in opt.splits.split(','):
        gold = open(os.path.join(opt.shared, 'data/seg/ud-vtb-%s.txt' % split),
                    encoding='utf-8').read().split('\n')
        gold = [l for l in gold if l.strip()]
        text = ''.join(l.replace('_', ' ') + '\n' for l in gold)
        for name, args in (('own lexicon', []),
                           ('+ vnvocab', ['--dict', vocab]),
                           ('vnvocab added', ['--add-dict', vocab]),
                           ('vnvocab only', ['--no-lexicon', '--dict',
                                             vocab])):
            err = None
            if opt.errors == split:
                err = {'miss': collections.Counter(),
                       'extra': collections.Counter()}
            pred = run_seg(prog, args, text)
            f, pr, rc, bad = f1(gold, pred, err)
            rows.append((split, name, f, pr, rc, bad))
            if err:
                print('## %s %s: missed %d, extra %d' % (
                    split, name, sum(err['miss'].values()),
                    sum(err['extra'].values())))
                print('missed:', ' '.join('%s:%d' % kv for kv in
                                          err['miss'].most_common(80)))
                print('extra:', ' '.join('%s:%d' % kv for kv in
                                         err['extra'].most_common(80)))
    print('own lexicon: `timtin-tokenize --segment`; + vnvocab: `--dict '
          'vnvocab.txt`; vnvocab only: `--no-lexicon --dict vnvocab.txt`')
    print()
    print('| data | lexicon | word F1 | precision | recall |')
    print('| --- | --- | ---: | ---: | ---: |')
    for split, name, f, pr, rc, bad in rows:
        note = ' (%d lines differ)' % bad if bad else ''
        print('| ud-vtb-%s | %s | %.2f%s | %.2f | %.2f |' % (
            split, name, f, note, 100 * pr, 100 * rc))
    if opt.no_speed:
        return
    news = os.path.join(opt.shared, 'data/news/baomoi.jsonl.gz')
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'news.txt')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(news_text(news, opt.mb))
        size = os.path.getsize(path)
        print()
        print('| --segment on %.1f MB of baomoi text | MB/s (CPU) | '
              'MB/s (wall) | peak RSS MB |' % (size / 1e6))
        print('| --- | ---: | ---: | ---: |')
        for name, args in (('own lexicon', []),
                           ('+ vnvocab', ['--dict', vocab])):
            best = cpu = None
            for _ in range(3):
                with open(path, 'rb') as inp:
                    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    t0 = time.perf_counter()
                    subprocess.run([prog, '--segment'] + args, stdin=inp,
                                   stdout=subprocess.DEVNULL, check=True)
                    dt = time.perf_counter() - t0
                    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    ct = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime -
                                                        r0.ru_stime)
                best = dt if best is None else min(best, dt)
                cpu = ct if cpu is None else min(cpu, ct)
            rss = '?'
            if os.access('/usr/bin/time', os.X_OK):
                with open(path, 'rb') as inp:
                    r = subprocess.run(['/usr/bin/time', '-v', prog,
                                        '--segment'] + args, stdin=inp,
                                       stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, check=True)
                m = re.search(rb'Maximum resident set size \(kbytes\): (\d+)',
                              r.stderr)
                if m:
                    rss = '%.1f' % (int(m.group(1)) / 1024)
            print('| %s | %.1f | %.1f | %s |' % (name, size / 1e6 / cpu,
                                                size / 1e6 / best, rss))


if __name__ == '__main__':
    main()
