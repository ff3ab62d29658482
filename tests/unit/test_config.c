/* Configuration: defaults, INI overrides, errors naming the line, hash stability. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/config.h"
#include "gaitbatch/status.h"

static void defaults_have_sourced_values(void **state)
{
  (void)state;
  gb_config c;
  gb_config_defaults(&c);
  assert_true(c.risk.pta_high_g == 8.0);        /* Crowell & Davis 2011 */
  assert_true(c.load.acwr_high == 1.5);         /* Gabbett 2016 */
  assert_true(c.load.two_week_ramp_max == 0.30); /* Nielsen 2014 */
  assert_true(c.analysis.window_s == 8.0);
  assert_true(c.load.spike_band3 == 1.0);
}

static void ini_overrides_and_hash_changes(void **state)
{
  (void)state;
  gb_config a, b;
  gb_config_defaults(&a);
  gb_config_defaults(&b);
  assert_true(gb_config_hash(&a) == gb_config_hash(&b));
  char err[256] = "";
  int st = gb_config_load_string(&b, "# comment\n[risk]\npta_high_g = 9.5\n\n[load]\nload_metric = 1\n",
                                 "t.ini", err, sizeof err);
  assert_int_equal(st, GB_OK);
  assert_true(b.risk.pta_high_g == 9.5);
  assert_int_equal(b.load.load_metric, 1);
  assert_true(gb_config_hash(&a) != gb_config_hash(&b));
  /* setting back the default value restores the hash: it hashes values, not text */
  st = gb_config_load_string(&b, "[risk]\npta_high_g=8\n[load]\nload_metric=0\n", "u.ini", err, sizeof err);
  assert_int_equal(st, GB_OK);
  assert_true(gb_config_hash(&a) == gb_config_hash(&b));
}

static void errors_name_file_and_line(void **state)
{
  (void)state;
  gb_config c;
  char err[256] = "";
  gb_config_defaults(&c);
  int st = gb_config_load_string(&c, "[risk]\n\npta_high_g = abc\n", "bad.ini", err, sizeof err);
  assert_int_equal(st, GB_ECONFIG);
  assert_non_null(strstr(err, "bad.ini:3"));
  assert_non_null(strstr(err, "expected a number"));

  gb_config_defaults(&c);
  st = gb_config_load_string(&c, "[risk]\nno_such_key = 1\n", "k.ini", err, sizeof err);
  assert_int_equal(st, GB_ECONFIG);
  assert_non_null(strstr(err, "k.ini:2"));
  assert_non_null(strstr(err, "unknown key"));

  gb_config_defaults(&c);
  st = gb_config_load_string(&c, "[load]\nacwr_high = 99\n", "r.ini", err, sizeof err);
  assert_int_equal(st, GB_ECONFIG);
  assert_non_null(strstr(err, "outside"));

  gb_config_defaults(&c);
  st = gb_config_load_string(&c, "[analysis]\nthis line has no equals sign\n", "s.ini", err, sizeof err);
  assert_int_equal(st, GB_ECONFIG);
  assert_non_null(strstr(err, "s.ini:2"));

  gb_config_defaults(&c);
  st = gb_config_load_string(&c, "[analysis]\ncadence_min_spm = 200\ncadence_max_spm = 150\n", "x.ini",
                             err, sizeof err);
  assert_int_equal(st, GB_ECONFIG);
}

static void dump_round_trips(void **state)
{
  (void)state;
  gb_config a, b;
  gb_config_defaults(&a);
  a.risk.trunk_lean_max_deg = 17.25;
  a.analysis.hop_s = 0.5;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_int_equal(gb_config_write(&a, f), GB_OK);
  fclose(f);
  assert_non_null(strstr(buf, "Crowell"));
  gb_config_defaults(&b);
  char err[256] = "";
  assert_int_equal(gb_config_load_string(&b, buf, "dump", err, sizeof err), GB_OK);
  assert_true(gb_config_hash(&a) == gb_config_hash(&b));
  free(buf);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(defaults_have_sourced_values),
    cmocka_unit_test(ini_overrides_and_hash_changes),
    cmocka_unit_test(errors_name_file_and_line),
    cmocka_unit_test(dump_round_trips),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
