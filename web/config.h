/* config.h — the search page's settings: from the server's environment
 * (TIMTIN_DB, TIMTIN_CONFIG) and an optional config file, never from the
 * request.
 *
 * A config owns its strings; config_free releases them (and accepts NULL).
 * Loading touches only the file named; no global state, thread-safe.
 *
 * The file: UTF-8 text (a byte order mark at its start is skipped), one
 * "key = value" per line, '#' starts a comment line, blank lines are
 * ignored, values are taken as written (no quotes, spaces around them
 * trimmed).  Keys:
 *
 *   title        the site's name (default "Tìm tin"), at most 100 bytes
 *   description  one line about the site, for feeds and OpenSearch
 *   per_page     results per page, 1..100 (default 10)
 *   max_page     the last page a reader may ask for, 1..1000 (default 100)
 *   base_url     the page's absolute URL, http(s)://host/path, for feeds
 *                and the OpenSearch document (default: from the request)
 *   facets       yes|no: section and year counts on the page (default yes)
 *   posting_cache_mb  memory, in MB, a FastCGI process may keep the
 *                posting lists of frequent words decoded in (default 128;
 *                0: none; plain CGI never does)
 *   block_cache_mb  memory, in MB, a FastCGI process may keep the index
 *                blocks it read in (default 128; 0: none; plain CGI
 *                never does)
 *   cache_report_every  a FastCGI process logs a line on its posting
 *                and block caches every this many requests (default
 *                10000; 0: never)
 *   fastcgi_timeout  seconds a FastCGI connection has to send its request,
 *                and as many to take the answer, 1..3600 (default 10)
 *   search_budget_ms  the time a search may take, 0..600000 ms (default
 *                1000; 0: no limit); TIMTIN_SEARCH_BUDGET_MS overrides it
 *   db           colon-separated db paths, used when TIMTIN_DB is not set;
 *                a relative one is from the file's directory (TIMTIN_DB's
 *                from the working directory)
 *   corpus       the corpus a snippet reads an article's whole text from
 *                when the part the db keeps has no match (default: the
 *                one the db was indexed from; a relative path is from the
 *                file's directory; "none": never)
 *
 * An unknown key or a bad value is an error naming the line, so a typo
 * never goes unnoticed.
 */
#ifndef TT_WEB_CONFIG_H
#define TT_WEB_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define CONFIG_MAX_FILE 65536 /* bytes of config file read */
#define CONFIG_MAX_DBS 64

typedef struct config {
    char *corpus;       /* NULL: the db's; "": none (srch_corpus) */
    char *title, *description;
    char *base_url;     /* NULL: derive from the request */
    uint32_t per_page, max_page;
    int facets;
    uint32_t posting_cache_mb;
    uint32_t block_cache_mb;
    uint32_t cache_report_every;
    uint32_t fastcgi_timeout;
    uint32_t search_budget_ms; /* 0: none */
    char *dbspec;       /* the colon-separated list dbs points into */
    const char *dbs[CONFIG_MAX_DBS];
    size_t ndb;
} config;

/* Fill *c with the defaults, then the settings of the file at path (NULL
 * or "" for none), then the dbs of dbenv (TIMTIN_DB; NULL or "" to keep
 * the file's).  Returns TT_OK; TT_ENOTFOUND or TT_EIO when the file cannot
 * be read, TT_EINVAL for a bad line or value or no db at all, with a
 * message for the server's log.  *c must be freed with config_free even
 * on error. */
int config_load(config *c, const char *path, const char *dbenv, tt_err *e);
/* Set search_budget_ms from its text v (0..600000); TT_EINVAL naming it
 * when v is not such a number. */
int config_budget(config *c, const char *v, tt_err *e);
void config_free(config *c);

#endif
