/* gaitbatch eval: metrics on hand-made in-memory cases (no files, no HDF5). Every
 * expected number below is worked out by hand in the comment next to it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eval/eval_internal.h"
#include "gaitbatch/eval.h"

#define MAX_STEPS 64

typedef struct fixture {
  gb_truth_run truth;
  gb_truth_step tsteps[MAX_STEPS];
  gb_result res;
  gb_step dsteps[MAX_STEPS];
} fixture;

static void fx_init(fixture *f)
{
  memset(f, 0, sizeof *f);
  gb_truth_run_init(&f->truth);
  f->truth.steps = f->tsteps;
  f->res.steps = f->dsteps;
  f->res.summary.duration_s = NAN;
  f->res.summary.trunk_lean_deg = NAN;
  f->res.summary.contact_time_ms = NAN;
  f->res.summary.cadence_mean_spm = NAN;
}

static void truth_step(fixture *f, double t, int landing, double ct)
{
  gb_truth_step *s = &f->tsteps[f->truth.n_steps++];
  s->t_s = t;
  s->landing = landing;
  s->contact_time_ms = ct;
  s->peak_g = NAN;
  s->side = -1;
  f->truth.have |= GB_TRUTH_STEPS;
}

static void det_step(fixture *f, double t, int landing, float ct)
{
  gb_step *s = &f->dsteps[f->res.n_steps++];
  memset(s, 0, sizeof *s);
  s->t_s = t;
  s->landing = (int8_t)landing;
  s->contact_time_ms = ct;
}

/* Metric value by name from a tally (fails the test if absent). */
static double metric(const gb_eval_tally *t, const char *name, long *n)
{
  gb_eval_params p;
  gb_eval_params_defaults(&p);
  gb_eval_metric *m = NULL;
  size_t nm = 0;
  assert_int_equal(gb_eval_metrics(t, &p, &m, &nm), 0);
  for (size_t i = 0; i < nm; i++)
    if (strcmp(m[i].name, name) == 0) {
      double v = m[i].value;
      if (n) *n = m[i].n;
      free(m);
      return v;
    }
  free(m);
  fail_msg("metric %s not found", name);
  return NAN;
}

static void score(fixture *f, gb_eval_tally *t)
{
  gb_eval_params p;
  gb_eval_params_defaults(&p);
  assert_int_equal(gb_eval_run(&p, &f->truth, &f->res, NULL, 0, t), 0);
}

/* Ten steps at a 0.36 s period (166.7 spm) starting at 1 s. */
static void ten_steps(fixture *f, int with_detections)
{
  for (int i = 0; i < 10; i++) {
    truth_step(f, 1.0 + 0.36 * i, 1, NAN);
    if (with_detections) det_step(f, 1.0 + 0.36 * i, 1, NAN);
  }
}

static void test_perfect_match(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  ten_steps(&f, 1);
  gb_truth_cadence tc[3] = {{0, 160}, {5, 160}, {10, 160}};
  gb_cadence_row rc[3] = {{2.0, 160.0f, 0.9f}, {5.0, 160.0f, 0.8f}, {7.5, 160.0f, 1.0f}};
  f.truth.cadence = tc;
  f.truth.n_cadence = 3;
  f.truth.have |= GB_TRUTH_CADENCE;
  f.res.cadence = rc;
  f.res.n_cadence = 3;
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  long n;
  assert_float_equal(metric(&t, "steps_precision", &n), 1.0, 0);
  assert_int_equal(n, 10);
  assert_float_equal(metric(&t, "steps_recall", &n), 1.0, 0);
  assert_int_equal(n, 10);
  assert_float_equal(metric(&t, "steps_f1", NULL), 1.0, 0);
  assert_float_equal(metric(&t, "step_timing_median_ms", &n), 0.0, 0);
  assert_int_equal(n, 10);
  assert_float_equal(metric(&t, "step_timing_iqr_ms", NULL), 0.0, 0);
  assert_float_equal(metric(&t, "cadence_mae_spm", &n), 0.0, 0);
  assert_int_equal(n, 3);
  assert_float_equal(metric(&t, "cadence_max_err_spm", NULL), 0.0, 0);
  /* every step rearfoot on both sides: accuracy 1 */
  assert_float_equal(metric(&t, "landing_step_accuracy", &n), 1.0, 0);
  assert_int_equal(n, 10);
  assert_float_equal(metric(&t, "landing_step_rearfoot_as_rearfoot", NULL), 10.0, 0);
  gb_eval_tally_clear(&t);
}

static void test_shift_beyond_tolerance(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  ten_steps(&f, 1);
  f.dsteps[4].t_s += 0.040; /* 40 ms > 25 ms: a miss and a false positive */
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_int_equal(t.steps_tp, 9);
  assert_int_equal(t.steps_fp, 1);
  assert_int_equal(t.steps_fn, 1);
  assert_float_equal(metric(&t, "steps_precision", NULL), 9.0 / 10.0, 1e-12);
  assert_float_equal(metric(&t, "steps_recall", NULL), 9.0 / 10.0, 1e-12);
  assert_float_equal(metric(&t, "steps_f1", NULL), 18.0 / 20.0, 1e-12);
  gb_eval_tally_clear(&t);
  /* within tolerance (20 ms) it still matches, timing error +20 ms */
  fx_init(&f);
  ten_steps(&f, 1);
  f.dsteps[4].t_s += 0.020;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_int_equal(t.steps_tp, 10);
  assert_int_equal(t.steps_fp, 0);
  assert_int_equal(t.n_dt, 10);
  assert_float_equal(t.dt_ms[4], 20.0, 1e-9);
  gb_eval_tally_clear(&t);
}

static void test_missing_step_lowers_recall_only(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  ten_steps(&f, 0);
  for (int i = 0; i < 10; i++)
    if (i != 6) det_step(&f, f.tsteps[i].t_s, 1, NAN);
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_float_equal(metric(&t, "steps_precision", NULL), 1.0, 0);
  assert_float_equal(metric(&t, "steps_recall", NULL), 9.0 / 10.0, 1e-12);
  gb_eval_tally_clear(&t);
}

static void test_extra_step_lowers_precision_only(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  ten_steps(&f, 1);
  det_step(&f, 1.0 + 0.36 * 2 + 0.18, 1, NAN); /* half-way between two steps: 180 ms off */
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_float_equal(metric(&t, "steps_precision", NULL), 10.0 / 11.0, 1e-12);
  assert_float_equal(metric(&t, "steps_recall", NULL), 1.0, 0);
  gb_eval_tally_clear(&t);
}

static void test_one_to_one_greedy(void **state)
{
  (void)state;
  /* Two detections near one truth: the nearer (4 ms) matches, the other (10 ms) is a
   * false positive; a detection between truths 30 ms apart goes to the nearer one. */
  double truth[3] = {1.000, 2.000, 2.030};
  double det[4] = {0.990, 1.004, 2.012, 2.031};
  long mt[3], md[4];
  assert_int_equal(gb_eval_match(truth, 3, det, 4, 0.025, mt, md), 3);
  assert_int_equal(mt[0], 1);
  assert_int_equal(md[0], -1);
  /* |2.031-2.030| = 1 ms is the smallest pair, so 2.030 takes 2.031 and 2.000 takes
   * 2.012 (12 ms) */
  assert_int_equal(mt[2], 3);
  assert_int_equal(mt[1], 2);
  /* exactly at the tolerance matches (binary rounding of 25 ms is absorbed) */
  double t1[1] = {0.5}, d1[1] = {0.525};
  long a, b;
  assert_int_equal(gb_eval_match(t1, 1, d1, 1, 0.025, &a, &b), 1);
  /* NaN truth never matches */
  double t2[1] = {NAN};
  assert_int_equal(gb_eval_match(t2, 1, d1, 1, 0.025, &a, &b), 0);
}

static void test_timing_median_iqr(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  /* errors -10, 0, 5, 10, 20 ms: sorted, median = 5; type-7 quartiles at positions
   * 1 and 3 → Q1 = 0, Q3 = 10, IQR = 10 */
  const double err_ms[5] = {10, -10, 20, 0, 5};
  for (int i = 0; i < 5; i++) {
    truth_step(&f, 2.0 * (i + 1), 0, NAN);
    det_step(&f, 2.0 * (i + 1) + err_ms[i] / 1000.0, 0, NAN);
  }
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  long n;
  assert_float_equal(metric(&t, "step_timing_median_ms", &n), 5.0, 1e-9);
  assert_int_equal(n, 5);
  assert_float_equal(metric(&t, "step_timing_iqr_ms", NULL), 10.0, 1e-9);
  /* even count: add +30 ms → sorted -10,0,5,10,20,30: median (5+10)/2 = 7.5;
   * Q1 at 1.25 → 0 + 0.25·5 = 1.25; Q3 at 3.75 → 10 + 0.75·10 = 17.5; IQR 16.25 */
  double x[6] = {-10, 0, 5, 10, 20, 30};
  assert_float_equal(gb_eval_quantile_sorted(x, 6, 0.5), 7.5, 1e-12);
  assert_float_equal(gb_eval_quantile_sorted(x, 6, 0.75) - gb_eval_quantile_sorted(x, 6, 0.25),
                     16.25, 1e-12);
  gb_eval_tally_clear(&t);
}

static void test_landing_confusion(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  /* truth  R R R M M ?   (R rearfoot 1, M midfoot 2, ? unknown 0)
   * result R M ? M R R
   * → R as R 1, R as M 1, R as unknown 1, M as M 1, M as R 1; truth-unknown not scored;
   * accuracy = 2 right / 4 known = 0.5; unknown = 1 */
  const int tl[6] = {1, 1, 1, 2, 2, 0}, rl[6] = {1, 2, 0, 2, 1, 1};
  for (int i = 0; i < 6; i++) {
    truth_step(&f, 1.0 + i, tl[i], NAN);
    det_step(&f, 1.0 + i, rl[i], NAN);
  }
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  long n;
  assert_int_equal(t.landing_step[0][0], 1);
  assert_int_equal(t.landing_step[0][1], 1);
  assert_int_equal(t.landing_step[0][2], 1);
  assert_int_equal(t.landing_step[1][0], 1);
  assert_int_equal(t.landing_step[1][1], 1);
  assert_int_equal(t.landing_step[1][2], 0);
  assert_float_equal(metric(&t, "landing_step_accuracy", &n), 0.5, 0);
  assert_int_equal(n, 4);
  assert_float_equal(metric(&t, "landing_step_unknown", NULL), 1.0, 0);
  /* unknown results counted wrong: 2 right / 5 steps with a known truth */
  assert_float_equal(metric(&t, "landing_step_accuracy_all", &n), 0.4, 1e-12);
  assert_int_equal(n, 5);
  assert_float_equal(metric(&t, "landing_step_midfoot_as_rearfoot", NULL), 1.0, 0);

  /* per run: truth rearfoot / result rearfoot, truth midfoot / result mixed,
   * truth midfoot / result unknown → accuracy 1/2, unknown 1 */
  const int tp[3] = {GB_PATTERN_REARFOOT, GB_PATTERN_MIDFOOT, GB_PATTERN_MIDFOOT};
  const int rp[3] = {GB_PATTERN_REARFOOT, GB_PATTERN_MIXED, GB_PATTERN_UNKNOWN};
  gb_eval_tally runs;
  gb_eval_tally_init(&runs);
  for (int i = 0; i < 3; i++) {
    fx_init(&f);
    f.truth.landing_pattern = tp[i];
    f.truth.have = GB_TRUTH_RUN;
    f.res.summary.landing_pattern = rp[i];
    score(&f, &runs);
  }
  assert_float_equal(metric(&runs, "landing_run_accuracy", &n), 0.5, 0);
  assert_int_equal(n, 2);
  assert_float_equal(metric(&runs, "landing_run_unknown", NULL), 1.0, 0);
  assert_float_equal(metric(&runs, "landing_run_midfoot_as_mixed", NULL), 1.0, 0);
  assert_float_equal(metric(&runs, "landing_run_rearfoot_as_rearfoot", NULL), 1.0, 0);
  gb_eval_tally_clear(&t);
  gb_eval_tally_clear(&runs);
}

static void test_cadence_mae(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  /* truth 160 at 0 and 1 s, 170 at 2 s, 0 at 3 and 4 s (stopped) */
  gb_truth_cadence tc[5] = {{0, 160}, {1, 160}, {2, 170}, {3, 0}, {4, 0}};
  /* 0.5 s: 162 vs 160 → 2; 1.5 s: 160 vs (160+170)/2 = 165 → 5;
   * 1.0 s with confidence 0: skipped; 2.5 s: a neighbour is 0 → skipped;
   * 3.5 s: truth 0 → skipped; 20 s: outside the truth → skipped.
   * MAE = (2 + 5) / 2 = 3.5, max 5, n 2 */
  gb_cadence_row rc[6] = {{0.5, 162.f, 1.f}, {1.0, 100.f, 0.f}, {1.5, 160.f, .5f},
                          {2.5, 150.f, 1.f}, {3.5, 150.f, 1.f}, {20., 150.f, 1.f}};
  f.truth.cadence = tc;
  f.truth.n_cadence = 5;
  f.truth.have = GB_TRUTH_CADENCE;
  f.res.cadence = rc;
  f.res.n_cadence = 6;
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  long n;
  assert_float_equal(metric(&t, "cadence_mae_spm", &n), 3.5, 1e-9);
  assert_int_equal(n, 2);
  assert_float_equal(metric(&t, "cadence_max_err_spm", NULL), 5.0, 1e-9);
  gb_eval_tally_clear(&t);

  /* a hole in the reference (rows 1 s apart, then a 8 s gap) is not interpolated */
  gb_truth_cadence tg[6] = {{0, 150}, {1, 150}, {2, 150}, {10, 150}, {11, 150}, {12, 150}};
  gb_cadence_row rg[2] = {{5.0, 140.f, 1.f}, {11.5, 140.f, 1.f}};
  fx_init(&f);
  f.truth.cadence = tg;
  f.truth.n_cadence = 6;
  f.truth.have = GB_TRUTH_CADENCE;
  f.res.cadence = rg;
  f.res.n_cadence = 2;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_int_equal(t.cad_n, 1);
  assert_float_equal(metric(&t, "cadence_mae_spm", NULL), 10.0, 1e-9);
  gb_eval_tally_clear(&t);
}

static void test_contact_time(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  /* truth 200 ms each; result 210, 190, unknown, 230 → matched with both known:
   * errors +10, -10, +30 → MAE 50/3, bias 30/3 = 10; run: summary 215 vs mean of truth
   * steps 200 → +15 */
  truth_step(&f, 1.0, 0, 200);
  truth_step(&f, 1.5, 0, 200);
  truth_step(&f, 2.0, 0, 200);
  truth_step(&f, 2.5, 0, 200);
  det_step(&f, 1.0, 0, 210.f);
  det_step(&f, 1.5, 0, 190.f);
  det_step(&f, 2.0, 0, NAN);
  det_step(&f, 2.5, 0, 230.f);
  f.res.summary.contact_time_ms = 215.f;
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  long n;
  assert_float_equal(metric(&t, "contact_time_mae_ms", &n), 50.0 / 3.0, 1e-9);
  assert_int_equal(n, 3);
  assert_float_equal(metric(&t, "contact_time_bias_ms", NULL), 10.0, 1e-9);
  assert_float_equal(metric(&t, "contact_time_run_bias_ms", &n), 15.0, 1e-9);
  assert_int_equal(n, 1);
  gb_eval_tally_clear(&t);
}

static void test_scope_and_untimed(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  /* truth steps at 1..10 s plus one untimed; scope [2.5, 6.5] → in scope 3,4,5,6.
   * Detections: all but 5 s, plus 3.3 (inside: false) and 8.3 (outside: ignored).
   * TP 3, FN 1 + 1 untimed = 2, FP 1 */
  for (int i = 1; i <= 10; i++) truth_step(&f, i, 0, NAN);
  truth_step(&f, NAN, 0, NAN);
  for (int i = 1; i <= 10; i++)
    if (i != 5) det_step(&f, i, 0, NAN);
  det_step(&f, 3.3, 0, NAN);
  det_step(&f, 8.3, 0, NAN);
  gb_truth_span sc = {2.5, 6.5};
  f.truth.scope = &sc;
  f.truth.n_scope = 1;
  f.truth.have |= GB_TRUTH_SCOPE;
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_int_equal(t.steps_tp, 3);
  assert_int_equal(t.steps_fn, 2);
  assert_int_equal(t.steps_fp, 1);
  assert_int_equal(t.steps_untimed, 1);
  assert_float_equal(metric(&t, "steps_recall", NULL), 3.0 / 5.0, 1e-12);
  assert_float_equal(metric(&t, "steps_precision", NULL), 3.0 / 4.0, 1e-12);
  gb_eval_tally_clear(&t);
}

static void test_events_overlap(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  gb_truth_event te[2] = {{GB_EVENT_SURGE, 100, 105, NAN}, {GB_EVENT_FATIGUE_DRIFT, 600, 1200, NAN}};
  /* surge 108–110 overlaps 100–105 within the 10 s slack → match;
   * fatigue drift 1300–1400 starts 100 s after 1200 → no match (FP + FN);
   * abrupt stop with no truth → FP. P = 1/3, R = 1/2; 2 false in 0.5 h → 4 per hour */
  gb_event re[3] = {{108, 110, GB_EVENT_SURGE, 0, 0},
                    {1300, 1400, GB_EVENT_FATIGUE_DRIFT, 0, 0},
                    {50, 51, GB_EVENT_ABRUPT_STOP, 0, 0}};
  f.truth.events = te;
  f.truth.n_events = 2;
  f.truth.have = GB_TRUTH_EVENTS;
  f.res.events = re;
  f.res.n_events = 3;
  f.res.summary.duration_s = 1800;
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_float_equal(metric(&t, "events_precision", NULL), 1.0 / 3.0, 1e-12);
  assert_float_equal(metric(&t, "events_recall", NULL), 0.5, 1e-12);
  assert_float_equal(metric(&t, "events_false_per_hour", NULL), 4.0, 1e-12);
  assert_float_equal(metric(&t, "events_surge_recall", NULL), 1.0, 0);
  assert_float_equal(metric(&t, "events_fatigue_drift_recall", NULL), 0.0, 0);
  assert_float_equal(metric(&t, "events_abrupt_stop_precision", NULL), 0.0, 0);
  gb_eval_tally_clear(&t);
}

static void test_run_flags(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  gb_truth_flag tf[2] = {{"impact.high", NAN, NAN}, {"landing.rearfoot", NAN, NAN}};
  gb_flag rf[3];
  memset(rf, 0, sizeof rf);
  strcpy(rf[0].code, "impact.high");
  strcpy(rf[1].code, "impact.high");
  strcpy(rf[2].code, "cadence.low");
  f.truth.flags = tf;
  f.truth.n_flags = 2;
  f.truth.have = GB_TRUTH_FLAGS;
  gb_eval_params p;
  gb_eval_params_defaults(&p);
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  assert_int_equal(gb_eval_run(&p, &f.truth, &f.res, rf, 3, &t), 0);
  /* distinct codes: {impact.high, cadence.low} vs {impact.high, landing.rearfoot} */
  assert_int_equal(t.flag_tp, 1);
  assert_int_equal(t.flag_fp, 1);
  assert_int_equal(t.flag_fn, 1);
  assert_float_equal(metric(&t, "flags_precision", NULL), 0.5, 0);
  assert_float_equal(metric(&t, "flags_recall", NULL), 0.5, 0);
  /* by code: impact.high found (1/1), cadence.low raised but not expected, landing.rearfoot
   * expected but not raised */
  long n;
  assert_float_equal(metric(&t, "flags_impact.high_precision", &n), 1.0, 0);
  assert_int_equal(n, 1);
  assert_float_equal(metric(&t, "flags_impact.high_recall", &n), 1.0, 0);
  assert_int_equal(n, 1);
  assert_float_equal(metric(&t, "flags_cadence.low_precision", &n), 0.0, 0);
  assert_int_equal(n, 1);
  assert_true(isnan(metric(&t, "flags_cadence.low_recall", &n)));
  assert_int_equal(n, 0);
  assert_float_equal(metric(&t, "flags_landing.rearfoot_recall", &n), 0.0, 0);
  assert_int_equal(n, 1);
  /* a second run raising landing.rearfoot when expected: pooled recall 1/2 */
  gb_truth_flag tf2[1] = {{"landing.rearfoot", NAN, NAN}};
  gb_flag rf2[1];
  memset(rf2, 0, sizeof rf2);
  strcpy(rf2[0].code, "landing.rearfoot");
  f.truth.flags = tf2;
  f.truth.n_flags = 1;
  gb_eval_tally t2;
  gb_eval_tally_init(&t2);
  assert_int_equal(gb_eval_run(&p, &f.truth, &f.res, rf2, 1, &t2), 0);
  assert_int_equal(gb_eval_tally_merge(&t, &t2), 0);
  assert_float_equal(metric(&t, "flags_landing.rearfoot_recall", &n), 0.5, 0);
  assert_int_equal(n, 2);
  assert_int_equal(t.n_codes, 3);
  assert_string_equal(t.codes[0].code, "cadence.low"); /* sorted by code */
  gb_eval_tally_clear(&t);
  gb_eval_tally_clear(&t2);
}

static void test_load_flags(void **state)
{
  (void)state;
  gb_truth_load_flag tl[3] = {{"a1", "a1_r5", "load.session_spike", "2026-03-05"},
                              {"a1", "", "load.weekly_ramp", "2026-03-02"},
                              {"a2", "a2_r9", "load.acwr_high", "2026-03-10"}};
  gb_flag_row rows[4];
  memset(rows, 0, sizeof rows);
  /* day numbers: 2026-03-05 = 20517, 2026-03-09 = 20521, 2026-03-10 = 20522 (Python
   * date arithmetic); a run flag (impact.high) is ignored */
  strcpy(rows[0].athlete, "a1");
  strcpy(rows[0].flag.code, "load.session_spike");
  rows[0].flag.t_start_s = 20517.3;
  strcpy(rows[1].athlete, "a1");
  strcpy(rows[1].flag.code, "load.weekly_ramp");
  rows[1].flag.t_start_s = 20521; /* the wrong Monday: a false flag and a miss */
  strcpy(rows[2].athlete, "a2");
  strcpy(rows[2].flag.code, "load.acwr_high");
  rows[2].flag.t_start_s = 20522;
  strcpy(rows[3].athlete, "a2");
  strcpy(rows[3].flag.code, "impact.high");
  rows[3].flag.t_start_s = 12.0;
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  assert_int_equal(gb_eval_load_flags(tl, 3, rows, 4, &t), 0);
  assert_int_equal(t.load_tp, 2);
  assert_int_equal(t.load_fp, 1);
  assert_int_equal(t.load_fn, 1);
  assert_float_equal(metric(&t, "load_flags_precision", NULL), 2.0 / 3.0, 1e-12);
  assert_float_equal(metric(&t, "load_flags_recall", NULL), 2.0 / 3.0, 1e-12);
  /* by code: session_spike and acwr_high found, weekly_ramp raised on a wrong date */
  long n;
  assert_float_equal(metric(&t, "flags_load.session_spike_recall", &n), 1.0, 0);
  assert_int_equal(n, 1);
  assert_float_equal(metric(&t, "flags_load.weekly_ramp_precision", &n), 0.0, 0);
  assert_int_equal(n, 1);
  assert_float_equal(metric(&t, "flags_load.weekly_ramp_recall", &n), 0.0, 0);
  assert_int_equal(n, 1);
  gb_eval_tally_clear(&t);
  /* leap day and epoch */
  gb_truth_load_flag tl2[2] = {{"x", "", "load.no_base", "2000-02-29"},
                               {"x", "", "load.no_base", "1970-01-01"}};
  rows[0].flag.t_start_s = 11016;
  strcpy(rows[0].athlete, "x");
  strcpy(rows[0].flag.code, "load.no_base");
  rows[1] = rows[0];
  rows[1].flag.t_start_s = 0.5;
  gb_eval_tally t2;
  gb_eval_tally_init(&t2);
  assert_int_equal(gb_eval_load_flags(tl2, 2, rows, 2, &t2), 0);
  assert_int_equal(t2.load_tp, 2);
  assert_int_equal(t2.load_fp + t2.load_fn, 0);
  gb_eval_tally_clear(&t2);
}

static void test_pooling_and_skipped(void **state)
{
  (void)state;
  fixture f;
  gb_eval_tally pooled, one;
  gb_eval_tally_init(&pooled);
  /* run 1: 10/10; run 2: 9 of 10 found plus 1 false → pooled TP 19, FP 1, FN 1 */
  for (int r = 0; r < 2; r++) {
    fx_init(&f);
    ten_steps(&f, 1);
    if (r == 1) f.dsteps[3].t_s += 0.1;
    gb_eval_tally_init(&one);
    score(&f, &one);
    assert_int_equal(gb_eval_tally_merge(&pooled, &one), 0);
    gb_eval_tally_clear(&one);
  }
  assert_float_equal(metric(&pooled, "steps_recall", NULL), 19.0 / 20.0, 1e-12);
  assert_int_equal(pooled.n_dt, 19);
  /* no truth for cadence, events, lean: reported skipped with NaN */
  gb_eval_params p;
  gb_eval_params_defaults(&p);
  gb_eval_metric *m;
  size_t nm;
  assert_int_equal(gb_eval_metrics(&pooled, &p, &m, &nm), 0);
  int seen = 0;
  for (size_t i = 0; i < nm; i++) {
    if (strcmp(m[i].name, "cadence_mae_spm") == 0 || strcmp(m[i].name, "trunk_lean_mae_deg") == 0 ||
        strcmp(m[i].name, "events_recall") == 0) {
      assert_true(isnan(m[i].value));
      assert_int_equal(m[i].n, 0);
      assert_non_null(strstr(m[i].note, "skipped"));
      seen++;
    }
  }
  assert_int_equal(seen, 3);
  free(m);
  gb_eval_tally_clear(&pooled);
}

static void test_trunk_lean(void **state)
{
  (void)state;
  fixture f;
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  /* errors +2 and −4 deg → MAE 3, bias −1; a run without a result value is not scored */
  const double tr[3] = {10, 5, 8};
  const float rs[3] = {12.f, 1.f, NAN};
  for (int i = 0; i < 3; i++) {
    fx_init(&f);
    f.truth.trunk_lean_deg = tr[i];
    f.truth.have = GB_TRUTH_RUN;
    f.res.summary.trunk_lean_deg = rs[i];
    score(&f, &t);
  }
  long n;
  assert_float_equal(metric(&t, "trunk_lean_mae_deg", &n), 3.0, 1e-9);
  assert_int_equal(n, 2);
  assert_float_equal(metric(&t, "trunk_lean_bias_deg", NULL), -1.0, 1e-9);
  gb_eval_tally_clear(&t);
}

static void test_sensor_side_scoring(void **state)
{
  (void)state;
  fixture f;
  fx_init(&f);
  /* a tibia on leg 0: truth steps alternate legs 0,1,0,1,... (10 steps at 0.35 s);
   * the result finds the five of leg 0 (step 4 shifted 40 ms: a miss and a false
   * detection), one of leg 1 (step 3) and nothing else.
   * Own leg: truth 0,2,4,6,8; matched 0,2,6,8 → TP 4, FN 1; FP = step-4 detection
   * and the leg-1 detection = 2 → P 4/6, R 4/5. All sides: matched 0,2,3,6,8 of 10. */
  for (int i = 0; i < 10; i++) {
    truth_step(&f, 1.0 + 0.35 * i, i % 2 == 0 ? GB_LANDING_REARFOOT : GB_LANDING_MIDFOOT, NAN);
    f.tsteps[i].side = i % 2;
    if (i % 2 == 0 || i == 3)
      det_step(&f, 1.0 + 0.35 * i + (i == 4 ? 0.040 : 0.0), GB_LANDING_REARFOOT, NAN);
  }
  f.truth.location = GB_LOC_TIBIA;
  f.truth.sensor_side = 0;
  gb_eval_tally t;
  gb_eval_tally_init(&t);
  score(&f, &t);
  long n;
  assert_float_equal(metric(&t, "steps_precision", &n), 4.0 / 6.0, 1e-12);
  assert_int_equal(n, 6);
  assert_float_equal(metric(&t, "steps_recall", &n), 4.0 / 5.0, 1e-12);
  assert_int_equal(n, 5);
  assert_float_equal(metric(&t, "steps_f1", NULL), 8.0 / 11.0, 1e-12);
  assert_float_equal(metric(&t, "steps_recall_all_sides", &n), 5.0 / 10.0, 1e-12);
  assert_int_equal(n, 10);
  /* landing per step only over matched own-leg steps: 4 rearfoot, all right */
  assert_float_equal(metric(&t, "landing_step_accuracy", &n), 1.0, 0);
  assert_int_equal(n, 4);
  assert_float_equal(metric(&t, "landing_step_midfoot_as_rearfoot", NULL), 0.0, 0);
  gb_eval_tally_clear(&t);

  /* the same run on leg 1: own steps 1,3,5,7,9, only 3 found → R 1/5, P 1/6 */
  f.truth.sensor_side = 1;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_float_equal(metric(&t, "steps_recall", NULL), 1.0 / 5.0, 1e-12);
  assert_float_equal(metric(&t, "steps_precision", NULL), 1.0 / 6.0, 1e-12);
  assert_float_equal(metric(&t, "landing_step_midfoot_as_rearfoot", NULL), 1.0, 0);
  gb_eval_tally_clear(&t);

  /* a sacrum sensor sees both legs: all 10 truth steps are scored; tolerance ±25 ms
   * → TP 5 (0,2,3,6,8), FN 5, FP 1 (the shifted one) */
  f.truth.location = GB_LOC_SACRUM;
  f.truth.sensor_side = 0;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_float_equal(metric(&t, "steps_recall", &n), 0.5, 1e-12);
  assert_int_equal(n, 10);
  assert_float_equal(metric(&t, "steps_precision", NULL), 5.0 / 6.0, 1e-12);
  assert_float_equal(metric(&t, "steps_recall_all_sides", NULL), 0.5, 1e-12);
  gb_eval_tally_clear(&t);

  /* a tibia without a known leg: scored on all steps too */
  f.truth.location = GB_LOC_TIBIA;
  f.truth.sensor_side = -1;
  gb_eval_tally_init(&t);
  score(&f, &t);
  assert_float_equal(metric(&t, "steps_recall", NULL), 0.5, 1e-12);
  gb_eval_tally_clear(&t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_perfect_match),
      cmocka_unit_test(test_shift_beyond_tolerance),
      cmocka_unit_test(test_missing_step_lowers_recall_only),
      cmocka_unit_test(test_extra_step_lowers_precision_only),
      cmocka_unit_test(test_one_to_one_greedy),
      cmocka_unit_test(test_timing_median_iqr),
      cmocka_unit_test(test_landing_confusion),
      cmocka_unit_test(test_cadence_mae),
      cmocka_unit_test(test_contact_time),
      cmocka_unit_test(test_scope_and_untimed),
      cmocka_unit_test(test_events_overlap),
      cmocka_unit_test(test_run_flags),
      cmocka_unit_test(test_load_flags),
      cmocka_unit_test(test_pooling_and_skipped),
      cmocka_unit_test(test_trunk_lean),
      cmocka_unit_test(test_sensor_side_scoring),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
