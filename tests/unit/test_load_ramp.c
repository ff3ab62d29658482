/* Load ramps on hand-computed session histories: spikes and their bands, zero-filled
 * rest days, ISO weeks, EWMA and rolling ACWR, the chronic base, no_base, weekly ramps. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gaitbatch/load.h"
#include "gaitbatch/status.h"

#define DAY 86400.0
/* 2026-03-02T07:00:00Z, a Monday (date -u -d 2026-03-02T07:00:00Z +%s, +%a) */
#define T0 1772434800.0
#define DAY0 20514

/* The documented defaults (DESIGN §6), set here independently of gb_config. */
static gb_load_params defaults(void)
{
  gb_load_params p;
  memset(&p, 0, sizeof p);
  p.spike_band1 = 0.10;
  p.spike_band2 = 0.30;
  p.spike_band3 = 1.00;
  p.spike_lookback_days = 30;
  p.weekly_ramp_max = 0.10;
  p.two_week_ramp_max = 0.30;
  p.acwr_high = 1.5;
  p.acute_days = 7;
  p.chronic_days = 28;
  p.base_min_days = 28;
  p.no_base_min_s = 1800;
  p.load_metric = 0;
  return p;
}

static gb_session sess(const char *id, double day, double duration_s)
{
  gb_session s;
  memset(&s, 0, sizeof s);
  snprintf(s.run_id, sizeof s.run_id, "%s", id);
  s.start_epoch_s = T0 + day * DAY;
  s.duration_s = duration_s;
  s.steps = duration_s * 170.0 / 60.0;
  s.impact = s.steps * 8.0;
  return s;
}

static gb_load_result *compute(const gb_load_params *p, const gb_session *s, size_t n)
{
  gb_load_result *r = NULL;
  char err[256] = "";
  int rc = gb_load_compute(p, s, n, &r, err, sizeof err);
  if (rc) fail_msg("gb_load_compute: %d %s", rc, err);
  for (size_t i = 0; i < r->n_flags; i++) /* messages fit, never truncated */
    if (strlen(r->flags[i].flag.message) >= GB_FLAG_MSG_MAX - 1)
      fail_msg("truncated: %s", r->flags[i].flag.message);
  return r;
}

static size_t count_code(const gb_load_result *r, const char *code)
{
  size_t c = 0;
  for (size_t i = 0; i < r->n_flags; i++) c += strcmp(r->flags[i].flag.code, code) == 0;
  return c;
}

static const gb_load_flag *find_flag(const gb_load_result *r, const char *code, size_t k)
{
  for (size_t i = 0; i < r->n_flags; i++)
    if (strcmp(r->flags[i].flag.code, code) == 0 && k-- == 0) return &r->flags[i];
  return NULL;
}

/* 3 sessions, the last 45 % longer than the longest before it: exactly one warn spike. */
static void test_spike_45pct(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  const gb_session s[3] = {sess("a3", 5, 2900), sess("a1", 0, 2000), sess("a2", 2, 1800)};
  gb_load_result *r = compute(&p, s, 3);
  assert_int_equal(count_code(r, "load.session_spike"), 1);
  const gb_load_flag *f = find_flag(r, "load.session_spike", 0);
  assert_string_equal(f->run_id, "a3");
  assert_int_equal(f->flag.severity, GB_SEV_WARN);
  assert_true(fabs(f->flag.value - 0.45) < 1e-12);
  assert_true(f->flag.threshold == 0.30);
  assert_true(fabs(f->flag.t_start_s - (T0 / DAY + 5)) < 1e-9);
  assert_true(fabs(f->flag.t_end_s - (T0 + 5 * DAY + 2900) / DAY) < 1e-9);
  assert_non_null(strstr(f->flag.message, "45 %"));
  assert_non_null(strstr(f->flag.message, "Frandsen 2025"));
  /* Rest days zero-filled: days 0..5, sessions on 0, 2, 5. */
  assert_int_equal(r->n_daily, 6);
  const double want[6] = {2000, 0, 1800, 0, 0, 2900};
  for (size_t k = 0; k < 6; k++) {
    assert_int_equal(r->daily[k].day, DAY0 + (int64_t)k);
    assert_true(r->daily[k].load == want[k]);
    assert_true(r->daily[k].duration_s == want[k]);
    assert_false(r->daily[k].base_established);
    assert_true(isnan(r->daily[k].acwr_rolling) && isnan(r->daily[k].acwr_ewma));
    assert_true(isnan(r->daily[k].acute_rolling) && isnan(r->daily[k].chronic_ewma));
  }
  assert_string_equal(r->daily[0].date, "2026-03-02");
  assert_string_equal(r->daily[5].date, "2026-03-07");
  /* no_base: all three are >= 1800 s (1800 itself included) with < 28 days of history. */
  assert_int_equal(count_code(r, "load.no_base"), 3);
  assert_int_equal(count_code(r, "load.acwr_high"), 0);
  assert_int_equal(count_code(r, "load.weekly_ramp"), 0);
  assert_int_equal(r->n_weekly, 1);
  assert_string_equal(r->weekly[0].week, "2026-W10");
  assert_int_equal(r->weekly[0].n_sessions, 3);
  assert_true(r->weekly[0].load == 6700);
  /* Flags sorted by time. */
  for (size_t i = 1; i < r->n_flags; i++)
    assert_true(r->flags[i - 1].flag.t_start_s <= r->flags[i].flag.t_start_s);
  gb_load_result_free(r);
}

/* Band edges: exactly +10 % is not a spike, just above is info; +30 % exactly is info,
 * above is warn; above +100 % is high. Steps as the metric (1). */
static void test_spike_bands(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  p.no_base_min_s = 1e9;
  const double later[] = {1100, 1101, 1300, 1301, 2000, 2001};
  const int want_sev[] = {-1, GB_SEV_INFO, GB_SEV_INFO, GB_SEV_WARN, GB_SEV_WARN, GB_SEV_HIGH};
  const double want_thr[] = {0, 0.10, 0.10, 0.30, 0.30, 1.00};
  for (int metric = 0; metric < 2; metric++) {
    p.load_metric = metric;
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
      gb_session s[2] = {sess("x0", 0, 1000), sess("x1", 3, later[i])};
      if (metric == 1) { /* steps carry the numbers, durations equal */
        s[0].steps = 1000;
        s[1].steps = later[i];
        s[1].duration_s = s[0].duration_s;
      }
      gb_load_result *r = compute(&p, s, 2);
      const gb_load_flag *f = find_flag(r, "load.session_spike", 0);
      if (want_sev[i] < 0) {
        assert_null(f);
      } else {
        assert_non_null(f);
        assert_int_equal(f->flag.severity, want_sev[i]);
        assert_true(f->flag.threshold == want_thr[i]);
        assert_true(fabs(f->flag.value - (later[i] / 1000.0 - 1.0)) < 1e-12);
        if (metric == 1) assert_non_null(strstr(f->flag.message, "more steps"));
      }
      gb_load_result_free(r);
    }
  }
}

/* Look-back: sessions older than 30 days do not count; a same-start session is not
 * "previous"; the first session is never a spike. */
static void test_spike_lookback(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  p.no_base_min_s = 1e9;
  const gb_session s[4] = {sess("b0", 0, 3000), sess("b1", 31, 1000), sess("b2", 32, 1200),
                           sess("b3", 62, 1000)};
  gb_load_result *r = compute(&p, s, 4);
  assert_int_equal(count_code(r, "load.session_spike"), 1);
  const gb_load_flag *f = find_flag(r, "load.session_spike", 0);
  assert_string_equal(f->run_id, "b2");
  assert_true(fabs(f->flag.value - 0.2) < 1e-12);
  gb_load_result_free(r);

  /* Exactly 30 days before is inside the window: b1 at day 30 vs b0 1000 at day 0. */
  const gb_session s2[2] = {sess("c0", 0, 1000), sess("c1", 30, 1500)};
  r = compute(&p, s2, 2);
  assert_int_equal(count_code(r, "load.session_spike"), 1);
  gb_load_result_free(r);

  /* Same start: neither is the other's previous session. */
  const gb_session s3[2] = {sess("d0", 1, 1000), sess("d1", 1, 1500)};
  r = compute(&p, s3, 2);
  assert_int_equal(count_code(r, "load.session_spike"), 0);
  gb_load_result_free(r);

  /* Earlier the same day counts (07:00 and 19:00). */
  const gb_session s4[2] = {sess("m0", 1, 1000), sess("m1", 1.5, 1500)};
  r = compute(&p, s4, 2);
  assert_int_equal(count_code(r, "load.session_spike"), 1);
  assert_string_equal(find_flag(r, "load.session_spike", 0)->run_id, "m1");
  gb_load_result_free(r);

  /* Calendar days: 2026-03-02 16:00 is in the window of 2026-04-01 00:30 (day − 30)
   * although more than 30 × 24 h lie between; 2026-03-01 is not. */
  gb_session s5[3] = {sess("p0", 0, 1000), sess("p1", 0, 500), sess("p2", 0, 1200)};
  s5[0].start_epoch_s = T0 - 7 * 3600.0 - DAY + 16 * 3600.0; /* 2026-03-01 16:00 */
  s5[1].start_epoch_s = T0 - 7 * 3600.0 + 16 * 3600.0;       /* 2026-03-02 16:00 */
  s5[2].start_epoch_s = T0 - 7 * 3600.0 + 30 * DAY + 1800.0; /* 2026-04-01 00:30 */
  r = compute(&p, s5, 3);
  assert_int_equal(count_code(r, "load.session_spike"), 1);
  assert_true(fabs(find_flag(r, "load.session_spike", 0)->flag.value - 1.4) < 1e-12);
  gb_load_result_free(r);
}

/* EWMA against a hand-computed sequence; rolling means over the available days. */
static void test_ewma_hand(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  p.acute_days = 3;   /* λa = 2/4 = 0.5 */
  p.chronic_days = 7; /* λc = 2/8 = 0.25 */
  p.base_min_days = 0;
  p.no_base_min_s = 1e9;
  const gb_session s[2] = {sess("e0", 0, 100), sess("e2", 2, 200)};
  gb_load_result *r = compute(&p, s, 2);
  assert_int_equal(r->n_daily, 3);
  /* a: 100, 0.5*0+0.5*100 = 50, 0.5*200+0.5*50 = 125
   * c: 100, 0.75*100 = 75, 0.25*200+0.75*75 = 106.25 */
  const double a[3] = {100, 50, 125}, c[3] = {100, 75, 106.25};
  for (int k = 0; k < 3; k++) {
    assert_true(r->daily[k].base_established);
    assert_true(fabs(r->daily[k].acute_ewma - a[k]) < 1e-12);
    assert_true(fabs(r->daily[k].chronic_ewma - c[k]) < 1e-12);
    assert_true(fabs(r->daily[k].acwr_ewma - a[k] / c[k]) < 1e-12);
  }
  /* Rolling on day 2: acute = (100+0+200)/3 = 100, chronic over the 3 available days = 100. */
  assert_true(fabs(r->daily[2].acute_rolling - 100.0) < 1e-12);
  assert_true(fabs(r->daily[2].chronic_rolling - 100.0) < 1e-12);
  assert_true(fabs(r->daily[2].acwr_rolling - 1.0) < 1e-12);
  /* Day 1: acute (100+0)/2 = 50 */
  assert_true(fabs(r->daily[1].acute_rolling - 50.0) < 1e-12);
  gb_load_result_free(r);
}

/* Williams 2017 defaults: λa = 2/8, λc = 2/29, checked over 40 days of constant load
 * then a jump, against a recurrence computed here in closed form. */
static void test_ewma_defaults_closed_form(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  p.no_base_min_s = 1e9;
  gb_session s[41];
  char id[16];
  for (int d = 0; d < 40; d++) {
    snprintf(id, sizeof id, "f%02d", d);
    s[d] = sess(id, d, 600);
  }
  s[40] = sess("f40", 40, 1200);
  gb_load_result *r = compute(&p, s, 41);
  /* Constant 600 keeps both EWMAs at 600; then E = λ·1200 + (1−λ)·600 = 600(1+λ). */
  const gb_daily_row *d = &r->daily[40];
  assert_true(fabs(r->daily[39].acute_ewma - 600.0) < 1e-9);
  assert_true(fabs(d->acute_ewma - 600.0 * (1.0 + 2.0 / 8.0)) < 1e-9);
  assert_true(fabs(d->chronic_ewma - 600.0 * (1.0 + 2.0 / 29.0)) < 1e-9);
  assert_true(fabs(d->acwr_ewma - 1.25 / (1.0 + 2.0 / 29.0)) < 1e-12);
  /* Rolling: acute (6·600+1200)/7, chronic (27·600+1200)/28. */
  assert_true(fabs(d->acute_rolling - 4800.0 / 7.0) < 1e-9);
  assert_true(fabs(d->chronic_rolling - 17400.0 / 28.0) < 1e-9);
  gb_load_result_free(r);
}

/* ACWR is NaN before the base (28 days of history) and flagged only after it. */
static void test_acwr_base(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  gb_session s[37];
  char id[16];
  for (int d = 0; d < 35; d++) {
    snprintf(id, sizeof id, "g%02d", d);
    s[d] = sess(id, d, 600);
  }
  s[35] = sess("g35", 35, 5400);
  s[36] = sess("g35b", 35.5, 0); /* a second session that day, zero length */
  gb_load_result *r = compute(&p, s, 37);
  assert_true(isnan(r->daily[26].acwr_rolling) && isnan(r->daily[26].acwr_ewma));
  assert_false(r->daily[26].base_established);
  assert_true(r->daily[27].base_established);
  assert_true(fabs(r->daily[27].acwr_rolling - 1.0) < 1e-12);
  /* Day 35: acute (6·600+5400)/7, chronic (27·600+5400)/28 → ratio 5/3. */
  assert_true(fabs(r->daily[35].acwr_rolling - 5.0 / 3.0) < 1e-12);
  assert_int_equal(count_code(r, "load.acwr_high"), 2); /* both sessions of that day */
  const gb_load_flag *f = find_flag(r, "load.acwr_high", 0);
  assert_int_equal(f->flag.severity, GB_SEV_WARN);
  assert_true(f->flag.t_start_s == DAY0 + 35 && f->flag.t_end_s == DAY0 + 36);
  assert_true(strcmp(f->run_id, "g35") == 0 || strcmp(f->run_id, "g35b") == 0);
  assert_non_null(strstr(f->flag.message, "association"));
  gb_load_result_free(r);

  /* The same jump on day 10 (no base yet): ACWR NaN, never flagged. */
  for (int d = 0; d < 10; d++) {
    snprintf(id, sizeof id, "h%02d", d);
    s[d] = sess(id, d, 600);
  }
  s[10] = sess("h10", 10, 5400);
  r = compute(&p, s, 11);
  assert_true(isnan(r->daily[10].acwr_rolling));
  assert_int_equal(count_code(r, "load.acwr_high"), 0);
  assert_int_equal(count_code(r, "load.no_base"), 1); /* 5400 s >= 1800 s, no base */
  gb_load_result_free(r);
}

static void test_no_base(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  const gb_session s[4] = {sess("n0", 0, 1799), sess("n1", 1, 1800), sess("n26", 26, 1800),
                           sess("n27", 27, 1800)};
  gb_load_result *r = compute(&p, s, 4);
  assert_int_equal(count_code(r, "load.no_base"), 2);
  assert_string_equal(find_flag(r, "load.no_base", 0)->run_id, "n1");
  assert_string_equal(find_flag(r, "load.no_base", 1)->run_id, "n26");
  assert_int_equal(find_flag(r, "load.no_base", 0)->flag.severity, GB_SEV_WARN);
  assert_true(find_flag(r, "load.no_base", 0)->flag.value == 1800);
  assert_non_null(strstr(find_flag(r, "load.no_base", 0)->flag.message, "build up gradually"));
  gb_load_result_free(r);
  /* A caller scaling durations scales the threshold with a parameter copy. */
  gb_load_params q = p;
  q.no_base_min_s = p.no_base_min_s * 0.1;
  const gb_session t[1] = {sess("m0", 0, 180)};
  r = compute(&q, t, 1);
  assert_int_equal(count_code(r, "load.no_base"), 1);
  gb_load_result_free(r);
}

/* One session per Monday: W10..W17 of 2026 with W16 empty.
 *   W10 1000, W11 1000, W12 1000, W13 1050, W14 1200, W15 1500, W16 —, W17 1000.
 * Base at a week's Sunday: 7(w+1) >= 28 → from W13 (w = 3).
 *   W13: +5 %, 2-week (1050+1000)/(1000+1000) = +2.5 % → none
 *   W14: +14.3 % → info; 2-week (1200+1050)/(1000+1000) = +12.5 % → info only
 *   W15: +25 %; 2-week (1500+1200)/(1050+1000) = +31.7 % → warn (one flag, the 2-week one)
 *   W16: −100 % → none;  W17: previous week empty → change NaN, 2-week 1000/2700 → none */
static void test_weekly_ramp(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  const double loads[8] = {1000, 1000, 1000, 1050, 1200, 1500, 0, 1000};
  gb_session s[8];
  size_t n = 0;
  char id[16];
  for (int w = 0; w < 8; w++) {
    if (loads[w] <= 0) continue;
    snprintf(id, sizeof id, "w%d", w);
    s[n++] = sess(id, 7 * w, loads[w]);
  }
  gb_load_result *r = compute(&p, s, n);
  assert_int_equal(r->n_weekly, 8);
  assert_string_equal(r->weekly[0].week, "2026-W10");
  assert_string_equal(r->weekly[7].week, "2026-W17");
  assert_int_equal(r->weekly[6].n_sessions, 0);
  assert_true(r->weekly[6].load == 0);
  assert_true(isnan(r->weekly[0].change_pct));
  assert_true(fabs(r->weekly[4].change_pct - (1200.0 / 1050.0 - 1) * 100) < 1e-9);
  assert_true(fabs(r->weekly[5].change_2wk_pct - (2700.0 / 2050.0 - 1) * 100) < 1e-9);
  assert_true(fabs(r->weekly[4].change_2wk_pct - 12.5) < 1e-9);
  assert_true(isnan(r->weekly[7].change_pct));
  assert_true(isnan(r->weekly[2].change_2wk_pct)); /* fewer than 2 weeks before */
  assert_false(r->weekly[2].base_established);
  assert_true(r->weekly[3].base_established);
  assert_int_equal(count_code(r, "load.weekly_ramp"), 2);
  const gb_load_flag *f = find_flag(r, "load.weekly_ramp", 0);
  assert_int_equal(f->flag.severity, GB_SEV_INFO);
  assert_string_equal(f->run_id, "");
  assert_true(f->flag.t_start_s == DAY0 + 28 && f->flag.t_end_s == DAY0 + 35);
  assert_true(fabs(f->flag.value - (1200.0 / 1050.0 - 1)) < 1e-12);
  assert_true(f->flag.threshold == 0.10);
  assert_non_null(strstr(f->flag.message, "association"));
  f = find_flag(r, "load.weekly_ramp", 1);
  assert_int_equal(f->flag.severity, GB_SEV_WARN);
  assert_true(f->flag.t_start_s == DAY0 + 35);
  assert_true(fabs(f->flag.value - (2700.0 / 2050.0 - 1)) < 1e-12);
  assert_true(f->flag.threshold == 0.30);
  gb_load_result_free(r);

  /* A 2-week jump: W13 1000 → W14 1500, W15 1500: 2-week (3000)/(2000) = +50 % → warn. */
  const double l2[6] = {1000, 1000, 1000, 1000, 1500, 1500};
  n = 0;
  for (int w = 0; w < 6; w++) {
    snprintf(id, sizeof id, "v%d", w);
    s[n++] = sess(id, 7 * w, l2[w]);
  }
  r = compute(&p, s, n);
  /* W14: +50 % wow, 2-week 2500/2000 = +25 % → info; W15: 0 % wow, 2-week 3000/2000 → warn. */
  assert_int_equal(count_code(r, "load.weekly_ramp"), 2);
  f = find_flag(r, "load.weekly_ramp", 0);
  assert_int_equal(f->flag.severity, GB_SEV_INFO);
  assert_true(fabs(f->flag.value - 0.5) < 1e-12);
  f = find_flag(r, "load.weekly_ramp", 1);
  assert_int_equal(f->flag.severity, GB_SEV_WARN);
  assert_true(fabs(f->flag.value - 0.5) < 1e-12);
  assert_true(f->flag.threshold == 0.30);
  assert_true(f->flag.t_start_s == DAY0 + 35);
  assert_non_null(strstr(f->flag.message, "Nielsen 2014"));
  gb_load_result_free(r);

  /* Before the base: W10 1000 → W11 2000 is +100 % but not flagged. */
  const gb_session s3[2] = {sess("u0", 0, 1000), sess("u1", 7, 1700)};
  r = compute(&p, s3, 2);
  assert_int_equal(count_code(r, "load.weekly_ramp"), 0);
  assert_true(fabs(r->weekly[1].change_pct - 70.0) < 1e-9);
  gb_load_result_free(r);
}

static void test_new_year_weeks(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  gb_session s[2];
  double t;
  assert_int_equal(gb_parse_iso8601("2026-12-31T18:00:00Z", &t), GB_OK);
  s[0] = sess("y0", 0, 1000);
  s[0].start_epoch_s = t;
  assert_int_equal(gb_parse_iso8601("2027-01-04T06:00:00+01:00", &t), GB_OK); /* 05:00 UTC */
  s[1] = sess("y1", 0, 1000);
  s[1].start_epoch_s = t;
  gb_load_result *r = compute(&p, s, 2);
  assert_int_equal(r->n_weekly, 2);
  assert_string_equal(r->weekly[0].week, "2026-W53");
  assert_int_equal(r->weekly[0].iso_year, 2026);
  assert_int_equal(r->weekly[0].iso_week, 53);
  assert_string_equal(r->weekly[1].week, "2027-W01");
  assert_int_equal(r->n_daily, 5);
  assert_string_equal(r->daily[0].date, "2026-12-31");
  assert_string_equal(r->daily[4].date, "2027-01-04");
  gb_load_result_free(r);
}

/* Input order does not matter: results bit-identical. */
static void test_order_independent(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  gb_session a[6] = {sess("k0", 0, 2000), sess("k1", 3, 2500), sess("k2", 9, 1000),
                     sess("k3", 30, 4000), sess("k4", 31, 500), sess("k5", 31, 500)};
  gb_session b[6] = {a[5], a[3], a[0], a[4], a[2], a[1]};
  gb_load_result *ra = compute(&p, a, 6), *rb = compute(&p, b, 6);
  assert_int_equal(ra->n_daily, rb->n_daily);
  assert_int_equal(ra->n_flags, rb->n_flags);
  assert_true(ra->n_flags > 0);
  assert_memory_equal(ra->daily, rb->daily, ra->n_daily * sizeof *ra->daily);
  assert_memory_equal(ra->weekly, rb->weekly, ra->n_weekly * sizeof *ra->weekly);
  for (size_t i = 0; i < ra->n_flags; i++) {
    assert_string_equal(ra->flags[i].run_id, rb->flags[i].run_id);
    assert_string_equal(ra->flags[i].flag.code, rb->flags[i].flag.code);
    assert_string_equal(ra->flags[i].flag.message, rb->flags[i].flag.message);
    assert_true(ra->flags[i].flag.value == rb->flags[i].flag.value);
  }
  gb_load_result_free(ra);
  gb_load_result_free(rb);
}

/* ---- a second implementation of the documented rules, day-indexed like the
 * synthetic generator's (src/synth/cohort.c), over seeded random calendars ---- */
static uint32_t lcg(uint64_t *st)
{
  *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(*st >> 33);
}

#define RMAX 220
typedef struct key { char s[192]; } key;
static int cmp_key(const void *a, const void *b) { return strcmp(((const key *)a)->s, ((const key *)b)->s); }

static void test_random_calendars_vs_reference(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  size_t totals[4] = {0}; /* spike, acwr, no_base, weekly */
  static gb_session s[RMAX];
  static key want[4 * RMAX], got[4 * RMAX];
  for (int trial = 0; trial < 60; trial++) {
    uint64_t st = 0x9e3779b97f4a7c15ULL + (uint64_t)trial;
    const int wd0 = trial % 7; /* weekday of the first session (0 = Monday) */
    const int nd = 60 + (int)(lcg(&st) % 150);
    double daily[RMAX] = {0}, dur[RMAX] = {0};
    int has[RMAX] = {0};
    char ids[RMAX][16];
    size_t n = 0;
    for (int d = 0; d < nd; d++) {
      if (d > 0 && d < nd - 1 && lcg(&st) % 100 < 3) { /* a break of 7-20 days */
        d += 6 + (int)(lcg(&st) % 14);
        if (d >= nd - 1) d = nd - 2;
        continue;
      }
      if (!(d == 0 || d == nd - 1 || lcg(&st) % 100 < 55)) continue;
      has[d] = 1;
      dur[d] = 300 + (double)(lcg(&st) % 3300);
      if (lcg(&st) % 100 < 6) dur[d] *= 2.5;
      daily[d] = dur[d];
      snprintf(ids[d], sizeof ids[d], "r%03d", d);
      double tod = (5.0 + (double)(lcg(&st) % 960) / 60.0) / 24.0; /* 05:00-21:00 */
      s[n] = sess(ids[d], wd0 + d + tod - 7.0 / 24.0, dur[d]);
      n++;
    }
    /* Reference flags. */
    size_t nw = 0;
    for (int d = 0; d < nd; d++) {
      if (!has[d]) continue;
      const int64_t day = DAY0 + wd0 + d;
      double longest = -1;
      for (int j = d - 30; j <= d - 1; j++)
        if (j >= 0 && has[j] && dur[j] > longest) longest = dur[j];
      if (longest > 0 && dur[d] > (1.0 + 0.10) * longest) {
        snprintf(want[nw++].s, sizeof want[0].s, "load.session_spike|%.15s|%lld", ids[d], (long long)day);
        totals[0]++;
      }
      if (d >= 27) {
        double a = 0, c = 0;
        for (int j = d - 27; j <= d; j++) {
          c += daily[j];
          if (j >= d - 6) a += daily[j];
        }
        if (c > 0 && (a / 7.0) / (c / 28.0) > 1.5) {
          snprintf(want[nw++].s, sizeof want[0].s, "load.acwr_high|%.15s|%lld", ids[d], (long long)day);
          totals[1]++;
        }
      }
      if (d + 1 < 28 && dur[d] >= 1800) {
        snprintf(want[nw++].s, sizeof want[0].s, "load.no_base|%.15s|%lld", ids[d], (long long)day);
        totals[2]++;
      }
    }
    const int nweeks = (wd0 + nd - 1) / 7 + 1;
    double S[RMAX / 7 + 2] = {0};
    for (int d = 0; d < nd; d++) S[(wd0 + d) / 7] += daily[d];
    for (int w = 0; w < nweeks; w++) {
      if (7 * w + 6 - wd0 + 1 < 28) continue; /* base not established at the week's Sunday */
      int hit = w >= 1 && S[w - 1] > 0 && S[w] / S[w - 1] - 1.0 > 0.10;
      if (w >= 3 && S[w - 2] + S[w - 3] > 0 &&
          (S[w] + S[w - 1]) / (S[w - 2] + S[w - 3]) - 1.0 > 0.30)
        hit = 1;
      if (hit) {
        snprintf(want[nw++].s, sizeof want[0].s, "load.weekly_ramp||%lld", (long long)(DAY0 + 7 * w));
        totals[3]++;
      }
    }
    /* gb_load_compute. */
    gb_load_result *r = compute(&p, s, n);
    assert_true(r->n_flags < 4 * RMAX);
    for (size_t i = 0; i < r->n_flags; i++)
      snprintf(got[i].s, sizeof got[0].s, "%s|%s|%lld", r->flags[i].flag.code, r->flags[i].run_id,
               (long long)floor(r->flags[i].flag.t_start_s));
    const size_t ng = r->n_flags;
    gb_load_result_free(r);
    qsort(want, nw, sizeof want[0], cmp_key);
    qsort(got, ng, sizeof got[0], cmp_key);
    size_t i = 0, k = 0;
    while (i < nw || k < ng) {
      int c = i == nw ? 1 : k == ng ? -1 : strcmp(want[i].s, got[k].s);
      if (c < 0) fail_msg("trial %d: expected %s, not found", trial, want[i].s);
      if (c > 0) fail_msg("trial %d: unexpected %s", trial, got[k].s);
      i++, k++;
    }
  }
  /* Every rule fired somewhere (the comparison has teeth). */
  print_message("reference flags: %zu spikes, %zu acwr, %zu no_base, %zu weekly\n", totals[0],
                totals[1], totals[2], totals[3]);
  for (int c = 0; c < 4; c++) assert_true(totals[c] >= 5);
}

static void test_errors_and_empty(void **state)
{
  (void)state;
  gb_load_params p = defaults();
  gb_load_result *r = NULL;
  char err[256];
  assert_int_equal(gb_load_compute(&p, NULL, 0, &r, err, sizeof err), GB_OK);
  assert_non_null(r);
  assert_int_equal(r->n_daily + r->n_weekly + r->n_flags, 0);
  gb_load_result_free(r);
  gb_load_result_free(NULL);

  gb_session s[2] = {sess("ok", 0, 100), sess("bad", 1, -5)};
  r = (gb_load_result *)1;
  assert_int_equal(gb_load_compute(&p, s, 2, &r, err, sizeof err), GB_EINVAL);
  assert_null(r);
  assert_non_null(strstr(err, "bad"));
  s[1] = sess("nan", 1, 100);
  s[1].start_epoch_s = NAN;
  assert_int_equal(gb_load_compute(&p, s, 2, &r, err, sizeof err), GB_EINVAL);
  assert_non_null(strstr(err, "nan"));
  s[1] = sess("far", 1e6, 100);
  assert_int_equal(gb_load_compute(&p, s, 2, &r, err, sizeof err), GB_ERANGE);
  s[1] = sess("ok2", 1, 100);
  gb_load_params q = p;
  q.acute_days = 0;
  assert_int_equal(gb_load_compute(&q, s, 2, &r, err, sizeof err), GB_EINVAL);
  q = p;
  q.spike_band2 = 0.05;
  assert_int_equal(gb_load_compute(&q, s, 2, &r, err, sizeof err), GB_EINVAL);
  q = p;
  q.load_metric = 3;
  assert_int_equal(gb_load_compute(&q, s, 2, &r, err, sizeof err), GB_EINVAL);
  /* NaN impact is fine while the metric is duration, an error when it is the metric. */
  s[1].impact = NAN;
  assert_int_equal(gb_load_compute(&p, s, 2, &r, err, sizeof err), GB_OK);
  gb_load_result_free(r);
  q = p;
  q.load_metric = 2;
  assert_int_equal(gb_load_compute(&q, s, 2, &r, err, sizeof err), GB_EINVAL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_spike_45pct),     cmocka_unit_test(test_spike_bands),
    cmocka_unit_test(test_spike_lookback),  cmocka_unit_test(test_ewma_hand),
    cmocka_unit_test(test_ewma_defaults_closed_form),
    cmocka_unit_test(test_acwr_base),       cmocka_unit_test(test_no_base),
    cmocka_unit_test(test_weekly_ramp),     cmocka_unit_test(test_new_year_weeks),
    cmocka_unit_test(test_order_independent), cmocka_unit_test(test_errors_and_empty),
    cmocka_unit_test(test_random_calendars_vs_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
