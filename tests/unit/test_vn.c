/* test_vn.c — unicode.c and vn.c: decoding, cleaning, normalisation, tone
 * placement, folding and tokenisation. */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "unicode.h"
#include "vn.h"

/* norm of a string through the query-side entry point */
static char *norm(const char *s)
{
    sbuf b = {0};
    vn_norm(s, strlen(s), &b);
    return sbuf_detach(&b, NULL);
}

static char *fold(const char *s)
{
    sbuf b = {0};
    vn_fold(s, strlen(s), &b);
    return sbuf_detach(&b, NULL);
}

#define NORM_IS(in, want)                                                    \
    do {                                                                     \
        char *got_ = norm(in);                                               \
        T_EQ_STR(got_, want);                                                \
        free(got_);                                                          \
    } while (0)

#define FOLD_IS(in, want)                                                    \
    do {                                                                     \
        char *got_ = fold(in);                                               \
        T_EQ_STR(got_, want);                                                \
        free(got_);                                                          \
    } while (0)

/* Tokens of s as "kind:original" joined by '|'; checks that every offset
 * lies inside the text and that the original bytes are where they say. */
static char *toks(const char *s, size_t n)
{
    vn_tok *t = vn_tok_new();
    vn_token tk;
    sbuf b = {0};
    size_t last = 0;
    vn_tok_start(t, s, n);
    while (vn_tok_next(t, &tk)) {
        T_CHECK(tk.off >= last && tk.off + tk.len <= n && tk.len > 0);
        T_CHECK(tk.norm && tk.fold && strlen(tk.norm) == tk.norm_len);
        last = tk.off + tk.len;
        if (b.len)
            sbuf_addc(&b, '|');
        sbuf_addf(&b, "%s:%.*s", vn_kind_name(tk.kind), (int)tk.len,
                  s + tk.off);
    }
    vn_tok_free(t);
    if (!b.s)
        sbuf_add(&b, "", 0);
    return sbuf_detach(&b, NULL);
}

#define TOKS_ARE(in, want)                                                   \
    do {                                                                     \
        char *got_ = toks(in, strlen(in));                                   \
        T_EQ_STR(got_, want);                                                \
        free(got_);                                                          \
    } while (0)

static void test_decode(void)
{
    int32_t cp;
    T_EQ_INT(uni_decode("a", 1, &cp), 1);
    T_EQ_INT(cp, 'a');
    T_EQ_INT(uni_decode("\xE1\xBB\x87", 3, &cp), 3); /* ệ */
    T_EQ_INT(cp, 0x1EC7);
    T_EQ_INT(uni_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    T_EQ_INT(cp, 0x1F600);
    /* truncated at the end of the buffer: never read past n */
    T_EQ_INT(uni_decode("\xE1\xBB", 2, &cp), 2);
    T_EQ_INT(cp, UNI_REPLACEMENT);
    T_EQ_INT(uni_decode("\xE1", 1, &cp), 1);
    T_EQ_INT(cp, UNI_REPLACEMENT);
    T_EQ_INT(uni_decode("\xF0\x9F\x98", 3, &cp), 3);
    T_EQ_INT(cp, UNI_REPLACEMENT);
    /* overlong, surrogate, too large, stray continuation, bad lead */
    T_EQ_INT(uni_decode("\xC0\xAF", 2, &cp), 1);
    T_EQ_INT(cp, UNI_REPLACEMENT);
    T_EQ_INT(uni_decode("\xE0\x80\xAF", 3, &cp), 1);
    T_EQ_INT(cp, UNI_REPLACEMENT);
    T_EQ_INT(uni_decode("\xED\xA0\x80", 3, &cp), 1);
    T_EQ_INT(cp, UNI_REPLACEMENT);
    T_EQ_INT(uni_decode("\xF4\x90\x80\x80", 4, &cp), 1);
    T_EQ_INT(cp, UNI_REPLACEMENT);
    T_EQ_INT(uni_decode("\x80", 1, &cp), 1);
    T_EQ_INT(cp, UNI_REPLACEMENT);
    T_EQ_INT(uni_decode("\xFF", 1, &cp), 1);
    T_EQ_INT(cp, UNI_REPLACEMENT);
    T_EQ_INT(uni_decode("\xE1\x41", 2, &cp), 1);   /* bad continuation */
    T_EQ_INT(cp, UNI_REPLACEMENT);
    T_CHECK(uni_valid("Việt Nam \xEF\xBF\xBD", strlen("Việt Nam \xEF\xBF\xBD")));
    T_CHECK(!uni_valid("a\xC0\xAF", 3));
    T_CHECK(!uni_valid("a\xE1\xBB", 3));
    T_CHECK(!uni_valid("\xED\xA0\x80", 3));
}

static void test_encode_roundtrip(void)
{
    int32_t cp, back;
    char buf[4];
    int bad = 0;
    for (cp = 0; cp <= 0x10FFFF; cp += (cp < 0x3000 ? 1 : 97)) {
        size_t k;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        k = uni_encode(cp, buf);
        if (uni_decode(buf, k, &back) != k || back != cp)
            bad++;
    }
    T_EQ_INT(bad, 0);
    T_EQ_INT(uni_encode(0xD800, buf), 3);      /* surrogate -> U+FFFD */
    T_CHECK(memcmp(buf, "\xEF\xBF\xBD", 3) == 0);
}

static void test_cut(void)
{
    const char *s = "Đà Nẵng"; /* Đ 2 bytes, à 2, ẵ 3 */
    size_t n = strlen(s);
    T_EQ_INT(uni_cut(s, n, 100), n);
    T_EQ_INT(uni_cut(s, n, n), n);
    T_EQ_INT(uni_cut(s, n, 1), 0);  /* inside Đ */
    T_EQ_INT(uni_cut(s, n, 2), 2);  /* after Đ */
    T_EQ_INT(uni_cut(s, n, 3), 2);  /* inside à */
    T_EQ_INT(uni_cut(s, n, 7), 6);  /* inside ẵ (bytes 6-8) */
    T_EQ_INT(uni_cut(s, n, 8), 6);
    T_EQ_INT(uni_cut(s, n, 9), 9);  /* after ẵ */
    T_EQ_INT(uni_cut("\x80\x80\x80", 3, 2), 0); /* no start byte */
}

static void test_sanitize(void)
{
    sbuf b = {0};
    uni_sanitize("a\xFF" "b\xE1\xBB", 5, &b);
    T_EQ_STR(b.s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    sbuf_reset(&b);
    uni_sanitize("", 0, &b);
    T_EQ_STR(b.s, "");
    sbuf_free(&b);
}

static void test_nfc(void)
{
    sbuf b = {0};
    uni_nfc("Vie\xCC\xA3\xCC\x82t", 8, 0, &b);   /* e + dot + circumflex */
    T_EQ_STR(b.s, "Việt");
    sbuf_reset(&b);
    uni_nfc("A\xCC\x80", 3, 1, &b);
    T_EQ_STR(b.s, "à");
    sbuf_free(&b);
    T_EQ_INT(uni_class('a'), UNI_LETTER);
    T_EQ_INT(uni_class(0x1EC7), UNI_LETTER);
    T_EQ_INT(uni_class('7'), UNI_DIGIT);
    T_EQ_INT(uni_class(0xA0), UNI_SPACE);
    T_EQ_INT(uni_class('\n'), UNI_SPACE);
    T_EQ_INT(uni_class(0x201C), UNI_PUNCT);
    T_EQ_INT(uni_class(0x301), UNI_MARK);
    T_EQ_INT(uni_class(0x1F600), UNI_SYMBOL);
    T_EQ_INT(uni_class(0x200B), UNI_CONTROL);
    T_EQ_INT(uni_tolower(0x1EA0), 0x1EA1);
    T_EQ_INT(uni_toupper(0x111), 0x110);
}

/* NFD input: decomposed text gives the same terms as composed text */
static void test_nfd(void)
{
    /* "Hoà bình" with a + U+0300, "Việt Nam" with e + U+0323 + U+0302 */
    NORM_IS("Hoa\xCC\x80 bi\xCC\x80nh", "hòa bình");
    NORM_IS("Vie\xCC\xA3\xCC\x82t Nam", "việt nam");
    NORM_IS("Vie\xCC\x82\xCC\xA3t Nam", "việt nam");   /* other order */
    NORM_IS("Thu\xCC\x9B\xCC\x80\x61 Thie\xCC\x82n Hue\xCC\x82\xCC\x81",
            "thừa thiên huế");
    FOLD_IS("Hoa\xCC\x80 bi\xCC\x80nh", "hoa binh");
    NORM_IS("D\xCC\x9B", "d\xCC\x9B");  /* not Vietnamese: kept as NFC */
}

/* every Vietnamese letter: NFD and NFC give the same norm and fold */
static void test_nfd_all_letters(void)
{
    static const char *const v[] = {
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", NULL};
    static const char *const tones[] = {"", "\xCC\x80", "\xCC\x81",
                                        "\xCC\x89", "\xCC\x83", "\xCC\xA3"};
    int i, k, bad = 0;
    for (i = 0; v[i]; i++)
        for (k = 0; k < 6; k++) {
            sbuf nfd = {0}, nfc = {0}, a = {0}, b = {0};
            int32_t d[4];
            int32_t cp;
            size_t nd, j;
            sbuf_adds(&nfd, "b");
            uni_decode(v[i], strlen(v[i]), &cp);
            nd = uni_decompose(cp, d, 4);
            for (j = 0; j < nd; j++)
                uni_addcp(&nfd, d[j]);
            sbuf_adds(&nfd, tones[k]);
            uni_nfc(nfd.s, nfd.len, 0, &nfc);
            vn_norm(nfd.s, nfd.len, &a);
            vn_norm(nfc.s, nfc.len, &b);
            if (strcmp(a.s, b.s) != 0 || strcmp(a.s, nfc.s) != 0) {
                fprintf(stderr, "  nfd %s -> %s, nfc -> %s\n", nfd.s, a.s,
                        b.s);
                bad++;
            }
            sbuf_free(&nfd);
            sbuf_free(&nfc);
            sbuf_free(&a);
            sbuf_free(&b);
        }
    T_EQ_INT(bad, 0);
}

/* Both tone styles of oa, oe, uy with every tone and several initials,
 * lower and upper case, open and closed: one norm, the classic placement. */
static void test_tone_styles(void)
{
    /* [tone][vowel]: precomposed a e y with each tone; o u with each */
    static const char *const a[] = {"à", "á", "ả", "ã", "ạ"};
    static const char *const e[] = {"è", "é", "ẻ", "ẽ", "ẹ"};
    static const char *const y[] = {"ỳ", "ý", "ỷ", "ỹ", "ỵ"};
    static const char *const o[] = {"ò", "ó", "ỏ", "õ", "ọ"};
    static const char *const u[] = {"ù", "ú", "ủ", "ũ", "ụ"};
    static const char *const ini[] = {"h", "th", "kh", "t", "x", "", "ng",
                                      "l", NULL};
    int t, i, bad = 0;
    for (t = 0; t < 5; t++)
        for (i = 0; ini[i]; i++) {
            char old[32], nw[32], closed_old[40], closed_new[40];
            char *n1, *n2;
            struct { const char *first_toned, *second, *first,
                     *second_toned; } f[3] = {
                {o[t], "a", "o", a[t]},
                {o[t], "e", "o", e[t]},
                {u[t], "y", "u", y[t]}};
            int k;
            for (k = 0; k < 3; k++) {
                snprintf(old, sizeof old, "%s%s%s", ini[i], f[k].first_toned,
                         f[k].second);
                snprintf(nw, sizeof nw, "%s%s%s", ini[i], f[k].first,
                         f[k].second_toned);
                n1 = norm(old);
                n2 = norm(nw);
                if (strcmp(n1, n2) != 0 || strcmp(n1, old) != 0) {
                    fprintf(stderr, "  %s -> %s, %s -> %s\n", old, n1, nw,
                            n2);
                    bad++;
                }
                free(n1);
                free(n2);
                /* with a final consonant the tone belongs on the second */
                snprintf(closed_old, sizeof closed_old, "%sn", old);
                snprintf(closed_new, sizeof closed_new, "%sn", nw);
                n1 = norm(closed_old);
                n2 = norm(closed_new);
                if (strcmp(n1, n2) != 0 || strcmp(n2, closed_new) != 0) {
                    fprintf(stderr, "  %s -> %s, %s -> %s\n", closed_old, n1,
                            closed_new, n2);
                    bad++;
                }
                free(n1);
                free(n2);
            }
        }
    T_EQ_INT(bad, 0);
    NORM_IS("hoà hòa HOÀ HÒA Hoà", "hòa hòa hòa hòa hòa");
    NORM_IS("thuỷ thủy THUỶ Thuỷ", "thủy thủy thủy thủy");
    NORM_IS("khoẻ khỏe KHOẺ", "khỏe khỏe khỏe");
    NORM_IS("hoạ sĩ, toà án, xoã tóc, loé sáng", "họa sĩ , tòa án , xõa tóc"
            " , lóe sáng");
    NORM_IS("uỷ ban, Uỷ ban, ỦY BAN", "ủy ban , ủy ban , ủy ban");
    /* three vowels: the middle one; marked vowels take the tone */
    NORM_IS("ngoài ngòai khuỷu khủyu", "ngoài ngoài khuỷu khuỷu");
    NORM_IS("người ngừơi muốn múôn thuở thủơ", "người người muốn muốn thuở"
            " thuở");
    NORM_IS("hoàng hòang thuận huỳnh hùynh", "hoàng hoàng thuận huỳnh "
            "huỳnh");
    NORM_IS("mùa múa của tài cháo", "mùa múa của tài cháo");
}

/* qu and gi: the u / i belongs to the initial */
static void test_qu_gi(void)
{
    NORM_IS("quý quỳ quả quốc quyền Quý QUỲ", "quý quỳ quả quốc quyền quý "
            "quỳ");
    NORM_IS("giá già giữ giường giỏi gìn gì giấu", "giá già giữ giường giỏi"
            " gìn gì giấu");
    NORM_IS("qúy qùy gía", "quý quỳ giá");       /* mistyped placements */
    FOLD_IS("quý giá", "quy gia");
}

/* i and y after an initial consonant are one letter: the school writes
 * kĩ, lí, Mĩ, tỉ, the press mostly kỹ, lý, Mỹ, tỷ; one norm and one fold,
 * i (quý, quy: y after qu), the tone kept.  Only a rhyme of the one vowel,
 * after an initial that the y-spelling follows (h k l m n s t th v x
 * qu): not y alone (ý kiến), uy (thủy is no thủi), i/y with other vowels
 * or a final consonant, nor foreign words after other initials (by, try).
 * Every path: the fast one, decomposed marks, a hyphenated part, a word. */
static void test_iy_spelling(void)
{
    sbuf b = {0};
    NORM_IS("kĩ kỹ KỸ Kỹ", "kĩ kĩ kĩ kĩ");
    NORM_IS("kỹ ký kỳ kỷ kỵ ky", "kĩ kí kì kỉ kị ki");
    NORM_IS("lý tỷ Mỹ sỹ hy vỹ xy ny thy", "lí tỉ mĩ sĩ hi vĩ xi ni thi");
    NORM_IS("lí tỉ Mĩ sĩ hi vĩ xi ni thi", "lí tỉ mĩ sĩ hi vĩ xi ni thi");
    NORM_IS("quí quý qui quy Quì QUỲ", "quý quý quy quy quỳ quỳ");
    FOLD_IS("kỹ thuật, ky thuat, kĩ thuật", "ki thuat , ki thuat , ki thuat");
    FOLD_IS("Mỹ công ty quí", "mi cong ti quy");
    NORM_IS("Ky\xCC\x83 thua\xCC\xA3\xCC\x82t", "kĩ thuật");
    NORM_IS("Mỹ-Latinh", "mĩ-latinh");
    /* unchanged */
    NORM_IS("y tế, ý kiến, ỷ lại, i tờ", "y tế , ý kiến , ỷ lại , i tờ");
    NORM_IS("thủy thủi tuy tui huy hui quỳnh kìm", "thủy thủi tuy tui huy "
            "hui quỳnh kìm");
    NORM_IS("khuya tiên yên kiên khuyên", "khuya tiên yên kiên khuyên");
    NORM_IS("gì nghĩ chị bị phí trị", "gì nghĩ chị bị phí trị");
    NORM_IS("by try phy dry sky", "by try phy dry sky");
    FOLD_IS("thủy thủi ý", "thuy thui y");
    /* flags: a syllable; accented only with a tone */
    T_EQ_INT(vn_norm_word("Ky", 2, &b) & (VN_SYLL | VN_ACCENT | VN_CAP),
             VN_SYLL | VN_CAP);
    T_EQ_STR(b.s, "ki");
    sbuf_reset(&b);
    T_CHECK(vn_norm_word("tỷ", strlen("tỷ"), &b) & VN_ACCENT);
    T_EQ_STR(b.s, "tỉ");
    sbuf_free(&b);
}

static void test_d_stroke(void)
{
    NORM_IS("Đà Nẵng ĐÀ NẴNG đường", "đà nẵng đà nẵng đường");
    FOLD_IS("Đà Nẵng ĐÀ NẴNG đường Đ", "da nang da nang duong d");
    FOLD_IS("Cần Thơ", "can tho");
    FOLD_IS("Ủy ban nhân dân", "uy ban nhan dan");
    FOLD_IS("nghiêng ngả, Nguyễn Thị Ánh", "nghieng nga , nguyen thi anh");
}

/* Look-alike letters: Ɖ ɖ (U+0189, U+0256, African D) are Đ đ as the eth
 * is; a Cyrillic or Greek letter that looks like a Latin one, inside a
 * word otherwise Latin, is that letter (Hа Nội with a Cyrillic а); a word
 * all Cyrillic or Greek, or with another letter of those scripts, stays */
static void test_confusables(void)
{
    sbuf b = {0};
    NORM_IS("\xc6\x89à Nẵng \xc9\x96" "a \xc6\x89ÀO", "đà nẵng đa đào");
    FOLD_IS("\xc6\x89à Nẵng \xc9\x96" "a", "da nang da");
    NORM_IS("www.\xc9\x96" "a\xcc\x80.vn", "www.đà.vn");
    /* Cyrillic а (U+0430), о, е, с, р, х, у, і; Greek ο, α */
    NORM_IS("H\xd0\xb0 N\xd0\xbei", "ha noi");
    NORM_IS("H\xd0\xb0\xcc\x80 N\xd0\xbe\xcc\x82\xcc\xa3i", "hà nội");
    NORM_IS("\xd0\xa1" "e \xd1\x80h\xd0\xbe x\xd1\x83 "
            "\xd1\x96t", "ce pho xi it");
    NORM_IS("V\xce\xbfi \xce\xb1n", "voi an");
    FOLD_IS("Hu\xd0\xb5\xcc\x81", "hue");
    /* no Latin letter, or another Cyrillic letter: as it is */
    NORM_IS("\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 "
            "\xd0\xb0\xd1\x81", "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba"
            "\xd0\xb2\xd0\xb0 \xd0\xb0\xd1\x81");
    NORM_IS("H\xd0\xb0\xd1\x88", "h\xd0\xb0\xd1\x88");
    T_CHECK(vn_norm_word("H\xd0\xb0", 3, &b) & VN_SYLL);
    T_EQ_STR(b.s, "ha");
    sbuf_free(&b);
}

/* Fullwidth ASCII (U+FF01-FF5E), the Latin ligatures (U+FB00-FB06) and
 * superscript and subscript digits are folded as NFKC folds them, in text
 * and queries alike; nothing else is (Vietnamese letters keep NFC) */
static void test_compat_forms(void)
{
    sbuf b = {0};
    const char *s = "\xef\xbc\xb1uảng \xef\xbc\xaeinh năm "
                    "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x91"
                    "\xef\xbc\x8c bộ \xef\xac\x81lm";
    NORM_IS(s, "quảng ninh năm 2021 , bộ film");
    FOLD_IS(s, "quang ninh nam 2021 , bo film");
    TOKS_ARE("\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x91 "
             "\xef\xbc\xa8\xc3\xa0",
             "number:\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x91|"
             "word:\xef\xbc\xa8\xc3\xa0");
    FOLD_IS("\xef\xbd\x88" "a \xef\xbd\x8e" "oi", "ha noi");
    NORM_IS("\xef\xac\x80 \xef\xac\x82 \xef\xac\x83 \xef\xac\x84 "
            "\xef\xac\x85 \xef\xac\x86", "ff fl ffi ffl st st");
    /* x², H₂O, m³, 10⁵ */
    NORM_IS("x\xc2\xb2 H\xe2\x82\x82O m\xc2\xb3 10\xe2\x81\xb5",
            "x2 h2o m3 105");
    TOKS_ARE("m\xc2\xb2 \xc2\xb9", "code:m\xc2\xb2|number:\xc2\xb9");
    /* the other compatibility forms stay: ª, ½, Ⅻ, ㎞ */
    NORM_IS("\xc2\xaa \xc2\xbd \xe2\x85\xab \xe3\x8e\x9e",
            "\xc2\xaa \xc2\xbd \xe2\x85\xbb \xe3\x8e\x9e");
    T_CHECK(vn_norm_word("\xef\xbc\xa8\xc3\xa0", 5, &b) & VN_SYLL);
    T_EQ_STR(b.s, "hà");
    sbuf_free(&b);
}

/* A tone mark typed before the vowel's shape mark (a + U+0301 + U+0302;
 * both of combining class 230, so NFC keeps their order and composes
 * neither) reads as typed the other way: the shape mark first (tấn, nẵng,
 * ờ), also after a precomposed toned vowel (á + U+0302) */
static void test_mark_order(void)
{
    sbuf b = {0};
    NORM_IS("ta\xcc\x81\xcc\x82n Na\xcc\x83\xcc\x86ng", "tấn nẵng");
    FOLD_IS("ta\xcc\x81\xcc\x82n Na\xcc\x83\xcc\x86ng", "tan nang");
    NORM_IS("t\xc3\xa1\xcc\x82n T\xc3\x81\xcc\x82N", "tấn tấn");
    NORM_IS("ngu\xcc\x9bo\xcc\x80\xcc\x9bi  e\xcc\xa3\xcc\x82", "người ệ");
    NORM_IS("xe\xcc\x81\xcc\x81\xcc\x82", "xế\xcc\x81");
    /* a number, URL or e-mail: the same */
    NORM_IS("www.ta\xcc\x81\xcc\x82n.vn", "www.tấn.vn");
    T_CHECK(vn_norm_word("ta\xcc\x81\xcc\x82n", 7, &b) & VN_SYLL);
    T_EQ_STR(b.s, "tấn");
    sbuf_free(&b);
}

/* Ð ð (U+00D0, U+00F0, eth), which text from legacy encodings uses for Đ
 * đ, are Đ đ: the same norm, folded to d, a syllable like any other */
static void test_eth(void)
{
    sbuf b = {0};
    const char *s = "Cảng \xC3\x90\xC3\xB4ng Hải \xC3\xB0ường";
    NORM_IS(s, "cảng đông hải đường");
    FOLD_IS(s, "cang dong hai duong");
    /* decomposed marks (the slow path) and all capitals */
    NORM_IS("\xC3\x90o\xCC\x82\xCC\x80ng \xC3\x90ÀO", "đồng đào");
    FOLD_IS("\xC3\x90o\xCC\x82\xCC\x80ng \xC3\x90ÀO", "dong dao");
    /* in a URL, e-mail or number, even with a combining mark or a code
     * point outside the table (the general path): ð -> đ all the same,
     * so its NFD and NFC forms give one token */
    NORM_IS("www.\xC3\xB0o\xCC\x82ng.vn www.\xC3\x90\xE1\xBB\x93ng.vn",
            "www.đông.vn www.đồng.vn");
    NORM_IS("www.\xC3\x90o\xCC\x82\xCC\x80ng.vn", "www.đồng.vn");
    T_CHECK(vn_norm_word("\xC3\x90\xC3\xB4ng", 6, &b) & VN_SYLL);
    T_EQ_STR(b.s, "đông");
    sbuf_reset(&b);
    vn_fold_norm("\xC3\xB0", 2, &b);
    T_EQ_STR(b.s, "d");
    sbuf_free(&b);
}

static void test_upper_and_flags(void)
{
    vn_tok *t = vn_tok_new();
    vn_token tk;
    const char *s = "ĐÀ Nẵng can UBND Hoà";
    vn_tok_start(t, s, strlen(s));
    T_CHECK(vn_tok_next(t, &tk));
    T_EQ_STR(tk.norm, "đà");
    T_CHECK(tk.flags & VN_CAP);
    T_CHECK(tk.flags & VN_ALLCAPS);
    T_CHECK(tk.flags & VN_SYLL);
    T_CHECK(tk.flags & VN_ACCENT);
    T_CHECK(tk.flags & VN_SPACE);
    T_CHECK(vn_tok_next(t, &tk));
    T_EQ_STR(tk.norm, "nẵng");
    T_CHECK((tk.flags & (VN_CAP | VN_ALLCAPS)) == VN_CAP);
    T_CHECK(vn_tok_next(t, &tk));
    T_EQ_STR(tk.norm, "can");
    T_CHECK(!(tk.flags & (VN_CAP | VN_ACCENT)));
    T_CHECK(vn_tok_next(t, &tk));
    T_EQ_INT(tk.kind, VN_ABBR);
    T_EQ_STR(tk.norm, "ubnd");
    T_CHECK(!(tk.flags & VN_SYLL));
    T_CHECK(vn_tok_next(t, &tk));
    T_EQ_STR(tk.norm, "hòa");
    T_EQ_STR(tk.fold, "hoa");
    T_EQ_INT(tk.off, strlen(s) - strlen("Hoà"));
    T_EQ_INT(tk.len, strlen("Hoà"));
    T_CHECK(!vn_tok_next(t, &tk));
    vn_tok_free(t);
}

static void test_zero_width(void)
{
    /* U+200B inside a word, U+FEFF at the start, U+00AD soft hyphen,
     * U+200C, U+200D: dropped from the terms, kept in the offsets */
    const char *s = "\xEF\xBB\xBFph\xC2\xAD\xC3\xA1t tri\xE2\x80\x8B\xE1"
                    "\xBB\x83n \xE2\x80\x8C\xE2\x80\x8D";
    vn_tok *t = vn_tok_new();
    vn_token tk;
    vn_tok_start(t, s, strlen(s));
    T_CHECK(vn_tok_next(t, &tk));
    T_EQ_STR(tk.norm, "phát");
    T_EQ_INT(tk.off, 3);
    T_EQ_INT(tk.len, 7);
    T_CHECK(vn_tok_next(t, &tk));
    T_EQ_STR(tk.norm, "triển");
    T_EQ_STR(tk.fold, "trien");
    T_CHECK(!vn_tok_next(t, &tk));
    vn_tok_free(t);
    NORM_IS("\xE2\x80\x8B", "");
}

static void test_clean(void)
{
    sbuf b = {0};
    const char *s = "a\xC2\xA0" "b\xE2\x80\x8B" "c\xE2\x80\xAF" "d\xFF"
                    "\xE3\x80\x80" "e\xC2\xAD" "f";
    vn_clean(s, strlen(s), &b);
    T_EQ_STR(b.s, "a bc d\xEF\xBF\xBD ef");
    sbuf_reset(&b);
    vn_clean("Hoa\xCC\x80", 5, &b);             /* composition kept */
    T_EQ_STR(b.s, "Hoa\xCC\x80");
    sbuf_reset(&b);
    /* bidi controls dropped: RLO ... PDF, RLM, RLI ... PDI, ALM */
    s = "Tin \xE2\x80\xAEgi\xE1\xBA\xA3\xE2\x80\xAC x\xE2\x80\x8F"
        "y\xE2\x81\xA7z\xE2\x81\xA9 \xD8\x9Cw";
    vn_clean(s, strlen(s), &b);
    T_EQ_STR(b.s, "Tin gi\xE1\xBA\xA3 xyz w");
    sbuf_reset(&b);
    /* controls: C0 and DEL and C1 dropped (NUL too), tab LF CR kept, VT
     * and FF spaces.  A dropped control between two characters that are
     * not spaces leaves one space: it stood between two words (a page's
     * U+0096 for an en dash), and joining them made one word of two */
    vn_clean("a\x07" "b\tc\nd\re\x0B" "f\x0Cg\x7Fh\xC2\x85i\xC2\x9B" "j\0k"
             "\x1B[31m", 28, &b);
    T_EQ_STR(b.s, "a b\tc\nd\re f g h i j k [31m");
    {
        /* a run is one space; at either end, or beside a space (a
         * Unicode one too), nothing */
        static const char *const cases[][2] = {
            {"H\xC3\xA0 N\xE1\xBB\x99i\xC2\x96H\xE1\xBA\xA3i",
             "H\xC3\xA0 N\xE1\xBB\x99i H\xE1\xBA\xA3i"},
            {"2020\xC2\x96\x07\x7F" "2025", "2020 2025"},
            {"\x07" "a\x07", "a"},
            {"a \x07" "b", "a b"},
            {"a\x07\tb", "a\tb"},
            {"a\xC2\xA0\xC2\x85" "b", "a b"},
            {"\x07\x7F", ""},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            sbuf_reset(&b);
            vn_clean(cases[i][0], strlen(cases[i][0]), &b);
            T_EQ_STR(b.s ? b.s : "", cases[i][1]);
        }
    }
    {
        /* U+200D ZERO WIDTH JOINER: kept between two emoji, or after a
         * skin tone or variation selector that ends one (one family, one
         * flag, one person at work); dropped elsewhere, as inside a word */
        static const char *const cases[][2] = {
            {"\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D"
             "\xF0\x9F\x91\xA7", NULL},                      /* family */
            {"\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88",
             NULL},                               /* flag, FE0F then ZWJ */
            {"\xF0\x9F\xA7\x91\xF0\x9F\x8F\xBD\xE2\x80\x8D\xF0\x9F\x92\xBB",
             NULL},                                /* skin tone then ZWJ */
            {"\xF0\x9F\x8F\x83\xE2\x80\x8D\xE2\x99\x82\xEF\xB8\x8F",
             NULL},                                   /* runner, male sign */
            {"vi\xE2\x80\x8D\xE1\xBB\x87t", "vi\xE1\xBB\x87t"}, /* in a word */
            {"a\xE2\x80\x8D\xF0\x9F\x91\x8D", "a\xF0\x9F\x91\x8D"},
            {"\xF0\x9F\x91\x8D\xE2\x80\x8D" "a", "\xF0\x9F\x91\x8D" "a"},
            {"\xF0\x9F\x91\x8D\xE2\x80\x8D", "\xF0\x9F\x91\x8D"},
            {"\xE2\x80\x8D\xF0\x9F\x91\x8D", "\xF0\x9F\x91\x8D"},
            {"\xF0\x9F\x91\x8D\xE2\x80\x8D\xE2\x80\x8D\xF0\x9F\x91\x8D",
             "\xF0\x9F\x91\x8D\xF0\x9F\x91\x8D"},               /* two */
            {"\xF0\x9F\x91\x8D\xE2\x80\x8B\xF0\x9F\x91\x8D",
             "\xF0\x9F\x91\x8D\xF0\x9F\x91\x8D"},          /* not ZWJ */
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            const char *in = cases[i][0];
            sbuf_reset(&b);
            vn_clean(in, strlen(in), &b);
            T_EQ_STR(b.s, cases[i][1] ? cases[i][1] : in);
        }
    }
    sbuf_free(&b);
    NORM_IS("Hà\xC2\xA0Nội", "hà nội");        /* U+00A0 is a space */
    NORM_IS("Hà\xE3\x80\x80Nội", "hà nội");    /* U+3000 too */
}

/* invalid UTF-8 anywhere: U+FFFD tokens, no crash, no over-read (the
 * buffers are malloc'd to their exact size, so ASan sees over-reads) */
static void test_invalid_utf8(void)
{
    static const char *const bad[] = {
        "\xFF", "\xC3", "vi\xE1\xBB", "\xC0\xAF", "\xE0\x80\xAF",
        "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80\x80\x80", "a\xF0\x9F\x98",
        "H\xC3\xA0 N\xE1\xBB\x99i\xE1", "1.000.\xFF", "www.\xFF",
        "http://x\xE1", "a@b.\xC3", "TP.\xE1\xBB", "Wi-\xC3", "\xCC\x81",
        "\xCC\x81\xCC\x81x", NULL};
    int i;
    for (i = 0; bad[i]; i++) {
        size_t n = strlen(bad[i]);
        char *copy = xmalloc(n);
        char *r;
        memcpy(copy, bad[i], n);
        r = toks(copy, n);
        T_CHECK(r != NULL);
        free(r);
        free(copy);
    }
    TOKS_ARE("ab\xFF" "cd", "word:ab|symbol:\xFF|word:cd");
    NORM_IS("ab\xFF" "cd", "ab \xEF\xBF\xBD cd");
    NORM_IS("vi\xE1\xBB", "vi \xEF\xBF\xBD");
}

static void test_empty_and_punct(void)
{
    TOKS_ARE("", "");
    TOKS_ARE("   \n\t ", "");
    NORM_IS("", "");
    TOKS_ARE("…!?“”«»–—...,;:()\"'",
             "punct:…|punct:!|punct:?|punct:“|punct:”|punct:«|punct:»|"
             "punct:–|punct:—|punct:...|punct:,|punct:;|punct::|punct:(|punct:)|"
             "punct:\"|punct:'"
             );
}

/* 1 MB without a space: bounded tokens, every byte covered, linear time */
static void test_long_line(void)
{
    static const char *const unit[] = {"a", "ệ", "1", "a-", "1.", "Hà",
                                       "a\xCC\x81", "日", "😀", NULL};
    int u;
    for (u = 0; unit[u]; u++) {
        size_t ul = strlen(unit[u]), n = 0, cover = 0, ntok = 0;
        char *s = xmalloc(1 << 20);
        vn_tok *t = vn_tok_new();
        vn_token tk;
        int ok = 1;
        while (n + ul <= (1 << 20)) {
            memcpy(s + n, unit[u], ul);
            n += ul;
        }
        vn_tok_start(t, s, n);
        while (vn_tok_next(t, &tk)) {
            ntok++;
            cover += tk.len;
            if (tk.len > 3 * VN_TOKEN_MAX || tk.off + tk.len > n)
                ok = 0;
            if (u == 0 && !(tk.flags & VN_SPLIT))  /* "aaaa…" is cut */
                ok = 0;
        }
        T_CHECK(ok);
        T_CHECK(ntok > 0);
        /* all bytes belong to tokens except separators of "a-" / "1." */
        T_CHECK(cover <= n && cover >= n / 2);
        vn_tok_free(t);
        free(s);
    }
}

static void test_kinds(void)
{
    TOKS_ARE("giá 1.000.000 đồng, tăng 3,5% và 2.5",
             "word:giá|number:1.000.000|word:đồng|punct:,|word:tăng|"
             "number:3,5|punct:%|word:và|number:2.5");
    /* a decimal comma against a unit is one code, as a decimal point is
     * (2.5kg); a comma between a number and a code stays a comma */
    TOKS_ARE("nặng 1,5kg và 2.5kg, dài 0,75m",
             "word:nặng|code:1,5kg|word:và|code:2.5kg|punct:,|word:dài|"
             "code:0,75m");
    TOKS_ARE("số 3,U23", "word:số|number:3|punct:,|code:U23");
    TOKS_ARE("ngày 22-9, 25/2/2021, 30-4-1975, 9/2021, 25/2",
             "word:ngày|date:22-9|punct:,|date:25/2/2021|punct:,|"
             "date:30-4-1975|punct:,|date:9/2021|punct:,|date:25/2");
    TOKS_ARE("lúc 10h30, 10h, 22:32 GMT+7",
             "word:lúc|time:10h30|punct:,|time:10h|punct:,|time:22:32|"
             "abbr:GMT|symbol:+|number:7");
    TOKS_ARE("COVID-19 H5N1 F0 U23 TP.HCM Tp.HCM UBND HĐND NĐ-CP",
             "code:COVID-19|code:H5N1|code:F0|code:U23|abbr:TP.HCM|"
             "abbr:Tp.HCM|abbr:UBND|abbr:HĐND|abbr:NĐ-CP");
    TOKS_ARE("Wi-Fi e-mail Mát-xcơ-va Bắc-Nam",
             "word:Wi-Fi|word:e-mail|word:Mát-xcơ-va|word:Bắc|punct:-|"
             "word:Nam");
    TOKS_ARE("xem https://tuoitre.vn/a-b-123.htm, www.vnexpress.net.",
             "word:xem|url:https://tuoitre.vn/a-b-123.htm|punct:,|"
             "url:www.vnexpress.net|punct:.");
    /* "www." makes a URL when a letter follows: a code point, not the
     * byte after it (0xE2 of "≠" or "…" is no letter) */
    TOKS_ARE("www.\xE2\x89\xA0x www.=\xCC\xB8x www.\xC2\xA0 www.\xE2\x80\xA6",
             "word:www|punct:.|symbol:\xE2\x89\xA0|word:x|word:www|punct:.|"
             "symbol:=\xCC\xB8|word:x|word:www|punct:.|word:www|punct:.|"
             "punct:\xE2\x80\xA6");
    TOKS_ARE("www.đường.vn www.ảnh.vn", "url:www.đường.vn|url:www.ảnh.vn");
    TOKS_ARE("(tuoitre.vn) gửi ban.doc@tuoitre.com.vn!",
             "punct:(|url:tuoitre.vn|punct:)|word:gửi|"
             "email:ban.doc@tuoitre.com.vn|punct:!");
    TOKS_ARE("“Hà Nội” nói.Ông 2021-2022",
             "punct:“|word:Hà|word:Nội|punct:”|word:nói|punct:.|word:Ông|"
             "number:2021|punct:-|number:2022");
    /* emoji and other scripts do not break the text around them */
    TOKS_ARE("Vui😀quá 👍🏽 日本 Москва", "word:Vui|symbol:😀|word:quá|"
             "symbol:👍🏽|word:日|word:本|word:Москва");
    /* initials take their period; sentence ends don't */
    TOKS_ARE("ông H. nói ở TP. HCM, hạng A.", "word:ông|word:H.|word:nói|"
             "word:ở|abbr:TP.|abbr:HCM|punct:,|word:hạng|word:A|punct:.");
    NORM_IS("ông H. nói", "ông h nói");
    NORM_IS("Москва ÀÉ Straße", "москва àé straße");
    FOLD_IS("Москва Ñandú Ýên", "москва nandu yen");
}

/* An all-capital syllable joined to its neighbour by a connector, without
 * a space, is the word it is with the space: no abbreviation */
static void test_caps_connector(void)
{
    static const char *const texts[] = {
        "SÓC TRĂNG,BẠC LIÊU", "trở về.NHÀ MỚI", "MƯA TO.GIÓ LỚN", NULL};
    TOKS_ARE(texts[0], "word:SÓC|word:TRĂNG|punct:,|word:BẠC|word:LIÊU");
    TOKS_ARE(texts[1], "word:trở|word:về|punct:.|word:NHÀ|word:MỚI");
    TOKS_ARE(texts[2], "word:MƯA|word:TO|punct:.|word:GIÓ|word:LỚN");
    for (int i = 0; texts[i]; i++) {
        vn_tok *t = vn_tok_new();
        vn_token tk;
        vn_tok_start(t, texts[i], strlen(texts[i]));
        while (vn_tok_next(t, &tk))
            if (tk.kind == VN_WORD)
                T_CHECK(tk.flags & VN_SYLL);
        vn_tok_free(t);
    }
    /* abbreviations stay whole */
    TOKS_ARE("UBND,HĐND TP.HCM HA.GL M.U",
             "abbr:UBND|punct:,|abbr:HĐND|abbr:TP.HCM|abbr:HA.GL|abbr:M.U");
}

/* Tokens of s as "kind:norm:flags", flags VN_INITIAL and VN_CAP only */
static char *norms(const char *s)
{
    vn_tok *t = vn_tok_new();
    vn_token tk;
    sbuf b = {0};
    vn_tok_start(t, s, strlen(s));
    while (vn_tok_next(t, &tk))
        sbuf_addf(&b, "%s:%s:%s%s|", vn_kind_name(tk.kind), tk.norm,
                  tk.flags & VN_CAP ? "C" : "",
                  tk.flags & VN_INITIAL ? "." : "");
    vn_tok_free(t);
    return b.s ? sbuf_detach(&b, NULL) : xstrdup("");
}

/* "TP.Huế", a place's kind and its name without a space, gives the
 * tokens of "TP. Huế", whatever the name's length; abbreviations written
 * with periods stay whole */
static void test_abbr_then_name(void)
{
    static const char *const pairs[][2] = {
        {"ở TP.Huế, TP.Vinh", "ở TP. Huế, TP. Vinh"},
        {"TP.Hà Giang và TP.Đông Hà", "TP. Hà Giang và TP. Đông Hà"},
        {"Q.Tân Phú, H.Ba Vì", "Q. Tân Phú, H. Ba Vì"},
        {"Tp.Hồ Chí Minh", "Tp. Hồ Chí Minh"},
        {"PGS.TS.Nguyễn Lan", "PGS.TS. Nguyễn Lan"},
        {"anh H.nói", "anh H. nói"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char *a = norms(pairs[i][0]), *b = norms(pairs[i][1]);
        T_EQ_STR(a, b);
        free(a);
        free(b);
    }
    TOKS_ARE("ở TP.Huế", "word:ở|abbr:TP.|word:Huế");
    NORM_IS("TP.Đà Lạt", "tp đà lạt");
    TOKS_ARE("TP.HCM Tp.HCM tp.hcm U.S TP.hcm N.Ng Ng.T.Ph",
             "abbr:TP.HCM|abbr:Tp.HCM|abbr:tp.hcm|abbr:U.S|abbr:TP.hcm|"
             "abbr:N.Ng|abbr:Ng.T.Ph");
}

/* The typographic apostrophe (U+2019) joins a word as ' does, and the
 * Unicode hyphens U+2010 and U+2011 (non-breaking) join as '-': the same
 * tokens, norms and folds whichever was typed */
static void test_unicode_connectors(void)
{
    static const char *const pairs[][2] = {
        {"McDonald\xE2\x80\x99s mở cửa", "McDonald's mở cửa"},
        {"bà O\xE2\x80\x99" "Brien nói", "bà O'Brien nói"},
        {"ngày 15\xE2\x80\x91" "8 và 3\xE2\x80\x90" "4", "ngày 15-8 và 3-4"},
        {"mạng Wi\xE2\x80\x91" "Fi và COVID\xE2\x80\x90" "19",
         "mạng Wi-Fi và COVID-19"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char *a = norms(pairs[i][0]), *b = norms(pairs[i][1]);
        char *fa = fold(pairs[i][0]), *fb = fold(pairs[i][1]);
        T_EQ_STR(a, b);
        T_EQ_STR(fa, fb);
        free(a);
        free(b);
        free(fa);
        free(fb);
    }
    TOKS_ARE("McDonald\xE2\x80\x99s 15\xE2\x80\x91" "8",
             "word:McDonald\xE2\x80\x99s|date:15\xE2\x80\x91" "8");
    /* a closing quote after a word stays punctuation */
    TOKS_ARE("\xE2\x80\x98" "bão\xE2\x80\x99 tới",
             "punct:\xE2\x80\x98|word:bão|punct:\xE2\x80\x99|word:tới");
}

/* A date is one form whatever its separator and leading zeros: 22-9 and
 * 22/9 are the same day; the year stays as written */
static void test_date_forms(void)
{
    TOKS_ARE("22-9 22/9 22.9.2021 05-09-2021 9/2021 01/02/25",
             "date:22-9|date:22/9|date:22.9.2021|date:05-09-2021|"
             "date:9/2021|date:01/02/25");
    /* thousands separators go, decimals and dotted codes stay */
    NORM_IS("1.000 10.000.000 2.500,75 3,5 3.5 0.500 1.2.3 12.34 "
            "0903.123.456 1.000.0000",
            "1000 10000000 2500,75 3,5 3.5 0.500 1.2.3 12.34 "
            "0903.123.456 1.000.0000");
    NORM_IS("22-9 22/9 22.9.2021 05-09-2021 9/2021 01/02/25",
            "22/9 22/9 22/9/2021 5/9/2021 9/2021 1/2/25");
    FOLD_IS("ngày 30-4-1975", "ngay 30/4/1975");
}

/* An ISO date, year first (2021-03-05, 2021/03/05), is the day it names,
 * in the one form of a date: 5/3/2021, as 05/03/2021 writes it; not when
 * its month or day cannot be one, nor a fourth part follows */
static void test_iso_date(void)
{
    TOKS_ARE("2021-03-05 2021/3/5", "date:2021-03-05|date:2021/3/5");
    NORM_IS("2021-03-05 2021/03/05 2017-3-5 05/03/2021",
            "5/3/2021 5/3/2021 5/3/2017 5/3/2021");
    FOLD_IS("ngày 2021-12-31,", "ngay 31/12/2021 ,");
    /* not dates: a month of 13, a day of 32, four parts, mixed
     * separators, a year out of range */
    NORM_IS("2021-13-05 2021-03-32", "2021 - 13/5 2021 - 03 - 32");
    TOKS_ARE("2021-03-05-07 2021-03/05 1800-03-05",
             "number:2021|punct:-|date:03-05-07|"
             "number:2021|punct:-|date:03/05|"
             "number:1800|punct:-|date:03-05");
}

/* A hyphenated pair right after a score word (thắng, thua, hòa, bại,
 * dẫn, gỡ, số: "tỷ số", a house "số 8-12"), or in a list of such pairs
 * after one, is a score, and one followed by % a range: two numbers, not
 * a day and month; a date is still one anywhere else */
static void test_score_not_date(void)
{
    TOKS_ARE("thắng 2-1, hòa 1-1, tăng 3-5%",
             "word:thắng|number:2|punct:-|number:1|punct:,|word:hòa|"
             "number:1|punct:-|number:1|punct:,|word:tăng|number:3|"
             "punct:-|number:5|punct:%");
    NORM_IS("tỷ số 2-1", "tỉ số 2 - 1");
    NORM_IS("Hoà 1-1 thua 0-3 thất bại 1-2 dẫn 2-1 gỡ hoà 1-1",
            "hòa 1 - 1 thua 0 - 3 thất bại 1 - 2 dẫn 2 - 1 gỡ hòa 1 - 1");
    NORM_IS("số 8-12 Lê Duẩn, gió mạnh cấp 8-9",
            "số 8 - 12 lê duẩn , gió mạnh cấp 8 - 9");
    /* with a few words between: lên, trước, chung cuộc... */
    NORM_IS("đưa tỷ số lên 4-2, dẫn trước 1-0, thắng chung cuộc 3-1",
            "đưa tỉ số lên 4 - 2 , dẫn trước 1 - 0 , thắng chung cuộc 3 - 1");
    /* a list of scores after one score word: sets of a match */
    NORM_IS("thắng 21-12, 21-8", "thắng 21 - 12 , 21 - 8");
    NORM_IS("tăng 3-5 %", "tăng 3 - 5 %");
    /* dates stay: no score word just before, three parts, a slash */
    NORM_IS("ngày 2-1, 21-8 và 2-1", "ngày 2/1 , 21/8 và 2/1");
    NORM_IS("thắng 30-4-1975", "thắng 30/4/1975");
    NORM_IS("thắng, 2-1", "thắng , 2/1");
    NORM_IS("thắng ngày 2-1, hạn trước 20-7", "thắng ngày 2/1 , hạn trước 20/7");
    NORM_IS("2-1", "2/1");
}

/* A time is one form whatever its spelling: the hour without a leading
 * zero, h, the minutes in two digits (none when 00), the seconds after a
 * colon; only a valid time is one, and a score (3:1, 1:0) stays numbers */
static void test_time_forms(void)
{
    TOKS_ARE("10h30 10:30 10g30 10H30",
             "time:10h30|time:10:30|time:10g30|time:10H30");
    NORM_IS("10h30 10:30 10g30 10H30", "10h30 10h30 10h30 10h30");
    FOLD_IS("lúc 10:30 sáng", "luc 10h30 sang");
    /* leading zeros */
    NORM_IS("07h15 7h15 07:15 07g15 00:05 0h 00h",
            "7h15 7h15 7h15 7h15 0h05 0h 0h");
    /* minutes 00: the hour alone, as a paper writes it */
    NORM_IS("10h 10g 10:00 10h00 10H 10g00 24:00",
            "10h 10h 10h 10h 10h 10h 24h");
    NORM_IS("9h05 9:05 21:30", "9h05 9h05 21h30");
    /* seconds kept, after a colon; the canonical form reads back as
     * itself */
    TOKS_ARE("22:32:05 10h30:15 22h32:05",
             "time:22:32:05|time:10h30:15|time:22h32:05");
    NORM_IS("22:32:05 07:00:09 10h30:15 22h32:05 10h00:00",
            "22h32:05 7h00:09 10h30:15 22h32:05 10h00:00");
    /* not times: an hour past 24, minutes or seconds past 59, minutes of
     * one digit, seconds after an hour alone */
    TOKS_ARE("25:99 24:60 1:2 25h 10h60 10h5 007h",
             "number:25|punct::|number:99|number:24|punct::|number:60|"
             "number:1|punct::|number:2|code:25h|code:10h60|code:10h5|"
             "code:007h");
    TOKS_ARE("10:30:75 10h:05",
             "time:10:30|punct::|number:75|time:10h|punct::|number:05");
    /* digits of other scripts are no time */
    TOKS_ARE("\xd9\xa1:\xd9\xa3", /* Arabic-Indic 1:3 */
             "number:\xd9\xa1|punct::|number:\xd9\xa3");
    /* scores stay as they were: numbers, or a day and month */
    TOKS_ARE("thắng 3:1, hòa 1:0 và 2-1",
             "word:thắng|number:3|punct::|number:1|punct:,|word:hòa|"
             "number:1|punct::|number:0|word:và|date:2-1");
    NORM_IS("3:1 1:0", "3 : 1 1 : 0");
    /* a range: two times */
    TOKS_ARE("7h-8h30 10:30-11:00",
             "time:7h|punct:-|time:8h30|time:10:30|punct:-|time:11:00");
    NORM_IS("7h-8h30 10:30-11:00", "7h - 8h30 10h30 - 11h");
}

/* The fast-path table and utf8proc agree on every code point they cover:
 * lower case (NFC) and fold (marks stripped, đ -> d). */
static void test_fast_path_agrees(void)
{
    int32_t cp;
    int bad = 0;
    for (cp = 0; cp < 0x1F00; cp++) {
        char in[4];
        size_t k;
        sbuf a = {0}, b = {0}, c = {0}, d = {0};
        if (cp == 0x250)
            cp = 0x1E00;
        if (uni_class(cp) != UNI_LETTER)
            continue;
        k = uni_encode(cp, in);
        vn_norm_word(in, k, &a);            /* fast path */
        uni_nfc(in, k, 1, &b);              /* utf8proc */
        vn_fold_norm(a.s, a.len, &c);
        uni_strip_marks(in, k, &d);
        if (cp == 0x110 || cp == 0x111 || cp == 0xD0 || cp == 0xF0 ||
            cp == 0x189) {
            sbuf_reset(&d);
            sbuf_adds(&d, "d");
        }
        if (cp == 0xD0 || cp == 0xF0 || cp == 0x189) { /* eth, Ɖ: đ */
            sbuf_reset(&b);
            sbuf_adds(&b, "\xC4\x91");
        }
        if (strcmp(a.s, b.s) != 0 || strcmp(c.s, d.s) != 0) {
            if (bad < 10)
                fprintf(stderr, "  U+%04X: norm %s / %s, fold %s / %s\n",
                        (unsigned)cp, a.s, b.s, c.s, d.s);
            bad++;
        }
        sbuf_free(&a);
        sbuf_free(&b);
        sbuf_free(&c);
        sbuf_free(&d);
    }
    T_EQ_INT(bad, 0);
}

/* A token's norm is the same whether it comes from the tokenizer or from
 * vn_norm_word, and norm is idempotent. */
static void test_idempotent(void)
{
    const char *s = "Thủ tướng Chính phủ Phạm Minh Chính hôm qua (22-9) đã "
                    "ký quyết định về việc hỗ trợ người dân khắc phục hậu "
                    "quả bão số 3 Yagi tại TP.HCM, Huế, Đắk Lắk, Khánh Hoà";
    char *a = norm(s), *b = norm(a), *f1 = fold(s), *f2 = fold(a);
    T_EQ_STR(b, a);
    T_EQ_STR(f2, f1);
    free(a);
    free(b);
    free(f1);
    free(f2);
}

int main(void)
{
    T_RUN(test_decode);
    T_RUN(test_encode_roundtrip);
    T_RUN(test_cut);
    T_RUN(test_sanitize);
    T_RUN(test_nfc);
    T_RUN(test_nfd);
    T_RUN(test_nfd_all_letters);
    T_RUN(test_tone_styles);
    T_RUN(test_qu_gi);
    T_RUN(test_iy_spelling);
    T_RUN(test_d_stroke);
    T_RUN(test_eth);
    T_RUN(test_mark_order);
    T_RUN(test_confusables);
    T_RUN(test_compat_forms);
    T_RUN(test_upper_and_flags);
    T_RUN(test_zero_width);
    T_RUN(test_clean);
    T_RUN(test_invalid_utf8);
    T_RUN(test_empty_and_punct);
    T_RUN(test_long_line);
    T_RUN(test_kinds);
    T_RUN(test_caps_connector);
    T_RUN(test_abbr_then_name);
    T_RUN(test_date_forms);
    T_RUN(test_score_not_date);
    T_RUN(test_iso_date);
    T_RUN(test_unicode_connectors);
    T_RUN(test_time_forms);
    T_RUN(test_fast_path_agrees);
    T_RUN(test_idempotent);
    return t_summary();
}
