/* Shared by test_report_*.c: a run result with every table filled, deterministic
 * (no RNG), with NaNs, extreme values, full-width and UTF-8 strings, plus a
 * NaN-aware comparison of everything the run report stores. */
#ifndef TEST_REPORT_FIXTURE_H
#define TEST_REPORT_FIXTURE_H

#include <dirent.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "gaitbatch/report.h"
#include "gaitbatch/status.h"
#include "report/report_h5.h"
#include "report/report_internal.h"

#define FX_UNUSED __attribute__((unused))

static FX_UNUSED void fx_free_result(gb_result *r)
{
  if (!r) return;
  free(r->cadence);
  free(r->steps);
  free(r->bouts);
  free(r->events);
  free(r);
}

/* Fills meta/prov/res/flags. n_steps rows of steps (pass > 4096 to get a chunked table). */
static FX_UNUSED void fx_make(gb_run_meta *meta, gb_provenance *prov, gb_result *res, gb_flag *flags,
                    size_t n_flags, size_t n_steps, const char *run_id)
{
  gb_run_meta_init(meta);
  snprintf(meta->run_id, sizeof meta->run_id, "%s", run_id);
  snprintf(meta->athlete, sizeof meta->athlete, "Zoë/04.b");
  snprintf(meta->start_iso, sizeof meta->start_iso, "2026-11-20T06:30:00+01:00");
  snprintf(meta->path, sizeof meta->path, "data/%s.wav", run_id);
  meta->location = GB_LOC_TIBIA;
  meta->units = GB_UNITS_MS2;
  meta->full_scale_g = 16;
  meta->sample_rate_hz = 1000.0 / 3.0; /* not representable in decimal: exact round trip */
  meta->channels = 3;
  meta->extra = strdup("surface=track\nshoe=Kayano=27\nnotes=hill \xc3\xa9t\xc3\xa9\na.b=1\na/b=2\n");

  memset(prov, 0, sizeof *prov);
  snprintf(prov->input_hash, sizeof prov->input_hash, "0123456789abcdef");
  snprintf(prov->config_hash, sizeof prov->config_hash, "fedcba9876543210");
  prov->analysis_version = 7;
  snprintf(prov->generator, sizeof prov->generator, "gaitbatch test");
  snprintf(prov->created_iso, sizeof prov->created_iso, "2026-11-23T08:00:00Z");
  snprintf(prov->source_format, sizeof prov->source_format, "WAV (float)");
  prov->jitter_ms = 0.125;
  snprintf(prov->warnings, sizeof prov->warnings, "clipped samples at 12.5 s");

  memset(res, 0, sizeof *res);
  gb_summary *s = &res->summary;
  s->duration_s = 1800.0 + 1.0 / 7.0;
  s->sample_rate_hz = meta->sample_rate_hz;
  s->location = GB_LOC_TIBIA;
  s->cadence_mean_spm = 171.25f;
  s->cadence_median_spm = 172.0f;
  s->cadence_cv = 0.031f;
  s->n_steps = (int32_t)n_steps;
  s->pta_mean_g = 6.5f;
  s->pta_p95_g = 9.75f;
  s->loading_rate_mean_gps = 312.5f;
  s->rearfoot_share = 0.8125f;
  s->landing_pattern = GB_PATTERN_MIXED;
  s->landing_confidence = 0.6f;
  s->trunk_lean_deg = NAN;
  s->trunk_lean_drift_deg = -INFINITY;
  s->vertical_oscillation_cm = NAN;
  s->contact_time_ms = 245.5f;
  s->asymmetry_pct = 3.25f;
  s->impact_cv = 0.12f;
  s->clipped_share = FLT_MIN;
  s->running_s = 1500.5;
  s->walking_s = 200.25;
  s->still_s = 99.25;
  s->cumulative_impact_g = 1e308;
  s->impact_available = 1;
  snprintf(res->notes, sizeof res->notes, "trunk lean unavailable: tibia sensor");

  res->n_cadence = 40;
  res->cadence = calloc(res->n_cadence, sizeof *res->cadence);
  for (size_t i = 0; i < res->n_cadence; i++)
    res->cadence[i] = (gb_cadence_row){4.0 + (double)i, 150.0f + (float)i * 0.5f,
                                       i % 5 == 0 ? NAN : 0.9f};
  res->n_steps = n_steps;
  res->steps = n_steps ? calloc(n_steps, sizeof *res->steps) : NULL;
  for (size_t i = 0; i < n_steps; i++)
    res->steps[i] = (gb_step){0.35 * (double)i, 5.0f + (float)(i % 17) * 0.25f,
                              300.0f + (float)(i % 13), 20.0f + (float)(i % 3),
                              i % 7 == 0 ? NAN : 1.5f, 240.0f, NAN,
                              (int8_t)(i % 3), (int8_t)(i % 11 == 0), (int8_t)(i % 2 ? 1 : -1),
                              (int8_t)(i % 4)};
  res->n_bouts = 4;
  res->bouts = calloc(4, sizeof *res->bouts);
  for (int k = 0; k < 4; k++)
    res->bouts[k] = (gb_bout){100.0 * k, 100.0 * k + 99.5, k, 10 * k, k == 0 ? NAN : 160.0f + k};
  res->n_events = 9;
  res->events = calloc(9, sizeof *res->events);
  for (int k = 0; k < 9; k++)
    res->events[k] = (gb_event){10.0 * k, 10.0 * k + 2.5, k == 8 ? 42 : k + 1, 1.5f * (float)k,
                                k == 3 ? NAN : 2.0f};

  for (size_t i = 0; i < n_flags; i++) {
    gb_flag *f = &flags[i];
    memset(f, 0, sizeof *f);
    snprintf(f->code, sizeof f->code, i == 0 ? "impact.high" : "cadence.low");
    f->severity = (gb_severity)(i % 3);
    f->t_start_s = 60.0 * (double)i;
    f->t_end_s = 60.0 * (double)i + 30.0;
    f->value = 9.1 + (double)i;
    f->threshold = i == 1 ? NAN : 8.0;
    if (i == 2) {
      /* full-width code and message */
      memset(f->code, 'c', sizeof f->code - 1);
      memset(f->message, 'm', sizeof f->message - 1);
    } else {
      snprintf(f->message, sizeof f->message, "PTA %.1f g over 8 g — reduce impact (\xc3\xa9)",
               f->value);
    }
  }
}

static FX_UNUSED int fx_same_f(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

#define FX_F(a, b) assert_true(fx_same_f((a), (b)))

static FX_UNUSED void fx_check_summary(const gb_summary *a, const gb_summary *b)
{
  FX_F(a->duration_s, b->duration_s);
  FX_F(a->sample_rate_hz, b->sample_rate_hz);
  assert_int_equal(a->location, b->location);
  FX_F(a->cadence_mean_spm, b->cadence_mean_spm);
  FX_F(a->cadence_median_spm, b->cadence_median_spm);
  FX_F(a->cadence_cv, b->cadence_cv);
  assert_int_equal(a->n_steps, b->n_steps);
  FX_F(a->pta_mean_g, b->pta_mean_g);
  FX_F(a->pta_p95_g, b->pta_p95_g);
  FX_F(a->loading_rate_mean_gps, b->loading_rate_mean_gps);
  FX_F(a->rearfoot_share, b->rearfoot_share);
  assert_int_equal(a->landing_pattern, b->landing_pattern);
  FX_F(a->landing_confidence, b->landing_confidence);
  FX_F(a->trunk_lean_deg, b->trunk_lean_deg);
  FX_F(a->trunk_lean_drift_deg, b->trunk_lean_drift_deg);
  FX_F(a->vertical_oscillation_cm, b->vertical_oscillation_cm);
  FX_F(a->contact_time_ms, b->contact_time_ms);
  FX_F(a->asymmetry_pct, b->asymmetry_pct);
  FX_F(a->impact_cv, b->impact_cv);
  FX_F(a->clipped_share, b->clipped_share);
  FX_F(a->running_s, b->running_s);
  FX_F(a->walking_s, b->walking_s);
  FX_F(a->still_s, b->still_s);
  FX_F(a->cumulative_impact_g, b->cumulative_impact_g);
  assert_int_equal(a->impact_available, b->impact_available);
}

static FX_UNUSED void fx_check_flag(const gb_flag *a, const gb_flag *b)
{
  assert_string_equal(a->code, b->code);
  assert_int_equal(a->severity, b->severity);
  FX_F(a->t_start_s, b->t_start_s);
  FX_F(a->t_end_s, b->t_end_s);
  FX_F(a->value, b->value);
  FX_F(a->threshold, b->threshold);
  assert_string_equal(a->message, b->message);
}

static FX_UNUSED void fx_check_result(const gb_result *a, const gb_result *b)
{
  fx_check_summary(&a->summary, &b->summary);
  assert_string_equal(a->notes, b->notes);
  assert_int_equal(a->n_cadence, b->n_cadence);
  for (size_t i = 0; i < a->n_cadence; i++) {
    FX_F(a->cadence[i].t_s, b->cadence[i].t_s);
    FX_F(a->cadence[i].cadence_spm, b->cadence[i].cadence_spm);
    FX_F(a->cadence[i].confidence, b->cadence[i].confidence);
  }
  assert_int_equal(a->n_steps, b->n_steps);
  for (size_t i = 0; i < a->n_steps; i++) {
    const gb_step *x = &a->steps[i], *y = &b->steps[i];
    FX_F(x->t_s, y->t_s);
    FX_F(x->peak_g, y->peak_g);
    FX_F(x->loading_rate_gps, y->loading_rate_gps);
    FX_F(x->time_to_peak_ms, y->time_to_peak_ms);
    FX_F(x->impact_ratio, y->impact_ratio);
    FX_F(x->contact_time_ms, y->contact_time_ms);
    FX_F(x->vertical_osc_cm, y->vertical_osc_cm);
    assert_int_equal(x->landing, y->landing);
    assert_int_equal(x->clipped, y->clipped);
    assert_int_equal(x->side, y->side);
    assert_int_equal(x->bout_kind, y->bout_kind);
  }
  assert_int_equal(a->n_bouts, b->n_bouts);
  for (size_t i = 0; i < a->n_bouts; i++) {
    FX_F(a->bouts[i].t_start_s, b->bouts[i].t_start_s);
    FX_F(a->bouts[i].t_end_s, b->bouts[i].t_end_s);
    assert_int_equal(a->bouts[i].kind, b->bouts[i].kind);
    assert_int_equal(a->bouts[i].n_steps, b->bouts[i].n_steps);
    FX_F(a->bouts[i].cadence_spm, b->bouts[i].cadence_spm);
  }
  assert_int_equal(a->n_events, b->n_events);
  for (size_t i = 0; i < a->n_events; i++) {
    FX_F(a->events[i].t_start_s, b->events[i].t_start_s);
    FX_F(a->events[i].t_end_s, b->events[i].t_end_s);
    assert_int_equal(a->events[i].kind, b->events[i].kind);
    FX_F(a->events[i].value, b->events[i].value);
    FX_F(a->events[i].reference, b->events[i].reference);
  }
}

/* mkdtemp under $TMPDIR or /tmp. */
static FX_UNUSED void fx_tmpdir(char *buf, size_t len)
{
  const char *t = getenv("TMPDIR");
  snprintf(buf, len, "%s/gbreportXXXXXX", t && *t ? t : "/tmp");
  assert_non_null(mkdtemp(buf));
}

/* Number of directory entries other than . and .. */
static FX_UNUSED int fx_count_entries(const char *dir)
{
  DIR *d = opendir(dir);
  assert_non_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

/* rm -r of a test folder (only files and one level of folders are ever created). */
static FX_UNUSED void fx_rmtree(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  char p[4096];
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      chmod(p, 0755);
      fx_rmtree(p);
    } else {
      unlink(p);
    }
  }
  closedir(d);
  rmdir(dir);
}

#endif
