#!/usr/bin/env bash
# timtin.cgi's feed and refusals as a program reads them, the CGI run from
# the shell (no server): articles with HTML in their title and text reach
# a feed reader as text (the RSS parsed as XML, then its titles and
# descriptions as HTML), links are not changed, the refusals of a
# request too large (414, 413) come in the JSON it asks for, and each
# kind of answer has the Cache-Control docs/WEB.md gives it.
. "$(dirname "$0")/lib.sh"
[ -x "$B/timtin.cgi" ] || { fail "build: $B/timtin.cgi missing"; exit 1; }
python3 - >"$T/a.jsonl" <<'EOF'
import json
arts = [
    {"id": "h1", "title": "ngập lụt <b>bold</b> & co",
     "sapo": "ngập lụt <script>alert(1)</script> a < b & c",
     "published": "2023-06-15T08:15:00+07:00", "url": "https://ex.vn/h1"},
    {"id": "u1", "title": "ngập lụt link", "published": "2023-06-14T08:15:00+07:00",
     "url": "https://ex.vn/a\ufffeb/ngập-lụt?x=1&y=%41"},
]
for a in arts:
    print(json.dumps(a, ensure_ascii=False))
EOF
C=$T/corpus; D=$T/db
"$B/timtin-corpus" --corpus "$C" import --quiet "$T/a.jsonl"
"$B/timtin-index" --corpus "$C" --db "$D" --quiet --no-sync

# cgi QUERY_STRING: the CGI's answer (headers and body) in $T/out
cgi() {
    TIMTIN_DB=$D REQUEST_METHOD=GET QUERY_STRING=$1 "$B/timtin.cgi" >"$T/out"
}
# the body of $T/out in $T/b
body() { python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.stdout.buffer.write(d.split(b"\r\n\r\n",1)[1])' "$T/out" >"$T/b"; }
# feed_text PATH WANT [TAGS]: the element at PATH of the feed in $T/b,
# read as XML and its text then as HTML (as a reader renders it), shows
# WANT, with no HTML element but those in TAGS (comma-separated)
feed_text() {
    python3 - "$T/b" "$@" <<'EOF'
import sys, xml.etree.ElementTree as E
from html.parser import HTMLParser
path, want = sys.argv[2], sys.argv[3]
allowed = set(filter(None, (sys.argv[4] if len(sys.argv) > 4 else "").split(",")))
class P(HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True); s.tags = []; s.text = ""
    def handle_starttag(s, t, a): s.tags.append(t)
    def handle_startendtag(s, t, a): s.tags.append(t)
    def handle_data(s, d): s.text += d
el = E.parse(sys.argv[1]).getroot().find(path)
assert el is not None, "no " + path
p = P(); p.feed(el.text or ""); p.close()
bad = [t for t in p.tags if t not in allowed]
assert not bad, "markup %s in %r" % (bad, el.text)
assert p.text == want, "%r shows %r, not %r" % (el.text, p.text, want)
EOF
}

# feed_plain PATH WANT: the element at PATH of the feed in $T/b is the
# plain text WANT, its &, < and > written as the hexadecimal references
# the RSS Best Practices Profile advises for plain text (no &lt;: a
# reader that renders titles as HTML would take it for markup, one that
# does not would show "&lt;")
feed_plain() {
    python3 - "$T/b" "$@" <<'EOF'
import sys, re, xml.etree.ElementTree as E
path, want = sys.argv[2], sys.argv[3]
el = E.parse(sys.argv[1]).getroot().find(path)
assert el is not None, "no " + path
assert el.text == want, "%r, not %r" % (el.text, want)
raw = open(sys.argv[1], encoding="utf-8").read()
tag = path.split("/")[-1]
for m in re.finditer("<%s>([^<]*)</%s>" % (tag, tag), raw):
    assert not re.search("&(amp|lt|gt);", m.group(1)), m.group(1)
EOF
}

cgi 'q=ng%E1%BA%ADp+l%E1%BB%A5t&format=rss'; body
check "rss: item title is plain text, & < > as hexadecimal references" feed_plain channel/item/title 'ngập lụt <b>bold</b> & co'
check "rss: item description is text, not markup (matches in <mark>)" feed_text channel/item/description 'ngập lụt <script>alert(1)</script> a < b & c' mark
cgi 'q=%3Ci%3Eng%E1%BA%ADp+%26amp%3B&format=rss'; body
check "rss: channel title is the query as typed, plain text" feed_plain channel/title '<i>ngập &amp; – Tìm tin'
check "rss: channel description shows the query as typed" feed_text channel/description 'Tin mới nhất cho «<i>ngập &amp;» – Tìm kiếm tin tức tiếng Việt'
# item_link GUID WANT: the link of the item GUID in $T/b is WANT, and
# decodes (percent-decoding is all a reader may do to it) to the URL the
# corpus holds
item_link() {
    python3 - "$T/b" "$@" "$T/a.jsonl" <<'EOF'
import json, sys, urllib.parse, xml.etree.ElementTree as E
guid, want = sys.argv[2], sys.argv[3]
url = {a["id"]: a.get("url") for a in map(json.loads, open(sys.argv[4], encoding="utf-8"))}[guid]
for it in E.parse(sys.argv[1]).getroot().iter("item"):
    if it.findtext("guid") == guid:
        link = it.findtext("link")
        assert link == want, "link %r, not %r" % (link, want)
        # (the URL's own %41 stays: decode only what the feed encoded)
        assert urllib.parse.unquote(link.replace("%41", "%2541")) == url, link
        sys.exit(0)
sys.exit("no item " + guid)
EOF
}
cgi 'q=ng%E1%BA%ADp+l%E1%BB%A5t&format=rss'; body
check "rss: a link with U+FFFE and accents is percent-encoded, not changed" item_link u1 'https://ex.vn/a%EF%BF%BEb/ng%E1%BA%ADp-l%E1%BB%A5t?x=1&y=%41'
check "rss: an ASCII link as it is" item_link h1 'https://ex.vn/h1'

# json_error STATUS: $T/out is a JSON error with that status
json_error() {
    python3 - "$T/out" "$1" <<'EOF'
import json, sys
head, body = open(sys.argv[1], "rb").read().split(b"\r\n\r\n", 1)
head = head.decode().split("\r\n")
assert head[0].startswith("Status: " + sys.argv[2]), head[0]
assert "Content-Type: application/json" in head, head
assert json.loads(body)["error"]["status"] == int(sys.argv[2]), body
EOF
}
long=$(printf 'a%.0s' $(seq 17000))
cgi "q=a&format=json&x=$long"
check "414: format=json before the cut gets JSON" json_error 414
cgi "x=$long&format=json"
check "414: format=json at the end gets JSON" json_error 414
cgi "q=a&x=$long"
check "414: without format, HTML" grep -q '^Content-Type: text/html' "$T/out"
TIMTIN_DB=$D REQUEST_METHOD=POST QUERY_STRING=format=json CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=20000 "$B/timtin.cgi" </dev/null >"$T/out"
check "413: format=json in the query string gets JSON" json_error 413

# cache_is ROW [METHOD [QUERY_STRING [BODY]]]: the CGI's Cache-Control is
# the one of the row of WEB.md's table that starts with ROW
cache_is() {
    local want got body=${4:-}
    want=$(python3 - "$TOP/docs/WEB.md" "$1" <<'EOF'
import re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("| " + sys.argv[2]):
        print(re.findall(r"`([^`]*)`", line.rstrip().rstrip("|").rsplit("|", 1)[1])[0])
        break
EOF
)
    printf %s "$body" | TIMTIN_DB=$D REQUEST_METHOD=${2:-GET} QUERY_STRING=${3:-} \
        CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=${#body} \
        "$B/timtin.cgi" >"$T/out"
    got=$(grep -a -m1 '^Cache-Control: ' "$T/out" | tr -d '\r')
    [ -n "$want" ] && [ "$got" = "Cache-Control: $want" ] || { echo "# WEB.md: '$want', sent: '$got'"; return 1; }
}
q=q=ng%E1%BA%ADp
check "cache: results page as WEB.md says" cache_is "a results page" GET "$q"
check "cache: a search that found nothing as WEB.md says" cache_is "a results page" GET "q=zzqxqzz"
check "cache: JSON as WEB.md says" cache_is "a results page" GET "$q&format=json"
check "cache: RSS as WEB.md says" cache_is "the RSS feed" GET "$q&format=rss"
check "cache: home page as WEB.md says" cache_is "the home page" GET ""
check "cache: OpenSearch as WEB.md says" cache_is "the OpenSearch description" GET "format=opensearch"
check "cache: an error as WEB.md says" cache_is "an error" GET "$q&page=abc"
check "cache: a JSON error as WEB.md says" cache_is "an error" GET "format=json"
check "cache: a POST as WEB.md says" cache_is "an error" POST "" "$q"

done_testing
