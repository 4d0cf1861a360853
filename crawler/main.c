/* timtin-crawl — keep a corpus up to date from a news site.  Options,
 * signals and exit codes only; the work is in crawl.c. */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crawl.h"
#include "datadir.h"
#include "date.h"
#include "fetch.h"
#include "profile.h"
#include "reextract.h"
#include "store.h"
#include "util.h"

enum { EXIT_ERRORS = 1, EXIT_USAGE = 2 };

static const char usage[] =
    "Usage: timtin-crawl --corpus DIR --profile NAME|FILE [OPTIONS]\n"
    "       timtin-crawl --corpus DIR --profile NAME|FILE --reextract [ID...]\n"
    "\n"
    "Crawl a news site described by a profile into a corpus: new articles\n"
    "are stored, changed ones stored again, unchanged ones left alone.  The\n"
    "crawl state lives in DIR/crawl-state/NAME/, NAME the profile's name (one\n"
    "per site; --base-url keeps it); a killed crawl resumes there.  One\n"
    "crawl at a time writes to a corpus: another one exits 2 at once.\n"
    "\n"
    "  --corpus DIR          corpus directory (created if needed; an\n"
    "                        existing one must be a corpus, or empty)\n"
    "  --profile NAME|FILE   site profile: NAME.conf from the profile\n"
    "                        directories, or a file (see docs/CRAWLER.md)\n"
    "  --base-url URL        crawl another address serving the same layout\n"
    "                        (a mirror, a test site): seeds, allowed host and\n"
    "                        the site's own links are rewritten to it\n"
    "  --delay SECONDS       between requests to one host (default 1;\n"
    "                        robots.txt Crawl-delay wins when larger)\n"
    "  --max-crawl-delay S   the most a robots.txt Crawl-delay may ask\n"
    "                        (default 60; a larger one is cut to S)\n"
    "  --connections N       parallel connections per host (default 1)\n"
    "  --contact ADDRESS     e-mail or URL put in the User-Agent (no control\n"
    "                        characters)\n"
    "  --max-pages N         stop after N page requests, N at least 1 (the\n"
    "                        rest stays queued for the next run; default:\n"
    "                        no limit)\n"
    "  --since DATE          skip sitemap shards and feed entries older than\n"
    "                        DATE (YYYY-MM-DD, from midnight in the profile's\n"
    "                        timezone), in this run only\n"
    "  --dry-run             store nothing; print extracted articles as JSONL\n"
    "  --reextract [ID...]   fetch nothing: extract again, from the pages the\n"
    "                        corpus stored, the site's articles (or the IDs\n"
    "                        given) by the profile as it is now, and append\n"
    "                        a new version of each that differs (--dry-run:\n"
    "                        print them, write nothing); articles without a\n"
    "                        stored page are skipped; then run timtin-index\n"
    "  --check-profile       find and read the profile (and --base-url), check\n"
    "                        the other options, say which profile, and exit:\n"
    "                        0 good, 2 not; nothing fetched (--corpus may be\n"
    "                        left out, and is not opened)\n"
    "  --no-sync             do not fsync at checkpoints (scratch crawls: a\n"
    "                        power loss may then lose more than the last 2 s)\n"
    "  --timeout SECONDS     whole request, 0.001 to 3600 (default 30; 0,\n"
    "                        no timeout, is refused)\n"
    "  --connect-timeout S   connection (default 10)\n"
    "  --max-page-size N     bytes, suffix k/M/G (default 10M): bigger pages\n"
    "                        are abandoned\n"
    "  --retries N           after timeouts, 5xx and 429 (default 3); a host\n"
    "                        whose URLs fail 10 in a row is left alone for\n"
    "                        the run, its URLs queued for the next\n"
    "  --retry-base SECONDS  first backoff (default 1; doubles, with jitter)\n"
    "  --robots-retry S      first wait before asking again for a robots.txt\n"
    "                        that failed (default 30)\n"
    "  --give-up-after N     give up on a URL that failed, or robots.txt\n"
    "                        forbade, in N runs in a row (default: the\n"
    "                        profile's give_up_after, else 7; 0: never)\n"
    "  --revisit N           ask again, conditionally, for at most N stored\n"
    "                        articles due (an article checked at A days old\n"
    "                        is due A days later, at least revisit_after, at\n"
    "                        most revisit_max; the longest overdue first),\n"
    "                        after the run's new work (default: the\n"
    "                        profile's revisit_per_run, else auto: twice the\n"
    "                        articles falling due a day, 50 to 3000; 0: none)\n"
    "  --undelete ID|URL     store again article ID (or the article at URL),\n"
    "                        deleted in the corpus: fetched when this run\n"
    "                        finds it (a URL is queued); repeatable.  Without\n"
    "                        it a deleted article (timtin-corpus delete: a\n"
    "                        takedown) is never fetched or stored again\n"
    "  --profiles-dir DIRS   colon-separated directories searched for NAME\n"
    "                        (default: $TIMTIN_PROFILES, then\n"
    "                        ../share/timtin/profiles beside this program,\n";
/* (then, run from its build directory only, the source tree's profiles) */
static const char usage_src[] =
    "                        " TT_SRCDIR "/crawler/profiles (this program\n"
    "                        run from its build directory),\n";
static const char usage2[] =
    "                        and " TT_DATADIR "/profiles)\n"
    "  --quiet               no progress and no summary (for cron)\n"
    "  --verbose             one line per request\n"
    "  --help, --version\n"
    "\n"
    "SIGINT, SIGTERM or SIGHUP (a closed terminal or ssh session, unless\n"
    "under nohup) stops the crawl after the requests under way (a second\n"
    "one: at once); the state is saved, the next run resumes.  A line says\n"
    "so (\"stopped by SIGTERM: N URLs left queued\", --quiet too); the exit\n"
    "status is as for a run that ended (0 when nothing failed).\n"
    "\n"
    "Exit status: 0 all well; 1 finished with errors (pages that failed, a\n"
    "host unreachable, a robots.txt that forbids every seed, an article\n"
    "whose id another site holds, an --undelete id still deleted at the\n"
    "end, most articles of the run without a date or with under 200\n"
    "characters of text, a storage or --dry-run output error, an article\n"
    "the corpus holds that the site withdrew: HTTP 404 or 410, said once,\n"
    "then not asked for again unless the site dates it later; the\n"
    "profile's withdrawn = delete deletes it on a 410 instead, no error;\n"
    "--help or --version that could not be written; --reextract: an\n"
    "article whose page cannot be read or gives no article now, left as it\n"
    "is); 2 usage, profile or corpus error (an --undelete id the corpus\n"
    "never held, a --reextract ID it does not hold or another site's).\n"
    "A URL failing --give-up-after runs in a row (404s of articles never\n"
    "stored included) is given up on: that run still exits 1, later runs\n"
    "do not ask for it unless the site dates it later (a date in the\n"
    "future brings it back once, not every run).\n";


static double parse_seconds(const char *opt, const char *s, double max)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= 0 && v <= max)) /* NaN too */
        tt_usage_error("%s: expected seconds from 0 to %g, got \"%s\"", opt, max,
                    s);
    return v;
}

static uint64_t parse_count(const char *opt, const char *s, uint64_t max)
{
    uint64_t v;
    if (tt_parse_u64(s, max, &v))
        tt_usage_error("%s: expected a number up to %llu, got \"%s\"", opt,
                    (unsigned long long)max, s);
    return v;
}

static size_t parse_size(const char *opt, const char *s)
{
    uint64_t v;
    if (tt_parse_size(s, 1ull << 30, &v))
        tt_usage_error("%s: bad size \"%s\" (1 to 1G; suffix k, M or G)",
                       opt, s);
    return (size_t)v;
}

/* The directory this program is in (resolved), or "" when unknown. */
static void exe_dir(char *dir, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    char *slash;
    dir[n > 0 ? n : 0] = '\0';
    if ((slash = strrchr(dir, '/')) != NULL)
        *slash = '\0';
    else
        dir[0] = '\0';
}

/* Run from the build directory it was built in (not installed, not a copy
 * elsewhere): the source tree's profiles are the ones to read. */
static int in_build_dir(const char *dir)
{
    return !strcmp(dir, TT_BUILDDIR);
}

/* $TIMTIN_PROFILES; installed: BIN/../share/timtin/profiles (wherever
 * PREFIX and DESTDIR put it, moved too); run from its build directory:
 * the source tree's crawler/profiles; the data directory of the build's
 * PREFIX.  Never the working directory's, nor a guess above BIN. */
static char *profile_dirs(void)
{
    sbuf b = {0};
    const char *env = getenv("TIMTIN_PROFILES");
    char dir[4096];
    exe_dir(dir, sizeof dir);
    if (env && *env)
        sbuf_addf(&b, "%s:", env);
    if (*dir)
        sbuf_addf(&b, "%s/../share/timtin/profiles:", dir);
    if (*dir && in_build_dir(dir))
        sbuf_addf(&b, "%s/crawler/profiles:", TT_SRCDIR);
    sbuf_addf(&b, "%s/profiles", TT_DATADIR);
    return sbuf_detach(&b, NULL);
}

static void print_usage(void)
{
    char dir[4096];
    exe_dir(dir, sizeof dir);
    tt_puts_stdout(usage);
    if (*dir && in_build_dir(dir))
        fputs(usage_src, stdout);
    fputs(usage2, stdout);
}

/* A line after the summary counting n things (none when n is 0): one or
 * many, then the rest of the line. */
static void count_line(uint64_t n, const char *one, const char *many,
                       const char *rest)
{
    if (n)
        fprintf(stderr, "%s: %llu %s%s\n", tt_progname(),
                (unsigned long long)n, n == 1 ? one : many, rest);
}

/* The first signal that stopped the crawl (0: none). */
static volatile sig_atomic_t stopped_by;

static const char *signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM"
           : sig == SIGHUP ? "SIGHUP" : "a signal";
}

/* What the run did: a line first when a signal stopped it, then the
 * summary line and the lines after it (unless
 * --quiet: then the error count only). */
static void summary(const crawl_opts *o, const crawl_stats *st)
{
    if (stopped_by && o->dry_run) /* --quiet too: a run cut short says so */
        fprintf(stderr, "%s: stopped by %s\n", tt_progname(),
                signal_name(stopped_by));
    else if (stopped_by)
        fprintf(stderr, "%s: stopped by %s: %llu URLs left queued for the "
                "next run\n", tt_progname(), signal_name(stopped_by),
                (unsigned long long)st->left);
    if (o->quiet) {
        if (st->errors)
            fprintf(stderr, "%s: %llu errors (run without --quiet for "
                    "details)\n", tt_progname(),
                    (unsigned long long)st->errors);
        return;
    }
    fprintf(stderr,
            "%s: %llu requests (%llu pages, %llu not modified, %llu "
            "redirects, %llu retries); articles: %llu new, %llu changed, "
            "%llu unchanged; %llu blocked by robots.txt; %llu errors; "
            "%llu given up; %.1f s, %.1f requests/s, peak %.0f MB\n",
            tt_progname(), (unsigned long long)st->requests,
            (unsigned long long)st->pages,
            (unsigned long long)st->not_modified,
            (unsigned long long)st->redirects,
            (unsigned long long)st->retries,
            (unsigned long long)st->articles_new,
            (unsigned long long)st->articles_changed,
            (unsigned long long)st->articles_unchanged,
            (unsigned long long)st->robots_blocked,
            (unsigned long long)st->errors,
            (unsigned long long)st->given_up, st->seconds,
            st->seconds > 0 ? st->requests / st->seconds : 0.0,
            st->rss_peak_mb);
    count_line(st->id_conflicts, "article not stored: its id is",
               "articles not stored: their ids are",
               " held by another site in the corpus (give this profile "
               "an id_prefix: docs/CRAWLER.md)");
    count_line(st->deleted, "article deleted in the corpus: not stored",
               "articles deleted in the corpus: not stored",
               " (timtin-corpus delete; each named above; --undelete ID "
               "stores one again)");
    count_line(st->undeleted, "article stored again (--undelete)",
               "articles stored again (--undelete)",
               ": timtin-index makes them searchable again");
    if (st->revisited)
        fprintf(stderr, "%s: revisited %llu (unchanged %llu, changed %llu, "
                "withdrawn %llu, failed %llu): stored articles asked for "
                "again, due by their age (revisit_after, revisit_max)\n",
                tt_progname(), (unsigned long long)st->revisited,
                (unsigned long long)st->revisit_unchanged,
                (unsigned long long)st->revisit_changed,
                (unsigned long long)st->revisit_withdrawn,
                (unsigned long long)st->revisit_failed);
    if (st->revisit_left)
        fprintf(stderr, "%s: %llu article%s due for a revisit left for the "
                "next run (at most %llu a run: revisit_per_run)\n",
                tt_progname(), (unsigned long long)st->revisit_left,
                st->revisit_left == 1 ? "" : "s",
                (unsigned long long)st->revisit_cap);
    count_line(st->withdrawn, "article withdrawn by the site",
               "articles withdrawn by the site",
               " (HTTP 404 or 410), still in the corpus and the index, each "
               "named above: timtin-corpus delete ID, then timtin-index, "
               "removes one; not asked for again unless the site dates it "
               "later");
    count_line(st->withdrawn_deleted,
               "article withdrawn by the site (HTTP 410): deleted",
               "articles withdrawn by the site (HTTP 410): deleted",
               " from the corpus (withdrawn = delete): timtin-index removes "
               "them from the index");
    count_line(st->missing, "article", "articles",
               " marked done in the crawl state but not in the corpus "
               "(restored from an older backup?) queued again; hubs read "
               "in full this run");
    count_line(st->undated, "article", "articles",
               " stored without a date");
    if (st->thin)
        fprintf(stderr, "%s: %llu article%s stored with less than %d "
                "characters of body text\n", tt_progname(),
                (unsigned long long)st->thin, st->thin == 1 ? "" : "s",
                STORE_THIN_BODY);
    if (st->layout_warning)
        fprintf(stderr, "%s: %llu of the %llu articles stored this run "
                "have no date or less than %d characters of body text "
                "(%s%s): has the site changed its layout? check the "
                "profile's published, content and body rules "
                "(docs/CRAWLER.md, try it with --dry-run)\n",
                tt_progname(), (unsigned long long)st->suspect,
                (unsigned long long)(st->articles_new +
                                     st->articles_changed),
                STORE_THIN_BODY, st->samples,
                st->suspect > STORE_SAMPLES ? ", …" : "");
    count_line(st->future_dates, "article", "articles",
               " dated in the future by a sitemap or feed: fetched once "
               "for that date, not again before a later one");
    count_line(st->requeued, "page", "pages",
               " given up as not an article under another version of "
               "the profile (or by an older timtin-crawl) queued again: "
               "articles to this one?");
    count_line(st->legacy_unstored, "page", "pages",
               " given up by an older timtin-crawl, which kept no reason "
               "(not an article, a redirect): hubs read in full this run, "
               "those listed fetched again once");
    count_line(st->out_of_scope, "queued URL", "queued URLs",
               " out of scope dropped (another host, a skip pattern, or "
               "no longer an article: the profile or --base-url "
               "changed)");
    if (st->left && !o->dry_run && !stopped_by)
        fprintf(stderr, "%s: %llu URLs left queued for the next run\n",
                tt_progname(), (unsigned long long)st->left);
}

/* What a re-extraction did (--quiet: the error count only). */
static void reextract_summary(const crawl_opts *o, const reextract_stats *st)
{
    if (stopped_by)
        fprintf(stderr, "%s: stopped by %s: %llu articles not looked at "
                "(a run again does them)\n", tt_progname(),
                signal_name(stopped_by), (unsigned long long)st->left);
    if (o->quiet) {
        count_line(st->failed, "error", "errors",
                   " (run without --quiet for details)");
        return;
    }
    fprintf(stderr,
            "%s: re-extraction of %s: %llu article%s re-extracted: %llu "
            "changed (%s), %llu unchanged; %llu skipped (no page stored); "
            "%llu failed (left as they are); %.1f s\n",
            tt_progname(), profile_name(o->prof),
            (unsigned long long)st->extracted, st->extracted == 1 ? "" : "s",
            (unsigned long long)st->changed,
            o->dry_run ? "--dry-run: nothing appended"
                       : "new versions appended",
            (unsigned long long)st->unchanged,
            (unsigned long long)st->no_page,
            (unsigned long long)st->failed, st->seconds);
    if (st->changed && !o->dry_run)
        fprintf(stderr, "%s: timtin-index (incremental) makes the new "
                "versions searchable\n", tt_progname());
}

/* --reextract: the exit status (the profile is o->prof). */
static int reextract(const crawl_opts *o, const char *const *ids,
                     size_t nids)
{
    reextract_stats st;
    tt_err e;
    int rc = reextract_run(o, ids, nids, &st, &e);
    if (rc != TT_OK && !(rc == TT_EIO && st.ran)) {
        fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        return EXIT_USAGE;
    }
    reextract_summary(o, &st);
    if (rc != TT_OK) { /* last, where a log's tail shows it */
        fprintf(stderr, "%s: %s, the re-extraction stopped: %s\n",
                tt_progname(), o->dry_run ? "output error" : "storage error",
                e.msg);
        return EXIT_ERRORS;
    }
    return st.failed ? EXIT_ERRORS : 0;
}

static void on_signal(int sig)
{
    if (!stopped_by)
        stopped_by = sig;
    crawl_stop();
    reextract_stop();
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"corpus", required_argument, NULL, 'c'},
        {"profile", required_argument, NULL, 'p'},
        {"base-url", required_argument, NULL, 'b'},
        {"delay", required_argument, NULL, 'd'},
        {"connections", required_argument, NULL, 'n'},
        {"contact", required_argument, NULL, 'C'},
        {"max-pages", required_argument, NULL, 'm'},
        {"since", required_argument, NULL, 's'},
        {"dry-run", no_argument, NULL, 'D'},
        {"check-profile", no_argument, NULL, 'K'},
        {"no-sync", no_argument, NULL, 'S'},
        {"timeout", required_argument, NULL, 't'},
        {"connect-timeout", required_argument, NULL, 'T'},
        {"max-page-size", required_argument, NULL, 'M'},
        {"retries", required_argument, NULL, 'r'},
        {"retry-base", required_argument, NULL, 'R'},
        {"robots-retry", required_argument, NULL, 'B'},
        {"max-crawl-delay", required_argument, NULL, 'X'},
        {"give-up-after", required_argument, NULL, 'G'},
        {"profiles-dir", required_argument, NULL, 'P'},
        {"undelete", required_argument, NULL, 'U'},
        {"reextract", no_argument, NULL, 'x'},
        {"revisit", required_argument, NULL, 'W'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    crawl_opts o;
    crawl_stats st;
    const char *prof_arg = NULL, *base = NULL;
    char *dirs = NULL;
    const char **undel = NULL;
    size_t nundel = 0, undelcap = 0;
    profile *p = NULL;
    struct sigaction sa, old;
    tt_err e;
    int c, rc, check_only = 0, reextracting = 0;
    tt_set_progname(argv[0]);
    argv[0] = (char *)tt_progname(); /* getopt's messages: timtin-crawl: */
    signal(SIGXFSZ, SIG_IGN); /* a file size limit: EFBIG, as corpus/main.c */
    crawl_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': o.corpus_dir = optarg; break;
        case 'p': prof_arg = optarg; break;
        case 'b': base = optarg; break;
        case 'd': o.delay = parse_seconds("--delay", optarg, 3600); break;
        case 'X':
            o.max_crawl_delay = parse_seconds("--max-crawl-delay", optarg, 86400);
            break;
        case 'n':
            o.connections = (int)parse_count("--connections", optarg, 64);
            if (o.connections < 1)
                tt_usage_error("--connections: at least 1");
            break;
        case 'C':
            if (crawl_contact_problem(optarg))
                tt_usage_error("--contact: %s", crawl_contact_problem(optarg));
            o.contact = optarg;
            break;
        case 'm':
            /* 0 would read as "no limit" (crawl_opts): refused, not guessed */
            o.max_pages = parse_count("--max-pages", optarg, UINT64_MAX);
            if (o.max_pages < 1)
                tt_usage_error("--max-pages: at least 1 (leave it out for no limit)");
            break;
        case 's':
            if (date_parse_query(optarg, 0, &o.since))
                tt_usage_error("--since: expected YYYY-MM-DD, got \"%s\"", optarg);
            o.has_since = 1;
            break;
        case 'D': o.dry_run = 1; break;
        case 'K': check_only = 1; break;
        case 'x': reextracting = 1; break;
        case 'S': o.no_sync = 1; break;
        case 't': {
            /* 0, or under 1 ms (libcurl's 0), would mean no timeout at
             * all: a server that never answers would hold the crawl */
            char *end;
            o.timeout = strtod(optarg, &end);
            if (end == optarg || *end || !(o.timeout >= 0.001 && o.timeout <= 3600))
                tt_usage_error("--timeout: expected seconds from 0.001 to 3600, "
                               "got \"%s\"", optarg);
            break;
        }
        case 'T':
            o.connect_timeout = parse_seconds("--connect-timeout", optarg, 600);
            break;
        case 'M': o.max_page_size = parse_size("--max-page-size", optarg); break;
        case 'r': o.retries = (int)parse_count("--retries", optarg, 20); break;
        case 'R': o.retry_base = parse_seconds("--retry-base", optarg, 3600); break;
        case 'B':
            o.robots_retry = parse_seconds("--robots-retry", optarg, 86400);
            break;
        case 'G':
            o.give_up_after = (int)parse_count("--give-up-after", optarg,
                                               PROFILE_MAX_GIVE_UP_AFTER);
            break;
        case 'W':
            o.revisit = (int)parse_count("--revisit", optarg,
                                         PROFILE_MAX_REVISIT_PER_RUN);
            break;
        case 'P': free(dirs); dirs = xstrdup(optarg); break;
        case 'U':
            xgrow(&undel, &undelcap, nundel + 1, sizeof *undel);
            undel[nundel++] = optarg;
            break;
        case 'q': o.quiet = 1; break;
        case 'v': o.verbose = 1; break;
        case 'h': print_usage(); return tt_check_stdout() ? EXIT_ERRORS : 0;
        case 'V':
            printf("timtin-crawl %s (%s)\n", TT_VERSION, fetch_version());
            return tt_check_stdout() ? EXIT_ERRORS : 0;
        default: /* (said by getopt) */
            fprintf(stderr, "Try 'timtin-crawl --help'.\n");
            return 2;
        }
    }
    if (optind < argc && !reextracting)
        tt_usage_error("unexpected argument \"%s\"", argv[optind]);
    if (reextracting) {
        /* it fetches nothing (the fetching options have no effect);
         * what would seem to narrow it (--since, --max-pages) or is
         * another action is refused rather than ignored */
        if (!o.corpus_dir)
            tt_usage_error("--reextract: --corpus is required (--dry-run "
                           "too)");
        if (nundel || check_only || o.has_since || o.max_pages ||
            o.revisit >= 0)
            tt_usage_error("--reextract: not with --%s",
                           nundel ? "undelete" : check_only ? "check-profile"
                           : o.has_since ? "since"
                           : o.max_pages ? "max-pages" : "revisit");
    }
    if (!prof_arg)
        tt_usage_error("--profile is required");
    if (!o.corpus_dir && !o.dry_run && !check_only)
        tt_usage_error("--corpus is required (or --dry-run)");
    if (nundel && o.dry_run)
        tt_usage_error("--undelete stores into the corpus: not with --dry-run");
    o.undelete = undel;
    o.nundelete = nundel;
    if (o.timeout > 0 && o.connect_timeout > o.timeout)
        o.connect_timeout = o.timeout;
    if (!dirs)
        dirs = profile_dirs();
    if (profile_load(prof_arg, dirs, &p, &e) != TT_OK) {
        fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        free(dirs);
        free(undel);
        return EXIT_USAGE;
    }
    free(dirs);
    if (base && profile_set_base(p, base, &e) != TT_OK) {
        fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        profile_free(p);
        free(undel);
        return EXIT_USAGE;
    }
    if (check_only) { /* (timtin-nightly --dry-run) */
        printf("profile %s: %zu seeds\n", profile_name(p), profile_nseeds(p));
        profile_free(p);
        return tt_check_stdout() ? EXIT_ERRORS : 0;
    }
    o.prof = p;
    if (o.has_since) /* midnight on the site's clock, not UTC's */
        o.since -= (int64_t)profile_offset(p) * 60;
    o.progress = !o.quiet && isatty(2);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* a closed terminal or ssh session: as SIGTERM, unless started
     * under nohup (SIGHUP ignored), which asked to run on */
    if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
        sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (reextracting) {
        rc = reextract(&o, (const char *const *)argv + optind,
                       (size_t)(argc - optind));
        profile_free(p);
        free(undel);
        return rc;
    }
    rc = crawl_run(&o, &st, &e);
    if (rc != TT_OK) {
        /* after the crawl began, a failure is the disk's (or --dry-run's
         * output): what the run did is said all the same, then the
         * failure, said as such, last (where a log's tail shows it) */
        if (st.ran)
            summary(&o, &st);
        if (rc == TT_EIO && st.ran)
            fprintf(stderr, "%s: %s, the crawl stopped: %s\n", tt_progname(),
                    o.dry_run ? "output error" : "storage error", e.msg);
        else
            fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        profile_free(p);
        free(undel);
        return rc == TT_EIO && st.ran ? EXIT_ERRORS : EXIT_USAGE;
    }
    summary(&o, &st);
    profile_free(p);
    free(undel);
    return st.errors ? EXIT_ERRORS : 0;
}
