/* test_seg.c — seg.c: the lexicon, user dictionaries and how they combine
 * with the built-in lexicon, segmentation, proper names, numbers,
 * abbreviation synonyms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seg.h"
#include "t.h"
#include "tmp.h"
#include "vn.h"

/* text segmented as "w1 w2_w3 …" (original forms) */
static char *segs(seg *s, const char *text)
{
    sbuf b = {0};
    size_t nw, i, k;
    const seg_word *w;
    const vn_token *tk;
    seg_run(s, text, strlen(text));
    w = seg_words(s, &nw);
    tk = seg_tokens(s, NULL);
    for (i = 0; i < nw; i++) {
        if (i)
            sbuf_addc(&b, ' ');
        for (k = 0; k < w[i].ntok; k++) {
            const vn_token *t = &tk[w[i].first + k];
            if (k && (t->flags & VN_SPACE))   /* "90%" stays whole */
                sbuf_addc(&b, '_');
            sbuf_add(&b, text + t->off, t->len);
        }
        /* a word's span covers its tokens */
        T_CHECK(w[i].off == tk[w[i].first].off);
    }
    if (!b.s)
        sbuf_add(&b, "", 0);
    return sbuf_detach(&b, NULL);
}

#define SEG_IS(s, in, want)                                                  \
    do {                                                                     \
        char *got_ = segs(s, in);                                            \
        T_EQ_STR(got_, want);                                                \
        free(got_);                                                          \
    } while (0)

static void test_lexicon(void)
{
    seg_lex *lex = seg_lex_new(0);
    T_EQ_INT(seg_lex_count(lex), 0);
    T_EQ_INT(seg_lex_add(lex, "kinh tế", strlen("kinh tế")), TT_OK);
    T_EQ_INT(seg_lex_add(lex, "Hoà_Bình", strlen("Hoà_Bình")), TT_OK);
    T_EQ_INT(seg_lex_add(lex, "nhà", strlen("nhà")), TT_EINVAL);
    T_EQ_INT(seg_lex_add(lex, "", 0), TT_EINVAL);
    T_EQ_INT(seg_lex_add(lex, "a , b", 5), TT_EINVAL);
    T_EQ_INT(seg_lex_count(lex), 2);
    /* any case, tone style, composition, separator */
    T_CHECK(seg_lex_has(lex, "KINH TẾ", strlen("KINH TẾ")) == SEG_USER);
    T_CHECK(seg_lex_has(lex, "hòa bình", strlen("hòa bình")));
    T_CHECK(seg_lex_has(lex, "Hoa\xCC\x80 bi\xCC\x80nh",
                        strlen("Hoa\xCC\x80 bi\xCC\x80nh")));
    T_CHECK(seg_lex_has(lex, "hoà_bình", strlen("hoà_bình")));
    T_CHECK(!seg_lex_has(lex, "hoa binh", 8));       /* accents matter */
    T_CHECK(!seg_lex_has(lex, "kinh", 4));           /* prefixes aren't */
    T_EQ_INT(seg_lex_learn(lex, "cà phê sữa", strlen("cà phê sữa")), TT_OK);
    T_CHECK(seg_lex_has(lex, "cà phê sữa", strlen("cà phê sữa")) ==
            SEG_LEARNED);
    seg_lex_free(lex);
    seg_lex_free(NULL);
}

/* the built-in lexicon is loaded, and stored in norm form */
static void test_builtin(void)
{
    /* programs start from gen-lexicon.py's table: it must be the one the
     * words give (else rerun scripts/gen-lexicon.py) */
    T_CHECK(seg_lex_prebuilt_ok());
    seg_lex *lex = seg_lex_new(1);
    static const char *const words[] = {
        "Hà Nội", "thành phố Hồ Chí Minh", "Cần Thơ", "kinh tế",
        "phòng chống", "ủy ban nhân dân", "uỷ ban nhân dân", "Đà Nẵng",
        "Thừa Thiên Huế", "Bà Rịa Vũng Tàu", "Đắk Lắk", "Khánh Hoà",
        "chính phủ", "quốc hội", "hòa bình", "sức khoẻ", NULL};
    int i;
    T_CHECK(seg_lex_count(lex) > 8000);
    /* a built-in proper name says so; a common word does not */
    T_CHECK(seg_lex_has(lex, "Hà Nội", strlen("Hà Nội")) ==
            (SEG_BUILTIN | SEG_NAME));
    T_CHECK(seg_lex_has(lex, "kinh tế", strlen("kinh tế")) == SEG_BUILTIN);
    /* by the accent-free form: every reading, names flagged */
    const char *nm[8];
    unsigned nb[8];
    size_t k = seg_builtin_by_fold("da nang", nm, nb, 8), found = 0;
    for (size_t j = 0; j < k; j++) {
        if (!strcmp(nm[j], "đà nẵng"))
            found += nb[j] == (SEG_BUILTIN | SEG_NAME);
        if (!strcmp(nm[j], "đa năng"))
            found += nb[j] == SEG_BUILTIN;
    }
    T_EQ_INT(found, 2);
    T_EQ_INT(seg_builtin_by_fold("qqq zzz", nm, nb, 8), 0);
    T_EQ_INT(seg_builtin_by_fold("da nang", nm, nb, 1), 1);
    /* user words join built-in ones: both bits */
    T_EQ_INT(seg_lex_add(lex, "kinh tế", strlen("kinh tế")), TT_OK);
    T_CHECK(seg_lex_has(lex, "kinh tế", strlen("kinh tế")) ==
            (SEG_BUILTIN | SEG_USER));
    /* ... in that lexicon only: the shared built-in table is untouched */
    T_EQ_INT(seg_lex_add(lex, "mèo mướp", strlen("mèo mướp")), TT_OK);
    seg_lex *other = seg_lex_new(1);
    T_CHECK(seg_lex_has(other, "mèo mướp", strlen("mèo mướp")) == 0);
    T_CHECK(seg_lex_has(other, "kinh tế", strlen("kinh tế")) == SEG_BUILTIN);
    T_CHECK(seg_lex_has(lex, "mèo mướp", strlen("mèo mướp")) == SEG_USER);
    seg_lex_free(other);
    for (i = 0; words[i]; i++)
        if (!seg_lex_has(lex, words[i], strlen(words[i]))) {
            fprintf(stderr, "  missing: %s\n", words[i]);
            T_CHECK(0);
        }
    seg_lex_free(lex);
}

/* lib/data/lexicon.txt and abbrev.txt, when the source tree is at hand:
 * every entry as generated is its own vn_norm (gen-lexicon.py agrees with
 * vn.c on the tone placement) */
static void test_generated_norm(void)
{
    extern const char seg_lexicon_text[], seg_names_text[];
    extern const size_t seg_lexicon_len, seg_names_len;
    const char *p = seg_lexicon_text, *end = p + seg_lexicon_len;
    int bad = 0, pass;
    size_t i, n = seg_abbr_count();
    for (pass = 0; pass < 2; pass++, p = seg_names_text,
        end = p + seg_names_len)
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        sbuf b = {0};
        vn_norm(p, len, &b);
        if (b.len != len || memcmp(b.s, p, len) != 0) {
            if (bad < 5)
                fprintf(stderr, "  not normalised: %.*s -> %s\n", (int)len,
                        p, b.s);
            bad++;
        }
        sbuf_free(&b);
        p += len + 1;
    }
    for (i = 0; i < n; i++) {
        const char *a, *e;
        sbuf b = {0};
        seg_abbr_get(i, &a, &e);
        vn_norm(e, strlen(e), &b);
        if (strcmp(b.s, e) != 0)
            bad++;
        sbuf_free(&b);
    }
    T_EQ_INT(bad, 0);
}

static void test_segment(void)
{
    seg_lex *lex = seg_lex_new(0);
    seg *s;
    static const char *const w[] = {"kinh tế", "phát triển", "Cần Thơ",
                                    "ủy ban nhân dân", "ủy ban", "nhân dân",
                                    "học sinh", "sinh học", "thành phố",
                                    NULL};
    int i;
    for (i = 0; w[i]; i++)
        seg_lex_add(lex, w[i], strlen(w[i]));
    s = seg_new(lex);
    SEG_IS(s, "Kinh tế Cần Thơ phát triển.",
           "Kinh_tế Cần_Thơ phát_triển .");
    /* the longest word wins over its parts */
    SEG_IS(s, "ủy ban nhân dân tỉnh", "ủy_ban_nhân_dân tỉnh");
    /* both tone styles, upper case, decomposed text */
    SEG_IS(s, "UỶ BAN NHÂN DÂN", "UỶ_BAN_NHÂN_DÂN");
    SEG_IS(s, "uy\xCC\x89 ban", "uy\xCC\x89_ban");
    /* capitals joined to a comma or a period: the same words */
    SEG_IS(s, "CẦN THƠ,KINH TẾ", "CẦN_THƠ , KINH_TẾ");
    SEG_IS(s, "về Cần Thơ.HỌC SINH", "về Cần_Thơ . HỌC_SINH");
    /* ambiguity: fewest words first ("thành phố" + "học sinh" beats
     * three words), then the word that ends later (backward matching) */
    SEG_IS(s, "thành phố học sinh", "thành_phố học_sinh");
    SEG_IS(s, "học sinh học", "học sinh_học");
    /* punctuation, numbers and codes are words of their own; words never
     * cross punctuation or line breaks */
    SEG_IS(s, "kinh, tế 1.000 kinh-tế COVID-19", "kinh , tế 1.000 kinh - tế"
           " COVID-19");
    SEG_IS(s, "kinh\ntế", "kinh tế");
    SEG_IS(s, "", "");
    SEG_IS(s, "  ", "");
    SEG_IS(s, "…!?", "… ! ?");
    /* surface forms are kept exactly, zero-width characters too */
    SEG_IS(s, "Kinh\xE2\x80\x8B tế", "Kinh\xE2\x80\x8B_tế");
    seg_free(s);
    seg_lex_free(lex);
    seg_free(NULL);
}

static void test_proper_names(void)
{
    seg_lex *lex = seg_lex_new(0);
    seg *s;
    seg_lex_add(lex, "chủ tịch", strlen("chủ tịch"));
    s = seg_new(lex);
    SEG_IS(s, "chủ tịch Nguyễn Văn An nói", "chủ_tịch Nguyễn_Văn_An nói");
    SEG_IS(s, "Nguyễn Văn An nói", "Nguyễn_Văn_An nói");
    /* a common word that starts a sentence is not part of the name */
    SEG_IS(s, "Ông Phong nói. Theo Phong thì", "Ông Phong nói . Theo Phong "
           "thì");
    SEG_IS(s, "gặp ông Trần Đức Lương", "gặp ông Trần_Đức_Lương");
    /* a place after its kind, with or without a space */
    SEG_IS(s, "về TP. Tân Phong mới", "về TP. Tân_Phong mới");
    SEG_IS(s, "về TP.Tân Phong mới", "về TP. Tân_Phong mới");
    /* but the period an abbreviation took may end a sentence: a word that
     * opens sentences is then no part of the name, as after any period */
    SEG_IS(s, "Ông ở TP. Bà Lan nói.", "Ông ở TP. Bà Lan nói .");
    SEG_IS(s, "Ông ở Huế. Bà Lan nói.", "Ông ở Huế . Bà Lan nói .");
    SEG_IS(s, "ra TP.Ông Tư về", "ra TP. Ông Tư về");
    SEG_IS(s, "nóng 30 độ C. Theo Tuấn Anh thì", "nóng 30 độ C. Theo "
           "Tuấn_Anh thì");
    seg_free(s);
    seg_lex_free(lex);
    /* a known name ends a name: a place before a person, a street before
     * its city */
    lex = seg_lex_new(0);
    seg_lex_add(lex, "Lâm Đồng", strlen("Lâm Đồng"));
    seg_lex_add(lex, "Hà Nội", strlen("Hà Nội"));
    s = seg_new(lex);
    SEG_IS(s, "tại Lâm Đồng Nguyễn Văn Đẳng nói",
           "tại Lâm_Đồng Nguyễn_Văn_Đẳng nói");
    SEG_IS(s, "phố Hàng Mành Hà Nội", "phố Hàng_Mành Hà_Nội");
    SEG_IS(s, "về Hà Nội", "về Hà_Nội");
    seg_free(s);
    seg_lex_free(lex);
}

/* i/y spellings (kĩ/kỹ thuật, lí/lý do) are one word: the lexicon is
 * keyed by norm forms, which write i (quy: y after qu), so both spellings
 * of a built-in or user word find it, segment alike, and fold alike; a
 * surname in either spelling opens a name (Lí, Lý). */
static void test_iy_spelling(void)
{
    seg_lex *lex = seg_lex_new(1);
    seg *s = seg_new(lex);
    const char *nm[4];
    unsigned nb[4];
    sbuf f = {0};
    SEG_IS(s, "Ngành kĩ thuật số phát triển", "Ngành kĩ_thuật_số phát_triển");
    SEG_IS(s, "Ngành kỹ thuật số phát triển", "Ngành kỹ_thuật_số phát_triển");
    T_CHECK(seg_lex_has(lex, "kỹ thuật", strlen("kỹ thuật")) == SEG_BUILTIN);
    T_CHECK(seg_lex_has(lex, "kĩ thuật", strlen("kĩ thuật")) == SEG_BUILTIN);
    /* one entry by the accent-free form, whichever spelling is typed */
    vn_fold("ky thuat", 8, &f);
    T_EQ_INT(seg_builtin_by_fold(f.s, nm, nb, 4), 1);
    T_EQ_STR(nm[0], "kĩ thuật");
    sbuf_reset(&f);
    vn_fold("ki thuat", 8, &f);
    T_EQ_INT(seg_builtin_by_fold(f.s, nm, nb, 4), 1);
    sbuf_free(&f);
    /* a user's word in one spelling is the word in the other */
    T_EQ_INT(seg_lex_add(lex, "tỷ giá hối đoái", strlen("tỷ giá hối đoái")),
             TT_OK);
    T_CHECK(seg_lex_has(lex, "tỉ giá hối đoái", strlen("tỉ giá hối đoái")) &
            SEG_USER);
    size_t n = seg_lex_count(lex);
    T_EQ_INT(seg_lex_add(lex, "tỉ giá hối đoái", strlen("tỉ giá hối đoái")),
             TT_OK);
    T_EQ_INT(seg_lex_count(lex), n);
    SEG_IS(s, "tỉ giá hối đoái tăng", "tỉ_giá_hối_đoái tăng");
    seg_free(s);
    seg_lex_free(lex);
    lex = seg_lex_new(0);
    s = seg_new(lex);
    SEG_IS(s, "Lý Văn Hùng nói", "Lý_Văn_Hùng nói");
    SEG_IS(s, "Lí Văn Hùng nói", "Lí_Văn_Hùng nói");
    seg_free(s);
    seg_lex_free(lex);
}

/* numbers: "90%" written together, "10 triệu", "tháng 9" are words */
static void test_numbers(void)
{
    seg_lex *lex = seg_lex_new(0);
    seg *s = seg_new(lex);
    SEG_IS(s, "tăng 90% và 5 % nữa", "tăng 90% và 5 % nữa");
    SEG_IS(s, "có 10 triệu đồng và 3,5 triệu", "có 10_triệu đồng và "
           "3,5_triệu");
    SEG_IS(s, "5 tỷ đồng", "5 tỷ đồng");
    SEG_IS(s, "từ tháng 9 đến Tháng 12 .", "từ tháng_9 đến Tháng_12 .");
    /* not a month, or a date going on, or across a line */
    SEG_IS(s, "tháng 13 ; tháng 8 - 2003", "tháng 13 ; tháng 8 - 2003");
    SEG_IS(s, "tháng\n9", "tháng 9");
    SEG_IS(s, "10\ntriệu", "10 triệu");
    seg_free(s);
    seg_lex_free(lex);
}

/* reduplication and Sino-Vietnamese suffixes */
static void test_rules(void)
{
    seg_lex *lex = seg_lex_new(0);
    seg *s;
    seg_lex_add(lex, "hướng dẫn", strlen("hướng dẫn"));
    seg_lex_add(lex, "công nghiệp", strlen("công nghiệp"));
    seg_lex_add(lex, "ngày mai", strlen("ngày mai"));
    s = seg_new(lex);
    SEG_IS(s, "lâu lâu mới về , dần dần quen", "lâu_lâu mới về , dần_dần "
           "quen");
    SEG_IS(s, "Ngày ngày đi", "Ngày_ngày đi");
    /* "năm năm" is five years; the lexicon goes first */
    SEG_IS(s, "năm năm sau", "năm năm sau");
    SEG_IS(s, "ngày ngày mai", "ngày ngày_mai");
    SEG_IS(s, "làm hướng dẫn viên", "làm hướng_dẫn_viên");
    SEG_IS(s, "công nghiệp hóa đất nước", "công_nghiệp_hóa đất nước");
    SEG_IS(s, "viên hóa", "viên hóa");
    seg_free(s);
    seg_lex_free(lex);
}

/* SEG_USER_FIRST: a user dictionary sets the built-in common vocabulary
 * aside, keeps the built-in names; SEG_UNION: everything counts */
static void test_policy(void)
{
    seg_lex *lex = seg_lex_new(1);
    seg *s = seg_new(lex);
    const char *text = "kinh tế Hà Nội phát triển nhanh chóng";
    T_EQ_INT(seg_lex_policy(lex), SEG_UNION);
    SEG_IS(s, text, "kinh_tế Hà_Nội phát_triển nhanh_chóng");
    /* no user words yet: the same */
    seg_lex_set_policy(lex, SEG_USER_FIRST);
    T_EQ_INT(seg_lex_policy(lex), SEG_USER_FIRST);
    SEG_IS(s, text, "kinh_tế Hà_Nội phát_triển nhanh_chóng");
    seg_lex_add(lex, "phát triển", strlen("phát triển"));
    seg_lex_add(lex, "chóng mặt", strlen("chóng mặt"));
    /* lower case too: a name is a word of the lexicon, not a shape */
    SEG_IS(s, text, "kinh tế Hà_Nội phát_triển nhanh chóng");
    SEG_IS(s, "ở hà nội", "ở hà_nội");
    /* learned words stay */
    seg_lex_learn(lex, "kinh tế", strlen("kinh tế"));
    SEG_IS(s, text, "kinh_tế Hà_Nội phát_triển nhanh chóng");
    seg_lex_set_policy(lex, SEG_UNION);
    SEG_IS(s, text, "kinh_tế Hà_Nội phát_triển nhanh_chóng");
    seg_lex_set_policy(lex, 42);        /* unknown: union */
    T_EQ_INT(seg_lex_policy(lex), SEG_UNION);
    seg_free(s);
    seg_lex_free(lex);
}

static void test_user_dict(void)
{
    char path[TMP_PATH_MAX];
    int fd = mkstemp(tmp_path(path, sizeof path, "test_seg_dictXXXXXX"));
    FILE *f;
    seg_lex *lex = seg_lex_new(0);
    size_t added = 0;
    tt_err e;
    T_CHECK(fd >= 0);
    f = fdopen(fd, "w");
    /* a word twice, the second time otherwise written, is added once */
    fputs("# a comment\n\nxe_máy\r\n  cà phê  \nmột\nbình dân học vụ\n"
          "Cà Phê\n", f);
    fclose(f);
    T_EQ_INT(seg_lex_load(lex, path, &added, &e), TT_OK);
    T_EQ_INT(added, 3);
    T_CHECK(seg_lex_has(lex, "xe máy", strlen("xe máy")));
    T_CHECK(seg_lex_has(lex, "cà_phê", strlen("cà_phê")));
    T_CHECK(seg_lex_has(lex, "bình dân học vụ", strlen("bình dân học vụ")));
    unlink(path);
    T_EQ_INT(seg_lex_load(lex, path, NULL, &e), TT_EIO);
    T_CHECK(strstr(e.msg, path) != NULL);
    seg_lex_free(lex);
}

static void test_abbr(void)
{
    const char *x;
    x = seg_abbr_expand("TP.HCM", 6);
    T_EQ_STR(x, "thành phố hồ chí minh");
    T_EQ_STR(seg_abbr_expand("Tp. HCM", 7), x);
    T_EQ_STR(seg_abbr_expand("tphcm", 5), x);
    T_EQ_STR(seg_abbr_expand("UBND", 4), "ủy ban nhân dân");
    T_EQ_STR(seg_abbr_expand("HĐND", strlen("HĐND")), "hội đồng nhân dân");
    T_EQ_STR(seg_abbr_expand("hdnd", 4), "hội đồng nhân dân");
    T_EQ_STR(seg_abbr_expand("THPT", 4), "trung học phổ thông");
    T_EQ_STR(seg_abbr_expand("ĐBSCL", strlen("ĐBSCL")),
             "đồng bằng sông cửu long");
    T_CHECK(seg_abbr_expand("XYZQ", 4) == NULL);
    T_CHECK(seg_abbr_expand("", 0) == NULL);
    T_EQ_STR(seg_abbr_find("Uỷ ban nhân dân", strlen("Uỷ ban nhân dân")),
             "ubnd");
    T_EQ_STR(seg_abbr_find("thành phố Hồ Chí Minh",
                           strlen("thành phố Hồ Chí Minh")), "tp.hcm");
    T_CHECK(seg_abbr_find("bánh mì", strlen("bánh mì")) == NULL);
    T_CHECK(seg_abbr_count() > 50);
}

/* the indexer's side: entries by a token's norm (marks as written) and by
 * the words that end an expansion */
static void test_abbr_index(void)
{
    sbuf k = {0};
    const seg_abbr *a = seg_abbr_lookup("HĐND", strlen("HĐND")), *out[4];
    T_CHECK(a != NULL);
    T_EQ_STR(a->abbr, "hđnd");
    T_EQ_STR(a->fold, "hdnd");
    T_CHECK(seg_abbr_lookup("hdnd", 4) == a);
    a = seg_abbr_of_norm("tphcm", 5, &k);
    T_CHECK(a != NULL);
    T_EQ_STR(a->abbr, "tp.hcm");
    /* no marks guessed: "cd" is not "cđ" */
    T_CHECK(seg_abbr_of_norm("cd", 2, &k) == NULL);
    T_CHECK(seg_abbr_of_norm("cđ", strlen("cđ"), &k) != NULL);
    T_CHECK(seg_abbr_of_norm("", 0, &k) == NULL);

    const char *w[] = {"chủ", "tịch", "hội", "đồng", "nhân", "dân"};
    size_t len[6];
    for (size_t i = 0; i < 6; i++)
        len[i] = strlen(w[i]);
    T_EQ_INT(seg_abbr_ending(w, len, 6, out, 4), 1);
    T_EQ_STR(out[0]->abbr, "hđnd");
    T_EQ_INT(seg_abbr_ending(w, len, 5, out, 4), 0); /* "nhân" ends none */
    T_EQ_INT(seg_abbr_ending(w + 3, len + 3, 3, out, 4), 0); /* too few */
    T_EQ_INT(seg_abbr_ending(w, len, 6, out, 0), 0);
    /* every entry that ends here: tp.hcm and hcm */
    const char *c[] = {"thành", "phố", "hồ", "chí", "minh"};
    size_t clen[5];
    for (size_t i = 0; i < 5; i++)
        clen[i] = strlen(c[i]);
    size_t n = seg_abbr_ending(c, clen, 5, out, 4);
    T_EQ_INT(n, 2);
    int tphcm = 0, hcm = 0;
    for (size_t i = 0; i < n; i++) {
        tphcm += !strcmp(out[i]->abbr, "tp.hcm");
        hcm += !strcmp(out[i]->abbr, "hcm");
    }
    T_CHECK(tphcm == 1 && hcm == 1);
    T_EQ_INT(seg_abbr_ending(c, clen, 2, out, 4), 1); /* thành phố: tp */
    T_EQ_STR(out[0]->abbr, "tp");
    /* the longest expansions (7 syllables) are tracked too */
    const char *l[] = {"viện", "kiểm", "sát", "nhân", "dân", "tối", "cao"};
    size_t llen[7];
    for (size_t i = 0; i < 7; i++)
        llen[i] = strlen(l[i]);
    T_EQ_INT(seg_abbr_ending(l, llen, 7, out, 4), 1);
    T_EQ_STR(out[0]->abbr, "vksndtc");
    sbuf_free(&k);
}

/* entries made of others (TP.HCM: TP and HCM, their expansions one after
 * the other), and expansions typed without accents */
static void test_abbr_parts(void)
{
    const seg_abbr *w = seg_abbr_lookup("TP.HCM", 6), *p[SEG_ABBR_MAX_PARTS];
    T_CHECK(w != NULL);
    T_EQ_INT(seg_abbr_parts(w, p), 2);
    T_EQ_STR(p[0]->abbr, "tp");
    T_EQ_STR(p[1]->abbr, "hcm");
    T_EQ_INT(seg_abbr_parts(p[0], p), 0);
    /* tandtc is tand and "tc", which is no entry */
    T_EQ_INT(seg_abbr_parts(seg_abbr_lookup("TANDTC", 6), p), 0);
    int listed = 0;
    T_CHECK(seg_abbr_nwholes() >= 1);
    for (size_t i = 0; i < seg_abbr_nwholes(); i++) {
        listed += seg_abbr_whole(i) == w;
        T_CHECK(seg_abbr_parts(seg_abbr_whole(i), p) >= 2);
    }
    T_EQ_INT(listed, 1);
    T_CHECK(seg_abbr_whole(seg_abbr_nwholes()) == NULL);

    const char *u = "uy ban nhan dan", *h = "thanh pho ho chi minh";
    T_EQ_STR(seg_abbr_spelt(u, strlen(u), 1)->abbr, "ubnd");
    T_CHECK(seg_abbr_spelt(u, strlen(u), 0) == NULL);
    T_EQ_STR(seg_abbr_spelt(h, strlen(h), 1)->abbr, "tp.hcm");
    T_EQ_STR(seg_abbr_spelt("Hội đồng nhân dân", strlen("Hội đồng nhân dân"),
                            0)->abbr, "hđnd");
    T_EQ_STR(seg_abbr_spelt("HOI DONG NHAN DAN", 17, 1)->abbr, "hđnd");
    T_CHECK(seg_abbr_spelt("ban nhan dan", 12, 1) == NULL);
}

/* a 1 MB line without spaces, and one of syllables: no crash, every
 * token in exactly one word */
static void test_long(void)
{
    seg_lex *lex = seg_lex_new(1);
    seg *s = seg_new(lex);
    size_t n = 1 << 20, i, nw, nt, sum = 0;
    char *buf = xmalloc(n);
    const seg_word *w;
    for (i = 0; i < n; i++)
        buf[i] = (i % 5 == 4) ? ' ' : "abcd"[i % 5];
    seg_run(s, buf, n);
    w = seg_words(s, &nw);
    seg_tokens(s, &nt);
    for (i = 0; i < nw; i++)
        sum += w[i].ntok;
    T_EQ_INT(sum, nt);
    memset(buf, 'a', n);
    seg_run(s, buf, n);
    w = seg_words(s, &nw);
    seg_tokens(s, &nt);
    for (sum = 0, i = 0; i < nw; i++)
        sum += w[i].ntok;
    T_EQ_INT(sum, nt);
    T_CHECK(nt > 1);
    free(buf);
    seg_free(s);
    seg_lex_free(lex);
}

int main(void)
{
    T_RUN(test_lexicon);
    T_RUN(test_builtin);
    T_RUN(test_generated_norm);
    T_RUN(test_segment);
    T_RUN(test_proper_names);
    T_RUN(test_iy_spelling);
    T_RUN(test_numbers);
    T_RUN(test_rules);
    T_RUN(test_policy);
    T_RUN(test_user_dict);
    T_RUN(test_abbr);
    T_RUN(test_abbr_index);
    T_RUN(test_abbr_parts);
    T_RUN(test_long);
    return t_summary();
}
