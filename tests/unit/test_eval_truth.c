/* gaitbatch eval: reading truth folders (contract: README "Ground truth format").
 * Files are written to a fresh temporary folder; errors must name file and line. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gaitbatch/eval.h"
#include "gaitbatch/status.h"

static char g_dir[256];

static void put(const char *rel, const char *text)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", g_dir, rel);
  /* make parent folders */
  for (char *p = path + strlen(g_dir) + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0755);
      *p = '/';
    }
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void rm(const char *rel)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", g_dir, rel);
  unlink(path);
}

static int setup(void **state)
{
  (void)state;
  snprintf(g_dir, sizeof g_dir, "/tmp/gb_eval_truth_XXXXXX");
  if (!mkdtemp(g_dir)) return -1;
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void test_full_dataset(void **state)
{
  (void)state;
  put("manifest.csv", "path,run_id,athlete,start,location,units,full_scale_g,rate_hz\n"
                      "r1.csv,r1,anna,2026-03-02T07:00:00Z,tibia,g,16,500\n"
                      "\"dir, with comma/r2.wav\",r2,\"bo\",2026-03-03T07:00:00Z,sacrum,g,,\n");
  put("truth/r1/steps.csv", "# comment line\r\n"
                            "t_s,side,landing,contact_time_ms,peak_g\r\n"
                            "1.25,0,rearfoot,210.5,8.5\r\n"
                            "\r\n"
                            "1.60,1,midfoot,,\r\n"
                            ",-1,unknown,,\r\n");
  put("truth/r1/cadence.csv", "t_s,cadence_spm\n2,170\n1,168\n3,0\n");
  put("truth/r1/events.csv", "kind,t_start_s,t_end_s,value\nsurge,100,104,12.5\nwarmup_missing,0,300,\n");
  put("truth/r1/run.csv", "key,value\nlanding_pattern,mixed\ntrunk_lean_deg,7.5\nscenario,heel\n"
                          "cadence_mean_spm,171.2\nlocation,shank\nsensor_side,1\n");
  put("truth/r1/flags.csv", "code,t_start_s,t_end_s\nimpact.high,,\nlanding.rearfoot,0,600\n");
  put("truth/r1/scope.csv", "t_start_s,t_end_s\n0.5,10\n");
  put("truth/load_flags.csv", "athlete,run_id,code,date\nanna,r1,load.session_spike,2026-03-02\n"
                              "anna,,load.weekly_ramp,2026-03-02\n");
  gb_truth_set *s = NULL;
  char err[512] = "";
  int rc = gb_truth_read_dir(g_dir, &s, err, sizeof err);
  if (rc) fail_msg("%s", err);
  assert_int_equal(s->n_runs, 2);
  gb_truth_run *r1 = &s->runs[0], *r2 = &s->runs[1];
  assert_string_equal(r1->run_id, "r1");
  assert_string_equal(r1->athlete, "anna");
  assert_string_equal(r2->run_id, "r2");
  assert_string_equal(r2->athlete, "bo");
  assert_int_equal(r2->have, 0);
  assert_int_equal(r1->have, GB_TRUTH_STEPS | GB_TRUTH_CADENCE | GB_TRUTH_EVENTS | GB_TRUTH_RUN |
                                 GB_TRUTH_FLAGS | GB_TRUTH_SCOPE);
  assert_int_equal(r1->n_steps, 3);
  assert_float_equal(r1->steps[0].t_s, 1.25, 0);
  assert_int_equal(r1->steps[0].landing, GB_LANDING_REARFOOT);
  assert_float_equal(r1->steps[0].contact_time_ms, 210.5, 0);
  assert_int_equal(r1->steps[1].side, 1);
  assert_int_equal(r1->steps[1].landing, GB_LANDING_MIDFOOT);
  assert_true(isnan(r1->steps[1].contact_time_ms));
  assert_true(isnan(r1->steps[2].t_s));
  assert_int_equal(r1->n_cadence, 3);
  assert_float_equal(r1->cadence[0].t_s, 1, 0); /* sorted */
  assert_float_equal(r1->cadence[0].cadence_spm, 168, 0);
  assert_int_equal(r1->n_events, 2);
  assert_int_equal(r1->events[0].kind, GB_EVENT_SURGE);
  assert_int_equal(r1->events[1].kind, GB_EVENT_WARMUP_MISSING);
  assert_true(isnan(r1->events[1].value));
  assert_int_equal(r1->landing_pattern, GB_PATTERN_MIXED);
  assert_float_equal(r1->trunk_lean_deg, 7.5, 0);
  assert_float_equal(r1->cadence_mean_spm, 171.2, 0);
  assert_true(isnan(r1->contact_time_ms));
  assert_int_equal(r1->location, GB_LOC_TIBIA);
  assert_int_equal(r1->sensor_side, 1);
  assert_int_equal(r2->sensor_side, -1);
  assert_int_equal(r1->n_flags, 2);
  assert_string_equal(r1->flags[1].code, "landing.rearfoot");
  assert_int_equal(r1->n_scope, 1);
  assert_int_equal(s->have_load_flags, 1);
  assert_int_equal(s->n_load_flags, 2);
  assert_string_equal(s->load_flags[1].run_id, "");
  assert_string_equal(s->load_flags[1].code, "load.weekly_ramp");
  gb_truth_set_free(s);
}

/* Reads run r1 of the dataset and expects failure with msg fragments in err. */
static void expect_error(const char *frag1, const char *frag2)
{
  gb_truth_run r;
  char err[512] = "";
  int rc = gb_truth_read_run(g_dir, "r1", &r, err, sizeof err);
  assert_int_equal(rc, GB_EFORMAT);
  if (!strstr(err, frag1) || !strstr(err, frag2))
    fail_msg("error '%s' lacks '%s' or '%s'", err, frag1, frag2);
  gb_truth_run_clear(&r);
}

static void test_errors_name_file_and_line(void **state)
{
  (void)state;
  put("truth/r1/steps.csv", "t_s,landing\n1.0,rearfoot\n\n1.x5,midfoot\n");
  expect_error("truth/r1/steps.csv:4:", "'1.x5'");
  put("truth/r1/steps.csv", "t_s,landing\n1.0,heel\n");
  expect_error("steps.csv:2:", "landing");
  put("truth/r1/steps.csv", "time,landing\n1.0,rearfoot\n");
  expect_error("steps.csv:1:", "no column 't_s'");
  put("truth/r1/steps.csv", "t_s,landing\n1.0,rearfoot,extra\n");
  expect_error("steps.csv:2:", "3 fields");
  rm("truth/r1/steps.csv");
  put("truth/r1/events.csv", "kind,t_start_s,t_end_s\nsurge,1,2\nsprint,3,4\n");
  expect_error("events.csv:3:", "event kind");
  put("truth/r1/events.csv", "kind,t_start_s,t_end_s\nsurge,5,2\n");
  expect_error("events.csv:2:", "before t_start_s");
  rm("truth/r1/events.csv");
  put("truth/r1/cadence.csv", "t_s,cadence_spm\n1,\n");
  expect_error("cadence.csv:2:", "cadence_spm");
  rm("truth/r1/cadence.csv");
  put("truth/r1/run.csv", "key,value\nlanding_pattern,heel\n");
  expect_error("run.csv:2:", "landing_pattern");
  rm("truth/r1/run.csv");
  put("truth/r1/scope.csv", "t_start_s,t_end_s\n1,\"2\n");
  expect_error("scope.csv:2:", "unterminated");
  rm("truth/r1/scope.csv");
  /* load flags: a bad date names its line */
  put("manifest.csv", "path,run_id\nr1.csv,r1\n");
  put("truth/load_flags.csv", "athlete,run_id,code,date\na,,load.no_base,2026-3-2\n");
  gb_truth_set *s = NULL;
  char err[512] = "";
  assert_int_equal(gb_truth_read_dir(g_dir, &s, err, sizeof err), GB_EFORMAT);
  assert_non_null(strstr(err, "load_flags.csv:2:"));
  assert_null(s);
  rm("truth/load_flags.csv");
}

static void test_missing_files_are_skipped(void **state)
{
  (void)state;
  /* no manifest → ENOENT naming it */
  rm("manifest.csv");
  gb_truth_set *s = NULL;
  char err[512] = "";
  assert_int_equal(gb_truth_read_dir(g_dir, &s, err, sizeof err), GB_ENOENT);
  assert_non_null(strstr(err, "manifest.csv"));
  /* manifest without run_id: the truth sub-folders are the runs, sorted */
  put("manifest.csv", "path,athlete\nx.csv,a\n");
  put("truth/r0/run.csv", "key,value\ntrunk_lean_deg,3\n");
  put("truth/r1/flags.csv", "code\n");
  assert_int_equal(gb_truth_read_dir(g_dir, &s, err, sizeof err), 0);
  assert_int_equal(s->n_runs, 2);
  assert_string_equal(s->runs[0].run_id, "r0");
  assert_int_equal(s->runs[0].have, GB_TRUTH_RUN);
  assert_int_equal(s->runs[1].have, GB_TRUTH_FLAGS);
  assert_int_equal(s->runs[1].n_flags, 0);
  assert_int_equal(s->have_load_flags, 0);
  gb_truth_set_free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_dataset),
      cmocka_unit_test(test_errors_name_file_and_line),
      cmocka_unit_test(test_missing_files_are_skipped),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
