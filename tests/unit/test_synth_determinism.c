/* Determinism of the generator: the same spec and seed give identical bytes (recording and
 * truth) in every output format; another seed gives different bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/status.h"
#include "gaitbatch/synth.h"

static char *make_dir(void)
{
  char tmpl[] = "/tmp/gb_synth_det_XXXXXX";
  char *d = mkdtemp(tmpl);
  assert_non_null(d);
  return strdup(d);
}

static void rm_rf(const char *d)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
  assert_int_equal(system(cmd), 0);
}

static unsigned char *slurp(const char *path, size_t *n)
{
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc((size_t)len + 1);
  assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
  fclose(f);
  *n = (size_t)len;
  return b;
}

/* 1 if the two files are byte-identical */
static int same_file(const char *a, const char *b)
{
  size_t na, nb;
  unsigned char *x = slurp(a, &na), *y = slurp(b, &nb);
  int same = na == nb && memcmp(x, y, na) == 0;
  free(x);
  free(y);
  return same;
}

static void gen(const char *dir, gb_synth_format fmt, uint64_t seed)
{
  gb_synth_spec s;
  gb_synth_spec_init(&s);
  s.seed = seed;
  s.duration_s = 40;
  s.sample_rate_hz = 200;
  s.format = fmt;
  s.noise_g = 0.05;
  gb_synth_apply_scenario(&s, "surges");
  s.surge_s = 5;
  s.rearfoot_share = 0.5;
  char err[256];
  assert_int_equal(gb_synth_run(&s, dir, "r", NULL, err, sizeof err), GB_OK);
}

static void check_format(gb_synth_format fmt)
{
  char *d1 = make_dir(), *d2 = make_dir(), *d3 = make_dir();
  gen(d1, fmt, 7);
  gen(d2, fmt, 7);
  gen(d3, fmt, 8);
  const char *ext = gb_synth_format_ext(fmt);
  char a[512], b[512], c[512];
  snprintf(a, sizeof a, "%s/r.%s", d1, ext);
  snprintf(b, sizeof b, "%s/r.%s", d2, ext);
  snprintf(c, sizeof c, "%s/r.%s", d3, ext);
  assert_true(same_file(a, b));
  assert_false(same_file(a, c));
  static const char *const truth[] = {"steps.csv", "cadence.csv", "events.csv", "run.csv", "flags.csv"};
  for (size_t i = 0; i < sizeof truth / sizeof *truth; i++) {
    snprintf(a, sizeof a, "%s/truth/r/%s", d1, truth[i]);
    snprintf(b, sizeof b, "%s/truth/r/%s", d2, truth[i]);
    assert_true(same_file(a, b));
  }
  snprintf(a, sizeof a, "%s/truth/r/steps.csv", d1);
  snprintf(c, sizeof c, "%s/truth/r/steps.csv", d3);
  assert_false(same_file(a, c));
  rm_rf(d1);
  rm_rf(d2);
  rm_rf(d3);
  free(d1);
  free(d2);
  free(d3);
}

static void test_wav(void **state) { (void)state; check_format(GB_SYNTH_WAV_FLOAT); }
static void test_flac(void **state) { (void)state; check_format(GB_SYNTH_FLAC16); }
static void test_csv_g(void **state) { (void)state; check_format(GB_SYNTH_CSV_G); }
static void test_csv_ms2(void **state) { (void)state; check_format(GB_SYNTH_CSV_MS2); }

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_wav),
    cmocka_unit_test(test_flac),
    cmocka_unit_test(test_csv_g),
    cmocka_unit_test(test_csv_ms2),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
