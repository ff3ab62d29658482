/* gaitbatch — ground-truth recording generator (`gaitbatch synth`).
 *
 * Writes accelerometer recordings of a modelled runner together with the truth a
 * correct analysis should recover, in the truth-directory format shared with
 * `gaitbatch eval` (DIR/manifest.csv, DIR/<run_id>.<ext>, DIR/truth/<run_id>/...).
 * The physical model and its sources are documented in src/synth/body.c.
 *
 * Axes (3-channel output), before the sensor orientation rotation:
 *   x = anteroposterior (+ forward), y = mediolateral (+ left), z = vertical/long axis (+ up).
 * A sensor at rest reads +1 g on z. A forward trunk lean of L degrees (trunk and sacrum sensors)
 * rotates the segment frame in the sagittal plane, so gravity reads x = -sin(L), z = cos(L). The
 * runner stands upright when still and leans while running (half the lean when walking), with a
 * 0.5 s transition; the lean drifts linearly over the moving span (truth: mean lean = L + drift/2).
 * The orientation rotation is then out = Rz(yaw) * Ry(pitch) * Rx(roll) * v.
 * 1-channel output is the z (long) axis after rotation.
 *
 * Generation is streaming (blocks of frames): memory does not grow with duration.
 * Same spec (seed included) -> identical bytes. */
#ifndef GAITBATCH_SYNTH_H
#define GAITBATCH_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "gaitbatch/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gb_synth_format {
  GB_SYNTH_WAV_FLOAT = 0, /* WAV, 32-bit float samples in g */
  GB_SYNTH_FLAC16 = 1,    /* FLAC, 16-bit PCM, sample/32768 = g/full_scale; comment "fullscale_g=<v>" */
  GB_SYNTH_CSV_G = 2,     /* CSV t_s,x_g,y_g,z_g (1 channel: t_s,acc_v_g) in g */
  GB_SYNTH_CSV_MS2 = 3    /* CSV t_s,x_ms2,y_ms2,z_ms2 (1 channel: t_s,acc_v_ms2) in m/s^2 */
} gb_synth_format;

/* "wav-float-g", "flac16", "csv-g", "csv-ms2"; parse also accepts "wav", "flac", "csv". */
const char *gb_synth_format_name(gb_synth_format f);
int gb_synth_format_parse(const char *name, gb_synth_format *out);
/* File extension without the dot: "wav", "flac", "csv". */
const char *gb_synth_format_ext(gb_synth_format f);

/* One recording. gb_synth_spec_init() fills a steady 10-minute run (tibia, 500 Hz, 3 channels). */
typedef struct gb_synth_spec {
  uint64_t seed;
  double sample_rate_hz;     /* 50..2000 */
  double duration_s;         /* whole seconds are recommended (frames = round(duration * rate)) */
  gb_location location;      /* tibia, foot, sacrum, trunk, wrist */
  int sensor_side;           /* 0 or 1: the leg a tibia/foot sensor is on */
  int channels;              /* 1 or 3 */
  gb_synth_format format;
  double full_scale_g;       /* clipping at +-full_scale_g on each axis (> 0) */
  double noise_g;            /* white noise SD per axis (g) */

  /* cadence profile */
  double cadence_spm;        /* steady running cadence */
  double duty_factor;        /* running contact time / stride time (~0.35) */
  double still_start_s;      /* standing still before the run */
  double still_end_s;        /* standing still after the run */
  double warmup_s;           /* warm-up ramp length; 0 = run starts at steady intensity */
  int abrupt_end;            /* 1: the run ends running -> still within 1 s (no cool-down walk) */
  int n_surges;              /* surges spread over the steady part */
  double surge_s;            /* surge hold length */
  double surge_gain;         /* relative cadence rise during a surge (impact rises 2.5x as much) */
  double fatigue_start_frac; /* fatigue drift from this fraction of the moving span (0 = none) */
  double fatigue_cadence_drop; /* relative cadence drop at the end of the drift */
  double fatigue_impact_rise;  /* relative impact rise at the end of the drift */
  int n_stops;               /* mid-run abrupt stops (running -> still within 1 s) */
  double stop_s;             /* standing time of each mid-run stop */
  double walk_s, run_s;      /* > 0 both: alternate walking and running segments */
  double irregular_from_frac, irregular_to_frac; /* rough-surface span (fractions of the moving span) */
  double irregular_cv;       /* step-to-step impact CV on the rough surface */

  /* impacts, landing, posture */
  double rearfoot_share;     /* probability that a running step is a rearfoot strike */
  double impact_g;           /* tibial peak for a rearfoot strike at steady intensity (g) */
  double impact_cv;          /* normal step-to-step impact CV */
  double trunk_lean_deg;     /* forward trunk lean while running, at the start of the run */
  double trunk_lean_drift_deg; /* change of lean from the start to the end of the moving span */
  double asymmetry_pct;      /* L/R impact asymmetry index (|L-R| / mean * 100) */
  double orient_deg[3];      /* sensor mounting rotation: roll, pitch, yaw (degrees) */
  char scenario[32];         /* name written to run.csv and the manifest */
} gb_synth_spec;

void gb_synth_spec_init(gb_synth_spec *s);
/* Applies a named scenario on top of the current spec: steady, surges, fatigue, heel, lean,
 * stop, walkrun, nowarmup, irregular, asym. GB_EINVAL for an unknown name. */
int gb_synth_apply_scenario(gb_synth_spec *s, const char *name);
/* Checks ranges; GB_EINVAL / GB_EUNSUPPORTED with a message naming the field. */
int gb_synth_spec_check(const gb_synth_spec *s, char *err, size_t errlen);

/* What a generated run contained (truth aggregates). */
typedef struct gb_synth_result {
  int64_t frames;
  double duration_s;
  int64_t n_steps;          /* all initial contacts, both legs */
  int64_t n_clipped_steps;
  double rearfoot_share;    /* over running steps */
  double pta_mean_g;        /* mean truth peak of the sensor-side running steps */
  double cadence_mean_spm;  /* mean true cadence over running seconds */
  double contact_time_ms;   /* mean running contact time */
} gb_synth_result;

/* Writes DIR/<run_id>.<ext> and DIR/truth/<run_id>/{steps,cadence,events,run,flags}.csv.
 * DIR must exist; DIR/truth is created. res may be NULL. */
int gb_synth_run(const gb_synth_spec *s, const char *dir, const char *run_id,
                 gb_synth_result *res, char *err, size_t errlen);

/* Manifest: header "path,run_id,athlete,start,location,units,full_scale_g,scenario,rate_hz,
 * format,seed,minutes_scale". Writes one run plus a one-row manifest. */
int gb_synth_single(const gb_synth_spec *s, const char *dir, const char *run_id,
                    gb_synth_result *res, char *err, size_t errlen);

/* Cohort of athletes over weeks: a calendar from Monday 2026-01-05, planted load scenarios by
 * athlete index (0 steady, 1 weekly_ramp, 2 session_spike, 3 no_base, 4 nowarmup, 5 heel,
 * 6 lean, 7 fatigue, repeating), DIR/manifest.csv and DIR/truth/load_flags.csv. */
typedef struct gb_synth_cohort {
  uint64_t seed;
  int athletes;             /* 1..999 */
  int weeks;                /* 1..520 */
  double sample_rate_hz;    /* default 100 */
  int channels;             /* default 3 */
  gb_synth_format format;   /* default flac16 */
  gb_location location;     /* GB_LOC_UNKNOWN = per scenario (sacrum for the leaning runner, else tibia) */
  double minutes_scale;     /* session minutes -> recording seconds/60 (default 0.05) */
  double full_scale_g;      /* default 16 */
  double noise_g;           /* default 0.02 */
} gb_synth_cohort;

void gb_synth_cohort_init(gb_synth_cohort *c);
int gb_synth_cohort_write(const gb_synth_cohort *c, const char *dir, int64_t *n_runs,
                          char *err, size_t errlen);

/* The standard evaluation suite: a fixed set of 2-4 minute runs (shank, foot, sacrum, trunk,
 * wrist; 100-1000 Hz; noise, surges, stops, heel vs midfoot, lean, clipping) + manifest. */
int gb_synth_suite(const char *dir, uint64_t seed, int64_t *n_runs, char *err, size_t errlen);

/* Load-flag rules shared with src/load (kept here so truth is computed, not hand-listed):
 * thresholds used by the cohort writer. See src/synth/cohort.c for the exact definitions. */
#define GB_SYNTH_SPIKE_RATIO 0.10    /* Frandsen et al., BJSM 2025: > 10 % over the 30-day longest */
#define GB_SYNTH_TWO_WEEK_RATIO 0.30 /* Nielsen et al., JOSPT 2014: 2-week change > 30 % */
#define GB_SYNTH_WOW_RATIO 0.10      /* the "10 % rule", secondary (info) */
#define GB_SYNTH_ACWR_HIGH 1.5       /* Gabbett, BJSM 2016: ACWR > 1.5 */
#define GB_SYNTH_NO_BASE_S 1800.0    /* a 30-minute session without a 28-day base */

#ifdef __cplusplus
}
#endif
#endif
