/* test_analyze.c — which tokens lib/analyze.h reads as compounds, and
 * as what: the joined form and the parts of codes with a slash (A/H5N1)
 * and of numbers written against their unit (1.500.000đ, 20.000USD);
 * and how a db's analyzer version is checked. */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "schema.h"
#include "t.h"
#include "vn.h"

/* The compound reading of the first token of text: "fold norm: part
 * part …" (the parts' folded forms), or "" when it is none. */
static char *compound_of(const char *text)
{
    vn_tok *t = vn_tok_new();
    vn_token tk;
    sbuf fold = {0}, norm = {0}, out = {0};
    an_part part[AN_MAX_PARTS];
    sbuf_adds(&out, "");
    vn_tok_start(t, text, strlen(text));
    if (vn_tok_next(t, &tk)) {
        size_t np = an_compound(&tk, part, &fold, &norm);
        if (np)
            sbuf_addf(&out, "%s %s:", fold.s, norm.s);
        for (size_t k = 0; k < np; k++)
            sbuf_addf(&out, " %.*s/%.*s", (int)part[k].flen, part[k].fold,
                      (int)part[k].nlen, part[k].norm);
    }
    sbuf_free(&fold);
    sbuf_free(&norm);
    vn_tok_free(t);
    return sbuf_detach(&out, NULL);
}

static void reads_as(const char *text, const char *want)
{
    char *got = compound_of(text);
    if (strcmp(got, want))
        printf("# %s: \"%s\", expected \"%s\"\n", text, got, want);
    T_EQ_STR(got, want);
    free(got);
}

/* A slash joins the parts of a code as a hyphen does, when every part
 * it separates holds a letter and no two digits meet across it: A/H5N1
 * is a and h5n1 (ah5n1 written together), H5N1/H7N9 both subtypes.
 * Dates (5/3), fractions (1/2), house numbers (5/3A, 12A/5), legal
 * numbers (15/2020/NĐ-CP), 3/4G and URLs stay whole. */
static void test_slash_codes(void)
{
    reads_as("A/H5N1", "ah5n1 ah5n1: a/a h5n1/h5n1");
    reads_as("a/h7n9", "ah7n9 ah7n9: a/a h7n9/h7n9");
    reads_as("H5N1/H7N9", "h5n1h7n9 h5n1h7n9: h5n1/h5n1 h7n9/h7n9");
    reads_as("F/A-18", "fa18 fa18: f/f a/a 18/18");
    reads_as("COVID-19", "covid19 covid19: covid/covid 19/19");
    reads_as("5/3", "");
    reads_as("1/2", "");
    reads_as("5/3A", "");
    reads_as("12A/5", "");
    reads_as("Covid/19", "");
    reads_as("3/4G", "");
    reads_as("15/2020/NĐ-CP", "");
    reads_as("http://a.vn/h5n1/x", "");
    reads_as("km/h", "");
}

/* A number written against its unit of measure or currency is the
 * number, as a number token reads it (thousands separators dropped),
 * and the unit; every spelling of the dong is written đồng (1.500.000đ
 * = 1500000đồng = 1500000VNĐ). */
static void test_number_units(void)
{
    reads_as("100km", "100km 100km: 100/100 km/km");
    reads_as("1.500.000đ",
             "1500000dong 1500000đồng: 1500000/1500000 dong/đồng");
    reads_as("1.500.000đồng",
             "1500000dong 1500000đồng: 1500000/1500000 dong/đồng");
    reads_as("20.000vnđ", "20000dong 20000đồng: 20000/20000 dong/đồng");
    reads_as("20.000VND", "20000dong 20000đồng: 20000/20000 dong/đồng");
    reads_as("20.000USD", "20000usd 20000usd: 20000/20000 usd/usd");
    reads_as("1.200kg", "1200kg 1200kg: 1200/1200 kg/kg");
    reads_as("2.5kg", "2.5kg 2.5kg: 2.5/2.5 kg/kg");
    reads_as("1,5kg", "1,5kg 1,5kg: 1,5/1,5 kg/kg"); /* a decimal comma */
    reads_as("3D", "");   /* no đ: three-dimensional */
    reads_as("1A", "");   /* a highway */
    reads_as("5m2", "");  /* no unit of the list */
    reads_as("3.5G", ""); /* a network */
}

/* The analyzer version check: this version, or an empty unstamped db,
 * passes; another version, a db with articles and no version, and a
 * version that is none are refused, each said as what it is. */
static void test_check_version(void)
{
    static const struct {
        const char *v;
        uint32_t docs;
        int rc;
        const char *says;
    } cases[] = {
        {TT_ANALYZER_VERSION, 5, TT_OK, NULL},
        {"", 0, TT_OK, NULL},
        {"timtin-analyzer-19", 5, TT_EVERSION, "(timtin-analyzer-19, this is"},
        {"timtin-analyzer-19", 0, TT_EVERSION, "another analyzer version"},
        {"", 7, TT_EVERSION, "holds 7 articles but no analyzer version"},
        {"\x01\xff\x02", 7, TT_EVERSION, "may be damaged"},
        {"timtin-analyzer-", 7, TT_EVERSION, "may be damaged"},
        {"timtin-analyzer-2x", 7, TT_EVERSION, "may be damaged"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tt_err e = {0};
        int rc = an_check_version(cases[i].v, strlen(cases[i].v),
                                  cases[i].docs, "db", &e);
        T_EQ_INT(rc, cases[i].rc);
        if (cases[i].says) {
            if (!strstr(e.msg, cases[i].says))
                printf("# %s: %s\n", cases[i].v, e.msg);
            T_CHECK(strstr(e.msg, cases[i].says) != NULL);
            T_CHECK(strstr(e.msg, "timtin-index --full") != NULL);
        }
    }
}

int main(void)
{
    T_RUN(test_slash_codes);
    T_RUN(test_number_units);
    T_RUN(test_check_version);
    return t_summary();
}
