/* gaitbatch — the per-run analyzer: frames in, a run result out.
 *
 * The analyzer is streaming: feed it blocks of frames with gb_analyzer_push() in
 * any block size, then call gb_analyzer_finish(). Its memory is bounded by the
 * analysis windows plus the per-step and per-window tables it returns, never by the
 * recording length, so one code path serves a 5 s treadmill trial and a 24 h file.
 * The same frames and parameters always give the same numbers, whatever the block
 * size and whatever the thread count of the caller. */
#ifndef GAITBATCH_ANALYZER_H
#define GAITBATCH_ANALYZER_H

#include <stddef.h>
#include <stdint.h>
#include "gaitbatch/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Analysis parameters. Defaults (and the source of each default) are set by
 * gb_config_defaults() and documented in `gaitbatch config --dump`. */
typedef struct gb_analysis_params {
  /* preprocessing */
  double gravity_cutoff_hz;   /* low-pass that separates gravity from motion */
  /* cadence (STFT) */
  double window_s;            /* STFT window length */
  double hop_s;               /* STFT hop */
  double cadence_min_spm;     /* step band searched: walking and running */
  double cadence_max_spm;
  double min_confidence;      /* windows below this have no cadence */
  /* bouts */
  double still_sd_g;          /* |a| standard deviation below this over a window = still */
  double running_min_spm;     /* cadence above this with flight-phase impacts = running */
  double min_bout_s;          /* shorter bouts merge into their neighbours */
  /* contacts and impact features */
  double impact_min_rate_hz;  /* below this rate impact and landing are unavailable */
  double impact_band_lo_hz, impact_band_hi_hz; /* impact transient band */
  double active_band_lo_hz, active_band_hi_hz; /* active (muscle-driven) band */
  double min_step_fraction;   /* min interval between contacts as a fraction of the
                                 expected step interval */
  double landing_ratio_threshold; /* impact/active energy ratio above which a step is rearfoot */
  /* posture */
  double lean_ref_still_s;    /* still standing needed to take the upright reference */
  /* events */
  double warmup_window_s;     /* "first minutes" compared against the steady state */
  double surge_window_s;      /* cadence/impact jump measured across this span */
  double surge_cadence_pct;   /* jump that counts as a surge */
  double stop_max_s;          /* running to still within this = abrupt stop */
  double fatigue_min_run_s;   /* runs shorter than this are not checked for drift */
} gb_analysis_params;

/* ---- run result ---------------------------------------------------------- */

/* One STFT window (DESIGN §5): centre time, cadence (0 when no gait), confidence 0..1. */
typedef struct gb_cadence_row {
  double t_s;
  float cadence_spm;
  float confidence;
} gb_cadence_row;

typedef enum gb_landing {
  GB_LANDING_UNKNOWN = 0,
  GB_LANDING_REARFOOT = 1,
  GB_LANDING_MIDFOOT = 2 /* midfoot or forefoot: no heel impact transient */
} gb_landing;
const char *gb_landing_name(gb_landing l); /* "unknown", "rearfoot", "midfoot" */

typedef enum gb_landing_pattern {
  GB_PATTERN_UNKNOWN = 0,
  GB_PATTERN_REARFOOT,
  GB_PATTERN_MIDFOOT,
  GB_PATTERN_MIXED
} gb_landing_pattern;
const char *gb_landing_pattern_name(gb_landing_pattern p); /* "unknown", "rearfoot", "midfoot", "mixed" */

/* One foot contact and its impact. NaN where the sensor or rate cannot tell. */
typedef struct gb_step {
  double t_s;               /* initial contact, s from the start of the recording */
  float peak_g;             /* impact peak acceleration (PTA for tibia sensors), g */
  float loading_rate_gps;   /* mean slope of the rising edge, g/s */
  float time_to_peak_ms;    /* contact to impact peak, ms */
  float impact_ratio;       /* 10–20 Hz over 4–8 Hz energy right after contact */
  float contact_time_ms;    /* ground contact time, ms (NaN where not measurable) */
  float vertical_osc_cm;    /* CoM vertical excursion over this step (trunk sensors), cm */
  int8_t landing;           /* gb_landing */
  int8_t clipped;           /* 1 when the peak touched the sensor's full scale */
  int8_t side;              /* -1 unknown, 0 and 1 alternate (left/right not known) */
  int8_t bout_kind;         /* gb_bout_kind of the bout holding the step */
} gb_step;

typedef enum gb_bout_kind {
  GB_BOUT_STILL = 0,
  GB_BOUT_WALKING = 1,
  GB_BOUT_RUNNING = 2,
  GB_BOUT_OTHER = 3        /* moving, but no steady gait */
} gb_bout_kind;
const char *gb_bout_kind_name(gb_bout_kind k); /* "still", "walking", "running", "other" */

typedef struct gb_bout {
  double t_start_s, t_end_s;
  int32_t kind;             /* gb_bout_kind */
  int32_t n_steps;
  float cadence_spm;        /* median over the bout's windows */
} gb_bout;

typedef enum gb_event_kind {
  GB_EVENT_WARMUP_MISSING = 1, /* first minutes already at steady intensity */
  GB_EVENT_SURGE,              /* sudden cadence or impact jump */
  GB_EVENT_FATIGUE_DRIFT,      /* late vs early steady running: cadence down, impact up */
  GB_EVENT_ABRUPT_STOP,        /* running to still within seconds */
  GB_EVENT_IRREGULAR,          /* high step-to-step impact variability */
  GB_EVENT_ASYMMETRY,          /* alternating-step differences */
  GB_EVENT_TRUNK_LEAN,         /* lean beyond threshold or drifting */
  GB_EVENT_WARMUP              /* a warm-up was seen (informational) */
} gb_event_kind;
const char *gb_event_kind_name(gb_event_kind k); /* "warmup_missing", "surge", ... */

typedef struct gb_event {
  double t_start_s, t_end_s;
  int32_t kind;             /* gb_event_kind */
  float value;              /* size of the effect (units per kind, see README) */
  float reference;          /* what it was compared with */
} gb_event;

/* One-row summary (DESIGN §14 names). NaN where not available. */
typedef struct gb_summary {
  double duration_s;
  double sample_rate_hz;
  int32_t location;          /* gb_location */
  float cadence_mean_spm, cadence_median_spm, cadence_cv;
  int32_t n_steps;
  float pta_mean_g, pta_p95_g;
  float loading_rate_mean_gps;
  float rearfoot_share;
  int32_t landing_pattern;   /* gb_landing_pattern */
  float landing_confidence;
  float trunk_lean_deg, trunk_lean_drift_deg;
  float vertical_oscillation_cm;
  float contact_time_ms;
  float asymmetry_pct;
  float impact_cv;           /* step-to-step CV of peak_g while running */
  float clipped_share;
  double running_s, walking_s, still_s;
  double cumulative_impact_g; /* Σ peak_g over steps: the session's impact load */
  int32_t impact_available;   /* 0 when the rate or site cannot give impact metrics */
} gb_summary;

typedef struct gb_result {
  gb_summary summary;
  size_t n_cadence; gb_cadence_row *cadence;
  size_t n_steps;   gb_step *steps;
  size_t n_bouts;   gb_bout *bouts;
  size_t n_events;  gb_event *events;
  char notes[512];  /* why something is unavailable ("rate 50 Hz < 100 Hz: no impact metrics") */
} gb_result;

void gb_result_free(gb_result *r); /* NULL-safe; frees the tables and r */

/* ---- analyzer -------------------------------------------------------------- */

typedef struct gb_analyzer gb_analyzer;
struct gb_risk_params; /* config.h */

typedef struct gb_analyzer_input {
  double sample_rate_hz;   /* > 0 */
  int channels;            /* 1 (long axis) or 3 (x, y, z) */
  gb_location location;
  double full_scale_g;     /* 0 when unknown: clipping is then judged from flat runs */
} gb_analyzer_input;

/* *out is set even on failure (unless memory ran out) so errmsg can be read. */
int gb_analyzer_create(const gb_analysis_params *params, const gb_analyzer_input *in,
                       gb_analyzer **out);
/* Thresholds the in-run events are judged against (fatigue drift, irregularity,
 * asymmetry, lean), copied; call before the first push. Without it the defaults of
 * gb_config_defaults() apply. */
int gb_analyzer_set_risk(gb_analyzer *a, const struct gb_risk_params *risk);
/* frames: n_frames × channels floats, interleaved, in g. */
int gb_analyzer_push(gb_analyzer *a, const float *frames, size_t n_frames);
/* Flushes the windows still open and returns the result (caller frees). */
int gb_analyzer_finish(gb_analyzer *a, gb_result **out);
const char *gb_analyzer_errmsg(const gb_analyzer *a);
void gb_analyzer_free(gb_analyzer *a); /* NULL-safe */

/* CPU time spent per stage so far (for `gaitbatch bench`), seconds. */
typedef struct gb_stage_times {
  double preprocess_s;   /* gravity, vertical projection, decimation */
  double cadence_s;      /* STFT and spectral peak */
  double contacts_s;     /* peak picking and per-step impact features */
  double posture_s;      /* slow stream: posture */
  double finish_s;       /* bouts, events, summary at finish */
} gb_stage_times;
void gb_analyzer_stage_times(const gb_analyzer *a, gb_stage_times *out);

#ifdef __cplusplus
}
#endif
#endif
