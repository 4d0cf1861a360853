/* timtin-tokenize — Vietnamese tokenisation and word segmentation of UTF-8
 * text on standard input (see usage()).  A thin program over vn.h and
 * seg.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seg.h"
#include "unicode.h"
#include "util.h"
#include "vn.h"

enum { EXIT_USAGE = 2 };

static void usage(FILE *f)
{
    fprintf(f,
"usage: timtin-tokenize [--segment] [--no-lexicon] [--dict FILE]...\n"
"                       [--add-dict FILE]...\n"
"\n"
"Reads UTF-8 text on standard input (invalid bytes are read as U+FFFD).\n"
"\n"
"Default output: one token a line, tab-separated:\n"
"  ORIGINAL  NORM  FOLD  START  END  KIND  FLAGS\n"
"ORIGINAL is the token as in the input, NORM its normalised form (NFC,\n"
"lower case, one tone placement: hòa, thủy, khỏe; i for a rhyme i or y\n"
"after an initial: kỹ -> kĩ, Mỹ -> mĩ, but quý; a date or a time in one\n"
"form whatever its spelling: 22-9 -> 22/9, 2021-03-05 -> 5/3/2021,\n"
"10:30 and 10g30 -> 10h30, 07:00 -> 7h (a score is no date: thắng 2-1);\n"
"a number without thousands separators: 1.000 -> 1000;\n"
"’ in a word as ': McDonald’s -> mcdonald's), FOLD the accent-free form\n"
"(đ -> d); START and END are byte offsets into the whole input, END\n"
"exclusive.  KIND: word number date time code abbr url email punct\n"
"symbol.\n"
"FLAGS: C capitalised, A all caps, S Vietnamese syllable, ~ accented,\n"
"H hyphenated, X cut from an overlong run, . an initial that took its\n"
"period (\"H. nói\"), - when none.\n"
"An empty line follows the tokens of each input line.\n"
"\n"
"--segment      word segmentation instead: one output line per input line,\n"
"               words separated by single spaces, the syllables of a word\n"
"               joined by '_', punctuation as separate tokens, each token\n"
"               exactly as in the input (the UD Vietnamese-VTB format).\n"
"               Words: the longest matches of the lexicon (fewest words,\n"
"               ties to the later ends), runs of capitalised syllables as\n"
"               names, \"90%%\", \"10 triệu\" and \"tháng 9\" whole.\n"
"--dict FILE    a user dictionary: one word a line, syllables separated by\n"
"               spaces or '_', '#' comments (may be repeated).  It is\n"
"               authoritative for the common vocabulary: the built-in\n"
"               common words are set aside, while the built-in proper\n"
"               names (provinces, cities, bodies) stay, as do the rules\n"
"               for names, numbers and months.  Dictionaries differ on\n"
"               what makes one word; this keeps yours whole.\n"
"--add-dict FILE  add the words of FILE to the built-in lexicon instead\n"
"               (both count; may be repeated, and mixed with --dict).\n"
"--no-lexicon   leave the built-in lexicon out, its proper names too:\n"
"               only the dictionaries' words, and the rules for names,\n"
"               numbers and months.\n"
"               (--dict, --add-dict and --no-lexicon change only\n"
"               --segment's words: they need --segment.)\n"
"--help, --version\n"
"\n"
"Exit status: 0 success, 1 I/O error (unreadable --dict, write error),\n"
"2 usage error (--dict without --segment too).\n");
}

static void flags_str(unsigned f, char *out)
{
    char *p = out;
    if (f & VN_CAP)
        *p++ = 'C';
    if (f & VN_ALLCAPS)
        *p++ = 'A';
    if (f & VN_SYLL)
        *p++ = 'S';
    if (f & VN_ACCENT)
        *p++ = '~';
    if (f & VN_HYPHEN)
        *p++ = 'H';
    if (f & VN_SPLIT)
        *p++ = 'X';
    if (f & VN_INITIAL)
        *p++ = '.';
    if (p == out)
        *p++ = '-';
    *p = '\0';
}

/* Write s[0..n) with invalid UTF-8 replaced, so the output is valid. */
static void put_text(const char *s, size_t n, sbuf *tmp)
{
    if (uni_valid(s, n)) {
        fwrite(s, 1, n, stdout);
        return;
    }
    sbuf_reset(tmp);
    uni_sanitize(s, n, tmp);
    fwrite(tmp->s, 1, tmp->len, stdout);
}

static void tokens(vn_tok *t, const char *line, size_t n, size_t base,
                   sbuf *tmp)
{
    vn_token tk;
    char fl[16];
    vn_tok_start(t, line, n);
    while (vn_tok_next(t, &tk)) {
        flags_str(tk.flags, fl);
        put_text(line + tk.off, tk.len, tmp);
        printf("\t%s\t%s\t%zu\t%zu\t%s\t%s\n", tk.norm, tk.fold,
               base + tk.off, base + tk.off + tk.len, vn_kind_name(tk.kind),
               fl);
    }
    putchar('\n');
}

/* Only a symbol token can hold invalid UTF-8 (decoded as U+FFFD): the
 * output stays valid by replacing those alone. */
static void segment(seg *sg, const char *line, size_t n, sbuf *out,
                    sbuf *tmp)
{
    size_t nw, i, k;
    const seg_word *w;
    const vn_token *tk;
    seg_run(sg, line, n);
    w = seg_words(sg, &nw);
    tk = seg_tokens(sg, NULL);
    sbuf_reset(out);
    xgrow(&out->s, &out->cap, 2 * n + 2, 1);  /* tokens + separators */
    for (i = 0; i < nw; i++) {
        if (i > 0)
            out->s[out->len++] = ' ';
        for (k = 0; k < w[i].ntok; k++) {
            const vn_token *t = &tk[w[i].first + k];
            const char *p = line + t->off;
            if (k > 0 && (t->flags & VN_SPACE))
                out->s[out->len++] = '_';   /* "90%" stays as written */
            if (t->kind == VN_SYMBOL && !uni_valid(p, t->len)) {
                sbuf_reset(tmp);
                uni_sanitize(p, t->len, tmp);
                sbuf_add(out, tmp->s, tmp->len);
                xgrow(&out->s, &out->cap, out->len + 2 * n + 2, 1);
                continue;
            }
            memcpy(out->s + out->len, p, t->len);
            out->len += t->len;
        }
    }
    out->s[out->len++] = '\n';
    fwrite(out->s, 1, out->len, stdout);
}

int main(int argc, char **argv)
{
    int i, do_seg = 0, builtin = 1, ndict = 0, rc = 0, first = 0;
    const char *lexopt = NULL; /* the first option for --segment only */
    const char **dicts = xcalloc((size_t)argc, sizeof *dicts);
    char *line = NULL;
    size_t cap = 0, base = 0;
    ssize_t n;
    seg_lex *lex = NULL;
    seg *sg = NULL;
    vn_tok *t = NULL;
    sbuf tmp = {0}, outb = {0};
    static char obuf[1 << 16];

    tt_set_progname(argv[0]);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--segment") == 0) {
            do_seg = 1;
        } else if (strcmp(a, "--no-lexicon") == 0) {
            builtin = 0;
            lexopt = lexopt ? lexopt : "--no-lexicon";
        } else if (strcmp(a, "--dict") == 0 && i + 1 < argc) {
            dicts[ndict++] = argv[++i];
            first = 1;
            lexopt = lexopt ? lexopt : "--dict";
        } else if (strncmp(a, "--dict=", 7) == 0) {
            dicts[ndict++] = a + 7;
            first = 1;
            lexopt = lexopt ? lexopt : "--dict";
        } else if (strcmp(a, "--add-dict") == 0 && i + 1 < argc) {
            dicts[ndict++] = argv[++i];
            lexopt = lexopt ? lexopt : "--add-dict";
        } else if (strncmp(a, "--add-dict=", 11) == 0) {
            dicts[ndict++] = a + 11;
            lexopt = lexopt ? lexopt : "--add-dict";
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            free(dicts);
            return tt_check_stdout() ? 1 : 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("timtin-tokenize %s (Unicode %s)\n", TT_VERSION,
                   uni_version());
            free(dicts);
            return tt_check_stdout() ? 1 : 0;
        } else {
            fprintf(stderr, "%s: unknown or incomplete option '%s'\n",
                    tt_progname(), a);
            usage(stderr);
            free(dicts);
            return EXIT_USAGE;
        }
    }
    if (lexopt && !do_seg) /* it would change nothing: said, not ignored */
        tt_usage_error("%s needs --segment", lexopt);
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    if (do_seg) {
        lex = seg_lex_new(builtin);
        seg_lex_set_policy(lex, first ? SEG_USER_FIRST : SEG_UNION);
        for (i = 0; i < ndict; i++) {
            tt_err e;
            if (seg_lex_load(lex, dicts[i], NULL, &e) != TT_OK) {
                fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
                rc = 1;
                goto done;
            }
        }
        sg = seg_new(lex);
    } else {
        t = vn_tok_new();
    }
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        size_t m = (size_t)n;
        while (m > 0 && (line[m - 1] == '\n' || line[m - 1] == '\r'))
            m--;
        if (do_seg)
            segment(sg, line, m, &outb, &tmp);
        else
            tokens(t, line, m, base, &tmp);
        base += (size_t)n;
    }
    if (ferror(stdin)) {
        fprintf(stderr, "%s: reading standard input failed\n",
                tt_progname());
        rc = 1;
    }
    if (tt_check_stdout())
        rc = 1;
done:
    free(line);
    free(dicts);
    sbuf_free(&tmp);
    sbuf_free(&outb);
    seg_free(sg);
    seg_lex_free(lex);
    vn_tok_free(t);
    return rc;
}
