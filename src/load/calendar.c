/* Calendar arithmetic for load ramps: civil dates, ISO 8601 weeks and the strict
 * ISO 8601 date/time parser. Pure integer arithmetic (H. Hinnant, "chrono-compatible
 * low-level date algorithms"): no locale, no TZ, no timegm(). */
#include <stdint.h>

#include "gaitbatch/load.h"
#include "gaitbatch/status.h"

/* Floor division for possibly negative numerators. */
static int64_t floor_div(int64_t a, int64_t b)
{
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

int64_t gb_days_from_civil(int32_t year, int32_t month, int32_t day)
{
  int64_t y = (int64_t)year - (month <= 2);
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;                                   /* [0, 399] */
  int64_t mp = (month + 9) % 12;                                 /* March = 0 */
  int64_t doy = (153 * mp + 2) / 5 + day - 1;                    /* [0, 365] */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

void gb_civil_from_days(int64_t days, int32_t *year, int32_t *month, int32_t *day)
{
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (year) *year = (int32_t)(y + (m <= 2));
  if (month) *month = (int32_t)m;
  if (day) *day = (int32_t)d;
}

int64_t gb_iso_week_monday(int64_t days)
{
  /* 1970-01-01 was a Thursday: weekday (Monday = 0) is (days + 3) mod 7. */
  int64_t wd = days + 3 - floor_div(days + 3, 7) * 7;
  return days - wd;
}

void gb_iso_week(int64_t days, int32_t *iso_year, int32_t *iso_week)
{
  /* ISO 8601: a week belongs to the year holding its Thursday; week 1 holds the
   * year's first Thursday. */
  int64_t thursday = gb_iso_week_monday(days) + 3;
  int32_t y;
  gb_civil_from_days(thursday, &y, NULL, NULL);
  int64_t jan1 = gb_days_from_civil(y, 1, 1);
  if (iso_year) *iso_year = y;
  if (iso_week) *iso_week = (int32_t)((thursday - jan1) / 7 + 1);
}

/* ---- strict ISO 8601 parser ------------------------------------------------ */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads exactly n digits at *p; advances *p. Returns -1 when they are not digits. */
static int read_digits(const char **p, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*p)[i];
    if (!is_digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  *p += n;
  return v;
}

static int days_in_month(int y, int m)
{
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 ? 28 + leap : dm[m - 1];
}

int gb_parse_iso8601(const char *s, double *epoch_s)
{
  if (!s || !epoch_s) return GB_EINVAL;
  const char *p = s;
  int y = read_digits(&p, 4);
  if (y < 0 || *p++ != '-') return GB_EINVAL;
  int mo = read_digits(&p, 2);
  if (mo < 1 || mo > 12 || *p++ != '-') return GB_EINVAL;
  int d = read_digits(&p, 2);
  if (d < 1 || d > days_in_month(y, mo)) return GB_EINVAL;
  double secs = 0.0;
  double offset_s = 0.0;
  if (*p == 'T' || *p == ' ') {
    p++;
    int hh = read_digits(&p, 2);
    if (hh < 0 || hh > 23 || *p++ != ':') return GB_EINVAL;
    int mi = read_digits(&p, 2);
    if (mi < 0 || mi > 59) return GB_EINVAL;
    int ss = 0;
    double frac = 0.0;
    if (*p == ':') {
      p++;
      ss = read_digits(&p, 2);
      if (ss < 0 || ss > 59) return GB_EINVAL;
      if (*p == '.') {
        p++;
        if (!is_digit(*p)) return GB_EINVAL;
        int64_t num = 0, den = 1;
        int nd = 0;
        while (is_digit(*p)) {
          if (++nd > 9) return GB_EINVAL; /* nanoseconds at most */
          num = num * 10 + (*p - '0');
          den *= 10;
          p++;
        }
        frac = (double)num / (double)den; /* correctly rounded, unlike a running sum */
      }
    }
    secs = hh * 3600.0 + mi * 60.0 + ss + frac;
    if (*p == 'Z') {
      p++;
    } else if (*p == '+' || *p == '-') {
      int sign = *p == '-' ? -1 : 1;
      p++;
      int oh = read_digits(&p, 2);
      if (oh < 0 || oh > 23 || *p++ != ':') return GB_EINVAL;
      int om = read_digits(&p, 2);
      if (om < 0 || om > 59) return GB_EINVAL;
      offset_s = sign * (oh * 3600.0 + om * 60.0);
    }
  }
  if (*p != '\0') return GB_EINVAL;
  /* Local time = UTC + offset, so UTC = local − offset. */
  *epoch_s = (double)gb_days_from_civil(y, mo, d) * 86400.0 + secs - offset_s;
  return GB_OK;
}
