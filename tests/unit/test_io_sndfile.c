/* libsndfile sources: round trips through files written here with libsndfile
 * itself (float g, float m/s^2, FLAC PCM_16 with a fullscale comment, PCM with an
 * explicit full scale, 1 channel, OpenMovement WAV), block-size independence and
 * the repair of short NaN runs. Files live in a mkdtemp() folder. */
#define _GNU_SOURCE
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sndfile.h>

#include "gaitbatch/source.h"
#include "helpers/io_files.h"
#include "gaitbatch/status.h"

static int setup(void **state)
{
  (void)state;
  return gbt_tmpdir_make("gb_io_snd");
}

static int teardown(void **state)
{
  (void)state;
  return gbt_tmpdir_remove();
}

/* Writes frames with libsndfile; data is float or short depending on fmt. */
static void write_snd(const char *path, int format, int channels, int rate, const void *data,
                      sf_count_t frames, const char *comment, const char *date)
{
  SF_INFO fi;
  memset(&fi, 0, sizeof fi);
  fi.samplerate = rate;
  fi.channels = channels;
  fi.format = format;
  SNDFILE *sf = sf_open(path, SFM_WRITE, &fi);
  assert_non_null(sf);
  if (comment) assert_int_equal(sf_set_string(sf, SF_STR_COMMENT, comment), 0);
  if (date) assert_int_equal(sf_set_string(sf, SF_STR_DATE, date), 0);
  int sub = format & SF_FORMAT_SUBMASK;
  sf_count_t n = sub == SF_FORMAT_FLOAT ? sf_writef_float(sf, data, frames) : sf_writef_short(sf, data, frames);
  assert_int_equal(n, frames);
  assert_int_equal(sf_close(sf), 0);
}

/* Reads the whole source in blocks of `block` frames. */
#define N 1500

static void fill_signal(float *x, int ch, int n, double scale)
{
  for (int i = 0; i < n; i++)
    for (int c = 0; c < ch; c++)
      x[i * ch + c] = (float)(scale * (sin(0.05 * i + c) * (1.5 + c) + (c == 1 ? 1.0 : 0.0)));
}

static void test_wav_float_g(void **state)
{
  (void)state;
  float *x = malloc(sizeof(float) * N * 3);
  fill_signal(x, 3, N, 1.0);
  const char *p = gbt_tpath("float_g.wav");
  write_snd(p, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 3, 200, x, N, NULL, NULL);
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 4096, &n, &s);
  const gb_source_info *in = gb_source_get_info(s);
  assert_string_equal(in->format, "wav");
  assert_true(in->rate_hz == 200.0);
  assert_int_equal(in->channels, 3);
  assert_int_equal(in->n_frames, N);
  assert_string_equal(in->start_iso, "");
  assert_int_equal(n, N);
  assert_memory_equal(x, y, sizeof(float) * N * 3); /* float g passes through bit for bit */
  assert_string_equal(gb_source_warnings(s), "");
  gb_source_free(s);
  free(x);
  free(y);
}

static void test_wav_float_ms2(void **state)
{
  (void)state;
  float *g = malloc(sizeof(float) * N * 3), *ms2 = malloc(sizeof(float) * N * 3);
  fill_signal(g, 3, N, 1.0);
  for (int i = 0; i < N * 3; i++) ms2[i] = (float)(g[i] * GB_STANDARD_GRAVITY);
  const char *p = gbt_tpath("float_ms2.wav");
  write_snd(p, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 3, 100, ms2, N, NULL, NULL);
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.units = GB_UNITS_MS2;
  o.units_set = 1;
  size_t n;
  float *y = gbt_read_all(p, &o, 512, &n, NULL);
  assert_int_equal(n, N);
  for (int i = 0; i < N * 3; i++) {
    assert_true(y[i] == (float)(ms2[i] / 9.80665));
    assert_float_equal(y[i], g[i], 1e-6 * (1 + fabs(g[i])));
  }
  free(g);
  free(ms2);
  free(y);
}

static void test_flac16_fullscale_comment(void **state)
{
  (void)state;
  short *q = malloc(sizeof(short) * N * 3);
  for (int i = 0; i < N * 3; i++) q[i] = (short)((i * 7919) % 65536 - 32768);
  const char *p = gbt_tpath("pcm16.flac");
  write_snd(p, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 3, 100, q, N, "synth v1 fullscale_g=16", NULL);
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 1000, &n, &s);
  assert_string_equal(gb_source_get_info(s)->format, "flac");
  assert_true(gb_source_get_info(s)->full_scale_g == 16.0);
  assert_int_equal(n, N);
  for (int i = 0; i < N * 3; i++) assert_true(y[i] == (float)(q[i] / 32768.0 * 16.0));
  gb_source_free(s);
  free(q);
  free(y);
}

static void test_pcm_full_scale_from_opts(void **state)
{
  (void)state;
  short *q = malloc(sizeof(short) * N * 3);
  for (int i = 0; i < N * 3; i++) q[i] = (short)(((i * 104729) % 65536) - 32768);
  const char *p = gbt_tpath("pcm16.wav");
  write_snd(p, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 3, 50, q, N, NULL, NULL);
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.full_scale_g = 8;
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, &o, 7, &n, &s);
  assert_true(gb_source_get_info(s)->full_scale_g == 8.0);
  assert_true(gb_source_get_info(s)->rate_hz == 50.0);
  assert_int_equal(n, N);
  for (int i = 0; i < N * 3; i++) assert_true(y[i] == (float)(q[i] / 32768.0 * 8.0));
  gb_source_free(s);
  free(q);
  free(y);
}

static void test_one_channel(void **state)
{
  (void)state;
  float x[N];
  fill_signal(x, 1, N, 2.0);
  const char *p = gbt_tpath("mono.caf");
  write_snd(p, SF_FORMAT_CAF | SF_FORMAT_FLOAT, 1, 500, x, N, NULL, NULL);
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 333, &n, &s);
  assert_string_equal(gb_source_get_info(s)->format, "caf");
  assert_int_equal(gb_source_get_info(s)->channels, 1);
  assert_int_equal(n, N);
  assert_memory_equal(x, y, sizeof x);
  gb_source_free(s);
  free(y);
}

static void test_openmovement_wav(void **state)
{
  (void)state;
  short *q = malloc(sizeof(short) * N * 4);
  for (int i = 0; i < N; i++) {
    q[i * 4 + 0] = (short)(4096 * sin(0.1 * i));
    q[i * 4 + 1] = (short)(-4096 + i);
    q[i * 4 + 2] = (short)(2000 * cos(0.07 * i));
    q[i * 4 + 3] = (short)(i % 300); /* aux: dropped */
  }
  const char *p = gbt_tpath("om.wav");
  write_snd(p, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 4, 100, q, N,
            "Channel-1: Accel-X\nScale-1: 8\nChannel-2: Accel-Y\nScale-2: 4\nChannel-3: Accel-Z\n"
            "Scale-3: 8\nChannel-4: Aux\nScale-4: 1\n",
            "2014-06-17 12:34:56.000");
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 4096, &n, &s);
  const gb_source_info *in = gb_source_get_info(s);
  assert_string_equal(in->format, "openmovement-wav");
  assert_string_equal(in->start_iso, "2014-06-17T12:34:56.000");
  assert_int_equal(in->channels, 3);
  assert_true(in->full_scale_g == 8.0);
  assert_int_equal(n, N);
  static const double scale[3] = {8, 4, 8};
  for (int i = 0; i < N; i++)
    for (int c = 0; c < 3; c++) assert_true(y[i * 3 + c] == (float)(q[i * 4 + c] / 32768.0 * scale[c]));
  /* 1 g reads as 4096/32768*8 = 1 g on channel 1 */
  assert_true(fabsf(y[3 * 16] - (float)(sin(1.6) * 4096 / 32768 * 8)) < 1e-3f);
  gb_source_free(s);
  free(q);
  free(y);
}

static void test_block_size_independence(void **state)
{
  (void)state;
  float *x = malloc(sizeof(float) * N * 3);
  fill_signal(x, 3, N, 1.0);
  x[3 * 100 + 1] = NAN; /* repaired the same way whatever the block size */
  x[3 * 101 + 1] = INFINITY;
  const char *p = gbt_tpath("blocks.w64");
  write_snd(p, SF_FORMAT_W64 | SF_FORMAT_FLOAT, 3, 100, x, N, NULL, NULL);
  size_t n1, n7, n4096;
  float *a = gbt_read_all(p, NULL, 1, &n1, NULL);
  float *b = gbt_read_all(p, NULL, 7, &n7, NULL);
  float *c = gbt_read_all(p, NULL, 4096, &n4096, NULL);
  assert_int_equal(n1, N);
  assert_int_equal(n7, N);
  assert_int_equal(n4096, N);
  assert_memory_equal(a, b, sizeof(float) * N * 3);
  assert_memory_equal(a, c, sizeof(float) * N * 3);
  free(x);
  free(a);
  free(b);
  free(c);
}

static void test_short_nan_runs_repaired(void **state)
{
  (void)state;
  float *x = malloc(sizeof(float) * N * 3);
  fill_signal(x, 3, N, 1.0);
  for (int i = 200; i < 203; i++) x[3 * i + 2] = NAN; /* a run of 3: repaired */
  x[3 * 500 + 0] = -INFINITY;                          /* isolated */
  x[0] = NAN;                                          /* at the start: next valid value */
  const char *p = gbt_tpath("nan.wav");
  write_snd(p, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 3, 100, x, N, NULL, NULL);
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 64, &n, &s);
  assert_int_equal(n, N);
  assert_true(y[0] == x[3]);
  for (int i = 200; i < 203; i++) assert_true(y[3 * i + 2] == x[3 * 199 + 2]);
  assert_true(y[3 * 500] == x[3 * 499]);
  assert_true(y[3 * 500 + 1] == x[3 * 500 + 1]);
  const char *w = gb_source_warnings(s);
  assert_non_null(strstr(w, "nan.wav"));
  assert_non_null(strstr(w, "5 non-finite"));
  assert_non_null(strstr(w, "3 run(s)"));
  assert_non_null(strstr(w, "sample 0"));
  assert_int_equal(gb_source_get_info(s)->n_repaired, 5);
  /* a zero-frame request is a caller error, not the end of input */
  float one[3];
  size_t got = 9;
  assert_int_equal(gb_source_read(s, one, 0, &got), GB_EINVAL);
  assert_int_equal(got, 0);
  gb_source_free(s);
  free(x);
  free(y);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_wav_float_g),
    cmocka_unit_test(test_wav_float_ms2),
    cmocka_unit_test(test_flac16_fullscale_comment),
    cmocka_unit_test(test_pcm_full_scale_from_opts),
    cmocka_unit_test(test_one_channel),
    cmocka_unit_test(test_openmovement_wav),
    cmocka_unit_test(test_block_size_independence),
    cmocka_unit_test(test_short_nan_runs_repaired),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
