/* Malformed inputs: each case checks the status code and that the message names
 * the file and the line or sample (where the input has one) and what was expected. */
#define _GNU_SOURCE
#include <fcntl.h>
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
  return gbt_tmpdir_make("gb_io_err");
}

static int teardown(void **state)
{
  (void)state;
  return gbt_tmpdir_remove();
}

static void write_text(const char *path, const char *text)
{
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
  assert_int_equal(fclose(f), 0);
}

/* Opens and reads everything; returns the first failure (or GB_OK) and copies
 * the message. */
static int open_and_read(const char *path, const gb_source_opts *o, char *msg, size_t len)
{
  gb_source *s = NULL;
  int rc = gb_source_open(path, o, &s);
  assert_non_null(s);
  if (!rc) {
    float buf[3 * 256];
    size_t n;
    do {
      rc = gb_source_read(s, buf, 256, &n);
    } while (!rc && n);
    if (rc) { /* sticky: a second read repeats the failure */
      size_t n2 = 1;
      assert_int_equal(gb_source_read(s, buf, 256, &n2), rc);
      assert_int_equal(n2, 0);
    }
  }
  snprintf(msg, len, "%s", gb_source_errmsg(s));
  gb_source_free(s);
  return rc;
}

/* Asserts status and that the message holds every given fragment. */
static void expect(const char *path, const gb_source_opts *o, int status, const char *f1, const char *f2,
                   const char *f3)
{
  char msg[1200];
  int rc = open_and_read(path, o, msg, sizeof msg);
  print_message("  %s -> %s: %s\n", strrchr(path, '/') + 1, gb_status_name(rc), msg);
  assert_int_equal(rc, status);
  const char *base = strrchr(path, '/') + 1;
  assert_non_null(strstr(msg, base));
  if (f1) assert_non_null(strstr(msg, f1));
  if (f2) assert_non_null(strstr(msg, f2));
  if (f3) assert_non_null(strstr(msg, f3));
}

static void write_float_wav(const char *path, int channels, const float *x, int frames)
{
  SF_INFO fi;
  memset(&fi, 0, sizeof fi);
  fi.samplerate = 100;
  fi.channels = channels;
  fi.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE *sf = sf_open(path, SFM_WRITE, &fi);
  assert_non_null(sf);
  assert_int_equal(sf_writef_float(sf, x, frames), frames);
  sf_close(sf);
}

static void test_empty_file(void **state)
{
  (void)state;
  const char *p = gbt_tpath("empty.csv");
  write_text(p, "");
  expect(p, NULL, GB_ETOOSHORT, "empty.csv:1:", "empty file", "header");
}

static void test_header_only(void **state)
{
  (void)state;
  const char *p = gbt_tpath("header_only.csv");
  write_text(p, "# comment\nt,x,y,z\n\n");
  expect(p, NULL, GB_ETOOSHORT, "header only", "line 2", NULL);
  p = gbt_tpath("comments_only.csv");
  write_text(p, "# a\n# b\n");
  expect(p, NULL, GB_ETOOSHORT, "comments_only.csv:2:", "no header", NULL);
}

static void test_wrong_channel_count(void **state)
{
  (void)state;
  float x[2 * 50] = {0};
  const char *p = gbt_tpath("stereo.wav");
  write_float_wav(p, 2, x, 50);
  expect(p, NULL, GB_EUNSUPPORTED, "2 channels", "expected 1", NULL);
}

static void test_nan_run_csv(void **state)
{
  (void)state;
  const char *p = gbt_tpath("nanrun.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "t,x,y,z\n");
  for (int i = 0; i < 50; i++) {
    if (i >= 20 && i < 24) fprintf(f, "%.2f,1,nan,1\n", i * 0.01); /* 4 rows: too long */
    else fprintf(f, "%.2f,1,2,1\n", i * 0.01);
  }
  fclose(f);
  expect(p, NULL, GB_ERANGE, "nanrun.csv:22:", "column 'y'", "non-finite");
}

static void test_inf_run_wav(void **state)
{
  (void)state;
  float x[3 * 100];
  for (int i = 0; i < 300; i++) x[i] = 0.5f;
  for (int i = 40; i < 45; i++) x[3 * i + 2] = INFINITY;
  const char *p = gbt_tpath("infrun.wav");
  write_float_wav(p, 3, x, 100);
  expect(p, NULL, GB_ERANGE, "sample 40", "channel 3", "non-finite");
}

static void test_nan_run_after_scan_window(void **state)
{
  (void)state;
  /* Found while streaming (beyond the rows inspected at open): reported by read. */
  const char *p = gbt_tpath("late_nan.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "x,y,z\n");
  for (int i = 0; i < 6000; i++) fprintf(f, "%s,0,1\n", i >= 5000 && i < 5010 ? "NaN" : "0.5");
  fclose(f);
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.rate_hz = 100;
  expect(p, &o, GB_ERANGE, "late_nan.csv:5002:", "column 'x'", NULL);
}

static void test_text_in_numbers(void **state)
{
  (void)state;
  const char *p = gbt_tpath("text.csv");
  write_text(p, "t,x,y,z\n0,1,2,3\n0.01,1,2,3\n0.02,1,abc,3\n");
  expect(p, NULL, GB_EFORMAT, "text.csv:4:", "column 'y'", "expected a number, got 'abc'");
}

static void test_wrong_field_count(void **state)
{
  (void)state;
  const char *p = gbt_tpath("fields.csv");
  write_text(p, "t;x;y;z\n0;1;2;3\n0.01;1;2;3\n0.02;1;2;3\n0.03;1;2\n");
  expect(p, NULL, GB_EFORMAT, "fields.csv:5:", "expected 4 fields", "got 3");
}

static void test_non_monotonic_time(void **state)
{
  (void)state;
  const char *p = gbt_tpath("backwards.csv");
  write_text(p, "time,x,y,z\n0.00,1,2,3\n0.01,1,2,3\n0.02,1,2,3\n0.015,1,2,3\n0.03,1,2,3\n");
  expect(p, NULL, GB_ERANGE, "backwards.csv:5:", "0.015", "0.02 on line 4");
}

static void test_duplicate_time(void **state)
{
  (void)state;
  const char *p = gbt_tpath("dup.csv");
  write_text(p, "t_ms,x,y,z\n0,1,2,3\n10,1,2,3\n20,1,2,3\n20,1,2,3\n30,1,2,3\n");
  expect(p, NULL, GB_ERANGE, "dup.csv:5:", "duplicate time 20", "line 4");
}

static void test_bad_iso_time(void **state)
{
  (void)state;
  const char *p = gbt_tpath("iso_bad.csv");
  write_text(p, "timestamp,x,y,z\n2026-03-02T07:00:00.000Z,1,2,3\n2026-03-02T07:00:00.010Z,1,2,3\n"
                "2026-03-02T07:00:61.020Z,1,2,3\n");
  expect(p, NULL, GB_EFORMAT, "iso_bad.csv:4:", "ISO 8601", "07:00:61");
}

static void test_unknown_column_and_units(void **state)
{
  (void)state;
  const char *p = gbt_tpath("cols.csv");
  write_text(p, "t,a1,a2,a3\n0,1,2,3\n0.01,1,2,3\n");
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.cols = "a1,a2,acc_z";
  expect(p, &o, GB_EINVAL, "cols.csv:1:", "'acc_z'", "'t', 'a1', 'a2', 'a3'");
  gb_source_opts_init(&o);
  o.time_col = "when";
  o.cols = "a1";
  expect(p, &o, GB_EINVAL, "cols.csv:1:", "'when'", "columns are");
  /* no recognisable acceleration column by default */
  expect(p, NULL, GB_EFORMAT, "cols.csv:1:", "no acceleration columns", "--cols");
  gb_source_opts_init(&o);
  o.units = (gb_units)7;
  o.units_set = 1;
  expect(p, &o, GB_EINVAL, "unknown units", NULL, NULL);
}

static void test_truncated_wav(void **state)
{
  (void)state;
  float x[3 * 100];
  for (int i = 0; i < 300; i++) x[i] = (float)i;
  const char *p = gbt_tpath("cut.wav");
  write_float_wav(p, 3, x, 100);
  /* keep the header and 34.5 frames of data */
  FILE *f = fopen(p, "rb");
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fclose(f);
  long data_start = size - 1200;
  assert_int_equal(truncate(p, data_start + 34 * 12 + 6), 0);
  expect(p, NULL, GB_EFORMAT, "truncated", "sample 34", "100 frames");
  /* cut inside the header */
  assert_int_equal(truncate(p, 30), 0);
  expect(p, NULL, GB_EFORMAT, "libsndfile", "expected a sound file", NULL);
}

static void test_garbage_wav(void **state)
{
  (void)state;
  const char *p = gbt_tpath("garbage.wav");
  FILE *f = fopen(p, "wb");
  for (int i = 0; i < 4000; i++) fputc((i * 7919 + 13) % 251, f);
  fclose(f);
  expect(p, NULL, GB_EFORMAT, "libsndfile", "expected a sound file", NULL);
}

static void test_directory_and_missing(void **state)
{
  (void)state;
  expect(gbt_tmpdir(), NULL, GB_EIO, "directory", NULL, NULL);
  expect(gbt_tpath("no_such_file.wav"), NULL, GB_ENOENT, "cannot open", "No such file", NULL);
}

static void test_csv_without_time_or_rate(void **state)
{
  (void)state;
  const char *p = gbt_tpath("notime.csv");
  write_text(p, "x,y,z\n1,2,3\n1,2,3\n");
  expect(p, NULL, GB_EINVAL, "notime.csv:1:", "no time column", "--rate");
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.rate_hz = 0;
  expect(p, &o, GB_EINVAL, "notime.csv:1:", "--rate", NULL);
  o.rate_hz = 250000; /* beyond any accelerometer */
  expect(p, &o, GB_ERANGE, "out of range", NULL, NULL);
  p = gbt_tpath("index.csv");
  write_text(p, "samples,acc_x,acc_y,acc_z\n0,1,2,3\n1,1,2,3\n");
  expect(p, NULL, GB_EINVAL, "index.csv:1:", "sample numbers", "--rate");
}

static void test_integer_pcm_without_full_scale(void **state)
{
  (void)state;
  SF_INFO fi;
  memset(&fi, 0, sizeof fi);
  fi.samplerate = 100;
  fi.channels = 3;
  fi.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  const char *p = gbt_tpath("noscale.flac");
  SNDFILE *sf = sf_open(p, SFM_WRITE, &fi);
  short q[300] = {0};
  sf_writef_short(sf, q, 100);
  sf_close(sf);
  expect(p, NULL, GB_EINVAL, "PCM_16", "--full-scale", "fullscale_g=");
}

static void test_zero_frames_and_single_row(void **state)
{
  (void)state;
  const char *p = gbt_tpath("zero.wav");
  write_float_wav(p, 3, NULL, 0);
  expect(p, NULL, GB_ETOOSHORT, "0 frames", "sample 0", NULL);
  p = gbt_tpath("onerow.csv");
  write_text(p, "t,x,y,z\n0,1,2,3\n");
  expect(p, NULL, GB_ETOOSHORT, "onerow.csv:2:", "at least 2 rows", NULL);
}

static void test_latin1_header(void **state)
{
  (void)state;
  const char *p = gbt_tpath("latin1.csv");
  write_text(p, "t,acc\xe9l_x,acc\xe9l_y,acc\xe9l_z\n0,1,2,3\n0.01,1,2,3\n");
  expect(p, NULL, GB_EFORMAT, "latin1.csv:1:", "UTF-8", "0xE9");
  /* the same names in UTF-8 are fine */
  p = gbt_tpath("utf8.csv");
  write_text(p, "t,acc\xc3\xa9l_x,acc\xc3\xa9l_y,acc\xc3\xa9l_z\n0,1,2,3\n0.01,1,2,3\n");
  char msg[1200];
  assert_int_equal(open_and_read(p, NULL, msg, sizeof msg), GB_OK);
}

static void test_binary_with_csv_name(void **state)
{
  (void)state;
  const char *p = gbt_tpath("binary.csv");
  FILE *f = fopen(p, "wb");
  fputs("t,x,y,z\n0,1,2,3\n", f);
  for (int i = 0; i < 40; i++) fputc(i % 3 ? 0x01 : ',', f);
  fputc('\n', f);
  fclose(f);
  expect(p, NULL, GB_EFORMAT, "binary.csv:3:", "expected", NULL);
}

/* Random small files over a CSV-ish alphabet: every outcome is GB_OK or a status
 * with a message naming the file; never a crash (ASan/UBSan watch the rest). */
static void test_random_csv_never_crashes(void **state)
{
  (void)state;
  static const char alphabet[] = "0123456789..,,,;\t\n\n\r-+eE#naifNAIF \"xyzt_";
  uint64_t x = 0x2545F4914F6CDD1Dull;
  char text[600];
  int n_ok = 0, n_err = 0;
  for (int iter = 0; iter < 400; iter++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    /* valid rows, then a few random mutations */
    static const char *const heads[] = {"t,x,y,z\n", "x;y;z\n", "time\tacc_v\n", "t_ms,ax,ay,az\n"};
    static const char delims[4] = {',', ';', '\t', ','};
    static const int ncol[4] = {4, 3, 2, 4};
    int h = iter % 4;
    size_t k = (size_t)snprintf(text, sizeof text, "%s", heads[h]);
    for (int row = 0; row < 30 && k + 40 < sizeof text; row++) {
      for (int c = 0; c < ncol[h]; c++) {
        double v = c == 0 && h != 1 ? row * (h == 3 ? 10.0 : 0.01) : (double)((row * 7 + c) % 13) / 4.0;
        k += (size_t)snprintf(text + k, sizeof text - k, "%s%g", c ? (char[2]){delims[h], 0} : "", v);
      }
      text[k++] = '\n';
    }
    text[k] = '\0';
    int mutations = (int)(x % 4);
    for (int m = 0; m < mutations && k; m++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      text[x % k] = alphabet[(x >> 20) % (sizeof alphabet - 1)];
    }
    const char *p = gbt_tpath("fuzz.csv");
    write_text(p, text);
    gb_source_opts o;
    gb_source_opts_init(&o);
    o.rate_hz = iter % 3 ? 0 : 100;
    char msg[1200];
    int rc = open_and_read(p, &o, msg, sizeof msg);
    if (rc == GB_OK) {
      n_ok++;
    } else {
      n_err++;
      assert_true(rc < 0 && rc >= GB_EINTERNAL);
      assert_non_null(strstr(msg, "fuzz.csv"));
    }
  }
  print_message("  random files: %d read, %d rejected with a message\n", n_ok, n_err);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_empty_file),
    cmocka_unit_test(test_header_only),
    cmocka_unit_test(test_wrong_channel_count),
    cmocka_unit_test(test_nan_run_csv),
    cmocka_unit_test(test_inf_run_wav),
    cmocka_unit_test(test_nan_run_after_scan_window),
    cmocka_unit_test(test_text_in_numbers),
    cmocka_unit_test(test_wrong_field_count),
    cmocka_unit_test(test_non_monotonic_time),
    cmocka_unit_test(test_duplicate_time),
    cmocka_unit_test(test_bad_iso_time),
    cmocka_unit_test(test_unknown_column_and_units),
    cmocka_unit_test(test_truncated_wav),
    cmocka_unit_test(test_garbage_wav),
    cmocka_unit_test(test_directory_and_missing),
    cmocka_unit_test(test_csv_without_time_or_rate),
    cmocka_unit_test(test_integer_pcm_without_full_scale),
    cmocka_unit_test(test_zero_frames_and_single_row),
    cmocka_unit_test(test_latin1_header),
    cmocka_unit_test(test_binary_with_csv_name),
    cmocka_unit_test(test_random_csv_never_crashes),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
