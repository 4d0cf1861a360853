#!/usr/bin/env python3
"""compare_articles.py SOURCE.jsonl EXPORT.jsonl [--fields f1,f2] [--quiet]

Compares the articles a crawl extracted (timtin-corpus export) with the
source they were rendered from, field by field: title, sapo, body
paragraphs, captions, authors, section, tags, published (as an instant).
Text is compared after the cleaning the crawler applies (NFC; U+200B,
U+200C, U+200D (but between emoji), U+2060, U+FEFF and U+00AD dropped;
control characters (C0, DEL, C1) dropped, leaving a space between two
words; Unicode spaces as ' '; white
space collapsed).  Prints one line per difference, then a summary
"N articles, N compared, N missing, N fields differ"; with --f1 also the
mean body token F1.  Exit 0 when every source article was found and
nothing differs (or, with --min-f1, the body F1 reaches it and the other
fields agree).
"""
import datetime
import gzip
import json
import re
import sys
import unicodedata

# zero-width characters and soft hyphens (the crawler drops them), and
# controls other than white space: C0, DEL, C1 (vn_clean drops them, a
# space left where they stood between two words: a space here, collapsed
# with any beside it)
ZW = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\u00ad"))
ZW.update(dict.fromkeys([c for c in range(32) if chr(c) not in "\t\n\r\f\v"] +
                        list(range(127, 160)), " "))
SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def emoji_side(ch):
    return unicodedata.category(ch)[0] == "S" or ch == "\ufe0f"


def clean(s):
    if s is None:
        return ""
    # a joiner stays between emoji (a symbol, or U+FE0F, on each side)
    s = "".join(c for i, c in enumerate(s) if c != "\u200d" or (
        0 < i < len(s) - 1 and emoji_side(s[i - 1]) and emoji_side(s[i + 1])))
    s = unicodedata.normalize("NFC", s).translate(ZW)
    return SPACES.sub(" ", s).strip()


def lst(v):
    if v is None:
        return []
    if isinstance(v, str):
        v = [v]
    return [c for c in (clean(x) for x in v) if c]


def body(a):
    b = a.get("body")
    if isinstance(b, str):
        b = b.split("\n")
    return lst(b)


def instant(s):
    if not s:
        return None
    try:
        return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return "bad:" + s


def f1(a, b):
    ta, tb = " ".join(a).split(), " ".join(b).split()
    if not ta and not tb:
        return 1.0
    from collections import Counter
    ca, cb = Counter(ta), Counter(tb)
    common = sum((ca & cb).values())
    if common == 0:
        return 0.0
    p, r = common / len(tb), common / len(ta)
    return 2 * p * r / (p + r)


def load(path):
    op = gzip.open if path.endswith(".gz") else open
    out = {}
    with op(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                a = json.loads(line)
                out[str(a["id"])] = a
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = [a for a in sys.argv[1:] if a.startswith("--")]
    quiet = "--quiet" in opts
    fields = "title,sapo,body,captions,authors,section,tags,published"
    min_f1 = None
    for o in opts:
        if o.startswith("--fields="):
            fields = o.split("=", 1)[1]
        if o.startswith("--min-f1="):
            min_f1 = float(o.split("=", 1)[1])
    fields = fields.split(",")
    src, got = load(args[0]), load(args[1])
    missing = differ = compared = 0
    f1s = []
    per_field = {}
    for aid, s in src.items():
        g = got.get(aid)
        if g is None:
            missing += 1
            if not quiet and missing <= 20:
                print("missing %s" % aid)
            continue
        compared += 1
        for fld in fields:
            if fld in ("title", "sapo", "section"):
                a, b = clean(s.get(fld)), clean(g.get(fld))
            elif fld == "body":
                a, b = body(s), body(g)
                f1s.append(f1(a, b))
                if min_f1 is not None:
                    continue
            elif fld == "published":
                a, b = instant(s.get(fld)), instant(g.get(fld))
            else:
                a, b = lst(s.get(fld)), lst(g.get(fld))
            if a != b:
                differ += 1
                per_field[fld] = per_field.get(fld, 0) + 1
                if not quiet and differ <= 20:
                    print("%s %s: expected %r, got %r" % (aid, fld, a, b))
    mean = sum(f1s) / len(f1s) if f1s else 0.0
    print("%d articles, %d compared, %d missing, %d fields differ%s; body "
          "token F1 %.4f" % (len(src), compared, missing, differ,
                             (" (" + ", ".join("%s %d" % kv for kv in
                                               sorted(per_field.items())) + ")")
                             if per_field else "", mean))
    ok = missing == 0 and differ == 0
    if min_f1 is not None:
        ok = ok and mean >= min_f1
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
