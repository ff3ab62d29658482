/* Manifest parsing and run ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/batch.h"
#include "gaitbatch/status.h"

static int parse(const char *text, gb_run_request **rows, size_t *n, char *err)
{
  return gb_manifest_parse(text, strlen(text), "m.csv", "/data", NULL, rows, n, err, 512);
}

static void parses_columns_and_keeps_extras(void **state)
{
  (void)state;
  gb_run_request *rows;
  size_t n;
  char err[512] = "";
  const char *text =
      "\xEF\xBB\xBFpath,athlete,start,location,units,full_scale_g,scenario,notes\r\n"
      "# a comment\r\n"
      "a/run1.flac,ann,2026-03-02T07:00:00Z,tibia,g,16,heel,\"easy, flat\"\r\n"
      "\r\n"
      "/abs/run2.csv,bob,2026-03-03T07:00:00Z,sacrum,m/s2,,steady,\r\n";
  assert_int_equal(parse(text, &rows, &n, err), GB_OK);
  assert_int_equal(n, 2);
  assert_string_equal(rows[0].meta.path, "/data/a/run1.flac");
  assert_string_equal(rows[1].meta.path, "/abs/run2.csv");
  assert_string_equal(rows[0].meta.athlete, "ann");
  assert_int_equal(rows[0].meta.location, GB_LOC_TIBIA);
  assert_int_equal(rows[1].meta.location, GB_LOC_SACRUM);
  assert_int_equal(rows[1].meta.units, GB_UNITS_MS2);
  assert_int_equal(rows[1].units_set, 1);
  assert_true(rows[0].meta.full_scale_g == 16);
  assert_string_equal(rows[0].meta.extra, "scenario=heel\nnotes=easy, flat\n");
  assert_string_equal(rows[1].meta.extra, "scenario=steady\n");
  gb_assign_run_ids(rows, n);
  assert_string_equal(rows[0].meta.run_id, "ann_20260302T0700");
  gb_requests_free(rows, n);
}

static void errors_name_line(void **state)
{
  (void)state;
  gb_run_request *rows;
  size_t n;
  char err[512] = "";
  assert_int_equal(parse("athlete,start\nann,2026\n", &rows, &n, err), GB_EFORMAT);
  assert_non_null(strstr(err, "no 'path' column"));
  /* a bad value invalidates its row only: the batch reports it and goes on */
  assert_int_equal(parse("path,location\nx.wav,tibia\ny.wav,knee\n", &rows, &n, err), GB_OK);
  assert_int_equal(n, 2);
  assert_string_equal(rows[0].invalid, "");
  assert_non_null(strstr(rows[1].invalid, "m.csv:3"));
  assert_non_null(strstr(rows[1].invalid, "knee"));
  gb_requests_free(rows, n);
  assert_int_equal(parse("path,full_scale_g,units\nx.wav,abc,g\ny.wav,16,furlongs\n", &rows, &n, err), GB_OK);
  assert_non_null(strstr(rows[0].invalid, "full_scale_g"));
  assert_non_null(strstr(rows[1].invalid, "furlongs"));
  gb_requests_free(rows, n);
  /* a row with the wrong field count is that row's error */
  assert_int_equal(parse("path,athlete\nx.wav\ny.wav,bo\n", &rows, &n, err), GB_OK);
  assert_int_equal(n, 2);
  assert_non_null(strstr(rows[0].invalid, "m.csv:2"));
  assert_string_equal(rows[0].meta.path, "/data/x.wav");
  assert_string_equal(rows[1].invalid, "");
  gb_requests_free(rows, n);
  assert_int_equal(parse("path\n\"x.wav\n", &rows, &n, err), GB_EFORMAT);
  assert_int_equal(parse("", &rows, &n, err), GB_EFORMAT);
  assert_int_equal(parse("path\n", &rows, &n, err), GB_ETOOSHORT);
}

static void run_ids_are_unique_and_safe(void **state)
{
  (void)state;
  gb_run_request r[4];
  for (int i = 0; i < 4; i++) gb_run_request_init(&r[i]);
  strcpy(r[0].meta.path, "/x/run a.wav");
  strcpy(r[1].meta.path, "/y/run a.csv");
  strcpy(r[2].meta.path, "/z/.hidden.flac");
  strcpy(r[3].meta.path, "/z/q.wav");
  strcpy(r[3].meta.run_id, "../evil/id");
  gb_assign_run_ids(r, 4);
  assert_string_equal(r[0].meta.run_id, "run_a");
  assert_string_equal(r[1].meta.run_id, "run_a-2");
  assert_int_not_equal(r[2].meta.run_id[0], '.');
  assert_null(strchr(r[3].meta.run_id, '/'));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parses_columns_and_keeps_extras),
    cmocka_unit_test(errors_name_line),
    cmocka_unit_test(run_ids_are_unique_and_safe),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
