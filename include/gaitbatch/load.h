/* gaitbatch — per-athlete training load and its ramp across sessions (DESIGN §6).
 *
 * Input: every session of one athlete (any order). Output: a daily series with
 * rolling and EWMA acute:chronic ratios, ISO-week totals with week-over-week and
 * 2-week change, and the load flags (load.session_spike, load.weekly_ramp,
 * load.acwr_high, load.no_base). The first weeks, before a chronic base exists, are
 * marked as such and never flagged as spikes of a ratio. */
#ifndef GAITBATCH_LOAD_H
#define GAITBATCH_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include "gaitbatch/config.h"
#include "gaitbatch/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gb_session {
  char run_id[GB_ID_MAX];
  double start_epoch_s;   /* UTC seconds since 1970 */
  double duration_s;      /* moving time (running + walking) */
  double steps;
  double impact;          /* cumulative impact, Σ peak g */
} gb_session;

typedef struct gb_daily_row {
  int64_t day;             /* days since 1970-01-01 (UTC) */
  char date[11];           /* "YYYY-MM-DD" */
  double duration_s, steps, impact;
  double load;             /* the configured load metric */
  double acute_rolling, chronic_rolling, acwr_rolling;  /* NaN while no base */
  double acute_ewma, chronic_ewma, acwr_ewma;           /* NaN while no base */
  int32_t base_established;
} gb_daily_row;

typedef struct gb_weekly_row {
  int32_t iso_year, iso_week;
  char week[9];            /* "2026-W47" */
  int32_t n_sessions;
  double duration_s, steps, impact, load;
  double change_pct;       /* vs previous ISO week, % (NaN when that week is empty) */
  double change_2wk_pct;   /* this + previous week vs the two weeks before, % */
  int32_t base_established;
} gb_weekly_row;

/* A load flag and the session it belongs to ("" for week-level flags). */
typedef struct gb_load_flag {
  char run_id[GB_ID_MAX];
  gb_flag flag;            /* t_start_s/t_end_s: days since 1970-01-01 */
} gb_load_flag;

typedef struct gb_load_result {
  gb_daily_row *daily;   size_t n_daily;
  gb_weekly_row *weekly; size_t n_weekly;
  gb_load_flag *flags;   size_t n_flags;
} gb_load_result;

int gb_load_compute(const gb_load_params *p, const gb_session *sessions, size_t n,
                    gb_load_result **out, char *err, size_t errlen);
void gb_load_result_free(gb_load_result *r); /* NULL-safe */

/* Days since 1970-01-01 and seconds since the epoch from an ISO 8601 date/time
 * ("2026-11-23", "2026-11-23T06:30:00Z", "...+01:00"). Returns GB_EINVAL if malformed.
 * Accepted: "YYYY-MM-DD" (midnight UTC) and "YYYY-MM-DD(T| )HH:MM[:SS[.f…]]" followed
 * by "Z", "+hh:mm", "-hh:mm" or nothing (= UTC). Year 0000–9999, every field range
 * checked (no leap second, day within its month). Pure arithmetic: no locale, TZ or
 * timegm(). */
int gb_parse_iso8601(const char *s, double *epoch_s);

/* Proleptic Gregorian calendar arithmetic (Hinnant's days_from_civil). */
int64_t gb_days_from_civil(int32_t year, int32_t month, int32_t day);
void gb_civil_from_days(int64_t days, int32_t *year, int32_t *month, int32_t *day);
/* ISO 8601 week date of a day (days since 1970-01-01): week-numbering year and week 1..53. */
void gb_iso_week(int64_t days, int32_t *iso_year, int32_t *iso_week);
/* The Monday (days since 1970-01-01) of the ISO week holding `days`. */
int64_t gb_iso_week_monday(int64_t days);

#ifdef __cplusplus
}
#endif
#endif
