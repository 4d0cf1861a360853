#!/usr/bin/env bash
# timtin-tokenize, the command line: token lines and their columns, byte
# offsets across input lines, NFC/NFD and tone placement, invalid UTF-8,
# --segment with the built-in lexicon and with user dictionaries, and the
# documented exit statuses.
. "$(dirname "$0")/lib.sh"
tok=$B/timtin-tokenize

# field LINE_NO FIELD_NO: one field of the token output in $T/out
field() { awk -F'\t' -v l="$1" -v f="$2" 'NR == l { print $f }' "$T/out"; }

printf 'Cần Thơ mưa lớn\nHoà bình, ĐÀ NẴNG 90%%\n' | "$tok" >"$T/out"
check "exit status 0 on text" test $? -eq 0
check "one token a line, seven tab-separated columns" \
    test "$(awk -F'\t' 'NF && NF != 7' "$T/out" | wc -l)" -eq 0
check "an empty line ends each input line's tokens" \
    test "$(grep -c '^$' "$T/out")" -eq 2
check "original, norm and fold of an accented capitalised word" \
    test "$(head -n1 "$T/out")" = "$(printf 'Cần\tcần\tcan\t0\t5\tword\tCS~')"
check "offsets are bytes into the whole input, across lines" \
    test "$(field 6 4)-$(field 6 5)" = "22-26"
check "tone placement normalised (Hoà -> hòa), folded to hoa" \
    test "$(field 6 2)/$(field 6 3)" = "hòa/hoa"
check "all caps: lower-case norm, đ folds to d, flags CAS~" \
    test "$(field 9 2)/$(field 9 3)/$(field 9 7)" = "đà/da/CAS~"
check "kinds: punctuation and numbers" \
    test "$(field 8 6)/$(field 11 6)" = "punct/number"

# dates and times: one norm whatever the spelling, the original as written
printf '22-9 10:30 10g30 07:00\n' | "$tok" >"$T/out"
check "a date and times in one form: 22/9, 10h30, 7h" \
    test "$(awk -F'\t' 'NF { print $2 }' "$T/out" | paste -sd' ')" = "22/9 10h30 10h30 7h"
check "a time keeps its original column and kind" \
    test "$(field 2 1)/$(field 2 6)" = "10:30/time"

# i and y: one spelling (i; y after qu), the original kept as written
printf 'Kỹ thuật quí Mỹ ý\n' | "$tok" >"$T/out"
check "a rhyme y after an initial: norm and fold with i (Kỹ -> kĩ/ki)" \
    test "$(field 1 1)/$(field 1 2)/$(field 1 3)" = "Kỹ/kĩ/ki"
check "after qu: y (quí -> quý/quy); y alone stays (ý)" \
    test "$(field 3 2)/$(field 3 3)/$(field 4 2)/$(field 5 2)" = "quý/quy/mĩ/ý"

# decomposed input: the same norm as composed, the original kept as typed
printf 'Ca\xcc\x80n Tho\xcc\x9b\r\n' | "$tok" >"$T/out"
check "NFD input gives the NFC norm" test "$(field 1 2)/$(field 2 2)" = "càn/thơ"
check "the original column keeps the input's bytes" \
    test "$(field 1 1)" = "$(printf 'Ca\xcc\x80n')"
check "a CR before the newline is not a token" \
    test "$(grep -c . "$T/out")" -eq 2

# invalid UTF-8: read as U+FFFD, the output stays valid
printf 'a\xffb c\n' | "$tok" >"$T/out"
check "invalid UTF-8 is not an error" test $? -eq 0
check "invalid UTF-8: output is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$T/out" -o /dev/null
check "invalid byte becomes a U+FFFD symbol at its own offsets" \
    test "$(field 2 1)/$(field 2 4)/$(field 2 5)/$(field 2 6)" = "$(printf '\xef\xbf\xbd')/1/2/symbol"

# --segment
seg_of() { printf '%s\n' "$1" | "$tok" --segment "${@:2}"; }
check "segment: lexicon words and names joined with _" \
    test "$(seg_of 'thành phố Hồ Chí Minh mưa lớn hôm nay')" = "thành_phố_Hồ_Chí_Minh mưa lớn hôm_nay"
check "segment: numbers with units and months whole, punctuation apart" \
    test "$(seg_of 'Giá tăng 90% trong tháng 9, thêm 10 triệu đồng.')" = "Giá tăng 90% trong tháng_9 , thêm 10_triệu đồng ."
printf 'x\xff y\n' | "$tok" --segment >"$T/out"
check "segment: invalid UTF-8 replaced, output valid" \
    test "$(cat "$T/out")" = "$(printf 'x \xef\xbf\xbd y')"
printf '# a comment\nmưa lớn\n\nhôm_nay\n' >"$T/dict"
check "segment --dict: the user's words, the built-in common words set aside" \
    test "$(seg_of 'thành phố Hồ Chí Minh mưa lớn hôm nay' --dict "$T/dict")" = "thành_phố_Hồ_Chí_Minh mưa_lớn hôm_nay"
printf 'mưa lớn\n' >"$T/dict2"
check "segment --dict: a common word the dictionary lacks is not joined" \
    test "$(seg_of 'mưa lớn hôm nay' --dict "$T/dict2")" = "mưa_lớn hôm nay"
printf 'tỷ giá hối đoái\n' >"$T/dict3"
check "segment --dict: a word in the other i/y spelling is the word" \
    test "$(seg_of 'tỉ giá hối đoái tăng' --dict "$T/dict3")" = "tỉ_giá_hối_đoái tăng"
check "segment: both i/y spellings of a built-in word alike" \
    test "$(seg_of 'kĩ thuật và kỹ thuật')" = "kĩ_thuật và kỹ_thuật"
check "segment --add-dict: both the built-in and the user's words" \
    test "$(seg_of 'mưa lớn hôm nay' --add-dict "$T/dict2")" = "mưa_lớn hôm_nay"
check "segment --no-lexicon: only the rule for names joins" \
    test "$(seg_of 'mưa lớn hôm nay ở Cần Thơ' --no-lexicon)" = "mưa lớn hôm nay ở Cần_Thơ"
check "segment --no-lexicon --dict: the dictionary's words" \
    test "$(seg_of 'mưa lớn hôm nay' --no-lexicon --dict "$T/dict")" = "mưa_lớn hôm_nay"
check "segment: one output line per input line, empty lines kept" \
    test "$(printf 'a\n\nb\n' | "$tok" --segment | wc -l)" -eq 3

# exit statuses and messages
echo x | "$tok" --segment --dict "$T/missing" >/dev/null 2>"$T/err"
check "unreadable --dict: exit 1" test $? -eq 1
check "unreadable --dict: the message names the file" grep -q "$T/missing" "$T/err"
echo x | "$tok" --bogus >/dev/null 2>"$T/err"
check "unknown option: exit 2" test $? -eq 2
check "unknown option: named, with the usage" \
    bash -c "grep -q -- \"'--bogus'\" '$T/err' && grep -q '^usage:' '$T/err'"
echo x | "$tok" --dict >/dev/null 2>&1
check "--dict without a file: exit 2" test $? -eq 2
# the lexicon options act on --segment only: refused without it, even
# with a file that cannot be read (it used to be ignored, exit 0)
for args in "--dict $T/dict" "--dict=$T/missing" "--add-dict $T/missing" --no-lexicon; do
    # shellcheck disable=SC2086
    echo x | "$tok" $args >"$T/out" 2>"$T/err"; rc=$?
    check "${args%%[ =]*} without --segment: exit 2, said" \
        bash -c "test $rc -eq 2 && grep -qx 'timtin-tokenize: ${args%%[ =]*} needs --segment (try --help)' '$T/err' && ! grep -q . '$T/out'"
done
if [ -w /dev/full ]; then
    for args in "" --segment --help --version; do
        # shellcheck disable=SC2086
        echo x | "$tok" $args >/dev/full 2>"$T/err"; rc=$?
        check "write error ($args): exit 1, said" \
            bash -c "test $rc -eq 1 && grep -qx 'timtin-tokenize: error writing standard output: No space left on device' '$T/err'"
    done
fi
check "--help: exit 0, usage on stdout" bash -c "'$tok' --help | grep -q '^usage: timtin-tokenize'"
check "--version names the Unicode version" bash -c "'$tok' --version | grep -q '^timtin-tokenize .*(Unicode [0-9.]*)'"

done_testing
