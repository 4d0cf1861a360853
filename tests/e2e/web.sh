#!/usr/bin/env bash
# timtin.cgi under a real web server: lighttpd on 127.0.0.1 (a free port)
# serving it as a CGI (mod_cgi) and as a FastCGI responder (mod_fastcgi),
# requested with curl: statuses, security headers, the HTML page (valid,
# escaped, facets, pagination, did-you-mean, no-results help), JSON equal
# to timtin-search --json, RSS 2.0 sorted by date, OpenSearch, hostile
# input, POST, the 400/404/405/413/500 pages, the command-line mode, and
# FastCGI keeping one process that sees new commits.
. "$(dirname "$0")/lib.sh"
command -v lighttpd >/dev/null || skip "lighttpd not installed (scripts/install-deps.sh test)"
command -v curl >/dev/null || skip "curl not installed"
[ -x "$B/timtin.cgi" ] || { fail "build: $B/timtin.cgi missing"; exit 1; }
S=$TOP/corpus/samples/articles.jsonl
C=$T/corpus; D=$T/db
"$B/timtin-corpus" --corpus "$C" import --quiet "$S"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync
CONF=$T/timtin.conf
cat >"$CONF" <<EOF
# the test site: small pages so that a few samples paginate
title = Tìm tin thử
per_page = 3
max_page = 50
cache_report_every = 10
EOF
PORT=$(free_port)
L=$T/lighttpd
mkdir -p "$L/www"
cat >"$L/lighttpd.conf" <<EOF
server.document-root = "$L/www"
server.bind = "127.0.0.1"
server.port = $PORT
server.modules = ("mod_setenv", "mod_alias", "mod_cgi", "mod_fastcgi")
server.errorlog = "$L/error.log"
# the CGI's stderr (its log of internal errors)
server.breakagelog = "$L/cgi.log"
# pass malformed URLs through: the CGI must defend itself, not rely on
# the server's checks (lighttpd's defaults refuse %ff and %00 with 400)
server.http-parseopts = ("url-normalize" => "disable", "url-ctrls-reject" => "disable")
alias.url = ("/timtin.cgi" => "$B/timtin.cgi", "/broken.cgi" => "$B/timtin.cgi")
cgi.assign = (".cgi" => "")
setenv.add-environment = ("TIMTIN_DB" => "$D", "TIMTIN_CONFIG" => "$CONF")
\$HTTP["url"] =~ "^/broken" {
    setenv.add-environment = ("TIMTIN_DB" => "$T/secret-place/no-such-db")
}
fastcgi.server = ("/fcgi/timtin" => ((
    "socket" => "$L/fcgi.sock",
    "bin-path" => "$B/timtin.cgi",
    "bin-environment" => ("TIMTIN_DB" => "$D", "TIMTIN_CONFIG" => "$CONF"),
    "max-procs" => 1,
    "check-local" => "disable")))
EOF
lighttpd -D -f "$L/lighttpd.conf" 2>"$L/stderr" &
LPID=$!
on_exit "kill $LPID 2>/dev/null; wait $LPID 2>/dev/null"
U=http://127.0.0.1:$PORT
wait_for curl -sf -o /dev/null "$U/timtin.cgi" || { fail "lighttpd did not start"; cat "$L/stderr" "$L/error.log"; exit 1; }

# get [CURL ARGS...] URL: the body in $T/b, the headers in $T/h; prints
# the status
get() { curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@"; }
header() { grep -i "^$1:" "$T/h" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
body_has() { grep -qF -- "$1" "$T/b"; }
body_lacks() { ! grep -qF -- "$1" "$T/b"; }
# the security headers every response carries
secure() {
    header Content-Security-Policy | grep -q "default-src 'none'" &&
    ! header Content-Security-Policy | grep -q "script-src" &&
    [ "$(header X-Content-Type-Options)" = nosniff ] &&
    [ -n "$(header Referrer-Policy)" ]
}
# well-formed HTML5: balanced tags (python's parser), no script, UTF-8,
# and tidy's verdict when tidy is there
valid_html() {
    python3 - "$T/b" <<'EOF' || return 1
import sys
from html.parser import HTMLParser
VOID = {"area","base","br","col","embed","hr","img","input","link","meta","source","track","wbr"}
class P(HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True); s.stack=[]; s.err=[]; s.ids=set(); s.labels=[]; s.inputs=[]
    def handle_starttag(s, t, a):
        a = dict(a)
        if t == "script": s.err.append("script element")
        if any(k.startswith("on") for k in a): s.err.append("event handler attribute")
        if "id" in a:
            if a["id"] in s.ids: s.err.append("duplicate id " + a["id"])
            s.ids.add(a["id"])
        if t == "label": s.labels.append(a.get("for"))
        if t == "input" and a.get("type") != "hidden": s.inputs.append(a.get("id"))
        if t not in VOID: s.stack.append(t)
    def handle_endtag(s, t):
        if not s.stack or s.stack[-1] != t: s.err.append("unbalanced </%s> in %s" % (t, s.stack[-3:]))
        else: s.stack.pop()
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")                      # strict: UTF-8 or fail
assert text.startswith("<!DOCTYPE html>"), "doctype"
assert '<html lang="vi">' in text and '<meta charset="utf-8">' in text
p = P(); p.feed(text); p.close()
if p.stack: p.err.append("unclosed %s" % p.stack)
for i in p.inputs:
    if i is None or i not in p.labels: p.err.append("input without label: %s" % i)
if p.err: sys.exit("; ".join(p.err))
EOF
    # tidy 5.6 predates ARIA 1.1's aria-current: that warning is not ours
    if command -v tidy >/dev/null; then
        tidy -q -e "$T/b" 2>&1 | grep -v 'proprietary attribute "aria-current"' >"$T/tidy"
        [ -s "$T/tidy" ] && { head -5 "$T/tidy"; return 1; }
    fi
    return 0
}
# a python expression over the JSON body (as j)
json_ok() { python3 -c "import json,sys; j=json.load(open('$T/b')); sys.exit(0 if ($1) else 1)"; }
# the hrefs of the HTML body whose <a> has rel=$1, or whose text is $1
href_of() {
    python3 - "$T/b" "$1" <<'EOF'
import sys, html
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s): super().__init__(); s.cur=None; s.found=None
    def handle_starttag(s, t, a):
        a=dict(a)
        if t=="a": s.cur=a
        if t=="a" and a.get("rel")==sys.argv[2] and s.found is None: s.found=a["href"]
    def handle_data(s, d):
        if s.cur is not None and d.strip()==sys.argv[2] and s.found is None: s.found=s.cur["href"]
    def handle_endtag(s, t):
        if t=="a": s.cur=None
p=P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print(p.found or "")
EOF
}
# publication dates (datetime attributes) of the hits, in page order
dates() { grep -o '<time datetime="[^"]*"' "$T/b" | cut -d'"' -f2; }
ids_of_page() { grep -o 'related=[0-9]*"' "$T/b" | tr -dc '0-9\n'; }
search_json() { "$B/timtin-search" --db "$D" --json --limit 3 "$@"; }
# same JSON apart from the time taken
same_json() {
    python3 -c '
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
for x in (a,b): x.pop("seconds")
sys.exit(0 if a==b else "differ:\n%s\n%s" % (a,b))' "$1" "$2"
}

# ---- the home page and the headers
check "home: 200" test "$(get "$U/timtin.cgi")" = 200
check "home: text/html; charset=utf-8" test "$(header Content-Type)" = "text/html; charset=utf-8"
check "home: CSP without scripts, nosniff, Referrer-Policy" secure
check "home: valid HTML5, labelled controls" valid_html
check "home: site title from TIMTIN_CONFIG" body_has "<title>Tìm tin thử</title>"
check "home: OpenSearch link" body_has 'rel="search" type="application/opensearchdescription+xml"'

# ---- results
check "can tho: 200" test "$(get "$U/timtin.cgi?q=can+tho")" = 200
check "can tho: security headers" secure
check "can tho: valid HTML5" valid_html
check "can tho: did-you-mean link" body_has 'Có phải bạn muốn tìm: <a href="?q=C%E1%BA%A7n+Th%C6%A1">Cần Thơ</a>'
check "can tho: count and time" grep -qE '<strong>[0-9.]+</strong> kết quả \((dưới )?[0-9]+,[0-9]+ giây\)' "$T/b"
check "can tho: highlighted snippets" body_has '<mark>Cần</mark> <mark>Thơ</mark>'
check "can tho: three hits a page (per_page)" test "$(grep -c '<li class="hit">' "$T/b")" = 3
check "can tho: linked titles, dates, sections" grep -qE '<h2><a href="https://tuoitre.vn/[^"]*">.*</a></h2>' "$T/b"
check "can tho: date shown dd/mm/yyyy" grep -qE '<time datetime="[0-9T:+-]*">[0-9]{2}/[0-9]{2}/[0-9]{4}</time>' "$T/b"
check "can tho: section facet with counts" grep -qE '<li><a href="\?q=can\+tho&amp;section=[^"]*">[^<]*</a><span class="n">[0-9]+</span></li>' "$T/b"
check "can tho: year facet as from=/to=" grep -qE 'href="\?q=can\+tho&amp;from=20[0-9]{2}&amp;to=20[0-9]{2}"' "$T/b"
check "can tho: date filter form, labelled" bash -c "grep -q '<label for=\"from\">Từ ngày</label>' '$T/b' && grep -q '<input id=\"to\" name=\"to\" type=\"date\"' '$T/b'"
check "can tho: sort switch to date" body_has '<a href="?q=can+tho&amp;sort=date">mới nhất</a>'
check "can tho: RSS alternate link" body_has 'type="application/rss+xml"'
page1=$(ids_of_page | sort -u)

# pagination: follow the next link, then back
next=$(href_of next)
check "pagination: next link is page 2" test "$next" = "?q=can+tho&page=2"
check "page 2: 200" test "$(get "$U/timtin.cgi$next")" = 200
check "page 2: numbering continues" body_has '<ol class="hits" start="4">'
check "page 2: other articles" test -z "$(comm -12 <(echo "$page1") <(ids_of_page | sort -u))"
check "page 2: prev link" test "$(href_of prev)" = "?q=can+tho"
check "page 2: valid HTML5" valid_html

# did-you-mean: follow it
get "$U/timtin.cgi?q=can+tho" >/dev/null
dym=$(href_of "Cần Thơ")
check "did-you-mean: followed, 200" test "$(get "$U/timtin.cgi$dym")" = 200
check "did-you-mean: the accented query in the box" body_has 'value="Cần Thơ"'

# sort by date
get "$U/timtin.cgi?q=c%E1%BA%A7n+th%C6%A1&sort=date" >/dev/null
check "sort=date: newest first" python3 -c "import sys; d=sys.argv[1:]; sys.exit(0 if len(d)>=2 and d==sorted(d,reverse=True) else 1)" $(dates)
check "sort=date: switch back to relevance" body_has 'phù hợp nhất</a> · <strong aria-current="true">mới nhất</strong>'
check "sort=date: switch to recent" body_has '<a href="?q=c%E1%BA%A7n+th%C6%A1&amp;sort=recent">phù hợp, ưu tiên tin mới</a>'
check "sort=recent: 200" test "$(get "$U/timtin.cgi?q=c%E1%BA%A7n+th%C6%A1&sort=recent")" = 200
check "sort=recent: marked as the order" body_has '<strong aria-current="true">phù hợp, ưu tiên tin mới</strong>'
check "sort=recent: the search form keeps it" body_has '<input type="hidden" name="sort" value="recent">'
check "sort=recent: valid HTML5" valid_html

# facets: follow a section and a year
get "$U/timtin.cgi?q=b%C3%A3o" >/dev/null
sec=$(grep -o '<li><a href="?q=b%C3%A3o&amp;section=[^"]*">[^<]*</a>' "$T/b" | head -1)
sec_href=$(sed 's/.*href="\([^"]*\)".*/\1/; s/&amp;/\&/g' <<<"$sec")
sec_name=$(sed 's/.*">\([^<]*\)<\/a>/\1/' <<<"$sec")
get "$U/timtin.cgi$sec_href" >/dev/null
check "section facet: every hit in the section" bash -c "[ \$(grep -c '<li class=\"hit\">' '$T/b') -ge 1 ] && [ \$(grep -c '<li class=\"hit\">' '$T/b') = \$(grep -c '>$sec_name</a> · <a href=\"?related' '$T/b') ]"
check "section facet: a chip to drop it" body_has 'aria-label="Bỏ lọc chuyên mục"'
year=$(grep -o 'from=20[0-9][0-9]&amp;to=20[0-9][0-9]' <(get "$U/timtin.cgi?q=b%C3%A3o" >/dev/null; cat "$T/b") | head -1 | cut -c6-9)
get "$U/timtin.cgi?q=b%C3%A3o&from=$year&to=$year" >/dev/null
check "year facet: every hit in $year" python3 -c "import sys; d=sys.argv[2:]; sys.exit(0 if d and all(x[:4]==sys.argv[1] for x in d) else 1)" "$year" $(dates)
check "year facet: date inputs filled" body_has "value=\"$year-01-01\""
# (bao, every form: no article of those dates says bão, and then the
# dates are the answer, no other accents)
get "$U/timtin.cgi?q=bao&from=2023-01-01&to=2024-06-30" >/dev/null
check "from/to: dates within" python3 -c "import sys; d=sys.argv[1:]; sys.exit(0 if d and all('2023-01-01'<=x[:10]<='2024-06-30' for x in d) else 1)" $(dates)

# no results: help
check "no results: 200" test "$(get "$U/timtin.cgi?q=qwxzvk+plmokn")" = 200
check "no results: says so" body_has 'Không tìm thấy bài nào cho «qwxzvk plmokn».'
check "no results: tips (accents, fewer words)" bash -c "grep -q 'không dấu' '$T/b' && grep -q 'ít từ hơn' '$T/b'"
check "no results: valid HTML5" valid_html
get "$U/timtin.cgi?q=%C4%90%E1%BA%AFk+L%E1%BA%AFk" >/dev/null
check "no results: the query without accents offered" body_has 'Thử gõ không dấu: <a href="?q=dak+lak">dak lak</a>'
check "no results: valid HTML5 (accented)" valid_html

# how the query was read, said in Vietnamese (the library's notice is
# English, for programs)
check "a tone typed wrong: 200" test "$(get "$U/timtin.cgi?q=C%E1%BA%A7n+Th%E1%BB%9D")" = 200
check "a tone typed wrong: did you mean, other accents said in Vietnamese" bash -c "
    grep -qF 'Có phải bạn muốn tìm: <a href=\"?q=C%E1%BA%A7n+Th%C6%A1\">Cần Thơ</a>' '$T/b' &&
    grep -qF 'Không có bài nào chứa các từ với đúng dấu đã gõ' '$T/b' && ! grep -q 'other accents' '$T/b'"
check "unknown field: 200" test "$(get "$U/timtin.cgi?q=nhanvat%3Angoc+c%E1%BA%A7u")" = 200
check "unknown field: said in Vietnamese, with the fields there are" bash -c "
    grep -qF 'Không có trường “nhanvat:”; đã tìm như từ thường.' '$T/b' &&
    grep -qF 'tacgia: (author:)' '$T/b' && ! grep -q 'unknown field' '$T/b'"
check "unknown field: valid HTML5" valid_html

# related
id=$(python3 -c "import json; print(json.loads(open('$S').readline())['id'])")
check "related: 200" test "$(get "$U/timtin.cgi?related=$id")" = 200
check "related: hits" test "$(grep -c '<li class="hit">' "$T/b")" -ge 1
check "related unknown id: 404" test "$(get "$U/timtin.cgi?related=99999999999999999")" = 404
check "related unknown id: 404 page, secure" bash -c "grep -q 'Không tìm thấy' '$T/b'"
check "404: security headers" secure

# ---- the page's CSS, as its own <style> applies to its elements
cat >"$T/css.py" <<'EOF'
# css.py FILE MEDIA CHECK: the cascade of the page's own <style> over its
# elements, as a browser computes it for what the checks need (selectors
# of tags, classes, ids, descendant and child; @media by type and width;
# var() from :root; no pseudo-classes, which match no element at rest).
# MEDIA: screen (1280px), narrow (320px) or print (794px).  CHECK: links (every
# link in running text underlined), borders (form fields' borders at
# least 3:1 against their backgrounds), wrap (chips, notes and the
# did-you-mean break long words), print (controls hidden, marks shown
# without their background).  Prints what fails; exit 1 then.
import re, sys
from html.parser import HTMLParser
VOID = {"area","base","br","col","embed","hr","img","input","link","meta","source","track","wbr"}
class Node:
    def __init__(s, tag, attrs, parent):
        s.tag, s.attrs, s.parent, s.kids, s.text = tag, dict(attrs), parent, [], ""
        s.cls = set((s.attrs.get("class") or "").split())
class Tree(HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True)
        s.root = Node("#doc", [], None); s.cur = s.root; s.style = ""
    def handle_starttag(s, t, a):
        n = Node(t, a, s.cur); s.cur.kids.append(n)
        if t not in VOID: s.cur = n
    def handle_endtag(s, t):
        n = s.cur
        while n is not s.root and n.tag != t: n = n.parent
        if n is not s.root: s.cur = n.parent
    def handle_data(s, d):
        if s.cur.tag == "style": s.style += d
        s.cur.text += d
def walk(n):
    for k in n.kids:
        yield k; yield from walk(k)
def media_ok(cond, media):
    width = {"screen": 1280, "narrow": 320, "print": 794}[media]
    for alt in cond.split(","):
        ok = True
        for part in re.split(r"\band\b", alt.strip()):
            part = part.strip()
            m = re.match(r"\((min|max)-width:\s*([\d.]+)(rem|px)\)", part)
            if m:
                w = float(m.group(2)) * (16 if m.group(3) == "rem" else 1)
                ok &= width >= w if m.group(1) == "min" else width <= w
            elif part in ("print", "screen", "all"):
                ok &= part == "all" or (part == "print") == (media == "print")
            else:
                ok = False
        if ok: return True
    return False
def rules(css, media):
    out, i = [], 0
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    while i < len(css):
        j = css.find("{", i)
        if j < 0: break
        head = css[i:j].strip()
        if head.startswith("@media"):
            depth, k = 1, j + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(css[k], 0); k += 1
            if media_ok(head[6:], media): out += rules(css[j + 1:k - 1], media)
            i = k
        else:
            k = css.find("}", j)
            decls = [d.split(":", 1) for d in css[j + 1:k].split(";") if ":" in d]
            out.append((head, [(a.strip(), b.strip()) for a, b in decls]))
            i = k + 1
    return out
def compound_ok(c, n):
    if "::" in c: return False  # a pseudo-element: not the element
    if re.search(r":(?!root)[a-z-]+", c): return False  # :hover, :visited…
    if c.startswith(":root"): return n.tag == "html"
    for kind, name in re.findall(r"([.#]?)([\w-]+|\*)", c):
        if kind == "." and name not in n.cls: return False
        if kind == "#" and n.attrs.get("id") != name: return False
        if kind == "" and name not in ("*", n.tag): return False
    return True
def matches(sel, n):
    parts = re.findall(r">|[^\s>]+", sel)
    if not parts or not compound_ok(parts[-1], n): return False
    def up(i, node, child):  # parts[:i] against node's ancestors
        if i == 0: return True
        if parts[i - 1] == ">":
            return node is not None and compound_ok(parts[i - 2], node) and up(i - 2, node.parent, True)
        while node is not None and node.tag != "#doc":
            if compound_ok(parts[i - 1], node) and up(i - 1, node.parent, False): return True
            node = node.parent
        return False
    return up(len(parts) - 1, n.parent, False)
def spec(sel):
    return (sel.count("#"), len(re.findall(r"\.[\w-]+|:[\w-]+", sel)),
            len(re.findall(r"(?:^|[\s>])([a-z][\w-]*)", sel)))
class Page:
    def __init__(s, path, media):
        t = Tree(); t.feed(open(path, encoding="utf-8").read())
        s.tree, s.rules = t.root, rules(t.style, media)
        s.vars = {}
        for sel, decls in s.rules:
            if sel == ":root": s.vars.update((a, b) for a, b in decls if a.startswith("--"))
    def find(s, test):
        return [n for n in walk(s.tree) if test(n)]
    def value(s, n, names, inherit=False):
        """the winning declaration of any of names for n, (name, value)"""
        best = None
        for order, (sels, decls) in enumerate(s.rules):
            for sel in sels.split(","):
                sel = sel.strip()
                if not matches(sel, n): continue
                for a, b in decls:
                    if a in names:
                        key = ("!important" in b, spec(sel), order)
                        if best is None or key >= best[0]: best = (key, a, b)
        if best is None:
            return s.value(n.parent, names, True) if inherit and n.parent and n.parent.tag != "#doc" else None
        v = re.sub(r"var\((--[\w-]+)\)", lambda m: s.vars.get(m.group(1), ""), best[2])
        return best[1], v.replace("!important", "").strip()
    def background(s, n):
        while n is not None and n.tag != "#doc":
            v = s.value(n, {"background", "background-color"})
            c = v and color(v[1])
            if c: return c
            n = n.parent
        return (255, 255, 255)
def color(v):
    m = re.search(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", v)
    if m:
        h = m.group(1)
        if len(h) == 3: h = "".join(c * 2 for c in h)
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    return {"white": (255, 255, 255), "black": (0, 0, 0)}.get(v.strip())
def contrast(a, b):
    def lum(c):
        c = [x / 255 for x in c]
        c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
def inside(n, test):
    while n is not None and n.tag != "#doc":
        if test(n): return True
        n = n.parent
    return False
def label(n):
    return "<%s class=%r> %r" % (n.tag, " ".join(sorted(n.cls)), n.text.strip()[:40])
path, media, check = sys.argv[1:4]
p, bad = Page(path, media), []
if check == "links":
    # links placed as links (the site's name, result titles, chips'
    # buttons, the pager, the facets' lists) may go without; the others
    # stand in text, where colour alone does not tell them
    placed = lambda n: (n.cls & {"brand", "chips", "pager", "facet"} or
                        (n.tag == "h2" and inside(n, lambda m: "hit" in m.cls)))
    links = p.find(lambda n: n.tag == "a")
    if not links: bad.append("no links")
    for a in links:
        if inside(a, placed): continue
        v = p.value(a, {"text-decoration", "text-decoration-line"})
        if not v or "underline" not in v[1]: bad.append("not underlined: " + label(a))
elif check == "borders":
    fields = p.find(lambda n: n.tag == "input" and n.attrs.get("type") != "hidden")
    if not fields: bad.append("no fields")
    for f in fields:
        sides = [p.value(f, {"border", "border-color", "border-" + side, "border-%s-color" % side})
                 for side in ("top", "right", "bottom", "left")]
        bgs = [p.background(f.parent), p.background(f)]
        for v in sides:
            c = v and color(v[1])
            if v and re.match(r"^(0|none)\b", v[1]): continue  # no border
            if not c: bad.append("no border colour: " + label(f)); continue
            for bg in bgs:
                if contrast(c, bg) < 3:
                    bad.append("border %s on %s: %.2f:1 for %s" % (v[1], bg, contrast(c, bg), label(f)))
elif check == "wrap":
    boxes = p.find(lambda n: n.tag == "li" and inside(n, lambda m: "chips" in m.cls) or
                   n.cls & {"note", "dym"})
    if not boxes: bad.append("nothing to check")
    for b in boxes:
        v = p.value(b, {"overflow-wrap", "word-wrap", "word-break"}, inherit=True)
        if not v or v[1] not in ("anywhere", "break-word", "break-all"):
            bad.append("long words overflow: " + label(b))
elif check == "print":
    # the controls: the search form, the facets and date form, the pager,
    # the footer's feeds, the chips' ×; not what the results are
    hidden = lambda n: (n.tag == "form" and inside(n, lambda m: m.tag == "header") or
                        n.tag == "aside" or "pager" in n.cls or n.tag == "footer" or
                        n.tag == "a" and inside(n, lambda m: "chips" in m.cls))
    gone = lambda n: (p.value(n, {"display"}) or ("", ""))[1] == "none"
    want = p.find(hidden)
    if not want: bad.append("nothing to hide")
    for n in want:
        if not inside(n, gone): bad.append("printed: " + label(n))
    for n in p.find(lambda n: n.cls & {"hits", "chips", "tools"}):
        if inside(n, gone): bad.append("not printed: " + label(n))
    for m in p.find(lambda n: n.tag == "mark"):
        w = (p.value(m, {"font-weight", "font"}, inherit=True) or ("", ""))[1]
        d = (p.value(m, {"text-decoration", "text-decoration-line"}) or ("", ""))[1]
        if not (re.search(r"\b(bold|[6-9]00)\b", w) or "underline" in d):
            bad.append("a mark with its background alone: " + label(m))
    for a in p.find(lambda n: n.tag == "a" and n.parent.tag == "h2"):
        shown = [b for sels, decls in p.rules for sel in sels.split(",")
                 if sel.strip().endswith("::after") and matches(sel.strip()[:-7], a)
                 for x, b in decls if x == "content" and "attr(href)" in b]
        if not shown: bad.append("a result's address not printed: " + label(a)); break
else:
    sys.exit("unknown check " + check)
if bad:
    print("\n".join(bad[:10])); sys.exit(1)
EOF
# css_ok MEDIA CHECK: the body passes the check (see css.py)
css_ok() { python3 "$T/css.py" "$T/b" "$@"; }
get "$U/timtin.cgi" >/dev/null
check "css: links in text underlined (home page's examples)" css_ok screen links
get "$U/timtin.cgi?q=can+tho" >/dev/null
check "css: links in text underlined (results, did-you-mean, sort)" css_ok screen links
get "$U/timtin.cgi?q=%C4%90%E1%BA%AFk+L%E1%BA%AFk&section=Th%E1%BB%9Di+s%E1%BB%B1&from=2023" >/dev/null
check "css: links in text underlined (no results: hints)" css_ok screen links
get "$U/timtin.cgi?related=$id" >/dev/null
check "css: links in text underlined (related)" css_ok screen links
get "$U/timtin.cgi?q=can+tho" >/dev/null
check "css: form fields' borders at 3:1 or more (header bar, date form)" css_ok screen borders
long=$(printf 'Th%%E1%%BB%%9Di%.0s' $(seq 30))
get "$U/timtin.cgi?q=can+tho&section=$long&from=2023" >/dev/null
check "css: a long section name breaks in its chip" css_ok narrow wrap
get "$U/timtin.cgi?q=can+tho" >/dev/null
check "css: a long word breaks in the did-you-mean" css_ok narrow wrap
get "$U/timtin.cgi?q=nhanvat$long%3Angoc+c%E1%BA%A7u" >/dev/null
check "css: a long unknown field breaks in its note" css_ok narrow wrap
get "$U/timtin.cgi?q=can+tho&from=2021" >/dev/null
check "css: print hides the controls, shows marks and results' addresses" css_ok print print

# ---- JSON: what timtin-search --json prints
check "json: 200 application/json" bash -c "[ \"\$(curl -s -o '$T/j1' -w '%{http_code} %{content_type}' '$U/timtin.cgi?q=can+tho&format=json')\" = '200 application/json' ]"
search_json 'can tho' >"$T/j2"
check "json: equals timtin-search --json" same_json "$T/j1" "$T/j2"
curl -s -o "$T/j1" "$U/timtin.cgi?q=b%C3%A3o&page=2&sort=date&format=json"
search_json --offset 3 --sort date 'bão' >"$T/j2"
check "json: page 2 by date equals --offset 3 --sort date" same_json "$T/j1" "$T/j2"
curl -s -o "$T/j1" "$U/timtin.cgi?q=h%C3%B2a+b%C3%ACnh&sort=recent&format=json"
search_json --sort recent 'hòa bình' >"$T/j2"
check "json: sort=recent equals --sort recent" same_json "$T/j1" "$T/j2"
curl -s -o "$T/j1" "$U/timtin.cgi?q=b%C3%A3o&section=th%E1%BB%9Di+s%E1%BB%B1&from=2023&to=2025&format=json"
search_json --section 'thời sự' --since 2023 --until 2025 'bão' >"$T/j2"
check "json: filters equal --section --since --until" same_json "$T/j1" "$T/j2"
curl -s -o "$T/j1" "$U/timtin.cgi?related=$id&format=json"
search_json --related "$id" >"$T/j2"
check "json: related equals --related" same_json "$T/j1" "$T/j2"
check "json: empty query is a JSON 400" bash -c "[ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$U/timtin.cgi?format=json')\" = 400 ] && python3 -c \"import json; assert json.load(open('$T/b'))['error']['status']==400\""

# ---- RSS 2.0, newest first
check "rss: 200" test "$(get "$U/timtin.cgi?q=b%C3%A3o&format=rss")" = 200
check "rss: application/rss+xml" test "$(header Content-Type)" = "application/rss+xml; charset=utf-8"
check "rss: valid RSS 2.0 sorted by date" python3 - "$T/b" <<'EOF'
import sys, xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "rss" and root.get("version") == "2.0"
ch = root.find("channel")
for f in ("title", "link", "description"):
    assert ch.find(f) is not None and ch.find(f).text, f
assert ch.find("link").text.startswith("http://127.0.0.1:")
items = ch.findall("item")
assert len(items) >= 2, len(items)
for i in items:
    for f in ("title", "link", "guid", "pubDate"):
        assert i.find(f) is not None and i.find(f).text, f
d = [parsedate_to_datetime(i.find("pubDate").text) for i in items]
assert d == sorted(d, reverse=True), d
EOF
# a feed is the newest results: page= does not page it
guids() { curl -s "$1" | grep -o '<guid[^<]*</guid>'; }
same_guids() { [ -n "$(guids "$1")" ] && [ "$(guids "$1")" = "$(guids "$2")" ]; }
check "rss: page=2 gives the first page (the newest)" same_guids "$U/timtin.cgi?q=can+tho&format=rss" "$U/timtin.cgi?q=can+tho&page=2&format=rss"
check "rss: page=2, its self link without the page" bash -c "curl -s '$U/timtin.cgi?q=can+tho&page=2&format=rss' | grep -qF '<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"$U/timtin.cgi?q=can+tho&amp;format=rss\"/>'"
# a feed carries full matches only: when no article has every word, the
# page shows the nearest ones (relaxed), the feed none
check "relaxed query: the page shows the nearest" bash -c "curl -s '$U/timtin.cgi?q=c%E1%BA%A7n+th%C6%A1+zzqxqzz' | grep -q 'Không có bài nào chứa đủ mọi từ'"
check "relaxed query: an empty feed" bash -c "curl -s -o '$T/b' '$U/timtin.cgi?q=c%E1%BA%A7n+th%C6%A1+zzqxqzz&format=rss' && grep -q '</channel>' '$T/b' && ! grep -q '<item>' '$T/b'"
check "a phrase whose words are apart: the page says so" bash -c "curl -s '$U/timtin.cgi?q=%22xu%E1%BA%A5t+s%E1%BB%91t%22' | grep -q 'Không có bài nào chứa đúng cụm từ trong ngoặc kép'"
check "a filter value no article has: the page says so" bash -c "curl -s '$U/timtin.cgi?q=b%C3%A3o+tacgia%3Axyzzyq' | grep -q 'Không có bài nào có giá trị đã gõ cho một bộ lọc'"
check "titles: matches marked, accentless query included" bash -c "curl -s '$U/timtin.cgi?q=can+tho' | grep -q '<h2><a [^>]*><mark>Cần</mark> <mark>Thơ</mark>'"
check "rss: hostile query stays well-formed" bash -c "curl -s '$U/timtin.cgi?q=%5D%5D%3E%26%3C%2Ftitle%3E+b%C3%A3o&format=rss' | python3 -c \"import sys,xml.etree.ElementTree as E; r=E.fromstring(sys.stdin.buffer.read()); assert ']]>&</title> bão' in r.find('channel/title').text\""

# ---- OpenSearch
check "opensearch: 200" test "$(get "$U/timtin.cgi?format=opensearch")" = 200
check "opensearch: content type" test "$(header Content-Type)" = "application/opensearchdescription+xml; charset=utf-8"
check "opensearch: a valid description" python3 - "$T/b" "$U/timtin.cgi" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = "{http://a9.com/-/spec/opensearch/1.1/}"
r = ET.parse(sys.argv[1]).getroot()
assert r.tag == ns + "OpenSearchDescription"
assert 0 < len(r.find(ns + "ShortName").text) <= 16
urls = {u.get("type"): u.get("template") for u in r.findall(ns + "Url")}
assert urls["text/html"] == sys.argv[2] + "?q={searchTerms}", urls
assert "format=rss" in urls["application/rss+xml"]
EOF

# ---- hostile input: escaped or refused
xss1='<script>alert(1)</script>'
xss2='"><img src=x onerror=alert(1)>'
enc() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
check "xss script: 200" test "$(get "$U/timtin.cgi?q=$(enc "$xss1")")" = 200
check "xss script: escaped, never raw" bash -c "! grep -qi '<script' '$T/b' && grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' '$T/b'"
check "xss script: valid HTML5" valid_html
check "xss attribute: 200" test "$(get "$U/timtin.cgi?q=$(enc "$xss2")")" = 200
check "xss attribute: escaped, never raw" bash -c "! grep -qi '<img' '$T/b' && grep -qF 'value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"' '$T/b'"
check "xss attribute: valid HTML5" valid_html
check "xss in json: the query round-trips" bash -c "curl -s '$U/timtin.cgi?q=$(enc "$xss1")&format=json' | python3 -c \"import json,sys; assert json.load(sys.stdin)['query']=='$xss1'\""
check "xss in a section value: escaped" bash -c "curl -s '$U/timtin.cgi?q=a&section=$(enc "$xss2")' | grep -qF 'Chuyên mục: &quot;&gt;&lt;img'"
check "%ff%fe: 400" test "$(get "$U/timtin.cgi?q=%ff%fe")" = 400
check "%ff%fe: error page, valid, secure" bash -c "grep -q 'UTF-8' '$T/b' && python3 -c \"open('$T/b',encoding='utf-8').read()\"" 
check "%ff%fe: security headers" secure
check "%00: 400" test "$(get "$U/timtin.cgi?q=a%00b")" = 400
check "malformed %: kept literally" bash -c "[ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$U/timtin.cgi?q=100%25+%zz+%e')\" = 200 ] && grep -qF 'value=\"100% %zz %e\"' '$T/b'"
big=$(head -c 102400 /dev/zero | tr '\0' a)
code=$(get "$U/timtin.cgi?q=$big")
check "100 KB query (GET): refused with 4xx ($code)" test "${code:0:1}" = 4
check "100 KB query (POST): 413" test "$(get --data "q=$big" "$U/timtin.cgi")" = 413
check "3 KB query: 400" test "$(get "$U/timtin.cgi?q=${big:0:3000}")" = 400
check "3 KB query: says why" body_has 'quá dài'
check "page=0: 400" test "$(get "$U/timtin.cgi?q=b%C3%A3o&page=0")" = 400
check "page=abc: 400" test "$(get "$U/timtin.cgi?q=b%C3%A3o&page=abc")" = 400
check "page beyond max_page: 400" test "$(get "$U/timtin.cgi?q=b%C3%A3o&page=51")" = 400
check "page at max_page: 200" test "$(get "$U/timtin.cgi?q=b%C3%A3o&page=50")" = 200
check "page past the results: help, 200" body_has 'Không còn kết quả ở trang này'
check "invalid date: 400" test "$(get "$U/timtin.cgi?q=b%C3%A3o&from=2021-13-45")" = 400
check "from after to: swapped, 200, said" bash -c "[ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$U/timtin.cgi?q=b%C3%A3o&from=2024&to=2023')\" = 200 ] && grep -q 'hai ngày đã được đổi chỗ: tin từ 01/01/2023 đến 31/12/2024' '$T/b'"
check "bad sort: 400" test "$(get "$U/timtin.cgi?q=b%C3%A3o&sort=alpha")" = 400
check "bad format: 400" test "$(get "$U/timtin.cgi?q=b%C3%A3o&format=xml")" = 400
check "400 page: valid HTML5" valid_html
check "400 page: query kept in the box" body_has 'value="bão"'
# the error in the format asked, wherever format= stands; a later value
# replaces a bad one
json_400() {
    [ "$(curl -s -o "$T/b" -w '%{http_code} %{content_type}' "$1")" = "400 application/json" ] &&
    python3 -c "import json; assert json.load(open('$T/b'))['error']['status']==400"
}
check "from after to, JSON: 400" json_400 "$U/timtin.cgi?q=b%C3%A3o&from=2024&to=2023&format=json"
check "page beyond max_page, format=json after it: a JSON 400" json_400 "$U/timtin.cgi?q=b%C3%A3o&page=51&format=json"
check "%ff, format=json after it: a JSON 400" json_400 "$U/timtin.cgi?q=%ff&format=json"
check "format=json then format=xml: a JSON 400" json_400 "$U/timtin.cgi?q=b%C3%A3o&format=json&format=xml"
check "page=abc then page=2: page 2" bash -c "[ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$U/timtin.cgi?q=can+tho&page=abc&page=2')\" = 200 ] && grep -q '<ol class=\"hits\" start=\"4\">' '$T/b'"
check "format=xml then format=json: JSON" test "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$U/timtin.cgi?q=b%C3%A3o&format=xml&format=json")" = "200 application/json"
check "invalid date in the query text: 400" test "$(get "$U/timtin.cgi?q=since:2021-13-45")" = 400
check "empty date range in the query text: 400" test "$(get "$U/timtin.cgi?q=2020-01-01..2019-01-01")" = 400
check "empty date range: said in Vietnamese" bash -c "grep -q 'ngày bắt đầu đứng sau ngày kết thúc' '$T/b' && ! grep -q 'empty date range' '$T/b'"
check "only spaces: the home page" bash -c "[ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$U/timtin.cgi?q=+++')\" = 200 ] && grep -q 'class=\"home\"' '$T/b'"
# Unicode spaces are spaces too (a no-break space, an ideographic space)
for q in %C2%A0 %E3%80%80+%E2%80%83 %09%E2%80%8B; do
    check "only spaces ($q): the home page" bash -c "[ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$U/timtin.cgi?q=$q')\" = 200 ] && grep -q 'class=\"home\"' '$T/b'"
done
# nothing to search for: the page's help (200), not an error page; JSON
# says why with a 400
for q in %21%21%21 %3F ... - OR; do
    check "no word ($q): the no-results help, 200" bash -c "[ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$U/timtin.cgi?q=$q')\" = 200 ] && grep -q 'class=\"empty\"' '$T/b' && grep -q 'Gợi ý' '$T/b'"
    check "no word ($q): valid HTML5" valid_html
    check "no word ($q), JSON: 400, in Vietnamese" bash -c "json_400() { [ \"\$(curl -s -o '$T/b' -w '%{http_code} %{content_type}' \"\$1\")\" = '400 application/json' ]; }; json_400 '$U/timtin.cgi?q=$q&format=json' && grep -q 'không có từ nào' '$T/b'"
done
# a section filter with no word matches nothing: never the unfiltered
# results under its chip
check "section=!!! with q: no results, 200, the filter said to be why" bash -c "[ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$U/timtin.cgi?q=b%C3%A3o&section=%21%21%21')\" = 200 ] && grep -q 'Không có bài nào cho «bão» trong các bộ lọc đang dùng' '$T/b' && ! grep -q 'class=\"hit\"' '$T/b'"
check "section=!!! alone: no results, 200" bash -c "[ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$U/timtin.cgi?section=%21%21%21')\" = 200 ] && grep -q 'Không tìm thấy bài nào' '$T/b'"
check "section=!!! in JSON: total 0" bash -c "curl -s '$U/timtin.cgi?q=b%C3%A3o&section=%21%21%21&format=json' | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j[\"total\"]==0 and not j[\"results\"]'"
check "unknown parameter: ignored" test "$(get "$U/timtin.cgi?q=b%C3%A3o&utm_source=x")" = 200

# ---- methods and POST
check "POST form: 200" test "$(get --data 'q=can+tho' "$U/timtin.cgi")" = 200
check "POST form: not for shared caches" test "$(header Cache-Control)" = no-store
check "POST form: same hits as GET" bash -c "diff <(grep -o 'related=[0-9]*' '$T/b') <(curl -s '$U/timtin.cgi?q=can+tho' | grep -o 'related=[0-9]*')"
check "POST text/plain: 415" test "$(get -H 'Content-Type: text/plain' --data 'q=a' "$U/timtin.cgi")" = 415
check "DELETE: 405 with Allow" bash -c "[ \"\$(curl -s -o /dev/null -D '$T/h' -w '%{http_code}' -X DELETE '$U/timtin.cgi')\" = 405 ] && grep -qi '^Allow: GET, HEAD, POST' '$T/h'"
check "HEAD: 200, no body" bash -c "[ \"\$(curl -s -I -o '$T/h' -w '%{http_code}' '$U/timtin.cgi?q=can+tho')\" = 200 ] && grep -qi '^Content-Security-Policy' '$T/h'"

# ---- 500: leaks nothing
check "db missing: 500" test "$(get "$U/broken.cgi?q=can+tho")" = 500
check "db missing: generic page, no path, no internals" bash -c "! grep -qiE 'secret-place|no-such-db|xapian|TIMTIN_DB|/tmp' '$T/b' && grep -q 'sự cố' '$T/b'"
check "db missing: security headers" secure
check "db missing: valid HTML5" valid_html
check "db missing: the cause is in the server's log" wait_for grep -q 'no-such-db' "$L/cgi.log"

# ---- from a shell: name=value arguments
TIMTIN_DB=$D TIMTIN_CONFIG=$CONF "$B/timtin.cgi" q=can+tho format=json >"$T/j1"; rc=$?
search_json 'can tho' >"$T/j2"
check "args: exit 0" test $rc = 0
check "args: same JSON as the CLI" same_json "$T/j1" "$T/j2"
TIMTIN_DB=$D "$B/timtin.cgi" 'q=tom & jerry' format=json >"$T/j1"
check "args: one pair per argument ('&' in a value)" python3 -c "import json; assert json.load(open('$T/j1'))['query']=='tom & jerry'"
TIMTIN_DB=$D "$B/timtin.cgi" --headers q=can+tho >"$T/b"; rc=$?
check "args: --headers prints the CGI headers" bash -c "[ $rc = 0 ] && head -1 '$T/b' | grep -q '^Status: 200 OK' && grep -q '^X-Content-Type-Options: nosniff' '$T/b'"
TIMTIN_DB=$D "$B/timtin.cgi" page=abc >/dev/null; rc=$?
check "args: bad request exits 2" test $rc = 2
TIMTIN_DB=$D "$B/timtin.cgi" related=1 >/dev/null; rc=$?
check "args: not found exits 1" test $rc = 1
TIMTIN_DB=$T/secret-place/nothing "$B/timtin.cgi" q=a >"$T/b" 2>"$T/err"; rc=$?
check "args: db missing exits 3, page without the path" bash -c "[ $rc = 3 ] && ! grep -q secret-place '$T/b' && grep -q secret-place '$T/err'"
printf 'title = x\nper_page = 0\n' >"$T/bad.conf"
TIMTIN_CONFIG=$T/bad.conf TIMTIN_DB=$D "$B/timtin.cgi" q=a >"$T/b" 2>"$T/err"; rc=$?
check "args: bad config exits 3, logs the line once" bash -c "[ $rc = 3 ] && [ \$(grep -c 'bad.conf:2: per_page' '$T/err') = 1 ] && ! grep -q 'bad.conf' '$T/b'"
REQUEST_METHOD=GET QUERY_STRING=q=a TIMTIN_CONFIG=$T/bad.conf TIMTIN_DB=$D "$B/timtin.cgi" >"$T/b" 2>"$T/err"
check "cgi: bad config, a 500 that logs the line once" bash -c "head -1 '$T/b' | grep -q '^Status: 500' && [ \$(wc -l <'$T/err') = 1 ] && grep -q 'bad.conf:2: per_page' '$T/err'"
printf '\xef\xbb\xbftitle = BOM\n' >"$T/bom.conf"
TIMTIN_CONFIG=$T/bom.conf TIMTIN_DB=$D "$B/timtin.cgi" >"$T/b" 2>"$T/err"; rc=$?
check "args: a config file that starts with a byte order mark" bash -c "[ $rc = 0 ] && grep -q '<title>BOM</title>' '$T/b' && [ ! -s '$T/err' ]"
TIMTIN_DB=$D "$B/timtin.cgi" "q=${big:0:20000}" >"$T/b"; rc=$?
check "args: a 20 KB request is refused (414)" bash -c "[ $rc = 2 ] && grep -q 'quá dài' '$T/b'"
# several dbs as one (TIMTIN_DB=a:b) and a stub database file
head -n 18 "$S" >"$T/half1.jsonl"; tail -n +19 "$S" >"$T/half2.jsonl"
for h in 1 2; do
    "$B/timtin-corpus" --corpus "$T/c$h" import --quiet "$T/half$h.jsonl"
    "$B/timtin-index" --corpus "$T/c$h" --db "$T/d$h" --quiet --no-sync
done
printf 'auto %s\nauto %s\n' "$T/d1" "$T/d2" >"$T/stub"
total() { TIMTIN_DB=$1 "$B/timtin.cgi" 'q=b%C3%A3o' format=json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
all=$(total "$D")
check "TIMTIN_DB a:b searches both as one ($all)" test "$(total "$T/d1:$T/d2")" = "$all"
check "TIMTIN_DB a stub file" test "$(total "$T/stub")" = "$all"
"$B/timtin.cgi" --help >"$T/b"; rc=$?
check "args: --help" bash -c "[ $rc = 0 ] && grep -q '^Usage: timtin.cgi' '$T/b' && grep -q TIMTIN_DB '$T/b'"
check "args: --help suggests listening on 127.0.0.1, not on every interface" bash -c "grep -q -- '--listen ADDRESS .*socket path, or' '$T/b' && grep -q '127.0.0.1:PORT' '$T/b' && grep -q ':PORT alone listens on every' '$T/b'"
# every config key of docs/WEB.md's table
keys=$(awk '/^\| key \| default \| meaning \|/ {t=1; next} t && !/^\|/ {t=0} t' "$TOP/docs/WEB.md" | grep -o '^| `[a-z_]*`' | tr -dc 'a-z_\n')
check "args: --help names every config key ($(echo $keys))" bash -c "[ -n '$keys' ] && for k in $(echo $keys); do grep -qw \"\$k\" '$T/b' || { echo \"missing \$k\"; exit 1; }; done"
check "args: --version" bash -c "'$B/timtin.cgi' --version | grep -q '^timtin.cgi [0-9]'"
"$B/timtin.cgi" oops >/dev/null 2>&1; rc=$?
check "args: a word without = is a usage error" test $rc = 2
TIMTIN_DB=$D "$B/timtin.cgi" >"$T/b"; rc=$?
check "args: no pairs gives the home page" bash -c "[ $rc = 0 ] && grep -q '<form class=\"search\"' '$T/b'"
# a page that cannot be written (a full disk) is an error, said on stderr
for how in "q=can+tho" "--headers q=can+tho" "--help"; do
    TIMTIN_DB=$D "$B/timtin.cgi" $how >/dev/full 2>"$T/err"; rc=$?
    check "args $how: standard output full, exit 3 and said why" bash -c "[ $rc = 3 ] && grep -q 'cannot write to standard output: No space left on device' '$T/err'"
done
REQUEST_METHOD=GET QUERY_STRING=q=can+tho TIMTIN_DB=$D "$B/timtin.cgi" >/dev/full 2>"$T/err"; rc=$?
check "cgi: standard output full, exit 3 and said why" bash -c "[ $rc = 3 ] && grep -q 'cannot write to standard output: No space left on device' '$T/err'"

# ---- --listen: never replaces a file that is not a socket, nor a
# socket another process serves
# fcgi_200 ADDRESS: a FastCGI request to ADDRESS is answered with 200
fcgi_200() { python3 "$TOP/tests/fcgi.py" "$1" QUERY_STRING=q=can+tho 2>/dev/null | grep -q '^Status: 200'; }
cp "$CONF" "$T/listen.conf"
timeout 20 "$B/timtin.cgi" --listen "$T/listen.conf" >/dev/null 2>"$T/err"; rc=$?
check "--listen FILE: refused, exit 2" test $rc = 2
check "--listen FILE: says why" grep -q 'not a socket' "$T/err"
check "--listen FILE: the file untouched" cmp -s "$CONF" "$T/listen.conf"
timeout 20 "$B/timtin.cgi" --listen "$T" >/dev/null 2>&1; rc=$?
check "--listen DIRECTORY: refused, exit 2" test $rc = 2
TIMTIN_DB=$D "$B/timtin.cgi" --listen "$T/live.sock" 2>"$T/live.err" &
live=$!
on_exit "kill $live 2>/dev/null; wait $live 2>/dev/null"
check "--listen PATH: serves" wait_for fcgi_200 "$T/live.sock"
timeout 20 "$B/timtin.cgi" --listen "$T/live.sock" >/dev/null 2>"$T/err"; rc=$?
check "--listen on a socket in use: refused, exit 2" test $rc = 2
check "--listen on a socket in use: says why" grep -q 'another process' "$T/err"
check "--listen on a socket in use: the first still serves" fcgi_200 "$T/live.sock"
kill -9 $live; wait $live 2>/dev/null
check "--listen: a socket left behind by a killed process" test -S "$T/live.sock"
TIMTIN_DB=$D "$B/timtin.cgi" --listen "$T/live.sock" 2>"$T/live.err" &
live=$!
on_exit "kill $live 2>/dev/null; wait $live 2>/dev/null"
check "--listen on a socket left behind: taken over" wait_for fcgi_200 "$T/live.sock"
kill $live; wait $live 2>/dev/null

# ---- FCGI_WEB_SERVER_ADDRS on a dual-stack socket ("[::]:PORT"): an
# IPv4 client (there ::ffff:127.0.0.1) is checked as its IPv4 address, an
# IPv6 one against the list's IPv6 addresses
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    V6=$(free_port)
    for allowed in 10.9.9.9 "10.9.9.9,127.0.0.1" "10.9.9.9,::1"; do
        : >"$T/v6.err"
        FCGI_WEB_SERVER_ADDRS=$allowed TIMTIN_DB=$D "$B/timtin.cgi" --listen "[::]:$V6" 2>"$T/v6.err" &
        v6=$!
        on_exit "kill $v6 2>/dev/null; wait $v6 2>/dev/null"
        check "FCGI_WEB_SERVER_ADDRS=$allowed on [::]: listening" wait_for python3 -c 'import socket, sys; socket.create_connection(("::1", int(sys.argv[1]))).close()' $V6
        for client in 127.0.0.1 ::1; do
            if [[ ,$allowed, == *,$client,* ]]; then
                check "FCGI_WEB_SERVER_ADDRS=$allowed on [::]: $client answered" fcgi_200 "[$client]:$V6"
            else
                check_not "FCGI_WEB_SERVER_ADDRS=$allowed on [::]: $client refused" fcgi_200 "[$client]:$V6"
                check "FCGI_WEB_SERVER_ADDRS=$allowed on [::]: $client refused, logged" grep -q "refused a connection from $client (not in FCGI_WEB_SERVER_ADDRS)" "$T/v6.err"
            fi
        done
        kill $v6; wait $v6 2>/dev/null
    done
else
    echo "# no IPv6 here: FCGI_WEB_SERVER_ADDRS on [::] not tried"
fi

# ---- FastCGI: a connection that sends nothing, half a request, a byte
# at a time, or asks to be kept, holds the process fastcgi_timeout seconds
# at most.  One process answers one connection at a time: the next
# request is answered once the held connection was dropped (what these
# checks wait for, without a clock: fcgi.py gives up after 30 s).
printf 'fastcgi_timeout = 1\n' >"$T/fast.conf"
# hold ADDRESS MODE: tests/fcgi.py --hold in the background, connected
hold() {
    : >"$T/held" # now, not when the job starts: the last one's said "connected"
    python3 "$TOP/tests/fcgi.py" "$1" --hold "$2" >>"$T/held" &
    held=$!
    on_exit "kill $held 2>/dev/null; wait $held 2>/dev/null"
    wait_for grep -q connected "$T/held"
}
# dropped N: the log says N connections were dropped (else shows it)
dropped() { [ "$(grep -c 'FastCGI connection dropped' "$T/fast.err")" = "$1" ] || { sed 's/^/# /' "$T/fast.err"; false; }; }
FP=$(free_port)
for addr in "127.0.0.1:$FP" "$T/fast.sock"; do
    kind=TCP; [ "${addr:0:1}" = / ] && kind="Unix socket"
    : >"$T/fast.err"
    TIMTIN_DB=$D TIMTIN_CONFIG=$T/fast.conf "$B/timtin.cgi" --listen "$addr" 2>"$T/fast.err" &
    fast=$!
    on_exit "kill $fast 2>/dev/null; wait $fast 2>/dev/null"
    check "fastcgi_timeout ($kind): serves" wait_for fcgi_200 "$addr"
    n=0
    for mode in idle half drip; do
        hold "$addr" $mode
        check "fastcgi_timeout ($kind): a connection held $mode, the next request answered" fcgi_200 "$addr"
        n=$((n + 1))
        check "fastcgi_timeout ($kind): the $mode connection dropped, logged once" dropped $n
        check "fastcgi_timeout ($kind): the $mode connection closed by the server" wait_for grep -q 'closed by the server' "$T/held"
        kill $held 2>/dev/null; wait $held 2>/dev/null
    done
    python3 "$TOP/tests/fcgi.py" "$addr" --keep-conn QUERY_STRING=q=can+tho >/dev/null 2>"$T/keep"
    check "fastcgi_timeout ($kind): FCGI_KEEP_CONN not honoured, closed after the answer" grep -q 'connection closed' "$T/keep"
    check "fastcgi_timeout ($kind): then the next request answered" fcgi_200 "$addr"
    check "fastcgi_timeout ($kind): nothing else logged" test "$(grep -vc 'FastCGI connection dropped' "$T/fast.err")" = 0
    kill $fast; wait $fast 2>/dev/null
done

# ---- FastCGI: a request's parameters take 64 KiB at most, checked
# before libfcgi reads them (it allocates a pair at the lengths announced,
# and aborts when that fails): a hostile one is dropped at once and logged,
# and the process answers the next request.  (An hour's fastcgi_timeout:
# no drop comes from the clock.)
printf 'fastcgi_timeout = 3600\n' >"$T/hour.conf"
HP=$(free_port)
cookies=$(python3 -c 'print("c" * 40000)')
for addr in "127.0.0.1:$HP" "$T/hostile.sock"; do
    kind=TCP; [ "${addr:0:1}" = / ] && kind="Unix socket"
    TIMTIN_DB=$D TIMTIN_CONFIG=$T/hour.conf "$B/timtin.cgi" --listen "$addr" 2>"$T/hostile.err" &
    hp=$!
    on_exit "kill $hp 2>/dev/null; wait $hp 2>/dev/null"
    check "hostile parameters ($kind): serves" wait_for fcgi_200 "$addr"
    n=0
    for h in "name:a parameter of 2147483647 bytes" "value:a parameter of 524288001 bytes" \
        "many:parameters over 65536 bytes" "mgmt:a parameter of 2147483646 bytes"; do
        said=${h#*:}; h=${h%%:*}
        python3 "$TOP/tests/fcgi.py" "$addr" --timeout 20 --hostile $h >"$T/hostile.out" 2>&1
        check "hostile parameters ($kind): $h: closed without an answer" grep -qx 'closed by the server' "$T/hostile.out"
        check "hostile parameters ($kind): $h: the next request answered" fcgi_200 "$addr"
        n=$((n + 1))
        check "hostile parameters ($kind): $h: dropped, logged once, why" bash -c "[ \$(grep -c 'FastCGI connection dropped: ' '$T/hostile.err') = $n ] && grep -q 'FastCGI connection dropped: $said' '$T/hostile.err'"
    done
    check "hostile parameters ($kind): 40 KB of cookies, within the bound, answered" bash -c "python3 '$TOP/tests/fcgi.py' '$addr' QUERY_STRING=q=can+tho HTTP_COOKIE=$cookies | grep -q '^Status: 200'"
    check "hostile parameters ($kind): nothing else logged" test "$(grep -vc 'FastCGI connection dropped: ' "$T/hostile.err")" = 0
    kill $hp; wait $hp 2>/dev/null
done

# ---- SIGTERM stops a FastCGI process after the request in hand, also
# one that comes as the next wait for a connection begins (a race: these
# rounds pass without the fix most of the time) or as it waits for a client
ended() { case $(_proc_state "$1") in Z | '') return 0 ;; esac; return 1; }
for round in 1 2 3 4 5; do
    TIMTIN_DB=$D TIMTIN_CONFIG=$T/fast.conf "$B/timtin.cgi" --listen "$T/term.sock" 2>>"$T/term.err" &
    tp=$!
    on_exit "kill -9 $tp 2>/dev/null; wait $tp 2>/dev/null"
    wait_for fcgi_200 "$T/term.sock"
    fcgi_200 "$T/term.sock" & kill $tp
    wait $!
    wait_for ended $tp; e1=$?
    kill -9 $tp 2>/dev/null; wait $tp 2>/dev/null
    [ $e1 = 0 ] || break
done
check "SIGTERM just after an answer: the process ends" test $e1 = 0
printf 'fastcgi_timeout = 3600\n' >"$T/slow.conf"
TIMTIN_DB=$D TIMTIN_CONFIG=$T/slow.conf "$B/timtin.cgi" --listen "$T/term.sock" 2>>"$T/term.err" &
tp=$!
on_exit "kill -9 $tp 2>/dev/null; wait $tp 2>/dev/null"
wait_for fcgi_200 "$T/term.sock"
hold "$T/term.sock" idle
kill $tp
check "SIGTERM while a client holds its connection (for an hour): the process ends" wait_for ended $tp
check "... and the connection is closed" wait_for grep -q 'closed by the server' "$T/held"
kill -9 $tp 2>/dev/null; wait $tp 2>/dev/null

# ---- --workers N: processes sharing the socket, each answering: a
# connection held (for an hour) holds one of them, and the other answers
# meanwhile
WA=127.0.0.1:$(free_port)
# workers N: timtin.cgi --listen $WA --workers N in the background, as $wpid
workers() {
    TIMTIN_DB=$D TIMTIN_CONFIG=$T/slow.conf "$B/timtin.cgi" --listen "$WA" --workers "$1" 2>"$T/workers.err" &
    wpid=$!
    on_exit "kill $wpid 2>/dev/null; wait $wpid 2>/dev/null"
}
nkids() { [ "$(pgrep -c -P "$wpid")" = "$1" ]; }
workers 2
check "--workers 2: serves" wait_for fcgi_200 "$WA"
check "--workers 2: two worker processes" wait_for nkids 2
hold "$WA" idle
check "--workers 2: a connection held, the next request answered" fcgi_200 "$WA"
check "--workers 2: ... while the held one is open" bash -c "! grep -q 'closed by the server' '$T/held'"
kids=$(pgrep -P "$wpid")
kill $wpid; wait $wpid; rc=$?
check "--workers 2: SIGTERM stops them all, exit 0" bash -c "[ $rc = 0 ] && for k in $(echo $kids); do ! kill -0 \$k 2>/dev/null || exit 1; done"
check "--workers 2: the held connection closed" wait_for grep -q 'closed by the server' "$T/held"
workers 2
check "--workers 2: serves again" wait_for fcgi_200 "$WA"
check "--workers 2: two again" wait_for nkids 2
victim=$(pgrep -P "$wpid" | head -1)
kill -KILL "$victim"
check "--workers 2: a worker killed is started again" wait_for bash -c "[ \$(pgrep -c -P $wpid) = 2 ] && ! pgrep -P $wpid | grep -qx $victim"
check "--workers 2: ... and said in the log" grep -q "worker $victim ended by signal 9" "$T/workers.err"
check "--workers 2: serves after" fcgi_200 "$WA"
kill $wpid; wait $wpid
# on the socket a FastCGI server (systemd) gives as standard input
TIMTIN_DB=$D python3 -c 'import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
os.dup2(s.fileno(), 0); os.execv(sys.argv[2], sys.argv[2:])' "$T/stdin.sock" "$B/timtin.cgi" --workers 2 2>"$T/workers.err" </dev/null &
wpid=$!
on_exit "kill $wpid 2>/dev/null; wait $wpid 2>/dev/null"
check "--workers 2, standard input a socket: serves" wait_for fcgi_200 "$T/stdin.sock"
check "--workers 2, standard input a socket: two workers" wait_for nkids 2
kill $wpid; wait $wpid
check "--workers 0: a usage error" bash -c "'$B/timtin.cgi' --listen '$T/w.sock' --workers 0 2>/dev/null; [ \$? = 2 ] && [ ! -e '$T/w.sock' ]"
check "--workers without --listen, standard input no socket: a usage error" bash -c "'$B/timtin.cgi' --workers 2 </dev/null 2>/dev/null; [ \$? = 2 ]"

# ---- FastCGI: one process, many requests, new commits seen
check "fastcgi: 200" test "$(get "$U/fcgi/timtin?q=can+tho")" = 200
check "fastcgi: security headers" secure
check "fastcgi: valid HTML5" valid_html
check "fastcgi: did-you-mean" body_has 'Có phải bạn muốn tìm: <a href="?q=C%E1%BA%A7n+Th%C6%A1">Cần Thơ</a>'
curl -s -o "$T/j1" "$U/fcgi/timtin?q=can+tho&format=json"
check "fastcgi: JSON equals timtin-search --json" same_json "$T/j1" "$T/j2"
check "fastcgi: POST" test "$(get --data 'q=can+tho' "$U/fcgi/timtin")" = 200
check "fastcgi: %ff%fe 400" test "$(get "$U/fcgi/timtin?q=%ff%fe")" = 400
check "fastcgi: 100 KB POST 413" test "$(get --data "q=$big" "$U/fcgi/timtin")" = 413
check "fastcgi: opensearch template uses the fastcgi path" bash -c "curl -s '$U/fcgi/timtin?format=opensearch' | grep -qF 'template=\"$U/fcgi/timtin?q={searchTerms}\"'"
fpids() { pgrep -P "$LPID" -f timtin.cgi | sort | tr '\n' ' '; }
before=$(fpids)
for i in $(seq 20); do curl -s -o /dev/null "$U/fcgi/timtin?q=b%C3%A3o&page=$((i % 3 + 1))"; done
check "fastcgi: one long-lived process ($before)" bash -c "[ -n '$before' ] && [ '$before' = '$(fpids)' ]"
# (lighttpd writes its FastCGI processes' stderr to the breakage log too)
check "fastcgi: logs its posting and block caches every 10 requests" bash -c "grep -qE '^timtin.cgi: posting cache: [0-9]+ lists, [0-9.]+ of 128 MB; [0-9]+ lists found decoded, [1-9][0-9]* decoded, [0-9]+ dropped for room; block cache: [0-9.]+ of 128 MB; [1-9][0-9]* reads found there, [1-9][0-9]* passed on \(after [0-9]*0 requests\)$' '$L/cgi.log'"
word=zxqvwyk
check "fastcgi: a new word is not there yet" bash -c "curl -s '$U/fcgi/timtin?q=$word&format=json' | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"total\"]==0'"
python3 - "$S" "$word" >"$T/new.jsonl" <<'EOF'
import json, sys
a = json.loads(open(sys.argv[1]).readline())
a["id"] = "29990101000000001"; a["url"] = "https://tuoitre.vn/moi-29990101000000001.htm"
a["title"] = "Tin mới " + sys.argv[2]; a["published"] = "2025-12-31T10:00:00+07:00"
print(json.dumps(a, ensure_ascii=False))
EOF
"$B/timtin-corpus" --corpus "$C" import --quiet "$T/new.jsonl"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync
check "fastcgi: sees the indexer's commit" bash -c "curl -s '$U/fcgi/timtin?q=$word&format=json' | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"total\"]==1'"
sed -e 's/29990101000000001/29990101000000002/g' -e "s/$word/${word}full/" "$T/new.jsonl" >"$T/new2.jsonl"
"$B/timtin-corpus" --corpus "$C" import --quiet "$T/new2.jsonl"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync --full
check "fastcgi: follows timtin-index --full (a new db swapped in)" bash -c "curl -s '$U/fcgi/timtin?q=${word}full&format=json' | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"total\"]==1'"
check "fastcgi: still the same process" test "$before" = "$(fpids)"
check "cgi: sees it too" bash -c "curl -s '$U/timtin.cgi?q=$word' | grep -q 'Tin mới <mark>$word</mark>\|Tin mới $word'"
check "no other errors logged by the CGI" bash -c "! grep -v -e 'no-such-db' -e '^timtin.cgi: posting cache: ' '$L/cgi.log' | grep -q ."

done_testing
