/* gaitbatch — evaluation against ground truth (DESIGN §11).
 *
 * A truth dataset (written by `gaitbatch synth` or scripts/real_truth.py) holds
 * manifest.csv and, per run, DIR/truth/<run_id>/{steps,cadence,events,run,flags,scope}.csv
 * plus DIR/truth/load_flags.csv for a cohort (format: README "Ground truth format").
 * Every truth file is optional: a metric whose truth is absent is reported as skipped.
 *
 * The metrics core works on in-memory results (gb_result, gb_flag) and truth
 * structs: it never touches HDF5, so it can be tested and reused without files.
 * Results of several runs are pooled by adding them into one gb_eval_tally;
 * gb_eval_metrics() turns any tally (one run's or the pooled one) into named rows. */
#ifndef GAITBATCH_EVAL_H
#define GAITBATCH_EVAL_H

#include <stddef.h>
#include <stdint.h>
#include "gaitbatch/analyzer.h"
#include "gaitbatch/report.h"
#include "gaitbatch/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- truth ----------------------------------------------------------------- */

/* Which truth files a run has (bits of gb_truth_run.have). */
enum {
  GB_TRUTH_STEPS = 1u << 0,
  GB_TRUTH_CADENCE = 1u << 1,
  GB_TRUTH_EVENTS = 1u << 2,
  GB_TRUTH_RUN = 1u << 3,
  GB_TRUTH_FLAGS = 1u << 4,
  GB_TRUTH_SCOPE = 1u << 5
};

/* One true step. t_s is NaN when the reference knows the step exists but could not
 * time it (it then counts as a step that can never be matched). landing is a
 * gb_landing; contact_time_ms and peak_g are NaN when unknown; side -1 unknown. */
typedef struct gb_truth_step {
  double t_s;
  double contact_time_ms;
  double peak_g;
  int side;
  int landing;
} gb_truth_step;

typedef struct gb_truth_cadence {
  double t_s;
  double cadence_spm; /* 0 where not walking or running */
} gb_truth_cadence;

typedef struct gb_truth_event {
  int kind;           /* gb_event_kind */
  double t_start_s, t_end_s;
  double value;       /* NaN when empty */
} gb_truth_event;

typedef struct gb_truth_flag {
  char code[GB_FLAG_CODE_MAX];
  double t_start_s, t_end_s; /* NaN when empty */
} gb_truth_flag;

typedef struct gb_truth_span {
  double t_start_s, t_end_s;
} gb_truth_span;

/* Everything known about one run. Tables are owned by the struct (gb_truth_run_clear). */
typedef struct gb_truth_run {
  char run_id[GB_ID_MAX];
  char athlete[GB_ID_MAX];
  unsigned have;              /* GB_TRUTH_* bits of the files that were present */
  gb_truth_step *steps;       size_t n_steps;
  gb_truth_cadence *cadence;  size_t n_cadence;   /* sorted by t_s */
  gb_truth_event *events;     size_t n_events;
  gb_truth_flag *flags;       size_t n_flags;
  gb_truth_span *scope;       size_t n_scope;
  /* run.csv facts; NaN (or -1 for landing_pattern) when the key is absent */
  double duration_s, trunk_lean_deg, contact_time_ms, cadence_mean_spm, rearfoot_share;
  int landing_pattern;        /* gb_landing_pattern, -1 absent */
  int location;               /* gb_location of the sensor, GB_LOC_UNKNOWN when absent */
  int sensor_side;            /* leg of a unilateral sensor (0/1, as steps' side), -1 absent */
} gb_truth_run;

/* One expected load flag of a cohort (truth/load_flags.csv). */
typedef struct gb_truth_load_flag {
  char athlete[GB_ID_MAX];
  char run_id[GB_ID_MAX];     /* "" for week-level flags */
  char code[GB_FLAG_CODE_MAX];
  char date[11];              /* YYYY-MM-DD */
} gb_truth_load_flag;

typedef struct gb_truth_set {
  gb_truth_run *runs;         size_t n_runs;   /* in manifest order */
  gb_truth_load_flag *load_flags; size_t n_load_flags;
  int have_load_flags;        /* 1 when truth/load_flags.csv exists */
} gb_truth_set;

void gb_truth_run_init(gb_truth_run *t);   /* empty truth: nothing present */
void gb_truth_run_clear(gb_truth_run *t);  /* frees the tables; NULL-safe */

/* Reads DIR/truth/<run_id>/ (the folder may be missing: then have == 0).
 * Malformed files give GB_EFORMAT with "file:line: what was expected" in err. */
int gb_truth_read_run(const char *dataset_dir, const char *run_id, gb_truth_run *out,
                      char *err, size_t errlen);

/* Reads DIR/manifest.csv (its run_id and athlete columns; without a run_id column
 * every sub-folder of DIR/truth/ is a run, sorted by name), each run's truth and
 * DIR/truth/load_flags.csv. */
int gb_truth_read_dir(const char *dataset_dir, gb_truth_set **out, char *err, size_t errlen);
void gb_truth_set_free(gb_truth_set *s); /* NULL-safe */

/* ---- metrics --------------------------------------------------------------- */

typedef struct gb_eval_params {
  double tolerance_s;   /* step match window ±, default 0.025 s */
  double event_slack_s; /* events match when kinds agree and spans overlap within this, default 10 s */
} gb_eval_params;

void gb_eval_params_defaults(gb_eval_params *p);

#define GB_EVAL_N_EVENT_KINDS 9 /* gb_event_kind values 1..8 (index 0 unused) */

/* Found / false / missed counts of one flag code (run flags per run, load flags per
 * (athlete, code, date)). */
typedef struct gb_eval_code_count {
  char code[GB_FLAG_CODE_MAX];
  long tp, fp, fn;
} gb_eval_code_count;

/* Counts and sums from which every metric is derived. Add runs into one tally to
 * pool them. n_runs_* say how many runs contributed to each group (0 = skipped). */
typedef struct gb_eval_tally {
  long n_runs, n_runs_steps, n_runs_cadence, n_runs_events, n_runs_flags;
  long n_runs_lean, n_runs_landing, n_runs_contact, n_runs_cadence_mean;
  /* steps: the SCORED truth steps are those of the sensor's own leg for a unilateral
   * sensor (tibia, foot, thigh) whose run.csv gives sensor_side (the analyzer reports
   * only that leg's contacts), else all truth steps. TP/FP/FN, timing, contact time
   * and landing per step are over the scored steps. */
  long steps_tp, steps_fp, steps_fn, steps_untimed;
  long n_runs_side;                       /* runs scored on the sensor's own leg */
  /* every truth step of both legs matched against every detection (recall only) */
  long steps_all_tp, steps_all_fn;
  double *dt_ms; size_t n_dt, cap_dt;     /* detected − truth of each match, ms */
  /* cadence per window */
  long cad_n; double cad_abs_sum, cad_max_abs;
  /* run mean cadence vs run.csv cadence_mean_spm */
  long cadmean_n; double cadmean_abs_sum;
  /* contact time per matched step */
  long ct_n; double ct_abs_sum, ct_signed_sum;
  /* run contact time (summary vs run.csv contact_time_ms, else mean of truth steps) */
  long ctrun_n; double ctrun_abs_sum, ctrun_signed_sum;
  /* landing per matched step: [truth rearfoot, midfoot][pred rearfoot, midfoot, unknown] */
  long landing_step[2][3];
  /* landing per run: [truth rearfoot, midfoot, mixed][pred rearfoot, midfoot, mixed, unknown] */
  long landing_run[3][4];
  /* trunk lean (summary vs run.csv), deg */
  long lean_n; double lean_abs_sum, lean_signed_sum;
  /* events by kind */
  long ev_tp[GB_EVAL_N_EVENT_KINDS], ev_fp[GB_EVAL_N_EVENT_KINDS], ev_fn[GB_EVAL_N_EVENT_KINDS];
  double ev_hours;      /* recording time of the runs whose events were scored */
  /* run flags by code (per run, time-agnostic) */
  long flag_tp, flag_fp, flag_fn;
  /* load flags by (athlete, code, date) */
  int have_load;
  long load_tp, load_fp, load_fn;
  /* the same flag and load-flag counts by code, sorted by code */
  gb_eval_code_count *codes; size_t n_codes, cap_codes;
} gb_eval_tally;

void gb_eval_tally_init(gb_eval_tally *t);
void gb_eval_tally_clear(gb_eval_tally *t); /* frees dt_ms and codes, and re-inits */
int gb_eval_tally_merge(gb_eval_tally *dst, const gb_eval_tally *src);

/* Scores one run's result and run flags against its truth, adding into *t.
 * Steps are matched one to one within ±tolerance, greedily by smallest |dt| (ties:
 * earlier truth, then earlier detection), over the whole recording, once against the
 * scored truth steps (own leg of a unilateral sensor with a known sensor_side, else
 * all; truth steps of unknown side are then left out) and once against all truth
 * steps for the all-sides recall; with a scope,
 * only truth steps inside a span count (TP/FN) and only unmatched detections inside
 * a span count as FP. Untimed truth steps are false negatives. Cadence: every result
 * window with confidence > 0 is compared with the truth track interpolated linearly at
 * its centre time, where both neighbouring truth rows are > 0 and at most 1.5 × the
 * median row spacing apart (outside the track or across a hole: not scored). Run
 * facts (run.csv) are compared with the result's summary; events and flags as in
 * the README. */
int gb_eval_run(const gb_eval_params *p, const gb_truth_run *truth, const gb_result *res,
                const gb_flag *flags, size_t n_flags, gb_eval_tally *t);

/* Compares the load flags of a batch (rows of summary.h5 /flags; only codes starting
 * with "load." are used, t_start_s in days since 1970 gives the date) with the
 * expected ones, as sets of (athlete, code, date). */
int gb_eval_load_flags(const gb_truth_load_flag *truth, size_t n_truth,
                       const gb_flag_row *rows, size_t n_rows, gb_eval_tally *t);

/* One named metric. value is NaN when it could not be computed (n == 0). */
typedef struct gb_eval_metric {
  char name[48];
  double value;
  long n;          /* how many items it was computed over (steps, windows, runs, flags) */
  char note[96];   /* unit or definition, or "skipped: ..." */
} gb_eval_metric;

/* The metrics of a tally, in a fixed order with stable names (caller frees *out). */
int gb_eval_metrics(const gb_eval_tally *t, const gb_eval_params *p, gb_eval_metric **out,
                    size_t *n);

#ifdef __cplusplus
}
#endif
#endif
