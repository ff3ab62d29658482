/* Output writers of the generator: libsndfile (WAV float in g; FLAC 16-bit with the full scale in
 * the comment string) and a fast CSV formatter (g or m/s^2), all written block by block. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "gaitbatch/status.h"
#include "synth/synth_internal.h"
#include "util/errbuf.h"

struct synth_writer {
  gb_synth_format format;
  int channels;
  double rate;
  double full_scale;
  SNDFILE *snd;
  FILE *csv;
  short *pcm;
  size_t pcm_cap;
  char *line;
  size_t line_cap;
  char path[GB_PATH_MAX];
};

double synth_quant_step(const gb_synth_spec *s)
{
  return s->format == GB_SYNTH_FLAC16 ? s->full_scale_g / 32768.0 : 0.0;
}

int synth_writer_open(synth_writer **out, const char *path, const gb_synth_spec *s, char *err,
                      size_t errlen)
{
  synth_writer *w = calloc(1, sizeof *w);
  if (!w) return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);
  w->format = s->format;
  w->channels = s->channels;
  w->rate = s->sample_rate_hz;
  w->full_scale = s->full_scale_g;
  gb_strlcpy(w->path, path, sizeof w->path);
  if (s->format == GB_SYNTH_WAV_FLOAT || s->format == GB_SYNTH_FLAC16) {
    SF_INFO info = {0};
    info.samplerate = (int)lround(s->sample_rate_hz);
    info.channels = s->channels;
    info.format = s->format == GB_SYNTH_WAV_FLOAT ? (SF_FORMAT_WAV | SF_FORMAT_FLOAT)
                                                  : (SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    w->snd = sf_open(path, SFM_WRITE, &info);
    if (!w->snd) {
      int st = gb_err(err, errlen, GB_EIO, "%s: cannot create (%s)", path, sf_strerror(NULL));
      free(w);
      return st;
    }
    if (s->format == GB_SYNTH_FLAC16) {
      char c[64];
      snprintf(c, sizeof c, "fullscale_g=%g", s->full_scale_g);
      sf_set_string(w->snd, SF_STR_COMMENT, c);
    } else {
      /* no PEAK chunk: it is not needed and keeps the header independent of the data */
      sf_command(w->snd, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    }
    sf_set_string(w->snd, SF_STR_SOFTWARE, "gaitbatch synth");
  } else {
    w->csv = fopen(path, "wb");
    if (!w->csv) {
      free(w);
      return gb_err(err, errlen, GB_EIO, "%s: cannot create", path);
    }
    /* unit suffixes make the units explicit to any reader (src/io/csv_columns.c) */
    int ms2 = s->format == GB_SYNTH_CSV_MS2;
    if (s->channels == 3) fputs(ms2 ? "t_s,x_ms2,y_ms2,z_ms2\n" : "t_s,x_g,y_g,z_g\n", w->csv);
    else fputs(ms2 ? "t_s,acc_v_ms2\n" : "t_s,acc_v_g\n", w->csv);
  }
  *out = w;
  return GB_OK;
}

int synth_writer_write(synth_writer *w, const float *frames, size_t n, int64_t frame0, char *err,
                       size_t errlen)
{
  size_t ns = n * (size_t)w->channels;
  if (w->format == GB_SYNTH_WAV_FLOAT) {
    if (sf_writef_float(w->snd, frames, (sf_count_t)n) != (sf_count_t)n)
      return gb_err(err, errlen, GB_EIO, "%s: write failed at frame %lld (%s)", w->path,
                    (long long)frame0, sf_strerror(w->snd));
    return GB_OK;
  }
  if (w->format == GB_SYNTH_FLAC16) {
    if (ns > w->pcm_cap) {
      short *p = realloc(w->pcm, ns * sizeof *p);
      if (!p) return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", w->path);
      w->pcm = p;
      w->pcm_cap = ns;
    }
    for (size_t i = 0; i < ns; i++) {
      long q = lrint((double)frames[i] / w->full_scale * 32768.0);
      if (q > 32767) q = 32767;
      if (q < -32768) q = -32768;
      w->pcm[i] = (short)q;
    }
    if (sf_writef_short(w->snd, w->pcm, (sf_count_t)n) != (sf_count_t)n)
      return gb_err(err, errlen, GB_EIO, "%s: write failed at frame %lld (%s)", w->path,
                    (long long)frame0, sf_strerror(w->snd));
    return GB_OK;
  }
  /* CSV: time with 6 decimals, g with 5 decimals, m/s^2 with 4 decimals */
  size_t need = n * (24 + 4 * 24) + 16;
  if (need > w->line_cap) {
    char *p = realloc(w->line, need);
    if (!p) return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", w->path);
    w->line = p;
    w->line_cap = need;
  }
  int ms2 = w->format == GB_SYNTH_CSV_MS2;
  size_t o = 0;
  for (size_t f = 0; f < n; f++) {
    o += synth_fmt_fixed(w->line + o, (double)(frame0 + (int64_t)f) / w->rate, 6);
    for (int c = 0; c < w->channels; c++) {
      w->line[o++] = ',';
      double x = frames[f * (size_t)w->channels + (size_t)c];
      o += ms2 ? synth_fmt_fixed(w->line + o, x * GB_STANDARD_GRAVITY, 4)
               : synth_fmt_fixed(w->line + o, x, 5);
    }
    w->line[o++] = '\n';
  }
  if (fwrite(w->line, 1, o, w->csv) != o)
    return gb_err(err, errlen, GB_EIO, "%s: write failed at frame %lld", w->path, (long long)frame0);
  return GB_OK;
}

int synth_writer_close(synth_writer *w, char *err, size_t errlen)
{
  if (!w) return GB_OK;
  int st = GB_OK;
  if (w->snd && sf_close(w->snd) != 0)
    st = gb_err(err, errlen, GB_EIO, "%s: closing failed", w->path);
  if (w->csv && fclose(w->csv) != 0) st = gb_err(err, errlen, GB_EIO, "%s: closing failed", w->path);
  free(w->pcm);
  free(w->line);
  free(w);
  return st;
}
