/* Scoring one run against its truth, and load flags against the expected ones,
 * into a gb_eval_tally (sums and counts, so runs pool by addition). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval_internal.h"
#include "gaitbatch/eval.h"
#include "gaitbatch/status.h"
#include "util/errbuf.h"

void gb_eval_params_defaults(gb_eval_params *p)
{
  /* ±25 ms: the step-detection tolerance of DESIGN §11; at 100 Hz it is ±2.5
   * samples, at 500 Hz the force-plate contacts (30 Hz low-pass) are good to about
   * ±10 ms (Alcantara data provenance), so 25 ms leaves room for filter delay. */
  p->tolerance_s = 0.025;
  /* Events are minutes-long phenomena (warm-up, fatigue drift) or seconds-long
   * (surge, stop) whose onset is defined by windows of several seconds (8 s STFT,
   * DESIGN §5): 10 s of slack accepts window-level disagreement on the edges. */
  p->event_slack_s = 10.0;
}

void gb_eval_tally_init(gb_eval_tally *t)
{
  memset(t, 0, sizeof *t);
}

void gb_eval_tally_clear(gb_eval_tally *t)
{
  if (!t) return;
  free(t->dt_ms);
  free(t->codes);
  gb_eval_tally_init(t);
}

/* Adds counts to a code's row, inserting it in code order. */
static int code_add(gb_eval_tally *t, const char *code, long tp, long fp, long fn)
{
  size_t i = 0;
  int c = 1;
  while (i < t->n_codes && (c = strcmp(t->codes[i].code, code)) < 0) i++;
  if (i == t->n_codes || c != 0) {
    if (t->n_codes == t->cap_codes) {
      size_t cap = t->cap_codes ? t->cap_codes * 2 : 16;
      gb_eval_code_count *n = realloc(t->codes, cap * sizeof *n);
      if (!n) return GB_ENOMEM;
      t->codes = n;
      t->cap_codes = cap;
    }
    memmove(&t->codes[i + 1], &t->codes[i], (t->n_codes - i) * sizeof *t->codes);
    memset(&t->codes[i], 0, sizeof *t->codes);
    gb_strlcpy(t->codes[i].code, code, sizeof t->codes[i].code);
    t->n_codes++;
  }
  t->codes[i].tp += tp;
  t->codes[i].fp += fp;
  t->codes[i].fn += fn;
  return GB_OK;
}

static int push_dt(gb_eval_tally *t, double v)
{
  if (t->n_dt == t->cap_dt) {
    size_t cap = t->cap_dt ? t->cap_dt * 2 : 64;
    double *n = realloc(t->dt_ms, cap * sizeof *n);
    if (!n) return GB_ENOMEM;
    t->dt_ms = n;
    t->cap_dt = cap;
  }
  t->dt_ms[t->n_dt++] = v;
  return GB_OK;
}

int gb_eval_tally_merge(gb_eval_tally *d, const gb_eval_tally *s)
{
  for (size_t i = 0; i < s->n_dt; i++)
    if (push_dt(d, s->dt_ms[i])) return GB_ENOMEM;
  d->n_runs += s->n_runs;
  d->n_runs_steps += s->n_runs_steps;
  d->n_runs_cadence += s->n_runs_cadence;
  d->n_runs_events += s->n_runs_events;
  d->n_runs_flags += s->n_runs_flags;
  d->n_runs_lean += s->n_runs_lean;
  d->n_runs_landing += s->n_runs_landing;
  d->n_runs_contact += s->n_runs_contact;
  d->n_runs_cadence_mean += s->n_runs_cadence_mean;
  d->steps_tp += s->steps_tp;
  d->steps_fp += s->steps_fp;
  d->steps_fn += s->steps_fn;
  d->steps_untimed += s->steps_untimed;
  d->n_runs_side += s->n_runs_side;
  d->steps_all_tp += s->steps_all_tp;
  d->steps_all_fn += s->steps_all_fn;
  d->cad_n += s->cad_n;
  d->cad_abs_sum += s->cad_abs_sum;
  if (s->cad_max_abs > d->cad_max_abs) d->cad_max_abs = s->cad_max_abs;
  d->cadmean_n += s->cadmean_n;
  d->cadmean_abs_sum += s->cadmean_abs_sum;
  d->ct_n += s->ct_n;
  d->ct_abs_sum += s->ct_abs_sum;
  d->ct_signed_sum += s->ct_signed_sum;
  d->ctrun_n += s->ctrun_n;
  d->ctrun_abs_sum += s->ctrun_abs_sum;
  d->ctrun_signed_sum += s->ctrun_signed_sum;
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++) d->landing_step[i][j] += s->landing_step[i][j];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++) d->landing_run[i][j] += s->landing_run[i][j];
  d->lean_n += s->lean_n;
  d->lean_abs_sum += s->lean_abs_sum;
  d->lean_signed_sum += s->lean_signed_sum;
  for (int k = 0; k < GB_EVAL_N_EVENT_KINDS; k++) {
    d->ev_tp[k] += s->ev_tp[k];
    d->ev_fp[k] += s->ev_fp[k];
    d->ev_fn[k] += s->ev_fn[k];
  }
  d->ev_hours += s->ev_hours;
  d->flag_tp += s->flag_tp;
  d->flag_fp += s->flag_fp;
  d->flag_fn += s->flag_fn;
  d->have_load |= s->have_load;
  d->load_tp += s->load_tp;
  d->load_fp += s->load_fp;
  d->load_fn += s->load_fn;
  for (size_t i = 0; i < s->n_codes; i++)
    if (code_add(d, s->codes[i].code, s->codes[i].tp, s->codes[i].fp, s->codes[i].fn))
      return GB_ENOMEM;
  return GB_OK;
}

static int in_scope(const gb_truth_run *tr, double t)
{
  if (!(tr->have & GB_TRUTH_SCOPE)) return 1;
  for (size_t i = 0; i < tr->n_scope; i++)
    if (t >= tr->scope[i].t_start_s && t <= tr->scope[i].t_end_s) return 1;
  return 0;
}

/* landing class → confusion index: rearfoot 0, midfoot 1, unknown 2 */
static int step_class(int landing)
{
  return landing == GB_LANDING_REARFOOT ? 0 : landing == GB_LANDING_MIDFOOT ? 1 : 2;
}

/* Matches detections to the truth steps idx[0..nt) and counts TP/FN over them (and,
 * when full, FP, timing, contact time and landing per step): full = 1 for the scored
 * steps, 0 for the all-sides recall. */
static int match_steps(const gb_eval_params *p, const gb_truth_run *tr, const gb_result *res,
                       const size_t *idx, size_t nt, int full, gb_eval_tally *t)
{
  size_t nd = res->n_steps;
  double *tt = malloc((nt ? nt : 1) * sizeof *tt), *dd = malloc((nd ? nd : 1) * sizeof *dd);
  long *mt = malloc((nt ? nt : 1) * sizeof *mt), *md = malloc((nd ? nd : 1) * sizeof *md);
  int rc = GB_ENOMEM;
  if (!tt || !dd || !mt || !md) goto out;
  for (size_t i = 0; i < nt; i++) tt[i] = tr->steps[idx[i]].t_s;
  for (size_t j = 0; j < nd; j++) dd[j] = res->steps[j].t_s;
  if (gb_eval_match(tt, nt, dd, nd, p->tolerance_s, mt, md) < 0) goto out;
  for (size_t i = 0; i < nt; i++) {
    const gb_truth_step *ts = &tr->steps[idx[i]];
    if (isnan(ts->t_s)) { /* known to exist, never timed: a step nobody can match */
      if (full) {
        t->steps_fn++;
        t->steps_untimed++;
      } else {
        t->steps_all_fn++;
      }
      continue;
    }
    if (!in_scope(tr, ts->t_s)) continue;
    if (!full) {
      if (mt[i] < 0) t->steps_all_fn++;
      else t->steps_all_tp++;
      continue;
    }
    if (mt[i] < 0) {
      t->steps_fn++;
      continue;
    }
    const gb_step *ds = &res->steps[mt[i]];
    t->steps_tp++;
    if (push_dt(t, (ds->t_s - ts->t_s) * 1000.0)) goto out;
    if (isfinite(ts->contact_time_ms) && isfinite(ds->contact_time_ms)) {
      double e = (double)ds->contact_time_ms - ts->contact_time_ms;
      t->ct_n++;
      t->ct_abs_sum += fabs(e);
      t->ct_signed_sum += e;
    }
    if (ts->landing == GB_LANDING_REARFOOT || ts->landing == GB_LANDING_MIDFOOT)
      t->landing_step[step_class(ts->landing)][step_class(ds->landing)]++;
  }
  if (full)
    for (size_t j = 0; j < nd; j++)
      if (md[j] < 0 && in_scope(tr, res->steps[j].t_s)) t->steps_fp++;
  rc = GB_OK;
out:
  free(tt);
  free(dd);
  free(mt);
  free(md);
  return rc;
}

/* A unilateral sensor (tibia, foot, thigh) with a known leg sees that leg's contacts
 * only (DESIGN §5: a shank sensor's impact peaks are its own leg's; the other leg's
 * arrive attenuated and are not reported as contacts): its scored truth steps are
 * that leg's. Every other sensor is scored on all truth steps. */
static int score_steps(const gb_eval_params *p, const gb_truth_run *tr, const gb_result *res,
                       gb_eval_tally *t)
{
  size_t nt = tr->n_steps, ns = 0;
  size_t *all = malloc((nt ? nt : 1) * sizeof *all), *own = malloc((nt ? nt : 1) * sizeof *own);
  int rc = GB_ENOMEM;
  if (!all || !own) goto out;
  int side = gb_location_is_unilateral((gb_location)tr->location) ? tr->sensor_side : -1;
  for (size_t i = 0; i < nt; i++) {
    all[i] = i;
    if (side >= 0 && tr->steps[i].side == side) own[ns++] = i;
  }
  if (side >= 0) {
    t->n_runs_side++;
    if ((rc = match_steps(p, tr, res, own, ns, 1, t))) goto out;
    if ((rc = match_steps(p, tr, res, all, nt, 0, t))) goto out;
  } else {
    long tp0 = t->steps_tp, fn0 = t->steps_fn;
    if ((rc = match_steps(p, tr, res, all, nt, 1, t))) goto out;
    t->steps_all_tp += t->steps_tp - tp0;
    t->steps_all_fn += t->steps_fn - fn0;
  }
  t->n_runs_steps++;
  rc = GB_OK;
out:
  free(all);
  free(own);
  return rc;
}

/* True cadence at time x: linear between neighbouring rows that are both > 0 and no
 * further apart than 1.5 × the median row spacing (a longer gap is a hole in the
 * reference, e.g. between walking bouts); NaN where not defined. */
static double truth_cadence_at(const gb_truth_cadence *c, size_t n, double max_gap, double x)
{
  if (n == 0 || x < c[0].t_s || x > c[n - 1].t_s) return NAN;
  size_t lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (c[mid].t_s <= x) lo = mid;
    else hi = mid;
  }
  if (c[lo].t_s == x) return c[lo].cadence_spm > 0 ? c[lo].cadence_spm : NAN;
  if (c[hi].t_s == x) return c[hi].cadence_spm > 0 ? c[hi].cadence_spm : NAN;
  if (!(c[lo].cadence_spm > 0 && c[hi].cadence_spm > 0)) return NAN;
  double gap = c[hi].t_s - c[lo].t_s;
  if (gap > max_gap) return NAN;
  double f = (x - c[lo].t_s) / gap;
  return c[lo].cadence_spm + f * (c[hi].cadence_spm - c[lo].cadence_spm);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int score_cadence(const gb_truth_run *tr, const gb_result *res, gb_eval_tally *t)
{
  size_t n = tr->n_cadence;
  double max_gap = INFINITY;
  if (n >= 2) {
    double *gaps = malloc((n - 1) * sizeof *gaps);
    if (!gaps) return GB_ENOMEM;
    for (size_t i = 0; i + 1 < n; i++) gaps[i] = tr->cadence[i + 1].t_s - tr->cadence[i].t_s;
    qsort(gaps, n - 1, sizeof *gaps, cmp_double);
    max_gap = 1.5 * gb_eval_quantile_sorted(gaps, n - 1, 0.5);
    free(gaps);
  }
  for (size_t k = 0; k < res->n_cadence; k++) {
    const gb_cadence_row *r = &res->cadence[k];
    if (!(r->confidence > 0) || !isfinite(r->cadence_spm)) continue;
    double truth = truth_cadence_at(tr->cadence, n, max_gap, r->t_s);
    if (isnan(truth)) continue;
    double e = fabs((double)r->cadence_spm - truth);
    t->cad_n++;
    t->cad_abs_sum += e;
    if (e > t->cad_max_abs) t->cad_max_abs = e;
  }
  t->n_runs_cadence++;
  return GB_OK;
}

static int events_overlap(const gb_truth_event *a, const gb_event *b, double slack)
{
  return b->t_start_s <= a->t_end_s + slack && a->t_start_s <= b->t_end_s + slack;
}

static int score_events(const gb_eval_params *p, const gb_truth_run *tr, const gb_result *res,
                        gb_eval_tally *t)
{
  size_t nr = res->n_events;
  char *used = calloc(nr ? nr : 1, 1);
  if (!used) return GB_ENOMEM;
  for (size_t i = 0; i < tr->n_events; i++) {
    const gb_truth_event *te = &tr->events[i];
    long best = -1;
    double best_d = INFINITY;
    for (size_t j = 0; j < nr; j++) {
      const gb_event *re = &res->events[j];
      if (used[j] || re->kind != te->kind || !events_overlap(te, re, p->event_slack_s)) continue;
      double d = fabs(re->t_start_s - te->t_start_s);
      if (d < best_d) {
        best_d = d;
        best = (long)j;
      }
    }
    if (best >= 0) {
      used[best] = 1;
      t->ev_tp[te->kind]++;
    } else {
      t->ev_fn[te->kind]++;
    }
  }
  for (size_t j = 0; j < nr; j++) {
    int k = res->events[j].kind;
    if (!used[j] && k >= 1 && k < GB_EVAL_N_EVENT_KINDS) t->ev_fp[k]++;
  }
  free(used);
  double dur = isfinite(res->summary.duration_s) ? res->summary.duration_s : tr->duration_s;
  if (isfinite(dur)) t->ev_hours += dur / 3600.0;
  t->n_runs_events++;
  return GB_OK;
}

static int has_code(const char *code, const char *const *codes, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(code, codes[i]) == 0) return 1;
  return 0;
}

static int score_flags(const gb_truth_run *tr, const gb_flag *flags, size_t n_flags,
                       gb_eval_tally *t)
{
  /* time-agnostic: the sets of distinct codes of the run */
  const char **rc = malloc((n_flags ? n_flags : 1) * sizeof *rc);
  const char **tc = malloc((tr->n_flags ? tr->n_flags : 1) * sizeof *tc);
  size_t nr = 0, nt = 0;
  if (!rc || !tc) {
    free(rc);
    free(tc);
    return GB_ENOMEM;
  }
  for (size_t i = 0; i < n_flags; i++)
    if (!has_code(flags[i].code, rc, nr)) rc[nr++] = flags[i].code;
  for (size_t i = 0; i < tr->n_flags; i++)
    if (!has_code(tr->flags[i].code, tc, nt)) tc[nt++] = tr->flags[i].code;
  int err = GB_OK;
  for (size_t i = 0; i < nr && !err; i++) {
    int hit = has_code(rc[i], tc, nt);
    if (hit) t->flag_tp++;
    else t->flag_fp++;
    err = code_add(t, rc[i], hit, !hit, 0);
  }
  for (size_t i = 0; i < nt && !err; i++)
    if (!has_code(tc[i], rc, nr)) {
      t->flag_fn++;
      err = code_add(t, tc[i], 0, 0, 1);
    }
  free(rc);
  free(tc);
  if (err) return err;
  t->n_runs_flags++;
  return GB_OK;
}

/* run pattern → confusion index: rearfoot 0, midfoot 1, mixed 2, unknown 3 */
static int pattern_class(int p)
{
  switch (p) {
  case GB_PATTERN_REARFOOT: return 0;
  case GB_PATTERN_MIDFOOT: return 1;
  case GB_PATTERN_MIXED: return 2;
  default: return 3;
  }
}

static void score_run_facts(const gb_truth_run *tr, const gb_result *res, gb_eval_tally *t)
{
  const gb_summary *s = &res->summary;
  if (isfinite(tr->cadence_mean_spm)) {
    t->n_runs_cadence_mean++;
    if (isfinite(s->cadence_mean_spm)) {
      t->cadmean_n++;
      t->cadmean_abs_sum += fabs((double)s->cadence_mean_spm - tr->cadence_mean_spm);
    }
  }
  double ct = tr->contact_time_ms;
  if (!isfinite(ct) && (tr->have & GB_TRUTH_STEPS)) {
    double sum = 0;
    long n = 0;
    for (size_t i = 0; i < tr->n_steps; i++)
      if (isfinite(tr->steps[i].contact_time_ms)) {
        sum += tr->steps[i].contact_time_ms;
        n++;
      }
    if (n) ct = sum / (double)n;
  }
  if (isfinite(ct)) {
    t->n_runs_contact++;
    if (isfinite(s->contact_time_ms)) {
      double e = (double)s->contact_time_ms - ct;
      t->ctrun_n++;
      t->ctrun_abs_sum += fabs(e);
      t->ctrun_signed_sum += e;
    }
  }
  if (tr->landing_pattern > GB_PATTERN_UNKNOWN) {
    t->n_runs_landing++;
    t->landing_run[pattern_class(tr->landing_pattern)][pattern_class(s->landing_pattern)]++;
  }
  if (isfinite(tr->trunk_lean_deg)) {
    t->n_runs_lean++;
    if (isfinite(s->trunk_lean_deg)) {
      double e = (double)s->trunk_lean_deg - tr->trunk_lean_deg;
      t->lean_n++;
      t->lean_abs_sum += fabs(e);
      t->lean_signed_sum += e;
    }
  }
}

int gb_eval_run(const gb_eval_params *p, const gb_truth_run *truth, const gb_result *res,
                const gb_flag *flags, size_t n_flags, gb_eval_tally *t)
{
  if (!p || !truth || !res || !t || (n_flags && !flags)) return GB_EINVAL;
  int rc = GB_OK;
  t->n_runs++;
  if ((truth->have & GB_TRUTH_STEPS) && (rc = score_steps(p, truth, res, t))) return rc;
  if ((truth->have & GB_TRUTH_CADENCE) && (rc = score_cadence(truth, res, t))) return rc;
  if ((truth->have & GB_TRUTH_EVENTS) && (rc = score_events(p, truth, res, t))) return rc;
  if ((truth->have & GB_TRUTH_FLAGS) && (rc = score_flags(truth, flags, n_flags, t))) return rc;
  score_run_facts(truth, res, t);
  return GB_OK;
}

/* ---- load flags ------------------------------------------------------------ */

/* YYYY-MM-DD of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's
 * civil_from_days). */
static void date_from_days(long long z, char out[11])
{
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = yoe + era * 400;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  long long d = doy - (153 * mp + 2) / 5 + 1;
  long long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  if (y < 0 || y > 9999) y = 0;
  int v[3] = {(int)y, (int)m, (int)d}, w[3] = {4, 2, 2};
  char *o = out;
  for (int i = 0; i < 3; i++) {
    if (i) *o++ = '-';
    for (int k = w[i] - 1, x = v[i]; k >= 0; k--, x /= 10) o[k] = (char)('0' + x % 10);
    o += w[i];
  }
  *o = '\0';
}

typedef struct load_key {
  const char *athlete, *code;
  char date[11];
} load_key;

static int key_eq(const load_key *a, const load_key *b)
{
  return strcmp(a->athlete, b->athlete) == 0 && strcmp(a->code, b->code) == 0 &&
         strcmp(a->date, b->date) == 0;
}

static size_t add_unique(load_key *set, size_t n, const load_key *k)
{
  for (size_t i = 0; i < n; i++)
    if (key_eq(&set[i], k)) return n;
  set[n] = *k;
  return n + 1;
}

int gb_eval_load_flags(const gb_truth_load_flag *truth, size_t n_truth, const gb_flag_row *rows,
                       size_t n_rows, gb_eval_tally *t)
{
  if ((n_truth && !truth) || (n_rows && !rows) || !t) return GB_EINVAL;
  load_key *ts = malloc((n_truth ? n_truth : 1) * sizeof *ts);
  load_key *rs = malloc((n_rows ? n_rows : 1) * sizeof *rs);
  if (!ts || !rs) {
    free(ts);
    free(rs);
    return GB_ENOMEM;
  }
  size_t nt = 0, nr = 0;
  for (size_t i = 0; i < n_truth; i++) {
    load_key k = {truth[i].athlete, truth[i].code, {0}};
    gb_strlcpy(k.date, truth[i].date, sizeof k.date);
    nt = add_unique(ts, nt, &k);
  }
  for (size_t i = 0; i < n_rows; i++) {
    const gb_flag *f = &rows[i].flag;
    if (strncmp(f->code, "load.", 5) != 0 || !isfinite(f->t_start_s)) continue;
    load_key k = {rows[i].athlete, f->code, {0}};
    date_from_days((long long)floor(f->t_start_s), k.date);
    nr = add_unique(rs, nr, &k);
  }
  int err = GB_OK;
  for (size_t i = 0; i < nr && !err; i++) {
    int hit = 0;
    for (size_t j = 0; j < nt && !hit; j++) hit = key_eq(&rs[i], &ts[j]);
    if (hit) t->load_tp++;
    else t->load_fp++;
    err = code_add(t, rs[i].code, hit, !hit, 0);
  }
  for (size_t j = 0; j < nt && !err; j++) {
    int hit = 0;
    for (size_t i = 0; i < nr && !hit; i++) hit = key_eq(&rs[i], &ts[j]);
    if (!hit) {
      t->load_fn++;
      err = code_add(t, ts[j].code, 0, 0, 1);
    }
  }
  free(ts);
  free(rs);
  if (err) return err;
  t->have_load = 1;
  return GB_OK;
}
