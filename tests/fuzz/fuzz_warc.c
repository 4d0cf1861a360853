/* fuzz_warc.c — the WARC reader on any file: every record is read, checked
 * against its digests, or skipped, and each step moves forward, so that a
 * corpus file however damaged is read to its end. */
#include <stdio.h>
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
