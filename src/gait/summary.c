/* The one-row run summary (DESIGN §14 names) from the result tables.
 *
 * Step set: impact, loading-rate, contact-time, oscillation and landing figures
 * use the running steps when the run has any, else every step (a walk). Medians
 * and percentiles are taken on sorted copies; p95 interpolates linearly between
 * order statistics (Hyndman & Fan type 7). Cumulative impact sums peak_g over all
 * contacts the sensor reports (own-leg contacts only for tibia/foot/thigh).
 * Landing confidence = |2·share − 1| × n/(n + GB_SUM_CONF_N): the distance of the
 * rearfoot share from an even split, discounted for few classified steps.
 * impact_cv is the step-to-step CV (successive differences, see below). */
#include <math.h>
#include <stdlib.h>

/* Consecutive contacts further apart than this are not one step sequence (the
 * slowest walking stride of a unilateral sensor is ~1.5 s). */
#define GB_SUM_PAIR_GAP_S 2.0

#include "gaitbatch/status.h"
#include "gait/gait_internal.h"
#include "gait/run_stats.h"

#define GB_SUM_REARFOOT_SHARE 0.7 /* ≥ 70 % rearfoot = rearfoot pattern, ≤ 30 % = midfoot
                                     (task spec; cf. 71 % RFS base rate, Patoz et al. 2019) */
#define GB_SUM_CONF_N 20.0        /* steps at which the sample-size factor reaches 1/2 */

typedef struct vec {
  float *x;
  size_t n;
} vec;

static void vec_push(vec *v, float x) { v->x[v->n++] = x; }

int gb_summary_compute(const gb_analysis_params *p, const gb_analyzer_input *in, gb_result *r,
                       const gb_lean_row *lean, size_t n_lean)
{
  if (!p || !in || !r) return GB_EINVAL;
  gb_summary *s = &r->summary;
  s->sample_rate_hz = in->sample_rate_hz;
  s->location = in->location;

  /* cadence over gait windows */
  {
    float *c = calloc(r->n_cadence ? r->n_cadence : 1, sizeof(float));
    if (!c) return GB_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < r->n_cadence; i++)
      if (r->cadence[i].cadence_spm > 0) c[m++] = r->cadence[i].cadence_spm;
    double mu, sd;
    gb_rs_mean_sd(c, m, &mu, &sd);
    s->cadence_mean_spm = (float)mu;
    s->cadence_median_spm = gb_rs_median(c, m);
    s->cadence_cv = m > 1 && mu > 0 ? (float)(sd / mu) : NAN;
    free(c);
  }

  s->running_s = gb_rs_bout_time(r, GB_BOUT_RUNNING);
  s->walking_s = gb_rs_bout_time(r, GB_BOUT_WALKING);
  s->still_s = gb_rs_bout_time(r, GB_BOUT_STILL);
  s->n_steps = (int32_t)r->n_steps;
  s->impact_available = in->sample_rate_hz >= p->impact_min_rate_hz && in->location != GB_LOC_WRIST;

  size_t n = r->n_steps;
  int any_run = 0;
  for (size_t i = 0; i < n; i++) any_run |= r->steps[i].bout_kind == GB_BOUT_RUNNING;
  size_t cap = n ? n : 1;
  vec pk = {malloc(cap * sizeof(float)), 0}, lr = {malloc(cap * sizeof(float)), 0};
  vec ct = {malloc(cap * sizeof(float)), 0}, vo = {malloc(cap * sizeof(float)), 0};
  if (!pk.x || !lr.x || !ct.x || !vo.x) {
    free(pk.x); free(lr.x); free(ct.x); free(vo.x);
    return GB_ENOMEM;
  }
  double cum = 0;
  size_t n_clip = 0, n_class = 0, n_rear = 0;
  for (size_t i = 0; i < n; i++) {
    const gb_step *st = &r->steps[i];
    if (isfinite(st->peak_g)) cum += st->peak_g;
    n_clip += st->clipped != 0;
    if (any_run && st->bout_kind != GB_BOUT_RUNNING) continue;
    vec_push(&pk, st->peak_g);
    vec_push(&lr, st->loading_rate_gps);
    vec_push(&ct, st->contact_time_ms);
    vec_push(&vo, st->vertical_osc_cm);
    if (st->landing != GB_LANDING_UNKNOWN) {
      n_class++;
      n_rear += st->landing == GB_LANDING_REARFOOT;
    }
  }
  double mu, sd;
  gb_rs_mean_sd(pk.x, pk.n, &mu, &sd);
  s->pta_mean_g = (float)mu;
  s->pta_p95_g = gb_rs_percentile(pk.x, pk.n, 0.95);
  /* step-to-step CV: the scatter between consecutive contacts of the step set,
     sqrt(mean (x[k+1] − x[k])² / 2) / mean (von Neumann's successive differences:
     the SD for independent steps, blind to slow changes such as a warm-up ramp or a
     fatigue drift, which are not step-to-step irregularity) */
  double ss = 0;
  size_t n_pairs = 0;
  for (size_t i = 1; i < n; i++) {
    const gb_step *a = &r->steps[i - 1], *b = &r->steps[i];
    if (any_run && (a->bout_kind != GB_BOUT_RUNNING || b->bout_kind != GB_BOUT_RUNNING)) continue;
    if (!isfinite(a->peak_g) || !isfinite(b->peak_g) || !(b->t_s - a->t_s < GB_SUM_PAIR_GAP_S)) continue;
    ss += ((double)b->peak_g - a->peak_g) * ((double)b->peak_g - a->peak_g);
    n_pairs++;
  }
  s->impact_cv = mu > 0 && n_pairs > 0 ? (float)(sqrt(ss / (2.0 * (double)n_pairs)) / mu) : NAN;
  gb_rs_mean_sd(lr.x, lr.n, &mu, &sd);
  s->loading_rate_mean_gps = (float)mu;
  s->contact_time_ms = gb_rs_median(ct.x, ct.n);
  s->vertical_oscillation_cm = gb_rs_median(vo.x, vo.n);
  free(pk.x); free(lr.x); free(ct.x); free(vo.x);
  s->cumulative_impact_g = n ? cum : 0;
  s->clipped_share = n ? (float)((double)n_clip / (double)n) : NAN;

  if (n_class > 0) {
    double share = (double)n_rear / (double)n_class;
    s->rearfoot_share = (float)share;
    s->landing_pattern = share >= GB_SUM_REARFOOT_SHARE         ? GB_PATTERN_REARFOOT
                         : share <= 1.0 - GB_SUM_REARFOOT_SHARE ? GB_PATTERN_MIDFOOT
                                                                : GB_PATTERN_MIXED;
    s->landing_confidence =
        (float)(fabs(2.0 * share - 1.0) * (double)n_class / ((double)n_class + GB_SUM_CONF_N));
  } else {
    s->rearfoot_share = NAN;
    s->landing_pattern = GB_PATTERN_UNKNOWN;
    s->landing_confidence = NAN;
  }

  /* asymmetry over the running span */
  double t0 = 0, t1 = -1;
  for (size_t i = 0; i < r->n_bouts; i++)
    if (r->bouts[i].kind == GB_BOUT_RUNNING) {
      if (t1 < t0) t0 = r->bouts[i].t_start_s;
      t1 = r->bouts[i].t_end_s;
    }
  s->asymmetry_pct = t1 >= t0 ? gb_rs_asymmetry_pct(r, in, t0, t1) : NAN;

  /* trunk lean while running (walking when the run has no running) */
  s->trunk_lean_deg = s->trunk_lean_drift_deg = NAN;
  if (lean && n_lean > 0) {
    float *x = malloc(n_lean * sizeof(float));
    if (!x) return GB_ENOMEM;
    size_t m = 0;
    int want = s->running_s > 0 ? GB_BOUT_RUNNING : GB_BOUT_WALKING;
    for (size_t i = 0; i < n_lean; i++)
      if (gb_rs_bout_kind_at(r, lean[i].t_s) == want) x[m++] = lean[i].lean_deg;
    s->trunk_lean_deg = gb_rs_median(x, m);
    size_t third = m / 3;
    if (third >= 1)
      s->trunk_lean_drift_deg = gb_rs_median(x + m - third, third) - gb_rs_median(x, third);
    free(x);
  }
  return 0;
}
