/* Per-athlete load ramps (DESIGN §6): daily series with rolling and EWMA
 * acute:chronic ratios, ISO-week totals and their changes, and the load flags.
 *
 * Conventions (documented in the README via the lead):
 * - A session belongs to the UTC day of its start. The daily series runs over every
 *   calendar day from the first session's day to the last session's day (rest days 0).
 * - History on day d spans d − first_day + 1 days (the first day counts as one). The
 *   chronic base is established once that span is ≥ base_min_days; before it every
 *   ACWR field is NaN and nothing is flagged from a ratio. Rolling means are taken over
 *   the days of the window that lie inside the history (with base_min_days ≥
 *   chronic_days, as by default, that is always the full window).
 * - EWMA (Williams et al., BJSM 2017): E_t = λ·load_t + (1 − λ)·E_{t−1},
 *   λa = 2/(acute_days + 1), λc = 2/(chronic_days + 1), seeded with the first day's
 *   load (E_0 = load_0) and updated every day, rest days included; reported only
 *   once the base is established.
 * - An ISO week is judged (ramp flags) only when its Sunday lies ≥ base_min_days − 1
 *   days after the first day: with the default 28 days the four weeks behind a 2-week
 *   comparison are then complete weeks of history. One load.weekly_ramp flag per week
 *   at most: warn when the 2-week change exceeds two_week_ramp_max, else info when the
 *   week-over-week change exceeds weekly_ramp_max; it spans the week (Monday … +7 d)
 *   and has run_id "".
 * - Thresholds are strict ("more than"), evaluated in exactly the floating-point form
 *   of the synthetic generator's rules (src/synth/cohort.c), so planted and found flags
 *   agree even on ties: spike load > best · (1 + band) (a session exactly 10 % longer is
 *   no spike); week ratio − 1 > max (S(w)/S(w−1) − 1, (S(w)+S(w−1))/(S(w−2)+S(w−3)) − 1);
 *   ACWR (Σ acute/7)/(Σ chronic/28) > acwr_high.
 * - load.acwr_high is raised on every session of a day whose rolling ACWR exceeds
 *   acwr_high (span: that UTC day); load.session_spike and load.no_base span the
 *   session. Flag times are days since 1970-01-01; flags sorted by start, code, run_id. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/load.h"
#include "gaitbatch/status.h"
#include "util/errbuf.h"

#define SECONDS_PER_DAY 86400.0
#define MAX_SPAN_DAYS 73050 /* 200 years: a longer span is a wrong start time */

typedef struct flag_vec {
  gb_load_flag *v;
  size_t n, cap;
} flag_vec;

static gb_load_flag *flag_push(flag_vec *fv)
{
  if (fv->n == fv->cap) {
    size_t cap = fv->cap ? fv->cap * 2 : 16;
    gb_load_flag *nv = realloc(fv->v, cap * sizeof *nv);
    if (!nv) return NULL;
    fv->v = nv;
    fv->cap = cap;
  }
  gb_load_flag *f = &fv->v[fv->n++];
  memset(f, 0, sizeof *f);
  return f;
}

static double session_load(const gb_load_params *p, const gb_session *s)
{
  switch (p->load_metric) {
  case 1: return s->steps;
  case 2: return s->impact;
  default: return s->duration_s;
  }
}

static const char *metric_more(int metric)
{
  switch (metric) {
  case 1: return "more steps";
  case 2: return "more cumulative impact";
  default: return "longer";
  }
}

static const char *metric_name(int metric)
{
  switch (metric) {
  case 1: return "steps";
  case 2: return "impact";
  default: return "duration";
  }
}

static int cmp_session_ptr(const void *a, const void *b)
{
  const gb_session *x = *(const gb_session *const *)a;
  const gb_session *y = *(const gb_session *const *)b;
  if (x->start_epoch_s < y->start_epoch_s) return -1;
  if (x->start_epoch_s > y->start_epoch_s) return 1;
  int c = strcmp(x->run_id, y->run_id);
  if (c) return c;
  return (x < y) ? -1 : (x > y); /* identical keys: input order */
}

static int cmp_flag(const void *a, const void *b)
{
  const gb_load_flag *x = a, *y = b;
  if (x->flag.t_start_s < y->flag.t_start_s) return -1;
  if (x->flag.t_start_s > y->flag.t_start_s) return 1;
  int c = strcmp(x->flag.code, y->flag.code);
  if (c) return c;
  c = strcmp(x->run_id, y->run_id);
  if (c) return c;
  if (x->flag.severity != y->flag.severity) return x->flag.severity < y->flag.severity ? -1 : 1;
  if (x->flag.value < y->flag.value) return -1;
  if (x->flag.value > y->flag.value) return 1;
  return 0;
}

static int check_params(const gb_load_params *p, char *err, size_t errlen)
{
  if (!(p->acute_days >= 1 && p->acute_days <= 365) ||
      !(p->chronic_days >= 1 && p->chronic_days <= 3650))
    return gb_err(err, errlen, GB_EINVAL,
                  "load: acute_days %g / chronic_days %g: expected whole days >= 1",
                  p->acute_days, p->chronic_days);
  if (!(p->spike_lookback_days > 0 && p->spike_lookback_days <= 3650) || !(p->base_min_days >= 0) || !(p->no_base_min_s >= 0))
    return gb_err(err, errlen, GB_EINVAL,
                  "load: spike_lookback_days %g, base_min_days %g, no_base_min_s %g: "
                  "expected > 0, >= 0, >= 0",
                  p->spike_lookback_days, p->base_min_days, p->no_base_min_s);
  if (!(p->spike_band1 >= 0 && p->spike_band1 <= p->spike_band2 &&
        p->spike_band2 <= p->spike_band3 && isfinite(p->spike_band3)))
    return gb_err(err, errlen, GB_EINVAL,
                  "load: spike bands %g, %g, %g: expected 0 <= band1 <= band2 <= band3",
                  p->spike_band1, p->spike_band2, p->spike_band3);
  if (!(p->weekly_ramp_max >= 0) || !(p->two_week_ramp_max >= 0) || !(p->acwr_high > 0) ||
      !isfinite(p->weekly_ramp_max) || !isfinite(p->two_week_ramp_max) || !isfinite(p->acwr_high))
    return gb_err(err, errlen, GB_EINVAL,
                  "load: weekly_ramp_max %g, two_week_ramp_max %g, acwr_high %g: expected "
                  "finite, >= 0, >= 0, > 0",
                  p->weekly_ramp_max, p->two_week_ramp_max, p->acwr_high);
  if (p->load_metric < 0 || p->load_metric > 2)
    return gb_err(err, errlen, GB_EINVAL, "load: load_metric %d: expected 0, 1 or 2",
                  p->load_metric);
  return GB_OK;
}

static int check_session(const gb_load_params *p, const gb_session *s, size_t i, char *err,
                         size_t errlen)
{
  if (!isfinite(s->start_epoch_s))
    return gb_err(err, errlen, GB_EINVAL, "load: session %zu (%s): start time is not finite", i,
                  s->run_id);
  if (!isfinite(s->duration_s) || s->duration_s < 0)
    return gb_err(err, errlen, GB_EINVAL,
                  "load: session %zu (%s): duration %g s: expected a finite value >= 0", i,
                  s->run_id, s->duration_s);
  double l = session_load(p, s);
  if (!isfinite(l) || l < 0)
    return gb_err(err, errlen, GB_EINVAL,
                  "load: session %zu (%s): %s load %g: expected a finite value >= 0", i,
                  s->run_id, metric_name(p->load_metric), l);
  return GB_OK;
}

static void day_string(int64_t day, char out[11])
{
  int32_t y, m, d;
  gb_civil_from_days(day, &y, &m, &d);
  snprintf(out, 11, "%04d-%02d-%02d", (int)(y % 10000 + 10000) % 10000, (int)m, (int)d);
}

/* Single-session spike (PRIMARY; Frandsen et al., BJSM 2025): load vs the largest
 * session load of the previous spike_lookback_days calendar days. The window holds every
 * session that starts strictly before this one and whose UTC day is no earlier than
 * (this day − spike_lookback_days): the 30 days before today, plus earlier sessions of
 * today. */
static int spike_flags(const gb_load_params *p, const gb_session *const *ss, size_t n, flag_vec *fv)
{
  static const double hrr[3] = {1.64, 1.52, 2.28}; /* Frandsen 2025, per band */
  const int64_t lookback_d = (int64_t)llround(p->spike_lookback_days);
  for (size_t i = 1; i < n; i++) {
    const gb_session *s = ss[i];
    double l = session_load(p, s);
    double best = -1.0;
    for (size_t j = i; j-- > 0;) {
      const gb_session *q = ss[j];
      if ((int64_t)floor(q->start_epoch_s / SECONDS_PER_DAY) <
          (int64_t)floor(s->start_epoch_s / SECONDS_PER_DAY) - lookback_d)
        break;
      if (q->start_epoch_s >= s->start_epoch_s) continue; /* same start: not "previous" */
      double lq = session_load(p, q);
      if (lq > best) best = lq;
    }
    if (!(best > 0.0) || !(l > best * (1.0 + p->spike_band1))) continue;
    int band = l > best * (1.0 + p->spike_band3) ? 2 : l > best * (1.0 + p->spike_band2) ? 1 : 0;
    const double thr[3] = {p->spike_band1, p->spike_band2, p->spike_band3};
    gb_load_flag *f = flag_push(fv);
    if (!f) return GB_ENOMEM;
    gb_strlcpy(f->run_id, s->run_id, sizeof f->run_id);
    gb_strlcpy(f->flag.code, "load.session_spike", sizeof f->flag.code);
    f->flag.severity = band == 2 ? GB_SEV_HIGH : band == 1 ? GB_SEV_WARN : GB_SEV_INFO;
    f->flag.t_start_s = s->start_epoch_s / SECONDS_PER_DAY;
    f->flag.t_end_s = (s->start_epoch_s + s->duration_s) / SECONDS_PER_DAY;
    f->flag.value = l / best - 1.0;
    f->flag.threshold = thr[band];
    snprintf(f->flag.message, sizeof f->flag.message,
             "session %.0f %% %s than the longest of the previous %g days (band > %.0f %%, "
             "HRR %.2f, Frandsen 2025)",
             f->flag.value * 100.0, metric_more(p->load_metric), p->spike_lookback_days,
             thr[band] * 100.0, hrr[band]);
  }
  return GB_OK;
}

int gb_load_compute(const gb_load_params *p, const gb_session *sessions, size_t n,
                    gb_load_result **out, char *err, size_t errlen)
{
  if (!p || !out || (n && !sessions)) return gb_err(err, errlen, GB_EINVAL, "load: NULL argument");
  *out = NULL;
  int rc = check_params(p, err, errlen);
  if (rc) return rc;
  for (size_t i = 0; i < n; i++) {
    rc = check_session(p, &sessions[i], i, err, errlen);
    if (rc) return rc;
  }
  gb_load_result *r = calloc(1, sizeof *r);
  if (!r) return gb_err(err, errlen, GB_ENOMEM, "load: out of memory");
  if (n == 0) {
    *out = r;
    return GB_OK;
  }

  const gb_session **ss = malloc(n * sizeof *ss);
  int32_t *day_nsess = NULL;
  flag_vec fv = {0};
  if (!ss) goto nomem;
  for (size_t i = 0; i < n; i++) ss[i] = &sessions[i];
  qsort(ss, n, sizeof *ss, cmp_session_ptr);

  const int64_t first_day = (int64_t)floor(ss[0]->start_epoch_s / SECONDS_PER_DAY);
  const int64_t last_day = (int64_t)floor(ss[n - 1]->start_epoch_s / SECONDS_PER_DAY);
  if (last_day - first_day >= MAX_SPAN_DAYS) {
    gb_err(err, errlen, GB_ERANGE,
           "load: sessions span %lld days (%s to %s): expected fewer than %d; check the "
           "start times",
           (long long)(last_day - first_day + 1), ss[0]->run_id, ss[n - 1]->run_id,
           MAX_SPAN_DAYS);
    free(ss);
    free(r);
    return GB_ERANGE;
  }
  const size_t nd = (size_t)(last_day - first_day + 1);
  r->daily = calloc(nd, sizeof *r->daily);
  day_nsess = calloc(nd, sizeof *day_nsess);
  if (!r->daily || !day_nsess) goto nomem;
  r->n_daily = nd;

  /* Daily totals. */
  for (size_t k = 0; k < nd; k++) {
    gb_daily_row *d = &r->daily[k];
    d->day = first_day + (int64_t)k;
    day_string(d->day, d->date);
  }
  for (size_t i = 0; i < n; i++) {
    const gb_session *s = ss[i];
    size_t k = (size_t)((int64_t)floor(s->start_epoch_s / SECONDS_PER_DAY) - first_day);
    gb_daily_row *d = &r->daily[k];
    d->duration_s += s->duration_s;
    d->steps += s->steps;
    d->impact += s->impact;
    d->load += session_load(p, s);
    day_nsess[k]++;
  }

  /* Rolling and EWMA acute:chronic ratios. */
  const size_t na = (size_t)llround(p->acute_days), nc = (size_t)llround(p->chronic_days);
  const double la = 2.0 / ((double)na + 1.0), lc = 2.0 / ((double)nc + 1.0);
  double ea = r->daily[0].load, ec = r->daily[0].load;
  for (size_t k = 0; k < nd; k++) {
    gb_daily_row *d = &r->daily[k];
    if (k > 0) {
      ea = la * d->load + (1.0 - la) * ea;
      ec = lc * d->load + (1.0 - lc) * ec;
    }
    d->base_established = (double)(k + 1) >= p->base_min_days;
    if (!d->base_established) {
      d->acute_rolling = d->chronic_rolling = d->acwr_rolling = NAN;
      d->acute_ewma = d->chronic_ewma = d->acwr_ewma = NAN;
      continue;
    }
    double sa = 0.0, sc = 0.0;
    size_t ca = 0, cc = 0;
    for (size_t j = 0; j < nc && j <= k; j++) {
      double l = r->daily[k - j].load;
      sc += l;
      cc++;
      if (j < na) {
        sa += l;
        ca++;
      }
    }
    d->acute_rolling = sa / (double)ca;
    d->chronic_rolling = sc / (double)cc;
    d->acwr_rolling = d->chronic_rolling > 0 ? d->acute_rolling / d->chronic_rolling : NAN;
    d->acute_ewma = ea;
    d->chronic_ewma = ec;
    d->acwr_ewma = ec > 0 ? ea / ec : NAN;
  }

  /* ISO weeks, every week from the first to the last, empty ones included. */
  const int64_t mon0 = gb_iso_week_monday(first_day);
  const size_t nw = (size_t)((gb_iso_week_monday(last_day) - mon0) / 7 + 1);
  r->weekly = calloc(nw, sizeof *r->weekly);
  if (!r->weekly) goto nomem;
  r->n_weekly = nw;
  for (size_t w = 0; w < nw; w++) {
    gb_weekly_row *wk = &r->weekly[w];
    int64_t mon = mon0 + 7 * (int64_t)w;
    gb_iso_week(mon, &wk->iso_year, &wk->iso_week);
    snprintf(wk->week, sizeof wk->week, "%04d-W%02d", (int)(wk->iso_year % 10000 + 10000) % 10000,
             (int)wk->iso_week);
    wk->base_established = (double)(mon + 6 - first_day + 1) >= p->base_min_days;
  }
  for (size_t k = 0; k < nd; k++) {
    const gb_daily_row *d = &r->daily[k];
    gb_weekly_row *wk = &r->weekly[(gb_iso_week_monday(d->day) - mon0) / 7];
    wk->n_sessions += day_nsess[k];
    wk->duration_s += d->duration_s;
    wk->steps += d->steps;
    wk->impact += d->impact;
    wk->load += d->load;
  }
  for (size_t w = 0; w < nw; w++) {
    gb_weekly_row *wk = &r->weekly[w];
    double prev = w >= 1 ? r->weekly[w - 1].load : 0.0;
    double num = wk->load + prev;
    double den = w >= 3 ? r->weekly[w - 2].load + r->weekly[w - 3].load : 0.0;
    wk->change_pct = prev > 0 ? (wk->load / prev - 1.0) * 100.0 : NAN;
    wk->change_2wk_pct = den > 0 ? (num / den - 1.0) * 100.0 : NAN;
    if (!wk->base_established) continue;
    /* One load.weekly_ramp flag per week: warn when the 2-week change exceeds
     * two_week_ramp_max (Nielsen 2014), else info when the week-over-week change
     * exceeds weekly_ramp_max; the message gives both numbers. */
    const double t0 = (double)(mon0 + 7 * (int64_t)w);
    int wow = prev > 0 && wk->load / prev - 1.0 > p->weekly_ramp_max;
    int two = den > 0 && num / den - 1.0 > p->two_week_ramp_max;
    if (!wow && !two) continue;
    gb_load_flag *f = flag_push(&fv);
    if (!f) goto nomem;
    gb_strlcpy(f->flag.code, "load.weekly_ramp", sizeof f->flag.code);
    f->flag.t_start_s = t0;
    f->flag.t_end_s = t0 + 7.0;
    char wow_txt[48] = "", two_txt[48] = "";
    if (prev > 0) snprintf(wow_txt, sizeof wow_txt, "%+.0f %% vs previous week", wk->change_pct);
    if (den > 0) snprintf(two_txt, sizeof two_txt, "2-week %+.0f %%", wk->change_2wk_pct);
    if (two) {
      f->flag.severity = GB_SEV_WARN;
      f->flag.value = num / den - 1.0;
      f->flag.threshold = p->two_week_ramp_max;
      snprintf(f->flag.message, sizeof f->flag.message,
               "week %s %s: %s (> %.0f %%), %s; associated with more injuries in novices "
               "(Nielsen 2014), not a prediction",
               wk->week, metric_name(p->load_metric), two_txt, p->two_week_ramp_max * 100.0,
               prev > 0 ? wow_txt : "previous week empty");
    } else {
      f->flag.severity = GB_SEV_INFO;
      f->flag.value = wk->load / prev - 1.0;
      f->flag.threshold = p->weekly_ramp_max;
      snprintf(f->flag.message, sizeof f->flag.message,
               "week %s %s: %s (> %.0f %%; '10 %% rule': an association, not a prediction, "
               "Buist 2008)",
               wk->week, metric_name(p->load_metric), wow_txt, p->weekly_ramp_max * 100.0);
    }
  }

  /* Session-level flags. */
  rc = spike_flags(p, ss, n, &fv);
  if (rc) goto nomem;
  /* load.acwr_high on every session of a day whose rolling ACWR is above acwr_high. */
  for (size_t i = 0; i < n; i++) {
    size_t k = (size_t)((int64_t)floor(ss[i]->start_epoch_s / SECONDS_PER_DAY) - first_day);
    const gb_daily_row *d = &r->daily[k];
    if (!d->base_established || !(d->acwr_rolling > p->acwr_high)) continue;
    gb_load_flag *f = flag_push(&fv);
    if (!f) goto nomem;
    gb_strlcpy(f->run_id, ss[i]->run_id, sizeof f->run_id);
    gb_strlcpy(f->flag.code, "load.acwr_high", sizeof f->flag.code);
    f->flag.severity = GB_SEV_WARN;
    f->flag.t_start_s = (double)d->day;
    f->flag.t_end_s = (double)d->day + 1.0;
    f->flag.value = d->acwr_rolling;
    f->flag.threshold = p->acwr_high;
    snprintf(f->flag.message, sizeof f->flag.message,
             "acute:chronic %s ratio %.2f > %.2f (rolling %zu/%zu d; EWMA %.2f): an association, "
             "not a prediction (Impellizzeri 2020)",
             metric_name(p->load_metric), d->acwr_rolling, p->acwr_high, na, nc, d->acwr_ewma);
  }
  for (size_t i = 0; i < n; i++) {
    const gb_session *s = ss[i];
    size_t k = (size_t)((int64_t)floor(s->start_epoch_s / SECONDS_PER_DAY) - first_day);
    if (r->daily[k].base_established || !(s->duration_s >= p->no_base_min_s)) continue;
    gb_load_flag *f = flag_push(&fv);
    if (!f) goto nomem;
    gb_strlcpy(f->run_id, s->run_id, sizeof f->run_id);
    gb_strlcpy(f->flag.code, "load.no_base", sizeof f->flag.code);
    f->flag.severity = GB_SEV_WARN;
    f->flag.t_start_s = s->start_epoch_s / SECONDS_PER_DAY;
    f->flag.t_end_s = (s->start_epoch_s + s->duration_s) / SECONDS_PER_DAY;
    f->flag.value = s->duration_s;
    f->flag.threshold = p->no_base_min_s;
    snprintf(f->flag.message, sizeof f->flag.message,
             "%.0f min session on day %zu of the history (base needs %g days): high load "
             "without a chronic base: build up gradually",
             s->duration_s / 60.0, k + 1, p->base_min_days);
  }

  if (fv.n) qsort(fv.v, fv.n, sizeof *fv.v, cmp_flag);
  r->flags = fv.v;
  r->n_flags = fv.n;
  free((void *)ss);
  free(day_nsess);
  *out = r;
  return GB_OK;

nomem:
  free((void *)ss);
  free(day_nsess);
  free(fv.v);
  gb_load_result_free(r);
  return gb_err(err, errlen, GB_ENOMEM, "load: out of memory (%zu sessions)", n);
}

void gb_load_result_free(gb_load_result *r)
{
  if (!r) return;
  free(r->daily);
  free(r->weekly);
  free(r->flags);
  free(r);
}
