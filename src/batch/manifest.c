/* manifest.csv: one row per recording with its metadata (DESIGN §4, §14). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gaitbatch/batch.h"
#include "gaitbatch/status.h"
#include "util/errbuf.h"
#include "util/numparse.h"

enum { MAX_FIELDS = 64, MAX_FIELD = 4096, MAX_MANIFEST_BYTES = 64 << 20 };

/* Splits one CSV record (RFC 4180 quoting) starting at *pos. Fields are copied into
 * `store` (NUL-separated). Returns the field count, or -1 on a malformed record. */
static int split_record(const char *text, size_t len, size_t *pos, char *store, size_t cap,
                        char **fields, int max_fields, size_t *lines)
{
  size_t i = *pos, o = 0;
  int nf = 0;
  int quoted = 0, at_start = 1;
  fields[nf++] = store;
  while (i < len) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < len && text[i + 1] == '"') {
          if (o + 1 >= cap) return -1;
          store[o++] = '"';
          i += 2;
          continue;
        }
        quoted = 0;
        i++;
        continue;
      }
      if (c == '\n') (*lines)++;
      if (o + 1 >= cap) return -1;
      store[o++] = c;
      i++;
      continue;
    }
    if (c == '"' && at_start) {
      quoted = 1;
      at_start = 0;
      i++;
      continue;
    }
    if (c == ',') {
      if (o + 1 >= cap || nf >= max_fields) return -1;
      store[o++] = '\0';
      fields[nf++] = store + o;
      at_start = 1;
      i++;
      continue;
    }
    if (c == '\r' && i + 1 < len && text[i + 1] == '\n') {
      i++;
      continue;
    }
    if (c == '\n') {
      i++;
      break;
    }
    if (o + 1 >= cap) return -1;
    store[o++] = c;
    at_start = 0;
    i++;
  }
  if (quoted) return -1;
  store[o] = '\0';
  *pos = i;
  return nf;
}

static int is_blank_or_comment(const char *text, size_t len, size_t pos)
{
  while (pos < len && (text[pos] == ' ' || text[pos] == '\t')) pos++;
  return pos >= len || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '#';
}

static size_t skip_line(const char *text, size_t len, size_t pos)
{
  while (pos < len && text[pos] != '\n') pos++;
  return pos < len ? pos + 1 : pos;
}

static void trim(char *s)
{
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
  size_t k = 0;
  while (s[k] == ' ' || s[k] == '\t') k++;
  if (k) memmove(s, s + k, n - k + 1);
}

typedef enum { C_PATH, C_RUN_ID, C_ATHLETE, C_START, C_LOCATION, C_UNITS, C_FULL_SCALE, C_COLS,
               C_RATE, C_TIME_COL, C_EXTRA } col_kind;

static col_kind classify(const char *name)
{
  static const struct { const char *n; col_kind k; } known[] = {
    {"path", C_PATH},           {"file", C_PATH},         {"run_id", C_RUN_ID},
    {"athlete", C_ATHLETE},     {"start", C_START},       {"location", C_LOCATION},
    {"units", C_UNITS},         {"full_scale_g", C_FULL_SCALE}, {"cols", C_COLS},
    {"rate_hz", C_RATE},        {"time_col", C_TIME_COL}};
  for (size_t i = 0; i < sizeof known / sizeof *known; i++)
    if (strcasecmp(name, known[i].n) == 0) return known[i].k;
  return C_EXTRA;
}

static int append_extra(gb_run_meta *m, const char *key, const char *value)
{
  size_t old = m->extra ? strlen(m->extra) : 0;
  size_t add = strlen(key) + strlen(value) + 2;
  char *p = realloc(m->extra, old + add + 1);
  if (!p) return GB_ENOMEM;
  snprintf(p + old, add + 1, "%s=%s\n", key, value);
  m->extra = p;
  return GB_OK;
}

static int join_path(char *out, size_t cap, const char *base, const char *rel)
{
  int n;
  if (rel[0] == '/' || !base || !base[0] || strcmp(base, ".") == 0)
    n = snprintf(out, cap, "%s", rel);
  else
    n = snprintf(out, cap, "%s/%s", base, rel);
  return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

int gb_manifest_parse(const char *text, size_t len, const char *name, const char *base_dir,
                      const gb_run_request *defaults, gb_run_request **rows_out, size_t *n_out,
                      char *err, size_t errlen)
{
  *rows_out = NULL;
  *n_out = 0;
  char *store = malloc(MAX_FIELD * 4);
  char *hstore = malloc(MAX_FIELD * 4);
  char *fields[MAX_FIELDS], *header[MAX_FIELDS];
  col_kind kinds[MAX_FIELDS];
  gb_run_request *rows = NULL;
  size_t n = 0, cap = 0;
  int st = GB_OK;
  if (!store || !hstore) {
    st = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", name);
    goto done;
  }
  size_t pos = 0, line = 1;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) pos = 3;
  while (pos < len && is_blank_or_comment(text, len, pos)) {
    pos = skip_line(text, len, pos);
    line++;
  }
  if (pos >= len) {
    st = gb_err(err, errlen, GB_EFORMAT, "%s: empty manifest: expected a header row with a 'path' column", name);
    goto done;
  }
  size_t extra_lines = 0;
  int nh = split_record(text, len, &pos, hstore, MAX_FIELD * 4, header, MAX_FIELDS, &extra_lines);
  if (nh < 0) {
    st = gb_err(err, errlen, GB_EFORMAT, "%s:%zu: malformed header (unterminated quote or more than %d columns)",
                name, line, MAX_FIELDS);
    goto done;
  }
  int path_col = -1;
  for (int i = 0; i < nh; i++) {
    trim(header[i]);
    kinds[i] = classify(header[i]);
    if (kinds[i] == C_PATH && path_col < 0) path_col = i;
  }
  if (path_col < 0) {
    st = gb_err(err, errlen, GB_EFORMAT, "%s:%zu: header has no 'path' column (columns: path, athlete, start, location, units, full_scale_g)",
                name, line);
    goto done;
  }
  line += 1 + extra_lines;
  while (pos < len) {
    if (is_blank_or_comment(text, len, pos)) {
      pos = skip_line(text, len, pos);
      line++;
      continue;
    }
    size_t rec_line = line;
    extra_lines = 0;
    int nf = split_record(text, len, &pos, store, MAX_FIELD * 4, fields, MAX_FIELDS, &extra_lines);
    line += 1 + extra_lines;
    if (nf < 0) {
      st = gb_err(err, errlen, GB_EFORMAT, "%s:%zu: malformed row (unterminated quote or field too long)", name, rec_line);
      goto done;
    }
    if (n == cap) {
      size_t nc = cap ? cap * 2 : 16;
      gb_run_request *p = realloc(rows, nc * sizeof *rows);
      if (!p) {
        st = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", name);
        goto done;
      }
      rows = p;
      cap = nc;
    }
    gb_run_request *r = &rows[n++];
    if (defaults) {
      *r = *defaults;
      r->meta.extra = NULL;
    } else {
      gb_run_request_init(r);
    }
    r->meta.run_id[0] = '\0';
    r->meta.path[0] = '\0';
    r->invalid[0] = '\0';
    if (nf != nh) {
      /* the row is unusable, but the others are not: report it as this row's error */
      snprintf(r->invalid, sizeof r->invalid, "%s:%zu: expected %d fields as in the header, got %d",
               name, rec_line, nh, nf);
      const char *p = path_col < nf ? fields[path_col] : "";
      if (!p[0] || join_path(r->meta.path, sizeof r->meta.path, base_dir, p) != 0)
        snprintf(r->meta.path, sizeof r->meta.path, "%s:%zu", name, rec_line);
      continue;
    }
    for (int i = 0; i < nf; i++) {
      char *v = fields[i];
      trim(v);
      const char *col = header[i];
      switch (kinds[i]) {
      case C_PATH:
        if (!v[0]) {
          st = gb_err(err, errlen, GB_EFORMAT, "%s:%zu: empty path", name, rec_line);
          goto done;
        }
        if (join_path(r->meta.path, sizeof r->meta.path, base_dir, v) != 0) {
          st = gb_err(err, errlen, GB_EFORMAT, "%s:%zu: path too long", name, rec_line);
          goto done;
        }
        break;
      case C_RUN_ID: gb_strlcpy(r->meta.run_id, v, sizeof r->meta.run_id); break;
      case C_ATHLETE: gb_strlcpy(r->meta.athlete, v, sizeof r->meta.athlete); break;
      case C_START: gb_strlcpy(r->meta.start_iso, v, sizeof r->meta.start_iso); break;
      case C_LOCATION:
        if (v[0] && gb_location_parse(v, &r->meta.location) != GB_OK && !r->invalid[0])
          snprintf(r->invalid, sizeof r->invalid,
                   "%s:%zu: column 'location': expected tibia|foot|sacrum|trunk|wrist|thigh, got '%.40s'",
                   name, rec_line, v);
        break;
      case C_UNITS:
        if (v[0]) {
          if (gb_units_parse(v, &r->meta.units) != GB_OK) {
            if (!r->invalid[0])
              snprintf(r->invalid, sizeof r->invalid,
                       "%s:%zu: column 'units': expected g or m/s2, got '%.40s'", name, rec_line, v);
            break;
          }
          r->units_set = 1;
        }
        break;
      case C_FULL_SCALE:
      case C_RATE: {
        if (!v[0]) break;
        double d;
        if (gb_parse_double(v, strlen(v), &d) != 0 || !(d > 0 && d < 1e6)) {
          if (!r->invalid[0])
            snprintf(r->invalid, sizeof r->invalid,
                     "%s:%zu: column '%s': expected a positive number, got '%.40s'", name, rec_line,
                     col, v);
          break;
        }
        if (kinds[i] == C_FULL_SCALE)
          r->meta.full_scale_g = d;
        else
          r->rate_hz = d;
        break;
      }
      case C_COLS: gb_strlcpy(r->cols, v, sizeof r->cols); break;
      case C_TIME_COL: gb_strlcpy(r->time_col, v, sizeof r->time_col); break;
      case C_EXTRA: break;
      }
      if (kinds[i] != C_PATH && kinds[i] != C_RUN_ID && kinds[i] != C_ATHLETE &&
          kinds[i] != C_START && kinds[i] != C_LOCATION && kinds[i] != C_UNITS &&
          kinds[i] != C_FULL_SCALE && v[0] && append_extra(&r->meta, col, v) != GB_OK) {
        st = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", name);
        goto done;
      }
    }
  }
  if (n == 0) st = gb_err(err, errlen, GB_ETOOSHORT, "%s: manifest has a header but no rows", name);
done:
  free(store);
  free(hstore);
  if (st != GB_OK) {
    gb_requests_free(rows, n);
    return st;
  }
  *rows_out = rows;
  *n_out = n;
  return GB_OK;
}

int gb_manifest_read(const char *manifest_path, const gb_run_request *defaults,
                     gb_run_request **rows, size_t *n_rows, char *err, size_t errlen)
{
  *rows = NULL;
  *n_rows = 0;
  FILE *f = fopen(manifest_path, "rb");
  if (!f)
    return gb_err(err, errlen, errno == ENOENT ? GB_ENOENT : GB_EIO, "%s: cannot open: %s",
                  manifest_path, strerror(errno));
  char *text = NULL;
  size_t len = 0, cap = 0;
  int st = GB_OK;
  for (;;) {
    if (len + 65536 > cap) {
      if (cap >= MAX_MANIFEST_BYTES) {
        st = gb_err(err, errlen, GB_ERANGE, "%s: manifest larger than %d MiB", manifest_path,
                    MAX_MANIFEST_BYTES >> 20);
        break;
      }
      size_t nc = cap ? cap * 2 : 65536 * 2;
      char *p = realloc(text, nc);
      if (!p) {
        st = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", manifest_path);
        break;
      }
      text = p;
      cap = nc;
    }
    size_t got = fread(text + len, 1, cap - len, f);
    len += got;
    if (got == 0) {
      if (ferror(f)) st = gb_err(err, errlen, GB_EIO, "%s: read error", manifest_path);
      break;
    }
  }
  fclose(f);
  if (st == GB_OK) {
    char base[GB_PATH_MAX];
    gb_strlcpy(base, manifest_path, sizeof base);
    char *slash = strrchr(base, '/');
    if (slash)
      *slash = '\0';
    else
      strcpy(base, ".");
    st = gb_manifest_parse(text, len, manifest_path, base, defaults, rows, n_rows, err, errlen);
  }
  free(text);
  return st;
}

void gb_requests_free(gb_run_request *rows, size_t n)
{
  if (!rows) return;
  for (size_t i = 0; i < n; i++) gb_run_request_clear(&rows[i]);
  free(rows);
}
