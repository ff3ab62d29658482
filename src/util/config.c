/* Configuration: one table describes every key (section, name, place in the
 * struct, default, accepted range, meaning and source). Defaults, INI parsing,
 * the dump and the hash are all driven by it, so a key cannot be documented in one
 * place and forgotten in another. */
#include "gaitbatch/config.h"

#include <errno.h>
#include <ini.h>
#include <locale.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "gaitbatch/status.h"
#include "util/errbuf.h"
#include "util/numparse.h"

typedef struct param_desc {
  const char *section;
  const char *key;
  size_t offset;   /* offset in gb_config */
  int is_int;
  double def, lo, hi;
  const char *doc; /* what it means, and where the default comes from */
} param_desc;

#define A(f) offsetof(gb_config, analysis.f)
#define R(f) offsetof(gb_config, risk.f)
#define L(f) offsetof(gb_config, load.f)

static const param_desc params[] = {
  /* ---- analysis ---- */
  {"analysis", "gravity_cutoff_hz", A(gravity_cutoff_hz), 0, 0.3, 0.01, 5,
   "low-pass separating gravity from motion, Hz; well below the lowest step rate (1 Hz)"},
  {"analysis", "window_s", A(window_s), 0, 8, 2, 60,
   "STFT window, s; 8 s resolves cadence to <0.5 spm with interpolation (DESIGN 5)"},
  {"analysis", "hop_s", A(hop_s), 0, 1, 0.1, 30, "STFT hop, s (DESIGN 5)"},
  {"analysis", "cadence_min_spm", A(cadence_min_spm), 0, 60, 20, 200,
   "lowest step rate searched, steps/min (slow walking ~70, Mora-Gonzalez 2022)"},
  {"analysis", "cadence_max_spm", A(cadence_max_spm), 0, 240, 100, 400,
   "highest step rate searched, steps/min (sprinting reaches ~220)"},
  {"analysis", "min_confidence", A(min_confidence), 0, 0.25, 0, 1,
   "windows whose spectral peak holds less than this share of gait-band power report no cadence"},
  {"analysis", "still_sd_g", A(still_sd_g), 0, 0.03, 0.001, 1,
   "|a| standard deviation below this = still (sensor noise ~0.01 g, ActiGraph/Axivity)"},
  {"analysis", "running_min_spm", A(running_min_spm), 0, 140, 60, 250,
   "cadence above this with flight-phase impacts = running (running 140-220 spm)"},
  {"analysis", "min_bout_s", A(min_bout_s), 0, 5, 0, 600, "shorter bouts merge into neighbours, s"},
  {"analysis", "impact_min_rate_hz", A(impact_min_rate_hz), 0, 100, 20, 100000,
   "impact and landing metrics need this rate: impact content reaches 10-20 Hz and beyond (DESIGN 4)"},
  {"analysis", "impact_band_lo_hz", A(impact_band_lo_hz), 0, 10, 1, 500,
   "impact transient band, Hz (Shorten & Winslow 1992; Hamill: RFS impact peak 10-20 Hz)"},
  {"analysis", "impact_band_hi_hz", A(impact_band_hi_hz), 0, 20, 2, 500, "see impact_band_lo_hz"},
  {"analysis", "active_band_lo_hz", A(active_band_lo_hz), 0, 4, 0.5, 100,
   "active (muscle-driven) band, Hz (Hamill: FFS higher amplitude 4-7 Hz; Shorten & Winslow 4-8 Hz)"},
  {"analysis", "active_band_hi_hz", A(active_band_hi_hz), 0, 8, 1, 100, "see active_band_lo_hz"},
  {"analysis", "min_step_fraction", A(min_step_fraction), 0, 0.6, 0.2, 0.95,
   "contacts closer than this share of the expected step interval are merged"},
  {"analysis", "landing_ratio_threshold", A(landing_ratio_threshold), 0, 1.0, 0.01, 100,
   "rearfoot when the energy 10-20 Hz over 4-8 Hz (1 Hz PSD bins) in the 150 ms after contact, measured from the contact level, reaches this; tibia/foot/thigh only"},
  {"analysis", "lean_ref_still_s", A(lean_ref_still_s), 0, 3, 0.5, 120,
   "still standing needed to take the upright reference for trunk lean, s"},
  {"analysis", "warmup_window_s", A(warmup_window_s), 0, 300, 10, 3600,
   "'first minutes' of a run compared against its steady state, s (lower bound 10 s: time-scaled synthetic cohorts)"},
  {"analysis", "surge_window_s", A(surge_window_s), 0, 10, 2, 120,
   "span over which a sudden cadence/impact jump is measured, s"},
  {"analysis", "surge_cadence_pct", A(surge_cadence_pct), 0, 8, 1, 100,
   "cadence jump within surge_window_s that counts as a surge, %"},
  {"analysis", "stop_max_s", A(stop_max_s), 0, 2, 0.2, 30,
   "running to still within this = abrupt stop, s (DESIGN 5: 'within a second or two')"},
  {"analysis", "fatigue_min_run_s", A(fatigue_min_run_s), 0, 600, 20, 36000,
   "runs with less running than this are not checked for fatigue drift, s (Mizrahi et al. 2000 measured the drift over a 30 min run; lower bound 20 s: time-scaled synthetic cohorts)"},
  /* ---- risk ---- */
  {"risk", "pta_high_g", R(pta_high_g), 0, 8, 1, 100,
   "impact.high: PTA screening value for shank sensors, g (Crowell & Davis, Clin Biomech 2011)"},
  {"risk", "impact_high_trunk_g", R(impact_high_trunk_g), 0, 4, 1, 100,
   "impact.high for sacrum/trunk sensors, g (sacral peaks ~2-4 g at 2.5-4 m/s, Alcantara 2022 data)"},
  {"risk", "cadence_low_spm", R(cadence_low_spm), 0, 160, 100, 220,
   "cadence.low while running, steps/min (overstriding; Heiderscheit et al., MSSE 2011)"},
  {"risk", "rearfoot_share_max", R(rearfoot_share_max), 0, 0.5, 0, 1,
   "landing.rearfoot above this share of rearfoot steps (seed text: 'use the middle of the foot to land')"},
  {"risk", "trunk_lean_max_deg", R(trunk_lean_max_deg), 0, 20, 1, 90,
   "posture.trunk_lean: forward lean beyond this, deg (typical running 5-15 deg, Teng & Powers 2014)"},
  {"risk", "trunk_lean_drift_deg", R(trunk_lean_drift_deg), 0, 5, 0.5, 90,
   "posture.trunk_lean: late-run lean minus early-run lean beyond this, deg"},
  {"risk", "asymmetry_max_pct", R(asymmetry_max_pct), 0, 10, 1, 100,
   "gait.asymmetry: alternating-step impact difference beyond this, % (Zifchock et al. 2008)"},
  {"risk", "impact_cv_max", R(impact_cv_max), 0, 0.25, 0.01, 5,
   "surface.irregular: step-to-step CV of peak impact beyond this while running"},
  {"risk", "clipped_share_max", R(clipped_share_max), 0, 0.02, 0, 1,
   "quality.clipping: share of clipped steps beyond this (PTA becomes a lower bound)"},
  {"risk", "fatigue_cadence_drop_pct", R(fatigue_cadence_drop_pct), 0, 3, 0.1, 50,
   "fatigue.drift: late vs early cadence drop, % (Mizrahi 2000: 1.46->1.39 Hz, -5 %)"},
  {"risk", "fatigue_impact_rise_pct", R(fatigue_impact_rise_pct), 0, 15, 1, 500,
   "fatigue.drift: late vs early impact rise, % (Mizrahi 2000: 6.9->11.1 g)"},
  /* ---- load ---- */
  {"load", "spike_band1", L(spike_band1), 0, 0.10, 0, 10,
   "load.session_spike: session > longest of previous 30 days by >10 % (Frandsen et al., BJSM 2025, HRR 1.64)"},
  {"load", "spike_band2", L(spike_band2), 0, 0.30, 0, 10, ">30-100 % band (Frandsen 2025, HRR 1.52)"},
  {"load", "spike_band3", L(spike_band3), 0, 1.00, 0, 10, ">100 % band (Frandsen 2025, HRR 2.28)"},
  {"load", "spike_lookback_days", L(spike_lookback_days), 0, 30, 7, 365,
   "look-back for the longest previous session, days (Frandsen 2025)"},
  {"load", "weekly_ramp_max", L(weekly_ramp_max), 0, 0.10, 0, 10,
   "load.weekly_ramp (info): week-over-week increase (the '10 % rule'; an association, Buist 2008)"},
  {"load", "two_week_ramp_max", L(two_week_ramp_max), 0, 0.30, 0, 10,
   "load.weekly_ramp (warn): 2-week increase (Nielsen et al., JOSPT 2014)"},
  {"load", "acwr_high", L(acwr_high), 0, 1.5, 1, 10,
   "load.acwr_high: acute:chronic ratio 'danger zone' (Gabbett, BJSM 2016; association only)"},
  {"load", "acute_days", L(acute_days), 0, 7, 1, 60, "acute window, days (Williams et al., BJSM 2017)"},
  {"load", "chronic_days", L(chronic_days), 0, 28, 7, 365, "chronic window, days (Williams 2017)"},
  {"load", "base_min_days", L(base_min_days), 0, 28, 0, 365,
   "history span needed before the chronic base counts, days (one chronic window)"},
  {"load", "no_base_min_s", L(no_base_min_s), 0, 1800, 60, 36000,
   "load.no_base: a session at least this long with no chronic base, s"},
  {"load", "load_metric", L(load_metric), 1, 0, 0, 2,
   "quantity behind load flags: 0 duration, 1 steps, 2 cumulative impact"},
};

#define N_PARAMS (sizeof params / sizeof *params)

static double *dptr(gb_config *c, const param_desc *p) { return (double *)((char *)c + p->offset); }
static int *iptr(gb_config *c, const param_desc *p) { return (int *)((char *)c + p->offset); }
static double get(const gb_config *c, const param_desc *p)
{
  const char *base = (const char *)c + p->offset;
  return p->is_int ? (double)*(const int *)base : *(const double *)base;
}

void gb_config_defaults(gb_config *cfg)
{
  memset(cfg, 0, sizeof *cfg);
  for (size_t i = 0; i < N_PARAMS; i++) {
    if (params[i].is_int)
      *iptr(cfg, &params[i]) = (int)params[i].def;
    else
      *dptr(cfg, &params[i]) = params[i].def;
  }
}

int gb_config_set(gb_config *cfg, const char *section, const char *key, const char *value,
                  char *err, size_t errlen)
{
  for (size_t i = 0; i < N_PARAMS; i++) {
    const param_desc *p = &params[i];
    if (strcmp(p->section, section) != 0 || strcmp(p->key, key) != 0) continue;
    double v;
    if (gb_parse_double(value, strlen(value), &v) != 0 || !isfinite(v))
      return gb_err(err, errlen, GB_ECONFIG, "[%s] %s: expected a number, got '%s'", section,
                    key, value);
    if (v < p->lo || v > p->hi)
      return gb_err(err, errlen, GB_ECONFIG, "[%s] %s = %s is outside [%g, %g]", section, key,
                    value, p->lo, p->hi);
    if (p->is_int) {
      if (v != floor(v))
        return gb_err(err, errlen, GB_ECONFIG, "[%s] %s: expected an integer, got '%s'",
                      section, key, value);
      *iptr(cfg, p) = (int)v;
    } else {
      *dptr(cfg, p) = v;
    }
    return GB_OK;
  }
  return gb_err(err, errlen, GB_ECONFIG, "unknown key [%s] %s (see `gaitbatch config --dump`)",
                section, key);
}

/* Debian's libinih calls the handler without a line number, so the reader below
 * counts lines itself: the handler runs right after its line was read. */
typedef struct ini_ctx {
  gb_config *cfg;
  const char *name;
  char *err;
  size_t errlen;
  int status;
  int line;
  FILE *f;            /* file source, or */
  const char *text;   /* string source */
} ini_ctx;

static char *read_line(char *str, int num, void *stream)
{
  ini_ctx *c = stream;
  char *r;
  if (c->f) {
    r = fgets(str, num, c->f);
  } else {
    if (!*c->text || num < 2) return NULL;
    int i = 0;
    while (i < num - 1 && c->text[i] && c->text[i] != '\n') i++;
    if (c->text[i] == '\n' && i < num - 1) i++;
    memcpy(str, c->text, (size_t)i);
    str[i] = '\0';
    c->text += i;
    r = str;
  }
  if (r) c->line++;
  return r;
}

static int on_ini(void *user, const char *section, const char *key, const char *value)
{
  ini_ctx *c = user;
  int lineno = c->line;
  if (c->status != GB_OK) return 0;
  char msg[256];
  int st = gb_config_set(c->cfg, section, key, value, msg, sizeof msg);
  if (st != GB_OK) {
    c->status = gb_err(c->err, c->errlen, st, "%s:%d: %s", c->name, lineno, msg);
    return 0;
  }
  return 1;
}

static int finish_ini(ini_ctx *c, int rc)
{
  if (c->status != GB_OK) return c->status;
  if (rc > 0)
    return gb_err(c->err, c->errlen, GB_ECONFIG, "%s:%d: expected 'key = value' or '[section]'",
                  c->name, rc);
  if (rc < 0) return gb_err(c->err, c->errlen, GB_EIO, "%s: cannot read config file", c->name);
  /* cross-field checks */
  const gb_analysis_params *a = &c->cfg->analysis;
  if (a->cadence_min_spm >= a->cadence_max_spm)
    return gb_err(c->err, c->errlen, GB_ECONFIG, "%s: cadence_min_spm must be below cadence_max_spm",
                  c->name);
  if (a->impact_band_lo_hz >= a->impact_band_hi_hz || a->active_band_lo_hz >= a->active_band_hi_hz)
    return gb_err(c->err, c->errlen, GB_ECONFIG, "%s: each band needs lo < hi", c->name);
  if (a->hop_s > a->window_s)
    return gb_err(c->err, c->errlen, GB_ECONFIG, "%s: hop_s must not exceed window_s", c->name);
  const gb_load_params *l = &c->cfg->load;
  if (!(l->spike_band1 <= l->spike_band2 && l->spike_band2 <= l->spike_band3))
    return gb_err(c->err, c->errlen, GB_ECONFIG, "%s: spike bands must be increasing", c->name);
  if (l->acute_days >= l->chronic_days)
    return gb_err(c->err, c->errlen, GB_ECONFIG, "%s: acute_days must be below chronic_days",
                  c->name);
  return GB_OK;
}

int gb_config_load_file(gb_config *cfg, const char *path, char *err, size_t errlen)
{
  FILE *f = fopen(path, "r");
  if (!f) return gb_err(err, errlen, GB_ENOENT, "%s: cannot open config file: %s", path, strerror(errno));
  ini_ctx c = {cfg, path, err, errlen, GB_OK, 0, f, NULL};
  int rc = ini_parse_stream(read_line, &c, on_ini, &c);
  fclose(f);
  return finish_ini(&c, rc);
}

int gb_config_load_string(gb_config *cfg, const char *text, const char *name, char *err,
                          size_t errlen)
{
  ini_ctx c = {cfg, name ? name : "<string>", err, errlen, GB_OK, 0, NULL, text};
  int rc = ini_parse_stream(read_line, &c, on_ini, &c);
  return finish_ini(&c, rc);
}

int gb_config_write(const gb_config *cfg, FILE *f)
{
  const char *section = "";
  fprintf(f, "# gaitbatch effective configuration (INI). Pass an edited copy with -c FILE.\n");
  for (size_t i = 0; i < N_PARAMS; i++) {
    const param_desc *p = &params[i];
    if (strcmp(section, p->section) != 0) {
      section = p->section;
      fprintf(f, "\n[%s]\n", section);
    }
    fprintf(f, "# %s (default %.17g)\n", p->doc, p->def);
    fprintf(f, "%s = %.17g\n", p->key, get(cfg, p));
  }
  return ferror(f) ? GB_EIO : GB_OK;
}

uint64_t gb_config_hash(const gb_config *cfg)
{
  XXH64_state_t *st = XXH64_createState();
  if (!st) return 0;
  XXH64_reset(st, 0);
  for (size_t i = 0; i < N_PARAMS; i++) {
    const param_desc *p = &params[i];
    double v = get(cfg, p);
    if (v == 0) v = 0; /* fold -0 into +0 */
    XXH64_update(st, p->section, strlen(p->section) + 1);
    XXH64_update(st, p->key, strlen(p->key) + 1);
    XXH64_update(st, &v, sizeof v);
  }
  uint64_t h = XXH64_digest(st);
  XXH64_freeState(st);
  return h;
}
