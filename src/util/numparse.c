#include "util/numparse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int slow_path(const char *s, size_t len, double *out)
{
  char buf[128];
  if (len >= sizeof buf) return -1;
  memcpy(buf, s, len);
  buf[len] = '\0';
  char *end;
  double v = strtod(buf, &end);
  if (end == buf) return -1;
  while (*end == ' ' || *end == '\t' || *end == '\r') end++;
  if (*end) return -1;
  *out = v;
  return 0;
}

int gb_parse_double(const char *s, size_t len, double *out)
{
  size_t i = 0;
  while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
  while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r')) len--;
  if (i >= len) return -1;
  const char *p = s + i, *e = s + len;
  int neg = 0;
  if (*p == '-' || *p == '+') {
    neg = *p == '-';
    p++;
  }
  uint64_t mant = 0;
  int ndig = 0, frac = 0, any = 0;
  while (p < e && *p >= '0' && *p <= '9') {
    if (ndig || *p != '0') ndig++;
    mant = mant * 10 + (uint64_t)(*p - '0');
    p++;
    any = 1;
    if (ndig > 15) return slow_path(s + i, len - i, out);
  }
  if (p < e && *p == '.') {
    p++;
    while (p < e && *p >= '0' && *p <= '9') {
      if (ndig || *p != '0') ndig++;
      mant = mant * 10 + (uint64_t)(*p - '0');
      frac++;
      p++;
      any = 1;
      if (ndig > 15) return slow_path(s + i, len - i, out);
    }
  }
  if (!any) return slow_path(s + i, len - i, out); /* nan, inf, ".e" forms */
  int exp10 = 0;
  if (p < e && (*p == 'e' || *p == 'E')) {
    const char *q = p + 1;
    int eneg = 0, edig = 0, ev = 0;
    if (q < e && (*q == '-' || *q == '+')) {
      eneg = *q == '-';
      q++;
    }
    while (q < e && *q >= '0' && *q <= '9') {
      if (ev < 10000) ev = ev * 10 + (*q - '0');
      q++;
      edig = 1;
    }
    if (!edig) return -1;
    exp10 = eneg ? -ev : ev;
    p = q;
  }
  if (p != e) return -1;
  int scale = exp10 - frac;
  double v = (double)mant; /* exact: mant < 2^53 */
  if (scale == 0) {
  } else if (scale > 0 && scale <= 22) {
    v *= pow10_exact[scale];
    if (ndig + scale > 15 + 7) return slow_path(s + i, len - i, out);
  } else if (scale < 0 && scale >= -22) {
    v /= pow10_exact[-scale];
  } else {
    return slow_path(s + i, len - i, out);
  }
  *out = neg ? -v : v;
  return 0;
}
