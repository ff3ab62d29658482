/* Cohorts: a training calendar per athlete with planted load scenarios, one recording per
 * session, and the expected load flags computed by applying the load rules to the calendar.
 *
 * Calendar: weeks start on Monday 2026-01-05 (ISO weeks align with calendar weeks). Even
 * athletes run Tue/Thu/Sat, odd ones Mon/Wed/Fri/Sun. Sessions of 22 minutes growing 4 %/week
 * (a steady build below the 10 % rule: no session, week or ACWR flag), jitter +-1 %.
 * Recording seconds = minutes * 60 * minutes_scale, rounded to whole seconds; the session
 * thresholds that are durations are scaled with them in DIR/gaitbatch.ini (see
 * write_dataset_config). Every session but the no-warm-up runner's starts with a warm-up
 * ramp over its first quarter (~5.5 of 22 minutes; the "first minutes" the analysis
 * judges); a 15 % ramp was too short to tell from a steady start in a few contacts.
 * Scenarios by athlete index % 8:
 *   0 steady        no load flag expected
 *   1 weekly_ramp   week 5 (or the last) gets two extra sessions (+50 % volume: week-over-week
 *                   and 2-week flags in that week and the 2-week flag the week after)
 *   2 session_spike from week 6 (or the last) the week's last run is x2.2 (>= +100 % over the
 *                   30-day longest; only the first one is a spike), the others shortened so
 *                   weekly volume and ACWR stay as before
 *   3 no_base       the first session is 50 minutes (>= 30 min without a 28-day base)
 *   4 nowarmup      every session starts at steady intensity (run flag warmup.missing)
 *   5 heel          rearfoot striker with high impacts (landing.rearfoot, impact.high on tibia)
 *   6 lean          24 deg forward lean + 4 deg drift, sacrum sensor unless --location
 *   7 fatigue       the last run of each week carries a fatigue drift
 *
 * Load rules (identical in src/load; durations are recording durations in seconds; day = UTC
 * calendar day of the session start; d0 = the athlete's first session day):
 *  load.session_spike: earlier sessions with day in [d-30, d-1] exist and
 *                      duration > (1 + 0.10) * their longest duration (bands 10/30/100 %).
 *  load.weekly_ramp:   per ISO week w with S(w) = total duration: week-over-week
 *                      S(w)/S(w-1) - 1 > 0.10 (needs week w-1 in the history and S(w-1) > 0), or
 *                      2-week change (S(w)+S(w-1)) / (S(w-2)+S(w-3)) - 1 > 0.30 (needs weeks w-3..w
 *                      in the history, i.e. w-3 >= the athlete's first week); one row per week,
 *                      run_id empty, date = Monday of w.
 *  load.acwr_high:     on each session day d with d - d0 >= 27: acute = sum of daily durations
 *                      over d-6..d / 7, chronic = sum over d-27..d / 28, acute/chronic > 1.5.
 *  load.no_base:       d - d0 < 28 and duration >= max(60 s, 1800 s * minutes_scale) (the
 *                      scaled no_base_min_s of DIR/gaitbatch.ini, see write_dataset_config).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/config.h"
#include "gaitbatch/status.h"
#include "synth/synth_internal.h"
#include "util/errbuf.h"

#define COHORT_START_DAYS 20458 /* 2026-01-05 (Monday) in days since 1970-01-01 */

enum { SC_STEADY, SC_WEEKLY, SC_SPIKE, SC_NOBASE, SC_NOWARM, SC_HEEL, SC_LEAN, SC_FATIGUE, SC_N };
static const char *const sc_names[SC_N] = {"steady", "weekly_ramp", "session_spike", "no_base",
                                           "nowarmup", "heel", "lean", "fatigue"};

void gb_synth_cohort_init(gb_synth_cohort *c)
{
  memset(c, 0, sizeof *c);
  c->seed = 1;
  c->athletes = 5;
  c->weeks = 10;
  c->sample_rate_hz = 100;
  c->channels = 3;
  c->format = GB_SYNTH_FLAC16;
  c->location = GB_LOC_UNKNOWN;
  c->minutes_scale = 0.05;
  c->full_scale_g = 16;
  c->noise_g = 0.02;
}

/* days since 1970-01-01 -> y, m, d (Hinnant, "chrono-compatible low-level date algorithms") */
static void civil_from_days(long z, int *y, int *m, int *d)
{
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long yy = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

static void fmt_date(char *buf, size_t n, long day)
{
  int y, m, d;
  civil_from_days(day, &y, &m, &d);
  snprintf(buf, n, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

typedef struct session {
  int day;          /* days since the cohort start */
  double minutes;
  int long_run;
  double dur_s;     /* recording duration (s) */
  char run_id[GB_ID_MAX];
} session;

/* Builds the calendar of athlete i; returns the number of sessions (array sized 7 * weeks). */
static int build_calendar(int i, int weeks, double scale, synth_rng *r, session *out)
{
  int sc = i % SC_N;
  static const int days3[] = {1, 3, 5}, days4[] = {0, 2, 4, 6};
  const int *days = (i % 2 == 0) ? days3 : days4;
  int nd = (i % 2 == 0) ? 3 : 4;
  int wr = weeks >= 6 ? 5 : weeks - 1;
  int ws = weeks >= 7 ? 6 : weeks - 1;
  int n = 0;
  for (int w = 0; w < weeks; w++) {
    double x = 22.0 * pow(1.04, w); /* this week's normal session (minutes) */
    for (int k = 0; k < nd; k++) {
      int lr = k == nd - 1;
      double mins = x * (1.0 + 0.01 * (2.0 * synth_rng_uniform(r) - 1.0));
      if (sc == SC_NOBASE && w == 0) {
        if (k == 0) mins = 50.0;
        else if (k == 1) continue;
      }
      if (sc == SC_SPIKE && w >= ws) /* from the spike week on: one long run, same weekly volume */
        mins = lr ? 2.2 * x : (nd - 2.2) * x / (nd - 1);
      out[n] = (session){.day = 7 * w + days[k], .minutes = mins, .long_run = lr};
      n++;
    }
    if (sc == SC_WEEKLY && w == wr) { /* two extra easy sessions on rest days */
      int extra[2], ne = 0;
      for (int dd = 0; dd < 7 && ne < 2; dd++) {
        int used = 0;
        for (int k = 0; k < nd; k++) used |= days[k] == dd;
        if (!used) extra[ne++] = dd;
      }
      for (int e = 0; e < ne; e++) out[n++] = (session){.day = 7 * w + extra[e], .minutes = x, .long_run = 0};
    }
  }
  /* keep day order */
  for (int a = 1; a < n; a++)
    for (int b = a; b > 0 && out[b].day < out[b - 1].day; b--) {
      session t = out[b];
      out[b] = out[b - 1];
      out[b - 1] = t;
    }
  for (int k = 0; k < n; k++) {
    out[k].dur_s = fmax(20.0, nearbyint(out[k].minutes * 60.0 * scale));
  }
  return n;
}

static double cohort_no_base_s(double scale);

static void load_flags(FILE *f, const char *athlete, const session *s, int n, int weeks, double scale)
{
  if (n == 0) return;
  int d0 = s[0].day;
  int ndays = 7 * weeks;
  double *daily = calloc((size_t)ndays, sizeof *daily);
  double *week = calloc((size_t)weeks, sizeof *week);
  if (!daily || !week) {
    free(daily);
    free(week);
    return;
  }
  for (int k = 0; k < n; k++) {
    daily[s[k].day] += s[k].dur_s;
    week[s[k].day / 7] += s[k].dur_s;
  }
  char date[40];
  for (int k = 0; k < n; k++) {
    int d = s[k].day;
    fmt_date(date, sizeof date, COHORT_START_DAYS + d);
    double longest = -1;
    for (int j = 0; j < k; j++)
      if (s[j].day >= d - 30 && s[j].day <= d - 1 && s[j].dur_s > longest) longest = s[j].dur_s;
    if (longest > 0 && s[k].dur_s > (1.0 + GB_SYNTH_SPIKE_RATIO) * longest)
      fprintf(f, "%s,%s,load.session_spike,%s\n", athlete, s[k].run_id, date);
    if (d - d0 >= 27) {
      double a = 0, c = 0;
      for (int j = d - 27; j <= d; j++) {
        c += daily[j];
        if (j >= d - 6) a += daily[j];
      }
      if (c > 0 && (a / 7.0) / (c / 28.0) > GB_SYNTH_ACWR_HIGH)
        fprintf(f, "%s,%s,load.acwr_high,%s\n", athlete, s[k].run_id, date);
    }
    if (d - d0 < 28 && s[k].dur_s >= cohort_no_base_s(scale))
      fprintf(f, "%s,%s,load.no_base,%s\n", athlete, s[k].run_id, date);
  }
  int wf = d0 / 7, wl = s[n - 1].day / 7;
  for (int w = wf + 1; w <= wl; w++) {
    int hit = 0;
    if (week[w - 1] > 0 && week[w] / week[w - 1] - 1.0 > GB_SYNTH_WOW_RATIO) hit = 1;
    if (w - 3 >= wf) {
      double den = week[w - 2] + week[w - 3];
      if (den > 0 && (week[w] + week[w - 1]) / den - 1.0 > GB_SYNTH_TWO_WEEK_RATIO) hit = 1;
    }
    if (hit) {
      fmt_date(date, sizeof date, COHORT_START_DAYS + 7 * w);
      fprintf(f, "%s,,load.weekly_ramp,%s\n", athlete, date);
    }
  }
  free(daily);
  free(week);
}

/* The cohort's recordings are its sessions on a compressed clock (minutes_scale:
 * 22 min -> 66 s at the default 0.05). Every analysis and load threshold that is an
 * absolute duration of the session is compressed with them in DIR/gaitbatch.ini,
 * which `gaitbatch batch DIR` applies as the dataset's own configuration, so that
 * a scaled session is judged as the real one would be by the default config:
 *   [load] no_base_min_s       1800 s (a 30-minute session without a base)
 *   [analysis] warmup_window_s  the "first minutes" compared with the steady state
 *   [analysis] fatigue_min_run_s the running a fatigue drift needs
 * each = default x minutes_scale, but never below the smallest value the config
 * accepts (COHORT_MIN_*, the lower bounds in src/util/config.c). Rates,
 * percentages, cadences and g levels are not durations and stay the defaults; so
 * do the windows of the signal analysis (STFT, bouts, surges, stops), which
 * measure the body's motion at its own time scale, not the session's. */
#define COHORT_MIN_NO_BASE_S 60.0
#define COHORT_MIN_WARMUP_S 10.0
#define COHORT_MIN_FATIGUE_S 20.0

static double scaled(double def, double scale, double lo) { return fmax(lo, def * scale); }

static double cohort_no_base_s(double scale)
{
  return scaled(GB_SYNTH_NO_BASE_S, scale, COHORT_MIN_NO_BASE_S);
}

static int write_dataset_config(const gb_synth_cohort *c, const char *dir, char *err, size_t errlen)
{
  char p[GB_PATH_MAX];
  snprintf(p, sizeof p, "%s/gaitbatch.ini", dir);
  FILE *f = fopen(p, "w");
  if (!f) return gb_err(err, errlen, GB_EIO, "%s: cannot create", p);
  gb_config cfg, def;
  gb_config_defaults(&cfg);
  gb_config_defaults(&def);
  const double k = c->minutes_scale;
  cfg.load.no_base_min_s = cohort_no_base_s(k);
  cfg.analysis.warmup_window_s = scaled(def.analysis.warmup_window_s, k, COHORT_MIN_WARMUP_S);
  cfg.analysis.fatigue_min_run_s = scaled(def.analysis.fatigue_min_run_s, k, COHORT_MIN_FATIGUE_S);
  fprintf(f,
          "# Written by gaitbatch synth. SCALED CONFIG: the recordings are the cohort's sessions\n"
          "# on a clock compressed by minutes_scale = %g (a 22-minute session lasts %g s), so\n"
          "# the thresholds that are session durations are compressed with them (the defaults\n"
          "# of `gaitbatch config --dump` apply to real, unscaled sessions):\n"
          "#   [load] no_base_min_s         %g s = %g s x %g\n"
          "#   [analysis] warmup_window_s   %g s = %g s x %g\n"
          "#   [analysis] fatigue_min_run_s %g s = %g s x %g\n"
          "# (each at least the smallest value the config accepts). Everything else is the\n"
          "# default: rates, percentages, g levels and the signal-analysis windows.\n",
          k, nearbyint(22.0 * 60.0 * k), cfg.load.no_base_min_s, def.load.no_base_min_s, k,
          cfg.analysis.warmup_window_s, def.analysis.warmup_window_s, k,
          cfg.analysis.fatigue_min_run_s, def.analysis.fatigue_min_run_s, k);
  int st = gb_config_write(&cfg, f);
  if (fclose(f) != 0 || st != GB_OK) return gb_err(err, errlen, GB_EIO, "%s: write failed", p);
  return GB_OK;
}

int gb_synth_cohort_write(const gb_synth_cohort *c, const char *dir, int64_t *n_runs, char *err,
                          size_t errlen)
{
  if (!c || !dir) return gb_err(err, errlen, GB_EINVAL, "synth: cohort spec and folder required");
  if (c->athletes < 1 || c->athletes > 999) return gb_err(err, errlen, GB_EINVAL, "synth: %d athletes: expected 1..999", c->athletes);
  if (c->weeks < 1 || c->weeks > 520) return gb_err(err, errlen, GB_EINVAL, "synth: %d weeks: expected 1..520", c->weeks);
  if (!(c->minutes_scale > 0 && c->minutes_scale <= 1))
    return gb_err(err, errlen, GB_EINVAL, "synth: minutes scale %g: expected (0, 1]", c->minutes_scale);
  int st = GB_OK;
  char p[GB_PATH_MAX];
  snprintf(p, sizeof p, "%s/truth", dir);
  if (synth_mkdir(p)) return gb_err(err, errlen, GB_EIO, "%s: cannot create folder", p);
  FILE *man = synth_manifest_open(dir, err, errlen, &st);
  if (!man) return st;
  snprintf(p, sizeof p, "%s/truth/load_flags.csv", dir);
  FILE *lf = fopen(p, "w");
  if (!lf) {
    fclose(man);
    return gb_err(err, errlen, GB_EIO, "%s: cannot create", p);
  }
  fputs("athlete,run_id,code,date\n", lf);
  session *cal = malloc(sizeof *cal * (size_t)(7 * c->weeks + 4));
  if (!cal) {
    fclose(man);
    fclose(lf);
    return gb_err(err, errlen, GB_ENOMEM, "synth: out of memory");
  }
  int64_t runs = 0;
  for (int i = 0; i < c->athletes && st == GB_OK; i++) {
    char athlete[16];
    snprintf(athlete, sizeof athlete, c->athletes > 99 ? "A%03d" : "A%02d", i + 1);
    synth_rng r;
    synth_rng_seed(&r, c->seed, 1000 + (uint64_t)i);
    int n = build_calendar(i, c->weeks, c->minutes_scale, &r, cal);
    int sc = i % SC_N;
    for (int k = 0; k < n && st == GB_OK; k++) {
      char date[40], start[64];
      fmt_date(date, sizeof date, COHORT_START_DAYS + cal[k].day);
      snprintf(start, sizeof start, "%sT07:00:00Z", date);
      snprintf(cal[k].run_id, sizeof cal[k].run_id, "%s_%c%c%c%c%c%c%c%c", athlete, date[0], date[1], date[2],
               date[3], date[5], date[6], date[8], date[9]);
      gb_synth_spec s;
      gb_synth_spec_init(&s);
      uint64_t mix = c->seed ^ ((uint64_t)(i + 1) << 32) ^ (uint64_t)cal[k].day;
      s.seed = synth_splitmix64(&mix);
      s.sample_rate_hz = c->sample_rate_hz;
      s.channels = c->channels;
      s.format = c->format;
      s.full_scale_g = c->full_scale_g;
      s.noise_g = c->noise_g;
      s.duration_s = cal[k].dur_s;
      s.still_start_s = 5;
      s.still_end_s = 3;
      s.warmup_s = 0.25 * cal[k].dur_s; /* a quarter of the session (see the header) */
      s.surge_s = 30 * c->minutes_scale < 5 ? 5 : 30 * c->minutes_scale;
      s.location = c->location != GB_LOC_UNKNOWN ? c->location : sc == SC_LEAN ? GB_LOC_SACRUM : GB_LOC_TIBIA;
      const char *rs = "steady";
      if (sc == SC_NOWARM) rs = "nowarmup";
      else if (sc == SC_HEEL) rs = "heel";
      else if (sc == SC_LEAN) rs = "lean";
      else if (sc == SC_FATIGUE && cal[k].long_run) rs = "fatigue";
      gb_synth_apply_scenario(&s, rs);
      st = gb_synth_run(&s, dir, cal[k].run_id, NULL, err, errlen);
      if (st) break;
      synth_manifest_row(man, &s, cal[k].run_id, athlete, start, c->minutes_scale, sc_names[sc]);
      runs++;
    }
    if (st == GB_OK) load_flags(lf, athlete, cal, n, c->weeks, c->minutes_scale);
  }
  free(cal);
  if (fclose(man) != 0 && st == GB_OK) st = gb_err(err, errlen, GB_EIO, "%s/manifest.csv: write failed", dir);
  if (fclose(lf) != 0 && st == GB_OK) st = gb_err(err, errlen, GB_EIO, "%s/truth/load_flags.csv: write failed", dir);
  if (st == GB_OK) st = write_dataset_config(c, dir, err, errlen);
  if (n_runs) *n_runs = runs;
  return st;
}

/* ---- the standard evaluation suite ---- */

typedef struct suite_item {
  const char *id, *scenario;
  gb_location loc;
  double rate, minutes;
  gb_synth_format fmt;
  int channels;
  double noise, full_scale, impact, cadence;
} suite_item;

int gb_synth_suite(const char *dir, uint64_t seed, int64_t *n_runs, char *err, size_t errlen)
{
  static const suite_item items[] = {
    {"S01_tibia_steady_500", "steady", GB_LOC_TIBIA, 500, 3, GB_SYNTH_WAV_FLOAT, 3, 0.02, 16, 0, 0},
    {"S02_tibia_heel_1000", "heel", GB_LOC_TIBIA, 1000, 3, GB_SYNTH_FLAC16, 3, 0.02, 16, 0, 0},
    {"S03_tibia_surges_500", "surges", GB_LOC_TIBIA, 500, 4, GB_SYNTH_FLAC16, 1, 0.02, 16, 0, 0},
    {"S04_tibia_noisy_200", "steady", GB_LOC_TIBIA, 200, 3, GB_SYNTH_CSV_G, 3, 0.30, 16, 0, 0},
    {"S05_tibia_walkrun_100", "walkrun", GB_LOC_TIBIA, 100, 4, GB_SYNTH_CSV_MS2, 3, 0.02, 16, 0, 0},
    {"S06_tibia_lowcad_250", "steady", GB_LOC_TIBIA, 250, 3, GB_SYNTH_WAV_FLOAT, 3, 0.02, 16, 0, 152},
    {"S07_foot_heel_clip_1000", "heel", GB_LOC_FOOT, 1000, 2, GB_SYNTH_FLAC16, 3, 0.02, 8, 12, 0},
    {"S08_sacrum_steady_100", "steady", GB_LOC_SACRUM, 100, 3, GB_SYNTH_CSV_G, 3, 0.02, 16, 0, 0},
    {"S09_sacrum_lean_200", "lean", GB_LOC_SACRUM, 200, 3, GB_SYNTH_FLAC16, 3, 0.02, 16, 0, 0},
    {"S10_sacrum_stop_250", "stop", GB_LOC_SACRUM, 250, 3, GB_SYNTH_WAV_FLOAT, 3, 0.02, 16, 0, 0},
    /* 12 min: 690 s of running, above the default fatigue_min_run_s (600 s), so the
       drift planted in its second half is judged by the unscaled analysis */
    {"S11_sacrum_fatigue_500", "fatigue", GB_LOC_SACRUM, 500, 12, GB_SYNTH_FLAC16, 3, 0.02, 16, 0, 0},
    {"S12_sacrum_heel_500", "heel", GB_LOC_SACRUM, 500, 3, GB_SYNTH_WAV_FLOAT, 3, 0.05, 16, 0, 0},
    {"S13_trunk_asym_500", "asym", GB_LOC_TRUNK, 500, 3, GB_SYNTH_FLAC16, 3, 0.02, 16, 0, 0},
    {"S14_tibia_irregular_500", "irregular", GB_LOC_TIBIA, 500, 3, GB_SYNTH_FLAC16, 3, 0.02, 16, 0, 0},
    {"S15_sacrum_nowarmup_100", "nowarmup", GB_LOC_SACRUM, 100, 2, GB_SYNTH_FLAC16, 3, 0.02, 16, 0, 0},
    {"S16_wrist_steady_100", "steady", GB_LOC_WRIST, 100, 3, GB_SYNTH_CSV_G, 3, 0.02, 16, 0, 0},
    {"S17_tibia_lowrate_50", "steady", GB_LOC_TIBIA, 50, 2, GB_SYNTH_WAV_FLOAT, 3, 0.02, 16, 0, 0},
  };
  int st = GB_OK;
  FILE *man = synth_manifest_open(dir, err, errlen, &st);
  if (!man) return st;
  int64_t runs = 0;
  for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
    const suite_item *it = &items[i];
    gb_synth_spec s;
    gb_synth_spec_init(&s);
    uint64_t mix = seed + 7919 * (uint64_t)(i + 1);
    s.seed = synth_splitmix64(&mix);
    s.location = it->loc;
    s.sample_rate_hz = it->rate;
    s.duration_s = it->minutes * 60;
    s.format = it->fmt;
    s.channels = it->channels;
    s.noise_g = it->noise;
    s.full_scale_g = it->full_scale;
    s.warmup_s = 30;
    s.surge_s = 15;
    s.stop_s = 10;
    if (it->cadence > 0) s.cadence_spm = it->cadence;
    gb_synth_apply_scenario(&s, it->scenario);
    if (strcmp(it->scenario, "walkrun") == 0) {
      s.walk_s = 40;
      s.run_s = 60;
    }
    if (it->impact > 0) s.impact_g = it->impact;
    /* a warm-up in proportion to the session: 30 s in the 2-4 min runs, the
       generator's default 120 s in the 12 min fatigue run (30 s of a 12 min run
       is too short to count as warming up) */
    if (it->minutes >= 10) s.warmup_s = 120;
    st = gb_synth_run(&s, dir, it->id, NULL, err, errlen);
    if (st) break;
    synth_manifest_row(man, &s, it->id, "suite", "2026-01-05T07:00:00Z", 1.0, NULL);
    runs++;
  }
  if (fclose(man) != 0 && st == GB_OK) st = gb_err(err, errlen, GB_EIO, "%s/manifest.csv: write failed", dir);
  if (n_runs) *n_runs = runs;
  return st;
}
