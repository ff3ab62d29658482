/* The analyzer's contract: input validation with messages that name the sample,
 * still input (no cadence, one still bout), a run-walk-still sequence (three bouts
 * in order), recordings shorter than one window, enum names, the fixed cost
 * of an analyzer once the FFT plan exists, and block-size invariance (any split of
 * a recording into pushes gives bit-identical tables). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "gaitbatch/analyzer.h"
#include "gaitbatch/config.h"
#include "gaitbatch/status.h"
#include "helpers/signals.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static uint64_t g_rng = 0x9E3779B97F4A7C15ull;
static double grand(void)
{
  double u[2];
  for (int i = 0; i < 2; i++) {
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    u[i] = ((g_rng * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0);
  }
  if (u[0] < 1e-300) u[0] = 1e-300;
  return sqrt(-2 * log(u[0])) * cos(2 * M_PI * u[1]);
}

static gb_analysis_params defaults(void)
{
  gb_config cfg;
  gb_config_defaults(&cfg);
  return cfg.analysis;
}

static void test_validation(void **state)
{
  (void)state;
  gb_analysis_params p = defaults();
  gb_analyzer *a = NULL;
  gb_analyzer_input bad_rate = {0, 3, GB_LOC_SACRUM, 0};
  assert_int_equal(gb_analyzer_create(&p, &bad_rate, &a), GB_ERANGE);
  assert_non_null(a);
  assert_non_null(strstr(gb_analyzer_errmsg(a), "sample rate"));
  gb_analyzer_free(a);

  /* 240 spm max = 4 Hz steps: 8 Hz is exactly Nyquist and is refused, 8.5 Hz is
   * accepted; 1 Hz (a corrupt header) and 1 MHz (rings of 8 M samples) are refused. */
  const double refused[] = {1.0, 8.0, 1e6};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    gb_analyzer_input r = {refused[i], 3, GB_LOC_SACRUM, 0};
    assert_int_equal(gb_analyzer_create(&p, &r, &a), GB_ERANGE);
    assert_non_null(strstr(gb_analyzer_errmsg(a), "sample rate"));
    gb_analyzer_free(a);
  }
  assert_true(p.cadence_max_spm == 240.0);
  gb_analyzer_input low_ok = {8.5, 3, GB_LOC_SACRUM, 0};
  assert_int_equal(gb_analyzer_create(&p, &low_ok, &a), 0);
  gb_analyzer_free(a);

  gb_analyzer_input bad_ch = {100, 2, GB_LOC_SACRUM, 0};
  assert_int_equal(gb_analyzer_create(&p, &bad_ch, &a), GB_EUNSUPPORTED);
  assert_non_null(strstr(gb_analyzer_errmsg(a), "2 channels"));
  gb_analyzer_free(a);

  gb_analysis_params bad = p;
  bad.window_s = 0;
  gb_analyzer_input ok = {100, 3, GB_LOC_SACRUM, 0};
  assert_int_equal(gb_analyzer_create(&bad, &ok, &a), GB_EINVAL);
  gb_analyzer_free(a);

  /* NaN in the 2nd block: the message names the frame index over the stream */
  assert_int_equal(gb_analyzer_create(&p, &ok, &a), 0);
  float fr[300];
  for (int i = 0; i < 300; i++) fr[i] = (i % 3 == 2) ? 1.0f : 0.0f;
  assert_int_equal(gb_analyzer_push(a, fr, 100), 0);
  fr[3 * 42 + 1] = NAN;
  assert_int_equal(gb_analyzer_push(a, fr, 100), GB_ERANGE);
  assert_non_null(strstr(gb_analyzer_errmsg(a), "sample 142, channel 2: NaN"));
  gb_result *r = NULL;
  assert_int_not_equal(gb_analyzer_finish(a, &r), 0);
  assert_null(r);
  gb_analyzer_free(a);

  assert_int_equal(gb_analyzer_create(&p, &ok, &a), 0);
  fr[3 * 42 + 1] = INFINITY;
  assert_int_equal(gb_analyzer_push(a, fr, 100), GB_ERANGE);
  assert_non_null(strstr(gb_analyzer_errmsg(a), "sample 42, channel 2: Inf"));
  gb_analyzer_free(a);
  gb_analyzer_free(NULL);
  gb_result_free(NULL);
}

static gb_result *run(const float *fr, size_t n, double rate, int ch, gb_location loc)
{
  gb_analysis_params p = defaults();
  gb_analyzer_input in = {rate, ch, loc, 0};
  gb_analyzer *a = NULL;
  assert_int_equal(gb_analyzer_create(&p, &in, &a), 0);
  for (size_t i = 0; i < n; i += 777) {
    size_t m = n - i < 777 ? n - i : 777;
    if (gb_analyzer_push(a, fr + i * (size_t)ch, m)) fail_msg("%s", gb_analyzer_errmsg(a));
  }
  gb_result *r = NULL;
  if (gb_analyzer_finish(a, &r)) fail_msg("%s", gb_analyzer_errmsg(a));
  gb_analyzer_free(a);
  return r;
}

static void test_still(void **state)
{
  (void)state;
  double rate = 100;
  size_t n = 30 * 100;
  float *fr = malloc(n * 3 * sizeof(float));
  for (size_t i = 0; i < n; i++) { /* sensor lying tilted, 5 mg noise */
    fr[3 * i] = (float)(0.6 + 0.005 * grand());
    fr[3 * i + 1] = (float)(0.0 + 0.005 * grand());
    fr[3 * i + 2] = (float)(0.8 + 0.005 * grand());
  }
  gb_result *r = run(fr, n, rate, 3, GB_LOC_TRUNK);
  assert_int_equal(r->n_cadence, 23); /* (30 s - 8 s) / 1 s + 1 */
  for (size_t i = 0; i < r->n_cadence; i++) {
    assert_true(r->cadence[i].cadence_spm == 0);
    assert_true(r->cadence[i].confidence == 0);
  }
  assert_int_equal(r->n_bouts, 1);
  assert_int_equal(r->bouts[0].kind, GB_BOUT_STILL);
  assert_float_equal(r->bouts[0].t_start_s, 0, 1e-9);
  assert_float_equal(r->bouts[0].t_end_s, 30, 1e-9);
  assert_float_equal(r->summary.duration_s, 30, 1e-9);
  assert_float_equal(r->summary.still_s, 30, 1e-9);
  assert_true(isnan(r->summary.cadence_mean_spm));
  gb_result_free(r);
  free(fr);
}

/* Trunk vertical acceleration: running (half-sine stances with flight at 0 g),
 * walking (smooth step-rate oscillation, no flight), still. */
static double trunk(double t, double *spm_out)
{
  if (t < 40) { /* running 170 spm */
    double T = 60.0 / 170, d = fmod(t, T), tc = 0.22;
    *spm_out = 170;
    return d < tc ? M_PI / 2 * T / tc * sin(M_PI * d / tc) : 0.0;
  }
  if (t < 80) { /* walking 110 spm */
    double f = 110 / 60.0;
    *spm_out = 110;
    return 1 + 0.25 * sin(2 * M_PI * f * t) + 0.08 * sin(4 * M_PI * f * t);
  }
  *spm_out = 0;
  return 1.0;
}

static void test_run_walk_still(void **state)
{
  (void)state;
  double rate = 200;
  size_t n = (size_t)(120 * rate);
  float *fr = malloc(n * sizeof(float));
  for (size_t i = 0; i < n; i++) {
    double spm;
    fr[i] = (float)(trunk((double)i / rate, &spm) + 0.02 * grand());
  }
  gb_result *r = run(fr, n, rate, 1, GB_LOC_SACRUM);
  for (size_t i = 0; i < r->n_bouts; i++)
    printf("  bout %zu: %-8s %6.1f-%6.1f s, cadence %.1f spm, %d steps\n", i,
           gb_bout_kind_name((gb_bout_kind)r->bouts[i].kind), r->bouts[i].t_start_s,
           r->bouts[i].t_end_s, r->bouts[i].cadence_spm, r->bouts[i].n_steps);
  assert_int_equal(r->n_bouts, 3);
  assert_int_equal(r->bouts[0].kind, GB_BOUT_RUNNING);
  assert_int_equal(r->bouts[1].kind, GB_BOUT_WALKING);
  assert_int_equal(r->bouts[2].kind, GB_BOUT_STILL);
  /* boundaries within half an 8 s window of the truth */
  assert_true(fabs(r->bouts[0].t_end_s - 40) <= 4);
  assert_true(fabs(r->bouts[1].t_end_s - 80) <= 4);
  assert_float_equal(r->bouts[2].t_end_s, 120, 1e-9);
  assert_float_equal(r->bouts[0].cadence_spm, 170, 0.5);
  assert_float_equal(r->bouts[1].cadence_spm, 110, 0.5);
  assert_float_equal(r->summary.running_s + r->summary.walking_s + r->summary.still_s, 120, 1e-6);
  /* bout step counts partition the step table */
  int32_t total = 0;
  for (size_t i = 0; i < r->n_bouts; i++) total += r->bouts[i].n_steps;
  assert_int_equal(total, (int32_t)r->n_steps);
  for (size_t i = 0; i < r->n_steps; i++) {
    size_t b = 0;
    while (b + 1 < r->n_bouts && r->steps[i].t_s >= r->bouts[b].t_end_s) b++;
    assert_int_equal(r->steps[i].bout_kind, r->bouts[b].kind);
  }
  gb_result_free(r);
  free(fr);
}

static void test_short_recordings(void **state)
{
  (void)state;
  double rate = 500;
  size_t n = (size_t)(5 * rate);
  float *fr = malloc(n * sizeof(float));
  for (size_t i = 0; i < n; i++) {
    double spm;
    fr[i] = (float)(trunk((double)i / rate, &spm) + 0.02 * grand());
  }
  gb_result *r = run(fr, n, rate, 1, GB_LOC_SACRUM);
  assert_int_equal(r->n_cadence, 1);
  assert_float_equal(r->cadence[0].t_s, 2.5, 1e-9);
  assert_float_equal(r->cadence[0].cadence_spm, 170, 0.5);
  assert_non_null(strstr(r->notes, "shorter than the 8 s cadence window"));
  gb_result_free(r);
  /* 1.5 s: too short for any cadence, said in the notes */
  r = run(fr, (size_t)(1.5 * rate), rate, 1, GB_LOC_SACRUM);
  assert_int_equal(r->n_cadence, 0);
  assert_non_null(strstr(r->notes, "no cadence"));
  gb_result_free(r);
  /* zero frames still gives an (empty) result */
  r = run(fr, 0, rate, 1, GB_LOC_SACRUM);
  assert_int_equal(r->n_cadence, 0);
  assert_int_equal(r->n_bouts, 0);
  gb_result_free(r);
  free(fr);
}

static void test_names(void **state)
{
  (void)state;
  assert_string_equal(gb_bout_kind_name(GB_BOUT_RUNNING), "running");
  assert_string_equal(gb_bout_kind_name(GB_BOUT_STILL), "still");
  assert_string_equal(gb_bout_kind_name((gb_bout_kind)99), "unknown");
  assert_string_equal(gb_landing_name(GB_LANDING_REARFOOT), "rearfoot");
  assert_string_equal(gb_landing_name(GB_LANDING_MIDFOOT), "midfoot");
  assert_string_equal(gb_landing_pattern_name(GB_PATTERN_MIXED), "mixed");
  assert_string_equal(gb_event_kind_name(GB_EVENT_WARMUP_MISSING), "warmup_missing");
  assert_string_equal(gb_event_kind_name(GB_EVENT_FATIGUE_DRIFT), "fatigue_drift");
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void test_fixed_cost(void **state)
{
  (void)state;
  gb_analysis_params p = defaults();
  gb_analyzer_input in = {100, 3, GB_LOC_SACRUM, 0};
  gb_analyzer *a = NULL;
  assert_int_equal(gb_analyzer_create(&p, &in, &a), 0); /* makes the plan */
  gb_analyzer_free(a);
  double t0 = now_s();
  int reps = 200;
  for (int i = 0; i < reps; i++) {
    assert_int_equal(gb_analyzer_create(&p, &in, &a), 0);
    gb_result *r = NULL;
    assert_int_equal(gb_analyzer_finish(a, &r), 0);
    gb_result_free(r);
    gb_analyzer_free(a);
  }
  double per = (now_s() - t0) / reps * 1e3;
  printf("  create+finish+free of an empty analyzer: %.3f ms\n", per);
  /* stage CPU times are reported and only grow */
  assert_int_equal(gb_analyzer_create(&p, &in, &a), 0);
  float fr[3 * 1000];
  for (int i = 0; i < 3000; i++) fr[i] = (i % 3 == 2) ? 1.0f + 0.1f * (float)sin(0.3 * i) : 0.0f;
  gb_stage_times st0, st1;
  gb_analyzer_stage_times(a, &st0);
  for (int k = 0; k < 20; k++) assert_int_equal(gb_analyzer_push(a, fr, 1000), 0);
  gb_analyzer_stage_times(a, &st1);
  assert_true(st1.preprocess_s >= st0.preprocess_s && st1.cadence_s >= st0.cadence_s);
  assert_true(st1.preprocess_s + st1.cadence_s + st1.contacts_s + st1.posture_s > 0);
  gb_result *r = NULL;
  assert_int_equal(gb_analyzer_finish(a, &r), 0);
  gb_analyzer_stage_times(a, &st1);
  assert_true(st1.finish_s >= 0);
  gb_result_free(r);
  gb_analyzer_free(a);
  /* 1 ms target in release builds; sanitizers slow allocation several-fold */
  assert_true(per < 5.0);
}

/* Runs a recording through the analyzer in pushes of `block` frames (0 = whole). */
static gb_result *run_blocks(const float *fr, size_t n, double rate, int ch, size_t block)
{
  gb_analysis_params p = defaults();
  gb_analyzer_input in = {rate, ch, GB_LOC_SACRUM, 16};
  gb_analyzer *a = NULL;
  assert_int_equal(gb_analyzer_create(&p, &in, &a), 0);
  if (block == 0) block = n;
  for (size_t i = 0; i < n; i += block) {
    size_t m = n - i < block ? n - i : block;
    if (gb_analyzer_push(a, fr + i * (size_t)ch, m)) fail_msg("%s", gb_analyzer_errmsg(a));
  }
  gb_result *r = NULL;
  if (gb_analyzer_finish(a, &r)) fail_msg("%s", gb_analyzer_errmsg(a));
  gb_analyzer_free(a);
  return r;
}

/* bitwise field equality (NaN-safe; skips the struct's padding bytes) */
#define SAME_FIELD(x, y, f) (memcmp(&(x).f, &(y).f, sizeof (x).f) == 0)

static void assert_same_steps(const gb_result *a, const gb_result *b, size_t block)
{
  if (a->n_steps != b->n_steps)
    fail_msg("block %zu: %zu steps, whole push %zu", block, b->n_steps, a->n_steps);
  for (size_t i = 0; i < a->n_steps; i++) {
    const gb_step x = a->steps[i], y = b->steps[i];
    if (!(SAME_FIELD(x, y, t_s) && SAME_FIELD(x, y, peak_g) && SAME_FIELD(x, y, loading_rate_gps) &&
          SAME_FIELD(x, y, time_to_peak_ms) && SAME_FIELD(x, y, impact_ratio) &&
          SAME_FIELD(x, y, contact_time_ms) && SAME_FIELD(x, y, vertical_osc_cm) &&
          SAME_FIELD(x, y, landing) && SAME_FIELD(x, y, clipped) && SAME_FIELD(x, y, side) &&
          SAME_FIELD(x, y, bout_kind)))
      fail_msg("block %zu: step %zu differs (t %.9f vs %.9f s)", block, i, y.t_s, x.t_s);
  }
}

/* Chunk boundaries (and the cadence hint given to contacts once per chunk) are
 * absolute frame positions: pushing one sacrum recording whole or in blocks of 1,
 * 333 and 4097 frames gives bit-identical steps and cadence. The cadence ramps so
 * that the hint changes from chunk to chunk (a split-dependent hint shows). */
static void test_block_size_invariance(void **state)
{
  (void)state;
  gbt_spec sp;
  memset(&sp, 0, sizeof sp);
  sp.fs = 200;
  sp.site = GBT_SITE_TRUNK;
  sp.channels = 3;
  sp.noise_sd = 0.03;
  sp.seed = 11;
  sp.n_seg = 4;
  sp.seg[0] = (gbt_segment){GBT_STILL, 10, 0, 0, 1, 0, 5, 0, 0};
  sp.seg[1] = (gbt_segment){GBT_WALK, 30, 105, 120, 1, 0, 5, 0, 0.05};
  sp.seg[2] = (gbt_segment){GBT_RUN, 50, 155, 188, 1, 0.3, 8, 0, 0.08};
  sp.seg[3] = (gbt_segment){GBT_RUN, 30, 188, 165, 1, 0.3, 8, 0, 0.08};
  gbt_signal sig;
  assert_int_equal(gbt_build(&sp, &sig), 0);
  gb_result *whole = run_blocks(sig.frames, sig.n, sp.fs, 3, 0);
  /* the test is only meaningful with many steps and a moving cadence */
  assert_true(whole->n_steps > 200);
  assert_true(whole->n_cadence > 100);
  const size_t blocks[] = {1, 333, 1024, 4097};
  for (size_t k = 0; k < sizeof blocks / sizeof blocks[0]; k++) {
    gb_result *r = run_blocks(sig.frames, sig.n, sp.fs, 3, blocks[k]);
    assert_same_steps(whole, r, blocks[k]);
    assert_int_equal(r->n_cadence, whole->n_cadence);
    assert_memory_equal(r->cadence, whole->cadence, whole->n_cadence * sizeof *whole->cadence);
    assert_int_equal(r->n_bouts, whole->n_bouts);
    assert_int_equal(r->n_events, whole->n_events);
    assert_true(SAME_FIELD(r->summary, whole->summary, cadence_mean_spm) &&
                SAME_FIELD(r->summary, whole->summary, contact_time_ms) &&
                SAME_FIELD(r->summary, whole->summary, duration_s));
    gb_result_free(r);
  }
  gb_result_free(whole);
  gbt_free(&sig);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validation),     cmocka_unit_test(test_still),
      cmocka_unit_test(test_run_walk_still), cmocka_unit_test(test_short_recordings),
      cmocka_unit_test(test_names),          cmocka_unit_test(test_fixed_cost),
      cmocka_unit_test(test_block_size_invariance),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
