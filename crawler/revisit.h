/* revisit.h — the revisit schedule (docs/CRAWLER.md, *Revisits*): when a
 * stored article is due to be asked for again, and how many a run asks
 * for by default.  An article's interval grows with its age: checked at
 * A whole days old (counted from when its current version began: its
 * own date or its storing, then each change), it is due again
 * clamp(A, revisit_after, revisit_max) days after that check, so a page
 * that stays the same is asked for less and less often.
 * Pure functions of times (epoch seconds) and counts; thread-safe.
 */
#ifndef TT_REVISIT_H
#define TT_REVISIT_H

#include <stdint.h>

#define REVISIT_DAY 86400
#define REVISIT_AUTO_MIN 50   /* the default revisit_per_run: at least */
#define REVISIT_AUTO_MAX 3000 /* and at most (50 minutes at a 1 s delay) */

/* The interval in whole days after a check at checked of an article
 * whose version began at since: its age then in whole days (0 when
 * since is later), clamped to [after, max] (max < after: after). */
int revisit_interval(int64_t since, int64_t checked, int after, int max);
/* When it is due again: checked plus that interval. */
int64_t revisit_due_at(int64_t since, int64_t checked, int after, int max);
/* How many a day an article on that interval (days) falls due: 1 /
 * interval, one a day at most (an interval of 0: due every run, counted
 * as one run a day). */
double revisit_rate(int interval);
/* The default revisit_per_run for articles falling due per_day a day
 * (the sum of their rates): twice that, rounded up, so that a nightly
 * run keeps up and a backlog drains, from REVISIT_AUTO_MIN to
 * REVISIT_AUTO_MAX. */
unsigned revisit_auto_cap(double per_day);
/* When the age of an article's first version begins: its own date, the
 * later of published and modified (ISO 8601; NULL, empty or not a date:
 * none), when it has one no later than stored; else stored (an article
 * published years before it was stored is old the day it is stored;
 * a date ahead of the store is a clock gone wrong). */
int64_t revisit_since(const char *published, const char *modified,
                      int64_t stored);

#endif
