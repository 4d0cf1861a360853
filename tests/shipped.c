/* shipped.c — see shipped.h. */
#include "shipped.h"

#include <stdio.h>
#include <stdlib.h>

profile *shipped_profile(const char *name)
{
    const char *top = getenv("TT_TOP");
    sbuf dirs = {0};
    profile *p = NULL;
    tt_err e;
    sbuf_addf(&dirs, "%s/crawler/profiles", top ? top : ".");
    if (profile_load(name, dirs.s, &p, &e) != TT_OK)
        fprintf(stderr, "  %s\n", e.msg);
    sbuf_free(&dirs);
    return p;
}
