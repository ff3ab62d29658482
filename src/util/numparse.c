#include "util/numparse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>


static int slow_path(const char *s, size_t len, double *out)
{
  char small[128];
  char *buf = small;
  if (len >= sizeof small) {
    buf = malloc(len + 1); /* rare: very long digit strings */
    if (!buf) return -1;
  }
  memcpy(buf, s, len);
  buf[len] = '\0';
  const char *h = buf + (buf[0] == '-' || buf[0] == '+');
  char *end;
  double v = strtod(buf, &end);
  int ok = end != buf && !(h[0] == '0' && (h[1] == 'x' || h[1] == 'X'));
  while (*end == ' ' || *end == '\t' || *end == '\r') end++;
  if (*end) ok = 0;
  if (buf != small) free(buf);
  if (!ok) return -1;
  *out = v;
  return 0;
}

int gb_parse_double(const char *s, size_t len, double *out)
{
  const char *p = s, *e = s + len;
  while (p < e && (*p == ' ' || *p == '\t')) p++;
  while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
  if (p == e) return -1;
  double v;
  size_t n = gb_parse_double_prefix(p, e, &v);
  if (n == (size_t)(e - p)) {
    *out = v;
    return 0;
  }
  if (n) return -1; /* a number followed by something else */
  return slow_path(p, (size_t)(e - p), out);
}
