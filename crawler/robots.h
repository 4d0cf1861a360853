/* robots.h — robots.txt (RFC 9309): the rules that apply to one crawler.
 *
 * robots_parse keeps the group(s) for our product token (case-insensitive;
 * several matching groups are merged), else the "*" group(s), else none
 * (allow all).  Allow/Disallow patterns take '*' (any run of characters)
 * and a final '$' (end of the path); the longest matching pattern wins,
 * Allow on a tie; /robots.txt itself is always allowed.  Crawl-delay (not
 * in the RFC, widely used) and Sitemap lines are kept too.  Input beyond
 * ROBOTS_MAX_BYTES is ignored (the RFC asks for at least 500 KiB), and so
 * are rules beyond ROBOTS_MAX_RULES: with matching linear in the path,
 * that bounds what a hostile robots.txt costs per URL.
 * What to do when robots.txt cannot be read (4xx: allow all; 5xx or
 * unreachable: disallow all, retry later) is the caller's policy: see
 * robots_allow_all and robots_disallow_all.  A robots handle is read-only
 * after creation, so it may be shared between threads.
 */
#ifndef TT_ROBOTS_H
#define TT_ROBOTS_H

#include <stddef.h>

#define ROBOTS_MAX_BYTES (512u << 10)
#define ROBOTS_MAX_RULES 10000 /* rules kept for the chosen group(s) */

typedef struct robots robots;

/* Rules of txt (n bytes, any content: garbage yields no rules) for the
 * crawler whose product token is agent ("timtin").  Never NULL. */
robots *robots_parse(const char *txt, size_t n, const char *agent);
/* No rules: everything allowed (robots.txt 4xx, or absent). */
robots *robots_allow_all(void);
/* Everything disallowed (robots.txt 5xx or unreachable). */
robots *robots_disallow_all(void);
void robots_free(robots *r); /* NULL is fine */

/* 1 when path (path and query of a normalised URL, starting with '/') may
 * be fetched, else 0. */
int robots_allowed(const robots *r, const char *path);
/* robots_allowed, adding to *work the bytes of path and of the patterns
 * the matching looked at (for tests).  Each rule costs about its length
 * plus the path's, stars or not: at most ROBOTS_MAX_RULES times
 * (URL_MAX + the pattern) per path, plus ROBOTS_MAX_BYTES. */
int robots_allowed_work(const robots *r, const char *path, size_t *work);
/* Crawl-delay in seconds of the chosen group, or -1 when it gives none. */
double robots_crawl_delay(const robots *r);
/* Sitemap URLs listed (in file order, any group). */
size_t robots_nsitemaps(const robots *r);
const char *robots_sitemap(const robots *r, size_t i);

#endif
