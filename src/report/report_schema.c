/* The report tables' fields, widths and units (see report_schema.h). Units follow
 * UDUNITS spelling where one exists: "s", "Hz", "1/min" (steps per minute), "ms",
 * "cm", "degree", "%", "1" (dimensionless); "g" is standard gravity (9.80665 m/s^2),
 * as in the accelerometry literature; "" marks text fields. */
#include "report/report_schema.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/analyzer.h"
#include "gaitbatch/types.h"

#define NF(a) (sizeof(a) / sizeof *(a))
#define F(T, f, k, u) {#f, k, offsetof(T, f), 0, u}
#define S(T, f) {#f, RP_STR, offsetof(T, f), sizeof(((T *)0)->f), ""}

/* The summary fields, shared by /summary and summary.h5 /runs (shifted by BASE). */
#define SUMMARY_FIELDS(BASE)                                                              \
  {"duration_s", RP_F64, BASE + offsetof(rp_summary_row, duration_s), 0, "s"},           \
  {"sample_rate_hz", RP_F64, BASE + offsetof(rp_summary_row, sample_rate_hz), 0, "Hz"},  \
  {"cadence_mean_spm", RP_F32, BASE + offsetof(rp_summary_row, cadence_mean_spm), 0, "1/min"}, \
  {"cadence_median_spm", RP_F32, BASE + offsetof(rp_summary_row, cadence_median_spm), 0, "1/min"}, \
  {"cadence_cv", RP_F32, BASE + offsetof(rp_summary_row, cadence_cv), 0, "1"},           \
  {"n_steps", RP_I32, BASE + offsetof(rp_summary_row, n_steps), 0, "1"},                 \
  {"pta_mean_g", RP_F32, BASE + offsetof(rp_summary_row, pta_mean_g), 0, "g"},           \
  {"pta_p95_g", RP_F32, BASE + offsetof(rp_summary_row, pta_p95_g), 0, "g"},             \
  {"loading_rate_mean_gps", RP_F32, BASE + offsetof(rp_summary_row, loading_rate_mean_gps), 0, "g/s"}, \
  {"rearfoot_share", RP_F32, BASE + offsetof(rp_summary_row, rearfoot_share), 0, "1"},   \
  {"landing_pattern", RP_STR, BASE + offsetof(rp_summary_row, landing_pattern), RP_W_LABEL, ""}, \
  {"landing_confidence", RP_F32, BASE + offsetof(rp_summary_row, landing_confidence), 0, "1"}, \
  {"trunk_lean_deg", RP_F32, BASE + offsetof(rp_summary_row, trunk_lean_deg), 0, "degree"}, \
  {"trunk_lean_drift_deg", RP_F32, BASE + offsetof(rp_summary_row, trunk_lean_drift_deg), 0, "degree"}, \
  {"vertical_oscillation_cm", RP_F32, BASE + offsetof(rp_summary_row, vertical_oscillation_cm), 0, "cm"}, \
  {"contact_time_ms", RP_F32, BASE + offsetof(rp_summary_row, contact_time_ms), 0, "ms"}, \
  {"asymmetry_pct", RP_F32, BASE + offsetof(rp_summary_row, asymmetry_pct), 0, "%"},     \
  {"impact_cv", RP_F32, BASE + offsetof(rp_summary_row, impact_cv), 0, "1"},             \
  {"clipped_share", RP_F32, BASE + offsetof(rp_summary_row, clipped_share), 0, "1"},     \
  {"running_s", RP_F64, BASE + offsetof(rp_summary_row, running_s), 0, "s"},             \
  {"walking_s", RP_F64, BASE + offsetof(rp_summary_row, walking_s), 0, "s"},             \
  {"still_s", RP_F64, BASE + offsetof(rp_summary_row, still_s), 0, "s"},                 \
  {"cumulative_impact_g", RP_F64, BASE + offsetof(rp_summary_row, cumulative_impact_g), 0, "g"}, \
  {"impact_available", RP_I32, BASE + offsetof(rp_summary_row, impact_available), 0, "1"}

static const rp_field f_summary[] = {
  SUMMARY_FIELDS(0),
  {"location", RP_STR, offsetof(rp_summary_row, location), RP_W_LABEL, ""},
};
const rp_table rp_tab_summary = {"summary", f_summary, NF(f_summary), sizeof(rp_summary_row)};

static const rp_field f_cadence[] = {
  F(gb_cadence_row, t_s, RP_F64, "s"),
  F(gb_cadence_row, cadence_spm, RP_F32, "1/min"),
  F(gb_cadence_row, confidence, RP_F32, "1"),
};
const rp_table rp_tab_cadence = {"cadence", f_cadence, NF(f_cadence), sizeof(gb_cadence_row)};

static const rp_field f_steps[] = {
  F(rp_step_row, t_s, RP_F64, "s"),
  F(rp_step_row, peak_g, RP_F32, "g"),
  F(rp_step_row, loading_rate_gps, RP_F32, "g/s"),
  F(rp_step_row, time_to_peak_ms, RP_F32, "ms"),
  F(rp_step_row, impact_ratio, RP_F32, "1"),
  F(rp_step_row, contact_time_ms, RP_F32, "ms"),
  F(rp_step_row, vertical_osc_cm, RP_F32, "cm"),
  F(rp_step_row, landing, RP_I8, "1"),
  F(rp_step_row, clipped, RP_I8, "1"),
  F(rp_step_row, side, RP_I8, "1"),
  F(rp_step_row, bout_kind, RP_I8, "1"),
};
const rp_table rp_tab_steps = {"steps", f_steps, NF(f_steps), sizeof(rp_step_row)};

static const rp_field f_bouts[] = {
  F(rp_bout_row, t_start_s, RP_F64, "s"),
  F(rp_bout_row, t_end_s, RP_F64, "s"),
  S(rp_bout_row, kind),
  F(rp_bout_row, n_steps, RP_I32, "1"),
  F(rp_bout_row, cadence_spm, RP_F32, "1/min"),
};
const rp_table rp_tab_bouts = {"bouts", f_bouts, NF(f_bouts), sizeof(rp_bout_row)};

static const rp_field f_events[] = {
  F(rp_event_row, t_start_s, RP_F64, "s"),
  F(rp_event_row, t_end_s, RP_F64, "s"),
  S(rp_event_row, kind),
  /* value/reference: unit depends on the kind (README "Events") */
  F(rp_event_row, value, RP_F32, "per kind"),
  F(rp_event_row, reference, RP_F32, "per kind"),
};
const rp_table rp_tab_events = {"events", f_events, NF(f_events), sizeof(rp_event_row)};

static const rp_field f_flags[] = {
  S(rp_flag_row, code),
  S(rp_flag_row, severity),
  F(rp_flag_row, t_start_s, RP_F64, "s"),
  F(rp_flag_row, t_end_s, RP_F64, "s"),
  F(rp_flag_row, value, RP_F64, "per code"),
  F(rp_flag_row, threshold, RP_F64, "per code"),
  S(rp_flag_row, message),
};
const rp_table rp_tab_flags = {"flags", f_flags, NF(f_flags), sizeof(rp_flag_row)};

/* Run flags count seconds from the run's start; load.* flags count days since
 * 1970-01-01 (gb_flag). */
static const rp_field f_sflags[] = {
  S(rp_sflag_row, run_id),
  S(rp_sflag_row, athlete),
  S(rp_sflag_row, code),
  S(rp_sflag_row, severity),
  F(rp_sflag_row, t_start_s, RP_F64, "s (load.*: d since 1970-01-01)"),
  F(rp_sflag_row, t_end_s, RP_F64, "s (load.*: d since 1970-01-01)"),
  F(rp_sflag_row, value, RP_F64, "per code"),
  F(rp_sflag_row, threshold, RP_F64, "per code"),
  S(rp_sflag_row, message),
};
const rp_table rp_tab_sflags = {"flags", f_sflags, NF(f_sflags), sizeof(rp_sflag_row)};

static const rp_field f_runs[] = {
  S(rp_run_row, run_id),
  S(rp_run_row, athlete),
  S(rp_run_row, start),
  S(rp_run_row, location),
  S(rp_run_row, path),
  S(rp_run_row, report),
  S(rp_run_row, status),
  F(rp_run_row, reanalysed, RP_I32, "1"),
  SUMMARY_FIELDS(offsetof(rp_run_row, s)),
  F(rp_run_row, n_flags_info, RP_I32, "1"),
  F(rp_run_row, n_flags_warn, RP_I32, "1"),
  F(rp_run_row, n_flags_high, RP_I32, "1"),
  S(rp_run_row, input_hash),
  S(rp_run_row, config_hash),
  F(rp_run_row, analysis_version, RP_I32, "1"),
  F(rp_run_row, channels, RP_I32, "1"),
  F(rp_run_row, full_scale_g, RP_F64, "g"),
};
const rp_table rp_tab_runs = {"runs", f_runs, NF(f_runs), sizeof(rp_run_row)};

static const rp_field f_errors[] = {
  S(rp_error_row, path),
  S(rp_error_row, message),
};
const rp_table rp_tab_errors = {"errors", f_errors, NF(f_errors), sizeof(rp_error_row)};

/* load is the configured load metric: s (duration), 1 (steps) or g (impact). */
static const rp_field f_daily[] = {
  F(rp_daily_row, day, RP_I64, "d since 1970-01-01"),
  S(rp_daily_row, date),
  F(rp_daily_row, duration_s, RP_F64, "s"),
  F(rp_daily_row, steps, RP_F64, "1"),
  F(rp_daily_row, impact, RP_F64, "g"),
  F(rp_daily_row, load, RP_F64, "load metric"),
  F(rp_daily_row, acute_rolling, RP_F64, "load metric"),
  F(rp_daily_row, chronic_rolling, RP_F64, "load metric"),
  F(rp_daily_row, acwr_rolling, RP_F64, "1"),
  F(rp_daily_row, acute_ewma, RP_F64, "load metric"),
  F(rp_daily_row, chronic_ewma, RP_F64, "load metric"),
  F(rp_daily_row, acwr_ewma, RP_F64, "1"),
  F(rp_daily_row, base_established, RP_I32, "1"),
};
const rp_table rp_tab_daily = {"daily", f_daily, NF(f_daily), sizeof(rp_daily_row)};

static const rp_field f_weekly[] = {
  F(rp_weekly_row, iso_year, RP_I32, "1"),
  F(rp_weekly_row, iso_week, RP_I32, "1"),
  S(rp_weekly_row, week),
  F(rp_weekly_row, n_sessions, RP_I32, "1"),
  F(rp_weekly_row, duration_s, RP_F64, "s"),
  F(rp_weekly_row, steps, RP_F64, "1"),
  F(rp_weekly_row, impact, RP_F64, "g"),
  F(rp_weekly_row, load, RP_F64, "load metric"),
  F(rp_weekly_row, change_pct, RP_F64, "%"),
  F(rp_weekly_row, change_2wk_pct, RP_F64, "%"),
  F(rp_weekly_row, base_established, RP_I32, "1"),
};
const rp_table rp_tab_weekly = {"weekly", f_weekly, NF(f_weekly), sizeof(rp_weekly_row)};

/* ---- enumerations as text ------------------------------------------------------ */

/* The names come from the library's own name functions (analyzer.h, types.h), so a
 * report and every other output spell an enumeration the same way. */
static const char *landing_at(int v) { return gb_landing_name((gb_landing)v); }
static const char *pattern_at(int v) { return gb_landing_pattern_name((gb_landing_pattern)v); }
static const char *bout_at(int v) { return gb_bout_kind_name((gb_bout_kind)v); }
static const char *event_at(int v) { return v == 0 ? "none" : gb_event_kind_name((gb_event_kind)v); }
static const char *location_at(int v) { return gb_location_name((gb_location)v); }
static const char *severity_at(int v) { return gb_severity_name((gb_severity)v); }

const char *rp_landing_labels[3];
const char *rp_bout_kind_labels[4];

static void init_labels(void)
{
  for (int i = 0; i < 3; i++) rp_landing_labels[i] = landing_at(i);
  for (int i = 0; i < 4; i++) rp_bout_kind_labels[i] = bout_at(i);
}

void rp_labels_init(void)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, init_labels);
}

static void enum_text(const char *(*name)(int), int n, int32_t v, char *buf, size_t len)
{
  if (v >= 0 && v < n)
    snprintf(buf, len, "%s", name((int)v));
  else
    snprintf(buf, len, "%d", (int)v);
}

static int32_t enum_parse(const char *(*name)(int), int n, const char *s)
{
  for (int i = 0; i < n; i++)
    if (strcmp(s, name(i)) == 0) return (int32_t)i;
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (end != s && *end == '\0') return (int32_t)v;
  return 0; /* the "unknown"/first label */
}

#define ENUM_FNS(fname, at, count)                                                   \
  void rp_##fname##_text(int32_t v, char *buf, size_t len) { enum_text(at, count, v, buf, len); } \
  int32_t rp_##fname##_parse(const char *s) { return enum_parse(at, count, s); }

ENUM_FNS(landing_pattern, pattern_at, GB_PATTERN_MIXED + 1)
ENUM_FNS(bout_kind, bout_at, GB_BOUT_OTHER + 1)
ENUM_FNS(event_kind, event_at, GB_EVENT_WARMUP + 1)
ENUM_FNS(location, location_at, GB_LOC_THIGH + 1)
ENUM_FNS(severity, severity_at, GB_SEV_HIGH + 1)

void rp_put_str(char *dst, size_t width, const char *src)
{
  memset(dst, 0, width);
  if (!src) return;
  size_t n = strnlen(src, width);
  memcpy(dst, src, n);
}

void rp_get_str(char *dst, size_t dstlen, const char *src, size_t width)
{
  if (!dstlen) return;
  size_t n = strnlen(src, width);
  if (n >= dstlen) n = dstlen - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

void rp_summary_to_row(const gb_summary *s, rp_summary_row *r)
{
  memset(r, 0, sizeof *r);
  r->duration_s = s->duration_s;
  r->sample_rate_hz = s->sample_rate_hz;
  rp_location_text(s->location, r->location, sizeof r->location);
  r->cadence_mean_spm = s->cadence_mean_spm;
  r->cadence_median_spm = s->cadence_median_spm;
  r->cadence_cv = s->cadence_cv;
  r->n_steps = s->n_steps;
  r->pta_mean_g = s->pta_mean_g;
  r->pta_p95_g = s->pta_p95_g;
  r->loading_rate_mean_gps = s->loading_rate_mean_gps;
  r->rearfoot_share = s->rearfoot_share;
  rp_landing_pattern_text(s->landing_pattern, r->landing_pattern, sizeof r->landing_pattern);
  r->landing_confidence = s->landing_confidence;
  r->trunk_lean_deg = s->trunk_lean_deg;
  r->trunk_lean_drift_deg = s->trunk_lean_drift_deg;
  r->vertical_oscillation_cm = s->vertical_oscillation_cm;
  r->contact_time_ms = s->contact_time_ms;
  r->asymmetry_pct = s->asymmetry_pct;
  r->impact_cv = s->impact_cv;
  r->clipped_share = s->clipped_share;
  r->running_s = s->running_s;
  r->walking_s = s->walking_s;
  r->still_s = s->still_s;
  r->cumulative_impact_g = s->cumulative_impact_g;
  r->impact_available = s->impact_available;
}

void rp_summary_from_row(const rp_summary_row *r, gb_summary *s)
{
  char buf[RP_W_LABEL + 1];
  memset(s, 0, sizeof *s);
  s->duration_s = r->duration_s;
  s->sample_rate_hz = r->sample_rate_hz;
  rp_get_str(buf, sizeof buf, r->location, sizeof r->location);
  s->location = rp_location_parse(buf);
  s->cadence_mean_spm = r->cadence_mean_spm;
  s->cadence_median_spm = r->cadence_median_spm;
  s->cadence_cv = r->cadence_cv;
  s->n_steps = r->n_steps;
  s->pta_mean_g = r->pta_mean_g;
  s->pta_p95_g = r->pta_p95_g;
  s->loading_rate_mean_gps = r->loading_rate_mean_gps;
  s->rearfoot_share = r->rearfoot_share;
  rp_get_str(buf, sizeof buf, r->landing_pattern, sizeof r->landing_pattern);
  s->landing_pattern = rp_landing_pattern_parse(buf);
  s->landing_confidence = r->landing_confidence;
  s->trunk_lean_deg = r->trunk_lean_deg;
  s->trunk_lean_drift_deg = r->trunk_lean_drift_deg;
  s->vertical_oscillation_cm = r->vertical_oscillation_cm;
  s->contact_time_ms = r->contact_time_ms;
  s->asymmetry_pct = r->asymmetry_pct;
  s->impact_cv = r->impact_cv;
  s->clipped_share = r->clipped_share;
  s->running_s = r->running_s;
  s->walking_s = r->walking_s;
  s->still_s = r->still_s;
  s->cumulative_impact_g = r->cumulative_impact_g;
  s->impact_available = r->impact_available;
}
