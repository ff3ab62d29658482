#include "util/errbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int gb_err(char *buf, size_t len, int status, const char *fmt, ...)
{
  if (buf && len) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
  }
  return status;
}

void gb_errcat(char *buf, size_t len, const char *fmt, ...)
{
  if (!buf || !len) return;
  size_t used = strnlen(buf, len);
  if (used + 3 >= len) return;
  if (used) {
    memcpy(buf + used, "; ", 3);
    used += 2;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + used, len - used, fmt, ap);
  va_end(ap);
}

char *gb_strlcpy(char *dst, const char *src, size_t len)
{
  if (!len) return dst;
  size_t n = src ? strnlen(src, len - 1) : 0;
  if (n) memcpy(dst, src, n);
  dst[n] = '\0';
  return dst;
}
