/* CSV source, streaming: the file is read in 1 MiB chunks (partial lines carried
 * over), rows go through the non-finite repair, and the samples are placed on a
 * uniform time grid by linear interpolation between rows. The first rows (up to
 * CSV_SCAN_ROWS) are held once at open to estimate the rate and the units.
 *
 * Preamble: lines before the header that contain none of the delimiters of the
 * line after them (e.g. "Acquisition frequency: 100 Hz" atop the IPOL gait
 * files) are skipped with a warning; when such a line states "frequency: N Hz"
 * and the file has no time column (or only a sample counter), N is the rate
 * unless one is given (a documented convenience).
 *
 * Speed: data rows are parsed in place from the buffer (one pass, no separate
 * line scan; plain numbers via gb_parse_plain_sentinel against a sentinel byte),
 * anything unusual in a row (comments, quotes, missing values, exponents, ISO
 * times) takes the general per-field path. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "io/csv_columns.h"
#include "io/io_internal.h"
#include "util/errbuf.h"
#include "util/numparse.h"

#define CSV_CHUNK ((size_t)1 << 20)
#define CSV_SCAN_ROWS 4096
#define CSV_MAX_FIELDS 1024
#define CSV_NAME_MAX 128
/* Below this rate (Hz) a seconds reading of a time column is taken as ms instead:
 * running cadence reaches 220 steps/min = 3.7 Hz, so any gait recording needs
 * fs > 7.3 Hz (Nyquist); 5 Hz as seconds cannot be a gait recording. */
#define CSV_MIN_PLAUSIBLE_RATE_S 5.0
/* Interval deviation from the nominal one counted as irregular: 1 % absorbs the
 * rounding of printed timestamps (e.g. 512 Hz printed to 1 µs). */
#define CSV_IRREGULAR_FRAC 0.01
/* Median |a| band (in file units) that reveals m/s^2 data: 0.5–2 g expressed in
 * m/s^2. A body-worn sensor's median |a| over a second sits near 1 g (gravity)
 * whatever the activity; in g it would be ~1, never 4.9–19.6. */
#define CSV_MS2_MEDIAN_LO (0.5 * GB_STANDARD_GRAVITY)
#define CSV_MS2_MEDIAN_HI (2.0 * GB_STANDARD_GRAVITY)

enum { TK_NONE = 0, TK_NUM, TK_ISO, TK_INDEX };
enum { ROLE_SKIP = -1, ROLE_TIME = 3 };

typedef struct csv_src {
  gb_source *src;
  int fd;
  char *buf;
  size_t len, pos;
  int file_eof;
  int64_t line;        /* number of the line last handed out */
  int64_t header_line;
  double pre_rate;      /* rate stated by a preamble line ("... frequency: 100 Hz"), 0 if none */
  int64_t pre_rate_line;
  char delim;
  int nfields;
  char (*names)[CSV_NAME_MAX];
  signed char *role;
  int col[3], nch, tcol;
  int tk, tk_decided, zone;
  double per_sec_name; /* time units from the column name (0 unknown) */
  int64_t iso0;
  double frac0, raw0;
  int have0;
  double prev_raw, prev_abs;
  int64_t prev_line;
  char prev_text[48];
  int have_prev;
  int64_t rowidx;
  double tdiv;  /* raw time units per second */
  double inv_tdiv, inv_rate;
  double rate;  /* output rate */
  gb_nanfix nf;
  gb_io_frame *scan;
  size_t nscan, scan_pos;
  gb_io_frame a, b;
  int have_b, done;
  int64_t k;
  /* interval statistics (jitter) */
  double jit_sq, prev_jt, max_dt;
  int64_t jit_n, n_irregular, max_dt_line;
  int have_prev_jt;
  int div_g;
  size_t warn_static_len;
  int64_t warned_runs, warned_irregular;
  int warned_final;
} csv_src;

static void csv_close(void *impl)
{
  csv_src *c = impl;
  if (!c) return;
  if (c->fd >= 0) close(c->fd);
  free(c->buf);
  free(c->names);
  free(c->role);
  free(c->scan);
  free(c);
}

/* Printable excerpt of a field for messages. */
static const char *excerpt(const char *p, size_t n, char *out, size_t outlen)
{
  size_t k = 0, max = outlen - 4;
  for (size_t i = 0; i < n && k < max; i++) out[k++] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
  if (n > max) {
    memcpy(out + k, "...", 3);
    k += 3;
  }
  out[k] = '\0';
  return out;
}

/* Shortest "%.Ng" that reads back as v (the way the file most likely wrote it). */
static void shortest(double v, char *out, size_t len)
{
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(out, len, "%.*g", prec, v);
    if (strtod(out, NULL) == v) return;
  }
}

static const char *delim_name(char d) { return d == '\t' ? "TAB" : d == ';' ? "';'" : "','"; }

/* Next line of the file in [*ls, *le) without its '\n'; 1 = line, 0 = end. */
static int next_line(csv_src *c, const char **ls, const char **le)
{
  for (;;) {
    char *start = c->buf + c->pos;
    size_t avail = c->len - c->pos;
    char *nl = avail ? memchr(start, '\n', avail) : NULL;
    if (nl) {
      *ls = start;
      *le = nl;
      c->pos += (size_t)(nl - start) + 1;
      c->line++;
      return 1;
    }
    if (c->file_eof) {
      if (!avail) return 0;
      *ls = start;
      *le = start + avail;
      c->pos = c->len;
      c->line++;
      return 1;
    }
    if (c->pos) {
      memmove(c->buf, start, avail);
      c->len = avail;
      c->pos = 0;
      c->buf[c->len] = '\0'; /* sentinel for gb_parse_plain_sentinel */
    }
    if (c->len == CSV_CHUNK)
      return gb_io_fail(c->src, GB_EFORMAT, "%s:%lld: line longer than %zu bytes; expected CSV text lines",
                        c->src->path, (long long)c->line + 1, CSV_CHUNK);
    ssize_t n;
    do {
      n = read(c->fd, c->buf + c->len, CSV_CHUNK - c->len);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
      return gb_io_fail(c->src, GB_EIO, "%s:%lld: read failed: %s", c->src->path, (long long)c->line + 1,
                        strerror(errno));
    if (n == 0) c->file_eof = 1;
    else c->len += (size_t)n;
    c->buf[c->len] = '\0'; /* sentinel for gb_parse_plain_sentinel */
  }
}

static int blank_or_comment(const char *p, const char *e)
{
  while (p < e && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
  return p == e || *p == '#';
}

/* Tokens that mean "no value here" (written by pandas, R, spreadsheets). */
static int is_missing(const char *p, size_t n)
{
  while (n && (*p == ' ' || *p == '\t')) p++, n--;
  while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
  if (n == 0) return 1;
  static const char *const miss[] = {"na", "n/a", "null", "none", "-"};
  for (size_t i = 0; i < sizeof miss / sizeof *miss; i++)
    if (strlen(miss[i]) == n && strncasecmp(p, miss[i], n) == 0) return 1;
  return 0;
}

static int parse_value(const char *p, size_t n, double *v)
{
  if (gb_parse_double(p, n, v) == 0) return 0;
  /* "quoted" numbers */
  const char *q = p, *e = p + n;
  while (q < e && (*q == ' ' || *q == '\t')) q++;
  while (e > q && (e[-1] == ' ' || e[-1] == '\t')) e--;
  if (e - q >= 2 && *q == '"' && e[-1] == '"' && gb_parse_double(q + 1, (size_t)(e - q - 2), v) == 0)
    return 0;
  if (is_missing(p, n) || (e - q == 2 && q[0] == '"' && q[1] == '"')) {
    *v = NAN;
    return 0;
  }
  return -1;
}

static int time_error(csv_src *c, const char *p, size_t n, const char *what)
{
  char ex[48];
  return gb_io_fail(c->src, GB_EFORMAT, "%s:%lld: column '%s' (field %d): expected %s, got '%s'",
                    c->src->path, (long long)c->line, c->names[c->tcol], c->tcol + 1, what,
                    excerpt(p, n, ex, sizeof ex));
}

/* Converts the time field of the current row into c's relative raw time. */
static int parse_time(csv_src *c, const char *p, size_t n, double *t)
{
  if (!c->tk_decided) {
    double v;
    int64_t s;
    double f;
    if (c->tk != TK_INDEX && gb_iso8601_parse(p, n, &s, &f, &c->zone) == 0) c->tk = TK_ISO;
    else if (gb_parse_double(p, n, &v) == 0) {
      if (c->tk != TK_INDEX) c->tk = TK_NUM;
    } else
      return time_error(c, p, n,
                        c->tk == TK_INDEX ? "a sample number"
                                          : "a time (seconds, milliseconds or ISO 8601 like "
                                            "2026-03-02T07:00:00.010Z)");
    c->tk_decided = 1;
  }
  if (c->tk == TK_ISO) {
    int64_t s;
    double f;
    int z;
    if (gb_iso8601_parse(p, n, &s, &f, &z) != 0)
      return time_error(c, p, n, "an ISO 8601 time like 2026-03-02T07:00:00.010Z");
    if (!c->have0) {
      c->iso0 = s;
      c->frac0 = f;
      c->have0 = 1;
    }
    *t = (double)(s - c->iso0) + (f - c->frac0);
    return 0;
  }
  double v;
  if (gb_parse_double(p, n, &v) != 0 || !isfinite(v))
    return time_error(c, p, n, c->tk == TK_INDEX ? "a finite sample number" : "a finite time");
  if (!c->have0) {
    c->raw0 = v;
    c->have0 = 1;
  }
  *t = v - c->raw0;
  return 0;
}

/* Fast path for one data row that lies wholly in the buffer: every value field
 * a plain number (gb_parse_double_prefix) followed by the delimiter or the line
 * end, no separate scan for the line end. Returns 1 with the values in f and
 * the raw time in *traw (when the row has a time column), having consumed the
 * line; 0 when the row needs the general path (nothing consumed): comments,
 * blank lines, quoted or missing values, ISO times, the first rows before the
 * time column's kind is known, or a line running past the buffered bytes. */
static inline int fast_row(csv_src *c, gb_io_frame *f, double *traw, const char **tp, size_t *tn)
{
  const char *p = c->buf + c->pos, *end = c->buf + c->len;
  const char delim = c->delim;
  const int nfields = c->nfields;
  const signed char *role = c->role;
  const int fast_time = c->tcol < 0 || (c->tk_decided && (c->tk == TK_NUM || c->tk == TK_INDEX) && c->have0);
  if (!fast_time) return 0;
  /* a line that may be blank or a comment (blank_or_comment) is the general path's */
  if (p >= end || *p == '#' || *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') return 0;
  f->v[1] = f->v[2] = 0.0; /* channels a 1-channel file leaves unset */
  for (int fi = 0;; fi++) {
    int r = role[fi];
    if (r >= 0) {
      double v;
      const char *q = gb_parse_plain_sentinel(p, &v);
      if (!q) return 0;
      if (r < 3) f->v[r] = v;
      else {
        *traw = v;
        *tp = p;
        *tn = (size_t)(q - p);
      }
      p = q;
    } else {
      while (p < end && *p != delim && *p != '\n' && *p != '\r') p++;
    }
    if (p >= end) return 0;
    char d = *p;
    if (d == delim) {
      if (fi + 1 >= nfields) return 0;
      p++;
      continue;
    }
    if (d == '\r') {
      if (p + 1 >= end || p[1] != '\n') return 0;
      p++;
      d = '\n';
    }
    if (d != '\n' || fi + 1 != nfields) return 0;
    c->pos = (size_t)(p + 1 - c->buf);
    c->line++;
    return 1;
  }
}

/* Time bookkeeping of a parsed row (raw time t relative to the first row, its
 * text at tp for messages). */
static int row_time(csv_src *c, gb_io_frame *f, double t, const char *tp, size_t tn);

/* Pulls the next data row (gb_io_pull_fn). */
static int csv_pull(void *ctx, gb_io_frame *f)
{
  csv_src *c = ctx;
  {
    double traw = 0.0;
    const char *ftp = NULL;
    size_t ftn = 0;
    if (fast_row(c, f, &traw, &ftp, &ftn)) return row_time(c, f, c->tcol >= 0 ? traw - c->raw0 : 0.0, ftp, ftn);
  }
  const char *ls = NULL, *le = NULL;
  for (;;) {
    int r = next_line(c, &ls, &le);
    if (r <= 0) return r;
    if (le > ls && le[-1] == '\r') le--;
    if (!blank_or_comment(ls, le)) break;
  }
  const char *p = ls;
  int fi = 0, bad_field = -1;
  const char *bad_p = NULL;
  size_t bad_n = 0;
  const char *tp = NULL;
  size_t tn = 0;
  double tfast = 0.0;
  int have_tfast = 0;
  const int fast_time = c->tk_decided && (c->tk == TK_NUM || c->tk == TK_INDEX) && c->have0;
  const char delim = c->delim;
  f->v[0] = f->v[1] = f->v[2] = 0.0;
  for (;;) {
    int role = fi < c->nfields ? c->role[fi] : ROLE_SKIP;
    const char *e = NULL;
    if (role >= 0) {
      /* Fast path: a plain number directly followed by the delimiter or the end. */
      double v;
      size_t n = gb_parse_double_prefix(p, le, &v);
      if (n && (p + n == le || p[n] == delim)) {
        e = p + n;
        if (role < 3) f->v[role] = v;
        else if (fast_time && isfinite(v)) {
          tfast = v;
          have_tfast = 1;
          tp = p;
          tn = n;
        }
      }
    }
    if (!e) {
      e = memchr(p, delim, (size_t)(le - p));
      if (!e) e = le;
      if (role >= 0 && role < 3) {
        if (parse_value(p, (size_t)(e - p), &f->v[role]) != 0 && bad_field < 0) {
          bad_field = fi;
          bad_p = p;
          bad_n = (size_t)(e - p);
        }
      }
    }
    if (role == ROLE_TIME && !have_tfast) {
      tp = p;
      tn = (size_t)(e - p);
    }
    fi++;
    if (e == le) break;
    p = e + 1;
  }
  if (fi != c->nfields)
    return gb_io_fail(c->src, GB_EFORMAT,
                      "%s:%lld: expected %d fields separated by %s (as in the header on line %lld), got %d",
                      c->src->path, (long long)c->line, c->nfields, delim_name(c->delim),
                      (long long)c->header_line, fi);
  if (bad_field >= 0) {
    char ex[48];
    return gb_io_fail(c->src, GB_EFORMAT, "%s:%lld: column '%s' (field %d): expected a number, got '%s'",
                      c->src->path, (long long)c->line, c->names[bad_field], bad_field + 1,
                      excerpt(bad_p, bad_n, ex, sizeof ex));
  }
  double t = 0.0;
  if (c->tcol >= 0) {
    if (have_tfast) t = tfast - c->raw0;
    else if (parse_time(c, tp, tn, &t)) return c->src->status;
  }
  return row_time(c, f, t, tp, tn);
}

static int row_time(csv_src *c, gb_io_frame *f, double t, const char *tp, size_t tn)
{
  if (c->tcol >= 0) {
    if (c->have_prev && !(t > c->prev_raw)) {
      char ex[48];
      excerpt(tp, tn, ex, sizeof ex);
      if (t == c->prev_raw)
        return gb_io_fail(c->src, GB_ERANGE,
                          "%s:%lld: column '%s': duplicate time %s (the same as on line %lld); expected "
                          "strictly increasing timestamps",
                          c->src->path, (long long)c->line, c->names[c->tcol], ex, (long long)c->prev_line);
      char pex[48];
      if (c->tk == TK_ISO) excerpt(c->prev_text, strlen(c->prev_text), pex, sizeof pex);
      else shortest(c->prev_abs, pex, sizeof pex);
      return gb_io_fail(c->src, GB_ERANGE,
                        "%s:%lld: column '%s': time %s is earlier than %s on line %lld; expected "
                        "increasing timestamps",
                        c->src->path, (long long)c->line, c->names[c->tcol], ex, pex,
                        (long long)c->prev_line);
    }
    c->prev_raw = t;
    c->prev_line = c->line;
    if (c->tk == TK_ISO) {
      size_t keep = tn < sizeof c->prev_text - 1 ? tn : sizeof c->prev_text - 1;
      memcpy(c->prev_text, tp, keep); /* sanitised only if a message needs it */
      c->prev_text[keep] = '\0';
    } else {
      c->prev_abs = t + c->raw0; /* printed from the value if a message needs it */
    }
    c->have_prev = 1;
  } else {
    t = (double)c->rowidx;
  }
  c->rowidx++;
  f->t = t;
  f->loc = c->line;
  return 1;
}

static int nan_error(csv_src *c)
{
  int col = c->col[c->nf.bad_ch < 0 ? 0 : c->nf.bad_ch];
  if (c->nf.bad_all)
    return gb_io_fail(c->src, GB_ERANGE,
                      "%s:%lld: column '%s': no finite value in the data (NaN/Inf/empty from here on); "
                      "expected numbers",
                      c->src->path, (long long)c->nf.bad_loc, c->names[col]);
  return gb_io_fail(c->src, GB_ERANGE,
                    "%s:%lld: column '%s': more than %d consecutive non-finite values (NaN/Inf/empty) "
                    "start here; expected finite numbers (shorter gaps are repaired)",
                    c->src->path, (long long)c->nf.bad_loc, c->names[col], GB_IO_NANFIX_MAX_RUN);
}

static int pull_clean(csv_src *c, gb_io_frame *f)
{
  int r;
  if (c->nf.qlen) {
    r = gb_nanfix_next(&c->nf, csv_pull, c, f);
  } else {
    r = csv_pull(c, f); /* fast path: a finite row */
    if (r != 1) return r;
    if (gb_nanfix_finite(&c->nf, f)) {
      memcpy(c->nf.last, f->v, sizeof c->nf.last);
      c->nf.have_last = 1;
      return 1;
    }
    gb_io_frame bad = *f;
    r = gb_nanfix_run(&c->nf, &bad, csv_pull, c, f);
  }
  if (r == GB_ERANGE && c->nf.bad_loc >= 0) return nan_error(c);
  return r;
}

/* Interval statistics on times in seconds (relative to the first row). */
static void account_interval(csv_src *c, double tsec, int64_t loc)
{
  if (c->have_prev_jt) {
    double dt = tsec - c->prev_jt;
    double dev = dt - c->inv_rate;
    c->jit_sq += dev * dev;
    c->jit_n++;
    if (fabs(dev) > CSV_IRREGULAR_FRAC * c->inv_rate) c->n_irregular++;
    if (dt > c->max_dt) {
      c->max_dt = dt;
      c->max_dt_line = loc;
    }
  }
  c->prev_jt = tsec;
  c->have_prev_jt = 1;
}

/* Next repaired row for the resampler: the scan rows first, then the file. */
static int next_row(csv_src *c, gb_io_frame *f)
{
  if (c->scan_pos < c->nscan) {
    *f = c->scan[c->scan_pos++];
    f->t *= c->inv_tdiv;
    return 1;
  }
  int r = pull_clean(c, f);
  if (r == 1) {
    f->t *= c->inv_tdiv; /* from here on, seconds */
    account_interval(c, f->t, f->loc);
  }
  return r;
}

static void update_info(csv_src *c)
{
  gb_source_info *in = &c->src->info;
  in->jitter_ms = c->jit_n ? sqrt(c->jit_sq / (double)c->jit_n) * 1000.0 : 0.0;
  in->resampled = c->n_irregular > 0;
  in->n_repaired = c->nf.n_replaced;
}

/* Rebuilds the warnings that depend on what has been read so far. */
static void refresh_warnings(csv_src *c, int final)
{
  if (c->nf.n_runs == c->warned_runs && c->n_irregular == c->warned_irregular &&
      (!final || c->warned_final))
    return;
  gb_source *s = c->src;
  s->warnings[c->warn_static_len] = '\0';
  if (c->nf.n_runs)
    gb_io_warn(s,
               "%s:%lld: %lld non-finite values (NaN/Inf/empty) in %lld run(s) of at most %d rows replaced "
               "by the previous valid value (first here)",
               s->path, (long long)c->nf.first_loc, (long long)c->nf.n_replaced, (long long)c->nf.n_runs,
               GB_IO_NANFIX_MAX_RUN);
  if (c->n_irregular)
    gb_io_warn(s,
               "%s: irregular timestamps resampled to %.6g Hz by linear interpolation: RMS jitter %.3f ms "
               "over %lld intervals%s, %lld off by more than %g%%, longest interval %.3f ms (line %lld)",
               s->path, c->rate, s->info.jitter_ms, (long long)c->jit_n, final ? "" : " so far",
               (long long)c->n_irregular, CSV_IRREGULAR_FRAC * 100, c->max_dt * 1000.0,
               (long long)c->max_dt_line);
  c->warned_runs = c->nf.n_runs;
  c->warned_irregular = c->n_irregular;
  c->warned_final = final;
}

static int csv_read(gb_source *src, float *buf, size_t max, size_t *n)
{
  csv_src *c = src->impl;
  size_t k = 0;
  const int nch = c->nch;
  const double eps = 1e-6; /* fraction of an interval treated as "on the row" */
  while (k < max && !c->done) {
    double t = (double)c->k * c->inv_rate;
    while (c->have_b && t > c->b.t) {
      c->a = c->b;
      int r = next_row(c, &c->b);
      if (r < 0) return r;
      c->have_b = r;
    }
    const double ta = c->a.t;
    const double *va = c->a.v;
    double v[3];
    if (!c->have_b) {
      if (t > ta + eps / c->rate) {
        c->done = 1;
        break;
      }
      for (int ch = 0; ch < nch; ch++) v[ch] = va[ch];
    } else {
      const double tb = c->b.t, h = tb - ta;
      const double *vb = c->b.v;
      /* On a row (within eps of an interval): its value exactly, no division. */
      if (t - ta < eps * h)
        for (int ch = 0; ch < nch; ch++) v[ch] = va[ch];
      else if (tb - t < eps * h)
        for (int ch = 0; ch < nch; ch++) v[ch] = vb[ch];
      else {
        const double w = (t - ta) / h;
        for (int ch = 0; ch < nch; ch++) v[ch] = va[ch] + w * (vb[ch] - va[ch]);
      }
    }
    float *o = buf + k * (size_t)nch;
    if (c->div_g)
      for (int ch = 0; ch < nch; ch++) o[ch] = (float)(v[ch] / GB_STANDARD_GRAVITY);
    else
      for (int ch = 0; ch < nch; ch++) o[ch] = (float)v[ch];
    c->k++;
    k++;
  }
  update_info(c);
  refresh_warnings(c, c->done);
  *n = k;
  return GB_OK;
}

static const gb_io_backend csv_backend = {"csv", csv_read, csv_close};

static void column_list(const csv_src *c, char *out, size_t len)
{
  out[0] = '\0';
  size_t used = 0;
  for (int i = 0; i < c->nfields && used + 8 < len; i++) {
    int w = snprintf(out + used, len - used, "%s'%s'", i ? ", " : "", c->names[i]);
    if (w < 0) break;
    used += (size_t)w;
  }
  if (used >= len - 1) memcpy(out + len - 4, "...", 4);
}

static int find_column(const csv_src *c, const char *name, size_t n)
{
  while (n && (*name == ' ' || *name == '\t')) name++, n--;
  while (n && (name[n - 1] == ' ' || name[n - 1] == '\t')) n--;
  for (int i = 0; i < c->nfields; i++)
    if (strlen(c->names[i]) == n && strncasecmp(c->names[i], name, n) == 0) return i;
  return -1;
}

static int unknown_column(csv_src *c, const char *what, const char *name, size_t n)
{
  char cols[400];
  column_list(c, cols, sizeof cols);
  return gb_io_fail(c->src, GB_EINVAL, "%s:%lld: no column '%.*s' (%s) in the header; columns are: %s",
                    c->src->path, (long long)c->header_line, (int)(n > 64 ? 64 : n), name, what, cols);
}

/* Offset of the first byte that breaks UTF-8 in [p, e), or -1 if it is valid. */
static long utf8_invalid_at(const unsigned char *p, const unsigned char *e)
{
  const unsigned char *b = p;
  while (p < e) {
    unsigned char c = *p;
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 1 : (c & 0xF0) == 0xE0 ? 2
          : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 3 : -1;
    if (n < 0 || e - p <= n) return n == 0 ? -1 : (long)(p - b);
    for (int i = 1; i <= n; i++)
      if ((p[i] & 0xC0) != 0x80) return (long)(p - b);
    p += n + 1;
  }
  return -1;
}

static int parse_header(csv_src *c, const char *ls, const char *le)
{
  /* Column names end up in messages and UTF-8 report strings (DESIGN §13). */
  long bad = utf8_invalid_at((const unsigned char *)ls, (const unsigned char *)le);
  if (bad >= 0)
    return gb_io_fail(c->src, GB_EFORMAT,
                      "%s:%lld: header is not UTF-8 text (byte 0x%02X at column %ld); expected UTF-8 "
                      "column names (re-save the file as UTF-8)",
                      c->src->path, (long long)c->line, (unsigned)(unsigned char)ls[bad], bad + 1);
  int counts[3] = {0, 0, 0};
  for (const char *p = ls; p < le; p++) {
    if (*p == ',') counts[0]++;
    else if (*p == ';') counts[1]++;
    else if (*p == '\t') counts[2]++;
  }
  c->delim = ',';
  if (counts[1] > counts[0] && counts[1] >= counts[2]) c->delim = ';';
  else if (counts[2] > counts[0] && counts[2] > counts[1]) c->delim = '\t';
  int nf = 1;
  for (const char *p = ls; p < le; p++) nf += *p == c->delim;
  if (nf > CSV_MAX_FIELDS)
    return gb_io_fail(c->src, GB_EUNSUPPORTED, "%s:%lld: %d columns in the header; at most %d supported",
                      c->src->path, (long long)c->line, nf, CSV_MAX_FIELDS);
  c->nfields = nf;
  c->names = calloc((size_t)nf, sizeof *c->names);
  c->role = malloc((size_t)nf);
  if (!c->names || !c->role) return gb_io_fail(c->src, GB_ENOMEM, "%s: out of memory", c->src->path);
  memset(c->role, ROLE_SKIP, (size_t)nf);
  const char *p = ls;
  for (int i = 0; i < nf; i++) {
    const char *e = memchr(p, c->delim, (size_t)(le - p));
    if (!e) e = le;
    const char *a = p, *b = e;
    while (a < b && (*a == ' ' || *a == '\t' || *a == '"' || *a == '\'')) a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '"' || b[-1] == '\'')) b--;
    size_t n = (size_t)(b - a);
    if (n >= CSV_NAME_MAX) n = CSV_NAME_MAX - 1;
    memcpy(c->names[i], a, n);
    c->names[i][n] = '\0';
    p = e + 1;
  }
  return GB_OK;
}

static int choose_columns(csv_src *c, const gb_source_opts *o)
{
  c->tcol = -1;
  if (o->cols && *o->cols) {
    const char *p = o->cols;
    int n = 0;
    while (*p) {
      const char *e = strchr(p, ',');
      if (!e) e = p + strlen(p);
      if (n == 3)
        return gb_io_fail(c->src, GB_EINVAL,
                          "%s: column selection '%s' names more than 3 columns; expected 'x,y,z' names or one "
                          "name for the long axis",
                          c->src->path, o->cols);
      int i = find_column(c, p, (size_t)(e - p));
      if (i < 0) return unknown_column(c, "asked for by the column selection", p, (size_t)(e - p));
      c->col[n++] = i;
      p = *e ? e + 1 : e;
    }
    if (n != 1 && n != 3)
      return gb_io_fail(c->src, GB_EINVAL,
                        "%s: column selection '%s' names %d columns; expected 3 (x,y,z) or 1 (long axis)",
                        c->src->path, o->cols, n);
    c->nch = n;
  } else {
    char keys[CSV_MAX_FIELDS > 64 ? 64 : CSV_MAX_FIELDS][64];
    int axes[64];
    int lim = c->nfields < 64 ? c->nfields : 64;
    for (int i = 0; i < lim; i++) axes[i] = gb_csv_accel_axis(c->names[i], keys[i], sizeof keys[i]);
    int found = 0;
    for (int i = 0; i < lim && !found; i++) {
      if (axes[i] != 'x') continue;
      int iy = -1, iz = -1;
      for (int j = 0; j < lim; j++) {
        if (axes[j] == 'y' && iy < 0 && strcmp(keys[j], keys[i]) == 0) iy = j;
        if (axes[j] == 'z' && iz < 0 && strcmp(keys[j], keys[i]) == 0) iz = j;
      }
      if (iy >= 0 && iz >= 0) {
        c->col[0] = i;
        c->col[1] = iy;
        c->col[2] = iz;
        c->nch = 3;
        found = 1;
      }
    }
    for (int want = 'v'; !found && want; want = want == 'v' ? 'm' : 0)
      for (int i = 0; i < lim && !found; i++)
        if (axes[i] == want) {
          c->col[0] = i;
          c->nch = 1;
          found = 1;
        }
    if (!found) {
      char cols[400];
      column_list(c, cols, sizeof cols);
      return gb_io_fail(c->src, GB_EFORMAT,
                        "%s:%lld: no acceleration columns recognised (looked for x/y/z, acc_x/acc_y/acc_z, "
                        "accX, ax/ay/az, x_g, Accel_LN_X, ..., or one vertical or magnitude column such as "
                        "acc_v_g or a); columns are: %s; pass --cols x,y,z or --cols NAME",
                        c->src->path, (long long)c->header_line, cols);
    }
  }
  for (int k = 0; k < c->nch; k++) c->role[c->col[k]] = (signed char)k;

  /* Time column. */
  c->tk = TK_NONE;
  if (o->time_col && *o->time_col) {
    int i = find_column(c, o->time_col, strlen(o->time_col));
    if (i < 0) return unknown_column(c, "the time column asked for", o->time_col, strlen(o->time_col));
    gb_csv_timecol tc = gb_csv_time_name(c->names[i]);
    c->tcol = i;
    c->tk = tc.is_time == 2 ? TK_INDEX : TK_NUM;
    c->per_sec_name = tc.per_sec;
  } else {
    int idx = -1;
    for (int i = 0; i < c->nfields; i++) {
      if (c->role[i] != ROLE_SKIP) continue;
      gb_csv_timecol tc = gb_csv_time_name(c->names[i]);
      if (tc.is_time == 1) {
        c->tcol = i;
        c->tk = TK_NUM;
        c->per_sec_name = tc.per_sec;
        break;
      }
      if (tc.is_time == 2 && idx < 0) idx = i;
    }
    if (c->tcol < 0 && idx >= 0) {
      c->tcol = idx;
      c->tk = TK_INDEX;
    }
  }
  if (c->tcol >= 0) {
    if (c->role[c->tcol] != ROLE_SKIP)
      return gb_io_fail(c->src, GB_EINVAL, "%s:%lld: column '%s' cannot be both time and acceleration",
                        c->src->path, (long long)c->header_line, c->names[c->tcol]);
    c->role[c->tcol] = ROLE_TIME;
    if (o->time_unit == GB_TIME_ISO8601) {
      c->tk = TK_ISO;
      c->tk_decided = 1;
    } else if (o->time_unit == GB_TIME_S || o->time_unit == GB_TIME_MS) {
      c->tk = TK_NUM;
      c->tk_decided = 1;
      c->per_sec_name = o->time_unit == GB_TIME_S ? 1.0 : 1000.0;
    } else if (c->tk == TK_INDEX) {
      c->tk_decided = 1;
    }
  }
  return GB_OK;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Decides time units and rate from the scan rows. */
static int decide_time(csv_src *c, const gb_source_opts *o_in)
{
  gb_source *s = c->src;
  /* A rate stated by a preamble line stands in for --rate when no time column
   * exists (or only a sample counter): a documented convenience (IPOL files). */
  gb_source_opts oo = *o_in;
  const gb_source_opts *o = &oo;
  if (!(oo.rate_hz > 0) && c->pre_rate > 0 && (c->tk == TK_NONE || c->tk == TK_INDEX)) {
    oo.rate_hz = c->pre_rate;
    gb_io_warn(s, "%s:%lld: sample rate %g Hz taken from the preamble line (no time column); pass --rate HZ "
                  "to override",
               s->path, (long long)c->pre_rate_line, c->pre_rate);
  }
  double med = 0.0;
  if (c->nscan >= 2 && c->tk != TK_NONE) {
    double *d = malloc(sizeof(double) * (c->nscan - 1));
    if (!d) return gb_io_fail(s, GB_ENOMEM, "%s: out of memory", s->path);
    for (size_t i = 1; i < c->nscan; i++) d[i - 1] = c->scan[i].t - c->scan[i - 1].t;
    qsort(d, c->nscan - 1, sizeof *d, cmp_double);
    size_t m = (c->nscan - 1) / 2;
    med = (c->nscan - 1) % 2 ? d[m] : 0.5 * (d[m - 1] + d[m]);
    free(d);
  }
  switch (c->tk) {
  case TK_NONE:
  case TK_INDEX:
    if (!(o->rate_hz > 0)) {
      if (c->tk == TK_INDEX)
        return gb_io_fail(s, GB_EINVAL,
                          "%s:%lld: column '%s' holds sample numbers, not times; expected a sample rate "
                          "(pass --rate HZ) or a time column (--time-col NAME)",
                          s->path, (long long)c->header_line, c->names[c->tcol]);
      char cols[400];
      column_list(c, cols, sizeof cols);
      return gb_io_fail(s, GB_EINVAL,
                        "%s:%lld: no time column (looked for t, time, time_s, t_ms, timestamp, ...) and no "
                        "sample rate given; pass --rate HZ or --time-col NAME; columns are: %s",
                        s->path, (long long)c->header_line, cols);
    }
    c->tdiv = o->rate_hz;
    c->rate = o->rate_hz;
    return GB_OK;
  case TK_ISO: c->tdiv = 1.0; break;
  default: {
    double per_sec = c->per_sec_name;
    if (per_sec == 0.0) {
      if (fabs(c->raw0) >= 1e11) {
        per_sec = 1000.0; /* epoch milliseconds (1e11 s would be the year 5138) */
      } else if (c->nscan >= 2 && med >= 1.0 / CSV_MIN_PLAUSIBLE_RATE_S) {
        per_sec = 1000.0;
        gb_io_warn(s, "%s: time column '%s' taken as milliseconds (median interval %g; as seconds the rate "
                      "would be %.3g Hz, too low for gait); pass --time-unit s to override",
                   s->path, c->names[c->tcol], med, 1.0 / med);
      } else {
        per_sec = 1.0;
      }
    }
    c->tdiv = per_sec;
  }
  }
  if (o->rate_hz > 0) {
    c->rate = o->rate_hz;
  } else {
    if (c->nscan < 2)
      return gb_io_fail(s, GB_ETOOSHORT,
                        "%s:%lld: a single data row; expected at least 2 rows to measure the sample rate "
                        "(or pass --rate HZ)",
                        s->path, (long long)c->scan[0].loc);
    c->rate = c->tdiv / med;
  }
  if (!(c->rate > 0) || c->rate > GB_IO_RATE_MAX_HZ || !isfinite(c->rate))
    return gb_io_fail(s, GB_ERANGE,
                      "%s:%lld: column '%s': the median time interval %g (%g s) gives a rate of %g Hz; "
                      "expected 0 < rate <= %g Hz",
                      s->path, (long long)c->scan[c->nscan > 1 ? 1 : 0].loc, c->names[c->tcol], med,
                      med / c->tdiv, c->rate, GB_IO_RATE_MAX_HZ);
  /* Start time when the column holds absolute times. */
  if (c->tk == TK_ISO) {
    gb_iso8601_format(c->iso0, c->frac0, c->zone, s->info.start_iso, sizeof s->info.start_iso);
  } else if (c->tdiv == 1.0 || c->tdiv == 1000.0) {
    double secs = c->raw0 / c->tdiv;
    if (secs >= 946684800.0 && secs < 4102444800.0) { /* 2000-01-01 .. 2100-01-01 */
      double fl = floor(secs);
      gb_iso8601_format((int64_t)fl, secs - fl, 1, s->info.start_iso, sizeof s->info.start_iso);
    }
  }
  return GB_OK;
}

static int decide_units(csv_src *c, const gb_source_opts *o)
{
  gb_source *s = c->src;
  if (o->units_set) {
    c->div_g = o->units == GB_UNITS_MS2;
    return GB_OK;
  }
  int hint = 0;
  for (int k = 0; k < c->nch; k++) {
    int h = gb_csv_units_hint(c->names[c->col[k]]);
    if (h) hint = h;
  }
  if (hint) {
    c->div_g = hint == 1;
    return GB_OK;
  }
  /* Median |a| over the first second (at least the first row). */
  size_t n = 0;
  while (n < c->nscan && (n == 0 || c->scan[n].t / c->tdiv < 1.0)) n++;
  double *m = malloc(sizeof(double) * n);
  if (!m) return gb_io_fail(s, GB_ENOMEM, "%s: out of memory", s->path);
  for (size_t i = 0; i < n; i++) {
    double q = 0;
    for (int k = 0; k < c->nch; k++) q += c->scan[i].v[k] * c->scan[i].v[k];
    m[i] = sqrt(q);
  }
  qsort(m, n, sizeof *m, cmp_double);
  double med = n % 2 ? m[n / 2] : 0.5 * (m[n / 2 - 1] + m[n / 2]);
  free(m);
  if (med >= CSV_MS2_MEDIAN_LO && med <= CSV_MS2_MEDIAN_HI) {
    c->div_g = 1;
    gb_io_warn(s, "%s: acceleration taken as m/s^2 (median |a| over the first second is %.3g, 1 g = %g m/s^2) "
                  "and converted to g; pass --units g to override",
               s->path, med, GB_STANDARD_GRAVITY);
  }
  return GB_OK;
}

/* Delimiters a CSV may use; mask bit 0 ',', 1 ';', 2 TAB. */
static unsigned delim_mask(const char *p, const char *e)
{
  unsigned m = 0;
  for (; p < e; p++) m |= *p == ',' ? 1u : *p == ';' ? 2u : *p == '\t' ? 4u : 0u;
  return m;
}

/* A preamble line before the header (e.g. the IPOL gait files' "Acquisition
 * frequency: 100 Hz"): the next non-blank, non-comment line uses delimiters and
 * this one contains none of them. Looks only at bytes already buffered (the top
 * of the file is), so nothing is consumed. */
static int is_preamble(const csv_src *c, const char *ls, const char *le)
{
  const char *p = c->buf + c->pos, *e = c->buf + c->len;
  while (p < e) {
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    if (!nl && !c->file_eof) return 0; /* the next line is not buffered whole: no guess */
    const char *q = nl ? nl : e;
    const char *qe = q > p && q[-1] == '\r' ? q - 1 : q;
    if (!blank_or_comment(p, qe)) {
      unsigned next = delim_mask(p, qe);
      return next != 0 && (delim_mask(ls, le) & next) == 0;
    }
    p = nl ? nl + 1 : e;
  }
  return 0;
}

/* "... frequency: 100 Hz" (also "=", any case): the rate a preamble line
 * states. 0 and *hz, or -1. */
static int preamble_rate(const char *ls, const char *le, double *hz)
{
  static const char key[] = "frequency";
  const size_t kl = sizeof key - 1;
  for (const char *p = ls; p + kl <= le; p++) {
    if (strncasecmp(p, key, kl) != 0) continue;
    const char *q = p + kl;
    while (q < le && (*q == ' ' || *q == '\t')) q++;
    if (q < le && (*q == ':' || *q == '=')) q++;
    while (q < le && (*q == ' ' || *q == '\t')) q++;
    const char *ne = q;
    while (ne < le && (gb_np_is_digit(*ne) || *ne == '.')) ne++;
    double v;
    if (ne == q || gb_parse_double(q, (size_t)(ne - q), &v) != 0) continue;
    const char *u = ne;
    while (u < le && (*u == ' ' || *u == '\t')) u++;
    if (le - u < 2 || strncasecmp(u, "hz", 2) != 0) continue;
    if (!(v > 0) || v > GB_IO_RATE_MAX_HZ) continue;
    *hz = v;
    return 0;
  }
  return -1;
}

int gb_io_open_csv(gb_source *src, const gb_source_opts *opts, int fd)
{
  csv_src *c = calloc(1, sizeof *c);
  if (!c) {
    close(fd);
    return gb_io_fail(src, GB_ENOMEM, "%s: out of memory", src->path);
  }
  c->src = src;
  c->fd = fd;
  src->be = &csv_backend;
  src->impl = c;
  src->info.format = "csv";
  src->info.n_frames = -1;
  c->buf = malloc(CSV_CHUNK + 1); /* + the sentinel byte */
  if (!c->buf) return gb_io_fail(src, GB_ENOMEM, "%s: out of memory", src->path);
  if (lseek(fd, 0, SEEK_SET) < 0)
    return gb_io_fail(src, GB_EIO, "%s: cannot seek: %s", src->path, strerror(errno));

  /* Header: the first line that is neither blank nor a comment. */
  const char *ls = NULL, *le = NULL;
  int first = 1;
  for (;;) {
    int r = next_line(c, &ls, &le);
    if (r < 0) return r;
    if (r == 0) {
      if (c->line == 0)
        return gb_io_fail(src, GB_ETOOSHORT, "%s:1: empty file; expected a header row and data rows",
                          src->path);
      return gb_io_fail(src, GB_ETOOSHORT,
                        "%s:%lld: no header row (only comments or blank lines); expected a header and data",
                        src->path, (long long)c->line);
    }
    if (first && le - ls >= 3 && memcmp(ls, "\xEF\xBB\xBF", 3) == 0) ls += 3;
    first = 0;
    if (le > ls && le[-1] == '\r') le--;
    if (blank_or_comment(ls, le)) continue;
    if (!is_preamble(c, ls, le)) break;
    char ex[64];
    excerpt(ls, (size_t)(le - ls), ex, sizeof ex);
    gb_io_warn(src, "%s:%lld: line '%s' skipped before the header: it has none of the delimiters of the "
                    "line after it",
               src->path, (long long)c->line, ex);
    double hz;
    if (c->pre_rate == 0 && preamble_rate(ls, le, &hz) == 0) {
      c->pre_rate = hz;
      c->pre_rate_line = c->line;
    }
  }
  c->header_line = c->line;
  int rc = parse_header(c, ls, le);
  if (rc) return rc;
  rc = choose_columns(c, opts);
  if (rc) return rc;

  gb_nanfix_init(&c->nf, c->nch);
  c->scan = malloc(sizeof *c->scan * CSV_SCAN_ROWS);
  if (!c->scan) return gb_io_fail(src, GB_ENOMEM, "%s: out of memory", src->path);
  while (c->nscan < CSV_SCAN_ROWS) {
    int r = pull_clean(c, &c->scan[c->nscan]);
    if (r < 0) return r;
    if (r == 0) break;
    c->nscan++;
  }
  if (c->nscan == 0)
    return gb_io_fail(src, GB_ETOOSHORT, "%s:%lld: header only, no data rows; expected rows of numbers after "
                                         "the header on line %lld",
                      src->path, (long long)c->line, (long long)c->header_line);
  rc = decide_time(c, opts);
  if (rc) return rc;
  rc = decide_units(c, opts);
  if (rc) return rc;

  src->info.rate_hz = c->rate;
  src->info.channels = c->nch;
  src->info.units_ms2 = c->div_g;
  src->info.full_scale_g = opts->full_scale_g > 0 ? opts->full_scale_g : 0.0;
  c->inv_tdiv = 1.0 / c->tdiv;
  c->inv_rate = 1.0 / c->rate;
  for (size_t i = 0; i < c->nscan; i++) account_interval(c, c->scan[i].t * c->inv_tdiv, c->scan[i].loc);
  update_info(c);
  c->warn_static_len = strlen(src->warnings);
  refresh_warnings(c, 0);

  c->scan_pos = 0;
  int r = next_row(c, &c->a);
  if (r < 0) return r;
  r = next_row(c, &c->b);
  if (r < 0) return r;
  c->have_b = r;
  c->k = 0;
  return GB_OK;
}
