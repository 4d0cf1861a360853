#!/usr/bin/env bash
# What the search page writes of an article's text, the CGI run on the
# command line (no server): stored control characters (C0 but tab and
# newline, DEL, C1) never reach the HTML, in the title, the snippet, the
# section, the related article's title or the search box; the text around
# them stays.  A zero-width joiner between emoji is kept (one family, not
# three people), in the snippet as in the title.
. "$(dirname "$0")/lib.sh"
for p in timtin-corpus timtin-index timtin-search timtin.cgi; do
    [ -x "$B/$p" ] || { fail "build: $B/$p missing"; exit 1; }
done
cat >"$T/a.jsonl" <<'EOF'
{"id": "ctl-1", "url": "https://example.vn/ctl-1", "title": "Tiêu\u0007 đề có\u009b ký tự điều khiển\u007f xctl", "sapo": "Sapo\u0001 mở đầu.", "authors": ["Tác\u001b giả"], "section": "Thời\u0002 sự", "body": ["Xin chào\u0007 bạn đọc\u001b[31m xctl."]}
{"id": "zwj-1", "url": "https://example.vn/zwj-1", "title": "Gia đình 👨‍👩‍👧 xemoji", "body": ["Gia đình 👨‍👩‍👧 xemoji, cờ 🏳️‍🌈, chữ vi\u200dệt."]}
EOF
"$B/timtin-corpus" --corpus "$T/c" import --quiet "$T/a.jsonl"
"$B/timtin-index" --corpus "$T/c" --db "$T/db" --quiet --no-sync
# page QUERY_STRING: the CGI's answer in $T/b
page() {
    REQUEST_METHOD=GET QUERY_STRING="$1" TIMTIN_DB="$T/db" SCRIPT_NAME=/t.cgi \
        SERVER_NAME=localhost SERVER_PORT=80 "$B/timtin.cgi" >"$T/b"
}
has() { grep -qF -- "$1" "$T/b"; }
# no control character in $T/b's body (the headers end in CR LF)
no_controls() {
    python3 - "$T/b" <<'EOF'
import re, sys
body = open(sys.argv[1], "rb").read().decode("utf-8").split("\r\n\r\n", 1)[1]
bad = re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f]", body)
sys.exit("controls: %r" % bad if bad else 0)
EOF
}

page 'q=xctl'
check "page: no control characters" no_controls
check "page: the title without them (its match marked)" has '>Tiêu đề có ký tự điều khiển <mark>xctl</mark></a>'
# (ESC between "đọc" and "[31m" stood between two words: a space, vn_clean)
check "page: the snippet without them" has '<p class="snip">Xin chào bạn đọc [31m <mark>xctl</mark>.</p>'
check "page: the section without them" has '>Thời sự</a>'
page 'q=zzz%07%1B%C2%9B'
check "search box: no control characters" no_controls
page 'related=ctl-1'
check "related: no control characters" no_controls
check "related: the article's title without them" has 'Tiêu đề có ký tự điều khiển xctl'
# the JSON snippet is the page's, cleaned once where it is cut
"$B/timtin-search" --db "$T/db" --json xctl >"$T/j"
check "json: the snippet without control characters" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["results"][0]["snippet"]
sys.exit(0 if s == "Xin chào bạn đọc [31m <mark>xctl</mark>." else s)' "$T/j"

FAMILY=$(printf '\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7')
FLAG=$(printf '\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88')
page 'q=xemoji'
check "zwj: the title keeps the family (its match marked)" has ">Gia đình $FAMILY <mark>xemoji</mark></a>"
check "zwj: the snippet keeps the family and the flag, not the joiner in a word" \
    has "<p class=\"snip\">Gia đình $FAMILY <mark>xemoji</mark>, cờ $FLAG, chữ việt.</p>"
"$B/timtin-search" --db "$T/db" --json xemoji >"$T/j"
check "zwj: the JSON snippet keeps the family" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["results"][0]["snippet"]
sys.exit(0 if s.startswith("Gia đình \U0001F468\u200d\U0001F469\u200d\U0001F467 ") else s)' "$T/j"
done_testing
