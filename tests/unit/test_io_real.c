/* Real recordings from ../shared/datasets/real (through GB_SHARED_DIR), read with
 * the default column recognition. Skipped with a message when absent. Frame counts
 * are checked against a line count made here; values against the file's own text
 * for the first row. */
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
#include "gaitbatch/status.h"

static int real_path(const char *rel, char *out, size_t len)
{
  const char *base = getenv("GB_SHARED_DIR");
  snprintf(out, len, "%s/datasets/real/%s", base && *base ? base : "../shared", rel);
  if (access(out, R_OK) != 0) {
    print_message("skipped: ../shared/datasets/real/%s absent\n", rel);
    return -1;
  }
  return 0;
}

/* Data rows = non-empty lines after the first (the header). */
static long data_rows(const char *path)
{
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  long n = -1;
  int c, prev = '\n';
  while ((c = fgetc(f)) != EOF) {
    if (prev == '\n' && c != '\n') n++;
    prev = c;
  }
  fclose(f);
  return n;
}

/* The last field of the first data row and of the last row, as numbers. */
static void last_field_first_and_last(const char *path, double *first, double *last)
{
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[512];
  int row = 0;
  while (fgets(line, sizeof line, f)) {
    char *c = strrchr(line, ',');
    if (!c || row++ == 0) continue;
    double v = strtod(c + 1, NULL);
    if (row == 2) *first = v;
    *last = v;
  }
  fclose(f);
}

static long read_count(const char *path, const gb_source_opts *o, float *first, gb_source **keep)
{
  gb_source *s;
  int rc = gb_source_open(path, o, &s);
  if (rc) print_error("%s\n", gb_source_errmsg(s));
  assert_int_equal(rc, GB_OK);
  int ch = gb_source_get_info(s)->channels;
  float buf[3 * 1024];
  size_t n;
  long total = 0;
  while (!(rc = gb_source_read(s, buf, 1024, &n)) && n) {
    if (total == 0) memcpy(first, buf, sizeof(float) * (size_t)ch);
    total += (long)n;
  }
  assert_int_equal(rc, GB_OK);
  *keep = s;
  return total;
}

static void test_sacrum_vertical_sample_index(void **state)
{
  (void)state;
  char p[1024];
  if (real_path("alcantara-sacrum-treadmill-running/trial01.csv", p, sizeof p)) skip();
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.rate_hz = 500; /* PROVENANCE: 500 Hz; the file has a sample index */
  float first[3];
  gb_source *s;
  long n = read_count(p, &o, first, &s);
  assert_int_equal(gb_source_get_info(s)->channels, 1); /* acc_v_g: the long axis */
  assert_int_equal(n, data_rows(p));
  assert_true(first[0] == (float)6.761072101883623953e-01); /* first acc_v_g value */
  gb_source_free(s);
}

static void test_shimmer_ms2_timestamps_in_ms(void **state)
{
  (void)state;
  char p[1024];
  if (real_path("alcantara-sacrum-treadmill-running/Sample_test_data_raw512Hz.csv", p, sizeof p)) skip();
  float first[3];
  gb_source *s;
  long n = read_count(p, NULL, first, &s);
  const gb_source_info *in = gb_source_get_info(s);
  assert_int_equal(in->channels, 3);
  assert_float_equal(in->rate_hz, 512.0, 0.5); /* PROVENANCE: raw file at 512 Hz */
  assert_non_null(strstr(gb_source_warnings(s), "m/s^2"));
  /* first row Accel_LN_X = -8.489380582 m/s^2 */
  assert_float_equal(first[0], -8.489380582 / 9.80665, 1e-6);
  /* Resampled at the median-interval rate over the file's time span: */
  double t_first = NAN, t_last = NAN; /* set by the helper (it asserts on failure) */
  last_field_first_and_last(p, &t_first, &t_last);
  assert_int_equal(n, (long)floor((t_last - t_first) / 1000.0 * in->rate_hz + 1e-6) + 1);
  gb_source_free(s);
}

static void test_hip_x_g_columns(void **state)
{
  (void)state;
  char p[1024];
  if (real_path("adept-outdoor-run-hip-shoe/acc_running_left_hip.csv", p, sizeof p)) skip();
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.rate_hz = 100;
  float first[3];
  gb_source *s;
  long n = read_count(p, &o, first, &s);
  assert_int_equal(n, data_rows(p));
  assert_true(first[0] == -0.199f && first[1] == -1.012f && first[2] == 0.133f);
  assert_string_equal(gb_source_warnings(s), "");
  gb_source_free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sacrum_vertical_sample_index),
    cmocka_unit_test(test_shimmer_ms2_timestamps_in_ms),
    cmocka_unit_test(test_hip_x_g_columns),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
