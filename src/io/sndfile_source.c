/* libsndfile source: WAV, FLAC, W64, RF64, CAF, ... including OpenMovement WAV
 * (omconvert: per-channel "Scale-N" in the ICMT comment, start time in ICRD).
 * Reads in fixed blocks so that output never depends on the caller's block size. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sndfile.h>

#include "io/io_internal.h"
#include "util/errbuf.h"
#include "util/numparse.h"

#define SND_BLOCK_FRAMES 4096 /* anchors-perf §2a: 4–64 k-frame blocks are fastest */

typedef struct snd_src {
  gb_source *src;
  SNDFILE *sf;
  int fch;             /* channels in the file */
  int och;             /* channels delivered (1 or 3) */
  float *blk;
  size_t blk_n, blk_pos;
  int64_t next_idx;    /* index of the next frame to hand out of the file */
  int64_t n_expected;  /* frames the header declares, -1 if unknown */
  double mul[3];       /* per-channel factor (full scale for PCM), or ... */
  int div_g;           /* ... 1: divide by standard gravity (float data in m/s^2) */
  int is_float;        /* float/double samples: may hold NaN/Inf */
  gb_nanfix nf;
  int eof;
} snd_src;

static void snd_close(void *impl)
{
  snd_src *s = impl;
  if (!s) return;
  if (s->sf) sf_close(s->sf);
  free(s->blk);
  free(s);
}

/* Makes the block hold unread frames: 1 = frames available, 0 = end of data,
 * < 0 = error (truncation, decoder failure). */
static int snd_refill(snd_src *s)
{
  if (s->blk_pos < s->blk_n) return 1;
  if (s->eof) return 0;
  sf_count_t n = sf_readf_float(s->sf, s->blk, SND_BLOCK_FRAMES);
  int err = sf_error(s->sf);
  if (err)
    return gb_io_fail(s->src, GB_EFORMAT, "%s: sample %lld: libsndfile: %s", s->src->path,
                      (long long)s->next_idx, sf_strerror(s->sf));
  if (n <= 0) {
    s->eof = 1;
    if (s->n_expected >= 0 && s->next_idx < s->n_expected)
      return gb_io_fail(s->src, GB_EFORMAT,
                        "%s: truncated: data ends at sample %lld but the header declares %lld frames",
                        s->src->path, (long long)s->next_idx, (long long)s->n_expected);
    return 0;
  }
  s->blk_n = (size_t)n;
  s->blk_pos = 0;
  return 1;
}

static int snd_pull(void *ctx, gb_io_frame *f)
{
  snd_src *s = ctx;
  int r = snd_refill(s);
  if (r <= 0) return r;
  const float *p = s->blk + s->blk_pos * (size_t)s->fch;
  for (int c = 0; c < s->och; c++) f->v[c] = p[c];
  f->t = 0.0;
  f->loc = s->next_idx++;
  s->blk_pos++;
  return 1;
}

/* Converts up to max frames straight from the block into out (no per-frame
 * calls): stops before the first frame holding a non-finite value, which the
 * repair path then handles. Same values as the per-frame path. Returns the
 * number of frames converted. */
static size_t snd_convert_run(snd_src *s, float *out, size_t max)
{
  const int fch = s->fch, och = s->och;
  size_t avail = s->blk_n - s->blk_pos, take = avail < max ? avail : max;
  const float *p = s->blk + s->blk_pos * (size_t)fch;
  if (s->is_float) {
    size_t j = 0;
    for (; j < take; j++) {
      const float *q = p + j * (size_t)fch;
      int ok = 1;
      for (int c = 0; c < och; c++) ok &= isfinite(q[c]) != 0;
      if (!ok) break;
    }
    take = j;
    if (take) {
      const float *q = p + (take - 1) * (size_t)fch;
      for (int c = 0; c < och; c++) s->nf.last[c] = q[c];
      s->nf.have_last = 1;
    }
  }
  if (s->div_g) {
    for (size_t j = 0; j < take; j++)
      for (int c = 0; c < och; c++)
        out[j * (size_t)och + (size_t)c] = (float)((double)p[j * (size_t)fch + (size_t)c] / GB_STANDARD_GRAVITY);
  } else if (fch == 3 && och == 3) {
    const double m0 = s->mul[0], m1 = s->mul[1], m2 = s->mul[2];
    for (size_t j = 0; j < take; j++) {
      out[3 * j] = (float)((double)p[3 * j] * m0);
      out[3 * j + 1] = (float)((double)p[3 * j + 1] * m1);
      out[3 * j + 2] = (float)((double)p[3 * j + 2] * m2);
    }
  } else {
    for (size_t j = 0; j < take; j++)
      for (int c = 0; c < och; c++)
        out[j * (size_t)och + (size_t)c] = (float)((double)p[j * (size_t)fch + (size_t)c] * s->mul[c]);
  }
  s->blk_pos += take;
  s->next_idx += (int64_t)take;
  return take;
}

static void nan_warning(snd_src *s)
{
  if (!s->nf.n_runs) return;
  gb_io_warn(s->src,
             "%s: %lld non-finite sample values (NaN/Inf) in %lld run(s) of at most %d frames "
             "replaced by the previous valid value (first at sample %lld)",
             s->src->path, (long long)s->nf.n_replaced, (long long)s->nf.n_runs,
             GB_IO_NANFIX_MAX_RUN, (long long)s->nf.first_loc);
}

static int snd_read(gb_source *src, float *buf, size_t max, size_t *n)
{
  snd_src *s = src->impl;
  size_t k = 0;
  int och = s->och;
  while (k < max) {
    /* fast path: runs of finite frames straight from the block */
    if (s->nf.qlen == 0) {
      int rr = snd_refill(s);
      if (rr < 0) return rr;
      if (rr > 0) {
        size_t got = snd_convert_run(s, buf + k * (size_t)och, max - k);
        k += got;
        if (got) continue;
      }
    }
    gb_io_frame f;
    int r = s->is_float ? gb_nanfix_next(&s->nf, snd_pull, s, &f) : snd_pull(s, &f);
    if (r == GB_ERANGE && s->nf.bad_loc >= 0) {
      if (s->nf.bad_all)
        return gb_io_fail(src, GB_ERANGE,
                          "%s: sample %lld (channel %d): every sample is NaN/Inf; expected finite values",
                          src->path, (long long)s->nf.bad_loc, s->nf.bad_ch + 1);
      return gb_io_fail(src, GB_ERANGE,
                        "%s: sample %lld (channel %d): more than %d consecutive non-finite values "
                        "(NaN/Inf) start here; expected finite samples (shorter gaps are repaired)",
                        src->path, (long long)s->nf.bad_loc, s->nf.bad_ch + 1, GB_IO_NANFIX_MAX_RUN);
    }
    if (r < 0) return r;
    if (r == 0) {
      if (k == 0) nan_warning(s);
      break;
    }
    float *o = buf + k * (size_t)och;
    if (s->div_g)
      for (int c = 0; c < och; c++) o[c] = (float)(f.v[c] / GB_STANDARD_GRAVITY);
    else
      for (int c = 0; c < och; c++) o[c] = (float)(f.v[c] * s->mul[c]);
    k++;
  }
  src->info.n_repaired = s->nf.n_replaced;
  *n = k;
  return GB_OK;
}

static const gb_io_backend snd_backend = {"sndfile", snd_read, snd_close};

static const char *major_name(int fmt, int is_om)
{
  switch (fmt & SF_FORMAT_TYPEMASK) {
  case SF_FORMAT_WAV: return is_om ? "openmovement-wav" : "wav";
  case SF_FORMAT_WAVEX: return is_om ? "openmovement-wav" : "wav";
  case SF_FORMAT_FLAC: return "flac";
  case SF_FORMAT_W64: return "w64";
  case SF_FORMAT_RF64: return "rf64";
  case SF_FORMAT_CAF: return "caf";
  case SF_FORMAT_AIFF: return "aiff";
  case SF_FORMAT_AU: return "au";
  case SF_FORMAT_OGG: return "ogg";
  default: return "sndfile";
  }
}

static const char *sub_name(int fmt)
{
  switch (fmt & SF_FORMAT_SUBMASK) {
  case SF_FORMAT_PCM_S8: return "PCM_S8";
  case SF_FORMAT_PCM_U8: return "PCM_U8";
  case SF_FORMAT_PCM_16: return "PCM_16";
  case SF_FORMAT_PCM_24: return "PCM_24";
  case SF_FORMAT_PCM_32: return "PCM_32";
  case SF_FORMAT_FLOAT: return "FLOAT";
  case SF_FORMAT_DOUBLE: return "DOUBLE";
  default: return "encoded";
  }
}

static int bytes_per_sample(int fmt)
{
  switch (fmt & SF_FORMAT_SUBMASK) {
  case SF_FORMAT_PCM_S8:
  case SF_FORMAT_PCM_U8: return 1;
  case SF_FORMAT_PCM_16: return 2;
  case SF_FORMAT_PCM_24: return 3;
  case SF_FORMAT_PCM_32:
  case SF_FORMAT_FLOAT: return 4;
  case SF_FORMAT_DOUBLE: return 8;
  default: return 0;
  }
}

/* Value of "key" followed by ':' or '=' in a comment, case-insensitive, at the start
 * of a line or after a separator. Returns 0 and *v when found with a number. */
static int comment_number(const char *comment, const char *key, double *v)
{
  size_t kl = strlen(key);
  for (const char *p = comment; *p; p++) {
    if (p != comment && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '-')) continue;
    if (strncasecmp(p, key, kl) != 0) continue;
    const char *q = p + kl;
    while (*q == ' ' || *q == '\t') q++;
    if (*q != ':' && *q != '=') continue;
    q++;
    while (*q == ' ' || *q == '\t') q++;
    const char *e = q;
    while (*e && (isdigit((unsigned char)*e) || *e == '.' || *e == '+' || *e == '-' || *e == 'e' ||
                  *e == 'E'))
      e++;
    if (e > q && gb_parse_double(q, (size_t)(e - q), v) == 0) return 0;
  }
  return -1;
}

/* libsndfile clamps a data chunk longer than the file and only logs it ("data :
 * 1200 (should be 418)"); a recording cut short must not pass silently. */
static int check_truncated(snd_src *s, const SF_INFO *fi)
{
  char log[8192];
  log[0] = '\0';
  sf_command(s->sf, SFC_GET_LOG_INFO, log, sizeof log);
  for (char *line = log; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    const char *p = line;
    while (*p == ' ') p++;
    if ((strncmp(p, "data", 4) == 0 || strncmp(p, "SSND", 4) == 0) && strstr(p, "(should be")) {
      long long declared = 0, present = 0;
      const char *c = strchr(p, ':');
      const char *sb = strstr(p, "(should be");
      if (c) declared = strtoll(c + 1, NULL, 10);
      present = strtoll(sb + 10, NULL, 10);
      if (present < declared) {
        int bps = bytes_per_sample(fi->format);
        long long fb = bps ? (long long)bps * fi->channels : 0;
        if (fb)
          return gb_io_fail(s->src, GB_EFORMAT,
                            "%s: truncated: data ends at sample %lld but the header declares %lld frames "
                            "(%lld of %lld data bytes present)",
                            s->src->path, present / fb, declared / fb, present, declared);
        return gb_io_fail(s->src, GB_EFORMAT,
                          "%s: truncated: %lld of %lld declared data bytes present (ends at sample %lld)",
                          s->src->path, present, declared, (long long)fi->frames);
      }
    }
    line = nl ? nl + 1 : NULL;
  }
  return GB_OK;
}

int gb_io_open_sndfile(gb_source *src, const gb_source_opts *opts)
{
  snd_src *s = calloc(1, sizeof *s);
  if (!s) return gb_io_fail(src, GB_ENOMEM, "%s: out of memory", src->path);
  s->src = src;
  src->be = &snd_backend;
  src->impl = s;
  SF_INFO fi;
  memset(&fi, 0, sizeof fi);
  {
    char gerr[GB_IO_ERRMSG_MAX];
    int grc = gb_io_riff_guard(src->path, gerr, sizeof gerr);
    if (grc) return gb_io_fail(src, grc, "%s", gerr);
  }
  s->sf = sf_open(src->path, SFM_READ, &fi);
  if (!s->sf) {
    /* sf_error_number, not the global sf_strerror(NULL) (DESIGN §13) */
    const char *why = sf_error_number(sf_error(NULL));
    size_t wl = strlen(why);
    while (wl && (why[wl - 1] == '.' || why[wl - 1] == '\n' || why[wl - 1] == ' ')) wl--;
    return gb_io_fail(src, GB_EFORMAT,
                      "%s: libsndfile: %.*s; expected a sound file (WAV, FLAC, W64, RF64, CAF, ...) "
                      "or a CSV file (.csv, .tsv, .txt)",
                      src->path, (int)wl, why);
  }
  s->fch = fi.channels;
  if (fi.channels != 1 && fi.channels != 3 && fi.channels != 4)
    return gb_io_fail(src, GB_EUNSUPPORTED,
                      "%s: %d channels; expected 1 (long axis), 3 (x, y, z) or 4 (OpenMovement x, y, z, aux)",
                      src->path, fi.channels);
  s->och = fi.channels == 1 ? 1 : 3;
  if (fi.samplerate <= 0 || fi.samplerate > GB_IO_RATE_MAX_HZ)
    return gb_io_fail(src, GB_ERANGE, "%s: sample rate %d Hz; expected 0 < rate <= %g Hz", src->path,
                      fi.samplerate, GB_IO_RATE_MAX_HZ);
  if (fi.frames == 0)
    return gb_io_fail(src, GB_ETOOSHORT, "%s: 0 frames (sample 0 is missing); expected a recording",
                      src->path);
  int rc = check_truncated(s, &fi);
  if (rc) return rc;
  s->n_expected = fi.frames > 0 && fi.frames < SF_COUNT_MAX ? (int64_t)fi.frames : -1;

  const char *comment = sf_get_string(s->sf, SF_STR_COMMENT);
  if (!comment) comment = "";
  double om_scale[4] = {0, 0, 0, 0};
  int om = 0;
  for (int c = 0; c < 4; c++) {
    char key[24];
    snprintf(key, sizeof key, "Scale-%d", c + 1);
    if (comment_number(comment, key, &om_scale[c]) == 0) om = 1;
  }
  int subtype = fi.format & SF_FORMAT_SUBMASK;
  s->is_float = subtype == SF_FORMAT_FLOAT || subtype == SF_FORMAT_DOUBLE;
  src->info.format = major_name(fi.format, om);
  src->info.rate_hz = fi.samplerate;
  src->info.channels = s->och;
  src->info.n_frames = s->n_expected;

  if (s->is_float) {
    gb_units u = opts->units;
    if (!opts->units_set) {
      /* A file may declare its units in the comment ("units=m/s2"). */
      const char *k = strstr(comment, "units=");
      if (k) {
        char name[16];
        size_t n = strcspn(k + 6, " \t\r\n;,");
        if (n < sizeof name) {
          memcpy(name, k + 6, n);
          name[n] = '\0';
          gb_units fu;
          if (gb_units_parse(name, &fu) == GB_OK) u = fu;
        }
      }
    }
    s->div_g = u == GB_UNITS_MS2;
    src->info.units_ms2 = s->div_g;
    for (int c = 0; c < 3; c++) s->mul[c] = 1.0;
    double fs = 0;
    if (opts->full_scale_g > 0) fs = opts->full_scale_g;
    else comment_number(comment, "fullscale_g", &fs);
    src->info.full_scale_g = fs > 0 ? fs : 0;
  } else {
    double fs = opts->full_scale_g;
    if (!(fs > 0)) {
      if (comment_number(comment, "fullscale_g", &fs) != 0 &&
          comment_number(comment, "full_scale_g", &fs) != 0)
        fs = 0;
    }
    if (fs > 0) {
      for (int c = 0; c < 3; c++) s->mul[c] = fs;
      src->info.full_scale_g = fs;
    } else if (om) {
      double mx = 0;
      for (int c = 0; c < s->och; c++) {
        if (!(om_scale[c] > 0))
          return gb_io_fail(src, GB_EINVAL,
                            "%s: OpenMovement comment has no positive Scale-%d for channel %d; expected "
                            "'Scale-%d: <g>' or --full-scale",
                            src->path, c + 1, c + 1, c + 1);
        s->mul[c] = om_scale[c];
        if (om_scale[c] > mx) mx = om_scale[c];
      }
      src->info.full_scale_g = mx;
    } else {
      return gb_io_fail(src, GB_EINVAL,
                        "%s: integer samples (%s) need a full-scale range to be converted to g: pass "
                        "--full-scale G (e.g. 16 for a ±16 g sensor) or add a 'fullscale_g=16' comment",
                        src->path, sub_name(fi.format));
    }
    if (opts->units_set && opts->units == GB_UNITS_MS2)
      gb_io_warn(src, "%s: units m/s2 ignored for integer samples (%s): they are scaled by the full "
                      "scale in g",
                 src->path, sub_name(fi.format));
  }

  const char *date = sf_get_string(s->sf, SF_STR_DATE);
  if (date) {
    int64_t sec;
    double frac;
    int zone;
    if (gb_iso8601_parse(date, strlen(date), &sec, &frac, &zone) == 0) {
      const char *p = date;
      while (*p == ' ' || *p == '"') p++;
      gb_strlcpy(src->info.start_iso, p, sizeof src->info.start_iso);
      size_t l = strlen(src->info.start_iso);
      while (l && (src->info.start_iso[l - 1] == ' ' || src->info.start_iso[l - 1] == '"' ||
                   src->info.start_iso[l - 1] == '\r' || src->info.start_iso[l - 1] == '\n'))
        src->info.start_iso[--l] = '\0';
      if (l > 10 && src->info.start_iso[10] == ' ') src->info.start_iso[10] = 'T';
    } else {
      gb_io_warn(src, "%s: date '%.40s' is not an ISO 8601 date-time; start time unknown", src->path, date);
    }
  }
  src->info.resampled = 0;
  src->info.jitter_ms = 0.0;

  s->blk = malloc(sizeof(float) * SND_BLOCK_FRAMES * (size_t)s->fch);
  if (!s->blk) return gb_io_fail(src, GB_ENOMEM, "%s: out of memory", src->path);
  gb_nanfix_init(&s->nf, s->och);
  return GB_OK;
}
