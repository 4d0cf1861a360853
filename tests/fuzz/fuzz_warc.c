/* fuzz_warc.c — the WARC reader on any file: every record is read, checked
 * against its digests, or skipped, and each step moves forward, so that a
 * corpus file however damaged is read to its end; a record read whole
 * has the same header read alone (warc_read_head). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "warc.h"

static int fd = -1;
static FILE *f;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* the reader wants a FILE with a descriptor (it asks for the size) */
    fd = memfd_create("fuzz_warc", 0);
    if (fd < 0 || !(f = fdopen(fd, "rb")))
        fuzz_fail("no memfd");
    return 0;
}

/* The header of the record rec at off, read alone, is rec's (rec's
 * pointers are stale after). */
static void same_head(warc_reader *r, uint64_t off, const warc_record *rec)
{
    const char *id = warc_get(rec, "WARC-Record-ID"), *hid;
    char *want = id ? xstrdup(id) : NULL;
    size_t nf = rec->nfields;
    warc_record h;
    tt_err e;
    if (warc_read_head(r, f, off, &h, &e) != TT_OK || h.nfields != nf ||
        h.block != NULL)
        fuzz_fail("warc_read_head reads another record");
    hid = warc_get(&h, "WARC-Record-ID");
    if ((want == NULL) != (hid == NULL) || (want && strcmp(want, hid)))
        fuzz_fail("warc_read_head reads another record id");
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    warc_reader *r = warc_reader_new();
    uint64_t off = 0;
    tt_err e;

    if (ftruncate(fd, 0) != 0 ||
        (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        fuzz_fail("cannot write the memfd");
    for (;;) {
        warc_record rec;
        int rc = warc_read(r, f, off, &rec, &e);
        if (rc == TT_OK) {
            warc_check_digests(&rec, &e);
            warc_get(&rec, "WARC-Type");
            if (rec.block_len && rec.block[rec.block_len] != '\0')
                fuzz_fail("a block not NUL-terminated");
            same_head(r, off, &rec);
        } else if (rc != TT_ECORRUPT) {
            break;
        }
        if (rec.next <= off)
            fuzz_fail("warc_read did not move forward");
        if (rec.next > size)
            fuzz_fail("warc_read moved past the end of the file");
        off = rec.next;
    }
    warc_reader_free(r);
    return 0;
}
