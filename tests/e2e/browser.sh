#!/usr/bin/env bash
# timtin.cgi in a real browser: headless Chromium (Debian's chromium,
# installed by make check's deps step, scripts/install-deps.sh browser;
# without it the test skips) loads a results page served by lighttpd on
# 127.0.0.1, follows the next-page link and the did-you-mean link it finds
# in the rendered DOM, measures the chips' × (24 by 24 px at least),
# checks the console for Content-Security-Policy refusals, and saves
# screenshots: $B/screenshot.png (desktop),
# $B/screenshot-narrow.png (a phone's width), $B/screenshot-empty.png (no
# results).
. "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || skip "chromium not installed (scripts/install-deps.sh browser)"
command -v lighttpd >/dev/null || skip "lighttpd not installed (scripts/install-deps.sh test)"
[ -x "$B/timtin.cgi" ] || { fail "build: $B/timtin.cgi missing"; exit 1; }

C=$T/corpus; D=$T/db
"$B/timtin-corpus" --corpus "$C" import --quiet "$TOP/corpus/samples/articles.jsonl"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync
printf 'per_page = 3\n' >"$T/timtin.conf"
PORT=$(free_port)
mkdir -p "$T/www"
cat >"$T/lighttpd.conf" <<EOF
server.document-root = "$T/www"
server.bind = "127.0.0.1"
server.port = $PORT
server.modules = ("mod_setenv", "mod_alias", "mod_cgi")
server.errorlog = "$T/error.log"
server.breakagelog = "$T/cgi.log"
alias.url = ("/timtin.cgi" => "$B/timtin.cgi")
cgi.assign = (".cgi" => "")
setenv.add-environment = ("TIMTIN_DB" => "$D", "TIMTIN_CONFIG" => "$T/timtin.conf")
EOF
lighttpd -D -f "$T/lighttpd.conf" &
LPID=$!
on_exit "kill $LPID 2>/dev/null; wait $LPID 2>/dev/null"
U=http://127.0.0.1:$PORT/timtin.cgi
wait_for curl -sf -o /dev/null "$U" || { fail "lighttpd did not start"; exit 1; }

# chromium ARGS... URL: one headless run with a fresh profile; the console
# (and any CSP refusal) goes to $T/console.log
n=0
chrome() {
    n=$((n + 1))
    local profile; profile=$(mktemp -d "$T/profile.XXXXXX")
    timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --lang=vi-VN --hide-scrollbars --user-data-dir="$profile" \
        --enable-logging=stderr --v=0 "$@" 2>>"$T/console.log"
}
# the href of the first <a> matching a CSS-like selector (rel=next, or the
# link inside <p class="dym">) in a dumped DOM
link_in() {
    python3 - "$1" "$2" <<'EOF'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s): super().__init__(); s.in_dym=False; s.found=None
    def handle_starttag(s, t, a):
        a = dict(a)
        if t == "p" and a.get("class") == "dym": s.in_dym = True
        if t == "a" and s.found is None:
            if (sys.argv[2] == "next" and a.get("rel") == "next") or (sys.argv[2] == "dym" and s.in_dym):
                s.found = a.get("href")
    def handle_endtag(s, t):
        if t == "p": s.in_dym = False
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print(p.found or "")
EOF
}
# absolute URL of a relative link found on page $1
resolve() { python3 -c 'import sys,urllib.parse; print(urllib.parse.urljoin(sys.argv[1], sys.argv[2]))' "$1" "$2"; }
hits() { grep -c '<li class="hit">' "$1"; }
# a PNG of the given width, at least min_height tall, not blank
png_ok() {
    python3 - "$1" "$2" <<'EOF'
import sys, struct, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert w == int(sys.argv[2]), (w, h)
assert len(data) > 20000, "too small to hold a page"
EOF
}

# a results page
chrome --dump-dom "$U?q=can+tho" >"$T/p1.html"
check "results page: loaded in chromium" grep -q 'Có phải bạn muốn tìm' "$T/p1.html"
check "results page: 3 hits" test "$(hits "$T/p1.html")" = 3
check "results page: snippets highlighted" grep -q '<mark>Cần</mark>' "$T/p1.html"

# follow the next-page link
next=$(link_in "$T/p1.html" next)
check "next-page link found" test -n "$next"
chrome --dump-dom "$(resolve "$U?q=can+tho" "$next")" >"$T/p2.html"
check "next page: loaded" grep -q '<ol class="hits" start="4">' "$T/p2.html"
check "next page: page 2 is current" grep -q '<strong aria-current="page">2</strong>' "$T/p2.html"
check "next page: other hits" bash -c "[ \"\$(grep -o 'related=[0-9]*' '$T/p1.html' | sort -u)\" != \"\$(grep -o 'related=[0-9]*' '$T/p2.html' | sort -u)\" ]"

# follow the did-you-mean link
dym=$(link_in "$T/p1.html" dym)
check "did-you-mean link found" test "$dym" = "?q=C%E1%BA%A7n+Th%C6%A1"
chrome --dump-dom "$(resolve "$U?q=can+tho" "$dym")" >"$T/p3.html"
check "did-you-mean: the accented query" grep -q 'value="Cần Thơ"' "$T/p3.html"
check "did-you-mean: results" test "$(hits "$T/p3.html")" -ge 1

# the chips' × as laid out: targets of 24 by 24 CSS pixels at least
# (WCAG 2.2, 2.5.8).  The page forbids scripts: a copy of it, served as
# a file with a script that writes their boxes into the DOM, is measured.
curl -s "$U?q=can+tho&section=Th%E1%BB%9Di+s%E1%BB%B1&from=2023" |
    sed 's|</body>|<script>document.body.setAttribute("data-boxes", JSON.stringify([...document.querySelectorAll(".chips a")].map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height]; })))</script></body>|' >"$T/chips.html"
chrome --dump-dom "file://$T/chips.html" >"$T/chips-dom.html"
check "chips: each × at least 24 by 24 px" python3 - "$T/chips-dom.html" <<'EOF'
import html, json, re, sys
m = re.search(r'data-boxes="([^"]*)"', open(sys.argv[1], encoding="utf-8").read())
boxes = json.loads(html.unescape(m.group(1))) if m else []
print("# boxes:", boxes)
sys.exit(0 if len(boxes) == 2 and all(w >= 24 and h >= 24 for w, h in boxes) else 1)
EOF

# screenshots: desktop, phone, no results
rm -f "$B/screenshot.png" "$B/screenshot-narrow.png" "$B/screenshot-empty.png"
chrome --screenshot="$B/screenshot.png" --window-size=1280,1000 "$U?q=can+tho" >/dev/null
check "screenshot: $B/screenshot.png" png_ok "$B/screenshot.png" 1280
chrome --screenshot="$B/screenshot-narrow.png" --window-size=390,1600 \
    "$U?q=b%C3%A3o&section=Th%E1%BB%9Di+s%E1%BB%B1" >/dev/null
check "screenshot (phone): $B/screenshot-narrow.png" png_ok "$B/screenshot-narrow.png" 390
chrome --screenshot="$B/screenshot-empty.png" --window-size=1280,800 "$U?q=%C4%90%E1%BA%AFk+L%E1%BA%AFk" >/dev/null
check "screenshot (no results): $B/screenshot-empty.png" png_ok "$B/screenshot-empty.png" 1280

# the policy forbids scripts but must let the page's own style through
check "no Content-Security-Policy refusals" bash -c "! grep -qi 'Content Security Policy\|Refused to' '$T/console.log'"
check "no errors from the CGI" bash -c "! grep -q . '$T/cgi.log'"

done_testing
