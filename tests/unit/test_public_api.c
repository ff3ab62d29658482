/* The umbrella header compiles on its own, versions agree, and the minimal program
 * of gaitbatch.h works end to end on a generated recording. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaitbatch/gaitbatch.h"

static void versions_agree(void **state)
{
  (void)state;
  assert_int_equal(gb_version_number(), GB_VERSION_NUMBER);
  assert_string_equal(gb_version_string(), GB_VERSION_STRING);
  assert_non_null(strstr(gb_fftw_version(), "fftw"));
  assert_non_null(strstr(gb_sndfile_version(), "libsndfile"));
  assert_string_equal(gb_strerror(GB_EFORMAT), "malformed input");
  assert_string_equal(gb_status_name(GB_EBUSY), "GB_EBUSY");
}

static void minimal_program(void **state)
{
  (void)state;
  char dir[] = "/tmp/gb-api-XXXXXX";
  assert_non_null(mkdtemp(dir));
  gb_synth_spec s;
  gb_synth_spec_init(&s);
  s.location = GB_LOC_TIBIA;
  s.sample_rate_hz = 500;
  s.duration_s = 60;
  s.cadence_spm = 172;
  s.format = GB_SYNTH_FLAC16;
  s.full_scale_g = 16;
  char err[512] = "";
  gb_synth_result truth;
  assert_int_equal(gb_synth_run(&s, dir, "r1", &truth, err, sizeof err), GB_OK);

  gb_config cfg;
  gb_config_defaults(&cfg);
  gb_run_request req;
  gb_run_request_init(&req);
  snprintf(req.meta.path, sizeof req.meta.path, "%s/r1.flac", dir);
  snprintf(req.meta.run_id, sizeof req.meta.run_id, "r1");
  req.meta.location = GB_LOC_TIBIA;
  char report[600];
  snprintf(report, sizeof report, "%s/r1.h5", dir);
  gb_result *res = NULL;
  gb_provenance prov;
  assert_int_equal(gb_analyze_file(&cfg, &req, report, "2026-01-01T00:00:00Z", &res, NULL, NULL,
                                   &prov, err, sizeof err), GB_OK);
  /* the cadence of the truth (which counts a warm-up) within 2 %, and a report that reads back */
  assert_true(fabs(res->summary.cadence_median_spm - 172) < 3.5);
  assert_true(res->summary.n_steps > 0);
  assert_int_equal(prov.analysis_version, GB_ANALYSIS_VERSION);
  gb_result *back = NULL;
  assert_int_equal(gb_report_read_run(report, NULL, NULL, &back, NULL, NULL, err, sizeof err), GB_OK);
  assert_int_equal(back->summary.n_steps, res->summary.n_steps);
  assert_true(back->summary.cadence_median_spm == res->summary.cadence_median_spm);
  gb_result_free(back);
  gb_result_free(res);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(versions_agree),
    cmocka_unit_test(minimal_program),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
