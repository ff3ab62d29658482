/* The cadence profile of a synthetic run as a pure function of time, the events it plants,
 * and the step schedule drawn from it.
 *
 * Timeline: still (standing) -> [warm-up ramp] -> steady running with optional surges, mid-run
 * stops, a rough-surface span and a fatigue drift -> cool-down walk (or an abrupt stop) -> still.
 * Numbers and their sources:
 *  - warm-up: cadence 0.88 -> 1.0 of steady and impact 0.65 -> 1.0 (cadence and tibial shock
 *    rise with running speed; Sheerin et al., Sports Biomech 2020: +38 % PTA from 2.7 to 3.7 m/s);
 *  - walking: 112 steps/min (Tudor-Locke et al., IJBNPA 2011: ~100-120 steps/min in adults),
 *    duty factor 0.62 (stance ~60 % of the gait cycle; Perry, Gait Analysis 1992);
 *  - running duty factor ~0.35 (contact 0.2-0.3 s at 160-180 steps/min; Garmin and RunScribe
 *    ground-contact ranges quoted in research/anchors-mission.md);
 *  - fatigue: cadence down, impact and contact time up late in the run (Schütte et al.,
 *    PLoS ONE 2015; Clansey et al., MSSE 2012);
 *  - step-time jitter 0.8 % running, 1.5 % walking (stride-time CV of healthy runners ~1-3 %,
 *    Hausdorff, J Neuroeng Rehabil 2005 for walking). */
#include <math.h>
#include <stdio.h>

#include "synth/synth_internal.h"

#define WALK_CADENCE 112.0
#define WALK_DUTY 0.62
#define STOP_DECEL_S 1.0   /* running -> still within 1 s (DESIGN §5 abrupt stop) */
#define STOP_ACCEL_S 3.0
#define SURGE_RAMP_S 3.0

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

void synth_profile_build(synth_profile *p, const gb_synth_spec *s)
{
  p->spec = s;
  double still0 = clampd(s->still_start_s, 0, 0.2 * s->duration_s);
  double still1 = clampd(s->still_end_s, 0, 0.2 * s->duration_s);
  p->a = still0;
  p->b = s->duration_s - still1;
  if (p->b < p->a) p->b = p->a;
  double span = p->b - p->a;
  double cool = s->abrupt_end ? 0.0 : fmin(15.0, 0.08 * span);
  p->run_end = p->b - cool;
  p->warm_end = p->a + clampd(s->warmup_s, 0, 0.4 * (p->run_end - p->a));
  p->fat_start = p->run_end;
  if (s->fatigue_start_frac > 0 && s->fatigue_start_frac < 1) {
    p->fat_start = p->a + s->fatigue_start_frac * (p->run_end - p->a);
    if (p->fat_start < p->warm_end) p->fat_start = p->warm_end;
  }
  p->irr0 = p->irr1 = 0;
  if (s->irregular_to_frac > s->irregular_from_frac && s->irregular_cv > 0) {
    p->irr0 = p->a + clampd(s->irregular_from_frac, 0, 1) * span;
    p->irr1 = p->a + clampd(s->irregular_to_frac, 0, 1) * span;
  }
  int walkrun = s->walk_s > 0 && s->run_s > 0;
  /* surges and stops share the steady part [warm_end, min(fat_start, run_end)) */
  double r0 = p->warm_end, r1 = fmin(p->fat_start, p->run_end);
  double len = r1 - r0;
  p->n_surges = 0;
  p->n_stops = 0;
  if (!walkrun) {
    int ns = s->n_surges < 0 ? 0 : s->n_surges > 16 ? 16 : s->n_surges;
    double need = s->surge_s + 2 * SURGE_RAMP_S;
    while (ns > 0 && ns * (need + 10.0) > len) ns--;
    for (int i = 0; i < ns; i++) p->surge_t[i] = r0 + (i + 0.5) * len / ns - need / 2;
    p->n_surges = ns;
    int nt = s->n_stops < 0 ? 0 : s->n_stops > 16 ? 16 : s->n_stops;
    double needt = STOP_DECEL_S + s->stop_s + STOP_ACCEL_S;
    while (nt > 0 && nt * (needt + 10.0) > p->run_end - r0) nt--;
    for (int i = 0; i < nt; i++) p->stop_t[i] = r0 + (i + 1.0) * (p->run_end - r0) / (nt + 1) - needt / 2;
    p->n_stops = nt;
  }
}

void synth_profile_eval(const synth_profile *p, double t, synth_state *st)
{
  const gb_synth_spec *s = p->spec;
  st->kind = SYNTH_STILL;
  st->cadence = 0;
  st->impact = 1;
  st->duty = s->duty_factor;
  st->impact_cv = s->impact_cv;
  if (t < p->a || t >= p->b) return;
  if (p->irr1 > p->irr0 && t >= p->irr0 && t < p->irr1) st->impact_cv = s->irregular_cv;
  if (s->walk_s > 0 && s->run_s > 0) {
    double ph = fmod(t - p->a, s->walk_s + s->run_s);
    if (ph < s->walk_s) {
      st->kind = SYNTH_WALK;
      st->cadence = WALK_CADENCE;
      st->duty = WALK_DUTY;
      st->impact = 1.0;
    } else {
      st->kind = SYNTH_RUN;
      st->cadence = s->cadence_spm;
    }
    return;
  }
  if (t >= p->run_end) { /* cool-down walk */
    st->kind = SYNTH_WALK;
    st->cadence = WALK_CADENCE;
    st->duty = WALK_DUTY;
    return;
  }
  double c = 1.0, imp = 1.0;
  for (int i = 0; i < p->n_stops; i++) {
    double ts = p->stop_t[i];
    if (t >= ts && t < ts + STOP_DECEL_S) c *= 1.0 - 0.35 * (t - ts) / STOP_DECEL_S;
    else if (t >= ts + STOP_DECEL_S && t < ts + STOP_DECEL_S + s->stop_s) return; /* still */
    else if (t >= ts + STOP_DECEL_S + s->stop_s && t < ts + STOP_DECEL_S + s->stop_s + STOP_ACCEL_S)
      c *= 0.85 + 0.15 * (t - ts - STOP_DECEL_S - s->stop_s) / STOP_ACCEL_S;
  }
  if (s->abrupt_end && t >= p->run_end - STOP_DECEL_S) c *= 1.0 - 0.35 * (t - (p->run_end - STOP_DECEL_S));
  if (t < p->warm_end) {
    double u = (t - p->a) / (p->warm_end - p->a);
    c *= 0.88 + 0.12 * u;
    imp *= 0.65 + 0.35 * u;
  }
  for (int i = 0; i < p->n_surges; i++) {
    double ts = p->surge_t[i], g = 0;
    if (t >= ts && t < ts + SURGE_RAMP_S) g = (t - ts) / SURGE_RAMP_S;
    else if (t >= ts + SURGE_RAMP_S && t < ts + SURGE_RAMP_S + s->surge_s) g = 1;
    else if (t >= ts + SURGE_RAMP_S + s->surge_s && t < ts + 2 * SURGE_RAMP_S + s->surge_s)
      g = 1 - (t - ts - SURGE_RAMP_S - s->surge_s) / SURGE_RAMP_S;
    c *= 1 + s->surge_gain * g;
    imp *= 1 + 2.5 * s->surge_gain * g;
  }
  if (t >= p->fat_start && p->run_end > p->fat_start) {
    double u = (t - p->fat_start) / (p->run_end - p->fat_start);
    c *= 1 - s->fatigue_cadence_drop * u;
    imp *= 1 + s->fatigue_impact_rise * u;
    st->duty += 0.03 * u;
  }
  st->kind = SYNTH_RUN;
  st->cadence = s->cadence_spm * c;
  st->impact = imp;
}

double synth_profile_mean_cadence(const synth_profile *p, double t0, double t1)
{
  enum { SUB = 20 };
  double sum = 0;
  synth_state st;
  for (int i = 0; i < SUB; i++) {
    synth_profile_eval(p, t0 + (i + 0.5) * (t1 - t0) / SUB, &st);
    sum += st.cadence;
  }
  return sum / SUB;
}

static int ev(FILE *f, const char *kind, double t0, double t1, double v)
{
  fprintf(f, "%s,%.3f,%.3f,%.3f\n", kind, t0, t1, v);
  return 1;
}

int synth_profile_events(const synth_profile *p, FILE *f)
{
  const gb_synth_spec *s = p->spec;
  int n = 0;
  int walkrun = s->walk_s > 0 && s->run_s > 0;
  if (p->b <= p->a) return 0;
  if (!walkrun) {
    if (p->warm_end > p->a) n += ev(f, "warmup", p->a, p->warm_end, 100.0 * (1.0 / 0.88 - 1.0));
    else n += ev(f, "warmup_missing", p->a, p->a + fmin(120.0, (p->run_end - p->a) / 4), 0.0);
  }
  for (int i = 0; i < p->n_surges; i++)
    n += ev(f, "surge", p->surge_t[i], p->surge_t[i] + 2 * SURGE_RAMP_S + s->surge_s, 100.0 * s->surge_gain);
  for (int i = 0; i < p->n_stops; i++)
    n += ev(f, "abrupt_stop", p->stop_t[i], p->stop_t[i] + STOP_DECEL_S, s->stop_s);
  if (s->abrupt_end && !walkrun) n += ev(f, "abrupt_stop", p->run_end - STOP_DECEL_S, p->run_end, s->still_end_s);
  if (!walkrun && p->fat_start < p->run_end)
    n += ev(f, "fatigue_drift", p->fat_start, p->run_end, -100.0 * s->fatigue_cadence_drop);
  if (p->irr1 > p->irr0) n += ev(f, "irregular", p->irr0, p->irr1, s->irregular_cv);
  if (s->asymmetry_pct > 0) n += ev(f, "asymmetry", p->a, p->run_end, s->asymmetry_pct);
  if (fabs(s->trunk_lean_deg + s->trunk_lean_drift_deg / 2) > 20.0 || fabs(s->trunk_lean_drift_deg) > 5.0)
    n += ev(f, "trunk_lean", p->a, p->b, s->trunk_lean_deg + s->trunk_lean_drift_deg / 2);
  return n;
}

/* ---- step schedule ---- */

void synth_stepgen_init(synth_stepgen *g, const synth_profile *p, const gb_synth_spec *s)
{
  g->prof = p;
  g->spec = s;
  synth_rng_seed(&g->rng, s->seed, 1);
  g->t_next = p->a;
  g->side_next = 0;
  g->bout = 0;
  g->done = 0;
}

int synth_stepgen_next(synth_stepgen *g, synth_step *out)
{
  const gb_synth_spec *s = g->spec;
  const synth_profile *p = g->prof;
  synth_state st;
  if (g->done) return 0;
  double t = g->t_next;
  synth_profile_eval(p, t, &st);
  if (st.kind == SYNTH_STILL) {
    /* find the start of the next moving span (0.01 s resolution) */
    double t0 = t;
    long k = 0;
    while (st.kind == SYNTH_STILL && t < p->b) {
      k++;
      t = t0 + 0.01 * (double)k;
      synth_profile_eval(p, t, &st);
    }
    g->bout++;
  }
  if (st.kind == SYNTH_STILL || t >= p->b) {
    g->done = 1;
    return 0;
  }
  synth_rng *r = &g->rng;
  double Tn = 60.0 / st.cadence;
  double jit = st.kind == SYNTH_RUN ? 0.008 : 0.015;
  double T = Tn * (1.0 + jit * clampd(synth_rng_gauss(r), -3, 3));
  out->t = t;
  out->side = g->side_next;
  out->kind = st.kind;
  out->bout = g->bout;
  out->T = T;
  out->S = 2 * T;
  /* Asymmetry (the "asym" scenario, asymmetry_pct = a): the favoured leg lands harder
   * and stiffer. Its tibial shock is (1 + a/2) and its contact time (1 - a/2) times
   * the mean, the other leg's (1 - a/2) and (1 + a/2). The contact time carries the
   * asymmetry to the ground force: each step's vertical impulse is body weight x its
   * step time (Newton), so a stance (1 -+ a/2) as long has a force peak ~(1 +- a/2)
   * as high, and a trunk sensor, which sees the ground force, not the shank's shock,
   * shows the same symmetry index a (Zifchock et al., Gait Posture 2008: symmetry
   * indices of vertical force peaks, loading rate and tibial shock; running
   * asymmetry shows in ground-contact time, e.g. the contact-time balance of
   * trunk-worn running pods). Step times stay symmetric. Walking steps keep
   * symmetric contact times: a walking stance overlaps the other leg's (double
   * support), and shortening one would leave its force hump below body weight,
   * which is no gait at all (the asymmetry is planted over the running part). */
  double side_sign = out->side == 0 ? 1.0 : -1.0;
  double tc_asym = st.kind == SYNTH_RUN ? side_sign * 0.5 * s->asymmetry_pct / 100.0 : 0.0;
  out->tc = st.duty * 2.0 * Tn * (1.0 + 0.03 * clampd(synth_rng_gauss(r), -3, 3)) *
            (1.0 - tc_asym);
  double u = synth_rng_uniform(r);
  out->rearfoot = st.kind == SYNTH_WALK ? 1 : (u < s->rearfoot_share);
  /* Own-leg shock at the tibia, in g above gravity: rearfoot impact_g - 1; midfoot/forefoot
   * ~40 % lower (Laughton et al., J Appl Biomech 2003: lower tibial shock with forefoot strike);
   * walking ~30 % of the running rearfoot shock (tibial shock 2-4 g walking vs 5-12 g running,
   * Lafortune, J Biomech 1991). */
  double base = s->impact_g - 1.0;
  if (base < 0.2) base = 0.2;
  double shock = st.kind == SYNTH_WALK ? 0.3 * base : out->rearfoot ? base : 0.6 * base;
  double side_f = 1.0 + side_sign * 0.5 * s->asymmetry_pct / 100.0;
  double var = 1.0 + st.impact_cv * clampd(synth_rng_gauss(r), -3, 3);
  if (var < 0.2) var = 0.2;
  out->intensity = st.kind == SYNTH_WALK ? 1.0 : st.impact;
  out->shock_g = shock * out->intensity * side_f * var;
  double fj = synth_rng_gauss(r);
  if (out->rearfoot) { /* 12-18 Hz damped oscillation: the heel-strike impact band 10-20 Hz
                          (Shorten & Winslow, J Appl Biomech 1992; Gruber et al., J Biomech 2014) */
    out->f_imp = clampd(15.0 + 1.5 * fj, 12.0, 18.0);
    out->tau_imp = 0.035;
  } else {             /* smooth Gaussian loading bump, energy below ~10 Hz (4-8 Hz active band) */
    out->f_imp = 0.0;
    out->tau_imp = clampd(0.018 + 0.002 * fj, 0.014, 0.022); /* sigma */
  }
  out->peak_g = -1e30;
  out->clipped = 0;
  g->t_next = t + T;
  g->side_next ^= 1;
  return 1;
}
