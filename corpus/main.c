/* timtin-corpus — import, export, list, show, check, delete and purge
 * articles in a corpus directory (corpus/corpus.h).  Options parsing and exit codes
 * only; the work is done by the corpus module. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "corpus.h"
#include "json.h"
#include "util.h"
#include "warc.h"

enum { EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

#define FLUSH_EVERY 1000 /* import: lines between flushes */

static const char usage[] =
    "Usage: timtin-corpus [OPTIONS] COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  import FILE...  import articles, one JSON object per line (.jsonl or\n"
    "                  .jsonl.gz; - reads standard input); bad lines are\n"
    "                  reported as FILE:LINE: reason and skipped, so is an\n"
    "                  article whose stored JSON would exceed 32 MiB; a\n"
    "                  UTF-8 byte order mark starting a file is skipped\n"
    "  export          every live article as JSONL, in first-stored order\n"
    "  ls              one line per live article: id, published, title\n"
    "                  (tab-separated); control characters of the date\n"
    "                  and title shown as '?', tabs and line breaks as\n"
    "                  spaces; an id that holds one, or begins with '\"',\n"
    "                  shown as a JSON string (\"a\\tb\" for the id a TAB b)\n"
    "                  (export, ls, cat: a record that cannot be read,\n"
    "                  fails its digest or holds bad JSON is said with file\n"
    "                  and offset, a WARC file missing between the others\n"
    "                  by its name, and the exit status is 1)\n"
    "  cat ID...       the articles' JSON (one line each; --pretty indents)\n"
    "  stats           counts and sizes\n"
    "  verify          check every record (gzip, WARC header, digests,\n"
    "                  article JSON); list each bad one with file and offset\n"
    "                  and each WARC file missing between the others (not\n"
    "                  bad: the record a running writer is appending; with\n"
    "                  none, a last record cut short, which the next writer\n"
    "                  trims)\n"
    "  delete ID...    append deletion markers (timtin-index then removes\n"
    "                  the articles from the search db)\n"
    "  purge ID...     for text that must be gone (a court order, a legal\n"
    "                  takedown): overwrite in place every record holding\n"
    "                  the articles' text (each version, the pages they\n"
    "                  were extracted from, the pages fetched at their\n"
    "                  URLs) with a filler record of the same length, and\n"
    "                  append a deletion marker; nothing else moves.  It\n"
    "                  cannot reach copies made before: purge each backup\n"
    "                  the same way (--corpus BACKUP purge ID); run\n"
    "                  timtin-index to drop them from the search db, and\n"
    "                  timtin-index --compact (or --full) so that the db's\n"
    "                  free pages keep no fragments.  Interrupted, it is\n"
    "                  finished by the next writer that opens the corpus\n"
    "\n"
    "Options (before or after the command):\n"
    "  --corpus DIR          corpus directory (default: $TIMTIN_CORPUS,\n"
    "                        else ./corpus)\n"
    "  --max-file-size N     start a new WARC file when one reaches N bytes\n"
    "                        (suffix k, M or G; default 1G)\n"
    "  --quiet               no import summary\n"
    "  --wait                wait for another writer to finish instead of\n"
    "                        failing\n"
    "  --no-sync             import, delete: do not fsync what is stored\n"
    "                        (purge always does)\n"
    "                        (scratch corpora: a power loss may then lose\n"
    "                        what the command said it stored)\n"
    "  --pretty              cat: indented JSON\n"
    "  --help, --version\n"
    "\n"
    "SIGINT, SIGTERM or SIGHUP stop an import after the article under way\n"
    "(a second one: at once); what it stored is kept, the summary says so.\n"
    "\n"
    "Exit status: 0 ok; 1 data errors (bad input lines, unknown ids, bad\n"
    "records, missing WARC files); 2 usage error; 3 I/O error (a missing\n"
    "or unreadable corpus directory, an unreadable input file)\n"
    "or corpus locked; 128+N an import stopped by signal N (130 SIGINT,\n"
    "143 SIGTERM, 129 SIGHUP).\n";

static struct {
    const char *dir;
    uint64_t max_file_size;
    int quiet, wait, pretty, no_sync;
} opt;


static int exit_for(int code)
{
    return code == TT_EIO || code == TT_ELOCKED || code == TT_EINTERNAL
               ? EXIT_IO
               : EXIT_DATA;
}

/* The corpus, or exit 3: a --corpus that is missing (mistyped), no
 * directory, no corpus or unreadable is no data error (1, which says an
 * unknown id or a bad record), so a script tells them apart.  warn: as
 * corpus_opts.warn (NULL: tt_warn). */
static corpus *open_corpus(int flags, void (*warn)(void *, const char *))
{
    corpus_opts o = {0};
    corpus *c;
    tt_err e;
    o.warn = warn;
    o.max_file_size = opt.max_file_size;
    /* what import and delete report stored survives a power loss: the
     * WARC files, the id index and the directory fsynced at each flush */
    o.fsync = (flags & CORPUS_WRITE) && !opt.no_sync;
    if (flags & CORPUS_WRITE)
        flags |= opt.wait ? CORPUS_WAIT : 0;
    if (corpus_open(opt.dir, flags, &o, &c, &e))
        tt_die(EXIT_IO, "%s", e.msg);
    return c;
}

/* Close c; an error is said unless status says one was (the corpus keeps
 * its first error, and closing returns it again). */
static int close_corpus(corpus *c, int status)
{
    tt_err e;
    if (corpus_close(c, &e)) {
        if (status != EXIT_IO)
            fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        return EXIT_IO;
    }
    return status;
}

static int check_stdout(int status)
{
    return tt_check_stdout() ? EXIT_IO : status;
}

/* ---- import ---- */

/* import: the signal that asks it to stop (0: none) */
static volatile sig_atomic_t stop_sig;

/* import: the descriptor of the input being read (-1: none) */
static volatile sig_atomic_t input_fd = -1;

/* The signal noted, and the input made empty: a read waiting on it is
 * interrupted (no SA_RESTART), but one about to start, the signal having
 * come between the loop's check and the read, would wait for input that
 * may never come (a pipe from a program that waits too); /dev/null in
 * its place gives it an end of file at once.  open, dup2 and close are
 * async-signal-safe. */
static void on_stop(int sig)
{
    int saved = errno, in = input_fd, fd;
    stop_sig = sig;
    if (in >= 0 && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0) {
        dup2(fd, in);
        close(fd);
    }
    errno = saved;
}

/* SIGINT, SIGTERM and SIGHUP stop an import after the article under way
 * (on_stop); a second one acts as it would by default (SA_RESETHAND). */
static void catch_stop(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static int cmd_import(int argc, char **argv)
{
    corpus *c;
    uint64_t nread = 0, nstored = 0, nsame = 0, nfailed = 0, bytes = 0;
    uint64_t since_flush = 0;
    double t0 = tt_now(), secs;
    int status = 0, input_err = 0, store_err = 0;
    tt_err e;
    if (argc < 1)
        tt_usage_error("%s: which files?", "import");
    catch_stop();
    c = open_corpus(CORPUS_WRITE | CORPUS_CREATE, NULL);
    for (int i = 0; i < argc && status != EXIT_IO && !stop_sig; i++) {
        const char *name = strcmp(argv[i], "-") ? argv[i] : "(stdin)";
        warc_gzfile *f;
        uint64_t lineno = 0;
        if (warc_gzfile_open(argv[i], &f, &e)) { /* go on with the rest */
            fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
            input_err = 1;
            continue;
        }
        input_fd = warc_gzfile_fd(f);
        while (!stop_sig) {
            const char *line;
            size_t len;
            article a;
            int stored, r = warc_gzfile_getline(f, ARTICLE_MAX_JSON, &line,
                                                &len, &e);
            if (r == 0 || (r < 0 && stop_sig)) /* (a read interrupted) */
                break;
            if (r == -TT_EIO) { /* keep what was read, go on */
                fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
                input_err = 1;
                break;
            }
            lineno++;
            if (r < 0) {
                fprintf(stderr, "%s:%llu: %s\n", name,
                        (unsigned long long)lineno, e.msg);
                nread++;
                nfailed++;
                continue;
            }
            if (lineno == 1 && len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
                line += 3; /* a byte order mark, as some editors write */
                len -= 3;
            }
            if (len == strspn(line, " \t\r"))
                continue; /* blank line */
            nread++;
            if (article_from_json(line, len, &a, &e)) {
                fprintf(stderr, "%s:%llu: %s\n", name,
                        (unsigned long long)lineno, e.msg);
                nfailed++;
                continue;
            }
            r = corpus_put_article(c, &a, &stored, &e);
            article_free(&a);
            if (r == TT_EINVAL) {
                fprintf(stderr, "%s:%llu: %s\n", name,
                        (unsigned long long)lineno, e.msg);
                nfailed++;
                continue;
            }
            if (r) {
                fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
                status = EXIT_IO;
                store_err = 1;
                break;
            }
            if (stored)
                nstored++;
            else
                nsame++;
            if (++since_flush >= FLUSH_EVERY) {
                since_flush = 0;
                if (corpus_flush(c, &e)) {
                    fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
                    status = EXIT_IO;
                    store_err = 1;
                    break;
                }
            }
        }
        bytes += warc_gzfile_bytes(f);
        input_fd = -1;
        warc_gzfile_close(f);
    }
    status = close_corpus(c, status);
    store_err |= status == EXIT_IO && !input_err;
    if (!status && input_err)
        status = EXIT_IO;
    if (!status && nfailed)
        status = EXIT_DATA;
    if (stop_sig && status != EXIT_IO)
        status = 128 + stop_sig;
    secs = tt_now() - t0;
    if (!opt.quiet) {
        if (secs < 1e-6)
            secs = 1e-6;
        fprintf(stderr,
                "read %llu, stored %llu, unchanged %llu, failed %llu; "
                "%.0f articles/s, %.1f MB/s (%.2f s)\n",
                (unsigned long long)nread, (unsigned long long)nstored,
                (unsigned long long)nsame, (unsigned long long)nfailed,
                (double)nread / secs, (double)bytes / 1e6 / secs, secs);
        if (stop_sig)
            fprintf(stderr, "%s: stopped by %s: the articles counted as "
                            "stored are kept; importing the same files "
                            "again stores the rest\n", tt_progname(),
                    stop_sig == SIGINT    ? "SIGINT"
                    : stop_sig == SIGTERM ? "SIGTERM"
                                          : "SIGHUP");
        if (store_err)
            fprintf(stderr, "%s: stopped by a storage error: the last "
                            "articles counted as stored may be lost; what "
                            "was stored before is kept, and importing again "
                            "stores the rest\n", tt_progname());
    }
    return status;
}

/* ---- export, ls, cat ---- */

typedef struct walk {
    corpus *c;
    sbuf buf;
    int status;
} walk;

static int export_one(void *arg, const char *id)
{
    walk *w = arg;
    tt_err e;
    sbuf_reset(&w->buf);
    if (corpus_get_json(w->c, id, &w->buf, &e)) {
        fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        w->status = exit_for(e.code);
        return e.code == TT_EIO;
    }
    sbuf_addc(&w->buf, '\n');
    fwrite(w->buf.s, 1, w->buf.len, stdout);
    return ferror(stdout) ? 1 : 0;
}

/* Text for a tab-separated column, shown on a terminal: its control
 * characters made harmless (tabs and line breaks become spaces). */
static void put_field(char *s)
{
    if (s) {
        tt_clean_controls(s);
        fputs(s, stdout);
    }
}

/* An id as it is, or when it cannot be shown so (a control character) or
 * would read as one that was not (a '"' first), as a JSON string that
 * gives it back, DEL and C1 escaped too (JSON allows them as they are). */
static void put_id(const char *id, sbuf *b)
{
    if (!tt_has_controls(id) && id[0] != '"') {
        fputs(id, stdout);
        return;
    }
    sbuf_reset(b);
    js_quote(b, id, strlen(id));
    for (const unsigned char *p = (const unsigned char *)b->s; *p; p++) {
        if (*p == 0x7F)
            fputs("\\u007f", stdout);
        else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            printf("\\u00%02x", *++p);
        else
            putchar(*p);
    }
}

static int ls_one(void *arg, const char *id)
{
    walk *w = arg;
    article a;
    tt_err e;
    if (corpus_get(w->c, id, &a, &e)) {
        fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        w->status = exit_for(e.code);
        return e.code == TT_EIO;
    }
    put_id(a.id, &w->buf);
    putchar('\t');
    put_field(a.published);
    putchar('\t');
    put_field(a.title);
    putchar('\n');
    article_free(&a);
    return ferror(stdout) ? 1 : 0;
}

static void say(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "%s: %s\n", tt_progname(), msg);
}

static int cmd_walk(int (*fn)(void *, const char *))
{
    walk w = {0};
    w.c = open_corpus(CORPUS_READ, NULL);
    corpus_each_id(w.c, fn, &w);
    /* what the id index could not read (said at the open that met it,
     * else here): an article may be missing from the list */
    if (corpus_damaged(w.c, say, NULL) && w.status < EXIT_DATA)
        w.status = EXIT_DATA;
    sbuf_free(&w.buf);
    return check_stdout(close_corpus(w.c, w.status));
}

static int cmd_cat(int argc, char **argv)
{
    corpus *c;
    int status = 0;
    if (argc < 1)
        tt_usage_error("%s: which ids?", "cat");
    c = open_corpus(CORPUS_READ, NULL);
    for (int i = 0; i < argc; i++) {
        article a;
        tt_err e;
        char *json;
        size_t len;
        if (corpus_get(c, argv[i], &a, &e)) {
            fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
            if (exit_for(e.code) > status)
                status = exit_for(e.code);
            continue;
        }
        json = opt.pretty ? article_to_json_pretty(&a, &len)
                          : article_to_json(&a, &len);
        fwrite(json, 1, len, stdout);
        putchar('\n');
        free(json);
        article_free(&a);
    }
    return check_stdout(close_corpus(c, status));
}

/* ---- stats, verify, delete ---- */

static int cmd_stats(void)
{
    corpus *c = open_corpus(CORPUS_READ, NULL);
    corpus_stats st;
    tt_err e;
    int status = 0;
    if (corpus_stats_get(c, &st, &e)) {
        fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        status = exit_for(e.code);
    } else {
        printf("files: %u\n", st.files);
        printf("bytes: %llu\n", (unsigned long long)st.bytes);
        printf("records: %llu\n", (unsigned long long)st.records);
        printf("articles: %llu\n", (unsigned long long)st.articles);
        printf("article versions: %llu\n",
               (unsigned long long)st.articles_stored);
        printf("deletions: %llu\n", (unsigned long long)st.deletions);
        printf("responses: %llu\n", (unsigned long long)st.responses);
        printf("payload bytes: %llu\n", (unsigned long long)st.payload_bytes);
        printf("purged records: %llu\n", (unsigned long long)st.purged);
    }
    return check_stdout(close_corpus(c, status));
}

static void verify_warn(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "%s\n", msg);
}

static int cmd_verify(void)
{
    corpus *c = open_corpus(CORPUS_READ, verify_warn);
    uint64_t nrec = 0, nbad = 0;
    tt_err e;
    int status = 0;
    if (corpus_verify(c, &nrec, &nbad, &e)) {
        fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
        status = exit_for(e.code);
    } else {
        uint64_t nmiss = corpus_missing(c); /* said at the open */
        printf("%llu records, %llu bad", (unsigned long long)nrec,
               (unsigned long long)nbad);
        if (nmiss)
            printf(", %llu file%s missing", (unsigned long long)nmiss,
                   nmiss == 1 ? "" : "s");
        putchar('\n');
        if (nbad || nmiss)
            status = EXIT_DATA;
    }
    return check_stdout(close_corpus(c, status));
}

static int cmd_delete(int argc, char **argv)
{
    corpus *c;
    int status = 0;
    if (argc < 1)
        tt_usage_error("%s: which ids?", "delete");
    c = open_corpus(CORPUS_WRITE, NULL);
    for (int i = 0; i < argc; i++) {
        tt_err e;
        int stored;
        int r = corpus_delete_article(c, argv[i], &stored, &e);
        if (r) {
            fprintf(stderr, "%s: %s\n", tt_progname(), e.msg);
            if (exit_for(r) > status)
                status = exit_for(r);
            if (r != TT_ENOTFOUND && r != TT_EINVAL)
                break;
        } else if (!stored && !opt.quiet) {
            fprintf(stderr, "%s: %s was already deleted\n", tt_progname(),
                    argv[i]);
        }
    }
    return close_corpus(c, status);
}

/* ---- purge ---- */

static int cmd_purge(int argc, char **argv)
{
    corpus *c;
    corpus_purge_stats st;
    const char **ids;
    size_t n = 0;
    int status = 0;
    tt_err e;
    if (argc < 1)
        tt_usage_error("%s: which ids?", "purge");
    c = open_corpus(CORPUS_WRITE, NULL);
    ids = xcalloc((size_t)argc, sizeof *ids);
    for (int i = 0; i < argc; i++) {
        corpus_pos pos;
        int deleted;
        if (!*argv[i] || corpus_latest(c, argv[i], &pos, &deleted)) {
            fprintf(stderr, "%s: no article %s\n", tt_progname(), argv[i]);
            status = EXIT_DATA;
            continue;
        }
        ids[n++] = argv[i];
    }
    if (n && corpus_purge(c, ids, n, &st, &e)) {
        fprintf(stderr, "%s: purge: %s\n", tt_progname(), e.msg);
        status = exit_for(e.code);
        if (corpus_purge_pending(c))
            fprintf(stderr, "%s: the purge is left in %s/purge.journal: the "
                            "next writer to open the corpus finishes it\n",
                    tt_progname(), opt.dir);
    } else if (n) {
        if (st.left) /* each said with file and offset */
            status = EXIT_DATA;
        if (!opt.quiet) {
            fprintf(stderr, "%s: purged %zu article%s: %llu record%s "
                    "overwritten in place (%llu article version%s, %llu "
                    "response%s), %llu bytes, in %u file%s%s%s%s; %llu "
                    "deletion marker%s appended",
                    tt_progname(), n, n == 1 ? "" : "s",
                    (unsigned long long)st.records, st.records == 1 ? "" : "s",
                    (unsigned long long)st.versions,
                    st.versions == 1 ? "" : "s",
                    (unsigned long long)st.responses,
                    st.responses == 1 ? "" : "s",
                    (unsigned long long)st.bytes, st.files,
                    st.files == 1 ? "" : "s", st.files_named ? " (" : "",
                    st.files_named ? st.files_named : "",
                    st.files_named ? ")" : "",
                    (unsigned long long)st.markers,
                    st.markers == 1 ? "" : "s");
            if (st.left)
                fprintf(stderr, "; %llu record%s too short to overwrite, "
                        "left as %s", (unsigned long long)st.left,
                        st.left == 1 ? "" : "s",
                        st.left == 1 ? "it was" : "they were");
            fprintf(stderr, "\n%s: not reached: copies made before (backups, "
                    "exports, other corpora: purge each, timtin-corpus "
                    "--corpus BACKUP purge ID); the search db, until "
                    "timtin-index runs, and fragments in its free pages "
                    "until timtin-index --compact (or --full)\n",
                    tt_progname());
        }
        free(st.files_named);
    }
    free(ids);
    return close_corpus(c, status);
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"corpus", required_argument, NULL, 'C'},
        {"max-file-size", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"wait", no_argument, NULL, 'w'},
        {"pretty", no_argument, NULL, 'p'},
        {"no-sync", no_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *cmd;
    int ch;
    tt_set_progname(argv[0]);
    /* past a file size limit (ulimit -f, LimitFSIZE=) a write fails with
     * EFBIG, a storage error like a full disk, instead of killing us */
    signal(SIGXFSZ, SIG_IGN);
    opt.dir = getenv("TIMTIN_CORPUS");
    if (!opt.dir || !*opt.dir)
        opt.dir = "corpus";
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":C:qhV", longs, NULL)) != -1) {
        switch (ch) {
        case 'C': opt.dir = optarg; break;
        case 'm':
            if (tt_parse_size(optarg, UINT64_MAX, &opt.max_file_size))
                tt_usage_error("bad --max-file-size '%s'", optarg);
            break;
        case 'q': opt.quiet = 1; break;
        case 'w': opt.wait = 1; break;
        case 'p': opt.pretty = 1; break;
        case 'S': opt.no_sync = 1; break;
        case 'h': tt_puts_stdout(usage); return check_stdout(0);
        case 'V': printf("timtin-corpus %s\n", TT_VERSION); return check_stdout(0);
        default: { /* ':' a value missing, '?' an option unknown */
            /* a short option is named by its letter: optind may still be
             * on its cluster ("-Zq"); a long one by its argument */
            const char *arg = argv[optind - 1], *at = argv[optind];
            char letter[3] = {'-', (char)optopt, '\0'};
            if (optopt && ((optind < argc && at[0] == '-' && at[1] != '-' &&
                            strchr(at + 1, optopt)) ||
                           strncmp(arg, "--", 2)))
                arg = letter;
            if (ch == ':')
                tt_usage_error("option '%s' needs an argument", arg);
            if (optopt && strchr(arg, '='))
                tt_usage_error("option '%.*s' takes no value",
                               (int)strcspn(arg, "="), arg);
            tt_usage_error("unknown option '%s'", arg);
        }
        }
    }
    if (optind >= argc)
        tt_usage_error("no command given");
    cmd = argv[optind++];
    argc -= optind;
    argv += optind;
    if (!strcmp(cmd, "import"))
        return cmd_import(argc, argv);
    if (!strcmp(cmd, "cat"))
        return cmd_cat(argc, argv);
    if (!strcmp(cmd, "delete"))
        return cmd_delete(argc, argv);
    if (!strcmp(cmd, "purge"))
        return cmd_purge(argc, argv);
    if (strcmp(cmd, "export") && strcmp(cmd, "ls") && strcmp(cmd, "stats") &&
        strcmp(cmd, "verify"))
        tt_usage_error("unknown command '%s'", cmd);
    if (argc > 0)
        tt_usage_error("%s takes no arguments", cmd);
    if (!strcmp(cmd, "export"))
        return cmd_walk(export_one);
    if (!strcmp(cmd, "ls"))
        return cmd_walk(ls_one);
    return !strcmp(cmd, "stats") ? cmd_stats() : cmd_verify();
}
