/* Small helpers of the generator: locale-independent fixed-point formatting for the fast
 * CSV writer, and mkdir. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "synth/synth_internal.h"

size_t synth_fmt_fixed(char *buf, double v, int decimals)
{
  static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  if (!isfinite(v) || fabs(v) > 9e15 / p10[decimals]) return (size_t)sprintf(buf, "%.*f", decimals, v);
  long long q = llround(v * p10[decimals]);
  char tmp[32];
  size_t n = 0, o = 0;
  int neg = q < 0;
  unsigned long long u = neg ? (unsigned long long)(-q) : (unsigned long long)q;
  do {
    tmp[n++] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u || n <= (size_t)decimals);
  if (neg) buf[o++] = '-';
  while (n > 0) {
    if (n == (size_t)decimals) buf[o++] = '.';
    buf[o++] = tmp[--n];
  }
  buf[o] = '\0';
  return o;
}

int synth_mkdir(const char *path)
{
  if (mkdir(path, 0777) == 0 || errno == EEXIST) return 0;
  return -1;
}
