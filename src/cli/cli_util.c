#include "cli_util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int gb_cli_verbosity = 1;

static void vmsg(const char *kind, const char *fmt, va_list ap) GB_CLI_PRINTF(2, 0);
static void vmsg(const char *kind, const char *fmt, va_list ap)
{
  fputs("gaitbatch: ", stderr);
  if (kind) fputs(kind, stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void gb_cli_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vmsg("error: ", fmt, ap);
  va_end(ap);
}

void gb_cli_warn(const char *fmt, ...)
{
  if (gb_cli_verbosity < 1) return;
  va_list ap;
  va_start(ap, fmt);
  vmsg("warning: ", fmt, ap);
  va_end(ap);
}

void gb_cli_info(const char *fmt, ...)
{
  if (gb_cli_verbosity < 2) return;
  va_list ap;
  va_start(ap, fmt);
  vmsg(NULL, fmt, ap);
  va_end(ap);
}

int gb_cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v >= lo && v <= hi)) {
    gb_cli_error("%s: expected a number in [%g, %g], got '%s'", opt, lo, hi, s);
    return -1;
  }
  *out = v;
  return 0;
}

int gb_cli_parse_int(const char *opt, const char *s, long lo, long hi, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi) {
    gb_cli_error("%s: expected an integer in [%ld, %ld], got '%s'", opt, lo, hi, s);
    return -1;
  }
  *out = v;
  return 0;
}

int gb_cli_mkdirs(const char *path)
{
  char buf[PATH_MAX];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(buf, path, n + 1);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
  struct stat st;
  if (stat(buf, &st) != 0) return -1;
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  return 0;
}

#include <time.h>

#include "gaitbatch/config.h"

void gb_cli_json_string(FILE *f, const char *s)
{
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    switch (*p) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    default:
      if (*p < 0x20)
        fprintf(f, "\\u%04x", *p);
      else
        fputc(*p, f);
    }
  }
  fputc('"', f);
}

int gb_cli_load_config(gb_config *cfg, const char *path)
{
  gb_config_defaults(cfg);
  if (!path) return 0;
  char err[512];
  if (gb_config_load_file(cfg, path, err, sizeof err) != 0) {
    gb_cli_error("%s", err);
    return -1;
  }
  return 0;
}

void gb_cli_created_iso(char out[32])
{
  time_t t = time(NULL);
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    char *end;
    long long v = strtoll(sde, &end, 10);
    if (!*end && v >= 0) t = (time_t)v;
  }
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
