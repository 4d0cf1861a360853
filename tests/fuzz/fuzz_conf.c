/* fuzz_conf.c — the files an administrator writes: the search page's
 * config, a crawl profile, a user dictionary for segmentation.  The first
 * byte of the input picks which; the rest is the file.  Each is loaded or
 * refused with a message naming the file, never half-read into a crash;
 * a loaded profile's rules are usable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "profile.h"
#include "seg.h"
#include "tmp.h"

static char path[TMP_PATH_MAX];

static void cleanup(void) { unlink(path); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    int fd;
    (void)argc;
    (void)argv;
    tmp_path(path, sizeof path, "tt-fuzz-XXXXXX");
    if ((fd = mkstemp(path)) < 0)
        fuzz_fail("mkstemp");
    close(fd);
    atexit(cleanup);
    return 0;
}

static void write_file(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        fuzz_fail("cannot write the file");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tt_err e;
    if (!size)
        return 0;
    switch (data[0] % 3) {
    case 0: {
        config c;
        write_file(data + 1, size - 1);
        if (config_load(&c, path, NULL, &e) == TT_OK &&
            (c.per_page < 1 || c.per_page > 100 || c.max_page < 1 ||
             c.max_page > 1000 || !c.ndb))
            fuzz_fail("a config loaded with a value out of range");
        config_free(&c);
        break;
    }
    case 1: {
        profile *p = NULL;
        if (profile_parse((const char *)data + 1, size - 1, "fuzz.conf", &p,
                          &e) == TT_OK) {
            sbuf u = {0};
            char id[128];
            if (extract_rules_check(profile_rules(p), &e) != TT_OK)
                fuzz_fail("a profile parsed without its required rules");
            for (size_t i = 0; i < profile_nseeds(p); i++)
                profile_classify(p, profile_seed(p, i), id, sizeof id);
            profile_link(p, "https://tuoitre.vn/", "/a-20240501.htm", 15, &u);
            profile_set_base(p, "http://127.0.0.1:8080", &e);
            sbuf_free(&u);
        }
        profile_free(p);
        break;
    }
    default: {
        seg_lex *lex = seg_lex_new(0);
        size_t added = 0;
        write_file(data + 1, size - 1);
        seg_lex_load(lex, path, &added, &e);
        if (added != seg_lex_count(lex))
            fuzz_fail("words added and counted differ");
        seg *s = seg_new(lex);
        seg_run(s, (const char *)data + 1, size - 1);
        seg_free(s);
        seg_lex_free(lex);
        break;
    }
    }
    return 0;
}
