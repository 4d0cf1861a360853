/* pagedate.h — dates as news pages and feeds write them, read into an
 * instant and an offset:
 *   ISO 8601       "2025-12-29T22:32:00+07:00", "2025-12-29T22:32" (no
 *                  offset: the default one), "2025-12-29", and with the
 *                  offset as page text writes it: "2025-12-29 22:32 GMT+7",
 *                  "… GMT+07:00", "… (GMT+7)", "… UTC"
 *   page text      "29/12/2025 22:32 GMT+7", "29-12-2025 - 22:32",
 *                  "Thứ hai, 29/12/2025, 22:32 (GMT+7)" (any text around a
 *                  d/m/yyyy date and an optional HH:mm or HH:mm:ss time,
 *                  with AM/PM, or the Vietnamese SA (sáng) / CH (chiều),
 *                  after it on a 12-hour clock: "8:15 CH" is 20:15; "GMT+7",
 *                  "GMT+07:00", "UTC+7" give the offset), and the date in
 *                  words: "Thứ hai, ngày 29 tháng 12 năm 2025, 22:32"
 *   RFC 822 / 1123 "Mon, 29 Dec 2025 22:32:00 +0700" (also "GMT", "GMT+7")
 * No global state; thread-safe.  lib/date.h owns the ISO forms the rest of
 * timtin stores; this module only reads what crawled pages carry.
 */
#ifndef TT_PAGEDATE_H
#define TT_PAGEDATE_H

#include <stdint.h>

/* 0 with *epoch (UTC seconds) and *offset_min (the offset the text gave,
 * else default_off) set, or -1 when s holds no date. */
int pagedate_parse(const char *s, int default_off, int64_t *epoch,
                   int *offset_min);
/* The same, written as ISO 8601 with the offset ("2025-12-29T22:32:00+07:00")
 * into out: 0, or -1 when s holds no date. */
int pagedate_iso(const char *s, int default_off, char out[32]);

#endif
