#!/usr/bin/env bash
# Permissions of the db.  A db the indexer swaps in (--compact, --full, the
# first bulk build into an empty directory, a year's db compacted) keeps
# the directory's group and mode, the set-group-ID bit too, and its files
# are readable by whom the directory is; a group the indexer's user is not
# in is a warning, not a failed run.  A searcher or a web page denied the
# db says "permission denied" and names what it may not read, without
# advising a rebuild; an indexer that may not write the db (its directory
# or a table read-only) says so before indexing, exit 5.  Run as root with setpriv, the indexer and the web
# server are users of their own; otherwise the current user indexes, in a
# group of its own.
. "$(dirname "$0")/lib.sh"
S=$TOP/corpus/samples/articles.jsonl
chmod 755 "$T"
W=$T/w; mkdir "$W"; D=$W/db; C=$W/corpus
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    IU=48990 WG=48933 # the indexer's user (and group), the web server's
    as_ix() { setpriv --reuid $IU --regid $IU --groups $WG "$@"; }
    as_ix_alone() { setpriv --reuid $IU --regid $IU --clear-groups "$@"; }
    as_web() { setpriv --reuid $WG --regid $WG --clear-groups "$@"; }
    NODIR=0700 NOFILE=0600 # denies the web server's user
    chown $IU:$IU "$W"
else
    echo "# not root, or no setpriv: one user, a group of its own"
    IU=$(id -u) WG=$(id -G | tr ' ' '\n' | grep -vx "$(id -g)" | head -1)
    WG=${WG:-$(id -g)}
    as_ix() { "$@"; }
    as_ix_alone() { "$@"; }
    as_web() { "$@"; }
    NODIR=0000 NOFILE=0200 # denies the owner
fi
index() { as_ix "$B/timtin-index" --corpus "$C" --db "$D" --no-sync --quiet "$@"; }
# perms PATH: "MODE GROUP" (MODE as stat %a: 2750)
perms() { stat -c '%a %g' "$1"; }
# files_are MODE GROUP DIR: every file in DIR (and its subdirectories)
# has MODE and GROUP
files_are() {
    local bad
    bad=$(find "$3" -type f ! \( -perm "$1" -group "$2" \) -printf '%p %m %g\n')
    [ -z "$bad" ] || { echo "# $bad"; return 1; }
}
readable_by_web() { as_web "$B/timtin-search" --db "$D" --limit 1 vua >/dev/null; }

as_ix "$B/timtin-corpus" --corpus "$C" import --quiet "$S"

# the first bulk build, into an empty directory made by someone else, of
# the web server's group, 2750
mkdir "$D"; chgrp "$WG" "$D"; chmod 2750 "$D"
index 2>"$T/err" || cat "$T/err"
check "first build: the directory's group and mode (2750) kept" \
    [ "$(perms "$D")" = "2750 $WG" ]
check "first build: the files of the directory's group, 640" files_are 640 "$WG" "$D"
[ "$(id -u)" = 0 ] && check "first build: the web server's user searches" readable_by_web

# an incremental run in the set-group-ID directory (Xapian rewrites its
# version file at each commit)
sed 's/"id": *"/&perms-/' "$S" | head -3 >"$T/more.jsonl"
as_ix "$B/timtin-corpus" --corpus "$C" import --quiet "$T/more.jsonl"
(umask 027; index)
[ "$(id -u)" = 0 ] && check "incremental run: the web server's user searches" readable_by_web

# --compact, and --full: swapped in with the old directory's group and
# mode; files readable as the directory says (o+r too for 2755)
index --compact
check "--compact: group and mode kept" [ "$(perms "$D")" = "2750 $WG" ]
check "--compact: the files 640, of the group" files_are 640 "$WG" "$D"
[ "$(id -u)" = 0 ] && check "--compact: the web server's user searches" readable_by_web
chmod 2755 "$D"
(umask 077; index --full)
check "--full: group and mode kept" [ "$(perms "$D")" = "2755 $WG" ]
check "--full: the files 644 (the directory's r bits), umask 077 or not" \
    files_are 644 "$WG" "$D"

# a db per year, built in place in a directory of the indexer's, of the
# web server's group: each year's db compacted keeps its group and mode
Y=$W/ydb
mkdir "$Y"; chown "$IU:$WG" "$Y"; chmod 2750 "$Y"
yindex() { as_ix "$B/timtin-index" --corpus "$C" --db "$Y" --shard-by year --no-sync --quiet "$@"; }
yreadable_by_web() { as_web "$B/timtin-search" --db "$Y" --limit 1 vua >/dev/null; }
yindex
chmod 2750 "$Y"/[0-9]*
yindex --compact
check "--shard-by year --compact: the years' modes kept" \
    [ "$(stat -c %a "$Y"/[0-9]* | sort -u)" = 2750 ]
check "--shard-by year --compact: every year's file of the group, 640" files_are 640 "$WG" "$Y"/[0-9]*
[ "$(id -u)" = 0 ] && check "--shard-by year --compact: the web server's user searches" yreadable_by_web
(umask 077; yindex --full)
check "--shard-by year --full: the top directory keeps its group and mode" \
    [ "$(perms "$Y")" = "2750 $WG" ]
check "--shard-by year --full: every file of the group, 640" files_are 640 "$WG" "$Y"
[ "$(id -u)" = 0 ] && check "--shard-by year --full: the web server's user searches" yreadable_by_web

# a group the indexer's user is not in: a warning, the run done
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    chmod 2750 "$D"
    as_ix_alone "$B/timtin-index" --corpus "$C" --db "$D" --no-sync --quiet --compact 2>"$T/err"
    check "not in the group: the compaction done (exit 0)" [ $? = 0 ]
    check "not in the group: a warning naming the group and the db" \
        grep -q "cannot give the new $D the group gid $WG" "$T/err"
    check "not in the group: the mode kept" [ "$(stat -c %a "$D")" = 2750 ]
    cat "$T/err"
    chgrp -R "$WG" "$D"
fi

# permission denied: said, the path named, no rebuild advice
deny() { # NAME EXIT CMD...: CMD fails with EXIT, saying permission denied
    local n=$1 want=$2 rc; shift 2
    "$@" >/dev/null 2>"$T/err"; rc=$?
    check "$n: exit $want" [ $rc = "$want" ]
    check "$n: says permission denied" grep -q "permission denied" "$T/err"
    check_not "$n: no rebuild advice" grep -q "rebuild" "$T/err"
    check_not "$n: not \"no database\"" grep -q "no database" "$T/err"
    cat "$T/err"
}
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
    done_testing; exit 0 # root reads everything
fi
chmod $NODIR "$D"
deny "directory unreadable: timtin-search" 3 as_web "$B/timtin-search" --db "$D" vua
check "directory unreadable: the directory named" grep -q "$D[: ]" "$T/err"
deny "directory unreadable: timtin.cgi" 3 as_web env TIMTIN_DB="$D" "$B/timtin.cgi" q=vua
chmod 2750 "$D"
chmod $NOFILE "$D/postlist.glass"
deny "a table unreadable: timtin-search" 3 as_web "$B/timtin-search" --db "$D" vua
check "a table unreadable: the table named" grep -q "$D/postlist.glass" "$T/err"
chmod 0640 "$D/postlist.glass"; chmod $NOFILE "$D/iamglass"
deny "the version file unreadable: timtin-search" 3 as_web "$B/timtin-search" --db "$D" vua
check "the version file unreadable: named" grep -q "$D/iamglass" "$T/err"
chmod 0640 "$D/iamglass"
# a db that cannot be written (its directory read-only, or a table):
# said before indexing, exit 5, nothing committed; the db unchanged
sed 's/"id": *"/&ro-/' "$S" | head -3 >"$T/ro.jsonl"
as_ix "$B/timtin-corpus" --corpus "$C" import --quiet "$T/ro.jsonl"
before=$(xapian-delve "$D" | grep -i revision)
chmod 0550 "$D"
deny "the db's directory read-only: timtin-index" 5 index
check "the db's directory read-only: the directory and the uid named" \
    grep -q "permission denied on $D for uid $IU" "$T/err"
check "the db's directory read-only: before indexing" grep -q "nothing indexed" "$T/err"
check "the db's directory read-only: nothing committed" \
    [ "$(xapian-delve "$D" | grep -i revision)" = "$before" ]
chmod 2750 "$D"
chmod 0440 "$D/termlist.glass"
deny "a table read-only: timtin-index" 5 index
check "a table read-only: the table and the uid named" \
    grep -q "uid $IU.*$D/termlist.glass" "$T/err"
chmod 0640 "$D/termlist.glass"
ndocs() { xapian-delve "$D" | sed -n 's/^number of documents = //p'; }
n0=$(ndocs)
check "writable again: the run indexes (exit 0)" index
check "writable again: the 3 articles added" [ "$(ndocs)" = $((n0 + 3)) ]
chmod 0040 "$D/postlist.glass" # not the owner's, the indexer's
deny "a table unreadable: timtin-index" 5 index
check "a table unreadable: timtin-index names it" grep -q "$D/postlist.glass" "$T/err"
chmod 0640 "$D/postlist.glass"
echo "auto $D" >"$W/stub"; chmod $NOFILE "$W/stub"
deny "a stub file unreadable: timtin-search" 3 as_web "$B/timtin-search" --db "$W/stub" vua
chmod $NODIR "$W"
deny "a directory above unreadable: timtin-search" 3 as_web "$B/timtin-search" --db "$D" vua
check "a directory above unreadable: named" grep -q "$W[: ]" "$T/err"
chmod 0755 "$W"
check "readable again: the web server's user searches" readable_by_web
done_testing
