/* Per-run risk flags (DESIGN §7): each row of the catalogue as a rule over the run
 * result (summary, events, steps, bouts, cadence track).
 *
 * Severities (chosen by how directly the evidence links the measure to injury):
 *   warn — impact.high (tibial shock higher in stress-fracture runners, Milner 2006;
 *          PTA screening, Crowell & Davis 2011), fatigue.drift, posture.trunk_lean,
 *          gait.asymmetry (possible compensation), quality.clipping (numbers are wrong);
 *   info — warmup.missing, landing.rearfoot (no prospective injury link), intensity.surge,
 *          event.abrupt_stop, surface.irregular, cadence.low, quality.low_rate.
 * Time span: the event's span for event flags, the run (0 … duration_s) for
 * summary-level flags, the late segment for the summary-level fatigue drift.
 * Event flags take the event's span and value (units per kind: see event_flag());
 * fatigue.drift values are signed changes in % (cadence drop < 0 against a negative
 * threshold, impact rise > 0). Where the analyzer raised events of a kind
 * (trunk_lean, fatigue_drift, irregular, asymmetry), those are the flags; the
 * summary-level rule of the same code runs only when it raised none, so one finding
 * is never flagged twice. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/risk.h"
#include "gaitbatch/status.h"
#include "gait/run_stats.h"
#include "util/errbuf.h"
#include "util/select.h"

/* Running needed before the running cadence median means anything: at the default
 * 8 s window / 1 s hop that is ~50 cadence windows (DESIGN §5). */
#define MIN_RUNNING_S 60.0
/* Share of the running span taken as "early" and "late" for the summary-level
 * fatigue drift (Mizrahi et al. 2000 compared the start and end of a 30 min run). */
#define FATIGUE_SEGMENT_SHARE 0.2
/* Consecutive running contacts further apart than this are not one stride sequence
 * (slowest running stride ≈ 0.9 s at 130 strides/min…; a pause breaks the interval). */
#define MAX_STEP_INTERVAL_S 2.0

typedef struct fvec {
  gb_flag *v;
  size_t n, cap;
  int oom;
} fvec;

static gb_flag *add_flag(fvec *fv, const char *code, gb_severity sev, double t0, double t1,
                         double value, double threshold)
{
  if (fv->oom) return NULL;
  if (fv->n == fv->cap) {
    size_t cap = fv->cap ? fv->cap * 2 : 16;
    gb_flag *nv = realloc(fv->v, cap * sizeof *nv);
    if (!nv) {
      fv->oom = 1;
      return NULL;
    }
    fv->v = nv;
    fv->cap = cap;
  }
  gb_flag *f = &fv->v[fv->n++];
  memset(f, 0, sizeof *f);
  gb_strlcpy(f->code, code, sizeof f->code);
  f->severity = sev;
  f->t_start_s = t0;
  f->t_end_s = t1;
  f->value = value;
  f->threshold = threshold;
  return f;
}

static int cmp_flag(const void *a, const void *b)
{
  const gb_flag *x = a, *y = b;
  if (x->t_start_s < y->t_start_s) return -1;
  if (x->t_start_s > y->t_start_s) return 1;
  int c = strcmp(x->code, y->code);
  if (c) return c;
  if (x->t_end_s < y->t_end_s) return -1;
  if (x->t_end_s > y->t_end_s) return 1;
  if (x->value < y->value) return -1;
  if (x->value > y->value) return 1;
  return 0;
}

static int is_trunk(gb_location loc) { return loc == GB_LOC_SACRUM || loc == GB_LOC_TRUNK; }
static int is_shank(gb_location loc) { return loc == GB_LOC_TIBIA || loc == GB_LOC_FOOT; }

static double run_end(const gb_result *r)
{
  if (isfinite(r->summary.duration_s) && r->summary.duration_s > 0) return r->summary.duration_s;
  double t = 0.0;
  for (size_t i = 0; i < r->n_bouts; i++)
    if (r->bouts[i].t_end_s > t) t = r->bouts[i].t_end_s;
  if (r->n_steps && r->steps[r->n_steps - 1].t_s > t) t = r->steps[r->n_steps - 1].t_s;
  return t;
}

static double running_seconds(const gb_result *r)
{
  double s = 0.0;
  for (size_t i = 0; i < r->n_bouts; i++)
    if (r->bouts[i].kind == GB_BOUT_RUNNING) s += r->bouts[i].t_end_s - r->bouts[i].t_start_s;
  if (s <= 0.0 && isfinite(r->summary.running_s)) s = r->summary.running_s;
  return s;
}

/* Median cadence over the cadence windows whose centre lies in a running bout; if
 * the run has no cadence track, the running bouts' medians weighted by whole seconds
 * are used. t0 and t1 receive the span of the running bouts. NaN when no running. */
static int running_cadence(const gb_result *r, double *median, double *t0, double *t1)
{
  *median = NAN;
  *t0 = INFINITY;
  *t1 = -INFINITY;
  for (size_t b = 0; b < r->n_bouts; b++) {
    if (r->bouts[b].kind != GB_BOUT_RUNNING) continue;
    if (r->bouts[b].t_start_s < *t0) *t0 = r->bouts[b].t_start_s;
    if (r->bouts[b].t_end_s > *t1) *t1 = r->bouts[b].t_end_s;
  }
  if (!(*t1 > *t0)) return GB_OK;
  double *v = malloc((r->n_cadence ? r->n_cadence : 1) * sizeof *v);
  if (!v) return GB_ENOMEM;
  size_t n = 0, b = 0;
  for (size_t i = 0; i < r->n_cadence; i++) { /* cadence rows and bouts are both in time order */
    const gb_cadence_row *c = &r->cadence[i];
    if (!(c->cadence_spm > 0)) continue;
    while (b < r->n_bouts && r->bouts[b].t_end_s < c->t_s) b++;
    for (size_t k = b; k < r->n_bouts && r->bouts[k].t_start_s <= c->t_s; k++) {
      if (r->bouts[k].kind == GB_BOUT_RUNNING && c->t_s <= r->bouts[k].t_end_s) {
        v[n++] = c->cadence_spm;
        break;
      }
    }
  }
  if (n) {
    *median = gb_median_d_inplace(v, n);
    free(v);
    return GB_OK;
  }
  free(v);
  /* Weighted median of bout cadences (weight = duration). */
  double total = 0.0;
  for (size_t k = 0; k < r->n_bouts; k++)
    if (r->bouts[k].kind == GB_BOUT_RUNNING && r->bouts[k].cadence_spm > 0)
      total += r->bouts[k].t_end_s - r->bouts[k].t_start_s;
  if (!(total > 0)) return GB_OK;
  /* Select by increasing cadence until half the running time is covered. */
  double covered = 0.0, last = -INFINITY;
  for (;;) {
    double next = INFINITY, w = 0.0;
    for (size_t k = 0; k < r->n_bouts; k++) {
      const gb_bout *bt = &r->bouts[k];
      if (bt->kind != GB_BOUT_RUNNING || !(bt->cadence_spm > 0)) continue;
      if (bt->cadence_spm > last && bt->cadence_spm < next) next = bt->cadence_spm;
    }
    if (!isfinite(next)) break;
    for (size_t k = 0; k < r->n_bouts; k++) {
      const gb_bout *bt = &r->bouts[k];
      if (bt->kind == GB_BOUT_RUNNING && bt->cadence_spm == next) w += bt->t_end_s - bt->t_start_s;
    }
    covered += w;
    last = next;
    if (covered >= 0.5 * total) {
      *median = next;
      break;
    }
  }
  return GB_OK;
}

/* Late-vs-early running, judged as the analyzer's fatigue events are (DESIGN §5:
 * late vs early *steady* running): contact rate from the median interval between
 * consecutive running contacts, impact from the median peak (a rare rearfoot step
 * of a midfoot runner is not a drift); early = the FATIGUE_SEGMENT_SHARE of the
 * running span right after the warm-up window (warmup_window_s, at most a quarter
 * of the span: a warm-up's lower pace and impact are not the early steady state),
 * late = the last share. Contacts count as running when their bout is a running
 * one and, where the run has a cadence track, the track at their time is a running
 * cadence (the first steps of a cool-down walk still carry the running label).
 * Fills NaN where not measurable. */
typedef struct drift {
  double cad_early, cad_late, imp_early, imp_late, t_late0, t_end;
} drift;

static int running_drift_paced(const gb_result *r, int impact_ok, const gb_analysis_params *ap,
                               const unsigned char *paced, drift *d)
{
  double t0 = INFINITY, t1 = -INFINITY;
  for (size_t i = 0; i < r->n_steps; i++) {
    if (!paced[i]) continue;
    if (r->steps[i].t_s < t0) t0 = r->steps[i].t_s;
    if (r->steps[i].t_s > t1) t1 = r->steps[i].t_s;
  }
  if (!(t1 - t0 >= ap->fatigue_min_run_s)) return GB_OK;
  const double span = t1 - t0;
  const double e0 = t0 + fmin(ap->warmup_window_s, 0.25 * span);
  const double e1 = e0 + FATIGUE_SEGMENT_SHARE * span, l0 = t1 - FATIGUE_SEGMENT_SHARE * span;
  d->t_late0 = l0;
  d->t_end = t1;
  double *iv = malloc(r->n_steps * sizeof *iv), *pk = malloc(r->n_steps * sizeof *pk);
  if (!iv || !pk) {
    free(iv);
    free(pk);
    return GB_ENOMEM;
  }
  for (int seg = 0; seg < 2; seg++) {
    const double a = seg ? l0 : e0, b = seg ? t1 : e1;
    size_t n = 0, ni = 0;
    double prev = NAN;
    for (size_t i = 0; i < r->n_steps; i++) {
      const gb_step *s = &r->steps[i];
      if (!paced[i]) {
        prev = NAN;
        continue;
      }
      if (s->t_s < a || s->t_s > b) {
        prev = s->t_s;
        continue;
      }
      if (isfinite(prev) && s->t_s - prev > 0 && s->t_s - prev <= MAX_STEP_INTERVAL_S)
        iv[ni++] = s->t_s - prev;
      prev = s->t_s;
      if (isfinite(s->peak_g)) pk[n++] = s->peak_g;
    }
    double cad = ni ? 60.0 / gb_median_d_inplace(iv, ni) : NAN;
    double imp = (impact_ok && n) ? gb_median_d_inplace(pk, n) : NAN;
    if (seg) {
      d->cad_late = cad;
      d->imp_late = imp;
    } else {
      d->cad_early = cad;
      d->imp_early = imp;
    }
  }
  free(iv);
  free(pk);
  return GB_OK;
}

static int running_drift(const gb_result *r, int impact_ok, const gb_analysis_params *ap, drift *d)
{
  d->cad_early = d->cad_late = d->imp_early = d->imp_late = NAN;
  unsigned char *paced = malloc(r->n_steps ? r->n_steps : 1);
  if (!paced) return GB_ENOMEM;
  gb_rs_paced_fill(r, ap->running_min_spm, paced);
  int rc = running_drift_paced(r, impact_ok, ap, paced, d);
  free(paced);
  return rc;
}

/* One analyzer event as a flag. Units of event value/reference per kind are those of
 * src/gait/events.c. Where the event's value has the unit of a risk threshold, it is
 * judged again against the configured threshold (the analyzer only knows the
 * documented defaults), so raising a threshold in the INI silences weaker events. */
static void event_flag(fvec *fv, const gb_config *cfg, const gb_event *e)
{
  const gb_risk_params *rp = &cfg->risk;
  const double v = e->value, ref = e->reference, t0 = e->t_start_s, t1 = e->t_end_s;
  gb_flag *f = NULL;
  switch (e->kind) {
  case GB_EVENT_WARMUP_MISSING: /* value: early intensity, % of steady; reference: limit % */
    if ((f = add_flag(fv, "warmup.missing", GB_SEV_INFO, t0, t1, v, ref)))
      snprintf(f->message, sizeof f->message,
               "first %.0f s already at %.0f %% of steady intensity (>= %.0f %%): no warm-up; "
               "warm up fully before running hard",
               t1 - t0, v, ref);
    break;
  case GB_EVENT_SURGE: /* value: rise, %; reference: level before (spm or g) */
    if ((f = add_flag(fv, "intensity.surge", GB_SEV_INFO, t0, t1, v,
                      cfg->analysis.surge_cadence_pct)))
      snprintf(f->message, sizeof f->message,
               "sudden %+.0f %% cadence/impact jump within %.0f s (from %.3g): don't suddenly "
               "speed up",
               v, cfg->analysis.surge_window_s, ref);
    break;
  case GB_EVENT_ABRUPT_STOP: /* value: s from running pace to still; reference: stop_max_s */
    if ((f = add_flag(fv, "event.abrupt_stop", GB_SEV_INFO, t0, t1, v, ref)))
      snprintf(f->message, sizeof f->message,
               "running to still in %.1f s (<= %.1f s): emergency stops can strain the calf "
               "(gastrocnemius/soleus)",
               v, ref);
    break;
  case GB_EVENT_FATIGUE_DRIFT: /* value: late − early change, % (cadence < 0, impact > 0) */
    if (v < 0 && -v > rp->fatigue_cadence_drop_pct) {
      if ((f = add_flag(fv, "fatigue.drift", GB_SEV_WARN, t0, t1, v,
                        -rp->fatigue_cadence_drop_pct)))
        snprintf(f->message, sizeof f->message,
                 "late-run cadence %+.1f %% vs early %.0f spm (limit -%.0f %%; Mizrahi 2000): "
                 "fatigue, ease off or stop",
                 v, ref, rp->fatigue_cadence_drop_pct);
    } else if (v > 0 && v > rp->fatigue_impact_rise_pct) {
      if ((f = add_flag(fv, "fatigue.drift", GB_SEV_WARN, t0, t1, v, rp->fatigue_impact_rise_pct)))
        snprintf(f->message, sizeof f->message,
                 "late-run impact %+.1f %% vs early %.1f g (limit +%.0f %%; Mizrahi 2000): "
                 "fatigue, ease off or stop",
                 v, ref, rp->fatigue_impact_rise_pct);
    }
    break;
  case GB_EVENT_IRREGULAR: /* value: rolling CV of peak_g */
    if (v > rp->impact_cv_max &&
        (f = add_flag(fv, "surface.irregular", GB_SEV_INFO, t0, t1, v, rp->impact_cv_max)))
      snprintf(f->message, sizeof f->message,
               "step-to-step impact CV %.2f (> %.2f): rugged or sloping ground? Prefer flat, "
               "even surfaces",
               v, rp->impact_cv_max);
    break;
  case GB_EVENT_ASYMMETRY: /* value: alternating-step asymmetry, % */
    if (v > rp->asymmetry_max_pct &&
        (f = add_flag(fv, "gait.asymmetry", GB_SEV_WARN, t0, t1, v, rp->asymmetry_max_pct)))
      snprintf(f->message, sizeof f->message,
               "alternating-step asymmetry %.1f %% (> %.0f %%, Zifchock 2008): a compensation "
               "for pain or weakness?",
               v, rp->asymmetry_max_pct);
    break;
  case GB_EVENT_TRUNK_LEAN: /* value: lean or drift, deg; reference: its limit */
    if ((f = add_flag(fv, "posture.trunk_lean", GB_SEV_WARN, t0, t1, v, ref)))
      snprintf(f->message, sizeof f->message,
               "trunk lean %.1f deg over %.0f-%.0f s (limit %.0f deg): don't bend over or "
               "collapse, keep the back straight",
               v, t0, t1, ref);
    break;
  default: /* GB_EVENT_WARMUP: a warm-up was seen, nothing to flag */
    break;
  }
}

static void event_flags(fvec *fv, const gb_config *cfg, const gb_result *r, int kind)
{
  for (size_t i = 0; i < r->n_events; i++)
    if (r->events[i].kind == kind) event_flag(fv, cfg, &r->events[i]);
}

/* fatigue.drift from events: the analyzer reports the cadence drop and the impact
 * rise of one drift as two events over the same late segment; overlapping ones become
 * one flag (span: their union; value: the first event's) so one drift is one flag. */
static void fatigue_event_flags(fvec *fv, const gb_config *cfg, const gb_result *r)
{
  const gb_risk_params *rp = &cfg->risk;
  size_t first = fv->n;
  for (size_t i = 0; i < r->n_events; i++) {
    const gb_event *e = &r->events[i];
    if (e->kind != GB_EVENT_FATIGUE_DRIFT) continue;
    const int cad = e->value < 0 && -e->value > rp->fatigue_cadence_drop_pct;
    const int imp = e->value > 0 && e->value > rp->fatigue_impact_rise_pct;
    if (!cad && !imp) continue;
    gb_flag *m = NULL; /* an earlier fatigue flag of this run overlapping this event */
    for (size_t k = first; k < fv->n; k++)
      if (fv->v[k].t_start_s <= e->t_end_s && e->t_start_s <= fv->v[k].t_end_s) m = &fv->v[k];
    if (!m) {
      event_flag(fv, cfg, e);
      continue;
    }
    const double cad_v = cad ? e->value : (m->value < 0 ? m->value : NAN);
    const double imp_v = imp ? e->value : (m->value > 0 ? m->value : NAN);
    if (e->t_start_s < m->t_start_s) m->t_start_s = e->t_start_s;
    if (e->t_end_s > m->t_end_s) m->t_end_s = e->t_end_s;
    snprintf(m->message, sizeof m->message,
             "late vs early running: cadence %+.1f %%, impact %+.1f %% (limits -%.0f %% / "
             "+%.0f %%; Mizrahi 2000): fatigue, ease off or stop",
             cad_v, imp_v, rp->fatigue_cadence_drop_pct, rp->fatigue_impact_rise_pct);
  }
}

static int has_events(const gb_result *r, int kind)
{
  for (size_t i = 0; i < r->n_events; i++)
    if (r->events[i].kind == kind) return 1;
  return 0;
}

int gb_risk_run_flags(const gb_config *cfg, gb_location loc, const gb_result *r,
                      gb_flag **flags, size_t *n_flags)
{
  if (!cfg || !r || !flags || !n_flags) return GB_EINVAL;
  *flags = NULL;
  *n_flags = 0;
  const gb_risk_params *rp = &cfg->risk;
  const gb_summary *s = &r->summary;
  const double T = run_end(r);
  fvec fv = {0};
  gb_flag *f;

  /* quality.low_rate: impact content reaches 10-20 Hz and beyond (DESIGN §4). */
  const double rate = s->sample_rate_hz;
  const int low_rate = isfinite(rate) && rate > 0 && rate < cfg->analysis.impact_min_rate_hz;
  if (low_rate && (f = add_flag(&fv, "quality.low_rate", GB_SEV_INFO, 0, T, rate,
                                cfg->analysis.impact_min_rate_hz)))
    snprintf(f->message, sizeof f->message,
             "sample rate %.0f Hz < %.0f Hz: impact and landing unavailable (impact content "
             "reaches 10-20 Hz and beyond); cadence and load still valid",
             rate, cfg->analysis.impact_min_rate_hz);
  const int impact_ok = s->impact_available && !low_rate;

  /* quality.clipping: PTA of a clipped step is a lower bound. */
  if (s->n_steps > 0 && s->clipped_share > rp->clipped_share_max &&
      (f = add_flag(&fv, "quality.clipping", GB_SEV_WARN, 0, T, s->clipped_share,
                    rp->clipped_share_max)))
    snprintf(f->message, sizeof f->message,
             "%.1f %% of steps clipped at the sensor's full scale (> %.1f %%): peak impact is a "
             "lower bound; use a wider-range sensor",
             s->clipped_share * 100.0, rp->clipped_share_max * 100.0);

  /* cadence.low over running bouts only. */
  double cad = NAN, rt0 = 0, rt1 = 0;
  const double run_s = running_seconds(r);
  int rc = running_cadence(r, &cad, &rt0, &rt1);
  if (rc) goto fail;
  if (run_s >= MIN_RUNNING_S && cad < rp->cadence_low_spm &&
      (f = add_flag(&fv, "cadence.low", GB_SEV_INFO, rt0, rt1, cad, rp->cadence_low_spm)))
    snprintf(f->message, sizeof f->message,
             "running cadence %.0f spm < %.0f spm over %.0f s of running: overstriding raises "
             "joint load (Heiderscheit 2011); try +5-10 %% steps",
             cad, rp->cadence_low_spm, run_s);

  /* impact.high: shank PTA vs the 8 g screening value, trunk peaks vs their own. */
  if (impact_ok && (is_shank(loc) || is_trunk(loc))) {
    const double thr = is_shank(loc) ? rp->pta_high_g : rp->impact_high_trunk_g;
    const double cad_run = isfinite(cad) ? cad : s->cadence_median_spm;
    if (s->pta_mean_g > thr && (f = add_flag(&fv, "impact.high", GB_SEV_WARN, 0, T, s->pta_mean_g,
                                             thr)))
      snprintf(f->message, sizeof f->message,
               "mean %s peak %.1f g > %.1f g (%s) at %.0f spm; PTA rises ~38 %% from 2.7 to "
               "3.7 m/s (Sheerin 2020): compare runs at similar pace",
               is_shank(loc) ? "tibial" : "trunk", s->pta_mean_g, thr,
               is_shank(loc) ? "Crowell & Davis 2011" : "sacral", cad_run);
  }

  /* landing.rearfoot: only where the landing pattern is known. */
  if (impact_ok && loc != GB_LOC_WRIST && s->landing_pattern != GB_PATTERN_UNKNOWN &&
      s->rearfoot_share > rp->rearfoot_share_max &&
      (f = add_flag(&fv, "landing.rearfoot", GB_SEV_INFO, 0, T, s->rearfoot_share,
                    rp->rearfoot_share_max)))
    snprintf(f->message, sizeof f->message,
             "%.0f %% of steps land on the rearfoot (> %.0f %%, pattern %s, confidence %.2f): "
             "the guidance says land with the midfoot",
             s->rearfoot_share * 100.0, rp->rearfoot_share_max * 100.0,
             gb_landing_pattern_name((gb_landing_pattern)s->landing_pattern),
             (double)s->landing_confidence);

  /* posture.trunk_lean: trunk and sacrum sensors only. */
  if (is_trunk(loc)) {
    if (has_events(r, GB_EVENT_TRUNK_LEAN)) {
      event_flags(&fv, cfg, r, GB_EVENT_TRUNK_LEAN);
    } else {
      if (fabsf(s->trunk_lean_deg) > rp->trunk_lean_max_deg &&
          (f = add_flag(&fv, "posture.trunk_lean", GB_SEV_WARN, 0, T, s->trunk_lean_deg,
                        rp->trunk_lean_max_deg)))
        snprintf(f->message, sizeof f->message,
                 "trunk lean %.1f deg (|lean| > %.0f deg; running 5-15 deg, Teng & Powers "
                 "2014): don't bend over, keep the back straight",
                 s->trunk_lean_deg, rp->trunk_lean_max_deg);
      if (fabsf(s->trunk_lean_drift_deg) > rp->trunk_lean_drift_deg &&
          (f = add_flag(&fv, "posture.trunk_lean", GB_SEV_WARN, 0, T, s->trunk_lean_drift_deg,
                        rp->trunk_lean_drift_deg)))
        snprintf(f->message, sizeof f->message,
                 "trunk lean drifted %+.1f deg late vs early in the run (> %.0f deg): posture "
                 "collapsing, often with fatigue",
                 s->trunk_lean_drift_deg, rp->trunk_lean_drift_deg);
    }
  }

  /* In-run events. */
  event_flags(&fv, cfg, r, GB_EVENT_WARMUP_MISSING);
  event_flags(&fv, cfg, r, GB_EVENT_SURGE);
  event_flags(&fv, cfg, r, GB_EVENT_ABRUPT_STOP);

  /* fatigue.drift: events, else late vs early running from the step table. */
  if (has_events(r, GB_EVENT_FATIGUE_DRIFT)) {
    fatigue_event_flags(&fv, cfg, r);
  } else {
    drift d;
    rc = running_drift(r, impact_ok, &cfg->analysis, &d);
    if (rc) goto fail;
    const double cad_drop = (d.cad_early - d.cad_late) / d.cad_early * 100.0;
    const double imp_rise = (d.imp_late - d.imp_early) / d.imp_early * 100.0;
    const int by_cad = d.cad_early > 0 && cad_drop > rp->fatigue_cadence_drop_pct;
    const int by_imp = d.imp_early > 0 && imp_rise > rp->fatigue_impact_rise_pct;
    /* Signed change like the analyzer's events: cadence drop < 0, impact rise > 0. */
    if ((by_cad || by_imp) &&
        (f = add_flag(&fv, "fatigue.drift", GB_SEV_WARN, d.t_late0, d.t_end,
                      by_imp ? imp_rise : -cad_drop,
                      by_imp ? rp->fatigue_impact_rise_pct : -rp->fatigue_cadence_drop_pct)))
      snprintf(f->message, sizeof f->message,
               "late vs early running: cadence %+.1f %%, impact %+.1f %% (limits -%.0f %% / "
               "+%.0f %%; Mizrahi 2000): fatigue, ease off",
               -cad_drop, imp_rise, rp->fatigue_cadence_drop_pct, rp->fatigue_impact_rise_pct);
  }

  /* surface.irregular: events, else step-to-step impact CV while running. */
  if (has_events(r, GB_EVENT_IRREGULAR)) {
    event_flags(&fv, cfg, r, GB_EVENT_IRREGULAR);
  } else if (impact_ok && run_s >= MIN_RUNNING_S && s->impact_cv > rp->impact_cv_max &&
             (f = add_flag(&fv, "surface.irregular", GB_SEV_INFO, 0, T, s->impact_cv,
                           rp->impact_cv_max))) {
    snprintf(f->message, sizeof f->message,
             "step-to-step impact CV %.2f while running (> %.2f): rugged or sloping ground? "
             "Prefer flat, even surfaces",
             s->impact_cv, rp->impact_cv_max);
  }

  /* gait.asymmetry: events, else the run's alternating-step asymmetry. */
  if (has_events(r, GB_EVENT_ASYMMETRY)) {
    event_flags(&fv, cfg, r, GB_EVENT_ASYMMETRY);
  } else if (s->asymmetry_pct > rp->asymmetry_max_pct &&
             (f = add_flag(&fv, "gait.asymmetry", GB_SEV_WARN, 0, T, s->asymmetry_pct,
                           rp->asymmetry_max_pct))) {
    snprintf(f->message, sizeof f->message,
             "alternating-step asymmetry %.1f %% (> %.0f %%, Zifchock 2008): a compensation "
             "for pain or weakness?",
             s->asymmetry_pct, rp->asymmetry_max_pct);
  }

  if (fv.oom) {
    rc = GB_ENOMEM;
    goto fail;
  }
  if (fv.n) qsort(fv.v, fv.n, sizeof *fv.v, cmp_flag);
  *flags = fv.v;
  *n_flags = fv.n;
  return GB_OK;

fail:
  free(fv.v);
  return rc;
}
