/* shipped.h — the profiles shipped in crawler/profiles, for the unit
 * tests: found under $TT_TOP (tests/run.sh sets it), else the current
 * directory. */
#ifndef TT_TEST_SHIPPED_H
#define TT_TEST_SHIPPED_H

#include "profile.h"

/* The shipped profile name, or NULL (the reason on stderr). */
profile *shipped_profile(const char *name);

#endif
