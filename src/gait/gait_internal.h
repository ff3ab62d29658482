/* Internal: the stages of the streaming analyzer and the contracts between them.
 *
 *   frames (g) ─► preprocess ─┬─ full-rate stream: vert, mag ──────────► contacts
 *                             │                                          (+ per-step impact
 *                             ├─ decimated stream (~50 Hz) ─► cadence ─┐  features, landing)
 *                             │                                        │cadence hint
 *                             └─ slow stream (10 Hz blocks) ─► bouts, posture
 *   finish: events + summary from the tables (cadence rows, steps, bouts, lean track)
 *
 * analyzer.c owns the glue: it runs preprocess on each pushed block, feeds the
 * stages, passes the latest cadence estimate to contacts as the expected step
 * interval, and assembles gb_result at finish. Every stage keeps memory bounded by
 * its window; only the output tables grow. */
#ifndef GB_GAIT_INTERNAL_H
#define GB_GAIT_INTERNAL_H

#include <stddef.h>

#include "gaitbatch/analyzer.h"

/* ---- slow stream: one row per SLOW_BLOCK_S of signal --------------------- */
#define GB_SLOW_BLOCK_S 0.1
typedef struct gb_slow_row {
  double t_s;            /* centre time */
  float gx, gy, gz;      /* mean acceleration over the block (≈ gravity), g; 1-channel: gz only */
  float mag_mean, mag_sd;/* |a| mean and standard deviation over the block, g */
  float vert_sd;         /* standard deviation of the vertical component, g */
} gb_slow_row;

/* ---- contacts: full-rate peak picking guided by cadence -------------------- */
typedef struct gb_contacts gb_contacts;
gb_contacts *gb_contacts_create(const gb_analysis_params *p, const gb_analyzer_input *in);
/* vert: acceleration along the vertical (gravity) direction incl. gravity, g (≈ +1
 * at rest); mag: |a|, g; raw: the frames themselves (n × channels) for clipping
 * checks. t0_s: time of the first sample. cadence_hint_spm: latest cadence estimate
 * (0 when unknown). */
int gb_contacts_push(gb_contacts *c, const float *vert, const float *mag, const float *raw,
                     size_t n, double t0_s, double cadence_hint_spm);
/* Flushes and hands over the step table (caller frees *steps with free()). */
int gb_contacts_finish(gb_contacts *c, gb_step **steps, size_t *n_steps);
const char *gb_contacts_note(const gb_contacts *c); /* why impact is unavailable, or "" */
void gb_contacts_free(gb_contacts *c);

/* ---- posture: trunk lean from the slow stream ------------------------------ */
typedef struct gb_lean_row { double t_s; float lean_deg; } gb_lean_row;
typedef struct gb_posture gb_posture;
gb_posture *gb_posture_create(const gb_analysis_params *p, const gb_analyzer_input *in);
int gb_posture_push(gb_posture *ps, const gb_slow_row *rows, size_t n);
/* Lean track (one row per second of running/walking), caller frees with free(). */
int gb_posture_finish(gb_posture *ps, gb_lean_row **rows, size_t *n);
void gb_posture_free(gb_posture *ps);

/* ---- finish-time computations over the tables ------------------------------ */
/* Fills r->events from cadence, steps, bouts and the lean track. risk: the per-run
 * flag thresholds shared with events (impact CV, asymmetry, trunk lean, fatigue);
 * NULL = the documented defaults of gb_config_defaults(). O(n log n) in steps. */
struct gb_risk_params;
int gb_events_compute(const gb_analysis_params *p, const struct gb_risk_params *risk,
                      const gb_analyzer_input *in, gb_result *r, const gb_lean_row *lean,
                      size_t n_lean);
/* Fills r->summary (every field; NaN where unavailable) from the tables. */
int gb_summary_compute(const gb_analysis_params *p, const gb_analyzer_input *in, gb_result *r,
                       const gb_lean_row *lean, size_t n_lean);

#endif
