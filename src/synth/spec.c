/* Spec defaults, range checks, named scenarios, format names, the manifest, single runs. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gaitbatch/status.h"
#include "synth/synth_internal.h"
#include "util/errbuf.h"

static const char *const fmt_names[] = {"wav-float-g", "flac16", "csv-g", "csv-ms2"};
static const char *const fmt_ext[] = {"wav", "flac", "csv", "csv"};

const char *gb_synth_format_name(gb_synth_format f)
{
  return (unsigned)f < 4 ? fmt_names[f] : "unknown";
}

const char *gb_synth_format_ext(gb_synth_format f) { return (unsigned)f < 4 ? fmt_ext[f] : "bin"; }

int gb_synth_format_parse(const char *name, gb_synth_format *out)
{
  if (!name || !out) return GB_EINVAL;
  for (int i = 0; i < 4; i++)
    if (strcasecmp(name, fmt_names[i]) == 0) {
      *out = (gb_synth_format)i;
      return GB_OK;
    }
  if (strcasecmp(name, "wav") == 0) *out = GB_SYNTH_WAV_FLOAT;
  else if (strcasecmp(name, "flac") == 0) *out = GB_SYNTH_FLAC16;
  else if (strcasecmp(name, "csv") == 0) *out = GB_SYNTH_CSV_G;
  else return GB_EINVAL;
  return GB_OK;
}

void gb_synth_spec_init(gb_synth_spec *s)
{
  memset(s, 0, sizeof *s);
  s->seed = 1;
  s->sample_rate_hz = 500;
  s->duration_s = 600;
  s->location = GB_LOC_TIBIA;
  s->sensor_side = 0;
  s->channels = 3;
  s->format = GB_SYNTH_WAV_FLOAT;
  s->full_scale_g = 16;     /* common +-16 g IMU range (research/anchors-mission.md) */
  s->noise_g = 0.02;        /* MEMS accelerometer noise ~ 150-300 ug/sqrt(Hz) -> ~0.01-0.03 g RMS */
  s->cadence_spm = 170;     /* recreational runners ~160-180 steps/min */
  s->duty_factor = 0.35;    /* contact ~0.25 s at 170 spm */
  s->still_start_s = 10;
  s->still_end_s = 5;
  s->warmup_s = 120;
  s->surge_s = 30;
  s->surge_gain = 0.10;
  s->stop_s = 20;
  s->irregular_cv = 0.35;
  s->fatigue_cadence_drop = 0.06;
  s->fatigue_impact_rise = 0.25;
  s->rearfoot_share = 0.1;
  s->impact_g = 6.0;        /* typical PTA 5-12 g (Sheerin et al. 2020); below the 8 g screen */
  s->impact_cv = 0.06;
  s->trunk_lean_deg = 8.0;  /* typical forward lean while running ~5-10 deg */
  gb_strlcpy(s->scenario, "steady", sizeof s->scenario);
}

int gb_synth_apply_scenario(gb_synth_spec *s, const char *name)
{
  if (!s || !name) return GB_EINVAL;
  if (strcmp(name, "steady") == 0) {
  } else if (strcmp(name, "surges") == 0) {
    s->n_surges = 3;
  } else if (strcmp(name, "fatigue") == 0) {
    s->fatigue_start_frac = 0.5;
  } else if (strcmp(name, "heel") == 0) {
    s->rearfoot_share = 0.9;
    s->impact_g = 10.0;
  } else if (strcmp(name, "lean") == 0) {
    s->trunk_lean_deg = 24.0;
    s->trunk_lean_drift_deg = 4.0;
  } else if (strcmp(name, "stop") == 0) {
    s->n_stops = 1;
    s->abrupt_end = 1;
    /* stand still long enough after the final stop for it to be a still bout of
       its own (min_bout_s = 5 s): a stop 5 s before the end was at the edge */
    if (s->still_end_s < 10) s->still_end_s = 10;
  } else if (strcmp(name, "walkrun") == 0) {
    s->walk_s = 60;
    s->run_s = 120;
    s->warmup_s = 0;
  } else if (strcmp(name, "nowarmup") == 0) {
    s->warmup_s = 0;
  } else if (strcmp(name, "irregular") == 0) {
    s->irregular_from_frac = 0.4;
    s->irregular_to_frac = 0.7;
    s->irregular_cv = 0.35;
  } else if (strcmp(name, "asym") == 0) {
    s->asymmetry_pct = 15;
  } else {
    return GB_EINVAL;
  }
  gb_strlcpy(s->scenario, name, sizeof s->scenario);
  return GB_OK;
}

int gb_synth_spec_check(const gb_synth_spec *s, char *err, size_t errlen)
{
  if (!s) return gb_err(err, errlen, GB_EINVAL, "synth: no spec");
  if (!(s->sample_rate_hz >= 50 && s->sample_rate_hz <= 2000) || s->sample_rate_hz != floor(s->sample_rate_hz))
    return gb_err(err, errlen, GB_EINVAL, "synth: sample rate %g Hz: expected a whole number in 50..2000", s->sample_rate_hz);
  if (!(s->duration_s >= 1 && s->duration_s <= 7 * 86400.0))
    return gb_err(err, errlen, GB_EINVAL, "synth: duration %g s: expected 1 s..7 days", s->duration_s);
  if (s->location != GB_LOC_TIBIA && s->location != GB_LOC_FOOT && s->location != GB_LOC_SACRUM &&
      s->location != GB_LOC_TRUNK && s->location != GB_LOC_WRIST)
    return gb_err(err, errlen, GB_EUNSUPPORTED, "synth: location %s: expected tibia, foot, sacrum, trunk or wrist",
                  gb_location_name(s->location));
  if (s->channels != 1 && s->channels != 3)
    return gb_err(err, errlen, GB_EINVAL, "synth: %d channels: expected 1 or 3", s->channels);
  if ((unsigned)s->format > GB_SYNTH_CSV_MS2) return gb_err(err, errlen, GB_EINVAL, "synth: unknown format");
  if (!(s->full_scale_g >= 1 && s->full_scale_g <= 1000))
    return gb_err(err, errlen, GB_EINVAL, "synth: full scale %g g: expected 1..1000", s->full_scale_g);
  if (!(s->noise_g >= 0 && s->noise_g <= 5)) return gb_err(err, errlen, GB_EINVAL, "synth: noise %g g: expected 0..5", s->noise_g);
  if (!(s->cadence_spm >= 120 && s->cadence_spm <= 240))
    return gb_err(err, errlen, GB_EINVAL, "synth: cadence %g spm: expected 120..240 for running", s->cadence_spm);
  if (!(s->duty_factor >= 0.2 && s->duty_factor <= 0.48))
    return gb_err(err, errlen, GB_EINVAL, "synth: running duty factor %g: expected 0.2..0.48", s->duty_factor);
  if (!(s->rearfoot_share >= 0 && s->rearfoot_share <= 1))
    return gb_err(err, errlen, GB_EINVAL, "synth: rearfoot share %g: expected 0..1", s->rearfoot_share);
  if (!(s->impact_g >= 1.2 && s->impact_g <= 60))
    return gb_err(err, errlen, GB_EINVAL, "synth: impact %g g: expected 1.2..60", s->impact_g);
  if (!(s->asymmetry_pct >= 0 && s->asymmetry_pct <= 60))
    return gb_err(err, errlen, GB_EINVAL, "synth: asymmetry %g %%: expected 0..60", s->asymmetry_pct);
  if (!(fabs(s->trunk_lean_deg) <= 60 && fabs(s->trunk_lean_drift_deg) <= 30))
    return gb_err(err, errlen, GB_EINVAL, "synth: trunk lean %g deg (drift %g): expected |lean| <= 60, |drift| <= 30",
                  s->trunk_lean_deg, s->trunk_lean_drift_deg);
  if (s->sensor_side != 0 && s->sensor_side != 1)
    return gb_err(err, errlen, GB_EINVAL, "synth: sensor side %d: expected 0 or 1", s->sensor_side);
  if (s->still_start_s < 0 || s->still_end_s < 0 || s->warmup_s < 0 || s->surge_s < 0 || s->stop_s < 0 ||
      s->walk_s < 0 || s->run_s < 0 || s->impact_cv < 0 || s->irregular_cv < 0 || s->impact_cv > 1 || s->irregular_cv > 1)
    return gb_err(err, errlen, GB_EINVAL, "synth: negative durations or CV out of 0..1");
  if (s->surge_gain < 0 || s->surge_gain > 0.5 || s->fatigue_cadence_drop < 0 || s->fatigue_cadence_drop > 0.4 ||
      s->fatigue_impact_rise < 0 || s->fatigue_impact_rise > 2)
    return gb_err(err, errlen, GB_EINVAL, "synth: surge gain 0..0.5, fatigue drop 0..0.4, impact rise 0..2 expected");
  return GB_OK;
}

FILE *synth_manifest_open(const char *dir, char *err, size_t errlen, int *status)
{
  char p[GB_PATH_MAX];
  snprintf(p, sizeof p, "%s/manifest.csv", dir);
  FILE *f = fopen(p, "w");
  if (!f) {
    *status = gb_err(err, errlen, GB_EIO, "%s: cannot create", p);
    return NULL;
  }
  fputs("path,run_id,athlete,start,location,units,full_scale_g,scenario,rate_hz,format,seed,minutes_scale\n", f);
  return f;
}

void synth_manifest_row(FILE *f, const gb_synth_spec *s, const char *run_id, const char *athlete,
                        const char *start_iso, double minutes_scale, const char *scenario)
{
  if (!scenario) scenario = s->scenario[0] ? s->scenario : "custom";
  fprintf(f, "%s.%s,%s,%s,%s,%s,%s,%g,%s,%g,%s,%llu,%g\n", run_id, gb_synth_format_ext(s->format), run_id,
          athlete, start_iso, gb_location_name(s->location), s->format == GB_SYNTH_CSV_MS2 ? "m/s2" : "g",
          s->full_scale_g, scenario, s->sample_rate_hz,
          gb_synth_format_name(s->format), (unsigned long long)s->seed, minutes_scale);
}

int gb_synth_single(const gb_synth_spec *s, const char *dir, const char *run_id, gb_synth_result *res,
                    char *err, size_t errlen)
{
  int st = gb_synth_run(s, dir, run_id, res, err, errlen);
  if (st) return st;
  FILE *m = synth_manifest_open(dir, err, errlen, &st);
  if (!m) return st;
  synth_manifest_row(m, s, run_id, "synth", "2026-01-05T07:00:00Z", 1.0, NULL);
  if (fclose(m) != 0) return gb_err(err, errlen, GB_EIO, "%s/manifest.csv: write failed", dir);
  return GB_OK;
}
