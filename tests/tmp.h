/* tmp.h — where the unit tests and the fuzz targets put their files:
 * $TMPDIR when it is set, else /tmp. */
#ifndef TT_TEST_TMP_H
#define TT_TEST_TMP_H

#include <stddef.h>

/* Room for a temporary path, with some to spare for names appended. */
#define TMP_PATH_MAX 256

/* "TMPDIR/name" written into buf (size bytes), name being a mkdtemp or
 * mkstemp template ("tt-search-XXXXXX"); returns buf.  A path too long
 * for buf is cut, so that its mkdtemp fails. */
char *tmp_path(char *buf, size_t size, const char *name);

#endif
