/* Header name recognition for CSV recordings: the names used by common loggers and
 * data sets (x/y/z, acc_x, accX, ax, x_g, Accel_LN_X (Shimmer), acc_v_g, time_s,
 * t_ms, timestamp, samples, ...). */
#include "io/csv_columns.h"

#include <ctype.h>
#include <string.h>

/* Lower-case alphanumerics only: "Accel_LN_X" -> "accellnx". */
static void squash(const char *s, char *out, size_t n)
{
  size_t k = 0;
  for (; *s && k + 1 < n; s++)
    if (isalnum((unsigned char)*s)) out[k++] = (char)tolower((unsigned char)*s);
  out[k] = '\0';
}

static int ends_with(const char *s, const char *suf)
{
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

static int in_list(const char *w, const char *const *list)
{
  for (; *list; list++)
    if (strcmp(w, *list) == 0) return 1;
  return 0;
}

int gb_csv_units_hint(const char *name)
{
  char low[256];
  size_t k = 0;
  for (const char *s = name; *s && k + 1 < sizeof low; s++) low[k++] = (char)tolower((unsigned char)*s);
  low[k] = '\0';
  if (strstr(low, "m/s") || strstr(low, "ms2") || strstr(low, "ms^2") || strstr(low, "mps2") ||
      strstr(low, "ms-2") || strstr(low, "m s-2") || strstr(low, "m_s2") || strstr(low, "m_s^2"))
    return 1;
  /* "x_g", "acc_v_g", "x (g)", "x [g]", "x.g" */
  size_t l = strlen(low);
  while (l && (low[l - 1] == ')' || low[l - 1] == ']' || low[l - 1] == ' ')) l--;
  if (l >= 2 && low[l - 1] == 'g' && !isalnum((unsigned char)low[l - 2])) return -1;
  return 0;
}

static int prefix_ok(const char *p)
{
  return p[0] == '\0' || strcmp(p, "a") == 0 || strncmp(p, "acc", 3) == 0;
}

static int axis_of(const char *sq, char *key, size_t keylen, const char *suffix)
{
  char base[256];
  size_t l = strlen(sq), sl = strlen(suffix);
  if (l <= sl || !ends_with(sq, suffix)) return 0;
  memcpy(base, sq, l - sl);
  base[l - sl] = '\0';
  l -= sl;
  static const char *const vert[] = {"vertical", "vert", NULL};
  for (const char *const *v = vert; *v; v++)
    if (ends_with(base, *v) && strlen(base) > 0) {
      base[l - strlen(*v)] = '\0';
      if (!prefix_ok(base)) return 0;
      if (key) {
        strncpy(key, base, keylen - 1);
        key[keylen - 1] = '\0';
      }
      return 'v';
    }
  char ax = base[l - 1];
  if (ax != 'x' && ax != 'y' && ax != 'z' && ax != 'v') return 0;
  base[l - 1] = '\0';
  if (!prefix_ok(base)) return 0;
  if (ax == 'v' && base[0] == '\0') return 0; /* a bare "v" may be a voltage or velocity */
  if (key) {
    /* key = prefix + "|" + unit suffix */
    size_t pl = strlen(base);
    if (pl + sl + 2 > keylen) return 0;
    memcpy(key, base, pl);
    key[pl] = '|';
    memcpy(key + pl + 1, suffix, sl + 1);
  }
  return ax;
}

int gb_csv_accel_axis(const char *name, char *key, size_t keylen)
{
  char sq[256];
  squash(name, sq, sizeof sq);
  if (!sq[0]) return 0;
  static const char *const suffixes[] = {"", "mps2", "ms2", "mss", "ms", "g", NULL};
  for (const char *const *s = suffixes; *s; s++) {
    if (**s && strcmp(*s, "ms") == 0 && gb_csv_units_hint(name) != 1) continue;
    int ax = axis_of(sq, key, keylen, *s);
    if (ax) return ax;
  }
  static const char *const mag[] = {"a",        "acc",     "accel",       "mag",       "magnitude",
                                    "accmag",   "accelmag", "accmagnitude", "norm",      "accnorm",
                                    "vm",       "svm",     "resultant",   "accresultant", "amag",
                                    "vectormagnitude", NULL};
  for (const char *const *s = suffixes; *s; s++) {
    size_t l = strlen(sq), sl = strlen(*s);
    if (l <= sl || !ends_with(sq, *s)) continue;
    char base[256];
    memcpy(base, sq, l - sl);
    base[l - sl] = '\0';
    if (in_list(base, mag)) {
      if (key) {
        strncpy(key, base, keylen - 1);
        key[keylen - 1] = '\0';
      }
      return 'm';
    }
  }
  return 0;
}

gb_csv_timecol gb_csv_time_name(const char *name)
{
  gb_csv_timecol r = {0, 0.0};
  static const char *const time_words[] = {"t",       "time",  "times", "timestamp", "timestamps",
                                           "datetime", "utc",  "elapsed", "epoch",   "seconds",
                                           "secs",    "sec",   "ms",    "millis",    "milliseconds",
                                           "msec",    "us",    "usec",  "micros",    "microseconds",
                                           "ns",      "nanos", "nanoseconds", "tms", "ts", "tsec",
                                           NULL};
  static const char *const index_words[] = {"sample", "samples", "sampleindex", "index", "idx",
                                            "frame",  "frames",  "packetcounter", "samplenumber",
                                            NULL};
  static const char *const s_words[] = {"s", "sec", "secs", "seconds", "tsec", NULL};
  static const char *const ms_words[] = {"ms", "millis", "milliseconds", "msec", "tms", NULL};
  static const char *const us_words[] = {"us", "usec", "micros", "microseconds", NULL};
  static const char *const ns_words[] = {"ns", "nanos", "nanoseconds", NULL};
  char tok[64];
  const char *p = name;
  int is_time = 0, is_index = 0;
  double per_sec = 0.0;
  while (*p) {
    while (*p && !isalnum((unsigned char)*p)) p++;
    size_t k = 0;
    while (*p && isalnum((unsigned char)*p)) {
      if (k + 1 < sizeof tok) tok[k++] = (char)tolower((unsigned char)*p);
      p++;
    }
    tok[k] = '\0';
    if (!k) continue;
    if (in_list(tok, time_words)) is_time = 1;
    if (in_list(tok, index_words)) is_index = 1;
    if (in_list(tok, s_words)) per_sec = 1.0;
    else if (in_list(tok, ms_words)) per_sec = 1e3;
    else if (in_list(tok, us_words)) per_sec = 1e6;
    else if (in_list(tok, ns_words)) per_sec = 1e9;
  }
  char sq[256];
  squash(name, sq, sizeof sq);
  if (strncmp(sq, "time", 4) == 0 || strncmp(sq, "timestamp", 9) == 0) {
    is_time = 1;
    if (per_sec == 0.0 && ends_with(sq, "ms")) per_sec = 1e3;
  }
  if (is_time) r.is_time = 1;
  else if (is_index) r.is_time = 2;
  /* A lone "s"/"sec" token ("acc_x (s)") does not make a column a time column. */
  r.per_sec = r.is_time == 1 ? per_sec : 0.0;
  return r;
}
