/* timtin-sitegen — render article JSONL into a static Tuổi Trẻ-style site
 * (corpus/sitegen.h), the target of the crawler's tests and benchmarks.
 * Options and exit codes only. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "sitegen.h"
#include "util.h"
#include "warc.h"

enum { EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static const char usage[] =
    "Usage: timtin-sitegen [OPTIONS] OUT_DIR FILE.jsonl[.gz]...\n"
    "\n"
    "Render articles (one JSON object per line, as timtin-corpus imports\n"
    "them) into a static Tuổi Trẻ-style news site in OUT_DIR: article pages,\n"
    "section pages with pagination, RSS feeds, a sitemap index with dated\n"
    "shards, a latest-news sitemap and robots.txt.  Serve it with\n"
    "tests/server.py or any static web server (index file: index.htm).\n"
    "\n"
    "  --origin URL      absolute URLs in the site (default https://tuoitre.vn)\n"
    "  --page-size N     articles per listing page (default 20)\n"
    "  --feed-items N    items per RSS feed (default 50)\n"
    "  --latest N        entries of the latest-news sitemap (default 100)\n"
    "  --nfd-every N     every Nth article page in decomposed Unicode\n"
    "                    (default 7, 0 = none)\n"
    "  --old-slugs N     every Nth related link by an old slug (default 3;\n"
    "                    0 = none: for servers that cannot answer them with\n"
    "                    a 301, unlike tests/server.py)\n"
    "  --limit N         render at most N articles\n"
    "  --truth FILE      write the articles as rendered (made-up ids, dates,\n"
    "                    sections and bylines included) as JSONL\n"
    "  --quiet           no summary\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 ok; 1 bad input lines (skipped); 2 usage; 3 I/O error.\n";


static uint64_t count(const char *opt, const char *s)
{
    uint64_t v;
    if (tt_parse_u64(s, 100000000, &v))
        tt_usage_error("%s: expected a number, got \"%s\"", opt, s);
    return v;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"origin", required_argument, NULL, 'o'},
        {"page-size", required_argument, NULL, 'p'},
        {"feed-items", required_argument, NULL, 'f'},
        {"latest", required_argument, NULL, 'l'},
        {"nfd-every", required_argument, NULL, 'n'},
        {"limit", required_argument, NULL, 'L'},
        {"old-slugs", required_argument, NULL, 's'},
        {"truth", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    sitegen_opts o;
    sitegen *g;
    const char *truth = NULL;
    uint64_t limit = UINT64_MAX, bad = 0;
    int c, quiet = 0, status = 0;
    tt_err e;
    tt_set_progname(argv[0]);
    argv[0] = (char *)tt_progname(); /* getopt's messages: timtin-sitegen: */
    memset(&o, 0, sizeof o);
    o.nfd_every = 7;
    o.oldslug_every = 3;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o.origin = optarg; break;
        case 'p': o.page_size = count("--page-size", optarg); break;
        case 'f': o.feed_items = count("--feed-items", optarg); break;
        case 'l': o.latest = count("--latest", optarg); break;
        case 'n': o.nfd_every = (unsigned)count("--nfd-every", optarg); break;
        case 'L': limit = count("--limit", optarg); break;
        case 's': o.oldslug_every = (unsigned)count("--old-slugs", optarg); break;
        case 't': truth = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': tt_puts_stdout(usage); return tt_check_stdout() ? EXIT_IO : 0;
        case 'V':
            printf("timtin-sitegen %s\n", TT_VERSION);
            return tt_check_stdout() ? EXIT_IO : 0;
        default: /* (said by getopt) */
            fprintf(stderr, "Try 'timtin-sitegen --help'.\n");
            return 2;
        }
    }
    if (argc - optind < 2)
        tt_usage_error("expected OUT_DIR and at least one input file");
    o.out_dir = argv[optind++];
    if (truth && !(o.truth = fopen(truth, "w")))
        tt_die(EXIT_IO, "%s: cannot create", truth);
    if (sitegen_new(&o, &g, &e))
        tt_die(EXIT_IO, "%s", e.msg);
    for (; optind < argc && status != EXIT_IO; optind++) {
        warc_gzfile *f;
        const char *line;
        size_t len;
        uint64_t lineno = 0;
        int r;
        if (warc_gzfile_open(argv[optind], &f, &e)) {
            fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
            status = EXIT_IO;
            break;
        }
        while (sitegen_count(g) < limit &&
               (r = warc_gzfile_getline(f, ARTICLE_MAX_JSON, &line, &len, &e)) != 0) {
            article a;
            lineno++;
            if (r < 0) {
                fprintf(stderr, "%s: %s:%llu: %s\n", tt_progname(), argv[optind],
                        (unsigned long long)lineno, e.msg);
                if (r == -TT_EIO) {
                    status = EXIT_IO;
                    break;
                }
                bad++;
                continue;
            }
            if (len == 0)
                continue;
            if (article_from_json(line, len, &a, &e)) {
                fprintf(stderr, "%s: %s:%llu: %s\n", tt_progname(), argv[optind],
                        (unsigned long long)lineno, e.msg);
                bad++;
                continue;
            }
            if (a.deleted) {
                article_free(&a);
                continue;
            }
            r = sitegen_add(g, &a, &e);
            article_free(&a);
            if (r == TT_EINVAL) {
                fprintf(stderr, "%s: %s:%llu: %s\n", tt_progname(), argv[optind],
                        (unsigned long long)lineno, e.msg);
                bad++;
            } else if (r) {
                fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
                status = EXIT_IO;
                break;
            }
        }
        warc_gzfile_close(f);
    }
    if (status != EXIT_IO && sitegen_finish(g, &e)) {
        fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        status = EXIT_IO;
    }
    if (o.truth && fclose(o.truth) != 0) {
        fprintf(stderr, "%s: %s: write error\n", tt_progname(), truth);
        status = EXIT_IO;
    }
    if (!quiet && status != EXIT_IO)
        fprintf(stderr, "%s: %zu articles rendered into %s%s\n", tt_progname(),
                sitegen_count(g), o.out_dir, bad ? " (some lines skipped)" : "");
    sitegen_free(g);
    if (status)
        return status;
    return bad ? EXIT_DATA : 0;
}
