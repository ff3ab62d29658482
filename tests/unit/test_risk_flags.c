/* Run-level risk flags on hand-made run results: each code just above and just below
 * its threshold, location gating, event translation, and the catalogue. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gaitbatch/risk.h"
#include "gaitbatch/status.h"

#define MAX_ROWS 4096

/* A hand-made run: 1200 s of running at 170 spm on a tibia sensor, 1000 Hz, every
 * metric inside its limits. Tables live in this struct (no heap). */
typedef struct fake_run {
  gb_result r;
  gb_cadence_row cad[MAX_ROWS];
  gb_step steps[MAX_ROWS];
  gb_bout bouts[8];
  gb_event events[16];
} fake_run;

static gb_config cfg_explicit(void)
{
  gb_config c;
  memset(&c, 0, sizeof c);
  c.analysis.impact_min_rate_hz = 100;
  c.analysis.fatigue_min_run_s = 600;
  c.analysis.surge_window_s = 10;
  c.analysis.surge_cadence_pct = 8;
  c.analysis.stop_max_s = 2;
  c.analysis.warmup_window_s = 300;
  c.risk.pta_high_g = 8;
  c.risk.impact_high_trunk_g = 4;
  c.risk.cadence_low_spm = 160;
  c.risk.rearfoot_share_max = 0.5;
  c.risk.trunk_lean_max_deg = 20;
  c.risk.trunk_lean_drift_deg = 5;
  c.risk.asymmetry_max_pct = 10;
  c.risk.impact_cv_max = 0.25;
  c.risk.clipped_share_max = 0.02;
  c.risk.fatigue_cadence_drop_pct = 3;
  c.risk.fatigue_impact_rise_pct = 15;
  return c;
}

/* Steps over [t0, t1): interval a and peak p1 in the first half, b and p2 after. */
/* Steps from t0 to t1: stride a and peak p1 before `split`, stride b and peak p2 after. */
static void fill_steps_split(fake_run *f, double t0, double t1, double split, double a, double b,
                             float p1, float p2)
{
  size_t n = 0;
  for (double t = t0; t < t1 && n < MAX_ROWS; t += (t < split ? a : b)) {
    gb_step *s = &f->steps[n++];
    memset(s, 0, sizeof *s);
    s->t_s = t;
    s->peak_g = t < split ? p1 : p2;
    s->landing = GB_LANDING_MIDFOOT;
    s->side = -1;
    s->bout_kind = GB_BOUT_RUNNING;
    s->contact_time_ms = NAN;
    s->vertical_osc_cm = NAN;
  }
  f->r.n_steps = n;
  f->r.summary.n_steps = (int32_t)n;
}

/* The same with the change at the middle of the run. */
static void fill_steps(fake_run *f, double t0, double t1, double a, double b, float p1, float p2)
{
  fill_steps_split(f, t0, t1, 0.5 * (t0 + t1), a, b, p1, p2);
}

static void base_run(fake_run *f, gb_location loc)
{
  memset(f, 0, sizeof *f);
  gb_result *r = &f->r;
  r->cadence = f->cad;
  r->steps = f->steps;
  r->bouts = f->bouts;
  r->events = f->events;
  gb_summary *s = &r->summary;
  s->duration_s = 1200;
  s->sample_rate_hz = 1000;
  s->location = loc;
  s->cadence_mean_spm = s->cadence_median_spm = 170;
  s->cadence_cv = 0.02f;
  s->pta_mean_g = (loc == GB_LOC_SACRUM || loc == GB_LOC_TRUNK) ? 2.5f : 6.0f;
  s->pta_p95_g = 7.5f;
  s->loading_rate_mean_gps = 400;
  s->rearfoot_share = 0.3f;
  s->landing_pattern = GB_PATTERN_MIDFOOT;
  s->landing_confidence = 0.8f;
  s->trunk_lean_deg = (loc == GB_LOC_SACRUM || loc == GB_LOC_TRUNK) ? 8.0f : NAN;
  s->trunk_lean_drift_deg = (loc == GB_LOC_SACRUM || loc == GB_LOC_TRUNK) ? 1.0f : NAN;
  s->vertical_oscillation_cm = NAN;
  s->contact_time_ms = 250;
  s->asymmetry_pct = 3;
  s->impact_cv = 0.1f;
  s->clipped_share = 0;
  s->running_s = 1200;
  s->cumulative_impact_g = 0;
  s->impact_available = 1;
  f->bouts[0] = (gb_bout){0.0, 1200.0, GB_BOUT_RUNNING, 0, 170.0f};
  r->n_bouts = 1;
  for (size_t i = 0; i < 1193; i++) f->cad[i] = (gb_cadence_row){4.0 + (double)i, 170.0f, 0.9f};
  r->n_cadence = 1193;
  fill_steps(f, 1.0, 1199.0, 0.7, 0.7, 6.0f, 6.0f);
}

static gb_flag *run_flags(const gb_config *c, gb_location loc, const fake_run *f, size_t *n)
{
  gb_flag *fl = NULL;
  int rc = gb_risk_run_flags(c, loc, &f->r, &fl, n);
  if (rc) fail_msg("gb_risk_run_flags: %d", rc);
  return fl;
}

static size_t count_code(const gb_flag *fl, size_t n, const char *code)
{
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += strcmp(fl[i].code, code) == 0;
  return c;
}

/* Runs f, expects exactly `want` flags of `code` and nothing else. */
static gb_flag *expect_only(const gb_config *c, gb_location loc, const fake_run *f,
                            const char *code, size_t want, size_t *n)
{
  gb_flag *fl = run_flags(c, loc, f, n);
  if (count_code(fl, *n, code) != want || *n != want) {
    for (size_t i = 0; i < *n; i++) print_message("  got %s: %s\n", fl[i].code, fl[i].message);
    fail_msg("expected %zu x %s and nothing else, got %zu flags", want, code, *n);
  }
  for (size_t i = 0; i < *n; i++) {
    assert_true(strlen(fl[i].message) > 10);
    if (strlen(fl[i].message) >= GB_FLAG_MSG_MAX - 1) fail_msg("truncated: %s", fl[i].message);
    assert_true(fl[i].t_end_s >= fl[i].t_start_s);
  }
  return fl;
}

static fake_run F; /* large: static */

static void test_clean_run_no_flags(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  const gb_location locs[] = {GB_LOC_TIBIA, GB_LOC_FOOT, GB_LOC_SACRUM, GB_LOC_TRUNK,
                              GB_LOC_WRIST, GB_LOC_THIGH, GB_LOC_UNKNOWN};
  for (size_t i = 0; i < sizeof locs / sizeof locs[0]; i++) {
    base_run(&F, locs[i]);
    size_t n;
    gb_flag *fl = expect_only(&c, locs[i], &F, "none", 0, &n);
    free(fl);
  }
}

static void test_low_rate(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  base_run(&F, GB_LOC_TIBIA);
  F.r.summary.sample_rate_hz = 99;
  F.r.summary.pta_mean_g = 12;        /* would be impact.high at a good rate */
  F.r.summary.rearfoot_share = 0.9f;  /* would be landing.rearfoot */
  F.r.summary.landing_pattern = GB_PATTERN_REARFOOT;
  F.r.summary.impact_cv = 0.5f;       /* would be surface.irregular */
  gb_flag *fl = expect_only(&c, GB_LOC_TIBIA, &F, "quality.low_rate", 1, &n);
  assert_int_equal(fl[0].severity, GB_SEV_INFO);
  assert_true(fl[0].value == 99 && fl[0].threshold == 100);
  assert_true(fl[0].t_start_s == 0 && fl[0].t_end_s == 1200);
  free(fl);
  base_run(&F, GB_LOC_TIBIA);
  F.r.summary.sample_rate_hz = 100;
  fl = expect_only(&c, GB_LOC_TIBIA, &F, "quality.low_rate", 0, &n);
  free(fl);
}

static void test_clipping(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  base_run(&F, GB_LOC_TIBIA);
  F.r.summary.clipped_share = 0.021f;
  gb_flag *fl = expect_only(&c, GB_LOC_TIBIA, &F, "quality.clipping", 1, &n);
  assert_int_equal(fl[0].severity, GB_SEV_WARN);
  assert_non_null(strstr(fl[0].message, "lower bound"));
  free(fl);
  F.r.summary.clipped_share = 0.02f;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "quality.clipping", 0, &n));
  /* Exactly at a representable threshold: not flagged ("above" is strict). */
  c.risk.clipped_share_max = 0.125;
  F.r.summary.clipped_share = 0.125f;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "quality.clipping", 0, &n));
  F.r.summary.clipped_share = 0.126f;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "quality.clipping", 1, &n));
}

static void set_cadence(fake_run *f, float spm)
{
  for (size_t i = 0; i < f->r.n_cadence; i++) f->cad[i].cadence_spm = spm;
  f->bouts[0].cadence_spm = spm;
}

static void test_cadence_low(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  base_run(&F, GB_LOC_SACRUM);
  set_cadence(&F, 159);
  gb_flag *fl = expect_only(&c, GB_LOC_SACRUM, &F, "cadence.low", 1, &n);
  assert_true(fl[0].value == 159 && fl[0].threshold == 160);
  assert_int_equal(fl[0].severity, GB_SEV_INFO);
  free(fl);
  set_cadence(&F, 160);
  free(expect_only(&c, GB_LOC_SACRUM, &F, "cadence.low", 0, &n));

  /* Only running bouts count: a long slow walk (110 spm) before 600 s of running at
   * 170 spm gives no flag; 59 s of slow running is not enough. */
  base_run(&F, GB_LOC_SACRUM);
  F.bouts[0] = (gb_bout){0.0, 600.0, GB_BOUT_WALKING, 0, 110.0f};
  F.bouts[1] = (gb_bout){600.0, 1200.0, GB_BOUT_RUNNING, 0, 170.0f};
  F.r.n_bouts = 2;
  for (size_t i = 0; i < F.r.n_cadence; i++)
    F.cad[i].cadence_spm = F.cad[i].t_s < 600 ? 110.0f : 170.0f;
  free(expect_only(&c, GB_LOC_SACRUM, &F, "cadence.low", 0, &n));
  /* Median over running windows: 40 % of them at 150, 60 % at 170 → 170. */
  for (size_t i = 0; i < F.r.n_cadence; i++)
    if (F.cad[i].t_s >= 600 && F.cad[i].t_s < 840) F.cad[i].cadence_spm = 150.0f;
  free(expect_only(&c, GB_LOC_SACRUM, &F, "cadence.low", 0, &n));
  /* 59 s of running at 150 spm in a walk. */
  base_run(&F, GB_LOC_SACRUM);
  F.bouts[0] = (gb_bout){0.0, 1141.0, GB_BOUT_WALKING, 0, 110.0f};
  F.bouts[1] = (gb_bout){1141.0, 1200.0, GB_BOUT_RUNNING, 0, 150.0f};
  F.r.n_bouts = 2;
  set_cadence(&F, 150);
  free(expect_only(&c, GB_LOC_SACRUM, &F, "cadence.low", 0, &n));
  F.bouts[0].t_end_s = F.bouts[1].t_start_s = 1140.0; /* 60 s */
  fl = expect_only(&c, GB_LOC_SACRUM, &F, "cadence.low", 1, &n);
  assert_true(fl[0].t_start_s == 1140 && fl[0].t_end_s == 1200);
  free(fl);
  /* No cadence track: the bouts' duration-weighted median is used. */
  base_run(&F, GB_LOC_SACRUM);
  F.r.n_cadence = 0;
  F.bouts[0] = (gb_bout){0.0, 700.0, GB_BOUT_RUNNING, 0, 150.0f};
  F.bouts[1] = (gb_bout){700.0, 1200.0, GB_BOUT_RUNNING, 0, 170.0f};
  F.r.n_bouts = 2;
  fl = expect_only(&c, GB_LOC_SACRUM, &F, "cadence.low", 1, &n);
  assert_true(fl[0].value == 150);
  free(fl);
}

static void test_impact_high_by_location(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  base_run(&F, GB_LOC_TIBIA);
  F.r.summary.pta_mean_g = 8.01f;
  gb_flag *fl = expect_only(&c, GB_LOC_TIBIA, &F, "impact.high", 1, &n);
  assert_int_equal(fl[0].severity, GB_SEV_WARN);
  assert_true(fl[0].threshold == 8);
  assert_non_null(strstr(fl[0].message, "Sheerin 2020"));
  assert_non_null(strstr(fl[0].message, "170 spm"));
  free(fl);
  F.r.summary.pta_mean_g = 8.0f;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "impact.high", 0, &n));
  base_run(&F, GB_LOC_FOOT);
  F.r.summary.pta_mean_g = 9;
  free(expect_only(&c, GB_LOC_FOOT, &F, "impact.high", 1, &n));
  /* Sacrum/trunk: their own threshold (4 g). */
  base_run(&F, GB_LOC_SACRUM);
  F.r.summary.pta_mean_g = 4.01f;
  fl = expect_only(&c, GB_LOC_SACRUM, &F, "impact.high", 1, &n);
  assert_true(fl[0].threshold == 4);
  free(fl);
  F.r.summary.pta_mean_g = 4.0f;
  free(expect_only(&c, GB_LOC_SACRUM, &F, "impact.high", 0, &n));
  base_run(&F, GB_LOC_TRUNK);
  F.r.summary.pta_mean_g = 5;
  free(expect_only(&c, GB_LOC_TRUNK, &F, "impact.high", 1, &n));
  /* Wrist and thigh: no impact rule; impact unavailable: none. */
  base_run(&F, GB_LOC_WRIST);
  F.r.summary.pta_mean_g = 20;
  free(expect_only(&c, GB_LOC_WRIST, &F, "impact.high", 0, &n));
  base_run(&F, GB_LOC_TIBIA);
  F.r.summary.pta_mean_g = 20;
  F.r.summary.impact_available = 0;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "impact.high", 0, &n));
  F.r.summary.impact_available = 1;
  F.r.summary.pta_mean_g = NAN;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "impact.high", 0, &n));
}

static void test_landing_rearfoot(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  base_run(&F, GB_LOC_TIBIA);
  F.r.summary.rearfoot_share = 0.51f;
  F.r.summary.landing_pattern = GB_PATTERN_MIXED;
  gb_flag *fl = expect_only(&c, GB_LOC_TIBIA, &F, "landing.rearfoot", 1, &n);
  assert_int_equal(fl[0].severity, GB_SEV_INFO);
  assert_true(fabs(fl[0].value - 0.51) < 1e-6);
  assert_non_null(strstr(fl[0].message, "midfoot"));
  free(fl);
  F.r.summary.rearfoot_share = 0.5f;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "landing.rearfoot", 0, &n));
  /* Pattern unknown or a wrist: never. */
  F.r.summary.rearfoot_share = 0.9f;
  F.r.summary.landing_pattern = GB_PATTERN_UNKNOWN;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "landing.rearfoot", 0, &n));
  base_run(&F, GB_LOC_WRIST);
  F.r.summary.rearfoot_share = 0.9f;
  F.r.summary.landing_pattern = GB_PATTERN_REARFOOT;
  free(expect_only(&c, GB_LOC_WRIST, &F, "landing.rearfoot", 0, &n));
}

static void test_trunk_lean(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  base_run(&F, GB_LOC_SACRUM);
  F.r.summary.trunk_lean_deg = 20.5f;
  gb_flag *fl = expect_only(&c, GB_LOC_SACRUM, &F, "posture.trunk_lean", 1, &n);
  assert_int_equal(fl[0].severity, GB_SEV_WARN);
  assert_true(fl[0].value == 20.5 && fl[0].threshold == 20);
  free(fl);
  F.r.summary.trunk_lean_deg = 19.5f;
  free(expect_only(&c, GB_LOC_SACRUM, &F, "posture.trunk_lean", 0, &n));
  F.r.summary.trunk_lean_deg = -21.0f;
  free(expect_only(&c, GB_LOC_SACRUM, &F, "posture.trunk_lean", 1, &n));
  F.r.summary.trunk_lean_deg = 10.0f;
  F.r.summary.trunk_lean_drift_deg = 5.5f;
  fl = expect_only(&c, GB_LOC_SACRUM, &F, "posture.trunk_lean", 1, &n);
  assert_true(fl[0].threshold == 5);
  free(fl);
  F.r.summary.trunk_lean_drift_deg = 4.9f;
  free(expect_only(&c, GB_LOC_SACRUM, &F, "posture.trunk_lean", 0, &n));
  /* Both beyond: two flags. */
  F.r.summary.trunk_lean_deg = 25.0f;
  F.r.summary.trunk_lean_drift_deg = 6.0f;
  free(expect_only(&c, GB_LOC_TRUNK, &F, "posture.trunk_lean", 2, &n));
  /* Shank, wrist: never (no posture from those sites). */
  free(expect_only(&c, GB_LOC_TIBIA, &F, "posture.trunk_lean", 0, &n));
  free(expect_only(&c, GB_LOC_WRIST, &F, "posture.trunk_lean", 0, &n));
  /* Events replace the summary rule. */
  base_run(&F, GB_LOC_SACRUM);
  F.r.summary.trunk_lean_deg = 25.0f;
  F.events[0] = (gb_event){300.0, 420.0, GB_EVENT_TRUNK_LEAN, 24.0f, 20.0f};
  F.r.n_events = 1;
  fl = expect_only(&c, GB_LOC_SACRUM, &F, "posture.trunk_lean", 1, &n);
  assert_true(fl[0].t_start_s == 300 && fl[0].t_end_s == 420);
  assert_true(fl[0].value == 24 && fl[0].threshold == 20);
  free(fl);
  free(expect_only(&c, GB_LOC_TIBIA, &F, "posture.trunk_lean", 0, &n));
}

static void test_events(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  base_run(&F, GB_LOC_TIBIA);
  /* Units as in src/gait/events.c: surge value = rise %, reference = level before;
   * warm-up value = % of steady, reference = 95 %; stop value = s, reference = stop_max_s. */
  F.events[0] = (gb_event){900.0, 904.0, GB_EVENT_SURGE, 12.0f, 170.0f};
  F.events[1] = (gb_event){0.0, 300.0, GB_EVENT_WARMUP_MISSING, 98.0f, 95.0f};
  F.events[2] = (gb_event){1190.0, 1191.0, GB_EVENT_ABRUPT_STOP, 1.0f, 2.0f};
  F.events[3] = (gb_event){500.0, 504.0, GB_EVENT_SURGE, 10.0f, 168.0f};
  F.events[4] = (gb_event){0.0, 400.0, GB_EVENT_WARMUP, 70.0f, 95.0f}; /* informational */
  F.r.n_events = 5;
  gb_flag *fl = run_flags(&c, GB_LOC_TIBIA, &F, &n);
  assert_int_equal(n, 4);
  /* Sorted by start time. */
  assert_string_equal(fl[0].code, "warmup.missing");
  assert_string_equal(fl[1].code, "intensity.surge");
  assert_string_equal(fl[2].code, "intensity.surge");
  assert_string_equal(fl[3].code, "event.abrupt_stop");
  assert_true(fl[1].t_start_s == 500 && fl[1].t_end_s == 504 && fl[1].value == 10);
  assert_true(fl[2].t_start_s == 900 && fl[2].value == 12 && fl[2].threshold == 8);
  assert_true(fl[0].value == 98 && fl[0].threshold == 95);
  assert_true(fl[3].value == 1 && fl[3].threshold == 2);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(fl[i].severity, GB_SEV_INFO);
    assert_true(strlen(fl[i].message) < GB_FLAG_MSG_MAX - 1);
  }
  free(fl);
  /* Fatigue, irregular and asymmetry events. */
  base_run(&F, GB_LOC_SACRUM);
  F.events[0] = (gb_event){900.0, 1200.0, GB_EVENT_FATIGUE_DRIFT, -4.0f, 172.0f}; /* cadence */
  F.events[1] = (gb_event){100.0, 160.0, GB_EVENT_IRREGULAR, 0.4f, 0.25f};
  F.events[2] = (gb_event){200.0, 260.0, GB_EVENT_ASYMMETRY, 14.0f, 10.0f};
  F.events[3] = (gb_event){100.0, 300.0, GB_EVENT_FATIGUE_DRIFT, 18.0f, 2.4f}; /* impact */
  F.r.n_events = 4;
  F.r.summary.asymmetry_pct = 12; /* replaced by the event */
  fl = run_flags(&c, GB_LOC_SACRUM, &F, &n);
  assert_int_equal(n, 4);
  assert_string_equal(fl[0].code, "fatigue.drift");
  assert_string_equal(fl[1].code, "surface.irregular");
  assert_string_equal(fl[2].code, "gait.asymmetry");
  assert_string_equal(fl[3].code, "fatigue.drift");
  assert_int_equal(fl[3].severity, GB_SEV_WARN);
  assert_true(fl[3].value == -4 && fl[3].threshold == -3);
  assert_true(fl[0].value == 18 && fl[0].threshold == 15);
  assert_non_null(strstr(fl[3].message, "cadence"));
  assert_non_null(strstr(fl[0].message, "impact"));
  free(fl);
  /* The cadence drop and the impact rise of one drift (same late segment): one flag. */
  F.events[3] = (gb_event){950.0, 1200.0, GB_EVENT_FATIGUE_DRIFT, 18.0f, 2.4f};
  fl = run_flags(&c, GB_LOC_SACRUM, &F, &n);
  assert_int_equal(n, 3);
  assert_string_equal(fl[2].code, "fatigue.drift");
  assert_true(fl[2].t_start_s == 900 && fl[2].t_end_s == 1200 && fl[2].value == -4);
  assert_non_null(strstr(fl[2].message, "cadence -4.0 %, impact +18.0 %"));
  free(fl);
  /* Events are judged again against the configured thresholds. */
  c.risk.fatigue_cadence_drop_pct = 5;
  c.risk.fatigue_impact_rise_pct = 20;
  c.risk.impact_cv_max = 0.5;
  c.risk.asymmetry_max_pct = 15;
  fl = run_flags(&c, GB_LOC_SACRUM, &F, &n);
  assert_int_equal(n, 0);
  free(fl);
  c.risk.fatigue_cadence_drop_pct = 3.9;
  fl = run_flags(&c, GB_LOC_SACRUM, &F, &n);
  assert_int_equal(n, 1);
  assert_string_equal(fl[0].code, "fatigue.drift");
  free(fl);
}

static void test_fatigue_from_steps(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  /* Stride interval 0.70 s → 0.74 s in the second half: cadence −5.4 % > 3 %. */
  base_run(&F, GB_LOC_TIBIA);
  fill_steps(&F, 1.0, 1199.0, 0.70, 0.74, 6.0f, 6.0f);
  gb_flag *fl = expect_only(&c, GB_LOC_TIBIA, &F, "fatigue.drift", 1, &n);
  assert_true(fabs(fl[0].value + (1.0 - 0.70 / 0.74) * 100.0) < 1e-6); /* signed: a drop */
  assert_true(fl[0].threshold == -3);
  assert_true(fl[0].t_start_s > 900 && fl[0].t_end_s < 1200);
  free(fl);
  fill_steps(&F, 1.0, 1199.0, 0.70, 0.71, 6.0f, 6.0f); /* −1.4 % */
  free(expect_only(&c, GB_LOC_TIBIA, &F, "fatigue.drift", 0, &n));
  /* Impact 6 → 7 g: +16.7 % > 15 %; 6 → 6.8 g: +13.3 %. */
  fill_steps(&F, 1.0, 1199.0, 0.70, 0.70, 6.0f, 7.0f);
  fl = expect_only(&c, GB_LOC_TIBIA, &F, "fatigue.drift", 1, &n);
  assert_true(fabs(fl[0].value - 100.0 / 6.0) < 1e-4);
  assert_true(fl[0].threshold == 15);
  free(fl);
  fill_steps(&F, 1.0, 1199.0, 0.70, 0.70, 6.0f, 6.8f);
  free(expect_only(&c, GB_LOC_TIBIA, &F, "fatigue.drift", 0, &n));
  /* Impact not available: the impact rise is not used. */
  fill_steps(&F, 1.0, 1199.0, 0.70, 0.70, 6.0f, 9.0f);
  F.r.summary.impact_available = 0;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "fatigue.drift", 0, &n));
  /* Shorter than fatigue_min_run_s (600 s): not checked. */
  base_run(&F, GB_LOC_TIBIA);
  fill_steps(&F, 1.0, 590.0, 0.70, 0.80, 6.0f, 6.0f);
  free(expect_only(&c, GB_LOC_TIBIA, &F, "fatigue.drift", 0, &n));
  /* A warm-up is not the early steady state: 200 s easing in (stride 0.80 s, 4 g),
     then a steady 0.70 s at 6 g to the end. Against the first 20 % of the run the
     late impact would read +50 %; against the 20 % after the warm-up window
     (warmup_window_s = 300 s) it is flat: no drift. */
  base_run(&F, GB_LOC_TIBIA);
  fill_steps_split(&F, 1.0, 1199.0, 200.0, 0.80, 0.70, 4.0f, 6.0f);
  free(expect_only(&c, GB_LOC_TIBIA, &F, "fatigue.drift", 0, &n));
  /* A cool-down walk the bout stage still labels running is not a fatigued stride:
     the last 139 s at a walk (stride 1.07 s, 2.5 g; over half of the late 20 %, so
     its median interval would read as a 35 % cadence drop), with the cadence track
     at 112 spm there. */
  base_run(&F, GB_LOC_TIBIA);
  fill_steps_split(&F, 1.0, 1199.0, 1060.0, 0.70, 1.07, 6.0f, 2.5f);
  for (size_t i = 0; i < F.r.n_cadence; i++)
    if (F.cad[i].t_s >= 1060.0) F.cad[i].cadence_spm = 112.0f;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "fatigue.drift", 0, &n));
}

static void test_irregular_and_asymmetry(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  base_run(&F, GB_LOC_TIBIA);
  F.r.summary.impact_cv = 0.26f;
  gb_flag *fl = expect_only(&c, GB_LOC_TIBIA, &F, "surface.irregular", 1, &n);
  assert_int_equal(fl[0].severity, GB_SEV_INFO);
  free(fl);
  F.r.summary.impact_cv = 0.25f;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "surface.irregular", 0, &n));
  /* Not while walking only. */
  F.r.summary.impact_cv = 0.5f;
  F.bouts[0].kind = GB_BOUT_WALKING;
  F.r.summary.running_s = 0;
  for (size_t i = 0; i < F.r.n_steps; i++) F.steps[i].bout_kind = GB_BOUT_WALKING;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "surface.irregular", 0, &n));

  base_run(&F, GB_LOC_SACRUM);
  F.r.summary.asymmetry_pct = 10.5f;
  fl = expect_only(&c, GB_LOC_SACRUM, &F, "gait.asymmetry", 1, &n);
  assert_int_equal(fl[0].severity, GB_SEV_WARN);
  assert_true(fl[0].value == 10.5 && fl[0].threshold == 10);
  free(fl);
  F.r.summary.asymmetry_pct = 10.0f;
  free(expect_only(&c, GB_LOC_SACRUM, &F, "gait.asymmetry", 0, &n));
  F.r.summary.asymmetry_pct = NAN;
  free(expect_only(&c, GB_LOC_SACRUM, &F, "gait.asymmetry", 0, &n));
}

static void test_thresholds_from_config(void **state)
{
  (void)state;
  gb_config c = cfg_explicit();
  size_t n;
  base_run(&F, GB_LOC_TIBIA);
  F.r.summary.pta_mean_g = 7;
  free(expect_only(&c, GB_LOC_TIBIA, &F, "impact.high", 0, &n));
  c.risk.pta_high_g = 6.5;
  gb_flag *fl = expect_only(&c, GB_LOC_TIBIA, &F, "impact.high", 1, &n);
  assert_true(fl[0].threshold == 6.5);
  free(fl);
  assert_int_equal(gb_risk_run_flags(NULL, GB_LOC_TIBIA, &F.r, &fl, &n), GB_EINVAL);
}

/* Every DESIGN §7 code is in the catalogue once, with all its text. */
static void test_catalogue(void **state)
{
  (void)state;
  static const char *design[] = {
    "load.weekly_ramp", "load.session_spike", "load.acwr_high", "load.no_base",
    "warmup.missing", "landing.rearfoot", "posture.trunk_lean", "intensity.surge",
    "event.abrupt_stop", "fatigue.drift", "surface.irregular", "cadence.low", "impact.high",
    "quality.clipping", "quality.low_rate", "gait.asymmetry",
  };
  size_t n = 0;
  const gb_flag_info *cat = gb_risk_catalogue(&n);
  assert_non_null(cat);
  for (size_t i = 0; i < sizeof design / sizeof design[0]; i++) {
    size_t hits = 0;
    for (size_t k = 0; k < n; k++) {
      if (strcmp(cat[k].code, design[i]) != 0) continue;
      hits++;
      assert_true(strlen(cat[k].source_text) > 5);
      assert_true(strlen(cat[k].measured_by) > 20);
      assert_true(strlen(cat[k].severity) >= 4);
      assert_non_null(cat[k].config_keys);
      assert_true(strcmp(cat[k].scope, "run") == 0 || strcmp(cat[k].scope, "load") == 0);
      assert_true(strlen(cat[k].code) < GB_FLAG_CODE_MAX);
    }
    if (hits != 1) fail_msg("%s appears %zu times in the catalogue", design[i], hits);
  }
  assert_int_equal(n, sizeof design / sizeof design[0]);
  size_t nu = 0;
  const gb_flag_info *un = gb_risk_unobservable(&nu);
  const char *must[] = {"hydration", "shoes", "stretching_drills"};
  for (size_t i = 0; i < 3; i++) {
    int found = 0;
    for (size_t k = 0; k < nu; k++) {
      if (strcmp(un[k].code, must[i]) == 0) {
        found = 1;
        assert_true(strlen(un[k].measured_by) > 10);
        assert_string_equal(un[k].scope, "none");
      }
    }
    assert_true(found);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_clean_run_no_flags),  cmocka_unit_test(test_low_rate),
    cmocka_unit_test(test_clipping),            cmocka_unit_test(test_cadence_low),
    cmocka_unit_test(test_impact_high_by_location), cmocka_unit_test(test_landing_rearfoot),
    cmocka_unit_test(test_trunk_lean),          cmocka_unit_test(test_events),
    cmocka_unit_test(test_fatigue_from_steps),  cmocka_unit_test(test_irregular_and_asymmetry),
    cmocka_unit_test(test_thresholds_from_config), cmocka_unit_test(test_catalogue),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
