/* timtin-search — search a timtin index from the command line. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "search.h"

static const char usage[] =
    "Usage: timtin-search --db DIR [--db DIR...] [options] QUERY...\n"
    "Search Vietnamese news indexed by timtin-index.  Words match with or\n"
    "without accents (\"can tho\" finds \"Cần Thơ\"); typed accents are\n"
    "preferred.  Every word must match; when no article has them all, the\n"
    "best partial matches are shown, and said so (not when articles have\n"
    "them but the filters leave them out: no results; a \"phrase\" whose\n"
    "words are there, apart, is said to be so).  Abbreviations find\n"
    "their expansions and back (UBND, \"ủy ban nhân dân\"; TPHCM, TP.HCM).\n"
    "\n"
    "Query language:\n"
    "  \"quoted phrase\"  -word  -\"phrase\"  a OR b  (parentheses)\n"
    "  a AND b (the default)  NOT x, the same as -x (x a word, a \"phrase\",\n"
    "  a field or a (group)); AND, OR and NOT in upper case only: and, not\n"
    "  are words.  A query of operators alone is empty (exit 2).\n"
    "  title:word  title:\"a phrase\"       (tieude:)\n"
    "  author:\"Ngọc An\"  section:\"thời sự\"  tag:covid  source:tuoitre\n"
    "                                    (tacgia: chuyenmuc: the: nguon:)\n"
    "  since:2021-10-01  until:2021-10    (tu: den:)  2021-10-01..2021-10-31\n"
    "  2021..  ..2021-06                  (a range open at one end)\n"
    "  Also read so: “phrase” «phrase» (any double quotation marks),\n"
    "  a hoặc b (between two items; \"hoac\" in an accent-free query),\n"
    "  tiêuđề: tácgiả: chuyênmục: thẻ: nguồn: từ: đến: (the fields with\n"
    "  their accents; also tiêu đề: tác giả: chuyên mục: từ khóa:, and\n"
    "  đề: for title:), \"title: word\" (a space after the colon).\n"
    "  Fields and dates restrict the words beside them: \"section:a OR\n"
    "  section:b\", \"(bão author:X) OR lũ\", \"-since:2020\".  A field\n"
    "  value without a word (section:!!!) matches no article.  A value\n"
    "  ends at a space (author:ngoc an is author:ngoc and the word an);\n"
    "  one that no article has is said so, with the sections or sources\n"
    "  there are.  A field with nothing after it (title:, since:\"\") is\n"
    "  an error (exit 2).\n"
    "  A field before (parentheses) is the field of each word and phrase\n"
    "  in them: title:(bão OR \"lũ quét\") is title:bão OR title:\"lũ\n"
    "  quét\"; -title:(bão) excludes it; section:(\"thời sự\" OR \"kinh\n"
    "  doanh\"); author:(ngọc an) is author:ngọc author:an.\n"
    "  Invalid UTF-8 is read as spaces, and said so (the byte of it).\n"
    "  The first 32 words are searched (a filter counts as one, OR,\n"
    "  quotes and parentheses as none); the rest is ignored, and said so.\n"
    "  The query may be one argument or several, before or after the\n"
    "  options.  An argument beginning with a single '-' is query text\n"
    "  unless it is short options alone (-j, -jn5; bão -lũ, -hòa and\n"
    "  -section:\"thời sự\" are query text): -n takes a number attached\n"
    "  (-n5), -d a DIR attached only when it has a '/' or exists (-d./db).\n"
    "  An argument beginning with \"--\" is always an option, an unknown\n"
    "  one a usage error (--lũ: exit 2).  Every argument after \"--\" is\n"
    "  query text: put \"--\" before query text you do not control.\n"
    "\n"
    "  -d, --db DIR         a database (repeat to search several as one;\n"
    "                       default $TIMTIN_DB, colon-separated, or ./db)\n"
    "  -n, --limit N        results to show (default 10, at most 1000)\n"
    "      --offset N       skip the first N results\n"
    "      --sort KEY       relevance (default), date (newest first), or\n"
    "                       recent (relevance, favouring recent articles);\n"
    "                       the last --sort given counts\n"
    "      --recency DAYS   with relevance: favour recent articles; a\n"
    "                       match of the newest day in the db weighs 2x,\n"
    "                       one DAYS days older 1.5x (--sort recent: 30\n"
    "                       days; the first 100 results, the\n"
    "                       others after them by relevance); not with\n"
    "                       --sort date (exit 2)\n"
    "      --since DATE     published on or after DATE (YYYY[-MM[-DD]])\n"
    "      --until DATE     published on or before DATE\n"
    "      --section NAME   only this section (accents optional)\n"
    "      --related ID     articles like article ID, not its copies\n"
    "                       (QUERY optional: with one, those it matches)\n"
    "      --copies ID      article ID and its copies: the same story\n"
    "                       stored under other ids, which results show\n"
    "                       once (the near-duplicate collapse); newest\n"
    "                       first, no QUERY, --since, --until or\n"
    "                       --section, which could hide one (before a\n"
    "                       takedown: each copy is an article to delete\n"
    "                       too)\n"
    "      --facets         also count the matches per section and year\n"
    "      --time-limit MS  stop the search after MS milliseconds and show\n"
    "                       the results found by then, with a note that\n"
    "                       it was cut short (default: no limit)\n"
    "      --corpus DIR     a snippet whose words are not in the part of\n"
    "                       the text the db keeps (its first 512 bytes)\n"
    "                       is cut from the whole article, read from the\n"
    "                       corpus in DIR (default: the one the db was\n"
    "                       indexed from, when it is there; a DIR that\n"
    "                       cannot be read is a usage error)\n"
    "      --no-corpus      cut snippets from the part kept only\n"
    "  -j, --json           print one JSON object\n"
    "      --explain        also print the query as run (Xapian's form)\n"
    "      --color WHEN     bold titles and highlighted matches: auto (on a\n"
    "                       terminal, unless NO_COLOR is set or TERM is\n"
    "                       dumb; the default), always or never\n"
    "  -h, --help           this help\n"
    "  -V, --version        print the version\n"
    "\n"
    "Exit status: 0 results found, 1 no results (or no article with the\n"
    "--related or --copies id), 2 usage error or empty query, 3 index missing or\n"
    "unreadable, 4 index built by another version (rebuild with\n"
    "timtin-index --full), 5 other error (standard output that cannot be\n"
    "written too; an index an indexer kept changing: try again), 70 crash.\n";

/* Does the long option arg ("--name" or "--name=value") take the next
 * argument as its value?  Abbreviations as getopt_long takes them: a
 * prefix of one name only; an unknown name is left to getopt_long. */
static int long_takes_next(const struct option *lo, const char *arg)
{
    const char *name = arg + 2;
    size_t n = strcspn(name, "=");
    const struct option *hit = NULL;
    int prefixes = 0;
    if (name[n] == '=')
        return 0;
    for (; lo->name; lo++) {
        if (strlen(lo->name) == n && !strncmp(lo->name, name, n))
            return lo->has_arg == required_argument;
        if (!strncmp(lo->name, name, n)) {
            hit = lo;
            prefixes++;
        }
    }
    return prefixes == 1 && hit->has_arg == required_argument;
}

/* How many arguments a short-option argument ("-jn5", "-d", "-d./db")
 * takes (1, or 2 with its value next), or 0 when it is query text
 * ("-lũ", "-section:x", "-nhà", "-hòa"): every letter an option, a
 * value attached to -n all digits, one attached to -d a path ('/' in it,
 * or something there). */
static int short_option(const char *arg)
{
    struct stat st;
    for (const char *p = arg + 1; *p; p++) {
        if (*p == 'j' || *p == 'h' || *p == 'V')
            continue;
        if (*p == 'n' || *p == 'd') {
            const char *v = p + 1;
            if (!*v)
                return 2;
            if (*p == 'n')
                return strspn(v, "0123456789") == strlen(v) ? 1 : 0;
            return strchr(v, '/') || stat(v, &st) == 0 ? 1 : 0;
        }
        return 0;
    }
    return arg[1] ? 1 : 0; /* "-" alone: query text */
}

/* Split argv[1..argc) into the options (with their values), kept in argv
 * after argv[0] for getopt_long, and the query text, appended to q
 * (arguments joined by spaces).  Returns the new argc. */
static int split_args(int argc, char **argv, const struct option *lo,
                      sbuf *q)
{
    int nopt = 1;
    char **words = xcalloc((size_t)argc + 1, sizeof *words);
    size_t nw = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int take = 0;
        if (!strcmp(a, "--")) {
            while (++i < argc)
                words[nw++] = argv[i];
            break;
        }
        if (a[0] == '-' && a[1] == '-')
            take = 1 + long_takes_next(lo, a);
        else if (a[0] == '-')
            take = short_option(a);
        if (!take) {
            words[nw++] = argv[i];
            continue;
        }
        for (int k = 0; k < take && i < argc; k++)
            argv[nopt++] = argv[i++];
        i--;
    }
    for (size_t k = 0; k < nw; k++) {
        if (q->len)
            sbuf_addc(q, ' ');
        sbuf_adds(q, words[k]);
    }
    free(words);
    return nopt;
}

/* A copy of s (NULL: "") for the terminal: its control characters (C0,
 * DEL, C1), which a terminal would run (ESC sequences), each byte as '?',
 * white space as ' ', so that the byte offsets of the marks still hold. */
static char *clean(const char *s)
{
    char *c = xstrdup(s ? s : "");
    tt_clean_controls(c);
    return c;
}

/* --color auto: on a terminal, unless NO_COLOR is set (no-color.org) or
 * the terminal is a dumb one */
static int auto_color(void)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(1) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}

static void print_text(const srch_req *req, const srch_result *res,
                       int tty)
{
    sbuf b = {0};
    uint64_t total = srch_total_shown(res);
    if (req->related) {
        char *t = clean(res->related_title ? res->related_title : "");
        printf("Related to %s%s%s%s\n", req->related, *t ? ": " : "", t,
               req->query && *req->query ? ", matching the query" : "");
        free(t);
    }
    if (res->suggestion) {
        char *sg = clean(res->suggestion);
        printf("Có phải bạn muốn tìm: %s%s%s\n", tty ? "\033[1m" : "", sg,
               tty ? "\033[0m" : "");
        free(sg);
    }
    if (res->notice)
        printf("Note: %s\n", res->notice);
    if (res->phrase_apart)
        printf("No article has the phrase%s as typed, but some have %s "
               "words apart; showing the best partial matches.\n",
               res->phrase_apart > 1 ? "s" : "",
               res->phrase_apart > 1 ? "their" : "its");
    else if (res->relaxed)
        printf("No article has every word; showing the best partial "
               "matches.\n");
    printf("%s%llu result%s", res->total_exact ? "" : "about ",
           (unsigned long long)total, total == 1 ? "" : "s");
    if (res->nhits && (req->offset || res->nhits < total))
        printf(", %llu-%llu shown", (unsigned long long)req->offset + 1,
               (unsigned long long)(req->offset + res->nhits));
    printf(" (%.1f ms)\n\n", res->seconds * 1000);
    if (!res->nhits && total && req->offset)
        printf("No results on this page: --offset %u is past the last "
               "result.\n\n", req->offset);
    for (size_t i = 0; i < res->nhits; i++) {
        srch_hit h = res->hits[i]; /* its text cleaned for the terminal */
        char *text[5] = {clean(h.snippet), clean(h.title_shown),
                         clean(h.published), clean(h.section),
                         clean(h.url ? h.url : h.id)};
        h.snippet = text[0];
        h.title_shown = text[1];
        sbuf_reset(&b);
        /* the title bold, its matches highlighted as the snippet's */
        srch_title_marked(&h, tty ? "\033[1;33m" : "", tty ? "\033[0;1m" : "",
                          &b);
        printf("%s%s%s\n", tty ? "\033[1m" : "", b.s ? b.s : "",
               tty ? "\033[0m" : "");
        sbuf_reset(&b);
        srch_snippet_marked(&h, tty ? "\033[1;33m" : "", tty ? "\033[0m" : "",
                            &b);
        printf("  %.10s%s%s  %s\n", text[2], h.section ? "  " : "", text[3],
               text[4]);
        if (b.len)
            printf("  %s\n", b.s);
        printf("\n");
        for (int k = 0; k < 5; k++)
            free(text[k]);
    }
    for (int k = 0; k < 2; k++) {
        const srch_facet *f = k ? res->years : res->sections;
        size_t n = k ? res->nyears : res->nsections;
        if (!n)
            continue;
        printf("%s:", k ? "Years" : "Sections");
        for (size_t i = 0; i < n; i++) {
            char *v = clean(f[i].value);
            printf(" %s (%u)%s", v, f[i].count, i + 1 < n ? "," : "\n");
            free(v);
        }
    }
    sbuf_free(&b);
}

int main(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"db", required_argument, 0, 'd'},
        {"limit", required_argument, 0, 'n'},
        {"offset", required_argument, 0, 'O'},
        {"sort", required_argument, 0, 'S'},
        {"json", no_argument, 0, 'j'},
        {"explain", no_argument, 0, 'E'},
        {"since", required_argument, 0, 's'},
        {"until", required_argument, 0, 'u'},
        {"section", required_argument, 0, 'k'},
        {"related", required_argument, 0, 'r'},
        {"copies", required_argument, 0, 'c'},
        {"facets", no_argument, 0, 'f'},
        {"recency", required_argument, 0, 'R'},
        {"time-limit", required_argument, 0, 'T'},
        {"corpus", required_argument, 0, 'X'},
        {"no-corpus", no_argument, 0, 'N'},
        {"color", required_argument, 0, 'C'},
        {"colour", required_argument, 0, 'C'},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    const char **dbs = xcalloc((size_t)argc, sizeof *dbs); /* --db's */
    size_t ndb = 0;
    int json = 0, facets = 0, recent = 0, opt, rc, status;
    int color = -1; /* --color's: -1 auto */
    double recency = 0; /* --recency's */
    uint64_t v;
    srch_req req = {0};
    srch_result res = {0};
    srch *s = NULL;
    tt_err e;
    sbuf q = {0};
    char *envdb = NULL;
    const char *corpus = NULL; /* --corpus's; "" --no-corpus */

    tt_set_progname(argv[0]);
    argv[0] = (char *)tt_progname(); /* getopt's messages: timtin-search: */
    argc = split_args(argc, argv, lopts, &q);
    /* "+": what split_args left is options and their values only */
    while ((opt = getopt_long(argc, argv, "+d:n:jhV", lopts, NULL)) != -1) {
        switch (opt) {
        case 'd': dbs[ndb++] = optarg; break;
        case 'n':
            if (tt_parse_u64(optarg, 1000, &v) || v == 0)
                tt_die(2, "--limit: expected a number from 1 to 1000, got "
                          "\"%s\"", optarg);
            req.limit = (uint32_t)v;
            break;
        case 'O':
            if (tt_parse_u64(optarg, 1000000, &v))
                tt_die(2, "--offset: expected a number up to 1000000, got "
                          "\"%s\"", optarg);
            req.offset = (uint32_t)v;
            break;
        case 'S': /* the last --sort wins */
            if (strcmp(optarg, "date") && strcmp(optarg, "relevance") &&
                strcmp(optarg, "recent"))
                tt_die(2, "--sort: expected relevance, date or recent, got "
                          "\"%s\"", optarg);
            req.sort_date = !strcmp(optarg, "date");
            recent = !strcmp(optarg, "recent");
            break;
        case 'R':
            if (tt_parse_u64(optarg, 36500, &v) || v == 0)
                tt_die(2, "--recency: expected a number of days from 1 to "
                          "36500, got \"%s\"", optarg);
            recency = (double)v;
            break;
        case 'T':
            if (tt_parse_u64(optarg, 3600000, &v) || v == 0)
                tt_die(2, "--time-limit: expected milliseconds from 1 to "
                          "3600000, got \"%s\"", optarg);
            req.budget_ms = (unsigned)v;
            break;
        case 'C':
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
                strcmp(optarg, "never"))
                tt_die(2, "--color: expected auto, always or never, got "
                          "\"%s\"", optarg);
            color = !strcmp(optarg, "auto") ? -1 : !strcmp(optarg, "always");
            break;
        case 'j': json = 1; break;
        case 'E': req.explain = 1; break;
        case 's': req.since = optarg; break;
        case 'u': req.until = optarg; break;
        case 'k': req.section = optarg; break;
        case 'r': req.related = optarg; break;
        case 'c': req.copies = optarg; break;
        case 'f': facets = 1; break;
        case 'X':
            if (!*optarg)
                tt_die(2, "--corpus: expected a directory, got \"\" "
                          "(--no-corpus reads none)");
            corpus = optarg;
            break;
        case 'N': corpus = ""; break;
        case 'h':
            tt_puts_stdout(usage);
            free(dbs);
            sbuf_free(&q);
            return tt_check_stdout() ? 5 : 0;
        case 'V':
            printf("timtin-search %s\n", TT_VERSION);
            free(dbs);
            sbuf_free(&q);
            return tt_check_stdout() ? 5 : 0;
        default:
            fprintf(stderr, "Try 'timtin-search --help'.\n");
            free(dbs);
            sbuf_free(&q);
            return 2;
        }
    }
    /* --recency DAYS whatever --sort says, else --sort recent's */
    req.recency_days = recency ? recency : recent ? SRCH_RECENCY_DAYS : 0;
    if (!ndb) {
        const char *env = getenv("TIMTIN_DB");
        size_t n = 1;
        envdb = xstrdup(env && *env ? env : "db");
        for (const char *p = envdb; *p; p++) /* as many as it holds */
            n += *p == ':';
        dbs = xrealloc(dbs, n * sizeof *dbs);
        for (char *p = strtok(envdb, ":"); p; p = strtok(NULL, ":"))
            dbs[ndb++] = p;
    }
    if (req.related && !*req.related)
        tt_die(2, "--related: expected an article id, got \"\"");
    if (req.copies && !*req.copies)
        tt_die(2, "--copies: expected an article id, got \"\"");
    if (req.copies && (q.len || req.related || req.since || req.until ||
                       req.section))
        tt_die(2, "--copies takes no %s: it lists every copy of one "
                  "article, none left out (a takedown must see them all)",
               q.len          ? "QUERY"
               : req.related  ? "--related"
               : req.since    ? "--since"
               : req.until    ? "--until"
                              : "--section");
    if (recency && req.sort_date)
        tt_die(2, "--recency favours recent articles among the most "
                  "relevant: not with --sort date (newest first)");
    if (!q.len && !req.related && !req.copies && !req.section &&
        !req.since && !req.until)
        tt_die(2, "no query given (try --help)");
    req.query = q.s ? q.s : "";
    req.suggest = 1;
    req.facets = json || facets;

    /* a damaged index can crash Xapian: said, and exit status 70 */
    tt_crash_guard(0, "timtin-search: crashed by ", ": " TT_DAMAGE_ADVICE,
                   ndb == 1 ? dbs[0] : "DB");
    rc = srch_open(dbs, ndb, &s, &e);
    if (rc == TT_OK && corpus)
        srch_corpus(s, corpus);
    /* a --corpus typed wrong is said, not passed over as the db's is */
    if (rc == TT_OK && corpus && *corpus && srch_corpus_check(s, &e)) {
        fprintf(stderr, "%s: --corpus: %s\n", tt_progname(), e.msg);
        srch_close(s);
        free(dbs);
        free(envdb);
        sbuf_free(&q);
        return 2;
    }
    if (rc == TT_OK)
        rc = srch_run(s, &req, &res, &e);
    if (rc == TT_OK) {
        if (res.explain)
            fprintf(json ? stderr : stdout, "query: %s\n", res.explain);
        if (json) {
            sbuf out = {0};
            srch_result_json(&req, &res, &out);
            printf("%s\n", out.s);
            sbuf_free(&out);
        } else {
            print_text(&req, &res, color >= 0 ? color : auto_color());
        }
        status = res.nhits || res.total ? 0 : 1;
    } else {
        fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        /* EMFILE and ENFILE ("Too many open files in system") are this
         * process's or the system's limit: nothing to rebuild */
        if (strstr(e.msg, strerror(EMFILE)))
            fprintf(stderr, "%s: raise the open-file limit (ulimit -n; "
                            "each db searched keeps about 6 files open)\n",
                    tt_progname());
        else if (rc == TT_ECHANGED) /* busy, not damaged */
            fprintf(stderr, "%s: an indexer is committing to it: try again "
                            "shortly\n",
                    tt_progname());
        else if (rc == TT_EXAPIAN || rc == TT_ECORRUPT)
            fprintf(stderr, "%s: if the index is damaged, timtin-index "
                            "--full rebuilds it from the corpus\n",
                    tt_progname());
        /* an unknown --related or --copies id finds nothing: no error
         * of the index */
        status = res.unknown_related ? 1
                 : rc == TT_EINVAL   ? 2
                 : rc == TT_ENOTFOUND || rc == TT_EIO || rc == TT_ECORRUPT
                     ? 3
                 : rc == TT_EVERSION ? 4
                                     : 5;
    }
    if (tt_check_stdout())
        status = 5;
    srch_result_free(&res);
    srch_close(s);
    sbuf_free(&q);
    free(envdb);
    free(dbs);
    return status;
}
