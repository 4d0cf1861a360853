/* profile.h — a site profile: where a site's crawl starts, what is in
 * scope, which URLs are articles and what their ids are, and the
 * extraction rules.  The file format is documented in docs/CRAWLER.md and
 * at the top of profile.c: "key = value" lines, '#' comments, repeated
 * keys for lists.
 *
 * A profile owns its strings, compiled regular expressions and extraction
 * rules; it is read-only after profile_set_base, so it may be shared
 * between threads then.
 */
#ifndef TT_PROFILE_H
#define TT_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "url.h"
#include "util.h"

#define PROFILE_MAX_BYTES (1u << 20)
#define PROFILE_GIVE_UP_AFTER 7        /* give_up_after's default */
#define PROFILE_MAX_GIVE_UP_AFTER 1000 /* and its largest value */
#define PROFILE_MAX_ID_PREFIX 32       /* bytes of id_prefix */
#define PROFILE_REVISIT_AFTER 30       /* revisit_after's default, days */
#define PROFILE_MAX_REVISIT_AFTER 3650 /* and its largest value */
#define PROFILE_REVISIT_MAX 365        /* revisit_max's default, days */
#define PROFILE_REVISIT_AUTO (-1)      /* revisit_per_run = auto (the
                                          default): derived each run */
#define PROFILE_MAX_REVISIT_PER_RUN 100000 /* revisit_per_run's largest */
#define PROFILE_MAX_LISTING_PAGES 50   /* max_listing_pages's default */
#define PROFILE_MAX_MAX_LISTING_PAGES 1000 /* and its largest value (the
                                              queue's depth field) */

typedef struct profile profile;

/* What a URL is to the crawl. */
enum {
    PK_OUT = 0,  /* out of scope (another host, skip pattern, unknown) */
    PK_ARTICLE,  /* matches the article pattern: fetched once, keyed by id */
    PK_HUB,      /* a page to read links from (section, feed index) */
    PK_PAGINATE, /* a listing page: followed while it brings new articles */
    PK_SITEMAP   /* listed by a sitemap index or robots.txt */
};

/* Parse profile text; name is used in messages ("FILE:LINE: …").
 * TT_EINVAL with the line on a syntax error, an unknown key, a bad
 * regular expression or selector, a missing required key (name, base,
 * article, title, content, body). */
int profile_parse(const char *text, size_t n, const char *name,
                  profile **out, tt_err *e);
/* Load NAME (looked up as NAME.conf in the colon-separated directories
 * dirs) or FILE (anything with a '/' or ending in ".conf"). */
int profile_load(const char *name_or_file, const char *dirs, profile **out,
                 tt_err *e);
void profile_free(profile *p); /* NULL is fine */

/* Point the profile at another address serving the same layout: seeds,
 * allowed hosts and links to the profile's own hosts are rewritten to
 * base_url's scheme and authority.  TT_EINVAL for a bad URL. */
int profile_set_base(profile *p, const char *base_url, tt_err *e);

const char *profile_name(const profile *p);
size_t profile_nseeds(const profile *p);
/* Seed i as an absolute, normalised URL. */
const char *profile_seed(const profile *p, size_t i);
const extract_rules *profile_rules(const profile *p);
int profile_max_depth(const profile *p);
/* Listing pages followed, one after the other, along one listing's
 * pagination in a run (max_listing_pages; 0: pagination not followed). */
int profile_max_listing_pages(const profile *p);
/* The site's offset, minutes east of UTC (timezone; default +07:00): of
 * dates written without one, and the one extracted dates are stored in. */
int profile_offset(const profile *p);
/* Runs in a row a URL may fail, or robots.txt forbid it, before the
 * crawler gives up on it (give_up_after; 0: never). */
int profile_give_up_after(const profile *p);
/* Revisits (docs/CRAWLER.md, crawler/revisit.h): a stored article
 * checked at A days old is due again clamp(A, revisit_after,
 * revisit_max) days after that check (revisit_max is never less than
 * revisit_after: the profile is refused otherwise); at most
 * revisit_per_run due ones are asked for again in a run (0: none;
 * PROFILE_REVISIT_AUTO: revisit_auto_cap's, the default). */
int profile_revisit_after(const profile *p);
int profile_revisit_max(const profile *p);
int profile_revisit_per_run(const profile *p);
/* A fingerprint of the profile's text (never 0): a profile edited since
 * may read a page for other links. */
uint64_t profile_fingerprint(const profile *p);
/* 1 (the default) when /a/ and /a are two pages of the site; 0 when it
 * serves them as one (keep_trailing_slash = no): one key for both. */
int profile_keep_trailing_slash(const profile *p);
/* 1 when a 410 Gone for an article the corpus holds appends a deletion
 * marker (withdrawn = delete: a newsroom mirroring its own site); 0 (the
 * default, keep) when it is only said. */
int profile_withdrawn_delete(const profile *p);

/* Resolve href against base (a page URL), normalise, rewrite links to the
 * profile's own hosts (profile_set_base), and check the host is allowed:
 * 0 with the URL in out (reset first), or -1 when out of scope. */
int profile_link(const profile *p, const char *base, const char *href,
                 size_t n, sbuf *out);
/* 1 when a normalised URL may be fetched at all: its host is allowed and
 * no skip pattern matches it (whatever its kind), else 0. */
int profile_in_scope(const profile *p, const char *url);
/* Classify a normalised URL (PK_*).  For PK_ARTICLE the id (id_prefix,
 * then the article pattern's first group) goes into id (cap bytes with
 * the NUL; -> PK_OUT when it does not fit). */
int profile_classify(const profile *p, const char *url, char *id,
                     size_t cap);
/* The date a dated sitemap shard covers up to (its last day, 23:59:59 in
 * the site's offset), from the shard_date pattern: 0 and *epoch, or -1
 * when the URL is not a dated shard. */
int profile_shard_date(const profile *p, const char *url, int64_t *epoch);

#endif
