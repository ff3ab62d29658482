/* CSV sources: delimiters, comments, BOM, CRLF, time columns in s / ms / ISO 8601,
 * declared rates, column selection, units, irregular timestamps resampled (checked
 * against the analytic signal) with the jitter measured, block-size independence.
 * Every file is generated here into a mkdtemp() folder. */
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

#include "gaitbatch/source.h"
#include "helpers/io_files.h"
#include "gaitbatch/status.h"

static int setup(void **state)
{
  (void)state;
  return gbt_tmpdir_make("gb_io_csv");
}

static int teardown(void **state)
{
  (void)state;
  return gbt_tmpdir_remove();
}

/* The value the file's text stands for, as a float. */
static float txt(const char *fmt_value) { return (float)strtod(fmt_value, NULL); }

/* Writes n rows of "t<d>x<d>y<d>z" with time i/rate seconds printed by tfmt. */
static void write_xyz(const char *path, char d, const char *header_extra, int n, double rate, int ms,
                      const char *eol)
{
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  if (header_extra) fputs(header_extra, f);
  fprintf(f, "%s%cx%cy%cz%s", ms ? "t_ms" : "time_s", d, d, d, eol);
  for (int i = 0; i < n; i++) {
    if (ms) fprintf(f, "%d", (int)lround(i * 1000.0 / rate));
    else fprintf(f, "%.6f", i / rate);
    fprintf(f, "%c%.4f%c%.4f%c%.4f%s", d, sin(0.1 * i), d, 1.0 + 0.5 * cos(0.05 * i), d, -0.25 * i / n, eol);
  }
  assert_int_equal(fclose(f), 0);
}

static void check_xyz(const float *y, size_t n, int expect_n)
{
  assert_int_equal(n, expect_n);
  char s[32];
  for (int i = 0; i < expect_n; i++) {
    snprintf(s, sizeof s, "%.4f", sin(0.1 * i));
    assert_true(y[3 * i] == txt(s));
    snprintf(s, sizeof s, "%.4f", 1.0 + 0.5 * cos(0.05 * i));
    assert_true(y[3 * i + 1] == txt(s));
    snprintf(s, sizeof s, "%.4f", -0.25 * i / expect_n);
    assert_true(y[3 * i + 2] == txt(s));
  }
}

static void test_delimiters(void **state)
{
  (void)state;
  static const char delims[3] = {',', ';', '\t'};
  for (int k = 0; k < 3; k++) {
    const char *p = gbt_tpath(k == 2 ? "tab.tsv" : "d.csv");
    write_xyz(p, delims[k], NULL, 900, 100.0, 0, "\n");
    size_t n;
    gb_source *s;
    float *y = gbt_read_all(p, NULL, 4096, &n, &s);
    const gb_source_info *in = gb_source_get_info(s);
    assert_string_equal(in->format, "csv");
    assert_int_equal(in->channels, 3);
    assert_int_equal(in->n_frames, -1);
    assert_float_equal(in->rate_hz, 100.0, 1e-6);
    assert_int_equal(in->resampled, 0);
    assert_true(in->jitter_ms < 1e-6);
    check_xyz(y, n, 900);
    gb_source_free(s);
    free(y);
  }
}

static void test_comments_bom_crlf(void **state)
{
  (void)state;
  const char *p = gbt_tpath("bom.csv");
  write_xyz(p, ',', "\xEF\xBB\xBF# exported by a logger\r\n\r\n#device: X\r\n", 700, 50.0, 0, "\r\n");
  /* Append a comment and a blank line inside the data: must be skipped. */
  FILE *f = fopen(p, "ab");
  fputs("# trailing comment\r\n\r\n", f);
  fclose(f);
  size_t n;
  float *y = gbt_read_all(p, NULL, 100, &n, NULL);
  check_xyz(y, n, 700);
  free(y);
}

static void test_time_ms_by_name_and_by_value(void **state)
{
  (void)state;
  const char *p = gbt_tpath("ms.csv");
  write_xyz(p, ',', NULL, 600, 100.0, 1, "\n"); /* column t_ms */
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 4096, &n, &s);
  assert_float_equal(gb_source_get_info(s)->rate_hz, 100.0, 1e-9);
  check_xyz(y, n, 600);
  gb_source_free(s);
  free(y);
  /* Column "t" with values 0, 4, 8 ...: as seconds that would be 0.25 Hz, so ms. */
  p = gbt_tpath("tvalms.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "t,acc_x,acc_y,acc_z\n");
  for (int i = 0; i < 300; i++) fprintf(f, "%d,%d,0.5,1\n", i * 4, i % 7);
  fclose(f);
  y = gbt_read_all(p, NULL, 4096, &n, &s);
  assert_float_equal(gb_source_get_info(s)->rate_hz, 250.0, 1e-9);
  assert_int_equal(n, 300);
  assert_true(y[3 * 5] == 5.0f);
  assert_non_null(strstr(gb_source_warnings(s), "milliseconds"));
  gb_source_free(s);
  free(y);
}

static void test_time_iso8601(void **state)
{
  (void)state;
  const char *p = gbt_tpath("iso.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "timestamp,ax,ay,az\n");
  for (int i = 0; i < 500; i++) /* 100 Hz from 07:00:00.000, crossing a minute */
    fprintf(f, "2026-03-02T07:00:%02d.%03dZ,%d,%d,%d\n", (i * 10) / 1000, (i * 10) % 1000, i, -i, 2 * i);
  fclose(f);
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 64, &n, &s);
  const gb_source_info *in = gb_source_get_info(s);
  assert_string_equal(in->start_iso, "2026-03-02T07:00:00.000Z");
  assert_float_equal(in->rate_hz, 100.0, 1e-6);
  assert_int_equal(in->resampled, 0);
  assert_int_equal(n, 500);
  for (int i = 0; i < 500; i++) {
    assert_true(y[3 * i] == (float)i);
    assert_true(y[3 * i + 1] == (float)-i);
    assert_true(y[3 * i + 2] == (float)(2 * i));
  }
  gb_source_free(s);
  free(y);
}

static void test_declared_rate_and_column_selection(void **state)
{
  (void)state;
  const char *p = gbt_tpath("norate.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "a;b;c;note\n");
  for (int i = 0; i < 400; i++) fprintf(f, "%d;%d.5;%d;x%d\n", i, i, -i, i);
  fclose(f);
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.rate_hz = 52.5;
  o.cols = "C, b ,A"; /* case-insensitive, spaces trimmed, any order */
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, &o, 13, &n, &s);
  assert_true(gb_source_get_info(s)->rate_hz == 52.5);
  assert_int_equal(n, 400);
  for (int i = 0; i < 400; i++) {
    assert_true(y[3 * i] == (float)-i);
    assert_true(y[3 * i + 1] == (float)(i + 0.5));
    assert_true(y[3 * i + 2] == (float)i);
  }
  gb_source_free(s);
  free(y);
  /* One column: the long axis. */
  o.cols = "b";
  y = gbt_read_all(p, &o, 4096, &n, &s);
  assert_int_equal(gb_source_get_info(s)->channels, 1);
  assert_int_equal(n, 400);
  assert_true(y[10] == 10.5f);
  gb_source_free(s);
  free(y);
}

static void test_default_names_vertical_and_sample_index(void **state)
{
  (void)state;
  /* As in a public treadmill data set: sample index + acc_v_g + another axis. */
  const char *p = gbt_tpath("vert.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "sample,acc_v_g,acc_ap_g,grf\n");
  for (int i = 0; i < 250; i++) fprintf(f, "%d,%g,%g,%g\n", i, 1.0 + 0.01 * i, -0.5, 2.0);
  fclose(f);
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.rate_hz = 500;
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, &o, 4096, &n, &s);
  assert_int_equal(gb_source_get_info(s)->channels, 1);
  assert_true(gb_source_get_info(s)->rate_hz == 500.0);
  assert_int_equal(n, 250);
  for (int i = 0; i < 250; i++) assert_true(y[i] == (float)(1.0 + 0.01 * i));
  gb_source_free(s);
  free(y);
  /* Shimmer-style names, semicolons, and a gyro triple that must not be taken. */
  p = gbt_tpath("shimmer.csv");
  f = fopen(p, "w");
  fprintf(f, "Gyro_X;Gyro_Y;Gyro_Z;Accel_LN_X;Accel_LN_Y;Accel_LN_Z;Timestamp_ms\n");
  for (int i = 0; i < 100; i++) fprintf(f, "9;9;9;%d;0.25;-1;%d\n", i, i * 20);
  fclose(f);
  y = gbt_read_all(p, NULL, 4096, &n, &s);
  assert_int_equal(gb_source_get_info(s)->channels, 3);
  assert_float_equal(gb_source_get_info(s)->rate_hz, 50.0, 1e-9);
  assert_int_equal(n, 100);
  assert_true(y[3 * 42] == 42.0f && y[3 * 42 + 1] == 0.25f && y[3 * 42 + 2] == -1.0f);
  gb_source_free(s);
  free(y);
}

static void test_units_ms2(void **state)
{
  (void)state;
  const char *p = gbt_tpath("ms2.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "t,x,y,z\n");
  for (int i = 0; i < 200; i++) fprintf(f, "%.2f,0.5,%.5f,-0.25\n", i * 0.01, 9.80665 + 0.1 * sin(i));
  fclose(f);
  /* Explicit units. */
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.units = GB_UNITS_MS2;
  o.units_set = 1;
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, &o, 4096, &n, &s);
  assert_int_equal(n, 200);
  assert_true(y[0] == (float)(0.5 / 9.80665));
  assert_true(y[2] == (float)(-0.25 / 9.80665));
  assert_string_equal(gb_source_warnings(s), "");
  gb_source_free(s);
  free(y);
  /* Auto-detected from |a| ~ 9.8 over the first second, with a warning. */
  float *z = gbt_read_all(p, NULL, 4096, &n, &s);
  assert_int_equal(n, 200);
  assert_true(z[0] == (float)(0.5 / 9.80665));
  char sv[32];
  snprintf(sv, sizeof sv, "%.5f", 9.80665 + 0.1 * sin(3));
  assert_true(z[3 * 3 + 1] == (float)(strtod(sv, NULL) / 9.80665));
  assert_non_null(strstr(gb_source_warnings(s), "m/s^2"));
  assert_int_equal(gb_source_get_info(s)->units_ms2, 1);
  gb_source_free(s);
  free(z);
  /* Explicit g is honoured even for ~9.8 values. */
  o.units = GB_UNITS_G;
  z = gbt_read_all(p, &o, 4096, &n, &s);
  assert_true(z[0] == 0.5f);
  assert_int_equal(gb_source_get_info(s)->units_ms2, 0);
  gb_source_free(s);
  free(z);
  /* Units stated by the column names. */
  p = gbt_tpath("names_ms2.csv");
  f = fopen(p, "w");
  fprintf(f, "time,acc_x_ms2,acc_y_ms2,acc_z_ms2\n");
  for (int i = 0; i < 50; i++) fprintf(f, "%.2f,1,2,3\n", i * 0.02);
  fclose(f);
  z = gbt_read_all(p, NULL, 4096, &n, &s);
  assert_true(z[1] == (float)(2 / 9.80665));
  assert_string_equal(gb_source_warnings(s), "");
  gb_source_free(s);
  free(z);
}

/* Deterministic irregular timestamps: t_i = i/100 + J u_i, u_i uniform in [-1, 1]. */
#define IRR_N 3000
#define IRR_J 0.002
static uint64_t lcg = 12345;
static double u11(void)
{
  lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(lcg >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}
static double fx(double t) { return sin(2 * M_PI * 1.3 * t); }
static double fy(double t) { return 0.8 * cos(2 * M_PI * 0.7 * t) + 1.0; }
static double fz(double t) { return 0.5 * t - 2.0; }

static const char *write_irregular(double *ts)
{
  const char *p = gbt_tpath("irregular.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "time,x,y,z\n");
  lcg = 12345;
  for (int i = 0; i < IRR_N; i++) {
    double t = 1000.0 + i / 100.0 + (i ? IRR_J * u11() : 0.0);
    char tb[32];
    snprintf(tb, sizeof tb, "%.6f", t);
    ts[i] = strtod(tb, NULL);
    fprintf(f, "%s,%.9f,%.9f,%.9f\n", tb, fx(ts[i] - 1000.0), fy(ts[i] - 1000.0), fz(ts[i] - 1000.0));
  }
  fclose(f);
  return p;
}

static void test_irregular_resampled(void **state)
{
  (void)state;
  double *ts = malloc(sizeof(double) * IRR_N);
  const char *p = write_irregular(ts);
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 4096, &n, &s);
  const gb_source_info *in = gb_source_get_info(s);
  double rate = in->rate_hz;
  assert_float_equal(rate, 100.0, 0.5);
  assert_int_equal(in->resampled, 1);
  /* Jitter: RMS of (dt - 1/rate), computed here from the generated times; and
   * near its expectation J*sqrt(2/3) for independent uniform offsets. */
  double sq = 0;
  for (int i = 1; i < IRR_N; i++) {
    double d = (ts[i] - ts[i - 1]) - 1.0 / rate;
    sq += d * d;
  }
  double jit_ms = sqrt(sq / (IRR_N - 1)) * 1000.0;
  assert_float_equal(in->jitter_ms, jit_ms, 1e-6 * jit_ms);
  assert_float_equal(in->jitter_ms, IRR_J * sqrt(2.0 / 3.0) * 1000.0, 0.1 * IRR_J * 1000.0);
  /* Every output sample lies on the uniform grid from the first row. */
  double span = ts[IRR_N - 1] - ts[0];
  assert_int_equal(n, (size_t)floor(span * rate + 1e-6) + 1);
  double max_err_lin = 0, max_err_sin = 0;
  for (size_t k = 0; k < n; k++) {
    double t = (double)k / rate + (ts[0] - 1000.0);
    max_err_lin = fmax(max_err_lin, fabs(y[3 * k + 2] - fz(t)));
    max_err_sin = fmax(max_err_sin, fabs(y[3 * k] - fx(t)));
    max_err_sin = fmax(max_err_sin, fabs(y[3 * k + 1] - fy(t)));
  }
  /* Linear signal: interpolation is exact up to float and printing error. Sines:
   * linear interpolation error <= h^2/8 max|f''| = 0.014^2/8 (2 pi 1.3)^2 = 1.6e-3. */
  assert_true(max_err_lin < 2e-6);
  assert_true(max_err_sin < 1.7e-3);
  const char *w = gb_source_warnings(s);
  assert_non_null(strstr(w, "irregular.csv"));
  assert_non_null(strstr(w, "jitter"));
  gb_source_free(s);
  free(y);
  free(ts);
}

static void test_block_size_independence(void **state)
{
  (void)state;
  double *ts = malloc(sizeof(double) * IRR_N);
  const char *p = write_irregular(ts);
  size_t n1, n7, n4096;
  float *a = gbt_read_all(p, NULL, 1, &n1, NULL);
  float *b = gbt_read_all(p, NULL, 7, &n7, NULL);
  float *c = gbt_read_all(p, NULL, 4096, &n4096, NULL);
  assert_int_equal(n1, n7);
  assert_int_equal(n1, n4096);
  assert_memory_equal(a, b, n1 * 3 * sizeof(float));
  assert_memory_equal(a, c, n1 * 3 * sizeof(float));
  free(a);
  free(b);
  free(c);
  free(ts);
}

static void test_long_file_streams_past_scan_window(void **state)
{
  (void)state;
  /* 20000 rows (beyond the 4096-row scan window and across 1 MiB chunks when
   * rows are long): every value checked. */
  const char *p = gbt_tpath("long.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "t_ms,x,y,z,comment\n");
  for (int i = 0; i < 20000; i++)
    fprintf(f, "%d,%d,%d.25,%d,%s\n", i * 10, i, i, -i, "padding-padding-padding-padding-padding-padding");
  fclose(f);
  size_t n;
  float *y = gbt_read_all(p, NULL, 999, &n, NULL);
  assert_int_equal(n, 20000);
  for (int i = 0; i < 20000; i++) {
    assert_true(y[3 * i] == (float)i);
    assert_true(y[3 * i + 1] == (float)(i + 0.25));
    assert_true(y[3 * i + 2] == (float)-i);
  }
  free(y);
}

static void test_nan_isolated_repaired_and_epoch_ms(void **state)
{
  (void)state;
  const char *p = gbt_tpath("nan.csv");
  FILE *f = fopen(p, "w");
  fprintf(f, "timestamp_ms,x,y,z\n");
  const long long t0 = 1772434800000LL; /* 2026-03-02T07:00:00.000Z */
  for (int i = 0; i < 100; i++) {
    const char *xv = i == 10 ? "NaN" : i == 11 ? "" : i == 12 ? "inf" : NULL;
    if (xv) fprintf(f, "%lld,%s,1,2\n", t0 + 10 * i, xv);
    else fprintf(f, "%lld,%d,1,2\n", t0 + 10 * i, i);
  }
  fclose(f);
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 4096, &n, &s);
  assert_string_equal(gb_source_get_info(s)->start_iso, "2026-03-02T07:00:00.000Z");
  assert_int_equal(n, 100);
  assert_true(y[3 * 10] == 9.0f && y[3 * 11] == 9.0f && y[3 * 12] == 9.0f && y[3 * 13] == 13.0f);
  const char *w = gb_source_warnings(s);
  assert_non_null(strstr(w, "nan.csv:12:")); /* row 10 is on line 12 */
  assert_non_null(strstr(w, "3 non-finite"));
  assert_int_equal(gb_source_get_info(s)->n_repaired, 3);
  gb_source_free(s);
  free(y);
}

/* The IPOL gait files' shape: a preamble line "Acquisition frequency: N Hz"
 * before a TAB header with a sample counter, values in m/s^2 (named Acc_X...).
 * The preamble is skipped with a warning and its rate used (no time column);
 * a one-column file (no delimiter anywhere) keeps its first line as the header,
 * and --rate still wins over the preamble. */
static void test_preamble_line_rate(void **state)
{
  (void)state;
  const char *p = gbt_tpath("ipol_lb.txt");
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  fputs("Acquisition frequency: 50 Hz\n", f);
  fputs("PacketCounter\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\n", f);
  const int n = 300;
  for (int i = 0; i < n; i++)
    fprintf(f, "%d.0\t%.6f\t%.6f\t%.6f\t0.001\n", i, 0.5 * sin(0.2 * i), 9.81 + cos(0.1 * i), 0.25);
  assert_int_equal(fclose(f), 0);

  gb_source_opts o;
  gb_source_opts_init(&o);
  o.units = GB_UNITS_MS2;
  o.units_set = 1;
  size_t got;
  gb_source *s;
  float *y = gbt_read_all(p, &o, 64, &got, &s);
  const gb_source_info *in = gb_source_get_info(s);
  assert_true(in->rate_hz == 50.0);
  assert_int_equal(in->channels, 3);
  assert_int_equal(got, n);
  char v[32];
  for (int i = 0; i < n; i++) {
    snprintf(v, sizeof v, "%.6f", 9.81 + cos(0.1 * i));
    assert_true(y[3 * i + 1] == (float)(strtod(v, NULL) / GB_STANDARD_GRAVITY));
  }
  const char *w = gb_source_warnings(s);
  assert_non_null(strstr(w, "ipol_lb.txt:1: line 'Acquisition frequency: 50 Hz' skipped"));
  assert_non_null(strstr(w, "sample rate 50 Hz taken from the preamble"));
  gb_source_free(s);
  free(y);

  /* --rate overrides the preamble's rate */
  o.rate_hz = 100;
  y = gbt_read_all(p, &o, 64, &got, &s);
  assert_true(gb_source_get_info(s)->rate_hz == 100.0);
  assert_null(strstr(gb_source_warnings(s), "taken from the preamble"));
  gb_source_free(s);
  free(y);

  /* one column, no delimiters at all: the first line is the header */
  p = gbt_tpath("one_col.csv");
  f = fopen(p, "wb");
  assert_non_null(f);
  fputs("acc_v_g\n", f);
  for (int i = 0; i < 100; i++) fprintf(f, "%.3f\n", 1.0 + 0.1 * sin(0.3 * i));
  assert_int_equal(fclose(f), 0);
  gb_source_opts_init(&o);
  o.rate_hz = 100;
  y = gbt_read_all(p, &o, 64, &got, &s);
  assert_int_equal(gb_source_get_info(s)->channels, 1);
  assert_int_equal(got, 100);
  assert_null(strstr(gb_source_warnings(s), "skipped"));
  gb_source_free(s);
  free(y);
}

/* Rows are parsed in place by a fast path; lines it must not take as data (a
 * comment whose text holds the delimiters, an indented comment, a blank line
 * with CR) go to the general path and are skipped, whatever the first column. */
static void test_fast_path_leaves_comments(void **state)
{
  (void)state;
  const char *p = gbt_tpath("comments_mid.csv");
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  fputs("note,time_s,x,y,z\r\n", f);
  for (int i = 0; i < 200; i++) {
    if (i == 50) fputs("# a,1,2,3,4\r\n", f);
    if (i == 90) fputs("   # b,5,6,7,8\r\n", f);
    if (i == 120) fputs("\r\n", f);
    fprintf(f, "n%d,%.2f,%.3f,%.3f,%.3f\r\n", i, i / 100.0, 0.01 * i, 1.0, -0.5);
  }
  assert_int_equal(fclose(f), 0);
  size_t n;
  gb_source *s;
  float *y = gbt_read_all(p, NULL, 4096, &n, &s);
  assert_int_equal(n, 200);
  assert_true(fabs(gb_source_get_info(s)->rate_hz - 100.0) < 1e-6);
  char v[32];
  for (int i = 0; i < 200; i++) {
    snprintf(v, sizeof v, "%.3f", 0.01 * i);
    assert_true(y[3 * i] == txt(v));
    assert_true(y[3 * i + 1] == 1.0f && y[3 * i + 2] == -0.5f);
  }
  gb_source_free(s);
  free(y);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_delimiters),
    cmocka_unit_test(test_comments_bom_crlf),
    cmocka_unit_test(test_time_ms_by_name_and_by_value),
    cmocka_unit_test(test_time_iso8601),
    cmocka_unit_test(test_declared_rate_and_column_selection),
    cmocka_unit_test(test_default_names_vertical_and_sample_index),
    cmocka_unit_test(test_units_ms2),
    cmocka_unit_test(test_irregular_resampled),
    cmocka_unit_test(test_block_size_independence),
    cmocka_unit_test(test_long_file_streams_past_scan_window),
    cmocka_unit_test(test_nan_isolated_repaired_and_epoch_ms),
    cmocka_unit_test(test_preamble_line_rate),
    cmocka_unit_test(test_fast_path_leaves_comments),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
