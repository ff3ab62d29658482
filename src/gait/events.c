/* In-run events, computed at finish from the result tables (steps, bouts,
 * cadence rows) and the lean track. Units of value / reference per kind:
 *   warmup_missing, warmup: value = the lowest intensity over quarters (≥ 10 s)
 *     of the first warmup_window_s of moving time (at most a quarter of it), as
 *     % of the steady state (the middle third of the running time; the smaller
 *     of the cadence and the impact ratio); reference = GB_EV_WARMUP_PCT (95 %).
 *   surge: value = rise in % over surge_window_s (cadence, or impact when only
 *     the impact jumped); reference = the level before the rise (spm or g).
 *   fatigue_drift: value = late − early change in % (cadence: negative = drop;
 *     impact: positive = rise); reference = the early level (spm or g).
 *   abrupt_stop: value = time from the last running-paced step to stillness, s;
 *     reference = stop_max_s.
 *   irregular: value = largest rolling CV of peak_g; reference = GB_EV_IMPACT_CV_MAX.
 *   asymmetry: value = alternating-step peak_g asymmetry, %; reference =
 *     GB_EV_ASYM_PCT.
 *   trunk_lean: value = median lean (deg) or drift (deg); reference = the limit.
 * Thresholds that live in gb_risk_params are fixed here at the same documented
 * values, because this stage only receives gb_analysis_params. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/status.h"
#include "gait/gait_internal.h"
#include "gait/run_stats.h"

#define GB_EV_WARMUP_PCT 95.0        /* "already at steady intensity": ≥ 95 % of steady (task spec) */
#define GB_EV_WARMUP_MIN_S 20.0      /* a warm-up window shorter than this (runs under 80 s of
                                        movement) says nothing about a warm-up */
#define GB_EV_SURGE_IMPACT_PCT 25.0  /* impact jump = surge: +1 m/s raises tibial acceleration
                                        by ~38 % (Sheerin et al., Sports Biomech 2020); 25 %
                                        ≈ a sudden +0.65 m/s */
#define GB_EV_FATIGUE_CAD_DROP_PCT 3.0  /* = risk fatigue_cadence_drop_pct (Mizrahi 2000: −5 %) */
#define GB_EV_FATIGUE_IMPACT_PCT 15.0   /* = risk fatigue_impact_rise_pct (Mizrahi 2000: 6.9→11.1 g) */
#define GB_EV_IMPACT_CV_MAX 0.25     /* = risk impact_cv_max (surface.irregular) */
#define GB_EV_IRREG_WIN 20           /* steps per rolling window */
#define GB_EV_ASYM_PCT 10.0          /* = risk asymmetry_max_pct (Zifchock et al. 2008) */
#define GB_EV_LEAN_MAX_DEG 20.0      /* = risk trunk_lean_max_deg (Teng & Powers 2014: 5–15° typical) */
#define GB_EV_LEAN_DRIFT_DEG 5.0     /* = risk trunk_lean_drift_deg */
#define GB_EV_STOP_QUIET_S 3.0       /* no contact for this long after the last step = stopped */
#define GB_EV_MAX_GAP_S 1.0          /* contacts further apart are not one continuous run */

typedef struct ev_list {
  gb_event *v;
  size_t n, cap;
} ev_list;

static int add_event(ev_list *l, int kind, double t0, double t1, double value, double ref)
{
  if (l->n == l->cap) {
    size_t nc = l->cap ? 2 * l->cap : 16;
    gb_event *t = realloc(l->v, nc * sizeof *t);
    if (!t) return GB_ENOMEM;
    l->v = t;
    l->cap = nc;
  }
  gb_event *e = &l->v[l->n++];
  e->t_start_s = t0;
  e->t_end_s = t1;
  e->kind = kind;
  e->value = (float)value;
  e->reference = (float)ref;
  return 0;
}

static int is_running(const gb_step *s) { return s->bout_kind == GB_BOUT_RUNNING; }

/* First and last time of running bouts; 0 when none. */
static int running_span(const gb_result *r, double *t0, double *t1)
{
  int any = 0;
  for (size_t i = 0; i < r->n_bouts; i++) {
    if (r->bouts[i].kind != GB_BOUT_RUNNING) continue;
    if (!any) *t0 = r->bouts[i].t_start_s;
    *t1 = r->bouts[i].t_end_s;
    any = 1;
  }
  return any;
}

/* Median peak_g of running steps with t in [a, b). */
static float median_peak(const gb_result *r, double a, double b, int running_only)
{
  float *x = malloc((r->n_steps ? r->n_steps : 1) * sizeof(float));
  if (!x) return NAN;
  size_t m = 0;
  for (size_t i = 0; i < r->n_steps; i++)
    if (r->steps[i].t_s >= a && r->steps[i].t_s < b && (!running_only || is_running(&r->steps[i])))
      x[m++] = r->steps[i].peak_g;
  float v = gb_rs_median(x, m);
  free(x);
  return v;
}

/* Cadence from the contacts with t in [a, b) (running only when asked). */
static float step_cadence(const gb_result *r, const gb_analyzer_input *in, double a, double b,
                          int running_only)
{
  size_t i0 = 0;
  while (i0 < r->n_steps && r->steps[i0].t_s < a) i0++;
  size_t i1 = i0;
  while (i1 < r->n_steps && r->steps[i1].t_s < b) i1++;
  if (!running_only) return gb_rs_step_cadence(r->steps, i0, i1, GB_EV_MAX_GAP_S * 2, gb_rs_steps_per_contact(in));
  /* running only: intervals between consecutive running steps */
  float *iv = malloc((i1 > i0 ? i1 - i0 : 1) * sizeof(float));
  if (!iv) return NAN;
  size_t m = 0;
  double gap = GB_EV_MAX_GAP_S * gb_rs_steps_per_contact(in);
  for (size_t i = i0 + 1; i < i1; i++)
    if (is_running(&r->steps[i]) && is_running(&r->steps[i - 1])) {
      double d = r->steps[i].t_s - r->steps[i - 1].t_s;
      if (d > 0 && d < gap) iv[m++] = (float)d;
    }
  float med = gb_rs_median(iv, m);
  free(iv);
  return isfinite(med) && med > 0 ? (float)(60.0 * gb_rs_steps_per_contact(in) / med) : NAN;
}

/* Time at which `frac` of the running time has elapsed. */
static double running_time_at(const gb_result *r, double frac)
{
  double total = gb_rs_bout_time(r, GB_BOUT_RUNNING), want = frac * total, acc = 0;
  for (size_t i = 0; i < r->n_bouts; i++) {
    if (r->bouts[i].kind != GB_BOUT_RUNNING) continue;
    double d = r->bouts[i].t_end_s - r->bouts[i].t_start_s;
    if (acc + d >= want) return r->bouts[i].t_start_s + (want - acc);
    acc += d;
  }
  return r->n_bouts ? r->bouts[r->n_bouts - 1].t_end_s : 0;
}

static int ev_warmup(const gb_analysis_params *p, const gb_analyzer_input *in, const gb_result *r,
                     ev_list *l)
{
  /* "the first minutes": warmup_window_s, but at most a quarter of the moving
     time so that a steady state remains to compare with */
  double moving = 0;
  for (size_t i = 0; i < r->n_bouts; i++)
    if (r->bouts[i].kind != GB_BOUT_STILL) moving += r->bouts[i].t_end_s - r->bouts[i].t_start_s;
  double W = fmin(p->warmup_window_s, moving / 4.0);
  if (!(W >= GB_EV_WARMUP_MIN_S) || gb_rs_bout_time(r, GB_BOUT_RUNNING) < 2.0 * W) return 0;
  double tm = -1;
  for (size_t i = 0; i < r->n_bouts; i++)
    if (r->bouts[i].kind != GB_BOUT_STILL) { tm = r->bouts[i].t_start_s; break; }
  if (tm < 0) return 0;
  double m0 = running_time_at(r, 1.0 / 3.0), m1 = running_time_at(r, 2.0 / 3.0);
  float cad_s = step_cadence(r, in, m0, m1, 1), imp_s = median_peak(r, m0, m1, 1);
  if (!isfinite(cad_s) || !isfinite(imp_s) || !(cad_s > 0) || !(imp_s > 0)) return 0;
  /* "already at steady intensity" must hold for every part of the window: the
     lowest intensity over sub-windows of a quarter of it (≥ 10 s) */
  double sw = fmax(10.0, W / 4.0), pct = INFINITY;
  for (double a = tm; a < tm + W - 1e-9; a += sw) {
    double b = fmin(a + sw, tm + W);
    float cad_w = step_cadence(r, in, a, b, 0), imp_w = median_peak(r, a, b, 0);
    double rc = isfinite(cad_w) ? cad_w / cad_s : 0, ri = isfinite(imp_w) ? imp_w / imp_s : 0;
    pct = fmin(pct, 100.0 * fmin(rc, ri));
  }
  int kind = pct >= GB_EV_WARMUP_PCT ? GB_EVENT_WARMUP_MISSING : GB_EVENT_WARMUP;
  return add_event(l, kind, tm, tm + W, pct, GB_EV_WARMUP_PCT);
}

/* The impact level of [b0, b1) exceeds that of [a0, a1) by more than the
 * step-to-step scatter explains (Welch z ≥ 3 on the running peak_g), and both
 * levels are steady (CV ≤ GB_EV_IMPACT_CV_MAX): on rough ground single hard steps
 * must not read as a surge. */
static int impact_jump_clear(const gb_result *r, double a0, double a1, double b0, double b1)
{
  double s[2] = {0, 0}, ss[2] = {0, 0};
  size_t n[2] = {0, 0};
  for (size_t i = 0; i < r->n_steps; i++) {
    const gb_step *st = &r->steps[i];
    if (!is_running(st) || !isfinite(st->peak_g)) continue;
    int k = st->t_s >= a0 && st->t_s < a1 ? 0 : st->t_s >= b0 && st->t_s < b1 ? 1 : -1;
    if (k < 0) continue;
    s[k] += st->peak_g;
    ss[k] += (double)st->peak_g * st->peak_g;
    n[k]++;
  }
  if (n[0] < 5 || n[1] < 5) return 0;
  double m0 = s[0] / n[0], m1 = s[1] / n[1];
  double v0 = fmax(0, ss[0] / n[0] - m0 * m0) * n[0] / (n[0] - 1);
  double v1 = fmax(0, ss[1] / n[1] - m1 * m1) * n[1] / (n[1] - 1);
  /* a jump between two steady levels: rough ground (irregular) is not a surge */
  if (!(m0 > 0) || sqrt(v0) / m0 > GB_EV_IMPACT_CV_MAX || sqrt(v1) / m1 > GB_EV_IMPACT_CV_MAX) return 0;
  double se = sqrt(v0 / n[0] + v1 / n[1]);
  return se == 0 ? m1 > m0 : (m1 - m0) / se >= 3.0;
}

/* Adds a surge, merged with the previous one when they overlap or nearly touch. */
static int add_surge(ev_list *l, double t0, double t1, double value, double ref, double gap)
{
  if (l->n > 0) {
    gb_event *e = &l->v[l->n - 1];
    if (e->kind == GB_EVENT_SURGE && t0 <= e->t_end_s + gap) {
      if (t1 > e->t_end_s) e->t_end_s = t1;
      if (value > e->value) e->value = (float)value;
      return 0;
    }
  }
  return add_event(l, GB_EVENT_SURGE, t0, t1, value, ref);
}

static int ev_surge(const gb_analysis_params *p, const gb_analyzer_input *in, const gb_result *r,
                    ev_list *l)
{
  double t0 = 0, t1 = 0, W = p->surge_window_s;
  if (!running_span(r, &t0, &t1) || !(W > 0)) return 0;
  const double look = 4.0; /* local level: contacts of the last 4 s (≥ 6 at stride rate) */
  int open = 0;
  double e0 = 0, e1 = 0, best = 0, ref = 0;
  for (double t = ceil(t0) + W + look; t <= t1 + 1e-9; t += 1.0) {
    int ok = gb_rs_bout_kind_at(r, t - 0.5 * look) == GB_BOUT_RUNNING &&
             gb_rs_bout_kind_at(r, t - W - 0.5 * look) == GB_BOUT_RUNNING;
    double rise = 0, lvl = 0, from = t - W - look;
    if (ok) {
      float c1 = step_cadence(r, in, t - look, t, 1), c0 = step_cadence(r, in, t - W - look, t - W, 1);
      /* impact: steady levels over W before t − W and W after t (a jump within W) */
      float i1 = median_peak(r, t, t + W, 1), i0 = median_peak(r, t - 2 * W, t - W, 1);
      double rcad = isfinite(c1) && isfinite(c0) && c0 > 0 ? 100.0 * (c1 / c0 - 1.0) : 0;
      double rimp = isfinite(i1) && isfinite(i0) && i0 > 0 ? 100.0 * (i1 / i0 - 1.0) : 0;
      if (rimp > 0 && (gb_rs_bout_kind_at(r, t - 2 * W) != GB_BOUT_RUNNING ||
                       gb_rs_bout_kind_at(r, t + W) != GB_BOUT_RUNNING ||
                       !impact_jump_clear(r, t - 2 * W, t - W, t, t + W)))
        rimp = 0;
      /* a jump, not a ramp (a warm-up raises impact over tens of seconds): each level
         moves by less than a sixth of the jump across its own window (a linear ramp
         moves by a third: the half-window medians are a third as far apart) */
      if (rimp > 0) {
        float b0 = median_peak(r, t - 2 * W, t - 1.5 * W, 1), b1 = median_peak(r, t - 1.5 * W, t - W, 1);
        float a0 = median_peak(r, t, t + 0.5 * W, 1), a1 = median_peak(r, t + 0.5 * W, t + W, 1);
        double jump = (double)i1 - i0;
        if (!(fabs((double)b1 - b0) < jump / 6.0) || !(fabs((double)a1 - a0) < jump / 6.0)) rimp = 0;
      }
      /* a surge speeds up a runner who was already running (not a walk-to-run start) */
      if (rcad >= p->surge_cadence_pct && c0 >= p->running_min_spm) {
        /* a jump between two steady paces, not a ramp: each level holds for `look` s */
        float c00 = step_cadence(r, in, t - W - 2 * look, t - W - look, 1);
        float c11 = step_cadence(r, in, t, t + look, 1);
        double tol = rcad / 3.0 / 100.0;
        if (isfinite(c00) && isfinite(c11) && fabs(c0 / c00 - 1.0) < tol && fabs(c11 / c1 - 1.0) < tol) {
          rise = rcad;
          lvl = c0;
        }
      }
      else if (rimp >= GB_EV_SURGE_IMPACT_PCT) { rise = rimp; lvl = i0; from = t - W; }
    }
    if (rise > 0) {
      if (!open) { open = 1; e0 = from; best = 0; ref = lvl; }
      e1 = t;
      if (rise > best) best = rise;
    } else if (open) {
      int rc = add_surge(l, e0, e1, best, ref, W);
      if (rc) return rc;
      open = 0;
    }
  }
  return open ? add_surge(l, e0, e1, best, ref, W) : 0;
}

static int ev_fatigue(const gb_analysis_params *p, const gb_analyzer_input *in, const gb_result *r,
                      ev_list *l)
{
  double run = gb_rs_bout_time(r, GB_BOUT_RUNNING);
  if (run < p->fatigue_min_run_s || run <= 0) return 0;
  double q1 = running_time_at(r, 0.25), q3 = running_time_at(r, 0.75), t0 = 0, t1 = 0;
  if (!running_span(r, &t0, &t1)) return 0;
  float c_e = step_cadence(r, in, t0, q1, 1), c_l = step_cadence(r, in, q3, t1 + 1, 1);
  float i_e = median_peak(r, t0, q1, 1), i_l = median_peak(r, q3, t1 + 1, 1);
  int rc = 0;
  if (isfinite(c_e) && isfinite(c_l) && c_e > 0) {
    double d = 100.0 * (c_l / c_e - 1.0);
    if (d <= -GB_EV_FATIGUE_CAD_DROP_PCT) rc = add_event(l, GB_EVENT_FATIGUE_DRIFT, q3, t1, d, c_e);
  }
  if (!rc && isfinite(i_e) && isfinite(i_l) && i_e > 0) {
    double d = 100.0 * (i_l / i_e - 1.0);
    if (d >= GB_EV_FATIGUE_IMPACT_PCT) rc = add_event(l, GB_EVENT_FATIGUE_DRIFT, q3, t1, d, i_e);
  }
  return rc;
}

static int ev_abrupt_stop(const gb_analysis_params *p, const gb_analyzer_input *in,
                          const gb_result *r, ev_list *l)
{
  const gb_step *s = r->steps;
  int mult = gb_rs_steps_per_contact(in);
  double rec_end = r->summary.duration_s > 0 ? r->summary.duration_s
                                             : (r->n_bouts ? r->bouts[r->n_bouts - 1].t_end_s : 0);
  for (size_t i = 0; i < r->n_steps; i++) {
    double next = i + 1 < r->n_steps ? s[i + 1].t_s : rec_end;
    if (next - s[i].t_s < GB_EV_STOP_QUIET_S || rec_end - s[i].t_s < GB_EV_STOP_QUIET_S) continue;
    /* a pause: was the body still right after it? */
    int still = gb_rs_bout_kind_at(r, s[i].t_s + GB_EV_STOP_QUIET_S) == GB_BOUT_STILL;
    for (size_t b = 0; b < r->n_bouts && !still; b++)
      if (r->bouts[b].kind == GB_BOUT_STILL && r->bouts[b].t_start_s > s[i].t_s - p->window_s &&
          r->bouts[b].t_start_s < next)
        still = 1;
    if (!still) continue;
    /* the last running-paced contact before the pause */
    float ref_pk = median_peak(r, s[i].t_s - 30.0, s[i].t_s + 1e-9, 1);
    size_t k = i + 1;
    while (k-- > 0) {
      if (s[i].t_s - s[k].t_s > 10.0) { k = (size_t)-1; break; }
      if (k == 0 || !is_running(&s[k])) continue;
      double d = s[k].t_s - s[k - 1].t_s;
      double cad = d > 0 ? 60.0 * mult / d : 0;
      if (cad >= p->running_min_spm && isfinite(ref_pk) && s[k].peak_g >= 0.5f * ref_pk) break;
    }
    if (k == (size_t)-1) continue;
    double step_t = k > 0 ? s[k].t_s - s[k - 1].t_s : 0.35;
    double dur = s[i].t_s - s[k].t_s + step_t; /* still one step after the last contact */
    if (dur <= p->stop_max_s) {
      int rc = add_event(l, GB_EVENT_ABRUPT_STOP, s[k].t_s, s[i].t_s + step_t, dur, p->stop_max_s);
      if (rc) return rc;
    }
  }
  return 0;
}

static int ev_irregular(const gb_result *r, ev_list *l)
{
  float x[GB_EV_IRREG_WIN];
  int open = 0, quiet = 0;
  double e0 = 0, e1 = 0, best = 0;
  /* windows of consecutive running steps, hop half a window */
  size_t i = 0;
  while (i + GB_EV_IRREG_WIN <= r->n_steps) {
    int ok = 1;
    for (size_t k = 0; k < GB_EV_IRREG_WIN && ok; k++) {
      const gb_step *s = &r->steps[i + k];
      ok = is_running(s) && isfinite(s->peak_g) &&
           (k == 0 || s->t_s - r->steps[i + k - 1].t_s < 2 * GB_EV_MAX_GAP_S);
      x[k] = s->peak_g;
    }
    double mu, sd;
    gb_rs_mean_sd(x, GB_EV_IRREG_WIN, &mu, &sd);
    double cv = ok && mu > 0 ? sd / mu : 0;
    if (cv > GB_EV_IMPACT_CV_MAX) {
      if (!open) { open = 1; e0 = r->steps[i].t_s; best = 0; }
      e1 = r->steps[i + GB_EV_IRREG_WIN - 1].t_s;
      if (cv > best) best = cv;
      quiet = 0;
    } else if (open && ok && ++quiet < 2) {
      /* one calmer window inside a rough stretch does not split it */
    } else if (open) {
      int rc = add_event(l, GB_EVENT_IRREGULAR, e0, e1, best, GB_EV_IMPACT_CV_MAX);
      if (rc) return rc;
      open = 0;
    }
    i += GB_EV_IRREG_WIN / 2;
  }
  return open ? add_event(l, GB_EVENT_IRREGULAR, e0, e1, best, GB_EV_IMPACT_CV_MAX) : 0;
}

static int ev_asymmetry(const gb_analyzer_input *in, const gb_result *r, ev_list *l)
{
  double t0 = 0, t1 = 0;
  if (!running_span(r, &t0, &t1)) return 0;
  float a = gb_rs_asymmetry_pct(r, in, t0, t1);
  if (isfinite(a) && a > GB_EV_ASYM_PCT) return add_event(l, GB_EVENT_ASYMMETRY, t0, t1, a, GB_EV_ASYM_PCT);
  return 0;
}

static int ev_lean(const gb_result *r, const gb_lean_row *lean, size_t n_lean, ev_list *l)
{
  if (!lean || n_lean == 0) return 0;
  float *x = malloc(n_lean * sizeof(float));
  if (!x) return GB_ENOMEM;
  size_t m = 0;
  double t0 = 0, t1 = 0;
  for (size_t i = 0; i < n_lean; i++)
    if (gb_rs_bout_kind_at(r, lean[i].t_s) == GB_BOUT_RUNNING) {
      if (m == 0) t0 = lean[i].t_s;
      t1 = lean[i].t_s;
      x[m++] = lean[i].lean_deg;
    }
  int rc = 0;
  if (m >= 3) {
    float med = gb_rs_median(x, m);
    size_t third = m / 3;
    float early = gb_rs_median(x, third), late = gb_rs_median(x + m - third, third);
    if (isfinite(med) && med > GB_EV_LEAN_MAX_DEG)
      rc = add_event(l, GB_EVENT_TRUNK_LEAN, t0 - 0.5, t1 + 0.5, med, GB_EV_LEAN_MAX_DEG);
    if (!rc && isfinite(early) && isfinite(late) && fabsf(late - early) > GB_EV_LEAN_DRIFT_DEG)
      rc = add_event(l, GB_EVENT_TRUNK_LEAN, t0 - 0.5, t1 + 0.5, late - early, GB_EV_LEAN_DRIFT_DEG);
  }
  free(x);
  return rc;
}

static int cmp_event(const void *a, const void *b)
{
  const gb_event *x = a, *y = b;
  if (x->t_start_s != y->t_start_s) return x->t_start_s < y->t_start_s ? -1 : 1;
  return (x->kind > y->kind) - (x->kind < y->kind);
}

int gb_events_compute(const gb_analysis_params *p, const gb_analyzer_input *in, gb_result *r,
                      const gb_lean_row *lean, size_t n_lean)
{
  if (!p || !in || !r) return GB_EINVAL;
  ev_list l = {NULL, 0, 0};
  int rc = 0;
  if (!rc) rc = ev_warmup(p, in, r, &l);
  if (!rc) rc = ev_surge(p, in, r, &l);
  if (!rc) rc = ev_fatigue(p, in, r, &l);
  if (!rc) rc = ev_abrupt_stop(p, in, r, &l);
  if (!rc) rc = ev_irregular(r, &l);
  if (!rc) rc = ev_asymmetry(in, r, &l);
  if (!rc) rc = ev_lean(r, lean, n_lean, &l);
  if (rc) {
    free(l.v);
    return rc;
  }
  if (l.n > 1) qsort(l.v, l.n, sizeof *l.v, cmp_event);
  free(r->events);
  r->events = l.v;
  r->n_events = l.n;
  return 0;
}
