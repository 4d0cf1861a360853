/* bench_search — in-process query latency (and the top ids for relevance)
 * of the searcher library, for bench/run.sh.
 *
 * usage: bench_search --db DIR [--db DIR...] [--reps N] [--warmup N]
 *                     [--limit N] [--ids] [--page | --facets | --suggest]
 *                     [--cache-mb N] [--block-cache-mb N]
 *                     [--time-limit MS] QUERY_FILE
 *
 * QUERY_FILE: one query a line, or the TSV of dev-queries.tsv
 * (qid, variant, query, target: the third column is the query); blank lines
 * and lines starting with '#' are skipped.  The db is opened once; the
 * whole list runs --warmup times untimed (default 1), then --reps times
 * (default 3), each srch_run timed alone (CLOCK_MONOTONIC, from before
 * srch_run to after srch_result_free: parsing, matching, snippets; with
 * --page also the facets and the did-you-mean of a results page, as
 * timtin.cgi and timtin-search --json ask for them; --facets or --suggest
 * alone, to tell their costs apart).  --cache-mb N: the searcher keeps
 * up to N MB of frequent words' posting lists decoded (srch_cache_postings,
 * as a FastCGI process does; default 0, none).  --block-cache-mb N: the
 * process keeps up to N MB of the index blocks it read (srch_cache_blocks,
 * as a FastCGI process does; default 0, none).  --time-limit MS: each
 * search has a time budget of MS ms (srch_req.budget_ms, as timtin.cgi
 * gives one; default none), to measure what watching the clock costs.
 * Output, one JSON line per query, in input order:
 *   {"n":1,"qid":"dev0001","variant":"accented","ms":[0.41,0.39,0.40],
 *    "total":123,"exact":false,"relaxed":false,"ids":["..."],"error":null}
 * ("ids", the top --limit ids of the last run, only with --ids;
 * "suggestion", the did-you-mean or null, only with --suggest or --page).  A
 * one-line summary goes to stderr: the median and p99 over the queries of
 * each query's median, as bench/report.py computes them.  Exit 0, or 2 on usage errors, 3 when
 * the db cannot be opened. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search.h"

typedef struct bq {
    char *qid, *variant, *query;
    double *ms;
    uint32_t total;
    int exact, relaxed, failed;
    char *err;
    char *suggestion; /* with --suggest: the did-you-mean, or NULL */
    char **ids;
    size_t nids;
} bq;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The statistics of bench/report.py, so this summary never disagrees with
 * the report: the median of a sorted list is its middle value, or the mean
 * of its two middle values (Python's statistics.median); percentile p is
 * the nearest rank, the ceil(p/100 * n)-th smallest (report.py's pct). */
static double median_sorted(const double *x, size_t n)
{
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

static double pct_sorted(const double *x, size_t n, unsigned p)
{
    size_t k = (n * p + 99) / 100; /* ceil(p * n / 100), exactly */
    return x[(k ? k : 1) - 1];
}

/* Split a TSV line in place: up to 4 fields. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static bq *read_queries(const char *path, size_t *nout)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f)
        tt_die(2, "cannot open %s", path);
    bq *v = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    char *line = NULL;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len || line[0] == '#')
            continue;
        char *fld[4];
        size_t nf = split_tabs(line, fld, 4);
        xgrow(&v, &cap, n + 1, sizeof *v);
        bq *q = &v[n++];
        memset(q, 0, sizeof *q);
        if (nf >= 3) {
            q->qid = xstrdup(fld[0]);
            q->variant = xstrdup(fld[1]);
            q->query = xstrdup(fld[2]);
        } else {
            q->query = xstrdup(fld[0]);
        }
    }
    free(line);
    if (f != stdin)
        fclose(f);
    *nout = n;
    return v;
}

/* srch_run in a timed pass: a function of its own, which a profiler can
 * single out (valgrind --tool=callgrind --toggle-collect=timed_run). */
__attribute__((noinline)) static int timed_run(srch *s, const srch_req *req,
                                               srch_result *res, tt_err *e)
{
    return srch_run(s, req, res, e);
}

static const char usage[] =
    "usage: bench_search --db DIR [--db DIR...] [--reps N] [--warmup N]\n"
    "                    [--limit N] [--ids] [--page | --facets | --suggest]\n"
    "                    [--cache-mb N] [--block-cache-mb N]\n"
    "                    [--time-limit MS] QUERY_FILE\n";

int main(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"db", required_argument, 0, 'd'},
        {"reps", required_argument, 0, 'r'},
        {"warmup", required_argument, 0, 'w'},
        {"limit", required_argument, 0, 'n'},
        {"ids", no_argument, 0, 'i'},
        {"page", no_argument, 0, 'p'},
        {"facets", no_argument, 0, 'f'},
        {"suggest", no_argument, 0, 's'},
        {"cache-mb", required_argument, 0, 'c'},
        {"block-cache-mb", required_argument, 0, 'b'},
        {"time-limit", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char **dbs = xcalloc((size_t)argc + 1, sizeof *dbs);
    size_t ndb = 0;
    uint64_t reps = 3, warmup = 1, limit = 10, cache_mb = 0, budget = 0;
    uint64_t block_mb = 0;
    int want_ids = 0, facets = 0, suggest = 0, opt;
    tt_err e;

    tt_set_progname(argv[0]);
    while ((opt = getopt_long(argc, argv, "d:r:w:n:ipfsc:b:t:h", lopts, NULL)) != -1) {
        switch (opt) {
        case 'd': dbs[ndb++] = optarg; break;
        case 'r':
            if (tt_parse_u64(optarg, 1000, &reps) || !reps)
                tt_die(2, "--reps: expected 1 to 1000");
            break;
        case 'w':
            if (tt_parse_u64(optarg, 1000, &warmup))
                tt_die(2, "--warmup: expected 0 to 1000");
            break;
        case 'n':
            if (tt_parse_u64(optarg, SRCH_MAX_LIMIT, &limit) || !limit)
                tt_die(2, "--limit: expected 1 to %d", SRCH_MAX_LIMIT);
            break;
        case 'i': want_ids = 1; break;
        case 'p': facets = suggest = 1; break;
        case 'f': facets = 1; break;
        case 's': suggest = 1; break;
        case 'c':
            if (tt_parse_u64(optarg, 65536, &cache_mb))
                tt_die(2, "--cache-mb: expected 0 to 65536");
            break;
        case 'b':
            if (tt_parse_u64(optarg, 65536, &block_mb))
                tt_die(2, "--block-cache-mb: expected 0 to 65536");
            break;
        case 't':
            if (tt_parse_u64(optarg, 3600000, &budget) || !budget)
                tt_die(2, "--time-limit: expected 1 to 3600000 ms");
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (!ndb || optind != argc - 1) {
        fputs(usage, stderr);
        return 2;
    }
    size_t nq;
    bq *qs = read_queries(argv[optind], &nq);
    srch *s = NULL;
    if (srch_open(dbs, ndb, &s, &e) != TT_OK) {
        fprintf(stderr, "bench_search: %s\n", e.msg);
        return 3;
    }
    srch_cache_postings(s, (size_t)cache_mb << 20);
    srch_cache_blocks((size_t)block_mb << 20);
    for (size_t i = 0; i < nq; i++)
        qs[i].ms = xcalloc(reps, sizeof(double));

    for (uint64_t pass = 0; pass < warmup + reps; pass++) {
        int timed = pass >= warmup;
        for (size_t i = 0; i < nq; i++) {
            bq *q = &qs[i];
            srch_req req = {0};
            srch_result res = {0};
            req.query = q->query;
            req.limit = (uint32_t)limit;
            req.facets = facets;
            req.suggest = suggest;
            req.budget_ms = (unsigned)budget;
            double t0 = now_ms();
            int rc = timed ? timed_run(s, &req, &res, &e)
                           : srch_run(s, &req, &res, &e);
            double t1 = now_ms();
            if (pass == warmup + reps - 1) { /* keep what the output shows */
                q->failed = rc != TT_OK;
                q->err = rc != TT_OK ? xstrdup(e.msg) : NULL;
                q->total = res.total;
                q->exact = res.total_exact;
                q->relaxed = res.relaxed;
                if (suggest && rc == TT_OK && res.suggestion)
                    q->suggestion = xstrdup(res.suggestion);
                if (want_ids && rc == TT_OK) {
                    q->ids = xcalloc(res.nhits + 1, sizeof *q->ids);
                    q->nids = res.nhits;
                    for (size_t h = 0; h < res.nhits; h++)
                        q->ids[h] = xstrdup(res.hits[h].id ? res.hits[h].id
                                                           : "");
                }
            }
            double t2 = now_ms();
            srch_result_free(&res);
            double t3 = now_ms();
            /* the copying between t1 and t2 is not the searcher's work */
            if (timed)
                q->ms[pass - warmup] = (t1 - t0) + (t3 - t2);
        }
    }

    double *all = xcalloc(nq ? nq : 1, sizeof(double));
    size_t nfail = 0;
    for (size_t i = 0; i < nq; i++) {
        bq *q = &qs[i];
        printf("{\"n\":%zu,\"qid\":", i + 1);
        json_str(stdout, q->qid);
        printf(",\"variant\":");
        json_str(stdout, q->variant);
        printf(",\"ms\":[");
        for (uint64_t r = 0; r < reps; r++)
            printf("%s%.4f", r ? "," : "", q->ms[r]);
        double *tmp = xcalloc(reps, sizeof(double));
        memcpy(tmp, q->ms, reps * sizeof(double));
        qsort(tmp, reps, sizeof(double), cmp_double);
        all[i] = median_sorted(tmp, reps);
        free(tmp);
        printf("],\"total\":%u,\"exact\":%s,\"relaxed\":%s", q->total,
               q->exact ? "true" : "false", q->relaxed ? "true" : "false");
        if (want_ids) {
            printf(",\"ids\":[");
            for (size_t h = 0; h < q->nids; h++) {
                if (h)
                    putchar(',');
                json_str(stdout, q->ids[h]);
            }
            putchar(']');
        }
        if (suggest) {
            printf(",\"suggestion\":");
            json_str(stdout, q->suggestion);
        }
        printf(",\"error\":");
        json_str(stdout, q->err);
        printf("}\n");
        nfail += q->failed;
    }
    qsort(all, nq, sizeof(double), cmp_double);
    if (nq)
        fprintf(stderr,
                "bench_search: %zu queries x %u reps, median %.3f ms, "
                "p99 %.3f ms, %zu errors\n",
                nq, (unsigned)reps, median_sorted(all, nq),
                pct_sorted(all, nq, 99), nfail);
    {
        sbuf line = {0};
        if (srch_cache_report(s, &line))
            fprintf(stderr, "bench_search: %s\n", line.s);
        sbuf_free(&line);
    }

    for (size_t i = 0; i < nq; i++) {
        bq *q = &qs[i];
        free(q->qid);
        free(q->variant);
        free(q->query);
        free(q->ms);
        free(q->err);
        free(q->suggestion);
        for (size_t h = 0; h < q->nids; h++)
            free(q->ids[h]);
        free(q->ids);
    }
    free(qs);
    free(all);
    srch_close(s);
    free(dbs);
    return 0;
}
