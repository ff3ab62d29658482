/* Named metrics from a tally: the rows of `gaitbatch eval`'s table and JSON. The
 * names and their order are a contract (README "Validation"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval_internal.h"
#include "gaitbatch/eval.h"
#include "gaitbatch/status.h"
#include "util/errbuf.h"

typedef struct mlist {
  gb_eval_metric *m;
  size_t n, cap;
  int oom;
} mlist;

static void add(mlist *l, const char *name, double value, long n, const char *note)
{
  if (l->oom) return;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    gb_eval_metric *nm = realloc(l->m, cap * sizeof *nm);
    if (!nm) {
      l->oom = 1;
      return;
    }
    l->m = nm;
    l->cap = cap;
  }
  gb_eval_metric *m = &l->m[l->n++];
  gb_strlcpy(m->name, name, sizeof m->name);
  m->value = n > 0 ? value : NAN;
  m->n = n;
  gb_strlcpy(m->note, note, sizeof m->note);
}

static double ratio(long a, long b)
{
  return b > 0 ? (double)a / (double)b : NAN;
}

/* note: the definition, or why the metric is skipped */
static const char *why_t(const gb_eval_tally *t, long n_runs_with_truth, const char *file,
                         const char *def, char *buf, size_t len)
{
  if (t->n_runs == 0 && n_runs_with_truth == 0) snprintf(buf, len, "skipped: no run scored");
  else if (n_runs_with_truth == 0) snprintf(buf, len, "skipped: no %s", file);
  else gb_strlcpy(buf, def, len);
  return buf;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int gb_eval_metrics(const gb_eval_tally *t, const gb_eval_params *p, gb_eval_metric **out,
                    size_t *n_out)
{
  mlist l = {0};
  char nb[96], name[48];
  *out = NULL;
  *n_out = 0;

  /* cadence */
  why_t(t, t->n_runs_cadence, "cadence.csv", "windows with confidence>0 vs truth, spm", nb, sizeof nb);
  add(&l, "cadence_mae_spm", t->cad_n ? t->cad_abs_sum / (double)t->cad_n : NAN, t->cad_n, nb);
  add(&l, "cadence_max_err_spm", t->cad_max_abs, t->cad_n, nb);
  why_t(t, t->n_runs_cadence_mean, "run.csv cadence_mean_spm", "|run mean - truth|, spm, n = runs", nb,
      sizeof nb);
  add(&l, "cadence_mean_err_spm", t->cadmean_n ? t->cadmean_abs_sum / (double)t->cadmean_n : NAN,
      t->cadmean_n, nb);

  /* steps */
  long tp = t->steps_tp, fp = t->steps_fp, fn = t->steps_fn;
  char def[96];
  snprintf(def, sizeof def, "+-%.0f ms, one-to-one; own leg only on %ld tibia/foot/thigh run(s)",
           p->tolerance_s * 1000.0, t->n_runs_side);
  why_t(t, t->n_runs_steps, "steps.csv", def, nb, sizeof nb);
  add(&l, "steps_precision", ratio(tp, tp + fp), tp + fp, nb);
  add(&l, "steps_recall", ratio(tp, tp + fn), tp + fn, nb);
  add(&l, "steps_f1", ratio(2 * tp, 2 * tp + fp + fn), tp + fp + fn, nb);
  why_t(t, t->n_runs_steps, "steps.csv", "every truth step of both legs", nb, sizeof nb);
  add(&l, "steps_recall_all_sides", ratio(t->steps_all_tp, t->steps_all_tp + t->steps_all_fn),
      t->steps_all_tp + t->steps_all_fn, nb);
  why_t(t, t->n_runs_steps, "steps.csv", "count", nb, sizeof nb);
  add(&l, "steps_matched", (double)tp, t->n_runs_steps ? tp + fp + fn : 0, nb);
  add(&l, "steps_missed", (double)fn, t->n_runs_steps ? tp + fp + fn : 0, nb);
  add(&l, "steps_false", (double)fp, t->n_runs_steps ? tp + fp + fn : 0, nb);
  why_t(t, t->n_runs_steps, "steps.csv", "truth steps without a time (counted missed)", nb, sizeof nb);
  add(&l, "steps_untimed", (double)t->steps_untimed, t->n_runs_steps ? tp + fn : 0, nb);
  double med = NAN, iqr = NAN;
  if (t->n_dt) {
    double *s = malloc(t->n_dt * sizeof *s);
    if (!s) {
      free(l.m);
      return GB_ENOMEM;
    }
    memcpy(s, t->dt_ms, t->n_dt * sizeof *s);
    qsort(s, t->n_dt, sizeof *s, cmp_double);
    med = gb_eval_quantile_sorted(s, t->n_dt, 0.5);
    iqr = gb_eval_quantile_sorted(s, t->n_dt, 0.75) - gb_eval_quantile_sorted(s, t->n_dt, 0.25);
    free(s);
  }
  why_t(t, t->n_runs_steps, "steps.csv", "detected - truth over matches, ms", nb, sizeof nb);
  add(&l, "step_timing_median_ms", med, (long)t->n_dt, nb);
  add(&l, "step_timing_iqr_ms", iqr, (long)t->n_dt, nb);

  /* contact time */
  why_t(t, t->n_runs_steps, "steps.csv", "matched steps with both known, ms", nb, sizeof nb);
  add(&l, "contact_time_mae_ms", t->ct_n ? t->ct_abs_sum / (double)t->ct_n : NAN, t->ct_n, nb);
  add(&l, "contact_time_bias_ms", t->ct_n ? t->ct_signed_sum / (double)t->ct_n : NAN, t->ct_n, nb);
  why_t(t, t->n_runs_contact, "truth contact time", "run mean result - truth, ms, n = runs", nb, sizeof nb);
  add(&l, "contact_time_run_mae_ms", t->ctrun_n ? t->ctrun_abs_sum / (double)t->ctrun_n : NAN,
      t->ctrun_n, nb);
  add(&l, "contact_time_run_bias_ms", t->ctrun_n ? t->ctrun_signed_sum / (double)t->ctrun_n : NAN,
      t->ctrun_n, nb);

  /* landing per step */
  static const char *const sc[3] = {"rearfoot", "midfoot", "unknown"};
  static const char *const rc[4] = {"rearfoot", "midfoot", "mixed", "unknown"};
  long known = 0, right = 0, unk = 0;
  for (int i = 0; i < 2; i++) {
    right += t->landing_step[i][i];
    known += t->landing_step[i][0] + t->landing_step[i][1];
    unk += t->landing_step[i][2];
  }
  why_t(t, t->n_runs_steps, "steps.csv", "matched steps, truth and result known", nb, sizeof nb);
  add(&l, "landing_step_accuracy", ratio(right, known), known, nb);
  why_t(t, t->n_runs_steps, "steps.csv", "matched steps the result left unknown", nb, sizeof nb);
  add(&l, "landing_step_unknown", (double)unk, t->n_runs_steps ? known + unk : 0, nb);
  why_t(t, t->n_runs_steps, "steps.csv", "matched steps with truth known; unknown result = wrong", nb,
        sizeof nb);
  add(&l, "landing_step_accuracy_all", ratio(right, known + unk), known + unk, nb);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++) {
      snprintf(name, sizeof name, "landing_step_%s_as_%s", sc[i], sc[j]);
      why_t(t, t->n_runs_steps, "steps.csv", "count (truth_as_result)", nb, sizeof nb);
      add(&l, name, (double)t->landing_step[i][j], t->n_runs_steps ? known + unk : 0, nb);
    }

  /* landing per run */
  known = right = unk = 0;
  for (int i = 0; i < 3; i++) {
    right += t->landing_run[i][i];
    for (int j = 0; j < 3; j++) known += t->landing_run[i][j];
    unk += t->landing_run[i][3];
  }
  why_t(t, t->n_runs_landing, "run.csv landing_pattern", "runs, result pattern known", nb, sizeof nb);
  add(&l, "landing_run_accuracy", ratio(right, known), known, nb);
  why_t(t, t->n_runs_landing, "run.csv landing_pattern", "runs the result left unknown", nb, sizeof nb);
  add(&l, "landing_run_unknown", (double)unk, t->n_runs_landing, nb);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++) {
      snprintf(name, sizeof name, "landing_run_%s_as_%s", rc[i], rc[j]);
      why_t(t, t->n_runs_landing, "run.csv landing_pattern", "count (truth_as_result)", nb, sizeof nb);
      add(&l, name, (double)t->landing_run[i][j], t->n_runs_landing, nb);
    }

  /* trunk lean */
  why_t(t, t->n_runs_lean, "run.csv trunk_lean_deg", "result - truth, deg, n = runs", nb, sizeof nb);
  add(&l, "trunk_lean_mae_deg", t->lean_n ? t->lean_abs_sum / (double)t->lean_n : NAN, t->lean_n, nb);
  add(&l, "trunk_lean_bias_deg", t->lean_n ? t->lean_signed_sum / (double)t->lean_n : NAN, t->lean_n,
      nb);

  /* events */
  long etp = 0, efp = 0, efn = 0;
  for (int k = 1; k < GB_EVAL_N_EVENT_KINDS; k++) {
    etp += t->ev_tp[k];
    efp += t->ev_fp[k];
    efn += t->ev_fn[k];
  }
  snprintf(name, sizeof name, "same kind, spans overlap within %.0f s", p->event_slack_s);
  why_t(t, t->n_runs_events, "events.csv", name, nb, sizeof nb);
  add(&l, "events_precision", ratio(etp, etp + efp), etp + efp, nb);
  add(&l, "events_recall", ratio(etp, etp + efn), etp + efn, nb);
  why_t(t, t->n_runs_events, "events.csv", "unmatched detected events per hour, n = runs", nb, sizeof nb);
  add(&l, "events_false_per_hour", t->ev_hours > 0 ? (double)efp / t->ev_hours : NAN,
      t->ev_hours > 0 ? t->n_runs_events : 0, nb);
  for (int k = 1; k < GB_EVAL_N_EVENT_KINDS; k++) {
    if (t->ev_tp[k] + t->ev_fp[k] + t->ev_fn[k] == 0) continue;
    const char *kn = gb_eval_event_kind_str(k);
    snprintf(name, sizeof name, "events_%s_precision", kn);
    add(&l, name, ratio(t->ev_tp[k], t->ev_tp[k] + t->ev_fp[k]), t->ev_tp[k] + t->ev_fp[k], "");
    snprintf(name, sizeof name, "events_%s_recall", kn);
    add(&l, name, ratio(t->ev_tp[k], t->ev_tp[k] + t->ev_fn[k]), t->ev_tp[k] + t->ev_fn[k], "");
  }

  /* run flags */
  why_t(t, t->n_runs_flags, "flags.csv", "distinct codes per run", nb, sizeof nb);
  add(&l, "flags_precision", ratio(t->flag_tp, t->flag_tp + t->flag_fp), t->flag_tp + t->flag_fp, nb);
  add(&l, "flags_recall", ratio(t->flag_tp, t->flag_tp + t->flag_fn), t->flag_tp + t->flag_fn, nb);

  /* load flags */
  long ltp = t->load_tp, lfp = t->load_fp, lfn = t->load_fn;
  why_t(t, t->have_load, "load_flags.csv or summary.h5", "(athlete, code, date) sets", nb, sizeof nb);
  add(&l, "load_flags_precision", ratio(ltp, ltp + lfp), ltp + lfp, nb);
  add(&l, "load_flags_recall", ratio(ltp, ltp + lfn), ltp + lfn, nb);
  add(&l, "load_flags_f1", ratio(2 * ltp, 2 * ltp + lfp + lfn), ltp + lfp + lfn, nb);

  /* both by code (run flags: distinct codes per run; load flags: (athlete, code, date)) */
  for (size_t i = 0; i < t->n_codes; i++) {
    const gb_eval_code_count *c = &t->codes[i];
    snprintf(name, sizeof name, "flags_%s_precision", c->code);
    add(&l, name, ratio(c->tp, c->tp + c->fp), c->tp + c->fp, "found / raised");
    snprintf(name, sizeof name, "flags_%s_recall", c->code);
    add(&l, name, ratio(c->tp, c->tp + c->fn), c->tp + c->fn, "found / expected");
  }

  if (l.oom) {
    free(l.m);
    return GB_ENOMEM;
  }
  *out = l.m;
  *n_out = l.n;
  return GB_OK;
}
