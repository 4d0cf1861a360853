#!/usr/bin/env bash
# make install / uninstall with PREFIX and DESTDIR.
. "$(dirname "$0")/lib.sh"
# make install rebuilds what depends on PREFIX (the crawler's data
# directory): in a copy of the build, so that $B, built for the default
# PREFIX, is left as the other tests expect it; with the flags it was
# built with (make asan says them: TT_OPT, TT_SAN)
mkdir "$T/b" && cp -a "$B/obj" "$B/gen" "$B/libtimtin.a" "$B"/timtin[-.]* "$T/b/"
flags=()
[ -n "${TT_OPT:-}" ] && flags+=(OPT="$TT_OPT")
[ -n "${TT_SAN:-}" ] && flags+=(SAN="$TT_SAN")
make -s -C "$TOP" BUILD="$T/b" "${flags[@]}" install PREFIX=/usr DESTDIR="$T/dest" >"$T/log" 2>&1
check "make install succeeds" test $? -eq 0
for p in timtin-corpus timtin-index timtin-search timtin-tokenize; do
    check "installed $p runs" "$T/dest/usr/bin/$p" --version
done

# the crawler finds its installed profiles: where PREFIX says (built
# for /usr/local, installed with PREFIX=/usr: rebuilt), and beside the
# program (../share/timtin/profiles: installed under DESTDIR, moved)
cd "$T" || exit 1
"$T/dest/usr/bin/timtin-crawl" --dry-run --profile no-such-site 2>"$T/err"
check "installed crawler: looks in PREFIX/share/timtin/profiles" \
    grep -q '(looked in .*:/usr/share/timtin/profiles[:)]' "$T/err"
check "installed crawler: not in the default PREFIX's" \
    bash -c "! grep -q /usr/local/share/timtin '$T/err'"
check "installed crawler: looks beside the program" \
    grep -q "(looked in .*$T/dest/usr/bin/../share/timtin/profiles[:)]" "$T/err"
check "installed crawler: --help names PREFIX/share/timtin/profiles" \
    bash -c "'$T/dest/usr/bin/timtin-crawl' --help | grep -q /usr/share/timtin/profiles"
# an installed crawler looks in no source tree: not ./crawler/profiles
# (the working directory's), not BIN/../crawler/profiles (/usr/crawler)
check "installed crawler: not in ./crawler/profiles or beside BIN's parent" \
    bash -c "! grep -q 'crawler/profiles' '$T/err'"
check "installed crawler: --help names no source tree" \
    bash -c "! '$T/dest/usr/bin/timtin-crawl' --help | grep -q 'source tree'"
# the built crawler (in its build directory) finds the source tree's
# profiles from any working directory, and says so in --help
(cd / && "$B/timtin-crawl" --dry-run --profile no-such-site) 2>"$T/err.b"
check "built crawler: looks in the source tree's crawler/profiles, run from /" \
    grep -qF "$TOP/crawler/profiles" "$T/err.b"
check "built crawler: --help names the source tree's crawler/profiles" \
    grep -qF "$TOP/crawler/profiles" <("$B/timtin-crawl" --help)
# the profile found (no "no profile named"): the crawl goes on to the
# site (a port nothing listens on: it fails there)
port=$(free_port)
"$T/dest/usr/bin/timtin-crawl" --dry-run --profile tuoitre \
    --base-url "http://127.0.0.1:$port/" --retries 0 --robots-retry 0 \
    --retry-base 0 --max-pages 1 >/dev/null 2>"$T/err"
check "installed crawler: finds its profile under DESTDIR" \
    bash -c "! grep -q 'no profile' '$T/err' && grep -q '127.0.0.1:$port' '$T/err'"
cd "$TOP" || exit 1

# the lexicon and the abbreviations are compiled in: nothing reads them
check "make install: no lexicon or abbreviation file (compiled in)" \
    bash -c "! ls '$T/dest/usr/share/timtin/'*.txt 2>/dev/null | grep -q ."

# uninstall removes what install put there, not an operator's own profile
# in the same directory (one the crawler looks in)
echo "# mine" >"$T/dest/usr/share/timtin/profiles/mine.conf"
make -s -C "$TOP" BUILD="$T/b" uninstall PREFIX=/usr DESTDIR="$T/dest" >>"$T/log" 2>&1
check "make uninstall succeeds" test $? -eq 0
check "make uninstall removes the programs" bash -c "! ls '$T/dest/usr/bin/'timtin-* 2>/dev/null | grep -q ."
check "make uninstall removes the installed profiles" \
    test ! -e "$T/dest/usr/share/timtin/profiles/tuoitre.conf"
check "make uninstall keeps an operator's own profile" \
    grep -qx "# mine" "$T/dest/usr/share/timtin/profiles/mine.conf"
rm -f "$T/dest/usr/share/timtin/profiles/mine.conf"
make -s -C "$TOP" BUILD="$T/b" install PREFIX=/usr DESTDIR="$T/dest" >>"$T/log" 2>&1
make -s -C "$TOP" BUILD="$T/b" uninstall PREFIX=/usr DESTDIR="$T/dest" >>"$T/log" 2>&1
check "make uninstall removes the data directory left empty" \
    test ! -e "$T/dest/usr/share/timtin"
check "make uninstall leaves share/ (not its own)" test -d "$T/dest/usr/share"

# PREFIX and DESTDIR with white space and quotes (a Vietnamese path, an
# operator's "my apps"): installed where they say, found by the installed
# crawler, removed by uninstall, and nothing written or deleted elsewhere:
# not in the source tree, not the file named by PREFIX's first word
W=$T/w
mkdir -p "$W/u"
echo keep >"$W/u/my"; echo keep >"$W/de"
pre="$W/u/my tìm'\"x\""
dest="$W/de st"
top_before=$(ls -A "$TOP")
make -s -C "$TOP" BUILD="$T/b" "${flags[@]}" install PREFIX="$pre" DESTDIR="$dest" >"$T/log.q" 2>&1
check "PREFIX with a space and quotes, DESTDIR with a space: make install succeeds" test $? -eq 0
sed 's/^/# /' "$T/log.q" | head -5
check "... the programs are in DESTDIR/PREFIX/bin and run" "$dest$pre/bin/timtin-index" --version
check "... the profiles in DESTDIR/PREFIX/share/timtin/profiles" test -f "$dest$pre/share/timtin/profiles/tuoitre.conf"
check "... the crawler's --help names PREFIX/share/timtin/profiles, quotes and all" \
    grep -qF "$pre/share/timtin/profiles" <("$dest$pre/bin/timtin-crawl" --help)
check "... the installed crawler finds its profile" \
    "$dest$pre/bin/timtin-crawl" --check-profile --profile tuoitre
check "... nothing written in the source tree" test "$(ls -A "$TOP")" = "$top_before"
make -s -C "$TOP" BUILD="$T/b" "${flags[@]}" uninstall PREFIX="$pre" DESTDIR="$dest" >>"$T/log.q" 2>&1
check "... make uninstall succeeds" test $? -eq 0
empty_dir() { test -d "$1" && ! ls -A "$1" | grep -q .; }
check "... and removes the programs" empty_dir "$dest$pre/bin"
check "... and the data directory" test ! -e "$dest$pre/share/timtin"
check "... and deletes nothing else (DESTDIR's first word, a file, is kept)" grep -qx keep "$W/de"
# no DESTDIR: PREFIX's first word names an unrelated file, which uninstall
# must not delete
pre="$W/u/my apps"
make -s -C "$TOP" BUILD="$T/b" "${flags[@]}" install PREFIX="$pre" >"$T/log.q" 2>&1
check "PREFIX with a space: make install succeeds" test $? -eq 0 -a -x "$pre/bin/timtin-crawl"
make -s -C "$TOP" BUILD="$T/b" "${flags[@]}" uninstall PREFIX="$pre" >>"$T/log.q" 2>&1
check "... make uninstall succeeds" test $? -eq 0
check "... removing the programs" empty_dir "$pre/bin"
check "... and keeps the unrelated file named by PREFIX's first word" grep -qx keep "$W/u/my"
sed 's/^/# /' "$T/log.q" | head -5
# a relative PREFIX or DESTDIR would install into the source tree (make
# runs there): refused before anything is written or deleted
for v in PREFIX=rel/usr DESTDIR=rel "BINDIR=rel/bin" "DATADIR=rel/share"; do
    for goal in install uninstall; do
        make -s -C "$TOP" BUILD="$T/b" "${flags[@]}" $goal "$v" >"$T/log.r" 2>&1; rc=$?
        check "make $goal $v (relative): refused, saying so, nothing in the source tree" \
            bash -c "test $rc -ne 0 && grep -q 'absolute' '$T/log.r' && test ! -e '$TOP/rel'"
    done
done
check "nothing written in the source tree" test "$(ls -A "$TOP")" = "$top_before"

done_testing
