/* tmp.c — see tmp.h. */
#include "tmp.h"

#include <stdio.h>
#include <stdlib.h>

char *tmp_path(char *buf, size_t size, const char *name)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, size, "%s/%s", dir && *dir ? dir : "/tmp", name);
    return buf;
}
