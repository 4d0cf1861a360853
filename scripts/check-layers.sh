#!/bin/sh
# Checks the dependency rule: a folder includes project headers only from
# its own layer or the layers below it (lib <- corpus <- crawler, indexer,
# searcher; lib <- searcher <- web), and each third-party header has one
# door.
cd "$(dirname "$0")/.." || exit 2
status=0
allowed() { # folder -> folders it may include from
    case $1 in
    lib) echo "lib" ;;
    corpus) echo "lib corpus" ;;
    crawler) echo "lib corpus crawler" ;;
    indexer) echo "lib corpus indexer" ;;
    searcher) echo "lib corpus searcher" ;;
    web) echo "lib searcher web" ;;
    esac
}
for d in lib corpus crawler indexer searcher web; do
    for f in $d/*.c $d/*.h $d/*.cc; do
        [ -e "$f" ] || continue
        for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
            home=""
            for l in lib corpus crawler indexer searcher web; do
                [ -e "$l/$h" ] && home=$l
            done
            [ -z "$home" ] && continue
            case " $(allowed $d) " in
            *" $home "*) ;;
            *) echo "layers: $f includes $home/$h (not allowed from $d/)"; status=1 ;;
            esac
        done
    done
done
door() { # header, the only file allowed to include it
    for f in $(grep -l "#include <$1" lib/* corpus/* crawler/* indexer/* searcher/* web/* 2>/dev/null); do
        case " $2 " in *" $f "*) ;; *) echo "layers: $f includes <$1> (only $2 may)"; status=1 ;; esac
    done
}
door xapian.h "lib/xap.cc"
door curl/ "crawler/fetch.c"
door zlib.h "corpus/warc.c corpus/warc_read.c"
door jansson.h "lib/json.c"
door utf8proc.h "lib/unicode.c"
door openssl/ "lib/sha1.c"
door libxml/ "crawler/dom.c"
door fcgi "web/main.c"
exit $status
