#!/usr/bin/env bash
# The deployment recipes of docs/WEB.md, taken from the doc itself and run
# on 127.0.0.1 (free ports), paths moved into a temporary directory:
# lighttpd with the CGI and with FastCGI; nginx with fcgiwrap, with
# spawn-fcgi, with timtin.cgi --listen on 127.0.0.1:PORT and on a socket
# path; the systemd units checked by systemd-analyze.  Each must serve
# the page at /tim and at no other URL (/timeline.html is a static file),
# with the server's port in the feed's links.  As root, the users are
# real: nginx runs as www-data, timtin.cgi as nobody (the recipes' timtin),
# so a socket nginx may not open fails as it would in production.  The
# nginx recipes need nginx, fcgiwrap and spawn-fcgi, which
# scripts/install-deps.sh leaves out (Debian's nginx starts a server on
# port 80 when installed).
. "$(dirname "$0")/lib.sh"
command -v lighttpd >/dev/null || skip "lighttpd not installed (scripts/install-deps.sh test)"
command -v curl >/dev/null || skip "curl not installed"
[ -x "$B/timtin.cgi" ] || { fail "build: $B/timtin.cgi missing"; exit 1; }
DOC=$TOP/docs/WEB.md
D=$T/db
"$B/timtin-corpus" --corpus "$T/corpus" import --quiet "$TOP/corpus/samples/articles.jsonl"
"$B/timtin-index" --corpus "$T/corpus" --db "$D" --quiet --no-sync
printf 'per_page = 3\n' >"$T/web.conf"
mkdir -p "$T/www"
echo static >"$T/www/timeline.html"
echo fstatic >"$T/www/ftimeline.html"
# the recipes' users: nginx's (www-data) and the db's (timtin)
if [ "$(id -u)" = 0 ] && id www-data >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    WEBU=www-data WEBG=$(id -gn www-data) DBU=nobody DBG=$(id -gn nobody)
    chmod 755 "$T" # the db and the sockets' directories, for both
    # setpriv execs (runuser would fork): each daemon stays the test's child
    as_web=(setpriv --reuid="$WEBU" --regid="$WEBG" --init-groups)
    as_db=(setpriv --reuid="$DBU" --regid="$DBG" --init-groups)
else
    WEBU=$(id -un) WEBG=$(id -gn) DBU=$WEBU DBG=$WEBG
    as_web=() as_db=()
fi

# recipe HEADING N: the Nth fenced block under the heading HEADING
recipe() {
    python3 - "$DOC" "$1" "$2" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
at, want, n, block = lines.index(sys.argv[2]) + 1, int(sys.argv[3]), 0, None
for line in lines[at:]:
    if line.startswith("```"):
        if block is None:
            block = []
            continue
        n += 1
        if n == want:
            print("\n".join(block))
            sys.exit(0)
        block = None
    elif block is not None:
        block.append(line)
    elif line.startswith("#"):
        break
sys.exit("no block %d under %s" % (want, sys.argv[2]))
EOF
}
# place RUN: a recipe from standard input with its paths in $T (RUN for
# /run) and its users the test's
place() {
    sed -e "s#-u timtin -g timtin#-u $DBU -g $DBG#" -e "s#-o timtin #-o $DBU #" \
        -e "s#www-data#$WEBU#g" -e "s#-G $WEBU#-G $WEBG#" -e "s#-g $WEBU #-g $WEBG #" \
        -e "s#/usr/local/bin/timtin.cgi#$B/timtin.cgi#g" -e "s#/srv/timtin/db#$D#g" \
        -e "s#/etc/timtin/web.conf#$T/web.conf#g" -e "s#/run/#$1/#g" \
        -e "s#\([ ;]\)timtin.cgi #\1$B/timtin.cgi #g"
}

# daemon CMD...: CMD in the background, stopped at the end; CMD execs
# the daemon (setpriv, execs), so that the test reaps it
daemon() {
    "$@" &
    on_exit "kill $! 2>/dev/null; wait $! 2>/dev/null"
}
# execs: a recipe's shell lines that exec the daemon they start (spawn-fcgi
# not forking, -n), for daemon
execs() {
    sed -e 's#\([^ ]*timtin.cgi --listen\)#exec \1#' -e 's#spawn-fcgi #exec spawn-fcgi -n #'
}

# serves NAME URL: the page at URL (.../tim) and only there
serves() {
    local n=$1 u=$2 base=${2%/tim}
    check "$n: the page" bash -c "curl -s '$u' | grep -q 'class=\"home\"'"
    check "$n: a search" bash -c "curl -s '$u?q=can+tho' | grep -q '<mark>'"
    check "$n: POST" test "$(curl -s -o /dev/null -w '%{http_code}' --data q=can+tho "$u")" = 200
    check "$n: the feed's link keeps the port" bash -c "curl -s '$u?q=can+tho&format=rss' | grep -qF '<link>$u?q=can+tho&amp;sort=date</link>'"
    check "$n: the OpenSearch template" bash -c "curl -s '$u?format=opensearch' | grep -qF 'template=\"$u?q={searchTerms}\"'"
    check "$n: /timeline.html is not the page" test "$(curl -s "$base/timeline.html")" = static
    check "$n: /ftimeline.html is not the page" test "$(curl -s "$base/ftimeline.html")" = fstatic
    check "$n: /tim/x is not the page" outputs_no 'class="home"' curl -s "$u/x"
}

# ---- lighttpd: a server per recipe
lighttpd_recipe() { # NAME HEADING
    local port dir=$T/$1
    port=$(free_port)
    mkdir -p "$dir/run/lighttpd"
    { cat <<EOF
server.document-root = "$T/www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$dir/error.log"
server.breakagelog = "$dir/cgi.log"
EOF
      recipe "$2" 1 | place "$dir/run"; } >"$dir/lighttpd.conf"
    daemon lighttpd -D -f "$dir/lighttpd.conf" 2>"$dir/stderr"
    if wait_for curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        serves "$1" "http://127.0.0.1:$port/tim"
    else
        fail "$1: lighttpd did not start: $(cat "$dir/stderr" "$dir/error.log" 2>/dev/null | head -3)"
    fi
}
lighttpd_recipe "lighttpd CGI" "### lighttpd, CGI"
lighttpd_recipe "lighttpd FastCGI" "### lighttpd, FastCGI"

# ---- nginx: one server, a port per recipe
if ! command -v nginx >/dev/null || ! command -v fcgiwrap >/dev/null ||
   ! command -v spawn-fcgi >/dev/null || [ ! -e /etc/nginx/fastcgi_params ]; then
    skip "nginx, fcgiwrap or spawn-fcgi not installed: the nginx recipes not run"
fi
N=$T/nginx
mkdir -p "$N/tmp" "$T/r1" "$T/r2" "$T/r4"
servers=""
# server PORT LOCATION: a server block with the recipe's location
server() {
    servers+="server {
    listen 127.0.0.1:$1;
    root $T/www;
$(sed -e 's#include fastcgi_params;#include /etc/nginx/fastcgi_params;#' <<<"$2")
}
"
}

# fcgiwrap: a CGI per request, run as nginx's user
chown "$WEBU" "$T/r1"
daemon "${as_web[@]}" fcgiwrap -s "unix:$T/r1/fcgiwrap.socket"
P1=$(free_port)
server "$P1" "$(recipe '### nginx' 1 | place "$T/r1")"

# spawn-fcgi, run as root when the test is; -n (no fork) so that
# timtin.cgi is the test's child
daemon sh -c "$(recipe '### nginx' 2 | place "$T/r2" | execs)"
spawned=$!
check "spawn-fcgi: the socket is nginx's user's alone" wait_for bash -c "[ \"\$(stat -c '%U %a' '$T/r2/timtin/fcgi.sock')\" = '$WEBU 600' ]"
check "spawn-fcgi: timtin.cgi runs as the db's user ($DBU)" bash -c "[ \"\$(ps -o user=,comm= -p $spawned | xargs)\" = '$DBU timtin.cgi' ]"
P2=$(free_port)
server "$P2" "$(recipe '### nginx' 3 | place "$T/r2")"

# timtin.cgi --listen 127.0.0.1:PORT, with fastcgi_pass 127.0.0.1:PORT
FP=$(free_port)
line=$(recipe '### nginx' 5 | place "$T/r3" | sed "s/127.0.0.1:9000/127.0.0.1:$FP/")
check "--listen: the recipe is on 127.0.0.1" grep -q -- "--listen 127.0.0.1:$FP\( \|\$\)" <<<"$line"
daemon sh -c "$(execs <<<"$line")"
P3=$(free_port)
server "$P3" "$(recipe '### nginx' 3 | sed "s#unix:/run/timtin/fcgi.sock#127.0.0.1:$FP#")"

# timtin.cgi --listen on a socket path, in the directory the recipe makes
recipe '### nginx' 6 | place "$T/r4" >"$T/listen-unix.sh"
sh -c "$(sed -n 1p "$T/listen-unix.sh")"
daemon "${as_db[@]}" sh -c "$(sed -n 2p "$T/listen-unix.sh" | execs)"
P4=$(free_port)
server "$P4" "$(recipe '### nginx' 3 | place "$T/r4")"

{ [ "$(id -u)" = 0 ] && echo "user $WEBU;"
  cat <<EOF
pid $N/nginx.pid;
error_log $N/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $N/tmp/body;
    fastcgi_temp_path $N/tmp/fastcgi;
    proxy_temp_path $N/tmp/proxy;
    scgi_temp_path $N/tmp/scgi;
    uwsgi_temp_path $N/tmp/uwsgi;
$servers}
EOF
} >"$N/nginx.conf"
daemon nginx -p "$N" -e "$N/error.log" -c "$N/nginx.conf" -g 'daemon off;' 2>"$N/stderr"
wait_for curl -s -o /dev/null "http://127.0.0.1:$P4/" || { fail "nginx did not start"; cat "$N/stderr" "$N/error.log"; exit 1; }
wait_for test -S "$T/r1/fcgiwrap.socket"
wait_for curl -sf -o /dev/null "http://127.0.0.1:$P3/tim"
wait_for test -S "$T/r4/timtin/fcgi.sock"
serves "nginx fcgiwrap" "http://127.0.0.1:$P1/tim"
serves "nginx spawn-fcgi" "http://127.0.0.1:$P2/tim"
serves "nginx --listen 127.0.0.1:PORT" "http://127.0.0.1:$P3/tim"
serves "nginx --listen PATH" "http://127.0.0.1:$P4/tim"
check "--listen PATH: the socket's group is nginx's, and may write" bash -c "[ \"\$(stat -c '%G %A' '$T/r4/timtin/fcgi.sock')\" = '$WEBG srwxrwx---' ]"

# ---- systemd: the units are well-formed
if command -v systemd-analyze >/dev/null; then
    mkdir -p "$T/units"
    recipe '### nginx' 4 | place "$T/r5" | awk -v d="$T/units" '
        /^# \/etc\/systemd\/system\// { f = d "/" substr($2, 21); next }
        f { print > f }'
    check "systemd: timtin.socket and timtin.service verify" bash -c "
        [ -s '$T/units/timtin.socket' ] && [ -s '$T/units/timtin.service' ] &&
        systemd-analyze verify '$T/units/timtin.socket' '$T/units/timtin.service' 2>'$T/verify.log' &&
        ! grep -v 'Special user' '$T/verify.log' | grep -q ."
fi

done_testing
