#!/usr/bin/env bash
# make demo: import the project's sample articles into a corpus, index them,
# and show a few searches with and without accents.  Everything is written
# under BUILD/demo.  Usage: scripts/demo.sh BUILD_DIR
set -euo pipefail
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/.." && pwd)
D=$B/demo
rm -rf "$D"; mkdir -p "$D"
bold=""; off=""
if [ -t 1 ]; then bold=$'\033[1m'; off=$'\033[0m'; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }

say "Importing the sample articles into a WARC corpus ($D/corpus)"
"$B/timtin-corpus" --corpus "$D/corpus" import "$TOP/corpus/samples/articles.jsonl"
say "Indexing"
"$B/timtin-index" --corpus "$D/corpus" --db "$D/db"
for q in "cần thơ" "can tho" "hoà bình" "bao so 9" "đường" "da nang"; do
    say "timtin-search --db $D/db --limit 3 '$q'"
    "$B/timtin-search" --db "$D/db" --limit 3 "$q" || true
done
say "Try it yourself:"
echo "  $B/timtin-search --db $D/db 'your query'"
