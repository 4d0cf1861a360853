/* timtin-index — build or update the search index of a corpus. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer.h"

static const char usage[] =
    "Usage: timtin-index --corpus DIR --db DIR [options]\n"
    "Index the articles of a timtin corpus into a Xapian database.\n"
    "By default only records added since the last run are read (the\n"
    "checkpoint is kept in the db and committed with the documents); a db\n"
    "that does not exist yet gets a bulk build on every core (with\n"
    "--shard-by year: one thread, the records in order).\n"
    "\n"
    "  -c, --corpus DIR      the corpus (default $TIMTIN_CORPUS or ./corpus)\n"
    "  -d, --db DIR          the database (default $TIMTIN_DB, one db: a\n"
    "                        list A:B, two dbs to timtin-search, is refused;\n"
    "                        else ./db): a Xapian db, an empty directory or\n"
    "                        a new path; anything else is refused, left as\n"
    "                        it is; a symlink stands for its target; a mount\n"
    "                        point is refused to a run that swaps a new db\n"
    "                        in for DIR (a bulk build, --compact of one db);\n"
    "                        a year's db inside a db per year is refused to\n"
    "                        every run (index the db per year, with\n"
    "                        --shard-by year)\n"
    "      --full            rebuild from scratch beside the db, swapped in\n"
    "                        when done (searches keep answering from the old\n"
    "                        db meanwhile): a bulk build on every core into\n"
    "                        DIR.new.*, merged; with --shard-by year, one\n"
    "                        thread into DIR.new\n"
    "      --compact         compact the db after the run (safely: into\n"
    "                        DIR.compact, then an atomic swap); with\n"
    "                        --shard-by year, every year's db so\n"
    "  -j, --jobs N          threads for a bulk build, 1 to 8 (default: one\n"
    "                        per core, 8 at most)\n"
    "      --shard-by year   DIR holds one db per year of publication\n"
    "                        (DIR/2024, DIR/undated…) and a stub file\n"
    "                        DIR/XAPIANDB, so timtin-search --db DIR searches\n"
    "                        them as one; an existing single db is refused,\n"
    "                        --full --shard-by year converts it\n"
    "      --wait            wait for another indexer instead of failing\n"
    "                        (saying so on stderr when it has to)\n"
    "      --commit-every N  articles per commit and thread (default 10000;\n"
    "                        bounds memory)\n"
    "      --subdb-docs N    bulk build: articles per sub-db, merged at the\n"
    "                        end (default 300; bounds memory)\n"
    "      --no-sync         do not fsync commits (scratch builds)\n"
    "  -q, --quiet           no progress line and no summary (for cron)\n"
    "  -h, --help            this help\n"
    "  -V, --version         print the version\n"
    "\n"
    "Exit status: 0 done (articles that could not be indexed are counted\n"
    "in the summary), 2 usage error, or a db that needs other options\n"
    "(--shard-by year; --full: a db whose checkpoint does not fit the\n"
    "corpus, or built from another corpus), 3 locked by another indexer,\n"
    "4 db built by another analyzer version (run with --full), 5 corpus\n"
    "missing, or a file or directory that cannot be read or written (the\n"
    "lock, the db's files, permission denied, the swap, too few open files\n"
    "allowed to merge (ulimit -n); standard output, the run done all the\n"
    "same), 6 other error: Xapian's, such as a\n"
    "damaged db (--full rebuilds it) or a full disk.\n";

static void progress(void *arg, const idx_stats *st, int done)
{
    int tty = *(int *)arg;
    uint64_t n = st->added + st->replaced + st->deleted;
    double rate = st->elapsed > 0 ? n / st->elapsed : 0;
    if (!done) {
        if (!tty)
            return;
        double frac = st->total_bytes ? (double)st->done_bytes /
                                            (double)st->total_bytes
                                      : 0;
        double eta = frac > 0.01 ? st->elapsed * (1 - frac) / frac : 0;
        fprintf(stderr, "\r%llu articles, %.0f/s, %.0f%%, ETA %.0fs   ",
                (unsigned long long)n, rate, frac * 100, eta);
        return;
    }
    if (tty)
        fputs("\r\033[K", stderr);
    printf("indexed %llu records in %.1fs (%.0f articles/s): %llu added, "
           "%llu replaced, %llu deleted",
           (unsigned long long)st->records, st->elapsed, rate,
           (unsigned long long)st->added, (unsigned long long)st->replaced,
           (unsigned long long)st->deleted);
    if (st->skipped_empty || st->skipped_bad)
        printf("; skipped %llu without text, %llu unreadable",
               (unsigned long long)st->skipped_empty,
               (unsigned long long)st->skipped_bad);
    if (st->no_date)
        printf("; %llu without a date", (unsigned long long)st->no_date);
    if (st->bad_date)
        printf("; %llu with an unusable date",
               (unsigned long long)st->bad_date);
    if (st->truncated)
        printf("; %llu with their text cut at %u bytes",
               (unsigned long long)st->truncated, IDX_MAX_TEXT);
    if (st->corrupt)
        printf("; %llu corrupt corpus records skipped",
               (unsigned long long)st->corrupt);
    if (st->older)
        printf("; %llu indexed from an older version (the latest "
               "unreadable)",
               (unsigned long long)st->older);
    printf("\n");
}

#define COUNT_MAX 100000000

/* A count option's value (1 to COUNT_MAX), or exit 2. */
static uint32_t count_arg(const char *opt, const char *arg)
{
    uint64_t v;
    if (tt_parse_u64(arg, COUNT_MAX, &v) || v == 0)
        tt_die(2, "%s: expected a number from 1 to %d, got \"%s\"", opt,
               COUNT_MAX, arg);
    return (uint32_t)v;
}

/* The db of $TIMTIN_DB (./db when unset): one path.  timtin-search and
 * timtin.cgi read it as a list of dbs split at ':' (empty parts skipped):
 * a list names no one db to write, and is refused, as is one naming none. */
static char *env_db_part; /* (a global: not a leak) */

static const char *env_db(void)
{
    const char *env = getenv("TIMTIN_DB"), *one = NULL, *p;
    size_t n = 0, len = 0;
    if (!env)
        return "db";
    for (p = env; *p;) {
        size_t k = strcspn(p, ":");
        if (k) {
            n++;
            one = p;
            len = k;
        }
        p += k + (p[k] == ':');
    }
    if (n > 1)
        tt_die(2, "TIMTIN_DB names %zu dbs (\"%s\", colon-separated, as "
                  "timtin-search reads it): give the one to index with --db",
               n, env);
    if (!n)
        tt_die(2, "TIMTIN_DB is set but names no db (\"%s\"): give --db, or "
                  "unset it for ./db", env);
    if (len == strlen(env))
        return env;
    return env_db_part = xstrndup(one, len);
}

int main(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"corpus", required_argument, 0, 'c'},
        {"db", required_argument, 0, 'd'},
        {"full", no_argument, 0, 'F'},
        {"wait", no_argument, 0, 'W'},
        {"compact", no_argument, 0, 'K'},
        {"shard-by", required_argument, 0, 'Y'},
        {"jobs", required_argument, 0, 'j'},
        {"commit-every", required_argument, 0, 'C'},
        {"subdb-docs", required_argument, 0, 'B'},
        {"no-sync", no_argument, 0, 'S'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    idx_opts o = {0};
    idx_stats st;
    tt_err e;
    int quiet = 0, tty, opt, rc;
    uint64_t v;

    tt_set_progname(argv[0]);
    argv[0] = (char *)tt_progname(); /* getopt's messages: timtin-index: */
    signal(SIGXFSZ, SIG_IGN); /* a file size limit: EFBIG, as corpus/main.c */
    o.corpus = getenv("TIMTIN_CORPUS") ? getenv("TIMTIN_CORPUS") : "corpus";
    o.db = NULL;
    while ((opt = getopt_long(argc, argv, "c:d:j:qhV", lopts, NULL)) != -1) {
        switch (opt) {
        case 'c': o.corpus = optarg; break;
        case 'd': o.db = optarg; break;
        case 'F': o.full = 1; break;
        case 'W': o.wait = 1; break;
        case 'K': o.compact = 1; break;
        case 'Y':
            if (strcmp(optarg, "year"))
                tt_die(2, "--shard-by: only \"year\" is supported, got \"%s\"",
                       optarg);
            o.shard_year = 1;
            break;
        case 'j':
            if (tt_parse_u64(optarg, IDX_MAX_JOBS, &v) || v == 0)
                tt_die(2, "--jobs: expected a number from 1 to %d, got \"%s\"",
                       IDX_MAX_JOBS, optarg);
            o.jobs = (unsigned)v;
            break;
        case 'S': o.nosync = 1; break;
        case 'q': quiet = 1; break;
        case 'C': o.commit_every = count_arg("--commit-every", optarg); break;
        case 'B': o.subdb_docs = count_arg("--subdb-docs", optarg); break;
        case 'h': tt_puts_stdout(usage); return tt_check_stdout() ? 5 : 0;
        case 'V':
            printf("timtin-index %s\n", TT_VERSION);
            return tt_check_stdout() ? 5 : 0;
        default:
            fprintf(stderr, "Try 'timtin-index --help'.\n");
            return 2;
        }
    }
    if (optind < argc)
        tt_die(2, "unexpected argument \"%s\" (try --help)", argv[optind]);
    if (!o.db)
        o.db = env_db();
    tty = isatty(2);
    if (!quiet) {
        o.progress = progress;
        o.progress_arg = &tty;
    }
    rc = idx_run(&o, &st, &e);
    if (rc == TT_OK) /* and the summary? */
        return tt_check_stdout() ? 5 : 0;
    if (tty && !quiet)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
    switch (rc) {
    case TT_EINVAL: return 2;
    case TT_ELOCKED: return 3;
    case TT_EVERSION: return 4;
    case TT_ENOTFOUND:
    case TT_EIO: return 5;
    default: return 6;
    }
}
