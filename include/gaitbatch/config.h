/* gaitbatch — configuration: every threshold in one place, loadable from INI.
 *
 * gb_config_defaults() sets the documented defaults; each default's source (paper,
 * guideline or physics) is printed next to it by gb_config_write(), which is what
 * `gaitbatch config --dump` shows. An INI file (`-c FILE`) overrides any subset:
 *
 *   [analysis]            [risk]                [load]
 *   window_s = 8          pta_high_g = 8        acwr_high = 1.5
 *
 * The config hash is part of every report: a batch re-analyses a run when it
 * changes. */
#ifndef GAITBATCH_CONFIG_H
#define GAITBATCH_CONFIG_H

#include <stdint.h>
#include <stdio.h>
#include "gaitbatch/analyzer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Thresholds of the per-run flag catalogue (DESIGN §7). */
typedef struct gb_risk_params {
  double pta_high_g;           /* impact.high: PTA screening value for shank sensors */
  double impact_high_trunk_g;  /* impact.high for sacrum/trunk sensors */
  double cadence_low_spm;      /* cadence.low while running */
  double rearfoot_share_max;   /* landing.rearfoot */
  double trunk_lean_max_deg;   /* posture.trunk_lean */
  double trunk_lean_drift_deg; /* posture.trunk_lean (drift within the run) */
  double asymmetry_max_pct;    /* gait.asymmetry */
  double impact_cv_max;        /* surface.irregular */
  double clipped_share_max;    /* quality.clipping */
  double fatigue_cadence_drop_pct; /* fatigue.drift: late vs early cadence drop */
  double fatigue_impact_rise_pct;  /* fatigue.drift: late vs early impact rise */
} gb_risk_params;

/* Thresholds of the load-ramp flags (DESIGN §6). */
typedef struct gb_load_params {
  double spike_band1;          /* session vs longest of the previous 30 days: >10 % */
  double spike_band2;          /* >30 % */
  double spike_band3;          /* >100 % */
  double spike_lookback_days;  /* 30 */
  double weekly_ramp_max;      /* week-over-week change (info) */
  double two_week_ramp_max;    /* 2-week change (warn) */
  double acwr_high;            /* ACWR danger zone */
  double acute_days, chronic_days;
  double base_min_days;        /* history needed before a chronic base counts */
  double no_base_min_s;        /* a session at least this long with no base: load.no_base */
  int load_metric;             /* 0 duration, 1 steps, 2 cumulative impact */
} gb_load_params;

typedef struct gb_config {
  gb_analysis_params analysis;
  gb_risk_params risk;
  gb_load_params load;
} gb_config;

void gb_config_defaults(gb_config *cfg);
/* Applies an INI file on top of cfg. err receives "FILE:LINE: message". */
int gb_config_load_file(gb_config *cfg, const char *path, char *err, size_t errlen);
/* Applies INI text (for tests and fuzzing); name is used in messages. */
int gb_config_load_string(gb_config *cfg, const char *text, const char *name, char *err,
                          size_t errlen);
/* Sets one key; value is parsed in the C locale and range-checked. */
int gb_config_set(gb_config *cfg, const char *section, const char *key, const char *value,
                  char *err, size_t errlen);
/* Writes the effective configuration as INI, each key with its doc and source. */
int gb_config_write(const gb_config *cfg, FILE *f);
/* Hash of the effective values (not of the file's text): equal configs, equal hash. */
uint64_t gb_config_hash(const gb_config *cfg);

#ifdef __cplusplus
}
#endif
#endif
