/* Small CSV tables for truth files (kilobytes to a few megabytes: read whole). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eval/eval_internal.h"
#include "gaitbatch/status.h"
#include "util/errbuf.h"
#include "util/numparse.h"

static int read_all(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    if (errno == ENOENT || errno == ENOTDIR) return GB_ENOENT;
    return gb_err(err, errlen, GB_EIO, "%s: cannot open: %s", path, strerror(errno));
  }
  size_t cap = 4096, n = 0;
  char *b = malloc(cap);
  if (!b) {
    fclose(f);
    return GB_ENOMEM;
  }
  for (;;) {
    if (cap - n < 4096) {
      char *nb = realloc(b, cap * 2);
      if (!nb) {
        free(b);
        fclose(f);
        return GB_ENOMEM;
      }
      b = nb;
      cap *= 2;
    }
    size_t got = fread(b + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(b);
    return gb_err(err, errlen, GB_EIO, "%s: read error", path);
  }
  b[n] = '\0';
  *buf = b;
  *len = n;
  return GB_OK;
}

/* Splits one record starting at *p (in place, unquoting) into fields appended to
 * fields[]; advances *p past the line end. Returns the field count or -1 for an
 * unterminated quote. line is advanced for newlines inside quotes. */
static long split_record(char **p, char **fields, size_t max_fields, size_t *line)
{
  char *s = *p;
  size_t nf = 0;
  for (;;) {
    char *out = s, *start = s;
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '"') {
      s++;
      out = start;
      for (;;) {
        if (*s == '\0') return -1;
        if (*s == '"') {
          if (s[1] == '"') {
            *out++ = '"';
            s += 2;
            continue;
          }
          s++;
          break;
        }
        if (*s == '\n') (*line)++;
        *out++ = *s++;
      }
      while (*s == ' ' || *s == '\t' || *s == '\r') s++;
    } else {
      s = start;
      while (*s && *s != ',' && *s != '\n') s++;
      out = s;
      while (out > start && (out[-1] == ' ' || out[-1] == '\t' || out[-1] == '\r')) out--;
      while (*start == ' ' || *start == '\t') start++;
    }
    char sep = *s;
    if (nf < max_fields) fields[nf] = start;
    nf++;
    *out = '\0';
    if (sep == ',') {
      s++;
      continue;
    }
    if (sep == '\n') s++;
    else if (sep != '\0' && sep != ',') {
      /* text after a closing quote: tolerate by skipping to the separator */
      while (*s && *s != ',' && *s != '\n') s++;
      if (*s == ',') {
        s++;
        continue;
      }
      if (*s == '\n') s++;
    }
    break;
  }
  *p = s;
  return (long)nf;
}

static int is_blank_or_comment(const char *s)
{
  while (*s == ' ' || *s == '\t' || *s == '\r') s++;
  return *s == '\n' || *s == '\0' || *s == '#';
}

int gb_csv_read(const char *path, gb_csv_table *t, char *err, size_t errlen)
{
  memset(t, 0, sizeof *t);
  gb_strlcpy(t->path, path, sizeof t->path);
  char *buf = NULL;
  size_t len = 0;
  int rc = read_all(path, &buf, &len, err, errlen);
  if (rc) return rc;
  t->store = buf;
  /* upper bound of rows: newlines + 1 */
  size_t max_rows = 1;
  for (size_t i = 0; i < len; i++)
    if (buf[i] == '\n') max_rows++;
  if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
      (unsigned char)buf[2] == 0xBF)
    buf += 3; /* UTF-8 byte order mark */
  char *p = buf;
  size_t line = 1;
  /* header */
  while (*p && is_blank_or_comment(p)) {
    char *nl = strchr(p, '\n');
    p = nl ? nl + 1 : p + strlen(p);
    line++;
  }
  if (!*p) {
    gb_csv_free(t);
    return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: expected a header row, found end of file",
                  path, line);
  }
  char *hdr[256];
  size_t hline = line;
  long nh = split_record(&p, hdr, 256, &line);
  line++;
  if (nh < 0 || nh > 256) {
    gb_csv_free(t);
    return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: %s", path, hline,
                  nh < 0 ? "unterminated quote in the header" : "more than 256 columns");
  }
  t->n_cols = (size_t)nh;
  t->header_line = hline;
  t->header = malloc(t->n_cols * sizeof *t->header);
  t->cells = malloc((max_rows * t->n_cols + 1) * sizeof *t->cells);
  t->line = malloc(max_rows * sizeof *t->line);
  if (!t->header || !t->cells || !t->line) {
    gb_csv_free(t);
    return GB_ENOMEM;
  }
  memcpy(t->header, hdr, t->n_cols * sizeof *hdr);
  char **fields = malloc((t->n_cols + 1) * sizeof *fields);
  if (!fields) {
    gb_csv_free(t);
    return GB_ENOMEM;
  }
  while (*p) {
    if (is_blank_or_comment(p)) {
      char *nl = strchr(p, '\n');
      p = nl ? nl + 1 : p + strlen(p);
      line++;
      continue;
    }
    size_t rline = line;
    long nf = split_record(&p, fields, t->n_cols + 1, &line);
    line++;
    if (nf < 0) {
      free(fields);
      gb_csv_free(t);
      return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: unterminated quoted field", path, rline);
    }
    if ((size_t)nf > t->n_cols) {
      free(fields);
      gb_csv_free(t);
      return gb_err(err, errlen, GB_EFORMAT,
                    "%s:%zu: %ld fields, expected at most %zu (the header's columns)", path,
                    rline, nf, t->n_cols);
    }
    char **row = t->cells + t->n_rows * t->n_cols;
    for (size_t c = 0; c < t->n_cols; c++) row[c] = c < (size_t)nf ? fields[c] : (char *)"";
    t->line[t->n_rows++] = rline;
  }
  free(fields);
  return GB_OK;
}

void gb_csv_free(gb_csv_table *t)
{
  if (!t) return;
  free(t->header);
  free(t->cells);
  free(t->line);
  free(t->store);
  t->header = t->cells = NULL;
  t->line = NULL;
  t->store = NULL;
  t->n_rows = t->n_cols = 0;
}

long gb_csv_col(const gb_csv_table *t, const char *name)
{
  for (size_t c = 0; c < t->n_cols; c++)
    if (strcasecmp(t->header[c], name) == 0) return (long)c;
  return -1;
}

const char *gb_csv_cell(const gb_csv_table *t, size_t row, long col)
{
  if (col < 0 || (size_t)col >= t->n_cols || row >= t->n_rows) return "";
  return t->cells[row * t->n_cols + (size_t)col];
}

int gb_csv_num(const gb_csv_table *t, size_t row, long col, double *out)
{
  const char *s = gb_csv_cell(t, row, col);
  if (!*s || strcasecmp(s, "nan") == 0 || strcasecmp(s, "na") == 0) {
    *out = NAN;
    return 1;
  }
  double v;
  if (gb_parse_double(s, strlen(s), &v) != 0) return -1;
  *out = v;
  return 0;
}
