#!/usr/bin/env bash
# make install / uninstall with PREFIX and DESTDIR.
. "$(dirname "$0")/lib.sh"
make -s -C "$TOP" BUILD="$B" install PREFIX=/usr DESTDIR="$T/dest" >"$T/log" 2>&1
check "make install succeeds" test $? -eq 0
for p in timtin-corpus timtin-index timtin-search timtin-tokenize; do
    check "installed $p runs" "$T/dest/usr/bin/$p" --version
done
make -s -C "$TOP" BUILD="$B" uninstall PREFIX=/usr DESTDIR="$T/dest" >>"$T/log" 2>&1
check "make uninstall removes the programs" bash -c "! ls '$T/dest/usr/bin/'timtin-* 2>/dev/null | grep -q ."
check "make uninstall removes the data" test ! -e "$T/dest/usr/share/timtin"

done_testing
