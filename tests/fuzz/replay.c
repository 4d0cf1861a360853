/* replay.c — runs a fuzz target over inputs, without libFuzzer: the main()
 * of the test_fuzz_NAME programs that `make check` runs.  With no
 * arguments it takes every file under tests/fuzz/corpus/NAME/ (NAME from
 * the program's name, the tree from TT_TOP); else the files and
 * directories named.  Prints "ok - NAME: FILE" per input, then exits 0:
 * a crash or a sanitizer stops it first. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util.h"

static const char *target;

static int run_file(const char *path)
{
    char *buf = NULL;
    size_t len = 0;
    tt_err e;
    if (tt_read_file(path, 1u << 24, &buf, &len, &e) != TT_OK) {
        printf("FAIL - %s: %s\n", target, e.msg);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
    free(buf);
    printf("ok - %s: %s\n", target, strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
    fflush(stdout);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order. */
static int run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    if (!d) {
        printf("FAIL - %s: cannot read %s\n", target, dir);
        return 1;
    }
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            xgrow(&names, &cap, n + 1, sizeof *names);
            names[n++] = xstrdup(de->d_name);
        }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    for (size_t i = 0; i < n; i++) {
        sbuf p = {0};
        sbuf_addf(&p, "%s/%s", dir, names[i]);
        bad |= run_file(p.s);
        sbuf_free(&p);
        free(names[i]);
    }
    free(names);
    if (!n) {
        printf("FAIL - %s: no inputs in %s\n", target, dir);
        bad = 1;
    }
    return bad;
}

int main(int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    int bad = 0;
    target = strncmp(base, "test_fuzz_", 10) == 0 ? base + 10 : base;
    LLVMFuzzerInitialize(&argc, &argv);
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            DIR *d = opendir(argv[i]);
            if (d) {
                closedir(d);
                bad |= run_dir(argv[i]);
            } else {
                bad |= run_file(argv[i]);
            }
        }
    } else {
        sbuf dir = {0};
        const char *top = getenv("TT_TOP") ? getenv("TT_TOP") : ".";
        sbuf_addf(&dir, "%s/tests/fuzz/corpus/%s", top, target);
        bad = run_dir(dir.s);
        sbuf_free(&dir);
    }
    return bad;
}
