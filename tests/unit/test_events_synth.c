/* Events and summary on synthetic runs. The steps come from the contacts stage run
 * on the synthetic signal; bouts and cadence rows come from the generator's
 * segment schedule (ground truth), so these tests check gb_events_compute and
 * gb_summary_compute independently of the bouts and cadence stages.
 * Each injected event is found (with a plausible span and value); a steady clean
 * run with a warm-up gives no event but the informational warm-up (a steady run
 * without one is, by definition, a missing warm-up). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gaitbatch/config.h"
#include "gaitbatch/source.h"
#include "gaitbatch/status.h"
#include "gaitbatch/synth.h"
#include "gait/gait_internal.h"
#include "helpers/signals.h"

static const double FS = 200;

typedef struct world {
  gbt_spec sp;
  gbt_signal sig;
  gb_result r;
  gb_lean_row *lean;
  size_t n_lean;
  gb_analysis_params p;
  gb_analyzer_input in;
} world;

static double seg_start(const gbt_spec *sp, int k)
{
  double t = 0;
  for (int i = 0; i < k; i++) t += sp->seg[i].dur_s;
  return t;
}

/* Slow rows (0.1 s blocks) from the frames, as the preprocess stage makes them. */
static void feed_posture(world *w, gb_posture *ps)
{
  size_t blk = (size_t)lround(FS * GB_SLOW_BLOCK_S), ch = (size_t)w->sig.channels;
  for (size_t i0 = 0; i0 + blk <= w->sig.n; i0 += blk) {
    gb_slow_row r;
    memset(&r, 0, sizeof r);
    double g[3] = {0, 0, 0}, m = 0, mm = 0;
    for (size_t i = i0; i < i0 + blk; i++) {
      const float *f = w->sig.frames + i * ch;
      double a2 = 0;
      for (size_t k = 0; k < ch; k++) { g[ch == 3 ? k : 2] += f[k]; a2 += (double)f[k] * f[k]; }
      m += sqrt(a2);
      mm += a2;
    }
    r.t_s = ((double)i0 + 0.5 * (double)blk) / FS;
    r.gx = (float)(g[0] / blk); r.gy = (float)(g[1] / blk); r.gz = (float)(g[2] / blk);
    r.mag_mean = (float)(m / blk);
    r.mag_sd = (float)sqrt(fmax(0, mm / blk - (m / blk) * (m / blk)));
    assert_int_equal(gb_posture_push(ps, &r, 1), 0);
  }
}

static void build(world *w, int site, int channels, gb_location loc)
{
  w->sp.fs = FS;
  w->sp.site = site;
  w->sp.channels = channels;
  if (!w->sp.seed) w->sp.seed = 42;
  assert_int_equal(gbt_build(&w->sp, &w->sig), 0);
  gb_config cfg;
  gb_config_defaults(&cfg);
  if (w->p.window_s == 0) w->p = cfg.analysis;
  w->in = (gb_analyzer_input){FS, channels, loc, 0};
  memset(&w->r, 0, sizeof w->r);
  /* steps from the contacts stage */
  gb_contacts *c = gb_contacts_create(&w->p, &w->in);
  assert_non_null(c);
  for (size_t i = 0; i < w->sig.n; i += 500) {
    size_t m = i + 500 < w->sig.n ? 500 : w->sig.n - i;
    double t = (double)i / FS, hint = 0, acc = 0;
    for (int k = 0; k < w->sp.n_seg; k++) { /* the segment's cadence, as a tracker would give */
      const gbt_segment *g = &w->sp.seg[k];
      if (t >= acc && t < acc + g->dur_s && g->kind != GBT_STILL)
        hint = g->cad0_spm + (g->cad1_spm - g->cad0_spm) * (t - acc) / g->dur_s;
      acc += g->dur_s;
    }
    assert_int_equal(gb_contacts_push(c, w->sig.vert + i, w->sig.vert + i,
                                      w->sig.frames + i * (size_t)channels, m, t, hint), 0);
  }
  assert_int_equal(gb_contacts_finish(c, &w->r.steps, &w->r.n_steps), 0);
  gb_contacts_free(c);
  /* bouts and cadence rows from the schedule */
  w->r.bouts = calloc((size_t)w->sp.n_seg, sizeof(gb_bout));
  double dur = (double)w->sig.n / FS;
  w->r.cadence = calloc((size_t)dur + 1, sizeof(gb_cadence_row));
  for (int k = 0; k < w->sp.n_seg; k++) {
    const gbt_segment *g = &w->sp.seg[k];
    gb_bout *b = &w->r.bouts[w->r.n_bouts++];
    b->t_start_s = seg_start(&w->sp, k);
    b->t_end_s = b->t_start_s + g->dur_s;
    b->kind = g->kind == GBT_RUN ? GB_BOUT_RUNNING : g->kind == GBT_WALK ? GB_BOUT_WALKING : GB_BOUT_STILL;
    b->cadence_spm = (float)(0.5 * (g->cad0_spm + g->cad1_spm));
  }
  for (size_t i = 0; i + 0.5 < dur; i++) {
    gb_cadence_row *row = &w->r.cadence[w->r.n_cadence++];
    row->t_s = (double)i + 0.5;
    for (int k = 0; k < w->sp.n_seg; k++) {
      const gbt_segment *g = &w->sp.seg[k];
      double a = seg_start(&w->sp, k);
      if (row->t_s >= a && row->t_s < a + g->dur_s && g->kind != GBT_STILL) {
        row->cadence_spm = (float)(g->cad0_spm + (g->cad1_spm - g->cad0_spm) * (row->t_s - a) / g->dur_s);
        row->confidence = 1;
      }
    }
  }
  for (size_t i = 0; i < w->r.n_steps; i++)
    for (size_t b = 0; b < w->r.n_bouts; b++)
      if (w->r.steps[i].t_s >= w->r.bouts[b].t_start_s && w->r.steps[i].t_s < w->r.bouts[b].t_end_s)
        w->r.steps[i].bout_kind = (int8_t)w->r.bouts[b].kind;
  w->r.summary.duration_s = dur;
  gb_posture *ps = gb_posture_create(&w->p, &w->in);
  assert_non_null(ps);
  feed_posture(w, ps);
  assert_int_equal(gb_posture_finish(ps, &w->lean, &w->n_lean), 0);
  gb_posture_free(ps);
  assert_int_equal(gb_events_compute(&w->p, NULL, &w->in, &w->r, w->lean, w->n_lean), 0);
  assert_int_equal(gb_summary_compute(&w->p, &w->in, &w->r, w->lean, w->n_lean), 0);
  for (size_t i = 0; i < w->r.n_events; i++)
    printf("    event %s %.1f-%.1f s value %.2f ref %.2f\n", gb_event_kind_name((gb_event_kind)w->r.events[i].kind),
           w->r.events[i].t_start_s, w->r.events[i].t_end_s, w->r.events[i].value, w->r.events[i].reference);
}

static void release(world *w)
{
  free(w->r.steps); free(w->r.bouts); free(w->r.cadence); free(w->r.events); free(w->lean);
  gbt_free(&w->sig);
}

static size_t count(const world *w, int kind)
{
  size_t n = 0;
  for (size_t i = 0; i < w->r.n_events; i++) n += w->r.events[i].kind == kind;
  return n;
}

static const gb_event *find(const world *w, int kind)
{
  for (size_t i = 0; i < w->r.n_events; i++)
    if (w->r.events[i].kind == kind) return &w->r.events[i];
  return NULL;
}

static void add_seg(world *w, int kind, double dur, double c0, double c1)
{
  gbt_segment *g = &w->sp.seg[w->sp.n_seg++];
  memset(g, 0, sizeof *g);
  g->kind = kind;
  g->dur_s = dur;
  g->cad0_spm = c0;
  g->cad1_spm = c1;
  g->amp_scale = 1;
  g->rearfoot_share = 0.5;
}

static void test_steady_run_has_no_risk_events(void **state)
{
  (void)state;
  world w;
  memset(&w, 0, sizeof w);
  add_seg(&w, GBT_STILL, 10, 0, 0);
  add_seg(&w, GBT_WALK, 60, 110, 110);  /* a warm-up: walk, then ease into the pace */
  add_seg(&w, GBT_RUN, 60, 150, 170);
  add_seg(&w, GBT_RUN, 420, 170, 170);  /* running < fatigue_min_run_s */
  add_seg(&w, GBT_WALK, 20, 110, 110);  /* and a cool-down */
  add_seg(&w, GBT_STILL, 10, 0, 0);
  build(&w, GBT_SITE_TRUNK, 3, GB_LOC_SACRUM);
  /* only the informational warm-up event */
  assert_int_equal(w.r.n_events, 1);
  assert_int_equal(w.r.events[0].kind, GB_EVENT_WARMUP);
  /* the summary of the same run */
  const gb_summary *s = &w.r.summary;
  assert_int_equal(s->n_steps, (int32_t)w.r.n_steps);
  assert_true(fabs(s->running_s - 480) < 1e-9 && fabs(s->walking_s - 80) < 1e-9 && fabs(s->still_s - 20) < 1e-9);
  assert_true(fabs(s->cadence_median_spm - 170.0) < 1); /* rows: 420 of 580 s at 170 */
  assert_true(fabs(s->contact_time_ms - 0.6 * 60.0 / 170 * 1000) < 10);
  assert_true(s->asymmetry_pct < 2);
  assert_true(s->impact_cv < 0.05);
  assert_true(fabs(s->trunk_lean_deg) < 2);
  assert_int_equal(s->landing_pattern, GB_PATTERN_UNKNOWN); /* sacrum: not classified */
  assert_true(isnan(s->rearfoot_share));
  assert_true(s->clipped_share == 0);
  double cum = 0;
  for (size_t i = 0; i < w.r.n_steps; i++) cum += w.r.steps[i].peak_g;
  assert_true(fabs(s->cumulative_impact_g - cum) < 1e-6 * cum);
  release(&w);
}

static void test_warmup(void **state)
{
  (void)state;
  for (int ramp = 0; ramp < 2; ramp++) {
    world w;
    memset(&w, 0, sizeof w);
    gb_config cfg;
    gb_config_defaults(&cfg);
    w.p = cfg.analysis;
    w.p.warmup_window_s = 60;
    add_seg(&w, GBT_STILL, 10, 0, 0);
    if (ramp) {
      add_seg(&w, GBT_WALK, 30, 105, 105);
      add_seg(&w, GBT_RUN, 30, 150, 150);
    }
    add_seg(&w, GBT_RUN, 180, 172, 172);
    build(&w, GBT_SITE_TRUNK, 1, GB_LOC_SACRUM);
    printf("  ramp %d\n", ramp);
    assert_int_equal(count(&w, GB_EVENT_WARMUP_MISSING), ramp ? 0 : 1);
    assert_int_equal(count(&w, GB_EVENT_WARMUP), ramp ? 1 : 0);
    const gb_event *e = find(&w, ramp ? GB_EVENT_WARMUP : GB_EVENT_WARMUP_MISSING);
    /* window: 60 s, or a quarter of the moving time when that is shorter */
    double moving = ramp ? 240 : 180;
    assert_true(fabs(e->t_start_s - 10) < 1e-9 && fabs(e->t_end_s - (10 + fmin(60, moving / 4))) < 1e-9);
    if (!ramp) assert_true(e->value >= 95);
    else assert_true(e->value < 90); /* running at 150 of 172 spm after the walk: ~87 % */
    release(&w);
  }
}

static void test_surge(void **state)
{
  (void)state;
  world w;
  memset(&w, 0, sizeof w);
  add_seg(&w, GBT_RUN, 60, 160, 160);
  add_seg(&w, GBT_RUN, 3, 160, 182); /* +13.75 % in 3 s */
  add_seg(&w, GBT_RUN, 60, 182, 182);
  build(&w, GBT_SITE_TRUNK, 1, GB_LOC_SACRUM);
  assert_int_equal(count(&w, GB_EVENT_SURGE), 1);
  const gb_event *e = find(&w, GB_EVENT_SURGE);
  assert_true(e->t_start_s < 63 && e->t_end_s > 60);
  assert_true(e->value > 10 && e->value < 16);
  assert_true(fabs(e->reference - 160) < 3);
  release(&w);
}

static void test_impact_surge(void **state)
{
  (void)state;
  world w;
  memset(&w, 0, sizeof w);
  add_seg(&w, GBT_RUN, 60, 170, 170);
  add_seg(&w, GBT_RUN, 60, 170, 170);
  w.sp.seg[1].amp_scale = 1.5; /* shank peak ≈ 6 → 8.5 g at the same cadence */
  build(&w, GBT_SITE_SHANK, 1, GB_LOC_TIBIA);
  assert_int_equal(count(&w, GB_EVENT_SURGE), 1);
  const gb_event *e = find(&w, GB_EVENT_SURGE);
  assert_true(e->t_start_s < 60 && e->t_end_s > 60);
  assert_true(e->value > 25 && e->value < 60);
  release(&w);
}

static void test_fatigue(void **state)
{
  (void)state;
  world w;
  memset(&w, 0, sizeof w);
  gb_config cfg;
  gb_config_defaults(&cfg);
  w.p = cfg.analysis;
  w.p.fatigue_min_run_s = 120;
  add_seg(&w, GBT_RUN, 240, 172, 158); /* −8 % over the run: late vs early quarter ≈ −6 % */
  build(&w, GBT_SITE_TRUNK, 1, GB_LOC_SACRUM);
  assert_int_equal(count(&w, GB_EVENT_FATIGUE_DRIFT), 1);
  const gb_event *e = find(&w, GB_EVENT_FATIGUE_DRIFT);
  assert_true(e->value < -4 && e->value > -8);
  assert_true(fabs(e->t_start_s - 180) < 2);
  release(&w);
}

static void test_abrupt_stop(void **state)
{
  (void)state;
  for (int gradual = 0; gradual < 2; gradual++) {
    world w;
    memset(&w, 0, sizeof w);
    add_seg(&w, GBT_RUN, 60, 170, 170);
    if (gradual) add_seg(&w, GBT_WALK, 20, 110, 110);
    add_seg(&w, GBT_STILL, 20, 0, 0);
    build(&w, GBT_SITE_TRUNK, 1, GB_LOC_SACRUM);
    printf("  gradual %d\n", gradual);
    assert_int_equal(count(&w, GB_EVENT_ABRUPT_STOP), gradual ? 0 : 1);
    if (!gradual) {
      const gb_event *e = find(&w, GB_EVENT_ABRUPT_STOP);
      assert_true(e->t_start_s > 58 && e->t_end_s < 61);
      assert_true(e->value <= w.p.stop_max_s);
    }
    release(&w);
  }
}

/* The recording ends a few seconds after the runner stopped dead: too short a tail
 * for the bout stage to label it still (it merges spans under min_bout_s into the
 * running before). A contact-free tail of at least min_bout_s is a stop; a shorter
 * one is not judged (it may hide missed steps). */
static void test_abrupt_stop_at_end_of_recording(void **state)
{
  (void)state;
  const double tails[2] = {6.0, 3.5};
  for (int k = 0; k < 2; k++) {
    world w;
    memset(&w, 0, sizeof w);
    add_seg(&w, GBT_RUN, 90, 170, 170);
    add_seg(&w, GBT_STILL, tails[k], 0, 0);
    build(&w, GBT_SITE_TRUNK, 1, GB_LOC_SACRUM);
    /* as the bout stage reports it: one running bout to the end */
    w.r.n_bouts = 1;
    w.r.bouts[0].t_end_s = w.r.summary.duration_s;
    free(w.r.events);
    w.r.events = NULL;
    w.r.n_events = 0;
    assert_int_equal(gb_events_compute(&w.p, NULL, &w.in, &w.r, w.lean, w.n_lean), 0);
    printf("  tail %.1f s (min_bout_s %.1f)\n", tails[k], w.p.min_bout_s);
    assert_true(tails[k] >= w.p.min_bout_s || tails[k] < w.p.min_bout_s - 1); /* cases straddle it */
    assert_int_equal(count(&w, GB_EVENT_ABRUPT_STOP), tails[k] >= w.p.min_bout_s ? 1 : 0);
    if (tails[k] >= w.p.min_bout_s) {
      const gb_event *e = find(&w, GB_EVENT_ABRUPT_STOP);
      assert_true(e->t_start_s > 88 && e->t_end_s < 91);
    }
    release(&w);
  }
}

/* A short session: running from a standstill with the pace ramping up over the
 * first 10 s (cadence 150 → 170 spm, impact at 70 % then full). There is no
 * steady state before the rise, so it is a start, not a surge (the cohort's
 * warm-up ramps were read as surges before). */
static void test_start_ramp_is_not_a_surge(void **state)
{
  (void)state;
  for (int site = 0; site < 2; site++) {
    world w;
    memset(&w, 0, sizeof w);
    add_seg(&w, GBT_STILL, 5, 0, 0);
    add_seg(&w, GBT_RUN, 5, 150, 160);
    w.sp.seg[1].amp_scale = 0.7;
    add_seg(&w, GBT_RUN, 5, 160, 170);
    w.sp.seg[2].amp_scale = 0.85;
    add_seg(&w, GBT_RUN, 60, 170, 170);
    add_seg(&w, GBT_STILL, 5, 0, 0);
    build(&w, site ? GBT_SITE_SHANK : GBT_SITE_TRUNK, 1, site ? GB_LOC_TIBIA : GB_LOC_SACRUM);
    printf("  site %s\n", site ? "tibia" : "sacrum");
    assert_int_equal(count(&w, GB_EVENT_SURGE), 0);
    release(&w);
  }
}

static void test_irregular(void **state)
{
  (void)state;
  world w;
  memset(&w, 0, sizeof w);
  add_seg(&w, GBT_RUN, 60, 170, 170);
  add_seg(&w, GBT_RUN, 60, 170, 170);
  w.sp.seg[1].amp_jitter = 0.35; /* rough ground: peak_g CV ≈ 0.3 */
  add_seg(&w, GBT_RUN, 60, 170, 170);
  build(&w, GBT_SITE_SHANK, 1, GB_LOC_TIBIA);
  assert_true(count(&w, GB_EVENT_IRREGULAR) >= 1);
  assert_int_equal(count(&w, GB_EVENT_SURGE), 0);
  for (size_t i = 0; i < w.r.n_events; i++) {
    const gb_event *e = &w.r.events[i];
    if (e->kind != GB_EVENT_IRREGULAR) continue;
    assert_true(e->t_start_s >= 55 && e->t_end_s <= 125);
  }
  assert_true(isnan(w.r.summary.asymmetry_pct)); /* unilateral sensor */
  release(&w);
}

static void test_asymmetry(void **state)
{
  (void)state;
  world w;
  memset(&w, 0, sizeof w);
  add_seg(&w, GBT_RUN, 120, 170, 170);
  w.sp.seg[0].side1_scale = 0.5; /* odd steps: peak ×0.85 on the trunk */
  build(&w, GBT_SITE_TRUNK, 1, GB_LOC_SACRUM);
  assert_int_equal(count(&w, GB_EVENT_ASYMMETRY), 1);
  /* expected |1 − 0.85| / 0.925 = 16.2 % */
  const gb_event *e = find(&w, GB_EVENT_ASYMMETRY);
  assert_true(fabs(e->value - 16.2) < 2.5);
  assert_true(fabs(w.r.summary.asymmetry_pct - e->value) < 1e-4);
  /* a steady run from the first step: the alternating peaks are no warm-up */
  assert_int_equal(count(&w, GB_EVENT_WARMUP), 0);
  release(&w);
}

static void test_trunk_lean_event(void **state)
{
  (void)state;
  world w;
  memset(&w, 0, sizeof w);
  add_seg(&w, GBT_STILL, 10, 0, 0);
  add_seg(&w, GBT_RUN, 120, 170, 170);
  w.sp.seg[1].lean_deg = 25;
  build(&w, GBT_SITE_TRUNK, 3, GB_LOC_TRUNK);
  assert_int_equal(count(&w, GB_EVENT_TRUNK_LEAN), 1);
  assert_true(fabs(find(&w, GB_EVENT_TRUNK_LEAN)->value - 25) < 2);
  assert_true(fabs(w.r.summary.trunk_lean_deg - 25) < 2);
  assert_true(fabs(w.r.summary.trunk_lean_drift_deg) < 1);
  release(&w);
}

static void test_landing_summary(void **state)
{
  (void)state;
  const double share[3] = {1.0, 0.0, 0.5};
  const int want[3] = {GB_PATTERN_REARFOOT, GB_PATTERN_MIDFOOT, GB_PATTERN_MIXED};
  for (int k = 0; k < 3; k++) {
    world w;
    memset(&w, 0, sizeof w);
    add_seg(&w, GBT_RUN, 60, 170, 170);
    w.sp.seg[0].rearfoot_share = share[k];
    build(&w, GBT_SITE_SHANK, 1, GB_LOC_TIBIA);
    const gb_summary *s = &w.r.summary;
    printf("  share %.1f: rearfoot_share %.3f pattern %s confidence %.2f\n", share[k], s->rearfoot_share,
           gb_landing_pattern_name((gb_landing_pattern)s->landing_pattern), s->landing_confidence);
    assert_int_equal(s->landing_pattern, want[k]);
    if (k < 2) assert_true(s->landing_confidence > 0.5);
    else assert_true(s->landing_confidence < 0.3);
    assert_true(s->pta_p95_g >= s->pta_mean_g - 1e-6 || k == 2);
    assert_int_equal(s->impact_available, 1);
    release(&w);
  }
}

/* ---- end to end against the generator's truth ---------------------------------
 * gaitbatch synth plants each scenario and writes the events it planted
 * (truth/RUN/events.csv); the whole analyzer (preprocess, cadence, bouts, contacts,
 * posture, events) runs on the recording with the documented defaults, and every
 * planted event must be found (same kind, spans overlapping within the 10 s slack
 * of `gaitbatch eval`) and no other event raised. */

typedef struct truth_ev { char kind[32]; double t0, t1; } truth_ev;

static size_t read_truth_events(const char *dir, const char *id, truth_ev *ev, size_t cap)
{
  char p[512], line[256];
  snprintf(p, sizeof p, "%s/truth/%s/events.csv", dir, id);
  FILE *f = fopen(p, "r");
  assert_non_null(f);
  assert_non_null(fgets(line, sizeof line, f)); /* header */
  size_t n = 0;
  while (fgets(line, sizeof line, f) && n < cap) {
    assert_int_equal(sscanf(line, "%31[^,],%lf,%lf", ev[n].kind, &ev[n].t0, &ev[n].t1), 3);
    n++;
  }
  fclose(f);
  return n;
}

static gb_result *analyze_file(const char *path, gb_location loc, const gb_config *cfg)
{
  gb_source_opts o;
  gb_source_opts_init(&o);
  gb_source *src = NULL;
  assert_int_equal(gb_source_open(path, &o, &src), GB_OK);
  const gb_source_info *info = gb_source_get_info(src);
  gb_analyzer_input in = {info->rate_hz, info->channels, loc, info->full_scale_g};
  gb_analyzer *an = NULL;
  assert_int_equal(gb_analyzer_create(&cfg->analysis, &in, &an), GB_OK);
  assert_int_equal(gb_analyzer_set_risk(an, &cfg->risk), GB_OK);
  enum { CHUNK = 4096 };
  float *buf = malloc(CHUNK * 3 * sizeof(float));
  assert_non_null(buf);
  size_t n = 0;
  do {
    assert_int_equal(gb_source_read(src, buf, CHUNK, &n), GB_OK);
    if (n) assert_int_equal(gb_analyzer_push(an, buf, n), GB_OK);
  } while (n > 0);
  gb_result *res = NULL;
  assert_int_equal(gb_analyzer_finish(an, &res), GB_OK);
  gb_analyzer_free(an);
  gb_source_free(src);
  free(buf);
  return res;
}

typedef struct e2e_case {
  const char *scenario;
  gb_location loc;
  double rate, minutes, warmup_s;
  const char *must; /* a planted kind that must be among the truth events */
} e2e_case;

static void check_e2e(const e2e_case *k, const char *dir, int idx)
{
  char id[32], path[512], err[256];
  snprintf(id, sizeof id, "E%02d", idx);
  gb_synth_spec s;
  gb_synth_spec_init(&s);
  s.seed = 1000 + (uint64_t)idx;
  s.location = k->loc;
  s.sample_rate_hz = k->rate;
  s.duration_s = 60 * k->minutes;
  s.format = GB_SYNTH_WAV_FLOAT;
  s.warmup_s = k->warmup_s;
  s.surge_s = 15;
  s.stop_s = 10;
  assert_int_equal(gb_synth_apply_scenario(&s, k->scenario), GB_OK);
  assert_int_equal(gb_synth_run(&s, dir, id, NULL, err, sizeof err), GB_OK);
  snprintf(path, sizeof path, "%s/%s.wav", dir, id);
  gb_config cfg;
  gb_config_defaults(&cfg);
  gb_result *res = analyze_file(path, k->loc, &cfg);
  truth_ev tv[16];
  size_t nt = read_truth_events(dir, id, tv, 16);
  printf("  %s %s %.0f Hz %.0f min: %zu planted, %zu found\n", k->scenario, gb_location_name(k->loc), k->rate,
         k->minutes, nt, res->n_events);
  int must = 0;
  char used[64] = {0};
  assert_true(res->n_events <= sizeof used);
  for (size_t i = 0; i < nt; i++) {
    must |= strcmp(tv[i].kind, k->must) == 0;
    int hit = 0;
    for (size_t j = 0; j < res->n_events && !hit; j++) {
      const gb_event *e = &res->events[j];
      if (used[j] || strcmp(gb_event_kind_name((gb_event_kind)e->kind), tv[i].kind) != 0) continue;
      if (e->t_start_s <= tv[i].t1 + 10.0 && tv[i].t0 <= e->t_end_s + 10.0) used[j] = 1, hit = 1;
    }
    printf("    planted %s %.1f-%.1f s: %s\n", tv[i].kind, tv[i].t0, tv[i].t1, hit ? "found" : "MISSED");
    assert_true(hit);
  }
  assert_true(must);
  for (size_t j = 0; j < res->n_events; j++) {
    const gb_event *e = &res->events[j];
    if (!used[j])
      printf("    FALSE %s %.1f-%.1f s value %.2f\n", gb_event_kind_name((gb_event_kind)e->kind), e->t_start_s,
             e->t_end_s, e->value);
    assert_true(used[j]);
  }
  gb_result_free(res);
}

static void test_synth_events_vs_truth(void **state)
{
  (void)state;
  static const e2e_case cases[] = {
    /* alternating-step asymmetry at the trunk: 15 % planted (shock and ground force) */
    {"asym", GB_LOC_TRUNK, 200, 3, 30, "asymmetry"},
    /* no warm-up on a sacrum sensor; a warm-up ramp on a tibia */
    {"nowarmup", GB_LOC_SACRUM, 100, 3, 30, "warmup_missing"},
    {"steady", GB_LOC_TIBIA, 200, 3, 30, "warmup"},
    /* a fatigue drift in the second half of a run above fatigue_min_run_s (600 s) */
    {"fatigue", GB_LOC_SACRUM, 100, 12, 120, "fatigue_drift"},
    /* a mid-run stop and an abrupt end */
    {"stop", GB_LOC_SACRUM, 100, 3, 30, "abrupt_stop"},
    /* rough ground on a shank sensor */
    {"irregular", GB_LOC_TIBIA, 200, 3, 30, "irregular"},
  };
  char tmpl[] = "/tmp/gb_events_e2e_XXXXXX";
  char *dir = mkdtemp(tmpl);
  assert_non_null(dir);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) check_e2e(&cases[i], dir, (int)i);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* A missed contact mid-run (the detector drops a soft step) must not cancel the
 * asymmetry: the left/right alternation is read from step triplets, not from a
 * parity count that one missing step would flip for the rest of the run. */
static void test_asymmetry_survives_missed_contacts(void **state)
{
  (void)state;
  world w;
  memset(&w, 0, sizeof w);
  add_seg(&w, GBT_RUN, 120, 170, 170);
  w.sp.seg[0].side1_scale = 0.5; /* odd steps: peak ×0.85 on the trunk → 16.2 % */
  build(&w, GBT_SITE_TRUNK, 1, GB_LOC_SACRUM);
  float full = w.r.summary.asymmetry_pct;
  /* drop every 15th contact */
  size_t m = 0;
  for (size_t i = 0; i < w.r.n_steps; i++)
    if (i % 15 != 14) w.r.steps[m++] = w.r.steps[i];
  w.r.n_steps = m;
  assert_int_equal(gb_summary_compute(&w.p, &w.in, &w.r, w.lean, w.n_lean), 0);
  printf("  asymmetry %.2f %% with every contact, %.2f %% with 1 in 15 missed\n", full,
         w.r.summary.asymmetry_pct);
  assert_true(fabs(w.r.summary.asymmetry_pct - 16.2) < 2.5);
  release(&w);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_steady_run_has_no_risk_events), cmocka_unit_test(test_warmup),
      cmocka_unit_test(test_surge),                    cmocka_unit_test(test_impact_surge),
      cmocka_unit_test(test_fatigue),
      cmocka_unit_test(test_abrupt_stop),              cmocka_unit_test(test_irregular),
      cmocka_unit_test(test_abrupt_stop_at_end_of_recording),
      cmocka_unit_test(test_start_ramp_is_not_a_surge),
      cmocka_unit_test(test_asymmetry),                cmocka_unit_test(test_trunk_lean_event),
      cmocka_unit_test(test_landing_summary),
      cmocka_unit_test(test_asymmetry_survives_missed_contacts),
      cmocka_unit_test(test_synth_events_vs_truth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
