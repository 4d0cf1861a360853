/* date.h — dates as articles carry them.
 *
 * Parses ISO 8601 date-times with an offset ("2025-12-29T22:32:00+07:00",
 * "…Z", seconds and fraction optional, a date alone "2025-12-29" as
 * midnight UTC), and the forms queries use ("2021-10-01", "2021-10",
 * "2021").  No global state; thread-safe.
 */
#ifndef TT_DATE_H
#define TT_DATE_H

#include <stdint.h>
#include <time.h>

/* Seconds since the epoch of an ISO 8601 date-time; 0 on success, -1 when
 * s is not one (or out of the years 1000..9999).  A leap second (:60)
 * counts as :59, so it stays on its own day. */
int date_parse_iso(const char *s, int64_t *epoch);
/* A date from a query: "YYYY", "YYYY-MM" or "YYYY-MM-DD" (also with '/').
 * end = 0 gives the first second of the period, end = 1 its last.  0 on
 * success, -1 if malformed or not a real date. */
int date_parse_query(const char *s, int end, int64_t *epoch);
/* "YYYYMMDDhhmmss" in UTC (15 bytes with the NUL), the sortable form:
 * the index's date order; its date ranges are on the article's own clock
 * (date_local_key). */
void date_format_key(int64_t epoch, char out[15]);
/* The key of an ISO 8601 date-time on its own clock: the date and time
 * as written, whatever the offset ("2024-01-01T00:15:00+07:00" gives
 * "20240101001500", the day a reader of the article sees).  0, or -1 when
 * s is no date-time of the years 1900..2099. */
int date_local_key(const char *s, char out[15]);
/* Back from that form; -1 if malformed. */
int date_parse_key(const char *s, size_t len, int64_t *epoch);
/* ISO 8601 in the given offset from UTC in minutes ("…+07:00"). */
void date_format_iso(int64_t epoch, int offset_min, char out[32]);
/* An ISO 8601 date-time as date_parse_iso reads it, written in one form,
 * RFC 3339 on its own offset: "2023-06-14T08:15:00.5+0700" gives
 * "2023-06-14T08:15:00+07:00" (whole seconds, a leap second :59); Z, no
 * offset and a date alone (midnight) are UTC, "+00:00".  0, or -1 (out
 * empty) when s is not one. */
int date_rfc3339(const char *s, char out[32]);
/* Days since the epoch for a civil date (proleptic Gregorian). */
int64_t date_days_from_civil(int y, int m, int d);

#endif
