#!/usr/bin/env python3
"""bench/prep.py — the data every system of bench/run.sh indexes.

Reads articles (JSONL, plain or .gz, one object a line, as timtin-corpus
import takes them) and writes into OUT:

  main.jsonl     the articles of the bulk build (lines copied unchanged)
  held.jsonl     --hold articles held back for the incremental run
  html/NNN/ID.html  one HTML file per main article for omindex: the title in
                 <title>, the sapo, captions and body paragraphs as <p>s in
                 <body> (the same text timtin indexes); 1,000 files a folder
  fts.csv        id,title,body (the same text) for SQLite's .import
  html-held/held/ID.html, fts-held.csv  the same for the held-back
                 articles, for the peers' incremental runs (run.sh moves
                 the folder held into html/ for omindex, and back)
  htmlmap.tsv    file name -> article id, where the id needed changing
  prep.json      counts and sizes

Which articles: with --limit 0, all of them.  With --limit N, N articles:
every article a query of --targets points to, then the others whose
crc32(id) is smallest (a spread over both sources, the same every run).
The --hold articles are the ones with the largest crc32(id) among the
chosen (never a query target), so they are spread over both sources too.

usage: prep.py --out DIR [--limit N] [--hold N] [--targets TSV] FILE...
"""
import argparse
import csv
import gzip
import html
import json
import os
import re
import sys
import zlib

ID_RE = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


def open_text(path):
    if path.endswith('.gz'):
        return gzip.open(path, 'rt', encoding='utf-8', errors='replace')
    return open(path, encoding='utf-8', errors='replace')


def line_id(line):
    """The article id of a JSONL line, cheaply (None when not found)."""
    m = ID_RE.search(line)
    if not m:
        return None
    v = m.group(1)
    return json.loads(v) if v.startswith('"') else v


def as_list(v):
    if v is None:
        return []
    if isinstance(v, list):
        return [x for x in v if isinstance(x, str) and x.strip()]
    if isinstance(v, str):
        return [v] if v.strip() else []
    return []


def texts(a):
    """(title, [paragraphs]) as timtin indexes them: sapo, captions,
    body."""
    title = a.get('title') if isinstance(a.get('title'), str) else ''
    paras = []
    paras += as_list(a.get('sapo'))
    paras += as_list(a.get('captions')) + as_list(a.get('caption'))
    body = a.get('body')
    if isinstance(body, str):
        paras += [p for p in body.split('\n') if p.strip()]
    else:
        paras += as_list(body)
    return title, paras


SAFE = re.compile(r'[^A-Za-z0-9._-]')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--limit', type=int, default=0)
    ap.add_argument('--hold', type=int, default=1000)
    ap.add_argument('--targets', default='')
    ap.add_argument('files', nargs='+')
    opt = ap.parse_args()

    targets = set()
    if opt.targets:
        with open(opt.targets, encoding='utf-8') as f:
            for line in f:
                p = line.rstrip('\n').split('\t')
                if len(p) >= 4 and p[3]:
                    targets.add(p[3])

    # pass 1: every article's id and crc32; pass 2 writes the chosen ones
    recs = []  # (hash, order, id)
    seen = set()
    for path in opt.files:
        with open_text(path) as f:
            for line in f:
                aid = line_id(line) if line.strip() else None
                if aid is None or aid in seen:
                    continue
                seen.add(aid)
                recs.append((zlib.crc32(aid.encode('utf-8')), len(recs), aid))
    if opt.limit > 0:
        others = sorted((r for r in recs if r[2] not in targets))
        others = others[:max(0, opt.limit - len(targets & seen))]
        chosen = {r[2] for r in others} | (targets & seen)
        recs = [r for r in recs if r[2] in chosen]
    hold = min(opt.hold, max(0, len(recs) - len(targets)))
    cand = sorted((r for r in recs if r[2] not in targets),
                  key=lambda r: (-r[0], r[1]))
    held_ids = {r[2] for r in cand[:hold]}
    hashes = {r[2]: r[0] for r in recs}

    def chosen_lines():
        done = set()
        for path in opt.files:
            with open_text(path) as f:
                for line in f:
                    aid = line_id(line) if line.strip() else None
                    if aid in hashes and aid not in done:
                        done.add(aid)
                        yield hashes[aid], aid, line

    out = opt.out
    os.makedirs(os.path.join(out, 'html'), exist_ok=True)
    os.makedirs(os.path.join(out, 'html-held', 'held'), exist_ok=True)
    nmain = nheld = 0
    text_bytes = html_bytes = 0
    renamed = []

    def peer_copy(h, aid, line, folder, csvw):
        """The article as the peers index it: a row of the CSV, an HTML
        file in folder.  Returns (text bytes, HTML bytes)."""
        try:
            a = json.loads(line)
        except ValueError:
            a = {}
        title, paras = texts(a)
        body = '\n'.join(paras)
        csvw.writerow([aid, title, body])
        name = SAFE.sub('_', aid)
        if name != aid or len(name) > 200:
            name = '%s-%08x' % (name[:180], h)
            renamed.append((name, aid))
        doc = ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
               '<title>%s</title></head>\n<body>\n%s\n</body></html>\n' % (
                   html.escape(title, quote=False),
                   '\n'.join('<p>%s</p>' % html.escape(p, quote=False)
                             for p in paras)))
        b = doc.encode('utf-8')
        with open(os.path.join(folder, name + '.html'), 'wb') as f:
            f.write(b)
        return len(title.encode()) + len(body.encode()), len(b)

    P = lambda name: os.path.join(out, name)
    with open(P('main.jsonl'), 'w', encoding='utf-8') as fm, \
            open(P('held.jsonl'), 'w', encoding='utf-8') as fh, \
            open(P('fts.csv'), 'w', encoding='utf-8', newline='') as fc, \
            open(P('fts-held.csv'), 'w', encoding='utf-8',
                 newline='') as fhc:
        w, wh = csv.writer(fc), csv.writer(fhc)
        for h, aid, line in chosen_lines():
            if not line.endswith('\n'):
                line += '\n'
            if aid in held_ids:
                fh.write(line)
                peer_copy(h, aid, line, P('html-held/held'), wh)
                nheld += 1
                continue
            fm.write(line)
            d = os.path.join(out, 'html', '%03d' % (nmain // 1000))
            if nmain % 1000 == 0:
                os.makedirs(d, exist_ok=True)
            tb, hb = peer_copy(h, aid, line, d, w)
            text_bytes += tb
            html_bytes += hb
            nmain += 1
    with open(os.path.join(out, 'htmlmap.tsv'), 'w', encoding='utf-8') as f:
        for name, aid in renamed:
            f.write('%s\t%s\n' % (name, aid))
    info = {'articles': nmain, 'held': nheld, 'text_bytes': text_bytes,
            'html_bytes': html_bytes,
            'targets': len(targets), 'targets_present': len(targets & seen),
            'sources': [os.path.basename(p) for p in opt.files],
            'source_articles': len(seen)}
    with open(os.path.join(out, 'prep.json'), 'w') as f:
        json.dump(info, f, indent=1)
    print('prep: %d articles for the bulk build, %d held back (%d query '
          'targets, %d found)' % (nmain, nheld, len(targets),
                                  len(targets & seen)), file=sys.stderr)


if __name__ == '__main__':
    main()
