/* ISO 8601 date-times for CSV time columns and recording start times. */
#include <math.h>
#include <stdio.h>

#include "io/io_internal.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm,
 * "chrono-Compatible Low-Level Date Algorithms"). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char **p, const char *e, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (*p >= e || **p < '0' || **p > '9') return -1;
    v = v * 10 + (**p - '0');
    (*p)++;
  }
  *out = v;
  return 0;
}

static int days_in_month(int y, int m)
{
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[m - 1];
}

int gb_iso8601_parse(const char *s, size_t len, int64_t *sec, double *frac, int *has_zone)
{
  const char *p = s, *e = s + len;
  while (p < e && (*p == ' ' || *p == '\t' || *p == '"')) p++;
  while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '"' || e[-1] == '\r')) e--;
  int Y, M, D, h, mi, sc = 0;
  if (digits(&p, e, 4, &Y) || p >= e || *p++ != '-' || digits(&p, e, 2, &M) || p >= e ||
      *p++ != '-' || digits(&p, e, 2, &D))
    return -1;
  if (M < 1 || M > 12 || D < 1 || D > days_in_month(Y, M)) return -1;
  if (p >= e || (*p != 'T' && *p != 't' && *p != ' ')) return -1;
  p++;
  if (digits(&p, e, 2, &h) || p >= e || *p++ != ':' || digits(&p, e, 2, &mi)) return -1;
  double f = 0.0;
  if (p < e && *p == ':') {
    p++;
    if (digits(&p, e, 2, &sc)) return -1;
    if (p < e && (*p == '.' || *p == ',')) {
      p++;
      double scale = 0.1;
      int nd = 0;
      while (p < e && *p >= '0' && *p <= '9') {
        f += (*p - '0') * scale;
        scale *= 0.1;
        p++;
        nd++;
      }
      if (!nd) return -1;
    }
  }
  if (h > 24 || mi > 59 || sc > 60 || (h == 24 && (mi || sc || f > 0))) return -1;
  int zone = 0, off = 0;
  if (p < e && (*p == 'Z' || *p == 'z')) {
    zone = 1;
    p++;
  } else if (p < e && (*p == '+' || *p == '-')) {
    int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
    if (digits(&p, e, 2, &oh)) return -1;
    if (p < e && *p == ':') p++;
    if (p < e && digits(&p, e, 2, &om)) return -1;
    if (oh > 23 || om > 59) return -1;
    zone = 1;
    off = sign * (oh * 3600 + om * 60);
  }
  if (p != e) return -1;
  *sec = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + sc - off;
  *frac = f >= 1.0 ? 0.999999999 : f;
  if (has_zone) *has_zone = zone;
  return 0;
}

void gb_iso8601_format(int64_t sec, double frac, int zulu, char *buf, size_t len)
{
  int64_t ms = (int64_t)floor(frac * 1000.0 + 0.5);
  if (ms >= 1000) {
    ms -= 1000;
    sec++;
  }
  int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
  int64_t rem = sec - days * 86400;
  int64_t y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d.%03d%s", (long long)y, m, d,
           (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), (int)ms, zulu ? "Z" : "");
}
