/* In-run events, computed at finish from the result tables (steps, bouts,
 * cadence rows) and the lean track. Units of value / reference per kind:
 *   warmup_missing, warmup: value = the lowest intensity over the quarters (or
 *     fewer parts of ≥ 6 contacts each) of the first warmup_window_s of moving
 *     time (at most a quarter of it), as % of
 *     the steady state (the middle third of the running time; the smaller of the
 *     cadence and the impact ratio, each as its upper 2-standard-error bound, so
 *     that only a real dip counts); reference = GB_EV_WARMUP_PCT (95 %).
 *   surge: value = rise in % over surge_window_s (cadence, or impact when only
 *     the impact jumped); reference = the level before the rise (spm or g).
 *   fatigue_drift: value = late − early change in % (cadence: negative = drop;
 *     impact: positive = rise); reference = the early level (spm or g). Early =
 *     the quarter of the running time right after the warm-up window (DESIGN §5:
 *     late vs early *steady* running), late = the last quarter; contacts running
 *     now only (is_paced: a cool-down walk the bout stage still labels running is
 *     not a fatigued stride). One event per drift: the cadence drop when it is
 *     beyond its limit, else the impact rise.
 *   abrupt_stop: value = time from the last running-paced step to stillness, s;
 *     reference = stop_max_s.
 *   irregular: value = largest rolling CV of peak_g about its linear trend (20
 *     steps running now: the window stops where the running stops, not where
 *     the bout stage ends the running bout);
 *     reference = risk impact_cv_max.
 *   asymmetry: value = alternating-step peak_g asymmetry, % (step- vs stride-lag
 *     differences, see run_stats.h); reference = risk asymmetry_max_pct.
 *   trunk_lean: value = median lean (deg) or drift (deg); reference = the limit.
 * Thresholds that live in gb_risk_params (impact_cv_max, asymmetry_max_pct,
 * trunk_lean_max_deg, trunk_lean_drift_deg, fatigue_*) come from the `risk`
 * argument, or from gb_config_defaults() when it is NULL (the analyzer API
 * carries only gb_analysis_params, so analyzer.c passes NULL today).
 * Cost: every window is an index range found by bisection, so the whole stage is
 * O(n log n) in the number of steps (plus O(T) one-second scan positions). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/config.h"
#include "gaitbatch/status.h"
#include "gait/gait_internal.h"
#include "gait/run_stats.h"

#define GB_EV_WARMUP_PCT 95.0        /* "already at steady intensity": ≥ 95 % of steady (task spec) */
#define GB_EV_STEADY_WALK_MAX 0.1   /* walking share of the middle third above which a run has
                                        no steady state (interval session) */
#define GB_EV_WARMUP_MIN_FRAC 15.0  /* a warm-up window shorter than warmup_window_s / 15 (20 s
                                        at the default 300 s: runs under 80 s of movement) says
                                        nothing about a warm-up; relative, so a time-scaled
                                        config (the synthetic cohort) scales it too */
#define GB_EV_WARMUP_PARTS 4         /* "every part of the window": its quarters, */
#define GB_EV_WARMUP_PART_N 6        /* or fewer parts, so that each holds ~6 contacts or more
                                        (a median of fewer is one or two odd steps) */
#define GB_EV_WARMUP_MIN_N 3         /* a part needs this many intervals / peaks to be judged */
#define GB_EV_WARMUP_Z 2.0           /* a part is below the steady state only when it is so
                                        by more than 2 standard errors of the two medians
                                        (one-sided 97.7 %: a noisy dip of a few steps is not
                                        a warm-up) */
#define GB_EV_SURGE_IMPACT_PCT 25.0  /* impact jump = surge: +1 m/s raises tibial acceleration
                                        by ~38 % (Sheerin et al., Sports Biomech 2020); 25 %
                                        ≈ a sudden +0.65 m/s */
#define GB_EV_SURGE_IMPACT_KEEP 0.8  /* a speed-up does not lower impact (Sheerin et al. 2020:
                                        PTA rises with speed); 0.8 leaves room for the
                                        step-to-step scatter of a 4 s median */
#define GB_EV_IRREG_WIN 20           /* steps per rolling window */
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

/* Scratch for the window statistics: one buffer of n_steps floats for the whole
 * finish stage instead of one allocation per window. */
typedef struct ev_ctx {
  const gb_analysis_params *p;
  const gb_analyzer_input *in;
  const gb_risk_params *risk;
  const gb_result *r;
  float *buf;
  unsigned char *paced; /* is_paced of every step, computed once */
  /* Bins of the time axis for step_at (NULL: plain bisection): key(t) (see
   * step_key) is monotone in t, and bin_first[k] is the first step with
   * key(t_s) >= k, k = 0..n_bin; so the first step at or after t lies in
   * [bin_first[key(t)], bin_first[key(t) + 1]] (the whole table past the last
   * bin), and the bisection starts from a few steps instead of all of them. */
  uint32_t *bin_first;
  size_t n_bin;
  double bin_inv;
} ev_ctx;

/* key(t) of ev_ctx: 0 for t <= 0, floor(t bin_inv) capped at n_bin (monotone:
 * the product and the truncation are). */
static size_t step_key(const ev_ctx *c, double t)
{
  if (!(t > 0)) return 0;
  double q = t * c->bin_inv;
  return q >= (double)c->n_bin ? c->n_bin : (size_t)q;
}

/* Steps per bin of the step_at index: a bin is bisected in ~3 probes, and the
 * table costs 4 / GB_EV_BIN_STEPS bytes per step. */
#define GB_EV_BIN_STEPS 8

/* Builds the step_at index when the steps are in time order with finite times
 * (the bisection's precondition; otherwise step_at bisects all steps, as it
 * would anyway). 0, or GB_ENOMEM. */
static int step_index_build(ev_ctx *c)
{
  const gb_result *r = c->r;
  const size_t n = r->n_steps;
  c->bin_first = NULL;
  c->n_bin = 0;
  if (n < 4 * GB_EV_BIN_STEPS || n > UINT32_MAX) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isfinite(r->steps[i].t_s) || (i > 0 && !(r->steps[i].t_s >= r->steps[i - 1].t_s))) return 0;
  const double last = r->steps[n - 1].t_s;
  if (!(last > 0)) return 0;
  const size_t n_bin = n / GB_EV_BIN_STEPS;
  uint32_t *bf = malloc((n_bin + 1) * sizeof *bf);
  if (!bf) return GB_ENOMEM;
  c->n_bin = n_bin;
  c->bin_inv = (double)n_bin / last;
  size_t i = 0;
  for (size_t k = 0; k <= n_bin; k++) {
    while (i < n && step_key(c, r->steps[i].t_s) < k) i++;
    bf[k] = (uint32_t)i;
  }
  c->bin_first = bf;
  return 0;
}

/* First step with t_s >= t (steps are in time order): every window below is an
 * index range found by bisection, so each costs O(k log k) in its own k steps and
 * never rescans the table (a 24 h run has ~250 000 steps). */
static size_t step_at(const ev_ctx *c, double t)
{
  const gb_result *r = c->r;
  size_t lo = 0, hi = r->n_steps;
  if (c->bin_first && t >= 0) {
    size_t k = step_key(c, t);
    lo = c->bin_first[k];
    if (k < c->n_bin) hi = c->bin_first[k + 1];
  }
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (r->steps[mid].t_s < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* Median peak_g of (running) steps with t in [a, b). */
static float median_peak(const ev_ctx *c, double a, double b, int running_only)
{
  const gb_result *r = c->r;
  size_t i0 = step_at(c, a), i1 = step_at(c, b), m = 0;
  for (size_t i = i0; i < i1; i++)
    if (!running_only || is_running(&r->steps[i])) c->buf[m++] = r->steps[i].peak_g;
  return gb_rs_median(c->buf, m);
}

/* Median peak_g of the running steps in a window [a, b) that only moves forward
 * (median_peak(c, a, b, 1) of a sliding window): a sorted copy that the steps
 * leaving and entering update, so moving a window of k steps by one second costs
 * a few O(k) memmoves instead of a fresh copy and selection. The median depends
 * only on the values, and win_median uses gb_rs_percentile's formula at p = 0.5:
 * the same number as median_peak. */
typedef struct med_win {
  float *v;      /* sorted finite peak_g of the running steps in [i0, i1) */
  size_t n;
  size_t i0, i1; /* step index range of the current window */
} med_win;

static int win_counts(const gb_step *s) { return is_running(s) && isfinite(s->peak_g); }

/* First position with !(v < x) (the partition point of the sorted window, so
 * the same as any bisection's), without data-dependent branches: a window's
 * peaks are noise to the branch predictor. */
static size_t win_lower_bound(const med_win *w, float x)
{
  if (w->n == 0) return 0;
  const float *b = w->v;
  size_t len = w->n;
  while (len > 1) {
    size_t half = len / 2;
    b = b[half - 1] < x ? b + half : b;
    len -= half;
  }
  return (size_t)(b - w->v) + (*b < x);
}

static void win_move(med_win *w, const ev_ctx *c, double a, double b)
{
  const gb_result *r = c->r;
  size_t j0 = step_at(c, a), j1 = step_at(c, b);
  if (j1 < j0) j1 = j0;
  if (j0 >= w->i1 || j0 < w->i0 || j1 < w->i1) { /* disjoint or backwards: start afresh */
    w->n = 0;
    w->i0 = w->i1 = j0;
  }
  for (size_t i = w->i0; i < j0; i++) { /* leaving */
    if (!win_counts(&r->steps[i])) continue;
    size_t k = win_lower_bound(w, r->steps[i].peak_g);
    memmove(w->v + k, w->v + k + 1, (w->n - k - 1) * sizeof *w->v);
    w->n--;
  }
  for (size_t i = w->i1; i < j1; i++) { /* entering */
    if (!win_counts(&r->steps[i])) continue;
    float x = r->steps[i].peak_g;
    size_t k = win_lower_bound(w, x);
    memmove(w->v + k + 1, w->v + k, (w->n - k) * sizeof *w->v);
    w->v[k] = x;
    w->n++;
  }
  w->i0 = j0;
  w->i1 = j1;
}

static float win_median(const med_win *w)
{
  if (w->n == 0) return NAN;
  double h = (double)(w->n - 1) * 0.5;
  size_t lo = (size_t)floor(h);
  float c_lo = w->v[lo], c_hi = lo + 1 < w->n ? w->v[lo + 1] : c_lo;
  return (float)(c_lo + (h - (double)lo) * ((double)c_hi - c_lo));
}

/* Cadence from the contacts with t in [a, b) (running only when asked). */
static float step_cadence(const ev_ctx *c, double a, double b, int running_only)
{
  const gb_result *r = c->r;
  size_t i0 = step_at(c, a), i1 = step_at(c, b);
  int mult = gb_rs_steps_per_contact(c->in);
  if (!running_only) return gb_rs_step_cadence(r->steps, i0, i1, GB_EV_MAX_GAP_S * 2, mult);
  /* running only: intervals between consecutive running steps */
  size_t m = 0;
  double gap = GB_EV_MAX_GAP_S * mult;
  for (size_t i = i0 + 1; i < i1; i++)
    if (is_running(&r->steps[i]) && is_running(&r->steps[i - 1])) {
      double d = r->steps[i].t_s - r->steps[i - 1].t_s;
      if (d > 0 && d < gap) c->buf[m++] = (float)d;
    }
  float med = gb_rs_median(c->buf, m);
  return isfinite(med) && med > 0 ? (float)(60.0 * mult / med) : NAN;
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

/* Step i is running now (gb_rs_paced_fill). Contact intervals cannot tell it: a
 * missed contact doubles one, and a shank sensor may see both legs' contacts at a
 * walk. */
static int is_paced(const ev_ctx *c, size_t i) { return c->paced[i]; }

/* Median of x[0..m) (in time order) and its standard error: 1.2533 · σ / √m (the
 * asymptotic SE of a sample median under normal scatter), with σ from successive
 * differences, 1.4826 · median|x[k+1] − x[k]| / √2 (robust, and blind to a slow
 * trend such as a warm-up ramp, which would inflate a plain MAD). scratch must
 * hold m floats. */
static void median_se(const float *x, size_t m, float *scratch, double *med, double *se)
{
  *med = gb_rs_median(x, m);
  *se = NAN;
  if (!isfinite(*med) || m < 3) return;
  for (size_t k = 0; k + 1 < m; k++) scratch[k] = fabsf(x[k + 1] - x[k]);
  double sigma = 1.4826 * gb_rs_median(scratch, m - 1) / sqrt(2.0);
  *se = 1.2533 * sigma / sqrt((double)m);
}

/* Contact intervals (s) of consecutive steps in [a, b) into c->buf (steps running
 * now only when asked, see is_paced); returns the count. iv_ref > 0: an interval
 * within GB_EV_MISSED_TOL of 2 or 3 times iv_ref is that many intervals with
 * contacts missed in between (the detector misses soft contacts, e.g. in the
 * first seconds before the cadence track settles): it enters as d / k. A slower
 * pace (a walk at ~1.5x the running interval) stays one interval. */
#define GB_EV_MISSED_TOL 0.1
static size_t intervals_in(const ev_ctx *c, double a, double b, int paced_only, double iv_ref)
{
  const gb_result *r = c->r;
  size_t i0 = step_at(c, a), i1 = step_at(c, b), m = 0;
  double gap = 2 * GB_EV_MAX_GAP_S * gb_rs_steps_per_contact(c->in);
  for (size_t i = i0 + 1; i < i1; i++) {
    if (paced_only && !(is_paced(c, i - 1) && is_paced(c, i))) continue;
    double d = r->steps[i].t_s - r->steps[i - 1].t_s;
    if (!(d > 0 && d < gap)) continue;
    for (int k = 2; iv_ref > 0 && k <= 3; k++)
      if (fabs(d / k - iv_ref) <= GB_EV_MISSED_TOL * iv_ref) {
        d /= k;
        break;
      }
    c->buf[m++] = (float)d;
  }
  return m;
}

/* Means of consecutive finite peak_g pairs (one step of each foot) of the steps in
 * [a, b) into c->buf (running now only when asked): an asymmetric runner's
 * alternating peaks would otherwise make the median of a short part depend on
 * which foot it holds more of. Returns the count. */
static size_t pair_peaks_in(const ev_ctx *c, double a, double b, int paced_only)
{
  const gb_result *r = c->r;
  size_t i0 = step_at(c, a), i1 = step_at(c, b), m = 0;
  for (size_t i = i0 + 1; i < i1; i++) {
    const gb_step *x = &r->steps[i - 1], *y = &r->steps[i];
    if (paced_only && !(is_paced(c, i - 1) && is_paced(c, i))) continue;
    if (isfinite(x->peak_g) && isfinite(y->peak_g)) c->buf[m++] = 0.5f * (x->peak_g + y->peak_g);
  }
  return m;
}

/* Finite peak_g of the steps in [a, b) into c->buf (running now only when asked). */
static size_t peaks_in(const ev_ctx *c, double a, double b, int paced_only)
{
  const gb_result *r = c->r;
  size_t i0 = step_at(c, a), i1 = step_at(c, b), m = 0;
  for (size_t i = i0; i < i1; i++)
    if ((!paced_only || is_paced(c, i)) && isfinite(r->steps[i].peak_g)) c->buf[m++] = r->steps[i].peak_g;
  return m;
}

/* The "first minutes" window of the run: it starts at the first moving bout and
 * lasts warmup_window_s, but at most a quarter of the moving time so that a steady
 * state remains to compare with. 0 when the run has no moving bout. */
static int warmup_window(const gb_result *r, const gb_analysis_params *p, double *tm, double *W)
{
  double moving = 0;
  *tm = -1;
  for (size_t i = 0; i < r->n_bouts; i++)
    if (r->bouts[i].kind != GB_BOUT_STILL) {
      if (*tm < 0) *tm = r->bouts[i].t_start_s;
      moving += r->bouts[i].t_end_s - r->bouts[i].t_start_s;
    }
  *W = fmin(p->warmup_window_s, moving / 4.0);
  return *tm >= 0;
}

/* Ratio num/den of two medians with its standard error (delta method). */
static double ratio_ucb(double num, double se_num, double den, double se_den)
{
  double q = num / den;
  double rel = 0;
  if (isfinite(se_num) && num > 0) rel += (se_num / num) * (se_num / num);
  if (isfinite(se_den) && den > 0) rel += (se_den / den) * (se_den / den);
  return q + GB_EV_WARMUP_Z * q * sqrt(rel);
}

static int ev_warmup(const ev_ctx *c, ev_list *l)
{
  const gb_analysis_params *p = c->p;
  const gb_result *r = c->r;
  double tm, W;
  if (!warmup_window(r, p, &tm, &W)) return 0;
  if (!(W >= p->warmup_window_s / GB_EV_WARMUP_MIN_FRAC) || gb_rs_bout_time(r, GB_BOUT_RUNNING) < 2.0 * W)
    return 0;
  double m0 = running_time_at(r, 1.0 / 3.0), m1 = running_time_at(r, 2.0 / 3.0);
  float *scratch = malloc((r->n_steps ? r->n_steps : 1) * sizeof(float));
  if (!scratch) return GB_ENOMEM;
  /* the steady state: contacts running now in the middle third */
  double iv_s, iv_s_se, pk_s, pk_s_se;
  size_t n = intervals_in(c, m0, m1, 1, 0);
  median_se(c->buf, n, scratch, &iv_s, &iv_s_se);
  n = pair_peaks_in(c, m0, m1, 1);
  median_se(c->buf, n, scratch, &pk_s, &pk_s_se);
  /* a steady state to compare with: walk breaks in the middle third (walk/run
     intervals) leave none, and no warm-up judgement is made (still pauses are
     allowed: a stop at a crossing does not change the pace). Walking is told
     from the contacts (intervals slower than running_min_spm within continuous
     gait, other than 2 or 3 steady intervals with contacts missed between), not
     from the bout labels, which a clipped or noisy stretch can flip */
  int mult = gb_rs_steps_per_contact(c->in);
  double walk = 0;
  for (size_t i = step_at(c, m0) + 1; i < r->n_steps && r->steps[i].t_s < m1; i++) {
    double d = r->steps[i].t_s - r->steps[i - 1].t_s;
    if (!(d > 0 && d < 2 * GB_EV_MAX_GAP_S * mult && 60.0 * mult / d < p->running_min_spm)) continue;
    int missed = 0;
    for (int k = 2; k <= 3 && isfinite(iv_s) && iv_s > 0; k++) missed |= fabs(d / k - iv_s) <= GB_EV_MISSED_TOL * iv_s;
    if (!missed) walk += d;
  }
  if (walk > GB_EV_STEADY_WALK_MAX * (m1 - m0)) {
    free(scratch);
    return 0;
  }
  int have_cad = isfinite(iv_s) && iv_s > 0, have_imp = isfinite(pk_s) && pk_s > 0;
  /* "already at steady intensity" must hold for every part of the window: the
     lowest intensity over its quarters (fewer, longer parts when the window holds
     few contacts); a part with too few contacts is not judged (no contacts is no
     evidence of a low intensity) */
  double pct = INFINITY;
  size_t n_w = step_at(c, tm + W) - step_at(c, tm);
  int parts = (int)(n_w / GB_EV_WARMUP_PART_N);
  parts = parts < 1 ? 1 : parts > GB_EV_WARMUP_PARTS ? GB_EV_WARMUP_PARTS : parts;
  for (int k = 0; k < parts; k++) {
    double a = tm + W * k / parts, b = tm + W * (k + 1) / parts;
    double med, se, part = INFINITY;
    if (have_cad && (n = intervals_in(c, a, b, 0, iv_s)) >= GB_EV_WARMUP_MIN_N) {
      median_se(c->buf, n, scratch, &med, &se); /* cadence ratio = steady interval / interval */
      if (med > 0) part = fmin(part, ratio_ucb(iv_s, iv_s_se, med, se));
    }
    if (have_imp && (n = pair_peaks_in(c, a, b, 0)) >= GB_EV_WARMUP_MIN_N) {
      median_se(c->buf, n, scratch, &med, &se);
      part = fmin(part, ratio_ucb(med, se, pk_s, pk_s_se));
    }
    pct = fmin(pct, 100.0 * part);
  }
  free(scratch);
  if (!isfinite(pct)) return 0; /* no quarter could be judged */
  int kind = pct >= GB_EV_WARMUP_PCT ? GB_EVENT_WARMUP_MISSING : GB_EVENT_WARMUP;
  return add_event(l, kind, tm, tm + W, pct, GB_EV_WARMUP_PCT);
}

/* The impact level of [b0, b1) exceeds that of [a0, a1) by more than the
 * step-to-step scatter explains (Welch z ≥ 3 on the running peak_g), and both
 * levels are steady (CV ≤ risk impact_cv_max): on rough ground single hard steps
 * must not read as a surge. */
static int impact_jump_clear(const ev_ctx *c, double cv_max, double a0, double a1, double b0,
                             double b1)
{
  const gb_result *r = c->r;
  double s[2] = {0, 0}, ss[2] = {0, 0};
  size_t n[2] = {0, 0};
  /* [a0, a1) and [b0, b1) are disjoint and in time order: scan only their steps */
  size_t i_end = step_at(c, b1);
  for (size_t i = step_at(c, a0); i < i_end; i++) {
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
  if (!(m0 > 0) || sqrt(v0) / m0 > cv_max || sqrt(v1) / m1 > cv_max) return 0;
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

/* Running without a break over [a, b]: the running bouts that hold a chain
 * without a gap up to b (bouts are in time order). */
static int running_through(const gb_result *r, double a, double b)
{
  size_t lo = 0, hi = r->n_bouts;
  while (lo < hi) { /* first bout ending after a */
    size_t mid = lo + (hi - lo) / 2;
    if (r->bouts[mid].t_end_s <= a) lo = mid + 1; else hi = mid;
  }
  if (lo >= r->n_bouts || r->bouts[lo].t_start_s > a) return 0;
  for (size_t i = lo; i < r->n_bouts; i++) {
    if (r->bouts[i].kind != GB_BOUT_RUNNING) return 0;
    if (r->bouts[i].t_end_s >= b) return 1;
    if (i + 1 < r->n_bouts && r->bouts[i + 1].t_start_s > r->bouts[i].t_end_s + 1e-6) return 0;
  }
  return 0;
}

/* A surge (DESIGN §5) is a jump within surge_window_s from a steady state to a
 * new level that holds: at each second t the level of the `look` s before t is
 * compared with the level ending W s earlier. Not a surge:
 *  - a ramp (warm-up: cadence and impact rise over tens of seconds): the level
 *    before the jump must itself be flat over the preceding baseline — it moves
 *    by less than a sixth of the jump (cadence) or a quarter (impact, fewer and
 *    noisier samples); a linear ramp moves by ≥ 40 % of its rise there;
 *  - the start of running (still or walking → running) or the end of it: the
 *    baseline and the new level must lie in one unbroken running stretch;
 *  - a faster cadence with a falling impact (running into a walk, or contacts
 *    of both legs seen at a walk): a speed-up raises impact (+38 % tibial
 *    acceleration per +1 m/s, Sheerin et al., Sports Biomech 2020), so the impact
 *    after may not drop below GB_EV_SURGE_IMPACT_KEEP of the level before. */
static int ev_surge(const ev_ctx *c, ev_list *l)
{
  const gb_analysis_params *p = c->p;
  const gb_result *r = c->r;
  double t0 = 0, t1 = 0, W = p->surge_window_s;
  if (!running_span(r, &t0, &t1) || !(W > 0)) return 0;
  const double look = 4.0; /* local level: contacts of the last 4 s (≥ 6 at stride rate) */
  /* the warm-up reaching its pace is not a surge: a rise that starts inside the
     warm-up window from a level below GB_EV_WARMUP_PCT of the steady state (the
     middle third of the running) is the end of the warm-up ramp */
  double tm, Ww, wend = -INFINITY;
  float cad_ss = NAN, imp_ss = NAN;
  if (warmup_window(r, p, &tm, &Ww)) {
    double m0 = running_time_at(r, 1.0 / 3.0), m1 = running_time_at(r, 2.0 / 3.0);
    wend = tm + Ww;
    cad_ss = step_cadence(c, m0, m1, 1);
    imp_ss = median_peak(c, m0, m1, 1);
  }
  int open = 0, rc = 0;
  double e0 = 0, e1 = 0, best = 0, ref = 0;
  /* the impact test's two windows slide by 1 s per loop */
  med_win w_new = {malloc((r->n_steps ? r->n_steps : 1) * sizeof(float)), 0, 0, 0};
  med_win w_base = {malloc((r->n_steps ? r->n_steps : 1) * sizeof(float)), 0, 0, 0};
  if (!w_new.v || !w_base.v) {
    free(w_new.v);
    free(w_base.v);
    return GB_ENOMEM;
  }
  for (double t = ceil(t0) + W + 2 * look; t <= t1 + 1e-9 && rc == 0; t += 1.0) {
    double rise = 0, lvl = 0, from = t - W - look;
    int rise_is_cad = 0;
    /* cadence: baseline [t − W − 2·look, t − W], new level [t − look, t + look] */
    if (running_through(r, t - W - 2 * look, t + look)) {
      float c1 = step_cadence(c, t - look, t, 1), c0 = step_cadence(c, t - W - look, t - W, 1);
      double rcad = isfinite(c1) && isfinite(c0) && c0 > 0 ? 100.0 * (c1 / c0 - 1.0) : 0;
      if (rcad >= p->surge_cadence_pct && c0 >= p->running_min_spm) {
        float c00 = step_cadence(c, t - W - 2 * look, t - W - look, 1);
        float c11 = step_cadence(c, t, t + look, 1);
        double tol = rcad / 6.0 / 100.0;
        float ib = median_peak(c, t - W - 2 * look, t - W, 1), ia = median_peak(c, t - look, t + look, 1);
        int impact_ok = !isfinite(ib) || !isfinite(ia) || ia >= GB_EV_SURGE_IMPACT_KEEP * ib;
        if (isfinite(c00) && isfinite(c11) && fabs(c0 / c00 - 1.0) < tol && fabs(c11 / c1 - 1.0) < tol &&
            impact_ok) {
          rise = rcad;
          lvl = c0;
          rise_is_cad = 1;
        }
      }
    }
    /* impact: baseline [t − 3W, t − W] (level: its last W), new level [t, t + W] */
    if (rise == 0 && running_through(r, t - 3 * W, t + W)) {
      win_move(&w_new, c, t, t + W);
      win_move(&w_base, c, t - 2 * W, t - W);
      float i1 = win_median(&w_new), i0 = win_median(&w_base);
      double rimp = isfinite(i1) && isfinite(i0) && i0 > 0 ? 100.0 * (i1 / i0 - 1.0) : 0;
      if (rimp >= GB_EV_SURGE_IMPACT_PCT &&
          impact_jump_clear(c, c->risk->impact_cv_max, t - 2 * W, t - W, t, t + W)) {
        float b0 = median_peak(c, t - 3 * W, t - 2 * W, 1);
        float a0 = median_peak(c, t, t + 0.5 * W, 1), a1 = median_peak(c, t + 0.5 * W, t + W, 1);
        double jump = (double)i1 - i0;
        if (fabs((double)i0 - b0) < jump / 4.0 && fabs((double)a1 - a0) < jump / 4.0) {
          rise = rimp;
          lvl = i0;
          from = t - W;
        }
      }
    }
    if (rise > 0 && from < wend) {
      float ss = rise_is_cad ? cad_ss : imp_ss;
      if (isfinite(ss) && lvl < GB_EV_WARMUP_PCT / 100.0 * ss) rise = 0;
    }
    if (rise > 0) {
      if (!open) { open = 1; e0 = from; best = 0; ref = lvl; }
      e1 = t;
      if (rise > best) best = rise;
    } else if (open) {
      rc = add_surge(l, e0, e1, best, ref, W);
      open = 0;
    }
  }
  free(w_new.v);
  free(w_base.v);
  if (rc) return rc;
  return open ? add_surge(l, e0, e1, best, ref, W) : 0;
}

/* Running time (s) elapsed before time t. */
static double running_before(const gb_result *r, double t)
{
  double acc = 0;
  for (size_t i = 0; i < r->n_bouts && r->bouts[i].t_start_s < t; i++)
    if (r->bouts[i].kind == GB_BOUT_RUNNING) acc += fmin(t, r->bouts[i].t_end_s) - r->bouts[i].t_start_s;
  return acc;
}

/* Cadence (spm) and median peak_g (g) of the contacts running now in [a, b). */
static void paced_level(const ev_ctx *c, double a, double b, float *cad, float *imp)
{
  size_t n = intervals_in(c, a, b, 1, 0);
  float med = gb_rs_median(c->buf, n);
  *cad = isfinite(med) && med > 0 ? (float)(60.0 * gb_rs_steps_per_contact(c->in) / med) : NAN;
  n = peaks_in(c, a, b, 1);
  *imp = gb_rs_median(c->buf, n);
}

static int ev_fatigue(const ev_ctx *c, ev_list *l)
{
  const gb_analysis_params *p = c->p;
  const gb_result *r = c->r;
  double run = gb_rs_bout_time(r, GB_BOUT_RUNNING);
  if (run < p->fatigue_min_run_s || run <= 0) return 0;
  double t0 = 0, t1 = 0, tm, W;
  if (!running_span(r, &t0, &t1)) return 0;
  /* early steady running: the quarter of the running time after the warm-up
     window (its start at most a quarter in) */
  double fw = warmup_window(r, p, &tm, &W) ? fmin(0.25, running_before(r, tm + W) / run) : 0;
  double e0 = running_time_at(r, fw), e1 = running_time_at(r, fw + 0.25), q3 = running_time_at(r, 0.75);
  float c_e, i_e, c_l, i_l;
  size_t n0 = l->n;
  paced_level(c, e0, e1, &c_e, &i_e);
  paced_level(c, q3, t1 + 1, &c_l, &i_l);
  int rc = 0;
  if (isfinite(c_e) && isfinite(c_l) && c_e > 0) {
    double d = 100.0 * (c_l / c_e - 1.0);
    if (d <= -c->risk->fatigue_cadence_drop_pct) rc = add_event(l, GB_EVENT_FATIGUE_DRIFT, q3, t1, d, c_e);
  }
  if (rc || l->n > n0) return rc; /* one drift, one event */
  if (isfinite(i_e) && isfinite(i_l) && i_e > 0) {
    double d = 100.0 * (i_l / i_e - 1.0);
    if (d >= c->risk->fatigue_impact_rise_pct) rc = add_event(l, GB_EVENT_FATIGUE_DRIFT, q3, t1, d, i_e);
  }
  return rc;
}

/* A walking bout overlaps (a, b): movement the contact detector missed (a walk's
 * softer contacts), not stillness. */
static int walking_in(const gb_result *r, double a, double b)
{
  for (size_t i = 0; i < r->n_bouts; i++)
    if (r->bouts[i].kind == GB_BOUT_WALKING && r->bouts[i].t_start_s < b && r->bouts[i].t_end_s > a) return 1;
  return 0;
}

static int ev_abrupt_stop(const ev_ctx *c, ev_list *l)
{
  const gb_analysis_params *p = c->p;
  const gb_analyzer_input *in = c->in;
  const gb_result *r = c->r;
  const gb_step *s = r->steps;
  int mult = gb_rs_steps_per_contact(in);
  double rec_end = r->summary.duration_s > 0 ? r->summary.duration_s
                                             : (r->n_bouts ? r->bouts[r->n_bouts - 1].t_end_s : 0);
  for (size_t i = 0; i < r->n_steps; i++) {
    double next = i + 1 < r->n_steps ? s[i + 1].t_s : rec_end;
    if (next - s[i].t_s < GB_EV_STOP_QUIET_S || rec_end - s[i].t_s < GB_EV_STOP_QUIET_S) continue;
    /* a pause: was the body still right after it? A contact-free tail up to the
       end of the recording counts when it is at least min_bout_s long, i.e. a bout
       of its own: the bout stage merges shorter spans into the running before
       them, and a tail that short may hide steps the detector missed; and when no
       walking bout lies in it (a cool-down walk whose contacts were missed) */
    int still = (i + 1 == r->n_steps && rec_end - s[i].t_s >= p->min_bout_s &&
                 !walking_in(r, s[i].t_s, rec_end)) ||
                gb_rs_bout_kind_at(r, s[i].t_s + GB_EV_STOP_QUIET_S) == GB_BOUT_STILL;
    /* a still bout starting in (t − window_s, next): bisect to the first start
       after t − window_s (bouts are in time order), walk while before `next` */
    size_t lo = 0, hi = r->n_bouts;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (r->bouts[mid].t_start_s <= s[i].t_s - p->window_s) lo = mid + 1; else hi = mid;
    }
    for (size_t b = lo; b < r->n_bouts && !still && r->bouts[b].t_start_s < next; b++)
      still = r->bouts[b].kind == GB_BOUT_STILL;
    if (!still) continue;
    /* the last running-paced contact before the pause */
    float ref_pk = median_peak(c, s[i].t_s - 30.0, s[i].t_s + 1e-9, 1);
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

/* Step-to-step scatter of x[0..n) about its least-squares line over the step
 * index, as a share of the mean (residual SD with n − 2 degrees of freedom):
 * a warm-up or fatigue trend in impact is not irregularity, the scatter about it
 * is. 0 when the mean is not positive. */
static double detrended_cv(const float *x, size_t n)
{
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t k = 0; k < n; k++) {
    double u = (double)k, y = x[k];
    sx += u; sy += y; sxx += u * u; sxy += u * y;
  }
  double dn = (double)n, mu = sy / dn, den = dn * sxx - sx * sx;
  if (!(mu > 0) || n < 3 || den == 0) return 0;
  double b = (dn * sxy - sx * sy) / den, a = (sy - b * sx) / dn, rss = 0;
  for (size_t k = 0; k < n; k++) {
    double e = x[k] - (a + b * (double)k);
    rss += e * e;
  }
  return sqrt(rss / (dn - 2.0)) / mu;
}

static int ev_irregular(const ev_ctx *c, ev_list *l)
{
  const gb_result *r = c->r;
  const double cv_max = c->risk->impact_cv_max;
  float x[GB_EV_IRREG_WIN];
  int open = 0, quiet = 0;
  double e0 = 0, e1 = 0, best = 0;
  /* windows of consecutive running steps, hop half a window */
  size_t i = 0;
  while (i + GB_EV_IRREG_WIN <= r->n_steps) {
    int ok = 1;
    for (size_t k = 0; k < GB_EV_IRREG_WIN && ok; k++) {
      const gb_step *s = &r->steps[i + k];
      ok = is_paced(c, i + k) && isfinite(s->peak_g) &&
           (k == 0 || s->t_s - r->steps[i + k - 1].t_s < 2 * GB_EV_MAX_GAP_S);
      x[k] = s->peak_g;
    }
    double cv = ok ? detrended_cv(x, GB_EV_IRREG_WIN) : 0;
    if (cv > cv_max) {
      if (!open) { open = 1; e0 = r->steps[i].t_s; best = 0; }
      e1 = r->steps[i + GB_EV_IRREG_WIN - 1].t_s;
      if (cv > best) best = cv;
      quiet = 0;
    } else if (open && ok && ++quiet < 2) {
      /* one calmer window inside a rough stretch does not split it */
    } else if (open) {
      int rc = add_event(l, GB_EVENT_IRREGULAR, e0, e1, best, cv_max);
      if (rc) return rc;
      open = 0;
    }
    i += GB_EV_IRREG_WIN / 2;
  }
  return open ? add_event(l, GB_EVENT_IRREGULAR, e0, e1, best, cv_max) : 0;
}

static int ev_asymmetry(const ev_ctx *c, ev_list *l)
{
  const gb_result *r = c->r;
  const double lim = c->risk->asymmetry_max_pct;
  double t0 = 0, t1 = 0;
  if (!running_span(r, &t0, &t1)) return 0;
  float a = gb_rs_asymmetry_pct(r, c->in, t0, t1);
  if (isfinite(a) && a > lim) return add_event(l, GB_EVENT_ASYMMETRY, t0, t1, a, lim);
  return 0;
}

static int ev_lean(const ev_ctx *c, const gb_lean_row *lean, size_t n_lean, ev_list *l)
{
  const gb_result *r = c->r;
  const double lean_max = c->risk->trunk_lean_max_deg, drift_max = c->risk->trunk_lean_drift_deg;
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
    if (isfinite(med) && med > lean_max)
      rc = add_event(l, GB_EVENT_TRUNK_LEAN, t0 - 0.5, t1 + 0.5, med, lean_max);
    if (!rc && isfinite(early) && isfinite(late) && fabsf(late - early) > drift_max)
      rc = add_event(l, GB_EVENT_TRUNK_LEAN, t0 - 0.5, t1 + 0.5, late - early, drift_max);
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

int gb_events_compute(const gb_analysis_params *p, const gb_risk_params *risk,
                      const gb_analyzer_input *in, gb_result *r, const gb_lean_row *lean,
                      size_t n_lean)
{
  if (!p || !in || !r) return GB_EINVAL;
  gb_config defaults;
  if (!risk) { /* the documented defaults of [risk] (util/config.c) */
    gb_config_defaults(&defaults);
    risk = &defaults.risk;
  }
  ev_ctx c = {p, in, risk, r, malloc((r->n_steps ? r->n_steps : 1) * sizeof(float)),
              malloc(r->n_steps ? r->n_steps : 1), NULL, 0, 0};
  if (!c.buf || !c.paced || step_index_build(&c) != 0) {
    free(c.buf);
    free(c.paced);
    return GB_ENOMEM;
  }
  gb_rs_paced_fill(r, p->running_min_spm, c.paced);
  ev_list l = {NULL, 0, 0};
  int rc = 0;
  if (!rc) rc = ev_warmup(&c, &l);
  if (!rc) rc = ev_surge(&c, &l);
  if (!rc) rc = ev_fatigue(&c, &l);
  if (!rc) rc = ev_abrupt_stop(&c, &l);
  if (!rc) rc = ev_irregular(&c, &l);
  if (!rc) rc = ev_asymmetry(&c, &l);
  if (!rc) rc = ev_lean(&c, lean, n_lean, &l);
  free(c.buf);
  free(c.paced);
  free(c.bin_first);
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
